//! The selection as JSON (domain.md §7) and the what-if comparison.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Value};

use super::{Selection, Status};

fn num(d: Option<Decimal>) -> Value {
    d.and_then(|d| d.to_f64()).map_or(Value::Null, Value::from)
}

/// The contract JSON: `{"campaign", "pools": [...], "results": [...], "reviews": [...]}`.
pub fn to_json(sel: &Selection, reviews: Vec<Value>) -> Value {
    let pools: Vec<Value> = sel
        .pools
        .iter()
        .map(|p| {
            json!({
                "pool": p.pool,
                "declared": p.declared,
                "eligible": p.eligible,
                "quota": p.quota,
                "selected": p.selected,
                "tie_pending": p.tie_pending,
            })
        })
        .collect();
    let results: Vec<Value> = sel
        .results
        .iter()
        .map(|r| {
            json!({
                "uscc": r.uscc,
                "name": r.name,
                "tier": r.tier.as_str(),
                "region": r.region,
                "unit_type": r.unit_type,
                "annual": num(r.annual),
                "composite": num(r.composite),
                "rank": r.rank,
                "status": r.status.as_str(),
                "reasons": r.reasons,
                "pool": r.pool,
            })
        })
        .collect();
    json!({
        "campaign": sel.campaign,
        "pools": pools,
        "results": results,
        "reviews": reviews,
    })
}

/// An agency whose status differs between two selections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusChange {
    /// USCC.
    pub uscc: Option<String>,
    /// Name.
    pub name: String,
    /// Pool under the current scheme.
    pub pool: Option<String>,
    /// Status under the current scheme.
    pub before: Status,
    /// Status under the other scheme.
    pub after: Status,
    /// Composite under the current scheme.
    pub composite_before: Option<Decimal>,
    /// Composite under the other scheme.
    pub composite_after: Option<Decimal>,
}

/// Every agency whose status differs between `before` and `after`, in `before`'s order,
/// then agencies only in `after`.
pub fn compare(before: &Selection, after: &Selection) -> Vec<StatusChange> {
    let mut out = Vec::new();
    for b in &before.results {
        let a = after.results.iter().find(|a| a.agency_id == b.agency_id);
        match a {
            Some(a) if a.status == b.status => {}
            Some(a) => out.push(StatusChange {
                uscc: b.uscc.clone(),
                name: b.name.clone(),
                pool: b.pool.clone(),
                before: b.status,
                after: a.status,
                composite_before: b.composite,
                composite_after: a.composite,
            }),
            None => {}
        }
    }
    out
}
