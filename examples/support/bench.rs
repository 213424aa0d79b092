//! What the import benchmarks share (`bench_import`, `bench_ballots`): running a child
//! process and reading its wall time and peak memory, calamine's raw read of the same
//! files (the floor the import is measured against), and the median of runs.
//!
//! Included by `#[path]` from each benchmark (a file in a folder of `examples/` is not an
//! example of its own).

// `wait4` is the one call that reports a child's peak memory; nothing else here is unsafe.
#![allow(unsafe_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};

/// What one run of a child process cost.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time, user and system, of all its threads: on a machine busy with other work
    /// the wall time moves with the load, the CPU time much less.
    pub cpu: Duration,
    /// Peak resident memory, KiB.
    pub peak_kib: u64,
}

/// Runs a command, returning its wall time, CPU time and peak RSS.
// The child is reaped by `wait4`, which clippy does not recognise.
#[allow(clippy::zombie_processes)]
pub fn measure(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: wait4 on our own child with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}"
    );
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
    }
}

pub fn raw_read(files: &[PathBuf]) {
    let mut cells = 0u64;
    for f in files {
        let bytes = std::fs::read(f).unwrap();
        let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        for name in wb.sheet_names() {
            let mut reader = wb.worksheet_cells_reader(&name).unwrap();
            while let Some(c) = reader.next_cell().unwrap() {
                if !matches!(c.get_value(), calamine::DataRef::Empty) {
                    cells += 1;
                }
            }
        }
    }
    println!("{cells}");
}

/// The median wall and CPU times of the runs and the highest peak.
pub fn median(runs: &[Run]) -> Run {
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    Run {
        wall: mid(runs.iter().map(|r| r.wall).collect()),
        cpu: mid(runs.iter().map(|r| r.cpu).collect()),
        peak_kib: runs.iter().map(|r| r.peak_kib).max().unwrap_or(0),
    }
}

/// The table's header and one row per set: wall and CPU times beside the raw read's, their
/// ratios, and the peaks.
pub const TABLE_HEADER: &str = "| set | raw read (calamine) | import | ratio | raw CPU | import CPU | CPU ratio | raw peak RSS | import peak RSS |\n|---|---|---|---|---|---|---|---|---|";

pub fn table_row(label: &str, raw: &Run, imp: &Run) -> String {
    let s = |d: Duration| d.as_secs_f64();
    format!(
        "| {label} | {:.2} s | {:.2} s | {:.2}× | {:.2} s | {:.2} s | {:.2}× | {:.1} MiB | {:.1} MiB |",
        s(raw.wall),
        s(imp.wall),
        s(imp.wall) / s(raw.wall),
        s(raw.cpu),
        s(imp.cpu),
        s(imp.cpu) / s(raw.cpu),
        raw.peak_kib as f64 / 1024.0,
        imp.peak_kib as f64 / 1024.0
    )
}
