//! The TOML form of the scheme and its conversion into a validated [`Scheme`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml_edit::{Item, Value};

use super::*;
use crate::limits::{self, check_plain, quote, TextKind};
use crate::normalize::header_key;
use crate::vocab::{words::tier_key, RETURN_FIELDS};

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    cycle_years: Option<i64>,
    retain_min: Option<Num>,
    revoke_below: Option<Num>,
    rectify_months: Option<i64>,
    complaints_trigger: Option<i64>,
    rectification_rate_min: Option<Num>,
}

/// A step of a key path.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A key path with its display form, built fluently: `P::k("components").i(2).k("weight")`.
#[derive(Debug, Clone, Default)]
struct P(Vec<Seg>);

impl P {
    fn k(name: &str) -> P {
        P(vec![Seg::Key(name.to_string())])
    }
    fn key(&self, name: &str) -> P {
        let mut p = self.clone();
        p.0.push(Seg::Key(name.to_string()));
        p
    }
    fn i(&self, index: usize) -> P {
        let mut p = self.clone();
        p.0.push(Seg::Index(index));
        p
    }
    fn display(&self) -> String {
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

/// Collects issues, locating each key path in the parsed document.
struct Checker<'a> {
    doc: Option<toml_edit::Document<&'a str>>,
    /// The byte offset of each line's start, so that placing an issue is a binary search
    /// rather than a count over the file (100,000 issues made that quadratic).
    line_starts: Vec<usize>,
    issues: Vec<SchemeIssue>,
}

impl<'a> Checker<'a> {
    fn new(text: &'a str) -> Checker<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Checker {
            doc: toml_edit::Document::parse(text).ok(),
            line_starts,
            issues: Vec::new(),
        }
    }

    fn line_of_offset(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
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

    /// An integer within `lo..=hi`, else an issue and `None`.
    fn in_range(&mut self, path: &P, n: i64, (lo, hi): (i64, i64)) -> Option<u32> {
        if (lo..=hi).contains(&n) {
            u32::try_from(n).ok()
        } else {
            self.push(path, format!("{n} 应为 {lo}–{hi} 之间的整数"));
            None
        }
    }

    fn push(&mut self, path: &P, message: impl Into<String>) {
        let span = self
            .doc
            .as_ref()
            .and_then(|d| locate_in_table(d.as_table(), &path.0));
        let line = span.map(|s| self.line_of_offset(s.start));
        self.issues.push(SchemeIssue {
            key: path.display(),
            line,
            message: message.into(),
        });
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
}

fn locate_in_table(t: &toml_edit::Table, path: &[Seg]) -> Option<Range<usize>> {
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
        (Value::InlineTable(t), Some(Seg::Key(k))) => match t.get_key_value(k) {
            Some((key, x)) if path.len() == 1 => key.span().or_else(|| x.span()),
            Some((_, x)) => locate_in_item(x, &path[1..]),
            None => v.span(),
        },
        _ => v.span(),
    }
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

/// A text with its white space removed, as declared unit types are compared.
fn no_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a component's or veto's key is a short identifier; an issue at it when not.
fn key_ok(ck: &mut Checker<'_>, path: &P, key: &str) -> bool {
    let max = limits::scheme::KEY_CHARS;
    if key.chars().take(max + 1).count() > max {
        ck.push(path, format!("键 “{}” 超过{max}个字符", quote(key)));
        return false;
    }
    if !is_identifier(key) {
        ck.push(
            path,
            format!("键 “{key}” 只能用小写英文字母、数字和下划线，并以字母开头"),
        );
        return false;
    }
    true
}

/// The header aliases of a component or veto: a bounded list of short plain texts.
fn aliases_ok(ck: &mut Checker<'_>, path: &P, aliases: &[String]) {
    if ck.list_ok(path, aliases.len(), limits::scheme::ALIASES) {
        ck.texts_ok(path, TextKind::Label, aliases);
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn parse(text: &str) -> Result<Scheme, SchemeError> {
    // Checked before parsing: the parsers hold the whole document in memory several times
    // over (a 100,000-rule scheme took 746 MB).
    if text.len() > limits::SCHEME_FILE_BYTES {
        return Err(SchemeError {
            issues: vec![SchemeIssue {
                key: String::new(),
                line: None,
                message: format!(
                    "评选方案文件过大（{} 字节，最多 {} 字节）",
                    text.len(),
                    limits::SCHEME_FILE_BYTES
                ),
            }],
        });
    }
    let mut ck = Checker::new(text);
    let raw: RawScheme = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let line = e.span().map(|s| ck.line_of_offset(s.start));
            return Err(SchemeError {
                issues: vec![SchemeIssue {
                    key: String::new(),
                    line,
                    message: translate_toml_message(e.message()),
                }],
            });
        }
    };
    let scheme = convert(&mut ck, raw);
    if ck.issues.is_empty() {
        Ok(scheme)
    } else {
        ck.issues.sort_by_key(|i| i.line.unwrap_or(usize::MAX));
        Err(SchemeError { issues: ck.issues })
    }
}

/// Puts serde's and toml's English into Chinese where the form is known.
fn translate_toml_message(m: &str) -> String {
    let m = m.trim();
    if let Some(rest) = m.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("未知的设置项 “{field}”（请检查拼写）");
    }
    if let Some(rest) = m.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return format!("缺少必填项 “{field}”");
    }
    if m.starts_with("invalid type") {
        return format!("取值类型不对（{m}）");
    }
    format!("TOML 格式错误：{m}")
}

/// The top-level settings an array-table entry may have swallowed:
/// (`missing`, `cooldown_years`, `tie_break`).
type Stray = (Option<String>, Option<i64>, Option<Vec<String>>);

/// Moves `missing`, `cooldown_years` and `tie_break` written inside an array-table entry
/// up to the top level; the same setting in two places is an error.
fn hoist(ck: &mut Checker<'_>, raw: &mut RawScheme) -> P {
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
                ck.push(&path.key("missing"), "missing 重复设置");
            }
            raw.missing = Some(m);
        }
        if let Some(c) = cooldown {
            if raw.cooldown_years.is_some() {
                ck.push(&path.key("cooldown_years"), "cooldown_years 重复设置");
            }
            raw.cooldown_years = Some(c);
        }
        if let Some(t) = tie_break {
            if raw.tie_break.is_some() {
                ck.push(&path.key("tie_break"), "tie_break 重复设置");
            }
            raw.tie_break = Some(t);
            tie_break_at = path.key("tie_break");
        }
    }
    tie_break_at
}

fn convert(ck: &mut Checker<'_>, mut raw: RawScheme) -> Scheme {
    let tie_break_at = hoist(ck, &mut raw);
    let tie_break = raw.tie_break.take().unwrap_or_default();
    let year = raw.year.and_then(|y| {
        if (2000..=2100).contains(&y) {
            Some(y as i32)
        } else {
            ck.push(&P::k("year"), format!("年度 {y} 不在 2000–2100 之间"));
            None
        }
    });

    // Unit types.
    let unit_types: Vec<String> = raw
        .unit_types
        .unwrap_or_else(|| DEFAULT_UNIT_TYPES.iter().map(|s| s.to_string()).collect())
        .into_iter()
        .map(|t| t.trim().to_string())
        .collect();
    if unit_types.is_empty() {
        ck.push(&P::k("unit_types"), "单位类型列表不能为空");
    }
    let mut seen = BTreeSet::new();
    if ck.list_ok(
        &P::k("unit_types"),
        unit_types.len(),
        limits::scheme::UNIT_TYPES,
    ) {
        for (i, t) in unit_types.iter().enumerate() {
            let path = P::k("unit_types").i(i);
            if t.is_empty() {
                ck.push(&path, "单位类型不能为空");
            } else if !ck.text_ok(&path, TextKind::UnitType, t) {
            } else if !seen.insert(t.as_str()) {
                ck.push(&path, format!("单位类型 “{t}” 重复"));
            }
        }
    }
    // Unit types as a declared one is compared with them (white space ignored), so that
    // an alias spelled as a canonical type with a space is caught as well.
    let canonical: BTreeSet<String> = unit_types.iter().map(|t| no_spaces(t)).collect();
    let unit_type_set: BTreeSet<&str> = unit_types.iter().map(String::as_str).collect();
    let mut unit_type_aliases = BTreeMap::new();
    if ck.list_ok(
        &P::k("unit_type_aliases"),
        raw.unit_type_aliases.len(),
        limits::scheme::UNIT_TYPE_ALIASES,
    ) {
        for (alias, target) in raw.unit_type_aliases {
            let path = P::k("unit_type_aliases").key(&alias);
            if !ck.text_ok(&path, TextKind::UnitType, &alias) {
                continue;
            }
            if !unit_type_set.contains(target.as_str()) {
                ck.push(
                    &path,
                    format!("别名指向的单位类型 “{}” 不在 unit_types 中", quote(&target)),
                );
            } else if canonical.contains(&no_spaces(&alias)) {
                // A declared type is matched against the canonical types first, so such an
                // alias would never apply: the scheme would say one thing and do another.
                ck.push(
                    &path,
                    format!(
                        "别名 “{}” 本身是 unit_types 中的单位类型，不能再指向 “{target}”",
                        alias.trim()
                    ),
                );
            }
            unit_type_aliases.insert(alias.trim().to_string(), target);
        }
    }

    let tier_aliases = convert_tier_aliases(ck, raw.tier_aliases);

    // Composite.
    let (daily_share, daily_label, daily_aliases) = match raw.composite {
        Some(c) => {
            let share = c.daily_share.map_or(Decimal::ZERO, |n| n.0);
            let path = P::k("composite").key("daily_share");
            ck.places(&path, share);
            if share < Decimal::ZERO || share > Decimal::ONE {
                ck.push(&path, format!("日常考核占比 {share} 应在 0–1 之间"));
            }
            let label = c.daily_label.unwrap_or_else(|| "日常考核".to_string());
            ck.text_ok(
                &P::k("composite").key("daily_label"),
                TextKind::Label,
                &label,
            );
            let aliases_at = P::k("composite").key("daily_aliases");
            if ck.list_ok(&aliases_at, c.daily_aliases.len(), limits::scheme::ALIASES) {
                ck.texts_ok(&aliases_at, TextKind::Label, &c.daily_aliases);
            }
            (share, label, c.daily_aliases)
        }
        None => (Decimal::ZERO, "日常考核".to_string(), Vec::new()),
    };

    // Components.
    if raw.components.is_empty() {
        ck.push(&P::k("components"), "至少要有一个考核项目 [[components]]");
    }
    let mut components = Vec::new();
    let mut keys = BTreeSet::new();
    let mut sum = Decimal::ZERO;
    if !ck.list_ok(
        &P::k("components"),
        raw.components.len(),
        limits::scheme::COMPONENTS,
    ) {
        raw.components.clear();
    }
    for (i, c) in raw.components.into_iter().enumerate() {
        let path = P::k("components").i(i);
        if key_ok(ck, &path.key("key"), &c.key) {
            if c.key == "daily" || c.key == "annual" {
                ck.push(&path.key("key"), format!("键 “{}” 是保留字", c.key));
            } else if !keys.insert(c.key.clone()) {
                ck.push(&path.key("key"), format!("键 “{}” 重复", c.key));
            }
        }
        if c.label.trim().is_empty() {
            ck.push(&path.key("label"), "名称不能为空");
        } else {
            ck.text_ok(&path.key("label"), TextKind::Label, c.label.trim());
        }
        aliases_ok(ck, &path.key("aliases"), &c.aliases);
        ck.places(&path.key("weight"), c.weight.0);
        if c.weight.0 <= Decimal::ZERO {
            ck.push(&path.key("weight"), format!("权重 {} 应大于0", c.weight.0));
        }
        sum += c.weight.0;
        components.push(Component {
            key: c.key,
            label: c.label.trim().to_string(),
            weight: c.weight.0,
            aliases: c.aliases,
        });
    }
    if !components.is_empty() && sum != Decimal::ONE {
        ck.push(
            &P::k("components"),
            format!("各考核项目权重之和应为1，实为 {}", sum.normalize()),
        );
    }

    let missing = match raw.missing.as_deref() {
        None | Some("ineligible") => MissingPolicy::Ineligible,
        Some("reweight") => MissingPolicy::Reweight,
        Some(other) => {
            ck.push(
                &P::k("missing"),
                format!(
                    "“{}” 无效，应为 \"ineligible\" 或 \"reweight\"",
                    quote(other)
                ),
            );
            MissingPolicy::Ineligible
        }
    };

    // Thresholds.
    let mut thresholds = Thresholds::default();
    if let Some(mut t) = raw.thresholds {
        if let Some(n) = t.composite_min {
            ck.score(&P::k("thresholds").key("composite_min"), n.0);
            thresholds.composite_min = Some(n.0);
        }
        let at = P::k("thresholds").key("components");
        if !ck.list_ok(&at, t.components.len(), limits::scheme::COMPONENTS) {
            t.components.clear();
        }
        for (k, n) in t.components {
            let path = at.key(&k);
            if !keys.contains(&k) {
                ck.push(&path, format!("“{}” 不是考核项目的键", quote(&k)));
            }
            ck.score(&path, n.0);
            thresholds.components.insert(k, n.0);
        }
    }

    // Vetoes.
    let mut vetoes = Vec::new();
    if !ck.list_ok(&P::k("vetoes"), raw.vetoes.len(), limits::scheme::VETOES) {
        raw.vetoes.clear();
    }
    for (i, v) in raw.vetoes.into_iter().enumerate() {
        let path = P::k("vetoes").i(i);
        if key_ok(ck, &path.key("key"), &v.key) && !keys.insert(v.key.clone()) {
            ck.push(&path.key("key"), format!("键 “{}” 重复", v.key));
        }
        if v.label.trim().is_empty() {
            ck.push(&path.key("label"), "名称不能为空");
        } else {
            ck.text_ok(&path.key("label"), TextKind::Label, v.label.trim());
        }
        aliases_ok(ck, &path.key("aliases"), &v.aliases);
        vetoes.push(Veto {
            key: v.key,
            label: v.label.trim().to_string(),
            aliases: v.aliases,
        });
    }

    let cooldown_years = raw.cooldown_years.map_or(3, |n| {
        ck.in_range(&P::k("cooldown_years"), n, limits::scheme::COOLDOWN_YEARS)
            .unwrap_or(3)
    });

    // Tie-break keys.
    let mut allowed: BTreeSet<&str> = components.iter().map(|c| c.key.as_str()).collect();
    allowed.insert("daily");
    allowed.insert("annual");
    let mut seen_tb = BTreeSet::new();
    // Each key at most once: a longer list repeats one, and is refused as a whole.
    let tie_break_checked: &[String] = if ck.list_ok(&tie_break_at, tie_break.len(), allowed.len())
    {
        &tie_break
    } else {
        &[]
    };
    for (i, k) in tie_break_checked.iter().enumerate() {
        let path = tie_break_at.i(i);
        if !allowed.contains(k.as_str()) {
            ck.push(
                &path,
                format!(
                    "“{}” 不是可用的排序键（可用：{}）",
                    quote(k),
                    allowed.iter().copied().collect::<Vec<_>>().join("、")
                ),
            );
        } else if !seen_tb.insert(k.as_str()) {
            ck.push(&path, format!("排序键 “{k}” 重复"));
        }
    }

    // Quotas.
    if raw.quotas.is_empty() {
        ck.push(&P::k("quotas"), "至少要有一条名额规则 [[quotas]]");
    }
    let mut quotas = Vec::new();
    if !ck.list_ok(&P::k("quotas"), raw.quotas.len(), limits::scheme::QUOTAS) {
        raw.quotas.clear();
    }
    for (i, q) in raw.quotas.into_iter().enumerate() {
        if let Some(rule) = convert_quota(ck, &P::k("quotas").i(i), q, &unit_types) {
            quotas.push(rule);
        }
    }

    // Review.
    let review = convert_review(ck, raw.review);

    if let Some(t) = &raw.title {
        ck.text_ok(&P::k("title"), TextKind::Title, t.trim());
    }
    if let Some(t) = &raw.award_title {
        ck.text_ok(&P::k("award_title"), TextKind::Title, t.trim());
    }
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
        tie_break,
        quotas,
        review,
    };
    check_alias_clashes(ck, &scheme);
    scheme
}

/// The longest tier word a scheme may add: a tier is named in a word or two, and a
/// longer text is a sentence pasted into the wrong place.
const MAX_TIER_ALIAS_CHARS: usize = 20;

/// Checks `[tier_aliases]` (tier code → words). A word must be non-empty and short and
/// may name only one tier. It may be a built-in word of another tier: the scheme's own
/// words win (区直 is county-level by default, province-level in an autonomous region).
fn convert_tier_aliases(
    ck: &mut Checker<'_>,
    raw: BTreeMap<String, Vec<String>>,
) -> BTreeMap<Tier, Vec<String>> {
    // Normalised word → the tier that claimed it first.
    let mut claimed: HashMap<String, Tier> = HashMap::new();
    let mut out = BTreeMap::new();
    for (code, words) in raw {
        let path = P::k("tier_aliases").key(&code);
        let Some(tier) = Tier::from_code(&code) else {
            ck.push(
                &path,
                format!("层级 “{code}” 无效，应为 province、city 或 county"),
            );
            continue;
        };
        if !ck.list_ok(&path, words.len(), limits::scheme::ALIASES) {
            continue;
        }
        let mut kept = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let at = path.i(i);
            let word = word.trim();
            let key = tier_key(word);
            if key.is_empty() {
                ck.push(&at, "层级别名不能为空");
                continue;
            }
            if !ck.text_ok(&at, TextKind::Label, word) {
                continue;
            }
            if word.chars().count() > MAX_TIER_ALIAS_CHARS {
                ck.push(
                    &at,
                    format!("层级别名 “{word}” 超过{MAX_TIER_ALIAS_CHARS}个字"),
                );
                continue;
            }
            match claimed.get(&key) {
                Some(first) if *first != tier => ck.push(
                    &at,
                    format!(
                        "层级别名 “{word}” 同时属于 {} 和 {}",
                        first.as_str(),
                        tier.as_str()
                    ),
                ),
                Some(_) => ck.push(&at, format!("层级别名 “{word}” 重复")),
                None => {
                    claimed.insert(key, tier);
                    kept.push(word.to_string());
                }
            }
        }
        out.insert(tier, kept);
    }
    out
}

fn convert_quota(
    ck: &mut Checker<'_>,
    path: &P,
    q: RawQuota,
    unit_types: &[String],
) -> Option<QuotaRule> {
    let tier = Tier::from_code(q.tier.trim());
    if tier.is_none() {
        ck.push(
            &path.key("tier"),
            format!(
                "层级 “{}” 无效，应为 province、city 或 county",
                quote(&q.tier)
            ),
        );
    }
    let types = q.unit_types.unwrap_or_else(|| vec!["*".to_string()]);
    if types.is_empty() {
        ck.push(
            &path.key("unit_types"),
            "单位类型不能为空（全部类型请写 [\"*\"]）",
        );
    }
    let types_ok = ck.list_ok(
        &path.key("unit_types"),
        types.len(),
        limits::scheme::UNIT_TYPES,
    );
    for (j, t) in types.iter().enumerate().filter(|_| types_ok) {
        if t != "*" && !unit_types.contains(t) {
            ck.push(
                &path.key("unit_types").i(j),
                format!("单位类型 “{}” 不在 unit_types 中", quote(t)),
            );
        }
    }
    let mut group_by = Vec::new();
    let group_by_ok = ck.list_ok(
        &path.key("group_by"),
        q.group_by.len(),
        limits::scheme::GROUP_BY,
    );
    for (j, g) in q.group_by.iter().enumerate().filter(|_| group_by_ok) {
        let gb = match g.as_str() {
            "region" => Some(GroupBy::Region),
            "unit_type" => Some(GroupBy::UnitType),
            _ => None,
        };
        match gb {
            None => ck.push(
                &path.key("group_by").i(j),
                format!(
                    "分组 “{}” 无效，只能是 \"region\" 和/或 \"unit_type\"",
                    quote(g)
                ),
            ),
            Some(gb) if group_by.contains(&gb) => {
                ck.push(&path.key("group_by").i(j), format!("分组 “{g}” 重复"))
            }
            Some(gb) => group_by.push(gb),
        }
    }
    let size = match (q.count, q.percent) {
        (Some(n), None) => Some(QuotaSize::Count(
            ck.in_range(&path.key("count"), n, limits::scheme::SEATS)
                .unwrap_or(0),
        )),
        (None, Some(p)) => {
            ck.places(&path.key("percent"), p.0);
            if p.0 <= Decimal::ZERO || p.0 > Decimal::ONE_HUNDRED {
                ck.push(
                    &path.key("percent"),
                    format!("比例 {} 应在 0–100 之间（不含0）", p.0),
                );
            }
            Some(QuotaSize::Percent(p.0))
        }
        (Some(_), Some(_)) => {
            ck.push(path, "count 与 percent 只能写一个");
            None
        }
        (None, None) => {
            ck.push(path, "须写 count（名额数）或 percent（比例）之一");
            None
        }
    };
    let rounding = match q.rounding.as_deref() {
        None | Some("floor") => Rounding::Floor,
        Some("round") => Rounding::Round,
        Some("ceil") => Rounding::Ceil,
        Some(other) => {
            ck.push(
                &path.key("rounding"),
                format!(
                    "取整方式 “{}” 无效，应为 floor、round 或 ceil",
                    quote(other)
                ),
            );
            Rounding::Floor
        }
    };
    let base = match q.base.as_deref() {
        None | Some("declared") => QuotaBase::Declared,
        Some("eligible") => QuotaBase::Eligible,
        Some(other) => {
            ck.push(
                &path.key("base"),
                format!("基数 “{}” 无效，应为 declared 或 eligible", quote(other)),
            );
            QuotaBase::Declared
        }
    };
    let min = q
        .min
        .and_then(|n| ck.in_range(&path.key("min"), n, limits::scheme::SEATS));
    let max = q
        .max
        .and_then(|n| ck.in_range(&path.key("max"), n, limits::scheme::SEATS));
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            ck.push(&path.key("min"), format!("min {lo} 大于 max {hi}"));
        }
    }
    Some(QuotaRule {
        tier: tier?,
        unit_types: types,
        group_by,
        size: size?,
        rounding,
        base,
        min,
        max,
    })
}

fn convert_review(ck: &mut Checker<'_>, raw: Option<RawReview>) -> ReviewSettings {
    let r = raw.unwrap_or(RawReview {
        cycle_years: None,
        retain_min: None,
        revoke_below: None,
        rectify_months: None,
        complaints_trigger: None,
        rectification_rate_min: None,
    });
    let p = P::k("review");
    let bounded = |ck: &mut Checker<'_>, key: &str, v: Option<i64>, range, default: u32| {
        v.map_or(default, |n| {
            ck.in_range(&p.key(key), n, range).unwrap_or(default)
        })
    };
    use limits::scheme::{COMPLAINTS_TRIGGER, CYCLE_YEARS, RECTIFY_MONTHS};
    let cycle_years = bounded(ck, "cycle_years", r.cycle_years, CYCLE_YEARS, 3);
    let rectify_months = bounded(ck, "rectify_months", r.rectify_months, RECTIFY_MONTHS, 6);
    let complaints_trigger = bounded(
        ck,
        "complaints_trigger",
        r.complaints_trigger,
        COMPLAINTS_TRIGGER,
        5,
    );
    let retain_min = r.retain_min.map_or(Decimal::from(85), |n| n.0);
    let revoke_below = r.revoke_below.map_or(Decimal::from(75), |n| n.0);
    ck.score(&p.key("retain_min"), retain_min);
    ck.score(&p.key("revoke_below"), revoke_below);
    if revoke_below > retain_min {
        ck.push(
            &p.key("revoke_below"),
            format!("撤销线 {revoke_below} 不能高于保留线 {retain_min}"),
        );
    }
    let rate = r.rectification_rate_min.map_or(Decimal::new(8, 1), |n| n.0);
    ck.places(&p.key("rectification_rate_min"), rate);
    if rate < Decimal::ZERO || rate > Decimal::ONE {
        ck.push(
            &p.key("rectification_rate_min"),
            format!("整改率 {rate} 应在 0–1 之间"),
        );
    }
    ReviewSettings {
        cycle_years,
        retain_min,
        revoke_below,
        rectify_months,
        complaints_trigger,
        rectification_rate_min: rate,
    }
}

/// A header text may name only one field: the aliases of components, vetoes, the daily
/// score and the built-in fields must not clash.
fn check_alias_clashes(ck: &mut Checker<'_>, s: &Scheme) {
    let mut owner: HashMap<String, String> = HashMap::new();
    for f in RETURN_FIELDS {
        for a in f.headers() {
            owner.insert(header_key(a), format!("内置字段 {}", f.key));
        }
    }
    let mut claim = |ck: &mut Checker<'_>, path: P, alias: &str, who: String| {
        let k = header_key(alias);
        if k.is_empty() {
            return;
        }
        match owner.get(&k) {
            Some(prev) if *prev != who => ck.push(
                &path,
                format!("表头别名 “{alias}” 同时属于 {prev} 和 {who}"),
            ),
            _ => {
                owner.insert(k, who);
            }
        }
    };
    let daily = "日常考核".to_string();
    claim(
        ck,
        P::k("composite").key("daily_label"),
        &s.daily_label,
        daily.clone(),
    );
    for (j, a) in s.daily_aliases.iter().enumerate() {
        claim(
            ck,
            P::k("composite").key("daily_aliases").i(j),
            a,
            daily.clone(),
        );
    }
    for (i, c) in s.components.iter().enumerate() {
        let who = format!("考核项目 {}", c.key);
        claim(
            ck,
            P::k("components").i(i).key("label"),
            &c.label,
            who.clone(),
        );
        for (j, a) in c.aliases.iter().enumerate() {
            claim(
                ck,
                P::k("components").i(i).key("aliases").i(j),
                a,
                who.clone(),
            );
        }
    }
    for (i, v) in s.vetoes.iter().enumerate() {
        let who = format!("否决项 {}", v.key);
        claim(ck, P::k("vetoes").i(i).key("label"), &v.label, who.clone());
        for (j, a) in v.aliases.iter().enumerate() {
            claim(ck, P::k("vetoes").i(i).key("aliases").i(j), a, who.clone());
        }
    }
}
