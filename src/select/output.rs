//! The selection as JSON (docs/specification.md §7) and the what-if comparison.

use std::io::Write;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{ResultRow, Selection, Status};

/// A score as a JSON number (null when it cannot be computed).
fn score<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d.and_then(|d| d.to_f64()) {
        Some(f) => s.serialize_f64(f),
        None => s.serialize_none(),
    }
}

#[derive(Serialize)]
pub(super) struct PoolJson<'a> {
    pool: &'a str,
    declared: u32,
    eligible: u32,
    quota: u32,
    selected: u32,
    tie_pending: u32,
}

/// One row of the contract; `T` is its reasons (strings, or texts made as written).
#[derive(Serialize)]
pub(super) struct ResultJson<'a, T: Serialize> {
    pub uscc: &'a Option<String>,
    pub name: &'a str,
    pub tier: &'a str,
    pub region: &'a Option<String>,
    pub unit_type: &'a str,
    #[serde(serialize_with = "score")]
    pub annual: Option<Decimal>,
    #[serde(serialize_with = "score")]
    pub composite: Option<Decimal>,
    pub rank: Option<u32>,
    pub status: &'a str,
    pub reasons: T,
    pub pool: Option<&'a str>,
    pub components: Components<'a>,
}

/// A row's component scores as `{key: score}` (rounded to 2 places, null where missing),
/// in scheme order; empty for a result stored before the keys were kept.
pub(super) struct Components<'a> {
    pub keys: &'a [String],
    pub scores: &'a [Option<Decimal>],
}

impl Serialize for Components<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.keys.len()))?;
        for (k, v) in self.keys.iter().zip(self.scores) {
            map.serialize_entry(k, &v.map(super::score::round2).and_then(|d| d.to_f64()))?;
        }
        map.end()
    }
}

/// The contract document, borrowing from the selection.
#[derive(Serialize)]
pub(super) struct Document<'a, R: Serialize, T: Serialize> {
    pub campaign: i32,
    /// The reference date eligibility was judged on (docs/specification.md §10); left out
    /// of results stored before it was kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<chrono::NaiveDate>,
    pub pools: Vec<PoolJson<'a>>,
    pub results: T,
    pub reviews: &'a [R],
}

/// The rows, with the component keys their `components` objects are named by.
struct Results<'a> {
    rows: &'a [ResultRow],
    keys: &'a [String],
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        results(self.rows, self.keys, s)
    }
}

fn results<S: Serializer>(rows: &[ResultRow], keys: &[String], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(rows.iter().map(|r| ResultJson {
        uscc: &r.uscc,
        name: &r.name,
        tier: r.tier.as_str(),
        region: &r.region,
        unit_type: &r.unit_type,
        annual: r.annual,
        composite: r.composite,
        rank: r.rank,
        status: r.status.as_str(),
        reasons: &r.reasons,
        pool: r.pool.as_deref(),
        components: Components {
            keys,
            scores: &r.components,
        },
    }))
}

/// The pools of the contract.
pub(super) fn pools_json(pools: &[super::PoolSummary]) -> Vec<PoolJson<'_>> {
    pools
        .iter()
        .map(|p| PoolJson {
            pool: &p.pool,
            declared: p.declared,
            eligible: p.eligible,
            quota: p.quota,
            selected: p.selected,
            tie_pending: p.tie_pending,
        })
        .collect()
}

fn document<'a, R: Serialize>(
    sel: &'a Selection,
    reviews: &'a [R],
) -> Document<'a, R, Results<'a>> {
    Document {
        campaign: sel.campaign,
        date: sel.reference_date,
        pools: pools_json(&sel.pools),
        results: Results {
            rows: &sel.results,
            keys: &sel.component_keys,
        },
        reviews,
    }
}

/// The `reviews` of a selection run without a review date.
pub const NO_REVIEWS: &[Value] = &[];

/// The contract JSON as a value: `{"campaign", "pools": [...], "results": [...],
/// "reviews": [...]}`.
pub fn to_json<R: Serialize>(sel: &Selection, reviews: &[R]) -> Value {
    serde_json::to_value(document(sel, reviews)).expect("the document serialises")
}

/// Writes the contract JSON (pretty, with a final newline) without building it in memory.
pub fn write_json<W: Write, R: Serialize>(
    mut out: W,
    sel: &Selection,
    reviews: &[R],
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &document(sel, reviews))?;
    out.write_all(b"\n")
}

/// An agency whose status differs between two selections.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusChange {
    /// 统一社会信用代码 (18 characters, upper case, check digit verified) when one is known; `None` for an
    /// agency known by name and region only. Identifies the agency in the comparison's output.
    pub uscc: Option<String>,
    /// Agency name as the current return declares it.
    pub name: String,
    /// Pool under the current scheme.
    pub pool: Option<String>,
    /// Status under the current scheme.
    pub before: Status,
    /// Status under the other scheme.
    pub after: Status,
    /// Composite under the current scheme.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite_before: Option<Decimal>,
    /// Composite under the other scheme.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite_after: Option<Decimal>,
}

/// Every agency whose status differs between `before` and `after`, in `before`'s order.
pub fn compare(before: &Selection, after: &Selection) -> Vec<StatusChange> {
    let after_by: std::collections::HashMap<i64, &ResultRow> =
        after.results.iter().map(|r| (r.agency_id, r)).collect();
    before
        .results
        .iter()
        .filter_map(|b| {
            let a = after_by.get(&b.agency_id)?;
            (a.status != b.status).then(|| StatusChange {
                uscc: b.uscc.clone(),
                name: b.name.clone(),
                pool: b.pool.clone(),
                before: b.status,
                after: a.status,
                composite_before: b.composite,
                composite_after: a.composite,
            })
        })
        .collect()
}
