//! Desktop entry point of 模范机关评选: opens the main window (see `mofan_desktop::run`).

// No console window next to the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    mofan_desktop::run();
}
