//! Each agency's history across every campaign in the database (历年情况,
//! docs/specification.md §11): who it is (and the names it used before), how each year's
//! selection saw it, its awards and their reviews, and the supervision and
//! accountability records kept on it.
//!
//! A year's outcome is the campaign's **stored** last run (`select::latest`), never a
//! recomputation: what the panel saw and what was published. A year whose result no longer
//! matches its inputs says so (`stale`), and a year in which the agency has a current
//! return the last run does not hold says why it has no result (`note`).
//!
//! [`show`] is one agency (`mofan agency show`, the window's agency page); [`table`] is
//! every agency over a range of years (`mofan history`, written by
//! `crate::export::history`).
//!
//! The agency's ledger items (§10) are in it too, each with its status on the date asked
//! for (today unless one is given) and the supervision record it was found in: the
//! `ledger` field of [`AgencyHistory`], between `reviews` and `supervision` as §7's JSON
//! orders them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use thiserror::Error;

use crate::ledger::{self, Filter, Item, LedgerError};
use crate::scheme::{Scheme, SchemeError};
use crate::select::{self, ResultRow, SelectError, Status};
use crate::store::agencies::{self, AgencyRow, Lookup};
use crate::store::awards::{self as award_store, AwardStatus};
use crate::store::campaigns::{self, CampaignStatus};
use crate::store::reviews::{self as review_store, ReviewListing};
use crate::store::{returns, Store, StoreError};
use crate::supervision::{self, AccountabilityView, AgencyRef, SupervisionError, SupervisionView};
use crate::vocab::{LedgerKind, LedgerLevel, LedgerSource, LedgerStatus, Outcome, Tier, Trigger};
use crate::Coded;

#[cfg(test)]
mod tests;

/// Why a history could not be read.
#[derive(Debug, Error)]
pub enum HistoryError {
    /// The agency cannot be told (none, or several of that name).
    #[error(transparent)]
    Agency(#[from] Lookup),
    /// The years asked for are not a range.
    #[error("年度范围无效：起始年度{from}晚于结束年度{to}")]
    Range {
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
    },
    /// A stored run could not be read.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// A campaign's stored scheme could not be read.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// Supervision or accountability records could not be read.
    #[error(transparent)]
    Supervision(#[from] SupervisionError),
    /// The ledger could not be read.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A stored review's reasons could not be read.
    #[error("复查记录数据损坏（{0}）")]
    Corrupt(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for HistoryError {
    fn from(e: rusqlite::Error) -> Self {
        HistoryError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for HistoryError {
    fn code(&self) -> &'static str {
        match self {
            HistoryError::Agency(e) => e.code(),
            HistoryError::Range { .. } => "history.range",
            HistoryError::Select(e) => e.code(),
            HistoryError::Scheme(e) => e.code(),
            HistoryError::Supervision(e) => e.code(),
            HistoryError::Ledger(e) => e.code(),
            HistoryError::Corrupt(_) => "history.corrupt",
            HistoryError::Store(e) => e.code(),
        }
    }
}

/// A score as a JSON number rounded to 2 places (null when there is none), as §7 writes
/// every score.
fn score<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d.map(select::score::round2).and_then(|d| d.to_f64()) {
        Some(f) => s.serialize_f64(f),
        None => s.serialize_none(),
    }
}

/// A name the agency's returns gave other than its current one, with the years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormerName {
    /// The name.
    pub name: String,
    /// The campaign years whose returns gave it.
    pub years: Vec<i32>,
}

/// Who the agency is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Identity {
    /// `agencies.id` (the window's handle of the agency).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Current name (from the latest return or registry row that named it).
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Region; `None` for a provincial agency.
    pub region: Option<String>,
    /// Unit type.
    pub unit_type: String,
    /// Names its returns gave before, oldest first.
    pub former_names: Vec<FormerName>,
}

/// One component's score in a year, as the run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComponentScore {
    /// The scheme's key.
    pub key: String,
    /// Its label in that year's scheme.
    pub label: String,
    /// The score, rounded to 2 places; `None` when missing.
    #[serde(serialize_with = "score")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub score: Option<Decimal>,
}

/// How one year's selection saw the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct YearOutcome {
    /// The campaign year.
    pub year: i32,
    /// The campaign's state (published: the result is final).
    pub campaign_status: CampaignStatus,
    /// The name the agency had in that year's result (or return).
    pub name: String,
    /// When the stored run was made (RFC 3339); `None` when the year has no run.
    pub run_at: Option<String>,
    /// The year's inputs changed after its last run (数据已变化).
    pub stale: bool,
    /// Why the year has no result for the agency, when it has none.
    pub note: Option<String>,
    /// Daily score (日常考核) as read.
    #[serde(serialize_with = "score")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub daily: Option<Decimal>,
    /// Annual score.
    #[serde(serialize_with = "score")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub annual: Option<Decimal>,
    /// Composite score.
    #[serde(serialize_with = "score")]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub composite: Option<Decimal>,
    /// Rank within its pool (eligible returns only).
    pub rank: Option<u32>,
    /// The outcome; `None` when the year has no result for the agency.
    pub status: Option<Status>,
    /// Every reason the result gave.
    pub reasons: Vec<String>,
    /// The pool.
    pub pool: Option<String>,
    /// The component scores the composite used, in scheme order.
    pub components: Vec<ComponentScore>,
}

/// One award of the agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardEntry {
    /// Year awarded (命名年度).
    pub year: i32,
    /// The title.
    pub title: String,
    /// 文号.
    pub doc_number: Option<String>,
    /// 正常, 整改中 or 已撤销.
    pub status: AwardStatus,
    /// The year of its last review.
    pub last_review_year: Option<i32>,
    /// The rectification deadline, when rectifying.
    pub rectify_deadline: Option<String>,
    /// The year it was revoked.
    pub revoked_year: Option<i32>,
}

/// One applied review of the agency's awards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewEntry {
    /// The campaign year it was applied in.
    pub year: i32,
    /// The award's year.
    pub award_year: i32,
    /// The review date.
    pub date: NaiveDate,
    /// Why it was due.
    pub trigger: Trigger,
    /// What it decided.
    pub outcome: Outcome,
    /// Its reasons.
    pub reasons: Vec<String>,
    /// The rectification deadline (`rectify` only).
    pub deadline: Option<NaiveDate>,
}

/// One ledger item of the agency (docs/specification.md §10), with its status on the
/// history's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerEntry {
    /// Its number (`ledger done --id`).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
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
    /// When it was done.
    pub done_on: Option<NaiveDate>,
    /// 完成情况.
    pub evidence: Option<String>,
    /// Its status on the date.
    pub status: LedgerStatus,
    /// The supervision record it was found in.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub supervision: Option<i64>,
    /// Where it came from, in words.
    pub provenance: String,
}

impl From<Item> for LedgerEntry {
    fn from(i: Item) -> Self {
        LedgerEntry {
            id: i.id,
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
            supervision: i.supervision_id,
            provenance: i.provenance,
        }
    }
}

/// One agency's history (`mofan agency show --json`, docs/specification.md §7, §11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencyHistory {
    /// Who it is.
    pub agency: Identity,
    /// Each campaign year that holds it, oldest first.
    pub years: Vec<YearOutcome>,
    /// Its awards, oldest first.
    pub awards: Vec<AwardEntry>,
    /// The reviews of its awards, by date.
    pub reviews: Vec<ReviewEntry>,
    /// Its ledger items with their status on the date asked for: by kind (responsibility,
    /// task, problem), then by id.
    pub ledger: Vec<LedgerEntry>,
    /// Supervision records, by date.
    pub supervision: Vec<SupervisionView>,
    /// Accountability records, by date.
    pub accountability: Vec<AccountabilityView>,
}

/// A campaign's stored last run, read once for every agency it holds.
struct CampaignRun {
    year: i32,
    status: CampaignStatus,
    run: Option<select::StoredRun>,
    labels: HashMap<String, String>,
    by_agency: HashMap<i64, usize>,
}

/// Every campaign's last run, oldest year first, within `years` when given.
fn campaign_runs(
    store: &Store,
    years: Option<(i32, i32)>,
) -> Result<Vec<CampaignRun>, HistoryError> {
    let mut out = Vec::new();
    let mut list = campaigns::list(store.conn())?;
    list.reverse();
    for c in list {
        if years.is_some_and(|(from, to)| c.year < from || c.year > to) {
            continue;
        }
        let run = select::latest(store, c.year)?;
        let labels = Scheme::parse(&c.scheme_toml)?
            .components
            .into_iter()
            .map(|k| (k.key, k.label))
            .collect();
        let by_agency = run.as_ref().map_or_else(HashMap::new, |r| {
            r.selection
                .results
                .iter()
                .enumerate()
                .map(|(i, r)| (r.agency_id, i))
                .collect()
        });
        out.push(CampaignRun {
            year: c.year,
            status: c.status,
            run,
            labels,
            by_agency,
        });
    }
    Ok(out)
}

impl CampaignRun {
    fn row(&self, agency_id: i64) -> Option<&ResultRow> {
        let run = self.run.as_ref()?;
        self.by_agency
            .get(&agency_id)
            .map(|i| &run.selection.results[*i])
    }

    /// The year's outcome for the agency, from the run; `None` when neither the run nor a
    /// current return holds it. `current_name` is its return's name when it has one.
    fn outcome(&self, agency_id: i64, current_name: Option<&str>) -> Option<YearOutcome> {
        let stale = self.run.as_ref().is_some_and(|r| r.state.stale());
        let run_at = self.run.as_ref().map(|r| r.state.last.at.clone());
        match self.row(agency_id) {
            Some(r) => {
                let keys = &self.run.as_ref()?.selection.component_keys;
                let components = keys
                    .iter()
                    .zip(&r.components)
                    .map(|(k, s)| ComponentScore {
                        key: k.clone(),
                        label: self.labels.get(k).cloned().unwrap_or_else(|| k.clone()),
                        score: s.map(select::score::round2),
                    })
                    .collect();
                Some(YearOutcome {
                    year: self.year,
                    campaign_status: self.status,
                    name: r.name.clone(),
                    run_at,
                    stale,
                    note: None,
                    daily: r.daily.map(select::score::round2),
                    annual: r.annual,
                    composite: r.composite,
                    rank: r.rank,
                    status: Some(r.status),
                    reasons: r.reasons.clone(),
                    pool: r.pool.clone(),
                    components,
                })
            }
            None => {
                let name = current_name?;
                let note = if self.run.is_some() {
                    "申报在最近一次评选之后导入，尚无评选结果"
                } else {
                    "本年度尚未运行评选"
                };
                Some(YearOutcome {
                    year: self.year,
                    campaign_status: self.status,
                    name: name.to_string(),
                    run_at,
                    stale,
                    note: Some(note.to_string()),
                    daily: None,
                    annual: None,
                    composite: None,
                    rank: None,
                    status: None,
                    reasons: Vec::new(),
                    pool: None,
                    components: Vec::new(),
                })
            }
        }
    }
}

fn identity(store: &Store, a: AgencyRow) -> Result<Identity, HistoryError> {
    let mut former: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (year, name) in returns::names_of(store.conn(), a.id)? {
        if name != a.name {
            former.entry(name).or_default().push(year);
        }
    }
    let mut former_names: Vec<FormerName> = former
        .into_iter()
        .map(|(name, years)| FormerName { name, years })
        .collect();
    former_names.sort_by(|x, y| x.years.cmp(&y.years).then(x.name.cmp(&y.name)));
    Ok(Identity {
        id: a.id,
        uscc: a.uscc,
        name: a.name,
        tier: a.tier,
        region: a.region,
        unit_type: a.unit_type,
        former_names,
    })
}

fn review_entry(r: ReviewListing) -> Result<ReviewEntry, HistoryError> {
    let reasons: Vec<String> = serde_json::from_str(&r.reasons_json)
        .map_err(|e| HistoryError::Corrupt(format!("{}：{e}", r.name)))?;
    Ok(ReviewEntry {
        year: r.campaign_year,
        award_year: r.award_year,
        date: r.review_date,
        trigger: r.trigger,
        outcome: r.outcome,
        reasons,
        deadline: r.deadline,
    })
}

/// The history of the agency `agency` refers to (its USCC, a current name only one agency
/// has, or its id), its ledger items with their status on `date`.
pub fn show(
    store: &Store,
    agency: AgencyRef<'_>,
    date: NaiveDate,
) -> Result<AgencyHistory, HistoryError> {
    let a = agency.find(store.conn())?;
    let id = a.id;
    let mut ledger: Vec<LedgerEntry> = ledger::list(store, &Filter::default(), date)?
        .items
        .into_iter()
        .filter(|i| i.agency_id == id)
        .map(LedgerEntry::from)
        .collect();
    ledger.sort_by_key(|e| (kind_order(e.kind), e.id));
    let names: HashMap<i32, String> = returns::names_current(store.conn(), id)?
        .into_iter()
        .collect();
    let years = campaign_runs(store, None)?
        .iter()
        .filter_map(|c| c.outcome(id, names.get(&c.year).map(String::as_str)))
        .collect();
    let awards = award_store::list(store.conn())?
        .into_iter()
        .filter(|w| w.agency_id == id)
        .map(|w| AwardEntry {
            year: w.year,
            title: w.title,
            doc_number: w.doc_number,
            status: w.status,
            last_review_year: w.last_review_year,
            rectify_deadline: w.rectify_deadline,
            revoked_year: w.revoked_year,
        })
        .collect();
    let reviews = review_store::list_for_agency(store.conn(), id)?
        .into_iter()
        .map(review_entry)
        .collect::<Result<_, _>>()?;
    Ok(AgencyHistory {
        agency: identity(store, a)?,
        years,
        awards,
        reviews,
        ledger,
        supervision: supervision::supervision_of(store, Some(id))?,
        accountability: supervision::accountability_of(store, Some(id))?,
    })
}

/// The order of the lists in an agency's history: responsibilities, tasks, problems.
fn kind_order(k: LedgerKind) -> u8 {
    match k {
        LedgerKind::Responsibility => 0,
        LedgerKind::Task => 1,
        LedgerKind::Problem => 2,
    }
}

/// One year's cell of the history workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCell {
    /// Composite score.
    pub composite: Option<Decimal>,
    /// Rank in the pool.
    pub rank: Option<u32>,
    /// The outcome; `None` when the year has no result for the agency.
    pub status: Option<Status>,
}

/// One agency's row of the history workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// 统一社会信用代码.
    pub uscc: Option<String>,
    /// Current name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Region.
    pub region: Option<String>,
    /// Unit type.
    pub unit_type: String,
    /// One cell per year of [`HistoryTable::years`]; `None` where the agency took no part.
    pub years: Vec<Option<YearCell>>,
    /// Its awards in words ("2024年命名（正常）"), oldest first.
    pub awards: Vec<String>,
    /// Supervision records dated in the range.
    pub supervision: usize,
    /// Accountability records dated in the range.
    pub accountability: usize,
}

/// Every agency over a range of years (`mofan history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    /// First year asked for.
    pub from: i32,
    /// Last year asked for.
    pub to: i32,
    /// The campaign years in the range, oldest first (a year without a campaign has no
    /// column).
    pub years: Vec<i32>,
    /// Years of the range whose last result no longer matches its inputs.
    pub stale: Vec<i32>,
    /// One row per agency that took part in a campaign of the range, by tier, region,
    /// name.
    pub rows: Vec<HistoryRow>,
}

/// Every agency's outcomes in the campaigns from `from` to `to` (inclusive), from their
/// stored runs; an agency appears when a run of the range holds it.
pub fn table(store: &Store, from: i32, to: i32) -> Result<HistoryTable, HistoryError> {
    if from > to {
        return Err(HistoryError::Range { from, to });
    }
    let runs = campaign_runs(store, Some((from, to)))?;
    let mut ids: Vec<i64> = runs
        .iter()
        .flat_map(|c| c.by_agency.keys().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let in_range = |d: NaiveDate| {
        use chrono::Datelike;
        (from..=to).contains(&d.year())
    };
    let mut awards_of: HashMap<i64, Vec<String>> = HashMap::new();
    for w in award_store::list(store.conn())? {
        awards_of.entry(w.agency_id).or_default().push(format!(
            "{}年命名（{}）",
            w.year,
            w.status.label()
        ));
    }
    let mut supervised: HashMap<i64, usize> = HashMap::new();
    for s in crate::store::supervision::list(store.conn(), None)? {
        if in_range(s.date) {
            *supervised.entry(s.agency_id).or_default() += 1;
        }
    }
    let mut accountable: HashMap<i64, usize> = HashMap::new();
    for a in crate::store::accountability::list(store.conn(), None)? {
        if in_range(a.date) {
            *accountable.entry(a.agency_id).or_default() += 1;
        }
    }
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(a) = agencies::get(store.conn(), id)? else {
            continue;
        };
        rows.push(HistoryRow {
            years: runs
                .iter()
                .map(|c| {
                    c.row(id).map(|r| YearCell {
                        composite: r.composite,
                        rank: r.rank,
                        status: Some(r.status),
                    })
                })
                .collect(),
            awards: awards_of.remove(&id).unwrap_or_default(),
            supervision: supervised.get(&id).copied().unwrap_or(0),
            accountability: accountable.get(&id).copied().unwrap_or(0),
            uscc: a.uscc,
            name: a.name,
            tier: a.tier,
            region: a.region,
            unit_type: a.unit_type,
        });
    }
    rows.sort_by(|x, y| {
        (x.tier, &x.region, &x.name, &x.uscc).cmp(&(y.tier, &y.region, &y.name, &y.uscc))
    });
    Ok(HistoryTable {
        from,
        to,
        years: runs.iter().map(|c| c.year).collect(),
        stale: runs
            .iter()
            .filter(|c| c.run.as_ref().is_some_and(|r| r.state.stale()))
            .map(|c| c.year)
            .collect(),
        rows,
    })
}
