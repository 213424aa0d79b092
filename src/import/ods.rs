//! What calamine does not tell about an `.ods` sheet, read in one pass over
//! `content.xml`: merged cells (`table:number-columns-spanned` /
//! `table:number-rows-spanned`) and percentage cells (`office:value-type="percentage"`,
//! whose `office:value` 0.955 LibreOffice shows as 95.5%).
//!
//! Bounded: the part is streamed, never held whole; repeated rows and cells
//! (`table:number-rows-repeated`, `table:number-columns-repeated`) are counted, not
//! expanded — a run of repeated percentage cells is one region — and nothing is sized
//! from a count the file claims. Positions are counted as calamine counts them (every
//! `table:table-cell` and `table:covered-table-cell` is a column, the grid is Excel's),
//! so they match the cells calamine reads.

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};

use super::layout::MAX_MERGES;
use super::percent::push_region;
use super::workbook::{FileProblem, Merge, MAX_CELLS, MAX_SHEETS};

/// The rows and columns of the grid (Excel's, and calamine's caps for `.ods`).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// What one sheet's `content.xml` table says beyond its values.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct OdsSheet {
    /// Merged regions (at most [`MAX_MERGES`] + 1, so that the caller can tell there
    /// were more than it fills).
    pub merges: Vec<Merge>,
    /// Regions of percentage cells.
    pub percent: Vec<Merge>,
}

/// Reads every table of an `.ods` file's `content.xml`, by sheet name. `Err` when the
/// part cannot be read or a sheet holds more percentage regions than a sheet may hold
/// cells; a sheet without merges or percentages is simply absent.
pub fn read(bytes: &[u8]) -> Result<HashMap<String, OdsSheet>, FileProblem> {
    let bad = |why: String| FileProblem::Unreadable(format!("content.xml：{why}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let entry = zip.by_name("content.xml").map_err(|e| bad(e.to_string()))?;
    read_content(BufReader::new(entry)).map_err(|e| match e {
        ContentError::Xml(why) => bad(why),
        ContentError::TooLarge(sheet) => FileProblem::TooLarge(sheet),
        ContentError::TooManySheets(n) => FileProblem::TooManySheets(n),
    })
}

#[derive(Debug)]
enum ContentError {
    Xml(String),
    /// A sheet whose filled area, repeats expanded, is larger than a sheet may hold.
    TooLarge(String),
    /// More tables than a workbook may have.
    TooManySheets(usize),
}

/// The value of attribute `key` (qualified name) as a count: absent or unreadable is 1,
/// as calamine reads it; 0 is taken as 1 too (a cell is at least itself).
fn count(e: &BytesStart<'_>, key: &str) -> u32 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    let a = e.attributes().flatten().find(|a| a.key.as_ref() == key)?;
    let v = a
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| v.into_owned());
    Some(v.unwrap_or_else(|_| a.value.clone().into_owned()))
}

/// A region from a start and sizes, clipped to the grid; `None` when it starts outside.
fn region(row: u32, col: u32, rows: u32, cols: u32) -> Option<Merge> {
    if row >= MAX_ROWS || col >= MAX_COLUMNS {
        return None;
    }
    let end_row = row.saturating_add(rows - 1).min(MAX_ROWS - 1);
    let end_col = col.saturating_add(cols - 1).min(MAX_COLUMNS - 1);
    Some(Merge {
        start: (row, col),
        end: (end_row, end_col),
    })
}

/// The table being read.
struct Table {
    name: String,
    sheet: OdsSheet,
    /// 0-based index of the current row.
    row: u32,
    /// How many times the current row repeats.
    row_repeat: u32,
    /// 0-based index of the next cell in the current row.
    col: u32,
    /// Depth of elements inside the current cell (its text), ignored.
    in_cell: u32,
    /// The area holding filled cells, repeats included: first row, the row after the
    /// last, the column after the last. calamine expands every repeated row and cell of
    /// this area into its range.
    used: Option<(u32, u32, u32)>,
}

impl Table {
    /// Counts a filled cell (one with a value type or content) into the used area;
    /// `Err` when the area, repeats expanded, holds more cells than a sheet may.
    fn fill(&mut self, cols: u32) -> Result<(), ContentError> {
        let rows_end = self.row.saturating_add(self.row_repeat);
        let cols_end = self.col.saturating_add(cols);
        let (first, last, width) = self.used.unwrap_or((self.row, rows_end, cols_end));
        let used = (first.min(self.row), last.max(rows_end), width.max(cols_end));
        self.used = Some(used);
        if u64::from(used.1 - used.0) * u64::from(used.2) > MAX_CELLS {
            return Err(ContentError::TooLarge(self.name.clone()));
        }
        Ok(())
    }
}

impl Table {
    fn cell(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ContentError> {
        let repeat = count(e, "table:number-columns-repeated");
        if !empty || attr(e, "office:value-type").is_some() {
            self.fill(repeat)?;
        }
        let spans = (
            count(e, "table:number-rows-spanned"),
            count(e, "table:number-columns-spanned"),
        );
        if spans != (1, 1) && e.name().as_ref() == "table:table-cell" && self.col < MAX_COLUMNS {
            // One merge per repetition of the cell and its row, up to the cap: a
            // repeated merged cell is unusual. Each pass of the outer loop adds at least
            // one merge (the first column is on the grid), so the work is bounded by the
            // cap, whatever the repeat counts say.
            'rows: for r in 0..self.row_repeat {
                let row = self.row.saturating_add(r);
                for c in 0..repeat {
                    if self.sheet.merges.len() > MAX_MERGES {
                        break 'rows;
                    }
                    match region(row, self.col.saturating_add(c), spans.0, spans.1) {
                        Some(at) => self.sheet.merges.push(at),
                        None if c == 0 => break 'rows, // below the grid's last row
                        None => break,                 // past its last column
                    }
                }
            }
        }
        if attr(e, "office:value-type").as_deref() == Some("percentage") {
            if let Some(at) = region(self.row, self.col, self.row_repeat, repeat) {
                push_region(&mut self.sheet.percent, at);
                if self.sheet.percent.len() as u64 > MAX_CELLS {
                    return Err(ContentError::TooLarge(self.name.clone()));
                }
            }
        }
        self.col = self.col.saturating_add(repeat);
        Ok(())
    }
}

fn read_content(source: impl std::io::BufRead) -> Result<HashMap<String, OdsSheet>, ContentError> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut out = HashMap::new();
    let mut table: Option<Table> = None;
    let mut tables = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ContentError::Xml(e.to_string()))?;
        let (e, empty) = match event {
            Event::Eof => break,
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(end) => {
                let Some(t) = &mut table else { continue };
                if t.in_cell > 0 {
                    t.in_cell -= 1;
                    continue;
                }
                match end.name().as_ref() {
                    "table:table-row" => {
                        t.row = t.row.saturating_add(t.row_repeat);
                        t.row_repeat = 1;
                        t.col = 0;
                    }
                    "table:table" => {
                        if let Some(t) = table.take() {
                            if t.sheet != OdsSheet::default() {
                                out.insert(t.name, t.sheet);
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            _ => continue,
        };
        // Every table is a sheet to calamine, an empty one too.
        if table.is_none() && e.name().as_ref() == "table:table" {
            tables += 1;
            if tables > MAX_SHEETS {
                return Err(ContentError::TooManySheets(tables));
            }
        }
        match &mut table {
            None if e.name().as_ref() == "table:table" && !empty => {
                table = Some(Table {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    sheet: OdsSheet::default(),
                    row: 0,
                    row_repeat: 1,
                    col: 0,
                    in_cell: 0,
                    used: None,
                });
            }
            None => {}
            Some(t) if t.in_cell > 0 => t.in_cell += u32::from(!empty),
            Some(t) => match e.name().as_ref() {
                "table:table-row" => {
                    let repeat = count(&e, "table:number-rows-repeated");
                    if empty {
                        t.row = t.row.saturating_add(repeat);
                    } else {
                        t.row_repeat = repeat;
                        t.col = 0;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    t.cell(&e, empty)?;
                    if !empty {
                        t.in_cell = 1;
                    }
                }
                _ => {}
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_xml(xml: &str) -> HashMap<String, OdsSheet> {
        read_content(xml.as_bytes()).unwrap()
    }

    fn m(r0: u32, c0: u32, r1: u32, c1: u32) -> Merge {
        Merge {
            start: (r0, c0),
            end: (r1, c1),
        }
    }

    const HEAD: &str = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#;
    const TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";

    #[test]
    fn merges_and_percentages_are_placed_as_calamine_counts() {
        let xml = format!(
            r#"{HEAD}<table:table table:name="申报&amp;汇总">
<table:table-column table:number-columns-repeated="5"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>标题</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>
<table:table-row>
  <table:table-cell table:number-columns-repeated="2"/>
  <table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>市级<text:span>!</text:span></text:p></table:table-cell>
  <table:table-cell office:value-type="percentage" office:value="0.955"><text:p>95.5%</text:p></table:table-cell>
  <table:table-cell office:value-type="percentage" office:value="0.9" table:number-columns-repeated="2"/>
</table:table-row>
<table:table-row>
  <table:table-cell table:number-columns-repeated="2"/>
  <table:covered-table-cell/>
  <table:table-cell office:value-type="float" office:value="93"/>
</table:table-row>
<table:table-row table:number-rows-repeated="2">
  <table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/>
  <table:covered-table-cell/>
  <table:table-cell office:value-type="percentage" office:value="0.5"/>
</table:table-row>
</table:table>
<table:table table:name="空"><table:table-row><table:table-cell/></table:table-row></table:table>
{TAIL}"#
        );
        let got = read_xml(&xml);
        assert_eq!(got.len(), 1, "{got:?}");
        let s = &got["申报&汇总"];
        assert_eq!(s.merges, vec![m(4, 2, 6, 2), m(6, 0, 6, 1), m(7, 0, 7, 1)]);
        assert_eq!(s.percent, vec![m(4, 3, 4, 5), m(6, 3, 7, 3)]);
    }

    #[test]
    fn huge_repeats_are_counted_not_expanded() {
        let xml = format!(
            r#"{HEAD}<table:table table:name="S">
<table:table-row table:number-rows-repeated="4000000000"><table:table-cell table:number-columns-repeated="4000000000" office:value-type="percentage" office:value="0.5"/></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="99999999" table:number-columns-spanned="99999999"/></table:table-row>
</table:table>{TAIL}"#
        );
        // A filled cell repeated over the whole grid is more than a sheet may hold:
        // refused from the counts, before anything is expanded.
        let started = std::time::Instant::now();
        assert!(matches!(
            read_content(xml.as_bytes()),
            Err(ContentError::TooLarge(s)) if s == "S"
        ));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn percent_regions_are_clipped_to_the_grid() {
        // A percentage cell repeated past the last column, on rows past the last row.
        let xml = format!(
            r#"{HEAD}<table:table table:name="S">
<table:table-row table:number-rows-repeated="1048575"/>
<table:table-row table:number-rows-repeated="9"><table:table-cell table:number-columns-repeated="16383"/><table:table-cell table:number-columns-repeated="9" office:value-type="percentage" office:value="0.5"/></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="99999999" table:number-columns-spanned="99999999"/></table:table-row>
</table:table>{TAIL}"#
        );
        let got = read_xml(&xml);
        let s = &got["S"];
        assert_eq!(
            s.percent,
            vec![m(
                MAX_ROWS - 1,
                MAX_COLUMNS - 1,
                MAX_ROWS - 1,
                MAX_COLUMNS - 1
            )]
        );
        // The last row starts beyond the grid: nothing from it.
        assert!(s.merges.is_empty());
    }

    #[test]
    fn repeated_merged_cells_stop_at_the_cap() {
        let xml = format!(
            r#"{HEAD}<table:table table:name="S">
<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-spanned="2" table:number-columns-repeated="1000"/></table:table-row>
</table:table>{TAIL}"#
        );
        let got = read_xml(&xml);
        assert_eq!(got["S"].merges.len(), MAX_MERGES + 1);
    }

    #[test]
    fn merged_cells_off_the_grid_cost_nothing() {
        // Past the last column, and below the last row, of a row repeated four billion
        // times: no merge, and no loop over the repeats.
        let xml = format!(
            r#"{HEAD}<table:table table:name="S">
<table:table-row table:number-rows-repeated="4000000000"><table:table-cell table:number-columns-repeated="16384"/><table:table-cell table:number-rows-spanned="2" table:number-columns-repeated="4000000000"/></table:table-row>
<table:table-row table:number-rows-repeated="4000000000"><table:table-cell table:number-columns-spanned="2" table:number-columns-repeated="4000000000"/></table:table-row>
</table:table>{TAIL}"#
        );
        let started = std::time::Instant::now();
        assert!(read_xml(&xml).is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(read_content(
            format!(r#"{HEAD}<table:table table:name="S"><table:table-row></table:table>"#)
                .as_bytes()
        )
        .is_err());
    }
}
