//! The stored form of a run's result (`selection_runs.record`) and of its statuses
//! (`selection_runs.statuses`).
//!
//! Since schema version 24 a run stores its result as a compact binary record, written
//! from the [`Decision`] and read back as the very [`Selection`] the JSON of earlier runs
//! reads as (a run stored before keeps its JSON, read as before: see
//! `runs::parse_result`). The JSON of 100,000 returns was 45.5 MB, a third of it field
//! names, and writing and parsing it were most of a run's time; the record holds the same
//! values without names, numbers as varints and decimals as their integer mantissa and
//! scale.
//!
//! Beside it the run stores each row's agency, status, USCC and name
//! ([`encode_statuses`]): all the next run's audit entry compares, read without touching
//! the result.
//!
//! Layout (little-endian; `n` an unsigned LEB128 varint, `z` a zigzag varint, `s` a
//! string as `n` bytes of UTF-8, `o…` an option as a byte 0/1 then the value, `d` a
//! decimal, `[…]` a count `n` then the items):
//!
//! - `MAGIC`, the format's version byte;
//! - campaign `z`, reference date `o z` (days from the common era), component keys `[s]`;
//! - pools `[s pool, n rule, s tier, n declared, n base, n eligible, n quota, n selected,
//!   n tie_pending]`;
//! - rows `[z agency, o s uscc, s name, s tier, o s region, s unit type, [o d] components,
//!   [o s] notes, o d daily, o d annual, o d composite, o n rank, s status, [s] reasons,
//!   n pool (0 none, else index + 1), override (0 none, else 1, z id, z agency, s action,
//!   s reason, byte beyond quota, s operator, s at), byte eligible]`.
//!
//! A decimal is a byte 1, its mantissa `z` and its scale byte when the mantissa fits an
//! `i64` (every score), else a byte 2 and `Decimal::serialize`'s 16 bytes: both exact,
//! scale and sign included.
//!
//! Vocabulary words (tiers, statuses, actions) are stored as their stable spellings
//! (`as_str`), never as enum positions, so that a reordered enum still reads old records.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{Decision, OverrideFact, PoolSummary, ResultRow, Selection, Status};
use crate::scheme::Tier;
use crate::store::overrides::OverrideAction;

/// What a compact record starts with.
const MAGIC: &[u8; 8] = b"mofanrun";
/// The record's version: the layout above.
const VERSION: u8 = 1;
/// What a statuses record starts with.
const STATUSES_MAGIC: &[u8; 8] = b"mofanst1";

/// Whether a stored result is a compact record (else it is the JSON of earlier runs).
pub(super) fn is_compact(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// A damaged record: what was expected where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第{at}字节：{what}")]
pub(super) struct Malformed {
    /// Byte offset.
    at: usize,
    /// What was expected there.
    what: &'static str,
}

impl Decision {
    /// The result as a run stores it ([`encode`]): read back by `runs::parse_result` as
    /// the [`Selection`] [`Decision::into_selection`] makes.
    pub fn record(&self) -> Vec<u8> {
        encode(self)
    }

    /// Each row's agency, status, USCC and name as a run stores them beside its result
    /// ([`encode_statuses`]).
    pub fn statuses_record(&self) -> Vec<u8> {
        encode_statuses(self)
    }
}

/// The record's writer.
struct W {
    out: Vec<u8>,
    text: String,
}

impl W {
    fn n(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }
    fn z(&mut self, v: i64) {
        self.n(((v << 1) ^ (v >> 63)) as u64);
    }
    fn s(&mut self, s: &str) {
        self.n(s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }
    fn os(&mut self, s: Option<&str>) {
        match s {
            None => self.out.push(0),
            Some(s) => {
                self.out.push(1);
                self.s(s);
            }
        }
    }
    fn d(&mut self, d: Decimal) {
        match i64::try_from(d.mantissa()) {
            // A negative zero's mantissa is 0: it would read back positive.
            Ok(m) if !(m == 0 && d.is_sign_negative()) => {
                self.out.push(1);
                self.z(m);
                self.out.push(d.scale() as u8);
            }
            _ => {
                self.out.push(2);
                self.out.extend_from_slice(&d.serialize());
            }
        }
    }
    fn od(&mut self, d: Option<Decimal>) {
        match d {
            None => self.out.push(0),
            Some(d) => self.d(d),
        }
    }
    /// A text made by `Display`, through a reused buffer (its length comes first).
    fn display(&mut self, v: impl std::fmt::Display) {
        self.text.clear();
        let _ = write!(self.text, "{v}");
        let t = std::mem::take(&mut self.text);
        self.s(&t);
        self.text = t;
    }
}

/// The result of `d` as a compact record: the [`Selection`] it makes, field for field.
pub(super) fn encode(d: &Decision) -> Vec<u8> {
    let mut w = W {
        out: Vec::with_capacity(64 + d.rows.len() * 256),
        text: String::new(),
    };
    w.out.extend_from_slice(MAGIC);
    w.out.push(VERSION);
    w.z(d.campaign.into());
    match d.reference_date {
        None => w.out.push(0),
        Some(date) => {
            w.out.push(1);
            w.z(date.num_days_from_ce().into());
        }
    }
    w.n(d.scheme.components.len() as u64);
    for c in &d.scheme.components {
        w.s(&c.key);
    }
    w.n(d.pools.len() as u64);
    for p in &d.pools {
        w.s(&p.pool);
        w.n(p.rule as u64);
        w.s(p.tier.as_str());
        for v in [
            p.declared,
            p.base,
            p.eligible,
            p.quota,
            p.selected,
            p.tie_pending,
        ] {
            w.n(v.into());
        }
    }
    w.n(d.rows.len() as u64);
    for r in &d.rows {
        let e = d.entry(r);
        w.z(e.agency_id);
        w.os(e.uscc.as_deref());
        w.s(&e.name);
        w.s(e.tier.as_str());
        w.os(e.region.as_deref());
        w.s(&e.unit_type);
        w.n(e.components.len() as u64);
        for c in &e.components {
            w.od(*c);
        }
        let notes = &d.notes[r.entry as usize];
        w.n(notes.len() as u64);
        for note in notes {
            w.os(note.as_deref());
        }
        w.od(e.daily);
        w.od(r.annual);
        w.od(r.composite);
        match r.rank {
            None => w.out.push(0),
            Some(k) => {
                w.out.push(1);
                w.n(k.into());
            }
        }
        w.s(r.status.as_str());
        let reasons = d.reason_texts(r).count();
        w.n(reasons as u64);
        for t in d.reason_texts(r) {
            w.display(t);
        }
        // The pool by its index among the pools written above: the name it reads as is
        // the one `Decision::pool_of` gives.
        w.n(if (r.pool as usize) < d.pools.len() {
            u64::from(r.pool) + 1
        } else {
            0
        });
        match d.override_of(r) {
            None => w.out.push(0),
            Some(o) => {
                w.out.push(1);
                w.z(o.id);
                w.z(o.agency_id);
                w.s(o.action.as_str());
                w.s(&o.reason);
                w.out.push(u8::from(o.beyond_quota));
                w.s(&o.operator);
                w.s(&o.at);
            }
        }
        w.out.push(u8::from(r.eligible()));
    }
    w.out
}

/// The record's reader: every value checked, a short or wrong record is [`Malformed`].
struct R<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> R<'a> {
    fn bad<T>(&self, what: &'static str) -> Result<T, Malformed> {
        Err(Malformed { at: self.at, what })
    }
    fn byte(&mut self) -> Result<u8, Malformed> {
        let Some(&v) = self.b.get(self.at) else {
            return self.bad("记录提前结束");
        };
        self.at += 1;
        Ok(v)
    }
    fn flag(&mut self) -> Result<bool, Malformed> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => self.bad("标志应为0或1"),
        }
    }
    fn n(&mut self) -> Result<u64, Malformed> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.bad("整数过长")
    }
    fn n32(&mut self) -> Result<u32, Malformed> {
        let v = self.n()?;
        u32::try_from(v).or_else(|_| self.bad("整数超出范围"))
    }
    fn z(&mut self) -> Result<i64, Malformed> {
        let v = self.n()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
    /// A count of items each at least one byte long: never more than the bytes left.
    fn count(&mut self) -> Result<usize, Malformed> {
        let v = self.n()?;
        match usize::try_from(v) {
            Ok(v) if v <= self.b.len() - self.at => Ok(v),
            _ => self.bad("数量超出记录长度"),
        }
    }
    fn s(&mut self) -> Result<&'a str, Malformed> {
        let len = self.count()?;
        let bytes = &self.b[self.at..self.at + len];
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                self.at += len;
                Ok(s)
            }
            Err(_) => self.bad("文字不是UTF-8"),
        }
    }
    fn os(&mut self) -> Result<Option<&'a str>, Malformed> {
        Ok(if self.flag()? { Some(self.s()?) } else { None })
    }
    fn od(&mut self) -> Result<Option<Decimal>, Malformed> {
        match self.byte()? {
            0 => Ok(None),
            1 => {
                let m = self.z()?;
                let scale = self.byte()?;
                match Decimal::try_new(m, scale.into()) {
                    Ok(d) => Ok(Some(d)),
                    Err(_) => self.bad("小数位数超出范围"),
                }
            }
            2 => {
                let Some(raw) = self.b.get(self.at..self.at + 16) else {
                    return self.bad("记录提前结束");
                };
                let raw: [u8; 16] = raw.try_into().expect("16 bytes");
                self.at += 16;
                Ok(Some(Decimal::deserialize(raw)))
            }
            _ => self.bad("分数标记无法识别"),
        }
    }
    fn tier(&mut self) -> Result<Tier, Malformed> {
        let s = self.s()?;
        Tier::from_code(s).map_or_else(|| self.bad("层级无法识别"), Ok)
    }
    fn status(&mut self) -> Result<Status, Malformed> {
        let s = self.s()?;
        Status::parse(s).map_or_else(|| self.bad("评选状态无法识别"), Ok)
    }
}

/// Reads a compact record ([`encode`]) as the [`Selection`] it holds.
pub(super) fn decode(bytes: &[u8]) -> Result<Selection, Malformed> {
    let mut r = R { b: bytes, at: 0 };
    if !is_compact(bytes) {
        return r.bad("不是评选结果记录");
    }
    r.at = MAGIC.len();
    if r.byte()? != VERSION {
        return r.bad("评选结果记录的版本无法识别");
    }
    let campaign = i32::try_from(r.z()?).or_else(|_| r.bad("年度超出范围"))?;
    let reference_date = if r.flag()? {
        let days = i32::try_from(r.z()?).or_else(|_| r.bad("日期超出范围"))?;
        Some(NaiveDate::from_num_days_from_ce_opt(days).map_or_else(|| r.bad("日期超出范围"), Ok)?)
    } else {
        None
    };
    let keys = r.count()?;
    let mut component_keys = Vec::with_capacity(keys);
    for _ in 0..keys {
        component_keys.push(r.s()?.to_string());
    }
    let pools_len = r.count()?;
    let mut pools = Vec::with_capacity(pools_len);
    for _ in 0..pools_len {
        let pool = r.s()?.to_string();
        let rule = usize::try_from(r.n()?).or_else(|_| r.bad("规则序号超出范围"))?;
        let tier = r.tier()?;
        pools.push(PoolSummary {
            pool,
            rule,
            tier,
            declared: r.n32()?,
            base: r.n32()?,
            eligible: r.n32()?,
            quota: r.n32()?,
            selected: r.n32()?,
            tie_pending: r.n32()?,
        });
    }
    let rows = r.count()?;
    let mut results = Vec::with_capacity(rows);
    for _ in 0..rows {
        let agency_id = r.z()?;
        let uscc = r.os()?.map(str::to_string);
        let name = r.s()?.to_string();
        let tier = r.tier()?;
        let region = r.os()?.map(str::to_string);
        let unit_type = r.s()?.to_string();
        let k = r.count()?;
        let mut components = Vec::with_capacity(k);
        for _ in 0..k {
            components.push(r.od()?);
        }
        let k = r.count()?;
        let mut component_notes = Vec::with_capacity(k);
        for _ in 0..k {
            component_notes.push(r.os()?.map(str::to_string));
        }
        let daily = r.od()?;
        let annual = r.od()?;
        let composite = r.od()?;
        let rank = if r.flag()? { Some(r.n32()?) } else { None };
        let status = r.status()?;
        let k = r.count()?;
        let mut reasons = Vec::with_capacity(k);
        for _ in 0..k {
            reasons.push(r.s()?.to_string());
        }
        let pool = match r.n()? {
            0 => None,
            k => match usize::try_from(k - 1).ok().and_then(|k| pools.get(k)) {
                Some(p) => Some(p.pool.clone()),
                None => return r.bad("组序号超出范围"),
            },
        };
        let applied_override = if r.flag()? {
            let id = r.z()?;
            let agency_id = r.z()?;
            let action = r.s()?;
            let action =
                OverrideAction::parse(action).map_or_else(|| r.bad("调整方式无法识别"), Ok)?;
            let reason = r.s()?.to_string();
            let beyond_quota = r.flag()?;
            let operator = r.s()?.to_string();
            let at = r.s()?.to_string();
            Some(OverrideFact {
                id,
                agency_id,
                action,
                reason,
                beyond_quota,
                operator,
                at,
            })
        } else {
            None
        };
        let eligible = r.flag()?;
        results.push(ResultRow {
            agency_id,
            uscc,
            name,
            tier,
            region,
            unit_type,
            components,
            component_notes,
            daily,
            annual,
            composite,
            rank,
            status,
            reasons,
            pool,
            applied_override,
            eligible,
        });
    }
    if r.at != bytes.len() {
        return r.bad("记录末尾有多余内容");
    }
    Ok(Selection {
        campaign,
        pools,
        results,
        component_keys,
        reference_date,
    })
}

/// Each row's agency, status, USCC and name, in the result's order: what the next run's
/// audit entry compares.
pub(super) fn encode_statuses(d: &Decision) -> Vec<u8> {
    let mut w = W {
        out: Vec::with_capacity(16 + d.rows.len() * 64),
        text: String::new(),
    };
    w.out.extend_from_slice(STATUSES_MAGIC);
    w.n(d.rows.len() as u64);
    for r in &d.rows {
        let e = d.entry(r);
        w.z(e.agency_id);
        w.s(r.status.as_str());
        w.os(e.uscc.as_deref());
        w.s(&e.name);
    }
    w.out
}

/// One row of a statuses record: (agency, status, USCC, name), the texts borrowed.
pub(super) type StatusRow<'a> = (i64, Status, Option<&'a str>, &'a str);

/// Reads a statuses record ([`encode_statuses`]).
pub(super) fn decode_statuses(bytes: &[u8]) -> Result<Vec<StatusRow<'_>>, Malformed> {
    let mut r = R { b: bytes, at: 0 };
    if !bytes.starts_with(STATUSES_MAGIC) {
        return r.bad("不是评选状态记录");
    }
    r.at = STATUSES_MAGIC.len();
    let rows = r.count()?;
    let mut out = Vec::with_capacity(rows);
    for _ in 0..rows {
        let agency = r.z()?;
        let status = r.status()?;
        let uscc = r.os()?;
        let name = r.s()?;
        out.push((agency, status, uscc, name));
    }
    if r.at != bytes.len() {
        return r.bad("记录末尾有多余内容");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Every decimal reads back as itself: value, scale and sign, the 16-byte form
    /// included.
    #[test]
    fn decimals_read_back_exactly() {
        let mut cases: Vec<Decimal> = crate::select::tests::DECIMAL_TEXTS
            .iter()
            .chain(&[
                "0.00",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
            ])
            .map(|t| Decimal::from_str(t).unwrap())
            .collect();
        cases.push(Decimal::from_parts(0, 0, 0, true, 2)); // -0.00
        for d in cases {
            let mut w = W {
                out: Vec::new(),
                text: String::new(),
            };
            w.od(Some(d));
            w.od(None);
            let mut r = R { b: &w.out, at: 0 };
            let back = r.od().unwrap().unwrap();
            assert_eq!(back.serialize(), d.serialize(), "{d}");
            assert_eq!(back.to_string(), d.to_string());
            assert_eq!(r.od().unwrap(), None);
            assert_eq!(r.at, w.out.len());
        }
    }

    /// Varints and zigzag integers read back over their whole range.
    #[test]
    fn integers_read_back() {
        for v in [0i64, 1, -1, 63, -64, 64, 127, 128, 300, i64::MAX, i64::MIN] {
            let mut w = W {
                out: Vec::new(),
                text: String::new(),
            };
            w.z(v);
            w.n(v as u64);
            let mut r = R { b: &w.out, at: 0 };
            assert_eq!(r.z().unwrap(), v);
            assert_eq!(r.n().unwrap(), v as u64);
        }
    }
}
