//! `mofan override`: the panel's decision on one agency (纳入, 不予入选, or withdrawn),
//! with its reason, then the selection it gives.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use mofan::select::{self, OverrideRequest};
use mofan::store::overrides::OverrideAction;

use super::out::outln;
use super::Globals;

/// Arguments of `mofan override`.
#[derive(Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["include", "exclude", "clear"])))]
pub struct OverrideArgs {
    /// 评选年度
    #[arg(long)]
    pub campaign: i32,
    /// 单位：统一社会信用代码（或在本年度唯一的单位名称）
    #[arg(long)]
    pub agency: String,
    /// 纳入（不论排名）
    #[arg(long)]
    pub include: bool,
    /// 不予入选（不论排名）
    #[arg(long)]
    pub exclude: bool,
    /// 撤销此前对该单位的调整
    #[arg(long)]
    pub clear: bool,
    /// 调整理由（必填）
    #[arg(long)]
    pub reason: String,
    /// 确认超出名额纳入
    #[arg(long)]
    pub confirm: bool,
    /// 以 JSON 输出调整后的评选结果
    #[arg(long)]
    pub json: bool,
}

/// Runs `mofan override`.
pub fn run(globals: &Globals, args: &OverrideArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let action = if args.include {
        OverrideAction::Include
    } else if args.exclude {
        OverrideAction::Exclude
    } else {
        OverrideAction::Clear
    };
    let req = OverrideRequest {
        year: args.campaign,
        agency: args.agency.clone(),
        action,
        reason: args.reason.clone(),
        confirm_beyond_quota: args.confirm,
    };
    let (sel, agency_id) = select::set_override(&mut store, &req, &globals.operator)?;
    if args.json {
        let mut out = std::io::BufWriter::new(super::out::stdout());
        select::write_json(&mut out, &sel, select::NO_REVIEWS)?;
        out.flush()?;
        return Ok(());
    }
    if let Some(r) = sel.results.iter().find(|r| r.agency_id == agency_id) {
        outln!("已记录评审组调整：{}（{}）", r.name, action.label())?;
        outln!("该单位现为：{}", r.status.label())?;
        if let Some(p) = r
            .pool
            .as_deref()
            .and_then(|p| sel.pools.iter().find(|x| x.pool == p))
        {
            outln!(
                "“{}”组：名额{}个，入选{}家，并列待定{}家",
                select::pool_label(&p.pool),
                p.quota,
                p.selected,
                p.tie_pending
            )?;
        }
    }
    Ok(())
}
