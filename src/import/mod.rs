//! Importing returns (申报表) from workbooks (domain.md §3).
//!
//! [`analyze`] reads a file against a scheme without touching the database: it finds the
//! header in every visible sheet, maps columns by name, parses every row and collects
//! errors that name file, sheet, row, column, header and value. [`import_file`] then
//! stores a file's returns in one transaction — all or nothing unless a partial import
//! is asked for — and records it in the audit log.

use std::path::Path;
use std::sync::mpsc::SyncSender;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::scheme::{Scheme, SchemeError};
use crate::store::{self, files, returns, Store, StoreError};
use crate::Coded;

pub mod aliases;
mod commit;
mod css;
mod csv_sheet;
pub mod error_book;
pub mod file;
pub(crate) mod guard;
mod html_sheet;
pub mod layout;
pub mod mapping;
mod ods;
mod percent;
pub mod rows;
pub(crate) mod scan;
pub mod skipped;
pub mod sniff;
pub mod text;
pub mod values;
pub mod workbook;
mod xls_formats;
mod xlsx_merges;
mod xml_sheet;

use aliases::{AliasTable, Field};
pub use commit::commit;
use layout::Layout;
pub use mapping::{ColumnChoice, FieldChoice};
pub use rows::{ParsedReturn, RowError};
use values::{Cell, Score, MAX_PLACES};

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
            ImportError::Scheme(e) => e.code(),
            ImportError::Store(e) => e.code(),
            ImportError::Audit(e) => e.code(),
            ImportError::WriteReport { .. } => "import.write_report",
        }
    }
}

/// The outcome of one file: one of the vocabulary's words.
pub use crate::vocab::FileStatus;

/// What happened to one file, as `mofan import --json` prints it (domain.md §7).
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// A file read against a scheme, not yet stored.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// File name.
    pub file_name: String,
    /// SHA-256 hex.
    pub sha256: String,
    /// Sheets in which a header was found, with their layout.
    pub sheets: Vec<(String, Layout)>,
    /// Data rows found (valid or not).
    pub rows: usize,
    /// Valid returns, fraction columns already scaled.
    pub returns: Vec<ParsedReturn>,
    /// Every error.
    pub errors: Vec<RowError>,
    /// Every warning.
    pub warnings: Vec<String>,
    /// Whether the file as a whole could not be read (no sheet, no header, not a workbook).
    pub unreadable: bool,
    /// Whether a fraction column was scaled by 100 after the rows were read.
    pub scaled: bool,
    /// Columns mapped by hand that changed a column, as "sheet:X列“header”→label".
    pub mapped: Vec<String>,
}

impl Analysis {
    /// An analysis of a file that could not be read at all.
    pub fn failed(file_name: &str, sha256: String, message: &str) -> Analysis {
        Analysis {
            file_name: file_name.to_string(),
            sha256,
            sheets: Vec::new(),
            rows: 0,
            returns: Vec::new(),
            errors: vec![RowError::general(None, message)],
            warnings: Vec::new(),
            unreadable: true,
            scaled: false,
            mapped: Vec::new(),
        }
    }
}

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    audit::hex(&Sha256::digest(bytes))
}

/// Reads returns rows for [`scan::scan`].
struct ReturnsReader<'a> {
    scheme: &'a Scheme,
    aliases: AliasTable,
    mapping: &'a mapping::Resolved,
    sink: Option<&'a SyncSender<ParsedReturn>>,
}

impl scan::RowReader for ReturnsReader<'_> {
    type Item = ParsedReturn;

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    fn adjust(&self, layout: &mut Layout) -> Vec<String> {
        self.mapping.apply(self.scheme, layout)
    }

    fn check(&self, layout: &Layout) -> Result<(), String> {
        layout::check(layout, self.scheme).map_err(|p| p.to_string())
    }

    fn layout_warnings(&self, sheet: &str, l: &Layout) -> Vec<String> {
        let scheme = self.scheme;
        let missing: Vec<String> = (0..scheme.vetoes.len())
            .filter(|i| l.column_of(Field::Veto(*i)).is_none())
            .map(|i| scheme.vetoes[i].label.clone())
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "工作表“{sheet}”中没有一票否决事项列：{}，按“否”处理",
            missing.join("、")
        )]
    }

    fn parse(
        &self,
        layout: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<ParsedReturn, Vec<RowError>> {
        rows::parse_row(self.scheme, layout, sheet, row, cells)
    }

    fn on_item(&self, item: &ParsedReturn) {
        if let Some(sink) = self.sink {
            // A closed receiver only means nobody streams; the analysis still collects
            // every return.
            let _ = sink.send(item.clone());
        }
    }

    fn no_header_message(&self) -> &'static str {
        "未找到表头：各工作表前30行中没有同时含有“单位名称”“层级”“单位类型”等列名的行"
    }

    fn group_words(&self) -> Vec<String> {
        rows::group_words(std::slice::from_ref(self.scheme))
    }
}

/// Reads a file's bytes against a scheme. Never touches the database.
pub fn analyze(scheme: &Scheme, bytes: Vec<u8>, file_name: &str) -> Analysis {
    analyze_with(
        scheme,
        bytes,
        file_name,
        None,
        &mapping::Resolved::default(),
    )
}

/// The refusal of a file whose reader panicked.
pub(crate) const READER_FAILED: &str = "读取工作簿时出错（文件可能已损坏），未导入";

/// [`analyze`] with columns mapped by hand ([`mapping`]); a choice naming a field the
/// scheme does not have makes the file unreadable with a message naming it.
pub fn analyze_mapped(
    scheme: &Scheme,
    bytes: Vec<u8>,
    file_name: &str,
    choices: &[ColumnChoice],
) -> Analysis {
    match mapping::Resolved::new(scheme, choices) {
        Ok(m) => {
            let sha = sha256_hex(&bytes);
            // A reader that panics on a broken file refuses the file, not the caller.
            guard::run_reader(|| analyze_with(scheme, bytes, file_name, None, &m))
                .unwrap_or_else(|| Analysis::failed(file_name, sha, READER_FAILED))
        }
        Err(message) => Analysis::failed(file_name, sha256_hex(&bytes), &message),
    }
}

/// [`analyze`], also sending each valid return to `sink` as soon as its row is read
/// (before fraction scaling and the duplicate check, which need the whole file).
pub(crate) fn analyze_with(
    scheme: &Scheme,
    bytes: Vec<u8>,
    file_name: &str,
    sink: Option<&SyncSender<ParsedReturn>>,
    mapping: &mapping::Resolved,
) -> Analysis {
    let sha256 = sha256_hex(&bytes);
    let reader = ReturnsReader {
        scheme,
        aliases: AliasTable::new(scheme),
        mapping,
        sink,
    };
    let s = scan::scan(bytes, file_name, &reader);
    let mut a = Analysis {
        file_name: file_name.to_string(),
        sha256,
        sheets: s.sheets,
        rows: s.rows,
        returns: s.items,
        errors: s.errors,
        warnings: s.warnings,
        unreadable: s.unreadable,
        scaled: false,
        mapped: s.adjusted,
    };
    if a.unreadable {
        return a;
    }
    apply_column_rules(scheme, &mut a);
    // One agency twice in a file is an error on both rows.
    scan::reject_duplicates(&mut a.returns, &mut a.errors, |_, places| {
        format!("同一单位在本文件中出现多次（{places}）")
    });
    scan::sort_errors(&mut a.errors, &a.sheets);
    a
}

/// The score fields of a scheme: the daily score, then each component.
fn score_fields(scheme: &Scheme) -> impl Iterator<Item = Field> {
    std::iter::once(Field::Daily).chain((0..scheme.components.len()).map(Field::Component))
}

/// A return's score for a score field.
fn score_of(r: &ParsedReturn, field: Field) -> Option<Score> {
    match field {
        Field::Daily => r.daily,
        Field::Component(i) => r.components.get(i).copied().flatten(),
        _ => None,
    }
}

/// A return's score slot for a score field.
fn score_slot(r: &mut ParsedReturn, field: Field) -> Option<&mut Option<Score>> {
    match field {
        Field::Daily => Some(&mut r.daily),
        Field::Component(i) => r.components.get_mut(i),
        _ => None,
    }
}

/// Applies the rules that need a score column as a whole (per file and field, across
/// sheets), after every row is read:
///
/// - **Mixed column.** A plain number in (0, 1) — neither percent-formatted nor written
///   with % — in a column that also holds a score above 1 cannot be told from a score
///   of 0.955 or a forgotten percent format; each such cell is an error.
/// - **Fraction column**. A column without percent cells whose values all
///   lie in [0, 1], one of them not whole, holds fractions: it is scaled by 100 with a
///   warning. A column of percent cells is in points already and needs no warning.
/// - **Precision.** The four-place limit applies to the score after scaling: a plain
///   number kept as it is may not carry more (0.89995 is 89.995 in a fraction column,
///   an error elsewhere).
///
/// Rows with such an error are taken out of the returns.
fn apply_column_rules(scheme: &Scheme, a: &mut Analysis) {
    let mut drop = vec![false; a.returns.len()];
    for field in score_fields(scheme) {
        let place = |sheet: &str| {
            a.sheets
                .iter()
                .find(|(s, _)| s == sheet)
                .and_then(|(_, l)| l.column_of(field))
                .map(|c| (c.letter(), c.header.clone()))
        };
        let mut error = |r: &ParsedReturn, v: Decimal, message: String| {
            let (column, header) = place(&r.sheet).unzip();
            a.errors.push(RowError {
                sheet: Some(r.sheet.clone()),
                row: Some(r.row),
                column,
                header,
                value: Some(v.to_string()),
                message,
            });
        };
        let scores: Vec<(usize, Score)> = a
            .returns
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, score_of(r, field)?)))
            .collect();
        let above_one = scores.iter().find(|(_, s)| s.value > Decimal::ONE);
        let any_percent = scores.iter().any(|(_, s)| s.percent);
        let unit_fraction =
            |s: &Score| !s.percent && s.value > Decimal::ZERO && s.value < Decimal::ONE;
        if let Some((_, example)) = above_one {
            for (i, s) in scores.iter().filter(|(_, s)| unit_fraction(s)) {
                let points = (s.value * Decimal::ONE_HUNDRED).normalize();
                error(
                    &a.returns[*i],
                    s.value,
                    format!(
                        "{}与同列其他分数（如{}）不一致：若为百分比，请把单元格设为百分比格式或填写{points}",
                        s.value, example.value
                    ),
                );
                drop[*i] = true;
            }
        } else if !any_percent && rows::is_fraction_column(scores.iter().map(|(_, s)| &s.value)) {
            for (i, _) in &scores {
                if let Some(Some(s)) = score_slot(&mut a.returns[*i], field) {
                    s.value = (s.value * Decimal::ONE_HUNDRED).normalize();
                }
            }
            a.scaled = true;
            let places: Vec<String> = a
                .sheets
                .iter()
                .filter_map(|(s, l)| {
                    l.column_of(field)
                        .map(|c| format!("工作表“{s}”{}列“{}”", c.letter(), c.header))
                })
                .collect();
            a.warnings.push(format!(
                "{}的数值都在0–1之间，视为百分比，已乘以100换算为分数（如0.955→95.5）",
                places.join("、")
            ));
        }
        // Read again: the column may just have been scaled.
        for (i, _) in &scores {
            let r = &a.returns[*i];
            if let Some(s) = score_of(r, field).filter(|s| s.value.scale() > MAX_PLACES) {
                if !drop[*i] {
                    error(r, s.value, format!("最多保留{MAX_PLACES}位小数"));
                    drop[*i] = true;
                }
            }
        }
    }
    let mut i = 0;
    a.returns.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

impl scan::Placed for ParsedReturn {
    fn sheet(&self) -> &str {
        &self.sheet
    }
    fn row(&self) -> u32 {
        self.row
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn identity(&self) -> String {
        ParsedReturn::identity(self)
    }
}

/// Loads a campaign's scheme.
pub fn campaign_scheme(store: &Store, year: i32) -> Result<Scheme, ImportError> {
    let c = store::campaigns::require(store.conn(), year)?;
    Ok(Scheme::parse(&c.scheme_toml)?)
}

fn ensure_open(store: &Store, year: i32) -> Result<(), ImportError> {
    store::campaigns::require_open(store.conn(), year, store::campaigns::Change::Files)?;
    Ok(())
}

/// Imports one file into a campaign. A bad file gives a `Rejected` report and changes
/// nothing; the same file again gives a `Duplicate` report and changes nothing.
pub fn import_file(
    store: &mut Store,
    year: i32,
    path: &Path,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    import_file_mapped(store, year, path, opts, &[])
}

/// [`import_file`] with columns mapped by hand ([`mapping`]).
pub fn import_file_mapped(
    store: &mut Store,
    year: i32,
    path: &Path,
    opts: &ImportOptions,
    choices: &[ColumnChoice],
) -> Result<FileReport, ImportError> {
    ensure_open(store, year)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let bytes = match file::read_import_file(path) {
        Ok(b) => b,
        Err(e) => {
            return Ok(FileReport {
                file: file_name,
                sha256: String::new(),
                status: FileStatus::Rejected,
                sheet: None,
                header_row: None,
                rows: 0,
                imported: 0,
                warnings: Vec::new(),
                errors: vec![RowError::general(None, e.to_string())],
                headers: Vec::new(),
            })
        }
    };
    import_bytes_mapped(store, year, bytes, &file_name, opts, choices)
}

/// Like [`import_file`], from bytes already read.
pub fn import_bytes(
    store: &mut Store,
    year: i32,
    bytes: Vec<u8>,
    file_name: &str,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    import_bytes_mapped(store, year, bytes, file_name, opts, &[])
}

/// Like [`import_bytes`], with columns mapped by hand ([`mapping`]); the choices that
/// changed a column are named in the file's warnings and its audit event.
pub fn import_bytes_mapped(
    store: &mut Store,
    year: i32,
    bytes: Vec<u8>,
    file_name: &str,
    opts: &ImportOptions,
    choices: &[ColumnChoice],
) -> Result<FileReport, ImportError> {
    ensure_open(store, year)?;
    let sha = sha256_hex(&bytes);
    if let Some(prev) = files::find_live_by_sha(store.conn(), year, &sha)? {
        return Ok(FileReport {
            file: file_name.to_string(),
            sha256: sha,
            status: FileStatus::Duplicate,
            sheet: None,
            header_row: None,
            rows: prev.rows_total as usize,
            imported: 0,
            warnings: vec![format!(
                "该文件已于{}导入（文件名《{}》，编号{}），内容相同，本次未做任何改动",
                prev.imported_at, prev.file_name, prev.id
            )],
            errors: Vec::new(),
            headers: Vec::new(),
        });
    }
    let scheme = campaign_scheme(store, year)?;
    let mapping = match mapping::Resolved::new(&scheme, choices) {
        Ok(m) => m,
        Err(message) => {
            let a = Analysis::failed(file_name, sha, &message);
            return commit::commit(store, year, &scheme, a, opts);
        }
    };
    store.with_large_cache(|store| {
        commit::import_streaming(store, year, &scheme, bytes, file_name, opts, &mapping)
    })
}

/// The outcome of withdrawing a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithdrawReport {
    /// File id.
    pub id: i64,
    /// File name.
    pub file: String,
    /// SHA-256.
    pub sha256: String,
    /// Returns removed.
    pub withdrawn: usize,
    /// Earlier returns that became current again.
    pub restored: usize,
}

/// Withdraws an imported file — by id, SHA-256 (or a prefix of at least 8 characters), or
/// file name — removing its current returns and restoring the ones it had replaced.
pub fn withdraw(
    store: &mut Store,
    year: i32,
    target: &str,
    operator: &str,
) -> Result<WithdrawReport, ImportError> {
    ensure_open(store, year)?;
    let live: Vec<files::FileRow> = files::list(store.conn(), year)?
        .into_iter()
        .filter(|f| f.status != crate::vocab::StoredFileStatus::Withdrawn)
        .collect();
    let t = target.trim();
    let by_id: Vec<&files::FileRow> = live.iter().filter(|f| f.id.to_string() == t).collect();
    let matches: Vec<&files::FileRow> = if !by_id.is_empty() {
        by_id
    } else {
        let lower = t.to_ascii_lowercase();
        let by_sha: Vec<_> = live
            .iter()
            .filter(|f| lower.len() >= 8 && f.sha256.starts_with(&lower))
            .collect();
        if !by_sha.is_empty() {
            by_sha
        } else {
            let base = Path::new(t)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| t.to_string());
            live.iter().filter(|f| f.file_name == base).collect()
        }
    };
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
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    files::mark_withdrawn(&tx, file.id, &now)?;
    let (withdrawn, restored) = returns::withdraw_file(&tx, file.id, &now)?;
    audit::append(
        &tx,
        operator,
        "import.withdraw",
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
