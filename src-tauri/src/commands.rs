//! Tauri commands, one per action of the window. Each converts its arguments, calls one
//! core function on a blocking thread (so the window stays responsive while SQLite works)
//! and passes a core error on with `?`. A command that writes a file first asks where,
//! in a save dialog it opens itself ([`files`]).

use std::path::Path;
use std::sync::atomic::Ordering;

use mofan::audit::{Filter, VerifyReport};
use mofan::calendar::{self, ImportedYear, YearView};
use mofan::campaign::{self, CampaignSummary, Deletion, Published};
use mofan::demo::DemoReport;
use mofan::import::{ColumnChoice, FieldChoice, FileReport, ImportOptions, WithdrawReport};
use mofan::ledger::Marked;
use mofan::notice::campaign::CampaignNotices;
use mofan::notice::preview::Preview;
use mofan::notice::{Notice, NoticeSettings};
use mofan::publicity::ObjectionView;
use mofan::review::{self, Applied, ReviewRecord};
use mofan::scheme::form::{Checked, SchemeForm};
use mofan::scheme::ComponentSource;
use mofan::store::audit_log::AuditRow;
use mofan::store::awards::AwardRow;
use mofan::store::files::FileRow;
use mofan::ui::agency::{self, AgencyPage, AgencySearch};
use mofan::ui::audit::{self, TableCell};
use mofan::ui::compare::{self, Comparison};
use mofan::ui::dashboard::{self, Dashboard};
use mofan::ui::evaluations::{self, EvaluationPreview, EvaluationsView};
use mofan::ui::history::{self as history_ui, HistoryExport, YearRange};
use mofan::ui::imports::{self, BatchOutcome, BatchView, FilePreview, ImportEvent, ImportRequest};
use mofan::ui::ledger::{self as ledger_ui, Added, LedgerChange, LedgerInput, LedgerPreview};
use mofan::ui::ledger::{LedgerQuery, LedgerView};
use mofan::ui::publicity::{self, ObjectionInput, PlanView, PublicityView};
use mofan::ui::results::{self, OverrideInput, ResultsView};
use mofan::ui::returns::{self, HistoryItem, ReturnsList};
use mofan::ui::reviews::{self, parse_date, ReviewView};
use mofan::ui::scheme::{self as ui_scheme, SchemeView};
use mofan::ui::supervision::{
    self as supervision_ui, AccountabilityAdded, AccountabilityInput, FoundInput, SupervisionAdded,
    SupervisionInput, SupervisionQuery, SupervisionScreen,
};
use mofan::ui::{campaigns, notices, UiError};
use mofan::vocab::LedgerKind;
use mofan::vocab::{CalendarDayKind, ObjectionResolution};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::files::{self, OpenKind};
use crate::settings::{self, SettingsView};
use crate::state::{blocking, lock};
use crate::{AppState, CommandError};

/// What every command answers: its value, or `{code, message}`.
type Reply<T> = Result<T, CommandError>;

/// The app's state, as a command receives it.
type Ctx<'a> = State<'a, AppState>;

/// A save dialog's filter: its name and extensions.
type SaveFilter = (&'static str, &'static [&'static str]);

/// The save dialog's filter for Excel workbooks.
const XLSX: SaveFilter = ("Excel 工作簿", &["xlsx"]);

/// Asks where to save (a blocking dialog, so off the main thread) and writes there;
/// returns the path, or null when the dialog is cancelled.
async fn save_as<R: Runtime, E: Into<CommandError>>(
    app: AppHandle<R>,
    (title, file_name): (String, String),
    filter: SaveFilter,
    write: impl FnOnce(&Path) -> Result<(), E> + Send + 'static,
) -> Reply<Option<String>> {
    blocking(move || {
        let Some(out) = files::save(&app, &title, &file_name, filter) else {
            return Ok(None);
        };
        write(&out).map_err(Into::into)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// Declares commands that ask where to save and write one file. Each entry
/// `fn name(args) [let pattern = value;]* saves (title, file name, filter)
/// = [with store] |out| write;` becomes an async command: the `let`s run first (a bad
/// argument is refused before any dialog opens), then the save dialog (or the test queue)
/// picks `out`, and `write` runs on a blocking thread — `with store` gives it the shared
/// store, which it locks only while it reads. The command answers the saved path, or null
/// when the dialog was cancelled.
macro_rules! save_commands {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*)
        $(let $p:pat = $pe:expr;)*
        saves ($title:expr, $file:expr, $filter:expr)
        = $(with $s:ident)? |$out:ident| $write:expr;)*) => {$(
        $(#[$doc])*
        #[tauri::command]
        pub async fn $name<R: Runtime>(
            app: AppHandle<R>,
            state: Ctx<'_>,
            $($arg: $ty),*
        ) -> Reply<Option<String>> {
            let _ = &state; // taken by every such command, used by those `with store`
            $(let $p = $pe;)*
            $(let $s = state.store()?;)?
            save_as(app, ($title.into(), $file.into()), $filter, move |$out: &Path| $write).await
        }
    )*};
}

save_commands! {
    /// `export_results { year, reviewDate }`: the result workbook (with the review on
    /// `reviewDate` when given).
    fn export_results(year: i32, review_date: Option<String>)
        let review_date = review_date.as_deref().map(parse_date).transpose()?;
        saves ("导出评选结果", format!("{year}年度评选结果.xlsx"), XLSX)
        = with store |out| results::export(&store, year, out, review_date);
    /// `export_evaluations { year, source }`: 测评汇总表 (`ballots`) or 评委评分汇总表
    /// (`panel`).
    fn export_evaluations(year: i32, source: ComponentSource)
        let (kind, file_name) = evaluations::book_of(year, source)?;
        saves (format!("导出{}", kind.title()), file_name, XLSX)
        = with store |out| evaluations::export(&store, year, source, out);
    /// `export_ledger { query }`: the ledger workbook of what the query keeps.
    fn export_ledger(query: LedgerQuery)
        saves ("导出台账", "清单台账.xlsx", XLSX)
        = with store |out| ledger_ui::export(&store, &query, out);
    /// `export_history { from, to }`: the 历年情况 workbook of the campaigns from `from` to
    /// `to` (`mofan history`).
    fn export_history(from: i32, to: i32)
        saves ("导出历年情况", format!("{from}—{to}年度历年情况.xlsx"), XLSX)
        = with store |out| history_ui::export(&store, from, to, out).map(|_: HistoryExport| ());
    /// `export_returns { year, agencyIds }`: these returns (in this order) as a workbook.
    fn export_returns(year: i32, agency_ids: Vec<i64>)
        saves ("导出参评单位", format!("{year}年度参评单位.xlsx"), XLSX)
        = with store |out| returns::export(&store, year, &agency_ids, out).map(drop);
    /// `export_table { name, headers, rows }`: a table as the window shows it.
    fn export_table(name: String, headers: Vec<String>, rows: Vec<Vec<TableCell>>)
        saves (format!("导出{name}"), format!("{name}.xlsx"), XLSX)
        = |out| audit::export_table(out, &name, &headers, &rows);
    /// `backup_database`: a backup of the database.
    fn backup_database()
        let name = format!("mofan备份{}.db", chrono::Local::now().format("%Y%m%d"));
        saves ("备份数据库", name, ("数据库备份", &["db"]))
        = with store |out| Ok::<_, CommandError>(lock(&store)?.backup_to(out)?);
    /// `export_scheme { form, name }`: a valid form as TOML (an invalid one is refused
    /// before the dialog opens, with its issues).
    fn export_scheme(form: SchemeForm, name: String)
        let toml = form.to_toml()?;
        saves ("导出评选方案", name, ("评选方案", &["toml"]))
        = |out| mofan::export::write_atomic(out, toml.as_bytes()).map_err(|e| {
            let message = format!("无法写入 {}：{}", out.display(), crate::io_message(&e));
            CommandError::new("desktop.write_file", message)
        });
    /// `save_template { form, year }`: the return template of a valid form.
    fn save_template(form: SchemeForm, year: i32)
        let scheme = form.scheme()?;
        saves ("下载申报模板", format!("{year}年度申报模板.xlsx"), XLSX)
        = |out| mofan::template::write_template(&scheme, Some(year), out);
    /// `export_notices { year, settings, notices }`: the notices as one .docx.
    fn export_notices(year: i32, settings: NoticeSettings, notices: Vec<Notice>)
        saves ("导出通知文书", notices::file_name(year, &notices), ("Word 文档", &["docx"]))
        = |out| mofan::notice::write(out, &settings, &notices);
}

/// `vocabulary`: every key → label list of the core's vocabulary (tiers, statuses,
/// outcomes, fields), which the window loads once at start instead of typing the labels.
#[tauri::command]
pub fn vocabulary() -> mofan::vocab::Labels {
    mofan::vocab::labels()
}

/// Declares commands that are one core call on the store. Each entry
/// `fn name(args) -> T = |store| call;` becomes an async command taking the app's state
/// and the arguments; `call` runs on a blocking thread with the store locked
/// ([`AppState::run`]), and `|store, operator|` also gives it the operator's name the audit
/// log records ([`AppState::run_as`]). `call` returns any core `Result`; inside it, `?`
/// passes on the error of an argument that does not convert (a bad date).
macro_rules! store_commands {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty
        = |$s:ident $(, $op:ident)?| $call:expr;)*) => {$(
        $(#[$doc])*
        #[tauri::command]
        pub async fn $name(state: Ctx<'_>, $($arg: $ty),*) -> Reply<$out> {
            store_commands!(@run state, |$s $(, $op)?| Ok::<_, CommandError>($call?))
        }
    )*};
    (@run $state:ident, |$s:ident| $call:expr) => { $state.run(move |$s| $call).await };
    (@run $state:ident, |$s:ident, $op:ident| $call:expr) => {
        $state.run_as(move |$s, $op| $call).await
    };
}

store_commands! {
    /// `load_scheme { year }`: the campaign's scheme as a form.
    fn load_scheme(year: i32) -> SchemeView = |s| ui_scheme::load(s, year);
    /// `save_scheme { year, form }`: saves a form as the campaign's scheme (checked first;
    /// audited).
    fn save_scheme(year: i32, form: SchemeForm) -> CampaignSummary
        = |s, op| ui_scheme::save(s, year, &form, op);
    /// `list_campaigns`: every campaign, as `CampaignSummary` rows.
    fn list_campaigns() -> Vec<CampaignSummary> = |s| campaign::list(s);
    /// `import_field_choices { year }`: the fields a column can be mapped to.
    fn import_field_choices(year: i32) -> Vec<FieldChoice> = |s| imports::field_choices(s, year);
    /// `list_imported_files { year }`: every imported file of a campaign, oldest first.
    fn list_imported_files(year: i32) -> Vec<FileRow> = |s| imports::list_files(s, year);
    /// `withdraw_file { year, id }`: withdraws an imported file (audited).
    fn withdraw_file(year: i32, id: i64) -> WithdrawReport
        = |s, op| mofan::import::withdraw_by_id(s, year, id, op);
    /// `current_results { year, pool }`: the last run as stored, with the rows of `pool`
    /// (nothing changes).
    fn current_results(year: i32, pool: Option<String>) -> ResultsView
        = |s| results::current(s, year, pool.as_deref());
    /// `run_selection { year, pool, date }`: runs the selection on the reference date
    /// `date` (评选基准日; today when absent — a draft campaign becomes `selected`), with
    /// the rows of `pool`.
    fn run_selection(year: i32, pool: Option<String>, date: Option<String>) -> ResultsView
        = |s, op| results::run(s, year, date.as_deref().map(parse_date).transpose()?, op, pool.as_deref());
    /// `set_override { year, input: {agencyId, action, reason, confirm}, pool }`: a panel
    /// decision, with the rows of `pool` after it.
    fn set_override(year: i32, input: OverrideInput, pool: Option<String>) -> ResultsView
        = |s, op| results::set_override(s, year, &input, op, pool.as_deref());
    /// `compare_scheme { year, form, date }`: 方案对比, the campaign read against an edited
    /// copy of its scheme on the reference date `date` (today when absent), both sides as a
    /// run reads them (nothing is stored).
    fn compare_scheme(year: i32, form: SchemeForm, date: Option<String>) -> Comparison
        = |s| compare::compare(s, year, &form, date.as_deref().map(parse_date).transpose()?);
    /// `publish_campaign { year, docNumber }`: publishes the campaign today (the core's
    /// clock), if its publicity allows it.
    fn publish_campaign(year: i32, doc_number: String) -> Published
        = |s, op| campaign::publish(s, year, &doc_number, mofan::today(), op);
    /// `reopen_campaign { year, reason }`: reopens a published campaign.
    fn reopen_campaign(year: i32, reason: String) -> usize
        = |s, op| campaign::reopen(s, year, &reason, op);
    /// `list_returns { year }`: every current return with its outcome and provenance.
    fn list_returns(year: i32) -> ReturnsList = |s| returns::list(s, year);
    /// `evaluations { year }`: the 测评数据 screen — computed components, their files and
    /// every unit's counts or judges' scores, score or reason, explanation.
    fn evaluations(year: i32) -> EvaluationsView = |s| evaluations::view(s, year);
    /// `withdraw_evaluation_file { year, id }`: withdraws a ballot file or panel sheet
    /// (audited); its counts or scores stop counting.
    fn withdraw_evaluation_file(year: i32, id: i64) -> WithdrawReport
        = |s, op| evaluations::withdraw(s, year, id, op);
    /// `return_history { year, agencyId }`: every return of an agency, oldest first.
    fn return_history(year: i32, agency_id: i64) -> Vec<HistoryItem>
        = |s| returns::history(s, year, agency_id);
    /// `dashboard { year }`: where the campaign stands, with the charts' figures.
    fn dashboard(year: i32) -> Dashboard = |s| dashboard::dashboard(s, year, mofan::today());
    /// `list_awards`: the awards registry.
    fn list_awards() -> Vec<AwardRow> = |s| reviews::registry(s);
    /// `run_review { year, date }`: the review on a date (nothing changes).
    fn run_review(year: i32, date: String) -> ReviewView
        = |s| reviews::run(s, year, parse_date(&date)?);
    /// `applied_review { year }`: the review applied in the year as recorded, or null.
    fn applied_review(year: i32) -> Option<ReviewRecord> = |s| reviews::applied(s, year);
    /// `apply_review { year, date }`: applies the review to the registry (audited); a
    /// second application in the year is refused (`review.already_applied`).
    fn apply_review(year: i32, date: String) -> Applied
        = |s, op| review::apply(s, year, parse_date(&date)?, op);
    /// `mark_rectified { awardId, date }`: accepts a rectification (audited).
    fn mark_rectified(award_id: i64, date: String) -> AwardRow
        = |s, op| review::mark_rectified_by_id(s, award_id, parse_date(&date)?, op);
    /// `list_audit { filter }`: audit rows matching the filter, newest first.
    fn list_audit(filter: Filter) -> Vec<AuditRow> = |s| audit::list(s, &filter);
    /// `verify_audit`: walks the whole hash chain.
    fn verify_audit() -> VerifyReport = |s| mofan::audit::verify(s.conn());
    /// `load_demo`: loads the demo campaign (in its own year, outside the real ones).
    fn load_demo() -> DemoReport = |s, op| mofan::demo::load(s, op);
    /// `campaign_deletion { year }`: what deleting a campaign would remove, and whether it may.
    fn campaign_deletion(year: i32) -> Deletion = |s| campaign::deletion(s, year);
    /// `delete_campaign { year }`: deletes a draft campaign, or the demo (audited).
    fn delete_campaign(year: i32) -> Deletion = |s, op| campaign::delete(s, year, op);
    /// `publicity { year }`: the 公示 panel today — rounds, objections (never their
    /// objectors), why publishing is not possible yet.
    fn publicity(year: i32) -> PublicityView = |s| publicity::view(s, year, mofan::today());
    /// `plan_publicity { year, from, days }`: the round starting on `from` would last to
    /// what day and publicise whom (nothing is stored); `days` null: the scheme's.
    fn plan_publicity(year: i32, from: String, days: Option<u32>) -> PlanView
        = |s| publicity::plan(s, year, parse_date(&from)?, days);
    /// `start_publicity { year, from, days }`: starts a round (or a supplementary one).
    fn start_publicity(year: i32, from: String, days: Option<u32>) -> PlanView
        = |s, op| publicity::start(s, year, parse_date(&from)?, days, op);
    /// `add_objection { year, input }`: records an objection (its objector kept, never shown).
    fn add_objection(year: i32, input: ObjectionInput) -> ObjectionView
        = |s, op| publicity::add_objection(s, year, &input, op);
    /// `resolve_objection { year, id, resolution, reason, date }`: settles an objection;
    /// upheld, the agency is excluded and the selection re-run.
    fn resolve_objection(year: i32, id: i64, resolution: ObjectionResolution, reason: String, date: String) -> ObjectionView
        = |s, op| mofan::publicity::resolve(s, year, id, resolution, &reason, parse_date(&date)?, op);
    /// `search_agencies { query }`: 单位查询 — agencies by part of a name or a USCC's start.
    fn search_agencies(query: String) -> AgencySearch = |s| agency::search(s, &query);
    /// `agency_history { agencyId }`: the agency page (单位历年情况), its ledger coloured.
    fn agency_history(agency_id: i64) -> AgencyPage = |s| agency::page(s, agency_id);
    /// `history_years`: the first and last year of the stored campaigns (null: none), the
    /// range 导出历年情况 offers.
    fn history_years() -> Option<YearRange> = |s| history_ui::campaign_years(s);
    /// `add_supervision { input }`: 登记督查 — records a supervision of an agency
    /// (audited), or answers the refusal at its field.
    fn add_supervision(input: SupervisionInput) -> SupervisionAdded
        = |s, op| supervision_ui::add_supervision(s, &input, op);
    /// `add_accountability { input }`: 登记问责 — records accountability of an agency or a
    /// cadre of it (audited), or answers the refusal at its field.
    fn add_accountability(input: AccountabilityInput) -> AccountabilityAdded
        = |s, op| supervision_ui::add_accountability(s, &input, op);
    /// `supervision_screen { query }`: 监督问责 — the records of every agency, filtered,
    /// each supervision with the ledger items found in it.
    fn supervision_screen(query: SupervisionQuery) -> SupervisionScreen
        = |s| supervision_ui::screen(s, &query);
    /// `add_found_problem { input }`: 新增发现问题 — a problem found in a supervision,
    /// entered into the ledger linked to its record (audited), or the refusal at its field.
    fn add_found_problem(input: FoundInput) -> Added
        = |s, op| supervision_ui::add_found(s, &input, op);
    /// `calendar_year { year }`: a year's holiday arrangement (or that it has none).
    fn calendar_year(year: i32) -> YearView = |s| calendar::show(s, year);
    /// `set_calendar_day { day, kind }`: lists a day as `holiday` or `workday` in its
    /// year's arrangement, or takes it off (`kind` null); audited.
    fn set_calendar_day(day: String, kind: Option<CalendarDayKind>) -> YearView
        = |s, op| calendar::set_day(s, parse_date(&day)?, kind, op);
    /// `notice_sources { year, kind }`: the campaign's notices of a kind with default settings.
    fn notice_sources(year: i32, kind: String) -> CampaignNotices
        = |s| mofan::notice::campaign::notices(s, notices::kind_of(&kind)?, year);
    /// `bulletin_sources { date }`: the 情况通报 of the ledger on a date (no campaign), or
    /// its refusal when no problem is overdue or due soon (`notice.no_problems`).
    fn bulletin_sources(date: String) -> CampaignNotices
        = |s| mofan::notice::campaign::bulletin(s, parse_date(&date)?);
    /// `ledger_view { query }`: 清单台账 — the items with their status on the query's date
    /// (today when absent), the counts per status and the filters' choices.
    fn ledger_view(query: LedgerQuery) -> LedgerView = |s| ledger_ui::view(s, &query);
    /// `add_ledger_item { input }`: 新增事项 (audited `ledger.add`); a refusal comes back
    /// in the answer at the field it concerns.
    fn add_ledger_item(input: LedgerInput) -> Added = |s, op| ledger_ui::add(s, &input, op);
    /// `mark_ledger_done { id, date, evidence }`: 标记完成 (audited `ledger.done`; an item of
    /// a review also accepts its award's rectification).
    fn mark_ledger_done(id: i64, date: String, evidence: Option<String>) -> Marked
        = |s, op| mofan::ledger::mark_done(s, id, parse_date(&date)?, evidence.as_deref(), op);
    /// `ledger_history { id }`: an item's earlier states, oldest first.
    fn ledger_history(id: i64) -> Vec<LedgerChange> = |s| ledger_ui::history(s, id);
    /// `ledger_files`: 清单台账's 已导入文件, withdrawn ones too, oldest first.
    fn ledger_files() -> Vec<FileRow> = |s| ledger_ui::files(s);
    /// `withdraw_ledger_file { id }`: withdraws a ledger file (audited `ledger.withdraw`);
    /// refused, naming the item, when a later change touched one it created or updated.
    fn withdraw_ledger_file(id: i64) -> WithdrawReport = |s, op| ledger_ui::withdraw(s, id, op);
}

/// `create_campaign { year, schemePath }`: creates a campaign; `schemePath` absent or null
/// means the default scheme.
#[tauri::command]
pub async fn create_campaign(
    state: Ctx<'_>,
    year: i32,
    scheme_path: Option<String>,
) -> Reply<CampaignSummary> {
    let scheme_path = scheme_path
        .filter(|p| !p.trim().is_empty())
        .map(|p| state.chosen.check(&p))
        .transpose()?;
    state
        .run_as(move |s, op| campaigns::create(s, year, scheme_path.as_deref(), op))
        .await
}

/// `import_calendar { path }`: imports a chosen holiday-arrangement file (audited); each
/// year it gives replaces that year's arrangement.
#[tauri::command]
pub async fn import_calendar(state: Ctx<'_>, path: String) -> Reply<Vec<ImportedYear>> {
    let path = state.chosen.check(&path)?;
    state
        .run_as(move |s, op| calendar::import_file(s, &path, op))
        .await
}

/// `pick_files { kind }`: opens the open dialog (`kind`: `returns`, `registry`,
/// `evaluations`, `scheme`, `database`, `calendar`, `ledger`) and returns the chosen paths (empty when cancelled); they may then be read.
#[tauri::command]
pub async fn pick_files<R: Runtime>(app: AppHandle<R>, kind: String) -> Reply<Vec<String>> {
    let kind = match kind.as_str() {
        "returns" => OpenKind::Returns,
        "registry" => OpenKind::Registry,
        "evaluations" => OpenKind::Evaluations,
        "scheme" => OpenKind::Scheme,
        "database" => OpenKind::Database,
        "calendar" => OpenKind::Calendar,
        "ledger" => OpenKind::Ledger,
        other => {
            let message = format!("未知的文件类型：{other}");
            return Err(CommandError::new("desktop.bad_request", message));
        }
    };
    blocking(move || {
        let paths = files::pick(&app, &app.state::<AppState>().chosen, kind);
        Ok(paths.iter().map(|p| p.display().to_string()).collect())
    })
    .await
}

/// `preview_import { year, path, mapping }`: what importing a chosen file would do.
#[tauri::command]
pub async fn preview_import(
    state: Ctx<'_>,
    year: i32,
    path: String,
    mapping: Option<Vec<ColumnChoice>>,
) -> Reply<FilePreview> {
    let path = state.chosen.check(&path)?;
    let reports = state.reports.clone();
    reports.forget_preview(&path);
    state
        .run_shared(move |store| {
            let mapping = mapping.unwrap_or_default();
            let (preview, report) = imports::preview(store, year, &path, &mapping)?;
            reports.keep_preview(&path, preview.clone(), report);
            Ok::<_, UiError>(preview)
        })
        .await
}

/// `preview_evaluation { year, component, path }`: what importing a chosen ballot file or
/// panel sheet for a component would do; its report is kept for the error workbook
/// (`save_error_book`).
#[tauri::command]
pub async fn preview_evaluation(
    state: Ctx<'_>,
    year: i32,
    component: String,
    path: String,
) -> Reply<EvaluationPreview> {
    let path = state.chosen.check(&path)?;
    let reports = state.reports.clone();
    state
        .run_shared(move |store| {
            let (preview, report) = evaluations::preview(store, year, &component, &path)?;
            reports.keep(&path, report);
            Ok::<_, UiError>(preview)
        })
        .await
}

/// `import_evaluations { year, component, paths, partial }`: imports chosen ballot files or
/// panel sheets for a component, each in its own transaction; each report is kept for the
/// error workbook.
#[tauri::command]
pub async fn import_evaluations(
    state: Ctx<'_>,
    year: i32,
    component: String,
    paths: Vec<String>,
    partial: bool,
) -> Reply<Vec<FileReport>> {
    let paths = paths
        .iter()
        .map(|p| state.chosen.check(p))
        .collect::<Reply<Vec<_>>>()?;
    let reports = state.reports.clone();
    let operator = state.operator();
    state
        .run_shared(move |store| {
            let opts = ImportOptions { partial, operator };
            let out = evaluations::import_files(store, year, &component, &paths, &opts)?;
            for (path, report) in paths.iter().zip(&out) {
                reports.keep(path, report.clone());
            }
            Ok::<_, UiError>(out)
        })
        .await
}

/// `preview_ledger { path, kind }`: what importing a chosen ledger workbook would do
/// (rows without a 清单类型 cell belong to `kind`); its report is kept for the error
/// workbook (`save_error_book`).
#[tauri::command]
pub async fn preview_ledger(
    state: Ctx<'_>,
    path: String,
    kind: Option<LedgerKind>,
) -> Reply<LedgerPreview> {
    let path = state.chosen.check(&path)?;
    let reports = state.reports.clone();
    state
        .run_shared(move |store| {
            let (preview, report) = ledger_ui::preview(store, &path, kind)?;
            reports.keep(&path, report);
            Ok::<_, UiError>(preview)
        })
        .await
}

/// `import_ledger { paths, kind, partial }`: imports chosen ledger workbooks, each in its
/// own transaction; each report is kept for the error workbook.
#[tauri::command]
pub async fn import_ledger(
    state: Ctx<'_>,
    paths: Vec<String>,
    kind: Option<LedgerKind>,
    partial: bool,
) -> Reply<Vec<FileReport>> {
    let paths = paths
        .iter()
        .map(|p| state.chosen.check(p))
        .collect::<Reply<Vec<_>>>()?;
    let reports = state.reports.clone();
    let operator = state.operator();
    state
        .run_shared(move |store| {
            let opts = ImportOptions { partial, operator };
            let out = ledger_ui::import_files(store, &paths, kind, &opts)?;
            for (path, report) in paths.iter().zip(&out) {
                reports.keep(path, report.clone());
            }
            Ok::<_, UiError>(out)
        })
        .await
}

/// `import_batch_view { paths, partial }`: the chosen files as last checked, counted by
/// state, with the files 导入 sends and what a partial import leaves out.
#[tauri::command]
pub fn import_batch_view(state: Ctx<'_>, paths: Vec<String>, partial: bool) -> Reply<BatchView> {
    let paths = paths
        .iter()
        .map(|p| state.chosen.check(p))
        .collect::<Reply<Vec<_>>>()?;
    Ok(state.reports.batch(&paths, partial))
}

/// `import_files { year, files, partial, onEvent }`: imports chosen files one by one,
/// sending `ImportEvent`s on the channel (each file's start, its reading's progress and
/// its end); `cancel_import` stops before the next file.
#[tauri::command]
pub async fn import_files(
    state: Ctx<'_>,
    year: i32,
    files: Vec<ImportRequest>,
    partial: bool,
    on_event: Channel<ImportEvent>,
) -> Reply<BatchOutcome> {
    let batch = files
        .into_iter()
        .map(|f| Ok((state.chosen.check(&f.path)?, f.mapping)))
        .collect::<Reply<Vec<_>>>()?;
    if state.importing.swap(true, Ordering::SeqCst) {
        let message = "正在导入其他文件，请等待完成或取消后再试";
        return Err(CommandError::new("desktop.import_running", message));
    }
    state.cancel_import.store(false, Ordering::SeqCst);
    let (cancel, reports) = (state.cancel_import.clone(), state.reports.clone());
    let operator = state.operator();
    let outcome = state
        .run_shared(move |store| {
            let opts = ImportOptions { partial, operator };
            let send = |event| drop(on_event.send(event));
            let out = imports::import_batch(store, year, &batch, &opts, &cancel, send)?;
            for ((path, _), report) in batch.iter().zip(&out.reports) {
                reports.keep(path, report.clone());
            }
            Ok::<_, UiError>(out)
        })
        .await;
    state.importing.store(false, Ordering::SeqCst);
    outcome
}

/// `cancel_import`: asks the running batch to stop before its next file.
#[tauri::command]
pub fn cancel_import(state: Ctx<'_>) {
    state.cancel_import.store(true, Ordering::SeqCst);
}

/// `save_error_book { paths }`: asks where to save, then writes the error workbook of the
/// latest reports of these chosen files. Returns the saved path, or null when cancelled.
#[tauri::command]
pub async fn save_error_book<R: Runtime>(
    app: AppHandle<R>,
    state: Ctx<'_>,
    paths: Vec<String>,
) -> Reply<Option<String>> {
    let paths: Vec<_> = paths
        .iter()
        .map(|p| state.chosen.check(p))
        .collect::<Reply<_>>()?;
    let reports = state.reports.with_errors(&paths)?;
    let names = ("保存错误报告".into(), "错误报告.xlsx".into());
    save_as(app, names, XLSX, move |out| {
        imports::write_error_book(out, &reports)
    })
    .await
}

/// `import_registry { path, partial }`: imports a chosen awards registry.
#[tauri::command]
pub async fn import_registry(state: Ctx<'_>, path: String, partial: bool) -> Reply<FileReport> {
    let path = state.chosen.check(&path)?;
    let reports = state.reports.clone();
    state
        .run_as(move |s, op| {
            let opts = ImportOptions {
                partial,
                operator: op.to_string(),
            };
            let registry = mofan::import::Registry::open(s)?;
            let report = mofan::import::import_file(s, &registry, &path, &opts)?;
            reports.keep(&path, report.clone());
            Ok::<_, mofan::import::ImportError>(report)
        })
        .await
}

/// `get_settings`: the operator's name, the database location and the settings file.
#[tauri::command]
pub fn get_settings(state: Ctx<'_>) -> SettingsView {
    settings::view(&state)
}

/// `set_operator { name }`: sets the operator's name (blank: the default).
#[tauri::command]
pub fn set_operator(state: Ctx<'_>, name: String) -> Reply<SettingsView> {
    settings::set_operator(&state, &name)
}

/// `choose_database`: asks for a database file (an existing one or a new name) and works
/// on it from now on; null when cancelled.
#[tauri::command]
pub async fn choose_database<R: Runtime>(app: AppHandle<R>) -> Reply<Option<SettingsView>> {
    blocking(move || {
        let filter = ("数据库", &["db", "sqlite"][..]);
        let Some(path) = files::save(&app, "选择或新建数据库文件", "mofan.db", filter)
        else {
            return Ok(None);
        };
        settings::use_database(&app.state::<AppState>(), Some(&path)).map(Some)
    })
    .await
}

/// `use_default_database`: goes back to the platform's default database location.
#[tauri::command]
pub async fn use_default_database<R: Runtime>(app: AppHandle<R>) -> Reply<SettingsView> {
    blocking(move || settings::use_database(&app.state::<AppState>(), None)).await
}

/// `restore_database { path }`: replaces the database with a chosen backup (audited).
#[tauri::command]
pub async fn restore_database(state: Ctx<'_>, path: String) -> Reply<()> {
    let path = state.chosen.check(&path)?;
    state
        .run_as(move |s, op| mofan::backup::restore(s, &path, op).map(drop))
        .await
}

/// `check_scheme { form }`: the core's verdict on a form (its TOML, or every issue).
#[tauri::command]
pub async fn check_scheme(form: SchemeForm) -> Reply<Checked> {
    blocking(move || Ok(form.check())).await
}

/// `import_scheme { path }`: reads a chosen scheme file into a form (nothing is saved).
#[tauri::command]
pub async fn import_scheme(state: Ctx<'_>, path: String) -> Reply<SchemeForm> {
    let path = state.chosen.check(&path)?;
    blocking(move || Ok(ui_scheme::import_file(&path)?)).await
}

/// `preview_notice { settings, notice }`: one notice's filled words for the preview.
#[tauri::command]
pub async fn preview_notice(settings: NoticeSettings, notice: Notice) -> Reply<Preview> {
    blocking(move || Ok(mofan::notice::preview::preview(&settings, &notice)?)).await
}
