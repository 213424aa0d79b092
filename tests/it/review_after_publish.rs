//! Applying the review of earlier awards does not depend on whether this year's selection
//! is published: publishing locks the selection, a review acts on earlier awards. Applied
//! after publishing, it changes the earlier awards exactly as it would have before, and
//! never this year's own awards. Driven through the command line.

use std::path::Path;

use crate::common::{fixture, mofan, ok, publicise_2026, sample_returns};
use mofan::store::awards::{self, AwardRow};
use mofan::store::Store;

/// A 2026 campaign with the four sample returns and the sample registry of earlier awards.
fn campaign(db: &Path) {
    ok(mofan(db, &["campaign", "create", "--year", "2026"]));
    for p in sample_returns() {
        ok(mofan(
            db,
            &["import", "--campaign", "2026", p.to_str().unwrap()],
        ));
    }
    let registry = fixture("samples/awards.xlsx");
    ok(mofan(db, &["awards", "import", registry.to_str().unwrap()]));
}

const APPLY: [&str; 6] = [
    "review",
    "--campaign",
    "2026",
    "--date",
    "2026-12-01",
    "--apply",
];
const SELECT: [&str; 3] = ["select", "--campaign", "2026"];
/// Publishing after the publicity of [`publicise_2026`] has ended.
const PUBLISH: [&str; 7] = [
    "publish",
    "--campaign",
    "2026",
    "--doc-number",
    "粤直工〔2026〕12号",
    "--date",
    "2026-11-20",
];

/// One award as (name, year, status, last review year, deadline, revoked year).
type Award = (
    String,
    i32,
    String,
    Option<i32>,
    Option<String>,
    Option<i32>,
);

/// The registry, sorted.
fn registry(db: &Path) -> Vec<Award> {
    let store = Store::open(db).unwrap();
    let mut rows: Vec<_> = awards::list(store.conn())
        .unwrap()
        .into_iter()
        .map(|a: AwardRow| {
            (
                a.name,
                a.year,
                a.status.as_str().to_string(),
                a.last_review_year,
                a.rectify_deadline,
                a.revoked_year,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_review_applied_after_publishing_changes_earlier_awards_only() {
    let dir = tempfile::tempdir().unwrap();

    // Reference: the review applied before publishing.
    let before = dir.path().join("before.db");
    campaign(&before);
    ok(mofan(&before, &APPLY));
    ok(mofan(&before, &SELECT));
    publicise_2026(&before);
    ok(mofan(&before, &PUBLISH));

    // The same review applied after publishing.
    let after = dir.path().join("after.db");
    campaign(&after);
    ok(mofan(&after, &SELECT));
    publicise_2026(&after);
    ok(mofan(&after, &PUBLISH));
    let published = registry(&after);
    let o = ok(mofan(&after, &APPLY));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("已应用复查结果"), "{said}");
    assert!(!said.contains("已发布"), "{said}");

    // The same registry either way: the earlier awards reviewed alike, this year's own.
    let applied = registry(&after);
    assert_eq!(applied, registry(&before));
    let own: Vec<_> = applied.iter().filter(|a| a.1 == 2026).collect();
    assert!(!own.is_empty(), "publishing added this year's awards");
    for a in &own {
        assert_eq!(
            (a.2.as_str(), a.3, a.4.as_deref(), a.5),
            ("active", None, None, None),
            "{a:?}"
        );
    }
    assert_eq!(
        own,
        published.iter().filter(|a| a.1 == 2026).collect::<Vec<_>>()
    );
    // The review did change earlier awards (so the comparison above means something).
    let reviewed = applied
        .iter()
        .filter(|a| a.1 < 2026 && a.3 == Some(2026))
        .count();
    assert!(reviewed > 0, "{applied:?}");
    assert_ne!(applied, published);

    // This year's awards are untouched, so reopening still withdraws every one of them.
    let o = ok(mofan(
        &after,
        &[
            "campaign",
            "reopen",
            "--year",
            "2026",
            "--reason",
            "更正文号",
        ],
    ));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains(&format!("撤回发布时记入的命名记录 {} 条", own.len())),
        "{said}"
    );

    // The review changed earlier awards since the last run: the result is stale, and
    // only a new run can be published. The other guards still hold once published.
    let o = mofan(&after, &PUBLISH);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("数据已变化") && said.contains("命名记录"),
        "{said}"
    );
    ok(mofan(&after, &SELECT));
    ok(mofan(&after, &PUBLISH));
    let o = mofan(
        &after,
        &[
            "review",
            "--campaign",
            "2026",
            "--date",
            "2027-01-05",
            "--apply",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("复查日期2027-01-05不在2026年度内"));
    let o = mofan(
        &after,
        &[
            "review",
            "--campaign",
            "2025",
            "--date",
            "2025-12-01",
            "--apply",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2025年度评选不存在"));
}
