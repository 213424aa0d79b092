//! The TOML form of the scheme and its reading into a [`Scheme`], which [`super::check`]
//! then checks; each issue is placed on the line its key stands on.

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml_edit::{Item, Value};

use super::check::{self, Found, Seg, P};
use super::toml_error::{Position, TomlProblem};
use super::*;
use crate::limits;

/// A TOML number (integer or float) read as an exact decimal.
#[derive(Debug, Clone, Copy)]
struct Num(Decimal);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("数字")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                if !v.is_finite() {
                    return Err(E::custom("不是有限数字"));
                }
                // Rust prints the shortest text that reads back as the same f64, which is
                // the literal as written for any number with at most 15 significant digits.
                Decimal::from_str(&v.to_string())
                    .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
                    .map(|d| Num(d.normalize()))
                    .map_err(|_| E::custom("数字超出范围"))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    title: Option<String>,
    year: Option<i64>,
    award_title: Option<String>,
    unit_types: Option<Vec<String>>,
    #[serde(default)]
    unit_type_aliases: BTreeMap<String, String>,
    #[serde(default)]
    tier_aliases: BTreeMap<String, Vec<String>>,
    composite: Option<RawComposite>,
    #[serde(default)]
    components: Vec<RawComponent>,
    missing: Option<String>,
    thresholds: Option<RawThresholds>,
    #[serde(default)]
    vetoes: Vec<RawVeto>,
    cooldown_years: Option<i64>,
    tie_break: Option<Vec<String>>,
    #[serde(default)]
    quotas: Vec<RawQuota>,
    review: Option<RawReview>,
    ballots: Option<RawBallots>,
    panel: Option<RawPanel>,
    publicity: Option<RawPublicity>,
    ledger: Option<RawLedger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComposite {
    daily_share: Option<Num>,
    daily_label: Option<String>,
    #[serde(default)]
    daily_aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    key: String,
    label: String,
    weight: Num,
    #[serde(default)]
    aliases: Vec<String>,
    source: Option<String>,
    // Top-level settings that TOML files them under the array table above them when they
    // are written after it (as the example scheme does); hoisted in `convert`.
    missing: Option<String>,
    cooldown_years: Option<i64>,
    tie_break: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    composite_min: Option<Num>,
    #[serde(default)]
    components: BTreeMap<String, Num>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVeto {
    key: String,
    label: String,
    #[serde(default)]
    aliases: Vec<String>,
    // Top-level settings that TOML files them under the array table above them when they
    // are written after it (as the example scheme does); hoisted in `convert`.
    missing: Option<String>,
    cooldown_years: Option<i64>,
    tie_break: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuota {
    tier: String,
    unit_types: Option<Vec<String>>,
    #[serde(default)]
    group_by: Vec<String>,
    count: Option<i64>,
    percent: Option<Num>,
    rounding: Option<String>,
    base: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    // Top-level settings that TOML files them under the array table above them when they
    // are written after it (as the example scheme does); hoisted in `convert`.
    missing: Option<String>,
    cooldown_years: Option<i64>,
    tie_break: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    cycle_years: Option<i64>,
    retain_min: Option<Num>,
    revoke_below: Option<Num>,
    rectify_months: Option<i64>,
    complaints_trigger: Option<i64>,
    rectification_rate_min: Option<Num>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBallots {
    choices: Option<Choices>,
    not_counted: Option<Vec<String>>,
    min_valid: Option<i64>,
    min_return_rate: Option<Num>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPanel {
    min_judges: Option<i64>,
    trim: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublicity {
    working_days: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    warn_days: Option<i64>,
    overdue_blocks_selection: Option<bool>,
    accountability_blocks: Option<Vec<String>>,
}

/// `choices = { "满意" = 100, … }`: word → points, in the order written. The TOML reader
/// hands a table's keys over sorted, so each key is read with its place in the text and
/// the words are put back in the order the clerk wrote them (the order lists and the
/// ballot workbooks show them in).
#[derive(Debug)]
struct Choices(Vec<(String, Num)>);

impl<'de> Deserialize<'de> for Choices {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Choices;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("选项与分值的表，如 { \"满意\" = 100 }")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Choices, A::Error> {
                let mut found: Vec<(toml::Spanned<String>, Num)> = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    found.push(entry);
                }
                found.sort_by_key(|(word, _)| word.span().start);
                Ok(Choices(
                    found
                        .into_iter()
                        .map(|(word, points)| (word.into_inner(), points))
                        .collect(),
                ))
            }
        }
        d.deserialize_map(V)
    }
}

/// Places issues on the lines of the text they were found in.
struct Locator<'a> {
    doc: Option<toml_edit::Document<&'a str>>,
    /// The byte offset of each line's start, so that placing an issue is a binary search
    /// rather than a count over the file (100,000 issues made that quadratic).
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            doc: toml_edit::Document::parse(text).ok(),
            line_starts,
        }
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
    }

    fn issue(&self, path: &P, message: String) -> SchemeIssue {
        let span = self
            .doc
            .as_ref()
            .and_then(|d| locate_in_table(d.as_table(), &path.0));
        SchemeIssue {
            key: path.display(),
            line: span.map(|s| self.line_of_offset(s.start)),
            column: None,
            message,
        }
    }
}

/// The `i`-th key of a table in the order written: the place of an entry of a table
/// read as an ordered list (`ballots.choices[2]`, the second choice word).
fn nth_key(keys: impl Iterator<Item = String>, path: &[Seg]) -> Option<Vec<Seg>> {
    let Some((Seg::Index(i), rest)) = path.split_first() else {
        return None;
    };
    let key = keys.into_iter().nth(*i)?;
    Some(
        std::iter::once(Seg::Key(key))
            .chain(rest.iter().cloned())
            .collect(),
    )
}

fn locate_in_table(t: &toml_edit::Table, path: &[Seg]) -> Option<Range<usize>> {
    if let Some(by_key) = nth_key(in_written_order(t), path) {
        return locate_in_table(t, &by_key);
    }
    let Some((Seg::Key(k), rest)) = path.split_first() else {
        return t.span();
    };
    let Some((key, item)) = t.get_key_value(k) else {
        return t.span();
    };
    if rest.is_empty() {
        return key.span().or_else(|| item.span());
    }
    locate_in_item(item, rest).or_else(|| key.span())
}

fn locate_in_item(item: &Item, path: &[Seg]) -> Option<Range<usize>> {
    match (item, path.first()) {
        (_, None) => item.span(),
        (Item::Table(t), _) => locate_in_table(t, path),
        (Item::ArrayOfTables(a), Some(Seg::Index(i))) => match a.get(*i) {
            Some(t) if path.len() == 1 => t.span(),
            Some(t) => locate_in_table(t, &path[1..]).or_else(|| t.span()),
            None => a.span(),
        },
        (Item::Value(v), _) => locate_in_value(v, path),
        _ => item.span(),
    }
}

fn locate_in_value(v: &Value, path: &[Seg]) -> Option<Range<usize>> {
    match (v, path.first()) {
        (_, None) => v.span(),
        (Value::Array(a), Some(Seg::Index(i))) => a
            .get(*i)
            .and_then(|x| locate_in_value(x, &path[1..]))
            .or_else(|| v.span()),
        (Value::InlineTable(t), Some(Seg::Index(_))) => {
            let keys = t.iter().map(|(k, _)| k.to_string());
            match nth_key(keys, path) {
                Some(by_key) => locate_in_value(v, &by_key),
                None => v.span(),
            }
        }
        (Value::InlineTable(t), Some(Seg::Key(k))) => match t.get_key_value(k) {
            Some((key, x)) if path.len() == 1 => key.span().or_else(|| x.span()),
            Some((_, x)) => locate_in_item(x, &path[1..]),
            None => v.span(),
        },
        _ => v.span(),
    }
}

/// A table's keys in the order they stand in the text, as [`Choices`] reads them.
fn in_written_order(t: &toml_edit::Table) -> impl Iterator<Item = String> {
    let mut keys: Vec<(usize, String)> = t
        .iter()
        .map(|(k, _)| {
            let at = t
                .key(k)
                .and_then(|key| key.span())
                .map_or(usize::MAX, |s| s.start);
            (at, k.to_string())
        })
        .collect();
    keys.sort_by_key(|(at, _)| *at);
    keys.into_iter().map(|(_, k)| k)
}

const DEFAULT_UNIT_TYPES: [&str; 7] = [
    "党群机关",
    "政府机关",
    "政法机关",
    "人大政协机关",
    "群团组织",
    "垂直管理单位",
    "参公事业单位",
];

pub(super) fn parse(text: &str) -> Result<Scheme, SchemeError> {
    // Checked before parsing: the parsers hold the whole document in memory several times
    // over (a 100,000-rule scheme took 746 MB).
    if text.len() > limits::SCHEME_FILE_BYTES {
        return Err(SchemeError {
            issues: vec![SchemeIssue {
                key: String::new(),
                line: None,
                column: None,
                message: format!(
                    "评选方案文件过大（{} 字节，最多 {} 字节）",
                    text.len(),
                    limits::SCHEME_FILE_BYTES
                ),
            }],
        });
    }
    let at = Locator::new(text);
    let raw: RawScheme = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map(|s| Position::of(text, s.start));
            return Err(SchemeError {
                issues: vec![SchemeIssue {
                    key: String::new(),
                    line: at.map(|p| p.line),
                    column: at.map(|p| p.column),
                    message: TomlProblem::of(e.message()).to_string(),
                }],
            });
        }
    };
    let mut found = Found::default();
    let (scheme, tie_break_at) = read(&mut found, raw);
    let mut checked = Found::default();
    check::check(&scheme, &mut checked);
    if found.is_empty() && checked.is_empty() {
        return Ok(scheme);
    }
    let mut issues: Vec<SchemeIssue> = found
        .0
        .into_iter()
        .chain(checked.0.into_iter().map(|(path, message)| {
            // A hoisted `tie_break` is reported where it was written.
            match path.0.split_first() {
                Some((Seg::Key(k), rest)) if k == "tie_break" => {
                    let mut at = tie_break_at.clone();
                    at.0.extend(rest.iter().cloned());
                    (at, message)
                }
                _ => (path, message),
            }
        }))
        .map(|(path, message)| at.issue(&path, message))
        .collect();
    issues.sort_by_key(|i| i.line.unwrap_or(usize::MAX));
    Err(SchemeError { issues })
}

/// The top-level settings an array-table entry may have swallowed:
/// (`missing`, `cooldown_years`, `tie_break`).
type Stray = (Option<String>, Option<i64>, Option<Vec<String>>);

/// Moves `missing`, `cooldown_years` and `tie_break` written inside an array-table entry
/// up to the top level; the same setting in two places is an error.
fn hoist(f: &mut Found, raw: &mut RawScheme) -> P {
    let mut tie_break_at = P::k("tie_break");
    let mut found: Vec<(P, Stray)> = Vec::new();
    // The same three settings, taken out of each kind of array entry.
    macro_rules! take_strays {
        ($list:expr, $name:literal) => {
            for (i, x) in $list.iter_mut().enumerate() {
                let stray = (
                    x.missing.take(),
                    x.cooldown_years.take(),
                    x.tie_break.take(),
                );
                found.push((P::k($name).i(i), stray));
            }
        };
    }
    take_strays!(raw.components, "components");
    take_strays!(raw.vetoes, "vetoes");
    take_strays!(raw.quotas, "quotas");
    for (path, (missing, cooldown, tie_break)) in found {
        if let Some(m) = missing {
            if raw.missing.is_some() {
                f.push(&path.key("missing"), "missing 重复设置");
            }
            raw.missing = Some(m);
        }
        if let Some(c) = cooldown {
            if raw.cooldown_years.is_some() {
                f.push(&path.key("cooldown_years"), "cooldown_years 重复设置");
            }
            raw.cooldown_years = Some(c);
        }
        if let Some(t) = tie_break {
            if raw.tie_break.is_some() {
                f.push(&path.key("tie_break"), "tie_break 重复设置");
            }
            raw.tie_break = Some(t);
            tie_break_at = path.key("tie_break");
        }
    }
    tie_break_at
}

/// Reads the TOML values into a scheme: defaults for what is not written, hoisted
/// settings, words and whole numbers into their types. Reports only what the types cannot
/// hold; [`check::check`] holds the scheme to every rule. Returns where `tie_break` was
/// written.
fn read(f: &mut Found, mut raw: RawScheme) -> (Scheme, P) {
    let tie_break_at = hoist(f, &mut raw);
    let year = raw.year.and_then(|y| match i32::try_from(y) {
        Ok(y) => Some(y),
        Err(_) => {
            f.push(&P::k("year"), check::year_message(y));
            None
        }
    });
    let unit_types = raw
        .unit_types
        .unwrap_or_else(|| DEFAULT_UNIT_TYPES.iter().map(|s| s.to_string()).collect())
        .into_iter()
        .map(|t| t.trim().to_string())
        .collect();
    let unit_type_aliases = raw
        .unit_type_aliases
        .into_iter()
        .map(|(alias, target)| (alias.trim().to_string(), target))
        .collect();
    let mut tier_aliases = BTreeMap::new();
    for (code, words) in raw.tier_aliases {
        if let Some(tier) = f.tier(&P::k("tier_aliases").key(&code), &code) {
            let words = words.iter().map(|w| w.trim().to_string()).collect();
            tier_aliases.insert(tier, words);
        }
    }
    let (daily_share, daily_label, daily_aliases) = match raw.composite {
        Some(c) => (
            c.daily_share.map_or(Decimal::ZERO, |n| n.0),
            c.daily_label.unwrap_or_else(|| "日常考核".to_string()),
            c.daily_aliases,
        ),
        None => (Decimal::ZERO, "日常考核".to_string(), Vec::new()),
    };
    let components = raw
        .components
        .into_iter()
        .enumerate()
        .map(|(i, c)| Component {
            key: c.key,
            label: c.label.trim().to_string(),
            weight: c.weight.0,
            aliases: c.aliases,
            source: c.source.map_or(ComponentSource::Return, |w| {
                f.source(&P::k("components").i(i).key("source"), w.trim())
                    .unwrap_or(ComponentSource::Return)
            }),
        })
        .collect();
    let missing = raw.missing.map_or(MissingPolicy::Ineligible, |m| {
        f.missing(&P::k("missing"), &m)
            .unwrap_or(MissingPolicy::Ineligible)
    });
    let thresholds = raw
        .thresholds
        .map_or_else(Thresholds::default, |t| Thresholds {
            composite_min: t.composite_min.map(|n| n.0),
            components: t.components.into_iter().map(|(k, n)| (k, n.0)).collect(),
        });
    let vetoes = raw
        .vetoes
        .into_iter()
        .map(|v| Veto {
            key: v.key,
            label: v.label.trim().to_string(),
            aliases: v.aliases,
        })
        .collect();
    let cooldown_years = raw.cooldown_years.map_or(3, |n| {
        f.whole(&P::k("cooldown_years"), n, limits::scheme::COOLDOWN_YEARS)
            .unwrap_or(3)
    });
    // Rules beyond the limit are read (the check reports the limit once) but their words
    // and numbers are not reported one by one.
    let mut unreported = Found::default();
    let quiet = raw.quotas.len() > limits::scheme::QUOTAS;
    let quotas = raw
        .quotas
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let f = if quiet { &mut unreported } else { &mut *f };
            read_quota(f, &P::k("quotas").i(i), q)
        })
        .collect();
    let scheme = Scheme {
        title: raw
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        year,
        award_title: raw
            .award_title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "模范机关".to_string()),
        unit_types,
        unit_type_aliases,
        tier_aliases,
        daily_share,
        daily_label,
        daily_aliases,
        components,
        missing,
        thresholds,
        vetoes,
        cooldown_years,
        tie_break: raw.tie_break.unwrap_or_default(),
        quotas,
        review: read_review(f, raw.review),
        ballots: read_ballots(f, raw.ballots),
        panel: read_panel(f, raw.panel),
        publicity: read_publicity(f, raw.publicity),
        ledger: read_ledger(f, raw.ledger),
    };
    (scheme, tie_break_at)
}

/// One `[[quotas]]` rule. A rule whose tier or size cannot be read is kept with a
/// stand-in, so that the check still reports its other fields at their index.
fn read_quota(f: &mut Found, path: &P, q: RawQuota) -> QuotaRule {
    let size = match (q.count, q.percent) {
        (Some(n), None) => QuotaSize::Count(
            f.whole(&path.key("count"), n, limits::scheme::SEATS)
                .unwrap_or(0),
        ),
        (None, Some(p)) => QuotaSize::Percent(p.0),
        (Some(_), Some(_)) => {
            f.push(path, "count 与 percent 只能写一个");
            QuotaSize::Count(0)
        }
        (None, None) => {
            f.push(path, "须写 count（名额数）或 percent（比例）之一");
            QuotaSize::Count(0)
        }
    };
    QuotaRule {
        tier: f
            .tier(&path.key("tier"), q.tier.trim())
            .unwrap_or(Tier::Province),
        unit_types: q.unit_types.unwrap_or_else(|| vec!["*".to_string()]),
        group_by: f.group_by(&path.key("group_by"), &q.group_by),
        size,
        rounding: q.rounding.map_or(Rounding::Floor, |w| {
            f.rounding(&path.key("rounding"), &w)
                .unwrap_or(Rounding::Floor)
        }),
        base: q.base.map_or(QuotaBase::Declared, |w| {
            f.base(&path.key("base"), &w).unwrap_or(QuotaBase::Declared)
        }),
        min: q
            .min
            .and_then(|n| f.whole(&path.key("min"), n, limits::scheme::SEATS)),
        max: q
            .max
            .and_then(|n| f.whole(&path.key("max"), n, limits::scheme::SEATS)),
    }
}

/// `[ballots]`, with the defaults of what is not written ([`BallotSettings::default`]).
fn read_ballots(f: &mut Found, raw: Option<RawBallots>) -> BallotSettings {
    let b = raw.unwrap_or_default();
    let default = BallotSettings::default();
    BallotSettings {
        choices: b.choices.map_or(default.choices, |c| {
            c.0.into_iter()
                .map(|(w, n)| (w.trim().to_string(), n.0))
                .collect()
        }),
        not_counted: b.not_counted.map_or(default.not_counted, |words| {
            words.iter().map(|w| w.trim().to_string()).collect()
        }),
        min_valid: b.min_valid.map_or(default.min_valid, |n| {
            f.whole(
                &P::k("ballots").key("min_valid"),
                n,
                limits::scheme::MIN_VALID,
            )
            .unwrap_or(default.min_valid)
        }),
        min_return_rate: b.min_return_rate.map_or(default.min_return_rate, |n| n.0),
    }
}

/// `[panel]`, with the defaults of what is not written ([`PanelSettings::default`]).
fn read_panel(f: &mut Found, raw: Option<RawPanel>) -> PanelSettings {
    let p = raw.unwrap_or_default();
    let default = PanelSettings::default();
    let at = P::k("panel");
    PanelSettings {
        min_judges: p.min_judges.map_or(default.min_judges, |n| {
            f.whole(&at.key("min_judges"), n, limits::scheme::MIN_JUDGES)
                .unwrap_or(default.min_judges)
        }),
        trim: p.trim.map_or(default.trim, |n| {
            f.whole(&at.key("trim"), n, limits::scheme::TRIM)
                .unwrap_or(default.trim)
        }),
    }
}

/// `[publicity]`, with the defaults of what is not written
/// ([`PublicitySettings::default`]: a scheme frozen before the setting existed publicises
/// for five working days, as the committee's rules ask).
fn read_publicity(f: &mut Found, raw: Option<RawPublicity>) -> PublicitySettings {
    let p = raw.unwrap_or_default();
    let default = PublicitySettings::default();
    PublicitySettings {
        working_days: p.working_days.map_or(default.working_days, |n| {
            f.whole(
                &P::k("publicity").key("working_days"),
                n,
                limits::scheme::PUBLICITY_DAYS,
            )
            .unwrap_or(default.working_days)
        }),
    }
}

/// `[ledger]`, with the defaults of what is not written ([`LedgerSettings::default`]: a
/// scheme frozen before the ledger existed gets its defaults).
fn read_ledger(f: &mut Found, raw: Option<RawLedger>) -> LedgerSettings {
    let l = raw.unwrap_or_default();
    let default = LedgerSettings::default();
    LedgerSettings {
        warn_days: l.warn_days.map_or(default.warn_days, |n| {
            f.whole(
                &P::k("ledger").key("warn_days"),
                n,
                limits::scheme::WARN_DAYS,
            )
            .unwrap_or(default.warn_days)
        }),
        overdue_blocks_selection: l
            .overdue_blocks_selection
            .unwrap_or(default.overdue_blocks_selection),
        accountability_blocks: l
            .accountability_blocks
            .map_or(default.accountability_blocks, |v| {
                v.iter().map(|w| w.trim().to_string()).collect()
            }),
    }
}

/// `[review]`, with the defaults of what is not written.
fn read_review(f: &mut Found, raw: Option<RawReview>) -> ReviewSettings {
    use limits::scheme::{COMPLAINTS_TRIGGER, CYCLE_YEARS, RECTIFY_MONTHS};
    let r = raw.unwrap_or_default();
    let p = P::k("review");
    let mut whole = |key: &str, v: Option<i64>, range, default: u32| {
        v.map_or(default, |n| {
            f.whole(&p.key(key), n, range).unwrap_or(default)
        })
    };
    ReviewSettings {
        cycle_years: whole("cycle_years", r.cycle_years, CYCLE_YEARS, 3),
        rectify_months: whole("rectify_months", r.rectify_months, RECTIFY_MONTHS, 6),
        complaints_trigger: whole(
            "complaints_trigger",
            r.complaints_trigger,
            COMPLAINTS_TRIGGER,
            5,
        ),
        retain_min: r.retain_min.map_or(Decimal::from(85), |n| n.0),
        revoke_below: r.revoke_below.map_or(Decimal::from(75), |n| n.0),
        rectification_rate_min: r.rectification_rate_min.map_or(Decimal::new(8, 1), |n| n.0),
    }
}
