//! Values read as the clerk sees them, per reader (fixtures of tests/fixtures/values/,
//! made by openpyxl, xlwt, odfpy, pyxlsbwriter and LibreOffice; see make_values.py):
//! percent-formatted cells, a fraction among scores refused where no format says
//! percent, places counted after scaling, line breaks in names, .ods merged tiers and a
//! USCC stored as a number.

use std::ops::ControlFlow;
use std::path::Path;

use crate::common::*;
use mofan::import::values::Cell;
use mofan::import::{self, workbook, FileReport, FileStatus};
use mofan::store::returns::ReturnRow;
use mofan::store::Store;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

/// Daily score then the five components, as stored.
fn scores(r: &ReturnRow) -> [String; 6] {
    let v: Value = serde_json::from_str(&r.components).unwrap();
    let c = |k: &str| v[k].as_str().unwrap_or("").to_string();
    [
        r.daily.clone().unwrap_or_default(),
        c("self"),
        c("peer"),
        c("organisation"),
        c("public"),
        c("third_party"),
    ]
}

fn imported(store: &mut Store, path: &Path) -> FileReport {
    let rep = import(store, path, false);
    assert_eq!(
        rep.status,
        FileStatus::Imported,
        "{}: {:?}",
        path.display(),
        rep.errors
    );
    rep
}

const FRACTION_WARNING: &str = "视为百分比，已乘以100换算为分数";

#[test]
fn percent_cells_are_read_as_percentages_by_every_reader() {
    for file in [
        "percent_mixed_openpyxl.xlsx",
        "percent_mixed_libreoffice.xls",
        "percent_mixed_libreoffice.ods",
        "percent_mixed_xlwt.xls",
        "percent_mixed_odfpy.ods",
    ] {
        let (_d, mut store) = store_2026();
        let rep = imported(&mut store, &fixture(&format!("values/{file}")));
        assert_eq!((rep.rows, rep.imported), (3, 3), "{file}");
        // A column of percent cells is in points already: no fraction warning.
        assert!(
            !rep.warnings.iter().any(|w| w.contains(FRACTION_WARNING)),
            "{file}: {:?}",
            rep.warnings
        );
        let rows = current(&store);
        // 自评 and 互评 mix percent cells with plain scores; 组织考评 is all percent.
        assert_eq!(
            scores(by_name(&rows, "测试市甲局")),
            ["90", "95.5", "91", "90", "93", "92.5"],
            "{file}"
        );
        assert_eq!(
            scores(by_name(&rows, "测试市乙局")),
            ["88", "92", "89.995", "95.5", "95.5", "90"],
            "{file}"
        );
        assert_eq!(
            scores(by_name(&rows, "测试市丙局")),
            ["85.5", "80", "89", "100", "94", "87.5"],
            "{file}"
        );
    }
}

/// Writes a one-sheet return with rust_xlsxwriter: the header, then rows whose 群众测评
/// (column J) is the given cell — a number with an optional number format.
fn write_public_scores(path: &Path, public: &[(f64, Option<&str>)]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (value, format)) in public.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in city_row(&format!("单位{r}"), 90.0).iter().enumerate() {
            match v {
                V::S(s) => ws.write_string(r, c as u16, *s).map(|_| ()),
                V::T(s) => ws.write_string(r, c as u16, s).map(|_| ()),
                V::N(n) => ws.write_number(r, c as u16, *n).map(|_| ()),
                V::E => Ok(()),
            }
            .unwrap();
        }
        match format {
            Some(f) => ws
                .write_number_with_format(r, 9, *value, &Format::new().set_num_format(*f))
                .map(|_| ()),
            None => ws.write_number(r, 9, *value).map(|_| ()),
        }
        .unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn rust_xlsxwriter_percent_formats_built_in_and_custom() {
    // "0%" and "0.00%" are written as the built-in formats 9 and 10, the others as
    // custom number formats.
    let (dir, mut store) = store_2026();
    let path = dir.path().join("格式.xlsx");
    write_public_scores(
        &path,
        &[
            (0.95, Some("0%")),
            (0.9525, Some("0.00%")),
            (0.955, Some("0.0%")),
            (93.0, None),
            (0.88125, Some("#,##0.000%")),
            (0.5, Some("0.0\"%\"")),
        ],
    );
    let rep = import(&mut store, &path, false);
    // 0.5 under a format whose % is quoted text is a plain 0.5 among scores: refused.
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.errors.len(), 1, "{:?}", rep.errors);
    assert_eq!(rep.errors[0].row, Some(7));
    let rep = import(&mut store, &path, true);
    assert_eq!((rep.status, rep.imported), (FileStatus::Imported, 5));
    let publics: Vec<String> = (1..=5)
        .map(|i| scores(by_name(&current(&store), &format!("单位{i}")))[4].clone())
        .collect();
    assert_eq!(publics, ["95", "95.25", "95.5", "93", "88.125"]);
}

#[test]
fn a_fraction_among_scores_is_refused_where_no_format_says_percent() {
    // openpyxl: the cell has no percent format. pyxlsbwriter (.xlsb): calamine does not
    // expose .xlsb number formats at all, so the column rule is the only safeguard.
    for file in [
        "fraction_mixed_openpyxl.xlsx",
        "fraction_mixed_pyxlsbwriter.xlsb",
    ] {
        let (_d, mut store) = store_2026();
        let before = fingerprint(&store);
        let path = fixture(&format!("values/{file}"));
        let rep = import(&mut store, &path, false);
        assert_eq!(rep.status, FileStatus::Rejected, "{file}");
        assert_eq!(
            fingerprint(&store),
            before,
            "{file}: a refused file changed data"
        );
        assert_eq!(rep.errors.len(), 1, "{file}: {:?}", rep.errors);
        let e = &rep.errors[0];
        assert_eq!(
            (
                e.sheet.as_deref(),
                e.row,
                e.column.as_deref(),
                e.header.as_deref(),
                e.value.as_deref()
            ),
            (
                Some("申报"),
                Some(3),
                Some("J"),
                Some("群众测评"),
                Some("0.955")
            ),
            "{file}"
        );
        assert_eq!(
            e.describe(),
            "工作表“申报”第3行 J列（群众测评） 值“0.955”：0.955与同列其他分数（如93）不一致：\
             若为百分比，请把单元格设为百分比格式或填写95.5",
            "{file}"
        );
        // A partial import stores the two other rows and never the misread one.
        let rep = import(&mut store, &path, true);
        assert_eq!(
            (rep.status, rep.imported),
            (FileStatus::Imported, 2),
            "{file}"
        );
        let rows = current(&store);
        assert_eq!(rows.len(), 2);
        assert_eq!(scores(by_name(&rows, "测试市甲局"))[4], "93");
        assert_eq!(scores(by_name(&rows, "测试市丙局"))[4], "94");
    }
}

#[test]
fn places_are_counted_after_scaling_a_fraction_column() {
    for file in [
        "fraction_places_openpyxl.xlsx",
        "fraction_places_libreoffice.ods",
    ] {
        let (_d, mut store) = store_2026();
        let rep = imported(&mut store, &fixture(&format!("values/{file}")));
        assert_eq!(
            rep.warnings
                .iter()
                .filter(|w| w.contains(FRACTION_WARNING))
                .collect::<Vec<_>>(),
            [&format!(
                "工作表“申报”J列“群众测评”的数值都在0–1之间，{FRACTION_WARNING}（如0.955→95.5）"
            )],
            "{file}"
        );
        let rows = current(&store);
        // 0.89995 → 89.995 (three places), and the float noise of 0.8999500000000001
        // is rounded away.
        let publics: Vec<String> = ["测试市甲局", "测试市乙局", "测试市丙局"]
            .iter()
            .map(|n| scores(by_name(&rows, n))[4].clone())
            .collect();
        assert_eq!(publics, ["89.995", "90", "89.995"], "{file}");
    }
}

#[test]
fn places_are_still_limited_where_a_column_is_not_scaled() {
    // 群众测评 has a percent cell (0.5% is 0.5 points), so its plain values are not
    // fractions to scale: 0.89995 keeps five places and is refused at its cell.
    let (dir, mut store) = store_2026();
    let path = dir.path().join("位数.xlsx");
    write_public_scores(&path, &[(0.005, Some("0.0%")), (0.89995, None)]);
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    let described: Vec<String> = rep.errors.iter().map(|e| e.describe()).collect();
    assert_eq!(
        described,
        ["工作表“申报”第3行 J列（群众测评） 值“0.89995”：最多保留4位小数"]
    );
}

#[test]
fn line_breaks_inside_names_are_not_spaces() {
    for file in [
        "wrapped_names_openpyxl.xlsx",
        "wrapped_names_libreoffice.xls",
        "wrapped_names_libreoffice.ods",
    ] {
        let (_d, mut store) = store_2026();
        let rep = imported(&mut store, &fixture(&format!("values/{file}")));
        assert_eq!(rep.imported, 4, "{file}");
        let rows = current(&store);
        let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Guangzhou Customs Technology Centre",
                "中共广州市委机构编制委员会办公室",
                "广州市民政局",
                "广州市越秀区（区直）财政局",
            ],
            "{file}"
        );
        let civil = by_name(&rows, "广州市民政局");
        assert_eq!(civil.unit_type, "政府机关", "{file}");
        let finance = by_name(&rows, "广州市越秀区（区直）财政局");
        assert_eq!(finance.region.as_deref(), Some("广州市越秀区"), "{file}");
    }
}

#[test]
fn ods_tiers_merged_down_a_block_fill_every_row() {
    for file in ["merged_tiers_odfpy.ods", "merged_tiers_libreoffice.ods"] {
        let (_d, mut store) = store_2026();
        let rep = imported(&mut store, &fixture(&format!("values/{file}")));
        assert_eq!((rep.rows, rep.imported), (5, 5), "{file}");
        let rows = current(&store);
        for (name, tier, region) in [
            ("测试市甲局", "city", "测试市"),
            ("测试市乙局", "city", "测试市"),
            ("测试市丙局", "city", "测试市"),
            ("测试县丁局", "county", "测试市测试县"),
            ("测试县戊局", "county", "测试市测试县"),
        ] {
            let r = by_name(&rows, name);
            assert_eq!(
                (r.tier.as_str(), r.region.as_deref()),
                (tier, Some(region)),
                "{file}: {name}"
            );
        }
    }
}

const STORED_AS_NUMBER: &str =
    "统一社会信用代码被存成了数字，Excel只保留15位有效数字，末尾几位已丢失；\
                                请把该列设为“文本”格式后重新输入代码";

#[test]
fn a_uscc_stored_as_a_number_is_named_as_such() {
    for (file, number) in [
        ("uscc_number_openpyxl.xlsx", "114301122626673000"),
        ("uscc_number_libreoffice.xls", "114301122626673000"),
    ] {
        let (_d, mut store) = store_2026();
        let before = fingerprint(&store);
        let rep = import(&mut store, &fixture(&format!("values/{file}")), false);
        assert_eq!(rep.status, FileStatus::Rejected, "{file}");
        assert_eq!(fingerprint(&store), before);
        let described: Vec<String> = rep.errors.iter().map(|e| e.describe()).collect();
        assert_eq!(
            described,
            [
                format!(
                    "工作表“申报”第2行 B列（统一社会信用代码） 值“{number}”：{STORED_AS_NUMBER}"
                ),
                format!(
                    "工作表“申报”第3行 B列（统一社会信用代码） 值“1.14301122626673E+17”：\
                     {STORED_AS_NUMBER}"
                ),
                // The kept digits as text: not a check digit pointing at another code.
                format!(
                    "工作表“申报”第5行 B列（统一社会信用代码） 值“114301122626673000”：\
                     {STORED_AS_NUMBER}"
                ),
            ],
            "{file}"
        );
    }
}

#[test]
fn the_awards_registry_names_a_uscc_stored_as_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
    let rep = import_registry(
        &mut store,
        &fixture("values/uscc_number_awards_openpyxl.xlsx"),
        &opts(false),
    )
    .unwrap();
    assert_eq!(rep.status, FileStatus::Rejected);
    let described: Vec<String> = rep.errors.iter().map(|e| e.describe()).collect();
    assert_eq!(
        described,
        [format!(
            "工作表“命名名单”第2行 B列（统一社会信用代码） 值“114301122626673000”：{STORED_AS_NUMBER}"
        )]
    );
}

#[test]
fn the_error_workbook_sends_values_back_as_the_clerk_wrote_them() {
    let (dir, mut store) = store_2026();
    let path = fixture("values/fraction_mixed_openpyxl.xlsx");
    let rep = import(&mut store, &path, false);
    let out = dir.path().join("错误报告.xlsx");
    import::error_book::write(&out, &[(path, &rep)]).unwrap();
    // The unit's own sheet: the header, then its row 3 with the plain 0.955 it sent.
    let rows = rows_of(&out, "fraction_mixed_openpyxl");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], Cell::Float(3.0));
    assert_eq!(rows[1][10], Cell::Float(0.955));

    // A percent cell goes back as a percent cell with the places it showed.
    let src = dir.path().join("百分比.xlsx");
    write_public_scores(&src, &[(1.2345, Some("0.00%")), (93.0, None), (0.5, None)]);
    let rep = import(&mut store, &src, false);
    let described: Vec<String> = rep.errors.iter().map(|e| e.describe()).collect();
    assert_eq!(
        described,
        [
            "工作表“申报”第2行 J列（群众测评） 值“123.45%”：分数应在0–100之间",
            "工作表“申报”第4行 J列（群众测评） 值“0.5”：0.5与同列其他分数（如93）不一致：\
             若为百分比，请把单元格设为百分比格式或填写50",
        ]
    );
    let out = dir.path().join("错误报告2.xlsx");
    import::error_book::write(&out, &[(src, &rep)]).unwrap();
    let rows = rows_of(&out, "百分比");
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (&rows[1][0], &rows[1][10]),
        (&Cell::Float(2.0), &Cell::Percent(1.2345))
    );
    assert_eq!(rows[1][10].display(), "123.45%");
    assert_eq!(
        (&rows[2][0], &rows[2][10]),
        (&Cell::Float(4.0), &Cell::Float(0.5))
    );
}

/// Every row of a sheet as our reader gives it (cells by column, blanks as `Empty`).
fn rows_of(path: &Path, sheet: &str) -> Vec<Vec<Cell>> {
    let bytes = std::fs::read(path).unwrap();
    let mut book = workbook::open(bytes, &path.to_string_lossy()).unwrap();
    let mut out = Vec::new();
    book.for_each_row(sheet, &mut |_, cells| {
        let width = cells.last().map_or(0, |(c, _)| *c as usize + 1);
        let mut row = vec![Cell::Empty; width];
        for (c, v) in cells.drain(..) {
            row[c as usize] = v;
        }
        out.push(row);
        ControlFlow::Continue(())
    })
    .unwrap();
    out
}
