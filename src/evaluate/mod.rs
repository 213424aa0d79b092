//! Scores mofan computes itself from raw inputs (考核评价, docs/specification.md §8): a
//! component whose `source` is `ballots` from the satisfaction ballots imported for it
//! ([`ballots`]), one whose `source` is `panel` from the panel's score sheets ([`panel`]).
//! Pure functions of the scheme's settings and the pooled inputs, so the rules are tested
//! as tables; the selection uses their results as it uses reported scores.
//!
//! Every score is exact ([`rust_decimal::Decimal`]) until the end, where it is rounded
//! half away from zero to 2 places ([`round2`]); that rounded value is the component's
//! score, used like a reported one. A score that cannot be computed comes with the reason
//! a clerk reads, and a computed one with the sentence that explains it.

use rust_decimal::{Decimal, RoundingStrategy};

pub mod ballots;
pub mod panel;

/// Rounds half away from zero to 2 places (94.745 → 94.75).
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A value as text with exactly 2 places (93.4 → "93.40"), rounded as [`round2`].
pub fn text2(d: Decimal) -> String {
    let mut r = round2(d);
    r.rescale(2);
    r.to_string()
}
