//! `mofan publish`: the selected agencies enter the awards registry under the decision's
//! document number, and the campaign is locked.

use anyhow::Result;
use clap::Args;

use super::out::outln;
use super::Globals;

/// Arguments of `mofan publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// 评选年度
    #[arg(long)]
    pub campaign: i32,
    /// 命名决定的发文字号，如 “粤直工〔2026〕12号”
    #[arg(long)]
    pub doc_number: String,
    /// 发布日期 YYYY-MM-DD（默认今天）；公示期须已结束、异议均已处理
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
}

/// Runs `mofan publish`.
pub fn run(globals: &Globals, args: &PublishArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let p = mofan::campaign::publish(
        &mut store,
        args.campaign,
        &args.doc_number,
        args.date.unwrap_or_else(mofan::today),
        &globals.operator,
    )?;
    outln!(
        "已发布{}年度评选（{}）：{} 家单位记入命名记录，本年度评选已锁定",
        p.year,
        p.doc_number,
        p.awards
    )?;
    Ok(())
}
