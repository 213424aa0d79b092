//! `mofan objection add|resolve|list`: objections received during the publicity
//! (公示异议, docs/specification.md §9). The objector's name given with `--from` is kept
//! and never printed.

use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::Subcommand;

use mofan::publicity::{self, NewObjection, ObjectionView};
use mofan::vocab::{ObjectionChannel, ObjectionResolution};

use super::out::{outln, print_json};
use super::Globals;

/// The subcommands of `mofan objection`.
#[derive(Subcommand)]
pub enum ObjectionCmd {
    /// 登记异议（公示期满后收到的标记为逾期）
    Add {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 被反映的单位：统一社会信用代码（或公示名单中唯一的单位名称）
        #[arg(long)]
        agency: String,
        /// 收到日期 YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// 异议内容
        #[arg(long)]
        content: String,
        /// 渠道：来信、来电、来访、电子邮件或其他（默认其他）
        #[arg(long, value_name = "C")]
        channel: Option<String>,
        /// 反映人姓名（只存档，不在任何输出中显示；不填为匿名）
        #[arg(long = "from", value_name = "TEXT")]
        objector: Option<String>,
    },
    /// 处理异议（须填理由）：异议成立则该单位不予入选，不成立则仅记录
    #[command(group(clap::ArgGroup::new("outcome").required(true).args(["upheld", "rejected"])))]
    Resolve {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 异议编号（见 objection list）
        #[arg(long)]
        id: i64,
        /// 异议成立
        #[arg(long)]
        upheld: bool,
        /// 异议不成立
        #[arg(long)]
        rejected: bool,
        /// 处理理由
        #[arg(long)]
        reason: String,
        /// 处理日期 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// 列出异议及处理情况
    List {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
}

fn line(o: &ObjectionView) -> String {
    let state = match (o.resolution, &o.reason) {
        (Some(r), Some(reason)) => format!("{}（{}）", r.label(), reason),
        (Some(r), None) => r.label().to_string(),
        (None, _) => "未处理".to_string(),
    };
    format!(
        "{}\t{}\t{}\t{}{}\t{}\t{}",
        o.id,
        o.date,
        o.name,
        o.channel.label(),
        if o.late { "\t逾期" } else { "" },
        o.content,
        state
    )
}

/// Runs `mofan objection …`.
pub fn run(globals: &Globals, cmd: ObjectionCmd) -> Result<()> {
    match cmd {
        ObjectionCmd::Add {
            campaign,
            agency,
            date,
            content,
            channel,
            objector,
        } => {
            let channel = match channel {
                None => ObjectionChannel::Other,
                Some(word) => match publicity::parse_channel(&word) {
                    Some(c) => c,
                    None => {
                        bail!("参数 --channel：“{word}”无效，应为来信、来电、来访、电子邮件或其他")
                    }
                },
            };
            let mut store = globals.open_store()?;
            let o = publicity::add(
                &mut store,
                &NewObjection {
                    year: campaign,
                    agency: &agency,
                    date,
                    channel,
                    content: &content,
                    objector: objector.as_deref(),
                },
                &globals.operator,
            )?;
            outln!(
                "已登记第{}号异议：{}（{}）{}",
                o.id,
                o.name,
                o.channel.label(),
                if o.late {
                    "，收到时公示期已满，标记为逾期"
                } else {
                    ""
                }
            )?;
            Ok(())
        }
        ObjectionCmd::Resolve {
            campaign,
            id,
            upheld,
            rejected: _,
            reason,
            date,
        } => {
            let resolution = if upheld {
                ObjectionResolution::Upheld
            } else {
                ObjectionResolution::Rejected
            };
            let mut store = globals.open_store()?;
            let o = publicity::resolve(
                &mut store,
                campaign,
                id,
                resolution,
                &reason,
                date.unwrap_or_else(mofan::today),
                &globals.operator,
            )?;
            outln!(
                "第{}号异议已处理：{}（{}）",
                o.id,
                resolution.label(),
                o.name
            )?;
            if resolution == ObjectionResolution::Upheld {
                outln!("{}不予入选；如有单位递补入选，须补充公示后才能发布", o.name)?;
            }
            Ok(())
        }
        ObjectionCmd::List { campaign, json } => {
            let store = globals.open_store()?;
            let list = publicity::list(&store, campaign)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                outln!("{campaign}年度没有异议")?;
            }
            for o in &list {
                outln!("{}", line(o))?;
            }
            Ok(())
        }
    }
}
