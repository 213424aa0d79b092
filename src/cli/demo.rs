//! `mofan demo [--remove]`: a fictional sample campaign, to try every command on, in a year
//! of its own (`mofan::demo::DEMO_YEAR`) that no real campaign can have; `--remove` deletes
//! it with everything it brought.

use anyhow::Result;
use clap::Args;

use super::campaign::print_deleted;
use super::out::outln;
use super::Globals;

/// Arguments of `mofan demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// 删除示例年度及其全部数据（申报、文件、虚构的命名记录）
    #[arg(long)]
    remove: bool,
}

/// Runs `mofan demo`.
pub fn run(globals: &Globals, args: &DemoArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    if args.remove {
        let d = mofan::demo::remove(&mut store, &globals.operator)?;
        return print_deleted(&d);
    }
    let r = mofan::demo::load(&mut store, &globals.operator)?;
    outln!(
        "已载入示例数据：{}（示例年度 {}，不占用真实年度），申报 {} 条，命名记录 {} 条",
        mofan::demo::TITLE,
        r.year,
        r.returns,
        r.awards
    )?;
    Ok(())
}
