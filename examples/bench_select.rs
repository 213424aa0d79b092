//! `mofan select --json` benchmark (issue 16): the command end to end on a database of
//! 100,000 returns, beside its floor, side by side in one run, as child processes whose
//! wall time, CPU time (user + sys) and peak resident memory are measured with `wait4`.
//!
//!     cargo build --release --bin mofan
//!     cargo run --release --example bench_select -- [--runs 3] [--dir DIR]
//!
//! The database is made once in `DIR` (kept between runs when `--dir` is given): one
//! generated return file of 100,000 rows — 10% province, 30% city (20 cities), 60% county
//! (100 counties), five unit types, a veto on 1%, a blank 群众测评 on 0.5%, full ties
//! every 1000 rows — imported with `mofan import` into a fresh campaign, then selected
//! once so that every measured run also reads and compares a previous run, as a clerk's
//! second run does.
//!
//! Modes, each a child:
//! - `mofan`: `mofan select --campaign 2026 --json` (reads the inputs, selects, stores
//!   the run with its fingerprints and audit entry, prints the JSON);
//! - `floor`: what any program answering the same question must at least do — read the
//!   same columns of the same rows from SQLite with a bare prepared statement, and write a
//!   JSON document of the same shape (one object per return: the stored texts, the scores,
//!   a rank, a status and a reason) with serde_json, pretty, to stdout.
//!
//! Target: `mofan select --json` under 0.5 s.

// `wait4` is the one call that reports a child's CPU time and peak memory.
#![allow(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rust_xlsxwriter::Workbook;
use serde::Serialize;

const HEADER: [&str; 18] = [
    "序号",
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
    "日常考核",
    "自评",
    "互评",
    "组织考评",
    "群众测评",
    "第三方评价",
    "严重违纪违法",
    "意识形态问题",
    "重大安全事故",
    "巡视巡察整改不力",
    "问题清单数",
    "已整改数",
];

/// A valid USCC for a serial number.
fn uscc(n: usize) -> String {
    mofan::uscc::with_check_digit(&format!("114401{n:011}")).expect("17 digits")
}

/// A score in [80, 100) with two decimals, pseudo-random in `n` and `k` (splitmix64).
fn score(n: usize, k: usize) -> f64 {
    let mut z = (n as u64) << 8 | k as u64;
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (8000 + (z % 2000)) as f64 / 100.0
}

fn write_file(path: &Path, rows: usize) {
    let types = [
        "党群机关",
        "政府机关",
        "政法机关",
        "人大政协机关",
        "群团组织",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_low_memory().unwrap();
    ws.set_name("申报汇总").unwrap();
    ws.write_string(0, 0, "2026年度模范机关申报汇总表").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for n in 0..rows {
        let r = (n + 3) as u32;
        let (tier, region) = match n % 10 {
            0 => ("省直", None),
            1..=3 => ("市级", Some(format!("测试{}市", n % 20))),
            _ => ("县级", Some(format!("测试{}市第{}区", n % 20, n % 100))),
        };
        let unit_type = types[n % types.len()];
        // Every 1000th return copies the scores of the one 100 before it (same pool).
        let seed = if n % 1000 == 500 { n - 100 } else { n };
        ws.write_number(r, 0, (n + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("测试第{n}号{unit_type}"))
            .unwrap();
        ws.write_string(r, 2, uscc(n)).unwrap();
        ws.write_string(r, 3, tier).unwrap();
        if let Some(region) = region {
            ws.write_string(r, 4, region).unwrap();
        }
        ws.write_string(r, 5, unit_type).unwrap();
        ws.write_number(r, 6, score(seed, 9)).unwrap();
        for k in 0..5 {
            if !(k == 3 && n % 200 == 7) {
                ws.write_number(r, 7 + k as u16, score(seed, k)).unwrap();
            }
        }
        for k in 0..4 {
            let veto = n % 100 == 13 && n % 4 == k;
            ws.write_string(r, 12 + k as u16, if veto { "是" } else { "否" })
                .unwrap();
        }
        ws.write_number(r, 16, (n % 9) as f64).unwrap();
        ws.write_number(r, 17, (n % 9 / 2) as f64).unwrap();
    }
    wb.save(path).unwrap();
}

fn mofan(mofan: &Path, db: &Path, args: &[&str]) {
    let out = Command::new(mofan)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("MOFAN_OPERATOR", "bench")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mofan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes the database (once): the file, the campaign, the import, a first run.
fn database(dir: &Path, bin: &Path, count: usize) -> PathBuf {
    let db = dir.join(format!("select_{count}.db"));
    if db.exists() {
        return db;
    }
    let file = dir.join(format!("returns_{count}.xlsx"));
    if !file.exists() {
        write_file(&file, count);
    }
    let tmp = dir.join("making.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    mofan(bin, &tmp, &["campaign", "create", "--year", "2026"]);
    mofan(
        bin,
        &tmp,
        &["import", "--campaign", "2026", file.to_str().unwrap()],
    );
    mofan(
        bin,
        &tmp,
        &["select", "--campaign", "2026", "--date", "2026-12-01"],
    );
    // A checkpoint folds the WAL into the file, so every copy starts alike.
    rusqlite::Connection::open(&tmp)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::rename(&tmp, &db).unwrap();
    db
}

/// One result object of the floor: the same fields as `select --json`'s.
#[derive(Serialize)]
struct Row {
    uscc: Option<String>,
    name: String,
    tier: String,
    region: Option<String>,
    unit_type: String,
    annual: Option<f64>,
    composite: Option<f64>,
    rank: Option<u32>,
    status: &'static str,
    reasons: Vec<String>,
    pool: Option<String>,
    components: Components,
}

/// A row's scores as `{key: score}`, as the contract writes them.
struct Components(Vec<(String, f64)>);

impl Serialize for Components {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The floor's document: the contract's top level.
#[derive(Serialize)]
struct Doc<'a> {
    campaign: i32,
    pools: [u8; 0],
    results: &'a [Row],
    reviews: [u8; 0],
}

/// The floor: a bare read of the same rows and a bare JSON write of the same shape.
fn floor(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT uscc, name, tier, region, unit_type, daily, components, vetoes
             FROM returns WHERE campaign_year = 2026 AND state = 'current' ORDER BY agency_id",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    let mut n = 0u32;
    while let Some(r) = rows.next().unwrap() {
        n += 1;
        // The stored `{"key": "88.25", …}`, each score read as a number.
        let stored: Vec<(String, String)> = serde_json::from_str::<
            std::collections::BTreeMap<String, String>,
        >(r.get_ref(6).unwrap().as_str().unwrap())
        .unwrap()
        .into_iter()
        .collect();
        let components = Components(
            stored
                .into_iter()
                .map(|(k, v)| (k, v.parse::<f64>().unwrap_or(0.0)))
                .collect(),
        );
        let daily: Option<String> = r.get(5).unwrap();
        let daily = daily.and_then(|d| d.parse::<f64>().ok());
        let tier: String = r.get(2).unwrap();
        let region: Option<String> = r.get(3).unwrap();
        out.push(Row {
            uscc: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            pool: Some(format!("{tier}/{}", region.as_deref().unwrap_or(""))),
            tier,
            region,
            unit_type: r.get(4).unwrap(),
            annual: daily,
            composite: daily,
            rank: Some(n),
            status: "not_selected",
            reasons: vec![format!("第{n}名，本组名额10个，与末位入选相差1.00分")],
            components,
        });
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let doc = Doc {
        campaign: 2026,
        pools: [],
        results: &out,
        reviews: [],
    };
    serde_json::to_writer_pretty(&mut w, &doc).unwrap();
    w.write_all(b"\n").unwrap();
    w.flush().unwrap();
}

struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
    bytes: usize,
}

/// Runs a child, counting what it prints, with its wall and CPU time and peak RSS.
// The child is reaped by `wait4`, which clippy does not recognise.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut v).unwrap();
        v.len()
    });
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
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
        bytes: reader.join().unwrap(),
    }
}

fn median(runs: &mut [Run]) -> (f64, f64, f64, usize) {
    runs.sort_by_key(|r| r.wall);
    let wall = runs[runs.len() / 2].wall.as_secs_f64();
    runs.sort_by_key(|r| r.cpu);
    let cpu = runs[runs.len() / 2].cpu.as_secs_f64();
    let peak = runs.iter().map(|r| r.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
    (wall, cpu, peak, runs[0].bytes)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("floor") {
        floor(Path::new(&args[2]));
        return;
    }
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let runs: usize = opt("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let count: usize = opt("--returns")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = opt("--dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    let bin = me
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("mofan"))
        .filter(|p| p.exists())
        .expect("build the mofan binary first: cargo build --release --bin mofan");
    let t = Instant::now();
    let db = database(&dir, &bin, count);
    eprintln!("database ready in {:.1?} ({})", t.elapsed(), db.display());

    let mut floors = Vec::new();
    let mut mofans = Vec::new();
    for _ in 0..runs {
        floors.push(measure(Command::new(&me).arg("floor").arg(&db)));
        // Each run on a fresh copy, so that the runs table does not grow between runs.
        let copy = dir.join("run.db");
        std::fs::copy(&db, &copy).unwrap();
        // On the disk before the child starts: left in the page cache, the copy's 85 MB
        // were written out by the child's first fsync (its log's header, 0.1–0.2 s of
        // waiting measured), a cost of the benchmark's copying that the floor, which
        // never syncs, did not pay.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&copy)
            .and_then(|f| f.sync_all())
            .unwrap();
        mofans.push(measure(
            Command::new(&bin)
                .arg("--db")
                .arg(&copy)
                .args([
                    "select",
                    "--campaign",
                    "2026",
                    "--json",
                    "--date",
                    "2026-12-01",
                ])
                .env("MOFAN_OPERATOR", "bench"),
        ));
    }
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average: {}", loadavg.trim());
    println!(
        "| {count} returns | wall (median) | CPU user+sys (median) | peak RSS (max) | output |"
    );
    println!("|---|---|---|---|---|");
    let f = median(&mut floors);
    let m = median(&mut mofans);
    for (label, (wall, cpu, peak, bytes)) in [
        ("floor: bare SQLite read + serde_json write", f),
        ("`mofan select --json`", m),
    ] {
        println!(
            "| {label} | {wall:.3} s | {cpu:.3} s | {peak:.1} MiB | {:.1} MiB |",
            bytes as f64 / 1_048_576.0
        );
    }
    println!(
        "\nmofan / floor: {:.2}× wall, {:.2}× CPU; target: `select --json` < 0.5 s",
        m.0 / f.0,
        m.1 / f.1
    );
}
