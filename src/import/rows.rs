//! Turning one data row into a return, or into errors that name the place.

use rust_decimal::Decimal;
use serde::Serialize;

use super::aliases::{builtin_tier_words, Field};
use super::layout::{Column, Layout};
use super::skipped::{self, GroupWords};
use super::values::{self, compact_starts_with, Cell, Score};
use crate::limits::{quote, TextKind};
use crate::normalize::{agency_name, key_of_name};
use crate::scheme::{ComponentSource, Scheme, Tier};

/// A problem with one cell or row, naming its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowError {
    /// Sheet name.
    pub sheet: Option<String>,
    /// Excel row number (1-based).
    pub row: Option<u32>,
    /// Column letter.
    pub column: Option<String>,
    /// Header text of the column.
    pub header: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl RowError {
    /// A problem of the whole file or sheet.
    pub fn general(sheet: Option<&str>, message: impl Into<String>) -> RowError {
        RowError {
            sheet: sheet.map(str::to_string),
            row: None,
            column: None,
            header: None,
            value: None,
            message: message.into(),
        }
    }

    /// The place and problem as one Chinese sentence (without the file name).
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!("工作表“{sheet}”"));
        }
        if let Some(r) = self.row {
            s.push_str(&format!("第{r}行"));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(" {c}列"));
            if let Some(h) = &self.header {
                s.push_str(&format!("（{h}）"));
            }
        }
        if let Some(v) = &self.value {
            s.push_str(&format!(" 值“{v}”"));
        }
        if !s.is_empty() {
            s.push('：');
        }
        s.push_str(&self.message);
        s
    }
}

/// A return read from a row, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReturn {
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based).
    pub row: u32,
    /// Normalised name.
    pub name: String,
    /// Name matching key.
    pub name_key: String,
    /// Validated USCC.
    pub uscc: Option<String>,
    /// 省直, 市级 or 县级, read from the tier column's words or the scheme's `[tier_aliases]`.
    pub tier: Tier,
    /// Region (None for province).
    pub region: Option<String>,
    /// Canonical unit type.
    pub unit_type: String,
    /// Daily score as read (before the column rules: fraction scaling and mixed
    /// columns).
    pub daily: Option<Score>,
    /// Component scores in scheme order, as read.
    pub components: Vec<Option<Score>>,
    /// Veto flags in scheme order.
    pub vetoes: Vec<bool>,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
}

impl ParsedReturn {
    /// The key that decides whether two rows are the same agency.
    pub fn identity(&self) -> String {
        match &self.uscc {
            Some(u) => format!("uscc:{u}"),
            None => format!(
                "name:{}|{}",
                self.name_key,
                self.region.as_deref().unwrap_or("")
            ),
        }
    }
}

/// What kind of row this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    /// No value in any mapped column.
    Blank,
    /// 合计 / 总计 / 小计.
    Total,
    /// 填表说明, 填报人, 注 and the like.
    Note,
    /// The header repeated (e.g. on every printed page).
    RepeatedHeader,
    /// A section heading ("一、党群机关"), with its text.
    Section(String),
    /// The template's example row, with what marks it ("序号“示例”").
    Example(String),
    /// A 栏次 row of column labels, with its first labels ("甲 乙 1 2 3").
    ColumnNumbers(String),
    /// A return.
    Data,
}

/// What [`classify`] knows of a sheet beyond the row itself.
#[derive(Debug, Clone, Default)]
pub struct RowRules {
    /// The header keys of the layout's columns, as [`header_keys`] gives them.
    header_keys: Vec<String>,
    /// Words that alone name a group of units (tiers, unit types).
    groups: GroupWords,
}

impl RowRules {
    /// The rules of a sheet with this header; `group_words` are the tier words and unit
    /// types the importer knows.
    pub fn new<'a>(layout: &Layout, group_words: impl IntoIterator<Item = &'a str>) -> RowRules {
        RowRules {
            header_keys: header_keys(layout),
            groups: GroupWords::new(group_words),
        }
    }
}

const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "累计", "平均"];
const NOTE_WORDS: &[&str] = &[
    "填表说明",
    "说明",
    "注：",
    "注:",
    "注1",
    "备注：",
    "备注:",
    "填报人",
    "填表人",
    "联系人",
    "联系电话",
    "审核人",
    "制表人",
    "制表",
    "负责人",
    "单位负责人",
    "填报日期",
    "填表日期",
    // 填报单位（盖章）, 填报单位：××局 — the signature line under the table.
    "填报单位",
];

/// The cell at a column of a row whose cells are sorted by column.
pub fn cell_at(cells: &[(u32, Cell)], col: u32) -> Option<&Cell> {
    cells
        .binary_search_by_key(&col, |(c, _)| *c)
        .ok()
        .map(|i| &cells[i].1)
}

/// Classifies a row by its cells (sorted by column, spanning columns joined).
pub fn classify(layout: &Layout, cells: &[(u32, Cell)], rules: &RowRules) -> RowKind {
    let any_mapped = layout
        .columns
        .iter()
        .filter(|c| c.field.is_some())
        .any(|c| cell_at(cells, c.col).is_some_and(|v| !v.is_blank()));
    // A heading in a column no field reads (序号) is reported like any other heading,
    // although the row would be skipped as blank anyway.
    let section = skipped::section_heading(layout, cells, &rules.groups);
    if !any_mapped {
        return section.map_or(RowKind::Blank, RowKind::Section);
    }
    // The first cell's and the name's text, compared compacted (width folded, spaces
    // taken out) without being copied: a number cell starts with no word.
    fn text_of(v: &Cell) -> Option<&str> {
        match v {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }
    let first = cells
        .iter()
        .find(|(_, v)| !v.is_blank())
        .and_then(|(_, v)| text_of(v));
    let name = layout
        .column_of(Field::Name)
        .and_then(|c| cell_at(cells, c.col))
        .and_then(text_of);
    let starts = |words: &[&str]| {
        words.iter().any(|w| {
            [first, name]
                .into_iter()
                .flatten()
                .any(|t| compact_starts_with(t, w))
        })
    };
    if starts(TOTAL_WORDS) {
        return RowKind::Total;
    }
    if starts(NOTE_WORDS) {
        return RowKind::Note;
    }
    if let Some(text) = section {
        return RowKind::Section(text);
    }
    if let Some(marks) = skipped::column_numbers(cells) {
        return RowKind::ColumnNumbers(marks);
    }
    if let Some(mark) = skipped::example_mark(layout, cells) {
        return RowKind::Example(mark);
    }
    // The header repeated (e.g. on every printed page): the name and tier cells read
    // as their own column headers.
    let repeats = |field: Field| {
        layout
            .columns
            .iter()
            .zip(&rules.header_keys)
            .find(|(c, _)| c.field == Some(field))
            .and_then(|(c, key)| Some((cell_at(cells, c.col)?, key)))
            .is_some_and(|(v, key)| crate::normalize::header_key(&v.display()) == *key)
    };
    // The tier first: its cell is a word or two, and on a data row it is never its own
    // header, so the name's longer key is seldom computed.
    if repeats(Field::Tier) && repeats(Field::Name) {
        return RowKind::RepeatedHeader;
    }
    RowKind::Data
}

/// A layout's columns for the fields of a return, found in one pass over its columns: a
/// row reads a dozen fields and more, and [`Layout::column_of`] scans every column for
/// each (a fiftieth of a whole import's instructions went to those scans). As `column_of`,
/// the first column of a field is its column.
struct ReturnColumns<'l> {
    /// Name, USCC, tier, region, unit type, complaints, problems total and fixed, daily.
    fixed: [Option<&'l Column>; 9],
    components: Vec<Option<&'l Column>>,
    vetoes: Vec<Option<&'l Column>>,
}

impl<'l> ReturnColumns<'l> {
    fn new(scheme: &Scheme, layout: &'l Layout) -> ReturnColumns<'l> {
        let mut cols = ReturnColumns {
            fixed: [None; 9],
            components: vec![None; scheme.components.len()],
            vetoes: vec![None; scheme.vetoes.len()],
        };
        for c in &layout.columns {
            if let Some(slot) = c.field.and_then(|f| cols.slot(f)) {
                slot.get_or_insert(c);
            }
        }
        cols
    }

    /// The place of a field that is not a component or a veto in `fixed`.
    fn fixed_index(field: Field) -> Option<usize> {
        Some(match field {
            Field::Name => 0,
            Field::Uscc => 1,
            Field::Tier => 2,
            Field::Region => 3,
            Field::UnitType => 4,
            Field::Complaints => 5,
            Field::ProblemsTotal => 6,
            Field::ProblemsFixed => 7,
            Field::Daily => 8,
            _ => return None,
        })
    }

    fn slot(&mut self, field: Field) -> Option<&mut Option<&'l Column>> {
        match field {
            Field::Component(i) => self.components.get_mut(i),
            Field::Veto(i) => self.vetoes.get_mut(i),
            f => Self::fixed_index(f).map(|i| &mut self.fixed[i]),
        }
    }

    /// The column of `field`, as [`Layout::column_of`] finds it.
    fn of(&self, field: Field) -> Option<&'l Column> {
        match field {
            Field::Component(i) => self.components.get(i).copied().flatten(),
            Field::Veto(i) => self.vetoes.get(i).copied().flatten(),
            f => Self::fixed_index(f).and_then(|i| self.fixed[i]),
        }
    }
}

/// Parses a data row (`row` is 1-based), collecting every problem.
pub fn parse_row(
    scheme: &Scheme,
    layout: &Layout,
    sheet: &str,
    row: u32,
    cells: &[(u32, Cell)],
) -> Result<ParsedReturn, Vec<RowError>> {
    let mut errors = Vec::new();
    let columns = ReturnColumns::new(scheme, layout);
    let empty = Cell::Empty;
    let cell_of = |col: &Column| -> &Cell { cell_at(cells, col.col).unwrap_or(&empty) };
    let err = |col: Option<&Column>, value: Option<&Cell>, message: String| RowError {
        sheet: Some(sheet.to_string()),
        row: Some(row),
        column: col.map(Column::letter),
        header: col.map(|c| c.header.clone()),
        value: value
            .map(Cell::display)
            .filter(|v| !v.is_empty())
            .map(|v| quote(&v)),
        message,
    };
    // Reads one field through `parse`, recording an error at its cell.
    macro_rules! field {
        ($field:expr, $parse:expr) => {{
            match columns.of($field) {
                None => None,
                Some(col) => {
                    let cell = cell_of(col);
                    match $parse(cell) {
                        Ok(v) => v,
                        Err(m) => {
                            errors.push(err(Some(col), Some(cell), m));
                            None
                        }
                    }
                }
            }
        }};
    }

    let name_col = columns.of(Field::Name);
    let before = errors.len();
    let name = field!(Field::Name, |c: &Cell| values::parse_bounded_text(
        c,
        TextKind::Name
    )
    .map(|t| t.map(|t| agency_name(&t))));
    // A name refused (too long) has its own error; only an absent one is missing.
    if name.is_none() && errors.len() == before {
        errors.push(err(name_col, None, "缺少单位名称".into()));
    }

    let uscc = field!(Field::Uscc, values::parse_uscc);

    let tier_col = columns.of(Field::Tier);
    let tier = field!(Field::Tier, |c: &Cell| match values::parse_text(c) {
        None => Err("缺少层级（省直、市级或县级）".to_string()),
        Some(t) => scheme
            .tier_of(&t)
            .map(Some)
            .ok_or_else(|| "无法识别的层级，请填省直、市级或县级".to_string()),
    });
    if tier_col.is_none() {
        errors.push(err(None, None, "缺少层级".into()));
    }

    let unit_type = field!(Field::UnitType, |c: &Cell| match values::parse_text(c) {
        None => Err("缺少单位类型".to_string()),
        Some(t) => scheme
            .canonical_unit_type(&t)
            .map(|u| Some(u.to_string()))
            .ok_or_else(|| format!(
                "单位类型不在评选方案中（可填：{}）",
                scheme.unit_types.join("、")
            )),
    });

    let region_col = columns.of(Field::Region);
    let before = errors.len();
    let region = field!(Field::Region, |c: &Cell| values::parse_bounded_text(
        c,
        TextKind::Region
    ));
    let region_refused = errors.len() > before;
    let region = match tier {
        Some(Tier::Province) => None,
        Some(t) if region.is_none() && !region_refused => {
            errors.push(err(
                region_col,
                None,
                format!("{}单位须填写所属地区", t.label()),
            ));
            None
        }
        _ => region,
    };

    let daily = field!(Field::Daily, values::parse_score);
    // A computed component's column is not read at all (the importer warns once per file
    // that it is present), so whatever it holds is neither an error nor a stored score.
    let components: Vec<Option<Score>> = scheme
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| match c.source {
            ComponentSource::Return => field!(Field::Component(i), values::parse_score),
            ComponentSource::Ballots | ComponentSource::Panel => None,
        })
        .collect();
    let vetoes: Vec<bool> = (0..scheme.vetoes.len())
        .map(|i| {
            field!(Field::Veto(i), |c: &Cell| values::parse_flag(c).map(Some)).unwrap_or(false)
        })
        .collect();
    let complaints = field!(Field::Complaints, values::parse_count);
    let problems_total = field!(Field::ProblemsTotal, values::parse_count);
    let problems_fixed = field!(Field::ProblemsFixed, values::parse_count);
    if let (Some(total), Some(fixed)) = (problems_total, problems_fixed) {
        if fixed > total {
            let col = columns.of(Field::ProblemsFixed);
            errors.push(err(
                col,
                col.map(cell_of),
                format!("已整改数（{fixed}）大于问题清单数（{total}）"),
            ));
        }
    }

    match (name, tier, unit_type) {
        (Some(name), Some(tier), Some(unit_type)) if errors.is_empty() => Ok(ParsedReturn {
            sheet: sheet.to_string(),
            row,
            name_key: key_of_name(&name),
            name,
            uscc,
            tier,
            region,
            unit_type,
            daily,
            components,
            vetoes,
            complaints,
            problems_total,
            problems_fixed,
        }),
        _ => Err(errors),
    }
}

/// The tier words (built-in and the schemes' `[tier_aliases]`) and unit types (with
/// their aliases) of these schemes: alone in a row, each heads a group of units.
pub fn group_words(schemes: &[Scheme]) -> Vec<String> {
    let mut words: Vec<String> = builtin_tier_words().map(|(_, w)| w.to_string()).collect();
    for s in schemes {
        words.extend(s.tier_aliases.values().flatten().cloned());
        words.extend(s.unit_types.iter().cloned());
        words.extend(s.unit_type_aliases.keys().cloned());
    }
    words
}

/// The header keys of a layout, for spotting repeated header rows.
pub fn header_keys(layout: &Layout) -> Vec<String> {
    layout
        .columns
        .iter()
        .map(|c| {
            let last = c.header.rsplit('/').next().unwrap_or(&c.header);
            crate::normalize::header_key(last)
        })
        .collect()
}

/// Whether a decimal column holds fractions — all its values lie in [0, 1] and one is
/// not whole — told the column's values one at a time, so that one walk over a file's
/// rows can judge all its columns at once.
#[derive(Debug, Clone, Copy)]
pub struct FractionColumn {
    any: bool,
    in_unit: bool,
    non_integer: bool,
}

impl Default for FractionColumn {
    fn default() -> Self {
        FractionColumn {
            any: false,
            in_unit: true,
            non_integer: false,
        }
    }
}

impl FractionColumn {
    /// Takes the column's next value.
    pub fn see(&mut self, v: &Decimal) {
        self.any = true;
        if *v < Decimal::ZERO || *v > Decimal::ONE {
            self.in_unit = false;
        } else if !v.fract().is_zero() {
            self.non_integer = true;
        }
    }

    /// Whether the values seen make a column of fractions.
    pub fn holds_fractions(&self) -> bool {
        self.any && self.in_unit && self.non_integer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn is_fraction_column<'a>(values: impl Iterator<Item = &'a Decimal>) -> bool {
        let mut column = FractionColumn::default();
        values.for_each(|v| column.see(v));
        column.holds_fractions()
    }

    #[test]
    fn fraction_columns() {
        assert!(is_fraction_column([d("0.932"), d("0.89"), d("1")].iter()));
        assert!(!is_fraction_column([d("0"), d("1")].iter()));
        assert!(!is_fraction_column([d("0.93"), d("95")].iter()));
        assert!(!is_fraction_column([].iter()));
    }

    /// The one-pass look-up finds for every field the column `Layout::column_of` finds —
    /// the first of a field written twice, none for a field the scheme does not have
    /// (a veto or component index past its end) or a return does not hold (an awards
    /// registry's year).
    #[test]
    fn return_columns_are_what_column_of_finds() {
        let scheme = Scheme::default_scheme();
        let fields = [
            Some(Field::Tier),
            Some(Field::Name),
            None,
            Some(Field::Component(1)),
            Some(Field::Name),
            Some(Field::Veto(0)),
            Some(Field::Veto(scheme.vetoes.len())),
            Some(Field::Component(scheme.components.len())),
            Some(Field::Year),
            Some(Field::Daily),
            Some(Field::Component(1)),
            Some(Field::ProblemsFixed),
        ];
        let layout = Layout {
            header_row: 0,
            header_rows: 1,
            columns: fields
                .iter()
                .enumerate()
                .map(|(i, f)| Column::new(i as u32, format!("列{i}"), *f))
                .collect(),
        };
        let columns = ReturnColumns::new(&scheme, &layout);
        let mut asked = vec![
            Field::Name,
            Field::Uscc,
            Field::Tier,
            Field::Region,
            Field::UnitType,
            Field::Complaints,
            Field::ProblemsTotal,
            Field::ProblemsFixed,
            Field::Daily,
            Field::Year,
        ];
        asked.extend((0..=scheme.components.len()).map(Field::Component));
        asked.extend((0..=scheme.vetoes.len()).map(Field::Veto));
        for f in asked {
            let found = columns.of(f).map(|c| c.col);
            let expected = match f {
                // Past the scheme's end, or not a return's field: never read from a row.
                Field::Component(i) if i >= scheme.components.len() => None,
                Field::Veto(i) if i >= scheme.vetoes.len() => None,
                Field::Year => None,
                _ => layout.column_of(f).map(|c| c.col),
            };
            assert_eq!(found, expected, "{f:?}");
        }
        assert_eq!(columns.of(Field::Name).map(|c| c.col), Some(1));
        assert_eq!(columns.of(Field::Component(1)).map(|c| c.col), Some(3));
    }
}
