//! Times the phases of `mofan select --json` on a database — a profiling aid.
use std::time::Instant;
fn main() {
    let db = std::env::args().nth(1).expect("db");
    let store = mofan::store::Store::open(std::path::Path::new(&db)).unwrap();
    let t = Instant::now();
    let scheme = mofan::select::campaign_scheme(&store, 2026).unwrap();
    let inputs = mofan::select::load(&store, 2026, &scheme).unwrap();
    println!("load: {:?} ({} entries)", t.elapsed(), inputs.entries.len());
    let t = Instant::now();
    let sel = mofan::select::select_owned(&scheme, inputs);
    println!("select: {:?}", t.elapsed());
    let t = Instant::now();
    let mut out = Vec::new();
    mofan::select::write_json(&mut out, &sel, mofan::select::NO_REVIEWS).unwrap();
    println!("write_json: {:?} ({} bytes)", t.elapsed(), out.len());
}
