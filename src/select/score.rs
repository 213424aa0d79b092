//! Annual and composite scores (docs/specification.md §4): exact decimal arithmetic, rounded half
//! away from zero to two places only at the end.

use rust_decimal::Decimal;

use super::outcome::Reason;
/// Rounds half away from zero to two decimal places, as every displayed and compared
/// score is: one rule for reported and computed scores alike.
pub use crate::evaluate::round2;
use crate::scheme::{MissingPolicy, Scheme};

/// The scores of one return, exact and rounded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scores {
    /// Annual score, exact (reweighted division keeps 28 significant digits).
    pub annual_exact: Option<Decimal>,
    /// Composite score, exact.
    pub composite_exact: Option<Decimal>,
    /// Annual score rounded to 2 places.
    pub annual: Option<Decimal>,
    /// Composite score rounded to 2 places.
    pub composite: Option<Decimal>,
    /// Why a score could not be computed ("缺少<label>"), in scheme order.
    pub missing: Vec<String>,
}

/// Computes the annual and composite scores of one return. `notes` are the computed
/// components' notes in scheme order (may be empty): a missing computed component is
/// explained by its note ("群众测评有效票不足30张（实有12张）") rather than "缺少群众测评".
pub fn compute(
    scheme: &Scheme,
    components: &[Option<Decimal>],
    notes: &[Option<String>],
    daily: Option<Decimal>,
) -> Scores {
    let mut kinds = Vec::new();
    let x = compute_into(scheme, &Weights::of(scheme), components, daily, &mut kinds);
    let missing = kinds
        .into_iter()
        .map(|k| match k {
            Reason::MissingComponent(i) => match notes.get(usize::from(i)) {
                Some(Some(note)) => note.clone(),
                _ => format!("缺少{}", scheme.components[usize::from(i)].label),
            },
            _ => format!("缺少{}", scheme.daily_label),
        })
        .collect();
    Scores {
        annual_exact: x.annual_exact,
        composite_exact: x.composite_exact,
        annual: x.annual,
        composite: x.composite,
        missing,
    }
}

/// The scores of one return without the texts of what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Exact {
    pub annual_exact: Option<Decimal>,
    pub composite_exact: Option<Decimal>,
    pub annual: Option<Decimal>,
    pub composite: Option<Decimal>,
}

/// [`compute`] as the selection runs it: the scores, and the missing ones pushed onto
/// `missing` as reasons ([`Reason::MissingComponent`], [`Reason::MissingDaily`]) rather
/// than texts.
///
/// Under "ineligible" (no division) the arithmetic is done on integers when it is exact
/// there ([`exact_in_integers`]); otherwise, and always under "reweight" (whose division
/// keeps 28 significant digits), on `Decimal`s. Both give the same decimals, scale
/// included (tested against each other).
pub(super) fn compute_into(
    scheme: &Scheme,
    weights: &Weights,
    components: &[Option<Decimal>],
    daily: Option<Decimal>,
    missing: &mut Vec<Reason>,
) -> Exact {
    let start = missing.len();
    for (i, v) in components.iter().take(scheme.components.len()).enumerate() {
        if v.is_none() {
            // A scheme has far fewer than 65,536 components (its check bounds them).
            missing.push(Reason::MissingComponent(i as u16));
        }
    }
    let share = scheme.daily_share;
    let exact = if scheme.missing == MissingPolicy::Ineligible && missing.len() > start {
        // Under "ineligible" a missing component leaves both scores uncomputable.
        Exact::default()
    } else if scheme.missing == MissingPolicy::Ineligible {
        exact_in_integers(scheme, weights, components, daily)
            .unwrap_or_else(|| in_decimals(scheme, components, daily))
    } else {
        in_decimals(scheme, components, daily)
    };
    // Under "reweight" a missing component does not stop the annual score.
    if scheme.missing == MissingPolicy::Reweight && exact.annual_exact.is_some() {
        missing.truncate(start);
    }
    if !share.is_zero() && daily.is_none() {
        missing.push(Reason::MissingDaily);
    }
    exact
}

/// The scores in `Decimal` arithmetic: the rule as the specification states it.
fn in_decimals(scheme: &Scheme, components: &[Option<Decimal>], daily: Option<Decimal>) -> Exact {
    let mut sum = Decimal::ZERO;
    let mut weights = Decimal::ZERO;
    let mut complete = true;
    for (c, v) in scheme.components.iter().zip(components) {
        match v {
            Some(v) => {
                sum += c.weight * v;
                weights += c.weight;
            }
            None => complete = false,
        }
    }
    let annual_exact = match scheme.missing {
        MissingPolicy::Ineligible if !complete => None,
        MissingPolicy::Ineligible => Some(sum),
        MissingPolicy::Reweight if weights.is_zero() => None,
        MissingPolicy::Reweight => Some(sum / weights),
    };
    let share = scheme.daily_share;
    let composite_exact = match (annual_exact, daily) {
        (None, _) => None,
        (Some(a), _) if share.is_zero() => Some(a),
        (Some(_), None) => None,
        (Some(a), Some(d)) => Some(share * d + (Decimal::ONE - share) * a),
    };
    Exact {
        annual: annual_exact.map(round2),
        composite: composite_exact.map(round2),
        annual_exact,
        composite_exact,
    }
}

/// A decimal of at most 4 places, above zero, as (value × 10⁴, its scale). Zero is
/// left to `Decimal`, whose sums and products with a zero do not always keep the scale
/// of the rule above.
fn units4(d: Decimal) -> Option<(i64, u32)> {
    let s = d.scale();
    if s > 4 || d.mantissa() <= 0 {
        return None;
    }
    i64::try_from(d.mantissa())
        .ok()?
        .checked_mul(POW10[(4 - s) as usize])
        .map(|u| (u, s))
}

/// Powers of ten up to 10¹².
const POW10: [i64; 13] = {
    let mut p = [1i64; 13];
    let mut i = 1;
    while i < 13 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// `x / 10^(scale - 2)` rounded half away from zero (x ≥ 0): a value of scale `scale`
/// rounded to 2 places, as [`round2`] does — which leaves a value of at most 2 places
/// as it is.
fn round_units(x: i64, scale: u32) -> Decimal {
    if scale <= 2 {
        return Decimal::new(x, scale);
    }
    let p = POW10[(scale - 2) as usize];
    let (q, r) = (x / p, x % p);
    Decimal::new(if 2 * r >= p { q + 1 } else { q }, 2)
}

/// The scheme's weights and daily share in units of 10⁻⁴ with their scales, converted
/// once per selection for [`exact_in_integers`]; `None` where one does not qualify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Weights {
    weights: Option<Vec<(i64, u32)>>,
    /// The share, when it is above zero and below 1.
    share: Option<(i64, u32)>,
}

impl Weights {
    pub(super) fn of(scheme: &Scheme) -> Self {
        Weights {
            weights: scheme.components.iter().map(|c| units4(c.weight)).collect(),
            share: units4(scheme.daily_share).filter(|(s, _)| *s < 10_000),
        }
    }
}

/// The scores under "ineligible" of a complete return, in integers, when every weight,
/// score, the daily score and the daily share have at most 4 places and are above zero,
/// the share below 1, and no sum leaves `i64` (else `None`: the caller computes in
/// decimals).
///
/// Why it is exact and the same decimal: a product of a weight of scale `ws` and a score
/// of scale `vs` is exactly representable in units of 10⁻⁸ (4 + 4 places), and
/// `Decimal`'s product has scale `ws + vs` (no normalising; far from its 28 digits); a
/// sum has the largest scale of its terms. So the annual score is `Σ w·v` in units of
/// 10⁻⁸ with scale `max(ws + vs)`. The composite `share·d + (1 − share)·a` is in units of
/// 10⁻¹² (4 + 8 places), `1 − share` having the share's scale `ss`, so its scale is
/// `max(ss + ds, ss + as)`. Rounding half away from zero to 2 places from those units is
/// integer division with the remainder compared with half the divisor. Every operation
/// is checked: a value too large for `i64` in those units declines.
fn exact_in_integers(
    scheme: &Scheme,
    w: &Weights,
    components: &[Option<Decimal>],
    daily: Option<Decimal>,
) -> Option<Exact> {
    let weights = w.weights.as_ref()?;
    let mut sum: i64 = 0; // units of 10⁻⁸
    let mut scale = 0u32;
    for (&(w, ws), v) in weights.iter().zip(components) {
        let (v, vs) = units4((*v)?)?;
        sum = sum.checked_add(w.checked_mul(v)?)?;
        scale = scale.max(ws + vs);
    }
    let annual_units = sum / POW10[(8 - scale) as usize];
    let annual_exact = Decimal::new(annual_units, scale);
    let annual = round_units(annual_units, scale);
    let (composite_exact, composite) = if scheme.daily_share.is_zero() {
        (Some(annual_exact), Some(annual))
    } else {
        match daily {
            None => (None, None),
            Some(d) => {
                let (s, ss) = w.share?;
                let (d, ds) = units4(d)?;
                // units of 10⁻¹²: share·d is in 10⁻⁸, (1 − share)·a in 10⁻⁴·10⁻⁸.
                let c = s
                    .checked_mul(d)?
                    .checked_mul(10_000)?
                    .checked_add((10_000 - s).checked_mul(sum)?)?;
                let cs = (ss + ds).max(ss + scale);
                let c = c / POW10[(12 - cs) as usize];
                (Some(Decimal::new(c, cs)), Some(round_units(c, cs)))
            }
        }
    };
    Some(Exact {
        annual_exact: Some(annual_exact),
        composite_exact,
        annual: Some(annual),
        composite,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn all(v: &str) -> Vec<Option<Decimal>> {
        vec![Some(d(v)); 5]
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        for (x, want) in [
            ("84.995", "85.00"),
            ("84.994999", "84.99"),
            ("84.985", "84.99"),
            ("0.005", "0.01"),
            ("-0.005", "-0.01"),
            ("90.125", "90.13"),
            ("90.135", "90.14"),
        ] {
            assert_eq!(round2(d(x)), d(want), "{x}");
        }
    }

    #[test]
    fn annual_and_composite_exact() {
        let s = Scheme::default_scheme();
        // 0.05·95.24 + 0.10·85 + 0.40·96 + 0.30·95.95 + 0.15·92
        // = 4.762 + 8.5 + 38.4 + 28.785 + 13.8 = 94.247
        let comps = vec![
            Some(d("95.24")),
            Some(d("85")),
            Some(d("96")),
            Some(d("95.95")),
            Some(d("92")),
        ];
        let r = compute(&s, &comps, &[], Some(d("95.4")));
        assert_eq!(r.annual_exact, Some(d("94.247")));
        assert_eq!(r.annual, Some(d("94.25")));
        // 0.3·95.4 + 0.7·94.247 = 28.62 + 65.9729 = 94.5929
        assert_eq!(r.composite_exact, Some(d("94.5929")));
        assert_eq!(r.composite, Some(d("94.59")));
        assert!(r.missing.is_empty());
    }

    #[test]
    fn x_xx5_rounds_up_at_the_end_only() {
        let s = Scheme::default_scheme();
        // annual 85 exactly; composite = 0.3·daily + 0.7·85. daily 85.0166… is not
        // allowed (4 places) — use daily 85.0167: 25.50501 + 59.5 = 85.00501 → 85.01.
        let r = compute(&s, &all("85"), &[], Some(d("85.0167")));
        assert_eq!(r.composite, Some(d("85.01")));
        // daily 84.9834: 25.49502 + 59.5 = 84.99502 → 85.00 (not 84.99).
        let r = compute(&s, &all("85"), &[], Some(d("84.9834")));
        assert_eq!(r.composite_exact, Some(d("84.99502")));
        assert_eq!(r.composite, Some(d("85.00")));
    }

    #[test]
    fn missing_component_policies() {
        let mut s = Scheme::default_scheme();
        let mut comps = all("90");
        comps[3] = None;
        let r = compute(&s, &comps, &[], Some(d("90")));
        assert_eq!((r.annual, r.composite), (None, None));
        assert_eq!(r.missing, vec!["缺少群众测评"]);

        s.missing = MissingPolicy::Reweight;
        comps[0] = Some(d("80")); // self 80 (w .05), peer/org/third 90 (w .65)
        let r = compute(&s, &comps, &[], Some(d("90")));
        // (0.05·80 + 0.65·90) / 0.70 = 62.5 / 0.7 = 89.2857…
        assert_eq!(r.annual, Some(d("89.29")));
        assert!(r.missing.is_empty());
        let r = compute(&s, &[None; 5], &[], Some(d("90")));
        assert_eq!(r.annual, None);
        assert_eq!(r.missing.len(), 5);
    }

    #[test]
    fn missing_daily_leaves_the_composite_uncomputable() {
        let s = Scheme::default_scheme();
        let r = compute(&s, &all("90"), &[], None);
        assert_eq!(r.annual, Some(d("90.00")));
        assert_eq!(r.composite, None);
        assert_eq!(r.missing, vec!["缺少日常考核"]);
        let mut s0 = s.clone();
        s0.daily_share = Decimal::ZERO;
        let r = compute(&s0, &all("90"), &[], None);
        assert_eq!(r.composite, Some(d("90.00")));
        assert!(r.missing.is_empty());
    }

    /// The integer arithmetic gives the very decimals `Decimal` gives — value and scale —
    /// over weights, scores, shares and dailies of 0–4 places, rounding boundaries
    /// included; beyond 4 places, or for a zero, it declines and decimals are used.
    #[test]
    fn integers_give_the_decimals_exactly() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let value = || {
            (0u32..=5, 0i64..=1_000_000)
                .prop_map(|(s, m)| Decimal::new(m % (101 * 10i64.pow(s)), s))
        };
        let mut runner = TestRunner::new(Config {
            cases: 4000,
            ..Config::default()
        });
        let strat = (
            proptest::collection::vec((1i64..=10_000, 0u32..=4), 5),
            proptest::collection::vec(value(), 5),
            (0i64..=10_000, 0u32..=4),
            proptest::option::of(value()),
        );
        runner
            .run(&strat, |(weights, comps, (sm, ss), daily)| {
                let mut s = Scheme::default_scheme();
                for (c, (m, sc)) in s.components.iter_mut().zip(&weights) {
                    c.weight = Decimal::new(*m % (10i64.pow(*sc) + 1), *sc);
                }
                s.daily_share = Decimal::new(sm % (10i64.pow(ss) + 1), ss);
                let comps: Vec<Option<Decimal>> = comps.into_iter().map(Some).collect();
                let want = in_decimals(&s, &comps, daily);
                match exact_in_integers(&s, &Weights::of(&s), &comps, daily) {
                    Some(got) => {
                        for (g, w) in [
                            (got.annual_exact, want.annual_exact),
                            (got.composite_exact, want.composite_exact),
                            (got.annual, want.annual),
                            (got.composite, want.composite),
                        ] {
                            prop_assert_eq!(g, w);
                            prop_assert_eq!(g.map(|d| d.to_string()), w.map(|d| d.to_string()));
                        }
                    }
                    // Declined only beyond 4 places, or for a zero (or a share of 1).
                    None => prop_assert!(
                        comps
                            .iter()
                            .flatten()
                            .chain(daily.iter())
                            .chain(s.components.iter().map(|c| &c.weight))
                            .any(|d| d.scale() > 4 || d.is_zero())
                            || s.daily_share == Decimal::ONE
                    ),
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn integer_rounding_boundaries() {
        // (units, scale, rounded)
        for (x, s, want) in [
            (8_499_500, 5, "84.995"),
            (8_499_499, 5, "84.99"),
            (8_499_500_000, 8, "85.00"),
            (8_499_499_999, 8, "84.99"),
            (500, 5, "0.01"),
            (499, 5, "0.00"),
            (9_000, 2, "90.00"),
            (900, 1, "90.0"),
            (90, 0, "90"),
        ] {
            let want = if want == "84.995" { "85.00" } else { want };
            assert_eq!(round_units(x, s).to_string(), want, "{x} at scale {s}");
            assert_eq!(round_units(x, s), round2(Decimal::new(x, s)));
        }
    }
}
