//! Quota rules: which rule and pool a return belongs to, and how many seats a pool has.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::scheme::{GroupBy, QuotaRule, QuotaSize, Rounding, Scheme, Tier};

/// The index of the first rule whose tier matches and whose unit types contain the
/// return's type (or "*").
pub fn rule_for(scheme: &Scheme, tier: Tier, unit_type: &str) -> Option<usize> {
    scheme
        .quotas
        .iter()
        .position(|q| q.tier == tier && q.unit_types.iter().any(|t| t == "*" || t == unit_type))
}

/// The pool name: the tier, then the `group_by` values, joined by "/"
/// (e.g. "county/广州市越秀区"). A missing region reads as "（未填地区）".
pub fn pool_name(rule: &QuotaRule, region: Option<&str>, unit_type: &str) -> String {
    let mut name = String::new();
    pool_name_into(&mut name, rule, region, unit_type);
    name
}

/// [`pool_name`] written into `name` (cleared first): the selection names every return's
/// pool in one buffer, allocating only for the pools it has not seen.
pub(super) fn pool_name_into(
    name: &mut String,
    rule: &QuotaRule,
    region: Option<&str>,
    unit_type: &str,
) {
    name.clear();
    name.push_str(rule.tier.as_str());
    for g in &rule.group_by {
        name.push('/');
        match g {
            GroupBy::Region => name.push_str(region.unwrap_or("（未填地区）")),
            GroupBy::UnitType => name.push_str(unit_type),
        }
    }
}

/// A pool's name for people, the one labelling of pools every screen, workbook, message
/// and printout uses: the tier in Chinese, then the `group_by` values ("county/广州市越秀区"
/// → "县级/广州市越秀区"). A name whose head is not a tier code is shown as it is.
pub fn pool_label(pool: &str) -> String {
    let (head, rest) = match pool.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (pool, None),
    };
    let tier = Tier::from_code(head).map_or(head, |t| t.label());
    match rest {
        Some(r) => format!("{tier}/{r}"),
        None => tier.to_string(),
    }
}

/// The seats of a pool whose base (declared or eligible returns) is `base`: the count,
/// or the percentage rounded with integer arithmetic, clamped to `[min, max]`.
pub fn seats(rule: &QuotaRule, base: u32) -> u32 {
    let raw = match rule.size {
        QuotaSize::Count(n) => u64::from(n),
        QuotaSize::Percent(p) => {
            // p has at most 4 decimal places: p = units / 10⁴, seats = base·p/100.
            let units = (p * Decimal::from(10_000)).trunc().to_u64().unwrap_or(0);
            let num = u64::from(base) * units;
            let den: u64 = 100 * 10_000;
            match rule.rounding {
                Rounding::Floor => num / den,
                Rounding::Ceil => num.div_ceil(den),
                Rounding::Round => (2 * num + den) / (2 * den),
            }
        }
    };
    let mut q = u32::try_from(raw).unwrap_or(u32::MAX);
    if let Some(min) = rule.min {
        q = q.max(min);
    }
    if let Some(max) = rule.max {
        q = q.min(max);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::QuotaBase;
    use std::str::FromStr;

    fn rule(size: QuotaSize, rounding: Rounding, min: Option<u32>, max: Option<u32>) -> QuotaRule {
        QuotaRule {
            tier: Tier::City,
            unit_types: vec!["*".into()],
            group_by: vec![GroupBy::Region],
            size,
            rounding,
            base: QuotaBase::Declared,
            min,
            max,
        }
    }

    #[test]
    fn pool_labels_are_chinese_and_undo_pool_names() {
        assert_eq!(pool_label("province"), "省直");
        assert_eq!(pool_label("county/广州市越秀区"), "县级/广州市越秀区");
        assert_eq!(pool_label("province/政府机关"), "省直/政府机关");
        assert_eq!(pool_label("city/广州市/政法机关"), "市级/广州市/政法机关");
        let r = QuotaRule {
            group_by: vec![GroupBy::Region, GroupBy::UnitType],
            ..rule(QuotaSize::Count(1), Rounding::Floor, None, None)
        };
        assert_eq!(
            pool_label(&pool_name(&r, Some("广州市"), "政府机关")),
            "市级/广州市/政府机关"
        );
        assert_eq!(pool_label(&pool_name(&r, None, "x")), "市级/（未填地区）/x");
    }

    fn pct(s: &str) -> QuotaSize {
        QuotaSize::Percent(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn percent_quotas() {
        use Rounding::*;
        let cases = [
            // (percent, rounding, base, seats)
            ("15", Floor, 20, 3), // 3.0
            ("15", Ceil, 20, 3),  // exactly 3: no rounding up
            ("15", Round, 20, 3),
            ("15", Floor, 7, 1), // 1.05
            ("15", Ceil, 7, 2),
            ("15", Round, 7, 1),
            ("15", Round, 10, 2), // 1.5 → half up
            ("15", Floor, 10, 1),
            ("12.5", Round, 4, 1), // 0.5 → 1
            ("12.5", Floor, 4, 0),
            ("33.3333", Ceil, 3, 1), // 0.999999 → 1
            ("33.3333", Floor, 3, 0),
            ("100", Floor, 9, 9),
            ("15", Floor, 0, 0),
        ];
        for (p, r, base, want) in cases {
            assert_eq!(
                seats(&rule(pct(p), r, None, None), base),
                want,
                "{p}% {r:?} of {base}"
            );
        }
    }

    #[test]
    fn clamps_and_counts() {
        use Rounding::*;
        assert_eq!(seats(&rule(pct("15"), Floor, Some(1), None), 3), 1); // 0.45 → 0 → min 1
        assert_eq!(seats(&rule(pct("15"), Floor, Some(1), Some(8)), 100), 8); // 15 → max 8
        assert_eq!(seats(&rule(pct("15"), Floor, Some(1), Some(8)), 60), 8); // 9 → 8
        assert_eq!(seats(&rule(pct("15"), Floor, Some(1), Some(8)), 53), 7); // 7.95 → 7
        assert_eq!(seats(&rule(QuotaSize::Count(2), Floor, None, None), 0), 2);
        assert_eq!(
            seats(&rule(QuotaSize::Count(5), Floor, None, Some(3)), 10),
            3
        );
        assert_eq!(
            seats(&rule(QuotaSize::Count(0), Floor, Some(1), None), 10),
            1
        );
    }

    #[test]
    fn first_matching_rule_and_pool_names() {
        let mut s = Scheme::default_scheme();
        assert_eq!(rule_for(&s, Tier::County, "政府机关"), Some(2));
        s.quotas[2].unit_types = vec!["党群机关".into()];
        assert_eq!(rule_for(&s, Tier::County, "政府机关"), None);
        assert_eq!(rule_for(&s, Tier::County, "党群机关"), Some(2));
        let r = &s.quotas[1];
        assert_eq!(pool_name(r, Some("广州市"), "政府机关"), "city/广州市");
        assert_eq!(
            pool_name(&s.quotas[0], None, "政府机关"),
            "province/政府机关"
        );
        let mut both = r.clone();
        both.group_by = vec![GroupBy::UnitType, GroupBy::Region];
        assert_eq!(
            pool_name(&both, Some("广州市"), "政府机关"),
            "city/政府机关/广州市"
        );
    }
}
