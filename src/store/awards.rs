//! The `awards` table: the registry of titles awarded (命名记录), imported from the
//! registry workbook or added by publishing a campaign.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::Migration;

/// Creates the `awards` table.
pub const MIGRATION_6: Migration = Migration {
    version: 6,
    name: "awards",
    sql: "CREATE TABLE awards (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        title TEXT NOT NULL,
        year INTEGER NOT NULL,
        doc_number TEXT,
        status TEXT NOT NULL CHECK (status = 'active' OR status = 'rectifying' OR status = 'revoked'),
        last_review_year INTEGER,
        rectify_deadline TEXT,
        revoked_year INTEGER,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (agency_id, year)
    );",
};

/// Adds the date an award's rectification was accepted.
pub const MIGRATION_10: Migration = Migration {
    version: 10,
    name: "awards_rectified_on",
    sql: "ALTER TABLE awards ADD COLUMN rectified_on TEXT;",
};

/// An award's state: one of the vocabulary's words.
pub use crate::vocab::AwardStatus;
use crate::vocab::Tier;

/// A stored award, with its agency's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardRow {
    /// Row id (`awards.id`): what a review records and updates.
    pub id: i64,
    /// Row id of the awarded agency (`agencies.id`); one award per agency and year.
    pub agency_id: i64,
    /// Agency USCC.
    pub uscc: Option<String>,
    /// Agency name.
    pub name: String,
    /// The agency's tier (省直, 市级 or 县级) as last imported.
    pub tier: Tier,
    /// The agency's 所属地区; `None` for a provincial agency.
    pub region: Option<String>,
    /// The agency's 单位类型 as last imported.
    pub unit_type: String,
    /// Title, e.g. 模范机关.
    pub title: String,
    /// Year awarded.
    pub year: i32,
    /// Document number (文号).
    pub doc_number: Option<String>,
    /// Active, rectifying or revoked; reviews change it.
    pub status: AwardStatus,
    /// Campaign year of the last review (最近复查年度), from the registry or set by applying a review;
    /// `None` when never reviewed. The review cycle counts from it, else from `year`.
    pub last_review_year: Option<i32>,
    /// Rectification deadline (YYYY-MM-DD).
    pub rectify_deadline: Option<String>,
    /// Year revoked.
    pub revoked_year: Option<i32>,
}

/// What an award row records (the agency is resolved by the caller).
#[derive(Debug, Clone)]
pub struct NewAward<'a> {
    /// Row id of the agency (`agencies.id`), resolved by the caller; with `year` it identifies the
    /// award.
    pub agency_id: i64,
    /// The title, e.g. 模范机关: the registry row's, or the scheme's `award_title`.
    pub title: &'a str,
    /// Year awarded.
    pub year: i32,
    /// Document number (文号) of the naming, when known.
    pub doc_number: Option<&'a str>,
    /// Active, rectifying or revoked.
    pub status: AwardStatus,
    /// Campaign year of the last review (最近复查年度); `None` when never reviewed.
    pub last_review_year: Option<i32>,
    /// Rectification deadline (YYYY-MM-DD).
    pub rectify_deadline: Option<&'a str>,
    /// Year revoked.
    pub revoked_year: Option<i32>,
    /// Where it came from, e.g. "registry:命名名单.xlsx" or "publish:2026".
    pub source: &'a str,
}

/// Inserts an award or replaces the one of the same agency and year; returns its id and
/// whether it replaced an existing row.
pub fn upsert(conn: &Connection, a: &NewAward<'_>, now: &str) -> rusqlite::Result<(i64, bool)> {
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM awards WHERE agency_id = ?1 AND year = ?2",
            params![a.agency_id, a.year],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute(
        "INSERT INTO awards (agency_id, title, year, doc_number, status, last_review_year,
         rectify_deadline, revoked_year, source, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (agency_id, year) DO UPDATE SET title = excluded.title,
           doc_number = excluded.doc_number, status = excluded.status,
           last_review_year = excluded.last_review_year,
           rectify_deadline = excluded.rectify_deadline, revoked_year = excluded.revoked_year,
           source = excluded.source, updated_at = excluded.updated_at",
        params![
            a.agency_id,
            a.title,
            a.year,
            a.doc_number,
            a.status.as_str(),
            a.last_review_year,
            a.rectify_deadline,
            a.revoked_year,
            a.source,
            now
        ],
    )?;
    let id = match existing {
        Some(id) => id,
        None => conn.last_insert_rowid(),
    };
    Ok((id, existing.is_some()))
}

const SELECT: &str = "SELECT w.id, w.agency_id, a.uscc, a.name, a.tier, a.region, a.unit_type,
        w.title, w.year, w.doc_number, w.status, w.last_review_year, w.rectify_deadline,
        w.revoked_year
    FROM awards w JOIN agencies a ON a.id = w.agency_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AwardRow> {
    Ok(AwardRow {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        uscc: r.get(2)?,
        name: r.get(3)?,
        tier: r.get(4)?,
        region: r.get(5)?,
        unit_type: r.get(6)?,
        title: r.get(7)?,
        year: r.get(8)?,
        doc_number: r.get(9)?,
        status: r.get(10)?,
        last_review_year: r.get(11)?,
        rectify_deadline: r.get(12)?,
        revoked_year: r.get(13)?,
    })
}

/// The source prefix of the demo registry's awards (载入示例数据): `demo:` and the file's
/// name, where a real registry's awards have `registry:`.
pub const DEMO_SOURCE: &str = "demo:";

/// SQL that is true for a demo award (alias `w`): imported from the demo registry, or added
/// by publishing the demo campaign (`publish:` and the demo year).
fn demo_sql() -> String {
    format!(
        "(w.source LIKE '{DEMO_SOURCE}%' OR w.source = 'publish:{}')",
        super::campaigns::DEMO_YEAR
    )
}

/// The awards campaign `year` works with, oldest year first: the demo campaign sees only
/// the demo's fictional awards and every real campaign only the real ones, so the demo's
/// registry never lowers a real pool's quota, bars a real agency or enters a real review.
pub fn list_for(conn: &Connection, year: i32) -> rusqlite::Result<Vec<AwardRow>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE {} = ?1 ORDER BY w.year, w.id",
        demo_sql()
    ))?;
    let rows = stmt.query_map([super::campaigns::is_demo(year)], from_row)?;
    rows.collect()
}

/// Deletes every demo award and the reviews recorded on them; returns the awards deleted
/// and the ids of their agencies (for [`super::agencies::delete_unused`]).
pub fn delete_demo(conn: &Connection) -> rusqlite::Result<(usize, Vec<i64>)> {
    let demo = demo_sql();
    let mut stmt = conn.prepare(&format!(
        "SELECT DISTINCT w.agency_id FROM awards w WHERE {demo}"
    ))?;
    let agencies = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    super::ledger::delete_of_reviews_where(
        conn,
        &format!("SELECT r.id FROM reviews r WHERE r.award_id IN (SELECT w.id FROM awards w WHERE {demo})"),
    )?;
    conn.execute(
        &format!("DELETE FROM reviews WHERE award_id IN (SELECT w.id FROM awards w WHERE {demo})"),
        [],
    )?;
    let deleted = conn.execute(
        &format!("DELETE FROM awards WHERE id IN (SELECT w.id FROM awards w WHERE {demo})"),
        [],
    )?;
    Ok((deleted, agencies))
}

/// Every award with its agency, oldest year first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<AwardRow>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY w.year, w.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// The award of an agency in a year, if any.
pub fn find(conn: &Connection, agency_id: i64, year: i32) -> rusqlite::Result<Option<AwardRow>> {
    conn.query_row(
        &format!("{SELECT} WHERE w.agency_id = ?1 AND w.year = ?2"),
        params![agency_id, year],
        from_row,
    )
    .optional()
}

/// Writes a review's outcome to award `id`: its status, the review year, the
/// rectification deadline and, when revoked, the year revoked (an earlier revocation year
/// is kept when `revoked_year` is `None`). Returns whether the row changed: re-applying
/// the same review leaves the row, and its `updated_at`, alone.
pub fn set_reviewed(
    conn: &Connection,
    id: i64,
    status: AwardStatus,
    review_year: i32,
    rectify_deadline: Option<&str>,
    revoked_year: Option<i32>,
    now: &str,
) -> rusqlite::Result<bool> {
    let updated = conn.execute(
        "UPDATE awards SET status = ?2, last_review_year = ?3, rectify_deadline = ?4,
         revoked_year = COALESCE(?5, revoked_year), updated_at = ?6
         WHERE id = ?1 AND (status IS NOT ?2 OR last_review_year IS NOT ?3
             OR rectify_deadline IS NOT ?4 OR (?5 IS NOT NULL AND revoked_year IS NOT ?5))",
        params![
            id,
            status.as_str(),
            review_year,
            rectify_deadline,
            revoked_year,
            now
        ],
    )?;
    Ok(updated > 0)
}

/// Makes award `id` active again, its rectification accepted on `date` (YYYY-MM-DD).
pub fn set_rectified(conn: &Connection, id: i64, date: &str, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE awards SET status = 'active', rectified_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, date, now],
    )?;
    Ok(())
}

/// Deletes the awards of `year` that came from `source` and that no review has touched
/// (a reviewed award is history and stays); returns how many were deleted.
pub fn delete_unreviewed(conn: &Connection, source: &str, year: i32) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM awards WHERE source = ?1 AND year = ?2 AND last_review_year IS NULL
         AND id NOT IN (SELECT award_id FROM reviews)",
        params![source, year],
    )
}

/// The document number of some award from `source` that has one (every award a
/// publication adds carries the same number).
pub fn doc_number_of_source(conn: &Connection, source: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT doc_number FROM awards WHERE source = ?1 AND doc_number IS NOT NULL LIMIT 1",
        [source],
        |r| r.get(0),
    )
    .optional()
}
