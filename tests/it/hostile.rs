//! Hostile files that used to end a whole batch (issue 9): each is generated here, from
//! a real return or from scratch, and fed to `mofan import` in a child process with
//! 2 GiB of address space. Each must be refused with its own message (or imported, where
//! the file is a return), never abort the process, hang, or change the database.
//!
//! The test code is the generator: the large files are made at test time in a temporary
//! folder, each by the function named after what it reproduces.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, *};
use mofan::import::workbook::{self, column_letter};
use mofan::store::Store;

/// How long one import of a hostile file or batch may take.
const LIMIT: Duration = Duration::from_secs(30);

/// `mofan import --campaign 2026 [--json] FILES` under `ulimit -v` 2 GiB, killed after
/// [`LIMIT`].
fn import_child(db: &Path, files: &[PathBuf], json: bool) -> Run {
    common::import_child(db, files, json, LIMIT)
}

/// A database with the 2026 campaign, in `dir`.
fn database(dir: &Path) -> PathBuf {
    db_2026(dir.join("hostile.db"))
}

/// Imports `file` alone and asserts it is refused with `message` as its first error,
/// exit 1, nothing changed; returns the report.
fn assert_refused(file: &Path, message: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let before = fingerprint(&Store::open(&db).unwrap());
    let run = import_child(&db, &[file.to_path_buf()], true);
    assert_eq!(run.code, Some(1), "{}: {}", file.display(), run.stderr);
    // Nothing of a reader's own panic reaches the user.
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", run.stderr));
    let report = json[0].clone();
    assert_eq!(report["status"], "rejected");
    assert_eq!(report["errors"][0]["message"], message, "{report}");
    assert_eq!(fingerprint(&Store::open(&db).unwrap()), before);
    report
}

/// A valid one-return workbook.
fn good_return(path: &Path, name: &str) {
    write_xlsx(path, &HEADER, &[city_row(name, 90.0)]);
}

/// The package `xlsx` with each part rewritten by `f` (returning `None` keeps it).
fn rezip(xlsx: &[u8], f: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let data = f(&name, &data).unwrap_or(data);
        w.start_file(name, options).unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A return whose sheet starts with a title row above the header, the title being the
/// shared string "TITLE" (to be replaced by the caller).
fn titled_return() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    ws.write_string(0, 0, "TITLE").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "测试市机关").unwrap();
    wb.save_to_buffer().unwrap()
}

/// `titled_return` with the shared strings part replaced by `sst`.
fn with_shared_strings(sst: Vec<u8>) -> Vec<u8> {
    rezip(&titled_return(), |name, _| {
        (name == "xl/sharedStrings.xml").then(|| sst.clone())
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

// ----- .xls: records checked before calamine sizes a grid from them -----

/// A BIFF record: offset, type, body length.
type Record = (usize, u16, usize);

/// The records of a BIFF stream.
fn records(data: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 4 <= data.len() {
        let typ = u16::from_le_bytes([data[pos], data[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([data[pos + 2], data[pos + 3]]));
        out.push((pos, typ, len));
        pos += 4 + len;
    }
    out
}

/// The real `.xls` sample with its Workbook stream changed by `f` (given the stream and
/// the records of its first sheet); returns the bytes and the first sheet's name.
fn patched_xls(f: impl Fn(&mut Vec<u8>, &[Record])) -> (Vec<u8>, String) {
    let path = fixture("samples/02_广州市番禺区.xls");
    let original = std::fs::read(&path).unwrap();
    let sheet = workbook::open(original.clone(), "x.xls")
        .unwrap()
        .visible_sheets()[0]
        .clone();
    let mut cfb = cfb::CompoundFile::open(Cursor::new(original)).unwrap();
    let mut data = Vec::new();
    cfb.open_stream("/Workbook")
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    let all = records(&data);
    // The first sheet's substream: from the second BOF to its EOF.
    let start = all.iter().filter(|r| r.1 == 0x0809).nth(1).unwrap().0;
    let sheet_records: Vec<_> = all
        .iter()
        .copied()
        .skip_while(|r| r.0 < start)
        .take_while(|r| r.1 != 0x000A)
        .collect();
    f(&mut data, &sheet_records);
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(&data)
        .unwrap();
    cfb.flush().unwrap();
    (cfb.into_inner().into_inner(), sheet)
}

fn xls_with_dimension_of_2pow31_rows() -> (Vec<u8>, String) {
    patched_xls(|data, sheet| {
        let (pos, _, len) = *sheet.iter().find(|r| r.1 == 0x0200).unwrap();
        assert_eq!(len, 14, "a BIFF8 DIMENSION");
        let body = pos + 4;
        data[body..body + 4].copy_from_slice(&0u32.to_le_bytes());
        data[body + 4..body + 8].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        data[body + 8..body + 10].copy_from_slice(&0u16.to_le_bytes());
        data[body + 10..body + 12].copy_from_slice(&10u16.to_le_bytes());
    })
}

/// The first cell record of the first sheet moved to column 0xFFFF; also gives its row.
fn xls_with_cell_at_column_0xffff() -> (Vec<u8>, String, u32) {
    let row = std::cell::Cell::new(0u32);
    let (bytes, sheet) = patched_xls(|data, sheet| {
        let (pos, ..) = *sheet
            .iter()
            .find(|r| matches!(r.1, 0x00FD | 0x0203 | 0x027E | 0x0204))
            .unwrap();
        row.set(u32::from(u16::from_le_bytes([
            data[pos + 4],
            data[pos + 5],
        ])));
        data[pos + 6..pos + 8].copy_from_slice(&0xFFFFu16.to_le_bytes());
    });
    (bytes, sheet, row.get())
}

#[test]
fn xls_dimension_claiming_2pow31_rows_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, sheet) = xls_with_dimension_of_2pow31_rows();
    let file = write(dir.path(), "dimension_2pow31_rows.xls", &bytes);
    assert_refused(
        &file,
        &format!(
            "工作表“{sheet}”的记录把区域声明为第1至2147483648行、第1至10列，超出.xls格式的范围（65536行、256列），文件已损坏或被改动；请在Excel中打开核对后另存为.xlsx"
        ),
    );
}

#[test]
fn xls_cell_at_column_0xffff_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, sheet, row) = xls_with_cell_at_column_0xffff();
    let file = write(dir.path(), "cell_at_column_ffff.xls", &bytes);
    assert_refused(
        &file,
        &format!(
            "工作表“{sheet}”的记录把单元格放在第{}行{}列，超出.xls格式的范围（65536行、256列），文件已损坏或被改动；请在Excel中打开核对后另存为.xlsx",
            row + 1,
            column_letter(0xFFFF)
        ),
    );
}

#[test]
fn xls_dimension_whose_first_row_is_its_end_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // calamine subtracts the first row from the last: 5 - 1 - 5 wraps to 2³² rows.
    let (bytes, sheet) = patched_xls(|data, sheet| {
        let (pos, ..) = *sheet.iter().find(|r| r.1 == 0x0200).unwrap();
        let body = pos + 4;
        data[body..body + 4].copy_from_slice(&5u32.to_le_bytes());
        data[body + 4..body + 8].copy_from_slice(&5u32.to_le_bytes());
        data[body + 8..body + 10].copy_from_slice(&0u16.to_le_bytes());
        data[body + 10..body + 12].copy_from_slice(&10u16.to_le_bytes());
    });
    let file = write(dir.path(), "dimension_first_row_is_end.xls", &bytes);
    assert_refused(
        &file,
        &format!(
            "工作表“{sheet}”的记录把区域声明为第6至5行、第1至10列，超出.xls格式的范围（65536行、256列），文件已损坏或被改动；请在Excel中打开核对后另存为.xlsx"
        ),
    );
}

/// calamine's MULRK parser subtracts colFirst from colLast in 16 bits: with colLast
/// before colFirst it panics where overflow is checked (as in the test build). The
/// panic refuses the file; its message, with the paths of the machine that built
/// calamine, is not printed.
#[cfg(debug_assertions)]
#[test]
fn a_reader_panic_prints_only_mofans_message() {
    let dir = tempfile::tempdir().unwrap();
    let (bytes, _) = patched_xls(|data, sheet| {
        let (pos, ..) = *sheet.iter().find(|r| r.1 == 0x00FD).unwrap();
        // A LABELSST (10 bytes) turned into a MULRK: colFirst 5, no pairs, colLast 0.
        data[pos..pos + 2].copy_from_slice(&0x00BDu16.to_le_bytes());
        data[pos + 6..pos + 8].copy_from_slice(&5u16.to_le_bytes());
        data[pos + 12..pos + 14].copy_from_slice(&0u16.to_le_bytes());
    });
    let file = write(dir.path(), "mulrk_last_before_first.xls", &bytes);
    let dir2 = tempfile::tempdir().unwrap();
    let db = database(dir2.path());
    let run = import_child(&db, &[file], false);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "未导入《mulrk_last_before_first.xls》：\n  错误：《mulrk_last_before_first.xls》读取工作簿时出错（文件可能已损坏），未导入\n1 个文件未导入\n"
    );
}

// ----- .xlsx: merges, shared strings, sheets -----

#[test]
fn xlsx_title_merged_across_a1_xfd1_imports_filled_over_256_columns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("title_merged_a1_xfd1.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    ws.merge_range(0, 0, 0, 16_383, "2026年模范机关申报表", &Default::default())
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (c, v) in city_row("测试市甲局", 90.0).iter().enumerate() {
        match v {
            V::S(s) => ws.write_string(2, c as u16, *s).map(|_| ()),
            V::T(s) => ws.write_string(2, c as u16, s).map(|_| ()),
            V::N(n) => ws.write_number(2, c as u16, *n).map(|_| ()),
            V::E => Ok(()),
        }
        .unwrap();
    }
    wb.save(&file).unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let db = database(db_dir.path());
    let run = import_child(&db, &[file], true);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json[0]["status"], "imported");
    assert_eq!(json[0]["imported"], 1);
    assert_eq!(
        json[0]["warnings"][0],
        "工作表“申报”的合并单元格A1:XFD1宽于256列，只按前256列展开"
    );
}

#[test]
fn xlsx_title_longer_than_a_cell_may_be_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let title = "标".repeat(40_000);
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{title}</t></si>{}</sst>"#,
        HEADER
            .iter()
            .chain(["测试市机关"].iter())
            .map(|h| format!("<si><t>{h}</t></si>"))
            .collect::<String>()
    );
    let file = write(
        dir.path(),
        "title_40000_chars.xlsx",
        &with_shared_strings(sst.into_bytes()),
    );
    assert_refused(
        &file,
        "工作表“申报”第1行A列的文字有40000个字符，超过Excel单元格的上限32767个字符，不是Excel保存的内容，请检查文件",
    );
}

const PART_TOO_LARGE: &str =
    "工作簿中的“xl/sharedStrings.xml”解压后超过64MB，不像申报表（可能是被构造的文件），请检查文件";

#[test]
fn xlsx_one_huge_shared_string_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut sst =
        b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>"
            .to_vec();
    sst.resize(sst.len() + (70 << 20), b'a');
    sst.extend_from_slice(b"</t></si></sst>");
    let file = write(
        dir.path(),
        "shared_string_70mb.xlsx",
        &with_shared_strings(sst),
    );
    assert!(std::fs::metadata(&file).unwrap().len() < 2 << 20);
    assert_refused(&file, PART_TOO_LARGE);
}

#[test]
fn xlsx_millions_of_tiny_shared_strings_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let mut sst =
        b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">".to_vec();
    for _ in 0..5_000_000 {
        sst.extend_from_slice(b"<si><t>a</t></si>");
    }
    sst.extend_from_slice(b"</sst>");
    let file = write(
        dir.path(),
        "shared_strings_5_million.xlsx",
        &with_shared_strings(sst),
    );
    assert_refused(&file, PART_TOO_LARGE);
}

#[test]
fn xlsx_sheet_element_repeated_5000_times_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = rezip(&titled_return(), |name, data| {
        (name == "xl/workbook.xml").then(|| {
            let xml = String::from_utf8(data.to_vec()).unwrap();
            let start = xml.find("<sheet ").unwrap();
            let end = start + xml[start..].find("/>").unwrap() + 2;
            let sheet = &xml[start..end];
            format!("{}{}{}", &xml[..start], sheet.repeat(5000), &xml[end..]).into_bytes()
        })
    });
    let file = write(dir.path(), "sheet_element_5000_times.xlsx", &bytes);
    assert_refused(
        &file,
        "工作簿有5000个工作表，超过导入的上限255个，不像申报表，请检查文件",
    );
}

#[test]
fn xlsx_with_2000_blank_sheets_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for _ in 0..2000 {
        wb.add_worksheet();
    }
    let file = write(
        dir.path(),
        "blank_sheets_2000.xlsx",
        &wb.save_to_buffer().unwrap(),
    );
    let started = Instant::now();
    assert_refused(
        &file,
        "工作簿有2000个工作表，超过导入的上限255个，不像申报表，请检查文件",
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

// ----- .ods -----

#[test]
fn ods_row_repeated_1048576_times_is_refused_before_calamine_expands_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="申报"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("content.xml", stored).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.start_file("META-INF/manifest.xml", stored).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let file = write(dir.path(), "row_repeated_1048576_times.ods", &bytes);
    assert_refused(
        &file,
        "工作表“申报”超过 20000000 个单元格，不像申报表，请检查文件",
    );
}

// ----- what is not a regular file -----

#[cfg(unix)]
#[test]
fn a_fifo_named_xlsx_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("管道.xlsx");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    assert_refused(
        &fifo,
        "《管道.xlsx》不是普通文件（是命名管道），无法作为申报表读取；请选择Excel文件",
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_without_reading() {
    let started = Instant::now();
    assert_refused(
        Path::new("/dev/zero"),
        "《zero》不是普通文件（是设备），无法作为申报表读取；请选择Excel文件",
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

// ----- the extension rule -----

#[test]
fn xlsx_content_named_xls_csv_or_without_extension_imports_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.xlsx");
    for (name, warning) in [
        (
            "甲.xls",
            Some("文件扩展名为.xls，但内容是.xlsx工作簿，已按内容读取"),
        ),
        (
            "乙.csv",
            Some("文件扩展名为.csv，但内容是.xlsx工作簿，已按内容读取"),
        ),
        ("丙", None),
    ] {
        // A distinct return each time, so that none is a duplicate of another.
        good_return(&src, &format!("测试市{name}局"));
        let file = dir.path().join(name);
        std::fs::copy(&src, &file).unwrap();
        let db_dir = tempfile::tempdir().unwrap();
        let db = database(db_dir.path());
        let run = import_child(&db, &[file], true);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(json[0]["status"], "imported", "{name}");
        let warnings = json[0]["warnings"].as_array().unwrap();
        match warning {
            Some(w) => assert_eq!(warnings[0], w, "{name}"),
            // No extension claims no format: nothing to warn about.
            None => assert!(
                !warnings
                    .iter()
                    .any(|w| w.as_str().unwrap().contains("扩展名")),
                "{warnings:?}"
            ),
        }
    }
}

// ----- a batch with a poisoned file in the middle -----

#[test]
fn a_batch_with_a_bomb_in_the_middle_imports_the_others_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.xlsx");
    good_return(&a, "测试市甲局");
    let (bytes, _) = xls_with_dimension_of_2pow31_rows();
    let bomb = write(dir.path(), "bomb.xls", &bytes);
    let c = dir.path().join("c.xlsx");
    good_return(&c, "测试市丙局");
    let db_dir = tempfile::tempdir().unwrap();
    let db = database(db_dir.path());
    let run = import_child(&db, &[a, bomb, c], false);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("已导入《a.xlsx》：1 条申报"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("已导入《c.xlsx》：1 条申报"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("未导入《bomb.xls》："),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("超出.xls格式的范围（65536行、256列）"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 个文件未导入"), "{}", run.stderr);
    let store = Store::open(&db).unwrap();
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM returns", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

// ----- the same classes from other writers (tests/fixtures/hostile/make_hostile.py) -----

const XLS_GRID: &str =
    "超出.xls格式的范围（65536行、256列），文件已损坏或被改动；请在Excel中打开核对后另存为.xlsx";

#[test]
fn fixtures_of_other_writers_are_refused_with_their_messages() {
    for (name, message) in [
        (
            "xlwt_dimension_2pow31_rows.xls",
            format!("工作表“申报”的记录把区域声明为第1至2147483648行、第1至14列，{XLS_GRID}"),
        ),
        (
            "xlwt_cell_at_column_ffff.xls",
            format!("工作表“申报”的记录把单元格放在第2行CRXP列，{XLS_GRID}"),
        ),
        (
            "odfpy_row_repeated_1048576_times.ods",
            "工作表“申报”超过 20000000 个单元格，不像申报表，请检查文件".to_string(),
        ),
    ] {
        assert_refused(&fixture(&format!("hostile/{name}")), &message);
    }
}

#[test]
fn fixtures_of_other_writers_import_with_their_warnings() {
    for (name, warning) in [
        (
            "openpyxl_title_merged_a1_xfd1.xlsx",
            "工作表“申报”的合并单元格A1:XFD1宽于256列，只按前256列展开",
        ),
        (
            "openpyxl_xlsx_named.xls",
            "文件扩展名为.xls，但内容是.xlsx工作簿，已按内容读取",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = database(dir.path());
        let run = import_child(&db, &[fixture(&format!("hostile/{name}"))], true);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(json[0]["imported"], 1, "{name}");
        assert_eq!(json[0]["warnings"][0], warning, "{name}");
    }
}
