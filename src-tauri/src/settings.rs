//! 设置: the settings screen's commands over the core's settings file
//! ([`mofan::ui::settings`]: the operator's name, the database location, the window size),
//! kept at `$MOFAN_SETTINGS`, else `settings.json` in the platform's config directory for
//! the app.

use std::path::Path;

use serde::Serialize;

use mofan::store::Store;
pub use mofan::ui::settings::{clean_operator, Settings, WindowSize, OPERATOR_ENV};

use crate::{AppState, CommandError};

/// The environment variable naming the settings file (tests use it).
pub const SETTINGS_ENV: &str = "MOFAN_SETTINGS";

/// What the settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SettingsView {
    /// The name set here, if any.
    pub operator: Option<String>,
    /// The name recorded in the log now.
    pub operator_in_use: String,
    /// The name used when none is set here.
    pub operator_default: String,
    /// Whether to ask for the name now (first start): none is set here or in
    /// `$MOFAN_OPERATOR`.
    pub operator_needed: bool,
    /// The database in use.
    pub database: Option<String>,
    /// Whether `$MOFAN_DB` fixes the database (the location cannot be changed here).
    pub database_from_env: bool,
    /// Whether the database is the platform's default location.
    pub database_is_default: bool,
    /// The settings file, if any.
    pub settings_file: Option<String>,
}

/// The settings as the screen shows them.
pub fn view(state: &AppState) -> SettingsView {
    let s = state.settings();
    let default_db = Store::resolve_path(None).ok();
    let database = state.path();
    SettingsView {
        operator: s.operator.clone(),
        operator_in_use: s.operator(),
        operator_default: mofan::audit::default_operator(),
        operator_needed: s.operator_needed(),
        database_is_default: database.is_some() && database == default_db,
        database: database.map(|p| p.display().to_string()),
        database_from_env: crate::database_from_env().is_some(),
        settings_file: state.settings_path().map(|p| p.display().to_string()),
    }
}

/// Sets (or, with a blank name, clears) the operator's name.
pub fn set_operator(state: &AppState, name: &str) -> Result<SettingsView, CommandError> {
    let name = clean_operator(name)?;
    state.update_settings(|s| s.operator = name)?;
    Ok(view(state))
}

fn refuse_when_env() -> Result<(), CommandError> {
    if crate::database_from_env().is_some() {
        return Err(CommandError::new(
            "desktop.database_from_env",
            "数据库位置已由环境变量 MOFAN_DB 指定，不能在此更改",
        ));
    }
    Ok(())
}

/// Works on the database at `path` from now on (created when missing) and remembers it;
/// `None` goes back to the platform's default location.
pub fn use_database(state: &AppState, path: Option<&Path>) -> Result<SettingsView, CommandError> {
    refuse_when_env()?;
    let target = match path {
        Some(p) => p.to_path_buf(),
        None => Store::resolve_path(None)?,
    };
    state.switch_database(&target)?;
    state.update_settings(|s| s.database = path.map(Path::to_path_buf))?;
    Ok(view(state))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_the_operator_and_restores_a_backup_on_the_store_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("mofan.db"));
        let v = set_operator(&state, " 李处长 ").unwrap();
        assert_eq!(v.operator.as_deref(), Some("李处长"));
        assert_eq!(
            (v.operator_in_use.as_str(), state.operator().as_str()),
            ("李处长", "李处长")
        );
        assert!(!v.operator_needed, "a name is set");
        let cleared = set_operator(&state, "").unwrap();
        assert!(cleared.operator.is_none());
        // Without a name here, the window asks unless $MOFAN_OPERATOR names one.
        assert_eq!(
            cleared.operator_needed,
            std::env::var(OPERATOR_ENV).map_or(true, |v| v.trim().is_empty())
        );

        // What the backup and restore commands do with the state's store.
        let store = state.store().unwrap();
        let mut s = crate::lock(&store).unwrap();
        let demo = mofan::demo::load(&mut s, "李处长").unwrap();
        assert!(demo.returns > 0 && demo.awards > 0);
        let backup_file = dir.path().join("备份.db");
        s.backup_to(&backup_file).unwrap();
        mofan::campaign::create(&mut s, 2031, None, "李处长").unwrap();
        mofan::backup::restore(&mut s, &backup_file, "李处长").unwrap();
        let years: Vec<i32> = mofan::campaign::list(&s)
            .unwrap()
            .iter()
            .map(|c| c.year)
            .collect();
        assert_eq!(
            years,
            [mofan::demo::DEMO_YEAR],
            "the restore dropped the campaign made after the backup"
        );
        let last = mofan::audit::list(
            s.conn(),
            &mofan::audit::Filter {
                limit: Some(1),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(last[0].action, "store.restore");
        let not_a_db = dir.path().join("x.db");
        std::fs::write(&not_a_db, "hello").unwrap();
        let err =
            CommandError::from(mofan::backup::restore(&mut s, &not_a_db, "李处长").unwrap_err());
        assert!(!err.code.is_empty() && !err.message.is_empty());
    }

    #[test]
    fn switches_the_database_and_keeps_the_old_one_when_the_new_cannot_open() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("a.db"));
        let store = state.store().unwrap();
        mofan::campaign::create(&mut crate::lock(&store).unwrap(), 2026, None, "x").unwrap();
        if crate::database_from_env().is_some() {
            return; // the location is fixed by the environment in this run
        }
        let other = dir.path().join("b.db");
        use_database(&state, Some(&other)).unwrap();
        assert_eq!(state.path().as_deref(), Some(other.as_path()));
        let store = state.store().unwrap();
        assert!(mofan::campaign::list(&crate::lock(&store).unwrap())
            .unwrap()
            .is_empty());
        assert!(
            use_database(&state, Some(dir.path())).is_err(),
            "a folder is not a database"
        );
        assert_eq!(state.path().as_deref(), Some(other.as_path()));
    }
}
