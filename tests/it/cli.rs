//! The command-line contract (docs/specification.md §7): exit codes, JSON, the error workbook,
//! audit verification, and a SIGKILL in the middle of an import.

use std::path::Path;
use std::time::Instant;

use crate::common::*;
use mofan::store::Store;

#[test]
fn usage_errors_exit_2_and_bad_input_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    assert_eq!(mofan(&db, &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        mofan(&db, &["import", "--campaign", "2026"]).status.code(),
        Some(2)
    );
    assert_eq!(mofan(&db, &["campaign", "create"]).status.code(), Some(2));
    let ok = mofan(&db, &["campaign", "create", "--year", "2026"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let again = mofan(&db, &["campaign", "create", "--year", "2026"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("2026年度评选已存在"));
    let bad_scheme = dir.path().join("s.toml");
    std::fs::write(&bad_scheme, "award_title = 1\n").unwrap();
    let r = mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2027",
            "--scheme",
            bad_scheme.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stderr).contains("评选方案有误"),
        "{}",
        text(&r.stderr)
    );
    let example = fixture("scheme.example.toml");
    let r = mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            example.to_str().unwrap(),
        ],
    );
    assert!(text(&r.stderr).contains("已存在"));
    let dir2 = tempfile::tempdir().unwrap();
    let r = mofan(
        &dir2.path().join("x.db"),
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            example.to_str().unwrap(),
        ],
    );
    assert_eq!(
        r.status.code(),
        Some(0),
        "the spec's example scheme: {}",
        text(&r.stderr)
    );
}

#[test]
fn import_json_follows_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    mofan(&db, &["campaign", "create", "--year", "2026"]);
    let good = fixture("samples/02_广州市番禺区.xls");
    let bad = fixture("returns/openpyxl_bad_rows.xlsx");
    let report = dir.path().join("errors.xlsx");
    let out = mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            "--json",
            "--errors",
            report.to_str().unwrap(),
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "one file was rejected");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json.as_array().unwrap();
    assert_eq!(files.len(), 2);
    let keys: Vec<&str> = files[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = vec![
        "errors",
        "file",
        "header_row",
        "imported",
        "rows",
        "sha256",
        "sheet",
        "status",
        "warnings",
    ];
    want.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, want);
    assert_eq!(files[0]["status"], "imported");
    assert_eq!(files[0]["imported"], 15);
    assert_eq!(files[0]["header_row"], 2);
    assert_eq!(files[1]["status"], "rejected");
    let e = &files[1]["errors"][0];
    let ekeys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(ekeys.len(), 6, "{e}");
    for k in ["sheet", "row", "column", "header", "value", "message"] {
        assert!(e.get(k).is_some(), "missing {k}");
    }
    assert!(report.exists(), "error workbook not written");

    // Same file again: duplicate, exit 0; partial: exit 0 with the valid rows.
    let again = mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            "--json",
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(j[0]["status"], "duplicate");
    let partial = mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            "--partial",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(partial.status.code(), Some(0), "{}", text(&partial.stderr));
    assert!(text(&partial.stdout).contains("已部分导入"));

    let list = mofan(&db, &["import", "list", "--campaign", "2026", "--json"]);
    let l: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(l.as_array().unwrap().len(), 2);
    let w = mofan(&db, &["import", "withdraw", "--campaign", "2026", "1"]);
    assert_eq!(w.status.code(), Some(0), "{}", text(&w.stderr));
    assert!(text(&w.stdout).contains("移除申报 15 条"));
    let w = mofan(&db, &["import", "withdraw", "--campaign", "2026", "1"]);
    assert_eq!(w.status.code(), Some(1));
}

#[test]
fn audit_verify_names_the_first_edited_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    mofan(&db, &["campaign", "create", "--year", "2026"]);
    mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            fixture("samples/00_广州市.xlsx").to_str().unwrap(),
        ],
    );
    mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            fixture("samples/03_广州市越秀区.xlsx").to_str().unwrap(),
        ],
    );
    let ok = mofan(&db, &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(text(&ok.stdout).contains("共 3 条记录"));
    {
        let store = Store::open(&db).unwrap();
        store
            .conn()
            .execute(
                "UPDATE audit_log SET details = replace(details, '\"imported\":27', '\"imported\":26') WHERE seq = 2",
                [],
            )
            .unwrap();
    }
    let bad = mofan(&db, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("第 2 条"),
        "{}",
        text(&bad.stderr)
    );
}

fn counts(db: &Path) -> (i64, i64, String) {
    let store = Store::open(db).unwrap();
    let c = store.conn();
    let returns: i64 = c
        .query_row("SELECT COUNT(*) FROM returns", [], |r| r.get(0))
        .unwrap();
    let files: i64 = c
        .query_row("SELECT COUNT(*) FROM imported_files", [], |r| r.get(0))
        .unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (returns, files, ok)
}

#[test]
fn sigkill_mid_import_leaves_the_file_wholly_in_or_out() {
    const ROWS: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.xlsx");
    let rows: Vec<Vec<V>> = (0..ROWS)
        .map(|i| city_row(&format!("单位{i:06}"), 80.0 + (i % 20) as f64))
        .collect();
    write_xlsx(&big, &HEADER, &rows);

    let run = |db: &Path| {
        mofan_command()
            .arg("--db")
            .arg(db)
            .args(["import", "--campaign", "2026"])
            .arg(&big)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let fresh = |name: &str| db_2026(dir.path().join(name));
    // One full run to learn how long an import takes.
    let db = fresh("full.db");
    let t = Instant::now();
    assert!(run(&db).wait().unwrap().success());
    let full = t.elapsed();
    assert_eq!(counts(&db), (ROWS as i64, 1, "ok".into()));

    let mut killed_mid_way = 0;
    for (i, frac) in [0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98]
        .iter()
        .enumerate()
    {
        let db = fresh(&format!("kill{i}.db"));
        let mut child = run(&db);
        std::thread::sleep(full.mul_f64(*frac));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        let (returns, files, ok) = counts(&db);
        assert_eq!(ok, "ok");
        assert!(
            (returns, files) == (0, 0) || (returns, files) == (ROWS as i64, 1),
            "after a kill at {frac}: {returns} returns, {files} files"
        );
        if !finished && returns == 0 {
            killed_mid_way += 1;
        }
    }
    assert!(
        killed_mid_way > 0,
        "no kill landed before the import finished"
    );
}

#[test]
fn demo_backup_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = mofan(&db, &["demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("申报 48 条"));
    let again = mofan(&db, &["demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("示例年度已经载入"));
    let backup = dir.path().join("备份.db");
    assert_eq!(
        mofan(&db, &["backup", "--out", backup.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    mofan(&db, &["campaign", "create", "--year", "2030"]);
    let o = mofan(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let list = text(&mofan(&db, &["campaign", "list"]).stdout);
    assert!(
        list.contains("【示例】模范机关评选") && !list.contains("2030"),
        "{list}"
    );
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "x").unwrap();
    assert_eq!(
        mofan(&db, &["restore", junk.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(mofan(&db, &["audit", "verify"]).status.code(), Some(0));
}

#[test]
fn deletes_a_draft_campaign_and_the_demo_but_not_a_selected_year() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    for args in [
        &["demo"][..],
        &["campaign", "create", "--year", "2026"],
        &["campaign", "create", "--year", "2027"],
        &["select", "--campaign", "2027"],
    ] {
        let o = mofan(&db, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
    }
    let o = mofan(&db, &["campaign", "delete", "--year", "2026"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("已删除2026年度模范机关评选：申报 0 条"),
        "{}",
        text(&o.stdout)
    );
    let refused = mofan(&db, &["campaign", "delete", "--year", "2027"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("2027年度评选已评选，不能删除"),
        "{}",
        text(&refused.stderr)
    );
    let o = mofan(&db, &["demo", "--remove"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("虚构的命名记录 4 条"),
        "{}",
        text(&o.stdout)
    );
    let list = text(&mofan(&db, &["campaign", "list"]).stdout);
    assert!(
        list.starts_with("2027") && list.lines().count() == 1,
        "{list}"
    );
    assert_eq!(mofan(&db, &["audit", "verify"]).status.code(), Some(0));
}
