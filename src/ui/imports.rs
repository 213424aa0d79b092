//! 数据导入: previews of chosen files, batch import with progress and cancel, the list
//! of imported files, and the error workbook made from each file's latest report. Every
//! rule is [`crate::import`]'s; this module holds the store lock as briefly as it can and
//! shapes the answers for the window. Progress and cancel are a plain callback and an
//! [`AtomicBool`], so the caller decides how they reach the window. Withdrawing a file is
//! [`crate::import::withdraw_by_id`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{lock, short_time, UiError};
use crate::import::{
    self, mapping, ColumnChoice, FieldChoice, FileReport, ImportOptions, RowError,
};
use crate::store::files::{self, FileRow};
use crate::store::Store;

/// One header column as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnPreview {
    /// Column letter, or letters ("B:C") for a header merged across grid columns.
    pub letter: String,
    /// Header text (parent/child for a two-row header).
    pub header: String,
    /// The field's key ([`mapping`]), when the column is imported.
    pub field: Option<String>,
    /// The field's Chinese label.
    pub label: Option<String>,
}

/// One sheet in which a header was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SheetPreview {
    /// Sheet name.
    pub sheet: String,
    /// 1-based first header row.
    pub header_row: u32,
    /// 1 or 2.
    pub header_rows: u32,
    /// The header's columns.
    pub columns: Vec<ColumnPreview>,
}

/// What importing a file would do, without storing anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilePreview {
    /// The path as chosen.
    pub path: String,
    /// File name.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// The file could not be read as returns at all.
    pub unreadable: bool,
    /// Set when the same file is imported already (the core's message).
    pub duplicate: Option<String>,
    /// Sheets with a header.
    pub sheets: Vec<SheetPreview>,
    /// Data rows found.
    pub rows: usize,
    /// Rows that would be imported.
    pub valid: usize,
    /// Warnings in Chinese (a sheet without a header skipped, unknown columns ignored, 0–1 scores
    /// read as percentages); they do not stop the import.
    pub warnings: Vec<String>,
    /// Errors with their place.
    pub errors: Vec<RowError>,
}

/// The fields a column can be mapped to in a campaign.
pub fn field_choices(store: &Store, year: i32) -> Result<Vec<FieldChoice>, UiError> {
    Ok(mapping::field_choices(&import::campaign_scheme(
        store, year,
    )?))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a file against the campaign's scheme (the store is locked only to read the scheme
/// and look for the same file). Also returns the report the error workbook is made from.
pub fn preview(
    store: &Mutex<Store>,
    year: i32,
    path: &Path,
    choices: &[ColumnChoice],
) -> Result<(FilePreview, FileReport), UiError> {
    let scheme = import::campaign_scheme(&*lock(store)?, year)?;
    let name = file_name(path);
    // The core's reader: regular files only, within the import size limit.
    let bytes = import::file::read_import_file(path).map_err(UiError::ReadFile)?;
    let size = bytes.len() as u64;
    let a = import::analyze(
        &import::Returns::new(scheme.clone(), year, choices),
        bytes,
        &name,
    );
    let duplicate = {
        let store = lock(store)?;
        files::find_live(
            store.conn(),
            files::FileKind::Returns,
            Some(year),
            &a.sha256,
        )?
        .map(|prev| {
            format!(
                "该文件已于{}导入（文件名《{}》，编号{}），内容相同，再次导入不会做任何改动",
                short_time(&prev.imported_at),
                prev.file_name,
                prev.id
            )
        })
    };
    let sheets = a
        .sheets
        .iter()
        .map(|(sheet, l)| SheetPreview {
            sheet: sheet.clone(),
            header_row: l.header_row + 1,
            header_rows: l.header_rows,
            columns: l
                .columns
                .iter()
                .map(|c| ColumnPreview {
                    letter: c.letters(),
                    header: c.header.clone(),
                    field: c.field.and_then(|f| mapping::key_of(&scheme, f)),
                    label: c.field.map(|f| f.label(&scheme)),
                })
                .collect(),
        })
        .collect();
    let report = FileReport::unstored(
        &a.file_name,
        &a.sha256,
        &a.sheets,
        a.rows,
        &a.warnings,
        &a.errors,
    );
    let preview = FilePreview {
        path: path.display().to_string(),
        file: a.file_name,
        sha256: a.sha256,
        size,
        unreadable: a.unreadable,
        duplicate,
        sheets,
        rows: a.rows,
        valid: a.valid.len(),
        warnings: a.warnings,
        errors: a.errors,
    };
    Ok((preview, report))
}

/// One file of a batch: the path and the columns mapped by hand.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportRequest {
    /// The chosen path.
    pub path: String,
    /// Columns mapped by hand (may be empty).
    #[serde(default)]
    pub mapping: Vec<ColumnChoice>,
}

/// Progress of a batch, sent to the window as each file starts and ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportEvent {
    /// A file is being read and stored.
    Started {
        /// 0-based position in the batch.
        index: usize,
        /// Files in the batch.
        total: usize,
        /// File name.
        file: String,
    },
    /// A file is done.
    Finished {
        /// 0-based position in the batch.
        index: usize,
        /// Files in the batch.
        total: usize,
        /// What happened to it.
        report: FileReport,
    },
}

/// What a batch did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchOutcome {
    /// One report per file handled, in batch order.
    pub reports: Vec<FileReport>,
    /// Whether the user cancelled (the files after the current one were not imported).
    pub cancelled: bool,
    /// Names of the files not imported because of the cancel.
    pub not_started: Vec<String>,
}

/// Imports files one after the other, each in its own transaction. The store is locked
/// per file, so the window can read between files; `cancel` is checked before each file
/// (a file being stored is always finished or rolled back whole).
pub fn import_batch(
    store: &Mutex<Store>,
    year: i32,
    files: &[(PathBuf, Vec<ColumnChoice>)],
    opts: &ImportOptions,
    cancel: &AtomicBool,
    mut on_event: impl FnMut(ImportEvent),
) -> Result<BatchOutcome, UiError> {
    let total = files.len();
    let mut reports = Vec::with_capacity(total);
    for (index, (path, choices)) in files.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Ok(BatchOutcome {
                reports,
                cancelled: true,
                not_started: files[index..].iter().map(|(p, _)| file_name(p)).collect(),
            });
        }
        on_event(ImportEvent::Started {
            index,
            total,
            file: file_name(path),
        });
        let report = {
            let mut store = lock(store)?;
            import::Returns::open(&store, year, choices)
                .and_then(|returns| import::import_file(&mut store, &returns, path, opts))?
        };
        on_event(ImportEvent::Finished {
            index,
            total,
            report: report.clone(),
        });
        reports.push(report);
    }
    Ok(BatchOutcome {
        reports,
        cancelled: false,
        not_started: Vec::new(),
    })
}

/// The last report of each chosen file (preview or import), for the error workbook.
#[derive(Debug, Default)]
pub struct Reports {
    by_path: Mutex<HashMap<PathBuf, FileReport>>,
}

impl Reports {
    /// Keeps the latest report of a file.
    pub fn keep(&self, path: &Path, report: FileReport) {
        if let Ok(mut map) = self.by_path.lock() {
            map.insert(path.to_path_buf(), report);
        }
    }

    /// The reports with errors among these paths, in the order given; none is
    /// [`UiError::NoErrors`], so that no save dialog opens for an empty workbook.
    pub fn with_errors(&self, paths: &[PathBuf]) -> Result<Vec<(PathBuf, FileReport)>, UiError> {
        let found: Vec<_> = match self.by_path.lock() {
            Ok(map) => paths
                .iter()
                .filter_map(|p| map.get(p).map(|r| (p.clone(), r.clone())))
                .filter(|(_, r)| !r.errors.is_empty())
                .collect(),
            Err(_) => Vec::new(),
        };
        if found.is_empty() {
            return Err(UiError::NoErrors);
        }
        Ok(found)
    }
}

/// Writes the error workbook of these reports to `out`.
pub fn write_error_book(out: &Path, reports: &[(PathBuf, FileReport)]) -> Result<(), UiError> {
    if reports.is_empty() {
        return Err(UiError::NoErrors);
    }
    let refs: Vec<(PathBuf, &FileReport)> = reports.iter().map(|(p, r)| (p.clone(), r)).collect();
    import::error_book::write(out, &refs).map_err(|message| UiError::WriteErrorBook {
        path: out.to_path_buf(),
        message,
    })
}

/// Every file imported into a campaign (withdrawn ones too), oldest first.
pub fn list_files(store: &Store, year: i32) -> Result<Vec<FileRow>, UiError> {
    Ok(files::list(store.conn(), year)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::FileStatus;
    use crate::ui::testing::{campaign_with, fixture, opts, sample};
    use crate::Coded;

    #[test]
    fn previews_a_sample_without_storing_it() {
        let store = Mutex::new(campaign_with(&[]));
        let (p, report) = preview(&store, 2026, &sample("00_广州市.xlsx"), &[]).unwrap();
        assert_eq!(p.file, "00_广州市.xlsx");
        assert!(!p.unreadable && p.duplicate.is_none());
        assert_eq!((p.rows, p.valid), (27, 27));
        assert_eq!(p.sheets[0].sheet, "申报汇总");
        assert_eq!(p.sheets[0].header_row, 3);
        let name = p.sheets[0]
            .columns
            .iter()
            .find(|c| c.field.as_deref() == Some("name"))
            .unwrap();
        assert_eq!(name.label.as_deref(), Some("单位名称"));
        assert!(p.warnings.iter().any(|w| w.contains("序号")));
        assert_eq!(report.rows, 27);
        assert!(
            list_files(&store.lock().unwrap(), 2026).unwrap().is_empty(),
            "nothing stored"
        );
    }

    #[test]
    fn a_bad_file_previews_its_errors_with_their_place() {
        let store = Mutex::new(campaign_with(&[]));
        let path = fixture("returns/openpyxl_bad_rows.xlsx");
        let (p, report) = preview(&store, 2026, &path, &[]).unwrap();
        assert!(!p.errors.is_empty());
        let placed = p.errors.iter().find(|e| e.row.is_some()).unwrap();
        assert!(
            placed.column.is_some() && placed.sheet.is_some(),
            "{placed:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("错误报告.xlsx");
        write_error_book(&out, &[(path, report)]).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    }

    #[test]
    fn imports_a_batch_with_progress_then_sees_duplicates_and_withdraws() {
        let store = Mutex::new(campaign_with(&[]));
        let batch: Vec<(PathBuf, Vec<ColumnChoice>)> = ["00_广州市.xlsx", "03_广州市越秀区.xlsx"]
            .iter()
            .map(|n| (sample(n), Vec::new()))
            .collect();
        let mut events = Vec::new();
        let cancel = AtomicBool::new(false);
        let out = import_batch(&store, 2026, &batch, &opts(), &cancel, |e| events.push(e)).unwrap();
        assert!(!out.cancelled);
        assert_eq!(out.reports.len(), 2);
        assert!(out.reports.iter().all(|r| r.status == FileStatus::Imported));
        assert_eq!(events.len(), 4);
        assert!(
            matches!(&events[0], ImportEvent::Started { index: 0, total: 2, file } if file == "00_广州市.xlsx")
        );
        assert!(matches!(&events[3], ImportEvent::Finished { index: 1, .. }));

        let (p, _) = preview(&store, 2026, &sample("00_广州市.xlsx"), &[]).unwrap();
        assert!(p.duplicate.as_deref().unwrap().contains("内容相同"));

        let listed = list_files(&store.lock().unwrap(), 2026).unwrap();
        assert_eq!(listed.len(), 2);
        let mut s = store.lock().unwrap();
        let w = import::withdraw_by_id(&mut s, 2026, listed[0].id, "测试员").unwrap();
        assert_eq!(w.withdrawn, 27);
        assert_eq!(
            list_files(&s, 2026).unwrap()[0].status,
            crate::vocab::StoredFileStatus::Withdrawn
        );
        let again = import::withdraw_by_id(&mut s, 2026, listed[0].id, "测试员").unwrap_err();
        assert_eq!(again.code(), "import.file_not_found");
    }

    #[test]
    fn a_cancelled_batch_stops_before_the_next_file() {
        let store = Mutex::new(campaign_with(&[]));
        let batch: Vec<(PathBuf, Vec<ColumnChoice>)> = ["00_广州市.xlsx", "03_广州市越秀区.xlsx"]
            .iter()
            .map(|n| (sample(n), Vec::new()))
            .collect();
        let cancel = AtomicBool::new(false);
        let out = import_batch(&store, 2026, &batch, &opts(), &cancel, |e| {
            if matches!(e, ImportEvent::Finished { index: 0, .. }) {
                cancel.store(true, Ordering::SeqCst);
            }
        })
        .unwrap();
        assert!(out.cancelled);
        assert_eq!(out.reports.len(), 1);
        assert_eq!(out.not_started, ["03_广州市越秀区.xlsx"]);
        assert_eq!(list_files(&store.lock().unwrap(), 2026).unwrap().len(), 1);
    }

    #[test]
    fn the_error_book_needs_errors() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_error_book(&dir.path().join("x.xlsx"), &[]).unwrap_err();
        assert_eq!(e.code(), "desktop.no_errors");
        let reports = Reports::default();
        let path = PathBuf::from("/tmp/甲.xlsx");
        assert_eq!(
            reports.with_errors(&[path]).unwrap_err().code(),
            "desktop.no_errors"
        );
    }
}
