//! The error workbook: every problem of the imported files in one sheet, and each unit's
//! own rows with a 错误原因 column, so the file can be sent back to be fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::values::Cell;
use super::{workbook, FileReport};
use crate::export::style::{self, print_as_list, text_width};

/// Sheet-name characters Excel refuses.
const BAD_SHEET_CHARS: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];

fn sheet_name(base: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = base
        .chars()
        .filter(|c| !BAD_SHEET_CHARS.contains(c))
        .collect::<String>()
        .trim_matches('\'')
        .to_string();
    let clean = if clean.is_empty() {
        "错误行".to_string()
    } else {
        clean
    };
    for n in 1.. {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("({n})")
        };
        let room = 31 - suffix.chars().count();
        let name: String = clean.chars().take(room).collect::<String>() + &suffix;
        if used.insert(name.to_lowercase()) {
            return name;
        }
    }
    unreachable!("some sheet name is always free")
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    date: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
        }
        Cell::Float(f) => {
            ws.write_number(row, col, *f)?;
        }
        Cell::Percent(f) => {
            // As the clerk wrote it: the fraction, shown with its percent places.
            let places = cell
                .display()
                .split_once('.')
                .map_or(0, |(_, p)| p.len() - 1);
            let code = match places {
                0 => "0%".to_string(),
                n => format!("0.{}%", "0".repeat(n)),
            };
            ws.write_number_with_format(row, col, *f, &Format::new().set_num_format(code))?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, d, date)?;
        }
        Cell::Text(s) | Cell::Error(s) => {
            // Always text, never a formula, whatever it starts with.
            ws.write_string(row, col, s)?;
        }
    }
    Ok(())
}

/// Reads the given 1-based rows of each sheet from a file.
fn read_rows(
    path: &Path,
    wanted: &BTreeMap<String, BTreeSet<u32>>,
) -> BTreeMap<(String, u32), Vec<(u32, Cell)>> {
    let Ok(bytes) = super::file::read_import_file(path) else {
        return BTreeMap::new();
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The file's rows were read once already; a reader that panics now gives no rows.
    super::guard::run_reader(|| read_book_rows(bytes, &name, wanted)).unwrap_or_default()
}

/// [`read_rows`] from the file's bytes.
fn read_book_rows(
    bytes: Vec<u8>,
    name: &str,
    wanted: &BTreeMap<String, BTreeSet<u32>>,
) -> BTreeMap<(String, u32), Vec<(u32, Cell)>> {
    let mut out = BTreeMap::new();
    let Ok(mut book) = workbook::open(bytes, name) else {
        return out;
    };
    for (sheet, rows) in wanted {
        let last = rows.iter().next_back().copied().unwrap_or(0);
        let _ = book.for_each_row(sheet, &mut |r, cells| {
            if rows.contains(&(r + 1)) {
                out.insert((sheet.clone(), r + 1), cells.to_vec());
            }
            if r + 1 >= last {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
    }
    out
}

/// Writes the error workbook for the given files (source path and report) to `out`,
/// atomically. Files without errors are left out.
pub fn write(out: &Path, files: &[(PathBuf, &FileReport)]) -> Result<(), String> {
    build(files)
        .and_then(|mut wb| wb.save_to_buffer())
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            crate::atomic::write_atomic(out, &bytes).map_err(|e| crate::atomic::io_words(&e))
        })
}

fn build(files: &[(PathBuf, &FileReport)]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let text = style::font();
    let head = style::header(&text);
    let reason = style::font().set_font_color(style::ERROR_COLOR);
    let date = style::font().set_num_format(style::DATE_FORMAT);
    let mut used = BTreeSet::new();

    // Summary of every problem.
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("错误汇总", &mut used))?;
    let cols = ["文件", "工作表", "行号", "列", "表头", "值", "问题"];
    let widths = [28.0, 14.0, 8.0, 6.0, 22.0, 18.0, 60.0];
    for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, i as u16, *c, &head)?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut r = 1;
    for (_, rep) in files {
        for e in &rep.errors {
            ws.write_string_with_format(r, 0, &rep.file, &text)?;
            ws.write_string_with_format(r, 1, e.sheet.as_deref().unwrap_or(""), &text)?;
            if let Some(row) = e.row {
                ws.write_number_with_format(r, 2, row as f64, &text)?;
            }
            ws.write_string_with_format(r, 3, e.column.as_deref().unwrap_or(""), &text)?;
            ws.write_string_with_format(r, 4, e.header.as_deref().unwrap_or(""), &text)?;
            ws.write_string_with_format(r, 5, e.value.as_deref().unwrap_or(""), &text)?;
            ws.write_string_with_format(r, 6, &e.message, &reason)?;
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    print_as_list(ws)?;
    if r > 1 {
        ws.autofilter(0, 0, r - 1, cols.len() as u16 - 1)?;
    }

    // What the import noticed without refusing (rows skipped as section headings, example
    // or 栏次 rows, columns scaled or ignored…), so the unit sees them beside its errors.
    if files.iter().any(|(_, rep)| !rep.warnings.is_empty()) {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("提示", &mut used))?;
        for (i, (c, w)) in ["文件", "提示"].iter().zip([28.0, 100.0]).enumerate() {
            ws.write_string_with_format(0, i as u16, *c, &head)?;
            ws.set_column_width(i as u16, w)?;
        }
        let mut r = 1;
        for (_, rep) in files {
            for w in &rep.warnings {
                ws.write_string_with_format(r, 0, &rep.file, &text)?;
                ws.write_string_with_format(r, 1, w, &text)?;
                r += 1;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        print_as_list(ws)?;
    }

    // Each file's own rows with a 错误原因 column.
    for (path, rep) in files {
        let mut wanted: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        let mut reasons: BTreeMap<(String, u32), Vec<String>> = BTreeMap::new();
        for e in &rep.errors {
            if let (Some(s), Some(row)) = (&e.sheet, e.row) {
                if rep.headers.iter().any(|h| h.sheet == *s) {
                    wanted.entry(s.clone()).or_default().insert(row);
                    let mut m = String::new();
                    if let Some(c) = &e.column {
                        m.push_str(&format!("{c}列"));
                        if let Some(h) = &e.header {
                            m.push_str(&format!("（{h}）"));
                        }
                        m.push('：');
                    }
                    m.push_str(&e.message);
                    reasons.entry((s.clone(), row)).or_default().push(m);
                }
            }
        }
        if wanted.is_empty() {
            continue;
        }
        let rows = read_rows(path, &wanted);
        let stem = Path::new(&rep.file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for h in rep.headers.iter().filter(|h| wanted.contains_key(&h.sheet)) {
            let ws = wb.add_worksheet();
            let base = if rep.headers.len() > 1 {
                format!("{stem}-{}", h.sheet)
            } else {
                stem.clone()
            };
            ws.set_name(sheet_name(&base, &mut used))?;
            ws.write_string_with_format(0, 0, "原行号", &head)?;
            ws.set_column_width(0, 8)?;
            for (i, (_, _, title)) in h.columns.iter().enumerate() {
                let col = (i + 1) as u16;
                ws.write_string_with_format(0, col, title, &head)?;
                ws.set_column_width(col, text_width(title).clamp(8.0, 30.0))?;
            }
            let reason_col = (h.columns.len() + 1) as u16;
            ws.write_string_with_format(0, reason_col, "错误原因", &head)?;
            ws.set_column_width(reason_col, 60)?;
            for (out_row, row) in (1u32..).zip(&wanted[&h.sheet]) {
                ws.write_number_with_format(out_row, 0, *row as f64, &text)?;
                if let Some(cells) = rows.get(&(h.sheet.clone(), *row)) {
                    for (i, (first, last, _)) in h.columns.iter().enumerate() {
                        // A column merged across grid columns shows the value the
                        // import read: the first non-blank cell of its span.
                        let value = cells
                            .iter()
                            .find(|(c, v)| (first..=last).contains(&c) && !v.is_blank());
                        if let Some((_, v)) = value {
                            write_cell(ws, out_row, (i + 1) as u16, v, &date)?;
                        }
                    }
                }
                let why = reasons
                    .get(&(h.sheet.clone(), *row))
                    .map(|v| v.join("；"))
                    .unwrap_or_default();
                ws.write_string_with_format(out_row, reason_col, &why, &reason)?;
            }
            ws.set_freeze_panes(1, 1)?;
            print_as_list(ws)?;
        }
    }
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = BTreeSet::new();
        assert_eq!(sheet_name("a/b:c", &mut used), "abc");
        assert_eq!(sheet_name("ABC", &mut used), "ABC(2)");
        let long = "广".repeat(40);
        let n = sheet_name(&long, &mut used);
        assert_eq!(n.chars().count(), 31);
        assert_eq!(sheet_name("", &mut used), "错误行");
    }
}
