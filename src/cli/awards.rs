//! `mofan awards import|list|rectified`: the awards registry (命名记录).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use super::import::{import_each, ImportFlags};
use super::out::{outln, print_json};
use super::Globals;

/// The subcommands of `mofan awards`.
#[derive(Subcommand)]
pub enum AwardsCmd {
    /// 导入命名名单（单位名称、层级、命名年度、状态等列）；同一单位同一年度的记录按新文件更新
    Import {
        /// 命名名单文件（.xlsx .xlsm .xls .ods）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// 列出命名记录
    List {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 整改完成：整改中的称号恢复为正常
    Rectified {
        /// 单位：统一社会信用代码（或唯一的单位名称）
        #[arg(long)]
        agency: String,
        /// 整改完成（验收）日期 YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: chrono::NaiveDate,
    },
}

/// Runs `mofan awards …`.
pub fn run(globals: &Globals, cmd: AwardsCmd) -> Result<()> {
    match cmd {
        AwardsCmd::Import { files, flags } => {
            import_each(globals, files, &flags, "条命名记录", |store| {
                Ok(mofan::import::Registry::open(store)?)
            })?;
        }
        AwardsCmd::List { json } => {
            let store = globals.open_store()?;
            let list = mofan::store::awards::list(store.conn())?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                outln!("还没有命名记录。用 mofan awards import 命名名单.xlsx 导入。")?;
            } else {
                for a in list {
                    let tier = a.tier.label();
                    let mut line = format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        a.year,
                        a.name,
                        tier,
                        a.region.as_deref().unwrap_or("-"),
                        a.unit_type,
                        a.title,
                        a.doc_number.as_deref().unwrap_or("-"),
                        a.status.label()
                    );
                    if let Some(y) = a.last_review_year {
                        line.push_str(&format!("\t最近复查{y}年"));
                    }
                    if let Some(d) = &a.rectify_deadline {
                        line.push_str(&format!("\t整改期限{d}"));
                    }
                    if let Some(y) = a.revoked_year {
                        line.push_str(&format!("\t{y}年撤销"));
                    }
                    outln!("{line}")?;
                }
            }
        }
        AwardsCmd::Rectified { agency, date } => {
            let mut store = globals.open_store()?;
            let a = mofan::review::mark_rectified(&mut store, &agency, date, &globals.operator)?;
            outln!(
                "已确认“{}”整改完成（{date}），{}年命名的称号恢复为正常",
                a.name,
                a.year
            )?;
        }
    }
    Ok(())
}
