//! The `registry_files` table: every awards registry workbook imported (命名名单), with
//! its SHA-256, so that the same file imported again is recognised and changes nothing.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::Migration;
use crate::vocab::StoredFileStatus;

/// Creates the `registry_files` table.
pub const MIGRATION_8: Migration = Migration {
    version: 8,
    name: "registry_files",
    sql: "CREATE TABLE registry_files (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        imported_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status = 'imported' OR status = 'partial'),
        sheet TEXT,
        header_row INTEGER,
        rows_total INTEGER NOT NULL,
        rows_imported INTEGER NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]'
    );",
};

/// A stored registry file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryFileRow {
    /// Row id.
    pub id: i64,
    /// File name as given (no folder).
    pub file_name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Import time (RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub operator: String,
    /// Imported, or partly imported when rows with errors were left out.
    pub status: StoredFileStatus,
    /// Rows found in the file.
    pub rows_total: i64,
    /// Rows imported.
    pub rows_imported: i64,
}

const COLUMNS: &str =
    "id, file_name, sha256, imported_at, operator, status, rows_total, rows_imported";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RegistryFileRow> {
    Ok(RegistryFileRow {
        id: r.get(0)?,
        file_name: r.get(1)?,
        sha256: r.get(2)?,
        imported_at: r.get(3)?,
        operator: r.get(4)?,
        status: r.get(5)?,
        rows_total: r.get(6)?,
        rows_imported: r.get(7)?,
    })
}

/// What a new registry file row records.
#[derive(Debug, Clone)]
pub struct NewRegistryFile<'a> {
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
    /// Sheet the awards came from (the first, when several).
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

/// Inserts a registry file row and returns its id.
pub fn insert(conn: &Connection, f: &NewRegistryFile<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO registry_files (file_name, sha256, imported_at, operator, status, sheet,
         header_row, rows_total, rows_imported, warnings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
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

/// The registry file with this SHA-256, if it was imported before.
pub fn find_by_sha(conn: &Connection, sha256: &str) -> rusqlite::Result<Option<RegistryFileRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM registry_files WHERE sha256 = ?1"),
        [sha256],
        from_row,
    )
    .optional()
}

/// Every registry file, oldest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<RegistryFileRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM registry_files ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn one_row_per_sha() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let f = NewRegistryFile {
            file_name: "命名名单.xlsx",
            sha256: "ab12",
            imported_at: "t",
            operator: "张三",
            status: StoredFileStatus::Imported,
            sheet: Some("命名名单"),
            header_row: Some(2),
            rows_total: 3,
            rows_imported: 3,
            warnings_json: "[]",
        };
        let id = insert(c, &f).unwrap();
        let found = find_by_sha(c, "ab12").unwrap().unwrap();
        assert_eq!((found.id, found.rows_imported), (id, 3));
        assert_eq!(find_by_sha(c, "cd34").unwrap(), None);
        assert!(insert(c, &f).is_err(), "the same SHA-256 twice");
        assert_eq!(list(c).unwrap().len(), 1);
    }
}
