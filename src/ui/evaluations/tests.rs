use super::*;
use crate::import::FileStatus;
use crate::ui::testing::{fixture, opts, sample, OPERATOR};
use crate::Coded;

const SURVEY: &str = "ballots/问卷星_群众满意度测评.xlsx";
const TALLY: &str = "ballots/计票汇总表.xlsx";
const PANEL: &str = "panel/组织考评评分表.xlsx";

/// The 2026 campaign under the computed scheme (群众测评 from ballots, 组织考评 from the
/// panel) with every sample return imported.
fn computed_year() -> Mutex<Store> {
    let mut store = Store::open_in_memory().unwrap();
    let toml = std::fs::read_to_string(fixture("scheme.computed.toml")).unwrap();
    crate::campaign::create(&mut store, 2026, Some(&toml), OPERATOR).unwrap();
    for name in [
        "00_广州市.xlsx",
        "01_广州市海珠区.xlsx",
        "02_广州市番禺区.xls",
        "03_广州市越秀区.xlsx",
    ] {
        let returns = import::Returns::open(&store, 2026, &[]).unwrap();
        import::import_file(&mut store, &returns, &sample(name), &opts()).unwrap();
    }
    Mutex::new(store)
}

fn component<'a>(v: &'a EvaluationsView, key: &str) -> &'a ComputedComponent {
    v.components.iter().find(|c| c.key == key).unwrap()
}

fn unit<'a>(c: &'a ComputedComponent, name: &str) -> &'a UnitEvaluation {
    c.units.iter().find(|u| u.name == name).unwrap()
}

#[test]
fn a_scheme_without_computed_components_shows_none() {
    let store = crate::ui::testing::campaign_with(&["00_广州市.xlsx"]);
    let v = view(&store, 2026).unwrap();
    assert!(v.components.is_empty());
    assert!(!v.locked);
    assert_eq!(view(&store, 2031).unwrap_err().code(), "campaign.not_found");
}

#[test]
fn lists_each_computed_component_before_any_input() {
    let store = computed_year();
    let v = view(&store.lock().unwrap(), 2026).unwrap();
    let keys: Vec<(&str, ComponentSource)> = v
        .components
        .iter()
        .map(|c| (c.key.as_str(), c.source))
        .collect();
    // Scheme order: 组织考评 stands before 群众测评 in scheme.computed.toml.
    assert_eq!(
        keys,
        [
            ("organisation", ComponentSource::Panel),
            ("public", ComponentSource::Ballots)
        ]
    );
    let public = component(&v, "public");
    assert_eq!(public.source_label, "测评票");
    assert!(
        public.computation.starts_with("由测评票计算"),
        "{}",
        public.computation
    );
    assert_eq!(public.choices.first().map(String::as_str), Some("满意"));
    assert!(public.files.is_empty());
    let u = &public.units[0];
    assert_eq!(u.counts.len(), public.choices.len());
    assert_eq!(u.score, None);
    assert_eq!(u.reason.as_deref(), Some("群众测评没有测评票"));
    let org = component(&v, "organisation");
    assert_eq!(org.source_label, "评委打分");
    assert!(org.choices.is_empty() && org.units.iter().all(|u| u.judges.is_empty()));
    assert!(org.units.iter().all(|u| u.reason.is_some()));
}

#[test]
fn previews_a_survey_export_with_its_unit_columns_matched() {
    let store = computed_year();
    let (p, report) = preview(&store, 2026, "public", &fixture(SURVEY)).unwrap();
    assert_eq!(p.state, PreviewState::Ready, "{:?}", p.errors);
    assert_eq!(p.sheets.len(), 1);
    assert_eq!(p.sheets[0].layout, BallotLayout::Survey.label());
    assert_eq!(p.sheets[0].header_row, 1);
    let first = &p.matched[0];
    assert_eq!(
        (first.place.as_str(), first.unit.as_str()),
        ("H", "广州市民政局")
    );
    assert!(first.given.contains("请您对以下单位的工作作出评价"));
    // Every matched unit is counted once: at its column, never at respondents' rows.
    assert_eq!(p.matched.len(), p.valid);
    assert_eq!(report.rows, p.rows);
    assert!(
        files::list_of(store.lock().unwrap().conn(), FileKind::Ballots, 2026)
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
}

#[test]
fn previews_a_tally_and_a_panel_sheet_with_their_rows_matched() {
    let store = computed_year();
    let (t, _) = preview(&store, 2026, "public", &fixture(TALLY)).unwrap();
    assert_eq!(t.sheets[0].layout, "计票汇总表");
    assert_eq!(t.sheets[0].header_row, 3);
    assert_eq!(
        (t.matched[0].place.as_str(), t.matched[0].unit.as_str()),
        ("第4行", "广州市民政局")
    );
    let (p, _) = preview(&store, 2026, "organisation", &fixture(PANEL)).unwrap();
    assert_eq!(p.state, PreviewState::Ready, "{:?}", p.errors);
    assert_eq!(p.sheets[0].layout, "评委为列");
    assert_eq!(p.matched[0].unit, "广州市人民检察院");
    assert_eq!(p.matched[0].place, "第4行");
    // A ballot file read for the panel's component is refused by the panel importer.
    let wrong = preview(&store, 2026, "organisation", &fixture(TALLY)).unwrap();
    assert_ne!(wrong.0.state, PreviewState::Ready);
}

#[test]
fn a_component_not_computed_or_unknown_is_refused_with_the_importers_words() {
    let store = computed_year();
    let e = preview(&store, 2026, "self", &fixture(TALLY)).unwrap_err();
    assert!(e.to_string().contains("个人自评"), "{e}");
    let e = preview(&store, 2026, "nope", &fixture(TALLY)).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

#[test]
fn a_bad_cell_is_placed_and_a_missing_file_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("计票.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("计票").unwrap();
    for (c, h) in ["单位名称", "满意", "基本满意", "不满意"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "广州市民政局").unwrap();
    sheet.write_number(1, 1, 40.0).unwrap();
    sheet.write_string(1, 2, "很多").unwrap();
    sheet.write_number(1, 3, 1.0).unwrap();
    book.save(&path).unwrap();
    let store = computed_year();
    let (p, report) = preview(&store, 2026, "public", &path).unwrap();
    assert_eq!(p.state, PreviewState::Errors);
    let e = &p.errors[0];
    assert_eq!(
        (e.sheet.as_deref(), e.row, e.column.as_deref()),
        (Some("计票"), Some(2), Some("C"))
    );
    assert_eq!(report.errors.len(), p.errors.len());

    let (gone, _) = preview(&store, 2026, "public", &dir.path().join("无.xlsx")).unwrap();
    assert_eq!(gone.state, PreviewState::Unreadable);
    assert!(!gone.errors.is_empty());
}

#[test]
fn imports_shows_scores_and_files_then_withdraws() {
    let store = computed_year();
    let reports = import_files(
        &store,
        2026,
        "public",
        &[fixture(SURVEY), fixture(TALLY)],
        &opts(),
    )
    .unwrap();
    assert!(reports.iter().all(|r| r.status == FileStatus::Imported));
    let panel = import_files(&store, 2026, "organisation", &[fixture(PANEL)], &opts()).unwrap();
    assert_eq!(
        panel[0].status,
        FileStatus::Imported,
        "{:?}",
        panel[0].errors
    );

    let (again, _) = preview(&store, 2026, "public", &fixture(TALLY)).unwrap();
    assert_eq!(again.state, PreviewState::Duplicate);
    assert!(again.duplicate.unwrap().contains("内容相同"));

    let v = view(&store.lock().unwrap(), 2026).unwrap();
    let public = component(&v, "public");
    let layouts: Vec<(&str, Vec<String>)> = public
        .files
        .iter()
        .map(|f| (f.file_name.as_str(), f.layouts.clone()))
        .collect();
    assert_eq!(
        layouts,
        [
            (
                "问卷星_群众满意度测评.xlsx",
                vec![BallotLayout::Survey.label().to_string()]
            ),
            ("计票汇总表.xlsx", vec!["计票汇总表".to_string()]),
        ]
    );
    assert_eq!(public.files[0].operator, OPERATOR);
    assert_eq!(public.files[0].sha256.len(), 64);
    let civil = unit(public, "广州市民政局");
    assert!(civil.score.is_some(), "{civil:?}");
    assert!(civil
        .explanation
        .as_deref()
        .unwrap()
        .starts_with("群众测评"));
    assert_eq!(civil.valid, civil.counts.iter().sum::<i64>());
    // The tally gave 发放 50 and 回收 46 for it.
    assert_eq!((civil.issued, civil.returned), (Some(50), Some(46)));
    assert_eq!(civil.return_rate.as_deref(), Some("92.00"));

    let org = component(&v, "organisation");
    assert_eq!(org.files.len(), 1);
    assert_eq!(org.files[0].layouts, ["评委为列"]);
    let procuratorate = unit(org, "广州市人民检察院");
    assert_eq!(procuratorate.judges.len(), 7);
    // Trim 2: the two highest (96, 92.5) and the two lowest (83, 90) are dropped.
    let dropped: Vec<&str> = procuratorate
        .judges
        .iter()
        .filter(|j| j.dropped)
        .map(|j| j.judge.as_str())
        .collect();
    assert_eq!(dropped, ["评委2", "评委3", "评委4", "评委6"]);
    assert!(procuratorate.explanation.is_some());

    let tally_id = public.files[1].id;
    let mut s = store.lock().unwrap();
    let w = withdraw(&mut s, 2026, tally_id, OPERATOR).unwrap();
    assert!(w.withdrawn > 0);
    let after = view(&s, 2026).unwrap();
    let public = component(&after, "public");
    assert_eq!(public.files[1].status, StoredFileStatus::Withdrawn);
    assert_eq!(unit(public, "广州市民政局").issued, None);
    // Withdrawing again, or a file of returns, is refused.
    assert_eq!(
        withdraw(&mut s, 2026, tally_id, OPERATOR)
            .unwrap_err()
            .code(),
        "import.file_not_found"
    );
    let returns_file = files::list_of(s.conn(), FileKind::Returns, 2026).unwrap()[0].id;
    assert_eq!(
        withdraw(&mut s, 2026, returns_file, OPERATOR)
            .unwrap_err()
            .code(),
        "import.file_not_found"
    );
    let org_file = component(&after, "organisation").files[0].id;
    withdraw(&mut s, 2026, org_file, OPERATOR).unwrap();
    let org = component(&view(&s, 2026).unwrap(), "organisation").clone();
    assert!(org.units.iter().all(|u| u.score.is_none()));
    assert_eq!(org.files[0].status, StoredFileStatus::Withdrawn);
}

#[test]
fn a_partial_import_stores_the_correct_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("计票.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["单位名称", "满意", "不满意"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "广州市民政局").unwrap();
    sheet.write_number(1, 1, 40.0).unwrap();
    sheet.write_string(2, 0, "不存在的局").unwrap();
    sheet.write_number(2, 1, 40.0).unwrap();
    book.save(&path).unwrap();
    let store = computed_year();
    let whole = import_files(&store, 2026, "public", std::slice::from_ref(&path), &opts()).unwrap();
    assert_eq!(whole[0].status, FileStatus::Rejected);
    let partial = ImportOptions {
        partial: true,
        ..opts()
    };
    let part = import_files(&store, 2026, "public", &[path], &partial).unwrap();
    assert_eq!(part[0].status, FileStatus::Imported);
    assert_eq!(part[0].imported, 1);
    let v = view(&store.lock().unwrap(), 2026).unwrap();
    let f = &component(&v, "public").files[0];
    assert_eq!(f.status, StoredFileStatus::Partial);
    assert_eq!(unit(component(&v, "public"), "广州市民政局").counts[0], 40);
}

#[test]
fn a_stored_panel_sheet_tells_its_layout_by_its_spread() {
    // (judges, columns) → layout: several judges in one column only in the long form.
    let cases = [
        (7, 7, PanelLayout::Wide),
        (1, 1, PanelLayout::Wide),
        (3, 1, PanelLayout::Long),
        (2, 1, PanelLayout::Long),
        (2, 2, PanelLayout::Wide),
    ];
    for (judges, columns, want) in cases {
        assert_eq!(
            panel::stored_layout(judges, columns),
            want,
            "{judges} judges in {columns} columns"
        );
    }
}

#[test]
fn a_published_campaign_is_locked() {
    let store = computed_year();
    let s = store.lock().unwrap();
    s.conn()
        .execute(
            "UPDATE campaigns SET status = 'published' WHERE year = 2026",
            [],
        )
        .unwrap();
    assert!(view(&s, 2026).unwrap().locked);
    drop(s);
    let e = import_files(&store, 2026, "public", &[fixture(TALLY)], &opts()).unwrap_err();
    assert_eq!(e.code(), "campaign.locked");
}

#[test]
fn exports_each_sources_workbook_with_the_scores_the_screen_shows() {
    let store = computed_year();
    import_files(&store, 2026, "public", &[fixture(TALLY)], &opts()).unwrap();
    import_files(&store, 2026, "organisation", &[fixture(PANEL)], &opts()).unwrap();
    let v = view(&store.lock().unwrap(), 2026).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (key, title) in [("public", "测评汇总表"), ("organisation", "评委评分汇总表")] {
        let c = component(&v, key);
        assert_eq!(c.workbook, title);
        let (_, file_name) = book_of(2026, c.source).unwrap();
        assert_eq!(file_name, format!("2026年度{title}.xlsx"));
        let out = dir.path().join(&file_name);
        export(&store, 2026, c.source, &out).unwrap();

        // Every scored unit of the screen is in the workbook with the same score.
        use calamine::Reader as _;
        let mut book = calamine::open_workbook_auto(&out).unwrap();
        let cells: Vec<Vec<String>> = book
            .worksheets()
            .into_iter()
            .flat_map(|(_, range)| {
                range
                    .rows()
                    .map(|r| r.iter().map(|d| d.to_string()).collect())
                    .collect::<Vec<_>>()
            })
            .collect();
        let scored: Vec<_> = c.units.iter().filter(|u| u.score.is_some()).collect();
        assert!(!scored.is_empty(), "{key}: scores to export");
        for u in scored {
            let row = cells.iter().find(|r| r.contains(&u.name));
            let row = row.unwrap_or_else(|| panic!("{key}: {} missing", u.name));
            let score: f64 = u.score.unwrap().to_string().parse().unwrap();
            assert!(
                row.iter().any(|c| c.parse::<f64>() == Ok(score)),
                "{key}: {} {score} in {row:?}",
                u.name
            );
        }
    }
    // A component read from the returns has no such workbook; a year without a panel
    // component has no 评委评分汇总表.
    let err = book_of(2026, ComponentSource::Return).unwrap_err();
    assert_eq!(err.code(), "desktop.bad_request");
    assert!(err.to_string().contains("申报表"), "{err}");
    let plain = Mutex::new(crate::ui::testing::campaign_with(&["00_广州市.xlsx"]));
    let out = dir.path().join("none.xlsx");
    let err = export(&plain, 2026, ComponentSource::Panel, &out).unwrap_err();
    assert_eq!(err.code(), "export.no_component");
    assert!(!out.exists());
}
