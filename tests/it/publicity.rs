//! 公示 and objections on the command line (specification §9, §7): the holiday
//! arrangement, a round, objections (one late), every refusal of `publish`, the upheld
//! objection with its supplementary round and 公示 document, and the objector's name in no
//! output at all.

use std::io::Read;
use std::path::Path;
use std::process::Output;

use rusqlite::Connection;
use serde_json::Value;

use crate::common::{fixture, mofan, ok, stdout_json, text};

/// The objector's name: stored, and in nothing mofan prints or writes.
const OBJECTOR: &str = "王秘密甲";

/// Every text inside a zip package (a workbook, a document).
fn package_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            all.push_str(&s);
        }
    }
    all
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn publicity_objections_and_publishing_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let mut outputs: Vec<Output> = Vec::new();
    let mut run = |args: &[&str]| -> Output {
        let o = mofan(&db, args);
        outputs.push(o.clone());
        o
    };
    ok(run(&["campaign", "create", "--year", "2026"]));
    let returns = fixture("samples/00_广州市.xlsx");
    ok(run(&[
        "import",
        "--campaign",
        "2026",
        returns.to_str().unwrap(),
    ]));
    ok(run(&["select", "--campaign", "2026"]));

    // The arrangement: none yet, then the test data.
    let o = ok(run(&["calendar", "show", "--year", "2026"]));
    assert!(text(&o.stderr).contains("未设置2026年节假日安排，仅按周末计算"));
    let cal = fixture("calendar/test-data.toml");
    let o = ok(run(&["calendar", "import", cal.to_str().unwrap()]));
    assert_eq!(
        text(&o.stdout),
        "已导入2026年节假日安排：放假1天，调休上班1天\n"
    );
    let shown = stdout_json(&ok(run(&["calendar", "show", "--year", "2026", "--json"])));
    assert_eq!(
        (shown["arranged"].as_bool(), shown["working_days"].as_u64()),
        (Some(true), Some(261))
    );
    let bad = dir.path().join("坏.toml");
    std::fs::write(&bad, "[[years]]\nyear = 2026\nworkdays = [2026-11-06]\n").unwrap();
    let o = run(&["calendar", "import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "错误：节假日安排文件 坏.toml 有误，未导入：第3行 years[0].workdays[0]：\
         2026-11-06 是星期五，本来就是工作日；调休上班日应为星期六或星期日\n"
    );

    let publish = |run: &mut dyn FnMut(&[&str]) -> Output, on: &str| {
        run(&[
            "publish",
            "--campaign",
            "2026",
            "--doc-number",
            "粤直工〔2026〕12号",
            "--date",
            on,
        ])
    };
    let o = publish(&mut run, "2026-11-20");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "错误：不能发布：尚未公示（评选方案要求公示5个工作日），请先开始公示\n"
    );

    // The round: five working days from Monday 2 November, the 4th off → Monday the 9th.
    let o = ok(run(&[
        "publicity",
        "start",
        "--campaign",
        "2026",
        "--from",
        "2026-11-02",
    ]));
    assert!(
        text(&o.stdout).starts_with(
            "已开始2026年度第1轮公示：2026年11月2日至11月9日（5个工作日），公示4家单位\n"
        ),
        "{}",
        text(&o.stdout)
    );
    let status = stdout_json(&ok(run(&[
        "publicity",
        "status",
        "--campaign",
        "2026",
        "--date",
        "2026-11-05",
        "--json",
    ])));
    assert_eq!(
        keys(&status),
        [
            "campaign",
            "rounds",
            "calendar_missing",
            "objections_open",
            "can_publish_on",
            "blocked_by"
        ]
    );
    assert_eq!(status["rounds"][0]["to"], "2026-11-09");
    assert_eq!(keys(&status["rounds"][0]), ["from", "to", "agencies"]);
    assert_eq!(status["rounds"][0]["agencies"].as_array().unwrap().len(), 4);
    assert_eq!(status["calendar_missing"], false);
    assert_eq!(status["can_publish_on"], "2026-11-10");
    assert_eq!(
        status["blocked_by"],
        serde_json::json!(["公示期至11月9日，尚未结束"])
    );

    // Objections: one in the period, one late; the objector's name given to both.
    ok(run(&[
        "objection",
        "add",
        "--campaign",
        "2026",
        "--agency",
        "114401001137353021",
        "--date",
        "2026-11-03",
        "--content",
        "反映该单位申报材料存在问题",
        "--channel",
        "来信",
        "--from",
        OBJECTOR,
    ]));
    let o = ok(run(&[
        "objection",
        "add",
        "--campaign",
        "2026",
        "--agency",
        "广州市人民检察院",
        "--date",
        "2026-11-12",
        "--content",
        "反映该单位群众测评组织不规范",
        "--channel",
        "电子邮件",
        "--from",
        OBJECTOR,
    ]));
    assert!(
        text(&o.stdout).contains("标记为逾期"),
        "{}",
        text(&o.stdout)
    );
    let o = run(&[
        "objection",
        "add",
        "--campaign",
        "2026",
        "--agency",
        "广州市人民检察院",
        "--date",
        "2026-11-12",
        "--content",
        "x",
        "--channel",
        "传真",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("参数 --channel：“传真”无效"),
        "{}",
        text(&o.stderr)
    );
    let list = stdout_json(&ok(run(&[
        "objection",
        "list",
        "--campaign",
        "2026",
        "--json",
    ])));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        keys(&list[0]),
        [
            "id",
            "uscc",
            "name",
            "date",
            "channel",
            "content",
            "late",
            "resolution",
            "reason",
            "resolved_on"
        ]
    );
    assert_eq!(
        (
            &list[0]["channel"],
            &list[0]["late"],
            &list[1]["channel"],
            &list[1]["late"]
        ),
        (
            &Value::from("letter"),
            &Value::from(false),
            &Value::from("email"),
            &Value::from(true)
        )
    );
    let first = list[0]["id"].to_string();
    let second = list[1]["id"].to_string();

    let o = publish(&mut run, "2026-11-05");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "错误：不能发布：公示期至11月9日，尚未结束；还有2条异议未处理\n"
    );
    ok(run(&[
        "objection",
        "resolve",
        "--campaign",
        "2026",
        "--id",
        &first,
        "--rejected",
        "--reason",
        "经核实不属实",
        "--date",
        "2026-11-10",
    ]));
    let o = ok(run(&[
        "objection",
        "resolve",
        "--campaign",
        "2026",
        "--id",
        &second,
        "--upheld",
        "--reason",
        "经核实属实",
        "--date",
        "2026-11-13",
    ]));
    assert!(
        text(&o.stdout).contains("须补充公示"),
        "{}",
        text(&o.stdout)
    );
    let o = publish(&mut run, "2026-11-13");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "错误：不能发布：广州市公安局递补入选，尚未公示\n"
    );
    let o = run(&[
        "objection",
        "resolve",
        "--campaign",
        "2026",
        "--id",
        &second,
        "--rejected",
        "--reason",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(1));

    // The supplementary round publicises the agency that moved up, and only it.
    let o = ok(run(&[
        "publicity",
        "start",
        "--campaign",
        "2026",
        "--from",
        "2026-11-16",
    ]));
    assert!(
        text(&o.stdout).contains("第2轮补充公示：2026年11月16日至11月20日"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stdout).contains("广州市公安局"));
    let notice = dir.path().join("公示.docx");
    ok(run(&[
        "notice",
        "publicity",
        "--campaign",
        "2026",
        "--out",
        notice.to_str().unwrap(),
    ]));
    let document = package_text(&notice);
    for words in [
        "拟命名对象的补充公示",
        "2026年11月16日至11月20日",
        "广州市公安局",
        "通信地址：",
    ] {
        assert!(document.contains(words), "{words}");
    }
    assert!(
        !document.contains("广州市应急管理局"),
        "only the new round's list"
    );
    let o = ok(run(&[
        "publicity",
        "status",
        "--campaign",
        "2026",
        "--date",
        "2026-11-20",
    ]));
    assert!(
        text(&o.stdout).contains("不能发布：公示期至11月20日，尚未结束"),
        "{}",
        text(&o.stdout)
    );
    ok(publish(&mut run, "2026-11-23"));
    let book = dir.path().join("评选结果.xlsx");
    ok(run(&[
        "select",
        "--campaign",
        "2026",
        "--out",
        book.to_str().unwrap(),
    ]));
    let o = ok(run(&["objection", "list", "--campaign", "2026"]));
    assert!(
        text(&o.stdout).contains("异议成立（经核实属实）"),
        "{}",
        text(&o.stdout)
    );
    ok(run(&[
        "publicity",
        "status",
        "--campaign",
        "2026",
        "--json",
    ]));
    ok(run(&["audit", "verify"]));

    // The name is in the database, and nowhere else: no output, no audit row, no file.
    let conn = Connection::open(&db).unwrap();
    let kept: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM objections WHERE objector = ?1",
            [OBJECTOR],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 2);
    let audit: Vec<String> = conn
        .prepare("SELECT details FROM audit_log")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(audit
        .iter()
        .any(|d| d.contains("objection.") || d.contains("\"objection\"")));
    for details in &audit {
        assert!(!details.contains(OBJECTOR), "audit: {details}");
    }
    for o in &outputs {
        assert!(!text(&o.stdout).contains(OBJECTOR) && !text(&o.stderr).contains(OBJECTOR));
    }
    assert!(!document.contains(OBJECTOR));
    assert!(!package_text(&book).contains(OBJECTOR));
    let award = dir.path().join("命名决定.docx");
    ok(mofan(
        &db,
        &[
            "notice",
            "award",
            "--campaign",
            "2026",
            "--out",
            award.to_str().unwrap(),
        ],
    ));
    assert!(!package_text(&award).contains(OBJECTOR));
}

#[test]
fn no_publicity_step_and_the_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let scheme = dir.path().join("方案.toml");
    let text_of = std::fs::read_to_string(fixture("scheme.example.toml")).unwrap();
    assert!(text_of.contains("working_days = 5"));
    std::fs::write(
        &scheme,
        text_of.replace("working_days = 5", "working_days = 0"),
    )
    .unwrap();
    ok(mofan(
        &db,
        &[
            "campaign",
            "create",
            "--year",
            "2026",
            "--scheme",
            scheme.to_str().unwrap(),
        ],
    ));
    let returns = fixture("samples/00_广州市.xlsx");
    ok(mofan(
        &db,
        &["import", "--campaign", "2026", returns.to_str().unwrap()],
    ));
    ok(mofan(&db, &["select", "--campaign", "2026"]));
    let o = mofan(
        &db,
        &[
            "publicity",
            "start",
            "--campaign",
            "2026",
            "--from",
            "2026-11-02",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("不设公示"), "{}", text(&o.stderr));
    let o = ok(mofan(&db, &["publicity", "status", "--campaign", "2026"]));
    assert_eq!(
        text(&o.stdout),
        "2026年度评选方案不设公示，发布前无需公示\n"
    );
    // Publishing needs nothing else (and takes today by default).
    ok(mofan(
        &db,
        &[
            "publish",
            "--campaign",
            "2026",
            "--doc-number",
            "X〔2026〕1号",
        ],
    ));
    // Usage errors exit 2.
    for args in [
        &[
            "publicity",
            "start",
            "--campaign",
            "2026",
            "--from",
            "2026-13-01",
        ][..],
        &[
            "objection",
            "resolve",
            "--campaign",
            "2026",
            "--id",
            "1",
            "--reason",
            "x",
        ],
        &[
            "objection",
            "resolve",
            "--campaign",
            "2026",
            "--id",
            "1",
            "--upheld",
            "--rejected",
            "--reason",
            "x",
        ],
    ] {
        assert_eq!(mofan(&db, args).status.code(), Some(2), "{args:?}");
    }
}
