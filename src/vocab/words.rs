//! The Chinese words an import accepts for a vocabulary value, beside its one label:
//! the tier words of the 层级 column (`docs/specification.md` §3) and the status words
//! of the awards registry's 状态 column. Each list also accepts the value's stored
//! spelling, so a file written by mofan reads back. Also the words of a panel score sheet
//! (§8): the headers that are not judges, and the word of a recusal.

use std::collections::HashMap;

use super::{AwardStatus, LedgerKind, LedgerLevel, LedgerSource, Tier, Vocab};
use crate::normalize::{fold_width, is_space};

/// Normalises a tier word for comparison: width folded, no spaces, ASCII brackets.
pub fn tier_key(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Tier words, compared by [`tier_key`] (full-width brackets and commas, spaces and ASCII
/// case do not matter). No word may stand under two tiers (checked by a test).
const TIER_WORDS: &[(Tier, &[&str])] = &[
    (
        Tier::Province,
        &[
            "province",
            "省级",
            "省直",
            "省直机关",
            "省直单位",
            "省直属",
            "省直属机关",
            "省直属单位",
            "省级机关",
            "省级单位",
        ],
    ),
    (
        Tier::City,
        &[
            "city",
            "市级",
            "市直",
            "地市",
            "地市级",
            "市直机关",
            "市直单位",
            "市直属",
            "市直属机关",
            "市直属单位",
            "市级机关",
            "市级单位",
        ],
    ),
    (
        Tier::County,
        &[
            "county",
            "县级",
            "县直",
            "区县",
            "县区",
            "县(市、区)",
            "县(市,区)",
            "县(区)",
            "县(市)",
            "县直机关",
            "县直单位",
            "县直属",
            "县直属机关",
            "县直属单位",
            "县级机关",
            "县级单位",
            "区县级",
            "县区级",
            "县(区)级",
            "县(市)级",
            "县(市、区)级",
            // Districts (区) are county-level: 区直 is a district's own agencies.
            "区级",
            "区直",
            "区直机关",
            "区直单位",
            "区直属",
            "区直属机关",
            "区直属单位",
            "区级机关",
            "区级单位",
            "县(市)直",
            "县市直",
            "县(区)直",
            "县区直",
            "区县直",
            "县(市、区)直",
            "县(市,区)直",
        ],
    ),
];

/// The built-in tier words, as written (the scheme's `[tier_aliases]` add to them).
pub fn builtin_tier_words() -> impl Iterator<Item = (Tier, &'static str)> {
    TIER_WORDS
        .iter()
        .flat_map(|(t, words)| words.iter().map(move |w| (*t, *w)))
}

/// Every tier word in its normalised form.
static TIER_KEYS: std::sync::LazyLock<HashMap<String, Tier>> = std::sync::LazyLock::new(|| {
    builtin_tier_words()
        .map(|(t, w)| (tier_key(w), t))
        .collect()
});

/// Reads a tier from its code or any built-in Chinese alias (`Scheme::tier_of` also
/// knows the scheme's own words).
pub fn parse_tier(s: &str) -> Option<Tier> {
    // A word written as its key (县级, as nearly every return writes it) is found as it
    // is: a key is its own key (checked by a test), so the answer is the same.
    TIER_KEYS
        .get(s)
        .or_else(|| TIER_KEYS.get(&tier_key(s)))
        .copied()
}

/// Status words of the registry's 状态 column and the state each means.
pub const AWARD_STATUS_WORDS: &[(AwardStatus, &[&str])] = &[
    (AwardStatus::Active, &["正常", "有效", "active"]),
    (
        AwardStatus::Rectifying,
        &["整改中", "限期整改", "限期整改中", "rectifying"],
    ),
    (
        AwardStatus::Revoked,
        &["已撤销", "撤销", "摘牌", "已摘牌", "revoked"],
    ),
];

/// Reads an award status from a registry word (width folded, white space and ASCII case
/// ignored).
pub fn parse_award_status(s: &str) -> Option<AwardStatus> {
    let key: String = fold_width(s)
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    AWARD_STATUS_WORDS
        .iter()
        .find(|(_, words)| words.contains(&key.as_str()))
        .map(|(status, _)| *status)
}

/// Headers of a panel sheet's wide form (a column per judge) that are not judges: the
/// row number, notes, and the totals, means and extremes a sheet often computes beside
/// the scores (mofan computes its own). Compared by [`crate::normalize::header_key`];
/// a column headed by one of them is ignored with the unknown columns. The agency's own
/// columns (单位名称, 层级, …) and 得分 (the long form's score column) are not judges
/// either, being fields.
pub const PANEL_NOT_JUDGES: &[&str] = &[
    "序号",
    "编号",
    "备注",
    "说明",
    "合计",
    "小计",
    "总分",
    "总计",
    "平均",
    "平均分",
    "平均得分",
    "最高分",
    "最低分",
    "去掉最高分",
    "去掉最低分",
    "去掉一个最高分",
    "去掉一个最低分",
    "最后得分",
    "最终得分",
    "综合得分",
    "名次",
    "排名",
    "评委人数",
    "有效评分",
];

/// Whether a header of a panel sheet's wide form is one of [`PANEL_NOT_JUDGES`].
pub fn is_panel_not_judge(header: &str) -> bool {
    let key = crate::normalize::header_key(header);
    PANEL_NOT_JUDGES
        .iter()
        .any(|w| crate::normalize::header_key(w) == key)
}

/// The word of a panel cell whose judge recused himself (回避): stored, not a score.
pub const PANEL_RECUSED: &str = "回避";
/// The headers of the column naming the unit a ballot row is about (tally and long form),
/// beside the return's own words for the name ([`super::RETURN_FIELDS`]).
pub const BALLOT_UNIT_HEADERS: &[&str] = &["被测评单位", "测评单位", "被评价单位", "参评单位"];

/// The columns an online survey's export (问卷星, 腾讯问卷, …) adds around the answers:
/// about the respondent's answer sheet, not about a unit. A ballot import does not read
/// them. Compared as headers are ([`crate::normalize::header_key`]).
pub const SURVEY_METADATA_HEADERS: &[&str] = &[
    "序号",
    "编号",
    "答卷编号",
    "答卷序号",
    "提交答卷时间",
    "提交时间",
    "答题时间",
    "开始时间",
    "结束时间",
    "开始答题时间",
    "所用时间",
    "答题时长",
    "用时",
    "来源",
    "来源详情",
    "来自IP",
    "IP",
    "IP地址",
    "IP属地",
    "填写设备",
    "设备",
    "浏览器",
    "操作系统",
    "地理位置",
    "所在地",
    "微信昵称",
    "昵称",
    "用户ID",
    "总分",
    "得分",
    "备注",
    "填写人",
    "你的身份",
    "您的身份",
    "身份",
    "工作单位",
    "您的工作单位",
];

/// Cells of a ballot that hold no answer although they are not blank: the survey
/// exports' marks of a question left empty or skipped by the survey's logic. Compared
/// after width folding (full-width brackets read as ASCII ones) and trimming.
pub const NO_ANSWER_WORDS: &[&str] = &["(空)", "(跳过)"];

/// The words a ledger's 清单类型 column (or `--kind`) may hold for each kind, beside its
/// label and stored spelling.
pub const LEDGER_KIND_WORDS: &[(LedgerKind, &[&str])] = &[
    (
        LedgerKind::Responsibility,
        &["责任", "责任事项", "责任清单"],
    ),
    (LedgerKind::Task, &["任务", "工作任务", "任务清单"]),
    (
        LedgerKind::Problem,
        &["问题", "问题清单", "整改台账", "问题整改", "整改清单"],
    ),
];

/// The words of a 责任层级 column for each level, beside its label and stored spelling.
pub const LEDGER_LEVEL_WORDS: &[(LedgerLevel, &[&str])] = &[
    (
        LedgerLevel::PartyGroup,
        &["党组", "党委", "党组(党委)", "党组党委"],
    ),
    (LedgerLevel::OrganCommittee, &["机关党委", "机关党组织"]),
    (LedgerLevel::Branch, &["党支部", "支部", "基层党支部"]),
    (LedgerLevel::Member, &["党员", "党员个人", "个人"]),
];

/// The words of a 问题来源 column for each source, beside its label and stored spelling.
pub const LEDGER_SOURCE_WORDS: &[(LedgerSource, &[&str])] = &[
    (LedgerSource::Review, &["复查", "定期复查"]),
    (
        LedgerSource::Inspection,
        &["督查", "督察", "督导", "专项督察"],
    ),
    (
        LedgerSource::Patrol,
        &["巡视", "巡察", "巡视巡察", "巡视反馈", "巡察反馈"],
    ),
    (LedgerSource::Audit, &["审计", "审计发现"]),
    (
        LedgerSource::Public,
        &["群众反映", "信访", "投诉举报", "信访举报"],
    ),
    (LedgerSource::SelfCheck, &["自查", "自查自纠", "自我检查"]),
    (LedgerSource::Other, &["其他", "其它"]),
];

/// The 完成情况 words that say an item is finished (with a 完成时间, they mark it done,
/// docs/specification.md §10).
pub const LEDGER_DONE_WORDS: &[&str] =
    &["已完成", "已整改", "已销号", "完成", "整改完成", "已办结"];

/// A word as the ledger's columns compare it: width folded, white space removed, ASCII
/// lower-cased, half-width brackets as full-width ones.
fn ledger_word_key(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn ledger_word<T: Vocab>(words: &[(T, &[&str])], s: &str) -> Option<T> {
    let key = ledger_word_key(s);
    if key.is_empty() {
        return None;
    }
    words.iter().find_map(|(v, list)| {
        let hit = ledger_word_key(v.key()) == key
            || ledger_word_key(v.label()) == key
            || list.iter().any(|w| ledger_word_key(w) == key);
        hit.then_some(*v)
    })
}

/// Reads a ledger kind from its label, its stored spelling or a word of
/// [`LEDGER_KIND_WORDS`].
pub fn parse_ledger_kind(s: &str) -> Option<LedgerKind> {
    ledger_word(LEDGER_KIND_WORDS, s)
}

/// Reads a responsibility level from its label, its stored spelling or a word of
/// [`LEDGER_LEVEL_WORDS`].
pub fn parse_ledger_level(s: &str) -> Option<LedgerLevel> {
    ledger_word(LEDGER_LEVEL_WORDS, s)
}

/// Reads a problem source from its label, its stored spelling or a word of
/// [`LEDGER_SOURCE_WORDS`].
pub fn parse_ledger_source(s: &str) -> Option<LedgerSource> {
    ledger_word(LEDGER_SOURCE_WORDS, s)
}

/// Whether a 完成情况 text says the item is finished: it is one of
/// [`LEDGER_DONE_WORDS`], or starts with one followed by punctuation and evidence
/// ("已整改，制度已印发").
pub fn is_ledger_done_word(s: &str) -> bool {
    let key = ledger_word_key(s);
    LEDGER_DONE_WORDS.iter().any(|w| {
        key.strip_prefix(&ledger_word_key(w)).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(['，', ',', '。', '；', ';', '：', ':', '（'])
        })
    })
}
