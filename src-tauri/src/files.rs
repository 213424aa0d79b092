//! Files the user chose, and the native file dialogs.
//!
//! The window may read only files the user picked in an open dialog or dropped on it
//! ([`Chosen`]), and the shell writes only to a path picked in a save dialog that the
//! command itself opens; the front end never names a path to write.
//!
//! Native dialogs cannot be driven by WebDriver. When `$MOFAN_TEST_DIALOG_QUEUE` names a
//! file, every dialog instead takes the first line of that file (and removes it): paths
//! separated by `|`, or an empty line for a cancelled dialog. Only the end-to-end test
//! sets it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::CommandError;

/// The environment variable naming the end-to-end test's dialog answers.
pub const TEST_QUEUE_ENV: &str = "MOFAN_TEST_DIALOG_QUEUE";

/// Paths the user chose to be read.
#[derive(Debug, Default)]
pub struct Chosen {
    paths: Mutex<HashSet<PathBuf>>,
}

impl Chosen {
    /// Allows reading these paths.
    pub fn add<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        if let Ok(mut set) = self.paths.lock() {
            set.extend(paths.into_iter().cloned());
        }
    }

    /// The path, when the user chose it; otherwise a Chinese refusal.
    pub fn check(&self, path: &str) -> Result<PathBuf, CommandError> {
        let p = PathBuf::from(path);
        let allowed = self.paths.lock().map(|s| s.contains(&p)).unwrap_or(false);
        if allowed {
            Ok(p)
        } else {
            Err(CommandError::new(
                "desktop.file_not_chosen",
                format!("只能读取通过“选择文件”或拖放选中的文件：{path}"),
            ))
        }
    }
}

/// Expands dropped paths: files as they are, folders to the workbooks directly inside
/// them (Excel lock files and hidden files skipped), in file-name order.
pub fn expand_dropped(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            if let Ok(found) = mofan::pipeline::expand_returns(std::slice::from_ref(p)) {
                out.extend(found);
            }
        } else if p.is_file() {
            out.push(p.clone());
        }
    }
    out.dedup();
    out
}

/// What an open dialog is for: its title and filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenKind {
    /// Returns (申报表), several at once.
    Returns,
    /// The awards registry (命名记录).
    Registry,
    /// Ballots or panel score sheets (测评数据), several at once.
    Evaluations,
    /// A scheme (评选方案 TOML).
    Scheme,
    /// A database backup to restore.
    Database,
    /// A holiday arrangement (节假日安排 TOML).
    Calendar,
    /// Ledger workbooks (清单台账), several at once.
    Ledger,
}

impl OpenKind {
    fn title(self) -> &'static str {
        match self {
            OpenKind::Returns => "选择申报表（可多选）",
            OpenKind::Registry => "选择命名记录（已命名单位名单）",
            OpenKind::Evaluations => "选择测评票或评委评分表（可多选）",
            OpenKind::Scheme => "选择评选方案文件",
            OpenKind::Database => "选择要恢复的数据库备份",
            OpenKind::Calendar => "选择节假日安排文件",
            OpenKind::Ledger => "选择台账（责任清单、任务清单、问题清单，可多选）",
        }
    }

    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            OpenKind::Returns | OpenKind::Registry | OpenKind::Evaluations | OpenKind::Ledger => (
                "Excel 工作簿及导出表格（CSV、网页、XML）",
                mofan::pipeline::WORKBOOK_EXTENSIONS,
            ),
            OpenKind::Scheme => ("评选方案", &["toml"]),
            OpenKind::Database => ("数据库备份", &["db", "sqlite", "bak"]),
            OpenKind::Calendar => ("节假日安排", &["toml"]),
        }
    }

    fn multiple(self) -> bool {
        matches!(
            self,
            OpenKind::Returns | OpenKind::Evaluations | OpenKind::Ledger
        )
    }
}

/// Takes the next answer from the test queue, when the test set one up.
fn test_answer() -> Option<Vec<PathBuf>> {
    let queue = std::env::var_os(TEST_QUEUE_ENV)?;
    Some(pop_line(Path::new(&queue)))
}

/// Removes and parses the first line of a queue file (missing file or line: cancelled).
pub fn pop_line(queue: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(queue) else {
        return Vec::new();
    };
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let _ = std::fs::write(queue, rest);
    first
        .trim_end_matches('\r')
        .split('|')
        .filter(|p| !p.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Opens the open dialog (blocking: call it off the main thread). Returns the chosen
/// files, empty when cancelled, and allows reading them.
pub fn pick<R: Runtime>(app: &AppHandle<R>, chosen: &Chosen, kind: OpenKind) -> Vec<PathBuf> {
    let paths = test_answer().unwrap_or_else(|| {
        let (name, ext) = kind.filter();
        let dialog = app
            .dialog()
            .file()
            .set_title(kind.title())
            .add_filter(name, ext);
        let picked = if kind.multiple() {
            dialog.blocking_pick_files().unwrap_or_default()
        } else {
            dialog.blocking_pick_file().into_iter().collect()
        };
        picked
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect()
    });
    chosen.add(&paths);
    paths
}

/// Opens the save dialog for a file of this kind (blocking). `None` when cancelled.
pub fn save<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    file_name: &str,
    filter: (&str, &[&str]),
) -> Option<PathBuf> {
    if let Some(answer) = test_answer() {
        return answer.into_iter().next();
    }
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter.0, filter.1)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_chosen_paths_may_be_read() {
        let chosen = Chosen::default();
        let a = PathBuf::from("/tmp/甲.xlsx");
        chosen.add([&a]);
        assert_eq!(chosen.check("/tmp/甲.xlsx").unwrap(), a);
        let err = chosen.check("/etc/passwd").unwrap_err();
        assert_eq!(err.code, "desktop.file_not_chosen");
        assert!(err.message.contains("只能读取"));
    }

    #[test]
    fn the_test_queue_answers_one_dialog_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("queue");
        std::fs::write(&q, "/a/1.xlsx|/a/2.xls\n\n/b/out.xlsx\n").unwrap();
        assert_eq!(
            pop_line(&q),
            [PathBuf::from("/a/1.xlsx"), PathBuf::from("/a/2.xls")]
        );
        assert!(
            pop_line(&q).is_empty(),
            "an empty line is a cancelled dialog"
        );
        assert_eq!(pop_line(&q), [PathBuf::from("/b/out.xlsx")]);
        assert!(pop_line(&q).is_empty(), "an exhausted queue cancels");
        assert!(pop_line(&dir.path().join("none")).is_empty());
    }

    #[test]
    fn dropped_folders_expand_to_their_workbooks() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("申报");
        std::fs::create_dir(&sub).unwrap();
        for name in ["b.xlsx", "a.xls", "~$a.xlsx", ".hidden.xlsx", "说明.txt"] {
            std::fs::write(sub.join(name), b"x").unwrap();
        }
        let single = dir.path().join("c.ods");
        std::fs::write(&single, b"x").unwrap();
        let got = expand_dropped(&[sub.clone(), single.clone(), dir.path().join("missing")]);
        assert_eq!(got, [sub.join("a.xls"), sub.join("b.xlsx"), single]);
    }
}
