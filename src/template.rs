//! The return template (申报模板, docs/specification.md §6): an empty 申报表 generated from a scheme,
//! with drop-down validation and a 填表说明 sheet, that imports back without change.
//!
//! [`columns`] fixes the layout: 序号, the agency's fields, the daily score, the scheme's
//! components reported in the return under a merged parent "年度考核得分" (a component
//! computed from ballots or panel sheets has no column; the 填表说明 sheet says so), its
//! vetoes under a merged parent
//! "一票否决事项", the three counts and 备注. [`render`] writes the workbook, optionally
//! with rows already filled in (the very same layout, so a filled copy is exactly what a
//! unit would send back); [`write_template`] writes an empty one to a file atomically.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError,
};
use thiserror::Error;

use crate::export::style::{self, text_width, wrapped_lines, Orientation};
use crate::import::aliases::{AliasTable, Field};
use crate::scheme::{ComponentSource, MissingPolicy, Scheme, Tier};
use crate::store::campaigns::{is_demo, YEARS};
use crate::Coded;

/// Name of the sheet units fill in.
pub const SHEET: &str = "申报表";
/// Name of the instructions sheet (it has no header, so the importer skips it).
pub const NOTES_SHEET: &str = "填表说明";
/// Name of the hidden sheet holding the unit types when they are too long for an
/// inline drop-down list (Excel allows 255 characters, and no commas).
pub const LIST_SHEET: &str = "下拉选项";
/// Parent header over the component columns.
pub const ANNUAL_PARENT: &str = "年度考核得分";
/// Parent header over the veto columns.
pub const VETO_PARENT: &str = "一票否决事项";
/// Data rows that carry the drop-downs and input checks (more when more rows are
/// pre-filled).
pub const DATA_ROWS: u32 = 500;
/// 0-based row of the title.
const TITLE_ROW: u32 = 0;
/// 0-based row of the first header row (the parents).
pub const HEADER_ROW: u32 = 1;
/// 0-based row of the first data row (Excel row 4).
pub const FIRST_DATA_ROW: u32 = 3;
/// Words a veto column accepts from its drop-down.
const YES_NO: [&str; 2] = ["是", "否"];

/// Why a template cannot be made.
#[derive(Debug, Error)]
pub enum TemplateError {
    /// The year is outside 2000–2100.
    #[error("年度 {0} 不在 2000–2100 之间")]
    InvalidYear(i32),
    /// The year asked for differs from the scheme's `year`.
    #[error("评选方案写的是{scheme}年度，与指定的{year}年度不一致")]
    YearMismatch {
        /// The year asked for.
        year: i32,
        /// The scheme's `year`.
        scheme: i32,
    },
    /// A pre-filled row names a column the template does not have.
    #[error("预填的第{row}行含有模板中没有的列（{column}）")]
    NoSuchColumn {
        /// 1-based index of the pre-filled row.
        row: usize,
        /// The column asked for.
        column: String,
    },
    /// The workbook could not be built.
    #[error("生成申报模板失败：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入申报模板 {path}：{}", crate::atomic::io_words(.source))]
    Write {
        /// Target path.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Coded for TemplateError {
    fn code(&self) -> &'static str {
        match self {
            TemplateError::InvalidYear(_) => "template.invalid_year",
            TemplateError::YearMismatch { .. } => "template.year_mismatch",
            TemplateError::NoSuchColumn { .. } => "template.no_such_column",
            TemplateError::Xlsx(_) => "template.xlsx",
            TemplateError::Write { .. } => "template.write",
        }
    }
}

/// What a template column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// 序号 — for the unit's own reference; not imported.
    Serial,
    /// 单位名称
    Name,
    /// 统一社会信用代码
    Uscc,
    /// 层级
    Tier,
    /// 所属地区
    Region,
    /// 单位类型
    UnitType,
    /// The daily score (the scheme's `daily_label`).
    Daily,
    /// The scheme's component at this index.
    Component(usize),
    /// The scheme's veto at this index.
    Veto(usize),
    /// 群众反映问题数
    Complaints,
    /// 问题清单数
    ProblemsTotal,
    /// 已整改数
    ProblemsFixed,
    /// 备注 — free text; not imported.
    Remarks,
}

impl ColumnKind {
    /// The field of a return the importer reads this column as (none for 序号, 备注).
    pub fn field(self) -> Option<Field> {
        Some(match self {
            ColumnKind::Serial | ColumnKind::Remarks => return None,
            ColumnKind::Name => Field::Name,
            ColumnKind::Uscc => Field::Uscc,
            ColumnKind::Tier => Field::Tier,
            ColumnKind::Region => Field::Region,
            ColumnKind::UnitType => Field::UnitType,
            ColumnKind::Daily => Field::Daily,
            ColumnKind::Component(i) => Field::Component(i),
            ColumnKind::Veto(i) => Field::Veto(i),
            ColumnKind::Complaints => Field::Complaints,
            ColumnKind::ProblemsTotal => Field::ProblemsTotal,
            ColumnKind::ProblemsFixed => Field::ProblemsFixed,
        })
    }
}

/// One column of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    /// What it holds.
    pub kind: ColumnKind,
    /// Its header text (the lower header row under a parent).
    pub header: String,
    /// The merged parent header above it ([`ANNUAL_PARENT`] or [`VETO_PARENT`]), if any.
    pub parent: Option<&'static str>,
}

/// A value to pre-fill in a template cell. Text is always written as text, never as a
/// formula, whatever it starts with.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Written as a text cell (never a formula), e.g. an agency's name.
    Text(String),
    /// Written as a number cell, e.g. a score.
    Number(f64),
}

/// A pre-filled row: values by column; columns not given stay blank, and a later value
/// for the same column replaces an earlier one.
pub type Row = Vec<(ColumnKind, Value)>;

/// The template's columns for a scheme, in sheet order (starting at column A).
///
/// 序号 and 备注 are left out when the scheme uses either word as a header alias, so
/// that they can never be read as one of its fields.
pub fn columns(scheme: &Scheme) -> Vec<TemplateColumn> {
    let aliases = AliasTable::new(scheme);
    let plain = |kind: ColumnKind, header: &str| TemplateColumn {
        kind,
        header: header.to_string(),
        parent: None,
    };
    let field = |k: ColumnKind| {
        let f = k.field().expect("a return field");
        plain(k, &f.label(scheme))
    };
    let mut cols = Vec::new();
    if aliases.lookup("序号").is_none() {
        cols.push(plain(ColumnKind::Serial, "序号"));
    }
    for k in [
        ColumnKind::Name,
        ColumnKind::Uscc,
        ColumnKind::Tier,
        ColumnKind::Region,
        ColumnKind::UnitType,
    ] {
        cols.push(field(k));
    }
    if uses_daily(scheme) {
        cols.push(field(ColumnKind::Daily));
    }
    // A computed component's score is not the unit's to report (§8): no column for it.
    let reported = scheme
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.source == ComponentSource::Return);
    for (i, c) in reported {
        cols.push(TemplateColumn {
            kind: ColumnKind::Component(i),
            header: c.label.clone(),
            parent: Some(ANNUAL_PARENT),
        });
    }
    for (i, v) in scheme.vetoes.iter().enumerate() {
        cols.push(TemplateColumn {
            kind: ColumnKind::Veto(i),
            header: v.label.clone(),
            parent: Some(VETO_PARENT),
        });
    }
    for k in [
        ColumnKind::Complaints,
        ColumnKind::ProblemsTotal,
        ColumnKind::ProblemsFixed,
    ] {
        cols.push(field(k));
    }
    if aliases.lookup("备注").is_none() {
        cols.push(plain(ColumnKind::Remarks, "备注"));
    }
    cols
}

/// Whether the daily score is used: it has a share of the composite or breaks ties.
/// Without either, the template has no column for it.
fn uses_daily(scheme: &Scheme) -> bool {
    scheme.daily_share > Decimal::ZERO || scheme.tie_break.iter().any(|k| k == "daily")
}

/// The year the template is for: the one asked for, else the scheme's.
fn template_year(scheme: &Scheme, year: Option<i32>) -> Result<Option<i32>, TemplateError> {
    if let (Some(y), Some(s)) = (year, scheme.year) {
        if y != s {
            return Err(TemplateError::YearMismatch { year: y, scheme: s });
        }
    }
    let y = year.or(scheme.year);
    // The demo campaign's year lies outside the real years, and its template is wanted too.
    let valid = |y: &i32| YEARS.contains(y) || is_demo(*y);
    if let Some(y) = y.filter(|y| !valid(y)) {
        return Err(TemplateError::InvalidYear(y));
    }
    Ok(y)
}

/// The title above the header, e.g. "2026年度模范机关申报表".
pub fn title(scheme: &Scheme, year: Option<i32>) -> String {
    match year.or(scheme.year) {
        Some(y) => format!("{y}年度{}申报表", scheme.award_title),
        None => format!("{}申报表", scheme.award_title),
    }
}

/// Writes an empty template for `scheme` to `out`, atomically. `year` (else the scheme's
/// `year`, else none) goes into the title.
pub fn write_template(scheme: &Scheme, year: Option<i32>, out: &Path) -> Result<(), TemplateError> {
    let bytes = render(scheme, year, &[])?;
    crate::atomic::write_atomic(out, &bytes).map_err(|source| TemplateError::Write {
        path: out.display().to_string(),
        source,
    })
}

/// Builds the template workbook, with `rows` filled in from the first data row (Excel
/// row 4), and returns its bytes.
pub fn render(scheme: &Scheme, year: Option<i32>, rows: &[Row]) -> Result<Vec<u8>, TemplateError> {
    let year = template_year(scheme, year)?;
    let cols = columns(scheme);
    let index: HashMap<ColumnKind, u16> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.kind, i as u16))
        .collect();
    // Check every pre-filled row before building anything.
    for (n, row) in rows.iter().enumerate() {
        if let Some((kind, _)) = row.iter().find(|(k, _)| !index.contains_key(k)) {
            return Err(TemplateError::NoSuchColumn {
                row: n + 1,
                column: describe_kind(scheme, *kind),
            });
        }
    }
    let mut wb = Workbook::new();
    let styles = Styles::new();
    let list_source = unit_type_list(scheme);
    {
        let ws = wb.add_worksheet();
        ws.set_name(SHEET)?;
        write_return_sheet(ws, scheme, year, &cols, &styles)?;
        for (n, row) in rows.iter().enumerate() {
            let r = FIRST_DATA_ROW + n as u32;
            for (kind, value) in row {
                let c = index[kind];
                match value {
                    Value::Text(t) => ws.write_string(r, c, t)?,
                    Value::Number(x) => ws.write_number(r, c, *x)?,
                };
            }
        }
        let last = FIRST_DATA_ROW + DATA_ROWS.max(rows.len() as u32) - 1;
        add_validations(ws, scheme, &cols, last, &list_source)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(NOTES_SHEET)?;
        write_notes_sheet(ws, scheme, year, &cols, &styles)?;
    }
    if let UnitTypeList::Sheet(types) = &list_source {
        let ws = wb.add_worksheet();
        ws.set_name(LIST_SHEET)?;
        for (i, t) in types.iter().enumerate() {
            ws.write_string(i as u32, 0, t)?;
        }
        ws.set_hidden(true);
    }
    Ok(wb.save_to_buffer()?)
}

fn describe_kind(scheme: &Scheme, kind: ColumnKind) -> String {
    match kind {
        ColumnKind::Serial => "序号".into(),
        ColumnKind::Remarks => "备注".into(),
        ColumnKind::Component(i) if i >= scheme.components.len() => {
            format!("第{}个考核项目", i + 1)
        }
        ColumnKind::Veto(i) if i >= scheme.vetoes.len() => {
            format!("第{}个一票否决事项", i + 1)
        }
        k => k.field().map(|f| f.label(scheme)).unwrap_or_default(),
    }
}

/// Where the unit-type drop-down takes its choices from.
#[derive(Debug, Clone, PartialEq)]
enum UnitTypeList {
    /// Inline in the validation (short enough, no commas).
    Inline(Vec<String>),
    /// From column A of the hidden [`LIST_SHEET`].
    Sheet(Vec<String>),
}

fn unit_type_list(scheme: &Scheme) -> UnitTypeList {
    let types = scheme.unit_types.clone();
    let joined: usize = types
        .iter()
        .map(|t| t.replace('"', "\"\"").encode_utf16().count())
        .sum::<usize>()
        + types.len().saturating_sub(1);
    if joined <= 255 && types.iter().all(|t| !t.contains(',')) {
        UnitTypeList::Inline(types)
    } else {
        UnitTypeList::Sheet(types)
    }
}

/// The formats of the template.
struct Styles {
    title: Format,
    header: Format,
    veto_header: Format,
    body: Format,
    text: Format,
    note: Format,
    note_heading: Format,
    note_label: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = style::font_named(style::FORM_FONT);
        let header = style::header(&base)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Styles {
            title: base
                .clone()
                .set_font_size(style::TITLE_SIZE)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            veto_header: header.clone().set_background_color(style::VETO_FILL),
            header,
            text: base.clone().set_num_format(style::TEXT_FORMAT),
            note: base
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin),
            note_heading: base.clone().set_bold().set_font_size(12),
            note_label: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin),
            body: base,
        }
    }
}

/// The width of a column, fitting its header on at most a few lines.
fn column_width(scheme: &Scheme, col: &TemplateColumn) -> f64 {
    let (min, max) = match col.kind {
        ColumnKind::Serial => (6.0, 6.0),
        ColumnKind::Remarks => (14.0, 14.0),
        ColumnKind::Name => (28.0, 28.0),
        ColumnKind::Uscc => (21.0, 21.0),
        ColumnKind::Tier => (8.0, 10.0),
        ColumnKind::Region => (14.0, 14.0),
        ColumnKind::UnitType => {
            // Room for the widest unit type and the drop-down arrow.
            let widest = scheme
                .unit_types
                .iter()
                .map(|t| text_width(t))
                .fold(8.0, f64::max);
            (widest.clamp(12.0, 30.0) + 4.0, 34.0)
        }
        ColumnKind::Daily | ColumnKind::Component(_) => (10.0, 14.0),
        ColumnKind::Veto(_) => (12.0, 16.0),
        ColumnKind::Complaints | ColumnKind::ProblemsTotal | ColumnKind::ProblemsFixed => {
            (10.0, 10.0)
        }
    };
    style::column_width(text_width(&col.header), min, max)
}

fn write_return_sheet(
    ws: &mut Worksheet,
    scheme: &Scheme,
    year: Option<i32>,
    cols: &[TemplateColumn],
    st: &Styles,
) -> Result<(), XlsxError> {
    let last_col = (cols.len() - 1) as u16;
    ws.merge_range(
        TITLE_ROW,
        0,
        TITLE_ROW,
        last_col,
        &title(scheme, year),
        &st.title,
    )?;
    ws.set_row_height(TITLE_ROW, 32)?;

    let child_row = HEADER_ROW + 1;
    let mut child_lines = 1;
    let mut c = 0usize;
    while c < cols.len() {
        let col = &cols[c];
        let width = column_width(scheme, col);
        let format = match col.kind {
            ColumnKind::Veto(_) => &st.veto_header,
            _ => &st.header,
        };
        match col.parent {
            None => {
                // One header spanning both header rows.
                ws.merge_range(
                    HEADER_ROW,
                    c as u16,
                    child_row,
                    c as u16,
                    &col.header,
                    format,
                )?;
                c += 1;
            }
            Some(parent) => {
                let end = cols[c..]
                    .iter()
                    .position(|x| x.parent != Some(parent))
                    .map_or(cols.len(), |n| c + n);
                if end - c > 1 {
                    ws.merge_range(
                        HEADER_ROW,
                        c as u16,
                        HEADER_ROW,
                        (end - 1) as u16,
                        parent,
                        format,
                    )?;
                } else {
                    ws.write_string_with_format(HEADER_ROW, c as u16, parent, format)?;
                }
                for (i, child) in cols.iter().enumerate().take(end).skip(c) {
                    let w = column_width(scheme, child);
                    ws.write_string_with_format(child_row, i as u16, &child.header, format)?;
                    child_lines = child_lines.max(wrapped_lines(&child.header, w));
                }
                c = end;
                continue;
            }
        }
        // A header alone in both rows can use both rows' height.
        child_lines = child_lines.max(wrapped_lines(&col.header, width).saturating_sub(1));
    }
    ws.set_row_height(HEADER_ROW, 22)?;
    ws.set_row_height(child_row, style::LINE_HEIGHT * f64::from(child_lines) + 8.0)?;

    for (i, col) in cols.iter().enumerate() {
        let i = i as u16;
        ws.set_column_width(i, column_width(scheme, col))?;
        let format = match col.kind {
            ColumnKind::Uscc | ColumnKind::Name | ColumnKind::Region | ColumnKind::Remarks => {
                &st.text
            }
            _ => &st.body,
        };
        ws.set_column_format(i, format)?;
    }
    ws.set_freeze_panes(FIRST_DATA_ROW, 2)?;
    style::print_a4(ws, Orientation::Landscape);
    ws.set_print_center_horizontally(true);
    ws.set_print_gridlines(true);
    ws.set_repeat_rows(HEADER_ROW, child_row)?;
    Ok(())
}

/// Clips text to at most `max` UTF-16 units (Excel's limits on validation messages).
fn clip(s: &str, max: usize) -> String {
    let mut n = 0;
    s.chars()
        .take_while(|c| {
            n += c.len_utf16();
            n <= max
        })
        .collect()
}

/// A validation with a Chinese input prompt and error message, within Excel's limits.
fn prompted(
    dv: DataValidation,
    title: &str,
    prompt: &str,
    error: &str,
) -> Result<DataValidation, XlsxError> {
    let dv = dv
        .set_input_title(clip(title, 32))?
        .set_input_message(clip(prompt, 255))?;
    if error.is_empty() {
        return Ok(dv);
    }
    dv.set_error_title(clip(&format!("{title}填写有误"), 32))?
        .set_error_message(clip(error, 255))
}

fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

fn add_validations(
    ws: &mut Worksheet,
    scheme: &Scheme,
    cols: &[TemplateColumn],
    last_row: u32,
    list: &UnitTypeList,
) -> Result<(), XlsxError> {
    let first = FIRST_DATA_ROW;
    let tiers: Vec<&str> = [Tier::Province, Tier::City, Tier::County]
        .iter()
        .map(|t| t.label())
        .collect();
    let score_error = "请填写0–100之间的分数（最多两位小数，如95.5），不要填写百分比或文字。";
    let count_error = "请填写不小于0的整数。";
    for (i, col) in cols.iter().enumerate() {
        let label = &col.header;
        let dv = match col.kind {
            ColumnKind::Serial | ColumnKind::Remarks => continue,
            ColumnKind::Name => prompted(
                DataValidation::new(),
                label,
                "填写单位全称（与公章一致）。每个单位只填一行。",
                "",
            )?,
            ColumnKind::Uscc => prompted(
                DataValidation::new().allow_text_length(DataValidationRule::EqualTo(18)),
                label,
                "18位，由数字和大写字母组成，按登记证书填写。",
                "统一社会信用代码应为18位，请核对后重新填写。",
            )?,
            ColumnKind::Tier => prompted(
                DataValidation::new().allow_list_strings(&tiers)?,
                label,
                "从下拉列表选择：省直、市级或县级。",
                "层级只能是“省直”“市级”或“县级”，请从下拉列表选择。",
            )?,
            ColumnKind::Region => prompted(
                DataValidation::new(),
                label,
                "市级、县级单位必填，如“广州市”“广州市越秀区”；省直单位不填。",
                "",
            )?,
            ColumnKind::UnitType => {
                let dv = match list {
                    UnitTypeList::Inline(types) => {
                        DataValidation::new().allow_list_strings(types)?
                    }
                    UnitTypeList::Sheet(types) => DataValidation::new().allow_list_formula(
                        Formula::new(format!("='{LIST_SHEET}'!$A$1:$A${}", types.len())),
                    ),
                };
                prompted(
                    dv,
                    label,
                    "从下拉列表选择本单位的类型。",
                    "单位类型不在评选方案中，请从下拉列表选择。",
                )?
            }
            ColumnKind::Daily => prompted(
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
                label,
                &format!("0–100分，最多两位小数。{}", daily_role(scheme)),
                score_error,
            )?,
            ColumnKind::Component(c) => prompted(
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
                label,
                &format!(
                    "0–100分，最多两位小数。在年度考核得分中的权重为{}。",
                    percent(scheme.components[c].weight)
                ),
                score_error,
            )?,
            ColumnKind::Veto(_) => prompted(
                DataValidation::new().allow_list_strings(&YES_NO)?,
                label,
                "存在该情形填“是”，不存在填“否”；不填视为“否”。",
                "请从下拉列表选择“是”或“否”。",
            )?,
            ColumnKind::Complaints | ColumnKind::ProblemsTotal => prompted(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                label,
                "填写不小于0的整数，没有填0。",
                count_error,
            )?,
            ColumnKind::ProblemsFixed => prompted(
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
                label,
                "填写不小于0的整数，不能大于问题清单数。",
                count_error,
            )?,
        };
        ws.add_data_validation(first, i as u16, last_row, i as u16, &dv)?;
    }
    Ok(())
}

/// The paragraphs of the 填表说明 sheet's general part.
fn general_notes(scheme: &Scheme, cols: &[TemplateColumn]) -> Vec<String> {
    let first_excel_row = FIRST_DATA_ROW + 1;
    let mut notes = vec![
        format!(
            "请在“{SHEET}”工作表中填写，从第{first_excel_row}行开始，每个单位占一行，同一单位只填一行；不要在其他工作表中填写申报数据。"
        ),
        format!(
            "不要修改、删除或调换表头（第{}、{}行），不要插入或删除列；数据行不要合并单元格，不要添加合计、小计行，也不要在数据行中填写公式。",
            HEADER_ROW + 1,
            HEADER_ROW + 2
        ),
        "各项得分填写0–100之间的分数，最多保留两位小数（如95.5）；请直接填写分数，不要填写百分比（如95%）或“分”等文字。".to_string(),
    ];
    match scheme.missing {
        MissingPolicy::Ineligible => notes.push(format!(
            "{}各项年度考核得分均须填写；缺少任何一项得分的单位不能参加评选。",
            if scheme.daily_share > Decimal::ZERO {
                format!("{}和", scheme.daily_label)
            } else {
                String::new()
            }
        )),
        MissingPolicy::Reweight => notes.push(
            "年度考核得分中某一项缺失时，按其余各项的权重折算年度考核得分；能填写的得分请全部填写。"
                .to_string(),
        ),
    }
    let computed: Vec<String> = scheme
        .computed_components()
        .map(|c| format!("“{}”由{}计算", c.label, c.source.label()))
        .collect();
    if !computed.is_empty() {
        notes.push(format!(
            "{}，由评选工作机构统一组织，本表不设相应的列，无需填写。",
            computed.join("、")
        ));
    }
    if !scheme.vetoes.is_empty() {
        notes.push("一票否决事项逐项填写“是”或“否”（从下拉列表选择）：存在该情形填“是”，不存在填“否”，不填视为“否”。任何一项为“是”的单位不能参加评选。".to_string());
    }
    notes.push(format!(
        "层级从下拉列表选择“{}”“{}”或“{}”（省直机关、省级单位填“省直”，市直机关填“市级”，县（市、区）直属机关填“县级”）。市级、县级单位必须填写所属地区（如“广州市”“广州市越秀区”），省直单位不填。",
        Tier::Province.label(),
        Tier::City.label(),
        Tier::County.label()
    ));
    notes.push(format!(
        "单位类型从下拉列表选择，可选：{}。",
        scheme.unit_types.join("、")
    ));
    notes.push("统一社会信用代码为18位，由数字和大写字母组成，请按登记证书准确填写；该列已设为文本格式，请勿改为数值格式，以免代码被改写。".to_string());
    notes.push("群众反映问题数、问题清单数、已整改数填写不小于0的整数，没有的填0；已整改数不能大于问题清单数。".to_string());
    let unread: Vec<&str> = cols
        .iter()
        .filter(|c| matches!(c.kind, ColumnKind::Serial | ColumnKind::Remarks))
        .map(|c| c.header.as_str())
        .collect();
    if !unread.is_empty() {
        notes.push(format!(
            "{}列供填报单位自用，不导入评选系统。",
            unread
                .iter()
                .map(|h| format!("“{h}”"))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    notes.push(
        "填好后请保存为Excel工作簿（.xlsx）报送；使用WPS的请“另存为”.xlsx格式，不要保存为.et格式。"
            .to_string(),
    );
    notes
}

/// What a column means, for the 填表说明 sheet.
fn column_note(scheme: &Scheme, col: &TemplateColumn) -> String {
    match col.kind {
        ColumnKind::Serial => "序号，可不填。".into(),
        ColumnKind::Remarks => "需要说明的其他情况，可不填。".into(),
            ColumnKind::Name => "必填。单位全称，与公章一致。".into(),
            ColumnKind::Uscc => "建议填写。18位统一社会信用代码；不填时按单位名称和所属地区识别单位。".into(),
            ColumnKind::Tier => "必填。省直、市级或县级，从下拉列表选择。".into(),
            ColumnKind::Region => "市级、县级单位必填，填写所在的市或县（市、区），如“广州市”“广州市越秀区”；省直单位不填。".into(),
            ColumnKind::UnitType => format!(
                "必填。从下拉列表选择：{}。",
                scheme.unit_types.join("、")
            ),
            ColumnKind::Daily => format!(
                "{}日常考核得分，0–100分。{}",
                required_word(scheme, true),
                daily_role(scheme)
            ),
            ColumnKind::Component(i) => format!(
                "{}年度考核得分的组成项目，0–100分，权重{}。",
                required_word(scheme, false),
                percent(scheme.components[i].weight)
            ),
            ColumnKind::Veto(_) => "一票否决事项：存在该情形填“是”，不存在填“否”，不填视为“否”。".into(),
            ColumnKind::Complaints => "本年度群众反映的问题数，不小于0的整数。".into(),
            ColumnKind::ProblemsTotal => "问题清单中列出的问题数，不小于0的整数。".into(),
            ColumnKind::ProblemsFixed => "问题清单中已完成整改的问题数，不能大于问题清单数。".into(),
    }
}

/// What the daily score counts for, as one sentence.
fn daily_role(scheme: &Scheme) -> String {
    if scheme.daily_share > Decimal::ZERO {
        format!(
            "在综合得分中占{}（年度考核得分占{}）。",
            percent(scheme.daily_share),
            percent(Decimal::ONE - scheme.daily_share)
        )
    } else {
        "不计入综合得分，仅在综合得分相同时用于排序。".to_string()
    }
}

fn required_word(scheme: &Scheme, daily: bool) -> &'static str {
    let required = scheme.missing == MissingPolicy::Ineligible
        && (!daily || scheme.daily_share > Decimal::ZERO);
    if required {
        "必填。"
    } else {
        ""
    }
}

/// The width of the 填表说明 sheet's column of names (A) and of notes (B); a general rule
/// spans both.
const NOTE_LABEL_WIDTH: f64 = 26.0;
const NOTE_TEXT_WIDTH: f64 = 90.0;

/// Writes the 填表说明 sheet: two columns only, and every column name prefixed with its
/// letter ("B列 单位名称"), so no row can read as a header of three known fields.
fn write_notes_sheet(
    ws: &mut Worksheet,
    scheme: &Scheme,
    year: Option<i32>,
    cols: &[TemplateColumn],
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_column_width(0, NOTE_LABEL_WIDTH)?;
    ws.set_column_width(1, NOTE_TEXT_WIDTH)?;
    let mut r = 0u32;
    ws.merge_range(
        r,
        0,
        r,
        1,
        &format!("{}填表说明", title(scheme, year)),
        &st.title,
    )?;
    ws.set_row_height(r, 32)?;
    r += 2;
    ws.write_string_with_format(r, 0, "一、填写要求", &st.note_heading)?;
    r += 1;
    for (n, text) in general_notes(scheme, cols).iter().enumerate() {
        let text = format!("{}. {text}", n + 1);
        ws.merge_range(r, 0, r, 1, &text, &st.note)?;
        ws.set_row_height(
            r,
            style::LINE_HEIGHT
                * f64::from(wrapped_lines(&text, NOTE_LABEL_WIDTH + NOTE_TEXT_WIDTH))
                + 6.0,
        )?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "二、各列填写说明", &st.note_heading)?;
    r += 1;
    for (i, col) in cols.iter().enumerate() {
        let letter = crate::import::workbook::column_letter(i as u32);
        let name = match col.parent {
            Some(p) => format!("{letter}列 {p}—{}", col.header),
            None => format!("{letter}列 {}", col.header),
        };
        let note = column_note(scheme, col);
        ws.write_string_with_format(r, 0, &name, &st.note_label)?;
        ws.write_string_with_format(r, 1, &note, &st.note)?;
        let lines =
            wrapped_lines(&note, NOTE_TEXT_WIDTH).max(wrapped_lines(&name, NOTE_LABEL_WIDTH));
        ws.set_row_height(r, style::LINE_HEIGHT * f64::from(lines) + 6.0)?;
        r += 1;
    }
    style::print_a4(ws, Orientation::Portrait);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{analyze, layout, Returns};

    fn headers(cols: &[TemplateColumn]) -> Vec<String> {
        cols.iter()
            .map(|c| match c.parent {
                Some(p) => format!("{p}/{}", c.header),
                None => c.header.clone(),
            })
            .collect()
    }

    #[test]
    fn default_columns_follow_the_scheme() {
        let s = Scheme::default_scheme();
        let h = headers(&columns(&s));
        assert_eq!(
            h,
            [
                "序号",
                "单位名称",
                "统一社会信用代码",
                "层级",
                "所属地区",
                "单位类型",
                "日常考核",
                "年度考核得分/个人自评",
                "年度考核得分/党员互评",
                "年度考核得分/组织考评",
                "年度考核得分/群众测评",
                "年度考核得分/第三方评价",
                "一票否决事项/发生严重违纪违法问题",
                "一票否决事项/意识形态工作责任制落实不力",
                "一票否决事项/发生重大安全责任事故",
                "一票否决事项/巡视巡察反馈问题整改不力",
                "群众反映问题数",
                "问题清单数",
                "已整改数",
                "备注",
            ]
        );
    }

    #[test]
    fn the_empty_template_reads_back_as_a_header_with_every_field() {
        let s = Scheme::default_scheme();
        let bytes = render(&s, Some(2026), &[]).unwrap();
        let a = analyze(&Returns::new(s.clone(), 2026, &[]), bytes, "申报模板.xlsx");
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.rows, 0);
        assert_eq!(a.sheets.len(), 1, "only 申报表 has a header");
        let (name, l) = &a.sheets[0];
        assert_eq!(name, SHEET);
        assert_eq!((l.header_row, l.header_rows), (HEADER_ROW, 2));
        assert_eq!(l.data_start(), FIRST_DATA_ROW);
        for (i, col) in columns(&s).iter().enumerate() {
            let got = l.columns.iter().find(|c| c.col == i as u32).unwrap();
            assert_eq!(got.field, col.kind.field(), "{}", got.header);
        }
        assert!(layout::check(l, &s).is_ok());
        assert!(
            a.warnings.iter().any(|w| w.contains(NOTES_SHEET)),
            "{:?}",
            a.warnings
        );
    }

    #[test]
    fn title_with_and_without_year() {
        let s = Scheme::default_scheme();
        assert_eq!(title(&s, Some(2026)), "2026年度模范机关申报表");
        assert_eq!(title(&s, None), "模范机关申报表");
    }

    #[test]
    fn year_must_agree_with_the_scheme() {
        let text = format!("year = 2026\n{}", crate::scheme::DEFAULT_TOML);
        let s = Scheme::parse(&text).unwrap();
        assert_eq!(template_year(&s, None).unwrap(), Some(2026));
        assert_eq!(template_year(&s, Some(2026)).unwrap(), Some(2026));
        let e = render(&s, Some(2027), &[]).unwrap_err();
        assert_eq!(e.code(), "template.year_mismatch");
        assert!(e.to_string().contains("2026年度"), "{e}");
        let d = Scheme::default_scheme();
        assert_eq!(
            render(&d, Some(1999), &[]).unwrap_err().code(),
            "template.invalid_year"
        );
    }

    #[test]
    fn a_prefilled_column_must_exist() {
        let s = Scheme::default_scheme();
        let rows = vec![vec![(ColumnKind::Component(9), Value::Number(90.0))]];
        let e = render(&s, None, &rows).unwrap_err();
        assert_eq!(e.code(), "template.no_such_column");
        assert!(e.to_string().contains("第10个考核项目"), "{e}");
    }

    #[test]
    fn serial_and_remarks_give_way_to_a_scheme_alias() {
        let text = crate::scheme::DEFAULT_TOML.replace(
            "aliases = [\"自评\", \"自评得分\", \"个人自评得分\"]",
            "aliases = [\"自评\", \"备注\"]",
        );
        let s = Scheme::parse(&text).unwrap();
        let cols = columns(&s);
        assert!(cols.iter().all(|c| c.kind != ColumnKind::Remarks));
        assert_eq!(cols[0].kind, ColumnKind::Serial);
    }

    #[test]
    fn long_unit_type_lists_go_to_a_hidden_sheet() {
        let s = Scheme::default_scheme();
        assert!(matches!(unit_type_list(&s), UnitTypeList::Inline(_)));
        let mut long = s.clone();
        long.unit_types = (0..40).map(|i| format!("第{i}类机关单位")).collect();
        assert!(matches!(unit_type_list(&long), UnitTypeList::Sheet(_)));
        let mut comma = s.clone();
        comma.unit_types = vec!["党群机关".into(), "政府机关,部门".into()];
        assert!(matches!(unit_type_list(&comma), UnitTypeList::Sheet(_)));
        // The hidden list sheet is skipped by the importer, like 填表说明.
        let a = analyze(
            &Returns::new(long.clone(), 2026, &[]),
            render(&long, None, &[]).unwrap(),
            "t.xlsx",
        );
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.sheets.len(), 1);
    }

    #[test]
    fn an_unused_daily_score_has_no_column() {
        let text = crate::scheme::DEFAULT_TOML.replace("daily_share = 0.3", "daily_share = 0");
        let s = Scheme::parse(&text).unwrap();
        assert!(columns(&s).iter().all(|c| c.kind != ColumnKind::Daily));
        let a = analyze(
            &Returns::new(s.clone(), 2026, &[]),
            render(&s, None, &[]).unwrap(),
            "t.xlsx",
        );
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(a.sheets.len(), 1);
        // Still asked for when it breaks ties.
        let text = text.replace(
            "tie_break = [\"public\", \"organisation\"]",
            "tie_break = [\"daily\"]",
        );
        let s = Scheme::parse(&text).unwrap();
        let cols = columns(&s);
        let daily = cols.iter().find(|c| c.kind == ColumnKind::Daily).unwrap();
        assert!(column_note(&s, daily).contains("不计入综合得分"));
        assert!(!general_notes(&s, &cols).join("").contains("日常考核和"));
    }

    #[test]
    fn reweighting_schemes_say_so() {
        let text = crate::scheme::DEFAULT_TOML
            .replace("missing = \"ineligible\"", "missing = \"reweight\"");
        let s = Scheme::parse(&text).unwrap();
        let cols = columns(&s);
        assert!(general_notes(&s, &cols)
            .join("")
            .contains("按其余各项的权重折算"));
        assert!(!column_note(&s, &cols[7]).contains("必填"));
        let d = Scheme::default_scheme();
        assert!(column_note(&d, &columns(&d)[7]).starts_with("必填"));
    }

    #[test]
    fn clip_counts_utf16_units() {
        assert_eq!(clip("一二三", 2), "一二");
        assert_eq!(clip("ab", 5), "ab");
        assert_eq!(clip("a😀b", 2), "a");
    }

    #[test]
    fn long_labels_stay_within_excel_limits() {
        let mut s = Scheme::default_scheme();
        s.vetoes[0].label = "发".repeat(60);
        s.components[0].label = "评".repeat(60);
        let a = analyze(
            &Returns::new(s.clone(), 2026, &[]),
            render(&s, None, &[]).unwrap(),
            "t.xlsx",
        );
        assert!(a.errors.is_empty(), "{:?}", a.errors);
    }

    #[test]
    fn notes_name_the_unit_types_and_weights() {
        let s = Scheme::default_scheme();
        let cols = columns(&s);
        let all = general_notes(&s, &cols).join("\n");
        for t in &s.unit_types {
            assert!(all.contains(t.as_str()), "{t}");
        }
        for w in ["省直", "市级", "县级", "所属地区", "18位", "0–100"] {
            assert!(all.contains(w), "{w}");
        }
        // Every tier word the notes offer reads back as a tier.
        for w in ["省直", "市级", "县级"] {
            assert!(crate::import::aliases::parse_tier(w).is_some());
        }
        assert!(column_note(&s, &cols[7]).contains("权重5%"));
        assert!(column_note(&s, &cols[6]).contains("占30%"));
    }

    #[test]
    fn computed_components_have_no_column_and_the_notes_say_why() {
        let s = Scheme::parse(include_str!("../tests/fixtures/scheme.computed.toml")).unwrap();
        let cols = columns(&s);
        let annual: Vec<String> = headers(&cols)
            .into_iter()
            .filter(|h| h.starts_with(ANNUAL_PARENT))
            .collect();
        assert_eq!(
            annual,
            [
                "年度考核得分/个人自评",
                "年度考核得分/党员互评",
                "年度考核得分/第三方评价",
            ]
        );
        // The columns keep the scheme's component indices.
        assert_eq!(
            cols.iter()
                .filter_map(|c| match c.kind {
                    ColumnKind::Component(i) => Some(i),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            [0, 1, 4]
        );
        let notes = general_notes(&s, &cols);
        assert!(
            notes.contains(
                &"“组织考评”由评委打分计算、“群众测评”由测评票计算，由评选工作机构统一组织，本表不设相应的列，无需填写。"
                    .to_string()
            ),
            "{notes:#?}"
        );
        let d = Scheme::default_scheme();
        assert!(!general_notes(&d, &columns(&d)).join("").contains("计算，"));
        // The template reads back complete, without the warning a computed column gives.
        let bytes = render(&s, Some(2026), &[]).unwrap();
        let a = analyze(&Returns::new(s.clone(), 2026, &[]), bytes, "申报模板.xlsx");
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert!(layout::check(&a.sheets[0].1, &s).is_ok());
        assert!(
            a.warnings.iter().all(|w| !w.contains("列不导入")),
            "{:?}",
            a.warnings
        );
    }
}
