//! The selection's outcome as data ([`Decision`]): per return its scores, rank, status,
//! pool and reasons as kinds with their numbers, pointing into the inputs it was decided
//! from — and the texts made from it only where they are shown or written: the
//! [`Selection`] the window and the workbook read ([`Decision::into_selection`]), the
//! stored run ([`Decision::record`], `stored.rs`) and the `select --json` document
//! ([`Decision::write_json`]).
//!
//! A large campaign's outcome owns no text per return: a why-not line, a pool name or a
//! vector of reasons is formatted when a row is shown, never when it is decided. Every
//! text is made by [`Decision::reason_text`], so each of the three forms says exactly
//! what the others say.

use std::fmt::{self, Display};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{fmt2, fmt_plain, Entry, OverrideFact, PoolSummary, ResultRow, Selection, Status};
use crate::scheme::Scheme;
use crate::vocab::AccountabilityKind;

/// Why a return is ineligible, one kind per rule it fails (docs/specification.md §4), with
/// the numbers its sentence states. Components and thresholds are indices into the
/// scheme's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A component score is missing: "缺少<label>", or a computed component's note saying
    /// why it could not be computed.
    MissingComponent(u16),
    /// The daily score is missing while the scheme gives it a share: "缺少日常考核".
    MissingDaily,
    /// A veto is set: "一票否决：<label>".
    Veto(u16),
    /// The composite (rounded) is below the scheme's minimum.
    CompositeBelow(Decimal),
    /// A component (the `n`-th threshold's) is below its minimum; the score rounded.
    ComponentBelow(u16, Decimal),
    /// A component with a threshold is missing (under "reweight"): it cannot be judged.
    ComponentUnjudged(u16),
    /// The agency holds the title awarded in this year: it is reviewed instead.
    Held(i32),
    /// The agency's title was revoked in this year, within the cool-down.
    Revoked(i32),
    /// This many ledger problems are overdue on the reference date.
    Overdue(u32),
    /// Held accountable on this day by this kind.
    Accountable(NaiveDate, AccountabilityKind),
    /// No quota rule applies to the return's tier and unit type.
    NoRule,
}

/// Why a ranked return that is not selected was not: the comparison with the last
/// selected return at or above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyNot {
    /// Its composite is this many hundredths below the last selected one's.
    Gap(i64),
    /// The same composite, behind on the `n`-th tie-break key.
    Behind(u16),
    /// Equal on every key: the tie's seats went to the panel's inclusions.
    SeatsTakenByIncluded,
    /// The same composite (neither comparable further).
    SameComposite,
    /// Only returns the panel included are selected, one of them ineligible.
    AllIncluded,
    /// Only returns the panel included from further down are selected.
    AllIncludedFromBelow,
    /// Nothing is selected to compare with.
    Nothing,
}

/// The last reason of a row, after its eligibility's: at most one of these applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// None.
    None,
    /// Tie pending: "并列{free}家争{seats}个名额".
    Tie {
        /// Returns in the tie without a panel decision.
        free: u32,
        /// Seats left for them.
        seats: u32,
    },
    /// The panel's decision applied (the row's override).
    Override,
    /// Ranked, not selected, no decision: "第{rank}名，本组名额{quota}个" and the comparison.
    WhyNot {
        /// Its rank.
        rank: u32,
        /// Its pool's seats.
        quota: u32,
        /// The comparison with the last selected return.
        why: WhyNot,
    },
}

/// No pool (no quota rule applies).
pub const NO_POOL: u32 = u32::MAX;

/// One return's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Index of its entry in [`Decision::entries`].
    pub entry: u32,
    /// Annual score rounded to 2 places.
    pub annual: Option<Decimal>,
    /// Composite score rounded to 2 places.
    pub composite: Option<Decimal>,
    /// Competition rank within the pool, eligible returns only.
    pub rank: Option<u32>,
    /// Selected, tie pending, not selected or ineligible.
    pub status: Status,
    /// Index of its pool in [`Decision::pools`], or [`NO_POOL`].
    pub pool: u32,
    /// Its eligibility reasons: `reasons[start..end]` of the decision.
    pub(super) reasons: (u32, u32),
    /// The reason after them.
    pub tail: Tail,
    /// Index of the panel decision applied in [`Decision::overrides`].
    pub(super) decision: Option<u32>,
}

impl Outcome {
    /// Whether the return passed every eligibility rule.
    pub fn eligible(&self) -> bool {
        self.reasons.0 == self.reasons.1
    }
}

/// The outcome of a selection as data, with the inputs its rows point into.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The scheme it was decided under (its labels name the reasons).
    pub scheme: Scheme,
    /// The campaign's year.
    pub campaign: i32,
    /// Pools in rule order, then by name.
    pub pools: Vec<PoolSummary>,
    /// Every return: by pool, then rank, then name; returns without a pool last.
    pub rows: Vec<Outcome>,
    /// The eligibility reasons of every row, each row's a run of them.
    pub(super) reasons: Vec<Reason>,
    /// The returns, computed components merged in.
    pub entries: Vec<Entry>,
    /// The computed components' notes per entry (empty without computed components).
    pub(super) notes: Vec<Vec<Option<String>>>,
    /// The panel's decisions read.
    pub(super) overrides: Vec<OverrideFact>,
    /// The reference date eligibility was judged on.
    pub reference_date: Option<NaiveDate>,
}

/// One reason of a row, as the text people read.
pub struct ReasonText<'a> {
    d: &'a Decision,
    row: &'a Outcome,
    what: Which,
}

#[derive(Clone, Copy)]
enum Which {
    Rule(Reason),
    Tail,
}

impl Display for ReasonText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.d.scheme;
        let label = |i: u16| &s.components[usize::from(i)].label;
        let threshold = |t: u16| {
            let (key, min) = s
                .thresholds
                .components
                .iter()
                .nth(usize::from(t))
                .expect("a threshold index of the scheme");
            let i = s.components.iter().position(|c| c.key == *key);
            (
                i.map_or(key.as_str(), |i| s.components[i].label.as_str()),
                *min,
            )
        };
        match self.what {
            Which::Rule(r) => match r {
                Reason::MissingComponent(i) => {
                    let notes = &self.d.notes[self.row.entry as usize];
                    match notes.get(usize::from(i)) {
                        Some(Some(note)) => f.write_str(note),
                        _ => write!(f, "缺少{}", label(i)),
                    }
                }
                Reason::MissingDaily => write!(f, "缺少{}", s.daily_label),
                Reason::Veto(i) => write!(f, "一票否决：{}", s.vetoes[usize::from(i)].label),
                Reason::CompositeBelow(c) => {
                    let min = s.thresholds.composite_min.unwrap_or_default();
                    write!(f, "综合得分{}分，低于{}分", fmt2(c), fmt_plain(min))
                }
                Reason::ComponentBelow(t, v) => {
                    let (label, min) = threshold(t);
                    write!(f, "{label}{}分，低于{}分", fmt2(v), fmt_plain(min))
                }
                Reason::ComponentUnjudged(t) => {
                    let (label, min) = threshold(t);
                    write!(f, "缺少{label}，无法判断是否达到{}分", fmt_plain(min))
                }
                Reason::Held(y) => write!(f, "已于{y}年命名，纳入复查"),
                Reason::Revoked(y) => {
                    write!(f, "{y}年被撤销称号，{}年内不得参评", s.cooldown_years)
                }
                Reason::Overdue(n) => write!(f, "有{n}项逾期未整改问题"),
                Reason::Accountable(d, k) => write!(
                    f,
                    "{}年{}月{}日受到{}问责",
                    d.year(),
                    d.month(),
                    d.day(),
                    k.label()
                ),
                Reason::NoRule => f.write_str("没有适用的名额规则"),
            },
            Which::Tail => match self.row.tail {
                Tail::None => Ok(()),
                Tail::Tie { free, seats } => write!(f, "并列{free}家争{seats}个名额"),
                Tail::Override => {
                    let o = self
                        .d
                        .override_of(self.row)
                        .expect("an override tail has one");
                    write!(
                        f,
                        "评审组调整：{}（理由：{}；{}）",
                        o.action.label(),
                        o.reason,
                        o.operator
                    )?;
                    if o.beyond_quota {
                        f.write_str("，超出名额（已确认）")?;
                    }
                    Ok(())
                }
                Tail::WhyNot { rank, quota, why } => {
                    write!(f, "第{rank}名，本组名额{quota}个")?;
                    match why {
                        // Both composites are rounded to 2 places, so the gap is exact in
                        // hundredths and reads as fmt2(a - b) would.
                        WhyNot::Gap(gap) => {
                            write!(f, "，与末位入选相差{}.{:02}分", gap / 100, gap % 100)
                        }
                        WhyNot::Behind(p) => write!(
                            f,
                            "，与末位入选综合得分相同，按{}比较在后",
                            super::tie_break_label(s, usize::from(p))
                        ),
                        WhyNot::SeatsTakenByIncluded => {
                            f.write_str("，与末位入选并列，名额已由评审组纳入的单位占用")
                        }
                        WhyNot::SameComposite => f.write_str("，与末位入选综合得分相同"),
                        WhyNot::AllIncluded => f.write_str("，入选的均为评审组纳入的单位"),
                        WhyNot::AllIncludedFromBelow => {
                            f.write_str("，入选的均为评审组从排名在后的单位中纳入")
                        }
                        WhyNot::Nothing => Ok(()),
                    }
                }
            },
        }
    }
}

impl Serialize for ReasonText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Decision {
    /// The entry a row was decided from.
    pub fn entry(&self, row: &Outcome) -> &Entry {
        &self.entries[row.entry as usize]
    }

    /// The panel decision applied to a row, if any.
    pub fn override_of(&self, row: &Outcome) -> Option<&OverrideFact> {
        row.decision.map(|i| &self.overrides[i as usize])
    }

    /// The name of a row's pool, if it has one.
    pub fn pool_of(&self, row: &Outcome) -> Option<&str> {
        self.pools.get(row.pool as usize).map(|p| p.pool.as_str())
    }

    /// Every reason of a row, in order, as texts to be written or shown.
    pub fn reason_texts<'a>(&'a self, row: &'a Outcome) -> impl Iterator<Item = ReasonText<'a>> {
        let (a, b) = row.reasons;
        let rules = self.reasons[a as usize..b as usize]
            .iter()
            .map(|r| Which::Rule(*r));
        let tail = (row.tail != Tail::None).then_some(Which::Tail);
        rules
            .chain(tail)
            .map(move |what| ReasonText { d: self, row, what })
    }

    /// Every reason of a row as strings.
    pub fn reason_text(&self, row: &Outcome) -> Vec<String> {
        self.reason_texts(row).map(|r| r.to_string()).collect()
    }

    /// The result row of one outcome, as the window and the workbook read it.
    pub fn result_row(&self, row: &Outcome) -> ResultRow {
        let e = self.entry(row);
        ResultRow {
            agency_id: e.agency_id,
            uscc: e.uscc.clone(),
            name: e.name.clone(),
            tier: e.tier,
            region: e.region.clone(),
            unit_type: e.unit_type.clone(),
            components: e.components.clone(),
            component_notes: self.notes[row.entry as usize].clone(),
            daily: e.daily,
            annual: row.annual,
            composite: row.composite,
            rank: row.rank,
            status: row.status,
            reasons: self.reason_text(row),
            pool: self.pool_of(row).map(str::to_string),
            applied_override: self.override_of(row).cloned(),
            eligible: row.eligible(),
        }
    }

    /// The whole [`Selection`], every row's texts made; the entries' texts move into
    /// it.
    pub fn into_selection(mut self) -> Selection {
        let mut results = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let reasons = self.reason_text(row);
            let e = &mut self.entries[row.entry as usize];
            results.push(ResultRow {
                agency_id: e.agency_id,
                uscc: e.uscc.take(),
                name: std::mem::take(&mut e.name),
                tier: e.tier,
                region: e.region.take(),
                unit_type: std::mem::take(&mut e.unit_type),
                components: std::mem::take(&mut e.components),
                component_notes: std::mem::take(&mut self.notes[row.entry as usize]),
                daily: e.daily,
                annual: row.annual,
                composite: row.composite,
                rank: row.rank,
                status: row.status,
                reasons,
                pool: self.pools.get(row.pool as usize).map(|p| p.pool.clone()),
                applied_override: row.decision.map(|i| self.overrides[i as usize].clone()),
                eligible: row.eligible(),
            });
        }
        Selection {
            campaign: self.campaign,
            pools: self.pools,
            results,
            component_keys: self
                .scheme
                .components
                .iter()
                .map(|c| c.key.clone())
                .collect(),
            reference_date: self.reference_date,
        }
    }

    /// The number of rows of a status.
    pub fn count(&self, status: Status) -> u32 {
        self.rows.iter().filter(|r| r.status == status).count() as u32
    }

    /// The decision serialised as the [`Selection`] it makes, field for field and byte for
    /// byte, without making it: what a run stored before schema version 24 (a run now
    /// stores [`Decision::record`]; this form is kept to check that both read back alike).
    pub fn stored(&self) -> impl Serialize + '_ {
        Stored(self)
    }

    /// Writes the contract JSON of `select --json` (pretty, with a final newline), byte
    /// for byte what [`super::write_json`] writes of [`Self::into_selection`].
    pub fn write_json<W: std::io::Write, R: Serialize>(
        &self,
        mut out: W,
        reviews: &[R],
    ) -> std::io::Result<()> {
        let keys: Vec<String> = self
            .scheme
            .components
            .iter()
            .map(|c| c.key.clone())
            .collect();
        let doc = super::output::Document {
            campaign: self.campaign,
            date: self.reference_date,
            pools: super::output::pools_json(&self.pools),
            results: ContractRows {
                d: self,
                keys: &keys,
            },
            reviews,
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        out.write_all(b"\n")
    }
}

/// The rows of the contract JSON, made from the outcome.
struct ContractRows<'a> {
    d: &'a Decision,
    keys: &'a [String],
}

impl Serialize for ContractRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.d;
        s.collect_seq(d.rows.iter().map(|r| {
            let e = d.entry(r);
            super::output::ResultJson {
                uscc: &e.uscc,
                name: &e.name,
                tier: e.tier.as_str(),
                region: &e.region,
                unit_type: &e.unit_type,
                annual: r.annual,
                composite: r.composite,
                rank: r.rank,
                status: r.status.as_str(),
                reasons: Texts(d, r),
                pool: d.pool_of(r),
                components: super::output::Components {
                    keys: self.keys,
                    scores: &e.components,
                },
            }
        }))
    }
}

/// A row's reasons as a JSON array of strings, written without making them.
pub(super) struct Texts<'a>(&'a Decision, &'a Outcome);

impl Serialize for Texts<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for t in self.0.reason_texts(self.1) {
            seq.serialize_element(&t)?;
        }
        seq.end()
    }
}

/// [`Decision::stored`].
struct Stored<'a>(&'a Decision);

impl Serialize for Stored<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut st = s.serialize_struct("Selection", 5)?;
        st.serialize_field("campaign", &d.campaign)?;
        st.serialize_field("pools", &d.pools)?;
        st.serialize_field("results", &StoredRows(d))?;
        st.serialize_field("component_keys", &Keys(&d.scheme))?;
        st.serialize_field("reference_date", &d.reference_date)?;
        st.end()
    }
}

struct Keys<'a>(&'a Scheme);

impl Serialize for Keys<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.components.iter().map(|c| &c.key))
    }
}

struct StoredRows<'a>(&'a Decision);

impl Serialize for StoredRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        s.collect_seq(d.rows.iter().map(|r| StoredRow(d, r)))
    }
}

/// One row serialised as [`ResultRow`] is (the same fields in the same order).
struct StoredRow<'a>(&'a Decision, &'a Outcome);

impl Serialize for StoredRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (d, r) = (self.0, self.1);
        let e = d.entry(r);
        let mut st = s.serialize_struct("ResultRow", 17)?;
        st.serialize_field("agency_id", &e.agency_id)?;
        st.serialize_field("uscc", &e.uscc)?;
        st.serialize_field("name", &e.name)?;
        st.serialize_field("tier", &e.tier)?;
        st.serialize_field("region", &e.region)?;
        st.serialize_field("unit_type", &e.unit_type)?;
        st.serialize_field("components", &e.components)?;
        st.serialize_field("component_notes", &d.notes[r.entry as usize])?;
        st.serialize_field("daily", &e.daily)?;
        st.serialize_field("annual", &r.annual)?;
        st.serialize_field("composite", &r.composite)?;
        st.serialize_field("rank", &r.rank)?;
        st.serialize_field("status", &r.status)?;
        st.serialize_field("reasons", &Texts(d, r))?;
        st.serialize_field("pool", &d.pool_of(r))?;
        st.serialize_field("applied_override", &d.override_of(r))?;
        st.serialize_field("eligible", &r.eligible())?;
        st.end()
    }
}
