//! A notice's words as the desktop's print preview shows them: the same filled title,
//! recipients, paragraphs (reasons numbered, headings marked), attachments, named
//! agencies, signature and 版记 that [`super::render`] lays out in the `.docx`, without the
//! page geometry (the preview's CSS carries GB/T 9704's page, margins and type sizes).

use serde::Serialize;

use super::compose::variables;
use super::text::{self, cn_date, cn_number, fill, DEFAULT_AWARD_TITLE};
use super::{layout, notice_year, Group, Notice, NoticeError, NoticeSettings};

/// One paragraph of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Paragraph {
    /// The heading level of its leading "一、" (1) or "（一）" (2), if any.
    pub heading: Option<u8>,
    /// The heading sentence set in the heading's font (empty without a heading).
    pub lead: String,
    /// The rest of the paragraph.
    pub text: String,
}

/// Everything a notice prints, filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Preview {
    /// 发文机关标志.
    pub issuer_mark: String,
    /// 发文字号 with 〔〕.
    pub doc_number: String,
    /// The title, with the line break of a balanced two-line title.
    pub title: String,
    /// 主送机关 with its colon, if any.
    pub recipients: Option<String>,
    /// The body.
    pub paragraphs: Vec<Paragraph>,
    /// 附件 names (the first of an award decision is the list of named agencies).
    pub attachments: Vec<String>,
    /// The named agencies of an award decision, numbered group headings first.
    pub groups: Vec<Group>,
    /// Whether the named agencies print as the attachment (after the signature) rather
    /// than under the body.
    pub groups_in_attachment: bool,
    /// 发文机关署名.
    pub issuer: String,
    /// 成文日期 ("2026年12月1日").
    pub date: String,
    /// 抄送 line, if any.
    pub cc: Option<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期 ("2026年12月1日印发").
    pub printed: String,
}

fn paragraph(p: &str) -> Paragraph {
    let heading = text::heading_level(p);
    let (lead, rest) = text::split_heading(p);
    match heading {
        Some(_) if rest.is_empty() => Paragraph {
            heading,
            lead: p.to_string(),
            text: String::new(),
        },
        Some(_) => Paragraph {
            heading,
            lead: lead.to_string(),
            text: rest.to_string(),
        },
        None => Paragraph {
            heading,
            lead: String::new(),
            text: p.to_string(),
        },
    }
}

/// The words of one notice under `settings`, with the same checks as [`super::render`].
pub fn preview(settings: &NoticeSettings, notice: &Notice) -> Result<Preview, NoticeError> {
    for (field, name) in [
        (&settings.issuer, "发文机关"),
        (&settings.issuer_mark, "发文机关标志"),
        (&settings.printer, "印发机关"),
    ] {
        if field.trim().is_empty() {
            return Err(NoticeError::Missing(name));
        }
    }
    let kind = notice.kind();
    let vars = variables(settings, notice)?;
    let award_title = match notice {
        Notice::Award(a) => a.award_title.trim(),
        Notice::Publicity(p) => p.award_title.trim(),
        _ => DEFAULT_AWARD_TITLE,
    };
    let year = notice_year(settings, notice);
    let title = fill(
        &settings
            .title
            .clone()
            .unwrap_or_else(|| text::default_title(kind, year, award_title)),
        &vars,
    )?;
    if title.trim().is_empty() {
        return Err(NoticeError::Missing("标题"));
    }
    let recipients = fill(settings.recipients.trim(), &vars)?;
    let recipients = recipients.trim_end_matches(['：', ':']);
    let mut paragraphs = Vec::new();
    let body = settings
        .body
        .clone()
        .unwrap_or_else(|| text::default_body(kind, year, award_title));
    paragraphs.extend(
        text::body_paragraphs(notice, &body, &vars)?
            .iter()
            .map(|l| paragraph(l)),
    );
    let attachments = text::attachment_names(&settings.attachments, &vars)?;
    if let Notice::Publicity(_) = notice {
        paragraphs.push(paragraph(text::PUBLICITY_LIST));
    }
    let groups = match notice {
        Notice::Award(super::AwardDecision { groups, .. })
        | Notice::Publicity(super::PublicityNotice { groups, .. }) => {
            let mut n = 0;
            groups
                .iter()
                .filter(|g| g.agencies.iter().any(|x| !x.trim().is_empty()))
                .map(|g| {
                    let heading = g.heading.trim();
                    Group {
                        heading: if heading.is_empty() {
                            String::new()
                        } else {
                            n += 1;
                            format!("{}、{heading}", cn_number(n))
                        },
                        agencies: g
                            .agencies
                            .iter()
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect(),
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(Preview {
        issuer_mark: settings.issuer_mark.trim().to_string(),
        doc_number: text::normalize_doc_number(&settings.doc_number),
        title: text::title_lines(&title, layout::TITLE_SIZE, layout::TEXT_W),
        recipients: (!recipients.is_empty()).then(|| format!("{recipients}：")),
        paragraphs,
        groups_in_attachment: !attachments.is_empty(),
        attachments,
        groups,
        issuer: settings.issuer.trim().to_string(),
        date: cn_date(settings.date),
        cc: text::cc_line(&settings.cc),
        printer: settings.printer.trim().to_string(),
        printed: format!("{}印发", cn_date(settings.print_date)),
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use chrono::NaiveDate;

    use crate::notice::NoticeKind;

    use super::*;
    use crate::notice::{AwardDecision, Rectification};
    use crate::Coded;

    fn document_xml(docx: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn award() -> Notice {
        Notice::Award(AwardDecision {
            year: 2026,
            award_title: "模范机关".into(),
            groups: vec![
                Group {
                    heading: "省直单位（政府机关）".into(),
                    agencies: vec!["广东省司法厅".into(), "广东省统计局".into()],
                },
                Group {
                    heading: "市级单位（政法机关）".into(),
                    agencies: vec!["广州市人民检察院".into()],
                },
            ],
        })
    }

    #[test]
    fn every_word_of_the_preview_is_in_the_document() {
        let mut s = NoticeSettings::default_for(NoticeKind::Award, 2026, "模范机关");
        s.doc_number = "粤直工[2026]12号".into();
        s.date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let p = preview(&s, &award()).unwrap();
        assert_eq!(p.doc_number, "粤直工〔2026〕12号");
        assert_eq!(p.date, "2026年12月1日");
        assert!(p.groups_in_attachment);
        assert_eq!(p.groups[1].heading, "二、市级单位（政法机关）");
        assert!(p.paragraphs[0].text.contains("广东省司法厅等3个单位"));
        let xml = document_xml(&crate::notice::render(&s, &[award()]).unwrap());
        let words = [
            p.issuer_mark.clone(),
            p.doc_number.clone(),
            p.issuer.clone(),
        ]
        .into_iter()
        .chain(p.paragraphs.iter().map(|x| format!("{}{}", x.lead, x.text)))
        .chain(p.groups.iter().flat_map(|g| g.agencies.clone()))
        .chain(p.cc.clone());
        for w in words {
            // The document may split a paragraph into runs; the first characters are
            // always in the first run.
            let head: String = w.chars().take(8).collect();
            assert!(xml.contains(&head), "“{head}” is not in the document");
        }
    }

    #[test]
    fn reasons_become_numbered_paragraphs_and_checks_match_render() {
        let s = NoticeSettings::default_for(NoticeKind::Rectification, 2026, "模范机关");
        let n = Notice::Rectification(Rectification {
            agency: "广州市越秀区审计局".into(),
            award_year: 2023,
            deadline: NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
            reasons: vec![
                "问题整改率75.00%（6/8），低于80%".into(),
                "未报送复查材料".into(),
            ],
        });
        let p = preview(&s, &n).unwrap();
        assert_eq!(p.recipients.as_deref(), Some("广州市越秀区审计局："));
        assert!(p.title.contains("广州市越秀区审计局"));
        assert!(p
            .paragraphs
            .iter()
            .any(|x| x.text.contains("2027年6月30日前完成整改")));
        assert!(p.groups.is_empty());
        let mut bad = s.clone();
        bad.issuer = " ".into();
        assert_eq!(
            preview(&bad, &n).unwrap_err().to_string(),
            crate::notice::render(&bad, std::slice::from_ref(&n))
                .unwrap_err()
                .to_string()
        );
        let mut wrong = s;
        wrong.title = Some("关于{nope}的通知".into());
        assert_eq!(
            preview(&wrong, &n).unwrap_err().code(),
            "notice.placeholder"
        );
    }
}
