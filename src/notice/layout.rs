//! The GB/T 9704-2012 page, in the units WordprocessingML uses.
//!
//! Lengths are twips (1/20 pt, 1/1440 inch; 1 mm ≈ 56.69 twips) unless a name says
//! otherwise; font sizes are twips too (16 pt = 320). Every position on the page comes
//! from these constants, so the layout rules live in one place (docs/rules.md "Notices").

/// Millimetres to twips, rounded to the nearest twip.
pub(crate) const fn mm(millimetres: f64) -> i32 {
    let t = millimetres * 1440.0 / 25.4;
    (t + 0.5) as i32
}

/// A4 width (210 mm).
pub(crate) const PAGE_W: i32 = 11906;
/// A4 height (297 mm).
pub(crate) const PAGE_H: i32 = 16838;
/// Top margin: 37 mm (天头).
pub(crate) const MARGIN_TOP: i32 = mm(37.0);
/// Left (binding) margin: 28 mm (订口).
pub(crate) const MARGIN_LEFT: i32 = mm(28.0);
/// Width of the text block (版心): 156 mm.
pub(crate) const TEXT_W: i32 = mm(156.0);
/// Height of the text block: 225 mm.
pub(crate) const TEXT_H: i32 = mm(225.0);
/// Right margin: what is left of the width (26 mm).
pub(crate) const MARGIN_RIGHT: i32 = PAGE_W - MARGIN_LEFT - TEXT_W;
/// Bottom margin: what is left of the height (35 mm).
pub(crate) const MARGIN_BOTTOM: i32 = PAGE_H - MARGIN_TOP - TEXT_H;

/// Lines of body text on a full page.
pub(crate) const LINES_PER_PAGE: i32 = 22;
/// Characters of body text on a full line.
pub(crate) const CHARS_PER_LINE: i32 = 28;
/// The line pitch: the text block's height over 22, rounded down so that 22 lines
/// always fit (579 twips = 28.95 pt = 10.21 mm; 22 lines = 224.7 mm).
pub(crate) const LINE: i32 = TEXT_H / LINES_PER_PAGE;

/// Body text: 3号 = 16 pt.
pub(crate) const BODY_SIZE: i32 = 320;
/// Title: 2号 = 22 pt.
pub(crate) const TITLE_SIZE: i32 = 440;
/// 版记 and page numbers: 4号 = 14 pt.
pub(crate) const SMALL_SIZE: i32 = 280;

/// Letter spacing of body text, in twips (−0.25 pt): a 16 pt character then advances
/// 315 twips, so 28 fit in the 8845-twip line and 29 do not (28 × 315 = 8820,
/// 29 × 315 = 9135). LibreOffice lays a 16 pt character out two grid cells wide when
/// the `linesAndChars` grid pitch (15.8 pt) is narrower than the font, so the grid
/// alone cannot give 28 characters there; letter spacing works the same everywhere.
pub(crate) const BODY_SPACING: i32 = -5;

// 22 lines fit in the block and a 23rd does not; 28 body characters fit on a line and
// a 29th does not.
const _: () = assert!(LINES_PER_PAGE * LINE <= TEXT_H && (LINES_PER_PAGE + 1) * LINE > TEXT_H);
const _: () = assert!(
    CHARS_PER_LINE * (BODY_SIZE + BODY_SPACING) <= TEXT_W
        && (CHARS_PER_LINE + 1) * (BODY_SIZE + BODY_SPACING) > TEXT_W
);

/// The character pitch of the grid, 156 mm / 28, in twips (fractional).
pub(crate) const CHAR_PITCH: f64 = TEXT_W as f64 / CHARS_PER_LINE as f64;

/// `n` body characters of the grid, in twips, rounded.
pub(crate) fn chars(n: f64) -> i32 {
    (n * CHAR_PITCH).round() as i32
}

/// Where the ideographs' ink starts above the baseline, as a fraction of the em. The
/// ideographic em box spans 0.88 em above to 0.12 em below the baseline; the drawn
/// characters sit a little inside it (measured: Noto Serif CJK 0.83 em regular,
/// 0.85 em bold; Song faces such as 方正小标宋 lie in that range within ±0.03 em).
pub(crate) const INK_ASCENT: f64 = 0.84;
/// Where LibreOffice and Word put the baseline in a line of exact height: 80 % of the
/// line height below its top.
pub(crate) const EXACT_BASELINE: f64 = 0.8;
/// Height of the dash "—" (一字线) above the baseline, in ems: between the middle of the
/// ideographic em box (0.38, where full-width dashes sit) and the 0.30 of the Noto
/// fonts' proportional dash.
pub(crate) const DASH_HEIGHT: f64 = 0.34;
/// Bottom of the ideographic em box below the baseline, in ems.
pub(crate) const EM_DESCENT: f64 = 0.12;

/// Distance from the text block's top to the top of the 发文机关标志's characters.
pub(crate) const MARK_TOP: i32 = mm(35.0);
/// Nominal size of the 发文机关标志: 48 pt.
pub(crate) const MARK_SIZE: i32 = 960;
/// Narrowest horizontal scale of the 发文机关标志 before its size is reduced.
pub(crate) const MARK_MIN_SCALE: i32 = 40;
/// The share of the block width the 发文机关标志 may take.
pub(crate) const MARK_FILL: f64 = 0.98;

/// The 发文机关标志's size (twips) and horizontal scale (percent): 48 pt at full width
/// when it fits in 98 % of the block, else narrowed down to 40 %, then made smaller.
pub(crate) fn mark_size(text: &str) -> (i32, i32) {
    let room = TEXT_W as f64 * MARK_FILL;
    let width_at_full = text_width(text, MARK_SIZE, 0);
    if width_at_full <= room {
        return (MARK_SIZE, 100);
    }
    let scale = (room / width_at_full * 100.0).floor() as i32;
    if scale >= MARK_MIN_SCALE {
        return (MARK_SIZE, scale);
    }
    let em_per_pt = width_at_full / MARK_SIZE as f64;
    let size = (room / (em_per_pt * MARK_MIN_SCALE as f64 / 100.0)).floor() as i32;
    // w:sz is in half points: keep the size a whole half point.
    (size / 10 * 10, MARK_MIN_SCALE)
}

/// Height of the 发文机关标志's line: 1.1 × its size, so the characters are never
/// clipped by the exact line height.
pub(crate) fn mark_line(size: i32) -> i32 {
    (size as f64 * 1.1).round() as i32
}

/// The empty space above the 发文机关标志 that puts its characters' top edge
/// [`MARK_TOP`] below the text block's top: the line's baseline is 80 % down the line,
/// the ink starts [`INK_ASCENT`] above it.
pub(crate) fn mark_spacer(size: i32) -> i32 {
    let line = mark_line(size) as f64;
    let ink_below_line_top = EXACT_BASELINE * line - INK_ASCENT * size as f64;
    (MARK_TOP as f64 - ink_below_line_top).round() as i32
}

/// Red separator line under the 发文字号: 1.5 pt (border units are 1/8 pt).
pub(crate) const RED_LINE_EIGHTHS: i32 = 12;
/// Distance from the 发文字号's characters to the red line: 4 mm.
pub(crate) const RED_LINE_GAP: i32 = mm(4.0);

/// The border's distance below the 发文字号's line box, in whole points, that puts the
/// middle of the red line [`RED_LINE_GAP`] below the characters' em box.
pub(crate) fn red_line_space_pt() -> i32 {
    let baseline = EXACT_BASELINE * LINE as f64;
    let em_bottom = baseline + EM_DESCENT * BODY_SIZE as f64;
    let half_line = RED_LINE_EIGHTHS as f64 * 20.0 / 8.0 / 2.0;
    let space = em_bottom + RED_LINE_GAP as f64 - LINE as f64 - half_line;
    (space / 20.0).round() as i32
}

/// 版记 rules: the first and last 0.35 mm (1 pt), the middle 0.25 mm (0.75 pt).
pub(crate) const BANJI_THICK_EIGHTHS: i32 = 8;
/// See [`BANJI_THICK_EIGHTHS`].
pub(crate) const BANJI_THIN_EIGHTHS: i32 = 6;

/// Exact line height of the page number.
pub(crate) const PAGE_NUMBER_LINE: i32 = 400;
/// The dash of the page number sits 7 mm below the text block.
pub(crate) const PAGE_NUMBER_GAP: i32 = mm(7.0);

/// The footer distance (from the page's bottom edge to the bottom of the footer) that
/// puts the page number's dashes [`PAGE_NUMBER_GAP`] below the text block.
pub(crate) fn footer_distance() -> i32 {
    let dash = (MARGIN_TOP + TEXT_H + PAGE_NUMBER_GAP) as f64;
    let line = PAGE_NUMBER_LINE as f64;
    let dash_below_line_top = EXACT_BASELINE * line - DASH_HEIGHT * SMALL_SIZE as f64;
    (PAGE_H as f64 - line + dash_below_line_top - dash).round() as i32
}

/// Whether a character is set one em wide (ideographs, CJK punctuation, full-width
/// forms) rather than half an em (ASCII letters, digits, Latin punctuation).
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2014..=0x2016 | 0x2018..=0x201F | 0x2026 | 0x2030 | 0x203B
        | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE10..=0xFE19
        | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// The width of `text` set in `size` with `spacing` letter spacing, in twips: wide
/// characters one em, others half an em (the metrics of GB2312 fonts such as
/// 仿宋_GB2312), plus a quarter em where an ideograph meets a Latin letter or digit
/// (the automatic spacing Word and LibreOffice add between Chinese and Western text).
pub(crate) fn text_width(text: &str, size: i32, spacing: i32) -> f64 {
    let em = size as f64;
    let mut width = 0.0;
    let mut previous: Option<char> = None;
    for c in text.chars() {
        width += if is_wide(c) { em } else { em / 2.0 } + spacing as f64;
        if let Some(p) = previous {
            let meets = |a: char, b: char| is_wide(a) && b.is_ascii_alphanumeric();
            if meets(p, c) || meets(c, p) {
                width += em / 4.0;
            }
        }
        previous = Some(c);
    }
    width
}
