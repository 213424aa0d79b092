//! The integration tests of mofan, one test binary (`cargo test --test it`): the library
//! through its public API and the `mofan` command line as a child process. One module a
//! subject; `cargo test --test it awards::` runs one of them. Every module takes its
//! child processes, databases, fixtures and JSON readers from [`common`].
//!
//! One binary links the crate once instead of once per file.

mod common;
mod golden;

mod agency_history;
mod applied_review;
mod awards;
mod ballots;
mod broken_pipe;
mod cli;
mod corpus;
mod evaluation_books;
mod evaluations;
mod fuzz_regressions;
mod history;
mod hostile;
mod import_batch;
mod import_computed;
mod import_fixtures;
mod import_formats;
mod import_layout;
mod import_mapping;
mod import_samples;
mod import_values;
mod ledger;
mod limits;
mod network_store;
mod notice_layout;
mod output_files;
mod panel;
mod portability;
mod publicity;
mod restore;
mod result_book;
mod review_after_publish;
mod run;
mod select_cli;
mod template;
mod upgrade;
