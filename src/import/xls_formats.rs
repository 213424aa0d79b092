//! Which cells of an `.xls` (BIFF5/BIFF8) workbook are percent-formatted. calamine
//! reads the XF and FORMAT records only to tell dates from numbers and does not expose
//! them, so this walks the records of the `Workbook` stream once more: the globals for
//! the number formats (FORMAT), the cell formats (XF) and where each sheet starts
//! (BoundSheet8), then each sheet's number cells (NUMBER, RK, MULRK, FORMULA) for their
//! XF index.
//!
//! Bounded: the stream is read at most as long as the file itself, every record is
//! checked against its stated length before a field is read, and nothing is sized from
//! a count the file claims. Older BIFF versions (2–4, whose XF records differ) give no
//! answer; the importer's column rule is the safety net for them.

use std::io::{Cursor, Read};

use super::percent::{is_percent_format, push_region};
use super::workbook::Merge;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CODEPAGE: u16 = 0x0042;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const DIMENSION: u16 = 0x0200;
const LABEL: u16 = 0x0204;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
const LABELSST: u16 = 0x00FD;

/// The grid of an `.xls` (BIFF8) sheet: 65,536 rows and 256 columns.
pub const XLS_ROWS: u32 = 65_536;
/// See [`XLS_ROWS`].
pub const XLS_COLS: u32 = 256;

/// Why an `.xls` cannot be handed to calamine, which sizes each sheet's grid from its
/// DIMENSION record and from the extent of its cell records while it opens the workbook
/// (a DIMENSION claiming 2³¹ rows, or one cell at column 0xFFFF, ends the process with a
/// failed allocation that no panic guard catches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XlsBound {
    /// More sheets than a workbook may have.
    TooManySheets(usize),
    /// A DIMENSION record claiming rows or columns beyond the grid (0-based first,
    /// exclusive last, as the record holds them).
    Dimension {
        /// The sheet's name.
        sheet: String,
        /// First row and the row after the last.
        rows: (u32, u32),
        /// First column and the column after the last.
        cols: (u32, u32),
    },
    /// A cell record beyond the grid (0-based).
    Cell {
        /// The sheet's name.
        sheet: String,
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
}

/// The records of a BIFF stream from an offset: (type, data). Stops at the first record
/// whose stated length runs past the stream.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.data.get(self.pos..self.pos.checked_add(4)?)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let start = self.pos + 4;
        let body = self.data.get(start..start.checked_add(len)?)?;
        self.pos = start + len;
        Some((typ, body))
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// Whether a code page is double-byte (a lead byte ≥ 0x81 takes the next byte with it).
fn double_byte(codepage: u16) -> bool {
    matches!(codepage, 932 | 936 | 949 | 950)
}

/// The text of a FORMAT record's format string. Only ASCII matters to
/// [`is_percent_format`]; in a BIFF5 double-byte code page the trail byte of a character
/// is dropped so that it cannot pass for a quote or `%`.
fn format_text(body: &[u8], biff8: bool, codepage: u16) -> Option<String> {
    if biff8 {
        let cch = usize::from(u16_at(body, 2)?);
        let high = body.get(4)? & 1 == 1;
        let rest = body.get(5..)?;
        Some(if high {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .take(cch)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            rest.iter().take(cch).map(|b| char::from(*b)).collect()
        })
    } else {
        let cch = usize::from(*body.get(2)?);
        let raw = body.get(3..)?;
        let raw = &raw[..cch.min(raw.len())];
        let mut s = String::new();
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            if b >= 0x81 && double_byte(codepage) {
                s.push('\u{FFFD}');
                i += 2;
            } else {
                s.push(char::from(b));
                i += 1;
            }
        }
        Some(s)
    }
}

/// The number formats of an `.xls` workbook: its `Workbook` stream, which XF indexes
/// show a percentage, and where each sheet's records start.
pub struct XlsFormats {
    data: Vec<u8>,
    percent_xf: Vec<bool>,
    /// Stream offset of each sheet, in BoundSheet8 order (calamine's sheet order).
    sheets: Vec<usize>,
    /// Each sheet's name where it can be read (BIFF8), in the same order.
    names: Vec<Option<String>>,
}

impl XlsFormats {
    /// Reads the globals of a workbook; `None` when the stream cannot be read or is not
    /// BIFF5/BIFF8.
    pub fn read(bytes: &[u8]) -> Option<XlsFormats> {
        let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
        let stream = cfb
            .open_stream("/Workbook")
            .or_else(|_| cfb.open_stream("/Book"))
            .ok()?;
        let mut data = Vec::new();
        stream
            .take(bytes.len() as u64)
            .read_to_end(&mut data)
            .ok()?;
        XlsFormats::from_stream(data)
    }

    fn from_stream(data: Vec<u8>) -> Option<XlsFormats> {
        let mut records = Records {
            data: &data,
            pos: 0,
        };
        let (typ, bof) = records.next()?;
        let biff8 = match (typ, u16_at(bof, 0)?) {
            (BOF, 0x0600) => true,
            (BOF, 0x0500) => false,
            _ => return None,
        };
        let mut codepage = 1252;
        let mut custom: Vec<(u16, bool)> = Vec::new();
        let mut xf_formats: Vec<u16> = Vec::new();
        let mut sheets: Vec<usize> = Vec::new();
        let mut names: Vec<Option<String>> = Vec::new();
        for (typ, body) in records.by_ref() {
            match typ {
                EOF => break,
                CODEPAGE => codepage = u16_at(body, 0).unwrap_or(codepage),
                FORMAT => {
                    if let (Some(id), Some(text)) =
                        (u16_at(body, 0), format_text(body, biff8, codepage))
                    {
                        custom.push((id, is_percent_format(&text)));
                    }
                }
                XF => xf_formats.extend(u16_at(body, 2)),
                BOUNDSHEET => {
                    sheets.push(u32_at(body, 0).map_or(usize::MAX, |p| p as usize));
                    names.push(if biff8 { sheet_name8(body) } else { None });
                }
                _ => {}
            }
        }
        // A FORMAT record overrides a built-in id; 9 (0%) and 10 (0.00%) are the
        // built-in percentages that files use without writing their FORMAT record.
        let percent_format = |id: u16| match custom.iter().rev().find(|(i, _)| *i == id) {
            Some((_, p)) => *p,
            None => matches!(id, 9 | 10),
        };
        let percent_xf = xf_formats.iter().map(|f| percent_format(*f)).collect();
        Some(XlsFormats {
            data,
            percent_xf,
            sheets,
            names,
        })
    }

    /// Checks, before calamine opens the workbook, that it has at most `max_sheets`
    /// sheets and that every sheet's DIMENSION record and cell records lie inside the
    /// `.xls` grid; the first record outside is named.
    pub fn check_bounds(&self, max_sheets: usize) -> Result<(), XlsBound> {
        if self.sheets.len() > max_sheets {
            return Err(XlsBound::TooManySheets(self.sheets.len()));
        }
        for (i, pos) in self.sheets.iter().enumerate() {
            let name = || {
                self.names
                    .get(i)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| format!("第{}个工作表", i + 1))
            };
            sheet_bounds(&self.data, *pos).map_err(|b| match b {
                Outside::Dimension { rows, cols } => XlsBound::Dimension {
                    sheet: name(),
                    rows,
                    cols,
                },
                Outside::Cell { row, col } => XlsBound::Cell {
                    sheet: name(),
                    row,
                    col,
                },
            })?;
        }
        Ok(())
    }

    /// The percent-formatted number cells of the sheet at `index` (BoundSheet8 order),
    /// as regions. Each sheet is walked only when asked for.
    pub fn percent_cells(&self, index: usize) -> Vec<Merge> {
        match self.sheets.get(index) {
            Some(pos) if self.percent_xf.contains(&true) => {
                let is_percent = |xf: Option<u16>| {
                    xf.is_some_and(|x| self.percent_xf.get(usize::from(x)) == Some(&true))
                };
                sheet_percent_cells(&self.data, *pos, &is_percent)
            }
            _ => Vec::new(),
        }
    }
}

/// The name in a BIFF8 BoundSheet8 record: after the offset and two flag bytes, a
/// ShortXLUnicodeString (count, high-byte flag, characters).
fn sheet_name8(body: &[u8]) -> Option<String> {
    let cch = usize::from(*body.get(6)?);
    let high = body.get(7)? & 1 == 1;
    let rest = body.get(8..)?;
    Some(if high {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .take(cch)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        rest.iter().take(cch).map(|b| char::from(*b)).collect()
    })
}

/// A record of a sheet substream outside the grid.
enum Outside {
    Dimension { rows: (u32, u32), cols: (u32, u32) },
    Cell { row: u32, col: u32 },
}

/// The first DIMENSION or cell record of the sheet substream at `pos` that lies
/// outside the `.xls` grid, or claims an area whose last row or column comes before
/// its first (calamine would compute its size by subtracting them).
fn sheet_bounds(data: &[u8], pos: usize) -> Result<(), Outside> {
    let mut depth = 0usize;
    for (typ, d) in (Records { data, pos }) {
        match typ {
            BOF => depth += 1,
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            // calamine skips the records of an embedded substream too.
            _ if depth != 1 => {}
            DIMENSION => {
                // BIFF8: rwMic, rwMac (u32), colMic, colMac (u16); BIFF5: all u16.
                let dims = match d.len() {
                    10 => (|| {
                        Some((
                            u32::from(u16_at(d, 0)?),
                            u32::from(u16_at(d, 2)?),
                            u32::from(u16_at(d, 4)?),
                            u32::from(u16_at(d, 6)?),
                        ))
                    })(),
                    14 | 16 => (|| {
                        Some((
                            u32_at(d, 0)?,
                            u32_at(d, 4)?,
                            u32::from(u16_at(d, 8)?),
                            u32::from(u16_at(d, 10)?),
                        ))
                    })(),
                    // calamine refuses a DIMENSION of another length itself.
                    _ => None,
                };
                if let Some((rf, rl, cf, cl)) = dims {
                    // calamine takes a non-empty area as rf..=rl-1 and cf..=cl-1 and
                    // subtracts, so an area whose first row or column is not before its
                    // end wraps round to 2³² rows.
                    let inverted = rl >= 1 && cl >= 1 && (rf >= rl || cf >= cl);
                    if rl > XLS_ROWS || cl > XLS_COLS || rf > rl || cf > cl || inverted {
                        return Err(Outside::Dimension {
                            rows: (rf, rl),
                            cols: (cf, cl),
                        });
                    }
                }
            }
            NUMBER | RK | LABEL | RSTRING | BOOLERR | LABELSST | FORMULA => {
                if let (Some(row), Some(col)) = (u16_at(d, 0), u16_at(d, 2)) {
                    if u32::from(col) >= XLS_COLS {
                        return Err(Outside::Cell {
                            row: u32::from(row),
                            col: u32::from(col),
                        });
                    }
                }
            }
            MULRK => {
                // rw, colFirst, (ixfe, RK) pairs of 6 bytes: calamine places them from
                // colFirst on, whatever colLast says.
                if let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) {
                    let pairs = d.len().saturating_sub(6) / 6;
                    let last = u32::from(first) + pairs.saturating_sub(1) as u32;
                    if pairs > 0 && last >= XLS_COLS {
                        return Err(Outside::Cell {
                            row: u32::from(row),
                            col: last.max(u32::from(first)),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The percent-formatted number cells of the sheet substream at `pos`.
fn sheet_percent_cells(
    data: &[u8],
    pos: usize,
    is_percent: &dyn Fn(Option<u16>) -> bool,
) -> Vec<Merge> {
    let mut out = Vec::new();
    let mut add = |row: Option<u16>, col: Option<u16>| {
        if let (Some(r), Some(c)) = (row, col) {
            let at = (u32::from(r), u32::from(c));
            push_region(&mut out, Merge { start: at, end: at });
        }
    };
    let mut depth = 0usize;
    for (typ, d) in (Records { data, pos }) {
        match typ {
            BOF => depth += 1,
            EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            // Cell records of an embedded chart's substream are not the sheet's.
            _ if depth != 1 => {}
            NUMBER | RK if is_percent(u16_at(d, 4)) => add(u16_at(d, 0), u16_at(d, 2)),
            // A formula's cached number (a string, boolean or error result has 0xFFFF
            // in its last two bytes).
            FORMULA if is_percent(u16_at(d, 4)) && u16_at(d, 12) != Some(0xFFFF) => {
                add(u16_at(d, 0), u16_at(d, 2))
            }
            MULRK => {
                // rw, colFirst, then (ixfe, RK) pairs of 6 bytes, then colLast.
                let (row, first) = (u16_at(d, 0), u16_at(d, 2).unwrap_or(0));
                let pairs = d.len().saturating_sub(6) / 6;
                for i in 0..pairs {
                    if is_percent(u16_at(d, 4 + 6 * i)) {
                        add(row, first.checked_add(i as u16));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((body.len() as u16).to_le_bytes());
        v.extend(body);
        v
    }

    fn cell(row: u16, col: u16, xf: u16) -> Vec<u8> {
        let mut v = row.to_le_bytes().to_vec();
        v.extend(col.to_le_bytes());
        v.extend(xf.to_le_bytes());
        v
    }

    fn xf(fmt: u16) -> Vec<u8> {
        let mut v = vec![0, 0];
        v.extend(fmt.to_le_bytes());
        v.extend([0u8; 16]);
        v
    }

    fn format8(id: u16, text: &str) -> Vec<u8> {
        let mut v = id.to_le_bytes().to_vec();
        v.extend((text.len() as u16).to_le_bytes());
        v.push(0);
        v.extend(text.as_bytes());
        v
    }

    /// A BIFF8 stream: globals with three XFs (General, a custom 0.0%, the built-in 10)
    /// and one sheet.
    fn stream() -> Vec<u8> {
        let mut globals = rec(BOF, &[0x00, 0x06, 0x05, 0x00]);
        globals.extend(rec(FORMAT, &format8(164, "0.0%")));
        globals.extend(rec(FORMAT, &format8(165, "0.0\"%\"")));
        for f in [0, 164, 10, 165] {
            globals.extend(rec(XF, &xf(f)));
        }
        let boundsheet_len = 4 + 10;
        let sheet_pos = globals.len() + boundsheet_len + 4; // + the EOF record
        let mut bs = (sheet_pos as u32).to_le_bytes().to_vec();
        bs.extend([0, 0, 1, 0, b'S', 0]);
        globals.extend(rec(BOUNDSHEET, &bs));
        globals.extend(rec(EOF, &[]));
        assert_eq!(globals.len(), sheet_pos);
        let mut sheet = rec(BOF, &[0x00, 0x06, 0x10, 0x00]);
        let mut number = cell(1, 2, 1);
        number.extend(0.955f64.to_le_bytes());
        sheet.extend(rec(NUMBER, &number));
        let mut plain = cell(1, 3, 0);
        plain.extend(93f64.to_le_bytes());
        sheet.extend(rec(NUMBER, &plain));
        sheet.extend(rec(RK, &[cell(2, 2, 2), vec![0; 4]].concat()));
        sheet.extend(rec(RK, &[cell(2, 5, 3), vec![0; 4]].concat()));
        // MULRK row 3, columns 4..6 with XFs 1, 0, 2.
        let mut mulrk = 3u16.to_le_bytes().to_vec();
        mulrk.extend(4u16.to_le_bytes());
        for x in [1u16, 0, 2] {
            mulrk.extend(x.to_le_bytes());
            mulrk.extend([0u8; 4]);
        }
        mulrk.extend(6u16.to_le_bytes());
        sheet.extend(rec(MULRK, &mulrk));
        // A formula with a number result and one with a string result.
        let mut f = cell(4, 2, 1);
        f.extend([0u8; 14]);
        sheet.extend(rec(FORMULA, &f));
        let mut f = cell(5, 2, 1);
        f.extend([0u8, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
        f.extend([0u8; 6]);
        sheet.extend(rec(FORMULA, &f));
        // An embedded chart's substream: its records are not cells.
        sheet.extend(rec(BOF, &[0x00, 0x06, 0x20, 0x00]));
        sheet.extend(rec(NUMBER, &[cell(9, 9, 1), vec![0; 8]].concat()));
        sheet.extend(rec(EOF, &[]));
        sheet.extend(rec(EOF, &[]));
        globals.extend(sheet);
        globals
    }

    fn at(r: u32, c: u32) -> Merge {
        Merge {
            start: (r, c),
            end: (r, c),
        }
    }

    #[test]
    fn finds_percent_cells_of_each_sheet() {
        let f = XlsFormats::from_stream(stream()).unwrap();
        assert_eq!(
            f.percent_cells(0),
            vec![at(1, 2), at(2, 2), at(3, 4), at(3, 6), at(4, 2)]
        );
        assert_eq!(f.percent_cells(1), vec![]);
    }

    #[test]
    fn a_truncated_or_foreign_stream_gives_what_it_can() {
        let s = stream();
        for cut in [0, 3, 10, 40, 150, s.len() - 30] {
            // Never panics; a stream cut inside the globals has no sheets, one cut
            // inside the sheet gives the cells before the cut.
            if let Some(f) = XlsFormats::from_stream(s[..cut].to_vec()) {
                let _ = f.percent_cells(0);
            }
        }
        // Cut inside the first formula record (bytes len-82..len-58; after it come the
        // second formula, the chart substream and the two EOFs).
        let cut = XlsFormats::from_stream(s[..s.len() - 70].to_vec()).unwrap();
        assert_eq!(
            cut.percent_cells(0),
            vec![at(1, 2), at(2, 2), at(3, 4), at(3, 6)]
        );
        assert!(XlsFormats::from_stream(rec(BOF, &[0x00, 0x04])).is_none());
        assert!(XlsFormats::read(b"not a compound file").is_none());
    }

    #[test]
    fn format_strings() {
        assert_eq!(
            format_text(&format8(164, "0.0%"), true, 1252).as_deref(),
            Some("0.0%")
        );
        let mut utf16 = 164u16.to_le_bytes().to_vec();
        utf16.extend(3u16.to_le_bytes());
        utf16.push(1);
        for u in "0%分".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(format_text(&utf16, true, 1252).as_deref(), Some("0%分"));
        // BIFF5, code page 936: "0\"分\"" with 分 = B7 D6; a trail byte is never read
        // as ASCII.
        let biff5 = [0xA4, 0x00, 5, b'0', b'"', 0xB7, 0x25, b'"'];
        assert_eq!(
            format_text(&biff5, false, 936).as_deref(),
            Some("0\"\u{FFFD}\"")
        );
        assert_eq!(format_text(&biff5, false, 1252).as_deref(), Some("0\"·%\""));
    }
}
