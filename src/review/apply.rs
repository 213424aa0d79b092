//! Reading a review's inputs from the store, applying it to the registry — once per campaign
//! year, recording every due award's review as it was run — reading the applied review back
//! ([`applied`]: what the screen, the workbook and the notices show after applying), and
//! accepting a rectification.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use super::{review, Facts, Outcome, ReviewRow};
use crate::audit::{self, AuditError};
use crate::normalize::name_key;
use crate::scheme::SchemeError;
use crate::select::{self, score, SelectError};
use crate::store::awards::{self as award_store, AwardStatus};
use crate::store::campaigns;
use crate::store::{returns, reviews, Store, StoreError};
use crate::Coded;

/// Errors of reviews.
#[derive(Debug, Error)]
pub enum ReviewError {
    /// No campaign for the year.
    #[error(transparent)]
    Campaign(#[from] campaigns::Unavailable),
    /// The review date lies outside the campaign year.
    #[error("复查日期{date}不在{year}年度内")]
    DateOutsideYear {
        /// The date given.
        date: NaiveDate,
        /// The campaign year.
        year: i32,
    },
    /// The campaign year's review was applied already: a year's review is applied once.
    #[error("{year}年度的复查结果已于{}应用（复查日期{date}，操作人：{operator}），不能再次应用", day_of(.applied_at))]
    AlreadyApplied {
        /// The campaign year.
        year: i32,
        /// The date of the review applied.
        date: NaiveDate,
        /// Who applied it.
        operator: String,
        /// When it was applied (RFC 3339).
        applied_at: String,
    },
    /// No rectifying award for the agency.
    #[error("“{0}”没有整改中的称号")]
    NotRectifying(String),
    /// The award the window named by id is not under rectification (handled meanwhile).
    #[error("该命名记录不在整改中（可能已处理），请刷新后再试")]
    AwardNotRectifying(i64),
    /// The agency matches several awards.
    #[error("“{agency}”对应多个单位（{}），请改用统一社会信用代码", .matches.join("、"))]
    Ambiguous {
        /// What was asked for.
        agency: String,
        /// What it matches.
        matches: Vec<String>,
    },
    /// The rectification date is before the award's review.
    #[error("整改完成日期{date}早于最近一次复查（{year}年）")]
    RectifiedTooEarly {
        /// The date given.
        date: NaiveDate,
        /// The last review year.
        year: i32,
    },
    /// Reading the returns failed.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The scheme is invalid.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The ledger could not be read or written.
    #[error(transparent)]
    Ledger(Box<crate::ledger::LedgerError>),
}

impl From<crate::ledger::LedgerError> for ReviewError {
    fn from(e: crate::ledger::LedgerError) -> Self {
        ReviewError::Ledger(Box::new(e))
    }
}

impl From<rusqlite::Error> for ReviewError {
    fn from(e: rusqlite::Error) -> Self {
        ReviewError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for ReviewError {
    fn code(&self) -> &'static str {
        match self {
            ReviewError::Campaign(e) => e.code(),
            ReviewError::DateOutsideYear { .. } => "review.date_outside_year",
            ReviewError::AlreadyApplied { .. } => "review.already_applied",
            ReviewError::NotRectifying(_) | ReviewError::AwardNotRectifying(_) => {
                "review.not_rectifying"
            }
            ReviewError::Ambiguous { .. } => "review.ambiguous",
            ReviewError::RectifiedTooEarly { .. } => "review.rectified_too_early",
            ReviewError::Select(e) => e.code(),
            ReviewError::Scheme(e) => e.code(),
            ReviewError::Store(e) => e.code(),
            ReviewError::Audit(e) => e.code(),
            ReviewError::Ledger(e) => e.code(),
        }
    }
}

/// This year's facts per agency: composite and vetoes from the current returns, read
/// against the campaign's scheme, with complaints and problems.
pub fn facts(store: &Store, year: i32) -> Result<HashMap<i64, Facts>, ReviewError> {
    let scheme = select::campaign_scheme(store, year)?;
    let mut inputs = select::load(store, year, &scheme)?;
    // The composite a review reads is the selection's: computed components included.
    let computed = std::mem::take(&mut inputs.computed);
    let notes = select::merge_computed(&scheme, &mut inputs.entries, computed);
    let mut out: HashMap<i64, Facts> = inputs
        .entries
        .iter()
        .zip(&notes)
        .map(|(e, notes)| {
            let s = score::compute(&scheme, &e.components, notes, e.daily);
            let vetoes = scheme
                .vetoes
                .iter()
                .zip(&e.vetoes)
                .filter(|(_, set)| **set)
                .map(|(v, _)| v.label.clone())
                .collect();
            (
                e.agency_id,
                Facts {
                    composite: s.composite,
                    vetoes,
                    ..Facts::default()
                },
            )
        })
        .collect();
    for r in returns::current_follow_ups(store.conn(), year)? {
        if let Some(f) = out.get_mut(&r.agency_id) {
            f.complaints = r.complaints;
            f.problems_total = r.problems_total;
            f.problems_fixed = r.problems_fixed;
        }
    }
    Ok(out)
}

fn check_date(store: &Store, year: i32, date: NaiveDate) -> Result<(), ReviewError> {
    campaigns::require(store.conn(), year)?;
    if date.year() != year {
        return Err(ReviewError::DateOutsideYear { date, year });
    }
    Ok(())
}

/// The review of campaign `year` on `date`, without changing anything.
pub fn run(store: &Store, year: i32, date: NaiveDate) -> Result<Vec<ReviewRow>, ReviewError> {
    check_date(store, year, date)?;
    let scheme = select::campaign_scheme(store, year)?;
    let awards = award_store::list_for(store.conn(), year)?;
    let facts = facts(store, year)?;
    Ok(review(&scheme, year, date, &awards, &facts))
}

/// What applying a review did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Applied {
    /// The review as applied.
    pub reviews: Vec<ReviewRow>,
    /// Awards whose registry entry changed.
    pub changed: usize,
}

/// The date part (YYYY-MM-DD) of a stored time (RFC 3339).
fn day_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// Applies the review of `year` on `date` to the registry in one transaction (audited):
/// retain → active; rectify → rectifying with its deadline; revoke → revoked in `year`;
/// the last review year becomes `year`. Each due award's review is recorded as it was
/// run (trigger, the state before, the composite read, outcome, reasons, deadline), so the
/// screen, the workbook and the notices show what was applied ([`applied`]) and not a
/// review run again later on changed data.
///
/// A campaign year's review is applied once: a second application — on the same date or
/// another — is [`ReviewError::AlreadyApplied`] and changes nothing. A review with no due
/// award may be applied too: it records that the year's review was done and found nobody
/// due.
///
/// Whether this year's selection is published does not matter: publishing locks the
/// selection (returns, scheme, overrides), while a review acts on awards of earlier years,
/// which the selection never changes. This year's own awards — the ones publishing
/// added — are never reviewed in their own year ([`review`] takes only awards from before
/// `year`), so applying after publishing cannot touch them.
pub fn apply(
    store: &mut Store,
    year: i32,
    date: NaiveDate,
    operator: &str,
) -> Result<Applied, ReviewError> {
    let rows = run(store, year, date)?;
    let now = crate::now_string();
    let day = date.to_string();
    let tx = store.conn_mut().transaction()?;
    if let Some(a) = reviews::application(&tx, year)? {
        return Err(ReviewError::AlreadyApplied {
            year,
            date: a.review_date,
            operator: a.operator,
            applied_at: a.applied_at,
        });
    }
    reviews::record_application(
        &tx,
        &reviews::Application {
            campaign_year: year,
            review_date: date,
            due: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            operator: operator.to_string(),
            applied_at: now.clone(),
        },
    )?;
    let mut changed = 0;
    let mut problems = 0;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        let reasons = serde_json::to_string(&r.reasons).unwrap_or_default();
        let deadline = r.deadline.map(|d| d.to_string());
        let composite = r.composite.map(|c| c.to_string());
        let review_id = reviews::record(
            &tx,
            &reviews::NewReview {
                award_id: r.award_id,
                campaign_year: year,
                review_date: &day,
                trigger: r.trigger,
                outcome: r.outcome,
                reasons_json: &reasons,
                deadline: deadline.as_deref(),
                status_before: r.status,
                composite: composite.as_deref(),
                operator,
                applied_at: &now,
            },
        )?;
        let (status, revoked_year) = match r.outcome {
            Outcome::Retain => (AwardStatus::Active, None),
            Outcome::Rectify => (AwardStatus::Rectifying, None),
            Outcome::Revoke => (AwardStatus::Revoked, Some(year)),
        };
        let updated = award_store::set_reviewed(
            &tx,
            r.award_id,
            status,
            year,
            deadline.as_deref(),
            revoked_year,
            &now,
        )?;
        if updated {
            changed += 1;
        }
        // A rectification is a problem to follow in the ledger (docs/specification.md
        // §10), added with the review or not at all.
        if let (Outcome::Rectify, Some(d)) = (r.outcome, r.deadline) {
            if crate::ledger::add_review_problem_in(
                &tx,
                review_id,
                r.agency_id,
                year,
                &r.reasons,
                d,
                operator,
                &now,
            )?
            .is_some()
            {
                problems += 1;
            }
        }
        *counts.entry(r.outcome.as_str()).or_default() += 1;
    }
    audit::append(
        &tx,
        operator,
        "review.apply",
        &json!({
            "campaign": year,
            "date": day,
            "reviewed": rows.len(),
            "changed": changed,
            "retain": counts.get("retain").copied().unwrap_or(0),
            "rectify": counts.get("rectify").copied().unwrap_or(0),
            "revoke": counts.get("revoke").copied().unwrap_or(0),
            "ledger_problems": problems,
        }),
    )?;
    tx.commit()?;
    Ok(Applied {
        reviews: rows,
        changed,
    })
}

/// Accepts an agency's rectification on `date`: its rectifying award becomes active again
/// (audited). The agency is given by USCC, or by name when unique.
pub fn mark_rectified(
    store: &mut Store,
    agency: &str,
    date: NaiveDate,
    operator: &str,
) -> Result<award_store::AwardRow, ReviewError> {
    let wanted = agency.trim();
    let code = crate::uscc::validate(wanted).ok();
    let key = name_key(wanted);
    let matches: Vec<award_store::AwardRow> = award_store::list(store.conn())?
        .into_iter()
        .filter(|a| a.status == AwardStatus::Rectifying)
        .filter(|a| match &code {
            Some(c) => a.uscc.as_deref() == Some(c.as_str()),
            None => name_key(&a.name) == key,
        })
        .collect();
    let award = match matches.as_slice() {
        [] => return Err(ReviewError::NotRectifying(wanted.to_string())),
        [one] => one.clone(),
        many => {
            return Err(ReviewError::Ambiguous {
                agency: wanted.to_string(),
                matches: many
                    .iter()
                    .map(|a| format!("{}（{}年命名）", a.name, a.year))
                    .collect(),
            })
        }
    };
    rectify(store, award, date, operator)
}

/// Accepts the rectification of the award with id `award_id` (as the registry lists it) on
/// `date`. The window has the id, so no name lookup can pick another award; an award no
/// longer under rectification (handled meanwhile) is [`ReviewError::AwardNotRectifying`].
pub fn mark_rectified_by_id(
    store: &mut Store,
    award_id: i64,
    date: NaiveDate,
    operator: &str,
) -> Result<award_store::AwardRow, ReviewError> {
    let award = award_store::list(store.conn())?
        .into_iter()
        .find(|a| a.id == award_id && a.status == AwardStatus::Rectifying)
        .ok_or(ReviewError::AwardNotRectifying(award_id))?;
    rectify(store, award, date, operator)
}

/// Makes a rectifying award active again (audited).
fn rectify(
    store: &mut Store,
    award: award_store::AwardRow,
    date: NaiveDate,
    operator: &str,
) -> Result<award_store::AwardRow, ReviewError> {
    if let Some(y) = award.last_review_year.filter(|y| date.year() < *y) {
        return Err(ReviewError::RectifiedTooEarly { date, year: y });
    }
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    award_store::set_rectified(&tx, award.id, &date.to_string(), &now)?;
    // The problems its reviews put in the ledger are done with it.
    let items = crate::ledger::done_for_award_in(&tx, award.id, date, operator, &now)?;
    audit::append(
        &tx,
        operator,
        "awards.rectified",
        &json!({
            "award_id": award.id,
            "uscc": award.uscc,
            "name": award.name,
            "award_year": award.year,
            "date": date.to_string(),
            "deadline": award.rectify_deadline,
            "ledger_items_done": items,
        }),
    )?;
    tx.commit()?;
    let mut updated = award;
    updated.status = AwardStatus::Active;
    Ok(updated)
}

/// The review applied in a campaign year, as recorded when it was applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewRecord {
    /// The campaign year.
    pub year: i32,
    /// The review date.
    pub date: NaiveDate,
    /// Who applied it.
    pub operator: String,
    /// When it was applied (RFC 3339, local time).
    pub applied_at: String,
    /// Every award that was due, in registry order, as the review found it when applied:
    /// trigger, the state before, the composite read, outcome, reasons and deadline. The
    /// agency's name, tier, region and unit type are as the store knows them now.
    pub rows: Vec<ReviewRow>,
}

/// The review applied in campaign `year`, if one was applied ([`apply`]).
pub fn applied(store: &Store, year: i32) -> Result<Option<ReviewRecord>, ReviewError> {
    let conn = store.conn();
    campaigns::require(conn, year)?;
    let Some(app) = reviews::application(conn, year)? else {
        return Ok(None);
    };
    let rows = reviews::list_for_campaign(conn, year)?
        .into_iter()
        .map(|r| ReviewRow {
            award_id: r.award_id,
            agency_id: r.agency_id,
            uscc: r.uscc,
            name: r.name,
            tier: r.tier,
            region: r.region,
            unit_type: r.unit_type,
            award_year: r.award_year,
            title: r.title,
            doc_number: r.doc_number,
            status: r.status_before,
            composite: r.composite,
            trigger: r.trigger,
            outcome: r.outcome,
            reasons: serde_json::from_str(&r.reasons_json).unwrap_or_default(),
            deadline: r.deadline,
        })
        .collect();
    Ok(Some(ReviewRecord {
        year,
        date: app.review_date,
        operator: app.operator,
        applied_at: app.applied_at,
        rows,
    }))
}
