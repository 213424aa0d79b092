//! The `campaigns` table: one row per selection year with its scheme snapshot.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

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

/// A campaign's life-cycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum CampaignStatus {
    /// 草稿: returns are being imported.
    Draft,
    /// 已评选: a selection has been run.
    Selected,
    /// 已发布: locked.
    Published,
}

impl CampaignStatus {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Selected => "selected",
            CampaignStatus::Published => "published",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(CampaignStatus::Draft),
            "selected" => Some(CampaignStatus::Selected),
            "published" => Some(CampaignStatus::Published),
            _ => None,
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "草稿",
            CampaignStatus::Selected => "已评选",
            CampaignStatus::Published => "已发布",
        }
    }
}

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
    let status: String = r.get(2)?;
    Ok(CampaignRow {
        year: r.get(0)?,
        title: r.get(1)?,
        status: CampaignStatus::parse(&status).unwrap_or(CampaignStatus::Draft),
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

/// Moves campaign `year` to `status`.
pub fn set_status(
    conn: &Connection,
    year: i32,
    status: CampaignStatus,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE campaigns SET status = ?2, updated_at = ?3 WHERE year = ?1",
        params![year, status.as_str(), now],
    )?;
    Ok(())
}

/// Replaces the scheme and title of campaign `year`; the campaign goes back to draft,
/// since a selection run under the old scheme no longer stands.
pub fn replace_scheme(
    conn: &Connection,
    year: i32,
    scheme_toml: &str,
    title: &str,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE campaigns SET scheme_toml = ?2, title = ?3, status = 'draft', updated_at = ?4
         WHERE year = ?1",
        params![year, scheme_toml, title, now],
    )?;
    Ok(())
}
