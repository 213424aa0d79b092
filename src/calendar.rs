//! Working days (docs/specification.md §9): Monday to Friday, less the holidays, plus the
//! adjusted working weekend days (调休上班) of each year's official holiday arrangement.
//!
//! The arrangement is data the clerk imports, never code: the State Council's General
//! Office (国务院办公厅) publishes it each year in its notice on the next year's holiday
//! arrangement, and [`import_file`] reads it from a TOML file of `[[years]]` with `year`,
//! `holidays` and `workdays` (docs/calendar.example.toml shows the format). Importing a
//! year replaces that year's arrangement as a whole, in one transaction with its audit
//! row. A year without an arrangement is counted by weekends only, and every count says
//! so ([`missing_warning`]): the clerk sees that a holiday may have been counted as a
//! working day. A single day may also be set or taken off by hand ([`set_day`], the
//! desktop's 设置), each change audited; a year first edited so becomes arranged.
//!
//! [`Calendar`] is the arithmetic, pure once loaded: whether a day is a working day, the
//! last day of a period of N working days, the next working day after a date — each
//! telling which years it needed and found no arrangement for.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use thiserror::Error;
use toml_edit::{Item, TableLike, Value};

use crate::audit::{self, AuditError};
use crate::scheme::toml_error::{Position, TomlProblem};
use crate::store::audit_log::hex;
use crate::store::calendar::{self as table, CalendarDayKind, YearSource};
use crate::store::{Store, StoreError};
use crate::Coded;

/// The years an arrangement may be given for. The arrangements the State Council
/// publishes start long after 1949; the bound only catches a mistyped year.
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2100;

/// The largest arrangement file read (1 MiB): a year's arrangement is a few hundred bytes.
pub const FILE_BYTES: usize = 1 << 20;

/// "未设置2026年节假日安排，仅按周末计算": said wherever days were counted without a year's
/// arrangement.
pub fn missing_warning(year: i32) -> String {
    format!("未设置{year}年节假日安排，仅按周末计算")
}

/// One year's official arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct YearArrangement {
    /// The year.
    pub year: i32,
    /// Days off (放假), in date order; weekend days among them change nothing.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays worked instead (调休上班), in date order.
    pub workdays: Vec<NaiveDate>,
}

/// A period counted in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counted {
    /// The day found: the last working day of the period, or the next working day.
    pub day: NaiveDate,
    /// The years the count went through without an arrangement (counted by weekends only),
    /// ascending.
    pub missing_years: Vec<i32>,
}

impl Counted {
    /// The warnings to show with the count, one per year without an arrangement.
    pub fn warnings(&self) -> Vec<String> {
        self.missing_years
            .iter()
            .map(|y| missing_warning(*y))
            .collect()
    }
}

/// The arrangements known, and the working-day arithmetic over them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Per arranged year: its holidays and its adjusted working days.
    years: BTreeMap<i32, (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)>,
}

impl Calendar {
    /// A calendar of these arrangements (a later one of the same year replaces an earlier).
    pub fn of(arrangements: impl IntoIterator<Item = YearArrangement>) -> Calendar {
        let mut years = BTreeMap::new();
        for a in arrangements {
            years.insert(
                a.year,
                (
                    a.holidays.into_iter().collect(),
                    a.workdays.into_iter().collect(),
                ),
            );
        }
        Calendar { years }
    }

    /// Every arrangement stored.
    pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<Calendar> {
        let mut years: BTreeMap<i32, (BTreeSet<NaiveDate>, BTreeSet<NaiveDate>)> =
            table::years(conn)?
                .into_iter()
                .map(|y| (y, Default::default()))
                .collect();
        for (day, kind) in table::days(conn)? {
            let (holidays, workdays) = years.entry(day.year()).or_default();
            match kind {
                CalendarDayKind::Holiday => holidays.insert(day),
                CalendarDayKind::Workday => workdays.insert(day),
            };
        }
        Ok(Calendar { years })
    }

    /// Whether `year` has an arrangement.
    pub fn has(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `day` is a working day: an adjusted working day, or a Monday to Friday
    /// that is not a holiday.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        match self.years.get(&day.year()) {
            None => weekday,
            Some((holidays, workdays)) => {
                workdays.contains(&day) || (weekday && !holidays.contains(&day))
            }
        }
    }

    /// The years from `from` to `to` (inclusive) without an arrangement.
    fn missing_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year())
            .filter(|y| !self.has(*y))
            .collect()
    }

    /// The last day of a period of `n` working days counted from `from` (`from` itself
    /// counts when it is a working day; a period starting on a holiday starts counting at
    /// the next working day). `n` of 0 is taken as 1: a period has at least one day.
    pub fn last_of(&self, from: NaiveDate, n: u32) -> Counted {
        let mut left = n.max(1);
        let mut day = from;
        loop {
            if self.is_working_day(day) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            day = day.succ_opt().unwrap_or(day);
        }
        Counted {
            day,
            missing_years: self.missing_between(from, day),
        }
    }

    /// The first working day after `day`.
    pub fn next_working_day_after(&self, day: NaiveDate) -> Counted {
        let next = day.succ_opt().unwrap_or(day);
        let found = self.last_of(next, 1);
        Counted {
            missing_years: self.missing_between(day, found.day),
            ..found
        }
    }

    /// The working days of `year` (for `calendar show`).
    pub fn working_days_in(&self, year: i32) -> u32 {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return 0;
        };
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

/// One problem of an arrangement file, at its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarIssue {
    /// Key path, e.g. `years[0].holidays[2]` (empty for a syntax error).
    pub key: String,
    /// Line (1-based), where known.
    pub line: Option<usize>,
    /// Column (1-based, in characters), for a syntax error.
    pub column: Option<usize>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl std::fmt::Display for CalendarIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column, self.key.is_empty()) {
            (Some(l), Some(c), _) => write!(f, "第{l}行第{c}列：{}", self.message),
            (Some(l), None, false) => write!(f, "第{l}行 {}：{}", self.key, self.message),
            (Some(l), None, true) => write!(f, "第{l}行：{}", self.message),
            (None, _, false) => write!(f, "{}：{}", self.key, self.message),
            (None, _, true) => f.write_str(&self.message),
        }
    }
}

/// Errors of the calendar.
#[derive(Debug, Error)]
pub enum CalendarError {
    /// The file could not be read.
    #[error("无法读取节假日安排文件 {path}：{message}")]
    File {
        /// The file as given.
        path: String,
        /// Why.
        message: String,
    },
    /// The file is not a valid arrangement; nothing was imported.
    #[error(
        "节假日安排文件 {file} 有误，未导入：{}",
        .issues.iter().map(ToString::to_string).collect::<Vec<_>>().join("；")
    )]
    Invalid {
        /// The file's name.
        file: String,
        /// Every problem, in file order.
        issues: Vec<CalendarIssue>,
    },
    /// A year outside [`YEARS`] was asked for.
    #[error("年份 {0} 无效，应在 1949–2100 之间")]
    Year(i32),
    /// An adjusted working day that is not a Saturday or Sunday.
    #[error("{0} 是{1}，本来就是工作日；调休上班日应为星期六或星期日")]
    NotWeekend(NaiveDate, &'static str),
    /// Taking off a day the arrangement does not list.
    #[error("{0} 不在{1}年的节假日安排中")]
    NotListed(NaiveDate, i32),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
}

impl From<rusqlite::Error> for CalendarError {
    fn from(e: rusqlite::Error) -> Self {
        CalendarError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for CalendarError {
    fn code(&self) -> &'static str {
        match self {
            CalendarError::File { .. } => "calendar.file",
            CalendarError::Invalid { .. } => "calendar.invalid",
            CalendarError::Year(_) => "calendar.year",
            CalendarError::NotWeekend(..) => "calendar.not_weekend",
            CalendarError::NotListed(..) => "calendar.not_listed",
            CalendarError::Store(e) => e.code(),
            CalendarError::Audit(e) => e.code(),
        }
    }
}

/// Places issues on the lines of the text.
struct Issues<'a> {
    text: &'a str,
    found: Vec<CalendarIssue>,
}

impl Issues<'_> {
    fn push(&mut self, key: String, span: Option<Range<usize>>, message: impl Into<String>) {
        self.found.push(CalendarIssue {
            key,
            line: span.map(|s| Position::of(self.text, s.start).line),
            column: None,
            message: message.into(),
        });
    }
}

/// A date as the file may give it: a TOML date (`2026-10-01`) or an ISO date string
/// (`"2026-10-01"`).
fn date_of(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Datetime(d) => {
            let d = d.value();
            match (d.date, d.time, d.offset) {
                (Some(date), None, None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ),
                _ => None,
            }
        }
        Value::String(s) => NaiveDate::parse_from_str(s.value().trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn weekday_label(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// Reads the dates of `years[i].<key>` (a list), each checked to lie in `year`.
fn read_dates(
    out: &mut Issues<'_>,
    path: &str,
    item: &Item,
    key_span: Option<Range<usize>>,
    year: Option<i32>,
) -> Vec<(NaiveDate, Option<Range<usize>>, String)> {
    let Some(list) = item.as_array() else {
        out.push(
            path.to_string(),
            item.span().or(key_span),
            "应为日期列表，如 [2026-10-01, 2026-10-02]",
        );
        return Vec::new();
    };
    let mut dates = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        match date_of(v) {
            None => out.push(
                at,
                v.span(),
                "应为日期，写作 2026-10-01 或 \"2026-10-01\"（年-月-日）",
            ),
            Some(d) if year.is_some_and(|y| d.year() != y) => out.push(
                at,
                v.span(),
                format!("{d} 不在{}年内", year.unwrap_or_default()),
            ),
            Some(d) => dates.push((d, v.span(), at)),
        }
    }
    dates
}

/// Reads one `[[years]]` entry.
fn read_year(
    out: &mut Issues<'_>,
    i: usize,
    t: &dyn TableLike,
    span: Option<Range<usize>>,
) -> Option<YearArrangement> {
    let path = format!("years[{i}]");
    let key_span = |k: &str| t.key(k).and_then(|k| k.span());
    for (k, _) in t.iter() {
        if !matches!(k, "year" | "holidays" | "workdays") {
            out.push(
                format!("{path}.{k}"),
                key_span(k),
                format!("未知的设置项 “{k}”（应为 year、holidays 或 workdays）"),
            );
        }
    }
    let year = match t.get("year") {
        None => {
            out.push(path.clone(), span, "缺少 year（年份）");
            None
        }
        Some(item) => match item.as_integer().and_then(|y| i32::try_from(y).ok()) {
            Some(y) if YEARS.contains(&y) => Some(y),
            _ => {
                out.push(
                    format!("{path}.year"),
                    item.span().or(key_span("year")),
                    "年份应为 1949–2100 之间的整数",
                );
                None
            }
        },
    };
    let mut lists = Vec::new();
    for key in ["holidays", "workdays"] {
        let dates = match t.get(key) {
            None => Vec::new(),
            Some(item) => read_dates(out, &format!("{path}.{key}"), item, key_span(key), year),
        };
        lists.push(dates);
    }
    let workdays = lists.pop().unwrap_or_default();
    let holidays = lists.pop().unwrap_or_default();
    let mut seen: BTreeMap<NaiveDate, &'static str> = BTreeMap::new();
    for (kind, dates) in [("放假日", &holidays), ("调休上班日", &workdays)] {
        for (d, at_span, at) in dates {
            match seen.get(d) {
                Some(earlier) if *earlier == kind => {
                    out.push(at.clone(), at_span.clone(), format!("日期 {d} 重复"));
                }
                Some(earlier) => out.push(
                    at.clone(),
                    at_span.clone(),
                    format!("{d} 已列为{earlier}，不能同时是{kind}"),
                ),
                None => {
                    seen.insert(*d, kind);
                }
            }
        }
    }
    for (d, at_span, at) in &workdays {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            out.push(
                at.clone(),
                at_span.clone(),
                format!(
                    "{d} 是{}，本来就是工作日；调休上班日应为星期六或星期日",
                    weekday_label(*d)
                ),
            );
        }
    }
    let dates = |list: Vec<(NaiveDate, Option<Range<usize>>, String)>| -> Vec<NaiveDate> {
        let set: BTreeSet<NaiveDate> = list.into_iter().map(|(d, _, _)| d).collect();
        set.into_iter().collect()
    };
    Some(YearArrangement {
        year: year?,
        holidays: dates(holidays),
        workdays: dates(workdays),
    })
}

/// Reads an arrangement file's text: every problem at its key and line, in Chinese.
pub fn parse(text: &str) -> Result<Vec<YearArrangement>, Vec<CalendarIssue>> {
    let doc = match toml_edit::Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let at = e.span().map(|s| Position::of(text, s.start));
            return Err(vec![CalendarIssue {
                key: String::new(),
                line: at.map(|p| p.line),
                column: at.map(|p| p.column),
                message: TomlProblem::of(e.message()).to_string(),
            }]);
        }
    };
    let mut out = Issues {
        text,
        found: Vec::new(),
    };
    let root = doc.as_table();
    for (k, _) in root.iter() {
        if k != "years" {
            out.push(
                k.to_string(),
                root.key(k).and_then(|k| k.span()),
                format!("未知的设置项 “{k}”（应为 [[years]]）"),
            );
        }
    }
    let mut years: Vec<YearArrangement> = Vec::new();
    let mut entries: Vec<(&dyn TableLike, Option<Range<usize>>)> = Vec::new();
    match root.get("years") {
        None => out.push(
            String::new(),
            None,
            "没有任何年份的安排：每年写一个 [[years]]，含 year、holidays 和 workdays",
        ),
        Some(Item::ArrayOfTables(a)) => {
            entries.extend(a.iter().map(|t| (t as &dyn TableLike, t.span())));
        }
        Some(Item::Value(Value::Array(a))) if a.iter().all(|v| v.is_inline_table()) => {
            entries.extend(
                a.iter()
                    .filter_map(|v| v.as_inline_table().map(|t| (t as &dyn TableLike, v.span()))),
            );
        }
        Some(other) => out.push(
            "years".to_string(),
            other.span().or(root.key("years").and_then(|k| k.span())),
            "应写作 [[years]] 表，每年一个",
        ),
    }
    for (i, (t, span)) in entries.into_iter().enumerate() {
        if let Some(a) = read_year(&mut out, i, t, span.clone()) {
            if years.iter().any(|y| y.year == a.year) {
                out.push(
                    format!("years[{i}].year"),
                    t.get("year").and_then(|y| y.span()).or(span),
                    format!("{}年的安排重复", a.year),
                );
            } else {
                years.push(a);
            }
        }
    }
    if out.found.is_empty() {
        Ok(years)
    } else {
        out.found.sort_by_key(|i| i.line.unwrap_or(usize::MAX));
        Err(out.found)
    }
}

/// What importing an arrangement did for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedYear {
    /// The year.
    pub year: i32,
    /// Its holidays.
    pub holidays: usize,
    /// Its adjusted working days.
    pub workdays: usize,
    /// Whether it replaced an earlier arrangement of the year.
    pub replaced: bool,
}

/// Reads a file of at most [`FILE_BYTES`] as UTF-8 text.
fn read_text(path: &Path) -> Result<String, CalendarError> {
    use std::io::Read;
    let fail = |message: String| CalendarError::File {
        path: path.display().to_string(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(crate::atomic::io_words(&e)))?;
    let mut bytes = Vec::new();
    file.take(FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(crate::atomic::io_words(&e)))?;
    if bytes.len() > FILE_BYTES {
        return Err(fail(format!("文件过大（超过 {FILE_BYTES} 字节）")));
    }
    String::from_utf8(bytes).map_err(|_| fail("不是 UTF-8 编码的文本".to_string()))
}

/// Imports the arrangement file at `path`: every year it gives replaces that year's
/// arrangement, all in one transaction with one `calendar.import` audit row (file name,
/// SHA-256, and per year its counts and whether it replaced one). A file with any problem
/// imports nothing.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    operator: &str,
) -> Result<Vec<ImportedYear>, CalendarError> {
    let text = read_text(path)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    import_text(store, &file_name, &text, operator)
}

/// [`import_file`] of a text already read, named `file_name`.
pub fn import_text(
    store: &mut Store,
    file_name: &str,
    text: &str,
    operator: &str,
) -> Result<Vec<ImportedYear>, CalendarError> {
    let years = parse(text).map_err(|issues| CalendarError::Invalid {
        file: file_name.to_string(),
        issues,
    })?;
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let mut done = Vec::new();
    for y in &years {
        let mut days: Vec<(NaiveDate, CalendarDayKind)> = y
            .holidays
            .iter()
            .map(|d| (*d, CalendarDayKind::Holiday))
            .chain(y.workdays.iter().map(|d| (*d, CalendarDayKind::Workday)))
            .collect();
        days.sort();
        let replaced = table::replace_year(
            &tx,
            &YearSource {
                year: y.year,
                file_name: file_name.to_string(),
                sha256: sha256.clone(),
                imported_at: now.clone(),
                operator: operator.to_string(),
            },
            &days,
        )?;
        done.push(ImportedYear {
            year: y.year,
            holidays: y.holidays.len(),
            workdays: y.workdays.len(),
            replaced,
        });
    }
    audit::append(
        &tx,
        operator,
        "calendar.import",
        &json!({ "file": file_name, "sha256": sha256, "years": done }),
    )?;
    tx.commit()?;
    Ok(done)
}

/// A year's arrangement as `calendar show` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct YearView {
    /// The year.
    pub year: i32,
    /// Whether it has an arrangement.
    pub arranged: bool,
    /// Its holidays (empty without an arrangement).
    pub holidays: Vec<NaiveDate>,
    /// Its adjusted working days.
    pub workdays: Vec<NaiveDate>,
    /// Working days in the year, as counted.
    pub working_days: u32,
    /// The file it came from, when arranged.
    pub file_name: Option<String>,
    /// That file's SHA-256.
    pub sha256: Option<String>,
    /// When it was imported.
    pub imported_at: Option<String>,
    /// [`missing_warning`] when the year has no arrangement.
    pub warning: Option<String>,
}

/// The arrangement of `year`, or that it has none.
pub fn show(store: &Store, year: i32) -> Result<YearView, CalendarError> {
    if !YEARS.contains(&year) {
        return Err(CalendarError::Year(year));
    }
    let conn = store.conn();
    let calendar = Calendar::load(conn)?;
    let source = table::source_of(conn, year)?;
    let (holidays, workdays) = calendar
        .years
        .get(&year)
        .map(|(h, w)| (h.iter().copied().collect(), w.iter().copied().collect()))
        .unwrap_or_default();
    Ok(YearView {
        year,
        arranged: source.is_some(),
        holidays,
        workdays,
        working_days: calendar.working_days_in(year),
        warning: source.is_none().then(|| missing_warning(year)),
        file_name: source.as_ref().map(|s| s.file_name.clone()),
        sha256: source.as_ref().map(|s| s.sha256.clone()),
        imported_at: source.map(|s| s.imported_at),
    })
}

/// The file name a year first arranged by hand is recorded with.
pub const BY_HAND: &str = "（手工录入）";

/// Sets `day` of its year's arrangement by hand: listed as `kind` (a holiday, or a worked
/// Saturday or Sunday), or taken off the list with `None`. A year without an arrangement
/// becomes arranged by its first day set (recorded as [`BY_HAND`]), so that its other
/// days then count as plain weekdays and weekends. One `calendar.edit` audit row, in the
/// same transaction, gives the day, what it was and what it is. Returns the year as it
/// now stands.
pub fn set_day(
    store: &mut Store,
    day: NaiveDate,
    kind: Option<CalendarDayKind>,
    operator: &str,
) -> Result<YearView, CalendarError> {
    let year = day.year();
    if !YEARS.contains(&year) {
        return Err(CalendarError::Year(year));
    }
    if kind == Some(CalendarDayKind::Workday)
        && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    {
        return Err(CalendarError::NotWeekend(day, weekday_label(day)));
    }
    let tx = store.conn_mut().transaction()?;
    let before = table::kind_of(&tx, day)?;
    match kind {
        Some(kind) => {
            table::arrange_year(
                &tx,
                &YearSource {
                    year,
                    file_name: BY_HAND.to_string(),
                    sha256: String::new(),
                    imported_at: crate::now_string(),
                    operator: operator.to_string(),
                },
            )?;
            table::set_day(&tx, day, kind)?;
        }
        None => {
            if !table::remove_day(&tx, day)? {
                return Err(CalendarError::NotListed(day, year));
            }
        }
    }
    audit::append(
        &tx,
        operator,
        "calendar.edit",
        &json!({ "day": day, "before": before, "after": kind }),
    )?;
    tx.commit()?;
    show(store, year)
}

#[cfg(test)]
mod tests;
