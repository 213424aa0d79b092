//! Finding a sheet's header (one row, or a merged two-row header) and mapping its
//! columns to fields by name, never by position.

use std::collections::BTreeMap;

use super::aliases::{AliasTable, Field};
use super::values::Cell;
use super::workbook::{column_letter, Merge};
use crate::scheme::{ComponentSource, MissingPolicy, Scheme};

/// How many rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: u32 = 30;
/// The fewest distinct known fields a header row must name (the name among them).
const MIN_FIELDS: usize = 3;
/// Merged regions beyond this many are ignored (with a warning).
pub const MAX_MERGES: usize = 100_000;

/// The most columns a merged region is filled across. A return is a few dozen columns
/// wide; a title merged across A1:XFD1 (16,384 columns) would otherwise copy its value
/// into every column of every row it covers.
pub const MAX_MERGE_COLS: u32 = 256;

/// One column of the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// 0-based column index (of the first grid column when it spans several).
    pub col: u32,
    /// The last grid column it spans: `col` unless its header cell is merged across
    /// several grid columns (单位名称 over B:C in a form laid out for print).
    pub last_col: u32,
    /// Header text as shown (parent/child joined with "/").
    pub header: String,
    /// The field it maps to, if known.
    pub field: Option<Field>,
}

impl Column {
    /// A column one grid column wide.
    pub fn new(col: u32, header: String, field: Option<Field>) -> Column {
        Column {
            col,
            last_col: col,
            header,
            field,
        }
    }

    /// The column's letter (its first grid column's, where its value is read).
    pub fn letter(&self) -> String {
        column_letter(self.col)
    }

    /// Its grid columns as the clerk sees them: "B", or "B:C" when it spans two.
    pub fn letters(&self) -> String {
        if self.last_col > self.col {
            format!(
                "{}:{}",
                column_letter(self.col),
                column_letter(self.last_col)
            )
        } else {
            self.letter()
        }
    }
}

/// Two different values inside one column that spans several grid columns (B5 and C5
/// under a 单位名称 merged across B:C): which one the clerk means cannot be known.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanConflict {
    /// Index of the column in [`Layout::columns`].
    pub column: usize,
    /// The grid column and value read.
    pub first: (u32, Cell),
    /// The grid column and value that differs from it.
    pub other: (u32, Cell),
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

    /// Reads a data row's spanning columns as one cell each (cells sorted by column):
    /// the first non-blank grid cell of the span is the column's value, moved to its first
    /// grid column; the other grid cells are dropped when blank or equal to it (a data
    /// cell merged across the span, filled by [`MergeFill`]) and reported when they hold
    /// another value.
    pub fn join_spans(&self, cells: &mut Vec<(u32, Cell)>) -> Vec<SpanConflict> {
        let mut conflicts = Vec::new();
        for (i, c) in self.columns.iter().enumerate() {
            if c.last_col == c.col {
                continue;
            }
            let from = cells.partition_point(|(col, _)| *col < c.col);
            let to = cells.partition_point(|(col, _)| *col <= c.last_col);
            let mut first: Option<(u32, Cell)> = None;
            for (col, v) in &cells[from..to] {
                if v.is_blank() {
                    continue;
                }
                match &first {
                    None => first = Some((*col, v.clone())),
                    Some((_, f)) if f.display().trim() == v.display().trim() => {}
                    Some(f) => {
                        // One conflict per column is enough to point the clerk at it.
                        if !conflicts.iter().any(|x: &SpanConflict| x.column == i) {
                            conflicts.push(SpanConflict {
                                column: i,
                                first: f.clone(),
                                other: (*col, v.clone()),
                            });
                        }
                    }
                }
            }
            let keep = first.map(|(_, v)| (c.col, v));
            cells.splice(from..to, keep);
        }
        conflicts
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

/// The first region wider than [`MAX_MERGE_COLS`] columns, which [`MergeFill`] fills
/// across its first columns only.
pub fn too_wide(regions: &[Merge]) -> Option<&Merge> {
    regions
        .iter()
        .find(|m| m.end.1.saturating_sub(m.start.1) >= MAX_MERGE_COLS)
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
    /// Prepares filling for these regions (at most [`MAX_MERGES`], each filled across
    /// at most its first [`MAX_MERGE_COLS`] columns: see [`too_wide`]).
    pub fn new(mut regions: Vec<Merge>) -> MergeFill {
        regions.truncate(MAX_MERGES);
        regions.retain(|m| m.start.0 <= m.end.0 && m.start.1 <= m.end.1);
        for m in &mut regions {
            m.end.1 = m.end.1.min(m.start.1.saturating_add(MAX_MERGE_COLS - 1));
        }
        regions.sort_by_key(|m| (m.start.0, m.start.1));
        MergeFill {
            regions,
            next: 0,
            active: Vec::new(),
        }
    }

    /// The merged regions, sorted by first row.
    pub fn regions(&self) -> &[Merge] {
        &self.regions
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
    /// Distinct known fields its columns name.
    fields: usize,
}

/// Folds the grid columns of a horizontally merged header cell into its first column
/// when the merge is a column's own header: it reaches the header's last row (a one-row
/// header, a cell merged down both rows, a child merged across), or nothing stands under
/// it in the second row. A parent over children (年度考核得分 across H:L over 自评, 互评,
/// …) is not folded: each child is a column of its own.
fn fold_merged_headers(
    columns: &mut Vec<Column>,
    merges: &[Merge],
    r: u32,
    below: Option<&BTreeMap<u32, Cell>>,
) {
    let last_row = if below.is_some() { r + 1 } else { r };
    let mut folded = false;
    for m in merges {
        let (first, last) = (m.start.1, m.end.1);
        if first >= last || m.start.0 > last_row || m.end.0 < r {
            continue;
        }
        let own = m.end.0 >= last_row
            || below.is_none_or(|b| b.range(first..=last).all(|(_, v)| v.is_blank()));
        if !own {
            continue;
        }
        if let Some(c) = columns.iter_mut().find(|c| c.col == first) {
            c.last_col = c.last_col.max(last);
            folded = true;
        }
    }
    if folded {
        let spans: Vec<(u32, u32)> = columns
            .iter()
            .filter(|c| c.last_col > c.col)
            .map(|c| (c.col, c.last_col))
            .collect();
        columns.retain(|c| !spans.iter().any(|(f, l)| c.col > *f && c.col <= *l));
    }
}

fn candidate(
    aliases: &AliasTable,
    r: u32,
    top: &BTreeMap<u32, Cell>,
    below: Option<&BTreeMap<u32, Cell>>,
    merges: &[Merge],
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
            columns.push(Column::new(col, header, field));
        }
    }
    fold_merged_headers(&mut columns, merges, r, below);
    let mut distinct: Vec<Field> = columns.iter().filter_map(|c| c.field).collect();
    distinct.sort();
    distinct.dedup();
    Candidate {
        fields: distinct.len(),
        layout: Layout {
            header_row: r,
            header_rows: if below.is_some() { 2 } else { 1 },
            columns,
        },
    }
}

/// Finds the header among the first rows of a sheet (already merge-filled, `merges`
/// being the sheet's merged regions), or `None` when no row names the agency and at
/// least two other known fields.
pub fn detect(
    aliases: &AliasTable,
    rows: &[(u32, Vec<(u32, Cell)>)],
    merges: &[Merge],
) -> Option<Layout> {
    detect_by(aliases, rows, merges, |l| {
        let mut distinct: Vec<Field> = l.columns.iter().filter_map(|c| c.field).collect();
        distinct.sort();
        distinct.dedup();
        (distinct.contains(&Field::Name) && distinct.len() >= MIN_FIELDS).then_some(distinct.len())
    })
}

/// Finds the header among the first rows of a sheet as [`detect`] does, every reading
/// (one row, or a row and the one below it) rated by `rate`: `None` when it is no header,
/// else a rating, the highest reading winning (the first among equals). For sheets whose
/// header names few known fields, such as a panel's with a column per judge.
pub fn detect_by(
    aliases: &AliasTable,
    rows: &[(u32, Vec<(u32, Cell)>)],
    merges: &[Merge],
    rate: impl Fn(&Layout) -> Option<usize>,
) -> Option<Layout> {
    // Only merges across columns that reach into the rows searched can shape a header.
    let merges: Vec<Merge> = merges
        .iter()
        .filter(|m| m.start.1 < m.end.1 && m.start.0 <= HEADER_SEARCH_ROWS)
        .copied()
        .collect();
    let maps: Vec<(u32, BTreeMap<u32, Cell>)> = rows
        .iter()
        .filter(|(r, _)| *r < HEADER_SEARCH_ROWS)
        .map(|(r, cells)| (*r, cells.iter().cloned().collect()))
        .collect();
    let mut best: Option<(usize, Layout)> = None;
    for (i, (r, top)) in maps.iter().enumerate() {
        let below = maps
            .get(i + 1)
            .filter(|(r2, _)| *r2 == r + 1)
            .map(|(_, m)| m);
        let single = candidate(aliases, *r, top, None, &merges);
        // A row is the parent of a two-row header only when it names a field itself: a
        // title merged across the top names none.
        let two_rows = below
            .filter(|_| single.fields > 0)
            .map(|b| candidate(aliases, *r, top, Some(b), &merges));
        let options = std::iter::once(single).chain(two_rows);
        for c in options {
            let Some(rating) = rate(&c.layout) else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| rating > *b) {
                best = Some((rating, c.layout));
            }
        }
    }
    best.map(|(_, l)| l)
}

/// Every reading of the first rows of a sheet as a header, as [`detect`] weighs them:
/// each row alone, and each row naming a field with the row below it as a two-row
/// header, in row order (merge-filled rows, `merges` the sheet's merged regions). For an
/// importer that decides among them by rules of its own (ballots, docs/specification.md
/// §8).
pub fn readings(
    aliases: &AliasTable,
    rows: &[(u32, Vec<(u32, Cell)>)],
    merges: &[Merge],
) -> Vec<Layout> {
    let merges: Vec<Merge> = merges
        .iter()
        .filter(|m| m.start.1 < m.end.1 && m.start.0 <= HEADER_SEARCH_ROWS)
        .copied()
        .collect();
    let maps: Vec<(u32, BTreeMap<u32, Cell>)> = rows
        .iter()
        .filter(|(r, _)| *r < HEADER_SEARCH_ROWS)
        .map(|(r, cells)| (*r, cells.iter().cloned().collect()))
        .collect();
    let mut out = Vec::new();
    for (i, (r, top)) in maps.iter().enumerate() {
        let below = maps
            .get(i + 1)
            .filter(|(r2, _)| *r2 == r + 1)
            .map(|(_, m)| m);
        let single = candidate(aliases, *r, top, None, &merges);
        let two_rows = below
            .filter(|_| single.fields > 0)
            .map(|b| candidate(aliases, *r, top, Some(b), &merges));
        out.push(single.layout);
        out.extend(two_rows.map(|c| c.layout));
    }
    out
}

/// Checks that every required column of a return is present and no field has two
/// columns. A computed component's column is never required: its score does not come from
/// the return.
pub fn check(layout: &Layout, scheme: &Scheme) -> Result<(), LayoutProblem> {
    let mut required = vec![Field::Name, Field::Tier, Field::UnitType];
    if scheme.missing == MissingPolicy::Ineligible {
        if scheme.daily_share > rust_decimal::Decimal::ZERO {
            required.push(Field::Daily);
        }
        required.extend(
            scheme
                .components
                .iter()
                .enumerate()
                .filter(|(_, c)| c.source == ComponentSource::Return)
                .map(|(i, _)| Field::Component(i)),
        );
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
                .map(|c| format!("{}列“{}”", c.letters(), c.header))
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
        let l = detect(&a, &rows, &[]).unwrap();
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
        let l = detect(&a, &rows, fill.regions()).unwrap();
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
        let l = detect(&a, &rows, fill.regions()).unwrap();
        assert_eq!((l.header_row, l.header_rows), (1, 1));
    }

    #[test]
    fn no_header_in_a_note_sheet() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        assert_eq!(
            detect(&a, &[row(0, &["请按模板填写，不得修改表头。"])], &[]),
            None
        );
        // The name alone is not enough.
        assert_eq!(detect(&a, &[row(0, &["单位名称", "备注"])], &[]), None);
    }

    #[test]
    fn checks_required_and_duplicate_columns() {
        let s = Scheme::default_scheme();
        let a = AliasTable::new(&s);
        let l = detect(
            &a,
            &[row(0, &["单位名称", "层级", "单位类型", "自评"])],
            &[],
        )
        .unwrap();
        match check(&l, &s) {
            Err(LayoutProblem::MissingColumns(m)) => {
                assert_eq!(
                    m,
                    vec!["日常考核", "党员互评", "组织考评", "群众测评", "第三方评价"]
                )
            }
            other => panic!("{other:?}"),
        }
        let l = detect(
            &a,
            &[row(0, &["单位名称", "机关名称", "层级", "单位类型"])],
            &[],
        )
        .unwrap();
        let e = check(&l, &s).unwrap_err();
        assert!(
            e.to_string().contains("A列“单位名称”、B列“机关名称”"),
            "{e}"
        );
    }

    fn merge(r0: u32, c0: u32, r1: u32, c1: u32) -> Merge {
        Merge {
            start: (r0, c0),
            end: (r1, c1),
        }
    }

    /// Detects the header of merge-filled rows.
    fn detect_merged(rows: Vec<(u32, Vec<(u32, Cell)>)>, merges: Vec<Merge>) -> Option<Layout> {
        let s = Scheme::default_scheme();
        let mut fill = MergeFill::new(merges);
        let mut rows = rows;
        for (r, cells) in &mut rows {
            fill.fill(*r, cells);
        }
        detect(&AliasTable::new(&s), &rows, fill.regions())
    }

    fn spans(l: &Layout) -> Vec<(String, String)> {
        l.columns
            .iter()
            .map(|c| (c.letters(), c.header.clone()))
            .collect()
    }

    #[test]
    fn a_header_merged_across_two_grid_columns_is_one_column() {
        // 单位名称 over B1:C1, 单位类型 over E1:F1.
        let l = detect_merged(
            vec![
                row(0, &["序号", "单位名称", "", "层级", "单位类型", "", "自评"]),
                row(1, &["1", "某局", "", "市级", "政府机关", "", "90"]),
            ],
            vec![merge(0, 1, 0, 2), merge(0, 4, 0, 5)],
        )
        .unwrap();
        assert_eq!(
            spans(&l),
            [
                ("A".into(), "序号".into()),
                ("B:C".into(), "单位名称".into()),
                ("D".into(), "层级".into()),
                ("E:F".into(), "单位类型".into()),
                ("G".into(), "自评".into()),
            ]
        );
        assert_eq!(l.column_of(Field::Name).unwrap().col, 1);
        assert!(check_columns(&l, &[Field::Name, Field::UnitType], |_| String::new()).is_ok());
    }

    #[test]
    fn merged_headers_in_a_two_row_header() {
        // 单位名称 merged down and across B1:C2; 年度考核得分 across D1:E1 over 自评 and
        // 互评 (a parent, not folded); 层级 across F1:G1 with nothing under it (folded);
        // 单位类型 in H1 over a child merged across H2:I2 (folded).
        let l = detect_merged(
            vec![
                row(
                    0,
                    &[
                        "序号",
                        "单位名称",
                        "",
                        "年度考核得分",
                        "",
                        "层级",
                        "",
                        "单位类型",
                    ],
                ),
                row(1, &["", "", "", "自评", "互评", "", "", "类别"]),
            ],
            vec![
                merge(0, 0, 1, 0),
                merge(0, 1, 1, 2),
                merge(0, 3, 0, 4),
                merge(0, 5, 0, 6),
                merge(1, 7, 1, 8),
            ],
        )
        .unwrap();
        assert_eq!((l.header_row, l.header_rows), (0, 2));
        assert_eq!(
            spans(&l),
            [
                ("A".into(), "序号".into()),
                ("B:C".into(), "单位名称".into()),
                ("D".into(), "年度考核得分/自评".into()),
                ("E".into(), "年度考核得分/互评".into()),
                ("F:G".into(), "层级".into()),
                ("H:I".into(), "单位类型/类别".into()),
            ]
        );
        assert_eq!(l.column_of(Field::Component(1)).unwrap().col, 4);
        assert_eq!(l.column_of(Field::UnitType).unwrap().col, 7);
    }

    #[test]
    fn spanning_columns_are_read_as_one_cell() {
        let l = detect_merged(
            vec![row(0, &["单位名称", "", "层级", "单位类型"])],
            vec![merge(0, 0, 0, 1)],
        )
        .unwrap();
        let text = |s: &str| Cell::Text(s.into());
        // Filled across by a merged data cell: one value.
        let mut cells = vec![(0, text("某局")), (1, text("某局")), (2, text("市级"))];
        assert!(l.join_spans(&mut cells).is_empty());
        assert_eq!(cells, [(0, text("某局")), (2, text("市级"))]);
        // Typed in the second grid column only: moved to the first.
        let mut cells = vec![(1, text("某局")), (2, text("市级"))];
        assert!(l.join_spans(&mut cells).is_empty());
        assert_eq!(cells, [(0, text("某局")), (2, text("市级"))]);
        // Two different values: a conflict naming both cells; the first is kept.
        let mut cells = vec![(0, text("某局")), (1, text("某办")), (2, text("市级"))];
        let c = l.join_spans(&mut cells);
        assert_eq!(
            c,
            [SpanConflict {
                column: 0,
                first: (0, text("某局")),
                other: (1, text("某办")),
            }]
        );
        assert_eq!(cells, [(0, text("某局")), (2, text("市级"))]);
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
