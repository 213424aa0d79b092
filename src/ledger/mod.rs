//! The ledger (清单台账, docs/specification.md §10): responsibility, task and problem items
//! kept across years, each with its status on a date.
//!
//! - [`status`] is the rule of an item's status on a date D (done / overdue / due soon /
//!   open), with the `warn_days` of [`settings_on`] — the `[ledger]` settings of the
//!   campaign of D's year, or the defaults when that year has no campaign.
//! - [`add`] and [`mark_done`] ([`mark_done_as_of`] with today given) are the clerk's
//!   manual entries, each one transaction with its audit row; a done date after today is
//!   refused, as the import refuses it. Marking done an item a review created also accepts the rectification
//!   of the award the review put under rectification (the same transaction): marking it
//!   done is how a rectification is reported.
//! - [`add_review_problem_in`] and [`done_for_award_in`] are the review's side of that
//!   link, run inside the review's own transaction (`review::apply`, `awards rectified`).
//! - [`list`] is the ledger on a date with its filters (`ledger list`, the workbook, the
//!   window); [`bulletin`] the overdue and due-soon problems by agency (情况通报).
//! - [`overdue_problems`] is what the selection's eligibility reads.
//!
//! Imported items come through the shared import machinery (`import::ledger`), which
//! stores each row with [`store_row_in`]; [`withdraw`] takes an imported file back
//! ([`files`] lists them).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::limits::{check_plain, TextKind};
use crate::normalize::{fold_spaces, item_key};
use crate::scheme::{LedgerSettings, Scheme, SchemeError};
use crate::store::agencies::{self, Lookup};
use crate::store::ledger::{self as ledger_store, Change, ItemFields, ItemRow, Provenance};
use crate::store::{campaigns, supervision as supervision_store, Store, StoreError};
use crate::vocab::{AwardStatus, LedgerKind, LedgerLevel, LedgerSource, LedgerStatus};
use crate::Coded;

#[cfg(test)]
mod tests;
mod withdraw;

pub use withdraw::{files, withdraw, withdraw_by_id};

/// Errors of the ledger's commands.
#[derive(Debug, Error)]
pub enum LedgerError {
    /// The agency given names no agency, or several (`store::agencies::resolve`).
    #[error(transparent)]
    Agency(#[from] Lookup),
    /// The supervision record an item is said to be found in does not exist.
    #[error("没有编号为{0}的督查记录")]
    SupervisionNotFound(i64),
    /// The supervision record supervised another agency than the item's.
    #[error("督查记录{id}是对“{record_agency}”的督查，其发现的问题不能记在“{agency}”名下")]
    SupervisionAgency {
        /// The record.
        id: i64,
        /// The agency it supervised.
        record_agency: String,
        /// The item's agency.
        agency: String,
    },
    /// No item has this id.
    #[error("没有编号为{0}的台账事项")]
    NotFound(i64),
    /// The item was marked done already.
    #[error("台账事项{id}已于{done_on}完成，不能再次标记完成")]
    AlreadyDone {
        /// The item.
        id: i64,
        /// When it was done.
        done_on: NaiveDate,
    },
    /// An item marked done on a day still to come: the import refuses such a date as well
    /// (`import::ledger`), since a done date records a fact.
    #[error("完成日期{date}晚于今天（{today}）")]
    DoneInFuture {
        /// The date given.
        date: NaiveDate,
        /// Today, as the command saw it.
        today: NaiveDate,
    },
    /// A review's item marked done before the review that found the problem.
    #[error("完成日期{date}早于发现该问题的复查日期{review_date}")]
    DoneBeforeReview {
        /// The date given.
        date: NaiveDate,
        /// The review's date.
        review_date: String,
    },
    /// A problem or task without a deadline.
    #[error("{}的事项须填写整改时限（--deadline）", .0.label())]
    DeadlineRequired(LedgerKind),
    /// A level given to an item that is not a responsibility.
    #[error("只有责任清单的事项有责任层级，{}的事项不能填写", .0.label())]
    LevelNotAllowed(LedgerKind),
    /// A source given to an item that is not a problem.
    #[error("只有问题清单的事项有问题来源，{}的事项不能填写", .0.label())]
    SourceNotAllowed(LedgerKind),
    /// The agency already has an item of this kind with the same text.
    #[error("“{name}”的{}中已有相同事项（编号{id}）", .kind.label())]
    Exists {
        /// The agency's name.
        name: String,
        /// The kind.
        kind: LedgerKind,
        /// The item there is.
        id: i64,
    },
    /// The withdrawal target names no live ledger file.
    #[error("没有找到要撤回的台账文件“{0}”（可用文件编号、SHA-256 或文件名）")]
    FileNotFound(String),
    /// The withdrawal target names several live ledger files.
    #[error("“{target}”对应多个台账文件（{}），请改用文件编号", .matches.join("、"))]
    FileAmbiguous {
        /// What was asked for.
        target: String,
        /// The files it matches, "编号N《name》".
        matches: Vec<String>,
    },
    /// A ledger file whose withdrawal cannot put the ledger back as it was before it
    /// (docs/specification.md §10), with the item that stops it and why.
    #[error("台账文件《{file}》不能撤回：台账事项{item}（{agency}，“{text}”）{reason}")]
    WithdrawRefused {
        /// The file's name.
        file: String,
        /// The item.
        item: i64,
        /// The item's agency.
        agency: String,
        /// The item's text.
        text: String,
        /// Why, naming the later change.
        reason: String,
    },
    /// A text empty, too long or holding a control character.
    #[error("{0}")]
    Text(String),
    /// A year outside 2000–2100.
    #[error("年度{0}不在2000–2100之间")]
    Year(i32),
    /// A campaign's stored scheme no longer parses.
    #[error("{year}年度保存的评选方案无法读取：{source}")]
    Scheme {
        /// The campaign year.
        year: i32,
        /// Why.
        source: SchemeError,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> Self {
        LedgerError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for LedgerError {
    fn code(&self) -> &'static str {
        match self {
            LedgerError::Agency(e) => e.code(),
            LedgerError::SupervisionNotFound(_) => "ledger.supervision_not_found",
            LedgerError::SupervisionAgency { .. } => "ledger.supervision_agency",
            LedgerError::NotFound(_) => "ledger.not_found",
            LedgerError::AlreadyDone { .. } => "ledger.already_done",
            LedgerError::DoneInFuture { .. } => "ledger.done_in_future",
            LedgerError::DoneBeforeReview { .. } => "ledger.done_before_review",
            LedgerError::DeadlineRequired(_) => "ledger.deadline_required",
            LedgerError::LevelNotAllowed(_) => "ledger.level_not_allowed",
            LedgerError::SourceNotAllowed(_) => "ledger.source_not_allowed",
            LedgerError::Exists { .. } => "ledger.exists",
            LedgerError::FileNotFound(_) => "ledger.file_not_found",
            LedgerError::FileAmbiguous { .. } => "ledger.file_ambiguous",
            LedgerError::WithdrawRefused { .. } => "ledger.withdraw_refused",
            LedgerError::Text(_) => "ledger.text",
            LedgerError::Year(_) => "ledger.year",
            LedgerError::Scheme { source, .. } => source.code(),
            LedgerError::Store(e) => e.code(),
            LedgerError::Audit(e) => e.code(),
        }
    }
}

/// An item's status on `date` (docs/specification.md §10): done once it has a done date
/// (whenever that was); else overdue when its deadline is before `date`; due soon when
/// the deadline is `date` or one of the `warn_days` days after it; open otherwise — and
/// always open without a deadline (a standing responsibility).
pub fn status(item: &ItemFields, date: NaiveDate, warn_days: u32) -> LedgerStatus {
    if item.done_on.is_some() {
        return LedgerStatus::Done;
    }
    match item.deadline {
        Some(d) if d < date => LedgerStatus::Overdue,
        Some(d) if (d - date).num_days() <= i64::from(warn_days) => LedgerStatus::DueSoon,
        _ => LedgerStatus::Open,
    }
}

/// The `[ledger]` settings that hold on `date`: those of the campaign of `date`'s year,
/// the defaults when there is none.
pub fn settings_on(
    conn: &rusqlite::Connection,
    date: NaiveDate,
) -> Result<LedgerSettings, LedgerError> {
    let year = date.year();
    match campaigns::get(conn, year)? {
        Some(c) => Ok(Scheme::parse(&c.scheme_toml)
            .map_err(|source| LedgerError::Scheme { year, source })?
            .ledger),
        None => Ok(LedgerSettings::default()),
    }
}

/// The problems not done whose deadline is before `date`, as (agency, item id, deadline)
/// by agency and id: what makes an agency ineligible under `overdue_blocks_selection`.
pub fn overdue_problems(
    conn: &rusqlite::Connection,
    date: NaiveDate,
) -> rusqlite::Result<Vec<(i64, i64, NaiveDate)>> {
    ledger_store::overdue_problems(conn, date)
}

/// The agency a command names by USCC or by name: the store's one lookup of an agency a
/// clerk names ([`agencies::resolve`]: the closest names for an unknown one, each agency
/// with its region and USCC for a name several share); its id and current name.
pub fn find_agency(conn: &rusqlite::Connection, given: &str) -> Result<(i64, String), LedgerError> {
    let a = agencies::resolve(conn, given)?;
    Ok((a.id, a.name))
}

/// A text as stored: white space folded, checked against its limit; `None` when blank.
fn clean_text(kind: TextKind, s: Option<&str>) -> Result<Option<String>, LedgerError> {
    let Some(s) = s.map(fold_spaces).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    check_plain(kind, &s).map_err(LedgerError::Text)?;
    Ok(Some(s))
}

/// Checks the rules every item obeys, however it comes: level only for a responsibility,
/// source only for a problem, a deadline for a problem or a task, a year in 2000–2100.
pub fn check_fields(f: &ItemFields) -> Result<(), LedgerError> {
    if f.level.is_some() && f.kind != LedgerKind::Responsibility {
        return Err(LedgerError::LevelNotAllowed(f.kind));
    }
    if f.source.is_some() && f.kind != LedgerKind::Problem {
        return Err(LedgerError::SourceNotAllowed(f.kind));
    }
    if f.deadline.is_none() && f.kind != LedgerKind::Responsibility {
        return Err(LedgerError::DeadlineRequired(f.kind));
    }
    if !(2000..=2100).contains(&f.year) {
        return Err(LedgerError::Year(f.year));
    }
    Ok(())
}

/// What `ledger add` enters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    /// The agency, by USCC or name.
    pub agency: String,
    /// The list.
    pub kind: LedgerKind,
    /// The text.
    pub text: String,
    /// The deadline (required for a problem or a task).
    pub deadline: Option<NaiveDate>,
    /// 整改措施.
    pub measures: Option<String>,
    /// 责任人.
    pub owner: Option<String>,
    /// The source of a problem (default 督查 for one found in a supervision, else 其他).
    pub source: Option<LedgerSource>,
    /// The level of a responsibility.
    pub level: Option<LedgerLevel>,
    /// The year (default: the deadline's, else today's).
    pub year: Option<i32>,
    /// The supervision record (督查记录) it was found in: one of the item's agency.
    pub supervision: Option<i64>,
}

/// Enters an item by hand (audited `ledger.add`). An item of the agency with the same kind
/// and text ([`item_key`]) is refused, naming it: a manual entry never overwrites one.
///
/// An item found in a supervision names its record: the record must exist and have
/// supervised the item's agency (the database's triggers hold the same, see
/// `store::ledger::MIGRATION_22`), and a problem found so comes from 督查 unless its source
/// is given.
pub fn add(store: &mut Store, new: &NewItem, operator: &str) -> Result<Item, LedgerError> {
    let (agency_id, name) = find_agency(store.conn(), &new.agency)?;
    add_for(store, agency_id, &name, new, operator)
}

/// [`add`] for agency `agency_id` (named `name`) as the window has it; `new.agency` is not
/// read.
pub fn add_for(
    store: &mut Store,
    agency_id: i64,
    name: &str,
    new: &NewItem,
    operator: &str,
) -> Result<Item, LedgerError> {
    let name = name.to_string();
    if let Some(sid) = new.supervision {
        let record = supervision_store::get(store.conn(), sid)?
            .ok_or(LedgerError::SupervisionNotFound(sid))?;
        if record.agency_id != agency_id {
            let record_agency = agencies::get(store.conn(), record.agency_id)?
                .map_or_else(|| format!("编号{}", record.agency_id), |a| a.name);
            return Err(LedgerError::SupervisionAgency {
                id: sid,
                record_agency,
                agency: name,
            });
        }
    }
    let default_source = if new.supervision.is_some() {
        LedgerSource::Inspection
    } else {
        LedgerSource::Other
    };
    let text = clean_text(TextKind::LedgerText, Some(&new.text))?
        .ok_or_else(|| LedgerError::Text("事项内容不能为空".to_string()))?;
    let fields = ItemFields {
        kind: new.kind,
        level: new.level,
        source: match new.kind {
            LedgerKind::Problem => Some(new.source.unwrap_or(default_source)),
            _ => new.source,
        },
        year: new
            .year
            .or(new.deadline.map(|d| d.year()))
            .unwrap_or_else(|| crate::today().year()),
        text,
        measures: clean_text(TextKind::Measures, new.measures.as_deref())?,
        owner: clean_text(TextKind::Owner, new.owner.as_deref())?,
        deadline: new.deadline,
        done_on: None,
        evidence: None,
    };
    check_fields(&fields)?;
    let key = item_key(&fields.text);
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    if let Some(there) = ledger_store::find(&tx, agency_id, fields.kind, &key)? {
        return Err(LedgerError::Exists {
            name,
            kind: fields.kind,
            id: there.id,
        });
    }
    let id = ledger_store::insert(
        &tx,
        agency_id,
        &fields,
        &key,
        &Provenance::Manual,
        new.supervision,
        operator,
        &now,
    )?;
    audit::append(
        &tx,
        operator,
        "ledger.add",
        &json!({
            "id": id,
            "agency": name,
            "kind": fields.kind.as_str(),
            "text": fields.text,
            "deadline": fields.deadline.map(|d| d.to_string()),
            "supervision": new.supervision,
        }),
    )?;
    let row = ledger_store::get(&tx, id)?.ok_or(LedgerError::NotFound(id))?;
    tx.commit()?;
    let settings = settings_on(store.conn(), crate::today())?;
    Ok(Item::of(row, crate::today(), settings.warn_days))
}

/// Marks item `id` done on `date`, with what its completion says (audited `ledger.done`);
/// its earlier state is kept in its history. An item done already is refused, and so is a
/// date after today ([`mark_done_as_of`] with [`crate::today`]).
///
/// An item an applied review created (a `rectify` outcome's problem): the date may not be
/// before that review, and while the award the review put under rectification is still
/// rectifying, its rectification is accepted in the same transaction (the award becomes
/// active again, audited `awards.rectified`) — docs/specification.md §10.
pub fn mark_done(
    store: &mut Store,
    id: i64,
    date: NaiveDate,
    evidence: Option<&str>,
    operator: &str,
) -> Result<Marked, LedgerError> {
    mark_done_as_of(store, id, date, evidence, operator, crate::today())
}

/// [`mark_done`] with the day that counts as today given, so that tests do not depend on
/// the clock. A done date after `today` is refused before anything else is read: the
/// import refuses it the same way (docs/specification.md §10).
pub fn mark_done_as_of(
    store: &mut Store,
    id: i64,
    date: NaiveDate,
    evidence: Option<&str>,
    operator: &str,
    today: NaiveDate,
) -> Result<Marked, LedgerError> {
    if date > today {
        return Err(LedgerError::DoneInFuture { date, today });
    }
    let evidence = clean_text(TextKind::Evidence, evidence)?;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let before = ledger_store::get(&tx, id)?.ok_or(LedgerError::NotFound(id))?;
    if let Some(done_on) = before.fields.done_on {
        return Err(LedgerError::AlreadyDone { id, done_on });
    }
    let mut rectified = None;
    if let Provenance::Review { review_id } = before.provenance {
        if let Some((award_id, award_status, review_date)) =
            ledger_store::award_of_review(&tx, review_id)?
        {
            if date.to_string() < review_date {
                return Err(LedgerError::DoneBeforeReview { date, review_date });
            }
            if award_status == AwardStatus::Rectifying {
                crate::store::awards::set_rectified(&tx, award_id, &date.to_string(), &now)?;
                audit::append(
                    &tx,
                    operator,
                    "awards.rectified",
                    &json!({
                        "award_id": award_id,
                        "uscc": before.uscc,
                        "name": before.name,
                        "date": date.to_string(),
                        "ledger_item": id,
                    }),
                )?;
                rectified = Some(award_id);
            }
        }
    }
    let mut fields = before.fields.clone();
    fields.done_on = Some(date);
    if evidence.is_some() {
        fields.evidence = evidence;
    }
    ledger_store::update(
        &tx,
        &before,
        &fields,
        &item_key(&fields.text),
        None,
        &Change {
            operator,
            at: &now,
            cause: "标记完成",
            file_id: None,
        },
    )?;
    audit::append(
        &tx,
        operator,
        "ledger.done",
        &json!({
            "id": id,
            "agency": before.name,
            "kind": fields.kind.as_str(),
            "date": date.to_string(),
            "evidence": fields.evidence,
            "rectified_award": rectified,
        }),
    )?;
    let row = ledger_store::get(&tx, id)?.ok_or(LedgerError::NotFound(id))?;
    tx.commit()?;
    Ok(Marked {
        item: Item::of(row, date, 0),
        rectified_award: rectified,
    })
}

/// What marking an item done did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Marked {
    /// The item, done.
    pub item: Item,
    /// The award whose rectification it reported (an item of a review), now active again.
    pub rectified_award: Option<i64>,
}

/// The text of a review's problem: the year and the review's reasons, so that two
/// reviews finding the same words in different years keep two items.
pub fn review_text(year: i32, reasons: &[String]) -> String {
    format!("{year}年度复查：{}", reasons.join("；"))
}

/// Adds the problem of an applied `rectify` outcome (source 复查, the reasons, the
/// review's deadline, provenance the review) inside the review's transaction. An open
/// item of the agency with the same text is left as it is (the review is not applied
/// twice, so only a hand-made twin can be there).
#[allow(clippy::too_many_arguments)]
pub fn add_review_problem_in(
    conn: &rusqlite::Connection,
    review_id: i64,
    agency_id: i64,
    year: i32,
    reasons: &[String],
    deadline: NaiveDate,
    operator: &str,
    now: &str,
) -> Result<Option<i64>, LedgerError> {
    let text = review_text(year, reasons);
    let key = item_key(&text);
    if ledger_store::find(conn, agency_id, LedgerKind::Problem, &key)?.is_some() {
        return Ok(None);
    }
    let fields = ItemFields {
        kind: LedgerKind::Problem,
        level: None,
        source: Some(LedgerSource::Review),
        year,
        text,
        measures: None,
        owner: None,
        deadline: Some(deadline),
        done_on: None,
        evidence: None,
    };
    let id = ledger_store::insert(
        conn,
        agency_id,
        &fields,
        &key,
        &Provenance::Review { review_id },
        None,
        operator,
        now,
    )?;
    Ok(Some(id))
}

/// Marks done, on `date`, the open problems the reviews of award `award_id` created,
/// inside the transaction that accepts its rectification (`awards rectified`); returns
/// their ids.
pub fn done_for_award_in(
    conn: &rusqlite::Connection,
    award_id: i64,
    date: NaiveDate,
    operator: &str,
    now: &str,
) -> Result<Vec<i64>, LedgerError> {
    let mut ids = Vec::new();
    for before in ledger_store::open_of_award(conn, award_id)? {
        let mut fields = before.fields.clone();
        fields.done_on = Some(date);
        fields
            .evidence
            .get_or_insert_with(|| "整改完成（称号恢复正常）".to_string());
        ledger_store::update(
            conn,
            &before,
            &fields,
            &item_key(&fields.text),
            None,
            &Change {
                operator,
                at: now,
                cause: "整改完成，称号恢复正常",
                file_id: None,
            },
        )?;
        ids.push(before.id);
    }
    Ok(ids)
}

/// One item as `ledger list --json` prints it (docs/specification.md §7): its status is
/// the one on the listing's date. The fields after `status` are not printed; the
/// workbook and the window read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Item {
    /// Its number.
    pub id: i64,
    /// The agency's USCC.
    pub uscc: Option<String>,
    /// The agency's name.
    pub name: String,
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
    /// The date it was done.
    pub done_on: Option<NaiveDate>,
    /// Its status on the date.
    pub status: LedgerStatus,
    /// `agencies.id`.
    #[serde(skip)]
    pub agency_id: i64,
    /// The agency's region.
    #[serde(skip)]
    pub region: Option<String>,
    /// 完成情况.
    #[serde(skip)]
    pub evidence: Option<String>,
    /// Where it came from, in words ("《台账.xlsx》问题清单第3行", "2026年度复查", "手工录入（张三）").
    #[serde(skip)]
    pub provenance: String,
    /// The review that created it.
    #[serde(skip)]
    pub review_id: Option<i64>,
    /// The supervision record it was found in.
    #[serde(skip)]
    pub supervision_id: Option<i64>,
}

impl Item {
    fn of(row: ItemRow, date: NaiveDate, warn_days: u32) -> Item {
        let provenance = match &row.provenance {
            Provenance::File {
                file_name,
                sheet,
                row,
                ..
            } => format!("《{file_name}》工作表“{sheet}”第{row}行"),
            Provenance::Review { .. } => format!("{}年度复查", row.fields.year),
            Provenance::Manual => format!("手工录入（{}）", row.operator),
        };
        let review_id = match row.provenance {
            Provenance::Review { review_id } => Some(review_id),
            _ => None,
        };
        let supervision_id = row.supervision_id;
        Item {
            id: row.id,
            status: status(&row.fields, date, warn_days),
            uscc: row.uscc,
            name: row.name,
            kind: row.fields.kind,
            level: row.fields.level,
            source: row.fields.source,
            year: row.fields.year,
            text: row.fields.text,
            measures: row.fields.measures,
            owner: row.fields.owner,
            deadline: row.fields.deadline,
            done_on: row.fields.done_on,
            agency_id: row.agency_id,
            region: row.region,
            evidence: row.fields.evidence,
            provenance,
            review_id,
            supervision_id,
        }
    }
}

/// What a listing keeps: every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this agency (USCC or name).
    pub agency: Option<String>,
    /// Only this list.
    pub kind: Option<LedgerKind>,
    /// Only items with this status on the date.
    pub status: Option<LedgerStatus>,
}

/// The ledger on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The date the statuses are on.
    pub date: NaiveDate,
    /// The settings that hold on it ([`settings_on`]).
    pub settings: LedgerSettings,
    /// The items kept, by agency name, kind and id.
    pub items: Vec<Item>,
}

/// The ledger's items with their status on `date`, filtered.
pub fn list(store: &Store, filter: &Filter, date: NaiveDate) -> Result<Listing, LedgerError> {
    let conn = store.conn();
    let settings = settings_on(conn, date)?;
    let agency = filter
        .agency
        .as_deref()
        .map(|a| find_agency(conn, a))
        .transpose()?
        .map(|(id, _)| id);
    let items = ledger_store::list(conn)?
        .into_iter()
        .filter(|r| agency.is_none_or(|a| r.agency_id == a))
        .filter(|r| filter.kind.is_none_or(|k| r.fields.kind == k))
        .map(|r| Item::of(r, date, settings.warn_days))
        .filter(|i| filter.status.is_none_or(|s| i.status == s))
        .collect();
    Ok(Listing {
        date,
        settings,
        items,
    })
}

/// The open problems (not done) of each agency, by agency id, with their status on
/// `date`: what a review report shows beside each reviewed agency.
pub fn open_problems(
    store: &Store,
    date: NaiveDate,
) -> Result<std::collections::HashMap<i64, Vec<Item>>, LedgerError> {
    let listing = list(
        store,
        &Filter {
            kind: Some(LedgerKind::Problem),
            ..Filter::default()
        },
        date,
    )?;
    let mut out: std::collections::HashMap<i64, Vec<Item>> = std::collections::HashMap::new();
    for i in listing
        .items
        .into_iter()
        .filter(|i| i.status != LedgerStatus::Done)
    {
        out.entry(i.agency_id).or_default().push(i);
    }
    Ok(out)
}

/// One agency's problems in the 情况通报.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulletinAgency {
    /// The agency's name.
    pub name: String,
    /// Its overdue problems, by deadline.
    pub overdue: Vec<Item>,
    /// Its problems due soon, by deadline.
    pub due_soon: Vec<Item>,
}

/// The overdue and due-soon problems on `date`, by agency (agencies with most overdue
/// first, then by name): the content of the 情况通报.
pub fn bulletin(
    store: &Store,
    date: NaiveDate,
) -> Result<(Listing, Vec<BulletinAgency>), LedgerError> {
    let listing = list(
        store,
        &Filter {
            kind: Some(LedgerKind::Problem),
            ..Filter::default()
        },
        date,
    )?;
    let mut by: std::collections::BTreeMap<(String, i64), BulletinAgency> = Default::default();
    for i in &listing.items {
        if !matches!(i.status, LedgerStatus::Overdue | LedgerStatus::DueSoon) {
            continue;
        }
        let a = by
            .entry((i.name.clone(), i.agency_id))
            .or_insert_with(|| BulletinAgency {
                name: i.name.clone(),
                overdue: Vec::new(),
                due_soon: Vec::new(),
            });
        match i.status {
            LedgerStatus::Overdue => a.overdue.push(i.clone()),
            _ => a.due_soon.push(i.clone()),
        }
    }
    let mut agencies: Vec<BulletinAgency> = by.into_values().collect();
    for a in &mut agencies {
        a.overdue.sort_by_key(|i| (i.deadline, i.id));
        a.due_soon.sort_by_key(|i| (i.deadline, i.id));
    }
    agencies.sort_by(|a, b| {
        b.overdue
            .len()
            .cmp(&a.overdue.len())
            .then(a.name.cmp(&b.name))
    });
    Ok((listing, agencies))
}

/// What storing one imported row did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// A new item.
    Created(i64),
    /// An item there was, updated; the words name what changed.
    Updated(i64, String),
    /// The item there was, unchanged.
    Unchanged(i64),
}

/// Stores an imported row inside its file's transaction: a new item, or — when the agency
/// has an item of the same kind and text ([`item_key`]) — that item updated with the row's
/// fields, its earlier state kept in its history. A row leaving 完成时间 blank does not
/// undo a done item (the unit's copy may predate it), and a row without a level or source
/// keeps the item's (a new problem without one is 其他).
pub fn store_row_in(
    conn: &rusqlite::Connection,
    agency_id: i64,
    fields: &ItemFields,
    file: (i64, &str, &str, u32),
    operator: &str,
    now: &str,
) -> rusqlite::Result<Stored> {
    let (file_id, file_name, sheet, row) = file;
    let key = item_key(&fields.text);
    match ledger_store::find(conn, agency_id, fields.kind, &key)? {
        None => {
            let mut f = fields.clone();
            if f.kind == LedgerKind::Problem {
                f.source.get_or_insert(LedgerSource::Other);
            }
            let id = ledger_store::insert(
                conn,
                agency_id,
                &f,
                &key,
                &Provenance::File {
                    file_id,
                    file_name: file_name.to_string(),
                    sheet: sheet.to_string(),
                    row,
                },
                // A ledger file has no column naming a supervision record
                // (docs/specification.md §10): items found in one are entered by hand.
                None,
                operator,
                now,
            )?;
            Ok(Stored::Created(id))
        }
        Some(before) => {
            let mut f = fields.clone();
            if f.done_on.is_none() {
                f.done_on = before.fields.done_on;
                if f.evidence.is_none() {
                    f.evidence.clone_from(&before.fields.evidence);
                }
            }
            // A file names a responsibility's level or a problem's source only when it
            // has the column: keep what the item had.
            f.level = f.level.or(before.fields.level);
            f.source = f.source.or(before.fields.source);
            let changed = what_changed(&before.fields, &f);
            if changed.is_empty() {
                return Ok(Stored::Unchanged(before.id));
            }
            let cause = format!("导入《{file_name}》工作表“{sheet}”第{row}行");
            ledger_store::update(
                conn,
                &before,
                &f,
                &key,
                Some((file_id, sheet, row)),
                &Change {
                    operator,
                    at: now,
                    cause: &cause,
                    file_id: Some(file_id),
                },
            )?;
            Ok(Stored::Updated(before.id, changed.join("、")))
        }
    }
}

/// The labels of the fields that differ.
fn what_changed(a: &ItemFields, b: &ItemFields) -> Vec<&'static str> {
    let mut out = Vec::new();
    if a.text != b.text {
        out.push("事项内容");
    }
    if a.level != b.level {
        out.push("责任层级");
    }
    if a.source != b.source {
        out.push("问题来源");
    }
    if a.year != b.year {
        out.push("年度");
    }
    if a.measures != b.measures {
        out.push("整改措施");
    }
    if a.owner != b.owner {
        out.push("责任人");
    }
    if a.deadline != b.deadline {
        out.push("整改时限");
    }
    if a.done_on != b.done_on {
        out.push("完成时间");
    }
    if a.evidence != b.evidence {
        out.push("完成情况");
    }
    out
}

/// An item's history for the window: each earlier state, oldest first.
pub fn history(store: &Store, id: i64) -> Result<Vec<ledger_store::ChangeRow>, LedgerError> {
    ledger_store::get(store.conn(), id)?.ok_or(LedgerError::NotFound(id))?;
    Ok(ledger_store::changes(store.conn(), id)?)
}
