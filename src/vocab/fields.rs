//! The fields a column of a return or of the awards registry can hold: the fixed ones
//! with their key, Chinese label, header aliases and kind of value (see
//! `docs/specification.md` §3), and the scheme's own (daily score, components, vetoes),
//! whose labels and aliases the scheme gives.
//!
//! The key is what a hand-made column choice names (`name`, `tier`, …) and what the
//! window receives; the label is the template's header and the word in every message; the
//! aliases are the other headers that name the field (compared by
//! [`crate::normalize::header_key`], so width, spaces and notes in brackets do not
//! matter). A header may name only one field: the scheme check refuses a scheme alias
//! that is also one of these.

use serde::Serialize;

/// A field of a return, or of an awards registry row, that a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
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
    /// 群众反映问题数
    Complaints,
    /// 问题清单数
    ProblemsTotal,
    /// 已整改数
    ProblemsFixed,
    /// 日常考核 (the scheme's `daily_label`).
    Daily,
    /// The scheme's component at this index.
    Component(usize),
    /// The scheme's veto at this index.
    Veto(usize),
    /// 命名年度 (awards registry).
    Year,
    /// 称号 (awards registry).
    Title,
    /// 文号 (awards registry).
    DocNumber,
    /// 状态 (awards registry).
    Status,
    /// 最近复查年度 (awards registry).
    LastReviewYear,
    /// 整改期限 (awards registry).
    RectifyDeadline,
    /// 撤销年度 (awards registry).
    RevokedYear,
    /// 评委: the judge of a row of a panel sheet's long form.
    Judge,
    /// 得分: the judge's score in a panel sheet's long form.
    JudgeScore,
    /// 发放 (ballot tally): ballots handed out.
    Issued,
    /// 回收 (ballot tally): ballots returned.
    Returned,
    /// A ballot answer word (ballot tally): the scheme's choice at this index, or, past
    /// the choices, its `not_counted` word at this index minus the number of choices.
    Choice(usize),
    /// A survey column asking about one unit (ballots, one column per unit): the unit at
    /// this index of the campaign's units as the importer loaded them.
    Unit(usize),
    /// An answer column of a ballot sheet in the long form (one row per answer sheet and
    /// unit): every column other than the unit's and the survey's own.
    Answer,
    /// A column of a survey export that the import does not read (序号, 提交答卷时间, …,
    /// [`crate::vocab::words::SURVEY_METADATA_HEADERS`]).
    Ignored,
    /// 清单类型 (ledger): responsibility, task or problem.
    LedgerKind,
    /// 事项内容 (ledger): the problem, task or responsibility itself.
    LedgerText,
    /// 整改措施 (ledger).
    LedgerMeasures,
    /// 责任人 (ledger): the person or department responsible.
    LedgerOwner,
    /// 整改时限 (ledger): the deadline.
    LedgerDeadline,
    /// 完成情况 (ledger): the progress word and evidence.
    LedgerProgress,
    /// 完成时间 (ledger): the date it was done.
    LedgerDoneOn,
    /// 问题来源 (ledger, problems).
    LedgerSource,
    /// 责任层级 (ledger, responsibilities).
    LedgerLevel,
    /// 年度 (ledger): the year the item belongs to.
    LedgerYear,
}

/// What kind of value a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text (a name, a region, a title, a document number).
    Text,
    /// An 18-character unified social credit code.
    Uscc,
    /// A tier word.
    Tier,
    /// One of the scheme's unit types or their aliases.
    UnitType,
    /// A whole number, at least 0.
    Count,
    /// A score (0–100, or a percentage).
    Score,
    /// 是 or 否.
    YesNo,
    /// A year such as 2023, "2023年" or "2023年度".
    Year,
    /// A date: a date cell, an Excel serial number, or text such as 2024-03-01 or 2024年3月1日.
    Date,
    /// An award status word.
    AwardStatus,
    /// A ledger kind word (责任清单, 任务清单, 问题清单, …).
    LedgerKind,
    /// A responsibility level word (党组（党委）, 机关党委, 党支部, 党员).
    LedgerLevel,
    /// A problem source word (复查, 督查, 巡视巡察, 审计, 群众反映, 自查, 其他).
    LedgerSource,
}

/// A fixed field: the same in every scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedField {
    /// Which field this is; the key, label and aliases below are its spelling.
    pub field: Field,
    /// The key a column choice names and the window receives.
    pub key: &'static str,
    /// The Chinese label: the template's header and the word in messages.
    pub label: &'static str,
    /// Further headers that name it (the label counts as one too).
    pub aliases: &'static [&'static str],
    /// What it holds.
    pub kind: FieldKind,
}

const fn fixed(
    field: Field,
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    kind: FieldKind,
) -> FixedField {
    FixedField {
        field,
        key,
        label,
        aliases,
        kind,
    }
}

/// The fixed fields of a return, in the order the mapping editor lists them: the agency's
/// fields, then the counts (the scheme's scores stand between them).
pub const RETURN_FIELDS: &[FixedField] = &[
    fixed(
        Field::Name,
        "name",
        "单位名称",
        &["机关名称", "单位全称", "申报单位", "单位"],
        FieldKind::Text,
    ),
    fixed(
        Field::Uscc,
        "uscc",
        "统一社会信用代码",
        &["社会信用代码", "信用代码", "统一代码"],
        FieldKind::Uscc,
    ),
    fixed(
        Field::Tier,
        "tier",
        "层级",
        &["级别", "单位层级", "所属层级"],
        FieldKind::Tier,
    ),
    fixed(
        Field::Region,
        "region",
        "所属地区",
        &["地区", "所在地区", "市县", "行政区划"],
        FieldKind::Text,
    ),
    fixed(
        Field::UnitType,
        "unit_type",
        "单位类型",
        &["单位性质", "机关类型", "单位类别", "类别"],
        FieldKind::UnitType,
    ),
    fixed(
        Field::Complaints,
        "complaints",
        "群众反映问题数",
        &["信访投诉数", "投诉举报数"],
        FieldKind::Count,
    ),
    fixed(
        Field::ProblemsTotal,
        "problems_total",
        "问题清单数",
        &["问题总数", "问题数"],
        FieldKind::Count,
    ),
    fixed(
        Field::ProblemsFixed,
        "problems_fixed",
        "已整改数",
        &["整改完成数", "已整改问题数"],
        FieldKind::Count,
    ),
];

/// The awards registry's own fields; its agency columns are the first five of
/// [`RETURN_FIELDS`] ([`Field::is_agency`]).
pub const AWARD_FIELDS: &[FixedField] = &[
    fixed(
        Field::Year,
        "year",
        "命名年度",
        &["命名年份", "年度"],
        FieldKind::Year,
    ),
    fixed(
        Field::Title,
        "title",
        "称号",
        &["荣誉称号", "命名称号"],
        FieldKind::Text,
    ),
    fixed(
        Field::DocNumber,
        "doc_number",
        "文号",
        &["命名文号", "发文字号"],
        FieldKind::Text,
    ),
    fixed(
        Field::Status,
        "status",
        "状态",
        &["称号状态", "命名状态"],
        FieldKind::AwardStatus,
    ),
    fixed(
        Field::LastReviewYear,
        "last_review_year",
        "最近复查年度",
        &["复查年度", "最近复查年份"],
        FieldKind::Year,
    ),
    fixed(
        Field::RectifyDeadline,
        "rectify_deadline",
        "整改期限",
        &["整改截止日期", "整改截止时间"],
        FieldKind::Date,
    ),
    fixed(
        Field::RevokedYear,
        "revoked_year",
        "撤销年度",
        &["撤销年份", "摘牌年度"],
        FieldKind::Year,
    ),
];

/// The fields of a panel score sheet's long form (评委 | 单位 | 得分,
/// `docs/specification.md` §8); its unit columns are the agency fields of
/// [`RETURN_FIELDS`] ([`Field::is_agency`]). In the wide form every other column names a
/// judge, except the words of [`super::words::PANEL_NOT_JUDGES`].
pub const PANEL_FIELDS: &[FixedField] = &[
    fixed(
        Field::Judge,
        "judge",
        "评委",
        &[
            "评委姓名",
            "评委编号",
            "评委代码",
            "评审专家",
            "评分人",
            "打分人",
        ],
        FieldKind::Text,
    ),
    fixed(
        Field::JudgeScore,
        "judge_score",
        "得分",
        &["评分", "分数", "打分"],
        FieldKind::Score,
    ),
];

/// The fixed fields of a ballot tally (计票汇总表, docs/specification.md §8) beside the
/// agency's name and USCC: the turnout counts.
pub const BALLOT_FIELDS: &[FixedField] = &[
    fixed(
        Field::Issued,
        "issued",
        "发放",
        &["发放票数", "发放数"],
        FieldKind::Count,
    ),
    fixed(
        Field::Returned,
        "returned",
        "回收",
        &["回收票数", "回收数", "收回数"],
        FieldKind::Count,
    ),
];

/// The ledger's fields (清单台账, docs/specification.md §10) beside the agency's name and
/// USCC; the aliases are the headers units' own ledgers use. A ledger has no tier or unit
/// type column, so 层级 and 类别 name the ledger's level and kind here.
pub const LEDGER_FIELDS: &[FixedField] = &[
    fixed(
        Field::LedgerKind,
        "ledger_kind",
        "清单类型",
        &["清单类别", "台账类型", "清单种类", "类别", "类型"],
        FieldKind::LedgerKind,
    ),
    fixed(
        Field::LedgerText,
        "ledger_text",
        "事项内容",
        &[
            "问题描述",
            "存在问题",
            "问题表现",
            "问题内容",
            "任务内容",
            "工作任务",
            "责任内容",
            "责任事项",
        ],
        FieldKind::Text,
    ),
    fixed(
        Field::LedgerMeasures,
        "ledger_measures",
        "整改措施",
        &["工作措施", "具体措施"],
        FieldKind::Text,
    ),
    fixed(
        Field::LedgerOwner,
        "ledger_owner",
        "责任人",
        &["责任部门", "责任领导", "责任主体"],
        FieldKind::Text,
    ),
    fixed(
        Field::LedgerDeadline,
        "ledger_deadline",
        "整改时限",
        &["完成时限", "时限", "整改期限", "完成期限"],
        FieldKind::Date,
    ),
    fixed(
        Field::LedgerProgress,
        "ledger_progress",
        "完成情况",
        &["整改情况", "整改进展", "进展情况"],
        FieldKind::Text,
    ),
    fixed(
        Field::LedgerDoneOn,
        "ledger_done_on",
        "完成时间",
        &["销号时间", "完成日期", "整改完成时间"],
        FieldKind::Date,
    ),
    fixed(
        Field::LedgerSource,
        "ledger_source",
        "问题来源",
        &["来源"],
        FieldKind::LedgerSource,
    ),
    fixed(
        Field::LedgerLevel,
        "ledger_level",
        "责任层级",
        &["层级"],
        FieldKind::LedgerLevel,
    ),
    fixed(
        Field::LedgerYear,
        "ledger_year",
        "年度",
        &["所属年度", "年份"],
        FieldKind::Year,
    ),
];

impl FixedField {
    /// Every header that names the field: its label, then its aliases.
    pub fn headers(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.label).chain(self.aliases.iter().copied())
    }
}

impl Field {
    /// The fixed field's key, label, aliases and kind (`None` for the scheme's fields
    /// and the columns of a ballot sheet that the scheme or the campaign names).
    pub fn fixed(self) -> Option<&'static FixedField> {
        RETURN_FIELDS
            .iter()
            .chain(AWARD_FIELDS)
            .chain(PANEL_FIELDS)
            .chain(BALLOT_FIELDS)
            .chain(LEDGER_FIELDS)
            .find(|f| f.field == self)
    }

    /// The fixed field of a key (`name`, `tier`, `doc_number`, …).
    pub fn from_key(key: &str) -> Option<Field> {
        RETURN_FIELDS
            .iter()
            .chain(AWARD_FIELDS)
            .chain(PANEL_FIELDS)
            .chain(BALLOT_FIELDS)
            .chain(LEDGER_FIELDS)
            .find(|f| f.key == key)
            .map(|f| f.field)
    }

    /// Whether the field describes the agency (both a return and a registry row have it).
    pub fn is_agency(self) -> bool {
        matches!(
            self,
            Field::Name | Field::Uscc | Field::Tier | Field::Region | Field::UnitType
        )
    }

    /// What kind of value the field holds.
    pub fn kind(self) -> FieldKind {
        match self {
            Field::Daily | Field::Component(_) => FieldKind::Score,
            Field::Veto(_) => FieldKind::YesNo,
            Field::Choice(_) => FieldKind::Count,
            Field::Unit(_) | Field::Answer | Field::Ignored => FieldKind::Text,
            f => f.fixed().expect("every other field is fixed").kind,
        }
    }
}
