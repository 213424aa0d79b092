//! The panel score importer (评委打分, docs/specification.md §8): a panel's score sheets
//! for one component of a campaign whose source is `panel`, read with the import quality
//! of returns and stored in `panel_scores`.
//!
//! Two layouts, told apart by the header:
//!
//! - **wide**: a row per unit (单位名称 and/or 统一社会信用代码) and a column per judge,
//!   headed by the judge's name or code (评委1, 张三). Every column is a judge except the
//!   agency's own fields (层级, 所属地区, …), 得分, and the words of
//!   [`crate::vocab::words::PANEL_NOT_JUDGES`] (序号, 备注, 平均分, 最高分, …), which are
//!   ignored. Under a merged parent header (评委评分 over 评委1 … 评委7) a judge is named by
//!   the lower cell.
//! - **long**: a row per score, with the columns 评委, 单位名称 (or the USCC) and 得分.
//!
//! A cell holds a score from 0 to 100 in any form returns accept ("92.5", "92.5分",
//! full-width digits, a percent cell), "回避" (the judge recused: stored, not a score), or
//! nothing (not scored: a warning naming the cells). Anything else is an error at its
//! cell. A unit is one of the campaign's ([`CampaignUnits`]); panel sheets create no
//! agency.
//!
//! One judge scores one unit once per component: twice in one file is an error at both
//! cells, and a score already stored from another current file is an error naming that
//! file's cell ([`Panel`] loads the stored places when it is made, so a new importer is
//! made for each file).

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::json;
use thiserror::Error;

use super::aliases::{AliasTable, Field};
use super::importer::{Analysis, Committed, Importer, Record, RowOutcome, StoredFile, Words};
use super::layout::{self, Column, Layout};
use super::rows::{self, cell_at, RowError};
use super::units::{CampaignUnits, UnitMiss};
use super::values::{self, compact, Cell, MAX_PLACES};
use super::workbook::{column_letter, Merge};
use super::{campaign_scheme, ensure_open, ImportError};
use crate::limits::{check_len, quote, TextKind};
use crate::normalize::{agency_name, fold_width, name_key};
use crate::scheme::{ComponentSource, Scheme};
use crate::store::files::FileKind;
use crate::store::{panel as panel_store, Store};
use crate::vocab::words::{is_panel_not_judge, PANEL_RECUSED};
use crate::vocab::PanelLayout;
use crate::Coded;

/// Why a panel sheet cannot be imported for a component at all.
#[derive(Debug, Error)]
pub enum PanelError {
    /// The campaign is unavailable, its scheme unreadable, or the database failed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The scheme has no component with this key.
    #[error("{year}年度评选方案中没有指标“{key}”（方案中的指标：{}）", .keys.join("、"))]
    UnknownComponent {
        /// Campaign year.
        year: i32,
        /// The key asked for.
        key: String,
        /// The scheme's component keys.
        keys: Vec<String>,
    },
    /// The component's score does not come from the panel.
    #[error(
        "指标“{label}”（{key}）的分数来源是{}，不是评委打分：评委评分表只能导入来源为评委打分（source = \"panel\"）的指标",
        .origin.label()
    )]
    NotPanel {
        /// The component's key.
        key: String,
        /// Its label.
        label: String,
        /// Where its score comes from.
        origin: ComponentSource,
    },
}

impl From<rusqlite::Error> for PanelError {
    fn from(e: rusqlite::Error) -> Self {
        PanelError::Import(e.into())
    }
}

impl Coded for PanelError {
    fn code(&self) -> &'static str {
        match self {
            PanelError::Import(e) => e.code(),
            PanelError::UnknownComponent { .. } => "panel.unknown_component",
            PanelError::NotPanel { .. } => "panel.not_panel",
        }
    }
}

/// Where a stored score was read from, for the message of a judge scoring twice.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    file: String,
    sheet: String,
    cell: String,
}

/// The importer of a panel's score sheets for one component of a campaign.
#[derive(Debug, Clone)]
pub struct Panel {
    year: i32,
    component: String,
    aliases: AliasTable,
    units: CampaignUnits,
    group_words: Vec<String>,
    /// The current stored scores of the component: (agency, judge key) → their cell.
    stored: HashMap<(i64, String), Place>,
}

impl Panel {
    /// The importer of campaign `year`'s sheets for the component `key`, under the
    /// campaign's scheme. Refuses a campaign that does not exist or is published, and a
    /// component that is not the scheme's or whose source is not `panel`.
    pub fn open(store: &Store, year: i32, key: &str) -> Result<Panel, PanelError> {
        ensure_open(store, year)?;
        let scheme = campaign_scheme(store, year)?;
        Panel::with_scheme(store, year, &scheme, key)
    }

    /// [`Panel::open`] under a scheme given rather than the campaign's stored one (still
    /// refusing an unavailable campaign).
    pub fn with_scheme(
        store: &Store,
        year: i32,
        scheme: &Scheme,
        key: &str,
    ) -> Result<Panel, PanelError> {
        ensure_open(store, year)?;
        let component = panel_component(scheme, year, key)?;
        let conn = store.conn();
        let stored = panel_store::current(conn, year, key)?
            .into_iter()
            .map(|s| {
                let cell = format!("{}{}", column_letter(s.col), s.row);
                (
                    (s.agency_id, s.judge_key),
                    Place {
                        file: s.file_name,
                        sheet: s.sheet,
                        cell,
                    },
                )
            })
            .collect();
        Ok(Panel {
            year,
            component: component.to_string(),
            aliases: AliasTable::for_panel(),
            units: CampaignUnits::load(conn, year)?,
            group_words: rows::group_words(std::slice::from_ref(scheme)),
            stored,
        })
    }

    /// The component's key.
    pub fn component(&self) -> &str {
        &self.component
    }
}

/// The key of the scheme's component `key` when its source is `panel`.
fn panel_component<'s>(scheme: &'s Scheme, year: i32, key: &str) -> Result<&'s str, PanelError> {
    let c = scheme
        .component(key.trim())
        .ok_or_else(|| PanelError::UnknownComponent {
            year,
            key: key.to_string(),
            keys: scheme.components.iter().map(|c| c.key.clone()).collect(),
        })?;
    if c.source != ComponentSource::Panel {
        return Err(PanelError::NotPanel {
            key: c.key.clone(),
            label: c.label.clone(),
            origin: c.source,
        });
    }
    Ok(&c.key)
}

/// The key judges are matched by: width folded, white space removed, brackets full-width
/// ("评委 １" and "评委1" are one judge).
pub fn judge_key(judge: &str) -> String {
    name_key(&fold_width(judge))
}

/// One judge's cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgeCell {
    /// The judge as the sheet names them.
    pub judge: String,
    /// [`judge_key`] of it.
    pub judge_key: String,
    /// The score; `None` when the judge recused (回避).
    pub score: Option<Decimal>,
    /// 0-based grid column of the cell.
    pub col: u32,
}

/// A row of a panel sheet: one unit and its judges' cells (one cell in the long form).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based).
    pub row: u32,
    /// The unit's name as the campaign knows it.
    pub name: String,
    /// The unit's agency id.
    pub agency_id: i64,
    /// The scores and recusals of the row.
    pub cells: Vec<JudgeCell>,
    /// The judges whose cell is blank, with the cell ("H5").
    pub blanks: Vec<(String, String)>,
}

impl Record for PanelRow {
    fn sheet(&self) -> &str {
        &self.sheet
    }
    fn row(&self) -> u32 {
        self.row
    }
    fn name(&self) -> &str {
        &self.name
    }
    /// Rows never repeat as such: a unit may stand on several rows (one per judge in the
    /// long form, one per sheet of judges in the wide form). A judge scoring a unit twice
    /// is found per cell by [`Importer::column_rules`].
    fn identity(&self) -> String {
        format!("{}\u{0}{}", self.sheet, self.row)
    }
    fn repeated(&self, places: &str) -> String {
        format!("同一行重复出现（{places}）")
    }
}

/// What a panel cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelCell {
    /// Nothing: the judge did not score the unit.
    Blank,
    /// 回避.
    Recused,
    /// A score from 0 to 100.
    Score(Decimal),
}

/// Reads a panel cell: a score in any form returns accept, 回避, or blank.
pub fn parse_cell(cell: &Cell) -> Result<PanelCell, String> {
    if cell.is_blank() {
        return Ok(PanelCell::Blank);
    }
    if let Cell::Text(t) = cell {
        if compact(t) == PANEL_RECUSED {
            return Ok(PanelCell::Recused);
        }
    }
    let hint = "（填0–100的分数；评委回避填“回避”；未评分留空）";
    match values::parse_score(cell) {
        Ok(Some(s)) if s.value.scale() > MAX_PLACES => {
            Err(format!("评分最多保留{MAX_PLACES}位小数"))
        }
        Ok(Some(s)) => Ok(PanelCell::Score(s.value.normalize())),
        Ok(None) => Ok(PanelCell::Blank),
        Err(m) => Err(format!("{m}{hint}")),
    }
}

/// Whether a header is the long form's: a 评委 column and a 得分 column.
fn is_long(l: &Layout) -> bool {
    l.column_of(Field::Judge).is_some() && l.column_of(Field::JudgeScore).is_some()
}

/// The layout a detected header stands for.
pub fn layout_of(l: &Layout) -> PanelLayout {
    if is_long(l) {
        PanelLayout::Long
    } else {
        PanelLayout::Wide
    }
}

/// The layout a stored sheet was read in, told from the spread of its scores: only the
/// long form puts several judges' scores in one column (its 得分 column); a wide sheet
/// gives each judge a column of their own. A sheet of a single judge reads the same
/// either way and is called wide.
pub fn stored_layout(judges: usize, columns: usize) -> PanelLayout {
    if judges > columns {
        PanelLayout::Long
    } else {
        PanelLayout::Wide
    }
}

/// Whether a column of a wide header is a judge's.
fn is_judge_column(c: &Column) -> bool {
    match c.field {
        Some(f) => f == Field::Judge,
        None => !is_panel_not_judge(judge_of(&c.header)),
    }
}

/// The judge a wide header names: the lower cell under a merged parent.
fn judge_of(header: &str) -> &str {
    header.rsplit('/').next().unwrap_or(header).trim()
}

/// How good a reading of the header is: it must name the unit, and either hold the long
/// form's columns or at least one judge column.
fn rate(l: &Layout) -> Option<usize> {
    let names_unit = l.column_of(Field::Name).is_some() || l.column_of(Field::Uscc).is_some();
    if !names_unit {
        return None;
    }
    let fields = l.columns.iter().filter(|c| c.field.is_some()).count();
    if is_long(l) {
        // The long form's columns are fields; a wide reading of the same row would see
        // judges in them.
        return Some(10_000 + fields);
    }
    let judges = l.columns.iter().filter(|c| is_judge_column(c)).count();
    (judges > 0).then_some(fields + judges)
}

/// The error at a column of a row.
fn at(
    sheet: &str,
    row: u32,
    col: Option<&Column>,
    value: Option<&Cell>,
    message: impl Into<String>,
) -> RowError {
    RowError {
        sheet: Some(sheet.to_string()),
        row: Some(row),
        column: col.map(Column::letter),
        header: col.map(|c| c.header.clone()),
        value: value
            .map(Cell::display)
            .filter(|v| !v.trim().is_empty())
            .map(|v| quote(&v)),
        message: message.into(),
    }
}

static EMPTY: Cell = Cell::Empty;

impl Panel {
    /// The unit a row names, or the error at its name (or USCC) cell (alone in its list).
    fn unit(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<(i64, String), Vec<RowError>> {
        let name_col = l.column_of(Field::Name);
        let uscc_col = l.column_of(Field::Uscc);
        let cell = |c: Option<&Column>| c.and_then(|c| cell_at(cells, c.col));
        let name = cell(name_col).and_then(values::parse_text);
        let uscc = cell(uscc_col).and_then(values::parse_text);
        match self.units.find(name.as_deref(), uscc.as_deref()) {
            Ok(u) => Ok((u.agency_id, u.name.clone())),
            Err(miss) => {
                let on_uscc = matches!(
                    miss,
                    UnitMiss::UnknownUscc { .. }
                        | UnitMiss::BadUscc { .. }
                        | UnitMiss::Conflict { .. }
                ) || name_col.is_none();
                let col = if on_uscc { uscc_col } else { name_col };
                Err(vec![at(sheet, row, col, cell(col), miss.to_string())])
            }
        }
    }

    /// The error of a judge scoring a unit that a current file has them score already.
    fn stored_twice(&self, agency: i64, unit: &str, judge: &str, key: &str) -> Option<String> {
        let p = self.stored.get(&(agency, key.to_string()))?;
        Some(format!(
            "评委“{judge}”已给“{unit}”评过分（已导入的《{}》工作表“{}”{}），同一评委对同一单位只能评分一次；如需更正，请先撤回原文件",
            p.file, p.sheet, p.cell
        ))
    }

    /// Reads one judge cell into the row, collecting its error.
    fn judge_cell(
        &self,
        out: &mut PanelRow,
        errors: &mut Vec<RowError>,
        judge: String,
        col: &Column,
        cell: &Cell,
        judge_col: Option<&Column>,
    ) {
        let (sheet, row) = (out.sheet.clone(), out.row);
        let place = |message: String, c: &Column| at(&sheet, row, Some(c), Some(cell), message);
        if let Err(m) = check_len(TextKind::Label, &judge) {
            errors.push(at(
                &out.sheet,
                out.row,
                Some(judge_col.unwrap_or(col)),
                None,
                format!("评委{m}"),
            ));
            return;
        }
        let key = judge_key(&judge);
        let score = match parse_cell(cell) {
            Ok(PanelCell::Blank) => {
                out.blanks
                    .push((judge, format!("{}{}", column_letter(col.col), out.row)));
                return;
            }
            Ok(PanelCell::Recused) => None,
            Ok(PanelCell::Score(d)) => Some(d),
            Err(m) => {
                errors.push(place(m, col));
                return;
            }
        };
        if let Some(m) = self.stored_twice(out.agency_id, &out.name, &judge, &key) {
            errors.push(place(m, col));
            return;
        }
        out.cells.push(JudgeCell {
            judge,
            judge_key: key,
            score,
            col: col.col,
        });
    }
}

impl Importer for Panel {
    type Row = PanelRow;

    const KIND: FileKind = FileKind::Panel;
    const AUDIT_ACTION: &'static str = "panel.import";
    const WORDS: Words = Words {
        records: "评委评分",
        same_file: "该评分表",
    };

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    /// The header naming the unit with the most judge columns (wide), or 评委, the unit
    /// and 得分 (long). In the wide form judge columns are marked [`Field::Judge`] and a
    /// 得分 column is ignored.
    fn detect(&self, rows: &[(u32, Vec<(u32, Cell)>)], merges: &[Merge]) -> Option<Layout> {
        let mut l = layout::detect_by(&self.aliases, rows, merges, rate)?;
        if !is_long(&l) {
            for c in &mut l.columns {
                if c.field == Some(Field::JudgeScore) {
                    c.field = None;
                } else if is_judge_column(c) {
                    c.field = Some(Field::Judge);
                }
            }
        }
        Some(l)
    }

    fn check(&self, l: &Layout) -> Result<(), String> {
        let label = |f: Field| f.fixed().map_or_else(String::new, |x| x.label.to_string());
        if l.column_of(Field::Name).is_none() && l.column_of(Field::Uscc).is_none() {
            return Err("缺少必需的列：单位名称（或统一社会信用代码）".to_string());
        }
        let once: &[Field] = if is_long(l) {
            &[Field::Name, Field::Uscc, Field::Judge, Field::JudgeScore]
        } else {
            &[Field::Name, Field::Uscc]
        };
        let only = Layout {
            columns: l
                .columns
                .iter()
                .filter(|c| c.field.is_some_and(|f| once.contains(&f)))
                .cloned()
                .collect(),
            ..l.clone()
        };
        layout::check_columns(&only, &[], label).map_err(|p| p.to_string())?;
        if !is_long(l) && l.column_of(Field::Judge).is_none() {
            return Err(
                "缺少评委列：单位名称右侧应是各评委的评分列（列名为评委姓名或编号）".into(),
            );
        }
        Ok(())
    }

    fn parse_row(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<PanelRow, Vec<RowError>> {
        let (agency_id, name) = self.unit(l, sheet, row, cells)?;
        let mut out = PanelRow {
            sheet: sheet.to_string(),
            row,
            name,
            agency_id,
            cells: Vec::new(),
            blanks: Vec::new(),
        };
        let mut errors = Vec::new();
        let cell = |c: &Column| cell_at(cells, c.col).unwrap_or(&EMPTY);
        if is_long(l) {
            let (Some(judge_col), Some(score_col)) =
                (l.column_of(Field::Judge), l.column_of(Field::JudgeScore))
            else {
                unreachable!("the long form has both columns");
            };
            match values::parse_text(cell(judge_col)).map(|j| agency_name(&j)) {
                None => errors.push(at(sheet, row, Some(judge_col), None, "缺少评委")),
                Some(judge) => self.judge_cell(
                    &mut out,
                    &mut errors,
                    judge,
                    score_col,
                    cell(score_col),
                    Some(judge_col),
                ),
            }
        } else {
            for c in l.columns.iter().filter(|c| c.field == Some(Field::Judge)) {
                let judge = agency_name(judge_of(&c.header));
                self.judge_cell(&mut out, &mut errors, judge, c, cell(c), None);
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn no_header_message(&self) -> &'static str {
        "未找到表头：各工作表前30行中没有含“单位名称”（或“统一社会信用代码”）和评委列的行，也没有含“评委”“单位名称”“得分”三列的行"
    }

    fn group_words(&self) -> Vec<String> {
        self.group_words.clone()
    }

    /// A judge scoring one unit twice in the file is an error at each of the cells (their
    /// rows are left out); blank cells are named in one warning per sheet and judge.
    fn column_rules(&self, a: &mut Analysis<PanelRow>) {
        let mut seen: HashMap<(i64, &str), Vec<(usize, usize)>> = HashMap::new();
        for (i, r) in a.valid.iter().enumerate() {
            for (j, c) in r.cells.iter().enumerate() {
                seen.entry((r.agency_id, c.judge_key.as_str()))
                    .or_default()
                    .push((i, j));
            }
        }
        let mut twice: Vec<&Vec<(usize, usize)>> = seen.values().filter(|v| v.len() > 1).collect();
        twice.sort();
        let mut drop = vec![false; a.valid.len()];
        let mut errors = Vec::new();
        for places in twice {
            let cell_of = |(i, j): (usize, usize)| {
                let r = &a.valid[i];
                format!(
                    "工作表“{}”{}{}",
                    r.sheet,
                    column_letter(r.cells[j].col),
                    r.row
                )
            };
            let all: Vec<String> = places.iter().map(|p| cell_of(*p)).collect();
            for &(i, j) in places {
                let r = &a.valid[i];
                let c = &r.cells[j];
                let header = a
                    .sheets
                    .iter()
                    .find(|(s, _)| *s == r.sheet)
                    .and_then(|(_, l)| l.columns.iter().find(|x| x.col == c.col))
                    .map(|x| x.header.clone());
                errors.push(RowError {
                    sheet: Some(r.sheet.clone()),
                    row: Some(r.row),
                    column: Some(column_letter(c.col)),
                    header,
                    value: Some(c.judge.clone()),
                    message: format!(
                        "评委“{}”对“{}”重复评分（{}），同一评委对同一单位只能评分一次",
                        c.judge,
                        r.name,
                        all.join("、")
                    ),
                });
                drop[i] = true;
            }
        }
        a.errors.extend(errors);
        let mut blanks: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for r in a
            .valid
            .iter()
            .zip(&drop)
            .filter(|(_, d)| !**d)
            .map(|(r, _)| r)
        {
            for (judge, cell) in &r.blanks {
                blanks
                    .entry((r.sheet.clone(), judge.clone()))
                    .or_default()
                    .push(cell.clone());
            }
        }
        for ((sheet, judge), cells) in blanks {
            a.warnings.push(format!(
                "工作表“{sheet}”中评委“{judge}”有{}个空白单元格（{}），视为未评分",
                cells.len(),
                cells.join("、")
            ));
        }
        let mut i = 0;
        a.valid.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
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
        r: &PanelRow,
    ) -> Result<RowOutcome, ImportError> {
        for c in &r.cells {
            // Rows are stored while the file is still being read: a judge's second score
            // for a unit in this file meets the first here, before the whole-file rule
            // refuses both and this transaction is rolled back. Only that case is let
            // pass; a score of another file still meets the unique index.
            let earlier = panel_store::current_file_of(
                tx,
                self.year,
                &self.component,
                r.agency_id,
                &c.judge_key,
            )?;
            if earlier == Some(file.id) {
                continue;
            }
            panel_store::insert(
                tx,
                &panel_store::NewScore {
                    campaign_year: self.year,
                    component: &self.component,
                    file_id: file.id,
                    agency_id: r.agency_id,
                    judge: &c.judge,
                    judge_key: &c.judge_key,
                    score: c.score.map(|d| d.to_string()),
                    sheet: &r.sheet,
                    row: r.row,
                    col: c.col,
                },
            )?;
        }
        Ok(RowOutcome::Created)
    }

    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value {
        json!({
            "campaign": self.year,
            "component": self.component,
            "file": c.file,
            "sha256": c.sha256,
            "file_id": c.file_id,
            "rows": c.rows,
            "imported": c.imported,
            "partial": c.partial,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::returns::CampaignUnit;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn cells_hold_scores_recusals_or_nothing() {
        let cases: Vec<(Cell, Result<PanelCell, &str>)> = vec![
            (text("92.5"), Ok(PanelCell::Score(d("92.5")))),
            (text("92.5分"), Ok(PanelCell::Score(d("92.5")))),
            (text("９２．５"), Ok(PanelCell::Score(d("92.5")))),
            (text(" 90 "), Ok(PanelCell::Score(d("90")))),
            (Cell::Int(100), Ok(PanelCell::Score(d("100")))),
            (Cell::Int(0), Ok(PanelCell::Score(d("0")))),
            (Cell::Float(88.75), Ok(PanelCell::Score(d("88.75")))),
            (
                Cell::Float(28.650000000000002),
                Ok(PanelCell::Score(d("28.65"))),
            ),
            (Cell::Percent(0.925), Ok(PanelCell::Score(d("92.5")))),
            (text("回避"), Ok(PanelCell::Recused)),
            (text(" 回 避 "), Ok(PanelCell::Recused)),
            (Cell::Empty, Ok(PanelCell::Blank)),
            (text("  "), Ok(PanelCell::Blank)),
            (Cell::Int(105), Err("分数应在0–100之间")),
            (text("100.01"), Err("分数应在0–100之间")),
            (text("-1"), Err("分数应在0–100之间")),
            (text("优秀"), Err("不是有效的分数")),
            (text("缺席"), Err("不是有效的分数")),
            (text("90.12345"), Err("最多保留4位小数")),
            (text("0.12345"), Err("评分最多保留4位小数")),
            (Cell::Error("#N/A".into()), Err("错误值")),
        ];
        for (cell, want) in cases {
            match (parse_cell(&cell), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{cell:?}"),
                (Err(got), Err(part)) => {
                    assert!(got.contains(part), "{cell:?}: {got}");
                    if !got.contains("小数") {
                        assert!(got.contains("评委回避填“回避”"), "{cell:?}: {got}");
                    }
                }
                (got, want) => panic!("{cell:?}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn judges_are_matched_by_a_folded_key() {
        assert_eq!(judge_key("评委 １"), judge_key("评委1"));
        assert_eq!(judge_key("张三(组长)"), judge_key("张三（组长）"));
        assert_ne!(judge_key("评委1"), judge_key("评委2"));
        assert_eq!(judge_of("评委评分/评委3"), "评委3");
        assert_eq!(judge_of("张三"), "张三");
    }

    fn panel() -> Panel {
        Panel {
            year: 2026,
            component: "organisation".into(),
            aliases: AliasTable::for_panel(),
            units: CampaignUnits::new(vec![CampaignUnit {
                agency_id: 1,
                name: "甲局".into(),
                uscc: None,
                region: None,
            }]),
            group_words: Vec::new(),
            stored: HashMap::new(),
        }
    }

    fn row(r: u32, texts: &[&str]) -> (u32, Vec<(u32, Cell)>) {
        (
            r,
            texts
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(c, t)| (c as u32, text(t)))
                .collect(),
        )
    }

    /// The header found in these rows: (header row, each column's header and whether it
    /// is a judge's), or `None`.
    /// A header found: its row and each column's header and field.
    type Found = (u32, Vec<(String, Option<Field>)>);

    fn found(rows: &[(u32, Vec<(u32, Cell)>)]) -> Option<Found> {
        let p = panel();
        let l = p.detect(rows, &[])?;
        p.check(&l).unwrap();
        Some((
            l.header_row,
            l.columns
                .iter()
                .map(|c| (c.header.clone(), c.field))
                .collect(),
        ))
    }

    #[test]
    fn the_wide_header_makes_every_other_column_a_judge() {
        let (r, cols) = found(&[
            row(0, &["2026年度组织考评评分表"]),
            row(
                1,
                &[
                    "序号",
                    "单位名称",
                    "评委1",
                    "张三",
                    "得分",
                    "平均分",
                    "备注",
                ],
            ),
            row(2, &["1", "甲局", "90", "91", "90.5", "90.5", ""]),
        ])
        .unwrap();
        assert_eq!(r, 1);
        let judge = Some(Field::Judge);
        assert_eq!(
            cols,
            [
                ("序号".to_string(), None),
                ("单位名称".to_string(), Some(Field::Name)),
                ("评委1".to_string(), judge),
                ("张三".to_string(), judge),
                ("得分".to_string(), None),
                ("平均分".to_string(), None),
                ("备注".to_string(), None),
            ]
        );
    }

    #[test]
    fn the_long_header_has_judge_unit_and_score() {
        let (r, cols) = found(&[
            row(0, &["评委", "单位", "得分", "备注"]),
            row(1, &["评委1", "甲局", "90", ""]),
        ])
        .unwrap();
        assert_eq!(r, 0);
        assert_eq!(
            cols.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
            [
                Some(Field::Judge),
                Some(Field::Name),
                Some(Field::JudgeScore),
                None
            ]
        );
    }

    #[test]
    fn judges_under_a_merged_parent_are_named_by_the_lower_cell() {
        let p = panel();
        let merges = vec![
            Merge {
                start: (0, 0),
                end: (1, 0),
            },
            Merge {
                start: (0, 1),
                end: (0, 3),
            },
        ];
        let mut fill = layout::MergeFill::new(merges);
        let mut rows = vec![
            row(0, &["单位名称", "评委评分", "", "", "平均分"]),
            row(1, &["", "评委1", "评委2", "评委3", ""]),
            row(2, &["甲局", "90", "91", "92", "91"]),
        ];
        for (r, cells) in &mut rows {
            fill.fill(*r, cells);
        }
        let l = p.detect(&rows, fill.regions()).unwrap();
        assert_eq!((l.header_row, l.header_rows), (0, 2));
        let judges: Vec<&str> = l
            .columns
            .iter()
            .filter(|c| c.field == Some(Field::Judge))
            .map(|c| judge_of(&c.header))
            .collect();
        assert_eq!(judges, ["评委1", "评委2", "评委3"]);
    }

    #[test]
    fn no_header_without_a_unit_column_or_a_judge() {
        assert_eq!(found(&[row(0, &["评委1", "评委2"])]), None);
        assert_eq!(found(&[row(0, &["单位名称", "序号", "平均分"])]), None);
        assert_eq!(found(&[row(0, &["2026年度组织考评评分表"])]), None);
    }

    #[test]
    fn a_header_naming_the_unit_twice_is_refused() {
        let p = panel();
        let l = p
            .detect(&[row(0, &["单位名称", "机关名称", "评委1"])], &[])
            .unwrap();
        let e = p.check(&l).unwrap_err();
        assert!(e.contains("A列“单位名称”、B列“机关名称”"), "{e}");
    }
}
