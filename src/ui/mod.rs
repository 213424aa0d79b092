//! What the desktop's screens show, as serialisable views built by the core, so that the
//! shell only adapts: each Tauri command converts its arguments, calls one function here
//! (or elsewhere in the core) and maps the error.

pub mod scheme;
