//! The signed-sheet workbooks (docs/specification.md §6, §8): the 测评汇总表 and the
//! 评委评分汇总表 of the sample ballots and panel sheet over the sample returns, under
//! `tests/fixtures/scheme.computed.toml`: golden files of their XML parts, the values
//! read back, the result workbook's 说明 listing the ballots and panel files by kind,
//! and `mofan ballots list --out` / `mofan panel list --out`.
//!
//! The golden references live in `tests/fixtures/golden/ballot_book/` and
//! `tests/fixtures/golden/panel_book/`. After a deliberate change, regenerate them with
//!
//!     MOFAN_BLESS=1 cargo test --test it evaluation_books::
//!
//! and review the diff before committing.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use mofan::export::evaluations::{self, BookError, BookKind};
use mofan::import::{self, Ballots, FileStatus, Panel};
use mofan::store::Store;
use mofan::Coded;

use crate::common::{fixture, mofan, opts, sample_returns, text, OPERATOR};
use crate::golden::{check_workbook, unzip};

const GENERATED: &str = "2026-12-01T10:00:00+08:00";

/// The 2026 campaign under the computed scheme with the sample returns, the panel sheet
/// and both ballot files.
fn year_with_evaluations(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("mofan.db")).unwrap();
    let toml = std::fs::read_to_string(fixture("scheme.computed.toml")).unwrap();
    mofan::campaign::create(&mut store, 2026, Some(&toml), OPERATOR).unwrap();
    for path in sample_returns() {
        let rep = crate::common::import(&mut store, &path, false);
        assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    }
    let panel = Panel::open(&store, 2026, "organisation").unwrap();
    let rep = import::import_file(
        &mut store,
        &panel,
        &fixture("panel/组织考评评分表.xlsx"),
        &opts(false),
    )
    .unwrap();
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    for f in ["问卷星_群众满意度测评.xlsx", "计票汇总表.xlsx"] {
        let b = Ballots::open(&store, 2026, "public").unwrap();
        let rep = import::import_file(
            &mut store,
            &b,
            &fixture(&format!("ballots/{f}")),
            &opts(false),
        )
        .unwrap();
        assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    }
    store
}

fn book_bytes(kind: BookKind) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let store = year_with_evaluations(dir.path());
    let book = evaluations::from_store(store.conn(), 2026, kind, GENERATED).unwrap();
    evaluations::build(&book).unwrap().save_to_buffer().unwrap()
}

fn golden(kind: BookKind, dir_name: &str) {
    check_workbook(dir_name, &book_bytes(kind));
}

#[test]
fn the_ballot_book_matches_its_golden_files() {
    golden(BookKind::Ballots, "ballot_book");
}

#[test]
fn the_panel_book_matches_its_golden_files() {
    golden(BookKind::Panel, "panel_book");
}

fn rows_of(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    wb.worksheet_range(sheet)
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

fn s(c: &Data) -> String {
    match c {
        Data::String(t) => t.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// The row whose 单位名称 (column B) is `name`.
fn unit_row<'a>(rows: &'a [Vec<Data>], name: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| r.get(1).is_some_and(|c| s(c) == name))
        .unwrap_or_else(|| panic!("no row of {name}"))
}

fn header(rows: &[Vec<Data>]) -> &[Data] {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| s(c) == "序号"))
        .expect("a header row")
}

#[test]
fn the_ballot_book_shows_counts_rate_score_reason_totals_and_signatures() {
    let rows = rows_of(book_bytes(BookKind::Ballots), "群众测评");
    assert_eq!(s(&rows[0][0]), "2026年度模范机关评选 群众测评测评汇总表");
    let flat: Vec<String> = rows.iter().flatten().map(s).collect();
    assert!(flat
        .iter()
        .any(|t| t.starts_with("由测评票计算：满意100分")));
    assert!(flat
        .iter()
        .any(|t| t.starts_with("问卷星_群众满意度测评.xlsx\nSHA-256 ")));
    let h: Vec<String> = header(&rows).iter().map(s).collect();
    let at = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .unwrap_or_else(|| panic!("{name}: {h:?}"))
    };
    let choices: Vec<&str> = h[3..at("有效票") - 1].iter().map(String::as_str).collect();
    assert_eq!(
        choices,
        ["满意", "比较满意", "基本满意", "一般", "不满意"],
        "scheme order"
    );
    assert_eq!(h[at("有效票") - 1], "不计入（不了解、不清楚）");
    // 应急管理局: 28 of 40 returned.
    let u = unit_row(&rows, "广州市应急管理局");
    assert_eq!(
        [
            at("有效票"),
            at("发放"),
            at("回收"),
            at("回收率"),
            at("得分")
        ]
        .map(|i| s(&u[i])),
        ["27", "40", "28", "0.7", "91.48"]
    );
    let u = unit_row(&rows, "广州市人民法院");
    assert_eq!(s(&u[at("缺分原因")]), "群众测评没有测评票");
    assert_eq!(s(&u[at("得分")]), "");
    let total = rows
        .iter()
        .find(|r| s(&r[0]) == "合计")
        .expect("a totals row");
    let units = rows
        .iter()
        .filter(|r| matches!(r.first(), Some(Data::Float(_))))
        .count();
    assert_eq!(units, 72, "every unit of the campaign");
    let sum = |col: usize| -> f64 {
        rows.iter()
            .filter(|r| matches!(r.first(), Some(Data::Float(_))))
            .map(|r| match r[col] {
                Data::Float(f) => f,
                _ => 0.0,
            })
            .sum()
    };
    for name in ["满意", "有效票", "发放", "回收"] {
        assert_eq!(s(&total[at(name)]), sum(at(name)).to_string(), "{name}");
    }
    for sign in ["测评组织单位（盖章）：", "统计人：", "监督人：", "日期："] {
        assert!(flat.iter().any(|t| t == sign), "{sign}");
    }
}

#[test]
fn the_panel_book_strikes_the_dropped_scores_and_names_them() {
    let bytes = book_bytes(BookKind::Panel);
    let rows = rows_of(bytes.clone(), "组织考评");
    let h: Vec<String> = header(&rows).iter().map(s).collect();
    let judges: Vec<&str> = h[3..10].iter().map(String::as_str).collect();
    assert_eq!(
        judges,
        ["评委1", "评委2", "评委3", "评委4", "评委5", "评委6", "评委7"]
    );
    assert_eq!(&h[10..], ["有效评分数", "去掉的分数", "得分", "缺分原因"]);
    let u = unit_row(&rows, "广州市人民检察院");
    assert_eq!(
        u[3..14].iter().map(s).collect::<Vec<_>>(),
        [
            "92",
            "96",
            "90",
            "83",
            "91",
            "92.5",
            "90.75",
            "7",
            "去掉最高分：评委2 96、评委6 92.5；最低分：评委4 83、评委3 90",
            "91.25",
            ""
        ]
    );
    let u = unit_row(&rows, "广州市财政局");
    assert_eq!(s(&u[5]), "回避");
    assert_eq!(s(&u[13]), "组织考评有效评分不足7人（实有6人）");
    let flat: Vec<String> = rows.iter().flatten().map(s).collect();
    for sign in [
        "评委签字：评委1：",
        "评委签字：评委7：",
        "监督人：",
        "日期：",
    ] {
        assert!(flat.iter().any(|t| t == sign), "{sign}");
    }
    // Exactly the dropped scores are struck through: 4 of each of the 9 scored units.
    let parts = unzip(&bytes);
    let styles = String::from_utf8(parts["xl/styles.xml"].clone()).unwrap();
    assert!(styles.contains("<strike/>"));
    let sheet = String::from_utf8(parts["xl/worksheets/sheet1.xml"].clone()).unwrap();
    let struck_styles = struck_xf(&styles);
    let struck = sheet
        .split("<c ")
        .filter(|c| {
            c.split_once(" s=\"")
                .and_then(|(_, rest)| rest.split('"').next())
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| struck_styles.contains(&n))
        })
        .count();
    assert_eq!(struck, 9 * 4);
}

/// The indices of the cell formats whose font is struck through.
fn struck_xf(styles: &str) -> Vec<usize> {
    let fonts = styles
        .split("<fonts")
        .nth(1)
        .unwrap()
        .split("</fonts>")
        .next()
        .unwrap();
    let struck_fonts: Vec<usize> = fonts
        .split("<font>")
        .skip(1)
        .enumerate()
        .filter(|(_, f)| f.contains("<strike/>"))
        .map(|(i, _)| i)
        .collect();
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap();
    xfs.split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, x)| {
            x.split_once("fontId=\"")
                .and_then(|(_, r)| r.split('"').next())
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|f| struck_fonts.contains(&f))
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn the_result_book_lists_ballot_and_panel_files_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let store = year_with_evaluations(dir.path());
    let c = mofan::store::campaigns::require(store.conn(), 2026).unwrap();
    let scheme = mofan::scheme::Scheme::parse(&c.scheme_toml).unwrap();
    let sel = mofan::select::Selection::empty(2026);
    let book =
        mofan::export::results::ResultBook::from_store(&store, 2026, &scheme, &sel, GENERATED)
            .unwrap();
    let lines: Vec<String> = book
        .files
        .iter()
        .map(|f| format!("{:?} {} {}", f.kind, f.name, f.rows))
        .collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert!(
        lines[..4].iter().all(|l| l.starts_with("Returns ")),
        "{lines:?}"
    );
    assert_eq!(
        lines[4..],
        [
            // Components in scheme order: 组织考评 comes before 群众测评.
            "Panel { component: \"组织考评\", recused: 1 } 组织考评评分表.xlsx 69",
            "Ballots { component: \"群众测评\", votes: 467 } 问卷星_群众满意度测评.xlsx 8",
            "Ballots { component: \"群众测评\", votes: 190 } 计票汇总表.xlsx 5",
        ]
    );
}

#[test]
fn list_out_writes_the_books_and_refuses_a_scheme_without_the_source() {
    let dir = tempfile::tempdir().unwrap();
    drop(year_with_evaluations(dir.path()));
    let db = dir.path().join("mofan.db");
    for (cmd, file, title) in [
        ("ballots", "测评汇总.xlsx", "测评汇总表"),
        ("panel", "评委评分汇总.xlsx", "评委评分汇总表"),
    ] {
        let out = dir.path().join(file);
        let r = mofan(
            &db,
            &[
                cmd,
                "list",
                "--campaign",
                "2026",
                "--json",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(r.status.success(), "{}", text(&r.stderr));
        assert!(text(&r.stderr).contains(&format!("{title}已写入")));
        assert!(crate::common::stdout_json(&r).is_array());
        let wb: Xlsx<_> = calamine::open_workbook(&out).unwrap();
        assert_eq!(wb.sheet_names().len(), 1);
    }

    // The default scheme computes nothing: exit 1, nothing written, the error names it.
    let plain = crate::common::db_2026(dir.path().join("plain.db"));
    let out = dir.path().join("无.xlsx");
    let r = mofan(
        &plain,
        &[
            "panel",
            "list",
            "--campaign",
            "2026",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stderr).contains(
            "没有分数来源为评委打分（source = \"panel\"）的考核项，无法生成评委评分汇总表"
        ),
        "{}",
        text(&r.stderr)
    );
    assert!(!out.exists());
    let store = Store::open(&plain).unwrap();
    let e = evaluations::from_store(store.conn(), 2026, BookKind::Ballots, GENERATED).unwrap_err();
    assert!(matches!(e, BookError::NoComponent { year: 2026, .. }));
    assert_eq!(e.code(), "export.no_component");
    let e = evaluations::from_store(store.conn(), 2031, BookKind::Ballots, GENERATED).unwrap_err();
    assert_eq!(e.code(), "campaign.not_found");
}
