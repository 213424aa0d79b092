//! Finding a sheet's header (one row, or a merged two-row header) and mapping its
//! columns to fields by name, never by position.

use std::collections::BTreeMap;

use super::aliases::{AliasTable, Field};
use super::values::Cell;
use super::workbook::{column_letter, Merge};
use crate::scheme::{MissingPolicy, Scheme};

/// How many rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: u32 = 30;
/// The fewest distinct known fields a header row must name (the name among them).
const MIN_FIELDS: usize = 3;
/// Merged regions beyond this many are ignored (with a warning).
pub const MAX_MERGES: usize = 100_000;

/// One column of the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// 0-based column index.
    pub col: u32,
    /// Header text as shown (parent/child joined with "/").
    pub header: String,
    /// The field it maps to, if known.
    pub field: Option<Field>,
}

impl Column {
    /// The column's letter.
    pub fn letter(&self) -> String {
        column_letter(self.col)
    }
}

/// A sheet's header and column mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// 0-based index of the (first) header row.
    pub header_row: u32,
    /// 1 or 2.
    pub header_rows: u32,
    /// Every non-empty header column, in column order.
    pub columns: Vec<Column>,
}

impl Layout {
    /// 0-based index of the first data row.
    pub fn data_start(&self) -> u32 {
        self.header_row + self.header_rows
    }

    /// The column mapped to a field.
    pub fn column_of(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == Some(field))
    }

    /// Columns with a header that maps to no field.
    pub fn unknown_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.field.is_none())
    }
}

/// Why a sheet with a header cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub enum LayoutProblem {
    /// Required columns are missing (their Chinese names).
    MissingColumns(Vec<String>),
    /// Two columns map to the same field: (field name, the two columns' "X列“header”").
    DuplicateField(String, Vec<String>),
}

impl std::fmt::Display for LayoutProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutProblem::MissingColumns(names) => {
                write!(f, "缺少必需的列：{}", names.join("、"))
            }
            LayoutProblem::DuplicateField(field, cols) => {
                write!(
                    f,
                    "{} 都对应“{field}”，请删除或改名其中一列",
                    cols.join("、")
                )
            }
        }
    }
}

/// Fills merged regions: every cell of a region takes the value of its top-left cell.
#[derive(Debug, Default)]
pub struct MergeFill {
    /// Regions sorted by first row.
    regions: Vec<Merge>,
    /// Index of the next region not yet started.
    next: usize,
    /// Regions covering the current row, with their top-left value once seen.
    active: Vec<(Merge, Option<Cell>)>,
}

impl MergeFill {
    /// Prepares filling for these regions (at most [`MAX_MERGES`]).
    pub fn new(mut regions: Vec<Merge>) -> MergeFill {
        regions.truncate(MAX_MERGES);
        regions.retain(|m| m.start.0 <= m.end.0 && m.start.1 <= m.end.1);
        regions.sort_by_key(|m| (m.start.0, m.start.1));
        MergeFill {
            regions,
            next: 0,
            active: Vec::new(),
        }
    }

    /// Fills row `row` in place. Rows must come in increasing order; blank rows inside
    /// a region may be skipped by the caller, at the cost of not being filled.
    pub fn fill(&mut self, row: u32, cells: &mut Vec<(u32, Cell)>) {
        self.active.retain(|(m, _)| m.end.0 >= row);
        while self.next < self.regions.len() && self.regions[self.next].start.0 <= row {
            let m = self.regions[self.next];
            self.next += 1;
            if m.end.0 >= row {
                self.active.push((m, None));
            }
        }
        if self.active.is_empty() {
            return;
        }
        let mut added = false;
        for (m, value) in &mut self.active {
            if m.start.0 == row {
                *value = cells
                    .iter()
                    .find(|(c, _)| *c == m.start.1)
                    .map(|(_, v)| v.clone());
            }
            let Some(v) = value else { continue };
            for col in m.start.1..=m.end.1 {
                if (row, col) == m.start {
                    continue;
                }
                match cells.iter_mut().find(|(c, _)| *c == col) {
                    Some((_, cell)) if cell.is_blank() => *cell = v.clone(),
                    Some(_) => {}
                    None => {
                        cells.push((col, v.clone()));
                        added = true;
                    }
                }
            }
        }
        if added {
            cells.sort_by_key(|(c, _)| *c);
        }
    }
}

fn header_text(cell: Option<&Cell>) -> String {
    cell.and_then(super::values::parse_text).unwrap_or_default()
}

/// A candidate reading of the header.
struct Candidate {
    layout: Layout,
    fields: usize,
    has_name: bool,
}

fn candidate(
    aliases: &AliasTable,
    r: u32,
    top: &BTreeMap<u32, Cell>,
    below: Option<&BTreeMap<u32, Cell>>,
) -> Candidate {
    let mut cols: Vec<u32> = top.keys().copied().collect();
    if let Some(b) = below {
        cols.extend(b.keys().copied());
        cols.sort_unstable();
        cols.dedup();
    }
    let mut columns = Vec::new();
    for col in cols {
        let parent = header_text(top.get(&col));
        let (header, field) = match below {
            None => (parent.clone(), aliases.lookup(&parent)),
            Some(b) => {
                let child = header_text(b.get(&col));
                if child.is_empty() || child == parent {
                    (parent.clone(), aliases.lookup(&parent))
                } else if parent.is_empty() {
                    (child.clone(), aliases.lookup(&child))
                } else {
                    let joined = format!("{parent}{child}");
                    let field = aliases.lookup(&child).or_else(|| aliases.lookup(&joined));
                    (format!("{parent}/{child}"), field)
                }
            }
        };
        if !header.is_empty() {
            columns.push(Column { col, header, field });
        }
    }
    let mut distinct: Vec<Field> = columns.iter().filter_map(|c| c.field).collect();
    distinct.sort();
    distinct.dedup();
    Candidate {
        has_name: distinct.contains(&Field::Name),
        fields: distinct.len(),
        layout: Layout {
            header_row: r,
            header_rows: if below.is_some() { 2 } else { 1 },
            columns,
        },
    }
}

/// Finds the header among the first rows of a sheet (already merge-filled), or `None`
/// when no row names the agency and at least two other known fields.
pub fn detect(aliases: &AliasTable, rows: &[(u32, Vec<(u32, Cell)>)]) -> Option<Layout> {
    let maps: Vec<(u32, BTreeMap<u32, Cell>)> = rows
        .iter()
        .filter(|(r, _)| *r < HEADER_SEARCH_ROWS)
        .map(|(r, cells)| (*r, cells.iter().cloned().collect()))
        .collect();
    let mut best: Option<Candidate> = None;
    for (i, (r, top)) in maps.iter().enumerate() {
        let below = maps
            .get(i + 1)
            .filter(|(r2, _)| *r2 == r + 1)
            .map(|(_, m)| m);
        let single = candidate(aliases, *r, top, None);
        // A row is the parent of a two-row header only when it names a field itself: a
        // title merged across the top names none.
        let two_rows = below
            .filter(|_| single.fields > 0)
            .map(|b| candidate(aliases, *r, top, Some(b)));
        let options = std::iter::once(single).chain(two_rows);
        for c in options {
            if !c.has_name || c.fields < MIN_FIELDS {
                continue;
            }
            if best.as_ref().is_none_or(|b| c.fields > b.fields) {
                best = Some(c);
            }
        }
    }
    best.map(|c| c.layout)
}

/// Checks that every required column of a return is present and no field has two
/// columns.
pub fn check(layout: &Layout, scheme: &Scheme) -> Result<(), LayoutProblem> {
    let mut required = vec![Field::Name, Field::Tier, Field::UnitType];
    if scheme.missing == MissingPolicy::Ineligible {
        if scheme.daily_share > rust_decimal::Decimal::ZERO {
            required.push(Field::Daily);
        }
        required.extend((0..scheme.components.len()).map(Field::Component));
    }
    check_columns(layout, &required, |f| f.label(scheme))
}

/// Checks that no field has two columns and that every field of `required` has one;
/// `label` names a field in messages.
pub fn check_columns(
    layout: &Layout,
    required: &[Field],
    label: impl Fn(Field) -> String,
) -> Result<(), LayoutProblem> {
    let mut by_field: BTreeMap<Field, Vec<&Column>> = BTreeMap::new();
    for c in &layout.columns {
        if let Some(f) = c.field {
            by_field.entry(f).or_default().push(c);
        }
    }
    if let Some((field, cols)) = by_field.iter().find(|(_, cols)| cols.len() > 1) {
        return Err(LayoutProblem::DuplicateField(
            label(*field),
            cols.iter()
                .map(|c| format!("{}列“{}”", c.letter(), c.header))
                .collect(),
        ));
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|f| !by_field.contains_key(f))
        .map(|f| label(*f))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(LayoutProblem::MissingColumns(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(r: u32, texts: &[&str]) -> (u32, Vec<(u32, Cell)>) {
        (
            r,
            texts
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(c, t)| (c as u32, Cell::Text(t.to_string())))
                .collect(),
        )
    }

    #[test]
    fn finds_a_one_row_header_below_a_title() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        let rows = vec![
            row(0, &["2026年度模范机关申报汇总表"]),
            row(2, &["序号", "单位名称", "层级", "单位类型", "自评"]),
            row(3, &["1", "某局", "市级", "政府机关", "90"]),
        ];
        let l = detect(&a, &rows).unwrap();
        assert_eq!((l.header_row, l.header_rows, l.data_start()), (2, 1, 3));
        assert_eq!(l.column_of(Field::Name).unwrap().col, 1);
        assert_eq!(l.unknown_columns().count(), 1);
    }

    #[test]
    fn joins_a_two_row_header_with_merged_parents() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        // A3:A4, B3:B4 merged vertically; C3:D3 "一票否决事项" merged across.
        let merges = vec![
            Merge {
                start: (2, 0),
                end: (3, 0),
            },
            Merge {
                start: (2, 1),
                end: (3, 1),
            },
            Merge {
                start: (2, 2),
                end: (2, 3),
            },
            Merge {
                start: (2, 4),
                end: (3, 4),
            },
            Merge {
                start: (2, 5),
                end: (3, 5),
            },
        ];
        let mut fill = MergeFill::new(merges);
        let mut rows = vec![
            row(
                2,
                &[
                    "单位名称",
                    "层级",
                    "一票否决事项",
                    "",
                    "单位类型",
                    "日常考核得分",
                ],
            ),
            row(3, &["", "", "其他", "意识形态问题"]),
        ];
        for (r, cells) in &mut rows {
            fill.fill(*r, cells);
        }
        let l = detect(&a, &rows).unwrap();
        assert_eq!((l.header_row, l.header_rows), (2, 2));
        assert_eq!(l.column_of(Field::Veto(1)).unwrap().col, 3);
        assert_eq!(
            l.column_of(Field::Veto(1)).unwrap().header,
            "一票否决事项/意识形态问题"
        );
        assert_eq!(l.column_of(Field::Daily).unwrap().col, 5);
        let unknown: Vec<_> = l.unknown_columns().map(|c| c.header.clone()).collect();
        assert_eq!(unknown, vec!["一票否决事项/其他"]);
    }

    #[test]
    fn a_merged_title_above_a_one_row_header_is_not_a_parent() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        let mut fill = MergeFill::new(vec![Merge {
            start: (0, 0),
            end: (0, 4),
        }]);
        let mut rows = vec![
            row(0, &["2026年度模范机关申报汇总表"]),
            row(1, &["单位名称", "层级", "单位类型", "自评", "互评"]),
            row(2, &["某局", "市级", "政府机关", "90", "91"]),
        ];
        for (r, cells) in &mut rows {
            fill.fill(*r, cells);
        }
        let l = detect(&a, &rows).unwrap();
        assert_eq!((l.header_row, l.header_rows), (1, 1));
    }

    #[test]
    fn no_header_in_a_note_sheet() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        assert_eq!(
            detect(&a, &[row(0, &["请按模板填写，不得修改表头。"])]),
            None
        );
        // The name alone is not enough.
        assert_eq!(detect(&a, &[row(0, &["单位名称", "备注"])]), None);
    }

    #[test]
    fn checks_required_and_duplicate_columns() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        let l = detect(&a, &[row(0, &["单位名称", "层级", "单位类型", "自评"])]).unwrap();
        match check(&l, &s) {
            Err(LayoutProblem::MissingColumns(m)) => {
                assert_eq!(
                    m,
                    vec!["日常考核", "党员互评", "组织考评", "群众测评", "第三方评价"]
                )
            }
            other => panic!("{other:?}"),
        }
        let l = detect(&a, &[row(0, &["单位名称", "机关名称", "层级", "单位类型"])]).unwrap();
        let e = check(&l, &s).unwrap_err();
        assert!(
            e.to_string().contains("A列“单位名称”、B列“机关名称”"),
            "{e}"
        );
    }

    #[test]
    fn merge_fill_carries_values_down_data_rows() {
        let mut fill = MergeFill::new(vec![Merge {
            start: (5, 2),
            end: (7, 2),
        }]);
        let mut r5 = vec![(0, Cell::Text("甲".into())), (2, Cell::Text("市级".into()))];
        let mut r6 = vec![(0, Cell::Text("乙".into()))];
        let mut r8 = vec![(0, Cell::Text("丙".into()))];
        fill.fill(5, &mut r5);
        fill.fill(6, &mut r6);
        fill.fill(8, &mut r8);
        assert_eq!(r6[1], (2, Cell::Text("市级".into())));
        assert_eq!(r8.len(), 1);
    }
}
