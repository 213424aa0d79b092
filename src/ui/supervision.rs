//! 监督问责 (docs/specification.md §10): the supervision and accountability records of every
//! agency on one screen, filtered by agency, kind and a range of dates; each supervision
//! with the ledger items found in it, coloured by their status on a date (the 清单台账
//! screen's colours, [`tone`]); and 新增发现问题, a problem found in a supervision entered
//! into the ledger linked to its record ([`add_found`], `ledger::add_for`). The 登记督查
//! and 登记问责 dialogs are the agency page's ([`super::agency::add_supervision`],
//! [`super::agency::add_accountability`]), the agency chosen on the screen.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ledger::{tone, Tone};
use super::reviews::parse_date;
use super::UiError;
use crate::ledger::{self, Item, NewItem};
use crate::store::supervision as sup_store;
use crate::store::{agencies, Store};
use crate::supervision::{self, AccountabilityView, SupervisionView};
use crate::vocab::{AccountabilityKind, LedgerKind, LedgerSource, LedgerStatus, SupervisionKind};

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

impl From<Item> for FoundItem {
    fn from(i: Item) -> Self {
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

/// Enters the problem of the 新增发现问题 form into the ledger, linked to its supervision
/// record and under the record's agency (audited `ledger.add`); the item with its status
/// on today.
pub fn add_found(store: &mut Store, input: &FoundInput, operator: &str) -> Result<Item, UiError> {
    let deadline = parse_date(&input.deadline)?;
    let record = sup_store::get(store.conn(), input.supervision_id)?.ok_or(
        ledger::LedgerError::SupervisionNotFound(input.supervision_id),
    )?;
    let agency = agencies::get(store.conn(), record.agency_id)?.ok_or(
        ledger::LedgerError::SupervisionNotFound(input.supervision_id),
    )?;
    Ok(ledger::add_for(
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
    )?)
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
        let late = add_found(&mut store, &found("台账不全", "2026-04-01", a.id), OPERATOR).unwrap();
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
        let e = add_found(&mut store, &found("x", "7月10日", a.id), OPERATOR).unwrap_err();
        assert_eq!(e.code(), "desktop.bad_date");

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
}
