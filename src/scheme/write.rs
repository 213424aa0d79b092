//! Writing a scheme back to TOML (for the scheme editor's export and for saving an edited
//! scheme): every setting explicit, at the top level before the tables, so the result is
//! valid TOML in the sense the spec's example means.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::check::{word_of, BASE_WORDS, GROUP_BY_WORDS, MISSING_WORDS, ROUNDING_WORDS};
use super::{QuotaSize, Scheme};

/// A decimal as TOML writes it: an integer when whole, else a float (at most four
/// places, so the float reads back as the same decimal).
#[derive(Serialize)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
}

fn num(d: Decimal) -> Num {
    let d = d.normalize();
    if d.fract().is_zero() {
        if let Some(i) = d.to_i64() {
            return Num::Int(i);
        }
    }
    Num::Float(d.to_f64().unwrap_or(0.0))
}

#[derive(Serialize)]
struct Out<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    award_title: &'a str,
    missing: &'static str,
    cooldown_years: u32,
    tie_break: &'a [String],
    unit_types: &'a [String],
    unit_type_aliases: &'a BTreeMap<String, String>,
    tier_aliases: BTreeMap<&'static str, &'a [String]>,
    composite: Composite<'a>,
    components: Vec<Component<'a>>,
    thresholds: Thresholds,
    vetoes: Vec<Veto<'a>>,
    quotas: Vec<Quota<'a>>,
    review: Review,
}

#[derive(Serialize)]
struct Composite<'a> {
    daily_share: Num,
    daily_label: &'a str,
    daily_aliases: &'a [String],
}

#[derive(Serialize)]
struct Component<'a> {
    key: &'a str,
    label: &'a str,
    weight: Num,
    aliases: &'a [String],
}

#[derive(Serialize)]
struct Thresholds {
    #[serde(skip_serializing_if = "Option::is_none")]
    composite_min: Option<Num>,
    components: BTreeMap<String, Num>,
}

#[derive(Serialize)]
struct Veto<'a> {
    key: &'a str,
    label: &'a str,
    aliases: &'a [String],
}

#[derive(Serialize)]
struct Quota<'a> {
    tier: &'static str,
    unit_types: &'a [String],
    group_by: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<Num>,
    rounding: &'static str,
    base: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<u32>,
}

#[derive(Serialize)]
struct Review {
    cycle_years: u32,
    retain_min: Num,
    revoke_below: Num,
    rectify_months: u32,
    complaints_trigger: u32,
    rectification_rate_min: Num,
}

impl Scheme {
    /// The scheme as TOML that [`Scheme::parse`] reads back to an equal scheme.
    pub fn to_toml(&self) -> String {
        let out = Out {
            title: self.title.as_deref(),
            year: self.year,
            award_title: &self.award_title,
            missing: word_of(&MISSING_WORDS, self.missing),
            cooldown_years: self.cooldown_years,
            tie_break: &self.tie_break,
            unit_types: &self.unit_types,
            unit_type_aliases: &self.unit_type_aliases,
            tier_aliases: self
                .tier_aliases
                .iter()
                .map(|(tier, words)| (tier.as_str(), words.as_slice()))
                .collect(),
            composite: Composite {
                daily_share: num(self.daily_share),
                daily_label: &self.daily_label,
                daily_aliases: &self.daily_aliases,
            },
            components: self
                .components
                .iter()
                .map(|c| Component {
                    key: &c.key,
                    label: &c.label,
                    weight: num(c.weight),
                    aliases: &c.aliases,
                })
                .collect(),
            thresholds: Thresholds {
                composite_min: self.thresholds.composite_min.map(num),
                components: self
                    .thresholds
                    .components
                    .iter()
                    .map(|(k, v)| (k.clone(), num(*v)))
                    .collect(),
            },
            vetoes: self
                .vetoes
                .iter()
                .map(|v| Veto {
                    key: &v.key,
                    label: &v.label,
                    aliases: &v.aliases,
                })
                .collect(),
            quotas: self
                .quotas
                .iter()
                .map(|q| Quota {
                    tier: q.tier.as_str(),
                    unit_types: &q.unit_types,
                    group_by: q
                        .group_by
                        .iter()
                        .map(|g| word_of(&GROUP_BY_WORDS, *g))
                        .collect(),
                    count: match q.size {
                        QuotaSize::Count(n) => Some(n),
                        QuotaSize::Percent(_) => None,
                    },
                    percent: match q.size {
                        QuotaSize::Percent(p) => Some(num(p)),
                        QuotaSize::Count(_) => None,
                    },
                    rounding: word_of(&ROUNDING_WORDS, q.rounding),
                    base: word_of(&BASE_WORDS, q.base),
                    min: q.min,
                    max: q.max,
                })
                .collect(),
            review: Review {
                cycle_years: self.review.cycle_years,
                retain_min: num(self.review.retain_min),
                revoke_below: num(self.review.revoke_below),
                rectify_months: self.review.rectify_months,
                complaints_trigger: self.review.complaints_trigger,
                rectification_rate_min: num(self.review.rectification_rate_min),
            },
        };
        let body = toml::to_string(&out).expect("a scheme serialises to TOML");
        format!("# 评选方案 — written by mofan\n\n{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{MissingPolicy, Rounding, Tier};

    #[test]
    fn round_trips() {
        let example = include_str!("../../tests/fixtures/scheme.example.toml");
        for text in [super::super::DEFAULT_TOML, example] {
            let s = Scheme::parse(text).unwrap();
            let written = s.to_toml();
            let back = Scheme::parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
            assert_eq!(back, s);
        }
    }

    #[test]
    fn edited_values_survive() {
        let mut s = Scheme::default_scheme();
        // 0.1234 + 0.0266 + 0.40 + 0.30 + 0.15 = 1
        s.components[0].weight = Decimal::new(1234, 4);
        s.components[1].weight = Decimal::new(266, 4);
        s.missing = MissingPolicy::Reweight;
        s.quotas[2].size = QuotaSize::Percent(Decimal::new(125, 1));
        s.quotas[2].rounding = Rounding::Round;
        s.thresholds.composite_min = Some(Decimal::new(8450, 2));
        s.tier_aliases
            .insert(Tier::County, vec!["旗直".into(), "旗县直".into()]);
        s.tier_aliases.insert(Tier::City, vec!["盟直".into()]);
        let text = s.to_toml();
        assert!(
            text.contains("[tier_aliases]\ncity = [\"盟直\"]\ncounty = [\"旗直\", \"旗县直\"]"),
            "{text}"
        );
        let back = Scheme::parse(&text).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.tier_of("旗县直"), Some(Tier::County));
    }
}
