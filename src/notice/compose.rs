//! One notice as the body of a document section: 版头, 主体 and 版记, in the order
//! and at the distances GB/T 9704-2012 prescribes.

use super::layout::{self, chars, LINE, SMALL_SIZE, TEXT_W};
use super::text::{self, cn_date, cn_number, fill, DEFAULT_AWARD_TITLE};
use super::xml::{para, run, Border, ParaProps, RunProps, Tab};
use super::{notice_year, Notice, NoticeError, NoticeSettings};

/// Font names as offices have them installed (written into the document; a machine
/// without them substitutes, see docs/rules.md).
pub(crate) const XIAOBIAOSONG: &str = "方正小标宋简体";
/// Body text.
pub(crate) const FANGSONG: &str = "仿宋_GB2312";
/// First-level headings.
pub(crate) const HEITI: &str = "黑体";
/// Second-level headings.
pub(crate) const KAITI: &str = "楷体_GB2312";
/// Page numbers.
pub(crate) const SONGTI: &str = "宋体";
/// The red of the 版头.
pub(crate) const RED: &str = "FF0000";

/// The block-level content of a notice being laid out: paragraphs stay properties and
/// runs until the end, so that one can still be told to keep with the next.
#[derive(Default)]
struct Blocks(Vec<Block>);

enum Block {
    Para(Box<ParaProps>, String),
    Xml(String),
}

impl Blocks {
    fn para(&mut self, (props, runs): (ParaProps, String)) {
        self.0.push(Block::Para(Box::new(props), runs));
    }
    fn xml(&mut self, xml: String) {
        self.0.push(Block::Xml(xml));
    }
    /// Keeps the last paragraph on the page of what follows it.
    fn keep_last_with_next(&mut self) {
        if let Some(Block::Para(props, _)) = self.0.last_mut() {
            props.keep_next = true;
        }
    }
    fn into_xml(self) -> String {
        self.0
            .into_iter()
            .map(|b| match b {
                Block::Para(props, runs) => para(&props, &runs),
                Block::Xml(x) => x,
            })
            .collect()
    }
}

/// A composed notice: its section's content and its title (for document properties).
pub(crate) struct Composed {
    /// Block-level XML: paragraphs and the 版记 table.
    pub body: String,
    /// The title, line breaks as spaces.
    pub title: String,
}

/// Lays out one notice.
pub(crate) fn compose(settings: &NoticeSettings, notice: &Notice) -> Result<Composed, NoticeError> {
    check_settings(settings)?;
    let kind = notice.kind();
    let vars = variables(settings, notice)?;
    let award_title = match notice {
        Notice::Award(a) => a.award_title.trim(),
        Notice::Publicity(p) => p.award_title.trim(),
        _ => DEFAULT_AWARD_TITLE,
    };
    let year = notice_year(settings, notice);
    let title_template = match &settings.title {
        Some(t) => t.clone(),
        None => text::default_title(kind, year, award_title),
    };
    let title = fill(&title_template, &vars)?;
    if title.trim().is_empty() {
        return Err(NoticeError::Missing("标题"));
    }
    let body_templates = match &settings.body {
        Some(b) => b.clone(),
        None => text::default_body(kind, year, award_title),
    };

    let mut x = Blocks::default();
    head(&mut x, settings);
    x.para(title_para(&title, 2 * LINE));
    let recipients = fill(settings.recipients.trim(), &vars)?;
    let recipients = recipients.trim_end_matches(['：', ':']);
    if !recipients.is_empty() {
        let props = ParaProps {
            style: Some("NoticeRecipients"),
            before: Some(LINE),
            ..Default::default()
        };
        x.para((props, run(&format!("{recipients}："), &RunProps::default())));
    }
    for p in text::body_paragraphs(notice, &body_templates, &vars)? {
        x.para(body_para(&p, None));
    }
    let attachments = text::attachment_names(&settings.attachments, &vars)?;
    if let (Notice::Award(a), true) = (notice, attachments.is_empty()) {
        groups(&mut x, &a.groups, None);
    }
    // The 公示's list follows its body, under a heading of its own.
    if let Notice::Publicity(p) = notice {
        x.para(body_para(text::PUBLICITY_LIST, None));
        groups(&mut x, &p.groups, None);
    }
    // The 署名 never stands on a page without body text above it (GB/T 9704 7.3.5.4):
    // the last paragraph, the 附件说明 and the 署名 keep with what follows them.
    x.keep_last_with_next();
    attachment_note(&mut x, &attachments);
    x.keep_last_with_next();
    signature(&mut x, settings);
    if let (Notice::Award(a), Some(first)) = (notice, attachments.first()) {
        let label = if attachments.len() > 1 {
            "附件1"
        } else {
            "附件"
        };
        let props = ParaProps {
            style: Some("NoticeAttachmentLabel"),
            page_break_before: true,
            ..Default::default()
        };
        x.para((props, run(label, &RunProps::default())));
        x.para(title_para(first, LINE));
        groups(&mut x, &a.groups, Some(LINE));
    }
    x.xml(banji(settings));
    Ok(Composed {
        body: x.into_xml(),
        title: title.replace('\n', " "),
    })
}

fn check_settings(settings: &NoticeSettings) -> Result<(), NoticeError> {
    if settings.issuer.trim().is_empty() {
        return Err(NoticeError::Missing("发文机关"));
    }
    if settings.issuer_mark.trim().is_empty() {
        return Err(NoticeError::Missing("发文机关标志"));
    }
    if settings.printer.trim().is_empty() {
        return Err(NoticeError::Missing("印发机关"));
    }
    Ok(())
}

/// The placeholders of a notice that lists agencies by group (命名决定, 公示): the year, the
/// title, how many and the first of them; `what` names the list when it is empty.
fn listed(
    vars: &mut Vec<(&'static str, String)>,
    year: i32,
    award_title: &str,
    groups: &[super::Group],
    what: &'static str,
) -> Result<(), NoticeError> {
    let mut names = groups
        .iter()
        .flat_map(|g| g.agencies.iter())
        .map(|n| n.trim())
        .filter(|n| !n.is_empty());
    let Some(first) = names.next() else {
        return Err(NoticeError::Missing(what));
    };
    if award_title.trim().is_empty() {
        return Err(NoticeError::Missing("称号"));
    }
    vars.push(("year", year.to_string()));
    vars.push(("award_title", award_title.trim().to_string()));
    vars.push(("count", (1 + names.count()).to_string()));
    vars.push(("first_agency", first.to_string()));
    Ok(())
}

/// The placeholder values of a notice.
pub(crate) fn variables(
    settings: &NoticeSettings,
    notice: &Notice,
) -> Result<Vec<(&'static str, String)>, NoticeError> {
    let mut vars = vec![("issuer", settings.issuer.trim().to_string())];
    match notice {
        Notice::Award(a) => {
            listed(&mut vars, a.year, &a.award_title, &a.groups, "命名单位名单")?;
        }
        Notice::Revocation(r) => {
            if r.agency.trim().is_empty() {
                return Err(NoticeError::Missing("单位名称"));
            }
            let number = text::normalize_doc_number(&r.award_doc_number);
            vars.push(("agency", r.agency.trim().to_string()));
            vars.push(("award_year", r.award_year.to_string()));
            vars.push((
                "award_doc_ref",
                if number.is_empty() {
                    String::new()
                } else {
                    format!("（{number}）")
                },
            ));
            vars.push(("award_doc_number", number));
            vars.push(("revoked_year", r.revoked_year.to_string()));
        }
        Notice::Rectification(r) => {
            if r.agency.trim().is_empty() {
                return Err(NoticeError::Missing("单位名称"));
            }
            vars.push(("agency", r.agency.trim().to_string()));
            vars.push(("award_year", r.award_year.to_string()));
            vars.push(("deadline", cn_date(r.deadline)));
        }
        Notice::Publicity(p) => {
            listed(&mut vars, p.year, &p.award_title, &p.groups, "公示名单")?;
            let contact = settings.contact.clone().unwrap_or(super::Contact {
                address: String::new(),
                telephone: String::new(),
                email: String::new(),
            });
            vars.push((
                "round",
                if p.supplementary {
                    "补充公示"
                } else {
                    "公示"
                }
                .to_string(),
            ));
            vars.push(("period", text::cn_period(p.from, p.to)));
            vars.push(("working_days", p.working_days.to_string()));
            vars.push(("address", contact.address.trim().to_string()));
            vars.push(("telephone", contact.telephone.trim().to_string()));
            vars.push(("email", contact.email.trim().to_string()));
        }
        Notice::Bulletin(b) => {
            let count = |overdue: bool| {
                b.agencies
                    .iter()
                    .flat_map(|a| &a.problems)
                    .filter(|p| p.overdue == overdue)
                    .count()
                    .to_string()
            };
            vars.push(("date", cn_date(b.date)));
            vars.push(("overdue_count", count(true)));
            vars.push(("due_soon_count", count(false)));
            vars.push(("agency_count", b.agencies.len().to_string()));
            vars.push(("warn_days", b.warn_days.to_string()));
        }
    }
    Ok(vars)
}

/// 版头: the space above the 发文机关标志, the red 发文机关标志, the 发文字号 two lines
/// below it and the red line 4 mm under the 发文字号.
fn head(x: &mut Blocks, settings: &NoticeSettings) {
    let mark = settings.issuer_mark.trim();
    let (size, scale) = layout::mark_size(mark);
    x.para(spacer(layout::mark_spacer(size)));
    let props = ParaProps {
        style: Some("NoticeMark"),
        line: Some(layout::mark_line(size)),
        ..Default::default()
    };
    let look = RunProps {
        size: Some(size),
        scale: (scale != 100).then_some(scale),
        ..Default::default()
    };
    x.para((props, run(mark, &look)));
    let props = ParaProps {
        style: Some("NoticeDocNumber"),
        before: Some(2 * LINE),
        border_bottom: Some(Border {
            eighths: layout::RED_LINE_EIGHTHS,
            space_pt: layout::red_line_space_pt(),
            color: RED,
        }),
        ..Default::default()
    };
    let number = text::normalize_doc_number(&settings.doc_number);
    x.para((props, run(&number, &RunProps::default())));
}

/// An empty paragraph exactly `height` twips high.
fn spacer(height: i32) -> (ParaProps, String) {
    let props = ParaProps {
        line: Some(height),
        first_line: Some(0),
        mark: Some(RunProps {
            size: Some(20),
            ..Default::default()
        }),
        ..Default::default()
    };
    (props, String::new())
}

/// A title in 2号小标宋, centred, `before` twips below what precedes it.
fn title_para(title: &str, before: i32) -> (ParaProps, String) {
    let props = ParaProps {
        style: Some("NoticeTitle"),
        before: Some(before),
        ..Default::default()
    };
    let lines = text::title_lines(title, layout::TITLE_SIZE, TEXT_W);
    (props, run(&lines, &RunProps::default()))
}

/// A body paragraph: first-level headings ("一、") in 黑体, second-level ("（一）") in
/// 楷体 — the heading sentence only when text follows it in the same paragraph.
fn body_para(paragraph: &str, before: Option<i32>) -> (ParaProps, String) {
    let plain = RunProps::default();
    let level = text::heading_level(paragraph);
    let (heading, rest) = text::split_heading(paragraph);
    match level {
        // A heading on its own: the heading style (黑体 / 楷体, with its outline level).
        Some(level) if rest.is_empty() => {
            let props = ParaProps {
                style: Some(if level == 1 {
                    "NoticeHeading1"
                } else {
                    "NoticeHeading2"
                }),
                keep_next: true,
                before,
                ..Default::default()
            };
            (props, run(paragraph, &plain))
        }
        // A heading sentence followed by text: only the sentence in the heading's font.
        Some(level) => {
            let props = ParaProps {
                before,
                ..Default::default()
            };
            let lead = RunProps {
                font: Some(if level == 1 { HEITI } else { KAITI }),
                ..Default::default()
            };
            (
                props,
                format!("{}{}", run(heading, &lead), run(rest, &plain)),
            )
        }
        None => {
            let props = ParaProps {
                before,
                ..Default::default()
            };
            (props, run(paragraph, &plain))
        }
    }
}

/// The named agencies: each group's heading as a first-level heading, then one agency
/// per line. `before` is the space above the first heading.
fn groups(x: &mut Blocks, groups: &[super::Group], before: Option<i32>) {
    let mut before = before;
    let mut number = 0;
    for group in groups {
        let names: Vec<&str> = group
            .agencies
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            continue;
        }
        let heading = group.heading.trim();
        if !heading.is_empty() {
            number += 1;
            x.para(body_para(
                &format!("{}、{heading}", cn_number(number)),
                before,
            ));
            before = None;
        }
        for name in names {
            x.para(body_para(name, before.take()));
        }
    }
}

/// 附件说明: one line below the body, two characters in, "附件：" then the names
/// (numbered "1." … when there are several, wrapped lines aligned with the names).
fn attachment_note(x: &mut Blocks, attachments: &[String]) {
    match attachments {
        [] => {}
        [only] => {
            let props = ParaProps {
                before: Some(LINE),
                left: Some(chars(5.0)),
                first_line: Some(-chars(3.0)),
                ..Default::default()
            };
            x.para((props, run(&format!("附件：{only}"), &RunProps::default())));
        }
        several => {
            let name_at = chars(6.5);
            for (i, name) in several.iter().enumerate() {
                let first = i == 0;
                let label = if first { "附件：" } else { "" };
                let props = ParaProps {
                    keep_next: true,
                    before: first.then_some(LINE),
                    tabs: vec![Tab {
                        kind: "left",
                        pos: name_at,
                    }],
                    left: Some(name_at),
                    first_line: Some(if first {
                        -(name_at - chars(2.0))
                    } else {
                        -(name_at - chars(5.0))
                    }),
                    ..Default::default()
                };
                let line = format!("{label}{}.\t{name}", i + 1);
                x.para((props, run(&line, &RunProps::default())));
            }
        }
    }
}

/// 发文机关署名 and 成文日期: the date ends four characters from the right edge, the
/// issuer centred over it, two blank lines below the text for the seal.
fn signature(x: &mut Blocks, settings: &NoticeSettings) {
    let issuer = settings.issuer.trim();
    let date = cn_date(settings.date);
    let width = |s: &str| layout::text_width(s, layout::BODY_SIZE, layout::BODY_SPACING);
    let date_right = chars(4.0);
    let issuer_right = date_right as f64 + (width(&date) - width(issuer)) / 2.0;
    let props = ParaProps {
        style: Some("NoticeSignature"),
        before: Some(2 * LINE),
        right: Some(issuer_right.max(0.0).round() as i32),
        keep_next: true,
        ..Default::default()
    };
    x.para((props, run(issuer, &RunProps::default())));
    let props = ParaProps {
        style: Some("NoticeDate"),
        right: Some(date_right),
        ..Default::default()
    };
    x.para((props, run(&date, &RunProps::default())));
}

/// 版记: 抄送机关, then 印发机关 and 印发日期, between rules as wide as the text block
/// (thick first and last, thin between), in a table floating at the bottom of the
/// page so that its last rule lies on the text block's lower edge. A table too tall for
/// what is left of the page moves to the next page, whole.
fn banji(settings: &NoticeSettings) -> String {
    let thick = Border {
        eighths: layout::BANJI_THICK_EIGHTHS,
        space_pt: 0,
        color: "000000",
    };
    let thin = Border {
        eighths: layout::BANJI_THIN_EIGHTHS,
        space_pt: 0,
        color: "000000",
    };
    let one = SMALL_SIZE;
    let mut rows = String::new();
    let cc = text::cc_line(&settings.cc);
    if let Some(cc) = &cc {
        let props = ParaProps {
            style: Some("NoticeBanji"),
            left: Some(one + 3 * one),
            right: Some(one),
            first_line: Some(-3 * one),
            ..Default::default()
        };
        rows.push_str(&row(
            &para(&props, &run(cc, &RunProps::default())),
            Some(thick),
            Some(thin),
        ));
    }
    let printed = format!(
        "{}\t{}印发",
        settings.printer.trim(),
        cn_date(settings.print_date)
    );
    let props = ParaProps {
        style: Some("NoticeBanji"),
        tabs: vec![Tab {
            kind: "right",
            pos: TEXT_W - one,
        }],
        left: Some(one),
        right: Some(one),
        ..Default::default()
    };
    rows.push_str(&row(
        &para(&props, &run(&printed, &RunProps::default())),
        cc.is_none().then_some(thick),
        Some(thick),
    ));
    // Horizontal position from the page's edge: LibreOffice keeps a table as wide as
    // the text block in the text flow unless it is positioned relative to the page.
    format!(
        concat!(
            "<w:tbl><w:tblPr>",
            r#"<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{x}" w:tblpYSpec="bottom"/>"#,
            r#"<w:tblOverlap w:val="never"/>"#,
            r#"<w:tblW w:w="{w}" w:type="dxa"/>"#,
            r#"<w:tblLayout w:type="fixed"/>"#,
            r#"<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>"#,
            r#"<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>"#,
            "</w:tblPr>",
            r#"<w:tblGrid><w:gridCol w:w="{w}"/></w:tblGrid>"#,
            "{rows}</w:tbl>"
        ),
        x = layout::MARGIN_LEFT,
        w = TEXT_W,
        rows = rows
    )
}

/// A 版记 row: one cell as wide as the text block with the given top and bottom rules.
fn row(content: &str, top: Option<Border>, bottom: Option<Border>) -> String {
    let none = |side: &str| format!(r#"<w:{side} w:val="nil"/>"#);
    let top = top.map_or_else(|| none("top"), |b| b.xml("top"));
    let bottom = bottom.map_or_else(|| none("bottom"), |b| b.xml("bottom"));
    format!(
        concat!(
            r#"<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>"#,
            "<w:tcBorders>{top}{left}{bottom}{right}</w:tcBorders></w:tcPr>",
            "{content}</w:tc></w:tr>"
        ),
        w = TEXT_W,
        top = top,
        left = none("left"),
        bottom = bottom,
        right = none("right"),
        content = content
    )
}

/// The tiny paragraph that ends a notice: it anchors the floating 版记 and, between
/// notices, carries the section break. One point high, so it fits above the 版记
/// whenever the 版记 itself fits.
pub(crate) fn anchor(sect: Option<String>) -> String {
    let props = ParaProps {
        line: Some(20),
        first_line: Some(0),
        mark: Some(RunProps {
            size: Some(20),
            ..Default::default()
        }),
        sect,
        ..Default::default()
    };
    para(&props, "")
}
