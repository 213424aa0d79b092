//! The result book in words, for people: pool names, the book's title, times, and the
//! scheme's rules as sentences for the 说明 sheet.

use chrono::DateTime;
use rust_decimal::Decimal;

use crate::scheme::{GroupBy, MissingPolicy, QuotaBase, QuotaRule, QuotaSize, Rounding, Scheme};

/// A pool's name for people: the selection's one labelling of pools.
pub use crate::select::quota::pool_label;

/// The workbook's title: "2026年度模范机关评选" → "2026年度模范机关评选结果".
pub(super) fn book_title(campaign: &str) -> String {
    if campaign.ends_with("评选") {
        format!("{campaign}结果")
    } else {
        format!("{campaign}评选结果")
    }
}

/// "2026-12-01T10:00:00+08:00" → "2026-12-01 10:00:00"; anything else as given.
pub(super) fn display_time(s: &str) -> String {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// A share as a percentage: 0.3 → "30%", 0.125 → "12.5%".
pub(super) fn percent(d: Decimal) -> String {
    format!("{}%", (d * Decimal::ONE_HUNDRED).normalize())
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

pub(super) fn thresholds(s: &Scheme) -> String {
    let mut parts = Vec::new();
    if let Some(m) = s.thresholds.composite_min {
        parts.push(format!("综合得分不低于{}分", plain(m)));
    }
    for (key, min) in &s.thresholds.components {
        let label = s.component(key).map_or(key.as_str(), |c| c.label.as_str());
        parts.push(format!("{label}不低于{}分", plain(*min)));
    }
    if parts.is_empty() {
        "无分数门槛".to_string()
    } else {
        parts.join("；")
    }
}

pub(super) fn missing_policy(s: &Scheme) -> String {
    let mut t = match s.missing {
        MissingPolicy::Ineligible => "缺少任一分项得分即不符合条件".to_string(),
        MissingPolicy::Reweight => "缺少分项时，按已有分项的权重重新折算年度考核得分".to_string(),
    };
    if !s.daily_share.is_zero() {
        t.push_str(&format!(
            "；缺少{}时无法计算综合得分，不符合条件",
            s.daily_label
        ));
    }
    t
}

/// A quota rule in words.
pub(super) fn quota_words(q: &QuotaRule) -> String {
    let types = if q.unit_types.iter().any(|t| t == "*") {
        "全部单位类型".to_string()
    } else {
        q.unit_types.join("、")
    };
    let (group, each) = match q.group_by.as_slice() {
        [] => ("作为一组".to_string(), ""),
        keys => (
            format!(
                "按{}分组",
                keys.iter()
                    .map(|g| match g {
                        GroupBy::Region => "地区",
                        GroupBy::UnitType => "单位类型",
                    })
                    .collect::<Vec<_>>()
                    .join("和")
            ),
            "每组",
        ),
    };
    let size = match q.size {
        QuotaSize::Count(n) => format!("{each}名额{n}个"),
        QuotaSize::Percent(p) => {
            let base = match q.base {
                QuotaBase::Declared => "申报单位数（不含已命名单位）",
                QuotaBase::Eligible => "符合条件单位数",
            };
            let rounding = match q.rounding {
                Rounding::Floor => "向下取整",
                Rounding::Round => "四舍五入",
                Rounding::Ceil => "向上取整",
            };
            format!("{each}名额为{base}的{}%，{rounding}", plain(p))
        }
    };
    let mut t = format!("{}（{types}）：{group}，{size}", q.tier.label());
    if let Some(m) = q.min {
        t.push_str(&format!("，至少{m}个"));
    }
    if let Some(m) = q.max {
        t.push_str(&format!("，至多{m}个"));
    }
    t
}

pub(super) fn tie_break_words(s: &Scheme) -> String {
    let keys: Vec<&str> = s
        .tie_break
        .iter()
        .map(|k| match k.as_str() {
            "daily" => s.daily_label.as_str(),
            "annual" => "年度考核得分",
            other => s.component(other).map_or(other, |c| c.label.as_str()),
        })
        .collect();
    let then = if keys.is_empty() {
        String::new()
    } else {
        format!("，相同时依次比较{}（高者在前）", keys.join("、"))
    };
    format!(
        "各组内符合条件的单位按综合得分从高到低排名{then}；全部相同者名次相同（1、2、2、4），\
         不作任意取舍。按名次依次入选，一组并列单位在名额内全部入选，跨越最后名额时为并列待定"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn book_titles_do_not_repeat_the_word() {
        assert_eq!(
            book_title("2026年度模范机关评选"),
            "2026年度模范机关评选结果"
        );
        assert_eq!(book_title("模范机关"), "模范机关评选结果");
    }

    #[test]
    fn quota_rules_read_as_sentences() {
        let s = Scheme::default_scheme();
        let words: Vec<String> = s.quotas.iter().map(quota_words).collect();
        assert_eq!(
            words,
            [
                "省直（全部单位类型）：按单位类型分组，每组名额为申报单位数（不含已命名单位）的15%，向下取整，至少1个",
                "市级（全部单位类型）：按地区分组，每组名额为申报单位数（不含已命名单位）的15%，向下取整，至少1个，至多8个",
                "县级（全部单位类型）：按地区分组，每组名额2个",
            ]
        );
        let mut one = s.quotas[2].clone();
        one.group_by.clear();
        one.unit_types = vec!["党群机关".into(), "政府机关".into()];
        assert_eq!(
            quota_words(&one),
            "县级（党群机关、政府机关）：作为一组，名额2个"
        );
        assert_eq!(percent(d("0.3")), "30%");
        assert_eq!(percent(d("0.125")), "12.5%");
        assert_eq!(
            display_time("2026-12-01T10:00:00+08:00"),
            "2026-12-01 10:00:00"
        );
        assert_eq!(display_time("不是时间"), "不是时间");
    }
}
