//! The alias table: which header names which field, for one scheme's returns or for the
//! awards registry (`docs/specification.md` §3). The fixed fields' labels and aliases and
//! the tier words are the vocabulary's ([`crate::vocab`]); the scheme adds its own
//! fields' labels and aliases.

use std::collections::HashMap;

use crate::normalize::header_key;
use crate::scheme::{BallotSettings, Scheme};
use crate::vocab::words::{BALLOT_UNIT_HEADERS, SURVEY_METADATA_HEADERS};
use crate::vocab::{
    FixedField, AWARD_FIELDS, BALLOT_FIELDS, LEDGER_FIELDS, PANEL_FIELDS, RETURN_FIELDS,
};

// Re-exported so the importer's modules keep naming them from here.
pub use crate::vocab::{builtin_tier_words, parse_tier, Field};

impl Field {
    /// The field's Chinese name, for messages and headers: the vocabulary's label of a
    /// fixed field, the scheme's label of its own.
    pub fn label(self, scheme: &Scheme) -> String {
        match self {
            Field::Daily => scheme.daily_label.clone(),
            Field::Component(i) => scheme.components[i].label.clone(),
            Field::Veto(i) => scheme.vetoes[i].label.clone(),
            Field::Choice(i) => {
                let b = &scheme.ballots;
                match b.choices.get(i) {
                    Some((word, _)) => word.clone(),
                    None => b.not_counted[i - b.choices.len()].clone(),
                }
            }
            // A survey column's unit is named by its header, not by the scheme.
            Field::Unit(_) => "被测评单位".into(),
            Field::Answer => "测评结果".into(),
            Field::Ignored => "问卷信息".into(),
            f => f.fixed().expect("every other field is fixed").label.into(),
        }
    }
}

/// Header key → field, for one scheme (returns) or for the awards registry.
#[derive(Debug, Clone)]
pub struct AliasTable {
    map: HashMap<String, Field>,
}

impl AliasTable {
    /// Builds the table from the built-in aliases and the scheme's labels and aliases.
    pub fn new(scheme: &Scheme) -> AliasTable {
        let mut map = HashMap::new();
        insert_fixed(&mut map, RETURN_FIELDS.iter());
        let mut add = |text: &str, field: Field| {
            let k = header_key(text);
            if !k.is_empty() {
                map.insert(k, field);
            }
        };
        add(&scheme.daily_label, Field::Daily);
        for a in &scheme.daily_aliases {
            add(a, Field::Daily);
        }
        for (i, c) in scheme.components.iter().enumerate() {
            add(&c.label, Field::Component(i));
            add(&c.key, Field::Component(i));
            for a in &c.aliases {
                add(a, Field::Component(i));
            }
        }
        for (i, v) in scheme.vetoes.iter().enumerate() {
            add(&v.label, Field::Veto(i));
            for a in &v.aliases {
                add(a, Field::Veto(i));
            }
        }
        AliasTable { map }
    }

    /// The table of the awards registry (`docs/specification.md` §3): the agency fields of
    /// [`RETURN_FIELDS`] and the registry's own [`AWARD_FIELDS`]. Not tied to a scheme.
    pub fn for_awards() -> AliasTable {
        let mut map = HashMap::new();
        let agency = RETURN_FIELDS.iter().filter(|f| f.field.is_agency());
        insert_fixed(&mut map, agency.chain(AWARD_FIELDS));
        AliasTable { map }
    }

    /// The table of a ledger (`docs/specification.md` §10): the unit's name and USCC and
    /// the ledger's own [`LEDGER_FIELDS`]. Not tied to a scheme.
    pub fn for_ledger() -> AliasTable {
        let mut map = HashMap::new();
        let agency = RETURN_FIELDS
            .iter()
            .filter(|f| matches!(f.field, Field::Name | Field::Uscc));
        insert_fixed(&mut map, agency.chain(LEDGER_FIELDS));
        AliasTable { map }
    }

    /// The table of a panel's score sheet (`docs/specification.md` §8): the agency fields
    /// of [`RETURN_FIELDS`] and the long form's [`PANEL_FIELDS`]. Not tied to a scheme.
    pub fn for_panel() -> AliasTable {
        let mut map = HashMap::new();
        let agency = RETURN_FIELDS.iter().filter(|f| f.field.is_agency());
        insert_fixed(&mut map, agency.chain(PANEL_FIELDS));
        AliasTable { map }
    }

    /// The table of a ballot sheet (docs/specification.md §8): the unit's name (with the
    /// ballots' own words for it, [`BALLOT_UNIT_HEADERS`]) and USCC, the tally's 发放 and
    /// 回收 ([`BALLOT_FIELDS`]), each answer word of `[ballots]` ([`Field::Choice`]) and
    /// the columns a survey export adds ([`Field::Ignored`]). The fields win over the
    /// export's words where both name a header.
    pub fn for_ballots(settings: &BallotSettings) -> AliasTable {
        let mut map = HashMap::new();
        for h in SURVEY_METADATA_HEADERS {
            map.insert(header_key(h), Field::Ignored);
        }
        let agency = RETURN_FIELDS
            .iter()
            .filter(|f| matches!(f.field, Field::Name | Field::Uscc));
        insert_fixed(&mut map, agency.chain(BALLOT_FIELDS));
        for h in BALLOT_UNIT_HEADERS {
            map.insert(header_key(h), Field::Name);
        }
        let words = settings
            .choices
            .iter()
            .map(|(w, _)| w)
            .chain(&settings.not_counted);
        for (i, w) in words.enumerate() {
            let k = header_key(w);
            if !k.is_empty() {
                map.insert(k, Field::Choice(i));
            }
        }
        AliasTable { map }
    }

    /// The field a header text names, if any.
    pub fn lookup(&self, header: &str) -> Option<Field> {
        self.map.get(&header_key(header)).copied()
    }
}

/// Maps every header of the fixed fields to its field.
fn insert_fixed<'a>(
    map: &mut HashMap<String, Field>,
    fields: impl Iterator<Item = &'a FixedField>,
) {
    for f in fields {
        for h in f.headers() {
            map.insert(header_key(h), f.field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_to_fields() {
        let s = Scheme::default_scheme();
        let t = AliasTable::new(&s);
        let cases = [
            ("单位名称", Some(Field::Name)),
            ("机关名称", Some(Field::Name)),
            ("单位全称", Some(Field::Name)),
            ("申报单位", Some(Field::Name)),
            ("单位", Some(Field::Name)),
            ("社会信用代码", Some(Field::Uscc)),
            ("统一代码", Some(Field::Uscc)),
            ("级别", Some(Field::Tier)),
            ("所属层级", Some(Field::Tier)),
            ("行政区划", Some(Field::Region)),
            ("市县", Some(Field::Region)),
            ("单位性质", Some(Field::UnitType)),
            ("类别", Some(Field::UnitType)),
            ("信访投诉数", Some(Field::Complaints)),
            ("问题总数", Some(Field::ProblemsTotal)),
            ("已整改问题数", Some(Field::ProblemsFixed)),
            ("日常考核", Some(Field::Daily)),
            ("平时考核得分", Some(Field::Daily)),
            ("自评", Some(Field::Component(0))),
            ("个人自评得分", Some(Field::Component(0))),
            ("党员互评", Some(Field::Component(1))),
            ("组织考核", Some(Field::Component(2))),
            ("群众满意率", Some(Field::Component(3))),
            ("第三方", Some(Field::Component(4))),
            ("严重违纪违法", Some(Field::Veto(0))),
            ("意识形态工作责任制落实不力", Some(Field::Veto(1))),
            ("安全事故", Some(Field::Veto(2))),
            ("巡视巡察", Some(Field::Veto(3))),
            ("自评（分）", Some(Field::Component(0))),
            ("序号", None),
            ("备注", None),
        ];
        for (input, want) in cases {
            assert_eq!(t.lookup(input), want, "{input:?}");
        }
    }
}
