//! 工作台: where the current campaign stands — scheme, imports, selection, publicity,
//! review and publication — with the figures the charts need. Everything is read from the
//! core; the selection is the last run's as stored. Whether the 公示 step is done is the
//! core's rule ([`publicity_facts`]): it depends on the date, as publishing does.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::UiError;
use crate::campaign::CampaignSummary;
use crate::scheme::{QuotaSize, Scheme, Tier};
use crate::select::{self, Status};
use crate::store::awards::{self, AwardStatus};
use crate::store::{files, Store};
use crate::vocab::StoredFileStatus;

/// The scheme in a few figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchemeFacts {
    /// Components of the annual score.
    pub components: usize,
    /// Veto items (一票否决) of the scheme.
    pub vetoes: usize,
    /// Quota rules (`[[quotas]]`) of the scheme; each makes one pool or one per region or unit
    /// type.
    pub quota_rules: usize,
    /// Share of the daily score.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub daily_share: Decimal,
    /// Minimum composite, if any.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub composite_min: Option<Decimal>,
    /// Fixed seats over all count rules (percent rules are not counted).
    pub fixed_seats: u32,
}

/// Imported files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileFacts {
    /// Files in force (imported or partial).
    pub live: usize,
    /// Of which partial imports.
    pub partial: usize,
    /// Files withdrawn.
    pub withdrawn: usize,
}

/// One tier's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TierFacts {
    /// The tier these figures are of (省直, 市级 or 县级).
    pub tier: Tier,
    /// Current returns of agencies of this tier.
    pub declared: u32,
    /// Eligible returns.
    pub eligible: u32,
    /// Selected returns.
    pub selected: u32,
}

/// The selection in figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SelectionFacts {
    /// Pools the selection formed (a rule grouped by region or unit type makes several).
    pub pools: usize,
    /// Seats over all pools.
    pub quota: u32,
    /// Returns per status.
    // Every status is a key, with 0 when no return has it.
    #[cfg_attr(
        feature = "ts",
        ts(as = "BTreeMap<crate::vocab::SelectionStatus, u32>")
    )]
    pub statuses: BTreeMap<&'static str, u32>,
    /// Per tier, in tier order.
    pub tiers: Vec<TierFacts>,
    /// Every computable composite, for the distribution chart.
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub composites: Vec<Decimal>,
}

/// The awards registry and this year's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewFacts {
    /// Awards held (active).
    pub active: usize,
    /// Awards under rectification.
    pub rectifying: usize,
    /// Awards revoked.
    pub revoked: usize,
    /// The review applied in this campaign year, if any.
    pub applied: Option<AppliedFacts>,
}

/// The review applied in a campaign year, in figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppliedFacts {
    /// The review date.
    pub date: NaiveDate,
    /// How many awards were due (and had the review's outcome applied).
    pub due: usize,
    /// Who applied it.
    pub operator: String,
    /// When it was applied (RFC 3339, local time).
    pub applied_at: String,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    /// The campaign's title, status and counts of returns and files.
    pub campaign: CampaignSummary,
    /// Its scheme.
    pub scheme: SchemeFacts,
    /// Its files.
    pub files: FileFacts,
    /// Its last run's result as stored (all zero when the selection was never run).
    pub selection: SelectionFacts,
    /// The last run and whether the inputs changed since; `None` when never run.
    pub run: Option<select::RunState>,
    /// The registry and review.
    pub review: ReviewFacts,
    /// The publicity (公示) on the date asked for.
    pub publicity: PublicityFacts,
    /// The ledger's overdue and due-soon problems on that date (every agency's: the ledger
    /// belongs to no campaign), which the dashboard links to 清单台账.
    pub ledger: super::ledger::ProblemCounts,
}

/// The 公示 step on a date (docs/specification.md §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PublicityFacts {
    /// The scheme's working days; 0: the scheme has no publicity.
    pub working_days: u32,
    /// Rounds started.
    pub rounds: u32,
    /// Agencies publicised over all rounds.
    pub publicised: u32,
    /// Objections recorded.
    pub objections: u32,
    /// Of which not settled.
    pub objections_open: u32,
    /// Whether the step is done: the campaign is published, its scheme has no publicity,
    /// or nothing of the publicity stands in the way of publishing on the date.
    pub done: bool,
    /// What is left, one sentence each (the refusals publishing would give); empty when
    /// done.
    pub left: Vec<String>,
    /// The first day publishing is possible, when known and not yet done.
    pub can_publish_on: Option<NaiveDate>,
}

/// The 公示 step of campaign `year` on `on`. A published campaign's step is done whatever
/// its rounds (a campaign published before publicity existed has none).
fn publicity_facts(
    store: &Store,
    year: i32,
    published: bool,
    on: NaiveDate,
) -> Result<PublicityFacts, UiError> {
    let s = crate::publicity::standing(store, year, on)?;
    let objections = crate::publicity::list(store, year)?.len() as u32;
    let done = published || s.working_days == 0 || s.blocks.is_empty();
    Ok(PublicityFacts {
        working_days: s.working_days,
        rounds: s.rounds.len() as u32,
        publicised: s.rounds.iter().map(|r| r.agencies.len() as u32).sum(),
        objections,
        objections_open: s.objections_open,
        done,
        left: if done {
            Vec::new()
        } else {
            s.blocks.iter().map(ToString::to_string).collect()
        },
        can_publish_on: s.can_publish_on.filter(|_| !done),
    })
}

fn scheme_facts(s: &Scheme) -> SchemeFacts {
    SchemeFacts {
        components: s.components.len(),
        vetoes: s.vetoes.len(),
        quota_rules: s.quotas.len(),
        daily_share: s.daily_share,
        composite_min: s.thresholds.composite_min,
        fixed_seats: s
            .quotas
            .iter()
            .map(|q| match q.size {
                QuotaSize::Count(n) => n,
                QuotaSize::Percent(_) => 0,
            })
            .sum(),
    }
}

/// The dashboard of campaign `year` on `on` (the window passes today: the 公示 step's
/// period ends on a date).
pub fn dashboard(store: &Store, year: i32, on: NaiveDate) -> Result<Dashboard, UiError> {
    let campaign = crate::campaign::get(store, year)?;
    let publicity = publicity_facts(
        store,
        year,
        campaign.status == crate::vocab::CampaignStatus::Published,
        on,
    )?;
    let scheme = select::campaign_scheme(store, year)?;
    let file_rows = files::list(store.conn(), year)?;
    let award_rows = awards::list_for(store.conn(), year)?;
    let applied = crate::review::applied(store, year)?;
    // What the selection screen shows: the last run as stored, never a recomputation.
    let (sel, run) = match select::latest(store, year)? {
        Some(stored) => (stored.selection, Some(stored.state)),
        None => (select::Selection::empty(year), None),
    };
    let mut statuses: BTreeMap<&'static str, u32> = [
        Status::Selected,
        Status::TiePending,
        Status::NotSelected,
        Status::Ineligible,
    ]
    .iter()
    .map(|s| (s.as_str(), 0))
    .collect();
    let mut tiers: Vec<TierFacts> = [Tier::Province, Tier::City, Tier::County]
        .iter()
        .map(|t| TierFacts {
            tier: *t,
            declared: 0,
            eligible: 0,
            selected: 0,
        })
        .collect();
    for r in &sel.results {
        *statuses.entry(r.status.as_str()).or_default() += 1;
        if let Some(t) = tiers.iter_mut().find(|t| t.tier == r.tier) {
            t.declared += 1;
            t.eligible += u32::from(r.eligible);
            t.selected += u32::from(r.status == Status::Selected);
        }
    }
    let count = |s: AwardStatus| award_rows.iter().filter(|a| a.status == s).count();
    Ok(Dashboard {
        ledger: super::ledger::problem_counts(store, on)?,
        campaign,
        scheme: scheme_facts(&scheme),
        files: FileFacts {
            live: file_rows
                .iter()
                .filter(|f| f.status != StoredFileStatus::Withdrawn)
                .count(),
            partial: file_rows
                .iter()
                .filter(|f| f.status == StoredFileStatus::Partial)
                .count(),
            withdrawn: file_rows
                .iter()
                .filter(|f| f.status == StoredFileStatus::Withdrawn)
                .count(),
        },
        selection: SelectionFacts {
            pools: sel.pools.len(),
            quota: sel.pools.iter().map(|p| p.quota).sum(),
            statuses,
            tiers,
            composites: sel.results.iter().filter_map(|r| r.composite).collect(),
        },
        run,
        review: ReviewFacts {
            active: count(AwardStatus::Active),
            rectifying: count(AwardStatus::Rectifying),
            revoked: count(AwardStatus::Revoked),
            applied: applied.map(|r| AppliedFacts {
                date: r.date,
                due: r.rows.len(),
                operator: r.operator,
                applied_at: r.applied_at,
            }),
        },
        publicity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{campaign_with, opts, sample};
    use crate::Coded;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn counts_every_step_of_a_campaign() {
        let mut store = campaign_with(&[]);
        let empty = dashboard(&store, 2026, day("2026-11-01")).unwrap();
        assert_eq!(empty.campaign.returns, 0);
        assert_eq!(empty.scheme.components, 5);
        assert_eq!(empty.scheme.quota_rules, 3);
        assert_eq!(empty.files.live, 0);
        assert!(empty.selection.composites.is_empty());

        for n in ["00_广州市.xlsx", "03_广州市越秀区.xlsx"] {
            let returns = crate::import::Returns::open(&store, 2026, &[]).unwrap();
            crate::import::import_file(&mut store, &returns, &sample(n), &opts()).unwrap();
        }
        let d = dashboard(&store, 2026, day("2026-11-01")).unwrap();
        assert_eq!(d.files.live, 2);
        assert_eq!(d.campaign.returns, 39);
        // Nothing is selected before the selection is run.
        assert_eq!(d.run, None);
        assert_eq!(d.selection.statuses.values().sum::<u32>(), 0);
        crate::select::run(&mut store, 2026, "张三").unwrap();
        let d = dashboard(&store, 2026, day("2026-11-01")).unwrap();
        assert_eq!(d.run.as_ref().map(|r| r.stale()), Some(false));
        let total: u32 = d.selection.statuses.values().sum();
        assert_eq!(total, 39);
        let city = &d.selection.tiers[1];
        assert_eq!((city.tier, city.declared), (Tier::City, 27));
        assert!(city.eligible <= city.declared && city.selected <= city.eligible);
        assert_eq!(d.selection.composites.len(), 39);
        assert!(d.review.applied.is_none());
        assert_eq!(
            dashboard(&store, 2030, day("2026-11-01"))
                .unwrap_err()
                .code(),
            "campaign.not_found"
        );
    }

    #[test]
    fn the_publicity_step_is_done_once_nothing_stands_in_the_way_on_the_date() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, "张三").unwrap();
        let before = dashboard(&store, 2026, day("2026-11-01"))
            .unwrap()
            .publicity;
        assert_eq!(
            (before.working_days, before.rounds, before.done),
            (5, 0, false)
        );
        assert_eq!(
            before.left,
            ["尚未公示（评选方案要求公示5个工作日），请先开始公示"]
        );
        crate::publicity::start(&mut store, 2026, day("2026-11-02"), None, "张三").unwrap();
        // During the period: not done, and the day it may be published is known.
        let during = dashboard(&store, 2026, day("2026-11-04"))
            .unwrap()
            .publicity;
        assert!(!during.done);
        assert_eq!((during.rounds, during.publicised), (1, 4));
        assert_eq!(during.left, ["公示期至11月6日，尚未结束"]);
        assert_eq!(during.can_publish_on, Some(day("2026-11-09")));
        // An objection keeps it open after the period.
        crate::publicity::add(
            &mut store,
            &crate::publicity::NewObjection {
                year: 2026,
                agency: "广州市应急管理局",
                date: day("2026-11-03"),
                channel: crate::vocab::ObjectionChannel::Letter,
                content: "反映问题",
                objector: None,
            },
            "张三",
        )
        .unwrap();
        let open = dashboard(&store, 2026, day("2026-11-09"))
            .unwrap()
            .publicity;
        assert_eq!(
            (open.done, open.objections, open.objections_open),
            (false, 1, 1)
        );
        assert_eq!(open.left, ["还有1条异议未处理"]);
        crate::publicity::resolve(
            &mut store,
            2026,
            1,
            crate::vocab::ObjectionResolution::Rejected,
            "经核实不属实",
            day("2026-11-05"),
            "张三",
        )
        .unwrap();
        let after = dashboard(&store, 2026, day("2026-11-09"))
            .unwrap()
            .publicity;
        assert!(after.done);
        assert!(after.left.is_empty() && after.can_publish_on.is_none());
    }
}
