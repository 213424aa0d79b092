//! The parts of the `.docx` package, one function each, and the zip that holds them.
//!
//! `[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml`, `docProps/app.xml`,
//! `word/document.xml`, `word/_rels/document.xml.rels`, `word/styles.xml`,
//! `word/settings.xml`, `word/fontTable.xml`, `word/footer1.xml` (odd pages) and
//! `word/footer2.xml` (even pages). Nothing depends on the clock: the same notices give
//! the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::compose::{anchor, Composed, FANGSONG, HEITI, KAITI, RED, SONGTI, XIAOBIAOSONG};
use super::layout::{self, chars, LINE, SMALL_SIZE};
use super::xml::{escape, para, run, ParaProps, RunProps, DECLARATION, NS_R, NS_W};
use super::NoticeSettings;

/// Relationship id of the odd-page footer.
const FOOTER_ODD: &str = "rIdFooterOdd";
/// Relationship id of the even-page footer.
const FOOTER_EVEN: &str = "rIdFooterEven";

/// Zips the parts for the composed notices, one section each.
pub(crate) fn package(
    sections: &[Composed],
    settings: &NoticeSettings,
) -> zip::result::ZipResult<Vec<u8>> {
    let title = sections.first().map_or("", |s| s.title.as_str());
    let files: [(&str, String); 11] = [
        ("[Content_Types].xml", content_types_xml()),
        ("_rels/.rels", root_rels_xml()),
        ("docProps/core.xml", core_xml(title, settings)),
        ("docProps/app.xml", app_xml()),
        ("word/document.xml", document_xml(sections)),
        ("word/_rels/document.xml.rels", document_rels_xml()),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/footer1.xml", footer_xml(true)),
        ("word/footer2.xml", footer_xml(false)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    for (name, content) in files {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// `[Content_Types].xml`: the media type of every part.
pub(crate) fn content_types_xml() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        concat!(
            "{decl}",
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/>"#,
            r#"<Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/>"#,
            r#"<Override PartName="/word/settings.xml" ContentType="{main}.settings+xml"/>"#,
            r#"<Override PartName="/word/fontTable.xml" ContentType="{main}.fontTable+xml"/>"#,
            r#"<Override PartName="/word/footer1.xml" ContentType="{main}.footer+xml"/>"#,
            r#"<Override PartName="/word/footer2.xml" ContentType="{main}.footer+xml"/>"#,
            r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
            r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
            "</Types>"
        ),
        decl = DECLARATION,
        main = main
    )
}

/// `_rels/.rels`: the document and its properties.
pub(crate) fn root_rels_xml() -> String {
    let rel = "http://schemas.openxmlformats.org";
    format!(
        concat!(
            "{decl}",
            r#"<Relationships xmlns="{rel}/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="{rel}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            r#"<Relationship Id="rId2" Type="{rel}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId3" Type="{rel}/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
            "</Relationships>"
        ),
        decl = DECLARATION,
        rel = rel
    )
}

/// `word/_rels/document.xml.rels`: styles, settings, fonts and the two footers.
pub(crate) fn document_rels_xml() -> String {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    format!(
        concat!(
            "{decl}",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rIdStyles" Type="{rel}/styles" Target="styles.xml"/>"#,
            r#"<Relationship Id="rIdSettings" Type="{rel}/settings" Target="settings.xml"/>"#,
            r#"<Relationship Id="rIdFonts" Type="{rel}/fontTable" Target="fontTable.xml"/>"#,
            r#"<Relationship Id="{odd}" Type="{rel}/footer" Target="footer1.xml"/>"#,
            r#"<Relationship Id="{even}" Type="{rel}/footer" Target="footer2.xml"/>"#,
            "</Relationships>"
        ),
        decl = DECLARATION,
        rel = rel,
        odd = FOOTER_ODD,
        even = FOOTER_EVEN
    )
}

/// `docProps/core.xml`: title, author and the 成文日期 as the creation date.
pub(crate) fn core_xml(title: &str, settings: &NoticeSettings) -> String {
    let when = format!("{}T00:00:00Z", settings.date.format("%Y-%m-%d"));
    format!(
        concat!(
            "{decl}",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>",
            "<cp:lastModifiedBy>mofan</cp:lastModifiedBy>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        decl = DECLARATION,
        title = escape(title),
        creator = escape(settings.issuer.trim()),
        when = when
    )
}

/// `docProps/app.xml`: the application that wrote the file.
pub(crate) fn app_xml() -> String {
    format!(
        concat!(
            "{decl}",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#,
            "<Application>mofan</Application></Properties>"
        ),
        decl = DECLARATION
    )
}

/// `word/document.xml`: the notices, one section each. A notice ends in the tiny
/// paragraph that anchors its 版记; every notice after the first starts on a new page
/// (a section break) and numbers its pages from 1.
pub(crate) fn document_xml(sections: &[Composed]) -> String {
    let mut body = String::new();
    for (i, section) in sections.iter().enumerate() {
        body.push_str(&section.body);
        body.push_str(&anchor(None));
        if i + 1 < sections.len() {
            // The section break in a paragraph of its own: LibreOffice keeps a table
            // that is directly followed by a section break in the text flow.
            body.push_str(&anchor(Some(sect_pr())));
        }
    }
    format!(
        r#"{DECLARATION}<w:document xmlns:w="{NS_W}" xmlns:r="{NS_R}"><w:body>{body}{}</w:body></w:document>"#,
        sect_pr()
    )
}

/// The section properties of every notice: A4, the GB/T 9704 margins, odd and even
/// footers, page numbers from 1. The 22 lines come from the exact line height of every
/// paragraph, not from a document grid: LibreOffice snaps a 22 pt title line to two rows
/// of a `lines` grid, and lays 16 pt characters out two cells wide in a 15.8 pt
/// `linesAndChars` grid (docs/rules.md "Notices"). The pitch is still recorded for
/// Word's page set-up dialog.
pub(crate) fn sect_pr() -> String {
    format!(
        concat!(
            "<w:sectPr>",
            r#"<w:footerReference w:type="default" r:id="{odd}"/>"#,
            r#"<w:footerReference w:type="even" r:id="{even}"/>"#,
            r#"<w:type w:val="nextPage"/>"#,
            r#"<w:pgSz w:w="{pw}" w:h="{ph}"/>"#,
            r#"<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="{footer}" w:gutter="0"/>"#,
            r#"<w:pgNumType w:fmt="decimal" w:start="1"/>"#,
            r#"<w:docGrid w:linePitch="{pitch}"/>"#,
            "</w:sectPr>"
        ),
        odd = FOOTER_ODD,
        even = FOOTER_EVEN,
        pw = layout::PAGE_W,
        ph = layout::PAGE_H,
        top = layout::MARGIN_TOP,
        right = layout::MARGIN_RIGHT,
        bottom = layout::MARGIN_BOTTOM,
        left = layout::MARGIN_LEFT,
        footer = layout::footer_distance(),
        pitch = LINE
    )
}

/// The `w:rFonts` of one font for every script.
fn fonts(name: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" w:hint="eastAsia"/>"#
    )
}

/// A paragraph style.
fn style(id: &str, name: &str, ppr: &str, rpr: &str) -> String {
    format!(
        concat!(
            r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="{id}">"#,
            r#"<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/>"#,
            "<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        ),
        id = id,
        name = name,
        ppr = ppr,
        rpr = rpr
    )
}

/// `word/styles.xml`: document defaults (仿宋_GB2312 3号, exact line pitch, no widow
/// control, no hanging punctuation) and one paragraph style per element of the notice.
pub(crate) fn styles_xml() -> String {
    let no_indent = r#"<w:ind w:firstLine="0"/>"#;
    let no_spacing = r#"<w:spacing w:val="0"/>"#;
    let mut s = String::new();
    s.push_str(DECLARATION);
    s.push_str(&format!(r#"<w:styles xmlns:w="{NS_W}">"#));
    s.push_str(&format!(
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>{fonts}",
            r#"<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>"#,
            // Western text English: LibreOffice breaks lines anywhere in text whose
            // language is Chinese, even between the digits of a number.
            r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#,
            "</w:rPr></w:rPrDefault>",
            r#"<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>"#,
            r#"<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>"#,
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
        fonts = fonts(FANGSONG),
        sz = layout::BODY_SIZE / 10,
        line = LINE
    ));
    s.push_str(&format!(
        concat!(
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>"#,
            r#"<w:pPr><w:ind w:firstLine="{indent}"/><w:jc w:val="both"/></w:pPr>"#,
            r#"<w:rPr><w:spacing w:val="{spacing}"/></w:rPr></w:style>"#
        ),
        indent = chars(2.0),
        spacing = layout::BODY_SPACING
    ));
    s.push_str(
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
    );
    let red = format!(r#"<w:color w:val="{RED}"/>"#);
    s.push_str(&style(
        "NoticeMark",
        "发文机关标志",
        &format!(r#"{no_indent}<w:jc w:val="center"/>"#),
        &format!("{}{red}{no_spacing}", fonts(XIAOBIAOSONG)),
    ));
    s.push_str(&style(
        "NoticeDocNumber",
        "发文字号",
        &format!(r#"{no_indent}<w:jc w:val="center"/>"#),
        no_spacing,
    ));
    s.push_str(&style(
        "NoticeTitle",
        "标题",
        &format!(r#"{no_indent}<w:jc w:val="center"/>"#),
        &format!(
            r#"{}{no_spacing}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>"#,
            fonts(XIAOBIAOSONG),
            sz = layout::TITLE_SIZE / 10
        ),
    ));
    s.push_str(&style("NoticeRecipients", "主送机关", no_indent, ""));
    s.push_str(&style(
        "NoticeHeading1",
        "一级标题",
        r#"<w:outlineLvl w:val="0"/>"#,
        &fonts(HEITI),
    ));
    s.push_str(&style(
        "NoticeHeading2",
        "二级标题",
        r#"<w:outlineLvl w:val="1"/>"#,
        &fonts(KAITI),
    ));
    s.push_str(&style(
        "NoticeSignature",
        "发文机关署名",
        &format!(r#"{no_indent}<w:jc w:val="right"/>"#),
        "",
    ));
    s.push_str(&style(
        "NoticeDate",
        "成文日期",
        &format!(
            r#"<w:ind w:right="{}" w:firstLine="0"/><w:jc w:val="right"/>"#,
            chars(4.0)
        ),
        "",
    ));
    s.push_str(&style(
        "NoticeAttachmentLabel",
        "附件标识",
        &format!(r#"{no_indent}<w:jc w:val="left"/>"#),
        &fonts(HEITI),
    ));
    s.push_str(&style(
        "NoticeBanji",
        "版记",
        &format!(r#"{no_indent}<w:jc w:val="left"/>"#),
        &format!(
            r#"{no_spacing}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>"#,
            sz = SMALL_SIZE / 10
        ),
    ));
    s.push_str(&style(
        "NoticePageNumber",
        "页码",
        &format!(
            r#"<w:spacing w:before="0" w:after="0" w:line="{}" w:lineRule="exact"/>{no_indent}"#,
            layout::PAGE_NUMBER_LINE
        ),
        &format!(
            r#"{}{no_spacing}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>"#,
            fonts(SONGTI),
            sz = SMALL_SIZE / 10
        ),
    ));
    s.push_str("</w:styles>");
    s
}

/// `word/settings.xml`: different odd and even footers, full-width punctuation kept
/// full width, a one-character default tab, Word 2013+ layout.
pub(crate) fn settings_xml() -> String {
    format!(
        concat!(
            r#"{decl}<w:settings xmlns:w="{ns}">"#,
            r#"<w:defaultTabStop w:val="{tab}"/>"#,
            "<w:evenAndOddHeaders/>",
            r#"<w:characterSpacingControl w:val="doNotCompress"/>"#,
            r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
            r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>"#,
            "</w:settings>"
        ),
        decl = DECLARATION,
        ns = NS_W,
        tab = chars(1.0)
    )
}

/// `word/fontTable.xml`: the fonts by the names offices install them under, with the
/// name Windows ships as the alternative (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体) and
/// the GB2312 character set.
pub(crate) fn font_table_xml() -> String {
    let font = |name: &str, alt: &str, family: &str| {
        format!(
            concat!(
                r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/>"#,
                r#"<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
            ),
            name = name,
            alt = alt,
            family = family
        )
    };
    format!(
        r#"{DECLARATION}<w:fonts xmlns:w="{NS_W}">{}{}{}{}{}</w:fonts>"#,
        font(FANGSONG, "仿宋", "modern"),
        font(XIAOBIAOSONG, "宋体", "roman"),
        font(HEITI, "SimHei", "modern"),
        font(KAITI, "楷体", "modern"),
        font(SONGTI, "SimSun", "roman"),
    )
}

/// `word/footer1.xml` (odd pages) or `word/footer2.xml` (even pages): the page number
/// "— 1 —" in 4号宋体, one character in from the right edge on odd pages and from the
/// left edge on even pages.
pub(crate) fn footer_xml(odd: bool) -> String {
    let props = ParaProps {
        style: Some("NoticePageNumber"),
        left: (!odd).then_some(SMALL_SIZE),
        right: odd.then_some(SMALL_SIZE),
        jc: Some(if odd { "right" } else { "left" }),
        ..Default::default()
    };
    let plain = RunProps::default();
    let runs = format!(
        r#"{}<w:fldSimple w:instr=" PAGE ">{}</w:fldSimple>{}"#,
        run("— ", &plain),
        run("1", &plain),
        run(" —", &plain)
    );
    format!(
        r#"{DECLARATION}<w:ftr xmlns:w="{NS_W}" xmlns:r="{NS_R}">{}</w:ftr>"#,
        para(&props, &runs)
    )
}
