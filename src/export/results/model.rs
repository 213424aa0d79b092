//! The table model of the result book: a sheet is a [`Table`] of typed [`Column`]s and
//! [`Row`]s of [`Value`]s with a [`RowStyle`]. It says what a cell is (text, a score, a
//! count, a section heading), never how it looks; the writer decides that.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::select::score::round2;

/// What a column holds, which decides its number format and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Short text.
    Text,
    /// Long text, wrapped in a column of limited width.
    Wrap,
    /// A score: a number shown with two decimals (`0.00`).
    Score,
    /// A whole number.
    Count,
}

/// A column of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// What it holds.
    pub kind: Kind,
}

impl Column {
    pub(super) fn new(header: &str, kind: Kind) -> Column {
        Column {
            header: header.to_string(),
            kind,
        }
    }
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Text, always written as text (never a formula).
    Text(Cow<'a, str>),
    /// A number cell, in its column's number format (e.g. two places for a score).
    Number(f64),
    /// Nothing.
    Blank,
}

impl From<String> for Value<'_> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    /// An ordinary row.
    Plain,
    /// A sub-heading inside the sheet (bold, shaded).
    Section,
    /// A total row (bold, shaded).
    Total,
}

/// One row of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// How it stands out.
    pub style: RowStyle,
    /// One value per column.
    pub values: Vec<Value<'a>>,
}

impl<'a> Row<'a> {
    pub(super) fn plain(values: Vec<Value<'a>>) -> Row<'a> {
        Row {
            style: RowStyle::Plain,
            values,
        }
    }

    pub(super) fn section<const N: usize>(labels: [&'a str; N]) -> Row<'a> {
        Row {
            style: RowStyle::Section,
            values: labels
                .into_iter()
                .map(|l| if l.is_empty() { Value::Blank } else { text(l) })
                .collect(),
        }
    }
}

/// An iterator over the rows of a [`Table`].
pub type Rows<'a> = Box<dyn Iterator<Item = Row<'a>> + 'a>;

/// One sheet's content: an optional title row, a header row, then the rows.
pub struct Table<'a> {
    /// Sheet name.
    pub sheet: &'static str,
    /// A title above the header, across the columns.
    pub title: Option<String>,
    /// Columns in sheet order, from column A; every row has one value per column.
    pub columns: Vec<Column>,
    /// Produces the rows, afresh on every call (the writer reads them twice: for the
    /// column widths, then to write them), so that no sheet is held in memory whole.
    pub rows: Box<dyn Fn() -> Rows<'a> + 'a>,
    /// Rows under the header's autofilter (the rows before any total); `None`: no filter.
    pub filter: Option<usize>,
    /// Columns frozen at the left, besides the header row frozen at the top.
    pub freeze_cols: u16,
    /// Whether the sheet prints landscape.
    pub landscape: bool,
}

pub(super) fn text(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

pub(super) fn opt_text(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Blank, text)
}

pub(super) fn count<'a>(n: u32) -> Value<'a> {
    Value::Number(f64::from(n))
}

/// A score as the nearest double to its 2-place rounding (what is shown and compared).
pub(super) fn score<'a>(d: Option<Decimal>) -> Value<'a> {
    d.map_or(Value::Blank, |d| Value::Number(to_f64(round2(d))))
}

/// The nearest `f64` to a decimal: one correctly rounded division when the mantissa
/// and the power of ten are exact doubles (always, for scores), else via the text.
pub fn to_f64(d: Decimal) -> f64 {
    let m = d.mantissa();
    let scale = d.scale();
    if m.unsigned_abs() < (1u128 << 53) && scale <= 22 {
        m as f64 / 10f64.powi(scale as i32)
    } else {
        d.to_string().parse().unwrap_or(f64::NAN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn scores_are_the_nearest_double_to_the_rounded_decimal() {
        for s in [
            "92.35", "90.125", "0.005", "100", "85.1", "-3.335", "99.995",
        ] {
            let rounded = round2(d(s));
            assert_eq!(
                to_f64(rounded),
                rounded.to_string().parse::<f64>().unwrap(),
                "{s}"
            );
        }
        assert_eq!(to_f64(round2(d("90.125"))), 90.13);
        // Every two-place score from 0 to 100.
        for m in 0..=10_000i64 {
            let x = Decimal::new(m, 2);
            assert_eq!(to_f64(x), format!("{x}").parse::<f64>().unwrap());
        }
    }
}
