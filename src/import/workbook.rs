//! Reading workbooks of every format calamine knows, row by row, without ever
//! allocating from a sheet's declared dimensions.
//!
//! `.xlsx`/`.xlsm` are streamed cell by cell; `.xls`, `.xlsb` and `.ods` are read through
//! calamine's ranges, which it sizes from the cells actually present.

use std::io::Cursor;
use std::ops::ControlFlow;
use std::sync::Arc;

use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

use super::values::Cell;

type Src = Cursor<Arc<[u8]>>;

/// A workbook format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (.xlsx, .xlsm).
    Xlsx,
    /// BIFF (.xls).
    Xls,
    /// Binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument (.ods).
    Ods,
}

/// Why a file cannot be read as a workbook at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// A WPS `.et` file.
    Wps,
    /// Not a workbook (by extension and content).
    NotWorkbook,
    /// Password protected.
    Password,
    /// The reader failed.
    Unreadable(String),
    /// A sheet holds more cells than an import may.
    TooLarge(String),
    /// The reader stopped on something in the file it cannot handle (a panic in it).
    ReaderCrash,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileProblem::Wps => f.write_str("这是WPS表格（.et）文件，请在WPS中另存为.xlsx后导入"),
            FileProblem::NotWorkbook => f.write_str(
                "不是Excel工作簿，请导入 .xlsx、.xlsm、.xls 或 .ods 文件（CSV请另存为.xlsx）",
            ),
            FileProblem::Password => f.write_str("工作簿设有打开密码，请在Excel中取消密码后再导入"),
            FileProblem::Unreadable(why) => {
                write!(f, "工作簿已损坏或格式不受支持，无法读取（{why}）")
            }
            FileProblem::ReaderCrash => f.write_str(READER_CRASH),
            FileProblem::TooLarge(sheet) => write!(
                f,
                "工作表“{sheet}”超过 {MAX_CELLS} 个单元格，不像申报表，请检查文件"
            ),
        }
    }
}

/// The refusal of a file on which the reader crashed (a panic in it), whether caught
/// around the reader's own calls or, as a last resort, around a whole file's analysis.
pub const READER_CRASH: &str =
    "读取工作簿时出错（文件可能已损坏），未导入；请在Excel中打开后另存为.xlsx再导入";

/// The most non-empty cells one sheet may hold.
pub const MAX_CELLS: u64 = 20_000_000;

/// An open workbook.
pub struct Workbook {
    book: Book,
    /// Its format.
    pub format: Format,
}

enum Book {
    Xlsx(Box<Xlsx<Src>>, Arc<[u8]>),
    Xls(Box<Xls<Src>>),
    Xlsb(Box<Xlsb<Src>>),
    Ods(Box<Ods<Src>>),
}

/// A merged region, 0-based inclusive.
pub type Merge = Dimensions;

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}

fn is_cfb(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Checks an OLE container (`.xls`, an encrypted `.xlsx`) with the `cfb` crate before
/// calamine reads it: the allocation table must be consistent (no sector pointed to twice,
/// none beyond the file) and every stream's chain of sectors must end. calamine 0.38
/// follows a chain that loops back on itself until memory runs out (found by fuzzing),
/// and asserts on truncated sectors; `cfb` refuses such containers, and accepts every
/// `.xls` that calamine reads in the test fixtures.
fn check_container(bytes: &[u8]) -> Result<(), FileProblem> {
    let broken = |e: std::io::Error| FileProblem::Unreadable(format!("文件结构损坏：{e}"));
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(broken)?;
    let streams: Vec<std::path::PathBuf> = container
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_path_buf())
        .collect();
    for path in streams {
        // Opening a stream walks its whole chain, which `cfb` checks for a loop.
        container.open_stream(&path).map_err(broken)?;
    }
    Ok(())
}

/// Runs one call into the workbook reader (calamine), turning a panic in it into a
/// refusal of the file: calamine asserts on some damaged files (a truncated OLE container,
/// found by fuzzing) instead of returning an error. Only the reader's own calls are
/// wrapped — the row callbacks run outside — so a panic in mofan's handling of the rows is
/// never mistaken for a damaged file.
fn guard<T>(call: impl FnOnce() -> Result<T, FileProblem>) -> Result<T, FileProblem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call))
        .unwrap_or(Err(FileProblem::ReaderCrash))
}

fn unreadable(e: impl std::fmt::Display) -> FileProblem {
    let msg = e.to_string();
    if msg.contains("password protected") {
        FileProblem::Password
    } else {
        FileProblem::Unreadable(msg)
    }
}

/// Opens a workbook from its bytes; the file name's extension picks the reader, the
/// content confirms it.
pub fn open(bytes: Vec<u8>, file_name: &str) -> Result<Workbook, FileProblem> {
    let ext = std::path::Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "et" | "ett") {
        return Err(FileProblem::Wps);
    }
    let format = match ext.as_str() {
        "xlsx" | "xlsm" | "xltx" | "xltm" => Format::Xlsx,
        "xls" | "xlt" => Format::Xls,
        "xlsb" => Format::Xlsb,
        "ods" => Format::Ods,
        _ if is_cfb(&bytes) => Format::Xls,
        _ if is_zip(&bytes)
            && bytes
                .windows(46)
                .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet") =>
        {
            Format::Ods
        }
        _ if is_zip(&bytes) => Format::Xlsx,
        _ => return Err(FileProblem::NotWorkbook),
    };
    // An encrypted .xlsx is an OLE container; a .xls that is really a zip was renamed.
    if is_cfb(&bytes) {
        check_container(&bytes)?;
    }
    let bytes: Arc<[u8]> = Arc::from(bytes);
    if format == Format::Xlsx && is_cfb(&bytes) {
        return guard(|| {
            Xls::new(Cursor::new(bytes))
                .map(|x| Workbook {
                    book: Book::Xls(Box::new(x)),
                    format: Format::Xls,
                })
                .map_err(|_| FileProblem::Password)
        });
    }
    if !is_zip(&bytes) && !is_cfb(&bytes) {
        return Err(FileProblem::NotWorkbook);
    }
    let src = Cursor::new(Arc::clone(&bytes));
    let book = guard(|| {
        Ok(match format {
            Format::Xlsx => Book::Xlsx(Box::new(Xlsx::new(src).map_err(unreadable)?), bytes),
            Format::Xls => Book::Xls(Box::new(Xls::new(src).map_err(unreadable)?)),
            Format::Xlsb => Book::Xlsb(Box::new(Xlsb::new(src).map_err(unreadable)?)),
            Format::Ods => Book::Ods(Box::new(Ods::new(src).map_err(unreadable)?)),
        })
    })?;
    Ok(Workbook { book, format })
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Int(*i),
        Data::Float(f) => Cell::Float(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Float(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => iso_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

fn from_ref(d: DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Int(i),
        DataRef::Float(f) => Cell::Float(f),
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => dt
            .as_datetime()
            .map(Cell::Date)
            .unwrap_or(Cell::Float(dt.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => iso_cell(&s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn iso_cell(s: &str) -> Cell {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
        .map(Cell::Date)
        .unwrap_or_else(|_| Cell::Text(s.to_string()))
}

/// Row callback: 0-based row index and the row's non-empty cells (0-based column, value)
/// in column order. Return `Break` to stop reading.
pub type RowFn<'f> = dyn FnMut(u32, &mut Vec<(u32, Cell)>) -> ControlFlow<()> + 'f;

impl Workbook {
    /// The names of the visible worksheets, in workbook order.
    pub fn visible_sheets(&self) -> Vec<String> {
        let meta = match &self.book {
            Book::Xlsx(b, _) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        };
        meta.iter()
            .filter(|s| s.visible == SheetVisible::Visible)
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The merged regions of a sheet (none where the format does not record them).
    pub fn merges(&mut self, sheet: &str) -> Result<Vec<Merge>, FileProblem> {
        Ok(match &mut self.book {
            Book::Xlsx(b, bytes) => match super::xlsx_merges::merged_regions(bytes, sheet) {
                Some(m) => m,
                None => guard(|| Ok(b.merge_cells_by_sheet_name(sheet).unwrap_or_default()))?,
            },
            Book::Xls(b) => guard(|| Ok(b.merge_cells_by_sheet_name(sheet).unwrap_or_default()))?,
            Book::Xlsb(_) | Book::Ods(_) => Vec::new(),
        })
    }

    /// Calls `f` for each row holding at least one non-empty cell, in row order.
    pub fn for_each_row(&mut self, sheet: &str, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
        match &mut self.book {
            Book::Xlsx(b, _) => stream_xlsx(b, sheet, f),
            Book::Xls(b) => {
                let r = guard(|| b.worksheet_range(sheet).map_err(unreadable))?;
                walk_range(&r, sheet, f)
            }
            Book::Xlsb(b) => {
                let r = guard(|| b.worksheet_range(sheet).map_err(unreadable))?;
                walk_range(&r, sheet, f)
            }
            Book::Ods(b) => {
                let r = guard(|| b.worksheet_range(sheet).map_err(unreadable))?;
                walk_range(&r, sheet, f)
            }
        }
    }
}

fn stream_xlsx(b: &mut Xlsx<Src>, sheet: &str, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
    let mut reader = guard(|| b.worksheet_cells_reader(sheet).map_err(unreadable))?;
    let mut row_idx: Option<u32> = None;
    let mut cells: Vec<(u32, Cell)> = Vec::new();
    let mut count: u64 = 0;
    let mut flush = |row: u32, cells: &mut Vec<(u32, Cell)>| {
        cells.sort_by_key(|(c, _)| *c);
        cells.dedup_by_key(|(c, _)| *c);
        let flow = f(row, cells);
        cells.clear();
        flow
    };
    while let Some(cell) = guard(|| reader.next_cell().map_err(unreadable))? {
        let (r, c) = cell.get_position();
        let value = from_ref(cell.get_value().clone());
        if value.is_blank() {
            continue;
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(FileProblem::TooLarge(sheet.to_string()));
        }
        if row_idx != Some(r) {
            if let Some(prev) = row_idx {
                if flush(prev, &mut cells).is_break() {
                    return Ok(());
                }
            }
            row_idx = Some(r);
        }
        cells.push((c, value));
    }
    if let Some(prev) = row_idx {
        let _ = flush(prev, &mut cells);
    }
    Ok(())
}

fn walk_range(
    r: &calamine::Range<Data>,
    sheet: &str,
    f: &mut RowFn<'_>,
) -> Result<(), FileProblem> {
    let Some((r0, c0)) = r.start() else {
        return Ok(());
    };
    if (r.width() as u64).saturating_mul(r.height() as u64) > MAX_CELLS * 4 {
        return Err(FileProblem::TooLarge(sheet.to_string()));
    }
    let mut cells = Vec::new();
    for (i, row) in r.rows().enumerate() {
        cells.clear();
        for (j, d) in row.iter().enumerate() {
            let v = from_data(d);
            if !v.is_blank() {
                cells.push((c0 + j as u32, v));
            }
        }
        if !cells.is_empty() && f(r0 + i as u32, &mut cells).is_break() {
            break;
        }
    }
    Ok(())
}

/// The column letters of a 0-based column index (0 → A, 26 → AA).
pub fn column_letter(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_reader_refuses_the_file() {
        let crash: Result<(), FileProblem> = guard(|| panic!("calamine assert"));
        assert_eq!(crash, Err(FileProblem::ReaderCrash));
        assert_eq!(guard(|| Ok(7)), Ok(7));
        assert_eq!(FileProblem::ReaderCrash.to_string(), READER_CRASH);
    }

    #[test]
    fn letters() {
        for (i, s) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(i), s);
        }
    }

    #[test]
    fn refuses_non_workbooks() {
        assert_eq!(
            open(b"a,b,c\n1,2,3\n".to_vec(), "x.csv").err(),
            Some(FileProblem::NotWorkbook)
        );
        assert_eq!(
            open(b"hello".to_vec(), "x.xlsx").err(),
            Some(FileProblem::NotWorkbook)
        );
        assert_eq!(open(vec![0xD0, 0xCF], "x.et").err(), Some(FileProblem::Wps));
        assert!(FileProblem::Wps.to_string().contains("另存为.xlsx"));
    }
}
