//! The ledger workbook (台账.xlsx, docs/specification.md §10): every item with its status on
//! a date — one sheet per list (责任清单, 任务清单, 问题清单), the status cell filled red
//! when overdue, amber when due soon, green when done — and a 汇总 sheet counting each
//! agency's items by status, first.
//!
//! Each sheet has a title row naming the date, then its header (bold, shaded, frozen,
//! repeated on every printed page, with an autofilter); text is written as text; A4
//! landscape, one page wide, page numbers — the house style of [`super::style`]. The time
//! it was made is written below the summary and into the document's properties, and is
//! given by the caller, so that the same ledger gives the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use thiserror::Error;

use super::style::{self, text_width};
use crate::ledger::{Item, Listing};
use crate::vocab::{LedgerKind, LedgerStatus, Vocab};
use crate::Coded;

/// Why the ledger workbook was not written.
#[derive(Debug, Error)]
pub enum LedgerBookError {
    /// The generated time is not an RFC 3339 time.
    #[error("生成时间“{0}”不是有效的时间（应为 2026-12-01T10:00:00+08:00 的形式）")]
    GeneratedAt(String),
    /// The workbook could not be built.
    #[error("生成台账工作簿失败：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入台账 {}：{}", .path.display(), crate::atomic::io_words(.source))]
    Write {
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Coded for LedgerBookError {
    fn code(&self) -> &'static str {
        match self {
            LedgerBookError::GeneratedAt(_) => "export.generated_at",
            LedgerBookError::Xlsx(_) => "export.xlsx",
            LedgerBookError::Write { .. } => "export.write",
        }
    }
}

/// The summary sheet's name.
pub const SUMMARY_SHEET: &str = "汇总";

/// The fill of a status cell: red, amber, green; none for an open item.
pub fn status_fill(s: LedgerStatus) -> Option<rust_xlsxwriter::Color> {
    match s {
        LedgerStatus::Overdue => Some(style::OVERDUE_FILL),
        LedgerStatus::DueSoon => Some(style::DUE_SOON_FILL),
        LedgerStatus::Done => Some(style::DONE_FILL),
        LedgerStatus::Open => None,
    }
}

/// The columns of a list's sheet.
fn headers(kind: LedgerKind) -> Vec<&'static str> {
    let mut h = vec!["编号", "单位名称", "统一社会信用代码"];
    match kind {
        LedgerKind::Responsibility => h.push("责任层级"),
        LedgerKind::Problem => h.push("问题来源"),
        LedgerKind::Task => {}
    }
    h.extend([
        "年度",
        match kind {
            LedgerKind::Responsibility => "责任内容",
            LedgerKind::Task => "任务内容",
            LedgerKind::Problem => "问题描述",
        },
        "整改措施",
        "责任人",
        "整改时限",
        "完成时间",
        "完成情况",
        "状态",
        "来源",
    ]);
    h
}

/// One item's cells, in [`headers`] order (the status as its label).
fn cells(kind: LedgerKind, i: &Item) -> Vec<String> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut c = vec![i.id.to_string(), i.name.clone(), opt(&i.uscc)];
    match kind {
        LedgerKind::Responsibility => {
            c.push(i.level.map(|l| l.label().to_string()).unwrap_or_default())
        }
        LedgerKind::Problem => c.push(i.source.map(|s| s.label().to_string()).unwrap_or_default()),
        LedgerKind::Task => {}
    }
    c.extend([
        i.year.to_string(),
        i.text.clone(),
        opt(&i.measures),
        opt(&i.owner),
        date(i.deadline),
        date(i.done_on),
        opt(&i.evidence),
        i.status.label().to_string(),
        i.provenance.clone(),
    ]);
    c
}

/// The widest column of long text (事项内容, 整改措施, 完成情况), wrapped. Narrow enough that
/// a problem list's thirteen columns print one page wide on A4 landscape at a readable size
/// (about three quarters of the body size), not shrunk to a half.
const TEXT_WIDTH: f64 = 24.0;

/// The columns wrapped within a width rather than widened to their longest value: the long
/// texts, the agency's name and the provenance (a file name can be long).
fn wrap_width(header: &str) -> Option<f64> {
    match header {
        "责任内容" | "任务内容" | "问题描述" | "整改措施" | "完成情况" => {
            Some(TEXT_WIDTH)
        }
        "单位名称" | "来源" => Some(16.0),
        _ => None,
    }
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    wrap: Format,
    count: Format,
}

fn formats() -> Formats {
    let base = style::font();
    Formats {
        title: base
            .clone()
            .set_bold()
            .set_font_size(style::TITLE_SIZE)
            .set_align(FormatAlign::Center),
        head: style::header(&base).set_text_wrap(),
        // Top-aligned like the wrapped cells beside them, so that a row of several lines
        // reads across from its first line.
        text: base
            .clone()
            .set_num_format(style::TEXT_FORMAT)
            .set_align(FormatAlign::Top),
        wrap: base
            .clone()
            .set_num_format(style::TEXT_FORMAT)
            .set_text_wrap()
            .set_align(FormatAlign::Top),
        count: base.set_num_format(style::COUNT_FORMAT),
    }
}

/// Writes a sheet's title (row 0) and header (row 1), frozen and repeated on each page.
fn head(ws: &mut Worksheet, f: &Formats, title: &str, headers: &[&str]) -> Result<(), XlsxError> {
    let last = headers.len().saturating_sub(1) as u16;
    ws.merge_range(0, 0, 0, last, title, &f.title)?;
    ws.set_row_height(0, 28)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.head)?;
    }
    ws.set_freeze_panes(2, 0)?;
    style::print_a4(ws, style::Orientation::Landscape);
    ws.set_repeat_rows(1, 1)?;
    Ok(())
}

fn list_sheet(
    wb: &mut Workbook,
    f: &Formats,
    listing: &Listing,
    kind: LedgerKind,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(kind.label())?;
    let headers = headers(kind);
    head(
        ws,
        f,
        &format!("{}（状态日期：{}）", kind.label(), listing.date),
        &headers,
    )?;
    let wrapped: Vec<Option<f64>> = headers.iter().map(|h| wrap_width(h)).collect();
    let status_col = headers.iter().position(|h| *h == "状态").unwrap_or(0);
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h)).collect();
    let items: Vec<&Item> = listing.items.iter().filter(|i| i.kind == kind).collect();
    for (r, item) in items.iter().enumerate() {
        let row = r as u32 + 2;
        let mut lines = 1;
        for (c, value) in cells(kind, item).iter().enumerate() {
            let col = c as u16;
            if c == status_col {
                let mut fmt = f.text.clone().set_bold();
                if let Some(fill) = status_fill(item.status) {
                    fmt = fmt.set_background_color(fill);
                }
                ws.write_string_with_format(row, col, value, &fmt)?;
            } else if let Some(width) = wrapped[c] {
                ws.write_string_with_format(row, col, value, &f.wrap)?;
                lines = lines.max(style::wrapped_lines(value, width));
            } else {
                ws.write_string_with_format(row, col, value, &f.text)?;
            }
            widths[c] = widths[c].max(text_width(value));
        }
        if lines > 1 {
            ws.set_row_height(row, style::LINE_HEIGHT * f64::from(lines))?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let max = wrapped[c].unwrap_or(40.0);
        ws.set_column_width(
            c as u16,
            style::column_width(*w, style::MIN_COLUMN_WIDTH, max),
        )?;
    }
    ws.autofilter(1, 0, items.len() as u32 + 1, headers.len() as u16 - 1)?;
    Ok(())
}

/// One agency's counts in the summary: per status, then the total.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgencyCounts {
    /// The agency's name.
    pub name: String,
    /// Its USCC.
    pub uscc: Option<String>,
    /// Items per status, in [`LedgerStatus::ALL`] order.
    pub by_status: [usize; 4],
    /// Problems overdue (the ones eligibility reads).
    pub overdue_problems: usize,
}

/// Each agency's counts, by name.
pub fn summary(listing: &Listing) -> Vec<AgencyCounts> {
    let mut by: BTreeMap<(String, i64), AgencyCounts> = BTreeMap::new();
    for i in &listing.items {
        let a = by
            .entry((i.name.clone(), i.agency_id))
            .or_insert_with(|| AgencyCounts {
                name: i.name.clone(),
                uscc: i.uscc.clone(),
                ..AgencyCounts::default()
            });
        let at = LedgerStatus::ALL
            .iter()
            .position(|s| *s == i.status)
            .unwrap_or(0);
        a.by_status[at] += 1;
        if i.kind == LedgerKind::Problem && i.status == LedgerStatus::Overdue {
            a.overdue_problems += 1;
        }
    }
    by.into_values().collect()
}

fn summary_sheet(
    wb: &mut Workbook,
    f: &Formats,
    listing: &Listing,
    generated: &str,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(SUMMARY_SHEET)?;
    let mut headers = vec!["单位名称", "统一社会信用代码"];
    headers.extend(LedgerStatus::ALL.iter().map(|s| s.label()));
    headers.extend(["合计", "其中逾期问题"]);
    head(
        ws,
        f,
        &format!(
            "清单台账汇总（状态日期：{}，{}天内到期为即将到期）",
            listing.date, listing.settings.warn_days
        ),
        &headers,
    )?;
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h)).collect();
    let rows = summary(listing);
    for (r, a) in rows.iter().enumerate() {
        let row = r as u32 + 2;
        ws.write_string_with_format(row, 0, &a.name, &f.text)?;
        ws.write_string_with_format(row, 1, a.uscc.as_deref().unwrap_or(""), &f.text)?;
        widths[0] = widths[0].max(text_width(&a.name));
        widths[1] = widths[1].max(text_width(a.uscc.as_deref().unwrap_or("")));
        for (k, n) in a.by_status.iter().enumerate() {
            let mut fmt = f.count.clone();
            if *n > 0 {
                if let Some(fill) = status_fill(LedgerStatus::ALL[k]) {
                    fmt = fmt.set_background_color(fill);
                }
            }
            ws.write_number_with_format(row, 2 + k as u16, *n as f64, &fmt)?;
        }
        let total: usize = a.by_status.iter().sum();
        ws.write_number_with_format(row, 6, total as f64, &f.count)?;
        ws.write_number_with_format(row, 7, a.overdue_problems as f64, &f.count)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(
            c as u16,
            style::column_width(*w, style::MIN_COLUMN_WIDTH, 40.0),
        )?;
    }
    ws.autofilter(1, 0, rows.len() as u32 + 1, headers.len() as u16 - 1)?;
    // One row below the table, outside the filter, as on the other workbooks.
    ws.write_string_with_format(
        rows.len() as u32 + 3,
        0,
        format!("生成时间：{generated}"),
        &f.text,
    )?;
    Ok(())
}

/// Builds the workbook: 汇总, then a sheet per list; `generated` (RFC 3339) is the time
/// written below the summary and in the document's properties.
pub fn build(listing: &Listing, generated: &str) -> Result<Workbook, LedgerBookError> {
    let at = DateTime::parse_from_rfc3339(generated.trim())
        .map_err(|_| LedgerBookError::GeneratedAt(generated.to_string()))?;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("清单台账（状态日期：{}）", listing.date))
            .set_author("mofan")
            .set_company("")
            .set_creation_datetime(&at.with_timezone(&Utc)),
    );
    let f = formats();
    summary_sheet(&mut wb, &f, listing, &crate::short_time(generated))?;
    for kind in LedgerKind::ALL {
        list_sheet(&mut wb, &f, listing, *kind)?;
    }
    Ok(wb)
}

/// Writes the ledger workbook to `out`, atomically (`generated` as in [`build`]).
pub fn write(out: &Path, listing: &Listing, generated: &str) -> Result<(), LedgerBookError> {
    let mut wb = build(listing, generated)?;
    super::save_workbook(&mut wb, out, LedgerBookError::from, |source| {
        LedgerBookError::Write {
            path: out.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Item;
    use crate::scheme::LedgerSettings;
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use chrono::NaiveDate;

    fn item(id: i64, name: &str, kind: LedgerKind, status: LedgerStatus) -> Item {
        Item {
            id,
            uscc: None,
            name: name.into(),
            kind,
            level: None,
            source: None,
            year: 2026,
            text: format!("事项{id}"),
            measures: None,
            owner: None,
            deadline: NaiveDate::from_ymd_opt(2026, 6, 30),
            done_on: None,
            status,
            agency_id: if name == "甲" { 1 } else { 2 },
            region: None,
            evidence: None,
            provenance: "手工录入（张三）".into(),
            review_id: None,
            supervision_id: None,
        }
    }

    /// The structure of the workbook: 汇总 first, a sheet per list, titles with the date,
    /// the status cells filled in the house colours, the summary's counts, the print set-up.
    #[test]
    fn a_sheet_per_list_status_fills_and_a_summary() {
        let listing = Listing {
            date: NaiveDate::from_ymd_opt(2026, 6, 25).unwrap(),
            settings: LedgerSettings::default(),
            items: vec![
                item(1, "甲", LedgerKind::Problem, LedgerStatus::Overdue),
                item(2, "甲", LedgerKind::Problem, LedgerStatus::DueSoon),
                item(3, "乙", LedgerKind::Task, LedgerStatus::Done),
                item(4, "乙", LedgerKind::Responsibility, LedgerStatus::Open),
            ],
        };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("台账.xlsx");
        write(&out, &listing, "2026-12-01T10:00:00+08:00").unwrap();
        let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["汇总", "责任清单", "任务清单", "问题清单"]
        );
        let sum = wb.worksheet_range("汇总").unwrap();
        assert_eq!(sum.get_value((1, 2)), Some(&Data::String("逾期".into())));
        // By name (乙 sorts before 甲); 甲: 1 overdue, 1 due soon, 0 open, 0 done, 2 in
        // all, 1 overdue problem.
        assert_eq!(sum.get_value((3, 0)), Some(&Data::String("甲".into())));
        let counts: Vec<f64> = (2..8)
            .map(|c| match sum.get_value((3, c)) {
                Some(Data::Float(f)) => *f,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(counts, [1.0, 1.0, 0.0, 0.0, 2.0, 1.0]);
        // Below the two agencies' rows, one row apart: the time it was made.
        assert_eq!(
            sum.get_value((5, 0)),
            Some(&Data::String("生成时间：2026-12-01 10:00".into()))
        );
        assert!(matches!(
            build(&listing, "昨天"),
            Err(LedgerBookError::GeneratedAt(t)) if t == "昨天"
        ));
        let problems = wb.worksheet_range("问题清单").unwrap();
        assert_eq!(problems.height(), 4, "title, header, two items");
        assert_eq!(
            problems.get_value((2, 11)),
            Some(&Data::String("逾期".into()))
        );
        // The fills: red, amber, green, each used by a cell's format.
        let bytes = std::fs::read(&out).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        for fill in ["FFFFC7CE", "FFFFEB9C", "FFC6EFCE"] {
            assert!(styles.contains(fill), "{fill}");
        }
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet4.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(sheet.contains("orientation=\"landscape\""), "A4 landscape");
        assert!(sheet.contains("paperSize=\"9\""), "A4");
        let mut book = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book)
            .unwrap();
        assert!(
            book.contains("_xlnm.Print_Titles"),
            "the header repeated on every page"
        );
    }
}
