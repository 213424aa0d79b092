//! Panel scores (评委打分, docs/specification.md §8): a unit's score for a component whose
//! source is `panel` is the mean of its judges' scores after dropping the `trim` highest
//! and the `trim` lowest, exact, rounded half away from zero to 2 places at the end.
//!
//! [`score`] is the rule, pure: settings, the component's label and one unit's scores in
//! judge order → the score or the reason it is missing, the sentence that explains it,
//! and the judges whose scores were dropped. Among equal scores the one dropped is the
//! later in judge order; [`list`] gives the stored scores in that order: the file
//! imported earlier first, then the column further left (the row further up in the long
//! form) — so a tie drops the score of the later file, column or row.
//!
//! [`list`] reads a campaign's scores from the store and scores every unit of the
//! campaign for every panel component, with the files that fed them.

use std::collections::HashMap;

use rusqlite::Connection;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use thiserror::Error;

use crate::scheme::{ComponentSource, PanelSettings, Scheme, SchemeError};
use crate::store::campaigns::{self, Unavailable};
use crate::store::{panel as panel_store, returns, StoreError};
use crate::Coded;

/// The reason of a unit no judge scored, after the component's label ("组织考评没有评委评分",
/// as ballots say "群众测评没有测评票").
pub const NO_SCORES: &str = "没有评委评分";

/// One judge's entry for a unit: a score, or `None` when the judge recused (回避).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeScore {
    /// The judge as the sheet names them.
    pub judge: String,
    /// The score; `None` for 回避.
    pub score: Option<Decimal>,
}

/// A unit's panel score, or why it is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The score rounded to 2 places; `None` when missing.
    pub score: Option<Decimal>,
    /// Why the score is missing.
    pub reason: Option<String>,
    /// How the score was reached ("组织考评91.25分：7位评委，去掉最高分96、最低分83后取平均").
    pub explanation: Option<String>,
    /// The judges whose scores were dropped: the highest first, then the lowest.
    pub dropped: Vec<String>,
}

/// The fewest scores a unit needs: `min_judges`, and always more than the `2 × trim`
/// dropped (the scheme's check demands `min_judges > 2 × trim`; a scheme built otherwise
/// still never averages nothing).
pub fn needed(settings: &PanelSettings) -> usize {
    (settings.min_judges as usize).max(2 * settings.trim as usize + 1)
}

/// Scores one unit: `scores` in judge order (among equal values the later is dropped
/// first), `label` the component's label for the sentences.
pub fn score(settings: &PanelSettings, label: &str, scores: &[JudgeScore]) -> Outcome {
    let missing = |reason: String| Outcome {
        score: None,
        reason: Some(reason),
        explanation: None,
        dropped: Vec::new(),
    };
    if scores.is_empty() {
        return missing(format!("{label}{NO_SCORES}"));
    }
    let valid: Vec<(usize, Decimal)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.score?)))
        .collect();
    let recused = scores.len() - valid.len();
    let need = needed(settings);
    if valid.len() < need {
        return missing(format!(
            "{label}有效评分不足{need}人（实有{}人）",
            valid.len()
        ));
    }
    let trim = settings.trim as usize;
    // Highest first, the later judge first among equals; lowest first likewise.
    let mut high = valid.clone();
    high.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let high: Vec<(usize, Decimal)> = high.into_iter().take(trim).collect();
    let mut low: Vec<(usize, Decimal)> = valid
        .iter()
        .filter(|(i, _)| !high.iter().any(|(h, _)| h == i))
        .copied()
        .collect();
    low.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
    low.truncate(trim);
    let dropped_at = |i: usize| high.iter().chain(&low).any(|(d, _)| *d == i);
    let kept: Vec<Decimal> = valid
        .iter()
        .filter(|(i, _)| !dropped_at(*i))
        .map(|(_, v)| *v)
        .collect();
    let sum: Decimal = kept.iter().sum();
    let mean = sum / Decimal::from(kept.len());
    let rounded = super::round2(mean);
    let values = |list: &[(usize, Decimal)]| {
        list.iter()
            .map(|(_, v)| v.normalize().to_string())
            .collect::<Vec<_>>()
            .join("、")
    };
    let judges = match recused {
        0 => format!("{}位评委", valid.len()),
        r => format!("{}位评委（另有{r}位回避）", valid.len()),
    };
    let how = if trim == 0 {
        format!("{judges}评分的平均")
    } else if trim == 1 {
        format!(
            "{judges}，去掉最高分{}、最低分{}后取平均",
            values(&high),
            values(&low)
        )
    } else {
        format!(
            "{judges}，去掉最高分{}，最低分{}后取平均",
            values(&high),
            values(&low)
        )
    };
    Outcome {
        score: Some(rounded),
        reason: None,
        explanation: Some(format!("{label}{}分：{how}", rounded.normalize())),
        dropped: high
            .iter()
            .chain(&low)
            .map(|(i, _)| scores[*i].judge.clone())
            .collect(),
    }
}

/// A score as a JSON number (null when missing).
fn number<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d.and_then(|d| d.to_f64()) {
        Some(f) => s.serialize_f64(f),
        None => s.serialize_none(),
    }
}

/// The judges' entries as `{"评委1": 92.5, "张三": "回避"}`, in judge order.
fn judges<S: Serializer>(list: &[JudgeScore], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(list.len()))?;
    for j in list {
        match j.score.and_then(|d| d.to_f64()) {
            Some(f) => m.serialize_entry(&j.judge, &f)?,
            None => m.serialize_entry(&j.judge, crate::vocab::words::PANEL_RECUSED)?,
        }
    }
    m.end()
}

/// One unit's panel score for one component, as `mofan panel list --json` prints it
/// (docs/specification.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitScore {
    /// The unit's `agencies.id` (not printed: the selection matches scores by it).
    #[serde(skip)]
    pub agency_id: i64,
    /// The unit's USCC, when its return gave one.
    pub uscc: Option<String>,
    /// The unit's name.
    pub name: String,
    /// The component's key.
    pub component: String,
    /// Every judge's entry, in judge order.
    #[serde(serialize_with = "judges")]
    pub scores: Vec<JudgeScore>,
    /// The judges whose scores were dropped.
    pub dropped: Vec<String>,
    /// The score rounded to 2 places; null when missing.
    #[serde(serialize_with = "number")]
    pub score: Option<Decimal>,
    /// Why it is missing.
    pub reason: Option<String>,
    /// How it was reached.
    pub explanation: Option<String>,
}

/// An imported file that fed a component's scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// File name.
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A panel component's scores for every unit of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComponentScores {
    /// The component's key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The settings used.
    pub settings: PanelSettings,
    /// One entry per unit of the campaign (agencies with a current return), in agency order.
    pub units: Vec<UnitScore>,
    /// The current files whose scores count, oldest first.
    pub files: Vec<SourceFile>,
}

/// Why a campaign's panel scores cannot be listed.
#[derive(Debug, Error)]
pub enum ListError {
    /// No campaign for the year.
    #[error(transparent)]
    Campaign(#[from] Unavailable),
    /// The campaign's stored scheme no longer parses.
    #[error("本年度保存的评选方案无法读取：{0}")]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ListError {
    fn from(e: rusqlite::Error) -> Self {
        ListError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for ListError {
    fn code(&self) -> &'static str {
        match self {
            ListError::Campaign(e) => e.code(),
            ListError::Scheme(e) => e.code(),
            ListError::Store(e) => e.code(),
        }
    }
}

/// The panel scores of campaign `year` under its stored scheme: one [`ComponentScores`]
/// per component whose source is `panel`, in scheme order.
pub fn list(conn: &Connection, year: i32) -> Result<Vec<ComponentScores>, ListError> {
    let c = campaigns::require(conn, year)?;
    let scheme = Scheme::parse(&c.scheme_toml)?;
    Ok(list_with_scheme(conn, year, &scheme)?)
}

/// [`list`] under a scheme given.
pub fn list_with_scheme(
    conn: &Connection,
    year: i32,
    scheme: &Scheme,
) -> rusqlite::Result<Vec<ComponentScores>> {
    let units = returns::current_units(conn, year)?;
    let mut out = Vec::new();
    for comp in scheme
        .components
        .iter()
        .filter(|c| c.source == ComponentSource::Panel)
    {
        let stored = panel_store::current(conn, year, &comp.key)?;
        let mut files: Vec<SourceFile> = Vec::new();
        let mut by_agency: HashMap<i64, Vec<JudgeScore>> = HashMap::new();
        for s in stored {
            if !files.iter().any(|f| f.sha256 == s.sha256) {
                files.push(SourceFile {
                    name: s.file_name.clone(),
                    sha256: s.sha256.clone(),
                });
            }
            // Stored scores are exact decimal texts written by the importer.
            let score = s.score.as_deref().map(|t| {
                t.parse::<Decimal>().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
            });
            by_agency.entry(s.agency_id).or_default().push(JudgeScore {
                judge: s.judge,
                score: score.transpose()?,
            });
        }
        let units = units
            .iter()
            .map(|u| {
                let scores = by_agency.remove(&u.agency_id).unwrap_or_default();
                let o = score(&scheme.panel, &comp.label, &scores);
                UnitScore {
                    agency_id: u.agency_id,
                    uscc: u.uscc.clone(),
                    name: u.name.clone(),
                    component: comp.key.clone(),
                    scores,
                    dropped: o.dropped,
                    score: o.score,
                    reason: o.reason,
                    explanation: o.explanation,
                }
            })
            .collect();
        out.push(ComponentScores {
            key: comp.key.clone(),
            label: comp.label.clone(),
            settings: scheme.panel,
            units,
            files,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Scores of judges 评委1, 评委2, … in that order; "回避" for a recusal.
    fn judges(values: &[&str]) -> Vec<JudgeScore> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| JudgeScore {
                judge: format!("评委{}", i + 1),
                score: (*v != "回避").then(|| d(v)),
            })
            .collect()
    }

    fn settings(min_judges: u32, trim: u32) -> PanelSettings {
        PanelSettings { min_judges, trim }
    }

    struct Case {
        what: &'static str,
        settings: PanelSettings,
        scores: &'static [&'static str],
        score: Option<&'static str>,
        dropped: &'static [&'static str],
        text: &'static str,
    }

    #[test]
    fn the_rule_and_its_boundaries() {
        let cases = [
            Case {
                what: "the example: seven judges, trim 1",
                settings: settings(5, 1),
                scores: &["92", "96", "90", "83", "91", "92.5", "90.75"],
                score: Some("91.25"),
                dropped: &["评委2", "评委4"],
                text: "组织考评91.25分：7位评委，去掉最高分96、最低分83后取平均",
            },
            Case {
                what: "exactly min_judges scores with trim",
                settings: settings(5, 1),
                scores: &["90", "80", "70", "60", "100"],
                score: Some("80"),
                dropped: &["评委5", "评委4"],
                text: "组织考评80分：5位评委，去掉最高分100、最低分60后取平均",
            },
            Case {
                what: "one score fewer than min_judges",
                settings: settings(5, 1),
                scores: &["90", "80", "70", "60"],
                score: None,
                dropped: &[],
                text: "组织考评有效评分不足5人（实有4人）",
            },
            Case {
                what: "回避 is not counted towards min_judges",
                settings: settings(5, 1),
                scores: &["90", "回避", "80", "70", "60"],
                score: None,
                dropped: &[],
                text: "组织考评有效评分不足5人（实有4人）",
            },
            Case {
                what: "回避 is not averaged, and is said",
                settings: settings(5, 1),
                scores: &["90", "回避", "80", "70", "60", "100"],
                score: Some("80"),
                dropped: &["评委6", "评委5"],
                text: "组织考评80分：5位评委（另有1位回避），去掉最高分100、最低分60后取平均",
            },
            Case {
                what: "ties among the highest and lowest: one of each dropped, the later judge's",
                settings: settings(5, 1),
                scores: &["96", "83", "90", "96", "83", "91"],
                score: Some("90"),
                dropped: &["评委4", "评委5"],
                text: "组织考评90分：6位评委，去掉最高分96、最低分83后取平均",
            },
            Case {
                what: "all equal",
                settings: settings(5, 1),
                scores: &["88", "88", "88", "88", "88"],
                score: Some("88"),
                dropped: &["评委5", "评委4"],
                text: "组织考评88分：5位评委，去掉最高分88、最低分88后取平均",
            },
            Case {
                what: "trim 0: the plain mean",
                settings: settings(3, 0),
                scores: &["90", "91", "95"],
                score: Some("92"),
                dropped: &[],
                text: "组织考评92分：3位评委评分的平均",
            },
            Case {
                what: "trim 2, ties: two of three equal highest dropped",
                settings: settings(7, 2),
                scores: &["96", "84", "95", "96", "83", "90", "96", "88"],
                score: Some("92.25"),
                dropped: &["评委7", "评委4", "评委5", "评委2"],
                text: "组织考评92.25分：8位评委，去掉最高分96、96，最低分83、84后取平均",
            },
            Case {
                what: "rounding x.xx5 away from zero",
                settings: settings(3, 0),
                scores: &["90.01", "90.02", "90.02", "90.01"],
                score: Some("90.02"),
                dropped: &[],
                text: "组织考评90.02分：4位评委评分的平均",
            },
            Case {
                what: "rounding below the midpoint",
                settings: settings(3, 0),
                scores: &["90", "90", "90.01"],
                score: Some("90"),
                dropped: &[],
                text: "组织考评90分：3位评委评分的平均",
            },
            Case {
                what: "exact thirds, rounded only at the end",
                settings: settings(3, 0),
                scores: &["90.005", "90", "90"],
                score: Some("90"),
                dropped: &[],
                text: "组织考评90分：3位评委评分的平均",
            },
            Case {
                what: "a scheme with min_judges not above 2 × trim still keeps a score",
                settings: settings(2, 1),
                scores: &["90", "80"],
                score: None,
                dropped: &[],
                text: "组织考评有效评分不足3人（实有2人）",
            },
            Case {
                what: "everyone recused",
                settings: settings(5, 1),
                scores: &["回避", "回避"],
                score: None,
                dropped: &[],
                text: "组织考评有效评分不足5人（实有0人）",
            },
            Case {
                what: "nobody scored",
                settings: settings(5, 1),
                scores: &[],
                score: None,
                dropped: &[],
                text: "组织考评没有评委评分",
            },
        ];
        for c in cases {
            let o = score(&c.settings, "组织考评", &judges(c.scores));
            assert_eq!(o.score, c.score.map(d), "{}", c.what);
            assert_eq!(o.dropped, c.dropped, "{}", c.what);
            let text = o.explanation.as_deref().or(o.reason.as_deref()).unwrap();
            assert_eq!(text, c.text, "{}", c.what);
            assert!(
                o.score.is_some() != o.reason.is_some(),
                "{}: a score or a reason",
                c.what
            );
        }
    }

    #[test]
    fn a_midpoint_is_rounded_away_from_zero() {
        // 90.125 exactly: 90.13, not the banker's 90.12.
        let o = score(
            &settings(4, 0),
            "组织考评",
            &judges(&["90.1", "90.15", "90.1", "90.15"]),
        );
        assert_eq!(o.score, Some(d("90.13")));
        // The mean is exact before rounding: 272.375 / 3 = 90.791666… → 90.79.
        let o = score(
            &settings(3, 0),
            "组织考评",
            &judges(&["90.125", "91.25", "91"]),
        );
        assert_eq!(o.score, Some(d("90.79")));
    }

    #[test]
    fn the_json_keeps_judge_order_and_says_recused() {
        let u = UnitScore {
            agency_id: 7,
            uscc: None,
            name: "甲局".into(),
            component: "organisation".into(),
            scores: judges(&["92.5", "回避", "90"]),
            dropped: vec!["评委1".into()],
            score: Some(d("91.25")),
            reason: None,
            explanation: Some("…".into()),
        };
        let text = serde_json::to_string(&u).unwrap();
        assert_eq!(
            text,
            r#"{"uscc":null,"name":"甲局","component":"organisation","scores":{"评委1":92.5,"评委2":"回避","评委3":90.0},"dropped":["评委1"],"score":91.25,"reason":null,"explanation":"…"}"#
        );
    }
}
