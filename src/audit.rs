//! The audit log: every import, withdrawal, rule change and decision is appended as a
//! row whose SHA-256 covers its content and the previous row's hash, so that editing
//! or deleting a row in the middle of the log breaks the chain at that row.

use rusqlite::Connection;
use thiserror::Error;

use crate::store::audit_log::{self, AuditRow};
// The chain itself (hashing and walking it) lives beside its table, below this module,
// so that the store can check a backup's chain without depending on the audit module.
pub use crate::store::audit_log::{hex, row_hash, BrokenLink, VerifyReport, GENESIS};
use crate::Coded;

pub use crate::store::audit_log::Filter;

/// Errors of the audit log.
#[derive(Debug, Error)]
pub enum AuditError {
    /// SQLite failed.
    #[error("数据库错误：{0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Coded for AuditError {
    fn code(&self) -> &'static str {
        "audit.sqlite"
    }
}

/// The operator name to record: `$MOFAN_OPERATOR`, else the OS user, else "操作员".
pub fn default_operator() -> String {
    ["MOFAN_OPERATOR", "USER", "USERNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "操作员".to_string())
}

/// Appends an event inside the caller's transaction; returns its sequence number.
pub fn append(
    conn: &Connection,
    operator: &str,
    action: &str,
    details: &serde_json::Value,
) -> Result<i64, AuditError> {
    let (seq, prev_hash) = match audit_log::last(conn)? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = crate::now_string();
    let details = details.to_string();
    let hash = row_hash(seq, &at, operator, action, &details, &prev_hash);
    audit_log::insert(
        conn,
        &AuditRow {
            seq,
            at,
            operator: operator.to_string(),
            action: action.to_string(),
            details,
            prev_hash,
            hash,
        },
    )?;
    Ok(seq)
}

/// Walks the log from the first row and names the first row whose hash, link or
/// sequence number is wrong ([`audit_log::verify`], which the store's restore check
/// uses too).
pub fn verify(conn: &Connection) -> Result<VerifyReport, AuditError> {
    Ok(audit_log::verify(conn)?)
}

/// The audit rows matching `filter`, newest first.
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<AuditRow>, AuditError> {
    Ok(audit_log::list(conn, filter)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use serde_json::json;

    fn store_with(n: usize) -> Store {
        let store = Store::open_in_memory().unwrap();
        for i in 0..n {
            append(store.conn(), "张三", "test.event", &json!({ "i": i })).unwrap();
        }
        store
    }

    #[test]
    fn list_filters() {
        let store = Store::open_in_memory().unwrap();
        append(
            store.conn(),
            "张三",
            "import.file",
            &json!({"file": "a_1%.xlsx"}),
        )
        .unwrap();
        append(
            store.conn(),
            "李四",
            "import.withdraw",
            &json!({"file": "b.xlsx"}),
        )
        .unwrap();
        append(
            store.conn(),
            "张三",
            "select.override",
            &json!({"reason": "投票"}),
        )
        .unwrap();
        let seqs = |f: Filter| -> Vec<i64> {
            list(store.conn(), &f)
                .unwrap()
                .iter()
                .map(|r| r.seq)
                .collect()
        };
        assert_eq!(seqs(Filter::default()), vec![3, 2, 1]);
        assert_eq!(
            seqs(Filter {
                action: Some("import.".into()),
                ..Filter::default()
            }),
            vec![2, 1]
        );
        assert_eq!(
            seqs(Filter {
                operator: Some("张三".into()),
                ..Filter::default()
            }),
            vec![3, 1]
        );
        assert_eq!(
            seqs(Filter {
                text: Some("1%".into()),
                ..Filter::default()
            }),
            vec![1]
        );
        assert_eq!(
            seqs(Filter {
                text: Some("_".into()),
                ..Filter::default()
            }),
            vec![1]
        );
        assert_eq!(
            seqs(Filter {
                limit: Some(1),
                ..Filter::default()
            }),
            vec![3]
        );
        assert_eq!(
            seqs(Filter {
                from: Some("2999".into()),
                ..Filter::default()
            }),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn intact_chain_verifies() {
        let store = store_with(5);
        let r = verify(store.conn()).unwrap();
        assert_eq!(r.rows, 5);
        assert_eq!(r.broken, None);
    }

    #[test]
    fn edited_details_break_that_row() {
        let store = store_with(5);
        store
            .conn()
            .execute(
                "UPDATE audit_log SET details = '{\"i\":9}' WHERE seq = 3",
                [],
            )
            .unwrap();
        let r = verify(store.conn()).unwrap();
        assert_eq!(r.broken.unwrap().seq, 3);
    }

    #[test]
    fn rehashed_edit_breaks_the_next_row() {
        let store = store_with(5);
        let (at, prev): (String, String) = store
            .conn()
            .query_row(
                "SELECT at, prev_hash FROM audit_log WHERE seq = 2",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let h = row_hash(2, &at, "李四", "test.event", "{\"i\":1}", &prev);
        store
            .conn()
            .execute(
                "UPDATE audit_log SET operator = '李四', hash = ?1 WHERE seq = 2",
                [&h],
            )
            .unwrap();
        assert_eq!(verify(store.conn()).unwrap().broken.unwrap().seq, 3);
    }

    #[test]
    fn deleted_row_is_named() {
        let store = store_with(5);
        store
            .conn()
            .execute("DELETE FROM audit_log WHERE seq = 2", [])
            .unwrap();
        let b = verify(store.conn()).unwrap().broken.unwrap();
        assert_eq!(b.seq, 3);
        assert!(b.reason.contains("删除"), "{}", b.reason);
    }
}
