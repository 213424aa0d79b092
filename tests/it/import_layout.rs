//! Layouts that offices send and mofan once refused or misread (issue 8, items 5–9): a
//! field two grid columns wide, section heading rows, the template's example row, 栏次
//! rows and district tier words. Each fixture of tests/fixtures/layout/ is read as written
//! by openpyxl (.xlsx) and as converted by LibreOffice (.xls, .ods); all three must give
//! the same returns and the same warnings.

use std::path::{Path, PathBuf};

use crate::common::*;
use mofan::campaign;
use mofan::import::{FileStatus, RowError};
use mofan::scheme::Tier;
use mofan::store::{awards, returns, Store};
use mofan::template::{self, ColumnKind, Value};
use rust_xlsxwriter::Workbook;
use serde_json::Value as Json;

/// The fixture as each writer made it.
fn writers(stem: &str) -> Vec<PathBuf> {
    vec![
        fixture(&format!("layout/openpyxl_{stem}.xlsx")),
        fixture(&format!("layout/libreoffice_{stem}.xls")),
        fixture(&format!("layout/libreoffice_{stem}.ods")),
    ]
}

/// One line per current return: place, name, tier, region, unit type, daily score, the
/// five components, and the vetoes that are 是.
fn stored(store: &Store) -> Vec<String> {
    let mut rows = returns::list_current(store.conn(), 2026).unwrap();
    rows.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
    rows.iter()
        .map(|r| {
            let c: Json = serde_json::from_str(&r.components).unwrap();
            let comps: Vec<&str> = ["self", "peer", "organisation", "public", "third_party"]
                .iter()
                .map(|k| c[*k].as_str().unwrap_or("-"))
                .collect();
            let v: Json = serde_json::from_str(&r.vetoes).unwrap();
            let vetoes: Vec<&String> = v
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, on)| on.as_bool() == Some(true))
                .map(|(k, _)| k)
                .collect();
            format!(
                "{}!{} {} {} {} {} {} {} {:?}",
                r.sheet,
                r.row,
                r.name,
                r.tier.as_str(),
                r.region.as_deref().unwrap_or("-"),
                r.unit_type,
                r.daily.as_deref().unwrap_or("-"),
                comps.join("/"),
                vetoes
            )
        })
        .collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The warning about the vetoes a one-veto fixture leaves out.
fn three_vetoes_missing(sheet: &str) -> String {
    format!(
        "工作表“{sheet}”中没有一票否决事项列：意识形态工作责任制落实不力、发生重大安全责任事故、巡视巡察反馈问题整改不力，按“否”处理"
    )
}

#[test]
fn a_name_merged_across_two_grid_columns_in_a_one_row_header() {
    for path in writers("merged_name_one_row") {
        let (_d, store, rep) = import_fresh(&path);
        let what = path.display();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!(
            (rep.rows, rep.imported, rep.header_row),
            (3, 3, Some(2)),
            "{what}"
        );
        assert_eq!(
            stored(&store),
            [
                "申报表!3 测试县财政局 county 测试县 政府机关 90 91/92/93/94/95 []",
                "申报表!4 测试县审计局 county 测试县 政府机关 85.5 86.5/87.5/88.5/89.5/90.5 []",
                "申报表!5 中共测试县委组织部 county 测试县 党群机关 80 81/82/83/84/85 []",
            ],
            "{what}"
        );
        assert_eq!(
            rep.warnings,
            [
                "工作表“申报表”中未识别的列已忽略：A列“序号”、O列“备注”".to_string(),
                three_vetoes_missing("申报表"),
            ],
            "{what}"
        );
    }
}

#[test]
fn a_name_merged_across_two_grid_columns_in_a_two_row_header() {
    for path in writers("merged_name_two_row") {
        let (_d, store, rep) = import_fresh(&path);
        let what = path.display();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!(
            (rep.rows, rep.imported, rep.header_row),
            (3, 3, Some(3)),
            "{what}"
        );
        assert_eq!(
            stored(&store),
            [
                "申报汇总!5 测试市财政局 city 测试市 政府机关 91 92/93/94/95.5/96 []",
                "申报汇总!6 测试市总工会 city 测试市 群团组织 88 87/86/85/84/83.25 [\"ideology\"]",
                "申报汇总!7 测试省统计局 province - 政府机关 80 81/82/83/84/85 []",
            ],
            "{what}"
        );
        assert_eq!(
            rep.warnings,
            [
                "工作表“申报汇总”中未识别的列已忽略：A列“序号”、Q列“备注”",
                "工作表“申报汇总”中没有一票否决事项列：发生重大安全责任事故、巡视巡察反馈问题整改不力，按“否”处理",
            ],
            "{what}"
        );
        let uscc = returns::list_current(store.conn(), 2026).unwrap();
        let fin = uscc.iter().find(|r| r.name == "测试市财政局").unwrap();
        assert_eq!(fin.uscc.as_deref(), Some("11440100687104673E"), "{what}");
    }
}

/// A header 单位名称 merged across A:B, written with rust_xlsxwriter, and city returns
/// with the name cells in A and B as given (unmerged) and the given tier.
fn merged_name_book(path: &Path, rows: &[(&str, &str, &str)]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    ws.merge_range(0, 0, 0, 1, "单位名称", &rust_xlsxwriter::Format::new())
        .unwrap();
    for (c, h) in HEADER.iter().enumerate().skip(1) {
        ws.write_string(0, c as u16 + 1, *h).unwrap();
    }
    for (r, (a, b, tier)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, text) in [(0, a), (1, b)] {
            if !text.is_empty() {
                ws.write_string(r, col, *text).unwrap();
            }
        }
        ws.write_string(r, 3, *tier).unwrap();
        // The rest of a valid city return, one column to the right.
        for (i, v) in city_row("", 90.0).iter().enumerate().skip(3) {
            let col = i as u16 + 1;
            match v {
                V::S(s) => ws.write_string(r, col, *s).map(|_| ()),
                V::N(n) => ws.write_number(r, col, *n).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn two_different_values_in_one_merged_column_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("两格不同.xlsx");
    merged_name_book(
        &path,
        &[
            ("测试局", "测试局", "市级"),
            ("", "测试办", "市级"),
            ("测试委", "测试厅", "市级"),
            ("", "测试署", "乡镇"),
        ],
    );
    let (_d, mut store) = store_2026();
    let before = fingerprint(&store);
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.rows, 4);
    assert_eq!(
        rep.errors,
        [
            RowError {
                sheet: Some("申报".into()),
                row: Some(4),
                column: Some("A".into()),
                header: Some("单位名称".into()),
                value: None,
                message: "表头“单位名称”合并了A:B列，按一列读取，但A4“测试委”与B4“测试厅”不同，请只保留一个值".into(),
            },
            RowError {
                sheet: Some("申报".into()),
                row: Some(5),
                column: Some("D".into()),
                header: Some("层级".into()),
                value: Some("乡镇".into()),
                message: "无法识别的层级，请填省直、市级或县级".into(),
            }
        ]
    );
    // The error workbook shows one 单位名称 column with the value read from its span.
    let out = dir.path().join("错误报告.xlsx");
    mofan::import::error_book::write(&out, &[(path.clone(), &rep)]).unwrap();
    let mut book = calamine::open_workbook_auto(&out).unwrap();
    use calamine::Reader;
    let own = book.worksheet_range("两格不同").unwrap();
    let cells: Vec<Vec<String>> = own
        .rows()
        .map(|r| r.iter().take(3).map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        cells,
        [
            ["原行号", "单位名称", "统一社会信用代码"],
            ["4", "测试委", ""],
            ["5", "测试署", ""],
        ]
    );
    assert_eq!(
        fingerprint(&store),
        before,
        "a refused file changes nothing"
    );
    // The valid rows alone: the same value twice, or a value in the second grid column.
    let rep = import(&mut store, &path, true);
    assert_eq!((rep.status, rep.imported), (FileStatus::Imported, 2));
    let names: Vec<String> = returns::list_current(store.conn(), 2026)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["测试局", "测试办"]);
}

#[test]
fn section_heading_rows_are_skipped_and_named() {
    for path in writers("sections") {
        let (_d, store, rep) = import_fresh(&path);
        let what = path.display();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!((rep.rows, rep.imported), (5, 5), "{what}");
        assert_eq!(
            stored(&store),
            [
                "申报表!4 中共测试市委办公室 city 测试市 党群机关 90 91/92/93/94/95 []",
                "申报表!5 测试市总工会 city 测试市 群团组织 85 86/87/88/89/90 []",
                "申报表!7 测试市财政局 city 测试市 政府机关 88 89/90/91/92/93 []",
                "申报表!9 测试市人民法院 city 测试市 政法机关 87 88/89/90/91/92 []",
                "申报表!11 测试省统计局 province - 政府机关 86 87/88/89/90/91 []",
            ],
            "{what}"
        );
        assert_eq!(
            rep.warnings,
            [
                "工作表“申报表”中未识别的列已忽略：A列“序号”".to_string(),
                three_vetoes_missing("申报表"),
                "工作表“申报表”第3行“一、党群机关”是分组标题行，已跳过".to_string(),
                "工作表“申报表”第6行“（二）政府机关”是分组标题行，已跳过".to_string(),
                "工作表“申报表”第8行“第三部分 政法机关”是分组标题行，已跳过".to_string(),
                "工作表“申报表”第10行“四 省直单位”是分组标题行，已跳过".to_string(),
            ],
            "{what}"
        );
    }
}

#[test]
fn skipped_rows_are_warned_about_and_never_reach_the_error_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("分组.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    let write_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, row: &[V]| {
        for (c, v) in row.iter().enumerate() {
            match v {
                V::S(s) => ws.write_string(r, c as u16, *s).map(|_| ()),
                V::T(s) => ws.write_string(r, c as u16, s).map(|_| ()),
                V::N(n) => ws.write_number(r, c as u16, *n).map(|_| ()),
                V::E => Ok(()),
            }
            .unwrap();
        }
    };
    let header: Vec<V> = HEADER.iter().map(|h| V::S(h)).collect();
    write_row(ws, 0, &header);
    // Row 2: a 栏次 row; row 3: an unnumbered heading merged across the table; row 4:
    // the template's example; row 5: a unit; row 6: a name alone — a unit with its
    // values missing, never a heading.
    let numbers: Vec<V> = (1..=HEADER.len()).map(|n| V::N(n as f64)).collect();
    write_row(ws, 1, &numbers);
    let last = HEADER.len() as u16 - 1;
    ws.merge_range(
        2,
        0,
        2,
        last,
        "以下为县级单位",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    write_row(ws, 3, &city_row("衡阳市××局", 95.0));
    write_row(ws, 4, &city_row("测试市档案局", 90.0));
    ws.write_string(5, 0, "测试市地方志办").unwrap();
    wb.save(&path).unwrap();

    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.rows, 2);
    assert_eq!(
        rep.warnings,
        [
            "工作表“申报”中没有一票否决事项列：意识形态工作责任制落实不力、发生重大安全责任事故、巡视巡察反馈问题整改不力，按“否”处理",
            "工作表“申报”第2行“1 2 3 4 5 6 …”是栏次行，已跳过",
            "工作表“申报”第3行“以下为县级单位”是分组标题行，已跳过",
            "工作表“申报”第4行是模板的填写示例（单位名称“衡阳市××局”），已跳过",
            "文件有2处错误，未导入任何记录；改正后重新导入，或选择只导入正确的行",
        ]
    );
    assert!(
        rep.errors.iter().all(|e| e.row == Some(6)),
        "{:?}",
        rep.errors
    );
    assert_eq!(rep.errors[0].message, "缺少层级（省直、市级或县级）");

    // The error workbook holds row 6 only: in the summary and among the unit's rows.
    let out = dir.path().join("错误报告.xlsx");
    mofan::import::error_book::write(&out, &[(path.clone(), &rep)]).unwrap();
    let mut book = calamine::open_workbook_auto(&out).unwrap();
    use calamine::Reader;
    let summary = book.worksheet_range("错误汇总").unwrap();
    let summary_rows: Vec<String> = summary.rows().skip(1).map(|r| r[2].to_string()).collect();
    assert_eq!(summary_rows, vec!["6"; rep.errors.len()]);
    let own = book.worksheet_range("分组").unwrap();
    let own_rows: Vec<String> = own.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(own_rows, ["6"]);
    // The skipped rows are named on the 提示 sheet, beside the errors.
    let notes = book.worksheet_range("提示").unwrap();
    let notes: Vec<String> = notes.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert_eq!(notes, rep.warnings);
}

#[test]
fn example_rows_of_the_template_are_skipped_and_named() {
    for path in writers("example_rows") {
        let (_d, store, rep) = import_fresh(&path);
        let what = path.display();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!(
            (rep.rows, rep.imported, rep.header_row),
            (3, 3, Some(2)),
            "{what}"
        );
        assert_eq!(
            stored(&store),
            [
                "申报表!6 示例市民政局 city 示例市 政府机关 89 90/91/92/93/94 []",
                "申报表!7 衡阳市财政局 city 衡阳市 政府机关 88 89/90/91/92/93 []",
                "申报表!8 衡阳县教育局 county 衡阳县 政府机关 87 88/89/90/91/92 []",
            ],
            "{what}"
        );
        assert_eq!(
            rep.warnings,
            [
                "工作表“申报表”中未识别的列已忽略：A列“序号”、N列“备注”".to_string(),
                three_vetoes_missing("申报表"),
                "工作表“申报表”第4行是模板的填写示例（序号“示例”），已跳过".to_string(),
                "工作表“申报表”第5行是模板的填写示例（单位名称“XX局”），已跳过".to_string(),
            ],
            "{what}"
        );
    }
}

#[test]
fn an_example_row_left_in_mofans_own_template_is_skipped() {
    let scheme = mofan::scheme::Scheme::default_scheme();
    let full = |serial: Value, name: &str, region: &str| {
        let mut row = vec![
            (ColumnKind::Serial, serial),
            (ColumnKind::Name, Value::Text(name.into())),
            (ColumnKind::Tier, Value::Text("市级".into())),
            (ColumnKind::Region, Value::Text(region.into())),
            (ColumnKind::UnitType, Value::Text("政府机关".into())),
            (ColumnKind::Daily, Value::Number(90.0)),
        ];
        row.extend((0..5).map(|i| (ColumnKind::Component(i), Value::Number(91.0))));
        row
    };
    let mut example = full(Value::Text("填写示例".into()), "衡阳市××局", "衡阳市");
    example.push((ColumnKind::Uscc, Value::Text("××××××××××××××××××".into())));
    let rows = vec![example, full(Value::Number(1.0), "衡阳市审计局", "衡阳市")];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("申报模板.xlsx");
    std::fs::write(&path, template::render(&scheme, Some(2026), &rows).unwrap()).unwrap();
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported), (1, 1));
    let last = char::from(b'A' + template::columns(&scheme).len() as u8 - 1);
    assert_eq!(
        rep.warnings,
        [
            format!("工作表“申报表”中未识别的列已忽略：A列“序号”、{last}列“备注”"),
            "工作表“申报表”第4行是模板的填写示例（序号“填写示例”），已跳过".to_string(),
            "工作表“填表说明”中未找到表头，已跳过".to_string(),
        ]
    );
    assert_eq!(
        stored(&store),
        ["申报表!5 衡阳市审计局 city 衡阳市 政府机关 90 91/91/91/91/91 []"]
    );
}

#[test]
fn column_number_rows_are_skipped_and_a_first_unit_numbered_1_is_kept() {
    for path in writers("column_numbers") {
        let (_d, store, rep) = import_fresh(&path);
        let what = path.display();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!((rep.rows, rep.imported), (5, 5), "{what}");
        assert_eq!(
            stored(&store),
            [
                "第三批!2 测试区人民法院 county 测试区 政法机关 84 85/86/87/88/89 []",
                "第三批!3 测试区统计局 county 测试区 政府机关 83 84/85/86/87/88 []",
                "第二批!4 测试区财政局 county 测试区 政府机关 85 86/87/88/89/90 []",
                "统计表!4 测试区审计局 county 测试区 政府机关 90 91/92/93/94/95 []",
                "统计表!5 测试区总工会 county 测试区 群团组织 80 81/82/83/84/85 []",
            ],
            "{what}"
        );
        let mut want = Vec::new();
        for sheet in ["统计表", "第二批", "第三批"] {
            want.push(format!("工作表“{sheet}”中未识别的列已忽略：A列“序号”"));
            want.push(three_vetoes_missing(sheet));
            match sheet {
                "统计表" => {
                    want.push("工作表“统计表”第3行“甲 乙 丙 丁 戊 1 …”是栏次行，已跳过".to_string())
                }
                "第二批" => want.extend(strings(&[
                    "工作表“第二批”第2行“甲 乙 丙 丁 戊 己 …”是栏次行，已跳过",
                    "工作表“第二批”第3行“1 2 3 4 5 6 …”是栏次行，已跳过",
                ])),
                _ => {}
            }
        }
        assert_eq!(rep.warnings, want, "{what}");
    }
}

/// A 2026 campaign whose scheme adds 旗直 to the county tier.
fn store_with_banner_tiers() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
    let toml = mofan::scheme::DEFAULT_TOML.replacen(
        "[composite]",
        "[tier_aliases]\ncounty = [\"旗直\", \"旗县直\"]\n\n[composite]",
        1,
    );
    campaign::create(&mut store, 2026, Some(&toml), "测试员").unwrap();
    (dir, store)
}

#[test]
fn district_tier_words_are_county_and_a_scheme_adds_its_own() {
    for path in writers("district_tiers") {
        let what = path.display();
        // The default scheme knows every district word but not 旗直.
        let (_d, store, rep) = import_fresh(&path);
        assert_eq!(rep.status, FileStatus::Rejected, "{what}");
        assert_eq!(
            rep.errors,
            [RowError {
                sheet: Some("申报表".into()),
                row: Some(10),
                column: Some("D".into()),
                header: Some("层级".into()),
                value: Some("旗直".into()),
                message: "无法识别的层级，请填省直、市级或县级".into(),
            }],
            "{what}"
        );
        assert!(stored(&store).is_empty());
        // A scheme with [tier_aliases] county = ["旗直", …] reads it as county.
        let (_d, mut store) = store_with_banner_tiers();
        let rep = import(&mut store, &path, false);
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        assert_eq!(rep.imported, 9, "{what}");
        let tiers: Vec<(String, Tier)> = returns::list_current(store.conn(), 2026)
            .unwrap()
            .into_iter()
            .map(|r| (r.name, r.tier))
            .collect();
        let want: Vec<(String, Tier)> = (1..=9)
            .map(|i| (format!("测试单位{i}"), Tier::County))
            .collect();
        assert_eq!(tiers, want, "{what}");
    }
}

#[test]
fn the_awards_registry_reads_district_words_and_the_campaigns_tier_aliases() {
    for path in writers("registry_district_tiers") {
        let what = path.display();
        // Without a campaign, only the default scheme's words: 旗直 is refused.
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
        let rep = import_registry(&mut store, &path, &opts(false)).unwrap();
        assert_eq!(rep.status, FileStatus::Rejected, "{what}");
        assert_eq!(
            rep.errors
                .iter()
                .map(RowError::describe)
                .collect::<Vec<_>>(),
            ["工作表“命名名单”第4行 B列（层级） 值“旗直”：无法识别的层级，请填省直、市级或县级"],
            "{what}"
        );
        // With a campaign whose scheme adds 旗直, every row is county.
        let (_d, mut store) = store_with_banner_tiers();
        let rep = import_registry(&mut store, &path, &opts(false)).unwrap();
        assert_eq!(rep.status, FileStatus::Imported, "{what}: {:?}", rep.errors);
        let mut list: Vec<(String, Tier, i32)> = awards::list(store.conn())
            .unwrap()
            .into_iter()
            .map(|a| (a.name, a.tier, a.year))
            .collect();
        list.sort();
        assert_eq!(
            list,
            [
                ("测试区审计局".to_string(), Tier::County, 2023),
                ("测试县财政局".to_string(), Tier::County, 2024),
                ("测试旗统计局".to_string(), Tier::County, 2024),
            ],
            "{what}"
        );
    }
}
