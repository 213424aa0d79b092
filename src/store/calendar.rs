//! The calendar tables: the official holiday arrangement (节假日安排) of each year the
//! clerk imported — its holidays (放假) and its adjusted working weekend days (调休上班) —
//! which working days are counted with (docs/specification.md §9). A year is arranged
//! when it has a row in `calendar_years`, even one with no days; a year without one is
//! counted by weekends only. Importing a year replaces its days as a whole; editing by
//! hand sets or removes one day ([`set_day`], [`remove_day`]), a year first edited by hand
//! being arranged by [`arrange_year`].

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
pub use crate::vocab::CalendarDayKind;

/// Creates `calendar_years` (one row per arranged year, with where its arrangement came
/// from) and `calendar_days` (its holidays and adjusted working days; a day is one or the
/// other, never both).
pub const MIGRATION_17: Migration = Migration {
    version: 17,
    name: "calendar",
    sql: "CREATE TABLE calendar_years (
        year INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        operator TEXT NOT NULL
    );
    CREATE TABLE calendar_days (
        day TEXT PRIMARY KEY,
        year INTEGER NOT NULL REFERENCES calendar_years (year),
        kind TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'workday')
    );
    CREATE INDEX calendar_days_year ON calendar_days (year);",
};

/// Where an arranged year came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSource {
    /// The year.
    pub year: i32,
    /// The file's name (without its folder).
    pub file_name: String,
    /// The file's SHA-256 (hex).
    pub sha256: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub operator: String,
}

/// Replaces the arrangement of `source.year` by `days`; returns whether the year had one
/// before. Run it inside the caller's transaction, which also writes the audit row.
pub fn replace_year(
    conn: &Connection,
    source: &YearSource,
    days: &[(NaiveDate, CalendarDayKind)],
) -> rusqlite::Result<bool> {
    let had = source_of(conn, source.year)?.is_some();
    conn.execute("DELETE FROM calendar_days WHERE year = ?1", [source.year])?;
    conn.execute("DELETE FROM calendar_years WHERE year = ?1", [source.year])?;
    conn.execute(
        "INSERT INTO calendar_years (year, file_name, sha256, imported_at, operator)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            source.year,
            source.file_name,
            source.sha256,
            source.imported_at,
            source.operator
        ],
    )?;
    let mut stmt =
        conn.prepare("INSERT INTO calendar_days (day, year, kind) VALUES (?1, ?2, ?3)")?;
    for (day, kind) in days {
        stmt.execute(params![day.to_string(), source.year, kind])?;
    }
    Ok(had)
}

/// Makes `source.year` arranged (with no days) unless it is; returns whether it was
/// already. Run it inside the caller's transaction.
pub fn arrange_year(conn: &Connection, source: &YearSource) -> rusqlite::Result<bool> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO calendar_years (year, file_name, sha256, imported_at, operator)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            source.year,
            source.file_name,
            source.sha256,
            source.imported_at,
            source.operator
        ],
    )?;
    Ok(inserted == 0)
}

/// The kind `day` has in its year's arrangement, if it is listed.
pub fn kind_of(conn: &Connection, day: NaiveDate) -> rusqlite::Result<Option<CalendarDayKind>> {
    conn.query_row(
        "SELECT kind FROM calendar_days WHERE day = ?1",
        [day.to_string()],
        |r| r.get(0),
    )
    .optional()
}

/// Lists `day` as `kind` in its year's arrangement (which must be arranged), replacing
/// what it was listed as. Run it inside the caller's transaction.
pub fn set_day(conn: &Connection, day: NaiveDate, kind: CalendarDayKind) -> rusqlite::Result<()> {
    use chrono::Datelike;
    conn.execute(
        "INSERT INTO calendar_days (day, year, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind",
        params![day.to_string(), day.year(), kind],
    )?;
    Ok(())
}

/// Takes `day` off its year's list; returns whether it was listed.
pub fn remove_day(conn: &Connection, day: NaiveDate) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM calendar_days WHERE day = ?1",
        [day.to_string()],
    )? > 0)
}

/// The arranged year `year`, if it is arranged.
pub fn source_of(conn: &Connection, year: i32) -> rusqlite::Result<Option<YearSource>> {
    conn.query_row(
        "SELECT year, file_name, sha256, imported_at, operator FROM calendar_years
         WHERE year = ?1",
        [year],
        |r| {
            Ok(YearSource {
                year: r.get(0)?,
                file_name: r.get(1)?,
                sha256: r.get(2)?,
                imported_at: r.get(3)?,
                operator: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Every arranged year, ascending.
pub fn years(conn: &Connection) -> rusqlite::Result<Vec<i32>> {
    let mut stmt = conn.prepare("SELECT year FROM calendar_years ORDER BY year")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// The days of every arranged year, in date order. A stored day that is not a date
/// (only a hand-edited database has one) is an error naming it.
pub fn days(conn: &Connection) -> rusqlite::Result<Vec<(NaiveDate, CalendarDayKind)>> {
    let mut stmt = conn.prepare("SELECT day, kind FROM calendar_days ORDER BY day")?;
    let rows = stmt.query_map([], |r| {
        let text: String = r.get(0)?;
        let day = text.parse::<NaiveDate>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?;
        Ok((day, r.get(1)?))
    })?;
    rows.collect()
}
