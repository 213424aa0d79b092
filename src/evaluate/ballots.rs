//! The score of a satisfaction survey (群众满意度测评, docs/specification.md §8) for one
//! unit: Σ (points of each valid answer) ÷ number of valid answers, from the unit's
//! answers pooled over every live ballot file of the component.
//!
//! The rules, in the order they are applied:
//!
//! - a valid answer is one of the scheme's choice words; its `not_counted` words are
//!   counted apart and shown, never in the score;
//! - a unit with no answer at all has no score: "群众测评没有测评票";
//! - fewer valid answers than `min_valid`: no score, "群众测评有效票不足30张（实有12张）";
//!   none at all (only `not_counted` words) with a `min_valid` of 0: "群众测评没有有效票";
//! - the return rate is Σ回收 ÷ Σ发放 over the tally rows giving both (pooled by the
//!   caller); below `min_return_rate`, no score: "群众测评回收率75.00%，低于80.00%". A unit
//!   without such a row (or with Σ发放 = 0) is not tested;
//! - a stored word the scheme no longer has (its choices were changed after the import)
//!   leaves the score missing rather than reading those answers as some other word.
//!
//! Every failing rule is named, joined by "；". A score is explained in one sentence:
//! "群众测评94.74分 = (满意120×100 + 基本满意30×80 + 不满意2×0) ÷ 152张有效票" (choices
//! in the scheme's order, words nobody chose left out).
//!
//! [`list_with_scheme`] reads a campaign's pooled counts from the store and scores every
//! unit of the campaign for every ballots component, with the files that fed them.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{round2, text2};
use crate::scheme::{BallotSettings, ComponentSource, Scheme};
use crate::store::ballots as ballot_store;

/// One unit's pooled answers for a ballots component.
#[derive(Debug, Clone, Copy)]
pub struct Pooled<'a> {
    /// Each answer word with its count (the scheme's words as stored).
    pub counts: &'a BTreeMap<String, i64>,
    /// Σ发放 over the tally rows giving both counts (`None`: no such row).
    pub issued: Option<i64>,
    /// Σ回收 over the same rows.
    pub returned: Option<i64>,
}

/// A unit's ballots, counted and scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BallotScore {
    /// Every choice word of the scheme, in its order, with its count (0 when nobody
    /// chose it).
    #[serde(serialize_with = "ordered")]
    pub counts: Vec<(String, i64)>,
    /// How many answers gave a `not_counted` word.
    pub not_counted: i64,
    /// Each `not_counted` word with its count, in the scheme's order.
    #[serde(serialize_with = "ordered")]
    pub not_counted_words: Vec<(String, i64)>,
    /// How many answers are valid (gave a choice word).
    pub valid: i64,
    /// Σ发放 of the tally rows giving both counts.
    pub issued: Option<i64>,
    /// Σ回收 of the same rows.
    pub returned: Option<i64>,
    /// 回收 ÷ 发放, exact (`None` when not tested).
    #[serde(serialize_with = "number")]
    pub return_rate: Option<Decimal>,
    /// The score, rounded half away from zero to 2 places; `None` when missing.
    #[serde(serialize_with = "number")]
    pub score: Option<Decimal>,
    /// Why the score is missing.
    pub reason: Option<String>,
    /// How the score was computed.
    pub explanation: Option<String>,
}

fn ordered<S: Serializer>(pairs: &[(String, i64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(w, n)| (w, n)))
}

fn number<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    use rust_decimal::prelude::ToPrimitive;
    match d.and_then(|d| d.to_f64()) {
        Some(f) => s.serialize_f64(f),
        None => s.serialize_none(),
    }
}

/// A unit for which no ballot was imported: "群众测评没有测评票".
pub fn no_ballots(settings: &BallotSettings, label: &str) -> BallotScore {
    BallotScore {
        counts: settings
            .choices
            .iter()
            .map(|(w, _)| (w.clone(), 0))
            .collect(),
        not_counted: 0,
        not_counted_words: settings
            .not_counted
            .iter()
            .map(|w| (w.clone(), 0))
            .collect(),
        valid: 0,
        issued: None,
        returned: None,
        return_rate: None,
        score: None,
        reason: Some(format!("{label}没有测评票")),
        explanation: None,
    }
}

/// Scores one unit's pooled answers under `settings`; `label` is the component's label
/// (群众测评), the first word of every reason and explanation.
pub fn score(settings: &BallotSettings, label: &str, p: Pooled<'_>) -> BallotScore {
    let count = |w: &str| p.counts.get(w).copied().unwrap_or(0);
    let counts: Vec<(String, i64)> = settings
        .choices
        .iter()
        .map(|(w, _)| (w.clone(), count(w)))
        .collect();
    let not_counted_words: Vec<(String, i64)> = settings
        .not_counted
        .iter()
        .map(|w| (w.clone(), count(w)))
        .collect();
    let valid: i64 = counts.iter().map(|(_, n)| n).sum();
    let not_counted: i64 = not_counted_words.iter().map(|(_, n)| n).sum();
    if p.counts.values().all(|n| *n == 0) {
        return no_ballots(settings, label);
    }

    let mut reasons = Vec::new();
    let known = |w: &String| {
        settings.choices.iter().any(|(c, _)| c == w) || settings.not_counted.contains(w)
    };
    let unknown: Vec<String> = p
        .counts
        .iter()
        .filter(|(w, n)| **n > 0 && !known(w))
        .map(|(w, n)| format!("“{w}”{n}票"))
        .collect();
    if !unknown.is_empty() {
        reasons.push(format!(
            "{label}的测评票中有现行评选方案没有的选项（{}），请撤回这些测评票文件后重新导入",
            unknown.join("、")
        ));
    }
    if valid < i64::from(settings.min_valid) {
        reasons.push(format!(
            "{label}有效票不足{}张（实有{valid}张）",
            settings.min_valid
        ));
    } else if valid == 0 {
        reasons.push(format!("{label}没有有效票"));
    }
    let return_rate = match (p.issued, p.returned) {
        (Some(i), Some(r)) if i > 0 => Some(Decimal::from(r) / Decimal::from(i)),
        _ => None,
    };
    if let Some(rate) = return_rate.filter(|r| *r < settings.min_return_rate) {
        reasons.push(format!(
            "{label}回收率{}%，低于{}%",
            text2(rate * Decimal::ONE_HUNDRED),
            text2(settings.min_return_rate * Decimal::ONE_HUNDRED)
        ));
    }

    let computed = if reasons.is_empty() {
        exact_mean(settings, &counts, valid)
    } else {
        None
    };
    let (score, explanation) = match computed {
        Some(mean) => {
            let s = round2(mean);
            let terms: Vec<String> = settings
                .choices
                .iter()
                .zip(&counts)
                .filter(|(_, (_, n))| *n > 0)
                .map(|((w, points), (_, n))| format!("{w}{n}×{}", points.normalize()))
                .collect();
            let text = format!(
                "{label}{}分 = ({}) ÷ {valid}张有效票",
                text2(s),
                terms.join(" + ")
            );
            (Some(s), Some(text))
        }
        None => {
            if reasons.is_empty() {
                // Only numbers beyond any real survey overflow an exact decimal.
                reasons.push(format!("{label}票数过大，无法计算"));
            }
            (None, None)
        }
    };
    BallotScore {
        counts,
        not_counted,
        not_counted_words,
        valid,
        issued: p.issued,
        returned: p.returned,
        return_rate,
        score,
        reason: (!reasons.is_empty()).then(|| reasons.join("；")),
        explanation,
    }
}

/// Σ points × count ÷ valid, exact; `None` on overflow or without valid answers.
fn exact_mean(settings: &BallotSettings, counts: &[(String, i64)], valid: i64) -> Option<Decimal> {
    if valid <= 0 {
        return None;
    }
    let mut sum = Decimal::ZERO;
    for ((_, points), (_, n)) in settings.choices.iter().zip(counts) {
        sum = sum.checked_add(points.checked_mul(Decimal::from(*n))?)?;
    }
    sum.checked_div(Decimal::from(valid))
}

/// One unit's ballots for one component, counted and scored: an object of
/// `mofan ballots list --json` (docs/specification.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitBallots {
    /// The unit's `agencies.id` (not printed: the selection matches scores by it).
    #[serde(skip)]
    pub agency_id: i64,
    /// The unit's USCC, when its return gave one.
    pub uscc: Option<String>,
    /// The unit's name (of its current return).
    pub name: String,
    /// The component's key.
    pub component: String,
    /// Counts, score or reason, explanation.
    #[serde(flatten)]
    pub result: BallotScore,
}

/// A ballots component of a campaign with every unit's result and the files they came
/// from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentBallots {
    /// The component's key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// Every unit of the campaign (agency order), those without ballots included.
    pub units: Vec<UnitBallots>,
    /// The live files whose counts are pooled, in import order.
    pub files: Vec<ballot_store::BallotFile>,
}

/// Every ballots component of campaign `year` under `scheme` (scheme order) with every
/// unit's result and the live files pooled.
pub fn list_with_scheme(
    conn: &Connection,
    year: i32,
    scheme: &Scheme,
) -> rusqlite::Result<Vec<ComponentBallots>> {
    let units = crate::store::returns::current_units(conn, year)?;
    let mut out = Vec::new();
    for c in scheme
        .components
        .iter()
        .filter(|c| c.source == ComponentSource::Ballots)
    {
        let (pooled, files) = ballot_store::pooled(conn, year, &c.key)?;
        let by_agency: HashMap<i64, &ballot_store::Pooled> =
            pooled.iter().map(|p| (p.agency_id, p)).collect();
        let results = units
            .iter()
            .map(|u| UnitBallots {
                agency_id: u.agency_id,
                uscc: u.uscc.clone(),
                name: u.name.clone(),
                component: c.key.clone(),
                result: match by_agency.get(&u.agency_id) {
                    Some(p) => score(
                        &scheme.ballots,
                        &c.label,
                        Pooled {
                            counts: &p.counts,
                            issued: p.issued,
                            returned: p.returned,
                        },
                    ),
                    None => no_ballots(&scheme.ballots, &c.label),
                },
            })
            .collect();
        out.push(ComponentBallots {
            key: c.key.clone(),
            label: c.label.clone(),
            units: results,
            files,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(
        choices: &[(&str, i64)],
        not_counted: &[&str],
        min_valid: u32,
        rate: &str,
    ) -> BallotSettings {
        BallotSettings {
            choices: choices
                .iter()
                .map(|(w, p)| (w.to_string(), Decimal::from(*p)))
                .collect(),
            not_counted: not_counted.iter().map(|w| w.to_string()).collect(),
            min_valid,
            min_return_rate: rate.parse().unwrap(),
        }
    }

    fn counts(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(w, n)| (w.to_string(), *n)).collect()
    }

    fn run(
        s: &BallotSettings,
        pairs: &[(&str, i64)],
        turnout: (Option<i64>, Option<i64>),
    ) -> BallotScore {
        let c = counts(pairs);
        score(
            s,
            "群众测评",
            Pooled {
                counts: &c,
                issued: turnout.0,
                returned: turnout.1,
            },
        )
    }

    const DEFAULT: &[(&str, i64)] = &[("满意", 100), ("基本满意", 80), ("一般", 60), ("不满意", 0)];

    #[test]
    fn scores_and_reasons_at_every_boundary() {
        let d = |min_valid, rate| settings(DEFAULT, &["不了解", "不清楚"], min_valid, rate);
        let sat = settings(
            &[("满意", 100), ("基本满意", 100), ("不满意", 0)],
            &[],
            1,
            "0",
        );
        // (settings, counts, 发放/回收, score, reason)
        type Case<'a> = (
            BallotSettings,
            Vec<(&'a str, i64)>,
            (Option<i64>, Option<i64>),
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: Vec<Case> = vec![
            // The spec's example: (120×100 + 30×80 + 2×0) ÷ 152 = 94.7368… → 94.74.
            (
                d(30, "0"),
                vec![("满意", 120), ("基本满意", 30), ("不满意", 2), ("不了解", 3)],
                (None, None),
                Some("94.74"),
                None,
            ),
            // min_valid exactly reached, and one short.
            (d(30, "0"), vec![("满意", 30)], (None, None), Some("100"), None),
            (
                d(30, "0"),
                vec![("满意", 29), ("不了解", 40)],
                (None, None),
                None,
                Some("群众测评有效票不足30张（实有29张）"),
            ),
            (
                d(30, "0"),
                vec![("满意", 12)],
                (None, None),
                None,
                Some("群众测评有效票不足30张（实有12张）"),
            ),
            // Only not-counted answers: no valid one, even when min_valid is 0.
            (
                d(0, "0"),
                vec![("不了解", 5)],
                (None, None),
                None,
                Some("群众测评没有有效票"),
            ),
            // No answer at all.
            (d(30, "0"), vec![], (None, None), None, Some("群众测评没有测评票")),
            // Return rate exactly at the floor passes; below it fails.
            (
                d(1, "0.8"),
                vec![("满意", 4)],
                (Some(5), Some(4)),
                Some("100"),
                None,
            ),
            (
                d(1, "0.8"),
                vec![("满意", 3)],
                (Some(4), Some(3)),
                None,
                Some("群众测评回收率75.00%，低于80.00%"),
            ),
            // No 发放 count: not tested.
            (d(1, "0.8"), vec![("满意", 3)], (None, None), Some("100"), None),
            // Both rules fail: both named.
            (
                d(30, "0.8"),
                vec![("一般", 3)],
                (Some(4), Some(3)),
                None,
                Some("群众测评有效票不足30张（实有3张）；群众测评回收率75.00%，低于80.00%"),
            ),
            // 满意率: 基本满意 counts as 满意.
            (
                sat.clone(),
                vec![("满意", 60), ("基本满意", 30), ("不满意", 10)],
                (None, None),
                Some("90"),
                None,
            ),
            // Rounding half away from zero: 1×100 + 159×80 over 160 = 80.125 → 80.13.
            (
                d(1, "0"),
                vec![("满意", 1), ("基本满意", 159)],
                (None, None),
                Some("80.13"),
                None,
            ),
            // 2/3 of 100 = 66.666… → 66.67; 1/3 → 33.33.
            (d(1, "0"), vec![("满意", 2), ("不满意", 1)], (None, None), Some("66.67"), None),
            (d(1, "0"), vec![("满意", 1), ("不满意", 2)], (None, None), Some("33.33"), None),
            // A word the scheme no longer has.
            (
                d(1, "0"),
                vec![("满意", 5), ("较满意", 2)],
                (None, None),
                None,
                Some("群众测评的测评票中有现行评选方案没有的选项（“较满意”2票），请撤回这些测评票文件后重新导入"),
            ),
        ];
        for (s, pairs, turnout, want_score, want_reason) in cases {
            let got = run(&s, &pairs, turnout);
            assert_eq!(
                got.score.map(|d| d.normalize().to_string()).as_deref(),
                want_score,
                "{pairs:?}: {got:?}"
            );
            assert_eq!(got.reason.as_deref(), want_reason, "{pairs:?}");
            assert_eq!(got.explanation.is_some(), want_score.is_some(), "{pairs:?}");
        }
    }

    #[test]
    fn the_explanation_names_the_chosen_words_in_scheme_order() {
        let s = settings(DEFAULT, &["不了解", "不清楚"], 30, "0.8");
        let got = run(
            &s,
            &[
                ("不满意", 2),
                ("基本满意", 30),
                ("满意", 120),
                ("不清楚", 1),
                ("不了解", 2),
            ],
            (Some(200), Some(160)),
        );
        assert_eq!(
            got.explanation.as_deref(),
            Some("群众测评94.74分 = (满意120×100 + 基本满意30×80 + 不满意2×0) ÷ 152张有效票")
        );
        assert_eq!(
            got.counts,
            [
                ("满意".to_string(), 120),
                ("基本满意".to_string(), 30),
                ("一般".to_string(), 0),
                ("不满意".to_string(), 2)
            ]
        );
        assert_eq!((got.valid, got.not_counted), (152, 3));
        assert_eq!(got.return_rate, Some("0.8".parse().unwrap()));
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(
            json["counts"],
            serde_json::json!({"满意": 120, "基本满意": 30, "一般": 0, "不满意": 2})
        );
        assert_eq!(
            serde_json::to_string(&json["counts"]).unwrap(),
            r#"{"满意":120,"基本满意":30,"一般":0,"不满意":2}"#,
            "in the scheme's order"
        );
        assert_eq!(json["score"], serde_json::json!(94.74));
        // A fractional point value is shown as written.
        let half = settings(&[("满意", 100), ("一般", 0)], &[], 1, "0");
        let s = BallotSettings {
            choices: vec![
                ("满意".into(), "92.5".parse().unwrap()),
                ("一般".into(), Decimal::ZERO),
            ],
            ..half
        };
        assert_eq!(
            run(&s, &[("满意", 1)], (None, None)).explanation.as_deref(),
            Some("群众测评92.50分 = (满意1×92.5) ÷ 1张有效票")
        );
    }

    #[test]
    fn a_unit_without_ballots_lists_every_word_at_zero() {
        let s = settings(DEFAULT, &["不了解"], 30, "0");
        let none = no_ballots(&s, "群众测评");
        assert_eq!(none.counts.len(), 4);
        assert_eq!(none.not_counted_words, [("不了解".to_string(), 0)]);
        assert_eq!(none.reason.as_deref(), Some("群众测评没有测评票"));
        assert_eq!(run(&s, &[("满意", 0)], (None, None)), none);
    }
}
