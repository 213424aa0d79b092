//! Columns mapped by hand (the desktop preview's mapping editor): a header no alias knows
//! is read as the chosen field, a column can be left out, and the choices are recorded.

use crate::common::*;
use mofan::import::{self, ColumnChoice, FileStatus, Returns};
use mofan::scheme::Scheme;

fn choice(header: &str, field: Option<&str>) -> ColumnChoice {
    ColumnChoice {
        header: header.into(),
        field: field.map(str::to_string),
    }
}

/// The standard header with 群众测评 written as a word no alias knows.
fn unknown_public_header() -> Vec<&'static str> {
    HEADER
        .iter()
        .map(|h| {
            if *h == "群众测评" {
                "民意调查"
            } else {
                *h
            }
        })
        .collect()
}

#[test]
fn an_unknown_header_mapped_by_hand_imports() {
    let (dir, mut store) = store_2026();
    let path = dir.path().join("申报.xlsx");
    write_xlsx(
        &path,
        &unknown_public_header(),
        &[city_row("甲局", 92.0), city_row("乙局", 91.0)],
    );
    let bytes = std::fs::read(&path).unwrap();
    let scheme = Scheme::default_scheme();

    let plain = import::analyze(
        &Returns::new(scheme.clone(), 2026, &[]),
        bytes.clone(),
        "申报.xlsx",
    );
    assert!(
        plain.unreadable,
        "without the choice the sheet lacks 群众测评"
    );
    assert!(
        plain.errors[0].message.contains("群众测评"),
        "{:?}",
        plain.errors
    );

    let choices = [choice("民意调查", Some("public"))];
    let mapped = import::analyze(
        &Returns::new(scheme, 2026, &choices),
        bytes.clone(),
        "申报.xlsx",
    );
    assert!(
        !mapped.unreadable && mapped.errors.is_empty(),
        "{:?}",
        mapped.errors
    );
    assert_eq!(mapped.valid.len(), 2);
    assert_eq!(mapped.mapped, ["申报:J列“民意调查”→群众测评"]);
    assert!(mapped
        .warnings
        .iter()
        .any(|w| w == "工作表“申报”按手动指定的列对应关系读取：J列“民意调查”→群众测评"));
    assert_eq!(
        mapped.valid[0].components[3]
            .map(|d| d.to_string())
            .as_deref(),
        Some("92")
    );

    let opts = opts(false);
    let returns = Returns::open(&store, 2026, &choices).unwrap();
    let rep = import::import_bytes(&mut store, &returns, bytes, "申报.xlsx", &opts).unwrap();
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert_eq!(rep.imported, 2);
    let details: String = store
        .conn()
        .query_row(
            "SELECT details FROM audit_log WHERE action = 'import.file'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&details).unwrap();
    assert_eq!(v["mapped_by_hand"][0], "申报:J列“民意调查”→群众测评");
}

#[test]
fn a_column_left_out_resolves_two_columns_of_one_field() {
    let (dir, mut store) = store_2026();
    let path = dir.path().join("两列.xlsx");
    let mut header: Vec<&str> = HEADER.to_vec();
    header.push("机关名称");
    let mut row = city_row("甲局", 92.0);
    row.push(V::S("甲局（旧称）"));
    write_xlsx(&path, &header, &[row]);
    let bytes = std::fs::read(&path).unwrap();

    let returns = Returns::open(&store, 2026, &[]).unwrap();
    let plain = import::import_bytes(
        &mut store,
        &returns,
        bytes.clone(),
        "两列.xlsx",
        &opts(false),
    )
    .unwrap();
    assert_eq!(plain.status, FileStatus::Rejected);
    assert!(
        plain.errors[0].message.contains("机关名称"),
        "{:?}",
        plain.errors
    );

    let returns = Returns::open(&store, 2026, &[choice("机关名称", None)]).unwrap();
    let rep = import::import_bytes(&mut store, &returns, bytes, "两列.xlsx", &opts(false)).unwrap();
    assert_eq!(rep.status, FileStatus::Imported, "{:?}", rep.errors);
    assert!(rep
        .warnings
        .iter()
        .any(|w| w.contains("O列“机关名称”→不导入")));
}

#[test]
fn a_choice_naming_no_field_refuses_the_file_and_stores_nothing() {
    let (dir, mut store) = store_2026();
    let path = dir.path().join("申报.xlsx");
    write_xlsx(&path, HEADER.as_ref(), &[city_row("甲局", 92.0)]);
    let before = fingerprint(&store);
    let returns = Returns::open(&store, 2026, &[choice("自评", Some("no_such_field"))]).unwrap();
    let rep = import::import_bytes(
        &mut store,
        &returns,
        std::fs::read(&path).unwrap(),
        "申报.xlsx",
        &opts(false),
    )
    .unwrap();
    assert_eq!(rep.status, FileStatus::Rejected);
    assert!(rep.errors[0].message.contains("no_such_field"));
    assert_eq!(fingerprint(&store), before);
}
