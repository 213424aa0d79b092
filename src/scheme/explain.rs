//! How the scheme computes a component mofan scores itself, in one sentence: the result
//! workbook's 说明, the 测评数据 screen and the scheme screen say it the same way.

use rust_decimal::Decimal;

use super::{Component, ComponentSource, Scheme};

impl Scheme {
    /// How `c`'s score is obtained when mofan computes it (`source = ballots | panel`):
    /// "由测评票计算：满意100分、基本满意80分、一般60分、不满意0分，得分 = 有效票分值之和 ÷
    /// 有效票数；不了解、不清楚和空白不计入有效票；有效票少于30张时缺少该项"; `None` for a
    /// component read from the returns.
    pub fn computation(&self, c: &Component) -> Option<String> {
        match c.source {
            ComponentSource::Return => None,
            ComponentSource::Ballots => {
                let b = &self.ballots;
                let choices = b
                    .choices
                    .iter()
                    .map(|(w, p)| format!("{w}{}分", plain(*p)))
                    .collect::<Vec<_>>()
                    .join("、");
                let mut skipped: Vec<&str> = b.not_counted.iter().map(String::as_str).collect();
                skipped.push("空白");
                let mut out = format!(
                    "由测评票计算：{choices}，得分 = 有效票分值之和 ÷ 有效票数；{}不计入有效票；\
                     有效票少于{}张时缺少该项",
                    join_and(&skipped),
                    b.min_valid
                );
                if b.min_return_rate > Decimal::ZERO {
                    out.push_str(&format!(
                        "；填有发放票数的单位，回收率低于{}%时缺少该项",
                        plain(b.min_return_rate * Decimal::ONE_HUNDRED)
                    ));
                }
                Some(out)
            }
            ComponentSource::Panel => {
                let p = self.panel;
                let how = if p.trim == 0 {
                    "各评委评分取平均".to_string()
                } else {
                    format!("去掉{}个最高分和{}个最低分后取平均", p.trim, p.trim)
                };
                Some(format!(
                    "由评委打分计算：{how}（回避的评委不计）；有效评分少于{}人时缺少该项",
                    p.min_judges
                ))
            }
        }
    }
}

fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// "甲" / "甲和乙" / "甲、乙和丙".
fn join_and(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_says_how_it_is_computed() {
        let mut s = Scheme::default_scheme();
        assert_eq!(s.computation(&s.components[3]), None);
        s.components[3].source = ComponentSource::Ballots;
        assert_eq!(
            s.computation(&s.components[3]).unwrap(),
            "由测评票计算：满意100分、基本满意80分、一般60分、不满意0分，得分 = 有效票分值之和 ÷ \
             有效票数；不了解、不清楚和空白不计入有效票；有效票少于30张时缺少该项"
        );
        s.ballots.min_return_rate = Decimal::new(8, 1);
        assert!(s
            .computation(&s.components[3])
            .unwrap()
            .ends_with("；填有发放票数的单位，回收率低于80%时缺少该项"));
        s.components[2].source = ComponentSource::Panel;
        assert_eq!(
            s.computation(&s.components[2]).unwrap(),
            "由评委打分计算：去掉1个最高分和1个最低分后取平均（回避的评委不计）；有效评分少于5人时缺少该项"
        );
        s.panel.trim = 0;
        assert!(s
            .computation(&s.components[2])
            .unwrap()
            .starts_with("由评委打分计算：各评委评分取平均"));
    }
}
