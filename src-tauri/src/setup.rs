//! Start-up of the real app: where the settings file is, and opening the database it
//! names.

use std::path::PathBuf;

use tauri::{Manager, Runtime};

use crate::{settings, AppState};

/// The state of the app as the user starts it: the settings file is `$MOFAN_SETTINGS`, else
/// `settings.json` in the platform's config directory for the app.
pub fn start<R: Runtime>(app: &tauri::App<R>) -> AppState {
    let settings_path = std::env::var_os(settings::SETTINGS_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            app.path()
                .app_config_dir()
                .ok()
                .map(|d| d.join("settings.json"))
        });
    let state = AppState::start(settings_path);
    match (state.store(), state.path()) {
        (Ok(_), Some(path)) => eprintln!("mofan-desktop: 数据库 {}", path.display()),
        (Err(err), _) => eprintln!("mofan-desktop: 无法打开数据库：{err}"),
        (Ok(_), None) => {}
    }
    state
}
