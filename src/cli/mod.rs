//! Command handlers of the `mofan` binary that are too long for `main.rs`.

pub mod args;
pub mod notice;
pub mod out;
pub mod review;
pub mod run;
pub mod select;
