//! Result-workbook benchmark (issue 3): the formatted 评选结果.xlsx against
//! rust_xlsxwriter writing the very same cells bare, side by side in one run, as child
//! processes whose wall time and peak resident memory are measured with `wait4`; and
//! the selection itself.
//!
//!     cargo run --release --example bench_results -- [--runs 3] [--returns 100000]
//!
//! Every child generates the same 100,000 returns deterministically (default scheme:
//! three tiers, 20 cities, 100 counties, every status, a few vetoes and missing scores)
//! and runs `select`; then it
//!
//! - `setup`: stops (the cost every mode shares);
//! - `book`: writes the result workbook with `export::results::write`;
//! - `bare`: writes the cells of `ResultBook::tables()` — same sheets, same values — with
//!   a plain `Workbook::new()` / `add_worksheet()`, no formats, widths, print set-up,
//!   filters or chart, saved the same way (`export::save_workbook`: streamed into the
//!   staged file);
//! - `bare-lowmem`: the same with `add_worksheet_with_low_memory()`, for reference;
//! - `book-buffered`: the result workbook saved as it was before the third round —
//!   the whole file made in memory (`save_to_buffer`), then written (`write_atomic`) —
//!   for the peak's comparison in the same run.
//!
//! Each writing child prints the time of the write alone; the table shows that time,
//! the child's wall time (generation and selection included) and its peak RSS.
//! `select` times the selection alone (median of 11 runs): the selection core as data,
//! `decide` (the inputs moved in; every return's eligibility, scores, pool, rank, status
//! and reasons as kinds, no text made), and for comparison `select_owned` (`decide` and
//! then every row's texts, the whole `Selection`) and `select` (which also clones the
//! inputs it borrows). `decide` times the core in a child that runs nothing before it —
//! the heap as `mofan select` has it after loading the inputs, not as 22 selections
//! before it left it (freed texts scattered through it, which slows the inputs' next
//! clone and every read of it): its first call and the median of 11. Targets: the
//! workbook within 1.3× of the bare write, peak memory under 150 MiB, the core
//! (`decide`) under 50 ms.

// `wait4` is the one call that reports a child's peak memory; nothing else here is unsafe.
#![allow(unsafe_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

use mofan::export::results::{self, Decision, InputFile, ResultBook, Value};
use mofan::scheme::{Scheme, Tier};
use mofan::select::{self, AwardFact, Entry, Inputs, OverrideFact, Selection};
use mofan::store::awards::AwardStatus;
use mofan::store::overrides::OverrideAction;

const GENERATED: &str = "2026-12-01T10:00:00+08:00";

/// A valid USCC for a serial number.
fn uscc(n: usize) -> String {
    mofan::uscc::with_check_digit(&format!("114401{n:011}")).expect("17 digits")
}

/// A score in [80, 100) with two decimals, pseudo-random in `n` and `k` (splitmix64).
fn score(n: usize, k: usize) -> Decimal {
    let mut z = (n as u64) << 8 | k as u64;
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    Decimal::new(8000 + (z % 2000) as i64, 2)
}

/// `count` returns: 10% province (by unit type), 30% city (20 cities), 60% county (100
/// counties); 1% with a veto, 0.5% missing a component, some with an award.
fn inputs(count: usize) -> Inputs {
    let types = [
        "党群机关",
        "政府机关",
        "政法机关",
        "人大政协机关",
        "群团组织",
    ];
    let mut entries = Vec::with_capacity(count);
    let mut awards = Vec::new();
    for n in 0..count {
        let (tier, region, place) = match n % 10 {
            0 => (Tier::Province, None, "广东省".to_string()),
            1..=3 => {
                let city = format!("测试{}市", n % 20);
                (Tier::City, Some(city.clone()), city)
            }
            _ => {
                let county = format!("测试{}市第{}区", n % 20, n % 100);
                (Tier::County, Some(county.clone()), county)
            }
        };
        let unit_type = types[n % types.len()];
        // Every 1000th return copies the scores of the one 100 before it (same pool): a
        // full tie, pending when it straddles the last seat.
        let seed = if n % 1000 == 500 { n - 100 } else { n };
        let mut components: Vec<Option<Decimal>> = (0..5).map(|k| Some(score(seed, k))).collect();
        if n % 200 == 7 {
            components[2] = None;
        }
        let mut vetoes = vec![false; 4];
        if n % 100 == 13 {
            vetoes[n % 4] = true;
        }
        if n % 500 == 3 {
            awards.push(AwardFact {
                agency_id: n as i64,
                year: 2024,
                status: AwardStatus::Active,
                revoked_year: None,
            });
        }
        entries.push(Entry {
            agency_id: n as i64,
            uscc: Some(uscc(n)),
            name: format!("{place}第{n}号{unit_type}"),
            tier,
            region,
            unit_type: unit_type.to_string(),
            daily: Some(score(seed, 9)),
            components,
            vetoes,
        });
    }
    let overrides = (0..20)
        .map(|i| OverrideFact {
            id: i + 1,
            agency_id: i * 4_999 % count.max(1) as i64,
            action: if i % 2 == 0 {
                OverrideAction::Include
            } else {
                OverrideAction::Exclude
            },
            reason: "评审组复核决定".to_string(),
            beyond_quota: i % 2 == 0,
            operator: "评审组".to_string(),
            at: format!("2026-11-20T09:{:02}:00+08:00", i),
        })
        .collect();
    Inputs {
        campaign: 2026,
        entries,
        awards,
        overrides,
        computed: Vec::new(),
        ledger: Default::default(),
        accountability: Vec::new(),
    }
}

fn decisions(sel: &Selection, overrides: &[OverrideFact]) -> Vec<Decision> {
    overrides
        .iter()
        .filter_map(|o| {
            let r = sel.results.iter().find(|r| r.agency_id == o.agency_id)?;
            Some(Decision {
                at: o.at.clone(),
                operator: o.operator.clone(),
                agency: r.name.clone(),
                uscc: r.uscc.clone(),
                action: o.action,
                reason: o.reason.clone(),
                beyond_quota: o.beyond_quota,
            })
        })
        .collect()
}

fn files(count: usize) -> Vec<InputFile> {
    (0..count.div_ceil(500))
        .map(|i| {
            InputFile::returns(
                format!("batch_{i:03}.xlsx"),
                format!("{:064x}", i * 7919 + 1),
                500,
            )
        })
        .collect()
}

/// The same cells as the result workbook, without any presentation.
fn bare(book: &ResultBook<'_>, out: &Path, low_memory: bool) {
    let mut wb = Workbook::new();
    for t in book.tables() {
        let ws = if low_memory {
            wb.add_worksheet_with_low_memory().unwrap()
        } else {
            wb.add_worksheet()
        };
        ws.set_name(t.sheet).unwrap();
        let mut row = 0;
        if let Some(title) = &t.title {
            ws.write_string(row, 0, title).unwrap();
            row += 1;
        }
        for (c, col) in t.columns.iter().enumerate() {
            ws.write_string(row, c as u16, col.header.as_str()).unwrap();
        }
        row += 1;
        for r in (t.rows)() {
            for (c, v) in r.values.into_iter().enumerate() {
                match v {
                    Value::Text(s) => {
                        ws.write_string(row, c as u16, s).unwrap();
                    }
                    Value::Number(n) => {
                        ws.write_number(row, c as u16, n).unwrap();
                    }
                    Value::Blank => {}
                }
            }
            row += 1;
        }
    }
    mofan::export::save_workbook(&mut wb, out, |e| panic!("{e}"), |e| panic!("{e}")).unwrap();
}

/// Eleven calls of `decide`, in order, each on a fresh clone of the inputs (not
/// counted) dropped after it.
fn time_decide(scheme: &Scheme, inputs: &Inputs) -> Vec<Duration> {
    (0..11)
        .map(|_| {
            let copy = inputs.clone();
            let t = Instant::now();
            let d = select::decide(scheme, copy);
            let took = t.elapsed();
            assert_eq!(d.rows.len(), inputs.entries.len());
            took
        })
        .collect()
}

/// Runs one mode in this process (a child).
fn child(mode: &str, count: usize, out: &Path) {
    let scheme = Scheme::default_scheme();
    let inputs = inputs(count);
    let after_inputs = high_water_mib();
    if mode == "decide" {
        // The core alone in a process that has run nothing else, as `mofan select`
        // runs it once on the inputs it just loaded: the first call, and the median
        // of 11 (each on a fresh clone, dropped after it).
        let mut decided = time_decide(&scheme, &inputs);
        let first = decided[0];
        decided.sort();
        println!(
            "{} {}",
            first.as_secs_f64(),
            decided[decided.len() / 2].as_secs_f64()
        );
        return;
    }
    if mode == "select" {
        let mut times = Vec::new();
        let mut sel = select::select(&scheme, &inputs);
        for _ in 0..11 {
            let t = Instant::now();
            sel = select::select(&scheme, &inputs);
            times.push(t.elapsed());
        }
        times.sort();
        // The same, consuming the inputs (as `mofan select` and the window do): the
        // clone the borrowing `select` makes is not counted.
        let mut owned = Vec::new();
        for _ in 0..11 {
            let copy = inputs.clone();
            let t = Instant::now();
            sel = select::select_owned(&scheme, copy);
            owned.push(t.elapsed());
        }
        owned.sort();
        // The core as data: no row's texts made.
        let mut decided = time_decide(&scheme, &inputs);
        decided.sort();
        let statuses = sel.results.iter().fold([0usize; 4], |mut acc, r| {
            acc[r.status as usize] += 1;
            acc
        });
        println!(
            "{} {} {} {:.1?} {} {} {:.1?}",
            times[times.len() / 2].as_secs_f64(),
            sel.pools.len(),
            statuses.map(|n| n.to_string()).join("/"),
            times.first().unwrap(),
            owned[owned.len() / 2].as_secs_f64(),
            decided[decided.len() / 2].as_secs_f64(),
            decided.first().unwrap(),
        );
        return;
    }
    // As `mofan select --out` does: the inputs move into the selection (no copy kept).
    let overrides = inputs.overrides.clone();
    let sel = select::select_owned(&scheme, inputs);
    let after_select = high_water_mib();
    let book = ResultBook {
        title: "2026年度模范机关评选".into(),
        scheme: &scheme,
        selection: &sel,
        files: files(count),
        decisions: decisions(&sel, &overrides),
        generated_at: GENERATED.into(),
        review: None,
        run: None,
    };
    let t = Instant::now();
    match mode {
        "setup" => {}
        "book" => results::write(out, &book).unwrap(),
        "book-buffered" => {
            let bytes = results::build(&book).unwrap().save_to_buffer().unwrap();
            mofan::export::write_atomic(out, &bytes).unwrap();
        }
        "bare" => bare(&book, out, false),
        "bare-lowmem" => bare(&book, out, true),
        other => panic!("unknown mode {other}"),
    }
    println!("{}", t.elapsed().as_secs_f64());
    println!(
        "peak RSS {after_inputs:.1} MiB after generating the returns, {after_select:.1} MiB after select, {:.1} MiB at the end",
        high_water_mib()
    );
}

/// This process's peak resident memory so far (VmHWM), in MiB.
fn high_water_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Runs a child, returning what it printed, its wall time and its peak RSS in KiB.
// The child is reaped by `wait4`, which clippy does not recognise.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (String, Duration, u64) {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).spawn().expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    // SAFETY: wait4 on our own child with valid pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "command failed: {cmd:?}"
    );
    (reader.join().unwrap(), elapsed, usage.ru_maxrss as u64)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let count: usize = opt("--returns")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if args.get(1).map(String::as_str) == Some("child") {
        child(&args[2], count, Path::new(&args[3]));
        return;
    }
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let me = std::env::current_exe().unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let (line, _, _) = measure(
        Command::new(&me)
            .args(["child", "select", "-", "--returns"])
            .arg(count.to_string()),
    );
    let mut parts = line.split_whitespace();
    let select_s = f64::from_str(parts.next().unwrap()).unwrap();
    let rest: Vec<&str> = parts.collect();
    println!(
        "select over {count} returns: median {:.1} ms of 11 runs, fastest {} (pools, then statuses selected/tie_pending/not_selected/ineligible: {} {}); select_owned (the inputs' clone not counted): median {:.1} ms",
        select_s * 1000.0,
        rest[2],
        rest[0],
        rest[1],
        f64::from_str(rest[3]).unwrap() * 1000.0
    );
    println!(
        "the selection core as data (decide, the inputs' clone not counted) after those 22 selections in the same process: median {:.1} ms, fastest {}",
        f64::from_str(rest[4]).unwrap() * 1000.0,
        rest[5]
    );
    let (line, _, _) = measure(
        Command::new(&me)
            .args(["child", "decide", "-", "--returns"])
            .arg(count.to_string()),
    );
    let ms: Vec<f64> = line
        .split_whitespace()
        .map(|v| f64::from_str(v).unwrap() * 1000.0)
        .collect();
    println!(
        "the selection core (decide) in a process of its own, as `mofan select` runs it: first call {:.1} ms, median of 11 {:.1} ms (target < 50 ms)",
        ms[0], ms[1]
    );
    println!();
    println!("| mode | write (median) | child wall (median) | peak RSS (max) | file size |");
    println!("|---|---|---|---|---|");
    let mut medians = Vec::new();
    let mut notes = Vec::new();
    for mode in ["setup", "bare", "bare-lowmem", "book-buffered", "book"] {
        let mut writes = Vec::new();
        let mut walls = Vec::new();
        let mut rss = 0;
        let out = tmp.path().join(format!("{mode}.xlsx"));
        for _ in 0..runs {
            let _ = std::fs::remove_file(&out);
            let (line, wall, peak) = measure(
                Command::new(&me)
                    .args(["child", mode])
                    .arg(&out)
                    .args(["--returns", &count.to_string()]),
            );
            let mut lines = line.lines();
            writes.push(f64::from_str(lines.next().unwrap().trim()).unwrap());
            if let Some(note) = lines.next() {
                notes.push(format!("{mode}: {note}"));
            }
            walls.push(wall.as_secs_f64());
            rss = rss.max(peak);
        }
        let size = std::fs::metadata(&out).map_or(0, |m| m.len());
        let (w, wall) = (median(writes), median(walls));
        medians.push((mode, w, rss));
        println!(
            "| {mode} | {:.2} s | {:.2} s | {:.1} MiB | {} |",
            w,
            wall,
            rss as f64 / 1024.0,
            if size == 0 {
                "-".to_string()
            } else {
                format!("{:.1} MiB", size as f64 / 1_048_576.0)
            }
        );
    }
    println!();
    for n in notes.iter().step_by(runs) {
        println!("{n}");
    }
    let get = |m: &str| medians.iter().find(|x| x.0 == m).unwrap();
    let book = get("book");
    println!();
    println!(
        "workbook / bare write: {:.2}× (target ≤ 1.3×); workbook / bare low-memory write: {:.2}×; workbook peak RSS {:.1} MiB (target < 150 MiB; saved from a buffer as before: {:.1} MiB); core (decide) in a process of its own {:.1} ms median, first call {:.1} ms (target < 50 ms; after 22 selections in one process {:.1} ms), select {:.1} ms",
        book.1 / get("bare").1,
        book.1 / get("bare-lowmem").1,
        book.2 as f64 / 1024.0,
        get("book-buffered").2 as f64 / 1024.0,
        ms[1],
        ms[0],
        f64::from_str(rest[4]).unwrap() * 1000.0,
        select_s * 1000.0
    );
}
