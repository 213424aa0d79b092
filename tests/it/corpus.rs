//! Every workbook of the hostile calamine corpus is fed to `mofan import` in a child
//! process with 2 GiB of address space: it imports or is refused with a message, never
//! panics, hangs or exhausts memory, and a refused file leaves the database unchanged.

use crate::common::*;
use mofan::store::Store;

#[test]
fn every_corpus_workbook_imports_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_2026(dir.path().join("corpus.db"));
    let corpus = fixture("corpus/calamine");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 100, "corpus missing: {}", corpus.display());
    let mut refused = 0;
    for file in &files {
        if matches!(import_in_child(&db, file), Outcome::Refused(_)) {
            refused += 1;
        }
    }
    assert!(refused > 0);
    let store = Store::open(&db).unwrap();
    let ok: String = store
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}
