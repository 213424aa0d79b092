//! The ledger's eligibility rule (docs/specification.md §10, adding to §4): with the
//! scheme's `overdue_blocks_selection`, an agency with problem items overdue on the
//! selection's reference date is ineligible ("有2项逾期未整改问题").
//!
//! Kept apart from the other rules so that each rule of the year-round mechanism is one
//! small function: [`load`] reads its facts, [`counts`] is the rule (the reason's text is the outcome's, `Reason::Overdue`), [`fingerprint`] what
//! a stored run compares to know whether the ledger changed.

use chrono::NaiveDate;

use super::Inputs;
use crate::scheme::Scheme;

/// One problem overdue on the reference date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueFact {
    /// `agencies.id` of its agency.
    pub agency_id: i64,
    /// The item's id.
    pub item_id: i64,
    /// Its deadline (before the reference date).
    pub deadline: NaiveDate,
}

/// What the selection reads of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerFacts {
    /// The reference date the eligibility is judged on; `None` for a selection without
    /// one (which reads no ledger).
    pub date: Option<NaiveDate>,
    /// The problems overdue on that date — read only when the scheme makes them block.
    pub overdue: Vec<OverdueFact>,
}

/// Reads the problems overdue on `date`, when the scheme's `overdue_blocks_selection` is
/// on (else none: a ledger change then changes nothing the selection reads).
pub(super) fn load(
    conn: &rusqlite::Connection,
    scheme: &Scheme,
    date: Option<NaiveDate>,
) -> rusqlite::Result<LedgerFacts> {
    let overdue = match date {
        Some(d) if scheme.ledger.overdue_blocks_selection => {
            crate::ledger::overdue_problems(conn, d)?
                .into_iter()
                .map(|(agency_id, item_id, deadline)| OverdueFact {
                    agency_id,
                    item_id,
                    deadline,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(LedgerFacts { date, overdue })
}

/// The number of overdue problems of every agency that has any, when the rule applies
/// (else none): counted once per selection, so that looking an agency up costs the same
/// however many problems are overdue.
pub(super) fn counts(scheme: &Scheme, facts: &LedgerFacts) -> super::FxMap<i64, u32> {
    let mut n = super::FxMap::<i64, u32>::default();
    if !scheme.ledger.overdue_blocks_selection || facts.date.is_none() {
        return n;
    }
    for o in &facts.overdue {
        *n.entry(o.agency_id).or_default() += 1;
    }
    n
}

/// Feeds the overdue problems the selection read into a run's ledger fingerprint.
pub(super) fn fingerprint(inputs: &Inputs, mut feed: impl FnMut(i64, i64, &str)) {
    for o in &inputs.ledger.overdue {
        feed(o.agency_id, o.item_id, &o.deadline.to_string());
    }
}
