//! The `overrides` table: the panel's decisions to include or exclude a return
//! (评审组调整), each with a required reason. The latest row per agency and campaign is in
//! force; `clear` withdraws an earlier decision. Rows are never edited.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::Migration;

/// Creates the `overrides` table.
pub const MIGRATION_7: Migration = Migration {
    version: 7,
    name: "overrides",
    sql: "CREATE TABLE overrides (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        action TEXT NOT NULL CHECK (action = 'include' OR action = 'exclude' OR action = 'clear'),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        beyond_quota INTEGER NOT NULL DEFAULT 0,
        operator TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX overrides_campaign ON overrides (campaign_year, agency_id);",
};

/// A panel decision: one of the vocabulary's words.
pub use crate::vocab::OverrideAction;

/// A stored override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideRow {
    /// Row id (later rows win).
    pub id: i64,
    /// Row id of the agency decided on (`agencies.id`).
    pub agency_id: i64,
    /// Include, exclude, or clear (withdraws the earlier decision).
    pub action: OverrideAction,
    /// Reason (required).
    pub reason: String,
    /// Whether including beyond the quota was confirmed.
    pub beyond_quota: bool,
    /// Who decided.
    pub operator: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewOverride<'a> {
    /// Campaign year.
    pub year: i32,
    /// Row id of the agency decided on (`agencies.id`), resolved by the caller.
    pub agency_id: i64,
    /// Include, exclude, or clear (withdraws the earlier decision).
    pub action: OverrideAction,
    /// Reason (required).
    pub reason: &'a str,
    /// Whether including beyond the quota was confirmed.
    pub beyond_quota: bool,
    /// Who decided.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
}

/// Records a decision; returns its id.
pub fn insert(conn: &Connection, o: &NewOverride<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO overrides (campaign_year, agency_id, action, reason, beyond_quota, operator, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            o.year,
            o.agency_id,
            o.action.as_str(),
            o.reason,
            o.beyond_quota,
            o.operator,
            o.at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every decision of a campaign, oldest first.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<OverrideRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, agency_id, action, reason, beyond_quota, operator, at
         FROM overrides WHERE campaign_year = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(OverrideRow {
            id: r.get(0)?,
            agency_id: r.get(1)?,
            action: r.get(2)?,
            reason: r.get(3)?,
            beyond_quota: r.get(4)?,
            operator: r.get(5)?,
            at: r.get(6)?,
        })
    })?;
    rows.collect()
}
