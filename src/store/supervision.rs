//! The `supervision_records` table: supervision of an agency (督查记录,
//! docs/specification.md §10) — its kind (书面问询, 当面约谈, 情况通报, 专项督察), the date,
//! the subject, what was found or said, who took part, and who recorded it when. Records
//! are only ever added; the table is created by [`super::accountability::MIGRATION_21`]
//! together with the accountability records, the other half of 监督问责.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::vocab::SupervisionKind;

/// A stored supervision record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionRow {
    /// Row id.
    pub id: i64,
    /// `agencies.id` of the agency supervised.
    pub agency_id: i64,
    /// 书面问询, 当面约谈, 情况通报 or 专项督察.
    pub kind: SupervisionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Its subject (督查事由).
    pub subject: String,
    /// What was found or said.
    pub content: Option<String>,
    /// Who took part.
    pub people: Option<String>,
    /// Who recorded it.
    pub operator: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// A supervision record to store.
#[derive(Debug, Clone)]
pub struct NewSupervision<'a> {
    /// `agencies.id`.
    pub agency_id: i64,
    /// Its kind.
    pub kind: SupervisionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Its subject.
    pub subject: &'a str,
    /// What was found or said.
    pub content: Option<&'a str>,
    /// Who took part.
    pub people: Option<&'a str>,
    /// Who records it.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub created_at: &'a str,
}

/// Stores a record; returns its id.
pub fn insert(conn: &Connection, s: &NewSupervision<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO supervision_records (agency_id, kind, held_on, subject, content, people,
             operator, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            s.agency_id,
            s.kind,
            s.date.to_string(),
            s.subject,
            s.content,
            s.people,
            s.operator,
            s.created_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str =
    "id, agency_id, kind, held_on, subject, content, people, operator, created_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SupervisionRow> {
    Ok(SupervisionRow {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        kind: r.get(2)?,
        date: super::accountability::date_at(r, 3)?,
        subject: r.get(4)?,
        content: r.get(5)?,
        people: r.get(6)?,
        operator: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// The records, of one agency or of all: by date, then in the order recorded.
pub fn list(conn: &Connection, agency_id: Option<i64>) -> rusqlite::Result<Vec<SupervisionRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM supervision_records WHERE ?1 IS NULL OR agency_id = ?1
         ORDER BY held_on, id"
    ))?;
    let rows = stmt.query_map([agency_id], from_row)?;
    rows.collect()
}

/// Record `id`.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<SupervisionRow>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM supervision_records WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}
