//! The four real-world layouts of the sample returns (tests/fixtures/samples) import
//! with the expected rows and values.

use crate::common::*;
use mofan::import::FileStatus;
use mofan::store::returns;
use serde_json::Value;

fn veto(r: &returns::ReturnRow, key: &str) -> bool {
    let v: Value = serde_json::from_str(&r.vetoes).unwrap();
    v[key].as_bool().unwrap()
}

#[test]
fn city_summary_with_title_rows_and_two_row_header() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("samples/00_广州市.xlsx"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported, rep.header_row), (27, 27, Some(3)));
    let rows = current(&store);
    let r = by_name(&rows, "广州市人民检察院");
    assert_eq!((r.sheet.as_str(), r.row), ("申报汇总", 5));
    assert_eq!(r.uscc.as_deref(), Some("11440100848834635E"));
    assert_eq!(
        (r.tier.as_str(), r.region.as_deref()),
        ("city", Some("广州市"))
    );
    assert_eq!(r.daily.as_deref(), Some("95.4"));
    assert_eq!(comp(r, "self"), "95.24");
    assert_eq!(comp(r, "public"), "95.95");
    assert_eq!(
        (r.complaints, r.problems_total, r.problems_fixed),
        (Some(1), Some(8), Some(6))
    );
    let last = by_name(&rows, "中共广州市直属机关工作委员会");
    assert_eq!(last.row, 31);
    assert!(
        rep.warnings.iter().any(|w| w.contains("序号")),
        "{:?}",
        rep.warnings
    );
}

#[test]
fn shuffled_columns_fraction_percentages_and_a_note_sheet() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("samples/01_广州市海珠区.xlsx"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported), (18, 18));
    assert_eq!(rep.sheet.as_deref(), Some("Sheet1"));
    assert!(rep
        .warnings
        .iter()
        .any(|w| w.contains("填表说明") && w.contains("跳过")));
    // 群众测评得分 holds fractions formatted 0.00% (93.20% shown): percentages by their
    // format, so no column had to be guessed at and scaled with a warning.
    assert!(
        !rep.warnings.iter().any(|w| w.contains("乘以100")),
        "{:?}",
        rep.warnings
    );
    let rows = current(&store);
    let r = by_name(&rows, "广州市海珠区司法局");
    assert_eq!(comp(r, "public"), "93.2");
    assert_eq!(r.daily.as_deref(), Some("81"));
    assert_eq!(comp(r, "organisation"), "83");
    assert_eq!(r.tier, mofan::scheme::Tier::County);
    assert_eq!(
        comp(by_name(&rows, "共青团广州市海珠区委员会"), "public"),
        "93.87"
    );
    let vetoed = by_name(&rows, "广州市海珠区自然资源局");
    assert!(veto(vetoed, "safety"));
    assert!(!veto(vetoed, "discipline"));
    assert!(veto(
        by_name(&rows, "中共广州市海珠区直属机关工作委员会"),
        "ideology"
    ));
}

#[test]
fn old_xls_with_blank_veto_cells() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("samples/02_广州市番禺区.xls"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported, rep.header_row), (15, 15, Some(2)));
    let rows = current(&store);
    let r = by_name(&rows, "广州市番禺区人民法院");
    assert_eq!(r.daily.as_deref(), Some("90.72"));
    assert_eq!(comp(r, "peer"), "88");
    assert!(!veto(r, "discipline"));
    assert_eq!(r.row, 15);
}

#[test]
fn full_width_digits_and_blank_rows() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("samples/03_广州市越秀区.xlsx"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported), (12, 12));
    let rows = current(&store);
    let r = by_name(&rows, "中共广州市越秀区直属机关工作委员会");
    assert_eq!(r.daily.as_deref(), Some("94.9"));
    assert_eq!(comp(r, "self"), "81.73");
    assert_eq!(comp(r, "public"), "99.8");
    assert_eq!(by_name(&rows, "中共广州市越秀区委政法委员会").row, 14);
}

#[test]
fn all_samples_together() {
    let (_d, mut store) = store_2026();
    for f in SAMPLE_RETURNS {
        let rep = import(&mut store, &fixture(&format!("samples/{f}")), false);
        assert_eq!(rep.status, FileStatus::Imported, "{f}");
    }
    assert_eq!(current(&store).len(), 27 + 18 + 15 + 12);
    assert_eq!(mofan::audit::verify(store.conn()).unwrap().broken, None);
}
