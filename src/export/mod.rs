//! Writing files for the user: the result workbook ([`results`]) and plain lists
//! ([`table`]), saved atomically and with the user's normal permissions
//! ([`crate::atomic`], re-exported here for the front ends), so that a crash or a full
//! disk never leaves a half-written workbook behind.

pub mod results;
pub mod table;

pub use crate::atomic::{write_atomic, Staged};

/// The print set-up of a list sheet whose first row is its header: A4 landscape, one page
/// wide, the header on every page, page numbers ("第 1 页，共 3 页"). Lists of many
/// columns (the error workbook, exported tables) otherwise print column by column.
pub fn print_as_list(
    ws: &mut rust_xlsxwriter::Worksheet,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
