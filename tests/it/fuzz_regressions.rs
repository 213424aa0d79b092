//! Inputs the fuzz targets (`fuzz/`) found crashing, kept under `tests/fixtures/fuzz/`
//! and named after what broke. Each is imported by `mofan import` in a child process
//! under a memory and time limit (as `tests/it/corpus.rs` does) and must import or be
//! refused with its message; then it is analysed in this process, through the public
//! entry the fuzz targets use, as returns and as a registry, which must not panic.

use crate::common::*;

/// Every kept input, with what importing it must give. A new fixture must be listed.
const EXPECTED: &[(&str, Option<&str>)] = &[
    // calamine 0.38 follows a chain of sectors in an OLE container until it ends; a
    // directory chain that loops back on itself grew without bound (out of memory).
    (
        "calamine-cfb-directory-chain-loop-oom.xls",
        Some("工作簿已损坏或格式不受支持，无法读取（文件结构损坏：Malformed FAT (sector 0 pointed to twice)）"),
    ),
    // calamine 0.38 asserts that a sector holds a whole number of 4-byte entries
    // (`to_u32` in utils.rs); a truncated OLE container named .xlsx (the form an
    // encrypted .xlsx has) panicked inside `Xls::new`.
    (
        "calamine-cfb-sector-not-multiple-of-4.xlsx",
        Some("工作簿已损坏或格式不受支持，无法读取（文件结构损坏：failed to fill whole buffer）"),
    ),
    // calamine 0.38 slices a sector that starts beyond the end of the file
    // (`Sectors::get` in cfb.rs: "slice index starts at 13312 but ends at 13050").
    (
        "calamine-cfb-sector-start-beyond-eof.xlsx",
        Some("工作簿已损坏或格式不受支持，无法读取（文件结构损坏：Malformed FAT (FAT has 384 entries, but file has only 26 sectors)）"),
    ),
];

#[test]
fn every_crashing_input_found_by_fuzzing_is_imported_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_2026(dir.path().join("fuzz.db"));
    let mut names: Vec<String> = std::fs::read_dir(fixture("fuzz"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(names, listed, "every fixture listed with its outcome");

    let scheme = mofan::scheme::Scheme::default_scheme();
    let returns = mofan::import::Returns::new(scheme, 2026, &[]);
    let registry = mofan::import::Registry::new(mofan::import::registry::UnitTypes::default_only());
    for (name, expected) in EXPECTED {
        let file = fixture(&format!("fuzz/{name}"));
        let got = import_in_child(&db, &file);
        let want = match expected {
            None => Outcome::Imported,
            Some(m) => Outcome::Refused(m.to_string()),
        };
        assert_eq!(got, want, "{name}");

        let bytes = std::fs::read(&file).unwrap();
        let a = mofan::import::analyze(&returns, bytes.clone(), name);
        assert_eq!(
            a.errors.first().map(|e| e.message.as_str()),
            *expected,
            "{name}"
        );
        let r = mofan::import::analyze(&registry, bytes, name);
        assert_eq!(
            r.errors.first().map(|e| e.message.as_str()),
            *expected,
            "{name} as a registry"
        );
    }
}
