//! The `ballot_counts` table: the satisfaction ballots (群众满意度测评) of a campaign's
//! computed components (docs/specification.md §8), as counts.
//!
//! A ballot file is imported for one component; its answers are counted per unit before
//! they are stored, so that a survey export of a million answers is a few hundred rows
//! here. A row holds, for one file, component, unit and sheet, how many answers gave each
//! word (the scheme's choice words and its `not_counted` words alike: both are shown), the
//! 发放 and 回收 counts a tally row gave, the layout it was read in and the sheet and first
//! row it came from, for the explanations and the lists.
//!
//! Rows are never changed: withdrawing a file marks the file withdrawn (in
//! `imported_files`) and its rows stop counting ([`pooled`] reads live files only).

use std::collections::BTreeMap;
use std::fmt::Write;

use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
use crate::vocab::BallotLayout;

/// Creates the `ballot_counts` table.
pub const MIGRATION_16: Migration = Migration {
    version: 16,
    name: "ballot_counts",
    sql: "CREATE TABLE ballot_counts (
        id INTEGER PRIMARY KEY,
        campaign_year INTEGER NOT NULL REFERENCES campaigns (year),
        file_id INTEGER NOT NULL REFERENCES imported_files (id),
        component TEXT NOT NULL,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        layout TEXT NOT NULL CHECK (layout = 'tally' OR layout = 'survey' OR layout = 'long'),
        sheet TEXT NOT NULL,
        row INTEGER NOT NULL,
        counts TEXT NOT NULL,
        issued INTEGER,
        returned INTEGER
    );
    CREATE INDEX ballot_counts_file ON ballot_counts (file_id);
    CREATE INDEX ballot_counts_unit ON ballot_counts (campaign_year, component, agency_id);",
};

/// One unit's counts from one sheet of one file, to insert.
#[derive(Debug, Clone)]
pub struct NewCounts<'a> {
    /// The campaign.
    pub campaign_year: i32,
    /// The file (`imported_files.id`).
    pub file_id: i64,
    /// The component's key.
    pub component: &'a str,
    /// The unit (`agencies.id`).
    pub agency_id: i64,
    /// How the sheet was laid out.
    pub layout: BallotLayout,
    /// The sheet.
    pub sheet: &'a str,
    /// The first Excel row (1-based) the counts came from.
    pub row: u32,
    /// Each answer word given, with how many answers gave it (no zero counts needed).
    pub counts: &'a [(&'a str, i64)],
    /// 发放, when a tally row gave it.
    pub issued: Option<i64>,
    /// 回收, when a tally row gave it.
    pub returned: Option<i64>,
}

/// Inserts one unit's counts.
pub fn insert(conn: &Connection, c: &NewCounts<'_>) -> rusqlite::Result<()> {
    Inserts::new(conn).insert(c)
}

/// [`insert`] for many units in a row (a file's records): the statement is taken from the
/// connection's cache when first needed and held until this is dropped, instead of taken
/// and given back for every unit.
pub struct Inserts<'c> {
    conn: &'c Connection,
    insert: Option<rusqlite::CachedStatement<'c>>,
    /// The counts object being written, its buffer kept from unit to unit.
    counts: String,
}

impl<'c> Inserts<'c> {
    /// Holds nothing yet.
    pub fn new(conn: &'c Connection) -> Inserts<'c> {
        Inserts {
            conn,
            insert: None,
            counts: String::new(),
        }
    }

    /// [`insert`] with the statement held.
    pub fn insert(&mut self, c: &NewCounts<'_>) -> rusqlite::Result<()> {
        // The object written straight out (a word is a JSON string, a count a number), in
        // the order given: building a serde_json map per unit costs more than the insert.
        let counts = &mut self.counts;
        counts.clear();
        counts.push('{');
        for (i, (w, n)) in c.counts.iter().enumerate() {
            if i > 0 {
                counts.push(',');
            }
            push_json_string(counts, w);
            counts.push(':');
            // Writing to a String cannot fail.
            let _ = write!(counts, "{n}");
        }
        counts.push('}');
        super::held(
            &mut self.insert,
            self.conn,
            "INSERT INTO ballot_counts (campaign_year, file_id, component, agency_id, layout,
             sheet, row, counts, issued, returned)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            c.campaign_year,
            c.file_id,
            c.component,
            c.agency_id,
            c.layout,
            c.sheet,
            c.row,
            self.counts,
            c.issued,
            c.returned,
        ])?;
        Ok(())
    }
}

/// `s` as a JSON string. An answer word is nearly always plain text, written as it is;
/// one holding a quote, a backslash or a control character is escaped by serde_json.
fn push_json_string(out: &mut String, s: &str) {
    if s.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        out.push_str(&serde_json::Value::from(s).to_string());
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// Where some of a unit's counts came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file (`imported_files.id`).
    pub file_id: i64,
    /// The layout of its sheet.
    pub layout: BallotLayout,
    /// The sheet.
    pub sheet: String,
    /// The first row.
    pub row: u32,
}

/// Every answer for one unit and component, from every live file, pooled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pooled {
    /// The unit (`agencies.id`).
    pub agency_id: i64,
    /// Each word with its total count, by word.
    pub counts: BTreeMap<String, i64>,
    /// Σ发放 over the tally rows giving both 发放 and 回收 (`None`: no such row).
    pub issued: Option<i64>,
    /// Σ回收 over the same rows.
    pub returned: Option<i64>,
    /// Where the counts came from, in file and row order.
    pub places: Vec<Place>,
}

/// A live file that fed some unit's counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotFile {
    /// `imported_files.id`.
    pub id: i64,
    /// File name.
    pub file_name: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// The answers of every live (not withdrawn) file of campaign `year` for `component`,
/// pooled per unit (in agency order), and the files they came from (in import order).
pub fn pooled(
    conn: &Connection,
    year: i32,
    component: &str,
) -> rusqlite::Result<(Vec<Pooled>, Vec<BallotFile>)> {
    let mut stmt = conn.prepare(
        "SELECT b.agency_id, b.file_id, b.layout, b.sheet, b.row, b.counts, b.issued,
                b.returned
         FROM ballot_counts b JOIN imported_files f ON f.id = b.file_id
         WHERE b.campaign_year = ?1 AND b.component = ?2 AND f.status <> 'withdrawn'
         ORDER BY b.agency_id, b.file_id, b.id",
    )?;
    let mut rows = stmt.query(params![year, component])?;
    let mut out: Vec<Pooled> = Vec::new();
    let mut file_ids: Vec<i64> = Vec::new();
    while let Some(r) = rows.next()? {
        let agency_id: i64 = r.get(0)?;
        let file_id: i64 = r.get(1)?;
        let counts: String = r.get(5)?;
        let counts: BTreeMap<String, i64> = serde_json::from_str(&counts).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, e.into())
        })?;
        let issued: Option<i64> = r.get(6)?;
        let returned: Option<i64> = r.get(7)?;
        if out.last().is_none_or(|p| p.agency_id != agency_id) {
            out.push(Pooled {
                agency_id,
                ..Pooled::default()
            });
        }
        let p = out.last_mut().expect("pushed above");
        for (word, n) in counts {
            *p.counts.entry(word).or_insert(0) += n;
        }
        // The return rate is taken over the rows that give both counts only.
        if let (Some(i), Some(r)) = (issued, returned) {
            p.issued = Some(p.issued.unwrap_or(0) + i);
            p.returned = Some(p.returned.unwrap_or(0) + r);
        }
        p.places.push(Place {
            file_id,
            layout: r.get(2)?,
            sheet: r.get(3)?,
            row: r.get(4)?,
        });
        if !file_ids.contains(&file_id) {
            file_ids.push(file_id);
        }
    }
    file_ids.sort_unstable();
    let mut files = Vec::with_capacity(file_ids.len());
    for id in file_ids {
        let (file_name, sha256) = conn.query_row(
            "SELECT file_name, sha256 FROM imported_files WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        files.push(BallotFile {
            id,
            file_name,
            sha256,
        });
    }
    Ok((out, files))
}

/// Each word's total count in one file (for its audit event).
pub fn totals_of_file(conn: &Connection, file_id: i64) -> rusqlite::Result<BTreeMap<String, i64>> {
    // Each row's object parsed and summed here: SQLite's `json_each` over every row, summed
    // with `GROUP BY`, was a tenth of a batch of tally files' whole import (callgrind).
    let mut stmt = conn.prepare_cached("SELECT counts FROM ballot_counts WHERE file_id = ?1")?;
    let mut rows = stmt.query([file_id])?;
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let text = r.get_ref(0)?.as_str()?;
        let counts: BTreeMap<String, i64> = serde_json::from_str(text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?;
        for (w, n) in counts {
            *totals.entry(w).or_insert(0) += n;
        }
    }
    Ok(totals)
}

/// The component a ballot file's counts were imported for (`None`: it stored none).
pub fn component_of_file(conn: &Connection, file_id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT component FROM ballot_counts WHERE file_id = ?1 LIMIT 1",
        [file_id],
        |r| r.get(0),
    )
    .optional()
}

/// How many count rows a file stored (what withdrawing it takes out of the pool).
pub fn count_of_file(conn: &Connection, file_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM ballot_counts WHERE file_id = ?1",
        [file_id],
        |r| r.get(0),
    )
}

/// Every file (live or withdrawn) that stored counts of campaign `year` for `component`,
/// with each layout its sheets were read in: (file id, layout), in file then layout
/// order. The 测评数据 screen lists a component's files by it.
pub fn file_layouts(
    conn: &Connection,
    year: i32,
    component: &str,
) -> rusqlite::Result<Vec<(i64, BallotLayout)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT file_id, layout FROM ballot_counts
         WHERE campaign_year = ?1 AND component = ?2 ORDER BY file_id, layout",
    )?;
    let rows = stmt.query_map(params![year, component], |r| {
        let layout: String = r.get(1)?;
        // The table's CHECK allows only the three layouts.
        let layout = BallotLayout::parse(&layout).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                format!("unknown ballot layout {layout:?}").into(),
            )
        })?;
        Ok((r.get(0)?, layout))
    })?;
    rows.collect()
}

/// Deletes every count of campaign `year` (the campaign being deleted).
pub fn delete_campaign(conn: &Connection, year: i32) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM ballot_counts WHERE campaign_year = ?1", [year])?;
    Ok(())
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
                kind: FileKind::Ballots,
                campaign_year: Some(2026),
                file_name: &format!("{sha}.xlsx"),
                sha256: sha,
                imported_at: "t",
                operator: "张三",
            },
        )
        .unwrap()
    }

    /// A store with campaign 2026 and agencies 1 (甲局) and 2 (乙局).
    fn campaign_with_two_agencies() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        crate::campaign::create(&mut store, 2026, None, "张三").unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO agencies (id, name, name_key, tier, unit_type, updated_at)
                   VALUES (1, '甲局', '甲局', 'province', '政府机关', 'c'),
                          (2, '乙局', '乙局', 'province', '政府机关', 'c');",
            )
            .unwrap();
        store
    }

    /// A word is written as serde_json writes it, plain or needing escapes.
    #[test]
    fn answer_words_are_json_strings() {
        for w in [
            "满意",
            "",
            "说\"好\"",
            "a\\b",
            "换\n行",
            "\u{1}",
            "tab\there",
        ] {
            let mut out = String::new();
            push_json_string(&mut out, w);
            assert_eq!(out, serde_json::to_string(w).unwrap(), "{w:?}");
            assert_eq!(serde_json::from_str::<String>(&out).unwrap(), w);
        }
    }

    /// A file's totals are the sums of what its rows stored, word by word (words that
    /// need escaping too), and nothing of another file's.
    #[test]
    fn a_files_totals_sum_its_rows() {
        let store = campaign_with_two_agencies();
        let c = store.conn();
        let (a, b) = (file(&store, "aa"), file(&store, "bb"));
        let add = |file_id, agency_id, pairs: &[(&str, i64)]| {
            insert(
                c,
                &NewCounts {
                    campaign_year: 2026,
                    file_id,
                    component: "public",
                    agency_id,
                    layout: BallotLayout::Tally,
                    sheet: "计票",
                    row: 3,
                    counts: pairs,
                    issued: None,
                    returned: None,
                },
            )
            .unwrap();
        };
        add(a, 1, &[("满意", 10), ("说\"好\"", 2), ("不了解", 1)]);
        add(a, 2, &[("满意", 5), ("说\"好\"", 3)]);
        add(b, 1, &[("满意", 100)]);
        assert_eq!(
            totals_of_file(c, a).unwrap(),
            BTreeMap::from([
                ("满意".to_string(), 15),
                ("说\"好\"".to_string(), 5),
                ("不了解".to_string(), 1)
            ])
        );
        assert_eq!(
            totals_of_file(c, b).unwrap(),
            BTreeMap::from([("满意".to_string(), 100)])
        );
        assert!(totals_of_file(c, b + 1).unwrap().is_empty());
        // A stored text that is not an object of counts is an error, never a silent zero.
        c.execute(
            "UPDATE ballot_counts SET counts = '{\"满意\":\"many\"}' WHERE file_id = ?1",
            [b],
        )
        .unwrap();
        assert!(totals_of_file(c, b).is_err());
    }

    #[test]
    fn live_files_are_pooled_per_unit_and_withdrawn_ones_left_out() {
        let store = campaign_with_two_agencies();
        let c = store.conn();
        let (a, b, w) = (file(&store, "aa"), file(&store, "bb"), file(&store, "cc"));
        let add = |file_id, agency_id, component, pairs: &[(&str, i64)], turnout| {
            let (issued, returned) = turnout;
            insert(
                c,
                &NewCounts {
                    campaign_year: 2026,
                    file_id,
                    component,
                    agency_id,
                    layout: BallotLayout::Tally,
                    sheet: "计票",
                    row: 3,
                    counts: pairs,
                    issued,
                    returned,
                },
            )
            .unwrap();
        };
        add(
            a,
            1,
            "public",
            &[("满意", 10), ("不了解", 1)],
            (Some(20), Some(15)),
        );
        add(
            b,
            1,
            "public",
            &[("满意", 5), ("不满意", 2)],
            (Some(10), None),
        );
        add(b, 2, "public", &[("基本满意", 4)], (None, None));
        add(w, 1, "public", &[("满意", 100)], (Some(100), Some(100)));
        add(a, 1, "other", &[("满意", 7)], (None, None));
        files::mark_withdrawn(c, w, "t").unwrap();

        let (units, used) = pooled(c, 2026, "public").unwrap();
        assert_eq!(units.len(), 2);
        let one = &units[0];
        assert_eq!(one.agency_id, 1);
        assert_eq!(
            one.counts,
            BTreeMap::from([
                ("满意".to_string(), 15),
                ("不满意".to_string(), 2),
                ("不了解".to_string(), 1)
            ])
        );
        // Only the row giving both counts enters the return rate.
        assert_eq!((one.issued, one.returned), (Some(20), Some(15)));
        assert_eq!(one.places.len(), 2);
        assert_eq!((units[1].issued, units[1].returned), (None, None));
        assert_eq!(
            used.iter()
                .map(|f| f.file_name.as_str())
                .collect::<Vec<_>>(),
            ["aa.xlsx", "bb.xlsx"]
        );
        assert_eq!(count_of_file(c, w).unwrap(), 1);
        assert!(pooled(c, 2026, "none").unwrap().0.is_empty());
    }
}
