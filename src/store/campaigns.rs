//! The `campaigns` table: one row per selection year with its scheme snapshot.

use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;

/// Creates the `campaigns` table.
pub const MIGRATION_1: Migration = Migration {
    version: 1,
    name: "campaigns",
    sql: "CREATE TABLE campaigns (
        year INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status = 'draft' OR status = 'selected' OR status = 'published'),
        scheme_toml TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );",
};

/// A campaign's life-cycle state: one of the vocabulary's words.
pub use crate::vocab::CampaignStatus;

/// A stored campaign row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRow {
    /// The selection year (primary key).
    pub year: i32,
    /// The campaign title.
    pub title: String,
    /// Life-cycle state.
    pub status: CampaignStatus,
    /// The scheme as TOML, frozen when the campaign was created.
    pub scheme_toml: String,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CampaignRow> {
    Ok(CampaignRow {
        year: r.get(0)?,
        title: r.get(1)?,
        status: r.get(2)?,
        scheme_toml: r.get(3)?,
        created_at: r.get(4)?,
    })
}

/// Inserts a new campaign.
pub fn insert(conn: &Connection, row: &CampaignRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO campaigns (year, title, status, scheme_toml, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            row.year,
            row.title,
            row.status.as_str(),
            row.scheme_toml,
            row.created_at
        ],
    )?;
    Ok(())
}

/// The campaign of `year`, if any.
pub fn get(conn: &Connection, year: i32) -> rusqlite::Result<Option<CampaignRow>> {
    conn.query_row(
        "SELECT year, title, status, scheme_toml, created_at FROM campaigns WHERE year = ?1",
        [year],
        from_row,
    )
    .optional()
}

/// Every campaign, newest year first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<CampaignRow>> {
    let mut stmt = conn.prepare(
        "SELECT year, title, status, scheme_toml, created_at FROM campaigns ORDER BY year DESC",
    )?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}
