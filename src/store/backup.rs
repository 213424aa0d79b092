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
    /// an intact mofan database this build can read.
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
        copy(&from, &mut self.conn)?;
        // A backup from an older version is brought up to date.
        super::migrate_to(&mut self.conn, latest_version())?;
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
}
