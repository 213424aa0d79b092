//! 评选结果: the stored result of a campaign's last run (docs/specification.md §4, "Runs"),
//! with its time and whether the inputs changed since; running, panel overrides (each a
//! run) and the result workbook; the what-if comparison is [`super::compare`].
//! Publishing and reopening are [`crate::campaign::publish`] and
//! [`crate::campaign::reopen`] themselves.

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{campaign_scheme, component_labels, lock, Label, UiError};
use crate::export::results::{self as book, ResultBook};
use crate::select::{self, PoolSummary, ResultRow, RunState, Selection};
use crate::store::campaigns::CampaignStatus;
use crate::store::overrides::OverrideAction;
use crate::store::Store;

/// A pool with its Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolView {
    /// Chinese name ("县级/广州市越秀区").
    pub label: String,
    /// The core's counts.
    #[serde(flatten)]
    pub summary: PoolSummary,
}

/// Everything the results screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The last run, and whether the inputs changed since; `None` when the selection was
    /// never run (then `pools` and `results` are empty).
    pub run: Option<RunState>,
    /// Current returns of the campaign now (the last run may have had fewer or more).
    pub returns: i64,
}

fn pools(sel: &Selection) -> Vec<PoolView> {
    sel.pools
        .iter()
        .map(|p| PoolView {
            label: select::pool_label(&p.pool),
            summary: p.clone(),
        })
        .collect()
}

/// The view of the campaign's last run as stored (read back after a run, so what the
/// screen shows is exactly what was stored).
fn stored(store: &Store, year: i32) -> Result<ResultsView, UiError> {
    let (scheme, status) = campaign_scheme(store, year)?;
    let (pools, results, run) = match select::latest(store, year)? {
        Some(s) => (pools(&s.selection), s.selection.results, Some(s.state)),
        None => (Vec::new(), Vec::new(), None),
    };
    Ok(ResultsView {
        year,
        status,
        components: component_labels(&scheme),
        daily_label: scheme.daily_label.clone(),
        pools,
        results,
        run,
        returns: crate::store::returns::count_current(store.conn(), year)?,
    })
}

/// The result of the last run as stored, without changing anything; it says when the
/// inputs changed since.
pub fn current(store: &Store, year: i32) -> Result<ResultsView, UiError> {
    stored(store, year)
}

/// Runs the selection and stores it as the campaign's last run (a draft campaign becomes
/// `selected`; audited by the core).
pub fn run(store: &mut Store, year: i32, operator: &str) -> Result<ResultsView, UiError> {
    select::run(store, year, operator)?;
    stored(store, year)
}

/// A panel decision as the window sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Records a panel decision for the agency of a result row (the core checks the reason
/// and the quota, and audits it), and returns the selection with it applied.
pub fn set_override(
    store: &mut Store,
    year: i32,
    input: &OverrideInput,
    operator: &str,
) -> Result<ResultsView, UiError> {
    let action = OverrideAction::parse(&input.action)
        .ok_or_else(|| UiError::UnknownAction(input.action.clone()))?;
    select::set_override_by_id(
        store,
        year,
        input.agency_id,
        action,
        &input.reason,
        input.confirm,
        operator,
    )?;
    stored(store, year)
}

/// Writes the result workbook of the campaign's last run, as stored (or, before the first
/// run, only the review lists when there is a review to list), to `out`, with the
/// review applied in the campaign year (复查名单, 整改名单, 撤销名单, as recorded), else the
/// review on `review_date` when one is given; the workbook's 说明 sheet names the run and
/// warns when the inputs changed since. The store is locked only while the inputs are read.
pub fn export(
    store: &Mutex<Store>,
    year: i32,
    out: &Path,
    review_date: Option<NaiveDate>,
) -> Result<(), UiError> {
    let guard = lock(store)?;
    let (scheme, _) = campaign_scheme(&guard, year)?;
    // Never a recomputed selection: the last run as stored, or — for the review lists
    // exported from 复查管理 before any run — no selection at all (说明 says so).
    let stored = select::latest(&guard, year)?;
    let applied = crate::review::applied(&guard, year)?.is_some();
    if stored.is_none() && !applied && review_date.is_none() {
        return Err(select::SelectError::NotRun(year).into());
    }
    let (selection, run) = match stored {
        Some(s) => (s.selection, Some(s.state)),
        None => (Selection::empty(year), None),
    };
    let mut rb = ResultBook::from_store(&guard, year, &scheme, &selection, crate::now_string())?;
    rb.run = run;
    if let (None, Some(date)) = (&rb.review, review_date) {
        rb.show_review_run(date, crate::review::run(&guard, year, date)?);
    }
    drop(guard);
    Ok(book::write(out, &rb)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::Status;
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

    #[test]
    fn runs_and_reads_the_selection_with_labels() {
        let mut store = imported();
        let before = current(&store, 2026).unwrap();
        assert_eq!(
            before.status,
            CampaignStatus::Draft,
            "reading changes nothing"
        );
        let v = run(&mut store, 2026, "测试员").unwrap();
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
        let mut store = imported();
        let v = run(&mut store, 2026, "测试员").unwrap();
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
        let e = set_override(&mut store, 2026, &input, "测试员").unwrap_err();
        assert_eq!(e.code(), "override.reason_required");
        input.reason = "评审组复核认为事迹突出".into();
        let e = set_override(&mut store, 2026, &input, "测试员").unwrap_err();
        assert_eq!(e.code(), "override.beyond_quota");
        input.confirm = true;
        let v = set_override(&mut store, 2026, &input, "测试员").unwrap();
        let row = v
            .results
            .iter()
            .find(|r| r.agency_id == outsider.agency_id)
            .unwrap();
        assert_eq!(row.status, Status::Selected);
        assert!(row.reasons.iter().any(|r| r.contains("超出名额（已确认）")));
        let gone = OverrideInput {
            agency_id: -1,
            ..input.clone()
        };
        let e = set_override(&mut store, 2026, &gone, "测试员").unwrap_err();
        assert_eq!(e.code(), "override.agency_not_found");
        assert!(e.to_string().contains("可能已被撤回"), "{e}");
        input.action = "sideways".into();
        assert_eq!(
            set_override(&mut store, 2026, &input, "测试员")
                .unwrap_err()
                .code(),
            "desktop.bad_request"
        );
    }

    #[test]
    fn exports_the_workbook() {
        let store = imported();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("评选结果.xlsx");
        // The workbook is a run's stored result: none before the selection is run.
        let mut store = store;
        let e = export(
            &Mutex::new(Store::open_in_memory().unwrap()),
            2026,
            &out,
            None,
        );
        assert_eq!(e.unwrap_err().code(), "campaign.not_found");
        let never = {
            let m = Mutex::new(store);
            let e = export(&m, 2026, &out, None).unwrap_err();
            store = m.into_inner().unwrap();
            e
        };
        assert_eq!(never.code(), "select.not_run");
        assert!(!out.exists());
        // 复查管理's review lists are exported before any run, without a selection.
        let lists = dir.path().join("复查名单.xlsx");
        let m = Mutex::new(store);
        let day = NaiveDate::from_ymd_opt(2026, 12, 1);
        export(&m, 2026, &lists, day).unwrap();
        store = m.into_inner().unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&lists).unwrap();
        use calamine::Reader;
        let notes = wb.worksheet_range("说明").unwrap();
        assert!(notes.rows().any(|r| r.iter().any(
            |c| matches!(c, calamine::Data::String(s) if s == "尚未运行评选：本工作簿只含复查名单")
        )));
        assert!(wb.sheet_names().iter().any(|n| n == "复查名单"));
        run(&mut store, 2026, "张三").unwrap();
        export(&Mutex::new(store), 2026, &out, None).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 5000);
    }
}
