//! The two workbooks the panel signs (docs/specification.md §6 and §8): the
//! **测评汇总表** of every ballots component (`mofan ballots list --out`) and the
//! **评委评分汇总表** of every panel component (`mofan panel list --out`).
//!
//! Each component is one sheet, laid out as a [`SignedSheet`]: a title, facts above the
//! table (the campaign, the component, the scheme's counting rule, every input file with
//! its SHA-256, the generated time), a header row, one row per unit of the campaign, an
//! optional totals row, and a signature block under it. [`ballot_sheets`] and
//! [`panel_sheets`] (in `content`) lay the computed results out — values only — and
//! `writer` writes them in the house style ([`crate::export::style`]): A4 landscape,
//! one page wide, the header row repeated on every page and frozen, dropped judge scores
//! struck through. [`write`] saves the workbook atomically.
//!
//! The content comes whole from [`crate::evaluate`]: the workbook shows what
//! `ballots list` / `panel list` compute, never a rule of its own. Document properties
//! come from the generated time, so the same inputs give the same bytes.

mod content;
mod writer;

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_xlsxwriter::XlsxError;
use thiserror::Error;

use crate::scheme::{Scheme, SchemeError};
use crate::store::campaigns::{self, Unavailable};
use crate::store::StoreError;
use crate::Coded;

pub use content::{ballot_sheets, panel_sheets};
pub use writer::build;

/// Which of the two workbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookKind {
    /// 测评汇总表: the satisfaction ballots of the ballots components.
    Ballots,
    /// 评委评分汇总表: the judges' scores of the panel components.
    Panel,
}

impl BookKind {
    /// The workbook's name, also the last words of every sheet's title.
    pub fn title(self) -> &'static str {
        match self {
            BookKind::Ballots => "测评汇总表",
            BookKind::Panel => "评委评分汇总表",
        }
    }

    /// The scheme's `source` the workbook's components have, in words.
    fn source_words(self) -> &'static str {
        match self {
            BookKind::Ballots => "测评票（source = \"ballots\"）",
            BookKind::Panel => "评委打分（source = \"panel\"）",
        }
    }
}

/// What a column holds, which decides its number format and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Short text.
    Text,
    /// Long text, wrapped in a column of limited width.
    Wrap,
    /// A whole number.
    Count,
    /// A computed score, shown with two decimals.
    Score,
    /// A judge's score as given (92.5 stays 92.5, 96 stays 96).
    Given,
    /// A share, shown as a percentage with two decimals.
    Percent,
}

/// A column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// What it holds.
    pub kind: Kind,
}

/// A cell's value. Numbers stay exact decimals until the writer turns them into cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text, always written as text (never a formula).
    Text(String),
    /// A number in its column's format.
    Number(Decimal),
    /// A number struck through: a judge's score dropped as highest or lowest.
    Struck(Decimal),
    /// Nothing.
    Blank,
}

/// One component's sheet: what the panel signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedSheet {
    /// Sheet name (the component's label, made a valid and unique sheet name).
    pub name: String,
    /// The title row: "2026年度模范机关评选 群众测评测评汇总表".
    pub title: String,
    /// Labelled facts above the table, in order ("计分规则", "输入文件", …).
    pub facts: Vec<(String, String)>,
    /// Columns, from column A.
    pub columns: Vec<Column>,
    /// One row per unit, one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// The totals row, when the sheet has one.
    pub total: Option<Vec<Cell>>,
    /// The signature lines under the table: each label is followed by a line to sign on.
    pub signatures: Vec<String>,
}

/// A whole workbook: its kind, the campaign and its sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationBook {
    /// Which workbook.
    pub kind: BookKind,
    /// The campaign's title ("2026年度模范机关评选").
    pub campaign: String,
    /// When it was generated (RFC 3339): shown, and the document's creation time.
    pub generated_at: String,
    /// One sheet per component, in scheme order.
    pub sheets: Vec<SignedSheet>,
}

/// Why a signed-sheet workbook could not be made.
#[derive(Debug, Error)]
pub enum BookError {
    /// No campaign for the year.
    #[error(transparent)]
    Campaign(#[from] Unavailable),
    /// The campaign's stored scheme no longer parses.
    #[error("本年度保存的评选方案无法读取：{0}")]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The scheme has no component of the workbook's source.
    #[error("{year}年度的评选方案中没有分数来源为{}的考核项，无法生成{}", .kind.source_words(), .kind.title())]
    NoComponent {
        /// Which workbook.
        kind: BookKind,
        /// Campaign year.
        year: i32,
    },
    /// The generated time is not an RFC 3339 time.
    #[error("生成时间“{0}”不是有效的时间（应为 2026-12-01T10:00:00+08:00 的形式）")]
    GeneratedAt(String),
    /// The workbook could not be built.
    #[error("生成{kind}失败：{source}", kind = .kind.title())]
    Xlsx {
        /// Which workbook.
        kind: BookKind,
        /// Why.
        #[source]
        source: XlsxError,
    },
    /// The file could not be written.
    #[error("无法写入{} {}：{}", .kind.title(), .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// Which workbook.
        kind: BookKind,
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Coded for BookError {
    fn code(&self) -> &'static str {
        match self {
            BookError::Campaign(e) => e.code(),
            BookError::Scheme(e) => e.code(),
            BookError::Store(e) => e.code(),
            BookError::NoComponent { .. } => "export.no_component",
            BookError::GeneratedAt(_) => "export.generated_at",
            BookError::Xlsx { .. } => "export.xlsx",
            BookError::Write { .. } => "export.write",
        }
    }
}

impl From<rusqlite::Error> for BookError {
    fn from(e: rusqlite::Error) -> Self {
        BookError::Store(StoreError::Sqlite(e))
    }
}

/// The workbook `kind` of campaign `year` from the store, under its stored scheme: every
/// unit's counts or judges' scores as `ballots list` / `panel list` compute them.
/// A scheme without a component of that source is [`BookError::NoComponent`].
pub fn from_store(
    conn: &rusqlite::Connection,
    year: i32,
    kind: BookKind,
    generated_at: &str,
) -> Result<EvaluationBook, BookError> {
    let campaign = campaigns::require(conn, year)?;
    let scheme = Scheme::parse(&campaign.scheme_toml)?;
    let book = match kind {
        BookKind::Ballots => {
            let list = crate::evaluate::ballots::list_with_scheme(conn, year, &scheme)?;
            ballot_sheets(&campaign.title, &scheme, &list, generated_at)
        }
        BookKind::Panel => {
            let list = crate::evaluate::panel::list_with_scheme(conn, year, &scheme)?;
            panel_sheets(&campaign.title, &scheme, &list, generated_at)
        }
    };
    if book.sheets.is_empty() {
        return Err(BookError::NoComponent { kind, year });
    }
    Ok(book)
}

/// Builds the workbook and writes it to `out` atomically.
pub fn write(out: &Path, book: &EvaluationBook) -> Result<(), BookError> {
    let xlsx = |source| BookError::Xlsx {
        kind: book.kind,
        source,
    };
    super::save_workbook(&mut build(book)?, out, xlsx, |source| BookError::Write {
        kind: book.kind,
        path: out.to_path_buf(),
        source,
    })
}
