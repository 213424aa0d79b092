//! Importing the awards registry (命名记录): the sample registry's exact values, a bad
//! registry refused with every error placed and nothing changed, partial imports, the
//! same file again, a later registry updating awards, the audit chain, and the CLI.

use std::path::Path;

use chrono::NaiveDate;
use mofan::import::{FileReport, FileStatus};
use mofan::store::awards::{self, AwardRow, AwardStatus};
use mofan::store::Store;
use rust_xlsxwriter::{Format, Workbook};

use crate::common;
use crate::common::{fixture, import_registry, mofan, opts, text};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("mofan.db")).unwrap();
    (dir, store)
}

fn import(store: &mut Store, path: &Path, partial: bool) -> FileReport {
    import_registry(store, path, &opts(partial)).unwrap()
}

/// Everything a refused registry import must leave untouched.
fn fingerprint(store: &Store) -> String {
    let c = store.conn();
    let dump = |sql: &str| -> String {
        c.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
            .unwrap()
            .unwrap_or_default()
    };
    format!(
        "{}|{}|{}|{}",
        common::fingerprint(store),
        dump(
            "SELECT GROUP_CONCAT(id || ':' || agency_id || ':' || year || ':' || status || ':' ||
             COALESCE(last_review_year, '') || ':' || COALESCE(rectify_deadline, '') || ':' ||
             COALESCE(revoked_year, '') || ':' || updated_at, ',') FROM awards"
        ),
        dump("SELECT GROUP_CONCAT(id || ':' || sha256, ',') FROM imported_files WHERE kind = 'registry'"),
        dump("SELECT GROUP_CONCAT(id || ':' || name || ':' || updated_at, ',') FROM agencies"),
    )
}

fn by_name<'a>(list: &'a [AwardRow], name: &str) -> &'a AwardRow {
    list.iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no award for {name}"))
}

const HEADER: [&str; 12] = [
    "单位名称",
    "统一社会信用代码",
    "层级",
    "地区",
    "单位类型",
    "命名年度",
    "称号",
    "文号",
    "状态",
    "最近复查年度",
    "整改期限",
    "撤销年度",
];

/// A cell of a generated registry.
#[derive(Clone, Debug)]
enum C {
    S(&'static str),
    N(f64),
    D(u32, u32, u32),
    E,
}

/// One registry row: name, uscc, tier, region, type, year, status, review, deadline,
/// revoked (title and document number filled in).
#[allow(clippy::too_many_arguments)]
fn reg_row(
    name: &'static str,
    uscc: &'static str,
    tier: &'static str,
    region: C,
    year: f64,
    status: &'static str,
    deadline: C,
    revoked: C,
) -> Vec<C> {
    vec![
        C::S(name),
        if uscc.is_empty() { C::E } else { C::S(uscc) },
        C::S(tier),
        region,
        C::S("政府机关"),
        C::N(year),
        C::S("模范机关"),
        C::S("粤直工〔2023〕1号"),
        C::S(status),
        C::E,
        deadline,
        revoked,
    ]
}

/// Writes a registry: a title row, the header on row 2, then the rows.
fn write_registry(path: &Path, rows: &[Vec<C>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("命名名单").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_string(0, 0, "历年模范机关命名情况登记表").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match v {
                C::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                C::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                C::D(y, m, d) => {
                    let day = NaiveDate::from_ymd_opt(*y as i32, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, day, &date).unwrap();
                }
                C::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn the_sample_registry_imports_sixteen_exact_awards() {
    let (_dir, mut store) = store();
    let r = import(&mut store, &fixture("samples/awards.xlsx"), false);
    assert_eq!(r.status, FileStatus::Imported, "{:?}", r.errors);
    assert_eq!(
        (r.rows, r.imported, r.sheet.as_deref(), r.header_row),
        (16, 16, Some("命名名单"), Some(2))
    );
    assert!(r.errors.is_empty() && r.warnings.is_empty(), "{r:?}");

    let list = awards::list(store.conn()).unwrap();
    assert_eq!(list.len(), 16);
    // name, uscc, tier, region, unit type, year, doc number, status, review, deadline, revoked
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        i32,
        &'static str,
        AwardStatus,
        Option<i32>,
        Option<&'static str>,
        Option<i32>,
    );
    use AwardStatus::*;
    #[rustfmt::skip]
    let want: [Row; 16] = [
        ("韶关市南雄市统计局", "114402046525344037", "county", Some("韶关市南雄市"), "政府机关", 2023, "粤直工〔2023〕30号", Active, None, None, None),
        ("汕头市金平区发展和改革局", "11440503194911004M", "county", Some("汕头市金平区"), "政府机关", 2023, "粤直工〔2023〕8号", Active, None, None, None),
        ("中共广东省委统战部", "11440000368008107C", "province", None, "党群机关", 2023, "粤直工〔2023〕22号", Active, None, None, None),
        ("广东省红十字会", "11440000028176411U", "province", None, "群团组织", 2023, "粤直工〔2023〕27号", Active, None, None, None),
        ("广州市越秀区审计局", "114401039115856282", "county", Some("广州市越秀区"), "政府机关", 2023, "粤直工〔2023〕31号", Active, None, None, None),
        ("韶关市南雄市住房和城乡建设局", "11440204189933495J", "county", Some("韶关市南雄市"), "政府机关", 2023, "粤直工〔2023〕17号", Active, None, None, None),
        ("中共广州市委政法委员会", "11440100072167627L", "city", Some("广州市"), "政法机关", 2023, "粤直工〔2023〕17号", Active, None, None, None),
        ("广东省司法厅", "114400005906026847", "province", None, "政法机关", 2023, "粤直工〔2023〕10号", Active, None, None, None),
        ("韶关市审计局", "11440200449159062M", "city", Some("韶关市"), "政府机关", 2022, "粤直工〔2022〕23号", Active, None, None, None),
        ("广东省财政厅", "11440000352955652F", "province", None, "政府机关", 2024, "粤直工〔2024〕30号", Active, None, None, None),
        ("中共广州市海珠区委组织部", "11440104536815582M", "county", Some("广州市海珠区"), "党群机关", 2024, "粤直工〔2024〕10号", Active, None, None, None),
        ("中共广州市越秀区委政法委员会", "1144010313080826X3", "county", Some("广州市越秀区"), "政法机关", 2020, "粤直工〔2020〕12号", Active, Some(2024), None, None),
        ("韶关市民政局", "114402002594499901", "city", Some("韶关市"), "政府机关", 2021, "粤直工〔2021〕20号", Rectifying, Some(2025), Some("2026-06-30"), None),
        ("广州市海珠区自然资源局", "114401041693731012", "county", Some("广州市海珠区"), "政府机关", 2019, "粤直工〔2019〕12号", Revoked, None, None, Some(2024)),
        ("湛江市政协办公室", "11440800207341283D", "city", Some("湛江市"), "人大政协机关", 2018, "粤直工〔2018〕25号", Revoked, None, None, Some(2022)),
        ("中共广东省委组织部", "114400006126745322", "province", None, "党群机关", 2023, "粤直工〔2023〕16号", Active, None, None, None),
    ];
    for w in want {
        let a = by_name(&list, w.0);
        let got = (
            w.0,
            a.uscc.as_deref().unwrap_or_default(),
            a.tier.as_str(),
            a.region.as_deref(),
            a.unit_type.as_str(),
            a.year,
            a.doc_number.as_deref().unwrap_or_default(),
            a.status,
            a.last_review_year,
            a.rectify_deadline.as_deref(),
            a.revoked_year,
        );
        assert_eq!(got, w);
        assert_eq!(a.title, "模范机关", "{}", w.0);
    }
    let mz = by_name(&list, "韶关市民政局");
    assert_eq!(
        (
            mz.status,
            mz.last_review_year,
            mz.rectify_deadline.as_deref()
        ),
        (Rectifying, Some(2025), Some("2026-06-30"))
    );
    let hz = by_name(&list, "广州市海珠区自然资源局");
    assert_eq!((hz.status, hz.revoked_year), (Revoked, Some(2024)));
    let tz = by_name(&list, "中共广东省委统战部");
    assert_eq!((tz.tier.as_str(), tz.region.as_deref()), ("province", None));

    // Agencies were created with the registry's identity; the audit chain holds.
    let agencies: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agencies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(agencies, 16);
    let (action, details): (String, String) = store
        .conn()
        .query_row(
            "SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "awards.import");
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        (d["created"].as_i64(), d["imported"].as_i64()),
        (Some(16), Some(16))
    );
    assert_eq!(d["sha256"], r.sha256.as_str());
    assert_eq!(mofan::audit::verify(store.conn()).unwrap().broken, None);

    // The same file again is a no-op reported as a duplicate.
    let before = fingerprint(&store);
    let again = import(&mut store, &fixture("samples/awards.xlsx"), false);
    assert_eq!(again.status, FileStatus::Duplicate);
    assert_eq!((again.rows, again.imported), (16, 0));
    assert!(
        again.warnings[0].contains("内容相同"),
        "{:?}",
        again.warnings
    );
    assert_eq!(fingerprint(&store), before);
}

/// The bad registry: two good rows around one bad row of each kind.
#[rustfmt::skip]
fn bad_rows() -> Vec<Vec<C>> {
    let city = || C::S("测试市");
    vec![
        // row 3: good
        reg_row("甲局", "", "市级", city(), 2023.0, "正常", C::E, C::E),
        // row 4: bad status word
        reg_row("乙局", "", "市级", city(), 2023.0, "暂停", C::E, C::E),
        // row 5: revoked without a year
        reg_row("丙局", "", "市级", city(), 2020.0, "已撤销", C::E, C::E),
        // row 6: rectifying with a bad date
        reg_row("丁局", "", "市级", city(), 2021.0, "整改中", C::S("2026-13-01"), C::E),
        // rows 7 and 8: the same agency and year twice
        reg_row("戊局", "114401039115856282", "县级", C::S("测试市某区"), 2022.0, "正常", C::E, C::E),
        reg_row("戊局（新名）", "114401039115856282", "县级", C::S("测试市某区"), 2022.0, "正常", C::E, C::E),
        // row 9: bad USCC check digit
        reg_row("己局", "114401039115856283", "省直", C::E, 2023.0, "正常", C::E, C::E),
        // row 10: good, rectifying with a date cell
        reg_row("庚局", "", "县级", C::S("测试市某县"), 2022.0, "整改中", C::D(2026, 6, 30), C::E),
    ]
}

#[test]
fn a_bad_registry_is_refused_with_every_error_placed() {
    let (dir, mut store) = store();
    import(&mut store, &fixture("samples/awards.xlsx"), false);
    let path = dir.path().join("命名名单（有错）.xlsx");
    write_registry(&path, &bad_rows());
    let before = fingerprint(&store);

    let r = import(&mut store, &path, false);
    assert_eq!(r.status, FileStatus::Rejected);
    assert_eq!((r.rows, r.imported), (8, 0));
    let got: Vec<_> = r
        .errors
        .iter()
        .map(|e| {
            (
                e.row,
                e.column.as_deref(),
                e.header.as_deref(),
                e.value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(4), Some("I"), Some("状态"), Some("暂停")),
            (Some(5), Some("L"), Some("撤销年度"), None),
            (Some(6), Some("K"), Some("整改期限"), Some("2026-13-01")),
            (Some(7), None, None, Some("戊局")),
            (Some(8), None, None, Some("戊局（新名）")),
            (
                Some(9),
                Some("B"),
                Some("统一社会信用代码"),
                Some("114401039115856283")
            ),
        ],
        "{:#?}",
        r.errors
    );
    let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
    for (i, part) in [
        "无法识别的状态",
        "状态为已撤销，须在L列“撤销年度”填写撤销年度",
        "不是有效的日期",
        "同一单位的2022年命名记录在本文件中出现多次（工作表“命名名单”第7行、工作表“命名名单”第8行）",
        "同一单位的2022年命名记录在本文件中出现多次",
        "校验位错误",
    ]
    .iter()
    .enumerate()
    {
        assert!(messages[i].contains(part), "{}: {}", i, messages[i]);
    }
    assert!(r
        .errors
        .iter()
        .all(|e| e.sheet.as_deref() == Some("命名名单")));
    assert!(r.warnings.iter().any(|w| w.contains("未导入任何记录")));
    assert_eq!(
        fingerprint(&store),
        before,
        "a refused file changes nothing"
    );

    // The error workbook holds the unit's own rows with their reasons.
    let out = dir.path().join("错误.xlsx");
    mofan::import::error_book::write(&out, &[(path.clone(), &r)]).unwrap();
    let mut book =
        mofan::import::workbook::open(std::fs::read(&out).unwrap(), "错误.xlsx").unwrap();
    let sheets = book.visible_sheets();
    assert_eq!(sheets.len(), 3, "{sheets:?}");
    assert_eq!(sheets[..2], ["错误汇总", "提示"]);
    let mut first_cells = Vec::new();
    book.for_each_row(&sheets[2], &mut |r, cells| {
        if r == 1 {
            first_cells = cells.clone();
        }
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    let shown: Vec<String> = first_cells.iter().map(|(_, c)| c.display()).collect();
    assert_eq!(shown[0], "4");
    assert_eq!(shown[1], "乙局");
    assert!(
        shown
            .last()
            .unwrap()
            .contains("I列（状态）：无法识别的状态"),
        "{shown:?}"
    );

    // --partial stores the two good rows only, and says which were left out.
    let p = import(&mut store, &path, true);
    assert_eq!(p.status, FileStatus::Imported);
    assert_eq!((p.rows, p.imported, p.errors.len()), (8, 2, 6));
    let list = awards::list(store.conn()).unwrap();
    assert_eq!(list.len(), 18);
    let g = by_name(&list, "庚局");
    assert_eq!(
        (g.status, g.rectify_deadline.as_deref(), g.region.as_deref()),
        (
            AwardStatus::Rectifying,
            Some("2026-06-30"),
            Some("测试市某县")
        )
    );
    for absent in ["乙局", "丙局", "丁局", "戊局", "戊局（新名）", "己局"] {
        assert!(list.iter().all(|a| a.name != absent), "{absent} stored");
    }
    let status: String = store
        .conn()
        .query_row(
            "SELECT status FROM imported_files WHERE kind = 'registry' AND sha256 = ?1",
            [&p.sha256],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "partial");
    // A partially imported file is a duplicate too.
    assert_eq!(
        import(&mut store, &path, true).status,
        FileStatus::Duplicate
    );
    assert_eq!(mofan::audit::verify(store.conn()).unwrap().broken, None);
}

#[test]
fn a_later_registry_updates_awards_by_agency_and_year() {
    let (dir, mut store) = store();
    import(&mut store, &fixture("samples/awards.xlsx"), false);
    let agencies_before: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agencies", [], |r| r.get(0))
        .unwrap();

    // 韶关市民政局's rectification failed (revoked 2026); 韶关市审计局 was reviewed in
    // 2025; a new agency is named in 2025; 广东省财政厅's row is unchanged.
    let path = dir.path().join("命名名单2026.xlsx");
    let mut rows = vec![
        reg_row(
            "韶关市民政局",
            "114402002594499901",
            "市级",
            C::S("韶关市"),
            2021.0,
            "摘牌",
            C::D(2026, 6, 30),
            C::N(2026.0),
        ),
        reg_row(
            "韶关市审计局",
            "11440200449159062M",
            "市级",
            C::S("韶关市"),
            2022.0,
            "正常",
            C::E,
            C::E,
        ),
        reg_row(
            "广州市新设局",
            "",
            "市级",
            C::S("广州市"),
            2025.0,
            "正常",
            C::E,
            C::E,
        ),
    ];
    rows[1][7] = C::S("粤直工〔2022〕23号");
    rows[1][9] = C::N(2025.0);
    let mut unchanged = reg_row(
        "广东省财政厅",
        "11440000352955652F",
        "省直",
        C::E,
        2024.0,
        "正常",
        C::E,
        C::E,
    );
    unchanged[7] = C::S("粤直工〔2024〕30号");
    rows.push(unchanged);
    write_registry(&path, &rows);

    let r = import(&mut store, &path, false);
    assert_eq!(r.status, FileStatus::Imported, "{:?}", r.errors);
    assert_eq!(r.imported, 4);
    let list = awards::list(store.conn()).unwrap();
    assert_eq!(list.len(), 17, "updated in place, one new award");
    let mz = by_name(&list, "韶关市民政局");
    assert_eq!(
        (mz.status, mz.revoked_year, mz.rectify_deadline.as_deref()),
        (AwardStatus::Revoked, Some(2026), Some("2026-06-30"))
    );
    let sj = by_name(&list, "韶关市审计局");
    assert_eq!(
        (sj.status, sj.last_review_year),
        (AwardStatus::Active, Some(2025))
    );
    let agencies_after: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM agencies", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        agencies_after,
        agencies_before + 1,
        "agencies matched by USCC"
    );

    // Each real change is reported; the unchanged row is not.
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(
        r.warnings[0].contains("韶关市民政局")
            && r.warnings[0].contains("状态 整改中→已撤销")
            && r.warnings[0].contains("撤销年度 （空）→2026"),
        "{}",
        r.warnings[0]
    );
    assert!(
        r.warnings[1].contains("最近复查年度 （空）→2025"),
        "{}",
        r.warnings[1]
    );
    let details: String = store
        .conn()
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'awards.import' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let d: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        (
            d["created"].as_i64(),
            d["updated"].as_i64(),
            d["unchanged"].as_i64()
        ),
        (Some(1), Some(2), Some(1))
    );
    let events: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'awards.import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 2);
    assert_eq!(mofan::audit::verify(store.conn()).unwrap().broken, None);
}

#[test]
fn merged_cells_totals_and_notes_are_handled_like_returns() {
    let (dir, mut store) = store();
    let path = dir.path().join("合并.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 8, "历年模范机关命名情况登记表", &plain)
        .unwrap();
    // A different column order, other aliases, a 序号 column, no deadline column.
    let header = [
        "序号",
        "机关名称",
        "级别",
        "单位性质",
        "命名年份",
        "荣誉称号",
        "称号状态",
        "撤销年度",
        "信用代码",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // 省直 merged down two rows.
    ws.merge_range(2, 2, 3, 2, "省直", &plain).unwrap();
    let rows: [[&str; 9]; 2] = [
        [
            "1",
            "广东省某厅",
            "",
            "政府部门",
            "2023年",
            "",
            "有效",
            "",
            "",
        ],
        [
            "2",
            "广东省某委",
            "",
            "党群机关",
            "2022",
            "模范机关",
            "已撤销",
            "2024",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() && c != 2 {
                ws.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    ws.write_string(5, 1, "合计：2家").unwrap();
    ws.write_string(6, 0, "填表说明：状态填正常、整改中或已撤销")
        .unwrap();
    wb.save(&path).unwrap();

    let r = import(&mut store, &path, false);
    assert_eq!(r.status, FileStatus::Imported, "{:?}", r.errors);
    assert_eq!((r.rows, r.imported, r.header_row), (2, 2, Some(2)));
    assert!(r.warnings[0].contains("A列“序号”"), "{:?}", r.warnings);
    let list = awards::list(store.conn()).unwrap();
    let a = by_name(&list, "广东省某厅");
    assert_eq!(
        (
            a.tier.as_str(),
            a.unit_type.as_str(),
            a.year,
            a.title.as_str(),
            a.status
        ),
        (
            "province",
            "政府机关",
            2023,
            "模范机关",
            AwardStatus::Active
        )
    );
    let b = by_name(&list, "广东省某委");
    assert_eq!((b.tier.as_str(), b.revoked_year), ("province", Some(2024)));
}

#[test]
fn unreadable_and_headerless_files_are_refused() {
    let (dir, mut store) = store();
    let before = fingerprint(&store);
    // A CSV registry is read like a workbook; this one names too few columns.
    let csv = dir.path().join("名单.csv");
    std::fs::write(&csv, "单位名称,层级\n甲,市级\n").unwrap();
    let r = import(&mut store, &csv, false);
    assert_eq!(r.status, FileStatus::Rejected);
    assert!(
        r.errors[0].message.contains("“单位名称”“层级”“命名年度”"),
        "{:?}",
        r.errors
    );
    let pdf = dir.path().join("名单.xls");
    std::fs::write(&pdf, b"%PDF-1.4\n").unwrap();
    let r = import(&mut store, &pdf, false);
    assert!(
        r.errors[0].message.starts_with("这是PDF文件"),
        "{:?}",
        r.errors
    );

    let no_header = dir.path().join("无表头.xlsx");
    common::write_xlsx(&no_header, &["说明"], &[vec![common::V::S("请按模板填写")]]);
    let r = import(&mut store, &no_header, false);
    assert_eq!(r.status, FileStatus::Rejected);
    assert!(r.errors[0].message.contains("未找到表头"), "{:?}", r.errors);

    // A returns file is not a registry: its header lacks the registry's columns.
    let returns = dir.path().join("申报.xlsx");
    common::write_xlsx(&returns, &common::HEADER, &[common::city_row("某局", 90.0)]);
    let r = import(&mut store, &returns, false);
    assert_eq!(r.status, FileStatus::Rejected);
    assert!(
        r.errors[0].message.contains("缺少必需的列：命名年度、状态"),
        "{:?}",
        r.errors
    );
    assert_eq!(fingerprint(&store), before);
}

#[test]
fn cli_awards_import_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let sample = fixture("samples/awards.xlsx");
    let sample = sample.to_str().unwrap();

    let out = mofan(&db, &["awards", "import", sample, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v.as_array().unwrap()[0];
    for key in [
        "file",
        "sha256",
        "status",
        "sheet",
        "header_row",
        "rows",
        "imported",
        "warnings",
        "errors",
    ] {
        assert!(f.get(key).is_some(), "missing {key}: {f}");
    }
    assert_eq!(
        (
            f["status"].as_str(),
            f["imported"].as_i64(),
            f["header_row"].as_i64()
        ),
        (Some("imported"), Some(16), Some(2))
    );

    let again = mofan(&db, &["awards", "import", sample]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).contains("内容相同"),
        "{}",
        text(&again.stdout)
    );

    let list = mofan(&db, &["awards", "list", "--json"]);
    assert_eq!(list.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 16);
    let mz = v
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "韶关市民政局")
        .unwrap();
    assert_eq!(mz["status"], "rectifying");
    assert_eq!(mz["rectify_deadline"], "2026-06-30");
    let plain = mofan(&db, &["awards", "list"]);
    assert!(
        text(&plain.stdout).contains("韶关市民政局\t市级\t韶关市\t政府机关\t模范机关\t粤直工〔2021〕20号\t整改中\t最近复查2025年\t整改期限2026-06-30"),
        "{}",
        text(&plain.stdout)
    );

    // A bad registry: exit 1, every error on stderr, the error workbook written.
    let bad = dir.path().join("有错.xlsx");
    write_registry(&bad, &bad_rows());
    let report = dir.path().join("错误报告.xlsx");
    let out = mofan(
        &db,
        &[
            "awards",
            "import",
            bad.to_str().unwrap(),
            "--errors",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("未导入《有错.xlsx》"), "{err}");
    assert!(
        err.contains("工作表“命名名单”第4行 I列（状态） 值“暂停”：无法识别的状态"),
        "{err}"
    );
    assert!(report.exists());
    let partial = mofan(
        &db,
        &["awards", "import", bad.to_str().unwrap(), "--partial"],
    );
    assert_eq!(partial.status.code(), Some(0), "{}", text(&partial.stderr));
    assert!(
        text(&partial.stdout).contains("已部分导入《有错.xlsx》：8 行中导入 2 条"),
        "{}",
        text(&partial.stdout)
    );
    let verify = mofan(&db, &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stderr));
    assert_eq!(mofan(&db, &["awards", "import"]).status.code(), Some(2));
}
