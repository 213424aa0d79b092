//! The window's TypeScript types, generated from the Rust types that cross the boundary.
//!
//! Every command's arguments and answer, the import channel's events and [`CommandError`]
//! derive `ts_rs::TS` (the core's types behind its `ts` feature), so the window's types
//! cannot drift from what the commands really send: [`export`] writes one `.ts` file per
//! type, with the types it uses, into a folder. They are checked in at `ui/src/bindings/`
//! ([`CHECKED_IN`]); `cargo run -p mofan-desktop --example gen-bindings` rewrites them and
//! a test (`tests/bindings.rs`) fails when they are stale.
//!
//! Numbers: every integer, `i64` ids included, is a JSON number (`number`; no id comes near
//! 2^53), and a `Decimal` travels as its exact text (`string`).

use std::path::Path;

use mofan::audit::{Filter, VerifyReport};
use mofan::campaign::{CampaignSummary, Published};
use mofan::demo::DemoReport;
use mofan::import::{ColumnChoice, FieldChoice, FileReport, WithdrawReport};
use mofan::notice::campaign::CampaignNotices;
use mofan::notice::preview::Preview;
use mofan::notice::{Notice, NoticeSettings};
use mofan::review::Applied;
use mofan::scheme::form::{Checked, SchemeForm};
use mofan::store::audit_log::AuditRow;
use mofan::store::awards::AwardRow;
use mofan::store::files::FileRow;
use mofan::ui::audit::TableCell;
use mofan::ui::dashboard::Dashboard;
use mofan::ui::imports::{BatchOutcome, FilePreview, ImportEvent, ImportRequest};
use mofan::ui::results::{Comparison, OverrideInput, ResultsView};
use mofan::ui::returns::{HistoryItem, ReturnsList};
use mofan::ui::reviews::ReviewView;
use mofan::ui::scheme::SchemeView;
use mofan::vocab::Labels;
use ts_rs::{Config, ExportError, TS};

use crate::settings::SettingsView;
use crate::CommandError;

/// Where the generated types are checked in, from the repository's root.
pub const CHECKED_IN: &str = "ui/src/bindings";

/// The command that rewrites [`CHECKED_IN`].
pub const REGENERATE: &str = "cargo run -p mofan-desktop --example gen-bindings";

/// Writes the TypeScript type of every type that crosses the boundary, and of every type
/// they use, into `dir` (one `<Name>.ts` per type).
pub fn export(dir: &Path) -> Result<(), ExportError> {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    macro_rules! export_all {
        ($($t:ty),* $(,)?) => {$( <$t as TS>::export_all(&cfg)?; )*};
    }
    export_all!(
        // What every command answers on failure.
        CommandError,
        // Arguments.
        OverrideInput,
        Filter,
        ColumnChoice,
        ImportRequest,
        TableCell,
        SchemeForm,
        NoticeSettings,
        Notice,
        // Answers (and the import channel's events).
        CampaignSummary,
        FieldChoice,
        FileRow,
        WithdrawReport,
        ResultsView,
        Comparison,
        Published,
        ReturnsList,
        HistoryItem,
        Dashboard,
        AwardRow,
        ReviewView,
        Applied,
        AuditRow,
        VerifyReport,
        DemoReport,
        CampaignNotices,
        FilePreview,
        ImportEvent,
        BatchOutcome,
        FileReport,
        SettingsView,
        SchemeView,
        Checked,
        Preview,
        Labels,
    );
    Ok(())
}
