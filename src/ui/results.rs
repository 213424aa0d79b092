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
use crate::select::{self, PoolSummary, ResultRow, RunState, Selection, Status};
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

/// The key of the entry that lists the returns no quota rule applies to (无适用名额).
pub const NO_POOL: &str = "__none__";

/// How many results of the whole selection have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCounts {
    /// 入选.
    pub selected: u32,
    /// 并列待定.
    pub tie_pending: u32,
    /// 未入选.
    pub not_selected: u32,
    /// 不符合条件.
    pub ineligible: u32,
}

impl StatusCounts {
    fn of(results: &[ResultRow]) -> StatusCounts {
        let mut c = StatusCounts::default();
        for r in results {
            *match r.status {
                Status::Selected => &mut c.selected,
                Status::TiePending => &mut c.tie_pending,
                Status::NotSelected => &mut c.not_selected,
                Status::Ineligible => &mut c.ineligible,
            } += 1;
        }
        c
    }
}

/// Everything the results screen shows: the whole selection's pools and counts, and the
/// rows of **one** pool. The screen shows one pool at a time, and a year of 10,000 returns
/// is megabytes of rows: sending them all on every run and every visit is what kept the
/// window busy for seconds (docs/rules.md, "评选结果"). Another pool is another call.
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
    /// Results no quota rule applies to (listed under [`NO_POOL`] after the pools).
    pub unpooled: u32,
    /// Results of the whole selection.
    pub total: u32,
    /// Results of the whole selection by status.
    pub counts: StatusCounts,
    /// The pool whose rows `results` holds: the one asked for if it exists, else the first
    /// pool with a tie to resolve, else the first pool (or [`NO_POOL`]); `None` before the
    /// first run.
    pub pool: Option<String>,
    /// The results of that pool, in the selection's order.
    pub results: Vec<ResultRow>,
    /// The last run, and whether the inputs changed since; `None` when the selection was
    /// never run (then `pools` and `results` are empty).
    pub run: Option<RunState>,
    /// Current returns of the campaign now (the last run may have had fewer or more).
    pub returns: i64,
    /// The last run's reference date (评选基准日: overdue problems are judged on it), as
    /// `select` prints it; `None` before the first run, or for a run stored before the
    /// date was kept.
    pub reference_date: Option<NaiveDate>,
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

/// The pool shown when `wanted` is not one of the selection's: the first with a tie to
/// resolve (the panel's work), else the first pool, else the returns without one.
fn shown_pool(sel: &Selection, wanted: Option<&str>) -> Option<String> {
    let unpooled = sel.results.iter().any(|r| r.pool.is_none());
    let exists = |k: &str| {
        if k == NO_POOL {
            unpooled
        } else {
            sel.pools.iter().any(|p| p.pool == k)
        }
    };
    if let Some(k) = wanted.filter(|k| exists(k)) {
        return Some(k.to_string());
    }
    sel.pools
        .iter()
        .find(|p| p.tie_pending > 0)
        .or_else(|| sel.pools.first())
        .map(|p| p.pool.clone())
        .or_else(|| unpooled.then(|| NO_POOL.to_string()))
}

/// The view of a selection (the campaign's last run) with the rows of one pool.
fn view_of(
    store: &Store,
    year: i32,
    stored: Option<(Selection, RunState)>,
    wanted: Option<&str>,
) -> Result<ResultsView, UiError> {
    let (scheme, status) = campaign_scheme(store, year)?;
    let returns = crate::store::returns::count_current(store.conn(), year)?;
    let mut view = ResultsView {
        year,
        status,
        components: component_labels(&scheme),
        daily_label: scheme.daily_label.clone(),
        pools: Vec::new(),
        unpooled: 0,
        total: 0,
        counts: StatusCounts::default(),
        pool: None,
        results: Vec::new(),
        run: None,
        returns,
        reference_date: None,
    };
    if let Some((sel, state)) = stored {
        let pool = shown_pool(&sel, wanted);
        view.pools = pools(&sel);
        view.unpooled = sel.results.iter().filter(|r| r.pool.is_none()).count() as u32;
        view.total = sel.results.len() as u32;
        view.reference_date = sel.reference_date;
        view.counts = StatusCounts::of(&sel.results);
        view.results = sel
            .results
            .into_iter()
            .filter(|r| match (&pool, &r.pool) {
                (Some(k), None) => k == NO_POOL,
                (Some(k), Some(p)) => k == p,
                (None, _) => false,
            })
            .collect();
        view.pool = pool;
        view.run = Some(state);
    }
    Ok(view)
}

/// The view of the campaign's last run as stored.
fn stored(store: &Store, year: i32, pool: Option<&str>) -> Result<ResultsView, UiError> {
    let last = select::latest(store, year)?.map(|s| (s.selection, s.state));
    view_of(store, year, last, pool)
}

/// The result of the last run as stored, with the rows of `pool` (see
/// [`ResultsView::pool`]), without changing anything; it says when the inputs changed since.
pub fn current(store: &Store, year: i32, pool: Option<&str>) -> Result<ResultsView, UiError> {
    stored(store, year, pool)
}

/// Runs the selection on the reference date `date` (评选基准日; today when none is given,
/// as `select --date` — docs/specification.md §10) and stores it as the campaign's last
/// run (a draft campaign becomes `selected`; audited by the core); the view shows the rows
/// of `pool` and the date the run judged eligibility on.
pub fn run(
    store: &mut Store,
    year: i32,
    date: Option<NaiveDate>,
    operator: &str,
    pool: Option<&str>,
) -> Result<ResultsView, UiError> {
    let date = date.unwrap_or_else(crate::today);
    let sel = select::run_on(store, year, date, operator)?;
    // The selection just stored is the one in hand (the stored text is its serialisation),
    // so it is not read back and parsed again; the run's facts and freshness are.
    let state = select::runs::state(store, year)?.ok_or(select::SelectError::NotRun(year))?;
    view_of(store, year, Some((sel, state)), pool)
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
    pool: Option<&str>,
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
    stored(store, year, pool)
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
        let before = current(&store, 2026, None).unwrap();
        assert_eq!(
            before.status,
            CampaignStatus::Draft,
            "reading changes nothing"
        );
        assert_eq!((before.total, before.pool.as_deref()), (0, None));
        let v = run(&mut store, 2026, None, "测试员", None).unwrap();
        assert_eq!(v.status, CampaignStatus::Selected);
        assert_eq!(v.total, 72);
        let c = v.counts;
        assert_eq!(
            c.selected + c.tie_pending + c.not_selected + c.ineligible,
            72
        );
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

    /// The view carries one pool's rows: the one asked for, else the first with a tie to
    /// resolve, else the first; every pool's rows together are the whole selection.
    #[test]
    fn the_view_holds_the_rows_of_one_pool() {
        let mut store = imported();
        let v = run(&mut store, 2026, None, "测试员", None).unwrap();
        let first = v
            .pools
            .iter()
            .find(|p| p.summary.tie_pending > 0)
            .unwrap_or(&v.pools[0]);
        assert_eq!(v.pool.as_deref(), Some(first.summary.pool.as_str()));
        let mut seen = 0;
        for p in &v.pools {
            let key = p.summary.pool.as_str();
            let one = current(&store, 2026, Some(key)).unwrap();
            assert_eq!(one.pool.as_deref(), Some(key));
            assert_eq!(one.results.len() as u32, p.summary.declared, "{key}");
            assert!(one.results.iter().all(|r| r.pool.as_deref() == Some(key)));
            assert_eq!((one.total, one.counts), (v.total, v.counts));
            seen += one.results.len() as u32;
        }
        if v.unpooled > 0 {
            let none = current(&store, 2026, Some(NO_POOL)).unwrap();
            assert!(none.results.iter().all(|r| r.pool.is_none()));
            seen += none.results.len() as u32;
        }
        assert_eq!(seen, v.total);
        let unknown = current(&store, 2026, Some("county/无此地区")).unwrap();
        assert_eq!(
            unknown.pool, v.pool,
            "an unknown pool shows the default one"
        );
        let again = run(
            &mut store,
            2026,
            None,
            "测试员",
            Some(&v.pools[1].summary.pool),
        )
        .unwrap();
        assert_eq!(
            again.pool.as_deref(),
            Some(v.pools[1].summary.pool.as_str())
        );
        assert_eq!(
            again.results,
            current(&store, 2026, Some(&v.pools[1].summary.pool))
                .unwrap()
                .results,
            "what a run shows is what was stored"
        );
    }

    /// The run takes the reference date it is given (else today), judges the ledger's
    /// overdue problems on it, and the view carries the date of the stored run.
    #[test]
    fn a_run_judges_overdue_problems_on_the_reference_date_it_is_given() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        crate::ledger::add(
            &mut store,
            &crate::ledger::NewItem {
                agency: "广州市人民检察院".into(),
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
        let barred = |store: &Store, v: &ResultsView| {
            let (pool, id) = {
                let all = v
                    .pools
                    .iter()
                    .flat_map(|p| current(store, 2026, Some(&p.summary.pool)).unwrap().results);
                let r = all
                    .into_iter()
                    .find(|r| r.name == "广州市人民检察院")
                    .unwrap();
                (r.pool.clone(), r.agency_id)
            };
            let rows = current(store, 2026, pool.as_deref()).unwrap().results;
            let r = rows.iter().find(|r| r.agency_id == id).unwrap();
            r.reasons.iter().any(|x| x == "有1项逾期未整改问题")
        };
        // The deadline itself: not yet overdue; the day after: barred; none given: today.
        for (date, want) in [
            (Some("2026-10-31"), false),
            (Some("2026-11-01"), true),
            (Some("2026-01-01"), false),
        ] {
            let v = run(&mut store, 2026, date.map(day), "测试员", None).unwrap();
            assert_eq!(v.reference_date, date.map(day), "{date:?}");
            assert_eq!(barred(&store, &v), want, "{date:?}");
            assert_eq!(
                current(&store, 2026, None).unwrap().reference_date,
                date.map(day),
                "the stored run keeps its date"
            );
        }
        let v = run(&mut store, 2026, None, "测试员", None).unwrap();
        assert_eq!(v.reference_date, Some(crate::today()));
        assert_eq!(barred(&store, &v), crate::today() > day("2026-10-31"));
        assert_eq!(
            current(&imported(), 2026, None).unwrap().reference_date,
            None
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_a_confirmation_beyond_the_quota() {
        let mut store = imported();
        let v = run(&mut store, 2026, None, "测试员", None).unwrap();
        // Someone left out, in whichever pool.
        let outsider = v
            .pools
            .iter()
            .flat_map(|p| {
                current(&store, 2026, Some(&p.summary.pool))
                    .unwrap()
                    .results
            })
            .find(|r| r.status == Status::NotSelected)
            .expect("someone is not selected");
        let pool = outsider.pool.clone();
        let pool = pool.as_deref();
        let mut input = OverrideInput {
            agency_id: outsider.agency_id,
            action: "include".into(),
            reason: " ".into(),
            confirm: false,
        };
        let e = set_override(&mut store, 2026, &input, "测试员", pool).unwrap_err();
        assert_eq!(e.code(), "override.reason_required");
        input.reason = "评审组复核认为事迹突出".into();
        let e = set_override(&mut store, 2026, &input, "测试员", pool).unwrap_err();
        assert_eq!(e.code(), "override.beyond_quota");
        input.confirm = true;
        let v = set_override(&mut store, 2026, &input, "测试员", pool).unwrap();
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
        let e = set_override(&mut store, 2026, &gone, "测试员", pool).unwrap_err();
        assert_eq!(e.code(), "override.agency_not_found");
        assert!(e.to_string().contains("可能已被撤回"), "{e}");
        input.action = "sideways".into();
        assert_eq!(
            set_override(&mut store, 2026, &input, "测试员", pool)
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
        run(&mut store, 2026, None, "张三", None).unwrap();
        export(&Mutex::new(store), 2026, &out, None).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 5000);
    }
}
