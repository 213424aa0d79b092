//! `mofan run`: the whole pipeline in one go.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use mofan::pipeline::{self, RunError, RunOptions};
use mofan::select;
use mofan::store::Store;

use super::import::print_report;
use super::out::errln;
use super::select::{print_summary, write_book};
use super::Globals;

/// Arguments of `mofan run`.
#[derive(Args)]
pub struct RunArgs {
    /// 评选方案 TOML 文件
    #[arg(long, value_name = "FILE")]
    pub scheme: PathBuf,
    /// 申报表文件或文件夹（可多个）
    #[arg(long, value_name = "DIR|FILE", num_args = 1.., required = true)]
    pub returns: Vec<PathBuf>,
    /// 命名记录登记表（历年命名名单）
    #[arg(long, value_name = "FILE")]
    pub awards: Option<PathBuf>,
    /// 复查日期 YYYY-MM-DD（方案未写年度时，其年份即评选年度）
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
    /// 评选结果工作簿
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// 把评选结果 JSON 写入此文件
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Runs `mofan run` on the database of `--db`, or on a fresh in-memory one: without
/// `--db` nothing is kept, whatever `MOFAN_DB` says.
pub fn run(globals: &Globals, args: &RunArgs) -> Result<()> {
    let scheme_toml = mofan::campaign::read_scheme_file(&args.scheme)?;
    let mut store = match globals.db.as_deref() {
        Some(p) => Store::open(p)?,
        None => Store::open_in_memory()?,
    };
    let opts = RunOptions {
        scheme_toml,
        returns: args.returns.clone(),
        awards: args.awards.clone(),
        date: args.date,
        operator: globals.operator.clone(),
    };
    let outcome = match pipeline::run(&mut store, &opts) {
        Ok(o) => o,
        Err(RunError::Rejected(reports)) => {
            for r in &reports {
                print_report(r, "条申报")?;
            }
            return Err(RunError::Rejected(reports).into());
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(a) = &outcome.awards {
        errln!("已导入命名记录《{}》：{} 条", a.file, a.imported);
    }
    for r in &outcome.returns {
        print_report(r, "条申报")?;
    }
    for s in &outcome.skipped {
        errln!("跳过《{s}》：这是命名记录登记表，不是申报表（如需使用请用 --awards 指定）");
    }
    let reviews = outcome.reviews.as_deref().unwrap_or_default();
    write_book(
        &store,
        outcome.year,
        &outcome.scheme,
        &outcome.selection,
        args.date.map(|d| (d, reviews)),
        &args.out,
    )?;
    if let Some(path) = &args.json {
        let mut text = Vec::new();
        select::write_json(
            &mut text,
            &outcome.selection,
            &mofan::review::to_json(reviews),
        )?;
        mofan::export::write_atomic(path, &text)
            .with_context(|| format!("无法写入 {}", path.display()))?;
        errln!("评选结果 JSON 已写入 {}", path.display());
    }
    print_summary(&outcome.selection)?;
    Ok(())
}
