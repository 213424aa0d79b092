//! `mofan publicity start|status`: the publicity (公示) of the proposed list before
//! publishing (docs/specification.md §9).

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;

use mofan::publicity;

use super::out::{errln, outln, print_json};
use super::Globals;

/// The subcommands of `mofan publicity`.
#[derive(Subcommand)]
pub enum PublicityCmd {
    /// 开始公示：公示当前评选结果中尚未公示的入选单位（首次公示或补充公示）
    Start {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 公示开始日期 YYYY-MM-DD（当天是工作日则计入）
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: NaiveDate,
        /// 公示工作日数（默认：评选方案的 [publicity] working_days）
        #[arg(long, value_name = "N")]
        days: Option<u32>,
    },
    /// 公示情况：各轮公示、未处理异议、可发布日期及不能发布的原因
    Status {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 按此日期判断能否发布 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
}

/// "2026年11月2日至11月6日".
fn period(from: NaiveDate, to: NaiveDate) -> String {
    mofan::notice::text::cn_period(from, to)
}

/// Runs `mofan publicity …`.
pub fn run(globals: &Globals, cmd: PublicityCmd) -> Result<()> {
    match cmd {
        PublicityCmd::Start {
            campaign,
            from,
            days,
        } => {
            let mut store = globals.open_store()?;
            let r = publicity::start(&mut store, campaign, from, days, &globals.operator)?;
            for w in &r.warnings {
                errln!("{w}");
            }
            outln!(
                "已开始{}年度第{}轮{}：{}（{}个工作日），公示{}家单位",
                campaign,
                r.number,
                if r.supplementary {
                    "补充公示"
                } else {
                    "公示"
                },
                period(r.from, r.to),
                r.working_days,
                r.agencies.len()
            )?;
            for a in &r.agencies {
                outln!("  {}\t{}", a.name, a.uscc.as_deref().unwrap_or(""))?;
            }
            Ok(())
        }
        PublicityCmd::Status {
            campaign,
            date,
            json,
        } => {
            let store = globals.open_store()?;
            let on = date.unwrap_or_else(mofan::today);
            let (status, standing) = publicity::status(&store, campaign, on)?;
            for w in publicity::warnings(&standing) {
                errln!("{w}");
            }
            if json {
                return print_json(&status);
            }
            if standing.working_days == 0 {
                outln!("{campaign}年度评选方案不设公示，发布前无需公示")?;
                return Ok(());
            }
            for (i, r) in standing.rounds.iter().enumerate() {
                outln!(
                    "第{}轮{}：{}，{}家单位",
                    i + 1,
                    if i == 0 { "公示" } else { "补充公示" },
                    period(r.from, r.to),
                    r.agencies.len()
                )?;
            }
            outln!("未处理异议：{}条", status.objections_open)?;
            if let Some(d) = status.can_publish_on {
                outln!("可发布日期：{d}")?;
            }
            if status.blocked_by.is_empty() {
                outln!("{on}可以发布")?;
            } else {
                outln!("{on}不能发布：{}", status.blocked_by.join("；"))?;
            }
            Ok(())
        }
    }
}
