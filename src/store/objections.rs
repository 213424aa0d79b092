//! The `objections` table: objections received during a campaign's publicity (公示异议,
//! docs/specification.md §9) — received date, agency, channel, content, the objector's
//! name when given (kept for the record, never printed: no output reads it but
//! [`objector_of`]), whether it came after the agency's publicity had ended (逾期), and,
//! once settled, the resolution with its reason, date and — for an upheld one — the
//! exclusion override it recorded.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
use crate::vocab::{ObjectionChannel, ObjectionResolution};

/// Creates the `objections` table.
pub const MIGRATION_19: Migration = Migration {
    version: 19,
    name: "objections",
    sql: "CREATE TABLE objections (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        received_on TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel = 'letter' OR channel = 'phone' OR channel = 'visit' OR channel = 'email' OR channel = 'other'),
        content TEXT NOT NULL CHECK (length(trim(content)) > 0),
        objector TEXT,
        late INTEGER NOT NULL,
        operator TEXT NOT NULL,
        at TEXT NOT NULL,
        resolution TEXT CHECK (resolution = 'upheld' OR resolution = 'rejected'),
        reason TEXT,
        resolved_on TEXT,
        resolved_by TEXT,
        resolved_at TEXT,
        override_id INTEGER REFERENCES overrides (id)
    );
    CREATE INDEX objections_campaign ON objections (campaign_year, id);",
};

/// A stored objection, without its objector's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionRow {
    /// Row id: the number the clerk resolves it by.
    pub id: i64,
    /// Campaign year.
    pub year: i32,
    /// `agencies.id` of the agency objected to.
    pub agency_id: i64,
    /// Received on.
    pub received_on: NaiveDate,
    /// How it came.
    pub channel: ObjectionChannel,
    /// What it says.
    pub content: String,
    /// Received after the end of the agency's publicity.
    pub late: bool,
    /// Who recorded it.
    pub operator: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
    /// How it was settled; `None` while open.
    pub resolution: Option<ObjectionResolution>,
    /// Why.
    pub reason: Option<String>,
    /// Settled on.
    pub resolved_on: Option<NaiveDate>,
    /// Who settled it.
    pub resolved_by: Option<String>,
    /// The exclusion an upheld objection recorded (`overrides.id`).
    pub override_id: Option<i64>,
}

/// An objection to record.
#[derive(Debug, Clone)]
pub struct NewObjection<'a> {
    /// Campaign year.
    pub year: i32,
    /// `agencies.id`.
    pub agency_id: i64,
    /// Received on.
    pub received_on: NaiveDate,
    /// How it came.
    pub channel: ObjectionChannel,
    /// What it says.
    pub content: &'a str,
    /// The objector's name, if given.
    pub objector: Option<&'a str>,
    /// Received after the end of the agency's publicity.
    pub late: bool,
    /// Who records it.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
}

/// Records an objection; returns its id.
pub fn insert(conn: &Connection, o: &NewObjection<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO objections (campaign_year, agency_id, received_on, channel, content,
             objector, late, operator, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            o.year,
            o.agency_id,
            o.received_on.to_string(),
            o.channel,
            o.content,
            o.objector,
            o.late,
            o.operator,
            o.at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A resolution to record.
#[derive(Debug, Clone)]
pub struct Resolution<'a> {
    /// Upheld or rejected.
    pub resolution: ObjectionResolution,
    /// Why.
    pub reason: &'a str,
    /// Settled on.
    pub on: NaiveDate,
    /// Who.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
    /// The exclusion an upheld objection recorded.
    pub override_id: Option<i64>,
}

/// Settles open objection `id`; returns whether it was open.
pub fn resolve(conn: &Connection, id: i64, r: &Resolution<'_>) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE objections SET resolution = ?2, reason = ?3, resolved_on = ?4,
             resolved_by = ?5, resolved_at = ?6, override_id = ?7
         WHERE id = ?1 AND resolution IS NULL",
        params![
            id,
            r.resolution,
            r.reason,
            r.on.to_string(),
            r.operator,
            r.at,
            r.override_id
        ],
    )?;
    Ok(n == 1)
}

const COLUMNS: &str = "id, campaign_year, agency_id, received_on, channel, content, late,
    operator, at, resolution, reason, resolved_on, resolved_by, override_id";

fn date(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| {
        t.parse().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.get(0)?,
        year: r.get(1)?,
        agency_id: r.get(2)?,
        received_on: date(r, 3)?.unwrap_or_default(),
        channel: r.get(4)?,
        content: r.get(5)?,
        late: r.get(6)?,
        operator: r.get(7)?,
        at: r.get(8)?,
        resolution: r.get(9)?,
        reason: r.get(10)?,
        resolved_on: date(r, 11)?,
        resolved_by: r.get(12)?,
        override_id: r.get(13)?,
    })
}

/// Objection `id`, whatever its campaign.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ObjectionRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM objections WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Every objection of a campaign, in the order recorded.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<ObjectionRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM objections WHERE campaign_year = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([year], from_row)?;
    rows.collect()
}

/// The objector's name of objection `id` as recorded (`None`: anonymous). Only for the
/// record in the database itself: no list, view, document or audit row prints it.
pub fn objector_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    Ok(conn
        .query_row("SELECT objector FROM objections WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// Deletes a campaign's objections (with the campaign, see `campaigns::delete`); returns
/// how many there were.
pub fn delete_campaign(conn: &Connection, year: i32) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM objections WHERE campaign_year = ?1", [year])
}
