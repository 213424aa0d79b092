//! `mofan run`: the whole pipeline on the sample returns is repeatable and independent of
//! the order of its inputs; awards decide eligibility; a bad file stops it cleanly.

use crate::common::*;
use std::path::{Path, PathBuf};

fn run_json(
    dir: &Path,
    name: &str,
    returns: &[PathBuf],
    awards: Option<&Path>,
) -> serde_json::Value {
    let out = dir.join(name);
    let scheme = fixture("scheme.example.toml");
    let mut args: Vec<String> = vec![
        "run".into(),
        "--scheme".into(),
        scheme.display().to_string(),
        "--returns".into(),
    ];
    args.extend(returns.iter().map(|p| p.display().to_string()));
    if let Some(a) = awards {
        args.push("--awards".into());
        args.push(a.display().to_string());
    }
    args.push("--out".into());
    args.push(dir.join(format!("{name}.xlsx")).display().to_string());
    args.push("--json".into());
    args.push(out.display().to_string());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(mofan_without_db(&argv));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn the_same_json_twice_and_in_reverse_order() {
    let dir = tempfile::tempdir().unwrap();
    let folder = fixture("samples");
    let a = run_json(dir.path(), "a.json", std::slice::from_ref(&folder), None);
    let b = run_json(dir.path(), "b.json", &[folder], None);
    assert_eq!(a, b);
    let mut files = sample_returns();
    let c = run_json(dir.path(), "c.json", &files, None);
    files.reverse();
    let d = run_json(dir.path(), "d.json", &files, None);
    assert_eq!(c, d);
    assert_eq!(
        a, c,
        "the folder's awards.xlsx is skipped, not imported as returns"
    );
    assert_eq!(a["campaign"], 2026);
    assert_eq!(a["results"].as_array().unwrap().len(), 72);
    assert_eq!(a["reviews"], serde_json::json!([]));
    let pools: Vec<&str> = a["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pool"].as_str().unwrap())
        .collect();
    assert_eq!(
        pools,
        vec![
            "city/广州市",
            "county/广州市海珠区",
            "county/广州市番禺区",
            "county/广州市越秀区"
        ]
    );
}

#[test]
fn awards_decide_eligibility_and_the_quota_base() {
    let dir = tempfile::tempdir().unwrap();
    let with = run_json(
        dir.path(),
        "w.json",
        &sample_returns(),
        Some(&fixture("samples/awards.xlsx")),
    );
    let results = with["results"].as_array().unwrap();
    let by = |name: &str| results.iter().find(|r| r["name"] == name).unwrap().clone();
    // 中共广州市委政法委员会 holds a 2023 award.
    let r = by("中共广州市委政法委员会");
    assert_eq!(r["status"], "ineligible");
    assert!(r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "已于2023年命名，纳入复查"));
    // 广州市海珠区自然资源局 was revoked in 2024: within the 3-year cooldown (and vetoed).
    let r = by("广州市海珠区自然资源局");
    assert!(r["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "2024年被撤销称号，3年内不得参评"));
    // The city pool's base loses the one award holder: 26 × 15% = 3.9 → 3.
    let city = &with["pools"][0];
    assert_eq!(
        (city["declared"].as_u64(), city["quota"].as_u64()),
        (Some(27), Some(3))
    );
}

#[test]
fn a_bad_file_stops_the_run_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let scheme = fixture("scheme.example.toml");
    let o = mofan_without_db(&[
        "run",
        "--scheme",
        scheme.to_str().unwrap(),
        "--returns",
        fixture("samples/00_广州市.xlsx").to_str().unwrap(),
        fixture("returns/openpyxl_bad_rows.xlsx").to_str().unwrap(),
        "--out",
        dir.path().join("out.xlsx").to_str().unwrap(),
        "--json",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("openpyxl_bad_rows.xlsx"), "{err}");
    assert!(err.contains("未进行评选"), "{err}");
    assert!(!out.exists());
    assert!(!dir.path().join("out.xlsx").exists());
}
