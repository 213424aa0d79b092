//! What an importer is: its row type ([`Record`]), its fields and rows (the reading half
//! of [`Importer`]) and its store table (the storing half), and the [`Analysis`] of a file
//! that the shared machinery builds with it. How to add one: the [module docs](super).

use rusqlite::Connection;

use super::aliases::AliasTable;
use super::layout::{self, Layout};
use super::rows::RowError;
use super::values::Cell;
use super::workbook::Merge;
use super::{FileReport, ImportError};
use crate::store::files::FileKind;

/// A valid row of a file, before it is stored.
pub trait Record: Clone + Send {
    /// Sheet name.
    fn sheet(&self) -> &str;
    /// Excel row (1-based).
    fn row(&self) -> u32;
    /// The agency the row names, shown as the offending value when rows repeat.
    fn name(&self) -> &str;
    /// The key two rows of one file must not share.
    fn identity(&self) -> String;
    /// The error on each of the rows sharing this row's identity; `places` names them all
    /// ("工作表“s”第3行、工作表“s”第9行").
    fn repeated(&self, places: &str) -> String;
}

/// How an importer's files and rows are named in the shared messages.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    /// What a file holds: "申报记录", "命名记录" ("文件中没有…（表头下方没有数据行）").
    pub records: &'static str,
    /// The file imported again: "该文件", "该命名名单" ("…已于…导入，内容相同").
    pub same_file: &'static str,
}

/// What storing one record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// A record the store did not have.
    Created,
    /// It replaced or updated a stored record; the warning says what changed.
    Updated(String),
    /// The store held the same record already.
    Unchanged,
}

/// The file whose records are being stored (its row is written first).
#[derive(Debug, Clone, Copy)]
pub struct StoredFile<'a> {
    /// The file's id in `imported_files`.
    pub id: i64,
    /// File name (no folder).
    pub name: &'a str,
    /// The import's time, for every row it writes.
    pub now: &'a str,
    /// The agencies' identities the import's session keeps, for an importer that writes
    /// agencies with [`crate::store::agencies::Upserts::knowing`].
    pub known: Option<&'a std::cell::RefCell<crate::store::agencies::Known>>,
}

/// What a committed file did, for its audit event.
#[derive(Debug, Clone, Copy)]
pub struct Committed<'a> {
    /// File name.
    pub file: &'a str,
    /// SHA-256 hex.
    pub sha256: &'a str,
    /// Its id in `imported_files`.
    pub file_id: i64,
    /// Data rows found.
    pub rows: usize,
    /// Records stored.
    pub imported: usize,
    /// Of those, new to the store.
    pub created: usize,
    /// Of those, replacing or updating a stored record.
    pub updated: usize,
    /// Of those, the same as stored already.
    pub unchanged: usize,
    /// Whether rows with errors were left out.
    pub partial: bool,
}

/// One kind of workbook: how its rows are read and where they are stored. The shared
/// machinery ([`super::analyze`], [`super::import_file`], [`super::commit`]) does the
/// rest; an importer is a value holding what it needs from the database (a campaign's
/// scheme, the unit types known), made before the file is read.
pub trait Importer: Sync {
    /// What a valid row becomes.
    type Row: Record;

    /// Which file list its files belong to.
    const KIND: FileKind;
    /// The audit event of an imported file.
    const AUDIT_ACTION: &'static str;
    /// How its files and rows are named in messages.
    const WORDS: Words;

    // Reading.

    /// The header words of its fields.
    fn aliases(&self) -> &AliasTable;
    /// Finds a sheet's header among its first rows (merge-filled; `merges` are the
    /// sheet's merged regions). Returns and the registry map columns by the header words
    /// of [`Importer::aliases`] ([`layout::detect`]); an importer whose columns the file
    /// itself names (a survey export with a column per unit) finds its own.
    fn detect(&self, rows: &[(u32, Vec<(u32, Cell)>)], merges: &[Merge]) -> Option<Layout> {
        layout::detect(self.aliases(), rows, merges)
    }
    /// Problems of a header [`Importer::check`] accepted that belong to one column each
    /// (a survey column naming no unit of the campaign), placed at the header's cell; any
    /// refuses the sheet.
    fn header_errors(&self, _sheet: &str, _layout: &Layout) -> Vec<RowError> {
        Vec::new()
    }
    /// Whether a row holding one text alone, or the same text across columns, may be a
    /// section heading ("一、市直机关") in this layout, skipped with a warning. Not in a
    /// survey export, where one answer word repeated across the units' columns is a
    /// respondent's row.
    fn headings(&self, _layout: &Layout) -> bool {
        true
    }
    /// Adjusts a detected header before it is checked (columns mapped by hand); returns
    /// each change ("B列“满意率”→群众测评").
    fn adjust(&self, _layout: &mut Layout) -> Vec<String> {
        Vec::new()
    }
    /// Checks a header found in a sheet; `Err(message)` refuses the sheet.
    fn check(&self, layout: &Layout) -> Result<(), String>;
    /// Warnings about a sheet's accepted header (beyond unknown columns).
    fn layout_warnings(&self, _sheet: &str, _layout: &Layout) -> Vec<String> {
        Vec::new()
    }
    /// Parses a data row (`row` is the 1-based Excel row), collecting every problem.
    fn parse_row(
        &self,
        layout: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<Self::Row, Vec<RowError>>;
    /// The error when no sheet has a header.
    fn no_header_message(&self) -> &'static str;
    /// The tier words and unit types it knows: alone in a row, they head a group of units
    /// (a section heading), never a unit.
    fn group_words(&self) -> Vec<String>;
    /// Why every file is refused before it is read, if it is (columns mapped by hand to a
    /// field the scheme lacks).
    fn refusal(&self) -> Option<&str> {
        None
    }
    /// Rules over whole columns, applied once every row is read; sets
    /// [`Analysis::revised`] when it changes valid records.
    fn column_rules(&self, _a: &mut Analysis<Self::Row>) {}

    // Storing.

    /// The campaign its files belong to (`None`: to no campaign).
    fn campaign(&self) -> Option<i32>;
    /// Refuses to store a file, inside its transaction before anything is written, when
    /// what the importer was opened against no longer allows it (a campaign published
    /// since): an importer serves a whole batch of files ([`super::import_batch`]), so
    /// the check it made when opened is made again for every file.
    fn still_open(&self, _tx: &Connection) -> Result<(), ImportError> {
        Ok(())
    }
    /// Stores one record inside the file's transaction.
    fn store_row(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        row: &Self::Row,
    ) -> Result<RowOutcome, ImportError>;
    /// Stores records in order inside the file's transaction, handing each one's outcome
    /// to `outcome`; stops at the first error. [`Importer::store_row`] for each, unless
    /// the importer takes its statements once for the lot: the writer hands over the
    /// records a file has ready (all of them, or a streamed file's batch), and taking a
    /// statement from the connection's cache and giving it back, per row, was a sixth of
    /// the returns' writer (callgrind).
    fn store_rows(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        rows: &[Self::Row],
        outcome: &mut dyn FnMut(RowOutcome),
    ) -> Result<(), ImportError> {
        for r in rows {
            outcome(self.store_row(tx, file, r)?);
        }
        Ok(())
    }
    /// The details of the audit event of a committed file.
    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value;
    /// The details of the audit event, read inside the file's transaction once its
    /// records are stored: [`Importer::audit_details`] unless the importer adds what
    /// the store now holds (the ballots' totals per answer word).
    fn audit_details_in(
        &self,
        _tx: &Connection,
        c: &Committed<'_>,
    ) -> Result<serde_json::Value, ImportError> {
        Ok(self.audit_details(c))
    }
}

/// How far the reading of one file has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReadProgress {
    /// Data rows read and checked so far (every sheet).
    pub rows: usize,
    /// Whole percent of the file read (0–100), by rows over the rows its sheets span
    /// (sheets counting equally); `None` while the sheet being read does not say how
    /// many rows it spans (web pages, XML 2003).
    pub percent: Option<u8>,
}

/// Hears a file's [`ReadProgress`]. It is called on the reading thread, at most once per
/// whole percent (or every [`UNSIZED_STEP`] rows of a sheet of unknown size) and once at
/// the end, so that a large file costs a hundred calls rather than one per row.
pub type Progress<'a> = dyn Fn(ReadProgress) + Sync + 'a;

/// How many rows of a sheet of unknown size pass between two progress reports.
pub const UNSIZED_STEP: usize = 500;

/// A file read, not yet stored.
#[derive(Debug, Clone)]
pub struct Analysis<R> {
    /// File name as given, without its folder: stored, and named in the report.
    pub file_name: String,
    /// SHA-256 of the file's bytes, lower-case hex: the same bytes imported again are a duplicate.
    pub sha256: String,
    /// Sheets in which a header was found, with their layout.
    pub sheets: Vec<(String, Layout)>,
    /// Data rows found (valid or not).
    pub rows: usize,
    /// Valid records, in sheet and row order.
    pub valid: Vec<R>,
    /// Every error, in sheet and row order.
    pub errors: Vec<RowError>,
    /// Every warning.
    pub warnings: Vec<String>,
    /// Whether the file as a whole could not be read (no sheet, no header, not a workbook).
    pub unreadable: bool,
    /// Whether the column rules changed valid records after their rows were read (a
    /// fraction column of returns scaled by 100), so records stored as they were read
    /// are stale.
    pub revised: bool,
    /// Columns mapped by hand that changed a column, as "sheet:X列“header”→label".
    pub mapped: Vec<String>,
}

impl<R> Analysis<R> {
    /// An analysis with nothing read yet.
    pub(crate) fn empty(file_name: &str, sha256: String) -> Analysis<R> {
        Analysis {
            file_name: file_name.to_string(),
            sha256,
            sheets: Vec::new(),
            rows: 0,
            valid: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            unreadable: false,
            revised: false,
            mapped: Vec::new(),
        }
    }

    /// An analysis of a file that could not be read at all.
    pub fn failed(file_name: &str, sha256: String, message: impl Into<String>) -> Analysis<R> {
        Analysis::failed_in(file_name, sha256, None, message)
    }

    /// An analysis of a file that could not be read, the reading having failed in `sheet`.
    pub(crate) fn failed_in(
        file_name: &str,
        sha256: String,
        sheet: Option<&str>,
        message: impl Into<String>,
    ) -> Analysis<R> {
        let mut a = Analysis::empty(file_name, sha256);
        a.errors.push(RowError::general(sheet, message));
        a.unreadable = true;
        a
    }

    /// The file's report before anything is stored (status `Rejected`).
    pub fn report(&self) -> FileReport {
        FileReport::unstored(
            &self.file_name,
            &self.sha256,
            &self.sheets,
            self.rows,
            &self.warnings,
            &self.errors,
        )
    }
}
