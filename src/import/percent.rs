//! Percent formats: which number formats show a number as a percentage, and which cells
//! of a sheet carry one. A clerk who sees 95.5% in a cell means a score of 95.5, whatever
//! the neighbouring cells hold, so each reader marks such cells as [`Cell::Percent`]
//! (`super::values::Cell`) instead of leaving the stored fraction 0.955 to be guessed at.

use super::workbook::Merge;

/// Whether an Excel number format code shows a number as a percentage: its first section
/// (the one positive numbers use — scores are never negative, and zero is zero either
/// way) holds a `%` that is not literal text. Text in quotes, `[…]` conditions, colours
/// and locales, and a character escaped by `\` (or taken as a width or fill by `_` and
/// `*`) are literal.
pub fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '%' => return true,
            '"' | '[' => {
                // Quoted text (Excel has no escape inside it) and […] run to their
                // closing mark; unclosed, to the end.
                let close = if c == '"' { '"' } else { ']' };
                chars.by_ref().take_while(|q| *q != close).for_each(drop);
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ => {}
        }
    }
    false
}

/// The percent-formatted cells of a sheet, as regions (a region covers repeated cells
/// without listing them), looked up row by row in increasing row order.
#[derive(Debug, Default)]
pub struct PercentCells {
    /// Regions sorted by first row.
    regions: Vec<Merge>,
    /// Index of the next region not yet reached.
    next: usize,
    /// Regions covering the current row.
    active: Vec<Merge>,
    /// The row `active` was computed for.
    row: Option<u32>,
}

impl PercentCells {
    /// Prepares lookups over these regions.
    pub fn new(mut regions: Vec<Merge>) -> PercentCells {
        regions.retain(|m| m.start.0 <= m.end.0 && m.start.1 <= m.end.1);
        regions.sort_by_key(|m| (m.start.0, m.start.1));
        PercentCells {
            regions,
            next: 0,
            active: Vec::new(),
            row: None,
        }
    }

    /// Whether no cell is percent-formatted.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Whether the cell at (row, column) is percent-formatted. Rows must be asked in
    /// increasing order (columns in any order within a row).
    pub fn contains(&mut self, row: u32, col: u32) -> bool {
        if self.row != Some(row) {
            self.row = Some(row);
            self.active.retain(|m| m.end.0 >= row);
            while self.next < self.regions.len() && self.regions[self.next].start.0 <= row {
                let m = self.regions[self.next];
                self.next += 1;
                if m.end.0 >= row {
                    self.active.push(m);
                }
            }
        }
        self.active
            .iter()
            .any(|m| (m.start.1..=m.end.1).contains(&col))
    }
}

/// Appends a region to `regions`, extending the last one instead when the new one
/// continues it to the right over the same rows (a row of percent cells is one region).
pub fn push_region(regions: &mut Vec<Merge>, region: Merge) {
    if let Some(last) = regions.last_mut() {
        if last.start.0 == region.start.0
            && last.end.0 == region.end.0
            && last.end.1.checked_add(1) == Some(region.start.1)
        {
            last.end.1 = region.end.1;
            return;
        }
    }
    regions.push(region);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_format_codes() {
        for code in [
            "0%",
            "0.00%",
            "0.0%",
            "#,##0.0%",
            "[Red]0.0%",
            "[$-804]0.0%",
            "0.0%;[Red]-0.0%",
            "0.0\"分\"%",
            "%0",
        ] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "General",
            "0.0",
            "0.0\"%\"",
            "0.0\\%",
            "0.0_%",
            "0;-0%",
            "[>=100]0",
            "yyyy-mm-dd",
            "@",
            "\"unclosed %",
            "[unclosed %",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    fn region(r0: u32, c0: u32, r1: u32, c1: u32) -> Merge {
        Merge {
            start: (r0, c0),
            end: (r1, c1),
        }
    }

    #[test]
    fn lookups_sweep_the_rows() {
        let mut p = PercentCells::new(vec![region(5, 2, 5, 2), region(1, 3, 3, 4)]);
        assert!(!p.is_empty());
        assert!(!p.contains(0, 3));
        assert!(p.contains(1, 3) && p.contains(1, 4) && !p.contains(1, 2));
        assert!(p.contains(3, 4));
        assert!(!p.contains(4, 4));
        assert!(p.contains(5, 2) && !p.contains(5, 3));
        assert!(!p.contains(6, 2));
    }

    #[test]
    fn regions_join_to_the_right() {
        let mut v = Vec::new();
        push_region(&mut v, region(1, 1, 1, 1));
        push_region(&mut v, region(1, 2, 1, 4));
        push_region(&mut v, region(1, 6, 1, 6));
        push_region(&mut v, region(2, 7, 3, 7));
        assert_eq!(
            v,
            vec![region(1, 1, 1, 4), region(1, 6, 1, 6), region(2, 7, 3, 7)]
        );
    }
}
