//! A database written by an earlier release opens in this one (issue 15, "Upgrades").
//!
//! `tests/fixtures/upgrade/<commit>/mofan.db` was made by the release `mofan` of that
//! commit — the program its package installs as /usr/bin/mofan — with
//! `scripts/make-upgrade-fixture.sh`: a calendar, the awards registry, a 2026 campaign with
//! the sample returns, a panel sheet and ballots, a selection, a 公示 round with an objection,
//! publishing and an applied review. Beside it is what that program printed about it. This
//! build opens a copy (running every migration since), and must print every value the old
//! one printed, the same; new fields may be added. (Migrations from every earlier schema
//! version, step by step, are tested in `src/store/`; this is the same through the binary
//! of a real earlier release, on a database with everything in it.)

use std::path::Path;

use serde_json::Value;

use crate::common::{fixture, mofan, ok, stdout_json, text};

/// The release before the newest migrations, and the schema version it wrote.
const COMMIT: &str = "0c0b2a9";
const OLD_SCHEMA: u32 = 19;

/// Every value of `old` is in `new` at the same place: objects may have gained keys,
/// arrays keep their length and order.
fn contains(old: &Value, new: &Value, at: &str, diffs: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, v) in o {
                match n.get(k) {
                    Some(nv) => contains(v, nv, &format!("{at}.{k}"), diffs),
                    None => diffs.push(format!("{at}.{k}: gone")),
                }
            }
        }
        (Value::Array(o), Value::Array(n)) => {
            if o.len() != n.len() {
                diffs.push(format!("{at}: {} items, now {}", o.len(), n.len()));
                return;
            }
            for (i, (a, b)) in o.iter().zip(n).enumerate() {
                contains(a, b, &format!("{at}[{i}]"), diffs);
            }
        }
        _ if old == new => {}
        _ => diffs.push(format!("{at}: {old} → {new}")),
    }
}

fn old_json(name: &str) -> Value {
    let path = fixture(&format!("upgrade/{COMMIT}/{name}"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn schema_version(db: &Path) -> u32 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_database_of_the_previous_release_opens_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mofan.db");
    std::fs::copy(fixture(&format!("upgrade/{COMMIT}/mofan.db")), &db).unwrap();
    assert_eq!(
        schema_version(&db),
        OLD_SCHEMA,
        "the fixture is what it says it is"
    );

    let outputs: [(&str, &[&str]); 6] = [
        ("select.json", &["select", "--campaign", "2026", "--json"]),
        (
            "ballots.json",
            &["ballots", "list", "--campaign", "2026", "--json"],
        ),
        (
            "panel.json",
            &["panel", "list", "--campaign", "2026", "--json"],
        ),
        (
            "publicity.json",
            &[
                "publicity",
                "status",
                "--campaign",
                "2026",
                "--date",
                "2026-11-20",
                "--json",
            ],
        ),
        (
            "objections.json",
            &["objection", "list", "--campaign", "2026", "--json"],
        ),
        (
            "review.json",
            &[
                "review",
                "--campaign",
                "2026",
                "--date",
                "2026-12-01",
                "--json",
            ],
        ),
    ];
    let mut diffs = Vec::new();
    for (file, args) in outputs {
        let now = stdout_json(&mofan(&db, args));
        contains(&old_json(file), &now, file, &mut diffs);
    }
    assert!(
        diffs.is_empty(),
        "printed differently after the upgrade:\n{}",
        diffs.join("\n")
    );

    // Migrated to this build's schema, and the hash chain of the old entries still holds.
    assert_eq!(schema_version(&db), mofan::store::latest_version());
    let verify = text(&ok(mofan(&db, &["audit", "verify"])).stdout);
    let old_verify =
        std::fs::read_to_string(fixture(&format!("upgrade/{COMMIT}/audit-verify.txt"))).unwrap();
    assert!(verify.starts_with("操作日志完整"), "{verify}");
    assert_eq!(
        old_verify.trim(),
        "操作日志完整：共 17 条记录，哈希链校验通过"
    );

    // The published year stays locked: the old award stands and nothing can change it.
    let refused = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            "114401001137353021",
            "--exclude",
            "--reason",
            "升级后尝试调整",
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
}

#[test]
fn the_comparison_sees_a_changed_value() {
    let old: Value = serde_json::json!({"a": [1, {"b": "x"}], "c": null});
    let mut diffs = Vec::new();
    contains(
        &old,
        &serde_json::json!({"a": [1, {"b": "x", "new": 2}], "c": null, "d": 1}),
        "",
        &mut diffs,
    );
    assert!(diffs.is_empty(), "{diffs:?}");
    contains(
        &old,
        &serde_json::json!({"a": [1, {"b": "y"}]}),
        "",
        &mut diffs,
    );
    assert_eq!(diffs, [".a[1].b: \"x\" → \"y\"", ".c: gone"]);
}
