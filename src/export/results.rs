//! The result workbook (评选结果.xlsx, domain.md §6).
//!
//! [`ResultBook`] gathers what the workbook shows: the scheme, the [`Selection`], the
//! campaign title, the imported files, the panel's decisions and the time it was made.
//! [`ResultBook::tables`] lays the content out as one [`Table`] per sheet — the values
//! only, in sheet order; [`build`] writes them with fonts, widths, number formats, frozen
//! headers, filters, A4 print set-up and the summary chart; [`write`] saves the workbook
//! atomically.
//!
//! Sheets: 说明, 汇总, 入选名单, 全部排名, 不符合条件, 并列待定, 评审组调整. The five lists
//! are written row by row in "low memory" mode (one row in memory, strings shared), so
//! a campaign of 100,000 returns stays small. Text from the returns is always written as
//! text, never as a formula. The output depends only on the inputs: document properties
//! come from the campaign and the generated time, so the same inputs give the same bytes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartType, Color, DocProperties, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};
use thiserror::Error;

use crate::scheme::{GroupBy, MissingPolicy, QuotaBase, QuotaRule, QuotaSize, Rounding, Scheme};
use crate::select::score::round2;
use crate::select::{ResultRow, Selection, Status};
use crate::store::overrides::{self, OverrideAction};
use crate::store::{agencies, campaigns, files, Store, StoreError};
use crate::Coded;

/// The sheets of the workbook, in order.
pub const SHEETS: [&str; 7] = [
    "说明",
    "汇总",
    "入选名单",
    "全部排名",
    "不符合条件",
    "并列待定",
    "评审组调整",
];

/// The sheets added when a review was run (domain.md §6).
pub const REVIEW_SHEETS: [&str; 3] = ["复查名单", "整改名单", "撤销名单"];

/// A review shown in the workbook: its date and every due award.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPart {
    /// The review date.
    pub date: chrono::NaiveDate,
    /// The due awards with trigger, outcome, reasons and deadline.
    pub rows: Vec<crate::review::ReviewRow>,
}

/// The font of every cell and of the chart.
const FONT: &str = "等线";
/// The font's character set: GB2312.
const CHARSET: u8 = 134;
/// Header fill.
const HEADER_FILL: u32 = 0xDDEBF7;
/// Fill of section and total rows.
const BAND_FILL: u32 = 0xF2F2F2;
/// Narrowest and widest column, in character units.
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 50.0;
/// Width of a wrapped text column at most.
const WRAP_WIDTH: f64 = 72.0;
/// Height of a line of 11-point text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;

/// Why the result workbook could not be made.
#[derive(Debug, Error)]
pub enum ExportError {
    /// No campaign for the year.
    #[error("{0}年度评选不存在，请先创建评选年度")]
    CampaignNotFound(i32),
    /// The generated time is not an RFC 3339 time.
    #[error("生成时间“{0}”不是有效的时间（应为 2026-12-01T10:00:00+08:00 的形式）")]
    GeneratedAt(String),
    /// The workbook could not be built.
    #[error("生成评选结果工作簿失败：{0}")]
    Xlsx(#[from] XlsxError),
    /// The file could not be written.
    #[error("无法写入评选结果 {}：{source}", .path.display())]
    Write {
        /// Target path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ExportError {
    fn from(e: rusqlite::Error) -> Self {
        ExportError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for ExportError {
    fn code(&self) -> &'static str {
        match self {
            ExportError::CampaignNotFound(_) => "campaign.not_found",
            ExportError::GeneratedAt(_) => "export.generated_at",
            ExportError::Xlsx(_) => "export.xlsx",
            ExportError::Write { .. } => "export.write",
            ExportError::Store(e) => e.code(),
        }
    }
}

/// An imported file the selection read, as the 说明 sheet lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// File name (no folder).
    pub name: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// Returns imported from it.
    pub rows: i64,
}

/// A panel decision with the agency it concerns, as the 评审组调整 sheet lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// When (RFC 3339).
    pub at: String,
    /// Who decided.
    pub operator: String,
    /// The agency's name.
    pub agency: String,
    /// The agency's USCC.
    pub uscc: Option<String>,
    /// Include, exclude or clear.
    pub action: OverrideAction,
    /// Reason.
    pub reason: String,
    /// Whether including beyond the quota was confirmed.
    pub beyond_quota: bool,
}

/// Everything the result workbook shows.
#[derive(Debug, Clone)]
pub struct ResultBook<'a> {
    /// The campaign's title, e.g. "2026年度模范机关评选".
    pub title: String,
    /// The scheme the selection ran under.
    pub scheme: &'a Scheme,
    /// The selection.
    pub selection: &'a Selection,
    /// The live imported files of the campaign, oldest first.
    pub files: Vec<InputFile>,
    /// Every panel decision of the campaign, oldest first.
    pub decisions: Vec<Decision>,
    /// When the workbook was generated (RFC 3339); also its document creation time.
    pub generated_at: String,
    /// The review, when one was run: adds 复查名单, 整改名单 and 撤销名单.
    pub review: Option<ReviewPart>,
}

impl<'a> ResultBook<'a> {
    /// Reads the campaign title, its live imported files and every panel decision of
    /// campaign `year` from the store.
    pub fn from_store(
        store: &Store,
        year: i32,
        scheme: &'a Scheme,
        selection: &'a Selection,
        generated_at: impl Into<String>,
    ) -> Result<ResultBook<'a>, ExportError> {
        let conn = store.conn();
        let campaign = campaigns::get(conn, year)?.ok_or(ExportError::CampaignNotFound(year))?;
        let files = files::list(conn, year)?
            .into_iter()
            .filter(|f| f.status != crate::vocab::StoredFileStatus::Withdrawn)
            .map(|f| InputFile {
                name: f.file_name,
                sha256: f.sha256,
                rows: f.rows_imported,
            })
            .collect();
        let known: HashMap<i64, &ResultRow> =
            selection.results.iter().map(|r| (r.agency_id, r)).collect();
        let mut decisions = Vec::new();
        for o in overrides::list(conn, year)? {
            let (agency, uscc) = match known.get(&o.agency_id) {
                Some(r) => (r.name.clone(), r.uscc.clone()),
                // The agency's return was withdrawn after the decision.
                None => agencies::name_and_uscc(conn, o.agency_id)?
                    .unwrap_or_else(|| (format!("（单位编号{}）", o.agency_id), None)),
            };
            decisions.push(Decision {
                at: o.at,
                operator: o.operator,
                agency,
                uscc,
                action: o.action,
                reason: o.reason,
                beyond_quota: o.beyond_quota,
            });
        }
        Ok(ResultBook {
            title: campaign.title,
            scheme,
            selection,
            files,
            decisions,
            generated_at: generated_at.into(),
            review: None,
        })
    }

    /// The content of every sheet, in sheet order.
    pub fn tables(&self) -> Vec<Table<'_>> {
        vec![
            self.notes_table(),
            self.summary_table(),
            self.selected_table(),
            self.ranking_table(),
            self.ineligible_table(),
            self.pending_table(),
            self.decisions_table(),
        ]
        .into_iter()
        .chain(self.review.iter().flat_map(|r| review_tables(r)))
        .collect()
    }

    fn generated(&self) -> Result<DateTime<FixedOffset>, ExportError> {
        DateTime::parse_from_rfc3339(self.generated_at.trim())
            .map_err(|_| ExportError::GeneratedAt(self.generated_at.clone()))
    }

    fn notes_table(&self) -> Table<'_> {
        let s = self.scheme;
        let mut rows: Vec<Row<'_>> = Vec::new();
        let item = |rows: &mut Vec<Row<'_>>, k: &str, v: String| {
            rows.push(Row::plain(vec![Value::from(k.to_string()), Value::from(v)]))
        };
        item(&mut rows, "评选", self.title.clone());
        item(
            &mut rows,
            "评选年度",
            format!("{}年度", self.selection.campaign),
        );
        item(&mut rows, "生成时间", display_time(&self.generated_at));
        rows.push(Row::section(["评选方案", ""]));
        let annual = s
            .components
            .iter()
            .map(|c| format!("{}×{}", c.label, percent(c.weight)))
            .collect::<Vec<_>>()
            .join(" + ");
        item(&mut rows, "年度考核得分", annual);
        item(
            &mut rows,
            "综合得分",
            format!(
                "{}×{} + 年度考核得分×{}",
                s.daily_label,
                percent(s.daily_share),
                percent(Decimal::ONE - s.daily_share)
            ),
        );
        item(
            &mut rows,
            &format!("{}占比", s.daily_label),
            percent(s.daily_share),
        );
        item(
            &mut rows,
            "计分",
            "按精确小数计算，最后四舍五入保留两位小数；门槛、排名和比较均按两位小数进行".into(),
        );
        item(&mut rows, "入围条件", thresholds(s));
        item(
            &mut rows,
            "一票否决",
            if s.vetoes.is_empty() {
                "无".to_string()
            } else {
                let list = s
                    .vetoes
                    .iter()
                    .map(|v| v.label.as_str())
                    .collect::<Vec<_>>()
                    .join("；");
                format!("有下列任一情形即不符合条件：{list}")
            },
        );
        item(&mut rows, "缺项处理", missing_policy(s));
        item(
            &mut rows,
            "已命名单位",
            "持有有效或整改中称号的单位纳入复查，不参加本年度评选".into(),
        );
        item(
            &mut rows,
            "撤销后限制",
            if s.cooldown_years == 0 {
                "无".to_string()
            } else {
                format!("被撤销称号后{}年内不得参评", s.cooldown_years)
            },
        );
        item(
            &mut rows,
            "名额规则",
            "每个单位适用下列第一条层级和单位类型相符的规则；无相符规则的单位不符合条件".into(),
        );
        for (i, q) in s.quotas.iter().enumerate() {
            item(&mut rows, &format!("规则{}", i + 1), quota_words(q));
        }
        item(&mut rows, "排名", tie_break_words(s));
        rows.push(Row::section(["输入文件", "SHA-256"]));
        if self.files.is_empty() {
            rows.push(Row::plain(vec![text("（无）"), Value::Blank]));
        }
        for f in &self.files {
            rows.push(Row::plain(vec![
                Value::from(format!("{}（导入{}条）", f.name, f.rows)),
                text(&f.sha256),
            ]));
        }
        rows.push(Row::section(["状态", "含义"]));
        for (st, meaning) in [
            (
                Status::Selected,
                "在本组名额内按排名入选，或经评审组决定纳入",
            ),
            (
                Status::TiePending,
                "综合得分及排序项完全相同的单位跨越最后名额，须由评审组决定（“并列c家争k个名额”）",
            ),
            (
                Status::NotSelected,
                "符合条件但排名在名额之外，或经评审组决定不予入选；“原因”列写明名次与差距",
            ),
            (
                Status::Ineligible,
                "未通过资格条件（缺项、一票否决、低于门槛、已命名、撤销后限制期内等），“原因”列逐条写明",
            ),
        ] {
            rows.push(Row::plain(vec![text(st.label()), text(meaning)]));
        }
        Table {
            sheet: SHEETS[0],
            title: Some(book_title(&self.title)),
            columns: vec![
                Column::new("项目", Kind::Text),
                Column::new("内容", Kind::Wrap),
            ],
            rows: Box::new(move || Box::new(rows.clone().into_iter())),
            filter: None,
            freeze_cols: 0,
            landscape: false,
        }
    }

    fn summary_table(&self) -> Table<'_> {
        let pools = &self.selection.pools;
        let mut rows: Vec<Row<'_>> = pools
            .iter()
            .map(|p| {
                Row::plain(vec![
                    Value::from(pool_label(&p.pool)),
                    text(p.tier.label()),
                    count(p.declared),
                    count(p.eligible),
                    count(p.quota),
                    count(p.selected),
                    count(p.tie_pending),
                ])
            })
            .collect();
        let sum = |f: fn(&crate::select::PoolSummary) -> u32| pools.iter().map(f).sum::<u32>();
        rows.push(Row {
            style: RowStyle::Total,
            values: vec![
                text("合计"),
                Value::Blank,
                count(sum(|p| p.declared)),
                count(sum(|p| p.eligible)),
                count(sum(|p| p.quota)),
                count(sum(|p| p.selected)),
                count(sum(|p| p.tie_pending)),
            ],
        });
        Table {
            sheet: SHEETS[1],
            title: None,
            columns: vec![
                Column::new("组别", Kind::Text),
                Column::new("层级", Kind::Text),
                Column::new("申报", Kind::Count),
                Column::new("符合条件", Kind::Count),
                Column::new("名额", Kind::Count),
                Column::new("入选", Kind::Count),
                Column::new("并列待定", Kind::Count),
            ],
            rows: Box::new(move || Box::new(rows.clone().into_iter())),
            // The total row stays out of the filter (and of any sorting).
            filter: Some(pools.len()),
            freeze_cols: 0,
            landscape: true,
        }
    }

    fn selected_table(&self) -> Table<'_> {
        let sel = self.selection;
        let rows = move || sel.results.iter().filter(|r| r.status == Status::Selected);
        let len = rows().count();
        Table {
            sheet: SHEETS[2],
            title: None,
            columns: vec![
                Column::new("组别", Kind::Text),
                Column::new("名次", Kind::Count),
                Column::new("单位名称", Kind::Text),
                Column::new("统一社会信用代码", Kind::Text),
                Column::new("层级", Kind::Text),
                Column::new("地区", Kind::Text),
                Column::new("单位类型", Kind::Text),
                Column::new("综合得分", Kind::Score),
                Column::new("备注", Kind::Wrap),
            ],
            rows: Box::new(move || {
                Box::new(rows().map(|r| {
                    Row::plain(vec![
                        pool_value(r),
                        rank(r),
                        text(&r.name),
                        opt_text(r.uscc.as_deref()),
                        text(r.tier.label()),
                        opt_text(r.region.as_deref()),
                        text(&r.unit_type),
                        score(r.composite),
                        reasons(r),
                    ])
                }))
            }),
            filter: Some(len),
            freeze_cols: 0,
            landscape: true,
        }
    }

    fn ranking_table(&self) -> Table<'_> {
        let s = self.scheme;
        let mut columns = vec![
            Column::new("组别", Kind::Text),
            Column::new("名次", Kind::Count),
            Column::new("单位名称", Kind::Text),
            Column::new("统一社会信用代码", Kind::Text),
            Column::new("层级", Kind::Text),
            Column::new("地区", Kind::Text),
            Column::new("单位类型", Kind::Text),
        ];
        columns.extend(
            s.components
                .iter()
                .map(|c| Column::new(&c.label, Kind::Score)),
        );
        columns.push(Column::new(&s.daily_label, Kind::Score));
        columns.push(Column::new("年度考核得分", Kind::Score));
        columns.push(Column::new("综合得分", Kind::Score));
        columns.push(Column::new("状态", Kind::Text));
        columns.push(Column::new("原因", Kind::Wrap));
        let n = s.components.len();
        let sel = self.selection;
        Table {
            sheet: SHEETS[3],
            title: None,
            columns,
            rows: Box::new(move || {
                Box::new(sel.results.iter().map(move |r| {
                    let mut v = Vec::with_capacity(12 + n);
                    v.extend([
                        pool_value(r),
                        rank(r),
                        text(&r.name),
                        opt_text(r.uscc.as_deref()),
                        text(r.tier.label()),
                        opt_text(r.region.as_deref()),
                        text(&r.unit_type),
                    ]);
                    v.extend((0..n).map(|i| score(r.components.get(i).copied().flatten())));
                    v.extend([
                        score(r.daily),
                        score(r.annual),
                        score(r.composite),
                        text(r.status.label()),
                        reasons(r),
                    ]);
                    Row::plain(v)
                }))
            }),
            filter: Some(self.selection.results.len()),
            freeze_cols: 3,
            landscape: true,
        }
    }

    fn ineligible_table(&self) -> Table<'_> {
        let sel = self.selection;
        let rows = move || sel.results.iter().filter(|r| !r.eligible);
        let len = rows().count();
        Table {
            sheet: SHEETS[4],
            title: None,
            columns: vec![
                Column::new("组别", Kind::Text),
                Column::new("单位名称", Kind::Text),
                Column::new("统一社会信用代码", Kind::Text),
                Column::new("层级", Kind::Text),
                Column::new("地区", Kind::Text),
                Column::new("单位类型", Kind::Text),
                Column::new("综合得分", Kind::Score),
                Column::new("状态", Kind::Text),
                Column::new("原因", Kind::Wrap),
            ],
            rows: Box::new(move || {
                Box::new(rows().map(|r| {
                    Row::plain(vec![
                        pool_value(r),
                        text(&r.name),
                        opt_text(r.uscc.as_deref()),
                        text(r.tier.label()),
                        opt_text(r.region.as_deref()),
                        text(&r.unit_type),
                        score(r.composite),
                        text(r.status.label()),
                        reasons(r),
                    ])
                }))
            }),
            filter: Some(len),
            freeze_cols: 0,
            landscape: true,
        }
    }

    fn pending_table(&self) -> Table<'_> {
        let s = self.scheme;
        let sel = self.selection;
        let rows = move || {
            sel.results
                .iter()
                .filter(|r| r.status == Status::TiePending)
        };
        let len = rows().count();
        let mut columns = vec![
            Column::new("组别", Kind::Text),
            Column::new("名次", Kind::Count),
            Column::new("单位名称", Kind::Text),
            Column::new("统一社会信用代码", Kind::Text),
            Column::new("层级", Kind::Text),
            Column::new("地区", Kind::Text),
            Column::new("单位类型", Kind::Text),
            Column::new("综合得分", Kind::Score),
        ];
        // The tie-break keys, as compared.
        let keys: Vec<TieKey> = s
            .tie_break
            .iter()
            .map(|k| match k.as_str() {
                "daily" => TieKey::Daily,
                "annual" => TieKey::Annual,
                other => TieKey::Component(
                    s.components
                        .iter()
                        .position(|c| c.key == other)
                        .unwrap_or(usize::MAX),
                ),
            })
            .collect();
        for k in &keys {
            let label = match k {
                TieKey::Daily => s.daily_label.as_str(),
                TieKey::Annual => "年度考核得分",
                TieKey::Component(i) => s.components.get(*i).map_or("", |c| c.label.as_str()),
            };
            columns.push(Column::new(label, Kind::Score));
        }
        columns.push(Column::new("说明", Kind::Wrap));
        Table {
            sheet: SHEETS[5],
            title: None,
            columns,
            rows: Box::new(move || {
                let keys = keys.clone();
                Box::new(rows().map(move |r| {
                    let mut v = vec![
                        pool_value(r),
                        rank(r),
                        text(&r.name),
                        opt_text(r.uscc.as_deref()),
                        text(r.tier.label()),
                        opt_text(r.region.as_deref()),
                        text(&r.unit_type),
                        score(r.composite),
                    ];
                    v.extend(keys.iter().map(|k| {
                        score(match k {
                            TieKey::Daily => r.daily,
                            TieKey::Annual => r.annual,
                            TieKey::Component(i) => r.components.get(*i).copied().flatten(),
                        })
                    }));
                    v.push(reasons(r));
                    Row::plain(v)
                }))
            }),
            filter: Some(len),
            freeze_cols: 0,
            landscape: true,
        }
    }

    fn decisions_table(&self) -> Table<'_> {
        Table {
            sheet: SHEETS[6],
            title: None,
            columns: vec![
                Column::new("时间", Kind::Text),
                Column::new("操作人", Kind::Text),
                Column::new("单位", Kind::Text),
                Column::new("统一社会信用代码", Kind::Text),
                Column::new("调整", Kind::Text),
                Column::new("理由", Kind::Wrap),
                Column::new("是否超额", Kind::Text),
            ],
            rows: Box::new(move || {
                Box::new(self.decisions.iter().map(|d| {
                    Row::plain(vec![
                        Value::from(display_time(&d.at)),
                        text(&d.operator),
                        text(&d.agency),
                        opt_text(d.uscc.as_deref()),
                        text(d.action.label()),
                        text(&d.reason),
                        text(if d.beyond_quota { "是" } else { "否" }),
                    ])
                }))
            }),
            filter: Some(self.decisions.len()),
            freeze_cols: 0,
            landscape: true,
        }
    }
}

/// The columns every review list starts with.
fn review_columns(rest: &[(&str, Kind)]) -> Vec<Column> {
    [
        ("单位名称", Kind::Text),
        ("统一社会信用代码", Kind::Text),
        ("层级", Kind::Text),
        ("地区", Kind::Text),
        ("命名年度", Kind::Count),
    ]
    .iter()
    .chain(rest)
    .map(|(h, k)| Column::new(h, *k))
    .collect()
}

/// The values of [`review_columns`], then `rest`.
fn review_values<'a>(r: &'a crate::review::ReviewRow, rest: Vec<Value<'a>>) -> Row<'a> {
    let mut v = vec![
        text(&r.name),
        opt_text(r.uscc.as_deref()),
        text(r.tier.label()),
        opt_text(r.region.as_deref()),
        Value::Number(f64::from(r.award_year)),
    ];
    v.extend(rest);
    Row::plain(v)
}

/// A review list: filtered over its `n` rows, the name column frozen.
fn review_list<'a>(
    sheet: &'static str,
    title: Option<String>,
    columns: Vec<Column>,
    rows: Box<dyn Fn() -> Rows<'a> + 'a>,
    n: usize,
    landscape: bool,
) -> Table<'a> {
    Table {
        sheet,
        title,
        columns,
        rows,
        filter: Some(n),
        freeze_cols: 1,
        landscape,
    }
}

/// 复查名单, 整改名单 and 撤销名单.
fn review_tables(part: &ReviewPart) -> [Table<'_>; 3] {
    use crate::review::{Outcome, ReviewRow};
    let of = move |o: Outcome| move || part.rows.iter().filter(move |r| r.outcome == o);
    let deadline = |r: &ReviewRow| {
        r.deadline
            .map_or(Value::Blank, |d| Value::from(d.to_string()))
    };
    let why = |r: &ReviewRow| match r.reasons.as_slice() {
        [] => Value::Blank,
        many => Value::from(many.join("；")),
    };
    [
        review_list(
            REVIEW_SHEETS[0],
            Some(format!("{}复查", part.date.format("%Y年%m月%d日"))),
            review_columns(&[
                ("单位类型", Kind::Text),
                ("文号", Kind::Text),
                ("复查原因", Kind::Text),
                ("综合得分", Kind::Score),
                ("复查结论", Kind::Text),
                ("理由", Kind::Wrap),
                ("整改期限", Kind::Text),
            ]),
            Box::new(move || {
                Box::new(part.rows.iter().map(move |r| {
                    review_values(
                        r,
                        vec![
                            text(&r.unit_type),
                            opt_text(r.doc_number.as_deref()),
                            text(r.trigger.label()),
                            score(r.composite),
                            text(r.outcome.label()),
                            why(r),
                            deadline(r),
                        ],
                    )
                }))
            }),
            part.rows.len(),
            true,
        ),
        review_list(
            REVIEW_SHEETS[1],
            None,
            review_columns(&[("整改期限", Kind::Text), ("整改理由", Kind::Wrap)]),
            Box::new(move || {
                Box::new(
                    of(Outcome::Rectify)()
                        .map(move |r| review_values(r, vec![deadline(r), why(r)])),
                )
            }),
            of(Outcome::Rectify)().count(),
            false,
        ),
        review_list(
            REVIEW_SHEETS[2],
            None,
            review_columns(&[("文号", Kind::Text), ("撤销理由", Kind::Wrap)]),
            Box::new(move || {
                Box::new(of(Outcome::Revoke)().map(move |r| {
                    review_values(r, vec![opt_text(r.doc_number.as_deref()), why(r)])
                }))
            }),
            of(Outcome::Revoke)().count(),
            false,
        ),
    ]
}

#[derive(Clone, Copy)]
enum TieKey {
    Daily,
    Annual,
    Component(usize),
}

/// What a column holds, which decides its number format and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Short text.
    Text,
    /// Long text, wrapped in a column of limited width.
    Wrap,
    /// A score: a number shown with two decimals (`0.00`).
    Score,
    /// A whole number.
    Count,
}

/// A column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// What it holds.
    pub kind: Kind,
}

impl Column {
    fn new(header: &str, kind: Kind) -> Column {
        Column {
            header: header.to_string(),
            kind,
        }
    }
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text, always written as text (never a formula).
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
    /// Nothing.
    Blank,
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    /// An ordinary row.
    Plain,
    /// A sub-heading inside the sheet (bold, shaded).
    Section,
    /// A total row (bold, shaded).
    Total,
}

/// One row of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// How it stands out.
    pub style: RowStyle,
    /// One value per column.
    pub values: Vec<Value<'a>>,
}

impl<'a> Row<'a> {
    fn plain(values: Vec<Value<'a>>) -> Row<'a> {
        Row {
            style: RowStyle::Plain,
            values,
        }
    }

    fn section<const N: usize>(labels: [&'a str; N]) -> Row<'a> {
        Row {
            style: RowStyle::Section,
            values: labels
                .into_iter()
                .map(|l| if l.is_empty() { Value::Blank } else { text(l) })
                .collect(),
        }
    }
}

/// An iterator over the rows of a [`Table`].
pub type Rows<'a> = Box<dyn Iterator<Item = Row<'a>> + 'a>;

/// One sheet's content: an optional title row, a header row, then the rows.
pub struct Table<'a> {
    /// Sheet name.
    pub sheet: &'static str,
    /// A title above the header, across the columns.
    pub title: Option<String>,
    /// Columns.
    pub columns: Vec<Column>,
    /// Produces the rows, afresh on every call (the writer reads them twice: for the
    /// column widths, then to write them), so that no sheet is held in memory whole.
    pub rows: Box<dyn Fn() -> Rows<'a> + 'a>,
    /// Rows under the header's autofilter (the rows before any total); `None`: no filter.
    pub filter: Option<usize>,
    /// Columns frozen at the left, besides the header row frozen at the top.
    pub freeze_cols: u16,
    /// Whether the sheet prints landscape.
    pub landscape: bool,
}

fn text(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

fn opt_text(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Blank, text)
}

fn count<'a>(n: u32) -> Value<'a> {
    Value::Number(f64::from(n))
}

fn rank(r: &ResultRow) -> Value<'static> {
    r.rank.map_or(Value::Blank, count)
}

/// A score as the nearest double to its 2-place rounding (what is shown and compared).
fn score<'a>(d: Option<Decimal>) -> Value<'a> {
    d.map_or(Value::Blank, |d| Value::Number(to_f64(round2(d))))
}

/// The nearest `f64` to a decimal: one correctly rounded division when the mantissa
/// and the power of ten are exact doubles (always, for scores), else via the text.
fn to_f64(d: Decimal) -> f64 {
    let m = d.mantissa();
    let scale = d.scale();
    if m.unsigned_abs() < (1u128 << 53) && scale <= 22 {
        m as f64 / 10f64.powi(scale as i32)
    } else {
        d.to_string().parse().unwrap_or(f64::NAN)
    }
}

fn reasons(r: &ResultRow) -> Value<'_> {
    match r.reasons.as_slice() {
        [] => Value::Blank,
        [one] => text(one),
        many => Value::from(many.join("；")),
    }
}

fn pool_value(r: &ResultRow) -> Value<'static> {
    r.pool
        .as_deref()
        .map_or(Value::Blank, |p| Value::from(pool_label(p)))
}

/// A pool's name for people: the tier in Chinese, then the `group_by` values
/// ("county/广州市越秀区" → "县级/广州市越秀区").
pub fn pool_label(pool: &str) -> String {
    let (head, rest) = match pool.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (pool, None),
    };
    let tier = crate::scheme::Tier::from_code(head).map_or(head, |t| t.label());
    match rest {
        Some(r) => format!("{tier}/{r}"),
        None => tier.to_string(),
    }
}

/// The workbook's title: "2026年度模范机关评选" → "2026年度模范机关评选结果".
fn book_title(campaign: &str) -> String {
    if campaign.ends_with("评选") {
        format!("{campaign}结果")
    } else {
        format!("{campaign}评选结果")
    }
}

/// "2026-12-01T10:00:00+08:00" → "2026-12-01 10:00:00"; anything else as given.
fn display_time(s: &str) -> String {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// A share as a percentage: 0.3 → "30%", 0.125 → "12.5%".
fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

fn thresholds(s: &Scheme) -> String {
    let mut parts = Vec::new();
    if let Some(m) = s.thresholds.composite_min {
        parts.push(format!("综合得分不低于{}分", plain(m)));
    }
    for (key, min) in &s.thresholds.components {
        let label = s.component(key).map_or(key.as_str(), |c| c.label.as_str());
        parts.push(format!("{label}不低于{}分", plain(*min)));
    }
    if parts.is_empty() {
        "无分数门槛".to_string()
    } else {
        parts.join("；")
    }
}

fn missing_policy(s: &Scheme) -> String {
    let mut t = match s.missing {
        MissingPolicy::Ineligible => "缺少任一分项得分即不符合条件".to_string(),
        MissingPolicy::Reweight => "缺少分项时，按已有分项的权重重新折算年度考核得分".to_string(),
    };
    if !s.daily_share.is_zero() {
        t.push_str(&format!(
            "；缺少{}时无法计算综合得分，不符合条件",
            s.daily_label
        ));
    }
    t
}

/// A quota rule in words.
fn quota_words(q: &QuotaRule) -> String {
    let types = if q.unit_types.iter().any(|t| t == "*") {
        "全部单位类型".to_string()
    } else {
        q.unit_types.join("、")
    };
    let (group, each) = match q.group_by.as_slice() {
        [] => ("作为一组".to_string(), ""),
        keys => (
            format!(
                "按{}分组",
                keys.iter()
                    .map(|g| match g {
                        GroupBy::Region => "地区",
                        GroupBy::UnitType => "单位类型",
                    })
                    .collect::<Vec<_>>()
                    .join("和")
            ),
            "每组",
        ),
    };
    let size = match q.size {
        QuotaSize::Count(n) => format!("{each}名额{n}个"),
        QuotaSize::Percent(p) => {
            let base = match q.base {
                QuotaBase::Declared => "申报单位数（不含已命名单位）",
                QuotaBase::Eligible => "符合条件单位数",
            };
            let rounding = match q.rounding {
                Rounding::Floor => "向下取整",
                Rounding::Round => "四舍五入",
                Rounding::Ceil => "向上取整",
            };
            format!("{each}名额为{base}的{}%，{rounding}", plain(p))
        }
    };
    let mut t = format!("{}（{types}）：{group}，{size}", q.tier.label());
    if let Some(m) = q.min {
        t.push_str(&format!("，至少{m}个"));
    }
    if let Some(m) = q.max {
        t.push_str(&format!("，至多{m}个"));
    }
    t
}

fn tie_break_words(s: &Scheme) -> String {
    let keys: Vec<&str> = s
        .tie_break
        .iter()
        .map(|k| match k.as_str() {
            "daily" => s.daily_label.as_str(),
            "annual" => "年度考核得分",
            other => s.component(other).map_or(other, |c| c.label.as_str()),
        })
        .collect();
    let then = if keys.is_empty() {
        String::new()
    } else {
        format!("，相同时依次比较{}（高者在前）", keys.join("、"))
    };
    format!(
        "各组内符合条件的单位按综合得分从高到低排名{then}；全部相同者名次相同（1、2、2、4），\
         不作任意取舍。按名次依次入选，一组并列单位在名额内全部入选，跨越最后名额时为并列待定"
    )
}

/// The width of text in Excel character units: CJK and other wide characters ≈ 2.1,
/// ASCII ≈ 1.1.
fn text_width(s: &str) -> f64 {
    let ascii = s.bytes().filter(u8::is_ascii).count();
    let wide = s.chars().count() - ascii;
    ascii as f64 * 1.1 + wide as f64 * 2.1
}

/// The widest line of a cell's text (wrapped text breaks at line feeds too).
fn value_width(v: &Value<'_>, kind: Kind) -> f64 {
    match v {
        Value::Text(s) if s.contains('\n') => s.lines().map(text_width).fold(0.0, f64::max),
        Value::Text(s) => text_width(s),
        Value::Number(n) => match kind {
            Kind::Score => 6.6,
            _ => format!("{n}").len() as f64 * 1.1,
        },
        Value::Blank => 0.0,
    }
}

/// The formats of the workbook, all in the CJK font.
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
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_charset(CHARSET)
            .set_font_size(11)
            .set_align(FormatAlign::VerticalCenter);
        let kinds = [
            base.clone(),
            base.clone().set_text_wrap(),
            base.clone().set_num_format("0.00"),
            base.clone().set_num_format("0"),
        ];
        let band = |f: &Format| {
            f.clone()
                .set_bold()
                .set_background_color(Color::RGB(BAND_FILL))
                .set_border(FormatBorder::Thin)
        };
        Styles {
            title: base.clone().set_bold().set_font_size(16),
            header: base
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_border(FormatBorder::Thin),
            bordered: kinds
                .each_ref()
                .map(|f| f.clone().set_border(FormatBorder::Thin)),
            section: kinds.each_ref().map(band),
            total: kinds.each_ref().map(band),
            plain: kinds,
        }
    }
}

/// Estimated lines of wrapped text in a column `width` characters wide.
fn wrapped_lines(s: &str, width: f64) -> u32 {
    let usable = (width - 2.0).max(1.0);
    s.split('\n')
        .map(|line| ((text_width(line) / usable).ceil() as u32).max(1))
        .sum()
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
        *w = (*w + 2.0).clamp(MIN_WIDTH, max);
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
                (Value::Text(s), Kind::Wrap) => Some(wrapped_lines(s, *w)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        last_has_height = lines > 1;
        if last_has_height {
            ws.set_row_height(row, f64::from(lines) * LINE_HEIGHT)?;
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
    ws.set_paper_size(PAPER_A4);
    if t.landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    if !small {
        ws.set_print_gridlines(true);
    }
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_header(header);
    ws.set_footer("&C第 &P 页，共 &N 页");
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
    font.set_name(FONT).set_character_set(CHARSET);
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

/// Builds the result workbook and writes it to `out` atomically.
pub fn write(out: &Path, book: &ResultBook<'_>) -> Result<(), ExportError> {
    let bytes = build(book)?.save_to_buffer()?;
    super::write_atomic(out, &bytes).map_err(|source| ExportError::Write {
        path: out.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn pool_labels_are_chinese() {
        assert_eq!(pool_label("province"), "省直");
        assert_eq!(pool_label("county/广州市越秀区"), "县级/广州市越秀区");
        assert_eq!(pool_label("province/政府机关"), "省直/政府机关");
        assert_eq!(pool_label("city/广州市/政法机关"), "市级/广州市/政法机关");
    }

    #[test]
    fn scores_are_the_nearest_double_to_the_rounded_decimal() {
        for s in [
            "92.35", "90.125", "0.005", "100", "85.1", "-3.335", "99.995",
        ] {
            let rounded = round2(d(s));
            assert_eq!(
                to_f64(rounded),
                rounded.to_string().parse::<f64>().unwrap(),
                "{s}"
            );
        }
        assert_eq!(to_f64(round2(d("90.125"))), 90.13);
        // Every two-place score from 0 to 100.
        for m in 0..=10_000i64 {
            let x = Decimal::new(m, 2);
            assert_eq!(to_f64(x), format!("{x}").parse::<f64>().unwrap());
        }
    }

    #[test]
    fn widths_count_cjk_twice() {
        assert!((text_width("abc") - 3.3).abs() < 1e-9);
        assert!((text_width("广州市") - 6.3).abs() < 1e-9);
        assert!((text_width("第1名") - 5.3).abs() < 1e-9);
        assert_eq!(wrapped_lines("短", 20.0), 1);
        assert_eq!(wrapped_lines(&"长".repeat(20), 23.0), 2);
        assert_eq!(wrapped_lines(&"长".repeat(21), 23.0), 3);
        assert_eq!(wrapped_lines("一\n二\n三", 20.0), 3);
    }

    #[test]
    fn page_headers_escape_ampersands() {
        assert_eq!(header_text("A&B"), "A&&B");
        assert_eq!(header_text(&"长".repeat(100)).chars().count(), 80);
    }

    #[test]
    fn book_titles_do_not_repeat_the_word() {
        assert_eq!(
            book_title("2026年度模范机关评选"),
            "2026年度模范机关评选结果"
        );
        assert_eq!(book_title("模范机关"), "模范机关评选结果");
    }

    #[test]
    fn quota_rules_read_as_sentences() {
        let s = Scheme::default_scheme();
        let words: Vec<String> = s.quotas.iter().map(quota_words).collect();
        assert_eq!(
            words,
            [
                "省直（全部单位类型）：按单位类型分组，每组名额为申报单位数（不含已命名单位）的15%，向下取整，至少1个",
                "市级（全部单位类型）：按地区分组，每组名额为申报单位数（不含已命名单位）的15%，向下取整，至少1个，至多8个",
                "县级（全部单位类型）：按地区分组，每组名额2个",
            ]
        );
        let mut one = s.quotas[2].clone();
        one.group_by.clear();
        one.unit_types = vec!["党群机关".into(), "政府机关".into()];
        assert_eq!(
            quota_words(&one),
            "县级（党群机关、政府机关）：作为一组，名额2个"
        );
        assert_eq!(percent(d("0.3")), "30%");
        assert_eq!(percent(d("0.125")), "12.5%");
        assert_eq!(
            display_time("2026-12-01T10:00:00+08:00"),
            "2026-12-01 10:00:00"
        );
        assert_eq!(display_time("不是时间"), "不是时间");
    }
}
