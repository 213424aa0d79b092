use super::*;
use crate::normalize::header_key;

#[test]
fn tier_words() {
    let cases = [
        ("省级", Some(Tier::Province)),
        ("省直", Some(Tier::Province)),
        ("省直机关", Some(Tier::Province)),
        ("省直单位", Some(Tier::Province)),
        ("province", Some(Tier::Province)),
        ("市级", Some(Tier::City)),
        ("市直", Some(Tier::City)),
        ("地市", Some(Tier::City)),
        ("市直机关", Some(Tier::City)),
        (" City ", Some(Tier::City)),
        ("县级", Some(Tier::County)),
        ("县直", Some(Tier::County)),
        ("区县", Some(Tier::County)),
        ("县(市、区)", Some(Tier::County)),
        ("县（市、区）", Some(Tier::County)),
        ("县直机关", Some(Tier::County)),
        ("区直", Some(Tier::County)),
        ("区直机关", Some(Tier::County)),
        ("区直单位", Some(Tier::County)),
        ("区级", Some(Tier::County)),
        ("县（市）直", Some(Tier::County)),
        ("县(市)直", Some(Tier::County)),
        ("县市直", Some(Tier::County)),
        ("县（市、区）直", Some(Tier::County)),
        ("县（区）直", Some(Tier::County)),
        ("乡镇", None),
        ("旗直", None),
        ("", None),
    ];
    for (input, want) in cases {
        assert_eq!(parse_tier(input), want, "{input:?}");
    }
}

#[test]
fn no_tier_word_names_two_tiers() {
    let words: Vec<(Tier, &str)> = builtin_tier_words().collect();
    let keys: std::collections::HashSet<String> =
        words.iter().map(|(_, w)| words::tier_key(w)).collect();
    assert_eq!(keys.len(), words.len(), "a tier word is listed twice");
    // `parse_tier` looks a word up as it is before making its key: right only because
    // every key is its own key.
    for key in &keys {
        assert_eq!(&words::tier_key(key), key);
    }
    for (tier, word) in words {
        assert_eq!(parse_tier(word), Some(tier), "{word}");
        assert_eq!(parse_tier(tier.label()), Some(tier), "the label reads back");
        assert_eq!(parse_tier(tier.as_str()), Some(tier), "the code reads back");
    }
}

#[test]
fn status_words() {
    let cases = [
        ("正常", Some(AwardStatus::Active)),
        ("有效", Some(AwardStatus::Active)),
        ("active", Some(AwardStatus::Active)),
        (" Active ", Some(AwardStatus::Active)),
        ("整改中", Some(AwardStatus::Rectifying)),
        ("限期整改", Some(AwardStatus::Rectifying)),
        ("整 改 中", Some(AwardStatus::Rectifying)),
        ("rectifying", Some(AwardStatus::Rectifying)),
        ("已撤销", Some(AwardStatus::Revoked)),
        ("撤销", Some(AwardStatus::Revoked)),
        ("摘牌", Some(AwardStatus::Revoked)),
        ("ＲＥＶＯＫＥＤ", Some(AwardStatus::Revoked)),
        ("暂停", None),
        ("正常？", None),
        ("", None),
    ];
    for (word, want) in cases {
        assert_eq!(parse_award_status(word), want, "{word:?}");
    }
    // Every state's own label reads back.
    for s in [
        AwardStatus::Active,
        AwardStatus::Rectifying,
        AwardStatus::Revoked,
    ] {
        assert_eq!(parse_award_status(s.label()), Some(s));
        assert_eq!(parse_award_status(s.as_str()), Some(s));
    }
}

/// Checks one vocabulary: serde writes and reads exactly the key, `parse` reads it back,
/// nothing else parses, and no two values share a key or a label.
fn check<T: Vocab + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug>() {
    let mut keys = std::collections::HashSet::new();
    let mut labels = std::collections::HashSet::new();
    for &v in T::ALL {
        assert!(keys.insert(v.key()), "{v:?}: key repeated");
        assert!(labels.insert(v.label()), "{v:?}: label repeated");
        assert_eq!(serde_json::to_value(v).unwrap(), v.key(), "{v:?}");
        let back: T = serde_json::from_value(serde_json::json!(v.key())).unwrap();
        assert_eq!(back, v);
        assert_eq!(T::parse(v.key()), Some(v));
        assert_eq!(T::parse(v.label()), None, "labels are not stored spellings");
    }
    assert_eq!(T::parse(""), None);
    assert!(serde_json::from_value::<T>(serde_json::json!("unknown")).is_err());
}

#[test]
fn every_vocabulary_has_one_spelling_and_one_label() {
    check::<Tier>();
    check::<SelectionStatus>();
    check::<CampaignStatus>();
    check::<FileStatus>();
    check::<StoredFileStatus>();
    check::<PreviewState>();
    check::<Trigger>();
    check::<Outcome>();
    check::<AwardStatus>();
    check::<OverrideAction>();
    check::<CalendarDayKind>();
    check::<ObjectionChannel>();
    check::<ObjectionResolution>();
}

#[test]
fn inherent_names_forward_to_the_one_table() {
    assert_eq!(Tier::County.as_str(), "county");
    assert_eq!(Tier::from_code("city"), Some(Tier::City));
    assert_eq!(Tier::from_code("市级"), None);
    assert_eq!(SelectionStatus::TiePending.as_str(), "tie_pending");
    assert_eq!(SelectionStatus::TiePending.label(), "并列待定");
    assert_eq!(
        CampaignStatus::parse("published"),
        Some(CampaignStatus::Published)
    );
    assert_eq!(OverrideAction::Clear.label(), "撤销调整");
    assert!(AwardStatus::Rectifying.is_held());
    assert!(!AwardStatus::Revoked.is_held());
}

#[test]
fn fixed_fields_have_one_key_and_no_shared_header() {
    let all: Vec<&FixedField> = RETURN_FIELDS
        .iter()
        .chain(AWARD_FIELDS)
        .chain(PANEL_FIELDS)
        .chain(LEDGER_FIELDS)
        .collect();
    let mut keys = std::collections::HashSet::new();
    for f in &all {
        assert!(keys.insert(f.key), "{}: key repeated", f.key);
        assert_eq!(Field::from_key(f.key), Some(f.field));
        assert_eq!(f.field.fixed().map(|x| x.key), Some(f.key));
        assert_eq!(f.field.kind(), f.kind);
    }
    // A header names one field of a return, one of a registry row, one of a panel sheet.
    for set in [
        RETURN_FIELDS.iter().collect::<Vec<_>>(),
        RETURN_FIELDS
            .iter()
            .filter(|f| f.field.is_agency())
            .chain(AWARD_FIELDS)
            .collect(),
        RETURN_FIELDS
            .iter()
            .filter(|f| f.field.is_agency())
            .chain(PANEL_FIELDS)
            .collect(),
        // A ledger names its unit by name and USCC only.
        RETURN_FIELDS
            .iter()
            .filter(|f| matches!(f.field, Field::Name | Field::Uscc))
            .chain(LEDGER_FIELDS)
            .collect(),
    ] {
        let mut owner = std::collections::HashMap::new();
        for f in set {
            for h in f.headers() {
                if let Some(prev) = owner.insert(header_key(h), f.key) {
                    panic!("header {h} names both {prev} and {}", f.key);
                }
            }
        }
    }
    assert_eq!(
        Field::from_key("daily"),
        None,
        "the scheme's fields are not fixed"
    );
    assert_eq!(Field::Daily.kind(), FieldKind::Score);
    assert_eq!(Field::Veto(0).kind(), FieldKind::YesNo);
    assert_eq!(Field::Component(2).fixed(), None);
}

/// The window's unit tests read the labels from a copy of [`labels`] checked in beside
/// them; this fails when that copy is stale. `MOFAN_BLESS=1` rewrites it.
#[test]
fn the_windows_copy_of_the_labels_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/vocabulary.json");
    let want = serde_json::to_string_pretty(&labels()).unwrap() + "\n";
    if std::env::var_os("MOFAN_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run `MOFAN_BLESS=1 cargo test --lib vocab::` and commit it",
        path.display()
    );
}

#[test]
fn panel_headers_that_are_not_judges() {
    for (header, not_judge) in [
        ("序号", true),
        ("平均分", true),
        ("最高分", true),
        ("最低分", true),
        ("合计", true),
        ("备注", true),
        ("平均分（分）", true),
        ("评委1", false),
        ("张三", false),
        ("评委", false),
    ] {
        assert_eq!(words::is_panel_not_judge(header), not_judge, "{header}");
    }
    // No word that is not a judge is a field's header: a field is not a judge anyway,
    // and one list per idea keeps them apart.
    for w in words::PANEL_NOT_JUDGES {
        for f in RETURN_FIELDS.iter().chain(PANEL_FIELDS) {
            assert!(
                f.headers().all(|h| header_key(h) != header_key(w)),
                "{w} is a header of {}",
                f.key
            );
        }
    }
}

#[test]
fn accountability_kinds_by_target() {
    use AccountabilityKind as K;
    // (kind, for an organisation, for a named cadre): 通报 is both.
    let cases = [
        (K::Check, true, false),
        (K::Bulletin, true, true),
        (K::Reorganise, true, false),
        (K::Admonish, false, true),
        (K::Adjust, false, true),
        (K::Handle, false, true),
        (K::Discipline, false, true),
    ];
    assert_eq!(cases.len(), K::ALL.len(), "every kind is listed");
    for (kind, org, person) in cases {
        assert_eq!(kind.for_organisation(), org, "{kind:?}");
        assert_eq!(kind.for_person(), person, "{kind:?}");
    }
    let blocks: Vec<&str> = ACCOUNTABILITY_BLOCKS.iter().map(|k| k.label()).collect();
    assert_eq!(blocks, ["通报", "改组", "纪律处分"]);
}

#[test]
fn words_typed_by_a_clerk() {
    let cases: [(&str, Option<SupervisionKind>); 6] = [
        ("书面问询", Some(SupervisionKind::Inquiry)),
        (" 当面约谈 ", Some(SupervisionKind::Talk)),
        ("bulletin", Some(SupervisionKind::Bulletin)),
        ("专项督察", Some(SupervisionKind::Inspection)),
        ("约谈", None),
        ("", None),
    ];
    for (word, want) in cases {
        assert_eq!(parse_word::<SupervisionKind>(word), want, "{word:?}");
    }
    assert_eq!(
        parse_word::<AccountabilityKind>("纪律处分"),
        Some(AccountabilityKind::Discipline)
    );
    assert_eq!(parse_word::<AccountabilityKind>("处分"), None);
}
