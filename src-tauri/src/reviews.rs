//! 复查管理: the awards registry (import and list), the review of a campaign on a date
//! (复查名单 / 整改名单 / 撤销名单), applying it, and accepting a rectification. The rules
//! are the core's (`mofan::import::registry`, `mofan::review`).

use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;
use mofan::import::{FileReport, ImportOptions};
use mofan::review::{self, Applied, AppliedReview, ReviewRow};
use mofan::store::awards::{self, AwardRow, AwardStatus};
use mofan::store::Store;
use serde::Serialize;

use crate::{lock, CommandError};

/// Reads a date the window sends (YYYY-MM-DD).
pub fn parse_date(text: &str) -> Result<NaiveDate, CommandError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        CommandError::new(
            "desktop.bad_date",
            format!("日期“{text}”无效，应为 2026-12-01 的形式"),
        )
    })
}

/// Imports an awards registry (the core checks every row; a bad file changes nothing).
pub fn import_registry(
    store: &Mutex<Store>,
    path: &Path,
    partial: bool,
    operator: &str,
) -> Result<FileReport, CommandError> {
    let opts = ImportOptions {
        partial,
        operator: operator.to_string(),
    };
    let mut store = lock(store)?;
    mofan::import::Registry::open(&store)
        .and_then(|registry| mofan::import::import_file(&mut store, &registry, path, &opts))
        .map_err(CommandError::from_core)
}

/// The awards registry.
pub fn registry(store: &Mutex<Store>) -> Result<Vec<AwardRow>, CommandError> {
    let store = lock(store)?;
    awards::list(store.conn()).map_err(CommandError::store)
}

/// A review as the screen shows it: what the review on `date` finds, and what was applied
/// in this campaign year already.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewView {
    /// The review date.
    pub date: NaiveDate,
    /// Every due award with trigger, outcome, reasons and deadline.
    pub rows: Vec<ReviewRow>,
    /// The reviews applied in this campaign year.
    pub applied: Vec<AppliedReview>,
}

/// The review of campaign `year` on `date`; nothing changes.
pub fn run(store: &Mutex<Store>, year: i32, date: NaiveDate) -> Result<ReviewView, CommandError> {
    let store = lock(store)?;
    let rows = review::run(&store, year, date).map_err(CommandError::from_core)?;
    let applied = review::applied(&store, year).map_err(CommandError::from_core)?;
    Ok(ReviewView {
        date,
        rows,
        applied,
    })
}

/// Applies the review to the registry (one audited transaction; idempotent).
pub fn apply(
    store: &Mutex<Store>,
    year: i32,
    date: NaiveDate,
    operator: &str,
) -> Result<Applied, CommandError> {
    let mut store = lock(store)?;
    review::apply(&mut store, year, date, operator).map_err(CommandError::from_core)
}

/// Accepts the rectification of the award `award_id` on `date` (audited).
pub fn mark_rectified(
    store: &Mutex<Store>,
    award_id: i64,
    date: NaiveDate,
    operator: &str,
) -> Result<AwardRow, CommandError> {
    let mut store = lock(store)?;
    let award = awards::list(store.conn())
        .map_err(CommandError::store)?
        .into_iter()
        .find(|a| a.id == award_id && a.status == AwardStatus::Rectifying)
        .ok_or_else(|| {
            CommandError::new(
                "review.not_rectifying",
                "该命名记录不在整改中（可能已处理），请刷新后再试",
            )
        })?;
    // The core names an agency by USCC, or by name when unique.
    let agency = award.uscc.clone().unwrap_or_else(|| award.name.clone());
    review::mark_rectified(&mut store, &agency, date, operator).map_err(CommandError::from_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{sample, temp_state};

    #[test]
    fn imports_the_registry_reviews_applies_and_accepts_a_rectification() {
        let (_dir, state) = temp_state();
        let store = state.store().unwrap();
        crate::create_campaign(&store, 2026, None, "测试员").unwrap();
        let opts = ImportOptions {
            partial: false,
            operator: "测试员".into(),
        };
        for n in ["00_广州市.xlsx", "03_广州市越秀区.xlsx"] {
            let mut s = store.lock().unwrap();
            let returns = mofan::import::Returns::open(&s, 2026, &[]).unwrap();
            mofan::import::import_file(&mut s, &returns, &sample(n), &opts).unwrap();
        }
        let rep = import_registry(&store, &sample("awards.xlsx"), false, "测试员").unwrap();
        assert_eq!(rep.imported, 16, "{:?}", rep.errors);
        assert_eq!(registry(&store).unwrap().len(), 16);

        assert_eq!(
            parse_date("2026-2-30").unwrap_err().code,
            "desktop.bad_date"
        );
        let date = parse_date("2026-12-01").unwrap();
        let v = run(&store, 2026, date).unwrap();
        assert!(!v.rows.is_empty());
        assert!(v.applied.is_empty());
        let outside = run(&store, 2026, parse_date("2025-12-01").unwrap()).unwrap_err();
        assert_eq!(outside.code, "review.date_outside_year");

        let applied = apply(&store, 2026, date, "测试员").unwrap();
        assert_eq!(applied.changed, v.rows.len());
        assert_eq!(run(&store, 2026, date).unwrap().applied.len(), v.rows.len());

        let rectifying = registry(&store)
            .unwrap()
            .into_iter()
            .find(|a| a.status == AwardStatus::Rectifying)
            .expect("the review put someone under rectification");
        let done = mark_rectified(&store, rectifying.id, date, "测试员").unwrap();
        assert_eq!(done.status, AwardStatus::Active);
        let again = mark_rectified(&store, rectifying.id, date, "测试员").unwrap_err();
        assert_eq!(again.code, "review.not_rectifying");
    }
}
