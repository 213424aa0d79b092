//! The `reviews` table: applied reviews (复查记录), one per award and campaign year.

use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
use crate::vocab::{Outcome, Trigger};

/// Creates the `reviews` table.
pub const MIGRATION_9: Migration = Migration {
    version: 9,
    name: "reviews",
    sql: "CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        award_id INTEGER NOT NULL REFERENCES awards (id),
        campaign_year INTEGER NOT NULL,
        review_date TEXT NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger = 'veto' OR trigger = 'deadline'
            OR trigger = 'complaints' OR trigger = 'cycle'),
        outcome TEXT NOT NULL CHECK (outcome = 'retain' OR outcome = 'rectify' OR outcome = 'revoke'),
        reasons TEXT NOT NULL,
        deadline TEXT,
        operator TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        UNIQUE (award_id, campaign_year)
    );",
};

/// A review to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview<'a> {
    /// Row id of the award reviewed (`awards.id`); one review per award and campaign.
    pub award_id: i64,
    /// Year of the campaign the review belongs to (e.g. 2026).
    pub campaign_year: i32,
    /// Review date (YYYY-MM-DD).
    pub review_date: &'a str,
    /// Why the award was reviewed.
    pub trigger: Trigger,
    /// What the review decided.
    pub outcome: Outcome,
    /// Reasons as a JSON array.
    pub reasons_json: &'a str,
    /// Rectification deadline (YYYY-MM-DD).
    pub deadline: Option<&'a str>,
    /// Who applied it.
    pub operator: &'a str,
    /// When it was applied (RFC 3339).
    pub applied_at: &'a str,
}

/// Records a review, replacing the award's review of the same campaign year; returns
/// false when an identical review (same date, trigger, outcome, reasons, deadline) was
/// already recorded, in which case nothing is written.
pub fn record(conn: &Connection, r: &NewReview<'_>) -> rusqlite::Result<bool> {
    let same: Option<i64> = conn
        .query_row(
            "SELECT id FROM reviews WHERE award_id = ?1 AND campaign_year = ?2
             AND review_date = ?3 AND trigger = ?4 AND outcome = ?5 AND reasons = ?6
             AND deadline IS ?7",
            params![
                r.award_id,
                r.campaign_year,
                r.review_date,
                r.trigger,
                r.outcome,
                r.reasons_json,
                r.deadline
            ],
            |row| row.get(0),
        )
        .optional()?;
    if same.is_some() {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO reviews (award_id, campaign_year, review_date, trigger, outcome, reasons,
         deadline, operator, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (award_id, campaign_year) DO UPDATE SET review_date = excluded.review_date,
           trigger = excluded.trigger, outcome = excluded.outcome, reasons = excluded.reasons,
           deadline = excluded.deadline, operator = excluded.operator,
           applied_at = excluded.applied_at",
        params![
            r.award_id,
            r.campaign_year,
            r.review_date,
            r.trigger,
            r.outcome,
            r.reasons_json,
            r.deadline,
            r.operator,
            r.applied_at
        ],
    )?;
    Ok(true)
}

/// A recorded review with its award and agency, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewListing {
    /// Agency name.
    pub name: String,
    /// Agency USCC.
    pub uscc: Option<String>,
    /// The year the award was given.
    pub award_year: i32,
    /// The award's document number.
    pub doc_number: Option<String>,
    /// Review date (YYYY-MM-DD).
    pub review_date: String,
    /// Outcome code.
    pub outcome: String,
    /// Reasons as a JSON array.
    pub reasons_json: String,
    /// Rectification deadline (YYYY-MM-DD).
    pub deadline: Option<String>,
}

/// The reviews recorded in campaign `year`, in agency-name order (then USCC).
pub fn list_for_campaign(conn: &Connection, year: i32) -> rusqlite::Result<Vec<ReviewListing>> {
    let mut stmt = conn.prepare(
        "SELECT a.name, a.uscc, w.year, w.doc_number, r.review_date, r.outcome, r.reasons,
                r.deadline
         FROM reviews r JOIN awards w ON w.id = r.award_id JOIN agencies a ON a.id = w.agency_id
         WHERE r.campaign_year = ?1 ORDER BY a.name, a.uscc",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(ReviewListing {
            name: r.get(0)?,
            uscc: r.get(1)?,
            award_year: r.get(2)?,
            doc_number: r.get(3)?,
            review_date: r.get(4)?,
            outcome: r.get(5)?,
            reasons_json: r.get(6)?,
            deadline: r.get(7)?,
        })
    })?;
    rows.collect()
}
