//! Times the stages of `mofan select --json` on a database — a profiling aid:
//!
//!     cargo run --release --example profile_select -- DB [YEAR] [YYYY-MM-DD]
//!
//! Each stage is timed alone (best of 3), in the order `select::run_deciding` and the
//! command take them: reading the inputs, their fingerprints, the selection as data
//! (`decide`), reading the previous run's statuses and the agencies whose status changed,
//! encoding the result and statuses to store them (from the outcome; the JSON runs stored
//! before schema version 24 beside it), reading the record back as a `Selection`, the
//! whole run (all of these
//! plus the insert, the audit entry and the commit, on a copy of the database), and
//! writing the contract JSON from the outcome. For comparison: making the whole
//! `Selection` (every row's texts) from the outcome, and `select_owned` (both). Times are this thread's CPU
//! time, which a loaded machine inflates far less than wall time.

// `clock_gettime` is the one call that reads the thread's CPU time.
#![allow(unsafe_code)]

use std::time::Duration;

/// This thread's CPU time so far.
fn cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn best<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        let t = cpu();
        let v = f();
        best = best.min(cpu() - t);
        out = Some(v);
    }
    (best, out.unwrap())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let db = args.next().expect("usage: profile_select DB [YEAR] [DATE]");
    let year: i32 = args.next().map_or(2026, |y| y.parse().expect("year"));
    let date = args
        .next()
        .map_or(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), |d| {
            d.parse().expect("date")
        });
    let store = mofan::store::Store::open(std::path::Path::new(&db)).unwrap();
    let toml = mofan::store::campaigns::require(store.conn(), year)
        .unwrap()
        .scheme_toml;
    let scheme = mofan::select::campaign_scheme(&store, year).unwrap();
    let (t, inputs) = best(3, || {
        mofan::select::load_on(&store, year, &scheme, date).unwrap()
    });
    println!(
        "load:          {t:>10.1?} ({} returns)",
        inputs.entries.len()
    );
    let (t, _) = best(3, || mofan::select::runs::fingerprints(&toml, &inputs));
    println!("fingerprints:  {t:>10.1?}");
    let (_, (t_own, decision)) = best(3, || {
        let inputs = inputs.clone();
        let t = cpu();
        let d = mofan::select::decide(&scheme, inputs);
        (cpu() - t, d)
    });
    println!("decide:        {t_own:>10.1?} (the inputs' clone not counted)");
    let (_, (t_sel, sel)) = best(3, || {
        let d = decision.clone();
        let t = cpu();
        let sel = d.into_selection();
        (cpu() - t, sel)
    });
    println!("into_selection:{t_sel:>10.1?} (every row's texts; not in select --json)");
    let (_, (t_own, _)) = best(3, || {
        let inputs = inputs.clone();
        let t = cpu();
        let sel = mofan::select::select_owned(&scheme, inputs);
        (cpu() - t, sel)
    });
    println!("select_owned:  {t_own:>10.1?} (decide + into_selection; not in select --json)");
    // What the audit entry reads of the previous run: its statuses record (a run stored
    // before schema version 24: its JSON result instead).
    let (t, previous) = best(3, || {
        mofan::store::runs::latest_statuses(store.conn(), year).unwrap()
    });
    let read = previous
        .as_ref()
        .map_or(0, |p| p.statuses.as_ref().map_or(p.result.len(), Vec::len));
    println!("read previous: {t:>10.1?} ({read} bytes of statuses, or of a pre-24 result)");
    let (t, _) = best(3, || {
        mofan::select::runs::changes_since(previous.clone(), &decision).unwrap()
    });
    println!("status changes:{t:>10.1?} (parse the previous statuses and compare)");
    let (t, stored) = best(3, || (decision.record(), decision.statuses_record()));
    println!(
        "record:        {t:>10.1?} ({} + {} bytes, from the outcome)",
        stored.0.len(),
        stored.1.len()
    );
    let (t, json) = best(1, || serde_json::to_string(&decision.stored()).unwrap());
    println!("(JSON before:  {t:>10.1?}, {} bytes)", json.len());
    let (t, back) = best(3, || {
        mofan::select::runs::parse_result(0, &stored.0).unwrap()
    });
    println!("read record:   {t:>10.1?} (as a Selection: what the window and outputs read)");
    assert_eq!(back, sel);
    let (t, _) = best(1, || {
        serde_json::from_str::<mofan::select::Selection>(&json).unwrap()
    });
    println!("(JSON parse:   {t:>10.1?})");
    drop((previous, stored, json, back));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let mut copy_store = mofan::store::Store::open(&copy).unwrap();
    let (t, _) = best(3, || {
        mofan::select::run_deciding(&mut copy_store, year, date, "profile").unwrap()
    });
    println!("run whole:     {t:>10.1?} (run_deciding)");
    let (t, out) = best(3, || {
        let mut out = Vec::new();
        decision
            .write_json(&mut out, mofan::select::NO_REVIEWS)
            .unwrap();
        out
    });
    println!(
        "write_json:    {t:>10.1?} ({} bytes, from the outcome)",
        out.len()
    );
}
