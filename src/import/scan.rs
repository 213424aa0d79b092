//! Reading a workbook sheet by sheet: find each visible sheet's header among its first
//! rows, then hand every data row below it to a [`RowReader`]. Shared by the returns
//! importer and the awards registry importer, which differ only in their fields and rows.

use std::collections::HashMap;
use std::ops::ControlFlow;

use super::aliases::AliasTable;
use super::layout::{self, Layout, MergeFill, HEADER_SEARCH_ROWS};
use super::rows::{self, RowError, RowKind};
use super::values::Cell;
use super::workbook;

/// What an importer does with a sheet's header and rows.
pub(crate) trait RowReader {
    /// What a valid row becomes.
    type Item;
    /// The header's aliases.
    fn aliases(&self) -> &AliasTable;
    /// Adjusts a detected header before it is checked (columns mapped by hand); returns
    /// each change ("B列“满意率”→群众测评").
    fn adjust(&self, _layout: &mut Layout) -> Vec<String> {
        Vec::new()
    }
    /// Checks a header found in a sheet; `Err(message)` refuses the sheet.
    fn check(&self, layout: &Layout) -> Result<(), String>;
    /// Warnings about a sheet's accepted header (beyond unknown columns).
    fn layout_warnings(&self, _sheet: &str, _layout: &Layout) -> Vec<String> {
        Vec::new()
    }
    /// Parses a data row (`row` is the 1-based Excel row).
    fn parse(
        &self,
        layout: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<Self::Item, Vec<RowError>>;
    /// Sees each valid item as soon as its row is read.
    fn on_item(&self, _item: &Self::Item) {}
    /// The error when no sheet has a header.
    fn no_header_message(&self) -> &'static str;
}

/// A workbook read by a [`RowReader`].
#[derive(Debug, Clone)]
pub(crate) struct Scan<T> {
    /// Sheets in which a header was found, with their layout.
    pub sheets: Vec<(String, Layout)>,
    /// Data rows found (valid or not).
    pub rows: usize,
    /// Valid items, in sheet and row order.
    pub items: Vec<T>,
    /// Every error, in sheet and row order.
    pub errors: Vec<RowError>,
    /// Every warning.
    pub warnings: Vec<String>,
    /// Columns mapped by hand, as "sheet:X列“header”→label".
    pub adjusted: Vec<String>,
    /// Whether the file as a whole could not be read (not a workbook, no sheet, no header).
    pub unreadable: bool,
}

impl<T> Scan<T> {
    fn failed(sheet: Option<&str>, message: impl Into<String>) -> Scan<T> {
        Scan {
            sheets: Vec::new(),
            rows: 0,
            items: Vec::new(),
            errors: vec![RowError::general(sheet, message)],
            warnings: Vec::new(),
            adjusted: Vec::new(),
            unreadable: true,
        }
    }
}

/// One sheet being read: the top rows are buffered until the header is found, then every
/// row below it is classified and parsed as it arrives.
struct SheetScan<'r, R: RowReader> {
    reader: &'r R,
    name: String,
    fill: MergeFill,
    head: Vec<(u32, Vec<(u32, Cell)>)>,
    layout: Option<Layout>,
    header_keys: Vec<String>,
    searched: bool,
    rows: usize,
    items: Vec<R::Item>,
    errors: Vec<RowError>,
    adjusted: Vec<String>,
}

impl<R: RowReader> SheetScan<'_, R> {
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
        self.layout = layout::detect(self.reader.aliases(), &self.head);
        if let Some(l) = &mut self.layout {
            self.adjusted = self.reader.adjust(l);
        }
        if let Some(l) = &self.layout {
            self.header_keys = rows::header_keys(l);
            if let Err(message) = self.reader.check(l) {
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
        }
        for (r, cells) in std::mem::take(&mut self.head) {
            self.data_row(r, &cells);
        }
    }

    fn data_row(&mut self, r: u32, cells: &[(u32, Cell)]) {
        let Some(l) = &self.layout else { return };
        if r < l.data_start() || rows::classify(l, cells, &self.header_keys) != RowKind::Data {
            return;
        }
        self.rows += 1;
        match self.reader.parse(l, &self.name, r + 1, cells) {
            Ok(item) => {
                self.reader.on_item(&item);
                self.items.push(item);
            }
            Err(errs) => self.errors.extend(errs),
        }
    }
}

/// Reads every visible sheet of a workbook with `reader`.
pub(crate) fn scan<R: RowReader>(bytes: Vec<u8>, file_name: &str, reader: &R) -> Scan<R::Item> {
    let mut book = match workbook::open(bytes, file_name) {
        Ok(b) => b,
        Err(p) => return Scan::failed(None, p.to_string()),
    };
    let sheets = book.visible_sheets();
    if sheets.is_empty() {
        return Scan::failed(None, "工作簿中没有可见的工作表");
    }
    let mut out: Scan<R::Item> = Scan {
        sheets: Vec::new(),
        rows: 0,
        items: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        adjusted: Vec::new(),
        unreadable: false,
    };
    let mut skipped = Vec::new();
    for name in &sheets {
        let merges = match book.merges(name) {
            Ok(m) => m,
            Err(p) => return Scan::failed(Some(name), p.to_string()),
        };
        if merges.len() > layout::MAX_MERGES {
            out.warnings.push(format!(
                "工作表“{name}”的合并单元格超过{}处，多出的部分未展开",
                layout::MAX_MERGES
            ));
        }
        let mut st = SheetScan {
            reader,
            name: name.clone(),
            fill: MergeFill::new(merges),
            head: Vec::new(),
            layout: None,
            header_keys: Vec::new(),
            searched: false,
            rows: 0,
            items: Vec::new(),
            errors: Vec::new(),
            adjusted: Vec::new(),
        };
        let read = book.for_each_row(name, &mut |r, cells| {
            st.on_row(r, cells);
            ControlFlow::Continue(())
        });
        if let Err(p) = read {
            return Scan::failed(Some(name), p.to_string());
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
            out.adjusted
                .extend(st.adjusted.iter().map(|c| format!("{name}:{c}")));
        }
        match st.layout {
            None => skipped.push(name.clone()),
            Some(l) => {
                let unknown: Vec<String> = l
                    .unknown_columns()
                    .map(|c| format!("{}列“{}”", c.letter(), c.header))
                    .collect();
                if !unknown.is_empty() {
                    out.warnings.push(format!(
                        "工作表“{name}”中未识别的列已忽略：{}",
                        unknown.join("、")
                    ));
                }
                out.warnings.extend(reader.layout_warnings(name, &l));
                out.rows += st.rows;
                out.items.append(&mut st.items);
                out.sheets.push((name.clone(), l));
            }
        }
    }
    if out.sheets.is_empty() {
        if out.errors.is_empty() {
            out.errors
                .push(RowError::general(None, reader.no_header_message()));
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

/// An item read from a row, for the in-file duplicate check.
pub(crate) trait Placed {
    /// Sheet name.
    fn sheet(&self) -> &str;
    /// Excel row.
    fn row(&self) -> u32;
    /// The agency name, shown as the offending value.
    fn name(&self) -> &str;
    /// The key two rows must not share.
    fn identity(&self) -> String;
}

/// Items sharing an identity are errors on every one of their rows, and are dropped.
pub(crate) fn reject_duplicates<T: Placed>(
    items: &mut Vec<T>,
    errors: &mut Vec<RowError>,
    message: impl Fn(&T, &str) -> String,
) {
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        seen.entry(it.identity()).or_default().push(i);
    }
    let mut drop = vec![false; items.len()];
    for idx in seen.values().filter(|v| v.len() > 1) {
        let places: Vec<String> = idx
            .iter()
            .map(|i| format!("工作表“{}”第{}行", items[*i].sheet(), items[*i].row()))
            .collect();
        let places = places.join("、");
        for &i in idx {
            let it = &items[i];
            errors.push(RowError {
                sheet: Some(it.sheet().to_string()),
                row: Some(it.row()),
                column: None,
                header: None,
                value: Some(it.name().to_string()),
                message: message(it, &places),
            });
            drop[i] = true;
        }
    }
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}
