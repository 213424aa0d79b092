//! The publicity tables (公示, docs/specification.md §9): each round of a campaign's
//! publicity — its first day, its last day and the working days it lasts — and the
//! agencies it publicised, as they stood in the selection when it started (name, tier,
//! region and unit type are kept, so the list printed then can be printed again). An
//! agency is publicised in one round of a campaign at most: a supplementary round
//! (补充公示) takes only the selected agencies no earlier round had. Rows are never edited.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::Migration;
use crate::vocab::Tier;

/// Creates `publicity_rounds` and `publicity_agencies`.
pub const MIGRATION_18: Migration = Migration {
    version: 18,
    name: "publicity",
    sql: "CREATE TABLE publicity_rounds (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        from_date TEXT NOT NULL,
        to_date TEXT NOT NULL CHECK (to_date >= from_date),
        working_days INTEGER NOT NULL CHECK (working_days > 0),
        operator TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX publicity_rounds_campaign ON publicity_rounds (campaign_year, id);
    CREATE TABLE publicity_agencies (
        round_id INTEGER NOT NULL REFERENCES publicity_rounds (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        position INTEGER NOT NULL,
        uscc TEXT,
        name TEXT NOT NULL,
        tier TEXT NOT NULL CHECK (tier = 'province' OR tier = 'city' OR tier = 'county'),
        region TEXT,
        unit_type TEXT NOT NULL,
        PRIMARY KEY (round_id, agency_id)
    );",
};

/// An agency as a round publicised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicisedAgency {
    /// `agencies.id`.
    pub agency_id: i64,
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Name as the selection showed it.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Region (none for a provincial agency).
    pub region: Option<String>,
    /// Unit type.
    pub unit_type: String,
}

/// A stored round with its agencies in the order publicised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRow {
    /// Row id.
    pub id: i64,
    /// First day (as given when it started).
    pub from: NaiveDate,
    /// Last day: the last of its working days.
    pub to: NaiveDate,
    /// Working days it lasts.
    pub working_days: u32,
    /// Who started it.
    pub operator: String,
    /// When (RFC 3339).
    pub at: String,
    /// The agencies publicised.
    pub agencies: Vec<PublicisedAgency>,
}

/// A round to record.
#[derive(Debug, Clone)]
pub struct NewRound<'a> {
    /// Campaign year.
    pub year: i32,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Working days.
    pub working_days: u32,
    /// Who.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
    /// The agencies, in the order publicised.
    pub agencies: &'a [PublicisedAgency],
}

/// Records a round; returns its id.
pub fn insert(conn: &Connection, r: &NewRound<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO publicity_rounds (campaign_year, from_date, to_date, working_days, operator, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            r.year,
            r.from.to_string(),
            r.to.to_string(),
            r.working_days,
            r.operator,
            r.at
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare(
        "INSERT INTO publicity_agencies (round_id, agency_id, position, uscc, name, tier, region, unit_type)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, a) in r.agencies.iter().enumerate() {
        stmt.execute(params![
            id,
            a.agency_id,
            i as i64,
            a.uscc,
            a.name,
            a.tier,
            a.region,
            a.unit_type
        ])?;
    }
    Ok(id)
}

fn date(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(i)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Every round of a campaign, oldest first, with its agencies.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<RoundRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, from_date, to_date, working_days, operator, at FROM publicity_rounds
         WHERE campaign_year = ?1 ORDER BY id",
    )?;
    let mut rounds: Vec<RoundRow> = stmt
        .query_map([year], |r| {
            Ok(RoundRow {
                id: r.get(0)?,
                from: date(r, 1)?,
                to: date(r, 2)?,
                working_days: r.get(3)?,
                operator: r.get(4)?,
                at: r.get(5)?,
                agencies: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT agency_id, uscc, name, tier, region, unit_type FROM publicity_agencies
         WHERE round_id = ?1 ORDER BY position",
    )?;
    for round in &mut rounds {
        round.agencies = stmt
            .query_map([round.id], |r| {
                Ok(PublicisedAgency {
                    agency_id: r.get(0)?,
                    uscc: r.get(1)?,
                    name: r.get(2)?,
                    tier: r.get(3)?,
                    region: r.get(4)?,
                    unit_type: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(rounds)
}

/// Deletes a campaign's rounds (with the campaign, see `campaigns::delete`); returns how
/// many there were.
pub fn delete_campaign(conn: &Connection, year: i32) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM publicity_agencies WHERE round_id IN
         (SELECT id FROM publicity_rounds WHERE campaign_year = ?1)",
        [year],
    )?;
    conn.execute(
        "DELETE FROM publicity_rounds WHERE campaign_year = ?1",
        [year],
    )
}
