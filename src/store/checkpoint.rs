//! The write-ahead log copied into the database on a thread of its own while an import
//! writes (docs/performance.md, fourth round).
//!
//! In WAL mode every commit appends the pages it changed to the log, and SQLite's
//! automatic checkpoint — once the log holds 1,000 pages — copies the log into the
//! database on the committing thread and waits there for two fsyncs. An import of 200
//! files commits 200 times and rewrites the indexes' pages in each: its writer spent
//! 0.5 s of a 3.1 s batch waiting for the disk (58 fsyncs, `strace -c`), and the writer is
//! what a batch waits for. During an import the writer's connection only says when its
//! log passes the same mark, and a second connection on the same file runs the same
//! checkpoint (`PASSIVE`, which never waits for the writer and never blocks it) while the
//! writer goes on with the next file. Durability and crash safety are SQLite's own: the
//! same checkpoint, the same fsyncs, on another thread.
//!
//! A log wholly copied is started over from its beginning by the writer's next
//! transaction — but only if it is wholly copied when that transaction starts, and
//! beside a writer that commits file after file the checkpointer is always a file
//! behind: the log of a 200-file batch grew to 88 MB, half again the database, every
//! frame written at a new place in the file and the whole of it freed when the store
//! closed. So once the log holds [`LONG`] pages the writer copies what is left itself
//! ([`copy_the_rest`]: the frames of the last file or two, the rest being copied
//! already), and its next transaction starts the log over (docs/performance.md, ninth
//! round).

use std::ffi::c_int;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::time::{Duration, Instant};

use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};

use super::Store;

/// The log's length (in pages) past which a checkpoint is asked for: SQLite's own
/// automatic checkpoint's.
pub(super) const PAGES: c_int = 1000;

/// The log's length (in pages) past which the writer checkpoints it itself, so that its
/// next transaction can start the log over.
pub(super) const LONG: c_int = 2 * PAGES;

/// How often the checkpointer looks whether it is done when nothing is asked of it.
const IDLE: Duration = Duration::from_millis(20);

impl Store {
    /// Leaves the copying of the log into the database to the store's close, for a
    /// command whose last write is one large transaction: SQLite's automatic checkpoint
    /// would copy it (and wait for the log's and the database's fsyncs) on the committing
    /// thread before the command can go on; the close runs the same checkpoint, with the
    /// same fsyncs, on whatever thread drops the store — `select --json` prints its
    /// document meanwhile (docs/performance-select.md, eighth round). Nothing is less
    /// durable: under `synchronous = NORMAL` a commit is synced at the checkpoint after
    /// it, as before, and the process ends only once its store is closed.
    pub fn checkpoint_at_close(&self) -> Result<(), super::StoreError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }
}

/// Runs `f` on `store` (the database file `path`, in WAL mode) with the log checkpointed
/// on a thread of its own; returns what `f` returns and how many checkpoints that thread
/// ran. Without a second connection (the file cannot be opened again), `f` runs with
/// SQLite's own checkpoints.
pub(super) fn beside<T>(
    store: &mut Store,
    path: &Path,
    f: impl FnOnce(&mut Store) -> T,
) -> (T, usize) {
    let Some(other) = second(path) else {
        return (f(store), 0);
    };
    let done = AtomicBool::new(false);
    let ran = AtomicUsize::new(0);
    let out = std::thread::scope(|s| {
        // One request waiting is enough: a checkpoint copies all the log holds when it
        // starts, so requests made while one runs are served by the next.
        let (ask, asked) = sync_channel::<()>(1);
        let (done, ran) = (&done, &ran);
        std::thread::Builder::new()
            .name("mofan-checkpoint".to_string())
            .spawn_scoped(s, move || loop {
                match asked.recv_timeout(IDLE) {
                    Ok(()) => {
                        // An error (the disk full, say) leaves the log as it is: the
                        // writer's own checkpoints after the import retry it, as SQLite
                        // would have after a failed automatic one.
                        // `(-1, -1)` is an error; frames copied count as a checkpoint.
                        if other
                            .wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE)
                            .is_ok_and(|(_, copied)| copied > 0)
                        {
                            ran.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Err(RecvTimeoutError::Timeout) if !done.load(Ordering::Relaxed) => {}
                    Err(_) => break,
                }
            })
            // `Scope::spawn` fails the same way when the system cannot start a thread.
            .expect("failed to spawn the checkpoint thread");
        // Stops the thread however this ends — even were the hook not removed below, its
        // sender living on in the connection — since the scope waits for the thread.
        let _stop = Stop(done);
        // The hook replaces SQLite's automatic checkpoint for this connection.
        let hooked = store
            .conn
            .wal_hook(Some(move |wal: &mut Wal, pages: c_int| {
                if pages >= PAGES {
                    let _ = ask.try_send(());
                }
                if pages >= LONG {
                    copy_the_rest(wal);
                }
                Ok(())
            }))
            .is_ok();
        // Caught so that the connection gets SQLite's own checkpoints back whatever
        // happens; a panic goes on once that is done.
        let out = std::panic::catch_unwind(AssertUnwindSafe(|| f(&mut *store)));
        if hooked {
            // Dropping the hook drops the sender; setting the automatic checkpoint again
            // puts SQLite's own hook back, and the rest of the log is checkpointed by it.
            let _ = store
                .conn
                .wal_hook(None::<fn(&mut Wal, c_int) -> rusqlite::Result<()>>);
        }
        let _ = store.conn.pragma_update(None, "wal_autocheckpoint", PAGES);
        out
    });
    let out = out.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    (out, ran.into_inner())
}

/// The writer's own checkpoint once the log holds [`LONG`] pages — what SQLite's own
/// hook does at [`PAGES`] — copying what the checkpointer has not yet (the last file or
/// two), so that the writer's next transaction finds the log wholly copied and starts it
/// over.
///
/// While the checkpointer runs a checkpoint, this one is refused at once (`SQLITE_BUSY`;
/// a busy handler is never called for it), and refused again at every commit while the
/// checkpointer, asked at every commit past `PAGES`, runs one after another: so the
/// writer waits for it, a millisecond at a time — never long, a `PASSIVE` checkpoint
/// waiting for nobody — and at most [`CATCH_UP`]. Any other failure (a reader holding
/// older pages, the disk full) is left to the later checkpoints, as SQLite would leave
/// it.
fn copy_the_rest(wal: &mut Wal) {
    let until = Instant::now() + CATCH_UP;
    loop {
        match wal.checkpoint_v2(CheckpointMode::PASSIVE) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && Instant::now() < until =>
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            _ => return,
        }
    }
}

/// How long the writer waits at most for the checkpointer to let it copy the rest of a
/// long log.
const CATCH_UP: Duration = Duration::from_secs(1);

/// A second connection to `path`, if the file opens again and is in WAL mode. Asking the
/// journal mode is what makes the connection read the file: before that it knows no log,
/// and a checkpoint on it does nothing (`(-1, -1)`).
fn second(path: &Path) -> Option<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .ok()?;
    mode.eq_ignore_ascii_case("wal").then_some(conn)
}

/// Tells the checkpoint thread to stop when dropped.
struct Stop<'a>(&'a AtomicBool);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}
