//! A direct walk of an `.xlsx` sheet's cells for the plain sheets most returns are, beside
//! calamine's walk for every other.
//!
//! calamine's cell reader takes most of an import's reading: it goes through a general XML
//! reader event by event, with the attribute and escape handling any sheet may need. Most
//! sheets need none of it — a cell is `<c r="B7" s="3" t="s"><v>12</v></c>` — and a walk
//! that looks for just those shapes reads the 200-file benchmark's sheets in a third of the
//! time (docs/performance.md, eleventh round).
//!
//! What the clerk sees must still be what mofan stores, so this walk gives *exactly* the
//! cells calamine gives, or declines: [`walk`] and [`shared_strings`] return `None` at the
//! first thing outside the shapes they know — another cell type, an entity or escape, a
//! namespace prefix, a comment, a cell without its reference, a number written otherwise
//! than plainly, a style whose number format might make calamine read a date — and the
//! caller then reads the sheet with calamine as before. The test module compares both
//! readers on every workbook of the test suite and on generated ones.

use std::io::{Cursor, Read};
use std::ops::ControlFlow;

use calamine::Style;
use memchr::memmem;

use super::values::Cell;

/// A sheet part larger than this is walked by calamine, as it streams: the direct walk
/// holds the part and its cells in memory.
pub const MAX_PART: u64 = 8 << 20;

/// One cell of the sheet as calamine would give it: 0-based row and column, the value,
/// and the style id (0 when the cell names none).
pub type WalkedCell = (u32, u32, WalkedValue, usize);

/// A walked cell's value. A shared string stays an index until the cell is taken: a
/// string copied for every cell naming it before any is looked at would let a file of a
/// few megabytes (one long string, named by every cell) take gigabytes, where the cells
/// taken one by one meet the length bound at the first.
#[derive(Debug)]
pub enum WalkedValue {
    /// A number.
    Number(f64),
    /// The shared string at this index (known to exist).
    Shared(usize),
    /// An in-line string.
    Inline(String),
    /// Blank.
    Empty,
}

impl WalkedValue {
    /// The cell calamine gives, with `strings` those [`walk`] was given.
    pub fn into_cell(self, strings: &SharedStrings) -> Cell {
        match self {
            WalkedValue::Number(n) => Cell::Float(n),
            WalkedValue::Shared(i) => Cell::Text(strings.get(i).to_string()),
            WalkedValue::Inline(s) => Cell::Text(s),
            WalkedValue::Empty => Cell::Empty,
        }
    }
}

/// A workbook's shared strings, one after another in one buffer: the 200,000 strings of
/// a 100,000-row file held as `String`s would take twice the memory (a heap block and a
/// header each), beside calamine's own copy.
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    /// Where each string ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl SharedStrings {
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string at `i` (< [`Self::len`]).
    pub fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.text[start..self.ends[i] as usize]
    }

    /// Adds `s`; `None` past 4 GiB of text (a part that large is not read whole).
    fn push(&mut self, s: &str) -> Option<()> {
        self.text.push_str(s);
        self.ends.push(u32::try_from(self.text.len()).ok()?);
        Some(())
    }
}

/// The shared strings of the workbook in `bytes` as calamine reads them, when each is a
/// plain `<si><t>…</t></si>`; an empty list when the workbook has none at the usual
/// place (a cell naming a string then declines the walk); `None` otherwise.
pub fn shared_strings(bytes: &[u8]) -> Option<SharedStrings> {
    // Named as calamine names it: the package's directory (`xl/`, or no sheet is walked
    // directly) and this name, compared case-insensitively.
    let Some(name) = super::xlsx_merges::actual_name(bytes, "xl/sharedStrings.xml") else {
        return Some(SharedStrings::default());
    };
    let part = super::xlsx_merges::read_part(bytes, &name, MAX_PART)?;
    let xml = std::str::from_utf8(&part).ok()?;
    let sst = xml.find("<sst")?;
    let open = sst + xml[sst..].find('>')?;
    if !matches!(xml.as_bytes()[sst + 4], b' ' | b'>') || xml.as_bytes()[open - 1] == b'/' {
        return None;
    }
    let mut rest = &xml[open + 1..];
    let mut strings = SharedStrings::default();
    loop {
        rest = rest.trim_start_matches(XML_SPACE);
        if rest.starts_with("</sst>") {
            strings.text.shrink_to_fit();
            strings.ends.shrink_to_fit();
            return Some(strings);
        }
        rest = rest.strip_prefix("<si>")?.trim_start_matches(XML_SPACE);
        let (text, used) = plain_t(rest.as_bytes())?;
        strings.push(text)?;
        rest = rest[used..]
            .trim_start_matches(XML_SPACE)
            .strip_prefix("</si>")?;
    }
}

/// The `<t>` element at the start of `s` — `<t>text</t>` or `<t xml:space="preserve">
/// text</t>` — as calamine reads it (trimmed of XML's spaces unless preserved), and the
/// bytes it takes; `None` for any other form.
fn plain_t(s: &[u8]) -> Option<(&str, usize)> {
    const PRESERVE: &[u8] = b"<t xml:space=\"preserve\">";
    let (preserve, at) = if s.starts_with(b"<t>") {
        (false, 3)
    } else if s.starts_with(PRESERVE) {
        (true, PRESERVE.len())
    } else {
        return None;
    };
    let len = memchr::memchr(b'<', &s[at..])?;
    if !s[at + len..].starts_with(b"</t>") {
        return None;
    }
    let text = std::str::from_utf8(&s[at..at + len]).ok()?;
    // Entities, character references, `_xHHHH_` escapes and carriage returns are each
    // turned into something else by calamine: left to it.
    if text.contains(['&', '\r']) || text.contains("_x") {
        return None;
    }
    let text = if preserve {
        text
    } else {
        text.trim_matches(XML_SPACE)
    };
    Some((text, at + len + 4))
}

const XML_SPACE: [char; 4] = [' ', '\t', '\r', '\n'];

/// Whether calamine certainly reads a number in each style of `styles` as a number
/// (not a date or a duration): a built-in format that is not a date's or a time's, or a
/// format of the file's own made of the digit signs `0` and `#`, separators and `%` alone.
pub fn plain_styles(styles: &[Style]) -> Vec<bool> {
    styles
        .iter()
        .map(|s| {
            s.number_format.as_ref().is_some_and(|n| {
                let id_plain = matches!(n.format_id, Some(0..=4 | 9..=13 | 37..=40 | 48 | 49))
                    || n.format_id.is_some_and(|id| id >= 164);
                let code_plain = n.format_code == "General"
                    || n.format_code == "@"
                    || n.format_code
                        .bytes()
                        .all(|b| matches!(b, b'0' | b'#' | b',' | b'.' | b'%' | b' '));
                id_plain && code_plain
            })
        })
        .collect()
}

/// The cells of the sheet part `xml`, in the order calamine gives them (blank ones
/// included), with `strings` from [`shared_strings`] and `plain` from [`plain_styles`];
/// `None` as soon as something is outside the shapes this walk knows.
pub fn walk(xml: &[u8], strings: &SharedStrings, plain: &[bool]) -> Option<Vec<WalkedCell>> {
    let start = memmem::find(xml, OPEN)? + OPEN.len();
    let end = start + memmem::find(&xml[start..], CLOSE)?;
    let mut cells = Vec::new();
    walk_rows(&xml[start..end], strings, plain, &mut cells)?;
    Some(cells)
}

const OPEN: &[u8] = b"<sheetData>";
const CLOSE: &[u8] = b"</sheetData>";
const ROW_END: &[u8] = b"</row>";

/// How [`walk_pieces`] ended.
#[derive(Debug, PartialEq)]
pub enum Pieces<B> {
    /// Every cell of the sheet was handed over.
    Done,
    /// The walk met something outside the shapes it knows (or a part it could not read,
    /// or a row larger than [`MAX_PART`]). The cells handed over before are the first
    /// ones calamine gives.
    Declined,
    /// The caller said `Break`.
    Stopped(B),
}

/// [`walk`] over the sheet part `entry` of the package `bytes` as it is inflated, for a
/// part too large to hold: the cells of each run of whole rows go to `each` as soon as
/// they are walked (it takes them out of the vector). Whatever has been handed over is
/// always the start of what calamine gives, the same cells in the same order; but a walk
/// may decline after handing some over, and the caller then goes on with calamine's walk
/// past as many cells.
///
/// The part is cut after a `</row>`: every token before such a cut is whole, and a
/// `</row>` that is not a row's end (inside a tag or a text) is in something the walk
/// declines before or at it, cut or not.
pub fn walk_pieces<B>(
    bytes: &[u8],
    entry: &str,
    strings: &SharedStrings,
    plain: &[bool],
    each: impl FnMut(&mut Vec<WalkedCell>) -> ControlFlow<B>,
) -> Pieces<B> {
    walk_pieces_of(bytes, entry, strings, plain, 1 << 16, each)
}

/// [`walk_pieces`], inflating `piece` bytes at a time.
fn walk_pieces_of<B>(
    bytes: &[u8],
    entry: &str,
    strings: &SharedStrings,
    plain: &[bool],
    piece: usize,
    mut each: impl FnMut(&mut Vec<WalkedCell>) -> ControlFlow<B>,
) -> Pieces<B> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Pieces::Declined;
    };
    let Ok(mut part) = zip.by_name(entry) else {
        return Pieces::Declined;
    };
    let mut buf: Vec<u8> = Vec::with_capacity(2 * piece);
    let mut cells = Vec::new();
    // Where the rows not yet walked start in `buf`, once `<sheetData>` is found.
    let mut rows_at: Option<usize> = None;
    let mut ended = false;
    loop {
        // Searches look at what was read last, and the few bytes before it that may
        // hold the start of what is looked for.
        let read_from = buf.len();
        if !ended {
            buf.resize(read_from + piece, 0);
            match part.read(&mut buf[read_from..]) {
                Ok(n) => {
                    buf.truncate(read_from + n);
                    ended = n == 0;
                }
                Err(_) => return Pieces::Declined,
            }
        }
        let start = match rows_at {
            Some(at) => at,
            None => match find_after(&buf, 0, read_from, OPEN) {
                Some(i) => *rows_at.insert(i + OPEN.len()),
                None if ended || buf.len() > MAX_PART as usize => return Pieces::Declined,
                None => continue,
            },
        };
        let new = read_from.max(start);
        let (upto, last) = if let Some(end) = find_after(&buf, start, new, CLOSE) {
            (end, true)
        } else if let Some(end) = rfind_after(&buf, start, new, ROW_END) {
            (end + ROW_END.len(), false)
        } else if ended || buf.len() - start > MAX_PART as usize {
            return Pieces::Declined;
        } else {
            continue;
        };
        if walk_rows(&buf[start..upto], strings, plain, &mut cells).is_none() {
            return Pieces::Declined;
        }
        if let ControlFlow::Break(b) = each(&mut cells) {
            return Pieces::Stopped(b);
        }
        cells.clear();
        if last {
            return Pieces::Done;
        }
        buf.drain(..upto);
        rows_at = Some(0);
    }
}

/// The first `needle` in `buf[from..]` that ends at or after `new` (those ending before
/// were looked for already), as an index into `buf`.
fn find_after(buf: &[u8], from: usize, new: usize, needle: &[u8]) -> Option<usize> {
    let look = new.saturating_sub(needle.len() - 1).max(from);
    memmem::find(&buf[look..], needle).map(|i| look + i)
}

/// The last `needle` in `buf[from..]` that ends at or after `new`.
fn rfind_after(buf: &[u8], from: usize, new: usize, needle: &[u8]) -> Option<usize> {
    let look = new.saturating_sub(needle.len() - 1).max(from);
    memmem::rfind(&buf[look..], needle).map(|i| look + i)
}

/// Adds the cells of `body` — rows, whole, as they stand between `<sheetData>` and
/// `</sheetData>` — to `cells`; `None` as soon as something is outside the known shapes.
fn walk_rows(
    body: &[u8],
    strings: &SharedStrings,
    plain: &[bool],
    cells: &mut Vec<WalkedCell>,
) -> Option<()> {
    let mut at = 0;
    loop {
        at = skip_space(body, at);
        let Some(rest) = body.get(at..).filter(|r| !r.is_empty()) else {
            return Some(());
        };
        if rest.starts_with(ROW_END) {
            at += ROW_END.len();
        } else if starts_tag(rest, b"<row") {
            // Only cells with their reference are taken, so a row's number is not needed;
            // but calamine refuses a sheet whose row number is not one, so it is checked.
            let tag = &rest[..memchr::memchr(b'>', rest)?];
            let attrs = tag[4..].strip_suffix(b"/").unwrap_or(&tag[4..]);
            for (name, value) in attributes(attrs)?.iter() {
                if name == b"r" && digits(value).is_none_or(|n| n == 0) {
                    return None;
                }
            }
            at += tag.len() + 1;
        } else if starts_tag(rest, b"<c") {
            let (cell, used) = cell(rest, strings, plain)?;
            cells.push(cell);
            at += used;
        } else {
            return None;
        }
    }
}

/// The cell at the start of `s`, and how many bytes it takes.
fn cell(s: &[u8], strings: &SharedStrings, plain: &[bool]) -> Option<(WalkedCell, usize)> {
    let gt = memchr::memchr(b'>', s)?;
    let (attrs, closed) = match s[..gt].strip_suffix(b"/") {
        Some(a) => (&a[2..], true),
        None => (&s[2..gt], false),
    };
    let mut r = None;
    let mut style = None;
    let mut typ = None;
    for (name, value) in attributes(attrs)?.iter() {
        let slot = match name {
            b"r" => &mut r,
            b"s" => &mut style,
            b"t" => &mut typ,
            // A prefixed name might be one of these three to a reader that looks at
            // local names.
            _ if name.contains(&b':') => return None,
            _ => continue,
        };
        *slot = Some(value);
    }
    let (row, col) = cell_ref(r?)?;
    let style_id = match style {
        Some(v) => digits(v)?,
        None => 0,
    };
    let mut at = gt + 1;
    let mut text: Option<&[u8]> = None;
    if !closed {
        at = skip_space(s, at);
        if starts_tag(&s[at..], b"<f") {
            let f_gt = at + memchr::memchr(b'>', &s[at..])?;
            at = if s[f_gt - 1] == b'/' {
                f_gt + 1
            } else {
                // A formula is text: markup inside it (which calamine's reader may refuse
                // for its end tags) declines the sheet.
                let close = f_gt + 1 + memchr::memchr(b'<', &s[f_gt + 1..])?;
                if !s[close..].starts_with(b"</f>") {
                    return None;
                }
                close + 4
            };
            at = skip_space(s, at);
        }
        if typ == Some(b"inlineStr") && s[at..].starts_with(b"<is>") {
            let (text, used) = plain_t(&s[at + 4..])?;
            at = skip_space(s, at + 4 + used);
            if !s[at..].starts_with(b"</is>") {
                return None;
            }
            at = skip_space(s, at + 5);
            if !s[at..].starts_with(b"</c>") {
                return None;
            }
            let value = WalkedValue::Inline(text.to_string());
            return Some(((row, col, value, style_id), at + 4));
        }
        if s[at..].starts_with(b"<v>") {
            let v = at + 3;
            let v_end = v + memchr::memchr(b'<', &s[v..])?;
            text = Some(&s[v..v_end]);
            at = v_end;
            if !s[at..].starts_with(b"</v>") {
                return None;
            }
            at = skip_space(s, at + 4);
        }
        if !s[at..].starts_with(b"</c>") {
            return None;
        }
        at += 4;
    }
    let value = match (typ, text) {
        (Some(b"s" | b"n") | None, None | Some([])) => WalkedValue::Empty,
        (Some(b"s"), Some(v)) => {
            let i = digits(v)?;
            if i >= strings.len() {
                return None;
            }
            WalkedValue::Shared(i)
        }
        (Some(b"n") | None, Some(v)) => {
            // calamine reads a number in a style naming none as a number; in a style it
            // may read as a date, the sheet is left to it.
            if style.is_some() && !plain.get(style_id).copied().unwrap_or(true) {
                return None;
            }
            WalkedValue::Number(plain_number(v)?)
        }
        _ => return None,
    };
    Some(((row, col, value, style_id), at))
}

/// Whether `s` starts with the tag `name` (not a longer name that begins alike).
fn starts_tag(s: &[u8], name: &[u8]) -> bool {
    s.starts_with(name)
        && matches!(
            s.get(name.len()),
            Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n')
        )
}

fn skip_space(s: &[u8], mut at: usize) -> usize {
    while matches!(s.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        at += 1;
    }
    at
}

/// At most this many attributes on a tag the walk takes: Excel writes 7 on a row, 3 on
/// a cell.
const MAX_ATTRS: usize = 16;

/// A tag's attributes, held without allocating (the walk reads one tag per cell).
struct Attributes<'a> {
    pairs: [(&'a [u8], &'a [u8]); MAX_ATTRS],
    len: usize,
}

impl<'a> Attributes<'a> {
    fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + '_ {
        self.pairs[..self.len].iter().copied()
    }
}

/// The `name="value"` pairs of a start tag after its name; `None` for anything else, a
/// name given twice (which calamine's XML reader refuses), a value that would need
/// unescaping, or more than [`MAX_ATTRS`] attributes.
fn attributes(mut s: &[u8]) -> Option<Attributes<'_>> {
    let mut out = Attributes {
        pairs: [(&[][..], &[][..]); MAX_ATTRS],
        len: 0,
    };
    loop {
        let at = skip_space(s, 0);
        if at == s.len() {
            return Some(out);
        }
        if at == 0 {
            return None;
        }
        s = &s[at..];
        let eq = memchr::memchr(b'=', s)?;
        let name = &s[..eq];
        if name.is_empty()
            || !name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        {
            return None;
        }
        let quote = *s.get(eq + 1)?;
        if !matches!(quote, b'"' | b'\'') {
            return None;
        }
        let v = &s[eq + 2..];
        let close = memchr::memchr(quote, v)?;
        let value = &v[..close];
        if value.contains(&b'&') || value.contains(&b'<') {
            return None;
        }
        if out.len == MAX_ATTRS || out.iter().any(|(n, _)| n == name) {
            return None;
        }
        out.pairs[out.len] = (name, value);
        out.len += 1;
        s = &v[close + 1..];
    }
}

/// `B7` as (6, 1): capital letters for a column up to XFD, then a row from 1 to 1,048,576.
fn cell_ref(s: &[u8]) -> Option<(u32, u32)> {
    let split = s.iter().position(u8::is_ascii_digit)?;
    let (letters, row) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    let col = letters
        .iter()
        .fold(0u32, |c, b| c * 26 + u32::from(b - b'A') + 1);
    let row = u32::try_from(digits(row)?).ok()?;
    ((1..=16_384).contains(&col) && (1..=1_048_576).contains(&row)).then(|| (row - 1, col - 1))
}

/// A run of 1 to 9 ASCII digits as a number.
fn digits(s: &[u8]) -> Option<usize> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, b| n * 10 + usize::from(b - b'0')))
}

/// A number written `-12.5`, `3` or `1.5E-3`: the value both calamine's parser and
/// Rust's round to, both being correctly rounded. Other spellings are left to calamine.
fn plain_number(s: &[u8]) -> Option<f64> {
    let mut i = usize::from(s.first() == Some(&b'-'));
    let run = |i: &mut usize| {
        let from = *i;
        while s.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    if !run(&mut i) {
        return None;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !run(&mut i) {
            return None;
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !run(&mut i) {
            return None;
        }
    }
    if i != s.len() {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::import::workbook::from_ref;
    use calamine::{Reader, Xlsx};
    use rust_xlsxwriter::{Format, Formula, Workbook};
    use std::io::{Cursor, Read};

    /// Both readers' cells of every sheet of the workbook `bytes`: calamine's, and this
    /// walk's where it does not decline. Debug forms are compared, so that -0.0 is not 0.
    fn both(bytes: &[u8]) -> Vec<(String, String, Option<String>)> {
        let Ok(mut book) = Xlsx::new(Cursor::new(bytes.to_vec())) else {
            return Vec::new();
        };
        let strings = shared_strings(bytes);
        let mut out = Vec::new();
        for sheet in book.sheet_names() {
            let Some(entry) = crate::import::xlsx_merges::sheet_entry(bytes, &sheet) else {
                continue;
            };
            let Some(part) = crate::import::xlsx_merges::read_part(bytes, &entry, MAX_PART) else {
                continue;
            };
            let Ok(mut reader) = book.worksheet_cells_reader(&sheet) else {
                continue;
            };
            let plain = plain_styles(reader.styles());
            let fast = strings.as_ref().and_then(|s| {
                let cells: Vec<_> = walk(&part, s, &plain)?
                    .into_iter()
                    .map(|(r, c, v, style)| (r, c, v.into_cell(s), style))
                    .collect();
                Some(cells)
            });
            let mut slow = Vec::new();
            let read = loop {
                match reader.next_cell_with_style_id() {
                    Ok(Some((cell, style))) => {
                        let (r, c) = cell.get_position();
                        slow.push((r, c, from_ref(cell.get_value().clone()), style));
                    }
                    Ok(None) => break format!("{slow:?}"),
                    Err(e) => break format!("error: {e}"),
                }
            };
            // Walked in pieces (of several sizes, down to a byte at a time), the part
            // gives what the whole walk gives, and where the whole walk declines, it
            // declines after handing over the start of calamine's cells, no more.
            if let Some(s) = strings.as_ref() {
                for piece in [1, 7, 100, 4096] {
                    if piece == 1 && part.len() > 200_000 {
                        continue;
                    }
                    let mut handed = Vec::new();
                    let end = walk_pieces_of(bytes, &entry, s, &plain, piece, |cells| {
                        handed.extend(
                            cells
                                .drain(..)
                                .map(|(r, c, v, style)| (r, c, v.into_cell(s), style)),
                        );
                        ControlFlow::<()>::Continue(())
                    });
                    let what = format!("{sheet}, pieces of {piece}");
                    match &fast {
                        Some(cells) => {
                            assert_eq!(end, Pieces::Done, "{what}");
                            assert_eq!(format!("{handed:?}"), format!("{cells:?}"), "{what}");
                        }
                        None => {
                            assert_eq!(end, Pieces::Declined, "{what}");
                            // Calamine's cells before any error it meets.
                            let slow = format!("{slow:?}");
                            let handed = format!("{handed:?}");
                            let prefix = handed.strip_suffix(']').unwrap();
                            assert!(slow.starts_with(prefix), "{what}: {handed} / {slow}");
                        }
                    }
                }
            }
            out.push((sheet, read, fast.map(|cells| format!("{cells:?}"))));
        }
        out
    }

    /// Asserts the walk gives what calamine gives wherever it does not decline; returns
    /// how many sheets it walked.
    fn agrees(name: &str, bytes: &[u8]) -> usize {
        let mut walked = 0;
        for (sheet, slow, fast) in both(bytes) {
            if let Some(fast) = fast {
                assert_eq!(fast, slow, "{name}, sheet {sheet}");
                walked += 1;
            }
        }
        walked
    }

    #[test]
    fn every_workbook_of_the_tests_reads_as_calamine_reads_it() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "xlsx") {
                    files.push(path);
                }
            }
        }
        // Some are hostile files calamine panics on (the import guards against that).
        let walked: usize = files
            .iter()
            .filter_map(|f| {
                let bytes = std::fs::read(f).unwrap();
                std::panic::catch_unwind(|| both(&bytes))
                    .ok()
                    .map(|all| (f, all))
            })
            .map(|(f, all)| {
                let mut walked = 0;
                for (sheet, slow, fast) in all {
                    if let Some(fast) = fast {
                        assert_eq!(fast, slow, "{}, sheet {sheet}", f.display());
                        walked += 1;
                    }
                }
                walked
            })
            .sum();
        assert!(files.len() > 50, "{} workbooks found", files.len());
        // Most of them are plain: a walk that declined everything would test nothing.
        assert!(
            walked > 50,
            "{walked} sheets walked of {} files",
            files.len()
        );
    }

    /// A workbook of one sheet whose cells `fill` writes.
    fn book(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        fill(wb.add_worksheet());
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn plain_strings_and_numbers_are_walked_as_calamine_reads_them() {
        let texts = [
            "市直机关工委",
            "  leading and trailing  ",
            "line\nbreak",
            "tab\there",
            "全角　空格",
            "0012",
            "1.50",
            "😀 emoji",
            "",
            "a",
        ];
        let numbers = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.3,
            95.5,
            1e-10,
            1.5e300,
            123_456_789.125,
            -2.5e-7,
        ];
        let percent = Format::new().set_num_format("0.0%");
        let two = Format::new().set_num_format("0.00");
        let bytes = book(|ws| {
            for (i, t) in texts.iter().enumerate() {
                ws.write_string(i as u32, 0, *t).unwrap();
            }
            for (i, n) in numbers.iter().enumerate() {
                ws.write_number(i as u32, 1, *n).unwrap();
                ws.write_number_with_format(i as u32, 2, *n, &percent)
                    .unwrap();
                ws.write_number_with_format(i as u32, 3, *n, &two).unwrap();
            }
            ws.write_formula(0, 4, Formula::new("=B2+B3").set_result("1"))
                .unwrap();
            ws.write_blank(20, 0, &two).unwrap();
        });
        assert_eq!(agrees("plain", &bytes), 1, "the plain sheet is walked");
    }

    #[test]
    fn what_the_walk_does_not_know_is_left_to_calamine() {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "an ampersand",
                book(|ws| {
                    ws.write_string(0, 0, "A&B").unwrap();
                }),
            ),
            (
                "a less-than sign",
                book(|ws| {
                    ws.write_string(0, 0, "1<2").unwrap();
                }),
            ),
            (
                "an escape-like text",
                book(|ws| {
                    ws.write_string(0, 0, "_x000D_").unwrap();
                }),
            ),
            (
                "a carriage return",
                book(|ws| {
                    ws.write_string(0, 0, "a\r\nb").unwrap();
                }),
            ),
            (
                "a date",
                book(|ws| {
                    ws.write_number_with_format(0, 0, 45000.0, &date).unwrap();
                }),
            ),
            (
                "a boolean",
                book(|ws| {
                    ws.write_boolean(0, 0, true).unwrap();
                }),
            ),
            (
                "a string formula",
                book(|ws| {
                    ws.write_formula(0, 0, Formula::new("=\"a\"&\"b\"").set_result("ab"))
                        .unwrap();
                }),
            ),
        ];
        for (name, bytes) in cases {
            let all = both(&bytes);
            assert_eq!(all.len(), 1, "{name}");
            assert_eq!(all[0].2, None, "{name}: the walk declines");
        }
    }

    #[test]
    fn a_cell_outside_the_known_shapes_declines_the_sheet() {
        let mut strings = SharedStrings::default();
        strings.push("x").unwrap();
        let plain = vec![true, false];
        let sheet = |cells: &str| {
            format!("<worksheet><sheetData><row r=\"1\">{cells}</row></sheetData></worksheet>")
        };
        let ok = sheet(
            r#"<c r="A1" t="s"><v>0</v></c><c r="B1"><v>2.5</v></c><c r="C1" s="0"><f>A1</f><v>1</v></c><c r="D1"/><c r="E1" t="inlineStr"><is><t xml:space="preserve"> y </t></is></c>"#,
        );
        let cells = walk(ok.as_bytes(), &strings, &plain).unwrap();
        assert_eq!(
            format!("{cells:?}"),
            r#"[(0, 0, Shared(0), 0), (0, 1, Number(2.5), 0), (0, 2, Number(1.0), 0), (0, 3, Empty, 0), (0, 4, Inline(" y "), 0)]"#
        );
        for bad in [
            r#"<c t="s"><v>0</v></c>"#,          // no reference
            r#"<c r="a1" t="s"><v>0</v></c>"#,   // a lower-case reference
            r#"<c r="A1" t="s"><v>1</v></c>"#,   // no such string
            r#"<c r="A1" s="1"><v>2</v></c>"#,   // a style that may be a date
            r#"<c r="A1"><v> 2</v></c>"#,        // a number with a space
            r#"<c r="A1"><v>.5</v></c>"#,        // a number without its 0
            r#"<c r="A1" t="str"><v>a</v></c>"#, // another type
            r#"<c r="A1" t="inlineStr"><is><t>a</t></is><v>b</v></c>"#,
            r#"<c r="A1" t="inlineStr"><is><r><t>a</t></r></is></c>"#,
            r#"<c r="A1"><v>1</v><f>A2</f></c>"#, // a formula after the value
            r#"<c r="A1" r="B1"><v>1</v></c>"#,   // a reference twice
            r#"<c r="A1" x:s="1"><v>1</v></c>"#,  // a prefixed attribute
            r#"<x:c r="A1"><x:v>1</x:v></x:c>"#,  // a prefixed element
            r#"<!-- note --><c r="A1"><v>1</v></c>"#, // a comment
            r#"<c r="A1"><v><![CDATA[1]]></v></c>"#, // a character data section
        ] {
            assert!(
                walk(sheet(bad).as_bytes(), &strings, &plain).is_none(),
                "{bad}"
            );
        }
        let many: String = (0..MAX_ATTRS).map(|i| format!(" a{i}=\"1\"")).collect();
        let many = format!("<c r=\"A1\"{many}><v>1</v></c>");
        assert!(walk(sheet(&many).as_bytes(), &strings, &plain).is_none());
        let fewer = many.replace(" a0=\"1\"", "");
        assert!(walk(sheet(&fewer).as_bytes(), &strings, &plain).is_some());
        let bad_row = "<worksheet><sheetData><row r=\"0\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>";
        assert!(walk(bad_row.as_bytes(), &strings, &plain).is_none());
    }

    /// The parts of the package `bytes`, by name, in its order.
    pub(in crate::import) fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                part.read_to_end(&mut data).unwrap();
                (part.name().unwrap().to_string(), data)
            })
            .collect()
    }

    /// A package of `parts`, in their order.
    pub(in crate::import) fn package(parts: Vec<(String, Vec<u8>)>) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut out, &data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// The package `bytes` with each part's content passed through `edit` (given the
    /// part's name): a workbook with parts no writer makes.
    pub(in crate::import) fn edit_parts(
        bytes: Vec<u8>,
        edit: impl Fn(&str, Vec<u8>) -> Vec<u8>,
    ) -> Vec<u8> {
        package(
            parts_of(&bytes)
                .into_iter()
                .map(|(name, data)| {
                    let data = edit(&name, data);
                    (name, data)
                })
                .collect(),
        )
    }

    #[test]
    fn hand_written_strings_and_cells_read_as_calamine_reads_them() {
        // Strings and a sheet as other writers lay them out: spaces around unpreserved
        // text, which calamine trims; preserved ones kept; cells without a style, with
        // formulas before their values, in-line strings, blank cells, spaces between tags.
        let base = book(|ws| {
            ws.write_string(0, 0, "replaced below").unwrap();
        });
        let sst = "<?xml version=\"1.0\"?>\n<sst xmlns=\"x\" count=\"4\">\n \
                   <si><t>  padded\t\n</t></si>\n \
                   <si><t xml:space=\"preserve\">  kept  </t></si>\
                   <si> <t>市直机关</t> </si><si><t></t></si></sst>";
        let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"x\"><dimension ref=\"A1:D3\"/>\
                     <sheetData>\n<row r=\"1\" spans=\"1:4\">\
                     <c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>\
                     <c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>\n\
                     <row r=\"2\"><c r=\"A2\"><v>95.5</v></c><c r=\"B2\" t=\"n\"><v>-1.5E-3</v></c>\
                     <c r=\"C2\"> <f>A2*2</f> <v>191</v> </c><c r=\"D2\"><f t=\"shared\" si=\"0\"/><v>7</v></c></row>\
                     <row r=\"3\"/><row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t> 在线 </t></is></c>\
                     <c r=\"A4\"/><c r=\"C4\"></c><c r=\"D4\" t=\"s\"><v></v></c></row></sheetData></worksheet>";
        let bytes = edit_parts(base, |name, data| match name {
            "xl/sharedStrings.xml" => sst.as_bytes().to_vec(),
            "xl/worksheets/sheet1.xml" => sheet.as_bytes().to_vec(),
            _ => data,
        });
        assert_eq!(agrees("hand-written", &bytes), 1, "the sheet is walked");
        let strings = shared_strings(&bytes).unwrap();
        let strings: Vec<&str> = (0..strings.len()).map(|i| strings.get(i)).collect();
        assert_eq!(strings, ["padded", "  kept  ", "市直机关", ""]);
    }
}
