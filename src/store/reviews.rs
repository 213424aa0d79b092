//! The `reviews` table: applied reviews (复查记录), one per award and campaign year.

use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;

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
    /// Award id.
    pub award_id: i64,
    /// Campaign year.
    pub campaign_year: i32,
    /// Review date (YYYY-MM-DD).
    pub review_date: &'a str,
    /// Trigger code.
    pub trigger: &'a str,
    /// Outcome code.
    pub outcome: &'a str,
    /// Reasons as a JSON array.
    pub reasons_json: &'a str,
    /// Rectification deadline (YYYY-MM-DD).
    pub deadline: Option<&'a str>,
    /// Who applied it.
    pub operator: &'a str,
    /// When.
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

/// An applied review as stored, with the award's agency and year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReviewRecord {
    /// Award id.
    pub award_id: i64,
    /// Agency name.
    pub name: String,
    /// Agency USCC.
    pub uscc: Option<String>,
    /// Year the award was given.
    pub award_year: i32,
    /// Review date (YYYY-MM-DD).
    pub review_date: String,
    /// Trigger code.
    pub trigger: String,
    /// Outcome code.
    pub outcome: String,
    /// Reasons (JSON array text).
    pub reasons: String,
    /// Rectification deadline.
    pub deadline: Option<String>,
    /// Who applied it.
    pub operator: String,
    /// When.
    pub applied_at: String,
}

/// The reviews applied in a campaign year, by agency name.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<ReviewRecord>> {
    let mut stmt = conn.prepare(
        "SELECT r.award_id, g.name, g.uscc, a.year, r.review_date, r.trigger, r.outcome,
                r.reasons, r.deadline, r.operator, r.applied_at
         FROM reviews r JOIN awards a ON a.id = r.award_id JOIN agencies g ON g.id = a.agency_id
         WHERE r.campaign_year = ?1 ORDER BY g.name, a.year",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(ReviewRecord {
            award_id: r.get(0)?,
            name: r.get(1)?,
            uscc: r.get(2)?,
            award_year: r.get(3)?,
            review_date: r.get(4)?,
            trigger: r.get(5)?,
            outcome: r.get(6)?,
            reasons: r.get(7)?,
            deadline: r.get(8)?,
            operator: r.get(9)?,
            applied_at: r.get(10)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{agencies, awards, Store};

    #[test]
    fn lists_the_reviews_of_a_year_with_their_agency() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let (agency, _) = agencies::upsert(
            c,
            &agencies::AgencyFields {
                uscc: None,
                name: "广州市审计局",
                name_key: "广州市审计局",
                tier: "city",
                region: Some("广州市"),
                unit_type: "政府机关",
            },
            "2026-01-01T00:00:00+08:00",
        )
        .unwrap();
        let (award, _) = awards::upsert(
            c,
            &awards::NewAward {
                agency_id: agency,
                title: "模范机关",
                year: 2022,
                doc_number: None,
                status: awards::AwardStatus::Active,
                last_review_year: None,
                rectify_deadline: None,
                revoked_year: None,
                source: "test",
            },
            "2026-01-01T00:00:00+08:00",
        )
        .unwrap();
        let review = NewReview {
            award_id: award,
            campaign_year: 2026,
            review_date: "2026-12-01",
            trigger: "cycle",
            outcome: "rectify",
            reasons_json: "[\"未报送复查材料\"]",
            deadline: Some("2027-06-01"),
            operator: "测试员",
            applied_at: "2026-12-01T10:00:00+08:00",
        };
        assert!(record(c, &review).unwrap());
        assert!(
            !record(c, &review).unwrap(),
            "the same review again writes nothing"
        );
        let rows = list(c, 2026).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (
                rows[0].name.as_str(),
                rows[0].award_year,
                rows[0].outcome.as_str()
            ),
            ("广州市审计局", 2022, "rectify")
        );
        assert_eq!(rows[0].deadline.as_deref(), Some("2027-06-01"));
        assert!(list(c, 2025).unwrap().is_empty());
    }
}
