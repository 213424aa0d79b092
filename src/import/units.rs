//! The units of a campaign as files other than returns name them: ballots and panel score
//! sheets (docs/specification.md §8). Those files do not create agencies; they score the
//! agencies that have a current return in the campaign, so every unit they name must be
//! one of them. A name is matched as returns match names ([`crate::normalize::name_key`]:
//! width, brackets and white space ignored); a USCC, when given, decides.
//!
//! A name that matches nothing is an error naming it and the closest names of the campaign
//! (by edit distance over characters), so that a clerk who sees "广州市民政厅" learns that
//! "广州市民政局" was meant. A name two agencies share (the same name in two regions) must
//! be given with its USCC.

use std::collections::HashMap;
use std::fmt;

use rusqlite::Connection;

use crate::normalize::{closest_names, name_key};
use crate::store::returns::{self as return_store, CampaignUnit};
use crate::uscc;

/// How many close names a "not a unit of the campaign" message offers.
const CLOSEST: usize = 3;

/// The separators between a question stem and the unit it asks about, in survey exports
/// ("3、请您对以下单位的工作作出评价—广州市民政局").
const STEM_SEPARATORS: [char; 7] = ['—', '–', '-', '－', '：', ':', '─'];

/// Why a name or USCC names no single unit of the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitMiss {
    /// No unit has this name; the closest names follow.
    UnknownName {
        /// The name as written.
        name: String,
        /// Up to three names of the campaign closest to it.
        closest: Vec<String>,
    },
    /// The campaign has no unit yet (no return imported), so no name can match.
    NoUnits {
        /// The name as written.
        name: String,
    },
    /// No unit of the campaign has this USCC.
    UnknownUscc {
        /// The USCC as written.
        uscc: String,
    },
    /// The USCC is not valid (GB 32100-2015).
    BadUscc {
        /// The USCC as written.
        uscc: String,
        /// Why it is not valid.
        why: String,
    },
    /// Two or more units have this name: the USCC must say which.
    Ambiguous {
        /// The name as written.
        name: String,
        /// The regions of the units sharing it.
        regions: Vec<String>,
    },
    /// The USCC names one unit and the name another.
    Conflict {
        /// The name as written.
        name: String,
        /// The USCC as written.
        uscc: String,
        /// The name of the unit the USCC belongs to.
        uscc_name: String,
    },
    /// Neither a name nor a USCC.
    Nothing,
}

impl fmt::Display for UnitMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitMiss::NoUnits { name } => {
                write!(
                    f,
                    "“{name}”不是本年度的参评单位（本年度还没有申报数据，请先导入申报表）"
                )
            }
            UnitMiss::UnknownName { name, closest } if closest.is_empty() => {
                write!(f, "“{name}”不是本年度的参评单位，也没有相近的单位名称")
            }
            UnitMiss::UnknownName { name, closest } => write!(
                f,
                "“{name}”不是本年度的参评单位；最接近的单位：{}",
                closest.join("、")
            ),
            UnitMiss::UnknownUscc { uscc } => {
                write!(f, "统一社会信用代码“{uscc}”不是本年度任何参评单位的代码")
            }
            UnitMiss::BadUscc { uscc, why } => {
                write!(f, "统一社会信用代码“{uscc}”有误：{why}")
            }
            UnitMiss::Ambiguous { name, regions } => write!(
                f,
                "“{name}”有{}家同名参评单位（{}），请填写统一社会信用代码以区分",
                regions.len(),
                regions.join("、")
            ),
            UnitMiss::Conflict {
                name,
                uscc,
                uscc_name,
            } => write!(
                f,
                "单位名称“{name}”与统一社会信用代码“{uscc}”不符：该代码是“{uscc_name}”的代码"
            ),
            UnitMiss::Nothing => f.write_str("没有填写单位名称或统一社会信用代码"),
        }
    }
}

/// The agencies with a current return in one campaign, indexed by USCC and name key.
#[derive(Debug, Clone, Default)]
pub struct CampaignUnits {
    units: Vec<CampaignUnit>,
    by_uscc: HashMap<String, usize>,
    by_key: HashMap<String, Vec<usize>>,
}

impl CampaignUnits {
    /// The units of campaign `year` from the store.
    pub fn load(conn: &Connection, year: i32) -> rusqlite::Result<CampaignUnits> {
        Ok(CampaignUnits::new(return_store::current_units(conn, year)?))
    }

    /// Indexes these units.
    pub fn new(units: Vec<CampaignUnit>) -> CampaignUnits {
        let mut by_uscc = HashMap::new();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(code) = &u.uscc {
                by_uscc.insert(code.clone(), i);
            }
            by_key.entry(name_key(&u.name)).or_default().push(i);
        }
        CampaignUnits {
            units,
            by_uscc,
            by_key,
        }
    }

    /// Whether the campaign has no unit yet (no returns imported).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Every unit, in agency order.
    pub fn all(&self) -> &[CampaignUnit] {
        &self.units
    }

    /// The unit with this agency id.
    pub fn by_id(&self, agency_id: i64) -> Option<&CampaignUnit> {
        self.units.iter().find(|u| u.agency_id == agency_id)
    }

    /// The unit a row names by its name and/or USCC (blank ones are `None`).
    pub fn find(&self, name: Option<&str>, code: Option<&str>) -> Result<&CampaignUnit, UnitMiss> {
        let name = name.map(str::trim).filter(|s| !s.is_empty());
        let code = code.map(str::trim).filter(|s| !s.is_empty());
        let by_code = match code {
            Some(raw) => {
                let normal = uscc::validate(raw).map_err(|e| UnitMiss::BadUscc {
                    uscc: raw.to_string(),
                    why: e.to_string(),
                })?;
                match self.by_uscc.get(&normal) {
                    Some(&i) => Some(&self.units[i]),
                    None => {
                        return Err(UnitMiss::UnknownUscc {
                            uscc: raw.to_string(),
                        })
                    }
                }
            }
            None => None,
        };
        match (name, by_code) {
            (None, Some(u)) => Ok(u),
            (None, None) => Err(UnitMiss::Nothing),
            (Some(n), Some(u)) => {
                if name_key(n) == name_key(&u.name) {
                    Ok(u)
                } else {
                    Err(UnitMiss::Conflict {
                        name: n.to_string(),
                        uscc: code.unwrap_or_default().to_string(),
                        uscc_name: u.name.clone(),
                    })
                }
            }
            (Some(n), None) => self.by_name(n),
        }
    }

    /// The unit with this name (no USCC to help).
    pub fn by_name(&self, name: &str) -> Result<&CampaignUnit, UnitMiss> {
        match self.by_key.get(&name_key(name)).map(Vec::as_slice) {
            Some([i]) => Ok(&self.units[*i]),
            Some(many) if !many.is_empty() => Err(UnitMiss::Ambiguous {
                name: name.trim().to_string(),
                regions: many
                    .iter()
                    .map(|i| {
                        self.units[*i]
                            .region
                            .clone()
                            .unwrap_or_else(|| "省直".to_string())
                    })
                    .collect(),
            }),
            _ if self.units.is_empty() => Err(UnitMiss::NoUnits {
                name: name.trim().to_string(),
            }),
            _ => Err(UnitMiss::UnknownName {
                name: name.trim().to_string(),
                closest: self.closest(name),
            }),
        }
    }

    /// The unit a survey column's header asks about: the whole header is its name, or the
    /// name follows a question stem and a separator ("…作出评价—广州市民政局"), or stands
    /// in brackets at the end ("…评价（广州市民政局）"). `None` when no reading of the
    /// header names exactly one unit; [`CampaignUnits::header_miss`] then says why.
    pub fn in_header(&self, header: &str) -> Option<&CampaignUnit> {
        header_candidates(header)
            .into_iter()
            .find_map(|c| self.only_by_name(&c))
    }

    /// The one unit with this name, as [`CampaignUnits::by_name`] finds it, without its
    /// miss: a survey header's first readings (the whole header) name no unit, and
    /// building that miss computed the closest names by edit distance against every unit
    /// of the campaign, only to drop them (for 200 columns of 200 units, 6% of the
    /// instructions of the whole import).
    fn only_by_name(&self, name: &str) -> Option<&CampaignUnit> {
        match self.by_key.get(&name_key(name)).map(Vec::as_slice) {
            Some([i]) => Some(&self.units[*i]),
            _ => None,
        }
    }

    /// Why a header names no unit, for its error: the miss of its most specific reading
    /// (the text after the stem, or in the brackets).
    pub fn header_miss(&self, header: &str) -> UnitMiss {
        let candidates = header_candidates(header);
        let last = candidates
            .last()
            .cloned()
            .unwrap_or_else(|| header.trim().to_string());
        match self.by_name(&last) {
            Err(miss) => miss,
            Ok(_) => UnitMiss::UnknownName {
                name: header.trim().to_string(),
                closest: self.closest(header),
            },
        }
    }

    /// Up to three names of the campaign closest to `name`, closest first (ties in
    /// agency order); none further than half the name's length
    /// ([`crate::normalize::closest_names`]).
    pub fn closest(&self, name: &str) -> Vec<String> {
        closest_names(name, self.units.iter().map(|u| u.name.as_str()), CLOSEST)
    }
}

/// The readings of a survey header that may name a unit, least specific first: the whole
/// header, the text after the last stem separator, the text in the closing brackets.
fn header_candidates(header: &str) -> Vec<String> {
    let h = header.trim();
    let mut out = vec![h.to_string()];
    if let Some(at) = h.rfind(STEM_SEPARATORS) {
        let sep_len = h[at..].chars().next().map_or(1, char::len_utf8);
        let tail = h[at + sep_len..].trim();
        if !tail.is_empty() {
            out.push(tail.to_string());
        }
    }
    let normal = crate::normalize::agency_name(h);
    if let Some(body) = normal.strip_suffix('）') {
        if let Some(open) = body.rfind('（') {
            let inner = body[open + '（'.len_utf8()..].trim();
            if !inner.is_empty() {
                out.push(inner.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, name: &str, uscc: Option<&str>, region: Option<&str>) -> CampaignUnit {
        CampaignUnit {
            agency_id: id,
            name: name.to_string(),
            uscc: uscc.map(str::to_string),
            region: region.map(str::to_string),
        }
    }

    /// A valid USCC (its check character computed).
    fn code() -> String {
        uscc::with_check_digit("11440100006919079").expect("a 17-character body")
    }

    fn units() -> CampaignUnits {
        let code = code();
        CampaignUnits::new(vec![
            unit(1, "广州市民政局", Some(&code), Some("广州市")),
            unit(2, "广州市财政局", None, Some("广州市")),
            unit(3, "统计局", None, Some("广州市天河区")),
            unit(4, "统计局", None, Some("广州市越秀区")),
            unit(5, "中共广州市委组织部（市公务员局）", None, Some("广州市")),
        ])
    }

    #[test]
    fn names_match_as_returns_do() {
        let u = units();
        assert_eq!(
            u.find(Some(" 广州市 财政局 "), None).map(|x| x.agency_id),
            Ok(2)
        );
        assert_eq!(
            u.find(Some("中共广州市委组织部(市公务员局)"), None)
                .map(|x| x.agency_id),
            Ok(5)
        );
    }

    #[test]
    fn a_uscc_decides_and_must_agree_with_the_name() {
        let u = units();
        let code = code();
        assert_eq!(u.find(None, Some(&code)).map(|x| x.agency_id), Ok(1));
        assert_eq!(
            u.find(Some("广州市民政局"), Some(&code.to_lowercase()))
                .map(|x| x.agency_id),
            Ok(1)
        );
        let miss = u.find(Some("广州市财政局"), Some(&code)).unwrap_err();
        assert!(matches!(miss, UnitMiss::Conflict { .. }), "{miss:?}");
        assert!(miss.to_string().contains("该代码是“广州市民政局”的代码"));
        assert!(matches!(
            u.find(None, Some("91440101MA5ANXXX0X")),
            Err(UnitMiss::BadUscc { .. })
        ));
        assert_eq!(u.find(None, None), Err(UnitMiss::Nothing));
    }

    #[test]
    fn an_unknown_name_offers_the_closest() {
        let miss = units().find(Some("广州市民政厅"), None).unwrap_err();
        assert_eq!(
            miss.to_string(),
            "“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局、广州市财政局"
        );
        let far = units().find(Some("完全不同的名字"), None).unwrap_err();
        assert_eq!(
            far,
            UnitMiss::UnknownName {
                name: "完全不同的名字".to_string(),
                closest: vec![]
            }
        );
    }

    #[test]
    fn a_shared_name_needs_its_uscc() {
        let miss = units().find(Some("统计局"), None).unwrap_err();
        assert_eq!(
            miss.to_string(),
            "“统计局”有2家同名参评单位（广州市天河区、广州市越秀区），请填写统一社会信用代码以区分"
        );
    }

    #[test]
    fn survey_headers_name_their_unit_after_a_stem_or_in_brackets() {
        let u = units();
        for (header, id) in [
            ("广州市民政局", 1),
            ("3、请您对以下单位的工作作出评价—广州市民政局", 1),
            ("3、请您对以下单位的工作作出评价 - 广州市财政局", 2),
            ("请评价：广州市财政局", 2),
            ("3.请对下列单位作出评价（广州市民政局）", 1),
            ("3.请对下列单位作出评价(广州市财政局)", 2),
            ("中共广州市委组织部（市公务员局）", 5),
        ] {
            assert_eq!(
                u.in_header(header).map(|x| x.agency_id),
                Some(id),
                "{header}"
            );
        }
        assert_eq!(u.in_header("3、请您评价—广州市民政厅"), None);
        assert!(u
            .header_miss("3、请您评价—广州市民政厅")
            .to_string()
            .starts_with("“广州市民政厅”不是本年度的参评单位；最接近的单位：广州市民政局"));
    }

    #[test]
    fn without_returns_every_name_is_unknown_and_says_why() {
        let empty = CampaignUnits::new(Vec::new());
        assert!(empty.is_empty());
        assert!(empty
            .find(Some("广州市民政局"), None)
            .unwrap_err()
            .to_string()
            .contains("请先导入申报表"));
    }
}
