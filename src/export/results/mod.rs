//! The result workbook (评选结果.xlsx, docs/specification.md §6).
//!
//! [`ResultBook`] gathers what the workbook shows: the scheme, the selection, the
//! campaign title, the imported files, the panel's decisions and the time it was made.
//! [`ResultBook::tables`] lays the content out as one [`Table`] per sheet — the values
//! only, in sheet order; [`build`] writes them with fonts, widths, number formats, frozen
//! headers, filters, A4 print set-up and the summary chart; [`write`] saves the workbook
//! atomically.
//!
//! Sheets: 说明, 汇总, 入选名单, 全部排名, 不符合条件, 并列待定, 评审组调整. The five lists
//! are written row by row in "low memory" mode (one row in memory, strings shared), so
//! a campaign of 100,000 returns stays small. Text from the returns is always written as
//! text, never as a formula. The output depends only on the inputs: document properties
//! come from the campaign and the generated time, so the same inputs give the same bytes.
//!
//! One idea per file: `content` (what the book contains: its sheets and their rows, from
//! the selection and the review), `words` (the scheme and the names in words, for people),
//! `model` (the table model the content is laid out in: columns, kinds, values, row
//! styles) and `writer` (the table model written with rust_xlsxwriter, in the house style
//! of [`crate::export::style`]).

mod content;
mod model;
mod words;
mod writer;

use std::path::{Path, PathBuf};

use rust_xlsxwriter::XlsxError;
use thiserror::Error;

use crate::store::StoreError;
use crate::Coded;

pub use content::{AppliedMark, Decision, InputFile, InputKind, ResultBook, ReviewPart};
pub use model::{to_f64, Column, Kind, Row, RowStyle, Rows, Table, Value};
pub use words::pool_label;
pub use writer::build;

/// The sheets of the workbook, in order.
pub const SHEETS: [&str; 7] = [
    "说明",
    "汇总",
    "入选名单",
    "全部排名",
    "不符合条件",
    "并列待定",
    "评审组调整",
];

/// The sheets added when a review was run (docs/specification.md §6).
pub const REVIEW_SHEETS: [&str; 3] = ["复查名单", "整改名单", "撤销名单"];

/// Why the result workbook could not be made.
#[derive(Debug, Error)]
pub enum ExportError {
    /// No campaign for the year.
    #[error(transparent)]
    Campaign(#[from] crate::store::campaigns::Unavailable),
    /// The generated time is not an RFC 3339 time.
    #[error("生成时间“{0}”不是有效的时间（应为 2026-12-01T10:00:00+08:00 的形式）")]
    GeneratedAt(String),
    /// The workbook could not be built.
    #[error("生成评选结果工作簿失败：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入评选结果 {}：{}", .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The review applied in the campaign year could not be read.
    #[error(transparent)]
    Review(Box<crate::review::ReviewError>),
}

impl From<crate::review::ReviewError> for ExportError {
    fn from(e: crate::review::ReviewError) -> Self {
        ExportError::Review(Box::new(e))
    }
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for ExportError {
    fn code(&self) -> &'static str {
        match self {
            ExportError::Campaign(e) => e.code(),
            ExportError::GeneratedAt(_) => "export.generated_at",
            ExportError::Xlsx(_) => "export.xlsx",
            ExportError::Write { .. } => "export.write",
            ExportError::Store(e) => e.code(),
            ExportError::Review(e) => e.code(),
        }
    }
}

/// Builds the result workbook and writes it to `out` atomically.
pub fn write(out: &Path, book: &ResultBook<'_>) -> Result<(), ExportError> {
    super::save_workbook(&mut build(book)?, out, ExportError::Xlsx, |source| {
        ExportError::Write {
            path: out.to_path_buf(),
            source,
        }
    })
}
