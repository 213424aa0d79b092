//! Golden files of the workbooks mofan writes: the XML parts of an .xlsx, one tag per line,
//! compared with the files under `tests/fixtures/golden/<name>/` (one file per part, `/`
//! written `__`). After a deliberate change, regenerate them with `MOFAN_BLESS=1` on the test
//! that failed and review the diff before committing.

use std::collections::BTreeMap;
use std::io::Read;

use crate::common::fixture;

/// Every part of an .xlsx by its name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.insert(f.name().unwrap().to_string(), buf);
    }
    out
}

/// One tag per line: tags never touch inside text (a '<' in text is escaped).
pub fn normalise(xml: &[u8]) -> String {
    String::from_utf8(xml.to_vec())
        .unwrap()
        .replace("\r\n", "\n")
        .replace("><", ">\n<")
        + "\n"
}

/// The parts compared: every worksheet, chart and drawing, the shared strings, the workbook
/// (sheet order, print titles, filters), the styles (fills, formats) and the document
/// properties (fixed by the generated time). Themes, content types and relationships are
/// rust_xlsxwriter's own.
pub fn compared(parts: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    parts
        .keys()
        .filter(|k| {
            (k.starts_with("xl/worksheets/sheet") && k.ends_with(".xml"))
                || k.starts_with("xl/charts/chart")
                || k.starts_with("xl/drawings/drawing")
                || [
                    "xl/sharedStrings.xml",
                    "xl/workbook.xml",
                    "xl/styles.xml",
                    "docProps/core.xml",
                    "docProps/app.xml",
                ]
                .contains(&k.as_str())
        })
        .cloned()
        .collect()
}

/// Compares the workbook `bytes` with `tests/fixtures/golden/<name>/` (or, with
/// `MOFAN_BLESS=1`, rewrites that folder), naming the first differing line of each part.
/// Returns the parts compared.
pub fn check_workbook(name: &str, bytes: &[u8]) -> Vec<String> {
    let parts = unzip(bytes);
    let names = compared(&parts);
    assert!(
        names.iter().any(|n| n == "xl/worksheets/sheet1.xml"),
        "{name}: no worksheet in {names:?}"
    );
    let dir = fixture(&format!("golden/{name}"));
    let file = |n: &str| dir.join(n.replace('/', "__"));
    if std::env::var_os("MOFAN_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        for old in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(old.unwrap().path()).unwrap();
        }
        for n in &names {
            std::fs::write(file(n), normalise(&parts[n])).unwrap();
        }
        eprintln!("blessed {} parts in {}", names.len(), dir.display());
        return names;
    }
    let mut stored: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; run with MOFAN_BLESS=1", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    stored.sort();
    let mut expected: Vec<String> = names.iter().map(|n| n.replace('/', "__")).collect();
    expected.sort();
    assert_eq!(stored, expected, "{name}: the set of parts changed");
    let mut failures = Vec::new();
    for n in &names {
        let want = std::fs::read_to_string(file(n)).unwrap();
        let got = normalise(&parts[n]);
        if let Some(line) = want.lines().zip(got.lines()).position(|(a, b)| a != b) {
            failures.push(format!(
                "{n}, line {}:\n  want: {}\n  got:  {}",
                line + 1,
                want.lines().nth(line).unwrap_or_default(),
                got.lines().nth(line).unwrap_or_default()
            ));
        } else if want != got {
            failures.push(format!("{n}: lengths differ"));
        }
    }
    assert!(
        failures.is_empty(),
        "{name} differs from its golden files (MOFAN_BLESS=1 to accept a deliberate change):\n{}",
        failures.join("\n")
    );
    names
}
