//! The value parsers of returns and registries on any cell, and the USCC check on any
//! text: each accepts a value only in the form the rules allow, and normalising twice
//! changes nothing.
#![no_main]

use arbitrary::Arbitrary;
use mofan::import::values::{self, Cell};

#[derive(Debug, Arbitrary)]
enum FuzzCell {
    Empty,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// Seconds from the Unix epoch.
    Date(i64),
    Error(String),
}

impl FuzzCell {
    fn cell(self) -> Cell {
        match self {
            FuzzCell::Empty => Cell::Empty,
            FuzzCell::Int(i) => Cell::Int(i),
            FuzzCell::Float(f) => Cell::Float(f),
            FuzzCell::Text(s) => Cell::Text(s),
            FuzzCell::Bool(b) => Cell::Bool(b),
            FuzzCell::Date(s) => match chrono::DateTime::from_timestamp(s, 0) {
                Some(d) => Cell::Date(d.naive_utc()),
                None => Cell::Empty,
            },
            FuzzCell::Error(e) => Cell::Error(e),
        }
    }
}

libfuzzer_sys::fuzz_target!(|input: (FuzzCell, f64)| {
    let (cell, float) = input;
    let cell = cell.cell();
    let _ = cell.is_blank();
    let _ = cell.display();

    if let Ok(Some(s)) = values::parse_score(&cell) {
        // A plain number in [0, 1] may carry two more places until its column is known
        // (a fraction column is scaled by 100); every other score is as stored.
        if !s.percent && s.value <= rust_decimal::Decimal::ONE {
            assert!(s.value >= rust_decimal::Decimal::ZERO, "score {s:?} below 0");
            assert!(s.value.normalize().scale() <= values::FRACTION_PLACES, "{s:?}");
        } else {
            mofan_fuzz::check_score(s.value);
        }
    }
    if let Ok(Some(n)) = values::parse_count(&cell) {
        assert!(n >= 0, "negative count {n} from {cell:?}");
    }
    let _ = values::parse_flag(&cell);
    let _ = values::parse_date(&cell);
    if let Ok(Some(y)) = values::parse_year(&cell) {
        assert!((1949..=2100).contains(&y), "year {y} from {cell:?}");
    }
    if let Some(t) = values::parse_text(&cell) {
        assert!(!t.is_empty() && t.trim() == t, "text {t:?} from {cell:?}");
        assert_eq!(mofan::normalize::fold_spaces(&t), t, "text not folded");
        let name = mofan::normalize::agency_name(&t);
        assert_eq!(mofan::normalize::agency_name(&name), name, "name not stable");
        let _ = mofan::normalize::name_key(&t);
        let _ = mofan::normalize::header_key(&t);
        if let Ok(code) = mofan::uscc::validate(&t) {
            assert_eq!(code.chars().count(), 18, "USCC {code:?}");
            assert_eq!(mofan::uscc::validate(&code).as_deref(), Ok(code.as_str()));
        }
    }
    if let Ok(d) = values::decimal_from_f64(float) {
        assert!(d.scale() <= values::MAX_PLACES, "{d} from {float}");
    }
});
