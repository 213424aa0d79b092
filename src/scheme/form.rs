//! The scheme as the desktop's 评选方案 form edits it, and its check.
//!
//! The form is the scheme with every number as the decimal text the clerk typed, so that
//! nothing is lost to floating point on the way and a half-typed number can be shown back.
//! [`SchemeForm::check`] reads the form into a [`Scheme`] — reporting a text that is not a
//! number or a word that names nothing at its field — and then runs [`Scheme::check`], the
//! same rules and messages as a scheme file gets. Each issue carries the key path the form
//! shows it at (`components[2].weight`, counted from 1).

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::check::{word_of, Found, BASE_WORDS, GROUP_BY_WORDS, MISSING_WORDS, P, ROUNDING_WORDS};
use super::{
    BallotSettings, Component, ComponentSource, LedgerSettings, MissingPolicy, PanelSettings,
    PublicitySettings, QuotaBase, QuotaRule, QuotaSize, ReviewSettings, Rounding, Scheme,
    SchemeError, SchemeIssue, Thresholds, Tier, Veto,
};
use crate::limits::scheme::{
    COMPLAINTS_TRIGGER, COOLDOWN_YEARS, CYCLE_YEARS, MIN_JUDGES, MIN_VALID, PUBLICITY_DAYS,
    RECTIFY_MONTHS, SEATS, TRIM, WARN_DAYS,
};

/// One component (考核项目) of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComponentForm {
    /// Identifier used by thresholds and the tie-break order.
    pub key: String,
    /// Header label.
    pub label: String,
    /// Weight (decimal text).
    pub weight: String,
    /// Further header aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where its score comes from: `return`, `ballots` or `panel`.
    pub source: String,
}

/// One choice word of the ballots and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChoiceForm {
    /// The word a ballot's answer is ("满意").
    pub word: String,
    /// Its points (decimal text, 0–100).
    pub points: String,
}

/// `[ballots]` in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BallotForm {
    /// The choice words and their points, in order.
    pub choices: Vec<ChoiceForm>,
    /// Answers that are not valid ones ("不了解").
    pub not_counted: Vec<String>,
    /// Valid answers a unit needs.
    pub min_valid: i64,
    /// 回收 ÷ 发放 a unit needs (decimal text, 0–1; the window shows a percentage).
    pub min_return_rate: String,
}

/// `[panel]` in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PanelForm {
    /// Scores a unit needs.
    pub min_judges: i64,
    /// Highest and lowest scores dropped, each.
    pub trim: i64,
}

/// `[publicity]` in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublicityForm {
    /// Working days of a publicity round (0: no publicity step).
    pub working_days: i64,
}

/// `[ledger]` in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerForm {
    /// Days ahead a deadline counts as due soon.
    pub warn_days: i64,
    /// Whether an overdue problem makes an agency ineligible.
    pub overdue_blocks_selection: bool,
    /// Kinds of accountability in the campaign year that make an agency ineligible.
    pub accountability_blocks: Vec<String>,
}

/// One veto item (一票否决) of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VetoForm {
    /// Identifier.
    pub key: String,
    /// Header label.
    pub label: String,
    /// Further header aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One quota rule of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuotaForm {
    /// `province`, `city` or `county`.
    pub tier: String,
    /// Unit types, or `["*"]`.
    pub unit_types: Vec<String>,
    /// `region` and/or `unit_type`.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// `count`; anything else is a percentage.
    pub size: String,
    /// The count or percentage (decimal text).
    pub value: String,
    /// `floor`, `round` or `ceil`.
    pub rounding: String,
    /// `declared` or `eligible`.
    pub base: String,
    /// Lower clamp.
    pub min: Option<i64>,
    /// Upper clamp.
    pub max: Option<i64>,
}

/// The review settings of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewForm {
    /// Years between reviews.
    pub cycle_years: i64,
    /// Composite to keep the title (decimal text).
    pub retain_min: String,
    /// Composite below which the title is revoked (decimal text).
    pub revoke_below: String,
    /// Months to rectify.
    pub rectify_months: i64,
    /// Complaints that trigger a review.
    pub complaints_trigger: i64,
    /// Share of problems fixed needed (decimal text, 0–1).
    pub rectification_rate_min: String,
}

/// The whole scheme as the form edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchemeForm {
    /// Title of the selection; empty for the default.
    pub title: Option<String>,
    /// The year the scheme was written for, if stated.
    pub year: Option<i32>,
    /// The title awarded.
    pub award_title: String,
    /// Canonical unit types.
    pub unit_types: Vec<String>,
    /// Alias → unit type.
    #[serde(default)]
    pub unit_type_aliases: BTreeMap<String, String>,
    /// Tier code (`province`, `city`, `county`) → the scheme's own tier words. The form
    /// has no editor for them yet; they are kept so that saving does not drop them.
    #[serde(default)]
    pub tier_aliases: BTreeMap<String, Vec<String>>,
    /// Share of the daily score (decimal text).
    pub daily_share: String,
    /// Header label of the daily score.
    pub daily_label: String,
    /// Further header aliases of the daily score.
    #[serde(default)]
    pub daily_aliases: Vec<String>,
    /// Components of the annual assessment.
    pub components: Vec<ComponentForm>,
    /// `ineligible` or `reweight`.
    pub missing: String,
    /// Minimum composite (decimal text); empty or absent for none.
    pub composite_min: Option<String>,
    /// Minimum per component key (decimal text); an empty text is no minimum.
    #[serde(default)]
    pub component_min: BTreeMap<String, String>,
    /// Veto items.
    pub vetoes: Vec<VetoForm>,
    /// Years after a revocation without selection.
    pub cooldown_years: i64,
    /// Keys compared after the composite.
    pub tie_break: Vec<String>,
    /// Quota rules in order.
    pub quotas: Vec<QuotaForm>,
    /// Review settings.
    pub review: ReviewForm,
    /// How ballots are counted (for components whose source is `ballots`).
    pub ballots: BallotForm,
    /// How panel scores are combined (for components whose source is `panel`).
    pub panel: PanelForm,
    /// The publicity before publishing.
    pub publicity: PublicityForm,
    /// The ledger's settings (a form saved before they existed has the defaults).
    #[serde(default = "LedgerForm::defaults")]
    pub ledger: LedgerForm,
}

impl LedgerForm {
    /// The form of [`LedgerSettings::default`].
    fn defaults() -> LedgerForm {
        LedgerForm::of(&LedgerSettings::default())
    }

    fn of(l: &LedgerSettings) -> LedgerForm {
        LedgerForm {
            warn_days: i64::from(l.warn_days),
            overdue_blocks_selection: l.overdue_blocks_selection,
            accountability_blocks: l.accountability_blocks.clone(),
        }
    }
}

/// A checked form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checked {
    /// The scheme's TOML, when the form has no issue.
    pub toml: Option<String>,
    /// Every problem, at its key path, without a line.
    pub issues: Vec<SchemeIssue>,
    /// The exact sum of the weights as decimal text ("1.01"), shown under the weights;
    /// `None` while a weight is not a number.
    pub weight_sum: Option<String>,
}

fn text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A decimal text as the form holds it, trimmed; `None` when it is not a number.
fn number(s: &str) -> Option<Decimal> {
    Decimal::from_str(s.trim()).ok()
}

/// The non-empty texts of a list, trimmed.
fn clean(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A decimal field; an issue at it when it is empty or not a number.
fn decimal(f: &mut Found, path: &P, s: &str) -> Decimal {
    number(s).unwrap_or_else(|| {
        let t = s.trim();
        let message = if t.is_empty() {
            "请填写数值".to_string()
        } else {
            format!("“{t}”不是数字")
        };
        f.push(path, message);
        Decimal::ZERO
    })
}

impl SchemeForm {
    /// The form of a scheme.
    pub fn of(s: &Scheme) -> SchemeForm {
        SchemeForm {
            title: s.title.clone(),
            year: s.year,
            award_title: s.award_title.clone(),
            unit_types: s.unit_types.clone(),
            unit_type_aliases: s.unit_type_aliases.clone(),
            tier_aliases: s
                .tier_aliases
                .iter()
                .map(|(tier, words)| (tier.as_str().to_string(), words.clone()))
                .collect(),
            daily_share: text(s.daily_share),
            daily_label: s.daily_label.clone(),
            daily_aliases: s.daily_aliases.clone(),
            components: s
                .components
                .iter()
                .map(|c| ComponentForm {
                    key: c.key.clone(),
                    label: c.label.clone(),
                    weight: text(c.weight),
                    aliases: c.aliases.clone(),
                    source: c.source.as_str().into(),
                })
                .collect(),
            missing: word_of(&MISSING_WORDS, s.missing).into(),
            composite_min: s.thresholds.composite_min.map(text),
            component_min: s
                .thresholds
                .components
                .iter()
                .map(|(k, v)| (k.clone(), text(*v)))
                .collect(),
            vetoes: s
                .vetoes
                .iter()
                .map(|v| VetoForm {
                    key: v.key.clone(),
                    label: v.label.clone(),
                    aliases: v.aliases.clone(),
                })
                .collect(),
            cooldown_years: i64::from(s.cooldown_years),
            tie_break: s.tie_break.clone(),
            quotas: s.quotas.iter().map(quota_form).collect(),
            review: ReviewForm {
                cycle_years: i64::from(s.review.cycle_years),
                retain_min: text(s.review.retain_min),
                revoke_below: text(s.review.revoke_below),
                rectify_months: i64::from(s.review.rectify_months),
                complaints_trigger: i64::from(s.review.complaints_trigger),
                rectification_rate_min: text(s.review.rectification_rate_min),
            },
            ballots: BallotForm {
                choices: s
                    .ballots
                    .choices
                    .iter()
                    .map(|(word, points)| ChoiceForm {
                        word: word.clone(),
                        points: text(*points),
                    })
                    .collect(),
                not_counted: s.ballots.not_counted.clone(),
                min_valid: i64::from(s.ballots.min_valid),
                min_return_rate: text(s.ballots.min_return_rate),
            },
            panel: PanelForm {
                min_judges: i64::from(s.panel.min_judges),
                trim: i64::from(s.panel.trim),
            },
            publicity: PublicityForm {
                working_days: i64::from(s.publicity.working_days),
            },
            ledger: LedgerForm::of(&s.ledger),
        }
    }

    /// The scheme the form describes, unchecked, or the fields that are not numbers or
    /// known words (the rules are [`Scheme::check`]'s).
    pub fn read(&self) -> Result<Scheme, Vec<SchemeIssue>> {
        let mut f = Found::default();
        let scheme = self.read_into(&mut f);
        if f.is_empty() {
            Ok(scheme)
        } else {
            Err(f.into_issues())
        }
    }

    /// Checks the form: the fields that cannot be read, else every rule of the scheme.
    /// A field that is not a number stops before the rules, which would otherwise report
    /// what its stand-in value breaks (a sum, a retain line) at other fields.
    pub fn check(&self) -> Checked {
        let weight_sum = self
            .components
            .iter()
            .map(|c| number(&c.weight))
            .sum::<Option<Decimal>>()
            .map(text);
        let (toml, issues) = match self.read() {
            Err(issues) => (None, issues),
            Ok(scheme) => {
                let issues = scheme.check();
                (issues.is_empty().then(|| scheme.to_toml()), issues)
            }
        };
        Checked {
            toml,
            issues,
            weight_sum,
        }
    }

    /// The scheme of a form without issues, else every issue.
    pub fn scheme(&self) -> Result<Scheme, SchemeError> {
        let scheme = self.read().map_err(|issues| SchemeError { issues })?;
        match scheme.check() {
            issues if issues.is_empty() => Ok(scheme),
            issues => Err(SchemeError { issues }),
        }
    }

    /// The TOML of a form without issues, else every issue.
    pub fn to_toml(&self) -> Result<String, SchemeError> {
        self.scheme().map(|s| s.to_toml())
    }

    fn read_into(&self, f: &mut Found) -> Scheme {
        let components = self
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| Component {
                key: c.key.trim().to_string(),
                label: c.label.trim().to_string(),
                weight: decimal(f, &P::k("components").i(i).key("weight"), &c.weight),
                aliases: clean(&c.aliases),
                source: f
                    .source(&P::k("components").i(i).key("source"), c.source.trim())
                    .unwrap_or(ComponentSource::Return),
            })
            .collect();
        let mut tier_aliases = BTreeMap::new();
        for (code, words) in &self.tier_aliases {
            if let Some(tier) = f.tier(&P::k("tier_aliases").key(code), code) {
                let words = words.iter().map(|w| w.trim().to_string()).collect();
                tier_aliases.insert(tier, words);
            }
        }
        let at = P::k("thresholds");
        let thresholds = Thresholds {
            composite_min: self
                .composite_min
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| decimal(f, &at.key("composite_min"), s)),
            components: self
                .component_min
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), decimal(f, &at.key("components").key(k), v)))
                .collect(),
        };
        let quotas = self
            .quotas
            .iter()
            .enumerate()
            .map(|(i, q)| read_quota(f, &P::k("quotas").i(i), q))
            .collect();
        let r = &self.review;
        let at = P::k("review");
        let review = ReviewSettings {
            cycle_years: whole(f, &at.key("cycle_years"), r.cycle_years, CYCLE_YEARS),
            retain_min: decimal(f, &at.key("retain_min"), &r.retain_min),
            revoke_below: decimal(f, &at.key("revoke_below"), &r.revoke_below),
            rectify_months: whole(
                f,
                &at.key("rectify_months"),
                r.rectify_months,
                RECTIFY_MONTHS,
            ),
            complaints_trigger: whole(
                f,
                &at.key("complaints_trigger"),
                r.complaints_trigger,
                COMPLAINTS_TRIGGER,
            ),
            rectification_rate_min: decimal(
                f,
                &at.key("rectification_rate_min"),
                &r.rectification_rate_min,
            ),
        };
        Scheme {
            title: self
                .title
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
            year: self.year,
            award_title: self.award_title.trim().to_string(),
            unit_types: clean(&self.unit_types),
            unit_type_aliases: self
                .unit_type_aliases
                .iter()
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .collect(),
            tier_aliases,
            daily_share: decimal(f, &P::k("composite").key("daily_share"), &self.daily_share),
            daily_label: self.daily_label.trim().to_string(),
            daily_aliases: clean(&self.daily_aliases),
            components,
            missing: f
                .missing(&P::k("missing"), &self.missing)
                .unwrap_or(MissingPolicy::Ineligible),
            thresholds,
            vetoes: self
                .vetoes
                .iter()
                .map(|v| Veto {
                    key: v.key.trim().to_string(),
                    label: v.label.trim().to_string(),
                    aliases: clean(&v.aliases),
                })
                .collect(),
            cooldown_years: whole(
                f,
                &P::k("cooldown_years"),
                self.cooldown_years,
                COOLDOWN_YEARS,
            ),
            tie_break: clean(&self.tie_break),
            quotas,
            review,
            ballots: self.ballots.read(f),
            panel: PanelSettings {
                min_judges: whole(
                    f,
                    &P::k("panel").key("min_judges"),
                    self.panel.min_judges,
                    MIN_JUDGES,
                ),
                trim: whole(f, &P::k("panel").key("trim"), self.panel.trim, TRIM),
            },
            publicity: PublicitySettings {
                working_days: whole(
                    f,
                    &P::k("publicity").key("working_days"),
                    self.publicity.working_days,
                    PUBLICITY_DAYS,
                ),
            },
            ledger: LedgerSettings {
                warn_days: whole(
                    f,
                    &P::k("ledger").key("warn_days"),
                    self.ledger.warn_days,
                    WARN_DAYS,
                ),
                overdue_blocks_selection: self.ledger.overdue_blocks_selection,
                accountability_blocks: clean(&self.ledger.accountability_blocks),
            },
        }
    }
}

impl BallotForm {
    /// The settings the form describes. Every row of the choices table is kept, a blank
    /// one included, so that an issue's index (`ballots.choices[2]`) is the row the clerk
    /// sees; blank words not counted are dropped like blank aliases.
    fn read(&self, f: &mut Found) -> BallotSettings {
        let at = P::k("ballots");
        BallotSettings {
            choices: self
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let points = decimal(f, &at.key("choices").i(i), &c.points);
                    (c.word.trim().to_string(), points)
                })
                .collect(),
            not_counted: clean(&self.not_counted),
            min_valid: whole(f, &at.key("min_valid"), self.min_valid, MIN_VALID),
            min_return_rate: decimal(f, &at.key("min_return_rate"), &self.min_return_rate),
        }
    }
}

/// A whole-number field; a value its type cannot hold is reported with its range (a value
/// it can hold is held to the range by the check) and read as 0.
fn whole(f: &mut Found, path: &P, n: i64, range: (i64, i64)) -> u32 {
    f.whole(path, n, range).unwrap_or(0)
}

fn quota_form(q: &QuotaRule) -> QuotaForm {
    let (size, value) = match q.size {
        QuotaSize::Count(n) => ("count", n.to_string()),
        QuotaSize::Percent(p) => ("percent", text(p)),
    };
    QuotaForm {
        tier: q.tier.as_str().into(),
        unit_types: q.unit_types.clone(),
        group_by: q
            .group_by
            .iter()
            .map(|g| word_of(&GROUP_BY_WORDS, *g).to_string())
            .collect(),
        size: size.into(),
        value,
        rounding: word_of(&ROUNDING_WORDS, q.rounding).into(),
        base: word_of(&BASE_WORDS, q.base).into(),
        min: q.min.map(i64::from),
        max: q.max.map(i64::from),
    }
}

fn read_quota(f: &mut Found, path: &P, q: &QuotaForm) -> QuotaRule {
    let size = if q.size == "count" {
        let at = path.key("count");
        let n = q.value.trim().parse::<i64>().unwrap_or_else(|_| {
            f.push(&at, format!("“{}”不是整数", q.value.trim()));
            0
        });
        QuotaSize::Count(whole(f, &at, n, SEATS))
    } else {
        QuotaSize::Percent(decimal(f, &path.key("percent"), &q.value))
    };
    let seats = |f: &mut Found, key: &str, n: Option<i64>| {
        n.and_then(|n| f.whole(&path.key(key), n, SEATS))
    };
    QuotaRule {
        tier: f.tier(&path.key("tier"), &q.tier).unwrap_or(Tier::Province),
        unit_types: clean(&q.unit_types),
        group_by: f.group_by(&path.key("group_by"), &q.group_by),
        size,
        rounding: f
            .rounding(&path.key("rounding"), &q.rounding)
            .unwrap_or(Rounding::Floor),
        base: f
            .base(&path.key("base"), &q.base)
            .unwrap_or(QuotaBase::Declared),
        min: seats(f, "min", q.min),
        max: seats(f, "max", q.max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_form() -> SchemeForm {
        SchemeForm::of(&Scheme::default_scheme())
    }

    fn at<'a>(issues: &'a [SchemeIssue], key: &str) -> Vec<&'a str> {
        issues
            .iter()
            .filter(|i| i.key == key)
            .map(|i| i.message.as_str())
            .collect()
    }

    #[test]
    fn the_default_scheme_round_trips_through_the_form() {
        let s = Scheme::default_scheme();
        let f = SchemeForm::of(&s);
        assert_eq!(f.components[0].weight, "0.05");
        assert_eq!(f.quotas[2].size, "count");
        assert_eq!(f.quotas[2].value, "2");
        assert_eq!(f.read().unwrap(), s);
        let c = f.check();
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        assert_eq!(c.weight_sum.as_deref(), Some("1"));
        assert_eq!(Scheme::parse(&c.toml.unwrap()).unwrap(), s);
        assert_eq!(f.to_toml().unwrap(), s.to_toml());
    }

    #[test]
    fn issues_are_the_cores_at_the_fields_key_paths() {
        let mut f = default_form();
        f.components[1].weight = "0.11".into();
        f.components[2].key = "Org".into();
        f.daily_share = "1.3".into();
        f.component_min = BTreeMap::from([
            ("public".to_string(), "190".to_string()),
            ("nope".to_string(), "80".to_string()),
        ]);
        f.tie_break = vec!["public".into(), "nope".into()];
        f.quotas[0].size = "percent".into();
        f.quotas[0].value = "150".into();
        f.quotas[0].min = Some(3);
        f.quotas[0].max = Some(1);
        f.review.retain_min = "70".into();
        let c = f.check();
        assert!(c.toml.is_none());
        assert_eq!(c.weight_sum.as_deref(), Some("1.01"));
        let i = &c.issues;
        assert_eq!(at(i, "components"), ["各考核项目权重之和应为1，实为 1.01"]);
        assert_eq!(
            at(i, "components[3].key"),
            ["键 “Org” 只能用小写英文字母、数字和下划线，并以字母开头"]
        );
        assert_eq!(
            at(i, "composite.daily_share"),
            ["日常考核占比 1.3 应在 0–1 之间"]
        );
        assert_eq!(
            at(i, "thresholds.components.public"),
            ["分数 190 不在 0–100 之间"]
        );
        assert_eq!(
            at(i, "thresholds.components.nope"),
            ["“nope” 不是考核项目的键"]
        );
        assert_eq!(at(i, "tie_break[2]").len(), 1);
        assert!(at(i, "tie_break[2]")[0].starts_with("“nope” 不是可用的排序键"));
        assert_eq!(
            at(i, "quotas[1].percent"),
            ["比例 150 应在 0–100 之间（不含0）"]
        );
        assert_eq!(at(i, "quotas[1].min"), ["min 3 大于 max 1"]);
        assert_eq!(
            at(i, "review.revoke_below"),
            ["撤销线 75 不能高于保留线 70"]
        );
        assert!(i.iter().all(|i| i.line.is_none()));
        // The same issues as the scheme file that the form describes gives.
        let file: Vec<SchemeIssue> = Scheme::parse(&f.read().unwrap().to_toml())
            .unwrap_err()
            .issues
            .into_iter()
            .map(|i| SchemeIssue {
                line: None,
                column: None,
                ..i
            })
            .collect();
        let key = |i: &SchemeIssue| (i.key.clone(), i.message.clone());
        let mut by_form: Vec<_> = i.iter().map(key).collect();
        let mut by_file: Vec<_> = file.iter().map(key).collect();
        by_form.sort();
        by_file.sort();
        assert_eq!(by_form, by_file);
    }

    #[test]
    fn keys_are_checked_across_components_and_vetoes() {
        let mut f = default_form();
        f.vetoes[0].key = "self".into();
        f.vetoes[0].label = " ".into();
        f.components[0].weight = "0.05001".into();
        f.components[1].weight = "0.09999".into();
        f.components[4].key = "daily".into();
        let i = f.check().issues;
        assert_eq!(at(&i, "vetoes[1].key"), ["键 “self” 重复"]);
        assert_eq!(at(&i, "vetoes[1].label"), ["名称不能为空"]);
        assert_eq!(at(&i, "components[1].weight"), ["0.05001 超过4位小数"]);
        assert_eq!(at(&i, "components[5].key"), ["键 “daily” 是保留字"]);
        assert!(at(&i, "components").is_empty(), "the weights sum to 1");
    }

    #[test]
    fn a_field_that_cannot_be_read_stops_before_the_rules() {
        let mut f = default_form();
        f.components[1].weight = "0.11".into();
        f.daily_share = "abc".into();
        let c = f.check();
        assert!(c.toml.is_none());
        assert_eq!(
            c.issues,
            [SchemeIssue {
                key: "composite.daily_share".into(),
                line: None,
                column: None,
                message: "“abc”不是数字".into(),
            }],
            "the weight sum is not checked while a field is not a number"
        );
        assert_eq!(c.weight_sum.as_deref(), Some("1.01"));
        f.daily_share = "0.3".into();
        f.review.rectification_rate_min = " ".into();
        f.quotas[2].value = "两".into();
        f.components[0].weight = "x".into();
        let c = f.check();
        assert_eq!(c.weight_sum, None);
        assert_eq!(
            c.issues
                .iter()
                .map(|i| (i.key.as_str(), i.message.as_str()))
                .collect::<Vec<_>>(),
            [
                ("components[1].weight", "“x”不是数字"),
                ("quotas[3].count", "“两”不是整数"),
                ("review.rectification_rate_min", "请填写数值"),
            ]
        );
    }

    #[test]
    fn whole_numbers_the_field_cannot_hold_get_the_range_message() {
        let mut f = default_form();
        f.quotas[0].min = Some(-1);
        f.cooldown_years = -1;
        let i = f.check().issues;
        assert_eq!(at(&i, "quotas[1].min"), ["-1 应为 0–10000 之间的整数"]);
        assert_eq!(at(&i, "cooldown_years"), ["-1 应为 0–20 之间的整数"]);
        // The same message as a number the field holds but the range refuses.
        let mut f = default_form();
        f.cooldown_years = 21;
        assert_eq!(
            at(&f.check().issues, "cooldown_years"),
            ["21 应为 0–20 之间的整数"]
        );
    }

    #[test]
    fn zero_percent_is_refused_and_count_zero_accepted() {
        let mut f = default_form();
        f.quotas[0].size = "percent".into();
        f.quotas[0].value = "0".into();
        assert_eq!(
            at(&f.check().issues, "quotas[1].percent"),
            ["比例 0 应在 0–100 之间（不含0）"]
        );
        f.quotas[0].size = "count".into();
        assert!(f.check().issues.is_empty());
    }

    #[test]
    fn words_that_name_nothing_are_reported_at_their_field() {
        let mut f = default_form();
        f.quotas[0].rounding = "up".into();
        f.quotas[1].group_by = vec!["city".into()];
        f.missing = "skip".into();
        f.tier_aliases.insert("town".into(), vec!["乡镇".into()]);
        let i = f.check().issues;
        assert_eq!(
            at(&i, "quotas[1].rounding"),
            ["取整方式 “up” 无效，应为 floor、round 或 ceil"]
        );
        assert_eq!(
            at(&i, "quotas[2].group_by[1]"),
            ["分组 “city” 无效，只能是 \"region\" 和/或 \"unit_type\""]
        );
        assert_eq!(
            at(&i, "missing"),
            ["“skip” 无效，应为 \"ineligible\" 或 \"reweight\""]
        );
        assert_eq!(
            at(&i, "tier_aliases.town"),
            ["层级 “town” 无效，应为 province、city 或 county"]
        );
    }

    #[test]
    fn blanks_and_the_kept_tier_words() {
        let mut f = default_form();
        f.award_title = " ".into();
        f.daily_label = String::new();
        f.composite_min = Some(" ".into());
        f.component_min.insert("public".into(), String::new());
        f.tier_aliases
            .insert("county".into(), vec![" 旗直 ".into()]);
        let c = f.check();
        assert_eq!(at(&c.issues, "award_title"), ["称号不能为空"]);
        assert_eq!(at(&c.issues, "composite.daily_label"), ["名称不能为空"]);
        f.award_title = "模范机关".into();
        f.daily_label = "日常考核".into();
        let s = f.scheme().unwrap();
        assert_eq!(s.thresholds.composite_min, None, "a blank minimum is none");
        assert!(!s.thresholds.components.contains_key("public"));
        assert_eq!(s.tier_aliases[&Tier::County], ["旗直"]);
        assert_eq!(Scheme::parse(&f.to_toml().unwrap()).unwrap(), s);
    }

    #[test]
    fn computed_components_and_their_settings_round_trip_through_the_form() {
        let s = Scheme::parse(include_str!("../../tests/fixtures/scheme.computed.toml")).unwrap();
        let f = SchemeForm::of(&s);
        let sources: Vec<&str> = f.components.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(sources, ["return", "return", "panel", "ballots", "return"]);
        assert_eq!(
            f.ballots.choices[1],
            ChoiceForm {
                word: "比较满意".into(),
                points: "85".into()
            }
        );
        assert_eq!(f.ballots.min_return_rate, "0.6");
        assert_eq!(
            f.panel,
            PanelForm {
                min_judges: 7,
                trim: 2
            }
        );
        assert_eq!(f.read().unwrap(), s);
        let c = f.check();
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        assert_eq!(Scheme::parse(&c.toml.unwrap()).unwrap(), s);
        // The default scheme's form carries the default settings.
        let d = default_form();
        assert!(d.components.iter().all(|c| c.source == "return"));
        assert_eq!(d.ballots.choices.len(), 4);
        assert_eq!(
            d.panel,
            PanelForm {
                min_judges: 5,
                trim: 1
            }
        );
    }

    #[test]
    fn the_new_settings_are_checked_at_their_fields() {
        let mut f = default_form();
        f.components[3].source = "vote".into();
        let i = f.check().issues;
        assert_eq!(
            at(&i, "components[4].source"),
            ["来源 “vote” 无效，应为 return、ballots 或 panel"]
        );
        let mut f = default_form();
        f.components[3].source = "ballots".into();
        f.ballots.choices[1].points = "八十".into();
        f.ballots.min_return_rate = String::new();
        let i = f.check().issues;
        assert_eq!(at(&i, "ballots.choices[2]"), ["“八十”不是数字"]);
        assert_eq!(at(&i, "ballots.min_return_rate"), ["请填写数值"]);
        let mut f = default_form();
        f.ballots.choices[1].word = " 满意".into();
        f.ballots.choices.push(ChoiceForm {
            word: String::new(),
            points: "10".into(),
        });
        f.ballots.not_counted = vec!["不了解".into(), "一般".into(), " ".into()];
        f.ballots.min_valid = 0;
        f.ballots.min_return_rate = "1.5".into();
        f.panel = PanelForm {
            min_judges: 6,
            trim: 3,
        };
        let c = f.check();
        assert!(c.toml.is_none());
        let i = &c.issues;
        assert_eq!(at(i, "ballots.choices[2]"), ["选项 “满意” 重复"]);
        assert_eq!(at(i, "ballots.choices[5]"), ["选项不能为空"]);
        assert_eq!(
            at(i, "ballots.not_counted[2]"),
            ["“一般” 已是计分选项，不能同时列为不计票的答案"]
        );
        assert_eq!(at(i, "ballots.min_valid"), ["0 应为 1–100000 之间的整数"]);
        assert_eq!(
            at(i, "ballots.min_return_rate"),
            ["回收率 1.5 应在 0–1 之间"]
        );
        assert_eq!(
            at(i, "panel.min_judges"),
            ["min_judges 须大于 2 × trim（当前 trim = 3，min_judges 至少为 7）"]
        );
        assert_eq!(i.len(), 6, "{i:?}");
        let mut f = default_form();
        f.panel.trim = -1;
        assert_eq!(
            at(&f.check().issues, "panel.trim"),
            ["-1 应为 0–99 之间的整数"]
        );
    }
}
