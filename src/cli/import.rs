//! `mofan import FILE…`, `mofan import list`, `mofan import withdraw`: the returns of a
//! campaign. Also what every `… import FILE…` shares — its flags ([`ImportFlags`]), the
//! file-by-file loop ([`import_each`]) and how it is reported ([`print_report`],
//! [`conclude`]) — for `mofan awards import`, `ledger import`, `ballots import`,
//! `panel import` and `mofan run`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use mofan::import::{self, FileStatus, ImportOptions};
use mofan::store::Store;

use super::out::{errln, outln, print_json};
use super::{Globals, Reported};

/// Arguments of `mofan import`: files to import, or one of its subcommands.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    action: Option<ImportAction>,
    /// 评选年度
    #[arg(long, required = true)]
    campaign: Option<i32>,
    /// 申报表文件（.xlsx .xlsm .xls .ods）
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    flags: ImportFlags,
}

/// The flags every `… import FILE…` takes: whether a file with wrong rows stores its right
/// ones, where the rows refused go, and how the outcome is printed.
#[derive(Args)]
pub struct ImportFlags {
    /// 有错误行时仍导入正确的行
    #[arg(long)]
    pub partial: bool,
    /// 把错误写入此工作簿（原始行加“错误原因”列）
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// 以 JSON 输出每个文件的结果
    #[arg(long)]
    pub json: bool,
}

impl ImportFlags {
    /// The core's options for these flags, for this operator.
    pub fn options(&self, globals: &Globals) -> ImportOptions {
        ImportOptions {
            partial: self.partial,
            operator: globals.operator.clone(),
        }
    }
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

/// Runs `mofan import …`.
pub fn run(globals: &Globals, args: ImportArgs) -> Result<()> {
    match args.action {
        Some(ImportAction::Withdraw {
            campaign,
            target,
            json,
        }) => {
            let mut store = globals.open_store()?;
            let r = import::withdraw(&mut store, campaign, &target, &globals.operator)?;
            if json {
                print_json(&r)?;
            } else {
                outln!(
                    "已撤回文件《{}》（编号{}）：移除申报 {} 条，恢复此前被替换的申报 {} 条",
                    r.file,
                    r.id,
                    r.withdrawn,
                    r.restored
                )?;
            }
        }
        Some(ImportAction::List { campaign, json }) => {
            let store = globals.open_store()?;
            // Refuses a campaign that does not exist rather than listing nothing.
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
        None => import_files(globals, args)?,
    }
    Ok(())
}

/// `mofan import --campaign YEAR FILE…`: one transaction per file, the next file read
/// while one is stored ([`import::import_batch`]).
fn import_files(globals: &Globals, args: ImportArgs) -> Result<()> {
    let year = args.campaign.context("缺少 --campaign")?;
    let mut store = globals.open_store()?;
    let opts = args.flags.options(globals);
    // Opened once: how a file of returns is read depends only on the campaign's scheme,
    // which importing returns does not change, so the next file can be read before the
    // one before it is stored.
    let importer = import::Returns::open(&store, year, &[])?;
    let mut printed = Ok(());
    let reports = import::import_batch(&mut store, &importer, &args.files, &opts, |_, r| {
        if !args.flags.json && printed.is_ok() {
            printed = print_report(r, "条申报");
        }
    })?;
    printed?;
    let reports: Vec<_> = args.files.into_iter().zip(reports).collect();
    conclude(&reports, &args.flags)
}

/// Imports `files` one after another, each in its own transaction, with an importer `open`
/// makes for each file afresh (a file may name what the one before it added), printing each
/// outcome as it ends (`noun` names what was stored), then [`conclude`]s.
pub fn import_each<I: import::Importer>(
    globals: &Globals,
    files: Vec<PathBuf>,
    flags: &ImportFlags,
    noun: &str,
    open: impl Fn(&Store) -> Result<I>,
) -> Result<()> {
    let mut store = globals.open_store()?;
    let opts = flags.options(globals);
    let mut reports = Vec::new();
    for path in files {
        let importer = open(&store)?;
        let report = import::import_file(&mut store, &importer, &path, &opts)?;
        if !flags.json {
            print_report(&report, noun)?;
        }
        reports.push((path, report));
    }
    conclude(&reports, flags)
}

/// After importing files: prints the JSON list, writes the error workbook, and fails
/// (exit 1) when any file was refused.
pub fn conclude(reports: &[(PathBuf, import::FileReport)], flags: &ImportFlags) -> Result<()> {
    if flags.json {
        let list: Vec<_> = reports.iter().map(|(_, r)| r).collect();
        print_json(&list)?;
    }
    if let Some(out) = flags.errors.as_deref() {
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
pub fn print_report(r: &import::FileReport, noun: &str) -> std::io::Result<()> {
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
