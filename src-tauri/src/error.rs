//! The one error the window receives: `{code, message}`, the message already in Chinese.

use std::fmt;

use mofan::Coded;
use serde::Serialize;

/// An error as the front end receives it: a stable `code` and a Chinese `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CommandError {
    /// Machine-readable code: the core's [`Coded::code`], or `desktop.*` for the shell's own.
    pub code: String,
    /// Message for the user, shown as is.
    pub message: String,
}

/// Every core error converts the same way, its code and its Chinese `Display` text, so a
/// command passes any core error on with `?`.
impl<E: Coded + fmt::Display> From<E> for CommandError {
    fn from(err: E) -> Self {
        Self {
            code: err.code().to_string(),
            message: err.to_string(),
        }
    }
}

impl CommandError {
    /// An error of the shell's own (a file not chosen, a setting that cannot be saved…).
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// Maps any core error (what `?` does; for `map_err` and `ok_or_else`).
    pub fn from_core<E: Coded + fmt::Display>(err: E) -> Self {
        err.into()
    }

    /// A background task failed to complete (it panicked or was cancelled).
    pub fn task_failed(detail: impl fmt::Display) -> Self {
        Self::new("desktop.task_failed", format!("后台任务异常终止：{detail}"))
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）", self.message, self.code)
    }
}

/// A file-system error in Chinese (the core's words, `mofan::atomic::io_words`).
pub fn io_message(e: &std::io::Error) -> String {
    mofan::atomic::io_words(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_convert_with_their_code_and_message() {
        let err = CommandError::from(mofan::campaign::CampaignError::Exists(2026));
        assert_eq!(err.code, "campaign.exists");
        assert!(err.message.contains("2026"), "{}", err.message);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json.as_object().unwrap().len(), 2, "only code and message");
        assert_eq!(json["code"], "campaign.exists");
        assert_eq!(CommandError::task_failed("x").code, "desktop.task_failed");
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_message(&e), "文件不存在或已被移走");
    }
}
