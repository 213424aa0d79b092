//! Rewrites the window's TypeScript types (`ui/src/bindings/`) from the Rust types that
//! cross the boundary (`src-tauri/bindings.rs`): the folder's `.ts` files are removed
//! first, so a type no longer sent leaves no file behind.
//!
//!     cargo run -p mofan-desktop --example gen-bindings

use std::path::PathBuf;

// The generator is shared with the staleness test; this program uses only part of it.
#[allow(dead_code)]
#[path = "../bindings.rs"]
mod bindings;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(bindings::CHECKED_IN);
    if let Err(e) = regenerate(&dir) {
        eprintln!("gen-bindings: {e}");
        std::process::exit(1);
    }
}

/// Empties `dir` of its `.ts` files and exports every type into it.
fn regenerate(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "ts") {
            std::fs::remove_file(&path)?;
        }
    }
    bindings::export(dir)?;
    let count = std::fs::read_dir(dir)?.count();
    println!("gen-bindings: {count} files in {}", dir.display());
    Ok(())
}
