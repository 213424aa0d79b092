//! The `accountability_records` table: accountability imposed (问责,
//! docs/specification.md §10) on an agency as an organisation, or on a named cadre of it —
//! the kind, the date, the reason and the document (文号). Records are only ever added.
//! The selection reads the records dated in its campaign year ([`in_year`]).
//!
//! [`MIGRATION_21`] creates this table and `supervision_records` (see
//! [`super::supervision`]), and gives every stored run a fingerprint of the
//! accountability it read.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
use crate::vocab::AccountabilityKind;

/// Creates `supervision_records` and `accountability_records`, and adds the fingerprint of
/// the accountability records a selection reads to `selection_runs`. A run recorded before
/// read none: it gets the fingerprint of nothing (SHA-256 of no bytes), which is what a
/// campaign year without accountability has, so older runs stay current.
///
/// The `CHECK`s hold the rule of the target: a kind for organisations only (检查, 改组)
/// names no person, a kind for cadres only (诫勉, 组织调整, 组织处理, 纪律处分) names one, and
/// 通报 may do either.
pub const MIGRATION_21: Migration = Migration {
    version: 21,
    name: "supervision_accountability",
    sql: "CREATE TABLE supervision_records (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        kind TEXT NOT NULL CHECK (kind = 'inquiry' OR kind = 'talk' OR kind = 'bulletin' OR kind = 'inspection'),
        held_on TEXT NOT NULL,
        subject TEXT NOT NULL CHECK (length(trim(subject)) > 0),
        content TEXT,
        people TEXT,
        operator TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX supervision_records_agency ON supervision_records (agency_id, held_on);
    CREATE TABLE accountability_records (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        person TEXT CHECK (person IS NULL OR length(trim(person)) > 0),
        kind TEXT NOT NULL CHECK (kind = 'check' OR kind = 'bulletin' OR kind = 'reorganise'
            OR kind = 'admonish' OR kind = 'adjust' OR kind = 'handle' OR kind = 'discipline'),
        imposed_on TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        doc_number TEXT,
        operator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK (person IS NOT NULL OR kind = 'check' OR kind = 'bulletin' OR kind = 'reorganise'),
        CHECK (person IS NULL OR NOT (kind = 'check' OR kind = 'reorganise'))
    );
    CREATE INDEX accountability_records_agency ON accountability_records (agency_id, imposed_on);
    CREATE INDEX accountability_records_date ON accountability_records (imposed_on);
    ALTER TABLE selection_runs ADD COLUMN accountability_fp TEXT NOT NULL
        DEFAULT 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';",
};

/// A stored accountability record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountabilityRow {
    /// Row id.
    pub id: i64,
    /// `agencies.id` of the agency (the organisation, or the cadre's agency).
    pub agency_id: i64,
    /// The cadre held accountable; `None` when it is the organisation.
    pub person: Option<String>,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day it was imposed.
    pub date: NaiveDate,
    /// Why.
    pub reason: String,
    /// The document number (文号), if any.
    pub doc_number: Option<String>,
    /// Who recorded it.
    pub operator: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

/// An accountability record to store.
#[derive(Debug, Clone)]
pub struct NewAccountability<'a> {
    /// `agencies.id`.
    pub agency_id: i64,
    /// The cadre, if it is one.
    pub person: Option<&'a str>,
    /// Its kind.
    pub kind: AccountabilityKind,
    /// The day it was imposed.
    pub date: NaiveDate,
    /// Why.
    pub reason: &'a str,
    /// 文号.
    pub doc_number: Option<&'a str>,
    /// Who records it.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub created_at: &'a str,
}

/// Stores a record; returns its id.
pub fn insert(conn: &Connection, a: &NewAccountability<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO accountability_records (agency_id, person, kind, imposed_on, reason,
             doc_number, operator, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.agency_id,
            a.person,
            a.kind,
            a.date.to_string(),
            a.reason,
            a.doc_number,
            a.operator,
            a.created_at
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Column `i` read as an ISO date. Only an edited database holds text that does not
/// parse; it is an error naming the column, never another date.
pub(super) fn date_at(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(i)?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

const COLUMNS: &str =
    "id, agency_id, person, kind, imposed_on, reason, doc_number, operator, created_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountabilityRow> {
    Ok(AccountabilityRow {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        person: r.get(2)?,
        kind: r.get(3)?,
        date: date_at(r, 4)?,
        reason: r.get(5)?,
        doc_number: r.get(6)?,
        operator: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// The records, of one agency or of all: by date, then in the order recorded.
pub fn list(conn: &Connection, agency_id: Option<i64>) -> rusqlite::Result<Vec<AccountabilityRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM accountability_records WHERE ?1 IS NULL OR agency_id = ?1
         ORDER BY imposed_on, id"
    ))?;
    let rows = stmt.query_map([agency_id], from_row)?;
    rows.collect()
}

/// The records dated in `year` (1 January to 31 December), by agency, date and id: what
/// the selection of that year's campaign reads.
pub fn in_year(conn: &Connection, year: i32) -> rusqlite::Result<Vec<AccountabilityRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM accountability_records
         WHERE imposed_on >= ?1 AND imposed_on <= ?2 ORDER BY agency_id, imposed_on, id"
    ))?;
    // ISO dates compare as text; the year is written with four digits as every stored date.
    let rows = stmt.query_map(
        params![format!("{year:04}-01-01"), format!("{year:04}-12-31")],
        from_row,
    )?;
    rows.collect()
}

/// Record `id`.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<AccountabilityRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM accountability_records WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn agency(conn: &Connection) -> i64 {
        conn.execute(
            "INSERT INTO agencies (name, name_key, tier, unit_type, updated_at)
             VALUES ('甲局', '甲局', 'province', '政府机关', 't')",
            [],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn new(
        agency_id: i64,
        person: Option<&str>,
        kind: AccountabilityKind,
        date: &str,
    ) -> NewAccountability<'static> {
        NewAccountability {
            agency_id,
            person: person.map(|p| Box::leak(p.to_string().into_boxed_str()) as &str),
            kind,
            date: date.parse().unwrap(),
            reason: "落实主体责任不力",
            doc_number: None,
            operator: "王科员",
            created_at: "2026-03-05T10:00:00+08:00",
        }
    }

    /// The table refuses a target its kind does not allow, whoever writes it.
    #[test]
    fn the_table_holds_the_target_rule() {
        use AccountabilityKind as K;
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let a = agency(c);
        // (kind, person named, accepted)
        let cases = [
            (K::Check, false, true),
            (K::Check, true, false),
            (K::Bulletin, false, true),
            (K::Bulletin, true, true),
            (K::Reorganise, false, true),
            (K::Reorganise, true, false),
            (K::Admonish, false, false),
            (K::Admonish, true, true),
            (K::Adjust, true, true),
            (K::Handle, false, false),
            (K::Discipline, false, false),
            (K::Discipline, true, true),
        ];
        for (kind, named, ok) in cases {
            let person = named.then_some("张三");
            let r = insert(c, &new(a, person, kind, "2026-03-05"));
            assert_eq!(r.is_ok(), ok, "{kind:?} with person {named}: {r:?}");
            // The core's rule says the same.
            let allowed = if named {
                kind.for_person()
            } else {
                kind.for_organisation()
            };
            assert_eq!(allowed, ok, "{kind:?}");
        }
    }

    #[test]
    fn a_year_is_its_first_to_its_last_day() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let a = agency(c);
        for d in ["2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"] {
            insert(c, &new(a, None, AccountabilityKind::Bulletin, d)).unwrap();
        }
        let dates: Vec<String> = in_year(c, 2026)
            .unwrap()
            .iter()
            .map(|r| r.date.to_string())
            .collect();
        assert_eq!(dates, ["2026-01-01", "2026-12-31"]);
        assert_eq!(list(c, Some(a)).unwrap().len(), 4);
        assert_eq!(list(c, Some(a + 1)).unwrap().len(), 0);
        let first = get(c, 1).unwrap().unwrap();
        assert_eq!(
            (first.person, first.kind),
            (None, AccountabilityKind::Bulletin)
        );
    }
}
