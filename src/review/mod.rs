//! Periodic review and revocation (复查与摘牌, docs/specification.md §5): which awards are due and by
//! which trigger, the outcome rules in their order, rectification deadlines, and
//! applying a review to the registry (once per campaign year) and reading it back as
//! recorded.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::scheme::{ReviewSettings, Scheme, Tier};
use crate::select::fmt2;
use crate::store::awards::{AwardRow, AwardStatus};

mod apply;
#[cfg(test)]
mod tests;

pub use apply::{
    applied, apply, facts, mark_rectified, mark_rectified_by_id, run, Applied, ReviewError,
    ReviewRecord,
};

/// Why an award is reviewed, and what a review decides: words of the vocabulary.
pub use crate::vocab::{Outcome, Trigger};

/// What this year's return says about an awarded agency.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// Composite score rounded to 2 places, when computable.
    pub composite: Option<Decimal>,
    /// Labels of the veto items flagged.
    pub vetoes: Vec<String>,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
}

/// One due award's review.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewRow {
    /// Row id of the award reviewed (`awards.id`): what applying the review updates.
    pub award_id: i64,
    /// Row id of the awarded agency (`agencies.id`), matched against this year's returns.
    pub agency_id: i64,
    /// 统一社会信用代码 (18 characters, upper case, check digit verified) when one is known; `None` for an
    /// agency known by name and region only.
    pub uscc: Option<String>,
    /// Agency name as the store knows it (from its latest return or registry row).
    pub name: String,
    /// The agency's tier (省直, 市级 or 县级) as the store knows it.
    pub tier: Tier,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<String>,
    /// 单位类型 as the store knows it.
    pub unit_type: String,
    /// Year awarded.
    pub award_year: i32,
    /// The title held, e.g. 模范机关.
    pub title: String,
    /// The award's document number.
    pub doc_number: Option<String>,
    /// The award's state before the review.
    pub status: AwardStatus,
    /// This year's composite, when there is one.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite: Option<Decimal>,
    /// Why it is reviewed.
    pub trigger: Trigger,
    /// Retain, rectify by `deadline`, or revoke, from the review rules in their order.
    pub outcome: Outcome,
    /// Why, as Chinese sentences shown to the clerk, in the order the rules were applied; empty
    /// when the title is retained.
    pub reasons: Vec<String>,
    /// The rectification deadline of a `rectify` outcome.
    pub deadline: Option<NaiveDate>,
}

/// The review date plus `months`, clamped to the end of the month
/// (2026-08-31 + 6 months = 2027-02-28).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The first trigger that applies to an active or rectifying award, if any.
pub fn trigger(
    settings: &ReviewSettings,
    year: i32,
    date: NaiveDate,
    award: &AwardRow,
    facts: Option<&Facts>,
) -> Option<Trigger> {
    if facts.is_some_and(|f| !f.vetoes.is_empty()) {
        return Some(Trigger::Veto);
    }
    if deadline_passed(award, date) {
        return Some(Trigger::Deadline);
    }
    let complaints = facts.and_then(|f| f.complaints).unwrap_or(0);
    if complaints >= i64::from(settings.complaints_trigger) {
        return Some(Trigger::Complaints);
    }
    let since = award.last_review_year.unwrap_or(award.year).max(award.year);
    if i64::from(year) - i64::from(since) >= i64::from(settings.cycle_years) {
        return Some(Trigger::Cycle);
    }
    None
}

/// Whether a rectifying award's deadline lies before the review date.
fn deadline_passed(award: &AwardRow, date: NaiveDate) -> bool {
    award.status == AwardStatus::Rectifying
        && award
            .rectify_deadline
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| d < date)
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The outcome of a due award: the first rule that applies (docs/specification.md §5).
pub fn outcome(
    settings: &ReviewSettings,
    date: NaiveDate,
    award: &AwardRow,
    facts: Option<&Facts>,
) -> (Outcome, Vec<String>, Option<NaiveDate>) {
    let rectify = |reasons: Vec<String>| {
        (
            Outcome::Rectify,
            reasons,
            Some(add_months(date, settings.rectify_months)),
        )
    };
    if let Some(f) = facts.filter(|f| !f.vetoes.is_empty()) {
        let reasons = f.vetoes.iter().map(|v| format!("一票否决：{v}")).collect();
        return (Outcome::Revoke, reasons, None);
    }
    if deadline_passed(award, date) {
        return (
            Outcome::Revoke,
            vec!["整改期满未完成整改".to_string()],
            None,
        );
    }
    let Some(f) = facts else {
        return rectify(vec!["未报送复查材料".to_string()]);
    };
    let Some(c) = f.composite else {
        return rectify(vec!["复查材料不完整".to_string()]);
    };
    if c < settings.revoke_below {
        let why = format!(
            "综合得分{}分，低于撤销线{}分",
            fmt2(c),
            plain(settings.revoke_below)
        );
        return (Outcome::Revoke, vec![why], None);
    }
    let mut reasons = Vec::new();
    if c < settings.retain_min {
        reasons.push(format!(
            "综合得分{}分，低于保留线{}分",
            fmt2(c),
            plain(settings.retain_min)
        ));
    }
    if let (Some(total), Some(fixed)) = (f.problems_total, f.problems_fixed.or(Some(0))) {
        if total > 0 {
            let rate = Decimal::from(fixed) / Decimal::from(total);
            if rate < settings.rectification_rate_min {
                reasons.push(format!(
                    "问题整改率{}%（{fixed}/{total}），低于{}%",
                    fmt2(rate * Decimal::ONE_HUNDRED),
                    plain(settings.rectification_rate_min * Decimal::ONE_HUNDRED)
                ));
            }
        }
    }
    if reasons.is_empty() {
        (Outcome::Retain, Vec::new(), None)
    } else {
        rectify(reasons)
    }
}

/// Reviews every active or rectifying award on `date` (within campaign year `year`):
/// the due ones, in registry order, with trigger, outcome, reasons and deadline.
pub fn review(
    scheme: &Scheme,
    year: i32,
    date: NaiveDate,
    awards: &[AwardRow],
    facts: &HashMap<i64, Facts>,
) -> Vec<ReviewRow> {
    debug_assert_eq!(date.year(), year);
    let settings = &scheme.review;
    awards
        .iter()
        // This year's own awards (a campaign published this year) are not reviewed.
        .filter(|a| a.status.is_held() && a.year < year)
        .filter_map(|a| {
            let f = facts.get(&a.agency_id);
            let trigger = trigger(settings, year, date, a, f)?;
            let (outcome, reasons, deadline) = outcome(settings, date, a, f);
            Some(ReviewRow {
                award_id: a.id,
                agency_id: a.agency_id,
                uscc: a.uscc.clone(),
                name: a.name.clone(),
                tier: a.tier,
                region: a.region.clone(),
                unit_type: a.unit_type.clone(),
                award_year: a.year,
                title: a.title.clone(),
                doc_number: a.doc_number.clone(),
                status: a.status,
                composite: f.and_then(|f| f.composite),
                trigger,
                outcome,
                reasons,
                deadline,
            })
        })
        .collect()
}

/// [`to_json`] with each reviewed agency's open problems in the ledger on the review date
/// (docs/specification.md §10): `"open_problems": [{"id", "text", "deadline", "status"}]`.
pub fn to_json_with_problems(
    rows: &[ReviewRow],
    open: &std::collections::HashMap<i64, Vec<crate::ledger::Item>>,
) -> Vec<serde_json::Value> {
    let mut out = to_json(rows);
    for (v, r) in out.iter_mut().zip(rows) {
        let list: Vec<serde_json::Value> = open
            .get(&r.agency_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|i| {
                serde_json::json!({
                    "id": i.id,
                    "text": i.text,
                    "deadline": i.deadline.map(|d| d.to_string()),
                    "status": i.status.as_str(),
                })
            })
            .collect();
        v["open_problems"] = serde_json::Value::Array(list);
    }
    out
}

/// The `reviews` entries of the JSON contract (docs/specification.md §7).
pub fn to_json(rows: &[ReviewRow]) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|r| {
            serde_json::json!({
                "uscc": r.uscc,
                "name": r.name,
                "award_year": r.award_year,
                "trigger": r.trigger.as_str(),
                "outcome": r.outcome.as_str(),
                "reasons": r.reasons,
                "deadline": r.deadline.map(|d| d.to_string()),
            })
        })
        .collect()
}
