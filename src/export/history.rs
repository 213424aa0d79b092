//! The history workbook (历年情况.xlsx, docs/specification.md §11, `mofan history`): one row
//! per agency that took part in a campaign of the years asked for, and a column group per
//! campaign year — 综合得分, 排名, 结果 — from each year's stored run, then the agency's
//! awards and the numbers of supervision and accountability records dated in the range:
//! what the committee's 年度总结 needs on one sheet.
//!
//! House style ([`super::style`]): a title row, a two-row header (the year over its three
//! columns, the identity and summary columns merged down both rows), frozen below the
//! header and right of the name, an autofilter on the lower header row, scores `0.00`,
//! text always as text, CJK widths, A4 landscape one page wide with the title and header
//! repeated. Below the table: the years whose result changed after its last run, and when
//! the workbook was generated.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use thiserror::Error;

use super::style::{self, text_width};
use crate::history::{HistoryError, HistoryTable};
use crate::select::score::round2;
use crate::store::Store;
use crate::Coded;

/// Why the workbook was not written.
#[derive(Debug, Error)]
pub enum HistoryBookError {
    /// The history could not be read.
    #[error(transparent)]
    History(#[from] HistoryError),
    /// The generated time is not an RFC 3339 time.
    #[error("生成时间“{0}”不是有效的时间（应为 2026-12-01T10:00:00+08:00 的形式）")]
    GeneratedAt(String),
    /// The workbook could not be built.
    #[error("生成历年情况工作簿失败：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入历年情况 {}：{}", .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Coded for HistoryBookError {
    fn code(&self) -> &'static str {
        match self {
            HistoryBookError::History(e) => e.code(),
            HistoryBookError::GeneratedAt(_) => "history.generated_at",
            HistoryBookError::Xlsx(_) => "history.xlsx",
            HistoryBookError::Write { .. } => "history.write",
        }
    }
}

/// The sheet's name.
pub const SHEET: &str = "历年情况";

/// The identity columns before the year groups.
const IDENTITY: [&str; 5] = [
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
];
/// The columns of each year's group.
const PER_YEAR: [&str; 3] = ["综合得分", "排名", "结果"];
/// The summary columns after the year groups.
const SUMMARY: [&str; 3] = ["命名情况", "督查次数", "问责次数"];
/// Widest column, in character units.
const MAX_WIDTH: f64 = 40.0;

/// The title: "2022—2026年度模范机关评选历年情况" (one year: "2026年度…").
pub fn title(t: &HistoryTable) -> String {
    if t.from == t.to {
        format!("{}年度模范机关评选历年情况", t.from)
    } else {
        format!("{}—{}年度模范机关评选历年情况", t.from, t.to)
    }
}

/// Builds the workbook; `generated` (RFC 3339) is the time written below the table and in
/// the document's properties, so that the same table gives the same bytes.
pub fn build(t: &HistoryTable, generated: &str) -> Result<Workbook, HistoryBookError> {
    let at = DateTime::parse_from_rfc3339(generated.trim())
        .map_err(|_| HistoryBookError::GeneratedAt(generated.to_string()))?;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(title(t))
            .set_author("mofan")
            .set_company("")
            .set_creation_datetime(&at.with_timezone(&Utc)),
    );
    fill(&mut wb, t, &crate::short_time(generated))?;
    Ok(wb)
}

fn fill(wb: &mut Workbook, t: &HistoryTable, generated: &str) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    let text = style::font();
    let head = style::header(&text)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = text.clone().set_border(FormatBorder::Thin);
    let centred = cell.clone().set_align(FormatAlign::Center);
    let score = cell.clone().set_num_format(style::SCORE_FORMAT);
    let count = centred.clone().set_num_format(style::COUNT_FORMAT);
    let title_format = style::font()
        .set_bold()
        .set_font_size(style::TITLE_SIZE)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);

    let groups = t.years.len();
    let last_col = (IDENTITY.len() + groups * PER_YEAR.len() + SUMMARY.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, &title(t), &title_format)?;
    ws.set_row_height(0, 30)?;

    // The two header rows.
    let mut widths: Vec<f64> = Vec::new();
    let mut col: u16 = 0;
    for h in IDENTITY {
        ws.merge_range(1, col, 2, col, h, &head)?;
        widths.push(text_width(h));
        col += 1;
    }
    for year in &t.years {
        let first = col;
        for h in PER_YEAR {
            ws.write_string_with_format(2, col, h, &head)?;
            widths.push(text_width(h));
            col += 1;
        }
        ws.merge_range(1, first, 1, col - 1, &format!("{year}年度"), &head)?;
    }
    for h in SUMMARY {
        ws.merge_range(1, col, 2, col, h, &head)?;
        widths.push(text_width(h));
        col += 1;
    }

    let put_text = |ws: &mut rust_xlsxwriter::Worksheet,
                    r: u32,
                    c: u16,
                    s: &str,
                    f: &Format,
                    widths: &mut Vec<f64>|
     -> Result<(), XlsxError> {
        ws.write_string_with_format(r, c, s, f)?;
        widths[c as usize] = widths[c as usize].max(text_width(s));
        Ok(())
    };
    let first_data = 3u32;
    for (i, row) in t.rows.iter().enumerate() {
        let r = first_data + i as u32;
        put_text(ws, r, 0, &row.name, &cell, &mut widths)?;
        put_text(
            ws,
            r,
            1,
            row.uscc.as_deref().unwrap_or(""),
            &cell,
            &mut widths,
        )?;
        put_text(ws, r, 2, row.tier.label(), &centred, &mut widths)?;
        put_text(
            ws,
            r,
            3,
            row.region.as_deref().unwrap_or(""),
            &cell,
            &mut widths,
        )?;
        put_text(ws, r, 4, &row.unit_type, &cell, &mut widths)?;
        let mut c = IDENTITY.len() as u16;
        for y in &row.years {
            match y.as_ref().and_then(|y| y.composite) {
                Some(v) => {
                    let v = round2(v).to_f64().unwrap_or_default();
                    ws.write_number_with_format(r, c, v, &score)?;
                }
                None => {
                    ws.write_blank(r, c, &cell)?;
                }
            }
            match y.as_ref().and_then(|y| y.rank) {
                Some(n) => {
                    ws.write_number_with_format(r, c + 1, f64::from(n), &count)?;
                }
                None => {
                    ws.write_blank(r, c + 1, &cell)?;
                }
            }
            let status = match y {
                Some(y) => y.status.map_or("", |s| s.label()),
                None => "未参评",
            };
            put_text(ws, r, c + 2, status, &centred, &mut widths)?;
            c += PER_YEAR.len() as u16;
        }
        put_text(ws, r, c, &row.awards.join("；"), &cell, &mut widths)?;
        ws.write_number_with_format(r, c + 1, row.supervision as f64, &count)?;
        ws.write_number_with_format(r, c + 2, row.accountability as f64, &count)?;
    }
    for (c, w) in widths.iter().enumerate() {
        let min = if (IDENTITY.len()..IDENTITY.len() + groups * PER_YEAR.len()).contains(&c) {
            style::SCORE_WIDTH + 2.0
        } else {
            style::MIN_COLUMN_WIDTH
        };
        ws.set_column_width(c as u16, style::column_width(*w, min, MAX_WIDTH))?;
    }

    // Notes below the table.
    let mut r = first_data + t.rows.len() as u32 + 1;
    if t.years.is_empty() {
        ws.write_string_with_format(r, 0, format!("{}—{}年没有评选年度", t.from, t.to), &text)?;
        r += 1;
    }
    for year in &t.stale {
        ws.write_string_with_format(
            r,
            0,
            format!("注：{year}年度在最近一次评选后数据有变化，表中为该次评选的结果。"),
            &text,
        )?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, format!("生成时间：{generated}"), &text)?;

    ws.set_freeze_panes(first_data, 1)?;
    ws.autofilter(2, 0, 2 + t.rows.len() as u32, last_col)?;
    style::print_a4(ws, style::Orientation::Landscape);
    ws.set_repeat_rows(0, 2)?;
    Ok(())
}

/// Reads every agency's history from `from` to `to` and writes the workbook to `out`,
/// atomically; returns the table written.
pub fn write(
    store: &Store,
    from: i32,
    to: i32,
    out: &Path,
    generated: &str,
) -> Result<HistoryTable, HistoryBookError> {
    let table = crate::history::table(store, from, to)?;
    let mut wb = build(&table, generated)?;
    super::save_workbook(&mut wb, out, HistoryBookError::from, |source| {
        HistoryBookError::Write {
            path: out.to_path_buf(),
            source,
        }
    })?;
    Ok(table)
}
