//! `mofan panel import|list|withdraw`: the panel's score sheets (评委打分) of a component
//! whose source is `panel`, and the scores computed from them (docs/specification.md §8).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use mofan::evaluate::panel as evaluate;
use mofan::export::evaluations::{self, BookKind};
use mofan::import::{self, FileKind, Panel};

use super::import::{import_each, ImportFlags};
use super::out::{errln, outln, print_json};
use super::Globals;

/// The subcommands of `mofan panel`.
#[derive(Subcommand)]
pub enum PanelCmd {
    /// 导入评委评分表（每单位一行、每评委一列；或“评委、单位名称、得分”三列）
    Import {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 指标（评选方案中分数来源为评委打分的指标，如 organisation）
        #[arg(long)]
        component: String,
        /// 评分表文件（.xlsx .xlsm .xls .ods）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// 列出各单位的评委评分、去掉的分数和组织考评得分
    List {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 另存评委评分汇总表（供评委、监督人签字）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 撤回一个已导入的评分表（按编号、SHA-256 或文件名），其评分不再计入
    Withdraw {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 文件编号、SHA-256（至少前8位）或文件名
        target: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// Runs `mofan panel …`.
pub fn run(globals: &Globals, cmd: PanelCmd) -> Result<()> {
    match cmd {
        PanelCmd::Import {
            campaign,
            component,
            files,
            flags,
        } => {
            // Made again for each file: it holds the scores stored so far, which a judge
            // may not give again.
            import_each(globals, files, &flags, "行评分", |store| {
                Ok(Panel::open(store, campaign, &component)?)
            })?;
        }
        PanelCmd::List {
            campaign,
            json,
            out,
        } => {
            let store = globals.open_store()?;
            if let Some(out) = &out {
                // Written first: a list that cannot be saved prints nothing.
                let book = evaluations::from_store(
                    store.conn(),
                    campaign,
                    BookKind::Panel,
                    &mofan::now_string(),
                )?;
                evaluations::write(out, &book)?;
                errln!("{}已写入 {}", BookKind::Panel.title(), out.display());
            }
            let list = evaluate::list(store.conn(), campaign)?;
            let units: Vec<&evaluate::UnitScore> = list.iter().flat_map(|c| &c.units).collect();
            if json {
                print_json(&units)?;
            } else if list.is_empty() {
                outln!("{campaign}年度评选方案中没有分数来源为评委打分的指标。")?;
            } else {
                for c in &list {
                    outln!("{}（{}）", c.label, c.key)?;
                    for f in &c.files {
                        outln!("  评分表《{}》 SHA-256 {}", f.name, f.sha256)?;
                    }
                    for u in &c.units {
                        let text = u.explanation.as_deref().or(u.reason.as_deref());
                        outln!("  {}\t{}", u.name, text.unwrap_or_default())?;
                    }
                }
            }
        }
        PanelCmd::Withdraw {
            campaign,
            target,
            json,
        } => {
            let mut store = globals.open_store()?;
            let r = import::withdraw_of(
                &mut store,
                campaign,
                FileKind::Panel,
                &target,
                &globals.operator,
            )?;
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "已撤回评分表《{}》（编号{}）：{} 项评分不再计入",
                    r.file,
                    r.id,
                    r.withdrawn
                )?;
            }
        }
    }
    Ok(())
}
