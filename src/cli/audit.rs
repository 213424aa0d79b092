//! `mofan audit verify`: the audit log's hash chain checked from its first row.

use anyhow::Result;
use clap::Subcommand;

use super::out::{errln, outln, print_json};
use super::{Globals, Reported};

/// The subcommands of `mofan audit`.
#[derive(Subcommand)]
pub enum AuditCmd {
    /// 校验操作日志的哈希链，指出第一处断裂
    Verify {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// Runs `mofan audit …`.
pub fn run(globals: &Globals, cmd: AuditCmd) -> Result<()> {
    let AuditCmd::Verify { json } = cmd;
    let store = globals.open_store()?;
    let r = mofan::audit::verify(store.conn())?;
    if json {
        print_json(&r)?;
    }
    match r.broken {
        None => {
            if !json {
                outln!("操作日志完整：共 {} 条记录，哈希链校验通过", r.rows)?;
            }
            Ok(())
        }
        // A broken chain exits 1, with the JSON above (when asked) and the break on stderr.
        Some(b) => {
            errln!("操作日志第 {} 条记录校验失败：{}", b.seq, b.reason);
            Err(Reported.into())
        }
    }
}
