//! 复查管理: the review of a campaign on a date (复查名单 / 整改名单 / 撤销名单) with what
//! was applied already, and the registry as listed. The rules are the core's
//! ([`crate::import::registry`], [`crate::review`]); importing the registry, applying a review and
//! accepting a rectification ([`crate::review::mark_rectified_by_id`]) are core calls
//! themselves.

use chrono::NaiveDate;
use serde::Serialize;

use super::UiError;
use crate::review::{self, AppliedReview, ReviewRow};
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

/// A review as the screen shows it: what the review on `date` finds, and what was applied
/// in this campaign year already.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewView {
    /// The review date.
    pub date: NaiveDate,
    /// Every due award with trigger, outcome, reasons and deadline.
    pub rows: Vec<ReviewRow>,
    /// The reviews applied in this campaign year.
    pub applied: Vec<AppliedReview>,
}

/// The review of campaign `year` on `date`; nothing changes.
pub fn run(store: &Store, year: i32, date: NaiveDate) -> Result<ReviewView, UiError> {
    Ok(ReviewView {
        date,
        rows: review::run(store, year, date)?,
        applied: review::applied(store, year)?,
    })
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
        assert!(v.applied.is_empty());
        let outside = run(&store, 2026, parse_date("2025-12-01").unwrap()).unwrap_err();
        assert_eq!(outside.code(), "review.date_outside_year");

        let applied = review::apply(&mut store, 2026, date, "测试员").unwrap();
        assert_eq!(applied.changed, v.rows.len());
        assert_eq!(run(&store, 2026, date).unwrap().applied.len(), v.rows.len());

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
