//! The `imported_files` table: every imported workbook with its SHA-256 and status.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::Migration;
use crate::vocab::StoredFileStatus;

/// Creates the `imported_files` table.
pub const MIGRATION_3: Migration = Migration {
    version: 3,
    name: "imported_files",
    sql: "CREATE TABLE imported_files (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status = 'imported' OR status = 'partial' OR status = 'withdrawn'),
        sheet TEXT,
        header_row INTEGER,
        rows_total INTEGER NOT NULL,
        rows_imported INTEGER NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        withdrawn_at TEXT
    );
    CREATE INDEX imported_files_sha ON imported_files (campaign_year, sha256);",
};

/// A stored imported-file row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRow {
    /// Row id.
    pub id: i64,
    /// Campaign year.
    pub campaign_year: i32,
    /// File name as given (no folder).
    pub file_name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Import time (RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub operator: String,
    /// Imported, partly imported or withdrawn.
    pub status: StoredFileStatus,
    /// Rows found in the file.
    pub rows_total: i64,
    /// Rows imported.
    pub rows_imported: i64,
}

const COLUMNS: &str =
    "id, campaign_year, file_name, sha256, imported_at, operator, status, rows_total, rows_imported";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileRow> {
    Ok(FileRow {
        id: r.get(0)?,
        campaign_year: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        imported_at: r.get(4)?,
        operator: r.get(5)?,
        status: r.get(6)?,
        rows_total: r.get(7)?,
        rows_imported: r.get(8)?,
    })
}

/// What a new file row records.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// Campaign year.
    pub campaign_year: i32,
    /// File name.
    pub file_name: &'a str,
    /// SHA-256 hex.
    pub sha256: &'a str,
    /// Import time.
    pub imported_at: &'a str,
    /// Operator.
    pub operator: &'a str,
    /// Imported or partly imported.
    pub status: StoredFileStatus,
    /// Sheet the returns came from (the first, when several).
    pub sheet: Option<&'a str>,
    /// 1-based header row of that sheet.
    pub header_row: Option<u32>,
    /// Rows found.
    pub rows_total: i64,
    /// Rows imported.
    pub rows_imported: i64,
    /// Warnings as a JSON array.
    pub warnings_json: &'a str,
}

/// Inserts a file row and returns its id.
pub fn insert(conn: &Connection, f: &NewFile<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO imported_files (campaign_year, file_name, sha256, imported_at, operator,
         status, sheet, header_row, rows_total, rows_imported, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            f.campaign_year,
            f.file_name,
            f.sha256,
            f.imported_at,
            f.operator,
            f.status,
            f.sheet,
            f.header_row,
            f.rows_total,
            f.rows_imported,
            f.warnings_json
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The live (not withdrawn) file of this campaign with this SHA-256, if any.
pub fn find_live_by_sha(
    conn: &Connection,
    year: i32,
    sha256: &str,
) -> rusqlite::Result<Option<FileRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM imported_files
             WHERE campaign_year = ?1 AND sha256 = ?2 AND status <> 'withdrawn'"
        ),
        params![year, sha256],
        from_row,
    )
    .optional()
}

/// A file by id.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<FileRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM imported_files WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Every file of a campaign, oldest first.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM imported_files WHERE campaign_year = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([year], from_row)?;
    rows.collect()
}

/// Marks a file withdrawn.
pub fn mark_withdrawn(conn: &Connection, id: i64, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE imported_files SET status = 'withdrawn', withdrawn_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    Ok(())
}
