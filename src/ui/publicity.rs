//! The 公示 panel (docs/specification.md §9): the rounds of a campaign's publicity, its
//! objections (never their objectors), and why publishing is not possible yet, in one
//! view. Its actions are the core's own, one call each: [`crate::publicity::plan`] (the
//! computed end shown before the clerk confirms), [`crate::publicity::start`],
//! [`crate::publicity::add`] (through [`add_objection`], which takes the dialog's owned
//! form), [`crate::publicity::resolve`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::reviews::parse_date;
use super::UiError;
use crate::notice::text::cn_period;
use crate::publicity::{self, NewObjection, ObjectionView, RoundAgency, RoundPlan};
use crate::store::Store;
use crate::vocab::ObjectionChannel;

/// A round as the 开始公示 dialog shows it before the clerk confirms, or as started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanView {
    /// The round.
    pub plan: RoundPlan,
    /// Its period in words: "2026年11月2日至11月6日".
    pub period: String,
}

impl From<RoundPlan> for PlanView {
    fn from(plan: RoundPlan) -> Self {
        PlanView {
            period: cn_period(plan.from, plan.to),
            plan,
        }
    }
}

/// What starting a round from `from` would record ([`publicity::plan`]), with its period in
/// words; nothing is stored.
pub fn plan(
    store: &Store,
    year: i32,
    from: NaiveDate,
    days: Option<u32>,
) -> Result<PlanView, UiError> {
    Ok(publicity::plan(store, year, from, days)?.into())
}

/// Starts the round ([`publicity::start`]).
pub fn start(
    store: &mut Store,
    year: i32,
    from: NaiveDate,
    days: Option<u32>,
    operator: &str,
) -> Result<PlanView, UiError> {
    Ok(publicity::start(store, year, from, days, operator)?.into())
}

/// The 登记异议 dialog's form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectionInput {
    /// The agency: its USCC, or its name as publicised.
    pub agency: String,
    /// Received on (YYYY-MM-DD).
    pub date: String,
    /// How it came.
    pub channel: ObjectionChannel,
    /// What it says.
    pub content: String,
    /// Who raised it, if they gave a name (kept, never shown again).
    pub objector: Option<String>,
}

/// Records the objection of the dialog's form ([`publicity::add`]); a blank objector is no
/// objector.
pub fn add_objection(
    store: &mut Store,
    year: i32,
    input: &ObjectionInput,
    operator: &str,
) -> Result<ObjectionView, UiError> {
    let date = parse_date(&input.date)?;
    let objector = input
        .objector
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    Ok(publicity::add(
        store,
        &NewObjection {
            year,
            agency: &input.agency,
            date,
            channel: input.channel,
            content: &input.content,
            objector,
        },
        operator,
    )?)
}

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
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::Coded;

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
        let planned = plan(&store, 2026, d("2026-11-02"), None).unwrap();
        assert_eq!(planned.plan.to, d("2026-11-06"));
        assert_eq!(planned.period, "2026年11月2日至11月6日");
        let started = start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
        assert_eq!(started, planned);
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

    #[test]
    fn the_dialog_form_records_an_objection_and_a_blank_objector_is_none() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, OPERATOR).unwrap();
        publicity::start(&mut store, 2026, d("2026-11-02"), None, OPERATOR).unwrap();
        let mut input = ObjectionInput {
            agency: "广州市应急管理局".into(),
            date: "2026-11-3".into(),
            channel: ObjectionChannel::Email,
            content: "反映问题".into(),
            objector: Some("  ".into()),
        };
        let o = add_objection(&mut store, 2026, &input, OPERATOR).unwrap();
        assert_eq!((o.date, o.late), (d("2026-11-03"), false));
        let named = crate::store::objections::objector_of(store.conn(), o.id).unwrap();
        assert_eq!(named, None);
        input.date = "11月3日".into();
        let bad = add_objection(&mut store, 2026, &input, OPERATOR).unwrap_err();
        assert_eq!(bad.code(), "desktop.bad_date");
        input.date = "2026-11-20".into();
        input.agency = "不存在的单位".into();
        let missing = add_objection(&mut store, 2026, &input, OPERATOR).unwrap_err();
        assert_eq!(missing.code(), "objection.not_publicised");
    }
}
