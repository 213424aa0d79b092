//! What a campaign's notices say: the selected agencies of a 命名决定, grouped by tier and
//! unit type in rank order; the revocations and rectifications of its applied review; and
//! the agencies of its latest publicity round for the 公示, grouped the same way.

use chrono::Datelike;
use serde::Serialize;
use thiserror::Error;

use super::{
    AwardDecision, Group, Notice, NoticeKind, NoticeSettings, PublicityNotice, Rectification,
    Revocation,
};
use crate::review::{self, Outcome, ReviewError};
use crate::scheme::Tier;
use crate::select::{self, SelectError, Status};
use crate::store::campaigns::{self, CampaignStatus};
use crate::store::{awards, Store, StoreError};
use crate::Coded;

/// Why a campaign's notices cannot be assembled.
#[derive(Debug, Error)]
pub enum SourceError {
    /// No campaign for the year.
    #[error(transparent)]
    Campaign(#[from] campaigns::Unavailable),
    /// Nothing to print.
    #[error("{year}年度没有可印发的{kind}（{why}）")]
    Nothing {
        /// Campaign year.
        year: i32,
        /// The notice's name.
        kind: &'static str,
        /// What is missing.
        why: &'static str,
    },
    /// No problem of the ledger is overdue or due soon on the bulletin's date.
    #[error("截至{0}没有逾期或即将到期的问题，无需通报")]
    NoProblems(chrono::NaiveDate),
    /// The ledger could not be read.
    #[error(transparent)]
    Ledger(Box<crate::ledger::LedgerError>),
    /// Ties must be resolved first.
    #[error("还有{0}家单位并列待定，请先由评审组决定")]
    TiesPending(u32),
    /// The selection failed.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// Reading the reviews failed.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SourceError {
    fn from(e: rusqlite::Error) -> Self {
        SourceError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for SourceError {
    fn code(&self) -> &'static str {
        match self {
            SourceError::Campaign(e) => e.code(),
            SourceError::Nothing { .. } => "notice.nothing",
            SourceError::TiesPending(_) => "campaign.ties_pending",
            SourceError::NoProblems(_) => "notice.nothing",
            SourceError::Ledger(e) => e.code(),
            SourceError::Select(e) => e.code(),
            SourceError::Review(e) => e.code(),
            SourceError::Store(e) => e.code(),
        }
    }
}

/// A campaign's notices of one kind, with settings filled from the campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CampaignNotices {
    /// Default settings: the kind's usual wording; for a published campaign's 命名决定,
    /// the 发文字号 it was published under.
    pub settings: NoticeSettings,
    /// The notices, one per agency for revocations and rectifications.
    pub notices: Vec<Notice>,
}

fn tier_heading(t: Tier) -> &'static str {
    match t {
        Tier::Province => "省直单位",
        Tier::City => "市级单位",
        Tier::County => "县级单位",
    }
}

/// Agencies (tier, unit type, name) in groups by tier, then the scheme's unit-type order
/// (a type the scheme no longer has last); within a group, in the order given.
fn grouped<'a>(
    unit_types: &[String],
    agencies: impl Iterator<Item = (Tier, &'a str, &'a str)>,
) -> Vec<Group> {
    let mut groups: Vec<(Tier, usize, Group)> = Vec::new();
    for (tier, unit_type, name) in agencies {
        let ut = unit_types
            .iter()
            .position(|u| u == unit_type)
            .unwrap_or(usize::MAX);
        match groups.iter_mut().find(|(t, u, _)| *t == tier && *u == ut) {
            Some((_, _, g)) => g.agencies.push(name.to_string()),
            None => groups.push((
                tier,
                ut,
                Group {
                    heading: format!("{}（{unit_type}）", tier_heading(tier)),
                    agencies: vec![name.to_string()],
                },
            )),
        }
    }
    groups.sort_by_key(|(t, u, _)| (*t, *u));
    groups.into_iter().map(|(_, _, g)| g).collect()
}

/// The 情况通报 of the ledger on `date` (docs/specification.md §10): the problems overdue
/// or due soon, by agency (most overdue first), with the `warn_days` of the campaign of
/// `date`'s year; dated `date`.
pub fn bulletin(store: &Store, date: chrono::NaiveDate) -> Result<CampaignNotices, SourceError> {
    let (listing, agencies) =
        crate::ledger::bulletin(store, date).map_err(|e| SourceError::Ledger(Box::new(e)))?;
    if agencies.is_empty() {
        return Err(SourceError::NoProblems(date));
    }
    let problem = |i: &crate::ledger::Item, overdue: bool| {
        i.deadline.map(|deadline| super::BulletinProblem {
            text: i.text.clone(),
            deadline,
            overdue,
        })
    };
    let notice = super::Bulletin {
        date,
        warn_days: listing.settings.warn_days,
        agencies: agencies
            .iter()
            .map(|a| super::BulletinAgency {
                agency: a.name.clone(),
                problems: a
                    .overdue
                    .iter()
                    .filter_map(|i| problem(i, true))
                    .chain(a.due_soon.iter().filter_map(|i| problem(i, false)))
                    .collect(),
            })
            .collect(),
    };
    let mut settings = NoticeSettings::default_for(NoticeKind::Bulletin, date.year(), "模范机关");
    settings.date = date;
    settings.print_date = date;
    Ok(CampaignNotices {
        settings,
        notices: vec![Notice::Bulletin(notice)],
    })
}

/// The notices of `kind` for campaign `year` (the 情况通报 is not a campaign's: it is the
/// ledger's on today's date, [`bulletin`]).
pub fn notices(store: &Store, kind: NoticeKind, year: i32) -> Result<CampaignNotices, SourceError> {
    if kind == NoticeKind::Bulletin {
        return bulletin(store, crate::today());
    }
    let c = campaigns::require(store.conn(), year)?;
    let scheme = select::campaign_scheme(store, year)?;
    let mut settings = NoticeSettings::default_for(kind, year, &scheme.award_title);
    let notices = match kind {
        NoticeKind::Award => {
            // The decision names the stored result of the last run, and only while it
            // matches the inputs (a published campaign's result is final).
            let sel = select::runs::current(store, year)?.selection;
            let pending: u32 = sel.pools.iter().map(|p| p.tie_pending).sum();
            if pending > 0 {
                return Err(SourceError::TiesPending(pending));
            }
            // Tier, then the scheme's unit-type order; within a group, pool then rank
            // (the selection's own order).
            let groups = grouped(
                &scheme.unit_types,
                sel.results
                    .iter()
                    .filter(|r| r.status == Status::Selected)
                    .map(|r| (r.tier, r.unit_type.as_str(), r.name.as_str())),
            );
            if groups.is_empty() {
                return Err(SourceError::Nothing {
                    year,
                    kind: "命名决定",
                    why: "没有入选单位",
                });
            }
            if c.status == CampaignStatus::Published {
                let published =
                    awards::doc_number_of_source(store.conn(), &format!("publish:{year}"))
                        .ok()
                        .flatten();
                if let Some(d) = published {
                    settings.doc_number = d;
                }
            }
            vec![Notice::Award(AwardDecision {
                year,
                award_title: scheme.award_title.clone(),
                groups,
            })]
        }
        // Not a campaign's notice (returned above, before the campaign is looked up).
        NoticeKind::Bulletin => return bulletin(store, crate::today()),
        NoticeKind::Publicity => {
            // The latest round: a supplementary round's 公示 names only its agencies.
            let rounds = crate::store::publicity::list(store.conn(), year)?;
            let Some(round) = rounds.last() else {
                return Err(SourceError::Nothing {
                    year,
                    kind: kind.label(),
                    why: "尚未开始公示",
                });
            };
            vec![Notice::Publicity(PublicityNotice {
                year,
                award_title: scheme.award_title.clone(),
                supplementary: rounds.len() > 1,
                from: round.from,
                to: round.to,
                working_days: round.working_days,
                groups: grouped(
                    &scheme.unit_types,
                    round
                        .agencies
                        .iter()
                        .map(|a| (a.tier, a.unit_type.as_str(), a.name.as_str())),
                ),
            })]
        }
        NoticeKind::Revocation | NoticeKind::Rectification => {
            let wanted = if kind == NoticeKind::Revocation {
                Outcome::Revoke
            } else {
                Outcome::Rectify
            };
            let list: Vec<Notice> = match review::applied(store, year)? {
                None => Vec::new(),
                Some(record) => {
                    let date = record.date;
                    let mut rows = record.rows;
                    // One notice per agency, in agency-name order.
                    rows.sort_by(|a, b| (&a.name, &a.uscc).cmp(&(&b.name, &b.uscc)));
                    rows.into_iter()
                        .filter(|a| a.outcome == wanted)
                        .map(|a| match kind {
                            NoticeKind::Revocation => Notice::Revocation(Revocation {
                                agency: a.name,
                                award_year: a.award_year,
                                award_doc_number: a.doc_number.unwrap_or_default(),
                                reasons: a.reasons,
                                revoked_year: year,
                            }),
                            _ => Notice::Rectification(Rectification {
                                agency: a.name,
                                award_year: a.award_year,
                                deadline: a.deadline.unwrap_or(date),
                                reasons: a.reasons,
                            }),
                        })
                        .collect()
                }
            };
            if list.is_empty() {
                return Err(SourceError::Nothing {
                    year,
                    kind: kind.label(),
                    why: "本年度已应用的复查结果中没有这一结论",
                });
            }
            list
        }
    };
    Ok(CampaignNotices { settings, notices })
}
