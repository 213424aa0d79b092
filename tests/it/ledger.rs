//! The ledger on the command line (specification §10, §7): importing units' ledgers (every
//! date form, .xlsx and .xls, the kind from a column or `--kind`, placed errors, partial
//! import, the error workbook, the same file again), importing again updating rather than
//! duplicating, manual entries and marking done, the listing's JSON and status on a date,
//! the ledger workbook, the eligibility reason with its reference date and the result
//! marked 数据已变化, and the 情况通报.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use serde_json::Value;

use crate::common::{fixture, mofan, ok, stdout_json, text};

/// One entry of a zip package (a workbook, a document) as text.
fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The JSON a refused command printed on stdout.
fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn ledger_file(name: &str) -> String {
    fixture(&format!("ledger/{name}"))
        .to_str()
        .unwrap()
        .to_string()
}

/// A database with the 2026 campaign and the returns of 广州市 (the agencies a ledger names).
fn db_with_agencies(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("m.db");
    ok(mofan(&db, &["campaign", "create", "--year", "2026"]));
    let returns = fixture("samples/00_广州市.xlsx");
    ok(mofan(
        &db,
        &["import", "--campaign", "2026", returns.to_str().unwrap()],
    ));
    db
}

fn list(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["ledger", "list", "--json"];
    args.extend_from_slice(extra);
    stdout_json(&ok(mofan(db, &args)))
        .as_array()
        .unwrap()
        .clone()
}

fn by_text<'a>(items: &'a [Value], text: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["text"].as_str().unwrap().starts_with(text))
        .unwrap_or_else(|| panic!("no item {text}"))
}

#[test]
fn every_date_form_imports_and_importing_again_updates() {
    for file in ["台账_各种日期写法.xlsx", "台账_各种日期写法.xls"] {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_agencies(dir.path());
        // No 清单类型 column and no --kind: refused, saying what to do.
        let o = mofan(&db, &["ledger", "import", &ledger_file(file), "--json"]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let r = &json_of(&o)[0];
        assert_eq!(r["status"], "rejected");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("请在导入时指定清单类型"),
            "{r}"
        );

        let o = ok(mofan(
            &db,
            &[
                "ledger",
                "import",
                &ledger_file(file),
                "--kind",
                "problem",
                "--json",
            ],
        ));
        let r = &stdout_json(&o)[0];
        assert_eq!(
            keys(r),
            [
                "file",
                "sha256",
                "status",
                "sheet",
                "header_row",
                "rows",
                "imported",
                "warnings",
                "errors"
            ]
        );
        assert_eq!(
            (r["status"].as_str(), r["imported"].as_u64()),
            (Some("imported"), Some(7))
        );
        assert_eq!(r["header_row"], 2);

        let items = list(&db, &["--date", "2026-07-10"]);
        assert_eq!(items.len(), 7);
        assert_eq!(
            keys(&items[0]),
            [
                "id", "uscc", "name", "kind", "level", "source", "year", "text", "measures",
                "owner", "deadline", "done_on", "status"
            ]
        );
        for (text, deadline) in [
            ("党组会议记录不规范", "2026-06-30"), // a date cell
            ("经费报销审批不严", "2026-07-15"),   // 2026-07-15
            ("理论学习流于形式", "2026-08-01"),   // 2026.8.1
            ("支部活动台账缺失", "2026-09-30"),   // 2026年9月30日
            ("窗口服务态度差", "2026-10-01"),     // 2026年10月 → the 1st
            ("档案管理混乱", "2026-11-30"),       // 20261130
            ("谈心谈话开展不够", "2026-12-31"),   // an Excel serial number
        ] {
            assert_eq!(
                by_text(&items, text)["deadline"],
                deadline,
                "{file}: {text}"
            );
        }
        let done = by_text(&items, "党组会议记录不规范");
        assert_eq!(
            (done["done_on"].as_str(), done["status"].as_str()),
            (Some("2026-06-20"), Some("done"))
        );
        assert_eq!(by_text(&items, "支部活动台账缺失")["done_on"], "2026-09-01");
        assert_eq!(by_text(&items, "经费报销审批不严")["status"], "due_soon");
        assert_eq!(by_text(&items, "理论学习流于形式")["status"], "open");
        assert_eq!(by_text(&items, "党组会议记录不规范")["source"], "patrol");
        assert_eq!(by_text(&items, "谈心谈话开展不够")["source"], "other");
        assert_eq!(by_text(&items, "党组会议记录不规范")["kind"], "problem");

        // The same file again: nothing.
        let o = ok(mofan(
            &db,
            &[
                "ledger",
                "import",
                &ledger_file(file),
                "--kind",
                "problem",
                "--json",
            ],
        ));
        assert_eq!(stdout_json(&o)[0]["status"], "duplicate");

        // Another file naming the same items: updated, not duplicated, history kept.
        let o = ok(mofan(
            &db,
            &[
                "ledger",
                "import",
                &ledger_file("台账_再次导入.xlsx"),
                "--kind",
                "problem",
                "--json",
            ],
        ));
        let r = &stdout_json(&o)[0];
        assert_eq!(r["imported"], 7);
        let warnings: Vec<&str> = r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        // Two changed items, and one whose text gained a full stop: the same item (by its
        // normalised text), its text updated.
        assert_eq!(
            warnings.iter().filter(|w| w.contains("已按本文件")).count(),
            3,
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.ends_with("第7行更新：事项内容")),
            "{warnings:?}"
        );
        let items = list(&db, &["--date", "2026-07-10"]);
        assert_eq!(items.len(), 7, "re-importing updates");
        let b = by_text(&items, "经费报销审批不严");
        assert_eq!(
            (b["done_on"].as_str(), b["status"].as_str()),
            (Some("2026-07-10"), Some("done"))
        );
        assert_eq!(
            by_text(&items, "理论学习流于形式")["deadline"],
            "2026-09-15"
        );
        let conn = rusqlite::Connection::open(&db).unwrap();
        let changes: i64 = conn
            .query_row("SELECT COUNT(*) FROM ledger_changes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(changes, 3);
    }
}

#[test]
fn placed_errors_partial_import_and_the_error_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_agencies(dir.path());
    let errors = dir.path().join("错误报告.xlsx");
    let o = mofan(
        &db,
        &[
            "ledger",
            "import",
            &ledger_file("台账_错误行.xlsx"),
            "--kind",
            "问题清单",
            "--json",
            "--errors",
            errors.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let r = &json_of(&o)[0];
    assert_eq!(
        (r["status"].as_str(), r["imported"].as_u64()),
        (Some("rejected"), Some(0))
    );
    let placed: Vec<(u64, String, String)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap_or("").to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(placed.len(), 4, "{placed:?}");
    assert_eq!((placed[0].0, placed[0].1.as_str()), (3, "B"));
    assert!(
        placed[0]
            .2
            .starts_with("没有名为“广州市检察院”的单位；最接近的单位："),
        "{}",
        placed[0].2
    );
    assert_eq!((placed[1].0, placed[1].1.as_str()), (4, "I"));
    assert_eq!(
        placed[1].2,
        "完成情况为已完成，须在J列“完成时间”填写完成日期"
    );
    assert_eq!((placed[2].0, placed[2].1.as_str()), (5, "H"));
    assert_eq!(placed[2].2, "问题清单的事项须在H列“整改时限”填写整改时限");
    assert_eq!((placed[3].0, placed[3].1.as_str()), (6, "H"));
    assert!(placed[3].2.contains("不是有效的日期"));
    assert!(errors.exists(), "the error workbook");
    assert!(list(&db, &[]).is_empty(), "nothing stored");

    let o = ok(mofan(
        &db,
        &[
            "ledger",
            "import",
            &ledger_file("台账_错误行.xlsx"),
            "--kind",
            "problem",
            "--partial",
            "--json",
        ],
    ));
    let r = &stdout_json(&o)[0];
    assert_eq!(
        (r["status"].as_str(), r["imported"].as_u64()),
        (Some("imported"), Some(1))
    );
    assert_eq!(list(&db, &[]).len(), 1);
}

#[test]
fn manual_entries_the_listing_the_workbook_and_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_agencies(dir.path());
    ok(mofan(
        &db,
        &["ledger", "import", &ledger_file("台账_含清单类型列.xlsx")],
    ));
    let o = ok(mofan(
        &db,
        &[
            "ledger",
            "add",
            "--agency",
            "11440100848834635E",
            "--kind",
            "problem",
            "--text",
            "整改不到位",
            "--deadline",
            "2026-10-31",
            "--source",
            "审计",
        ],
    ));
    assert!(
        text(&o.stdout).starts_with("已登记第"),
        "{}",
        text(&o.stdout)
    );
    let o = mofan(
        &db,
        &[
            "ledger",
            "add",
            "--agency",
            "广州市人民检察院",
            "--kind",
            "task",
            "--text",
            "无时限",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "错误：任务清单的事项须填写整改时限（--deadline）\n"
    );
    let o = mofan(
        &db,
        &[
            "ledger", "add", "--agency", "x", "--kind", "清单", "--text", "t",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("参数 --kind：“清单”无效"));

    let items = list(&db, &["--date", "2026-11-16"]);
    assert_eq!(items.len(), 4);
    let resp = by_text(&items, "落实全面从严治党主体责任");
    assert_eq!(
        (
            resp["kind"].as_str(),
            resp["level"].as_str(),
            resp["deadline"].is_null()
        ),
        (Some("responsibility"), Some("party_group"), true)
    );
    let overdue = list(
        &db,
        &[
            "--date",
            "2026-11-16",
            "--status",
            "overdue",
            "--kind",
            "problem",
        ],
    );
    assert_eq!(overdue.len(), 2, "{overdue:?}");

    // The workbook: 汇总 then a sheet per list, the status cells filled.
    let book = dir.path().join("台账.xlsx");
    ok(mofan(
        &db,
        &[
            "ledger",
            "list",
            "--date",
            "2026-11-16",
            "--out",
            book.to_str().unwrap(),
        ],
    ));
    let mut wb = open_workbook_auto(&book).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["汇总", "责任清单", "任务清单", "问题清单"]
    );
    let problems = wb.worksheet_range("问题清单").unwrap();
    assert_eq!(
        problems.get_value((0, 0)),
        Some(&Data::String("问题清单（状态日期：2026-11-16）".into()))
    );
    assert_eq!(
        problems.get_value((1, 3)),
        Some(&Data::String("问题来源".into()))
    );
    let statuses: Vec<String> = (2..problems.height() as u32)
        .map(|r| problems.get_value((r, 11)).unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["逾期", "逾期"]);
    let styles = std::fs::read(&book).unwrap();
    let xml = zip_entry(&styles, "xl/styles.xml");
    assert!(xml.contains("FFFFC7CE"), "the overdue red fill");

    // The selection: two overdue problems on the reference date make 广州市人民检察院 ineligible
    // (its other problem was added to 广州市市场监督管理局).
    let sel = stdout_json(&ok(mofan(
        &db,
        &[
            "select",
            "--campaign",
            "2026",
            "--date",
            "2026-11-16",
            "--json",
        ],
    )));
    assert_eq!(sel["date"], "2026-11-16");
    let row = |sel: &Value, name: &str| {
        sel["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    let p = row(&sel, "广州市人民检察院");
    assert_eq!(p["status"], "ineligible");
    assert!(
        p["reasons"]
            .as_array()
            .unwrap()
            .contains(&Value::from("有1项逾期未整改问题")),
        "{p}"
    );
    let s = row(&sel, "广州市市场监督管理局");
    assert!(
        s["reasons"]
            .as_array()
            .unwrap()
            .contains(&Value::from("有1项逾期未整改问题")),
        "{s}"
    );
    let o = ok(mofan(
        &db,
        &["select", "--campaign", "2026", "--date", "2026-11-16"],
    ));
    assert!(text(&o.stdout).starts_with("评选基准日：2026-11-16\n"));

    // Marking it done: the stored result says 数据已变化, naming 清单台账.
    let id = by_text(&items, "整改不到位")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    // A done date still to come is refused as the import refuses it, naming the date.
    let o = mofan(
        &db,
        &["ledger", "done", "--id", &id, "--date", "2999-12-31"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).starts_with("错误：完成日期2999-12-31晚于今天（"),
        "{}",
        text(&o.stderr)
    );
    let o = ok(mofan(
        &db,
        &[
            "ledger",
            "done",
            "--id",
            &id,
            "--date",
            "2026-11-20",
            "--evidence",
            "已整改",
        ],
    ));
    assert!(text(&o.stdout).contains("已于2026-11-20完成"));
    let o = ok(mofan(
        &db,
        &[
            "review",
            "--campaign",
            "2026",
            "--date",
            "2026-12-01",
            "--json",
        ],
    ));
    assert!(
        text(&o.stderr).contains("清单台账有变化"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn the_bulletin_lists_overdue_and_due_soon_problems_by_agency() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_agencies(dir.path());
    ok(mofan(
        &db,
        &[
            "ledger",
            "import",
            &ledger_file("台账_各种日期写法.xlsx"),
            "--kind",
            "problem",
        ],
    ));
    let out = dir.path().join("通报.docx");
    let o = ok(mofan(
        &db,
        &[
            "notice",
            "bulletin",
            "--date",
            "2026-11-28",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let _ = o;
    let docx = std::fs::read(&out).unwrap();
    let body = zip_entry(&docx, "word/document.xml");
    assert!(body.contains("关于模范机关创建问题整改情况的通报"));
    // Overdue on 2026-11-28: 经费报销审批不严 (07-15), 理论学习流于形式 (08-01), 窗口服务态度差
    // (10-01); due soon: 档案管理混乱 (11-30). Done ones are not listed.
    for t in [
        "经费报销审批不严",
        "理论学习流于形式",
        "窗口服务态度差",
        "档案管理混乱",
    ] {
        assert!(body.contains(t), "{t}");
    }
    for t in ["党组会议记录不规范", "支部活动台账缺失", "谈心谈话开展不够"]
    {
        assert!(!body.contains(t), "{t}");
    }
}

/// The ledger workbook of an imported ledger with one item done by hand, on a fixed date,
/// against its golden files (`tests/fixtures/golden/ledger_book/`; after a deliberate
/// change: `MOFAN_BLESS=1 cargo test --test it ledger::the_ledger_book`), and the same
/// ledger giving the same bytes.
#[test]
fn the_ledger_book_matches_its_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_agencies(dir.path());
    ok(mofan(
        &db,
        &["ledger", "import", &ledger_file("台账_含清单类型列.xlsx")],
    ));
    // Item 2 (a task) done by hand; a problem added by hand, overdue on the date; item 3
    // (a problem due 2026-04-30) due soon; item 1 (a responsibility) open.
    ok(mofan(
        &db,
        &[
            "ledger",
            "done",
            "--id",
            "2",
            "--date",
            "2026-04-20",
            "--evidence",
            "已召开推进会，附会议纪要",
        ],
    ));
    ok(mofan(
        &db,
        &[
            "ledger",
            "add",
            "--agency",
            "广州市人民检察院",
            "--kind",
            "problem",
            "--text",
            "党费收缴台账不完整，部分月份缺少经手人签字",
            "--deadline",
            "2026-03-31",
            "--source",
            "审计",
            "--measures",
            "逐月核对补签，建立季度自查",
            "--owner",
            "机关党委",
        ],
    ));
    let store = mofan::store::Store::open(&db).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 4, 25).unwrap();
    let listing = mofan::ledger::list(&store, &Default::default(), date).unwrap();
    let statuses: std::collections::BTreeSet<_> = listing.items.iter().map(|i| i.status).collect();
    assert_eq!(
        statuses.len(),
        4,
        "every status, each with its fill: {statuses:?}"
    );
    let generated = "2026-12-01T10:00:00+08:00";
    let bytes = mofan::export::ledger::build(&listing, generated)
        .unwrap()
        .save_to_buffer()
        .unwrap();
    let again = mofan::export::ledger::build(&listing, generated)
        .unwrap()
        .save_to_buffer()
        .unwrap();
    assert_eq!(bytes, again, "the same ledger gives the same bytes");
    let names = crate::golden::check_workbook("ledger_book", &bytes);
    assert!(
        names.iter().any(|n| n == "xl/worksheets/sheet4.xml"),
        "{names:?}"
    );
}

/// `ledger files` and `ledger withdraw` (§7, §10): the file's items go, the file is listed
/// withdrawn, a stored result that read them says 清单台账有变化, and the same file imports
/// afresh.
#[test]
fn a_ledger_file_is_withdrawn_and_imports_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with_agencies(dir.path());
    let file = ledger_file("台账_含清单类型列.xlsx");
    let r = &stdout_json(&ok(mofan(&db, &["ledger", "import", &file, "--json"])))[0];
    let imported = r["imported"].as_u64().unwrap();
    assert!(imported > 0);
    let sha = r["sha256"].as_str().unwrap().to_string();
    assert_eq!(list(&db, &[]).len() as u64, imported);
    // A result that read the overdue problems on its reference date.
    ok(mofan(
        &db,
        &["select", "--campaign", "2026", "--date", "2026-12-31"],
    ));

    let files = stdout_json(&ok(mofan(&db, &["ledger", "files", "--json"])));
    assert_eq!(files[0]["file_name"], "台账_含清单类型列.xlsx");
    assert_eq!(files[0]["status"], "imported");
    // Too short a SHA-256 prefix names nothing.
    let o = mofan(&db, &["ledger", "withdraw", &sha[..7]]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("没有找到要撤回的台账文件"),
        "{}",
        text(&o.stderr)
    );

    let w = stdout_json(&ok(mofan(
        &db,
        &["ledger", "withdraw", &sha[..8], "--json"],
    )));
    assert_eq!(keys(&w), ["id", "file", "sha256", "withdrawn", "restored"]);
    assert_eq!(w["withdrawn"].as_u64(), Some(imported));
    assert_eq!(w["restored"], 0);
    assert!(list(&db, &[]).is_empty());
    let files = stdout_json(&ok(mofan(&db, &["ledger", "files", "--json"])));
    assert_eq!(files[0]["status"], "withdrawn");
    let o = ok(mofan(
        &db,
        &[
            "review",
            "--campaign",
            "2026",
            "--date",
            "2026-12-31",
            "--json",
        ],
    ));
    assert!(
        text(&o.stderr).contains("清单台账有变化"),
        "{}",
        text(&o.stderr)
    );

    // Imported again: not a duplicate of the withdrawn file.
    let r = &stdout_json(&ok(mofan(&db, &["ledger", "import", &file, "--json"])))[0];
    assert_eq!(r["status"], "imported");
    assert_eq!(list(&db, &[]).len() as u64, imported);
    let o = ok(mofan(
        &db,
        &["ledger", "withdraw", "台账_含清单类型列.xlsx"],
    ));
    assert!(
        text(&o.stdout).starts_with("已撤回台账文件《台账_含清单类型列.xlsx》"),
        "{}",
        text(&o.stdout)
    );
}
