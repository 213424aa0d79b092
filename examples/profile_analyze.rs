//! Times the phases of one import (read+parse vs. store) — a profiling aid.
use std::time::Instant;
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let scheme = mofan::scheme::Scheme::default_scheme();
    let bytes = std::fs::read(&p).unwrap();
    let t = Instant::now();
    let returns = mofan::import::Returns::new(scheme, 2026, &[]);
    let a = mofan::import::analyze_unguarded(&returns, bytes, &p);
    println!(
        "analyze: {:?} ({} returns, {} errors)",
        t.elapsed(),
        a.valid.len(),
        a.errors.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = mofan::store::Store::open(&dir.path().join("p.db")).unwrap();
    mofan::campaign::create(&mut store, 2026, None, "p").unwrap();
    let t = Instant::now();
    let opts = mofan::import::ImportOptions {
        partial: false,
        operator: "p".into(),
    };
    let r = mofan::import::commit(&mut store, &returns, a, &opts).unwrap();
    println!("commit: {:?} ({} imported)", t.elapsed(), r.imported);
}
