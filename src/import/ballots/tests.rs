use super::*;
use crate::import::analyze;
use crate::store::returns::CampaignUnit;
use crate::Coded;

fn unit(id: i64, name: &str, uscc: Option<&str>) -> CampaignUnit {
    CampaignUnit {
        agency_id: id,
        name: name.to_string(),
        uscc: uscc.map(str::to_string),
        region: Some("广州市".to_string()),
    }
}

/// A valid USCC (its check character computed).
fn code() -> String {
    crate::uscc::with_check_digit("11440100006919079").expect("a 17-character body")
}

fn units() -> CampaignUnits {
    CampaignUnits::new(vec![
        unit(1, "广州市民政局", Some(&code())),
        unit(2, "广州市财政局", None),
        unit(3, "广州市审计局", None),
    ])
}

/// The default scheme with 群众测评 computed from ballots.
fn scheme() -> Scheme {
    let mut s = Scheme::default_scheme();
    s.components
        .iter_mut()
        .find(|c| c.key == "public")
        .expect("the default scheme has public")
        .source = ComponentSource::Ballots;
    s
}

fn importer() -> Ballots {
    Ballots::new(scheme(), 2026, "public", units()).unwrap()
}

/// Reads CSV text (one line a row) as a ballot file.
fn read(csv: &str) -> Analysis<BallotRow> {
    analyze(&importer(), csv.as_bytes().to_vec(), "测评.csv")
}

fn text_rows(rows: &[&[&str]]) -> Vec<(u32, Vec<(u32, Cell)>)> {
    rows.iter()
        .enumerate()
        .map(|(r, cells)| {
            (
                r as u32,
                cells
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| !t.is_empty())
                    .map(|(c, t)| (c as u32, Cell::Text(t.to_string())))
                    .collect(),
            )
        })
        .collect()
}

/// Each unit's counts (name → words with counts) of valid records.
/// A unit's name, its words with counts, 发放 and 回收.
type Counted = (String, Vec<(String, i64)>, Option<i64>, Option<i64>);

fn counted(a: &Analysis<BallotRow>) -> Vec<Counted> {
    let words = importer().words().clone();
    a.valid
        .iter()
        .map(|r| match &r.body {
            Body::Counts {
                counts,
                issued,
                returned,
                ..
            } => (
                r.name.clone(),
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(i, n)| (words.word(i).to_string(), *n))
                    .collect(),
                *issued,
                *returned,
            ),
            Body::Answers(_) => panic!("answers left uncounted: {r:?}"),
        })
        .collect()
}

fn pairs(p: &[(&str, i64)]) -> Vec<(String, i64)> {
    p.iter().map(|(w, n)| (w.to_string(), *n)).collect()
}

#[test]
fn the_component_must_be_computed_from_ballots() {
    let e = Ballots::new(Scheme::default_scheme(), 2026, "public", units()).unwrap_err();
    assert_eq!(e.code(), "import.wrong_source");
    assert_eq!(
        e.to_string(),
        "考核项“public”（群众测评）的分数来源是申报表，不是测评票；只有来源为测评票的考核项才能导入这类文件（在评选方案中把它的 source 设为 \"ballots\"）"
    );
    let e = Ballots::new(scheme(), 2026, "publik", units()).unwrap_err();
    assert_eq!(e.code(), "import.unknown_component");
    assert!(
        e.to_string()
            .starts_with("评选方案中没有键为“publik”的考核项（现有：self（个人自评）、"),
        "{e}"
    );
    assert_eq!(importer().label(), "群众测评");
}

#[test]
fn answer_words_are_read_after_trimming_and_folding() {
    let w = importer().words().clone();
    let text = |s: &str| Cell::Text(s.to_string());
    // (cell, the word read, or None for no answer)
    let cases: Vec<(Cell, Option<&str>)> = vec![
        (text("满意"), Some("满意")),
        (text(" 基本满意\u{3000}"), Some("基本满意")),
        (text("不 满 意"), Some("不满意")),
        (text("不了解"), Some("不了解")),
        (text("不清楚"), Some("不清楚")),
        (Cell::Empty, None),
        (text("   "), None),
        (text("(空)"), None),
        (text("（空）"), None),
        (text("(跳过)"), None),
        (text("（跳过）"), None),
    ];
    for (cell, want) in cases {
        let got = w.read(&cell).unwrap_or_else(|e| panic!("{cell:?}: {e}"));
        let got = match got {
            Answer::None => None,
            Answer::Word(i) => Some(w.word(i)),
        };
        assert_eq!(got, want, "{cell:?}");
    }
    for cell in [text("很好"), text("空"), Cell::Int(1), Cell::Float(100.0)] {
        let e = w.read(&cell).unwrap_err();
        assert!(
            e.ends_with("不是测评选项，可填：满意、基本满意、一般、不满意（不计入有效票：不了解、不清楚）；空白、“(空)”“(跳过)”不算作答"),
            "{cell:?}: {e}"
        );
    }
}

#[test]
fn the_layout_is_recognised_by_its_header() {
    let b = importer();
    let detect = |rows: &[&[&str]]| {
        b.detect(&text_rows(rows), &[])
            .map(|l| (l.header_row, layout_of(&l)))
    };
    // (rows, header row and layout)
    type Case<'a> = (Vec<&'a [&'a str]>, Option<(u32, BallotLayout)>);
    let cases: Vec<Case> = vec![
        (
            vec![&[
                "序号",
                "单位名称",
                "发放票数",
                "回收票数",
                "满意",
                "基本满意",
                "一般",
                "不满意",
                "不了解",
            ]],
            Some((0, BallotLayout::Tally)),
        ),
        // A title above; the USCC alone names the unit.
        (
            vec![
                &["2026年群众满意度测评计票汇总表"],
                &[],
                &["统一社会信用代码", "满意", "不满意"],
            ],
            Some((2, BallotLayout::Tally)),
        ),
        (
            vec![&[
                "序号",
                "提交答卷时间",
                "所用时间",
                "来源",
                "来源详情",
                "来自IP",
                "1、请您对以下单位的工作作出评价—广州市民政局",
                "1、请您对以下单位的工作作出评价—广州市财政局",
            ]],
            Some((0, BallotLayout::Survey)),
        ),
        // One unit column beside the export's own columns; brackets at the end.
        (
            vec![&["答卷编号", "请对下列单位作出评价（广州市审计局）"]],
            Some((0, BallotLayout::Survey)),
        ),
        // The export's question about the respondent, numbered.
        (
            vec![&["序号", "1、您的身份", "Q2.来源", "2、请您评价—广州市民政局"]],
            Some((0, BallotLayout::Survey)),
        ),
        (
            vec![&["序号", "被测评单位", "测评结果"]],
            Some((0, BallotLayout::Long)),
        ),
        (
            vec![&["测评单位", "第1题", "第2题"]],
            Some((0, BallotLayout::Long)),
        ),
        // A title naming one unit is not a survey's header, nor is a lone unit column.
        (vec![&["广州市民政局满意度测评"]], None),
        (vec![&["单位名称"], &["广州市民政局"]], None),
        (vec![&["请如实填写"]], None),
    ];
    for (rows, want) in cases {
        assert_eq!(detect(&rows), want, "{rows:?}");
    }
}

#[test]
fn a_two_row_tally_header_under_a_merged_parent() {
    let b = importer();
    let merges = vec![Merge {
        start: (0, 2),
        end: (0, 5),
    }];
    let mut fill = layout::MergeFill::new(merges);
    let mut rows = text_rows(&[
        &["序号", "单位名称", "测评结果", "", "", "", "发放", "回收"],
        &["", "", "满意", "基本满意", "一般", "不满意"],
    ]);
    for (r, cells) in &mut rows {
        fill.fill(*r, cells);
    }
    let l = b.detect(&rows, fill.regions()).unwrap();
    assert_eq!((l.header_rows, layout_of(&l)), (2, BallotLayout::Tally));
    assert_eq!(l.column_of(Field::Choice(0)).map(|c| c.col), Some(2));
    assert_eq!(l.column_of(Field::Choice(3)).map(|c| c.col), Some(5));
    assert_eq!(l.column_of(Field::Returned).map(|c| c.col), Some(7));
}

#[test]
fn a_tally_is_read_row_by_row() {
    let a = read(
        "序号,单位名称,统一社会信用代码,发放,回收,满意,基本满意,一般,不满意,不了解\n\
         1,广州市财政局,,200,160,120,30,0,2,3\n\
         2,,CODE,,,10,0,0,0,0\n\
         3,广州市审计局,,50,,5,5,,,\n\
         4\n\
         合计,,,250,160,135,35,0,2,3\n"
            .replace("CODE", &code())
            .as_str(),
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert!(!a.revised, "a tally is stored as it is read");
    assert_eq!(a.rows, 3, "the 序号-only row is blank, the total skipped");
    assert_eq!(
        counted(&a),
        [
            (
                "广州市财政局".to_string(),
                pairs(&[
                    ("满意", 120),
                    ("基本满意", 30),
                    ("不满意", 2),
                    ("不了解", 3)
                ]),
                Some(200),
                Some(160)
            ),
            (
                "广州市民政局".to_string(),
                pairs(&[("满意", 10)]),
                None,
                None
            ),
            (
                "广州市审计局".to_string(),
                pairs(&[("满意", 5), ("基本满意", 5)]),
                Some(50),
                None
            ),
        ]
    );
}

#[test]
fn tally_errors_are_placed_at_their_cell() {
    let header = "单位名称,发放,回收,满意,不满意\n";
    // (data row, column, header, value, message)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        ("广州市民政局,10,5,-1,0", Some("D"), Some("满意"), Some("-1"), "不能为负数"),
        ("广州市民政局,10,5,1.5,0", Some("D"), Some("满意"), Some("1.5"), "应为整数"),
        ("广州市民政局,10,5,三,0", Some("D"), Some("满意"), Some("三"), "不是有效的整数"),
        (
            "广州市民政局,10,12,3,0",
            Some("C"),
            Some("回收"),
            Some("12"),
            "回收票数（12）多于发放票数（10）",
        ),
        (
            "广州市民政局,10,5,4,2",
            Some("C"),
            Some("回收"),
            Some("5"),
            "各选项票数合计（6）多于回收票数（5）",
        ),
        (
            "广州市民政厅,10,5,4,0",
            Some("A"),
            Some("单位名称"),
            Some("广州市民政厅"),
            "“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局、广州市财政局、广州市审计局",
        ),
        (",10,5,4,0", Some("A"), Some("单位名称"), None, "没有填写单位名称或统一社会信用代码"),
    ];
    for (row, column, head, value, message) in cases {
        let a = read(&format!("{header}{row}\n"));
        assert_eq!(a.errors.len(), 1, "{row}: {:?}", a.errors);
        let e = &a.errors[0];
        assert_eq!(
            (
                e.sheet.as_deref(),
                e.row,
                e.column.as_deref(),
                e.header.as_deref()
            ),
            (Some("测评"), Some(2), column, head),
            "{row}"
        );
        assert_eq!(e.value.as_deref(), value, "{row}");
        assert!(e.message.contains(message), "{row}: {}", e.message);
        assert!(a.valid.is_empty(), "{row}");
    }
    // The same unit twice in one sheet.
    let a = read(&format!("{header}广州市民政局,,,1,0\n广州市民政局,,,2,0\n"));
    assert_eq!(a.errors.len(), 2, "{:?}", a.errors);
    assert!(a.errors[0]
        .message
        .contains("同一单位的计票在本工作表中出现多次（工作表“测评”第2行、工作表“测评”第3行）"));
}

#[test]
fn a_survey_export_is_counted_per_unit() {
    let a = read(
        "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,3、请您评价—广州市民政局,3、请您评价—广州市财政局,3、请您评价—广州市审计局\n\
         1,2026/11/2 9:00,30秒,手机提交,直接访问,1.2.3.4(广东-广州),满意,基本满意,(跳过)\n\
         2,2026/11/2 9:01,41秒,手机提交,直接访问,1.2.3.5(广东-广州),满意,不了解,\n\
         3,2026/11/2 9:02,12秒,链接,直接访问,1.2.3.6(广东-广州),不满意,（空）,满意\n",
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert!(a.revised, "answers are counted once the file is read");
    assert_eq!(a.rows, 3);
    assert!(
        a.warnings.is_empty(),
        "the export's own columns are known: {:?}",
        a.warnings
    );
    assert_eq!(
        counted(&a),
        [
            (
                "广州市民政局".to_string(),
                pairs(&[("满意", 2), ("不满意", 1)]),
                None,
                None
            ),
            (
                "广州市财政局".to_string(),
                pairs(&[("基本满意", 1), ("不了解", 1)]),
                None,
                None
            ),
            (
                "广州市审计局".to_string(),
                pairs(&[("满意", 1)]),
                None,
                None
            ),
        ]
    );
    // Each unit's counts are placed at its first answer's row.
    let rows: Vec<u32> = a.valid.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 2, 4]);
}

#[test]
fn survey_errors_name_the_cell_or_the_header() {
    let a = read(
        "序号,请您评价—广州市民政局,请您评价—广州市财政局\n\
         1,满意,很好\n\
         2,满意,满意\n",
    );
    assert_eq!(a.errors.len(), 1, "{:?}", a.errors);
    let e = &a.errors[0];
    assert_eq!(
        (
            e.row,
            e.column.as_deref(),
            e.header.as_deref(),
            e.value.as_deref()
        ),
        (
            Some(2),
            Some("C"),
            Some("请您评价—广州市财政局"),
            Some("很好")
        )
    );
    assert!(e.message.starts_with("“很好”不是测评选项"), "{}", e.message);
    // The row with the error is left out whole; the others are counted.
    assert_eq!(
        counted(&a),
        [
            (
                "广州市民政局".to_string(),
                pairs(&[("满意", 1)]),
                None,
                None
            ),
            (
                "广州市财政局".to_string(),
                pairs(&[("满意", 1)]),
                None,
                None
            ),
        ]
    );

    // A column naming no unit: an error at the header's cell with the closest names,
    // and the sheet is not read.
    let a = read(
        "序号,请您评价—广州市民政厅,请您评价—广州市财政局,请您评价—广州市民政局,请您评价（广州市民政局）\n\
         1,满意,满意,满意,满意\n",
    );
    assert!(a.unreadable && a.valid.is_empty());
    let placed: Vec<(Option<u32>, Option<&str>, &str)> = a
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            (
                Some(1),
                Some("B"),
                "该列不是问卷的信息列，也没有写明本年度的参评单位：“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局、广州市财政局、广州市审计局"
            ),
            (
                Some(1),
                Some("E"),
                "D列与E列都是对“广州市民政局”的评价，每个单位只能有一列"
            ),
        ]
    );
    assert_eq!(a.errors[0].value.as_deref(), Some("请您评价—广州市民政厅"));
    // A question about something else is not a unit; no close name is offered.
    let a = read("序号,1、您的年龄,2、请您评价—广州市民政局\n1,30岁,满意\n");
    assert_eq!(
        a.errors[0].message,
        "该列不是问卷的信息列，也没有写明本年度的参评单位：“1、您的年龄”不是本年度的参评单位，也没有相近的单位名称"
    );
}

#[test]
fn a_long_sheet_counts_every_answer_of_a_row_for_its_unit() {
    let a = read(
        "序号,被测评单位,第1题,第2题\n\
         1,广州市民政局,满意,基本满意\n\
         2,广州市财政局,不满意,(空)\n\
         3,广州市民政局,不清楚,满意\n\
         4,,,\n",
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.rows, 3);
    assert_eq!(
        counted(&a),
        [
            (
                "广州市民政局".to_string(),
                pairs(&[("满意", 2), ("基本满意", 1), ("不清楚", 1)]),
                None,
                None
            ),
            (
                "广州市财政局".to_string(),
                pairs(&[("不满意", 1)]),
                None,
                None
            ),
        ]
    );
    // The first row naming no unit is not the second row of a header.
    let a = read("被测评单位,测评结果\n,满意\n广州市财政局,一般般\n");
    let msgs: Vec<(Option<u32>, Option<&str>)> = a
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(msgs, [(Some(2), Some("A")), (Some(3), Some("B"))]);
}

#[test]
fn without_a_header_the_file_says_what_was_looked_for() {
    let a = read("姓名,年龄\n张三,30\n");
    assert!(a.unreadable);
    assert_eq!(a.errors[0].message, importer().no_header_message());
}

#[test]
fn one_word_across_a_survey_row_is_an_answer_sheet_not_a_heading() {
    let a = read("请您评价—广州市民政局,请您评价—广州市财政局\n满意,满意\n不满意,\n");
    assert!(a.errors.is_empty() && a.warnings.is_empty(), "{a:?}");
    assert_eq!(a.rows, 2);
    assert_eq!(
        counted(&a),
        [
            (
                "广州市民政局".to_string(),
                pairs(&[("满意", 1), ("不满意", 1)]),
                None,
                None
            ),
            (
                "广州市财政局".to_string(),
                pairs(&[("满意", 1)]),
                None,
                None
            ),
        ]
    );
}
