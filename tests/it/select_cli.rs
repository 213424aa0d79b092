//! `mofan select` and `mofan override` through the binary: JSON, panel decisions with
//! their confirmation, the audit trail, and the what-if comparison.

use std::path::Path;
use std::process::Output;

use crate::common::*;
use serde_json::Value;

/// The panel (评审组) runs every command here: its name is written into the reasons.
fn mofan(db: &Path, args: &[&str]) -> Output {
    mofan_as("评审组", db, args)
}

fn status_of(sel: &Value, name: &str) -> (String, Vec<String>) {
    let r = sel["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap();
    (
        r["status"].as_str().unwrap().to_string(),
        r["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect(),
    )
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    mofan(&db, &["campaign", "create", "--year", "2026"]);
    let o = mofan(
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            fixture("samples/03_广州市越秀区.xlsx").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    (dir, db)
}

#[test]
fn overrides_are_reasoned_confirmed_and_audited() {
    let (_d, db) = setup();
    let sel = stdout_json(&mofan(&db, &["select", "--campaign", "2026", "--json"]));
    assert_eq!(sel["pools"][0]["quota"], 2);
    assert_eq!(status_of(&sel, "广州市越秀区政协办公室").0, "selected");
    let third = sel["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rank"] == 3)
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(status_of(&sel, &third).0, "not_selected");

    // A reason is required.
    let o = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "114401033231870848",
            "--exclude",
            "--reason",
            "  ",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("评审组调整必须填写理由"));

    // Excluding a selected agency moves the third up.
    let o = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "114401033231870848",
            "--exclude",
            "--reason",
            "存在信访问题待核实",
            "--json",
        ],
    );
    let sel = stdout_json(&o);
    let (st, reasons) = status_of(&sel, "广州市越秀区政协办公室");
    assert_eq!(st, "not_selected");
    assert!(
        reasons[0].starts_with("评审组调整：不予入选（理由：存在信访问题待核实；评审组"),
        "{reasons:?}"
    );
    assert_eq!(status_of(&sel, &third).0, "selected");

    // Including a fourth agency when the pool is full needs a confirmation.
    let fourth = sel["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "not_selected" && r["name"] != "广州市越秀区政协办公室")
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let o = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            &fourth,
            "--include",
            "--reason",
            "工作成效突出",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("超过名额2个"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let sel = stdout_json(&mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            &fourth,
            "--include",
            "--reason",
            "工作成效突出",
            "--confirm",
            "--json",
        ],
    ));
    let (st, reasons) = status_of(&sel, &fourth);
    assert_eq!(st, "selected");
    assert!(reasons.last().unwrap().contains("超出名额（已确认）"));
    assert_eq!(sel["pools"][0]["selected"], 3);

    // Clearing withdraws the decision.
    let sel = stdout_json(&mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "114401033231870848",
            "--clear",
            "--reason",
            "已核实无问题",
            "--json",
        ],
    ));
    assert_eq!(status_of(&sel, "广州市越秀区政协办公室").0, "selected");

    // Unknown agency; every decision is in the audit log.
    let o = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "不存在的单位",
            "--exclude",
            "--reason",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let verify = mofan(&db, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0));
    let store = mofan::store::Store::open(&db).unwrap();
    let n: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'select.override'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 3);
}

#[test]
fn compare_lists_every_change_under_another_scheme() {
    let (dir, db) = setup();
    let other = dir.path().join("other.toml");
    let text = std::fs::read_to_string(fixture("scheme.example.toml"))
        .unwrap()
        .replace("count = 2", "count = 4");
    std::fs::write(&other, text).unwrap();
    let o = mofan(
        &db,
        &[
            "select",
            "--campaign",
            "2026",
            "--compare",
            other.to_str().unwrap(),
            "--json",
        ],
    );
    let changes = stdout_json(&o);
    let changes = changes.as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    for c in changes {
        assert_eq!(
            (c["before"].as_str(), c["after"].as_str()),
            (Some("not_selected"), Some("selected"))
        );
        assert_eq!(c["composite_before"], c["composite_after"]);
    }
    let text = mofan(
        &db,
        &[
            "select",
            "--campaign",
            "2026",
            "--compare",
            other.to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("以下 2 家单位的状态将改变"));
}
