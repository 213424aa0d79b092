//! Writes the signed sheets with rust_xlsxwriter in the house style: a merged title, the
//! facts above the table, a bordered table whose header row is frozen and repeated on
//! every printed page, dropped scores struck through, a bold totals row, and the
//! signature lines; A4 landscape, one page wide.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use super::{BookError, Cell, EvaluationBook, Kind, SignedSheet};
use crate::export::results::to_f64;
use crate::export::style::{self, text_width, Orientation};

/// The widest column, in character units.
const MAX_WIDTH: f64 = 40.0;
/// A wrapped text column at most.
const WRAP_WIDTH: f64 = 36.0;
/// A percentage ("100.00%"), in character units.
const PERCENT_WIDTH: f64 = 7.7;
/// Columns the label of a fact or a signature spans.
const LABEL_COLS: u16 = 2;
/// Columns a signature's line spans.
const LINE_COLS: u16 = 3;

/// The number formats by kind: whole, two places, as given, percent.
fn num_format(k: Kind) -> Option<&'static str> {
    match k {
        Kind::Text | Kind::Wrap => None,
        Kind::Count => Some(style::COUNT_FORMAT),
        Kind::Score => Some(style::SCORE_FORMAT),
        Kind::Given => Some("General"),
        Kind::Percent => Some("0.00%"),
    }
}

struct Styles {
    title: Format,
    label: Format,
    fact: Format,
    header: Format,
    /// Per column kind: a bordered cell, the same struck through, a totals cell.
    cell: Vec<Format>,
    struck: Vec<Format>,
    total: Vec<Format>,
    line: Format,
}

const KINDS: [Kind; 6] = [
    Kind::Text,
    Kind::Wrap,
    Kind::Count,
    Kind::Score,
    Kind::Given,
    Kind::Percent,
];

fn kind_index(k: Kind) -> usize {
    KINDS.iter().position(|x| *x == k).unwrap_or(0)
}

impl Styles {
    fn new() -> Styles {
        let base = style::font().set_align(FormatAlign::VerticalCenter);
        let of = |k: Kind| {
            let f = base.clone().set_border(FormatBorder::Thin);
            let f = if k == Kind::Wrap {
                f.set_text_wrap()
            } else {
                f
            };
            match num_format(k) {
                Some(n) => f.set_num_format(n),
                None => f,
            }
        };
        let cell: Vec<Format> = KINDS.iter().map(|k| of(*k)).collect();
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(style::TITLE_SIZE)
                .set_align(FormatAlign::Center),
            label: base.clone().set_bold().set_align(FormatAlign::Top),
            fact: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            header: style::header(&base)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            struck: cell
                .iter()
                .map(|f| f.clone().set_font_strikethrough())
                .collect(),
            total: cell
                .iter()
                .map(|f| f.clone().set_bold().set_background_color(style::BAND_FILL))
                .collect(),
            cell,
            line: base.set_border_bottom(FormatBorder::Thin),
        }
    }
}

fn cell_width(c: &Cell, k: Kind) -> f64 {
    match c {
        Cell::Text(s) => s.lines().map(text_width).fold(0.0, f64::max),
        Cell::Number(d) | Cell::Struck(d) => match k {
            Kind::Score => style::SCORE_WIDTH,
            Kind::Percent => PERCENT_WIDTH,
            _ => text_width(&d.normalize().to_string()),
        },
        Cell::Blank => 0.0,
    }
}

/// Writes one sheet.
fn write_sheet(
    wb: &mut Workbook,
    s: &SignedSheet,
    st: &Styles,
    header: &str,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(&s.name)?;
    let kinds: Vec<Kind> = s.columns.iter().map(|c| c.kind).collect();
    // Enough columns for the facts' and signatures' labels and lines.
    let ncols = (s.columns.len() as u16).max(LABEL_COLS + LINE_COLS);
    let last = ncols - 1;

    let mut widths: Vec<f64> = s.columns.iter().map(|c| text_width(&c.header)).collect();
    for row in s.rows.iter().chain(&s.total) {
        for ((c, k), w) in row.iter().zip(&kinds).zip(widths.iter_mut()) {
            *w = w.max(cell_width(c, *k));
        }
    }
    for (i, (w, k)) in widths.iter_mut().zip(&kinds).enumerate() {
        let max = if *k == Kind::Wrap {
            WRAP_WIDTH
        } else {
            MAX_WIDTH
        };
        *w = style::column_width(*w, style::MIN_COLUMN_WIDTH, max);
        ws.set_column_width(i as u16, *w)?;
    }
    let widths_all: Vec<f64> = (0..ncols as usize)
        .map(|i| widths.get(i).copied().unwrap_or(style::MIN_COLUMN_WIDTH))
        .collect();
    let span = |from: u16, to: u16| widths_all[from as usize..=to as usize].iter().sum::<f64>();

    let mut r: u32 = 0;
    ws.set_row_height(r, 28)?;
    ws.merge_range(r, 0, r, last, &s.title, &st.title)?;
    r += 1;
    // Facts: the label over two columns, the text over the rest, wrapped.
    let text_width_cols = span(LABEL_COLS, last);
    for (label, fact) in &s.facts {
        ws.merge_range(r, 0, r, LABEL_COLS - 1, label, &st.label)?;
        ws.merge_range(r, LABEL_COLS, r, last, fact, &st.fact)?;
        let lines = style::wrapped_lines(fact, text_width_cols);
        if lines > 1 {
            ws.set_row_height(r, f64::from(lines) * style::LINE_HEIGHT)?;
        }
        r += 1;
    }
    r += 1;

    let header_row = r;
    let header_lines = s
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| style::wrapped_lines(&c.header, *w))
        .max()
        .unwrap_or(1);
    if header_lines > 1 {
        ws.set_row_height(r, f64::from(header_lines) * style::LINE_HEIGHT)?;
    }
    for (i, c) in s.columns.iter().enumerate() {
        ws.write_string_with_format(r, i as u16, &c.header, &st.header)?;
    }
    r += 1;

    let rows = s.rows.iter().map(|row| (row, false));
    for (row, total) in rows.chain(s.total.iter().map(|t| (t, true))) {
        let lines = row
            .iter()
            .zip(&kinds)
            .zip(&widths)
            .filter_map(|((c, k), w)| match (c, k) {
                (Cell::Text(t), Kind::Wrap) => Some(style::wrapped_lines(t, *w)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, f64::from(lines) * style::LINE_HEIGHT)?;
        }
        for (i, (c, k)) in row.iter().zip(&kinds).enumerate() {
            let col = i as u16;
            let k = kind_index(*k);
            let plain = if total { &st.total[k] } else { &st.cell[k] };
            match c {
                Cell::Text(t) => {
                    ws.write_string_with_format(r, col, t, plain)?;
                }
                Cell::Number(d) => {
                    ws.write_number_with_format(r, col, to_f64(*d), plain)?;
                }
                Cell::Struck(d) => {
                    ws.write_number_with_format(r, col, to_f64(*d), &st.struck[k])?;
                }
                Cell::Blank => {
                    ws.write_blank(r, col, plain)?;
                }
            }
        }
        r += 1;
    }

    // The signatures: a label, then a line to sign on; two blank rows first.
    r += 2;
    for label in &s.signatures {
        ws.set_row_height(r, 24)?;
        ws.merge_range(r, 0, r, LABEL_COLS - 1, &format!("{label}："), &st.label)?;
        ws.merge_range(r, LABEL_COLS, r, LABEL_COLS + LINE_COLS - 1, "", &st.line)?;
        r += 1;
    }

    ws.set_freeze_panes(header_row + 1, 0)?;
    style::print_a4(ws, Orientation::Landscape);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_header(header);
    Ok(())
}

/// Escapes text for an Excel page header ("&" starts a control code), kept short.
fn header_text(s: &str) -> String {
    s.chars().take(80).collect::<String>().replace('&', "&&")
}

/// Builds the workbook: one sheet per component (a single sheet saying there is none
/// would be nothing to sign, so the caller refuses an empty book first).
pub fn build(book: &EvaluationBook) -> Result<Workbook, BookError> {
    let generated = DateTime::parse_from_rfc3339(book.generated_at.trim())
        .map_err(|_| BookError::GeneratedAt(book.generated_at.clone()))?;
    let xlsx = |source| BookError::Xlsx {
        kind: book.kind,
        source,
    };
    let mut wb = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("{}{}", book.campaign, book.kind.title()))
        .set_author("mofan")
        .set_company("")
        .set_creation_datetime(&generated.with_timezone(&Utc));
    wb.set_properties(&properties);
    let st = Styles::new();
    // Left: the campaign; centre: the sheet name (&A).
    let header = format!("&L{}&C&A", header_text(&book.campaign));
    for s in &book.sheets {
        write_sheet(&mut wb, s, &st, &header).map_err(xlsx)?;
    }
    if book.sheets.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb)
}
