//! 监督问责 and each agency's history (docs/specification.md §10, §11) across two
//! campaigns: 2023 selected and published, 2026 selected with its review applied. The
//! accountability rule of the selection and its staleness, `mofan supervision`,
//! `mofan accountability`, `mofan agency show` and the `mofan history` workbook.
//!
//! The workbook's golden references live in `tests/fixtures/golden/history_book/`; after a
//! deliberate change, regenerate them with
//!
//!     MOFAN_BLESS=1 cargo test --test it agency_history::
//!
//! and review the diff before committing.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use mofan::campaign;
use mofan::history;
use mofan::select::{self, Status};
use mofan::store::Store;
use mofan::supervision::{self, AgencyRef, NewAccountabilityRecord, NewSupervisionRecord};
use mofan::vocab::{
    AccountabilityKind, CampaignStatus, Outcome, RunInput, SupervisionKind, Trigger,
};
use mofan::Coded;

use crate::common::*;
use crate::golden::check_workbook;

/// 甲局, renamed 甲新局 in 2026, identified by its USCC.
const JIA: &str = "114401039115856282";
/// One of two agencies named 同名局.
const TWIN: &str = "11440103587071624A";
const GENERATED: &str = "2026-12-01T10:00:00+08:00";

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn county(name: &str, uscc: Option<&str>, region: &'static str, score: f64) -> Vec<V> {
    let mut r = city_row(name, score);
    if let Some(code) = uscc {
        r[1] = V::T(code.to_string());
    }
    r[2] = V::S("县级");
    r[3] = V::S(region);
    r
}

fn import_year(store: &mut Store, dir: &Path, year: i32, rows: &[Vec<V>]) {
    let p = dir.join(format!("{year}.xlsx"));
    write_xlsx(&p, &HEADER, rows);
    let returns = mofan::import::Returns::open(store, year, &[]).unwrap();
    let r = mofan::import::import_file(store, &returns, &p, &opts(false)).unwrap();
    assert_eq!(
        r.status,
        mofan::import::FileStatus::Imported,
        "{:?}",
        r.errors
    );
}

/// 2023: four county agencies, the pool's two seats to 甲局 and 乙局, published. 2026: 甲
/// under its new name, 乙 fallen, 丙, 戊 and the two 同名局; selected, and the review of
/// 1 December applied (甲 retained, 乙 revoked), then selected again.
fn two_campaigns(dir: &Path) -> PathBuf {
    let db = dir.join("m.db");
    let mut store = Store::open(&db).unwrap();
    campaign::create(&mut store, 2023, None, OPERATOR).unwrap();
    import_year(
        &mut store,
        dir,
        2023,
        &[
            county("甲局", Some(JIA), "测试区", 95.0),
            county("乙局", None, "测试区", 93.0),
            county("丙局", None, "测试区", 90.0),
            county("丁局", None, "测试区", 88.0),
        ],
    );
    select::run(&mut store, 2023, OPERATOR).unwrap();
    let on = publicise(&mut store, 2023);
    campaign::publish(&mut store, 2023, "粤直工〔2023〕5号", on, OPERATOR).unwrap();
    campaign::create(&mut store, 2026, None, OPERATOR).unwrap();
    import_year(
        &mut store,
        dir,
        2026,
        &[
            county("甲新局", Some(JIA), "测试区", 90.0),
            county("乙局", None, "测试区", 70.0),
            county("丙局", None, "测试区", 91.0),
            county("戊局", None, "测试区", 92.0),
            county("同名局", Some(TWIN), "测试区", 85.0),
            county("同名局", None, "另一区", 86.0),
        ],
    );
    select::run(&mut store, 2026, OPERATOR).unwrap();
    mofan::review::apply(&mut store, 2026, day("2026-12-01"), OPERATOR).unwrap();
    // The review changed the registry the selection reads: run it again, as the clerk is
    // told to.
    select::run(&mut store, 2026, OPERATOR).unwrap();
    db
}

fn accountability(
    store: &mut Store,
    agency: &str,
    kind: AccountabilityKind,
    date: &str,
    person: Option<&str>,
) {
    supervision::add_accountability(
        store,
        AgencyRef::Named(agency),
        &NewAccountabilityRecord {
            person: person.map(str::to_string),
            kind,
            date: day(date),
            reason: "落实主体责任不力".into(),
            doc_number: None,
        },
        OPERATOR,
    )
    .unwrap();
}

fn changed(store: &Store, year: i32) -> Vec<RunInput> {
    select::latest(store, year).unwrap().unwrap().state.changed
}

#[test]
fn accountability_of_a_listed_kind_in_the_campaign_year_bars_the_agency() {
    let dir = tempfile::tempdir().unwrap();
    let db = two_campaigns(dir.path());
    let mut store = Store::open(&db).unwrap();
    // Last year's 通报 and a cadre's 诫勉 are not read: the result stays current.
    accountability(
        &mut store,
        "丙局",
        AccountabilityKind::Bulletin,
        "2025-06-01",
        None,
    );
    accountability(
        &mut store,
        "丙局",
        AccountabilityKind::Admonish,
        "2026-04-01",
        Some("张三"),
    );
    assert_eq!(changed(&store, 2026), []);
    // This year's 通报 marks the result 数据已变化, naming 问责记录.
    accountability(
        &mut store,
        "丙局",
        AccountabilityKind::Bulletin,
        "2026-03-05",
        None,
    );
    assert_eq!(changed(&store, 2026), [RunInput::Accountability]);
    let notice = select::latest(&store, 2026).unwrap().unwrap().state.notice;
    assert!(notice.unwrap().contains("此后问责记录有变化"));
    // The published 2023 result is final whatever is recorded.
    accountability(
        &mut store,
        "乙局",
        AccountabilityKind::Reorganise,
        "2023-05-01",
        None,
    );
    assert_eq!(changed(&store, 2023), []);

    let sel = select::run(&mut store, 2026, OPERATOR).unwrap();
    let row = |name: &str| sel.results.iter().find(|r| r.name == name).unwrap();
    assert_eq!(row("丙局").status, Status::Ineligible);
    assert_eq!(row("丙局").reasons, ["2026年3月5日受到通报问责"]);
    assert_eq!(row("戊局").status, Status::Selected);
    assert_eq!(changed(&store, 2026), []);
    // A cadre's 纪律处分 bars the agency too; the reason does not name the person.
    accountability(
        &mut store,
        "戊局",
        AccountabilityKind::Discipline,
        "2026-09-10",
        Some("李四"),
    );
    let sel = select::run(&mut store, 2026, OPERATOR).unwrap();
    let wu = sel.results.iter().find(|r| r.name == "戊局").unwrap();
    assert_eq!(wu.reasons, ["2026年9月10日受到纪律处分问责"]);
}

#[test]
fn an_agency_s_history_comes_from_the_stored_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = two_campaigns(dir.path());
    let mut store = Store::open(&db).unwrap();
    supervision::add_supervision(
        &mut store,
        AgencyRef::Named(JIA),
        &NewSupervisionRecord {
            kind: SupervisionKind::Talk,
            date: day("2026-05-20"),
            subject: "约谈主要负责人".into(),
            content: None,
            people: Some("王五、赵六".into()),
        },
        OPERATOR,
    )
    .unwrap();
    accountability(
        &mut store,
        JIA,
        AccountabilityKind::Check,
        "2026-06-01",
        None,
    );

    let h = history::show(&store, AgencyRef::Named(JIA), mofan::today()).unwrap();
    assert_eq!(h.agency.name, "甲新局");
    assert_eq!(h.agency.uscc.as_deref(), Some(JIA));
    let former: Vec<(&str, &[i32])> = h
        .agency
        .former_names
        .iter()
        .map(|f| (f.name.as_str(), f.years.as_slice()))
        .collect();
    assert_eq!(former, [("甲局", &[2023][..])]);
    let years: Vec<(i32, &str, Option<Status>, Option<u32>)> = h
        .years
        .iter()
        .map(|y| (y.year, y.name.as_str(), y.status, y.rank))
        .collect();
    assert_eq!(
        years,
        [
            (2023, "甲局", Some(Status::Selected), Some(1)),
            (2026, "甲新局", Some(Status::Ineligible), None)
        ]
    );
    assert_eq!(h.years[0].campaign_status, CampaignStatus::Published);
    assert_eq!(h.years[0].composite.unwrap().to_string(), "95.00");
    assert_eq!(h.years[1].reasons, ["已于2023年命名，纳入复查"]);
    assert!(!h.years[1].stale);
    assert_eq!(h.years[1].components.len(), 5);
    assert_eq!(h.awards.len(), 1);
    assert_eq!(
        (h.awards[0].year, h.awards[0].last_review_year),
        (2023, Some(2026))
    );
    assert_eq!(h.reviews.len(), 1);
    let r = &h.reviews[0];
    assert_eq!(
        (r.year, r.award_year, r.trigger, r.outcome),
        (2026, 2023, Trigger::Cycle, Outcome::Retain)
    );
    assert_eq!(h.supervision.len(), 1);
    assert_eq!(h.accountability.len(), 1);

    // An import after the run: the year shows the stored result and says the data changed.
    import_year(
        &mut store,
        dir.path(),
        2026,
        &[county("甲新局", Some(JIA), "测试区", 60.0)],
    );
    let h = history::show(&store, AgencyRef::Named("甲新局"), mofan::today()).unwrap();
    assert!(h.years[1].stale);
    assert_eq!(
        h.years[1].status,
        Some(Status::Ineligible),
        "never recomputed"
    );

    // 乙局, revoked in the 2026 review.
    let b = history::show(&store, AgencyRef::Named("乙局"), mofan::today()).unwrap();
    assert_eq!(b.reviews[0].outcome, Outcome::Revoke);
    assert_eq!(b.years[1].status, Some(Status::Ineligible));
    assert!(
        b.years[1]
            .reasons
            .contains(&"2026年被撤销称号，3年内不得参评".to_string()),
        "{:?}",
        b.years[1].reasons
    );
    // Two agencies of one name are refused, each named.
    let e = history::show(&store, AgencyRef::Named("同名局"), mofan::today()).unwrap_err();
    assert_eq!(e.code(), "agency.ambiguous");
    assert!(e.to_string().contains(TWIN), "{e}");
    assert!(e.to_string().contains("另一区，无统一社会信用代码"), "{e}");
}

#[test]
fn the_command_line_records_and_shows_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = two_campaigns(dir.path());
    let out = ok(mofan(
        &db,
        &[
            "supervision",
            "add",
            "--agency",
            JIA,
            "--kind",
            "当面约谈",
            "--date",
            "2026-05-20",
            "--subject",
            "约谈主要负责人",
            "--people",
            "王五",
        ],
    ));
    assert!(text(&out.stdout).contains("已登记第1号督查记录：甲新局，当面约谈（2026-05-20）"));
    let bad = mofan(
        &db,
        &[
            "supervision",
            "add",
            "--agency",
            JIA,
            "--kind",
            "约谈",
            "--date",
            "2026-05-20",
            "--subject",
            "x",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("应为书面问询、当面约谈、情况通报、专项督察"));
    let needs_person = mofan(
        &db,
        &[
            "accountability",
            "add",
            "--agency",
            "丙局",
            "--kind",
            "纪律处分",
            "--date",
            "2026-03-05",
            "--reason",
            "违反规定",
        ],
    );
    assert_eq!(needs_person.status.code(), Some(1));
    assert!(text(&needs_person.stderr).contains("请填写被问责人"));
    ok(mofan(
        &db,
        &[
            "accountability",
            "add",
            "--agency",
            "丙局",
            "--kind",
            "通报",
            "--date",
            "2026-03-05",
            "--reason",
            "违反规定",
            "--doc-number",
            "穗直工〔2026〕3号",
        ],
    ));
    let list = stdout_json(&ok(mofan(
        &db,
        &["accountability", "list", "--agency", "丙局", "--json"],
    )));
    assert_eq!(list[0]["kind"], "bulletin");
    assert_eq!(list[0]["target"], "organisation");
    assert_eq!(list[0]["date"], "2026-03-05");
    let list = stdout_json(&ok(mofan(&db, &["supervision", "list", "--json"])));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["people"], "王五");
    let audited = text(&ok(mofan(&db, &["audit", "verify"])).stdout);
    assert!(!audited.is_empty());

    let show = stdout_json(&ok(mofan(&db, &["agency", "show", JIA, "--json"])));
    let keys: Vec<&str> = show
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "agency",
            "years",
            "awards",
            "reviews",
            "ledger",
            "supervision",
            "accountability"
        ]
    );
    assert_eq!(show["ledger"], serde_json::json!([]));
    assert_eq!(show["years"][0]["year"], 2023);
    assert_eq!(show["years"][0]["composite"], 95.0);
    assert_eq!(show["years"][0]["rank"], 1);
    assert_eq!(show["years"][0]["status"], "selected");
    assert_eq!(show["years"][1]["reasons"][0], "已于2023年命名，纳入复查");
    assert_eq!(show["agency"]["former_names"][0]["name"], "甲局");
    assert_eq!(show["reviews"][0]["outcome"], "retain");
    assert_eq!(show["supervision"][0]["kind"], "talk");
    let plain = text(&ok(mofan(&db, &["agency", "show", "甲新局"])).stdout);
    for want in [
        "甲新局",
        "曾用名：甲局（2023年）",
        "2023年度  甲局  综合得分95.00  第1名  入选  （已发布）",
        "2026年度  甲新局  综合得分90.00  不符合条件",
        "· 已于2023年命名，纳入复查",
        "2023年  模范机关  粤直工〔2023〕5号  正常",
        "2026-12-01  2023年命名  定期复查  保留称号",
        "当面约谈\t约谈主要负责人",
    ] {
        assert!(plain.contains(want), "{want:?} in\n{plain}");
    }
    let twin = mofan(&db, &["agency", "show", "同名局"]);
    assert_eq!(twin.status.code(), Some(1));
    let err = text(&twin.stderr);
    assert!(
        err.contains(TWIN) && err.contains("无统一社会信用代码"),
        "{err}"
    );
    let none = mofan(&db, &["agency", "show", "不存在局"]);
    assert_eq!(none.status.code(), Some(1));

    let book = dir.path().join("历年情况.xlsx");
    let out = ok(mofan(
        &db,
        &[
            "history",
            "--from",
            "2022",
            "--to",
            "2026",
            "--out",
            book.to_str().unwrap(),
        ],
    ));
    assert!(
        text(&out.stdout).contains("7家单位，2个评选年度"),
        "{}",
        text(&out.stdout)
    );
    let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let range = wb.worksheet_range("历年情况").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        at(0, 0),
        Data::String("2022—2026年度模范机关评选历年情况".into())
    );
    assert_eq!(at(1, 5), Data::String("2023年度".into()));
    assert_eq!(at(1, 8), Data::String("2026年度".into()));
    assert_eq!(at(2, 5), Data::String("综合得分".into()));
    let backwards = mofan(
        &db,
        &[
            "history",
            "--from",
            "2026",
            "--to",
            "2022",
            "--out",
            book.to_str().unwrap(),
        ],
    );
    assert_eq!(backwards.status.code(), Some(1));
    assert!(text(&backwards.stderr).contains("起始年度2026晚于结束年度2022"));
}

#[test]
fn the_history_book_matches_its_golden_files_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = two_campaigns(dir.path());
    let store = Store::open(&db).unwrap();
    let table = history::table(&store, 2022, 2026).unwrap();
    assert_eq!(table.years, [2023, 2026]);
    let bytes = mofan::export::history::build(&table, GENERATED)
        .unwrap()
        .save_to_buffer()
        .unwrap();

    // Read back: one row per agency, a group per year, 未参评 where it took no part.
    let path = dir.path().join("历年情况.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = wb.worksheet_range("历年情况").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let header: Vec<Data> = (0..14).map(|c| at(2, c)).collect();
    let s = |x: &str| Data::String(x.into());
    assert_eq!(
        header[5..11],
        [
            s("综合得分"),
            s("排名"),
            s("结果"),
            s("综合得分"),
            s("排名"),
            s("结果")
        ]
    );
    assert_eq!(at(1, 11), s("命名情况"));
    let row_of = |name: &str| {
        (3..3 + table.rows.len() as u32)
            .find(|r| at(*r, 0) == s(name))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let jia = row_of("甲新局");
    assert_eq!(at(jia, 1), s(JIA));
    assert_eq!(at(jia, 5), Data::Float(95.0));
    assert_eq!(at(jia, 6), Data::Float(1.0));
    assert_eq!(at(jia, 7), s("入选"));
    assert_eq!(at(jia, 10), s("不符合条件"));
    assert_eq!(at(jia, 11), s("2023年命名（正常）"));
    let wu = row_of("戊局");
    assert_eq!(at(wu, 7), s("未参评"));
    assert_eq!(at(wu, 10), s("入选"));
    let last = 3 + table.rows.len() as u32 + 1;
    assert_eq!(at(last, 0), s("生成时间：2026-12-01 10:00"));

    // The XML parts against the golden files.
    check_workbook("history_book", &bytes);
}

#[test]
fn items_found_in_a_supervision_are_linked_and_shown_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = two_campaigns(dir.path());
    let sup = |agency: &str| {
        ok(mofan(
            &db,
            &[
                "supervision",
                "add",
                "--agency",
                agency,
                "--kind",
                "书面问询",
                "--date",
                "2026-05-20",
                "--subject",
                "问询整改",
            ],
        ))
    };
    sup(JIA);
    sup("丙局");
    let add = |agency: &str, supervision: &str, text: &str, deadline: &str| {
        mofan(
            &db,
            &[
                "ledger",
                "add",
                "--agency",
                agency,
                "--kind",
                "problem",
                "--text",
                text,
                "--deadline",
                deadline,
                "--owner",
                "办公室",
                "--supervision",
                supervision,
            ],
        )
    };
    // Refused, exit 1, nothing stored: a record that does not exist; one of another agency.
    for (out, want) in [
        (
            add(JIA, "9", "台账不全", "2026-06-30"),
            "没有编号为9的督查记录".to_string(),
        ),
        (
            add(JIA, "2", "台账不全", "2026-06-30"),
            "督查记录2是对“丙局”的督查，其发现的问题不能记在“甲新局”名下".to_string(),
        ),
    ] {
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains(&want), "{}", text(&out.stderr));
    }
    let out = ok(add(JIA, "1", "台账不全", "2026-06-30"));
    assert!(
        text(&out.stdout)
            .contains("已登记第1号台账事项：甲新局问题清单“台账不全”（第1号督查记录发现）"),
        "{}",
        text(&out.stdout)
    );
    ok(add(JIA, "1", "学习不深入", "2026-08-31"));
    // An agency the clerk misnames is answered with the closest names.
    let miss = add("甲新司", "1", "x", "2026-06-30");
    assert_eq!(miss.status.code(), Some(1));
    assert!(
        text(&miss.stderr).contains("没有找到单位“甲新司”")
            && text(&miss.stderr).contains("最接近的单位：甲新局"),
        "{}",
        text(&miss.stderr)
    );

    let list = stdout_json(&ok(mofan(&db, &["supervision", "list", "--json"])));
    assert_eq!(list[0]["items"], serde_json::json!([1, 2]));
    assert_eq!(list[1]["items"], serde_json::json!([]));
    let plain = text(&ok(mofan(&db, &["supervision", "list"])).stdout);
    assert!(plain.contains("发现台账事项：第1号、第2号"), "{plain}");

    // The history's ledger: every item with its status on the date asked for.
    let show = stdout_json(&ok(mofan(
        &db,
        &["agency", "show", JIA, "--json", "--date", "2026-07-01"],
    )));
    let ledger = show["ledger"].as_array().unwrap();
    assert_eq!(ledger.len(), 2);
    let first = &ledger[0];
    for (key, want) in [
        ("id", serde_json::json!(1)),
        ("kind", serde_json::json!("problem")),
        ("source", serde_json::json!("inspection")),
        ("level", serde_json::json!(null)),
        ("year", serde_json::json!(2026)),
        ("text", serde_json::json!("台账不全")),
        ("owner", serde_json::json!("办公室")),
        ("deadline", serde_json::json!("2026-06-30")),
        ("done_on", serde_json::json!(null)),
        ("status", serde_json::json!("overdue")),
        ("supervision", serde_json::json!(1)),
    ] {
        assert_eq!(first[key], want, "{key}");
    }
    assert_eq!(ledger[1]["status"], "open");
    // On the deadline itself the first is due soon, not yet overdue.
    let on = stdout_json(&ok(mofan(
        &db,
        &["agency", "show", JIA, "--json", "--date", "2026-06-30"],
    )));
    assert_eq!(on["ledger"][0]["status"], "due_soon");
    ok(mofan(
        &db,
        &["ledger", "done", "--id", "1", "--date", "2026-07-02"],
    ));
    let plain = text(&ok(mofan(&db, &["agency", "show", JIA, "--date", "2026-07-03"])).stdout);
    for want in [
        "清单台账（状态截至2026-07-03）：",
        "第1号  问题清单  已完成  台账不全  来源：督查  时限2026-06-30  2026-07-02完成  责任人：办公室  第1号督查记录发现",
    ] {
        assert!(plain.contains(want), "{want:?} in\n{plain}");
    }
}
