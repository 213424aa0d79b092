//! Backing up and restoring the database.
//!
//! A backup is written with SQLite's online backup, which copies a consistent snapshot
//! while the database stays in use.
//!
//! A restore treats the offered file as untrusted input and never lets it near the live
//! database until it has passed every check (see `docs/rules.md`, "Restore"):
//!
//! 1. the file (and a `-wal` or `-journal` beside it, which SQLite would read with it) is
//!    copied to a private temporary file in the database's folder; the user's file is
//!    only ever read;
//! 2. on that copy, opened defensively: `PRAGMA integrity_check`, a `user_version` this
//!    build can migrate, a schema exactly as the migrations make it for that version
//!    ([`super::schema`]), the migrations up to the latest version, the audit chain
//!    ([`super::audit_log::verify`]) and `PRAGMA foreign_key_check`;
//! 3. only then: the live database is taken for sole use (another program that has it
//!    open is a refusal), kept as a dated copy beside it with the online backup, closed,
//!    and the checked copy renamed over it — one atomic step — and opened again.
//!
//! A refusal at steps 1–2 (and a busy database at 3) leaves the live file byte-identical.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::schema::{self, Defect};
use super::{latest_version, Store, StoreError};
use crate::atomic::Staged;

/// Pages copied per step, and the pause between steps, so a large copy does not hold the
/// database for long at a time.
const PAGES_PER_STEP: i32 = 1024;
const PAUSE: Duration = Duration::from_millis(1);

/// How long a restore waits for another program to let go of the database before it is
/// refused: the other program is someone's open window, which will not close by itself.
const SOLE_USE_WAIT: Duration = Duration::from_secs(1);

/// The files SQLite keeps beside a database while it is open or after a crash.
const SIDECARS: [&str; 3] = ["-wal", "-shm", "-journal"];

fn copy(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    let backup = Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, PAUSE, None)?;
    Ok(())
}

/// `path` with `suffix` appended to its file name (`mofan.db` → `mofan.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The backup's schema version, before it was brought up to date.
    pub backup_version: u32,
    /// The schema version of the database now.
    pub version: u32,
    /// Where the replaced database was kept (`None` for an in-memory store).
    pub kept: Option<PathBuf>,
}

/// The private copy of a backup, beside the database it may replace. Dropped unused, it
/// is removed with whatever SQLite left beside it.
struct Candidate {
    staged: Staged,
    _sidecars: SidecarGuard,
}

/// Removes SQLite's files beside a temporary database when dropped.
struct SidecarGuard(PathBuf);

impl Drop for SidecarGuard {
    fn drop(&mut self) {
        for suffix in SIDECARS {
            let _ = std::fs::remove_file(with_suffix(&self.0, suffix));
        }
    }
}

impl Candidate {
    /// Copies `src` — and its `-wal` or `-journal`, which SQLite would read together with
    /// it — into a temporary file staged for `beside`. Only reads the user's files.
    fn stage(src: &Path, beside: &Path) -> Result<Candidate, StoreError> {
        let refused = |defect| StoreError::BadBackup {
            src: src.to_path_buf(),
            defect,
        };
        let unreadable = |e: io::Error| refused(Defect::Unreadable(io_words(&e)));
        let meta = std::fs::metadata(src).map_err(unreadable)?;
        // A pipe or device would block or never end; a folder is no file.
        if !meta.is_file() {
            return Err(refused(Defect::Unreadable("不是普通文件".into())));
        }
        let mut from = File::open(src).map_err(unreadable)?;
        let folder = beside.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut staged = Staged::new(beside).map_err(|source| StoreError::Write {
            path: folder.clone(),
            source,
        })?;
        let guard = SidecarGuard(staged.path().to_path_buf());
        let write_err = |source| StoreError::Write {
            path: folder.clone(),
            source,
        };
        pour(&mut from, staged.file()).map_err(|e| match e {
            Pour::Read(e) => unreadable(e),
            Pour::Write(e) => write_err(e),
        })?;
        for suffix in ["-wal", "-journal"] {
            let side = with_suffix(src, suffix);
            if std::fs::metadata(&side).is_ok_and(|m| m.is_file()) {
                let mut from = File::open(&side).map_err(unreadable)?;
                let mut to = File::create(with_suffix(staged.path(), suffix)).map_err(write_err)?;
                pour(&mut from, &mut to).map_err(|e| match e {
                    Pour::Read(e) => unreadable(e),
                    Pour::Write(e) => write_err(e),
                })?;
            }
        }
        Ok(Candidate {
            staged,
            _sidecars: guard,
        })
    }

    fn path(&self) -> &Path {
        self.staged.path()
    }
}

/// Why a file could not be read, in Chinese where the reason is a common one.
fn io_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件不存在".into(),
        io::ErrorKind::PermissionDenied => "没有读取该文件的权限".into(),
        io::ErrorKind::IsADirectory => "不是普通文件".into(),
        _ => format!("读取出错（{e}）"),
    }
}

/// Which side of a copy failed.
enum Pour {
    Read(io::Error),
    Write(io::Error),
}

fn pour(from: &mut File, to: &mut File) -> Result<(), Pour> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Pour::Read(e)),
        };
        to.write_all(&buf[..n]).map_err(Pour::Write)?;
    }
    to.flush().map_err(Pour::Write)
}

/// Checks the private copy at `path` completely and brings it up to date; returns the
/// version it had. Leaves it a single file (rollback journal), closed.
fn validate(path: &Path) -> Result<u32, Defect> {
    let d = |e: rusqlite::Error| Defect::from_sqlite(&e);
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(d)?;
    // SQLite's advice for databases from elsewhere: no schema tricks (writable_schema,
    // shadow tables), functions in the schema treated as untrusted, every cell's size
    // checked as it is read, no memory mapping of a file that may lie about its size.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(d)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(d)?;
    conn.pragma_update(None, "cell_size_check", true)
        .map_err(d)?;
    conn.pragma_update(None, "mmap_size", 0).map_err(d)?;
    // The first statement reads the header, so a file that is no database shows here;
    // a `-wal` copied with it is checkpointed into it, leaving one file to rename.
    conn.pragma_update(None, "journal_mode", "DELETE")
        .map_err(d)?;

    let mut problems = Vec::new();
    {
        let mut stmt = conn.prepare("PRAGMA integrity_check(3)").map_err(d)?;
        let mut rows = stmt.query([]).map_err(d)?;
        while let Some(row) = rows.next().map_err(d)? {
            let line: String = row.get(0).map_err(d)?;
            if line != "ok" {
                problems.push(line);
            }
        }
    }
    if !problems.is_empty() {
        return Err(Defect::Corrupt(problems.join("; ")));
    }

    let version = schema::check(&conn, false).map_err(d)??;

    conn.pragma_update(None, "foreign_keys", true).map_err(d)?;
    super::migrate_to(&mut conn, latest_version()).map_err(|e| match e {
        StoreError::Migration {
            version,
            name,
            source,
        } => Defect::Migration {
            version,
            name,
            detail: super::describe(&source),
        },
        StoreError::Sqlite(e) => d(e),
        other => Defect::Sqlite(other.to_string()),
    })?;

    let chain = super::audit_log::verify(&conn).map_err(d)?;
    if let Some(b) = chain.broken {
        return Err(Defect::AuditChain {
            seq: b.seq,
            reason: b.reason,
        });
    }

    let orphan = conn
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok(Defect::ForeignKey {
                table: r.get(0)?,
                rowid: r.get(1)?,
                parent: r.get(2)?,
            })
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(d(e)),
        })?;
    if let Some(defect) = orphan {
        return Err(defect);
    }
    check_values(&conn)?;
    conn.close().map_err(|(_, e)| d(e))?;
    Ok(version)
}

/// Checks that every value of an `INTEGER` or `TEXT` column is of that type, and text
/// is UTF-8 (a `BLOB` column — a run's compact record — holds bytes its reader checks,
/// `select::stored`). SQLite itself stores whatever it is given and
/// checks no encoding, so a damaged or edited backup could otherwise restore cleanly and
/// fail later, in whichever command first reads the value.
fn check_values(conn: &Connection) -> Result<(), Defect> {
    let d = |e: rusqlite::Error| Defect::from_sqlite(&e);
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(d)?;
    for table in tables {
        // The schema has been checked: these are mofan's own tables and columns.
        let columns: Vec<(String, String)> = conn
            .prepare("SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid")
            .and_then(|mut s| {
                s.query_map([&table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(d)?;
        let list: Vec<String> = columns
            .iter()
            .map(|(c, _)| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        let sql = format!(
            "SELECT rowid, {} FROM \"{}\"",
            list.join(", "),
            table.replace('"', "\"\"")
        );
        let mut stmt = conn.prepare(&sql).map_err(d)?;
        let mut rows = stmt.query([]).map_err(d)?;
        while let Some(row) = rows.next().map_err(d)? {
            for (i, (column, declared)) in columns.iter().enumerate() {
                let value = row.get_ref(i + 1).map_err(d)?;
                let expected = match declared.as_str() {
                    "TEXT" => "文本",
                    "INTEGER" => "整数",
                    _ => continue,
                };
                let fits = match value {
                    ValueRef::Null => true,
                    ValueRef::Text(b) => expected == "文本" && std::str::from_utf8(b).is_ok(),
                    ValueRef::Integer(_) => expected == "整数",
                    ValueRef::Real(_) | ValueRef::Blob(_) => false,
                };
                if !fits {
                    return Err(Defect::BadValue {
                        table: table.clone(),
                        rowid: row.get(0).map_err(d)?,
                        column: column.clone(),
                        expected,
                    });
                }
            }
        }
    }
    Ok(())
}

/// A free name for the dated copy of `db` kept by a restore:
/// `mofan.db.恢复前-20261127-093000.bak` (then `…-2.bak`, … within the same second).
fn dated_copy_name(db: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = db
        .file_name()
        .map_or_else(|| "mofan.db".into(), |n| n.to_string_lossy().into_owned());
    let mut candidate = db.with_file_name(format!("{name}.恢复前-{stamp}.bak"));
    let mut n = 1;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        n += 1;
        candidate = db.with_file_name(format!("{name}.恢复前-{stamp}-{n}.bak"));
    }
    candidate
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
        let staged = Staged::new(dest).map_err(io)?;
        {
            let mut out = Connection::open(staged.path())?;
            copy(&self.conn, &mut out)?;
            // A single file: no WAL beside the backup.
            out.pragma_update(None, "journal_mode", "DELETE")?;
        }
        staged.commit().map_err(io)?;
        Ok(())
    }

    /// Replaces the whole database with the backup at `src`, which is checked completely
    /// on a private copy first (module documentation). On success the replaced database
    /// is kept beside it ([`Restored::kept`]) and the store is open on the restored one;
    /// the caller writes the restore's audit row into it. On a refusal
    /// ([`StoreError::BadBackup`], [`StoreError::RestoreInUse`]) nothing has changed.
    pub fn restore_from(&mut self, src: &Path) -> Result<Restored, StoreError> {
        let latest = latest_version();
        let Some((path, network)) = self.file.clone() else {
            // In memory: nothing to keep or rename; the checked copy is copied in.
            let candidate = Candidate::stage(src, &std::env::temp_dir().join("mofan.db"))?;
            let backup_version =
                validate(candidate.path()).map_err(|defect| StoreError::BadBackup {
                    src: src.to_path_buf(),
                    defect,
                })?;
            let from =
                Connection::open_with_flags(candidate.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            copy(&from, &mut self.conn)?;
            return Ok(Restored {
                backup_version,
                version: latest,
                kept: None,
            });
        };

        let candidate = Candidate::stage(src, &path)?;
        let backup_version =
            validate(candidate.path()).map_err(|defect| StoreError::BadBackup {
                src: src.to_path_buf(),
                defect,
            })?;

        self.take_sole_use(&path, network.clone())?;
        let kept = dated_copy_name(&path);
        if let Err(e) = self.backup_to(&kept) {
            let _ = std::fs::remove_file(&kept);
            self.reopen(&path, network)?;
            return Err(e);
        }
        if let Err(e) = self.close() {
            let _ = std::fs::remove_file(&kept);
            return Err(e);
        }
        // Nothing may pair the old file's journal or index with the new file: SQLite
        // would apply a leftover -wal or hot -journal to it. The database was left in
        // rollback mode and closed cleanly, so these are stale if present.
        let mut names = vec![path.clone()];
        if let Ok(real) = std::fs::canonicalize(&path) {
            if real != path {
                names.push(real);
            }
        }
        for name in &names {
            for suffix in SIDECARS {
                let _ = std::fs::remove_file(with_suffix(name, suffix));
            }
        }
        let Candidate {
            staged,
            _sidecars: sidecars,
        } = candidate;
        if let Err(source) = staged.commit() {
            let _ = std::fs::remove_file(&kept);
            self.reopen(&path, network)?;
            return Err(StoreError::Swap { path, source });
        }
        drop(sidecars);
        if let Err(e) = self.reopen(&path, network) {
            return Err(StoreError::Reopen {
                path,
                kept,
                source: Box::new(e),
            });
        }
        Ok(Restored {
            backup_version,
            version: latest,
            kept: Some(kept),
        })
    }

    /// Takes the database for this connection alone: SQLite leaves WAL only when no other
    /// connection has the database open, and exclusive locking then keeps others out
    /// until this connection closes. Another program using it is
    /// [`StoreError::RestoreInUse`], the database unchanged.
    fn take_sole_use(&mut self, path: &Path, network: Option<String>) -> Result<(), StoreError> {
        let attempt = |conn: &Connection| -> rusqlite::Result<bool> {
            conn.busy_timeout(SOLE_USE_WAIT)?;
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
            let mode = match conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
            {
                Ok(mode) => mode,
                Err(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) =>
                {
                    return Ok(false)
                }
                Err(e) => return Err(e),
            };
            // Touching the database takes the lock that exclusive mode then holds.
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(mode.eq_ignore_ascii_case("delete"))
        };
        match attempt(&self.conn) {
            Ok(true) => Ok(()),
            outcome => {
                // Back to the usual journal, locking and timeout, whatever happened.
                self.reopen(path, network)?;
                match outcome {
                    Err(e) => Err(e.into()),
                    _ => Err(StoreError::RestoreInUse {
                        path: path.to_path_buf(),
                    }),
                }
            }
        }
    }

    /// Closes the connection; an empty in-memory one stands in until [`Store::reopen`].
    fn close(&mut self) -> Result<(), StoreError> {
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(conn, e)| {
            self.conn = conn;
            StoreError::Sqlite(e)
        })
    }

    /// Closes the connection and opens the file at `path` again as [`Store::open`] does.
    fn reopen(&mut self, path: &Path, network: Option<String>) -> Result<(), StoreError> {
        self.close()?;
        *self = Store::open_on(path, network)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn backup_and_restore() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("live.db")).unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let copy_path = dir.path().join("备份.db");
        store.backup_to(&copy_path).unwrap();
        crate::campaign::create(&mut store, 2027, None, "张三").unwrap();
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 2);

        let r = store.restore_from(&copy_path).unwrap();
        assert_eq!(
            (r.backup_version, r.version),
            (latest_version(), latest_version())
        );
        let years: Vec<i32> = crate::campaign::list(&store)
            .unwrap()
            .iter()
            .map(|c| c.year)
            .collect();
        assert_eq!(years, vec![2026]);
        assert_eq!(crate::audit::verify(store.conn()).unwrap().broken, None);
        // The backup is one self-contained file.
        assert!(!dir.path().join("备份.db-wal").exists());
        // The replaced database is kept beside it, whole.
        let kept = Store::open(r.kept.as_deref().unwrap()).unwrap();
        assert_eq!(crate::campaign::list(&kept).unwrap().len(), 2);
        // The store is open as before: WAL, foreign keys.
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[cfg(unix)]
    #[test]
    fn a_restore_through_a_link_replaces_its_target_and_keeps_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("真实.db");
        let link = dir.path().join("mofan.db");
        let mut store = Store::open(&real).unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let backup = dir.path().join("备份.db");
        store.backup_to(&backup).unwrap();
        drop(store);
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut store = Store::open(&link).unwrap();
        crate::campaign::create(&mut store, 2027, None, "张三").unwrap();

        store.restore_from(&backup).unwrap();
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 1);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
        drop(store);
        let again = Store::open(&real).unwrap();
        assert_eq!(crate::campaign::list(&again).unwrap().len(), 1);
    }

    #[test]
    fn dated_copies_do_not_overwrite_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("mofan.db");
        let first = dated_copy_name(&db);
        let name = first.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            name.starts_with("mofan.db.恢复前-") && name.ends_with(".bak"),
            "{name}"
        );
        std::fs::write(&first, b"x").unwrap();
        let second = dated_copy_name(&db);
        // Within the same second the next one gets a number; a second later, a new stamp.
        assert_ne!(first, second);
        assert!(!second.exists());
    }

    #[test]
    fn a_restore_is_refused_unchanged_while_another_program_has_the_database_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mofan.db");
        let mut store = Store::open(&path).unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let backup = dir.path().join("备份.db");
        store.backup_to(&backup).unwrap();
        crate::campaign::create(&mut store, 2027, None, "张三").unwrap();

        let other = Connection::open(&path).unwrap();
        let n: i64 = other
            .query_row("SELECT COUNT(*) FROM campaigns", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        let e = store.restore_from(&backup).unwrap_err();
        assert_eq!(e.code(), "store.restore_in_use", "{e}");
        assert_eq!(
            e.to_string(),
            format!(
                "数据库 {} 正被另一个程序（另一个 mofan 窗口或命令）使用，不能恢复；\
                 请关闭它后再试。当前数据库未作任何改动",
                path.display()
            )
        );
        // Nothing kept, nothing replaced; the store works on.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("恢复前") || n.starts_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        crate::campaign::create(&mut store, 2028, None, "张三").unwrap();
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 3);

        drop(other);
        let r = store.restore_from(&backup).unwrap();
        assert!(r.kept.is_some());
        assert_eq!(crate::campaign::list(&store).unwrap().len(), 1);
    }

    #[test]
    fn an_in_memory_store_takes_a_checked_backup() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = Store::open(&dir.path().join("a.db")).unwrap();
        crate::campaign::create(&mut file, 2026, None, "张三").unwrap();
        let backup = dir.path().join("备份.db");
        file.backup_to(&backup).unwrap();
        let mut mem = Store::open_in_memory().unwrap();
        let r = mem.restore_from(&backup).unwrap();
        assert_eq!(r.kept, None);
        assert_eq!(crate::campaign::list(&mem).unwrap().len(), 1);
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"not a database at all").unwrap();
        let e = mem.restore_from(&junk).unwrap_err();
        assert!(
            e.to_string().ends_with("备份文件不是 SQLite 数据库文件"),
            "{e}"
        );
        assert_eq!(crate::campaign::list(&mem).unwrap().len(), 1);
    }
}
