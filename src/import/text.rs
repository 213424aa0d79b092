//! What the three text formats that Excel opens (CSV, an HTML table, XML Spreadsheet 2003)
//! share: decoding their bytes, the size bound, and how a text cell reads.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use super::values::Cell;
use super::workbook::FileProblem;

/// The largest text file read (a return of a few hundred units is well under 1 MiB).
/// Checked before decoding, so a text file never costs more than a few times this.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// Excel's grid: a row or column beyond it cannot be what the clerk saw.
pub(crate) const MAX_ROWS: u32 = 1_048_576;
/// Excel's last column (XFD) + 1.
pub(crate) const MAX_COLS: u32 = 16_384;

/// How many leading bytes are looked at to tell text from binary.
const SNIFF_BYTES: usize = 8192;

/// Whether bytes look like text: a UTF-16 byte order mark, or no NUL byte near the top
/// (every binary format has some; no text in UTF-8 or GB18030 does).
pub(crate) fn looks_like_text(bytes: &[u8]) -> bool {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            return true;
        }
    }
    !bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0)
}

/// The leading bytes as text for sniffing markup: ASCII stays intact whatever the real
/// encoding is (bytes that are not UTF-8 become U+FFFD).
pub(crate) fn ascii_view(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(SNIFF_BYTES)]).into_owned()
}

/// Whether the text (after a byte order mark and white space) starts with markup.
pub(crate) fn starts_with_markup(bytes: &[u8]) -> bool {
    let body = match Encoding::for_bom(bytes) {
        Some((enc, bom)) if enc == UTF_8 => &bytes[bom..],
        Some((enc, _)) => {
            // UTF-16: look at the first non-space character.
            let (text, _) = enc.decode_with_bom_removal(&bytes[..bytes.len().min(SNIFF_BYTES)]);
            return text.trim_start().starts_with('<');
        }
        None => bytes,
    };
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}

/// Decodes a text file: a byte order mark (UTF-8, UTF-16) decides; else valid UTF-8 is
/// UTF-8 (text in a legacy Chinese encoding is practically never valid UTF-8); else the
/// encoding the file declares (`declared`, given the leading bytes), else GB18030, which
/// includes GBK and GB2312 — what Chinese Windows writes. Bytes that the chosen encoding
/// cannot decode refuse the file rather than turning into replacement characters.
pub(crate) fn decode(
    bytes: Vec<u8>,
    declared: impl FnOnce(&str) -> Option<&'static Encoding>,
) -> Result<String, FileProblem> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(FileProblem::FileTooLarge {
            limit_mib: (MAX_TEXT_BYTES >> 20) as u64,
        });
    }
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        let (text, bad) = enc.decode_without_bom_handling(&bytes[bom..]);
        return if bad {
            Err(FileProblem::BadEncoding)
        } else {
            Ok(text.into_owned())
        };
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(s) => return Ok(s),
        Err(e) => e.into_bytes(),
    };
    let enc = declared(&ascii_view(&bytes))
        .filter(|e| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE)
        .unwrap_or(GB18030);
    let (text, bad) = enc.decode_without_bom_handling(&bytes);
    if bad {
        Err(FileProblem::BadEncoding)
    } else {
        Ok(text.into_owned())
    }
}

/// A text cell of a CSV or HTML file. Web exports keep codes (a USCC, a number with
/// leading zeros) as text in Excel by writing `="…"` around them or an apostrophe before
/// them; either wrapper is a marker, not part of the value, so the cell reads as the text
/// inside. Anything else is kept exactly as written.
pub(crate) fn text_cell(raw: &str) -> Cell {
    Cell::Text(unwrap_code(raw).unwrap_or(raw).to_string())
}

/// The text inside `="…"` or after a leading apostrophe. A wrapper whose inside holds a
/// quote is a formula of some other kind (`="a"&"b"`), not a kept code, and is left alone.
fn unwrap_code(raw: &str) -> Option<&str> {
    let t = raw.trim();
    if let Some(inner) = t.strip_prefix("=\"").and_then(|s| s.strip_suffix('"')) {
        return (!inner.contains('"')).then_some(inner);
    }
    t.strip_prefix('\'').filter(|s| !s.is_empty())
}

/// A number shown through a percentage format: the number as stored, marked as a
/// percentage ([`Cell::Percent`]), as the binary readers give it. `None` when the text is
/// not a number.
pub(crate) fn percent_cell(value: &str) -> Option<Cell> {
    let f: f64 = value.trim().parse().ok()?;
    f.is_finite().then_some(Cell::Percent(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_lose_their_text_markers_only() {
        let t = |s: &str| match text_cell(s) {
            Cell::Text(t) => t,
            other => panic!("{other:?}"),
        };
        assert_eq!(t("=\"114301122626673156\""), "114301122626673156");
        assert_eq!(t(" =\"0012\" "), "0012");
        assert_eq!(t("=\"a\"\"b\""), "=\"a\"\"b\""); // a quote inside: not a plain code
        assert_eq!(t("=\"a\"&\"b\""), "=\"a\"&\"b\"");
        assert_eq!(t("'91430100MA4L16JQ9B"), "91430100MA4L16JQ9B");
        assert_eq!(t("'"), "'");
        assert_eq!(t("某局"), "某局");
        assert_eq!(t(" 某局 "), " 某局 ");
    }

    #[test]
    fn percent_cells_keep_the_stored_number() {
        // Named and written formats alike are percentages (one rule for every reader).
        for f in ["Percent", "0%", "0.0%", "0\\.00%", "#,##0.0%;[Red]-0.0%"] {
            assert!(super::super::percent::is_percent_format(f), "{f}");
        }
        assert_eq!(percent_cell("0.955"), Some(Cell::Percent(0.955)));
        assert_eq!(percent_cell("9.55E-1"), Some(Cell::Percent(0.955)));
        assert_eq!(percent_cell("abc"), None);
        assert_eq!(percent_cell("inf"), None);
    }

    #[test]
    fn decoding_picks_bom_utf8_declared_then_gb18030() {
        let gb = GB18030.encode("单位名称").0.into_owned();
        let none = |_: &str| None;
        assert_eq!(decode(gb.clone(), none).unwrap(), "单位名称");
        assert_eq!(decode("单位".as_bytes().to_vec(), none).unwrap(), "单位");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("单位".as_bytes());
        assert_eq!(decode(bom, none).unwrap(), "单位");
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("单位".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(utf16, none).unwrap(), "单位");
        // A declared Big5 file decodes as Big5, not GB18030.
        let big5 = encoding_rs::BIG5.encode("單位").0.into_owned();
        assert_eq!(decode(big5, |_| Some(encoding_rs::BIG5)).unwrap(), "單位");
        // Bytes no encoding can take are refused, never replaced.
        assert_eq!(
            decode(vec![b'a', 0xFF, b'b'], none),
            Err(FileProblem::BadEncoding)
        );
        assert!(looks_like_text(&gb));
        assert!(!looks_like_text(b"ab\0cd"));
        assert!(starts_with_markup(b"\xEF\xBB\xBF \n<html>"));
        assert!(!starts_with_markup(b"a,<b>"));
    }
}
