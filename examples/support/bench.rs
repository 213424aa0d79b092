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

/// Runs a command, returning wall time and peak RSS in KiB.
// The child is reaped by `wait4`, which clippy does not recognise.
#[allow(clippy::zombie_processes)]
pub fn measure(cmd: &mut Command) -> (Duration, u64) {
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
    let elapsed = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}"
    );
    (elapsed, usage.ru_maxrss as u64)
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

pub fn median(mut v: Vec<(Duration, u64)>) -> (Duration, u64) {
    v.sort();
    let mid = v[v.len() / 2].0;
    (mid, v.iter().map(|x| x.1).max().unwrap())
}
