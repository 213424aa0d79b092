//! Writing a scheme back to TOML (for the scheme editor's export and for saving an edited
//! scheme): every setting explicit, at the top level before the tables, so the result is
//! valid TOML in the sense the spec's example means.
//!
//! The settings of computed components are the exception: a component's `source` is
//! written only when it is not `return`, and `[ballots]` / `[panel]` only when a
//! component uses them or they differ from their defaults; so is `[publicity]`, written
//! only when its `working_days` is not the default 5, and `[ledger]`, written only when
//! it differs from its defaults. A scheme that computes nothing
//! is therefore written exactly as before these settings existed — its text, which a
//! campaign freezes, does not change by being saved again — and nothing is lost, since an
//! absent setting reads back as its default.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::check::{word_of, BASE_WORDS, GROUP_BY_WORDS, MISSING_WORDS, ROUNDING_WORDS};
use super::{
    BallotSettings, ComponentSource, LedgerSettings, PanelSettings, PublicitySettings, QuotaSize,
    Scheme,
};

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
    #[serde(skip_serializing_if = "Option::is_none")]
    ballots: Option<Ballots<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    panel: Option<PanelSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publicity: Option<PublicitySettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ledger: Option<&'a LedgerSettings>,
}

#[derive(Serialize)]
struct Ballots<'a> {
    choices: Choices<'a>,
    not_counted: &'a [String],
    min_valid: u32,
    min_return_rate: Num,
}

/// The choice words as a table, in the scheme's order.
struct Choices<'a>(&'a [(String, Decimal)]);

impl Serialize for Choices<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (word, points) in self.0 {
            map.serialize_entry(word, &num(*points))?;
        }
        map.end()
    }
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
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
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
                    source: (c.source != ComponentSource::Return).then(|| c.source.as_str()),
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
            ballots: self.writes(ComponentSource::Ballots).then(|| Ballots {
                choices: Choices(&self.ballots.choices),
                not_counted: &self.ballots.not_counted,
                min_valid: self.ballots.min_valid,
                min_return_rate: num(self.ballots.min_return_rate),
            }),
            panel: self.writes(ComponentSource::Panel).then_some(self.panel),
            // Like the computed components' settings, written only when it is not the
            // default, so that saving a scheme frozen before it existed keeps its text.
            publicity: (self.publicity != PublicitySettings::default()).then_some(self.publicity),
            // The same for `[ledger]`: a scheme frozen before the ledger keeps its text.
            ledger: (self.ledger != LedgerSettings::default()).then_some(&self.ledger),
        };
        let body = toml::to_string(&out).expect("a scheme serialises to TOML");
        format!("# 评选方案 — written by mofan\n\n{body}")
    }

    /// Whether the settings group of a computed source is written: when a component uses
    /// it or it differs from its defaults (see the module documentation).
    fn writes(&self, source: ComponentSource) -> bool {
        let used = self.components.iter().any(|c| c.source == source);
        used || match source {
            ComponentSource::Ballots => self.ballots != BallotSettings::default(),
            ComponentSource::Panel => self.panel != PanelSettings::default(),
            ComponentSource::Return => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{MissingPolicy, Rounding, Tier};

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn round_trips() {
        let example = include_str!("../../tests/fixtures/scheme.example.toml");
        let computed = include_str!("../../tests/fixtures/scheme.computed.toml");
        for text in [super::super::DEFAULT_TOML, example, computed] {
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

    #[test]
    fn a_scheme_that_computes_nothing_writes_none_of_the_new_settings() {
        let s = Scheme::default_scheme();
        let text = s.to_toml();
        for absent in ["source", "[ballots]", "[panel]", "choices", "min_judges"] {
            assert!(!text.contains(absent), "{absent}\n{text}");
        }
        // Settings changed from their defaults are written even while no component uses
        // them, so that saving loses nothing.
        let mut s = Scheme::default_scheme();
        s.panel.trim = 2;
        let text = s.to_toml();
        assert!(text.contains("[panel]\nmin_judges = 5\ntrim = 2"), "{text}");
        assert!(!text.contains("[ballots]"), "{text}");
        assert_eq!(Scheme::parse(&text).unwrap(), s);
    }

    #[test]
    fn every_new_setting_round_trips() {
        let mut s = Scheme::default_scheme();
        s.components[2].source = ComponentSource::Panel;
        s.components[3].source = ComponentSource::Ballots;
        s.components[4].source = ComponentSource::Ballots;
        s.ballots = BallotSettings {
            // Not in the order of the words' keys, and with fractional points.
            choices: vec![
                ("非常满意".into(), dec("100")),
                ("满意".into(), dec("92.5")),
                ("一般".into(), dec("60.25")),
                ("\"不\"满意".into(), dec("0")),
            ],
            not_counted: vec!["不了解".into()],
            min_valid: 1,
            min_return_rate: dec("0.755"),
        };
        s.panel = PanelSettings {
            min_judges: 9,
            trim: 4,
        };
        assert_eq!(s.check(), Vec::new());
        let text = s.to_toml();
        assert_eq!(text.matches("source = \"ballots\"").count(), 2, "{text}");
        assert_eq!(text.matches("source = \"panel\"").count(), 1, "{text}");
        let back = Scheme::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back, s);
        assert_eq!(back.to_toml(), text);
        // A source alone writes its table with the defaults.
        let mut s = Scheme::default_scheme();
        s.components[3].source = ComponentSource::Ballots;
        let text = s.to_toml();
        assert!(text.contains("[ballots]"), "{text}");
        assert!(!text.contains("[panel]"), "{text}");
        assert_eq!(Scheme::parse(&text).unwrap(), s);
    }
}
