//! `mofan backup` and `mofan restore`: a copy of the database, and the database replaced
//! by one once the backup has been checked (the replaced file is kept beside it).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::out::outln;
use super::Globals;

/// Arguments of `mofan backup`.
#[derive(Args)]
pub struct BackupArgs {
    /// 备份文件
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `mofan restore`.
#[derive(Args)]
pub struct RestoreArgs {
    /// 备份文件
    file: PathBuf,
}

/// Runs `mofan backup`.
pub fn backup(globals: &Globals, args: &BackupArgs) -> Result<()> {
    globals.open_store()?.backup_to(&args.out)?;
    outln!("已备份到 {}", args.out.display())?;
    Ok(())
}

/// Runs `mofan restore`.
pub fn restore(globals: &Globals, args: &RestoreArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let r = mofan::backup::restore(&mut store, &args.file, &globals.operator)?;
    let kept = r.kept.as_ref().map(|k| k.display().to_string());
    let upgraded = if r.backup_version < r.version {
        format!(
            "（备份为第{}版，已升级到第{}版）",
            r.backup_version, r.version
        )
    } else {
        String::new()
    };
    outln!("已从 {} 恢复数据库{upgraded}", args.file.display())?;
    if let Some(k) = kept {
        outln!("原数据库已另存为 {k}")?;
    }
    Ok(())
}
