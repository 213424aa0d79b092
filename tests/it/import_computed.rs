//! Returns under a scheme with computed components (docs/specification.md §4, §8): the
//! column of a component scored from ballots or the panel's sheets is neither required
//! nor read, and a return that has one gets one warning per file naming it.

use std::path::Path;

use crate::common::*;
use mofan::campaign;
use mofan::import::{self, FileStatus};
use mofan::scheme::Scheme;
use mofan::store::Store;
use rust_xlsxwriter::Workbook;

/// The example scheme with 组织考评 from the panel and 群众测评 from ballots.
fn computed_scheme() -> String {
    std::fs::read_to_string(fixture("scheme.computed.toml")).unwrap()
}

/// A database with the 2026 campaign under `scheme`.
fn store_with(dir: &Path, scheme: &str) -> Store {
    let mut store = Store::open(&dir.join("mofan.db")).unwrap();
    campaign::create(&mut store, 2026, Some(scheme), OPERATOR).unwrap();
    store
}

/// One sheet of a generated workbook: its name, header and rows.
type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<V>>);

/// Writes a workbook of one sheet per `(name, header, rows)`.
fn write_sheets(path: &Path, sheets: &[Sheet<'_>]) {
    let mut wb = Workbook::new();
    for (name, header, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match v {
                    V::S(s) => ws.write_string(r, c, *s).map(|_| ()).unwrap(),
                    V::T(s) => ws.write_string(r, c, s).map(|_| ()).unwrap(),
                    V::N(n) => ws.write_number(r, c, *n).map(|_| ()).unwrap(),
                    V::E => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// The standard header and row without the columns at `drop` (indices of [`HEADER`]).
fn without(drop: &[usize], name: &str, score: f64) -> (Vec<&'static str>, Vec<V>) {
    let keep = |i: &usize| !drop.contains(i);
    let header = (0..HEADER.len()).filter(keep).map(|i| HEADER[i]).collect();
    let row = city_row(name, score);
    let row = (0..row.len())
        .filter(keep)
        .map(|i| row[i].clone())
        .collect();
    (header, row)
}

const ORGANISATION: usize = 8;
const PUBLIC: usize = 9;

fn import_into(store: &mut Store, path: &Path) -> import::FileReport {
    let returns = import::Returns::open(store, 2026, &[]).unwrap();
    import::import_file(store, &returns, path, &opts(false)).unwrap()
}

#[test]
fn a_computed_column_is_not_read_and_warned_about_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), &computed_scheme());
    let path = dir.path().join("两个工作表.xlsx");
    // Two sheets, both with the computed columns; in the second they hold what would be
    // errors in a column that is read (a word, 105).
    let mut bad = city_row("测试市乙局", 91.0);
    bad[ORGANISATION] = V::S("优秀");
    bad[PUBLIC] = V::N(105.0);
    write_sheets(
        &path,
        &[
            ("一", &HEADER, vec![city_row("测试市甲局", 90.0)]),
            ("二", &HEADER, vec![bad]),
        ],
    );
    let rep = import_into(&mut store, &path);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep.errors.is_empty(), "{:?}", rep.errors);
    assert_eq!(rep.imported, 2);
    let computed: Vec<&str> = rep
        .warnings
        .iter()
        .map(String::as_str)
        .filter(|w| w.contains("列不导入"))
        .collect();
    assert_eq!(
        computed,
        [
            "“组织考评”列不导入：该项由评委打分计算",
            "“群众测评”列不导入：该项由测评票计算",
        ]
    );
    // No value is stored for either: the selection sees them as not from the return.
    let rows = current(&store);
    for name in ["测试市甲局", "测试市乙局"] {
        let r = by_name(&rows, name);
        assert_eq!(
            (comp(r, "organisation"), comp(r, "public")),
            (String::new(), String::new())
        );
        assert_ne!(comp(r, "self"), "");
        assert_ne!(comp(r, "third_party"), "");
    }
    assert_eq!(comp(by_name(&rows, "测试市甲局"), "peer"), "90");
}

#[test]
fn a_return_without_the_computed_columns_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), &computed_scheme());
    let path = dir.path().join("无测评列.xlsx");
    let (header, row) = without(&[ORGANISATION, PUBLIC], "测试市丙局", 88.5);
    write_xlsx(&path, &header, &[row]);
    let rep = import_into(&mut store, &path);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep.errors.is_empty());
    assert!(
        rep.warnings.iter().all(|w| !w.contains("列不导入")),
        "{:?}",
        rep.warnings
    );
    let rows = current(&store);
    assert_eq!(comp(by_name(&rows, "测试市丙局"), "self"), "88.5");

    // The same file under the default scheme, where both come from the return, lacks two
    // required columns.
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), mofan::scheme::DEFAULT_TOML);
    let rep = import_into(&mut store, &path);
    assert_eq!(rep.status, FileStatus::Rejected);
    let message = &rep.errors[0].message;
    assert!(
        message.contains("组织考评") && message.contains("群众测评"),
        "{message}"
    );
}

#[test]
fn a_computed_column_under_another_name_is_named_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with(dir.path(), &computed_scheme());
    let path = dir.path().join("别名.xlsx");
    let (mut header, row) = without(&[ORGANISATION], "测试市丁局", 92.0);
    let public = header.iter().position(|h| *h == "群众测评").unwrap();
    header[public] = "群众满意度";
    write_xlsx(&path, &header, &[row]);
    let rep = import_into(&mut store, &path);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    let computed: Vec<&String> = rep
        .warnings
        .iter()
        .filter(|w| w.contains("列不导入"))
        .collect();
    assert_eq!(computed, ["“群众满意度”列不导入：群众测评由测评票计算"]);
    // A computed component is still a component of the scheme: its column is known, not
    // reported among the columns that name nothing.
    assert!(
        rep.warnings.iter().all(|w| !w.contains("未识别的列")),
        "{:?}",
        rep.warnings
    );
    let scheme = Scheme::parse(&computed_scheme()).unwrap();
    assert_eq!(scheme.computed_components().count(), 2);
}
