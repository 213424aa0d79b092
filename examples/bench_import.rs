//! Import benchmark (issue 2): `mofan import` against calamine's raw cell iteration over
//! the same files, side by side in one run, as child processes whose wall time and peak
//! resident memory are measured with `wait4`.
//!
//!     cargo run --release --example bench_import -- [--runs 3] [--dir DIR]
//!
//! It writes 200 return files of 500 rows (100,000 returns) and one file of 100,000 rows
//! with rust_xlsxwriter, then for each set runs (a) this program in `raw` mode, which
//! opens every file with calamine and iterates every cell of every sheet, and (b)
//! `mofan import` of the same files into a fresh database. Prints the median of the
//! runs. Targets: import within 1.5× of the raw read; peak memory under 150 MiB for the
//! 200-file batch.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rust_xlsxwriter::Workbook;

#[path = "support/bench.rs"]
mod bench;
use bench::{measure, median, raw_read};

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

fn write_file(path: &Path, first: usize, rows: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报汇总").unwrap();
    ws.write_string(0, 0, "2026年度模范机关申报汇总表").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for i in 0..rows {
        let n = first + i;
        let r = (i + 3) as u32;
        let s = |k: usize| 80.0 + ((n * 7 + k * 13) % 2000) as f64 / 100.0;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("测试市第{n}号机关")).unwrap();
        ws.write_string(r, 2, uscc(n)).unwrap();
        ws.write_string(r, 3, "县级").unwrap();
        ws.write_string(r, 4, format!("测试市第{}区", n % 50))
            .unwrap();
        ws.write_string(r, 5, ["党群机关", "政府机关", "政法机关"][n % 3])
            .unwrap();
        for k in 0..6 {
            ws.write_number(r, 6 + k as u16, s(k)).unwrap();
        }
        for k in 0..4 {
            ws.write_string(r, 12 + k, "否").unwrap();
        }
        ws.write_number(r, 16, (n % 9) as f64).unwrap();
        ws.write_number(r, 17, (n % 9 / 2) as f64).unwrap();
    }
    ws.write_string((rows + 3) as u32, 0, "合计").unwrap();
    wb.save(path).unwrap();
}

/// The benchmark's input files in `dir`: the 200-file batch and the single large file.
fn inputs(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let batch = (0..200)
        .map(|i| dir.join(format!("batch_{i:03}.xlsx")))
        .collect();
    (batch, dir.join("single_100000.xlsx"))
}

fn generate(dir: &Path) {
    let (batch, big) = inputs(dir);
    for (i, p) in batch.iter().enumerate() {
        if !p.exists() {
            write_file(p, i * 500, 500);
        }
    }
    if !big.exists() {
        write_file(&big, 1_000_000, 100_000);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("raw") => {
            let files: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
            raw_read(&files);
            return;
        }
        // Generating in a child keeps this process small: Linux carries a parent's
        // peak RSS into the `ru_maxrss` of the children it execs.
        Some("gen") => {
            generate(Path::new(&args[2]));
            return;
        }
        _ => {}
    }
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(3);
    let tmp = tempfile::tempdir().unwrap();
    let dir = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    let mofan = me
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("mofan"))
        .filter(|p| p.exists())
        .expect("build the mofan binary first: cargo build --release");

    let t = Instant::now();
    let ok = Command::new(&me).arg("gen").arg(&dir).status().unwrap();
    assert!(ok.success(), "generating the files failed");
    let (batch, big) = inputs(&dir);
    eprintln!("files ready in {:.1?} ({})", t.elapsed(), dir.display());

    println!("{}", bench::TABLE_HEADER);
    for (label, files) in [
        ("200 files × 500 rows", batch.clone()),
        ("1 file × 100,000 rows", vec![big.clone()]),
    ] {
        let mut raw = Vec::new();
        let mut imp = Vec::new();
        for run in 0..runs {
            raw.push(measure(Command::new(&me).arg("raw").args(&files)));
            let db = dir.join(format!("bench_{run}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            let ok = Command::new(&mofan)
                .arg("--db")
                .arg(&db)
                .args(["campaign", "create", "--year", "2026"])
                .output()
                .unwrap();
            assert!(ok.status.success());
            imp.push(measure(
                Command::new(&mofan)
                    .arg("--db")
                    .arg(&db)
                    .args(["import", "--campaign", "2026", "--json"])
                    .args(&files),
            ));
            let n: i64 = rusqlite::Connection::open(&db)
                .unwrap()
                .query_row(
                    "SELECT COUNT(*) FROM returns WHERE state = 'current'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 100_000, "import did not store every return");
        }
        println!("{}", bench::table_row(label, &median(&raw), &median(&imp)));
    }
}
