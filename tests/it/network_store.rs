//! A database on a network share (simulated: `$MOFAN_MOUNTINFO` points the store at a
//! mount table in which the test's folder is a CIFS share) is opened without WAL — a
//! rollback journal and exclusive locking — and a second program is refused with a
//! message while one has it open. The same folder without the simulated share uses WAL.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Output;

use crate::common::mofan_command;

/// A mount table in which `share` is a CIFS mount on top of an ext4 root.
fn mount_table(dir: &Path, share: &Path) -> std::path::PathBuf {
    let share = std::fs::canonicalize(share).unwrap();
    let escaped = share.to_str().unwrap().replace(' ', "\\040");
    let text = format!(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
         41 22 0:45 / {escaped} rw,relatime shared:30 - cifs //fileserver/share rw,vers=3.1.1\n"
    );
    let p = dir.join("mountinfo");
    std::fs::write(&p, text).unwrap();
    p
}

/// `mofan --db DB ARGS…` with `mountinfo` as the mount table, or the system's.
fn mofan(db: &Path, mountinfo: Option<&Path>, args: &[&str]) -> Output {
    let mut c = mofan_command();
    c.arg("--db").arg(db).args(args);
    match mountinfo {
        Some(m) => c.env("MOFAN_MOUNTINFO", m),
        None => c.env_remove("MOFAN_MOUNTINFO"),
    };
    c.output().unwrap()
}

/// The journal mode recorded in the database header: 1 rollback journal, 2 WAL.
fn header_journal(db: &Path) -> (u8, u8) {
    let b = std::fs::read(db).unwrap();
    (b[18], b[19])
}

#[test]
fn a_database_on_a_share_is_opened_without_wal() {
    let dir = tempfile::tempdir().unwrap();
    let share = dir.path().join("共享 文件");
    std::fs::create_dir(&share).unwrap();
    let table = mount_table(dir.path(), &share);
    let db = share.join("评选/mofan.db");

    let o = mofan(&db, Some(&table), &["campaign", "create", "--year", "2026"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(header_journal(&db), (1, 1));
    let names: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["mofan.db"]);

    // The same database outside the share (no simulated mount): WAL.
    let o = mofan(&db, None, &["campaign", "list"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(header_journal(&db), (2, 2));
    // Back on the share: converted back, the WAL checkpointed and gone.
    let o = mofan(&db, Some(&table), &["campaign", "list"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2026"));
    assert_eq!(header_journal(&db), (1, 1));
    assert!(!share.join("评选/mofan.db-wal").exists());
}

#[test]
fn a_second_program_on_a_share_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let table = mount_table(dir.path(), dir.path());
    let db = dir.path().join("mofan.db");
    let o = mofan(&db, Some(&table), &["campaign", "create", "--year", "2026"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Another program holds the database (as a mofan on another computer would).
    let mut other = rusqlite::Connection::open(&db).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)
        .unwrap();
    // mofan waits its busy timeout (10 s), then gives up with the reason.
    let o = mofan(&db, Some(&table), &["campaign", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("位于网络共享（cifs）上，正被另一个程序或另一台电脑使用"),
        "{said}"
    );
    tx.rollback().unwrap();
}
