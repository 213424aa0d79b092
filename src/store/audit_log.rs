//! The `audit_log` table: an append-only log whose rows form a SHA-256 chain, and the
//! chain's hash and check ([`verify`]), kept beside the table so that the store can check
//! the chain of a backup it restores (`crate::audit` appends and lists through them).

use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};

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

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a row's content chained to `prev_hash`.
pub fn row_hash(
    seq: i64,
    at: &str,
    operator: &str,
    action: &str,
    details: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [&seq.to_string(), at, operator, action, details, prev_hash] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BrokenLink {
    /// The sequence number of the first row that does not verify.
    pub seq: i64,
    /// Why, in Chinese.
    pub reason: String,
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    /// Rows checked (up to and including the broken one).
    pub rows: u64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

/// Walks the log from the first row and names the first row whose hash, link or
/// sequence number is wrong.
///
/// Deleting rows at the very end of the log leaves a shorter valid chain; that cannot be
/// detected from the log alone.
pub fn verify(conn: &Connection) -> rusqlite::Result<VerifyReport> {
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut rows = 0;
    let mut broken = None;
    for_each(conn, |row| {
        rows += 1;
        let reason = if row.seq != expected_seq {
            Some(format!(
                "序号应为 {expected_seq}，实为 {}（有记录被删除）",
                row.seq
            ))
        } else if row.prev_hash != expected_prev {
            Some("前一条记录的哈希不符（前一条记录被改动或删除）".to_string())
        } else if row_hash(
            row.seq,
            &row.at,
            &row.operator,
            &row.action,
            &row.details,
            &row.prev_hash,
        ) != row.hash
        {
            Some("本条记录内容与哈希不符（记录被改动）".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            broken = Some(BrokenLink {
                seq: row.seq,
                reason,
            });
            return false;
        }
        expected_seq += 1;
        expected_prev = row.hash;
        true
    })?;
    Ok(VerifyReport { rows, broken })
}

/// The last row's sequence number and hash, if any.
pub fn last(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    use rusqlite::OptionalExtension;
    // Cached: every audited change asks, and an import batch once per file.
    conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

/// Inserts a row as given.
pub fn insert(conn: &Connection, row: &AuditRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, operator, action, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        row.seq,
        row.at,
        row.operator,
        row.action,
        row.details,
        row.prev_hash,
        row.hash
    ])?;
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
