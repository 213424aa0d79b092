//! `mofan campaign create|list|reopen|delete`: the selection years.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use mofan::campaign;

use super::out::{outln, print_json};
use super::Globals;

/// The subcommands of `mofan campaign`.
#[derive(Subcommand)]
pub enum CampaignCmd {
    /// 创建评选年度（不指定方案时使用默认方案）
    Create {
        /// 年度，如 2026
        #[arg(long)]
        year: i32,
        /// 评选方案 TOML 文件
        #[arg(long, value_name = "FILE")]
        scheme: Option<PathBuf>,
    },
    /// 列出评选年度
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 重新开放已发布的评选年度（须填理由；撤回发布时记入的命名记录）
    Reopen {
        /// 年度
        #[arg(long)]
        year: i32,
        /// 理由
        #[arg(long)]
        reason: String,
    },
    /// 删除草稿状态的评选年度（连同其申报、导入文件和调整；示例年度随时可删）
    Delete {
        /// 年度
        #[arg(long)]
        year: i32,
    },
}

/// Runs `mofan campaign …`.
pub fn run(globals: &Globals, cmd: CampaignCmd) -> Result<()> {
    match cmd {
        CampaignCmd::Create { year, scheme } => {
            // The scheme is read before the database is opened: a bad file changes nothing.
            let text = scheme
                .as_deref()
                .map(campaign::read_scheme_file)
                .transpose()?;
            let mut store = globals.open_store()?;
            let c = campaign::create(&mut store, year, text.as_deref(), &globals.operator)?;
            outln!(
                "已创建{}（{}）",
                c.title,
                if scheme.is_some() {
                    "使用指定方案"
                } else {
                    "使用默认方案"
                }
            )?;
        }
        CampaignCmd::List { json } => {
            let store = globals.open_store()?;
            let list = campaign::list(&store)?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                outln!("还没有评选年度。用 mofan campaign create --year 年度 创建。")?;
            } else {
                for c in list {
                    outln!(
                        "{}\t{}\t{}\t申报 {} 家\t文件 {} 个",
                        c.year,
                        c.title,
                        c.status.label(),
                        c.returns,
                        c.files
                    )?;
                }
            }
        }
        CampaignCmd::Reopen { year, reason } => {
            let mut store = globals.open_store()?;
            let removed = campaign::reopen(&mut store, year, &reason, &globals.operator)?;
            outln!("已重新开放{year}年度评选，撤回发布时记入的命名记录 {removed} 条")?;
        }
        CampaignCmd::Delete { year } => {
            let mut store = globals.open_store()?;
            let d = campaign::delete(&mut store, year, &globals.operator)?;
            print_deleted(&d)?;
        }
    }
    Ok(())
}

/// Says what deleting a campaign removed.
pub fn print_deleted(d: &campaign::Deletion) -> Result<()> {
    let mut what = format!(
        "申报 {} 条（含历史记录共 {} 条）、导入文件 {} 个、调整 {} 条",
        d.returns, d.return_rows, d.files, d.overrides
    );
    if d.demo {
        what += &format!(
            "、复查记录 {} 条、虚构的命名记录 {} 条",
            d.reviews, d.awards
        );
    }
    outln!("已删除{}：{what}；操作日志保留", d.title)?;
    Ok(())
}
