//! Rounds, objections and the publish gate. The holiday arrangements are test data made
//! up for the cases.

use super::*;
use crate::campaign::{self, CampaignError};
use crate::store::campaigns::CampaignStatus;
use crate::ui::testing::{campaign_with, OPERATOR};
use crate::vocab::OverrideAction;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The 2026 campaign with 广州市's returns, selected: four seats, taken by these four.
fn selected_campaign() -> Store {
    let mut store = campaign_with(&["00_广州市.xlsx"]);
    select::run(&mut store, 2026, OPERATOR).unwrap();
    store
}

const SELECTED: [&str; 4] = [
    "广州市应急管理局",
    "广州市人民检察院",
    "广州市住房和城乡建设局",
    "中共广州市委组织部",
];
/// The next in rank, who moves up when one of the four is excluded.
const NEXT: &str = "广州市公安局";

/// Test data: Wednesday 4 November 2026 off, Saturday 14 November worked.
const TEST_2026: &str =
    "[[years]]\nyear = 2026\nholidays = [2026-11-04]\nworkdays = [2026-11-14]\n";

fn names(plan: &RoundPlan) -> Vec<&str> {
    plan.agencies.iter().map(|a| a.name.as_str()).collect()
}

fn objection<'a>(agency: &'a str, date: &str, objector: Option<&'a str>) -> NewObjection<'a> {
    NewObjection {
        year: 2026,
        agency,
        date: d(date),
        channel: ObjectionChannel::Letter,
        content: "反映该单位申报材料不实",
        objector,
    }
}

fn blocks_on(store: &Store, on: &str) -> Vec<String> {
    standing(store, 2026, d(on))
        .unwrap()
        .blocks
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_round_publicises_the_selected_for_the_working_days() {
    let mut store = selected_campaign();
    // Nothing is written by the plan.
    let plan = plan(&store, 2026, d("2026-11-02"), None).unwrap();
    assert!(rounds::list(store.conn(), 2026).unwrap().is_empty());
    assert_eq!(
        (plan.from, plan.to, plan.working_days),
        (d("2026-11-02"), d("2026-11-06"), 5)
    );
    // Without an arrangement for 2026, weekends only — and it says so.
    assert_eq!(plan.warnings, ["未设置2026年节假日安排，仅按周末计算"]);
    crate::calendar::import_text(&mut store, "测试.toml", TEST_2026, OPERATOR).unwrap();
    let started = start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
    assert_eq!(
        (
            started.number,
            started.supplementary,
            started.to,
            started.warnings.len()
        ),
        (1, false, d("2026-11-09"), 0),
        "the holiday on the 4th moves the end to Monday"
    );
    assert_eq!(names(&started), SELECTED);
    let stored = rounds::list(store.conn(), 2026).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].agencies.len(), 4);
    assert_eq!(stored[0].agencies[0].tier, crate::scheme::Tier::City);
    let log = audit::list(store.conn(), &audit::Filter::default()).unwrap();
    assert_eq!(log[0].action, "publicity.start");
    assert!(
        log[0].details.contains("\"to\":\"2026-11-09\""),
        "{}",
        log[0].details
    );

    // Nobody new: a supplementary round has nothing to publicise.
    let e = start(&mut store, 2026, d("2026-11-10"), None, OPERATOR).unwrap_err();
    assert_eq!(e.code(), "publicity.nothing_new");
    assert_eq!(
        e.to_string(),
        "入选单位均已公示（共4家），没有需要补充公示的单位"
    );
    // --days within 1–30; a round never starts before the previous one did.
    for days in [0, 31] {
        let e = start(&mut store, 2026, d("2026-11-10"), Some(days), OPERATOR).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("公示天数 {days} 无效，应为 1–30 个工作日")
        );
    }
    let e = start(&mut store, 2026, d("2026-11-01"), None, OPERATOR).unwrap_err();
    assert_eq!(
        e.to_string(),
        "公示开始日期2026-11-01早于上一轮公示的开始日期2026-11-02"
    );
}

#[test]
fn a_round_needs_a_current_result_without_ties_and_a_scheme_with_publicity() {
    let mut store = campaign_with(&["00_广州市.xlsx"]);
    let from = d("2026-11-02");
    assert_eq!(
        start(&mut store, 2026, from, None, OPERATOR)
            .unwrap_err()
            .code(),
        "select.not_run"
    );
    select::run(&mut store, 2026, OPERATOR).unwrap();
    // A tie: an inclusion by the panel is not one, but a stale result is refused.
    let returns = crate::import::Returns::open(&store, 2026, &[]).unwrap();
    crate::import::import_file(
        &mut store,
        &returns,
        &crate::ui::testing::sample("03_广州市越秀区.xlsx"),
        &crate::ui::testing::opts(),
    )
    .unwrap();
    assert_eq!(
        start(&mut store, 2026, from, None, OPERATOR)
            .unwrap_err()
            .code(),
        "select.stale"
    );
    // No publicity in the scheme: nothing to start, and publishing needs none.
    let none = crate::scheme::DEFAULT_TOML.replace("working_days = 5", "working_days = 0");
    campaign::set_scheme(&mut store, 2026, &none, OPERATOR).unwrap();
    select::run(&mut store, 2026, OPERATOR).unwrap();
    let e = start(&mut store, 2026, from, None, OPERATOR).unwrap_err();
    assert_eq!(e.code(), "publicity.not_applicable");
    let s = standing(&store, 2026, from).unwrap();
    assert_eq!(
        (s.working_days, s.blocks.len(), s.can_publish_on),
        (0, 0, None)
    );
    campaign::publish(&mut store, 2026, "X〔2026〕1号", from, OPERATOR).unwrap();
    // A published campaign takes no round.
    let e = start(&mut store, 2026, from, Some(5), OPERATOR).unwrap_err();
    assert_eq!(e.code(), "campaign.locked");
}

#[test]
fn ties_must_be_resolved_before_the_list_is_publicised() {
    let mut store = selected_campaign();
    // Two agencies with the same composite for the last seat: 广州市公安局's return
    // becomes 中共广州市委组织部's in every score.
    store
        .conn()
        .execute_batch(
            "UPDATE returns SET components = (SELECT components FROM returns r
                 JOIN agencies a ON a.id = r.agency_id WHERE a.name = '中共广州市委组织部'),
             daily = (SELECT daily FROM returns r
                 JOIN agencies a ON a.id = r.agency_id WHERE a.name = '中共广州市委组织部')
             WHERE agency_id = (SELECT id FROM agencies WHERE name = '广州市公安局');",
        )
        .unwrap();
    let sel = select::run(&mut store, 2026, OPERATOR).unwrap();
    assert!(sel.pools.iter().any(|p| p.tie_pending > 0));
    let e = start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap_err();
    assert_eq!(
        e.to_string(),
        "还有2家单位并列待定，请先由评审组决定后再公示"
    );
}

#[test]
fn every_publish_refusal_names_what_is_missing() {
    let mut store = selected_campaign();
    let publish = |store: &mut Store, on: &str| {
        campaign::publish(store, 2026, "粤直工〔2026〕12号", d(on), OPERATOR)
    };
    // No round yet.
    assert_eq!(
        blocks_on(&store, "2026-12-01"),
        ["尚未公示（评选方案要求公示5个工作日），请先开始公示"]
    );
    let e = publish(&mut store, "2026-12-01").unwrap_err();
    assert_eq!(e.code(), "publish.blocked");
    assert!(matches!(
        &e,
        CampaignError::Blocked(Blocked { blocks, .. })
            if blocks == &[Block::NotStarted { working_days: 5 }]
    ));
    start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
    let s = standing(&store, 2026, d("2026-11-06")).unwrap();
    assert_eq!(s.can_publish_on, Some(d("2026-11-09")));
    assert_eq!(s.missing_years, [2026]);
    // (date, objections recorded so far, refusals)
    let mut objections = 0;
    for (on, add, want) in [
        // The last day of the period is still in it; the day after is not.
        ("2026-11-06", 0, &["公示期至11月6日，尚未结束"][..]),
        ("2026-11-07", 0, &[]),
        // Two objections, one of them while the period runs, the other late.
        (
            "2026-11-05",
            2,
            &["公示期至11月6日，尚未结束", "还有2条异议未处理"],
        ),
        ("2026-11-09", 0, &["还有2条异议未处理"]),
    ] {
        for _ in 0..add {
            objections += 1;
            let date = if objections == 1 {
                "2026-11-03"
            } else {
                "2026-11-08"
            };
            add_one(&mut store, SELECTED[objections - 1], date);
        }
        assert_eq!(blocks_on(&store, on), want, "{on}");
    }
    let e = publish(&mut store, "2026-11-05").unwrap_err();
    assert_eq!(
        e.to_string(),
        "不能发布：公示期至11月6日，尚未结束；还有2条异议未处理"
    );
    assert!(matches!(
        &e,
        CampaignError::Blocked(Blocked { blocks, on, .. })
            if *on == d("2026-11-05") && blocks == &[
                Block::PeriodRunning { end: d("2026-11-06"), year: 2026 },
                Block::ObjectionsOpen { count: 2 },
            ]
    ));
    assert_eq!(
        standing(&store, 2026, d("2026-11-09"))
            .unwrap()
            .can_publish_on,
        None
    );

    // The first is rejected: nothing else changes.
    let ids: Vec<i64> = list(&store, 2026).unwrap().iter().map(|o| o.id).collect();
    let before = select::latest(&store, 2026).unwrap().unwrap().selection;
    resolve(
        &mut store,
        2026,
        ids[0],
        ObjectionResolution::Rejected,
        "经核实不属实",
        d("2026-11-10"),
        OPERATOR,
    )
    .unwrap();
    assert_eq!(
        select::latest(&store, 2026).unwrap().unwrap().selection,
        before
    );
    assert_eq!(blocks_on(&store, "2026-11-10"), ["还有1条异议未处理"]);
    // The second (late) is upheld: its agency is excluded and the next moves up, which
    // needs a supplementary round.
    resolve(
        &mut store,
        2026,
        ids[1],
        ObjectionResolution::Upheld,
        "经核实属实",
        d("2026-11-10"),
        OPERATOR,
    )
    .unwrap();
    assert_eq!(
        blocks_on(&store, "2026-11-10"),
        [format!("{NEXT}递补入选，尚未公示")]
    );
    assert!(matches!(
        publish(&mut store, "2026-11-10").unwrap_err(),
        CampaignError::Blocked(Blocked { blocks, .. })
            if blocks == [Block::NotPublicised { names: vec![NEXT.to_string()] }]
    ));
    assert_eq!(
        standing(&store, 2026, d("2026-11-10"))
            .unwrap()
            .can_publish_on,
        None
    );
    let supplementary = start(&mut store, 2026, d("2026-11-11"), None, OPERATOR).unwrap();
    assert_eq!(
        (
            supplementary.number,
            supplementary.supplementary,
            names(&supplementary),
            supplementary.to
        ),
        (2, true, vec![NEXT], d("2026-11-17"))
    );
    assert_eq!(
        blocks_on(&store, "2026-11-17"),
        ["公示期至11月17日，尚未结束"]
    );
    assert_eq!(
        standing(&store, 2026, d("2026-11-17"))
            .unwrap()
            .can_publish_on,
        Some(d("2026-11-18"))
    );
    let p = publish(&mut store, "2026-11-18").unwrap();
    assert_eq!(p.awards, 4);
    assert_eq!(
        campaign::get(&store, 2026).unwrap().status,
        CampaignStatus::Published
    );
    // Published: the publicity is closed.
    let e = add(&mut store, &objection(NEXT, "2026-11-19", None), OPERATOR).unwrap_err();
    assert_eq!(e.to_string(), "2026年度评选已发布，不能再公示或处理异议");
}

fn add_one(store: &mut Store, agency: &str, date: &str) -> ObjectionView {
    add(store, &objection(agency, date, None), OPERATOR).unwrap()
}

#[test]
fn an_upheld_objection_excludes_through_an_override_in_one_transaction() {
    let mut store = selected_campaign();
    start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
    let o = add_one(&mut store, SELECTED[3], "2026-11-04");
    let audit_before = audit::verify(store.conn()).unwrap().rows;
    let done = resolve(
        &mut store,
        2026,
        o.id,
        ObjectionResolution::Upheld,
        " 经核实 属实 ",
        d("2026-11-06"),
        OPERATOR,
    )
    .unwrap();
    assert_eq!(
        (done.resolution, done.reason.as_deref(), done.resolved_on),
        (
            Some(ObjectionResolution::Upheld),
            Some("经核实 属实"),
            Some(d("2026-11-06"))
        )
    );
    let overrides = crate::store::overrides::list(store.conn(), 2026).unwrap();
    assert_eq!(overrides.len(), 1);
    assert_eq!(
        (overrides[0].action, overrides[0].reason.as_str()),
        (OverrideAction::Exclude, "公示异议成立：经核实 属实")
    );
    let row = stored::get(store.conn(), o.id).unwrap().unwrap();
    assert_eq!(row.override_id, Some(overrides[0].id));
    let sel = select::latest(&store, 2026).unwrap().unwrap().selection;
    let status = |name: &str| sel.results.iter().find(|r| r.name == name).unwrap().status;
    assert_eq!(status(SELECTED[3]), SelectionStatus::NotSelected);
    assert_eq!(status(NEXT), SelectionStatus::Selected);
    // The override, the run it makes and the resolution: three audit rows, one chain.
    let log = audit::list(store.conn(), &audit::Filter::default()).unwrap();
    let actions: Vec<&str> = log.iter().take(3).map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["objection.resolve", "selection.run", "select.override"]
    );
    let v = audit::verify(store.conn()).unwrap();
    assert_eq!((v.rows, v.broken), (audit_before + 3, None));

    // An upheld objection whose exclusion cannot be recorded leaves the objection open.
    let o2 = add_one(&mut store, SELECTED[0], "2026-11-05");
    store
        .conn()
        .execute_batch("UPDATE returns SET state = 'withdrawn' WHERE agency_id = (SELECT id FROM agencies WHERE name = '广州市应急管理局')")
        .unwrap();
    let e = resolve(
        &mut store,
        2026,
        o2.id,
        ObjectionResolution::Upheld,
        "属实",
        d("2026-11-06"),
        OPERATOR,
    )
    .unwrap_err();
    assert_eq!(e.code(), "override.agency_not_found");
    assert_eq!(
        stored::get(store.conn(), o2.id)
            .unwrap()
            .unwrap()
            .resolution,
        None
    );
    assert_eq!(
        crate::store::overrides::list(store.conn(), 2026)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn objections_are_checked_marked_late_and_settled_once() {
    let mut store = selected_campaign();
    let e = add(
        &mut store,
        &objection(SELECTED[0], "2026-11-03", None),
        OPERATOR,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "2026年度尚未公示，不能登记异议");
    start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
    // (agency, date, expected: Ok(late) or Err(message))
    let cases: [(&str, &str, Result<bool, &str>); 7] = [
        (SELECTED[0], "2026-11-02", Ok(false)),
        (SELECTED[0], "2026-11-06", Ok(false)),
        (SELECTED[0], "2026-11-07", Ok(true)),
        // By USCC too.
        ("11440100848834635E", "2026-11-30", Ok(true)),
        (
            SELECTED[1],
            "2026-11-01",
            Err("异议收到日期2026-11-01早于“广州市人民检察院”的公示开始日期2026-11-02"),
        ),
        (
            NEXT,
            "2026-11-03",
            Err("“广州市公安局”不在2026年度的公示名单中"),
        ),
        (
            "广州市 不存在局",
            "2026-11-03",
            Err("“广州市 不存在局”不在2026年度的公示名单中"),
        ),
    ];
    for (agency, date, want) in cases {
        match (
            add(&mut store, &objection(agency, date, None), OPERATOR),
            want,
        ) {
            (Ok(o), Ok(late)) => assert_eq!(o.late, late, "{agency} {date}"),
            (Err(e), Err(message)) => assert_eq!(e.to_string(), message, "{agency} {date}"),
            (got, _) => panic!("{agency} {date}: {got:?}"),
        }
    }
    let mut empty = objection(SELECTED[0], "2026-11-03", None);
    empty.content = "  ";
    assert_eq!(
        add(&mut store, &empty, OPERATOR).unwrap_err().to_string(),
        "请填写异议内容"
    );
    let all = list(&store, 2026).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].name, "广州市人民检察院");
    assert_eq!(all[3].uscc.as_deref(), Some("11440100848834635E"));
    // Settled once, with a reason, not before it came.
    let id = all[2].id;
    let settle = |store: &mut Store, reason: &str, on: &str| {
        resolve(
            store,
            2026,
            id,
            ObjectionResolution::Rejected,
            reason,
            d(on),
            OPERATOR,
        )
    };
    assert_eq!(
        settle(&mut store, " ", "2026-11-10")
            .unwrap_err()
            .to_string(),
        "请填写处理理由"
    );
    assert_eq!(
        settle(&mut store, "不属实", "2026-11-06")
            .unwrap_err()
            .to_string(),
        "处理日期2026-11-06早于异议收到日期2026-11-07"
    );
    let late = settle(&mut store, "不属实", "2026-11-10").unwrap();
    assert!(late.late && late.resolution == Some(ObjectionResolution::Rejected));
    assert_eq!(
        settle(&mut store, "再议", "2026-11-11")
            .unwrap_err()
            .to_string(),
        format!("第{id}号异议已处理（异议不成立），不能再次处理")
    );
    let e = resolve(
        &mut store,
        2026,
        999,
        ObjectionResolution::Upheld,
        "x",
        d("2026-11-10"),
        OPERATOR,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "2026年度没有编号为999的异议");
    crate::campaign::create(&mut store, 2027, None, OPERATOR).unwrap();
    let e = resolve(
        &mut store,
        2027,
        id,
        ObjectionResolution::Upheld,
        "x",
        d("2027-11-10"),
        OPERATOR,
    )
    .unwrap_err();
    assert_eq!(
        e.code(),
        "objection.not_found",
        "another campaign's objection"
    );
    assert_eq!(parse_channel("电子邮件"), Some(ObjectionChannel::Email));
    assert_eq!(parse_channel("phone"), Some(ObjectionChannel::Phone));
    assert_eq!(parse_channel("传真"), None);
}

#[test]
fn status_is_the_json_of_the_specification() {
    let mut store = selected_campaign();
    crate::calendar::import_text(&mut store, "测试.toml", TEST_2026, OPERATOR).unwrap();
    // A period over the year end, 2027 without an arrangement.
    start(&mut store, 2026, d("2026-12-28"), None, OPERATOR).unwrap();
    add_one(&mut store, SELECTED[2], "2026-12-29");
    let (json, _) = status(&store, 2026, d("2026-12-30")).unwrap();
    let value = serde_json::to_value(&json).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "campaign": 2026,
            "rounds": [{
                "from": "2026-12-28",
                "to": "2027-01-01",
                "agencies": ["114401001137353021", "11440100848834635E", "11440100070355931N", "114401004270428670"],
            }],
            "calendar_missing": true,
            "objections_open": 1,
            "can_publish_on": null,
            "blocked_by": ["公示期至2027年1月1日，尚未结束", "还有1条异议未处理"],
        })
    );
    let s = standing(&store, 2026, d("2026-12-30")).unwrap();
    assert_eq!(warnings(&s), ["未设置2027年节假日安排，仅按周末计算"]);
    // With 2027's arrangement (test data: 1 January off) the next round counts it.
    crate::calendar::import_text(
        &mut store,
        "2027.toml",
        "[[years]]\nyear = 2027\nholidays = [2027-01-01]\n",
        OPERATOR,
    )
    .unwrap();
    let p = crate::calendar::Calendar::load(store.conn())
        .unwrap()
        .last_of(d("2026-12-28"), 5);
    assert_eq!((p.day, p.missing_years.len()), (d("2027-01-04"), 0));
}
