//! Panel score sheets (评委打分, docs/specification.md §8): the importer through the
//! library (wide and long layouts, 回避, blank cells, bad cells leaving the database
//! unchanged, a judge scoring a unit twice in one file or across files, the same file
//! twice, withdrawal, partial import), the scores listed from the store, and
//! `mofan panel` as a child process.
//!
//! Until schemes read `source = "panel"` from their TOML, a campaign's stored scheme has
//! no panel component: the library tests give the importer and the list a scheme whose
//! 组织考评 is computed from panel sheets.

use std::path::{Path, PathBuf};

use mofan::evaluate::panel::{self as evaluate, ComponentScores, UnitScore};
use mofan::import::{self, panel::PanelError, FileKind, FileReport, FileStatus, Panel};
use mofan::scheme::{ComponentSource, Scheme};
use mofan::store::Store;
use mofan::Coded;
use serde_json::{json, Value};

use crate::common::{
    self, fingerprint, fixture, mofan, opts, stdout_json, text, write_xlsx, OPERATOR, V,
};

/// The default scheme with 组织考评 (organisation) computed from panel sheets.
fn panel_scheme() -> Scheme {
    let mut s = Scheme::default_scheme();
    for c in &mut s.components {
        if c.key == "organisation" {
            c.source = ComponentSource::Panel;
        }
    }
    s
}

/// A 2026 campaign with the units of the sample returns of 广州市 (27 agencies).
fn store_with_units() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = common::store_2026();
    let rep = common::import(&mut store, &fixture("samples/00_广州市.xlsx"), false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    (dir, store)
}

fn importer(store: &Store) -> Panel {
    Panel::with_scheme(store, 2026, &panel_scheme(), "organisation").unwrap()
}

fn import_panel(store: &mut Store, path: &Path, partial: bool) -> FileReport {
    let p = importer(store);
    import::import_file(store, &p, path, &opts(partial)).unwrap()
}

fn listed(store: &Store) -> ComponentScores {
    let mut list = evaluate::list_with_scheme(store.conn(), 2026, &panel_scheme()).unwrap();
    assert_eq!(list.len(), 1);
    list.remove(0)
}

fn unit<'a>(c: &'a ComponentScores, name: &str) -> &'a UnitScore {
    c.units
        .iter()
        .find(|u| u.name == name)
        .unwrap_or_else(|| panic!("no unit {name}"))
}

/// The scores of a unit as the JSON prints them.
fn scores_json(u: &UnitScore) -> Value {
    serde_json::to_value(u).unwrap()["scores"].clone()
}

/// Everything a refused panel file must leave untouched.
fn state(store: &Store) -> String {
    let n: String = store
        .conn()
        .query_row(
            "SELECT COUNT(*) || ':' || COALESCE(GROUP_CONCAT(id || state, ','), '') FROM panel_scores",
            [],
            |r| r.get(0),
        )
        .unwrap();
    fingerprint(store) + "|" + &n
}

fn audit_actions(store: &Store) -> Vec<(String, Value)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT action, details FROM audit_log ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| {
        let d: String = r.get(1)?;
        Ok((r.get(0)?, serde_json::from_str(&d).unwrap()))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn file_in(dir: &tempfile::TempDir, name: &str, header: &[&str], rows: &[Vec<V>]) -> PathBuf {
    let p = dir.path().join(name);
    write_xlsx(&p, header, rows);
    p
}

const JUDGES5: [&str; 6] = ["单位名称", "评委1", "评委2", "评委3", "评委4", "评委5"];

fn wide_row(name: &'static str, scores: [f64; 5]) -> Vec<V> {
    std::iter::once(V::S(name))
        .chain(scores.iter().map(|s| V::N(*s)))
        .collect()
}

#[test]
fn the_sample_sheet_scores_ten_units() {
    let (_dir, mut store) = store_with_units();
    let path = fixture("panel/组织考评评分表.xlsx");
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!(
        (rep.sheet.as_deref(), rep.header_row, rep.rows, rep.imported),
        (Some("组织考评"), Some(3), 10, 10)
    );
    assert_eq!(
        rep.warnings,
        ["工作表“组织考评”中未识别的列已忽略：A列“序号”、K列“平均分”、L列“备注”"]
    );

    let c = listed(&store);
    assert_eq!(
        (c.key.as_str(), c.label.as_str()),
        ("organisation", "组织考评")
    );
    assert_eq!(c.files.len(), 1);
    assert_eq!(c.files[0].name, "组织考评评分表.xlsx");
    assert_eq!(c.files[0].sha256, rep.sha256);
    assert_eq!(c.units.len(), 27, "one entry per unit of the campaign");

    let u = unit(&c, "广州市人民检察院");
    assert_eq!(u.uscc.as_deref(), Some("11440100848834635E"));
    assert_eq!(u.score, Some("91.25".parse().unwrap()));
    assert_eq!(u.dropped, ["评委2", "评委4"]);
    assert_eq!(
        u.explanation.as_deref(),
        Some("组织考评91.25分：7位评委，去掉最高分96、最低分83后取平均")
    );
    assert_eq!(
        scores_json(u),
        json!({"评委1": 92.0, "评委2": 96.0, "评委3": 90.0, "评委4": 83.0, "评委5": 91.0,
               "评委6": 92.5, "评委7": 90.75})
    );

    let recused = unit(&c, "广州市财政局");
    assert_eq!(recused.score, Some("89.25".parse().unwrap()));
    assert_eq!(scores_json(recused)["评委3"], "回避");
    assert_eq!(
        recused.explanation.as_deref(),
        Some("组织考评89.25分：6位评委（另有1位回避），去掉最高分91、最低分87.5后取平均")
    );

    // All equal: the later judges' scores are the ones dropped.
    assert_eq!(unit(&c, "中共广州市委办公室").dropped, ["评委7", "评委6"]);

    let none = unit(&c, "中共广州市委政法委员会");
    assert_eq!(
        (none.score, none.reason.as_deref()),
        (None, Some("组织考评没有评委评分"))
    );

    let (action, details) = audit_actions(&store).pop().unwrap();
    assert_eq!(action, "panel.import");
    assert_eq!(details["component"], "organisation");
    assert_eq!(details["imported"], 10);
    assert_eq!(details["sha256"], rep.sha256.as_str());
}

#[test]
fn the_long_form_reads_a_row_per_score() {
    let (dir, mut store) = store_with_units();
    let rows: Vec<Vec<V>> = [
        ("张三", "广州市教育局", V::N(93.0)),
        ("李四", "广州市教育局", V::S("92.5分")),
        ("王五", "广州市教育局", V::S("回避")),
        ("赵六", "广州市教育局", V::S("９１")),
        ("钱七", "广州市教育局", V::N(95.0)),
        ("孙八", "广州市教育局", V::N(90.0)),
        ("张三", "广州市财政局", V::N(88.0)),
    ]
    .into_iter()
    .map(|(j, u, s)| vec![V::S(j), V::S(u), s])
    .collect();
    let path = file_in(
        &dir,
        "long.xlsx",
        &["评委", "被考评单位名称", "得分"],
        &rows,
    );
    // 被考评单位名称 is no header mofan knows: the unit is named by 单位名称 or its aliases.
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);

    let path = file_in(&dir, "long2.xlsx", &["评委", "单位名称", "得分"], &rows);
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!((rep.rows, rep.imported), (7, 7));
    let c = listed(&store);
    let u = unit(&c, "广州市教育局");
    assert_eq!(
        scores_json(u),
        json!({"张三": 93.0, "李四": 92.5, "王五": "回避", "赵六": 91.0, "钱七": 95.0, "孙八": 90.0})
    );
    assert_eq!(u.score, Some("92.17".parse().unwrap()), "(93+92.5+91)/3");
    assert_eq!(u.dropped, ["钱七", "孙八"]);
    assert_eq!(
        unit(&c, "广州市财政局").reason.as_deref(),
        Some("组织考评有效评分不足5人（实有1人）")
    );
}

#[test]
fn a_blank_cell_is_a_warning_naming_it() {
    let (dir, mut store) = store_with_units();
    let rows = vec![
        wide_row("广州市教育局", [90.0, 91.0, 92.0, 93.0, 94.0]),
        vec![
            V::S("广州市财政局"),
            V::N(90.0),
            V::E,
            V::N(92.0),
            V::E,
            V::N(94.0),
        ],
        vec![V::S("广州市应急管理局"), V::N(90.0), V::E],
    ];
    let path = file_in(&dir, "blank.xlsx", &JUDGES5, &rows);
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!(
        rep.warnings,
        [
            "工作表“申报”中评委“评委2”有2个空白单元格（C3、C4），视为未评分",
            "工作表“申报”中评委“评委3”有1个空白单元格（D4），视为未评分",
            "工作表“申报”中评委“评委4”有2个空白单元格（E3、E4），视为未评分",
            "工作表“申报”中评委“评委5”有1个空白单元格（F4），视为未评分",
        ]
    );
    let c = listed(&store);
    assert_eq!(unit(&c, "广州市财政局").scores.len(), 3);
    assert_eq!(
        unit(&c, "广州市财政局").reason.as_deref(),
        Some("组织考评有效评分不足5人（实有3人）")
    );
}

#[test]
fn bad_cells_are_placed_errors_and_change_nothing() {
    let (dir, mut store) = store_with_units();
    let before = state(&store);
    let rows = vec![
        wide_row("广州市教育局", [90.0, 105.0, 92.0, 93.0, 94.0]),
        vec![
            V::S("广州市财政局"),
            V::N(90.0),
            V::S("优秀"),
            V::N(92.0),
            V::N(93.0),
            V::N(94.0),
        ],
        wide_row("广州市民政厅", [90.0, 91.0, 92.0, 93.0, 94.0]),
    ];
    let path = file_in(&dir, "bad.xlsx", &JUDGES5, &rows);
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    let placed: Vec<_> = rep
        .errors
        .iter()
        .map(|e| {
            (
                e.row.unwrap(),
                e.column.as_deref(),
                e.header.as_deref(),
                e.value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        placed,
        [
            (2, Some("C"), Some("评委2"), Some("105")),
            (3, Some("C"), Some("评委2"), Some("优秀")),
            (4, Some("A"), Some("单位名称"), Some("广州市民政厅")),
        ]
    );
    assert!(
        rep.errors[0].message.starts_with("分数应在0–100之间"),
        "{:?}",
        rep.errors[0]
    );
    assert!(rep.errors[1].message.starts_with("不是有效的分数"));
    assert!(
        rep.errors[2]
            .message
            .starts_with("“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局"),
        "{}",
        rep.errors[2].message
    );
    assert_eq!(state(&store), before, "a refused file changes nothing");
}

#[test]
fn a_judge_scoring_a_unit_twice_in_one_file_is_an_error_at_both_cells() {
    let (dir, mut store) = store_with_units();
    let before = state(&store);
    let rows: Vec<Vec<V>> = [
        ("评委1", "广州市教育局", 93.0),
        ("评委2", "广州市教育局", 92.0),
        ("评委 1", "广州市教育局", 90.0),
    ]
    .into_iter()
    .map(|(j, u, s)| vec![V::S(j), V::S(u), V::N(s)])
    .collect();
    let path = file_in(&dir, "twice.xlsx", &["评委", "单位名称", "得分"], &rows);
    let rep = import_panel(&mut store, &path, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.errors.len(), 2, "{:?}", rep.errors);
    for (e, row) in rep.errors.iter().zip([2, 4]) {
        assert_eq!((e.row, e.column.as_deref()), (Some(row), Some("C")));
        assert!(
            e.message
                .contains("对“广州市教育局”重复评分（工作表“申报”C2、工作表“申报”C4）"),
            "{}",
            e.message
        );
    }
    assert_eq!(state(&store), before);

    // With --partial the other rows are stored.
    let rep = import_panel(&mut store, &path, true);
    assert_eq!((rep.status, rep.imported), (FileStatus::Imported, 1));
    assert_eq!(
        scores_json(unit(&listed(&store), "广州市教育局")),
        json!({"评委2": 92.0})
    );
}

#[test]
fn a_judge_scoring_a_unit_again_in_another_file_is_an_error_naming_both_places() {
    let (dir, mut store) = store_with_units();
    let first = file_in(
        &dir,
        "第一组.xlsx",
        &JUDGES5,
        &[wide_row("广州市教育局", [90.0, 91.0, 92.0, 93.0, 94.0])],
    );
    assert_eq!(
        import_panel(&mut store, &first, false).status,
        FileStatus::Imported
    );
    let before = state(&store);
    let second = file_in(
        &dir,
        "第二组.xlsx",
        &["单位名称", "评委6", "评委5"],
        &[
            vec![V::S("广州市财政局"), V::N(90.0), V::N(91.0)],
            vec![V::S("广州市教育局"), V::N(95.0), V::N(96.0)],
        ],
    );
    let rep = import_panel(&mut store, &second, false);
    assert_eq!(rep.status, FileStatus::Rejected);
    assert_eq!(rep.errors.len(), 1, "{:?}", rep.errors);
    let e = &rep.errors[0];
    assert_eq!(
        (e.sheet.as_deref(), e.row, e.column.as_deref()),
        (Some("申报"), Some(3), Some("C"))
    );
    assert_eq!(
        e.message,
        "评委“评委5”已给“广州市教育局”评过分（已导入的《第一组.xlsx》工作表“申报”F2），同一评委对同一单位只能评分一次；如需更正，请先撤回原文件"
    );
    assert_eq!(state(&store), before);

    // Partly: the row without the repeated judge is stored.
    let rep = import_panel(&mut store, &second, true);
    assert_eq!(
        (rep.status, rep.rows, rep.imported),
        (FileStatus::Imported, 2, 1)
    );
    let files = mofan::store::files::list_of(store.conn(), FileKind::Panel, 2026).unwrap();
    assert_eq!(
        files.iter().map(|f| f.status.as_str()).collect::<Vec<_>>(),
        ["imported", "partial"]
    );
    let c = listed(&store);
    assert_eq!(unit(&c, "广州市教育局").scores.len(), 5);
    assert_eq!(unit(&c, "广州市财政局").scores.len(), 2);
}

#[test]
fn the_same_file_twice_changes_nothing() {
    let (_dir, mut store) = store_with_units();
    let path = fixture("panel/组织考评评分表.xlsx");
    assert_eq!(
        import_panel(&mut store, &path, false).status,
        FileStatus::Imported
    );
    let before = state(&store);
    let again = import_panel(&mut store, &path, false);
    assert_eq!(again.status, FileStatus::Duplicate);
    assert!(
        again.warnings[0].starts_with("该评分表已于"),
        "{:?}",
        again.warnings
    );
    assert_eq!(state(&store), before);
}

#[test]
fn a_withdrawn_file_no_longer_counts() {
    let (dir, mut store) = store_with_units();
    let path = fixture("panel/组织考评评分表.xlsx");
    let rep = import_panel(&mut store, &path, false);
    let sha = rep.sha256.clone();
    // A panel file is not a file of returns.
    assert!(matches!(
        import::withdraw(&mut store, 2026, &sha, OPERATOR),
        Err(import::ImportError::FileNotFound { .. })
    ));
    let w = import::withdraw_of(&mut store, 2026, FileKind::Panel, &sha[..12], OPERATOR).unwrap();
    assert_eq!(
        (w.file.as_str(), w.withdrawn, w.restored),
        ("组织考评评分表.xlsx", 70, 0)
    );
    let c = listed(&store);
    assert!(c.files.is_empty());
    assert_eq!(
        unit(&c, "广州市人民检察院").reason.as_deref(),
        Some("组织考评没有评委评分")
    );
    let (action, details) = audit_actions(&store).pop().unwrap();
    assert_eq!(action, "panel.withdraw");
    assert_eq!(details["withdrawn"], 70);

    // The judges may score those units again, and the file may come back.
    let again = file_in(
        &dir,
        "更正.xlsx",
        &JUDGES5,
        &[wide_row("广州市人民检察院", [90.0, 91.0, 92.0, 93.0, 94.0])],
    );
    assert_eq!(
        import_panel(&mut store, &again, false).status,
        FileStatus::Imported
    );
    assert_eq!(
        unit(&listed(&store), "广州市人民检察院").score,
        Some("92".parse().unwrap())
    );
    assert_eq!(
        import_panel(&mut store, &path, false).status,
        FileStatus::Rejected,
        "评委1–5 have scored 广州市人民检察院 in 更正.xlsx"
    );
}

#[test]
fn a_deleted_campaign_takes_its_panel_scores() {
    let (_dir, mut store) = store_with_units();
    import_panel(&mut store, &fixture("panel/组织考评评分表.xlsx"), false);
    mofan::campaign::delete(&mut store, 2026, OPERATOR).unwrap();
    let n: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM panel_scores", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn only_a_panel_component_takes_panel_sheets() {
    let (_dir, store) = store_with_units();
    // The campaign's own scheme reports 组织考评 in the returns.
    let e = Panel::open(&store, 2026, "organisation").unwrap_err();
    assert_eq!(e.code(), "panel.not_panel");
    assert_eq!(
        e.to_string(),
        "指标“组织考评”（organisation）的分数来源是申报表，不是评委打分：评委评分表只能导入来源为评委打分（source = \"panel\"）的指标"
    );
    let e = Panel::with_scheme(&store, 2026, &panel_scheme(), "org").unwrap_err();
    assert!(matches!(e, PanelError::UnknownComponent { .. }));
    assert_eq!(
        e.to_string(),
        "2026年度评选方案中没有指标“org”（方案中的指标：self、peer、organisation、public、third_party）"
    );
    let e = Panel::with_scheme(&store, 2027, &panel_scheme(), "organisation").unwrap_err();
    assert_eq!(e.code(), "campaign.not_found");
    // No panel component: nothing to list.
    assert!(evaluate::list(store.conn(), 2026).unwrap().is_empty());
}

#[test]
fn the_command_line_refuses_a_component_not_scored_by_the_panel() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::db_2026(dir.path().join("m.db"));
    let path = fixture("panel/组织考评评分表.xlsx");
    let o = mofan(
        &db,
        &[
            "panel",
            "import",
            "--campaign",
            "2026",
            "--component",
            "organisation",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("分数来源是申报表，不是评委打分"),
        "{}",
        text(&o.stderr)
    );
    let list = stdout_json(&mofan(
        &db,
        &["panel", "list", "--campaign", "2026", "--json"],
    ));
    assert_eq!(list, json!([]));
    let o = mofan(&db, &["panel", "list", "--campaign", "2027"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("2027年度评选不存在"),
        "{}",
        text(&o.stderr)
    );
    let o = mofan(&db, &["panel", "withdraw", "--campaign", "2026", "x.xlsx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("没有找到要撤回的文件"),
        "{}",
        text(&o.stderr)
    );
    // Usage errors exit 2.
    let o = mofan(&db, &["panel", "import", "--campaign", "2026", "a.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
}
