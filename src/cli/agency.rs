//! `mofan agency show` and `mofan history`: an agency's history across every campaign
//! (历年情况, docs/specification.md §11), as text or §7's JSON; and every agency's outcomes
//! over a range of years as a workbook.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use mofan::history::{self, AgencyHistory, LedgerEntry, YearOutcome};
use mofan::select::fmt2;
use mofan::supervision::AgencyRef;

use super::out::{outln, print_json};
use super::supervision::{accountability_line, supervision_line};
use super::Globals;

/// The subcommands of `mofan agency`.
#[derive(Subcommand)]
pub enum AgencyCmd {
    /// 单位历年情况：身份、各年度评选结果及原因、命名与复查、清单台账、督查与问责
    Show {
        /// 单位：统一社会信用代码（或唯一的单位名称）
        #[arg(value_name = "USCC|NAME")]
        agency: String,
        /// 台账事项状态所依据的日期 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
}

/// `mofan history`.
#[derive(Args)]
pub struct HistoryArgs {
    /// 起始年度
    #[arg(long)]
    from: i32,
    /// 结束年度
    #[arg(long)]
    to: i32,
    /// 输出工作簿（.xlsx）
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

fn year_line(y: &YearOutcome) -> String {
    let mut parts = vec![format!("{}年度", y.year), y.name.clone()];
    match y.status {
        Some(status) => {
            parts.push(format!(
                "综合得分{}",
                y.composite.map_or_else(|| "—".to_string(), fmt2)
            ));
            if let Some(rank) = y.rank {
                parts.push(format!("第{rank}名"));
            }
            parts.push(status.label().to_string());
        }
        None => parts.push(y.note.clone().unwrap_or_default()),
    }
    if y.campaign_status == mofan::vocab::CampaignStatus::Published {
        parts.push("（已发布）".to_string());
    }
    if y.stale {
        parts.push("（此后数据有变化）".to_string());
    }
    parts.join("  ")
}

/// One ledger item of the history: number, list, status, text, deadline, where found.
fn ledger_line(e: &LedgerEntry) -> String {
    let mut parts = vec![
        format!("第{}号", e.id),
        e.kind.label().to_string(),
        e.status.label().to_string(),
        e.text.clone(),
    ];
    if let Some(s) = e.source {
        parts.push(format!("来源：{}", s.label()));
    }
    if let Some(d) = e.deadline {
        parts.push(format!("时限{d}"));
    }
    if let Some(d) = e.done_on {
        parts.push(format!("{d}完成"));
    }
    if let Some(o) = &e.owner {
        parts.push(format!("责任人：{o}"));
    }
    if let Some(s) = e.supervision {
        parts.push(format!("第{s}号督查记录发现"));
    }
    parts.join("  ")
}

fn print_text(h: &AgencyHistory, date: NaiveDate) -> Result<()> {
    let a = &h.agency;
    outln!("{}", a.name)?;
    outln!(
        "统一社会信用代码：{}",
        a.uscc.as_deref().unwrap_or("（无）")
    )?;
    let mut place = vec![a.tier.label().to_string()];
    if let Some(r) = &a.region {
        place.push(r.clone());
    }
    place.push(a.unit_type.clone());
    outln!("{}", place.join("  "))?;
    if !a.former_names.is_empty() {
        let names: Vec<String> = a
            .former_names
            .iter()
            .map(|f| {
                let years: Vec<String> = f.years.iter().map(|y| format!("{y}年")).collect();
                format!("{}（{}）", f.name, years.join("、"))
            })
            .collect();
        outln!("曾用名：{}", names.join("；"))?;
    }
    outln!("\n历年评选：")?;
    if h.years.is_empty() {
        outln!("  （未参加过评选）")?;
    }
    for y in &h.years {
        outln!("  {}", year_line(y))?;
        for r in &y.reasons {
            outln!("    · {r}")?;
        }
    }
    outln!("\n命名记录：")?;
    if h.awards.is_empty() {
        outln!("  （无）")?;
    }
    for w in &h.awards {
        outln!(
            "  {}年  {}  {}  {}",
            w.year,
            w.title,
            w.doc_number.as_deref().unwrap_or(""),
            w.status.label()
        )?;
    }
    outln!("\n复查记录：")?;
    if h.reviews.is_empty() {
        outln!("  （无）")?;
    }
    for r in &h.reviews {
        let mut line = format!(
            "  {}  {}年命名  {}  {}",
            r.date,
            r.award_year,
            r.trigger.label(),
            r.outcome.label()
        );
        if let Some(d) = r.deadline {
            line.push_str(&format!("  整改期限{d}"));
        }
        if !r.reasons.is_empty() {
            line.push_str(&format!("  {}", r.reasons.join("；")));
        }
        outln!("{line}")?;
    }
    outln!("\n清单台账（状态截至{date}）：")?;
    if h.ledger.is_empty() {
        outln!("  （无）")?;
    }
    for e in &h.ledger {
        outln!("  {}", ledger_line(e))?;
    }
    outln!("\n督查记录：")?;
    if h.supervision.is_empty() {
        outln!("  （无）")?;
    }
    for s in &h.supervision {
        outln!("  {}", supervision_line(s))?;
    }
    outln!("\n问责记录：")?;
    if h.accountability.is_empty() {
        outln!("  （无）")?;
    }
    for a in &h.accountability {
        outln!("  {}", accountability_line(a))?;
    }
    Ok(())
}

/// Runs `mofan agency …`.
pub fn run(globals: &Globals, cmd: AgencyCmd) -> Result<()> {
    match cmd {
        AgencyCmd::Show { agency, date, json } => {
            let store = globals.open_store()?;
            let date = date.unwrap_or_else(mofan::today);
            let h = history::show(&store, AgencyRef::Named(&agency), date)?;
            if json {
                return print_json(&h);
            }
            print_text(&h, date)
        }
    }
}

/// Runs `mofan history`.
pub fn run_history(globals: &Globals, args: &HistoryArgs) -> Result<()> {
    let store = globals.open_store()?;
    let generated = mofan::now_string();
    let t = mofan::export::history::write(&store, args.from, args.to, &args.out, &generated)?;
    outln!(
        "已写入 {}：{}家单位，{}个评选年度",
        args.out.display(),
        t.rows.len(),
        t.years.len()
    )?;
    Ok(())
}
