//! 清单台账 (docs/specification.md §10): what the ledger screen shows — every item with its
//! status on a date and the colour that status has everywhere (overdue red, due soon
//! amber, done green), the counts per status, and the filters the screen offers — and the
//! workbook it exports. Adding, marking done and importing are core calls themselves
//! ([`crate::ledger::add`], [`crate::ledger::mark_done`], `import::Ledger`).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::UiError;
use crate::ledger::{self, Filter, Item};
use crate::store::Store;
use crate::vocab::{LedgerKind, LedgerLevel, LedgerSource, LedgerStatus, Vocab};

/// What the screen asks for: every filter optional; the date defaults to today.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerQuery {
    /// The date the statuses are on (YYYY-MM-DD); today when absent.
    pub date: Option<String>,
    /// Only this agency (USCC or name).
    pub agency: Option<String>,
    /// Only this list.
    pub kind: Option<LedgerKind>,
    /// Only this status.
    pub status: Option<LedgerStatus>,
    /// Only items whose deadline is on or before this date (YYYY-MM-DD).
    pub deadline_by: Option<String>,
}

/// How a status is coloured, in the words of the window's tags: the same meaning as the
/// workbook's fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Red: overdue.
    Danger,
    /// Amber: due soon.
    Warning,
    /// Green: done.
    Success,
    /// Neutral: open.
    Info,
}

/// The colour of a status.
pub fn tone(s: LedgerStatus) -> Tone {
    match s {
        LedgerStatus::Overdue => Tone::Danger,
        LedgerStatus::DueSoon => Tone::Warning,
        LedgerStatus::Done => Tone::Success,
        LedgerStatus::Open => Tone::Info,
    }
}

/// One item as the screen's table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerRow {
    /// Its number.
    pub id: i64,
    /// The agency's name.
    pub name: String,
    /// The agency's USCC.
    pub uscc: Option<String>,
    /// The list.
    pub kind: LedgerKind,
    /// The level of a responsibility.
    pub level: Option<LedgerLevel>,
    /// The source of a problem.
    pub source: Option<LedgerSource>,
    /// The year it belongs to.
    pub year: i32,
    /// The text.
    pub text: String,
    /// 整改措施.
    pub measures: Option<String>,
    /// 责任人.
    pub owner: Option<String>,
    /// The deadline.
    pub deadline: Option<NaiveDate>,
    /// Days from the date to the deadline (negative when overdue); none without one.
    pub days_left: Option<i64>,
    /// When it was done.
    pub done_on: Option<NaiveDate>,
    /// 完成情况.
    pub evidence: Option<String>,
    /// Its status on the date.
    pub status: LedgerStatus,
    /// The status's colour.
    pub tone: Tone,
    /// Where it came from, in words.
    pub provenance: String,
    /// Whether it can be marked done (not done yet).
    pub can_mark_done: bool,
}

/// One status with its count among the rows shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    /// The status.
    pub status: LedgerStatus,
    /// Its label.
    pub label: String,
    /// Its colour.
    pub tone: Tone,
    /// Items with it.
    pub count: usize,
}

/// The ledger screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerView {
    /// The date the statuses are on.
    pub date: NaiveDate,
    /// Days ahead a deadline counts as due soon, on that date.
    pub warn_days: u32,
    /// Whether an overdue problem blocks the selection, on that date.
    pub overdue_blocks_selection: bool,
    /// The items kept by the filters (every status filter aside, see `counts`).
    pub rows: Vec<LedgerRow>,
    /// Every status with its count among the items the other filters keep, so that the
    /// screen's status buttons say how many each would show.
    pub counts: Vec<StatusCount>,
    /// The agencies that have items, by name: the agency filter's choices.
    pub agencies: Vec<String>,
}

fn date_of(text: Option<&str>) -> Result<Option<NaiveDate>, UiError> {
    text.map(super::reviews::parse_date).transpose()
}

fn row(i: Item, date: NaiveDate) -> LedgerRow {
    LedgerRow {
        days_left: i.deadline.map(|d| (d - date).num_days()),
        can_mark_done: i.done_on.is_none(),
        tone: tone(i.status),
        id: i.id,
        name: i.name,
        uscc: i.uscc,
        kind: i.kind,
        level: i.level,
        source: i.source,
        year: i.year,
        text: i.text,
        measures: i.measures,
        owner: i.owner,
        deadline: i.deadline,
        done_on: i.done_on,
        evidence: i.evidence,
        status: i.status,
        provenance: i.provenance,
    }
}

/// The listing a query asks for, without its status filter.
fn listing(store: &Store, q: &LedgerQuery) -> Result<ledger::Listing, UiError> {
    let date = date_of(q.date.as_deref())?.unwrap_or_else(crate::today);
    let by = date_of(q.deadline_by.as_deref())?;
    let mut l = ledger::list(
        store,
        &Filter {
            agency: q.agency.clone().filter(|a| !a.trim().is_empty()),
            kind: q.kind,
            status: None,
        },
        date,
    )?;
    if let Some(by) = by {
        l.items.retain(|i| i.deadline.is_some_and(|d| d <= by));
    }
    Ok(l)
}

/// The ledger screen for `q`.
pub fn view(store: &Store, q: &LedgerQuery) -> Result<LedgerView, UiError> {
    let l = listing(store, q)?;
    let counts = LedgerStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: *s,
            label: s.label().to_string(),
            tone: tone(*s),
            count: l.items.iter().filter(|i| i.status == *s).count(),
        })
        .collect();
    let mut agencies: Vec<String> = ledger::list(store, &Filter::default(), l.date)?
        .items
        .into_iter()
        .map(|i| i.name)
        .collect();
    agencies.sort();
    agencies.dedup();
    let date = l.date;
    Ok(LedgerView {
        date,
        warn_days: l.settings.warn_days,
        overdue_blocks_selection: l.settings.overdue_blocks_selection,
        rows: l
            .items
            .into_iter()
            .filter(|i| q.status.is_none_or(|s| i.status == s))
            .map(|i| row(i, date))
            .collect(),
        counts,
        agencies,
    })
}

/// Writes the ledger workbook of what `q` keeps to `out`.
pub fn export(store: &Store, q: &LedgerQuery, out: &Path) -> Result<(), UiError> {
    let mut l = listing(store, q)?;
    if let Some(s) = q.status {
        l.items.retain(|i| i.status == s);
    }
    crate::export::ledger::write(out, &l)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::NewItem;
    use crate::ui::testing::campaign_with;

    #[test]
    fn the_screen_shows_statuses_their_colours_and_counts() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        for (text, deadline) in [
            ("甲", "2026-06-01"),
            ("乙", "2026-06-12"),
            ("丙", "2026-08-01"),
        ] {
            ledger::add(
                &mut store,
                &NewItem {
                    agency: "广州市人民检察院".into(),
                    kind: LedgerKind::Problem,
                    text: text.into(),
                    deadline: Some(super::super::reviews::parse_date(deadline).unwrap()),
                    measures: None,
                    owner: None,
                    source: None,
                    level: None,
                    year: None,
                    supervision: None,
                },
                "张三",
            )
            .unwrap();
        }
        let q = LedgerQuery {
            date: Some("2026-06-10".into()),
            ..LedgerQuery::default()
        };
        let v = view(&store, &q).unwrap();
        assert_eq!(v.warn_days, 7);
        let tones: Vec<(String, Tone, Option<i64>)> = v
            .rows
            .iter()
            .map(|r| (r.text.clone(), r.tone, r.days_left))
            .collect();
        assert_eq!(
            tones,
            [
                ("甲".to_string(), Tone::Danger, Some(-9)),
                ("乙".to_string(), Tone::Warning, Some(2)),
                ("丙".to_string(), Tone::Info, Some(52)),
            ]
        );
        let counts: Vec<usize> = v.counts.iter().map(|c| c.count).collect();
        assert_eq!(counts, [1, 1, 1, 0]);
        assert_eq!(v.agencies, ["广州市人民检察院"]);
        // A status filter keeps the counts of every status.
        let overdue = view(
            &store,
            &LedgerQuery {
                status: Some(LedgerStatus::Overdue),
                ..q.clone()
            },
        )
        .unwrap();
        assert_eq!(overdue.rows.len(), 1);
        assert_eq!(overdue.counts, v.counts);
        let by = view(
            &store,
            &LedgerQuery {
                deadline_by: Some("2026-06-30".into()),
                ..q.clone()
            },
        )
        .unwrap();
        assert_eq!(by.rows.len(), 2);
        let bad = view(
            &store,
            &LedgerQuery {
                date: Some("2026-13-01".into()),
                ..q.clone()
            },
        )
        .unwrap_err();
        assert_eq!(crate::Coded::code(&bad), "desktop.bad_date");
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("台账.xlsx");
        export(&store, &q, &out).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 3000);
    }
}
