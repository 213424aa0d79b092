use std::str::FromStr;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn award(year: i32, status: AwardStatus) -> AwardRow {
    AwardRow {
        id: 1,
        agency_id: 7,
        uscc: None,
        name: "某局".into(),
        tier: Tier::County,
        region: Some("某区".into()),
        unit_type: "政府机关".into(),
        title: "模范机关".into(),
        year,
        doc_number: None,
        status,
        last_review_year: None,
        rectify_deadline: None,
        revoked_year: None,
    }
}

fn facts(composite: &str) -> Facts {
    Facts {
        composite: Some(d(composite)),
        ..Facts::default()
    }
}

fn settings() -> ReviewSettings {
    Scheme::default_scheme().review
}

const DATE: &str = "2026-12-01";

#[test]
fn months_are_clamped_to_the_end_of_the_month() {
    assert_eq!(add_months(day("2026-08-31"), 6), day("2027-02-28"));
    assert_eq!(add_months(day("2027-08-31"), 6), day("2028-02-29"));
    assert_eq!(add_months(day("2026-12-01"), 6), day("2027-06-01"));
    assert_eq!(add_months(day("2026-01-31"), 1), day("2026-02-28"));
}

#[test]
fn cycle_exactly_reached_and_not() {
    let s = settings();
    let f = facts("90");
    assert_eq!(
        trigger(
            &s,
            2026,
            day(DATE),
            &award(2023, AwardStatus::Active),
            Some(&f)
        ),
        Some(Trigger::Cycle)
    );
    assert_eq!(
        trigger(
            &s,
            2026,
            day(DATE),
            &award(2024, AwardStatus::Active),
            Some(&f)
        ),
        None
    );
    // The last review restarts the cycle.
    let mut a = award(2020, AwardStatus::Active);
    a.last_review_year = Some(2024);
    assert_eq!(trigger(&s, 2026, day(DATE), &a, Some(&f)), None);
    a.last_review_year = Some(2023);
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Cycle)
    );
}

#[test]
fn deadline_on_the_review_date_versus_the_day_before() {
    let s = settings();
    let f = facts("90");
    let mut a = award(2025, AwardStatus::Rectifying);
    a.rectify_deadline = Some(DATE.into());
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        None,
        "deadline = review date has not passed"
    );
    a.rectify_deadline = Some("2026-11-30".into());
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Deadline)
    );
    let (o, reasons, deadline) = outcome(&s, day(DATE), &a, Some(&f));
    assert_eq!(
        (o, reasons, deadline),
        (
            Outcome::Revoke,
            vec!["整改期满未完成整改".to_string()],
            None
        )
    );
    // An active award with an old deadline (rectified) is not caught by it.
    a.status = AwardStatus::Active;
    assert_eq!(trigger(&s, 2026, day(DATE), &a, Some(&f)), None);
}

#[test]
fn complaints_at_the_trigger_and_below() {
    let s = settings();
    let a = award(2025, AwardStatus::Active);
    let mut f = facts("90");
    f.complaints = Some(5);
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Complaints)
    );
    f.complaints = Some(4);
    assert_eq!(trigger(&s, 2026, day(DATE), &a, Some(&f)), None);
}

#[test]
fn the_first_trigger_wins() {
    let s = settings();
    let mut a = award(2020, AwardStatus::Rectifying);
    a.rectify_deadline = Some("2026-01-01".into());
    let mut f = facts("90");
    f.complaints = Some(9);
    f.vetoes = vec!["发生严重违纪违法问题".into()];
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Veto)
    );
    f.vetoes.clear();
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Deadline)
    );
    a.status = AwardStatus::Active;
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Complaints)
    );
    f.complaints = None;
    assert_eq!(
        trigger(&s, 2026, day(DATE), &a, Some(&f)),
        Some(Trigger::Cycle)
    );
}

#[test]
fn outcome_rules_in_order_with_boundaries() {
    let s = settings();
    let a = award(2023, AwardStatus::Active);
    let date = day(DATE);
    let six = Some(day("2027-06-01"));
    type Case = (Option<Facts>, Outcome, Vec<&'static str>, Option<NaiveDate>);
    let cases: Vec<Case> = vec![
        (
            Some(Facts {
                vetoes: vec!["发生重大安全责任事故".into()],
                ..facts("99")
            }),
            Outcome::Revoke,
            vec!["一票否决：发生重大安全责任事故"],
            None,
        ),
        (None, Outcome::Rectify, vec!["未报送复查材料"], six),
        (
            Some(Facts::default()),
            Outcome::Rectify,
            vec!["复查材料不完整"],
            six,
        ),
        (
            Some(facts("74.99")),
            Outcome::Revoke,
            vec!["综合得分74.99分，低于撤销线75分"],
            None,
        ),
        (
            Some(facts("75")),
            Outcome::Rectify,
            vec!["综合得分75.00分，低于保留线85分"],
            six,
        ),
        (
            Some(facts("84.99")),
            Outcome::Rectify,
            vec!["综合得分84.99分，低于保留线85分"],
            six,
        ),
        (Some(facts("85")), Outcome::Retain, vec![], None),
    ];
    for (f, want_o, want_r, want_d) in cases {
        let (o, r, dl) = outcome(&s, date, &a, f.as_ref());
        assert_eq!((o, dl), (want_o, want_d), "{f:?}");
        assert_eq!(r, want_r, "{f:?}");
    }
}

#[test]
fn rectification_rate_at_the_minimum_and_below() {
    let s = settings();
    let a = award(2023, AwardStatus::Active);
    let with = |total, fixed| Facts {
        problems_total: total,
        problems_fixed: fixed,
        ..facts("90")
    };
    let o = |f: Facts| outcome(&s, day(DATE), &a, Some(&f));
    assert_eq!(
        o(with(Some(10), Some(8))).0,
        Outcome::Retain,
        "8/10 = 0.8 is not below 0.8"
    );
    let (out, reasons, _) = o(with(Some(10), Some(7)));
    assert_eq!(out, Outcome::Rectify);
    assert_eq!(reasons, vec!["问题整改率70.00%（7/10），低于80%"]);
    assert_eq!(
        o(with(Some(0), Some(0))).0,
        Outcome::Retain,
        "no problems listed: no test"
    );
    assert_eq!(o(with(None, None)).0, Outcome::Retain);
    assert_eq!(
        o(with(Some(4), None)).0,
        Outcome::Rectify,
        "problems listed, none fixed"
    );
    // Both reasons when both rules fail.
    let f = Facts {
        composite: Some(d("80")),
        ..with(Some(10), Some(5))
    };
    assert_eq!(o(f).1.len(), 2);
}

#[test]
fn review_lists_only_due_held_awards() {
    let scheme = Scheme::default_scheme();
    let mut due = award(2023, AwardStatus::Active);
    due.id = 1;
    due.agency_id = 1;
    let mut recent = award(2025, AwardStatus::Active);
    recent.id = 2;
    recent.agency_id = 2;
    let mut revoked = award(2019, AwardStatus::Revoked);
    revoked.id = 3;
    revoked.agency_id = 3;
    let facts: HashMap<i64, Facts> = [(1, facts("80")), (2, facts("95")), (3, facts("95"))].into();
    let rows = review(&scheme, 2026, day(DATE), &[due, recent, revoked], &facts);
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (r.award_id, r.trigger, r.outcome),
        (1, Trigger::Cycle, Outcome::Rectify)
    );
    assert_eq!(r.deadline, Some(day("2027-06-01")));
    let j = to_json(&rows);
    assert_eq!(
        j[0],
        serde_json::json!({"uscc": null, "name": "某局", "award_year": 2023, "trigger": "cycle",
            "outcome": "rectify", "reasons": ["综合得分80.00分，低于保留线85分"], "deadline": "2027-06-01"})
    );
}
