use chrono::NaiveDate;

use super::*;
use crate::store::awards::AwardStatus;
use crate::ui::testing::{campaign_with, opts, sample, OPERATOR};
use crate::vocab::RunInput;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn item(deadline: Option<&str>, done_on: Option<&str>) -> ItemFields {
    ItemFields {
        kind: LedgerKind::Problem,
        level: None,
        source: Some(LedgerSource::SelfCheck),
        year: 2026,
        text: "问题".into(),
        measures: None,
        owner: None,
        deadline: deadline.map(d),
        done_on: done_on.map(d),
        evidence: None,
    }
}

/// The status on 2026-06-10 with 7 warning days, at every boundary.
#[test]
fn status_on_a_date_at_every_boundary() {
    let on = d("2026-06-10");
    for (deadline, done_on, want) in [
        // Not done.
        (Some("2026-06-09"), None, LedgerStatus::Overdue), // deadline < D
        (Some("2026-06-10"), None, LedgerStatus::DueSoon), // deadline = D
        (Some("2026-06-17"), None, LedgerStatus::DueSoon), // = D + warn_days
        (Some("2026-06-18"), None, LedgerStatus::Open),    // = D + warn_days + 1
        (None, None, LedgerStatus::Open),                  // a standing responsibility
        // Done, whenever: on the deadline, after it, after D.
        (Some("2026-06-01"), Some("2026-06-01"), LedgerStatus::Done),
        (Some("2026-06-01"), Some("2026-06-05"), LedgerStatus::Done),
        (Some("2026-06-01"), Some("2026-07-01"), LedgerStatus::Done),
    ] {
        assert_eq!(
            status(&item(deadline, done_on), on, 7),
            want,
            "{deadline:?} {done_on:?}"
        );
    }
    // No warning days: due soon only on the deadline itself.
    assert_eq!(
        status(&item(Some("2026-06-10"), None), on, 0),
        LedgerStatus::DueSoon
    );
    assert_eq!(
        status(&item(Some("2026-06-11"), None), on, 0),
        LedgerStatus::Open
    );
}

#[test]
fn settings_come_from_the_campaign_of_the_date_s_year() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(
        settings_on(store.conn(), d("2026-06-10")).unwrap(),
        LedgerSettings::default()
    );
    let mut s = crate::scheme::Scheme::default_scheme();
    s.ledger.warn_days = 3;
    s.ledger.overdue_blocks_selection = false;
    crate::campaign::create(&mut store, 2026, Some(&s.to_toml()), OPERATOR).unwrap();
    let got = settings_on(store.conn(), d("2026-06-10")).unwrap();
    assert_eq!((got.warn_days, got.overdue_blocks_selection), (3, false));
    // Another year without a campaign: the defaults.
    assert_eq!(
        settings_on(store.conn(), d("2027-01-02")).unwrap(),
        LedgerSettings::default()
    );
}

const PROCURATORATE: &str = "广州市人民检察院";

fn new_problem(text: &str, deadline: &str) -> NewItem {
    NewItem {
        agency: PROCURATORATE.into(),
        kind: LedgerKind::Problem,
        text: text.into(),
        deadline: Some(d(deadline)),
        measures: Some("建立制度".into()),
        owner: Some("办公室".into()),
        source: None,
        level: None,
        year: None,
        supervision: None,
    }
}

#[test]
fn manual_entries_are_checked_audited_and_keep_their_history() {
    let mut store = campaign_with(&["00_广州市.xlsx"]);
    let a = add(
        &mut store,
        &new_problem("制度不健全。", "2026-06-30"),
        "张三",
    )
    .unwrap();
    assert_eq!(
        a.source,
        Some(LedgerSource::Other),
        "a problem's default source"
    );
    assert_eq!(a.year, 2026, "the deadline's year");
    assert_eq!(a.name, PROCURATORATE);
    // The same text (normalised: the full stop, width, spaces) is refused, naming the item.
    let e = add(
        &mut store,
        &new_problem(" 制度不健全 ", "2026-07-30"),
        "张三",
    )
    .unwrap_err();
    assert_eq!(e.code(), "ledger.exists");
    assert_eq!(
        e.to_string(),
        format!("“{PROCURATORATE}”的问题清单中已有相同事项（编号{}）", a.id)
    );
    for (new, code) in [
        (
            NewItem {
                deadline: None,
                ..new_problem("无时限", "2026-06-30")
            },
            "ledger.deadline_required",
        ),
        (
            NewItem {
                kind: LedgerKind::Task,
                source: Some(LedgerSource::Audit),
                ..new_problem("任务", "2026-06-30")
            },
            "ledger.source_not_allowed",
        ),
        (
            NewItem {
                level: Some(LedgerLevel::Branch),
                ..new_problem("层级", "2026-06-30")
            },
            "ledger.level_not_allowed",
        ),
        (
            NewItem {
                agency: "广州市不存在局".into(),
                ..new_problem("单位", "2026-06-30")
            },
            "agency.not_found",
        ),
        (
            NewItem {
                text: "  ".into(),
                ..new_problem("", "2026-06-30")
            },
            "ledger.text",
        ),
    ] {
        assert_eq!(add(&mut store, &new, "张三").unwrap_err().code(), code);
    }
    // A responsibility needs no deadline.
    let r = add(
        &mut store,
        &NewItem {
            kind: LedgerKind::Responsibility,
            level: Some(LedgerLevel::PartyGroup),
            deadline: None,
            year: Some(2026),
            ..new_problem("履行主体责任", "2026-06-30")
        },
        "张三",
    )
    .unwrap();
    assert_eq!(r.status, LedgerStatus::Open);

    let m = mark_done(
        &mut store,
        a.id,
        d("2026-06-20"),
        Some("制度已印发"),
        "李四",
    )
    .unwrap();
    assert_eq!(m.item.status, LedgerStatus::Done);
    assert_eq!(m.rectified_award, None);
    let again = mark_done(&mut store, a.id, d("2026-06-21"), None, "李四").unwrap_err();
    assert_eq!(
        again.to_string(),
        format!("台账事项{}已于2026-06-20完成，不能再次标记完成", a.id)
    );
    assert_eq!(
        mark_done(&mut store, 9999, d("2026-06-21"), None, "李四")
            .unwrap_err()
            .code(),
        "ledger.not_found"
    );
    let h = history(&store, a.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].operator.as_str(), h[0].cause.as_str()),
        ("李四", "标记完成")
    );
    let actions: Vec<String> = crate::audit::list(store.conn(), &Default::default())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "ledger.add").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "ledger.done").count(), 1);
    crate::audit::verify(store.conn()).unwrap();

    // Filters and the date of the listing.
    let l = list(
        &store,
        &Filter {
            kind: Some(LedgerKind::Problem),
            ..Filter::default()
        },
        d("2026-07-01"),
    )
    .unwrap();
    assert_eq!(l.items.len(), 1);
    assert_eq!(l.items[0].status, LedgerStatus::Done);
    let open = list(
        &store,
        &Filter {
            status: Some(LedgerStatus::Open),
            agency: Some("11440100848834635E".into()),
            ..Filter::default()
        },
        d("2026-07-01"),
    )
    .unwrap();
    assert_eq!(open.items.iter().map(|i| i.id).collect::<Vec<_>>(), [r.id]);
}

/// An applied `rectify` outcome adds a problem (source 复查, the reasons, the deadline) in
/// the review's transaction; `awards rectified` marks it done, and marking it done accepts
/// the rectification.
#[test]
fn the_review_and_the_ledger_are_linked_both_ways() {
    let mut store = campaign_with(&["00_广州市.xlsx", "03_广州市越秀区.xlsx"]);
    let reg = crate::import::Registry::open(&store).unwrap();
    crate::import::import_file(&mut store, &reg, &sample("awards.xlsx"), &opts()).unwrap();
    let date = d("2026-12-01");
    let applied = crate::review::apply(&mut store, 2026, date, OPERATOR).unwrap();
    let rectify: Vec<_> = applied
        .reviews
        .iter()
        .filter(|r| r.outcome == crate::vocab::Outcome::Rectify)
        .collect();
    assert!(
        rectify.len() >= 2,
        "the sample puts two under rectification"
    );
    let problems = list(
        &store,
        &Filter {
            kind: Some(LedgerKind::Problem),
            ..Filter::default()
        },
        date,
    )
    .unwrap()
    .items;
    assert_eq!(problems.len(), rectify.len());
    for r in &rectify {
        let p = problems
            .iter()
            .find(|p| p.agency_id == r.agency_id)
            .unwrap();
        assert_eq!(p.source, Some(LedgerSource::Review));
        assert_eq!(p.text, review_text(2026, &r.reasons));
        assert_eq!(p.deadline, r.deadline);
        assert_eq!(p.provenance, "2026年度复查");
        assert!(p.review_id.is_some());
    }

    // One way: the rectification accepted marks its problem done.
    let first = rectify[0];
    crate::review::mark_rectified_by_id(&mut store, first.award_id, d("2026-12-20"), OPERATOR)
        .unwrap();
    let p = problems
        .iter()
        .find(|p| p.agency_id == first.agency_id)
        .unwrap();
    let now = crate::store::ledger::get(store.conn(), p.id)
        .unwrap()
        .unwrap();
    assert_eq!(now.fields.done_on, Some(d("2026-12-20")));

    // The other: the problem marked done accepts the rectification.
    let second = rectify[1];
    let p = problems
        .iter()
        .find(|p| p.agency_id == second.agency_id)
        .unwrap();
    let early = mark_done_as_of(
        &mut store,
        p.id,
        d("2026-11-30"),
        None,
        OPERATOR,
        d("2026-12-21"),
    )
    .unwrap_err();
    assert_eq!(early.code(), "ledger.done_before_review");
    // The rectification is reported after the review: "today" is then later still.
    let m = mark_done_as_of(
        &mut store,
        p.id,
        d("2026-12-21"),
        Some("整改报告"),
        OPERATOR,
        d("2026-12-21"),
    )
    .unwrap();
    assert_eq!(m.rectified_award, Some(second.award_id));
    let award = crate::store::awards::list(store.conn())
        .unwrap()
        .into_iter()
        .find(|a| a.id == second.award_id)
        .unwrap();
    assert_eq!(award.status, AwardStatus::Active);
}

/// A done date after today is refused by hand as the import refuses it, naming the date;
/// today itself and any earlier day are accepted. Nothing is written by a refusal.
#[test]
fn a_done_date_after_today_is_refused() {
    let today = d("2026-06-15");
    for (date, refused) in [
        ("2026-06-16", true),  // tomorrow
        ("2027-01-01", true),  // next year
        ("2026-06-15", false), // today
        ("2026-06-14", false), // yesterday
        ("2025-12-31", false), // last year
    ] {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let a = add(&mut store, &new_problem("整改未完成", "2026-06-30"), "张三").unwrap();
        let audit_before = crate::audit::list(store.conn(), &Default::default())
            .unwrap()
            .len();
        let got = mark_done_as_of(&mut store, a.id, d(date), Some("已整改"), "张三", today);
        if refused {
            let e = got.unwrap_err();
            assert_eq!(e.code(), "ledger.done_in_future", "{date}");
            assert_eq!(
                e.to_string(),
                format!("完成日期{date}晚于今天（2026-06-15）")
            );
            let row = crate::store::ledger::get(store.conn(), a.id)
                .unwrap()
                .unwrap();
            assert_eq!(row.fields.done_on, None, "{date}");
            assert!(history(&store, a.id).unwrap().is_empty(), "{date}");
            assert_eq!(
                crate::audit::list(store.conn(), &Default::default())
                    .unwrap()
                    .len(),
                audit_before
            );
        } else {
            let m = got.unwrap();
            assert_eq!(m.item.done_on, Some(d(date)), "{date}");
        }
    }
}

/// With `overdue_blocks_selection`, an overdue problem on the reference date makes an
/// agency ineligible; the date is stored with the run, and a ledger change marks the result
/// stale naming 清单台账.
#[test]
fn overdue_problems_block_the_selection_on_its_reference_date() {
    let mut store = campaign_with(&["00_广州市.xlsx"]);
    let a = add(&mut store, &new_problem("整改未完成", "2026-10-31"), "张三").unwrap();
    add(&mut store, &new_problem("另一问题", "2026-11-15"), "张三").unwrap();
    let reason = |sel: &crate::select::Selection| {
        sel.results
            .iter()
            .find(|r| r.name == PROCURATORATE)
            .unwrap()
            .reasons
            .clone()
    };
    // On the deadline itself: not overdue.
    let sel = crate::select::run_on(&mut store, 2026, d("2026-10-31"), "张三").unwrap();
    assert!(
        !reason(&sel).iter().any(|r| r.contains("逾期")),
        "{:?}",
        reason(&sel)
    );
    assert_eq!(sel.reference_date, Some(d("2026-10-31")));
    let sel = crate::select::run_on(&mut store, 2026, d("2026-11-16"), "张三").unwrap();
    assert!(
        reason(&sel).contains(&"有2项逾期未整改问题".to_string()),
        "{:?}",
        reason(&sel)
    );
    let stored = crate::select::latest(&store, 2026).unwrap().unwrap();
    assert_eq!(stored.selection.reference_date, Some(d("2026-11-16")));
    assert!(!stored.state.stale());

    // A ledger change the selection read: stale, naming 清单台账.
    mark_done(&mut store, a.id, d("2026-11-20"), None, "张三").unwrap();
    let state = crate::select::runs::state(&store, 2026).unwrap().unwrap();
    assert_eq!(state.changed, vec![RunInput::Ledger]);
    assert!(state.notice.unwrap().contains("清单台账有变化"));
    // A problem due after the reference date changes nothing the run read.
    add(&mut store, &new_problem("新问题", "2026-12-31"), "张三").unwrap();
    let sel = crate::select::run_on(&mut store, 2026, d("2026-11-16"), "张三").unwrap();
    assert!(reason(&sel).contains(&"有1项逾期未整改问题".to_string()));
    add(
        &mut store,
        &new_problem("再一个新问题", "2027-01-31"),
        "张三",
    )
    .unwrap();
    assert!(!crate::select::runs::state(&store, 2026)
        .unwrap()
        .unwrap()
        .stale());

    // Turned off in the scheme: no reason, and the ledger is not read at all.
    let mut s = crate::scheme::Scheme::default_scheme();
    s.ledger.overdue_blocks_selection = false;
    crate::campaign::set_scheme(&mut store, 2026, &s.to_toml(), "张三").unwrap();
    let sel = crate::select::run_on(&mut store, 2026, d("2026-11-16"), "张三").unwrap();
    assert!(
        !reason(&sel).iter().any(|r| r.contains("逾期")),
        "{:?}",
        reason(&sel)
    );
    add(&mut store, &new_problem("又一个问题", "2026-01-31"), "张三").unwrap();
    assert!(!crate::select::runs::state(&store, 2026)
        .unwrap()
        .unwrap()
        .stale());
}

#[test]
fn an_item_found_in_a_supervision_names_a_record_of_its_own_agency() {
    use crate::supervision::{add_supervision, AgencyRef, NewSupervisionRecord};
    use crate::vocab::SupervisionKind;
    let mut store = campaign_with(&["00_广州市.xlsx"]);
    let record = |store: &mut Store, agency: &str| {
        add_supervision(
            store,
            AgencyRef::Named(agency),
            &NewSupervisionRecord {
                kind: SupervisionKind::Inquiry,
                date: d("2026-03-01"),
                subject: "书面问询".into(),
                content: None,
                people: None,
            },
            OPERATOR,
        )
        .unwrap()
        .id
    };
    let ours = record(&mut store, PROCURATORATE);
    let theirs = record(&mut store, "广州市审计局");
    let found = |text: &str, supervision: i64| NewItem {
        supervision: Some(supervision),
        source: None,
        ..new_problem(text, "2026-06-30")
    };
    // Refused: a record that does not exist, one of another agency.
    for (new, code, message) in [
        (
            found("甲", 999),
            "ledger.supervision_not_found",
            "没有编号为999的督查记录".to_string(),
        ),
        (
            found("乙", theirs),
            "ledger.supervision_agency",
            format!(
                "督查记录{theirs}是对“广州市审计局”的督查，其发现的问题不能记在“{PROCURATORATE}”名下"
            ),
        ),
    ] {
        let e = add(&mut store, &new, OPERATOR).unwrap_err();
        assert_eq!((e.code(), e.to_string()), (code, message));
    }
    assert!(ledger_store::list(store.conn()).unwrap().is_empty());
    // A problem found in a supervision comes from 督查 unless told otherwise; any other
    // item has no record.
    let a = add(&mut store, &found("台账不全", ours), OPERATOR).unwrap();
    assert_eq!(
        (a.source, a.supervision_id),
        (Some(LedgerSource::Inspection), Some(ours))
    );
    let b = add(
        &mut store,
        &NewItem {
            source: Some(LedgerSource::Patrol),
            ..found("巡察发现", ours)
        },
        OPERATOR,
    )
    .unwrap();
    assert_eq!(b.source, Some(LedgerSource::Patrol));
    let c = add(&mut store, &new_problem("自己发现", "2026-06-30"), OPERATOR).unwrap();
    assert_eq!(
        (c.source, c.supervision_id),
        (Some(LedgerSource::Other), None)
    );
    assert_eq!(
        crate::store::ledger::ids_of_supervision(store.conn(), ours).unwrap(),
        [a.id, b.id]
    );
    let audit = crate::audit::list(store.conn(), &Default::default()).unwrap();
    assert!(audit.iter().any(
        |r| r.action == "ledger.add" && r.details.contains(&format!("\"supervision\":{ours}"))
    ));

    // The database holds the same rule against any other writer (migration 22).
    let other_agency = crate::store::supervision::get(store.conn(), theirs)
        .unwrap()
        .unwrap()
        .agency_id;
    let conn = store.conn();
    for (sql, ok) in [
        (
            format!(
                "UPDATE ledger_items SET supervision_id = {theirs} WHERE id = {}",
                c.id
            ),
            false,
        ),
        (
            format!(
                "UPDATE ledger_items SET supervision_id = 999 WHERE id = {}",
                c.id
            ),
            false,
        ),
        (
            format!(
                "UPDATE ledger_items SET agency_id = {other_agency} WHERE id = {}",
                a.id
            ),
            false,
        ),
        (
            format!(
                "UPDATE ledger_items SET supervision_id = {ours} WHERE id = {}",
                c.id
            ),
            true,
        ),
        (
            format!(
                "UPDATE ledger_items SET supervision_id = NULL WHERE id = {}",
                c.id
            ),
            true,
        ),
    ] {
        let r = conn.execute(&sql, []);
        assert_eq!(r.is_ok(), ok, "{sql}: {r:?}");
        if !ok {
            assert!(r
                .unwrap_err()
                .to_string()
                .contains("no supervision record of this agency"));
        }
    }
}
