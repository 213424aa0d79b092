//! Running a third-party reader so that its panic refuses one file, not the program, and
//! prints nothing: the default panic hook would write the reader's message, with the
//! source path of the machine that built it, to stderr beside mofan's own refusal.
//!
//! Reader work runs on threads named [`READER_THREAD`]; a process-wide hook, installed
//! once and chained to the hook that was there before, stays silent for those threads
//! only, so a panic anywhere else is reported as before.

use std::sync::Once;
use std::thread::{Scope, ScopedJoinHandle};

/// The name of every thread that runs a reader.
pub const READER_THREAD: &str = "mofan-reader";

static HOOK: Once = Once::new();

/// Installs the silencing hook (once per process).
fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

/// Spawns `f` on a reader thread of scope `s`; joining gives `Err` when it panicked.
pub(crate) fn spawn_reader<'scope, T: Send + 'scope>(
    s: &'scope Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    install_hook();
    std::thread::Builder::new()
        .name(READER_THREAD.to_string())
        .spawn_scoped(s, f)
        // `Scope::spawn` fails the same way when the system cannot start a thread.
        .expect("failed to spawn a reader thread")
}

/// Runs `f` on a reader thread and waits for it: `None` when it panicked.
pub(crate) fn run_reader<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|s| spawn_reader(s, f).join().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_panic_is_none() {
        assert_eq!(run_reader(|| 1 + 1), Some(2));
        let r: Option<()> = run_reader(|| panic!("reader failed at /build/path.rs"));
        assert_eq!(r, None);
    }
}
