//! Column choices made by hand (the desktop preview's mapping editor).
//!
//! Columns are mapped by header name through the alias lists (docs/specification.md §3). When a
//! unit's header uses a word no alias knows, or two columns name one field, the user may
//! say for one import which field a header holds, or that it is not imported. A choice
//! names the header exactly as the preview shows it ("年度考核得分/自评" for a two-row
//! header) and a field by its key: `name`, `uscc`, `tier`, `region`, `unit_type`,
//! `complaints`, `problems_total`, `problems_fixed`, `daily`, a component's key or a
//! veto's key. The choices apply to every sheet of the file, after header detection and
//! before the required-column check, and are written into the file's warnings and audit
//! event.

use serde::{Deserialize, Serialize};

use super::aliases::Field;
use super::layout::Layout;
use crate::scheme::{MissingPolicy, Scheme};
use crate::vocab::{FixedField, RETURN_FIELDS};

/// One header's field chosen by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ColumnChoice {
    /// The header text as the preview shows it.
    pub header: String,
    /// The field's key, or `None`: the column is not imported.
    pub field: Option<String>,
}

/// A field a column can be mapped to, as the mapping editor offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChoice {
    /// The key a [`ColumnChoice`] names.
    pub key: String,
    /// Chinese label.
    pub label: String,
    /// Whether a sheet without this column is refused.
    pub required: bool,
}

/// The fields of a return that the scheme reads, in the order of the return template:
/// the agency fields, the daily score, the components, the vetoes, then the counts.
pub fn field_choices(scheme: &Scheme) -> Vec<FieldChoice> {
    let scores_required = scheme.missing == MissingPolicy::Ineligible;
    let mut out = Vec::new();
    let mut push = |key: &str, field: Field, required: bool| {
        out.push(FieldChoice {
            key: key.to_string(),
            label: field.label(scheme),
            required,
        })
    };
    let (agency, counts): (Vec<&FixedField>, Vec<_>) =
        RETURN_FIELDS.iter().partition(|f| f.field.is_agency());
    for f in agency {
        push(
            f.key,
            f.field,
            matches!(f.field, Field::Name | Field::Tier | Field::UnitType),
        );
    }
    push(
        "daily",
        Field::Daily,
        scores_required && scheme.daily_share > rust_decimal::Decimal::ZERO,
    );
    for (i, c) in scheme.components.iter().enumerate() {
        push(&c.key, Field::Component(i), scores_required);
    }
    for (i, v) in scheme.vetoes.iter().enumerate() {
        push(&v.key, Field::Veto(i), false);
    }
    for f in counts {
        push(f.key, f.field, false);
    }
    out
}

/// The field a key names in this scheme.
pub fn field_of(scheme: &Scheme, key: &str) -> Option<Field> {
    if let Some(f) = RETURN_FIELDS.iter().find(|f| f.key == key) {
        return Some(f.field);
    }
    if key == "daily" {
        return Some(Field::Daily);
    }
    if let Some(i) = scheme.components.iter().position(|c| c.key == key) {
        return Some(Field::Component(i));
    }
    scheme
        .vetoes
        .iter()
        .position(|v| v.key == key)
        .map(Field::Veto)
}

/// The key of a field of a return (`None` for the registry's own fields).
pub fn key_of(scheme: &Scheme, field: Field) -> Option<String> {
    match field {
        Field::Daily => Some("daily".into()),
        Field::Component(i) => scheme.components.get(i).map(|c| c.key.clone()),
        Field::Veto(i) => scheme.vetoes.get(i).map(|v| v.key.clone()),
        f => RETURN_FIELDS
            .iter()
            .find(|b| b.field == f)
            .map(|b| b.key.to_string()),
    }
}

/// Choices resolved against a scheme.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Resolved {
    choices: Vec<(String, Option<Field>)>,
}

impl Resolved {
    /// Resolves the keys; an unknown key is an error naming it.
    pub(crate) fn new(scheme: &Scheme, choices: &[ColumnChoice]) -> Result<Resolved, String> {
        let mut out = Vec::with_capacity(choices.len());
        for c in choices {
            let field = match c.field.as_deref() {
                None | Some("") => None,
                Some(key) => Some(field_of(scheme, key).ok_or_else(|| {
                    format!(
                        "列对应关系有误：“{}”对应的字段“{key}”在本年度评选方案中不存在",
                        c.header
                    )
                })?),
            };
            out.push((c.header.clone(), field));
        }
        Ok(Resolved { choices: out })
    }

    /// Applies the choices to a detected header: returns "X列“header”→label" for every
    /// column whose field changed.
    pub(crate) fn apply(&self, scheme: &Scheme, layout: &mut Layout) -> Vec<String> {
        let mut changed = Vec::new();
        for col in &mut layout.columns {
            let Some((_, field)) = self.choices.iter().find(|(h, _)| *h == col.header) else {
                continue;
            };
            if col.field == *field {
                continue;
            }
            col.field = *field;
            let to = field.map_or_else(|| "不导入".to_string(), |f| f.label(scheme));
            changed.push(format!("{}列“{}”→{to}", col.letter(), col.header));
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::layout::Column;

    fn layout(headers: &[(&str, Option<Field>)]) -> Layout {
        Layout {
            header_row: 0,
            header_rows: 1,
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, (h, f))| Column::new(i as u32, h.to_string(), *f))
                .collect(),
        }
    }

    #[test]
    fn choices_list_every_field_with_its_requirement() {
        let s = Scheme::default_scheme();
        let choices = field_choices(&s);
        let keys: Vec<&str> = choices.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "name",
                "uscc",
                "tier",
                "region",
                "unit_type",
                "daily",
                "self",
                "peer",
                "organisation",
                "public",
                "third_party",
                "discipline",
                "ideology",
                "safety",
                "inspection",
                "complaints",
                "problems_total",
                "problems_fixed"
            ]
        );
        let required: Vec<&str> = choices
            .iter()
            .filter(|c| c.required)
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "单位名称",
                "层级",
                "单位类型",
                "日常考核",
                "个人自评",
                "党员互评",
                "组织考评",
                "群众测评",
                "第三方评价"
            ]
        );
        for c in &choices {
            let f = field_of(&s, &c.key).unwrap();
            assert_eq!(key_of(&s, f).as_deref(), Some(c.key.as_str()));
        }
    }

    #[test]
    fn applies_choices_by_exact_header_and_names_the_changes() {
        let s = Scheme::default_scheme();
        let mut l = layout(&[
            ("单位名称", Some(Field::Name)),
            ("满意率（%）", None),
            ("机关名称", Some(Field::Name)),
            ("备注", None),
        ]);
        let r = Resolved::new(
            &s,
            &[
                ColumnChoice {
                    header: "满意率（%）".into(),
                    field: Some("public".into()),
                },
                ColumnChoice {
                    header: "机关名称".into(),
                    field: None,
                },
                ColumnChoice {
                    header: "不在表中".into(),
                    field: Some("daily".into()),
                },
                ColumnChoice {
                    header: "单位名称".into(),
                    field: Some("name".into()),
                },
            ],
        )
        .unwrap();
        let changed = r.apply(&s, &mut l);
        assert_eq!(
            changed,
            ["B列“满意率（%）”→群众测评", "C列“机关名称”→不导入"]
        );
        assert_eq!(l.column_of(Field::Component(3)).unwrap().col, 1);
        assert_eq!(l.column_of(Field::Name).unwrap().col, 0);
        assert_eq!(l.unknown_columns().count(), 2);
    }

    #[test]
    fn an_unknown_key_is_an_error() {
        let s = Scheme::default_scheme();
        let e = Resolved::new(
            &s,
            &[ColumnChoice {
                header: "X".into(),
                field: Some("nope".into()),
            }],
        )
        .unwrap_err();
        assert!(e.contains("nope"), "{e}");
    }
}
