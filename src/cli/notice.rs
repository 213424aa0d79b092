//! `mofan notice award|revocation|rectification|publicity|bulletin`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use mofan::limits::TextKind;
use mofan::notice::{self, campaign, NoticeKind, NoticeSettings};

use super::out::outln;
use super::Globals;

/// Which notice.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// 命名决定
    Award,
    /// 撤销通知
    Revocation,
    /// 整改通知书
    Rectification,
    /// 公示（最近一轮公示的拟命名对象）
    Publicity,
    /// 情况通报（--date 当日逾期和即将到期的问题，按单位列出；不需要 --campaign）
    Bulletin,
}

/// Arguments of `mofan notice`.
#[derive(Args)]
pub struct NoticeArgs {
    /// 文书种类：award 命名决定，revocation 撤销通知，rectification 整改通知书，publicity 公示，bulletin 情况通报
    #[arg(value_enum)]
    pub kind: Kind,
    /// 评选年度（情况通报不需要）
    #[arg(long, required_if_eq_any([("kind", "award"), ("kind", "revocation"), ("kind", "rectification"), ("kind", "publicity")]))]
    pub campaign: Option<i32>,
    /// 输出的 .docx 文件（--separate 时为文件夹）
    #[arg(long, value_name = "FILE.docx")]
    pub out: PathBuf,
    /// 每个单位一个文件（撤销通知、整改通知书），写入 --out 文件夹
    #[arg(long)]
    pub separate: bool,
    /// 文书设置（发文机关、发文字号、主送、抄送、正文等），TOML 或 JSON 文件
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// 发文字号，如 “粤直工〔2026〕12号”
    #[arg(long)]
    pub doc_number: Option<String>,
    /// 成文日期 YYYY-MM-DD（默认今天）；情况通报按此日判断逾期和即将到期
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

/// Runs `mofan notice`.
pub fn run(globals: &Globals, args: &NoticeArgs) -> Result<()> {
    let store = globals.open_store()?;
    let kind = match args.kind {
        Kind::Award => NoticeKind::Award,
        Kind::Revocation => NoticeKind::Revocation,
        Kind::Rectification => NoticeKind::Rectification,
        Kind::Publicity => NoticeKind::Publicity,
        Kind::Bulletin => NoticeKind::Bulletin,
    };
    let source = match (kind, args.campaign) {
        (NoticeKind::Bulletin, _) => {
            campaign::bulletin(&store, args.date.unwrap_or_else(mofan::today))?
        }
        (_, Some(year)) => campaign::notices(&store, kind, year)?,
        (_, None) => anyhow::bail!("缺少 --campaign"),
    };
    let mut settings = match &args.settings {
        None => source.settings,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("无法读取文书设置 {}", path.display()))?;
            let parsed: Result<NoticeSettings, String> = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            {
                serde_json::from_str(&text).map_err(|e| e.to_string())
            } else {
                toml::from_str(&text).map_err(|e| e.to_string())
            };
            parsed.map_err(|e| anyhow::anyhow!("文书设置 {} 有误：{e}", path.display()))?
        }
    };
    if let Some(d) = &args.doc_number {
        super::args::stored("--doc-number", TextKind::DocNumber, d)?;
        settings.doc_number = d.clone();
    }
    if let Some(d) = args.date {
        settings.date = d;
        settings.print_date = d;
    }
    if args.separate {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("无法创建文件夹 {}", args.out.display()))?;
        let paths = notice::write_separately(&args.out, &settings, &source.notices)?;
        for p in &paths {
            outln!("已生成 {}", p.display())?;
        }
    } else {
        notice::write(&args.out, &settings, &source.notices)?;
        outln!(
            "已生成{}（{}份）：{}",
            kind.label(),
            source.notices.len(),
            args.out.display()
        )?;
    }
    Ok(())
}
