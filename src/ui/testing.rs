//! What the screens' tests share: a store with a campaign and some of the sample returns.

use std::path::{Path, PathBuf};

use crate::import::ImportOptions;
use crate::store::Store;

/// The operator every test records.
pub(crate) const OPERATOR: &str = "测试员";

/// A file under tests/fixtures.
pub(crate) fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// One of the sample returns (or the sample registry, `awards.xlsx`).
pub(crate) fn sample(name: &str) -> PathBuf {
    fixture("samples").join(name)
}

/// Import options of a whole-file import by [`OPERATOR`].
pub(crate) fn opts() -> ImportOptions {
    ImportOptions {
        partial: false,
        operator: OPERATOR.into(),
    }
}

/// A fresh store with the campaign of 2026 (default scheme) and these samples imported.
pub(crate) fn campaign_with(samples: &[&str]) -> Store {
    let mut store = Store::open_in_memory().expect("in-memory store");
    crate::campaign::create(&mut store, 2026, None, OPERATOR).expect("campaign");
    for name in samples {
        let returns = crate::import::Returns::open(&store, 2026, &[]).expect("campaign");
        crate::import::import_file(&mut store, &returns, &sample(name), &opts()).expect("import");
    }
    store
}
