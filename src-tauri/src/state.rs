//! What the window works on: the database (opened at start-up, and again when the user
//! chooses another location), the remembered settings, the files the user chose and the
//! state of the import screen; and how a command reaches the store off the main thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use mofan::store::Store;
use mofan::ui::imports::Reports;
use mofan::ui::UiError;

use crate::files::Chosen;
use crate::settings::Settings;
use crate::CommandError;

/// The open database and its path.
struct Db {
    store: Result<Arc<Mutex<Store>>, CommandError>,
    path: Option<PathBuf>,
}

impl Db {
    fn open(path: &Path) -> Db {
        let store = Store::open(path)
            .map(|store| Arc::new(Mutex::new(store)))
            .map_err(CommandError::from);
        Db {
            store,
            path: Some(path.to_path_buf()),
        }
    }
}

/// The application's state, managed by Tauri.
///
/// When opening the database fails the window still starts; every command then returns the
/// opening error, so the user sees why (for example a database path that cannot be written).
pub struct AppState {
    db: RwLock<Db>,
    settings: Mutex<Settings>,
    settings_path: Option<PathBuf>,
    /// Files the user chose to be read.
    pub chosen: Chosen,
    /// The latest report of each chosen file, for the error workbook, and its latest
    /// preview, for the batch view (shared with the blocking tasks that make them).
    pub reports: Arc<Reports>,
    /// Set while a batch import runs (one at a time).
    pub importing: AtomicBool,
    /// Asks the running batch import to stop before its next file.
    pub cancel_import: Arc<AtomicBool>,
    /// Counts window resizes, so that only the last of a quick series is saved.
    pub resizes: AtomicU64,
}

/// Whether `$MOFAN_DB` names the database (the location setting then does not apply).
pub fn database_from_env() -> Option<PathBuf> {
    std::env::var_os("MOFAN_DB")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Locks the store, or says that an earlier panic made it unusable.
pub fn lock(store: &Mutex<Store>) -> Result<MutexGuard<'_, Store>, CommandError> {
    Ok(mofan::ui::lock(store)?)
}

/// Runs `work` on a blocking thread, so the window stays responsive while SQLite works.
pub async fn blocking<T, F>(work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(CommandError::task_failed)?
}

impl AppState {
    fn new(db: Db, settings: Settings, settings_path: Option<PathBuf>) -> Self {
        Self {
            db: RwLock::new(db),
            settings: Mutex::new(settings),
            settings_path,
            chosen: Chosen::default(),
            reports: Arc::default(),
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
                store: Err(err.into()),
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
            .map_err(|_| UiError::StorePoisoned)?
            .store
            .clone()
    }

    /// Runs `work` on the locked store on a blocking thread.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        E: Into<CommandError>,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let store = self.store()?;
        blocking(move || work(&mut *lock(&store)?).map_err(Into::into)).await
    }

    /// Runs `work` on the locked store on a blocking thread, with the operator's name
    /// the audit log records.
    pub async fn run_as<T, E, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        E: Into<CommandError>,
        F: FnOnce(&mut Store, &str) -> Result<T, E> + Send + 'static,
    {
        let operator = self.operator();
        self.run(move |store| work(store, &operator)).await
    }

    /// Runs `work` on a blocking thread with the shared store, for the core functions
    /// that lock it themselves only while they need it (reading a file, writing a
    /// workbook).
    pub async fn run_shared<T, E, F>(&self, work: F) -> Result<T, CommandError>
    where
        T: Send + 'static,
        E: Into<CommandError>,
        F: FnOnce(&Mutex<Store>) -> Result<T, E> + Send + 'static,
    {
        let store = self.store()?;
        blocking(move || work(&store).map_err(Into::into)).await
    }

    /// Opens the database at `path` and, when that works, works on it from now on. The
    /// database in use stays when the new one cannot be opened.
    pub fn switch_database(&self, path: &Path) -> Result<(), CommandError> {
        let db = Db::open(path);
        db.store.as_ref().map_err(Clone::clone)?;
        *self.db.write().map_err(|_| UiError::StorePoisoned)? = db;
        Ok(())
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        self.settings.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Changes the settings and saves them (when the app has a settings file).
    pub fn update_settings(&self, change: impl FnOnce(&mut Settings)) -> Result<(), CommandError> {
        let mut s = self.settings.lock().map_err(|_| UiError::StorePoisoned)?;
        change(&mut s);
        match &self.settings_path {
            Some(path) => Ok(s.save(path)?),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_the_store_and_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("mofan.db"));
        let store = state.store().expect("store opens");
        assert!(mofan::campaign::list(&lock(&store).unwrap())
            .unwrap()
            .is_empty());
        assert!(state.path().is_some_and(|p| p.ends_with("mofan.db")));
    }

    #[test]
    fn a_store_that_cannot_open_reports_its_error() {
        let dir = tempfile::tempdir().unwrap();
        // A directory is not a database file.
        let state = AppState::open(dir.path());
        let Err(err) = state.store() else {
            panic!("opening a directory as the database should fail");
        };
        assert!(err.code.starts_with("store."), "{err}");
        assert!(!err.message.is_empty());
    }
}
