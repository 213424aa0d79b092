//! 复查管理: the review applied in a campaign year as recorded, the review of a campaign on
//! a date (复查名单 / 整改名单 / 撤销名单; after the year's review was applied, a what-if
//! that cannot be applied), and the registry as listed. The rules are the core's
//! ([`crate::import::registry`], [`crate::review`]); importing the registry, applying a review and
//! accepting a rectification ([`crate::review::mark_rectified_by_id`]) are core calls
//! themselves.

use chrono::NaiveDate;
use serde::Serialize;

use super::UiError;
use crate::review::{self, ReviewRecord, ReviewRow};
use crate::store::awards::{self, AwardRow};
use crate::store::Store;

/// Reads a date the window sends (YYYY-MM-DD).
pub fn parse_date(text: &str) -> Result<NaiveDate, UiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| UiError::BadDate(text.into()))
}

/// The awards registry.
pub fn registry(store: &Store) -> Result<Vec<AwardRow>, UiError> {
    Ok(awards::list(store.conn())?)
}

/// A review as the screen shows it: what the review on `date` finds now, and the review
/// applied in this campaign year, if any. Once one was applied, `rows` is only a what-if:
/// applying it is refused ([`review::ReviewError::AlreadyApplied`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewView {
    /// The review date.
    pub date: NaiveDate,
    /// Every due award with trigger, outcome, reasons and deadline.
    pub rows: Vec<ReviewRow>,
    /// The review applied in this campaign year, as recorded.
    pub applied: Option<ReviewRecord>,
    /// The open problems in the ledger, on the review date, of each agency the review
    /// (or the applied one) names (docs/specification.md §10).
    pub open_problems: Vec<AgencyProblems>,
}

/// One reviewed agency's problems not done, with their status on the review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencyProblems {
    /// `agencies.id`, as the review's rows name it.
    pub agency_id: i64,
    /// Its problems not done, by agency list order.
    pub items: Vec<crate::ledger::Item>,
}

/// The open problems of the agencies `rows` name, on `date`.
fn open_problems(
    store: &Store,
    date: NaiveDate,
    rows: &[&ReviewRow],
) -> Result<Vec<AgencyProblems>, UiError> {
    let mut open = crate::ledger::open_problems(store, date)?;
    let mut out: Vec<AgencyProblems> = Vec::new();
    for r in rows {
        if out.iter().any(|a| a.agency_id == r.agency_id) {
            continue;
        }
        if let Some(items) = open.remove(&r.agency_id) {
            out.push(AgencyProblems {
                agency_id: r.agency_id,
                items,
            });
        }
    }
    Ok(out)
}

/// The review of campaign `year` on `date`; nothing changes.
pub fn run(store: &Store, year: i32, date: NaiveDate) -> Result<ReviewView, UiError> {
    let rows = review::run(store, year, date)?;
    let applied = review::applied(store, year)?;
    let named: Vec<&ReviewRow> = rows
        .iter()
        .chain(applied.iter().flat_map(|a| &a.rows))
        .collect();
    let open_problems = open_problems(store, date, &named)?;
    Ok(ReviewView {
        date,
        rows,
        applied,
        open_problems,
    })
}

/// The review applied in campaign `year`, as recorded, if one was applied: what the screen
/// shows when it opens.
pub fn applied(store: &Store, year: i32) -> Result<Option<ReviewRecord>, UiError> {
    Ok(review::applied(store, year)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::awards::AwardStatus;
    use crate::ui::testing::{campaign_with, opts, sample};
    use crate::Coded;

    #[test]
    fn imports_the_registry_reviews_applies_and_accepts_a_rectification() {
        let mut store = campaign_with(&["00_广州市.xlsx", "03_广州市越秀区.xlsx"]);
        let reg = crate::import::Registry::open(&store).unwrap();
        let rep =
            crate::import::import_file(&mut store, &reg, &sample("awards.xlsx"), &opts()).unwrap();
        assert_eq!(rep.imported, 16, "{:?}", rep.errors);
        assert_eq!(registry(&store).unwrap().len(), 16);

        assert_eq!(
            parse_date("2026-2-30").unwrap_err().code(),
            "desktop.bad_date"
        );
        let date = parse_date("2026-12-01").unwrap();
        let v = run(&store, 2026, date).unwrap();
        assert!(!v.rows.is_empty());
        assert_eq!(v.applied, None);
        assert_eq!(applied(&store, 2026).unwrap(), None);
        let outside = run(&store, 2026, parse_date("2025-12-01").unwrap()).unwrap_err();
        assert_eq!(outside.code(), "review.date_outside_year");

        let done = review::apply(&mut store, 2026, date, "测试员").unwrap();
        assert_eq!(done.changed, v.rows.len());
        assert_eq!(done.reviews, v.rows);
        // The screen shows the review as applied, from the store: the same rows (state
        // before, composite, outcome, reasons, deadline), not a review run again — which on
        // the same date now finds fewer awards due, their last review being this year.
        let record = applied(&store, 2026)
            .unwrap()
            .expect("the review was applied");
        assert_eq!((record.year, record.date), (2026, date));
        assert_eq!(record.operator, "测试员");
        assert_eq!(record.rows, v.rows);
        let after = run(&store, 2026, date).unwrap();
        assert_eq!(after.applied.as_ref(), Some(&record));
        assert!(after.rows.len() < v.rows.len(), "{:?}", after.rows);

        // Applying twice is refused by the core, on the same date or another, and changes
        // nothing.
        let log = crate::audit::verify(store.conn()).unwrap().rows;
        for again in ["2026-12-01", "2026-12-20"] {
            let e =
                review::apply(&mut store, 2026, parse_date(again).unwrap(), "测试员").unwrap_err();
            assert_eq!(e.code(), "review.already_applied");
            assert!(
                e.to_string().contains("2026年度的复查结果已于")
                    && e.to_string()
                        .contains("复查日期2026-12-01，操作人：测试员）"),
                "{e}"
            );
        }
        assert_eq!(crate::audit::verify(store.conn()).unwrap().rows, log);
        assert_eq!(applied(&store, 2026).unwrap(), Some(record));

        let rectifying = registry(&store)
            .unwrap()
            .into_iter()
            .find(|a| a.status == AwardStatus::Rectifying)
            .expect("the review put someone under rectification");
        let done = review::mark_rectified_by_id(&mut store, rectifying.id, date, "测试员").unwrap();
        assert_eq!(done.status, AwardStatus::Active);
        let again =
            review::mark_rectified_by_id(&mut store, rectifying.id, date, "测试员").unwrap_err();
        assert_eq!(again.code(), "review.not_rectifying");
        assert!(again.to_string().contains("可能已处理"), "{again}");
    }
}
