//! 数据导入: previews of chosen files, the batch they make (how many files stand in each
//! [`PreviewState`], which ones 导入 sends, what a partial import leaves out), batch
//! import with progress and cancel, the list of imported files, and the error workbook
//! made from each file's latest report. Every rule is [`crate::import`]'s; this module
//! holds the store lock as briefly as it can and shapes the answers for the window.
//! Progress and cancel are a plain callback and an [`AtomicBool`], so the caller decides
//! how they reach the window; the progress of one file advances with its rows
//! ([`ImportEvent::Progress`], from [`import::import_file_with`]). Withdrawing a file is
//! [`crate::import::withdraw_by_id`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{lock, short_time, UiError};
use crate::import::{
    self, mapping, ColumnChoice, FieldChoice, FileReport, ImportOptions, ReadProgress, RowError,
};
use crate::store::files::{self, FileRow};
use crate::store::Store;
use crate::vocab::{PreviewState, Vocab};

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
    /// How the file stands: what the batch counts, filters and sorts by.
    pub state: PreviewState,
    /// Why the file (or part of it) would not be imported, shown in its row of the
    /// batch: its first error in sheet and row order, or that it is imported already.
    pub first_problem: Option<RowError>,
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

/// How a checked file stands, first what stops it whole.
pub(crate) fn state_of(unreadable: bool, duplicate: bool, errors: &[RowError]) -> PreviewState {
    if unreadable {
        PreviewState::Unreadable
    } else if duplicate {
        PreviewState::Duplicate
    } else if !errors.is_empty() {
        PreviewState::Errors
    } else {
        PreviewState::Ready
    }
}

/// The message a preview shows when a live file of `kind` (in campaign `year`, or in none)
/// has this SHA-256: importing it again would change nothing. The store is locked only
/// for the look-up.
pub(crate) fn duplicate_of(
    store: &Mutex<Store>,
    kind: files::FileKind,
    year: Option<i32>,
    sha256: &str,
) -> Result<Option<String>, UiError> {
    if sha256.is_empty() {
        return Ok(None);
    }
    let store = lock(store)?;
    Ok(
        files::find_live(store.conn(), kind, year, sha256)?.map(|prev| {
            format!(
                "该文件已于{}导入（文件名《{}》，编号{}），内容相同，再次导入不会做任何改动",
                short_time(&prev.imported_at),
                prev.file_name,
                prev.id
            )
        }),
    )
}

/// Reads a file against the campaign's scheme (the store is locked only to read the scheme
/// and look for the same file). Also returns the report the error workbook is made from.
/// A file that cannot be read at all (gone, a folder, too large) is an unreadable preview
/// with the reason as its problem, so that a batch counts it with the other unreadable
/// files; only a campaign or store failure is an error.
pub fn preview(
    store: &Mutex<Store>,
    year: i32,
    path: &Path,
    choices: &[ColumnChoice],
) -> Result<(FilePreview, FileReport), UiError> {
    let scheme = import::campaign_scheme(&*lock(store)?, year)?;
    let name = file_name(path);
    // The core's reader: regular files only, within the import size limit.
    let (a, size) = match import::file::read_import_file(path) {
        Ok(bytes) => {
            let size = bytes.len() as u64;
            let returns = import::Returns::new(scheme.clone(), year, choices);
            (import::analyze(&returns, bytes, &name), size)
        }
        Err(e) => (
            import::Analysis::failed(&name, String::new(), e.to_string()),
            0,
        ),
    };
    let mut a = a;
    // The gate refuses a readable file without records; the preview says so first.
    if !a.unreadable && a.valid.is_empty() && a.errors.is_empty() {
        a.errors.push(import::no_records::<import::Returns>());
    }
    let duplicate = duplicate_of(store, files::FileKind::Returns, Some(year), &a.sha256)?;
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
    let state = state_of(a.unreadable, duplicate.is_some(), &a.errors);
    let first_problem = match state {
        PreviewState::Ready => None,
        PreviewState::Duplicate => duplicate.as_deref().map(|m| RowError::general(None, m)),
        PreviewState::Errors | PreviewState::Unreadable => a.errors.first().cloned(),
    };
    let preview = FilePreview {
        path: path.display().to_string(),
        file: a.file_name,
        sha256: a.sha256,
        size,
        unreadable: a.unreadable,
        state,
        first_problem,
        duplicate,
        sheets,
        rows: a.rows,
        valid: a.valid.len(),
        warnings: a.warnings,
        errors: a.errors,
    };
    Ok((preview, report))
}

/// How many files of a batch stand in one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StateCount {
    /// The state.
    pub state: PreviewState,
    /// Files in it.
    pub count: usize,
}

/// What a partial import leaves out of one file it imports in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LeftOut {
    /// The chosen path.
    pub path: String,
    /// File name.
    pub file: String,
    /// Rows that are imported.
    pub imported: usize,
    /// Data rows left out (those with an error).
    pub rows: usize,
    /// The first problems left out, one per row (its first error), sheet-wide and file-wide
    /// problems included, at most [`LEFT_OUT_SHOWN`].
    pub first: Vec<RowError>,
    /// Further rows and problems not listed in `first`.
    pub more: usize,
}

/// How many problems of a file the partial-import confirmation lists.
pub const LEFT_OUT_SHOWN: usize = 5;

/// The batch on 数据导入: the chosen files as last checked, counted by state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchView {
    /// Files in each state, in the order of [`PreviewState`]; states without a file are
    /// left out.
    pub counts: Vec<StateCount>,
    /// Files not checked yet (or being checked again).
    pub checking: usize,
    /// The counts in one line: "25个可导入 · 9个有错误 · 6个无法读取".
    pub summary: String,
    /// The paths 导入 sends, in the order given: the files that can be imported and, in a
    /// partial import, the files with errors that have correct rows.
    pub to_import: Vec<String>,
    /// In a partial import, what is left out of each file imported in part; empty in a
    /// whole-file import, which imports no file with an error.
    pub left_out: Vec<LeftOut>,
}

/// What a partial import leaves out of a file with errors.
fn left_out(p: &FilePreview) -> LeftOut {
    let mut rows_seen = std::collections::HashSet::new();
    // Errors come in sheet and row order; the first of each row stands for the row.
    let problems: Vec<&RowError> = p
        .errors
        .iter()
        .filter(|e| match e.row {
            Some(row) => rows_seen.insert((e.sheet.clone(), row)),
            None => true,
        })
        .collect();
    LeftOut {
        path: p.path.clone(),
        file: p.file.clone(),
        imported: p.valid,
        rows: p.rows.saturating_sub(p.valid),
        first: problems
            .iter()
            .take(LEFT_OUT_SHOWN)
            .map(|e| (*e).clone())
            .collect(),
        more: problems.len().saturating_sub(LEFT_OUT_SHOWN),
    }
}

/// The batch of these files (`None`: not checked yet), as 导入 would send it with or
/// without `partial`.
pub fn batch_view(files: &[(String, Option<&FilePreview>)], partial: bool) -> BatchView {
    let checked: Vec<&FilePreview> = files.iter().filter_map(|(_, p)| *p).collect();
    let checking = files.len() - checked.len();
    let counts: Vec<StateCount> = PreviewState::ALL
        .iter()
        .map(|&state| StateCount {
            state,
            count: checked.iter().filter(|p| p.state == state).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let mut parts: Vec<String> = counts
        .iter()
        .map(|c| format!("{}个{}", c.count, c.state.label()))
        .collect();
    if checking > 0 {
        parts.push(format!("{checking}个检查中"));
    }
    let partly = |p: &FilePreview| partial && p.state == PreviewState::Errors && p.valid > 0;
    let mut to_import = Vec::new();
    let mut left = Vec::new();
    for (path, p) in files {
        let Some(p) = p else { continue };
        if p.state == PreviewState::Ready {
            to_import.push(path.clone());
        } else if partly(p) {
            to_import.push(path.clone());
            left.push(left_out(p));
        }
    }
    BatchView {
        counts,
        checking,
        summary: parts.join(" · "),
        to_import,
        left_out: left,
    }
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

/// Progress of a batch, sent to the window as each file starts, advances and ends.
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
    /// The file being read has come further (throttled: about once per percent).
    Progress {
        /// 0-based position in the batch.
        index: usize,
        /// Files in the batch.
        total: usize,
        /// How far.
        progress: ReadProgress,
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
/// (a file being stored is always finished or rolled back whole). `on_event` hears each
/// file start, advance (from the thread reading it) and finish.
pub fn import_batch(
    store: &Mutex<Store>,
    year: i32,
    files: &[(PathBuf, Vec<ColumnChoice>)],
    opts: &ImportOptions,
    cancel: &AtomicBool,
    on_event: impl Fn(ImportEvent) + Sync,
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
        let progress = |progress| {
            on_event(ImportEvent::Progress {
                index,
                total,
                progress,
            })
        };
        let report = {
            let mut store = lock(store)?;
            import::Returns::open(&store, year, choices).and_then(|returns| {
                import::import_file_with(&mut store, &returns, path, opts, &progress)
            })?
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

/// The last report of each chosen file (preview or import), for the error workbook, and
/// its last preview, for the batch.
#[derive(Debug, Default)]
pub struct Reports {
    by_path: Mutex<HashMap<PathBuf, FileReport>>,
    previews: Mutex<HashMap<PathBuf, FilePreview>>,
}

impl Reports {
    /// Keeps the latest report of a file.
    pub fn keep(&self, path: &Path, report: FileReport) {
        if let Ok(mut map) = self.by_path.lock() {
            map.insert(path.to_path_buf(), report);
        }
    }

    /// Keeps the latest preview of a file, with its report.
    pub fn keep_preview(&self, path: &Path, preview: FilePreview, report: FileReport) {
        if let Ok(mut map) = self.previews.lock() {
            map.insert(path.to_path_buf(), preview);
        }
        self.keep(path, report);
    }

    /// Forgets a file's preview while it is checked again, so that the batch counts it as
    /// being checked rather than as it stood.
    pub fn forget_preview(&self, path: &Path) {
        if let Ok(mut map) = self.previews.lock() {
            map.remove(path);
        }
    }

    /// The batch of these files as last checked ([`batch_view`]).
    pub fn batch(&self, paths: &[PathBuf], partial: bool) -> BatchView {
        let map = match self.previews.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        let files: Vec<(String, Option<&FilePreview>)> = paths
            .iter()
            .map(|p| (p.display().to_string(), map.get(p)))
            .collect();
        batch_view(&files, partial)
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
        let events = Mutex::new(Vec::new());
        let cancel = AtomicBool::new(false);
        let out = import_batch(&store, 2026, &batch, &opts(), &cancel, |e| {
            events.lock().unwrap().push(e)
        })
        .unwrap();
        assert!(!out.cancelled);
        assert_eq!(out.reports.len(), 2);
        assert!(out.reports.iter().all(|r| r.status == FileStatus::Imported));
        let all = events.into_inner().unwrap();
        // Each file ends its reading at 100 % before it finishes.
        let done: Vec<usize> = all
            .iter()
            .filter_map(|e| match e {
                ImportEvent::Progress {
                    index, progress, ..
                } if progress.percent == Some(100) => Some(*index),
                _ => None,
            })
            .collect();
        assert_eq!(done, [0, 1]);
        let events: Vec<&ImportEvent> = all
            .iter()
            .filter(|e| !matches!(e, ImportEvent::Progress { .. }))
            .collect();
        assert_eq!(events.len(), 4);
        assert!(
            matches!(events[0], ImportEvent::Started { index: 0, total: 2, file } if file == "00_广州市.xlsx")
        );
        assert!(matches!(events[3], ImportEvent::Finished { index: 1, .. }));

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

    /// A return file of `rows` valid rows, written as .xlsx.
    fn large_file(dir: &Path, rows: usize) -> PathBuf {
        let header = [
            "单位名称",
            "层级",
            "所属地区",
            "单位类型",
            "日常考核",
            "自评",
            "互评",
            "组织考评",
            "群众测评",
            "第三方评价",
        ];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("申报").unwrap();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for i in 0..rows {
            let r = i as u32 + 1;
            sheet
                .write_string(r, 0, format!("测试市第{i}号机关"))
                .unwrap();
            sheet.write_string(r, 1, "市级").unwrap();
            sheet.write_string(r, 2, "测试市").unwrap();
            sheet.write_string(r, 3, "政府机关").unwrap();
            for c in 4..10 {
                sheet.write_number(r, c, 90.0).unwrap();
            }
        }
        let path = dir.join("大批申报.xlsx");
        book.save(&path).unwrap();
        path
    }

    #[test]
    fn the_progress_of_a_large_file_advances_with_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = large_file(dir.path(), 3000);
        let store = Mutex::new(campaign_with(&[]));
        let events = Mutex::new(Vec::new());
        let out = import_batch(
            &store,
            2026,
            &[(path, Vec::new())],
            &opts(),
            &AtomicBool::new(false),
            |e| {
                if let ImportEvent::Progress { progress, .. } = e {
                    events.lock().unwrap().push(progress);
                }
            },
        )
        .unwrap();
        assert_eq!(out.reports[0].imported, 3000, "{:?}", out.reports[0].errors);
        let seen = events.into_inner().unwrap();
        let percents: Vec<u8> = seen.iter().map(|p| p.percent.unwrap()).collect();
        // Throttled to one report a percent, yet every part of the file is reported.
        assert!(percents.len() > 50 && percents.len() <= 101, "{percents:?}");
        assert!(percents.windows(2).all(|w| w[0] < w[1]), "{percents:?}");
        assert!(percents[0] < 5 && percents.contains(&50), "{percents:?}");
        assert_eq!(seen.last().unwrap().percent, Some(100));
        assert_eq!(seen.last().unwrap().rows, 3000);
        let rows: Vec<usize> = seen.iter().map(|p| p.rows).collect();
        assert!(rows.windows(2).all(|w| w[0] <= w[1]), "{rows:?}");
        let at_half = seen.iter().find(|p| p.percent == Some(50)).unwrap();
        assert!((1400..=1600).contains(&at_half.rows), "{at_half:?}");
    }

    /// Previews each file into `reports`, as the shell does.
    fn check(store: &Mutex<Store>, reports: &Reports, paths: &[PathBuf]) {
        for p in paths {
            let (preview, report) = preview(store, 2026, p, &[]).unwrap();
            reports.keep_preview(p, preview, report);
        }
    }

    #[test]
    fn a_batch_counts_its_states_and_names_each_files_first_problem() {
        let dir = tempfile::tempdir().unwrap();
        let store = Mutex::new(campaign_with(&["03_广州市越秀区.xlsx"]));
        let good = sample("00_广州市.xlsx");
        let bad = fixture("returns/openpyxl_bad_rows.xlsx");
        let again = sample("03_广州市越秀区.xlsx");
        let pdf = fixture("formats/refuse_pdf.xls");
        let gone = dir.path().join("不存在.xlsx");
        let unchecked = sample("01_广州市海珠区.xlsx");
        let reports = Reports::default();
        check(
            &store,
            &reports,
            &[
                good.clone(),
                bad.clone(),
                again.clone(),
                pdf.clone(),
                gone.clone(),
            ],
        );
        let paths = [
            good.clone(),
            bad.clone(),
            again,
            pdf.clone(),
            gone.clone(),
            unchecked,
        ];

        let whole = reports.batch(&paths, false);
        assert_eq!(
            whole.summary,
            "1个可导入 · 1个有错误 · 1个已导入过 · 2个无法读取 · 1个检查中"
        );
        assert_eq!(
            whole.counts,
            [
                StateCount {
                    state: PreviewState::Ready,
                    count: 1
                },
                StateCount {
                    state: PreviewState::Errors,
                    count: 1
                },
                StateCount {
                    state: PreviewState::Duplicate,
                    count: 1
                },
                StateCount {
                    state: PreviewState::Unreadable,
                    count: 2
                },
            ]
        );
        assert_eq!(whole.checking, 1);
        assert_eq!(whole.to_import, [good.display().to_string()]);
        assert!(
            whole.left_out.is_empty(),
            "a whole-file import leaves out whole files"
        );

        let map = reports.previews.lock().unwrap();
        let first = |p: &PathBuf| map[p].first_problem.clone();
        assert_eq!(first(&good), None);
        let bad_first = first(&bad).unwrap();
        assert_eq!(
            (
                bad_first.sheet.as_deref(),
                bad_first.row,
                bad_first.column.as_deref()
            ),
            (Some("申报"), Some(3), Some("G"))
        );
        assert_eq!(bad_first.message, "不是有效的分数");
        assert!(first(&paths[2]).unwrap().message.contains("内容相同"));
        assert!(
            first(&pdf).unwrap().message.contains("PDF"),
            "{:?}",
            first(&pdf)
        );
        assert_eq!(map[&gone].state, PreviewState::Unreadable);
        assert!(!first(&gone).unwrap().message.is_empty());
        let bad_preview = map[&bad].clone();
        drop(map);

        let partial = reports.batch(&paths, true);
        assert_eq!(
            partial.summary, whole.summary,
            "the counts do not depend on the mode"
        );
        assert_eq!(
            partial.to_import,
            [good.display().to_string(), bad.display().to_string()]
        );
        let [left] = partial.left_out.as_slice() else {
            panic!("{:?}", partial.left_out)
        };
        assert_eq!(left.file, "openpyxl_bad_rows.xlsx");
        assert_eq!(left.imported, bad_preview.valid);
        assert_eq!(left.rows, bad_preview.rows - bad_preview.valid);
        assert!(left.rows > 0);
        assert_eq!(left.first.len(), LEFT_OUT_SHOWN);
        assert_eq!(left.first[0], bad_first);
        // One problem per row: the rows listed differ.
        let places: std::collections::HashSet<_> = left
            .first
            .iter()
            .map(|e| (e.sheet.clone(), e.row))
            .collect();
        assert_eq!(places.len(), left.first.len());
        let distinct_rows: std::collections::HashSet<_> = bad_preview
            .errors
            .iter()
            .map(|e| (e.sheet.clone(), e.row))
            .collect();
        assert_eq!(left.first.len() + left.more, distinct_rows.len());

        // Checking a file again counts it as being checked until its new preview is kept.
        reports.forget_preview(&good);
        let b = reports.batch(&paths, false);
        assert_eq!(b.checking, 2);
        assert!(b.to_import.is_empty());
    }

    #[test]
    fn a_file_without_rows_is_not_shown_as_importable() {
        let dir = tempfile::tempdir().unwrap();
        let path = large_file(dir.path(), 0);
        let store = Mutex::new(campaign_with(&[]));
        let (p, _) = preview(&store, 2026, &path, &[]).unwrap();
        assert_eq!(p.state, PreviewState::Errors);
        assert!(p.first_problem.unwrap().message.contains("没有申报记录"));
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
