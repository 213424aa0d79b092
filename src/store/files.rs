//! The `imported_files` table: every imported workbook — a campaign's returns or ballots,
//! or the awards registry — with its SHA-256 and status, so that the same file imported again is
//! recognised and changes nothing.
//!
//! Until schema version 11 the registry's workbooks had a table of their own
//! (`registry_files`, [`MIGRATION_8`]); [`MIGRATION_11`] moved them here, told apart by
//! [`FileKind`].

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

/// Creates the `registry_files` table (merged into `imported_files` by [`MIGRATION_11`]).
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

/// One file table for every importer: `imported_files` gains a `kind` and its campaign
/// year becomes optional (the registry belongs to no campaign), and the rows of
/// `registry_files` move into it. The kinds are not listed in a `CHECK`, nor is which of
/// them has a campaign: an importer added later (ballots, panel scores, ledgers) adds a
/// [`FileKind`] and needs no rebuild of this table; the importer decides its file's
/// campaign (`import::Importer::campaign`).
///
/// SQLite cannot relax a `NOT NULL`, so the table is rebuilt the way SQLite documents
/// (new table, copy, drop, rename; [`super::migrate_to`] runs it with foreign keys off
/// and checks them before it commits). Files of returns keep their ids, which `returns`
/// refers to. Registry files get new ids after them: the audit rows of their imports
/// (`awards.import`, which may not change) keep the id the file had in `registry_files`,
/// and name the file by its SHA-256 as well, which is kept.
pub const MIGRATION_11: Migration = Migration {
    version: 11,
    name: "one_file_table",
    sql: "CREATE TABLE imported_files_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        campaign_year INTEGER REFERENCES campaigns (year),
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
    INSERT INTO imported_files_new (id, kind, campaign_year, file_name, sha256, imported_at,
        operator, status, sheet, header_row, rows_total, rows_imported, warnings, withdrawn_at)
    SELECT id, 'returns', campaign_year, file_name, sha256, imported_at, operator, status,
        sheet, header_row, rows_total, rows_imported, warnings, withdrawn_at
    FROM imported_files ORDER BY id;
    INSERT INTO imported_files_new (kind, campaign_year, file_name, sha256, imported_at,
        operator, status, sheet, header_row, rows_total, rows_imported, warnings)
    SELECT 'registry', NULL, file_name, sha256, imported_at, operator, status, sheet,
        header_row, rows_total, rows_imported, warnings
    FROM registry_files ORDER BY id;
    DROP TABLE imported_files;
    DROP TABLE registry_files;
    ALTER TABLE imported_files_new RENAME TO imported_files;
    CREATE INDEX imported_files_sha ON imported_files (campaign_year, sha256);
    CREATE UNIQUE INDEX imported_files_registry_sha ON imported_files (sha256)
        WHERE kind = 'registry';",
};

/// What an imported file holds: which importer read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// A campaign's returns (申报表).
    Returns,
    /// The awards registry (命名名单); it belongs to no campaign.
    Registry,
    /// A panel's score sheet (评委打分) of a campaign's component.
    Panel,
    /// A campaign's satisfaction ballots for one computed component (测评票).
    Ballots,
    /// A ledger (清单台账, docs/specification.md §10); it belongs to no campaign.
    Ledger,
}

impl FileKind {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Returns => "returns",
            FileKind::Registry => "registry",
            FileKind::Panel => "panel",
            FileKind::Ballots => "ballots",
            FileKind::Ledger => "ledger",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<FileKind> {
        match s {
            "returns" => Some(FileKind::Returns),
            "registry" => Some(FileKind::Registry),
            "panel" => Some(FileKind::Panel),
            "ballots" => Some(FileKind::Ballots),
            "ledger" => Some(FileKind::Ledger),
            _ => None,
        }
    }
}

/// A stored imported-file row. Serialised as `mofan import list --json` prints it: the
/// kind is left out (that list holds returns only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileRow {
    /// Row id (`imported_files.id`): what returns point to and what withdrawing names.
    pub id: i64,
    /// What the file holds.
    #[serde(skip)]
    pub kind: FileKind,
    /// The campaign of a file of returns; none for the registry.
    pub campaign_year: Option<i32>,
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
    /// Rows stored: returns or awards; less than `rows_total` in a partial import.
    pub rows_imported: i64,
}

const COLUMNS: &str = "id, kind, campaign_year, file_name, sha256, imported_at, operator, status, \
     rows_total, rows_imported";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileRow> {
    let kind: String = r.get(1)?;
    // Only an edited database holds another word; reading it as some kind would misfile it.
    let kind = FileKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("unknown file kind {kind:?}").into(),
        )
    })?;
    Ok(FileRow {
        id: r.get(0)?,
        kind,
        campaign_year: r.get(2)?,
        file_name: r.get(3)?,
        sha256: r.get(4)?,
        imported_at: r.get(5)?,
        operator: r.get(6)?,
        status: r.get(7)?,
        rows_total: r.get(8)?,
        rows_imported: r.get(9)?,
    })
}

/// What a new file row records; its counts and warnings are written by [`finish`].
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    /// What the file holds.
    pub kind: FileKind,
    /// The campaign of a file of returns; `None` for the registry.
    pub campaign_year: Option<i32>,
    /// File name as given, without its folder.
    pub file_name: &'a str,
    /// SHA-256 of the file's bytes, lower-case hex: the same bytes imported again are a duplicate.
    pub sha256: &'a str,
    /// Import time (RFC 3339).
    pub imported_at: &'a str,
    /// Who did it, as the audit log records them: the command line's `--operator` or
    /// `$MOFAN_OPERATOR`, the window's settings, else the OS user name; at most 50 characters.
    pub operator: &'a str,
}

/// Inserts a file row (status `imported`, no rows yet) and returns its id.
pub fn insert(conn: &Connection, f: &NewFile<'_>) -> rusqlite::Result<i64> {
    // Cached, like every statement an import runs once per file: a batch of small files
    // would otherwise spend a noticeable part of its time compiling the same SQL.
    conn.prepare_cached(
        "INSERT INTO imported_files (kind, campaign_year, file_name, sha256, imported_at,
         operator, status, rows_total, rows_imported)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'imported', 0, 0)",
    )?
    .execute(params![
        f.kind.as_str(),
        f.campaign_year,
        f.file_name,
        f.sha256,
        f.imported_at,
        f.operator,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// What a stored file finally holds.
#[derive(Debug, Clone)]
pub struct Finished<'a> {
    /// Whether rows with errors were left out (status `partial`).
    pub partial: bool,
    /// Sheet the rows came from (the first, when several).
    pub sheet: Option<&'a str>,
    /// 1-based header row of that sheet.
    pub header_row: Option<u32>,
    /// Data rows found, valid or not.
    pub rows_total: i64,
    /// Rows stored; less than `rows_total` when rows with errors were left out.
    pub rows_imported: i64,
    /// Warnings as a JSON array.
    pub warnings_json: &'a str,
}

/// Writes a file's status, counts and warnings once its rows are stored.
pub fn finish(conn: &Connection, id: i64, f: &Finished<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE imported_files SET status = ?2, sheet = ?3, header_row = ?4,
         rows_total = ?5, rows_imported = ?6, warnings = ?7 WHERE id = ?1",
    )?
    .execute(params![
        id,
        if f.partial { "partial" } else { "imported" },
        f.sheet,
        f.header_row,
        f.rows_total,
        f.rows_imported,
        f.warnings_json,
    ])?;
    Ok(())
}

/// The live (not withdrawn) file of this kind and campaign (`None` for the registry)
/// with this SHA-256, if any.
pub fn find_live(
    conn: &Connection,
    kind: FileKind,
    campaign_year: Option<i32>,
    sha256: &str,
) -> rusqlite::Result<Option<FileRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM imported_files
         WHERE kind = ?1 AND campaign_year IS ?2 AND sha256 = ?3 AND status <> 'withdrawn'"
    ))?
    .query_row(params![kind.as_str(), campaign_year, sha256], from_row)
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

/// Every file of returns of a campaign, oldest first.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM imported_files WHERE kind = 'returns' AND campaign_year = ?1
         ORDER BY id"
    ))?;
    let rows = stmt.query_map([year], from_row)?;
    rows.collect()
}

/// Every file of one kind of a campaign, oldest first.
pub fn list_of(conn: &Connection, kind: FileKind, year: i32) -> rusqlite::Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM imported_files WHERE kind = ?1 AND campaign_year = ?2
         ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![kind.as_str(), year], from_row)?;
    rows.collect()
}

/// Every ledger file (they belong to no campaign), oldest first.
pub fn list_ledger(conn: &Connection) -> rusqlite::Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM imported_files WHERE kind = 'ledger' ORDER BY id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// Every registry file, oldest first.
pub fn list_registry(conn: &Connection) -> rusqlite::Result<Vec<FileRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM imported_files WHERE kind = 'registry' ORDER BY id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{migrate_to, Store};

    fn new_file<'a>(kind: FileKind, year: Option<i32>, sha256: &'a str) -> NewFile<'a> {
        NewFile {
            kind,
            campaign_year: year,
            file_name: "命名名单.xlsx",
            sha256,
            imported_at: "t",
            operator: "张三",
        }
    }

    #[test]
    fn one_registry_row_per_sha_and_kinds_apart() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let c = store.conn();
        let id = insert(c, &new_file(FileKind::Registry, None, "ab12")).unwrap();
        let found = find_live(c, FileKind::Registry, None, "ab12")
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.kind, found.campaign_year),
            (id, FileKind::Registry, None)
        );
        assert_eq!(
            find_live(c, FileKind::Registry, None, "cd34").unwrap(),
            None
        );
        assert!(
            insert(c, &new_file(FileKind::Registry, None, "ab12")).is_err(),
            "the same registry SHA-256 twice"
        );
        // The same bytes as returns are another file, found only as returns.
        let r = insert(c, &new_file(FileKind::Returns, Some(2026), "ab12")).unwrap();
        assert_eq!(
            find_live(c, FileKind::Returns, Some(2026), "ab12")
                .unwrap()
                .map(|f| f.id),
            Some(r)
        );
        assert_eq!(
            find_live(c, FileKind::Returns, Some(2027), "ab12").unwrap(),
            None
        );
        assert_eq!(list(c, 2026).unwrap().len(), 1);
        assert_eq!(list_registry(c).unwrap().len(), 1);
        // A withdrawn file is not found again.
        mark_withdrawn(c, r, "t").unwrap();
        assert_eq!(
            find_live(c, FileKind::Returns, Some(2026), "ab12").unwrap(),
            None
        );
    }

    #[test]
    fn the_list_prints_as_before() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let id = insert(
            store.conn(),
            &new_file(FileKind::Returns, Some(2026), "ab12"),
        )
        .unwrap();
        let json = serde_json::to_value(list(store.conn(), 2026).unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{
                "id": id,
                "campaign_year": 2026,
                "file_name": "命名名单.xlsx",
                "sha256": "ab12",
                "imported_at": "t",
                "operator": "张三",
                "status": "imported",
                "rows_total": 0,
                "rows_imported": 0
            }])
        );
    }

    /// A version-10 database with files of both kinds, migrated: every file kept, the
    /// returns still pointing at theirs.
    #[test]
    fn migration_11_keeps_both_tables_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO campaigns (year, title, status, scheme_toml, created_at, updated_at)
               VALUES (2026, 't', 'draft', '', 'c', 'c');
             INSERT INTO agencies (id, name, name_key, tier, unit_type, updated_at)
               VALUES (1, '甲局', '甲局', 'province', '政府机关', 'c');
             INSERT INTO imported_files (id, campaign_year, file_name, sha256, imported_at,
               operator, status, sheet, header_row, rows_total, rows_imported, warnings,
               withdrawn_at)
               VALUES (1, 2026, 'a.xlsx', 'aa', 't1', '张三', 'withdrawn', 's', 2, 3, 3, '[]', 't3'),
                      (4, 2026, 'b.xlsx', 'bb', 't2', '李四', 'partial', 's', 1, 5, 4, '[\"w\"]', NULL);
             INSERT INTO returns (campaign_year, agency_id, file_id, sheet, row, name, tier,
               unit_type, components, vetoes)
               VALUES (2026, 1, 4, 's', 2, '甲局', 'province', '政府机关', '{}', '{}');
             INSERT INTO registry_files (id, file_name, sha256, imported_at, operator, status,
               sheet, header_row, rows_total, rows_imported, warnings)
               VALUES (1, '命名名单.xlsx', 'cc', 't4', '王五', 'imported', '命名名单', 2, 16, 16, '[]');",
        )
        .unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrate_to(&mut conn, 11).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let out = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap();
            out
        };
        assert_eq!(
            rows(
                "SELECT id || '|' || kind || '|' || COALESCE(campaign_year, '-') || '|' ||
                 file_name || '|' || sha256 || '|' || imported_at || '|' || operator || '|' ||
                 status || '|' || sheet || '|' || header_row || '|' || rows_total || '|' ||
                 rows_imported || '|' || warnings || '|' || COALESCE(withdrawn_at, '-')
                 FROM imported_files ORDER BY id"
            ),
            [
                "1|returns|2026|a.xlsx|aa|t1|张三|withdrawn|s|2|3|3|[]|t3",
                "4|returns|2026|b.xlsx|bb|t2|李四|partial|s|1|5|4|[\"w\"]|-",
                "5|registry|-|命名名单.xlsx|cc|t4|王五|imported|命名名单|2|16|16|[]|-",
            ]
        );
        assert_eq!(
            rows("SELECT f.file_name FROM returns r JOIN imported_files f ON f.id = r.file_id"),
            ["b.xlsx"]
        );
        let orphans: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(orphans, 0);
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1, "foreign keys are on again after the migration");
        let registry = find_live(&conn, FileKind::Registry, None, "cc")
            .unwrap()
            .unwrap();
        assert_eq!((registry.id, registry.rows_imported), (5, 16));
    }
}
