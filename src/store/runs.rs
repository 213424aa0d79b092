//! The `selection_runs` table: every run of a campaign's selection (评选运行), with its
//! time, operator, what started it and the fingerprints of its inputs. The newest run of a
//! campaign also keeps its whole result and its rows' statuses; older runs keep only
//! their facts, since a result of 10,000 returns is megabytes and what changed between
//! runs is in the audit log anyway. The result is a compact record (`select::stored`)
//! since version 24, the JSON of the `Selection` before; this module stores and reads
//! its bytes either way.

use rusqlite::{params, Connection, OptionalExtension, MAIN_DB};

use super::Migration;
use crate::vocab::RunTrigger;

/// Creates the `selection_runs` table.
pub const MIGRATION_12: Migration = Migration {
    version: 12,
    name: "selection_runs",
    sql: "CREATE TABLE selection_runs (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        run_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger = 'run' OR trigger = 'override'),
        scheme_fp TEXT NOT NULL,
        returns_fp TEXT NOT NULL,
        awards_fp TEXT NOT NULL,
        overrides_fp TEXT NOT NULL,
        returns INTEGER NOT NULL,
        selected INTEGER NOT NULL,
        tie_pending INTEGER NOT NULL,
        result TEXT
    );
    CREATE INDEX selection_runs_campaign ON selection_runs (campaign_year, id);",
};

/// Adds the fingerprint of the computed components' scores (ballots, panel sheets). A run
/// recorded before had no such input: it gets the fingerprint of nothing (SHA-256 of no
/// bytes), which is what a campaign without computed components has, so older runs stay
/// current.
pub const MIGRATION_15: Migration = Migration {
    version: 15,
    name: "selection_runs_evaluations",
    sql: "ALTER TABLE selection_runs ADD COLUMN evaluations_fp TEXT NOT NULL
        DEFAULT 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';",
};

/// Adds the run's result as a compact record (`record`, bytes the selection writes and
/// reads, `select::stored`) in place of the `Selection`'s JSON in `result`, and each run's
/// statuses (agency, status, USCC and name per row, also a compact record): the next
/// run's audit entry compares them without reading the result. A run recorded before
/// keeps its JSON in `result` and has no statuses; both are read as before.
pub const MIGRATION_24: Migration = Migration {
    version: 24,
    name: "selection_runs_record",
    sql: "ALTER TABLE selection_runs ADD COLUMN record BLOB;
    ALTER TABLE selection_runs ADD COLUMN statuses BLOB;",
};

/// The fingerprints (SHA-256, hex) of the four inputs of a selection, each taken apart so
/// that a stale result can say which input changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    /// The campaign's scheme text.
    pub scheme: String,
    /// The current returns as the selection reads them.
    pub returns: String,
    /// The awards registry as eligibility reads it.
    pub awards: String,
    /// The panel's decisions for the campaign.
    pub overrides: String,
    /// The scores and notes of the computed components (ballots, panel sheets).
    pub evaluations: String,
    /// The ledger items the eligibility read: the problems overdue on the run's reference
    /// date ([`super::ledger::MIGRATION_20`]).
    pub ledger: String,
    /// The accountability records of the campaign year that bar an agency (§10); the
    /// column comes with `accountability::MIGRATION_21`.
    pub accountability: String,
}

/// A run to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun<'a> {
    /// Campaign year.
    pub year: i32,
    /// When (RFC 3339).
    pub at: &'a str,
    /// Who.
    pub operator: &'a str,
    /// 运行评选, or a panel decision.
    pub trigger: RunTrigger,
    /// Its inputs' fingerprints.
    pub fingerprints: &'a Fingerprints,
    /// Returns in the result.
    pub returns: u32,
    /// Selected agencies.
    pub selected: u32,
    /// Returns whose tie the panel must resolve.
    pub tie_pending: u32,
    /// The whole result (a compact record of the selection's), stored in `record`.
    pub result: &'a [u8],
    /// Each row's agency and status (a compact record of the selection's).
    pub statuses: &'a [u8],
    /// The date the eligibility was judged on (docs/specification.md §10).
    pub reference_date: Option<chrono::NaiveDate>,
}

/// A recorded run, without its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// Sequence.
    pub id: i64,
    /// Campaign year.
    pub year: i32,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub operator: String,
    /// What started it.
    pub trigger: RunTrigger,
    /// Its inputs' fingerprints.
    pub fingerprints: Fingerprints,
    /// Returns in the result.
    pub returns: u32,
    /// Selected agencies.
    pub selected: u32,
    /// Returns whose tie the panel must resolve.
    pub tie_pending: u32,
    /// The date the eligibility was judged on; none for a run recorded before the ledger
    /// existed.
    pub reference_date: Option<chrono::NaiveDate>,
}

/// Records a run as the campaign's newest, dropping the stored result and statuses of
/// the previous newest (its facts stay); returns the run's id.
pub fn insert(conn: &Connection, r: &NewRun<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "UPDATE selection_runs SET result = NULL, record = NULL, statuses = NULL
         WHERE campaign_year = ?1
             AND (result IS NOT NULL OR record IS NOT NULL OR statuses IS NOT NULL)",
        [r.year],
    )?;
    conn.execute(
        "INSERT INTO selection_runs (campaign_year, run_at, operator, trigger, scheme_fp,
             returns_fp, awards_fp, overrides_fp, returns, selected, tie_pending, record,
             evaluations_fp, ledger_fp, reference_date, accountability_fp, statuses)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, zeroblob(?12), ?13, ?14, ?15, ?16,
             zeroblob(?17))",
        params![
            r.year,
            r.at,
            r.operator,
            r.trigger.as_str(),
            r.fingerprints.scheme,
            r.fingerprints.returns,
            r.fingerprints.awards,
            r.fingerprints.overrides,
            r.returns,
            r.selected,
            r.tie_pending,
            r.result.len() as i64,
            r.fingerprints.evaluations,
            r.fingerprints.ledger,
            r.reference_date.map(|d| d.to_string()),
            r.fingerprints.accountability,
            r.statuses.len() as i64,
        ],
    )?;
    let id = conn.last_insert_rowid();
    // The two records (tens of megabytes for 100,000 returns) are written into blobs of
    // their size in place: bound as parameters, SQLite would copy each once on binding
    // and again into the row it builds, which was a third of a run's peak of memory.
    for (column, bytes) in [("record", r.result), ("statuses", r.statuses)] {
        let mut blob = conn.blob_open(MAIN_DB, "selection_runs", column, id, false)?;
        blob.write_all_at(bytes, 0)?;
    }
    Ok(id)
}

/// A stored text the vocabulary does not know (a damaged database).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("选择运行记录的触发方式无法识别：{0}")]
pub struct UnknownTrigger(pub String);

const COLUMNS: &str = "id, campaign_year, run_at, operator, trigger, scheme_fp, returns_fp,
    awards_fp, overrides_fp, returns, selected, tie_pending, evaluations_fp, ledger_fp,
    reference_date, accountability_fp";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    let trigger: String = r.get(4)?;
    Ok(RunRow {
        id: r.get(0)?,
        year: r.get(1)?,
        at: r.get(2)?,
        operator: r.get(3)?,
        trigger: RunTrigger::parse(&trigger).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                4,
                rusqlite::types::Type::Text,
                Box::new(UnknownTrigger(trigger.clone())),
            )
        })?,
        fingerprints: Fingerprints {
            scheme: r.get(5)?,
            returns: r.get(6)?,
            awards: r.get(7)?,
            overrides: r.get(8)?,
            evaluations: r.get(12)?,
            ledger: r.get(13)?,
            accountability: r.get(15)?,
        },
        returns: r.get(9)?,
        selected: r.get(10)?,
        tie_pending: r.get(11)?,
        reference_date: r
            .get::<_, Option<String>>(14)?
            .map(|s| {
                chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        14,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
            })
            .transpose()?,
    })
}

/// A stored text or blob as its bytes (`None`: NULL): a result stored as JSON text
/// (`result`, before version 24) and one stored as a compact record (`record`) are both
/// read as bytes.
fn bytes(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Vec<u8>>> {
    use rusqlite::types::ValueRef;
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b) | ValueRef::Blob(b) => Ok(Some(b.to_vec())),
        other => Err(rusqlite::Error::InvalidColumnType(
            i,
            "result".into(),
            other.data_type(),
        )),
    }
}

/// The campaign's newest run and its stored result (empty when none is kept), if it was
/// ever run.
pub fn latest(conn: &Connection, year: i32) -> rusqlite::Result<Option<(RunRow, Vec<u8>)>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS}, coalesce(record, result) FROM selection_runs
             WHERE campaign_year = ?1 ORDER BY id DESC LIMIT 1"
        ),
        [year],
        |r| Ok((row(r)?, bytes(r, 16)?.unwrap_or_default())),
    )
    .optional()
}

/// What the next run's audit entry compares of the campaign's newest run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousStatuses {
    /// The run's id.
    pub id: i64,
    /// Its statuses record, when it was stored with one (version 24 on).
    pub statuses: Option<Vec<u8>>,
    /// Its result, read only when it has no statuses record (empty when none is kept).
    pub result: Vec<u8>,
}

/// The campaign's newest run's statuses — or, for a run stored before they were kept,
/// its result — if it was ever run.
pub fn latest_statuses(conn: &Connection, year: i32) -> rusqlite::Result<Option<PreviousStatuses>> {
    conn.query_row(
        "SELECT id, statuses, CASE WHEN statuses IS NULL THEN coalesce(record, result) END
         FROM selection_runs WHERE campaign_year = ?1 ORDER BY id DESC LIMIT 1",
        [year],
        |r| {
            Ok(PreviousStatuses {
                id: r.get(0)?,
                statuses: bytes(r, 1)?,
                result: bytes(r, 2)?.unwrap_or_default(),
            })
        },
    )
    .optional()
}

/// The campaign's newest run without its result (cheap: for states and banners).
pub fn latest_facts(conn: &Connection, year: i32) -> rusqlite::Result<Option<RunRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM selection_runs WHERE campaign_year = ?1
             ORDER BY id DESC LIMIT 1"
        ),
        [year],
        row,
    )
    .optional()
}

/// Every run of the campaign, oldest first, without results.
pub fn list(conn: &Connection, year: i32) -> rusqlite::Result<Vec<RunRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM selection_runs WHERE campaign_year = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([year], row)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn fps(tag: &str) -> Fingerprints {
        Fingerprints {
            scheme: format!("s{tag}"),
            returns: format!("r{tag}"),
            awards: format!("a{tag}"),
            overrides: format!("o{tag}"),
            evaluations: format!("e{tag}"),
            ledger: format!("l{tag}"),
            accountability: format!("q{tag}"),
        }
    }

    #[test]
    fn only_the_newest_run_keeps_its_result() {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        let conn = store.conn();
        assert_eq!(latest(conn, 2026).unwrap(), None);
        let f1 = fps("1");
        let f2 = fps("2");
        let new = |fingerprints, result: &'static [u8], trigger| NewRun {
            year: 2026,
            at: "2026-11-27T10:00:00+08:00",
            operator: "王科员",
            trigger,
            fingerprints,
            returns: 3,
            selected: 1,
            tie_pending: 0,
            result,
            statuses: b"st",
            reference_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
        };
        let first = insert(conn, &new(&f1, b"{\"a\":1}", RunTrigger::Run)).unwrap();
        let second = insert(conn, &new(&f2, b"{\"a\":2}", RunTrigger::Override)).unwrap();
        let (facts, result) = latest(conn, 2026).unwrap().unwrap();
        assert_eq!((facts.id, result.as_slice()), (second, &b"{\"a\":2}"[..]));
        let previous = latest_statuses(conn, 2026).unwrap().unwrap();
        assert_eq!(
            previous,
            PreviousStatuses {
                id: second,
                statuses: Some(b"st".to_vec()),
                result: Vec::new(),
            }
        );
        assert_eq!(facts.trigger, RunTrigger::Override);
        assert_eq!(facts.fingerprints, f2);
        assert_eq!(
            facts.reference_date,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
        );
        assert_eq!(latest_facts(conn, 2026).unwrap().unwrap(), facts);
        let all = list(conn, 2026).unwrap();
        assert_eq!(
            all.iter().map(|r| r.id).collect::<Vec<_>>(),
            [first, second]
        );
        let kept: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM selection_runs
                 WHERE result IS NOT NULL OR record IS NOT NULL OR statuses IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);
        assert_eq!(latest(conn, 2025).unwrap(), None);
        assert_eq!(latest_statuses(conn, 2025).unwrap(), None);
        // A run stored before version 24: a JSON text and no statuses; the audit reads its
        // result.
        conn.execute(
            "UPDATE selection_runs SET statuses = NULL, record = NULL, result = '{\"a\":3}'
             WHERE id = ?1",
            [second],
        )
        .unwrap();
        assert_eq!(latest(conn, 2026).unwrap().unwrap().1, b"{\"a\":3}");
        assert_eq!(
            latest_statuses(conn, 2026).unwrap().unwrap().result,
            b"{\"a\":3}"
        );
    }
}
