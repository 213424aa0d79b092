//! Runs of the selection (docs/specification.md §4, "Runs"): a run stores its result with
//! its time and a fingerprint of its inputs, and every view and output shows the stored
//! result of the campaign's last run — never a result recomputed behind the clerk's back.
//!
//! When an input changes afterwards (returns imported or withdrawn, the awards registry,
//! the scheme), the stored result stays as it was and is *stale*: [`RunState::changed`]
//! names the inputs whose fingerprints no longer match, the window shows a 数据已变化
//! banner, and publishing is refused until the selection is run again. A panel decision
//! is itself a run. Each run appends one `selection.run` event to the audit log, listing
//! the agencies whose status changed since the previous run.
//!
//! A published campaign is frozen: its last run is the published result, and it is never
//! stale (publishing itself adds awards to the registry, which would otherwise mark the
//! campaign's own result as changed).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use chrono::NaiveDate;

use super::{decide, load::load_dated, stored, Decision, Inputs, SelectError, Selection, Status};
use crate::audit;
use crate::scheme::Scheme;
use crate::store::audit_log::hex;
use crate::store::campaigns::{self, CampaignRow, CampaignStatus};
use crate::store::runs::{self, Fingerprints, NewRun, RunRow};
use crate::store::Store;
pub use crate::vocab::{RunInput, RunTrigger};

/// A run's facts, as screens show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunFacts {
    /// Sequence of the run (all campaigns share it).
    pub id: i64,
    /// When it ran (RFC 3339, local time).
    pub at: String,
    /// Who ran it.
    pub operator: String,
    /// 运行评选, or a panel decision.
    pub trigger: RunTrigger,
    /// Returns in the result.
    pub returns: u32,
    /// Selected agencies.
    pub selected: u32,
    /// Returns whose tie the panel must resolve.
    pub tie_pending: u32,
}

/// Whether the last run's result still matches the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunState {
    /// The last run.
    pub last: RunFacts,
    /// Inputs changed since (empty: the result is current). Always empty for a published
    /// campaign, whose result is final.
    pub changed: Vec<RunInput>,
    /// The 数据已变化 sentence when `changed` is not empty, in Chinese, naming the run's
    /// time and what changed.
    pub notice: Option<String>,
}

impl RunState {
    /// Whether the stored result no longer matches the inputs.
    pub fn stale(&self) -> bool {
        !self.changed.is_empty()
    }
}

/// The last run of a campaign with its stored result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRun {
    /// Its facts and freshness.
    pub state: RunState,
    /// The stored result.
    pub selection: Selection,
}

/// Feeds length-prefixed fields into a hash, so that no two different field lists hash
/// alike ("ab","c" vs "a","bc"). The fields are gathered in a buffer and hashed a block
/// of them at a time: a call of the hash per field (two per text) cost more than the
/// hashing itself. The digest is the same as of the fields fed one by one.
struct Fields {
    hash: Sha256,
    pending: Vec<u8>,
    /// A score's text, reused.
    text: String,
}

/// Bytes gathered before they are hashed.
const FIELDS_BLOCK: usize = 1 << 15;

impl Fields {
    fn new() -> Self {
        Fields {
            hash: Sha256::new(),
            pending: Vec::with_capacity(FIELDS_BLOCK + 64),
            text: String::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= FIELDS_BLOCK {
            self.hash.update(&self.pending);
            self.pending.clear();
        }
    }

    fn text(&mut self, s: &str) -> &mut Self {
        self.feed(&(s.len() as u64).to_le_bytes());
        self.feed(s.as_bytes());
        self
    }

    fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            None => self.feed(&[0u8]),
            Some(s) => {
                self.feed(&[1u8]);
                self.text(s);
            }
        }
        self
    }

    fn int(&mut self, n: i64) -> &mut Self {
        self.feed(&n.to_le_bytes());
        self
    }

    /// A score as [`Fields::opt`] of its text: the bytes hashed are those of
    /// `d.to_string()` (written without the formatting machinery), so stored
    /// fingerprints still match.
    fn decimal(&mut self, d: Option<Decimal>) -> &mut Self {
        let Some(d) = d else {
            return self.opt(None);
        };
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        crate::import::values::push_decimal(&mut text, d);
        self.opt(Some(&text));
        self.text = text;
        self
    }

    fn done(mut self) -> String {
        self.hash.update(&self.pending);
        hex(&self.hash.finalize())
    }
}

/// The fingerprints of a selection's inputs: the scheme text, and the returns, awards
/// and overrides exactly as the selection reads them (so a change the selection cannot
/// see — a return's file name, an award's 文号, an award of the campaign's own year or
/// later — does not mark the result as changed).
pub fn fingerprints(scheme_toml: &str, inputs: &Inputs) -> Fingerprints {
    let mut scheme = Fields::new();
    scheme.text(scheme_toml);
    let mut returns = Fields::new();
    for e in &inputs.entries {
        returns
            .int(e.agency_id)
            .opt(e.uscc.as_deref())
            .text(&e.name)
            .text(e.tier.as_str())
            .opt(e.region.as_deref())
            .text(&e.unit_type)
            .decimal(e.daily);
        returns.int(e.components.len() as i64);
        for c in &e.components {
            returns.decimal(*c);
        }
        returns.int(e.vetoes.len() as i64);
        for v in &e.vetoes {
            returns.int(i64::from(*v));
        }
    }
    let mut awards = Fields::new();
    // Only earlier years' awards are read by the selection (its own winners, added when
    // it is published, are not).
    for a in inputs.awards.iter().filter(|a| a.year < inputs.campaign) {
        awards
            .int(a.agency_id)
            .int(a.year.into())
            .text(a.status.as_str())
            .int(a.revoked_year.map_or(-1, i64::from));
    }
    let mut overrides = Fields::new();
    for o in &inputs.overrides {
        overrides
            .int(o.id)
            .int(o.agency_id)
            .text(o.action.as_str())
            .text(&o.reason)
            .int(i64::from(o.beyond_quota));
    }
    // Computed scores as the selection reads them: a newly imported ballot file, a
    // withdrawn panel sheet or a changed ballot setting moves this one only.
    let mut evaluations = Fields::new();
    for c in &inputs.computed {
        evaluations
            .int(c.agency_id)
            .int(c.component as i64)
            .decimal(c.score)
            .text(&c.note);
    }
    // The ledger's problems overdue on the reference date, as eligibility reads them.
    let mut ledger = Fields::new();
    super::ledger::fingerprint(inputs, |agency, item, deadline| {
        ledger.int(agency).int(item).text(deadline);
    });
    // The accountability records the rule reads: those of the campaign year of a kind that
    // bars (a 诫勉 of a cadre, or a 通报 of last year, changes nothing shown).
    let mut accountability = Fields::new();
    for r in &inputs.accountability {
        accountability
            .int(r.id)
            .int(r.agency_id)
            .text(r.kind.as_str())
            .text(&r.date.to_string());
    }
    Fingerprints {
        ledger: ledger.done(),
        scheme: scheme.done(),
        returns: returns.done(),
        awards: awards.done(),
        overrides: overrides.done(),
        evaluations: evaluations.done(),
        accountability: accountability.done(),
    }
}

/// The inputs whose fingerprints differ, in a fixed order.
fn changed(stored: &Fingerprints, now: &Fingerprints) -> Vec<RunInput> {
    [
        (RunInput::Returns, &stored.returns, &now.returns),
        (RunInput::Awards, &stored.awards, &now.awards),
        (RunInput::Scheme, &stored.scheme, &now.scheme),
        (RunInput::Overrides, &stored.overrides, &now.overrides),
        (RunInput::Evaluations, &stored.evaluations, &now.evaluations),
        (RunInput::Ledger, &stored.ledger, &now.ledger),
        (
            RunInput::Accountability,
            &stored.accountability,
            &now.accountability,
        ),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(k, _, _)| k)
    .collect()
}

/// "数据已变化：当前结果是2026-11-27 10:00运行评选的结果，此后申报数据、命名记录有变化，请重新运行评选。"
fn notice(at: &str, changed: &[RunInput]) -> Option<String> {
    if changed.is_empty() {
        return None;
    }
    let what: Vec<&str> = changed.iter().map(|c| c.label()).collect();
    Some(format!(
        "数据已变化：当前结果是{}运行评选的结果，此后{}有变化，请重新运行评选。",
        crate::short_time(at),
        what.join("、")
    ))
}

fn facts(r: &RunRow) -> RunFacts {
    RunFacts {
        id: r.id,
        at: r.at.clone(),
        operator: r.operator.clone(),
        trigger: r.trigger,
        returns: r.returns,
        selected: r.selected,
        tie_pending: r.tie_pending,
    }
}

/// The run's state against the campaign's current inputs (read only when the campaign
/// is not published).
fn state_of(store: &Store, c: &CampaignRow, row: &RunRow) -> Result<RunState, SelectError> {
    let changed = if c.status == CampaignStatus::Published {
        Vec::new()
    } else {
        let scheme = Scheme::parse(&c.scheme_toml)?;
        // The ledger as it stands now, read on the run's own reference date.
        let inputs = load_dated(store.conn(), c.year, &scheme, row.reference_date)?;
        changed(&row.fingerprints, &fingerprints(&c.scheme_toml, &inputs))
    };
    Ok(RunState {
        notice: notice(&row.at, &changed),
        last: facts(row),
        changed,
    })
}

/// The campaign's last run with its stored result, or `None` when the selection was
/// never run.
pub fn latest(store: &Store, year: i32) -> Result<Option<StoredRun>, SelectError> {
    let c = campaigns::require(store.conn(), year)?;
    let Some((row, bytes)) = runs::latest(store.conn(), year)? else {
        return Ok(None);
    };
    let selection = parse_result(row.id, &bytes)?;
    Ok(Some(StoredRun {
        state: state_of(store, &c, &row)?,
        selection,
    }))
}

/// A stored result as the [`Selection`] it holds: a compact record ([`stored`]), or the
/// JSON a run stored before version 24.
pub fn parse_result(run: i64, bytes: &[u8]) -> Result<Selection, SelectError> {
    if stored::is_compact(bytes) {
        stored::decode(bytes).map_err(|e| SelectError::Corrupt(format!("评选运行记录 {run}：{e}")))
    } else {
        serde_json::from_slice(bytes)
            .map_err(|e| SelectError::Corrupt(format!("评选运行记录 {run}：{e}")))
    }
}

/// The campaign's last run when its result matches the current inputs: what publishing
/// and the award decision need. Never run is [`SelectError::NotRun`]; changed inputs are
/// [`SelectError::Stale`] with the 数据已变化 sentence.
pub fn current(store: &Store, year: i32) -> Result<StoredRun, SelectError> {
    let stored = latest(store, year)?.ok_or(SelectError::NotRun(year))?;
    match &stored.state.notice {
        Some(notice) => Err(SelectError::Stale(notice.clone())),
        None => Ok(stored),
    }
}

/// The campaign's last run and whether its result is current, without reading the
/// result; `None` when the selection was never run.
pub fn state(store: &Store, year: i32) -> Result<Option<RunState>, SelectError> {
    let c = campaigns::require(store.conn(), year)?;
    runs::latest_facts(store.conn(), year)?
        .map(|row| state_of(store, &c, &row))
        .transpose()
}

/// [`run_on`] with today as the reference date.
pub fn run(store: &mut Store, year: i32, operator: &str) -> Result<Selection, SelectError> {
    run_on(store, year, crate::today(), operator)
}

/// The reference date a run started by a panel decision keeps: the campaign's last run's
/// (a decision changes the decisions, not the date the eligibility is judged on), else
/// today.
pub(super) fn run_date(conn: &rusqlite::Connection, year: i32) -> Result<NaiveDate, SelectError> {
    Ok(runs::latest_facts(conn, year)?
        .and_then(|r| r.reference_date)
        .unwrap_or_else(crate::today))
}

/// Runs the selection of a campaign with its own scheme, judging eligibility on the
/// reference date `date` (docs/specification.md §10), and stores the result as the
/// campaign's last run (audited with the agencies whose status changed); a draft campaign
/// becomes `selected`. A published campaign is not run again: its published result is
/// returned as stored.
pub fn run_on(
    store: &mut Store,
    year: i32,
    date: NaiveDate,
    operator: &str,
) -> Result<Selection, SelectError> {
    Ok(run_deciding(store, year, date, operator)?.into_selection())
}

/// What [`run_deciding`] gives: the run's outcome as data, or a published campaign's
/// stored result.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    /// The selection just run and stored.
    Decided(Box<Decision>),
    /// The published result, as stored (a published campaign is not run again).
    Published(Selection),
}

impl Ran {
    /// The result as a [`Selection`].
    pub fn into_selection(self) -> Selection {
        match self {
            Ran::Decided(d) => d.into_selection(),
            Ran::Published(sel) => sel,
        }
    }

    /// Writes the contract JSON of `select --json`: from the outcome directly when the
    /// selection was just run (byte for byte what [`super::write_json`] writes of its
    /// [`Selection`]).
    pub fn write_json<W: std::io::Write, R: Serialize>(
        &self,
        out: W,
        reviews: &[R],
    ) -> std::io::Result<()> {
        match self {
            Ran::Decided(d) => d.write_json(out, reviews),
            Ran::Published(sel) => super::write_json(out, sel, reviews),
        }
    }
}

/// [`run_on`], the result kept as data: what `select --json` writes from without making
/// every row's texts.
pub fn run_deciding(
    store: &mut Store,
    year: i32,
    date: NaiveDate,
    operator: &str,
) -> Result<Ran, SelectError> {
    Ok(run_deciding_beside(store, year, date, operator, |_| ())?.0)
}

/// [`run_deciding`], with `beside` given the result while the run is stored: on a thread
/// of its own, as soon as the selection is decided, while this thread encodes, inserts,
/// audits and commits the run. What it returns is given back only when the run is
/// committed — `select --json` writes its document into memory there and prints it after
/// the commit, so that a run that could not be stored prints nothing. For a published
/// campaign (not run again) it is called with the stored result.
pub fn run_deciding_beside<T: Send>(
    store: &mut Store,
    year: i32,
    date: NaiveDate,
    operator: &str,
    beside: impl FnOnce(&Ran) -> T + Send,
) -> Result<(Ran, T), SelectError> {
    let c = campaigns::require(store.conn(), year)?;
    if c.status == CampaignStatus::Published {
        if let Some(stored) = latest(store, year)? {
            let ran = Ran::Published(stored.selection);
            let beside = beside(&ran);
            return Ok((ran, beside));
        }
    }
    let tx = store.conn_mut().transaction()?;
    let (fps, decision) = decide_in(&tx, &c, date)?;
    let ran = Ran::Decided(Box::new(decision));
    let Ran::Decided(decision) = &ran else {
        unreachable!("made just above")
    };
    let beside = std::thread::scope(|s| {
        let side = s.spawn(|| beside(&ran));
        let stored = store_in(&tx, &c, operator, RunTrigger::Run, date, &fps, decision)
            .and_then(|()| Ok(tx.commit()?));
        // A panic beside goes on here, after the transaction is ended either way.
        let beside = side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        stored.map(|()| beside)
    })?;
    Ok((ran, beside))
}

/// Reads the inputs through `conn` (inside the caller's transaction), runs the selection
/// and records it as a run started by `trigger`; the caller commits. The stored result
/// is the [`Selection`] as a compact record ([`stored`]), written from the outcome
/// without making the selection, with its statuses beside it for the next run's audit.
pub(super) fn record_in(
    conn: &rusqlite::Connection,
    c: &CampaignRow,
    operator: &str,
    trigger: RunTrigger,
    date: NaiveDate,
) -> Result<Decision, SelectError> {
    let (fps, decision) = decide_in(conn, c, date)?;
    store_in(conn, c, operator, trigger, date, &fps, &decision)?;
    Ok(decision)
}

/// The first half of [`record_in`]: the inputs read, their fingerprints, the selection.
fn decide_in(
    conn: &rusqlite::Connection,
    c: &CampaignRow,
    date: NaiveDate,
) -> Result<(Fingerprints, Decision), SelectError> {
    let scheme = Scheme::parse(&c.scheme_toml)?;
    let inputs = load_dated(conn, c.year, &scheme, Some(date))?;
    let fps = fingerprints(&c.scheme_toml, &inputs);
    Ok((fps, decide(&scheme, inputs)))
}

/// The second half of [`record_in`]: the run stored and audited (not committed).
fn store_in(
    conn: &rusqlite::Connection,
    c: &CampaignRow,
    operator: &str,
    trigger: RunTrigger,
    date: NaiveDate,
    fps: &Fingerprints,
    decision: &Decision,
) -> Result<(), SelectError> {
    // Of the previous run only what the audit entry compares is read: its statuses
    // record (each agency's status, USCC and name), or for a run stored before those were
    // kept, the same read from its result.
    let previous = runs::latest_statuses(conn, c.year)?;
    let result = stored::encode(decision);
    let statuses = stored::encode_statuses(decision);
    let (selected, tie_pending) = (
        decision.count(Status::Selected),
        decision.count(Status::TiePending),
    );
    let now = crate::now_string();
    let id = runs::insert(
        conn,
        &NewRun {
            year: c.year,
            at: &now,
            operator,
            trigger,
            fingerprints: fps,
            returns: decision.rows.len() as u32,
            selected,
            tie_pending,
            result: &result,
            statuses: &statuses,
            reference_date: Some(date),
        },
    )?;
    drop((result, statuses));
    if c.status == CampaignStatus::Draft {
        campaigns::set_status(conn, c.year, CampaignStatus::Selected, &now)?;
    }
    let changes = changes_since(previous, decision)?;
    audit::append(
        conn,
        operator,
        "selection.run",
        &json!({
            "campaign": c.year,
            "run": id,
            "trigger": trigger.as_str(),
            "returns": decision.rows.len(),
            "selected": selected,
            "tie_pending": tie_pending,
            "first": changes.is_none(),
            "changes": changes.unwrap_or_default(),
        }),
    )?;
    Ok(())
}

/// One agency whose status differs between two runs, as the audit log records it: a
/// status of `None` means the agency had no return in that run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunChange {
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Agency name.
    pub name: String,
    /// Status in the previous run.
    pub from: Option<Status>,
    /// Status in this run.
    pub to: Option<Status>,
}

/// Agencies whose status differs between two runs — including agencies that appear or
/// disappear — in the new run's order, then the disappeared in the old run's order.
pub fn status_changes(before: &Selection, after: &Selection) -> Vec<RunChange> {
    changes_between(
        before
            .results
            .iter()
            .map(|r| (r.agency_id, r.status, r.uscc.as_deref(), r.name.as_str())),
        after
            .results
            .iter()
            .map(|r| (r.agency_id, r.status, r.uscc.as_deref(), r.name.as_str())),
    )
}

/// The agencies whose status changed since the previous run (`previous`: what
/// [`runs::latest_statuses`] read of it before this run was stored), as the audit entry
/// lists them; `None` for a first run.
pub fn changes_since(
    previous: Option<runs::PreviousStatuses>,
    decision: &Decision,
) -> Result<Option<Vec<RunChange>>, SelectError> {
    let Some(previous) = previous.map(Previous::read).transpose()?.flatten() else {
        return Ok(None);
    };
    let rows = previous.rows()?;
    Ok(Some(changes_between(
        rows.iter().copied(),
        decision.rows.iter().map(|r| {
            let e = decision.entry(r);
            (e.agency_id, r.status, e.uscc.as_deref(), e.name.as_str())
        }),
    )))
}

/// What a run reads of the previous run: its statuses record, or for a run stored
/// before version 24 the rows' identities and statuses read from its JSON result (every
/// other field skipped unparsed).
enum Previous {
    Statuses(i64, Vec<u8>),
    Json(PreviousRun),
    /// A compact result without a statuses record (never written so; read all the same).
    Compact(Selection),
}

impl Previous {
    /// `None` when the previous run keeps no result (never: the newest run keeps it).
    fn read(p: runs::PreviousStatuses) -> Result<Option<Previous>, SelectError> {
        Ok(match (p.statuses, p.result) {
            (Some(st), _) => Some(Previous::Statuses(p.id, st)),
            (None, r) if r.is_empty() => None,
            (None, r) if stored::is_compact(&r) => Some(Previous::Compact(parse_result(p.id, &r)?)),
            (None, r) => Some(Previous::Json(serde_json::from_slice(&r).map_err(|e| {
                SelectError::Corrupt(format!("评选运行记录 {}：{e}", p.id))
            })?)),
        })
    }

    /// Its rows as (agency, status, USCC, name).
    fn rows(&self) -> Result<Vec<stored::StatusRow<'_>>, SelectError> {
        Ok(match self {
            Previous::Statuses(id, st) => stored::decode_statuses(st)
                .map_err(|e| SelectError::Corrupt(format!("评选运行记录 {id}：{e}")))?,
            Previous::Json(p) => p
                .results
                .iter()
                .map(|r| (r.agency_id, r.status, r.uscc.as_deref(), r.name.as_str()))
                .collect(),
            Previous::Compact(sel) => sel
                .results
                .iter()
                .map(|r| (r.agency_id, r.status, r.uscc.as_deref(), r.name.as_str()))
                .collect(),
        })
    }
}

/// The rows of a run's JSON result as the audit reads them.
#[derive(Deserialize)]
struct PreviousRun {
    results: Vec<PreviousRow>,
}

#[derive(Deserialize)]
struct PreviousRow {
    agency_id: i64,
    uscc: Option<String>,
    name: String,
    status: Status,
}

/// [`status_changes`] between two runs' rows as (agency, status, USCC, name).
fn changes_between<'a, 'b>(
    before: impl Iterator<Item = (i64, Status, Option<&'a str>, &'a str)> + Clone,
    after: impl Iterator<Item = (i64, Status, Option<&'b str>, &'b str)> + Clone,
) -> Vec<RunChange> {
    // Agency ids hashed with the selection's own hasher (a run compares every row).
    let mut old: super::FxMap<i64, Status> = super::FxMap::default();
    old.extend(before.clone().map(|(id, status, _, _)| (id, status)));
    let new: super::FxMap<i64, Status> = after
        .clone()
        .map(|(id, status, _, _)| (id, status))
        .collect();
    let mut out: Vec<RunChange> = after
        .filter(|(id, status, _, _)| old.get(id) != Some(status))
        .map(|(id, status, uscc, name)| RunChange {
            uscc: uscc.map(str::to_string),
            name: name.to_string(),
            from: old.get(&id).copied(),
            to: Some(status),
        })
        .collect();
    out.extend(before.filter(|(id, _, _, _)| !new.contains_key(id)).map(
        |(_, status, uscc, name)| RunChange {
            uscc: uscc.map(str::to_string),
            name: name.to_string(),
            from: Some(status),
            to: None,
        },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{self, Registry, Returns};
    use crate::select::{set_override, OverrideRequest};
    use crate::store::overrides::OverrideAction;
    use crate::ui::testing::{campaign_with, opts, sample};
    use crate::Coded;

    /// A score is fingerprinted as the text `to_string` gives, byte for byte — stored
    /// runs' fingerprints were made so, and a changed text would mark them changed.
    #[test]
    fn a_score_is_fingerprinted_as_its_text() {
        use std::str::FromStr;
        let mut cases: Vec<Option<Decimal>> = crate::select::tests::DECIMAL_TEXTS
            .iter()
            .map(|t| Some(Decimal::from_str(t).unwrap()))
            .collect();
        cases.push(None);
        cases.push(Some(Decimal::new(123_456, 28)));
        for d in cases {
            let mut by_text = Fields::new();
            by_text.opt(d.map(|d| d.to_string()).as_deref());
            let mut by_decimal = Fields::new();
            by_decimal.decimal(d);
            assert_eq!(by_decimal.done(), by_text.done(), "{d:?}");
        }
    }

    fn import_returns(store: &mut Store, name: &str) {
        let returns = Returns::open(store, 2026, &[]).unwrap();
        import::import_file(store, &returns, &sample(name), &opts()).unwrap();
    }

    /// The `selection.run` events, oldest first (the log lists newest first).
    fn run_events(store: &Store) -> Vec<serde_json::Value> {
        let filter = crate::audit::Filter::default();
        let mut events: Vec<serde_json::Value> = crate::audit::list(store.conn(), &filter)
            .unwrap()
            .into_iter()
            .filter(|r| r.action == "selection.run")
            .map(|r| serde_json::from_str(&r.details).unwrap())
            .collect();
        events.reverse();
        events
    }

    /// The contract written beside the storing of the run is the one written from the
    /// stored run; a run that cannot be stored gives nothing back and changes nothing.
    #[test]
    fn what_is_made_beside_a_run_is_given_only_once_it_is_stored() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let json = |ran: &Ran| {
            let mut out = Vec::new();
            ran.write_json(&mut out, crate::select::NO_REVIEWS).unwrap();
            out
        };
        // The insert of the run refused, as a full disk or a damaged file would.
        store
            .conn()
            .execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON selection_runs
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            )
            .unwrap();
        let made = std::sync::atomic::AtomicBool::new(false);
        let err = run_deciding_beside(&mut store, 2026, date, "张三", |ran| {
            made.store(true, std::sync::atomic::Ordering::SeqCst);
            json(ran)
        })
        .unwrap_err();
        assert!(err.to_string().starts_with("数据库错误"), "{err}");
        assert!(
            made.into_inner(),
            "the document was made beside the storing"
        );
        assert_eq!(latest(&store, 2026).unwrap(), None);
        assert!(run_events(&store).is_empty());
        assert_eq!(
            campaigns::require(store.conn(), 2026).unwrap().status,
            CampaignStatus::Draft
        );

        store.conn().execute_batch("DROP TRIGGER refuse").unwrap();
        let (ran, beside) = run_deciding_beside(&mut store, 2026, date, "张三", json).unwrap();
        assert_eq!(beside, json(&ran));
        let stored = latest(&store, 2026).unwrap().unwrap();
        let mut from_stored = Vec::new();
        crate::select::write_json(
            &mut from_stored,
            &stored.selection,
            crate::select::NO_REVIEWS,
        )
        .unwrap();
        assert_eq!(beside, from_stored);
        assert_eq!(run_events(&store).len(), 1);
    }

    #[test]
    fn a_stored_result_stays_as_run_and_says_which_inputs_changed() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        assert_eq!(latest(&store, 2026).unwrap(), None);
        assert_eq!(state(&store, 2026).unwrap(), None);
        assert_eq!(current(&store, 2026).unwrap_err().code(), "select.not_run");

        let first = run(&mut store, 2026, "张三").unwrap();
        let stored = latest(&store, 2026).unwrap().unwrap();
        assert_eq!(stored.selection, first);
        // Turned into a run stored before version 24 (the selection's JSON, no statuses):
        // read as before, and the next run's audit reads its statuses from the JSON.
        let json = serde_json::to_string(&first).unwrap();
        store
            .conn()
            .execute(
                "UPDATE selection_runs SET result = ?1, record = NULL, statuses = NULL",
                [&json],
            )
            .unwrap();
        let old = latest(&store, 2026).unwrap().unwrap();
        assert_eq!(old, stored);
        assert_eq!(serde_json::to_string(&old.selection).unwrap(), json);
        assert_eq!(stored.state.changed, []);
        assert_eq!(stored.state.notice, None);
        assert_eq!(stored.state.last.trigger, RunTrigger::Run);
        assert_eq!(stored.state.last.operator, "张三");
        assert_eq!(
            campaigns::require(store.conn(), 2026).unwrap().status,
            CampaignStatus::Selected
        );

        // More returns: the stored result does not change, it is marked stale.
        import_returns(&mut store, "03_广州市越秀区.xlsx");
        let stale = latest(&store, 2026).unwrap().unwrap();
        assert_eq!(stale.selection, first);
        assert_eq!(stale.state.changed, [RunInput::Returns]);
        let notice = stale.state.notice.clone().unwrap();
        assert!(notice.starts_with("数据已变化："), "{notice}");
        assert!(notice.contains("申报数据有变化"), "{notice}");
        assert!(crate::campaign::list(&store).unwrap()[0].stale);
        let refused = crate::campaign::publish(
            &mut store,
            2026,
            "X〔2026〕1号",
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            "张三",
        );
        assert_eq!(refused.unwrap_err().code(), "select.stale");
        assert_eq!(current(&store, 2026).unwrap_err().to_string(), notice);

        // The registry is an input too.
        let reg = Registry::open(&store).unwrap();
        import::import_file(&mut store, &reg, &sample("awards.xlsx"), &opts()).unwrap();
        assert_eq!(
            state(&store, 2026).unwrap().unwrap().changed,
            [RunInput::Returns, RunInput::Awards]
        );

        // Running again makes it current, and the audit lists who changed status.
        let second = run(&mut store, 2026, "李四").unwrap();
        assert!(second.results.len() > first.results.len());
        assert!(!state(&store, 2026).unwrap().unwrap().stale());
        assert!(!crate::campaign::list(&store).unwrap()[0].stale);
        let events = run_events(&store);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["first"], true);
        assert_eq!(events[0]["changes"], serde_json::json!([]));
        assert_eq!(events[1]["first"], false);
        let changes = events[1]["changes"].as_array().unwrap();
        let expected = status_changes(&first, &second);
        assert_eq!(changes.len(), expected.len());
        // Every return of the second file is new in the second run.
        assert!(expected.iter().filter(|c| c.from.is_none()).count() >= 12);
        assert_eq!(
            serde_json::to_value(&expected).unwrap(),
            events[1]["changes"]
        );

        // A run after one stored with its statuses record: the audit reads the record.
        let out = first_selected(&second);
        let req = excluding(out.uscc.clone().unwrap_or_else(|| out.name.clone()));
        let (third, _) = set_override(&mut store, &req, "王五").unwrap();
        let events = run_events(&store);
        let expected = status_changes(&second, &third);
        assert!(!expected.is_empty());
        assert_eq!(
            serde_json::to_value(&expected).unwrap(),
            events[2]["changes"]
        );
    }

    /// The first selected row of a result.
    fn first_selected(sel: &Selection) -> &crate::select::ResultRow {
        sel.results
            .iter()
            .find(|r| r.status == Status::Selected)
            .unwrap()
    }

    /// The panel's exclusion of `agency` (its USCC or name) in 2026.
    fn excluding(agency: String) -> OverrideRequest {
        OverrideRequest {
            year: 2026,
            agency,
            action: OverrideAction::Exclude,
            reason: "测试".into(),
            confirm_beyond_quota: false,
        }
    }

    #[test]
    fn a_panel_decision_is_a_run_and_a_published_result_is_final() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let sel = run(&mut store, 2026, "张三").unwrap();
        let out = first_selected(&sel);
        let req = excluding(out.name.clone());
        let (after, _) = set_override(&mut store, &req, "王五").unwrap();
        let stored = latest(&store, 2026).unwrap().unwrap();
        assert_eq!(stored.selection, after);
        assert_eq!(stored.state.last.trigger, RunTrigger::Override);
        assert!(!stored.state.stale());
        let events = run_events(&store);
        let changed = events[1]["changes"].as_array().unwrap();
        assert!(changed
            .iter()
            .any(|c| c["name"] == out.name.as_str() && c["to"] == "not_selected"));

        // Only the newest run keeps its result.
        let kept: i64 = store
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM selection_runs
                 WHERE result IS NOT NULL OR record IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);

        let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let round = crate::publicity::start(&mut store, 2026, from, None, "张三").unwrap();
        let on = round.to.succ_opt().unwrap();
        crate::campaign::publish(&mut store, 2026, "X〔2026〕1号", on, "张三").unwrap();
        // Publishing added awards to the registry; the published result stays current and
        // running again returns it as stored, without a new run.
        assert!(!state(&store, 2026).unwrap().unwrap().stale());
        let again = run(&mut store, 2026, "张三").unwrap();
        assert_eq!(again, after);
        assert_eq!(run_events(&store).len(), 2);
    }

    /// One return of every kind of field the selection reads, with one fact of each input.
    fn sample_inputs() -> Inputs {
        use crate::select::{AwardFact, Entry, OverrideFact};
        Inputs {
            campaign: 2026,
            entries: vec![Entry {
                agency_id: 1,
                uscc: None,
                name: "甲".into(),
                tier: crate::scheme::Tier::City,
                region: Some("广州市".into()),
                unit_type: "党政机关".into(),
                daily: Some(Decimal::new(905, 1)),
                components: vec![Some(Decimal::new(90, 0)), None],
                vetoes: vec![false],
            }],
            awards: vec![AwardFact {
                agency_id: 1,
                year: 2020,
                status: crate::store::awards::AwardStatus::Active,
                revoked_year: None,
            }],
            overrides: vec![OverrideFact {
                id: 1,
                agency_id: 1,
                action: OverrideAction::Include,
                reason: "理由".into(),
                beyond_quota: false,
                operator: "张三".into(),
                at: "t".into(),
            }],
            computed: vec![crate::select::Computed {
                agency_id: 1,
                component: 3,
                score: Some(Decimal::from(80)),
                note: "群众测评80.00分".into(),
            }],
            ledger: crate::select::ledger::LedgerFacts {
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
                overdue: vec![crate::select::ledger::OverdueFact {
                    agency_id: 1,
                    item_id: 7,
                    deadline: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                }],
            },
            accountability: vec![crate::select::accountability::AccountabilityFact {
                id: 1,
                agency_id: 1,
                kind: crate::vocab::AccountabilityKind::Bulletin,
                date: "2026-03-05".parse().unwrap(),
            }],
        }
    }

    /// The fingerprints stored with earlier runs are still those computed now: the hex
    /// digests below were computed by the code before the fields were hashed in blocks
    /// (and scores written without `Display`), for the sample and for 3,000 returns of
    /// every score scale (more than one block of fields).
    #[test]
    fn fingerprints_are_those_stored_before() {
        let base = sample_inputs();
        let mut many = base.clone();
        many.entries = (0..3_000i64)
            .map(|i| crate::select::Entry {
                agency_id: i,
                name: format!("单位{i}"),
                daily: (i % 7 != 0).then(|| Decimal::new(i * 37 % 10_000, (i % 5) as u32)),
                components: vec![Some(Decimal::new(i, (i % 3) as u32)), None],
                ..base.entries[0].clone()
            })
            .collect();
        let fp = fingerprints("a = 1", &base);
        let got = [
            fp.scheme,
            fp.returns,
            fp.awards,
            fp.overrides,
            fp.evaluations,
            fp.ledger,
            fp.accountability,
        ];
        assert_eq!(
            got,
            [
                "9e7e6444ea39341b4fcfc2bb7d0303a190708a6eed4f7942536d969a0062f812",
                "49a4bbeeb2aeb5f36e0ac9300892abad5dd10cda98bfe9ab8fa79ca1050d8b4f",
                "dfeaea7911092e243ec9923f1213774b3d9656a86dd76bedae05345d532efd64",
                "25bbe7de1c5a1475591afb54fe9cb963276d44df882f6bb15b7063c0fbeedd9b",
                "723e25841a994a0511708457d822f47a6d9e97364fc384c3591665c3244c9841",
                "3a7253fa26e4db2a76888da2078ed51e6283e511ca44fb21148710a80b481daf",
                "95ab134631ac18c3182e01b30dc811676f077a9172c4f17b4ca4d61ba0d13151",
            ]
        );
        assert_eq!(
            fingerprints("a = 1", &many).returns,
            "390e713038b9dbfaf8fe46fd53fb39328c3ff686f09729094caebe85a9a88e60"
        );
    }

    #[test]
    fn every_field_the_selection_reads_moves_the_fingerprint() {
        use crate::select::{AwardFact, Entry, OverrideFact};
        use rust_decimal::Decimal;
        let base = sample_inputs();
        let fp = fingerprints("a = 1", &base);
        let variants: Vec<(RunInput, Inputs, &str)> = vec![
            (RunInput::Scheme, base.clone(), "a = 2"),
            (
                RunInput::Returns,
                Inputs {
                    entries: vec![Entry {
                        daily: Some(Decimal::new(906, 1)),
                        ..base.entries[0].clone()
                    }],
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Returns,
                Inputs {
                    entries: vec![Entry {
                        components: vec![None, Some(Decimal::new(90, 0))],
                        ..base.entries[0].clone()
                    }],
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Returns,
                Inputs {
                    entries: vec![Entry {
                        vetoes: vec![true],
                        ..base.entries[0].clone()
                    }],
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Awards,
                Inputs {
                    awards: vec![AwardFact {
                        revoked_year: Some(2025),
                        ..base.awards[0].clone()
                    }],
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Overrides,
                Inputs {
                    overrides: vec![OverrideFact {
                        action: OverrideAction::Exclude,
                        ..base.overrides[0].clone()
                    }],
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Ledger,
                Inputs {
                    ledger: crate::select::ledger::LedgerFacts {
                        overdue: vec![],
                        ..base.ledger.clone()
                    },
                    ..base.clone()
                },
                "a = 1",
            ),
            (
                RunInput::Ledger,
                Inputs {
                    ledger: crate::select::ledger::LedgerFacts {
                        overdue: vec![crate::select::ledger::OverdueFact {
                            item_id: 8,
                            ..base.ledger.overdue[0].clone()
                        }],
                        ..base.ledger.clone()
                    },
                    ..base.clone()
                },
                "a = 1",
            ),
        ];
        let mut evaluations = vec![];
        for change in [
            |c: &mut crate::select::Computed| c.score = None,
            |c: &mut crate::select::Computed| c.note = "群众测评有效票不足30张（实有12张）".into(),
            |c: &mut crate::select::Computed| c.component = 2,
        ] {
            let mut inputs = base.clone();
            change(&mut inputs.computed[0]);
            evaluations.push((RunInput::Evaluations, inputs, "a = 1"));
        }
        let mut none = base.clone();
        none.computed.clear();
        evaluations.push((RunInput::Evaluations, none, "a = 1"));
        type Fact = crate::select::accountability::AccountabilityFact;
        for change in [
            (|a: &mut Fact| a.id = 2) as fn(&mut Fact),
            |a: &mut Fact| a.agency_id = 2,
            |a: &mut Fact| a.kind = crate::vocab::AccountabilityKind::Reorganise,
            |a: &mut Fact| a.date = "2026-03-06".parse().unwrap(),
        ] {
            let mut inputs = base.clone();
            change(&mut inputs.accountability[0]);
            evaluations.push((RunInput::Accountability, inputs, "a = 1"));
        }
        let mut none = base.clone();
        none.accountability.clear();
        evaluations.push((RunInput::Accountability, none, "a = 1"));
        for (input, inputs, scheme) in variants.into_iter().chain(evaluations) {
            assert_eq!(changed(&fp, &fingerprints(scheme, &inputs)), [input]);
        }
        // A run recorded before computed components existed gets, by its migration, the
        // fingerprint a campaign without computed scores has: it stays current.
        let nothing = fingerprints("a = 1", &Inputs::default()).evaluations;
        assert!(crate::store::runs::MIGRATION_15.sql.contains(&nothing));
        // The same for runs recorded before accountability was read.
        let nothing = fingerprints("a = 1", &Inputs::default()).accountability;
        assert!(crate::store::accountability::MIGRATION_21
            .sql
            .contains(&nothing));
        // Who recorded a decision and when is not read by the selection.
        let mut same = base.clone();
        same.overrides[0].operator = "李四".into();
        assert_eq!(changed(&fp, &fingerprints("a = 1", &same)), []);
    }
}
