//! The shell over IPC, on Tauri's mock runtime: the app is built by `build_app` as the
//! real one is, on a temporary database, and commands are invoked the way the window
//! invokes them (camelCase arguments, JSON back, errors as `{code, message}`).

use std::path::Path;

use mofan_desktop::{build_app, AppState};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The demo campaign's year.
const DEMO: i32 = mofan::demo::DEMO_YEAR;

/// The app on a new database in `dir`, with its main window.
fn app(dir: &Path) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let db = dir.join("mofan.db");
    let app = build_app(mock_builder(), mock_context(noop_assets()), move |_| {
        AppState::open(&db)
    })
    .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    (app, window)
}

/// Invokes a command as the window does; its JSON answer, or the JSON it was refused with.
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app's own origin on Linux and macOS (the window is local content).
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

#[test]
fn lists_and_creates_campaigns_and_refuses_a_year_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    assert_eq!(invoke(&window, "list_campaigns", json!({})), Ok(json!([])));

    let created = invoke(&window, "create_campaign", json!({"year": 2026})).unwrap();
    assert_eq!(created["year"], 2026);
    assert_eq!(created["status"], "draft");
    assert_eq!(
        (created["returns"].clone(), created["files"].clone()),
        (json!(0), json!(0))
    );
    let listed = invoke(&window, "list_campaigns", json!({})).unwrap();
    assert_eq!(listed, json!([created]));

    let refused = invoke(
        &window,
        "create_campaign",
        json!({"year": 2026, "schemePath": null}),
    )
    .unwrap_err();
    let fields = refused.as_object().expect("an object");
    assert_eq!(fields.len(), 2, "{refused}");
    assert_eq!(refused["code"], "campaign.exists");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("2026") && message.contains("已存在"),
        "{message}"
    );

    // A scheme file must have been chosen in a dialog first.
    let unchosen = invoke(
        &window,
        "create_campaign",
        json!({"year": 2027, "schemePath": "/etc/passwd"}),
    )
    .unwrap_err();
    assert_eq!(unchosen["code"], "desktop.file_not_chosen");
}

#[test]
fn checks_chosen_files_and_answers_their_batch() {
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = app(dir.path());
    invoke(&window, "create_campaign", json!({"year": 2026})).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let good = fixtures.join("samples/00_广州市.xlsx");
    let bad = fixtures.join("returns/openpyxl_bad_rows.xlsx");
    let gone = dir.path().join("不存在.xlsx");
    app.state::<AppState>().chosen.add([&good, &bad, &gone]);
    let paths: Vec<String> = [&good, &bad, &gone]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    for path in &paths[..2] {
        let p = invoke(
            &window,
            "preview_import",
            json!({"year": 2026, "path": path}),
        )
        .unwrap();
        assert!(p["state"].is_string(), "{p}");
    }
    let missing = invoke(
        &window,
        "preview_import",
        json!({"year": 2026, "path": paths[2]}),
    )
    .unwrap();
    assert_eq!(
        missing["state"], "unreadable",
        "a file gone is a file not readable"
    );
    assert!(missing["first_problem"]["message"].is_string(), "{missing}");

    let whole = invoke(
        &window,
        "import_batch_view",
        json!({"paths": paths, "partial": false}),
    )
    .unwrap();
    assert_eq!(whole["summary"], "1个可导入 · 1个有错误 · 1个无法读取");
    assert_eq!(whole["to_import"], json!([paths[0]]));
    let partial = invoke(
        &window,
        "import_batch_view",
        json!({"paths": paths, "partial": true}),
    )
    .unwrap();
    assert_eq!(partial["to_import"], json!([paths[0], paths[1]]));
    assert_eq!(partial["left_out"][0]["file"], "openpyxl_bad_rows.xlsx");
    assert_eq!(partial["left_out"][0]["first"][0]["row"], 3);

    let unchosen = invoke(
        &window,
        "import_batch_view",
        json!({"paths": ["/etc/passwd"], "partial": false}),
    )
    .unwrap_err();
    assert_eq!(unchosen["code"], "desktop.file_not_chosen");
}

#[test]
fn shows_the_dashboard_and_results_of_the_demo_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    let demo = invoke(&window, "load_demo", json!({})).unwrap();
    assert_eq!(demo["year"], DEMO);
    let year = DEMO;

    let d = invoke(&window, "dashboard", json!({"year": year})).unwrap();
    assert_eq!(d["campaign"]["year"], DEMO);
    assert_eq!(d["campaign"]["demo"], true);
    let declared = d["campaign"]["returns"].as_u64().unwrap();
    assert!(
        declared > 0 && d["files"]["live"].as_u64().unwrap() > 0,
        "{d}"
    );
    let statuses = d["selection"]["statuses"].as_object().unwrap();
    let keys: Vec<&str> = statuses.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["ineligible", "not_selected", "selected", "tie_pending"]
    );
    let counted: u64 = statuses.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(counted, declared);
    assert_eq!(d["selection"]["tiers"][0]["tier"], "province");
    assert!(
        d["scheme"]["daily_share"].is_string(),
        "decimals travel as text"
    );

    let r = invoke(&window, "current_results", json!({"year": year})).unwrap();
    assert_eq!(r["year"], DEMO);
    assert_eq!(
        r["status"], d["campaign"]["status"],
        "reading changes nothing"
    );
    // The whole selection is counted; the rows are those of the pool shown.
    assert_eq!(r["total"].as_u64().unwrap(), declared);
    let rows = r["results"].as_array().unwrap();
    let shown = r["pools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pool"] == r["pool"])
        .unwrap();
    assert_eq!(rows.len() as u64, shown["declared"].as_u64().unwrap());
    assert!(rows[0]["agency_id"].is_i64() && rows[0]["status"].is_string());
    assert!(rows.iter().any(|row| row["composite"].is_string()));
    assert!(r["pools"][0]["label"].is_string() && r["pools"][0]["quota"].is_u64());
    assert!(r["components"][0]["label"].is_string());

    let history = invoke(
        &window,
        "return_history",
        json!({"year": year, "agencyId": rows[0]["agency_id"]}),
    )
    .unwrap();
    assert_eq!(history[0]["state"], "current");

    let missing = invoke(&window, "dashboard", json!({"year": 2030})).unwrap_err();
    assert_eq!(missing["code"], "campaign.not_found");
    let bad_date = invoke(
        &window,
        "run_review",
        json!({"year": year, "date": "1990-13-01"}),
    )
    .unwrap_err();
    assert_eq!(bad_date["code"], "desktop.bad_date");

    // The review: nothing applied yet; applied once, then shown as recorded and refused again.
    assert_eq!(
        invoke(&window, "applied_review", json!({"year": year})),
        Ok(Value::Null)
    );
    let day = json!({"year": year, "date": "1990-12-01"});
    let applied = invoke(&window, "apply_review", day.clone()).unwrap();
    let record = invoke(&window, "applied_review", json!({"year": year})).unwrap();
    assert_eq!(record["date"], "1990-12-01");
    assert_eq!(record["rows"], applied["reviews"]);
    let again = invoke(&window, "apply_review", day).unwrap_err();
    assert_eq!(again["code"], "review.already_applied");
    assert!(
        again["message"].as_str().unwrap().contains("不能再次应用"),
        "{again}"
    );
    // Deleting: a draft or the demo, with the counts the confirmation names first.
    let gone = invoke(&window, "campaign_deletion", json!({"year": year})).unwrap();
    assert_eq!(
        (gone["demo"].clone(), gone["awards"].clone()),
        (json!(true), json!(4))
    );
    assert!(gone["refused"].is_null());
    invoke(&window, "create_campaign", json!({"year": 2026})).unwrap();
    invoke(&window, "run_selection", json!({"year": 2026})).unwrap();
    // The 评选基准日 travels as YYYY-MM-DD and comes back with the stored run.
    let ran = invoke(
        &window,
        "run_selection",
        json!({"year": 2026, "date": "2026-11-16"}),
    )
    .unwrap();
    assert_eq!(ran["reference_date"], "2026-11-16");
    let e = invoke(
        &window,
        "run_selection",
        json!({"year": 2026, "date": "2026-13-01"}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "desktop.bad_date");
    let refused = invoke(&window, "campaign_deletion", json!({"year": 2026})).unwrap();
    assert!(refused["refused"].as_str().unwrap().contains("不能删除"));
    let e = invoke(&window, "delete_campaign", json!({"year": 2026})).unwrap_err();
    assert_eq!(e["code"], "campaign.not_draft");
    let deleted = invoke(&window, "delete_campaign", json!({"year": year})).unwrap();
    assert_eq!(deleted["returns"], gone["returns"]);
    let list = invoke(&window, "list_campaigns", json!({})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["deletable"], false);
}

#[test]
fn the_publicity_and_calendar_commands_answer_and_refuse_as_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    invoke(&window, "create_campaign", json!({"year": 2026})).unwrap();
    let p = invoke(&window, "publicity", json!({"year": 2026})).unwrap();
    assert_eq!(
        (p["working_days"].clone(), p["rounds"].clone()),
        (json!(5), json!([]))
    );
    assert_eq!(
        p["blocked_by"],
        json!(["尚未公示（评选方案要求公示5个工作日），请先开始公示"])
    );
    let d = invoke(&window, "dashboard", json!({"year": 2026})).unwrap();
    assert_eq!(d["publicity"]["done"], false);
    assert_eq!(d["publicity"]["left"], p["blocked_by"]);

    let bad = json!({"year": 2026, "from": "2026-13-01", "days": null});
    let e = invoke(&window, "plan_publicity", bad).unwrap_err();
    assert_eq!(e["code"], "desktop.bad_date");
    let from = json!({"year": 2026, "from": "2026-11-02", "days": null});
    let e = invoke(&window, "plan_publicity", from.clone()).unwrap_err();
    assert_eq!(e["code"], "select.not_run");
    let e = invoke(&window, "start_publicity", from).unwrap_err();
    assert_eq!(e["code"], "select.not_run");
    let input = json!({"agency": "广州市民政局", "date": "2026-11-03", "channel": "phone",
        "content": "反映问题", "objector": "李秘密"});
    let e = invoke(
        &window,
        "add_objection",
        json!({"year": 2026, "input": input}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "objection.no_publicity");
    let resolve = json!({"year": 2026, "id": 7, "resolution": "upheld", "reason": "属实",
        "date": "2026-11-05"});
    let e = invoke(&window, "resolve_objection", resolve).unwrap_err();
    assert_eq!(e["code"], "objection.not_found");

    let y = invoke(&window, "calendar_year", json!({"year": 2026})).unwrap();
    assert_eq!(y["arranged"], false);
    let weekday = json!({"day": "2026-11-13", "kind": "workday"});
    let e = invoke(&window, "set_calendar_day", weekday).unwrap_err();
    assert_eq!(e["code"], "calendar.not_weekend");
    let y = invoke(
        &window,
        "set_calendar_day",
        json!({"day": "2026-11-04", "kind": "holiday"}),
    )
    .unwrap();
    assert_eq!(y["holidays"], json!(["2026-11-04"]));
    let y = invoke(
        &window,
        "set_calendar_day",
        json!({"day": "2026-11-04", "kind": null}),
    )
    .unwrap();
    assert_eq!(
        (y["arranged"].clone(), y["holidays"].clone()),
        (json!(true), json!([]))
    );
    // Only a file the open dialog gave may be imported.
    let e = invoke(&window, "import_calendar", json!({"path": "/etc/hosts"})).unwrap_err();
    assert_eq!(e["code"], "desktop.file_not_chosen");
}

#[test]
fn the_agency_page_finds_shows_and_records() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = app(dir.path());
    invoke(&window, "load_demo", json!({})).unwrap();
    let found = invoke(&window, "search_agencies", json!({"query": ""})).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0);
    let id = found["hits"][0]["id"].clone();
    let name = found["hits"][0]["name"].clone();
    let page = invoke(&window, "agency_history", json!({"agencyId": id})).unwrap();
    assert_eq!(page["agency"]["name"], name);
    assert_eq!(page["years"][0]["year"], DEMO);
    assert!(
        page["years"][0]["composite"].is_number(),
        "scores as the JSON of `agency show`: {}",
        page["years"][0]
    );
    let s = json!({"agency_id": id, "kind": "talk", "date": "1990-05-20",
        "subject": "约谈主要负责人", "content": null, "people": "王五"});
    let v = invoke(&window, "add_supervision", json!({"input": s})).unwrap()["record"].clone();
    assert_eq!(v["kind"], "talk");
    let a = json!({"agency_id": id, "person": null, "kind": "discipline", "date": "1990-05-20",
        "reason": "违反规定", "doc_number": null});
    // A refusal of the core is an answer at its field, not an error of the call.
    let refused = invoke(&window, "add_accountability", json!({"input": a})).unwrap();
    assert_eq!(refused["record"], json!(null));
    assert_eq!(
        (
            refused["error"]["field"].clone(),
            refused["error"]["code"].clone()
        ),
        (json!("person"), json!("accountability.person_required"))
    );
    let a = json!({"agency_id": id, "person": "张三", "kind": "discipline",
        "date": "1990-05-20", "reason": "违反规定", "doc_number": null});
    let stored = invoke(&window, "add_accountability", json!({"input": a})).unwrap();
    assert_eq!(stored["error"], json!(null));
    let page = invoke(&window, "agency_history", json!({"agencyId": id})).unwrap();
    assert_eq!(page["supervision"][0]["people"], "王五");
    assert_eq!(page["accountability"][0]["person"], "张三");
    assert_eq!(page["lines"], json!([]));

    // 监督问责: the record is listed; a problem found in it is entered and shown under it
    // and on the agency page, coloured.
    let screen = invoke(
        &window,
        "supervision_screen",
        json!({"query": {"agency_id": null,
        "supervision_kind": null, "accountability_kind": null, "from": null, "to": null}}),
    )
    .unwrap();
    assert_eq!(screen["supervision"][0]["id"], v["id"]);
    assert_eq!(screen["supervision"][0]["agency_id"], id);
    assert_eq!(screen["accountability"][0]["person"], "张三");
    let f = json!({"supervision_id": v["id"], "text": "台账不全", "deadline": "2020-06-30",
        "measures": null, "owner": null, "source": null});
    let item = invoke(&window, "add_found_problem", json!({"input": f})).unwrap()["item"].clone();
    assert_eq!(item["source"], "inspection");
    let screen = invoke(&window, "supervision_screen", json!({"query": {"agency_id": id,
        "supervision_kind": "talk", "accountability_kind": null, "from": "1990-05-20", "to": null}}))
    .unwrap();
    assert_eq!(screen["supervision"][0]["found"][0]["status"], "overdue");
    assert_eq!(screen["supervision"][0]["found"][0]["tone"], "danger");
    assert_eq!(screen["accountability"], json!([]));
    let page = invoke(&window, "agency_history", json!({"agencyId": id})).unwrap();
    assert_eq!(page["lines"][0]["tone"], "danger");
    assert_eq!(page["lines"][0]["supervision"], v["id"]);
    let f = json!({"supervision_id": 999, "text": "x", "deadline": "1990-06-30",
        "measures": null, "owner": null, "source": null});
    let e = invoke(&window, "add_found_problem", json!({"input": f})).unwrap_err();
    assert_eq!(e["code"], "ledger.supervision_not_found");
    let e = invoke(&window, "agency_history", json!({"agencyId": 999_999})).unwrap_err();
    assert_eq!(e["code"], "agency.not_found");
}

/// 清单台账's 已导入文件: a ledger file imported is listed, withdrawn (its item gone), and a
/// refusal comes back with its code; a withdrawn file is not withdrawn twice.
#[test]
fn a_ledger_file_is_listed_and_withdrawn() {
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = app(dir.path());
    invoke(&window, "load_demo", json!({})).unwrap();
    let found = invoke(&window, "search_agencies", json!({"query": ""})).unwrap();
    let name = found["hits"][0]["name"].as_str().unwrap().to_string();
    let write = |file: &str, text: &str| {
        let path = dir.path().join(file);
        std::fs::write(
            &path,
            format!("单位名称,清单类型,问题描述,整改时限\n{name},问题清单,{text},2020-06-30\n"),
        )
        .unwrap();
        // As if chosen in the file dialog: the shell reads only chosen files.
        app.state::<AppState>().chosen.add([&path]);
        path.to_str().unwrap().to_string()
    };
    let query = json!({"query": {"date": null, "kind": null, "status": null, "agency": null,
        "deadline_from": null, "deadline_by": null}});
    let items = |w: &WebviewWindow<MockRuntime>| {
        invoke(w, "ledger_view", query.clone()).unwrap()["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = items(&window);
    let a = write("台账甲.csv", "制度不健全");
    let r = invoke(
        &window,
        "import_ledger",
        json!({"paths": [a], "kind": null, "partial": false}),
    )
    .unwrap();
    assert_eq!(r[0]["status"], "imported", "{r}");
    assert_eq!(items(&window), before + 1);
    let files = invoke(&window, "ledger_files", json!({})).unwrap();
    let last = files.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["file_name"], "台账甲.csv");
    let w = invoke(&window, "withdraw_ledger_file", json!({"id": last["id"]})).unwrap();
    assert_eq!(
        (w["withdrawn"].as_u64(), w["restored"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(items(&window), before);
    let files = invoke(&window, "ledger_files", json!({})).unwrap();
    assert_eq!(
        files.as_array().unwrap().last().unwrap()["status"],
        "withdrawn"
    );
    let e = invoke(&window, "withdraw_ledger_file", json!({"id": last["id"]})).unwrap_err();
    assert_eq!(e["code"], "ledger.file_not_found");

    // An item marked done after its file: the file's withdrawal is refused, naming it.
    let b = write("台账乙.csv", "学习不经常");
    invoke(
        &window,
        "import_ledger",
        json!({"paths": [b], "kind": null, "partial": false}),
    )
    .unwrap();
    let rows = invoke(&window, "ledger_view", query.clone()).unwrap()["rows"].clone();
    let id = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["text"] == "学习不经常")
        .unwrap()["id"]
        .clone();
    invoke(
        &window,
        "mark_ledger_done",
        json!({"id": id, "date": "2020-07-01", "evidence": null}),
    )
    .unwrap();
    let files = invoke(&window, "ledger_files", json!({})).unwrap();
    let last = files.as_array().unwrap().last().unwrap().clone();
    let e = invoke(&window, "withdraw_ledger_file", json!({"id": last["id"]})).unwrap_err();
    assert_eq!(e["code"], "ledger.withdraw_refused");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains(&format!("台账事项{id}")),
        "{e}"
    );
}
