//! Working days and arrangement files. The arrangements here are test data made up for
//! the cases, not any year's official arrangement.

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dates(list: &[&str]) -> Vec<NaiveDate> {
    list.iter().map(|s| d(s)).collect()
}

/// Test data: a week of holidays from Thursday 1 October 2026 with the Sunday before and
/// the Saturday after worked, and 1 January 2027 (a Friday) off.
fn test_2026() -> YearArrangement {
    YearArrangement {
        year: 2026,
        holidays: dates(&[
            "2026-10-01",
            "2026-10-02",
            "2026-10-03",
            "2026-10-04",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
            "2026-10-08",
        ]),
        workdays: dates(&["2026-09-27", "2026-10-10"]),
    }
}

fn test_2027() -> YearArrangement {
    YearArrangement {
        year: 2027,
        holidays: dates(&["2027-01-01"]),
        workdays: Vec::new(),
    }
}

#[test]
fn working_days_across_weekends_holidays_and_adjusted_days() {
    let both = Calendar::of([test_2026(), test_2027()]);
    let only_2026 = Calendar::of([test_2026()]);
    let none = Calendar::default();
    // (calendar, from, working days, last day, years counted by weekends only)
    let cases: [(&Calendar, &str, u32, &str, &[i32]); 14] = [
        // A plain week: Monday to Friday.
        (&both, "2026-11-02", 5, "2026-11-06", &[]),
        // Starting on a Saturday: counting starts on Monday.
        (&both, "2026-11-07", 5, "2026-11-13", &[]),
        // The start counts when it is a working day; one day is that day.
        (&both, "2026-11-04", 1, "2026-11-04", &[]),
        // Across the holidays and the worked Saturday after them.
        (&both, "2026-09-30", 5, "2026-10-13", &[]),
        // Starting on a holiday: the first working day after it is the first day counted.
        (&both, "2026-10-01", 1, "2026-10-09", &[]),
        (&both, "2026-10-03", 2, "2026-10-10", &[]),
        // A worked Sunday counts.
        (&both, "2026-09-27", 1, "2026-09-27", &[]),
        (&both, "2026-09-26", 2, "2026-09-28", &[]),
        // Across the year end with the next year's arrangement: 1 January is off.
        (&both, "2026-12-28", 5, "2027-01-04", &[]),
        // ...and without it: weekends only in 2027, and it says so.
        (&only_2026, "2026-12-28", 5, "2027-01-01", &[2027]),
        // Without any arrangement: weekends only, the holidays counted as working days.
        (&none, "2026-09-30", 5, "2026-10-06", &[2026]),
        (&none, "2026-12-28", 5, "2027-01-01", &[2026, 2027]),
        // A period within an arranged year needs no other year.
        (&only_2026, "2026-11-02", 5, "2026-11-06", &[]),
        // Zero is taken as one day.
        (&both, "2026-11-07", 0, "2026-11-09", &[]),
    ];
    for (calendar, from, n, last, missing) in cases {
        let got = calendar.last_of(d(from), n);
        assert_eq!(
            (got.day, got.missing_years.as_slice()),
            (d(last), missing),
            "{from} + {n}"
        );
    }
    assert_eq!(
        only_2026.last_of(d("2026-12-28"), 5).warnings(),
        ["未设置2027年节假日安排，仅按周末计算"]
    );
}

#[test]
fn the_next_working_day() {
    let both = Calendar::of([test_2026(), test_2027()]);
    let only_2026 = Calendar::of([test_2026()]);
    for (calendar, day, next, missing) in [
        (&both, "2026-11-06", "2026-11-09", &[][..]),
        (&both, "2026-09-30", "2026-10-09", &[]),
        (&both, "2026-10-09", "2026-10-10", &[]),
        (&both, "2026-12-31", "2027-01-04", &[]),
        (&only_2026, "2026-12-31", "2027-01-01", &[2027]),
    ] {
        let got = calendar.next_working_day_after(d(day));
        assert_eq!(
            (got.day, got.missing_years.as_slice()),
            (d(next), missing),
            "{day}"
        );
    }
}

#[test]
fn is_working_day_and_the_count_of_a_year() {
    let c = Calendar::of([test_2026()]);
    for (day, working) in [
        ("2026-10-01", false),
        ("2026-10-04", false),
        ("2026-10-10", true),
        ("2026-10-11", false),
        ("2026-10-12", true),
        ("2026-09-27", true),
    ] {
        assert_eq!(c.is_working_day(d(day)), working, "{day}");
    }
    // 2026 has 261 weekdays; the test data takes 6 weekdays off and adds 2 worked days.
    assert_eq!(Calendar::default().working_days_in(2026), 261);
    assert_eq!(c.working_days_in(2026), 261 - 6 + 2);
}

const GOOD: &str = r#"# test data
[[years]]
year = 2026
holidays = [2026-10-01, "2026-10-02"]
workdays = [2026-10-10]

[[years]]
year = 2027
holidays = [2027-01-01]
"#;

#[test]
fn reads_dates_as_toml_dates_or_iso_strings() {
    let years = parse(GOOD).unwrap();
    assert_eq!(years.len(), 2);
    assert_eq!(years[0].holidays, dates(&["2026-10-01", "2026-10-02"]));
    assert_eq!(years[0].workdays, dates(&["2026-10-10"]));
    assert_eq!(years[1].workdays, Vec::<NaiveDate>::new());
    // The inline form of the same list.
    let inline = "years = [{ year = 2027, holidays = [2027-01-01] }]";
    assert_eq!(parse(inline).unwrap()[0].year, 2027);
}

#[test]
fn every_problem_is_placed_at_its_key_and_line() {
    // (text, key, line, message)
    let cases: [(&str, &str, Option<usize>, &str); 12] = [
        (
            "",
            "",
            None,
            "没有任何年份的安排：每年写一个 [[years]]，含 year、holidays 和 workdays",
        ),
        (
            "[[years]]\nholidays = []",
            "years[0]",
            Some(1),
            "缺少 year（年份）",
        ),
        (
            "[[years]]\nyear = 1800",
            "years[0].year",
            Some(2),
            "年份应为 1949–2100 之间的整数",
        ),
        (
            "[[years]]\nyear = \"2026\"",
            "years[0].year",
            Some(2),
            "年份应为 1949–2100 之间的整数",
        ),
        (
            "[[years]]\nyear = 2026\nholidays = [2026-10-01, 2025-12-31]",
            "years[0].holidays[1]",
            Some(3),
            "2025-12-31 不在2026年内",
        ),
        (
            "[[years]]\nyear = 2026\nholidays = [\"10月1日\"]",
            "years[0].holidays[0]",
            Some(3),
            "应为日期，写作 2026-10-01 或 \"2026-10-01\"（年-月-日）",
        ),
        (
            "[[years]]\nyear = 2026\nholidays = [2026-10-01T08:00:00]",
            "years[0].holidays[0]",
            Some(3),
            "应为日期，写作 2026-10-01 或 \"2026-10-01\"（年-月-日）",
        ),
        (
            "[[years]]\nyear = 2026\nholidays = [2026-10-01,\n  2026-10-01]",
            "years[0].holidays[1]",
            Some(4),
            "日期 2026-10-01 重复",
        ),
        (
            "[[years]]\nyear = 2026\nholidays = [2026-10-10]\nworkdays = [2026-10-10]",
            "years[0].workdays[0]",
            Some(4),
            "2026-10-10 已列为放假日，不能同时是调休上班日",
        ),
        (
            "[[years]]\nyear = 2026\nworkdays = [2026-10-09]",
            "years[0].workdays[0]",
            Some(3),
            "2026-10-09 是星期五，本来就是工作日；调休上班日应为星期六或星期日",
        ),
        (
            "[[years]]\nyear = 2026\nholiday = []",
            "years[0].holiday",
            Some(3),
            "未知的设置项 “holiday”（应为 year、holidays 或 workdays）",
        ),
        (
            "[[years]]\nyear = 2026\n[[years]]\nyear = 2026",
            "years[1].year",
            Some(4),
            "2026年的安排重复",
        ),
    ];
    for (text, key, line, message) in cases {
        let issues = parse(text).unwrap_err();
        assert_eq!(issues.len(), 1, "{text}: {issues:?}");
        assert_eq!(
            (
                issues[0].key.as_str(),
                issues[0].line,
                issues[0].message.as_str()
            ),
            (key, line, message),
            "{text}"
        );
    }
    // A syntax error has its line and column, in Chinese.
    let e = parse("[[years]]\nyear = = 2026").unwrap_err();
    assert_eq!((e[0].line, e[0].column.is_some()), (Some(2), true));
    assert!(e[0].to_string().starts_with("第2行第"), "{}", e[0]);
    // Several problems, in file order.
    let e = parse("x = 1\n[[years]]\nyear = 2026\nworkdays = [2026-10-09]").unwrap_err();
    let lines: Vec<Option<usize>> = e.iter().map(|i| i.line).collect();
    assert_eq!(lines, [Some(1), Some(4)]);
}

#[test]
fn import_replaces_a_year_in_one_audited_transaction() {
    let mut store = Store::open_in_memory().unwrap();
    let done = import_text(&mut store, "安排.toml", GOOD, "张三").unwrap();
    assert_eq!(
        done,
        [
            ImportedYear {
                year: 2026,
                holidays: 2,
                workdays: 1,
                replaced: false
            },
            ImportedYear {
                year: 2027,
                holidays: 1,
                workdays: 0,
                replaced: false
            },
        ]
    );
    let shown = show(&store, 2026).unwrap();
    assert!(shown.arranged && shown.warning.is_none());
    assert_eq!(shown.holidays, dates(&["2026-10-01", "2026-10-02"]));
    assert_eq!(shown.working_days, 261 - 2 + 1);
    assert_eq!(shown.file_name.as_deref(), Some("安排.toml"));
    // Importing 2026 again replaces its days as a whole; 2027 stays.
    let again = "[[years]]\nyear = 2026\nholidays = [2026-10-05]\n";
    let done = import_text(&mut store, "新.toml", again, "张三").unwrap();
    assert!(done[0].replaced);
    assert_eq!(show(&store, 2026).unwrap().holidays, dates(&["2026-10-05"]));
    assert!(show(&store, 2027).unwrap().arranged);
    // A file with a problem changes nothing.
    let bad = "[[years]]\nyear = 2026\nholidays = [2026-10-06]\n[[years]]\nyear = 2027\nworkdays = [2027-01-04]\n";
    let e = import_text(&mut store, "坏.toml", bad, "张三").unwrap_err();
    assert_eq!(e.code(), "calendar.invalid");
    assert!(
        e.to_string()
            .starts_with("节假日安排文件 坏.toml 有误，未导入：第6行 years[1].workdays[0]："),
        "{e}"
    );
    assert_eq!(show(&store, 2026).unwrap().holidays, dates(&["2026-10-05"]));
    // Unarranged, and out of range.
    let empty = show(&store, 2030).unwrap();
    assert_eq!(
        (empty.arranged, empty.warning.as_deref()),
        (false, Some("未设置2030年节假日安排，仅按周末计算"))
    );
    assert_eq!(show(&store, 1800).unwrap_err().code(), "calendar.year");
    // Each import is one audit row.
    let log = audit::list(store.conn(), &audit::Filter::default()).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "calendar.import");
    assert!(
        log[0].details.contains("\"replaced\":true"),
        "{}",
        log[0].details
    );
    assert_eq!(audit::verify(store.conn()).unwrap().broken, None);
    // The stored arrangement counts as the parsed one does.
    let loaded = Calendar::load(store.conn()).unwrap();
    assert!(!loaded.is_working_day(d("2026-10-05")));
    assert!(loaded.is_working_day(d("2026-10-01")));
    assert!(!loaded.is_working_day(d("2027-01-01")));
}

#[test]
fn a_missing_or_oversized_file_is_named() {
    let mut store = Store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = import_file(&mut store, &dir.path().join("无.toml"), "张三").unwrap_err();
    assert_eq!(e.code(), "calendar.file");
    assert!(e.to_string().contains("无.toml"), "{e}");
    let big = dir.path().join("大.toml");
    std::fs::write(&big, vec![b'#'; FILE_BYTES + 1]).unwrap();
    let e = import_file(&mut store, &big, "张三").unwrap_err();
    assert!(e.to_string().contains("文件过大"), "{e}");
}

#[test]
fn the_shipped_example_reads() {
    let example = include_str!("../../docs/calendar.example.toml");
    let years = parse(example).unwrap();
    assert_eq!(years.len(), 1);
    // The example's year is far away, so that it can never pass for a real arrangement.
    assert_eq!(years[0].year, 2099);
}

#[test]
fn a_day_set_or_taken_off_by_hand_is_audited_and_counts() {
    let mut store = Store::open_in_memory().unwrap();
    // A year without an arrangement becomes arranged by its first day set.
    let y = set_day(
        &mut store,
        d("2026-11-04"),
        Some(CalendarDayKind::Holiday),
        "张三",
    )
    .unwrap();
    assert!(y.arranged && y.warning.is_none());
    assert_eq!(y.file_name.as_deref(), Some(BY_HAND));
    assert_eq!(y.holidays, dates(&["2026-11-04"]));
    let calendar = Calendar::load(store.conn()).unwrap();
    assert_eq!(calendar.last_of(d("2026-11-02"), 5).day, d("2026-11-09"));
    // A worked Saturday; a weekday cannot be one.
    let y = set_day(
        &mut store,
        d("2026-11-14"),
        Some(CalendarDayKind::Workday),
        "张三",
    )
    .unwrap();
    assert_eq!(y.workdays, dates(&["2026-11-14"]));
    let e = set_day(
        &mut store,
        d("2026-11-13"),
        Some(CalendarDayKind::Workday),
        "张三",
    )
    .unwrap_err();
    assert_eq!(e.code(), "calendar.not_weekend");
    assert!(e.to_string().contains("星期五"), "{e}");
    // A holiday made a worked day replaces it: a day is one or the other.
    let y = set_day(
        &mut store,
        d("2026-11-14"),
        Some(CalendarDayKind::Holiday),
        "张三",
    )
    .unwrap();
    assert_eq!((y.holidays.len(), y.workdays.len()), (2, 0));
    // Taken off; taking off a day not listed is refused and changes nothing.
    let y = set_day(&mut store, d("2026-11-04"), None, "张三").unwrap();
    assert_eq!(y.holidays, dates(&["2026-11-14"]));
    let e = set_day(&mut store, d("2026-11-04"), None, "张三").unwrap_err();
    assert_eq!(e.code(), "calendar.not_listed");
    let e = set_day(&mut store, d("2200-01-01"), None, "张三").unwrap_err();
    assert_eq!(e.code(), "calendar.year");
    let edits = crate::store::audit_log::list(store.conn(), &Default::default()).unwrap();
    let edits: Vec<_> = edits
        .iter()
        .filter(|r| r.action == "calendar.edit")
        .collect();
    assert_eq!(edits.len(), 4);
    assert!(edits
        .iter()
        .any(|r| r.details.contains("\"before\":\"workday\"")
            && r.details.contains("\"after\":\"holiday\"")));
}
