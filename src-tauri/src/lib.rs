//! 模范机关评选 desktop shell.
//!
//! A thin Tauri adapter over the `mofan` core: every command converts its arguments,
//! calls one core function on the store opened at start-up and maps a core error to
//! [`CommandError`] (`{code, message}`, the message already in Chinese).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use mofan::campaign::{self, CampaignSummary};
use mofan::store::Store;
use mofan::Coded;
use serde::Serialize;
use tauri::{Emitter, Manager};

pub mod audit_log;
pub mod commands;
pub mod dashboard;
pub mod files;
pub mod imports;
pub mod notices;
pub mod results;
pub mod returns;
pub mod reviews;
pub mod scheme;
pub mod settings;

use settings::{Settings, WindowSize};

/// An error as the front end receives it: a stable `code` and a Chinese `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// Machine-readable code, from the core's [`Coded::code`] or one of this crate's own.
    pub code: String,
    /// Message for the user, shown as is.
    pub message: String,
}

impl CommandError {
    /// An error of this crate's own.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// Maps any core error: its code and its Chinese `Display` text.
    pub fn from_core<E: Coded + std::fmt::Display>(err: E) -> Self {
        Self {
            code: err.code().to_string(),
            message: err.to_string(),
        }
    }

    /// A database error met while reading the store directly.
    pub fn store<E: Into<mofan::store::StoreError>>(err: E) -> Self {
        Self::from_core(err.into())
    }

    /// The store lock was poisoned by a panic in an earlier command.
    fn poisoned() -> Self {
        Self {
            code: "desktop.store_poisoned".into(),
            message: "数据库连接因先前的内部错误不可用，请重新启动程序。".into(),
        }
    }

    /// A background task failed to complete (it panicked or was cancelled).
    pub fn task_failed(detail: impl std::fmt::Display) -> Self {
        Self {
            code: "desktop.task_failed".into(),
            message: format!("后台任务异常终止：{detail}"),
        }
    }
}

/// A file-system error in Chinese (the OS text only as a last resort, in brackets).
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在或已被移走".into(),
        K::PermissionDenied => "没有读写权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "该位置只读，不能写入".into(),
        _ => format!("系统错误（{e}）"),
    }
}

/// An RFC 3339 time as "YYYY-MM-DD HH:MM", as stored (no time-zone conversion).
pub fn short_time(at: &str) -> String {
    match (at.get(0..10), at.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => at.to_string(),
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}（{}）", self.message, self.code)
    }
}

/// The open database and its path.
struct Db {
    store: Result<Arc<Mutex<Store>>, CommandError>,
    path: Option<PathBuf>,
}

impl Db {
    fn open(path: &Path) -> Db {
        let store = Store::open(path)
            .map(|store| Arc::new(Mutex::new(store)))
            .map_err(CommandError::from_core);
        Db {
            store,
            path: Some(path.to_path_buf()),
        }
    }
}

/// What the window works on: the database (opened at start-up, and again when the user
/// chooses another location), the remembered settings, and the state of the import screen.
///
/// When opening the database fails the window still starts; every command then returns the
/// opening error, so the user sees why (for example a database path that cannot be written).
pub struct AppState {
    db: RwLock<Db>,
    settings: Mutex<Settings>,
    settings_path: Option<PathBuf>,
    /// Files the user chose to be read.
    pub chosen: files::Chosen,
    /// The latest report of each chosen file, for the error workbook.
    pub reports: imports::Reports,
    /// Set while a batch import runs (one at a time).
    pub importing: AtomicBool,
    /// Asks the running batch import to stop before its next file.
    pub cancel_import: Arc<AtomicBool>,
    /// Counts window resizes, so that only the last of a quick series is saved.
    resizes: AtomicU64,
}

/// Whether `$MOFAN_DB` names the database (the location setting then does not apply).
pub fn database_from_env() -> Option<PathBuf> {
    std::env::var_os("MOFAN_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

impl AppState {
    fn new(db: Db, settings: Settings, settings_path: Option<PathBuf>) -> Self {
        Self {
            db: RwLock::new(db),
            settings: Mutex::new(settings),
            settings_path,
            chosen: files::Chosen::default(),
            reports: imports::Reports::default(),
            importing: AtomicBool::new(false),
            cancel_import: Arc::new(AtomicBool::new(false)),
            resizes: AtomicU64::new(0),
        }
    }

    /// Reads the settings file (when there is one) and opens the database: `$MOFAN_DB`,
    /// else the location chosen in the settings, else the platform data directory.
    pub fn start(settings_path: Option<PathBuf>) -> Self {
        let settings = settings_path
            .as_deref()
            .map(Settings::load)
            .unwrap_or_default();
        let chosen = database_from_env().or_else(|| settings.database.clone());
        let db = match Store::resolve_path(chosen.as_deref()) {
            Ok(path) => Db::open(&path),
            Err(err) => Db {
                store: Err(CommandError::from_core(err)),
                path: None,
            },
        };
        Self::new(db, settings, settings_path)
    }

    /// Opens the database at `path`, with default settings that are not saved (tests).
    pub fn open(path: &Path) -> Self {
        Self::new(Db::open(path), Settings::default(), None)
    }

    /// The path of the database, when one could be resolved.
    pub fn path(&self) -> Option<PathBuf> {
        self.db.read().ok().and_then(|db| db.path.clone())
    }

    /// A handle on the open store that can move to a blocking task, or the opening error.
    pub fn store(&self) -> Result<Arc<Mutex<Store>>, CommandError> {
        self.db
            .read()
            .map_err(|_| CommandError::poisoned())?
            .store
            .clone()
    }

    /// Opens the database at `path` and, when that works, works on it from now on. The
    /// database in use stays when the new one cannot be opened.
    pub fn switch_database(&self, path: &Path) -> Result<(), CommandError> {
        let db = Db::open(path);
        db.store.as_ref().map_err(Clone::clone)?;
        *self.db.write().map_err(|_| CommandError::poisoned())? = db;
        Ok(())
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Changes the settings and saves them (when the app has a settings file).
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> Result<(), CommandError> {
        let mut s = self.settings.lock().map_err(|_| CommandError::poisoned())?;
        change(&mut s);
        match &self.settings_path {
            Some(path) => s.save(path),
            None => Ok(()),
        }
    }

    /// The operator's name recorded in the audit log.
    pub fn operator(&self) -> String {
        self.settings().operator()
    }

    /// The settings file, if the app has one.
    pub fn settings_path(&self) -> Option<&Path> {
        self.settings_path.as_deref()
    }
}

/// Locks the store, or says that an earlier panic made it unusable.
pub fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>, CommandError> {
    store.lock().map_err(|_| CommandError::poisoned())
}

/// All campaigns, as the core lists them.
pub fn list_campaigns(store: &Mutex<Store>) -> Result<Vec<CampaignSummary>, CommandError> {
    let store = lock(store)?;
    campaign::list(&store).map_err(CommandError::from_core)
}

/// Creates the campaign of `year` with the default scheme, or with the scheme read from the
/// TOML file at `scheme_path`.
pub fn create_campaign(
    store: &Mutex<Store>,
    year: i32,
    scheme_path: Option<&Path>,
    operator: &str,
) -> Result<CampaignSummary, CommandError> {
    let scheme = scheme_path
        .map(campaign::read_scheme_file)
        .transpose()
        .map_err(CommandError::from_core)?;
    let mut store = lock(store)?;
    campaign::create(&mut store, year, scheme.as_deref(), operator).map_err(CommandError::from_core)
}

/// Remembers the window's size when it closes.
fn remember_window<R: tauri::Runtime>(window: &tauri::Window<R>) {
    let state = window.state::<AppState>();
    let (Ok(size), Ok(scale)) = (window.inner_size(), window.scale_factor()) else {
        return;
    };
    let maximized = window.is_maximized().unwrap_or(false);
    let _ = state.update_settings(|s| {
        // A maximised window keeps the size it had before.
        let (width, height) = match (maximized, s.window) {
            (true, Some(w)) => (w.width, w.height),
            _ => (
                f64::from(size.width) / scale,
                f64::from(size.height) / scale,
            ),
        };
        s.window = Some(WindowSize {
            width,
            height,
            maximized,
        });
    });
}

/// Builds and runs the application; returns when the last window is closed.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
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
            if let (Some(w), Some(window)) =
                (state.settings().window, app.get_webview_window("main"))
            {
                let w = w.clamped();
                let _ = window.set_size(tauri::LogicalSize::new(w.width, w.height));
                if w.maximized {
                    let _ = window.maximize();
                }
            }
            app.manage(state);
            Ok(())
        })
        .on_window_event(|window, event| match event {
            // Dropped files and folders: the folders' workbooks become chosen files, and the
            // window hears of them only after they are allowed.
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                let paths = files::expand_dropped(paths);
                let state = window.state::<AppState>();
                state.chosen.add(&paths);
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let _ = window.emit("mofan://files-dropped", names);
            }
            tauri::WindowEvent::CloseRequested { .. } => remember_window(window),
            // Saved half a second after the last of a series of resizes, so a size is kept
            // however the app ends.
            tauri::WindowEvent::Resized(_) => {
                let state = window.state::<AppState>();
                let n = state.resizes.fetch_add(1, Ordering::SeqCst) + 1;
                let window = window.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_millis(500));
                    if window.state::<AppState>().resizes.load(Ordering::SeqCst) == n {
                        remember_window(&window);
                    }
                });
            }
            _ => {}
        })
        .invoke_handler(tauri::generate_handler![
            commands::vocabulary,
            commands::list_campaigns,
            commands::create_campaign,
            commands::pick_files,
            commands::import_field_choices,
            commands::preview_import,
            commands::import_files,
            commands::cancel_import,
            commands::list_imported_files,
            commands::withdraw_file,
            commands::save_error_book,
            commands::current_results,
            commands::run_selection,
            commands::set_override,
            commands::campaign_scheme_text,
            commands::compare_scheme,
            commands::export_results,
            commands::publish_campaign,
            commands::reopen_campaign,
            commands::list_returns,
            commands::return_history,
            commands::export_returns,
            commands::dashboard,
            commands::import_registry,
            commands::list_awards,
            commands::run_review,
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
            commands::load_scheme,
            commands::check_scheme,
            commands::save_scheme,
            commands::import_scheme,
            commands::export_scheme,
            commands::save_template,
            commands::notice_sources,
            commands::preview_notice,
            commands::export_notices,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|err| {
            eprintln!("mofan-desktop: 无法启动窗口：{err}");
            std::process::exit(1);
        });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn temp_state() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = AppState::open(&dir.path().join("mofan.db"));
        (dir, state)
    }

    /// A file under the core's tests/fixtures.
    pub(crate) fn fixture(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(rel)
    }

    /// One of the sample returns (shared/samples, copied under tests/fixtures/samples).
    pub(crate) fn sample(name: &str) -> PathBuf {
        fixture("samples").join(name)
    }

    #[test]
    fn io_errors_and_times_read_in_chinese() {
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_message(&e), "文件不存在或已被移走");
        assert_eq!(short_time("2026-11-26T19:20:05+08:00"), "2026-11-26 19:20");
        assert_eq!(short_time("bad"), "bad");
    }

    #[test]
    fn opens_the_store_and_starts_empty() {
        let (_dir, state) = temp_state();
        let store = state.store().expect("store opens");
        assert!(list_campaigns(&store).expect("list").is_empty());
        assert!(state.path().is_some_and(|p| p.ends_with("mofan.db")));
    }

    #[test]
    fn creates_with_the_default_scheme_and_lists_it() {
        let (_dir, state) = temp_state();
        let store = state.store().unwrap();
        let created = create_campaign(&store, 2026, None, "测试员").expect("create");
        assert_eq!(created.year, 2026);
        let rows = list_campaigns(&store).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].year, 2026);
        let json = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(json["status"], "draft");
        assert_eq!(json["returns"], 0);
        assert_eq!(json["files"], 0);
    }

    #[test]
    fn the_same_year_twice_is_a_coded_chinese_error() {
        let (_dir, state) = temp_state();
        let store = state.store().unwrap();
        create_campaign(&store, 2026, None, "测试员").unwrap();
        let err = create_campaign(&store, 2026, None, "测试员").unwrap_err();
        assert!(!err.code.is_empty());
        assert!(
            err.message.contains("2026"),
            "message names the year: {}",
            err.message
        );
        assert!(err
            .message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert_eq!(list_campaigns(&store).unwrap().len(), 1);
    }

    #[test]
    fn creates_from_a_scheme_file() {
        let (dir, state) = temp_state();
        let file = dir.path().join("方案.toml");
        std::fs::write(&file, mofan::scheme::DEFAULT_TOML).unwrap();
        let store = state.store().unwrap();
        let created = create_campaign(&store, 2027, Some(&file), "测试员").expect("create");
        assert_eq!(created.year, 2027);
    }

    #[test]
    fn a_missing_or_invalid_scheme_file_creates_nothing() {
        let (dir, state) = temp_state();
        let store = state.store().unwrap();
        let missing = create_campaign(&store, 2026, Some(&dir.path().join("无.toml")), "测试员");
        assert!(missing.is_err());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "this is = = not toml").unwrap();
        let invalid = create_campaign(&store, 2026, Some(&bad), "测试员").unwrap_err();
        assert!(!invalid.code.is_empty());
        assert!(list_campaigns(&store).unwrap().is_empty());
    }

    #[test]
    fn a_store_that_cannot_open_reports_its_error() {
        let dir = tempfile::tempdir().unwrap();
        // A directory is not a database file.
        let state = AppState::open(dir.path());
        let Err(err) = state.store() else {
            panic!("opening a directory as the database should fail");
        };
        assert!(!err.code.is_empty());
        assert!(!err.message.is_empty());
    }

    #[test]
    fn errors_serialise_as_code_and_message() {
        let err = CommandError {
            code: "campaign.exists".into(),
            message: "已存在".into(),
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "campaign.exists", "message": "已存在"})
        );
        assert_eq!(CommandError::task_failed("x").code, "desktop.task_failed");
    }
}
