//! Import behaviour on fixtures written by openpyxl, xlwt, odfpy and rust_xlsxwriter:
//! layouts, value forms, transactions, duplicates, history and withdrawal.

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use mofan::import::{self, FileStatus};
use mofan::scheme::Tier;
use mofan::store::{files, returns};

#[test]
fn openpyxl_two_row_header_merged_tier_and_value_forms() {
    let (_d, mut store) = store_2026();
    let rep = import(
        &mut store,
        &fixture("returns/openpyxl_two_row_header.xlsx"),
        false,
    );
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported, rep.header_row), (5, 5, Some(3)));
    let rows = current(&store);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert!(!names.contains(&"不应导入的单位"), "hidden sheet imported");
    let by = |n: &str| rows.iter().find(|r| r.name == n).unwrap().clone();
    let fin = by("测试市 财政局");
    assert_eq!(fin.daily.as_deref(), Some("90.5")); // full-width text
    assert_eq!(comp(&fin, "self"), "95"); // 95分
    assert_eq!(comp(&fin, "public"), "93"); // 93%
    assert_eq!(comp(&fin, "organisation"), "90.25");
    assert_eq!(fin.unit_type, "政府机关"); // alias 政府部门
    assert_eq!(fin.tier, Tier::City); // 地市
                                      // Tier from the merged region D5:D7; half-width brackets normalised.
    let w = by("测试市（直属）机关工委");
    assert_eq!(w.tier, Tier::City);
    assert!(w.vetoes.contains("\"discipline\":true")); // 有
    let audit = by("测试市审计局");
    assert_eq!(audit.complaints, Some(2)); // 2个
    assert!(audit.vetoes.contains("\"discipline\":true")); // √
    let prov = by("测试省 统计局");
    assert_eq!(
        (prov.tier.as_str(), prov.region.as_deref()),
        ("province", None)
    );
    assert!(prov.vetoes.contains("\"ideology\":true")); // Y
    let county = by("测试县（区）教育局");
    assert_eq!(county.tier, Tier::County); // 县(市、区)
    assert_eq!(comp(&county, "public"), "95.5"); // 95.5%
    assert_eq!(comp(&county, "self"), "85"); // ８５
    assert!(county.vetoes.contains("\"safety\":true")); // 1
}

#[test]
fn xlwt_xls_with_shuffled_alias_headers() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("returns/xlwt_shuffled.xls"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.header_row), (2, Some(2)));
    let rows = current(&store);
    let r = rows.iter().find(|r| r.name == "测试区总工会").unwrap();
    assert_eq!(r.daily.as_deref(), Some("87.5"));
    assert_eq!(comp(r, "public"), "92.5");
    assert_eq!(r.uscc.as_deref(), Some("11440103681436175U"));
    assert!(r.vetoes.contains("\"ideology\":true"));
    assert_eq!((r.problems_total, r.problems_fixed), (Some(0), Some(0)));
}

#[test]
fn odf_fraction_column_without_uscc() {
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &fixture("returns/odf_fractions.ods"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep.warnings.iter().any(|w| w.contains("群众满意率")));
    let rows = current(&store);
    let publics: Vec<String> = rows.iter().map(|r| comp(r, "public")).collect();
    assert_eq!(publics, vec!["95.5", "90", "100"]);
    assert!(rows.iter().all(|r| r.uscc.is_none()));
}

#[test]
fn one_bad_row_imports_nothing_and_partial_imports_the_rest() {
    let (_d, mut store) = store_2026();
    let before = fingerprint(&store);
    let path = fixture("returns/openpyxl_bad_rows.xlsx");
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.imported, 0);
    assert_eq!(
        fingerprint(&store),
        before,
        "a rejected file changed the database"
    );
    // Every error names sheet, row, column, header and value.
    let e = rep.errors.iter().find(|e| e.row == Some(3)).unwrap();
    assert_eq!(
        (
            e.sheet.as_deref(),
            e.column.as_deref(),
            e.header.as_deref(),
            e.value.as_deref()
        ),
        (Some("申报"), Some("G"), Some("自评"), Some("优秀"))
    );
    let rows_with_errors: Vec<u32> = rep.errors.iter().filter_map(|e| e.row).collect();
    for row in [3, 4, 5, 6, 7, 8, 9] {
        assert!(rows_with_errors.contains(&row), "row {row} not reported");
    }
    assert!(rep.errors.iter().any(|e| e.message.contains("校验位")));
    assert!(rep.errors.iter().any(|e| e.message.contains("所属地区")));
    assert_eq!(
        rep.errors
            .iter()
            .filter(|e| e.message.contains("多次"))
            .count(),
        2
    );

    let rep = import(&mut store, &path, true);
    assert_eq!(rep.status, FileStatus::Imported);
    assert_eq!((rep.rows, rep.imported), (9, 2));
    let names: Vec<String> = current(&store).into_iter().map(|r| r.name).collect();
    // Names are normalised (brackets to full width) but stay literal text.
    assert_eq!(names, vec!["好单位", "=HYPERLINK（\"http://x\",\"y\"）"]);
    let f = &files::list(store.conn(), 2026).unwrap()[0];
    assert_eq!((f.status.as_str(), f.rows_imported), ("partial", 2));
}

#[test]
fn the_error_workbook_holds_the_units_rows_and_reasons() {
    let (dir, mut store) = store_2026();
    let path = fixture("returns/openpyxl_bad_rows.xlsx");
    let rep = import(&mut store, &path, false);
    let out = dir.path().join("错误报告.xlsx");
    import::error_book::write(&out, &[(path, &rep)]).unwrap();
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["错误汇总", "提示", "openpyxl_bad_rows"]
    );
    let summary = wb.worksheet_range("错误汇总").unwrap();
    assert_eq!(summary.height(), rep.errors.len() + 1);
    let own = wb.worksheet_range("openpyxl_bad_rows").unwrap();
    let header: Vec<String> = own
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.first().map(String::as_str), Some("原行号"));
    assert_eq!(header.last().map(String::as_str), Some("错误原因"));
    assert_eq!(&header[1..15], &HEADER[..]);
    // Rows 3–9 had errors: 7 rows, with the unit's own values.
    assert_eq!(own.height(), 8);
    let row3: Vec<&Data> = own.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row3[0], &Data::Float(3.0));
    assert_eq!(row3[1], &Data::String("坏分数单位".into()));
    assert_eq!(row3[7], &Data::String("优秀".into()));
    assert!(row3[15].to_string().contains("G列（自评）：不是有效的分数"));
}

#[test]
fn the_same_file_again_is_a_no_op() {
    let (dir, mut store) = store_2026();
    let p = dir.path().join("a.xlsx");
    write_xlsx(
        &p,
        &HEADER,
        &[city_row("甲局", 90.0), city_row("乙局", 91.0)],
    );
    assert_eq!(import(&mut store, &p, false).status, FileStatus::Imported);
    let before = fingerprint(&store);
    // Same bytes under another name.
    let q = dir.path().join("copy.xlsx");
    std::fs::copy(&p, &q).unwrap();
    let rep = import(&mut store, &q, false);
    assert_eq!(rep.status, FileStatus::Duplicate);
    assert!(rep.warnings[0].contains("a.xlsx"), "{:?}", rep.warnings);
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn a_later_file_replaces_a_return_and_keeps_history_then_withdrawal_restores_it() {
    let (dir, mut store) = store_2026();
    let a = dir.path().join("first.xlsx");
    let b = dir.path().join("second.xlsx");
    write_xlsx(
        &a,
        &HEADER,
        &[city_row("甲局", 90.0), city_row("乙局", 91.0)],
    );
    write_xlsx(&b, &HEADER, &[city_row("甲局", 95.0)]);
    import(&mut store, &a, false);
    let rep = import(&mut store, &b, false);
    assert_eq!(rep.status, FileStatus::Imported);
    assert!(rep
        .warnings
        .iter()
        .any(|w| w.contains("甲局") && w.contains("first.xlsx")));
    let rows = current(&store);
    assert_eq!(rows.len(), 2);
    let jia = rows.iter().find(|r| r.name == "甲局").unwrap();
    assert_eq!(jia.daily.as_deref(), Some("95"));
    let history = returns::history(store.conn(), 2026, jia.agency_id).unwrap();
    let states: Vec<&str> = history.iter().map(|h| h.state.as_str()).collect();
    assert_eq!(states, vec!["replaced", "current"]);

    let w = import::withdraw(&mut store, 2026, "second.xlsx", "测试员").unwrap();
    assert_eq!((w.withdrawn, w.restored), (1, 1));
    let jia = current(&store)
        .into_iter()
        .find(|r| r.name == "甲局")
        .unwrap();
    assert_eq!(jia.daily.as_deref(), Some("90"));
    // Withdrawing the first file too leaves nothing; the log records both.
    let first_sha = files::list(store.conn(), 2026).unwrap()[0].sha256.clone();
    import::withdraw(&mut store, 2026, &first_sha[..10], "测试员").unwrap();
    assert!(current(&store).is_empty());
    let actions: Vec<String> = store
        .conn()
        .prepare("SELECT action FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        actions,
        vec![
            "campaign.create",
            "import.file",
            "import.file",
            "import.withdraw",
            "import.withdraw"
        ]
    );
    assert!(matches!(
        import::withdraw(&mut store, 2026, "second.xlsx", "测试员"),
        Err(import::ImportError::FileNotFound { .. })
    ));
    // A withdrawn file may be imported again.
    assert_eq!(import(&mut store, &b, false).status, FileStatus::Imported);
}

#[test]
fn one_agency_twice_by_uscc_is_an_error_on_both_rows() {
    let (dir, mut store) = store_2026();
    let p = dir.path().join("dup.xlsx");
    let mut r1 = city_row("甲局", 90.0);
    let mut r2 = city_row("甲局（新名）", 91.0);
    r1[1] = V::S("11440100848834635E");
    r2[1] = V::S("11440100848834635e");
    write_xlsx(&p, &HEADER, &[r1, r2, city_row("乙局", 92.0)]);
    let rep = import(&mut store, &p, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    let rows: Vec<u32> = rep.errors.iter().filter_map(|e| e.row).collect();
    assert_eq!(rows, vec![2, 3]);
}

#[test]
fn missing_columns_and_unknown_files_are_refused_clearly() {
    let (dir, mut store) = store_2026();
    let before = fingerprint(&store);
    let p = dir.path().join("short.xlsx");
    write_xlsx(
        &p,
        &["单位名称", "层级", "单位类型", "自评"],
        &[vec![V::S("甲"), V::S("市级"), V::S("政府机关"), V::N(90.0)]],
    );
    let rep = import(&mut store, &p, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert!(
        rep.errors[0]
            .message
            .contains("缺少必需的列：日常考核、党员互评"),
        "{:?}",
        rep.errors
    );
    assert_eq!(rep.errors[0].row, Some(1));

    let et = dir.path().join("申报.et");
    std::fs::write(&et, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    let rep = import(&mut store, &et, false);
    assert!(rep.errors[0].message.contains("请在WPS中另存为.xlsx后导入"));
    // Comma-separated text is read as CSV (tests/it/import_formats.rs); two columns are no
    // header. Prose is plain text, and the refusal says so.
    let txt = dir.path().join("readme.txt");
    std::fs::write(&txt, "单位名称,层级").unwrap();
    let rep = import(&mut store, &txt, false);
    assert!(
        rep.errors[0].message.starts_with("未找到表头"),
        "{:?}",
        rep.errors
    );
    std::fs::write(&txt, "请按模板填写申报表").unwrap();
    let rep = import(&mut store, &txt, false);
    assert!(
        rep.errors[0].message.starts_with("这是纯文本文件"),
        "{:?}",
        rep.errors
    );
    let bin = dir.path().join("data.bin");
    std::fs::write(&bin, b"\x00\x01binary").unwrap();
    let rep = import(&mut store, &bin, false);
    assert!(rep.errors[0].message.contains("不是Excel工作簿"));
    let rep = import(&mut store, &dir.path().join("nope.xlsx"), false);
    assert!(rep.errors[0].message.contains("无法读取文件"));
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn a_far_away_cell_does_not_allocate_a_grid() {
    let (dir, mut store) = store_2026();
    let p = dir.path().join("far.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "远处的单元格").unwrap();
    wb.save(&p).unwrap();
    let rep = import(&mut store, &p, false);
    // The far cell is a row with no mapped value: nothing to import, refused clearly.
    assert_eq!(rep.status, FileStatus::Rejected);
    assert!(
        rep.errors[0].message.contains("没有申报记录"),
        "{:?}",
        rep.errors
    );
}

#[test]
fn a_published_campaign_refuses_imports() {
    let (_dir, store) = store_2026();
    store
        .conn()
        .execute(
            "UPDATE campaigns SET status = 'published' WHERE year = 2026",
            [],
        )
        .unwrap();
    let e = import::Returns::open(&store, 2026, &[]).unwrap_err();
    assert!(matches!(
        e,
        import::ImportError::Campaign(mofan::store::campaigns::Unavailable::Locked {
            year: 2026,
            refused: mofan::store::campaigns::Change::Files
        })
    ));
    assert_eq!(e.to_string(), "2026年度评选已发布，不能再导入或撤回文件");
    assert_eq!(mofan::Coded::code(&e), "campaign.locked");
    let e = import::Returns::open(&store, 2030, &[]).unwrap_err();
    assert!(e.to_string().contains("2030年度评选不存在"));
}
