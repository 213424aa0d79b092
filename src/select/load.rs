//! Reading a selection's inputs from the store, and recording panel decisions.

use std::ops::ControlFlow;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::json;
use thiserror::Error;

use super::{select, AwardFact, Entry, Inputs, OverrideFact, Selection};
use crate::audit::{self, AuditError};
use crate::limits::TextKind;
use crate::normalize::name_key;
use crate::scheme::{Scheme, SchemeError, Tier};
use crate::store::campaigns;
use crate::store::overrides::{self, OverrideAction};
use crate::store::returns::{self, NotText};
use crate::store::{awards, Store, StoreError};
use crate::vocab::RunTrigger;
use crate::Coded;

/// Errors of selection and overrides.
#[derive(Debug, Error)]
pub enum SelectError {
    /// No campaign for the year, or it is published.
    #[error(transparent)]
    Campaign(#[from] campaigns::Unavailable),
    /// An override without a reason.
    #[error("评审组调整必须填写理由")]
    ReasonRequired,
    /// A reason too long or holding a control character ([`crate::limits`]).
    #[error("评审组调整的{0}")]
    ReasonInvalid(String),
    /// The agency has no current return in the campaign.
    #[error("{year}年度没有“{agency}”的申报记录")]
    AgencyNotFound {
        /// Campaign year.
        year: i32,
        /// What was asked for.
        agency: String,
    },
    /// The agency the window named by id has no current return (withdrawn meanwhile).
    #[error("{year}年度没有该单位的有效申报（可能已被撤回），请刷新后再试")]
    AgencyIdNotFound {
        /// Campaign year.
        year: i32,
        /// The agency's id.
        agency_id: i64,
    },
    /// The name matches several agencies.
    #[error("“{agency}”对应多个单位（{}），请改用统一社会信用代码", .matches.join("、"))]
    AmbiguousAgency {
        /// What was asked for.
        agency: String,
        /// The agencies it matches.
        matches: Vec<String>,
    },
    /// Including would exceed the pool's quota and was not confirmed.
    #[error("纳入后“{}”组入选{selected}家，超过名额{quota}个；如确需超额纳入，请确认后再提交", super::pool_label(.pool))]
    BeyondQuota {
        /// Pool name (the code; the message shows its label).
        pool: String,
        /// Selected after the inclusion.
        selected: u32,
        /// The pool's quota.
        quota: u32,
    },
    /// An output or action needs a stored result and the selection was never run.
    #[error("{0}年度尚未运行评选，请先运行评选")]
    NotRun(i32),
    /// The inputs changed since the last run, and the action needs a current result (the
    /// 数据已变化 sentence).
    #[error("{0}")]
    Stale(String),
    /// A stored return could not be read.
    #[error("申报记录数据损坏（{0}）")]
    Corrupt(String),
    /// The scheme is invalid.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl From<rusqlite::Error> for SelectError {
    fn from(e: rusqlite::Error) -> Self {
        SelectError::Store(StoreError::Sqlite(e))
    }
}

impl From<NotText> for SelectError {
    fn from(e: NotText) -> Self {
        SelectError::Corrupt(e.0.to_string())
    }
}

impl Coded for SelectError {
    fn code(&self) -> &'static str {
        match self {
            SelectError::Campaign(e) => e.code(),
            SelectError::ReasonRequired => "override.reason_required",
            SelectError::ReasonInvalid(_) => "override.reason_invalid",
            SelectError::AgencyNotFound { .. } | SelectError::AgencyIdNotFound { .. } => {
                "override.agency_not_found"
            }
            SelectError::AmbiguousAgency { .. } => "override.ambiguous",
            SelectError::BeyondQuota { .. } => "override.beyond_quota",
            SelectError::NotRun(_) => "select.not_run",
            SelectError::Stale(_) => "select.stale",
            SelectError::Corrupt(_) => "select.corrupt",
            SelectError::Scheme(e) => e.code(),
            SelectError::Store(e) => e.code(),
            SelectError::Audit(e) => e.code(),
        }
    }
}

fn decimal(s: &str) -> Result<Decimal, SelectError> {
    Decimal::from_str(s).map_err(|_| SelectError::Corrupt(format!("分数“{s}”")))
}

/// A stored value as the selection reads it: a string (borrowed from the stored text
/// when it holds no escape), a boolean, or anything else, which no slot takes.
enum Scalar<'de> {
    Text(std::borrow::Cow<'de, str>),
    Bool(bool),
    Other,
}

impl Scalar<'_> {
    /// The string, as `serde_json::Value::as_str` reads it.
    fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, as `serde_json::Value::as_bool` reads it.
    fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a stored `{"key": value, …}` object into `out`, one slot per scheme key (keys the
/// scheme does not know are ignored), without allocating for keys or values.
struct Slots<'k, 'o, T> {
    keys: &'k [&'k str],
    out: &'o mut [T],
    value: fn(&Scalar<'_>) -> Option<T>,
}

impl<'de, T> serde::de::Visitor<'de> for Slots<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let v: Scalar<'de> = map.next_value()?;
            if let Some(i) = self.keys.iter().position(|k| *k == key) {
                if let Some(x) = (self.value)(&v) {
                    self.out[i] = x;
                }
            }
        }
        Ok(())
    }
}

fn read_slots<T>(
    text: &str,
    keys: &[&str],
    out: &mut [T],
    value: fn(&Scalar<'_>) -> Option<T>,
) -> Result<(), SelectError> {
    use serde::Deserializer;
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Slots { keys, out, value })
        .map_err(|e| SelectError::Corrupt(e.to_string()))
}

/// Reads the current returns, the awards the campaign sees (the demo's fictional ones only
/// in the demo, see `awards::list_for`) and the campaign's overrides, mapping
/// stored scores to `scheme`'s components by key (a component the returns do not have
/// reads as missing).
pub fn load(store: &Store, year: i32, scheme: &Scheme) -> Result<Inputs, SelectError> {
    load_from(store.conn(), year, scheme)
}

/// [`load`] with the reference date the eligibility is judged on: the ledger's problems
/// overdue on it are read too (docs/specification.md §10).
pub fn load_on(
    store: &Store,
    year: i32,
    scheme: &Scheme,
    date: chrono::NaiveDate,
) -> Result<Inputs, SelectError> {
    load_dated(store.conn(), year, scheme, Some(date))
}

/// [`load_from`] with a reference date (`None`: no ledger read).
pub(super) fn load_dated(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
    date: Option<chrono::NaiveDate>,
) -> Result<Inputs, SelectError> {
    let mut inputs = load_from(conn, year, scheme)?;
    inputs.ledger = super::ledger::load(conn, scheme, date)?;
    Ok(inputs)
}

/// [`load`] through a connection (inside a transaction, so that a run reads what it
/// records).
pub(super) fn load_from(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
) -> Result<Inputs, SelectError> {
    campaigns::require(conn, year)?;
    let comp_keys: Vec<&str> = scheme.components.iter().map(|c| c.key.as_str()).collect();
    let veto_keys: Vec<&str> = scheme.vetoes.iter().map(|v| v.key.as_str()).collect();
    let mut entries = Vec::new();
    read_entries(conn, year, |r| -> Result<(), SelectError> {
        let mut components: Vec<Option<Decimal>> = vec![None; comp_keys.len()];
        read_slots(r.components, &comp_keys, &mut components, |v| {
            v.as_str().and_then(|s| Decimal::from_str(s).ok()).map(Some)
        })?;
        let mut vetoes = vec![false; veto_keys.len()];
        read_slots(r.vetoes, &veto_keys, &mut vetoes, |v| v.as_bool())?;
        entries.push(Entry {
            agency_id: r.agency_id,
            uscc: r.uscc.map(str::to_string),
            name: r.name.to_string(),
            tier: Tier::from_code(r.tier)
                .ok_or_else(|| SelectError::Corrupt(r.tier.to_string()))?,
            region: r.region.map(str::to_string),
            unit_type: r.unit_type.to_string(),
            daily: r.daily.map(decimal).transpose()?,
            components,
            vetoes,
        });
        Ok(())
    })?;
    let awards = awards::list_for(conn, year)?
        .into_iter()
        .map(|a| AwardFact {
            agency_id: a.agency_id,
            year: a.year,
            status: a.status,
            revoked_year: a.revoked_year,
        })
        .collect();
    let overrides = overrides::list(conn, year)?
        .into_iter()
        .map(|o| OverrideFact {
            id: o.id,
            agency_id: o.agency_id,
            action: o.action,
            reason: o.reason,
            beyond_quota: o.beyond_quota,
            operator: o.operator,
            at: o.at,
        })
        .collect();
    let blocks = super::accountability::blocking_kinds(scheme);
    let accountability = crate::store::accountability::in_year(conn, year)?
        .into_iter()
        .filter(|r| blocks.contains(&r.kind))
        .map(|r| super::accountability::AccountabilityFact {
            id: r.id,
            agency_id: r.agency_id,
            kind: r.kind,
            date: r.date,
        })
        .collect();
    Ok(Inputs {
        campaign: year,
        entries,
        awards,
        overrides,
        computed: computed_scores(conn, year, scheme)?,
        ledger: Default::default(),
        accountability,
    })
}

/// Batches of returns read ahead of their parsing at most.
const BATCHES_AHEAD: usize = 4;

/// Calls `parse` with every current return of the campaign, in agency order, stopping at
/// its first error — with the returns parsed on a second thread while this one steps
/// the statement and copies the next rows' texts (docs/performance-select.md, seventh
/// round): the two halves of reading a large campaign, SQLite's and the parsing of its
/// scores, each about half of it, on the two cores. A campaign of one batch
/// ([`returns::SCORED_BATCH`] returns) or fewer is parsed here, without a thread.
///
/// The errors come as one row at a time would give them: a row that cannot be read ends
/// the reading after the rows before it were parsed, so that an error parsing one of
/// those comes first.
fn read_entries(
    conn: &rusqlite::Connection,
    year: i32,
    parse: impl FnMut(returns::ScoredReturn<'_>) -> Result<(), SelectError> + Send,
) -> Result<(), SelectError> {
    fn each(
        parse: &mut impl FnMut(returns::ScoredReturn<'_>) -> Result<(), SelectError>,
        batch: &returns::ScoredBatch,
    ) -> Result<(), SelectError> {
        batch.returns().try_for_each(parse)
    }
    let mut parse = Some(parse);
    std::thread::scope(|s| {
        let mut first: Option<returns::ScoredBatch> = None;
        let mut parser = None;
        let read = returns::read_current_scored(conn, year, |batch| {
            let Some(tx) = &parser else {
                match first.take() {
                    None => first = Some(batch),
                    Some(one) => {
                        let (tx, rx) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
                        let mut parse = parse.take().expect("taken once, with the thread");
                        let handle = s.spawn(move || -> Result<(), SelectError> {
                            for batch in [one].into_iter().chain(rx.iter()) {
                                each(&mut parse, &batch)?;
                            }
                            Ok(())
                        });
                        let _ = tx.send(batch);
                        parser = Some((tx, handle));
                    }
                }
                return Ok(ControlFlow::Continue(()));
            };
            // A parser that stopped (at an error) has dropped its end: stop reading.
            Ok(match tx.0.send(batch) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            })
        });
        match parser {
            None => {
                let mut parse = parse.take().expect("not given to a thread");
                if let Some(one) = &first {
                    each(&mut parse, one)?;
                }
                read
            }
            Some((tx, handle)) => {
                drop(tx);
                let parsed = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                // The parser's error is of an earlier row than the reading's.
                parsed.and(read)
            }
        }
    })
}

/// The scores of the scheme's computed components, from the ballots and panel sheets
/// imported for the campaign (`evaluate`): one per unit of the campaign and computed
/// component. None while the scheme computes no component.
fn computed_scores(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
) -> Result<Vec<super::Computed>, SelectError> {
    if scheme.computed_components().next().is_none() {
        return Ok(Vec::new());
    }
    let index = |key: &str| scheme.components.iter().position(|c| c.key == key);
    let mut out = Vec::new();
    for c in crate::evaluate::ballots::list_with_scheme(conn, year, scheme)? {
        let Some(i) = index(&c.key) else { continue };
        for u in c.units {
            out.push(super::Computed {
                agency_id: u.agency_id,
                component: i,
                score: u.result.score,
                note: note(&c.label, u.result.explanation, u.result.reason),
            });
        }
    }
    for c in crate::evaluate::panel::list_with_scheme(conn, year, scheme)? {
        let Some(i) = index(&c.key) else { continue };
        for u in c.units {
            out.push(super::Computed {
                agency_id: u.agency_id,
                component: i,
                score: u.score,
                note: note(&c.label, u.explanation, u.reason),
            });
        }
    }
    Ok(out)
}

/// A computed score's note: its explanation, else the reason it is missing, which names
/// the component ("组织考评有效评分不足5人（实有3人）", "组织考评没有评委评分"); one that does not
/// is prefixed with "缺少<label>：".
fn note(label: &str, explanation: Option<String>, reason: Option<String>) -> String {
    match (explanation, reason) {
        (Some(e), _) => e,
        (None, Some(r)) if r.contains(label) => r,
        (None, Some(r)) => format!("缺少{label}：{r}"),
        (None, None) => format!("缺少{label}"),
    }
}

/// The campaign's own scheme.
pub fn campaign_scheme(store: &Store, year: i32) -> Result<Scheme, SelectError> {
    let c = campaigns::require(store.conn(), year)?;
    Ok(Scheme::parse(&c.scheme_toml)?)
}

/// A panel decision to record.
#[derive(Debug, Clone)]
pub struct OverrideRequest {
    /// Campaign year.
    pub year: i32,
    /// The agency: its USCC, or its name when unique in the campaign.
    pub agency: String,
    /// Decision.
    pub action: OverrideAction,
    /// Reason (required).
    pub reason: String,
    /// Confirms including beyond the quota.
    pub confirm_beyond_quota: bool,
}

/// Records a panel decision (audited) and returns the selection with it applied.
/// Including beyond a pool's quota needs `confirm_beyond_quota`.
pub fn set_override(
    store: &mut Store,
    req: &OverrideRequest,
    operator: &str,
) -> Result<(Selection, i64), SelectError> {
    let decision = Decision {
        year: req.year,
        action: req.action,
        reason: &req.reason,
        confirm_beyond_quota: req.confirm_beyond_quota,
    };
    record_override(store, &decision, Agency::Named(&req.agency), operator)
}

/// Records a panel decision for the agency with id `agency_id` (as a result row names it).
/// The window has the id, so it never goes through a name that two agencies may share;
/// an id with no current return (withdrawn meanwhile) is
/// [`SelectError::AgencyIdNotFound`].
pub fn set_override_by_id(
    store: &mut Store,
    year: i32,
    agency_id: i64,
    action: OverrideAction,
    reason: &str,
    confirm_beyond_quota: bool,
    operator: &str,
) -> Result<Selection, SelectError> {
    let decision = Decision {
        year,
        action,
        reason,
        confirm_beyond_quota,
    };
    record_override(store, &decision, Agency::Id(agency_id), operator).map(|(sel, _)| sel)
}

/// How a panel decision names its agency.
enum Agency<'a> {
    /// Its USCC, or its name when unique in the campaign (the command line).
    Named(&'a str),
    /// Its id (the window).
    Id(i64),
}

/// A panel decision whatever names its agency.
struct Decision<'a> {
    year: i32,
    action: OverrideAction,
    reason: &'a str,
    confirm_beyond_quota: bool,
}

/// The agency among the campaign's current returns.
fn find_agency(inputs: &Inputs, year: i32, agency: Agency<'_>) -> Result<i64, SelectError> {
    let wanted = match agency {
        Agency::Id(id) => {
            return inputs
                .entries
                .iter()
                .find(|e| e.agency_id == id)
                .map(|e| e.agency_id)
                .ok_or(SelectError::AgencyIdNotFound {
                    year,
                    agency_id: id,
                })
        }
        Agency::Named(text) => text.trim(),
    };
    let code = crate::uscc::validate(wanted).ok();
    let key = name_key(wanted);
    let matches: Vec<&Entry> = inputs
        .entries
        .iter()
        .filter(|e| match &code {
            Some(code) => e.uscc.as_deref() == Some(code.as_str()),
            None => name_key(&e.name) == key,
        })
        .collect();
    match matches.as_slice() {
        [] => Err(SelectError::AgencyNotFound {
            year,
            agency: wanted.to_string(),
        }),
        [one] => Ok(one.agency_id),
        many => Err(SelectError::AmbiguousAgency {
            agency: wanted.to_string(),
            matches: many
                .iter()
                .map(|e| format!("{}（{}）", e.name, e.region.as_deref().unwrap_or("")))
                .collect(),
        }),
    }
}

fn record_override(
    store: &mut Store,
    req: &Decision<'_>,
    agency: Agency<'_>,
    operator: &str,
) -> Result<(Selection, i64), SelectError> {
    let year = req.year;
    let c = campaigns::require_open(store.conn(), year, campaigns::Change::Results)?;
    let reason = crate::normalize::fold_spaces(req.reason);
    if reason.is_empty() {
        return Err(SelectError::ReasonRequired);
    }
    crate::limits::check_plain(TextKind::Reason, &reason).map_err(SelectError::ReasonInvalid)?;
    let scheme = Scheme::parse(&c.scheme_toml)?;
    // The quota check sees the result the decision's run will store: on the same date.
    let date = super::runs::run_date(store.conn(), year)?;
    let mut inputs = load_dated(store.conn(), year, &scheme, Some(date))?;
    let agency_id = find_agency(&inputs, year, agency)?;
    let next_id = inputs.overrides.iter().map(|o| o.id).max().unwrap_or(0) + 1;
    let now = crate::now_string();
    let mut fact = OverrideFact {
        id: next_id,
        agency_id,
        action: req.action,
        reason: reason.clone(),
        beyond_quota: false,
        operator: operator.to_string(),
        at: now,
    };
    inputs.overrides.push(fact.clone());
    let sel = select(&scheme, &inputs);
    if req.action == OverrideAction::Include {
        let pool = sel
            .results
            .iter()
            .find(|r| r.agency_id == agency_id)
            .and_then(|r| r.pool.clone());
        if let Some(p) = pool.and_then(|p| sel.pools.iter().find(|s| s.pool == p)) {
            if p.selected > p.quota {
                if !req.confirm_beyond_quota {
                    return Err(SelectError::BeyondQuota {
                        pool: p.pool.clone(),
                        selected: p.selected,
                        quota: p.quota,
                    });
                }
                fact.beyond_quota = true;
            }
        }
    }
    let entry = inputs
        .entries
        .iter()
        .find(|e| e.agency_id == agency_id)
        .expect("the agency was found above");
    let tx = store.conn_mut().transaction()?;
    let (sel, _) = store_override(&tx, &c, entry, &fact, operator)?;
    tx.commit()?;
    Ok((sel, agency_id))
}

/// Records `fact` about `entry`'s agency with its `select.override` audit row, then the
/// run it makes, through `conn` (inside the caller's transaction); returns the run's
/// selection and the override's id.
fn store_override(
    conn: &rusqlite::Connection,
    c: &campaigns::CampaignRow,
    entry: &Entry,
    fact: &OverrideFact,
    operator: &str,
) -> Result<(Selection, i64), SelectError> {
    let id = overrides::insert(
        conn,
        &overrides::NewOverride {
            year: c.year,
            agency_id: entry.agency_id,
            action: fact.action,
            reason: &fact.reason,
            beyond_quota: fact.beyond_quota,
            operator,
            at: &fact.at,
        },
    )?;
    audit::append(
        conn,
        operator,
        "select.override",
        &json!({
            "campaign": c.year,
            "override_id": id,
            "uscc": entry.uscc,
            "name": entry.name,
            "action": fact.action.as_str(),
            "reason": fact.reason,
            "beyond_quota": fact.beyond_quota,
        }),
    )?;
    // A panel decision is itself a run: the result with it applied is stored (and its
    // changes audited) in the same transaction, read back from the stored rows.
    let date = super::runs::run_date(conn, c.year)?;
    let sel = super::runs::record_in(conn, c, operator, RunTrigger::Override, date)?;
    Ok((sel.into_selection(), id))
}

/// Records the exclusion of agency `agency_id` (an agency with a current return) from
/// campaign `year` with `reason`, through `conn` inside the caller's transaction — the
/// override, its audit row and the run it makes, as [`set_override_by_id`] does — so that
/// a decision that causes it (an upheld objection to the publicity) is stored with it or
/// not at all. Returns the run's selection and the override's id.
pub fn exclude_in(
    conn: &rusqlite::Connection,
    year: i32,
    agency_id: i64,
    reason: &str,
    operator: &str,
) -> Result<(Selection, i64), SelectError> {
    let c = campaigns::require_open(conn, year, campaigns::Change::Results)?;
    let reason = crate::normalize::fold_spaces(reason);
    if reason.is_empty() {
        return Err(SelectError::ReasonRequired);
    }
    crate::limits::check_plain(TextKind::Reason, &reason).map_err(SelectError::ReasonInvalid)?;
    let scheme = Scheme::parse(&c.scheme_toml)?;
    let inputs = load_from(conn, year, &scheme)?;
    let agency_id = find_agency(&inputs, year, Agency::Id(agency_id))?;
    let entry = inputs
        .entries
        .iter()
        .find(|e| e.agency_id == agency_id)
        .expect("the agency was found above");
    let fact = OverrideFact {
        id: 0,
        agency_id,
        action: OverrideAction::Exclude,
        reason,
        beyond_quota: false,
        operator: operator.to_string(),
        at: crate::now_string(),
    };
    store_override(conn, &c, entry, &fact, operator)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store whose campaign 2026 has `n` current returns, agencies 1 to `n` (foreign
    /// keys off, as the store's own tests insert returns without their files), every
    /// fifth without a USCC, every seventh without a region, every third without a daily
    /// score.
    fn store_with(n: i64) -> Store {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        c.pragma_update(None, "foreign_keys", false).unwrap();
        for id in 1..=n {
            let (uscc, name) = (format!("U{id:017}"), format!("第{id}号机关"));
            returns::insert(
                c,
                &returns::NewReturn {
                    campaign_year: 2026,
                    agency_id: id,
                    file_id: 1,
                    sheet: "申报表",
                    row: 4 + id as u32,
                    name: &name,
                    uscc: (id % 5 != 0).then_some(uscc.as_str()),
                    tier: Tier::County,
                    region: (id % 7 != 0).then_some("越秀区"),
                    unit_type: "政府机关",
                    daily: (id % 3 != 0).then(|| format!("{}.5", id % 100)),
                    components_json: format!(r#"{{"a":"{}.25"}}"#, id % 97),
                    vetoes_json: r#"{"v":false}"#.into(),
                    complaints: None,
                    problems_total: None,
                    problems_fixed: None,
                },
            )
            .unwrap();
        }
        store
    }

    type Seen = (
        i64,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        String,
    );

    fn seen(r: &returns::ScoredReturn<'_>) -> Seen {
        (
            r.agency_id,
            r.uscc.map(str::to_string),
            r.name.to_string(),
            r.region.map(str::to_string),
            r.daily.map(str::to_string),
            r.components.to_string(),
        )
    }

    /// Parses a return's components as `load_from` does, with one key.
    fn score(r: &returns::ScoredReturn<'_>) -> Result<(), SelectError> {
        let mut out = [None];
        read_slots(r.components, &["a"], &mut out, |v| {
            v.as_str().and_then(|s| Decimal::from_str(s).ok()).map(Some)
        })
    }

    #[test]
    fn returns_parsed_beside_their_reading_are_those_read_one_at_a_time() {
        // Less than a batch (parsed without a thread), one batch and one more, and
        // several batches with a part batch at the end.
        for n in [3, returns::SCORED_BATCH as i64 + 1, 2_500] {
            let store = store_with(n);
            let mut one_at_a_time = Vec::new();
            returns::for_each_current_scored(store.conn(), 2026, |r| -> Result<(), SelectError> {
                one_at_a_time.push(seen(&r));
                Ok(())
            })
            .unwrap();
            let mut beside = Vec::new();
            read_entries(store.conn(), 2026, |r| {
                beside.push(seen(&r));
                score(&r)
            })
            .unwrap();
            assert_eq!(beside.len(), n as usize);
            assert_eq!(beside, one_at_a_time, "{n} returns");
            assert!(beside.windows(2).all(|w| w[0].0 < w[1].0), "agency order");
        }
    }

    #[test]
    fn the_first_bad_return_in_agency_order_is_the_error() {
        let store = store_with(2_500);
        let c = store.conn();
        // A score that does not parse in the first batch, a column that is not text
        // (a blob keeps its type in a TEXT column) in the third.
        c.execute(
            "UPDATE returns SET components = '{\"a\":' WHERE agency_id = 10",
            [],
        )
        .unwrap();
        c.execute("UPDATE returns SET name = X'00' WHERE agency_id = 2100", [])
            .unwrap();
        // The error, and how many returns were parsed up to it.
        let first_error = || {
            let mut parsed = 0;
            let e = read_entries(c, 2026, |r| {
                parsed += 1;
                score(&r)
            })
            .unwrap_err();
            (e, parsed)
        };
        // The parse's error, not the reading's, and nothing parsed after it.
        let (e, parsed) = first_error();
        assert!(
            matches!(&e, SelectError::Corrupt(m) if m.contains("EOF")),
            "{e:?}"
        );
        assert_eq!(parsed, 10);
        // Once the first is mended, the reading's error of the later row.
        c.execute(
            "UPDATE returns SET components = '{\"a\":\"1\"}' WHERE agency_id = 10",
            [],
        )
        .unwrap();
        let (e, parsed) = first_error();
        assert!(
            matches!(&e, SelectError::Corrupt(m) if m == "Invalid type"),
            "{e:?}"
        );
        assert_eq!(parsed, 2_099);
    }

    /// A stored object is read as `serde_json::Value` would read it: a string for a
    /// score (escaped or not), a boolean for a veto, anything else taking no slot, keys the
    /// scheme does not know ignored, a later duplicate winning.
    #[test]
    fn slots_read_strings_and_booleans_only() {
        let keys = ["a", "b", "c", "d", "e", "f", "g"];
        let text = r#"{"a":"88.25","b":90,"c":null,"d":[1,{"x":"y"}],"e":"\u0038\u0039.5",
            "zz":"1","f":{"n":[true]},"g":"x","g":"70","a2":false}"#;
        let mut scores: Vec<Option<Decimal>> = vec![None; keys.len()];
        let score = |v: &Scalar<'_>| v.as_str().and_then(|s| Decimal::from_str(s).ok()).map(Some);
        read_slots(text, &keys, &mut scores, score).unwrap();
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(
            scores,
            [d("88.25"), None, None, None, d("89.5"), None, d("70")]
        );
        let mut flags = vec![false; 3];
        read_slots(
            r#"{"a":true,"b":"true","c":1}"#,
            &["a", "b", "c"],
            &mut flags,
            |v| v.as_bool(),
        )
        .unwrap();
        assert_eq!(flags, [true, false, false]);
        assert!(read_slots(r#"{"a":"1""#, &keys, &mut scores, score).is_err());
        assert!(read_slots(r#"["a"]"#, &keys, &mut scores, score).is_err());
    }
}
