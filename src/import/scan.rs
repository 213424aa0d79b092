//! Reading a workbook sheet by sheet: find each visible sheet's header among its first
//! rows, then hand every data row below it to an [`Importer`], telling a [`Progress`] how
//! far the file has come (throttled, see [`Ticker`]). The one reader loop of every
//! importer, which differ only in their fields and rows.

use std::collections::btree_map::BTreeMap;
use std::collections::hash_map::{Entry, HashMap};
use std::ops::ControlFlow;

use std::cell::Cell as Slot;

use super::importer::{Analysis, Importer, Progress, ReadProgress, Record, UNSIZED_STEP};
use super::layout::{self, Layout, MergeFill, SpanConflict, HEADER_SEARCH_ROWS};
use super::rows::{self, RowError, RowKind, RowRules};
use super::values::Cell;
use super::workbook;

/// One sheet being read: the top rows are buffered until the header is found, then every
/// row below it is classified and parsed as it arrives.
struct SheetScan<'r, I: Importer> {
    importer: &'r I,
    on_item: &'r dyn Fn(&I::Row),
    name: String,
    fill: MergeFill,
    head: Vec<(u32, Vec<(u32, Cell)>)>,
    layout: Option<Layout>,
    rules: RowRules,
    searched: bool,
    rows: usize,
    items: Vec<I::Row>,
    errors: Vec<RowError>,
    /// Rows skipped as not units (section headings, examples, 栏次), one warning each.
    skipped: Vec<String>,
    adjusted: Vec<String>,
}

impl<I: Importer> SheetScan<'_, I> {
    fn on_row(&mut self, r: u32, cells: &mut Vec<(u32, Cell)>) {
        self.fill.fill(r, cells);
        if !self.searched {
            if r < HEADER_SEARCH_ROWS {
                self.head.push((r, cells.clone()));
                return;
            }
            self.search();
        }
        self.data_row(r, cells);
    }

    /// Detects the header from the buffered top rows and replays the rows below it.
    fn search(&mut self) {
        self.searched = true;
        self.layout = self.importer.detect(&self.head, self.fill.regions());
        if let Some(l) = &mut self.layout {
            self.adjusted = self.importer.adjust(l);
        }
        if let Some(l) = &self.layout {
            let groups = self.importer.group_words();
            self.rules = RowRules::new(l, groups.iter().map(String::as_str));
            if let Err(message) = self.importer.check(l) {
                self.errors.push(RowError {
                    sheet: Some(self.name.clone()),
                    row: Some(l.header_row + 1),
                    column: None,
                    header: None,
                    value: None,
                    message,
                });
                self.layout = None;
                return;
            }
            let placed = self.importer.header_errors(&self.name, l);
            if !placed.is_empty() {
                self.errors.extend(placed);
                self.layout = None;
                return;
            }
        }
        for (r, cells) in std::mem::take(&mut self.head) {
            self.data_row(r, &cells);
        }
    }

    fn data_row(&mut self, r: u32, cells: &[(u32, Cell)]) {
        let Some(l) = &self.layout else { return };
        if r < l.data_start() {
            return;
        }
        let excel_row = r + 1;
        let mut joined;
        let (cells, conflicts) = if l.columns.iter().any(|c| c.last_col > c.col) {
            joined = cells.to_vec();
            let conflicts = l.join_spans(&mut joined);
            (joined.as_slice(), conflicts)
        } else {
            (cells, Vec::new())
        };
        let sheet = &self.name;
        let kind = match rows::classify(l, cells, &self.rules) {
            RowKind::Section(_) if !self.importer.headings(l) => RowKind::Data,
            kind => kind,
        };
        let skipped = match kind {
            RowKind::Data => None,
            RowKind::Section(text) => Some(format!(
                "工作表“{sheet}”第{excel_row}行“{text}”是分组标题行，已跳过"
            )),
            RowKind::Example(mark) => Some(format!(
                "工作表“{sheet}”第{excel_row}行是模板的填写示例（{mark}），已跳过"
            )),
            RowKind::ColumnNumbers(marks) => Some(format!(
                "工作表“{sheet}”第{excel_row}行“{marks}”是栏次行，已跳过"
            )),
            RowKind::Blank | RowKind::Total | RowKind::Note | RowKind::RepeatedHeader => return,
        };
        if let Some(warning) = skipped {
            self.skipped.push(warning);
            return;
        }
        self.rows += 1;
        let conflicts: Vec<RowError> = conflicts
            .iter()
            .map(|c| span_conflict(l, sheet, excel_row, c))
            .collect();
        match self.importer.parse_row(l, sheet, excel_row, cells) {
            Ok(item) if conflicts.is_empty() => {
                (self.on_item)(&item);
                self.items.push(item);
            }
            Ok(_) => self.errors.extend(conflicts),
            Err(errs) => {
                self.errors.extend(conflicts);
                self.errors.extend(errs);
            }
        }
    }
}

/// Reports a file's progress as its rows are read, throttled ([`Progress`]): sheets count
/// equally, and within a sheet the row index is set against the rows it spans.
struct Ticker<'p> {
    progress: &'p Progress<'p>,
    sheets: usize,
    /// 0-based index of the sheet being read.
    sheet: usize,
    /// The rows the sheet being read spans, when its format says.
    size: Option<u32>,
    last_percent: Option<u8>,
    last_rows: usize,
}

impl Ticker<'_> {
    fn percent(&self, row: u32) -> Option<u8> {
        let size = self.size.filter(|&n| n > 0)?;
        let within = f64::from(row.saturating_add(1).min(size)) / f64::from(size);
        let share = (self.sheet as f64 + within) / self.sheets.max(1) as f64;
        // 100 is said once, when the whole file is read.
        Some(((share * 100.0).floor() as u8).min(99))
    }

    /// After 0-based sheet row `row`, with `rows` data rows read in the file so far.
    fn row(&mut self, row: u32, rows: usize) {
        match self.percent(row) {
            Some(p) if self.last_percent.is_none_or(|last| p > last) => {
                self.last_percent = Some(p);
                self.last_rows = rows;
                (self.progress)(ReadProgress {
                    rows,
                    percent: Some(p),
                });
            }
            Some(_) => {}
            None if rows >= self.last_rows + UNSIZED_STEP => {
                self.last_rows = rows;
                (self.progress)(ReadProgress {
                    rows,
                    percent: None,
                });
            }
            None => {}
        }
    }

    fn done(&self, rows: usize) {
        (self.progress)(ReadProgress {
            rows,
            percent: Some(100),
        });
    }
}

/// The error of two different values in one spanning column.
fn span_conflict(l: &Layout, sheet: &str, excel_row: u32, c: &SpanConflict) -> RowError {
    let col = &l.columns[c.column];
    let cell = |(grid, v): &(u32, Cell)| {
        format!(
            "{}{excel_row}“{}”",
            workbook::column_letter(*grid),
            v.display()
        )
    };
    RowError {
        sheet: Some(sheet.to_string()),
        row: Some(excel_row),
        column: Some(col.letter()),
        header: Some(col.header.clone()),
        value: None,
        message: format!(
            "表头“{}”合并了{}列，按一列读取，但{}与{}不同，请只保留一个值",
            col.header,
            col.letters(),
            cell(&c.first),
            cell(&c.other)
        ),
    }
}

/// Reads every visible sheet of a workbook (of SHA-256 `sha256`) with `importer`, showing
/// each valid record to `on_item` as soon as its row is read and telling `progress` how
/// far it has come. The whole-file rules (column rules, duplicates, error order) are the
/// caller's.
///
/// `apart`: walk an `.xlsx` sheet's cells on a thread of their own
/// ([`workbook::Workbook::for_each_row_sized`]), for a caller with a core to spare.
pub(crate) fn scan<I: Importer>(
    bytes: Vec<u8>,
    file_name: &str,
    sha256: String,
    importer: &I,
    on_item: &dyn Fn(&I::Row),
    progress: &Progress<'_>,
    apart: bool,
) -> Analysis<I::Row> {
    let mut book = match workbook::open(bytes, file_name) {
        Ok(b) => b,
        Err(p) => return Analysis::failed(file_name, sha256, p.to_string()),
    };
    let sheets = book.visible_sheets();
    if sheets.is_empty() {
        return Analysis::failed(file_name, sha256, "工作簿中没有可见的工作表");
    }
    let mut out: Analysis<I::Row> = Analysis::empty(file_name, sha256);
    out.warnings.extend(book.warning.take());
    let mut skipped = Vec::new();
    let mut ticker = Ticker {
        progress,
        sheets: sheets.len(),
        sheet: 0,
        size: None,
        last_percent: None,
        last_rows: 0,
    };
    for (index, name) in sheets.iter().enumerate() {
        ticker.sheet = index;
        ticker.size = None;
        ticker.last_rows = out.rows;
        let mut st = SheetScan {
            importer,
            on_item,
            name: name.clone(),
            fill: MergeFill::default(),
            head: Vec::new(),
            layout: None,
            rules: RowRules::default(),
            searched: false,
            rows: 0,
            items: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            adjusted: Vec::new(),
        };
        // The merged regions come before the first row (read while the first cells are
        // walked, for a file read apart); the rows take them on arrival.
        let fill: Slot<Option<MergeFill>> = Slot::new(None);
        let mut merge_warnings = Vec::new();
        let mut merged = |merges: Vec<workbook::Merge>| {
            if let Some(m) = layout::too_wide(&merges) {
                merge_warnings.push(format!(
                    "工作表“{name}”的合并单元格{}{}:{}{}宽于{}列，只按前{}列展开",
                    workbook::column_letter(m.start.1),
                    m.start.0 + 1,
                    workbook::column_letter(m.end.1),
                    m.end.0 + 1,
                    layout::MAX_MERGE_COLS,
                    layout::MAX_MERGE_COLS
                ));
            }
            if merges.len() > layout::MAX_MERGES {
                merge_warnings.push(format!(
                    "工作表“{name}”的合并单元格超过{}处，多出的部分未展开",
                    layout::MAX_MERGES
                ));
            }
            fill.set(Some(MergeFill::new(merges)));
        };
        let size = Slot::new(None);
        let before = out.rows;
        let mut on_row = |r, cells: &mut Vec<(u32, Cell)>| {
            if let Some(f) = fill.take() {
                st.fill = f;
            }
            st.on_row(r, cells);
            ticker.size = size.get();
            ticker.row(r, before + st.rows);
            ControlFlow::Continue(())
        };
        let mut sized = |n| size.set(Some(n));
        let read = book.for_each_row_merged(name, apart, &mut merged, &mut sized, &mut on_row);
        // A sheet without rows still has its regions (for the header search below).
        if let Some(f) = fill.take() {
            st.fill = f;
        }
        out.warnings.append(&mut merge_warnings);
        if let Err(p) = read {
            return Analysis::failed_in(file_name, out.sha256, Some(name), p.to_string());
        }
        if !st.searched {
            st.search();
        }
        out.errors.append(&mut st.errors);
        if !st.adjusted.is_empty() {
            out.warnings.push(format!(
                "工作表“{name}”按手动指定的列对应关系读取：{}",
                st.adjusted.join("、")
            ));
            out.mapped
                .extend(st.adjusted.iter().map(|c| format!("{name}:{c}")));
        }
        match st.layout {
            None => skipped.push(name.clone()),
            Some(l) => {
                let unknown: Vec<String> = l
                    .unknown_columns()
                    .map(|c| format!("{}列“{}”", c.letters(), c.header))
                    .collect();
                if !unknown.is_empty() {
                    out.warnings.push(format!(
                        "工作表“{name}”中未识别的列已忽略：{}",
                        unknown.join("、")
                    ));
                }
                out.warnings.extend(importer.layout_warnings(name, &l));
                out.warnings.append(&mut st.skipped);
                out.rows += st.rows;
                // The first sheet's records are moved, not copied: appending them to an
                // empty list held both lists at once at the end of a large sheet.
                if out.valid.is_empty() {
                    out.valid = std::mem::take(&mut st.items);
                } else {
                    out.valid.append(&mut st.items);
                }
                out.sheets.push((name.clone(), l));
            }
        }
    }
    ticker.done(out.rows);
    if out.sheets.is_empty() {
        if out.errors.is_empty() {
            out.errors
                .push(RowError::general(None, importer.no_header_message()));
        }
        out.unreadable = true;
        return out;
    }
    if !skipped.is_empty() {
        out.warnings.push(format!(
            "工作表{}中未找到表头，已跳过",
            skipped
                .iter()
                .map(|s| format!("“{s}”"))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    out
}

/// Sorts errors by sheet (in workbook order) and row; file-level errors first.
pub(crate) fn sort_errors(errors: &mut [RowError], sheets: &[(String, Layout)]) {
    let order: HashMap<&str, usize> = sheets
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (s.as_str(), i))
        .collect();
    errors.sort_by_key(|e| {
        (
            e.sheet.as_deref().and_then(|s| order.get(s)).copied(),
            e.row.unwrap_or(0),
        )
    });
}

/// Records sharing an identity are errors on every one of their rows, and are dropped.
pub(crate) fn reject_duplicates<T: Record>(items: &mut Vec<T>, errors: &mut Vec<RowError>) {
    // Each identity's first row, and the later rows of those seen before: no list per
    // identity (a file of 100,000 different agencies made and freed as many), and the
    // map sized once (grown, it hashed every identity again at each doubling).
    let mut first: HashMap<String, usize> = HashMap::with_capacity(items.len());
    let mut again: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        match first.entry(it.identity()) {
            Entry::Vacant(v) => {
                v.insert(i);
            }
            Entry::Occupied(o) => again.entry(*o.get()).or_default().push(i),
        }
    }
    drop(first);
    if again.is_empty() {
        return;
    }
    let groups = again
        .into_iter()
        .map(|(f, later)| std::iter::once(f).chain(later).collect::<Vec<usize>>());
    let mut refused = vec![false; items.len()];
    for idx in groups {
        let places: Vec<String> = idx
            .iter()
            .map(|i| format!("工作表“{}”第{}行", items[*i].sheet(), items[*i].row()))
            .collect();
        let places = places.join("、");
        for &i in &idx {
            let it = &items[i];
            errors.push(RowError {
                sheet: Some(it.sheet().to_string()),
                row: Some(it.row()),
                column: None,
                header: None,
                value: Some(it.name().to_string()),
                message: it.repeated(&places),
            });
            refused[i] = true;
        }
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !refused[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Row(u32, &'static str);

    impl Record for Row {
        fn sheet(&self) -> &str {
            "表"
        }
        fn row(&self) -> u32 {
            self.0
        }
        fn name(&self) -> &str {
            self.1
        }
        fn identity(&self) -> String {
            self.1.to_string()
        }
        fn repeated(&self, places: &str) -> String {
            format!("重复（{places}）")
        }
    }

    #[test]
    fn every_row_of_a_repeated_identity_is_an_error_naming_them_all() {
        let mut items: Vec<Row> = [
            (2, "甲"),
            (3, "乙"),
            (4, "甲"),
            (5, "丙"),
            (6, "乙"),
            (7, "甲"),
        ]
        .into_iter()
        .map(|(r, n)| Row(r, n))
        .collect();
        let mut errors = Vec::new();
        reject_duplicates(&mut items, &mut errors);
        let kept: Vec<u32> = items.iter().map(|r| r.0).collect();
        assert_eq!(kept, [5]);
        let mut got: Vec<(u32, String, String)> = errors
            .iter()
            .map(|e| (e.row.unwrap(), e.value.clone().unwrap(), e.message.clone()))
            .collect();
        got.sort();
        let three = "重复（工作表“表”第2行、工作表“表”第4行、工作表“表”第7行）";
        let two = "重复（工作表“表”第3行、工作表“表”第6行）";
        let want: Vec<(u32, String, String)> = [
            (2, "甲", three),
            (3, "乙", two),
            (4, "甲", three),
            (6, "乙", two),
            (7, "甲", three),
        ]
        .into_iter()
        .map(|(r, n, m)| (r, n.to_string(), m.to_string()))
        .collect();
        assert_eq!(got, want);
        // Nothing repeated: nothing refused, nothing taken out.
        let mut once = vec![Row(2, "甲"), Row(3, "乙")];
        let mut none = Vec::new();
        reject_duplicates(&mut once, &mut none);
        assert_eq!(once.len(), 2);
        assert!(none.is_empty());
    }
}
