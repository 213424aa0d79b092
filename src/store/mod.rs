//! The SQLite store: opening, pragmas, and versioned migrations.
//!
//! Each table module owns its migration steps; [`MIGRATIONS`] lists them in order and
//! `PRAGMA user_version` records how many have been applied.

use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::Connection;
use thiserror::Error;

use crate::Coded;

pub mod accountability;
pub mod agencies;
pub mod audit_log;
pub mod awards;
pub mod backup;
pub mod ballots;
pub mod calendar;
pub mod campaigns;
mod checkpoint;
pub mod files;
pub mod ledger;
pub mod netfs;
pub mod objections;
pub mod overrides;
pub mod panel;
pub mod publicity;
pub mod returns;
pub mod reviews;
pub mod runs;
pub mod schema;
pub mod supervision;
mod vocab_sql;

/// One migration step: the schema version it brings the database to, and its SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Schema version after this step (1-based, consecutive).
    pub version: u32,
    /// Short name, for messages.
    pub name: &'static str,
    /// SQL executed in one transaction.
    pub sql: &'static str,
}

/// Every migration in order. Version N is `MIGRATIONS[N - 1]`.
pub const MIGRATIONS: &[Migration] = &[
    campaigns::MIGRATION_1,
    agencies::MIGRATION_2,
    files::MIGRATION_3,
    returns::MIGRATION_4,
    audit_log::MIGRATION_5,
    awards::MIGRATION_6,
    overrides::MIGRATION_7,
    files::MIGRATION_8,
    reviews::MIGRATION_9,
    awards::MIGRATION_10,
    files::MIGRATION_11,
    runs::MIGRATION_12,
    reviews::MIGRATION_13,
    panel::MIGRATION_14,
    runs::MIGRATION_15,
    ballots::MIGRATION_16,
    calendar::MIGRATION_17,
    publicity::MIGRATION_18,
    objections::MIGRATION_19,
    ledger::MIGRATION_20,
    accountability::MIGRATION_21,
    ledger::MIGRATION_22,
    ledger::MIGRATION_23,
    runs::MIGRATION_24,
];

/// The schema version a fully migrated database has.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Errors of the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("数据库错误：{}", describe(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// The database file could not be opened.
    #[error("无法打开数据库 {}：{}", .path.display(), describe(.source))]
    Open {
        /// The database file asked for.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The database file or its folder could not be created.
    #[error("无法创建数据库目录 {path}：{}", crate::atomic::io_words(.source))]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file written for the user (a backup) could not be written.
    #[error("无法写入文件 {}：{}", .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// No platform data directory could be determined.
    #[error("无法确定数据目录，请用 --db 或环境变量 MOFAN_DB 指定数据库文件")]
    NoDataDir,
    /// The database is on a network share and another program has it open.
    #[error(
        "数据库 {} 位于网络共享（{fs}）上，正被另一个程序或另一台电脑使用。\
         网络共享上的数据库同一时间只能由一个程序打开，请等对方关闭 mofan 后再试",
        .path.display()
    )]
    SharedInUse {
        /// The database path.
        path: PathBuf,
        /// The network file system type.
        fs: String,
    },
    /// The database was written by a newer mofan.
    #[error("数据库版本 {found} 高于本程序支持的版本 {supported}，请升级本程序")]
    TooNew {
        /// The version found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The database file is not what mofan's migrations make (see [`schema`]); it is left
    /// as it is.
    #[error("无法打开数据库 {}：{}", .path.display(), .defect.of("该数据库"))]
    Unusable {
        /// The database path.
        path: PathBuf,
        /// What is wrong.
        defect: schema::Defect,
    },
    /// A file offered for restore was refused; the current database was not touched.
    #[error("没有从 {} 恢复，当前数据库未作任何改动：{}", .src.display(), .defect.of("备份文件"))]
    BadBackup {
        /// The file offered.
        src: PathBuf,
        /// What is wrong with it.
        defect: schema::Defect,
    },
    /// Another program has the database open, so it cannot be replaced.
    #[error(
        "数据库 {} 正被另一个程序（另一个 mofan 窗口或命令）使用，不能恢复；\
         请关闭它后再试。当前数据库未作任何改动",
        .path.display()
    )]
    RestoreInUse {
        /// The database path.
        path: PathBuf,
    },
    /// The validated backup could not be put in place of the database; the database was
    /// kept as it was.
    #[error("无法用恢复的数据替换数据库 {}：{}；当前数据库未作任何改动", .path.display(), crate::atomic::io_words(.source))]
    Swap {
        /// The database path.
        path: PathBuf,
        /// The file system's error.
        source: std::io::Error,
    },
    /// The database was replaced but could not be opened again.
    #[error(
        "已恢复数据库 {}，但无法重新打开它：{source}；原数据库另存为 {}",
        .path.display(),
        .kept.display()
    )]
    Reopen {
        /// The database path.
        path: PathBuf,
        /// The dated copy of the replaced database.
        kept: PathBuf,
        /// Why the reopening failed.
        source: Box<StoreError>,
    },
    /// A migration step failed.
    #[error("数据库升级到第 {version} 版（{name}）失败：{}", describe(.source))]
    Migration {
        /// The version being applied.
        version: u32,
        /// Its name.
        name: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
}

impl Coded for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::Sqlite(_) => "store.sqlite",
            StoreError::Open { .. } => "store.open",
            StoreError::Io { .. } => "store.io",
            StoreError::Write { .. } => "store.write",
            StoreError::NoDataDir => "store.no_data_dir",
            StoreError::SharedInUse { .. } => "store.shared_in_use",
            StoreError::TooNew { .. } => "store.too_new",
            StoreError::Migration { .. } => "store.migration",
            StoreError::Unusable { .. } => "store.unusable",
            StoreError::BadBackup { .. } => "store.bad_backup",
            StoreError::RestoreInUse { .. } => "store.restore_in_use",
            StoreError::Swap { .. } => "store.swap",
            StoreError::Reopen { .. } => "store.reopen",
        }
    }
}

/// A SQLite error in Chinese, with SQLite's own words for anything unusual.
pub fn describe(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, msg) => {
            let what = match f.code {
                C::CannotOpen => "无法打开文件（目录不存在、没有权限，或该路径是一个文件夹）",
                C::NotADatabase => "该文件不是数据库文件",
                C::PermissionDenied | C::ReadOnly => "没有读写该文件的权限",
                C::DatabaseBusy | C::DatabaseLocked => "数据库正被另一个程序使用，请稍后再试",
                C::DiskFull => "磁盘已满",
                C::DatabaseCorrupt => "数据库文件已损坏，请从备份恢复",
                C::ConstraintViolation => "数据不符合约束",
                _ => "",
            };
            match (what.is_empty(), msg) {
                (false, _) => what.to_string(),
                (true, Some(m)) => format!("SQLite 错误（{m}）"),
                (true, None) => format!("SQLite 错误（{:?}）", f.code),
            }
        }
        other => format!("SQLite 错误（{other}）"),
    }
}

/// How the database file is journaled and locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Journal {
    /// In memory: SQLite's default.
    Memory,
    /// A file on a local disk: WAL, so readers never wait for a writer.
    Wal,
    /// A file on a network share: a rollback journal (`DELETE`) and exclusive locking.
    /// WAL's index lives in memory shared between the processes of one machine, which a
    /// share cannot offer; holding the lock for the whole session means one program on
    /// one computer uses the database at a time, and another is refused instead of
    /// writing beside it.
    Shared,
}

/// The page size of a database mofan creates (see [`Store::open`]).
pub const PAGE_SIZE: i64 = 16384;

/// An open, migrated database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// The file, and the network file system it lies on if any (`None` in memory): what
    /// a restore needs to put another file in its place and open that the same way.
    file: Option<(PathBuf, Option<String>)>,
    /// The agencies' identities an import keeps beside its writing (`None` outside
    /// [`Store::importing`]).
    known: Option<std::cell::RefCell<agencies::Known>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the latest
    /// version. On a network file system ([`netfs::network_fs`]) the database is opened
    /// without WAL and locked for as long as it is open.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        Self::open_on(path, netfs::network_fs(path))
    }

    /// Opens the database at `path`, on the network file system `network` if any.
    fn open_on(path: &Path, network: Option<String>) -> Result<Store, StoreError> {
        let wrap = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(wrap)?;
        let journal = if network.is_some() {
            Journal::Shared
        } else {
            Journal::Wal
        };
        // The first statements are where an unusable file shows itself.
        match Self::from_connection(conn, journal) {
            Ok(mut store) => {
                store.file = Some((path.to_path_buf(), network));
                Ok(store)
            }
            Err(StoreError::Sqlite(source)) => Err(match (network, source.sqlite_error_code()) {
                (
                    Some(fs),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked),
                ) => StoreError::SharedInUse {
                    path: path.to_path_buf(),
                    fs,
                },
                _ => wrap(source),
            }),
            Err(StoreError::Unusable { defect, .. }) => Err(StoreError::Unusable {
                path: path.to_path_buf(),
                defect,
            }),
            Err(other) => Err(other),
        }
    }

    /// Opens a private in-memory database, migrated (for tests and `mofan run`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::from_connection(Connection::open_in_memory()?, Journal::Memory)
    }

    /// Sets up a connection and migrates it. The schema is checked first
    /// ([`schema::check`]: one read of `sqlite_master`, compared with the reference built
    /// once per process), before anything is written, so a file that is not mofan's is
    /// refused as it was found (`StoreError::Unusable`, with an empty path the caller
    /// fills in). A new, empty file passes and is migrated.
    fn from_connection(mut conn: Connection, journal: Journal) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        if journal == Journal::Shared {
            // Exclusive first: a database left in WAL mode is then opened without the
            // shared-memory index, and converted below.
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        }
        if let Err(defect) = schema::check(&conn, true)? {
            return Err(match defect {
                schema::Defect::TooNew { found, supported } => StoreError::TooNew {
                    found: u32::try_from(found).unwrap_or(u32::MAX),
                    supported,
                },
                defect => StoreError::Unusable {
                    path: PathBuf::new(),
                    defect,
                },
            });
        }
        // A new database gets 16 KiB pages (SQLite's default is 4 KiB): a quarter of the
        // pages for the same rows, so fewer B-tree splits, log frames and checkpoint
        // writes — an import of 100,000 returns 10–12% faster and `select --json` 10%
        // (docs/performance.md, "Seventh round"). Only before anything is written: an
        // existing database keeps the size it was made with (changing it takes a VACUUM).
        let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
        if pages == 0 {
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
        match journal {
            Journal::Memory => {}
            Journal::Wal => conn.pragma_update(None, "journal_mode", "WAL")?,
            Journal::Shared => conn.pragma_update(None, "journal_mode", "DELETE")?,
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Plans that do not depend on the values bound. Without this, SQLite marks a
        // parameter compared with an indexed column as one whose value may change the plan
        // (its row-count heuristics), and rusqlite's statement cache clears every binding
        // when a statement is returned to it, which then expires the statement: each use
        // of a cached statement such as the agencies' name lookup was compiled again, a
        // fifth of an import's time (docs/performance.md). mofan keeps no statistics
        // (`ANALYZE`) for bound values to matter.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // Room for every statement an import runs per row and per file (the default is
        // 16), so that none is evicted and compiled again within a batch.
        conn.set_prepared_statement_cache_capacity(64);
        migrate_to(&mut conn, latest_version())?;
        Ok(Store {
            conn,
            file: None,
            known: None,
        })
    }

    /// The database path to use: `cli` if given, else `$MOFAN_DB`, else
    /// `<platform data dir>/mofan/mofan.db`.
    pub fn resolve_path(cli: Option<&Path>) -> Result<PathBuf, StoreError> {
        if let Some(p) = cli {
            return Ok(p.to_path_buf());
        }
        if let Some(p) = std::env::var_os("MOFAN_DB").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        let dirs =
            directories::ProjectDirs::from("cn", "mofan", "mofan").ok_or(StoreError::NoDataDir)?;
        Ok(dirs.data_dir().join("mofan.db"))
    }

    /// The underlying connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The underlying connection, for transactions.
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs an import's writing `f`: with a 32 MiB page cache (SQLite's default 2 MiB
    /// spills a large import to disk in the middle of its transaction), then the default
    /// again, so that reading a whole campaign afterwards does not keep 32 MiB of pages;
    /// and, for a file in WAL mode, with the log checkpointed on a thread of its own
    /// ([`checkpoint`]) instead of on the writer's.
    ///
    /// 32 MiB, not more: an import appends to its tables (rowid order) and what it must
    /// keep at hand is the indexes it inserts into at random places, about 12 MiB for
    /// 100,000 agencies and their returns. A cache as large as the whole database (64 MiB
    /// before) only held pages already written, and took a third of a large file's peak.
    pub fn importing<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        self.importing_counted(f).0
    }

    /// [`Store::importing`], also giving how many checkpoints ran beside `f`.
    fn importing_counted<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> (T, usize) {
        // A file of a batch imported on its own runs inside the batch's session.
        let outermost = self.known.is_none();
        if outermost {
            self.known = Some(Default::default());
        }
        let _ = self.conn.pragma_update(None, "cache_size", -32768);
        let out = match self.wal_file() {
            Some(path) => checkpoint::beside(self, &path, f),
            None => (f(self), 0),
        };
        let _ = self.conn.pragma_update(None, "cache_size", -2000);
        if outermost {
            self.known = None;
        }
        out
    }

    /// A transaction for an import's file, with the agencies' identities its session
    /// keeps ([`agencies::Known`]; `None` outside [`Store::importing`]).
    pub fn import_transaction(
        &mut self,
    ) -> rusqlite::Result<(
        rusqlite::Transaction<'_>,
        Option<&std::cell::RefCell<agencies::Known>>,
    )> {
        Ok((self.conn.transaction()?, self.known.as_ref()))
    }

    /// The database's file when it is in WAL mode (not in memory, not on a share).
    fn wal_file(&self) -> Option<PathBuf> {
        let (path, None) = self.file.as_ref()? else {
            return None;
        };
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .ok()?;
        mode.eq_ignore_ascii_case("wal").then(|| path.clone())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Applies every migration above the database's version up to `target`, each in its own
/// transaction. Used by [`Store::open`]; public so tests can build databases at earlier
/// versions.
///
/// Foreign keys are off while the steps run, as SQLite's procedure for changing a table's
/// definition asks: a step that rebuilds a table other tables refer to drops it and
/// renames its new copy into place, which enforcement would refuse half-way. Each step
/// checks them instead before it commits — it may not leave a row referring to nothing
/// that did not before — and the setting is put back as it was found.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<(), StoreError> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > latest_version() {
        return Err(StoreError::TooNew {
            found: current,
            supported: latest_version(),
        });
    }
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    if enforced {
        conn.pragma_update(None, "foreign_keys", false)?;
    }
    let applied = apply_migrations(conn, current, target);
    if enforced {
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    applied
}

/// The steps of [`migrate_to`] after `current` up to `target`.
fn apply_migrations(conn: &mut Connection, current: u32, target: u32) -> Result<(), StoreError> {
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        let wrap = |source| StoreError::Migration {
            version: m.version,
            name: m.name,
            source,
        };
        let tx = conn.transaction().map_err(wrap)?;
        let orphans = |tx: &rusqlite::Transaction<'_>| -> rusqlite::Result<i64> {
            tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
        };
        let before = orphans(&tx).map_err(wrap)?;
        tx.execute_batch(m.sql).map_err(wrap)?;
        let after = orphans(&tx).map_err(wrap)?;
        if after > before {
            return Err(wrap(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("{} rows refer to missing records", after - before)),
            )));
        }
        tx.pragma_update(None, "user_version", m.version)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
    }
    Ok(())
}

/// The statement in `slot`, taken from `conn`'s statement cache (prepared the first time)
/// when the slot is empty: a statement used for many rows in a row is held, not taken
/// and given back for each.
fn held<'a, 'c>(
    slot: &'a mut Option<rusqlite::CachedStatement<'c>>,
    conn: &'c Connection,
    sql: &str,
) -> rusqlite::Result<&'a mut rusqlite::CachedStatement<'c>> {
    match slot {
        Some(stmt) => Ok(stmt),
        None => Ok(slot.insert(conn.prepare_cached(sql)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "migration {}", m.name);
        }
    }

    #[test]
    fn migrates_from_every_earlier_version() {
        for start in 0..=latest_version() {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, start).unwrap();
            let v: u32 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(v, start);
            let store = Store::from_connection(conn, Journal::Memory).unwrap();
            assert_eq!(store.schema_version().unwrap(), latest_version());
            assert_eq!(integrity(store.conn()), "ok");
        }
    }

    #[test]
    fn unusable_files_are_named_in_chinese() {
        let dir = tempfile::tempdir().unwrap();
        let e = Store::open(dir.path()).unwrap_err();
        assert_eq!(e.code(), "store.open");
        assert!(e.to_string().contains("无法打开数据库"), "{e}");
        assert!(!e.to_string().contains("unable to open"), "{e}");
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
        let e = Store::open(&junk).unwrap_err();
        assert!(e.to_string().contains("不是数据库文件"), "{e}");
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        let err = migrate_to(&mut conn, latest_version()).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    }

    fn pragma(store: &Store, name: &str) -> String {
        store
            .conn()
            .pragma_query_value(None, name, |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_database_on_a_share_uses_a_rollback_journal_and_holds_its_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        // Made on a local disk (WAL), then found on a share.
        drop(Store::open(&path).unwrap());
        let mut store = Store::open_on(&path, Some("cifs".into())).unwrap();
        assert_eq!(pragma(&store, "journal_mode"), "delete");
        assert_eq!(pragma(&store, "locking_mode"), "exclusive");
        assert!(!dir.path().join("m.db-wal").exists());
        assert!(!dir.path().join("m.db-shm").exists());
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();

        // Another program is refused at once while this one has the database open.
        let other = Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = other
            .query_row("SELECT COUNT(*) FROM campaigns", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert_eq!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        );
        drop(store);
        let n: i64 = other
            .query_row("SELECT COUNT(*) FROM campaigns", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_new_database_gets_large_pages_and_an_old_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let new = Store::open(&dir.path().join("new.db")).unwrap();
        let page_size = |s: &Store| -> i64 {
            s.conn()
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .unwrap()
        };
        assert_eq!(page_size(&new), PAGE_SIZE);
        // Made with SQLite's default pages by an earlier mofan: opened, migrated, and
        // still with the pages it had.
        let old_path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&old_path).unwrap();
            conn.pragma_update(None, "page_size", 4096).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
            migrate_to(&mut conn, 1).unwrap();
        }
        let mut old = Store::open(&old_path).unwrap();
        assert_eq!(page_size(&old), 4096);
        let version: u32 = old
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        crate::campaign::create(&mut old, 2026, None, "张三").unwrap();
        assert_eq!(integrity(old.conn()), "ok");
        // In memory too (tests, `mofan run`).
        let memory = Store::open_in_memory().unwrap();
        assert_eq!(page_size(&memory), PAGE_SIZE);
    }

    #[test]
    fn file_database_uses_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("sub/m.db")).unwrap();
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    fn integrity(conn: &Connection) -> String {
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap()
    }

    /// Writes `commits` transactions of 200 rows of 1 KiB each (about 50 pages a commit).
    fn write_pages(store: &mut Store, commits: usize) {
        store
            .conn()
            .execute_batch("CREATE TABLE IF NOT EXISTS filler (x BLOB)")
            .unwrap();
        for _ in 0..commits {
            let tx = store.conn_mut().transaction().unwrap();
            for _ in 0..200 {
                tx.execute("INSERT INTO filler VALUES (randomblob(1024))", [])
                    .unwrap();
            }
            tx.commit().unwrap();
        }
    }

    fn autocheckpoint(store: &Store) -> i64 {
        store
            .conn()
            .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_import_checkpoints_on_a_thread_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut store = Store::open(&path).unwrap();
        // 60 commits of some 50 pages: the log passes 1,000 pages twice or more.
        let ((), ran) = store.importing_counted(|s| write_pages(s, 60));
        assert!(ran >= 1, "no checkpoint ran beside the writer");
        assert_eq!(autocheckpoint(&store), i64::from(checkpoint::PAGES));
        let rows: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 12_000);
        drop(store);
        // Everything is in the database file once the last connection closed.
        assert!(!dir.path().join("m.db-wal").exists());
        // (A plain connection: mofan's own would refuse the test's extra table.)
        assert_eq!(integrity(&Connection::open(&path).unwrap()), "ok");
    }

    #[test]
    fn a_long_import_starts_its_log_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        // 4 KiB pages, as a database made before version 24 has: each of `write_pages`'
        // commits then writes some 50 pages, and 200 of them some 10,000.
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "page_size", 4096).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let ((), ran) = store.importing_counted(|s| write_pages(s, 200));
        assert!(ran >= 1);
        // The log file is as long as the furthest frame ever written into it: started
        // over once it passed `LONG` pages, it stays near that, where without the
        // writer's own checkpoints it grew with every commit.
        let log = std::fs::metadata(dir.path().join("l.db-wal"))
            .unwrap()
            .len();
        let frames = (log - 32) / (4096 + 24);
        let long = u64::try_from(checkpoint::LONG).unwrap();
        assert!(frames < 2 * long, "a log of {frames} frames");
        drop(store);
        assert_eq!(integrity(&Connection::open(&path).unwrap()), "ok");
    }

    #[test]
    fn a_panic_while_importing_gives_sqlite_its_checkpoints_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("p.db")).unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.importing(|s| {
                write_pages(s, 2);
                panic!("writer failed");
            })
        }));
        assert!(r.is_err());
        assert_eq!(autocheckpoint(&store), i64::from(checkpoint::PAGES));
        // SQLite's own checkpoint is back: the log stops growing past its mark.
        write_pages(&mut store, 60);
        let (log, _): (i64, i64) = store
            .conn()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert!(log < 2 * i64::from(checkpoint::PAGES), "log of {log} pages");
    }

    #[test]
    fn a_store_told_to_checkpoint_at_close_copies_its_log_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let len = |name: &str| std::fs::metadata(dir.path().join(name)).map(|m| m.len());
        let store = Store::open(&path).unwrap();
        store.checkpoint_at_close().unwrap();
        let before = len("c.db").unwrap();
        // One transaction of 2,400 blobs of 8 KiB, some 1,200 pages of 16 KiB: past the
        // 1,000 pages at which SQLite's own checkpoint would copy the log into the file
        // at the commit.
        let mut store = store;
        write_pages(&mut store, 0);
        let tx = store.conn_mut().transaction().unwrap();
        for _ in 0..2400 {
            tx.execute("INSERT INTO filler VALUES (randomblob(8192))", [])
                .unwrap();
        }
        tx.commit().unwrap();
        let logged = len("c.db-wal").unwrap();
        assert!(logged > 1000 * 16384, "a log of {logged} bytes");
        assert_eq!(
            len("c.db").unwrap(),
            before,
            "the log was copied at the commit"
        );
        drop(store);
        // The close copied it, synced, and removed the log.
        assert!(len("c.db").unwrap() > before + 1000 * 16384);
        assert!(len("c.db-wal").is_err());
        let conn = Connection::open(&path).unwrap();
        assert_eq!(integrity(&conn), "ok");
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2400);
    }

    #[test]
    fn in_memory_imports_have_no_checkpoint_thread() {
        let mut store = Store::open_in_memory().unwrap();
        let ((), ran) = store.importing_counted(|s| write_pages(s, 3));
        assert_eq!(ran, 0);
    }
}
