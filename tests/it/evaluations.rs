//! Computed components end to end (docs/specification.md §8 "In the selection"): a
//! campaign whose scheme computes 组织考评 from panel sheets and 群众测评 from ballots
//! (`tests/fixtures/scheme.computed.toml`), the sample returns, the sample panel sheet and
//! ballots, through `mofan` as a child process; then the stored run going stale when a
//! ballot file is withdrawn.

use mofan::import;
use mofan::select;
use mofan::store::Store;
use mofan::vocab::RunInput;
use serde_json::Value;

use crate::common::{fixture, mofan, ok, sample_returns, stdout_json, OPERATOR};

/// A database with the computed scheme's 2026 campaign, the sample returns, the panel
/// sheet and both ballot files imported.
fn year_with_evaluations(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("mofan.db");
    let scheme = fixture("scheme.computed.toml");
    ok(mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            scheme.to_str().unwrap(),
        ],
    ));
    let returns: Vec<String> = sample_returns()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["import", "--campaign", "2026"];
    args.extend(returns.iter().map(String::as_str));
    ok(mofan(&db, &args));
    let panel = fixture("panel/组织考评评分表.xlsx");
    ok(mofan(
        &db,
        &[
            "panel",
            "import",
            "--campaign",
            "2026",
            "--component",
            "organisation",
            panel.to_str().unwrap(),
        ],
    ));
    let survey = fixture("ballots/问卷星_群众满意度测评.xlsx");
    let tally = fixture("ballots/计票汇总表.xlsx");
    ok(mofan(
        &db,
        &[
            "ballots",
            "import",
            "--campaign",
            "2026",
            "--component",
            "public",
            survey.to_str().unwrap(),
            tally.to_str().unwrap(),
        ],
    ));
    db
}

fn result<'a>(sel: &'a Value, name: &str) -> &'a Value {
    sel["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} is in the results"))
}

fn listed<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("{name} is listed"))
}

#[test]
fn the_selection_uses_the_scores_of_ballots_and_panel_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let db = year_with_evaluations(dir.path());
    let ballots = stdout_json(&ok(mofan(
        &db,
        &["ballots", "list", "--campaign", "2026", "--json"],
    )));
    let panel = stdout_json(&ok(mofan(
        &db,
        &["panel", "list", "--campaign", "2026", "--json"],
    )));
    let sel = stdout_json(&ok(mofan(&db, &["select", "--campaign", "2026", "--json"])));

    // 广州市人民检察院 has both: the selection's components are the lists' scores, not
    // what its return declared.
    let name = "广州市人民检察院";
    let r = result(&sel, name);
    assert_eq!(r["components"]["public"], listed(&ballots, name)["score"]);
    assert_eq!(
        r["components"]["organisation"],
        listed(&panel, name)["score"]
    );
    assert!(r["components"]["public"].is_number());
    assert!(r["components"]["organisation"].is_number());

    // Too few valid ballots: the reason stands for "缺少群众测评".
    let few = listed(&ballots, "广州市统计局");
    assert_eq!(few["score"], Value::Null);
    let reason = few["reason"].as_str().unwrap();
    assert!(reason.starts_with("群众测评有效票不足20张"), "{reason}");
    let reasons: Vec<&str> = result(&sel, "广州市统计局")["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&reason), "{reasons:?}");
    assert!(!reasons.contains(&"缺少群众测评"), "{reasons:?}");

    // A unit no ballot reached, and no judge: both named.
    let none = result(&sel, "中共广州市委政法委员会");
    assert_eq!(none["components"]["public"], Value::Null);
    let reasons: Vec<&str> = none["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"组织考评没有评委评分"), "{reasons:?}");
    assert!(reasons.contains(&"群众测评没有测评票"), "{reasons:?}");
}

#[test]
fn withdrawing_a_ballot_file_makes_the_stored_result_stale_naming_the_evaluations() {
    let dir = tempfile::tempdir().unwrap();
    let db = year_with_evaluations(dir.path());
    let mut store = Store::open(&db).unwrap();
    let before = select::run(&mut store, 2026, OPERATOR).unwrap();
    let row = before
        .results
        .iter()
        .find(|r| r.name == "广州市总工会")
        .unwrap();
    let public = before
        .component_keys
        .iter()
        .position(|k| k == "public")
        .unwrap();
    assert!(row.components[public].is_some(), "scored from the tally");
    let note = row.component_notes[public].as_deref().unwrap();
    assert!(note.starts_with("群众测评95.00分 = (满意25×100"), "{note}");
    let state = select::latest(&store, 2026).unwrap().unwrap().state;
    assert!(!state.stale());

    import::ballots::withdraw(&mut store, 2026, "计票汇总表.xlsx", OPERATOR).unwrap();
    let state = select::latest(&store, 2026).unwrap().unwrap().state;
    assert_eq!(state.changed, [RunInput::Evaluations]);
    let notice = state.notice.unwrap();
    assert!(notice.contains("此后测评数据有变化"), "{notice}");

    // Run again: 广州市总工会's only ballots were in the tally.
    let after = select::run(&mut store, 2026, OPERATOR).unwrap();
    let row = after
        .results
        .iter()
        .find(|r| r.name == "广州市总工会")
        .unwrap();
    assert_eq!(row.components[public], None);
    assert!(
        row.reasons.contains(&"群众测评没有测评票".to_string()),
        "{:?}",
        row.reasons
    );
}
