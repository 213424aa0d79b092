//! Returns imported as a batch (`import::import_batch`, what `mofan import FILE…` runs:
//! the next file read while one is stored) and a file streamed in batches of records to
//! the writer: each file's report, errors and stored rows are those of importing the
//! files one by one, one record at a time.

use std::path::{Path, PathBuf};

use crate::common::*;
use mofan::import::{self, FileReport, FileStatus};

/// `n` city returns named 批量单位0…, scored `score`, the one at `bad` (if any) with a
/// score out of range.
fn rows(n: usize, score: f64, bad: Option<usize>) -> Vec<Vec<V>> {
    (0..n)
        .map(|i| {
            let mut r = city_row(&format!("批量单位{i}"), score);
            if Some(i) == bad {
                r[5] = V::N(150.0);
            }
            r
        })
        .collect()
}

fn write(dir: &Path, name: &str, rows: &[Vec<V>]) -> PathBuf {
    let p = dir.join(name);
    write_xlsx(&p, &HEADER, rows);
    p
}

/// A good file, one that cannot be read, one with an error, the first again (a duplicate
/// seen only once the first is stored), a sample return and a file replacing two of the
/// first file's returns: the batch gives the reports and the store of one by one, all or
/// nothing and partial alike.
#[test]
fn a_returns_batch_imports_each_file_as_one_by_one_would() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "第一批.xlsx", &rows(3, 90.0, None));
    let broken = dir.path().join("损坏.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not a workbook").unwrap();
    let bad = write(dir.path(), "有错.xlsx", &rows(5, 91.0, Some(2)));
    let replacing = write(dir.path(), "替换.xlsx", &rows(2, 92.5, None));
    let paths = [
        first.clone(),
        broken,
        bad,
        first,
        sample_returns()[0].clone(),
        replacing,
    ];
    for partial in [false, true] {
        let (_d1, mut one_by_one) = store_2026();
        let expected: Vec<FileReport> = paths
            .iter()
            .map(|p| import(&mut one_by_one, p, partial))
            .collect();
        let (_d2, mut batched) = store_2026();
        let returns = import::Returns::open(&batched, 2026, &[]).unwrap();
        let mut heard = Vec::new();
        let got = import::import_batch(&mut batched, &returns, &paths, &opts(partial), |p, _| {
            heard.push(p.to_path_buf())
        })
        .unwrap();
        assert_eq!(heard, paths, "each file heard once, in order");
        let statuses: Vec<FileStatus> = got.iter().map(|r| r.status).collect();
        let bad_file = if partial {
            FileStatus::Imported
        } else {
            FileStatus::Rejected
        };
        assert_eq!(
            statuses,
            [
                FileStatus::Imported,
                FileStatus::Rejected,
                bad_file,
                FileStatus::Duplicate,
                FileStatus::Imported,
                FileStatus::Imported
            ],
            "partial {partial}"
        );
        assert_same_reports(&got, &expected, &format!("partial {partial}"));
        assert_eq!(fingerprint(&batched), fingerprint(&one_by_one));
        let scores = |s: &mofan::store::Store| {
            current(s)
                .iter()
                .map(|r| (r.name.clone(), r.daily.clone(), r.sheet.clone(), r.row))
                .collect::<Vec<_>>()
        };
        assert_eq!(scores(&batched), scores(&one_by_one));
    }
}

/// A batch of more files than it reads at once (one reader per core, at most four): the
/// files are still stored, reported and heard in the order given. Each file gives the same
/// agencies other scores, so every one replaces the returns of the file stored before it,
/// and its warnings name that file: a file stored out of turn changes its report, the
/// stored scores and the store's history. One file has an error (refused whole), one comes
/// twice (the second time a duplicate).
#[test]
fn a_batch_of_more_files_than_readers_is_stored_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = (0..9)
        .map(|i| {
            let bad = (i == 4).then_some(1);
            write(
                dir.path(),
                &format!("第{i}批.xlsx"),
                &rows(3, 80.0 + i as f64, bad),
            )
        })
        .collect();
    paths.insert(6, paths[2].clone());
    let (_d1, mut one_by_one) = store_2026();
    let expected: Vec<FileReport> = paths
        .iter()
        .map(|p| import(&mut one_by_one, p, false))
        .collect();
    let (_d2, mut batched) = store_2026();
    let returns = import::Returns::open(&batched, 2026, &[]).unwrap();
    let mut heard = Vec::new();
    let got = import::import_batch(&mut batched, &returns, &paths, &opts(false), |p, _| {
        heard.push(p.to_path_buf())
    })
    .unwrap();
    assert_eq!(heard, paths, "each file heard once, in order");
    assert_same_reports(&got, &expected, "ten files");
    assert_eq!(got[4].status, FileStatus::Rejected);
    assert_eq!(got[6].status, FileStatus::Duplicate);
    assert_eq!(fingerprint(&batched), fingerprint(&one_by_one));
    let scores = |s: &mofan::store::Store| {
        current(s)
            .iter()
            .map(|r| (r.name.clone(), r.daily.clone(), r.file_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(scores(&batched), scores(&one_by_one));
}

/// A file of more records than one hand-over to the writer (and not a whole number of
/// them) is stored whole when clean, and, with an error in its last row, refused whole or
/// stored but for that row, the error placed on it.
#[test]
fn a_streamed_file_of_many_batches_is_stored_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    for n in [255, 256, 257, 600] {
        let clean = write(dir.path(), &format!("整批{n}.xlsx"), &rows(n, 88.0, None));
        let (_d, store, rep) = import_fresh(&clean);
        assert_eq!(
            (rep.status, rep.rows, rep.imported),
            (FileStatus::Imported, n, n),
            "{n}"
        );
        assert_eq!(current(&store).len(), n);

        let last_bad = write(
            dir.path(),
            &format!("末行错{n}.xlsx"),
            &rows(n, 88.0, Some(n - 1)),
        );
        let (_d, store, rep) = import_fresh(&last_bad);
        assert_eq!((rep.status, rep.imported), (FileStatus::Rejected, 0), "{n}");
        assert!(current(&store).is_empty());
        let (_d, mut store) = store_2026();
        let rep = import(&mut store, &last_bad, true);
        assert_eq!(
            (rep.status, rep.imported),
            (FileStatus::Imported, n - 1),
            "{n}"
        );
        assert_eq!(current(&store).len(), n - 1);
        let placed: Vec<_> = rep
            .errors
            .iter()
            .map(|e| (e.row, e.column.clone()))
            .collect();
        // Header on row 1: the last of n records is on row n + 1, its 日常考核 in F.
        assert_eq!(placed, [(Some(n as u32 + 1), Some("F".to_string()))], "{n}");
    }
}

/// An importer serves a whole batch, so the campaign's being open, checked when it was
/// opened, is checked again for each file inside its transaction: a campaign published
/// by another session after the first file refuses the next with the campaign's error,
/// and nothing of it is stored.
#[test]
fn a_campaign_published_during_a_batch_refuses_its_next_file() {
    use mofan::store::campaigns::{self, CampaignStatus};
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "第一批.xlsx", &rows(3, 90.0, None));
    let next = write(dir.path(), "第二批.xlsx", &rows(2, 91.0, None));
    let (_d, mut store) = store_2026();
    let returns = import::Returns::open(&store, 2026, &[]).unwrap();
    let rep = import::import_file(&mut store, &returns, &first, &opts(false)).unwrap();
    assert_eq!(rep.status, FileStatus::Imported);
    campaigns::set_status(store.conn(), 2026, CampaignStatus::Published, "2026-12-01").unwrap();
    let before = fingerprint(&store);
    for paths in [vec![next.clone()], vec![next.clone(), first.clone()]] {
        let e = import::import_batch(&mut store, &returns, &paths, &opts(false), |_, _| {})
            .unwrap_err();
        assert!(
            matches!(
                e,
                import::ImportError::Campaign(campaigns::Unavailable::Locked { year: 2026, .. })
            ),
            "{e:?}"
        );
        assert_eq!(fingerprint(&store), before);
    }
}

/// The evaluation importers make the same check for every file: a ballot or panel importer
/// opened while the campaign was open refuses a file once the campaign is published, and
/// stores nothing.
#[test]
fn ballot_and_panel_importers_opened_before_publishing_refuse_the_next_file() {
    use mofan::store::campaigns::{self, CampaignStatus};
    let dir = tempfile::tempdir().unwrap();
    let mut store = mofan::store::Store::open(&dir.path().join("mofan.db")).unwrap();
    let toml = std::fs::read_to_string(fixture("scheme.computed.toml")).unwrap();
    mofan::campaign::create(&mut store, 2026, Some(&toml), OPERATOR).unwrap();
    for path in sample_returns() {
        assert_eq!(
            import(&mut store, &path, false).status,
            FileStatus::Imported
        );
    }
    let panel = import::Panel::open(&store, 2026, "organisation").unwrap();
    let ballots = import::Ballots::open(&store, 2026, "public").unwrap();
    campaigns::set_status(store.conn(), 2026, CampaignStatus::Published, "2026-12-01").unwrap();
    let before = fingerprint(&store);
    let locked = |e: &import::ImportError| {
        matches!(
            e,
            import::ImportError::Campaign(campaigns::Unavailable::Locked { year: 2026, .. })
        )
    };
    let panel_file = fixture("panel/组织考评评分表.xlsx");
    let e = import::import_file(&mut store, &panel, &panel_file, &opts(false)).unwrap_err();
    assert!(locked(&e), "{e:?}");
    let ballot_file = fixture("ballots/计票汇总表.xlsx");
    let e = import::import_file(&mut store, &ballots, &ballot_file, &opts(false)).unwrap_err();
    assert!(locked(&e), "{e:?}");
    assert_eq!(fingerprint(&store), before);
}
