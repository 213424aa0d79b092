//! Merged ranges of an `.xlsx` sheet, found by scanning the decompressed sheet part for
//! `<mergeCell ref="…">` instead of parsing its XML a second time (the ranges follow
//! the cell data, so calamine's reader must walk every cell to reach them).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::events::Event;

/// Parses "B3" into a 0-based (row, column).
fn cell_ref(s: &[u8]) -> Option<(u32, u32)> {
    let split = s.iter().position(|b| b.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in letters {
        let b = b.to_ascii_uppercase();
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + u32::from(b - b'A' + 1);
    }
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// Parses "A1:T1" (or a single cell) into a region.
fn range_ref(s: &[u8]) -> Option<Dimensions> {
    let mut parts = s.split(|b| *b == b':');
    let start = cell_ref(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => cell_ref(p)?,
        None => start,
    };
    Some(Dimensions { start, end })
}

/// The actual name of the entry called `name`, compared case-insensitively.
fn entry_name(zip: &zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    zip.file_names()
        .flatten()
        .find(|n| n.eq_ignore_ascii_case(name))
        .map(|n| n.into_owned())
}

/// Reads the zip entry named `name` (case-insensitively) to a string.
fn read_entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let actual = entry_name(zip, name)?;
    let mut s = String::new();
    zip.by_name(&actual).ok()?.read_to_string(&mut s).ok()?;
    Some(s)
}

/// Attributes (by local name, unescaped) of every element with the given local name.
fn elements(xml: &str, local: &str) -> Vec<HashMap<String, String>> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().into_inner() == local => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map(|v| v.into_owned());
                        let value = value.unwrap_or_else(|_| a.value.clone().into_owned());
                        (a.key.local_name().into_inner().to_string(), value)
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Whether the package's parts are found by name as calamine finds them: no two names
/// alike but for case or `\` for `/` (calamine takes the last of such, this module the
/// first), and the workbook at `xl/workbook.xml`, where this module looks for it
/// (calamine follows `_rels/.rels`). A package that is not read otherwise leaves its
/// merged regions and cells to calamine.
fn found_as_calamine_finds(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let mut names = std::collections::HashSet::with_capacity(zip.len());
    for name in zip.file_names() {
        let Ok(name) = name else {
            return false;
        };
        if name.contains('\\') || !names.insert(name.to_ascii_lowercase()) {
            return false;
        }
    }
    let Some(rels) = read_entry(zip, "_rels/.rels") else {
        return false;
    };
    // calamine takes the last officeDocument relation.
    let target = elements(&rels, "Relationship")
        .into_iter()
        .filter(|a| {
            a.get("Type")
                .is_some_and(|t| t.ends_with("/relationships/officeDocument"))
        })
        .filter_map(|mut a| a.remove("Target"))
        .next_back();
    target.is_some_and(|t| {
        t.strip_prefix('/')
            .unwrap_or(&t)
            .eq_ignore_ascii_case("xl/workbook.xml")
    })
}

/// The part path of the sheet named `sheet`, through workbook.xml and its relations.
fn sheet_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, sheet: &str) -> Option<String> {
    sheet_part_where(zip, |a| a.get("name").map(String::as_str) == Some(sheet))
}

/// The part path of the first sheet whose attributes `pick` takes.
fn sheet_part_where(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    pick: impl Fn(&HashMap<String, String>) -> bool,
) -> Option<String> {
    if !found_as_calamine_finds(zip) {
        return None;
    }
    let workbook = read_entry(zip, "xl/workbook.xml")?;
    let rels = read_entry(zip, "xl/_rels/workbook.xml.rels")?;
    let rid = elements(&workbook, "sheet")
        .into_iter()
        .find(pick)?
        .remove("id")?;
    let target = elements(&rels, "Relationship")
        .into_iter()
        .find(|a| a.get("Id") == Some(&rid))?
        .remove("Target")?;
    Some(match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    })
}

/// The name of the zip entry holding the first sheet not hidden — the one an import
/// most likely reads first, for its regions to be read ahead ([`super::workbook`]).
pub fn first_sheet_entry(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let part = sheet_part_where(&mut zip, |a| a.get("state").is_none_or(|s| s == "visible"))?;
    entry_name(&zip, &part)
}

/// The name of the zip entry holding the sheet named `sheet`, when the package's parts
/// are found as calamine finds them; it reads no part but the workbook and its
/// relations.
pub fn sheet_entry(bytes: &[u8], sheet: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let part = sheet_part(&mut zip, sheet)?;
    entry_name(&zip, &part)
}

/// The merged regions recorded in the sheet part `entry` (from [`sheet_entry`]), or
/// `None` when the part cannot be read to its end.
pub fn regions_in(bytes: &[u8], entry: &str) -> Option<Vec<Dimensions>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entry = zip.by_name(entry).ok()?;
    let finder = memchr::memmem::Finder::new(b"mergeCell");
    let mut regions = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        let n = entry.read(&mut chunk).ok()?;
        buf.extend_from_slice(&chunk[..n]);
        let consumed = scan_regions(&finder, &buf, &mut regions);
        if n == 0 {
            break;
        }
        // Keep only a tail that may hold the start of a tag cut by the chunk boundary.
        let keep_from = consumed.max(buf.len().saturating_sub(256));
        buf.drain(..keep_from);
    }
    Some(regions)
}

/// The merged regions recorded in a whole sheet part, read already: [`regions_in`]
/// without reading.
pub fn regions_of(part: &[u8]) -> Vec<Dimensions> {
    let mut regions = Vec::new();
    scan_regions(
        &memchr::memmem::Finder::new(b"mergeCell"),
        part,
        &mut regions,
    );
    regions
}

/// Where the last byte of the shared strings' name is in the package's central
/// directory, when the package's parts are found as calamine finds them, its strings are
/// at `xl/sharedStrings.xml` (any case) and inflate to at least `min` bytes — for a
/// reader to show calamine that name changed ([`super::workbook`]).
pub fn strings_name_end(bytes: &[u8], min: u64) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let name = entry_name(&zip, "xl/sharedStrings.xml")?;
    if zip.by_name(&name).ok()?.size() < min || !found_as_calamine_finds(&mut zip) {
        return None;
    }
    let entry = zip.by_name(&name).ok()?;
    // A central directory header: 46 bytes, then the name as stored.
    let at = usize::try_from(entry.central_header_start())
        .ok()?
        .checked_add(46)?;
    let stored = bytes.get(at..at.checked_add(name.len())?)?;
    (stored == name.as_bytes()).then(|| (at + name.len() - 1) as u64)
}

/// The actual name of the part called `name` (compared case-insensitively) in the
/// package `bytes`, if it has one.
pub fn actual_name(bytes: &[u8], name: &str) -> Option<String> {
    entry_name(&zip::ZipArchive::new(Cursor::new(bytes)).ok()?, name)
}

/// The part `entry` whole, when it can be read to its end and holds at most `max` bytes.
pub fn read_part(bytes: &[u8], entry: &str, max: u64) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entry = zip.by_name(entry).ok()?;
    if entry.size() > max {
        return None;
    }
    let mut part = Vec::with_capacity(entry.size() as usize);
    entry.read_to_end(&mut part).ok()?;
    Some(part)
}

/// Adds the regions of the `mergeCell` tags whole in `buf` to `regions`; returns how far
/// the tags were taken.
fn scan_regions(
    finder: &memchr::memmem::Finder<'_>,
    buf: &[u8],
    regions: &mut Vec<Dimensions>,
) -> usize {
    let mut consumed = 0;
    let mut at = 0;
    while let Some(i) = finder.find(&buf[at..]) {
        let start = at + i;
        let Some(close) = memchr::memchr(b'>', &buf[start..]) else {
            break; // the tag continues in the next chunk
        };
        let tag = &buf[start..start + close];
        let opens = start > 0 && matches!(buf[start - 1], b'<' | b':');
        let is_cell = matches!(tag.get(9), Some(b' ' | b'\t' | b'\r' | b'\n' | b'/'));
        if opens && is_cell {
            if let Some(r) = memchr::memmem::find(tag, b"ref=\"") {
                let v = &tag[r + 5..];
                if let Some(q) = memchr::memchr(b'"', v) {
                    if let Some(d) = range_ref(&v[..q]) {
                        regions.push(d);
                    }
                }
            }
        }
        at = start + close;
        consumed = at;
    }
    consumed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs() {
        assert_eq!(cell_ref(b"A1"), Some((0, 0)));
        assert_eq!(cell_ref(b"T12"), Some((11, 19)));
        assert_eq!(cell_ref(b"AA3"), Some((2, 26)));
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref(b"A0"), None);
        assert_eq!(cell_ref(b"1A"), None);
        let d = range_ref(b"H3:L3").unwrap();
        assert_eq!((d.start, d.end), ((2, 7), (2, 11)));
    }
}
