//! Alias tables: which header names which field, and the tier words (domain.md §2–§3).

use std::collections::HashMap;

use crate::normalize::{fold_width, header_key, is_space};
use crate::scheme::{Scheme, Tier};

/// Built-in header aliases of the fixed fields, by field name.
pub const BUILTIN_FIELD_ALIASES: &[(&str, &[&str])] = &[
    (
        "name",
        &["单位名称", "机关名称", "单位全称", "申报单位", "单位"],
    ),
    (
        "uscc",
        &["统一社会信用代码", "社会信用代码", "信用代码", "统一代码"],
    ),
    ("tier", &["层级", "级别", "单位层级", "所属层级"]),
    (
        "region",
        &["所属地区", "地区", "所在地区", "市县", "行政区划"],
    ),
    (
        "unit_type",
        &["单位类型", "单位性质", "机关类型", "单位类别", "类别"],
    ),
    (
        "complaints",
        &["群众反映问题数", "信访投诉数", "投诉举报数"],
    ),
    ("problems_total", &["问题清单数", "问题总数", "问题数"]),
    (
        "problems_fixed",
        &["已整改数", "整改完成数", "已整改问题数"],
    ),
];

/// A field of a return, or of an awards registry row, that a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 单位名称
    Name,
    /// 统一社会信用代码
    Uscc,
    /// 层级
    Tier,
    /// 所属地区
    Region,
    /// 单位类型
    UnitType,
    /// 群众反映问题数
    Complaints,
    /// 问题清单数
    ProblemsTotal,
    /// 已整改数
    ProblemsFixed,
    /// 日常考核
    Daily,
    /// The scheme's component at this index.
    Component(usize),
    /// The scheme's veto at this index.
    Veto(usize),
    /// 命名年度 (awards registry).
    Year,
    /// 称号 (awards registry).
    Title,
    /// 文号 (awards registry).
    DocNumber,
    /// 状态 (awards registry).
    Status,
    /// 最近复查年度 (awards registry).
    LastReviewYear,
    /// 整改期限 (awards registry).
    RectifyDeadline,
    /// 撤销年度 (awards registry).
    RevokedYear,
}

impl Field {
    fn builtin(name: &str) -> Option<Field> {
        Some(match name {
            "name" => Field::Name,
            "uscc" => Field::Uscc,
            "tier" => Field::Tier,
            "region" => Field::Region,
            "unit_type" => Field::UnitType,
            "complaints" => Field::Complaints,
            "problems_total" => Field::ProblemsTotal,
            "problems_fixed" => Field::ProblemsFixed,
            _ => return None,
        })
    }

    /// The field's Chinese name, for messages.
    pub fn label(self, scheme: &Scheme) -> String {
        match self {
            Field::Name => "单位名称".into(),
            Field::Uscc => "统一社会信用代码".into(),
            Field::Tier => "层级".into(),
            Field::Region => "所属地区".into(),
            Field::UnitType => "单位类型".into(),
            Field::Complaints => "群众反映问题数".into(),
            Field::ProblemsTotal => "问题清单数".into(),
            Field::ProblemsFixed => "已整改数".into(),
            Field::Daily => scheme.daily_label.clone(),
            Field::Component(i) => scheme.components[i].label.clone(),
            Field::Veto(i) => scheme.vetoes[i].label.clone(),
            Field::Year => "命名年度".into(),
            Field::Title => "称号".into(),
            Field::DocNumber => "文号".into(),
            Field::Status => "状态".into(),
            Field::LastReviewYear => "最近复查年度".into(),
            Field::RectifyDeadline => "整改期限".into(),
            Field::RevokedYear => "撤销年度".into(),
        }
    }
}

/// Header aliases of the awards registry's own columns; its agency columns (name, USCC,
/// tier, region, unit type) use the same aliases as returns.
pub const AWARD_FIELD_ALIASES: &[(Field, &[&str])] = &[
    (Field::Year, &["命名年度", "命名年份", "年度"]),
    (Field::Title, &["称号", "荣誉称号", "命名称号"]),
    (Field::DocNumber, &["文号", "命名文号", "发文字号"]),
    (Field::Status, &["状态", "称号状态", "命名状态"]),
    (
        Field::LastReviewYear,
        &["最近复查年度", "复查年度", "最近复查年份"],
    ),
    (
        Field::RectifyDeadline,
        &["整改期限", "整改截止日期", "整改截止时间"],
    ),
    (Field::RevokedYear, &["撤销年度", "撤销年份", "摘牌年度"]),
];

/// Header key → field, for one scheme (returns) or for the awards registry.
#[derive(Debug, Clone)]
pub struct AliasTable {
    map: HashMap<String, Field>,
}

impl AliasTable {
    /// Builds the table from the built-in aliases and the scheme's labels and aliases.
    pub fn new(scheme: &Scheme) -> AliasTable {
        let mut map = HashMap::new();
        for (name, aliases) in BUILTIN_FIELD_ALIASES {
            let field = Field::builtin(name).expect("built-in field name");
            for a in *aliases {
                map.insert(header_key(a), field);
            }
        }
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

    /// The table of the awards registry (domain.md §5): the agency columns of
    /// [`BUILTIN_FIELD_ALIASES`] and [`AWARD_FIELD_ALIASES`]. Not tied to a scheme.
    pub fn for_awards() -> AliasTable {
        let agency = [
            Field::Name,
            Field::Uscc,
            Field::Tier,
            Field::Region,
            Field::UnitType,
        ];
        let mut map = HashMap::new();
        for (name, aliases) in BUILTIN_FIELD_ALIASES {
            let field = Field::builtin(name).expect("built-in field name");
            if agency.contains(&field) {
                for a in *aliases {
                    map.insert(header_key(a), field);
                }
            }
        }
        for (field, aliases) in AWARD_FIELD_ALIASES {
            for a in *aliases {
                map.insert(header_key(a), *field);
            }
        }
        AliasTable { map }
    }

    /// The field a header text names, if any.
    pub fn lookup(&self, header: &str) -> Option<Field> {
        self.map.get(&header_key(header)).copied()
    }
}

/// Normalises a tier word for comparison: width folded, no spaces, ASCII brackets.
pub(crate) fn tier_key(s: &str) -> String {
    fold_width(s)
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Tier words, compared by [`tier_key`] (full-width brackets and commas, spaces and ASCII
/// case do not matter). No word may stand under two tiers (checked by a test).
const TIER_WORDS: &[(Tier, &[&str])] = &[
    (
        Tier::Province,
        &[
            "province",
            "省级",
            "省直",
            "省直机关",
            "省直单位",
            "省直属",
            "省直属机关",
            "省直属单位",
            "省级机关",
            "省级单位",
        ],
    ),
    (
        Tier::City,
        &[
            "city",
            "市级",
            "市直",
            "地市",
            "地市级",
            "市直机关",
            "市直单位",
            "市直属",
            "市直属机关",
            "市直属单位",
            "市级机关",
            "市级单位",
        ],
    ),
    (
        Tier::County,
        &[
            "county",
            "县级",
            "县直",
            "区县",
            "县区",
            "县(市、区)",
            "县(市,区)",
            "县(区)",
            "县(市)",
            "县直机关",
            "县直单位",
            "县直属",
            "县直属机关",
            "县直属单位",
            "县级机关",
            "县级单位",
            "区县级",
            "县区级",
            "县(区)级",
            "县(市)级",
            "县(市、区)级",
            // Districts (区) are county-level: 区直 is a district's own agencies.
            "区级",
            "区直",
            "区直机关",
            "区直单位",
            "区直属",
            "区直属机关",
            "区直属单位",
            "区级机关",
            "区级单位",
            "县(市)直",
            "县市直",
            "县(区)直",
            "县区直",
            "区县直",
            "县(市、区)直",
            "县(市,区)直",
        ],
    ),
];

/// The built-in tier words, as written (the scheme's `[tier_aliases]` add to them).
pub fn builtin_tier_words() -> impl Iterator<Item = (Tier, &'static str)> {
    TIER_WORDS
        .iter()
        .flat_map(|(t, words)| words.iter().map(move |w| (*t, *w)))
}

/// Every tier word in its normalised form.
static TIER_KEYS: std::sync::LazyLock<HashMap<String, Tier>> = std::sync::LazyLock::new(|| {
    builtin_tier_words()
        .map(|(t, w)| (tier_key(w), t))
        .collect()
});

/// Reads a tier from its code or any built-in Chinese alias ([`Scheme::tier_of`] also
/// knows the scheme's own words).
pub fn parse_tier(s: &str) -> Option<Tier> {
    TIER_KEYS.get(&tier_key(s)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(TIER_KEYS.len(), words.len(), "a tier word is listed twice");
        for (tier, word) in words {
            assert_eq!(parse_tier(word), Some(tier), "{word}");
        }
    }

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
