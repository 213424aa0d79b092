use super::*;
use crate::store::agencies::{upsert, AgencyFields};
use crate::vocab::Tier;

const OP: &str = "王科员";
const USCC: &str = "114401039115856282";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A store with 审计局 (with USCC, 越秀区), another 审计局 (海珠区, no USCC) and 妇联.
fn store() -> Store {
    let store = Store::open_in_memory().unwrap();
    let c = store.conn();
    for (uscc, name, region) in [
        (Some(USCC), "审计局", "广州市越秀区"),
        (None, "审计局", "广州市海珠区"),
        (None, "妇联", "广州市越秀区"),
    ] {
        upsert(
            c,
            &AgencyFields {
                uscc,
                name,
                name_key: name,
                tier: Tier::County,
                region: Some(region),
                unit_type: "政府机关",
            },
            "t",
        )
        .unwrap();
    }
    store
}

fn talk(subject: &str) -> NewSupervisionRecord {
    NewSupervisionRecord {
        kind: SupervisionKind::Talk,
        date: d("2026-03-05"),
        subject: subject.into(),
        content: Some("  指出问题 3 项 ".into()),
        people: Some("".into()),
    }
}

fn acc(kind: AccountabilityKind, person: Option<&str>) -> NewAccountabilityRecord {
    NewAccountabilityRecord {
        person: person.map(str::to_string),
        kind,
        date: d("2026-03-05"),
        reason: "落实全面从严治党主体责任不力".into(),
        doc_number: Some("穗直工〔2026〕3号".into()),
    }
}

fn actions(store: &Store) -> Vec<String> {
    let mut stmt = store
        .conn()
        .prepare("SELECT action FROM audit_log ORDER BY seq")
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_supervision_is_stored_listed_and_audited() {
    let mut store = store();
    let v = add_supervision(
        &mut store,
        AgencyRef::Named(USCC),
        &talk(" 约谈 主要负责人 "),
        OP,
    )
    .unwrap();
    assert_eq!(v.name, "审计局");
    assert_eq!(v.uscc.as_deref(), Some(USCC));
    assert_eq!(v.subject, "约谈 主要负责人");
    assert_eq!(v.content.as_deref(), Some("指出问题 3 项"));
    assert_eq!(v.people, None, "a blank text is no text");
    assert_eq!(v.operator, OP);
    add_supervision(&mut store, AgencyRef::Named("妇联"), &talk("书面问询"), OP).unwrap();
    assert_eq!(list_supervision(&store, None).unwrap().len(), 2);
    let mine = list_supervision(&store, Some(USCC)).unwrap();
    assert_eq!(mine, vec![v]);
    assert_eq!(actions(&store), ["supervision.add", "supervision.add"]);
    let json = serde_json::to_value(&mine[0]).unwrap();
    assert_eq!(json["kind"], "talk");
    assert_eq!(json["date"], "2026-03-05");
    assert!(json.get("agency_id").is_none());
}

#[test]
fn a_supervision_is_refused_with_the_reason_and_nothing_stored() {
    let mut store = store();
    let cases: [(AgencyRef<'_>, NewSupervisionRecord, &str); 5] = [
        (AgencyRef::Named("审计局"), talk("x"), "agency.ambiguous"),
        (AgencyRef::Named("教育局"), talk("x"), "agency.not_found"),
        (AgencyRef::Id(99), talk("x"), "agency.not_found"),
        (AgencyRef::Named("妇联"), talk("  "), "supervision.required"),
        (
            AgencyRef::Named("妇联"),
            talk(&"长".repeat(201)),
            "supervision.text_invalid",
        ),
    ];
    for (agency, req, code) in cases {
        let e = add_supervision(&mut store, agency, &req, OP).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
    }
    let mut far = talk("x");
    far.date = d("2101-01-01");
    let e = add_supervision(&mut store, AgencyRef::Named("妇联"), &far, OP).unwrap_err();
    assert_eq!(e.to_string(), "日期2101-01-01超出范围（1949年至2100年）");
    let e = add_supervision(&mut store, AgencyRef::Named("审计局"), &talk("x"), OP).unwrap_err();
    assert!(e.to_string().contains(USCC), "both agencies are named: {e}");
    assert!(e.to_string().contains("无统一社会信用代码"), "{e}");
    assert!(list_supervision(&store, None).unwrap().is_empty());
    assert!(actions(&store).is_empty());
}

#[test]
fn accountability_needs_the_target_its_kind_is_for() {
    use AccountabilityKind as K;
    // (kind, person, Ok(target) or the error's code)
    let cases: [(K, Option<&str>, Result<Target, &str>); 10] = [
        (K::Check, None, Ok(Target::Organisation)),
        (K::Check, Some("张三"), Err("accountability.not_for_person")),
        (K::Bulletin, None, Ok(Target::Organisation)),
        (K::Bulletin, Some("张三"), Ok(Target::Person)),
        (K::Reorganise, None, Ok(Target::Organisation)),
        (
            K::Reorganise,
            Some("张三"),
            Err("accountability.not_for_person"),
        ),
        (K::Admonish, None, Err("accountability.person_required")),
        (K::Adjust, Some("张三"), Ok(Target::Person)),
        (K::Handle, Some(" "), Err("accountability.person_required")),
        (K::Discipline, Some("张三"), Ok(Target::Person)),
    ];
    let mut store = store();
    let mut stored = 0;
    for (kind, person, want) in cases {
        let got = add_accountability(&mut store, AgencyRef::Named("妇联"), &acc(kind, person), OP);
        match (got, want) {
            (Ok(v), Ok(target)) => {
                stored += 1;
                assert_eq!((v.kind, v.target), (kind, target));
                assert_eq!(v.person.is_some(), target == Target::Person);
            }
            (Err(e), Err(code)) => assert_eq!(e.code(), code, "{kind:?} {person:?}: {e}"),
            (got, want) => panic!("{kind:?} {person:?}: {got:?}, want {want:?}"),
        }
    }
    assert_eq!(
        list_accountability(&store, Some("妇联")).unwrap().len(),
        stored
    );
    assert_eq!(actions(&store).len(), stored);
    let e = add_accountability(
        &mut store,
        AgencyRef::Named("妇联"),
        &acc(K::Discipline, None),
        OP,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "“纪律处分”是对领导干部的问责方式，请填写被问责人；\
         对单位（党组织）的问责方式为检查、通报、改组"
    );
    let e = add_accountability(
        &mut store,
        AgencyRef::Named("妇联"),
        &acc(K::Reorganise, Some("李四")),
        OP,
    )
    .unwrap_err();
    assert!(e.to_string().contains("不能指定被问责人“李四”"), "{e}");
    let mut blank = acc(K::Bulletin, None);
    blank.reason = " ".into();
    let e = add_accountability(&mut store, AgencyRef::Named("妇联"), &blank, OP).unwrap_err();
    assert_eq!(e.to_string(), "理由不能为空");
}

#[test]
fn accountability_json_names_the_target() {
    let mut store = store();
    let v = add_accountability(
        &mut store,
        AgencyRef::Named(USCC),
        &acc(AccountabilityKind::Discipline, Some("张三")),
        OP,
    )
    .unwrap();
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["target"], "person");
    assert_eq!(json["person"], "张三");
    assert_eq!(json["kind"], "discipline");
    assert_eq!(json["doc_number"], "穗直工〔2026〕3号");
    assert_eq!(json["uscc"], USCC);
    let details: String = store
        .conn()
        .query_row("SELECT details FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(details.contains("\"kind\":\"discipline\""), "{details}");
}
