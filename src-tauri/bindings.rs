//! The window's TypeScript types, generated from the Rust types that cross the boundary.
//!
//! Development tooling, not part of the app: the generator (`examples/gen-bindings.rs`)
//! and the staleness test (`tests/bindings.rs`) both include this file, so the shell's own
//! code stays what the window runs.
//!
//! Every command's arguments and answer, the import channel's events and [`CommandError`]
//! derive `ts_rs::TS` (the core's types behind its `ts` feature), so the window's types
//! cannot drift from what the commands really send: [`export`] writes one `.ts` file per
//! type, with the types it uses, into a folder. They are checked in at `ui/src/bindings/`
//! ([`CHECKED_IN`]); `cargo run -p mofan-desktop --example gen-bindings` rewrites them and
//! the test fails when they are stale.
//!
//! Numbers: every integer, `i64` ids included, is a JSON number (`number`; no id comes near
//! 2^53), and a `Decimal` travels as its exact text (`string`).

use std::path::Path;

use mofan::audit::{Filter, VerifyReport};
use mofan::calendar::{ImportedYear, YearView};
use mofan::campaign::{CampaignSummary, Deletion, Published};
use mofan::demo::DemoReport;
use mofan::history::AgencyHistory;
use mofan::import::{ColumnChoice, FieldChoice, FileReport, WithdrawReport};
use mofan::ledger::{Item, Marked};
use mofan::notice::campaign::CampaignNotices;
use mofan::notice::preview::Preview;
use mofan::notice::{Notice, NoticeSettings};
use mofan::publicity::{ObjectionView, RoundPlan};
use mofan::review::Applied;
use mofan::scheme::form::{Checked, SchemeForm};
use mofan::store::audit_log::AuditRow;
use mofan::store::awards::AwardRow;
use mofan::store::files::FileRow;
use mofan::supervision::{AccountabilityView, SupervisionView};
use mofan::ui::agency::{AgencyPage, AgencySearch};
use mofan::ui::audit::TableCell;
use mofan::ui::compare::Comparison;
use mofan::ui::dashboard::Dashboard;
use mofan::ui::evaluations::{EvaluationPreview, EvaluationsView};
use mofan::ui::history::{HistoryExport, YearRange};
use mofan::ui::imports::{BatchOutcome, BatchView, FilePreview, ImportEvent, ImportRequest};
use mofan::ui::ledger::{Added, LedgerChange, LedgerInput, LedgerPreview, LedgerQuery, LedgerView};
use mofan::ui::publicity::{ObjectionInput, PlanView, PublicityView};
use mofan::ui::results::{OverrideInput, ResultsView};
use mofan::ui::returns::{HistoryItem, ReturnsList};
use mofan::ui::reviews::ReviewView;
use mofan::ui::scheme::SchemeView;
use mofan::ui::supervision::{
    AccountabilityAdded, AccountabilityInput, FoundInput, SupervisionAdded, SupervisionInput,
    SupervisionQuery, SupervisionScreen,
};
use mofan::vocab::{CalendarDayKind, Labels, ObjectionResolution};
use ts_rs::{Config, ExportError, TS};

use mofan_desktop::settings::SettingsView;
use mofan_desktop::CommandError;

/// Where the generated types are checked in, from the repository's root.
pub const CHECKED_IN: &str = "ui/src/bindings";

/// The command that rewrites [`CHECKED_IN`].
pub const REGENERATE: &str = "cargo run -p mofan-desktop --example gen-bindings";

/// Writes the TypeScript type of every type that crosses the boundary, and of every type
/// they use, into `dir` (one `<Name>.ts` per type), and an `index.ts` re-exporting them all
/// (so the window imports them from one place).
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
        EvaluationsView,
        EvaluationPreview,
        Dashboard,
        AwardRow,
        ReviewView,
        Applied,
        AuditRow,
        VerifyReport,
        DemoReport,
        Deletion,
        CampaignNotices,
        FilePreview,
        BatchView,
        ImportEvent,
        BatchOutcome,
        FileReport,
        SettingsView,
        SchemeView,
        Checked,
        Preview,
        Labels,
        // 公示: the panel's view, a round's plan, the objection dialog's form and answer;
        // 设置's holiday arrangement.
        PublicityView,
        RoundPlan,
        PlanView,
        ObjectionInput,
        ObjectionView,
        ObjectionResolution,
        YearView,
        ImportedYear,
        CalendarDayKind,
        // 清单台账: the view and its query, a workbook's check, 新增事项's form and answer,
        // marking an item done, an item's history.
        LedgerView,
        LedgerQuery,
        LedgerPreview,
        LedgerInput,
        Added,
        Marked,
        LedgerChange,
        // 单位查询 and the agency page: the search, the history (scores as JSON numbers,
        // as `mofan agency show --json`), the 登记督查 / 登记问责 forms and answers.
        AgencySearch,
        AgencyHistory,
        AgencyPage,
        SupervisionInput,
        SupervisionView,
        SupervisionAdded,
        AccountabilityInput,
        AccountabilityView,
        AccountabilityAdded,
        // 导出历年情况 on 单位查询: the campaigns' years offered, what was written.
        YearRange,
        HistoryExport,
        // 监督问责: the screen and its query, 新增发现问题's form (answered with the item or
        // the refusal at its field, as 新增事项).
        SupervisionScreen,
        SupervisionQuery,
        FoundInput,
        Item,
    );
    write_index(dir)
}

/// Writes `index.ts`: `export type { Name } from './Name'` for every generated file, by name.
fn write_index(dir: &Path) -> Result<(), ExportError> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            if let Some(stem) = name.strip_suffix(".ts").filter(|s| *s != "index") {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    let mut index = String::from(
        "// Generated by src-tauri/bindings.rs (gen-bindings). Do not edit this file manually.\n",
    );
    for name in names {
        index.push_str(&format!("export type {{ {name} }} from './{name}'\n"));
    }
    std::fs::write(dir.join("index.ts"), index)?;
    Ok(())
}
