//! 导出历年情况 on 单位查询 (docs/specification.md §11): the years the stored campaigns span —
//! the range the export is offered with — and the workbook `mofan history --from --to
//! --out` writes, for the same range, through the same `export::history::write`.

use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use super::{lock, UiError};
use crate::store::{campaigns, Store};

/// A range of campaign years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct YearRange {
    /// The first year.
    pub from: i32,
    /// The last year.
    pub to: i32,
}

/// The first and last year of the stored campaigns (the demo's included: it is a campaign
/// the history reads like any other); `None` when there is none, and then nothing to
/// export.
pub fn campaign_years(store: &Store) -> Result<Option<YearRange>, UiError> {
    let years: Vec<i32> = campaigns::list(store.conn())?
        .iter()
        .map(|c| c.year)
        .collect();
    Ok(match (years.iter().min(), years.iter().max()) {
        (Some(&from), Some(&to)) => Some(YearRange { from, to }),
        _ => None,
    })
}

/// What the export wrote: how many agencies and campaign years (the CLI's sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryExport {
    /// Agencies, one row each.
    pub agencies: u32,
    /// Campaign years of the range that have a stored run.
    pub years: u32,
}

/// Writes the 历年情况 workbook of the campaigns from `from` to `to` to `out`, as `mofan
/// history` does (a range whose start is after its end is refused, `history.range`).
pub fn export(
    store: &Mutex<Store>,
    from: i32,
    to: i32,
    out: &Path,
) -> Result<HistoryExport, UiError> {
    let t = crate::export::history::write(&*lock(store)?, from, to, out, &crate::now_string())?;
    Ok(HistoryExport {
        agencies: t.rows.len() as u32,
        years: t.years.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::Coded;
    use calamine::{open_workbook_auto, Data, Reader};

    #[test]
    fn the_range_is_the_stored_campaigns_first_and_last_year() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(campaign_years(&store).unwrap(), None);
        for (year, want) in [
            (2024, (2024, 2024)),
            (2026, (2024, 2026)),
            (2022, (2022, 2026)),
        ] {
            crate::campaign::create(&mut store, year, None, OPERATOR).unwrap();
            let r = campaign_years(&store).unwrap().unwrap();
            assert_eq!((r.from, r.to), want, "{year}");
        }
    }

    /// The window's export is the command line's workbook: the same title and rows.
    #[test]
    fn the_export_writes_the_workbook_history_writes() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, OPERATOR).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("历年情况.xlsx");
        let store = Mutex::new(store);
        let done = export(&store, 2025, 2026, &out).unwrap();
        let table = crate::history::table(&store.lock().unwrap(), 2025, 2026).unwrap();
        assert_eq!(done.agencies as usize, table.rows.len());
        assert!(done.agencies > 10, "{done:?}");
        assert_eq!(done.years, 1, "2025 has no campaign");
        let mut wb = open_workbook_auto(&out).unwrap();
        assert_eq!(wb.sheet_names(), ["历年情况"]);
        let sheet = wb.worksheet_range("历年情况").unwrap();
        assert_eq!(
            sheet.get_value((0, 0)),
            Some(&Data::String("2025—2026年度模范机关评选历年情况".into()))
        );
        // A range the wrong way round is refused as the command line refuses it.
        let e = export(&store, 2026, 2025, &dir.path().join("x.xlsx")).unwrap_err();
        assert_eq!(e.code(), "history.range", "{e}");
        assert!(!dir.path().join("x.xlsx").exists());
    }
}
