//! A whole history: select and publish 2023, review in 2026 and apply it; the registry
//! and 2026 eligibility follow. Also reopening, accepting a rectification, a missed
//! deadline in 2027, and the review command line.

use std::path::Path;

use crate::common::*;
use chrono::NaiveDate;
use mofan::campaign;
use mofan::import::FileStatus;
use mofan::review::{self, Outcome, Trigger};
use mofan::select::{self, Status};
use mofan::store::awards::{self, AwardStatus};
use mofan::store::Store;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn county(name: &str, score: f64) -> Vec<V> {
    let mut r = city_row(name, score);
    r[2] = V::S("县级");
    r[3] = V::S("测试区");
    r
}

fn import_year(store: &mut Store, dir: &Path, year: i32, rows: &[Vec<V>]) {
    let p = dir.join(format!("{year}.xlsx"));
    write_xlsx(&p, &HEADER, rows);
    let returns = mofan::import::Returns::open(store, year, &[]).unwrap();
    let r = mofan::import::import_file(store, &returns, &p, &opts(false)).unwrap();
    assert_eq!(r.status, FileStatus::Imported, "{:?}", r.errors);
}

fn status_in(store: &mut Store, year: i32, name: &str) -> (Status, Vec<String>) {
    let sel = select::run(store, year, "测试员").unwrap();
    let r = sel.results.iter().find(|r| r.name == name).unwrap();
    (r.status, r.reasons.clone())
}

fn award_of(store: &Store, name: &str) -> awards::AwardRow {
    awards::list(store.conn())
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap()
}

#[test]
fn publish_2023_review_2026_and_eligibility_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    campaign::create(&mut store, 2023, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2023,
        &[
            county("甲局", 95.0),
            county("乙局", 93.0),
            county("丙局", 90.0),
            county("丁局", 88.0),
        ],
    );
    assert_eq!(status_in(&mut store, 2023, "甲局").0, Status::Selected);
    // County pools have 2 seats: 甲 and 乙. Publishing locks 2023 and adds the awards.
    let on = publicise(&mut store, 2023);
    let p = campaign::publish(&mut store, 2023, "粤直工〔2023〕5号", on, "测试员").unwrap();
    assert_eq!(p.awards, 2);
    assert!(matches!(
        campaign::publish(&mut store, 2023, "x", on, "测试员"),
        Err(campaign::CampaignError::AlreadyPublished(2023))
    ));
    let a = award_of(&store, "甲局");
    assert_eq!(
        (a.year, a.status, a.doc_number.as_deref()),
        (2023, AwardStatus::Active, Some("粤直工〔2023〕5号"))
    );
    let locked = mofan::import::Returns::open(&store, 2023, &[]);
    assert!(matches!(
        locked,
        Err(mofan::import::ImportError::Campaign(
            mofan::store::campaigns::Unavailable::Locked {
                year: 2023,
                refused: mofan::store::campaigns::Change::Files
            }
        ))
    ));

    // 2026: 甲 keeps its level, 乙 falls below the revocation line, 戊 is new.
    campaign::create(&mut store, 2026, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2026,
        &[
            county("甲局", 90.0),
            county("乙局", 70.0),
            county("丙局", 91.0),
            county("戊局", 92.0),
        ],
    );
    let (st, why) = status_in(&mut store, 2026, "甲局");
    assert_eq!(st, Status::Ineligible);
    assert_eq!(why, vec!["已于2023年命名，纳入复查"]);

    let rows = review::run(&store, 2026, day("2026-12-01")).unwrap();
    let by = |n: &str| rows.iter().find(|r| r.name == n).unwrap().clone();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (by("甲局").trigger, by("甲局").outcome),
        (Trigger::Cycle, Outcome::Retain)
    );
    assert_eq!(
        (by("乙局").trigger, by("乙局").outcome),
        (Trigger::Cycle, Outcome::Revoke)
    );
    assert_eq!(by("乙局").reasons, vec!["综合得分70.00分，低于撤销线75分"]);

    let applied = review::apply(&mut store, 2026, day("2026-12-01"), "测试员").unwrap();
    assert_eq!(applied.changed, 2);
    let a = award_of(&store, "甲局");
    assert_eq!(
        (a.status, a.last_review_year),
        (AwardStatus::Active, Some(2026))
    );
    let b = award_of(&store, "乙局");
    assert_eq!(
        (b.status, b.revoked_year, b.last_review_year),
        (AwardStatus::Revoked, Some(2026), Some(2026))
    );
    // Applying the year's review again is refused and changes nothing.
    let fingerprint_before = fingerprint(&store);
    let again = review::apply(&mut store, 2026, day("2026-12-01"), "测试员").unwrap_err();
    assert!(matches!(
        again,
        review::ReviewError::AlreadyApplied { year: 2026, .. }
    ));
    assert_eq!(fingerprint(&store), fingerprint_before);
    assert!(
        review::run(&store, 2026, day("2026-12-01"))
            .unwrap()
            .is_empty(),
        "the cycle restarted"
    );
    // The applied review, as recorded: registry order (甲 was awarded first).
    let record = review::applied(&store, 2026).unwrap().unwrap();
    let outcomes: Vec<(&str, Outcome)> = record
        .rows
        .iter()
        .map(|a| (a.name.as_str(), a.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![("甲局", Outcome::Retain), ("乙局", Outcome::Revoke)]
    );
    assert_eq!(record.rows, rows);
    let b = record.rows.iter().find(|a| a.name == "乙局").unwrap();
    assert_eq!(b.doc_number.as_deref(), Some("粤直工〔2023〕5号"));
    assert_eq!(b.status, AwardStatus::Active, "the state before the review");

    // 2026 eligibility follows the registry.
    assert_eq!(
        status_in(&mut store, 2026, "甲局").1,
        vec!["已于2023年命名，纳入复查"]
    );
    // (These rows score every component alike, so 群众测评 70 also misses its minimum.)
    assert_eq!(
        status_in(&mut store, 2026, "乙局").1,
        vec![
            "综合得分70.00分，低于85分",
            "群众测评70.00分，低于90分",
            "2026年被撤销称号，3年内不得参评"
        ]
    );
    assert_eq!(status_in(&mut store, 2026, "戊局").0, Status::Selected);
    assert_eq!(status_in(&mut store, 2026, "丙局").0, Status::Selected);
    assert_eq!(mofan::audit::verify(store.conn()).unwrap().broken, None);
}

#[test]
fn rectification_accepted_or_missed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    campaign::create(&mut store, 2023, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2023,
        &[county("甲局", 95.0), county("乙局", 93.0)],
    );
    select::run(&mut store, 2023, "测试员").unwrap();
    let on = publicise(&mut store, 2023);
    campaign::publish(&mut store, 2023, "粤直工〔2023〕5号", on, "测试员").unwrap();
    campaign::create(&mut store, 2026, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2026,
        &[county("甲局", 80.0), county("乙局", 82.0)],
    );
    let applied = review::apply(&mut store, 2026, day("2026-08-31"), "测试员").unwrap();
    assert!(applied
        .reviews
        .iter()
        .all(|r| r.outcome == Outcome::Rectify));
    let a = award_of(&store, "甲局");
    assert_eq!(
        (a.status, a.rectify_deadline.as_deref()),
        (AwardStatus::Rectifying, Some("2027-02-28"))
    );

    // 甲 is accepted as rectified; 乙 misses its deadline and is revoked in 2027.
    review::mark_rectified(&mut store, "甲局", day("2027-01-15"), "测试员").unwrap();
    assert_eq!(award_of(&store, "甲局").status, AwardStatus::Active);
    assert!(matches!(
        review::mark_rectified(&mut store, "甲局", day("2027-01-15"), "测试员"),
        Err(review::ReviewError::NotRectifying(_))
    ));
    campaign::create(&mut store, 2027, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2027,
        &[county("甲局", 90.0), county("乙局", 90.0)],
    );
    let rows = review::run(&store, 2027, day("2027-03-01")).unwrap();
    let b = rows.iter().find(|r| r.name == "乙局").unwrap();
    assert_eq!((b.trigger, b.outcome), (Trigger::Deadline, Outcome::Revoke));
    assert_eq!(b.reasons, vec!["整改期满未完成整改"]);
    assert!(
        rows.iter().all(|r| r.name != "甲局"),
        "甲 was reviewed in 2026 and is active"
    );
    assert!(matches!(
        review::run(&store, 2027, day("2026-12-31")),
        Err(review::ReviewError::DateOutsideYear { .. })
    ));
}

#[test]
fn reopening_needs_a_reason_and_withdraws_the_published_awards() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    campaign::create(&mut store, 2025, None, "测试员").unwrap();
    import_year(
        &mut store,
        dir.path(),
        2025,
        &[
            county("甲局", 95.0),
            county("乙局", 90.0),
            county("丙局", 90.0),
        ],
    );
    // Only a run's result is published; a tie for the last seat must be resolved first.
    let on = day("2025-12-31");
    assert!(matches!(
        campaign::publish(&mut store, 2025, "x〔2025〕1号", on, "测试员"),
        Err(campaign::CampaignError::Select(
            select::SelectError::NotRun(2025)
        ))
    ));
    select::run(&mut store, 2025, "测试员").unwrap();
    assert!(matches!(
        campaign::publish(&mut store, 2025, "x〔2025〕1号", on, "测试员"),
        Err(campaign::CampaignError::TiesPending(2))
    ));
    select::set_override(
        &mut store,
        &select::OverrideRequest {
            year: 2025,
            agency: "乙局".into(),
            action: mofan::store::overrides::OverrideAction::Include,
            reason: "评审组投票".into(),
            confirm_beyond_quota: false,
        },
        "评审组",
    )
    .unwrap();
    let on = publicise(&mut store, 2025);
    assert_eq!(
        campaign::publish(&mut store, 2025, "x〔2025〕1号", on, "测试员")
            .unwrap()
            .awards,
        2
    );
    assert!(matches!(
        campaign::reopen(&mut store, 2025, " ", "测试员"),
        Err(campaign::CampaignError::Required(_))
    ));
    assert_eq!(
        campaign::reopen(&mut store, 2025, "文号有误，重新发文", "测试员").unwrap(),
        2
    );
    assert!(awards::list(store.conn()).unwrap().is_empty());
    assert_eq!(
        campaign::publish(&mut store, 2025, "x〔2025〕2号", on, "测试员")
            .unwrap()
            .awards,
        2
    );
}

#[test]
fn review_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let mofan = |args: &[&str]| crate::common::mofan(&db, args);
    assert_eq!(
        mofan(&["campaign", "create", "--year", "2026"])
            .status
            .code(),
        Some(0)
    );
    for f in SAMPLE_RETURNS {
        mofan(&[
            "import",
            "--campaign",
            "2026",
            fixture(&format!("samples/{f}")).to_str().unwrap(),
        ]);
    }
    let o = mofan(&[
        "awards",
        "import",
        fixture("samples/awards.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = dir.path().join("复查.xlsx");
    let o = mofan(&[
        "review",
        "--campaign",
        "2026",
        "--date",
        "2026-12-01",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reviews = j["reviews"].as_array().unwrap();
    assert!(!reviews.is_empty());
    for r in reviews {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            vec![
                "uscc",
                "name",
                "award_year",
                "trigger",
                "outcome",
                "reasons",
                "deadline",
                // The agency's open problems in the ledger on the review date (§10).
                "open_problems"
            ]
        );
    }
    // 广州市海珠区自然资源局 was revoked earlier: not reviewed. 韶关市民政局 (rectifying,
    // deadline 2026-06-30, no 2026 return) missed its deadline.
    assert!(reviews
        .iter()
        .all(|r| r["name"] != "广州市海珠区自然资源局"));
    let m = reviews
        .iter()
        .find(|r| r["name"] == "韶关市民政局")
        .unwrap();
    assert_eq!(
        (m["trigger"].as_str(), m["outcome"].as_str()),
        (Some("deadline"), Some("revoke"))
    );
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    use calamine::Reader;
    let names = wb.sheet_names();
    assert_eq!(
        &names[names.len() - 3..],
        &["复查名单", "整改名单", "撤销名单"]
    );
    let revoked = wb.worksheet_range("撤销名单").unwrap();
    assert!(revoked.rows().any(|r| r
        .iter()
        .any(|c| matches!(c, calamine::Data::String(s) if s == "韶关市民政局"))));

    // Outside the year: exit 1. Applying twice: the second is refused (exit 1).
    assert_eq!(
        mofan(&["review", "--campaign", "2026", "--date", "2027-01-01"])
            .status
            .code(),
        Some(1)
    );
    let first = mofan(&[
        "review",
        "--campaign",
        "2026",
        "--date",
        "2026-12-01",
        "--apply",
    ]);
    assert!(String::from_utf8_lossy(&first.stderr).contains("已应用复查结果"));
    let second = mofan(&[
        "review",
        "--campaign",
        "2026",
        "--date",
        "2026-12-01",
        "--apply",
    ]);
    assert_eq!(second.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("不能再次应用"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    // Publishing (a run's current result) and the rectified command.
    assert_eq!(
        mofan(&["select", "--campaign", "2026"]).status.code(),
        Some(0)
    );
    let on = publicise_2026(&db);
    let o = mofan(&[
        "publish",
        "--campaign",
        "2026",
        "--doc-number",
        "粤直工〔2026〕12号",
        "--date",
        on,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = mofan(&[
        "awards",
        "rectified",
        "--agency",
        "不存在的单位",
        "--date",
        "2027-01-01",
    ]);
    assert_eq!(o.status.code(), Some(1));

    // The notices: the decision carries the published number and the selected agencies;
    // one revocation notice per revoked agency.
    let docx_text = |p: &Path| {
        let f = std::fs::File::open(p).unwrap();
        let mut z = zip::ZipArchive::new(f).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    };
    let award = dir.path().join("命名决定.docx");
    let o = mofan(&[
        "notice",
        "award",
        "--campaign",
        "2026",
        "--out",
        award.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let xml = docx_text(&award);
    assert!(xml.contains("粤直工〔2026〕12号"));
    assert!(
        xml.contains("广州市应急管理局"),
        "a selected agency is named"
    );
    // Publishing did not change the campaign's own result.
    let after = mofan(&["select", "--campaign", "2026", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    let first = j["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "广州市应急管理局")
        .unwrap();
    assert_eq!(first["status"], "selected");
    assert!(xml.contains("市级单位（政府机关）"));
    let folder = dir.path().join("撤销");
    let o = mofan(&[
        "notice",
        "revocation",
        "--campaign",
        "2026",
        "--separate",
        "--out",
        folder.to_str().unwrap(),
        "--doc-number",
        "粤直工〔2026〕13号",
        "--date",
        "2026-12-10",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let one = folder.join("撤销通知-韶关市民政局.docx");
    assert!(one.exists(), "{}", String::from_utf8_lossy(&o.stdout));
    let xml = docx_text(&one);
    assert!(xml.contains("整改期满未完成整改"));
    assert!(xml.contains("粤直工〔2026〕13号"));
    // A campaign without any applied review has no rectification notices to print.
    mofan(&["campaign", "create", "--year", "2027"]);
    let x = dir.path().join("x.docx");
    let o = mofan(&[
        "notice",
        "rectification",
        "--campaign",
        "2027",
        "--out",
        x.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有可印发的整改通知书"));
    assert_eq!(mofan(&["audit", "verify"]).status.code(), Some(0));
}
