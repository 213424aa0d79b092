//! The words of the notices: default titles and paragraphs, placeholders, dates,
//! numbering.

use chrono::{Datelike, NaiveDate};

use super::{Notice, NoticeError, NoticeKind};

/// The award's name when a template is filled without one.
pub const DEFAULT_AWARD_TITLE: &str = "模范机关";

/// A date in Arabic numerals without leading zeros, as GB/T 9704 writes 成文日期:
/// "2026年12月1日".
pub fn cn_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A period as a publicity notice writes it: "2026年11月2日至11月6日", the year written
/// once when both days are in it ("2026年11月30日至12月4日", else
/// "2026年12月28日至2027年1月4日").
pub fn cn_period(from: NaiveDate, to: NaiveDate) -> String {
    let end = if from.year() != to.year() {
        cn_date(to)
    } else {
        format!("{}月{}日", to.month(), to.day())
    };
    format!("{}至{end}", cn_date(from))
}

/// A number in Chinese numerals for headings ("一", "十二", "二十", "一百零五").
pub fn cn_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n % 10 == 0 { "" } else { DIGITS[n % 10] }
        ),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest]),
                10..=19 => format!("一{}", cn_number(rest)),
                _ => cn_number(rest),
            };
            format!("{}百{tail}", DIGITS[n / 100])
        }
        _ => n.to_string(),
    }
}

/// Writes a 发文字号's year in 六角括号 as GB/T 9704 requires: "粤直工[2026]12号",
/// "粤直工（2026）12号" and "粤直工【2026】12号" become "粤直工〔2026〕12号".
pub fn normalize_doc_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let open = matches!(chars[i], '[' | '(' | '（' | '【' | '［' | '〔');
        let year = chars.get(i + 1..i + 5);
        let close = chars.get(i + 5);
        if open
            && year.is_some_and(|y| y.iter().all(|c| c.is_ascii_digit()))
            && close.is_some_and(|c| matches!(c, ']' | ')' | '）' | '】' | '］' | '〕'))
        {
            out.push('〔');
            out.extend(&chars[i + 1..i + 5]);
            out.push('〕');
            i += 6;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The default title of a notice kind, with the year and award name filled in and the
/// notice's own data left as placeholders.
pub fn default_title(kind: NoticeKind, year: i32, award_title: &str) -> String {
    match kind {
        NoticeKind::Award => format!("关于命名{year}年度{award_title}的决定"),
        NoticeKind::Revocation => format!("关于撤销{{agency}}“{award_title}”称号的通知"),
        NoticeKind::Rectification => {
            format!("关于{{agency}}“{award_title}”复查限期整改的通知")
        }
        NoticeKind::Publicity => format!("关于{year}年度{award_title}拟命名对象的{{round}}"),
        NoticeKind::Bulletin => format!("关于{award_title}创建问题整改情况的通报"),
    }
}

/// The default body paragraphs of a notice kind. A paragraph that is exactly
/// `{reasons}` becomes the numbered list of reasons.
pub fn default_body(kind: NoticeKind, year: i32, award_title: &str) -> Vec<String> {
    match kind {
        NoticeKind::Award => vec![
            format!(
                "为深入推进模范机关创建，充分发挥先进典型的示范引领作用，根据{year}年度\
                 模范机关评选方案，经单位申报、综合评价、评审组审核和公示，决定命名\
                 {{first_agency}}等{{count}}个单位为{year}年度“{award_title}”。"
            ),
            "希望受到命名的单位珍惜荣誉、再接再厉，坚持以党建引领业务工作，在推动机关党建\
             高质量发展中继续走在前、作表率。各单位要以先进为榜样，对标对表、比学赶超，\
             扎实开展模范机关创建活动，不断提高机关党建工作质量。"
                .to_string(),
        ],
        NoticeKind::Revocation => vec![
            format!(
                "{{award_year}}年，{{agency}}被命名为“{award_title}”{{award_doc_ref}}。\
                 在{{revoked_year}}年度复查中，发现该单位存在以下问题："
            ),
            "{reasons}".to_string(),
            format!(
                "根据模范机关评选管理有关规定，经研究，决定撤销{{agency}}“{award_title}”\
                 称号，收回奖牌和证书。"
            ),
            format!(
                "各单位要引以为戒，坚持创建标准不降低、创建力度不减弱，切实维护\
                 “{award_title}”称号的严肃性和公信力。"
            ),
        ],
        NoticeKind::Rectification => vec![
            format!(
                "在{year}年度“{award_title}”复查中，发现你单位（{{award_year}}年度\
                 “{award_title}”）存在以下问题："
            ),
            "{reasons}".to_string(),
            "请你单位高度重视，认真对照问题逐项整改，于{deadline}前完成整改，\
             并将整改情况书面报送{issuer}。"
                .to_string(),
            format!(
                "整改期间保留“{award_title}”称号；逾期未完成整改或整改不到位的，\
                 将依照有关规定撤销其“{award_title}”称号。"
            ),
        ],
        NoticeKind::Publicity => vec![
            format!(
                "根据{year}年度模范机关评选方案，经单位申报、综合评价和评审组审核，拟命名\
                 {{first_agency}}等{{count}}个单位为{year}年度“{award_title}”，现将名单予以\
                 公示（名单附后）。"
            ),
            "公示时间：{period}（{working_days}个工作日）。".to_string(),
            "公示期间，如对公示对象有异议，可通过来信、来电、来访或电子邮件等方式向\
             {issuer}反映。反映问题应实事求是、具体详实，以单位名义反映的须加盖公章，\
             以个人名义反映的提倡署真实姓名并提供联系方式。我们将对反映人的信息严格保密。"
                .to_string(),
            "{contact}".to_string(),
        ],
        NoticeKind::Bulletin => vec![
            format!(
                "根据{award_title}创建清单台账管理要求，现将截至{{date}}各单位问题整改情况通报\
                 如下：逾期未完成整改的问题{{overdue_count}}项，{{warn_days}}日内到期的问题\
                 {{due_soon_count}}项，涉及{{agency_count}}个单位。"
            ),
            "{problems}".to_string(),
            format!(
                "请上述单位高度重视，对逾期问题立即整改到位，对即将到期的问题抓紧推进，按期\
                 完成整改，并将整改情况书面报送{{issuer}}。逾期未完成整改的问题，将影响\
                 “{award_title}”评选和复查结果。"
            ),
        ],
    }
}

/// The `{problems}` lines of a 情况通报: each agency as a heading ("一、广州市审计局"),
/// then one numbered line per problem with its deadline and state.
fn problem_lines(b: &super::Bulletin) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in b.agencies.iter().enumerate() {
        out.push(format!("{}、{}", cn_number(i + 1), a.agency.trim()));
        for (j, p) in a.problems.iter().enumerate() {
            let state = if p.overdue {
                format!("已逾期{}天", (b.date - p.deadline).num_days())
            } else {
                "即将到期".to_string()
            };
            out.push(format!(
                "{}. {}（整改时限{}，{state}）",
                j + 1,
                p.text.trim(),
                cn_date(p.deadline)
            ));
        }
    }
    out
}

/// The heading over a 公示's list, which follows its body.
pub const PUBLICITY_LIST: &str = "附：拟命名对象名单";

/// Fills `{name}` placeholders from `vars`; `{{` and `}}` stand for literal braces.
/// A name not in `vars` is an error naming the ones that are.
pub fn fill(template: &str, vars: &[(&str, String)]) -> Result<String, NoticeError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(NoticeError::Placeholder {
                text: template.to_string(),
                problem: "多余的“}”（字面的括号写作“}}”）".to_string(),
            });
        } else {
            let Some(end) = tail.find('}') else {
                return Err(NoticeError::Placeholder {
                    text: template.to_string(),
                    problem: "“{”没有配对的“}”（字面的括号写作“{{”）".to_string(),
                });
            };
            let name = &tail[1..end];
            match vars.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    let known: Vec<String> = vars.iter().map(|(n, _)| format!("{{{n}}}")).collect();
                    return Err(NoticeError::Placeholder {
                        text: template.to_string(),
                        problem: format!("无法识别 {{{name}}}，可用的有 {}", known.join("、")),
                    });
                }
            }
            rest = &tail[end + 1..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The numbered list of reasons ("1. …；" … "n. …。"), trailing punctuation of each
/// reason replaced by the list's own.
pub fn reason_lines(reasons: &[String]) -> Vec<String> {
    let cleaned: Vec<&str> = reasons
        .iter()
        .map(|r| {
            r.trim()
                .trim_end_matches(['。', '；', ';', '，', ',', '.', '、'])
        })
        .filter(|r| !r.is_empty())
        .collect();
    let n = cleaned.len();
    cleaned
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}. {r}{}", i + 1, if i + 1 == n { "。" } else { "；" }))
        .collect()
}

/// A list of names as GB/T 9704 writes 抄送机关: separated by "，", ending with "。".
pub fn cc_line(cc: &[String]) -> Option<String> {
    let names: Vec<&str> = cc
        .iter()
        .map(|c| c.trim().trim_end_matches(['。', '，', ',', '；', ';']))
        .filter(|c| !c.is_empty())
        .collect();
    if names.is_empty() {
        None
    } else {
        Some(format!("抄送：{}。", names.join("，")))
    }
}

/// The level of a body paragraph's heading number (GB/T 9704 7.3.3): 1 for "一、",
/// 2 for "（一）", `None` otherwise (third and fourth levels "1." and "（1）" are set
/// like body text).
pub fn heading_level(paragraph: &str) -> Option<u8> {
    let numeral = |c: char| "一二三四五六七八九十百零".contains(c);
    let mut chars = paragraph.chars();
    match chars.next()? {
        '（' => {
            let inner: String = chars.by_ref().take_while(|c| *c != '）').collect();
            (!inner.is_empty() && inner.chars().all(numeral) && paragraph.contains('）'))
                .then_some(2)
        }
        c if numeral(c) => {
            let number: String = paragraph.chars().take_while(|c| numeral(*c)).collect();
            paragraph[number.len()..].starts_with('、').then_some(1)
        }
        _ => None,
    }
}

/// Splits a heading paragraph into the heading (up to and including its first "。")
/// and the text after it; a heading without a "。" inside is all heading.
pub fn split_heading(paragraph: &str) -> (&str, &str) {
    match paragraph.find('。') {
        Some(i) if i + '。'.len_utf8() < paragraph.len() => {
            paragraph.split_at(i + '。'.len_utf8())
        }
        _ => (paragraph, ""),
    }
}

/// Breaks a title too long for one line into two of balanced length, as GB/T 9704
/// asks of titles (回行时词意完整、排列对称、长短适宜): only where a break keeps words
/// whole — before an opening quotation mark or bracket, after a closing one, after
/// "关于" — unless no such place gives lines that fit, and never inside a number, after
/// an opening mark or before a closing one. A title with line breaks of its own, one
/// that fits on a line, and one too long for two lines are left as they are.
pub fn title_lines(title: &str, size: i32, width: i32) -> String {
    use super::layout::text_width;
    let width = width as f64;
    if title.contains('\n') || text_width(title, size, 0) <= width {
        return title.to_string();
    }
    let chars: Vec<char> = title.chars().collect();
    let opening = |c: char| "“‘（《〔【「『(".contains(c);
    let closing = |c: char| "”’）》〕】」』)，。、；：？！…—·".contains(c);
    let em = size as f64;
    let mut best: Option<(f64, usize)> = None;
    let mut depth = 0i32;
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1], chars[i]);
        if opening(prev) {
            depth += 1;
        } else if "”’）》〕】」』)".contains(prev) {
            depth -= 1;
        }
        if opening(prev)
            || closing(next)
            || (prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric())
        {
            continue;
        }
        let first: String = chars[..i].iter().collect();
        let second: String = chars[i..].iter().collect();
        let (w1, w2) = (text_width(&first, size, 0), text_width(&second, size, 0));
        if w1 > width || w2 > width {
            continue;
        }
        let whole_words =
            depth == 0 && (opening(next) || "”’）》〕】」』)".contains(prev) || first == "关于");
        let penalty = if whole_words {
            0.0
        } else if depth == 0 {
            8.0 * em
        } else {
            16.0 * em
        };
        let score = (w1 - w2).abs() + penalty;
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, i));
        }
    }
    match best {
        Some((_, i)) => {
            let first: String = chars[..i].iter().collect();
            let second: String = chars[i..].iter().collect();
            format!("{first}\n{second}")
        }
        None => title.to_string(),
    }
}

/// The body paragraphs: each template filled from `vars`, a paragraph that is exactly
/// `{reasons}` expanded to the numbered reasons, empty ones dropped. Shared by the
/// document and its preview.
pub fn body_paragraphs(
    notice: &Notice,
    templates: &[String],
    vars: &[(&str, String)],
) -> Result<Vec<String>, NoticeError> {
    let mut out = Vec::new();
    for template in templates {
        if template.trim() == "{contact}" {
            // One line per contact item given; none given leaves no line.
            for (label, key) in [
                ("通信地址", "address"),
                ("联系电话", "telephone"),
                ("电子邮箱", "email"),
            ] {
                let Some((_, value)) = vars.iter().find(|(n, _)| *n == key) else {
                    return Err(NoticeError::Placeholder {
                        text: template.clone(),
                        problem: format!("{}没有 {{contact}}", notice.kind().label()),
                    });
                };
                if !value.trim().is_empty() {
                    out.push(format!("{label}：{}", value.trim()));
                }
            }
        } else if template.trim() == "{problems}" {
            let Notice::Bulletin(b) = notice else {
                return Err(NoticeError::Placeholder {
                    text: template.clone(),
                    problem: format!("{}没有 {{problems}}", notice.kind().label()),
                });
            };
            let lines = problem_lines(b);
            if lines.is_empty() {
                return Err(NoticeError::Missing("逾期或即将到期的问题"));
            }
            out.extend(lines);
        } else if template.trim() == "{reasons}" {
            let (reasons, missing) = match notice {
                Notice::Revocation(r) => (&r.reasons, "撤销原因"),
                Notice::Rectification(r) => (&r.reasons, "整改问题"),
                Notice::Award(_) | Notice::Publicity(_) | Notice::Bulletin(_) => {
                    return Err(NoticeError::Placeholder {
                        text: template.clone(),
                        problem: format!("{}没有 {{reasons}}", notice.kind().label()),
                    })
                }
            };
            let lines = reason_lines(reasons);
            if lines.is_empty() {
                return Err(NoticeError::Missing(missing));
            }
            out.extend(lines);
        } else {
            let paragraph = fill(template, vars)?;
            if !paragraph.trim().is_empty() {
                out.push(paragraph.trim().to_string());
            }
        }
    }
    Ok(out)
}

/// The attachment names, filled from `vars`, without trailing punctuation, empty ones
/// dropped.
pub fn attachment_names(
    attachments: &[String],
    vars: &[(&str, String)],
) -> Result<Vec<String>, NoticeError> {
    Ok(attachments
        .iter()
        .map(|a| fill(a.trim(), vars))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|a| {
            a.trim_end_matches(['。', '，', '；', '.', ',', ';'])
                .to_string()
        })
        .filter(|a| !a.is_empty())
        .collect())
}
