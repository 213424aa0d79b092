//! Size limits and terminal safety (issue 9): a return with a 96 KB agency name is refused
//! at its cell with nothing stored, whichever program wrote it; control characters in a
//! file name or a value are printed escaped by the command line; stored arguments and
//! schemes beyond their limits are refused with a message at their place.

use std::path::Path;

use crate::common::*;
use mofan::import::FileStatus;
use mofan::scheme::{Scheme, DEFAULT_TOML};

const LONG_NAME_FIXTURES: [&str; 3] = [
    "hostile/long_name_openpyxl.xlsx",
    "hostile/long_name_xlwt.xls",
    "hostile/long_name_odfpy.ods",
];

/// What a refused 32,000-character name reads as in every message.
fn long_name_message() -> String {
    format!(
        "工作表“申报”第3行 B列（单位名称） 值“{}…（共 32000 字）”：单位名称过长（共 32000 字，最多 100 字）",
        "局".repeat(20)
    )
}

#[test]
fn a_long_name_is_refused_at_its_cell_and_nothing_is_stored() {
    for rel in LONG_NAME_FIXTURES {
        let (_dir, mut store) = store_2026();
        let before = fingerprint(&store);
        let report = import(&mut store, &fixture(rel), false);
        assert_eq!(report.status, FileStatus::Rejected, "{rel}");
        assert_eq!(report.errors.len(), 1, "{rel}: {:?}", report.errors);
        assert_eq!(report.errors[0].describe(), long_name_message(), "{rel}");
        assert_eq!(fingerprint(&store), before, "{rel}");

        // With --partial the valid row is stored and the long one is not.
        let report = import(&mut store, &fixture(rel), true);
        assert_eq!((report.imported, report.errors.len()), (1, 1), "{rel}");
        let names: Vec<String> = store
            .conn()
            .prepare("SELECT name FROM agencies")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(names, ["测试市民政局"], "{rel}");
    }
}

#[test]
fn control_characters_from_files_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let r = mofan(&db, &["campaign", "create", "--year", "2026"]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    // A file name carrying a colour escape, holding a unit type that carries another.
    let file = dir.path().join("红\u{1b}[31m色.xls");
    std::fs::copy(fixture("hostile/ansi_escape_value.xls"), &file).unwrap();
    let r = mofan(
        &db,
        &["import", "--campaign", "2026", file.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(1));
    let (out, err) = (text(&r.stdout), text(&r.stderr));
    assert!(
        !out.contains('\u{1b}') && !err.contains('\u{1b}'),
        "{err:?}"
    );
    assert!(err.contains("未导入《红\\u{1b}[31m色.xls》"), "{err}");
    assert!(
        err.contains(
            "  错误：《红\\u{1b}[31m色.xls》工作表“申报”第2行 E列（单位类型） 值“政府\\u{1b}[31m机关\\u{1b}[0m”：单位类型不在评选方案中"
        ),
        "{err}"
    );
    // JSON output keeps serde's own escaping.
    let r = mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            "--json",
            file.to_str().unwrap(),
        ],
    );
    let out = text(&r.stdout);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json[0]["file"], "红\u{1b}[31m色.xls");
}

#[test]
fn the_command_line_prints_a_long_name_shortly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    mofan(&db, &["campaign", "create", "--year", "2026"]);
    let file = fixture(LONG_NAME_FIXTURES[0]);
    let r = mofan(
        &db,
        &["import", "--campaign", "2026", file.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(1));
    let err = text(&r.stderr);
    assert!(
        err.contains(&format!(
            "  错误：《long_name_openpyxl.xlsx》{}",
            long_name_message()
        )),
        "{err}"
    );
    assert!(err.len() < 2_000, "{} bytes", err.len());
}

#[test]
fn stored_arguments_beyond_their_limits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    mofan(&db, &["campaign", "create", "--year", "2026"]);
    let audit_rows = |db: &Path| {
        let store = mofan::store::Store::open(db).unwrap();
        store
            .conn()
            .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let before = audit_rows(&db);
    let r = mofan(
        &db,
        &[
            "--operator",
            "张\u{1b}[2J三",
            "campaign",
            "create",
            "--year",
            "2027",
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        text(&r.stderr),
        "错误：参数 --operator：操作人含控制字符 \\u{1b}\n"
    );
    let reason = "理".repeat(501);
    let r = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "测试市民政局",
            "--include",
            "--reason",
            &reason,
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        text(&r.stderr),
        "错误：评审组调整的理由过长（共 501 字，最多 500 字）\n"
    );
    let doc = "号".repeat(101);
    let r = mofan(
        &db,
        &["publish", "--campaign", "2026", "--doc-number", &doc],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        text(&r.stderr),
        "错误：文号过长（共 101 字，最多 100 字）\n"
    );
    let r = mofan(
        &db,
        &[
            "campaign",
            "reopen",
            "--year",
            "2026",
            "--reason",
            "误\u{1b}[0m发",
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(text(&r.stderr), "错误：重新开放的理由含控制字符 \\u{1b}\n");
    assert_eq!(audit_rows(&db), before);
}

#[test]
fn a_scheme_with_100000_tie_break_keys_is_refused_at_its_key() {
    let keys = vec!["\"public\""; 100_000].join(", ");
    let text_toml = DEFAULT_TOML.replacen(
        "tie_break = [\"public\", \"organisation\"]",
        &format!("tie_break = [{keys}]"),
        1,
    );
    let line = text_toml
        .lines()
        .position(|l| l.starts_with("tie_break"))
        .unwrap()
        + 1;
    let e = Scheme::parse(&text_toml).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("评选方案有误：第{line}行 tie_break：共 100000 项，最多 7 项")
    );
    // The command line says the same and creates nothing.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let scheme = dir.path().join("s.toml");
    std::fs::write(&scheme, &text_toml).unwrap();
    let r = mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            scheme.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        text(&r.stderr),
        format!("错误：评选方案有误：第{line}行 tie_break：共 100000 项，最多 7 项\n")
    );
    // A scheme file over 1 MiB is refused before it is read whole.
    std::fs::write(
        &scheme,
        format!("{DEFAULT_TOML}\n#{}\n", "x".repeat(1 << 20)),
    )
    .unwrap();
    let r = mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            scheme.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(
        text(&r.stderr),
        format!(
            "错误：无法读取评选方案文件 {}：文件过大（超过 1048576 字节）\n",
            scheme.display()
        )
    );
}
