//! Campaigns (评选年度): one per year, each with a frozen copy of its scheme.

use std::path::Path;

use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::limits::{self, TextKind};
use crate::scheme::{Scheme, SchemeError, DEFAULT_TOML};
use crate::store::campaigns::{self, CampaignRow, CampaignStatus};
use crate::store::{files, returns, Store, StoreError};
use crate::vocab::StoredFileStatus;
use crate::Coded;

/// Errors of campaign operations.
#[derive(Debug, Error)]
pub enum CampaignError {
    /// A campaign for the year exists already.
    #[error("{0}年度评选已存在")]
    Exists(i32),
    /// The year is out of range.
    #[error("年度 {0} 无效，应在 2000–2100 之间")]
    InvalidYear(i32),
    /// The scheme names another year.
    #[error("评选方案写的是{scheme}年度，与要创建的{year}年度不一致")]
    YearMismatch {
        /// The year asked for.
        year: i32,
        /// The scheme's `year`.
        scheme: i32,
    },
    /// The scheme file could not be read.
    #[error("无法读取评选方案文件 {path}：{message}")]
    SchemeFile {
        /// The scheme file as given on the command line or by the window.
        path: String,
        /// The system's message (e.g. file not found, not UTF-8).
        message: String,
    },
    /// The scheme is invalid.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The audit log failed.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// No campaign for the year.
    #[error(transparent)]
    Unavailable(#[from] campaigns::Unavailable),
    /// Publishing a published campaign.
    #[error("{0}年度评选已发布")]
    AlreadyPublished(i32),
    /// Reopening a campaign that is not published.
    #[error("{0}年度评选尚未发布，无需重新开放")]
    NotPublished(i32),
    /// Ties must be resolved before publishing.
    #[error("还有{0}家单位并列待定，请先由评审组决定后再发布")]
    TiesPending(u32),
    /// Nothing to publish.
    #[error("{0}年度没有入选单位，不能发布")]
    NothingSelected(i32),
    /// A required text is empty.
    #[error("请填写{0}")]
    Required(&'static str),
    /// A stored text too long or holding a control character ([`limits`]).
    #[error("{0}")]
    TextInvalid(String),
    /// Running the selection failed.
    #[error(transparent)]
    Select(#[from] crate::select::SelectError),
    /// Deleting a campaign that is past its draft (only the demo campaign can go then).
    #[error("{year}年度评选{}，不能删除；只有草稿状态的年度可以删除", .status.label())]
    NotDraft {
        /// Campaign year.
        year: i32,
        /// Its state.
        status: CampaignStatus,
    },
    /// Deleting a draft campaign whose year has applied reviews: they changed the registry,
    /// and that history stays.
    #[error("{year}年度已应用{reviews}条复查结果（已改变命名记录），不能删除")]
    HasReviews {
        /// Campaign year.
        year: i32,
        /// Reviews applied in that year.
        reviews: usize,
    },
    /// Publishing refused by the publicity: its period has not ended, objections are
    /// open, or agencies selected now were not publicised (docs/specification.md §9).
    #[error(transparent)]
    Blocked(#[from] crate::publicity::Blocked),
    /// Reading the publicity failed.
    #[error(transparent)]
    Publicity(#[from] crate::publicity::PublicityError),
    /// Loading the demo when the demo campaign exists already.
    #[error("示例年度已经载入；如需重新载入，请先在“评选年度”中删除示例年度")]
    DemoExists,
}

impl From<rusqlite::Error> for CampaignError {
    fn from(e: rusqlite::Error) -> Self {
        CampaignError::Store(StoreError::Sqlite(e))
    }
}

impl Coded for CampaignError {
    fn code(&self) -> &'static str {
        match self {
            CampaignError::Exists(_) => "campaign.exists",
            CampaignError::InvalidYear(_) => "campaign.invalid_year",
            CampaignError::YearMismatch { .. } => "campaign.year_mismatch",
            CampaignError::SchemeFile { .. } => "scheme.file",
            CampaignError::Scheme(e) => e.code(),
            CampaignError::Store(e) => e.code(),
            CampaignError::Audit(e) => e.code(),
            CampaignError::Unavailable(e) => e.code(),
            CampaignError::AlreadyPublished(_) => "campaign.already_published",
            CampaignError::NotPublished(_) => "campaign.not_published",
            CampaignError::TiesPending(_) => "campaign.ties_pending",
            CampaignError::NothingSelected(_) => "campaign.nothing_selected",
            CampaignError::Required(_) => "campaign.required",
            CampaignError::TextInvalid(_) => "campaign.text_invalid",
            CampaignError::Select(e) => e.code(),
            CampaignError::NotDraft { .. } => "campaign.not_draft",
            CampaignError::HasReviews { .. } => "campaign.has_reviews",
            CampaignError::DemoExists => "campaign.demo_exists",
            CampaignError::Blocked(e) => e.code(),
            CampaignError::Publicity(e) => e.code(),
        }
    }
}

/// A campaign as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CampaignSummary {
    /// The campaign's year, e.g. 2026: its identity in the store and on the command line.
    pub year: i32,
    /// The title shown in lists and on the result workbook: the scheme's `title`, or
    /// "{year}年度{award_title}评选" (e.g. 2026年度模范机关评选).
    pub title: String,
    /// Life-cycle state.
    pub status: CampaignStatus,
    /// Creation time.
    pub created_at: String,
    /// Current returns (one per agency; replaced and withdrawn returns not counted).
    pub returns: i64,
    /// Imported files of returns still in force (withdrawn files not counted).
    pub files: i64,
    /// 数据已变化: the campaign was selected, and its inputs changed since the last run
    /// (never for a draft or published campaign).
    pub stale: bool,
    /// Whether this is the demo campaign (载入示例数据, year
    /// [`campaigns::DEMO_YEAR`]): shown with a 示例 tag, and it sees only the demo's
    /// fictional registry.
    pub demo: bool,
    /// Whether [`delete`] would delete it: a draft without applied reviews, or the demo.
    pub deletable: bool,
}

/// Why campaign `row` cannot be deleted, if it cannot.
fn deletion_refused(conn: &rusqlite::Connection, row: &CampaignRow) -> Option<CampaignError> {
    if campaigns::is_demo(row.year) {
        return None;
    }
    if row.status != CampaignStatus::Draft {
        return Some(CampaignError::NotDraft {
            year: row.year,
            status: row.status,
        });
    }
    match campaigns::contents(conn, row.year) {
        Ok(c) if c.reviews > 0 => Some(CampaignError::HasReviews {
            year: row.year,
            reviews: c.reviews,
        }),
        Ok(_) => None,
        Err(e) => Some(e.into()),
    }
}

fn summary(store: &Store, row: CampaignRow) -> Result<CampaignSummary, CampaignError> {
    let conn = store.conn();
    let files = files::list(conn, row.year)?
        .iter()
        .filter(|f| f.status != StoredFileStatus::Withdrawn)
        .count() as i64;
    // Only a selected campaign can be stale: a draft has no result, a published one's is
    // final. Checking reads the campaign's inputs, so it is skipped for the others.
    let stale = row.status == CampaignStatus::Selected
        && crate::select::runs::state(store, row.year)?.is_some_and(|s| s.stale());
    Ok(CampaignSummary {
        returns: returns::count_current(conn, row.year)?,
        files,
        stale,
        demo: campaigns::is_demo(row.year),
        deletable: deletion_refused(conn, &row).is_none(),
        year: row.year,
        title: row.title,
        status: row.status,
        created_at: row.created_at,
    })
}

/// Reads a scheme file as text, at most [`limits::SCHEME_FILE_BYTES`]: a larger file is
/// refused before the rest of it is read.
pub fn read_scheme_file(path: &Path) -> Result<String, CampaignError> {
    use std::io::Read;
    let fail = |message: String| CampaignError::SchemeFile {
        path: path.display().to_string(),
        message,
    };
    let limit = limits::SCHEME_FILE_BYTES;
    let file = std::fs::File::open(path).map_err(|e| fail(crate::atomic::io_words(&e)))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(crate::atomic::io_words(&e)))?;
    if bytes.len() > limit {
        return Err(fail(format!("文件过大（超过 {limit} 字节）")));
    }
    String::from_utf8(bytes).map_err(|_| fail("不是 UTF-8 编码的文本".to_string()))
}

/// Creates the campaign of `year` with the given scheme TOML (the shipped default when
/// `None`), storing the scheme text as its snapshot; audited.
pub fn create(
    store: &mut Store,
    year: i32,
    scheme_toml: Option<&str>,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    if !campaigns::YEARS.contains(&year) {
        return Err(CampaignError::InvalidYear(year));
    }
    insert(store, year, scheme_toml, operator)
}

/// Creates the demo campaign (year [`campaigns::DEMO_YEAR`], outside the real years) with
/// the given scheme; audited like any creation. [`crate::demo::load`] fills it.
pub fn create_demo(
    store: &mut Store,
    scheme_toml: &str,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    if campaigns::get(store.conn(), campaigns::DEMO_YEAR)?.is_some() {
        return Err(CampaignError::DemoExists);
    }
    insert(store, campaigns::DEMO_YEAR, Some(scheme_toml), operator)
}

/// Stores a new campaign of `year` (already checked) with its scheme; audited.
fn insert(
    store: &mut Store,
    year: i32,
    scheme_toml: Option<&str>,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    let text = scheme_toml.unwrap_or(DEFAULT_TOML);
    let scheme = Scheme::parse(text)?;
    if let Some(y) = scheme.year.filter(|y| *y != year) {
        return Err(CampaignError::YearMismatch { year, scheme: y });
    }
    let title = scheme
        .title
        .clone()
        .unwrap_or_else(|| format!("{year}年度{}评选", scheme.award_title));
    let tx = store.conn_mut().transaction()?;
    if campaigns::get(&tx, year)?.is_some() {
        return Err(CampaignError::Exists(year));
    }
    let row = CampaignRow {
        year,
        title,
        status: CampaignStatus::Draft,
        scheme_toml: text.to_string(),
        created_at: crate::now_string(),
    };
    campaigns::insert(&tx, &row)?;
    audit::append(
        &tx,
        operator,
        "campaign.create",
        &json!({
            "campaign": year,
            "title": row.title,
            "default_scheme": scheme_toml.is_none(),
            "scheme_sha256": crate::import::sha256_hex(text.as_bytes()),
        }),
    )?;
    tx.commit()?;
    summary(store, row)
}

/// Replaces the scheme of a campaign that is not published (audited as
/// `campaign.scheme` with the SHA-256 of the old and new text). The stored returns stay as
/// they are and are read against the new scheme; a campaign whose selection was run goes
/// back to draft, so the selection is run again under the new rules. The title follows the
/// scheme's `title` when it has one. Saving the same text again changes nothing.
pub fn set_scheme(
    store: &mut Store,
    year: i32,
    scheme_toml: &str,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    let scheme = Scheme::parse(scheme_toml)?;
    if let Some(y) = scheme.year.filter(|y| *y != year) {
        return Err(CampaignError::YearMismatch { year, scheme: y });
    }
    let c = campaigns::require(store.conn(), year)?;
    if c.status == CampaignStatus::Published {
        return Err(CampaignError::AlreadyPublished(year));
    }
    if c.scheme_toml == scheme_toml {
        return summary(store, c);
    }
    let title = scheme.title.clone().unwrap_or(c.title.clone());
    let tx = store.conn_mut().transaction()?;
    campaigns::replace_scheme(&tx, year, scheme_toml, &title, &crate::now_string())?;
    audit::append(
        &tx,
        operator,
        "campaign.scheme",
        &json!({
            "campaign": year,
            "from": crate::import::sha256_hex(c.scheme_toml.as_bytes()),
            "to": crate::import::sha256_hex(scheme_toml.as_bytes()),
            "rerun": c.status == CampaignStatus::Selected,
        }),
    )?;
    tx.commit()?;
    let row = campaigns::require(store.conn(), year)?;
    summary(store, row)
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Published {
    /// Campaign year.
    pub year: i32,
    /// Document number of the decision.
    pub doc_number: String,
    /// Awards added to the registry.
    pub awards: usize,
}

/// Publishes a campaign on date `on`: the selected agencies of its last run become awards
/// (status active, this year, this document number) and the campaign is locked. The
/// selection must have been run, its result must match the current inputs, and ties must
/// be resolved; and unless its scheme has no publicity (`working_days = 0`), the
/// publicity must allow it on `on` (docs/specification.md §9: every period ended, every
/// objection settled, every agency selected now publicised), else
/// [`CampaignError::Blocked`] names every reason.
pub fn publish(
    store: &mut Store,
    year: i32,
    doc_number: &str,
    on: chrono::NaiveDate,
    operator: &str,
) -> Result<Published, CampaignError> {
    let doc_number = crate::normalize::fold_spaces(doc_number);
    if doc_number.is_empty() {
        return Err(CampaignError::Required("发文字号"));
    }
    limits::check_plain(TextKind::DocNumber, &doc_number).map_err(CampaignError::TextInvalid)?;
    let c = campaigns::require(store.conn(), year)?;
    if c.status == CampaignStatus::Published {
        return Err(CampaignError::AlreadyPublished(year));
    }
    let scheme = Scheme::parse(&c.scheme_toml)?;
    // Only the stored result of the last run is published, and only while it matches the
    // inputs: what the clerk saw and checked is what becomes the awards.
    let sel = crate::select::runs::current(store, year)?.selection;
    let pending: u32 = sel.pools.iter().map(|p| p.tie_pending).sum();
    if pending > 0 {
        return Err(CampaignError::TiesPending(pending));
    }
    let selected: Vec<i64> = sel
        .results
        .iter()
        .filter(|r| r.status == crate::select::Status::Selected)
        .map(|r| r.agency_id)
        .collect();
    if selected.is_empty() {
        return Err(CampaignError::NothingSelected(year));
    }
    crate::publicity::check_publish(store.conn(), year, &scheme, &sel, on)??;
    let now = crate::now_string();
    let source = format!("publish:{year}");
    let tx = store.conn_mut().transaction()?;
    for agency_id in &selected {
        crate::store::awards::upsert(
            &tx,
            &crate::store::awards::NewAward {
                agency_id: *agency_id,
                title: &scheme.award_title,
                year,
                doc_number: Some(&doc_number),
                status: crate::store::awards::AwardStatus::Active,
                last_review_year: None,
                rectify_deadline: None,
                revoked_year: None,
                source: &source,
            },
            &now,
        )?;
    }
    campaigns::set_status(&tx, year, CampaignStatus::Published, &now)?;
    audit::append(
        &tx,
        operator,
        "campaign.publish",
        &json!({
            "campaign": year,
            "doc_number": doc_number,
            "date": on,
            "awards": selected.len(),
        }),
    )?;
    tx.commit()?;
    Ok(Published {
        year,
        doc_number,
        awards: selected.len(),
    })
}

/// Reopens a published campaign (a reason is required; audited): the awards its
/// publication added and that no review has touched are withdrawn, and the campaign
/// returns to `selected`.
pub fn reopen(
    store: &mut Store,
    year: i32,
    reason: &str,
    operator: &str,
) -> Result<usize, CampaignError> {
    let reason = crate::normalize::fold_spaces(reason);
    if reason.is_empty() {
        return Err(CampaignError::Required("重新开放的理由"));
    }
    limits::check_plain(TextKind::Reason, &reason)
        .map_err(|m| CampaignError::TextInvalid(format!("重新开放的{m}")))?;
    let c = campaigns::require(store.conn(), year)?;
    if c.status != CampaignStatus::Published {
        return Err(CampaignError::NotPublished(year));
    }
    let tx = store.conn_mut().transaction()?;
    let removed = crate::store::awards::delete_unreviewed(&tx, &format!("publish:{year}"), year)?;
    campaigns::set_status(&tx, year, CampaignStatus::Selected, &crate::now_string())?;
    audit::append(
        &tx,
        operator,
        "campaign.reopen",
        &json!({ "campaign": year, "reason": reason, "awards_withdrawn": removed }),
    )?;
    tx.commit()?;
    Ok(removed)
}

/// What deleting a campaign would remove, for the confirmation the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deletion {
    /// Campaign year.
    pub year: i32,
    /// Its title.
    pub title: String,
    /// Whether it is the demo campaign (which goes with its fictional registry).
    pub demo: bool,
    /// Current returns.
    pub returns: usize,
    /// Stored returns in all, the replaced and withdrawn ones kept as history included.
    pub return_rows: usize,
    /// Imported files (withdrawn ones included; for the demo, its registry file too).
    pub files: usize,
    /// The panel's decisions (overrides).
    pub overrides: usize,
    /// Reviews applied in the year (only the demo's can be deleted).
    pub reviews: usize,
    /// Awards of the demo's fictional registry (0 for a real campaign: the registry stays).
    pub awards: usize,
    /// Why it cannot be deleted (the message [`delete`] would give), or `None`.
    pub refused: Option<String>,
}

/// What deleting campaign `year` would remove, and whether it may be deleted.
pub fn deletion(store: &Store, year: i32) -> Result<Deletion, CampaignError> {
    let conn = store.conn();
    let row = campaigns::require(conn, year)?;
    let held = campaigns::contents(conn, year)?;
    let demo = campaigns::is_demo(year);
    let awards = if demo {
        crate::store::awards::list_for(conn, year)?.len()
    } else {
        0
    };
    Ok(Deletion {
        year,
        demo,
        returns: held.returns,
        return_rows: held.return_rows,
        files: held.files,
        overrides: held.overrides,
        reviews: held.reviews,
        awards,
        refused: deletion_refused(conn, &row).map(|e| e.to_string()),
        title: row.title,
    })
}

/// Deletes campaign `year` in one transaction with its returns, imported files, overrides
/// and reviews, and writes a `campaign.delete` audit row naming what went; the audit log
/// itself is never touched, so its chain stays whole. Only a draft without applied reviews
/// can be deleted ([`CampaignError::NotDraft`], [`CampaignError::HasReviews`]) — once a
/// selection was run, the year has results a clerk may have used. The demo campaign can
/// always be deleted, and takes its fictional registry (awards, their reviews) and the
/// agencies nothing else refers to with it: removing the demo is one step.
pub fn delete(store: &mut Store, year: i32, operator: &str) -> Result<Deletion, CampaignError> {
    let gone = deletion(store, year)?;
    let row = campaigns::require(store.conn(), year)?;
    if let Some(e) = deletion_refused(store.conn(), &row) {
        return Err(e);
    }
    let tx = store.conn_mut().transaction()?;
    let (awards, mut agencies) = if gone.demo {
        crate::store::awards::delete_demo(&tx)?
    } else {
        (0, Vec::new())
    };
    if gone.demo {
        agencies.extend(crate::store::returns::agencies_of(&tx, year)?);
    }
    let held = campaigns::delete(&tx, year)?;
    let agencies = crate::store::agencies::delete_unused(&tx, &agencies)?;
    audit::append(
        &tx,
        operator,
        "campaign.delete",
        &json!({
            "campaign": year,
            "title": gone.title,
            "status": row.status.as_str(),
            "demo": gone.demo,
            "returns": held.return_rows,
            "files": held.files,
            "overrides": held.overrides,
            "reviews": held.reviews,
            "awards": awards,
            "agencies": agencies,
        }),
    )?;
    tx.commit()?;
    Ok(Deletion { awards, ..gone })
}

/// The campaign of `year` as listed, without summarising every other campaign.
pub fn get(store: &Store, year: i32) -> Result<CampaignSummary, CampaignError> {
    summary(store, campaigns::require(store.conn(), year)?)
}

/// Every campaign, newest first.
pub fn list(store: &Store) -> Result<Vec<CampaignSummary>, CampaignError> {
    campaigns::list(store.conn())?
        .into_iter()
        .map(|row| summary(store, row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_and_list() {
        let mut store = Store::open_in_memory().unwrap();
        let c = create(&mut store, 2026, None, "张三").unwrap();
        assert_eq!(c.title, "2026年度模范机关评选");
        assert_eq!(c.status, CampaignStatus::Draft);
        assert!(matches!(
            create(&mut store, 2026, None, "张三"),
            Err(CampaignError::Exists(2026))
        ));
        create(&mut store, 2027, None, "张三").unwrap();
        let years: Vec<i32> = list(&store).unwrap().iter().map(|c| c.year).collect();
        assert_eq!(years, vec![2027, 2026]);
        assert_eq!(audit::verify(store.conn()).unwrap().rows, 2);
    }

    #[test]
    fn replaces_the_scheme_until_published() {
        let mut store = Store::open_in_memory().unwrap();
        create(&mut store, 2026, None, "张三").unwrap();
        store
            .conn()
            .execute(
                "UPDATE campaigns SET status = 'selected' WHERE year = 2026",
                [],
            )
            .unwrap();
        let stricter = DEFAULT_TOML.replace("composite_min = 85.0", "composite_min = 90.0");
        let c = set_scheme(&mut store, 2026, &stricter, "张三").unwrap();
        assert_eq!(
            c.status,
            CampaignStatus::Draft,
            "a run selection is run again"
        );
        let stored = campaigns::get(store.conn(), 2026).unwrap().unwrap();
        assert_eq!(stored.scheme_toml, stricter);
        let log = audit::list(store.conn(), &audit::Filter::default()).unwrap();
        assert_eq!(log[0].action, "campaign.scheme");
        // The same text again changes nothing.
        set_scheme(&mut store, 2026, &stricter, "张三").unwrap();
        assert_eq!(audit::verify(store.conn()).unwrap().rows, 2);
        let bad = DEFAULT_TOML.replace("weight = 0.05", "weight = 0.06");
        assert_eq!(
            set_scheme(&mut store, 2026, &bad, "张三")
                .unwrap_err()
                .code(),
            "scheme.invalid"
        );
        let titled = format!("title = \"新标题\"\n{DEFAULT_TOML}");
        assert_eq!(
            set_scheme(&mut store, 2026, &titled, "张三").unwrap().title,
            "新标题"
        );
        store
            .conn()
            .execute(
                "UPDATE campaigns SET status = 'published' WHERE year = 2026",
                [],
            )
            .unwrap();
        assert!(matches!(
            set_scheme(&mut store, 2026, DEFAULT_TOML, "张三"),
            Err(CampaignError::AlreadyPublished(2026))
        ));
        assert!(matches!(
            set_scheme(&mut store, 2030, DEFAULT_TOML, "张三"),
            Err(CampaignError::Unavailable(
                campaigns::Unavailable::NotFound(2030)
            ))
        ));
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn deletes_a_draft_with_what_it_holds_and_an_audit_row() {
        let mut store = crate::ui::testing::campaign_with(&["00_广州市.xlsx"]);
        create(&mut store, 2027, None, "张三").unwrap();
        let agency: i64 = count(&store, "SELECT MIN(agency_id) FROM returns");
        crate::select::set_override_by_id(
            &mut store,
            2026,
            agency,
            crate::vocab::OverrideAction::Exclude,
            "材料不实",
            false,
            "张三",
        )
        .unwrap();
        // An override is a run: the year is selected, and not deletable...
        let c = get(&store, 2026).unwrap();
        assert_eq!(
            (c.status, c.deletable, c.demo),
            (CampaignStatus::Selected, false, false)
        );
        // ...until saving the scheme returns it to a draft, which keeps its stored run.
        let stricter = DEFAULT_TOML.replace("composite_min = 85.0", "composite_min = 86.0");
        assert_ne!(stricter, DEFAULT_TOML);
        set_scheme(&mut store, 2026, &stricter, "张三").unwrap();
        let c = get(&store, 2026).unwrap();
        assert_eq!(
            (c.status, c.deletable, c.demo),
            (CampaignStatus::Draft, true, false)
        );
        assert_eq!(count(&store, "SELECT COUNT(*) FROM selection_runs"), 1);
        let before = deletion(&store, 2026).unwrap();
        assert_eq!(
            (
                before.files,
                before.overrides,
                before.awards,
                before.refused.as_deref()
            ),
            (1, 1, 0, None)
        );
        assert!(before.returns > 0 && before.return_rows == before.returns);
        let audit_rows = audit::verify(store.conn()).unwrap().rows;

        let gone = delete(&mut store, 2026, "张三").unwrap();
        assert_eq!(gone, before);
        for table in ["returns", "imported_files", "overrides", "selection_runs"] {
            assert_eq!(count(&store, &format!("SELECT COUNT(*) FROM {table}")), 0);
        }
        let years: Vec<i32> = list(&store).unwrap().iter().map(|c| c.year).collect();
        assert_eq!(years, [2027]);
        let v = audit::verify(store.conn()).unwrap();
        assert_eq!((v.rows, v.broken), (audit_rows + 1, None));
        let last = &audit::list(store.conn(), &audit::Filter::default()).unwrap()[0];
        assert_eq!(last.action, "campaign.delete");
        assert!(last.details.contains("\"overrides\":1"), "{}", last.details);
        // The year is free again.
        create(&mut store, 2026, None, "张三").unwrap();
        assert!(matches!(
            delete(&mut store, 2030, "张三"),
            Err(CampaignError::Unavailable(
                campaigns::Unavailable::NotFound(2030)
            ))
        ));
    }

    #[test]
    fn a_selected_or_published_campaign_or_one_with_reviews_is_not_deleted() {
        let mut store = crate::ui::testing::campaign_with(&["00_广州市.xlsx"]);
        crate::select::run(&mut store, 2026, "张三").unwrap();
        let refused = delete(&mut store, 2026, "张三").unwrap_err();
        assert_eq!(refused.code(), "campaign.not_draft");
        assert_eq!(
            refused.to_string(),
            "2026年度评选已评选，不能删除；只有草稿状态的年度可以删除"
        );
        let c = get(&store, 2026).unwrap();
        assert!(!c.deletable);
        assert_eq!(
            deletion(&store, 2026).unwrap().refused,
            Some(refused.to_string())
        );
        campaigns::set_status(store.conn(), 2026, CampaignStatus::Published, "t").unwrap();
        assert!(matches!(
            delete(&mut store, 2026, "张三"),
            Err(CampaignError::NotDraft {
                year: 2026,
                status: CampaignStatus::Published
            })
        ));

        // A draft whose year has applied reviews changed the registry: it stays.
        create(&mut store, 2027, None, "张三").unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO agencies (id, name, name_key, tier, unit_type, updated_at)
                     VALUES (900, '甲', '甲', 'province', '党群机关', 't');
                 INSERT INTO awards (id, agency_id, title, year, status, source, updated_at)
                     VALUES (900, 900, '模范机关', 2020, 'active', 'registry:x', 't');
                 INSERT INTO reviews (award_id, campaign_year, review_date, trigger, outcome,
                     reasons, operator, applied_at)
                     VALUES (900, 2027, '2027-12-01', 'cycle', 'retain', '[]', '张三', 't');",
            )
            .unwrap();
        let e = delete(&mut store, 2027, "张三").unwrap_err();
        assert_eq!(e.code(), "campaign.has_reviews");
        assert!(!get(&store, 2027).unwrap().deletable);
        assert_eq!(list(&store).unwrap().len(), 2);
    }

    #[test]
    fn refuses_bad_years_and_schemes() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(matches!(
            create(&mut store, 1999, None, "x"),
            Err(CampaignError::InvalidYear(1999))
        ));
        let other_year = format!("year = 2025\n{DEFAULT_TOML}");
        assert!(matches!(
            create(&mut store, 2026, Some(&other_year), "x"),
            Err(CampaignError::YearMismatch {
                year: 2026,
                scheme: 2025
            })
        ));
        let bad = DEFAULT_TOML.replace("weight = 0.05", "weight = 0.06");
        let e = create(&mut store, 2026, Some(&bad), "x").unwrap_err();
        assert_eq!(e.code(), "scheme.invalid");
        assert!(list(&store).unwrap().is_empty());
    }
}
