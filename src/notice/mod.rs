//! Notices leaders print (docs/specification.md §6, §9, §10): 命名决定 (award decision),
//! 撤销通知 (revocation), 整改通知书 (rectification), the 公示 of the proposed list and the
//! 情况通报 of the ledger's overdue and due-soon problems ([`Bulletin`]), as `.docx`
//! files laid out per GB/T 9704-2012 (党政机关公文格式).
//!
//! The module takes plain data — [`AwardDecision`], [`Revocation`], [`Rectification`],
//! [`PublicityNotice`] —
//! and the issuing office's [`NoticeSettings`]; it knows nothing of the store, the
//! selection or the review. [`render`] builds one document holding one notice or
//! several (each starting on a new page, page numbers restarting at 1); [`write`] saves
//! it through a temporary file and a rename.
//!
//! Titles and paragraphs are templates: `{agency}`, `{reasons}` and the like are filled
//! from each notice's data (see [`NoticeKind::placeholders`]), so one set of settings
//! serves a whole batch of notices. The page layout (margins, 22 lines × 28 characters,
//! the red 版头, 版记, page numbers) is fixed by the standard and described in
//! docs/rules.md "Notices".

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::Coded;

pub mod campaign;
mod compose;
pub(crate) mod layout;
mod parts;
pub mod preview;
pub mod text;
pub(crate) mod xml;

#[cfg(test)]
mod tests;

/// The kinds of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 命名决定: names the selected agencies.
    Award,
    /// 撤销通知: revokes an agency's title.
    Revocation,
    /// 整改通知书: puts an agency under rectification with a deadline.
    Rectification,
    /// 公示: the proposed list, publicised for objections before the naming (§9).
    Publicity,
    /// 情况通报: the ledger's problems overdue or due soon on a date, by agency (§10).
    Bulletin,
}

impl NoticeKind {
    /// The kind's name in Chinese, as in file names: 命名决定, 撤销通知, 整改通知书.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Award => "命名决定",
            NoticeKind::Revocation => "撤销通知",
            NoticeKind::Rectification => "整改通知书",
            NoticeKind::Publicity => "公示",
            NoticeKind::Bulletin => "情况通报",
        }
    }

    /// The placeholders templates of this kind may use (besides `{issuer}`, which every
    /// kind has). In body paragraphs, a paragraph that is exactly `{reasons}` becomes the
    /// numbered list of reasons.
    ///
    /// - award: `{year}`, `{award_title}`, `{count}` (agencies named),
    ///   `{first_agency}` (the first of them);
    /// - revocation: `{agency}`, `{award_year}`, `{award_doc_number}`, `{award_doc_ref}`
    ///   (the number in brackets, "（粤直工〔2023〕5号）", or nothing when unknown),
    ///   `{revoked_year}`, `{reasons}`;
    /// - rectification: `{agency}`, `{award_year}`, `{deadline}` ("2027年6月30日"),
    ///   `{reasons}`;
    /// - publicity: `{year}`, `{award_title}`, `{count}`, `{first_agency}`, `{round}`
    ///   ("公示", or "补充公示" for a supplementary round), `{period}`
    ///   ("2026年11月2日至11月6日"), `{working_days}`, `{address}`, `{telephone}`,
    ///   `{email}` (the settings' [`Contact`]); a paragraph that is exactly `{contact}`
    ///   becomes one line per contact item given ("通信地址：…");
    /// - bulletin: `{date}` ("2026年11月28日"), `{overdue_count}`, `{due_soon_count}`,
    ///   `{agency_count}`, `{warn_days}`; a paragraph that is exactly `{problems}` becomes
    ///   the list by agency ("一、广州市审计局" then one numbered line per problem).
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            NoticeKind::Award => &["issuer", "year", "award_title", "count", "first_agency"],
            NoticeKind::Revocation => &[
                "issuer",
                "agency",
                "award_year",
                "award_doc_number",
                "award_doc_ref",
                "revoked_year",
                "reasons",
            ],
            NoticeKind::Rectification => &["issuer", "agency", "award_year", "deadline", "reasons"],
            NoticeKind::Publicity => &[
                "issuer",
                "year",
                "award_title",
                "count",
                "first_agency",
                "round",
                "period",
                "working_days",
                "address",
                "telephone",
                "email",
                "contact",
            ],
            NoticeKind::Bulletin => &[
                "issuer",
                "date",
                "overdue_count",
                "due_soon_count",
                "agency_count",
                "warn_days",
                "problems",
            ],
        }
    }
}

/// The issuing office's settings for a notice: who issues it, its number and date, to
/// whom it goes, and optionally its own title and paragraphs.
///
/// Text fields may contain the kind's placeholders ([`NoticeKind::placeholders`]);
/// `{{` and `}}` are literal braces; `\n` in a title is a line break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoticeSettings {
    /// 发文机关 — signs the notice, e.g. "中共广东省直属机关工作委员会".
    pub issuer: String,
    /// 发文机关标志 — the red head, e.g. "中共广东省直属机关工作委员会文件".
    pub issuer_mark: String,
    /// 发文字号, e.g. "粤直工〔2026〕12号" (a year in other brackets is rewritten
    /// with 〔〕).
    pub doc_number: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// 主送机关, without the closing colon, e.g. "各市直机关工委，省直各单位";
    /// empty for none.
    pub recipients: String,
    /// 抄送机关, in order; empty for none.
    pub cc: Vec<String>,
    /// 印发机关, e.g. "中共广东省直属机关工作委员会办公室".
    pub printer: String,
    /// 印发日期.
    pub print_date: NaiveDate,
    /// The title (标题); `None` for the kind's default.
    pub title: Option<String>,
    /// The body paragraphs (正文); `None` for the kind's default.
    pub body: Option<Vec<String>>,
    /// 附件 names, listed under the body ("附件：1. …"). For an award decision the
    /// first attachment is the list of named agencies, printed on its own pages after
    /// the decision; with no attachments the list follows the body instead.
    pub attachments: Vec<String>,
    /// Where objections to a 公示 go (its `{contact}` lines); `None` for the other
    /// kinds, and in settings written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub contact: Option<Contact>,
}

/// How to reach the committee with an objection to a 公示 (docs/specification.md §9).
/// An empty item is left out of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contact {
    /// 通信地址 (by default the issuer's office, as the settings name it).
    pub address: String,
    /// 联系电话 (empty by default: the committee's own number).
    pub telephone: String,
    /// 电子邮箱 (empty by default).
    pub email: String,
}

impl NoticeSettings {
    /// Settings with the usual wording for `kind`: the decision or notice of the
    /// provincial organs' work committee for campaign `year`, titled after
    /// `award_title` (e.g. "模范机关"), dated today. The 发文字号 is left as
    /// "粤直工〔year〕　号" for the number assigned when the notice is signed.
    pub fn default_for(kind: NoticeKind, year: i32, award_title: &str) -> NoticeSettings {
        let issuer = "中共广东省直属机关工作委员会".to_string();
        let today = chrono::Local::now().date_naive();
        let contact = (kind == NoticeKind::Publicity).then(|| Contact {
            address: format!("{issuer}办公室"),
            telephone: String::new(),
            email: String::new(),
        });
        NoticeSettings {
            issuer_mark: format!("{issuer}文件"),
            printer: format!("{issuer}办公室"),
            issuer,
            doc_number: format!("粤直工〔{year}〕\u{3000}号"),
            date: today,
            recipients: match kind {
                NoticeKind::Rectification => "{agency}".to_string(),
                // A 公示 is posted for everyone, not sent to anyone.
                NoticeKind::Publicity => String::new(),
                _ => "各市直机关工委，省直各单位".to_string(),
            },
            cc: match kind {
                NoticeKind::Publicity | NoticeKind::Bulletin => Vec::new(),
                _ => vec!["省委办公厅".to_string(), "省委组织部".to_string()],
            },
            print_date: today,
            title: Some(text::default_title(kind, year, award_title)),
            body: Some(text::default_body(kind, year, award_title)),
            attachments: match kind {
                NoticeKind::Award => vec![format!("{year}年度{award_title}名单")],
                _ => Vec::new(),
            },
            contact,
        }
    }
}

/// A group of named agencies in an award decision: a tier and unit type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    /// The group's heading, e.g. "省直单位（政府机关）".
    pub heading: String,
    /// The agencies' names in rank order.
    pub agencies: Vec<String>,
}

/// 命名决定: the agencies named for a year, grouped by tier then unit type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardDecision {
    /// The campaign year.
    pub year: i32,
    /// The title awarded, e.g. "模范机关".
    pub award_title: String,
    /// The groups in print order.
    pub groups: Vec<Group>,
}

/// 撤销通知: an agency loses its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Revocation {
    /// The agency's name.
    pub agency: String,
    /// The year it was awarded.
    pub award_year: i32,
    /// The awarding document's number (文号); empty when unknown.
    pub award_doc_number: String,
    /// Why, one problem each.
    pub reasons: Vec<String>,
    /// The year of the review that revokes it.
    pub revoked_year: i32,
}

/// 整改通知书: an agency must fix its problems by a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rectification {
    /// The agency's name.
    pub agency: String,
    /// The year it was awarded.
    pub award_year: i32,
    /// The last day of the rectification.
    pub deadline: NaiveDate,
    /// The problems found, one each.
    pub reasons: Vec<String>,
}

/// 公示: the agencies a round of the publicity puts forward, grouped by tier then unit
/// type, with its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublicityNotice {
    /// The campaign year.
    pub year: i32,
    /// The title to be awarded, e.g. "模范机关".
    pub award_title: String,
    /// Whether it is a supplementary round (补充公示).
    pub supplementary: bool,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Working days of the period.
    pub working_days: u32,
    /// The groups in print order.
    pub groups: Vec<Group>,
}

/// One problem in a 情况通报.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulletinProblem {
    /// What the problem is.
    pub text: String,
    /// Its deadline.
    pub deadline: NaiveDate,
    /// Whether it is overdue on the bulletin's date (else due soon).
    pub overdue: bool,
}

/// One agency's problems in a 情况通报: overdue first, then due soon, each by deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulletinAgency {
    /// The agency's name.
    pub agency: String,
    /// Its problems.
    pub problems: Vec<BulletinProblem>,
}

/// 情况通报 (docs/specification.md §10): the problems of the ledger overdue or due soon on
/// a date, grouped by agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Bulletin {
    /// The date the statuses are on.
    pub date: NaiveDate,
    /// Days ahead a deadline counts as due soon.
    pub warn_days: u32,
    /// The agencies, most overdue problems first.
    pub agencies: Vec<BulletinAgency>,
}

/// One notice's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// 命名决定.
    Award(AwardDecision),
    /// 撤销通知.
    Revocation(Revocation),
    /// 整改通知书.
    Rectification(Rectification),
    /// 公示.
    Publicity(PublicityNotice),
    /// 情况通报.
    Bulletin(Bulletin),
}

impl Notice {
    /// The notice's kind.
    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::Award(_) => NoticeKind::Award,
            Notice::Revocation(_) => NoticeKind::Revocation,
            Notice::Rectification(_) => NoticeKind::Rectification,
            Notice::Publicity(_) => NoticeKind::Publicity,
            Notice::Bulletin(_) => NoticeKind::Bulletin,
        }
    }

    /// A file name for the notice alone: "2026年度命名决定.docx",
    /// "撤销通知-<agency>.docx", "整改通知书-<agency>.docx" (characters file systems
    /// refuse replaced by "_").
    pub fn file_name(&self) -> String {
        let stem = match self {
            Notice::Award(a) => format!("{}年度{}", a.year, self.kind().label()),
            Notice::Revocation(r) => format!("{}-{}", self.kind().label(), r.agency.trim()),
            Notice::Rectification(r) => format!("{}-{}", self.kind().label(), r.agency.trim()),
            Notice::Publicity(p) => format!(
                "{}年度拟命名对象{}",
                p.year,
                if p.supplementary {
                    "补充公示"
                } else {
                    "公示"
                }
            ),
            Notice::Bulletin(b) => format!("问题整改情况通报-{}", b.date),
        };
        let safe: String = stem
            .chars()
            .map(|c| match c {
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        format!("{safe}.docx")
    }
}

/// Why a notice could not be made.
#[derive(Debug, Error)]
pub enum NoticeError {
    /// Nothing to print.
    #[error("没有要生成的通知")]
    NoNotices,
    /// A required field is empty.
    #[error("{0}不能为空")]
    Missing(&'static str),
    /// A template's placeholder is wrong.
    #[error("模板“{text}”有误：{problem}")]
    Placeholder {
        /// The template.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The package could not be assembled.
    #[error("生成 .docx 失败：{0}")]
    Package(String),
    /// The file could not be written.
    #[error("无法写入通知 {}：{}", .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Coded for NoticeError {
    fn code(&self) -> &'static str {
        match self {
            NoticeError::NoNotices => "notice.none",
            NoticeError::Missing(_) => "notice.missing",
            NoticeError::Placeholder { .. } => "notice.placeholder",
            NoticeError::Package(_) => "notice.package",
            NoticeError::Write { .. } => "notice.write",
        }
    }
}

/// Builds a `.docx` holding `notices`, all with the same `settings`: each notice
/// starts on a new page and numbers its pages from 1.
pub fn render(settings: &NoticeSettings, notices: &[Notice]) -> Result<Vec<u8>, NoticeError> {
    let items: Vec<(&NoticeSettings, &Notice)> = notices.iter().map(|n| (settings, n)).collect();
    render_each(&items)
}

/// Builds a `.docx` of notices that each have their own settings (e.g. their own
/// 发文字号), in order, each starting on a new page with its pages numbered from 1.
pub fn render_each(items: &[(&NoticeSettings, &Notice)]) -> Result<Vec<u8>, NoticeError> {
    if items.is_empty() {
        return Err(NoticeError::NoNotices);
    }
    let mut sections = Vec::with_capacity(items.len());
    for (settings, notice) in items {
        sections.push(compose::compose(settings, notice)?);
    }
    let (first_settings, _) = items[0];
    parts::package(&sections, first_settings).map_err(|e| NoticeError::Package(e.to_string()))
}

/// [`render`] and save to `path` atomically (a temporary file in the same folder,
/// then a rename): a failure never leaves half a file.
pub fn write(
    path: &Path,
    settings: &NoticeSettings,
    notices: &[Notice],
) -> Result<(), NoticeError> {
    let bytes = render(settings, notices)?;
    crate::atomic::write_atomic(path, &bytes).map_err(|source| NoticeError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes each notice to its own file in `dir`, named by [`Notice::file_name`]
/// (a repeated name gets "-2", "-3"…); returns the paths in order.
pub fn write_separately(
    dir: &Path,
    settings: &NoticeSettings,
    notices: &[Notice],
) -> Result<Vec<PathBuf>, NoticeError> {
    if notices.is_empty() {
        return Err(NoticeError::NoNotices);
    }
    // Build everything first, so an error in the last notice writes nothing.
    let mut files = Vec::with_capacity(notices.len());
    let mut used = std::collections::HashSet::new();
    for notice in notices {
        let bytes = render(settings, std::slice::from_ref(notice))?;
        let name = notice.file_name();
        let mut candidate = name.clone();
        let mut n = 1;
        while !used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{}-{n}.docx", name.trim_end_matches(".docx"));
        }
        files.push((dir.join(candidate), bytes));
    }
    for (path, bytes) in &files {
        crate::atomic::write_atomic(path, bytes).map_err(|source| NoticeError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The year a notice's default wording is for, when its settings have no title or body
/// of their own.
pub(crate) fn notice_year(settings: &NoticeSettings, notice: &Notice) -> i32 {
    match notice {
        Notice::Award(a) => a.year,
        Notice::Revocation(r) => r.revoked_year,
        Notice::Rectification(_) => settings.date.year(),
        Notice::Publicity(p) => p.year,
        Notice::Bulletin(b) => b.date.year(),
    }
}
