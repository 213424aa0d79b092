//! Campaigns (评选年度): one per year, each with a frozen copy of its scheme.

use std::path::Path;

use serde::Serialize;
use serde_json::json;
use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::scheme::{Scheme, SchemeError, DEFAULT_TOML};
use crate::store::campaigns::{self, CampaignRow, CampaignStatus};
use crate::store::{files, returns, Store, StoreError};
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
        /// The path.
        path: String,
        /// Why.
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
        }
    }
}

/// A campaign as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    /// Year.
    pub year: i32,
    /// Title.
    pub title: String,
    /// Life-cycle state.
    pub status: CampaignStatus,
    /// Creation time.
    pub created_at: String,
    /// Current returns.
    pub returns: i64,
    /// Live imported files.
    pub files: i64,
}

fn summary(store: &Store, row: CampaignRow) -> Result<CampaignSummary, CampaignError> {
    let conn = store.conn();
    let files = files::list(conn, row.year)?
        .iter()
        .filter(|f| f.status != "withdrawn")
        .count() as i64;
    Ok(CampaignSummary {
        returns: returns::count_current(conn, row.year)?,
        files,
        year: row.year,
        title: row.title,
        status: row.status,
        created_at: row.created_at,
    })
}

/// Reads a scheme file as text.
pub fn read_scheme_file(path: &Path) -> Result<String, CampaignError> {
    std::fs::read_to_string(path).map_err(|e| CampaignError::SchemeFile {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Creates the campaign of `year` with the given scheme TOML (the shipped default when
/// `None`), storing the scheme text as its snapshot; audited.
pub fn create(
    store: &mut Store,
    year: i32,
    scheme_toml: Option<&str>,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    if !(2000..=2100).contains(&year) {
        return Err(CampaignError::InvalidYear(year));
    }
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
