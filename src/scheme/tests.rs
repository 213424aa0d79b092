use super::*;

fn issues(text: &str) -> Vec<SchemeIssue> {
    Scheme::parse(text).unwrap_err().issues
}

#[test]
fn example_and_default_parse() {
    let example = include_str!("default.toml");
    let s = Scheme::parse(example).unwrap();
    assert_eq!(s.components.len(), 5);
    assert_eq!(s.daily_share, Decimal::new(3, 1));
    assert_eq!(s.components[1].weight, Decimal::new(1, 1));
    assert_eq!(s.thresholds.composite_min, Some(Decimal::from(85)));
    assert_eq!(s.quotas.len(), 3);
    assert_eq!(s.quotas[1].max, Some(8));
    assert_eq!(s.quotas[2].size, QuotaSize::Count(2));
    assert_eq!(s.review.rectification_rate_min, Decimal::new(8, 1));
    assert_eq!(s.canonical_unit_type("政府部门"), Some("政府机关"));
    assert_eq!(s.canonical_unit_type("政法 机关"), Some("政法机关"));
    assert_eq!(s.canonical_unit_type("企业"), None);
}

#[test]
fn weights_must_sum_to_one() {
    let text = DEFAULT_TOML.replace("weight = 0.05", "weight = 0.06");
    let i = issues(&text);
    assert_eq!(i.len(), 1);
    assert_eq!(i[0].key, "components");
    assert!(i[0].message.contains("1.01"), "{}", i[0].message);
    assert!(i[0].line.is_some());
}

#[test]
fn errors_name_key_and_line() {
    let text = DEFAULT_TOML.replace("key = \"peer\"", "key = \"self\"");
    let i = issues(&text);
    assert_eq!(i[0].key, "components[2].key");
    let line = text
        .lines()
        .position(|l| l.contains("key = \"self\"") && !l.is_empty());
    // The second occurrence is the duplicate.
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "key = \"self\"")
        .nth(1)
        .map(|(n, _)| n + 1);
    assert!(line.is_some());
    assert_eq!(i[0].line, second);
    assert!(i[0]
        .to_string()
        .starts_with(&format!("第{}行 components[2].key", second.unwrap())));
}

#[test]
fn unknown_tie_break_key() {
    let text = DEFAULT_TOML.replace(
        "tie_break = [\"public\", \"organisation\"]",
        "tie_break = [\"public\", \"speed\"]",
    );
    let i = issues(&text);
    assert_eq!(i[0].key, "tie_break[2]");
    assert!(i[0].message.contains("speed"));
}

#[test]
fn quota_rules_are_checked() {
    let bad_tier = DEFAULT_TOML.replacen("tier = \"county\"", "tier = \"village\"", 1);
    assert_eq!(issues(&bad_tier)[0].key, "quotas[3].tier");
    let both = DEFAULT_TOML.replacen("count = 2", "count = 2\npercent = 10", 1);
    assert!(issues(&both)[0].message.contains("只能写一个"));
    let neither = DEFAULT_TOML.replacen("count = 2", "", 1);
    assert!(issues(&neither)[0].message.contains("之一"));
    let group = DEFAULT_TOML.replacen("group_by = [\"unit_type\"]", "group_by = [\"city\"]", 1);
    assert_eq!(issues(&group)[0].key, "quotas[1].group_by[1]");
    let minmax = DEFAULT_TOML.replacen("min = 1\nmax = 8", "min = 9\nmax = 8", 1);
    assert!(issues(&minmax)[0].message.contains("大于 max"));
    let types = DEFAULT_TOML.replacen("unit_types = [\"*\"]", "unit_types = [\"企业\"]", 1);
    assert_eq!(issues(&types)[0].key, "quotas[1].unit_types[1]");
    let rounding = DEFAULT_TOML.replacen("rounding = \"floor\"", "rounding = \"up\"", 1);
    assert_eq!(issues(&rounding)[0].key, "quotas[1].rounding");
}

#[test]
fn syntax_and_unknown_fields() {
    let i = issues("award_title = \"x\"\nweight = = 1\n");
    assert_eq!(i[0].line, Some(2));
    let i = issues(&format!("{DEFAULT_TOML}\nspeling = 1\n"));
    assert!(i[0].message.contains("speling"), "{}", i[0].message);
}

#[test]
fn decimals_are_exact_and_limited() {
    let text = DEFAULT_TOML.replace("composite_min = 85.0", "composite_min = 85.12345");
    assert!(issues(&text)[0].message.contains("4位小数"));
    let s = Scheme::parse(&DEFAULT_TOML.replace("composite_min = 85.0", "composite_min = 84.99"))
        .unwrap();
    assert_eq!(s.thresholds.composite_min, Some(Decimal::new(8499, 2)));
}

#[test]
fn threshold_and_alias_checks() {
    let text = DEFAULT_TOML.replace("public = 90.0", "publik = 90.0");
    assert_eq!(issues(&text)[0].key, "thresholds.components.publik");
    let clash = DEFAULT_TOML.replace(
        "aliases = [\"自评\", \"自评得分\", \"个人自评得分\"]",
        "aliases = [\"自评\", \"互评\"]",
    );
    assert!(issues(&clash)[0].message.contains("互评"));
    let builtin = DEFAULT_TOML.replace(
        "aliases = [\"自评\", \"自评得分\", \"个人自评得分\"]",
        "aliases = [\"单位名称\"]",
    );
    assert!(issues(&builtin)[0].message.contains("内置字段 name"));
}

#[test]
fn review_settings_are_checked() {
    let text = DEFAULT_TOML.replace("revoke_below = 75.0", "revoke_below = 90.0");
    assert_eq!(issues(&text)[0].key, "review.revoke_below");
    let text = DEFAULT_TOML.replace(
        "rectification_rate_min = 0.8",
        "rectification_rate_min = 80",
    );
    assert_eq!(issues(&text)[0].key, "review.rectification_rate_min");
}

/// The default scheme with a `[tier_aliases]` table of these lines.
fn with_tier_aliases(lines: &str) -> String {
    DEFAULT_TOML.replacen(
        "[composite]",
        &format!("[tier_aliases]\n{lines}\n\n[composite]"),
        1,
    )
}

#[test]
fn tier_aliases_add_words_to_a_tier() {
    let s = Scheme::parse(&with_tier_aliases(
        "county = [\"旗直\", \" 旗县直 \"]\ncity = [\"盟直\"]",
    ))
    .unwrap();
    assert_eq!(s.tier_aliases[&Tier::County], ["旗直", "旗县直"]);
    assert_eq!(s.tier_of("旗直"), Some(Tier::County));
    assert_eq!(s.tier_of(" 旗县直"), Some(Tier::County));
    assert_eq!(s.tier_of("盟直"), Some(Tier::City));
    // Built-in words still work, and the default scheme knows none of the new ones.
    assert_eq!(s.tier_of("区直机关"), Some(Tier::County));
    assert_eq!(Scheme::default_scheme().tier_of("旗直"), None);
    assert!(Scheme::default_scheme().tier_aliases.is_empty());
    // A built-in word of the same tier changes nothing and is accepted.
    assert!(Scheme::parse(&with_tier_aliases("county = [\"县直\"]")).is_ok());
    // A scheme's own word wins over the built-in one: in an autonomous region 区直 names
    // the region's own (province-level) agencies.
    let region = Scheme::parse(&with_tier_aliases("province = [\"区直\", \"区直机关\"]")).unwrap();
    assert_eq!(region.tier_of("区直"), Some(Tier::Province));
    assert_eq!(region.tier_of("区 直 机关"), Some(Tier::Province));
    assert_eq!(region.tier_of("区直单位"), Some(Tier::County));
}

#[test]
fn tier_aliases_are_checked_at_their_key() {
    let cases = [
        (
            "city = [\"旗 直\"]\ncounty = [\"旗直\"]",
            "tier_aliases.county[1]",
            "层级别名 “旗直” 同时属于 city 和 county",
        ),
        (
            "county = [\"旗直\", \"  \"]",
            "tier_aliases.county[2]",
            "层级别名不能为空",
        ),
        (
            "county = [\"旗直\", \"旗直\"]",
            "tier_aliases.county[2]",
            "层级别名 “旗直” 重复",
        ),
        (
            "county = [\"内蒙古自治区各旗县所属的党政机关和事业单位\"]",
            "tier_aliases.county[1]",
            "层级别名 “内蒙古自治区各旗县所属的党政机关和事业单位” 超过20个字",
        ),
        (
            "town = [\"乡镇\"]",
            "tier_aliases.town",
            "层级 “town” 无效，应为 province、city 或 county",
        ),
    ];
    for (lines, key, message) in cases {
        let text = with_tier_aliases(lines);
        let i = issues(&text);
        assert_eq!(i.len(), 1, "{lines}: {i:?}");
        assert_eq!((i[0].key.as_str(), i[0].message.as_str()), (key, message));
        // The line is the alias's own line in the file.
        let want = text
            .lines()
            .position(|l| l == lines.lines().last().unwrap())
            .map(|n| n + 1);
        assert_eq!(i[0].line, want, "{lines}");
    }
}

/// The only issue of a scheme, as (key, message); its line is the line of `marker`.
fn only_issue(text: &str, marker: &str) -> (String, String) {
    let i = issues(text);
    assert_eq!(i.len(), 1, "{:?}", i);
    let want = text.lines().position(|l| l.contains(marker)).map(|n| n + 1);
    assert_eq!(i[0].line, want, "{:?}", i[0]);
    (i[0].key.clone(), i[0].message.clone())
}

fn pair(key: &str, message: &str) -> (String, String) {
    (key.to_string(), message.to_string())
}

#[test]
fn texts_are_bounded_and_plain() {
    let long_title = format!("title = \"{}\"\naward_title", "评".repeat(101));
    let text = DEFAULT_TOML.replacen("award_title", &long_title, 1);
    assert_eq!(
        only_issue(&text, "title = "),
        pair("title", "标题过长（共 101 字，最多 100 字）")
    );
    // A 10 MB label is refused by the file's size before anything is parsed.
    let huge = DEFAULT_TOML.replacen("个人自评", &"评".repeat(4_000_000), 1);
    let i = issues(&huge);
    assert_eq!(i.len(), 1);
    assert_eq!(i[0].key, "");
    assert_eq!(
        i[0].message,
        format!("评选方案文件过大（{} 字节，最多 1048576 字节）", huge.len())
    );
    let label = DEFAULT_TOML.replacen("个人自评", &"评".repeat(51), 1);
    assert_eq!(
        only_issue(&label, &"评".repeat(51)),
        pair("components[1].label", "名称过长（共 51 字，最多 50 字）")
    );
    let escape = DEFAULT_TOML.replacen("\"个人自评\"", "\"个人\\u001b[31m自评\"", 1);
    assert_eq!(
        only_issue(&escape, "u001b"),
        pair("components[1].label", "名称含控制字符 \\u{1b}")
    );
    let award = DEFAULT_TOML.replacen(
        "award_title = \"模范机关\"",
        "award_title = \"模范\\r机关\"",
        1,
    );
    assert_eq!(
        only_issue(&award, "award_title"),
        pair("award_title", "标题含控制字符 \\u{d}")
    );
    let unit_type = DEFAULT_TOML.replacen("\"群团组织\"", "\"群团\\u0000组织\"", 1);
    assert_eq!(
        only_issue(&unit_type, "u0000"),
        pair("unit_types[5]", "单位类型含控制字符 \\u{0}")
    );
    let alias = DEFAULT_TOML.replacen(
        "\"政府部门\" = \"政府机关\"",
        &format!("\"{}\" = \"政府机关\"", "部".repeat(31)),
        1,
    );
    assert_eq!(
        only_issue(&alias, &"部".repeat(31)),
        (
            format!("unit_type_aliases.{}", "部".repeat(31)),
            "单位类型过长（共 31 字，最多 30 字）".to_string()
        )
    );
    let key = DEFAULT_TOML.replacen(
        "key = \"peer\"",
        &format!("key = \"{}\"", "p".repeat(31)),
        1,
    );
    assert_eq!(
        only_issue(&key, &"p".repeat(31)),
        pair(
            "components[2].key",
            &format!("键 “{}” 超过30个字符", "p".repeat(31))
        )
    );
    let daily = DEFAULT_TOML.replacen(
        "daily_label = \"日常考核\"",
        "daily_label = \"日常\\t考核\"",
        1,
    );
    assert_eq!(
        only_issue(&daily, "daily_label"),
        pair("composite.daily_label", "名称含控制字符 \\u{9}")
    );
}

#[test]
fn unit_type_aliases_may_not_be_canonical_types() {
    let text = DEFAULT_TOML.replacen(
        "\"政府部门\" = \"政府机关\"",
        "\"政府部门\" = \"政府机关\"\n\"政法 机关\" = \"政府机关\"",
        1,
    );
    assert_eq!(
        only_issue(&text, "\"政法 机关\""),
        pair(
            "unit_type_aliases.政法 机关",
            "别名 “政法 机关” 本身是 unit_types 中的单位类型，不能再指向 “政府机关”"
        )
    );
}

#[test]
fn numbers_are_bounded() {
    let cases = [
        (
            "rectify_months = 6",
            "rectify_months = 2147483648",
            "review.rectify_months",
            "2147483648 应为 1–60 之间的整数",
        ),
        (
            "rectify_months = 6",
            "rectify_months = 61",
            "review.rectify_months",
            "61 应为 1–60 之间的整数",
        ),
        (
            "cycle_years = 3",
            "cycle_years = 21",
            "review.cycle_years",
            "21 应为 1–20 之间的整数",
        ),
        (
            "cycle_years = 3",
            "cycle_years = 0",
            "review.cycle_years",
            "0 应为 1–20 之间的整数",
        ),
        (
            "complaints_trigger = 5",
            "complaints_trigger = 1001",
            "review.complaints_trigger",
            "1001 应为 1–1000 之间的整数",
        ),
        (
            "cooldown_years = 3",
            "cooldown_years = 21",
            "cooldown_years",
            "21 应为 0–20 之间的整数",
        ),
        (
            "cooldown_years = 3",
            "cooldown_years = -1",
            "cooldown_years",
            "-1 应为 0–20 之间的整数",
        ),
        (
            "count = 2",
            "count = 10001",
            "quotas[3].count",
            "10001 应为 0–10000 之间的整数",
        ),
        (
            "max = 8",
            "max = 4294967296",
            "quotas[2].max",
            "4294967296 应为 0–10000 之间的整数",
        ),
    ];
    for (from, to, key, message) in cases {
        let text = DEFAULT_TOML.replacen(from, to, 1);
        assert_eq!(only_issue(&text, to), pair(key, message), "{to}");
    }
    // The bounds themselves are accepted.
    let edge = DEFAULT_TOML
        .replacen("rectify_months = 6", "rectify_months = 60", 1)
        .replacen("cycle_years = 3", "cycle_years = 20", 1)
        .replacen("cooldown_years = 3", "cooldown_years = 0", 1);
    let s = Scheme::parse(&edge).unwrap();
    assert_eq!(
        (
            s.review.rectify_months,
            s.review.cycle_years,
            s.cooldown_years
        ),
        (60, 20, 0)
    );
}

#[test]
fn lists_are_bounded_at_their_key() {
    let quoted = |n: usize, w: &str| {
        (0..n)
            .map(|i| format!("\"{w}{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // 100,000 tie-break keys: one issue at the key, not one per entry.
    let many = vec!["\"public\""; 100_000].join(",");
    let text = DEFAULT_TOML.replacen(
        "tie_break = [\"public\", \"organisation\"]",
        &format!("tie_break = [{many}]"),
        1,
    );
    assert_eq!(
        only_issue(&text, "tie_break"),
        pair("tie_break", "共 100000 项，最多 7 项")
    );
    let types = DEFAULT_TOML.replacen(
        "unit_types = [\"党群机关\"",
        &format!("unit_types = [{}, \"党群机关\"", quoted(44, "类型")),
        1,
    );
    assert_eq!(
        only_issue(&types, "unit_types = [\"类型0\""),
        pair("unit_types", "共 51 项，最多 50 项")
    );
    let aliases = DEFAULT_TOML.replacen(
        "aliases = [\"自评\", \"自评得分\", \"个人自评得分\"]",
        &format!("aliases = [{}]", quoted(51, "自评")),
        1,
    );
    assert_eq!(
        only_issue(&aliases, "\"自评0\""),
        pair("components[1].aliases", "共 51 项，最多 50 项")
    );
    let quota = "[[quotas]]\ntier = \"county\"\ncount = 1\n";
    let quotas = format!("{DEFAULT_TOML}\n{}", quota.repeat(498));
    let i = issues(&quotas);
    assert_eq!(i.len(), 1, "{i:?}");
    assert_eq!(
        (i[0].key.as_str(), i[0].message.as_str()),
        ("quotas", "共 501 项，最多 500 项")
    );
    let veto = "[[vetoes]]\nkey = \"v{}\"\nlabel = \"否决{}\"\n";
    let vetoes: String = (0..47)
        .map(|n| veto.replace("{}", &n.to_string()))
        .collect();
    let text = DEFAULT_TOML.replacen("[[quotas]]", &format!("{vetoes}\n[[quotas]]"), 1);
    let i = issues(&text);
    assert_eq!(
        (i[0].key.as_str(), i[0].message.as_str()),
        ("vetoes", "共 51 项，最多 50 项")
    );
    let group = DEFAULT_TOML.replacen(
        "group_by = [\"unit_type\"]",
        "group_by = [\"unit_type\", \"region\", \"region\"]",
        1,
    );
    assert_eq!(
        only_issue(&group, "\"region\", \"region\""),
        pair("quotas[1].group_by", "共 3 项，最多 2 项")
    );
}

#[test]
fn many_issues_are_placed_in_linear_time() {
    // 50,000 entries of a list (under the file's size limit) are one issue at the list's
    // key, placed without walking the file for each entry.
    let many: String = (0..50_000)
        .map(|i| format!("\"k{i}\" = \"企业\"\n"))
        .collect();
    let text = DEFAULT_TOML.replacen(
        "[unit_type_aliases]\n",
        &format!("[unit_type_aliases]\n{many}"),
        1,
    );
    let i = issues(&text);
    assert_eq!(i[0].key, "unit_type_aliases");
    assert_eq!(i[0].message, "共 50005 项，最多 500 项");
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The issues of a scheme's TOML without their lines, as [`Scheme::check`] gives them.
fn file_issues(s: &Scheme) -> Vec<SchemeIssue> {
    let text = s.to_toml();
    match Scheme::parse(&text) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .issues
            .into_iter()
            .map(|i| SchemeIssue {
                line: None,
                column: None,
                ..i
            })
            .collect(),
    }
}

fn sorted(mut issues: Vec<SchemeIssue>) -> Vec<SchemeIssue> {
    issues.sort_by(|a, b| (&a.key, &a.message).cmp(&(&b.key, &b.message)));
    issues
}

type Edit = fn(&mut Scheme);

/// One scheme per rule: the default scheme with one edit, and the issue it must give.
fn broken_schemes() -> Vec<(&'static str, &'static str, Edit)> {
    vec![
        ("year", "年度 1999 不在 2000–2100 之间", |s| s.year = Some(1999)),
        ("unit_types", "单位类型列表不能为空", |s| {
            s.unit_types.clear();
            s.unit_type_aliases.clear();
        }),
        ("unit_types[8]", "单位类型不能为空", |s| s.unit_types.push(String::new())),
        ("unit_types[8]", "单位类型 “政府机关” 重复", |s| {
            s.unit_types.push("政府机关".into())
        }),
        ("unit_types[8]", "单位类型含控制字符 \\u{0}", |s| {
            s.unit_types.push("企\0业".into())
        }),
        ("unit_types", "共 51 项，最多 50 项", |s| {
            s.unit_types.extend((0..44).map(|i| format!("类型{i}")))
        }),
        (
            "unit_type_aliases.企业单位",
            "别名指向的单位类型 “企业” 不在 unit_types 中",
            |s| {
                s.unit_type_aliases.insert("企业单位".into(), "企业".into());
            },
        ),
        (
            "unit_type_aliases.政法 机关",
            "别名 “政法 机关” 本身是 unit_types 中的单位类型，不能再指向 “政府机关”",
            |s| {
                s.unit_type_aliases.insert("政法 机关".into(), "政府机关".into());
            },
        ),
        ("unit_type_aliases", "共 501 项，最多 500 项", |s| {
            // The default scheme has five.
            for i in 0..496 {
                s.unit_type_aliases.insert(format!("别名{i}"), "政府机关".into());
            }
        }),
        ("tier_aliases.county[2]", "层级别名 “旗直” 重复", |s| {
            s.tier_aliases
                .insert(Tier::County, vec!["旗直".into(), "旗直".into()]);
        }),
        (
            "tier_aliases.county[1]",
            "层级别名 “旗直” 同时属于 city 和 county",
            |s| {
                s.tier_aliases.insert(Tier::County, vec!["旗直".into()]);
                s.tier_aliases.insert(Tier::City, vec!["旗 直".into()]);
            },
        ),
        ("tier_aliases.city[1]", "层级别名不能为空", |s| {
            s.tier_aliases.insert(Tier::City, vec![String::new()]);
        }),
        (
            "composite.daily_share",
            "日常考核占比 1.3 应在 0–1 之间",
            |s| s.daily_share = dec("1.3"),
        ),
        ("composite.daily_share", "0.30001 超过4位小数", |s| {
            s.daily_share = dec("0.30001")
        }),
        ("composite.daily_label", "名称不能为空", |s| {
            s.daily_label = String::new()
        }),
        ("composite.daily_aliases", "共 51 项，最多 50 项", |s| {
            s.daily_aliases = (0..51).map(|i| format!("日常{i}")).collect()
        }),
        ("components", "至少要有一个考核项目 [[components]]", |s| {
            s.components.clear();
            s.thresholds.components.clear();
            s.tie_break.clear();
        }),
        ("components", "共 21 项，最多 20 项", |s| {
            for i in 0..16 {
                let mut c = s.components[4].clone();
                c.key = format!("extra{i}");
                c.label = format!("加项{i}");
                c.aliases.clear();
                c.weight = Decimal::ZERO;
                s.components.push(c);
            }
        }),
        (
            "components[3].key",
            "键 “Org” 只能用小写英文字母、数字和下划线，并以字母开头",
            |s| s.components[2].key = "Org".into(),
        ),
        ("components[5].key", "键 “daily” 是保留字", |s| {
            s.components[4].key = "daily".into()
        }),
        ("components[2].key", "键 “self” 重复", |s| {
            s.components[1].key = "self".into()
        }),
        ("components[1].label", "名称不能为空", |s| {
            s.components[0].label = String::new()
        }),
        ("components[1].label", "名称过长（共 51 字，最多 50 字）", |s| {
            s.components[0].label = "评".repeat(51)
        }),
        ("components[1].aliases", "共 51 项，最多 50 项", |s| {
            s.components[0].aliases = (0..51).map(|i| format!("自评{i}")).collect()
        }),
        ("components[1].weight", "权重 0 应大于0", |s| {
            s.components[0].weight = Decimal::ZERO;
            s.components[1].weight = dec("0.15");
        }),
        ("components[1].weight", "0.04999 超过4位小数", |s| {
            s.components[0].weight = dec("0.04999");
            s.components[1].weight = dec("0.10001");
        }),
        ("components", "各考核项目权重之和应为1，实为 1.01", |s| {
            s.components[1].weight = dec("0.11")
        }),
        (
            "thresholds.composite_min",
            "分数 101 不在 0–100 之间",
            |s| s.thresholds.composite_min = Some(dec("101")),
        ),
        (
            "thresholds.components.nope",
            "“nope” 不是考核项目的键",
            |s| {
                s.thresholds.components.insert("nope".into(), dec("80"));
            },
        ),
        (
            "thresholds.components.public",
            "分数 190 不在 0–100 之间",
            |s| {
                s.thresholds.components.insert("public".into(), dec("190"));
            },
        ),
        ("vetoes[1].key", "键 “self” 重复", |s| {
            s.vetoes[0].key = "self".into()
        }),
        ("vetoes[1].label", "名称不能为空", |s| s.vetoes[0].label = " ".into()),
        ("vetoes", "共 51 项，最多 50 项", |s| {
            for i in s.vetoes.len()..51 {
                s.vetoes.push(Veto {
                    key: format!("v{i}"),
                    label: format!("否决{i}"),
                    aliases: Vec::new(),
                });
            }
        }),
        ("cooldown_years", "21 应为 0–20 之间的整数", |s| {
            s.cooldown_years = 21
        }),
        (
            "tie_break[2]",
            "“nope” 不是可用的排序键（可用：annual、daily、organisation、peer、public、self、third_party）",
            |s| s.tie_break = vec!["public".into(), "nope".into()],
        ),
        ("tie_break[2]", "排序键 “public” 重复", |s| {
            s.tie_break = vec!["public".into(), "public".into()]
        }),
        ("tie_break", "共 8 项，最多 7 项", |s| {
            s.tie_break = vec!["public".into(); 8]
        }),
        ("quotas", "至少要有一条名额规则 [[quotas]]", |s| s.quotas.clear()),
        ("quotas", "共 501 项，最多 500 项", |s| {
            s.quotas = vec![s.quotas[0].clone(); 501]
        }),
        (
            "quotas[1].unit_types",
            "单位类型不能为空（全部类型请写 [\"*\"]）",
            |s| s.quotas[0].unit_types.clear(),
        ),
        (
            "quotas[1].unit_types[1]",
            "单位类型 “企业” 不在 unit_types 中",
            |s| s.quotas[0].unit_types = vec!["企业".into()],
        ),
        ("quotas[1].group_by[2]", "分组 “region” 重复", |s| {
            s.quotas[0].group_by = vec![GroupBy::Region, GroupBy::Region]
        }),
        ("quotas[1].group_by", "共 3 项，最多 2 项", |s| {
            s.quotas[0].group_by = vec![GroupBy::Region, GroupBy::UnitType, GroupBy::Region]
        }),
        ("quotas[3].count", "10001 应为 0–10000 之间的整数", |s| {
            s.quotas[2].size = QuotaSize::Count(10_001)
        }),
        // 0 % is refused (a rule giving no seats is written `count = 0`).
        ("quotas[1].percent", "比例 0 应在 0–100 之间（不含0）", |s| {
            s.quotas[0].size = QuotaSize::Percent(Decimal::ZERO)
        }),
        ("quotas[1].percent", "比例 150 应在 0–100 之间（不含0）", |s| {
            s.quotas[0].size = QuotaSize::Percent(dec("150"))
        }),
        ("quotas[1].percent", "12.34567 超过4位小数", |s| {
            s.quotas[0].size = QuotaSize::Percent(dec("12.34567"))
        }),
        ("quotas[2].max", "10001 应为 0–10000 之间的整数", |s| {
            s.quotas[1].max = Some(10_001)
        }),
        ("quotas[2].min", "min 9 大于 max 8", |s| s.quotas[1].min = Some(9)),
        ("review.cycle_years", "0 应为 1–20 之间的整数", |s| {
            s.review.cycle_years = 0
        }),
        ("review.rectify_months", "61 应为 1–60 之间的整数", |s| {
            s.review.rectify_months = 61
        }),
        ("review.complaints_trigger", "1001 应为 1–1000 之间的整数", |s| {
            s.review.complaints_trigger = 1001
        }),
        ("review.retain_min", "分数 -1 不在 0–100 之间", |s| {
            s.review.retain_min = dec("-1");
            s.review.revoke_below = dec("-2");
        }),
        ("review.revoke_below", "撤销线 75 不能高于保留线 70", |s| {
            s.review.retain_min = dec("70")
        }),
        (
            "review.rectification_rate_min",
            "整改率 80 应在 0–1 之间",
            |s| s.review.rectification_rate_min = dec("80"),
        ),
        ("title", "标题过长（共 101 字，最多 100 字）", |s| {
            s.title = Some("评".repeat(101))
        }),
        ("award_title", "标题含控制字符 \\u{d}", |s| {
            s.award_title = "模范\r机关".into()
        }),
        (
            "components[2].aliases[1]",
            "表头别名 “互评” 同时属于 考核项目 self 和 考核项目 peer",
            |s| s.components[0].aliases = vec!["自评".into(), "互评".into()],
        ),
        (
            "components[1].aliases[1]",
            "表头别名 “单位名称” 同时属于 内置字段 name 和 考核项目 self",
            |s| s.components[0].aliases = vec!["单位名称".into()],
        ),
        (
            "ballots.choices",
            "至少要有一个计分选项，如 { \"满意\" = 100 }",
            |s| {
                s.components[3].source = ComponentSource::Ballots;
                s.ballots.choices.clear();
            },
        ),
        // The same word twice cannot be written as TOML keys; the same after folding can.
        ("ballots.choices[3]", "选项 “满 意” 重复", |s| {
            s.ballots.choices[2].0 = "满 意".into()
        }),
        ("ballots.choices[1]", "选项不能为空", |s| {
            s.ballots.choices[0].0 = " ".into()
        }),
        (
            "ballots.choices[1]",
            "选项 “满意” 的分值 100.5 不在 0–100 之间",
            |s| s.ballots.choices[0].1 = dec("100.5"),
        ),
        ("ballots.choices", "共 21 项，最多 20 项", |s| {
            s.ballots.choices = (0..21).map(|i| (format!("选项{i}"), dec("50"))).collect()
        }),
        ("ballots.choices[1]", "名称过长（共 51 字，最多 50 字）", |s| {
            s.ballots.choices[0].0 = "满".repeat(51)
        }),
        (
            "ballots.not_counted[1]",
            "“一般” 已是计分选项，不能同时列为不计票的答案",
            |s| s.ballots.not_counted[0] = "一般".into(),
        ),
        ("ballots.not_counted[2]", "不计票的答案 “不了解” 重复", |s| {
            s.ballots.not_counted[1] = "不了解".into()
        }),
        ("ballots.min_valid", "0 应为 1–100000 之间的整数", |s| {
            s.ballots.min_valid = 0
        }),
        ("ballots.min_return_rate", "回收率 1.01 应在 0–1 之间", |s| {
            s.ballots.min_return_rate = dec("1.01")
        }),
        ("ballots.min_return_rate", "0.12345 超过4位小数", |s| {
            s.ballots.min_return_rate = dec("0.12345")
        }),
        (
            "panel.min_judges",
            "min_judges 须大于 2 × trim（当前 trim = 2，min_judges 至少为 5）",
            |s| {
                s.components[2].source = ComponentSource::Panel;
                s.panel = PanelSettings {
                    min_judges: 4,
                    trim: 2,
                };
            },
        ),
        ("panel.trim", "100 应为 0–99 之间的整数", |s| s.panel.trim = 100),
        ("panel.min_judges", "201 应为 1–200 之间的整数", |s| {
            s.panel.min_judges = 201
        }),
        ("publicity.working_days", "31 应为 0–30 之间的整数", |s| {
            s.publicity.working_days = 31
        }),
    ]
}

#[test]
fn the_file_and_the_value_give_the_same_issues() {
    assert_eq!(Scheme::default_scheme().check(), Vec::new());
    for (key, message, edit) in broken_schemes() {
        let mut s = Scheme::default_scheme();
        edit(&mut s);
        let by_value = s.check();
        assert!(
            by_value
                .iter()
                .any(|i| (i.key.as_str(), i.message.as_str()) == (key, message)),
            "{key}: {message}\n{by_value:#?}"
        );
        assert!(by_value.iter().all(|i| i.line.is_none()));
        assert_eq!(
            sorted(by_value),
            sorted(file_issues(&s)),
            "{key}: {message}"
        );
    }
}

#[test]
fn only_the_value_can_lack_an_award_title() {
    // A file without `award_title` (or with an empty one) gets the default title; a value
    // (the form's, when the field is cleared) is refused.
    let mut s = Scheme::default_scheme();
    s.award_title = " ".into();
    assert_eq!(
        s.check(),
        vec![SchemeIssue {
            key: "award_title".into(),
            line: None,
            column: None,
            message: "称号不能为空".into(),
        }]
    );
    assert_eq!(Scheme::parse(&s.to_toml()).unwrap().award_title, "模范机关");
}

#[test]
fn a_hoisted_tie_break_is_reported_where_it_is_written() {
    let text = DEFAULT_TOML
        .replacen("tie_break = [\"public\", \"organisation\"]\n", "", 1)
        .replacen(
            "[[quotas]]",
            "[[quotas]]\ntie_break = [\"public\", \"speed\"]",
            1,
        );
    let i = issues(&text);
    assert_eq!(i.len(), 1, "{i:?}");
    assert_eq!(i[0].key, "quotas[1].tie_break[2]");
    let want = text
        .lines()
        .position(|l| l.contains("speed"))
        .map(|n| n + 1);
    assert_eq!(i[0].line, want);
}

#[test]
fn a_text_toml_cannot_read_is_reported_in_chinese_with_line_and_column() {
    let text = DEFAULT_TOML.replacen("cooldown_years = 3", "cooldown_years = = 3", 1);
    let line = text
        .lines()
        .position(|l| l.starts_with("cooldown_years"))
        .unwrap()
        + 1;
    let e = Scheme::parse(&text).unwrap_err();
    assert_eq!(
        e.issues,
        [SchemeIssue {
            key: String::new(),
            line: Some(line),
            column: Some(18),
            message: "格式错误：多了一个等号“=”".into(),
        }]
    );
    assert_eq!(
        e.to_string(),
        format!("评选方案有误：第{line}行第18列：格式错误：多了一个等号“=”")
    );
    let text = DEFAULT_TOML.replacen("cooldown_years = 3", "cooldown_years = \"三年\"", 1);
    let e = Scheme::parse(&text).unwrap_err();
    assert_eq!(
        e.issues[0].to_string(),
        format!("第{line}行第18列：取值类型不对：应为整数，这里是用英文双引号括起的文字")
    );
}

const COMPUTED: &str = include_str!("../../tests/fixtures/scheme.computed.toml");

#[test]
fn computed_components_and_their_settings_are_read() {
    let s = Scheme::parse(COMPUTED).unwrap();
    let sources: Vec<(&str, ComponentSource)> = s
        .components
        .iter()
        .map(|c| (c.key.as_str(), c.source))
        .collect();
    assert_eq!(
        sources,
        [
            ("self", ComponentSource::Return),
            ("peer", ComponentSource::Return),
            ("organisation", ComponentSource::Panel),
            ("public", ComponentSource::Ballots),
            ("third_party", ComponentSource::Return),
        ]
    );
    let computed: Vec<&str> = s.computed_components().map(|c| c.key.as_str()).collect();
    assert_eq!(computed, ["organisation", "public"]);
    // The choices keep the order written, not the sorted order of their keys.
    assert_eq!(
        s.ballots,
        BallotSettings {
            choices: vec![
                ("满意".into(), dec("100")),
                ("比较满意".into(), dec("85")),
                ("基本满意".into(), dec("70")),
                ("一般".into(), dec("60")),
                ("不满意".into(), dec("0")),
            ],
            not_counted: vec!["不了解".into(), "不清楚".into()],
            min_valid: 20,
            min_return_rate: dec("0.6"),
        }
    );
    assert_eq!(
        s.panel,
        PanelSettings {
            min_judges: 7,
            trim: 2
        }
    );
    // A computed component keeps its weight and thresholds like any other.
    assert_eq!(s.component("public").unwrap().weight, dec("0.3"));
    assert_eq!(s.thresholds.components["public"], dec("90"));
}

#[test]
fn absent_settings_are_the_defaults() {
    let s = Scheme::default_scheme();
    assert!(s
        .components
        .iter()
        .all(|c| c.source == ComponentSource::Return));
    assert_eq!(s.computed_components().count(), 0);
    assert_eq!(s.ballots, BallotSettings::default());
    assert_eq!(s.panel, PanelSettings::default());
    // A table with some keys takes the defaults of the others.
    let text = DEFAULT_TOML.replacen(
        "[review]",
        "[ballots]\nmin_valid = 12\n\n[panel]\ntrim = 0\n\n[review]",
        1,
    );
    let s = Scheme::parse(&text).unwrap();
    assert_eq!(
        s.ballots,
        BallotSettings {
            min_valid: 12,
            ..BallotSettings::default()
        }
    );
    assert_eq!(
        s.panel,
        PanelSettings {
            min_judges: 5,
            trim: 0
        }
    );
    // `source = "return"` written out is the default.
    let text = DEFAULT_TOML.replacen("key = \"self\"", "key = \"self\"\nsource = \"return\"", 1);
    assert_eq!(Scheme::parse(&text).unwrap(), Scheme::default_scheme());
}

#[test]
fn choice_words_are_compared_folded() {
    for (a, b, same) in [
        ("满意", " 满 意 ", true),
        ("OK", "ｏｋ", true),
        ("满意(1)", "满意（1）", true),
        ("满意", "基本满意", false),
        ("满意", "满意。", false),
    ] {
        assert_eq!(choice_key(a) == choice_key(b), same, "{a} {b}");
    }
}

/// The computed example with `from` replaced by `to`.
fn computed_with(from: &str, to: &str) -> String {
    assert!(COMPUTED.contains(from), "{from}");
    COMPUTED.replacen(from, to, 1)
}

#[test]
fn computed_settings_are_checked_at_their_key_and_line() {
    let choices =
        "choices = { \"满意\" = 100, \"比较满意\" = 85, \"基本满意\" = 70, \"一般\" = 60, \"不满意\" = 0 }";
    // (replaced text, its replacement, key, message); the issue stands on the line of the
    // replacement's last line.
    let cases = [
        (
            "source = \"ballots\"",
            "source = \"vote\"",
            "components[4].source",
            "来源 “vote” 无效，应为 return、ballots 或 panel",
        ),
        (
            choices,
            "choices = {}",
            "ballots.choices",
            "至少要有一个计分选项，如 { \"满意\" = 100 }",
        ),
        (
            choices,
            "choices = { \"满意\" = 100, \"满 意\" = 90 }",
            "ballots.choices[2]",
            "选项 “满 意” 重复",
        ),
        (
            choices,
            "choices = { \"OK\" = 100, \"ｏｋ\" = 90 }",
            "ballots.choices[2]",
            "选项 “ｏｋ” 重复",
        ),
        (
            choices,
            "choices = { \"满意\" = 100, \" \" = 90 }",
            "ballots.choices[2]",
            "选项不能为空",
        ),
        (
            choices,
            "choices = { \"满意\" = 100.5, \"不满意\" = 0 }",
            "ballots.choices[1]",
            "选项 “满意” 的分值 100.5 不在 0–100 之间",
        ),
        (
            choices,
            "choices = { \"满意\" = 100, \"不满意\" = -1 }",
            "ballots.choices[2]",
            "选项 “不满意” 的分值 -1 不在 0–100 之间",
        ),
        (
            choices,
            "choices = { \"满意\" = 99.99999, \"不满意\" = 0 }",
            "ballots.choices[1]",
            "99.99999 超过4位小数",
        ),
        (
            "not_counted = [\"不了解\", \"不清楚\"]",
            "not_counted = [\"不了解\", \"满意 \"]",
            "ballots.not_counted[2]",
            "“满意” 已是计分选项，不能同时列为不计票的答案",
        ),
        (
            "not_counted = [\"不了解\", \"不清楚\"]",
            "not_counted = [\"不了解\", \"不 了解\"]",
            "ballots.not_counted[2]",
            "不计票的答案 “不 了解” 重复",
        ),
        (
            "not_counted = [\"不了解\", \"不清楚\"]",
            "not_counted = [\"\"]",
            "ballots.not_counted[1]",
            "不计票的答案不能为空",
        ),
        (
            "min_valid = 20 ",
            "min_valid = 0 ",
            "ballots.min_valid",
            "0 应为 1–100000 之间的整数",
        ),
        (
            "min_valid = 20 ",
            "min_valid = 100001 ",
            "ballots.min_valid",
            "100001 应为 1–100000 之间的整数",
        ),
        (
            "min_valid = 20 ",
            "min_valid = -1 ",
            "ballots.min_valid",
            "-1 应为 1–100000 之间的整数",
        ),
        (
            "min_return_rate = 0.6",
            "min_return_rate = 1.01",
            "ballots.min_return_rate",
            "回收率 1.01 应在 0–1 之间",
        ),
        (
            "min_return_rate = 0.6",
            "min_return_rate = -0.1",
            "ballots.min_return_rate",
            "回收率 -0.1 应在 0–1 之间",
        ),
        (
            "min_judges = 7",
            "min_judges = 4",
            "panel.min_judges",
            "min_judges 须大于 2 × trim（当前 trim = 2，min_judges 至少为 5）",
        ),
        (
            "min_judges = 7",
            "min_judges = 0",
            "panel.min_judges",
            "0 应为 1–200 之间的整数",
        ),
        (
            "trim = 2",
            "trim = 100",
            "panel.trim",
            "100 应为 0–99 之间的整数",
        ),
    ];
    for (from, to, key, message) in cases {
        let text = computed_with(from, to);
        let marker = to.lines().last().unwrap();
        assert_eq!(only_issue(&text, marker), pair(key, message), "{to}");
    }
    // The boundaries themselves are accepted.
    for (from, to) in [
        ("min_judges = 7", "min_judges = 5"),
        ("min_valid = 20 ", "min_valid = 1 "),
        ("min_valid = 20 ", "min_valid = 100000 "),
        ("min_return_rate = 0.6", "min_return_rate = 0"),
        ("min_return_rate = 0.6", "min_return_rate = 1"),
        (choices, "choices = { \"满意\" = 100, \"不满意\" = 0 }"),
        ("trim = 2", "trim = 0"),
    ] {
        let text = computed_with(from, to);
        assert!(Scheme::parse(&text).is_ok(), "{to}: {:?}", issues(&text));
    }
    let s = Scheme::parse(&computed_with("min_judges = 7", "min_judges = 5")).unwrap();
    assert_eq!(s.panel.min_judges, 2 * s.panel.trim + 1);
}

#[test]
fn a_choice_in_a_sub_table_is_placed_on_its_own_line() {
    let choices =
        "choices = { \"满意\" = 100, \"比较满意\" = 85, \"基本满意\" = 70, \"一般\" = 60, \"不满意\" = 0 }\n";
    let text = computed_with(choices, "").replacen(
        "# How the panel",
        "[ballots.choices]\n\"满意\" = 100\n\"不满意\" = 0\n\"基本满意\" = 101\n\n# How the panel",
        1,
    );
    let s = Scheme::parse(&text.replace("101", "80")).unwrap();
    let words: Vec<&str> = s.ballots.choices.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(words, ["满意", "不满意", "基本满意"], "the order written");
    assert_eq!(
        only_issue(&text, "\"基本满意\" = 101"),
        pair(
            "ballots.choices[3]",
            "选项 “基本满意” 的分值 101 不在 0–100 之间"
        )
    );
}

#[test]
fn several_computed_components_may_share_a_source() {
    let text = computed_with("source = \"panel\"", "source = \"ballots\"");
    let s = Scheme::parse(&text).unwrap();
    assert_eq!(s.computed_components().count(), 2);
    assert!(s
        .computed_components()
        .all(|c| c.source == ComponentSource::Ballots));
}

#[test]
fn settings_of_ballots_and_panel_stay_in_their_tables() {
    // A key of `[ballots]` written loose after a component belongs to that component,
    // which has no such key: refused, not read as a ballot setting.
    let text = computed_with(
        "source = \"ballots\"",
        "source = \"ballots\"\nmin_valid = 5",
    );
    let i = issues(&text);
    assert_eq!(i.len(), 1, "{i:?}");
    assert!(i[0].message.contains("min_valid"), "{}", i[0].message);
    let text = computed_with("trim = 2", "trim = 2\nweight = 1");
    assert!(issues(&text)[0].message.contains("weight"));
}

#[test]
fn publicity_working_days_default_to_five_and_are_bounded() {
    // Absent (a scheme frozen before the setting existed): five working days.
    let without: String = DEFAULT_TOML
        .split("\n[publicity]")
        .next()
        .unwrap()
        .to_string();
    assert!(!without.contains("working_days"));
    assert_eq!(Scheme::parse(&without).unwrap().publicity.working_days, 5);
    assert_eq!(
        Scheme::default_scheme().publicity,
        PublicitySettings::default()
    );
    let with = |v: &str| DEFAULT_TOML.replace("working_days = 5", &format!("working_days = {v}"));
    for (value, outcome) in [
        ("0", Ok(0)),
        ("1", Ok(1)),
        ("30", Ok(30)),
        ("31", Err("31 应为 0–30 之间的整数")),
        ("-1", Err("-1 应为 0–30 之间的整数")),
    ] {
        match outcome {
            Ok(n) => assert_eq!(
                Scheme::parse(&with(value)).unwrap().publicity.working_days,
                n,
                "{value}"
            ),
            Err(message) => {
                let found = issues(&with(value));
                assert_eq!(found.len(), 1, "{value}: {found:?}");
                assert_eq!(found[0].key, "publicity.working_days");
                assert_eq!(found[0].message, message);
                let line = with(value)
                    .lines()
                    .position(|l| l.starts_with("working_days"))
                    .unwrap()
                    + 1;
                assert_eq!(found[0].line, Some(line), "{value}");
            }
        }
    }
    let typo = DEFAULT_TOML.replace("working_days = 5", "workdays = 5");
    assert!(Scheme::parse(&typo).is_err());
    // Written back only when it is not the default.
    let mut s = Scheme::default_scheme();
    assert!(!s.to_toml().contains("[publicity]"));
    s.publicity.working_days = 0;
    let text = s.to_toml();
    assert!(text.contains("[publicity]\nworking_days = 0"), "{text}");
    assert_eq!(Scheme::parse(&text).unwrap(), s);
}
