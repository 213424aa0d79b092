//! Writes the result book's tables with rust_xlsxwriter: fonts, widths, number formats,
//! frozen headers, filters, A4 print set-up, the page header and the summary chart.

use chrono::Utc;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, DocProperties, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use super::content::ResultBook;
use super::model::{Kind, RowStyle, Table, Value};
use super::words::book_title;
use super::{ExportError, SHEETS};
use crate::export::style::{self, text_width, Orientation};

/// The widest column, in character units.
const MAX_WIDTH: f64 = 50.0;
/// Width of a wrapped text column at most.
const WRAP_WIDTH: f64 = 72.0;

/// The widest line of a cell's text (wrapped text breaks at line feeds too).
fn value_width(v: &Value<'_>, kind: Kind) -> f64 {
    match v {
        Value::Text(s) if s.contains('\n') => s.lines().map(text_width).fold(0.0, f64::max),
        Value::Text(s) => text_width(s),
        Value::Number(n) => match kind {
            Kind::Score => style::SCORE_WIDTH,
            _ => text_width(&format!("{n}")),
        },
        Value::Blank => 0.0,
    }
}

/// The formats of the workbook, all in the house font.
struct Styles {
    title: Format,
    header: Format,
    /// Per kind: plain (the column format), plain with borders, section row, total row.
    plain: [Format; 4],
    bordered: [Format; 4],
    section: [Format; 4],
    total: [Format; 4],
}

fn kind_index(k: Kind) -> usize {
    match k {
        Kind::Text => 0,
        Kind::Wrap => 1,
        Kind::Score => 2,
        Kind::Count => 3,
    }
}

impl Styles {
    fn new() -> Styles {
        // Short cells centred on the height of a wrapped neighbour.
        let base = style::font().set_align(FormatAlign::VerticalCenter);
        let kinds = [
            base.clone(),
            base.clone().set_text_wrap(),
            base.clone().set_num_format(style::SCORE_FORMAT),
            base.clone().set_num_format(style::COUNT_FORMAT),
        ];
        let band = |f: &Format| {
            f.clone()
                .set_bold()
                .set_background_color(style::BAND_FILL)
                .set_border(FormatBorder::Thin)
        };
        Styles {
            title: base.clone().set_bold().set_font_size(style::TITLE_SIZE),
            header: style::header(&base).set_align(FormatAlign::Center),
            bordered: kinds
                .each_ref()
                .map(|f| f.clone().set_border(FormatBorder::Thin)),
            section: kinds.each_ref().map(band),
            total: kinds.each_ref().map(band),
            plain: kinds,
        }
    }
}

/// Writes one table on a new sheet; returns the sheet.
///
/// A `small` sheet is kept in memory and every cell gets a bordered format; the lists
/// are streamed row by row ("low memory" mode), their plain cells take the column's
/// format and print with grid lines.
fn write_table<'w>(
    wb: &'w mut Workbook,
    t: Table<'_>,
    st: &Styles,
    header: &str,
    small: bool,
) -> Result<&'w mut Worksheet, XlsxError> {
    let ws = if small {
        wb.add_worksheet()
    } else {
        wb.add_worksheet_with_low_memory()?
    };
    ws.set_name(t.sheet)?;
    let ncols = t.columns.len() as u16;
    let last_col = ncols.saturating_sub(1);
    let kinds: Vec<Kind> = t.columns.iter().map(|c| c.kind).collect();

    // First pass: column widths that fit the header and every value.
    // Filter drop-down arrows take about two characters.
    let arrow = if t.filter.is_some() { 2.0 } else { 0.0 };
    let mut widths: Vec<f64> = t
        .columns
        .iter()
        .map(|c| text_width(&c.header) + arrow)
        .collect();
    for r in (t.rows)() {
        for ((v, kind), w) in r.values.iter().zip(&kinds).zip(widths.iter_mut()) {
            *w = w.max(value_width(v, *kind));
        }
    }
    for (w, k) in widths.iter_mut().zip(&kinds) {
        let max = if *k == Kind::Wrap {
            WRAP_WIDTH
        } else {
            MAX_WIDTH
        };
        *w = style::column_width(*w, style::MIN_COLUMN_WIDTH, max);
    }
    // Column formats carry font and number format to every plain cell (and to rows a
    // user adds later); they are set before any row is written.
    for (c, (k, w)) in kinds.iter().zip(&widths).enumerate() {
        ws.set_column_format(c as u16, &st.plain[kind_index(*k)])?;
        ws.set_column_width(c as u16, *w)?;
    }

    let mut row: u32 = 0;
    if let Some(title) = &t.title {
        ws.set_row_height(row, 28)?;
        if ncols > 1 {
            ws.merge_range(row, 0, row, last_col, title, &st.title)?;
        } else {
            ws.write_string_with_format(row, 0, title, &st.title)?;
        }
        row += 1;
    }
    let header_row = row;
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, col.header.as_str(), &st.header)?;
    }
    if let Some(n) = t.filter {
        ws.autofilter(header_row, 0, header_row + n as u32, last_col)?;
    }
    row += 1;

    // Second pass: the rows. A row whose wrapped text needs several lines gets its
    // height set, since not every spreadsheet program fits it on opening.
    let mut last_has_height = false;
    for r in (t.rows)() {
        let lines = r
            .values
            .iter()
            .zip(&kinds)
            .zip(&widths)
            .filter_map(|((v, k), w)| match (v, k) {
                (Value::Text(s), Kind::Wrap) => Some(style::wrapped_lines(s, *w)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        last_has_height = lines > 1;
        if last_has_height {
            ws.set_row_height(row, f64::from(lines) * style::LINE_HEIGHT)?;
        }
        for (c, (v, kind)) in r.values.into_iter().zip(&kinds).enumerate() {
            let col = c as u16;
            let k = kind_index(*kind);
            let format = match r.style {
                RowStyle::Plain if small => Some(&st.bordered[k]),
                RowStyle::Plain => None,
                RowStyle::Section => Some(&st.section[k]),
                RowStyle::Total => Some(&st.total[k]),
            };
            match (v, format) {
                // Plain cells of the lists take their column's format.
                (Value::Text(s), None) => {
                    ws.write_string(row, col, s)?;
                }
                (Value::Number(n), None) => {
                    ws.write_number(row, col, n)?;
                }
                (Value::Blank, None) => {}
                (Value::Text(s), Some(f)) => {
                    ws.write_string_with_format(row, col, s, f)?;
                }
                (Value::Number(n), Some(f)) => {
                    ws.write_number_with_format(row, col, n, f)?;
                }
                (Value::Blank, Some(f)) => {
                    ws.write_blank(row, col, f)?;
                }
            }
        }
        row += 1;
    }
    if let (false, true, Some(k)) = (small, last_has_height, kinds.first()) {
        // rust_xlsxwriter 0.102 writes the last streamed row twice (the second time
        // empty, with its height) when it has a height of its own, which Excel rejects
        // as a damaged file. A blank cell in the column's own format on the next row
        // flushes the last row the ordinary way.
        ws.write_blank(row, 0, &st.plain[kind_index(*k)])?;
    }
    ws.set_freeze_panes(header_row + 1, t.freeze_cols)?;
    // A4, fit to one page wide, the header row on every page, page numbers.
    style::print_a4(
        ws,
        if t.landscape {
            Orientation::Landscape
        } else {
            Orientation::Portrait
        },
    );
    ws.set_print_center_horizontally(true);
    if !small {
        ws.set_print_gridlines(true);
    }
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_header(header);
    Ok(ws)
}

/// Escapes text for an Excel page header ("&" starts a control code) and keeps it
/// within Excel's 255-character limit.
fn header_text(s: &str) -> String {
    s.chars().take(80).collect::<String>().replace('&', "&&")
}

/// Builds the result workbook.
pub fn build(book: &ResultBook<'_>) -> Result<Workbook, ExportError> {
    let generated = book.generated()?;
    let mut wb = Workbook::new();
    let properties = DocProperties::new()
        .set_title(book_title(&book.title))
        .set_subject(format!(
            "{}年度{}评选结果",
            book.selection.campaign, book.scheme.award_title
        ))
        .set_author("mofan")
        .set_company("")
        .set_creation_datetime(&generated.with_timezone(&Utc));
    wb.set_properties(&properties);
    let st = Styles::new();
    // Left: the campaign; centre: the sheet name (&A).
    let header = format!("&L{}&C&A", header_text(&book.title));
    let pools = book.selection.pools.len() as u32;
    for t in book.tables() {
        let sheet = t.sheet;
        // The two small sheets are kept in memory, so that the chart's cached values
        // are filled from 汇总; the lists are streamed row by row.
        let small = sheet == SHEETS[0] || sheet == SHEETS[1];
        let ws = write_table(&mut wb, t, &st, &header, small)?;
        if sheet == SHEETS[1] && pools > 0 {
            ws.insert_chart(0, 8, &summary_chart(pools))?;
        }
    }
    Ok(wb)
}

/// A clustered column chart of 名额 and 入选 per pool, from the 汇总 sheet (its rows
/// 2..=pools+1; the total row is left out).
fn summary_chart(pools: u32) -> Chart {
    let mut font = ChartFont::new();
    font.set_name(style::FONT)
        .set_character_set(style::CHARSET_GB2312);
    let sheet = SHEETS[1];
    let mut chart = Chart::new(ChartType::Column);
    // The series are named by the header cells 名额 (E1) and 入选 (F1).
    for col in [4, 5] {
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, pools, 0))
            .set_values((sheet, 1, col, pools, col));
    }
    chart.title().set_name("各组名额与入选").set_font(&font);
    chart.x_axis().set_font(&font);
    chart.y_axis().set_font(&font).set_min(0);
    chart.legend().set_font(&font);
    chart
        .set_width((240 + 60 * pools).clamp(480, 1600))
        .set_height(320);
    chart
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_headers_escape_ampersands() {
        assert_eq!(header_text("A&B"), "A&&B");
        assert_eq!(header_text(&"长".repeat(100)).chars().count(), 80);
    }
}
