//! The `audit_log` table: an append-only log whose rows form a SHA-256 chain.

use rusqlite::{params, Connection};

use super::Migration;

/// Creates the `audit_log` table.
pub const MIGRATION_5: Migration = Migration {
    version: 5,
    name: "audit_log",
    sql: "CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );",
};

/// One stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditRow {
    /// Sequence number, from 1.
    pub seq: i64,
    /// Time (RFC 3339).
    pub at: String,
    /// Who did it.
    pub operator: String,
    /// Action code, e.g. `import.file`.
    pub action: String,
    /// Details as JSON text.
    pub details: String,
    /// Hash of the previous row (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of this row's content and `prev_hash`.
    pub hash: String,
}

/// The last row's sequence number and hash, if any.
pub fn last(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Inserts a row as given.
pub fn insert(conn: &Connection, row: &AuditRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit_log (seq, at, operator, action, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            row.seq,
            row.at,
            row.operator,
            row.action,
            row.details,
            row.prev_hash,
            row.hash
        ],
    )?;
    Ok(())
}

/// Visits every row in sequence order.
pub fn for_each(conn: &Connection, mut f: impl FnMut(AuditRow) -> bool) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, operator, action, details, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = AuditRow {
            seq: r.get(0)?,
            at: r.get(1)?,
            operator: r.get(2)?,
            action: r.get(3)?,
            details: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        };
        if !f(row) {
            break;
        }
    }
    Ok(())
}

/// Which audit rows to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Filter {
    /// Actions starting with this (e.g. "import." or "select.override").
    pub action: Option<String>,
    /// Exactly this operator.
    pub operator: Option<String>,
    /// Rows at or after this time (RFC 3339 or a date, compared as text).
    pub from: Option<String>,
    /// Rows before this time (likewise).
    pub until: Option<String>,
    /// Text the details must contain.
    pub text: Option<String>,
    /// At most this many rows (newest first); all when `None`.
    pub limit: Option<u32>,
}

/// The rows matching `filter`, newest first. Its texts match literally: `%` and `_` in
/// them are not wildcards.
pub fn list(conn: &Connection, filter: &Filter) -> rusqlite::Result<Vec<AuditRow>> {
    let like = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    };
    let mut stmt = conn.prepare(
        "SELECT seq, at, operator, action, details, prev_hash, hash FROM audit_log
         WHERE (?1 IS NULL OR action LIKE ?1 ESCAPE '\\')
           AND (?2 IS NULL OR operator = ?2)
           AND (?3 IS NULL OR at >= ?3)
           AND (?4 IS NULL OR at < ?4)
           AND (?5 IS NULL OR details LIKE ?5 ESCAPE '\\')
         ORDER BY seq DESC LIMIT ?6",
    )?;
    let rows = stmt.query_map(
        params![
            filter.action.as_deref().map(|a| format!("{}%", like(a))),
            filter.operator,
            filter.from,
            filter.until,
            filter.text.as_deref().map(|t| format!("%{}%", like(t))),
            filter.limit.map_or(-1, i64::from),
        ],
        |r| {
            Ok(AuditRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                operator: r.get(2)?,
                action: r.get(3)?,
                details: r.get(4)?,
                prev_hash: r.get(5)?,
                hash: r.get(6)?,
            })
        },
    )?;
    rows.collect()
}
