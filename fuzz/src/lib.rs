//! What every fuzz target checks beyond "no panic, no hang, bounded memory": the import
//! either refuses a file with placed Chinese messages or returns values that obey the
//! rules of `docs/rules.md` — never a silent misread such as a blank name or a score of
//! 150.

use std::sync::Once;

use mofan::import::registry::UnitTypes;
use mofan::import::{self, Registry, Returns, RowError};
use mofan::scheme::{Scheme, Tier};
use rust_decimal::Decimal;

/// Lets mofan's own guards work under the fuzzer. libfuzzer-sys installs a panic hook
/// that aborts at once, even for a panic that mofan catches and turns into a refusal (the
/// workbook reader's asserts, `import::workbook`). This hook only reports the panic in one
/// line; a panic that escapes mofan still reaches libfuzzer-sys's own `catch_unwind`
/// around the target, which aborts, so it is still found as a crash.
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}"))));
}

/// Whether `s` contains a CJK ideograph (every message is Chinese).
fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn check_errors(errors: &[RowError], sheets: &[String]) {
    for e in errors {
        assert!(chinese(&e.message), "message not in Chinese: {e:?}");
        if let Some(s) = &e.sheet {
            // A row error names a sheet that exists; a file error may name none.
            assert!(!s.is_empty() || sheets.is_empty(), "{e:?}");
        }
        if let Some(r) = e.row {
            assert!(r >= 1, "{e:?}");
        }
    }
}

/// A score as stored: 0–100 with at most four decimals.
pub fn check_score(d: Decimal) {
    assert!(
        d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED,
        "score {d} out of range"
    );
    assert!(d.normalize().scale() <= 4, "score {d} has more than 4 decimals");
}

fn check_agency(name: &str, key: &str, uscc: Option<&str>, tier: Tier, region: Option<&str>) {
    assert!(!name.trim().is_empty(), "blank name stored");
    assert!(!key.is_empty(), "blank name key for {name:?}");
    assert_eq!(mofan::normalize::agency_name(name), name, "name not normalised");
    if let Some(u) = uscc {
        assert_eq!(mofan::uscc::validate(u).as_deref(), Ok(u), "stored USCC invalid");
    }
    match tier {
        Tier::Province => assert_eq!(region, None, "province agency with a region"),
        _ => assert!(
            region.is_some_and(|r| !r.trim().is_empty()),
            "city/county agency without a region"
        ),
    }
}

/// Analyses `bytes` as returns under the default scheme and checks the outcome.
pub fn returns(bytes: &[u8], file_name: &str) {
    init();
    let scheme = Scheme::default_scheme();
    // Unguarded: a reader's panic must reach the fuzzer.
    let a = import::analyze_unguarded(
        &Returns::new(scheme.clone(), 2026, &[]),
        bytes.to_vec(),
        file_name,
    );
    let sheets: Vec<String> = a.sheets.iter().map(|(s, _)| s.clone()).collect();
    check_errors(&a.errors, &sheets);
    if a.unreadable {
        assert!(a.valid.is_empty(), "unreadable file with returns");
        assert!(!a.errors.is_empty(), "unreadable file without a message");
        return;
    }
    assert!(a.valid.len() <= a.rows, "more returns than rows");
    for r in &a.valid {
        assert!(sheets.contains(&r.sheet), "return from an unknown sheet");
        assert!(r.row >= 1);
        check_agency(&r.name, &r.name_key, r.uscc.as_deref(), r.tier, r.region.as_deref());
        assert!(scheme.unit_types.contains(&r.unit_type), "unknown unit type stored");
        assert_eq!(r.components.len(), scheme.components.len());
        assert_eq!(r.vetoes.len(), scheme.vetoes.len());
        r.daily
            .into_iter()
            .chain(r.components.iter().flatten().copied())
            .for_each(|s| check_score(s.value));
        for n in [r.complaints, r.problems_total, r.problems_fixed].into_iter().flatten() {
            assert!(n >= 0, "negative count");
        }
        if let (Some(t), Some(f)) = (r.problems_total, r.problems_fixed) {
            assert!(f <= t, "more problems fixed than listed");
        }
    }
}

/// Analyses `bytes` as a registry of earlier awards and checks the outcome.
pub fn registry(bytes: &[u8], file_name: &str) {
    init();
    let a = import::analyze_unguarded(
        &Registry::new(UnitTypes::default_only()),
        bytes.to_vec(),
        file_name,
    );
    let sheets: Vec<String> = a.sheets.iter().map(|(s, _)| s.clone()).collect();
    check_errors(&a.errors, &sheets);
    if a.unreadable {
        assert!(a.valid.is_empty(), "unreadable file with awards");
        assert!(!a.errors.is_empty(), "unreadable file without a message");
        return;
    }
    assert!(a.valid.len() <= a.rows, "more awards than rows");
    for w in &a.valid {
        check_agency(&w.name, &w.name_key, w.uscc.as_deref(), w.tier, w.region.as_deref());
        for y in [w.last_review_year, w.revoked_year].into_iter().flatten() {
            assert!(y >= w.year, "review or revocation before the award");
        }
    }
}
