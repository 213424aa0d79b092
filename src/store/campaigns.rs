//! The `campaigns` table: one row per selection year with its scheme snapshot.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Migration, StoreError};
use crate::Coded;

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

/// The years a real campaign can have (`campaign::create` refuses any other).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The year of the demo campaign (载入示例数据): outside [`YEARS`], so the demo never takes
/// a year a real campaign needs, and early enough that its fictional registry (awards of
/// up to six years before) stays within the years a registry accepts (from 1949).
pub const DEMO_YEAR: i32 = 1990;

/// Whether `year` is the demo campaign's year. The demo is known by its year alone: no
/// real campaign can have it.
pub fn is_demo(year: i32) -> bool {
    year == DEMO_YEAR
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

/// Why the campaign of a year cannot be used: it does not exist, or it is published and
/// the change asked for is refused. The one error every module that looks a campaign up
/// wraps (`#[from]`), so the codes and messages are written once.
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    /// No campaign for the year.
    #[error("{0}年度评选不存在，请先创建评选年度")]
    NotFound(i32),
    /// The campaign is published, and `refused` may not happen to it any more.
    #[error("{year}年度评选已发布，{}", .refused.words())]
    Locked {
        /// Campaign year.
        year: i32,
        /// What was refused.
        refused: Change,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for Unavailable {
    fn from(e: rusqlite::Error) -> Self {
        Unavailable::Store(StoreError::Sqlite(e))
    }
}

impl Coded for Unavailable {
    fn code(&self) -> &'static str {
        match self {
            Unavailable::NotFound(_) => "campaign.not_found",
            Unavailable::Locked { .. } => "campaign.locked",
            Unavailable::Store(e) => e.code(),
        }
    }
}

/// A change a published campaign refuses; the end of the [`Unavailable::Locked`] message
/// says which, as the clerk was doing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Importing or withdrawing files of returns.
    Files,
    /// The panel's adjustments of the results.
    Results,
    /// Starting a publicity round, recording or settling an objection.
    Publicity,
}

impl Change {
    fn words(self) -> &'static str {
        match self {
            Change::Files => "不能再导入或撤回文件",
            Change::Results => "不能再调整",
            Change::Publicity => "不能再公示或处理异议",
        }
    }
}

/// The campaign of `year`, or [`Unavailable::NotFound`].
pub fn require(conn: &Connection, year: i32) -> Result<CampaignRow, Unavailable> {
    get(conn, year)?.ok_or(Unavailable::NotFound(year))
}

/// The campaign of `year` if it may still take `change`: not found, or
/// [`Unavailable::Locked`] when it is published.
pub fn require_open(
    conn: &Connection,
    year: i32,
    change: Change,
) -> Result<CampaignRow, Unavailable> {
    let c = require(conn, year)?;
    if c.status == CampaignStatus::Published {
        return Err(Unavailable::Locked {
            year,
            refused: change,
        });
    }
    Ok(c)
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

/// What a campaign holds besides its row: counted before deleting it, and what
/// [`delete`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Contents {
    /// Current returns (one per agency).
    pub returns: usize,
    /// Every stored return, including the replaced and withdrawn ones kept as history.
    pub return_rows: usize,
    /// Imported files of the campaign (of any kind and state, withdrawn ones included).
    pub files: usize,
    /// The panel's decisions (overrides), cleared ones included.
    pub overrides: usize,
    /// Reviews applied in the campaign's year.
    pub reviews: usize,
}

fn count(conn: &Connection, sql: &str, year: i32) -> rusqlite::Result<usize> {
    conn.query_row(sql, [year], |r| r.get::<_, i64>(0))
        .map(|n| usize::try_from(n).unwrap_or(0))
}

/// What campaign `year` holds.
pub fn contents(conn: &Connection, year: i32) -> rusqlite::Result<Contents> {
    Ok(Contents {
        returns: count(
            conn,
            "SELECT COUNT(*) FROM returns WHERE campaign_year = ?1 AND state = 'current'",
            year,
        )?,
        return_rows: count(
            conn,
            "SELECT COUNT(*) FROM returns WHERE campaign_year = ?1",
            year,
        )?,
        files: count(
            conn,
            "SELECT COUNT(*) FROM imported_files WHERE campaign_year = ?1",
            year,
        )?,
        overrides: count(
            conn,
            "SELECT COUNT(*) FROM overrides WHERE campaign_year = ?1",
            year,
        )?,
        reviews: count(
            conn,
            "SELECT COUNT(*) FROM reviews WHERE campaign_year = ?1",
            year,
        )?,
    })
}

/// Deletes campaign `year` with everything that belongs to it — its reviews, objections,
/// publicity rounds, overrides, returns, ballot counts, panel scores, imported files and
/// the campaign row — and returns what it held. Rows of the
/// audit log are never deleted; agencies and awards are left to the caller. Run it inside
/// the caller's transaction, which also writes the audit row.
pub fn delete(conn: &Connection, year: i32) -> rusqlite::Result<Contents> {
    let held = contents(conn, year)?;
    // Children before parents, since foreign keys are enforced. A return may point at
    // another one it replaced (`replaced_by`): all of a campaign's returns go in one
    // statement, after which nothing points at them.
    // The problems the year's reviews put in the ledger go with them.
    super::ledger::delete_of_campaign_reviews(conn, year)?;
    conn.execute("DELETE FROM reviews WHERE campaign_year = ?1", [year])?;
    // The year's review application and stored runs are the campaign's own records (a
    // run's result is derived from the rows deleted here).
    conn.execute(
        "DELETE FROM review_applications WHERE campaign_year = ?1",
        [year],
    )?;
    conn.execute(
        "DELETE FROM selection_runs WHERE campaign_year = ?1",
        [year],
    )?;
    // Objections refer to the overrides their upholding recorded, and both to agencies.
    super::objections::delete_campaign(conn, year)?;
    super::publicity::delete_campaign(conn, year)?;
    conn.execute("DELETE FROM overrides WHERE campaign_year = ?1", [year])?;
    conn.execute("DELETE FROM returns WHERE campaign_year = ?1", [year])?;
    conn.execute("DELETE FROM panel_scores WHERE campaign_year = ?1", [year])?;
    super::ballots::delete_campaign(conn, year)?;
    conn.execute(
        "DELETE FROM imported_files WHERE campaign_year = ?1",
        [year],
    )?;
    conn.execute("DELETE FROM campaigns WHERE year = ?1", [year])?;
    Ok(held)
}
