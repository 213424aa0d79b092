//! 监督问责 (docs/specification.md §10): the supervision and accountability records of every
//! agency on one screen, filtered by agency, kind and a range of dates; each supervision
//! with the ledger items found in it, coloured by their status on a date (the 清单台账
//! screen's colours, [`tone`]); and 新增发现问题, a problem found in a supervision entered
//! into the ledger linked to its record ([`add_found`], `ledger::add_for`). The 登记督查
//! and 登记问责 dialogs ([`add_supervision`], [`add_accountability`]) serve this screen,
//! where the clerk chooses the agency, and the agency page, where it is fixed.
//!
//! The three dialogs are answered like 清单台账's 新增事项 (`super::ledger::add`): a refusal
//! of the core comes back at the field of the form it concerns ([`FieldError`]), so the
//! window shows it under that input and keeps what was typed; only a failure about no
//! field (the database) is an error of the call.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ledger::{tone, Added, FieldError, Tone};
use super::reviews::parse_date;
use super::UiError;
use crate::ledger::{self, NewItem};
use crate::limits::TextKind;
use crate::store::supervision as sup_store;
use crate::store::{agencies, Store};
use crate::supervision::{
    self, AccountabilityView, AgencyRef, NewAccountabilityRecord, NewSupervisionRecord,
    SupervisionError, SupervisionView,
};
use crate::vocab::{AccountabilityKind, LedgerKind, LedgerSource, LedgerStatus, SupervisionKind};
use crate::Coded;

/// What the screen asks for: every filter optional; statuses on today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionQuery {
    /// Only this agency (`agencies.id`).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub agency_id: Option<i64>,
    /// Only supervision records of this kind (accountability records are then left out).
    pub supervision_kind: Option<SupervisionKind>,
    /// Only accountability records of this kind (supervision records are then left out).
    pub accountability_kind: Option<AccountabilityKind>,
    /// Only records dated on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Only records dated on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
}

/// A ledger item found in a supervision, as a tag under its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FoundItem {
    /// Its number.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// The list.
    pub kind: LedgerKind,
    /// The text.
    pub text: String,
    /// The deadline.
    pub deadline: Option<NaiveDate>,
    /// When it was done.
    pub done_on: Option<NaiveDate>,
    /// Its status on the screen's date.
    pub status: LedgerStatus,
    /// The status's colour.
    pub tone: Tone,
}

impl From<ledger::Item> for FoundItem {
    fn from(i: ledger::Item) -> Self {
        FoundItem {
            id: i.id,
            kind: i.kind,
            tone: tone(i.status),
            text: i.text,
            deadline: i.deadline,
            done_on: i.done_on,
            status: i.status,
        }
    }
}

/// A supervision record with the items found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionEntry {
    /// The record.
    #[serde(flatten)]
    pub record: SupervisionView,
    /// `agencies.id` of its agency: the link to the agency page.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub agency_id: i64,
    /// The ledger items found in it, by id.
    pub found: Vec<FoundItem>,
}

/// An accountability record with its agency's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountabilityEntry {
    /// The record.
    #[serde(flatten)]
    pub record: AccountabilityView,
    /// `agencies.id` of its agency: the link to the agency page.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub agency_id: i64,
}

/// An agency that has a record: the agency filter's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencyChoice {
    /// `agencies.id`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// Its current name.
    pub name: String,
}

/// The 监督问责 screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionScreen {
    /// The date the found items' statuses are on (today).
    pub date: NaiveDate,
    /// The supervision records the filters keep, newest first.
    pub supervision: Vec<SupervisionEntry>,
    /// The accountability records the filters keep, newest first.
    pub accountability: Vec<AccountabilityEntry>,
    /// Every agency with a supervision or accountability record, by name.
    pub agencies: Vec<AgencyChoice>,
}

/// The screen on today.
pub fn screen(store: &Store, query: &SupervisionQuery) -> Result<SupervisionScreen, UiError> {
    screen_on(store, query, crate::today())
}

/// The screen with the found items' statuses on `date`.
pub fn screen_on(
    store: &Store,
    query: &SupervisionQuery,
    date: NaiveDate,
) -> Result<SupervisionScreen, UiError> {
    let from = query.from.as_deref().map(parse_date).transpose()?;
    let to = query.to.as_deref().map(parse_date).transpose()?;
    let in_range = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    let all_sup = supervision::supervision_of(store, None)?;
    let all_acc = supervision::accountability_of(store, None)?;
    let mut choices: BTreeMap<(String, i64), ()> = BTreeMap::new();
    for (id, name) in all_sup
        .iter()
        .map(|s| (s.agency_id, &s.name))
        .chain(all_acc.iter().map(|a| (a.agency_id, &a.name)))
    {
        choices.insert((name.clone(), id), ());
    }
    let mut found = supervision::found_items(store, date)?;
    let agency_ok = |id: i64| query.agency_id.is_none_or(|a| a == id);
    let mut sup: Vec<SupervisionEntry> = if query.accountability_kind.is_some() {
        Vec::new()
    } else {
        all_sup
            .into_iter()
            .filter(|s| agency_ok(s.agency_id) && in_range(s.date))
            .filter(|s| query.supervision_kind.is_none_or(|k| s.kind == k))
            .map(|s| SupervisionEntry {
                agency_id: s.agency_id,
                found: found
                    .remove(&s.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(FoundItem::from)
                    .collect(),
                record: s,
            })
            .collect()
    };
    let mut acc: Vec<AccountabilityEntry> = if query.supervision_kind.is_some() {
        Vec::new()
    } else {
        all_acc
            .into_iter()
            .filter(|a| agency_ok(a.agency_id) && in_range(a.date))
            .filter(|a| query.accountability_kind.is_none_or(|k| a.kind == k))
            .map(|a| AccountabilityEntry {
                agency_id: a.agency_id,
                record: a,
            })
            .collect()
    };
    // The store lists oldest first; the screen shows what happened last on top.
    sup.reverse();
    acc.reverse();
    Ok(SupervisionScreen {
        date,
        supervision: sup,
        accountability: acc,
        agencies: choices
            .into_keys()
            .map(|(name, id)| AgencyChoice { id, name })
            .collect(),
    })
}

/// The 新增发现问题 dialog's form: a problem found in supervision record `supervision_id`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FoundInput {
    /// The supervision record.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub supervision_id: i64,
    /// 问题描述.
    pub text: String,
    /// 整改时限 (YYYY-MM-DD).
    pub deadline: String,
    /// 整改措施 (blank: none).
    pub measures: Option<String>,
    /// 责任人 (blank: none).
    pub owner: Option<String>,
    /// 问题来源 (none: 督查).
    pub source: Option<LedgerSource>,
}

/// A refusal at field `field` of a form, with the core's message and code.
fn refusal(field: &str, e: &(impl Coded + std::fmt::Display)) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: e.to_string(),
        code: e.code().to_string(),
    }
}

/// Enters the problem of the 新增发现问题 form into the ledger, linked to its supervision
/// record and under the record's agency (audited `ledger.add`): the item with its status
/// on today, or the refusal at its field (`text`, `deadline`, `measures`, `owner`, as
/// 新增事项 places them). A record that does not exist is an error of the call: the
/// dialog is opened on a listed record.
pub fn add_found(store: &mut Store, input: &FoundInput, operator: &str) -> Result<Added, UiError> {
    let refused = |error: FieldError| Added {
        item: None,
        error: Some(error),
    };
    let deadline = match parse_date(&input.deadline) {
        Ok(d) => d,
        Err(e) => return Ok(refused(refusal("deadline", &e))),
    };
    let record = sup_store::get(store.conn(), input.supervision_id)?.ok_or(
        ledger::LedgerError::SupervisionNotFound(input.supervision_id),
    )?;
    let agency = agencies::get(store.conn(), record.agency_id)?.ok_or(
        ledger::LedgerError::SupervisionNotFound(input.supervision_id),
    )?;
    let added = ledger::add_for(
        store,
        agency.id,
        &agency.name,
        &NewItem {
            agency: agency.name.clone(),
            kind: LedgerKind::Problem,
            text: input.text.clone(),
            deadline: Some(deadline),
            measures: input.measures.clone(),
            owner: input.owner.clone(),
            source: input.source,
            level: None,
            year: None,
            supervision: Some(input.supervision_id),
        },
        operator,
    );
    match added {
        Ok(item) => Ok(Added {
            item: Some(item),
            error: None,
        }),
        Err(e) => match super::ledger::field_of(&e) {
            Some(field) => Ok(refused(refusal(field, &e))),
            None => Err(e.into()),
        },
    }
}

/// The 登记督查 dialog's form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionInput {
    /// `agencies.id` of the agency supervised (chosen on 监督问责, the page's on the agency
    /// page).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub agency_id: i64,
    /// Its kind.
    pub kind: SupervisionKind,
    /// The day (YYYY-MM-DD).
    pub date: String,
    /// Its subject.
    pub subject: String,
    /// What was found or said (blank: none).
    pub content: Option<String>,
    /// Who took part (blank: none).
    pub people: Option<String>,
}

/// What 登记督查 did: the record, or why not at which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionAdded {
    /// The record stored.
    pub record: Option<SupervisionView>,
    /// The refusal, when refused.
    pub error: Option<FieldError>,
}

/// The 登记问责 dialog's form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountabilityInput {
    /// `agencies.id` of the agency (chosen on 监督问责, the page's on the agency page).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub agency_id: i64,
    /// The cadre held accountable (blank: the organisation).
    pub person: Option<String>,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day (YYYY-MM-DD).
    pub date: String,
    /// Why.
    pub reason: String,
    /// 文号 (blank: none).
    pub doc_number: Option<String>,
}

/// What 登记问责 did: the record, or why not at which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountabilityAdded {
    /// The record stored.
    pub record: Option<AccountabilityView>,
    /// The refusal, when refused.
    pub error: Option<FieldError>,
}

/// The typed texts of the two forms and their keys there: a text's refusal names its label
/// (`TextKind::label`: "督查事由不能为空", "文号过长（…）").
const TEXT_FIELDS: [(TextKind, &str); 6] = [
    (TextKind::Subject, "subject"),
    (TextKind::Content, "content"),
    (TextKind::People, "people"),
    (TextKind::Person, "person"),
    (TextKind::Reason, "reason"),
    (TextKind::DocNumber, "doc_number"),
];

/// The field of the 登记督查 or 登记问责 form a refusal concerns; `None` for one about no
/// field (the database, the audit log), which stays an error of the call.
pub fn field_of(e: &SupervisionError) -> Option<&'static str> {
    let by_label = |matches: &dyn Fn(&str) -> bool| {
        TEXT_FIELDS
            .iter()
            .find(|(kind, _)| matches(kind.label()))
            .map(|(_, key)| *key)
    };
    match e {
        SupervisionError::Agency(_) => Some("agency_id"),
        SupervisionError::DateOutOfRange(_) => Some("date"),
        // A cadre's kind without the cadre: the name is what is missing.
        SupervisionError::PersonRequired(_) => Some("person"),
        // An organisation's kind with a name: the kind is what the clerk chose wrong.
        SupervisionError::NotForPerson { .. } => Some("kind"),
        SupervisionError::Required(label) => by_label(&|l| l == *label),
        SupervisionError::TextInvalid(m) => by_label(&|l| m.starts_with(l)),
        SupervisionError::Store(_) | SupervisionError::Audit(_) | SupervisionError::Ledger(_) => {
            None
        }
    }
}

/// A record added, or the refusal at its field: a date that is no date is the date's.
fn placed<T>(
    date: &str,
    add: impl FnOnce(NaiveDate) -> Result<T, SupervisionError>,
) -> Result<Result<T, FieldError>, UiError> {
    let date = match parse_date(date) {
        Ok(d) => d,
        Err(e) => return Ok(Err(refusal("date", &e))),
    };
    match add(date) {
        Ok(r) => Ok(Ok(r)),
        Err(e) => match field_of(&e) {
            Some(field) => Ok(Err(refusal(field, &e))),
            None => Err(e.into()),
        },
    }
}

/// Records the supervision of the 登记督查 form (audited `supervision.add`).
pub fn add_supervision(
    store: &mut Store,
    input: &SupervisionInput,
    operator: &str,
) -> Result<SupervisionAdded, UiError> {
    let done = placed(&input.date, |date| {
        supervision::add_supervision(
            store,
            AgencyRef::Id(input.agency_id),
            &NewSupervisionRecord {
                kind: input.kind,
                date,
                subject: input.subject.clone(),
                content: input.content.clone(),
                people: input.people.clone(),
            },
            operator,
        )
    })?;
    Ok(match done {
        Ok(r) => SupervisionAdded {
            record: Some(r),
            error: None,
        },
        Err(e) => SupervisionAdded {
            record: None,
            error: Some(e),
        },
    })
}

/// Records the accountability of the 登记问责 form (audited `accountability.add`).
pub fn add_accountability(
    store: &mut Store,
    input: &AccountabilityInput,
    operator: &str,
) -> Result<AccountabilityAdded, UiError> {
    let done = placed(&input.date, |date| {
        supervision::add_accountability(
            store,
            AgencyRef::Id(input.agency_id),
            &NewAccountabilityRecord {
                person: input.person.clone(),
                kind: input.kind,
                date,
                reason: input.reason.clone(),
                doc_number: input.doc_number.clone(),
            },
            operator,
        )
    })?;
    Ok(match done {
        Ok(r) => AccountabilityAdded {
            record: Some(r),
            error: None,
        },
        Err(e) => AccountabilityAdded {
            record: None,
            error: Some(e),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supervision::{AgencyRef, NewAccountabilityRecord, NewSupervisionRecord};
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::Coded;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn the_screen_filters_records_and_shows_their_found_items_coloured() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let sup = |store: &mut Store, agency: &str, kind, date: &str| {
            supervision::add_supervision(
                store,
                AgencyRef::Named(agency),
                &NewSupervisionRecord {
                    kind,
                    date: d(date),
                    subject: format!("{agency}{date}"),
                    content: None,
                    people: None,
                },
                OPERATOR,
            )
            .unwrap()
        };
        let a = sup(
            &mut store,
            "广州市应急管理局",
            SupervisionKind::Inquiry,
            "2026-03-01",
        );
        let b = sup(
            &mut store,
            "广州市审计局",
            SupervisionKind::Talk,
            "2026-05-01",
        );
        supervision::add_accountability(
            &mut store,
            AgencyRef::Named("广州市审计局"),
            &NewAccountabilityRecord {
                person: None,
                kind: AccountabilityKind::Bulletin,
                date: d("2026-06-01"),
                reason: "整改不力".into(),
                doc_number: None,
            },
            OPERATOR,
        )
        .unwrap();
        let found = |text: &str, deadline: &str, sid: i64| FoundInput {
            supervision_id: sid,
            text: text.into(),
            deadline: deadline.into(),
            measures: None,
            owner: None,
            source: None,
        };
        let late = add_found(&mut store, &found("台账不全", "2026-04-01", a.id), OPERATOR)
            .unwrap()
            .item
            .unwrap();
        assert_eq!(late.source, Some(LedgerSource::Inspection));
        assert_eq!(late.name, "广州市应急管理局");
        add_found(
            &mut store,
            &found("学习不深入", "2026-07-10", a.id),
            OPERATOR,
        )
        .unwrap();
        let e = add_found(&mut store, &found("x", "2026-07-10", 999), OPERATOR).unwrap_err();
        assert_eq!(e.code(), "ledger.supervision_not_found");

        let all = screen_on(&store, &SupervisionQuery::default(), d("2026-07-05")).unwrap();
        // Newest first; the agencies with records by name.
        assert_eq!(
            all.supervision
                .iter()
                .map(|s| s.record.id)
                .collect::<Vec<_>>(),
            [b.id, a.id]
        );
        assert_eq!(all.accountability.len(), 1);
        assert_eq!(all.agencies.len(), 2);
        let tags: Vec<(LedgerStatus, Tone)> = all.supervision[1]
            .found
            .iter()
            .map(|f| (f.status, f.tone))
            .collect();
        assert_eq!(
            tags,
            [
                (LedgerStatus::Overdue, Tone::Danger),
                (LedgerStatus::DueSoon, Tone::Warning)
            ]
        );
        assert_eq!(all.supervision[1].record.items.len(), 2);
        assert!(all.supervision[0].found.is_empty());

        for (query, sup_ids, acc_count) in [
            (
                SupervisionQuery {
                    agency_id: Some(a.agency_id),
                    ..Default::default()
                },
                vec![a.id],
                0,
            ),
            (
                SupervisionQuery {
                    supervision_kind: Some(SupervisionKind::Talk),
                    ..Default::default()
                },
                vec![b.id],
                0,
            ),
            (
                SupervisionQuery {
                    accountability_kind: Some(AccountabilityKind::Bulletin),
                    ..Default::default()
                },
                vec![],
                1,
            ),
            // Both ends of the range count.
            (
                SupervisionQuery {
                    from: Some("2026-03-01".into()),
                    to: Some("2026-05-01".into()),
                    ..Default::default()
                },
                vec![b.id, a.id],
                0,
            ),
            (
                SupervisionQuery {
                    from: Some("2026-03-02".into()),
                    ..Default::default()
                },
                vec![b.id],
                1,
            ),
        ] {
            let v = screen_on(&store, &query, d("2026-07-05")).unwrap();
            assert_eq!(
                v.supervision
                    .iter()
                    .map(|s| s.record.id)
                    .collect::<Vec<_>>(),
                sup_ids,
                "{query:?}"
            );
            assert_eq!(v.accountability.len(), acc_count, "{query:?}");
        }
        let e = screen(
            &store,
            &SupervisionQuery {
                from: Some("3月".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "desktop.bad_date");
    }

    #[test]
    fn the_dialogs_place_each_refusal_at_its_field_and_store_nothing() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let id = super::super::agency::search(&store, "广州市应急管理局")
            .unwrap()
            .hits[0]
            .id;
        let sup = |f: &dyn Fn(&mut SupervisionInput)| {
            let mut s = SupervisionInput {
                agency_id: id,
                kind: SupervisionKind::Inquiry,
                date: "2026-04-01".into(),
                subject: "书面问询整改情况".into(),
                content: None,
                people: None,
            };
            f(&mut s);
            s
        };
        let long = "长".repeat(3000);
        let sup_cases: Vec<(SupervisionInput, &str, &str)> = vec![
            (
                sup(&|s| s.agency_id = 99_999),
                "agency_id",
                "agency.not_found",
            ),
            (
                sup(&|s| s.date = "4月1日".into()),
                "date",
                "desktop.bad_date",
            ),
            (sup(&|s| s.date = String::new()), "date", "desktop.bad_date"),
            (
                sup(&|s| s.date = "1948-12-31".into()),
                "date",
                "supervision.date_out_of_range",
            ),
            (
                sup(&|s| s.subject = "  ".into()),
                "subject",
                "supervision.required",
            ),
            (
                sup(&|s| s.subject = "督查\u{7}".into()),
                "subject",
                "supervision.text_invalid",
            ),
            (
                sup(&|s| s.content = Some(long.clone())),
                "content",
                "supervision.text_invalid",
            ),
            (
                sup(&|s| s.people = Some(long.clone())),
                "people",
                "supervision.text_invalid",
            ),
        ];
        for (input, field, code) in sup_cases {
            let a = add_supervision(&mut store, &input, OPERATOR).unwrap();
            assert!(a.record.is_none(), "{input:?}");
            let e = a.error.unwrap();
            assert_eq!((e.field.as_str(), e.code.as_str()), (field, code), "{e:?}");
        }
        // The boundary year is kept.
        let first = add_supervision(
            &mut store,
            &sup(&|s| s.date = "1949-01-01".into()),
            OPERATOR,
        )
        .unwrap();
        assert!(first.error.is_none() && first.record.is_some());

        let acc = |f: &dyn Fn(&mut AccountabilityInput)| {
            let mut a = AccountabilityInput {
                agency_id: id,
                person: None,
                kind: AccountabilityKind::Bulletin,
                date: "2026-05-01".into(),
                reason: "整改不力".into(),
                doc_number: None,
            };
            f(&mut a);
            a
        };
        let acc_cases: Vec<(AccountabilityInput, &str, &str)> = vec![
            (
                acc(&|a| a.agency_id = 99_999),
                "agency_id",
                "agency.not_found",
            ),
            (
                acc(&|a| a.date = "2026/5/1x".into()),
                "date",
                "desktop.bad_date",
            ),
            (
                acc(&|a| a.date = "2101-01-01".into()),
                "date",
                "supervision.date_out_of_range",
            ),
            // A cadre's kind without the cadre, or with a blank name.
            (
                acc(&|a| a.kind = AccountabilityKind::Discipline),
                "person",
                "accountability.person_required",
            ),
            (
                acc(&|a| {
                    a.kind = AccountabilityKind::Admonish;
                    a.person = Some("  ".into());
                }),
                "person",
                "accountability.person_required",
            ),
            // An organisation's kind with a name: the kind is wrong.
            (
                acc(&|a| {
                    a.kind = AccountabilityKind::Reorganise;
                    a.person = Some("张三".into());
                }),
                "kind",
                "accountability.not_for_person",
            ),
            (
                acc(&|a| {
                    a.kind = AccountabilityKind::Discipline;
                    a.person = Some(long.clone());
                }),
                "person",
                "supervision.text_invalid",
            ),
            (
                acc(&|a| a.reason = String::new()),
                "reason",
                "supervision.required",
            ),
            (
                acc(&|a| a.doc_number = Some(long.clone())),
                "doc_number",
                "supervision.text_invalid",
            ),
        ];
        for (input, field, code) in acc_cases {
            let a = add_accountability(&mut store, &input, OPERATOR).unwrap();
            assert!(a.record.is_none(), "{input:?}");
            let e = a.error.unwrap();
            assert_eq!((e.field.as_str(), e.code.as_str()), (field, code), "{e:?}");
        }
        let ok = add_accountability(
            &mut store,
            &acc(&|a| {
                a.kind = AccountabilityKind::Discipline;
                a.person = Some("张三".into());
            }),
            OPERATOR,
        )
        .unwrap();
        assert_eq!(ok.record.unwrap().person.as_deref(), Some("张三"));

        let found = |f: &dyn Fn(&mut FoundInput)| {
            let mut i = FoundInput {
                supervision_id: first.record.as_ref().unwrap().id,
                text: "台账不全".into(),
                deadline: "2026-07-01".into(),
                measures: None,
                owner: None,
                source: None,
            };
            f(&mut i);
            i
        };
        let found_cases: Vec<(FoundInput, &str, &str)> = vec![
            (
                found(&|i| i.deadline = "7月1日".into()),
                "deadline",
                "desktop.bad_date",
            ),
            (
                found(&|i| i.deadline = String::new()),
                "deadline",
                "desktop.bad_date",
            ),
            (found(&|i| i.text = " ".into()), "text", "ledger.text"),
            (
                found(&|i| i.measures = Some(long.clone())),
                "measures",
                "ledger.text",
            ),
            (
                found(&|i| i.owner = Some(long.clone())),
                "owner",
                "ledger.text",
            ),
        ];
        for (input, field, code) in found_cases {
            let a = add_found(&mut store, &input, OPERATOR).unwrap();
            assert!(a.item.is_none(), "{input:?}");
            let e = a.error.unwrap();
            assert_eq!((e.field.as_str(), e.code.as_str()), (field, code), "{e:?}");
        }
        add_found(&mut store, &found(&|_| ()), OPERATOR)
            .unwrap()
            .item
            .unwrap();
        let e = add_found(&mut store, &found(&|_| ()), OPERATOR).unwrap();
        assert_eq!(e.error.unwrap().field, "text");

        // Nothing refused was stored: one supervision, one accountability, one item.
        let v = screen_on(&store, &SupervisionQuery::default(), d("2026-06-01")).unwrap();
        assert_eq!(v.supervision.len(), 1);
        assert_eq!(v.accountability.len(), 1);
        assert_eq!(v.supervision[0].found.len(), 1);
    }
}
