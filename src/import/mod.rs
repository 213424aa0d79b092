//! Importing workbooks (docs/specification.md §3): a campaign's returns (申报表,
//! [`Returns`]), the awards registry (命名名单, [`Registry`]), satisfaction ballots
//! (测评票, [`Ballots`], §8), a panel's score sheets (评委打分, §8, [`Panel`]) and the
//! ledgers units send (清单台账, §10, [`Ledger`]), through one machinery.
//!
//! [`analyze`] reads a file without touching the database: it finds the header in every
//! visible sheet, maps columns by name, parses every row and collects errors that name
//! file, sheet, row, column, header and value. [`import_file`] then stores a file in one
//! transaction — all or nothing unless a partial import is asked for, nothing again for
//! the same file (same SHA-256) — and records it in the file table and the audit log;
//! [`import_file_with`] also reports how far the reading has come ([`ReadProgress`]).
//!
//! # Adding an importer
//!
//! Ballots, panel scores ([`panel`]), ledger items ([`ledger`]): each is one more [`Importer`], in a
//! module of its own beside [`returns`] and [`registry`]. It brings
//!
//! 1. **its row type**, implementing [`Record`]: what a valid row becomes (its sheet and
//!    row, the agency it names, the identity two rows of a file must not share);
//! 2. **its fields**: the header words it recognises ([`Importer::aliases`]; a header
//!    naming few known fields, such as a panel sheet's column per judge, is found by its
//!    own [`Importer::detect`]), the columns it requires ([`Importer::check`]) and how a
//!    row's cells become a record
//!    ([`Importer::parse_row`], with the parsers of [`values`]);
//! 3. **its store table**: a table module under `store/` with its migration, and
//!    [`Importer::store_row`], which writes one record inside the file's transaction,
//!    plus the [`FileKind`] its files are listed under and the audit event it records.
//!
//! A file whose columns the file itself names (a survey export with a column per unit,
//! [`ballots`]) finds its own header ([`Importer::detect`]), places a header's problems at
//! their cells ([`Importer::header_errors`]) and may say that its rows are never section
//! headings ([`Importer::headings`]).
//!
//! Everything else is shared and comes with it: the readers of every workbook format,
//! merged cells, header detection, skipped blank, total, note and section rows, the
//! in-file duplicate check, the placed error messages and the error workbook, the
//! duplicate-file check, the clean/partial decision, the file row, the one transaction
//! with its audit row, reading and storing overlapped on two threads, a reader panic
//! refusing only its file, and the [`FileReport`] that `--json` prints.

use std::path::Path;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::scheme::{Scheme, SchemeError};
use crate::store::{self, files, Store, StoreError};
use crate::Coded;

pub mod aliases;
pub mod ballots;
mod commit;
mod css;
mod csv_sheet;
pub mod error_book;
pub mod file;
pub(crate) mod guard;
mod html_sheet;
mod importer;
pub mod layout;
pub mod ledger;
pub mod mapping;
mod ods;
pub mod panel;
mod percent;
pub mod registry;
pub mod returns;
pub mod rows;
pub(crate) mod scan;
pub mod skipped;
pub mod sniff;
pub mod text;
pub mod units;
pub mod values;
pub mod workbook;
mod xls_formats;
mod xlsx_cells;
mod xlsx_merges;
mod xml_sheet;

use layout::Layout;

pub use crate::store::files::FileKind;
pub use ballots::Ballots;
pub use commit::{
    analyze, analyze_unguarded, commit, import_batch, import_bytes, import_bytes_with, import_file,
    import_file_with, no_records,
};
pub use importer::{
    Analysis, Committed, Importer, Progress, ReadProgress, Record, RowOutcome, StoredFile, Words,
    UNSIZED_STEP,
};
pub use ledger::Ledger;
pub use mapping::{ColumnChoice, FieldChoice};
pub use panel::Panel;
pub use registry::Registry;
pub use returns::Returns;
pub use rows::{ParsedReturn, RowError};

/// Errors that stop an import or withdrawal as a whole (bad files are reported in a
/// [`FileReport`] instead).
#[derive(Debug, Error)]
pub enum ImportError {
    /// No campaign for the year, or it is published.
    #[error(transparent)]
    Campaign(#[from] store::campaigns::Unavailable),
    /// The withdrawal target matches no live file.
    #[error("{year}年度没有找到要撤回的文件“{target}”（可用文件编号、SHA-256 或文件名）")]
    FileNotFound {
        /// Campaign year.
        year: i32,
        /// What was asked for.
        target: String,
    },
    /// The withdrawal target matches several files.
    #[error("“{target}”对应多个文件（{}），请改用文件编号", .matches.join("、"))]
    Ambiguous {
        /// What was asked for.
        target: String,
        /// The files it matches.
        matches: Vec<String>,
    },
    /// No component of the campaign's scheme has this key.
    #[error("评选方案中没有键为“{key}”的考核项（现有：{}）", .known.join("、"))]
    UnknownComponent {
        /// The key asked for.
        key: String,
        /// The scheme's components, "key（label）".
        known: Vec<String>,
    },
    /// The component's score does not come from the files being imported.
    #[error(
        "考核项“{key}”（{label}）的分数来源是{}，不是{}；只有来源为{}的考核项才能导入这类文件（在评选方案中把它的 source 设为 \"{}\"）",
        .actual.label(), .wanted.label(), .wanted.label(), .wanted.as_str()
    )]
    WrongSource {
        /// The component's key.
        key: String,
        /// Its label.
        label: String,
        /// Where its score comes from.
        actual: crate::scheme::ComponentSource,
        /// Where it would have to come from.
        wanted: crate::scheme::ComponentSource,
    },
    /// The campaign's stored scheme no longer parses.
    #[error("本年度保存的评选方案无法读取：{0}")]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// Writing the error workbook failed.
    #[error("无法写入错误报告 {path}：{message}")]
    WriteReport {
        /// Target path.
        path: String,
        /// Why.
        message: String,
    },
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for ImportError {
    fn code(&self) -> &'static str {
        match self {
            ImportError::Campaign(e) => e.code(),
            ImportError::FileNotFound { .. } => "import.file_not_found",
            ImportError::Ambiguous { .. } => "import.ambiguous",
            ImportError::UnknownComponent { .. } => "import.unknown_component",
            ImportError::WrongSource { .. } => "import.wrong_source",
            ImportError::Scheme(e) => e.code(),
            ImportError::Store(e) => e.code(),
            ImportError::Audit(e) => e.code(),
            ImportError::WriteReport { .. } => "import.write_report",
        }
    }
}

/// The outcome of one file: one of the vocabulary's words.
pub use crate::vocab::FileStatus;

/// What happened to one file, as `mofan import --json` prints it (docs/specification.md §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileReport {
    /// File name (no folder).
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Outcome.
    pub status: FileStatus,
    /// The (first) sheet returns were read from.
    pub sheet: Option<String>,
    /// Its 1-based header row.
    pub header_row: Option<u32>,
    /// Data rows found.
    pub rows: usize,
    /// Returns stored.
    pub imported: usize,
    /// Warnings, in Chinese.
    pub warnings: Vec<String>,
    /// Errors, each naming its place.
    pub errors: Vec<RowError>,
    /// The header of each sheet read, for the error workbook.
    #[serde(skip)]
    pub headers: Vec<SheetHeader>,
}

impl FileReport {
    /// The report of a read file before anything is stored (status `Rejected`).
    pub fn unstored(
        file: &str,
        sha256: &str,
        sheets: &[(String, Layout)],
        rows: usize,
        warnings: &[String],
        errors: &[RowError],
    ) -> FileReport {
        FileReport {
            file: file.to_string(),
            sha256: sha256.to_string(),
            status: FileStatus::Rejected,
            sheet: sheets.first().map(|(s, _)| s.clone()),
            header_row: sheets.first().map(|(_, l)| l.header_row + 1),
            rows,
            imported: 0,
            warnings: warnings.to_vec(),
            errors: errors.to_vec(),
            headers: sheets
                .iter()
                .map(|(s, l)| SheetHeader {
                    sheet: s.clone(),
                    columns: l
                        .columns
                        .iter()
                        .map(|c| (c.col, c.last_col, c.header.clone()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A sheet's header as the error workbook repeats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetHeader {
    /// Sheet name.
    pub sheet: String,
    /// 0-based first and last grid column (the same unless the header is merged across
    /// several) and header text, in column order.
    pub columns: Vec<(u32, u32, String)>,
}

/// Options of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Store the valid rows of a file that has row errors.
    pub partial: bool,
    /// Who is importing (recorded in the audit log).
    pub operator: String,
}

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    audit::hex(&Sha256::digest(bytes))
}

/// Loads a campaign's scheme.
pub fn campaign_scheme(store: &Store, year: i32) -> Result<Scheme, ImportError> {
    let c = store::campaigns::require(store.conn(), year)?;
    Ok(Scheme::parse(&c.scheme_toml)?)
}

fn ensure_open(store: &Store, year: i32) -> Result<(), ImportError> {
    still_open(store.conn(), year)
}

/// [`ensure_open`] inside a file's transaction: the check every importer of a campaign's
/// files makes again for each file of a batch ([`Importer::still_open`]).
fn still_open(tx: &rusqlite::Connection, year: i32) -> Result<(), ImportError> {
    store::campaigns::require_open(tx, year, store::campaigns::Change::Files)?;
    Ok(())
}

/// The outcome of withdrawing a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WithdrawReport {
    /// File id.
    pub id: i64,
    /// File name.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Returns removed (for a file of ballots: the units' counts it had stored).
    pub withdrawn: usize,
    /// Earlier returns that became current again.
    pub restored: usize,
}

/// Withdraws an imported file of returns — by id, SHA-256 (or a prefix of at least 8
/// characters), or file name — removing its current returns and restoring the ones it had
/// replaced.
pub fn withdraw(
    store: &mut Store,
    year: i32,
    target: &str,
    operator: &str,
) -> Result<WithdrawReport, ImportError> {
    withdraw_of(store, year, FileKind::Returns, target, operator)
}

/// Withdraws an imported file of `kind` of a campaign (returns, ballots, panel sheets),
/// named as for [`withdraw`]. A ballot file's counts and a panel sheet's scores stop
/// counting: its report's `withdrawn` counts them (units counted; scores and recusals),
/// and `restored` is 0.
pub fn withdraw_of(
    store: &mut Store,
    year: i32,
    kind: FileKind,
    target: &str,
    operator: &str,
) -> Result<WithdrawReport, ImportError> {
    ensure_open(store, year)?;
    let live: Vec<files::FileRow> = files::list_of(store.conn(), kind, year)?
        .into_iter()
        .filter(|f| f.status != crate::vocab::StoredFileStatus::Withdrawn)
        .collect();
    let matches = match_target(&live, target);
    let file = match matches.as_slice() {
        [] => {
            return Err(ImportError::FileNotFound {
                year,
                target: target.to_string(),
            })
        }
        [one] => (*one).clone(),
        many => {
            return Err(ImportError::Ambiguous {
                target: target.to_string(),
                matches: many
                    .iter()
                    .map(|f| format!("编号{}《{}》", f.id, f.file_name))
                    .collect(),
            })
        }
    };
    withdraw_row(store, year, file, operator)
}

/// The files of `live` a withdrawal target names: its id, else a SHA-256 prefix of at
/// least 8 characters, else its file name (a path is read by its last part). Several
/// matches are for the caller to refuse as ambiguous.
pub fn match_target<'a>(live: &'a [files::FileRow], target: &str) -> Vec<&'a files::FileRow> {
    let t = target.trim();
    let by_id: Vec<&files::FileRow> = live.iter().filter(|f| f.id.to_string() == t).collect();
    if !by_id.is_empty() {
        return by_id;
    }
    let lower = t.to_ascii_lowercase();
    let by_sha: Vec<_> = live
        .iter()
        .filter(|f| lower.len() >= 8 && f.sha256.starts_with(&lower))
        .collect();
    if !by_sha.is_empty() {
        return by_sha;
    }
    let base = Path::new(t)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| t.to_string());
    live.iter().filter(|f| f.file_name == base).collect()
}

/// Withdraws the live file with id `id` (as the window lists it), so that an id is never
/// read as a SHA-256 prefix or a file name: a file of returns or of ballots.
pub fn withdraw_by_id(
    store: &mut Store,
    year: i32,
    id: i64,
    operator: &str,
) -> Result<WithdrawReport, ImportError> {
    ensure_open(store, year)?;
    let file = files::get(store.conn(), id)?
        .filter(|f| {
            f.campaign_year == Some(year)
                && matches!(f.kind, FileKind::Returns | FileKind::Ballots)
                && f.status != crate::vocab::StoredFileStatus::Withdrawn
        })
        .ok_or_else(|| ImportError::FileNotFound {
            year,
            target: id.to_string(),
        })?;
    withdraw_row(store, year, file, operator)
}

/// Withdraws a live file (audited). A file of returns: its current returns go, the ones
/// it replaced return. A file of ballots or a panel sheet: its counts or scores stop
/// counting (they stay stored with the withdrawn file, as returns do).
fn withdraw_row(
    store: &mut Store,
    year: i32,
    file: files::FileRow,
    operator: &str,
) -> Result<WithdrawReport, ImportError> {
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    files::mark_withdrawn(&tx, file.id, &now)?;
    let (action, withdrawn, restored) = match file.kind {
        FileKind::Panel => (
            "panel.withdraw",
            store::panel::withdraw_file(&tx, file.id, &now)?,
            0,
        ),
        FileKind::Ballots => {
            let n = store::ballots::count_of_file(&tx, file.id)?;
            ("ballots.withdraw", n as usize, 0)
        }
        FileKind::Returns | FileKind::Registry | FileKind::Ledger => {
            let (w, r) = store::returns::withdraw_file(&tx, file.id, &now)?;
            ("import.withdraw", w, r)
        }
    };
    audit::append(
        &tx,
        operator,
        action,
        &json!({
            "campaign": year,
            "file": file.file_name,
            "sha256": file.sha256,
            "file_id": file.id,
            "withdrawn": withdrawn,
            "restored": restored,
        }),
    )?;
    tx.commit()?;
    Ok(WithdrawReport {
        id: file.id,
        file: file.file_name,
        sha256: file.sha256,
        withdrawn,
        restored,
    })
}
