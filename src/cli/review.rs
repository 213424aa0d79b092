//! `mofan review`: the periodic review of named agencies (复查名单, 整改名单, 撤销名单),
//! and with `--apply` its outcome written into the awards registry — once per campaign
//! year. After the year's review was applied, a review without `--apply` is a what-if on
//! its date (said so on stderr), and `--out` writes the applied review, as recorded.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use mofan::ledger;
use mofan::review::{self, Outcome, ReviewRow};
use mofan::select;

use super::out::{errln, outln};
use super::Globals;

/// Arguments of `mofan review`.
#[derive(Args)]
pub struct ReviewArgs {
    /// 评选年度
    #[arg(long)]
    pub campaign: i32,
    /// 复查日期 YYYY-MM-DD（须在评选年度内）
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: NaiveDate,
    /// 把复查结果写入命名记录（状态、最近复查年度、整改期限、撤销年度）
    #[arg(long)]
    pub apply: bool,
    /// 以 JSON 输出（格式见 docs/specification.md §7）
    #[arg(long)]
    pub json: bool,
    /// 写出含复查名单、整改名单、撤销名单的评选结果工作簿
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn print_lists(rows: &[ReviewRow], open: &HashMap<i64, Vec<ledger::Item>>) -> std::io::Result<()> {
    if rows.is_empty() {
        return outln!("没有需要复查的命名单位");
    }
    outln!("复查名单（{}家）：", rows.len())?;
    for r in rows {
        outln!(
            "  {}\t{}年命名\t{}\t{}\t{}",
            r.name,
            r.award_year,
            r.trigger.label(),
            r.outcome.label(),
            r.reasons.join("；")
        )?;
        // The agency's open problems in the ledger on the review date.
        for i in open
            .get(&r.agency_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            outln!(
                "      未完成问题 {}：{}（时限{}，{}）",
                i.id,
                i.text,
                i.deadline.map(|d| d.to_string()).unwrap_or_default(),
                i.status.label()
            )?;
        }
    }
    let rectify: Vec<_> = rows
        .iter()
        .filter(|r| r.outcome == Outcome::Rectify)
        .collect();
    if !rectify.is_empty() {
        outln!("\n整改名单：")?;
        for r in rectify {
            let deadline = r.deadline.map(|d| d.to_string()).unwrap_or_default();
            outln!(
                "  {}\t整改期限 {deadline}\t{}",
                r.name,
                r.reasons.join("；")
            )?;
        }
    }
    let revoke: Vec<_> = rows
        .iter()
        .filter(|r| r.outcome == Outcome::Revoke)
        .collect();
    if !revoke.is_empty() {
        outln!("\n撤销名单：")?;
        for r in revoke {
            outln!("  {}\t{}", r.name, r.reasons.join("；"))?;
        }
    }
    Ok(())
}

/// Runs `mofan review`.
pub fn run(globals: &Globals, args: &ReviewArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let rows = if args.apply {
        let applied = review::apply(&mut store, args.campaign, args.date, &globals.operator)?;
        if applied.changed == 0 {
            errln!("复查结果此前已应用，命名记录没有变化");
        } else {
            errln!("已应用复查结果：{} 家单位的命名记录已更新", applied.changed);
        }
        applied.reviews
    } else {
        let rows = review::run(&store, args.campaign, args.date)?;
        if let Some(done) = review::applied(&store, args.campaign)? {
            errln!(
                "{}年度的复查结果已于{}应用（复查日期{}，操作人：{}）；以下是按{}重新运行的预览，不会应用{}",
                args.campaign,
                done.applied_at.get(..10).unwrap_or(&done.applied_at),
                done.date,
                done.operator,
                args.date,
                if args.out.is_some() { "，工作簿中是已应用的复查名单" } else { "" }
            );
        }
        rows
    };
    let scheme = select::campaign_scheme(&store, args.campaign)?;
    // The outputs carry the last run's result as stored, like every output: a review does
    // not run the selection.
    let selection = match select::latest(&store, args.campaign)? {
        Some(stored) => {
            if let Some(notice) = &stored.state.notice {
                errln!("{notice}");
            }
            stored.selection
        }
        None => {
            if args.json || args.out.is_some() {
                errln!("{}年度尚未运行评选：输出只含复查结果", args.campaign);
            }
            select::Selection::empty(args.campaign)
        }
    };
    let open = ledger::open_problems(&store, args.date)?;
    if let Some(out) = &args.out {
        super::select::write_book(
            &store,
            args.campaign,
            &scheme,
            &selection,
            Some((args.date, &rows)),
            out,
        )?;
    }
    if args.json {
        let mut out = std::io::BufWriter::new(super::out::stdout());
        select::write_json(
            &mut out,
            &selection,
            &review::to_json_with_problems(&rows, &open),
        )?;
        out.flush()?;
    } else {
        print_lists(&rows, &open)?;
    }
    Ok(())
}
