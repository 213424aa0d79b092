//! The main window: its size remembered between runs, and files dropped on it.

use std::sync::atomic::Ordering;

use tauri::{Emitter, Manager, Runtime, Window, WindowEvent};

use crate::files;
use crate::settings::WindowSize;
use crate::AppState;

/// Gives the main window the size it had when the app last closed (or its configured
/// size), centres it on its screen, then shows it.
///
/// The window is made hidden (`"visible": false` in `tauri.conf.json`) and shown only
/// here: a window already on screen is resized by the display server later, after a
/// round trip, so it would first appear at the default size and could still report it —
/// which a busy machine once showed. A hidden window takes its size and place at once and
/// is mapped with them. Its place is worked out here from the size it is given: the
/// window system's own centring measures a hidden window wrongly (it put the top-left
/// corner near the middle of the screen). It is shown whatever happens to the rest.
pub fn restore_size<R: Runtime>(app: &tauri::App<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let saved = app
        .try_state::<AppState>()
        .and_then(|s| s.settings().window)
        .map(WindowSize::clamped);
    let configured = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .map(|w| WindowSize {
            width: w.width,
            height: w.height,
            maximized: false,
        });
    if let Some(size) = saved.or(configured) {
        if saved.is_some() {
            let _ = window.set_size(tauri::LogicalSize::new(size.width, size.height));
        }
        let monitor = window
            .current_monitor()
            .ok()
            .flatten()
            .or_else(|| window.primary_monitor().ok().flatten());
        if let Some(m) = monitor {
            let (x, y) = size.centred_on(
                (m.position().x, m.position().y),
                (m.size().width, m.size().height),
                m.scale_factor(),
            );
            let _ = window.set_position(tauri::PhysicalPosition::new(x, y));
        }
    }
    if saved.is_some_and(|w| w.maximized) {
        let _ = window.maximize();
    }
    let _ = window.show();
}

/// Remembers the window's size in the settings.
fn remember<R: Runtime>(window: &Window<R>) {
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

/// What the shell does on a window event.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    match event {
        // Dropped files and folders: the folders' workbooks become chosen files, and the
        // window hears of them only after they are allowed.
        WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
            let paths = files::expand_dropped(paths);
            window.state::<AppState>().chosen.add(&paths);
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let _ = window.emit("mofan://files-dropped", names);
        }
        WindowEvent::CloseRequested { .. } => remember(window),
        // Saved half a second after the last of a series of resizes, so a size is kept
        // however the app ends.
        WindowEvent::Resized(_) => {
            let n = window
                .state::<AppState>()
                .resizes
                .fetch_add(1, Ordering::SeqCst)
                + 1;
            let window = window.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(500));
                if window.state::<AppState>().resizes.load(Ordering::SeqCst) == n {
                    remember(&window);
                }
            });
        }
        _ => {}
    }
}
