//! Unit tests: text helpers, the width model, escaping and the structure of every part.

use std::io::Read;

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::layout::{self, chars, LINE};
use super::text::{self, cn_date, cn_number, fill, heading_level, normalize_doc_number};
use super::xml::{escape, run, RunProps};
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn settings(kind: NoticeKind) -> NoticeSettings {
    let mut s = NoticeSettings::default_for(kind, 2026, "模范机关");
    s.doc_number = "粤直工〔2026〕12号".to_string();
    s.date = date(2026, 12, 1);
    s.print_date = date(2026, 12, 2);
    s
}

fn award() -> Notice {
    Notice::Award(AwardDecision {
        year: 2026,
        award_title: "模范机关".to_string(),
        groups: vec![
            Group {
                heading: "省直单位（政府机关）".to_string(),
                agencies: vec![
                    "广东省财政厅机关".to_string(),
                    "广东省教育厅机关".to_string(),
                ],
            },
            Group {
                heading: "市级单位（群团组织）".to_string(),
                agencies: vec!["广州市妇女联合会机关".to_string()],
            },
        ],
    })
}

fn revocation(agency: &str) -> Notice {
    Notice::Revocation(Revocation {
        agency: agency.to_string(),
        award_year: 2023,
        award_doc_number: "粤直工[2023]5号".to_string(),
        reasons: vec![
            "年度考核存在一票否决事项。".to_string(),
            "整改期满未完成整改".to_string(),
        ],
        revoked_year: 2026,
    })
}

fn rectification() -> Notice {
    Notice::Rectification(Rectification {
        agency: "广东省某某局机关".to_string(),
        award_year: 2022,
        deadline: date(2027, 6, 30),
        reasons: vec!["未报送复查材料".to_string()],
    })
}

/// The parts of a rendered package, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// Every element name in document order, and the text of all `w:t`.
fn parse(xml: &str) -> (Vec<String>, String) {
    let mut reader = Reader::from_str(xml);
    let mut names = Vec::new();
    let mut text = String::new();
    let mut in_t = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                in_t = name == "w:t";
                names.push(name);
            }
            Event::Empty(e) => names.push(e.name().as_ref().to_string()),
            Event::Text(t) if in_t => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => {
                let name: &str = r.as_ref();
                text.push_str(match name {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(_) => in_t = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (names, text)
}

#[test]
fn dates_in_arabic_numerals_without_leading_zeros() {
    assert_eq!(cn_date(date(2026, 12, 1)), "2026年12月1日");
    assert_eq!(cn_date(date(2027, 1, 9)), "2027年1月9日");
}

#[test]
fn chinese_numerals() {
    let cases = [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (23, "二十三"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ];
    for (n, want) in cases {
        assert_eq!(cn_number(n), want, "{n}");
    }
}

#[test]
fn doc_numbers_get_hexagonal_brackets() {
    assert_eq!(
        normalize_doc_number("粤直工[2026]12号"),
        "粤直工〔2026〕12号"
    );
    assert_eq!(
        normalize_doc_number(" 粤直工（2026）12号 "),
        "粤直工〔2026〕12号"
    );
    assert_eq!(
        normalize_doc_number("粤直工【2026】12号"),
        "粤直工〔2026〕12号"
    );
    assert_eq!(
        normalize_doc_number("粤直工〔2026〕12号"),
        "粤直工〔2026〕12号"
    );
    // Not a year: left alone.
    assert_eq!(normalize_doc_number("粤直工(26)12号"), "粤直工(26)12号");
    assert_eq!(normalize_doc_number("[20a6]"), "[20a6]");
    assert_eq!(normalize_doc_number(""), "");
}

#[test]
fn placeholders_are_filled_and_wrong_ones_named() {
    let vars = [
        ("agency", "甲局".to_string()),
        ("award_year", "2023".to_string()),
    ];
    assert_eq!(
        fill("撤销{agency}{award_year}年", &vars).unwrap(),
        "撤销甲局2023年"
    );
    assert_eq!(fill("{{agency}} 与 }}", &vars).unwrap(), "{agency} 与 }");
    let e = fill("{agnecy}", &vars).unwrap_err();
    assert_eq!(e.code(), "notice.placeholder");
    let msg = e.to_string();
    assert!(
        msg.contains("{agnecy}") && msg.contains("{agency}"),
        "{msg}"
    );
    assert!(fill("{agency", &vars).is_err());
    assert!(fill("agency}", &vars).is_err());
}

#[test]
fn reasons_are_numbered_with_the_list_punctuation() {
    let lines = text::reason_lines(&[
        "甲。".to_string(),
        "  ".to_string(),
        "乙；".to_string(),
        "丙".to_string(),
    ]);
    assert_eq!(lines, ["1. 甲；", "2. 乙；", "3. 丙。"]);
    assert!(text::reason_lines(&[]).is_empty());
}

#[test]
fn cc_line_joins_with_commas_and_ends_with_a_full_stop() {
    let cc = [
        "省委办公厅".to_string(),
        "省委组织部，".to_string(),
        " ".to_string(),
    ];
    assert_eq!(
        text::cc_line(&cc).unwrap(),
        "抄送：省委办公厅，省委组织部。"
    );
    assert_eq!(text::cc_line(&[]), None);
}

#[test]
fn heading_levels() {
    assert_eq!(heading_level("一、总体要求"), Some(1));
    assert_eq!(heading_level("十二、其他"), Some(1));
    assert_eq!(heading_level("（三）加强领导。要……"), Some(2));
    assert_eq!(heading_level("1. 年度考核"), None);
    assert_eq!(heading_level("（1）细则"), None);
    assert_eq!(heading_level("一是加强领导"), None);
    assert_eq!(heading_level(""), None);
    assert_eq!(
        text::split_heading("（一）加强领导。要抓好落实。"),
        ("（一）加强领导。", "要抓好落实。")
    );
    assert_eq!(text::split_heading("一、总体要求"), ("一、总体要求", ""));
}

#[test]
fn the_page_adds_up() {
    assert_eq!(layout::PAGE_W, 11906);
    assert_eq!(layout::PAGE_H, 16838);
    assert_eq!(layout::MARGIN_TOP, 2098);
    assert_eq!(layout::MARGIN_LEFT, 1587);
    // 156 × 225 mm, within a twip.
    assert!((layout::TEXT_W as f64 - 156.0 * 1440.0 / 25.4).abs() < 1.0);
    assert!((layout::TEXT_H as f64 - 225.0 * 1440.0 / 25.4).abs() < 1.0);
    // 22 lines and 28 characters fit, a 23rd and a 29th do not: checked at compile
    // time in layout.rs.
    assert_eq!(LINE, 579);
    assert_eq!(chars(2.0), 632);
    assert_eq!(chars(4.0), 1263);
}

#[test]
fn width_model() {
    // Ideographs one em, digits half an em, a quarter em where they meet.
    let w = layout::text_width("2026年12月1日", 320, 0);
    assert_eq!(w, 3.0 * 320.0 + 7.0 * 160.0 + 5.0 * 80.0);
    assert_eq!(layout::text_width("机关", 320, -5), 630.0);
    assert!(layout::is_wide('，') && layout::is_wide('〔') && !layout::is_wide('a'));
}

#[test]
fn mark_is_narrowed_then_shrunk_to_fit() {
    assert_eq!(layout::mark_size("广东省委文件"), (960, 100));
    let (size, scale) = layout::mark_size("中共广东省直属机关工作委员会文件");
    assert_eq!(size, 960);
    assert!((40..100).contains(&scale));
    assert!(16.0 * 960.0 * scale as f64 / 100.0 <= layout::TEXT_W as f64);
    let long = "中".repeat(40);
    let (size, scale) = layout::mark_size(&long);
    assert_eq!(scale, 40);
    assert!(size < 960 && 40.0 * size as f64 * 0.4 <= layout::TEXT_W as f64);
}

#[test]
fn escaping() {
    assert_eq!(
        escape(r#"a&b<c>"d"'e'"#),
        "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;"
    );
    // Characters XML cannot carry are dropped; tab and newline stay.
    assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}\td\n"), "abc\td\n");
    let r = run("一\n二\t三 ", &RunProps::default());
    assert_eq!(
        r,
        r#"<w:r><w:t xml:space="preserve">一</w:t><w:br/><w:t xml:space="preserve">二</w:t><w:tab/><w:t xml:space="preserve">三 </w:t></w:r>"#
    );
}

#[test]
fn hostile_text_stays_text() {
    let mut s = settings(NoticeKind::Revocation);
    s.issuer = "</w:t></w:r><w:r><w:t>注入&amp;".to_string();
    s.cc = vec!["<script>".to_string()];
    let bytes = render(&s, &[revocation("甲<局>&\"乙\"\u{7}")]).unwrap();
    let parts = unzip(&bytes);
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            parse(xml);
        }
    }
    let (_, text) = parse(part(&parts, "word/document.xml"));
    assert!(text.contains("</w:t></w:r><w:r><w:t>注入&amp;"), "{text}");
    assert!(text.contains("撤销甲<局>&\"乙\"“模范机关”称号"), "{text}");
    assert!(text.contains("抄送：<script>。"), "{text}");
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("&lt;/w:t&gt;"), "{core}");
}

#[test]
fn package_has_every_part_and_well_formed_xml() {
    let bytes = render(&settings(NoticeKind::Award), &[award()]).unwrap();
    let parts = unzip(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
            "word/footer2.xml",
        ]
    );
    for (_, xml) in &parts {
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"));
        parse(xml);
    }
    // Every part but the content types is listed there; every relationship target exists.
    let types = part(&parts, "[Content_Types].xml");
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") && **n != "[Content_Types].xml")
    {
        assert!(types.contains(&format!("PartName=\"/{name}\"")), "{name}");
    }
    for target in [
        "footer1.xml",
        "footer2.xml",
        "styles.xml",
        "settings.xml",
        "fontTable.xml",
    ] {
        assert!(
            part(&parts, "word/_rels/document.xml.rels").contains(&format!("Target=\"{target}\""))
        );
    }
}

#[test]
fn document_structure_of_an_award_decision() {
    let bytes = render(&settings(NoticeKind::Award), &[award()]).unwrap();
    let parts = unzip(&bytes);
    let doc = part(&parts, "word/document.xml");
    let (names, text) = parse(doc);
    // 版头, title, recipients, body, attachment note, signature, the list, 版记.
    let order = [
        "中共广东省直属机关工作委员会文件",
        "粤直工〔2026〕12号",
        "关于命名2026年度模范机关的决定",
        "各市直机关工委，省直各单位：",
        "决定命名广东省财政厅机关等3个单位为2026年度“模范机关”。",
        "附件：2026年度模范机关名单",
        "中共广东省直属机关工作委员会2026年12月1日",
        "附件2026年度模范机关名单一、省直单位（政府机关）广东省财政厅机关广东省教育厅机关二、市级单位（群团组织）广州市妇女联合会机关",
        "抄送：省委办公厅，省委组织部。",
        "中共广东省直属机关工作委员会办公室2026年12月2日印发",
    ];
    let mut at = 0;
    for piece in order {
        let found = text[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("{piece} not after {at} in {text}"));
        at += found + piece.len();
    }
    // One section, the attachment on a new page, the 版记 table floating at the bottom.
    assert_eq!(names.iter().filter(|n| *n == "w:sectPr").count(), 1);
    assert_eq!(
        names.iter().filter(|n| *n == "w:pageBreakBefore").count(),
        1
    );
    assert!(doc.contains(r#"w:vertAnchor="margin""#) && doc.contains(r#"w:tblpYSpec="bottom""#));
    // The red mark, narrowed to fit, and the red line under the number.
    assert!(doc.contains(r#"<w:pStyle w:val="NoticeMark"/>"#));
    assert!(doc.contains(r#"<w:w w:val="56"/>"#), "scale");
    assert!(doc.contains(r#"<w:bottom w:val="single" w:sz="12" w:space="7" w:color="FF0000"/>"#));
    // The page: A4, GB/T 9704 margins, the line pitch, odd/even footers, numbering from 1.
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(doc.contains(r#"w:top="2098" w:right="1475" w:bottom="1984" w:left="1587""#));
    assert!(doc.contains(r#"<w:docGrid w:linePitch="579"/>"#));
    assert!(doc.contains(r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#));
    assert!(doc.contains(r#"<w:pgNumType w:fmt="decimal" w:start="1"/>"#));
    // Headings of the list in the heading style.
    assert!(doc.contains(r#"<w:pStyle w:val="NoticeHeading1"/>"#));
}

#[test]
fn the_date_ends_four_characters_in_and_the_issuer_is_centred_over_it() {
    let bytes = render(&settings(NoticeKind::Award), &[award()]).unwrap();
    let doc = part(&unzip(&bytes), "word/document.xml").to_string();
    let right_of = |style: &str| {
        let at = doc
            .find(&format!(r#"<w:pStyle w:val="{style}"/>"#))
            .unwrap();
        let tail = &doc[at..];
        let r = tail.find("w:right=\"").unwrap() + 9;
        tail[r..r + tail[r..].find('"').unwrap()]
            .parse::<i32>()
            .unwrap()
    };
    assert_eq!(right_of("NoticeDate"), chars(4.0));
    // Issuer 14 ideographs, date 3 ideographs + 7 digits + 5 meetings (−5 twips each).
    let issuer = 14.0 * 315.0;
    let date = 3.0 * 315.0 + 7.0 * 155.0 + 5.0 * 80.0;
    let want = chars(4.0) as f64 + (date - issuer) / 2.0;
    assert_eq!(right_of("NoticeSignature"), want.max(0.0).round() as i32);
}

#[test]
fn styles_name_the_office_fonts_and_the_sizes() {
    let styles = styles_xml_for_test();
    let (_, _) = parse(&styles);
    for font in [
        "方正小标宋简体",
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "宋体",
    ] {
        assert!(
            styles.contains(&format!(r#"w:eastAsia="{font}""#)),
            "{font}"
        );
    }
    // Body 16 pt, title 22 pt, 版记 and page numbers 14 pt.
    assert!(styles.contains(r#"<w:sz w:val="32"/>"#));
    assert!(styles.contains(r#"<w:sz w:val="44"/>"#));
    assert!(styles.contains(r#"<w:sz w:val="28"/>"#));
    assert!(
        styles.contains(r#"<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/>"#)
    );
    assert!(styles.contains(r#"<w:widowControl w:val="0"/>"#));
    assert!(styles.contains(r#"<w:spacing w:val="-5"/>"#));
    assert!(styles.contains(r#"<w:ind w:firstLine="632"/>"#));
}

fn styles_xml_for_test() -> String {
    super::parts::styles_xml()
}

#[test]
fn footers_alternate_sides() {
    let odd = super::parts::footer_xml(true);
    let even = super::parts::footer_xml(false);
    parse(&odd);
    parse(&even);
    assert!(
        odd.contains(r#"<w:ind w:right="280"/><w:jc w:val="right"/>"#),
        "{odd}"
    );
    assert!(
        even.contains(r#"<w:ind w:left="280"/><w:jc w:val="left"/>"#),
        "{even}"
    );
    for f in [&odd, &even] {
        let (_, text) = parse(f);
        assert_eq!(text, "— 1 —");
        assert!(f.contains(r#"<w:fldSimple w:instr=" PAGE ">"#));
    }
    assert!(super::parts::settings_xml().contains("<w:evenAndOddHeaders/>"));
}

#[test]
fn combined_notices_are_sections_starting_new_pages() {
    let s = settings(NoticeKind::Revocation);
    let bytes = render(&s, &[revocation("甲局机关"), revocation("乙局机关")]).unwrap();
    let doc = part(&unzip(&bytes), "word/document.xml").to_string();
    let (names, text) = parse(&doc);
    assert_eq!(names.iter().filter(|n| *n == "w:sectPr").count(), 2);
    assert_eq!(names.iter().filter(|n| *n == "w:tbl").count(), 2);
    assert_eq!(text.matches("中共广东省直属机关工作委员会文件").count(), 2);
    let a = text.find("关于撤销甲局机关“模范机关”称号的通知").unwrap();
    let b = text.find("关于撤销乙局机关“模范机关”称号的通知").unwrap();
    assert!(a < b);
    assert!(
        text.contains("2023年，甲局机关被命名为“模范机关”（粤直工〔2023〕5号）。在2026年度复查中")
    );
    assert!(
        text.contains("1. 年度考核存在一票否决事项；2. 整改期满未完成整改。"),
        "{text}"
    );
}

#[test]
fn rectification_goes_to_the_agency_with_its_deadline() {
    let bytes = render(&settings(NoticeKind::Rectification), &[rectification()]).unwrap();
    let (_, text) = parse(part(&unzip(&bytes), "word/document.xml"));
    assert!(
        text.contains("关于广东省某某局机关“模范机关”复查限期整改的通知广东省某某局机关："),
        "{text}"
    );
    assert!(text.contains("于2027年6月30日前完成整改"), "{text}");
    assert!(text.contains("1. 未报送复查材料。"), "{text}");
}

#[test]
fn defaults_without_title_or_body_match_default_for() {
    let mut s = settings(NoticeKind::Revocation);
    let with = render(&s, &[revocation("甲局机关")]).unwrap();
    s.title = None;
    s.body = None;
    let without = render(&s, &[revocation("甲局机关")]).unwrap();
    assert_eq!(with, without);
}

#[test]
fn same_input_same_bytes() {
    let s = settings(NoticeKind::Award);
    assert_eq!(
        render(&s, &[award()]).unwrap(),
        render(&s, &[award()]).unwrap()
    );
}

#[test]
fn headings_in_body_text() {
    let mut s = settings(NoticeKind::Rectification);
    s.body = Some(vec![
        "一、存在的问题".to_string(),
        "（一）材料不全。未按时报送复查材料。".to_string(),
        "1. 细项".to_string(),
    ]);
    let bytes = render(&s, &[rectification()]).unwrap();
    let doc = part(&unzip(&bytes), "word/document.xml").to_string();
    assert!(doc.contains(r#"<w:pStyle w:val="NoticeHeading1"/><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">一、存在的问题"#), "{doc}");
    assert!(doc.contains(r#"w:eastAsia="楷体_GB2312" w:cs="楷体_GB2312" w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">（一）材料不全。</w:t></w:r><w:r><w:t xml:space="preserve">未按时报送复查材料。"#), "{doc}");
}

#[test]
fn several_attachments_are_numbered() {
    let mut s = settings(NoticeKind::Award);
    s.attachments = vec!["名单。".to_string(), "评选情况".to_string()];
    let bytes = render(&s, &[award()]).unwrap();
    let (_, text) = parse(part(&unzip(&bytes), "word/document.xml"));
    // The tab between number and name is a <w:tab/>, not text.
    assert!(text.contains("附件：1.名单2.评选情况"), "{text}");
    assert!(text.contains("附件1名单一、省直单位"), "{text}");
}

#[test]
fn award_without_attachments_lists_the_agencies_in_the_body() {
    let mut s = settings(NoticeKind::Award);
    s.attachments.clear();
    let bytes = render(&s, &[award()]).unwrap();
    let doc = part(&unzip(&bytes), "word/document.xml").to_string();
    let (_, text) = parse(&doc);
    assert!(!doc.contains("w:pageBreakBefore"));
    assert!(
        text.contains("不断提高机关党建工作质量。一、省直单位（政府机关）广东省财政厅机关"),
        "{text}"
    );
    assert!(!text.contains("附件"));
}

#[test]
fn errors_say_what_is_missing() {
    let s = settings(NoticeKind::Revocation);
    assert_eq!(render(&s, &[]).unwrap_err().code(), "notice.none");
    let mut no_issuer = s.clone();
    no_issuer.issuer = " ".to_string();
    let e = render(&no_issuer, &[revocation("甲")]).unwrap_err();
    assert_eq!(e.to_string(), "发文机关不能为空");
    let e = render(&s, &[revocation(" ")]).unwrap_err();
    assert_eq!(e.to_string(), "单位名称不能为空");
    let Notice::Revocation(mut r) = revocation("甲") else {
        unreachable!()
    };
    r.reasons.clear();
    let e = render(&s, &[Notice::Revocation(r)]).unwrap_err();
    assert_eq!(e.to_string(), "撤销原因不能为空");
    // Award settings for a revocation: the award placeholders are unknown.
    let e = render(&settings(NoticeKind::Award), &[revocation("甲")]).unwrap_err();
    assert_eq!(e.code(), "notice.placeholder");
    let empty = Notice::Award(AwardDecision {
        year: 2026,
        award_title: "模范机关".to_string(),
        groups: vec![Group {
            heading: "省直".to_string(),
            agencies: vec![" ".to_string()],
        }],
    });
    assert_eq!(
        render(&settings(NoticeKind::Award), &[empty])
            .unwrap_err()
            .to_string(),
        "命名单位名单不能为空"
    );
}

#[test]
fn file_names_and_separate_files() {
    assert_eq!(award().file_name(), "2026年度命名决定.docx");
    assert_eq!(revocation("甲/乙:局").file_name(), "撤销通知-甲_乙_局.docx");
    assert_eq!(
        rectification().file_name(),
        "整改通知书-广东省某某局机关.docx"
    );
    let dir = tempfile::tempdir().unwrap();
    let s = settings(NoticeKind::Revocation);
    let paths = write_separately(
        dir.path(),
        &s,
        &[revocation("甲局"), revocation("乙局"), revocation("甲局")],
    )
    .unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "撤销通知-甲局.docx",
            "撤销通知-乙局.docx",
            "撤销通知-甲局-2.docx"
        ]
    );
    assert!(paths.iter().all(|p| p.exists()));
}

#[test]
fn write_is_atomic_and_reports_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("撤销通知.docx");
    let s = settings(NoticeKind::Revocation);
    write(&path, &s, &[revocation("甲局")]).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let e = write(
        &dir.path().join("no/such/dir/x.docx"),
        &s,
        &[revocation("甲局")],
    )
    .unwrap_err();
    assert_eq!(e.code(), "notice.write");
    assert!(e.to_string().contains("no/such/dir/x.docx"), "{e}");
}

#[test]
fn settings_round_trip_through_json() {
    let s = settings(NoticeKind::Rectification);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<NoticeSettings>(&json).unwrap(), s);
    let n = rectification();
    let json = serde_json::to_string(&n).unwrap();
    assert!(json.starts_with(r#"{"kind":"rectification""#), "{json}");
    assert_eq!(serde_json::from_str::<Notice>(&json).unwrap(), n);
}

#[test]
fn long_titles_break_into_balanced_lines_at_whole_words() {
    let t = |s: &str| text::title_lines(s, layout::TITLE_SIZE, layout::TEXT_W);
    assert_eq!(
        t("关于命名2026年度模范机关的决定"),
        "关于命名2026年度模范机关的决定"
    );
    assert_eq!(
        t("关于撤销广东省甲厅机关“模范机关”称号的通知"),
        "关于撤销广东省甲厅机关\n“模范机关”称号的通知"
    );
    assert_eq!(
        t("关于广东省测试局机关“模范机关”复查限期整改的通知"),
        "关于广东省测试局机关\n“模范机关”复查限期整改的通知"
    );
    // Never inside the quotation or a number; a break of one's own is kept.
    let long = t("关于撤销中共广东省委政法委员会机关“模范机关”称号的通知");
    assert_eq!(
        long,
        "关于撤销中共广东省委政法委员会机关\n“模范机关”称号的通知"
    );
    assert_eq!(t("关于\n命名"), "关于\n命名");
    let digits = t("关于表彰二〇二六年度全省机关党建工作先进单位和先进个人的决定12345");
    assert!(
        !digits.contains("1\n2") && digits.lines().count() == 2,
        "{digits}"
    );
}

fn publicity(supplementary: bool) -> Notice {
    Notice::Publicity(PublicityNotice {
        year: 2026,
        award_title: "模范机关".to_string(),
        supplementary,
        from: date(2026, 11, 2),
        to: date(2026, 11, 6),
        working_days: 5,
        groups: vec![
            Group {
                heading: "省直单位（政府机关）".to_string(),
                agencies: vec!["广东省财政厅机关".to_string()],
            },
            Group {
                heading: "市级单位（政府机关）".to_string(),
                agencies: vec![
                    "广州市应急管理局".to_string(),
                    "广州市人民检察院".to_string(),
                ],
            },
        ],
    })
}

#[test]
fn a_publicity_notice_names_the_period_the_list_and_where_to_object() {
    let mut s = settings(NoticeKind::Publicity);
    s.contact = Some(Contact {
        address: "广州市某路1号".to_string(),
        telephone: "020-00000000".to_string(),
        email: String::new(),
    });
    let bytes = render(&s, &[publicity(false)]).unwrap();
    let (_, text) = parse(part(&unzip(&bytes), "word/document.xml"));
    let order = [
        "关于2026年度模范机关拟命名对象的公示",
        "拟命名广东省财政厅机关等3个单位为2026年度“模范机关”",
        "公示时间：2026年11月2日至11月6日（5个工作日）。",
        "向中共广东省直属机关工作委员会反映",
        "通信地址：广州市某路1号",
        "联系电话：020-00000000",
        "附：拟命名对象名单",
        "一、省直单位（政府机关）广东省财政厅机关二、市级单位（政府机关）广州市应急管理局广州市人民检察院",
        "中共广东省直属机关工作委员会2026年12月1日",
    ];
    let mut at = 0;
    for piece in order {
        let found = text[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("{piece} not after {at} in {text}"));
        at += found + piece.len();
    }
    // An empty contact item leaves no line; a 公示 has no recipients and no cc.
    assert!(!text.contains("电子邮箱"), "{text}");
    assert!(!text.contains("抄送"), "{text}");
    // The preview says the same.
    let p = preview::preview(&s, &publicity(false)).unwrap();
    assert_eq!(p.title, "关于2026年度模范机关拟命名对象的公示");
    assert_eq!(p.recipients, None);
    assert!(p
        .paragraphs
        .iter()
        .any(|x| x.text == "联系电话：020-00000000"));
    assert_eq!(p.groups.len(), 2);
    // The defaults: the issuer's office to write to; a supplementary round says so.
    let d = NoticeSettings::default_for(NoticeKind::Publicity, 2026, "模范机关");
    assert_eq!(
        d.contact.as_ref().map(|c| c.address.as_str()),
        Some("中共广东省直属机关工作委员会办公室")
    );
    let p = preview::preview(&d, &publicity(true)).unwrap();
    // Too long for one line: two balanced ones, broken between whole words.
    assert_eq!(p.title, "关于2026年度模范机关\n拟命名对象的补充公示");
    assert_eq!(
        publicity(true).file_name(),
        "2026年度拟命名对象补充公示.docx"
    );
    // Settings written before the contact existed read without it.
    let mut old = serde_json::to_value(settings(NoticeKind::Award)).unwrap();
    old.as_object_mut().unwrap().remove("contact");
    let read: NoticeSettings = serde_json::from_value(old).unwrap();
    assert_eq!(read.contact, None);
    assert_eq!(
        text::cn_period(date(2026, 12, 28), date(2027, 1, 4)),
        "2026年12月28日至2027年1月4日"
    );
}
