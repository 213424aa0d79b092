//! Times what the window's 运行评选 and opening 评选结果 cost in the core — a profiling aid:
//! `ui::results::run` and `ui::results::current`, and the JSON the shell sends of each.
//!
//!     cargo run --release --example profile_run -- DB [YEAR]
use std::time::{Duration, Instant};

fn best<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    (best, out.unwrap())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().expect("usage: profile_run DB [YEAR]");
    let year: i32 = args.next().map_or(2026, |y| y.parse().expect("year"));
    let mut store = mofan::store::Store::open(std::path::Path::new(&db)).unwrap();
    let (t, v) = best(5, || {
        mofan::ui::results::run(&mut store, year, None, "profile", None).unwrap()
    });
    let (tj, json) = best(5, || serde_json::to_string(&v).unwrap());
    println!(
        "run:     {t:?} + to_string {tj:?} ({} bytes, {} rows)",
        json.len(),
        v.results.len()
    );
    let (t, v) = best(5, || {
        mofan::ui::results::current(&store, year, None).unwrap()
    });
    println!("current: {t:?}");
    let (t, _) = best(5, || {
        mofan::select::run(&mut store, year, "profile").unwrap()
    });
    println!("  select::run alone: {t:?}");
    let (t, _) = best(5, || mofan::select::latest(&store, year).unwrap());
    println!("  select::latest alone (stored run + freshness): {t:?}");
    let scheme = mofan::select::campaign_scheme(&store, year).unwrap();
    let (t, inputs) = best(5, || mofan::select::load(&store, year, &scheme).unwrap());
    println!("  select::load: {t:?}");
    let (t, _) = best(5, || mofan::select::select_owned(&scheme, inputs.clone()));
    println!("  select_owned (incl. clone of inputs): {t:?}");
    drop(v);
    parts(&store, year);
}

#[allow(dead_code)]
fn parts(store: &mofan::store::Store, year: i32) {
    let scheme = mofan::select::campaign_scheme(store, year).unwrap();
    let inputs = mofan::select::load(store, year, &scheme).unwrap();
    let toml = mofan::store::campaigns::require(store.conn(), year)
        .unwrap()
        .scheme_toml;
    let (t, _) = best(5, || mofan::select::runs::fingerprints(&toml, &inputs));
    println!("  fingerprints: {t:?}");
    let (row, bytes) = mofan::store::runs::latest(store.conn(), year)
        .unwrap()
        .unwrap();
    // A compact record since schema version 24, the JSON of a run stored before.
    let (t, _) = best(5, || {
        mofan::select::runs::parse_result(row.id, &bytes).unwrap()
    });
    println!("  read stored result ({} bytes): {t:?}", bytes.len());
    let (t, _) = best(5, || mofan::select::runs::state(store, year).unwrap());
    println!("  runs::state (facts + freshness): {t:?}");
}
