//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mofan::campaign;
use mofan::import::{self, FileReport, ImportOptions};
use mofan::store::Store;
use rust_xlsxwriter::Workbook;

/// A fixture file under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A file database in a temp dir with the 2026 campaign (default scheme).
pub fn store_2026() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
    campaign::create(&mut store, 2026, None, "测试员").unwrap();
    (dir, store)
}

/// Import options.
pub fn opts(partial: bool) -> ImportOptions {
    ImportOptions {
        partial,
        operator: "测试员".into(),
    }
}

/// Imports one file into 2026.
pub fn import(store: &mut Store, path: &Path, partial: bool) -> FileReport {
    import::import_file(store, 2026, path, &opts(partial)).unwrap()
}

/// Everything a refused import must leave untouched, as one string.
pub fn fingerprint(store: &Store) -> String {
    let c = store.conn();
    let mut out = String::new();
    for (table, key) in [
        ("campaigns", "year"),
        ("agencies", "id"),
        ("imported_files", "id"),
        ("returns", "id"),
        ("audit_log", "seq"),
    ] {
        let (n, max): (i64, Option<i64>) = c
            .query_row(
                &format!("SELECT COUNT(*), MAX({key}) FROM {table}"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        out.push_str(&format!("{table}:{n}:{max:?};"));
    }
    let states: String = c
        .query_row(
            "SELECT COALESCE(GROUP_CONCAT(id || state, ','), '') FROM returns",
            [],
            |r| r.get(0),
        )
        .unwrap();
    out + &states
}

/// A cell to write in a generated workbook.
#[derive(Clone, Debug)]
pub enum V {
    /// Text.
    S(&'static str),
    /// Owned text.
    T(String),
    /// Number.
    N(f64),
    /// Blank.
    E,
}

/// The standard header of generated returns.
pub const HEADER: [&str; 14] = [
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
    "日常考核",
    "自评",
    "互评",
    "组织考评",
    "群众测评",
    "第三方评价",
    "严重违纪违法",
    "问题清单数",
    "已整改数",
];

/// A valid city return with the given name and scores.
pub fn city_row(name: &str, score: f64) -> Vec<V> {
    vec![
        V::T(name.to_string()),
        V::E,
        V::S("市级"),
        V::S("测试市"),
        V::S("政府机关"),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::S("否"),
        V::N(2.0),
        V::N(2.0),
    ]
}

/// Writes a one-sheet workbook with rust_xlsxwriter: the header then the rows.
pub fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<V>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v {
                V::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                V::T(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

/// How long one import in a child process may take.
pub const CHILD_LIMIT: Duration = Duration::from_secs(10);

/// What `mofan import` made of a hostile file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Imported (exit 0).
    Imported,
    /// Refused with a Chinese message (the first one given), the database unchanged
    /// (exit 1).
    Refused(String),
}

/// Imports `file` into the 2026 campaign of `db` with `mofan import --json` in a child
/// process limited to 2 GiB of address space and [`CHILD_LIMIT`], and checks that it
/// imports or is refused with a Chinese message and changes nothing — never a panic, a
/// hang or memory exhaustion.
pub fn import_in_child(db: &Path, file: &Path) -> Outcome {
    let before = fingerprint(&Store::open(db).unwrap());
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_mofan"))
        .arg("--db")
        .arg(db)
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
        if started.elapsed() > CHILD_LIMIT {
            child.kill().unwrap();
            panic!("{} took longer than {CHILD_LIMIT:?}", file.display());
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
        "imported" => {
            assert_eq!(code, Some(0));
            Outcome::Imported
        }
        "rejected" => {
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
            let after = fingerprint(&Store::open(db).unwrap());
            assert_eq!(
                before,
                after,
                "{}: refused but changed the database",
                file.display()
            );
            Outcome::Refused(first.to_string())
        }
        other => panic!("{}: status {other}", file.display()),
    }
}
