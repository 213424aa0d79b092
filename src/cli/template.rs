//! `mofan template`: the blank returns workbook of a scheme, with its drop-down lists and
//! filling notes. It opens no database.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use mofan::scheme::Scheme;

use super::out::outln;

/// Arguments of `mofan template`.
#[derive(Args)]
pub struct TemplateArgs {
    /// 评选方案 TOML 文件（不指定时使用默认方案）
    #[arg(long, value_name = "FILE")]
    scheme: Option<PathBuf>,
    /// 写入表头标题的年度（默认取方案中的 year，都没有时标题不写年度）
    #[arg(long)]
    year: Option<i32>,
    /// 输出的模板文件，如 申报模板.xlsx
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Runs `mofan template`.
pub fn run(args: &TemplateArgs) -> Result<()> {
    let scheme = match args.scheme.as_deref() {
        Some(path) => Scheme::parse(&mofan::campaign::read_scheme_file(path)?)?,
        None => Scheme::default_scheme(),
    };
    mofan::template::write_template(&scheme, args.year, &args.out)?;
    outln!("已生成申报模板 {}", args.out.display())?;
    Ok(())
}
