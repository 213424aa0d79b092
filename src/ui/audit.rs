//! 操作日志: the audit log with the screen's filters, and writing any table the window
//! shows as a workbook. Verifying the chain is [`crate::audit::verify`] itself.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::UiError;
use crate::audit::{self, Filter};
use crate::export::table::{self, Cell, List};
use crate::store::audit_log::AuditRow;
use crate::store::Store;

/// The newest rows the screen lists at most.
pub const MAX_ROWS: u32 = 5000;

/// The audit rows matching `filter`, newest first (at most [`MAX_ROWS`]); a blank text
/// filter is no filter.
pub fn list(store: &Store, filter: &Filter) -> Result<Vec<AuditRow>, UiError> {
    let mut filter = filter.clone();
    filter.limit = Some(filter.limit.unwrap_or(MAX_ROWS).min(MAX_ROWS));
    for text in [&mut filter.action, &mut filter.operator, &mut filter.text] {
        if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            *text = None;
        }
    }
    Ok(audit::list(store.conn(), &filter)?)
}

/// A cell of a table the window exports: text, a whole number, or a score given as its
/// exact decimal text (`{"score": "90.125"}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum TableCell {
    /// A score, rounded to two places and written in the score format.
    Score {
        /// Exact decimal text.
        score: String,
    },
    /// A whole number.
    Int(i64),
    /// Text, written as a text cell (never a formula).
    Text(String),
    /// Nothing.
    Null,
}

impl From<&TableCell> for Cell {
    fn from(c: &TableCell) -> Cell {
        match c {
            TableCell::Score { score } => score
                .parse::<Decimal>()
                .map_or_else(|_| Cell::Text(score.clone()), Cell::Score),
            TableCell::Int(n) => Cell::Int(*n),
            TableCell::Text(s) => Cell::Text(s.clone()),
            TableCell::Null => Cell::Blank,
        }
    }
}

/// Writes a table as the window shows it (one sheet) to `out`.
pub fn export_table(
    out: &Path,
    name: &str,
    headers: &[String],
    rows: &[Vec<TableCell>],
) -> Result<(), UiError> {
    let list = List {
        name: name.to_string(),
        headers: headers.to_vec(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(Cell::from).collect())
            .collect(),
    };
    Ok(table::write(out, &[list])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_filters_and_verifies_the_log() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        crate::campaign::create(&mut store, 2027, None, "李四").unwrap();
        let all = list(&store, &Filter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].operator, "李四", "newest first");
        let blank = Filter {
            action: Some(" ".into()),
            operator: Some("".into()),
            ..Filter::default()
        };
        assert_eq!(
            list(&store, &blank).unwrap().len(),
            2,
            "blank filters are no filters"
        );
        let by = Filter {
            operator: Some("张三".into()),
            ..Filter::default()
        };
        assert_eq!(list(&store, &by).unwrap().len(), 1);
        let v = audit::verify(store.conn()).unwrap();
        assert_eq!((v.rows, v.broken.is_none()), (2, true));
    }

    #[test]
    fn exports_a_table_as_shown() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("操作日志.xlsx");
        let rows: Vec<Vec<TableCell>> = serde_json::from_str(
            r#"[[1, "2026-11-26 10:00", {"score": "90.125"}, null], ["=1+1", "x", {"score": "bad"}, 3]]"#,
        )
        .unwrap();
        assert_eq!(
            rows[0][2],
            TableCell::Score {
                score: "90.125".into()
            }
        );
        assert_eq!(rows[0][3], TableCell::Null);
        export_table(
            &out,
            "操作日志",
            &["序号".into(), "时间".into(), "分".into(), "n".into()],
            &rows,
        )
        .unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 4000);
    }
}
