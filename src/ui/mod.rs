//! What each screen of the desktop window shows, as serialisable views computed from the
//! store, and the screens' actions that are more than one core call.
//!
//! The desktop shell (`src-tauri/`) only adapts: each Tauri command converts its
//! arguments, calls one function here (or one core function directly when that is all a
//! screen needs) and maps the error to `{code, message}`. Keeping the views in the core
//! means the command line and the tests reach every rule the window shows, and the shell
//! never depends on anything but the public API. One file per screen:
//!
//! | screen | module |
//! |---|---|
//! | 评选年度 | [`campaigns`] |
//! | 评选方案 | [`scheme`] |
//! | 工作台 | [`dashboard`] |
//! | 数据导入 | [`imports`] |
//! | 参评单位 | [`returns`] |
//! | 测评数据 | [`evaluations`] |
//! | 评选结果 | [`results`]; 方案对比 (also on 评选方案) [`compare`]; its 公示 panel [`publicity`] |
//! | 复查管理 | [`reviews`] |
//! | 清单台账 (and the ledger counts of 工作台) | [`ledger`] |
//! | 单位查询, and each agency's page (单位历年情况) | [`agency`]; 导出历年情况 [`history`] |
//! | 通知文书 | [`notices`] |
//! | 操作日志 | [`audit`] |
//!
//! Functions take `&Store` (or `&mut Store`), except those that do slow work outside the
//! database — reading a chosen file, storing a batch, writing a workbook — which take the
//! `Mutex<Store>` the window's commands share and hold its lock only while they read or
//! write the store, so that the window can keep reading meanwhile ([`lock`]).
//!
//! The JSON of every view is the window's contract (`ui/src/lib/*.ts` mirrors it): field
//! names are snake_case as declared, scores travel as exact decimal strings.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use thiserror::Error;

use crate::audit::AuditError;
use crate::campaign::CampaignError;
use crate::export::evaluations::BookError as EvaluationBookError;
use crate::export::results::ExportError;
use crate::history::HistoryError;
use crate::import::panel::PanelError;
use crate::import::ImportError;
use crate::notice::campaign::SourceError;
use crate::notice::NoticeError;
use crate::publicity::PublicityError;
use crate::review::ReviewError;
use crate::scheme::{Scheme, SchemeError};
use crate::select::SelectError;
use crate::store::campaigns::CampaignStatus;
use crate::store::{Store, StoreError};
use crate::supervision::SupervisionError;
use crate::Coded;

pub mod agency;
pub mod audit;
pub mod campaigns;
pub mod compare;
pub mod dashboard;
pub mod evaluations;
pub mod history;
pub mod imports;
pub mod ledger;
pub mod notices;
pub mod publicity;
pub mod results;
pub mod returns;
pub mod reviews;
pub mod scheme;
pub mod settings;
pub mod supervision;

/// Errors of the screens' views and actions: the window's own refusals, and every core
/// error they pass on unchanged (same code, same message).
#[derive(Debug, Error)]
pub enum UiError {
    /// A panic in an earlier command poisoned the shared store's lock.
    #[error("数据库连接因先前的内部错误不可用，请重新启动程序。")]
    StorePoisoned,
    /// A date the window sent is not YYYY-MM-DD.
    #[error("日期“{0}”无效，应为 2026-12-01 的形式")]
    BadDate(String),
    /// An override action other than `include`, `exclude` or `clear`.
    #[error("未知的调整方式：{0}")]
    UnknownAction(String),
    /// A notice kind other than `award`, `revocation` or `rectification`.
    #[error("未知的文书类型：{0}")]
    UnknownNoticeKind(String),
    /// A workbook of computed scores was asked for a source that has none (申报表).
    #[error("来源为“{0}”的考核项没有测评汇总表")]
    NoWorkbook(String),
    /// An error workbook was asked for files without errors.
    #[error("所选文件没有错误，无需生成错误报告")]
    NoErrors,
    /// The settings file could not be written.
    #[error("无法保存设置 {}：{message}", .path.display())]
    SettingsNotSaved {
        /// The settings file.
        path: PathBuf,
        /// Why it could not be written.
        message: String,
    },
    /// An operator name longer than [`settings::OPERATOR_MAX_CHARS`] characters.
    #[error("操作人姓名不能超过{max}个字（“{0}”）", max = settings::OPERATOR_MAX_CHARS)]
    OperatorTooLong(String),
    /// An operator name with a control character.
    #[error("操作人姓名不能含有控制字符")]
    OperatorControlChars(String),
    /// The error workbook could not be written.
    #[error("无法写入错误报告 {}：{message}", .path.display())]
    WriteErrorBook {
        /// Where it was to be written.
        path: PathBuf,
        /// Why it was not.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A campaign could not be read, created or changed.
    #[error(transparent)]
    Campaign(Box<CampaignError>),
    /// The scheme is invalid.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The selection or an override failed.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// An import failed as a whole.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A panel sheet cannot be imported for the component asked for.
    #[error(transparent)]
    Panel(Box<PanelError>),
    /// A review failed.
    #[error(transparent)]
    Review(Box<ReviewError>),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// A workbook could not be made or written.
    #[error(transparent)]
    Export(Box<ExportError>),
    /// A workbook of ballots or panel scores could not be made or written.
    #[error(transparent)]
    EvaluationBook(Box<EvaluationBookError>),
    /// A campaign's notices could not be gathered.
    #[error(transparent)]
    NoticeSource(Box<SourceError>),
    /// A notice could not be filled or written.
    #[error(transparent)]
    Notice(#[from] NoticeError),
    /// The publicity or an objection failed.
    #[error(transparent)]
    Publicity(Box<PublicityError>),
    /// A ledger command failed.
    #[error(transparent)]
    Ledger(Box<crate::ledger::LedgerError>),
    /// The ledger workbook could not be made or written.
    #[error(transparent)]
    LedgerBook(Box<crate::export::ledger::LedgerBookError>),
    /// A supervision or accountability record was refused.
    #[error(transparent)]
    Supervision(Box<SupervisionError>),
    /// An agency's history could not be read.
    #[error(transparent)]
    History(Box<HistoryError>),
    /// The 历年情况 workbook could not be made or written.
    #[error(transparent)]
    HistoryBook(Box<crate::export::history::HistoryBookError>),
}

/// The larger core errors are boxed, so that every `Result` of a view stays small.
macro_rules! from_boxed {
    ($($variant:ident($error:ty)),*) => {$(
        impl From<$error> for UiError {
            fn from(e: $error) -> Self {
                UiError::$variant(Box::new(e))
            }
        }
    )*};
}

from_boxed!(
    Campaign(CampaignError),
    Review(ReviewError),
    Export(ExportError),
    EvaluationBook(EvaluationBookError),
    NoticeSource(SourceError),
    Publicity(PublicityError),
    Ledger(crate::ledger::LedgerError),
    LedgerBook(crate::export::ledger::LedgerBookError),
    Supervision(SupervisionError),
    History(HistoryError),
    HistoryBook(crate::export::history::HistoryBookError)
);

impl From<rusqlite::Error> for UiError {
    fn from(e: rusqlite::Error) -> Self {
        UiError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for UiError {
    fn code(&self) -> &'static str {
        // The window's own refusals keep the codes they had when the shell issued them.
        match self {
            UiError::StorePoisoned => "desktop.store_poisoned",
            UiError::BadDate(_) => "desktop.bad_date",
            UiError::UnknownAction(_) | UiError::UnknownNoticeKind(_) | UiError::NoWorkbook(_) => {
                "desktop.bad_request"
            }
            UiError::NoErrors => "desktop.no_errors",
            UiError::SettingsNotSaved { .. } => "desktop.settings",
            UiError::OperatorTooLong(_) | UiError::OperatorControlChars(_) => "desktop.operator",
            UiError::WriteErrorBook { .. } => "import.write_report",
            UiError::Store(e) => e.code(),
            UiError::Campaign(e) => e.code(),
            UiError::Scheme(e) => e.code(),
            UiError::Select(e) => e.code(),
            UiError::Import(e) => e.code(),
            UiError::Panel(e) => e.code(),
            UiError::Review(e) => e.code(),
            UiError::Audit(e) => e.code(),
            UiError::Export(e) => e.code(),
            UiError::EvaluationBook(e) => e.code(),
            UiError::NoticeSource(e) => e.code(),
            UiError::Notice(e) => e.code(),
            UiError::Publicity(e) => e.code(),
            UiError::Ledger(e) => e.code(),
            UiError::LedgerBook(e) => e.code(),
            UiError::Supervision(e) => e.code(),
            UiError::History(e) => e.code(),
            UiError::HistoryBook(e) => e.code(),
        }
    }
}

/// Locks the store the window's commands share. A panic in an earlier command poisons
/// the lock; the store may then hold a half-done change in memory, so it is refused
/// rather than used.
pub fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>, UiError> {
    store.lock().map_err(|_| UiError::StorePoisoned)
}

/// A scheme key with its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Label {
    /// The key rows are matched by (a component's key).
    pub key: String,
    /// What the column header shows.
    pub label: String,
}

/// The labels of a scheme's components, in scheme order (the order of every row's
/// `components`).
fn component_labels(scheme: &Scheme) -> Vec<Label> {
    scheme
        .components
        .iter()
        .map(|c| Label {
            key: c.key.clone(),
            label: c.label.clone(),
        })
        .collect()
}

/// The campaign's stored scheme and its status.
fn campaign_scheme(store: &Store, year: i32) -> Result<(Scheme, CampaignStatus), UiError> {
    let c = crate::store::campaigns::get(store.conn(), year)?.ok_or(CampaignError::Unavailable(
        crate::store::campaigns::Unavailable::NotFound(year),
    ))?;
    Ok((Scheme::parse(&c.scheme_toml)?, c.status))
}

pub use crate::short_time;

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_stored_and_refusals_keep_their_codes() {
        assert_eq!(short_time("2026-11-26T19:20:05+08:00"), "2026-11-26 19:20");
        assert_eq!(short_time("bad"), "bad");
        assert_eq!(UiError::StorePoisoned.code(), "desktop.store_poisoned");
        assert_eq!(
            UiError::UnknownAction("x".into()).code(),
            "desktop.bad_request"
        );
        let nf = UiError::from(CampaignError::Unavailable(
            crate::store::campaigns::Unavailable::NotFound(2030),
        ));
        assert_eq!(nf.code(), "campaign.not_found");
        assert!(nf.to_string().contains("2030"), "{nf}");
    }

    #[test]
    fn a_poisoned_store_is_refused() {
        let store = Mutex::new(Store::open_in_memory().unwrap());
        let _ = std::thread::scope(|s| {
            s.spawn(|| {
                let _guard = store.lock().unwrap();
                panic!("a command panicked while holding the store");
            })
            .join()
        });
        assert!(matches!(lock(&store), Err(UiError::StorePoisoned)));
    }
}
