//! `mofan supervision add|list` and `mofan accountability add|list`: the records of
//! 监督问责 (docs/specification.md §10) — supervision of an agency (督查记录) and the
//! accountability imposed on it or on a named cadre (问责). Both are audited.

use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::Subcommand;

use mofan::supervision::{
    self, AccountabilityView, AgencyRef, NewAccountabilityRecord, NewSupervisionRecord,
    SupervisionView,
};
use mofan::vocab::{parse_word, AccountabilityKind, SupervisionKind, Vocab};

use super::out::{outln, print_json};
use super::Globals;

/// The subcommands of `mofan supervision`.
#[derive(Subcommand)]
pub enum SupervisionCmd {
    /// 登记督查记录
    Add {
        /// 单位：统一社会信用代码（或唯一的单位名称）
        #[arg(long)]
        agency: String,
        /// 督查方式：书面问询、当面约谈、情况通报或专项督察
        #[arg(long)]
        kind: String,
        /// 督查日期 YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// 督查事由
        #[arg(long, value_name = "TEXT")]
        subject: String,
        /// 督查内容（发现的问题、约谈要求等）
        #[arg(long, value_name = "TEXT")]
        content: Option<String>,
        /// 参加人员
        #[arg(long, value_name = "TEXT")]
        people: Option<String>,
    },
    /// 列出督查记录
    List {
        /// 只列此单位（统一社会信用代码或唯一的单位名称）
        #[arg(long)]
        agency: Option<String>,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
}

/// The subcommands of `mofan accountability`.
#[derive(Subcommand)]
pub enum AccountabilityCmd {
    /// 登记问责：对单位（检查、通报、改组）或对领导干部（通报、诫勉、组织调整、组织处理、纪律处分，须填 --person）
    Add {
        /// 单位：统一社会信用代码（或唯一的单位名称）
        #[arg(long)]
        agency: String,
        /// 问责方式：检查、通报、改组、诫勉、组织调整、组织处理或纪律处分
        #[arg(long)]
        kind: String,
        /// 问责日期 YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// 问责事由
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// 被问责的领导干部姓名（对单位问责时不填）
        #[arg(long, value_name = "NAME")]
        person: Option<String>,
        /// 问责决定文号
        #[arg(long, value_name = "TEXT")]
        doc_number: Option<String>,
    },
    /// 列出问责记录
    List {
        /// 只列此单位（统一社会信用代码或唯一的单位名称）
        #[arg(long)]
        agency: Option<String>,
        /// 以 JSON 输出（格式见 docs/specification.md §7）
        #[arg(long)]
        json: bool,
    },
}

/// The value of `--kind`, or the message naming every accepted word.
fn kind<T: Vocab>(word: &str) -> Result<T> {
    match parse_word::<T>(word) {
        Some(k) => Ok(k),
        None => {
            let words: Vec<&str> = T::ALL.iter().map(|k| k.label()).collect();
            bail!("参数 --kind：“{word}”无效，应为{}", words.join("、"))
        }
    }
}

/// One supervision record as a line of `supervision list`.
pub fn supervision_line(s: &SupervisionView) -> String {
    let mut line = format!(
        "{}\t{}\t{}\t{}\t{}",
        s.id,
        s.date,
        s.name,
        s.kind.label(),
        s.subject
    );
    if let Some(c) = &s.content {
        line.push_str(&format!("\t内容：{c}"));
    }
    if let Some(p) = &s.people {
        line.push_str(&format!("\t参加人员：{p}"));
    }
    if !s.items.is_empty() {
        let ids: Vec<String> = s.items.iter().map(|i| format!("第{i}号")).collect();
        line.push_str(&format!("\t发现台账事项：{}", ids.join("、")));
    }
    line
}

/// One accountability record as a line of `accountability list`.
pub fn accountability_line(a: &AccountabilityView) -> String {
    let target = match &a.person {
        Some(p) => format!("{}（{p}）", a.name),
        None => a.name.clone(),
    };
    let mut line = format!(
        "{}\t{}\t{target}\t{}\t{}",
        a.id,
        a.date,
        a.kind.label(),
        a.reason
    );
    if let Some(d) = &a.doc_number {
        line.push_str(&format!("\t{d}"));
    }
    line
}

/// The records of a `list`: the §7 JSON, or one line each (`none` when there is none).
fn print_records<T: serde::Serialize>(
    list: &[T],
    json: bool,
    none: &str,
    line: fn(&T) -> String,
) -> Result<()> {
    if json {
        return print_json(&list);
    }
    if list.is_empty() {
        outln!("{none}")?;
    }
    for record in list {
        outln!("{}", line(record))?;
    }
    Ok(())
}

/// Runs `mofan supervision …`.
pub fn run_supervision(globals: &Globals, cmd: SupervisionCmd) -> Result<()> {
    match cmd {
        SupervisionCmd::Add {
            agency,
            kind: word,
            date,
            subject,
            content,
            people,
        } => {
            let kind = kind::<SupervisionKind>(&word)?;
            let mut store = globals.open_store()?;
            let s = supervision::add_supervision(
                &mut store,
                AgencyRef::Named(&agency),
                &NewSupervisionRecord {
                    kind,
                    date,
                    subject,
                    content,
                    people,
                },
                &globals.operator,
            )?;
            outln!(
                "已登记第{}号督查记录：{}，{}（{}）",
                s.id,
                s.name,
                s.kind.label(),
                s.date
            )?;
            Ok(())
        }
        SupervisionCmd::List { agency, json } => {
            let store = globals.open_store()?;
            let list = supervision::list_supervision(&store, agency.as_deref())?;
            print_records(&list, json, "没有督查记录", supervision_line)
        }
    }
}

/// Runs `mofan accountability …`.
pub fn run_accountability(globals: &Globals, cmd: AccountabilityCmd) -> Result<()> {
    match cmd {
        AccountabilityCmd::Add {
            agency,
            kind: word,
            date,
            reason,
            person,
            doc_number,
        } => {
            let kind = kind::<AccountabilityKind>(&word)?;
            let mut store = globals.open_store()?;
            let a = supervision::add_accountability(
                &mut store,
                AgencyRef::Named(&agency),
                &NewAccountabilityRecord {
                    person,
                    kind,
                    date,
                    reason,
                    doc_number,
                },
                &globals.operator,
            )?;
            let whom = match &a.person {
                Some(p) => format!("{}{p}", a.name),
                None => a.name.clone(),
            };
            outln!(
                "已登记第{}号问责记录：{whom}，{}（{}）",
                a.id,
                a.kind.label(),
                a.date
            )?;
            Ok(())
        }
        AccountabilityCmd::List { agency, json } => {
            let store = globals.open_store()?;
            let list = supervision::list_accountability(&store, agency.as_deref())?;
            print_records(&list, json, "没有问责记录", accountability_line)
        }
    }
}
