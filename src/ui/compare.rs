//! 方案对比 (on 评选结果 and 评选方案): the campaign's stored returns, awards and panel
//! decisions read against an edited copy of its scheme — edited in the 评选方案 form, so it
//! arrives as a [`SchemeForm`] and is checked as the form is — and what would change,
//! grouped for the clerk: the agencies by kind of change (入选→未入选, 未入选→入选, …, in
//! the order of [`KINDS`]) and the pools whose quota changes. Agencies and pools that stay
//! as they are are not listed. Nothing is stored: the comparison only reads. Both sides
//! read what a run reads on the reference date given (today by default): the ledger's
//! overdue problems and the campaign year's accountability included, so a comparison never
//! disagrees with the run it previews.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{campaign_scheme, UiError};
use crate::scheme::form::SchemeForm;
use crate::select::{self, pool_label, PoolSummary, ResultRow, Selection, Status};
use crate::store::Store;

/// One agency whose status would change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnitChange {
    /// The agency's id (stable across imports).
    pub agency_id: i64,
    /// Agency name as its current return declares it.
    pub name: String,
    /// Its pool under the current scheme, labelled ("县级/广州市越秀区").
    pub pool_before: Option<String>,
    /// Its pool under the edited scheme, labelled (a rule's grouping may change it).
    pub pool_after: Option<String>,
    /// Composite under the current scheme.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite_before: Option<Decimal>,
    /// Composite under the edited scheme (weights and the daily share change it).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite_after: Option<Decimal>,
    /// Rank in its pool under the current scheme.
    pub rank_before: Option<u32>,
    /// Rank in its pool under the edited scheme.
    pub rank_after: Option<u32>,
    /// Why, under the edited scheme (the reasons its result would show).
    pub reasons_after: Vec<String>,
}

/// The agencies that would move from one status to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChangeGroup {
    /// Status under the current scheme.
    pub before: Status,
    /// Status under the edited scheme.
    pub after: Status,
    /// The kind of change in words ("入选→未入选").
    pub title: String,
    /// The agencies, in the current results' order (pool, rank, name).
    pub units: Vec<UnitChange>,
}

/// A pool whose quota would change, or which exists under one scheme only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolChange {
    /// The pool's name (its code, e.g. `county/广州市越秀区`).
    pub pool: String,
    /// The pool labelled ("县级/广州市越秀区").
    pub label: String,
    /// Seats under the current scheme; `None` when the pool does not exist under it.
    pub quota_before: Option<u32>,
    /// Seats under the edited scheme; `None` when the pool no longer exists.
    pub quota_after: Option<u32>,
    /// Selected under the current scheme.
    pub selected_before: Option<u32>,
    /// Selected under the edited scheme.
    pub selected_after: Option<u32>,
}

/// What 方案对比 shows: only what changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comparison {
    /// Agencies whose status would change (the sum over `groups`).
    pub changed: u32,
    /// The agencies by kind of change, in the order of [`KINDS`]; empty kinds left out.
    pub groups: Vec<ChangeGroup>,
    /// Pools whose quota would change, in the current scheme's pool order, then the new
    /// pools in the edited scheme's order.
    pub pools: Vec<PoolChange>,
}

/// The kinds of change in the order a clerk reads them: who loses a seat, who gains one,
/// ties the panel would have to resolve, then changes between the statuses without a seat.
pub const KINDS: [(Status, Status); 12] = [
    (Status::Selected, Status::NotSelected),
    (Status::Selected, Status::Ineligible),
    (Status::Selected, Status::TiePending),
    (Status::NotSelected, Status::Selected),
    (Status::Ineligible, Status::Selected),
    (Status::TiePending, Status::Selected),
    (Status::NotSelected, Status::TiePending),
    (Status::Ineligible, Status::TiePending),
    (Status::TiePending, Status::NotSelected),
    (Status::TiePending, Status::Ineligible),
    (Status::NotSelected, Status::Ineligible),
    (Status::Ineligible, Status::NotSelected),
];

/// Reads the campaign's stored inputs against the scheme of `form` (checked as the 评选方案
/// form is: a form with issues is refused with every issue at its field,
/// `scheme.invalid`) and lists what would change. Nothing is stored.
pub fn compare(
    store: &Store,
    year: i32,
    form: &SchemeForm,
    date: Option<NaiveDate>,
) -> Result<Comparison, UiError> {
    let (before, after) = sides(store, year, form, date.unwrap_or_else(crate::today))?;
    Ok(comparison(&before, &after))
}

/// Both selections a comparison sets side by side, each read as a run reads its inputs
/// (`select::load_on`): the returns, awards and decisions, the accountability of the
/// campaign year, and — with the reference date `date` — the ledger's overdue problems,
/// each side under its own scheme's `[ledger]` settings. Read otherwise, an agency a run
/// bars for an overdue problem would show as eligible on both sides, and the comparison
/// would preview a result the run does not give.
fn sides(
    store: &Store,
    year: i32,
    form: &SchemeForm,
    date: NaiveDate,
) -> Result<(Selection, Selection), UiError> {
    let other = form.scheme()?;
    let (scheme, _) = campaign_scheme(store, year)?;
    let before = select::select_owned(&scheme, select::load_on(store, year, &scheme, date)?);
    let after = select::select_owned(&other, select::load_on(store, year, &other, date)?);
    Ok((before, after))
}

/// The grouped differences between two selections of the same returns.
pub fn comparison(before: &Selection, after: &Selection) -> Comparison {
    let after_by: std::collections::HashMap<i64, &ResultRow> =
        after.results.iter().map(|r| (r.agency_id, r)).collect();
    let mut groups: Vec<ChangeGroup> = KINDS
        .iter()
        .map(|&(b, a)| ChangeGroup {
            before: b,
            after: a,
            title: format!("{}→{}", b.label(), a.label()),
            units: Vec::new(),
        })
        .collect();
    for b in &before.results {
        let Some(a) = after_by.get(&b.agency_id) else {
            continue;
        };
        if a.status == b.status {
            continue;
        }
        let unit = UnitChange {
            agency_id: b.agency_id,
            name: b.name.clone(),
            pool_before: b.pool.as_deref().map(pool_label),
            pool_after: a.pool.as_deref().map(pool_label),
            composite_before: b.composite,
            composite_after: a.composite,
            rank_before: b.rank,
            rank_after: a.rank,
            reasons_after: a.reasons.clone(),
        };
        if let Some(g) = groups
            .iter_mut()
            .find(|g| (g.before, g.after) == (b.status, a.status))
        {
            g.units.push(unit);
        }
    }
    groups.retain(|g| !g.units.is_empty());
    Comparison {
        changed: groups.iter().map(|g| g.units.len() as u32).sum(),
        groups,
        pools: pool_changes(&before.pools, &after.pools),
    }
}

fn pool_changes(before: &[PoolSummary], after: &[PoolSummary]) -> Vec<PoolChange> {
    let find = |list: &[PoolSummary], pool: &str| list.iter().find(|p| p.pool == pool).cloned();
    let names = before.iter().map(|p| &p.pool).chain(
        after
            .iter()
            .map(|p| &p.pool)
            .filter(|n| !before.iter().any(|b| &b.pool == *n)),
    );
    names
        .filter_map(|name| {
            let (b, a) = (find(before, name), find(after, name));
            let quota = |p: &Option<PoolSummary>| p.as_ref().map(|p| p.quota);
            (quota(&b) != quota(&a)).then(|| PoolChange {
                pool: name.clone(),
                label: pool_label(name),
                quota_before: quota(&b),
                quota_after: quota(&a),
                selected_before: b.as_ref().map(|p| p.selected),
                selected_after: a.as_ref().map(|p| p.selected),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::campaign_with;
    use crate::Coded;

    fn imported() -> Store {
        campaign_with(&[
            "00_广州市.xlsx",
            "01_广州市海珠区.xlsx",
            "02_广州市番禺区.xls",
            "03_广州市越秀区.xlsx",
        ])
    }

    fn form_of(store: &Store) -> SchemeForm {
        crate::ui::scheme::load(store, 2026).unwrap().form
    }

    fn audit_rows(store: &Store) -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_same_scheme_changes_nothing_and_nothing_is_stored() {
        let store = imported();
        let rows = audit_rows(&store);
        let c = compare(&store, 2026, &form_of(&store), None).unwrap();
        assert_eq!(c.changed, 0);
        assert!(c.groups.is_empty() && c.pools.is_empty(), "{c:?}");
        let mut form = form_of(&store);
        form.quotas[2].value = "1".into();
        assert!(compare(&store, 2026, &form, None).unwrap().changed > 0);
        assert_eq!(audit_rows(&store), rows, "comparing records nothing");
        assert_eq!(
            form_of(&store),
            crate::ui::scheme::load(&store, 2026).unwrap().form
        );
        let status = crate::campaign::get(&store, 2026).unwrap().status;
        assert_eq!(status, crate::store::campaigns::CampaignStatus::Draft);
    }

    #[test]
    fn a_smaller_quota_lists_only_the_pools_and_units_that_lose_a_seat() {
        let store = imported();
        let mut form = form_of(&store);
        // The county rule (the third) groups by region: one pool per district.
        assert_eq!(
            (form.quotas[2].tier.as_str(), form.quotas[2].value.as_str()),
            ("county", "2")
        );
        form.quotas[2].value = "1".into();
        let c = compare(&store, 2026, &form, None).unwrap();
        assert!(!c.pools.is_empty());
        for p in &c.pools {
            assert!(p.label.starts_with("县级/"), "{p:?}");
            assert_eq!((p.quota_before, p.quota_after), (Some(2), Some(1)), "{p:?}");
        }
        assert_eq!(c.groups.len(), 1, "only seats lost: {c:?}");
        let g = &c.groups[0];
        assert_eq!((g.before, g.after), (Status::Selected, Status::NotSelected));
        assert_eq!(g.title, "入选→未入选");
        assert_eq!(g.units.len(), c.changed as usize);
        assert_eq!(g.units.len(), c.pools.len(), "one seat fewer in each pool");
        for u in &g.units {
            assert!(
                u.pool_before.as_deref().unwrap().starts_with("县级/"),
                "{u:?}"
            );
            assert_eq!(u.pool_before, u.pool_after);
            assert_eq!(u.rank_after, Some(2), "{u:?}");
            assert!(
                u.reasons_after.iter().any(|r| r.contains("名额1个")),
                "{u:?}"
            );
        }
    }

    #[test]
    fn a_higher_threshold_and_a_larger_quota_make_groups_in_the_clerks_order() {
        let store = imported();
        let mut form = form_of(&store);
        form.composite_min = Some("95".into());
        form.quotas[0].value = "40".into();
        let c = compare(&store, 2026, &form, None).unwrap();
        let kinds: Vec<(Status, Status)> = c.groups.iter().map(|g| (g.before, g.after)).collect();
        assert!(kinds.len() >= 2, "{kinds:?}");
        let order: Vec<usize> = kinds
            .iter()
            .map(|k| KINDS.iter().position(|x| x == k).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{kinds:?}");
        assert!(c.groups.iter().all(|g| !g.units.is_empty()));
        assert!(kinds.contains(&(Status::Selected, Status::Ineligible)));
        let total: usize = c.groups.iter().map(|g| g.units.len()).sum();
        assert_eq!(total, c.changed as usize);
        assert!(c.pools.iter().all(|p| p.quota_before != p.quota_after));
    }

    #[test]
    fn a_form_with_issues_is_refused_at_its_fields() {
        let store = imported();
        let mut form = form_of(&store);
        form.components[0].weight = "x".into();
        let e = compare(&store, 2026, &form, None).unwrap_err();
        assert_eq!(e.code(), "scheme.invalid");
        match e {
            UiError::Scheme(s) => assert_eq!(s.issues[0].key, "components[1].weight"),
            other => panic!("{other}"),
        }
        let none = compare(&store, 2030, &form_of(&store), None).unwrap_err();
        assert_eq!(none.code(), "campaign.not_found");
    }

    /// Both sides read the ledger on the reference date, as the run does: an agency an
    /// overdue problem bars is ineligible on both, and on a day before the deadline on
    /// neither; a scheme that stops reading the ledger lets it back in — a change the
    /// comparison names.
    #[test]
    fn both_sides_read_the_overdue_problems_on_the_reference_date() {
        let mut store = imported();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        const AGENCY: &str = "广州市人民检察院";
        crate::ledger::add(
            &mut store,
            &crate::ledger::NewItem {
                agency: AGENCY.into(),
                kind: crate::vocab::LedgerKind::Problem,
                text: "整改未完成".into(),
                deadline: Some(day("2026-10-31")),
                measures: None,
                owner: None,
                source: None,
                level: None,
                year: None,
                supervision: None,
            },
            "测试员",
        )
        .unwrap();
        let barred = |sel: &Selection| {
            let r = sel.results.iter().find(|r| r.name == AGENCY).unwrap();
            (
                r.status == Status::Ineligible,
                r.reasons.iter().any(|x| x == "有1项逾期未整改问题"),
            )
        };
        let same = form_of(&store);
        for (date, want) in [("2026-10-31", false), ("2026-11-01", true)] {
            let (before, after) = sides(&store, 2026, &same, day(date)).unwrap();
            assert_eq!(barred(&before), (want, want), "{date} before");
            assert_eq!(barred(&after), (want, want), "{date} after");
            // The side of the campaign's scheme is what a run on that date stores.
            let run = crate::select::run_on(&mut store, 2026, day(date), "测试员").unwrap();
            assert_eq!(before.results, run.results, "{date}");
            assert_eq!(
                compare(&store, 2026, &same, Some(day(date)))
                    .unwrap()
                    .changed,
                0
            );
        }
        let mut off = form_of(&store);
        off.ledger.overdue_blocks_selection = false;
        let c = compare(&store, 2026, &off, Some(day("2026-11-01"))).unwrap();
        let moved: Vec<&str> = c
            .groups
            .iter()
            .filter(|g| g.before == Status::Ineligible)
            .flat_map(|g| g.units.iter().map(|u| u.name.as_str()))
            .collect();
        assert_eq!(moved, [AGENCY], "{c:?}");
        let c = compare(&store, 2026, &off, Some(day("2026-10-31"))).unwrap();
        assert!(
            c.groups
                .iter()
                .all(|g| g.units.iter().all(|u| u.name != AGENCY)),
            "{c:?}"
        );
    }

    #[test]
    fn pools_that_appear_or_vanish_are_changes() {
        let mk = |pool: &str, quota: u32| PoolSummary {
            pool: pool.into(),
            rule: 0,
            tier: crate::scheme::Tier::City,
            declared: 3,
            base: 3,
            eligible: 3,
            quota,
            selected: quota,
            tie_pending: 0,
        };
        let before = [mk("city/广州市", 2), mk("city/深圳市", 2)];
        let after = [mk("city/广州市", 2), mk("city", 3)];
        let c = pool_changes(&before, &after);
        let got: Vec<_> = c
            .iter()
            .map(|p| (p.label.as_str(), p.quota_before, p.quota_after))
            .collect();
        assert_eq!(
            got,
            [("市级/深圳市", Some(2), None), ("市级", None, Some(3))]
        );
    }
}
