//! Tiered selection (docs/specification.md §4): scores, eligibility, quota pools, ranking, statuses
//! and panel overrides.
//!
//! [`select`] is a pure function of the returns, the awards registry, the scheme and the
//! overrides: the same inputs in any order give the same [`Selection`]. [`load`] reads
//! those inputs from the store.
//!
//! The work is [`decide`]: every return's scores, eligibility, pool, rank, status and
//! reasons as data ([`Decision`], `outcome.rs`), no text made. The texts — reasons, pool
//! names, the rows' own strings — are made only where they are shown or written: the
//! [`Selection`] ([`Decision::into_selection`]), the stored run and the `select --json`
//! document (written from the decision, byte for byte what the selection would write).

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::scheme::{ComponentSource, GroupBy, QuotaBase, Scheme, Tier};
use crate::store::awards::AwardStatus;
use crate::store::overrides::OverrideAction;

pub mod accountability;
pub mod ledger;
mod load;
mod outcome;
mod output;
pub mod quota;
pub mod runs;
pub mod score;
mod stored;
#[cfg(test)]
mod tests;

pub use load::{
    campaign_scheme, exclude_in, load, load_on, set_override, set_override_by_id, OverrideRequest,
    SelectError,
};
pub use outcome::{Decision, Outcome, Reason, ReasonText, Tail, WhyNot, NO_POOL};
pub use output::{compare, to_json, write_json, StatusChange, NO_REVIEWS};
pub use quota::pool_label;
pub use runs::{latest, run, run_deciding, run_on, Ran, RunFacts, RunState, StoredRun};
use score::round2;

/// One current return, as the selection reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The agency's id in the store (identity for awards and overrides).
    pub agency_id: i64,
    /// 统一社会信用代码 (18 characters, upper case, check digit verified) when one is known; `None` for an
    /// agency known by name and region only.
    pub uscc: Option<String>,
    /// Agency name as the current return declares it (normalised), shown in results and messages.
    pub name: String,
    /// 省直, 市级 or 县级: quota rules are per tier, so it picks the agency's pool; a provincial agency
    /// has no region.
    pub tier: Tier,
    /// 所属地区 of the return; `None` for a provincial agency. Names the pool when a quota rule groups
    /// by region.
    pub region: Option<String>,
    /// 单位类型, one of the scheme's `unit_types`; picks the quota rule and names the pool when a rule
    /// groups by unit type.
    pub unit_type: String,
    /// 日常考核 as declared (0–100, after the import's fraction scaling); `None` when blank, which
    /// leaves the composite uncomputable (and the return ineligible) when the scheme gives it a
    /// share.
    pub daily: Option<Decimal>,
    /// Component scores in scheme order.
    pub components: Vec<Option<Decimal>>,
    /// Veto flags in scheme order.
    pub vetoes: Vec<bool>,
}

/// An award of the registry, as eligibility reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardFact {
    /// Row id of the awarded agency (`agencies.id`), matched against [`Entry::agency_id`].
    pub agency_id: i64,
    /// Year the title was awarded (命名年度); only awards of years before the campaign count, so that
    /// this campaign's own winners stay eligible in it.
    pub year: i32,
    /// Held, under rectification or revoked: a held title makes the agency ineligible (it is
    /// reviewed instead).
    pub status: AwardStatus,
    /// Year the title was revoked (撤销年度), when it was; the agency may not take part for the
    /// scheme's `cooldown_years` from it.
    pub revoked_year: Option<i32>,
}

/// A panel decision, as the selection applies it. The latest (highest `id`) per agency
/// is in force; `Clear` withdraws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverrideFact {
    /// Sequence (later wins).
    pub id: i64,
    /// Row id of the agency decided on (`agencies.id`); the latest decision per agency is in force.
    pub agency_id: i64,
    /// Include, exclude, or clear (withdraws the agency's earlier decision).
    pub action: OverrideAction,
    /// The panel's reason in Chinese, required, at most 500 characters; shown in the result's
    /// reasons and the 评审组调整 sheet.
    pub reason: String,
    /// Whether including beyond the quota was confirmed.
    pub beyond_quota: bool,
    /// Who did it, as the audit log records them: the command line's `--operator` or
    /// `$MOFAN_OPERATOR`, the window's settings, else the OS user name; at most 50 characters.
    pub operator: String,
    /// When it was recorded (RFC 3339, local time with seconds).
    pub at: String,
}

/// A component score mofan computed for one agency from the ballots or the panel's score
/// sheets (docs/specification.md §8), replacing whatever its return declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    /// `agencies.id` of the agency scored.
    pub agency_id: i64,
    /// Index of the component in the scheme.
    pub component: usize,
    /// The score rounded to 2 places, used as a reported one; `None` when it is missing.
    pub score: Option<Decimal>,
    /// How it was computed ("群众测评94.74分 = …"), or why it is missing
    /// ("群众测评有效票不足30张（实有12张）"), which then stands for "缺少群众测评".
    pub note: String,
}

/// Everything a selection depends on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inputs {
    /// The campaign's year (e.g. 2026): awards of earlier years make an agency ineligible, and the
    /// cool-down after a revocation counts up to it.
    pub campaign: i32,
    /// Current returns.
    pub entries: Vec<Entry>,
    /// The awards registry.
    pub awards: Vec<AwardFact>,
    /// The panel's decisions for this campaign.
    pub overrides: Vec<OverrideFact>,
    /// The scores of computed components (`source = ballots | panel`), per agency; an
    /// entry's own value for such a component is never used.
    pub computed: Vec<Computed>,
    /// The reference date and the ledger's problems overdue on it (docs/specification.md
    /// §10).
    pub ledger: ledger::LedgerFacts,
    /// The accountability records of the campaign year whose kind bars an agency
    /// ([`accountability::blocking_kinds`]); the rule checks kind and year again.
    pub accountability: Vec<accountability::AccountabilityFact>,
}

/// A return's outcome: one of the vocabulary's words.
pub use crate::vocab::SelectionStatus as Status;

/// One return's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResultRow {
    /// Row id of the agency in the store (`agencies.id`): stable across imports, it ties a return
    /// to the agency's awards and panel decisions.
    pub agency_id: i64,
    /// 统一社会信用代码 (18 characters, upper case, check digit verified) when one is known; `None` for an
    /// agency known by name and region only.
    pub uscc: Option<String>,
    /// Agency name as the current return declares it (normalised).
    pub name: String,
    /// 省直, 市级 or 县级: quota rules are per tier, so it picks the agency's pool; a provincial agency
    /// has no region.
    pub tier: Tier,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<String>,
    /// 单位类型, always one of the scheme's `unit_types` (an alias in the return is stored as the type
    /// it stands for); quota rules may be per type.
    pub unit_type: String,
    /// Component scores as declared (or, for a computed component, as computed), in scheme
    /// order.
    #[cfg_attr(feature = "ts", ts(type = "Array<string | null>"))]
    pub components: Vec<Option<Decimal>>,
    /// For each component in scheme order: how mofan computed it, or why it could not
    /// (computed components only; `None` for a reported one). Empty in results stored
    /// before computed components existed.
    #[serde(default)]
    pub component_notes: Vec<Option<String>>,
    /// Daily score as declared.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub daily: Option<Decimal>,
    /// Annual score, rounded to 2 places.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub annual: Option<Decimal>,
    /// Composite score, rounded to 2 places.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite: Option<Decimal>,
    /// Competition rank within the pool, eligible returns only.
    pub rank: Option<u32>,
    /// Selected, tie pending, not selected or ineligible; `reasons` says why.
    pub status: Status,
    /// Every reason, in Chinese: failed rules, the tie, the why-not line, the override.
    pub reasons: Vec<String>,
    /// Pool name, when a quota rule applies.
    pub pool: Option<String>,
    /// The panel decision applied, if any.
    pub applied_override: Option<OverrideFact>,
    /// Whether the return passed every eligibility rule.
    pub eligible: bool,
}

/// One pool's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolSummary {
    /// Pool name: the rule's tier code, then `/` and the region or unit type for each grouping of
    /// the rule, e.g. `county/广州市越秀区`.
    pub pool: String,
    /// Index of the quota rule.
    pub rule: usize,
    /// The tier of the quota rule: every return of the pool has it.
    pub tier: Tier,
    /// Returns in the pool.
    pub declared: u32,
    /// Returns the percentage is taken of (declared less award holders, or eligible).
    pub base: u32,
    /// Eligible returns.
    pub eligible: u32,
    /// Seats of the pool: the rule's count, or its percentage of `base`, within the rule's minimum
    /// and maximum.
    pub quota: u32,
    /// Selected returns (overrides included).
    pub selected: u32,
    /// Returns whose tie the panel must resolve.
    pub tie_pending: u32,
}

/// The outcome of a selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// The campaign's year (e.g. 2026) the selection was run for.
    pub campaign: i32,
    /// Pools in rule order, then by name.
    pub pools: Vec<PoolSummary>,
    /// Every return: by pool, then rank, then name; returns without a pool last.
    pub results: Vec<ResultRow>,
    /// The scheme's component keys, in the order of each row's `components` (for the
    /// JSON's `components` object); empty in results stored before it was kept.
    #[serde(default)]
    pub component_keys: Vec<String>,
    /// The reference date the eligibility was judged on (docs/specification.md §10);
    /// none in results stored before it was kept.
    #[serde(default)]
    pub reference_date: Option<chrono::NaiveDate>,
}

impl Selection {
    /// The selection of a campaign nothing was run for: no pools, no results.
    pub fn empty(campaign: i32) -> Self {
        Selection {
            campaign,
            pools: Vec::new(),
            results: Vec::new(),
            component_keys: Vec::new(),
            reference_date: None,
        }
    }
}

/// Formats a score as displayed: two decimals.
pub fn fmt2(d: Decimal) -> String {
    format!("{:.2}", round2(d))
}

/// Formats a threshold plainly (85, 85.5).
fn fmt_plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A score rounded to 2 places in whole hundredths; a missing score sorts lowest.
///
/// A score of at most 2 places (every composite and annual, most declared scores) is its
/// mantissa scaled, without rounding or decimal multiplication; others are rounded first.
fn cents(d: Option<Decimal>) -> i64 {
    let Some(d) = d else { return i64::MIN };
    let d = if d.scale() <= 2 { d } else { round2(d) };
    let scaled = match d.scale() {
        0 => d.mantissa().checked_mul(100),
        1 => d.mantissa().checked_mul(10),
        _ => Some(d.mantissa()),
    };
    scaled
        .and_then(|c| i64::try_from(c).ok())
        .unwrap_or(i64::MIN)
}

/// A threshold in units of 10⁻⁴ when it has at most 4 places (the scheme's check allows
/// no more), for [`below`].
fn units4(min: Decimal) -> Option<i64> {
    let m = i64::try_from(min.mantissa()).ok()?;
    (min.scale() <= 4).then(|| m.checked_mul(10i64.pow(4 - min.scale())))?
}

/// Whether `v` rounded to 2 places is below `min` (`min4`: its [`units4`]): compared in
/// integers — the rounded value's hundredths times 100 against the threshold's units
/// of 10⁻⁴, both exact — else in decimals.
fn below(v: Decimal, min: Decimal, min4: Option<i64>) -> bool {
    match (min4, cents(Some(v)).checked_mul(100)) {
        (Some(m), Some(c)) => c < m,
        _ => round2(v) < min,
    }
}

/// A hasher for the selection's own maps (agency ids, pool keys): FxHash's
/// multiply-and-rotate, several times cheaper than the default SipHash on a campaign's
/// hundreds of thousands of lookups. The keys are the campaign's own records, not an
/// adversary's, so SipHash's defence against crafted collisions buys nothing here.
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// What names a pool: its rule, and the region and unit type when the rule groups by
/// them (borrowed from a return).
type PoolKey<'a> = (usize, Option<Option<&'a str>>, Option<&'a str>);

/// A map hashed with [`Fx`].
pub(super) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Where a tie-break key's value comes from, resolved once per selection.
#[derive(Clone, Copy)]
enum KeySource {
    Daily,
    Annual,
    /// A component by index; `None` for a key the scheme has no component for (missing).
    Component(Option<usize>),
}

/// Ranking keys of every return, flat: `stride` values per return — the composite, then
/// each tie-break key — in hundredths, compared lexicographically.
struct Keys {
    stride: usize,
    values: Vec<i64>,
    sources: Vec<KeySource>,
}

impl Keys {
    fn new(scheme: &Scheme, returns: usize) -> Self {
        let sources: Vec<KeySource> = scheme
            .tie_break
            .iter()
            .map(|k| match k.as_str() {
                "daily" => KeySource::Daily,
                "annual" => KeySource::Annual,
                other => {
                    KeySource::Component(scheme.components.iter().position(|c| c.key == other))
                }
            })
            .collect();
        let stride = 1 + sources.len();
        Keys {
            stride,
            values: Vec::with_capacity(returns * stride),
            sources,
        }
    }

    fn of(&self, i: usize) -> &[i64] {
        &self.values[i * self.stride..(i + 1) * self.stride]
    }

    fn push(&mut self, e: &Entry, composite: Option<Decimal>, annual: Option<Decimal>) {
        self.values.push(cents(composite));
        for k in &self.sources {
            let v = match *k {
                KeySource::Daily => e.daily,
                KeySource::Annual => annual,
                KeySource::Component(i) => i.and_then(|i| e.components.get(i).copied().flatten()),
            };
            self.values.push(cents(v));
        }
    }

    /// Sorts returns by key, highest first; returns of equal keys in any order. The
    /// composite is compared first from a copy beside the index, so that most comparisons
    /// never reach the flat table.
    fn sort_descending(&self, returns: &mut [usize]) {
        let mut by: Vec<(i64, usize)> = returns.iter().map(|&i| (self.of(i)[0], i)).collect();
        by.sort_unstable_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| self.of(b.1)[1..].cmp(&self.of(a.1)[1..]))
        });
        for (slot, (_, i)) in returns.iter_mut().zip(by) {
            *slot = i;
        }
    }
}

/// The label of the `i`-th tie-break key.
fn tie_break_label(scheme: &Scheme, i: usize) -> String {
    match scheme.tie_break.get(i).map(String::as_str) {
        Some("daily") => scheme.daily_label.clone(),
        Some("annual") => "年度考核得分".to_string(),
        Some(k) => scheme
            .component(k)
            .map_or(k.to_string(), |c| c.label.clone()),
        None => String::new(),
    }
}

/// Runs the selection.
pub fn select(scheme: &Scheme, inputs: &Inputs) -> Selection {
    select_owned(scheme, inputs.clone())
}

/// [`select`], consuming the inputs: each return's texts move into its result row
/// instead of being copied (less time and memory on large campaigns).
pub fn select_owned(scheme: &Scheme, inputs: Inputs) -> Selection {
    decide(scheme, inputs).into_selection()
}

/// The selection as data: every return's scores, eligibility, pool, rank, status and
/// reasons as kinds ([`Decision`]), no text made. [`Decision::into_selection`] makes
/// the [`Selection`]; [`Decision::write_json`] writes the contract from it directly.
pub fn decide(scheme: &Scheme, inputs: Inputs) -> Decision {
    let Inputs {
        campaign: year,
        mut entries,
        awards,
        overrides,
        computed,
        ledger: ledger_facts,
        accountability: records,
    } = inputs;
    let mut held_to_account: FxMap<i64, Vec<&accountability::AccountabilityFact>> =
        FxMap::default();
    for r in &records {
        held_to_account.entry(r.agency_id).or_default().push(r);
    }
    let blocks = accountability::blocking_kinds(scheme);
    let overdue = ledger::counts(scheme, &ledger_facts);
    // Computed components replace what the returns declared.
    let notes = merge_computed(scheme, &mut entries, computed);
    // The decision in force per agency: the latest; a clear withdraws.
    let mut decisions: FxMap<i64, u32> = FxMap::default();
    for (k, o) in overrides.iter().enumerate() {
        match decisions.get(&o.agency_id) {
            Some(&prev) if overrides[prev as usize].id > o.id => {}
            _ => {
                decisions.insert(o.agency_id, k as u32);
            }
        }
    }
    decisions.retain(|_, k| overrides[*k as usize].action != OverrideAction::Clear);

    // Awards per agency: the latest held award, the latest revocation.
    let mut held: FxMap<i64, i32> = FxMap::default();
    let mut revoked: FxMap<i64, i32> = FxMap::default();
    // Only earlier years' awards count: publishing this campaign adds its winners to
    // the registry, and they must not become ineligible in their own campaign.
    for a in awards.iter().filter(|a| a.year < year) {
        if a.status.is_held() {
            let y = held.entry(a.agency_id).or_insert(a.year);
            *y = (*y).max(a.year);
        } else if let Some(r) = a.revoked_year {
            let y = revoked.entry(a.agency_id).or_insert(r);
            *y = (*y).max(r);
        }
    }
    // Component thresholds, resolved once: (threshold index, component index, minimum).
    let thresholds: Vec<(u16, Option<usize>, Decimal, Option<i64>)> = scheme
        .thresholds
        .components
        .iter()
        .enumerate()
        .map(|(t, (key, min))| {
            let i = scheme.components.iter().position(|c| c.key == *key);
            (t as u16, i, *min, units4(*min))
        })
        .collect();
    let composite_min = scheme.thresholds.composite_min.map(|m| (m, units4(m)));

    // Scores and eligibility of every return.
    let weights = score::Weights::of(scheme);
    let n = entries.len();
    let mut rows: Vec<Outcome> = Vec::with_capacity(n);
    let mut reasons: Vec<Reason> = Vec::new();
    let mut keys = Keys::new(scheme, n);
    let mut rule_of: Vec<Option<usize>> = Vec::with_capacity(n);
    // Pools as they are met, found by what names them — the rule and, as it groups, the
    // region and unit type borrowed from the entry — so that no name is built per return.
    let mut pool_ids: FxMap<PoolKey<'_>, usize> = FxMap::default();
    let mut pool_names: Vec<(usize, String)> = Vec::new();
    let mut members_of: Vec<Vec<usize>> = Vec::new();
    let mut pool_of: Vec<usize> = Vec::with_capacity(n);
    for (idx, e) in entries.iter().enumerate() {
        let start = reasons.len() as u32;
        let x = score::compute_into(scheme, &weights, &e.components, e.daily, &mut reasons);
        let (annual, composite) = (x.annual, x.composite);
        for (v, set) in e.vetoes.iter().take(scheme.vetoes.len()).enumerate() {
            if *set {
                reasons.push(Reason::Veto(v as u16));
            }
        }
        if let (Some((min, min4)), Some(c)) = (composite_min, composite) {
            if below(c, min, min4) {
                reasons.push(Reason::CompositeBelow(c));
            }
        }
        for &(t, i, min, min4) in &thresholds {
            let Some(i) = i else { continue };
            match e.components.get(i).copied().flatten() {
                Some(v) if below(v, min, min4) => {
                    reasons.push(Reason::ComponentBelow(t, round2(v)))
                }
                Some(_) => {}
                // Under "ineligible" the missing score is already a reason.
                None if annual.is_some() => reasons.push(Reason::ComponentUnjudged(t)),
                None => {}
            }
        }
        if let Some(y) = held.get(&e.agency_id) {
            reasons.push(Reason::Held(*y));
        }
        if let Some(r) = revoked.get(&e.agency_id) {
            if year >= *r && i64::from(year - r) < i64::from(scheme.cooldown_years) {
                reasons.push(Reason::Revoked(*r));
            }
        }
        if let Some(&k) = overdue.get(&e.agency_id) {
            reasons.push(Reason::Overdue(k));
        }
        if let Some(records) = held_to_account.get(&e.agency_id) {
            for (d, k) in accountability::hits(year, records, &blocks) {
                reasons.push(Reason::Accountable(d, k));
            }
        }
        let rule = quota::rule_for(scheme, e.tier, &e.unit_type);
        if rule.is_none() {
            reasons.push(Reason::NoRule);
        }
        keys.push(e, composite, annual);
        rule_of.push(rule);
        match rule {
            Some(r) => {
                let q = &scheme.quotas[r];
                let by_region = q.group_by.contains(&GroupBy::Region);
                let by_type = q.group_by.contains(&GroupBy::UnitType);
                let key = (
                    r,
                    by_region.then_some(e.region.as_deref()),
                    by_type.then_some(e.unit_type.as_str()),
                );
                let id = *pool_ids.entry(key).or_insert_with(|| {
                    pool_names.push((r, quota::pool_name(q, e.region.as_deref(), &e.unit_type)));
                    members_of.push(Vec::new());
                    pool_names.len() - 1
                });
                members_of[id].push(idx);
                pool_of.push(id);
            }
            None => pool_of.push(usize::MAX),
        }
        rows.push(Outcome {
            entry: idx as u32,
            annual,
            composite,
            rank: None,
            status: Status::Ineligible,
            pool: NO_POOL,
            reasons: (start, reasons.len() as u32),
            tail: Tail::None,
            decision: decisions.get(&e.agency_id).copied(),
        });
    }
    drop(pool_ids);
    let action =
        |rows: &[Outcome], i: usize| rows[i].decision.map(|k| overrides[k as usize].action);

    // Pools in rule order, then by name.
    let mut pool_order: Vec<usize> = (0..pool_names.len()).collect();
    pool_order.sort_unstable_by(|&a, &b| {
        let ((ra, na), (rb, nb)) = (&pool_names[a], &pool_names[b]);
        ra.cmp(rb).then_with(|| na.cmp(nb))
    });
    // Each pool's position in that order.
    let mut pool_pos: Vec<usize> = vec![usize::MAX; pool_names.len()];
    for (pos, &id) in pool_order.iter().enumerate() {
        pool_pos[id] = pos;
    }
    let mut summaries = Vec::with_capacity(pool_order.len());
    let mut eligible: Vec<usize> = Vec::new();
    // The output order: pool order, rank, composite, name, USCC, region. It is built
    // pool by pool from the ranking itself: only returns of equal rank (equal keys) are
    // ordered by name, and a pool's unranked returns by composite and name.
    let by_names = |a: &usize, b: &usize| {
        let (ea, eb) = (&entries[*a], &entries[*b]);
        ea.name
            .cmp(&eb.name)
            .then_with(|| ea.uscc.cmp(&eb.uscc))
            .then_with(|| ea.region.cmp(&eb.region))
    };
    let unranked_order = |a: &usize, b: &usize| {
        keys.of(*b)[0]
            .cmp(&keys.of(*a)[0])
            .then_with(|| by_names(a, b))
    };
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut unranked: Vec<usize> = Vec::new();
    for &id in &pool_order {
        let (rule_idx, pool) = &mut pool_names[id];
        let members = &members_of[id];
        let rule = &scheme.quotas[*rule_idx];
        let declared = members.len() as u32;
        eligible.clear();
        eligible.extend(members.iter().copied().filter(|i| rows[*i].eligible()));
        let base = match rule.base {
            QuotaBase::Declared => members
                .iter()
                .filter(|i| !held.contains_key(&entries[**i].agency_id))
                .count() as u32,
            QuotaBase::Eligible => eligible.len() as u32,
        };
        let q = quota::seats(rule, base);
        let mut ranked = eligible.clone();
        keys.sort_descending(&mut ranked);
        let (selected, pending) = walk(&mut rows, &keys, &ranked, q, &action);
        // Overridden returns outside the ranking (ineligible ones) and every note.
        let mut selected = selected;
        for &i in members {
            let Some(a) = action(&rows, i) else {
                continue;
            };
            if !rows[i].eligible() && a == OverrideAction::Include {
                rows[i].status = Status::Selected;
                selected += 1;
            }
            rows[i].tail = Tail::Override;
        }
        why_not(&mut rows, &keys, members, &ranked, q, &action);
        let pos = summaries.len() as u32;
        for &i in members {
            rows[i].pool = pos;
        }
        let mut start = 0;
        while start < ranked.len() {
            let rank = rows[ranked[start]].rank;
            let end = start
                + ranked[start..]
                    .iter()
                    .position(|&i| rows[i].rank != rank)
                    .unwrap_or(ranked.len() - start);
            let group = &mut ranked[start..end];
            if group.len() > 1 {
                group.sort_unstable_by(by_names);
            }
            order.extend_from_slice(group);
            start = end;
        }
        unranked.clear();
        unranked.extend(members.iter().copied().filter(|&i| rows[i].rank.is_none()));
        unranked.sort_unstable_by(unranked_order);
        order.extend_from_slice(&unranked);
        summaries.push(PoolSummary {
            pool: std::mem::take(pool),
            rule: *rule_idx,
            tier: rule.tier,
            declared,
            base,
            eligible: eligible.len() as u32,
            quota: q,
            selected,
            tie_pending: pending,
        });
    }
    // Returns without a pool: ineligible, but an inclusion still selects them.
    for i in 0..rows.len() {
        if rule_of[i].is_none() {
            if let Some(a) = action(&rows, i) {
                if a == OverrideAction::Include {
                    rows[i].status = Status::Selected;
                }
                rows[i].tail = Tail::Override;
            }
        }
    }

    // Returns without a pool last, by composite and name.
    unranked.clear();
    unranked.extend((0..rows.len()).filter(|&i| rule_of[i].is_none()));
    unranked.sort_unstable_by(unranked_order);
    order.extend_from_slice(&unranked);
    debug_assert_eq!(order.len(), rows.len());
    let rows = order.into_iter().map(|i| rows[i]).collect();
    Decision {
        scheme: scheme.clone(),
        campaign: year,
        pools: summaries,
        rows,
        reasons,
        entries,
        notes,
        overrides,
        reference_date: ledger_facts.date,
    }
}

/// Puts the computed scores into the entries, in place of what their returns declared
/// for those components (a return keeps no value for a computed component; one stored
/// before the scheme computed it is ignored here). Returns each entry's notes in scheme
/// order: the computation or the reason for a computed component, `None` otherwise. A
/// computed component with no [`Computed`] for an agency is missing with the note "没有…"
/// naming what is lacking.
pub fn merge_computed(
    scheme: &Scheme,
    entries: &mut [Entry],
    computed: Vec<Computed>,
) -> Vec<Vec<Option<String>>> {
    let sources: Vec<ComponentSource> = scheme.components.iter().map(|c| c.source).collect();
    if sources.iter().all(|s| *s == ComponentSource::Return) {
        return vec![Vec::new(); entries.len()];
    }
    let mut by_agency: HashMap<(i64, usize), Computed> = computed
        .into_iter()
        .map(|c| ((c.agency_id, c.component), c))
        .collect();
    entries
        .iter_mut()
        .map(|e| {
            sources
                .iter()
                .enumerate()
                .map(|(i, source)| {
                    if *source == ComponentSource::Return {
                        return None;
                    }
                    let c = by_agency.remove(&(e.agency_id, i));
                    if let Some(slot) = e.components.get_mut(i) {
                        *slot = c.as_ref().and_then(|c| c.score);
                    }
                    Some(c.map_or_else(
                        || no_input(&scheme.components[i].label, *source),
                        |c| c.note,
                    ))
                })
                .collect()
        })
        .collect()
}

/// The note of a computed component no ballot or panel score reached.
fn no_input(label: &str, source: ComponentSource) -> String {
    match source {
        ComponentSource::Ballots => format!("{label}没有测评票"),
        ComponentSource::Panel => format!("{label}没有评委评分"),
        ComponentSource::Return => format!("缺少{label}"),
    }
}

/// Walks the rank groups of a pool's eligible returns (`ranked`: sorted by key, highest
/// first) against the quota; returns (selected, tie_pending) counts. Excluded returns keep their rank but leave
/// the walk; included returns are selected and, inside a straddling tie, take its seats
/// first.
fn walk(
    rows: &mut [Outcome],
    keys: &Keys,
    ranked: &[usize],
    quota: u32,
    decision: &impl Fn(&[Outcome], usize) -> Option<OverrideAction>,
) -> (u32, u32) {
    let mut n: u32 = 0;
    let mut open = true;
    let mut pending = 0;
    let mut selected = 0;
    // Competition ranking over the whole key: each group of equal keys is a run of
    // `ranked`, ranked by its first position.
    let mut start = 0;
    while start < ranked.len() {
        let key = keys.of(ranked[start]);
        let end = start
            + ranked[start..]
                .iter()
                .position(|&i| keys.of(i) != key)
                .unwrap_or(ranked.len() - start);
        let g = &ranked[start..end];
        for &i in g {
            rows[i].rank = Some(start as u32 + 1);
        }
        start = end;
        let (mut rest, mut included) = (0u32, 0u32);
        for &i in g {
            match decision(rows, i) {
                Some(OverrideAction::Exclude) => rows[i].status = Status::NotSelected,
                Some(OverrideAction::Include) => {
                    rows[i].status = Status::Selected;
                    rest += 1;
                    included += 1;
                }
                _ => rest += 1,
            }
        }
        if rest == 0 {
            continue;
        }
        let free = rest - included;
        let is_free = |rows: &[Outcome], i: usize| {
            !matches!(
                decision(rows, i),
                Some(OverrideAction::Exclude | OverrideAction::Include)
            )
        };
        let c = rest;
        selected += included;
        if open && n + c <= quota {
            for &i in g {
                if is_free(rows, i) {
                    rows[i].status = Status::Selected;
                }
            }
            selected += free;
            n += c;
            continue;
        }
        if open && n < quota {
            // The group straddles the last seat: the panel's inclusions take seats
            // first; the rest is pending while seats remain.
            n += included;
            if n < quota && free > 0 {
                let seats = quota - n;
                for &i in g {
                    if is_free(rows, i) {
                        rows[i].status = Status::TiePending;
                        rows[i].tail = Tail::Tie { free, seats };
                    }
                }
                pending += free;
            } else {
                for &i in g {
                    if is_free(rows, i) {
                        rows[i].status = Status::NotSelected;
                    }
                }
            }
            open = false;
            continue;
        }
        open = false;
        for &i in g {
            if is_free(rows, i) {
                rows[i].status = Status::NotSelected;
            }
        }
    }
    (selected, pending)
}

/// Gives the why-not reason to every eligible, not-selected return without a decision.
///
/// Each line compares the return with the last selected return *at or above it* — the
/// lowest key among the selected whose key is not below its own. A return the panel
/// included from further down the ranking took a seat beyond the walk, not this return's
/// seat, so comparing with it would state a false difference ("与末位入选综合得分相同" for a
/// return that scored higher). When no selected return is at or above it, the seats
/// went only to returns the panel included, and the line says so: "from below" only
/// when none of them is an ineligible return the panel included (it has no rank to be
/// below anything).
fn why_not(
    rows: &mut [Outcome],
    keys: &Keys,
    members: &[usize],
    ranked: &[usize],
    quota: u32,
    decision: &impl Fn(&[Outcome], usize) -> Option<OverrideAction>,
) {
    // The selected, lowest key first (the ranking reversed), so the last one at or above
    // a key is one search away.
    let mut selected: Vec<usize> = ranked
        .iter()
        .copied()
        .filter(|&i| rows[i].status == Status::Selected)
        .collect();
    selected.reverse();
    // Ineligible returns the panel included (a veto overruled): selected outside the ranking.
    let outside = members
        .iter()
        .any(|&m| !rows[m].eligible() && rows[m].status == Status::Selected);
    for &i in ranked {
        if rows[i].status != Status::NotSelected || rows[i].decision.is_some() {
            continue;
        }
        let rank = rows[i].rank.unwrap_or(0);
        let at = selected.partition_point(|&s| keys.of(s) < keys.of(i));
        let why = match selected.get(at).copied() {
            Some(l) => match (rows[l].composite, rows[i].composite) {
                // Both are rounded to 2 places: the gap is exact in hundredths.
                (Some(_), Some(_)) if keys.of(l)[0] > keys.of(i)[0] => {
                    WhyNot::Gap(keys.of(l)[0] - keys.of(i)[0])
                }
                _ => {
                    let k = keys
                        .of(i)
                        .iter()
                        .zip(keys.of(l))
                        .skip(1)
                        .position(|(x, y)| x != y);
                    match k {
                        Some(p) => WhyNot::Behind(p as u16),
                        // Equal on every key: the tie's seats went to the panel's inclusions.
                        None if decision(rows, l) == Some(OverrideAction::Include) => {
                            WhyNot::SeatsTakenByIncluded
                        }
                        None => WhyNot::SameComposite,
                    }
                }
            },
            None if outside => WhyNot::AllIncluded,
            None if !selected.is_empty() => WhyNot::AllIncludedFromBelow,
            None => WhyNot::Nothing,
        };
        rows[i].tail = Tail::WhyNot { rank, quota, why };
    }
}
