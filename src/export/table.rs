//! Plain list workbooks: a screen's table as the user sees it (参评单位, 操作日志, the
//! review lists), one sheet per list, for people who continue in Excel.
//!
//! Each sheet has a bold shaded header row, frozen, with an autofilter; text is always
//! written as text (never a formula, whatever it starts with), scores as numbers with the
//! format `0.00`, counts as whole numbers; columns are as wide as their widest value (CJK
//! characters count about twice), between 6 and 60 characters; A4 landscape, one page
//! wide, the header row repeated on every page — the house style of [`super::style`].

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, XlsxError};

use super::results::ExportError;
use super::style::{self, text_width};
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

/// The widest column, in character units: wider than the result book's, since a list's
/// long texts (an audit entry's details) are not wrapped.
const MAX_WIDTH: f64 = 60.0;

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
    let text = style::font();
    let head = style::header(&text).set_text_wrap();
    let score = style::font().set_num_format(style::SCORE_FORMAT);
    let int = style::font().set_num_format(style::COUNT_FORMAT);
    for list in lists {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&list.name))?;
        let mut widths: Vec<f64> = list.headers.iter().map(|h| text_width(h)).collect();
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
                        text_width(s)
                    }
                    Cell::Score(d) => {
                        let v = round2(*d).to_f64().unwrap_or_default();
                        ws.write_number_with_format(r, col, v, &score)?;
                        style::SCORE_WIDTH
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, col, *n as f64, &int)?;
                        text_width(&n.to_string())
                    }
                    Cell::Blank => 0.0,
                };
                widths[c] = widths[c].max(w);
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(
                c as u16,
                style::column_width(*w, style::MIN_COLUMN_WIDTH, MAX_WIDTH),
            )?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !list.headers.is_empty() {
            ws.autofilter(0, 0, list.rows.len() as u32, list.headers.len() as u16 - 1)?;
        }
        style::print_as_list(ws)?;
    }
    if lists.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb)
}

/// Writes the lists to `out`, atomically.
pub fn write(out: &Path, lists: &[List]) -> Result<(), ExportError> {
    super::save_workbook(&mut build(lists)?, out, ExportError::Xlsx, |source| {
        ExportError::Write {
            path: out.to_path_buf(),
            source,
        }
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
