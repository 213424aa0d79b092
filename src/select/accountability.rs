//! The eligibility rule of accountability (docs/specification.md §4 and §10): an agency
//! held accountable in the campaign year by a kind the scheme lists (default 通报, 改组,
//! 纪律处分 — [`crate::vocab::ACCOUNTABILITY_BLOCKS`]) is ineligible, with one reason per
//! record: "2026年3月5日受到通报问责".
//!
//! The kinds are a parameter of [`reasons`]: the selection takes them from
//! [`blocking_kinds`], the scheme's `[ledger] accountability_blocks`. A cadre's accountability (纪律处分 of a named person)
//! counts for the agency as the organisation's does; the reason does not name the person,
//! since the selection's reasons go into the result workbook and before the panel, while
//! the agency's history tells who it was.

use chrono::{Datelike, NaiveDate};

use crate::scheme::Scheme;
use crate::vocab::AccountabilityKind;

/// An accountability record as the selection reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountabilityFact {
    /// Its number (`accountability_records.id`).
    pub id: i64,
    /// `agencies.id` of the agency held accountable (or whose cadre was).
    pub agency_id: i64,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day it was imposed.
    pub date: NaiveDate,
}

/// The kinds that bar an agency in a campaign under `scheme`: its `[ledger]
/// accountability_blocks` (default 通报, 改组, 纪律处分). Both the loading of the inputs
/// (which records the selection reads, and so fingerprints) and the rule take them from
/// here. The scheme's check refuses a word no kind has, so every word parses.
pub fn blocking_kinds(scheme: &Scheme) -> Vec<AccountabilityKind> {
    scheme
        .ledger
        .accountability_blocks
        .iter()
        .filter_map(|w| crate::vocab::parse_word::<AccountabilityKind>(w))
        .collect()
}

/// The reasons one agency's records make it ineligible in campaign `year`: one per record
/// of a kind in `blocks` dated in `year`, in date order, "2026年3月5日受到通报问责"; two
/// records saying the same (same day, same kind) give one reason.
pub fn reasons(
    year: i32,
    records: &[&AccountabilityFact],
    blocks: &[AccountabilityKind],
) -> Vec<String> {
    hits(year, records, blocks)
        .into_iter()
        .map(|(d, k)| {
            format!(
                "{}年{}月{}日受到{}问责",
                d.year(),
                d.month(),
                d.day(),
                k.label()
            )
        })
        .collect()
}

/// The (day, kind) of each reason [`reasons`] gives, in the same order: what the
/// selection keeps, its text made when shown.
pub fn hits(
    year: i32,
    records: &[&AccountabilityFact],
    blocks: &[AccountabilityKind],
) -> Vec<(NaiveDate, AccountabilityKind)> {
    let mut hits: Vec<(NaiveDate, AccountabilityKind)> = records
        .iter()
        .filter(|r| r.date.year() == year && blocks.contains(&r.kind))
        .map(|r| (r.date, r.kind))
        .collect();
    hits.sort();
    hits.dedup();
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountabilityKind as K;

    fn fact(id: i64, kind: AccountabilityKind, date: &str) -> AccountabilityFact {
        AccountabilityFact {
            id,
            agency_id: 1,
            kind,
            date: date.parse().unwrap(),
        }
    }

    #[test]
    fn a_listed_kind_in_the_campaign_year_bars_the_agency() {
        let blocks = crate::vocab::ACCOUNTABILITY_BLOCKS;
        // (records, reasons in 2026)
        let cases: Vec<(Vec<AccountabilityFact>, Vec<&str>)> = vec![
            (vec![], vec![]),
            (
                vec![fact(1, K::Bulletin, "2026-03-05")],
                vec!["2026年3月5日受到通报问责"],
            ),
            // The year's first and last days count; the days around them do not.
            (
                vec![
                    fact(1, K::Reorganise, "2026-01-01"),
                    fact(2, K::Discipline, "2026-12-31"),
                    fact(3, K::Bulletin, "2025-12-31"),
                    fact(4, K::Bulletin, "2027-01-01"),
                ],
                vec!["2026年1月1日受到改组问责", "2026年12月31日受到纪律处分问责"],
            ),
            // A kind not listed has no effect.
            (
                vec![
                    fact(1, K::Check, "2026-03-05"),
                    fact(2, K::Admonish, "2026-04-01"),
                    fact(3, K::Adjust, "2026-05-01"),
                    fact(4, K::Handle, "2026-06-01"),
                ],
                vec![],
            ),
            // One reason per record, in date order; the same day and kind twice, once.
            (
                vec![
                    fact(2, K::Discipline, "2026-09-10"),
                    fact(1, K::Bulletin, "2026-03-05"),
                    fact(3, K::Bulletin, "2026-03-05"),
                ],
                vec!["2026年3月5日受到通报问责", "2026年9月10日受到纪律处分问责"],
            ),
        ];
        for (records, want) in cases {
            let refs: Vec<&AccountabilityFact> = records.iter().collect();
            assert_eq!(reasons(2026, &refs, blocks), want, "{records:?}");
        }
    }

    #[test]
    fn the_kinds_are_a_parameter() {
        let records = [
            fact(1, K::Check, "2026-03-05"),
            fact(2, K::Bulletin, "2026-04-01"),
        ];
        let refs: Vec<&AccountabilityFact> = records.iter().collect();
        assert_eq!(
            reasons(2026, &refs, &[K::Check]),
            ["2026年3月5日受到检查问责"]
        );
        assert!(reasons(2026, &refs, &[]).is_empty());
    }
}
