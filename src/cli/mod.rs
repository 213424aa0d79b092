//! The `mofan` command line (docs/specification.md §7): the global options, the list of
//! subcommands, and the dispatch between them.
//!
//! Each subcommand has its own file here holding its clap arguments and its body; a file
//! may serve a few subcommands that share one idea (`backup` and `restore`). The helpers
//! every body uses are [`Globals`] (the database and the operator), [`out`] (output that
//! survives a reader leaving early, and JSON) and [`args`] (checks of stored arguments).
//!
//! Exit status: 0 on success, 1 on bad input (the message on stderr, nothing
//! half-written), 2 on usage errors (clap's own).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use mofan::limits::TextKind;
use mofan::store::{Store, StoreError};

pub mod agency;
pub mod args;
pub mod audit;
pub mod awards;
pub mod backup;
pub mod ballots;
pub mod calendar;
pub mod campaign;
pub mod demo;
pub mod import;
pub mod ledger;
pub mod notice;
pub mod objection;
pub mod out;
pub mod r#override;
pub mod panel;
pub mod publicity;
pub mod publish;
pub mod review;
pub mod run;
pub mod select;
pub mod supervision;
pub mod template;

/// The command line as clap parses it.
#[derive(Parser)]
#[command(name = "mofan", version, about = "模范机关评选 — 命令行")]
pub struct Cli {
    /// 数据库文件（默认：环境变量 MOFAN_DB，否则为系统数据目录下的 mofan/mofan.db）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 记入操作日志的操作人（默认：环境变量 MOFAN_OPERATOR 或系统用户名）
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    #[command(subcommand)]
    command: Command,
}

// The order of the variants is the order of `mofan --help`.
#[derive(Subcommand)]
enum Command {
    /// 评选年度：创建、列出
    #[command(subcommand)]
    Campaign(campaign::CampaignCmd),
    /// 导入申报表；`import withdraw` 撤回已导入的文件，`import list` 列出已导入的文件
    Import(import::ImportArgs),
    /// 命名记录（历年模范机关命名名单）：导入、列出
    #[command(subcommand)]
    Awards(awards::AwardsCmd),
    /// 群众满意度测评：导入测评票、列出各单位的得分或缺分原因、撤回测评票文件
    #[command(subcommand)]
    Ballots(ballots::BallotsCmd),
    /// 评委打分（如组织考评）：导入评分表、列出评分与得分、撤回评分表
    #[command(subcommand)]
    Panel(panel::PanelCmd),
    /// 评选：计算综合得分、资格与名额，输出评选结果
    Select(select::SelectArgs),
    /// 评审组调整：纳入、不予入选或撤销调整（须填理由）
    Override(r#override::OverrideArgs),
    /// 一次完成：方案、命名记录、申报表、评选与结果（不指定 --db 时使用临时数据库）
    Run(run::RunArgs),
    /// 定期复查：复查名单、整改名单、撤销名单；--apply 写入命名记录
    Review(review::ReviewArgs),
    /// 节假日安排：导入（国务院办公厅每年发布的放假安排）、显示；公示期按工作日计算
    #[command(subcommand)]
    Calendar(calendar::CalendarCmd),
    /// 公示：开始公示（含补充公示）、公示情况
    #[command(subcommand)]
    Publicity(publicity::PublicityCmd),
    /// 公示异议：登记、处理（须填理由）、列出
    #[command(subcommand)]
    Objection(objection::ObjectionCmd),
    /// 清单台账（责任清单、任务清单、问题清单）：导入、登记、标记完成、列出（含逾期、即将到期）
    #[command(subcommand)]
    Ledger(ledger::LedgerCmd),
    /// 督查记录：登记、列出
    #[command(subcommand)]
    Supervision(supervision::SupervisionCmd),
    /// 问责记录：登记（对单位或对领导干部）、列出
    #[command(subcommand)]
    Accountability(supervision::AccountabilityCmd),
    /// 单位：查看一个单位的历年情况
    #[command(subcommand)]
    Agency(agency::AgencyCmd),
    /// 历年情况工作簿：每个单位一行，每个年度一组（综合得分、排名、结果）
    History(agency::HistoryArgs),
    /// 发布评选结果：入选单位记入命名记录，本年度评选锁定（须公示期满、异议处理完毕）
    Publish(publish::PublishArgs),
    /// 公文：命名决定、撤销通知、整改通知书（GB/T 9704-2012 版式，.docx）
    Notice(notice::NoticeArgs),
    /// 载入示例数据：虚构的示例评选年度（申报表、命名记录、评选结果）
    Demo(demo::DemoArgs),
    /// 备份数据库到一个文件（SQLite 在线备份）
    Backup(backup::BackupArgs),
    /// 用备份文件替换当前数据库
    Restore(backup::RestoreArgs),
    /// 操作日志
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// 按评选方案生成申报模板（含下拉选项和填表说明）
    Template(template::TemplateArgs),
}

/// What every subcommand may use besides its own arguments: the global options.
pub struct Globals {
    /// `--db`, when given; else [`Store::resolve_path`] decides.
    pub db: Option<PathBuf>,
    /// The operator recorded in the audit log, already checked as stored text.
    pub operator: String,
}

impl Globals {
    /// Opens the database; a failure names the file.
    pub fn open_store(&self) -> Result<Store> {
        let path = Store::resolve_path(self.db.as_deref())?;
        Store::open(&path).map_err(|e| match e {
            // These name the file themselves.
            StoreError::Open { .. }
            | StoreError::Io { .. }
            | StoreError::SharedInUse { .. }
            | StoreError::Unusable { .. } => e.into(),
            e => anyhow::Error::new(e).context(format!("无法打开数据库 {}", path.display())),
        })
    }
}

/// A failure whose message has been printed already: `main` exits 1 without another one.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported")
    }
}

impl std::error::Error for Reported {}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let operator = cli.operator.unwrap_or_else(mofan::audit::default_operator);
    // Every command records its operator in the audit log.
    args::stored("--operator", TextKind::Operator, &operator)?;
    let globals = Globals {
        db: cli.db,
        operator,
    };
    match cli.command {
        Command::Campaign(cmd) => campaign::run(&globals, cmd),
        Command::Import(args) => import::run(&globals, args),
        Command::Awards(cmd) => awards::run(&globals, cmd),
        Command::Ballots(cmd) => ballots::run(&globals, cmd),
        Command::Panel(cmd) => panel::run(&globals, cmd),
        Command::Select(args) => select::run(&globals, &args),
        Command::Override(args) => r#override::run(&globals, &args),
        Command::Run(args) => run::run(&globals, &args),
        Command::Review(args) => review::run(&globals, &args),
        Command::Calendar(cmd) => calendar::run(&globals, cmd),
        Command::Publicity(cmd) => publicity::run(&globals, cmd),
        Command::Objection(cmd) => objection::run(&globals, cmd),
        Command::Ledger(cmd) => ledger::run(&globals, cmd),
        Command::Supervision(cmd) => supervision::run_supervision(&globals, cmd),
        Command::Accountability(cmd) => supervision::run_accountability(&globals, cmd),
        Command::Agency(cmd) => agency::run(&globals, cmd),
        Command::History(args) => agency::run_history(&globals, &args),
        Command::Publish(args) => publish::run(&globals, &args),
        Command::Notice(args) => notice::run(&globals, &args),
        Command::Demo(args) => demo::run(&globals, &args),
        Command::Backup(args) => backup::backup(&globals, &args),
        Command::Restore(args) => backup::restore(&globals, &args),
        Command::Audit(cmd) => audit::run(&globals, cmd),
        Command::Template(args) => template::run(&args),
    }
}
