//! An applied review in the result workbook (issue 11 §3): once the year's review was
//! applied, every export — `mofan select --out`, `mofan review --out`, the window's — shows
//! the review as recorded (复查名单, 整改名单, 撤销名单), not an empty or re-run one; a
//! second `--apply` is refused.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::common::{fixture, mofan, ok, sample_returns, text};

/// The cells of a sheet as text (numbers as integers when whole).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    let wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.sheet_names()
}

/// The names in a review list (the rows below its header, first column).
fn names_in(rows: &[Vec<String>]) -> Vec<String> {
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("单位名称"))
        .expect("a header row");
    rows[header + 1..]
        .iter()
        .map(|r| r[0].clone())
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn exports_after_applying_carry_the_applied_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let run = |args: &[&str]| mofan(&db, args);
    ok(run(&["campaign", "create", "--year", "2026"]));
    for f in sample_returns() {
        ok(run(&["import", "--campaign", "2026", f.to_str().unwrap()]));
    }
    let registry = fixture("samples/awards.xlsx");
    ok(run(&["awards", "import", registry.to_str().unwrap()]));
    let out = |name: &str| dir.path().join(name);

    // Before applying, `select --out` has no review sheets.
    let before = out("评选前.xlsx");
    ok(run(&[
        "select",
        "--campaign",
        "2026",
        "--out",
        before.to_str().unwrap(),
    ]));
    assert!(!sheet_names(&before).iter().any(|s| s == "复查名单"));

    // Apply the review of 1 December; its lists as printed.
    let applied = ok(run(&[
        "review",
        "--campaign",
        "2026",
        "--date",
        "2026-12-01",
        "--apply",
        "--json",
    ]));
    let j: serde_json::Value = serde_json::from_slice(&applied.stdout).unwrap();
    let of = |outcome: &str| -> Vec<String> {
        j["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| outcome.is_empty() || r["outcome"] == outcome)
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (all, rectify, revoke) = (of(""), of("rectify"), of("revoke"));
    assert!(!rectify.is_empty() && !revoke.is_empty(), "{j}");

    // `select --out` after applying: the three lists as applied.
    let after = out("评选后.xlsx");
    ok(run(&[
        "select",
        "--campaign",
        "2026",
        "--out",
        after.to_str().unwrap(),
    ]));
    let names = sheet_names(&after);
    assert_eq!(
        &names[names.len() - 3..],
        &["复查名单", "整改名单", "撤销名单"]
    );
    let listed = sheet(&after, "复查名单");
    assert!(
        listed[0][0].starts_with("2026年12月01日复查，")
            && listed[0][0].contains("已应用到命名记录（操作人："),
        "{:?}",
        listed[0]
    );
    assert_eq!(names_in(&listed), all);
    assert_eq!(names_in(&sheet(&after, "整改名单")), rectify);
    assert_eq!(names_in(&sheet(&after, "撤销名单")), revoke);
    // The 整改名单 carries each deadline: six months after the review date.
    let rect = sheet(&after, "整改名单");
    let header = rect.iter().position(|r| r[0] == "单位名称").unwrap();
    let col = rect[header].iter().position(|h| h == "整改期限").unwrap();
    assert!(rect[header + 1..].iter().all(|r| r[col] == "2027-06-01"));

    // A what-if on another date prints that review, says the year's was applied, and the
    // workbook keeps the applied lists.
    let what_if = out("预览.xlsx");
    let o = ok(run(&[
        "review",
        "--campaign",
        "2026",
        "--date",
        "2026-12-20",
        "--out",
        what_if.to_str().unwrap(),
    ]));
    let said = text(&o.stderr);
    assert!(
        said.contains("复查日期2026-12-01") && said.contains("不会应用"),
        "{said}"
    );
    assert_eq!(names_in(&sheet(&what_if, "整改名单")), rectify);
    assert_eq!(names_in(&sheet(&what_if, "撤销名单")), revoke);

    // Applying again, on any date, is refused and changes nothing.
    for date in ["2026-12-01", "2026-12-20"] {
        let o = run(&["review", "--campaign", "2026", "--date", date, "--apply"]);
        assert_eq!(o.status.code(), Some(1));
        let said = text(&o.stderr);
        assert!(said.contains("不能再次应用"), "{said}");
    }
    let again = out("再导出.xlsx");
    ok(run(&[
        "select",
        "--campaign",
        "2026",
        "--out",
        again.to_str().unwrap(),
    ]));
    assert_eq!(sheet(&again, "复查名单"), listed);
}
