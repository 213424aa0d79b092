//! 清单台账 (docs/specification.md §10): what the ledger screen shows — every item with its
//! status on a date and the colour that status has everywhere (overdue red, due soon
//! amber, done green), the counts per status, and the filters the screen offers — and the
//! workbook it exports; the ledger workbooks checked and imported through the shared
//! import machinery ([`preview`], [`import_files`]: placed errors, partial import, the
//! error workbook from each file's report as on 数据导入); an item added by hand with a
//! refusal placed at the field it concerns ([`add`]); an item's earlier states in words
//! ([`history`]); and the overdue and due-soon problems the dashboard counts
//! ([`problem_counts`]). Marking done is [`crate::ledger::mark_done`] itself.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::imports::{duplicate_of, state_of};
use super::{lock, short_time, UiError};
use crate::import::{self, FileReport, ImportOptions, RowError};
use crate::ledger::{self, Filter, Item, LedgerError, NewItem};
use crate::store::files::FileKind;
use crate::store::Store;
use crate::vocab::fields::LEDGER_FIELDS;
use crate::vocab::{LedgerKind, LedgerLevel, LedgerSource, LedgerStatus, PreviewState, Vocab};

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
    /// Only items whose deadline is on or after this date (YYYY-MM-DD): with
    /// `deadline_by`, the screen's deadline range.
    #[serde(default)]
    pub deadline_from: Option<String>,
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
    /// The agency's id: its page (单位历年情况) is linked from the name.
    pub agency_id: i64,
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
        agency_id: i.agency_id,
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
    let from = date_of(q.deadline_from.as_deref())?;
    let mut l = ledger::list(
        store,
        &Filter {
            agency: q.agency.clone().filter(|a| !a.trim().is_empty()),
            kind: q.kind,
            status: None,
        },
        date,
    )?;
    // A range keeps only items with a deadline (a standing responsibility has none).
    if by.is_some() || from.is_some() {
        l.items.retain(|i| {
            i.deadline
                .is_some_and(|d| by.is_none_or(|b| d <= b) && from.is_none_or(|f| d >= f))
        });
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

/// The screen's 已导入文件: every imported ledger file, withdrawn ones too, oldest first.
pub fn files(store: &Store) -> Result<Vec<crate::store::files::FileRow>, UiError> {
    Ok(ledger::files(store)?)
}

/// Withdraws the live ledger file with id `id` as the screen lists it (audited
/// `ledger.withdraw`); a refusal names the item a later change touched.
pub fn withdraw(
    store: &mut Store,
    id: i64,
    operator: &str,
) -> Result<import::WithdrawReport, UiError> {
    Ok(ledger::withdraw_by_id(store, id, operator)?)
}

/// Writes the ledger workbook of what `q` keeps to `out`; the store is locked only while
/// the items are read, not while the workbook is built and written.
pub fn export(store: &Mutex<Store>, q: &LedgerQuery, out: &Path) -> Result<(), UiError> {
    let mut l = listing(&*lock(store)?, q)?;
    if let Some(s) = q.status {
        l.items.retain(|i| i.status == s);
    }
    crate::export::ledger::write(out, &l, &crate::now_string())?;
    Ok(())
}

/// The problems the dashboard counts on a date: overdue and due soon (the two statuses that
/// call for action), with the date and the `warn_days` they were taken with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProblemCounts {
    /// The date.
    pub date: NaiveDate,
    /// Days ahead a deadline counts as due soon.
    pub warn_days: u32,
    /// Problems overdue on the date.
    pub overdue: usize,
    /// Problems due soon on the date.
    pub due_soon: usize,
}

/// The overdue and due-soon problems on `date` (problems only: the responsibilities and
/// tasks are not what the selection and the 情况通报 hold agencies to).
pub fn problem_counts(store: &Store, date: NaiveDate) -> Result<ProblemCounts, UiError> {
    let l = ledger::list(
        store,
        &Filter {
            kind: Some(LedgerKind::Problem),
            ..Filter::default()
        },
        date,
    )?;
    let count = |s: LedgerStatus| l.items.iter().filter(|i| i.status == s).count();
    Ok(ProblemCounts {
        date,
        warn_days: l.settings.warn_days,
        overdue: count(LedgerStatus::Overdue),
        due_soon: count(LedgerStatus::DueSoon),
    })
}

/// What the 新增事项 dialog sends: the fields of `ledger add`, dates as YYYY-MM-DD.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerInput {
    /// The agency, by USCC or name.
    pub agency: String,
    /// The list.
    pub kind: LedgerKind,
    /// The text.
    pub text: String,
    /// The deadline (YYYY-MM-DD; required for a problem or a task).
    pub deadline: Option<String>,
    /// 整改措施.
    pub measures: Option<String>,
    /// 责任人.
    pub owner: Option<String>,
    /// The source of a problem.
    pub source: Option<LedgerSource>,
    /// The level of a responsibility.
    pub level: Option<LedgerLevel>,
    /// The year.
    pub year: Option<i32>,
}

/// A refusal of the dialog, at the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    /// The field's key in [`LedgerInput`] (`agency`, `text`, `deadline`, …).
    pub field: String,
    /// The core's message.
    pub message: String,
    /// The core's code (`ledger.exists`, …).
    pub code: String,
}

/// What 新增事项 did: the item, or why not at which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Added {
    /// The item entered.
    pub item: Option<Item>,
    /// The refusal, when refused.
    pub error: Option<FieldError>,
}

/// The field of the dialog a ledger refusal concerns; `None` for one that is about no
/// field (the database failing), which stays an error of the call.
pub fn field_of(e: &LedgerError) -> Option<&'static str> {
    Some(match e {
        LedgerError::Agency(_) => "agency",
        LedgerError::DeadlineRequired(_) => "deadline",
        LedgerError::LevelNotAllowed(_) => "level",
        LedgerError::SourceNotAllowed(_) => "source",
        LedgerError::Exists { .. } => "text",
        LedgerError::Year(_) => "year",
        // A text's message starts with its label ("整改措施过长（…）").
        LedgerError::Text(m) if m.starts_with("整改措施") => "measures",
        LedgerError::Text(m) if m.starts_with("责任人") => "owner",
        LedgerError::Text(_) => "text",
        _ => return None,
    })
}

/// Enters an item by hand ([`ledger::add`], audited). The core's refusals come back at the
/// field they concern, so the dialog can show each under its input; a deadline that is no
/// date is the deadline's.
pub fn add(store: &mut Store, input: &LedgerInput, operator: &str) -> Result<Added, UiError> {
    let refused = |field: &str, message: String, code: &str| Added {
        item: None,
        error: Some(FieldError {
            field: field.to_string(),
            message,
            code: code.to_string(),
        }),
    };
    let deadline = match input.deadline.as_deref().filter(|d| !d.trim().is_empty()) {
        None => None,
        Some(d) => match super::reviews::parse_date(d) {
            Ok(d) => Some(d),
            Err(e) => return Ok(refused("deadline", e.to_string(), crate::Coded::code(&e))),
        },
    };
    let new = NewItem {
        agency: input.agency.trim().to_string(),
        kind: input.kind,
        text: input.text.clone(),
        deadline,
        measures: input.measures.clone(),
        owner: input.owner.clone(),
        source: input.source,
        level: input.level,
        year: input.year,
        // 新增事项 on 清单台账 is not found in a supervision (监督问责's 新增发现问题 is).
        supervision: None,
    };
    match ledger::add(store, &new, operator) {
        Ok(item) => Ok(Added {
            item: Some(item),
            error: None,
        }),
        Err(e) => match field_of(&e) {
            Some(field) => Ok(refused(field, e.to_string(), crate::Coded::code(&e))),
            None => Err(e.into()),
        },
    }
}

/// One field an earlier state differs in from the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    /// The field's label (完成时间, 完成情况, …).
    pub label: String,
    /// Its value before ("" when empty).
    pub before: String,
    /// Its value after.
    pub after: String,
}

/// One earlier state of an item, as its history drawer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerChange {
    /// When it changed ("2026-06-20 14:03").
    pub at: String,
    /// Who changed it.
    pub operator: String,
    /// What changed it (标记完成, a row of a later file, an accepted rectification).
    pub cause: String,
    /// The fields it changed, with their values before and after.
    pub fields: Vec<FieldChange>,
}

/// The history's field keys (those of `store::ledger::state_json`) and their
/// vocabulary fields, in the order the drawer lists them.
const HISTORY_FIELDS: &[(&str, &str)] = &[
    ("kind", "ledger_kind"),
    ("level", "ledger_level"),
    ("source", "ledger_source"),
    ("year", "ledger_year"),
    ("text", "ledger_text"),
    ("measures", "ledger_measures"),
    ("owner", "ledger_owner"),
    ("deadline", "ledger_deadline"),
    ("done_on", "ledger_done_on"),
    ("evidence", "ledger_progress"),
];

/// A stored value in words: a kind, level or source by its label.
fn words_of(key: &str, v: &Value) -> String {
    let text = match v {
        Value::Null => return String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let label = match key {
        "kind" => LedgerKind::parse(&text).map(Vocab::label),
        "level" => LedgerLevel::parse(&text).map(Vocab::label),
        "source" => LedgerSource::parse(&text).map(Vocab::label),
        _ => None,
    };
    label.map_or(text, str::to_string)
}

/// Item `id`'s earlier states, oldest first, each with what the change after it altered
/// (compared with the next state, the last with the item as it is now).
pub fn history(store: &Store, id: i64) -> Result<Vec<LedgerChange>, UiError> {
    let changes = ledger::history(store, id)?;
    let now = crate::store::ledger::get(store.conn(), id)?
        .ok_or(LedgerError::NotFound(id))
        .map_err(UiError::from)?;
    let mut states: Vec<Value> = changes
        .iter()
        .map(|c| serde_json::from_str(&c.before).unwrap_or(Value::Null))
        .collect();
    states.push(crate::store::ledger::state_json(&now.fields));
    Ok(changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| LedgerChange {
            at: short_time(&c.at),
            operator: c.operator,
            cause: c.cause,
            fields: HISTORY_FIELDS
                .iter()
                .filter_map(|(key, field)| {
                    let before = words_of(key, &states[i][key]);
                    let after = words_of(key, &states[i + 1][key]);
                    let label = LEDGER_FIELDS.iter().find(|f| f.key == *field)?.label;
                    (before != after).then(|| FieldChange {
                        label: label.to_string(),
                        before,
                        after,
                    })
                })
                .collect(),
        })
        .collect())
}

/// What importing a chosen ledger workbook would do, without storing anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerPreview {
    /// The path as chosen.
    pub path: String,
    /// File name.
    pub file: String,
    /// How the file stands (可导入, 有错误, 已导入过, 无法读取).
    pub state: PreviewState,
    /// Set when the same file is imported already (the core's message).
    pub duplicate: Option<String>,
    /// The sheets with a header.
    pub sheets: Vec<String>,
    /// Data rows found.
    pub rows: usize,
    /// Rows that would be stored.
    pub valid: usize,
    /// Warnings in Chinese; they do not stop the import.
    pub warnings: Vec<String>,
    /// Errors with their place (sheet, row, column, message).
    pub errors: Vec<RowError>,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a chosen ledger workbook as `ledger import` would (rows without a 清单类型 cell
/// belong to `kind`), storing nothing; the store is locked only to make the importer and
/// to look for the same file. Also returns the report the error workbook is made from.
pub fn preview(
    store: &Mutex<Store>,
    path: &Path,
    kind: Option<LedgerKind>,
) -> Result<(LedgerPreview, FileReport), UiError> {
    let importer = import::Ledger::open(&*lock(store)?, kind, "")?;
    let name = file_name(path);
    let mut a = match import::file::read_import_file(path) {
        Ok(bytes) => import::analyze(&importer, bytes, &name),
        Err(e) => import::Analysis::failed(&name, String::new(), e.to_string()),
    };
    // The gate refuses a readable file without records; the preview says so first.
    if !a.unreadable && a.valid.is_empty() && a.errors.is_empty() {
        a.errors.push(import::no_records::<import::Ledger>());
    }
    let duplicate = duplicate_of(store, FileKind::Ledger, None, &a.sha256)?;
    let report = FileReport::unstored(
        &a.file_name,
        &a.sha256,
        &a.sheets,
        a.rows,
        &a.warnings,
        &a.errors,
    );
    let state = state_of(a.unreadable, duplicate.is_some(), &a.errors);
    Ok((
        LedgerPreview {
            path: path.display().to_string(),
            file: a.file_name,
            state,
            duplicate,
            sheets: a.sheets.iter().map(|(s, _)| s.clone()).collect(),
            rows: a.rows,
            valid: a.valid.len(),
            warnings: a.warnings,
            errors: a.errors,
        },
        report,
    ))
}

/// Imports chosen ledger workbooks one after the other, each in its own transaction (a
/// whole file, or with `opts.partial` its correct rows). The importer is made again for
/// each file, as `ledger import` does: a file may name an agency the one before it did
/// not know.
pub fn import_files(
    store: &Mutex<Store>,
    paths: &[PathBuf],
    kind: Option<LedgerKind>,
    opts: &ImportOptions,
) -> Result<Vec<FileReport>, UiError> {
    let mut reports = Vec::with_capacity(paths.len());
    for path in paths {
        let mut store = lock(store)?;
        let importer = import::Ledger::open(&store, kind, &opts.operator)?;
        reports.push(import::import_file(&mut store, &importer, path, opts)?);
    }
    Ok(reports)
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
        // The range's ends are inclusive: 乙 (06-12) and 丙 (08-01), not 甲 (06-01).
        let range = |from: &str, to: Option<&str>| {
            view(
                &store,
                &LedgerQuery {
                    deadline_from: Some(from.into()),
                    deadline_by: to.map(str::to_string),
                    ..q.clone()
                },
            )
            .unwrap()
            .rows
            .iter()
            .map(|r| r.text.clone())
            .collect::<Vec<_>>()
        };
        assert_eq!(range("2026-06-02", None), ["乙", "丙"]);
        assert_eq!(range("2026-06-12", Some("2026-08-01")), ["乙", "丙"]);
        assert_eq!(range("2026-06-01", Some("2026-06-11")), ["甲"]);
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
        export(&Mutex::new(store), &q, &out).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 3000);
    }
}

#[cfg(test)]
mod screen_tests {
    use super::*;
    use crate::ui::reviews::parse_date;
    use crate::ui::testing::{campaign_with, fixture, OPERATOR};

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn input(kind: LedgerKind, text: &str, deadline: Option<&str>) -> LedgerInput {
        LedgerInput {
            agency: "广州市人民检察院".into(),
            kind,
            text: text.into(),
            deadline: deadline.map(str::to_string),
            measures: None,
            owner: None,
            source: None,
            level: None,
            year: None,
        }
    }

    #[test]
    fn the_dashboard_counts_overdue_and_due_soon_problems_at_their_boundaries() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        // On 2026-06-10 with warn_days 7: the 9th overdue, the 10th and the 17th due soon,
        // the 18th open; a task overdue is not a problem and is not counted.
        for (kind, text, deadline) in [
            (LedgerKind::Problem, "甲", "2026-06-09"),
            (LedgerKind::Problem, "乙", "2026-06-10"),
            (LedgerKind::Problem, "丙", "2026-06-17"),
            (LedgerKind::Problem, "丁", "2026-06-18"),
            (LedgerKind::Task, "戊", "2026-06-01"),
        ] {
            let a = add(&mut store, &input(kind, text, Some(deadline)), OPERATOR).unwrap();
            assert!(a.error.is_none(), "{a:?}");
        }
        let c = problem_counts(&store, day("2026-06-10")).unwrap();
        assert_eq!(
            (c.overdue, c.due_soon, c.warn_days, c.date),
            (1, 2, 7, day("2026-06-10"))
        );
        // A day later the 10th is overdue too, and the 18th is due soon.
        let c = problem_counts(&store, day("2026-06-11")).unwrap();
        assert_eq!((c.overdue, c.due_soon), (2, 2));
        // Marked done, an overdue problem leaves the count.
        let id = view(&store, &LedgerQuery::default())
            .unwrap()
            .rows
            .iter()
            .find(|r| r.text == "甲")
            .unwrap()
            .id;
        ledger::mark_done(&mut store, id, day("2026-06-10"), Some("已整改"), OPERATOR).unwrap();
        let c = problem_counts(&store, day("2026-06-11")).unwrap();
        assert_eq!((c.overdue, c.due_soon), (1, 2));
        let d = crate::ui::dashboard::dashboard(&store, 2026, day("2026-06-11")).unwrap();
        assert_eq!(d.ledger, c);
    }

    #[test]
    fn a_refused_entry_names_the_field_it_concerns() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let ok = add(
            &mut store,
            &input(LedgerKind::Problem, "制度执行不到位", Some("2026-06-30")),
            OPERATOR,
        )
        .unwrap();
        let item = ok.item.unwrap();
        assert_eq!((item.name.as_str(), item.year), ("广州市人民检察院", 2026));
        let long = "长".repeat(2001);
        let cases: Vec<(LedgerInput, &str, &str)> = vec![
            (
                LedgerInput {
                    agency: "广州市检察院".into(),
                    ..input(LedgerKind::Problem, "甲", Some("2026-06-30"))
                },
                "agency",
                "agency.not_found",
            ),
            (
                input(LedgerKind::Problem, "甲", None),
                "deadline",
                "ledger.deadline_required",
            ),
            (
                input(LedgerKind::Problem, "甲", Some("2026-02-30")),
                "deadline",
                "desktop.bad_date",
            ),
            (
                input(LedgerKind::Problem, "制度执行不到位。", Some("2026-07-30")),
                "text",
                "ledger.exists",
            ),
            (
                input(LedgerKind::Problem, "  ", Some("2026-07-30")),
                "text",
                "ledger.text",
            ),
            (
                LedgerInput {
                    level: Some(LedgerLevel::Branch),
                    ..input(LedgerKind::Task, "甲", Some("2026-06-30"))
                },
                "level",
                "ledger.level_not_allowed",
            ),
            (
                LedgerInput {
                    source: Some(LedgerSource::Audit),
                    ..input(LedgerKind::Task, "甲", Some("2026-06-30"))
                },
                "source",
                "ledger.source_not_allowed",
            ),
            (
                LedgerInput {
                    year: Some(1999),
                    ..input(LedgerKind::Problem, "甲", Some("2026-06-30"))
                },
                "year",
                "ledger.year",
            ),
            (
                LedgerInput {
                    measures: Some(long.clone()),
                    ..input(LedgerKind::Problem, "甲", Some("2026-06-30"))
                },
                "measures",
                "ledger.text",
            ),
            (
                LedgerInput {
                    owner: Some(long),
                    ..input(LedgerKind::Problem, "甲", Some("2026-06-30"))
                },
                "owner",
                "ledger.text",
            ),
        ];
        for (given, field, code) in cases {
            let a = add(&mut store, &given, OPERATOR).unwrap();
            let e = a.error.unwrap_or_else(|| panic!("{given:?} accepted"));
            assert!(a.item.is_none());
            assert_eq!((e.field.as_str(), e.code.as_str()), (field, code), "{e:?}");
            assert!(!e.message.is_empty());
        }
        // A responsibility needs no deadline.
        let r = add(
            &mut store,
            &input(LedgerKind::Responsibility, "甲", None),
            OPERATOR,
        )
        .unwrap();
        assert!(r.error.is_none(), "{r:?}");
        assert_eq!(view(&store, &LedgerQuery::default()).unwrap().rows.len(), 2);
    }

    #[test]
    fn an_items_history_says_what_each_change_altered() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let id = add(
            &mut store,
            &input(LedgerKind::Problem, "制度执行不到位", Some("2026-06-30")),
            OPERATOR,
        )
        .unwrap()
        .item
        .unwrap()
        .id;
        assert!(history(&store, id).unwrap().is_empty());
        ledger::mark_done(
            &mut store,
            id,
            day("2026-06-20"),
            Some("制度已印发"),
            OPERATOR,
        )
        .unwrap();
        let h = history(&store, id).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].cause.as_str(), h[0].operator.as_str()),
            ("标记完成", OPERATOR)
        );
        let changed: Vec<(&str, &str, &str)> = h[0]
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.before.as_str(), f.after.as_str()))
            .collect();
        assert_eq!(
            changed,
            [
                ("完成时间", "", "2026-06-20"),
                ("完成情况", "", "制度已印发")
            ]
        );
        assert_eq!(
            crate::Coded::code(&history(&store, 999).unwrap_err()),
            "ledger.not_found"
        );
    }

    #[test]
    fn a_ledger_workbook_is_checked_then_imported_whole_or_in_part() {
        let store = Mutex::new(campaign_with(&["00_广州市.xlsx"]));
        let bad = fixture("ledger/台账_错误行.xlsx");
        // Without a kind column nor a kind given, the file is refused whole (the window
        // then asks for the kind); with one, the bad rows are placed.
        let (p, _) = preview(&store, &bad, None).unwrap();
        assert_eq!(p.state, PreviewState::Unreadable);
        assert!(
            p.errors.iter().any(|e| e.message.contains("清单类型")),
            "{p:?}"
        );
        let (p, report) = preview(&store, &bad, Some(LedgerKind::Problem)).unwrap();
        assert_eq!((p.state, p.valid), (PreviewState::Errors, 1));
        let placed: Vec<(Option<u32>, Option<String>)> =
            p.errors.iter().map(|e| (e.row, e.column.clone())).collect();
        assert_eq!(placed[0], (Some(3), Some("B".to_string())));
        assert_eq!(report.errors.len(), p.errors.len());
        // Whole-file: rejected, nothing stored; partial: the good row.
        let whole = ImportOptions {
            partial: false,
            operator: OPERATOR.into(),
        };
        let r = import_files(
            &store,
            std::slice::from_ref(&bad),
            Some(LedgerKind::Problem),
            &whole,
        )
        .unwrap();
        assert_eq!(r[0].imported, 0);
        let partial = ImportOptions {
            partial: true,
            ..whole
        };
        let r = import_files(
            &store,
            std::slice::from_ref(&bad),
            Some(LedgerKind::Problem),
            &partial,
        )
        .unwrap();
        assert_eq!(r[0].imported, 1);
        let s = lock(&store).unwrap();
        assert_eq!(view(&s, &LedgerQuery::default()).unwrap().rows.len(), 1);
        let row = &view(&s, &LedgerQuery::default()).unwrap().rows[0];
        assert!(
            row.provenance.contains("台账_错误行.xlsx"),
            "{}",
            row.provenance
        );
        drop(s);
        // The same file again is a duplicate.
        let (p, _) = preview(&store, &bad, Some(LedgerKind::Problem)).unwrap();
        assert_eq!(p.state, PreviewState::Duplicate);
        assert!(p.duplicate.unwrap().contains("内容相同"));
        let (p, _) = preview(&store, &fixture("ledger/nothing.xlsx"), None).unwrap();
        assert_eq!(p.state, PreviewState::Unreadable);
    }
}
