//! Ballot import benchmark (issue 12): `mofan ballots import` against calamine's raw cell
//! iteration over the same files, side by side in one run, as child processes whose wall
//! time and peak resident memory are measured with `wait4`.
//!
//!     cargo run --release --example bench_ballots -- [--runs 3] [--dir DIR]
//!
//! It writes, with rust_xlsxwriter: the returns of 200 units (imported first, not timed:
//! ballots score the units of a campaign), one per-respondent survey export of 5,000
//! respondents × 200 unit columns (a million answers, with 问卷星's metadata columns and
//! question stems), and 200 tally files (计票汇总表) of the 200 units each with 发放/回收
//! counts. For each set it runs (a) this program in `raw` mode, which opens every file with
//! calamine and iterates every cell, and (b) `mofan ballots import` of the same files into a
//! database holding the campaign and its returns. Prints the median of the runs. Targets:
//! import within 2× of the raw read; peak memory under 150 MiB.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rust_xlsxwriter::Workbook;

#[path = "support/bench.rs"]
mod bench;
use bench::{measure, median, raw_read};

/// Units scored, respondents of the survey, tally files.
const UNITS: usize = 200;
const RESPONDENTS: usize = 5_000;
const TALLIES: usize = 200;

const CHOICES: [&str; 4] = ["满意", "基本满意", "一般", "不满意"];
const META: [&str; 6] = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "来自IP",
];

/// A valid USCC for a serial number.
fn uscc(n: usize) -> String {
    mofan::uscc::with_check_digit(&format!("114401{n:011}")).expect("17 digits")
}

fn unit_name(n: usize) -> String {
    format!("测试市第{n}号机关")
}

/// The returns of the units, every score present (群众测评 is computed, so it has none).
fn write_returns(path: &Path) {
    let header = [
        "单位名称",
        "统一社会信用代码",
        "层级",
        "所属地区",
        "单位类型",
        "日常考核",
        "自评",
        "互评",
        "组织考评",
        "第三方评价",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for n in 0..UNITS {
        let r = (n + 1) as u32;
        ws.write_string(r, 0, unit_name(n)).unwrap();
        ws.write_string(r, 1, uscc(n)).unwrap();
        ws.write_string(r, 2, "县级").unwrap();
        ws.write_string(r, 3, format!("测试市第{}区", n % 10))
            .unwrap();
        ws.write_string(r, 4, "政府机关").unwrap();
        for k in 0..5 {
            ws.write_number(r, 5 + k, 85.0 + ((n + k as usize) % 15) as f64)
                .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// The survey export: a row per respondent, metadata first, then a column per unit under
/// the question stem.
fn write_survey(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    for (c, h) in META.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for n in 0..UNITS {
        ws.write_string(
            0,
            (META.len() + n) as u16,
            format!("3、请您对以下单位的工作作出评价—{}", unit_name(n)),
        )
        .unwrap();
    }
    for i in 0..RESPONDENTS {
        let r = (i + 1) as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, "2026/11/20 10:15:32").unwrap();
        ws.write_string(r, 2, "95秒").unwrap();
        ws.write_string(r, 3, "微信").unwrap();
        ws.write_string(r, 4, "N/A").unwrap();
        ws.write_string(r, 5, "10.0.0.1(广东-广州)").unwrap();
        for n in 0..UNITS {
            // Mostly satisfied, deterministic, with a few not-counted answers.
            let k = (i * 7 + n * 3) % 23;
            let word = match k {
                0 => "不了解",
                1 => CHOICES[3],
                2..=4 => CHOICES[2],
                5..=9 => CHOICES[1],
                _ => CHOICES[0],
            };
            ws.write_string(r, (META.len() + n) as u16, word).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// One tally file: a row per unit with counts per choice and 发放/回收.
fn write_tally(path: &Path, file: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("计票汇总").unwrap();
    let header = [
        "单位名称",
        "发放",
        "回收",
        "满意",
        "基本满意",
        "一般",
        "不满意",
        "不了解",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for n in 0..UNITS {
        let r = (n + 1) as u32;
        let counts = [
            20 + (n + file) % 7,
            5 + (n * 3 + file) % 5,
            (n + file * 3) % 3,
            (n + file) % 2,
            (n * 5 + file) % 2,
        ];
        let returned: usize = counts.iter().sum();
        ws.write_string(r, 0, unit_name(n)).unwrap();
        // 发放 differs per file, so that no two files are the same bytes (a duplicate is
        // skipped, which would flatter the import).
        ws.write_number(r, 1, (returned + 2 + file) as f64).unwrap();
        ws.write_number(r, 2, returned as f64).unwrap();
        for (k, c) in counts.iter().enumerate() {
            ws.write_number(r, 3 + k as u16, *c as f64).unwrap();
        }
    }
    wb.save(path).unwrap();
}

struct Inputs {
    scheme: PathBuf,
    returns: PathBuf,
    survey: PathBuf,
    tallies: Vec<PathBuf>,
}

fn inputs(dir: &Path) -> Inputs {
    Inputs {
        scheme: dir.join("scheme.toml"),
        returns: dir.join("returns.xlsx"),
        survey: dir.join("survey_5000x200.xlsx"),
        tallies: (0..TALLIES)
            .map(|i| dir.join(format!("tally_{i:03}.xlsx")))
            .collect(),
    }
}

/// The shipped default scheme with 群众测评 computed from ballots.
fn scheme_text() -> String {
    mofan::scheme::DEFAULT_TOML.replacen(
        "key = \"public\"\n",
        "key = \"public\"\nsource = \"ballots\"\n",
        1,
    )
}

fn generate(dir: &Path) {
    let i = inputs(dir);
    std::fs::write(&i.scheme, scheme_text()).unwrap();
    if !i.returns.exists() {
        write_returns(&i.returns);
    }
    if !i.survey.exists() {
        write_survey(&i.survey);
    }
    for (n, p) in i.tallies.iter().enumerate() {
        if !p.exists() {
            write_tally(p, n);
        }
    }
}

/// A fresh database with the campaign (scheme computing 群众测评) and its returns.
fn prepare(mofan: &Path, db: &Path, i: &Inputs) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    for args in [
        vec![
            "campaign".to_string(),
            "create".into(),
            "--year".into(),
            "2026".into(),
            "--scheme".into(),
            i.scheme.display().to_string(),
        ],
        vec![
            "import".into(),
            "--campaign".into(),
            "2026".into(),
            i.returns.display().to_string(),
        ],
    ] {
        let out = Command::new(mofan)
            .arg("--db")
            .arg(db)
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
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
    let i = inputs(&dir);
    eprintln!("files ready in {:.1?} ({})", t.elapsed(), dir.display());

    println!("{}", bench::TABLE_HEADER);
    for (label, files) in [
        (
            "survey export, 5,000 respondents × 200 units",
            vec![i.survey.clone()],
        ),
        ("200 tally files × 200 units", i.tallies.clone()),
    ] {
        let mut raw = Vec::new();
        let mut imp = Vec::new();
        for run in 0..runs {
            raw.push(measure(Command::new(&me).arg("raw").args(&files)));
            let db = dir.join(format!("bench_{run}.db"));
            prepare(&mofan, &db, &i);
            imp.push(measure(
                Command::new(&mofan)
                    .arg("--db")
                    .arg(&db)
                    .args([
                        "ballots",
                        "import",
                        "--campaign",
                        "2026",
                        "--component",
                        "public",
                        "--json",
                    ])
                    .args(&files),
            ));
            // Nothing was skipped as a duplicate, and every unit got its ballots: the
            // list gives each a score.
            let db_files: i64 = rusqlite::Connection::open(&db)
                .unwrap()
                .query_row(
                    "SELECT COUNT(*) FROM imported_files WHERE kind = 'ballots'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(db_files as usize, files.len(), "every file imported");
            let out = Command::new(&mofan)
                .arg("--db")
                .arg(&db)
                .args(["ballots", "list", "--campaign", "2026", "--json"])
                .output()
                .unwrap();
            assert!(out.status.success());
            let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let scored = list
                .as_array()
                .unwrap()
                .iter()
                .filter(|u| u["score"].is_number())
                .count();
            assert_eq!(scored, UNITS, "every unit is scored");
        }
        println!("{}", bench::table_row(label, &median(&raw), &median(&imp)));
    }
}
