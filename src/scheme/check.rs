//! The rules of a scheme, checked on the typed value ([`Scheme::check`]).
//!
//! A scheme reaches mofan as TOML (a scheme file, the command line) or as the desktop's
//! form ([`super::form`]). Both are first *read* into a [`Scheme`], which reports only what
//! the types cannot hold — TOML syntax, a word that names nothing, a whole number too large
//! for its field, a text that is not a number — and then checked here. A rule and its
//! message therefore exist once, and the file and the form cannot disagree. The readers
//! share this module's word readers and number helpers for the same reason.
//!
//! Each issue names its key path (`components[2].weight`, counted from 1 as a clerk
//! counts); the TOML reader adds the line the key stands on.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use super::{
    choice_key, BallotSettings, Component, ComponentSource, GroupBy, MissingPolicy, PanelSettings,
    QuotaBase, QuotaRule, QuotaSize, Rounding, Scheme, SchemeIssue, Tier, Veto,
};
use crate::limits::{self, check_plain, quote, TextKind};
use crate::normalize::header_key;
use crate::vocab::{words::tier_key, RETURN_FIELDS};

/// A step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

/// A key path, built fluently: `P::k("components").i(1).key("weight")` is shown as
/// `components[2].weight`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct P(pub(super) Vec<Seg>);

impl P {
    pub(super) fn k(name: &str) -> P {
        P(vec![Seg::Key(name.to_string())])
    }

    pub(super) fn key(&self, name: &str) -> P {
        let mut p = self.clone();
        p.0.push(Seg::Key(name.to_string()));
        p
    }

    /// The entry at a 0-based index (shown 1-based).
    pub(super) fn i(&self, index: usize) -> P {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }

    pub(super) fn display(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Key(k) if s.is_empty() => s.push_str(k),
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{}]", i + 1)),
            }
        }
        s
    }
}

/// The words of each setting, one table per enum, for reading and writing alike.
pub(super) const MISSING_WORDS: [(&str, MissingPolicy); 2] = [
    ("ineligible", MissingPolicy::Ineligible),
    ("reweight", MissingPolicy::Reweight),
];
pub(super) const ROUNDING_WORDS: [(&str, Rounding); 3] = [
    ("floor", Rounding::Floor),
    ("round", Rounding::Round),
    ("ceil", Rounding::Ceil),
];
pub(super) const BASE_WORDS: [(&str, QuotaBase); 2] = [
    ("declared", QuotaBase::Declared),
    ("eligible", QuotaBase::Eligible),
];
pub(super) const GROUP_BY_WORDS: [(&str, GroupBy); 2] = [
    ("region", GroupBy::Region),
    ("unit_type", GroupBy::UnitType),
];

/// The word of a value in its table.
pub(super) fn word_of<T: PartialEq + Copy>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(w, _)| *w)
        .expect("every value of a word table's enum has a word")
}

// Reading a rule's `group_by` leaves an unknown word out (see `Found::group_by`); that
// cannot shift the index of a duplicate `check` reports only while a list within the limit
// holding an unknown word has no room for a duplicate.
const _: () = assert!(limits::scheme::GROUP_BY <= 2);

/// The message of a year out of range.
pub(super) fn year_message(y: i64) -> String {
    format!("年度 {y} 不在 2000–2100 之间")
}

/// The issues found so far, each at its key path.
#[derive(Debug, Default)]
pub(super) struct Found(pub(super) Vec<(P, String)>);

impl Found {
    pub(super) fn push(&mut self, path: &P, message: impl Into<String>) {
        self.0.push((path.clone(), message.into()));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The issues without lines (the form's, and [`Scheme::check`]'s).
    pub(super) fn into_issues(self) -> Vec<SchemeIssue> {
        self.0
            .into_iter()
            .map(|(path, message)| SchemeIssue {
                key: path.display(),
                line: None,
                column: None,
                message,
            })
            .collect()
    }

    /// Whether a list is within its limit; one issue at its key when not, and the caller
    /// then skips its entries, so that a list of 100,000 entries is one message.
    fn list_ok(&mut self, path: &P, len: usize, max: usize) -> bool {
        if len > max {
            self.push(path, format!("共 {len} 项，最多 {max} 项"));
            return false;
        }
        true
    }

    /// Whether a text is within its kind's length and free of control characters.
    fn text_ok(&mut self, path: &P, kind: TextKind, s: &str) -> bool {
        match check_plain(kind, s) {
            Ok(()) => true,
            Err(m) => {
                self.push(path, m);
                false
            }
        }
    }

    /// Every text of a list (header aliases, unit types of a rule) checked as `kind`.
    fn texts_ok(&mut self, path: &P, kind: TextKind, list: &[String]) -> bool {
        let mut ok = true;
        for (i, s) in list.iter().enumerate() {
            ok &= self.text_ok(&path.i(i), kind, s);
        }
        ok
    }

    /// Whether a whole number is within `lo..=hi`; an issue when not.
    fn in_range(&mut self, path: &P, n: i64, (lo, hi): (i64, i64)) -> bool {
        if (lo..=hi).contains(&n) {
            return true;
        }
        self.push(path, format!("{n} 应为 {lo}–{hi} 之间的整数"));
        false
    }

    /// A whole number read into a `u32` field: kept when it fits, for [`check`] to hold
    /// against its range; else the range's message here and `None`.
    pub(super) fn whole(&mut self, path: &P, n: i64, range: (i64, i64)) -> Option<u32> {
        match u32::try_from(n) {
            Ok(v) => Some(v),
            Err(_) => {
                self.in_range(path, n, range);
                None
            }
        }
    }

    /// At most four decimal places.
    fn places(&mut self, path: &P, n: Decimal) {
        if n.normalize().scale() > 4 {
            self.push(path, format!("{n} 超过4位小数"));
        }
    }

    fn score(&mut self, path: &P, n: Decimal) {
        self.places(path, n);
        if n < Decimal::ZERO || n > Decimal::ONE_HUNDRED {
            self.push(path, format!("分数 {n} 不在 0–100 之间"));
        }
    }

    fn word<T: Copy>(
        &mut self,
        path: &P,
        word: &str,
        table: &[(&str, T)],
        message: impl FnOnce(String) -> String,
    ) -> Option<T> {
        let found = table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v);
        if found.is_none() {
            self.push(path, message(quote(word)));
        }
        found
    }

    /// A tier code (`province`, `city`, `county`).
    pub(super) fn tier(&mut self, path: &P, word: &str) -> Option<Tier> {
        let tier = Tier::from_code(word);
        if tier.is_none() {
            self.push(
                path,
                format!("层级 “{}” 无效，应为 province、city 或 county", quote(word)),
            );
        }
        tier
    }

    /// A component's `source` (`return`, `ballots`, `panel`).
    pub(super) fn source(&mut self, path: &P, word: &str) -> Option<ComponentSource> {
        let source = ComponentSource::parse(word);
        if source.is_none() {
            self.push(
                path,
                format!("来源 “{}” 无效，应为 return、ballots 或 panel", quote(word)),
            );
        }
        source
    }

    pub(super) fn missing(&mut self, path: &P, word: &str) -> Option<MissingPolicy> {
        self.word(path, word, &MISSING_WORDS, |w| {
            format!("“{w}” 无效，应为 \"ineligible\" 或 \"reweight\"")
        })
    }

    pub(super) fn rounding(&mut self, path: &P, word: &str) -> Option<Rounding> {
        self.word(path, word, &ROUNDING_WORDS, |w| {
            format!("取整方式 “{w}” 无效，应为 floor、round 或 ceil")
        })
    }

    pub(super) fn base(&mut self, path: &P, word: &str) -> Option<QuotaBase> {
        self.word(path, word, &BASE_WORDS, |w| {
            format!("基数 “{w}” 无效，应为 declared 或 eligible")
        })
    }

    /// A rule's `group_by` words. Within the limit, a word that names nothing is reported
    /// and left out; a longer list keeps its length, its words unread, so that [`check`]
    /// reports the limit once and not each word.
    pub(super) fn group_by(&mut self, path: &P, words: &[String]) -> Vec<GroupBy> {
        if words.len() > limits::scheme::GROUP_BY {
            return vec![GroupBy::Region; words.len()];
        }
        words
            .iter()
            .enumerate()
            .filter_map(|(j, g)| {
                self.word(&path.i(j), g, &GROUP_BY_WORDS, |w| {
                    format!("分组 “{w}” 无效，只能是 \"region\" 和/或 \"unit_type\"")
                })
            })
            .collect()
    }
}

/// The longest tier word a scheme may add: a tier is named in a word or two, and a
/// longer text is a sentence pasted into the wrong place.
const MAX_TIER_ALIAS_CHARS: usize = 20;

/// Checks every rule of a scheme; see the module documentation. The order of the checks
/// is the order of the file's sections, so that issues without a line come in that order.
pub(super) fn check(s: &Scheme, f: &mut Found) {
    if let Some(y) = s.year.filter(|y| !(2000..=2100).contains(y)) {
        f.push(&P::k("year"), year_message(i64::from(y)));
    }
    unit_types(f, s);
    tier_aliases(f, &s.tier_aliases);
    composite(f, s);

    // A list over its limit is reported once and then checked as if empty, here and by
    // every later rule that refers to its entries.
    let at = P::k("components");
    if s.components.is_empty() {
        f.push(&at, "至少要有一个考核项目 [[components]]");
    }
    let components: &[Component] = if f.list_ok(&at, s.components.len(), limits::scheme::COMPONENTS)
    {
        &s.components
    } else {
        &[]
    };
    // Component keys, then veto keys: a key may name one item only.
    let mut keys = BTreeSet::new();
    let mut sum = Decimal::ZERO;
    for (i, c) in components.iter().enumerate() {
        let path = at.i(i);
        if key_ok(f, &path.key("key"), &c.key) {
            if c.key == "daily" || c.key == "annual" {
                f.push(&path.key("key"), format!("键 “{}” 是保留字", c.key));
            } else if !keys.insert(c.key.as_str()) {
                f.push(&path.key("key"), format!("键 “{}” 重复", c.key));
            }
        }
        label_ok(f, &path.key("label"), &c.label);
        aliases_ok(f, &path.key("aliases"), &c.aliases);
        f.places(&path.key("weight"), c.weight);
        if c.weight <= Decimal::ZERO {
            f.push(&path.key("weight"), format!("权重 {} 应大于0", c.weight));
        }
        sum += c.weight;
    }
    if !components.is_empty() && sum != Decimal::ONE {
        f.push(
            &at,
            format!("各考核项目权重之和应为1，实为 {}", sum.normalize()),
        );
    }

    if let Some(n) = s.thresholds.composite_min {
        f.score(&P::k("thresholds").key("composite_min"), n);
    }
    let at = P::k("thresholds").key("components");
    let minimums = &s.thresholds.components;
    if f.list_ok(&at, minimums.len(), limits::scheme::COMPONENTS) {
        for (k, n) in minimums {
            let path = at.key(k);
            if !keys.contains(k.as_str()) {
                f.push(&path, format!("“{}” 不是考核项目的键", quote(k)));
            }
            f.score(&path, *n);
        }
    }

    let at = P::k("vetoes");
    let vetoes: &[Veto] = if f.list_ok(&at, s.vetoes.len(), limits::scheme::VETOES) {
        &s.vetoes
    } else {
        &[]
    };
    for (i, v) in vetoes.iter().enumerate() {
        let path = at.i(i);
        if key_ok(f, &path.key("key"), &v.key) && !keys.insert(v.key.as_str()) {
            f.push(&path.key("key"), format!("键 “{}” 重复", v.key));
        }
        label_ok(f, &path.key("label"), &v.label);
        aliases_ok(f, &path.key("aliases"), &v.aliases);
    }

    f.in_range(
        &P::k("cooldown_years"),
        i64::from(s.cooldown_years),
        limits::scheme::COOLDOWN_YEARS,
    );
    tie_break(f, components, &s.tie_break);

    let at = P::k("quotas");
    if s.quotas.is_empty() {
        f.push(&at, "至少要有一条名额规则 [[quotas]]");
    }
    if f.list_ok(&at, s.quotas.len(), limits::scheme::QUOTAS) {
        for (i, q) in s.quotas.iter().enumerate() {
            quota(f, &at.i(i), q, &s.unit_types);
        }
    }

    review(f, s);
    ballots(f, &s.ballots);
    panel(f, s.panel);
    f.in_range(
        &P::k("publicity").key("working_days"),
        i64::from(s.publicity.working_days),
        limits::scheme::PUBLICITY_DAYS,
    );
    ledger(f, &s.ledger);
    if let Some(t) = &s.title {
        f.text_ok(&P::k("title"), TextKind::Title, t.trim());
    }
    // A file without `award_title` gets the default; only a form can clear it.
    if s.award_title.trim().is_empty() {
        f.push(&P::k("award_title"), "称号不能为空");
    } else {
        f.text_ok(&P::k("award_title"), TextKind::Title, s.award_title.trim());
    }
    alias_clashes(f, s, components, vetoes);
}

/// A text with its white space removed, as declared unit types are compared.
fn no_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `unit_types` and `[unit_type_aliases]`.
fn unit_types(f: &mut Found, s: &Scheme) {
    let at = P::k("unit_types");
    if s.unit_types.is_empty() {
        f.push(&at, "单位类型列表不能为空");
    }
    if f.list_ok(&at, s.unit_types.len(), limits::scheme::UNIT_TYPES) {
        let mut seen = BTreeSet::new();
        for (i, t) in s.unit_types.iter().enumerate() {
            let path = at.i(i);
            if t.is_empty() {
                f.push(&path, "单位类型不能为空");
            } else if f.text_ok(&path, TextKind::UnitType, t) && !seen.insert(t.as_str()) {
                f.push(&path, format!("单位类型 “{t}” 重复"));
            }
        }
    }
    // Unit types as a declared one is compared with them (white space ignored), so that
    // an alias spelled as a canonical type with a space is caught as well.
    let canonical: BTreeSet<String> = s.unit_types.iter().map(|t| no_spaces(t)).collect();
    let known: BTreeSet<&str> = s.unit_types.iter().map(String::as_str).collect();
    let at = P::k("unit_type_aliases");
    let aliases = &s.unit_type_aliases;
    if !f.list_ok(&at, aliases.len(), limits::scheme::UNIT_TYPE_ALIASES) {
        return;
    }
    for (alias, target) in aliases {
        let path = at.key(alias);
        if !f.text_ok(&path, TextKind::UnitType, alias) {
            continue;
        }
        if !known.contains(target.as_str()) {
            f.push(
                &path,
                format!("别名指向的单位类型 “{}” 不在 unit_types 中", quote(target)),
            );
        } else if canonical.contains(&no_spaces(alias)) {
            // A declared type is matched against the canonical types first, so such an
            // alias would never apply: the scheme would say one thing and do another.
            f.push(
                &path,
                format!(
                    "别名 “{}” 本身是 unit_types 中的单位类型，不能再指向 “{target}”",
                    alias.trim()
                ),
            );
        }
    }
}

/// Checks `[tier_aliases]` (tier → words). A word must be non-empty and short and may
/// name only one tier. It may be a built-in word of another tier: the scheme's own words
/// win (区直 is county-level by default, province-level in an autonomous region).
fn tier_aliases(f: &mut Found, tier_aliases: &BTreeMap<Tier, Vec<String>>) {
    // Tiers in the order of their codes (city, county, province), as a file's table is
    // read, so that which tier claimed a word first does not depend on where it came from.
    let mut tiers: Vec<_> = tier_aliases.iter().collect();
    tiers.sort_by_key(|(tier, _)| tier.as_str());
    // Normalised word → the tier that claimed it first.
    let mut claimed: HashMap<String, Tier> = HashMap::new();
    for (tier, words) in tiers {
        let path = P::k("tier_aliases").key(tier.as_str());
        if !f.list_ok(&path, words.len(), limits::scheme::ALIASES) {
            continue;
        }
        for (i, word) in words.iter().enumerate() {
            let at = path.i(i);
            let word = word.trim();
            let key = tier_key(word);
            if key.is_empty() {
                f.push(&at, "层级别名不能为空");
                continue;
            }
            if !f.text_ok(&at, TextKind::Label, word) {
                continue;
            }
            if word.chars().count() > MAX_TIER_ALIAS_CHARS {
                f.push(
                    &at,
                    format!("层级别名 “{word}” 超过{MAX_TIER_ALIAS_CHARS}个字"),
                );
                continue;
            }
            match claimed.get(&key) {
                Some(first) if first != tier => f.push(
                    &at,
                    format!(
                        "层级别名 “{word}” 同时属于 {} 和 {}",
                        first.as_str(),
                        tier.as_str()
                    ),
                ),
                Some(_) => f.push(&at, format!("层级别名 “{word}” 重复")),
                None => {
                    claimed.insert(key, *tier);
                }
            }
        }
    }
}

/// `[composite]`: the daily score's share, label and aliases.
fn composite(f: &mut Found, s: &Scheme) {
    let at = P::k("composite");
    let share = s.daily_share;
    f.places(&at.key("daily_share"), share);
    if share < Decimal::ZERO || share > Decimal::ONE {
        f.push(
            &at.key("daily_share"),
            format!("日常考核占比 {share} 应在 0–1 之间"),
        );
    }
    label_ok(f, &at.key("daily_label"), &s.daily_label);
    let aliases_at = at.key("daily_aliases");
    if f.list_ok(&aliases_at, s.daily_aliases.len(), limits::scheme::ALIASES) {
        f.texts_ok(&aliases_at, TextKind::Label, &s.daily_aliases);
    }
}

/// Whether a component's or veto's key is a short identifier; an issue at it when not.
fn key_ok(f: &mut Found, path: &P, key: &str) -> bool {
    let max = limits::scheme::KEY_CHARS;
    if key.chars().take(max + 1).count() > max {
        f.push(path, format!("键 “{}” 超过{max}个字符", quote(key)));
        return false;
    }
    if !is_identifier(key) {
        f.push(
            path,
            format!("键 “{key}” 只能用小写英文字母、数字和下划线，并以字母开头"),
        );
        return false;
    }
    true
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A header label (of a component, a veto, the daily score): not empty, short and plain.
fn label_ok(f: &mut Found, path: &P, label: &str) {
    if label.trim().is_empty() {
        f.push(path, "名称不能为空");
    } else {
        f.text_ok(path, TextKind::Label, label);
    }
}

/// The header aliases of a component or veto: a bounded list of short plain texts.
fn aliases_ok(f: &mut Found, path: &P, aliases: &[String]) {
    if f.list_ok(path, aliases.len(), limits::scheme::ALIASES) {
        f.texts_ok(path, TextKind::Label, aliases);
    }
}

/// `tie_break`: keys of the components (those within the limit), `daily` or `annual`,
/// each at most once (so a longer list repeats one and is refused as a whole).
fn tie_break(f: &mut Found, components: &[Component], tie_break: &[String]) {
    let mut allowed: BTreeSet<&str> = components.iter().map(|c| c.key.as_str()).collect();
    allowed.insert("daily");
    allowed.insert("annual");
    let at = P::k("tie_break");
    if !f.list_ok(&at, tie_break.len(), allowed.len()) {
        return;
    }
    let mut seen = BTreeSet::new();
    for (i, k) in tie_break.iter().enumerate() {
        let path = at.i(i);
        if !allowed.contains(k.as_str()) {
            f.push(
                &path,
                format!(
                    "“{}” 不是可用的排序键（可用：{}）",
                    quote(k),
                    allowed.iter().copied().collect::<Vec<_>>().join("、")
                ),
            );
        } else if !seen.insert(k.as_str()) {
            f.push(&path, format!("排序键 “{k}” 重复"));
        }
    }
}

/// One `[[quotas]]` rule.
fn quota(f: &mut Found, path: &P, q: &QuotaRule, unit_types: &[String]) {
    let types_at = path.key("unit_types");
    if q.unit_types.is_empty() {
        f.push(&types_at, "单位类型不能为空（全部类型请写 [\"*\"]）");
    }
    if f.list_ok(&types_at, q.unit_types.len(), limits::scheme::UNIT_TYPES) {
        for (j, t) in q.unit_types.iter().enumerate() {
            if t != "*" && !unit_types.contains(t) {
                f.push(
                    &types_at.i(j),
                    format!("单位类型 “{}” 不在 unit_types 中", quote(t)),
                );
            }
        }
    }
    let group_at = path.key("group_by");
    if f.list_ok(&group_at, q.group_by.len(), limits::scheme::GROUP_BY) {
        for (j, g) in q.group_by.iter().enumerate() {
            if q.group_by[..j].contains(g) {
                let word = word_of(&GROUP_BY_WORDS, *g);
                f.push(&group_at.i(j), format!("分组 “{word}” 重复"));
            }
        }
    }
    match q.size {
        QuotaSize::Count(n) => {
            f.in_range(&path.key("count"), i64::from(n), limits::scheme::SEATS);
        }
        // A percentage rule gives seats in proportion; one that gives none before the
        // clamp is a slip or a roundabout `count = 0`, which says so plainly.
        QuotaSize::Percent(p) => {
            f.places(&path.key("percent"), p);
            if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                f.push(
                    &path.key("percent"),
                    format!("比例 {p} 应在 0–100 之间（不含0）"),
                );
            }
        }
    }
    let seats = |f: &mut Found, key: &str, n: Option<u32>| {
        n.filter(|n| f.in_range(&path.key(key), i64::from(*n), limits::scheme::SEATS))
    };
    let min = seats(f, "min", q.min);
    let max = seats(f, "max", q.max);
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            f.push(&path.key("min"), format!("min {lo} 大于 max {hi}"));
        }
    }
}

/// `[review]`.
fn review(f: &mut Found, s: &Scheme) {
    use limits::scheme::{COMPLAINTS_TRIGGER, CYCLE_YEARS, RECTIFY_MONTHS};
    let r = &s.review;
    let p = P::k("review");
    f.in_range(&p.key("cycle_years"), r.cycle_years.into(), CYCLE_YEARS);
    f.in_range(
        &p.key("rectify_months"),
        r.rectify_months.into(),
        RECTIFY_MONTHS,
    );
    f.in_range(
        &p.key("complaints_trigger"),
        r.complaints_trigger.into(),
        COMPLAINTS_TRIGGER,
    );
    f.score(&p.key("retain_min"), r.retain_min);
    f.score(&p.key("revoke_below"), r.revoke_below);
    if r.revoke_below > r.retain_min {
        f.push(
            &p.key("revoke_below"),
            format!("撤销线 {} 不能高于保留线 {}", r.revoke_below, r.retain_min),
        );
    }
    let rate = r.rectification_rate_min;
    f.places(&p.key("rectification_rate_min"), rate);
    if rate < Decimal::ZERO || rate > Decimal::ONE {
        f.push(
            &p.key("rectification_rate_min"),
            format!("整改率 {rate} 应在 0–1 之间"),
        );
    }
}

/// `[ballots]`. Checked whether or not a component uses ballots: a scheme file holds no
/// setting that would be refused once a component's source changes.
fn ballots(f: &mut Found, b: &BallotSettings) {
    let at = P::k("ballots");
    let choices_at = at.key("choices");
    // Each word's comparison key → the word as written first.
    let mut words: HashMap<String, &str> = HashMap::new();
    if b.choices.is_empty() {
        f.push(&choices_at, "至少要有一个计分选项，如 { \"满意\" = 100 }");
    }
    if f.list_ok(&choices_at, b.choices.len(), limits::scheme::CHOICES) {
        for (i, (word, points)) in b.choices.iter().enumerate() {
            let path = choices_at.i(i);
            if let Some(word) = ballot_word(f, &path, word, "选项") {
                if words.insert(choice_key(word), word).is_some() {
                    f.push(&path, format!("选项 “{word}” 重复"));
                }
            }
            f.places(&path, *points);
            if *points < Decimal::ZERO || *points > Decimal::ONE_HUNDRED {
                f.push(
                    &path,
                    format!(
                        "选项 “{}” 的分值 {points} 不在 0–100 之间",
                        quote(word.trim())
                    ),
                );
            }
        }
    }
    let skip_at = at.key("not_counted");
    if f.list_ok(&skip_at, b.not_counted.len(), limits::scheme::CHOICES) {
        let mut seen = BTreeSet::new();
        for (i, word) in b.not_counted.iter().enumerate() {
            let path = skip_at.i(i);
            let Some(word) = ballot_word(f, &path, word, "不计票的答案") else {
                continue;
            };
            let key = choice_key(word);
            if words.contains_key(&key) {
                f.push(
                    &path,
                    format!("“{word}” 已是计分选项，不能同时列为不计票的答案"),
                );
            } else if !seen.insert(key) {
                f.push(&path, format!("不计票的答案 “{word}” 重复"));
            }
        }
    }
    f.in_range(
        &at.key("min_valid"),
        i64::from(b.min_valid),
        limits::scheme::MIN_VALID,
    );
    let rate = b.min_return_rate;
    f.places(&at.key("min_return_rate"), rate);
    if rate < Decimal::ZERO || rate > Decimal::ONE {
        f.push(
            &at.key("min_return_rate"),
            format!("回收率 {rate} 应在 0–1 之间"),
        );
    }
}

/// A word of `[ballots]` (a choice or a word not counted), trimmed: not empty, short and
/// plain, as a header label is. `None`, with an issue, when it is not.
fn ballot_word<'a>(f: &mut Found, path: &P, word: &'a str, what: &str) -> Option<&'a str> {
    let word = word.trim();
    if choice_key(word).is_empty() {
        f.push(path, format!("{what}不能为空"));
        return None;
    }
    f.text_ok(path, TextKind::Label, word).then_some(word)
}

/// `[panel]`: `min_judges` must exceed `2 × trim`, or dropping the highest and lowest
/// scores could leave none.
/// `[ledger]`: the warning days within their range; each blocking accountability kind one
/// of the kinds of accountability, and none twice.
fn ledger(f: &mut Found, l: &super::LedgerSettings) {
    let at = P::k("ledger");
    f.in_range(
        &at.key("warn_days"),
        i64::from(l.warn_days),
        limits::scheme::WARN_DAYS,
    );
    let list = at.key("accountability_blocks");
    if !f.list_ok(
        &list,
        l.accountability_blocks.len(),
        limits::scheme::ACCOUNTABILITY_BLOCKS,
    ) {
        return;
    }
    // The words are the accountability kinds' labels (检查, 通报, 改组, 诫勉, …).
    use crate::vocab::{AccountabilityKind, Vocab};
    let mut seen: Vec<&str> = Vec::new();
    for (i, w) in l.accountability_blocks.iter().enumerate() {
        let w = w.trim();
        if !AccountabilityKind::ALL.iter().any(|k| k.label() == w) {
            let known: Vec<&str> = AccountabilityKind::ALL.iter().map(|k| k.label()).collect();
            f.push(
                &list.i(i),
                format!("“{}”不是问责方式（可填：{}）", quote(w), known.join("、")),
            );
        } else if seen.contains(&w) {
            f.push(&list.i(i), format!("“{w}”重复"));
        } else {
            seen.push(w);
        }
    }
}

fn panel(f: &mut Found, p: PanelSettings) {
    let at = P::k("panel");
    let judges = f.in_range(
        &at.key("min_judges"),
        i64::from(p.min_judges),
        limits::scheme::MIN_JUDGES,
    );
    let trim = f.in_range(&at.key("trim"), i64::from(p.trim), limits::scheme::TRIM);
    let least = 2 * u64::from(p.trim) + 1;
    if judges && trim && u64::from(p.min_judges) < least {
        f.push(
            &at.key("min_judges"),
            format!(
                "min_judges 须大于 2 × trim（当前 trim = {}，min_judges 至少为 {least}）",
                p.trim
            ),
        );
    }
}

/// A header text may name only one field: the aliases of components, vetoes, the daily
/// score and the built-in fields must not clash.
fn alias_clashes(f: &mut Found, s: &Scheme, components: &[Component], vetoes: &[Veto]) {
    let mut owner: HashMap<String, String> = HashMap::new();
    for f in RETURN_FIELDS {
        for a in f.headers() {
            owner.insert(header_key(a), format!("内置字段 {}", f.key));
        }
    }
    let mut claim = |f: &mut Found, path: P, alias: &str, who: &str| {
        let k = header_key(alias);
        if k.is_empty() {
            return;
        }
        match owner.get(&k) {
            Some(prev) if prev.as_str() != who => f.push(
                &path,
                format!("表头别名 “{alias}” 同时属于 {prev} 和 {who}"),
            ),
            _ => {
                owner.insert(k, who.to_string());
            }
        }
    };
    let daily = "日常考核";
    let at = P::k("composite");
    claim(f, at.key("daily_label"), &s.daily_label, daily);
    for (j, a) in s.daily_aliases.iter().enumerate() {
        claim(f, at.key("daily_aliases").i(j), a, daily);
    }
    for (i, c) in components.iter().enumerate() {
        let who = format!("考核项目 {}", c.key);
        let at = P::k("components").i(i);
        claim(f, at.key("label"), &c.label, &who);
        for (j, a) in c.aliases.iter().enumerate() {
            claim(f, at.key("aliases").i(j), a, &who);
        }
    }
    for (i, v) in vetoes.iter().enumerate() {
        let who = format!("否决项 {}", v.key);
        let at = P::k("vetoes").i(i);
        claim(f, at.key("label"), &v.label, &who);
        for (j, a) in v.aliases.iter().enumerate() {
            claim(f, at.key("aliases").i(j), a, &who);
        }
    }
}
