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
    let (annual_exact, composite_exact) = compute_into(scheme, components, daily, &mut kinds);
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
        annual: annual_exact.map(round2),
        composite: composite_exact.map(round2),
        annual_exact,
        composite_exact,
        missing,
    }
}

/// [`compute`] as the selection runs it: the exact annual and composite scores, and
/// the missing scores pushed onto `missing` as reasons ([`Reason::MissingComponent`],
/// [`Reason::MissingDaily`]) rather than texts.
pub(super) fn compute_into(
    scheme: &Scheme,
    components: &[Option<Decimal>],
    daily: Option<Decimal>,
    missing: &mut Vec<Reason>,
) -> (Option<Decimal>, Option<Decimal>) {
    let start = missing.len();
    let mut sum = Decimal::ZERO;
    let mut weights = Decimal::ZERO;
    for (i, (c, v)) in scheme.components.iter().zip(components).enumerate() {
        match v {
            Some(v) => {
                sum += c.weight * v;
                weights += c.weight;
            }
            // A scheme has far fewer than 65,536 components (its check bounds them).
            None => missing.push(Reason::MissingComponent(i as u16)),
        }
    }
    let annual_exact = match scheme.missing {
        MissingPolicy::Ineligible if missing.len() > start => None,
        MissingPolicy::Ineligible => Some(sum),
        MissingPolicy::Reweight if weights.is_zero() => None,
        MissingPolicy::Reweight => Some(sum / weights),
    };
    // Under "reweight" a missing component does not stop the annual score.
    if scheme.missing == MissingPolicy::Reweight && annual_exact.is_some() {
        missing.truncate(start);
    }
    let share = scheme.daily_share;
    let composite_exact = match (annual_exact, daily) {
        (None, _) => None,
        (Some(a), _) if share.is_zero() => Some(a),
        (Some(_), None) => None,
        (Some(a), Some(d)) => Some(share * d + (Decimal::ONE - share) * a),
    };
    if !share.is_zero() && daily.is_none() {
        missing.push(Reason::MissingDaily);
    }
    (annual_exact, composite_exact)
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
}
