//! Publicity and objections before a naming is final (公示与异议, docs/specification.md §9).
//!
//! - **Rounds** ([`start`], [`plan`]): the selected agencies of the campaign's current
//!   result are publicised for the scheme's `[publicity] working_days` (or `--days`)
//!   working days counted from the first day ([`crate::calendar`]). The list publicised
//!   is recorded as it stood. A later round (补充公示) publicises only the selected
//!   agencies no earlier round had — the ones that moved up after an upheld objection.
//! - **Objections** ([`objections`]): recorded against a publicised agency, marked 逾期
//!   when received after that agency's publicity ended, and settled with a reason; an
//!   upheld one excludes the agency through the panel's override machinery, in the same
//!   transaction. The objector's name is kept and never printed.
//! - **Standing** ([`standing`], [`status`]): on a date, what still stands in the way of
//!   publishing ([`Block`]); `campaign::publish` refuses while anything does. With
//!   `working_days = 0` the scheme has no publicity and nothing applies.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::calendar::{self, Calendar};
use crate::scheme::{Scheme, SchemeError};
use crate::select::{self, SelectError, Selection, Status as SelectionStatus};
use crate::store::campaigns::{self, Change};
use crate::store::publicity::{self as rounds, NewRound, PublicisedAgency, RoundRow};
use crate::store::{objections as stored, Store, StoreError};
use crate::vocab::{ObjectionChannel, ObjectionResolution};
use crate::Coded;

pub mod objections;
#[cfg(test)]
mod tests;

pub use objections::{add, list, resolve, NewObjection, ObjectionView};

/// The most working days a round may last (`--days`), as the scheme's setting.
pub const MAX_DAYS: u32 = crate::limits::scheme::PUBLICITY_DAYS.1 as u32;

/// Errors of the publicity and the objections.
#[derive(Debug, Error)]
pub enum PublicityError {
    /// No campaign for the year, or it is published.
    #[error(transparent)]
    Campaign(#[from] campaigns::Unavailable),
    /// The selection's result is missing or stale, or recording an exclusion failed.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The campaign's scheme is unreadable.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// The scheme has no publicity step.
    #[error("{0}年度评选方案不设公示（[publicity] working_days = 0），发布前无需公示")]
    NotApplicable(i32),
    /// `--days` out of range.
    #[error("公示天数 {0} 无效，应为 1–30 个工作日")]
    Days(u32),
    /// Ties must be resolved before the list can be publicised.
    #[error("还有{0}家单位并列待定，请先由评审组决定后再公示")]
    TiesPending(u32),
    /// A first round with nobody selected.
    #[error("{0}年度没有入选单位，不能公示")]
    NothingSelected(i32),
    /// A supplementary round with nobody new to publicise.
    #[error("入选单位均已公示（共{publicised}家），没有需要补充公示的单位")]
    NothingNew {
        /// Agencies publicised by the earlier rounds and still selected.
        publicised: usize,
    },
    /// A round starting before the previous one started.
    #[error("公示开始日期{from}早于上一轮公示的开始日期{previous}")]
    BeforePrevious {
        /// The first day asked for.
        from: NaiveDate,
        /// The previous round's first day.
        previous: NaiveDate,
    },
    /// An objection while nothing was publicised yet.
    #[error("{0}年度尚未公示，不能登记异议")]
    NoPublicity(i32),
    /// An objection to an agency no round publicised.
    #[error("“{agency}”不在{year}年度的公示名单中")]
    NotPublicised {
        /// Campaign year.
        year: i32,
        /// The agency as asked for.
        agency: String,
    },
    /// A name that several publicised agencies have.
    #[error("“{agency}”对应多个公示单位（{}），请改用统一社会信用代码", .matches.join("、"))]
    Ambiguous {
        /// The agency as asked for.
        agency: String,
        /// The agencies it matches.
        matches: Vec<String>,
    },
    /// An objection received before the agency's publicity began.
    #[error("异议收到日期{date}早于“{agency}”的公示开始日期{from}")]
    BeforePublicity {
        /// The date given.
        date: NaiveDate,
        /// The agency.
        agency: String,
        /// Its round's first day.
        from: NaiveDate,
    },
    /// A required text is empty.
    #[error("请填写{0}")]
    Required(&'static str),
    /// A text too long or holding a control character.
    #[error("{0}")]
    TextInvalid(String),
    /// No objection with this number in the campaign.
    #[error("{year}年度没有编号为{id}的异议")]
    ObjectionNotFound {
        /// Campaign year.
        year: i32,
        /// The number asked for.
        id: i64,
    },
    /// Settling an objection settled before.
    #[error("第{id}号异议已处理（{}），不能再次处理", .resolution.label())]
    AlreadyResolved {
        /// The objection.
        id: i64,
        /// How it was settled.
        resolution: ObjectionResolution,
    },
    /// A resolution dated before the objection was received.
    #[error("处理日期{on}早于异议收到日期{received}")]
    ResolvedBeforeReceived {
        /// The date given.
        on: NaiveDate,
        /// The received date.
        received: NaiveDate,
    },
}

impl From<rusqlite::Error> for PublicityError {
    fn from(e: rusqlite::Error) -> Self {
        PublicityError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for PublicityError {
    fn code(&self) -> &'static str {
        match self {
            PublicityError::Campaign(e) => e.code(),
            PublicityError::Select(e) => e.code(),
            PublicityError::Scheme(e) => e.code(),
            PublicityError::Store(e) => e.code(),
            PublicityError::Audit(e) => e.code(),
            PublicityError::NotApplicable(_) => "publicity.not_applicable",
            PublicityError::Days(_) => "publicity.days",
            PublicityError::TiesPending(_) => "publicity.ties_pending",
            PublicityError::NothingSelected(_) => "publicity.nothing_selected",
            PublicityError::NothingNew { .. } => "publicity.nothing_new",
            PublicityError::BeforePrevious { .. } => "publicity.before_previous",
            PublicityError::NoPublicity(_) => "objection.no_publicity",
            PublicityError::NotPublicised { .. } => "objection.not_publicised",
            PublicityError::Ambiguous { .. } => "objection.ambiguous",
            PublicityError::BeforePublicity { .. } => "objection.before_publicity",
            PublicityError::Required(_) => "objection.required",
            PublicityError::TextInvalid(_) => "objection.text_invalid",
            PublicityError::ObjectionNotFound { .. } => "objection.not_found",
            PublicityError::AlreadyResolved { .. } => "objection.already_resolved",
            PublicityError::ResolvedBeforeReceived { .. } => "objection.resolved_before_received",
        }
    }
}

/// "11月6日", with the year in front when it is not the campaign's ("2027年1月4日").
pub fn short_date(day: NaiveDate, year: i32) -> String {
    if day.year() == year {
        format!("{}月{}日", day.month(), day.day())
    } else {
        format!("{}年{}月{}日", day.year(), day.month(), day.day())
    }
}

/// What stands in the way of publishing a campaign on a date. Each carries its values;
/// its `Display` is the sentence the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// The scheme asks for a publicity and none was started.
    NotStarted {
        /// Working days the scheme asks for.
        working_days: u32,
    },
    /// A round's period has not ended on the date (the latest end is named).
    PeriodRunning {
        /// The last day of the period.
        end: NaiveDate,
        /// The campaign year (the end is named without its year when it is this one).
        year: i32,
    },
    /// Objections not yet settled.
    ObjectionsOpen {
        /// How many.
        count: u32,
    },
    /// Agencies selected now that no round publicised (moved up, or included since).
    NotPublicised {
        /// Their names, in result order.
        names: Vec<String>,
    },
}

impl std::fmt::Display for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Block::NotStarted { working_days } => write!(
                f,
                "尚未公示（评选方案要求公示{working_days}个工作日），请先开始公示"
            ),
            Block::PeriodRunning { end, year } => {
                write!(f, "公示期至{}，尚未结束", short_date(*end, *year))
            }
            Block::ObjectionsOpen { count } => write!(f, "还有{count}条异议未处理"),
            Block::NotPublicised { names } => {
                write!(f, "{}递补入选，尚未公示", names.join("、"))
            }
        }
    }
}

/// Publishing refused on a date: every [`Block`], in the order above.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("不能发布：{}", .blocks.iter().map(ToString::to_string).collect::<Vec<_>>().join("；"))]
pub struct Blocked {
    /// Campaign year.
    pub year: i32,
    /// The date publishing was asked for.
    pub on: NaiveDate,
    /// What stands in the way.
    pub blocks: Vec<Block>,
}

impl Coded for Blocked {
    fn code(&self) -> &'static str {
        "publish.blocked"
    }
}

/// Where a campaign's publicity stands on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The scheme's working days (0: no publicity step).
    pub working_days: u32,
    /// The rounds, oldest first.
    pub rounds: Vec<RoundRow>,
    /// Objections not settled.
    pub objections_open: u32,
    /// What stands in the way of publishing on the date.
    pub blocks: Vec<Block>,
    /// The first working day after the last period, when only the date stands in the way
    /// or nothing does; `None` without a round, or while objections are open or agencies
    /// are still to be publicised.
    pub can_publish_on: Option<NaiveDate>,
    /// The years the periods (and the day after the last) fall in that have no holiday
    /// arrangement.
    pub missing_years: Vec<i32>,
}

/// The agencies selected in `sel`, in result order.
fn selected(sel: &Selection) -> Vec<&select::ResultRow> {
    sel.results
        .iter()
        .filter(|r| r.status == SelectionStatus::Selected)
        .collect()
}

/// Where campaign `year`'s publicity stands on `on`, against the selection `sel` (the
/// result publishing would name).
pub fn standing_with(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
    sel: Option<&Selection>,
    on: NaiveDate,
) -> Result<Standing, PublicityError> {
    let working_days = scheme.publicity.working_days;
    let rounds = rounds::list(conn, year)?;
    let objections_open = stored::list(conn, year)?
        .iter()
        .filter(|o| o.resolution.is_none())
        .count() as u32;
    let mut standing = Standing {
        working_days,
        rounds,
        objections_open,
        blocks: Vec::new(),
        can_publish_on: None,
        missing_years: Vec::new(),
    };
    if working_days == 0 {
        return Ok(standing);
    }
    let calendar = Calendar::load(conn)?;
    let Some(last_end) = standing.rounds.iter().map(|r| r.to).max() else {
        standing.blocks.push(Block::NotStarted { working_days });
        if objections_open > 0 {
            standing.blocks.push(Block::ObjectionsOpen {
                count: objections_open,
            });
        }
        return Ok(standing);
    };
    if on <= last_end {
        standing.blocks.push(Block::PeriodRunning {
            end: last_end,
            year,
        });
    }
    if objections_open > 0 {
        standing.blocks.push(Block::ObjectionsOpen {
            count: objections_open,
        });
    }
    let publicised: std::collections::HashSet<i64> = standing
        .rounds
        .iter()
        .flat_map(|r| r.agencies.iter().map(|a| a.agency_id))
        .collect();
    let names: Vec<String> = sel
        .map(selected)
        .unwrap_or_default()
        .into_iter()
        .filter(|r| !publicised.contains(&r.agency_id))
        .map(|r| r.name.clone())
        .collect();
    if !names.is_empty() {
        standing.blocks.push(Block::NotPublicised { names });
    }
    let next = calendar.next_working_day_after(last_end);
    let mut missing: std::collections::BTreeSet<i32> = next.missing_years.iter().copied().collect();
    for r in &standing.rounds {
        missing.extend((r.from.year()..=r.to.year()).filter(|y| !calendar.has(*y)));
    }
    standing.missing_years = missing.into_iter().collect();
    let only_the_date = standing
        .blocks
        .iter()
        .all(|b| matches!(b, Block::PeriodRunning { .. }));
    standing.can_publish_on = only_the_date.then_some(next.day);
    Ok(standing)
}

/// [`standing_with`] the campaign's own scheme and its last stored result.
pub fn standing(store: &Store, year: i32, on: NaiveDate) -> Result<Standing, PublicityError> {
    let c = campaigns::require(store.conn(), year)?;
    let scheme = Scheme::parse(&c.scheme_toml)?;
    let sel = select::latest(store, year)?.map(|s| s.selection);
    standing_with(store.conn(), year, &scheme, sel.as_ref(), on)
}

/// Publishing on `on` is refused while anything stands in the way ([`Blocked`]); with no
/// publicity step, never. `sel` is the result being published.
pub fn check_publish(
    conn: &rusqlite::Connection,
    year: i32,
    scheme: &Scheme,
    sel: &Selection,
    on: NaiveDate,
) -> Result<Result<(), Blocked>, PublicityError> {
    let s = standing_with(conn, year, scheme, Some(sel), on)?;
    Ok(if s.blocks.is_empty() {
        Ok(())
    } else {
        Err(Blocked {
            year,
            on,
            blocks: s.blocks,
        })
    })
}

/// One round as `publicity status --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundJson {
    /// First day, as given.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The agencies publicised: each one's USCC, or its name when it has none.
    pub agencies: Vec<String>,
}

/// `publicity status --json` (docs/specification.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusJson {
    /// Campaign year.
    pub campaign: i32,
    /// The rounds, oldest first.
    pub rounds: Vec<RoundJson>,
    /// Whether a period was counted, in whole or part, without the year's holiday
    /// arrangement.
    pub calendar_missing: bool,
    /// Objections not settled.
    pub objections_open: u32,
    /// The first day publishing is possible, when known ([`Standing::can_publish_on`]).
    pub can_publish_on: Option<NaiveDate>,
    /// Why publishing on the date is refused, one sentence each.
    pub blocked_by: Vec<String>,
}

/// `publicity status` of campaign `year` on `on`.
pub fn status(
    store: &Store,
    year: i32,
    on: NaiveDate,
) -> Result<(StatusJson, Standing), PublicityError> {
    let s = standing(store, year, on)?;
    let json = StatusJson {
        campaign: year,
        rounds: s
            .rounds
            .iter()
            .map(|r| RoundJson {
                from: r.from,
                to: r.to,
                agencies: r
                    .agencies
                    .iter()
                    .map(|a| a.uscc.clone().unwrap_or_else(|| a.name.clone()))
                    .collect(),
            })
            .collect(),
        calendar_missing: !s.missing_years.is_empty(),
        objections_open: s.objections_open,
        can_publish_on: s.can_publish_on,
        blocked_by: s.blocks.iter().map(ToString::to_string).collect(),
    };
    Ok((json, s))
}

/// An agency a round publicises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundAgency {
    /// `agencies.id`.
    pub agency_id: i64,
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Name.
    pub name: String,
}

/// A round as it would be, or was, started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoundPlan {
    /// The round's number in the campaign, from 1.
    pub number: u32,
    /// Whether it is a supplementary round (补充公示).
    pub supplementary: bool,
    /// First day, as given.
    pub from: NaiveDate,
    /// Last day: the last of its working days.
    pub to: NaiveDate,
    /// Working days.
    pub working_days: u32,
    /// The agencies it publicises, in result order.
    pub agencies: Vec<RoundAgency>,
    /// One "未设置<year>年节假日安排，仅按周末计算" per year counted without an arrangement.
    pub warnings: Vec<String>,
}

/// What starting a round from `from` for `days` working days (the scheme's when `None`)
/// would record, with nothing written: the screen shows it before the clerk confirms.
pub fn plan(
    store: &Store,
    year: i32,
    from: NaiveDate,
    days: Option<u32>,
) -> Result<RoundPlan, PublicityError> {
    Ok(prepare(store, year, from, days)?.0)
}

/// The plan and the agencies' stored form.
fn prepare(
    store: &Store,
    year: i32,
    from: NaiveDate,
    days: Option<u32>,
) -> Result<(RoundPlan, Vec<PublicisedAgency>), PublicityError> {
    let conn = store.conn();
    let c = campaigns::require_open(conn, year, Change::Publicity)?;
    let scheme = Scheme::parse(&c.scheme_toml)?;
    if scheme.publicity.working_days == 0 {
        return Err(PublicityError::NotApplicable(year));
    }
    let working_days = days.unwrap_or(scheme.publicity.working_days);
    if !(1..=MAX_DAYS).contains(&working_days) {
        return Err(PublicityError::Days(working_days));
    }
    // The list publicised is the stored result of the last run, only while it matches the
    // inputs: what the clerk checked is what is publicised.
    let sel = select::runs::current(store, year)?.selection;
    let pending: u32 = sel.pools.iter().map(|p| p.tie_pending).sum();
    if pending > 0 {
        return Err(PublicityError::TiesPending(pending));
    }
    let earlier = rounds::list(conn, year)?;
    if let Some(previous) = earlier.last().filter(|r| from < r.from) {
        return Err(PublicityError::BeforePrevious {
            from,
            previous: previous.from,
        });
    }
    let publicised: std::collections::HashSet<i64> = earlier
        .iter()
        .flat_map(|r| r.agencies.iter().map(|a| a.agency_id))
        .collect();
    let now_selected = selected(&sel);
    let new: Vec<&select::ResultRow> = now_selected
        .iter()
        .copied()
        .filter(|r| !publicised.contains(&r.agency_id))
        .collect();
    if new.is_empty() {
        return Err(if earlier.is_empty() {
            PublicityError::NothingSelected(year)
        } else {
            PublicityError::NothingNew {
                publicised: now_selected.len(),
            }
        });
    }
    let calendar = Calendar::load(conn)?;
    let counted = calendar.last_of(from, working_days);
    let plan = RoundPlan {
        number: earlier.len() as u32 + 1,
        supplementary: !earlier.is_empty(),
        from,
        to: counted.day,
        working_days,
        agencies: new
            .iter()
            .map(|r| RoundAgency {
                agency_id: r.agency_id,
                uscc: r.uscc.clone(),
                name: r.name.clone(),
            })
            .collect(),
        warnings: counted.warnings(),
    };
    let stored = new
        .iter()
        .map(|r| PublicisedAgency {
            agency_id: r.agency_id,
            uscc: r.uscc.clone(),
            name: r.name.clone(),
            tier: r.tier,
            region: r.region.clone(),
            unit_type: r.unit_type.clone(),
        })
        .collect();
    Ok((plan, stored))
}

/// Starts a round of campaign `year`'s publicity from `from` for `days` working days (the
/// scheme's when `None`): the selected agencies of the current result that no earlier
/// round publicised are recorded as its list, with a `publicity.start` audit row; nothing
/// else changes. Refused while the scheme has no publicity, the result is missing or
/// stale or has a tie, or nobody is left to publicise.
pub fn start(
    store: &mut Store,
    year: i32,
    from: NaiveDate,
    days: Option<u32>,
    operator: &str,
) -> Result<RoundPlan, PublicityError> {
    let (plan, agencies) = prepare(store, year, from, days)?;
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    rounds::insert(
        &tx,
        &NewRound {
            year,
            from: plan.from,
            to: plan.to,
            working_days: plan.working_days,
            operator,
            at: &now,
            agencies: &agencies,
        },
    )?;
    audit::append(
        &tx,
        operator,
        "publicity.start",
        &json!({
            "campaign": year,
            "round": plan.number,
            "supplementary": plan.supplementary,
            "from": plan.from,
            "to": plan.to,
            "working_days": plan.working_days,
            "agencies": plan.agencies.iter().map(|a| json!({"uscc": a.uscc, "name": a.name})).collect::<Vec<_>>(),
            "calendar_missing": plan.warnings,
        }),
    )?;
    tx.commit()?;
    Ok(plan)
}

/// The channel words an objection may give: the Chinese label (来信, 来电, 来访, 电子邮件,
/// 其他) or the stored spelling (`letter`, …).
pub fn parse_channel(word: &str) -> Option<ObjectionChannel> {
    use crate::vocab::Vocab;
    let word = word.trim();
    ObjectionChannel::ALL
        .iter()
        .copied()
        .find(|c| c.label() == word || c.as_str() == word)
}

/// The warning sentences of a standing: one per year counted without an arrangement.
pub fn warnings(standing: &Standing) -> Vec<String> {
    standing
        .missing_years
        .iter()
        .map(|y| calendar::missing_warning(*y))
        .collect()
}
