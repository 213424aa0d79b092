//! The `reviews` table: applied reviews (复查记录), one per award and campaign year; and
//! the `review_applications` table: the one application of a review per campaign year
//! (date, operator, time), which refuses a second one ([`MIGRATION_13`]).

use std::str::FromStr;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;

use super::Migration;
use crate::vocab::{AwardStatus, Outcome, Tier, Trigger};

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

/// Keeps what the screen and the workbook show of an applied review, and marks the one
/// application per campaign year.
///
/// - `reviews.status_before`: the award's state before the review (正常 or 整改中). Reviews
///   applied before this migration did not keep it; they are filled in as far as they can
///   be known: a `deadline` trigger fires only on a rectifying award, every other one is
///   taken as active.
/// - `reviews.composite`: the composite the review read (exact decimal text), `NULL` when
///   there was none — and for reviews applied before this migration, which did not keep it.
/// - `review_applications`: one row per campaign year with a review applied (the primary
///   key is what refuses applying twice); filled from the reviews already recorded (their
///   latest review date, with that row's operator and time, and how many were recorded).
pub const MIGRATION_13: Migration = Migration {
    version: 13,
    name: "review_applications",
    sql: "ALTER TABLE reviews ADD COLUMN status_before TEXT NOT NULL DEFAULT 'active'
        CHECK (status_before = 'active' OR status_before = 'rectifying');
    UPDATE reviews SET status_before = 'rectifying' WHERE trigger = 'deadline';
    ALTER TABLE reviews ADD COLUMN composite TEXT;
    CREATE TABLE review_applications (
        campaign_year INTEGER PRIMARY KEY,
        review_date TEXT NOT NULL,
        due INTEGER NOT NULL CHECK (due >= 0),
        operator TEXT NOT NULL,
        applied_at TEXT NOT NULL
    );
    INSERT INTO review_applications (campaign_year, review_date, due, operator, applied_at)
        SELECT campaign_year, MAX(review_date), COUNT(*), operator, applied_at
        FROM reviews GROUP BY campaign_year;",
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
    /// The award's state before the review: active or rectifying.
    pub status_before: AwardStatus,
    /// The composite the review read (exact decimal text), when there was one.
    pub composite: Option<&'a str>,
    /// Who applied it.
    pub operator: &'a str,
    /// When it was applied (RFC 3339).
    pub applied_at: &'a str,
}

/// Records an award's review of a campaign year. The caller has recorded the year's
/// application first ([`record_application`]), so the year holds no review yet; a second
/// review of the same award and year breaks the table's `UNIQUE` and fails.
/// Records an applied review; returns its id.
pub fn record(conn: &Connection, r: &NewReview<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO reviews (award_id, campaign_year, review_date, trigger, outcome, reasons,
         deadline, operator, applied_at, status_before, composite)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.award_id,
            r.campaign_year,
            r.review_date,
            r.trigger,
            r.outcome,
            r.reasons_json,
            r.deadline,
            r.operator,
            r.applied_at,
            r.status_before,
            r.composite
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The application of a campaign year's review, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Year of the campaign.
    pub campaign_year: i32,
    /// Review date.
    pub review_date: NaiveDate,
    /// How many awards were due (and recorded in `reviews`).
    pub due: i64,
    /// Who applied it.
    pub operator: String,
    /// When it was applied (RFC 3339).
    pub applied_at: String,
}

/// Records that the review of `a.campaign_year` was applied. A year's review is applied
/// once: when one is on record already the primary key refuses the row (the caller looks
/// first, [`application`], to say so in words).
pub fn record_application(conn: &Connection, a: &Application) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO review_applications (campaign_year, review_date, due, operator, applied_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            a.campaign_year,
            a.review_date.to_string(),
            a.due,
            a.operator,
            a.applied_at
        ],
    )?;
    Ok(())
}

/// The application of campaign `year`'s review, if one was applied.
pub fn application(conn: &Connection, year: i32) -> rusqlite::Result<Option<Application>> {
    conn.query_row(
        "SELECT campaign_year, review_date, due, operator, applied_at
         FROM review_applications WHERE campaign_year = ?1",
        [year],
        |r| {
            Ok(Application {
                campaign_year: r.get(0)?,
                review_date: required(r, 1)?,
                due: r.get(2)?,
                operator: r.get(3)?,
                applied_at: r.get(4)?,
            })
        },
    )
    .optional()
}

/// A recorded review with its award and agency (the agency as the store knows it now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewListing {
    /// The campaign year the review was applied in.
    pub campaign_year: i32,
    /// Row id of the award reviewed.
    pub award_id: i64,
    /// Row id of its agency.
    pub agency_id: i64,
    /// Agency name.
    pub name: String,
    /// Agency USCC.
    pub uscc: Option<String>,
    /// Agency tier.
    pub tier: Tier,
    /// Agency region.
    pub region: Option<String>,
    /// Agency unit type.
    pub unit_type: String,
    /// The year the award was given.
    pub award_year: i32,
    /// The title held.
    pub title: String,
    /// The award's document number.
    pub doc_number: Option<String>,
    /// The award's state before the review.
    pub status_before: AwardStatus,
    /// The composite the review read.
    pub composite: Option<Decimal>,
    /// Review date.
    pub review_date: NaiveDate,
    /// Why the award was reviewed.
    pub trigger: Trigger,
    /// What the review decided.
    pub outcome: Outcome,
    /// Reasons as a JSON array.
    pub reasons_json: String,
    /// Rectification deadline.
    pub deadline: Option<NaiveDate>,
}

/// Column `i` read as text and parsed (a date, a decimal). Only an edited database holds
/// text that does not parse; reading it as some other value would show a wrong date or
/// score, so it is an error naming the column.
fn parsed<T: FromStr>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<T>> {
    let Some(text) = r.get::<_, Option<String>>(i)? else {
        return Ok(None);
    };
    text.parse().map(Some).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unreadable value {text:?}").into(),
        )
    })
}

/// Like [`parsed`], for a `NOT NULL` column.
fn required<T: FromStr>(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<T> {
    parsed(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "NULL".into(),
        rusqlite::types::Type::Null,
    ))
}

const LISTING: &str = "SELECT w.id, a.id, a.name, a.uscc, a.tier, a.region, a.unit_type,
        w.year, w.title, w.doc_number, r.status_before, r.composite, r.review_date, r.trigger,
        r.outcome, r.reasons, r.deadline, r.campaign_year
    FROM reviews r JOIN awards w ON w.id = r.award_id JOIN agencies a ON a.id = w.agency_id";

/// The reviews recorded in campaign `year`, in registry order (award year, then award),
/// the order a review lists the due awards in.
pub fn list_for_campaign(conn: &Connection, year: i32) -> rusqlite::Result<Vec<ReviewListing>> {
    listing(
        conn,
        &format!("{LISTING} WHERE r.campaign_year = ?1 ORDER BY w.year, w.id"),
        year.into(),
    )
}

/// Every review recorded on an agency's awards, by review date, then award.
pub fn list_for_agency(conn: &Connection, agency_id: i64) -> rusqlite::Result<Vec<ReviewListing>> {
    listing(
        conn,
        &format!("{LISTING} WHERE w.agency_id = ?1 ORDER BY r.review_date, w.year, w.id"),
        agency_id,
    )
}

fn listing(conn: &Connection, sql: &str, key: i64) -> rusqlite::Result<Vec<ReviewListing>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([key], |r| {
        Ok(ReviewListing {
            award_id: r.get(0)?,
            agency_id: r.get(1)?,
            name: r.get(2)?,
            uscc: r.get(3)?,
            tier: r.get(4)?,
            region: r.get(5)?,
            unit_type: r.get(6)?,
            award_year: r.get(7)?,
            title: r.get(8)?,
            doc_number: r.get(9)?,
            status_before: r.get(10)?,
            composite: parsed(r, 11)?,
            review_date: required(r, 12)?,
            trigger: r.get(13)?,
            outcome: r.get(14)?,
            reasons_json: r.get(15)?,
            deadline: parsed(r, 16)?,
            campaign_year: r.get(17)?,
        })
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::store::migrate_to;

    /// Reviews applied before [`MIGRATION_13`]: the year gets its application (the latest
    /// date, with that row's operator and time), a `deadline` review its state before.
    #[test]
    fn reviews_applied_before_are_marked_applied() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO agencies (id, name, name_key, tier, unit_type, updated_at)
                 VALUES (1, '甲局', '甲局', 'city', '政府机关', 't'),
                        (2, '乙局', '乙局', 'city', '政府机关', 't');
             INSERT INTO awards (id, agency_id, title, year, status, source, updated_at)
                 VALUES (1, 1, '模范机关', 2022, 'active', 'import', 't'),
                        (2, 2, '模范机关', 2023, 'revoked', 'import', 't');
             INSERT INTO reviews (award_id, campaign_year, review_date, trigger, outcome,
                 reasons, deadline, operator, applied_at)
                 VALUES (1, 2026, '2026-11-30', 'cycle', 'retain', '[]', NULL, '张三',
                         '2026-11-30T09:00:00+08:00'),
                        (2, 2026, '2026-12-01', 'deadline', 'revoke', '[\"整改期满未完成整改\"]',
                         NULL, '李四', '2026-12-01T10:00:00+08:00');",
        )
        .unwrap();
        migrate_to(&mut conn, 13).unwrap();
        let a = application(&conn, 2026).unwrap().unwrap();
        assert_eq!(
            (a.review_date.to_string(), a.due, a.operator.as_str()),
            ("2026-12-01".to_string(), 2, "李四")
        );
        assert_eq!(a.applied_at, "2026-12-01T10:00:00+08:00");
        assert_eq!(application(&conn, 2025).unwrap(), None);
        let rows = list_for_campaign(&conn, 2026).unwrap();
        let states: Vec<(&str, AwardStatus, Option<Decimal>)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.status_before, r.composite))
            .collect();
        assert_eq!(
            states,
            vec![
                ("甲局", AwardStatus::Active, None),
                ("乙局", AwardStatus::Rectifying, None)
            ]
        );
        // The year's application is one row: a second one is refused by the key.
        let again = Application {
            campaign_year: 2026,
            ..a
        };
        assert!(record_application(&conn, &again).is_err());
    }
}
