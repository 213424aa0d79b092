//! 评选结果: the selection of a campaign (computed by the core from the stored inputs,
//! never stored), panel overrides, the what-if comparison, the result workbook, and
//! publishing.

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use mofan::campaign::{self, Published};
use mofan::export::results::{self as book, ResultBook};
use mofan::scheme::Scheme;
use mofan::select::{self, OverrideRequest, PoolSummary, ResultRow, Selection, StatusChange};
use mofan::store::campaigns::{self, CampaignStatus};
use mofan::store::overrides::OverrideAction;
use mofan::store::Store;
use serde::Serialize;

use crate::{lock, CommandError};

/// A scheme key with its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
}

/// A pool with its Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PoolView {
    /// Chinese name ("县级/广州市越秀区").
    pub label: String,
    /// The core's counts.
    #[serde(flatten)]
    pub summary: PoolSummary,
}

/// Everything the results screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultsView {
    /// Campaign year.
    pub year: i32,
    /// Campaign status.
    pub status: CampaignStatus,
    /// The components, in scheme order (the order of each row's `components`).
    pub components: Vec<Label>,
    /// The daily score's label.
    pub daily_label: String,
    /// Pools in rule order.
    pub pools: Vec<PoolView>,
    /// Every return's result.
    pub results: Vec<ResultRow>,
}

fn scheme_of(store: &Store, year: i32) -> Result<(Scheme, CampaignStatus), CommandError> {
    let c = campaigns::get(store.conn(), year)
        .map_err(CommandError::store)?
        .ok_or_else(|| CommandError::from_core(campaigns::Unavailable::NotFound(year)))?;
    let scheme = Scheme::parse(&c.scheme_toml).map_err(CommandError::from_core)?;
    Ok((scheme, c.status))
}

fn view(year: i32, status: CampaignStatus, scheme: &Scheme, sel: Selection) -> ResultsView {
    ResultsView {
        year,
        status,
        components: scheme
            .components
            .iter()
            .map(|c| Label {
                key: c.key.clone(),
                label: c.label.clone(),
            })
            .collect(),
        daily_label: scheme.daily_label.clone(),
        pools: sel
            .pools
            .into_iter()
            .map(|p| PoolView {
                label: book::pool_label(&p.pool),
                summary: p,
            })
            .collect(),
        results: sel.results,
    }
}

/// The selection as it stands, without changing anything (the campaign's status stays).
pub fn current(store: &Mutex<Store>, year: i32) -> Result<ResultsView, CommandError> {
    let store = lock(store)?;
    let (scheme, status) = scheme_of(&store, year)?;
    let inputs = select::load(&store, year, &scheme).map_err(CommandError::from_core)?;
    Ok(view(
        year,
        status,
        &scheme,
        select::select(&scheme, &inputs),
    ))
}

/// Runs the selection: a draft campaign becomes `selected` (audited by the core).
pub fn run(store: &Mutex<Store>, year: i32, operator: &str) -> Result<ResultsView, CommandError> {
    let mut store = lock(store)?;
    let sel = select::run(&mut store, year, operator).map_err(CommandError::from_core)?;
    let (scheme, status) = scheme_of(&store, year)?;
    Ok(view(year, status, &scheme, sel))
}

/// A panel decision as the window sends it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OverrideInput {
    /// The agency (its id in the results).
    pub agency_id: i64,
    /// `include`, `exclude` or `clear`.
    pub action: String,
    /// Reason (required by the core).
    pub reason: String,
    /// Confirms including beyond the quota.
    #[serde(default)]
    pub confirm: bool,
}

/// Records a panel decision (the core checks the reason and the quota, and audits it).
pub fn set_override(
    store: &Mutex<Store>,
    year: i32,
    input: &OverrideInput,
    operator: &str,
) -> Result<ResultsView, CommandError> {
    let action = OverrideAction::parse(&input.action).ok_or_else(|| {
        CommandError::new(
            "desktop.bad_request",
            format!("未知的调整方式：{}", input.action),
        )
    })?;
    let mut store = lock(store)?;
    let (scheme, _) = scheme_of(&store, year)?;
    // The core names an agency by USCC, or by name when unique in the campaign.
    let inputs = select::load(&store, year, &scheme).map_err(CommandError::from_core)?;
    let entry = inputs
        .entries
        .iter()
        .find(|e| e.agency_id == input.agency_id)
        .ok_or_else(|| {
            CommandError::new(
                "override.agency_not_found",
                format!("{year}年度没有该单位的有效申报（可能已被撤回），请刷新后再试"),
            )
        })?;
    let req = OverrideRequest {
        year,
        agency: entry.uscc.clone().unwrap_or_else(|| entry.name.clone()),
        action,
        reason: input.reason.clone(),
        confirm_beyond_quota: input.confirm,
    };
    let (sel, _) =
        select::set_override(&mut store, &req, operator).map_err(CommandError::from_core)?;
    let (_, status) = scheme_of(&store, year)?;
    Ok(view(year, status, &scheme, sel))
}

/// What the what-if comparison shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Agencies whose status differs, in the current results' order.
    pub changes: Vec<StatusChange>,
    /// Pools under the current scheme.
    pub before: Vec<PoolView>,
    /// Pools under the edited scheme.
    pub after: Vec<PoolView>,
}

fn pools(sel: &Selection) -> Vec<PoolView> {
    sel.pools
        .iter()
        .map(|p| PoolView {
            label: book::pool_label(&p.pool),
            summary: p.clone(),
        })
        .collect()
}

/// Reads the stored returns, awards and overrides against another scheme (TOML text) and
/// lists every agency whose status would change. Nothing is stored.
pub fn compare(
    store: &Mutex<Store>,
    year: i32,
    other_toml: &str,
) -> Result<Comparison, CommandError> {
    let other = Scheme::parse(other_toml).map_err(CommandError::from_core)?;
    let store = lock(store)?;
    let (scheme, _) = scheme_of(&store, year)?;
    let before = select::select(
        &scheme,
        &select::load(&store, year, &scheme).map_err(CommandError::from_core)?,
    );
    let after = select::select(
        &other,
        &select::load(&store, year, &other).map_err(CommandError::from_core)?,
    );
    Ok(Comparison {
        changes: select::compare(&before, &after),
        before: pools(&before),
        after: pools(&after),
    })
}

/// The campaign's scheme as stored (TOML).
pub fn scheme_text(store: &Mutex<Store>, year: i32) -> Result<String, CommandError> {
    let store = lock(store)?;
    campaigns::get(store.conn(), year)
        .map_err(CommandError::store)?
        .map(|c| c.scheme_toml)
        .ok_or_else(|| CommandError::from_core(campaigns::Unavailable::NotFound(year)))
}

/// Writes the result workbook of the selection as it stands to `out`, with the review on
/// `review_date` (复查名单, 整改名单, 撤销名单) when one is given. The store is locked only
/// while the inputs are read.
pub fn export(
    store: &Mutex<Store>,
    year: i32,
    out: &Path,
    review_date: Option<NaiveDate>,
) -> Result<(), CommandError> {
    let guard = lock(store)?;
    let (scheme, _) = scheme_of(&guard, year)?;
    let inputs = select::load(&guard, year, &scheme).map_err(CommandError::from_core)?;
    let sel = select::select(&scheme, &inputs);
    let mut rb = ResultBook::from_store(&guard, year, &scheme, &sel, mofan::now_string())
        .map_err(CommandError::from_core)?;
    if let Some(date) = review_date {
        let rows = mofan::review::run(&guard, year, date).map_err(CommandError::from_core)?;
        rb.review = Some(book::ReviewPart { date, rows });
    }
    drop(guard);
    book::write(out, &rb).map_err(CommandError::from_core)
}

/// Publishes the campaign (the core refuses pending ties and an empty selection).
pub fn publish(
    store: &Mutex<Store>,
    year: i32,
    doc_number: &str,
    operator: &str,
) -> Result<Published, CommandError> {
    let mut store = lock(store)?;
    campaign::publish(&mut store, year, doc_number, operator).map_err(CommandError::from_core)
}

/// Reopens a published campaign with a reason.
pub fn reopen(
    store: &Mutex<Store>,
    year: i32,
    reason: &str,
    operator: &str,
) -> Result<usize, CommandError> {
    let mut store = lock(store)?;
    campaign::reopen(&mut store, year, reason, operator).map_err(CommandError::from_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{sample, temp_state};
    use mofan::import::ImportOptions;
    use mofan::select::Status;

    fn imported() -> (tempfile::TempDir, crate::AppState) {
        let (dir, state) = temp_state();
        let store = state.store().unwrap();
        crate::create_campaign(&store, 2026, None, "测试员").unwrap();
        let opts = ImportOptions {
            partial: false,
            operator: "测试员".into(),
        };
        for n in [
            "00_广州市.xlsx",
            "01_广州市海珠区.xlsx",
            "02_广州市番禺区.xls",
            "03_广州市越秀区.xlsx",
        ] {
            let mut s = store.lock().unwrap();
            mofan::import::import_file(&mut s, 2026, &sample(n), &opts).unwrap();
        }
        (dir, state)
    }

    #[test]
    fn runs_and_reads_the_selection_with_labels() {
        let (_dir, state) = imported();
        let store = state.store().unwrap();
        let before = current(&store, 2026).unwrap();
        assert_eq!(
            before.status,
            CampaignStatus::Draft,
            "reading changes nothing"
        );
        let v = run(&store, 2026, "测试员").unwrap();
        assert_eq!(v.status, CampaignStatus::Selected);
        assert_eq!(v.results.len(), 72);
        assert_eq!(v.components.len(), 5);
        assert_eq!(v.components[3].label, "群众测评");
        assert!(v.pools.iter().any(|p| p.label.starts_with("县级/")));
        let json = serde_json::to_value(&v).unwrap();
        assert!(
            json["pools"][0]["quota"].is_number(),
            "pool counts are flattened"
        );
        assert!(
            json["results"][0]["composite"].is_string(),
            "scores stay exact decimals"
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_a_confirmation_beyond_the_quota() {
        let (_dir, state) = imported();
        let store = state.store().unwrap();
        let v = run(&store, 2026, "测试员").unwrap();
        let outsider = v
            .results
            .iter()
            .find(|r| r.status == Status::NotSelected)
            .expect("someone is not selected");
        let mut input = OverrideInput {
            agency_id: outsider.agency_id,
            action: "include".into(),
            reason: " ".into(),
            confirm: false,
        };
        let e = set_override(&store, 2026, &input, "测试员").unwrap_err();
        assert_eq!(e.code, "override.reason_required");
        input.reason = "评审组复核认为事迹突出".into();
        let e = set_override(&store, 2026, &input, "测试员").unwrap_err();
        assert_eq!(e.code, "override.beyond_quota");
        input.confirm = true;
        let v = set_override(&store, 2026, &input, "测试员").unwrap();
        let row = v
            .results
            .iter()
            .find(|r| r.agency_id == outsider.agency_id)
            .unwrap();
        assert_eq!(row.status, Status::Selected);
        assert!(row.reasons.iter().any(|r| r.contains("超出名额（已确认）")));
        input.action = "sideways".into();
        assert_eq!(
            set_override(&store, 2026, &input, "测试员")
                .unwrap_err()
                .code,
            "desktop.bad_request"
        );
    }

    #[test]
    fn compares_against_an_edited_scheme_and_exports_the_workbook() {
        let (dir, state) = imported();
        let store = state.store().unwrap();
        let toml = scheme_text(&store, 2026).unwrap();
        let same = compare(&store, 2026, &toml).unwrap();
        assert!(same.changes.is_empty());
        let stricter = toml.replace("composite_min = 85.0", "composite_min = 95.0");
        let c = compare(&store, 2026, &stricter).unwrap();
        assert!(!c.changes.is_empty());
        assert!(c.changes.iter().all(|ch| ch.after == Status::Ineligible));
        let bad = compare(&store, 2026, "weight = = 1").unwrap_err();
        assert_eq!(bad.code, "scheme.invalid");
        let out = dir.path().join("评选结果.xlsx");
        export(&store, 2026, &out, None).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 5000);
    }
}
