//! The ballot importer (群众满意度测评, docs/specification.md §8): a campaign's
//! satisfaction ballots for one computed component, read with the import quality of
//! returns and stored as counts per unit ([`crate::store::ballots`]).
//!
//! Three layouts, told apart by the header ([`BallotLayout`]):
//!
//! - **tally** (计票汇总表): a row per unit named by name and/or USCC, a column per
//!   answer word holding whole counts, optional 发放 / 回收 columns. It wins whenever a
//!   header reading (one row, or two with merged parents) has a unit column and a column
//!   named by an answer word.
//! - **survey** (问卷导出): a row per respondent; the export's own columns
//!   ([`crate::vocab::words::SURVEY_METADATA_HEADERS`]) are ignored and every other column's header names a
//!   unit of the campaign ([`CampaignUnits::in_header`]); cells hold answer words.
//! - **long** (逐张录入): a unit column (被测评单位, 测评单位, 单位名称, …) and answer
//!   columns; every answer of a row counts for its unit.
//!
//! Every unit named must have a current return in the campaign ([`CampaignUnits`]). The
//! answers of a survey or long sheet are counted per unit once the whole file is read
//! ([`Importer::column_rules`]): a million answers become a few hundred records, and
//! reading a respondent's row allocates only the list of its answers.

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::json;

use super::aliases::{AliasTable, Field};
use super::importer::{Analysis, Committed, Importer, Record, RowOutcome, StoredFile, Words};
use super::layout::{self, Column, Layout};
use super::rows::{self, cell_at, RowError};
use super::units::{CampaignUnits, UnitMiss};
use super::values::{self, compact, Cell};
use super::workbook::Merge;
use super::{campaign_scheme, ensure_open, ImportError};
use crate::limits::quote;
use crate::normalize::is_space;
use crate::scheme::{BallotSettings, ComponentSource, Scheme};
use crate::store::ballots as ballot_store;
use crate::store::files::FileKind;
use crate::store::Store;
use crate::vocab::words::NO_ANSWER_WORDS;
use crate::vocab::BallotLayout;

/// The answer words of a scheme's `[ballots]`: its choices, then its `not_counted`
/// words, each at its index (the index of [`Field::Choice`] and of a record's counts).
#[derive(Debug, Clone)]
pub struct AnswerWords {
    /// Each word as the scheme spells it.
    words: Vec<String>,
    /// How many of them are choices (the rest are not counted).
    choices: usize,
    /// Each word's key ([`compact`]: width folded, no white space) and its index, a key
    /// written twice at its first place only. A list, not a map: a scheme has a handful of
    /// words, and comparing a cell with each cost less than hashing it (a survey export
    /// looks up a million cells).
    index: Vec<(String, usize)>,
    /// The keys of [`NO_ANSWER_WORDS`].
    no_answer: Vec<String>,
}

/// What one ballot cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Blank, "(空)" or "(跳过)": no answer.
    None,
    /// The answer word at this index of [`AnswerWords`].
    Word(usize),
}

impl AnswerWords {
    /// The words of these settings.
    pub fn new(settings: &BallotSettings) -> AnswerWords {
        let words: Vec<String> = settings
            .choices
            .iter()
            .map(|(w, _)| w.clone())
            .chain(settings.not_counted.iter().cloned())
            .collect();
        let mut index: Vec<(String, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            // A word written twice keeps its first place (the scheme check refuses it).
            let key = compact(w);
            if !index.iter().any(|(k, _)| *k == key) {
                index.push((key, i));
            }
        }
        AnswerWords {
            choices: settings.choices.len(),
            index,
            no_answer: NO_ANSWER_WORDS.iter().map(|w| compact(w)).collect(),
            words,
        }
    }

    /// How many words there are (choices and not counted).
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The word at an index.
    pub fn word(&self, i: usize) -> &str {
        &self.words[i]
    }

    /// Reads a cell: an answer word (compared after trimming and full-width folding), no
    /// answer, or `Err` with the message naming the allowed words.
    pub fn read(&self, cell: &Cell) -> Result<Answer, String> {
        let text = match cell {
            Cell::Empty => return Ok(Answer::None),
            Cell::Text(s) => s.as_str(),
            other => return Err(self.unknown(&other.display())),
        };
        // Most cells hold a word exactly as the scheme spells it: found without copying.
        let trimmed = text.trim_matches(is_space);
        if trimmed.is_empty() {
            return Ok(Answer::None);
        }
        if let Some(i) = self.index_of(trimmed) {
            return Ok(Answer::Word(i));
        }
        let key = compact(trimmed);
        if let Some(i) = self.index_of(&key) {
            return Ok(Answer::Word(i));
        }
        if self.no_answer.contains(&key) {
            return Ok(Answer::None);
        }
        Err(self.unknown(trimmed))
    }

    /// The index of the word whose key is `key`.
    fn index_of(&self, key: &str) -> Option<usize> {
        self.index.iter().find(|(k, _)| k == key).map(|&(_, i)| i)
    }

    /// The error of a word that is none of these.
    fn unknown(&self, word: &str) -> String {
        let mut m = format!(
            "“{}”不是测评选项，可填：{}",
            quote(word),
            self.words[..self.choices].join("、")
        );
        if self.choices < self.words.len() {
            m.push_str(&format!(
                "（不计入有效票：{}）",
                self.words[self.choices..].join("、")
            ));
        }
        m.push_str("；空白、“(空)”“(跳过)”不算作答");
        m
    }
}

/// What a ballot row becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// One unit's counts: a tally row, or a sheet's answers for the unit counted.
    Counts {
        /// Index of the unit in the importer's [`CampaignUnits`].
        unit: usize,
        /// The count of each answer word, at its index of [`AnswerWords`].
        counts: Vec<i64>,
        /// 发放, when the tally row gives it.
        issued: Option<i64>,
        /// 回收, when the tally row gives it.
        returned: Option<i64>,
    },
    /// One answer sheet's answers, not yet counted: (unit index, word index) pairs.
    Answers(Vec<(u32, u32)>),
}

/// A valid ballot row, or (after the column rules) one unit's counts from a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotRow {
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based); for counted answers, the unit's first row.
    pub row: u32,
    /// The sheet's layout.
    pub layout: BallotLayout,
    /// The unit's name as the campaign knows it (empty for a respondent's row).
    pub name: String,
    /// Counts or answers.
    pub body: Body,
}

impl Record for BallotRow {
    fn sheet(&self) -> &str {
        &self.sheet
    }
    fn row(&self) -> u32 {
        self.row
    }
    fn name(&self) -> &str {
        &self.name
    }
    /// A unit twice in one tally sheet is a mistake; the same unit in two sheets (two
    /// sessions of paper ballots) is pooled like two files. Respondents' rows are each
    /// their own.
    fn identity(&self) -> String {
        match (&self.body, self.layout) {
            (Body::Counts { unit, .. }, BallotLayout::Tally) => {
                format!("tally|{}|{unit}", self.sheet)
            }
            (Body::Counts { unit, .. }, _) => format!("answers|{}|{unit}", self.sheet),
            (Body::Answers(_), _) => format!("row|{}|{}", self.sheet, self.row),
        }
    }
    fn repeated(&self, places: &str) -> String {
        format!("同一单位的计票在本工作表中出现多次（{places}）")
    }
}

/// The layout a detected header stands for.
pub fn layout_of(l: &Layout) -> BallotLayout {
    let mut kind = BallotLayout::Tally;
    for c in &l.columns {
        match c.field {
            Some(Field::Unit(_)) => return BallotLayout::Survey,
            Some(Field::Answer) => kind = BallotLayout::Long,
            _ => {}
        }
    }
    kind
}

/// The importer of a campaign's ballots for one component whose source is `ballots`.
#[derive(Debug, Clone)]
pub struct Ballots {
    year: i32,
    scheme: Scheme,
    component: String,
    label: String,
    units: CampaignUnits,
    words: AnswerWords,
    aliases: AliasTable,
}

impl Ballots {
    /// The importer of campaign `year`'s ballots for `component` (its key). Refuses a
    /// campaign that does not exist or is published, a key no component has and a
    /// component whose score does not come from ballots.
    pub fn open(store: &Store, year: i32, component: &str) -> Result<Ballots, ImportError> {
        ensure_open(store, year)?;
        let scheme = campaign_scheme(store, year)?;
        let units = CampaignUnits::load(store.conn(), year)?;
        Ballots::new(scheme, year, component, units)
    }

    /// The importer under `scheme` with these units, for a scheme read already.
    pub fn new(
        scheme: Scheme,
        year: i32,
        component: &str,
        units: CampaignUnits,
    ) -> Result<Ballots, ImportError> {
        let key = component.trim();
        let Some(c) = scheme.component(key) else {
            return Err(ImportError::UnknownComponent {
                key: key.to_string(),
                known: scheme
                    .components
                    .iter()
                    .map(|c| format!("{}（{}）", c.key, c.label))
                    .collect(),
            });
        };
        if c.source != ComponentSource::Ballots {
            return Err(ImportError::WrongSource {
                key: c.key.clone(),
                label: c.label.clone(),
                actual: c.source,
                wanted: ComponentSource::Ballots,
            });
        }
        Ok(Ballots {
            year,
            component: c.key.clone(),
            label: c.label.clone(),
            words: AnswerWords::new(&scheme.ballots),
            aliases: AliasTable::for_ballots(&scheme.ballots),
            units,
            scheme,
        })
    }

    /// The component's key.
    pub fn component(&self) -> &str {
        &self.component
    }

    /// The component's label (群众测评).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The campaign's units the sheets are matched to.
    pub fn units(&self) -> &CampaignUnits {
        &self.units
    }

    /// The answer words.
    pub fn words(&self) -> &AnswerWords {
        &self.words
    }

    /// Stores one unit's counts with the statement `inserts` holds; `given` is a buffer
    /// for the words given, kept from row to row.
    fn store_counts<'w>(
        &'w self,
        inserts: &mut ballot_store::Inserts<'_>,
        file: StoredFile<'_>,
        r: &BallotRow,
        given: &mut Vec<(&'w str, i64)>,
    ) -> Result<RowOutcome, ImportError> {
        let Body::Counts {
            unit,
            counts,
            issued,
            returned,
        } = &r.body
        else {
            // A respondent's row is stored once the file's answers are counted.
            return Ok(RowOutcome::Unchanged);
        };
        given.clear();
        given.extend(
            counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (self.words.word(i), *n)),
        );
        inserts.insert(&ballot_store::NewCounts {
            campaign_year: self.year,
            file_id: file.id,
            component: &self.component,
            agency_id: self.units.all()[*unit].agency_id,
            layout: r.layout,
            sheet: &r.sheet,
            row: r.row,
            counts: given,
            issued: *issued,
            returned: *returned,
        })?;
        Ok(RowOutcome::Created)
    }

    fn unit_index(&self, agency_id: i64) -> usize {
        self.units
            .all()
            .iter()
            .position(|u| u.agency_id == agency_id)
            .expect("a unit found among the units")
    }

    /// A tally header: the best reading (most distinct fields) with a unit column and a
    /// column named by an answer word.
    fn tally(&self, rows: &[(u32, Vec<(u32, Cell)>)], merges: &[Merge]) -> Option<Layout> {
        let mut best: Option<(usize, Layout)> = None;
        for l in layout::readings(&self.aliases, rows, merges) {
            let has = |f: &dyn Fn(Field) -> bool| l.columns.iter().any(|c| c.field.is_some_and(f));
            let unit = has(&|f| matches!(f, Field::Name | Field::Uscc));
            let word = has(&|f| matches!(f, Field::Choice(_)));
            if !unit || !word || !own_parents(&l) {
                continue;
            }
            let mut fields: Vec<Field> = l.columns.iter().filter_map(|c| c.field).collect();
            fields.sort();
            fields.dedup();
            if best.as_ref().is_none_or(|(n, _)| fields.len() > *n) {
                best = Some((fields.len(), l));
            }
        }
        best.map(|(_, l)| l)
    }

    /// A long or survey header: the first row that reads as one.
    fn respondents(&self, rows: &[(u32, Vec<(u32, Cell)>)]) -> Option<Layout> {
        for (r, cells) in rows.iter().filter(|(r, _)| *r < layout::HEADER_SEARCH_ROWS) {
            let mut columns: Vec<Column> = cells
                .iter()
                .filter_map(|(col, v)| {
                    let header = values::parse_text(v)?;
                    // A survey numbers its questions: "1、您的身份" is the export's
                    // question about the respondent, not a unit.
                    let field = self.aliases.lookup(&header).or_else(|| {
                        let bare = without_question_number(&header)?;
                        self.aliases.lookup(bare).filter(|f| *f == Field::Ignored)
                    });
                    Some(Column::new(*col, header, field))
                })
                .collect();
            let is_unit = |c: &Column| matches!(c.field, Some(Field::Name | Field::Uscc));
            if columns.iter().any(is_unit) {
                // Long: the other columns hold answers (the export's own excepted).
                let mut answers = 0;
                for c in columns.iter_mut().filter(|c| c.field.is_none()) {
                    c.field = Some(Field::Answer);
                    answers += 1;
                }
                if answers > 0 {
                    return Some(self.layout_at(*r, columns));
                }
                continue;
            }
            let mut units = 0;
            let mut own = 0;
            for c in &mut columns {
                match c.field {
                    Some(Field::Ignored) => own += 1,
                    _ => {
                        if let Some(u) = self.units.in_header(&c.header) {
                            c.field = Some(Field::Unit(self.unit_index(u.agency_id)));
                            units += 1;
                        } else {
                            // Named in the header's errors ([`Importer::header_errors`]).
                            c.field = None;
                        }
                    }
                }
            }
            // A title naming one unit is not a survey's header.
            if units >= 2 || (units == 1 && own >= 1) {
                return Some(self.layout_at(*r, columns));
            }
        }
        None
    }

    fn layout_at(&self, row: u32, columns: Vec<Column>) -> Layout {
        Layout {
            header_row: row,
            header_rows: 1,
            columns,
        }
    }

    /// The unit a tally or long row names, or its error placed at the name or USCC cell.
    fn unit_of(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<usize, Box<RowError>> {
        let name_col = l.column_of(Field::Name);
        let code_col = l.column_of(Field::Uscc);
        let text = |c: Option<&Column>| {
            c.and_then(|c| cell_at(cells, c.col))
                .and_then(values::parse_text)
        };
        let name = text(name_col);
        let code = text(code_col);
        match self.units.find(name.as_deref(), code.as_deref()) {
            Ok(u) => Ok(self.unit_index(u.agency_id)),
            Err(miss) => {
                let at_code = matches!(
                    miss,
                    UnitMiss::UnknownUscc { .. } | UnitMiss::BadUscc { .. }
                );
                let col = if at_code {
                    code_col
                } else {
                    name_col.or(code_col)
                };
                let value = if at_code { code } else { name.or(code) };
                Err(Box::new(place(
                    sheet,
                    row,
                    col,
                    value.as_deref(),
                    miss.to_string(),
                )))
            }
        }
    }

    fn parse_tally(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<BallotRow, Vec<RowError>> {
        let mut errors = Vec::new();
        let unit = self
            .unit_of(l, sheet, row, cells)
            .map_err(|e| errors.push(*e))
            .ok();
        let mut counts = vec![0i64; self.words.len()];
        let mut issued = None;
        let mut returned = None;
        for c in &l.columns {
            if !matches!(
                c.field,
                Some(Field::Choice(_) | Field::Issued | Field::Returned)
            ) {
                continue;
            }
            let Some(cell) = cell_at(cells, c.col) else {
                continue;
            };
            let n = match values::parse_count(cell) {
                Ok(n) => n,
                Err(m) => {
                    errors.push(place(sheet, row, Some(c), Some(&cell.display()), m));
                    continue;
                }
            };
            match c.field {
                Some(Field::Choice(i)) => counts[i] = n.unwrap_or(0),
                Some(Field::Issued) => issued = n,
                _ => returned = n,
            }
        }
        if let (Some(i), Some(r)) = (issued, returned) {
            if r > i {
                errors.push(place(
                    sheet,
                    row,
                    l.column_of(Field::Returned),
                    Some(&r.to_string()),
                    format!("回收票数（{r}）多于发放票数（{i}）"),
                ));
            }
        }
        if let Some(r) = returned {
            let answered: i64 = counts.iter().sum();
            if answered > r {
                errors.push(place(
                    sheet,
                    row,
                    l.column_of(Field::Returned),
                    Some(&r.to_string()),
                    format!("各选项票数合计（{answered}）多于回收票数（{r}）"),
                ));
            }
        }
        match unit {
            Some(unit) if errors.is_empty() => Ok(BallotRow {
                sheet: sheet.to_string(),
                row,
                layout: BallotLayout::Tally,
                name: self.units.all()[unit].name.clone(),
                body: Body::Counts {
                    unit,
                    counts,
                    issued,
                    returned,
                },
            }),
            _ => Err(errors),
        }
    }

    fn parse_answers(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
        kind: BallotLayout,
    ) -> Result<BallotRow, Vec<RowError>> {
        let mut errors = Vec::new();
        let row_unit = match kind {
            BallotLayout::Long => {
                // A row naming no unit but holding no answer is blank to this layout.
                match self.unit_of(l, sheet, row, cells) {
                    Ok(u) => Some(u as u32),
                    Err(e) => {
                        errors.push(*e);
                        None
                    }
                }
            }
            _ => None,
        };
        let mut answers = Vec::new();
        // Cells and columns are both in column order: walk them side by side.
        let mut columns = l.columns.iter().peekable();
        for (col, cell) in cells {
            while columns.next_if(|c| c.col < *col).is_some() {}
            let Some(c) = columns.peek().filter(|c| c.col == *col) else {
                continue;
            };
            let unit = match c.field {
                Some(Field::Unit(u)) => u as u32,
                // Without a unit (its error is reported) the answers are still checked.
                Some(Field::Answer) => row_unit.unwrap_or(u32::MAX),
                _ => continue,
            };
            match self.words.read(cell) {
                Ok(Answer::None) => {}
                Ok(Answer::Word(w)) => answers.push((unit, w as u32)),
                Err(m) => errors.push(place(sheet, row, Some(c), Some(&cell.display()), m)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BallotRow {
            sheet: sheet.to_string(),
            row,
            layout: kind,
            name: row_unit
                .map(|u| self.units.all()[u as usize].name.clone())
                .unwrap_or_default(),
            body: Body::Answers(answers),
        })
    }
}

/// A survey header without the number before its question ("1、", "2.", "Q3.", "第4题").
fn without_question_number(header: &str) -> Option<&str> {
    let h = header.trim_start();
    let h = h.strip_prefix(['Q', 'q']).unwrap_or(h);
    let h = h.strip_prefix('第').unwrap_or(h);
    let digits = h.len() - h.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    let rest = &h[digits..];
    let rest = rest
        .strip_prefix(['、', '.', '．', ':', '：', ' ', '题'])
        .or_else(|| rest.strip_prefix("题、"))?;
    Some(rest.trim_start_matches(['、', '.', '．', ' ']).trim())
}

/// Whether the answer-word columns of a two-row reading stand under a parent of their
/// own: a heading merged across several of them (测评结果 over 满意 … 不满意), or none.
/// A lone parent over one word is a header over a data row (被测评单位 | 测评结果 above a
/// first row whose unit is blank and whose answer is 满意), not a tally's header.
fn own_parents(l: &Layout) -> bool {
    if l.header_rows < 2 {
        return true;
    }
    let parents: Vec<&str> = l
        .columns
        .iter()
        .filter(|c| matches!(c.field, Some(Field::Choice(_))))
        .filter_map(|c| c.header.split_once('/').map(|(p, _)| p))
        .collect();
    parents
        .iter()
        .all(|p| parents.iter().filter(|q| *q == p).count() >= 2)
}

/// An error at a row and, when known, a column.
fn place(
    sheet: &str,
    row: u32,
    col: Option<&Column>,
    value: Option<&str>,
    message: impl Into<String>,
) -> RowError {
    RowError {
        sheet: Some(sheet.to_string()),
        row: Some(row),
        column: col.map(Column::letter),
        header: col.map(|c| c.header.clone()),
        value: value.filter(|v| !v.is_empty()).map(quote),
        message: message.into(),
    }
}

impl Importer for Ballots {
    type Row = BallotRow;

    const KIND: FileKind = FileKind::Ballots;
    const AUDIT_ACTION: &'static str = "ballots.import";
    const WORDS: Words = Words {
        records: "测评票",
        same_file: "该测评票文件",
    };

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    fn detect(&self, rows: &[(u32, Vec<(u32, Cell)>)], merges: &[Merge]) -> Option<Layout> {
        let mut l = self
            .tally(rows, merges)
            .or_else(|| self.respondents(rows))?;
        if layout_of(&l) != BallotLayout::Survey {
            // A tally's or long form's 序号 and 备注 are unknown columns as in a return:
            // a row holding only its pre-printed 序号 is blank, not a unit left unnamed.
            for c in &mut l.columns {
                if c.field == Some(Field::Ignored) {
                    c.field = None;
                }
            }
        }
        Some(l)
    }

    fn check(&self, l: &Layout) -> Result<(), String> {
        if layout_of(l) == BallotLayout::Survey {
            return Ok(());
        }
        // Two columns for one answer word, or two unit columns, cannot be read. Several
        // answer columns in the long form are its nature, not a conflict.
        let columns = Layout {
            columns: l
                .columns
                .iter()
                .filter(|c| !matches!(c.field, Some(Field::Ignored | Field::Answer)))
                .cloned()
                .collect(),
            ..l.clone()
        };
        layout::check_columns(&columns, &[], |f| f.label(&self.scheme)).map_err(|p| p.to_string())
    }

    fn header_errors(&self, sheet: &str, l: &Layout) -> Vec<RowError> {
        if layout_of(l) != BallotLayout::Survey {
            return Vec::new();
        }
        let row = l.header_row + 1;
        let mut errors = Vec::new();
        let mut first: HashMap<usize, &Column> = HashMap::new();
        for c in &l.columns {
            match c.field {
                None => errors.push(place(
                    sheet,
                    row,
                    Some(c),
                    Some(&c.header),
                    format!(
                        "该列不是问卷的信息列，也没有写明本年度的参评单位：{}",
                        self.units.header_miss(&c.header)
                    ),
                )),
                Some(Field::Unit(u)) => {
                    if let Some(prev) = first.get(&u) {
                        errors.push(place(
                            sheet,
                            row,
                            Some(c),
                            Some(&c.header),
                            format!(
                                "{}列与{}列都是对“{}”的评价，每个单位只能有一列",
                                prev.letter(),
                                c.letter(),
                                self.units.all()[u].name
                            ),
                        ));
                    } else {
                        first.insert(u, c);
                    }
                }
                _ => {}
            }
        }
        errors
    }

    fn headings(&self, l: &Layout) -> bool {
        layout_of(l) != BallotLayout::Survey
    }

    fn layout_warnings(&self, sheet: &str, l: &Layout) -> Vec<String> {
        let mut out = Vec::new();
        let kind = layout_of(l);
        if kind != BallotLayout::Tally {
            let turnout: Vec<String> = l
                .columns
                .iter()
                .filter(|c| matches!(c.field, Some(Field::Issued | Field::Returned)))
                .map(|c| format!("{}列“{}”", c.letter(), c.header))
                .collect();
            if !turnout.is_empty() {
                out.push(format!(
                    "工作表“{sheet}”是{}，发放、回收票数只在计票汇总表中读取，已忽略：{}",
                    kind.label(),
                    turnout.join("、")
                ));
            }
        }
        out
    }

    fn parse_row(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<BallotRow, Vec<RowError>> {
        match layout_of(l) {
            BallotLayout::Tally => self.parse_tally(l, sheet, row, cells),
            kind => self.parse_answers(l, sheet, row, cells, kind),
        }
    }

    fn no_header_message(&self) -> &'static str {
        "未找到测评票的表头：各工作表前30行中没有计票汇总表的表头（单位名称或统一社会信用代码，\
         加“满意”等选项列）、问卷导出的表头（各列标题写明参评单位）或逐张录入表的表头\
         （被测评单位列加测评结果列）"
    }

    fn group_words(&self) -> Vec<String> {
        rows::group_words(std::slice::from_ref(&self.scheme))
    }

    /// Counts each survey or long sheet's answers per unit: one record per sheet and
    /// unit, at the unit's first row.
    fn column_rules(&self, a: &mut Analysis<BallotRow>) {
        if !a.valid.iter().any(|r| matches!(r.body, Body::Answers(_))) {
            return;
        }
        let n = self.words.len();
        let units = self.units.all();
        let mut out: Vec<BallotRow> = Vec::new();
        // Sheet's place in the file → for each unit (by index), its record's index in
        // `out`, `NONE` until it has one. A table per sheet, not a map keyed by sheet and
        // unit: a survey of 5,000 respondents × 200 units looked a key up a million times.
        const NONE: usize = usize::MAX;
        let mut at: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut sheet_no = 0;
        let mut sheet_name = String::new();
        for r in std::mem::take(&mut a.valid) {
            let Body::Answers(answers) = &r.body else {
                out.push(r);
                continue;
            };
            if r.sheet != sheet_name {
                sheet_name.clone_from(&r.sheet);
                sheet_no = a
                    .sheets
                    .iter()
                    .position(|(s, _)| *s == r.sheet)
                    .unwrap_or(0);
            }
            let slots = at
                .entry(sheet_no)
                .or_insert_with(|| vec![NONE; units.len()]);
            for &(unit, word) in answers {
                let slot = &mut slots[unit as usize];
                if *slot == NONE {
                    out.push(BallotRow {
                        sheet: r.sheet.clone(),
                        row: r.row,
                        layout: r.layout,
                        name: units[unit as usize].name.clone(),
                        body: Body::Counts {
                            unit: unit as usize,
                            counts: vec![0; n],
                            issued: None,
                            returned: None,
                        },
                    });
                    *slot = out.len() - 1;
                }
                if let Body::Counts { counts, .. } = &mut out[*slot].body {
                    counts[word as usize] += 1;
                }
            }
        }
        a.valid = out;
        a.revised = true;
    }

    fn campaign(&self) -> Option<i32> {
        Some(self.year)
    }

    fn still_open(&self, tx: &Connection) -> Result<(), ImportError> {
        super::still_open(tx, self.year)
    }

    fn store_row(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        r: &BallotRow,
    ) -> Result<RowOutcome, ImportError> {
        self.store_counts(
            &mut ballot_store::Inserts::new(tx),
            file,
            r,
            &mut Vec::new(),
        )
    }

    fn store_rows(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        rows: &[BallotRow],
        outcome: &mut dyn FnMut(RowOutcome),
    ) -> Result<(), ImportError> {
        let mut inserts = ballot_store::Inserts::new(tx);
        let mut given = Vec::new();
        for r in rows {
            outcome(self.store_counts(&mut inserts, file, r, &mut given)?);
        }
        Ok(())
    }

    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value {
        json!({
            "campaign": self.year,
            "component": self.component,
            "file": c.file,
            "sha256": c.sha256,
            "file_id": c.file_id,
            "rows": c.rows,
            "units": c.imported,
            "partial": c.partial,
        })
    }

    fn audit_details_in(
        &self,
        tx: &Connection,
        c: &Committed<'_>,
    ) -> Result<serde_json::Value, ImportError> {
        let mut details = self.audit_details(c);
        let totals = ballot_store::totals_of_file(tx, c.file_id)?;
        // In the scheme's order, every word given at least once.
        let counts: serde_json::Map<String, serde_json::Value> = (0..self.words.len())
            .map(|i| self.words.word(i))
            .filter_map(|w| totals.get(w).map(|n| (w.to_string(), json!(n))))
            .collect();
        details["counts"] = serde_json::Value::Object(counts);
        Ok(details)
    }
}

pub use crate::evaluate::ballots::{ComponentBallots, UnitBallots};

/// Every ballots component of campaign `year` (scheme order) with its units' results.
pub fn summary(store: &Store, year: i32) -> Result<Vec<ComponentBallots>, ImportError> {
    let scheme = campaign_scheme(store, year)?;
    Ok(crate::evaluate::ballots::list_with_scheme(
        store.conn(),
        year,
        &scheme,
    )?)
}

/// Withdraws an imported ballot file of campaign `year` — by id, SHA-256 (or a prefix
/// of at least 8 characters) or file name: its counts no longer count (audited as
/// `ballots.withdraw`).
pub fn withdraw(
    store: &mut Store,
    year: i32,
    target: &str,
    operator: &str,
) -> Result<super::WithdrawReport, ImportError> {
    super::withdraw_of(store, year, FileKind::Ballots, target, operator)
}

#[cfg(test)]
mod tests;
