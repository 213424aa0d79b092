//! `mofan ballots import|list|withdraw`: the satisfaction ballots (群众满意度测评) of a
//! campaign's components whose source is `ballots` (docs/specification.md §8).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use mofan::evaluate::text2;
use mofan::export::evaluations::{self, BookKind};
use mofan::import::{self, ballots, FileStatus};
use rust_decimal::Decimal;

use super::import::{conclude, print_report, ImportFlags};
use super::out::{errln, outln, print_json};
use super::Globals;

/// The subcommands of `mofan ballots`.
#[derive(Subcommand)]
pub enum BallotsCmd {
    /// 导入测评票：计票汇总表、问卷导出（每个单位一列）或逐张录入表，按表头自动识别
    Import {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 考核项的键（评选方案中 source = "ballots" 的考核项，如 public）
        #[arg(long)]
        component: String,
        /// 测评票文件（.xlsx .xlsm .xls .ods .csv）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// 列出各单位的测评票数、有效票、回收率、得分或缺分原因
    List {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 另存测评汇总表（供测评组织单位、统计人、监督人签字）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 撤回一个已导入的测评票文件（按编号、SHA-256 或文件名）
    Withdraw {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 文件编号、SHA-256（至少前8位）或文件名
        target: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// Runs `mofan ballots …`.
pub fn run(globals: &Globals, cmd: BallotsCmd) -> Result<()> {
    match cmd {
        BallotsCmd::Import {
            campaign,
            component,
            files,
            flags,
        } => {
            let mut store = globals.open_store()?;
            let opts = flags.options(globals);
            // Opened once: ballots change no unit's return, so every file of the batch
            // sees the same units, and the next file is read while one is stored.
            let importer = import::Ballots::open(&store, campaign, &component)?;
            let mut printed = Ok(());
            let reports = import::import_batch(&mut store, &importer, &files, &opts, |_, r| {
                if !flags.json && printed.is_ok() {
                    printed = print_ballot_report(r);
                }
            })?;
            printed?;
            let reports: Vec<_> = files.into_iter().zip(reports).collect();
            conclude(&reports, &flags)?;
        }
        BallotsCmd::List {
            campaign,
            json,
            out,
        } => {
            let store = globals.open_store()?;
            if let Some(out) = &out {
                // Written first: a list that cannot be saved prints nothing.
                let book = evaluations::from_store(
                    store.conn(),
                    campaign,
                    BookKind::Ballots,
                    &mofan::now_string(),
                )?;
                evaluations::write(out, &book)?;
                errln!("{}已写入 {}", BookKind::Ballots.title(), out.display());
            }
            let components = ballots::summary(&store, campaign)?;
            if json {
                let units: Vec<_> = components.iter().flat_map(|c| &c.units).collect();
                print_json(&units)?;
            } else if components.is_empty() {
                outln!("{campaign}年度的评选方案中没有分数来源为测评票（source = \"ballots\"）的考核项。")?;
            } else {
                for c in &components {
                    outln!("{}（{}）", c.label, c.key)?;
                    for f in &c.files {
                        outln!("  来自《{}》 SHA-256 {}", f.file_name, f.sha256)?;
                    }
                    for u in &c.units {
                        outln!("{}", unit_line(u))?;
                    }
                }
            }
        }
        BallotsCmd::Withdraw {
            campaign,
            target,
            json,
        } => {
            let mut store = globals.open_store()?;
            let r = ballots::withdraw(&mut store, campaign, &target, &globals.operator)?;
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "已撤回测评票文件《{}》（编号{}）：{} 家单位的计票不再计入",
                    r.file,
                    r.id,
                    r.withdrawn
                )?;
            }
        }
    }
    Ok(())
}

/// One unit's line of `mofan ballots list`.
fn unit_line(u: &ballots::UnitBallots) -> String {
    let r = &u.result;
    let counts: Vec<String> = r
        .counts
        .iter()
        .chain(&r.not_counted_words)
        .map(|(w, n)| format!("{w}{n}"))
        .collect();
    let mut line = format!("{}\t{}\t有效票{}", u.name, counts.join(" "), r.valid);
    if let (Some(i), Some(ret)) = (r.issued, r.returned) {
        line.push_str(&format!("\t发放{i} 回收{ret}"));
        if let Some(rate) = r.return_rate {
            line.push_str(&format!(" 回收率{}%", text2(rate * Decimal::ONE_HUNDRED)));
        }
    }
    match (&r.explanation, &r.reason) {
        (Some(e), _) => line.push_str(&format!("\t{e}")),
        (None, Some(why)) => line.push_str(&format!("\t无得分：{why}")),
        (None, None) => {}
    }
    line
}

/// Prints one ballot file's outcome: the rows read and the units whose counts it stored.
fn print_ballot_report(r: &import::FileReport) -> std::io::Result<()> {
    if r.status != FileStatus::Imported {
        return print_report(r, "家单位的测评票");
    }
    let place = match (&r.sheet, r.header_row) {
        (Some(s), Some(h)) => format!("（工作表“{s}”，表头第{h}行）"),
        _ => String::new(),
    };
    if r.errors.is_empty() {
        outln!(
            "已导入《{}》：{} 行，{} 家单位的测评票{place}",
            r.file,
            r.rows,
            r.imported
        )?;
    } else {
        outln!(
            "已部分导入《{}》：{} 行中 {} 处错误未导入，{} 家单位的测评票{place}",
            r.file,
            r.rows,
            r.errors.len(),
            r.imported
        )?;
    }
    for w in &r.warnings {
        errln!("  注意：{w}");
    }
    for e in &r.errors {
        errln!("  错误：《{}》{}", r.file, e.describe());
    }
    Ok(())
}
