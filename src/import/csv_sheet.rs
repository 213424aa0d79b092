//! A CSV file read as one sheet, as Excel lays it out: each record is a row (a quoted
//! field holding line breaks stays one row, an empty line is an empty row), each field a
//! column, every value text.

use std::ops::ControlFlow;

use super::text::{self, MAX_COLS, MAX_ROWS};
use super::workbook::{FileProblem, RowFn, MAX_CELLS};

/// How many records are parsed to choose the delimiter.
const SNIFF_RECORDS: usize = 50;
/// The delimiters tried, in order of preference on a tie.
const DELIMITERS: [u8; 3] = [b',', b'\t', b';'];

/// A CSV file.
pub(crate) struct CsvSheet {
    name: String,
    text: String,
    /// Where the records start (after a `sep=` line).
    start: usize,
    delimiter: u8,
}

fn reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text)
}

/// Excel's `sep=;` first line, which names the delimiter and is not shown as a row.
fn sep_line(text: &str) -> Option<(u8, usize)> {
    let line_end = text.find('\n').unwrap_or(text.len());
    let line = text[..line_end].trim_end_matches('\r');
    let d = line.strip_prefix("sep=")?;
    let &[b] = d.as_bytes() else { return None };
    Some((b, (line_end + 1).min(text.len())))
}

/// The delimiter that splits the first records most consistently: the one for which the
/// most records share one field count of at least two (a title line has one field and
/// does not count). `None` when no delimiter gives any such record: not a table.
fn sniff_delimiter(text: &[u8]) -> Option<u8> {
    let mut best: Option<(u8, (usize, usize))> = None;
    for d in DELIMITERS {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for rec in reader(text, d).byte_records().take(SNIFF_RECORDS).flatten() {
            if rec.len() < 2 {
                continue;
            }
            match counts.iter_mut().find(|(n, _)| *n == rec.len()) {
                Some((_, k)) => *k += 1,
                None => counts.push((rec.len(), 1)),
            }
        }
        // (records sharing the commonest count, that count)
        let Some(score) = counts.iter().map(|(n, k)| (*k, *n)).max() else {
            continue;
        };
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((d, score));
        }
    }
    best.map(|(d, _)| d)
}

/// The empty lines at `at`, where the reader began a record: it skips them, Excel shows
/// each as a row. The reader may begin at the `\n` of the `\r\n` that ended the record
/// before; that one is not an empty line.
fn empty_lines(text: &[u8], at: usize) -> u64 {
    let mut i = at;
    if i > 0 && text.get(i - 1) == Some(&b'\r') && text.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut lines = 0;
    while let Some(b) = text.get(i) {
        match b {
            b'\r' if text.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        lines += 1;
    }
    lines
}

impl CsvSheet {
    /// Reads `text` as CSV, or `None` when it is not shaped like one (plain text).
    pub(crate) fn open(text: String, sheet_name: String) -> Option<CsvSheet> {
        let (delimiter, start) = match sep_line(&text) {
            Some(found) => found,
            None => (sniff_delimiter(text.as_bytes())?, 0),
        };
        Some(CsvSheet {
            name: sheet_name,
            text,
            start,
            delimiter,
        })
    }

    /// The sheet's name (the file name without extension, as Excel names it).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The lines of the text below the `sep=` line: the rows the sheet spans, unless a
    /// quoted field holds line breaks (for progress only).
    pub(crate) fn lines(&self) -> u32 {
        let text = &self.text.as_bytes()[self.start..];
        let breaks = text.iter().filter(|&&b| b == b'\n').count();
        u32::try_from(breaks).unwrap_or(u32::MAX).saturating_add(1)
    }

    /// Calls `f` with each record holding a non-empty field, at the row Excel shows it.
    pub(crate) fn for_each_row(&self, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
        let too_large = || FileProblem::TooLarge(self.name.clone());
        let records = &self.text.as_bytes()[self.start..];
        let mut rdr = reader(records, self.delimiter);
        let mut record = csv::StringRecord::new();
        let mut cells = Vec::new();
        let mut count: u64 = 0;
        let mut row: u64 = 0; // the 0-based row of the next record
        loop {
            match rdr.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(FileProblem::Unreadable(e.to_string())),
            }
            if let Some(p) = record.position() {
                row += empty_lines(records, p.byte() as usize);
            }
            cells.clear();
            for (col, field) in record.iter().enumerate() {
                let cell = text::text_cell(field);
                if cell.is_blank() {
                    continue;
                }
                if col as u64 >= u64::from(MAX_COLS) || row >= u64::from(MAX_ROWS) {
                    return Err(FileProblem::OutsideGrid(self.name.clone()));
                }
                cells.push((col as u32, cell));
            }
            count += cells.len() as u64;
            if count > MAX_CELLS {
                return Err(too_large());
            }
            if !cells.is_empty() && f(row as u32, &mut cells) == ControlFlow::Break(()) {
                break;
            }
            row += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::values::Cell;

    fn rows(text: &str) -> Vec<(u32, Vec<(u32, String)>)> {
        let sheet = CsvSheet::open(text.to_string(), "表".into()).expect("csv");
        let mut out = Vec::new();
        sheet
            .for_each_row(&mut |r, cells| {
                let cells = cells
                    .iter()
                    .map(|(c, v)| match v {
                        Cell::Text(t) => (*c, t.clone()),
                        other => panic!("{other:?}"),
                    })
                    .collect();
                out.push((r, cells));
                ControlFlow::Continue(())
            })
            .unwrap();
        out
    }

    fn t(c: u32, s: &str) -> (u32, String) {
        (c, s.to_string())
    }

    #[test]
    fn records_are_rows_where_excel_shows_them() {
        let got =
            rows("标题\n\n名称,层级,类型\r\n\"甲\n局\",市级,\r\n,,\n\"乙,丙\",=\"0012\",'0034\n");
        assert_eq!(
            got,
            vec![
                (0, vec![t(0, "标题")]),
                // row 1 is the empty line
                (2, vec![t(0, "名称"), t(1, "层级"), t(2, "类型")]),
                (3, vec![t(0, "甲\n局"), t(1, "市级")]),
                // row 4 has only empty fields
                (5, vec![t(0, "乙,丙"), t(1, "0012"), t(2, "0034")]),
            ]
        );
    }

    #[test]
    fn delimiters_are_sniffed_or_declared() {
        // Commas inside the text of a tab-separated file do not make it comma-separated.
        let tsv = "名称\t层级\t类型\n甲,乙\t市级\t机关\n丙\t县级\t机关\n";
        assert_eq!(
            rows(tsv)[1].1,
            vec![t(0, "甲,乙"), t(1, "市级"), t(2, "机关")]
        );
        let semi = "名称;层级;类型\n甲;市级;机关\n";
        assert_eq!(rows(semi)[1].1.len(), 3);
        // Excel's sep= line is not a row.
        let declared = "sep=;\n名称;层级;类型\n甲,1;市级;机关\n";
        assert_eq!(
            rows(declared),
            vec![
                (0, vec![t(0, "名称"), t(1, "层级"), t(2, "类型")]),
                (1, vec![t(0, "甲,1"), t(1, "市级"), t(2, "机关")]),
            ]
        );
        assert!(CsvSheet::open("只有一行说明文字\n第二行\n".into(), "x".into()).is_none());
    }

    #[test]
    fn empty_lines_with_any_line_ending() {
        for text in ["a,b\r\n\r\nc,d\r\n", "a,b\n\nc,d\n", "a,b\r\rc,d"] {
            let r: Vec<u32> = rows(text).iter().map(|(r, _)| *r).collect();
            assert_eq!(r, vec![0, 2], "{text:?}");
        }
        let r: Vec<u32> = rows("\"x\r\ny\",b\r\nc,d\r\n\r\n\r\ne,f")
            .iter()
            .map(|(r, _)| *r)
            .collect();
        assert_eq!(r, vec![0, 1, 4]);
    }

    #[test]
    fn limits() {
        let wide = format!("{}a\n", ",".repeat(MAX_COLS as usize));
        let sheet = CsvSheet::open(wide, "宽".into()).unwrap();
        assert_eq!(
            sheet.for_each_row(&mut |_, _| ControlFlow::Continue(())),
            Err(FileProblem::OutsideGrid("宽".into()))
        );
    }
}
