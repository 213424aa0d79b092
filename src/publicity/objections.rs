//! Objections to the publicised list (公示异议, docs/specification.md §9): recorded against
//! an agency a round publicised, marked 逾期 when received after that agency's period
//! ended (and still settled like any other), settled with a reason. An upheld objection
//! excludes the agency — an override with the reason "公示异议成立：<reason>", recorded
//! with the resolution in one transaction — so the next agency may move up and need a
//! supplementary round.
//!
//! The objector's name is kept in the database for the record and printed nowhere: not
//! in [`ObjectionView`] (hence no list, JSON or screen), not in the audit log (which says
//! only whether a name was given), not in any document.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::PublicityError;
use crate::audit;
use crate::limits::{check_plain, TextKind};
use crate::normalize::{fold_spaces, name_key};
use crate::store::campaigns::{self, Change};
use crate::store::objections::{self as stored, ObjectionRow, Resolution};
use crate::store::publicity::{self as rounds, PublicisedAgency, RoundRow};
use crate::store::Store;
use crate::vocab::{ObjectionChannel, ObjectionResolution};

/// An objection as lists show it (`objection list --json`, docs/specification.md §7):
/// never its objector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectionView {
    /// Its number (resolved by it).
    pub id: i64,
    /// 统一社会信用代码 of the agency, when known.
    pub uscc: Option<String>,
    /// The agency's name as publicised.
    pub name: String,
    /// Received on.
    pub date: NaiveDate,
    /// How it came.
    pub channel: ObjectionChannel,
    /// What it says.
    pub content: String,
    /// 逾期: received after the agency's publicity ended.
    pub late: bool,
    /// How it was settled; `None` while open.
    pub resolution: Option<ObjectionResolution>,
    /// Why it was settled so.
    pub reason: Option<String>,
    /// Settled on.
    pub resolved_on: Option<NaiveDate>,
}

/// An objection to record.
#[derive(Debug, Clone)]
pub struct NewObjection<'a> {
    /// Campaign year.
    pub year: i32,
    /// The agency: its USCC, or its name when one publicised agency has it.
    pub agency: &'a str,
    /// Received on.
    pub date: NaiveDate,
    /// How it came.
    pub channel: ObjectionChannel,
    /// What it says (required).
    pub content: &'a str,
    /// Who raised it, if they gave a name (kept, never printed).
    pub objector: Option<&'a str>,
}

/// The publicised agency `wanted` names (USCC, or a name one publicised agency has), with
/// the round that publicised it.
fn find<'r>(
    rounds: &'r [RoundRow],
    year: i32,
    wanted: &str,
) -> Result<(&'r PublicisedAgency, &'r RoundRow), PublicityError> {
    let wanted = wanted.trim();
    let code = crate::uscc::validate(wanted).ok();
    let key = name_key(wanted);
    let matches: Vec<(&PublicisedAgency, &RoundRow)> = rounds
        .iter()
        .flat_map(|r| r.agencies.iter().map(move |a| (a, r)))
        .filter(|(a, _)| match &code {
            Some(code) => a.uscc.as_deref() == Some(code.as_str()),
            None => name_key(&a.name) == key,
        })
        .collect();
    match matches.as_slice() {
        [] => Err(PublicityError::NotPublicised {
            year,
            agency: wanted.to_string(),
        }),
        [one] => Ok(*one),
        many => Err(PublicityError::Ambiguous {
            agency: wanted.to_string(),
            matches: many
                .iter()
                .map(|(a, _)| format!("{}（{}）", a.name, a.region.as_deref().unwrap_or("")))
                .collect(),
        }),
    }
}

/// The publicised agency with id `agency_id`.
fn agency_of(rounds: &[RoundRow], agency_id: i64) -> Option<(&PublicisedAgency, &RoundRow)> {
    rounds.iter().find_map(|r| {
        r.agencies
            .iter()
            .find(|a| a.agency_id == agency_id)
            .map(|a| (a, r))
    })
}

fn view(row: &ObjectionRow, rounds: &[RoundRow]) -> ObjectionView {
    let agency = agency_of(rounds, row.agency_id).map(|(a, _)| a);
    ObjectionView {
        id: row.id,
        uscc: agency.and_then(|a| a.uscc.clone()),
        name: agency.map_or_else(String::new, |a| a.name.clone()),
        date: row.received_on,
        channel: row.channel,
        content: row.content.clone(),
        late: row.late,
        resolution: row.resolution,
        reason: row.reason.clone(),
        resolved_on: row.resolved_on,
    }
}

/// Records an objection (audited as `objection.add`, with whether a name was given but
/// not the name). The agency must be on a publicised list; one received after its period
/// ended is recorded as 逾期.
pub fn add(
    store: &mut Store,
    req: &NewObjection<'_>,
    operator: &str,
) -> Result<ObjectionView, PublicityError> {
    let year = req.year;
    campaigns::require_open(store.conn(), year, Change::Publicity)?;
    let content = fold_spaces(req.content);
    if content.is_empty() {
        return Err(PublicityError::Required("异议内容"));
    }
    check_plain(TextKind::Objection, &content).map_err(PublicityError::TextInvalid)?;
    let objector = req.objector.map(fold_spaces).filter(|o| !o.is_empty());
    if let Some(o) = &objector {
        check_plain(TextKind::Objector, o).map_err(PublicityError::TextInvalid)?;
    }
    let all = rounds::list(store.conn(), year)?;
    if all.is_empty() {
        return Err(PublicityError::NoPublicity(year));
    }
    let (agency, round) = find(&all, year, req.agency)?;
    if req.date < round.from {
        return Err(PublicityError::BeforePublicity {
            date: req.date,
            agency: agency.name.clone(),
            from: round.from,
        });
    }
    let late = req.date > round.to;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let id = stored::insert(
        &tx,
        &stored::NewObjection {
            year,
            agency_id: agency.agency_id,
            received_on: req.date,
            channel: req.channel,
            content: &content,
            objector: objector.as_deref(),
            late,
            operator,
            at: &now,
        },
    )?;
    audit::append(
        &tx,
        operator,
        "objection.add",
        &json!({
            "campaign": year,
            "objection": id,
            "uscc": agency.uscc,
            "name": agency.name,
            "date": req.date,
            "channel": req.channel.as_str(),
            "content": content,
            "late": late,
            "named": objector.is_some(),
        }),
    )?;
    let row = stored::get(&tx, id)?.expect("the objection was just stored");
    tx.commit()?;
    Ok(view(&row, &all))
}

/// Settles open objection `id` of campaign `year` on `on` with `reason` (audited as
/// `objection.resolve`). Upheld, it excludes the agency — an override "公示异议成立：
/// <reason>" and the run it makes, each with its audit row — in the same transaction;
/// rejected, nothing else changes.
pub fn resolve(
    store: &mut Store,
    year: i32,
    id: i64,
    resolution: ObjectionResolution,
    reason: &str,
    on: NaiveDate,
    operator: &str,
) -> Result<ObjectionView, PublicityError> {
    campaigns::require_open(store.conn(), year, Change::Publicity)?;
    let reason = fold_spaces(reason);
    if reason.is_empty() {
        return Err(PublicityError::Required("处理理由"));
    }
    check_plain(TextKind::Reason, &reason)
        .map_err(|m| PublicityError::TextInvalid(format!("处理异议的{m}")))?;
    let row = stored::get(store.conn(), id)?
        .filter(|o| o.year == year)
        .ok_or(PublicityError::ObjectionNotFound { year, id })?;
    if let Some(done) = row.resolution {
        return Err(PublicityError::AlreadyResolved {
            id,
            resolution: done,
        });
    }
    if on < row.received_on {
        return Err(PublicityError::ResolvedBeforeReceived {
            on,
            received: row.received_on,
        });
    }
    let all = rounds::list(store.conn(), year)?;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let override_id = match resolution {
        ObjectionResolution::Upheld => Some(
            crate::select::exclude_in(
                &tx,
                year,
                row.agency_id,
                &format!("公示异议成立：{reason}"),
                operator,
            )?
            .1,
        ),
        ObjectionResolution::Rejected => None,
    };
    stored::resolve(
        &tx,
        id,
        &Resolution {
            resolution,
            reason: &reason,
            on,
            operator,
            at: &now,
            override_id,
        },
    )?;
    let agency = agency_of(&all, row.agency_id).map(|(a, _)| a);
    audit::append(
        &tx,
        operator,
        "objection.resolve",
        &json!({
            "campaign": year,
            "objection": id,
            "uscc": agency.and_then(|a| a.uscc.clone()),
            "name": agency.map(|a| a.name.clone()),
            "resolution": resolution.as_str(),
            "reason": reason,
            "date": on,
            "override_id": override_id,
        }),
    )?;
    let row = stored::get(&tx, id)?.expect("the objection is stored");
    tx.commit()?;
    Ok(view(&row, &all))
}

/// Every objection of campaign `year`, in the order recorded.
pub fn list(store: &Store, year: i32) -> Result<Vec<ObjectionView>, PublicityError> {
    campaigns::require(store.conn(), year)?;
    let all = rounds::list(store.conn(), year)?;
    Ok(stored::list(store.conn(), year)?
        .iter()
        .map(|o| view(o, &all))
        .collect())
}
