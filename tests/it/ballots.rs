//! Satisfaction ballots (docs/specification.md §8): the sample survey export and paper
//! tally of tests/fixtures/ballots/ imported over the sample returns and listed with their
//! scores; bad files leaving the database as it was, with each error at its cell; the
//! same file twice; a withdrawn file; a partial import; the error workbook; and the
//! command line's refusals.
//!
//! The campaign's stored scheme is the default one, whose components all come from
//! returns, so the importer and the list are given the same scheme with 群众测评
//! (`public`) computed from ballots.

use std::path::{Path, PathBuf};

use mofan::import::ballots::{self, UnitBallots};
use mofan::import::units::CampaignUnits;
use mofan::import::{self, Ballots, FileReport, FileStatus};
use mofan::scheme::{ComponentSource, Scheme};
use mofan::store::Store;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::common::*;

/// The default scheme with 群众测评 computed from ballots, `min_return_rate` as given.
fn scheme(min_return_rate: &str) -> Scheme {
    let mut s = Scheme::default_scheme();
    s.components
        .iter_mut()
        .find(|c| c.key == "public")
        .unwrap()
        .source = ComponentSource::Ballots;
    s.ballots.min_return_rate = min_return_rate.parse().unwrap();
    s
}

/// A 2026 campaign holding the four sample returns.
fn with_samples() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = store_2026();
    for path in sample_returns() {
        let rep = import(&mut store, &path, false);
        assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    }
    (dir, store)
}

fn importer(store: &Store, s: &Scheme) -> Ballots {
    let units = CampaignUnits::load(store.conn(), 2026).unwrap();
    Ballots::new(s.clone(), 2026, "public", units).unwrap()
}

fn import_ballots(store: &mut Store, s: &Scheme, path: &Path, partial: bool) -> FileReport {
    let b = importer(store, s);
    import::import_file(store, &b, path, &opts(partial)).unwrap()
}

fn list(store: &Store, s: &Scheme) -> Vec<UnitBallots> {
    let mut all = mofan::evaluate::ballots::list_with_scheme(store.conn(), 2026, s).unwrap();
    assert_eq!(all.len(), 1, "one ballots component");
    all.remove(0).units
}

fn unit<'a>(units: &'a [UnitBallots], name: &str) -> &'a UnitBallots {
    units
        .iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no unit {name}"))
}

/// Counts, valid answers, turnout, score and reason of one unit, as the JSON shows them.
fn shown(units: &[UnitBallots], name: &str) -> Value {
    let v = serde_json::to_value(unit(units, name)).unwrap();
    json!({
        "counts": v["counts"],
        "not_counted": v["not_counted"],
        "valid": v["valid"],
        "issued": v["issued"],
        "returned": v["returned"],
        "score": v["score"],
        "reason": v["reason"],
    })
}

fn sample(name: &str) -> PathBuf {
    fixture(&format!("ballots/{name}"))
}

const SURVEY: &str = "问卷星_群众满意度测评.xlsx";
const TALLY: &str = "计票汇总表.xlsx";

fn ballot_rows(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT COUNT(*) FROM ballot_counts", [], |r| r.get(0))
        .unwrap()
}

fn last_audit(store: &Store) -> (String, Value) {
    let (action, details): (String, String) = store
        .conn()
        .query_row(
            "SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    (action, serde_json::from_str(&details).unwrap())
}

#[test]
fn the_sample_survey_and_tally_are_pooled_and_scored() {
    let (_dir, mut store) = with_samples();
    let s = scheme("0.8");

    let survey = import_ballots(&mut store, &s, &sample(SURVEY), false);
    assert_eq!(survey.status, FileStatus::Imported, "{:?}", survey.errors);
    assert_eq!(
        (survey.rows, survey.imported),
        (60, 8),
        "60 respondents, 8 units"
    );
    assert!(survey.warnings.is_empty(), "{:?}", survey.warnings);
    let (action, details) = last_audit(&store);
    assert_eq!(action, "ballots.import");
    assert_eq!(details["component"], "public");
    assert_eq!(details["units"], 8);
    assert_eq!(
        serde_json::to_string(&details["counts"]).unwrap(),
        r#"{"满意":258,"基本满意":106,"一般":25,"不满意":18,"不了解":60}"#,
        "every answer of the file, in the scheme's order"
    );

    let tally = import_ballots(&mut store, &s, &sample(TALLY), false);
    assert_eq!(tally.status, FileStatus::Imported, "{:?}", tally.errors);
    assert_eq!(
        (tally.sheet.as_deref(), tally.header_row),
        (Some("计票汇总"), Some(3))
    );
    assert_eq!((tally.rows, tally.imported), (5, 5));

    let units = list(&store, &s);
    assert_eq!(
        units.len(),
        current(&store).len(),
        "every unit of the campaign is listed"
    );
    assert_eq!(units.len(), 72);
    // 民政局: both files pooled; (67×100 + 21×80 + 8×60 + 4×0) ÷ 100 = 88.6.
    assert_eq!(
        shown(&units, "广州市民政局"),
        json!({"counts": {"满意": 67, "基本满意": 21, "一般": 8, "不满意": 4},
               "not_counted": 5, "valid": 100, "issued": 50, "returned": 46,
               "score": 88.6, "reason": null})
    );
    assert_eq!(
        unit(&units, "广州市民政局").result.explanation.as_deref(),
        Some("群众测评88.60分 = (满意67×100 + 基本满意21×80 + 一般8×60 + 不满意4×0) ÷ 100张有效票")
    );
    // 9360 ÷ 103 = 90.873… → 90.87.
    assert_eq!(
        unit(&units, "广州市财政局").result.score,
        Some(Decimal::new(9087, 2))
    );
    // Exactly 30 valid answers: scored, (25×100 + 5×80) ÷ 30 = 96.666… → 96.67.
    assert_eq!(shown(&units, "广州市总工会")["score"], json!(96.67));
    // Few respondents know 统计局.
    assert_eq!(
        shown(&units, "广州市统计局")["reason"],
        "群众测评有效票不足30张（实有16张）"
    );
    // 28 of 40 returned, and 27 valid.
    assert_eq!(
        shown(&units, "广州市应急管理局")["reason"],
        "群众测评有效票不足30张（实有27张）；群众测评回收率70.00%，低于80.00%"
    );
    assert_eq!(
        shown(&units, "广州市人民法院")["reason"],
        "群众测评没有测评票"
    );
    // (27×100 + 8×80 + 1×60 + 1×0) ÷ 37 = 91.891… → 91.89; 95% returned.
    assert_eq!(
        shown(&list(&store, &scheme("0")), "广州市人民检察院")["score"],
        json!(91.89)
    );

    // The same file again changes nothing.
    let before = (fingerprint(&store), ballot_rows(&store));
    let again = import_ballots(&mut store, &s, &sample(SURVEY), false);
    assert_eq!(again.status, FileStatus::Duplicate);
    assert!(
        again.warnings[0].contains("该测评票文件已于"),
        "{:?}",
        again.warnings
    );
    assert_eq!((fingerprint(&store), ballot_rows(&store)), before);

    // Withdrawn, the tally no longer counts; its audit event names the file.
    let w = ballots::withdraw(&mut store, 2026, TALLY, OPERATOR).unwrap();
    assert_eq!((w.file.as_str(), w.withdrawn, w.restored), (TALLY, 5, 0));
    let (action, details) = last_audit(&store);
    assert_eq!(
        (action.as_str(), &details["file"]),
        ("ballots.withdraw", &json!(TALLY))
    );
    let units = list(&store, &s);
    assert_eq!(
        shown(&units, "广州市民政局"),
        json!({"counts": {"满意": 37, "基本满意": 11, "一般": 5, "不满意": 3},
               "not_counted": 3, "valid": 56, "issued": null, "returned": null,
               "score": 87.14, "reason": null})
    );
    assert_eq!(
        shown(&units, "广州市总工会")["reason"],
        "群众测评没有测评票"
    );
    // The returns' withdrawal does not reach ballot files, and a withdrawn file is gone.
    assert!(import::withdraw(&mut store, 2026, SURVEY, OPERATOR).is_err());
    assert!(ballots::withdraw(&mut store, 2026, TALLY, OPERATOR).is_err());
    // Imported again after its withdrawal, it counts again.
    let back = import_ballots(&mut store, &s, &sample(TALLY), false);
    assert_eq!(back.status, FileStatus::Imported);
    assert_eq!(shown(&list(&store, &s), "广州市民政局")["valid"], 100);

    // A draft campaign is deleted with its ballots.
    mofan::campaign::delete(&mut store, 2026, OPERATOR).unwrap();
    assert_eq!(ballot_rows(&store), 0);
}

/// Writes a one-sheet workbook (sheet "申报") of text cells; "" is blank and a cell
/// starting with '#' is the number after it.
fn workbook(dir: &Path, name: &str, header: &[&str], rows: &[&[&str]]) -> PathBuf {
    let path = dir.join(name);
    let rows: Vec<Vec<V>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c.strip_prefix('#') {
                    Some(n) => V::N(n.parse().unwrap()),
                    None if c.is_empty() => V::E,
                    None => V::T(c.to_string()),
                })
                .collect()
        })
        .collect();
    write_xlsx(&path, header, &rows);
    path
}

const STEM: &str = "2、请您对以下单位的工作作出评价—";

#[test]
fn bad_files_change_nothing_and_place_each_error() {
    let (dir, mut store) = with_samples();
    let s = scheme("0");
    let min = |u: &str| format!("{STEM}{u}");
    let survey_header = [
        "序号",
        "提交答卷时间",
        &min("广州市民政局"),
        &min("广州市财政局"),
    ];
    let tally_header = ["被测评单位", "发放", "回收", "满意", "基本满意", "不满意"];
    // (file, header, rows, (row, column, value, message))
    type Case<'a> = (
        &'a str,
        Vec<&'a str>,
        Vec<&'a [&'a str]>,
        (Option<u32>, Option<&'a str>, Option<&'a str>, &'a str),
    );
    let miss_header = min("广州市民政厅");
    let finance = min("广州市财政局");
    let cases: Vec<Case> = vec![
        (
            "unknown_word.xlsx",
            survey_header.to_vec(),
            vec![
                &["#1", "2026/11/2", "满意", "满意"],
                &["#2", "2026/11/2", "很满意", "满意"],
            ],
            (
                Some(3),
                Some("C"),
                Some("很满意"),
                "“很满意”不是测评选项，可填：满意、基本满意、一般、不满意",
            ),
        ),
        (
            "unknown_unit.xlsx",
            vec!["序号", "来自IP", &miss_header, &finance],
            vec![&["#1", "1.2.3.4", "满意", "满意"]],
            (
                Some(1),
                Some("C"),
                Some(miss_header.as_str()),
                "“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局",
            ),
        ),
        (
            "returned_over_issued.xlsx",
            tally_header.to_vec(),
            vec![&["广州市民政局", "#40", "#41", "#30", "#5", "#1"]],
            (
                Some(2),
                Some("C"),
                Some("41"),
                "回收票数（41）多于发放票数（40）",
            ),
        ),
        (
            "negative.xlsx",
            tally_header.to_vec(),
            vec![&["广州市民政局", "#40", "#38", "#-1", "#5", "#1"]],
            (Some(2), Some("D"), Some("-1"), "不能为负数"),
        ),
        (
            "fraction.xlsx",
            tally_header.to_vec(),
            vec![&["广州市民政局", "#40", "#38", "#30", "#1.5", "#1"]],
            (Some(2), Some("E"), Some("1.5"), "应为整数"),
        ),
        (
            "unknown_unit_row.xlsx",
            tally_header.to_vec(),
            vec![&["广州市民政厅", "#40", "#38", "#30", "#5", "#1"]],
            (
                Some(2),
                Some("A"),
                Some("广州市民政厅"),
                "“广州市民政厅”不是本年度的参评单位",
            ),
        ),
    ];
    for (name, header, rows, (row, column, value, message)) in cases {
        let before = (fingerprint(&store), ballot_rows(&store));
        let path = workbook(dir.path(), name, &header, &rows);
        let rep = import_ballots(&mut store, &s, &path, false);
        assert_eq!(rep.status, FileStatus::Rejected, "{name}");
        assert_eq!((fingerprint(&store), ballot_rows(&store)), before, "{name}");
        let e = &rep.errors[0];
        assert_eq!(
            (
                e.sheet.as_deref(),
                e.row,
                e.column.as_deref(),
                e.value.as_deref()
            ),
            (Some("申报"), row, column, value),
            "{name}: {:?}",
            rep.errors
        );
        assert!(e.message.contains(message), "{name}: {}", e.message);
        // The error workbook holds the file's problems.
        let book = dir.path().join(format!("错误报告_{name}"));
        import::error_book::write(&book, &[(path.clone(), &rep)]).unwrap();
        assert!(book.metadata().unwrap().len() > 0, "{name}");
    }
}

#[test]
fn a_partial_import_leaves_out_the_rows_with_errors() {
    let (dir, mut store) = with_samples();
    let s = scheme("0");
    let header = [
        "序号",
        &*format!("{STEM}广州市民政局"),
        &*format!("{STEM}广州市财政局"),
    ];
    let path = workbook(
        dir.path(),
        "partial.xlsx",
        &header,
        &[
            &["#1", "满意", "一般"],
            &["#2", "满意", "好"],
            &["#3", "不满意", "(跳过)"],
        ],
    );
    let whole = import_ballots(&mut store, &s, &path, false);
    assert_eq!(whole.status, FileStatus::Rejected);
    let rep = import_ballots(&mut store, &s, &path, true);
    assert_eq!(rep.status, FileStatus::Imported);
    assert_eq!((rep.rows, rep.imported, rep.errors.len()), (3, 2, 1));
    assert_eq!(rep.errors[0].row, Some(3));
    let units = list(&store, &s);
    assert_eq!(
        shown(&units, "广州市民政局")["counts"],
        json!({"满意": 1, "基本满意": 0, "一般": 0, "不满意": 1})
    );
    assert_eq!(
        shown(&units, "广州市财政局")["counts"],
        json!({"满意": 0, "基本满意": 0, "一般": 1, "不满意": 0})
    );
    let status: String = store
        .conn()
        .query_row(
            "SELECT status FROM imported_files WHERE kind = 'ballots'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "partial");
}

#[test]
fn the_command_line_refuses_what_it_cannot_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_2026(dir.path().join("mofan.db"));
    let survey = sample(SURVEY);
    let survey = survey.to_str().unwrap();
    // (arguments, the message on stderr)
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "ballots",
                "import",
                "--campaign",
                "2026",
                "--component",
                "public",
                survey,
            ],
            "考核项“public”（群众测评）的分数来源是申报表，不是测评票",
        ),
        (
            vec![
                "ballots",
                "import",
                "--campaign",
                "2026",
                "--component",
                "x",
                survey,
            ],
            "评选方案中没有键为“x”的考核项",
        ),
        (
            vec![
                "ballots",
                "import",
                "--campaign",
                "2031",
                "--component",
                "public",
                survey,
            ],
            "2031",
        ),
        (vec!["ballots", "list", "--campaign", "2031"], "2031"),
        (
            vec!["ballots", "withdraw", "--campaign", "2026", "nothing.xlsx"],
            "2026年度没有找到要撤回的文件“nothing.xlsx”",
        ),
    ];
    for (args, message) in cases {
        let o = mofan(&db, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            text(&o.stderr).contains(message),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    // Usage errors exit 2.
    let o = mofan(&db, &["ballots", "import", "--campaign", "2026", survey]);
    assert_eq!(o.status.code(), Some(2));
    // Without a ballots component the list is empty.
    assert_eq!(
        stdout_json(&mofan(
            &db,
            &["ballots", "list", "--campaign", "2026", "--json"]
        )),
        json!([])
    );
    let o = ok(mofan(&db, &["ballots", "list", "--campaign", "2026"]));
    assert!(
        text(&o.stdout).contains("没有分数来源为测评票"),
        "{}",
        text(&o.stdout)
    );
}

/// A batch (`import::import_batch`, what `mofan ballots import` runs: the next file read
/// while one is stored) gives each file the report and the store the counts that importing
/// the files one by one gives: a good file, one that cannot be read, a file with an error,
/// the first file again (a duplicate, seen only once the first is stored) and a second
/// good file; a failing file stops nothing after it.
#[test]
fn a_batch_imports_each_file_as_one_by_one_would() {
    let (dir, _) = with_samples();
    let s = scheme("0");
    let broken = dir.path().join("损坏.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not a workbook").unwrap();
    let bad = workbook(
        dir.path(),
        "有错.xlsx",
        &["单位名称", "满意", "不满意"],
        &[&["广州市民政局", "#3", "105人"]],
    );
    let paths = [sample(TALLY), broken, bad, sample(TALLY), sample(SURVEY)];

    let (_d1, mut one_by_one) = with_samples();
    let expected: Vec<FileReport> = paths
        .iter()
        .map(|p| import_ballots(&mut one_by_one, &s, p, false))
        .collect();
    let (_d2, mut batched) = with_samples();
    let b = importer(&batched, &s);
    let mut heard = Vec::new();
    let got = import::import_batch(&mut batched, &b, &paths, &opts(false), |p, r| {
        heard.push((p.to_path_buf(), r.status))
    })
    .unwrap();

    let statuses: Vec<FileStatus> = got.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            FileStatus::Imported,
            FileStatus::Rejected,
            FileStatus::Rejected,
            FileStatus::Duplicate,
            FileStatus::Imported
        ]
    );
    let heard_paths: Vec<PathBuf> = heard.iter().map(|(p, _)| p.clone()).collect();
    assert_eq!(heard_paths, paths, "each file heard once, in order");
    assert_same_reports(&got, &expected, "ballots batch");
    assert_eq!(ballot_rows(&batched), ballot_rows(&one_by_one));
    let (a, b) = (list(&batched, &s), list(&one_by_one, &s));
    let scores = |l: &[UnitBallots]| serde_json::to_value(l).unwrap();
    assert_eq!(scores(&a), scores(&b));
}
