//! Returns sent as files that are not workbooks but that Excel opens — CSV (GB18030,
//! UTF-8 with and without BOM), HTML tables (a 政务-style export and LibreOffice's), XML
//! Spreadsheet 2003 (Excel's style and LibreOffice's) — each under its own extension and
//! named `.xls`; and the refusals of files that are none of these. Fixtures are made by
//! tests/fixtures/formats/make_formats.py.

use std::path::PathBuf;

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use mofan::import::{self, FileStatus, RowError};
use mofan::store::returns;
use serde_json::Value;

fn formats(name: &str) -> PathBuf {
    fixture(&format!("formats/{name}"))
}

/// A unit's stored return, flattened for comparison.
fn stored(r: &returns::ReturnRow) -> String {
    let comps: Value = serde_json::from_str(&r.components).unwrap();
    let vetoes: Value = serde_json::from_str(&r.vetoes).unwrap();
    let c = |k: &str| comps[k].as_str().unwrap_or("").to_string();
    format!(
        "{}|{}|{}|{}|{}|daily {}|{} {} {} {} {}|discipline {}|{:?}/{:?}",
        r.name,
        r.uscc.as_deref().unwrap_or("-"),
        r.tier.as_str(),
        r.region.as_deref().unwrap_or("-"),
        r.unit_type,
        r.daily.as_deref().unwrap_or("-"),
        c("self"),
        c("peer"),
        c("organisation"),
        c("public"),
        c("third_party"),
        vetoes["discipline"],
        r.problems_total,
        r.problems_fixed,
    )
}

/// The table every fixture of the same returns holds (make_formats.py's ROWS).
fn expected(audit_name: &str) -> Vec<String> {
    vec![
        "测试市财政局|114301000061442862|city|测试市|政府机关|daily 90.5|95 92 90.25 93 88.5|discipline false|Some(3)/Some(3)".to_string(),
        format!("{audit_name}|11430100MB1A2B3C46|city|测试市|政府机关|daily 88|91 90 89 94 87|discipline false|Some(0)/Some(0)"),
        "测试县教育局|-|county|测试市测试县|政府机关|daily 85.5|85 85.25 85 95.5 85|discipline true|Some(2)/Some(1)".to_string(),
    ]
}

#[test]
fn every_writer_and_every_name_gives_the_same_returns() {
    // (fixture stem, its own extension, sheet name, 1-based header row)
    let cases = [
        ("csv_gb18030_export", "csv", "csv_gb18030_export", 3),
        ("csv_utf8_bom_excel", "csv", "csv_utf8_bom_excel", 1),
        ("csv_utf8_tab_nobom", "csv", "csv_utf8_tab_nobom", 1),
        ("lo_calc_csv", "csv", "lo_calc_csv", 2),
        (
            "html_gov_export_gb2312",
            "html",
            "html_gov_export_gb2312",
            2,
        ),
        ("lo_calc_html", "html", "lo_calc_html", 2),
        ("xml2003_excel_style", "xml", "申报表", 2),
        ("lo_calc_xml2003", "xml", "申报表", 2),
    ];
    for (stem, ext, sheet, header_row) in cases {
        for name in [format!("{stem}.{ext}"), format!("{stem}.xls")] {
            let (_d, store, rep) = import_fresh(&formats(&name));
            assert_eq!(rep.status, FileStatus::Imported, "{name}: {:?}", rep.errors);
            assert_eq!(
                (rep.sheet.as_deref(), rep.header_row, rep.rows, rep.imported),
                (Some(sheet), Some(header_row), 3, 3),
                "{name}"
            );
            let mut got: Vec<String> = returns::list_current(store.conn(), 2026)
                .unwrap()
                .iter()
                .map(stored)
                .collect();
            got.sort();
            let audit = if stem == "csv_utf8_tab_nobom" {
                "测试市审计局（内审,外审）"
            } else {
                "测试市审计局"
            };
            let mut want = expected(audit);
            want.sort();
            assert_eq!(got, want, "{name}");
        }
    }
}

#[test]
fn a_csv_bad_row_is_placed_where_excel_shows_it_and_sent_back() {
    let path = formats("csv_bad_score_gb18030.csv");
    let (dir, store, rep) = import_fresh(&path);
    assert_eq!(rep.status, FileStatus::Rejected);
    // Row 4, not line 5: the note of row 3 holds a line break inside its quotes.
    assert_eq!(
        rep.errors,
        vec![RowError {
            sheet: Some("csv_bad_score_gb18030".into()),
            row: Some(4),
            column: Some("J".into()),
            header: Some("群众测评".into()),
            value: Some("九十".into()),
            message: "不是有效的分数".into(),
        }]
    );
    assert!(returns::list_current(store.conn(), 2026)
        .unwrap()
        .is_empty());

    let out = dir.path().join("错误报告.xlsx");
    import::error_book::write(&out, &[(path, &rep)]).unwrap();
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["错误汇总", "提示", "csv_bad_score_gb18030"]
    );
    let summary = wb.worksheet_range("错误汇总").unwrap();
    let line: Vec<String> = summary
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        line,
        vec![
            "csv_bad_score_gb18030.csv",
            "csv_bad_score_gb18030",
            "4",
            "J",
            "群众测评",
            "九十",
            "不是有效的分数"
        ]
    );
    let own = wb.worksheet_range("csv_bad_score_gb18030").unwrap();
    assert_eq!(own.height(), 2);
    let row: Vec<&Data> = own.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[0], &Data::Float(4.0));
    assert_eq!(row[1], &Data::String("测试市统计局".into()));
    assert_eq!(row[10], &Data::String("九十".into()));
    assert_eq!(
        row[16],
        &Data::String("J列（群众测评）：不是有效的分数".into())
    );

    // The same bytes named .xls are read the same way.
    let xls = dir.path().join("统计局申报.xls");
    std::fs::copy(formats("csv_bad_score_gb18030.csv"), &xls).unwrap();
    let (_d2, _s2, rep) = import_fresh(&xls);
    assert_eq!(rep.errors.len(), 1);
    assert_eq!(
        (
            rep.errors[0].sheet.as_deref(),
            rep.errors[0].row,
            rep.errors[0].column.as_deref()
        ),
        (Some("统计局申报"), Some(4), Some("J"))
    );
}

#[test]
fn html_cells_are_placed_as_excel_lays_out_spans() {
    let (dir, mut store) = store_2026();
    // 层级 spans two rows, so the second row's cells start one column further right; the
    // bad score of that row sits in column L (第三方评价), though it is its 11th <td>.
    let html = format!(
        "<html><head><meta charset=\"utf-8\"></head><body><table>
         <tr><th colspan=15>标题</th></tr>
         <tr>{}</tr>
         <tr><td>1</td><td>甲局</td><td></td><td rowspan=2>市级</td><td>测试市</td><td>政府机关</td>
             <td>90</td><td>90</td><td>90</td><td>90</td><td>90</td><td>90</td><td>否</td><td>1</td><td>1</td></tr>
         <tr><td>2</td><td>乙局</td><td></td><td>测试市</td><td>政府机关</td>
             <td>91</td><td>91</td><td>91</td><td>91</td><td>91</td><td>九一</td><td>否</td><td>0</td><td>0</td></tr>
         </table></body></html>",
        [
            "序号", "单位名称", "统一社会信用代码", "层级", "所属地区", "单位类型", "日常考核", "个人自评",
            "党员互评", "组织考评", "群众测评", "第三方评价", "严重违纪违法", "问题清单数", "已整改数"
        ]
        .map(|h| format!("<th>{h}</th>"))
        .join("")
    );
    let p = dir.path().join("导出.xls");
    std::fs::write(&p, html).unwrap();
    let rep = import(&mut store, &p, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(
        rep.errors,
        vec![RowError {
            sheet: Some("导出".into()),
            row: Some(4),
            column: Some("L".into()),
            header: Some("第三方评价".into()),
            value: Some("九一".into()),
            message: "不是有效的分数".into(),
        }]
    );
    // With the bad score fixed, 乙局 takes 市级 from the span and imports.
    let fixed = std::fs::read_to_string(&p).unwrap().replace("九一", "91");
    std::fs::write(&p, fixed).unwrap();
    let rep = import(&mut store, &p, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    let rows = returns::list_current(store.conn(), 2026).unwrap();
    let yi = rows.iter().find(|r| r.name == "乙局").unwrap();
    assert_eq!((yi.tier.as_str(), yi.row), ("city", 4));
}

#[test]
fn xml2003_cells_follow_ss_index_and_a_writer_that_overlaps_merges_is_refused() {
    let (dir, mut store) = store_2026();
    // 备注 (E) is left out of the second data row: its next cell names column F.
    let header: String = [
        "单位名称",
        "层级",
        "所属地区",
        "单位类型",
        "备注",
        "日常考核",
        "个人自评",
        "党员互评",
        "组织考评",
        "群众测评",
        "第三方评价",
    ]
    .map(|h| format!("<Cell><Data ss:Type=\"String\">{h}</Data></Cell>"))
    .join("");
    let text = |v: &str| format!("<Cell><Data ss:Type=\"String\">{v}</Data></Cell>");
    let num = |v: &str| format!("<Cell><Data ss:Type=\"Number\">{v}</Data></Cell>");
    let unit = |name: &str| [name, "市级", "测试市", "政府机关"].map(text).join("");
    let xml = format!(
        r#"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="汇总"><Table>
  <Row><Cell ss:MergeAcross="10"><Data ss:Type="String">标题</Data></Cell></Row>
  <Row>{header}</Row>
  <Row ss:Index="4">{a}{note}{a_scores}</Row>
  <Row>{b}<Cell ss:Index="6"><Data ss:Type="Number">91</Data></Cell>{b_scores}</Row>
 </Table></Worksheet>
</Workbook>"#,
        a = unit("甲局"),
        note = text("已核"),
        a_scores = ["90", "90", "90", "90", "90", "90"].map(num).join(""),
        b = unit("乙局"),
        b_scores = ["91", "91", "91", "101", "91"].map(num).join(""),
    );
    let p = dir.path().join("xml表.xls");
    std::fs::write(&p, xml).unwrap();
    let rep = import(&mut store, &p, false);
    assert_eq!(
        rep.errors,
        vec![RowError {
            sheet: Some("汇总".into()),
            row: Some(5),
            column: Some("J".into()),
            header: Some("群众测评".into()),
            value: Some("101".into()),
            message: "分数应在0–100之间".into(),
        }]
    );

    let before = fingerprint(&store);
    for name in [
        "lo_calc_xml2003_merged_header.xml",
        "lo_calc_xml2003_merged_header.xls",
    ] {
        let rep = import(&mut store, &formats(name), false);
        assert_eq!(rep.status, FileStatus::Rejected);
        assert_eq!(
            rep.errors[0].message,
            "工作表“申报表”第3行A列的单元格落在合并单元格A2:A3之内（写出这个XML表格的程序没有跳过合并区域），Excel打开时会报错或错位；请在Excel中打开核对后另存为.xlsx",
            "{name}"
        );
    }
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn refusals_say_what_the_file_is() {
    const ASK: &str = "请向报送单位索要Excel格式的申报表（.xlsx）";
    let (dir, mut store) = store_2026();
    let before = fingerprint(&store);
    let mut cases: Vec<(PathBuf, String)> = Vec::new();
    for (stem, ext, message) in [
        (
            "refuse_pdf",
            "pdf",
            format!("这是PDF文件，不是Excel工作簿，无法读取其中的数据；{ASK}"),
        ),
        (
            "refuse_word",
            "docx",
            "这是Word文档，不是Excel工作簿；请把其中的表格复制到Excel中，另存为.xlsx后导入".into(),
        ),
        (
            "refuse_word97",
            "doc",
            "这是Word文档，不是Excel工作簿；请把其中的表格复制到Excel中，另存为.xlsx后导入".into(),
        ),
        (
            "refuse_png",
            "png",
            format!("这是图片文件（PNG），不是Excel工作簿，无法读取其中的数据；{ASK}"),
        ),
        (
            "refuse_zip",
            "zip",
            "这是压缩包（.zip），请解压后导入其中的Excel文件".into(),
        ),
    ] {
        cases.push((formats(&format!("{stem}.{ext}")), message.clone()));
        cases.push((formats(&format!("{stem}.xls")), message));
    }
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let web = "这是一个网页文件（HTML），其中没有表格，无法读取申报数据；请在Excel中打开核对后另存为.xlsx";
    let plain = "这是纯文本文件，不是用逗号、制表符或分号分隔的表格（CSV），无法读取申报数据";
    let empty = "这是一个空文件，没有任何内容，请让报送单位重新导出或保存后再发送";
    for (p, m) in [
        (write("空.xls", b""), empty),
        (write("空白.csv", b"\xEF\xBB\xBF \r\n"), empty),
        (
            write("网页.xls", "<!DOCTYPE html><html><body><h1>登录超时</h1><p>请重新登录</p></body></html>".as_bytes()),
            web,
        ),
        (write("网页.htm", "<div>申报系统</div>".as_bytes()), web),
        (write("说明.xls", "请各单位于1月31日前报送申报表。\n联系人：张三\n".as_bytes()), plain),
        (
            write("其他.xml", b"<?xml version=\"1.0\"?><config><item/></config>"),
            "这是XML文件，但不是Excel的XML表格（XML Spreadsheet 2003），无法读取；请在Excel中打开核对后另存为.xlsx",
        ),
        (
            write("照片.xls", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            "这是图片文件（GIF），不是Excel工作簿，无法读取其中的数据；请向报送单位索要Excel格式的申报表（.xlsx）",
        ),
        (write("打包.xls", b"Rar!\x1a\x07\x01\x00rest"), "这是压缩包（.rar），请解压后导入其中的Excel文件"),
        (
            write("乱码.xls", b"\x00\x01\x02\x03binary"),
            "不是Excel工作簿，也不是CSV、网页或XML表格，无法识别；请导入 .xlsx、.xls、.ods 或 .csv 文件",
        ),
        (
            write("编码.csv", b"\xb5\xa5\xce\xbb,\xff\xff,a\n"),
            "文件中有无法识别的字符（文字编码既不是UTF-8也不是GB18030/GBK），请在Excel中打开核对后另存为.xlsx",
        ),
    ] {
        cases.push((p, m.to_string()));
    }
    for (path, message) in cases {
        let rep = import(&mut store, &path, false);
        assert_eq!(rep.status, FileStatus::Rejected, "{}", path.display());
        assert_eq!(
            rep.errors,
            vec![RowError::general(None, message)],
            "{}",
            path.display()
        );
    }
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn a_text_file_larger_than_the_bound_is_refused_before_it_is_decoded() {
    let scheme = mofan::scheme::Scheme::default_scheme();
    let mut bytes = "单位名称,层级,单位类型\n".as_bytes().to_vec();
    bytes.resize(import::text::MAX_TEXT_BYTES + 1, b'a');
    let a = import::analyze(&import::Returns::new(scheme, 2026, &[]), bytes, "大.csv");
    assert!(a.unreadable);
    assert_eq!(a.errors[0].message, "文件超过64MB，不像申报表，请检查文件");
}

#[test]
fn returns_folders_take_the_text_formats_too() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "a.csv", "b.htm", "c.html", "d.xml", "e.xls", "f.txt", "g.pdf", "~$h.csv",
    ] {
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    let files = mofan::pipeline::expand_returns(&[dir.path().to_path_buf()]).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["a.csv", "b.htm", "c.html", "d.xml", "e.xls"]);
    let empty = tempfile::tempdir().unwrap();
    let err = mofan::pipeline::expand_returns(&[empty.path().to_path_buf()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "没有找到申报表文件（.xlsx .xlsm .xls .xlsb .ods .et .csv .htm .html .xml）"
    );
}
