//! The return template (申报模板): its sheets, header and drop-down validation as written
//! to the file, and the round trip — a template filled in through the same code path
//! imports with every value exact, for the default scheme and for a custom one.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use mofan::campaign;
use mofan::import::{self, FileStatus};
use mofan::scheme::Scheme;
use mofan::store::{returns, Store};
use mofan::template::{self, ColumnKind, Row, Value};
use quick_xml::events::Event;
use serde_json::json;

/// A custom scheme: other title, unit types, daily label and share, components, vetoes.
const CUSTOM: &str = r#"
year = 2027
award_title = "文明机关"
unit_types = ["综合管理部门", "行政执法部门", "窗口服务单位"]

[composite]
daily_share = 0.2
daily_label = "平时考核"

[[components]]
key = "work"
label = "工作实绩"
weight = 0.7

[[components]]
key = "party"
label = "党建成效"
weight = 0.3

[[vetoes]]
key = "corruption"
label = "发生腐败案件"

[[vetoes]]
key = "petition"
label = "发生越级集体上访"

[[quotas]]
tier = "province"
count = 2

[[quotas]]
tier = "city"
count = 1

[[quotas]]
tier = "county"
count = 1
"#;

/// The cells of a sheet as text, by 0-based (row, column).
fn cells(path: &Path, sheet: &str) -> HashMap<(u32, u32), String> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut out = HashMap::new();
    for (r, row) in range.rows().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let t = match v {
                Data::Empty => continue,
                Data::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.insert((r0 + r as u32, c0 + c as u32), t);
        }
    }
    out
}

/// One `<dataValidation>` element of a sheet.
#[derive(Debug, Default, Clone)]
struct Validation {
    attrs: HashMap<String, String>,
    formula1: String,
    formula2: String,
}

impl Validation {
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map(String::as_str).unwrap_or("")
    }
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// An element's attributes by local name, unescaped.
fn attrs_of(e: &quick_xml::events::BytesStart<'_>) -> HashMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.unwrap();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned();
            (a.key.local_name().into_inner().to_string(), value)
        })
        .collect()
}

/// Every element's attributes with this local name.
fn elements(xml: &str, local: &str) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == local => {
                out.push(attrs_of(&e));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The XML of the sheet part named `sheet`, found through workbook.xml and its rels.
fn sheet_xml(bytes: &[u8], sheet: &str) -> String {
    let workbook = zip_entry(bytes, "xl/workbook.xml");
    let rels = zip_entry(bytes, "xl/_rels/workbook.xml.rels");
    let rid = elements(&workbook, "sheet")
        .into_iter()
        .find(|a| a["name"] == sheet)
        .unwrap_or_else(|| panic!("no sheet {sheet}"))["id"]
        .clone();
    let target = elements(&rels, "Relationship")
        .into_iter()
        .find(|a| a["Id"] == rid)
        .unwrap()["Target"]
        .clone();
    zip_entry(bytes, &format!("xl/{}", target.trim_start_matches("/xl/")))
}

/// The data validations of a sheet, in file order.
fn validations(bytes: &[u8], sheet: &str) -> Vec<Validation> {
    let xml = sheet_xml(bytes, sheet);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out: Vec<Validation> = Vec::new();
    let mut inside: Option<&'static str> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().into_inner() == "dataValidation" =>
            {
                out.push(Validation {
                    attrs: attrs_of(&e),
                    ..Validation::default()
                });
            }
            Event::Start(e) if e.local_name().into_inner() == "formula1" => inside = Some("1"),
            Event::Start(e) if e.local_name().into_inner() == "formula2" => inside = Some("2"),
            Event::End(e) if matches!(e.local_name().into_inner(), "formula1" | "formula2") => {
                inside = None
            }
            Event::Text(t) => {
                if let (Some(which), Some(v)) = (inside, out.last_mut()) {
                    let s = t.xml10_content();
                    match which {
                        "1" => v.formula1.push_str(&s),
                        _ => v.formula2.push_str(&s),
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(which), Some(v)) = (inside, out.last_mut()) {
                    let s = match &*r.xml10_content() {
                        "quot" => "\"",
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "apos" => "'",
                        other => panic!("entity {other}"),
                    };
                    match which {
                        "1" => v.formula1.push_str(s),
                        _ => v.formula2.push_str(s),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The validation covering exactly this column's data rows (Excel rows 4–503).
fn validation_of(vs: &[Validation], col: usize) -> &Validation {
    let letter = column_letter(col);
    let sqref = format!("{letter}4:{letter}503");
    let found: Vec<&Validation> = vs.iter().filter(|v| v.attr("sqref") == sqref).collect();
    assert_eq!(found.len(), 1, "validations of {sqref}: {vs:?}");
    found[0]
}

fn column_letter(col: usize) -> String {
    mofan::import::workbook::column_letter(col as u32)
}

fn col_of(scheme: &Scheme, kind: ColumnKind) -> usize {
    template::columns(scheme)
        .iter()
        .position(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no column {kind:?}"))
}

/// Checks the header, the validations and the print set-up against the scheme.
fn check_layout(path: &Path, scheme: &Scheme, title: &str) {
    let bytes = std::fs::read(path).unwrap();
    let wb = open_workbook_auto(path).unwrap();
    assert_eq!(wb.sheet_names(), vec!["申报表", "填表说明"]);
    let cols = template::columns(scheme);
    let c = cells(path, "申报表");
    assert_eq!(c.get(&(0, 0)).map(String::as_str), Some(title));
    // Two header rows: a parent over the components and over the vetoes, each other
    // header alone in the upper row (merged down).
    for (i, col) in cols.iter().enumerate() {
        let top = c.get(&(1, i as u32)).cloned().unwrap_or_default();
        let below = c.get(&(2, i as u32)).cloned().unwrap_or_default();
        match col.parent {
            None => {
                assert_eq!(top, col.header, "column {i}");
                assert_eq!(below, "", "column {i}");
            }
            Some(_) => assert_eq!(below, col.header, "column {i}"),
        }
    }
    let first_comp = col_of(scheme, ColumnKind::Component(0));
    assert_eq!(c[&(1, first_comp as u32)], "年度考核得分");
    assert_eq!(c[&(2, first_comp as u32)], scheme.components[0].label);
    let first_veto = col_of(scheme, ColumnKind::Veto(0));
    assert_eq!(first_veto, first_comp + scheme.components.len());
    assert_eq!(c[&(1, first_veto as u32)], "一票否决事项");
    assert_eq!(c[&(2, first_veto as u32)], scheme.vetoes[0].label);
    let headers: Vec<&str> = cols.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(
        headers[..7],
        [
            "序号",
            "单位名称",
            "统一社会信用代码",
            "层级",
            "所属地区",
            "单位类型",
            scheme.daily_label.as_str()
        ]
    );
    assert_eq!(*headers.last().unwrap(), "备注");
    // No data in the empty template, and the notes sheet is not empty.
    assert!(c.keys().all(|(r, _)| *r < 3), "data below the header");
    let notes = cells(path, "填表说明");
    let all_notes: String = notes.values().cloned().collect::<Vec<_>>().join("\n");
    for t in &scheme.unit_types {
        assert!(all_notes.contains(t.as_str()), "{t} not in 填表说明");
    }
    assert!(all_notes.contains("18位") && all_notes.contains("所属地区"));

    // Drop-downs and input checks on 500 data rows.
    let vs = validations(&bytes, "申报表");
    let tier = validation_of(&vs, col_of(scheme, ColumnKind::Tier));
    assert_eq!(
        (tier.attr("type"), tier.formula1.as_str()),
        ("list", "\"省直,市级,县级\"")
    );
    let ut = validation_of(&vs, col_of(scheme, ColumnKind::UnitType));
    assert_eq!(ut.attr("type"), "list");
    assert_eq!(ut.formula1, format!("\"{}\"", scheme.unit_types.join(",")));
    for i in 0..scheme.vetoes.len() {
        let v = validation_of(&vs, col_of(scheme, ColumnKind::Veto(i)));
        assert_eq!((v.attr("type"), v.formula1.as_str()), ("list", "\"是,否\""));
    }
    let scores = std::iter::once(ColumnKind::Daily)
        .chain((0..scheme.components.len()).map(ColumnKind::Component));
    for k in scores {
        let v = validation_of(&vs, col_of(scheme, k));
        assert_eq!(v.attr("type"), "decimal", "{k:?}");
        assert_eq!((v.formula1.as_str(), v.formula2.as_str()), ("0", "100"));
        assert!(v.attr("error").contains("0–100"), "{v:?}");
        assert!(v.attr("prompt").contains("0–100分"), "{v:?}");
    }
    for k in [
        ColumnKind::Complaints,
        ColumnKind::ProblemsTotal,
        ColumnKind::ProblemsFixed,
    ] {
        let v = validation_of(&vs, col_of(scheme, k));
        assert_eq!(
            (v.attr("type"), v.attr("operator"), v.formula1.as_str()),
            ("whole", "greaterThanOrEqual", "0"),
            "{k:?}"
        );
    }
    let uscc = validation_of(&vs, col_of(scheme, ColumnKind::Uscc));
    assert_eq!(
        (uscc.attr("type"), uscc.formula1.as_str()),
        ("textLength", "18")
    );
    assert!(validations(&bytes, "填表说明").is_empty());

    // Frozen header, A4 landscape with the header rows repeated, a CJK font, no formulas.
    let xml = sheet_xml(&bytes, "申报表");
    let pane = &elements(&xml, "pane")[0];
    assert_eq!(
        (pane["ySplit"].as_str(), pane["state"].as_str()),
        ("3", "frozen")
    );
    let setup = &elements(&xml, "pageSetup")[0];
    assert_eq!(
        (setup["paperSize"].as_str(), setup["orientation"].as_str()),
        ("9", "landscape")
    );
    let workbook = zip_entry(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("'申报表'!$2:$3") || workbook.contains("申报表!$2:$3"),
        "{workbook}"
    );
    let styles = zip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("宋体"));
    // The USCC column is formatted as text ("@"), so that an all-digit code typed in
    // stays as written.
    let uscc_col = col_of(scheme, ColumnKind::Uscc) + 1;
    let num = |a: &HashMap<String, String>, k: &str| a[k].parse::<usize>().unwrap();
    let style: usize = elements(&xml, "col")
        .into_iter()
        .find(|a| num(a, "min") <= uscc_col && uscc_col <= num(a, "max"))
        .expect("a <col> for the USCC column")["style"]
        .parse()
        .unwrap();
    let cell_xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xfs = elements(&format!("{cell_xfs}</cellXfs>"), "xf");
    let id = &xfs[style]["numFmtId"];
    let text_format = id == "49"
        || elements(&styles, "numFmt")
            .iter()
            .any(|f| &f["numFmtId"] == id && f["formatCode"] == "@");
    assert!(text_format, "numFmtId {id}");
    assert!(
        !xml.contains("<f>") && !xml.contains("<f "),
        "a formula cell"
    );
}

#[test]
fn the_default_template_has_the_header_and_the_drop_downs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("申报模板.xlsx");
    let scheme = Scheme::default_scheme();
    template::write_template(&scheme, Some(2026), &out).unwrap();
    check_layout(&out, &scheme, "2026年度模范机关申报表");
    let headers: Vec<String> = template::columns(&scheme)
        .into_iter()
        .map(|c| c.header)
        .collect();
    assert_eq!(
        headers,
        [
            "序号",
            "单位名称",
            "统一社会信用代码",
            "层级",
            "所属地区",
            "单位类型",
            "日常考核",
            "个人自评",
            "党员互评",
            "组织考评",
            "群众测评",
            "第三方评价",
            "发生严重违纪违法问题",
            "意识形态工作责任制落实不力",
            "发生重大安全责任事故",
            "巡视巡察反馈问题整改不力",
            "群众反映问题数",
            "问题清单数",
            "已整改数",
            "备注",
        ]
    );
    // Written atomically: only the template in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn t(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

/// Three filled rows for the default scheme: a province, a city and a county agency.
fn default_rows() -> Vec<Row> {
    use ColumnKind::*;
    vec![
        vec![
            (Serial, n(1.0)),
            (Name, t("测试省财政厅")),
            (Uscc, t("11440100848834635E")),
            (Tier, t("省直")),
            (UnitType, t("政府机关")),
            (Daily, n(92.5)),
            (Component(0), n(95.0)),
            (Component(1), n(90.25)),
            (Component(2), n(88.0)),
            (Component(3), n(93.5)),
            (Component(4), n(91.0)),
            (Veto(0), t("否")),
            (Veto(1), t("否")),
            (Veto(2), t("否")),
            (Veto(3), t("否")),
            (Complaints, n(0.0)),
            (ProblemsTotal, n(3.0)),
            (ProblemsFixed, n(3.0)),
            (Remarks, t("=SUM(A1:A3)")),
        ],
        vec![
            (Serial, n(2.0)),
            (Name, t("广州市档案局")),
            (Tier, t("市级")),
            (Region, t("广州市")),
            (UnitType, t("党群机关")),
            (Daily, n(88.75)),
            (Component(0), n(90.0)),
            (Component(1), n(89.5)),
            (Component(2), n(87.25)),
            (Component(3), n(92.0)),
            (Component(4), n(86.0)),
            (Veto(0), t("否")),
            (Veto(1), t("是")),
            (Veto(2), t("否")),
            (Veto(3), t("否")),
            (Complaints, n(6.0)),
            (ProblemsTotal, n(5.0)),
            (ProblemsFixed, n(2.0)),
        ],
        vec![
            (Serial, n(3.0)),
            (Name, t("广州市越秀区机关事务管理局")),
            (Uscc, t("114401039115856282")),
            (Tier, t("县级")),
            (Region, t("广州市越秀区")),
            (UnitType, t("参公事业单位")),
            (Daily, n(100.0)),
            (Component(0), n(0.0)),
            (Component(1), n(99.99)),
            (Component(2), n(100.0)),
            (Component(3), n(75.5)),
            (Component(4), n(60.0)),
            (Complaints, n(1.0)),
            (ProblemsTotal, n(0.0)),
            (ProblemsFixed, n(0.0)),
            (Remarks, t("新组建单位")),
        ],
    ]
}

/// The only warnings a filled template may give: 序号 and 备注 are not imported, and
/// 填表说明 has no header.
fn expected_warnings(scheme: &Scheme) -> Vec<String> {
    let cols = template::columns(scheme);
    let last = column_letter(cols.len() - 1);
    vec![
        format!("工作表“申报表”中未识别的列已忽略：A列“序号”、{last}列“备注”"),
        "工作表“填表说明”中未找到表头，已跳过".to_string(),
    ]
}

fn current(store: &Store, year: i32) -> Vec<returns::ReturnRow> {
    let mut rows = returns::list_current(store.conn(), year).unwrap();
    rows.sort_by_key(|r| r.row);
    rows
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn a_filled_default_template_imports_every_value_exactly() {
    let scheme = Scheme::default_scheme();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("测试省财政厅等_申报表.xlsx");
    let bytes = template::render(&scheme, Some(2026), &default_rows()).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    // Text that looks like a formula is still text.
    assert!(!sheet_xml(&bytes, "申报表").contains("<f>"));

    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep.errors.is_empty(), "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported), (3, 3));
    assert_eq!(
        (rep.sheet.as_deref(), rep.header_row),
        (Some("申报表"), Some(2))
    );
    assert_eq!(rep.warnings, expected_warnings(&scheme));

    let rows = current(&store, 2026);
    assert_eq!(rows.len(), 3);
    let p = &rows[0];
    assert_eq!(
        (p.sheet.as_str(), p.row, p.name.as_str(), p.uscc.as_deref()),
        ("申报表", 4, "测试省财政厅", Some("11440100848834635E"))
    );
    assert_eq!(
        (p.tier.as_str(), p.region.as_deref(), p.unit_type.as_str()),
        ("province", None, "政府机关")
    );
    assert_eq!(p.daily.as_deref(), Some("92.5"));
    assert_eq!(
        json(&p.components),
        json!({"self": "95", "peer": "90.25", "organisation": "88", "public": "93.5", "third_party": "91"})
    );
    assert_eq!(
        json(&p.vetoes),
        json!({"discipline": false, "ideology": false, "safety": false, "inspection": false})
    );
    assert_eq!(
        (p.complaints, p.problems_total, p.problems_fixed),
        (Some(0), Some(3), Some(3))
    );

    let c = &rows[1];
    assert_eq!(
        (c.row, c.name.as_str(), c.uscc.as_deref(), c.tier.as_str()),
        (5, "广州市档案局", None, "city")
    );
    assert_eq!(
        (
            c.region.as_deref(),
            c.unit_type.as_str(),
            c.daily.as_deref()
        ),
        (Some("广州市"), "党群机关", Some("88.75"))
    );
    assert_eq!(
        json(&c.components),
        json!({"self": "90", "peer": "89.5", "organisation": "87.25", "public": "92", "third_party": "86"})
    );
    assert_eq!(
        json(&c.vetoes),
        json!({"discipline": false, "ideology": true, "safety": false, "inspection": false})
    );
    assert_eq!(
        (c.complaints, c.problems_total, c.problems_fixed),
        (Some(6), Some(5), Some(2))
    );

    let k = &rows[2];
    assert_eq!(
        (k.row, k.name.as_str(), k.uscc.as_deref(), k.tier.as_str()),
        (
            6,
            "广州市越秀区机关事务管理局",
            Some("114401039115856282"),
            "county"
        )
    );
    assert_eq!(
        (
            k.region.as_deref(),
            k.unit_type.as_str(),
            k.daily.as_deref()
        ),
        (Some("广州市越秀区"), "参公事业单位", Some("100"))
    );
    assert_eq!(
        json(&k.components),
        json!({"self": "0", "peer": "99.99", "organisation": "100", "public": "75.5", "third_party": "60"})
    );
    // Blank veto cells read as 否.
    assert_eq!(
        json(&k.vetoes),
        json!({"discipline": false, "ideology": false, "safety": false, "inspection": false})
    );
    assert_eq!(
        (k.complaints, k.problems_total, k.problems_fixed),
        (Some(1), Some(0), Some(0))
    );
}

#[test]
fn a_bad_value_in_a_filled_template_names_its_cell() {
    // The template's own layout gives the importer's messages the right places.
    let scheme = Scheme::default_scheme();
    let mut rows = default_rows();
    rows[1].push((ColumnKind::Component(2), n(101.0)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("坏.xlsx");
    std::fs::write(&path, template::render(&scheme, None, &rows).unwrap()).unwrap();
    let (_d, mut store) = store_2026();
    let rep = import(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.errors.len(), 1, "{:?}", rep.errors);
    let e = &rep.errors[0];
    assert_eq!(
        (e.row, e.column.as_deref(), e.header.as_deref()),
        (Some(5), Some("J"), Some("年度考核得分/组织考评"))
    );
}

/// Rows for the custom scheme.
fn custom_rows() -> Vec<Row> {
    use ColumnKind::*;
    vec![
        vec![
            (Name, t("某省市场监督管理局")),
            (Uscc, t("91350100M000100Y43")),
            (Tier, t("省直")),
            (UnitType, t("行政执法部门")),
            (Daily, n(81.5)),
            (Component(0), n(93.25)),
            (Component(1), n(88.0)),
            (Veto(0), t("否")),
            (Veto(1), t("是")),
            (Complaints, n(2.0)),
            (ProblemsTotal, n(4.0)),
            (ProblemsFixed, n(1.0)),
        ],
        vec![
            (Name, t("某县政务服务中心")),
            (Tier, t("县级")),
            (Region, t("某市某县")),
            (UnitType, t("窗口服务单位")),
            (Daily, n(97.0)),
            (Component(0), n(96.5)),
            (Component(1), n(94.75)),
            (Veto(0), t("否")),
            (Veto(1), t("否")),
        ],
    ]
}

#[test]
fn a_custom_scheme_gives_its_own_template_and_round_trip() {
    let scheme = Scheme::parse(CUSTOM).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("文明机关申报模板.xlsx");
    template::write_template(&scheme, None, &empty).unwrap();
    check_layout(&empty, &scheme, "2027年度文明机关申报表");
    let headers: Vec<String> = template::columns(&scheme)
        .into_iter()
        .map(|c| c.header)
        .collect();
    assert_eq!(
        headers,
        [
            "序号",
            "单位名称",
            "统一社会信用代码",
            "层级",
            "所属地区",
            "单位类型",
            "平时考核",
            "工作实绩",
            "党建成效",
            "发生腐败案件",
            "发生越级集体上访",
            "群众反映问题数",
            "问题清单数",
            "已整改数",
            "备注",
        ]
    );

    let filled = dir.path().join("文明机关申报表_已填.xlsx");
    std::fs::write(
        &filled,
        template::render(&scheme, None, &custom_rows()).unwrap(),
    )
    .unwrap();
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    campaign::create(&mut store, 2027, Some(CUSTOM), "测试员").unwrap();
    let returns = import::Returns::open(&store, 2027, &[]).unwrap();
    let rep = import::import_file(&mut store, &returns, &filled, &opts(false)).unwrap();
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep.errors.is_empty());
    assert_eq!((rep.rows, rep.imported), (2, 2));
    assert_eq!(rep.warnings, expected_warnings(&scheme));
    let rows = current(&store, 2027);
    let a = &rows[0];
    assert_eq!(
        (
            a.name.as_str(),
            a.uscc.as_deref(),
            a.tier.as_str(),
            a.region.as_deref()
        ),
        (
            "某省市场监督管理局",
            Some("91350100M000100Y43"),
            "province",
            None
        )
    );
    assert_eq!(
        (a.unit_type.as_str(), a.daily.as_deref()),
        ("行政执法部门", Some("81.5"))
    );
    assert_eq!(json(&a.components), json!({"work": "93.25", "party": "88"}));
    assert_eq!(
        json(&a.vetoes),
        json!({"corruption": false, "petition": true})
    );
    assert_eq!(
        (a.complaints, a.problems_total, a.problems_fixed),
        (Some(2), Some(4), Some(1))
    );
    let b = &rows[1];
    assert_eq!(
        (
            b.name.as_str(),
            b.uscc.as_deref(),
            b.tier.as_str(),
            b.region.as_deref()
        ),
        ("某县政务服务中心", None, "county", Some("某市某县"))
    );
    assert_eq!(
        (b.unit_type.as_str(), b.daily.as_deref()),
        ("窗口服务单位", Some("97"))
    );
    assert_eq!(
        json(&b.components),
        json!({"work": "96.5", "party": "94.75"})
    );
    assert_eq!(
        json(&b.vetoes),
        json!({"corruption": false, "petition": false})
    );
    assert_eq!(
        (b.complaints, b.problems_total, b.problems_fixed),
        (None, None, None)
    );

    // The default scheme's template does not fit this campaign: its components are
    // not the campaign's, so the file is refused rather than misread.
    let other = dir.path().join("默认模板.xlsx");
    template::write_template(&Scheme::default_scheme(), None, &other).unwrap();
    let returns = import::Returns::open(&store, 2027, &[]).unwrap();
    let rep = import::import_file(&mut store, &returns, &other, &opts(false)).unwrap();
    assert_eq!(rep.status, FileStatus::Rejected);
    assert!(
        rep.errors[0].message.contains("工作实绩"),
        "{:?}",
        rep.errors
    );
}

#[test]
fn a_long_unit_type_list_comes_from_a_hidden_sheet() {
    // Excel's inline lists hold 255 characters: 40 unit types need a cell range.
    let types: Vec<String> = (1..=40).map(|i| format!("第{i}类直属机关单位")).collect();
    let toml = CUSTOM.replace(
        r#"unit_types = ["综合管理部门", "行政执法部门", "窗口服务单位"]"#,
        &format!(
            "unit_types = [{}]",
            types
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let scheme = Scheme::parse(&toml).unwrap();
    assert_eq!(scheme.unit_types, types);
    let mut rows = custom_rows();
    rows[0][3] = (ColumnKind::UnitType, t("第1类直属机关单位"));
    rows[1][3] = (ColumnKind::UnitType, t("第39类直属机关单位"));
    let bytes = template::render(&scheme, None, &rows).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("多类型.xlsx");
    std::fs::write(&path, &bytes).unwrap();

    let vs = validations(&bytes, "申报表");
    let ut = validation_of(&vs, col_of(&scheme, ColumnKind::UnitType));
    assert_eq!(
        (ut.attr("type"), ut.formula1.as_str()),
        ("list", "'下拉选项'!$A$1:$A$40")
    );
    let mut wb = open_workbook_auto(&path).unwrap();
    let hidden: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|m| (m.name.clone(), m.visible != calamine::SheetVisible::Visible))
        .collect();
    assert_eq!(
        hidden,
        [
            ("申报表".to_string(), false),
            ("填表说明".to_string(), false),
            ("下拉选项".to_string(), true)
        ]
    );
    let list = wb.worksheet_range("下拉选项").unwrap();
    let listed: Vec<String> = list.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(listed, types);

    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    campaign::create(&mut store, 2027, Some(&toml), "测试员").unwrap();
    let returns = import::Returns::open(&store, 2027, &[]).unwrap();
    let rep = import::import_file(&mut store, &returns, &path, &opts(false)).unwrap();
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!(rep.warnings, expected_warnings(&scheme));
    let units: Vec<String> = current(&store, 2027)
        .into_iter()
        .map(|r| r.unit_type)
        .collect();
    assert_eq!(units, ["第1类直属机关单位", "第39类直属机关单位"]);
}

#[test]
fn cli_writes_the_template_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("申报模板.xlsx");
    let r = mofan_without_db(&["template", "--out", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(
        text(&r.stdout).trim(),
        format!("已生成申报模板 {}", out.display())
    );
    check_layout(&out, &Scheme::default_scheme(), "模范机关申报表");

    let custom = dir.path().join("scheme.toml");
    std::fs::write(&custom, CUSTOM).unwrap();
    let out2 = dir.path().join("文明机关.xlsx");
    let r = mofan_without_db(&[
        "template",
        "--scheme",
        custom.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    check_layout(
        &out2,
        &Scheme::parse(CUSTOM).unwrap(),
        "2027年度文明机关申报表",
    );

    let r = mofan_without_db(&["template", "--year", "2026", "--out", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    check_layout(&out, &Scheme::default_scheme(), "2026年度模范机关申报表");

    // A bad scheme: exit 1, the scheme's message, nothing written.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "award_title = 1\n").unwrap();
    let none = dir.path().join("不应生成.xlsx");
    let r = mofan_without_db(&[
        "template",
        "--scheme",
        bad.to_str().unwrap(),
        "--out",
        none.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        text(&r.stderr).contains("评选方案有误"),
        "{}",
        text(&r.stderr)
    );
    assert!(!none.exists());
    // A year that contradicts the scheme: exit 1.
    let r = mofan_without_db(&[
        "template",
        "--scheme",
        custom.to_str().unwrap(),
        "--year",
        "2026",
        "--out",
        none.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(text(&r.stderr).contains("2027年度"), "{}", text(&r.stderr));
    assert!(!none.exists());
    // A missing scheme file: exit 1.
    let r = mofan_without_db(&[
        "template",
        "--scheme",
        dir.path().join("无.toml").to_str().unwrap(),
        "--out",
        none.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(!none.exists());
    // Usage errors: exit 2.
    assert_eq!(mofan_without_db(&["template"]).status.code(), Some(2));
    assert_eq!(
        mofan_without_db(&["template", "--out", "x.xlsx", "--bogus"])
            .status
            .code(),
        Some(2)
    );
}
