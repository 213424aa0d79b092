//! The 公示 panel (docs/specification.md §9): the rounds of a campaign's publicity, its
//! objections (never their objectors), and why publishing is not possible yet, in one
//! view. Its actions are the core's own, one call each: [`crate::publicity::plan`] (the
//! computed end shown before the clerk confirms), [`crate::publicity::start`],
//! [`crate::publicity::add`], [`crate::publicity::resolve`].

use chrono::NaiveDate;
use serde::Serialize;

use super::UiError;
use crate::notice::text::cn_period;
use crate::publicity::{self, ObjectionView, RoundAgency};
use crate::store::Store;

/// One round as the panel's timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundView {
    /// Its number, from 1.
    pub number: u32,
    /// Whether it is a supplementary round (补充公示).
    pub supplementary: bool,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// "2026年11月2日至11月6日".
    pub period: String,
    /// Working days.
    pub working_days: u32,
    /// The agencies it publicised.
    pub agencies: Vec<RoundAgency>,
    /// Who started it.
    pub operator: String,
    /// When (RFC 3339).
    pub at: String,
}

/// The 公示 panel of a campaign on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublicityView {
    /// Campaign year.
    pub year: i32,
    /// The date the view is for (publishing is judged on it).
    pub on: NaiveDate,
    /// The scheme's working days; 0: the scheme has no publicity, nothing else applies.
    pub working_days: u32,
    /// The rounds, oldest first.
    pub rounds: Vec<RoundView>,
    /// Every objection, in the order recorded.
    pub objections: Vec<ObjectionView>,
    /// Objections not settled.
    pub objections_open: u32,
    /// The first day publishing is possible, when known.
    pub can_publish_on: Option<NaiveDate>,
    /// Why publishing on `on` is refused, one sentence each (empty: it may be published).
    pub blocked_by: Vec<String>,
    /// "未设置<year>年节假日安排，仅按周末计算", once per year the periods were counted
    /// without an arrangement.
    pub calendar_warnings: Vec<String>,
}

/// The 公示 panel of campaign `year` on `on` (the window passes today).
pub fn view(store: &Store, year: i32, on: NaiveDate) -> Result<PublicityView, UiError> {
    let (status, standing) = publicity::status(store, year, on)?;
    let calendar_warnings = publicity::warnings(&standing);
    Ok(PublicityView {
        year,
        on,
        working_days: standing.working_days,
        rounds: standing
            .rounds
            .iter()
            .enumerate()
            .map(|(i, r)| RoundView {
                number: i as u32 + 1,
                supplementary: i > 0,
                from: r.from,
                to: r.to,
                period: cn_period(r.from, r.to),
                working_days: r.working_days,
                agencies: r
                    .agencies
                    .iter()
                    .map(|a| RoundAgency {
                        agency_id: a.agency_id,
                        uscc: a.uscc.clone(),
                        name: a.name.clone(),
                    })
                    .collect(),
                operator: r.operator.clone(),
                at: r.at.clone(),
            })
            .collect(),
        objections: publicity::list(store, year)?,
        objections_open: status.objections_open,
        can_publish_on: status.can_publish_on,
        blocked_by: status.blocked_by,
        calendar_warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publicity::NewObjection;
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::vocab::ObjectionChannel;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_panel_shows_rounds_objections_and_why_not_yet() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, OPERATOR).unwrap();
        let empty = view(&store, 2026, d("2026-11-01")).unwrap();
        assert_eq!((empty.working_days, empty.rounds.len()), (5, 0));
        assert_eq!(
            empty.blocked_by,
            ["尚未公示（评选方案要求公示5个工作日），请先开始公示"]
        );
        // The end date is shown before the clerk confirms.
        let plan = publicity::plan(&store, 2026, d("2026-11-02"), None).unwrap();
        assert_eq!(plan.to, d("2026-11-06"));
        publicity::start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
        publicity::add(
            &mut store,
            &NewObjection {
                year: 2026,
                agency: "广州市应急管理局",
                date: d("2026-11-03"),
                channel: ObjectionChannel::Phone,
                content: "反映问题",
                objector: Some("李秘密"),
            },
            OPERATOR,
        )
        .unwrap();
        let v = view(&store, 2026, d("2026-11-04")).unwrap();
        assert_eq!(v.rounds[0].period, "2026年11月2日至11月6日");
        assert_eq!(v.rounds[0].agencies.len(), 4);
        assert_eq!((v.objections.len(), v.objections_open), (1, 1));
        assert_eq!(
            v.blocked_by,
            ["公示期至11月6日，尚未结束", "还有1条异议未处理"]
        );
        assert_eq!(
            v.calendar_warnings,
            ["未设置2026年节假日安排，仅按周末计算"]
        );
        let json = serde_json::to_string(&v).unwrap();
        assert!(!json.contains("李秘密"), "{json}");
    }
}
