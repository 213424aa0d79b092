//! Writing files for the user: atomically and with the user's normal permissions
//! ([`atomic`]), so that a crash or a full disk never leaves a half-written workbook
//! behind; the result workbook ([`results`]) and plain lists ([`table`]), both in the
//! house style ([`style`]) that every workbook mofan writes shares.

pub mod atomic;
pub mod results;
pub mod style;
pub mod table;

pub use atomic::{write_atomic, Staged};
pub use style::print_as_list;
