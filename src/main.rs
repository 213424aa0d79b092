//! `mofan` — the command line of 模范机关评选 (domain.md §7).
//!
//! Exit status: 0 on success, 1 on bad input (the message on stderr, nothing
//! half-written), 2 on usage errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

mod cli;

use cli::out::{errln, outln};

use mofan::import::{self, FileStatus, ImportOptions};
use mofan::limits::TextKind;
use mofan::store::{Store, StoreError};
use mofan::{audit, campaign};

#[derive(Parser)]
#[command(name = "mofan", version, about = "模范机关评选 — 命令行")]
struct Cli {
    /// 数据库文件（默认：环境变量 MOFAN_DB，否则为系统数据目录下的 mofan/mofan.db）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 记入操作日志的操作人（默认：环境变量 MOFAN_OPERATOR 或系统用户名）
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 评选年度：创建、列出
    #[command(subcommand)]
    Campaign(CampaignCmd),
    /// 导入申报表；`import withdraw` 撤回已导入的文件，`import list` 列出已导入的文件
    Import(ImportArgs),
    /// 命名记录（历年模范机关命名名单）：导入、列出
    #[command(subcommand)]
    Awards(AwardsCmd),
    /// 评选：计算综合得分、资格与名额，输出评选结果
    Select(cli::select::SelectArgs),
    /// 评审组调整：纳入、不予入选或撤销调整（须填理由）
    Override(cli::select::OverrideArgs),
    /// 一次完成：方案、命名记录、申报表、评选与结果（不指定 --db 时使用临时数据库）
    Run(cli::run::RunArgs),
    /// 定期复查：复查名单、整改名单、撤销名单；--apply 写入命名记录
    Review(cli::review::ReviewArgs),
    /// 发布评选结果：入选单位记入命名记录，本年度评选锁定
    Publish(cli::review::PublishArgs),
    /// 公文：命名决定、撤销通知、整改通知书（GB/T 9704-2012 版式，.docx）
    Notice(cli::notice::NoticeArgs),
    /// 载入示例数据：虚构的示例评选年度（申报表、命名记录、评选结果）
    Demo {
        /// 示例年度（不能是已有的年度）
        #[arg(long)]
        year: i32,
    },
    /// 备份数据库到一个文件（SQLite 在线备份）
    Backup {
        /// 备份文件
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 用备份文件替换当前数据库
    Restore {
        /// 备份文件
        file: PathBuf,
    },
    /// 操作日志
    #[command(subcommand)]
    Audit(AuditCmd),
    /// 按评选方案生成申报模板（含下拉选项和填表说明）
    Template {
        /// 评选方案 TOML 文件（不指定时使用默认方案）
        #[arg(long, value_name = "FILE")]
        scheme: Option<PathBuf>,
        /// 写入表头标题的年度（默认取方案中的 year，都没有时标题不写年度）
        #[arg(long)]
        year: Option<i32>,
        /// 输出的模板文件，如 申报模板.xlsx
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum CampaignCmd {
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
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct ImportArgs {
    #[command(subcommand)]
    action: Option<ImportAction>,
    /// 评选年度
    #[arg(long, required = true)]
    campaign: Option<i32>,
    /// 申报表文件（.xlsx .xlsm .xls .ods）
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// 有错误行时仍导入正确的行
    #[arg(long)]
    partial: bool,
    /// 把错误写入此工作簿（各单位的原始行加“错误原因”列）
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// 以 JSON 输出每个文件的结果
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ImportAction {
    /// 撤回一个已导入的文件（按编号、SHA-256 或文件名）
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
    /// 列出已导入的文件
    List {
        /// 评选年度
        #[arg(long)]
        campaign: i32,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AwardsCmd {
    /// 导入命名名单（单位名称、层级、命名年度、状态等列）；同一单位同一年度的记录按新文件更新
    Import {
        /// 命名名单文件（.xlsx .xlsm .xls .ods）
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 有错误行时仍导入正确的行
        #[arg(long)]
        partial: bool,
        /// 把错误写入此工作簿（原始行加“错误原因”列）
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
        /// 以 JSON 输出每个文件的结果
        #[arg(long)]
        json: bool,
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

#[derive(Subcommand)]
enum AuditCmd {
    /// 校验操作日志的哈希链，指出第一处断裂
    Verify {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

/// A failure whose message has been printed already; exit 1.
#[derive(Debug)]
struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported")
    }
}

impl std::error::Error for Reported {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<Reported>().is_none() {
                errln!("错误：{e:#}");
            }
            ExitCode::from(1)
        }
    }
}

fn open_store(db: Option<&Path>) -> Result<Store> {
    let path = Store::resolve_path(db)?;
    Store::open(&path).map_err(|e| match e {
        // These name the file themselves.
        StoreError::Open { .. }
        | StoreError::Io { .. }
        | StoreError::SharedInUse { .. }
        | StoreError::Unusable { .. } => e.into(),
        e => anyhow::Error::new(e).context(format!("无法打开数据库 {}", path.display())),
    })
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = std::io::BufWriter::new(cli::out::stdout());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let operator = cli.operator.clone().unwrap_or_else(audit::default_operator);
    // Every command records its operator in the audit log.
    cli::args::stored("--operator", TextKind::Operator, &operator)?;
    let db = cli.db.as_deref();
    match cli.command {
        Command::Campaign(CampaignCmd::Create { year, scheme }) => {
            let text = scheme
                .as_deref()
                .map(campaign::read_scheme_file)
                .transpose()?;
            let mut store = open_store(db)?;
            let c = campaign::create(&mut store, year, text.as_deref(), &operator)?;
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
        Command::Campaign(CampaignCmd::Reopen { year, reason }) => {
            let mut store = open_store(db)?;
            let removed = campaign::reopen(&mut store, year, &reason, &operator)?;
            outln!("已重新开放{year}年度评选，撤回发布时记入的命名记录 {removed} 条")?;
        }
        Command::Awards(AwardsCmd::Rectified { agency, date }) => {
            let mut store = open_store(db)?;
            let a = mofan::review::mark_rectified(&mut store, &agency, date, &operator)?;
            outln!(
                "已确认“{}”整改完成（{date}），{}年命名的称号恢复为正常",
                a.name,
                a.year
            )?;
        }
        Command::Campaign(CampaignCmd::List { json }) => {
            let store = open_store(db)?;
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
        Command::Import(args) => {
            match args.action {
                Some(ImportAction::Withdraw {
                    campaign,
                    target,
                    json,
                }) => {
                    let mut store = open_store(db)?;
                    let r = import::withdraw(&mut store, campaign, &target, &operator)?;
                    if json {
                        print_json(&r)?;
                    } else {
                        outln!(
                        "已撤回文件《{}》（编号{}）：移除申报 {} 条，恢复此前被替换的申报 {} 条",
                        r.file, r.id, r.withdrawn, r.restored
                    )?;
                    }
                }
                Some(ImportAction::List { campaign, json }) => {
                    let store = open_store(db)?;
                    import::campaign_scheme(&store, campaign)?;
                    let files = mofan::store::files::list(store.conn(), campaign)?;
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
                }
                None => run_import(db, &operator, args)?,
            }
        }
        Command::Awards(AwardsCmd::Import {
            files,
            partial,
            errors,
            json,
        }) => {
            let mut store = open_store(db)?;
            let opts = ImportOptions {
                partial,
                operator: operator.clone(),
            };
            let mut reports = Vec::new();
            for path in files {
                let registry = import::Registry::open(&store)?;
                let report = import::import_file(&mut store, &registry, &path, &opts)?;
                if !json {
                    print_report(&report, "条命名记录")?;
                }
                reports.push((path, report));
            }
            conclude(&reports, errors.as_deref(), json)?;
        }
        Command::Awards(AwardsCmd::List { json }) => {
            let store = open_store(db)?;
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
        Command::Select(args) => {
            let mut store = open_store(db)?;
            cli::select::run_select(&mut store, &args, &operator)?;
        }
        Command::Run(args) => cli::run::run(cli.db.as_deref(), &args, &operator)?,
        Command::Review(args) => {
            let mut store = open_store(db)?;
            cli::review::run_review(&mut store, &args, &operator)?;
        }
        Command::Notice(args) => cli::notice::run(&open_store(db)?, &args)?,
        Command::Demo { year } => {
            let mut store = open_store(db)?;
            let r = mofan::demo::load(&mut store, year, &operator)?;
            outln!(
                "已载入示例数据：{}年度，申报 {} 条，命名记录 {} 条",
                r.year,
                r.returns,
                r.awards
            )?;
        }
        Command::Backup { out } => {
            open_store(db)?.backup_to(&out)?;
            outln!("已备份到 {}", out.display())?;
        }
        Command::Restore { file } => {
            let mut store = open_store(db)?;
            let r = mofan::backup::restore(&mut store, &file, &operator)?;
            let kept = r.kept.as_ref().map(|k| k.display().to_string());
            let upgraded = if r.backup_version < r.version {
                format!(
                    "（备份为第{}版，已升级到第{}版）",
                    r.backup_version, r.version
                )
            } else {
                String::new()
            };
            outln!("已从 {} 恢复数据库{upgraded}", file.display())?;
            if let Some(k) = kept {
                outln!("原数据库已另存为 {k}")?;
            }
        }
        Command::Publish(args) => {
            let mut store = open_store(db)?;
            cli::review::run_publish(&mut store, &args, &operator)?;
        }
        Command::Override(args) => {
            let mut store = open_store(db)?;
            cli::select::run_override(&mut store, &args, &operator)?;
        }
        Command::Audit(AuditCmd::Verify { json }) => {
            let store = open_store(db)?;
            let r = audit::verify(store.conn())?;
            if json {
                print_json(&r)?;
            }
            match r.broken {
                None => {
                    if !json {
                        outln!("操作日志完整：共 {} 条记录，哈希链校验通过", r.rows)?;
                    }
                }
                Some(b) => {
                    errln!("操作日志第 {} 条记录校验失败：{}", b.seq, b.reason);
                    return Err(Reported.into());
                }
            }
        }
        Command::Template { scheme, year, out } => {
            let scheme = match scheme.as_deref() {
                Some(path) => mofan::scheme::Scheme::parse(&campaign::read_scheme_file(path)?)?,
                None => mofan::scheme::Scheme::default_scheme(),
            };
            mofan::template::write_template(&scheme, year, &out)?;
            outln!("已生成申报模板 {}", out.display())?;
        }
    }
    Ok(())
}

fn run_import(db: Option<&Path>, operator: &str, args: ImportArgs) -> Result<()> {
    let year = args.campaign.context("缺少 --campaign")?;
    let mut store = open_store(db)?;
    let opts = ImportOptions {
        partial: args.partial,
        operator: operator.to_string(),
    };
    let mut reports = Vec::new();
    for path in &args.files {
        let returns = import::Returns::open(&store, year, &[])?;
        let report = import::import_file(&mut store, &returns, path, &opts)?;
        if !args.json {
            print_report(&report, "条申报")?;
        }
        reports.push((path.clone(), report));
    }
    conclude(&reports, args.errors.as_deref(), args.json)
}

/// After importing files: prints the JSON list, writes the error workbook, and fails
/// (exit 1) when any file was refused.
fn conclude(
    reports: &[(PathBuf, import::FileReport)],
    errors: Option<&Path>,
    json: bool,
) -> Result<()> {
    if json {
        let list: Vec<_> = reports.iter().map(|(_, r)| r).collect();
        print_json(&list)?;
    }
    if let Some(out) = errors {
        let with_errors: Vec<_> = reports
            .iter()
            .filter(|(_, r)| !r.errors.is_empty())
            .map(|(p, r)| (p.clone(), r))
            .collect();
        if with_errors.is_empty() {
            errln!("没有错误，未生成错误报告 {}", out.display());
        } else {
            import::error_book::write(out, &with_errors).map_err(|message| {
                import::ImportError::WriteReport {
                    path: out.display().to_string(),
                    message,
                }
            })?;
            errln!("错误报告已写入 {}", out.display());
        }
    }
    let rejected = reports
        .iter()
        .filter(|(_, r)| r.status == FileStatus::Rejected)
        .count();
    if rejected > 0 {
        errln!("{rejected} 个文件未导入");
        return Err(Reported.into());
    }
    Ok(())
}

/// Prints one file's outcome; `noun` names what was stored ("条申报", "条命名记录").
pub(crate) fn print_report(r: &import::FileReport, noun: &str) -> std::io::Result<()> {
    match r.status {
        FileStatus::Imported => {
            let place = match (&r.sheet, r.header_row) {
                (Some(s), Some(h)) => format!("（工作表“{s}”，表头第{h}行）"),
                _ => String::new(),
            };
            if r.imported == r.rows {
                outln!("已导入《{}》：{} {noun}{place}", r.file, r.imported)?;
            } else {
                outln!(
                    "已部分导入《{}》：{} 行中导入 {} 条，{} 处错误未导入{place}",
                    r.file,
                    r.rows,
                    r.imported,
                    r.errors.len()
                )?;
            }
        }
        FileStatus::Duplicate => outln!("跳过《{}》：与已导入的文件内容相同", r.file)?,
        FileStatus::Rejected => errln!("未导入《{}》：", r.file),
    }
    for w in &r.warnings {
        errln!("  注意：{w}");
    }
    for e in &r.errors {
        errln!("  错误：《{}》{}", r.file, e.describe());
    }
    Ok(())
}
