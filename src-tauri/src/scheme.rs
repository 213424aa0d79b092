//! 评选方案: the campaign's scheme as an editable form, checked by the core.
//!
//! The form is the scheme with every number as its exact decimal text. Checking turns the
//! form into a [`Scheme`], writes it as TOML ([`Scheme::to_toml`]) and parses that text
//! with the core ([`Scheme::parse`]), so every rule and message is the core's; each issue
//! carries the core's key path ("components[2].weight"), which the window shows at the
//! field. Saving stores the checked TOML ([`mofan::campaign::set_scheme`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;

use mofan::campaign::{self, CampaignSummary};
use mofan::scheme::{
    Component, GroupBy, MissingPolicy, QuotaBase, QuotaRule, QuotaSize, ReviewSettings, Rounding,
    Scheme, SchemeIssue, Thresholds, Tier, Veto,
};
use mofan::store::Store;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{lock, CommandError};

/// One component of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentForm {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Weight (decimal text).
    pub weight: String,
    /// Header aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One veto item of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VetoForm {
    /// Key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Header aliases.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One quota rule of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaForm {
    /// `province`, `city` or `county`.
    pub tier: String,
    /// Unit types, or `["*"]`.
    pub unit_types: Vec<String>,
    /// `region` and/or `unit_type`.
    #[serde(default)]
    pub group_by: Vec<String>,
    /// `count` or `percent`.
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
pub struct SchemeForm {
    /// Title.
    pub title: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// The title awarded.
    pub award_title: String,
    /// Unit types.
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
    /// Label of the daily score.
    pub daily_label: String,
    /// Aliases of the daily score.
    #[serde(default)]
    pub daily_aliases: Vec<String>,
    /// Components.
    pub components: Vec<ComponentForm>,
    /// `ineligible` or `reweight`.
    pub missing: String,
    /// Minimum composite (decimal text), if any.
    pub composite_min: Option<String>,
    /// Minimum per component key (decimal text).
    #[serde(default)]
    pub component_min: BTreeMap<String, String>,
    /// Veto items.
    pub vetoes: Vec<VetoForm>,
    /// Years after a revocation without selection.
    pub cooldown_years: i64,
    /// Tie-break keys.
    pub tie_break: Vec<String>,
    /// Quota rules.
    pub quotas: Vec<QuotaForm>,
    /// Review settings.
    pub review: ReviewForm,
}

fn text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The form of a scheme.
pub fn form_of(s: &Scheme) -> SchemeForm {
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
            })
            .collect(),
        missing: match s.missing {
            MissingPolicy::Ineligible => "ineligible",
            MissingPolicy::Reweight => "reweight",
        }
        .into(),
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
        quotas: s
            .quotas
            .iter()
            .map(|q| {
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
                        .map(|g| match g {
                            GroupBy::Region => "region".to_string(),
                            GroupBy::UnitType => "unit_type".to_string(),
                        })
                        .collect(),
                    size: size.into(),
                    value,
                    rounding: match q.rounding {
                        Rounding::Floor => "floor",
                        Rounding::Round => "round",
                        Rounding::Ceil => "ceil",
                    }
                    .into(),
                    base: match q.base {
                        QuotaBase::Declared => "declared",
                        QuotaBase::Eligible => "eligible",
                    }
                    .into(),
                    min: q.min.map(i64::from),
                    max: q.max.map(i64::from),
                }
            })
            .collect(),
        review: ReviewForm {
            cycle_years: i64::from(s.review.cycle_years),
            retain_min: text(s.review.retain_min),
            revoke_below: text(s.review.revoke_below),
            rectify_months: i64::from(s.review.rectify_months),
            complaints_trigger: i64::from(s.review.complaints_trigger),
            rectification_rate_min: text(s.review.rectification_rate_min),
        },
    }
}

/// Turns the form's texts into values, collecting an issue per field that is not a number
/// or not a known word (the core checks everything else).
struct Reader {
    issues: Vec<SchemeIssue>,
}

impl Reader {
    fn issue(&mut self, key: String, message: String) {
        self.issues.push(SchemeIssue {
            key,
            line: None,
            message,
        });
    }

    fn decimal(&mut self, key: impl Into<String>, s: &str) -> Decimal {
        let t = s.trim();
        match Decimal::from_str(t) {
            Ok(d) => d,
            Err(_) => {
                let msg = if t.is_empty() {
                    "请填写数值".to_string()
                } else {
                    format!("“{t}”不是数字")
                };
                self.issue(key.into(), msg);
                Decimal::ZERO
            }
        }
    }

    fn count(&mut self, key: impl Into<String>, n: i64) -> u32 {
        u32::try_from(n).unwrap_or_else(|_| {
            self.issue(key.into(), format!("{n} 应为不小于0的整数"));
            0
        })
    }

    fn word<T: Copy>(&mut self, key: String, s: &str, words: &[(&str, T)], default: T) -> T {
        match words.iter().find(|(w, _)| *w == s) {
            Some((_, v)) => *v,
            None => {
                self.issue(key, format!("“{s}”不是可选的值"));
                default
            }
        }
    }
}

fn clean(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The scheme a form describes, unchecked, or the fields that are not numbers or words.
pub fn scheme_of(f: &SchemeForm) -> Result<Scheme, Vec<SchemeIssue>> {
    let mut r = Reader { issues: Vec::new() };
    let components = f
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| Component {
            key: c.key.trim().to_string(),
            label: c.label.trim().to_string(),
            weight: r.decimal(format!("components[{}].weight", i + 1), &c.weight),
            aliases: clean(&c.aliases),
        })
        .collect();
    let quotas = f
        .quotas
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let at = |k: &str| format!("quotas[{}].{k}", i + 1);
            let tier = r.word(
                at("tier"),
                &q.tier,
                &[
                    ("province", Tier::Province),
                    ("city", Tier::City),
                    ("county", Tier::County),
                ],
                Tier::Province,
            );
            let size = if q.size == "count" {
                let n = q.value.trim().parse::<i64>().unwrap_or_else(|_| {
                    r.issue(at("count"), format!("“{}”不是整数", q.value.trim()));
                    0
                });
                QuotaSize::Count(r.count(at("count"), n))
            } else {
                QuotaSize::Percent(r.decimal(at("percent"), &q.value))
            };
            let group_by = q
                .group_by
                .iter()
                .map(|g| {
                    r.word(
                        at("group_by"),
                        g,
                        &[
                            ("region", GroupBy::Region),
                            ("unit_type", GroupBy::UnitType),
                        ],
                        GroupBy::Region,
                    )
                })
                .collect();
            QuotaRule {
                tier,
                unit_types: clean(&q.unit_types),
                group_by,
                size,
                rounding: r.word(
                    at("rounding"),
                    &q.rounding,
                    &[
                        ("floor", Rounding::Floor),
                        ("round", Rounding::Round),
                        ("ceil", Rounding::Ceil),
                    ],
                    Rounding::Floor,
                ),
                base: r.word(
                    at("base"),
                    &q.base,
                    &[
                        ("declared", QuotaBase::Declared),
                        ("eligible", QuotaBase::Eligible),
                    ],
                    QuotaBase::Declared,
                ),
                min: q.min.map(|n| r.count(at("min"), n)),
                max: q.max.map(|n| r.count(at("max"), n)),
            }
        })
        .collect();
    let tier_aliases = f
        .tier_aliases
        .iter()
        .map(|(code, words)| {
            let tier = r.word(
                format!("tier_aliases.{code}"),
                code,
                &[
                    ("province", Tier::Province),
                    ("city", Tier::City),
                    ("county", Tier::County),
                ],
                Tier::County,
            );
            (tier, words.clone())
        })
        .collect();
    let thresholds = Thresholds {
        composite_min: f
            .composite_min
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| r.decimal("thresholds.composite_min", s)),
        components: f
            .component_min
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| {
                let d = r.decimal(format!("thresholds.components.{k}"), v);
                (k.clone(), d)
            })
            .collect(),
    };
    let review = ReviewSettings {
        cycle_years: r.count("review.cycle_years", f.review.cycle_years),
        retain_min: r.decimal("review.retain_min", &f.review.retain_min),
        revoke_below: r.decimal("review.revoke_below", &f.review.revoke_below),
        rectify_months: r.count("review.rectify_months", f.review.rectify_months),
        complaints_trigger: r.count("review.complaints_trigger", f.review.complaints_trigger),
        rectification_rate_min: r.decimal(
            "review.rectification_rate_min",
            &f.review.rectification_rate_min,
        ),
    };
    let scheme = Scheme {
        title: f
            .title
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from),
        year: f.year,
        award_title: f.award_title.trim().to_string(),
        unit_types: clean(&f.unit_types),
        unit_type_aliases: f
            .unit_type_aliases
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .filter(|(k, _)| !k.is_empty())
            .collect(),
        tier_aliases,
        daily_share: r.decimal("composite.daily_share", &f.daily_share),
        daily_label: f.daily_label.trim().to_string(),
        daily_aliases: clean(&f.daily_aliases),
        components,
        missing: r.word(
            "missing".into(),
            &f.missing,
            &[
                ("ineligible", MissingPolicy::Ineligible),
                ("reweight", MissingPolicy::Reweight),
            ],
            MissingPolicy::Ineligible,
        ),
        thresholds,
        vetoes: f
            .vetoes
            .iter()
            .map(|v| Veto {
                key: v.key.trim().to_string(),
                label: v.label.trim().to_string(),
                aliases: clean(&v.aliases),
            })
            .collect(),
        cooldown_years: r.count("cooldown_years", f.cooldown_years),
        tie_break: clean(&f.tie_break),
        quotas,
        review,
    };
    if r.issues.is_empty() {
        Ok(scheme)
    } else {
        Err(r.issues)
    }
}

/// A checked form: its TOML when valid, else every issue (key path and message; the line
/// numbers of the generated text mean nothing to the form and are dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// The scheme's TOML, when valid.
    pub toml: Option<String>,
    /// Every problem.
    pub issues: Vec<SchemeIssue>,
}

/// Checks a form with the core's rules.
pub fn check(f: &SchemeForm) -> Checked {
    let scheme = match scheme_of(f) {
        Ok(s) => s,
        Err(issues) => return Checked { toml: None, issues },
    };
    let toml = scheme.to_toml();
    match Scheme::parse(&toml) {
        Ok(_) => Checked {
            toml: Some(toml),
            issues: Vec::new(),
        },
        Err(e) => Checked {
            toml: None,
            issues: e
                .issues
                .into_iter()
                .map(|i| SchemeIssue { line: None, ..i })
                .collect(),
        },
    }
}

fn invalid(issues: Vec<SchemeIssue>) -> CommandError {
    CommandError::from_core(mofan::scheme::SchemeError { issues })
}

/// The campaign's scheme as a form, with its stored text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemeView {
    /// The form.
    pub form: SchemeForm,
    /// The stored TOML.
    pub toml: String,
    /// The campaign's summary (status, returns).
    pub campaign: CampaignSummary,
}

/// The scheme of campaign `year`.
pub fn load(store: &Mutex<Store>, year: i32) -> Result<SchemeView, CommandError> {
    let toml = crate::results::scheme_text(store, year)?;
    let campaign = crate::list_campaigns(store)?
        .into_iter()
        .find(|c| c.year == year)
        .ok_or_else(|| {
            CommandError::from_core(mofan::store::campaigns::Unavailable::NotFound(year))
        })?;
    let scheme = Scheme::parse(&toml).map_err(CommandError::from_core)?;
    Ok(SchemeView {
        form: form_of(&scheme),
        toml,
        campaign,
    })
}

/// Saves a form as the campaign's scheme (checked first; the core audits it).
pub fn save(
    store: &Mutex<Store>,
    year: i32,
    f: &SchemeForm,
    operator: &str,
) -> Result<CampaignSummary, CommandError> {
    let checked = check(f);
    let Some(toml) = checked.toml else {
        return Err(invalid(checked.issues));
    };
    let mut store = lock(store)?;
    campaign::set_scheme(&mut store, year, &toml, operator).map_err(CommandError::from_core)
}

/// Reads a scheme file into a form (its issues keep their line numbers in the file).
pub fn import_file(path: &Path) -> Result<SchemeForm, CommandError> {
    let text = campaign::read_scheme_file(path).map_err(CommandError::from_core)?;
    let scheme = Scheme::parse(&text).map_err(CommandError::from_core)?;
    Ok(form_of(&scheme))
}

/// The TOML of a valid form, or its issues as an error.
pub fn toml_of(f: &SchemeForm) -> Result<String, CommandError> {
    let checked = check(f);
    checked.toml.ok_or_else(|| invalid(checked.issues))
}

/// Writes the return template of a valid form for `year` to `out`.
pub fn write_template(f: &SchemeForm, year: i32, out: &Path) -> Result<(), CommandError> {
    let toml = toml_of(f)?;
    let scheme = Scheme::parse(&toml).map_err(CommandError::from_core)?;
    mofan::template::write_template(&scheme, Some(year), out).map_err(CommandError::from_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::temp_state;

    #[test]
    fn the_default_scheme_round_trips_through_the_form() {
        let s = Scheme::default_scheme();
        let f = form_of(&s);
        assert_eq!(f.components[0].weight, "0.05");
        assert_eq!(f.quotas[2].size, "count");
        assert_eq!(f.quotas[2].value, "2");
        assert_eq!(scheme_of(&f).unwrap(), s);
        let c = check(&f);
        assert!(c.issues.is_empty(), "{:?}", c.issues);
        assert_eq!(Scheme::parse(&c.toml.unwrap()).unwrap(), s);
    }

    #[test]
    fn issues_carry_the_cores_key_paths() {
        let mut f = form_of(&Scheme::default_scheme());
        f.components[1].weight = "0.11".into();
        f.daily_share = "abc".into();
        let c = check(&f);
        assert!(c.toml.is_none());
        assert_eq!(
            c.issues.len(),
            1,
            "a field that is not a number stops before the core"
        );
        assert_eq!(c.issues[0].key, "composite.daily_share");
        f.daily_share = "1.3".into();
        f.quotas[0].min = Some(-1);
        let c = check(&f);
        assert_eq!(c.issues[0].key, "quotas[1].min");
        f.quotas[0].min = Some(1);
        f.review.retain_min = "70".into();
        let keys: Vec<String> = check(&f).issues.into_iter().map(|i| i.key).collect();
        assert!(
            keys.contains(&"composite.daily_share".to_string()),
            "{keys:?}"
        );
        assert!(
            keys.contains(&"components".to_string()),
            "weights sum: {keys:?}"
        );
        assert!(
            keys.contains(&"review.revoke_below".to_string()),
            "{keys:?}"
        );
        assert!(check(&f).issues.iter().all(|i| i.line.is_none()));
    }

    #[test]
    fn saves_a_checked_form_and_writes_the_template() {
        let (dir, state) = temp_state();
        let store = state.store().unwrap();
        crate::create_campaign(&store, 2026, None, "测试员").unwrap();
        let mut v = load(&store, 2026).unwrap();
        assert_eq!(v.campaign.year, 2026);
        v.form.composite_min = Some("88".into());
        let saved = save(&store, 2026, &v.form, "测试员").unwrap();
        assert_eq!(saved.year, 2026);
        let again = load(&store, 2026).unwrap();
        assert_eq!(again.form.composite_min.as_deref(), Some("88"));
        v.form.components[0].weight = "0.5".into();
        assert_eq!(
            save(&store, 2026, &v.form, "测试员").unwrap_err().code,
            "scheme.invalid"
        );
        let out = dir.path().join("申报模板.xlsx");
        write_template(&again.form, 2026, &out).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 4000);
        let file = dir.path().join("方案.toml");
        std::fs::write(&file, toml_of(&again.form).unwrap()).unwrap();
        assert_eq!(import_file(&file).unwrap(), again.form);
    }
}
