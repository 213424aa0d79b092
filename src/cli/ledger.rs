//! `mofan ledger import|files|withdraw|add|done|list`: the ledger (清单台账, docs/specification.md §10) —
//! responsibility, task and problem items, imported from units' workbooks or entered by
//! hand, with their status on a date.

use std::path::PathBuf;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::Subcommand;

use mofan::ledger::{self, Filter, Item, NewItem};
use mofan::vocab::{
    parse_ledger_kind, parse_ledger_level, parse_ledger_source, LedgerKind, LedgerStatus, Vocab,
};

use super::import::{import_each, ImportFlags};
use super::out::{errln, outln, print_json};
use super::Globals;

/// The subcommands of `mofan ledger`.
#[derive(Subcommand)]
pub enum LedgerCmd {
    /// 导入台账（单位名称、问题描述/任务内容/责任内容、整改时限等列）；同一单位同类清单中相同内容的事项按新文件更新
    Import {
        /// 台账文件（.xlsx .xlsm .xls .ods）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 表中没有“清单类型”列时的清单类型：responsibility（责任清单）、task（任务清单）或 problem（问题清单）
        #[arg(long, value_name = "K")]
        kind: Option<String>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// 列出已导入的台账文件（含已撤回的）
    Files {
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
    /// 撤回一个已导入的台账文件：删除它新增的事项，把它更新的事项恢复到导入前（按编号、SHA-256 或文件名）
    Withdraw {
        /// 文件编号、SHA-256（至少前8位）或文件名
        target: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 登记一项台账事项
    Add {
        /// 单位：统一社会信用代码或单位名称
        #[arg(long)]
        agency: String,
        /// 清单类型：responsibility（责任清单）、task（任务清单）或 problem（问题清单）
        #[arg(long, value_name = "K")]
        kind: String,
        /// 事项内容（问题描述、任务内容或责任内容）
        #[arg(long)]
        text: String,
        /// 整改时限 YYYY-MM-DD（问题清单、任务清单必填）
        #[arg(long, value_name = "YYYY-MM-DD")]
        deadline: Option<NaiveDate>,
        /// 整改措施
        #[arg(long, value_name = "T")]
        measures: Option<String>,
        /// 责任人或责任部门
        #[arg(long, value_name = "T")]
        owner: Option<String>,
        /// 问题来源（问题清单）：复查、督查、巡视巡察、审计、群众反映、自查或其他（默认其他；督查发现的默认督查）
        #[arg(long, value_name = "S")]
        source: Option<String>,
        /// 责任层级（责任清单）：党组（党委）、机关党委、党支部或党员
        #[arg(long, value_name = "L")]
        level: Option<String>,
        /// 所属年度（默认整改时限的年度）
        #[arg(long, value_name = "Y")]
        year: Option<i32>,
        /// 发现该事项的督查记录编号（见 supervision list；须是对同一单位的督查）
        #[arg(long, value_name = "N")]
        supervision: Option<i64>,
    },
    /// 标记一项台账事项已完成（由复查产生的问题同时确认该称号整改完成）
    Done {
        /// 事项编号（见 ledger list）
        #[arg(long)]
        id: i64,
        /// 完成日期 YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// 完成情况（佐证）
        #[arg(long, value_name = "TEXT")]
        evidence: Option<String>,
    },
    /// 列出台账事项及其在某日的状态（逾期、即将到期、未完成、已完成）
    List {
        /// 只列此单位：统一社会信用代码或单位名称
        #[arg(long)]
        agency: Option<String>,
        /// 只列此类清单
        #[arg(long, value_name = "K")]
        kind: Option<String>,
        /// 只列此状态：overdue（逾期）、due_soon（即将到期）、open（未完成）或 done（已完成）
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// 状态所依据的日期 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
        /// 同时写出台账工作簿（.xlsx）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn kind_arg(word: &str) -> Result<LedgerKind> {
    match parse_ledger_kind(word) {
        Some(k) => Ok(k),
        None => bail!(
            "参数 --kind：“{word}”无效，应为 responsibility（责任清单）、task（任务清单）或 problem（问题清单）"
        ),
    }
}

fn status_arg(word: &str) -> Result<LedgerStatus> {
    LedgerStatus::ALL
        .iter()
        .copied()
        .find(|s| s.key() == word.trim() || s.label() == word.trim())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "参数 --status：“{word}”无效，应为 overdue（逾期）、due_soon（即将到期）、open（未完成）或 done（已完成）"
            )
        })
}

fn line(i: &Item) -> String {
    let detail = match (i.level, i.source) {
        (Some(l), _) => format!("（{}）", l.label()),
        (_, Some(s)) => format!("（{}）", s.label()),
        _ => String::new(),
    };
    format!(
        "{}\t{}\t{}{detail}\t{}\t时限{}\t{}{}",
        i.id,
        i.name,
        i.kind.label(),
        i.text,
        i.deadline
            .map_or_else(|| "-".to_string(), |d| d.to_string()),
        i.status.label(),
        i.done_on
            .map(|d| format!("（{d}完成）"))
            .unwrap_or_default()
    )
}

/// Runs `mofan ledger …`.
pub fn run(globals: &Globals, cmd: LedgerCmd) -> Result<()> {
    match cmd {
        LedgerCmd::Import { files, kind, flags } => {
            let kind = kind.as_deref().map(kind_arg).transpose()?;
            // Opened per file: a file may name an agency the previous one did not know.
            import_each(globals, files, &flags, "项台账事项", |store| {
                Ok(mofan::import::Ledger::open(store, kind, &globals.operator)?)
            })
        }
        LedgerCmd::Files { json } => {
            let store = globals.open_store()?;
            let files = ledger::files(&store)?;
            if json {
                print_json(&files)?;
            } else {
                for f in files {
                    outln!(
                        "{}\t{}\t{}\t{}/{} 行\t{}\t{}",
                        f.id,
                        f.file_name,
                        f.status.as_str(),
                        f.rows_imported,
                        f.rows_total,
                        f.imported_at,
                        &f.sha256[..12.min(f.sha256.len())]
                    )?;
                }
            }
            Ok(())
        }
        LedgerCmd::Withdraw { target, json } => {
            let mut store = globals.open_store()?;
            let r = ledger::withdraw(&mut store, &target, &globals.operator)?;
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "已撤回台账文件《{}》（编号{}）：删除其新增的事项 {} 项，恢复其更新的事项 {} 项",
                    r.file,
                    r.id,
                    r.withdrawn,
                    r.restored
                )?;
            }
            Ok(())
        }
        LedgerCmd::Add {
            agency,
            kind,
            text,
            deadline,
            measures,
            owner,
            source,
            level,
            year,
            supervision,
        } => {
            let kind = kind_arg(&kind)?;
            let source = match source {
                None => None,
                Some(w) => Some(parse_ledger_source(&w).ok_or_else(|| {
                    anyhow::anyhow!(
                        "参数 --source：“{w}”无效，应为复查、督查、巡视巡察、审计、群众反映、自查或其他"
                    )
                })?),
            };
            let level = match level {
                None => None,
                Some(w) => Some(parse_ledger_level(&w).ok_or_else(|| {
                    anyhow::anyhow!(
                        "参数 --level：“{w}”无效，应为党组（党委）、机关党委、党支部或党员"
                    )
                })?),
            };
            let mut store = globals.open_store()?;
            let item = ledger::add(
                &mut store,
                &NewItem {
                    agency,
                    kind,
                    text,
                    deadline,
                    measures,
                    owner,
                    source,
                    level,
                    year,
                    supervision,
                },
                &globals.operator,
            )?;
            outln!(
                "已登记第{}号台账事项：{}{}“{}”{}",
                item.id,
                item.name,
                item.kind.label(),
                item.text,
                item.supervision_id
                    .map(|s| format!("（第{s}号督查记录发现）"))
                    .unwrap_or_default()
            )?;
            Ok(())
        }
        LedgerCmd::Done { id, date, evidence } => {
            let mut store = globals.open_store()?;
            let m =
                ledger::mark_done(&mut store, id, date, evidence.as_deref(), &globals.operator)?;
            let item = &m.item;
            outln!(
                "第{}号台账事项已于{date}完成：{}“{}”",
                item.id,
                item.name,
                item.text
            )?;
            if m.rectified_award.is_some() {
                outln!(
                    "该问题由复查产生，{}的称号已确认整改完成，恢复为正常",
                    item.name
                )?;
            }
            Ok(())
        }
        LedgerCmd::List {
            agency,
            kind,
            status,
            date,
            json,
            out,
        } => {
            let filter = Filter {
                agency,
                kind: kind.as_deref().map(kind_arg).transpose()?,
                status: status.as_deref().map(status_arg).transpose()?,
            };
            let date = date.unwrap_or_else(mofan::today);
            let store = globals.open_store()?;
            let listing = ledger::list(&store, &filter, date)?;
            if let Some(path) = &out {
                mofan::export::ledger::write(path, &listing, &mofan::now_string())?;
                errln!("台账已写入 {}", path.display());
            }
            if json {
                return print_json(&listing.items);
            }
            if listing.items.is_empty() {
                outln!("没有符合条件的台账事项")?;
            }
            for i in &listing.items {
                outln!("{}", line(i))?;
            }
            Ok(())
        }
    }
}
