//! The `returns` table: one current return per campaign and agency, with the history
//! of replaced and withdrawn returns kept.

use std::ops::ControlFlow;

use rusqlite::{params, CachedStatement, Connection, OptionalExtension};

use super::{held, Migration};
use crate::vocab::Tier;

/// Creates the `returns` table.
pub const MIGRATION_4: Migration = Migration {
    version: 4,
    name: "returns",
    sql: "CREATE TABLE returns (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        file_id INTEGER NOT NULL REFERENCES imported_files (id),
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        name TEXT NOT NULL,
        uscc TEXT,
        tier TEXT NOT NULL,
        region TEXT,
        unit_type TEXT NOT NULL,
        daily TEXT,
        components TEXT NOT NULL,
        vetoes TEXT NOT NULL,
        complaints INTEGER,
        problems_total INTEGER,
        problems_fixed INTEGER,
        state TEXT NOT NULL DEFAULT 'current' CHECK (state = 'current' OR state = 'replaced' OR state = 'withdrawn'),
        replaced_by INTEGER REFERENCES returns (id),
        ended_at TEXT
    );
    CREATE UNIQUE INDEX returns_current ON returns (campaign_year, agency_id)
        WHERE state = 'current';
    CREATE INDEX returns_file ON returns (file_id);
    CREATE INDEX returns_replaced_by ON returns (replaced_by) WHERE replaced_by IS NOT NULL;",
};

/// A return to insert. Scores are exact decimal strings.
#[derive(Debug, Clone)]
pub struct NewReturn<'a> {
    /// Year of the campaign the return belongs to (e.g. 2026).
    pub campaign_year: i32,
    /// Row id of the agency (`agencies.id`), found or created from the return's identity; one
    /// current return per agency and campaign.
    pub agency_id: i64,
    /// Row id of the imported file it came from (`imported_files.id`).
    pub file_id: i64,
    /// Worksheet the return was read from, as named in the workbook.
    pub sheet: &'a str,
    /// Excel row number (1-based).
    pub row: u32,
    /// Agency name as declared.
    pub name: &'a str,
    /// USCC as declared.
    pub uscc: Option<&'a str>,
    /// 省直, 市级 or 县级: quota rules are per tier, so it picks the agency's pool; a provincial agency
    /// has no region.
    pub tier: Tier,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<&'a str>,
    /// Canonical unit type.
    pub unit_type: &'a str,
    /// 日常考核 as an exact decimal string; `None` when blank.
    pub daily: Option<String>,
    /// Component scores: JSON object key → decimal string.
    pub components_json: String,
    /// Veto flags: JSON object key → bool.
    pub vetoes_json: String,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
}

/// A stored return.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReturnRow {
    /// Row id (`returns.id`), kept when the return is replaced or withdrawn.
    pub id: i64,
    /// Row id of the agency in the store (`agencies.id`): stable across imports, it ties a return
    /// to the agency's awards and panel decisions.
    pub agency_id: i64,
    /// Row id of the imported file it came from (`imported_files.id`).
    pub file_id: i64,
    /// Worksheet the return was read from, as named in the workbook (e.g. 县级), so a clerk can find
    /// the row in the file.
    pub sheet: String,
    /// Excel row number (1-based) of the return in `sheet`.
    pub row: u32,
    /// Agency name as this return declared it (normalised); the agency may since be known by a
    /// later name.
    pub name: String,
    /// 统一社会信用代码 as this return declared it (validated); `None` when it gave none.
    pub uscc: Option<String>,
    /// 省直, 市级 or 县级: quota rules are per tier, so it picks the agency's pool; a provincial agency
    /// has no region.
    pub tier: Tier,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<String>,
    /// 单位类型, always one of the scheme's `unit_types` (an alias in the return is stored as the type
    /// it stands for); quota rules may be per type.
    pub unit_type: String,
    /// Daily score (decimal string).
    pub daily: Option<String>,
    /// Component scores JSON.
    pub components: String,
    /// Veto flags JSON.
    pub vetoes: String,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
    /// `current`, `replaced` or `withdrawn`.
    pub state: String,
}

const COLUMNS: &str = "id, agency_id, file_id, sheet, row, name, uscc, tier, region, unit_type, \
     daily, components, vetoes, complaints, problems_total, problems_fixed, state";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReturnRow> {
    Ok(ReturnRow {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        file_id: r.get(2)?,
        sheet: r.get(3)?,
        row: r.get(4)?,
        name: r.get(5)?,
        uscc: r.get(6)?,
        tier: r.get(7)?,
        region: r.get(8)?,
        unit_type: r.get(9)?,
        daily: r.get(10)?,
        components: r.get(11)?,
        vetoes: r.get(12)?,
        complaints: r.get(13)?,
        problems_total: r.get(14)?,
        problems_fixed: r.get(15)?,
        state: r.get(16)?,
    })
}

/// Inserts a current return and returns its id.
pub fn insert(conn: &Connection, r: &NewReturn<'_>) -> rusqlite::Result<i64> {
    Inserts::new(conn).insert(r)
}

/// The current return of an agency in a campaign: its id and the file it came from.
pub fn current_for_agency(
    conn: &Connection,
    year: i32,
    agency_id: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    Inserts::new(conn).current_for_agency(year, agency_id)
}

/// [`insert`] and [`current_for_agency`] for many returns in a row (an import's records):
/// each statement is taken from the connection's cache the first time it is needed and
/// held until this is dropped, instead of taken and given back for every row.
pub struct Inserts<'c> {
    conn: &'c Connection,
    insert: Option<CachedStatement<'c>>,
    current: Option<CachedStatement<'c>>,
}

impl<'c> Inserts<'c> {
    /// Holds nothing yet: a statement is prepared (or found in the cache) when first used.
    pub fn new(conn: &'c Connection) -> Inserts<'c> {
        Inserts {
            conn,
            insert: None,
            current: None,
        }
    }

    /// [`insert`] with the statement held.
    pub fn insert(&mut self, r: &NewReturn<'_>) -> rusqlite::Result<i64> {
        held(
            &mut self.insert,
            self.conn,
            "INSERT INTO returns (campaign_year, agency_id, file_id, sheet, row, name, uscc, tier,
             region, unit_type, daily, components, vetoes, complaints, problems_total, problems_fixed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .execute(params![
            r.campaign_year,
            r.agency_id,
            r.file_id,
            r.sheet,
            r.row,
            r.name,
            r.uscc,
            r.tier,
            r.region,
            r.unit_type,
            r.daily,
            r.components_json,
            r.vetoes_json,
            r.complaints,
            r.problems_total,
            r.problems_fixed
        ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// [`current_for_agency`] with the statement held.
    pub fn current_for_agency(
        &mut self,
        year: i32,
        agency_id: i64,
    ) -> rusqlite::Result<Option<(i64, i64)>> {
        held(
            &mut self.current,
            self.conn,
            "SELECT id, file_id FROM returns
             WHERE campaign_year = ?1 AND agency_id = ?2 AND state = 'current'",
        )?
        .query_row(params![year, agency_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
    }
}

/// Ends return `old` as replaced, freeing its agency's unique "current" slot before the
/// return that replaces it is inserted ([`mark_replaced`] then names that one).
pub fn end_current(conn: &Connection, old: i64, at: &str) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare_cached("UPDATE returns SET state = 'replaced', ended_at = ?2 WHERE id = ?1")?;
    stmt.execute(params![old, at])?;
    Ok(())
}

/// Marks return `old` replaced by `new`.
pub fn mark_replaced(conn: &Connection, old: i64, new: i64, at: &str) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE returns SET state = 'replaced', replaced_by = ?2, ended_at = ?3 WHERE id = ?1",
    )?;
    stmt.execute(params![old, new, at])?;
    Ok(())
}

/// Withdraws every current return of a file. A return that one of them had replaced
/// becomes current again, unless it came from a withdrawn file itself. Returns
/// (withdrawn, restored) counts.
pub fn withdraw_file(
    conn: &Connection,
    file_id: i64,
    at: &str,
) -> rusqlite::Result<(usize, usize)> {
    let ids: Vec<i64> = {
        let mut stmt =
            conn.prepare("SELECT id FROM returns WHERE file_id = ?1 AND state = 'current'")?;
        let rows = stmt.query_map([file_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut restored = 0;
    for id in &ids {
        conn.execute(
            "UPDATE returns SET state = 'withdrawn', ended_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        restored += conn.execute(
            "UPDATE returns SET state = 'current', replaced_by = NULL, ended_at = NULL
             WHERE replaced_by = ?1 AND state = 'replaced'
               AND file_id IN (SELECT id FROM imported_files WHERE status <> 'withdrawn')",
            [id],
        )?;
    }
    Ok((ids.len(), restored))
}

/// The agencies with any stored return (current or not) in campaign `year`.
pub fn agencies_of(conn: &Connection, year: i32) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT DISTINCT agency_id FROM returns WHERE campaign_year = ?1")?;
    let rows = stmt.query_map([year], |r| r.get(0))?;
    rows.collect()
}

/// An agency with a current return in a campaign, as files other than returns name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignUnit {
    /// `agencies.id`.
    pub agency_id: i64,
    /// The name of its current return.
    pub name: String,
    /// Its USCC, when its return gave one.
    pub uscc: Option<String>,
    /// Its region (None for province).
    pub region: Option<String>,
}

/// The agencies with a current return in campaign `year`, in agency order.
pub fn current_units(conn: &Connection, year: i32) -> rusqlite::Result<Vec<CampaignUnit>> {
    let mut stmt = conn.prepare(
        "SELECT agency_id, name, uscc, region FROM returns
         WHERE campaign_year = ?1 AND state = 'current' ORDER BY agency_id",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(CampaignUnit {
            agency_id: r.get(0)?,
            name: r.get(1)?,
            uscc: r.get(2)?,
            region: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The number of current returns of a campaign.
pub fn count_current(conn: &Connection, year: i32) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM returns WHERE campaign_year = ?1 AND state = 'current'",
        [year],
        |r| r.get(0),
    )
}

/// The current returns of a campaign, in agency order.
pub fn list_current(conn: &Connection, year: i32) -> rusqlite::Result<Vec<ReturnRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM returns WHERE campaign_year = ?1 AND state = 'current'
         ORDER BY agency_id"
    ))?;
    let rows = stmt.query_map([year], from_row)?;
    rows.collect()
}

/// Every return ever stored for an agency in a campaign, oldest first (its history).
pub fn history(conn: &Connection, year: i32, agency_id: i64) -> rusqlite::Result<Vec<ReturnRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM returns WHERE campaign_year = ?1 AND agency_id = ?2 ORDER BY id"
    ))?;
    let rows = stmt.query_map(params![year, agency_id], from_row)?;
    rows.collect()
}

/// The names an agency's returns gave, with the campaign years each was given in, in
/// year then name order; withdrawn returns left out (a withdrawn file was a mistake, not a
/// name the agency used). What the agency history calls its former names.
pub fn names_of(conn: &Connection, agency_id: i64) -> rusqlite::Result<Vec<(i32, String)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT campaign_year, name FROM returns
         WHERE agency_id = ?1 AND state <> 'withdrawn' ORDER BY campaign_year, name",
    )?;
    let rows = stmt.query_map([agency_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The campaign years in which an agency has a current return, with that return's name,
/// oldest first.
pub fn names_current(conn: &Connection, agency_id: i64) -> rusqlite::Result<Vec<(i32, String)>> {
    let mut stmt = conn.prepare(
        "SELECT campaign_year, name FROM returns WHERE agency_id = ?1 AND state = 'current'
         ORDER BY campaign_year",
    )?;
    let rows = stmt.query_map([agency_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The counts a review weighs (群众反映问题数, 问题清单数, 已整改数) of one current return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    /// Row id of the agency (`agencies.id`), matched against the awards due for review.
    pub agency_id: i64,
    /// 群众反映问题数 this year, at least 0; `None` when the column is absent or the cell blank, which a
    /// review counts as 0. At the scheme's complaints trigger or above, a held award is reviewed.
    pub complaints: Option<i64>,
    /// 问题清单数: problems listed for the agency this year, at least 0; `None` when blank. A review
    /// weighs `problems_fixed` against it.
    pub problems_total: Option<i64>,
    /// 已整改数: problems of the list fixed, at least 0 and never more than `problems_total` (the
    /// import refuses that); `None` when blank, which a review counts as 0.
    pub problems_fixed: Option<i64>,
}

/// The [`FollowUp`] counts of every current return of a campaign.
pub fn current_follow_ups(conn: &Connection, year: i32) -> rusqlite::Result<Vec<FollowUp>> {
    let mut stmt = conn.prepare(
        "SELECT agency_id, complaints, problems_total, problems_fixed FROM returns
         WHERE campaign_year = ?1 AND state = 'current'",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(FollowUp {
            agency_id: r.get(0)?,
            complaints: r.get(1)?,
            problems_total: r.get(2)?,
            problems_fixed: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// What the selection reads of a current return: its texts borrowed from the
/// [`ScoredBatch`] it was read into — the tier and score columns as stored (a code,
/// decimal strings, JSON objects), for the reader to parse against its scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredReturn<'r> {
    /// Row id of the agency in the store (`agencies.id`): stable across imports, it ties a return
    /// to the agency's awards and panel decisions.
    pub agency_id: i64,
    /// 统一社会信用代码 as the return declared it; `None` when it gave none.
    pub uscc: Option<&'r str>,
    /// Agency name as the return declared it (normalised).
    pub name: &'r str,
    /// Tier code as stored (`province`, `city` or `county`), parsed by the reader.
    pub tier: &'r str,
    /// 所属地区, e.g. 广州市越秀区: required of city and county agencies, `None` for a provincial one.
    pub region: Option<&'r str>,
    /// 单位类型, always one of the scheme's `unit_types` (an alias in the return is stored as the type
    /// it stands for); quota rules may be per type.
    pub unit_type: &'r str,
    /// Daily score (decimal string).
    pub daily: Option<&'r str>,
    /// Component scores: JSON object key → decimal string.
    pub components: &'r str,
    /// Veto flags: JSON object key → bool.
    pub vetoes: &'r str,
}

/// Rows in a [`ScoredBatch`]: enough that handing batches from one thread to another
/// costs nothing against reading them, few enough that the first batch is soon there.
pub const SCORED_BATCH: usize = 1024;

/// Current returns as [`read_current_scored`] reads them: the texts of up to
/// [`SCORED_BATCH`] rows in one buffer, so that reading a row copies its texts once and
/// allocates nothing, and the batch can be parsed on another thread than the one that
/// steps the statement.
#[derive(Debug, Default)]
pub struct ScoredBatch {
    text: String,
    rows: Vec<ScoredSpans>,
}

/// Where a row's texts are in its batch's buffer (start and end bytes).
type Span = (u32, u32);

#[derive(Debug, Clone, Copy)]
struct ScoredSpans {
    agency_id: i64,
    uscc: Option<Span>,
    name: Span,
    tier: Span,
    region: Option<Span>,
    unit_type: Span,
    daily: Option<Span>,
    components: Span,
    vetoes: Span,
}

impl ScoredBatch {
    /// The batch's returns, in the order read.
    pub fn returns(&self) -> impl Iterator<Item = ScoredReturn<'_>> + '_ {
        let at = |(a, b): Span| &self.text[a as usize..b as usize];
        self.rows.iter().map(move |s| ScoredReturn {
            agency_id: s.agency_id,
            uscc: s.uscc.map(at),
            name: at(s.name),
            tier: at(s.tier),
            region: s.region.map(at),
            unit_type: at(s.unit_type),
            daily: s.daily.map(at),
            components: at(s.components),
            vetoes: at(s.vetoes),
        })
    }

    /// How many returns it holds.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Copies `s` into the buffer.
    fn push(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        // A batch's texts stay far below 4 GiB: 1,024 rows of cells Excel bounds.
        (start as u32, self.text.len() as u32)
    }

    /// Reads one row of [`read_current_scored`]'s statement into the batch.
    fn read<E>(&mut self, r: &rusqlite::Row<'_>) -> Result<(), E>
    where
        E: From<rusqlite::Error> + From<NotText>,
    {
        let text = |i: usize| -> Result<&str, E> { Ok(r.get_ref(i)?.as_str().map_err(NotText)?) };
        let text_or_null = |i: usize| -> Result<Option<&str>, E> {
            Ok(r.get_ref(i)?.as_str_or_null().map_err(NotText)?)
        };
        let agency_id = r.get(0)?;
        let spans = ScoredSpans {
            agency_id,
            uscc: text_or_null(1)?.map(|t| self.push(t)),
            name: self.push(text(2)?),
            tier: self.push(text(3)?),
            region: text_or_null(4)?.map(|t| self.push(t)),
            unit_type: self.push(text(5)?),
            daily: text_or_null(6)?.map(|t| self.push(t)),
            components: self.push(text(7)?),
            vetoes: self.push(text(8)?),
        };
        self.rows.push(spans);
        Ok(())
    }
}

/// A text column of a stored return that holds another type: the database was changed
/// outside mofan.
#[derive(Debug)]
pub struct NotText(pub rusqlite::types::FromSqlError);

/// Calls `f` with every current return of a campaign, in agency order, stopping at the
/// first error: the reading one row at a time that the tests compare the selection's
/// (`select::load`, parsing beside the reading) with.
#[cfg(test)]
pub fn for_each_current_scored<E>(
    conn: &Connection,
    year: i32,
    mut f: impl FnMut(ScoredReturn<'_>) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<rusqlite::Error> + From<NotText>,
{
    read_current_scored(conn, year, |batch| {
        batch.returns().try_for_each(&mut f)?;
        Ok(ControlFlow::Continue(()))
    })
}

/// Reads every current return of a campaign in agency order, a [`ScoredBatch`] at a
/// time, and gives each batch to `f`, which may stop the reading. A row that cannot be
/// read ends it with that row's error — after the rows before it were given to `f`, so
/// that an error `f` finds in one of them comes first, as one row at a time.
pub fn read_current_scored<E>(
    conn: &Connection,
    year: i32,
    mut f: impl FnMut(ScoredBatch) -> Result<ControlFlow<()>, E>,
) -> Result<(), E>
where
    E: From<rusqlite::Error> + From<NotText>,
{
    let mut stmt = conn.prepare(
        "SELECT agency_id, uscc, name, tier, region, unit_type, daily, components, vetoes
         FROM returns WHERE campaign_year = ?1 AND state = 'current' ORDER BY agency_id",
    )?;
    let mut rows = stmt.query([year])?;
    let fresh = |text: usize| ScoredBatch {
        text: String::with_capacity(text),
        rows: Vec::with_capacity(SCORED_BATCH),
    };
    let mut batch = ScoredBatch::default();
    loop {
        let read: Result<(), E> = match rows.next() {
            Ok(Some(r)) => batch.read(r),
            Ok(None) => break,
            Err(e) => Err(e.into()),
        };
        if let Err(e) = read {
            if !batch.is_empty() && f(batch)?.is_break() {
                return Ok(());
            }
            return Err(e);
        }
        if batch.len() == SCORED_BATCH {
            let next = fresh(batch.text.len());
            if f(std::mem::replace(&mut batch, next))?.is_break() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        // The last batch: there is nothing left for `f` to stop.
        let _ = f(batch)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[derive(Debug)]
    enum ReadError {
        Sqlite,
        NotText,
    }

    impl From<rusqlite::Error> for ReadError {
        fn from(_: rusqlite::Error) -> Self {
            ReadError::Sqlite
        }
    }

    impl From<NotText> for ReadError {
        fn from(_: NotText) -> Self {
            ReadError::NotText
        }
    }

    /// A store holding one current return of agency 7 in 2026 (its campaign, agency and
    /// file rows left out: the reads here do not join them).
    fn one_return() -> Store {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        c.pragma_update(None, "foreign_keys", false).unwrap();
        insert(
            c,
            &NewReturn {
                campaign_year: 2026,
                agency_id: 7,
                file_id: 1,
                sheet: "申报表",
                row: 4,
                name: "审计局",
                uscc: None,
                tier: crate::vocab::Tier::County,
                region: Some("越秀区"),
                unit_type: "政府机关",
                daily: Some("90.5".into()),
                components_json: r#"{"a":"88.25"}"#.into(),
                vetoes_json: r#"{"v":true}"#.into(),
                complaints: Some(1),
                problems_total: Some(3),
                problems_fixed: None,
            },
        )
        .unwrap();
        store
    }

    #[test]
    fn current_returns_are_read_as_stored() {
        let store = one_return();
        let mut seen = Vec::new();
        for_each_current_scored(store.conn(), 2026, |r| -> Result<(), ReadError> {
            seen.push((
                r.agency_id,
                r.name.to_string(),
                r.region.map(str::to_string),
                r.tier.to_string(),
                r.daily.map(str::to_string),
                r.components.to_string(),
                r.vetoes.to_string(),
            ));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [(
                7,
                "审计局".to_string(),
                Some("越秀区".to_string()),
                "county".to_string(),
                Some("90.5".to_string()),
                r#"{"a":"88.25"}"#.to_string(),
                r#"{"v":true}"#.to_string(),
            )]
        );
        assert_eq!(
            current_follow_ups(store.conn(), 2026).unwrap(),
            [FollowUp {
                agency_id: 7,
                complaints: Some(1),
                problems_total: Some(3),
                problems_fixed: None,
            }]
        );
        assert!(current_follow_ups(store.conn(), 2025).unwrap().is_empty());
    }

    #[test]
    fn a_score_column_that_is_not_text_is_refused() {
        let store = one_return();
        // A blob keeps its type in a TEXT column (a number would be converted to text).
        store
            .conn()
            .execute("UPDATE returns SET components = X'00'", [])
            .unwrap();
        let e = for_each_current_scored(store.conn(), 2026, |_| Ok::<(), ReadError>(()));
        assert!(matches!(e, Err(ReadError::NotText)), "{e:?}");
    }
}
