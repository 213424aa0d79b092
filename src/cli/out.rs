//! Standard output and standard error for a reader that may leave early.
//!
//! `mofan awards list | head -1` closes the pipe after one line. Rust ignores SIGPIPE,
//! so the next write fails with `BrokenPipe`, and `println!` panics on that (exit 101).
//! Every line the command line prints goes through [`outln!`] / [`errln!`] instead: a
//! `BrokenPipe` means the reader has left, so that stream is silently dropped from then
//! on, while the command carries on — an import still stores every file, a `run` still
//! writes its workbook — and exits 0, 1 or 2 as it would have. Any other failure to
//! write standard output (a full disk under `> out.txt`) is an error of the command
//! (exit 1). Failures to write standard error cannot be reported anywhere and are
//! dropped.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the reader of standard output / standard error has left.
static STDOUT_LEFT: AtomicBool = AtomicBool::new(false);
static STDERR_LEFT: AtomicBool = AtomicBool::new(false);

/// Standard output or standard error, dropping what is written after its reader left.
pub struct Stream {
    stderr: bool,
}

/// Standard output.
pub fn stdout() -> Stream {
    Stream { stderr: false }
}

/// Standard error.
pub fn stderr() -> Stream {
    Stream { stderr: true }
}

impl Stream {
    fn left(&self) -> &'static AtomicBool {
        if self.stderr {
            &STDERR_LEFT
        } else {
            &STDOUT_LEFT
        }
    }

    /// Runs a write; a broken pipe marks the reader as gone and counts as done.
    fn guard<T>(&self, done: T, f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
        if self.left().load(Ordering::Relaxed) {
            return Ok(done);
        }
        match f() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.left().store(true, Ordering::Relaxed);
                Ok(done)
            }
            other => other,
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let stderr = self.stderr;
        self.guard(buf.len(), || {
            if stderr {
                io::stderr().lock().write(buf)
            } else {
                io::stdout().lock().write(buf)
            }
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        let stderr = self.stderr;
        self.guard((), || {
            if stderr {
                io::stderr().lock().flush()
            } else {
                io::stdout().lock().flush()
            }
        })
    }
}

/// One line of human-readable output, its control characters escaped
/// ([`mofan::normalize::printable`]): file names and cell values reach these lines, and
/// an ANSI escape in one must be shown, not obeyed by the terminal. JSON output does not
/// come through here; serde escapes control characters itself.
pub fn line(args: std::fmt::Arguments<'_>) -> String {
    let text = args.to_string();
    let mut out = mofan::normalize::printable(&text).into_owned();
    out.push('\n');
    out
}

/// Pretty JSON on standard output, one value then a newline (docs/specification.md §7).
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = io::BufWriter::new(stdout());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// `println!` for a reader that may leave: evaluates to `io::Result<()>`.
macro_rules! outln {
    () => {
        $crate::cli::out::outln!("")
    };
    ($($arg:tt)*) => {
        ::std::io::Write::write_all(
            &mut $crate::cli::out::stdout(),
            $crate::cli::out::line(format_args!($($arg)*)).as_bytes(),
        )
    };
}

/// `eprintln!` for a reader that may leave; a failure to write is dropped.
macro_rules! errln {
    () => {
        $crate::cli::out::errln!("")
    };
    ($($arg:tt)*) => {{
        let _ = ::std::io::Write::write_all(
            &mut $crate::cli::out::stderr(),
            $crate::cli::out::line(format_args!($($arg)*)).as_bytes(),
        );
    }};
}

pub(crate) use {errln, outln};
