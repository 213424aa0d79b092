//! `mofan run`: the whole pipeline in one go — scheme, campaign, awards registry,
//! returns, selection — on a fresh database unless one is given.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use crate::campaign::{self, CampaignError};
use crate::import::registry::UnitTypes;
use crate::import::{self, FileReport, FileStatus, ImportError, ImportOptions, Registry, Returns};
use crate::scheme::{Scheme, SchemeError};
use crate::select::{self, SelectError, Selection};
use crate::store::{campaigns, Store};
use crate::Coded;

/// Extensions of files taken from a returns folder (and offered by the desktop's file
/// dialogs): workbooks, WPS files (refused with advice), and the text files Excel opens
/// as workbooks — CSV, web-page tables and XML Spreadsheet 2003. What a file is comes from
/// its content, not from this list.
pub const WORKBOOK_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xls", "xlsb", "ods", "et", "csv", "htm", "html", "xml",
];

/// The extensions of [`WORKBOOK_EXTENSIONS`] as a message lists them (".xlsx .xls …").
fn extension_list() -> String {
    WORKBOOK_EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Errors that stop the pipeline.
#[derive(Debug, Error)]
pub enum RunError {
    /// A returns path does not exist.
    #[error("找不到申报表 {0}")]
    Missing(PathBuf),
    /// A folder could not be read.
    #[error("无法读取文件夹 {path}：{message}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// No returns file was given or found.
    #[error("没有找到申报表文件（{}）", extension_list())]
    NoReturns,
    /// Some files were refused; nothing was selected.
    #[error("有 {} 个文件未能导入，未进行评选", .0.len())]
    Rejected(Vec<FileReport>),
    /// The database holds this year's campaign with another scheme.
    #[error("数据库中已有{0}年度评选，且其方案与 --scheme 不同；请换用新的数据库")]
    SchemeDiffers(i32),
    /// The scheme is invalid.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// Creating the campaign failed.
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// Importing the returns or the registry failed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Selecting failed.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// Reviewing failed.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
}

impl Coded for RunError {
    fn code(&self) -> &'static str {
        match self {
            RunError::Missing(_) => "run.missing",
            RunError::Folder { .. } => "run.folder",
            RunError::NoReturns => "run.no_returns",
            RunError::Rejected(_) => "run.rejected",
            RunError::SchemeDiffers(_) => "run.scheme_differs",
            RunError::Scheme(e) => e.code(),
            RunError::Campaign(e) => e.code(),
            RunError::Import(e) => e.code(),
            RunError::Select(e) => e.code(),
            RunError::Review(e) => e.code(),
        }
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The scheme as TOML.
    pub scheme_toml: String,
    /// Returns: files and folders (a folder contributes its workbooks, not recursively).
    pub returns: Vec<PathBuf>,
    /// The awards registry.
    pub awards: Option<PathBuf>,
    /// The review date; its year is the campaign year when the scheme states none.
    pub date: Option<NaiveDate>,
    /// Who runs it.
    pub operator: String,
}

/// What the pipeline did.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Campaign year.
    pub year: i32,
    /// The campaign's stored scheme, which the selection ran under.
    pub scheme: Scheme,
    /// The registry import, if any.
    pub awards: Option<FileReport>,
    /// One report per returns file, in import order.
    pub returns: Vec<FileReport>,
    /// Files of a returns folder skipped because they are an awards registry.
    pub skipped: Vec<String>,
    /// The selection run after the imports, over every current return of the campaign.
    pub selection: Selection,
    /// The review on `date`, when a date was given.
    pub reviews: Option<Vec<crate::review::ReviewRow>>,
}

/// The returns files to import: files as given, folders' workbooks; sorted by file name
/// (then path) so that the order of the arguments never changes the result.
pub fn expand_returns(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| RunError::Folder {
                path: p.clone(),
                message: crate::atomic::io_words(&e),
            })?;
            for e in entries.flatten() {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                let ext = path
                    .extension()
                    .map(|x| x.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                // Excel's lock files (~$申报表.xlsx) and hidden files are not returns.
                if path.is_file()
                    && !name.starts_with("~$")
                    && !name.starts_with('.')
                    && WORKBOOK_EXTENSIONS.contains(&ext.as_str())
                {
                    out.push(path);
                }
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(RunError::Missing(p.clone()));
        }
    }
    out.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then(a.cmp(b)));
    out.dedup();
    if out.is_empty() {
        return Err(RunError::NoReturns);
    }
    Ok(out)
}

/// Whether a file that failed as returns is an awards registry instead.
fn is_registry(path: &Path) -> bool {
    let Ok(bytes) = import::file::read_import_file(path) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unit_types = UnitTypes::default_only();
    // A reader panic means it is not a registry either.
    let a = import::analyze(&Registry::new(unit_types), bytes, &name);
    !a.unreadable && a.errors.is_empty() && !a.valid.is_empty()
}

/// Runs the pipeline on `store`.
pub fn run(store: &mut Store, opts: &RunOptions) -> Result<RunOutcome, RunError> {
    let scheme = Scheme::parse(&opts.scheme_toml)?;
    let year = scheme
        .year
        .or(opts.date.map(|d| d.year()))
        .unwrap_or_else(|| chrono::Local::now().year());
    let files = expand_returns(&opts.returns)?;
    match campaigns::get(store.conn(), year).map_err(|e| RunError::Import(e.into()))? {
        Some(c) if c.scheme_toml != opts.scheme_toml => return Err(RunError::SchemeDiffers(year)),
        Some(_) => {}
        None => {
            campaign::create(store, year, Some(&opts.scheme_toml), &opts.operator)?;
        }
    }
    let iopts = ImportOptions {
        partial: false,
        operator: opts.operator.clone(),
    };
    let awards = match &opts.awards {
        Some(path) => {
            let r = import::import_file(store, &Registry::open(store)?, path, &iopts)?;
            if r.status == FileStatus::Rejected {
                return Err(RunError::Rejected(vec![r]));
            }
            Some(r)
        }
        None => None,
    };
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for path in &files {
        if opts.awards.as_deref() == Some(path.as_path()) {
            continue;
        }
        let r = import::import_file(store, &Returns::open(store, year, &[])?, path, &iopts)?;
        if r.status == FileStatus::Rejected && is_registry(path) {
            skipped.push(r.file);
            continue;
        }
        reports.push(r);
    }
    let rejected: Vec<FileReport> = reports
        .iter()
        .filter(|r| r.status == FileStatus::Rejected)
        .cloned()
        .collect();
    if !rejected.is_empty() {
        return Err(RunError::Rejected(rejected));
    }
    // The date is also the selection's reference date (docs/specification.md §10).
    let selection = select::run_on(
        store,
        year,
        opts.date.unwrap_or_else(crate::today),
        &opts.operator,
    )?;
    let reviews = match opts.date {
        Some(date) => Some(crate::review::run(store, year, date)?),
        None => None,
    };
    Ok(RunOutcome {
        reviews,
        year,
        scheme,
        awards,
        returns: reports,
        skipped,
        selection,
    })
}
