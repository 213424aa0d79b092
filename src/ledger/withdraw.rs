//! Withdrawing an imported ledger file (docs/specification.md §10): the items it created
//! go, the items it updated return to their state before it — every column, from the
//! history row it wrote — and the file is marked withdrawn, with one audit row, in one
//! transaction.
//!
//! Only a withdrawal that puts the ledger back exactly is allowed: when anything changed
//! an item the file created or updated after the file did (a later file, a hand entry,
//! marking it done, an accepted rectification, a supervision record naming it), the
//! withdrawal is refused naming the item and the change, which must be withdrawn or
//! undone first. Restoring the earlier state over such a change would silently drop it.

use serde_json::json;

use super::LedgerError;
use crate::audit;
use crate::import::{match_target, WithdrawReport};
use crate::store::files::{self, FileKind, FileRow};
use crate::store::ledger::{self as ledger_store, ChangeRow};
use crate::store::Store;
use crate::vocab::StoredFileStatus;

/// Every imported ledger file, withdrawn ones included, oldest first (`ledger files`, the
/// window's 已导入文件).
pub fn files(store: &Store) -> Result<Vec<FileRow>, LedgerError> {
    Ok(files::list_ledger(store.conn())?)
}

/// Withdraws the live ledger file `target` names — its id, a SHA-256 prefix of at least 8
/// characters, or its file name, as `import withdraw` reads it (audited
/// `ledger.withdraw`). Its report counts the items removed (`withdrawn`) and restored.
pub fn withdraw(
    store: &mut Store,
    target: &str,
    operator: &str,
) -> Result<WithdrawReport, LedgerError> {
    let live: Vec<FileRow> = files::list_ledger(store.conn())?
        .into_iter()
        .filter(|f| f.status != StoredFileStatus::Withdrawn)
        .collect();
    let file = match match_target(&live, target).as_slice() {
        [] => return Err(LedgerError::FileNotFound(target.to_string())),
        [one] => (*one).clone(),
        many => {
            return Err(LedgerError::FileAmbiguous {
                target: target.to_string(),
                matches: many
                    .iter()
                    .map(|f| format!("编号{}《{}》", f.id, f.file_name))
                    .collect(),
            })
        }
    };
    withdraw_file(store, file, operator)
}

/// Withdraws the live ledger file with id `id` (as the window lists it), so that an id is
/// never read as a SHA-256 prefix or a file name.
pub fn withdraw_by_id(
    store: &mut Store,
    id: i64,
    operator: &str,
) -> Result<WithdrawReport, LedgerError> {
    let file = files::get(store.conn(), id)?
        .filter(|f| f.kind == FileKind::Ledger && f.status != StoredFileStatus::Withdrawn)
        .ok_or_else(|| LedgerError::FileNotFound(id.to_string()))?;
    withdraw_file(store, file, operator)
}

/// The refusal naming item `id` of file `file`.
fn refused(
    conn: &rusqlite::Connection,
    file: &FileRow,
    id: i64,
    reason: String,
) -> Result<LedgerError, LedgerError> {
    let item = ledger_store::get(conn, id)?.ok_or(LedgerError::NotFound(id))?;
    Ok(LedgerError::WithdrawRefused {
        file: file.file_name.clone(),
        item: id,
        agency: item.name,
        text: item.fields.text,
        reason,
    })
}

/// The words naming a later change.
fn later(c: &ChangeRow) -> String {
    format!(
        "在本文件之后又有改动（{}，{}，{}），请先撤回或撤销该改动",
        crate::short_time(&c.at),
        c.cause,
        c.operator
    )
}

fn withdraw_file(
    store: &mut Store,
    file: FileRow,
    operator: &str,
) -> Result<WithdrawReport, LedgerError> {
    let now = crate::now_string();
    let tx = store.conn_mut().transaction()?;
    let created = ledger_store::created_by_file(&tx, file.id)?;
    let updated = ledger_store::changes_of_file(&tx, file.id)?;
    // Checked first, all of them, so that a refusal leaves nothing half done (the
    // transaction would roll back anyway; this names the first item in id order).
    for &id in &created {
        if let Some(c) = ledger_store::first_change_after(&tx, id, None)? {
            return Err(refused(&tx, &file, id, later(&c))?);
        }
        let item = ledger_store::get(&tx, id)?.ok_or(LedgerError::NotFound(id))?;
        if let Some(sid) = item.supervision_id {
            // A file never names a supervision record, so the link was made later by hand.
            return Err(refused(
                &tx,
                &file,
                id,
                format!("已记入督查记录{sid}，请先解除该关联"),
            )?);
        }
    }
    for c in &updated {
        if !c.place_kept {
            return Err(refused(
                &tx,
                &file,
                c.item_id,
                "由本文件更新的记录写于数据库升级之前，未保存更新前的位置，无法恢复".to_string(),
            )?);
        }
        if let Some(l) = ledger_store::first_change_after(&tx, c.item_id, Some(c.id))? {
            return Err(refused(&tx, &file, c.item_id, later(&l))?);
        }
    }
    // An item stored before the upgrade whose creating file is unknown may be this file's
    // when it was created the second this file was imported; its history holds a later
    // file's change, so the rule above would refuse it if it is.
    if let Some(&id) = ledger_store::origin_unknown_at(&tx, &file.imported_at)?.first() {
        return Err(refused(
            &tx,
            &file,
            id,
            "导入于数据库升级之前且之后被其他文件更新，无法确定是否由本文件创建".to_string(),
        )?);
    }
    for c in &updated {
        ledger_store::restore(&tx, c.id)?;
    }
    let removed = ledger_store::delete_created_by_file(&tx, file.id)?;
    files::mark_withdrawn(&tx, file.id, &now)?;
    audit::append(
        &tx,
        operator,
        "ledger.withdraw",
        &json!({
            "file": file.file_name,
            "sha256": file.sha256,
            "file_id": file.id,
            "removed": created,
            "restored": updated.iter().map(|c| c.item_id).collect::<Vec<_>>(),
        }),
    )?;
    tx.commit()?;
    Ok(WithdrawReport {
        id: file.id,
        file: file.file_name,
        sha256: file.sha256,
        withdrawn: removed,
        restored: updated.len(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::import::{self, FileStatus, ImportOptions};
    use crate::store::agencies;
    use crate::ui::testing::{campaign_with, OPERATOR};
    use crate::vocab::LedgerKind;
    use crate::Coded;

    const AGENCY: &str = "广州市人民检察院";

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A ledger file of problems of [`AGENCY`]: one row per (text, deadline, measures).
    fn csv(rows: &[(&str, &str, &str)]) -> Vec<u8> {
        let mut s = "单位名称,清单类型,问题描述,整改时限,整改措施\n".to_string();
        for (text, deadline, measures) in rows {
            s.push_str(&format!("{AGENCY},问题清单,{text},{deadline},{measures}\n"));
        }
        s.into_bytes()
    }

    fn import(store: &mut Store, name: &str, bytes: Vec<u8>) -> import::FileReport {
        let importer = import::Ledger::open(store, None, OPERATOR).unwrap();
        let opts = ImportOptions {
            partial: false,
            operator: OPERATOR.to_string(),
        };
        import::import_bytes(store, &importer, bytes, name, &opts).unwrap()
    }

    /// Every column of every row of a table, in id order, as text.
    fn table(store: &Store, name: &str) -> Vec<Vec<String>> {
        let conn = store.conn();
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {name} ORDER BY id"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows
    }

    /// The ledger as withdrawing must put it back: both tables, every column.
    fn ledger(store: &Store) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        (table(store, "ledger_items"), table(store, "ledger_changes"))
    }

    fn item_id(store: &Store, text: &str) -> i64 {
        let (agency, _) = crate::ledger::find_agency(store.conn(), AGENCY).unwrap();
        ledger_store::find(
            store.conn(),
            agency,
            LedgerKind::Problem,
            &crate::normalize::item_key(text),
        )
        .unwrap()
        .unwrap()
        .id
    }

    fn last_audit(store: &Store) -> (String, serde_json::Value) {
        store
            .conn()
            .query_row(
                "SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| {
                    let d: String = r.get(1)?;
                    Ok((r.get(0)?, serde_json::from_str(&d).unwrap()))
                },
            )
            .unwrap()
    }

    /// A file that created two items and updated a hand-entered one, withdrawn: both
    /// tables hold exactly what they held before it, the file is withdrawn, one audit row.
    #[test]
    fn create_and_update_then_withdraw_leaves_the_ledger_as_before() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        crate::ledger::add(
            &mut store,
            &crate::ledger::NewItem {
                agency: AGENCY.into(),
                kind: LedgerKind::Problem,
                text: "台账缺失".into(),
                deadline: Some(d("2026-05-31")),
                measures: None,
                owner: Some("办公室".into()),
                source: None,
                level: None,
                year: None,
                supervision: None,
            },
            OPERATOR,
        )
        .unwrap();
        let before = ledger(&store);
        let r = import(
            &mut store,
            "台账.csv",
            csv(&[
                ("制度不健全", "2026-06-30", "建立制度"),
                ("学习不经常", "2026-07-31", "定期学习"),
                ("台账缺失", "2026-08-31", "补建台账"),
            ]),
        );
        assert_eq!((r.status, r.imported), (FileStatus::Imported, 3));
        assert_ne!(ledger(&store), before);
        let audit_rows = |s: &Store| -> i64 {
            s.conn()
                .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
                .unwrap()
        };
        let n = audit_rows(&store);

        let w = withdraw(&mut store, "台账.csv", "李四").unwrap();
        assert_eq!((w.withdrawn, w.restored), (2, 1));
        assert_eq!(ledger(&store), before);
        assert_eq!(audit_rows(&store), n + 1);
        let (action, details) = last_audit(&store);
        assert_eq!(action, "ledger.withdraw");
        assert_eq!(details["file"], "台账.csv");
        assert_eq!(details["file_id"], w.id);
        assert_eq!(details["removed"].as_array().unwrap().len(), 2);
        assert_eq!(details["restored"].as_array().unwrap().len(), 1);
        let f = files::get(store.conn(), w.id).unwrap().unwrap();
        assert_eq!(f.status, StoredFileStatus::Withdrawn);
        // Gone from the live files: named again, it is not found.
        let e = withdraw(&mut store, "台账.csv", "李四").unwrap_err();
        assert_eq!(e.code(), "ledger.file_not_found");
    }

    /// A later file's update withdrawn restores the earlier file's state (place included);
    /// then the earlier file withdrawn empties the ledger. Targets by SHA-256 prefix and id.
    #[test]
    fn files_withdrawn_latest_first_restore_each_earlier_state() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let empty = ledger(&store);
        let a = import(
            &mut store,
            "一月.csv",
            csv(&[("制度不健全", "2026-06-30", "建立制度")]),
        );
        let after_a = ledger(&store);
        let b = import(
            &mut store,
            "二月.csv",
            csv(&[
                ("其他问题", "2026-09-30", "整改"),
                ("制度不健全", "2026-07-15", "健全制度"),
            ]),
        );
        assert_eq!(b.imported, 2);
        let id = item_id(&store, "制度不健全");
        let placed = ledger_store::get(store.conn(), id).unwrap().unwrap();
        assert!(
            matches!(&placed.provenance, ledger_store::Provenance::File { file_name, row: 3, .. } if file_name == "二月.csv"),
            "{:?}",
            placed.provenance
        );
        // The earlier file cannot go while the later one's change stands.
        let e = withdraw(&mut store, &a.sha256[..8], OPERATOR).unwrap_err();
        assert_eq!(e.code(), "ledger.withdraw_refused");
        assert!(e.to_string().contains(&format!("台账事项{id}")), "{e}");
        assert!(e.to_string().contains("二月.csv"), "{e}");
        assert_eq!(ledger(&store).0.len(), 2, "nothing changed by the refusal");

        let w = withdraw(&mut store, &b.sha256[..8], OPERATOR).unwrap();
        assert_eq!((w.withdrawn, w.restored), (1, 1));
        assert_eq!(ledger(&store), after_a);
        let a_id = files::list_ledger(store.conn()).unwrap()[0].id;
        withdraw_by_id(&mut store, a_id, OPERATOR).unwrap();
        assert_eq!(ledger(&store), empty);
        // A withdrawn file's id is refused as well.
        assert_eq!(
            withdraw_by_id(&mut store, a_id, OPERATOR)
                .unwrap_err()
                .code(),
            "ledger.file_not_found"
        );
    }

    /// Each kind of later change refuses the withdrawal of a file that created the item
    /// or updated it, naming the item and the change; the ledger is left as it was.
    #[test]
    fn a_later_change_refuses_the_withdrawal_naming_the_item() {
        enum Later {
            File,
            Done,
            Supervision,
        }
        for (later, updated_by_file, cause) in [
            (Later::File, false, "导入《后来.csv》"),
            (Later::Done, false, "标记完成"),
            (Later::Supervision, false, "督查记录"),
            (Later::File, true, "导入《后来.csv》"),
            (Later::Done, true, "标记完成"),
        ] {
            let mut store = campaign_with(&["00_广州市.xlsx"]);
            if updated_by_file {
                // The file under test updates an item imported earlier.
                import(
                    &mut store,
                    "最初.csv",
                    csv(&[("制度不健全", "2026-05-31", "")]),
                );
            }
            import(
                &mut store,
                "台账.csv",
                csv(&[("制度不健全", "2026-06-30", "建立制度")]),
            );
            let id = item_id(&store, "制度不健全");
            match later {
                Later::File => {
                    import(
                        &mut store,
                        "后来.csv",
                        csv(&[("制度不健全", "2026-07-31", "建立制度")]),
                    );
                }
                Later::Done => {
                    crate::ledger::mark_done(&mut store, id, d("2026-01-02"), None, OPERATOR)
                        .unwrap();
                }
                Later::Supervision => {
                    let (agency, _) = crate::ledger::find_agency(store.conn(), AGENCY).unwrap();
                    store
                        .conn()
                        .execute(
                            "INSERT INTO supervision_records (id, agency_id, kind, held_on,
                             subject, operator, created_at)
                             VALUES (7, ?1, 'inquiry', '2026-03-01', '督查', '张三', 't')",
                            [agency],
                        )
                        .unwrap();
                    store
                        .conn()
                        .execute(
                            "UPDATE ledger_items SET supervision_id = 7 WHERE id = ?1",
                            [id],
                        )
                        .unwrap();
                }
            }
            let before = ledger(&store);
            let e = withdraw(&mut store, "台账.csv", OPERATOR).unwrap_err();
            assert_eq!(e.code(), "ledger.withdraw_refused", "{cause}");
            let LedgerError::WithdrawRefused { item, .. } = &e else {
                unreachable!()
            };
            assert_eq!(*item, id, "{cause}");
            let m = e.to_string();
            assert!(m.contains(cause) && m.contains("制度不健全"), "{m}");
            assert_eq!(ledger(&store), before, "{cause}");
            let live = files::list_ledger(store.conn()).unwrap();
            assert!(live.iter().all(|f| f.status != StoredFileStatus::Withdrawn));
        }
    }

    /// A review's problem a file updated, whose rectification is accepted afterwards: the
    /// acceptance is a later change.
    #[test]
    fn an_accepted_rectification_is_a_later_change() {
        let mut store = campaign_with(&["00_广州市.xlsx", "03_广州市越秀区.xlsx"]);
        let reg = import::Registry::open(&store).unwrap();
        import::import_file(
            &mut store,
            &reg,
            &crate::ui::testing::sample("awards.xlsx"),
            &crate::ui::testing::opts(),
        )
        .unwrap();
        let applied = crate::review::apply(&mut store, 2026, d("2026-12-01"), OPERATOR).unwrap();
        let r = applied
            .reviews
            .iter()
            .find(|r| r.outcome == crate::vocab::Outcome::Rectify)
            .unwrap();
        let item = ledger_store::list(store.conn())
            .unwrap()
            .into_iter()
            .find(|i| i.agency_id == r.agency_id)
            .unwrap();
        assert!(matches!(
            item.provenance,
            ledger_store::Provenance::Review { .. }
        ));
        let name = agencies::get(store.conn(), r.agency_id)
            .unwrap()
            .unwrap()
            .name;
        let body = format!(
            "单位名称,清单类型,问题描述,整改时限,整改措施\n{name},问题清单,{},2026-12-31,限期整改\n",
            item.fields.text
        );
        let f = import(&mut store, "复查整改.csv", body.into_bytes());
        assert_eq!(f.imported, 1);
        crate::review::mark_rectified_by_id(&mut store, r.award_id, d("2026-12-20"), OPERATOR)
            .unwrap();
        let e = withdraw(&mut store, "复查整改.csv", OPERATOR).unwrap_err();
        assert_eq!(e.code(), "ledger.withdraw_refused");
        assert!(e.to_string().contains("整改完成，称号恢复正常"), "{e}");
        assert!(
            e.to_string().contains(&format!("台账事项{}", item.id)),
            "{e}"
        );
    }

    /// A withdrawn file imported again is imported afresh, as returns are: its items come
    /// back, created by the new file row.
    #[test]
    fn a_withdrawn_file_imports_afresh() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        let bytes = csv(&[("制度不健全", "2026-06-30", "建立制度")]);
        import(&mut store, "台账.csv", bytes.clone());
        let dup = import(&mut store, "台账.csv", bytes.clone());
        assert_eq!(dup.status, FileStatus::Duplicate);
        withdraw(&mut store, "台账.csv", OPERATOR).unwrap();
        assert!(ledger(&store).0.is_empty());
        let again = import(&mut store, "台账.csv", bytes);
        assert_eq!((again.status, again.imported), (FileStatus::Imported, 1));
        let files = files(&store).unwrap();
        assert_eq!(files.len(), 2);
        let created: i64 = store
            .conn()
            .query_row("SELECT created_file_id FROM ledger_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(created, files[1].id);
    }

    /// Two live files of the same name: the name is ambiguous, naming both.
    #[test]
    fn a_name_two_files_share_is_ambiguous() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        import(&mut store, "台账.csv", csv(&[("甲", "2026-06-30", "")]));
        import(&mut store, "台账.csv", csv(&[("乙", "2026-06-30", "")]));
        let e = withdraw(&mut store, "台账.csv", OPERATOR).unwrap_err();
        assert_eq!(e.code(), "ledger.file_ambiguous");
        assert!(e.to_string().contains("编号"), "{e}");
        assert_eq!(
            withdraw(&mut store, "没有.csv", OPERATOR)
                .unwrap_err()
                .code(),
            "ledger.file_not_found"
        );
    }
}

/// A database of version 22 upgraded: what is provable is filled in, the rest refuses the
/// withdrawal with its reason.
#[cfg(test)]
mod upgrade_tests {
    use rusqlite::Connection;

    use super::*;
    use crate::store::migrate_to;
    use crate::Coded;

    #[test]
    fn items_stored_before_migration_23_get_their_file_where_provable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut conn = Connection::open(&path).unwrap();
        migrate_to(&mut conn, 22).unwrap();
        // File 1 created items 1 and 2 at t1; file 2 (t2) updated item 2; item 3 was
        // entered by hand and updated by file 2; file 3 (t3) created item 4, which a hand
        // entry then marked done.
        conn.execute_batch(
            "INSERT INTO agencies (id, name, name_key, tier, unit_type, updated_at)
               VALUES (1, '甲局', '甲局', 'province', '政府机关', 'c');
             INSERT INTO imported_files (id, kind, file_name, sha256, imported_at, operator,
               status, rows_total, rows_imported)
               VALUES (1, 'ledger', 'a.xlsx', 'aaaaaaaaaa', 't1', '张三', 'imported', 2, 2),
                      (2, 'ledger', 'b.xlsx', 'bbbbbbbbbb', 't2', '张三', 'imported', 2, 2),
                      (3, 'ledger', 'c.xlsx', 'cccccccccc', 't3', '张三', 'imported', 1, 1);
             INSERT INTO ledger_items (id, agency_id, kind, year, text, text_key, deadline,
               file_id, sheet, row, operator, created_at, updated_at)
               VALUES (1, 1, 'task', 2026, '一', '一', '2026-06-30', 1, 's', 2, '张三', 't1', 't1'),
                      (2, 1, 'task', 2026, '二', '二', '2026-06-30', 2, 's', 3, '张三', 't1', 't2'),
                      (3, 1, 'task', 2026, '三', '三', '2026-06-30', 2, 's', 2, '张三', 't0', 't2'),
                      (4, 1, 'task', 2026, '四', '四', '2026-06-30', 3, 's', 2, '张三', 't3', 't4');
             INSERT INTO ledger_changes (item_id, at, operator, cause, file_id, before)
               VALUES (2, 't2', '张三', '导入', 2, '{}'),
                      (3, 't2', '张三', '导入', 2, '{}'),
                      (4, 't4', '张三', '标记完成', NULL, '{}');",
        )
        .unwrap();
        migrate_to(&mut conn, 23).unwrap();
        let rows: Vec<(i64, Option<i64>, i64)> = conn
            .prepare("SELECT id, created_file_id, origin_unknown FROM ledger_items ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [(1, Some(1), 0), (2, None, 1), (3, None, 1), (4, Some(3), 0)],
            "proven: no file updated it; unknown: a file did"
        );
        let kept: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM ledger_changes WHERE before_updated_at IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 0, "earlier places were never recorded");

        drop(conn);
        let mut store = Store::open(&path).unwrap();
        for (target, item, words) in [
            // Item 2 may be file 1's (created the second it was imported).
            ("a.xlsx", 2, "无法确定是否由本文件创建"),
            // File 2's updates lost their earlier place.
            ("b.xlsx", 2, "未保存更新前的位置"),
            // File 3's item was marked done afterwards: the rule of every file.
            ("c.xlsx", 4, "标记完成"),
        ] {
            let e = withdraw(&mut store, target, "张三").unwrap_err();
            assert_eq!(e.code(), "ledger.withdraw_refused", "{target}");
            let LedgerError::WithdrawRefused { item: got, .. } = &e else {
                unreachable!()
            };
            assert_eq!(*got, item, "{target}");
            assert!(e.to_string().contains(words), "{target}: {e}");
        }
    }
}
