//! Backing up and restoring the database with SQLite's online backup, which copies a
//! consistent snapshot while the database stays in use.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::{latest_version, Store, StoreError};

/// Pages copied per step, and the pause between steps, so a large copy does not hold the
/// database for long at a time.
const PAGES_PER_STEP: i32 = 1024;
const PAUSE: Duration = Duration::from_millis(1);

fn copy(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    let backup = Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, PAUSE, None)?;
    Ok(())
}

/// A database's schema: every table, index, view and trigger with its SQL, leaving out
/// SQLite's own (`sqlite_sequence`, `sqlite_stat1`, automatic indexes).
fn schema(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

impl Store {
    /// Writes a consistent copy of the database to `dest` (through a temporary file in the
    /// same folder and a rename, so a failed backup never leaves half a file; with the
    /// user's normal permissions, like every file written for the user).
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        let io = |source| StoreError::Write {
            path: dest.to_path_buf(),
            source,
        };
        let staged = crate::export::Staged::new(dest).map_err(io)?;
        {
            let mut out = Connection::open(staged.path())?;
            copy(&self.conn, &mut out)?;
            // A single file: no WAL beside the backup.
            out.pragma_update(None, "journal_mode", "DELETE")?;
        }
        staged.commit().map_err(io)?;
        Ok(())
    }

    /// Replaces the whole database with the backup at `src`, after checking that `src` is
    /// an intact mofan database this build can read. The backup is first copied into
    /// memory, brought up to date there and compared with mofan's schema, so a backup that
    /// fails any step leaves the live database exactly as it was.
    pub fn restore_from(&mut self, src: &Path) -> Result<(), StoreError> {
        let open = |source| StoreError::Open {
            path: src.to_path_buf(),
            source,
        };
        let from =
            Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(open)?;
        let ok: String = from
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(open)?;
        let version: u32 = from
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open)?;
        let has_campaigns: bool = from
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'campaigns'",
                [],
                |r| r.get(0),
            )
            .map_err(open)?;
        if ok != "ok" || version == 0 || !has_campaigns {
            return Err(StoreError::NotABackup(src.to_path_buf()));
        }
        if version > latest_version() {
            return Err(StoreError::TooNew {
                found: version,
                supported: latest_version(),
            });
        }
        let not_a_backup = || StoreError::NotABackup(src.to_path_buf());
        let mut scratch = Connection::open_in_memory()?;
        copy(&from, &mut scratch)?;
        drop(from);
        // A backup from an older version is brought up to date; one whose tables do not
        // match its version (a changed `user_version`) fails here, not in the live file.
        super::migrate_to(&mut scratch, latest_version()).map_err(|_| not_a_backup())?;
        // Exactly mofan's tables, indexes and nothing else: no table a query would trip
        // over, and no trigger or view someone added that would run in the live database.
        let mut fresh = Connection::open_in_memory()?;
        super::migrate_to(&mut fresh, latest_version())?;
        if schema(&scratch)? != schema(&fresh)? {
            return Err(not_a_backup());
        }
        copy(&scratch, &mut self.conn)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_and_restore() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("live.db")).unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let copy_path = dir.path().join("备份.db");
        store.backup_to(&copy_path).unwrap();
        crate::campaign::create(&mut store, 2027, None, "张三").unwrap();
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 2);

        store.restore_from(&copy_path).unwrap();
        let years: Vec<i32> = crate::campaign::list(&store)
            .unwrap()
            .iter()
            .map(|c| c.year)
            .collect();
        assert_eq!(years, vec![2026]);
        assert_eq!(crate::audit::verify(store.conn()).unwrap().broken, None);
        // The backup is one self-contained file.
        assert!(!dir.path().join("备份.db-wal").exists());

        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"not a database at all").unwrap();
        assert!(store.restore_from(&junk).is_err());
        let empty = dir.path().join("empty.db");
        Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            store.restore_from(&empty),
            Err(StoreError::NotABackup(_))
        ));
        // A refused restore changed nothing.
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 1);
    }

    /// A backup whose version number was changed (its tables are from a later version
    /// than it claims), or one with an object mofan never makes (a trigger), is refused
    /// before the live database is touched.
    #[test]
    fn a_tampered_backup_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("live.db")).unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let good = dir.path().join("good.db");
        store.backup_to(&good).unwrap();
        crate::campaign::create(&mut store, 2027, None, "张三").unwrap();
        let live = |s: &Store| -> Vec<i32> {
            crate::campaign::list(s)
                .unwrap()
                .iter()
                .map(|c| c.year)
                .collect()
        };

        for (name, sql) in [
            ("version.db", "PRAGMA user_version = 5"),
            (
                "trigger.db",
                "CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM campaigns; END",
            ),
            ("table.db", "CREATE TABLE extra (x)"),
            ("column.db", "ALTER TABLE campaigns ADD COLUMN x TEXT"),
        ] {
            let bad = dir.path().join(name);
            std::fs::copy(&good, &bad).unwrap();
            Connection::open(&bad).unwrap().execute_batch(sql).unwrap();
            let e = store.restore_from(&bad).unwrap_err();
            assert!(matches!(e, StoreError::NotABackup(_)), "{name}: {e}");
            assert_eq!(live(&store), [2027, 2026], "{name}");
        }
        // The untouched backup still restores, and so does one from an older version.
        store.restore_from(&good).unwrap();
        assert_eq!(live(&store), [2026]);
        let old = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&old).unwrap();
            super::super::migrate_to(&mut conn, 4).unwrap();
        }
        store.restore_from(&old).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
        assert!(live(&store).is_empty());
    }
}
