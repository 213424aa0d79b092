//! Restoring any file as a backup over a database holding a campaign: refused with
//! nothing changed, or restored into a database that is intact, fully migrated and
//! usable — its campaigns, awards and audit log read, and the restore itself can be
//! audited (`mofan::backup::restore` appends `store.restore`).
#![no_main]

use std::io::Write;

use mofan::store::Store;

fn years(store: &Store) -> Vec<i32> {
    mofan::campaign::list(store)
        .expect("campaigns")
        .iter()
        .map(|c| c.year)
        .collect()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(data).expect("write");
    let mut store = Store::open_in_memory().expect("store");
    mofan::campaign::create(&mut store, 1999, None, "fuzz").expect("campaign");
    let audit_rows = mofan::audit::verify(store.conn()).expect("audit").rows;
    match mofan::backup::restore(&mut store, file.path(), "fuzz") {
        Err(_) => {
            assert_eq!(years(&store), [1999], "a refused restore changed the database");
            assert_eq!(mofan::audit::verify(store.conn()).expect("audit").rows, audit_rows);
        }
        Ok(_) => {
            let ok: String = store
                .conn()
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .expect("integrity check");
            assert_eq!(ok, "ok");
            assert_eq!(
                store.schema_version().expect("version"),
                mofan::store::latest_version()
            );
            years(&store);
            mofan::store::awards::list(store.conn()).expect("awards of a restored database");
            mofan::audit::verify(store.conn()).expect("audit log of a restored database");
        }
    }
});
