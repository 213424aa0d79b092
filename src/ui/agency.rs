//! 单位查询 and each agency's page (单位历年情况, docs/specification.md §11): finding an
//! agency by a part of its name or USCC, its history as `crate::history::show` reads it,
//! with its ledger lines coloured. The page's 登记督查 / 登记问责 dialogs are 监督问责's
//! (`super::supervision::{add_supervision, add_accountability}`), the agency fixed there.

use chrono::NaiveDate;
use serde::Serialize;

use super::ledger::{tone, Tone};
use super::UiError;
use crate::history::{self, AgencyHistory, LedgerEntry};
use crate::normalize::name_key;
use crate::store::agencies;
use crate::store::Store;
use crate::supervision::AgencyRef;
use crate::vocab::Tier;

/// The most agencies one search lists: enough to pick from, few enough to read.
pub const SEARCH_LIMIT: usize = 50;

/// An agency found by 单位查询.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencyHit {
    /// `agencies.id`: the page to open.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Current name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Region.
    pub region: Option<String>,
    /// Unit type.
    pub unit_type: String,
}

/// What 单位查询 found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencySearch {
    /// The agencies, by name (at most [`SEARCH_LIMIT`]).
    pub hits: Vec<AgencyHit>,
    /// How many matched in all.
    pub total: u32,
}

/// The agencies whose current name contains `query` (names compared by their matching
/// key: spaces and full-width forms do not matter) or whose USCC starts with it (any
/// case); every agency when `query` is blank. At most [`SEARCH_LIMIT`] are listed.
pub fn search(store: &Store, query: &str) -> Result<AgencySearch, UiError> {
    let key = name_key(query);
    let code: String = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let all = agencies::list(store.conn())?;
    let matched: Vec<_> = all
        .into_iter()
        .filter(|a| {
            key.is_empty()
                || a.name_key.contains(&key)
                || a.uscc.as_deref().is_some_and(|u| u.starts_with(&code))
        })
        .collect();
    Ok(AgencySearch {
        total: matched.len() as u32,
        hits: matched
            .into_iter()
            .take(SEARCH_LIMIT)
            .map(|a| AgencyHit {
                id: a.id,
                uscc: a.uscc,
                name: a.name,
                tier: a.tier,
                region: a.region,
                unit_type: a.unit_type,
            })
            .collect(),
    })
}

/// One of the agency's ledger items on its page: the history's entry and the colour of
/// its status (the 清单台账 screen's, [`tone`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LedgerLine {
    /// The item.
    #[serde(flatten)]
    pub entry: LedgerEntry,
    /// Its status's colour.
    pub tone: Tone,
}

/// The agency page: the agency's history with its ledger items coloured, statuses as of
/// `date`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgencyPage {
    /// The history (`agency show`).
    #[serde(flatten)]
    pub history: AgencyHistory,
    /// The date the ledger statuses are on.
    pub date: NaiveDate,
    /// Its ledger items as `history.ledger` orders them, each with its colour.
    pub lines: Vec<LedgerLine>,
}

/// The agency page: agency `id`'s history, its ledger on today.
pub fn page(store: &Store, id: i64) -> Result<AgencyPage, UiError> {
    let date = crate::today();
    let history = history::show(store, AgencyRef::Id(id), date)?;
    let lines = history
        .ledger
        .iter()
        .map(|e| LedgerLine {
            tone: tone(e.status),
            entry: e.clone(),
        })
        .collect();
    Ok(AgencyPage {
        history,
        date,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::Coded;

    #[test]
    fn a_search_finds_by_part_of_a_name_or_the_start_of_a_uscc() {
        let store = campaign_with(&["00_广州市.xlsx"]);
        let all = search(&store, " ").unwrap();
        assert!(all.total as usize > 10);
        assert_eq!(all.hits.len(), (all.total as usize).min(SEARCH_LIMIT));
        let found = search(&store, "应急 管理").unwrap();
        assert_eq!(
            found
                .hits
                .iter()
                .map(|h| h.name.as_str())
                .collect::<Vec<_>>(),
            ["广州市应急管理局"]
        );
        let code = found.hits[0].uscc.clone().unwrap();
        let by_code = search(&store, &code[..10].to_lowercase()).unwrap();
        assert!(by_code.hits.iter().any(|h| h.id == found.hits[0].id));
        assert_eq!(search(&store, "不存在的单位").unwrap().total, 0);
    }

    #[test]
    fn the_page_s_dialogs_record_and_the_page_shows_them() {
        use crate::ui::supervision::{
            add_accountability, add_supervision, AccountabilityInput, SupervisionInput,
        };
        use crate::vocab::{AccountabilityKind, SupervisionKind};
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, OPERATOR).unwrap();
        let id = search(&store, "广州市应急管理局").unwrap().hits[0].id;
        let s = SupervisionInput {
            agency_id: id,
            kind: SupervisionKind::Inquiry,
            date: "2026-04-01".into(),
            subject: "书面问询整改情况".into(),
            content: None,
            people: None,
        };
        assert!(add_supervision(&mut store, &s, OPERATOR)
            .unwrap()
            .record
            .is_some());
        let a = AccountabilityInput {
            agency_id: id,
            person: Some("张三".into()),
            kind: AccountabilityKind::Discipline,
            date: "2026-05-01".into(),
            reason: "违反中央八项规定精神".into(),
            doc_number: None,
        };
        assert!(add_accountability(&mut store, &a, OPERATOR)
            .unwrap()
            .record
            .is_some());
        let p = page(&store, id).unwrap().history;
        assert_eq!(p.agency.name, "广州市应急管理局");
        assert_eq!(p.years.len(), 1);
        assert_eq!(p.supervision.len(), 1);
        assert_eq!(p.accountability[0].person.as_deref(), Some("张三"));
        // The 2026 result now misses the record: the page says so.
        assert!(p.years[0].stale);
        let e = page(&store, 99_999).unwrap_err();
        assert_eq!(e.code(), "agency.not_found");
    }
}
