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
pub use runs::{
    latest, run, run_deciding, run_deciding_beside, run_on, Ran, RunFacts, RunState, StoredRun,
};
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

    /// Sorts returns by composite, highest first, then by `name`, then by `names` (the
    /// whole comparison, for equal names): first by the composite alone, from a copy
    /// beside the index, then each run of equal composites by name, each name looked
    /// up once — names are text scattered in memory, read only within those runs.
    fn sort_by_composite<'n>(
        &self,
        returns: &mut [usize],
        name: impl Fn(usize) -> &'n str,
        names: impl Fn(&usize, &usize) -> std::cmp::Ordering,
    ) {
        let mut by: Vec<(i64, usize)> = returns.iter().map(|&i| (self.of(i)[0], i)).collect();
        by.sort_unstable_by_key(|b| std::cmp::Reverse(b.0));
        let mut named: Vec<(&str, usize)> = Vec::new();
        for run in by.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                named.clear();
                named.extend(run.iter().map(|&(_, i)| (name(i), i)));
                named.sort_unstable_by(|a, b| a.0.cmp(b.0).then_with(|| names(&a.1, &b.1)));
                for (slot, &(_, i)) in run.iter_mut().zip(&named) {
                    slot.1 = i;
                }
            }
        }
        for (slot, (_, i)) in returns.iter_mut().zip(by) {
            *slot = i;
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
    let parts = parts_for(inputs.entries.len());
    decide_parts(scheme, inputs, parts)
}

/// [`decide`] with its returns, then its pools, shared among `parts` threads (one: none
/// started). The outcome is the same for any number (tested).
fn decide_parts(scheme: &Scheme, inputs: Inputs, parts: usize) -> Decision {
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

    // Scores and eligibility of every return: a large campaign's returns in as many
    // consecutive runs as there are cores, each assessed on its own, then joined in order.
    let rules = Rules {
        scheme,
        year,
        weights: score::Weights::of(scheme),
        thresholds,
        composite_min,
        held,
        revoked,
        overdue,
        held_to_account,
        blocks,
        decisions,
    };
    let n = entries.len();
    let (table, found) = rules.assess_all(&entries, parts);
    let Found {
        reasons,
        no_rule,
        pool_names,
        members_of,
        held_in,
        ..
    } = found;

    // Pools in rule order, then by name.
    let mut pool_order: Vec<usize> = (0..pool_names.len()).collect();
    pool_order.sort_unstable_by(|&a, &b| {
        let ((ra, na), (rb, nb)) = (&pool_names[a], &pool_names[b]);
        ra.cmp(rb).then_with(|| na.cmp(nb))
    });
    // Each pool is settled on its own copy of its members' rows and keys and writes
    // them, in the output order, into its own part of the output: pools are
    // independent of each other, and a large campaign's are shared among the cores in
    // consecutive runs of about equal numbers of returns.
    let mut out: Vec<Outcome> = match table.rows.first().and_then(|r| r.first()) {
        Some(filler) => vec![*filler; n],
        None => Vec::new(),
    };
    let mut cuts = vec![0];
    let mut seen = 0;
    for (pos, &id) in pool_order.iter().enumerate() {
        seen += members_of[id].len();
        if seen * parts >= n * cuts.len() && cuts.len() < parts {
            cuts.push(pos + 1);
        }
    }
    cuts.push(pool_order.len());
    cuts.dedup();
    let mut rest: &mut [Outcome] = &mut out;
    let mut jobs = Vec::new();
    for w in cuts.windows(2) {
        let pools = &pool_order[w[0]..w[1]];
        let len = pools.iter().map(|&id| members_of[id].len()).sum();
        let (part, tail) = rest.split_at_mut(len);
        rest = tail;
        jobs.push((w[0], pools, part));
    }
    let settle = |(from, pools, mut part): (usize, &[usize], &mut [Outcome])| {
        let mut summaries = Vec::with_capacity(pools.len());
        for (k, &id) in pools.iter().enumerate() {
            let (rule_idx, name) = &pool_names[id];
            let (mine, next) = part.split_at_mut(members_of[id].len());
            part = next;
            let pool = Pool {
                pos: (from + k) as u32,
                rule_idx: *rule_idx,
                name,
                members: &members_of[id],
                held: held_in[id],
            };
            summaries.push(pool.settle(scheme, &table, &entries, &overrides, mine));
        }
        summaries
    };
    let summaries: Vec<PoolSummary> = if jobs.len() <= 1 {
        jobs.into_iter().flat_map(settle).collect()
    } else {
        let settle = &settle;
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .into_iter()
                .map(|job| s.spawn(move || settle(job)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("settling pools does not panic"))
                .collect()
        })
    };
    // Returns without a pool, last, by composite and name: ineligible, but an
    // inclusion still selects them.
    let mut unpooled: Vec<Outcome> = no_rule.iter().map(|&i| table.row(i)).collect();
    let keys = table.keys_of(&no_rule);
    for r in &mut unpooled {
        if let Some(k) = r.decision {
            if overrides[k as usize].action == OverrideAction::Include {
                r.status = Status::Selected;
            }
            r.tail = Tail::Override;
        }
    }
    let mut order: Vec<usize> = (0..unpooled.len()).collect();
    keys.sort_by_composite(
        &mut order,
        |j| entries[unpooled[j].entry as usize].name.as_str(),
        |a, b| {
            by_names(
                &entries,
                unpooled[*a].entry as usize,
                unpooled[*b].entry as usize,
            )
        },
    );
    for (slot, &j) in rest.iter_mut().zip(&order) {
        *slot = unpooled[j];
    }
    let rows = out;
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

/// What eligibility reads, resolved once per selection and shared by the threads that
/// assess the returns.
struct Rules<'a> {
    scheme: &'a Scheme,
    year: i32,
    weights: score::Weights,
    /// Component thresholds: (threshold index, component index, minimum, its units).
    thresholds: Vec<(u16, Option<usize>, Decimal, Option<i64>)>,
    composite_min: Option<(Decimal, Option<i64>)>,
    /// The latest held award per agency (earlier years only).
    held: FxMap<i64, i32>,
    /// The latest revocation per agency.
    revoked: FxMap<i64, i32>,
    /// Overdue ledger problems per agency.
    overdue: FxMap<i64, u32>,
    held_to_account: FxMap<i64, Vec<&'a accountability::AccountabilityFact>>,
    blocks: Vec<crate::vocab::AccountabilityKind>,
    /// The panel decision in force per agency (index into the overrides).
    decisions: FxMap<i64, u32>,
}

/// A run of consecutive returns assessed: each one's row (scores, reasons, decision)
/// and ranking keys, and what was found across them.
struct Assessed<'e> {
    rows: Vec<Outcome>,
    keys: Keys,
    found: Found<'e>,
}

/// The reasons and pools of a run of returns assessed. Indices are the returns'
/// places in the whole campaign.
struct Found<'e> {
    reasons: Vec<Reason>,
    /// Returns no quota rule applies to, ascending.
    no_rule: Vec<usize>,
    /// Pools in the order they are first met, by what names them: the rule and, as it
    /// groups, the region and unit type borrowed from the return — so that no name is
    /// built per return.
    pool_keys: Vec<PoolKey<'e>>,
    pool_names: Vec<(usize, String)>,
    /// Each pool's members, ascending.
    members_of: Vec<Vec<usize>>,
    /// Per pool, its members holding the title (counted where each return's award is
    /// looked up anyway, for a base of declared returns).
    held_in: Vec<u32>,
}

/// The rows and keys of every return, as the runs that assessed them left them, found
/// by a return's index: run `i / size`, place `i % size` in it.
struct Table {
    size: usize,
    rows: Vec<Vec<Outcome>>,
    keys: Vec<Keys>,
    /// Where each run's reasons start in the joined reasons.
    offsets: Vec<u32>,
}

impl Table {
    /// The row of return `i`, its reasons placed in the joined reasons.
    fn row(&self, i: usize) -> Outcome {
        let run = i / self.size;
        let mut row = self.rows[run][i % self.size];
        let offset = self.offsets[run];
        row.reasons = (row.reasons.0 + offset, row.reasons.1 + offset);
        row
    }

    /// The keys of `returns`, in their order (a table of their own, indexed by
    /// position).
    fn keys_of(&self, returns: &[usize]) -> Keys {
        let stride = self.keys.first().map_or(1, |k| k.stride);
        let mut values = Vec::with_capacity(returns.len() * stride);
        for &i in returns {
            values.extend_from_slice(self.keys[i / self.size].of(i % self.size));
        }
        Keys {
            stride,
            values,
            sources: Vec::new(),
        }
    }
}

impl Rules<'_> {
    /// Assesses every return: a large campaign's in as many consecutive runs as `parts`,
    /// each on a thread of its own, joined in order — their pools and reasons into one
    /// [`Found`], their rows and keys left where they were made (no copy) in a [`Table`].
    fn assess_all<'e>(&self, entries: &'e [Entry], parts: usize) -> (Table, Found<'e>) {
        let n = entries.len();
        let size = if parts <= 1 {
            n.max(1)
        } else {
            n.div_ceil(parts).max(1)
        };
        let runs: Vec<Assessed<'_>> = if n <= size {
            vec![self.assess(entries, 0)]
        } else {
            let rules = self;
            std::thread::scope(|s| {
                let handles: Vec<_> = (0..n)
                    .step_by(size)
                    .map(|first| {
                        let run = &entries[first..(first + size).min(n)];
                        s.spawn(move || rules.assess(run, first))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("assessing returns does not panic"))
                    .collect()
            })
        };
        // The runs' pools and reasons joined in order; their rows and keys stay where they
        // were made (no copy), found by a return's index.
        let mut table = Table {
            size,
            rows: Vec::with_capacity(runs.len()),
            keys: Vec::with_capacity(runs.len()),
            offsets: Vec::with_capacity(runs.len()),
        };
        let mut found: Option<Found<'_>> = None;
        for run in runs {
            let offset = match &mut found {
                None => {
                    found = Some(run.found);
                    0
                }
                Some(all) => all.absorb(run.found),
            };
            table.rows.push(run.rows);
            table.keys.push(run.keys);
            table.offsets.push(offset);
        }
        (table, found.expect("at least one run"))
    }

    /// Assesses `entries`, the returns from `first` on.
    fn assess<'e>(&self, entries: &'e [Entry], first: usize) -> Assessed<'e> {
        let (scheme, year, composite_min) = (self.scheme, self.year, self.composite_min);
        let n = entries.len();
        let mut rows: Vec<Outcome> = Vec::with_capacity(n);
        let mut reasons: Vec<Reason> = Vec::new();
        let mut keys = Keys::new(scheme, n);
        let mut no_rule = Vec::new();
        let mut pool_ids: FxMap<PoolKey<'e>, usize> = FxMap::default();
        let mut pool_keys = Vec::new();
        let mut pool_names: Vec<(usize, String)> = Vec::new();
        let mut members_of: Vec<Vec<usize>> = Vec::new();
        let mut held_in: Vec<u32> = Vec::new();
        for (k, e) in entries.iter().enumerate() {
            let idx = first + k;
            let start = reasons.len() as u32;
            let x =
                score::compute_into(scheme, &self.weights, &e.components, e.daily, &mut reasons);
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
            for &(t, i, min, min4) in &self.thresholds {
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
            let holds = self.held.get(&e.agency_id);
            if let Some(y) = holds {
                reasons.push(Reason::Held(*y));
            }
            if let Some(r) = self.revoked.get(&e.agency_id) {
                if year >= *r && i64::from(year - r) < i64::from(scheme.cooldown_years) {
                    reasons.push(Reason::Revoked(*r));
                }
            }
            if let Some(&k) = self.overdue.get(&e.agency_id) {
                reasons.push(Reason::Overdue(k));
            }
            if let Some(records) = self.held_to_account.get(&e.agency_id) {
                for (d, k) in accountability::hits(year, records, &self.blocks) {
                    reasons.push(Reason::Accountable(d, k));
                }
            }
            let rule = quota::rule_for(scheme, e.tier, &e.unit_type);
            keys.push(e, composite, annual);
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
                        pool_keys.push(key);
                        pool_names
                            .push((r, quota::pool_name(q, e.region.as_deref(), &e.unit_type)));
                        members_of.push(Vec::new());
                        held_in.push(0);
                        pool_names.len() - 1
                    });
                    members_of[id].push(idx);
                    held_in[id] += u32::from(holds.is_some());
                }
                None => {
                    reasons.push(Reason::NoRule);
                    no_rule.push(idx);
                }
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
                decision: self.decisions.get(&e.agency_id).copied(),
            });
        }
        Assessed {
            rows,
            keys,
            found: Found {
                reasons,
                no_rule,
                pool_keys,
                pool_names,
                members_of,
                held_in,
            },
        }
    }
}

impl<'e> Found<'e> {
    /// Appends what the next run of returns found: its reasons after these (returns
    /// where they start), its pools merged into these by what names them — new ones
    /// numbered on in the order met, as one run over both would number them.
    fn absorb(&mut self, next: Found<'e>) -> u32 {
        let offset = self.reasons.len() as u32;
        self.reasons.extend_from_slice(&next.reasons);
        self.no_rule.extend_from_slice(&next.no_rule);
        let mut ids: FxMap<PoolKey<'e>, usize> = self
            .pool_keys
            .iter()
            .enumerate()
            .map(|(id, k)| (*k, id))
            .collect();
        let pools = next.pool_keys.into_iter().zip(next.pool_names);
        let pools = pools.zip(next.members_of.into_iter().zip(next.held_in));
        for ((key, name), (members, held)) in pools {
            let id = *ids.entry(key).or_insert_with(|| {
                self.pool_keys.push(key);
                self.pool_names.push(name);
                self.members_of.push(Vec::new());
                self.held_in.push(0);
                self.pool_names.len() - 1
            });
            self.members_of[id].extend_from_slice(&members);
            self.held_in[id] += held;
        }
        offset
    }
}

/// The returns at which the selection shares its work among the cores: below it, a
/// thread costs more than it saves.
const PARALLEL_FROM: usize = 20_000;

/// How many threads assess `n` returns and settle their pools: one per core (at most four) from
/// [`PARALLEL_FROM`] returns on, else one.
fn parts_for(n: usize) -> usize {
    if n < PARALLEL_FROM {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |p| p.get().min(4))
}

/// The order of returns of equal rank, and of a pool's unranked returns of equal
/// composite: name, USCC, region.
fn by_names(entries: &[Entry], a: usize, b: usize) -> std::cmp::Ordering {
    let (ea, eb) = (&entries[a], &entries[b]);
    ea.name
        .cmp(&eb.name)
        .then_with(|| ea.uscc.cmp(&eb.uscc))
        .then_with(|| ea.region.cmp(&eb.region))
}

/// A pool to settle: its place in the pool order, its rule and name, its members
/// (indices of returns, ascending) and how many of them hold the title.
struct Pool<'a> {
    pos: u32,
    rule_idx: usize,
    name: &'a str,
    members: &'a [usize],
    held: u32,
}

impl Pool<'_> {
    /// Ranks the pool's eligible returns, walks them against its quota, applies the
    /// panel's decisions and explains every unselected return — on copies of its
    /// members' rows and keys (indices below are positions among the members). Writes
    /// the rows into `out` (as many as members) in the output order — rank, then
    /// composite and name for the unranked — and returns the pool's summary.
    fn settle(
        &self,
        scheme: &Scheme,
        table: &Table,
        entries: &[Entry],
        overrides: &[OverrideFact],
        out: &mut [Outcome],
    ) -> PoolSummary {
        let action =
            |rows: &[Outcome], i: usize| rows[i].decision.map(|k| overrides[k as usize].action);
        let mut rows: Vec<Outcome> = self.members.iter().map(|&i| table.row(i)).collect();
        let keys = table.keys_of(self.members);
        let rule = &scheme.quotas[self.rule_idx];
        let declared = rows.len() as u32;
        let eligible: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].eligible()).collect();
        let base = match rule.base {
            QuotaBase::Declared => declared - self.held,
            QuotaBase::Eligible => eligible.len() as u32,
        };
        let q = quota::seats(rule, base);
        let mut ranked = eligible.clone();
        keys.sort_descending(&mut ranked);
        let (mut selected, pending) = walk(&mut rows, &keys, &ranked, q, &action);
        // Overridden returns outside the ranking (ineligible ones) and every note.
        for i in 0..rows.len() {
            let Some(a) = action(&rows, i) else {
                continue;
            };
            if !rows[i].eligible() && a == OverrideAction::Include {
                rows[i].status = Status::Selected;
                selected += 1;
            }
            rows[i].tail = Tail::Override;
        }
        why_not(&mut rows, &keys, &ranked, q, &action);
        for r in &mut rows {
            r.pool = self.pos;
        }
        // The output order: rank, then name within a rank; the unranked by composite
        // and name.
        let names = |a: &usize, b: &usize| {
            by_names(entries, rows[*a].entry as usize, rows[*b].entry as usize)
        };
        let mut order: Vec<usize> = Vec::with_capacity(rows.len());
        for group in ranked.chunk_by_mut(|a, b| rows[*a].rank == rows[*b].rank) {
            if group.len() > 1 {
                group.sort_unstable_by(names);
            }
            order.extend_from_slice(group);
        }
        let mut unranked: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].rank.is_none())
            .collect();
        let name = |j: usize| entries[rows[j].entry as usize].name.as_str();
        keys.sort_by_composite(&mut unranked, name, names);
        order.extend_from_slice(&unranked);
        for (slot, &i) in out.iter_mut().zip(&order) {
            *slot = rows[i];
        }
        PoolSummary {
            pool: self.name.to_string(),
            rule: self.rule_idx,
            tier: rule.tier,
            declared,
            base,
            eligible: eligible.len() as u32,
            quota: q,
            selected,
            tie_pending: pending,
        }
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
    let outside = rows
        .iter()
        .any(|r| !r.eligible() && r.status == Status::Selected);
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
