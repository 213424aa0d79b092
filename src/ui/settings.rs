//! 设置: what the desktop app remembers between runs — the operator's name, the database
//! location, the window size — in a small JSON file the shell names (`$MOFAN_SETTINGS`,
//! else `settings.json` in the platform's config directory for the app), and the rule for
//! an operator's name typed on the settings screen.
//!
//! The file holds only preferences: losing or breaking it never loses data (a file that
//! cannot be read counts as empty, and is rewritten on the next change).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::UiError;

/// The environment variable naming the operator when the settings name none.
pub const OPERATOR_ENV: &str = "MOFAN_OPERATOR";

/// The longest operator name the settings accept, in characters: it is printed in the
/// audit log's 操作人 column and in the window's title bar.
pub const OPERATOR_MAX_CHARS: usize = 32;

/// The window's size in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowSize {
    /// Width in logical pixels, kept within 960–7680 by [`WindowSize::clamped`].
    pub width: f64,
    /// Height in logical pixels, kept within 600–4320 by [`WindowSize::clamped`].
    pub height: f64,
    /// Whether it was maximised.
    #[serde(default)]
    pub maximized: bool,
}

impl WindowSize {
    /// The size kept within what a window can sensibly be (the minimum is the window's
    /// own minimum; a size from a larger screen is capped).
    pub fn clamped(self) -> WindowSize {
        WindowSize {
            width: self.width.clamp(960.0, 7680.0),
            height: self.height.clamp(600.0, 4320.0),
            maximized: self.maximized,
        }
    }

    /// The top-left corner (physical pixels) that centres a window of this size on a
    /// screen at `origin` of `screen` physical pixels and `scale`; a window larger than
    /// the screen starts at the screen's corner.
    pub fn centred_on(self, origin: (i32, i32), screen: (u32, u32), scale: f64) -> (i32, i32) {
        let offset = |screen: u32, logical: f64| -> i32 {
            // Rounded to a whole pixel; a screen is far narrower than i32::MAX pixels.
            ((f64::from(screen) - logical * scale) / 2.0)
                .max(0.0)
                .round() as i32
        };
        (
            origin.0 + offset(screen.0, self.width),
            origin.1 + offset(screen.1, self.height),
        )
    }
}

/// The remembered preferences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The operator's name recorded in the audit log; the OS user when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The database file; the platform data directory when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<PathBuf>,
    /// The window's last size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowSize>,
}

impl Settings {
    /// Reads the settings file; a missing or unreadable file gives the defaults.
    pub fn load(path: &Path) -> Settings {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the settings file (through a temporary file and a rename), making its
    /// folder when missing.
    pub fn save(&self, path: &Path) -> Result<(), UiError> {
        let fail = |e: std::io::Error| UiError::SettingsNotSaved {
            path: path.to_path_buf(),
            message: crate::atomic::io_words(&e),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let text = serde_json::to_string_pretty(self).expect("settings serialise");
        crate::export::write_atomic(path, text.as_bytes()).map_err(fail)
    }

    /// Whether the window asks for the operator's name at start: none is set here, and
    /// `$MOFAN_OPERATOR` (how scripts and the end-to-end tests name one) names none either.
    /// Without a name the log would record the OS user, or "操作员".
    pub fn operator_needed(&self) -> bool {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
        !set(self.operator.as_deref()) && !set(std::env::var(OPERATOR_ENV).ok().as_deref())
    }

    /// The operator's name: the one set here, else `$MOFAN_OPERATOR`, the OS user, "操作员".
    pub fn operator(&self) -> String {
        self.operator
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map_or_else(crate::audit::default_operator, str::to_string)
    }
}

/// Checks an operator name typed in the settings: white space folded, at most
/// [`OPERATOR_MAX_CHARS`] characters, no control characters; blank means "use the
/// default" (`None`).
pub fn clean_operator(name: &str) -> Result<Option<String>, UiError> {
    let name = crate::normalize::fold_spaces(name);
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > OPERATOR_MAX_CHARS {
        return Err(UiError::OperatorTooLong(name));
    }
    if name.chars().any(char::is_control) {
        return Err(UiError::OperatorControlChars(name));
    }
    Ok(Some(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn a_window_is_centred_on_its_screen() {
        let size = |width, height| WindowSize {
            width,
            height,
            maximized: false,
        };
        // The e2e tests' screen and the default window.
        assert_eq!(
            size(1280.0, 800.0).centred_on((0, 0), (1600, 1000), 1.0),
            (160, 100)
        );
        // A second screen to the right, scaled 2×.
        assert_eq!(
            size(1100.0, 700.0).centred_on((1920, 0), (3840, 2160), 2.0),
            (1920 + 820, 380)
        );
        // Larger than the screen: its corner.
        assert_eq!(
            size(1280.0, 800.0).centred_on((0, 0), (1024, 768), 1.0),
            (0, 0)
        );
    }

    #[test]
    fn round_trips_and_tolerates_a_broken_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        let s = Settings {
            operator: Some("王科员".into()),
            database: Some(dir.path().join("a.db")),
            window: Some(WindowSize {
                width: 1400.0,
                height: 900.0,
                maximized: false,
            }),
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        assert_eq!(s.operator(), "王科员");
        std::fs::write(&path, "{ not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        // A folder where the file should go: refused, naming the path, nothing written.
        let err = s.save(dir.path()).unwrap_err();
        assert_eq!(err.code(), "desktop.settings");
        assert!(err.to_string().contains(&dir.path().display().to_string()));
    }

    #[test]
    fn checks_the_operator_name() {
        let ok = |name: &str| clean_operator(name).unwrap();
        assert_eq!(ok("  王  科员 ").as_deref(), Some("王 科员"));
        assert_eq!(ok("   "), None);
        assert_eq!(ok(&"长".repeat(32)).as_deref(), Some(&*"长".repeat(32)));
        for bad in ["长".repeat(33), "王\u{7}科员".to_string()] {
            let err = clean_operator(&bad).unwrap_err();
            assert_eq!(err.code(), "desktop.operator", "{bad}");
        }
        assert!(clean_operator(&"长".repeat(33))
            .unwrap_err()
            .to_string()
            .contains("32"));
        let blank = Settings {
            operator: Some(" ".into()),
            ..Settings::default()
        };
        assert_eq!(blank.operator(), crate::audit::default_operator());
    }

    #[test]
    fn window_sizes_are_clamped() {
        let w = WindowSize {
            width: 100.0,
            height: 99_999.0,
            maximized: true,
        }
        .clamped();
        assert_eq!((w.width, w.height, w.maximized), (960.0, 4320.0, true));
        let fine = WindowSize {
            width: 1400.0,
            height: 900.0,
            maximized: false,
        };
        assert_eq!(fine.clamped(), fine);
    }
}
