//! The house style of every workbook mofan writes — the result book
//! ([`super::results`]), exported lists ([`super::table`]), the error workbook
//! ([`crate::import::error_book`]) and the return template ([`crate::template`]): the
//! font, the header look, the colours, the number formats, how wide CJK text is and how
//! many lines it wraps to, and the A4 print set-up with page numbers.
//!
//! A writer takes its formats from here and adds only what its own layout needs (a
//! merged title, borders on a small sheet, the template's second header colour), so the
//! workbooks look like one family and a change of style is made once.

use rust_xlsxwriter::{Color, Format, FormatBorder, Worksheet, XlsxError};

/// The font of every workbook but the return template.
pub const FONT: &str = "等线";
/// The font of the return template: units print it and fill it in like a paper form,
/// and official forms are set in 宋体.
pub const FORM_FONT: &str = "宋体";
/// The fonts' character set, GB2312, so that a spreadsheet program picks the font for
/// Chinese text on any system locale.
pub const CHARSET_GB2312: u8 = 134;
/// The size of body text, in points.
pub const FONT_SIZE: u8 = 11;
/// The size of a sheet's title row, in points.
pub const TITLE_SIZE: u8 = 16;
/// The height of one line of body text, in points.
pub const LINE_HEIGHT: f64 = 15.0;

/// Fill of header cells.
pub const HEADER_FILL: Color = Color::RGB(0xDDEBF7);
/// Fill of section and total rows inside a sheet.
pub const BAND_FILL: Color = Color::RGB(0xF2F2F2);
/// Fill of the template's veto headers, set apart from the scores beside them.
pub const VETO_FILL: Color = Color::RGB(0xFCE4D6);
/// Fill of a ledger item overdue on the date (red: Excel's "bad" shade).
pub const OVERDUE_FILL: Color = Color::RGB(0xFFC7CE);
/// Fill of a ledger item due soon (amber: Excel's "neutral" shade).
pub const DUE_SOON_FILL: Color = Color::RGB(0xFFEB9C);
/// Fill of a ledger item done (green: Excel's "good" shade).
pub const DONE_FILL: Color = Color::RGB(0xC6EFCE);
/// Colour of the text that says what is wrong (the error workbook's reasons).
pub const ERROR_COLOR: Color = Color::RGB(0xC00000);

/// A score: two decimals, as shown and compared.
pub const SCORE_FORMAT: &str = "0.00";
/// A whole number.
pub const COUNT_FORMAT: &str = "0";
/// A date.
pub const DATE_FORMAT: &str = "yyyy-mm-dd";
/// Text, also when typed into the cell later (an all-digit code stays as typed).
pub const TEXT_FORMAT: &str = "@";

/// The width of a score cell ("100.00"), in character units.
pub const SCORE_WIDTH: f64 = 6.6;
/// The narrowest column sized from its content, in character units.
pub const MIN_COLUMN_WIDTH: f64 = 6.0;
/// Room added to a column beyond its widest text, in character units.
const COLUMN_PADDING: f64 = 2.0;

/// Excel's paper code for A4.
pub const PAPER_A4: u8 = 9;
/// The page footer: "第 1 页，共 3 页", centred.
pub const PAGE_NUMBERS: &str = "&C第 &P 页，共 &N 页";

/// Body text in the house font: [`FONT`], [`FONT_SIZE`] points, GB2312.
pub fn font() -> Format {
    font_named(FONT)
}

/// Body text in `name` (the house font or [`FORM_FONT`]) at [`FONT_SIZE`] points.
pub fn font_named(name: &str) -> Format {
    Format::new()
        .set_font_name(name)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(FONT_SIZE)
}

/// A header cell in `base`'s font: bold, shaded with [`HEADER_FILL`], thin borders.
pub fn header(base: &Format) -> Format {
    base.clone()
        .set_bold()
        .set_background_color(HEADER_FILL)
        .set_border(FormatBorder::Thin)
}

/// The width of text in Excel character units, as the house font draws it at 11
/// points: CJK and other wide characters ≈ 2.1, ASCII ≈ 1.1.
pub fn text_width(s: &str) -> f64 {
    let ascii = s.bytes().filter(u8::is_ascii).count();
    let wide = s.chars().count() - ascii;
    ascii as f64 * 1.1 + wide as f64 * 2.1
}

/// A column as wide as its widest text (`content`, in [`text_width`] units) with some
/// room, kept between `min` and `max`.
pub fn column_width(content: f64, min: f64, max: f64) -> f64 {
    (content + COLUMN_PADDING).clamp(min, max)
}

/// Estimated lines of `s` wrapped in a column `width` characters wide (line feeds break
/// lines too); a row of wrapped text is given this many lines' height, since not every
/// spreadsheet program fits it on opening.
pub fn wrapped_lines(s: &str, width: f64) -> u32 {
    let usable = (width - COLUMN_PADDING).max(1.0);
    s.split('\n')
        .map(|line| ((text_width(line) / usable).ceil() as u32).max(1))
        .sum()
}

/// How a sheet lies on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Upright.
    Portrait,
    /// Sideways, for sheets of many columns.
    Landscape,
}

/// The print set-up every sheet shares: A4 in `orientation`, fit to one page wide (as
/// long as it needs), page numbers in the footer.
pub fn print_a4(ws: &mut Worksheet, orientation: Orientation) {
    ws.set_paper_size(PAPER_A4);
    if orientation == Orientation::Landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer(PAGE_NUMBERS);
}

/// The print set-up of a list sheet whose first row is its header: [`print_a4`]
/// landscape, the header on every page. Lists of many columns (the error workbook,
/// exported tables) otherwise print column by column.
pub fn print_as_list(ws: &mut Worksheet) -> Result<(), XlsxError> {
    print_a4(ws, Orientation::Landscape);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_twice() {
        assert!((text_width("abc") - 3.3).abs() < 1e-9);
        assert!((text_width("广州市") - 6.3).abs() < 1e-9);
        assert!((text_width("第1名") - 5.3).abs() < 1e-9);
        assert!((text_width("100.00") - SCORE_WIDTH).abs() < 1e-9);
        assert_eq!(column_width(1.0, 6.0, 50.0), 6.0);
        assert_eq!(column_width(30.0, 6.0, 50.0), 32.0);
        assert_eq!(column_width(60.0, 6.0, 50.0), 50.0);
    }

    #[test]
    fn wrapped_text_counts_its_lines() {
        assert_eq!(wrapped_lines("短", 20.0), 1);
        assert_eq!(wrapped_lines("", 20.0), 1);
        assert_eq!(wrapped_lines(&"长".repeat(20), 23.0), 2);
        assert_eq!(wrapped_lines(&"长".repeat(21), 23.0), 3);
        assert_eq!(wrapped_lines("一\n二\n三", 20.0), 3);
    }
}
