use std::str::FromStr;

use proptest::prelude::*;

use super::*;
use crate::scheme::QuotaSize;
use crate::store::awards::AwardStatus;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A return whose daily and component scores all equal `score` (so the composite is
/// exactly `score`), with `public` set separately.
fn entry(
    id: i64,
    name: &str,
    tier: Tier,
    region: Option<&str>,
    score: &str,
    public: &str,
) -> Entry {
    let mut components = vec![Some(d(score)); 5];
    components[3] = Some(d(public));
    Entry {
        agency_id: id,
        uscc: None,
        name: name.to_string(),
        tier,
        region: region.map(str::to_string),
        unit_type: "政府机关".to_string(),
        daily: Some(d(score)),
        components,
        vetoes: vec![false; 4],
    }
}

fn county(id: i64, name: &str, score: &str) -> Entry {
    entry(id, name, Tier::County, Some("测试区"), score, score)
}

/// The default scheme without its component minimum, so that a return's composite and
/// its only possible failure are its score (tests of the minimum use the default).
fn test_scheme() -> Scheme {
    let mut s = Scheme::default_scheme();
    s.thresholds.components.clear();
    s
}

/// Decimals whose value, scale and sign must survive every encoding of a stored run:
/// zero, whole, trailing zeros, four places, negative, the smallest and the largest
/// `Decimal`s.
pub(super) const DECIMAL_TEXTS: &[&str] = &[
    "0",
    "90",
    "90.5",
    "90.50",
    "84.9834",
    "-0.005",
    "100.0000",
    "0.0000000000000000000000000001",
    "-7.9228162514264337593543950335",
    "79228162514264337593543950335",
];

fn run(entries: Vec<Entry>) -> Selection {
    run_with(entries, vec![], vec![])
}

fn run_with(
    entries: Vec<Entry>,
    awards: Vec<AwardFact>,
    overrides: Vec<OverrideFact>,
) -> Selection {
    select(
        &test_scheme(),
        &Inputs {
            campaign: 2026,
            entries,
            awards,
            overrides,
            computed: Vec::new(),
            ledger: Default::default(),
            accountability: Vec::new(),
        },
    )
}

fn row<'a>(s: &'a Selection, name: &str) -> &'a ResultRow {
    s.results.iter().find(|r| r.name == name).unwrap()
}

fn ov(id: i64, agency_id: i64, action: OverrideAction) -> OverrideFact {
    OverrideFact {
        id,
        agency_id,
        action,
        reason: "评审组讨论决定".into(),
        beyond_quota: false,
        operator: "张三".into(),
        at: "2026-12-01T10:00:00+08:00".into(),
    }
}

#[test]
fn composite_threshold_on_both_sides() {
    let s = run(vec![county(1, "甲", "85.00"), county(2, "乙", "84.99")]);
    assert!(row(&s, "甲").eligible);
    assert_eq!(row(&s, "甲").status, Status::Selected);
    let b = row(&s, "乙");
    assert_eq!(b.status, Status::Ineligible);
    assert_eq!(b.reasons, vec!["综合得分84.99分，低于85分"]);
    assert_eq!(b.composite, Some(d("84.99")));
    assert_eq!(b.rank, None);
}

#[test]
fn comparisons_use_the_rounded_composite() {
    // daily 84.9834, components 85: composite 84.99502 → 85.00: eligible.
    let mut e = county(1, "甲", "85");
    e.daily = Some(d("84.9834"));
    let mut f = county(2, "乙", "85");
    f.daily = Some(d("84.9833")); // 84.99499 → 84.99
    let s = run(vec![e, f]);
    assert_eq!(row(&s, "甲").composite, Some(d("85.00")));
    assert!(row(&s, "甲").eligible);
    assert_eq!(row(&s, "乙").status, Status::Ineligible);
}

#[test]
fn component_threshold_on_both_sides() {
    let s = select(
        &Scheme::default_scheme(),
        &Inputs {
            campaign: 2026,
            entries: vec![
                entry(1, "甲", Tier::County, Some("区"), "95", "90.00"),
                entry(2, "乙", Tier::County, Some("区"), "95", "89.99"),
                entry(3, "丙", Tier::County, Some("区"), "95", "89.995"), // rounds to 90.00
            ],
            ..Default::default()
        },
    );
    assert!(row(&s, "甲").eligible);
    assert_eq!(row(&s, "乙").reasons, vec!["群众测评89.99分，低于90分"]);
    assert!(row(&s, "丙").eligible);
}

#[test]
fn every_failing_rule_is_kept() {
    let mut e = county(1, "甲", "80");
    e.vetoes = vec![true, false, true, false];
    e.components[3] = Some(d("70"));
    let s = select(
        &Scheme::default_scheme(),
        &Inputs {
            campaign: 2026,
            entries: vec![e],
            awards: vec![AwardFact {
                agency_id: 1,
                year: 2023,
                status: AwardStatus::Rectifying,
                revoked_year: None,
            }],
            overrides: vec![],
            computed: vec![],
            ledger: Default::default(),
            accountability: Vec::new(),
        },
    );
    // composite = 0.3·80 + 0.7·(0.7·80 + 0.3·70) = 24 + 53.9 = 77.9
    assert_eq!(
        row(&s, "甲").reasons,
        vec![
            "一票否决：发生严重违纪违法问题",
            "一票否决：发生重大安全责任事故",
            "综合得分77.90分，低于85分",
            "群众测评70.00分，低于90分",
            "已于2023年命名，纳入复查",
        ]
    );
}

#[test]
fn missing_data() {
    let mut a = county(1, "甲", "90");
    a.components[3] = None;
    let mut b = county(2, "乙", "90");
    b.daily = None;
    let s = run(vec![a, b]);
    let ra = row(&s, "甲");
    assert_eq!(
        (ra.status, ra.composite, ra.rank),
        (Status::Ineligible, None, None)
    );
    assert_eq!(ra.reasons, vec!["缺少群众测评"]);
    let rb = row(&s, "乙");
    assert_eq!(rb.annual, Some(d("90.00")));
    assert_eq!(rb.composite, None);
    assert_eq!(rb.reasons, vec!["缺少日常考核"]);
}

#[test]
fn cooldown_after_revocation() {
    let revoked = |id, r| AwardFact {
        agency_id: id,
        year: 2019,
        status: AwardStatus::Revoked,
        revoked_year: Some(r),
    };
    let s = run_with(
        vec![
            county(1, "甲", "95"),
            county(2, "乙", "95"),
            county(3, "丙", "95"),
        ],
        vec![revoked(1, 2024), revoked(2, 2023), revoked(3, 2026)],
        vec![],
    );
    assert_eq!(
        row(&s, "甲").reasons,
        vec!["2024年被撤销称号，3年内不得参评"]
    );
    assert!(row(&s, "乙").eligible, "2026 − 2023 = 3 is not < 3");
    assert_eq!(
        row(&s, "丙").reasons,
        vec!["2026年被撤销称号，3年内不得参评"]
    );
}

#[test]
fn this_years_own_awards_do_not_count() {
    // Publishing 2026 adds its winners to the registry as 2026 awards: re-running the 2026
    // selection must give the same result.
    let own = AwardFact {
        agency_id: 1,
        year: 2026,
        status: AwardStatus::Active,
        revoked_year: None,
    };
    let s = run_with(
        vec![
            county(1, "甲", "95"),
            county(2, "乙", "90"),
            county(3, "丙", "89"),
        ],
        vec![own],
        vec![],
    );
    assert_eq!(row(&s, "甲").status, Status::Selected);
    assert!(row(&s, "甲").reasons.is_empty());
    assert_eq!(row(&s, "丙").status, Status::NotSelected);
}

#[test]
fn no_matching_quota_rule() {
    let mut scheme = test_scheme();
    scheme.quotas.retain(|q| q.tier != Tier::County);
    let s = select(
        &scheme,
        &Inputs {
            campaign: 2026,
            entries: vec![county(1, "甲", "95")],
            ..Default::default()
        },
    );
    let r = &s.results[0];
    assert_eq!(r.reasons, vec!["没有适用的名额规则"]);
    assert_eq!((r.status, r.pool.as_deref()), (Status::Ineligible, None));
    assert!(s.pools.is_empty());
}

#[test]
fn a_three_way_tie_straddling_the_last_seat() {
    // County pools have 2 seats.
    let s = run(vec![
        county(1, "甲", "95"),
        county(2, "乙", "90"),
        county(3, "丙", "90"),
        county(4, "丁", "90"),
        county(5, "戊", "89.65"),
    ]);
    assert_eq!(row(&s, "甲").status, Status::Selected);
    for n in ["乙", "丙", "丁"] {
        let r = row(&s, n);
        assert_eq!((r.status, r.rank), (Status::TiePending, Some(2)));
        assert_eq!(r.reasons, vec!["并列3家争1个名额"]);
    }
    let e = row(&s, "戊");
    assert_eq!((e.status, e.rank), (Status::NotSelected, Some(5)));
    assert_eq!(e.reasons, vec!["第5名，本组名额2个，与末位入选相差5.35分"]);
    let p = &s.pools[0];
    assert_eq!(
        (
            p.pool.as_str(),
            p.declared,
            p.eligible,
            p.quota,
            p.selected,
            p.tie_pending
        ),
        ("county/测试区", 5, 5, 2, 1, 3)
    );
}

#[test]
fn a_tie_that_fits_is_selected_whole() {
    let s = run(vec![
        county(1, "甲", "90"),
        county(2, "乙", "90"),
        county(3, "丙", "89"),
    ]);
    assert_eq!(row(&s, "甲").status, Status::Selected);
    assert_eq!(row(&s, "乙").status, Status::Selected);
    assert_eq!(
        row(&s, "丙").reasons,
        vec!["第3名，本组名额2个，与末位入选相差1.00分"]
    );
}

#[test]
fn competition_ranking_and_tie_break_keys() {
    let mut scheme = test_scheme();
    scheme.quotas[2].size = QuotaSize::Count(10);
    // 乙, 丙 and 丁 have the same composite (annual 91.5 → 91.05); 乙 has the higher
    // 群众测评, the first tie-break key; 丙 and 丁 are equal on every key.
    let mut b = county(2, "乙", "90");
    b.components[3] = Some(d("96"));
    b.components[2] = Some(d("89.25")); // 0.3·6 − 0.4·0.75 = +1.5
    let mut c = county(3, "丙", "90");
    c.components[3] = Some(d("95")); // 0.3·5 = +1.5
    let mut dd = c.clone();
    dd.agency_id = 4;
    dd.name = "丁".into();
    let inputs = Inputs {
        campaign: 2026,
        entries: vec![county(1, "甲", "95"), b, c, dd, county(5, "戊", "80")],
        ..Default::default()
    };
    let s = select(&scheme, &inputs);
    let ranks: Vec<(String, Option<u32>)> =
        s.results.iter().map(|r| (r.name.clone(), r.rank)).collect();
    assert_eq!(row(&s, "乙").composite, row(&s, "丙").composite);
    assert_eq!(
        ranks,
        vec![
            ("甲".into(), Some(1)),
            ("乙".into(), Some(2)),
            ("丁".into(), Some(3)), // same rank: by name (丁 U+4E01 < 丙 U+4E19)
            ("丙".into(), Some(3)),
            ("戊".into(), None),
        ]
    );
}

#[test]
fn why_not_names_the_tie_break_when_composites_are_equal() {
    let mut scheme = test_scheme();
    scheme.quotas[2].size = QuotaSize::Count(1);
    let mut a = county(1, "甲", "90");
    a.components[3] = Some(d("96"));
    a.components[2] = Some(d("89.25"));
    let mut b = county(2, "乙", "90");
    b.components[3] = Some(d("95"));
    let s = select(
        &scheme,
        &Inputs {
            campaign: 2026,
            entries: vec![a, b],
            ..Default::default()
        },
    );
    assert_eq!(row(&s, "甲").composite, row(&s, "乙").composite);
    assert_eq!(row(&s, "甲").status, Status::Selected);
    assert_eq!(
        row(&s, "乙").reasons,
        vec!["第2名，本组名额1个，与末位入选综合得分相同，按群众测评比较在后"]
    );
}

#[test]
fn percent_quotas_per_pool_with_min_and_max() {
    // City: 15% floor, min 1, max 8, grouped by region. 20 returns → 3; 7 → 1 (1.05).
    let mut entries = Vec::new();
    for i in 0..20 {
        entries.push(entry(
            i,
            &format!("甲市{i:02}"),
            Tier::City,
            Some("甲市"),
            &format!("{}", 86 + i % 10),
            "95",
        ));
    }
    for i in 0..7 {
        entries.push(entry(
            100 + i,
            &format!("乙市{i:02}"),
            Tier::City,
            Some("乙市"),
            "90",
            "95",
        ));
    }
    let s = run(entries);
    let quota = |p: &str| s.pools.iter().find(|x| x.pool == p).unwrap().quota;
    assert_eq!(quota("city/甲市"), 3);
    assert_eq!(quota("city/乙市"), 1);
    // 乙市: 7 returns all 90.00 → a 7-way tie for 1 seat.
    assert_eq!(
        s.pools
            .iter()
            .find(|x| x.pool == "city/乙市")
            .unwrap()
            .tie_pending,
        7
    );
}

#[test]
fn award_holders_leave_the_declared_base() {
    let mut entries = Vec::new();
    for i in 0..20 {
        entries.push(entry(
            i,
            &format!("甲市{i:02}"),
            Tier::City,
            Some("甲市"),
            "90",
            "95",
        ));
    }
    let awards = (0..14)
        .map(|i| AwardFact {
            agency_id: i,
            year: 2023,
            status: AwardStatus::Active,
            revoked_year: None,
        })
        .collect();
    let s = run_with(entries, awards, vec![]);
    let p = &s.pools[0];
    assert_eq!((p.declared, p.base, p.eligible, p.quota), (20, 6, 6, 1)); // 15% of 6 = 0.9 → 0 → min 1
}

#[test]
fn exclusion_moves_the_next_group_up() {
    let entries = vec![
        county(1, "甲", "95"),
        county(2, "乙", "93"),
        county(3, "丙", "91"),
    ];
    let s = run_with(entries, vec![], vec![ov(1, 2, OverrideAction::Exclude)]);
    assert_eq!(row(&s, "乙").status, Status::NotSelected);
    assert!(row(&s, "乙").reasons[0].starts_with("评审组调整：不予入选（理由：评审组讨论决定"));
    assert_eq!(row(&s, "乙").rank, Some(2));
    assert_eq!(row(&s, "丙").status, Status::Selected);
    assert_eq!(s.pools[0].selected, 2);
}

#[test]
fn inclusion_resolves_a_tie_and_the_rest_is_not_selected() {
    let entries = vec![
        county(1, "甲", "95"),
        county(2, "乙", "90"),
        county(3, "丙", "90"),
        county(4, "丁", "90"),
    ];
    let s = run_with(entries, vec![], vec![ov(1, 3, OverrideAction::Include)]);
    assert_eq!(row(&s, "丙").status, Status::Selected);
    assert_eq!(row(&s, "乙").status, Status::NotSelected);
    assert_eq!(row(&s, "丁").status, Status::NotSelected);
    assert_eq!((s.pools[0].selected, s.pools[0].tie_pending), (2, 0));
}

#[test]
fn partial_inclusion_leaves_a_smaller_tie() {
    let mut scheme = test_scheme();
    scheme.quotas[2].size = QuotaSize::Count(3);
    let inputs = Inputs {
        campaign: 2026,
        entries: vec![
            county(1, "甲", "95"),
            county(2, "乙", "90"),
            county(3, "丙", "90"),
            county(4, "丁", "90"),
            county(5, "戊", "90"),
        ],
        overrides: vec![ov(1, 2, OverrideAction::Include)],
        ..Default::default()
    };
    let s = select(&scheme, &inputs);
    assert_eq!(row(&s, "乙").status, Status::Selected);
    for n in ["丙", "丁", "戊"] {
        assert_eq!(row(&s, n).status, Status::TiePending);
        assert_eq!(row(&s, n).reasons, vec!["并列3家争1个名额"]);
    }
}

#[test]
fn inclusion_beyond_the_quota_adds_a_seat_and_clear_withdraws() {
    let entries = vec![
        county(1, "甲", "95"),
        county(2, "乙", "93"),
        county(3, "丙", "91"),
        county(4, "丁", "70"),
    ];
    let mut o = ov(1, 3, OverrideAction::Include);
    o.beyond_quota = true;
    let s = run_with(entries.clone(), vec![], vec![o.clone()]);
    assert_eq!(s.pools[0].selected, 3);
    assert!(row(&s, "丙").reasons[0].contains("超出名额（已确认）"));
    // An ineligible return can be included too; a later clear withdraws both decisions.
    let s = run_with(
        entries.clone(),
        vec![],
        vec![o.clone(), ov(2, 4, OverrideAction::Include)],
    );
    assert_eq!(row(&s, "丁").status, Status::Selected);
    assert!(row(&s, "丁").reasons.iter().any(|r| r.contains("低于85分")));
    let s = run_with(
        entries,
        vec![],
        vec![
            o,
            ov(2, 4, OverrideAction::Include),
            ov(3, 3, OverrideAction::Clear),
            ov(4, 4, OverrideAction::Clear),
        ],
    );
    assert_eq!(row(&s, "丙").status, Status::NotSelected);
    assert_eq!(row(&s, "丁").status, Status::Ineligible);
    assert_eq!(s.pools[0].selected, 2);
}

/// Four county returns a clear step apart (95, 93, 91, 90) for the two-seat county pool.
fn four_ranked() -> Vec<Entry> {
    vec![
        county(1, "甲", "95"),
        county(2, "乙", "93"),
        county(3, "丙", "91"),
        county(4, "丁", "90"),
    ]
}

#[test]
fn why_not_compares_with_the_last_seat_at_or_above_despite_an_inclusion_from_below() {
    // 丁 is included from fourth place beyond the quota; 丙, third with 91, lost to 乙's
    // seat on merit, not to 丁 (90), and must not read "综合得分相同".
    let entries = four_ranked();
    let mut o = ov(1, 4, OverrideAction::Include);
    o.beyond_quota = true;
    let s = run_with(entries, vec![], vec![o]);
    assert_eq!(row(&s, "丁").status, Status::Selected);
    assert_eq!(
        row(&s, "丙").reasons,
        vec!["第3名，本组名额2个，与末位入选相差2.00分"]
    );
}

#[test]
fn why_not_after_an_exclusion_compares_with_the_unit_that_moved_up() {
    let entries = four_ranked();
    let s = run_with(entries, vec![], vec![ov(1, 2, OverrideAction::Exclude)]);
    assert_eq!(row(&s, "丙").status, Status::Selected);
    assert_eq!(
        row(&s, "丁").reasons,
        vec!["第4名，本组名额2个，与末位入选相差1.00分"]
    );
}

#[test]
fn why_not_in_a_tie_whose_seat_went_to_an_inclusion() {
    let entries = vec![
        county(1, "甲", "95"),
        county(2, "乙", "90"),
        county(3, "丙", "90"),
        county(4, "丁", "90"),
    ];
    let s = run_with(entries, vec![], vec![ov(1, 3, OverrideAction::Include)]);
    for n in ["乙", "丁"] {
        assert_eq!(
            row(&s, n).reasons,
            vec!["第2名，本组名额2个，与末位入选并列，名额已由评审组纳入的单位占用"],
            "{n}"
        );
    }
}

#[test]
fn why_not_when_a_seat_went_to_a_vetoed_return_the_panel_included() {
    // 乙 is vetoed, so it has no rank: "from below" would not be true of it.
    let mut scheme = test_scheme();
    scheme.quotas[2].size = QuotaSize::Count(0);
    let mut o = ov(1, 2, OverrideAction::Include);
    o.beyond_quota = true;
    let mut vetoed = county(2, "乙", "97");
    vetoed.vetoes[0] = true;
    let s = select(
        &scheme,
        &Inputs {
            campaign: 2026,
            entries: vec![county(1, "甲", "95"), vetoed],
            overrides: vec![o],
            ..Default::default()
        },
    );
    assert_eq!(row(&s, "乙").status, Status::Selected);
    assert_eq!(
        row(&s, "甲").reasons,
        vec!["第1名，本组名额0个，入选的均为评审组纳入的单位"]
    );
}

#[test]
fn why_not_when_every_seat_went_to_an_inclusion_from_below() {
    let mut scheme = test_scheme();
    scheme.quotas[2].size = QuotaSize::Count(0);
    let mut o = ov(1, 2, OverrideAction::Include);
    o.beyond_quota = true;
    let s = select(
        &scheme,
        &Inputs {
            campaign: 2026,
            entries: vec![county(1, "甲", "95"), county(2, "乙", "90")],
            overrides: vec![o],
            ..Default::default()
        },
    );
    assert_eq!(row(&s, "乙").status, Status::Selected);
    assert_eq!(
        row(&s, "甲").reasons,
        vec!["第1名，本组名额0个，入选的均为评审组从排名在后的单位中纳入"]
    );
}

#[test]
fn a_cleared_decision_gives_the_plain_why_not_back() {
    let entries = four_ranked();
    let s = run_with(
        entries,
        vec![],
        vec![
            ov(1, 4, OverrideAction::Include),
            ov(2, 4, OverrideAction::Clear),
        ],
    );
    assert_eq!(row(&s, "丁").status, Status::NotSelected);
    assert_eq!(
        row(&s, "丙").reasons,
        vec!["第3名，本组名额2个，与末位入选相差2.00分"]
    );
    assert_eq!(
        row(&s, "丁").reasons,
        vec!["第4名，本组名额2个，与末位入选相差3.00分"]
    );
}

#[test]
fn json_follows_the_contract() {
    let s = run(vec![county(1, "甲", "90.8"), county(2, "乙", "84")]);
    let j = to_json(&s, NO_REVIEWS);
    assert_eq!(j["campaign"], 2026);
    assert_eq!(
        j["pools"][0],
        serde_json::json!({"pool": "county/测试区", "declared": 2, "eligible": 1, "quota": 2, "selected": 1, "tie_pending": 0})
    );
    let r = &j["results"][0];
    let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "annual",
            "components",
            "composite",
            "name",
            "pool",
            "rank",
            "reasons",
            "region",
            "status",
            "tier",
            "unit_type",
            "uscc"
        ]
    );
    assert_eq!(r["composite"], serde_json::json!(90.8));
    assert_eq!(
        r["components"],
        serde_json::json!({"self": 90.8, "peer": 90.8, "organisation": 90.8, "public": 90.8, "third_party": 90.8})
    );
    assert_eq!(r["status"], "selected");
    assert_eq!(j["results"][1]["rank"], serde_json::Value::Null);
    assert_eq!(j["results"][1]["status"], "ineligible");
    assert_eq!(j["reviews"], serde_json::json!([]));
}

/// The default scheme with 群众测评 (index 3) computed from ballots and 组织考评 (index 2)
/// from the panel.
fn computed_scheme() -> Scheme {
    let mut s = test_scheme();
    s.components[3].source = crate::scheme::ComponentSource::Ballots;
    s.components[2].source = crate::scheme::ComponentSource::Panel;
    s
}

fn computed(agency_id: i64, component: usize, score: Option<&str>, note: &str) -> Computed {
    Computed {
        agency_id,
        component,
        score: score.map(d),
        note: note.to_string(),
    }
}

#[test]
fn computed_scores_replace_the_returns_and_explain_what_is_missing() {
    // Every return declares 90 everywhere; the computed scores decide instead.
    let s = select(
        &computed_scheme(),
        &Inputs {
            campaign: 2026,
            entries: vec![
                county(1, "甲", "90"),
                county(2, "乙", "90"),
                county(3, "丙", "90"),
            ],
            awards: vec![],
            overrides: vec![],
            computed: vec![
                computed(
                    1,
                    3,
                    Some("80"),
                    "群众测评80.00分 = (满意4×100 + 不满意1×0) ÷ 5张有效票",
                ),
                computed(
                    1,
                    2,
                    Some("70"),
                    "组织考评70.00分：5位评委，去掉最高分90、最低分50后取平均",
                ),
                computed(2, 3, None, "群众测评有效票不足30张（实有12张）"),
                computed(2, 2, Some("90"), "组织考评90.00分：5位评委评分的平均"),
            ],
            ledger: Default::default(),
            accountability: Vec::new(),
        },
    );
    let a = row(&s, "甲");
    // 90 × (0.05 + 0.10 + 0.15) + 70 × 0.40 + 80 × 0.30 = 27 + 28 + 24 = 79; composite
    // 0.3 × 90 + 0.7 × 79 = 82.3.
    assert_eq!(a.components[3], Some(d("80")));
    assert_eq!(a.components[2], Some(d("70")));
    assert_eq!(a.annual, Some(d("79.00")));
    assert_eq!(a.composite, Some(d("82.30")));
    assert_eq!(
        a.component_notes,
        vec![
            None,
            None,
            Some("组织考评70.00分：5位评委，去掉最高分90、最低分50后取平均".to_string()),
            Some("群众测评80.00分 = (满意4×100 + 不满意1×0) ÷ 5张有效票".to_string()),
            None
        ]
    );
    // A missing computed score is explained by its reason, not "缺少群众测评".
    let b = row(&s, "乙");
    assert_eq!(b.status, Status::Ineligible);
    assert_eq!(b.reasons, vec!["群众测评有效票不足30张（实有12张）"]);
    // No ballots and no panel scores at all: both named.
    let c = row(&s, "丙");
    assert_eq!(
        c.reasons,
        vec!["组织考评没有评委评分", "群众测评没有测评票"]
    );
    assert_eq!(c.components[2], None);
    let j = to_json(&s, NO_REVIEWS);
    let first = j["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "甲")
        .unwrap();
    assert_eq!(first["components"]["public"], serde_json::json!(80.0));
    assert_eq!(first["components"]["organisation"], serde_json::json!(70.0));
}

#[test]
fn a_scheme_without_computed_components_ignores_computed_scores() {
    let s = select(
        &test_scheme(),
        &Inputs {
            campaign: 2026,
            entries: vec![county(1, "甲", "90")],
            awards: vec![],
            overrides: vec![],
            computed: vec![computed(1, 3, Some("10"), "不应使用")],
            ledger: Default::default(),
            accountability: Vec::new(),
        },
    );
    assert_eq!(row(&s, "甲").components[3], Some(d("90")));
    assert!(row(&s, "甲").component_notes.iter().all(Option::is_none));
}

// ---- properties ----

fn arb_entries() -> impl Strategy<Value = Vec<Entry>> {
    // Few distinct scores and pools, so that ties and boundaries are common.
    let one = (
        0usize..3,
        0usize..2,
        0usize..8,
        0usize..3,
        proptest::bool::weighted(0.1),
    );
    proptest::collection::vec(one, 0..40).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (tier, region, score, public, veto))| {
                let tier = [Tier::Province, Tier::City, Tier::County][tier];
                let region = (tier != Tier::Province).then(|| ["甲", "乙"][region]);
                let score = ["84.99", "85", "86.5", "88", "90", "90", "92.25", "95"][score];
                let public = ["89.99", "90", "96"][public];
                let mut e = entry(
                    i as i64,
                    &format!("单位{i:03}"),
                    tier,
                    region,
                    score,
                    public,
                );
                e.unit_type = ["党群机关", "政府机关"][i % 2].to_string();
                e.vetoes[0] = veto;
                e
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn shuffling_the_inputs_never_changes_the_results(entries in arb_entries(), seed in any::<u64>()) {
        let a = run(entries.clone());
        let mut shuffled = entries;
        // A deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let b = run(shuffled);
        prop_assert_eq!(to_json(&a, NO_REVIEWS), to_json(&b, NO_REVIEWS));
    }

    #[test]
    fn any_number_of_threads_decides_the_same(entries in arb_entries(), parts in 2usize..6) {
        let inputs = Inputs { campaign: 2026, entries, ..Inputs::default() };
        let scheme = test_scheme();
        prop_assert_eq!(
            decide_parts(&scheme, inputs.clone(), parts),
            decide_parts(&scheme, inputs, 1)
        );
    }

    #[test]
    fn pools_never_exceed_their_quota_and_selected_are_eligible(entries in arb_entries()) {
        let s = run(entries);
        for p in &s.pools {
            prop_assert!(p.selected <= p.quota, "{:?}", p);
            let in_pool: Vec<&ResultRow> = s.results.iter().filter(|r| r.pool.as_deref() == Some(p.pool.as_str())).collect();
            prop_assert_eq!(in_pool.iter().filter(|r| r.status == Status::Selected).count() as u32, p.selected);
        }
        for r in &s.results {
            if r.status == Status::Selected {
                prop_assert!(r.eligible);
            }
            prop_assert_eq!(r.rank.is_some(), r.eligible);
        }
    }

    #[test]
    fn every_why_not_sentence_is_true(
        entries in arb_entries(),
        decisions in proptest::collection::vec((0i64..40, 0usize..3), 0..6),
    ) {
        let overrides: Vec<OverrideFact> = decisions
            .iter()
            .enumerate()
            .map(|(n, &(agency, action))| {
                let action = [OverrideAction::Include, OverrideAction::Exclude, OverrideAction::Clear][action];
                let mut o = ov(n as i64 + 1, agency, action);
                o.beyond_quota = true;
                o
            })
            .collect();
        let s = run_with(entries, vec![], overrides);
        for r in &s.results {
            let Some(line) = r.reasons.iter().find(|l| l.contains("本组名额")) else { continue };
            let selected: Vec<&ResultRow> = s
                .results
                .iter()
                .filter(|x| x.pool == r.pool && x.status == Status::Selected)
                .collect();
            if let Some(rest) = line.split("与末位入选相差").nth(1) {
                // The gap is to a selected return that scored exactly that much more.
                let gap = d(rest.trim_end_matches('分'));
                let b = r.composite.expect("a ranked return has a composite");
                prop_assert!(gap > Decimal::ZERO, "{line}");
                prop_assert!(selected.iter().any(|x| x.composite == Some(b + gap)), "{}: {line}", r.name);
            } else if line.contains("综合得分相同") || line.contains("并列") {
                prop_assert!(selected.iter().any(|x| x.composite == r.composite), "{}: {line}", r.name);
            } else if line.contains("入选的均为评审组从排名在后的单位中纳入") {
                prop_assert!(!selected.is_empty());
                for x in &selected {
                    prop_assert!(x.eligible && x.composite <= r.composite, "{}: {line}", r.name);
                    prop_assert!(x.applied_override.is_some(), "{}: {line}", r.name);
                }
            } else if line.contains("入选的均为评审组纳入的单位") {
                // Some of them were ineligible: included by the panel, every one.
                prop_assert!(selected.iter().any(|x| !x.eligible), "{}: {line}", r.name);
                for x in &selected {
                    prop_assert!(x.applied_override.is_some(), "{}: {line}", r.name);
                    prop_assert!(!x.eligible || x.composite <= r.composite, "{}: {line}", r.name);
                }
            }
        }
    }

    #[test]
    fn a_full_tie_is_never_split(entries in arb_entries()) {
        let s = run(entries);
        for a in &s.results {
            for b in &s.results {
                if a.pool == b.pool && a.eligible && b.eligible && a.rank == b.rank {
                    prop_assert_eq!(a.status, b.status, "{} vs {}", a.name, b.name);
                }
            }
        }
    }
}

/// A generated campaign that exercises every path of the selection at once: three tiers
/// in small pools (a percentage quota with a minimum, a count), scores drawn from a few
/// values so that ties straddle the last seat, missing components and dailies, vetoes,
/// held and revoked awards, the panel's inclusions, exclusions and clears, an overdue
/// ledger problem and an accountability record, and duplicate names. Deterministic in
/// `n`.
fn generated(n: usize, reweight: bool) -> (Scheme, Inputs) {
    use crate::vocab::AccountabilityKind;
    let mut scheme = Scheme::default_scheme();
    if reweight {
        scheme.missing = crate::scheme::MissingPolicy::Reweight;
        scheme.quotas[1].size = QuotaSize::Count(2);
    }
    // A few values, so that equal composites and tie-breaks are common; 84.5 fails the
    // component minimum, 97.335 needs rounding.
    let scores = [
        "84.5", "86", "88.25", "89.5", "90", "90", "91.125", "92.5", "93", "95", "97.335",
    ];
    let pick = |i: usize, k: usize| {
        // splitmix64 of (i, k): the values of a return look unrelated to its neighbours'.
        let mut z = ((i as u64) << 8 | k as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // Rarely the lowest value: most returns stay eligible.
        let n = z % 64;
        d(scores[if n == 0 {
            0
        } else {
            1 + (n as usize) % (scores.len() - 1)
        }])
    };
    let types = ["党群机关", "政府机关", "政法机关", "群团组织"];
    let mut entries = Vec::new();
    for i in 0..n {
        let (tier, region) = match i % 5 {
            0 => (Tier::Province, None),
            1 | 2 => (Tier::City, Some(format!("{}市", i % 3))),
            _ => (Tier::County, Some(format!("{}区", i % 4))),
        };
        // Every 17th return copies the scores of the one 60 before it, which is in the
        // same pool: full ties, some straddling the last seat.
        let seed = if i % 17 == 3 && i >= 60 { i - 60 } else { i };
        let mut components: Vec<Option<Decimal>> = (0..5).map(|k| Some(pick(seed, k))).collect();
        // Two groups of returns equal at the top of one pool each: three in county/3区
        // (two seats), five in city/2市 — tied on every key, so a tie straddles the last
        // seat.
        let top = i % 60 == 2 || (i % 20 == 3 && i < 60);
        if top {
            components = vec![Some(d("97.335")); 5];
        }
        if i % 23 == 4 && !top {
            components[i % 5] = None;
        }
        let mut vetoes = vec![false; 4];
        if i % 37 == 9 {
            vetoes[i % 4] = true;
        }
        entries.push(Entry {
            agency_id: i as i64 + 1,
            uscc: (i % 6 != 0).then(|| format!("U{i:05}")),
            // Every 50th name repeats an earlier one: ordering falls to the USCC.
            name: format!("单位{}", if i % 50 == 49 { i - 1 } else { i }),
            tier,
            region,
            unit_type: types[i % types.len()].to_string(),
            daily: (i % 41 != 3 || top).then(|| if top { d("97.335") } else { pick(seed, 9) }),
            components,
            vetoes,
        });
    }
    let awards = (0..n as i64)
        .filter(|i| i % 29 == 5)
        .map(|i| AwardFact {
            agency_id: i + 1,
            year: 2020 + (i % 8) as i32,
            status: if i % 2 == 0 {
                AwardStatus::Active
            } else {
                AwardStatus::Revoked
            },
            revoked_year: (i % 2 == 1).then_some(2023 + (i % 3) as i32),
        })
        .collect();
    let actions = [
        OverrideAction::Include,
        OverrideAction::Exclude,
        OverrideAction::Include,
        OverrideAction::Clear,
    ];
    let overrides = (0..n as i64 / 10)
        .map(|k| OverrideFact {
            id: k + 1,
            // Some agencies get two decisions: the later is in force.
            agency_id: (k * 13) % (n as i64 / 2) + 1,
            action: actions[k as usize % actions.len()],
            reason: format!("理由{k}"),
            beyond_quota: k % 3 == 0,
            operator: "评审组".to_string(),
            at: format!("2026-11-20T09:{:02}:00+08:00", k % 60),
        })
        .collect();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    let ledger = ledger::LedgerFacts {
        date,
        overdue: (0..n as i64)
            .filter(|i| i % 31 == 11)
            .map(|i| ledger::OverdueFact {
                agency_id: i + 1,
                item_id: i,
                deadline: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            })
            .collect(),
    };
    let accountability = (0..n as i64)
        .filter(|i| i % 43 == 17)
        .map(|i| accountability::AccountabilityFact {
            id: i,
            agency_id: i + 1,
            kind: AccountabilityKind::Bulletin,
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        })
        .collect();
    let inputs = Inputs {
        campaign: 2026,
        entries,
        awards,
        overrides,
        computed: Vec::new(),
        ledger,
        accountability,
    };
    (scheme, inputs)
}

/// The generated selections, as text: every field of every pool and row (one compact JSON
/// line each), then the contract JSON of `select --json`.
#[test]
fn sharing_the_pools_among_threads_changes_nothing() {
    for reweight in [false, true] {
        for n in [1, 40, 300, 2_000] {
            let (scheme, inputs) = generated(n, reweight);
            let one = decide_parts(&scheme, inputs.clone(), 1);
            for parts in [2, 3, 7] {
                assert_eq!(
                    decide_parts(&scheme, inputs.clone(), parts),
                    one,
                    "{n} returns, {parts} threads"
                );
            }
        }
    }
}

fn generated_text() -> String {
    let mut out = String::new();
    for reweight in [false, true] {
        let (scheme, inputs) = generated(300, reweight);
        let sel = select(&scheme, &inputs);
        assert_eq!(sel, select_owned(&scheme, inputs.clone()));
        // The outcome's own writers say byte for byte what the selection they make says:
        // the stored run's JSON and the contract document.
        let decision = decide(&scheme, inputs.clone());
        assert_eq!(
            serde_json::to_string(&decision.stored()).unwrap(),
            serde_json::to_string(&sel).unwrap()
        );
        // A run's result stored as a compact record (version 24 on) and one stored as
        // JSON (before) read back as the same selection — every decimal's scale too.
        let json = serde_json::to_vec(&decision.stored()).unwrap();
        let record = decision.record();
        assert!(
            record.len() < json.len() * 2 / 3,
            "{} {}",
            record.len(),
            json.len()
        );
        for bytes in [&json, &record] {
            let back = runs::parse_result(1, bytes).unwrap();
            assert_eq!(back, sel);
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                serde_json::to_string(&sel).unwrap()
            );
        }
        // A damaged record is an error naming the run, never a panic or a wrong result.
        for cut in (0..record.len()).step_by(7) {
            let err = runs::parse_result(9, &record[..cut]).unwrap_err();
            assert!(err.to_string().contains("评选运行记录 9"), "{err}");
        }
        let mut longer = record.clone();
        longer.push(0);
        assert!(runs::parse_result(9, &longer).is_err());
        let (mut direct, mut made) = (Vec::new(), Vec::new());
        decision.write_json(&mut direct, NO_REVIEWS).unwrap();
        write_json(&mut made, &sel, NO_REVIEWS).unwrap();
        assert_eq!(
            String::from_utf8(direct).unwrap(),
            String::from_utf8(made).unwrap()
        );
        for (row, r) in decision.rows.iter().zip(&sel.results) {
            assert_eq!(&decision.result_row(row), r);
        }
        // The order of the inputs does not matter.
        let mut reversed = inputs;
        reversed.entries.reverse();
        reversed.overrides.reverse();
        assert_eq!(select(&scheme, &reversed), sel);
        out.push_str(&format!("# missing = {:?}\n", scheme.missing));
        for p in &sel.pools {
            out.push_str(&serde_json::to_string(p).unwrap());
            out.push('\n');
        }
        for r in &sel.results {
            out.push_str(&serde_json::to_string(r).unwrap());
            out.push('\n');
        }
        let mut json = Vec::new();
        write_json(&mut json, &sel, NO_REVIEWS).unwrap();
        out.push_str(&String::from_utf8(json).unwrap());
    }
    out
}

/// The selection of a generated campaign is exactly as recorded in
/// `tests/fixtures/golden/select/generated.txt`: every score, rank, status, reason and
/// their order, and the `select --json` document. Any restructuring of the selection must
/// leave it unchanged; after a deliberate change of the rules, regenerate it with
/// `MOFAN_BLESS=1 cargo test -p mofan --lib select::tests::generated` and review the diff.
#[test]
fn generated_selection_matches_the_golden_text() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden/select/generated.txt");
    let text = generated_text();
    if std::env::var_os("MOFAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let golden = std::fs::read_to_string(&path).expect("the golden text is committed");
    // Every path the text is meant to cover is in it.
    for needle in [
        "tie_pending",
        "not_selected",
        "ineligible",
        "一票否决",
        "已于",
        "年被撤销称号",
        "逾期未整改问题",
        "受到通报问责",
        "评审组调整：纳入",
        "评审组调整：不予入选",
        "与末位入选相差",
        "与末位入选综合得分相同",
        "并列",
        "缺少",
    ] {
        assert!(golden.contains(needle), "the golden text lacks {needle}");
    }
    for (i, (a, b)) in text.lines().zip(golden.lines()).enumerate() {
        assert_eq!(a, b, "line {} differs", i + 1);
    }
    assert_eq!(text.lines().count(), golden.lines().count());
}

/// A score below a threshold, compared in integers, says what the decimals say, at the
/// rounding boundary and for thresholds of 0–4 places.
#[test]
fn thresholds_compare_as_decimals_do() {
    let d = |s: &str| Decimal::from_str(s).unwrap();
    for (v, min) in [
        ("84.995", "85"),
        ("84.994", "85"),
        ("84.99", "84.995"),
        ("85", "85.0001"),
        ("85.00", "85"),
        ("0", "0"),
        ("100", "99.9999"),
        ("60.004", "60.0049"),
        ("60.005", "60.0099"),
        ("59.9949", "60"),
    ] {
        let (v, min) = (d(v), d(min));
        assert_eq!(
            below(v, min, units4(min)),
            round2(v) < min,
            "{v} against {min}"
        );
        assert_eq!(below(v, min, None), round2(v) < min);
    }
}
