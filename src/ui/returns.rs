//! 参评单位: every current return of a campaign with its outcome and provenance, a
//! return's history (replaced and withdrawn returns), and the list as a workbook.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{component_labels, lock, Label, UiError};
use crate::export::table::{self, Cell, List};
use crate::scheme::{Scheme, Tier};
use crate::select::{self, Status};
use crate::store::returns::{self, ReturnRow};
use crate::store::{files, Store};

/// One return as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReturnItem {
    /// Row id of the agency in the store (`agencies.id`): stable across imports, it ties a return
    /// to the agency's awards and panel decisions. The window passes it back to open the agency's
    /// history.
    pub agency_id: i64,
    /// Agency name as the current return declares it (normalised).
    pub name: String,
    /// 统一社会信用代码 (18 characters, upper case, check digit verified) when one is known; `None` for an
    /// agency known by name and region only.
    pub uscc: Option<String>,
    /// 省直, 市级 or 县级: quota rules are per tier, so it picks the agency's pool; a provincial agency
    /// has no region.
    pub tier: Tier,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<String>,
    /// 单位类型, always one of the scheme's `unit_types` (an alias in the return is stored as the type
    /// it stands for); quota rules may be per type.
    pub unit_type: String,
    /// Daily score as declared.
    pub daily: Option<String>,
    /// Component scores as declared, in scheme order.
    pub components: Vec<Option<String>>,
    /// Labels of the veto items flagged.
    pub vetoes: Vec<String>,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
    /// The file it came from.
    pub file_id: i64,
    /// That file's name.
    pub file_name: String,
    /// When that file was imported.
    pub imported_at: String,
    /// Worksheet the return was read from, as named in the workbook (e.g. 县级), so a clerk can find
    /// the row in the file.
    pub sheet: String,
    /// Excel row number (1-based) of the return in `sheet`.
    pub row: u32,
    /// The selection's outcome.
    pub status: Option<Status>,
    /// Composite score (2 places), when computable.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite: Option<Decimal>,
    /// Rank in its pool.
    pub rank: Option<u32>,
    /// Pool name: the rule's tier code, then `/` and the region or unit type for each grouping of
    /// the rule, e.g. `county/广州市越秀区`. `None` when no quota rule applies.
    pub pool: Option<String>,
}

/// The list with the labels of its score columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReturnsList {
    /// Components in scheme order.
    pub components: Vec<Label>,
    /// The daily score's label.
    pub daily_label: String,
    /// Every current return; its status, composite, rank and pool are those of the last
    /// run as stored (none before the first run, nor for a return imported after it).
    pub rows: Vec<ReturnItem>,
    /// The last run and whether the inputs changed since; `None` when never run.
    pub run: Option<select::RunState>,
}

fn scores(scheme: &Scheme, json: &str) -> Vec<Option<String>> {
    let map: HashMap<String, String> = serde_json::from_str(json).unwrap_or_default();
    scheme
        .components
        .iter()
        .map(|c| map.get(&c.key).cloned())
        .collect()
}

fn flagged(scheme: &Scheme, json: &str) -> Vec<String> {
    let map: HashMap<String, bool> = serde_json::from_str(json).unwrap_or_default();
    scheme
        .vetoes
        .iter()
        .filter(|v| map.get(&v.key).copied().unwrap_or(false))
        .map(|v| v.label.clone())
        .collect()
}

/// Every current return of the campaign with its outcome and provenance.
pub fn list(store: &Store, year: i32) -> Result<ReturnsList, UiError> {
    let scheme = select::campaign_scheme(store, year)?;
    let current = returns::list_current(store.conn(), year)?;
    let file_rows = files::list(store.conn(), year)?;
    let (sel, run) = match select::latest(store, year)? {
        Some(stored) => (stored.selection, Some(stored.state)),
        None => (select::Selection::empty(year), None),
    };
    let outcome: HashMap<i64, &select::ResultRow> =
        sel.results.iter().map(|r| (r.agency_id, r)).collect();
    let file_of: HashMap<i64, &files::FileRow> = file_rows.iter().map(|f| (f.id, f)).collect();
    let rows = current
        .into_iter()
        .map(|r| {
            let result = outcome.get(&r.agency_id);
            let file = file_of.get(&r.file_id);
            ReturnItem {
                components: scores(&scheme, &r.components),
                vetoes: flagged(&scheme, &r.vetoes),
                file_name: file.map(|f| f.file_name.clone()).unwrap_or_default(),
                imported_at: file.map(|f| f.imported_at.clone()).unwrap_or_default(),
                status: result.map(|x| x.status),
                composite: result.and_then(|x| x.composite),
                rank: result.and_then(|x| x.rank),
                pool: result.and_then(|x| x.pool.clone()),
                agency_id: r.agency_id,
                name: r.name,
                uscc: r.uscc,
                tier: r.tier,
                region: r.region,
                unit_type: r.unit_type,
                daily: r.daily,
                complaints: r.complaints,
                problems_total: r.problems_total,
                problems_fixed: r.problems_fixed,
                file_id: r.file_id,
                sheet: r.sheet,
                row: r.row,
            }
        })
        .collect();
    Ok(ReturnsList {
        components: component_labels(&scheme),
        daily_label: scheme.daily_label,
        rows,
        run,
    })
}

/// One return of an agency's history in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryItem {
    /// Row id of that return (`returns.id`).
    pub id: i64,
    /// `current`, `replaced` or `withdrawn`.
    // The table's CHECK allows only these three.
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"current\" | \"replaced\" | \"withdrawn\"")
    )]
    pub state: String,
    /// Name of the file that return came from (no folder); empty if its file row is gone.
    pub file_name: String,
    /// Import time of the file.
    pub imported_at: String,
    /// Who imported it.
    pub operator: String,
    /// Worksheet the return was read from, as named in the workbook (e.g. 县级), so a clerk can find
    /// the row in the file.
    pub sheet: String,
    /// Excel row number (1-based) of the return in `sheet`.
    pub row: u32,
    /// Name as declared in that return.
    pub name: String,
    /// 日常考核 as that return declared it (exact decimal text); `None` when blank.
    pub daily: Option<String>,
    /// Components in scheme order.
    pub components: Vec<Option<String>>,
}

/// Every return of an agency in the campaign, oldest first.
pub fn history(store: &Store, year: i32, agency_id: i64) -> Result<Vec<HistoryItem>, UiError> {
    let scheme = select::campaign_scheme(store, year)?;
    let rows: Vec<ReturnRow> = returns::history(store.conn(), year, agency_id)?;
    let file_rows = files::list(store.conn(), year)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let f = file_rows.iter().find(|f| f.id == r.file_id);
            HistoryItem {
                id: r.id,
                state: r.state,
                file_name: f.map(|f| f.file_name.clone()).unwrap_or_default(),
                imported_at: f.map(|f| f.imported_at.clone()).unwrap_or_default(),
                operator: f.map(|f| f.operator.clone()).unwrap_or_default(),
                sheet: r.sheet,
                row: r.row,
                name: r.name,
                daily: r.daily,
                components: scores(&scheme, &r.components),
            }
        })
        .collect())
}

fn decimal(s: &Option<String>) -> Cell {
    s.as_deref()
        .and_then(|s| Decimal::from_str(s).ok())
        .map_or(Cell::Blank, Cell::Score)
}

/// Writes the given returns (by agency id, in this order) as a workbook; the store is
/// locked only while the list is read.
pub fn export(
    store: &Mutex<Store>,
    year: i32,
    agency_ids: &[i64],
    out: &Path,
) -> Result<usize, UiError> {
    let all = list(&*lock(store)?, year)?;
    let by_id: HashMap<i64, &ReturnItem> = all.rows.iter().map(|r| (r.agency_id, r)).collect();
    let mut headers: Vec<String> = ["单位名称", "统一社会信用代码", "层级", "地区", "单位类型"]
        .map(String::from)
        .to_vec();
    headers.extend(all.components.iter().map(|c| c.label.clone()));
    headers.extend(
        [
            all.daily_label.as_str(),
            "一票否决",
            "群众反映问题数",
            "问题清单数",
            "已整改数",
            "综合得分",
            "名次",
            "评选结果",
            "来源文件",
            "工作表",
            "行号",
        ]
        .map(String::from),
    );
    let rows: Vec<Vec<Cell>> = agency_ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|r| {
            let mut cells: Vec<Cell> = vec![
                r.name.clone().into(),
                r.uscc.clone().into(),
                r.tier.label().into(),
                r.region.clone().into(),
                r.unit_type.clone().into(),
            ];
            cells.extend(r.components.iter().map(decimal));
            cells.extend([
                decimal(&r.daily),
                r.vetoes.join("、").into(),
                r.complaints.into(),
                r.problems_total.into(),
                r.problems_fixed.into(),
                r.composite.into(),
                r.rank.map(i64::from).into(),
                r.status.map_or("", |s| s.label()).into(),
                r.file_name.clone().into(),
                r.sheet.clone().into(),
                Cell::Int(i64::from(r.row)),
            ]);
            cells
        })
        .collect();
    let n = rows.len();
    table::write(
        out,
        &[List {
            name: format!("{year}年度参评单位"),
            headers,
            rows,
        }],
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::campaign_with;

    #[test]
    fn lists_returns_with_outcome_provenance_and_history() {
        let mut store = campaign_with(&["00_广州市.xlsx", "03_广州市越秀区.xlsx"]);
        // No outcome is shown before the selection is run.
        let before = list(&store, 2026).unwrap();
        assert_eq!(before.run, None);
        assert!(before
            .rows
            .iter()
            .all(|r| r.status.is_none() && r.rank.is_none()));
        crate::select::run(&mut store, 2026, "张三").unwrap();
        let l = list(&store, 2026).unwrap();
        assert_eq!(l.rows.len(), 39);
        assert_eq!(l.components.len(), 5);
        let r = l
            .rows
            .iter()
            .find(|r| r.name == "广州市人民检察院")
            .unwrap();
        assert_eq!(
            (r.file_name.as_str(), r.sheet.as_str(), r.row),
            ("00_广州市.xlsx", "申报汇总", 5)
        );
        assert_eq!(r.components[0].as_deref(), Some("95.24"));
        assert_eq!(r.daily.as_deref(), Some("95.4"));
        assert!(r.status.is_some() && r.composite.is_some());

        let h = history(&store, 2026, r.agency_id).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(
            (h[0].state.as_str(), h[0].operator.as_str()),
            ("current", "测试员")
        );

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("参评单位.xlsx");
        let ids: Vec<i64> = l.rows.iter().take(5).map(|r| r.agency_id).collect();
        assert_eq!(export(&Mutex::new(store), 2026, &ids, &out).unwrap(), 5);
        assert!(std::fs::metadata(&out).unwrap().len() > 4000);
    }
}
