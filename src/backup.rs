//! Backup and restore as the clerk does them, from the command line or 设置: the store's
//! online copy and its checked, atomic swap (`store::backup`), plus the restore's audit
//! event, written after the swap into the restored database (a backup's own log goes on,
//! and the event names the backup, the copy kept of the replaced database and the
//! backup's version). One function for both front ends, so their logs agree.

use std::path::Path;

use thiserror::Error;

use crate::audit::{self, AuditError};
use crate::store::backup::Restored;
use crate::store::{Store, StoreError};
use crate::Coded;

/// Why a restore did not happen, or happened but could not be logged.
#[derive(Debug, Error)]
pub enum RestoreError {
    /// The backup was refused (the database is unchanged) or the swap failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The restore happened; its audit event could not be written.
    #[error("数据库已恢复，但无法写入操作日志：{0}")]
    Audit(#[from] AuditError),
}

impl Coded for RestoreError {
    fn code(&self) -> &'static str {
        match self {
            RestoreError::Store(e) => e.code(),
            RestoreError::Audit(e) => e.code(),
        }
    }
}

/// Replaces the database with the backup at `src` ([`Store::restore_from`]) and records
/// `store.restore` in the restored database's log.
pub fn restore(store: &mut Store, src: &Path, operator: &str) -> Result<Restored, RestoreError> {
    let r = store.restore_from(src)?;
    audit::append(
        store.conn(),
        operator,
        "store.restore",
        &serde_json::json!({
            "from": src.display().to_string(),
            "kept": r.kept.as_ref().map(|k| k.display().to_string()),
            "backup_version": r.backup_version,
        }),
    )?;
    Ok(r)
}
