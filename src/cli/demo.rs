//! `mofan demo`: a fictional sample campaign, to try every command on.

use anyhow::Result;
use clap::Args;

use super::out::outln;
use super::Globals;

/// Arguments of `mofan demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// 示例年度（不能是已有的年度）
    #[arg(long)]
    year: i32,
}

/// Runs `mofan demo`.
pub fn run(globals: &Globals, args: &DemoArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let r = mofan::demo::load(&mut store, args.year, &globals.operator)?;
    outln!(
        "已载入示例数据：{}年度，申报 {} 条，命名记录 {} 条",
        r.year,
        r.returns,
        r.awards
    )?;
    Ok(())
}
