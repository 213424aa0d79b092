//! 模范机关评选 (mofan) — the core library.
//!
//! Every rule of the annual model-agency selection lives here: the SQLite store, the
//! evaluation scheme, the import of returns from Excel, the audit log. The command-line
//! binary (`src/main.rs`) and the desktop shell (`src-tauri/`) are thin adapters over it.

pub mod atomic;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod campaign;
pub mod demo;
pub mod evaluate;
pub mod export;
pub mod history;
pub mod import;
pub mod ledger;
pub mod limits;
pub mod normalize;
pub mod notice;
pub mod pipeline;
pub mod publicity;
pub mod review;
pub mod scheme;
pub mod select;
pub mod store;
pub mod supervision;
pub mod template;
pub mod ui;
pub mod uscc;
pub mod vocab;

/// A stable machine-readable code for an error, for the desktop shell and `--json`.
///
/// The `Display` text of every error in this crate is a Chinese message for the user;
/// `code` is the identifier a program may match on.
pub trait Coded {
    /// The stable error code, e.g. `"campaign.exists"`.
    fn code(&self) -> &'static str;
}

/// The current local time as an RFC 3339 string with seconds, as stored everywhere.
pub fn now_string() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Today's date on the local clock: what a command's date defaults to (`publish --date`).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A stored RFC 3339 time as "YYYY-MM-DD HH:MM", as stored (no time-zone conversion).
pub fn short_time(at: &str) -> String {
    match (at.get(0..10), at.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => at.to_string(),
    }
}
