//! The ledger's tables (清单台账, docs/specification.md §10): `ledger_items` — one table for
//! the three lists (responsibilities, tasks, problems), each item with its agency, kind,
//! level or source, year, text, measures, owner, deadline, completion and provenance —
//! and `ledger_changes`, every earlier state of an item with the time, the operator and
//! what changed it (a re-imported row, marking it done, an accepted rectification).
//!
//! [`MIGRATION_20`] also gives the stored runs of the selection their reference date and
//! the fingerprint of the ledger items they read (docs/specification.md §4, §10): the
//! eligibility rule of overdue problems reads the ledger on that date. [`MIGRATION_22`]
//! ties an item to the supervision record it was found in (two triggers: the record exists
//! and supervised the item's agency).

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::Migration;
use crate::vocab::{LedgerKind, LedgerLevel, LedgerSource};

/// Creates `ledger_items` and `ledger_changes`; adds `reference_date` and `ledger_fp` to
/// `selection_runs`.
///
/// `supervision_id` names the supervision record (督查记录) an item was found in. That
/// table belongs to the supervision records of §10, built beside this one; the column
/// has no `REFERENCES`, and [`MIGRATION_22`] ties it to the records once both exist. A run recorded before this migration read no ledger: it gets no reference date
/// and the fingerprint of nothing (SHA-256 of no bytes), which is what a run that reads
/// no ledger item has, so older results stay current.
pub const MIGRATION_20: Migration = Migration {
    version: 20,
    name: "ledger",
    sql: "CREATE TABLE ledger_items (
        id INTEGER PRIMARY KEY,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        kind TEXT NOT NULL CHECK (kind = 'responsibility' OR kind = 'task' OR kind = 'problem'),
        level TEXT CHECK (level = 'party_group' OR level = 'organ_committee' OR level = 'branch' OR level = 'member'),
        source TEXT CHECK (source = 'review' OR source = 'inspection' OR source = 'patrol' OR source = 'audit' OR source = 'public' OR source = 'self_check' OR source = 'other'),
        year INTEGER NOT NULL,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        text_key TEXT NOT NULL,
        measures TEXT,
        owner TEXT,
        deadline TEXT,
        done_on TEXT,
        evidence TEXT,
        file_id INTEGER REFERENCES imported_files (id),
        sheet TEXT,
        row INTEGER,
        review_id INTEGER REFERENCES reviews (id),
        supervision_id INTEGER,
        operator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (level IS NULL OR kind = 'responsibility'),
        CHECK (source IS NULL OR kind = 'problem'),
        CHECK (deadline IS NOT NULL OR kind = 'responsibility')
    );
    CREATE INDEX ledger_items_agency ON ledger_items (agency_id, kind, text_key);
    CREATE INDEX ledger_items_review ON ledger_items (review_id);
    CREATE TABLE ledger_changes (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES ledger_items (id),
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        cause TEXT NOT NULL,
        file_id INTEGER REFERENCES imported_files (id),
        before TEXT NOT NULL
    );
    CREATE INDEX ledger_changes_item ON ledger_changes (item_id, id);
    ALTER TABLE selection_runs ADD COLUMN reference_date TEXT;
    ALTER TABLE selection_runs ADD COLUMN ledger_fp TEXT NOT NULL
        DEFAULT 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';",
};

/// Ties `ledger_items.supervision_id` to the supervision records (督查记录) of
/// [`super::accountability::MIGRATION_21`]: an item found in a supervision names a record
/// that exists and supervised the item's own agency (docs/specification.md §10).
///
/// SQLite cannot add a `REFERENCES` to an existing column (no `ALTER TABLE … ADD
/// CONSTRAINT`), and rebuilding `ledger_items` under its history table would mean turning
/// the foreign keys off in the middle of an upgrade. Two triggers hold the rule instead,
/// and more than a reference would: the record's agency must be the item's. Records are
/// never deleted, so nothing else can leave an item pointing nowhere. The core checks the
/// same first (`ledger::add`) and says which rule was broken; the triggers are the
/// database's own guard against any other writer. The index serves a record's items.
pub const MIGRATION_22: Migration = Migration {
    version: 22,
    name: "ledger_supervision",
    sql: "CREATE INDEX ledger_items_supervision ON ledger_items (supervision_id);
    CREATE TRIGGER ledger_items_supervision_insert BEFORE INSERT ON ledger_items
    WHEN NEW.supervision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM supervision_records s
        WHERE s.id = NEW.supervision_id AND s.agency_id = NEW.agency_id)
    BEGIN SELECT RAISE(ABORT, 'ledger_items.supervision_id: no supervision record of this agency'); END;
    CREATE TRIGGER ledger_items_supervision_update BEFORE UPDATE OF supervision_id, agency_id ON ledger_items
    WHEN NEW.supervision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM supervision_records s
        WHERE s.id = NEW.supervision_id AND s.agency_id = NEW.agency_id)
    BEGIN SELECT RAISE(ABORT, 'ledger_items.supervision_id: no supervision record of this agency'); END;",
};

/// Records what withdrawing a ledger file (docs/specification.md §10) needs to know:
/// which file created an item (`ledger_items.created_file_id`, never overwritten, unlike
/// `file_id`, which names the last file that placed it) and, in each history row, every
/// column an update overwrites besides the fields of `before`: the earlier text key,
/// place (file, sheet, row) and `updated_at` (`before_*`).
///
/// Rows stored before this migration: an item whose `file_id` is set and that no file
/// has updated (no history row with a `file_id`) was created by that file, which is
/// proven and filled in. An item a file has updated may have been created by another
/// file or by hand: nothing tells which, so it gets `origin_unknown = 1`, and a
/// withdrawal that may have created it (a file imported in the same second it was
/// created) is refused naming it. A history row written before has no `before_*`
/// (`before_updated_at` is NULL, which a row written since never is): withdrawing the
/// file that wrote it is refused, since its earlier place is lost.
pub const MIGRATION_23: Migration = Migration {
    version: 23,
    name: "ledger_withdraw",
    sql:
        "ALTER TABLE ledger_items ADD COLUMN created_file_id INTEGER REFERENCES imported_files (id);
    ALTER TABLE ledger_items ADD COLUMN origin_unknown INTEGER NOT NULL DEFAULT 0
        CHECK (origin_unknown = 0 OR origin_unknown = 1);
    UPDATE ledger_items SET created_file_id = file_id WHERE file_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ledger_changes c
            WHERE c.item_id = ledger_items.id AND c.file_id IS NOT NULL);
    UPDATE ledger_items SET origin_unknown = 1
        WHERE file_id IS NOT NULL AND created_file_id IS NULL;
    ALTER TABLE ledger_changes ADD COLUMN before_text_key TEXT;
    ALTER TABLE ledger_changes ADD COLUMN before_file_id INTEGER REFERENCES imported_files (id);
    ALTER TABLE ledger_changes ADD COLUMN before_sheet TEXT;
    ALTER TABLE ledger_changes ADD COLUMN before_row INTEGER;
    ALTER TABLE ledger_changes ADD COLUMN before_updated_at TEXT;
    CREATE INDEX ledger_items_created_file ON ledger_items (created_file_id);
    CREATE INDEX ledger_changes_file ON ledger_changes (file_id);",
};

/// Where an item came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A row of an imported ledger file.
    File {
        /// `imported_files.id`.
        file_id: i64,
        /// Its file name.
        file_name: String,
        /// Sheet.
        sheet: String,
        /// Excel row (1-based).
        row: u32,
    },
    /// An applied review's `rectify` outcome.
    Review {
        /// `reviews.id`.
        review_id: i64,
    },
    /// Entered by hand (`ledger add`, the window).
    Manual,
}

/// The fields of an item that a row, a command or a review gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFields {
    /// Responsibility, task or problem.
    pub kind: LedgerKind,
    /// The level of a responsibility.
    pub level: Option<LedgerLevel>,
    /// The source of a problem.
    pub source: Option<LedgerSource>,
    /// The year the item belongs to.
    pub year: i32,
    /// Its text, as written (normalised white space).
    pub text: String,
    /// 整改措施.
    pub measures: Option<String>,
    /// 责任人 / 责任部门.
    pub owner: Option<String>,
    /// 整改时限 / 完成时限 (none only for a responsibility).
    pub deadline: Option<NaiveDate>,
    /// The date it was done.
    pub done_on: Option<NaiveDate>,
    /// 完成情况 / evidence.
    pub evidence: Option<String>,
}

/// A stored item with its agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// Row id: the number the clerk names it by.
    pub id: i64,
    /// `agencies.id`.
    pub agency_id: i64,
    /// The agency's USCC.
    pub uscc: Option<String>,
    /// The agency's name (as the store knows it now).
    pub name: String,
    /// The agency's region.
    pub region: Option<String>,
    /// The item's fields.
    pub fields: ItemFields,
    /// Where it came from.
    pub provenance: Provenance,
    /// The supervision record it was found in (see [`MIGRATION_20`]).
    pub supervision_id: Option<i64>,
    /// Who created it.
    pub operator: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

const SELECT: &str = "SELECT i.id, i.agency_id, a.uscc, a.name, a.region, i.kind, i.level,
    i.source, i.year, i.text, i.measures, i.owner, i.deadline, i.done_on, i.evidence,
    i.file_id, f.file_name, i.sheet, i.row, i.review_id, i.supervision_id, i.operator,
    i.created_at, i.updated_at
    FROM ledger_items i JOIN agencies a ON a.id = i.agency_id
    LEFT JOIN imported_files f ON f.id = i.file_id";

fn date(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ItemRow> {
    let file_id: Option<i64> = r.get(15)?;
    let review_id: Option<i64> = r.get(19)?;
    let provenance = match (file_id, review_id) {
        (Some(file_id), _) => Provenance::File {
            file_id,
            file_name: r.get::<_, Option<String>>(16)?.unwrap_or_default(),
            sheet: r.get::<_, Option<String>>(17)?.unwrap_or_default(),
            row: r.get::<_, Option<u32>>(18)?.unwrap_or(0),
        },
        (None, Some(review_id)) => Provenance::Review { review_id },
        (None, None) => Provenance::Manual,
    };
    Ok(ItemRow {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        uscc: r.get(2)?,
        name: r.get(3)?,
        region: r.get(4)?,
        fields: ItemFields {
            kind: r.get(5)?,
            level: r.get(6)?,
            source: r.get(7)?,
            year: r.get(8)?,
            text: r.get(9)?,
            measures: r.get(10)?,
            owner: r.get(11)?,
            deadline: date(r, 12)?,
            done_on: date(r, 13)?,
            evidence: r.get(14)?,
        },
        provenance,
        supervision_id: r.get(20)?,
        operator: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
    })
}

/// Every item, by agency name, kind and id.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<ItemRow>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY a.name, a.id, i.kind, i.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// The item with this id.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ItemRow>> {
    conn.prepare_cached(&format!("{SELECT} WHERE i.id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// The item of an agency with this kind and text key (the oldest, should several exist).
pub fn find(
    conn: &Connection,
    agency_id: i64,
    kind: LedgerKind,
    text_key: &str,
) -> rusqlite::Result<Option<ItemRow>> {
    conn.prepare_cached(&format!(
        "{SELECT} WHERE i.agency_id = ?1 AND i.kind = ?2 AND i.text_key = ?3 ORDER BY i.id LIMIT 1"
    ))?
    .query_row(params![agency_id, kind, text_key], from_row)
    .optional()
}

/// The items a review created (its `rectify` outcome's problem).
pub fn of_review(conn: &Connection, review_id: i64) -> rusqlite::Result<Vec<ItemRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE i.review_id = ?1 ORDER BY i.id"))?;
    let rows = stmt.query_map([review_id], from_row)?;
    rows.collect()
}

/// The open items the reviews of an award created: what accepting its rectification
/// marks done.
pub fn open_of_award(conn: &Connection, award_id: i64) -> rusqlite::Result<Vec<ItemRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE i.done_on IS NULL
         AND i.review_id IN (SELECT id FROM reviews WHERE award_id = ?1) ORDER BY i.id"
    ))?;
    let rows = stmt.query_map([award_id], from_row)?;
    rows.collect()
}

/// The award a review was recorded on, with the award's status (for marking a review's
/// item done: the rectification it reports).
pub fn award_of_review(
    conn: &Connection,
    review_id: i64,
) -> rusqlite::Result<Option<(i64, crate::vocab::AwardStatus, String)>> {
    conn.query_row(
        "SELECT w.id, w.status, r.review_date FROM reviews r JOIN awards w ON w.id = r.award_id
         WHERE r.id = ?1",
        [review_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// The problems not done whose deadline is before `date`, as (agency, item id, deadline),
/// by agency and id: what the selection's eligibility reads (docs/specification.md §10).
pub fn overdue_problems(
    conn: &Connection,
    date: NaiveDate,
) -> rusqlite::Result<Vec<(i64, i64, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT agency_id, id, deadline FROM ledger_items
         WHERE kind = 'problem' AND done_on IS NULL AND deadline IS NOT NULL AND deadline < ?1
         ORDER BY agency_id, id",
    )?;
    let rows = stmt.query_map([date.to_string()], |r| {
        let d: String = r.get(2)?;
        let d = NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
        })?;
        Ok((r.get(0)?, r.get(1)?, d))
    })?;
    rows.collect()
}

/// The ids of the items found in supervision record `supervision_id`, in id order.
pub fn ids_of_supervision(conn: &Connection, supervision_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM ledger_items WHERE supervision_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([supervision_id], |r| r.get(0))?;
    rows.collect()
}

/// Inserts an item; returns its id. `supervision_id` is the supervision record it was found
/// in, which must be of the same agency ([`MIGRATION_22`]).
// One argument per column group the callers fill differently (a file's row, a review, a
// clerk's entry); a struct would only repeat these names at three call sites.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    agency_id: i64,
    f: &ItemFields,
    text_key: &str,
    provenance: &Provenance,
    supervision_id: Option<i64>,
    operator: &str,
    now: &str,
) -> rusqlite::Result<i64> {
    let (file_id, sheet, row, review_id) = match provenance {
        Provenance::File {
            file_id,
            sheet,
            row,
            ..
        } => (Some(*file_id), Some(sheet.as_str()), Some(*row), None),
        Provenance::Review { review_id } => (None, None, None, Some(*review_id)),
        Provenance::Manual => (None, None, None, None),
    };
    conn.prepare_cached(
        "INSERT INTO ledger_items (agency_id, kind, level, source, year, text, text_key,
         measures, owner, deadline, done_on, evidence, file_id, sheet, row, review_id,
         supervision_id, operator, created_at, updated_at, created_file_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?13)",
    )?
    .execute(params![
        agency_id,
        f.kind,
        f.level,
        f.source,
        f.year,
        f.text,
        text_key,
        f.measures,
        f.owner,
        f.deadline.map(|d| d.to_string()),
        f.done_on.map(|d| d.to_string()),
        f.evidence,
        file_id,
        sheet,
        row,
        review_id,
        supervision_id,
        operator,
        now,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// What changed an item, for its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<'a> {
    /// Who.
    pub operator: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
    /// What, in Chinese ("导入《台账.xlsx》工作表“问题清单”第3行", "标记完成").
    pub cause: &'a str,
    /// The file that changed it, for a re-imported row.
    pub file_id: Option<i64>,
}

/// Replaces an item's fields (and, for a re-imported row, its place in the file), first
/// keeping its earlier fields in `ledger_changes` as JSON, with the earlier text key,
/// place and `updated_at` beside them ([`MIGRATION_23`]): what withdrawing the file puts
/// back.
pub fn update(
    conn: &Connection,
    before: &ItemRow,
    f: &ItemFields,
    text_key: &str,
    place: Option<(i64, &str, u32)>,
    change: &Change<'_>,
) -> rusqlite::Result<()> {
    let earlier = state_json(&before.fields);
    conn.prepare_cached(
        "INSERT INTO ledger_changes (item_id, at, operator, cause, file_id, before,
         before_text_key, before_file_id, before_sheet, before_row, before_updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, text_key, file_id, sheet, row, updated_at
         FROM ledger_items WHERE id = ?1",
    )?
    .execute(params![
        before.id,
        change.at,
        change.operator,
        change.cause,
        change.file_id,
        earlier.to_string()
    ])?;
    conn.prepare_cached(
        "UPDATE ledger_items SET kind = ?2, level = ?3, source = ?4, year = ?5, text = ?6,
         text_key = ?7, measures = ?8, owner = ?9, deadline = ?10, done_on = ?11,
         evidence = ?12, updated_at = ?13 WHERE id = ?1",
    )?
    .execute(params![
        before.id,
        f.kind,
        f.level,
        f.source,
        f.year,
        f.text,
        text_key,
        f.measures,
        f.owner,
        f.deadline.map(|d| d.to_string()),
        f.done_on.map(|d| d.to_string()),
        f.evidence,
        change.at,
    ])?;
    if let Some((file_id, sheet, row)) = place {
        conn.prepare_cached(
            "UPDATE ledger_items SET file_id = ?2, sheet = ?3, row = ?4 WHERE id = ?1",
        )?
        .execute(params![before.id, file_id, sheet, row])?;
    }
    Ok(())
}

/// An item's fields as its history keeps them (`ledger_changes.before`): the window
/// compares each earlier state with the next in these words.
pub fn state_json(b: &ItemFields) -> serde_json::Value {
    serde_json::json!({
        "kind": b.kind.as_str(),
        "level": b.level.map(|l| l.as_str()),
        "source": b.source.map(|s| s.as_str()),
        "year": b.year,
        "text": b.text,
        "measures": b.measures,
        "owner": b.owner,
        "deadline": b.deadline.map(|d| d.to_string()),
        "done_on": b.done_on.map(|d| d.to_string()),
        "evidence": b.evidence,
    })
}

/// One earlier state of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    /// When it changed (RFC 3339).
    pub at: String,
    /// Who changed it.
    pub operator: String,
    /// What changed it.
    pub cause: String,
    /// The fields before the change (JSON object).
    pub before: String,
}

/// An item's history, oldest change first.
pub fn changes(conn: &Connection, item_id: i64) -> rusqlite::Result<Vec<ChangeRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, operator, cause, before FROM ledger_changes WHERE item_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([item_id], |r| {
        Ok(ChangeRow {
            at: r.get(0)?,
            operator: r.get(1)?,
            cause: r.get(2)?,
            before: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// A history row a ledger file wrote when it updated an item: what withdrawing the file
/// puts back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// `ledger_changes.id`.
    pub id: i64,
    /// The item it updated.
    pub item_id: i64,
    /// Whether the earlier text key, place and `updated_at` were kept (false for a row
    /// written before [`MIGRATION_23`]).
    pub place_kept: bool,
}

/// The history rows file `file_id` wrote (the items it updated), by id.
pub fn changes_of_file(conn: &Connection, file_id: i64) -> rusqlite::Result<Vec<FileChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, item_id, before_updated_at IS NOT NULL FROM ledger_changes
         WHERE file_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([file_id], |r| {
        Ok(FileChange {
            id: r.get(0)?,
            item_id: r.get(1)?,
            place_kept: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The ids of the items file `file_id` created, in id order.
pub fn created_by_file(conn: &Connection, file_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM ledger_items WHERE created_file_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([file_id], |r| r.get(0))?;
    rows.collect()
}

/// The ids of the items stored before [`MIGRATION_23`] whose creating file is unknown and
/// that were created at `at` (the time a file was imported, which its items share).
pub fn origin_unknown_at(conn: &Connection, at: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM ledger_items WHERE origin_unknown = 1 AND created_at = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([at], |r| r.get(0))?;
    rows.collect()
}

/// The first change of item `item_id` after history row `after` (after its creation when
/// `None`), as its history shows it.
pub fn first_change_after(
    conn: &Connection,
    item_id: i64,
    after: Option<i64>,
) -> rusqlite::Result<Option<ChangeRow>> {
    conn.prepare_cached(
        "SELECT at, operator, cause, before FROM ledger_changes
         WHERE item_id = ?1 AND id > ?2 ORDER BY id LIMIT 1",
    )?
    .query_row(params![item_id, after.unwrap_or(0)], |r| {
        Ok(ChangeRow {
            at: r.get(0)?,
            operator: r.get(1)?,
            cause: r.get(2)?,
            before: r.get(3)?,
        })
    })
    .optional()
}

/// Puts an item back as history row `change_id` recorded it before the change — every
/// field from `before`, and the text key, place and `updated_at` kept beside it — and
/// deletes that row. The row must have its place kept ([`FileChange::place_kept`]).
pub fn restore(conn: &Connection, change_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE ledger_items SET (kind, level, source, year, text, measures, owner, deadline,
         done_on, evidence, text_key, file_id, sheet, row, updated_at) =
         (SELECT json_extract(before, '$.kind'), json_extract(before, '$.level'),
          json_extract(before, '$.source'), json_extract(before, '$.year'),
          json_extract(before, '$.text'), json_extract(before, '$.measures'),
          json_extract(before, '$.owner'), json_extract(before, '$.deadline'),
          json_extract(before, '$.done_on'), json_extract(before, '$.evidence'),
          before_text_key, before_file_id, before_sheet, before_row, before_updated_at
          FROM ledger_changes WHERE id = ?1)
         WHERE id = (SELECT item_id FROM ledger_changes WHERE id = ?1)",
    )?
    .execute([change_id])?;
    conn.prepare_cached("DELETE FROM ledger_changes WHERE id = ?1")?
        .execute([change_id])?;
    Ok(())
}

/// Deletes the items file `file_id` created, which have no history (withdrawing the file
/// is refused otherwise); returns how many.
pub fn delete_created_by_file(conn: &Connection, file_id: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM ledger_items WHERE created_file_id = ?1")?
        .execute([file_id])
}

/// Deletes the items (and their history) the reviews of campaign `year` created: the
/// campaign's reviews are going (deleting a draft or the demo campaign).
pub fn delete_of_campaign_reviews(conn: &Connection, year: i32) -> rusqlite::Result<usize> {
    delete_where(
        conn,
        "review_id IN (SELECT id FROM reviews WHERE campaign_year = ?1)",
        params![year],
    )
}

/// Deletes the items (and their history) the reviews of the demo's awards created.
pub fn delete_of_reviews_where(conn: &Connection, reviews_sql: &str) -> rusqlite::Result<usize> {
    delete_where(conn, &format!("review_id IN ({reviews_sql})"), [])
}

fn delete_where(
    conn: &Connection,
    condition: &str,
    p: impl rusqlite::Params + Clone,
) -> rusqlite::Result<usize> {
    conn.execute(
        &format!(
            "DELETE FROM ledger_changes WHERE item_id IN (SELECT id FROM ledger_items WHERE {condition})"
        ),
        p.clone(),
    )?;
    conn.execute(&format!("DELETE FROM ledger_items WHERE {condition}"), p)
}

/// How many items name agency `agency_id` (an agency that has some is never deleted as
/// unused).
pub fn count_of_agency(conn: &Connection, agency_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM ledger_items WHERE agency_id = ?1",
        [agency_id],
        |r| r.get(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn fields(text: &str) -> ItemFields {
        ItemFields {
            kind: LedgerKind::Problem,
            level: None,
            source: Some(LedgerSource::SelfCheck),
            year: 2026,
            text: text.to_string(),
            measures: None,
            owner: None,
            deadline: NaiveDate::from_ymd_opt(2026, 6, 30),
            done_on: None,
            evidence: None,
        }
    }

    #[test]
    fn items_are_stored_updated_with_history_and_found_by_key() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let (agency, _) = crate::store::agencies::upsert(
            c,
            &crate::store::agencies::AgencyFields {
                uscc: None,
                name: "审计局",
                name_key: "审计局",
                tier: crate::vocab::Tier::Province,
                region: None,
                unit_type: "政府机关",
            },
            "t",
        )
        .unwrap();
        let id = insert(
            c,
            agency,
            &fields("制度不健全"),
            "制度不健全",
            &Provenance::Manual,
            None,
            "张三",
            "t1",
        )
        .unwrap();
        let before = find(c, agency, LedgerKind::Problem, "制度不健全")
            .unwrap()
            .unwrap();
        assert_eq!(before.id, id);
        assert_eq!(before.provenance, Provenance::Manual);
        let mut later = fields("制度不健全");
        later.done_on = NaiveDate::from_ymd_opt(2026, 6, 1);
        update(
            c,
            &before,
            &later,
            "制度不健全",
            None,
            &Change {
                operator: "李四",
                at: "t2",
                cause: "标记完成",
                file_id: None,
            },
        )
        .unwrap();
        let after = get(c, id).unwrap().unwrap();
        assert_eq!(after.fields.done_on, NaiveDate::from_ymd_opt(2026, 6, 1));
        assert_eq!(after.updated_at, "t2");
        let history = changes(c, id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].cause, "标记完成");
        assert!(
            history[0].before.contains("\"done_on\":null"),
            "{}",
            history[0].before
        );
        // Done items are not overdue; an open one is, strictly after its deadline.
        assert!(
            overdue_problems(c, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap())
                .unwrap()
                .is_empty()
        );
        insert(
            c,
            agency,
            &fields("台账缺失"),
            "台账缺失",
            &Provenance::Manual,
            None,
            "张三",
            "t3",
        )
        .unwrap();
        assert!(
            overdue_problems(c, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            overdue_problems(c, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap())
                .unwrap()
                .len(),
            1
        );
        assert_eq!(count_of_agency(c, agency).unwrap(), 2);
    }

    #[test]
    fn a_problem_or_task_needs_a_deadline_a_responsibility_not() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let (agency, _) = crate::store::agencies::upsert(
            c,
            &crate::store::agencies::AgencyFields {
                uscc: None,
                name: "审计局",
                name_key: "审计局",
                tier: crate::vocab::Tier::Province,
                region: None,
                unit_type: "政府机关",
            },
            "t",
        )
        .unwrap();
        let mut f = fields("无时限");
        f.deadline = None;
        assert!(insert(
            c,
            agency,
            &f,
            "无时限",
            &Provenance::Manual,
            None,
            "张三",
            "t"
        )
        .is_err());
        f.kind = LedgerKind::Responsibility;
        f.source = None;
        f.level = Some(LedgerLevel::Branch);
        assert!(insert(
            c,
            agency,
            &f,
            "无时限",
            &Provenance::Manual,
            None,
            "张三",
            "t"
        )
        .is_ok());
    }
}
