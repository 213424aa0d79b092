//! Parsers for the values found in return cells (docs/specification.md §3): scores, counts, veto
//! flags, dates and text, from numeric or text cells, full width or half width.
//!
//! Each parser returns `Ok(None)` for a blank cell and `Err(problem)` with a Chinese
//! description of what is wrong.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::normalize::is_space;
use crate::uscc::UsccProblem;

/// A cell value as read from any workbook format.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Blank.
    Empty,
    /// An integer (.xls and .ods give these for whole numbers).
    Int(i64),
    /// A floating-point number (.xlsx gives these for every number).
    Float(f64),
    /// A number formatted as a percentage, as stored: 0.955 for a cell showing 95.5%.
    Percent(f64),
    /// Text as the cell holds it (not yet trimmed or normalised).
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A date or date-time cell.
    Date(chrono::NaiveDateTime),
    /// An error value such as `#N/A`.
    Error(String),
}

impl Cell {
    /// Whether the cell is blank or holds only white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.chars().all(is_space),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Percent(f) => match percent_points(*f) {
                Some(d) => format!("{d}%"),
                None => format!("{}%", f * 100.0),
            },
            Cell::Text(s) => s.clone(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// The largest number of decimal places a score may carry.
pub const MAX_PLACES: u32 = 4;

/// The places a plain number in [0, 1] may carry until its column is known: a fraction
/// column is scaled by 100, which takes two of them (0.89995 → 89.995).
pub const FRACTION_PLACES: u32 = MAX_PLACES + 2;

/// Appends `d` exactly as `d.to_string()` writes it (every place of its scale: 95.50 stays
/// "95.50"), without the formatting machinery: an import writes each stored return's
/// scores as text, and `Decimal`'s `Display` was a tenth of the writer's time.
pub fn push_decimal(buf: &mut String, d: Decimal) {
    let Ok(mut m) = u64::try_from(d.mantissa()) else {
        // Negative values (never a score) and mantissas past 64 bits: the library's way.
        buf.push_str(&d.to_string());
        return;
    };
    if d.is_sign_negative() {
        buf.push_str(&d.to_string()); // a negative zero ("-0")
        return;
    }
    let scale = d.scale() as usize;
    // Digits from the last; at least one, and at least `scale` (leading zeros of a
    // fraction below one).
    let mut digits = [b'0'; 32];
    let mut n = 0;
    loop {
        digits[n] = b'0' + (m % 10) as u8;
        n += 1;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    let n = n.max(scale);
    let whole = n - scale;
    if whole == 0 {
        buf.push('0');
    }
    for (i, &c) in digits[..n].iter().rev().enumerate() {
        if i == whole {
            buf.push('.');
        }
        buf.push(char::from(c));
    }
}

/// The exact decimal a float stands for as Excel shows it: the shortest decimal that
/// reads back as the same float (0.955, not 0.95499999999999996).
fn exact(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // A whole number (every count, many scores) is its own shortest decimal; below 2^53
    // every whole float converts to i64 exactly. Zero is left to the text path, which
    // keeps the sign of -0 as it always did.
    if f.fract() == 0.0 && f != 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return Some(Decimal::from(f as i64));
    }
    if let Some(d) = few_places(f) {
        return Some(d);
    }
    // The shortest decimal text, written on the stack: most score cells are such floats,
    // and a heap string grown for each was a measurable share of the reading.
    let mut text = StackText {
        buf: [0; 40],
        len: 0,
    };
    if std::fmt::Write::write_fmt(&mut text, format_args!("{f}")).is_ok() {
        if let Ok(d) = Decimal::from_str(text.as_str()) {
            return Some(d);
        }
    }
    Decimal::from_str(&f.to_string())
        .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
        .ok()
}

/// The decimal of at most [`FEW_PLACES`] places that reads back as `f`, found by
/// arithmetic instead of formatting (a score such as 93.47 is most of the floats a return
/// holds, and writing its shortest text cost about a thousand instructions), or `None`
/// when it has more places, is zero, or is too large for the arithmetic to be exact.
///
/// `m = round(f·10^k)` for the fewest places `k` whose `m / 10^k` is `f` again: that
/// division of two exactly held numbers is correctly rounded, so equality means the
/// decimal `m·10^-k` reads back as `f`. While `|f|·10^k` stays below 2^50, the product's
/// error and the distance from `f` to that decimal are each under an eighth of a unit of
/// `m`, so the rounding finds it, and one step of 10^-k spans more than twice the float's
/// spacing, so no other decimal of `k` places reads back as `f` (nor one of fewer: they
/// were tried first). It is therefore the value and scale of the shortest decimal text,
/// which [`exact`]'s text path parses.
fn few_places(f: f64) -> Option<Decimal> {
    const EXACT_BELOW: f64 = (1u64 << 50) as f64;
    if f == 0.0 {
        return None;
    }
    let mut scale = 1.0;
    for k in 0..=FEW_PLACES {
        let shifted = f * scale;
        if shifted.abs() >= EXACT_BELOW {
            return None;
        }
        let m = shifted.round();
        if m / scale == f {
            return Some(Decimal::new(m as i64, k));
        }
        scale *= 10.0;
    }
    None
}

/// The most places [`few_places`] finds a float's decimal with.
const FEW_PLACES: u32 = 8;

/// A short text written without allocating: long enough for any float a decimal can hold
/// (28 digits, a sign and a point); a longer one fails to write and [`exact`] takes the
/// heap path.
struct StackText {
    buf: [u8; 40],
    len: usize,
}

impl StackText {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Rounds away the binary noise of formulas (28.650000000000002 → 28.65) to `places`; a
/// value that really has more places is refused.
fn round_noise(d: Decimal, places: u32) -> Result<Decimal, String> {
    if d.scale() <= places {
        return Ok(d.normalize());
    }
    let r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    if (d - r).abs() < Decimal::new(1, 9) {
        Ok(r.normalize())
    } else {
        Err(format!("最多保留{MAX_PLACES}位小数"))
    }
}

/// Converts a float read from a workbook to an exact decimal with at most four places.
/// Binary noise from formulas (28.650000000000002) is removed; a value that really has
/// more places is refused.
pub fn decimal_from_f64(f: f64) -> Result<Decimal, String> {
    let d = exact(f).ok_or_else(|| "不是有效数字".to_string())?;
    round_noise(d, MAX_PLACES)
}

/// The percentage a percent cell shows, as a number of points (0.955 → 95.5), computed
/// exactly from the stored fraction.
fn percent_points(f: f64) -> Option<Decimal> {
    exact(f)?
        .checked_mul(Decimal::ONE_HUNDRED)
        .map(|d| d.normalize())
}

/// Text with width folded and all white space removed.
pub(crate) fn compact(s: &str) -> String {
    // One pass, one allocation: every row of every file goes through here. Sized up
    // front: collecting a filtered iterator grew the string a few bytes at a time.
    let mut out = String::with_capacity(s.len());
    out.extend(compact_chars(s));
    out
}

/// The characters of [`compact`]'s text, without making it.
pub(crate) fn compact_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .map(crate::normalize::fold_char)
        .filter(|c| !is_space(*c))
}

/// Whether [`compact`]`(s)` starts with `prefix`, without making it: every row's first
/// and name cells are asked this of each total and note word.
pub(crate) fn compact_starts_with(s: &str, prefix: &str) -> bool {
    let mut chars = compact_chars(s);
    prefix.chars().all(|p| chars.next() == Some(p))
}

/// A decimal written as text, with at most `places` decimal places.
fn decimal_from_text(t: &str, places: u32) -> Result<Decimal, String> {
    let valid = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && t.chars().filter(|c| *c == '.').count() <= 1;
    if !valid {
        return Err("不是有效的数字".into());
    }
    let d = Decimal::from_str(t).map_err(|_| "不是有效的数字".to_string())?;
    if d.scale() > places {
        return Err(format!("最多保留{MAX_PLACES}位小数"));
    }
    Ok(d.normalize())
}

/// The places a plain (not percent) number may carry when read: a value in [0, 1] may
/// yet be a fraction to be scaled ([`FRACTION_PLACES`]), any other is a score as it is.
fn plain_places(d: Decimal) -> u32 {
    if d.abs() <= Decimal::ONE {
        FRACTION_PLACES
    } else {
        MAX_PLACES
    }
}

/// A score as read from one cell, before the rules that need its whole column (a column
/// of fractions is scaled by 100; a fraction among scores above 1 is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// The value. A percentage is already in points (95.5% → 95.5); a plain number is as
    /// written (0.955 stays 0.955 until its column is known), and while it lies in
    /// [0, 1] it may carry up to [`FRACTION_PLACES`] places.
    pub value: Decimal,
    /// Whether the cell says it holds a percentage: a number formatted as one, or text
    /// ending in %.
    pub percent: bool,
}

impl Score {
    /// A plain score (neither percent-formatted nor written with %).
    pub fn plain(value: Decimal) -> Score {
        Score {
            value,
            percent: false,
        }
    }
}

/// A score displays as its value.
impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

/// A score from 0 to 100: a number, a percent-formatted number (0.955 shown as 95.5% is
/// 95.5), or text such as "95", "95.5分", "９５．５", "95%". Whether a plain value in
/// [0, 1] is a fraction to be scaled is decided per column by the caller, and so is the
/// four-place limit of such a value (it applies to the score after scaling).
pub fn parse_score(cell: &Cell) -> Result<Option<Score>, String> {
    let score = match cell {
        Cell::Empty => return Ok(None),
        Cell::Int(i) => Score::plain(Decimal::from(*i)),
        Cell::Float(f) => {
            let d = exact(*f).ok_or_else(|| "不是有效数字".to_string())?;
            Score::plain(round_noise(d, plain_places(d))?)
        }
        Cell::Percent(f) => {
            let d = percent_points(*f).ok_or_else(|| "不是有效数字".to_string())?;
            Score {
                value: round_noise(d, MAX_PLACES)?,
                percent: true,
            }
        }
        Cell::Text(s) => {
            let t = compact(s);
            if t.is_empty() {
                return Ok(None);
            }
            let t = t.strip_suffix('分').unwrap_or(&t);
            let (t, percent) = match t.strip_suffix('%') {
                Some(t) => (t, true),
                None => (t, false),
            };
            let bad = |_| "不是有效的分数".to_string();
            let d = decimal_from_text(t, u32::MAX).map_err(bad)?;
            let places = if percent { MAX_PLACES } else { plain_places(d) };
            if d.scale() > places {
                return Err(format!("最多保留{MAX_PLACES}位小数"));
            }
            Score { value: d, percent }
        }
        Cell::Bool(_) | Cell::Date(_) => return Err("不是有效的分数".into()),
        Cell::Error(e) => return Err(format!("单元格为错误值 {e}")),
    };
    if score.value < Decimal::ZERO || score.value > Decimal::ONE_HUNDRED {
        return Err("分数应在0–100之间".into());
    }
    Ok(Some(score))
}

/// A non-negative whole number ("3", "3个", 3.0).
pub fn parse_count(cell: &Cell) -> Result<Option<i64>, String> {
    let d = match cell {
        Cell::Empty => return Ok(None),
        Cell::Int(i) => Decimal::from(*i),
        Cell::Float(f) => decimal_from_f64(*f).map_err(|_| "不是有效的整数".to_string())?,
        Cell::Text(s) => {
            let t = compact(s);
            if t.is_empty() {
                return Ok(None);
            }
            let t = t.trim_end_matches(['个', '项', '件', '条', '次', '家']);
            decimal_from_text(t, MAX_PLACES).map_err(|_| "不是有效的整数".to_string())?
        }
        // A count shown as a percentage (300%) is not the whole number the clerk meant.
        Cell::Percent(_) => return Err("应为整数，不应设为百分比格式".into()),
        Cell::Bool(_) | Cell::Date(_) => return Err("不是有效的整数".into()),
        Cell::Error(e) => return Err(format!("单元格为错误值 {e}")),
    };
    if !d.fract().is_zero() {
        return Err("应为整数".into());
    }
    if d < Decimal::ZERO {
        return Err("不能为负数".into());
    }
    i64::try_from(d).map(Some).map_err(|_| "数字过大".into())
}

/// A veto flag: 是/否, 有/无, Y/N, yes/no, √/×, ✓, 1/0, TRUE/FALSE; blank is 否.
pub fn parse_flag(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Empty => Ok(false),
        Cell::Bool(b) => Ok(*b),
        Cell::Int(0) => Ok(false),
        Cell::Int(1) => Ok(true),
        Cell::Float(f) if *f == 0.0 => Ok(false),
        Cell::Float(f) if *f == 1.0 => Ok(true),
        Cell::Text(s) => {
            // Most cells hold a word as listed (否, 是): each is its own compacted,
            // lower-cased form, so it is found without the two copies.
            if let Some(flag) = flag_word(s) {
                return Ok(flag);
            }
            flag_word(&compact(s).to_lowercase()).ok_or_else(|| "应填“是”或“否”".into())
        }
        Cell::Error(e) => Err(format!("单元格为错误值 {e}")),
        _ => Err("应填“是”或“否”".into()),
    }
}

/// The flag a veto word stands for (compacted and lower-cased), `None` for any other text.
fn flag_word(t: &str) -> Option<bool> {
    match t {
        "" | "否" | "无" | "n" | "no" | "×" | "✗" | "✘" | "x" | "0" | "false" | "没有" => {
            Some(false)
        }
        "是" | "有" | "y" | "yes" | "√" | "✓" | "✔" | "1" | "true" => Some(true),
        _ => None,
    }
}

/// Excel's serial day 0 in the 1900 system, as Excel counts (with its 1900 leap-day bug).
fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(days))
}

/// A date: a date cell, an Excel serial number, or text 2024-03-01, 2024/3/1, 2024.3.1,
/// 2024年3月1日, 2024年3月 (the 1st), 20240301.
pub fn parse_date(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    const BAD: &str = "不是有效的日期（如 2024-03-01 或 2024年3月1日）";
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(d.date())),
        Cell::Int(i) => excel_serial_to_date(*i as f64)
            .map(Some)
            .ok_or_else(|| BAD.into()),
        Cell::Float(f) => excel_serial_to_date(*f).map(Some).ok_or_else(|| BAD.into()),
        Cell::Text(s) => {
            let t = compact(s);
            if t.is_empty() {
                return Ok(None);
            }
            parse_date_text(&t).map(Some).ok_or_else(|| BAD.into())
        }
        Cell::Error(e) => Err(format!("单元格为错误值 {e}")),
        Cell::Bool(_) | Cell::Percent(_) => Err(BAD.into()),
    }
}

fn parse_date_text(t: &str) -> Option<NaiveDate> {
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(t, "%Y%m%d").ok();
    }
    // Split into numbers on any of the separators, remembering a trailing 日/号.
    let t = t.trim_end_matches(['日', '号']);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    let nums = nums?;
    match nums.as_slice() {
        [y, m, d] if *y >= 1000 => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        [y, m] if *y >= 1000 && t.contains('年') => NaiveDate::from_ymd_opt(*y as i32, *m, 1),
        _ => None,
    }
}

/// A year such as 2023, "2023", "2023年", "2023年度".
pub fn parse_year(cell: &Cell) -> Result<Option<i32>, String> {
    const BAD: &str = "不是有效的年度（如 2023）";
    let y = match cell {
        Cell::Empty => return Ok(None),
        Cell::Int(i) => *i,
        Cell::Float(f) if f.fract() == 0.0 => *f as i64,
        Cell::Date(d) => i64::from(d.year()),
        Cell::Text(s) => {
            let t = compact(s);
            if t.is_empty() {
                return Ok(None);
            }
            let t = t.trim_end_matches('度').trim_end_matches('年');
            t.parse().map_err(|_| BAD.to_string())?
        }
        _ => return Err(BAD.into()),
    };
    if (1949..=2100).contains(&y) {
        Ok(Some(y as i32))
    } else {
        Err(BAD.into())
    }
}

/// Text of a cell with white space folded; numbers are written plainly (no ".0").
pub fn parse_text(cell: &Cell) -> Option<String> {
    // A text cell is folded from where it lies: copying it first (`display`) would cost
    // one more allocation per text cell read.
    let s = match cell {
        Cell::Text(t) => crate::normalize::fold_spaces(t),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            crate::normalize::fold_spaces(&format!("{}", *f as i64))
        }
        other => crate::normalize::fold_spaces(&other.display()),
    };
    (!s.is_empty()).then_some(s)
}

/// Text of a cell as [`parse_text`] gives it, refused when longer than its kind allows
/// ([`crate::limits`]): stored whole or not at all, never cut short.
pub fn parse_bounded_text(
    cell: &Cell,
    kind: crate::limits::TextKind,
) -> Result<Option<String>, String> {
    match parse_text(cell) {
        Some(t) => crate::limits::check_len(kind, &t).map(|()| Some(t)),
        None => Ok(None),
    }
}

/// A unified social credit code: the text of the cell, normalised and validated. A code
/// held by a number cell has lost its last digits (Excel keeps 15 significant digits,
/// a code has 18), so it is refused as such rather than checked — its check digit would
/// only point at another, valid-looking code.
pub fn parse_uscc(cell: &Cell) -> Result<Option<String>, String> {
    let number_digits = match cell {
        Cell::Int(i) => Some(i.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1)),
        Cell::Float(f) | Cell::Percent(f) if f.is_finite() => {
            Some(f.abs().log10().floor().max(0.0) as u32 + 1)
        }
        _ => None,
    };
    // Sixteen digits and more cannot be held exactly; fewer is a wrong length, which
    // `validate` names.
    if number_digits.is_some_and(|d| d > 15) {
        return Err(UsccProblem::StoredAsNumber.to_string());
    }
    match parse_text(cell) {
        None => Ok(None),
        Some(t) => crate::uscc::validate(&t)
            .map(Some)
            .map_err(|p| p.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn plain(s: &str) -> Option<Score> {
        Some(Score::plain(dec(s)))
    }

    #[test]
    fn decimals_are_pushed_as_their_display_writes_them() {
        let mut mantissas: Vec<i128> = vec![
            0,
            1,
            5,
            9,
            10,
            955,
            9550,
            100_000,
            u64::MAX as i128,
            u64::MAX as i128 + 1,
            -1,
            -955,
        ];
        // A fixed pseudo-random walk over every width of mantissa.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            mantissas.push(i128::from(x >> (x % 64)));
        }
        for &m in &mantissas {
            for scale in 0..=28 {
                let d = Decimal::from_i128_with_scale(m, scale);
                let mut buf = String::from("x");
                push_decimal(&mut buf, d);
                assert_eq!(buf, format!("x{d}"), "{m} scale {scale}");
            }
        }
        let zero = -Decimal::new(0, 2);
        let mut buf = String::new();
        push_decimal(&mut buf, zero);
        assert_eq!(buf, zero.to_string());
    }

    fn points(s: &str) -> Option<Score> {
        Some(Score {
            value: dec(s),
            percent: true,
        })
    }

    #[test]
    fn scores() {
        let ok = [
            (Cell::Int(95), plain("95")),
            (Cell::Float(95.5), plain("95.5")),
            (Cell::Float(95.24), plain("95.24")),
            (Cell::Float(28.650000000000002), plain("28.65")),
            (Cell::Float(0.932), plain("0.932")),
            // A plain value in [0, 1] keeps up to six places until its column is known.
            (Cell::Float(0.89995), plain("0.89995")),
            (Cell::Float(0.8999500000000001), plain("0.89995")),
            (Cell::Float(0.123456), plain("0.123456")),
            (text("0.89995"), plain("0.89995")),
            // A percent cell is in points whatever its neighbours hold.
            (Cell::Percent(0.955), points("95.5")),
            (Cell::Percent(0.93), points("93")),
            (Cell::Percent(1.0), points("100")),
            (Cell::Percent(0.0), points("0")),
            (Cell::Percent(0.005), points("0.5")),
            (Cell::Percent(0.89995), points("89.995")),
            (Cell::Percent(0.8999500000000001), points("89.995")),
            (Cell::Percent(0.123456), points("12.3456")),
            (text("95"), plain("95")),
            (text(" 95.5分 "), plain("95.5")),
            (text("９５．５"), plain("95.5")),
            (text("９５．５分"), plain("95.5")),
            (text("95%"), points("95")),
            (text("95.5％"), points("95.5")),
            (text("100"), plain("100")),
            (text("0"), plain("0")),
            (text("88.1234"), plain("88.1234")),
            (Cell::Empty, None),
            (text("  "), None),
        ];
        for (cell, want) in ok {
            assert_eq!(parse_score(&cell), Ok(want), "{cell:?}");
        }
        let bad = [
            (text("abc"), "不是有效的分数"),
            (text("九十五"), "不是有效的分数"),
            (text("95..5"), "不是有效的分数"),
            (text("101"), "分数应在0–100之间"),
            (text("-1"), "分数应在0–100之间"),
            (text("88.12345"), "最多保留4位小数"),
            (text("12.34567%"), "最多保留4位小数"),
            (text("0.1234567"), "最多保留4位小数"),
            (Cell::Float(100.5), "分数应在0–100之间"),
            (Cell::Float(88.12345), "最多保留4位小数"),
            (Cell::Float(0.1234567), "最多保留4位小数"),
            (Cell::Percent(0.1234567), "最多保留4位小数"),
            (Cell::Percent(1.5), "分数应在0–100之间"),
            (Cell::Percent(f64::NAN), "不是有效数字"),
            (Cell::Bool(true), "不是有效的分数"),
            (Cell::Error("#N/A".into()), "单元格为错误值 #N/A"),
        ];
        for (cell, want) in bad {
            assert_eq!(parse_score(&cell), Err(want.to_string()), "{cell:?}");
        }
    }

    /// The stack and whole-number paths of [`exact`] give what the shortest decimal text
    /// gave before them, scale and sign included, on both sides of each path's bounds.
    #[test]
    fn exact_matches_the_shortest_text() {
        let by_text = |f: f64| {
            Decimal::from_str(&f.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
                .ok()
        };
        let floats = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            80.0,
            95.5,
            28.650000000000002,
            0.1,
            0.8999500000000001,
            1e-7,
            1e-28,
            1e-29,
            123456789.123,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            9_007_199_254_740_994.0,
            -9_007_199_254_740_992.0,
            1e20,
            7.9e28,
            7.9e29,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            // The few-places path: scores, fractions, both signs, its bounds (eight
            // places and 10^9) and floats that are not the decimal they show.
            93.47,
            -93.47,
            99.99,
            0.955,
            0.05,
            0.3,
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
            0.12345678,
            0.123456789,
            1e-8,
            1.5e-8,
            12345678.9,
            999_999_999.5,
            1_000_000_000.5,
            0.1 * 3.0,
            100.0 - 1e-13,
        ];
        for f in floats {
            let (got, want) = (exact(f), by_text(f));
            assert_eq!(got, want, "{f:e}");
            if let (Some(g), Some(w)) = (got, want) {
                assert_eq!(g.scale(), w.scale(), "{f:e}");
                assert_eq!(g.is_sign_negative(), w.is_sign_negative(), "{f:e}");
            }
        }
    }

    /// [`exact`] against the shortest text over a sweep of floats: every decimal of up to
    /// eight places at several magnitudes, their neighbours one unit of the float away,
    /// and arbitrary bit patterns.
    #[test]
    fn exact_matches_the_shortest_text_over_a_sweep() {
        let by_text = |f: f64| {
            Decimal::from_str(&f.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{f:e}")))
                .ok()
        };
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut floats = Vec::new();
        for _ in 0..200_000 {
            let r = next();
            let places = (r % 10) as i32;
            let digits = (r >> 8) % 10_000_000_000;
            let f = digits as f64 / 10f64.powi(places);
            // The floats one unit above and below (f is not negative).
            let (up, down) = (
                f64::from_bits(f.to_bits() + 1),
                f64::from_bits(f.to_bits().saturating_sub(1)),
            );
            floats.extend([f, -f, up, down]);
            let bits = f64::from_bits(next());
            if bits.is_finite() && bits.abs() < 1e20 {
                floats.push(bits);
            }
        }
        for f in floats {
            let (got, want) = (exact(f), by_text(f));
            assert_eq!(got, want, "{f:e}");
            if let (Some(g), Some(w)) = (got, want) {
                assert_eq!(g.scale(), w.scale(), "{f:e}");
            }
        }
    }

    #[test]
    fn percent_cells_display_as_shown() {
        assert_eq!(Cell::Percent(0.955).display(), "95.5%");
        assert_eq!(Cell::Percent(0.89995).display(), "89.995%");
        assert_eq!(Cell::Percent(1.0).display(), "100%");
        assert_eq!(parse_text(&Cell::Percent(0.5)), Some("50%".into()));
        assert!(parse_count(&Cell::Percent(3.0)).is_err());
        assert!(parse_flag(&Cell::Percent(1.0)).is_err());
        assert!(parse_date(&Cell::Percent(1.0)).is_err());
    }

    #[test]
    fn usccs() {
        const STORED: &str =
            "统一社会信用代码被存成了数字，Excel只保留15位有效数字，末尾几位已丢失；\
                              请把该列设为“文本”格式后重新输入代码";
        assert_eq!(
            parse_uscc(&text(" 114401039115856282 ")),
            Ok(Some("114401039115856282".into()))
        );
        assert_eq!(parse_uscc(&Cell::Empty), Ok(None));
        // 114301122626673156 typed into a number cell: Excel keeps 114301122626673000.
        for cell in [
            Cell::Float(114301122626673000.0),
            Cell::Float(114301122626673156.0),
            Cell::Int(114301122626673000),
            Cell::Float(1.1440103911585628e16),
            text("1.14301122626673E+17"),
            text("1.14301E+17"),
            text("114301122626673000"),
        ] {
            assert_eq!(parse_uscc(&cell), Err(STORED.to_string()), "{cell:?}");
        }
        // A short number is simply too short.
        assert_eq!(
            parse_uscc(&Cell::Float(12345.0)),
            Err("统一社会信用代码应为18位，实为5位".to_string())
        );
        assert_eq!(
            parse_uscc(&text("114401039115856283")),
            Err("统一社会信用代码校验位错误（按前17位应为“2”）".to_string())
        );
    }

    #[test]
    fn counts() {
        for (cell, want) in [
            (Cell::Int(3), Ok(Some(3))),
            (Cell::Float(3.0), Ok(Some(3))),
            (text("３"), Ok(Some(3))),
            (text("3个"), Ok(Some(3))),
            (text("12项"), Ok(Some(12))),
            (Cell::Empty, Ok(None)),
        ] {
            assert_eq!(parse_count(&cell), want, "{cell:?}");
        }
        for cell in [Cell::Float(2.5), Cell::Int(-1), text("三"), text("-2")] {
            assert!(parse_count(&cell).is_err(), "{cell:?}");
        }
    }

    #[test]
    fn flags() {
        let yes = [
            "是", "有", "Y", "y", "yes", "YES", "√", "✓", "1", "TRUE", "true", "是 ",
        ];
        let no = ["否", "无", "N", "no", "×", "0", "FALSE", "", " "];
        for s in yes {
            assert_eq!(parse_flag(&text(s)), Ok(true), "{s:?}");
        }
        for s in no {
            assert_eq!(parse_flag(&text(s)), Ok(false), "{s:?}");
        }
        assert_eq!(parse_flag(&Cell::Empty), Ok(false));
        assert_eq!(parse_flag(&Cell::Int(1)), Ok(true));
        assert_eq!(parse_flag(&Cell::Float(0.0)), Ok(false));
        assert_eq!(parse_flag(&Cell::Bool(true)), Ok(true));
        for s in ["可能", "2", "未知"] {
            assert!(parse_flag(&text(s)).is_err(), "{s:?}");
        }
        assert!(parse_flag(&Cell::Int(2)).is_err());
    }

    #[test]
    fn dates() {
        let d = |y, m, d| Some(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        for (cell, want) in [
            (text("2024-03-01"), d(2024, 3, 1)),
            (text("2024/3/1"), d(2024, 3, 1)),
            (text("2024.3.1"), d(2024, 3, 1)),
            (text("2024年3月1日"), d(2024, 3, 1)),
            (text("２０２４年３月１日"), d(2024, 3, 1)),
            (text("2024年3月"), d(2024, 3, 1)),
            (text("20240301"), d(2024, 3, 1)),
            (Cell::Float(45352.0), d(2024, 3, 1)),
            (Cell::Int(45352), d(2024, 3, 1)),
            (
                Cell::Date(d(2026, 6, 30).unwrap().and_hms_opt(0, 0, 0).unwrap()),
                d(2026, 6, 30),
            ),
            (Cell::Empty, None),
        ] {
            assert_eq!(parse_date(&cell), Ok(want), "{cell:?}");
        }
        for cell in [
            text("2024-02-30"),
            text("明年"),
            text("2024-3"),
            text("3/1/2024"),
            Cell::Float(-5.0),
        ] {
            assert!(parse_date(&cell).is_err(), "{cell:?}");
        }
    }

    #[test]
    fn years() {
        for (cell, want) in [
            (Cell::Int(2023), Some(2023)),
            (Cell::Float(2023.0), Some(2023)),
            (text("2023年"), Some(2023)),
            (text("2023年度"), Some(2023)),
            (text("２０２３"), Some(2023)),
            (Cell::Empty, None),
        ] {
            assert_eq!(parse_year(&cell), Ok(want), "{cell:?}");
        }
        assert!(parse_year(&text("去年")).is_err());
        assert!(parse_year(&Cell::Int(23)).is_err());
    }

    #[test]
    fn texts() {
        assert_eq!(parse_text(&Cell::Float(2024.0)), Some("2024".into()));
        assert_eq!(parse_text(&text("  a  b ")), Some("a b".into()));
        // A text cell folds as its displayed text would.
        for t in ["市委\n办公室", " 广州 市 ", "\u{3000}", "A\u{00A0}B"] {
            assert_eq!(
                parse_text(&text(t)),
                Some(crate::normalize::fold_spaces(t)).filter(|s| !s.is_empty())
            );
        }
        assert_eq!(parse_text(&Cell::Empty), None);
    }
}
