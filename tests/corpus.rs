//! Every workbook of the hostile calamine corpus is fed to `mofan import` in a child
//! process with 2 GiB of address space: it imports or is refused with a message, never
//! panics, hangs or exhausts memory, and a refused file leaves the database unchanged.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use mofan::store::Store;

const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn every_corpus_workbook_imports_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    {
        let mut store = Store::open(&db).unwrap();
        mofan::campaign::create(&mut store, 2026, None, "测试员").unwrap();
    }
    let corpus = fixture("corpus/calamine");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 100, "corpus missing: {}", corpus.display());
    let mut refused = 0;
    for file in &files {
        let before = fingerprint(&Store::open(&db).unwrap());
        let started = Instant::now();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 2097152; exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_mofan"))
            .arg("--db")
            .arg(&db)
            .args(["import", "--campaign", "2026", "--json"])
            .arg(file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > LIMIT {
                child.kill().unwrap();
                panic!("{} took longer than {LIMIT:?}", file.display());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{}: exit {status:?}\n{stderr}",
            file.display()
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: bad JSON ({e}): {stderr}", file.display()));
        let report = &json[0];
        match report["status"].as_str().unwrap() {
            "imported" => assert_eq!(code, Some(0)),
            "rejected" => {
                refused += 1;
                assert_eq!(code, Some(1));
                let first = report["errors"][0]["message"].as_str().unwrap_or("");
                assert!(
                    !first.is_empty(),
                    "{}: refused without a message",
                    file.display()
                );
                assert!(
                    first
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: message not in Chinese: {first}",
                    file.display()
                );
                let after = fingerprint(&Store::open(&db).unwrap());
                assert_eq!(
                    before,
                    after,
                    "{}: refused but changed the database",
                    file.display()
                );
            }
            other => panic!("{}: status {other}", file.display()),
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
