//! The evaluation scheme (评选方案): parsing and validating its TOML (docs/specification.md §4).
//!
//! [`Scheme::parse`] reads the TOML, converts every number to an exact decimal and checks
//! every rule; each problem names the key path and the line it stands on. The rules
//! themselves are [`Scheme::check`], on the typed value, which the desktop's form
//! ([`form`]) runs as well: one implementation for the file and the form.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use crate::vocab::words::{parse_tier, tier_key};
use crate::Coded;

mod check;
mod explain;
pub mod form;
mod raw;
#[cfg(test)]
mod tests;
pub mod toml_error;
mod write;

/// The shipped default scheme (the example's values, without `title` and `year`).
pub const DEFAULT_TOML: &str = include_str!("default.toml");

/// The three tiers of agencies: one of the vocabulary's words.
pub use crate::vocab::Tier;

/// Where a component's score comes from: one of the vocabulary's words.
pub use crate::vocab::ComponentSource;

/// One component of the annual assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Stable key, e.g. `public`.
    pub key: String,
    /// Chinese label, also a header alias.
    pub label: String,
    /// Weight in the annual score.
    pub weight: Decimal,
    /// Further header aliases.
    pub aliases: Vec<String>,
    /// Where its score comes from: the return (the default), or computed by mofan from
    /// the ballots or the panel's score sheets imported for the campaign (§8).
    pub source: ComponentSource,
}

/// `[ballots]`: how satisfaction ballots (群众满意度测评) are counted (§8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BallotSettings {
    /// Each choice word and its points, in the order written ("满意" = 100, …).
    pub choices: Vec<(String, Decimal)>,
    /// Words that are answers but not valid ones ("不了解").
    pub not_counted: Vec<String>,
    /// Fewer valid answers than this: the score is missing.
    pub min_valid: u32,
    /// 回收 ÷ 发放 below this: the score is missing (units with 发放 counts only).
    pub min_return_rate: Decimal,
}

impl Default for BallotSettings {
    /// The defaults of the example scheme: 满意 100, 基本满意 80, 一般 60, 不满意 0;
    /// 不了解 and 不清楚 not counted; at least 30 valid answers; no return-rate floor.
    fn default() -> BallotSettings {
        BallotSettings {
            choices: [("满意", 100), ("基本满意", 80), ("一般", 60), ("不满意", 0)]
                .into_iter()
                .map(|(w, p)| (w.to_string(), Decimal::from(p)))
                .collect(),
            not_counted: vec!["不了解".to_string(), "不清楚".to_string()],
            min_valid: 30,
            min_return_rate: Decimal::ZERO,
        }
    }
}

/// The key by which two ballot words are the same word: full-width forms folded, white
/// space removed, ASCII case ignored ("满 意", "ＯＫ" and "ok" are one word each). The
/// scheme's choices must differ by it, and an answer in a ballot workbook is matched to a
/// choice by it.
pub fn choice_key(word: &str) -> String {
    crate::normalize::fold_width(word)
        .chars()
        .filter(|c| !crate::normalize::is_space(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `[panel]`: how the panel's scores (评委打分) are combined (§8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PanelSettings {
    /// Fewer scores for a unit than this: the score is missing. Exceeds `2 × trim`.
    pub min_judges: u32,
    /// How many highest and how many lowest scores are dropped.
    pub trim: u32,
}

impl Default for PanelSettings {
    /// At least 5 judges; the highest and the lowest score dropped.
    fn default() -> PanelSettings {
        PanelSettings {
            min_judges: 5,
            trim: 1,
        }
    }
}

/// `[publicity]`: the publicity (公示) before a naming is final (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PublicitySettings {
    /// Working days the proposed list is publicised for; 0: no publicity step, publishing
    /// needs none.
    pub working_days: u32,
}

impl Default for PublicitySettings {
    /// Five working days, the usual length of a 公示.
    fn default() -> PublicitySettings {
        PublicitySettings { working_days: 5 }
    }
}

/// `[ledger]`: the ledger's status words and its eligibility rules (docs/specification.md
/// §10). Read from the campaign of the year of the date in question
/// (`crate::ledger::settings_on`); the selection reads its own campaign's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerSettings {
    /// An item not done whose deadline is within this many days from the date (the
    /// deadline day and the last of these days included) is due soon (即将到期).
    pub warn_days: u32,
    /// Whether an agency with a problem overdue on the selection's reference date is
    /// ineligible.
    pub overdue_blocks_selection: bool,
    /// The kinds of accountability (问责) that, dated in the campaign year, make an agency
    /// ineligible.
    pub accountability_blocks: Vec<String>,
}

impl Default for LedgerSettings {
    /// Seven days' warning; overdue problems block; 通报, 改组 and 纪律处分 block.
    fn default() -> LedgerSettings {
        LedgerSettings {
            warn_days: 7,
            overdue_blocks_selection: true,
            accountability_blocks: crate::vocab::ACCOUNTABILITY_BLOCKS
                .iter()
                .map(|k| k.label().to_string())
                .collect(),
        }
    }
}

/// One veto (一票否决) item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Veto {
    /// Stable key.
    pub key: String,
    /// Chinese label, also a header alias.
    pub label: String,
    /// Further header aliases.
    pub aliases: Vec<String>,
}

/// What a missing component score does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// The return is ineligible ("缺少<label>").
    Ineligible,
    /// The annual score is re-weighted over the present components.
    Reweight,
}

/// How a percentage quota is rounded to whole seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rounding {
    /// Down.
    Floor,
    /// Half up.
    Round,
    /// Up.
    Ceil,
}

/// What a percentage quota is a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaBase {
    /// The pool's returns less those of agencies holding an award.
    Declared,
    /// The pool's eligible returns.
    Eligible,
}

/// A field a quota rule may split its pools by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One pool per region.
    Region,
    /// One pool per unit type.
    UnitType,
}

/// The size of a quota: a fixed count or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaSize {
    /// A fixed number of seats per pool.
    Count(u32),
    /// A percentage of the pool's base.
    Percent(Decimal),
}

/// One `[[quotas]]` rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaRule {
    /// The tier it applies to.
    pub tier: Tier,
    /// Unit types it applies to; `["*"]` for all.
    pub unit_types: Vec<String>,
    /// Pool split.
    pub group_by: Vec<GroupBy>,
    /// Count or percent.
    pub size: QuotaSize,
    /// Rounding of a percentage.
    pub rounding: Rounding,
    /// Base of a percentage.
    pub base: QuotaBase,
    /// Lower clamp.
    pub min: Option<u32>,
    /// Upper clamp.
    pub max: Option<u32>,
}

/// Thresholds for eligibility.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Thresholds {
    /// Minimum composite score.
    pub composite_min: Option<Decimal>,
    /// Minimum per component key.
    pub components: BTreeMap<String, Decimal>,
}

/// Settings of the periodic review (docs/specification.md §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewSettings {
    /// Years between reviews.
    pub cycle_years: u32,
    /// Composite needed to keep the title without rectification.
    pub retain_min: Decimal,
    /// Composite below which the title is revoked.
    pub revoke_below: Decimal,
    /// Months given to rectify.
    pub rectify_months: u32,
    /// Complaints that trigger a review.
    pub complaints_trigger: u32,
    /// Minimum share of problems fixed.
    pub rectification_rate_min: Decimal,
}

/// A validated scheme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheme {
    /// Title, e.g. "2026年度模范机关评选".
    pub title: Option<String>,
    /// The year the scheme was written for, if stated.
    pub year: Option<i32>,
    /// The title awarded, "模范机关".
    pub award_title: String,
    /// Canonical unit types.
    pub unit_types: Vec<String>,
    /// Alias → canonical unit type.
    pub unit_type_aliases: BTreeMap<String, String>,
    /// Tier words of the scheme's own (`[tier_aliases]`), added to the built-in ones.
    pub tier_aliases: BTreeMap<Tier, Vec<String>>,
    /// Share of the daily score in the composite.
    pub daily_share: Decimal,
    /// Header label of the daily score.
    pub daily_label: String,
    /// Header aliases of the daily score.
    pub daily_aliases: Vec<String>,
    /// Annual-assessment components.
    pub components: Vec<Component>,
    /// Missing-component policy.
    pub missing: MissingPolicy,
    /// Eligibility thresholds.
    pub thresholds: Thresholds,
    /// Veto items.
    pub vetoes: Vec<Veto>,
    /// Years after a revocation during which an agency may not be selected.
    pub cooldown_years: u32,
    /// Keys compared after the composite.
    pub tie_break: Vec<String>,
    /// Quota rules in order.
    pub quotas: Vec<QuotaRule>,
    /// Review settings.
    pub review: ReviewSettings,
    /// How ballots are counted, for components whose source is `ballots`.
    pub ballots: BallotSettings,
    /// How panel scores are combined, for components whose source is `panel`.
    pub panel: PanelSettings,
    /// The publicity before publishing.
    pub publicity: PublicitySettings,
    /// The ledger's settings.
    pub ledger: LedgerSettings,
}

/// One problem found in a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchemeIssue {
    /// Key path, e.g. `components[2].weight` (empty for a syntax error).
    pub key: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, for a text TOML cannot read (a syntax error or a
    /// value of the wrong kind); `None` for an issue of a setting, which is at its key.
    pub column: Option<usize>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for SchemeIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.key.is_empty()) {
            (Some(l), _) if self.column.is_some() => {
                let c = self.column.unwrap_or_default();
                write!(f, "第{l}行第{c}列：{}", self.message)
            }
            (Some(l), false) => write!(f, "第{l}行 {}：{}", self.key, self.message),
            (Some(l), true) => write!(f, "第{l}行：{}", self.message),
            (None, false) => write!(f, "{}：{}", self.key, self.message),
            (None, true) => f.write_str(&self.message),
        }
    }
}

/// A scheme that cannot be used.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("评选方案有误：{}", .issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("；"))]
pub struct SchemeError {
    /// Every problem found, in file order where known.
    pub issues: Vec<SchemeIssue>,
}

impl Coded for SchemeError {
    fn code(&self) -> &'static str {
        "scheme.invalid"
    }
}

impl Scheme {
    /// Parses and validates a scheme from TOML text.
    pub fn parse(text: &str) -> Result<Scheme, SchemeError> {
        raw::parse(text)
    }

    /// Every problem of the scheme, each at its key path (`components[2].weight`,
    /// `quotas[1].percent`) with the message [`Scheme::parse`] gives for the same value in
    /// a file; no line, since a value has none. Empty when the scheme can be used.
    pub fn check(&self) -> Vec<SchemeIssue> {
        let mut found = check::Found::default();
        check::check(self, &mut found);
        found.into_issues()
    }

    /// The shipped default scheme.
    pub fn default_scheme() -> Scheme {
        Scheme::parse(DEFAULT_TOML).expect("the shipped default scheme is valid")
    }

    /// The component with this key.
    pub fn component(&self, key: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.key == key)
    }

    /// The components mofan computes from ballots or panel sheets instead of reading
    /// them from returns.
    pub fn computed_components(&self) -> impl Iterator<Item = &Component> {
        self.components
            .iter()
            .filter(|c| c.source != ComponentSource::Return)
    }

    /// The canonical unit type for a declared one (itself or through an alias),
    /// compared after white-space normalisation.
    pub fn canonical_unit_type(&self, declared: &str) -> Option<&str> {
        // Without white space there is nothing to take out: compared as it is.
        let owned;
        let d = if declared.chars().any(char::is_whitespace) {
            owned = declared
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>();
            owned.as_str()
        } else {
            declared
        };
        if let Some(t) = self.unit_types.iter().find(|t| **t == d) {
            return Some(t);
        }
        self.unit_type_aliases
            .iter()
            .find(|(alias, _)| **alias == d)
            .map(|(_, t)| t.as_str())
    }

    /// The tier a declared word names: one of the scheme's `[tier_aliases]`, else a
    /// built-in tier word ([`crate::vocab::parse_tier`]), compared with width,
    /// spaces, bracket forms and ASCII case ignored. The scheme's own words come first, so
    /// a committee for which 区直 means its autonomous region's own agencies can list it
    /// under `province`.
    pub fn tier_of(&self, declared: &str) -> Option<Tier> {
        self.own_tier_of(declared).or_else(|| parse_tier(declared))
    }

    /// The tier a declared word names among the scheme's own `[tier_aliases]` only.
    pub fn own_tier_of(&self, declared: &str) -> Option<Tier> {
        if self.tier_aliases.is_empty() {
            return None;
        }
        let key = tier_key(declared);
        self.tier_aliases
            .iter()
            .find(|(_, words)| words.iter().any(|w| tier_key(w) == key))
            .map(|(tier, _)| *tier)
    }

    /// Keys allowed in `tie_break`.
    pub fn tie_break_keys(&self) -> BTreeSet<&str> {
        let mut keys: BTreeSet<&str> = self.components.iter().map(|c| c.key.as_str()).collect();
        keys.insert("daily");
        keys.insert("annual");
        keys
    }
}
