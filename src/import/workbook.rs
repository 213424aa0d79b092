//! Reading workbooks, and the text files Excel opens as workbooks, row by row, without
//! ever allocating from a sheet's declared dimensions.
//!
//! What a file is comes from its bytes ([`super::sniff`]), never from its name alone:
//! offices send CSV files, web pages and XML Spreadsheet 2003 documents named `.xls`.
//! `.xlsx`/`.xlsm` are streamed cell by cell; `.xls`, `.xlsb` and `.ods` are read through
//! calamine's ranges, which it sizes from the cells actually present; CSV, HTML and XML
//! 2003 are parsed as streams by their own readers ([`super::csv_sheet`],
//! [`super::html_sheet`], [`super::xml_sheet`]).
//!
//! A number cell formatted as a percentage becomes [`Cell::Percent`]: for `.xlsx` from
//! the style of each cell in the same streaming pass, for `.xls` from its XF records
//! (`xls_formats.rs`), for `.ods` from `office:value-type="percentage"`
//! (`ods.rs`, which also gives the `.ods` merged cells calamine does not read).
//! `.xlsb` formats are not read; the importer's column rule catches a fraction there.

use std::io::Cursor;
use std::ops::ControlFlow;
use std::sync::Arc;

use std::collections::HashMap;

use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx};

use super::csv_sheet::CsvSheet;
use super::html_sheet::{self, HtmlBook};
use super::ods::{self, OdsSheet};
use super::percent::{is_percent_format, PercentCells};
use super::sniff::{self, ArchiveKind, ImageKind, Sniffed};
use super::text::{self, MAX_COLS, MAX_ROWS};
use super::values::Cell;
use super::xls_formats::{XlsBound, XlsFormats, XLS_COLS, XLS_ROWS};
use super::xlsx_cells::{Pieces, SharedStrings};
use super::xml_sheet::{self, XmlBook};

/// A package's bytes as calamine reads them: as they are, or with one byte read as
/// another ([`XlsxBook::open`]).
struct Src {
    bytes: Cursor<Arc<[u8]>>,
    /// Where the byte read otherwise is.
    hide: Option<u64>,
}

impl Src {
    fn new(bytes: Arc<[u8]>) -> Src {
        Src {
            bytes: Cursor::new(bytes),
            hide: None,
        }
    }

    /// `bytes` with the byte at `at` read as `_` (or `-` where it is `_`).
    fn hiding(bytes: Arc<[u8]>, at: u64) -> Src {
        Src {
            bytes: Cursor::new(bytes),
            hide: Some(at),
        }
    }
}

impl std::io::Read for Src {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let from = self.bytes.position();
        let n = self.bytes.read(buf)?;
        if let Some(at) = self.hide {
            if let Some(i) = at.checked_sub(from).filter(|i| *i < n as u64) {
                let b = &mut buf[i as usize];
                *b = if *b == b'_' { b'-' } else { b'_' };
            }
        }
        Ok(n)
    }
}

impl std::io::Seek for Src {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.bytes.seek(pos)
    }
}

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
    /// Comma-, tab- or semicolon-separated text.
    Csv,
    /// An HTML page with tables.
    Html,
    /// XML Spreadsheet 2003.
    Xml2003,
}

/// Why a file cannot be read as a workbook at all. Each kind of file that is not one has
/// its own variant, so that the refusal says what the file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// A WPS `.et` file.
    Wps,
    /// No content at all.
    Empty,
    /// A PDF (e.g. a return printed to PDF, whatever its extension).
    Pdf,
    /// A Word document (.docx, .doc) or another word-processing document.
    Word,
    /// An image (a photo or scan of a printed return), with its format.
    Image(ImageKind),
    /// An archive of files.
    Archive(ArchiveKind),
    /// An HTML page without any table holding text.
    WebPageWithoutTable,
    /// An XML document that is not an XML Spreadsheet 2003.
    OtherXml,
    /// Text that is not shaped like CSV.
    PlainText,
    /// Text in an encoding that cannot be decoded.
    BadEncoding,
    /// A text file larger than a text file may be.
    FileTooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// An HTML page with more tables than a page may have.
    TooManyTables(usize),
    /// A sheet with a row or column beyond Excel's grid.
    OutsideGrid(String),
    /// An XML 2003 cell written where a merged cell of an earlier row already is.
    MergeOverlap {
        /// Sheet name.
        sheet: String,
        /// The cell's 1-based row.
        row: u32,
        /// The cell's column letter.
        column: String,
        /// The merged region it falls in ("A2:A3").
        region: String,
    },
    /// Not a workbook, and nothing else that is recognised.
    NotWorkbook,
    /// Password protected.
    Password,
    /// The reader failed.
    Unreadable(String),
    /// A sheet holds more cells than an import may.
    TooLarge(String),
    /// More sheets than an import reads.
    TooManySheets(usize),
    /// A part of a workbook package larger, uncompressed, than a part may be.
    PartTooLarge(String),
    /// A cell holding more characters than Excel lets a cell hold.
    CellTooLong {
        /// Sheet name.
        sheet: String,
        /// The cell's 1-based row.
        row: u32,
        /// The cell's column letter.
        column: String,
        /// How many characters it holds.
        chars: usize,
    },
    /// An `.xls` whose records place a sheet's area or a cell outside the `.xls` grid.
    XlsOutsideGrid {
        /// Sheet name.
        sheet: String,
        /// Where: "第3行IV列" or the area a DIMENSION record claims.
        place: String,
    },
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const ASK: &str = "请向报送单位索要Excel格式的申报表（.xlsx）";
        match self {
            FileProblem::Wps => f.write_str("这是WPS表格（.et）文件，请在WPS中另存为.xlsx后导入"),
            FileProblem::Empty => {
                f.write_str("这是一个空文件，没有任何内容，请让报送单位重新导出或保存后再发送")
            }
            FileProblem::Pdf => {
                write!(f, "这是PDF文件，不是Excel工作簿，无法读取其中的数据；{ASK}")
            }
            FileProblem::Word => f.write_str(
                "这是Word文档，不是Excel工作簿；请把其中的表格复制到Excel中，另存为.xlsx后导入",
            ),
            FileProblem::Image(kind) => write!(
                f,
                "这是图片文件（{kind}），不是Excel工作簿，无法读取其中的数据；{ASK}"
            ),
            FileProblem::Archive(kind) => {
                write!(f, "这是压缩包（.{kind}），请解压后导入其中的Excel文件")
            }
            FileProblem::WebPageWithoutTable => f.write_str(
                "这是一个网页文件（HTML），其中没有表格，无法读取申报数据；请在Excel中打开核对后另存为.xlsx",
            ),
            FileProblem::OtherXml => f.write_str(
                "这是XML文件，但不是Excel的XML表格（XML Spreadsheet 2003），无法读取；请在Excel中打开核对后另存为.xlsx",
            ),
            FileProblem::PlainText => f.write_str(
                "这是纯文本文件，不是用逗号、制表符或分号分隔的表格（CSV），无法读取申报数据",
            ),
            FileProblem::BadEncoding => f.write_str(
                "文件中有无法识别的字符（文字编码既不是UTF-8也不是GB18030/GBK），请在Excel中打开核对后另存为.xlsx",
            ),
            FileProblem::FileTooLarge { limit_mib } => {
                write!(f, "文件超过{limit_mib}MB，不像申报表，请检查文件")
            }
            FileProblem::TooManyTables(n) => {
                write!(f, "网页中有超过{n}个表格，不像申报表的导出文件，请检查文件")
            }
            FileProblem::OutsideGrid(sheet) => write!(
                f,
                "工作表“{sheet}”超出Excel的最大行数或列数（{MAX_ROWS}行、{MAX_COLS}列），不像申报表，请检查文件"
            ),
            FileProblem::MergeOverlap {
                sheet,
                row,
                column,
                region,
            } => write!(
                f,
                "工作表“{sheet}”第{row}行{column}列的单元格落在合并单元格{region}之内（写出这个XML表格的程序没有跳过合并区域），Excel打开时会报错或错位；请在Excel中打开核对后另存为.xlsx"
            ),
            FileProblem::NotWorkbook => f.write_str(
                "不是Excel工作簿，也不是CSV、网页或XML表格，无法识别；请导入 .xlsx、.xls、.ods 或 .csv 文件",
            ),
            FileProblem::Password => f.write_str("工作簿设有打开密码，请在Excel中取消密码后再导入"),
            FileProblem::Unreadable(why) => {
                write!(f, "工作簿已损坏或格式不受支持，无法读取（{why}）")
            }
            FileProblem::TooLarge(sheet) => write!(
                f,
                "工作表“{sheet}”超过 {MAX_CELLS} 个单元格，不像申报表，请检查文件"
            ),
            FileProblem::TooManySheets(n) => write!(
                f,
                "工作簿有{n}个工作表，超过导入的上限{MAX_SHEETS}个，不像申报表，请检查文件"
            ),
            FileProblem::PartTooLarge(part) => write!(
                f,
                "工作簿中的“{part}”解压后超过{}MB，不像申报表（可能是被构造的文件），请检查文件",
                MAX_PART_BYTES >> 20
            ),
            FileProblem::CellTooLong {
                sheet,
                row,
                column,
                chars,
            } => write!(
                f,
                "工作表“{sheet}”第{row}行{column}列的文字有{chars}个字符，超过Excel单元格的上限{MAX_CELL_CHARS}个字符，不是Excel保存的内容，请检查文件"
            ),
            FileProblem::XlsOutsideGrid { sheet, place } => write!(
                f,
                "工作表“{sheet}”的记录把{place}，超出.xls格式的范围（{XLS_ROWS}行、{XLS_COLS}列），文件已损坏或被改动；请在Excel中打开核对后另存为.xlsx"
            ),
        }
    }
}

/// The most non-empty cells one sheet may hold.
pub const MAX_CELLS: u64 = 20_000_000;

/// The most sheets a workbook may have. Opening a workbook grew faster than its number
/// of sheets (1,000 blank sheets took 2.9 s, 2,000 took 9.5 s, a `<sheet>` element
/// repeated 5,000 times over 20 s); a return has a handful.
pub const MAX_SHEETS: usize = 255;

/// The most bytes one part of an `.xlsx` package that calamine reads whole when it
/// opens the workbook (shared strings, styles, the workbook part…) may hold once
/// uncompressed: 64 MiB, the limit of a whole text file. Worksheet parts are streamed.
pub const MAX_PART_BYTES: u64 = 64 << 20;

/// The most characters a cell holds: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;

/// An open workbook.
pub struct Workbook {
    book: Book,
    /// Its format.
    pub format: Format,
    /// A warning when the file's extension names another format than its content.
    pub warning: Option<String>,
}

enum Book {
    Xlsx(Box<XlsxBook>),
    Xls(Box<Xls<Src>>, Arc<[u8]>, Lazy<Option<XlsFormats>>),
    Xlsb(Box<Xlsb<Src>>),
    Ods(Box<Ods<Src>>, Arc<[u8]>, Lazy<OdsFacts>),
    Csv(CsvSheet),
    Html(HtmlBook),
    Xml(XmlBook),
}

/// What a reader learns from a second look at the file, read on first use.
type Lazy<T> = Option<T>;

/// The `.ods` merges and percentage cells by sheet name, or why they cannot be read.
type OdsFacts = Result<HashMap<String, OdsSheet>, FileProblem>;

/// A merged region, 0-based inclusive.
pub type Merge = Dimensions;

fn unreadable(e: impl std::fmt::Display) -> FileProblem {
    let msg = e.to_string();
    if msg.contains("password protected") {
        FileProblem::Password
    } else {
        FileProblem::Unreadable(msg)
    }
}

/// Opens a workbook from its bytes. The content decides what the file is; the
/// extension only picks the reader for a package too damaged to tell, and marks WPS files.
/// When the extension names another format than the content, the workbook carries a
/// warning naming both.
pub fn open(bytes: Vec<u8>, file_name: &str) -> Result<Workbook, FileProblem> {
    let mut book = open_by_content(bytes, file_name)?;
    let ext = std::path::Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(claimed) = claimed_format(&ext) {
        if claimed != book.format {
            book.warning = Some(format!(
                "文件扩展名为.{ext}，但内容是{}，已按内容读取",
                book.format.described()
            ));
        }
    }
    Ok(book)
}

/// The format an extension names; `None` for an extension that names none.
fn claimed_format(ext: &str) -> Option<Format> {
    Some(match ext {
        "xlsx" | "xlsm" | "xltx" | "xltm" => Format::Xlsx,
        "xls" | "xlt" => Format::Xls,
        "xlsb" => Format::Xlsb,
        "ods" | "ots" => Format::Ods,
        "csv" | "tsv" | "txt" => Format::Csv,
        "htm" | "html" => Format::Html,
        "xml" => Format::Xml2003,
        _ => return None,
    })
}

impl Format {
    /// What the content is, as a warning names it.
    pub fn described(self) -> &'static str {
        match self {
            Format::Xlsx => ".xlsx工作簿",
            Format::Xls => ".xls工作簿",
            Format::Xlsb => ".xlsb工作簿",
            Format::Ods => ".ods表格",
            Format::Csv => "CSV文本表格",
            Format::Html => "网页（HTML）表格",
            Format::Xml2003 => "XML表格（XML Spreadsheet 2003）",
        }
    }
}

fn open_by_content(bytes: Vec<u8>, file_name: &str) -> Result<Workbook, FileProblem> {
    let path = std::path::Path::new(file_name);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "et" | "ett") {
        return Err(FileProblem::Wps);
    }
    match sniff::sniff(&bytes) {
        Sniffed::Empty => Err(FileProblem::Empty),
        Sniffed::Workbook(format) => open_calamine(format, bytes),
        Sniffed::Encrypted => Err(FileProblem::Password),
        Sniffed::Word => Err(FileProblem::Word),
        Sniffed::Pdf => Err(FileProblem::Pdf),
        Sniffed::Image(kind) => Err(FileProblem::Image(kind)),
        Sniffed::Archive(kind) => Err(FileProblem::Archive(kind)),
        Sniffed::OtherZip => {
            let format = match ext.as_str() {
                "xlsb" => Format::Xlsb,
                "ods" => Format::Ods,
                _ => Format::Xlsx,
            };
            open_calamine(format, bytes)
        }
        Sniffed::OtherOle => open_calamine(Format::Xls, bytes),
        Sniffed::Binary => Err(FileProblem::NotWorkbook),
        Sniffed::Text => open_text(bytes, &sheet_name(path)),
    }
}

/// The sheet name Excel gives a CSV file or a one-table web page: the file name without
/// its extension, at most 31 characters.
fn sheet_name(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem.chars().take(31).collect();
    if stem.trim().is_empty() {
        "Sheet1".to_string()
    } else {
        stem
    }
}

/// Opens a binary workbook with calamine, after checking what calamine would allocate
/// from when it opens it: calamine reads every `.xls` and `.ods` sheet, and an `.xlsx`'s
/// shared strings and workbook part, inside `new`, and a failed allocation there ends
/// the process.
/// Checks an OLE container (`.xls`) with the `cfb` crate before calamine reads it: the
/// allocation table must be consistent (no sector pointed to twice, none beyond the file)
/// and every stream's chain of sectors must end. calamine 0.38 follows a chain that loops
/// back on itself until memory runs out (found by fuzzing), and asserts on truncated
/// sectors; `cfb` refuses such containers, and accepts every `.xls` that calamine reads in
/// the test fixtures.
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

fn open_calamine(format: Format, bytes: Vec<u8>) -> Result<Workbook, FileProblem> {
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let src = Src::new(Arc::clone(&bytes));
    let book = match format {
        Format::Xlsx => {
            check_xlsx_parts(&bytes)?;
            Book::Xlsx(Box::new(XlsxBook::open(bytes)?))
        }
        Format::Xls => {
            check_container(&bytes)?;
            let formats = XlsFormats::read(&bytes);
            if let Some(f) = &formats {
                f.check_bounds(MAX_SHEETS).map_err(xls_bound)?;
            }
            let xls = Xls::new(src).map_err(unreadable)?;
            Book::Xls(Box::new(xls), bytes, Some(formats))
        }
        Format::Xlsb => Book::Xlsb(Box::new(Xlsb::new(src).map_err(unreadable)?)),
        Format::Ods => {
            // A content.xml that cannot be parsed is left to calamine, and its merges
            // and percentages to the first sheet read, as before; only the bounds
            // refuse here.
            let facts = ods::read(&bytes);
            if let Err(p @ (FileProblem::TooLarge(_) | FileProblem::TooManySheets(_))) = &facts {
                return Err(p.clone());
            }
            Book::Ods(
                Box::new(Ods::new(src).map_err(unreadable)?),
                bytes,
                Some(facts),
            )
        }
        // Text formats have their own readers and never come here.
        Format::Csv | Format::Html | Format::Xml2003 => return Err(FileProblem::NotWorkbook),
    };
    let book = Workbook {
        book,
        format,
        warning: None,
    };
    let sheets = match &book.book {
        Book::Xlsb(b) => b.sheets_metadata().len(),
        _ => 0,
    };
    if sheets > MAX_SHEETS {
        return Err(FileProblem::TooManySheets(sheets));
    }
    Ok(book)
}

fn xls_bound(b: XlsBound) -> FileProblem {
    match b {
        XlsBound::TooManySheets(n) => FileProblem::TooManySheets(n),
        XlsBound::Dimension { sheet, rows, cols } => FileProblem::XlsOutsideGrid {
            sheet,
            place: format!(
                "区域声明为第{}至{}行、第{}至{}列",
                u64::from(rows.0) + 1,
                rows.1,
                u64::from(cols.0) + 1,
                cols.1
            ),
        },
        XlsBound::Cell { sheet, row, col } => FileProblem::XlsOutsideGrid {
            sheet,
            place: format!("单元格放在第{}行{}列", row + 1, column_letter(col)),
        },
    }
}

/// Checks the parts of an `.xlsx` package that calamine reads whole while opening it:
/// each at most [`MAX_PART_BYTES`] uncompressed, by its declared size and by the bytes it
/// actually inflates to (a declared size can lie), and at most [`MAX_SHEETS`] `<sheet>`
/// elements in the workbook part. Worksheet parts are streamed and not checked here; a
/// package that cannot be listed is left to calamine to refuse.
fn check_xlsx_parts(bytes: &[u8]) -> Result<(), FileProblem> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels"))
            || lower.starts_with("xl/worksheets/")
        {
            continue;
        }
        let too_large = || FileProblem::PartTooLarge(name.clone());
        if entry.size() > MAX_PART_BYTES {
            return Err(too_large());
        }
        if lower != "xl/workbook.xml" && inflates_within(&entry, MAX_PART_BYTES) {
            continue;
        }
        let mut part = Vec::new();
        // A part that fails to inflate is left to calamine to name.
        if entry
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut part)
            .is_err()
        {
            continue;
        }
        if part.len() as u64 > MAX_PART_BYTES {
            return Err(too_large());
        }
        if lower == "xl/workbook.xml" {
            let sheets = count_sheet_elements(&part);
            if sheets > MAX_SHEETS {
                return Err(FileProblem::TooManySheets(sheets));
            }
        }
    }
    Ok(())
}

/// Whether a part's compressed bytes cannot inflate past `limit`, whatever its header
/// declares: a stored part is its compressed bytes, and deflate writes at most 1,032 bytes
/// for each byte it reads (a 258-byte match in two bits), the reader being held to the
/// compressed size. Such a part (every part of a return's workbook but its sheets) is
/// bounded without being inflated; any other is inflated to be measured.
fn inflates_within<R: std::io::Read>(entry: &zip::read::ZipFile<'_, R>, limit: u64) -> bool {
    let ratio = match entry.compression() {
        zip::CompressionMethod::Stored => 1,
        zip::CompressionMethod::Deflated => 1032,
        _ => return false,
    };
    entry.compressed_size().saturating_mul(ratio) <= limit
}

/// The `<sheet>` elements of a workbook part (any namespace prefix), counted up to the
/// first XML error.
fn count_sheet_elements(xml: &[u8]) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => n += 1,
            Ok(Event::Eof) | Err(_) => return n,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// A text file: an XML Spreadsheet 2003, an HTML page, other XML, CSV or plain text.
fn open_text(bytes: Vec<u8>, sheet: &str) -> Result<Workbook, FileProblem> {
    let markup = text::starts_with_markup(&bytes);
    let text = text::decode(bytes, |head| {
        if markup {
            xml_sheet::declared_encoding(head).or_else(|| html_sheet::declared_charset(head))
        } else {
            None
        }
    })?;
    // Text that starts with "<" but holds no element at all ("<序号>,<名称>") is not markup.
    let first = if markup {
        html_sheet::first_element(&text)
    } else {
        Default::default()
    };
    if !markup || (first.name.is_none() && !first.doctype_html) {
        return match CsvSheet::open(text, sheet.to_string()) {
            Some(csv) => Ok(Workbook {
                book: Book::Csv(csv),
                format: Format::Csv,
                warning: None,
            }),
            None => Err(FileProblem::PlainText),
        };
    }
    if first.is_spreadsheet_2003() {
        return Ok(Workbook {
            book: Book::Xml(XmlBook::open(text)?),
            format: Format::Xml2003,
            warning: None,
        });
    }
    match HtmlBook::open(text, sheet)? {
        Some(html) => Ok(Workbook {
            book: Book::Html(html),
            format: Format::Html,
            warning: None,
        }),
        None if first.is_html() => Err(FileProblem::WebPageWithoutTable),
        None => Err(FileProblem::OtherXml),
    }
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

pub(super) fn from_ref(d: DataRef<'_>) -> Cell {
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
            Book::Xlsx(x) => x.b.sheets_metadata(),
            Book::Xls(b, ..) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Ods(b, ..) => b.sheets_metadata(),
            Book::Csv(c) => return vec![c.name().to_string()],
            Book::Html(h) => return h.sheets(),
            Book::Xml(x) => return x.sheets(),
        };
        meta.iter()
            .filter(|s| s.visible == SheetVisible::Visible)
            .filter(|s| s.typ == calamine::SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The merged regions of a sheet (none where the format does not record them).
    pub fn merges(&mut self, sheet: &str) -> Vec<Merge> {
        match &mut self.book {
            Book::Xlsx(x) => super::xlsx_merges::sheet_entry(&x.bytes, sheet)
                .and_then(|entry| regions_of_entry(&mut x.regions_ahead, &x.bytes, &entry))
                .unwrap_or_else(|| x.b.merge_cells_by_sheet_name(sheet).unwrap_or_default()),
            Book::Xls(b, ..) => b.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
            Book::Ods(_, bytes, facts) => ods_facts(facts, bytes)
                .as_ref()
                .ok()
                .and_then(|f| f.get(sheet))
                .map(|s| s.merges.clone())
                .unwrap_or_default(),
            Book::Xlsb(_) | Book::Csv(_) => Vec::new(),
            Book::Html(h) => h.merges(sheet),
            Book::Xml(x) => x.merges(sheet),
        }
    }

    /// [`Self::merges`], told to `merged`, then [`Self::for_each_row_sized`]. With
    /// `apart`, an `.xlsx` sheet's merged regions are read on this thread while the
    /// first cells are walked on the other — a second inflate of the sheet that a large
    /// file otherwise waits for before its walk starts. The regions and rows are the same
    /// either way: a part found but not readable to its end (which the walk, stopping at
    /// the end of the cells, may never notice) falls back to calamine's merges, the walk
    /// abandoned and started again, as [`Self::merges`] falls back.
    pub fn for_each_row_merged(
        &mut self,
        sheet: &str,
        apart: bool,
        merged: &mut dyn FnMut(Vec<Merge>),
        size: &mut dyn FnMut(u32),
        f: &mut RowFn<'_>,
    ) -> Result<(), FileProblem> {
        if let (true, Book::Xlsx(x)) = (apart, &mut self.book) {
            if let Some(entry) = super::xlsx_merges::sheet_entry(&x.bytes, sheet) {
                let bytes = Arc::clone(&x.bytes);
                // The walking thread has the workbook; the regions read ahead (for this
                // sheet or another) stay with this one.
                let mut ahead = x.regions_ahead.take();
                let mut before = || match regions_of_entry(&mut ahead, &bytes, &entry) {
                    Some(regions) => {
                        merged(regions);
                        ControlFlow::Continue(())
                    }
                    None => ControlFlow::Break(()),
                };
                let part = Some(Part::Entry(&entry));
                let walked = stream_xlsx_apart(x, part, sheet, &mut before, size, f);
                x.regions_ahead = ahead;
                if walked?.is_continue() {
                    return Ok(());
                }
            }
        }
        // A sheet read on this thread, and small enough, is read from the archive once:
        // its merged regions and (where its shapes allow) its cells from the part in memory.
        if let (false, Book::Xlsx(x)) = (apart, &mut self.book) {
            let part = super::xlsx_merges::sheet_entry(&x.bytes, sheet).and_then(|entry| {
                super::xlsx_merges::read_part(&x.bytes, &entry, super::xlsx_cells::MAX_PART)
            });
            if let Some(part) = part {
                merged(super::xlsx_merges::regions_of(&part));
                return stream_xlsx(x, sheet, size, f, Some(Part::Whole(&part)));
            }
        }
        merged(self.merges(sheet));
        self.for_each_row_sized(sheet, apart, size, f)
    }

    /// Calls `f` for each row holding at least one non-empty cell, in row order. A
    /// number cell formatted as a percentage comes as [`Cell::Percent`].
    pub fn for_each_row(&mut self, sheet: &str, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
        self.for_each_row_sized(sheet, false, &mut |_| {}, f)
    }

    /// [`Self::for_each_row`], first telling `size` how many rows the sheet spans (its last
    /// row + 1) where the format says so before the rows are read: the dimension an
    /// `.xlsx` sheet declares, the range of an `.xls`, `.xlsb` or `.ods` sheet, the lines
    /// of a CSV file. Web pages and XML 2003 do not say. The number is for showing
    /// progress only: it may be wrong (a declared dimension is the writer's word), so
    /// nothing is sized from it.
    ///
    /// `apart`: an `.xlsx` sheet's cells are walked on a thread of their own while `f`
    /// takes the rows walked so far on this one — for a caller with a core to spare (one
    /// large file imported alone), where walking the cells and what `f` does with them
    /// each take about half the reading. The rows come to `f` in the same order, with the
    /// same outcome, either way.
    pub fn for_each_row_sized(
        &mut self,
        sheet: &str,
        apart: bool,
        size: &mut dyn FnMut(u32),
        f: &mut RowFn<'_>,
    ) -> Result<(), FileProblem> {
        match &mut self.book {
            Book::Xlsx(x) => {
                let entry = super::xlsx_merges::sheet_entry(&x.bytes, sheet);
                let part = entry.as_deref().map(Part::Entry);
                if apart {
                    let mut before = || ControlFlow::Continue(());
                    stream_xlsx_apart(x, part, sheet, &mut before, size, f).map(|_| ())
                } else {
                    stream_xlsx(x, sheet, size, f, part)
                }
            }
            Book::Xls(b, bytes, formats) => {
                // calamine lists sheets in BoundSheet8 order, as the record walk does.
                let index = b.sheets_metadata().iter().position(|s| s.name == sheet);
                let regions = xls_formats(formats, bytes)
                    .as_ref()
                    .zip(index)
                    .map(|(f, i)| f.percent_cells(i))
                    .unwrap_or_default();
                let r = b.worksheet_range(sheet).map_err(unreadable)?;
                walk_range(&r, sheet, PercentCells::new(regions), size, f)
            }
            Book::Xlsb(b) => {
                let r = b.worksheet_range(sheet).map_err(unreadable)?;
                walk_range(&r, sheet, PercentCells::default(), size, f)
            }
            Book::Ods(b, bytes, facts) => {
                let regions = match ods_facts(facts, bytes) {
                    Ok(f) => f.get(sheet).map(|s| s.percent.clone()).unwrap_or_default(),
                    Err(p) => return Err(p.clone()),
                };
                let r = b.worksheet_range(sheet).map_err(unreadable)?;
                walk_range(&r, sheet, PercentCells::new(regions), size, f)
            }
            Book::Csv(c) if c.name() == sheet => {
                size(c.lines());
                c.for_each_row(f)
            }
            Book::Csv(_) => Ok(()),
            Book::Html(h) => h.for_each_row(sheet, f),
            Book::Xml(x) => x.for_each_row(sheet, f),
        }
    }
}

/// The `.ods` facts, read from `content.xml` on first use.
fn ods_facts<'a>(facts: &'a mut Lazy<OdsFacts>, bytes: &[u8]) -> &'a OdsFacts {
    facts.get_or_insert_with(|| ods::read(bytes))
}

/// The `.xls` number formats, read on first use.
fn xls_formats<'a>(
    formats: &'a mut Lazy<Option<XlsFormats>>,
    bytes: &[u8],
) -> &'a Option<XlsFormats> {
    formats.get_or_insert_with(|| XlsFormats::read(bytes))
}

/// An `.xlsx` workbook: calamine's, and what the direct walk of its sheets
/// ([`super::xlsx_cells`]) needs.
struct XlsxBook {
    /// calamine's workbook, for the sheets' names, styles, declared sizes and merged
    /// regions, and for their cells unless `hidden`.
    b: Xlsx<Src>,
    /// The package.
    bytes: Arc<[u8]>,
    /// The shared strings as the direct walk reads them.
    strings: SharedStringsOf,
    /// Whether `b` was opened without the shared strings (see [`XlsxBook::open`]): a
    /// sheet's cells calamine must walk then come from `full`.
    hidden: bool,
    /// calamine's workbook with its shared strings, opened when first needed.
    full: Lazy<Xlsx<Src>>,
    /// The merged regions of a sheet (by its part's name) being read ahead.
    regions_ahead: Option<RegionsAhead>,
}

/// The merged regions of a large workbook's first visible sheet, read on a thread of
/// their own from when the workbook is opened: the scan for them inflates the whole
/// part (0.04 s for 100,000 rows), and the sheet's rows cannot be taken before they
/// are known; calamine's opening leaves a core free meanwhile.
struct RegionsAhead {
    entry: String,
    reading: std::thread::JoinHandle<Option<Vec<Merge>>>,
}

/// The merged regions of the sheet part `entry` ([`super::xlsx_merges::regions_in`]),
/// from `ahead` if it is reading them (and then taken from it).
fn regions_of_entry(
    ahead: &mut Option<RegionsAhead>,
    bytes: &[u8],
    entry: &str,
) -> Option<Vec<Merge>> {
    let ahead = ahead.take_if(|a| a.entry == entry);
    match ahead.map(|a| a.reading.join()) {
        Some(Ok(read)) => read,
        // Not read ahead, or the thread panicked: read here.
        _ => super::xlsx_merges::regions_in(bytes, entry),
    }
}

/// The shared strings of an [`XlsxBook`]: being read on a thread of their own, or read.
struct SharedStringsOf {
    reading: Option<std::thread::JoinHandle<Option<SharedStrings>>>,
    read: Lazy<Option<SharedStrings>>,
}

impl SharedStringsOf {
    /// The strings (`None` where the direct walk cannot read them), read from `bytes` now
    /// if no thread is reading them.
    fn get(&mut self, bytes: &[u8]) -> Option<&SharedStrings> {
        if let Some(reading) = self.reading.take() {
            // A panic of the reading thread is a bug of the direct walk's: its sheets are
            // left to calamine.
            self.read = Some(reading.join().unwrap_or(None));
        }
        self.read
            .get_or_insert_with(|| super::xlsx_cells::shared_strings(bytes))
            .as_ref()
    }
}

/// A strings part from this size up (inflated) is read beside calamine's opening of the
/// workbook, which is told nothing of it: the 100,000-row file's 7.8 MB of strings took
/// calamine 0.06 s to read and 11 MiB to hold, before any sheet was walked, and the
/// direct walk reads them again for itself (docs/performance.md, twelfth round).
const STRINGS_APART: u64 = 1 << 20;

impl XlsxBook {
    /// Opens the package `bytes`. When its shared strings are large (at least
    /// [`STRINGS_APART`]) and the direct walk finds them where calamine does, they are
    /// read for the direct walk on a thread of their own while calamine opens the
    /// workbook with their part's name changed by one byte in the package's directory —
    /// so that calamine, finding no strings, neither reads nor holds them. Whatever
    /// calamine is asked about such a workbook (sheets, styles, sizes, merged regions)
    /// does not depend on the strings; a sheet whose cells calamine must walk is walked
    /// by a second calamine workbook opened over the package as it is.
    fn open(bytes: Arc<[u8]>) -> Result<XlsxBook, FileProblem> {
        let mut strings = SharedStringsOf {
            reading: None,
            read: None,
        };
        if let Some(at) = super::xlsx_merges::strings_name_end(&bytes, STRINGS_APART) {
            let of = Arc::clone(&bytes);
            strings.reading = std::thread::Builder::new()
                .name("mofan-strings".to_string())
                .spawn(move || super::xlsx_cells::shared_strings(&of))
                .ok();
            let regions_ahead = super::xlsx_merges::first_sheet_entry(&bytes).and_then(|entry| {
                let (of, part) = (Arc::clone(&bytes), entry.clone());
                let reading = std::thread::Builder::new()
                    .name("mofan-regions".to_string())
                    .spawn(move || super::xlsx_merges::regions_in(&of, &part))
                    .ok()?;
                Some(RegionsAhead { entry, reading })
            });
            // A package calamine cannot open so (a part already named as the changed
            // name would be, say) is opened as it is.
            if let Ok(b) = Xlsx::new(Src::hiding(Arc::clone(&bytes), at)) {
                return Ok(XlsxBook {
                    b,
                    bytes,
                    strings,
                    hidden: true,
                    full: None,
                    regions_ahead,
                });
            }
        }
        let b = Xlsx::new(Src::new(Arc::clone(&bytes))).map_err(unreadable)?;
        Ok(XlsxBook {
            b,
            bytes,
            strings,
            hidden: false,
            full: None,
            regions_ahead: None,
        })
    }
}

/// The sheet's part, for [`stream_xlsx`].
enum Part<'a> {
    /// Read whole: walked at once, and calamine walks the sheet instead when the walk
    /// declines.
    Whole(&'a [u8]),
    /// The name of its entry in the package: walked a piece at a time as it is inflated
    /// (a part too large to hold), and calamine goes on from where the walk declines.
    Entry(&'a str),
}

/// The cells of an `.xlsx` sheet gathered into rows and handed to `f`. `part`: where the
/// sheet's cells may be walked without calamine, which walks them otherwise — the same
/// cells either way.
fn stream_xlsx(
    x: &mut XlsxBook,
    sheet: &str,
    size: &mut dyn FnMut(u32),
    f: &mut RowFn<'_>,
    part: Option<Part<'_>>,
) -> Result<(), FileProblem> {
    let mut reader = x.b.worksheet_cells_reader(sheet).map_err(unreadable)?;
    // A sheet without a `<dimension>` element reads as A1:A1: no size worth telling.
    let declared = reader.dimensions().end.0;
    if declared > 0 {
        size(declared.saturating_add(1));
    }
    // Whether each style (by id) shows numbers as percentages; the palette has one entry
    // per `xf` element actually in styles.xml.
    let percent_style: Vec<bool> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .is_some_and(|n| is_percent_format(&n.format_code))
        })
        .collect();
    let mut rows = SheetRows::new(sheet, &percent_style);
    // How many of calamine's cells the direct walk took already.
    let mut taken = 0u64;
    let bytes = &x.bytes[..];
    if let Some(part) = part {
        if let Some(strings) = x.strings.get(bytes) {
            let plain = super::xlsx_cells::plain_styles(reader.styles());
            match part {
                Part::Whole(part) => {
                    if let Some(cells) = super::xlsx_cells::walk(part, strings, &plain) {
                        for (r, c, value, style) in cells {
                            if rows
                                .take(r, c, value.into_cell(strings), style, f)?
                                .is_break()
                            {
                                return Ok(());
                            }
                        }
                        rows.finish(f);
                        return Ok(());
                    }
                }
                Part::Entry(entry) => {
                    let walked =
                        super::xlsx_cells::walk_pieces(bytes, entry, strings, &plain, |cells| {
                            for (r, c, value, style) in cells.drain(..) {
                                match rows.take(r, c, value.into_cell(strings), style, f) {
                                    Ok(ControlFlow::Continue(())) => taken += 1,
                                    Ok(ControlFlow::Break(())) => {
                                        return ControlFlow::Break(Ok(()))
                                    }
                                    Err(e) => return ControlFlow::Break(Err(e)),
                                }
                            }
                            ControlFlow::Continue(())
                        });
                    match walked {
                        Pieces::Done => {
                            rows.finish(f);
                            return Ok(());
                        }
                        Pieces::Stopped(outcome) => return outcome,
                        Pieces::Declined => {}
                    }
                }
            }
        }
    }
    if x.hidden {
        // calamine's walk, from the workbook that has the strings.
        drop(reader);
        let full = match &mut x.full {
            Some(full) => full,
            None => x
                .full
                .insert(Xlsx::new(Src::new(Arc::clone(&x.bytes))).map_err(unreadable)?),
        };
        reader = full.worksheet_cells_reader(sheet).map_err(unreadable)?;
    }
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
        // The cells the direct walk took are calamine's first ones, taken already.
        if taken > 0 {
            taken -= 1;
            continue;
        }
        let (r, c) = cell.get_position();
        let value = from_ref(cell.get_value().clone());
        if rows.take(r, c, value, style, f)?.is_break() {
            return Ok(());
        }
    }
    rows.finish(f);
    Ok(())
}

/// The cells of an `.xlsx` sheet gathered into rows, whichever walk gives them.
struct SheetRows<'s> {
    sheet: &'s str,
    percent_style: &'s [bool],
    row: Option<u32>,
    cells: Vec<(u32, Cell)>,
    count: u64,
}

impl<'s> SheetRows<'s> {
    fn new(sheet: &'s str, percent_style: &'s [bool]) -> SheetRows<'s> {
        SheetRows {
            sheet,
            percent_style,
            row: None,
            cells: Vec::new(),
            count: 0,
        }
    }

    /// Takes the cell at 0-based (`r`, `c`) in style `style`; a new row hands the last
    /// one to `f`, whose `Break` is returned.
    fn take(
        &mut self,
        r: u32,
        c: u32,
        value: Cell,
        style: usize,
        f: &mut RowFn<'_>,
    ) -> Result<ControlFlow<()>, FileProblem> {
        let value = if self.percent_style.get(style) == Some(&true) {
            as_percent(value)
        } else {
            value
        };
        if value.is_blank() {
            return Ok(ControlFlow::Continue(()));
        }
        check_length(&value, self.sheet, r, c)?;
        self.count += 1;
        if self.count > MAX_CELLS {
            return Err(FileProblem::TooLarge(self.sheet.to_string()));
        }
        if self.row != Some(r) {
            if let Some(prev) = self.row {
                if self.flush(prev, f).is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
            self.row = Some(r);
        }
        self.cells.push((c, value));
        Ok(ControlFlow::Continue(()))
    }

    fn flush(&mut self, row: u32, f: &mut RowFn<'_>) -> ControlFlow<()> {
        self.cells.sort_by_key(|(c, _)| *c);
        self.cells.dedup_by_key(|(c, _)| *c);
        let flow = f(row, &mut self.cells);
        self.cells.clear();
        flow
    }

    /// Hands the last row to `f`.
    fn finish(mut self, f: &mut RowFn<'_>) {
        if let Some(prev) = self.row {
            let _ = self.flush(prev, f);
        }
    }
}

/// What the walking thread of [`stream_xlsx_apart`] hands over.
enum Walked {
    /// The sheet's declared size.
    Size(u32),
    /// Rows, each with its cells.
    Rows(Rows),
}

/// Rows, each with its cells, in row order.
type Rows = Vec<(u32, Vec<(u32, Cell)>)>;

/// Rows handed over at once: one wake-up of the taking thread per batch, not per row.
const WALKED_BATCH: usize = 256;

/// Batches walked ahead of the taking thread at most: 2,048 rows, enough to keep the
/// taking thread fed, without holding much of the sheet. The direct walk outruns the
/// taking thread, so the hand-over is full most of the time, and each row held is its
/// cells' texts: 32 batches took 6 MiB more of a 100,000-row file's peak than 8.
const WALKED_AHEAD: usize = 8;

/// [`stream_xlsx`] with the cells walked on a thread of their own. An error of the walk
/// (a cell too long, too many cells) comes after the rows walked before it, as it does
/// from [`stream_xlsx`]; `f` asking to stop stops the walk.
///
/// `before` runs on this thread once the walk has started and before any row (or the
/// size) is taken: what the rows need first is done while the first ones are walked.
/// When it says `Break`, the walk is abandoned (nothing was taken) and `Ok(Break)` is
/// returned.
fn stream_xlsx_apart(
    x: &mut XlsxBook,
    part: Option<Part<'_>>,
    sheet: &str,
    before: &mut dyn FnMut() -> ControlFlow<()>,
    size: &mut dyn FnMut(u32),
    f: &mut RowFn<'_>,
) -> Result<ControlFlow<()>, FileProblem> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Walked>(WALKED_AHEAD);
    std::thread::scope(|s| {
        // A reader thread: a panic of calamine's there is silent and refuses the file,
        // as on the reader's own thread.
        let walker = super::guard::spawn_reader(s, move || {
            let mut batch = Vec::with_capacity(WALKED_BATCH);
            let tx = &tx;
            let mut told = |n| {
                let _ = tx.send(Walked::Size(n));
            };
            let walked = stream_xlsx(
                x,
                sheet,
                &mut told,
                &mut |r, cells| {
                    batch.push((r, std::mem::replace(cells, Vec::with_capacity(cells.len()))));
                    if batch.len() < WALKED_BATCH {
                        return ControlFlow::Continue(());
                    }
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(WALKED_BATCH));
                    match tx.send(Walked::Rows(full)) {
                        Ok(()) => ControlFlow::Continue(()),
                        // The taking side stopped: nothing more is wanted.
                        Err(_) => ControlFlow::Break(()),
                    }
                },
                part,
            );
            if !batch.is_empty() {
                let _ = tx.send(Walked::Rows(batch));
            }
            walked
        });
        if before().is_break() {
            // Dropping the receiver ends the walk; what it found is not wanted.
            drop(rx);
            let _ = walker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            return Ok(ControlFlow::Break(()));
        }
        'taking: for walked in rx.iter() {
            match walked {
                Walked::Size(n) => size(n),
                Walked::Rows(rows) => {
                    for (r, mut cells) in rows {
                        if f(r, &mut cells).is_break() {
                            break 'taking;
                        }
                    }
                }
            }
        }
        // Dropping the receiver ends a walk that `f` stopped.
        drop(rx);
        // A panic of the walk goes on in this thread, which the import's reader guard
        // turns into a refused file, as it would have been on one thread.
        walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            .map(|()| ControlFlow::Continue(()))
    })
}

/// Refuses a text cell longer than Excel lets a cell be ([`MAX_CELL_CHARS`]): such a
/// file was not saved by Excel, and the text would be stored (and copied into every
/// cell of a merge) whole.
fn check_length(v: &Cell, sheet: &str, row: u32, col: u32) -> Result<(), FileProblem> {
    if let Cell::Text(s) = v {
        // Bytes bound characters from above; count them only when it can matter.
        if s.len() > MAX_CELL_CHARS {
            let chars = s.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(FileProblem::CellTooLong {
                    sheet: sheet.to_string(),
                    row: row + 1,
                    column: column_letter(col),
                    chars,
                });
            }
        }
    }
    Ok(())
}

/// A number cell read as a percentage; any other cell as it is.
fn as_percent(cell: Cell) -> Cell {
    match cell {
        Cell::Float(f) => Cell::Percent(f),
        Cell::Int(i) => Cell::Percent(i as f64),
        other => other,
    }
}

fn walk_range(
    r: &calamine::Range<Data>,
    sheet: &str,
    mut percent: PercentCells,
    size: &mut dyn FnMut(u32),
    f: &mut RowFn<'_>,
) -> Result<(), FileProblem> {
    let Some((r0, c0)) = r.start() else {
        return Ok(());
    };
    if let Some((last, _)) = r.end() {
        size(last.saturating_add(1));
    }
    if (r.width() as u64).saturating_mul(r.height() as u64) > MAX_CELLS * 4 {
        return Err(FileProblem::TooLarge(sheet.to_string()));
    }
    let mut cells = Vec::new();
    for (i, row) in r.rows().enumerate() {
        cells.clear();
        let row_idx = r0 + i as u32;
        for (j, d) in row.iter().enumerate() {
            let mut v = from_data(d);
            if v.is_blank() {
                continue;
            }
            let col = c0 + j as u32;
            check_length(&v, sheet, row_idx, col)?;
            if !percent.is_empty() && percent.contains(row_idx, col) {
                v = as_percent(v);
            }
            cells.push((col, v));
        }
        if !cells.is_empty() && f(row_idx, &mut cells).is_break() {
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
    use crate::import::xlsx_cells::tests::{package, parts_of};

    /// An `.xlsx` of `rows` rows (a name, a number, a percent-formatted number, a gap,
    /// a date-like text), with a text too long for a cell in row `too_long` if given.
    fn sheet_bytes(rows: u32, too_long: Option<u32>) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        let ws = book.add_worksheet();
        for r in 0..rows {
            ws.write_string(r, 0, format!("单位{r}")).unwrap();
            ws.write_number(r, 1, f64::from(r) / 8.0).unwrap();
            ws.write_number_with_format(r, 2, 0.955, &pct).unwrap();
            if r % 3 == 0 {
                ws.write_string(r, 4, "2026-11-28").unwrap();
            }
        }
        if let Some(r) = too_long {
            ws.write_string(r, 5, "TOO_LONG").unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        if too_long.is_none() {
            return bytes;
        }
        // rust_xlsxwriter refuses such a text: put it in the package's strings itself.
        crate::import::xlsx_cells::tests::edit_parts(bytes, |name, data| {
            if name != "xl/sharedStrings.xml" {
                return data;
            }
            String::from_utf8(data)
                .unwrap()
                .replace("TOO_LONG", &"长".repeat(MAX_CELL_CHARS + 1))
                .into_bytes()
        })
    }

    #[test]
    fn a_part_too_small_to_inflate_past_the_limit_is_not_inflated_to_be_measured() {
        // Zeros are what deflate packs tightest: even they stay within 1,032 bytes for each
        // byte read, the bound `inflates_within` relies on.
        let zeros = vec![0u8; 8 << 20];
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let best = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9));
        out.start_file("xl/sharedStrings.xml", best).unwrap();
        std::io::Write::write_all(&mut out, &zeros).unwrap();
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        out.start_file("xl/styles.xml", stored).unwrap();
        std::io::Write::write_all(&mut out, &[b'a'; 1000]).unwrap();
        let bytes = out.finish().unwrap().into_inner();
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let part = zip.by_name("xl/sharedStrings.xml").unwrap();
        let packed = part.compressed_size();
        assert!(
            packed * 1032 >= zeros.len() as u64,
            "{packed} bytes hold 8 MiB"
        );
        assert!(inflates_within(&part, 64 << 20));
        assert!(!inflates_within(&part, 1 << 20));
        drop(part);
        let part = zip.by_name("xl/styles.xml").unwrap();
        assert!(inflates_within(&part, 1000));
        assert!(!inflates_within(&part, 999));
        drop(part);
        assert_eq!(check_xlsx_parts(&bytes), Ok(()));
    }

    /// The rows (with their cells) and the outcome of reading `bytes`, walked on one
    /// thread or two, stopping after `stop` rows if given.
    fn walk(
        bytes: &[u8],
        apart: bool,
        stop: Option<usize>,
    ) -> (Rows, Vec<u32>, Result<(), FileProblem>) {
        rows_of(bytes, stop, |book, sheet, size, f| {
            book.for_each_row_sized(sheet, apart, size, f)
        })
    }

    /// What `read` gives of the first visible sheet of `bytes` — the rows with their
    /// cells, the sizes told, the outcome — the rows stopped after `stop` if given.
    fn rows_of(
        bytes: &[u8],
        stop: Option<usize>,
        read: impl FnOnce(
            &mut Workbook,
            &str,
            &mut dyn FnMut(u32),
            &mut RowFn<'_>,
        ) -> Result<(), FileProblem>,
    ) -> (Rows, Vec<u32>, Result<(), FileProblem>) {
        let mut book = open(bytes.to_vec(), "a.xlsx").unwrap();
        let sheet = book.visible_sheets()[0].clone();
        let mut rows = Vec::new();
        let mut sizes = Vec::new();
        let mut f = |r: u32, cells: &mut Vec<(u32, Cell)>| {
            rows.push((r, cells.clone()));
            if stop == Some(rows.len()) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let out = read(&mut book, &sheet, &mut |n| sizes.push(n), &mut f);
        (rows, sizes, out)
    }

    #[test]
    fn cells_walked_on_their_own_thread_come_as_on_one() {
        // Fewer rows than a batch, several batches and a part, a cell too long after
        // some batches, a reader stopping within a batch and on its edge.
        let cases = [
            (sheet_bytes(3, None), None),
            (sheet_bytes(1000, None), None),
            (sheet_bytes(700, Some(600)), None),
            (sheet_bytes(1000, None), Some(300)),
            (sheet_bytes(1000, None), Some(WALKED_BATCH)),
        ];
        for (bytes, stop) in &cases {
            let one = walk(bytes, false, *stop);
            let two = walk(bytes, true, *stop);
            assert_eq!(one, two, "stop {stop:?}");
            assert!(!one.0.is_empty());
        }
        // The cases mean what they say.
        let (rows, sizes, out) = walk(&cases[2].0, true, None);
        assert!(
            matches!(out, Err(FileProblem::CellTooLong { row: 601, .. })),
            "{out:?}"
        );
        assert_eq!(rows.len(), 600);
        assert_eq!(sizes, vec![700]);
        assert!(matches!(
            walk(&cases[1].0, true, None).0[8].1[2].1,
            Cell::Percent(_)
        ));
        assert_eq!(walk(&cases[3].0, true, Some(300)).0.len(), 300);
    }

    /// A sheet of `rows` rows with a merged heading and a merged cell every 100 rows.
    fn merged_sheet_bytes(rows: u32) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let plain = rust_xlsxwriter::Format::new();
        let ws = book.add_worksheet();
        ws.merge_range(0, 0, 0, 3, "申报汇总", &plain).unwrap();
        for r in 1..rows {
            ws.write_string(r, 0, format!("单位{r}")).unwrap();
            ws.write_number(r, 1, f64::from(r)).unwrap();
            if r % 100 == 0 && r + 1 < rows {
                ws.merge_range(r, 2, r + 1, 2, "合并", &plain).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    /// `bytes` with the recorded checksum of its first sheet part made wrong, in the
    /// central directory and the local header: the part inflates, but not to an end
    /// the zip reader accepts.
    fn with_bad_sheet_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
        let name = b"xl/worksheets/sheet1.xml";
        let mut patched = 0;
        for i in 0..bytes.len().saturating_sub(46) {
            let (sig, crc_at, name_at) = match &bytes[i..i + 4] {
                [b'P', b'K', 3, 4] => ("local", 14, 30),
                [b'P', b'K', 1, 2] => ("central", 16, 46),
                _ => continue,
            };
            let len_at = if sig == "local" { 26 } else { 28 };
            let len = usize::from(u16::from_le_bytes([
                bytes[i + len_at],
                bytes[i + len_at + 1],
            ]));
            if bytes.get(i + name_at..i + name_at + len) == Some(&name[..]) {
                for b in &mut bytes[i + crc_at..i + crc_at + 4] {
                    *b ^= 0x5A;
                }
                patched += 1;
            }
        }
        assert!(patched >= 1, "no sheet part found to patch");
        bytes
    }

    /// The merged regions, rows and outcome of reading `bytes` through
    /// [`Workbook::for_each_row_merged`], on one thread or two.
    fn walk_merged(bytes: &[u8], apart: bool) -> (Vec<Merge>, Rows, Result<(), FileProblem>) {
        let mut book = open(bytes.to_vec(), "a.xlsx").unwrap();
        let sheet = book.visible_sheets()[0].clone();
        let mut merges = Vec::new();
        let mut rows = Vec::new();
        let row_seen = std::cell::Cell::new(false);
        let out = book.for_each_row_merged(
            &sheet,
            apart,
            &mut |m| {
                assert!(!row_seen.get(), "the regions come before the rows");
                merges = m;
            },
            &mut |_| {},
            &mut |r, cells| {
                row_seen.set(true);
                rows.push((r, cells.clone()));
                ControlFlow::Continue(())
            },
        );
        (merges, rows, out)
    }

    #[test]
    fn a_sheet_walked_directly_comes_as_calamine_gives_it() {
        // Rows, cells, percentages, and a cell too long refused at its place after the
        // rows before it — the long text a shared string, taken cell by cell.
        for bytes in [sheet_bytes(3, None), sheet_bytes(700, Some(600))] {
            let entry = super::super::xlsx_merges::sheet_entry(&bytes, "Sheet1").unwrap();
            let part = super::super::xlsx_merges::read_part(&bytes, &entry, u64::MAX).unwrap();
            let strings = super::super::xlsx_cells::shared_strings(&bytes).unwrap();
            let mut book = open(bytes.clone(), "a.xlsx").unwrap();
            let Book::Xlsx(x) = &mut book.book else {
                panic!("an xlsx book");
            };
            let styles =
                x.b.worksheet_cells_reader("Sheet1")
                    .unwrap()
                    .styles()
                    .to_vec();
            let plain = super::super::xlsx_cells::plain_styles(&styles);
            assert!(
                super::super::xlsx_cells::walk(&part, &strings, &plain).is_some(),
                "the sheet is one the direct walk takes"
            );
            let (_, direct, out) = walk_merged(&bytes, false);
            let (rows, _, calamine) = by_calamine(&bytes, None);
            assert_eq!(direct, rows);
            assert_eq!(format!("{out:?}"), format!("{calamine:?}"));
        }
        let (_, rows, out) = walk_merged(&sheet_bytes(700, Some(600)), false);
        assert!(
            matches!(out, Err(FileProblem::CellTooLong { row: 601, .. })),
            "{out:?}"
        );
        assert_eq!(rows.len(), 600);
    }

    /// The rows of the workbook's first sheet as calamine's walk alone gives them.
    fn by_calamine(bytes: &[u8], stop: Option<usize>) -> (Rows, Vec<u32>, Result<(), FileProblem>) {
        rows_of(bytes, stop, |book, sheet, size, f| {
            let Book::Xlsx(x) = &mut book.book else {
                panic!("an xlsx book");
            };
            stream_xlsx(x, sheet, size, f, None)
        })
    }

    /// What calamine's walk alone gives of the first sheet of `bytes`, asserting that
    /// every path gives the same rows: on one thread or two, with the merged regions.
    fn reads_as_calamine(bytes: &[u8], what: &str) -> (Rows, Vec<u32>, Result<(), FileProblem>) {
        let calamine = by_calamine(bytes, None);
        for apart in [false, true] {
            assert_eq!(walk(bytes, apart, None), calamine, "{what}, apart {apart}");
            assert_eq!(
                walk_merged(bytes, apart).1,
                calamine.0,
                "{what}, apart {apart}"
            );
        }
        calamine
    }

    /// A workbook of `rows` rows whose shared strings take more than [`STRINGS_APART`],
    /// its row `odd` (0-based) holding `odd_cell` in column D.
    fn many_strings(
        rows: u32,
        odd: u32,
        odd_cell: impl FnOnce(&mut rust_xlsxwriter::Worksheet, u32),
    ) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for r in 0..rows {
            ws.write_string(r, 0, format!("市直机关第{r}党支部（示范点）"))
                .unwrap();
            ws.write_string(r, 1, format!("91440100MA{r:08}")).unwrap();
            ws.write_number(r, 2, f64::from(r % 100) + 0.5).unwrap();
        }
        odd_cell(ws, odd);
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn regions_read_ahead_are_those_read_on_the_spot() {
        // A workbook with large strings whose first sheet is hidden: the regions of the
        // first visible one are read ahead; another sheet's are read when it is read.
        let mut book = rust_xlsxwriter::Workbook::new();
        let hidden = book.add_worksheet().set_name("隐藏").unwrap();
        hidden.write_string(0, 0, "x").unwrap();
        hidden
            .merge_range(0, 0, 0, 3, "x", &rust_xlsxwriter::Format::new())
            .unwrap();
        hidden.set_hidden(true);
        let first = book.add_worksheet().set_name("申报").unwrap();
        for r in 0..30_000 {
            first
                .write_string(r, 0, format!("市直机关第{r}党支部（示范点）"))
                .unwrap();
        }
        let merge = rust_xlsxwriter::Format::new();
        first.merge_range(1, 1, 2, 3, "合并", &merge).unwrap();
        first
            .merge_range(29_990, 4, 29_999, 4, "末", &merge)
            .unwrap();
        first.set_active(true);
        let other = book.add_worksheet().set_name("另表").unwrap();
        other.merge_range(5, 0, 5, 2, "另", &merge).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        for apart in [true, false] {
            let mut book = open(bytes.clone(), "a.xlsx").unwrap();
            let Book::Xlsx(x) = &book.book else {
                panic!("an xlsx book");
            };
            let first_entry = super::super::xlsx_merges::sheet_entry(&bytes, "申报");
            assert_eq!(
                x.regions_ahead.as_ref().map(|a| Some(a.entry.clone())),
                Some(first_entry)
            );
            for sheet in ["申报", "另表"] {
                let mut merges = Vec::new();
                book.for_each_row_merged(
                    sheet,
                    apart,
                    &mut |m| merges = m,
                    &mut |_| {},
                    &mut |_, _| ControlFlow::Continue(()),
                )
                .unwrap();
                let mut calamine = Xlsx::new(Cursor::new(bytes.clone()))
                    .unwrap()
                    .merge_cells_by_sheet_name(sheet)
                    .unwrap();
                let key = |d: &Merge| (d.start, d.end);
                merges.sort_by_key(key);
                calamine.sort_by_key(key);
                assert_eq!(merges, calamine, "{sheet}, apart {apart}");
                assert!(!merges.is_empty());
                // Walking apart, the regions read ahead were taken for the first sheet
                // (read on this thread, its part held whole gives them).
                let Book::Xlsx(x) = &book.book else {
                    panic!("an xlsx book");
                };
                assert!(!apart || x.regions_ahead.is_none(), "{sheet}: taken");
            }
        }
    }

    #[test]
    fn a_workbook_opened_without_its_strings_reads_as_with_them() {
        // Large strings: calamine opens the workbook without them. Walked directly;
        // declined half-way by a boolean (calamine's walk, with the strings, goes on);
        // and with an ampersand in a string, which the direct walk does not read (all
        // of it calamine's).
        let plain = many_strings(30_000, 20_000, |_, _| {});
        let boolean = many_strings(30_000, 20_000, |ws, r| {
            ws.write_boolean(r, 3, true).unwrap();
        });
        let ampersand = many_strings(30_000, 20_000, |ws, r| {
            ws.write_string(r, 3, "A&B").unwrap();
        });
        for (what, bytes) in [
            ("plain", &plain),
            ("boolean", &boolean),
            ("ampersand", &ampersand),
        ] {
            let book = open(bytes.clone(), "a.xlsx").unwrap();
            let Book::Xlsx(x) = &book.book else {
                panic!("an xlsx book");
            };
            assert!(x.hidden, "{what}: opened without the strings");
            let calamine = reads_as_calamine(bytes, what);
            assert_eq!(calamine.0.len(), 30_000, "{what}");
            assert!(
                matches!(&calamine.0[7].1[0].1, Cell::Text(t) if t == "市直机关第7党支部（示范点）"),
                "{what}: {:?}",
                calamine.0[7]
            );
        }
        assert!(matches!(
            by_calamine(&ampersand, None).0[20_000].1[3].1,
            Cell::Text(ref t) if t == "A&B"
        ));
        // Small strings are left to calamine's opening.
        let book = open(sheet_bytes(50, None), "a.xlsx").unwrap();
        assert!(matches!(&book.book, Book::Xlsx(x) if !x.hidden));
    }

    #[test]
    fn a_sheet_walked_in_pieces_comes_as_calamine_gives_it() {
        // A part of many pieces: plain; with a cell too long at row 5001; stopped by the
        // reader; and with a boolean at row 4001, which the walk declines after handing
        // over the rows before it — calamine goes on from there.
        let with_boolean = {
            let mut book = rust_xlsxwriter::Workbook::new();
            let ws = book.add_worksheet();
            for r in 0..6000 {
                ws.write_string(r, 0, format!("单位{r}")).unwrap();
                ws.write_number(r, 1, f64::from(r) / 8.0).unwrap();
            }
            ws.write_boolean(4000, 2, true).unwrap();
            book.save_to_buffer().unwrap()
        };
        let cases = [
            (sheet_bytes(6000, None), None),
            (sheet_bytes(6000, Some(5000)), None),
            (sheet_bytes(6000, None), Some(3000)),
            (with_boolean.clone(), None),
        ];
        for (i, (bytes, stop)) in cases.iter().enumerate() {
            let calamine = by_calamine(bytes, *stop);
            assert!(calamine.0.len() >= 3000, "case {i}");
            for apart in [false, true] {
                assert_eq!(
                    walk(bytes, apart, *stop),
                    calamine,
                    "case {i}, apart {apart}"
                );
            }
            if stop.is_none() {
                let (_, rows, out) = walk_merged(bytes, true);
                assert_eq!(rows, calamine.0, "case {i}, merged");
                assert_eq!(format!("{out:?}"), format!("{:?}", calamine.2), "case {i}");
            }
        }
        // The cases mean what they say: the part is walked in many pieces, and the one
        // with a boolean declined after some of them.
        let entry = super::super::xlsx_merges::sheet_entry(&with_boolean, "Sheet1").unwrap();
        let part = super::super::xlsx_merges::read_part(&with_boolean, &entry, u64::MAX).unwrap();
        assert!(part.len() > 4 << 16, "{} bytes", part.len());
        let strings = super::super::xlsx_cells::shared_strings(&with_boolean).unwrap();
        let (mut pieces, mut handed) = (0, 0);
        let end = super::super::xlsx_cells::walk_pieces(
            &with_boolean,
            &entry,
            &strings,
            &[true],
            |cells| {
                pieces += 1;
                handed += cells.len();
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(end, Pieces::Declined);
        assert!(
            pieces > 3 && handed > 4000,
            "{pieces} pieces, {handed} cells"
        );
        assert!(matches!(
            by_calamine(&cases[1].0, None).2,
            Err(FileProblem::CellTooLong { row: 5001, .. })
        ));
    }

    #[test]
    fn a_package_whose_parts_calamine_finds_elsewhere_is_read_by_calamine() {
        // The workbook moved to `doc/` (as `_rels/.rels` says), and another one left at
        // `xl/`, where a reader that does not follow the relations would look; and a
        // package with two sheet parts named alike but for case. Both are read as
        // calamine reads them: the rows of the workbook calamine opens.
        let real = sheet_bytes(50, None);
        let decoy = {
            let mut book = rust_xlsxwriter::Workbook::new();
            let ws = book.add_worksheet();
            for r in 0..50 {
                ws.write_string(r, 0, "假的").unwrap();
            }
            book.save_to_buffer().unwrap()
        };
        let mut moved: Vec<(String, Vec<u8>)> = parts_of(&real)
            .into_iter()
            .map(|(name, data)| match name.strip_prefix("xl/") {
                Some(rest) => (format!("doc/{rest}"), data),
                None if name == "_rels/.rels" => {
                    let rels = String::from_utf8(data).unwrap();
                    (
                        name,
                        rels.replace("xl/workbook.xml", "doc/workbook.xml")
                            .into_bytes(),
                    )
                }
                None => (name, data),
            })
            .collect();
        moved.extend(
            parts_of(&decoy)
                .into_iter()
                .filter(|(n, _)| n.starts_with("xl/")),
        );
        let moved = package(moved);
        let mut twice = parts_of(&real);
        let sheet = twice
            .iter()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .clone();
        let decoy_sheet = parts_of(&decoy)
            .into_iter()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1;
        twice.retain(|(n, _)| n != "xl/worksheets/sheet1.xml");
        twice.push(("XL/worksheets/sheet1.xml".to_string(), decoy_sheet));
        twice.push(sheet);
        let twice = package(twice);
        for (what, bytes) in [("moved", &moved), ("named twice", &twice)] {
            assert_eq!(
                super::super::xlsx_merges::sheet_entry(bytes, "Sheet1"),
                None,
                "{what}"
            );
            let calamine = reads_as_calamine(bytes, what);
            assert!(
                matches!(&calamine.0[0].1[0].1, Cell::Text(t) if t == "单位0"),
                "{what}: {:?}",
                calamine.0[0]
            );
        }
    }

    #[test]
    fn merges_read_beside_the_walk_are_those_read_before_it() {
        let good = merged_sheet_bytes(3000);
        let one = walk_merged(&good, false);
        assert_eq!(one, walk_merged(&good, true));
        assert_eq!(one.0.len(), 30, "{:?}", one.0);
        assert_eq!(one.1.len(), 3000);
        assert!(one.2.is_ok());
        // A part whose end the zip reader refuses: the regions are calamine's (the walk
        // abandoned and started again), the rows all there, the same either way.
        let bad = with_bad_sheet_checksum(good);
        let entry = super::super::xlsx_merges::sheet_entry(&bad, "Sheet1").unwrap();
        assert_eq!(super::super::xlsx_merges::regions_in(&bad, &entry), None);
        let one = walk_merged(&bad, false);
        assert_eq!(one, walk_merged(&bad, true));
        assert_eq!(one.1.len(), 3000);
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
    fn the_content_decides_not_the_name() {
        let csv = open(
            "单位名称,层级,单位类型\n甲,市级,机关\n".as_bytes().to_vec(),
            "申报表.xls",
        )
        .unwrap();
        assert_eq!(csv.format, Format::Csv);
        assert_eq!(csv.visible_sheets(), vec!["申报表"]);
        let html = open(b"<table><tr><td>a</td></tr></table>".to_vec(), "x").unwrap();
        assert_eq!(html.format, Format::Html);
        assert_eq!(html.visible_sheets(), vec!["x"]);
        let xml = open(
            b"<?xml version=\"1.0\"?><Workbook><Worksheet ss:Name=\"A\"/></Workbook>".to_vec(),
            "x.xml",
        )
        .unwrap();
        assert_eq!(xml.format, Format::Xml2003);
        assert_eq!(xml.visible_sheets(), vec!["A"]);
        // "<" that opens no element is CSV text.
        let angled = open(
            "<序号>,<名称>,<层级>\n1,甲,市级\n".as_bytes().to_vec(),
            "x.csv",
        )
        .unwrap();
        assert_eq!(angled.format, Format::Csv);
        // Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "单位名称\t层级\t单位类型\r\n甲\t市级\t机关\r\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        let mut book = open(utf16, "unicode.txt").unwrap();
        assert_eq!(book.format, Format::Csv);
        let mut rows = Vec::new();
        book.for_each_row("unicode", &mut |r, cells| {
            rows.push((
                r,
                cells
                    .iter()
                    .map(|(c, v)| (*c, v.display()))
                    .collect::<Vec<_>>(),
            ));
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(
            rows[1],
            (
                1,
                vec![(0, "甲".into()), (1, "市级".into()), (2, "机关".into())]
            )
        );
    }

    #[test]
    fn refusals_say_what_the_file_is() {
        let refused = |bytes: &[u8], name: &str| open(bytes.to_vec(), name).err();
        assert_eq!(refused(b"hello", "x.xlsx"), Some(FileProblem::PlainText));
        assert_eq!(refused(b"", "x.xls"), Some(FileProblem::Empty));
        assert_eq!(refused(b"%PDF-1.4", "x.xls"), Some(FileProblem::Pdf));
        assert_eq!(
            refused("<html><body><p>无</p></body></html>".as_bytes(), "x.xls"),
            Some(FileProblem::WebPageWithoutTable)
        );
        assert_eq!(
            refused(b"<?xml version=\"1.0\"?><root><a/></root>", "x.xml"),
            Some(FileProblem::OtherXml)
        );
        assert_eq!(
            refused(b"\x00\x01\x02", "x.xls"),
            Some(FileProblem::NotWorkbook)
        );
        assert_eq!(refused(&[0xD0, 0xCF], "x.et"), Some(FileProblem::Wps));
        assert!(FileProblem::Wps.to_string().contains("另存为.xlsx"));
        assert_eq!(
            FileProblem::Archive(ArchiveKind::Rar).to_string(),
            "这是压缩包（.rar），请解压后导入其中的Excel文件"
        );
    }
}
