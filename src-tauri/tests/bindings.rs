//! The checked-in TypeScript types (`ui/src/bindings/`) are exactly what the Rust types
//! generate: a type changed on the Rust side without regenerating fails here, before the
//! window can misread a command's answer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "../bindings.rs"]
mod bindings;

/// Every file of a folder by name, with its text.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("folder entry").path();
            let name = path.file_name().expect("a file name");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name.to_string_lossy().into_owned(), text)
        })
        .collect()
}

#[test]
fn checked_in_bindings_are_what_the_rust_types_generate() {
    let fresh = tempfile::tempdir().expect("temp dir");
    bindings::export(fresh.path()).expect("export the bindings");
    let generated = files(fresh.path());
    assert!(
        generated.contains_key("CommandError.ts") && generated.contains_key("ResultsView.ts"),
        "the export wrote {:?}",
        generated.keys()
    );
    let checked_in_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(bindings::CHECKED_IN);
    let checked_in = files(&checked_in_dir);

    let mut stale = Vec::new();
    for (name, text) in &generated {
        match checked_in.get(name) {
            None => stale.push(format!("missing: {name}")),
            Some(old) if old != text => stale.push(format!("differs: {name}")),
            Some(_) => {}
        }
    }
    stale.extend(
        checked_in
            .keys()
            .filter(|name| !generated.contains_key(*name))
            .map(|name| format!("extra: {name}")),
    );
    assert!(
        stale.is_empty(),
        "{} is stale: run `{}`\n{}",
        bindings::CHECKED_IN,
        bindings::REGENERATE,
        stale.join("\n")
    );
}
