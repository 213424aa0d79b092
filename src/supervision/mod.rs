//! Supervision and accountability (监督问责, docs/specification.md §10): the records the
//! committee keeps of how it followed an agency up — written inquiries, talks, bulletins,
//! special inspections (督查记录) — and of the accountability imposed on the agency or on a
//! named cadre of it (问责). Each is added once, in one transaction with its audit row
//! (`supervision.add`, `accountability.add`), and never changed; both are listed by
//! agency and shown in the agency's history (`crate::history`).
//!
//! The rule of the target: 检查 and 改组 are imposed on an organisation, 诫勉, 组织调整,
//! 组织处理 and 纪律处分 on a cadre, and 通报 on either ([`AccountabilityKind::for_person`]).
//! A record names a person exactly when its target is a cadre; the table's `CHECK`s
//! hold the same rule. The selection reads accountability of the campaign year
//! (`crate::select::accountability`); supervision does not bar anyone by itself.
//!
//! The ledger items found in a supervision name its record (`ledger add --supervision`,
//! `crate::ledger::add`): a record lists their ids ([`SupervisionView::items`]), and
//! [`found_items`] gives them with their status on a date.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::ledger::{self, Filter, Item, LedgerError};
use crate::limits::{check_plain, TextKind};
use crate::normalize::fold_spaces;
use crate::store::accountability::{self as acc_store, AccountabilityRow, NewAccountability};
use crate::store::agencies::{self, AgencyRow, Lookup};
use crate::store::ledger as ledger_store;
use crate::store::supervision::{self as sup_store, NewSupervision, SupervisionRow};
use crate::store::{Store, StoreError};
use crate::vocab::{AccountabilityKind, SupervisionKind};
use crate::Coded;

/// Why a record was not stored.
#[derive(Debug, Error)]
pub enum SupervisionError {
    /// The agency cannot be told (none, or several of that name).
    #[error(transparent)]
    Agency(#[from] Lookup),
    /// A required text is blank.
    #[error("{0}不能为空")]
    Required(&'static str),
    /// A text too long or holding a control character ([`crate::limits`]).
    #[error("{0}")]
    TextInvalid(String),
    /// A kind for cadres only, without the cadre's name.
    #[error("“{}”是对领导干部的问责方式，请填写被问责人；对单位（党组织）的问责方式为检查、通报、改组", .0.label())]
    PersonRequired(AccountabilityKind),
    /// A kind for organisations only, with a person's name.
    #[error("“{}”是对单位（党组织）的问责方式，不能指定被问责人“{person}”；对领导干部的问责方式为通报、诫勉、组织调整、组织处理、纪律处分", .kind.label())]
    NotForPerson {
        /// The kind given.
        kind: AccountabilityKind,
        /// The person given.
        person: String,
    },
    /// A date outside the years mofan keeps (1949–2100).
    #[error("日期{0}超出范围（1949年至2100年）")]
    DateOutOfRange(NaiveDate),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The ledger items found could not be read.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl From<rusqlite::Error> for SupervisionError {
    fn from(e: rusqlite::Error) -> Self {
        SupervisionError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for SupervisionError {
    fn code(&self) -> &'static str {
        match self {
            SupervisionError::Agency(e) => e.code(),
            SupervisionError::Required(_) => "supervision.required",
            SupervisionError::TextInvalid(_) => "supervision.text_invalid",
            SupervisionError::PersonRequired(_) => "accountability.person_required",
            SupervisionError::NotForPerson { .. } => "accountability.not_for_person",
            SupervisionError::DateOutOfRange(_) => "supervision.date_out_of_range",
            SupervisionError::Store(e) => e.code(),
            SupervisionError::Audit(e) => e.code(),
            SupervisionError::Ledger(e) => e.code(),
        }
    }
}

/// A supervision record as lists show it (`supervision list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionView {
    /// Its number.
    pub id: i64,
    /// `agencies.id` of the agency.
    #[serde(skip_serializing)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub agency_id: i64,
    /// 统一社会信用代码 of the agency, when known.
    pub uscc: Option<String>,
    /// The agency's current name.
    pub name: String,
    /// 书面问询, 当面约谈, 情况通报 or 专项督察.
    pub kind: SupervisionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Its subject.
    pub subject: String,
    /// What was found or said.
    pub content: Option<String>,
    /// Who took part.
    pub people: Option<String>,
    /// Who recorded it.
    pub operator: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
    /// The ledger items found in it (`ledger add --supervision`), by id.
    #[cfg_attr(feature = "ts", ts(type = "Array<number>"))]
    pub items: Vec<i64>,
}

/// Who is held accountable: the agency as an organisation, or a named cadre of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The agency (its Party organisation).
    Organisation,
    /// A cadre, named in `person`.
    Person,
}

/// An accountability record as lists show it (`accountability list --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountabilityView {
    /// Its number.
    pub id: i64,
    /// `agencies.id` of the agency.
    #[serde(skip_serializing)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub agency_id: i64,
    /// 统一社会信用代码 of the agency, when known.
    pub uscc: Option<String>,
    /// The agency's current name.
    pub name: String,
    /// The organisation or a cadre.
    pub target: Target,
    /// The cadre's name, when the target is one.
    pub person: Option<String>,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day it was imposed.
    pub date: NaiveDate,
    /// Why.
    pub reason: String,
    /// 文号.
    pub doc_number: Option<String>,
    /// Who recorded it.
    pub operator: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// A supervision record to add (its agency given apart: see [`add_supervision`]).
#[derive(Debug, Clone)]
pub struct NewSupervisionRecord {
    /// Its kind.
    pub kind: SupervisionKind,
    /// The day it took place.
    pub date: NaiveDate,
    /// Its subject (required).
    pub subject: String,
    /// What was found or said.
    pub content: Option<String>,
    /// Who took part.
    pub people: Option<String>,
}

/// An accountability record to add (its agency given apart: see [`add_accountability`]).
#[derive(Debug, Clone)]
pub struct NewAccountabilityRecord {
    /// The cadre held accountable; `None` (or blank) for the organisation.
    pub person: Option<String>,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day it was imposed.
    pub date: NaiveDate,
    /// Why (required).
    pub reason: String,
    /// 文号.
    pub doc_number: Option<String>,
}

/// A typed text as stored: spaces folded, checked against its limit; blank is `None`.
fn optional(kind: TextKind, s: Option<&str>) -> Result<Option<String>, SupervisionError> {
    let Some(s) = s.map(fold_spaces).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    check_plain(kind, &s).map_err(SupervisionError::TextInvalid)?;
    Ok(Some(s))
}

/// A required typed text, as [`optional`].
fn required(kind: TextKind, s: &str) -> Result<String, SupervisionError> {
    optional(kind, Some(s))?.ok_or(SupervisionError::Required(kind.label()))
}

fn check_date(d: NaiveDate) -> Result<(), SupervisionError> {
    use chrono::Datelike;
    if (1949..=2100).contains(&d.year()) {
        Ok(())
    } else {
        Err(SupervisionError::DateOutOfRange(d))
    }
}

/// The target a kind and a person make, or why they do not go together.
pub fn target_of(
    kind: AccountabilityKind,
    person: Option<&str>,
) -> Result<Target, SupervisionError> {
    match person {
        None if kind.for_organisation() => Ok(Target::Organisation),
        None => Err(SupervisionError::PersonRequired(kind)),
        Some(_) if kind.for_person() => Ok(Target::Person),
        Some(p) => Err(SupervisionError::NotForPerson {
            kind,
            person: p.to_string(),
        }),
    }
}

fn supervision_view(row: SupervisionRow, a: &AgencyRow, items: Vec<i64>) -> SupervisionView {
    SupervisionView {
        items,
        id: row.id,
        agency_id: row.agency_id,
        uscc: a.uscc.clone(),
        name: a.name.clone(),
        kind: row.kind,
        date: row.date,
        subject: row.subject,
        content: row.content,
        people: row.people,
        operator: row.operator,
        created_at: row.created_at,
    }
}

fn accountability_view(row: AccountabilityRow, a: &AgencyRow) -> AccountabilityView {
    AccountabilityView {
        id: row.id,
        agency_id: row.agency_id,
        uscc: a.uscc.clone(),
        name: a.name.clone(),
        target: if row.person.is_some() {
            Target::Person
        } else {
            Target::Organisation
        },
        person: row.person,
        kind: row.kind,
        date: row.date,
        reason: row.reason,
        doc_number: row.doc_number,
        operator: row.operator,
        created_at: row.created_at,
    }
}

/// The agency a clerk named (its USCC, or a current name only one agency has), or the one
/// with id `agency_id` (the window's, which has it).
#[derive(Debug, Clone, Copy)]
pub enum AgencyRef<'a> {
    /// Typed by the clerk.
    Named(&'a str),
    /// `agencies.id`.
    Id(i64),
}

impl AgencyRef<'_> {
    /// The agency referred to.
    pub fn find(self, conn: &rusqlite::Connection) -> Result<AgencyRow, Lookup> {
        match self {
            AgencyRef::Named(w) => agencies::resolve(conn, w),
            AgencyRef::Id(id) => agencies::get(conn, id)?.ok_or_else(|| Lookup::NotFound {
                wanted: format!("编号{id}"),
                closest: Vec::new(),
            }),
        }
    }
}

/// Records a supervision of `agency` (audited as `supervision.add`).
pub fn add_supervision(
    store: &mut Store,
    agency: AgencyRef<'_>,
    req: &NewSupervisionRecord,
    operator: &str,
) -> Result<SupervisionView, SupervisionError> {
    let agency = agency.find(store.conn())?;
    check_date(req.date)?;
    let subject = required(TextKind::Subject, &req.subject)?;
    let content = optional(TextKind::Content, req.content.as_deref())?;
    let people = optional(TextKind::People, req.people.as_deref())?;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let id = sup_store::insert(
        &tx,
        &NewSupervision {
            agency_id: agency.id,
            kind: req.kind,
            date: req.date,
            subject: &subject,
            content: content.as_deref(),
            people: people.as_deref(),
            operator,
            created_at: &now,
        },
    )?;
    audit::append(
        &tx,
        operator,
        "supervision.add",
        &json!({
            "supervision": id,
            "uscc": agency.uscc,
            "name": agency.name,
            "kind": req.kind.as_str(),
            "date": req.date,
            "subject": subject,
            "content": content,
            "people": people,
        }),
    )?;
    let row = sup_store::get(&tx, id)?.expect("the record was just stored");
    tx.commit()?;
    Ok(supervision_view(row, &agency, Vec::new()))
}

/// Records accountability (audited as `accountability.add`). A kind for cadres only needs
/// the person; a kind for organisations only refuses one ([`target_of`]).
pub fn add_accountability(
    store: &mut Store,
    agency: AgencyRef<'_>,
    req: &NewAccountabilityRecord,
    operator: &str,
) -> Result<AccountabilityView, SupervisionError> {
    let agency = agency.find(store.conn())?;
    check_date(req.date)?;
    let person = optional(TextKind::Person, req.person.as_deref())?;
    target_of(req.kind, person.as_deref())?;
    let reason = required(TextKind::Reason, &req.reason)?;
    let doc_number = optional(TextKind::DocNumber, req.doc_number.as_deref())?;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let id = acc_store::insert(
        &tx,
        &NewAccountability {
            agency_id: agency.id,
            person: person.as_deref(),
            kind: req.kind,
            date: req.date,
            reason: &reason,
            doc_number: doc_number.as_deref(),
            operator,
            created_at: &now,
        },
    )?;
    audit::append(
        &tx,
        operator,
        "accountability.add",
        &json!({
            "accountability": id,
            "uscc": agency.uscc,
            "name": agency.name,
            "person": person,
            "kind": req.kind.as_str(),
            "date": req.date,
            "reason": reason,
            "doc_number": doc_number,
        }),
    )?;
    let row = acc_store::get(&tx, id)?.expect("the record was just stored");
    tx.commit()?;
    Ok(accountability_view(row, &agency))
}

/// The agency `wanted` names, or every agency when `None`.
fn agency_filter(
    store: &Store,
    wanted: Option<&str>,
) -> Result<Option<AgencyRow>, SupervisionError> {
    wanted
        .map(|w| agencies::resolve(store.conn(), w))
        .transpose()
        .map_err(SupervisionError::from)
}

/// Attaches each row's agency, read once per agency.
fn with_agencies<R, V>(
    store: &Store,
    rows: Vec<R>,
    agency_of: impl Fn(&R) -> i64,
    mut view: impl FnMut(R, &AgencyRow) -> V,
) -> Result<Vec<V>, SupervisionError> {
    let mut cache: std::collections::HashMap<i64, AgencyRow> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = agency_of(&r);
        let a = match cache.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(AgencyRef::Id(id).find(store.conn())?)
            }
        };
        out.push(view(r, a));
    }
    Ok(out)
}

/// The supervision records of the agency `agency` names (USCC or unique name), or of all
/// agencies; by date, then in the order recorded.
pub fn list_supervision(
    store: &Store,
    agency: Option<&str>,
) -> Result<Vec<SupervisionView>, SupervisionError> {
    let a = agency_filter(store, agency)?;
    supervision_of(store, a.map(|a| a.id))
}

/// The supervision records of agency `agency_id` (all when `None`).
pub fn supervision_of(
    store: &Store,
    agency_id: Option<i64>,
) -> Result<Vec<SupervisionView>, SupervisionError> {
    let rows = sup_store::list(store.conn(), agency_id)?;
    let mut items = HashMap::new();
    for r in &rows {
        items.insert(r.id, ledger_store::ids_of_supervision(store.conn(), r.id)?);
    }
    with_agencies(
        store,
        rows,
        |r| r.agency_id,
        |r, a| {
            let found = items.remove(&r.id).unwrap_or_default();
            supervision_view(r, a, found)
        },
    )
}

/// The ledger items found in each supervision record, with their status on `date`, by
/// record id (each record's items in id order): what 监督问责 and the agency page show
/// under a record.
pub fn found_items(
    store: &Store,
    date: NaiveDate,
) -> Result<HashMap<i64, Vec<Item>>, SupervisionError> {
    let mut out: HashMap<i64, Vec<Item>> = HashMap::new();
    for item in ledger::list(store, &Filter::default(), date)?.items {
        if let Some(s) = item.supervision_id {
            out.entry(s).or_default().push(item);
        }
    }
    for items in out.values_mut() {
        items.sort_by_key(|i| i.id);
    }
    Ok(out)
}

/// The accountability records of the agency `agency` names, or of all agencies; by date,
/// then in the order recorded.
pub fn list_accountability(
    store: &Store,
    agency: Option<&str>,
) -> Result<Vec<AccountabilityView>, SupervisionError> {
    let a = agency_filter(store, agency)?;
    accountability_of(store, a.map(|a| a.id))
}

/// The accountability records of agency `agency_id` (all when `None`).
pub fn accountability_of(
    store: &Store,
    agency_id: Option<i64>,
) -> Result<Vec<AccountabilityView>, SupervisionError> {
    let rows = acc_store::list(store.conn(), agency_id)?;
    with_agencies(store, rows, |r| r.agency_id, accountability_view)
}

#[cfg(test)]
mod tests;
