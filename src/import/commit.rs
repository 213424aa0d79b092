//! Storing an analysed file: one transaction per file, all or nothing unless a partial
//! import is asked for.
//!
//! [`import_streaming`] overlaps reading and storing on two threads: the analysis runs
//! on a worker and streams each valid return to the writer, which stores it inside the
//! file's transaction at once. Only a clean file (no error, no duplicate, no fraction
//! column to rescale) is committed that way; otherwise the speculative transaction is
//! rolled back and [`commit`] stores the finished analysis. Both paths store through the
//! same [`Writer`].

use std::fmt::Write as _;
use std::sync::mpsc::{sync_channel, Receiver};

use rusqlite::Transaction;
use serde_json::json;

use super::mapping::Resolved;
use super::values::Score;
use super::{
    analyze_with, Analysis, FileReport, FileStatus, ImportError, ImportOptions, ParsedReturn,
    RowError,
};
use crate::audit;
use crate::scheme::Scheme;
use crate::store::{agencies, files, returns, Store};
use crate::vocab::StoredFileStatus;

/// A file's transaction in progress.
struct Writer<'t> {
    tx: Transaction<'t>,
    year: i32,
    file_id: i64,
    now: String,
    stored: usize,
    replaced: Vec<String>,
    json: String,
}

impl<'t> Writer<'t> {
    /// Opens the transaction and the file's row (its counts are written by `finish`).
    fn begin(
        store: &'t mut Store,
        year: i32,
        file_name: &str,
        sha256: &str,
        operator: &str,
    ) -> Result<Writer<'t>, ImportError> {
        let now = crate::now_string();
        let tx = store.conn_mut().transaction()?;
        let file_id = files::insert(
            &tx,
            &files::NewFile {
                campaign_year: year,
                file_name,
                sha256,
                imported_at: &now,
                operator,
                status: StoredFileStatus::Imported,
                sheet: None,
                header_row: None,
                rows_total: 0,
                rows_imported: 0,
                warnings_json: "[]",
            },
        )?;
        Ok(Writer {
            tx,
            year,
            file_id,
            now,
            stored: 0,
            replaced: Vec::new(),
            json: String::new(),
        })
    }

    /// Stores one return, replacing the agency's current one (kept in history).
    fn add(&mut self, scheme: &Scheme, r: &ParsedReturn) -> Result<(), ImportError> {
        let tx = &self.tx;
        let (agency_id, created) = agencies::upsert(
            tx,
            &agencies::AgencyFields {
                uscc: r.uscc.as_deref(),
                name: &r.name,
                name_key: &r.name_key,
                tier: r.tier,
                region: r.region.as_deref(),
                unit_type: &r.unit_type,
            },
            &self.now,
        )?;
        let previous = if created {
            None
        } else {
            returns::current_for_agency(tx, self.year, agency_id)?
        };
        if let Some((old, _)) = previous {
            // Free the unique "current" slot before inserting the new return.
            tx.execute(
                "UPDATE returns SET state = 'replaced', ended_at = ?2 WHERE id = ?1",
                rusqlite::params![old, self.now],
            )?;
        }
        let components = scores_json(&mut self.json, scheme, &r.components).to_string();
        let vetoes = vetoes_json(&mut self.json, scheme, &r.vetoes).to_string();
        let new_id = returns::insert(
            tx,
            &returns::NewReturn {
                campaign_year: self.year,
                agency_id,
                file_id: self.file_id,
                sheet: &r.sheet,
                row: r.row,
                name: &r.name,
                uscc: r.uscc.as_deref(),
                tier: r.tier,
                region: r.region.as_deref(),
                unit_type: &r.unit_type,
                daily: r.daily.map(|d| d.to_string()),
                components_json: components,
                vetoes_json: vetoes,
                complaints: r.complaints,
                problems_total: r.problems_total,
                problems_fixed: r.problems_fixed,
            },
        )?;
        self.stored += 1;
        if let Some((old, old_file)) = previous {
            returns::mark_replaced(tx, old, new_id, &self.now)?;
            let old_name = files::get(tx, old_file)?
                .map(|f| f.file_name)
                .unwrap_or_default();
            self.replaced.push(format!(
                "单位“{}”已有申报（来自《{old_name}》），已由本文件工作表“{}”第{}行替换，原申报保留在历史记录中",
                r.name, r.sheet, r.row
            ));
        }
        Ok(())
    }

    /// Writes the file's counts and the audit event, and commits.
    fn finish(
        self,
        report: &mut FileReport,
        operator: &str,
        mapped: &[String],
    ) -> Result<(), ImportError> {
        let partial = !report.errors.is_empty();
        report.warnings.extend(self.replaced.iter().cloned());
        self.tx.execute(
            "UPDATE imported_files SET status = ?2, sheet = ?3, header_row = ?4,
             rows_total = ?5, rows_imported = ?6, warnings = ?7 WHERE id = ?1",
            rusqlite::params![
                self.file_id,
                if partial { "partial" } else { "imported" },
                report.sheet,
                report.header_row,
                report.rows as i64,
                self.stored as i64,
                serde_json::to_string(&report.warnings).unwrap_or_default(),
            ],
        )?;
        let mut details = json!({
            "campaign": self.year,
            "file": report.file,
            "sha256": report.sha256,
            "file_id": self.file_id,
            "rows": report.rows,
            "imported": self.stored,
            "replaced": self.replaced.len(),
            "partial": partial,
        });
        if !mapped.is_empty() {
            details["mapped_by_hand"] = json!(mapped);
        }
        audit::append(&self.tx, operator, "import.file", &details)?;
        self.tx.commit()?;
        report.status = FileStatus::Imported;
        report.imported = self.stored;
        Ok(())
    }
}

/// `{"key":"95.5",…}` for the present scores, written into `buf`. Keys are validated
/// identifiers and values decimals, so nothing needs escaping.
fn scores_json<'b>(buf: &'b mut String, scheme: &Scheme, values: &[Option<Score>]) -> &'b str {
    buf.clear();
    buf.push('{');
    for (c, v) in scheme.components.iter().zip(values) {
        if let Some(v) = v {
            if buf.len() > 1 {
                buf.push(',');
            }
            let _ = write!(buf, "\"{}\":\"{}\"", c.key, v);
        }
    }
    buf.push('}');
    buf
}

/// `{"key":true,…}` for every veto.
fn vetoes_json<'b>(buf: &'b mut String, scheme: &Scheme, flags: &[bool]) -> &'b str {
    buf.clear();
    buf.push('{');
    for (i, (v, f)) in scheme.vetoes.iter().zip(flags).enumerate() {
        if i > 0 {
            buf.push(',');
        }
        let _ = write!(buf, "\"{}\":{}", v.key, f);
    }
    buf.push('}');
    buf
}

/// The report of an analysed file before anything is stored.
fn report_of(a: &Analysis) -> FileReport {
    FileReport::unstored(
        &a.file_name,
        &a.sha256,
        &a.sheets,
        a.rows,
        &a.warnings,
        &a.errors,
    )
}

/// Stores an analysed file (all or nothing unless `opts.partial`).
pub fn commit(
    store: &mut Store,
    year: i32,
    scheme: &Scheme,
    a: Analysis,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    let mut report = report_of(&a);
    if a.unreadable {
        return Ok(report);
    }
    if a.returns.is_empty() {
        if report.errors.is_empty() {
            report.errors.push(RowError::general(
                None,
                "文件中没有申报记录（表头下方没有数据行）",
            ));
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
    let mut w = Writer::begin(store, year, &a.file_name, &a.sha256, &opts.operator)?;
    for r in &a.returns {
        w.add(scheme, r)?;
    }
    w.finish(&mut report, &opts.operator, &a.mapped)?;
    Ok(report)
}

/// Whether a streamed file can be committed as it was stored.
fn clean(a: &Analysis, streamed: usize) -> bool {
    !a.unreadable
        && a.errors.is_empty()
        && !a.scaled
        && !a.returns.is_empty()
        && a.returns.len() == streamed
}

/// Analyses and stores a file with reading and storing overlapped (see the module doc).
pub(super) fn import_streaming(
    store: &mut Store,
    year: i32,
    scheme: &Scheme,
    bytes: Vec<u8>,
    file_name: &str,
    opts: &ImportOptions,
    mapping: &Resolved,
) -> Result<FileReport, ImportError> {
    let sha256 = super::sha256_hex(&bytes);
    let (tx, rx) = sync_channel::<ParsedReturn>(4096);
    std::thread::scope(|s| {
        let worker = super::guard::spawn_reader(s, move || {
            analyze_with(scheme, bytes, file_name, Some(&tx), mapping)
        });
        // A reader that panics on a broken file refuses the file, not the program.
        let sha = sha256.clone();
        let join = move || {
            worker
                .join()
                .unwrap_or_else(|_| Analysis::failed(file_name, sha, super::READER_FAILED))
        };
        let outcome = stream_into(store, year, scheme, file_name, &sha256, rx, opts, join)?;
        match outcome {
            Streamed::Committed(report) => Ok(report),
            Streamed::Redo(a) => commit(store, year, scheme, a, opts),
        }
    })
}

enum Streamed {
    Committed(FileReport),
    Redo(Analysis),
}

#[allow(clippy::too_many_arguments)]
fn stream_into(
    store: &mut Store,
    year: i32,
    scheme: &Scheme,
    file_name: &str,
    sha256: &str,
    rx: Receiver<ParsedReturn>,
    opts: &ImportOptions,
    join: impl FnOnce() -> Analysis,
) -> Result<Streamed, ImportError> {
    let mut w = match Writer::begin(store, year, file_name, sha256, &opts.operator) {
        Ok(w) => w,
        Err(e) => {
            drop(rx);
            join();
            return Err(e);
        }
    };
    let mut failed = None;
    for r in rx.iter() {
        if let Err(e) = w.add(scheme, &r) {
            failed = Some(e);
            break;
        }
    }
    // Dropping the receiver lets the worker finish without waiting on a full channel.
    drop(rx);
    let a = join();
    if let Some(e) = failed {
        return Err(e);
    }
    if !clean(&a, w.stored) {
        drop(w); // rolls the speculative transaction back
        return Ok(Streamed::Redo(a));
    }
    let mut report = report_of(&a);
    w.finish(&mut report, &opts.operator, &a.mapped)?;
    Ok(Streamed::Committed(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn json_is_written_directly() {
        let s = Scheme::default_scheme();
        let mut buf = String::new();
        let vals = [
            Some(Score::plain(Decimal::new(955, 1))),
            None,
            Some(Score::plain(Decimal::from(90))),
            None,
            None,
        ];
        assert_eq!(
            scores_json(&mut buf, &s, &vals),
            r#"{"self":"95.5","organisation":"90"}"#
        );
        assert_eq!(scores_json(&mut buf, &s, &[None; 5]), "{}");
        assert_eq!(
            vetoes_json(&mut buf, &s, &[true, false, false, false]),
            r#"{"discipline":true,"ideology":false,"safety":false,"inspection":false}"#
        );
        let v: serde_json::Value =
            serde_json::from_str(vetoes_json(&mut buf, &s, &[false; 4])).unwrap();
        assert_eq!(v["safety"], false);
    }
}
