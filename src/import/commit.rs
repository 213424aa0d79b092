//! The shared machinery of every [`Importer`]: reading a file ([`analyze`]) and storing it
//! ([`import_file`], [`commit`]) — one transaction per file, all or nothing unless a
//! partial import is asked for, nothing again for the same file.
//!
//! [`import_bytes`] overlaps reading and storing on two threads: the analysis runs on a
//! worker and streams the valid records to the writer in batches ([`STREAM_BATCH`]), which
//! stores them inside the file's transaction at once. Only a clean file (no error, no
//! duplicate, no record revised by the column rules) is committed that way; otherwise the
//! speculative transaction is rolled back and [`commit`] stores the finished analysis.
//! Both paths store through the same [`Writer`].
//!
//! [`import_batch`] overlaps files instead: the next file of a batch is read and checked
//! while the one before it is stored (`mofan import FILE…`, `mofan ballots import`).
//!
//! The `_with` variants tell a [`Progress`] how far the reading has come (the desktop's
//! progress bar); the others pass a listener that ignores it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rusqlite::Transaction;
use serde_json::json;

use super::importer::{Analysis, Committed, Importer, Progress, RowOutcome, StoredFile};
use super::{file, RowError};
use super::{guard, scan, sha256_hex, FileReport, FileStatus, ImportError, ImportOptions};
use crate::audit;
use crate::store::{files, Store};

/// The refusal of a file whose reader panicked.
pub(crate) const READER_FAILED: &str = "读取工作簿时出错（文件可能已损坏），未导入";

/// Reads a file's bytes with `importer`. Never touches the database. A reader that panics
/// on a broken file refuses the file ([`READER_FAILED`]), not the caller.
pub fn analyze<I: Importer>(importer: &I, bytes: Vec<u8>, file_name: &str) -> Analysis<I::Row> {
    let sha = sha256_hex(&bytes);
    let sha_read = sha.clone();
    guard::run_reader(|| analyze_with(importer, bytes, sha_read, file_name, None, &|_| {}))
        .unwrap_or_else(|| Analysis::failed(file_name, sha, READER_FAILED))
}

/// [`analyze`] on the caller's thread, a reader's panic left to unwind: for the fuzz
/// targets, which must see it.
pub fn analyze_unguarded<I: Importer>(
    importer: &I,
    bytes: Vec<u8>,
    file_name: &str,
) -> Analysis<I::Row> {
    let sha256 = sha256_hex(&bytes);
    analyze_with(importer, bytes, sha256, file_name, None, &|_| {})
}

/// How many records the reader hands the writer at once when streaming. One send per
/// record woke the writer (a futex call on each side) for every row; a batch of a few
/// hundred costs one wake-up and keeps the writer at most this far behind the reading.
const STREAM_BATCH: usize = 256;

/// [`analyze`] of a file whose SHA-256 is `sha256` (hashed once, by the caller, which
/// needs it too: hashing a file costs about a twentieth of reading it), also sending each
/// valid record to `sink` as soon as its row is read, in batches of [`STREAM_BATCH`]
/// (before the column rules and the duplicate check, which need the whole file). Every
/// record read is sent before this returns.
fn analyze_with<I: Importer>(
    importer: &I,
    bytes: Vec<u8>,
    sha256: String,
    file_name: &str,
    sink: Option<&SyncSender<Vec<I::Row>>>,
    progress: &Progress<'_>,
) -> Analysis<I::Row> {
    if let Some(message) = importer.refusal() {
        return Analysis::failed(file_name, sha256, message);
    }
    let pending = std::cell::RefCell::new(Vec::new());
    // A closed receiver only means nobody streams; the analysis still collects every
    // record.
    let send = |batch: Vec<I::Row>| {
        if let Some(sink) = sink {
            let _ = sink.send(batch);
        }
    };
    let on_item = |r: &I::Row| {
        if sink.is_some() {
            let mut p = pending.borrow_mut();
            p.push(r.clone());
            if p.len() >= STREAM_BATCH {
                send(std::mem::replace(&mut *p, Vec::with_capacity(STREAM_BATCH)));
            }
        }
    };
    // A file streamed into the store is imported alone (a batch reads its files on every
    // core instead): its cells are walked on a core of their own.
    let apart = sink.is_some();
    let mut a = scan::scan(
        bytes, file_name, sha256, importer, &on_item, progress, apart,
    );
    let rest = pending.take();
    if !rest.is_empty() {
        send(rest);
    }
    if a.unreadable {
        return a;
    }
    importer.column_rules(&mut a);
    // One record twice in a file is an error on both rows.
    scan::reject_duplicates(&mut a.valid, &mut a.errors);
    scan::sort_errors(&mut a.errors, &a.sheets);
    a
}

/// Imports one file. A bad file gives a `Rejected` report and changes nothing; the same
/// file again gives a `Duplicate` report and changes nothing.
pub fn import_file<I: Importer>(
    store: &mut Store,
    importer: &I,
    path: &Path,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    import_file_with(store, importer, path, opts, &|_| {})
}

/// [`import_file`], telling `progress` how far the reading has come.
pub fn import_file_with<I: Importer>(
    store: &mut Store,
    importer: &I,
    path: &Path,
    opts: &ImportOptions,
    progress: &Progress<'_>,
) -> Result<FileReport, ImportError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    match file::read_import_file(path) {
        Ok(bytes) => import_bytes_with(store, importer, bytes, &file_name, opts, progress),
        Err(e) => Ok(Analysis::<I::Row>::failed(&file_name, String::new(), e.to_string()).report()),
    }
}

/// Files up to this size are read ahead by [`import_batch`] (their whole analysis is held
/// while the file before them is written); a larger one is imported with reading and
/// storing overlapped instead, so that memory stays that of the streaming path.
const READ_AHEAD_MAX: u64 = 8 << 20;

/// What the read-ahead worker of [`import_batch`] hands over for each file.
enum Ahead<R> {
    /// Read and checked: only storing is left.
    Read(Analysis<R>),
    /// Too large to hold: imported by [`import_file`] when its turn comes.
    Large,
}

/// Imports `paths` one after the other exactly as [`import_file`] imports each (its own
/// transaction, all or nothing unless `opts.partial`, the same file again changing
/// nothing), but reads and checks the next files (as many at once as [`batch_readers`]
/// says) while the current one is written, so that a batch of small files keeps every
/// core busy instead of one. A batch of one file is
/// [`import_file`], whose reading and storing overlap within the file. `each` hears every
/// file's report as soon as it is done.
///
/// Only for importers whose reading of a file does not depend on what the files before it
/// in the batch stored: the returns' (read against the campaign's scheme alone), the
/// ballots' (their units are those with a return, which ballots do not change), not the
/// panel's (which refuses a judge's second score for a unit, so
/// it must see the scores stored so far).
pub fn import_batch<I: Importer>(
    store: &mut Store,
    importer: &I,
    paths: &[PathBuf],
    opts: &ImportOptions,
    mut each: impl FnMut(&Path, &FileReport),
) -> Result<Vec<FileReport>, ImportError> {
    if let [path] = paths {
        // Nothing to read ahead: one file keeps both cores busy by overlapping its own
        // reading and storing instead.
        let report = import_file(store, importer, path, opts)?;
        each(path, &report);
        return Ok(vec![report]);
    }
    let readers = batch_readers(paths.len());
    std::thread::scope(|s| {
        // Reader `k` reads files k, k + readers, k + 2·readers…, each handed over on its
        // own channel, and the writer takes them from the channels in turn: the files are
        // stored in the order given however the readings interleave. Each reader may
        // leave one file it has read waiting in its channel and go on with the next, so
        // at most 2 · `readers` small analyses are held at once beside the one being
        // stored. With none waiting (a rendezvous), a reader done before the writer was
        // ready for its file stood idle until then: in alternating pairs the batch of 200
        // files took 2.5–6% longer for the same CPU, though within the benchmark's drift
        // (docs/performance.md, eighth round).
        let ahead: Vec<Receiver<Ahead<I::Row>>> = (0..readers)
            .map(|k| {
                let (tx, rx) = sync_channel::<Ahead<I::Row>>(1);
                guard::spawn_reader(s, move || {
                    for path in paths.iter().skip(k).step_by(readers) {
                        if tx.send(read_ahead(importer, path)).is_err() {
                            break; // the writer stopped on a database error
                        }
                    }
                });
                rx
            })
            .collect();
        // The large page cache for the whole batch, not file by file: shrinking it between
        // files would drop the pages the next file needs again.
        store.importing(|store| {
            let mut reports = Vec::with_capacity(paths.len());
            for (i, path) in paths.iter().enumerate() {
                // A worker gone before its time (it cannot be, short of a panic outside
                // the reader) leaves its files to be imported one by one.
                let report = match ahead[i % readers].recv().unwrap_or(Ahead::Large) {
                    Ahead::Read(a) => commit(store, importer, a, opts)?,
                    Ahead::Large => import_file(store, importer, path, opts)?,
                };
                each(path, &report);
                reports.push(report);
            }
            Ok(reports)
        })
    })
}

/// How many files [`import_batch`] reads at once while it stores another: one per core,
/// at least one and at most [`MAX_BATCH_READERS`], never more than the batch has files.
/// Reading a file of returns costs over twice what storing it does (callgrind: 70% and
/// 26% of the instructions), so on two cores one reader left the second core idle for
/// most of the time the writer does not need it.
fn batch_readers(files: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores.clamp(1, MAX_BATCH_READERS).min(files.max(1))
}

/// The most files [`import_batch`] reads at once: beyond a few, the single writer is what
/// a batch waits for, and each more reader only holds one more analysis in memory.
const MAX_BATCH_READERS: usize = 4;

/// Reads and analyses one file of a batch on a read-ahead worker; a reader's panic
/// refuses that file ([`READER_FAILED`]) and the batch goes on.
fn read_ahead<I: Importer>(importer: &I, path: &Path) -> Ahead<I::Row> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    if std::fs::metadata(path).is_ok_and(|m| m.len() > READ_AHEAD_MAX) {
        return Ahead::Large;
    }
    let bytes = match file::read_import_file(path) {
        Ok(bytes) => bytes,
        Err(e) => return Ahead::Read(Analysis::failed(&file_name, String::new(), e.to_string())),
    };
    let sha = sha256_hex(&bytes);
    let sha_read = sha.clone();
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyze_with(importer, bytes, sha_read, &file_name, None, &|_| {})
    }));
    Ahead::Read(read.unwrap_or_else(|_| Analysis::failed(&file_name, sha, READER_FAILED)))
}

/// Like [`import_file`], from bytes already read. Columns mapped by hand (the returns
/// importer's) are named in the file's warnings and its audit event.
pub fn import_bytes<I: Importer>(
    store: &mut Store,
    importer: &I,
    bytes: Vec<u8>,
    file_name: &str,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    import_bytes_with(store, importer, bytes, file_name, opts, &|_| {})
}

/// [`import_bytes`], telling `progress` how far the reading has come.
pub fn import_bytes_with<I: Importer>(
    store: &mut Store,
    importer: &I,
    bytes: Vec<u8>,
    file_name: &str,
    opts: &ImportOptions,
    progress: &Progress<'_>,
) -> Result<FileReport, ImportError> {
    let sha = sha256_hex(&bytes);
    if let Some(report) = duplicate(store, importer, file_name, &sha)? {
        return Ok(report);
    }
    if let Some(message) = importer.refusal() {
        return commit(
            store,
            importer,
            Analysis::failed(file_name, sha, message),
            opts,
        );
    }
    store
        .importing(|store| import_streaming(store, importer, bytes, sha, file_name, opts, progress))
}

/// The report of a file imported before (same kind, campaign and SHA-256, not
/// withdrawn), if it was.
fn duplicate<I: Importer>(
    store: &Store,
    importer: &I,
    file_name: &str,
    sha256: &str,
) -> Result<Option<FileReport>, ImportError> {
    let Some(prev) = files::find_live(store.conn(), I::KIND, importer.campaign(), sha256)? else {
        return Ok(None);
    };
    Ok(Some(FileReport {
        file: file_name.to_string(),
        sha256: sha256.to_string(),
        status: FileStatus::Duplicate,
        sheet: None,
        header_row: None,
        rows: prev.rows_total as usize,
        imported: 0,
        warnings: vec![format!(
            "{}已于{}导入（文件名《{}》，编号{}），内容相同，本次未做任何改动",
            I::WORDS.same_file,
            prev.imported_at,
            prev.file_name,
            prev.id
        )],
        errors: Vec::new(),
        headers: Vec::new(),
    }))
}

/// A file's transaction in progress.
struct Writer<'t, 'i, I: Importer> {
    importer: &'i I,
    tx: Transaction<'t>,
    known: Option<&'t std::cell::RefCell<crate::store::agencies::Known>>,
    file_id: i64,
    file_name: String,
    now: String,
    stored: usize,
    created: usize,
    unchanged: usize,
    /// What each updated record changed, in row order.
    updated: Vec<String>,
}

impl<'t, 'i, I: Importer> Writer<'t, 'i, I> {
    /// Opens the transaction and the file's row (its counts are written by `finish`).
    fn begin(
        store: &'t mut Store,
        importer: &'i I,
        file_name: &str,
        sha256: &str,
        operator: &str,
    ) -> Result<Writer<'t, 'i, I>, ImportError> {
        let now = crate::now_string();
        let (tx, known) = store.import_transaction()?;
        importer.still_open(&tx)?;
        let file_id = files::insert(
            &tx,
            &files::NewFile {
                kind: I::KIND,
                campaign_year: importer.campaign(),
                file_name,
                sha256,
                imported_at: &now,
                operator,
            },
        )?;
        Ok(Writer {
            importer,
            tx,
            known,
            file_id,
            file_name: file_name.to_string(),
            now,
            stored: 0,
            created: 0,
            unchanged: 0,
            updated: Vec::new(),
        })
    }

    /// Stores records, in order.
    fn add(&mut self, rows: &[I::Row]) -> Result<(), ImportError> {
        let file = StoredFile {
            id: self.file_id,
            name: &self.file_name,
            now: &self.now,
            known: self.known,
        };
        let (created, unchanged, updated, stored) = (
            &mut self.created,
            &mut self.unchanged,
            &mut self.updated,
            &mut self.stored,
        );
        self.importer
            .store_rows(&self.tx, file, rows, &mut |outcome| {
                match outcome {
                    RowOutcome::Created => *created += 1,
                    RowOutcome::Updated(change) => updated.push(change),
                    RowOutcome::Unchanged => *unchanged += 1,
                }
                *stored += 1;
            })
    }

    /// Writes the file's counts and the audit event, and commits.
    fn finish(
        self,
        report: &mut FileReport,
        operator: &str,
        mapped: &[String],
    ) -> Result<(), ImportError> {
        let partial = !report.errors.is_empty();
        report.warnings.extend(self.updated.iter().cloned());
        files::finish(
            &self.tx,
            self.file_id,
            &files::Finished {
                partial,
                sheet: report.sheet.as_deref(),
                header_row: report.header_row,
                rows_total: report.rows as i64,
                rows_imported: self.stored as i64,
                warnings_json: &serde_json::to_string(&report.warnings).unwrap_or_default(),
            },
        )?;
        let mut details = self.importer.audit_details_in(
            &self.tx,
            &Committed {
                file: &report.file,
                sha256: &report.sha256,
                file_id: self.file_id,
                rows: report.rows,
                imported: self.stored,
                created: self.created,
                updated: self.updated.len(),
                unchanged: self.unchanged,
                partial,
            },
        )?;
        if !mapped.is_empty() {
            details["mapped_by_hand"] = json!(mapped);
        }
        audit::append(&self.tx, operator, I::AUDIT_ACTION, &details)?;
        self.tx.commit()?;
        report.status = FileStatus::Imported;
        report.imported = self.stored;
        Ok(())
    }
}

/// Stores an analysed file (all or nothing unless `opts.partial`); the same file again
/// changes nothing.
pub fn commit<I: Importer>(
    store: &mut Store,
    importer: &I,
    a: Analysis<I::Row>,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    if let Some(report) = duplicate(store, importer, &a.file_name, &a.sha256)? {
        return Ok(report);
    }
    let mut report = a.report();
    if a.unreadable {
        return Ok(report);
    }
    if a.valid.is_empty() {
        if report.errors.is_empty() {
            report.errors.push(no_records::<I>());
        }
        return Ok(report);
    }
    if !report.errors.is_empty() && !opts.partial {
        report.warnings.push(format!(
            "文件有{}处错误，未导入任何记录；改正后重新导入，或选择只导入正确的行",
            report.errors.len()
        ));
        return Ok(report);
    }
    let mut w = Writer::begin(store, importer, &a.file_name, &a.sha256, &opts.operator)?;
    w.add(&a.valid)?;
    w.finish(&mut report, &opts.operator, &a.mapped)?;
    Ok(report)
}

/// The refusal of a readable file without any record: the gate's, and the preview's so
/// that such a file is not shown as importable.
pub fn no_records<I: Importer>() -> RowError {
    RowError::general(
        None,
        format!("文件中没有{}（表头下方没有数据行）", I::WORDS.records),
    )
}

/// Whether a streamed file can be committed as it was stored.
fn clean<R>(a: &Analysis<R>, streamed: usize) -> bool {
    !a.unreadable
        && a.errors.is_empty()
        && !a.revised
        && !a.valid.is_empty()
        && a.valid.len() == streamed
}

/// Analyses and stores a file with reading and storing overlapped (see the module doc).
fn import_streaming<I: Importer>(
    store: &mut Store,
    importer: &I,
    bytes: Vec<u8>,
    sha256: String,
    file_name: &str,
    opts: &ImportOptions,
    progress: &Progress<'_>,
) -> Result<FileReport, ImportError> {
    // 16 batches in flight: the 4,096 records one at a time allowed before.
    let (tx, rx) = sync_channel::<Vec<I::Row>>(16);
    std::thread::scope(|s| {
        let sha_read = sha256.clone();
        let worker = guard::spawn_reader(s, move || {
            analyze_with(importer, bytes, sha_read, file_name, Some(&tx), progress)
        });
        // A reader that panics on a broken file refuses the file, not the program.
        let sha = sha256.clone();
        let join = move || {
            worker
                .join()
                .unwrap_or_else(|_| Analysis::failed(file_name, sha, READER_FAILED))
        };
        let outcome = stream_into(store, importer, file_name, &sha256, rx, opts, join)?;
        match outcome {
            Streamed::Committed(report) => Ok(report),
            Streamed::Redo(a) => commit(store, importer, a, opts),
        }
    })
}

enum Streamed<R> {
    Committed(FileReport),
    Redo(Analysis<R>),
}

fn stream_into<I: Importer>(
    store: &mut Store,
    importer: &I,
    file_name: &str,
    sha256: &str,
    rx: Receiver<Vec<I::Row>>,
    opts: &ImportOptions,
    join: impl FnOnce() -> Analysis<I::Row>,
) -> Result<Streamed<I::Row>, ImportError> {
    let mut w = match Writer::begin(store, importer, file_name, sha256, &opts.operator) {
        Ok(w) => w,
        Err(e) => {
            drop(rx);
            join();
            return Err(e);
        }
    };
    let mut failed = None;
    for batch in rx.iter() {
        if let Err(e) = w.add(&batch) {
            failed = Some(e);
            break;
        }
    }
    // Dropping the receiver lets the worker finish without waiting on a full channel.
    drop(rx);
    let mut a = join();
    if let Some(e) = failed {
        return Err(e);
    }
    if !clean(&a, w.stored) {
        drop(w); // rolls the speculative transaction back
        return Ok(Streamed::Redo(a));
    }
    let mut report = a.report();
    let mapped = std::mem::take(&mut a.mapped);
    // The file's records (all of them: 100,000 for the benchmark's large file, 30 ms
    // of freeing) freed beside the commit and its checkpoint rather than after them.
    std::thread::scope(|s| {
        s.spawn(move || drop(a));
        w.finish(&mut report, &opts.operator, &mapped)
    })?;
    Ok(Streamed::Committed(report))
}
