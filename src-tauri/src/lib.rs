//! 模范机关评选 desktop shell.
//!
//! A thin Tauri adapter over the `mofan` core: every command converts its arguments,
//! calls one core function (the screens' views are in `mofan::ui`) on the store opened at
//! start-up, and maps a core error to [`CommandError`] (`{code, message}`, the message
//! already in Chinese) with `?`. This file only wires the app together:
//! [`state`] holds what the window works on, [`window`] its size and dropped files,
//! [`setup`] the start-up, [`commands`] the commands, [`files`] the dialogs and the files
//! the user chose, [`settings`] the remembered preferences. The window's TypeScript types
//! are generated from the Rust types the commands send and receive by development tooling
//! outside `src/` (`bindings.rs`, used by `examples/gen-bindings.rs` and `tests/bindings.rs`).

use tauri::{Manager, Runtime};

pub mod commands;
pub mod error;
pub mod files;
pub mod settings;
pub mod setup;
pub mod state;
pub mod window;

pub use error::{io_message, CommandError};
pub use state::{database_from_env, lock, AppState};

/// The application on any runtime: the dialog plugin, the state made by `start`, the
/// window events and every command. [`run`] gives it the real runtime, the bundled
/// frontend and [`setup::start`]; the tests give it Tauri's mock runtime and a state on a
/// temporary database.
///
/// The state is made as soon as the app is built, not in Tauri's setup hook: that hook
/// runs only once the event loop starts, and a test never starts it.
pub fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    context: tauri::Context<R>,
    start: impl FnOnce(&tauri::App<R>) -> AppState,
) -> tauri::Result<tauri::App<R>> {
    let app = builder
        .plugin(tauri_plugin_dialog::init())
        // The main window exists from here on.
        .setup(|app| {
            window::restore_size(app);
            Ok(())
        })
        .on_window_event(window::on_event)
        .invoke_handler(tauri::generate_handler![
            commands::vocabulary,
            commands::list_campaigns,
            commands::create_campaign,
            commands::pick_files,
            commands::import_field_choices,
            commands::preview_import,
            commands::import_batch_view,
            commands::import_files,
            commands::cancel_import,
            commands::list_imported_files,
            commands::withdraw_file,
            commands::save_error_book,
            commands::current_results,
            commands::run_selection,
            commands::set_override,
            commands::compare_scheme,
            commands::export_results,
            commands::export_evaluations,
            commands::publish_campaign,
            commands::reopen_campaign,
            commands::list_returns,
            commands::evaluations,
            commands::preview_evaluation,
            commands::preview_ledger,
            commands::import_ledger,
            commands::export_ledger,
            commands::history_years,
            commands::export_history,
            commands::ledger_view,
            commands::add_ledger_item,
            commands::mark_ledger_done,
            commands::ledger_history,
            commands::ledger_files,
            commands::withdraw_ledger_file,
            commands::bulletin_sources,
            commands::import_evaluations,
            commands::withdraw_evaluation_file,
            commands::return_history,
            commands::export_returns,
            commands::dashboard,
            commands::import_registry,
            commands::list_awards,
            commands::run_review,
            commands::applied_review,
            commands::apply_review,
            commands::mark_rectified,
            commands::list_audit,
            commands::verify_audit,
            commands::export_table,
            commands::get_settings,
            commands::set_operator,
            commands::choose_database,
            commands::use_default_database,
            commands::backup_database,
            commands::restore_database,
            commands::load_demo,
            commands::campaign_deletion,
            commands::delete_campaign,
            commands::load_scheme,
            commands::check_scheme,
            commands::save_scheme,
            commands::import_scheme,
            commands::export_scheme,
            commands::save_template,
            commands::publicity,
            commands::plan_publicity,
            commands::start_publicity,
            commands::add_objection,
            commands::resolve_objection,
            commands::search_agencies,
            commands::agency_history,
            commands::add_supervision,
            commands::add_accountability,
            commands::supervision_screen,
            commands::add_found_problem,
            commands::calendar_year,
            commands::set_calendar_day,
            commands::import_calendar,
            commands::notice_sources,
            commands::preview_notice,
            commands::export_notices,
        ])
        .build(context)?;
    let state = start(&app);
    app.manage(state);
    Ok(app)
}

/// Builds and runs the application; returns when the last window is closed.
pub fn run() {
    let app = build_app(
        tauri::Builder::default(),
        tauri::generate_context!(),
        setup::start,
    );
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("mofan-desktop: 无法启动窗口：{err}");
            std::process::exit(1);
        }
    }
}
