//! WordprocessingML building blocks: escaping, runs and paragraphs.
//!
//! Every piece of user text reaches the XML through [`escape`] (inside [`run`]).
//! Properties are written in the order the schema prescribes (Word refuses files whose
//! `w:pPr` / `w:rPr` children are out of order).

use std::fmt::Write as _;

/// The WordprocessingML namespaces every part uses.
pub(crate) const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Relationships namespace (for `r:id`).
pub(crate) const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The XML declaration every part starts with.
pub(crate) const DECLARATION: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Escapes text for an XML element or attribute value, and drops the characters
/// XML 1.0 cannot carry at all (control characters other than tab, newline and
/// carriage return; U+FFFE and U+FFFF).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Character properties of a run (`w:rPr`). `None` leaves the style's value.
#[derive(Debug, Clone, Default)]
pub(crate) struct RunProps {
    /// One font for every script (`w:rFonts` ascii, hAnsi, eastAsia, cs).
    pub font: Option<&'static str>,
    /// Whether the run is bold (`w:b`); `false` writes nothing, leaving the style's weight.
    pub bold: bool,
    /// Colour as RRGGBB.
    pub color: Option<&'static str>,
    /// Letter spacing in twips.
    pub spacing: Option<i32>,
    /// Horizontal scale in percent (`w:w`).
    pub scale: Option<i32>,
    /// Font size in twips (written in half points).
    pub size: Option<i32>,
}

impl RunProps {
    /// The `w:rPr` element, or nothing when every property is left to the style.
    pub(crate) fn xml(&self) -> String {
        let mut x = String::new();
        if let Some(f) = self.font {
            let f = escape(f);
            let _ = write!(
                x,
                r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
            );
        }
        if self.bold {
            x.push_str("<w:b/><w:bCs/>");
        }
        if let Some(c) = self.color {
            let _ = write!(x, r#"<w:color w:val="{c}"/>"#);
        }
        if let Some(s) = self.spacing {
            let _ = write!(x, r#"<w:spacing w:val="{s}"/>"#);
        }
        if let Some(w) = self.scale {
            let _ = write!(x, r#"<w:w w:val="{w}"/>"#);
        }
        if let Some(s) = self.size {
            let half_points = s / 10;
            let _ = write!(
                x,
                r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#
            );
        }
        if x.is_empty() {
            x
        } else {
            format!("<w:rPr>{x}</w:rPr>")
        }
    }
}

/// A run of text: `\n` becomes a line break, `\t` a tab; the rest is escaped.
pub(crate) fn run(text: &str, props: &RunProps) -> String {
    let rpr = props.xml();
    let mut x = String::new();
    let _ = write!(x, "<w:r>{rpr}");
    let mut piece = String::new();
    let flush = |x: &mut String, piece: &mut String| {
        if !piece.is_empty() {
            let _ = write!(x, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(piece));
            piece.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(&mut x, &mut piece);
                x.push_str("<w:br/>");
            }
            '\t' => {
                flush(&mut x, &mut piece);
                x.push_str("<w:tab/>");
            }
            '\r' => {}
            c => piece.push(c),
        }
    }
    flush(&mut x, &mut piece);
    x.push_str("</w:r>");
    x
}

/// A paragraph border (`w:top` / `w:bottom` inside `w:pBdr`, or a cell border).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Border {
    /// Width in eighths of a point.
    pub eighths: i32,
    /// Distance from the text in points.
    pub space_pt: i32,
    /// Colour as RRGGBB.
    pub color: &'static str,
}

impl Border {
    /// The border element named `side`.
    pub(crate) fn xml(&self, side: &str) -> String {
        format!(
            r#"<w:{side} w:val="single" w:sz="{}" w:space="{}" w:color="{}"/>"#,
            self.eighths, self.space_pt, self.color
        )
    }
}

/// A tab stop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tab {
    /// `left`, `center` or `right`.
    pub kind: &'static str,
    /// Position from the left edge of the text area, in twips.
    pub pos: i32,
}

/// Paragraph properties (`w:pPr`). Zero / `None` / `false` leaves the style's value.
#[derive(Debug, Clone, Default)]
pub(crate) struct ParaProps {
    /// Paragraph style id.
    pub style: Option<&'static str>,
    /// Keep on the same page as the next paragraph.
    pub keep_next: bool,
    /// Start on a new page.
    pub page_break_before: bool,
    /// Bottom border.
    pub border_bottom: Option<Border>,
    /// Tab stops.
    pub tabs: Vec<Tab>,
    /// Space before, in twips.
    pub before: Option<i32>,
    /// Exact line height, in twips.
    pub line: Option<i32>,
    /// Left indent, in twips.
    pub left: Option<i32>,
    /// Right indent, in twips.
    pub right: Option<i32>,
    /// First-line indent (positive) or hanging indent (negative), in twips.
    pub first_line: Option<i32>,
    /// Alignment: `left`, `center`, `right`, `both`.
    pub jc: Option<&'static str>,
    /// Properties of the paragraph mark (the size of an empty paragraph).
    pub mark: Option<RunProps>,
    /// A section break ending the section with this paragraph (`w:sectPr`).
    pub sect: Option<String>,
}

impl ParaProps {
    /// The `w:pPr` element (possibly empty).
    pub(crate) fn xml(&self) -> String {
        let mut x = String::new();
        if let Some(s) = self.style {
            let _ = write!(x, r#"<w:pStyle w:val="{s}"/>"#);
        }
        if self.keep_next {
            x.push_str("<w:keepNext/>");
        }
        if self.page_break_before {
            x.push_str("<w:pageBreakBefore/>");
        }
        if let Some(b) = self.border_bottom {
            let _ = write!(x, "<w:pBdr>{}</w:pBdr>", b.xml("bottom"));
        }
        if !self.tabs.is_empty() {
            x.push_str("<w:tabs>");
            for t in &self.tabs {
                let _ = write!(x, r#"<w:tab w:val="{}" w:pos="{}"/>"#, t.kind, t.pos);
            }
            x.push_str("</w:tabs>");
        }
        if self.before.is_some() || self.line.is_some() {
            x.push_str("<w:spacing");
            if let Some(b) = self.before {
                let _ = write!(x, r#" w:before="{b}""#);
            }
            if let Some(l) = self.line {
                let _ = write!(x, r#" w:line="{l}" w:lineRule="exact""#);
            }
            x.push_str("/>");
        }
        if self.left.is_some() || self.right.is_some() || self.first_line.is_some() {
            x.push_str("<w:ind");
            if let Some(l) = self.left {
                let _ = write!(x, r#" w:left="{l}""#);
            }
            if let Some(r) = self.right {
                let _ = write!(x, r#" w:right="{r}""#);
            }
            match self.first_line {
                Some(f) if f < 0 => {
                    let _ = write!(x, r#" w:hanging="{}""#, -f);
                }
                Some(f) => {
                    let _ = write!(x, r#" w:firstLine="{f}""#);
                }
                None => {}
            }
            x.push_str("/>");
        }
        if let Some(j) = self.jc {
            let _ = write!(x, r#"<w:jc w:val="{j}"/>"#);
        }
        if let Some(m) = &self.mark {
            x.push_str(&m.xml());
        }
        if let Some(s) = &self.sect {
            x.push_str(s);
        }
        if x.is_empty() {
            x
        } else {
            format!("<w:pPr>{x}</w:pPr>")
        }
    }
}

/// A paragraph of already-built runs.
pub(crate) fn para(props: &ParaProps, runs: &str) -> String {
    format!("<w:p>{}{runs}</w:p>", props.xml())
}
