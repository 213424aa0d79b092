//! The result workbook (评选结果.xlsx): golden files of its XML parts, read-back with
//! calamine, hostile text, determinism, errors, and `mofan select --out`.
//!
//! The golden references live in `tests/fixtures/golden/result_book/`, one file per
//! compared part with a line break between tags (so a difference reads as a diff).
//! After a deliberate change to the workbook, regenerate them with
//!
//!     MOFAN_BLESS=1 cargo test --test it result_book::
//!
//! and review the diff before committing.

use std::str::FromStr;

use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;

use mofan::export::results::{
    self, Decision, ExportError, InputFile, InputKind, ResultBook, SHEETS,
};
use mofan::scheme::{Scheme, Tier};
use mofan::select::{self, AwardFact, Entry, Inputs, OverrideFact, Selection, Status};
use mofan::store::awards::AwardStatus;
use mofan::store::overrides::OverrideAction;
use mofan::Coded;

use crate::common::{self, mofan};
use crate::golden::{check_workbook, unzip};

/// A small scheme written out here, so that changes to the shipped default do not move
/// the golden files.
const SCHEME: &str = r#"
title = "2026年度模范机关评选"
year = 2026
award_title = "模范机关"
missing = "ineligible"
cooldown_years = 3
tie_break = ["public"]
unit_types = ["党群机关", "政府机关", "政法机关"]

[composite]
daily_share = 0.3
daily_label = "日常考核"

[[components]]
key = "self"
label = "个人自评"
weight = 0.2

[[components]]
key = "organisation"
label = "组织考评"
weight = 0.5

[[components]]
key = "public"
label = "群众测评"
weight = 0.3

[thresholds]
composite_min = 85

[thresholds.components]
public = 90

[[vetoes]]
key = "discipline"
label = "发生严重违纪违法问题"

[[vetoes]]
key = "safety"
label = "发生重大安全责任事故"

[[quotas]]
tier = "province"
unit_types = ["*"]
count = 2

[[quotas]]
tier = "city"
unit_types = ["*"]
group_by = ["region"]
percent = 50
rounding = "floor"
min = 1

[review]
cycle_years = 3
retain_min = 85
revoke_below = 75
rectify_months = 6
complaints_trigger = 5
rectification_rate_min = 0.8
"#;

/// The generated time of every test workbook.
const GENERATED: &str = "2026-12-01T10:00:00+08:00";

/// Names that a careless writer would turn into formulas.
const HOSTILE: [&str; 4] = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)"];

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn scheme() -> Scheme {
    Scheme::parse(SCHEME).unwrap()
}

/// A return with daily score `daily` and components (自评, 组织考评, 群众测评).
#[allow(clippy::too_many_arguments)]
fn entry(
    id: i64,
    name: &str,
    uscc: Option<&str>,
    tier: Tier,
    region: Option<&str>,
    daily: &str,
    comps: [Option<&str>; 3],
    vetoes: [bool; 2],
) -> Entry {
    Entry {
        agency_id: id,
        uscc: uscc.map(str::to_string),
        name: name.to_string(),
        tier,
        region: region.map(str::to_string),
        unit_type: "政府机关".to_string(),
        daily: Some(d(daily)),
        components: comps.iter().map(|c| c.map(d)).collect(),
        vetoes: vetoes.to_vec(),
    }
}

fn all(s: &str) -> [Option<&str>; 3] {
    [Some(s), Some(s), Some(s)]
}

fn fact(
    id: i64,
    agency_id: i64,
    action: OverrideAction,
    reason: &str,
    beyond: bool,
) -> OverrideFact {
    OverrideFact {
        id,
        agency_id,
        action,
        reason: reason.to_string(),
        beyond_quota: beyond,
        operator: "评审组".to_string(),
        at: format!("2026-11-2{id}T09:30:00+08:00"),
    }
}

/// Every status: selected, a straddling tie (pending), not selected, ineligible for
/// several reasons, a return without a quota rule, the panel's include (beyond the quota,
/// of an ineligible return), exclude and clear, and the hostile names.
fn inputs() -> Inputs {
    let p = Tier::Province;
    let c = Tier::City;
    let gz = Some("广州市");
    let entries = vec![
        entry(
            1,
            "广东省委办公厅",
            Some("11440000006939873P"),
            p,
            None,
            "95",
            all("95"),
            [false; 2],
        ),
        entry(
            2,
            "广东省发展和改革委员会",
            Some("11440000006940064A"),
            p,
            None,
            "92",
            all("92"),
            [false; 2],
        ),
        entry(
            3,
            "广东省财政厅",
            None,
            p,
            None,
            "92",
            all("92"),
            [false; 2],
        ),
        entry(
            4,
            HOSTILE[0],
            None,
            p,
            None,
            "90",
            [Some("90"), Some("90"), Some("91")],
            [false; 2],
        ),
        entry(
            5,
            "广东省公安厅",
            None,
            p,
            None,
            "96",
            all("96"),
            [true, false],
        ),
        entry(
            6,
            "广东省教育厅",
            None,
            p,
            None,
            "93",
            all("93"),
            [false; 2],
        ),
        entry(7, HOSTILE[1], None, c, gz, "91", all("91"), [false; 2]),
        entry(
            8,
            HOSTILE[2],
            None,
            c,
            gz,
            "89",
            [Some("89"), Some("89"), Some("90.125")],
            [false; 2],
        ),
        entry(
            9,
            HOSTILE[3],
            None,
            c,
            gz,
            "88",
            [Some("88"), Some("88"), Some("90.5")],
            [false; 2],
        ),
        entry(
            10,
            "广州市民政局",
            None,
            c,
            gz,
            "92",
            [Some("92"), None, Some("92")],
            [false; 2],
        ),
        entry(
            11,
            "深圳市司法局",
            None,
            c,
            Some("深圳市"),
            "80",
            [Some("80"), Some("80"), Some("90")],
            [false, true],
        ),
        entry(
            12,
            "某县人民政府办公室",
            None,
            Tier::County,
            Some("某县"),
            "90",
            all("90"),
            [false; 2],
        ),
    ];
    let awards = vec![AwardFact {
        agency_id: 6,
        year: 2024,
        status: AwardStatus::Active,
        revoked_year: None,
    }];
    let overrides = vec![
        fact(1, 8, OverrideAction::Exclude, "群众反映问题正在核实", false),
        fact(
            2,
            10,
            OverrideAction::Include,
            "组织考评材料已补报，经评审组复核纳入",
            true,
        ),
        fact(3, 4, OverrideAction::Include, "试纳入", false),
        fact(4, 4, OverrideAction::Clear, "撤销误操作", false),
    ];
    Inputs {
        campaign: 2026,
        entries,
        awards,
        overrides,
        computed: Vec::new(),
        ledger: Default::default(),
        accountability: Vec::new(),
    }
}

fn decisions(sel: &Selection, inputs: &Inputs) -> Vec<Decision> {
    inputs
        .overrides
        .iter()
        .map(|o| {
            let r = sel
                .results
                .iter()
                .find(|r| r.agency_id == o.agency_id)
                .unwrap();
            Decision {
                at: o.at.clone(),
                operator: o.operator.clone(),
                agency: r.name.clone(),
                uscc: r.uscc.clone(),
                action: o.action,
                reason: o.reason.clone(),
                beyond_quota: o.beyond_quota,
            }
        })
        .collect()
}

fn files() -> Vec<InputFile> {
    vec![
        InputFile::returns(
            "省直单位申报汇总.xlsx",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            6,
        ),
        InputFile::returns(
            "广州市&深圳市申报表.xlsx",
            "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
            6,
        ),
        InputFile {
            name: "计票汇总表.xlsx".into(),
            sha256: "36414b29a2e79b8f74287feb7a98779971a7571c34f4204d54fc19350b9b3631".into(),
            kind: InputKind::Ballots {
                component: "群众测评".into(),
                votes: 503,
            },
            rows: 5,
        },
        InputFile {
            name: "组织考评评分表.xlsx".into(),
            sha256: "5bea58c85426c91b96d2926d189004797ee19fab05e61e2d8cee17ab89fcb0c9".into(),
            kind: InputKind::Panel {
                component: "组织考评".into(),
                recused: 1,
            },
            rows: 69,
        },
    ]
}

/// The fixed selection and the workbook's bytes.
fn fixed() -> (Scheme, Selection, Inputs) {
    let scheme = scheme();
    let inputs = inputs();
    let sel = select::select(&scheme, &inputs);
    (scheme, sel, inputs)
}

fn book_bytes() -> Vec<u8> {
    let (scheme, sel, inputs) = fixed();
    let book = ResultBook {
        title: "2026年度模范机关评选".into(),
        scheme: &scheme,
        selection: &sel,
        files: files(),
        decisions: decisions(&sel, &inputs),
        generated_at: GENERATED.into(),
        review: None,
        run: None,
    };
    results::build(&book).unwrap().save_to_buffer().unwrap()
}

#[test]
fn golden_parts_match() {
    let names = check_workbook("result_book", &book_bytes());
    for want in [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet7.xml",
        "xl/sharedStrings.xml",
        "xl/charts/chart1.xml",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
}

#[test]
fn same_inputs_give_the_same_bytes() {
    assert_eq!(book_bytes(), book_bytes());
}

fn read_back(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
}

fn sheet(wb: &mut Xlsx<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<Data>> {
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn s(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, got {other:?}"),
    }
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| s(h) == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn reads_back_with_sheets_values_and_literal_text() {
    let (_, sel, _) = fixed();
    let mut wb = read_back(book_bytes());
    assert_eq!(wb.sheet_names(), SHEETS.map(String::from).to_vec());

    // 入选名单: by pool then rank, scores as numbers.
    let rows = sheet(&mut wb, "入选名单");
    let h = &rows[0];
    let names: Vec<String> = rows[1..]
        .iter()
        .map(|r| s(&r[col(h, "单位名称")]))
        .collect();
    let want: Vec<String> = sel
        .results
        .iter()
        .filter(|r| r.status == Status::Selected)
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names, want);
    assert_eq!(names[0], "广东省委办公厅");
    assert!(names.contains(&"+1".to_string()), "{names:?}");
    assert!(
        names.contains(&"广州市民政局".to_string()),
        "the panel's inclusion"
    );
    assert_eq!(rows[1][col(h, "组别")], Data::String("省直".into()));
    assert_eq!(rows[1][col(h, "名次")], Data::Float(1.0));
    assert_eq!(rows[1][col(h, "综合得分")], Data::Float(95.0));
    assert_eq!(rows[1][col(h, "层级")], Data::String("省直".into()));

    // 全部排名: every return, hostile names literal, reasons joined.
    let rows = sheet(&mut wb, "全部排名");
    let h = rows[0].clone();
    assert_eq!(rows.len(), 1 + sel.results.len());
    for name in HOSTILE {
        assert!(
            rows.iter()
                .any(|r| r[col(&h, "单位名称")] == Data::String(name.into())),
            "{name} not written literally"
        );
    }
    let by_name = |n: &str| {
        rows.iter()
            .find(|r| s(&r[col(&h, "单位名称")]) == n)
            .unwrap()
            .clone()
    };
    let r = by_name("-2");
    // 群众测评 90.125 is shown and compared as 90.13.
    assert_eq!(r[col(&h, "群众测评")], Data::Float(90.13));
    assert_eq!(r[col(&h, "状态")], Data::String("未入选".into()));
    assert!(
        s(&r[col(&h, "原因")]).contains("评审组调整：不予入选"),
        "{r:?}"
    );
    let r = by_name("广东省财政厅");
    assert_eq!(r[col(&h, "状态")], Data::String("并列待定".into()));
    assert_eq!(s(&r[col(&h, "原因")]), "并列2家争1个名额");
    let r = by_name("深圳市司法局");
    assert_eq!(r[col(&h, "状态")], Data::String("不符合条件".into()));
    assert_eq!(
        s(&r[col(&h, "原因")]),
        "一票否决：发生重大安全责任事故；综合得分82.10分，低于85分"
    );
    assert_eq!(r[col(&h, "组别")], Data::String("市级/深圳市".into()));
    let r = by_name("某县人民政府办公室");
    assert_eq!(r[col(&h, "组别")], Data::Empty);
    assert_eq!(s(&r[col(&h, "原因")]), "没有适用的名额规则");
    let composite = col(&h, "综合得分");
    for r in &rows[1..] {
        assert!(
            matches!(r[composite], Data::Float(_) | Data::Empty),
            "{r:?}"
        );
    }

    // 不符合条件 and 并列待定.
    let rows = sheet(&mut wb, "不符合条件");
    let h = rows[0].clone();
    let names: Vec<String> = rows[1..]
        .iter()
        .map(|r| s(&r[col(&h, "单位名称")]))
        .collect();
    for n in [
        "广东省公安厅",
        "广东省教育厅",
        "广州市民政局",
        "深圳市司法局",
        "某县人民政府办公室",
    ] {
        assert!(names.contains(&n.to_string()), "{n} missing from {names:?}");
    }
    let r = rows
        .iter()
        .find(|r| s(&r[col(&h, "单位名称")]) == "广东省教育厅")
        .unwrap();
    assert_eq!(s(&r[col(&h, "原因")]), "已于2024年命名，纳入复查");
    let rows = sheet(&mut wb, "并列待定");
    assert_eq!(rows.len(), 3);
    assert!(rows[1..]
        .iter()
        .all(|r| s(r.last().unwrap()) == "并列2家争1个名额"));

    // 评审组调整: every decision, in order.
    let rows = sheet(&mut wb, "评审组调整");
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[2].iter().map(s).collect::<Vec<_>>(),
        [
            "2026-11-22 09:30:00",
            "评审组",
            "广州市民政局",
            "",
            "纳入",
            "组织考评材料已补报，经评审组复核纳入",
            "是"
        ]
    );
    assert_eq!(s(&rows[4][4]), "撤销调整");

    // 汇总: counts per pool and the total.
    let rows = sheet(&mut wb, "汇总");
    assert_eq!(
        rows[0].iter().map(s).collect::<Vec<_>>(),
        [
            "组别",
            "层级",
            "申报",
            "符合条件",
            "名额",
            "入选",
            "并列待定"
        ]
    );
    assert_eq!(s(&rows[1][0]), "省直");
    assert_eq!(
        rows[1][2..].to_vec(),
        [6.0, 4.0, 2.0, 1.0, 2.0].map(Data::Float).to_vec()
    );
    let total = rows.last().unwrap();
    assert_eq!(s(&total[0]), "合计");
    assert_eq!(total[2], Data::Float(11.0));

    // 说明: the files with their SHA-256, the generated time.
    let rows = sheet(&mut wb, "说明");
    let flat: Vec<String> = rows
        .iter()
        .flatten()
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(flat.contains(&"2026-12-01 10:00:00".to_string()));
    // Grouped by kind, ballots and panel sheets with their component.
    let listed: Vec<&String> = flat
        .iter()
        .filter(|t| t.contains(".xlsx》（导入"))
        .collect();
    assert_eq!(
        listed,
        [
            "申报表《省直单位申报汇总.xlsx》（导入6条申报）",
            "申报表《广州市&深圳市申报表.xlsx》（导入6条申报）",
            "测评票：群众测评《计票汇总表.xlsx》（导入5家单位的测评票，共503票）",
            "评委评分表：组织考评《组织考评评分表.xlsx》（导入69个评分，另有1人次回避）",
        ]
    );
    assert!(flat
        .contains(&"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".to_string()));
    assert!(flat
        .iter()
        .any(|t| t.contains("个人自评×20% + 组织考评×50% + 群众测评×30%")));
    assert!(flat.iter().any(|t| t.contains("市级（全部单位类型）：按地区分组，每组名额为申报单位数（不含已命名单位）的50%，向下取整，至少1个")));
}

/// Every `<row>` of a sheet part once, in ascending order (Excel refuses a file with a
/// row written twice).
fn assert_rows_ascending(name: &str, xml: &str) {
    let mut last = 0u32;
    for piece in xml.split("<row r=\"").skip(1) {
        let n: u32 = piece[..piece.find('"').unwrap()].parse().unwrap();
        assert!(n > last, "{name}: row {n} after row {last}");
        last = n;
    }
}

#[test]
fn every_row_is_written_once_in_order() {
    let parts = unzip(&book_bytes());
    for (name, xml) in &parts {
        if name.starts_with("xl/worksheets/sheet") {
            assert_rows_ascending(name, &String::from_utf8_lossy(xml));
        }
    }
}

/// Many returns, long reasons on the last rows of every list: the streamed sheets stay
/// well-formed and complete.
#[test]
fn a_larger_selection_streams_complete_sheets() {
    let scheme = scheme();
    let mut entries = Vec::new();
    for n in 0..3000i64 {
        let region = format!("第{}市", n % 7);
        let s = format!("{}.{:02}", 80 + n % 20, n % 100);
        let mut e = entry(
            n + 1,
            &format!("单位{n:04}"),
            None,
            Tier::City,
            Some(&region),
            &s,
            all(&s),
            [false; 2],
        );
        e.vetoes = vec![n % 3 == 0, n % 5 == 0];
        entries.push(e);
    }
    let inputs = Inputs {
        campaign: 2026,
        entries,
        ..Inputs::default()
    };
    let sel = select::select(&scheme, &inputs);
    let book = ResultBook {
        title: "2026年度模范机关评选".into(),
        scheme: &scheme,
        selection: &sel,
        files: files(),
        decisions: vec![],
        generated_at: GENERATED.into(),
        review: None,
        run: None,
    };
    let bytes = results::build(&book).unwrap().save_to_buffer().unwrap();
    for (name, xml) in &unzip(&bytes) {
        if name.starts_with("xl/worksheets/sheet") {
            assert_rows_ascending(name, &String::from_utf8_lossy(xml));
        }
    }
    let mut wb = read_back(bytes);
    let all_rows = sheet(&mut wb, "全部排名");
    assert_eq!(all_rows.len(), 1 + 3000);
    let ineligible = sheet(&mut wb, "不符合条件");
    let want = sel.results.iter().filter(|r| !r.eligible).count();
    // calamine may also report the blank row that closes a streamed sheet.
    let got = ineligible[1..]
        .iter()
        .filter(|r| r.iter().any(|c| *c != Data::Empty))
        .count();
    assert_eq!(got, want);
}

#[test]
fn no_cell_is_a_formula() {
    let parts = unzip(&book_bytes());
    for (name, xml) in &parts {
        if name.starts_with("xl/worksheets/") {
            let xml = String::from_utf8_lossy(xml);
            assert!(
                !xml.contains("<f>") && !xml.contains("<f "),
                "{name} has a formula"
            );
        }
    }
}

#[test]
fn a_bad_generated_time_or_target_is_an_error_in_chinese() {
    let (scheme, sel, _) = fixed();
    let mut book = ResultBook {
        title: "2026年度模范机关评选".into(),
        scheme: &scheme,
        selection: &sel,
        files: vec![],
        decisions: vec![],
        generated_at: "昨天".into(),
        review: None,
        run: None,
    };
    let e = results::build(&book).err().unwrap();
    assert!(matches!(e, ExportError::GeneratedAt(_)));
    assert_eq!(e.code(), "export.generated_at");
    assert!(e.to_string().contains("生成时间“昨天”不是有效的时间"));
    book.generated_at = GENERATED.into();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("没有这个目录").join("评选结果.xlsx");
    let e = results::write(&target, &book).unwrap_err();
    assert_eq!(e.code(), "export.write");
    assert!(e.to_string().starts_with("无法写入评选结果"), "{e}");
    assert!(!target.exists());
}

#[test]
fn an_empty_campaign_still_makes_a_workbook() {
    let scheme = scheme();
    let sel = select::select(
        &scheme,
        &Inputs {
            campaign: 2026,
            ..Inputs::default()
        },
    );
    let book = ResultBook {
        title: "2026年度模范机关评选".into(),
        scheme: &scheme,
        selection: &sel,
        files: vec![],
        decisions: vec![],
        generated_at: GENERATED.into(),
        review: None,
        run: None,
    };
    let bytes = results::build(&book).unwrap().save_to_buffer().unwrap();
    let parts = unzip(&bytes);
    assert!(
        !parts.keys().any(|k| k.starts_with("xl/charts/")),
        "no chart without pools"
    );
    let mut wb = read_back(bytes);
    assert_eq!(wb.sheet_names().len(), 7);
    let rows = sheet(&mut wb, "汇总");
    assert_eq!(s(&rows[1][0]), "合计");
}

#[test]
fn select_out_writes_the_workbook_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let ok = mofan(&db, &["campaign", "create", "--year", "2026"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let sample = common::fixture("samples/03_广州市越秀区.xlsx");
    let ok = mofan(
        &db,
        &["import", "--campaign", "2026", sample.to_str().unwrap()],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&mofan(&db, &["select", "--campaign", "2026", "--json"]).stdout)
            .unwrap();
    let first = json["results"][0]["name"].as_str().unwrap().to_string();
    let ok = mofan(
        &db,
        &[
            "override",
            "--campaign",
            "2026",
            "--agency",
            &first,
            "--exclude",
            "--reason",
            "待核实",
        ],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let out = dir.path().join("评选结果.xlsx");
    let r = mofan(
        &db,
        &[
            "select",
            "--campaign",
            "2026",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(String::from_utf8_lossy(&r.stderr).contains("评选结果已写入"));
    let mut wb = read_back(std::fs::read(&out).unwrap());
    assert_eq!(wb.sheet_names(), SHEETS.map(String::from).to_vec());
    let notes = sheet(&mut wb, "说明");
    let file_row = notes
        .iter()
        .find(|r| s(&r[0]).starts_with("申报表《03_广州市越秀区.xlsx》（导入"))
        .expect("the imported file is listed");
    let sha = s(&file_row[1]);
    assert_eq!(sha.len(), 64);
    let decisions = sheet(&mut wb, "评审组调整");
    assert_eq!(decisions.len(), 2);
    assert_eq!(s(&decisions[1][1]), "测试员");
    assert_eq!(s(&decisions[1][2]), first);
    assert_eq!(s(&decisions[1][4]), "不予入选");
    let all = sheet(&mut wb, "全部排名");
    assert_eq!(all.len() - 1, json["results"].as_array().unwrap().len());

    // An unknown campaign: exit 1, nothing written.
    let none = dir.path().join("无.xlsx");
    let r = mofan(
        &db,
        &[
            "select",
            "--campaign",
            "2030",
            "--out",
            none.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(!none.exists());
}
