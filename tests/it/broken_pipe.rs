//! A reader that leaves early (`mofan … | head -1`) never makes the command panic (exit
//! 101): the command finishes its work and exits 0 or 1 as it would have. Each case
//! prints far more than a pipe holds (64 KiB), so writes after the reader left are
//! certain to meet the closed pipe.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common;
use crate::common::{city_row, mofan_command, write_xlsx, HEADER, V};

/// `mofan [--db DB] ARGS…`, not yet started.
fn mofan_cmd(db: Option<&Path>, args: &[&str]) -> Command {
    let mut c = mofan_command();
    if let Some(db) = db {
        c.arg("--db").arg(db);
    }
    c.args(args);
    c
}

/// Runs `mofan [--db DB] ARGS…` and asserts it exited 0.
fn ok(db: Option<&Path>, args: &[&str]) {
    common::ok(mofan_cmd(db, args).output().unwrap());
}

/// What happened to a command whose reader took the first line of standard output and
/// left: (exit code, standard error, that first line).
fn head_1(db: Option<&Path>, args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = mofan_cmd(db, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed.
    let o = child.wait_with_output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        first,
    )
}

/// `n` valid city returns, named 甲单位1 …
fn returns(n: usize) -> Vec<Vec<V>> {
    (0..n)
        .map(|i| city_row(&format!("甲单位{i}"), 80.0 + (i % 20) as f64))
        .collect()
}

/// A registry of `n` earlier awards.
fn write_registry(path: &Path, n: usize) {
    let header = [
        "单位名称",
        "层级",
        "所属地区",
        "单位类型",
        "命名年度",
        "状态",
    ];
    let rows: Vec<Vec<V>> = (0..n)
        .map(|i| {
            vec![
                V::T(format!("乙单位{i}")),
                V::S("市级"),
                V::S("测试市"),
                V::S("政府机关"),
                V::N(2020.0),
                V::S("正常"),
            ]
        })
        .collect();
    write_xlsx(path, &header, &rows);
}

#[test]
fn a_reader_leaving_early_never_makes_a_command_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let valid = dir.path().join("申报.xlsx");
    write_xlsx(&valid, &HEADER, &returns(1500));
    let registry = dir.path().join("命名名单.xlsx");
    write_registry(&registry, 2000);
    let scheme = common::fixture("scheme.example.toml");
    let book = dir.path().join("评选结果.xlsx");

    // `mofan run … --json /dev/stdout | head -1`: the JSON goes to the closed pipe, the
    // workbook is still written.
    let (code, err, first) = head_1(
        None,
        &[
            "run",
            "--scheme",
            scheme.to_str().unwrap(),
            "--returns",
            valid.to_str().unwrap(),
            "--out",
            book.to_str().unwrap(),
            "--json",
            "/dev/stdout",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        first.starts_with("已导入《申报.xlsx》：1500 条申报"),
        "{first}"
    );
    assert!(book.exists());

    ok(Some(&db), &["campaign", "create", "--year", "2026"]);
    ok(
        Some(&db),
        &["import", "--campaign", "2026", valid.to_str().unwrap()],
    );
    ok(Some(&db), &["awards", "import", registry.to_str().unwrap()]);

    for args in [
        &["select", "--campaign", "2026", "--json"][..],
        &["select", "--campaign", "2026"],
        &["awards", "list"],
        &["awards", "list", "--json"],
        &[
            "review",
            "--campaign",
            "2026",
            "--date",
            "2026-12-01",
            "--json",
        ],
    ] {
        let (code, err, first) = head_1(Some(&db), args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!first.is_empty(), "{args:?}");
    }
}

#[test]
fn closed_pipes_do_not_stop_an_import_or_change_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    ok(Some(&db), &["campaign", "create", "--year", "2026"]);
    // 1500 good rows and 1500 with a score above 100: over 64 KiB of errors on stderr.
    let mut rows = returns(1500);
    rows.extend((0..1500).map(|i| city_row(&format!("丙单位{i}"), 150.0)));
    let mixed = dir.path().join("有错误.xlsx");
    write_xlsx(&mixed, &HEADER, &rows);
    let second = dir.path().join("第二个.xlsx");
    write_xlsx(&second, &HEADER, &[city_row("丁单位", 90.0)]);

    let run = |args: &[&str]| {
        let mut child = mofan_cmd(Some(&db), args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        drop(child.stderr.take());
        child.wait().unwrap().code()
    };
    // Refused (errors, no --partial), with both pipes closed: still exit 1, not 101.
    assert_eq!(
        run(&[
            "import",
            "--campaign",
            "2026",
            mixed.to_str().unwrap(),
            second.to_str().unwrap()
        ]),
        Some(1)
    );
    // With --partial: exit 0, and both files were stored although nobody read a word.
    assert_eq!(
        run(&[
            "import",
            "--campaign",
            "2026",
            "--partial",
            mixed.to_str().unwrap(),
            second.to_str().unwrap()
        ]),
        Some(0)
    );
    let store = mofan::store::Store::open(&db).unwrap();
    let files = mofan::store::files::list(store.conn(), 2026).unwrap();
    let imported: Vec<(String, i64)> = files
        .iter()
        .map(|f| (f.file_name.clone(), f.rows_imported))
        .collect();
    assert_eq!(
        imported,
        [
            ("第二个.xlsx".to_string(), 1),
            ("有错误.xlsx".to_string(), 1500)
        ]
    );
}
