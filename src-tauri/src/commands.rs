//! Tauri commands. Each one is async and moves its database work to a blocking thread, so
//! the window stays responsive while SQLite works.

use std::sync::atomic::Ordering;

use mofan::audit::{Filter, VerifyReport};
use mofan::campaign::CampaignSummary;
use mofan::import::{ColumnChoice, FieldChoice, FileReport, ImportOptions, WithdrawReport};
use mofan::review::Applied;
use mofan::store::audit_log::AuditRow;
use mofan::store::awards::AwardRow;
use mofan::store::files::FileRow;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::audit_log::{self, TableCell};
use crate::dashboard::Dashboard;
use crate::files::{self, OpenKind};
use crate::imports::{self, BatchOutcome, FilePreview, ImportEvent, ImportRequest};
use crate::notices;
use crate::results::{self, Comparison, OverrideInput, ResultsView};
use crate::returns::{self, HistoryItem, ReturnsList};
use crate::reviews::{self, ReviewView};
use crate::scheme::{self, Checked, SchemeForm, SchemeView};
use crate::settings::{self, SettingsView};
use crate::{AppState, CommandError};

/// The save dialog's filter for Excel workbooks.
const XLSX: (&str, &[&str]) = ("Excel 工作簿", &["xlsx"]);

async fn blocking<T, F>(work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(CommandError::task_failed)?
}

/// `vocabulary`: every key → label list of the core's vocabulary (tiers, statuses,
/// outcomes, fields), which the window loads once at start instead of typing the labels.
#[tauri::command]
pub fn vocabulary() -> mofan::vocab::Labels {
    mofan::vocab::labels()
}

/// `list_campaigns`: every campaign, as `CampaignSummary` rows.
#[tauri::command]
pub async fn list_campaigns(
    state: State<'_, AppState>,
) -> Result<Vec<CampaignSummary>, CommandError> {
    let store = state.store()?;
    blocking(move || crate::list_campaigns(&store)).await
}

/// `create_campaign { year, schemePath }`: creates a campaign; `schemePath` absent or null
/// means the default scheme.
#[tauri::command]
pub async fn create_campaign(
    state: State<'_, AppState>,
    year: i32,
    scheme_path: Option<String>,
) -> Result<CampaignSummary, CommandError> {
    let store = state.store()?;
    let scheme_path = scheme_path
        .filter(|p| !p.trim().is_empty())
        .map(|p| state.chosen.check(&p))
        .transpose()?;
    let operator = state.operator();
    blocking(move || crate::create_campaign(&store, year, scheme_path.as_deref(), &operator)).await
}

/// `pick_files { kind }`: opens the open dialog (`kind`: `returns`, `registry`, `scheme`,
/// `database`) and returns the chosen paths (empty when cancelled); they may then be read.
#[tauri::command]
pub async fn pick_files<R: Runtime>(
    app: AppHandle<R>,
    kind: String,
) -> Result<Vec<String>, CommandError> {
    let kind = match kind.as_str() {
        "returns" => OpenKind::Returns,
        "registry" => OpenKind::Registry,
        "scheme" => OpenKind::Scheme,
        "database" => OpenKind::Database,
        other => {
            return Err(CommandError::new(
                "desktop.bad_request",
                format!("未知的文件类型：{other}"),
            ))
        }
    };
    blocking(move || {
        let state = app.state::<AppState>();
        let paths = files::pick(&app, &state.chosen, kind);
        Ok(paths.iter().map(|p| p.display().to_string()).collect())
    })
    .await
}

/// `import_field_choices { year }`: the fields a column can be mapped to.
#[tauri::command]
pub async fn import_field_choices(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Vec<FieldChoice>, CommandError> {
    let store = state.store()?;
    blocking(move || imports::field_choices(&store, year)).await
}

/// `preview_import { year, path, mapping }`: what importing a chosen file would do.
#[tauri::command]
pub async fn preview_import<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    path: String,
    mapping: Option<Vec<ColumnChoice>>,
) -> Result<FilePreview, CommandError> {
    let state = app.state::<AppState>();
    let store = state.store()?;
    let path = state.chosen.check(&path)?;
    let app = app.clone();
    blocking(move || {
        let (preview, report) =
            imports::preview(&store, year, &path, &mapping.unwrap_or_default())?;
        app.state::<AppState>().reports.keep(&path, report);
        Ok(preview)
    })
    .await
}

/// `import_files { year, files, partial, onEvent }`: imports chosen files one by one,
/// sending `ImportEvent`s on the channel; `cancel_import` stops before the next file.
#[tauri::command]
pub async fn import_files<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    files: Vec<ImportRequest>,
    partial: bool,
    on_event: Channel<ImportEvent>,
) -> Result<BatchOutcome, CommandError> {
    let state = app.state::<AppState>();
    let store = state.store()?;
    let batch = files
        .into_iter()
        .map(|f| Ok((state.chosen.check(&f.path)?, f.mapping)))
        .collect::<Result<Vec<_>, CommandError>>()?;
    if state.importing.swap(true, Ordering::SeqCst) {
        return Err(CommandError::new(
            "desktop.import_running",
            "正在导入其他文件，请等待完成或取消后再试",
        ));
    }
    state.cancel_import.store(false, Ordering::SeqCst);
    let cancel = state.cancel_import.clone();
    let app2 = app.clone();
    let outcome = blocking(move || {
        let opts = ImportOptions {
            partial,
            operator: app2.state::<AppState>().operator(),
        };
        let out = imports::import_batch(&store, year, &batch, &opts, &cancel, |event| {
            let _ = on_event.send(event);
        })?;
        let state = app2.state::<AppState>();
        for ((path, _), report) in batch.iter().zip(&out.reports) {
            state.reports.keep(path, report.clone());
        }
        Ok(out)
    })
    .await;
    state.importing.store(false, Ordering::SeqCst);
    outcome
}

/// `cancel_import`: asks the running batch to stop before its next file.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import.store(true, Ordering::SeqCst);
}

/// `list_imported_files { year }`: every imported file of a campaign, oldest first.
#[tauri::command]
pub async fn list_imported_files(
    state: State<'_, AppState>,
    year: i32,
) -> Result<Vec<FileRow>, CommandError> {
    let store = state.store()?;
    blocking(move || imports::list_files(&store, year)).await
}

/// `withdraw_file { year, id }`: withdraws an imported file (audited).
#[tauri::command]
pub async fn withdraw_file(
    state: State<'_, AppState>,
    year: i32,
    id: i64,
) -> Result<WithdrawReport, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || imports::withdraw(&store, year, id, &operator)).await
}

/// `save_error_book { paths }`: asks where to save, then writes the error workbook of the
/// latest reports of these chosen files. Returns the saved path, or null when cancelled.
#[tauri::command]
pub async fn save_error_book<R: Runtime>(
    app: AppHandle<R>,
    paths: Vec<String>,
) -> Result<Option<String>, CommandError> {
    let state = app.state::<AppState>();
    let paths = paths
        .iter()
        .map(|p| state.chosen.check(p))
        .collect::<Result<Vec<_>, _>>()?;
    let reports = state.reports.with_errors(&paths);
    if reports.is_empty() {
        return Err(CommandError::new(
            "desktop.no_errors",
            "所选文件没有错误，无需生成错误报告",
        ));
    }
    let app = app.clone();
    blocking(move || {
        let Some(out) = files::save(&app, "保存错误报告", "错误报告.xlsx", XLSX) else {
            return Ok(None);
        };
        imports::write_error_book(&out, &reports)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `current_results { year }`: the selection as it stands (nothing changes).
#[tauri::command]
pub async fn current_results(
    state: State<'_, AppState>,
    year: i32,
) -> Result<ResultsView, CommandError> {
    let store = state.store()?;
    blocking(move || results::current(&store, year)).await
}

/// `run_selection { year }`: runs the selection (a draft campaign becomes `selected`).
#[tauri::command]
pub async fn run_selection(
    state: State<'_, AppState>,
    year: i32,
) -> Result<ResultsView, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || results::run(&store, year, &operator)).await
}

/// `set_override { year, input: {agencyId, action, reason, confirm} }`: a panel decision.
#[tauri::command]
pub async fn set_override(
    state: State<'_, AppState>,
    year: i32,
    input: OverrideInput,
) -> Result<ResultsView, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || results::set_override(&store, year, &input, &operator)).await
}

/// `campaign_scheme_text { year }`: the campaign's scheme as TOML.
#[tauri::command]
pub async fn campaign_scheme_text(
    state: State<'_, AppState>,
    year: i32,
) -> Result<String, CommandError> {
    let store = state.store()?;
    blocking(move || results::scheme_text(&store, year)).await
}

/// `compare_scheme { year, toml }`: the what-if comparison against an edited scheme.
#[tauri::command]
pub async fn compare_scheme(
    state: State<'_, AppState>,
    year: i32,
    toml: String,
) -> Result<Comparison, CommandError> {
    let store = state.store()?;
    blocking(move || results::compare(&store, year, &toml)).await
}

/// `export_results { year, reviewDate }`: asks where to save and writes the result
/// workbook (with the review on `reviewDate` when given); returns the path, or null when
/// cancelled.
#[tauri::command]
pub async fn export_results<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    review_date: Option<String>,
) -> Result<Option<String>, CommandError> {
    let store = app.state::<AppState>().store()?;
    let review_date = review_date
        .as_deref()
        .map(reviews::parse_date)
        .transpose()?;
    let app = app.clone();
    blocking(move || {
        let name = format!("{year}年度评选结果.xlsx");
        let Some(out) = files::save(&app, "导出评选结果", &name, XLSX) else {
            return Ok(None);
        };
        results::export(&store, year, &out, review_date)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `publish_campaign { year, docNumber }`: publishes the campaign.
#[tauri::command]
pub async fn publish_campaign(
    state: State<'_, AppState>,
    year: i32,
    doc_number: String,
) -> Result<mofan::campaign::Published, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || results::publish(&store, year, &doc_number, &operator)).await
}

/// `reopen_campaign { year, reason }`: reopens a published campaign.
#[tauri::command]
pub async fn reopen_campaign(
    state: State<'_, AppState>,
    year: i32,
    reason: String,
) -> Result<usize, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || results::reopen(&store, year, &reason, &operator)).await
}

/// `list_returns { year }`: every current return with its outcome and provenance.
#[tauri::command]
pub async fn list_returns(
    state: State<'_, AppState>,
    year: i32,
) -> Result<ReturnsList, CommandError> {
    let store = state.store()?;
    blocking(move || returns::list(&store, year)).await
}

/// `return_history { year, agencyId }`: every return of an agency, oldest first.
#[tauri::command]
pub async fn return_history(
    state: State<'_, AppState>,
    year: i32,
    agency_id: i64,
) -> Result<Vec<HistoryItem>, CommandError> {
    let store = state.store()?;
    blocking(move || returns::history(&store, year, agency_id)).await
}

/// `export_returns { year, agencyIds }`: asks where to save and writes these returns (in
/// this order) as a workbook; returns the path, or null when cancelled.
#[tauri::command]
pub async fn export_returns<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    agency_ids: Vec<i64>,
) -> Result<Option<String>, CommandError> {
    let store = app.state::<AppState>().store()?;
    let app = app.clone();
    blocking(move || {
        let name = format!("{year}年度参评单位.xlsx");
        let Some(out) = files::save(&app, "导出参评单位", &name, XLSX) else {
            return Ok(None);
        };
        returns::export(&store, year, &agency_ids, &out)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `dashboard { year }`: where the campaign stands, with the charts' figures.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, year: i32) -> Result<Dashboard, CommandError> {
    let store = state.store()?;
    blocking(move || crate::dashboard::dashboard(&store, year)).await
}

/// `import_registry { path, partial }`: imports a chosen awards registry.
#[tauri::command]
pub async fn import_registry<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    partial: bool,
) -> Result<FileReport, CommandError> {
    let state = app.state::<AppState>();
    let store = state.store()?;
    let path = state.chosen.check(&path)?;
    let app = app.clone();
    let operator = app.state::<AppState>().operator();
    blocking(move || {
        let report = reviews::import_registry(&store, &path, partial, &operator)?;
        app.state::<AppState>().reports.keep(&path, report.clone());
        Ok(report)
    })
    .await
}

/// `list_awards`: the awards registry.
#[tauri::command]
pub async fn list_awards(state: State<'_, AppState>) -> Result<Vec<AwardRow>, CommandError> {
    let store = state.store()?;
    blocking(move || reviews::registry(&store)).await
}

/// `run_review { year, date }`: the review on a date (nothing changes).
#[tauri::command]
pub async fn run_review(
    state: State<'_, AppState>,
    year: i32,
    date: String,
) -> Result<ReviewView, CommandError> {
    let store = state.store()?;
    let date = reviews::parse_date(&date)?;
    blocking(move || reviews::run(&store, year, date)).await
}

/// `apply_review { year, date }`: applies the review to the registry (audited).
#[tauri::command]
pub async fn apply_review(
    state: State<'_, AppState>,
    year: i32,
    date: String,
) -> Result<Applied, CommandError> {
    let store = state.store()?;
    let date = reviews::parse_date(&date)?;
    let operator = state.operator();
    blocking(move || reviews::apply(&store, year, date, &operator)).await
}

/// `mark_rectified { awardId, date }`: accepts a rectification (audited).
#[tauri::command]
pub async fn mark_rectified(
    state: State<'_, AppState>,
    award_id: i64,
    date: String,
) -> Result<AwardRow, CommandError> {
    let store = state.store()?;
    let date = reviews::parse_date(&date)?;
    let operator = state.operator();
    blocking(move || reviews::mark_rectified(&store, award_id, date, &operator)).await
}

/// `list_audit { filter }`: audit rows matching the filter, newest first.
#[tauri::command]
pub async fn list_audit(
    state: State<'_, AppState>,
    filter: Filter,
) -> Result<Vec<AuditRow>, CommandError> {
    let store = state.store()?;
    blocking(move || audit_log::list(&store, &filter)).await
}

/// `verify_audit`: walks the whole hash chain.
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Result<VerifyReport, CommandError> {
    let store = state.store()?;
    blocking(move || audit_log::verify(&store)).await
}

/// `export_table { name, headers, rows }`: asks where to save and writes a table as the
/// window shows it; returns the path, or null when cancelled.
#[tauri::command]
pub async fn export_table<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    headers: Vec<String>,
    rows: Vec<Vec<TableCell>>,
) -> Result<Option<String>, CommandError> {
    let app = app.clone();
    blocking(move || {
        let Some(out) = files::save(&app, &format!("导出{name}"), &format!("{name}.xlsx"), XLSX)
        else {
            return Ok(None);
        };
        audit_log::export_table(&out, &name, &headers, &rows)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `get_settings`: the operator's name, the database location and the settings file.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> SettingsView {
    settings::view(&state)
}

/// `set_operator { name }`: sets the operator's name (blank: the default).
#[tauri::command]
pub fn set_operator(
    state: State<'_, AppState>,
    name: String,
) -> Result<SettingsView, CommandError> {
    settings::set_operator(&state, &name)
}

/// `choose_database`: asks for a database file (an existing one or a new name) and works
/// on it from now on; null when cancelled.
#[tauri::command]
pub async fn choose_database<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<SettingsView>, CommandError> {
    let app = app.clone();
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
pub async fn use_default_database<R: Runtime>(
    app: AppHandle<R>,
) -> Result<SettingsView, CommandError> {
    let app = app.clone();
    blocking(move || settings::use_database(&app.state::<AppState>(), None)).await
}

/// `backup_database`: asks where to save and writes a backup; null when cancelled.
#[tauri::command]
pub async fn backup_database<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Option<String>, CommandError> {
    let app = app.clone();
    blocking(move || {
        let name = format!("mofan备份{}.db", chrono::Local::now().format("%Y%m%d"));
        let Some(out) = files::save(&app, "备份数据库", &name, ("数据库备份", &["db"][..]))
        else {
            return Ok(None);
        };
        settings::backup(&app.state::<AppState>(), &out)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `restore_database { path }`: replaces the database with a chosen backup (audited).
#[tauri::command]
pub async fn restore_database<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<(), CommandError> {
    let state = app.state::<AppState>();
    let path = state.chosen.check(&path)?;
    let operator = state.operator();
    let app = app.clone();
    blocking(move || settings::restore(&app.state::<AppState>(), &path, &operator)).await
}

/// `load_demo { year }`: loads the demo campaign of a year not used yet.
#[tauri::command]
pub async fn load_demo<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
) -> Result<mofan::demo::DemoReport, CommandError> {
    let operator = app.state::<AppState>().operator();
    let app = app.clone();
    blocking(move || settings::load_demo(&app.state::<AppState>(), year, &operator)).await
}

/// `load_scheme { year }`: the campaign's scheme as a form.
#[tauri::command]
pub async fn load_scheme(
    state: State<'_, AppState>,
    year: i32,
) -> Result<SchemeView, CommandError> {
    let store = state.store()?;
    blocking(move || scheme::load(&store, year)).await
}

/// `check_scheme { form }`: the core's verdict on a form (its TOML, or every issue).
#[tauri::command]
pub async fn check_scheme(form: SchemeForm) -> Result<Checked, CommandError> {
    blocking(move || Ok(scheme::check(&form))).await
}

/// `save_scheme { year, form }`: saves a form as the campaign's scheme (audited).
#[tauri::command]
pub async fn save_scheme(
    state: State<'_, AppState>,
    year: i32,
    form: SchemeForm,
) -> Result<CampaignSummary, CommandError> {
    let store = state.store()?;
    let operator = state.operator();
    blocking(move || scheme::save(&store, year, &form, &operator)).await
}

/// `import_scheme { path }`: reads a chosen scheme file into a form (nothing is saved).
#[tauri::command]
pub async fn import_scheme(
    state: State<'_, AppState>,
    path: String,
) -> Result<SchemeForm, CommandError> {
    let path = state.chosen.check(&path)?;
    blocking(move || scheme::import_file(&path)).await
}

/// `export_scheme { form, name }`: asks where to save and writes a valid form as TOML;
/// null when cancelled.
#[tauri::command]
pub async fn export_scheme<R: Runtime>(
    app: AppHandle<R>,
    form: SchemeForm,
    name: String,
) -> Result<Option<String>, CommandError> {
    let app = app.clone();
    blocking(move || {
        let toml = scheme::toml_of(&form)?;
        let filter = ("评选方案", &["toml"][..]);
        let Some(out) = files::save(&app, "导出评选方案", &name, filter) else {
            return Ok(None);
        };
        mofan::export::write_atomic(&out, toml.as_bytes()).map_err(|e| {
            CommandError::new(
                "desktop.write_file",
                format!("无法写入 {}：{}", out.display(), crate::io_message(&e)),
            )
        })?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `save_template { form, year }`: asks where to save and writes the return template of a
/// valid form; null when cancelled.
#[tauri::command]
pub async fn save_template<R: Runtime>(
    app: AppHandle<R>,
    form: SchemeForm,
    year: i32,
) -> Result<Option<String>, CommandError> {
    let app = app.clone();
    blocking(move || {
        scheme::toml_of(&form)?;
        let name = format!("{year}年度申报模板.xlsx");
        let Some(out) = files::save(&app, "下载申报模板", &name, XLSX) else {
            return Ok(None);
        };
        scheme::write_template(&form, year, &out)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}

/// `notice_sources { year, kind }`: the campaign's notices of a kind with default settings.
#[tauri::command]
pub async fn notice_sources(
    state: State<'_, AppState>,
    year: i32,
    kind: String,
) -> Result<mofan::notice::campaign::CampaignNotices, CommandError> {
    let store = state.store()?;
    let kind = notices::kind_of(&kind)?;
    blocking(move || notices::sources(&store, year, kind)).await
}

/// `preview_notice { settings, notice }`: one notice's filled words for the preview.
#[tauri::command]
pub async fn preview_notice(
    settings: mofan::notice::NoticeSettings,
    notice: mofan::notice::Notice,
) -> Result<mofan::notice::preview::Preview, CommandError> {
    blocking(move || notices::preview(&settings, &notice)).await
}

/// `export_notices { year, settings, notices }`: asks where to save and writes the
/// notices as one .docx; returns the path, or null when cancelled.
#[tauri::command]
pub async fn export_notices<R: Runtime>(
    app: AppHandle<R>,
    year: i32,
    settings: mofan::notice::NoticeSettings,
    notices: Vec<mofan::notice::Notice>,
) -> Result<Option<String>, CommandError> {
    let app = app.clone();
    blocking(move || {
        let name = notices::file_name(year, &notices);
        let filter = ("Word 文档", &["docx"][..]);
        let Some(out) = files::save(&app, "导出通知文书", &name, filter) else {
            return Ok(None);
        };
        notices::export(&out, &settings, &notices)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}
