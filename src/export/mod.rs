//! Writing files for the user: the result workbook ([`results`]), the signed sheets of
//! ballots and panel scores ([`evaluations`]), the ledger workbook ([`ledger`]), the
//! agencies' history over years ([`history`]) and plain lists
//! ([`table`]), all in the house style ([`style`]) that every workbook mofan writes
//! shares, saved atomically and with the user's normal permissions ([`crate::atomic`],
//! re-exported here for the front ends), so that a crash or a full disk never leaves a
//! half-written workbook behind.

pub mod evaluations;
pub mod history;
pub mod ledger;
pub mod results;
pub mod style;
pub mod table;

pub use crate::atomic::{write_atomic, Staged};
pub use style::print_as_list;
