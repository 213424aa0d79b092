//! The `panel_scores` table: the panel's scores (评委打分, docs/specification.md §8) as
//! imported from score sheets — per file, component, agency and judge, the score as an
//! exact decimal text or a recusal (回避), with the sheet, row and column of its cell.
//!
//! A score is `current` until its file is withdrawn. One judge scores one agency once per
//! component: a unique index over the current scores holds it, behind the importer's own
//! check, which names both places.

use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;

/// Creates the `panel_scores` table.
///
/// Schema version 14 on its own; with the ballots' table (also 14) merged before it, it
/// becomes 15.
pub const MIGRATION_14: Migration = Migration {
    version: 14,
    name: "panel_scores",
    sql: "CREATE TABLE panel_scores (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        component TEXT NOT NULL,
        file_id INTEGER NOT NULL REFERENCES imported_files (id),
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        judge TEXT NOT NULL,
        judge_key TEXT NOT NULL,
        score TEXT,
        recused INTEGER NOT NULL CHECK (recused = 0 OR recused = 1),
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        col INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'current' CHECK (state = 'current' OR state = 'withdrawn'),
        ended_at TEXT,
        CHECK ((recused = 1) = (score IS NULL))
    );
    CREATE UNIQUE INDEX panel_scores_current ON panel_scores
        (campaign_year, component, agency_id, judge_key) WHERE state = 'current';
    CREATE INDEX panel_scores_file ON panel_scores (file_id);",
};

/// A score to insert.
#[derive(Debug, Clone)]
pub struct NewScore<'a> {
    /// Campaign year.
    pub campaign_year: i32,
    /// The component's key (its source is `panel`).
    pub component: &'a str,
    /// The file it came from (`imported_files.id`).
    pub file_id: i64,
    /// The agency scored (`agencies.id`).
    pub agency_id: i64,
    /// The judge as the sheet names them (normalised white space).
    pub judge: &'a str,
    /// The key judges are matched by (no white space, width folded).
    pub judge_key: &'a str,
    /// The score as an exact decimal text; `None` when the judge recused (回避).
    pub score: Option<String>,
    /// Sheet name.
    pub sheet: &'a str,
    /// Excel row (1-based).
    pub row: u32,
    /// 0-based grid column of the cell.
    pub col: u32,
}

/// Inserts a current score.
pub fn insert(conn: &Connection, s: &NewScore<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO panel_scores (campaign_year, component, file_id, agency_id, judge,
         judge_key, score, recused, sheet, row, col)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            s.campaign_year,
            s.component,
            s.file_id,
            s.agency_id,
            s.judge,
            s.judge_key,
            s.score,
            s.score.is_none(),
            s.sheet,
            s.row,
            s.col,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The file of the current score of a judge for an agency, if there is one.
pub fn current_file_of(
    conn: &Connection,
    year: i32,
    component: &str,
    agency_id: i64,
    judge_key: &str,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT file_id FROM panel_scores
         WHERE campaign_year = ?1 AND component = ?2 AND agency_id = ?3 AND judge_key = ?4
           AND state = 'current'",
        params![year, component, agency_id, judge_key],
        |r| r.get(0),
    )
    .optional()
}

/// A current score as stored, with the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScore {
    /// The agency scored.
    pub agency_id: i64,
    /// The judge as the sheet names them.
    pub judge: String,
    /// The key judges are matched by.
    pub judge_key: String,
    /// The exact decimal text; `None` for a recusal.
    pub score: Option<String>,
    /// The file's id.
    pub file_id: i64,
    /// The file's name.
    pub file_name: String,
    /// The file's SHA-256.
    pub sha256: String,
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based).
    pub row: u32,
    /// 0-based grid column.
    pub col: u32,
}

/// Every current score of a component in a campaign, in judge order: file (oldest
/// first), then column, then row, then judge key — the order in which, among equal
/// scores, a later one is dropped first (docs/rules.md, "Panel scores").
pub fn current(
    conn: &Connection,
    year: i32,
    component: &str,
) -> rusqlite::Result<Vec<StoredScore>> {
    let mut stmt = conn.prepare(
        "SELECT s.agency_id, s.judge, s.judge_key, s.score, s.file_id, f.file_name, f.sha256,
                s.sheet, s.row, s.col
         FROM panel_scores s JOIN imported_files f ON f.id = s.file_id
         WHERE s.campaign_year = ?1 AND s.component = ?2 AND s.state = 'current'
         ORDER BY s.file_id, s.col, s.row, s.judge_key",
    )?;
    let rows = stmt.query_map(params![year, component], |r| {
        Ok(StoredScore {
            agency_id: r.get(0)?,
            judge: r.get(1)?,
            judge_key: r.get(2)?,
            score: r.get(3)?,
            file_id: r.get(4)?,
            file_name: r.get(5)?,
            sha256: r.get(6)?,
            sheet: r.get(7)?,
            row: r.get(8)?,
            col: r.get(9)?,
        })
    })?;
    rows.collect()
}

/// What a panel file stored: its component, how many scores and how many recusals
/// (`None`: it stored nothing).
pub fn stored_by_file(
    conn: &Connection,
    file_id: i64,
) -> rusqlite::Result<Option<(String, i64, i64)>> {
    conn.query_row(
        "SELECT component, SUM(recused = 0), SUM(recused) FROM panel_scores
         WHERE file_id = ?1 GROUP BY component LIMIT 1",
        [file_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// How the scores of one sheet of a panel file lie: how many judges and how many grid
/// columns hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSpread {
    /// `imported_files.id`.
    pub file_id: i64,
    /// Sheet name.
    pub sheet: String,
    /// Distinct judges (by key) of the sheet.
    pub judges: usize,
    /// Distinct grid columns their scores stand in.
    pub columns: usize,
}

/// Every sheet of every file (live or withdrawn) that stored scores of campaign `year` for
/// `component`, in file and sheet order. The table does not keep the layout a sheet was
/// read in; the spread of its scores tells it ([`crate::import::panel::stored_layout`]).
pub fn sheet_spreads(
    conn: &Connection,
    year: i32,
    component: &str,
) -> rusqlite::Result<Vec<SheetSpread>> {
    let mut stmt = conn.prepare(
        "SELECT file_id, sheet, COUNT(DISTINCT judge_key), COUNT(DISTINCT col)
         FROM panel_scores WHERE campaign_year = ?1 AND component = ?2
         GROUP BY file_id, sheet ORDER BY file_id, MIN(id)",
    )?;
    let rows = stmt.query_map(params![year, component], |r| {
        Ok(SheetSpread {
            file_id: r.get(0)?,
            sheet: r.get(1)?,
            judges: r.get::<_, i64>(2)? as usize,
            columns: r.get::<_, i64>(3)? as usize,
        })
    })?;
    rows.collect()
}

/// Withdraws every current score of a file; returns how many.
pub fn withdraw_file(conn: &Connection, file_id: i64, at: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE panel_scores SET state = 'withdrawn', ended_at = ?2
         WHERE file_id = ?1 AND state = 'current'",
        params![file_id, at],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::files::{self, FileKind, NewFile};
    use crate::store::Store;

    fn file(store: &Store, sha: &str) -> i64 {
        files::insert(
            store.conn(),
            &NewFile {
                kind: FileKind::Panel,
                campaign_year: Some(2026),
                file_name: "评分表.xlsx",
                sha256: sha,
                imported_at: "t",
                operator: "张三",
            },
        )
        .unwrap()
    }

    fn agency(store: &Store) -> i64 {
        store
            .conn()
            .execute(
                "INSERT INTO agencies (name, name_key, tier, unit_type, updated_at)
                 VALUES ('甲局', '甲局', 'province', '政府机关', 't')",
                [],
            )
            .unwrap();
        store.conn().last_insert_rowid()
    }

    fn score<'a>(file_id: i64, agency_id: i64, judge: &'a str, v: Option<&str>) -> NewScore<'a> {
        NewScore {
            campaign_year: 2026,
            component: "organisation",
            file_id,
            agency_id,
            judge,
            judge_key: judge,
            score: v.map(str::to_string),
            sheet: "评分",
            row: 3,
            col: 2,
        }
    }

    #[test]
    fn one_current_score_per_judge_and_withdrawal() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let a = agency(&store);
        let f1 = file(&store, "aa");
        let f2 = file(&store, "bb");
        let c = store.conn();
        insert(c, &score(f1, a, "评委1", Some("92.5"))).unwrap();
        insert(c, &score(f1, a, "评委2", None)).unwrap();
        assert!(
            insert(c, &score(f2, a, "评委1", Some("90"))).is_err(),
            "the same judge twice"
        );
        let now = current(c, 2026, "organisation").unwrap();
        assert_eq!(
            now.iter()
                .map(|s| (s.judge.as_str(), s.score.as_deref()))
                .collect::<Vec<_>>(),
            [("评委1", Some("92.5")), ("评委2", None)]
        );
        assert_eq!(now[0].file_name, "评分表.xlsx");
        assert!(current(c, 2026, "public").unwrap().is_empty());
        assert_eq!(withdraw_file(c, f1, "t2").unwrap(), 2);
        assert!(current(c, 2026, "organisation").unwrap().is_empty());
        // Withdrawn, the judge may score the agency again.
        insert(c, &score(f2, a, "评委1", Some("90"))).unwrap();
        assert_eq!(current(c, 2026, "organisation").unwrap().len(), 1);
    }

    #[test]
    fn a_recusal_has_no_score_and_a_score_is_no_recusal() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let a = agency(&store);
        let f = file(&store, "aa");
        let bad = store.conn().execute(
            "INSERT INTO panel_scores (campaign_year, component, file_id, agency_id, judge,
             judge_key, score, recused, sheet, row, col)
             VALUES (2026, 'organisation', ?1, ?2, '评委1', '评委1', '90', 1, 's', 1, 1)",
            params![f, a],
        );
        assert!(bad.is_err());
    }
}
