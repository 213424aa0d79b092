//! What the result book contains: its sheets and their rows, from the selection, the
//! review and the store, laid out in the table model ([`super::model`]) — values only,
//! no formats.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;

use super::model::{count, opt_text, score, text, Column, Kind, Row, RowStyle, Rows, Table, Value};
use super::words::{
    book_title, display_time, missing_policy, percent, pool_label, quota_words, thresholds,
    tie_break_words,
};
use super::{ExportError, REVIEW_SHEETS, SHEETS};
use crate::scheme::Scheme;
use crate::select::{ResultRow, Selection, Status};
use crate::store::overrides::{self, OverrideAction};
use crate::store::{agencies, campaigns, files, Store};

/// A review shown in the workbook: its date and every due award.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPart {
    /// The review date.
    pub date: chrono::NaiveDate,
    /// The due awards with trigger, outcome, reasons and deadline.
    pub rows: Vec<crate::review::ReviewRow>,
    /// Who applied the review to the registry and when; `None` for a review run without
    /// applying it, which the 复查名单's title then says.
    pub applied: Option<AppliedMark>,
}

/// Who applied a review and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMark {
    /// Who applied it.
    pub operator: String,
    /// When (RFC 3339); the workbook shows its date.
    pub at: String,
}

impl From<crate::review::ReviewRecord> for ReviewPart {
    fn from(r: crate::review::ReviewRecord) -> Self {
        ReviewPart {
            date: r.date,
            rows: r.rows,
            applied: Some(AppliedMark {
                operator: r.operator,
                at: r.applied_at,
            }),
        }
    }
}

impl ReviewPart {
    /// The title above the 复查名单: the review date, and whether and when it was applied.
    fn title(&self) -> String {
        let date = self.date.format("%Y年%m月%d日");
        match &self.applied {
            Some(a) => {
                let day =
                    chrono::NaiveDate::parse_from_str(a.at.get(..10).unwrap_or(""), "%Y-%m-%d")
                        .map_or_else(|_| a.at.clone(), |d| d.format("%Y年%m月%d日").to_string());
                format!(
                    "{date}复查，{day}已应用到命名记录（操作人：{}）",
                    a.operator
                )
            }
            None => format!("{date}复查（预览，未应用到命名记录）"),
        }
    }
}

/// An imported file the selection read, as the 说明 sheet lists it: the returns, and the
/// ballots and panel sheets a computed component was scored from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// File name (no folder).
    pub name: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// What it holds and, for ballots and panel sheets, the component's label.
    pub kind: InputKind,
    /// What it brought: returns, units with ballots, or judges' scores.
    pub rows: i64,
}

/// What an input file holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputKind {
    /// Returns (申报表); `rows` counts them.
    Returns,
    /// Satisfaction ballots (测评票) of the component labelled so; `rows` counts the
    /// units they were for, `votes` every answer counted or not.
    Ballots {
        /// The component's label.
        component: String,
        /// Every answer the file brought.
        votes: i64,
    },
    /// A panel's score sheet (评委评分表) of the component labelled so; `rows` counts the
    /// scores, `recused` the judges who recused.
    Panel {
        /// The component's label.
        component: String,
        /// 回避 entries.
        recused: i64,
    },
}

impl InputFile {
    /// A file of returns.
    pub fn returns(name: impl Into<String>, sha256: impl Into<String>, rows: i64) -> InputFile {
        InputFile {
            name: name.into(),
            sha256: sha256.into(),
            kind: InputKind::Returns,
            rows,
        }
    }

    /// The group it is listed under ("申报表", "测评票：群众测评", "评委评分表：组织考评").
    fn group(&self) -> String {
        match &self.kind {
            InputKind::Returns => "申报表".to_string(),
            InputKind::Ballots { component, .. } => format!("测评票：{component}"),
            InputKind::Panel { component, .. } => format!("评委评分表：{component}"),
        }
    }

    /// What it brought, in words fit for its kind.
    fn brought(&self) -> String {
        match &self.kind {
            InputKind::Returns => format!("导入{}条申报", self.rows),
            InputKind::Ballots { votes, .. } => {
                format!("导入{}家单位的测评票，共{votes}票", self.rows)
            }
            InputKind::Panel { recused: 0, .. } => format!("导入{}个评分", self.rows),
            InputKind::Panel { recused, .. } => {
                format!("导入{}个评分，另有{recused}人次回避", self.rows)
            }
        }
    }
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
    /// The panel's reason in Chinese, as entered.
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
    /// The selection whose results, pools and ties the sheets list.
    pub selection: &'a Selection,
    /// The live imported files of the campaign: returns, then the ballots and panel
    /// sheets of each computed component in scheme order; oldest first within each.
    pub files: Vec<InputFile>,
    /// Every panel decision of the campaign, oldest first.
    pub decisions: Vec<Decision>,
    /// When the workbook was generated (RFC 3339); also its document creation time.
    pub generated_at: String,
    /// The review: adds 复查名单, 整改名单 and 撤销名单. [`ResultBook::from_store`] fills in
    /// the review applied in the campaign year; [`ResultBook::show_review_run`] a review run
    /// without applying it, when none was applied.
    pub review: Option<ReviewPart>,
    /// The stored run the selection is, when it is one: 说明 names its time and operator,
    /// and warns when the inputs changed since.
    pub run: Option<crate::select::RunState>,
}

impl<'a> ResultBook<'a> {
    /// Reads the campaign title, its live imported files (returns, ballots and panel
    /// sheets), every panel decision and the
    /// review applied (if one was) of campaign `year` from the store. The applied review is
    /// what an export made after applying it shows, whichever screen or command writes it.
    pub fn from_store(
        store: &Store,
        year: i32,
        scheme: &'a Scheme,
        selection: &'a Selection,
        generated_at: impl Into<String>,
    ) -> Result<ResultBook<'a>, ExportError> {
        let conn = store.conn();
        let campaign = campaigns::require(conn, year)?;
        let files = input_files(conn, year, scheme)?;
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
            review: crate::review::applied(store, year)?.map(ReviewPart::from),
            run: None,
        })
    }

    /// Shows the review run on `date` (without applying it) — unless a review was applied in
    /// the campaign year: the workbook then keeps showing what was applied, never a what-if
    /// that the registry does not reflect.
    pub fn show_review_run(
        &mut self,
        date: chrono::NaiveDate,
        rows: Vec<crate::review::ReviewRow>,
    ) {
        if self.review.is_none() {
            self.review = Some(ReviewPart {
                date,
                rows,
                applied: None,
            });
        }
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

    pub(super) fn generated(&self) -> Result<DateTime<FixedOffset>, ExportError> {
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
        if let Some(d) = self.selection.reference_date {
            let ledger = if s.ledger.overdue_blocks_selection {
                "：有逾期未整改问题的单位不符合条件"
            } else {
                ""
            };
            item(
                &mut rows,
                "评选基准日",
                format!("{}{ledger}", d.format("%Y年%-m月%-d日")),
            );
        }
        if self.run.is_none() && self.selection.results.is_empty() && self.review.is_some() {
            item(
                &mut rows,
                "评选运行",
                "尚未运行评选：本工作簿只含复查名单".to_string(),
            );
        }
        if let Some(run) = &self.run {
            item(
                &mut rows,
                "评选运行",
                format!(
                    "{}（{}，{}）",
                    display_time(&run.last.at),
                    run.last.operator,
                    run.last.trigger.label()
                ),
            );
            if let Some(notice) = &run.notice {
                item(&mut rows, "注意", notice.clone());
            }
        }
        rows.push(Row::section(["评选方案", ""]));
        let annual = s
            .components
            .iter()
            .map(|c| format!("{}×{}", c.label, percent(c.weight)))
            .collect::<Vec<_>>()
            .join(" + ");
        item(&mut rows, "年度考核得分", annual);
        // A component mofan computes says how (its input files are listed below).
        for c in &s.components {
            if let Some(how) = s.computation(c) {
                item(&mut rows, &c.label, how);
            }
        }
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
                Value::from(format!("{}《{}》（{}）", f.group(), f.name, f.brought())),
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
/// The live files of campaign `year`: returns, then each computed component's ballots
/// and panel sheets in scheme order (a file whose component the scheme no longer has
/// after them, by its key); oldest first within each group.
fn input_files(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
) -> rusqlite::Result<Vec<InputFile>> {
    use crate::store::{ballots, panel};
    let live = |kind| -> rusqlite::Result<Vec<files::FileRow>> {
        Ok(files::list_of(conn, kind, year)?
            .into_iter()
            .filter(|f| f.status != crate::vocab::StoredFileStatus::Withdrawn)
            .collect())
    };
    let label = |key: &str| {
        scheme
            .component(key)
            .map_or_else(|| key.to_string(), |c| c.label.clone())
    };
    let order = |key: &str| {
        scheme
            .components
            .iter()
            .position(|c| c.key == key)
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<InputFile> = live(files::FileKind::Returns)?
        .into_iter()
        .map(|f| InputFile::returns(f.file_name, f.sha256, f.rows_imported))
        .collect();
    // (component's place in the scheme, kind: ballots before panel, file id)
    let mut computed: Vec<((usize, u8, i64), InputFile)> = Vec::new();
    for f in live(files::FileKind::Ballots)? {
        let key = ballots::component_of_file(conn, f.id)?.unwrap_or_default();
        let votes = ballots::totals_of_file(conn, f.id)?.values().sum();
        computed.push((
            (order(&key), 0, f.id),
            InputFile {
                name: f.file_name,
                sha256: f.sha256,
                kind: InputKind::Ballots {
                    component: label(&key),
                    votes,
                },
                rows: f.rows_imported,
            },
        ));
    }
    for f in live(files::FileKind::Panel)? {
        let (key, scores, recused) = panel::stored_by_file(conn, f.id)?.unwrap_or_default();
        computed.push((
            (order(&key), 1, f.id),
            InputFile {
                name: f.file_name,
                sha256: f.sha256,
                kind: InputKind::Panel {
                    component: label(&key),
                    recused,
                },
                rows: scores,
            },
        ));
    }
    computed.sort_by_key(|(k, _)| *k);
    out.extend(computed.into_iter().map(|(_, f)| f));
    Ok(out)
}

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
            Some(part.title()),
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

fn rank(r: &ResultRow) -> Value<'static> {
    r.rank.map_or(Value::Blank, count)
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
