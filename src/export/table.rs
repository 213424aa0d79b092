//! Plain list workbooks: a screen's table as the user sees it (参评单位, 操作日志, the
//! review lists), one sheet per list, for people who continue in Excel.
//!
//! Each sheet has a bold shaded header row, frozen, with an autofilter; text is always
//! written as text (never a formula, whatever it starts with), scores as numbers with the
//! format `0.00`, counts as whole numbers; columns are as wide as their widest value (CJK
//! characters count about twice), between 6 and 60 characters; A4 landscape, one page
//! wide, the header row repeated on every page.

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use super::results::ExportError;
use crate::select::score::round2;

/// One cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as text.
    Text(String),
    /// A score, shown with two decimals.
    Score(Decimal),
    /// A whole number.
    Int(i64),
    /// Nothing.
    Blank,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        s.map_or(Cell::Blank, Cell::Text)
    }
}

impl From<Option<Decimal>> for Cell {
    fn from(d: Option<Decimal>) -> Cell {
        d.map_or(Cell::Blank, Cell::Score)
    }
}

impl From<Option<i64>> for Cell {
    fn from(n: Option<i64>) -> Cell {
        n.map_or(Cell::Blank, Cell::Int)
    }
}

/// One sheet: its name, header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// Sheet name (at most 31 characters; Excel's forbidden characters are removed).
    pub name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the header (shorter rows are left blank at the end).
    pub rows: Vec<Vec<Cell>>,
}

const FONT: &str = "等线";

/// The width of text in Excel character units (CJK ≈ 2.1, ASCII ≈ 1.1).
fn width(s: &str) -> f64 {
    let ascii = s.bytes().filter(u8::is_ascii).count();
    ascii as f64 * 1.1 + (s.chars().count() - ascii) as f64 * 2.1
}

fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Sheet1".to_string()
    } else {
        clean
    }
}

/// Builds the workbook.
pub fn build(lists: &[List]) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_font_name(FONT)
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let text = Format::new().set_font_name(FONT);
    let score = Format::new().set_font_name(FONT).set_num_format("0.00");
    let int = Format::new().set_font_name(FONT).set_num_format("0");
    for list in lists {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&list.name))?;
        let mut widths: Vec<f64> = list.headers.iter().map(|h| width(h)).collect();
        for (c, h) in list.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &head)?;
        }
        for (r, row) in list.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate().take(list.headers.len()) {
                let col = c as u16;
                let w = match cell {
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, col, s, &text)?;
                        width(s)
                    }
                    Cell::Score(d) => {
                        let v = round2(*d).to_f64().unwrap_or_default();
                        ws.write_number_with_format(r, col, v, &score)?;
                        6.6
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, col, *n as f64, &int)?;
                        n.to_string().len() as f64 * 1.1
                    }
                    Cell::Blank => 0.0,
                };
                widths[c] = widths[c].max(w);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (w + 2.0).clamp(6.0, 60.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !list.headers.is_empty() {
            ws.autofilter(0, 0, list.rows.len() as u32, list.headers.len() as u16 - 1)?;
        }
        super::print_as_list(ws)?;
    }
    if lists.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb)
}

/// Writes the lists to `out`, atomically.
pub fn write(out: &Path, lists: &[List]) -> Result<(), ExportError> {
    let bytes = build(lists)?.save_to_buffer()?;
    super::write_atomic(out, &bytes).map_err(|source| ExportError::Write {
        path: out.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{open_workbook, Data, Reader, Xlsx};

    #[test]
    fn writes_text_as_text_and_scores_as_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("参评单位.xlsx");
        let list = List {
            name: "参评单位/2026".into(),
            headers: vec![
                "单位名称".into(),
                "综合得分".into(),
                "问题数".into(),
                "备注".into(),
            ],
            rows: vec![
                vec![
                    "=HYPERLINK(\"x\")".into(),
                    Some(Decimal::new(90125, 3)).into(),
                    Some(3i64).into(),
                    Cell::Blank,
                ],
                vec!["广州市审计局".into(), Cell::Blank],
            ],
        };
        write(&out, &[list]).unwrap();
        let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
        assert_eq!(wb.sheet_names(), ["参评单位2026"]);
        let range = wb.worksheet_range("参评单位2026").unwrap();
        assert_eq!(
            range.get_value((0, 1)),
            Some(&Data::String("综合得分".into()))
        );
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("=HYPERLINK(\"x\")".into()))
        );
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(90.13)));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(3.0)));
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String("广州市审计局".into()))
        );
        let formulas = wb.worksheet_formula("参评单位2026").unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "no formulas"
        );
    }

    #[test]
    fn an_empty_export_is_still_a_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("空.xlsx");
        write(&out, &[]).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    }
}
