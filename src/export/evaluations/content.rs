//! What the two signed-sheet workbooks contain, from the computed results of
//! [`crate::evaluate`]: one [`SignedSheet`] per component, values only.

use rust_decimal::Decimal;

use super::{BookKind, Cell, Column, EvaluationBook, Kind, SignedSheet};
use crate::evaluate::ballots::{ComponentBallots, UnitBallots};
use crate::evaluate::panel::{ComponentScores, UnitScore};
use crate::scheme::Scheme;
use crate::vocab::words::PANEL_RECUSED;

/// The signatures under a 测评汇总表: who organised the survey, who counted, who watched.
const BALLOT_SIGNATURES: [&str; 4] = ["测评组织单位（盖章）", "统计人", "监督人", "日期"];

/// The column of a unit's number in the sheet.
const NUMBER: &str = "序号";

fn column(header: &str, kind: Kind) -> Column {
    Column {
        header: header.to_string(),
        kind,
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Blank, text)
}

fn count(n: i64) -> Cell {
    Cell::Number(Decimal::from(n))
}

fn opt_count(n: Option<i64>) -> Cell {
    n.map_or(Cell::Blank, count)
}

fn opt_number(d: Option<Decimal>) -> Cell {
    d.map_or(Cell::Blank, Cell::Number)
}

/// A sheet name Excel accepts, unique in the workbook: the label without Excel's
/// forbidden characters, at most 31 characters, "（2）" added to a repeated one.
fn sheet_name(label: &str, taken: &[SignedSheet]) -> String {
    let clean: String = label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base = if clean.is_empty() { "考核项" } else { clean };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("（{n}）")
        };
        let keep = 31 - suffix.chars().count();
        let name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        if !taken.iter().any(|s| s.name == name) {
            return name;
        }
        n += 1;
    }
}

/// The facts above every sheet: the campaign, the component and its counting rule.
fn facts(
    campaign: &str,
    scheme: &Scheme,
    key: &str,
    label: &str,
    files: Vec<(String, String)>,
    generated: &str,
) -> Vec<(String, String)> {
    let mut out = vec![
        ("评选".to_string(), campaign.to_string()),
        ("考核项".to_string(), format!("{label}（{key}）")),
    ];
    if let Some(how) = scheme.component(key).and_then(|c| scheme.computation(c)) {
        out.push(("计分规则".to_string(), how));
    }
    if files.is_empty() {
        out.push(("输入文件".to_string(), "（无）".to_string()));
    }
    for (name, sha256) in files {
        out.push(("输入文件".to_string(), format!("{name}\nSHA-256 {sha256}")));
    }
    out.push(("生成时间".to_string(), display_time(generated)));
    out
}

/// "2026-12-01T10:00:00+08:00" → "2026-12-01 10:00:00"; anything else as given.
fn display_time(s: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| s.to_string())
}

/// The 测评汇总表 of every ballots component, in scheme order.
pub fn ballot_sheets(
    campaign: &str,
    scheme: &Scheme,
    components: &[ComponentBallots],
    generated_at: &str,
) -> EvaluationBook {
    let mut sheets: Vec<SignedSheet> = Vec::new();
    for c in components {
        let files = c
            .files
            .iter()
            .map(|f| (f.file_name.clone(), f.sha256.clone()))
            .collect();
        let sheet = ballot_sheet(campaign, scheme, c, files, generated_at, &sheets);
        sheets.push(sheet);
    }
    EvaluationBook {
        kind: BookKind::Ballots,
        campaign: campaign.to_string(),
        generated_at: generated_at.to_string(),
        sheets,
    }
}

fn ballot_sheet(
    campaign: &str,
    scheme: &Scheme,
    c: &ComponentBallots,
    files: Vec<(String, String)>,
    generated_at: &str,
    taken: &[SignedSheet],
) -> SignedSheet {
    let choices: Vec<&str> = scheme
        .ballots
        .choices
        .iter()
        .map(|(w, _)| w.as_str())
        .collect();
    let mut columns = vec![
        column(NUMBER, Kind::Count),
        column("单位名称", Kind::Text),
        column("统一社会信用代码", Kind::Text),
    ];
    columns.extend(choices.iter().map(|w| column(w, Kind::Count)));
    let not_counted = if scheme.ballots.not_counted.is_empty() {
        "不计入".to_string()
    } else {
        format!("不计入（{}）", scheme.ballots.not_counted.join("、"))
    };
    columns.extend([
        column(&not_counted, Kind::Count),
        column("有效票", Kind::Count),
        column("发放", Kind::Count),
        column("回收", Kind::Count),
        column("回收率", Kind::Percent),
        column("得分", Kind::Score),
        column("缺分原因", Kind::Wrap),
    ]);
    let rows = c
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| ballot_row(i, u, &choices))
        .collect();
    SignedSheet {
        name: sheet_name(&c.label, taken),
        title: format!("{campaign} {}{}", c.label, BookKind::Ballots.title()),
        facts: facts(campaign, scheme, &c.key, &c.label, files, generated_at),
        columns,
        rows,
        total: Some(ballot_total(&c.units, &choices)),
        signatures: BALLOT_SIGNATURES.iter().map(|s| s.to_string()).collect(),
    }
}

/// A unit's count of `word` (0 when the scheme's word is not among its counts).
fn word_count(u: &UnitBallots, word: &str) -> i64 {
    u.result
        .counts
        .iter()
        .find(|(w, _)| w == word)
        .map_or(0, |(_, n)| *n)
}

fn ballot_row(i: usize, u: &UnitBallots, choices: &[&str]) -> Vec<Cell> {
    let r = &u.result;
    let mut row = vec![
        count(i as i64 + 1),
        text(&u.name),
        opt_text(u.uscc.as_deref()),
    ];
    row.extend(choices.iter().map(|w| count(word_count(u, w))));
    row.extend([
        count(r.not_counted),
        count(r.valid),
        opt_count(r.issued),
        opt_count(r.returned),
        opt_number(r.return_rate.map(rate)),
        opt_number(r.score),
        opt_text(r.reason.as_deref()),
    ]);
    row
}

/// The totals: every count summed; 发放 and 回收 over the units that give both, and their
/// rate from those sums (the same rule as a unit's rate).
fn ballot_total(units: &[UnitBallots], choices: &[&str]) -> Vec<Cell> {
    let sum = |f: &dyn Fn(&UnitBallots) -> i64| units.iter().map(f).sum::<i64>();
    let mut row = vec![text("合计"), Cell::Blank, Cell::Blank];
    row.extend(choices.iter().map(|w| count(sum(&|u| word_count(u, w)))));
    let both: Vec<(i64, i64)> = units
        .iter()
        .filter_map(|u| Some((u.result.issued?, u.result.returned?)))
        .collect();
    let (issued, returned) = both
        .iter()
        .fold((0i64, 0i64), |(a, b), (i, r)| (a + i, b + r));
    let any = !both.is_empty();
    row.extend([
        count(sum(&|u| u.result.not_counted)),
        count(sum(&|u| u.result.valid)),
        if any { count(issued) } else { Cell::Blank },
        if any { count(returned) } else { Cell::Blank },
        if any && issued > 0 {
            Cell::Number(rate(Decimal::from(returned) / Decimal::from(issued)))
        } else {
            Cell::Blank
        },
        Cell::Blank,
        Cell::Blank,
    ]);
    row
}

/// A return rate as shown: a percentage with two places, rounded half away from zero as
/// the reasons word it ("回收率66.67%"), so that the cell and the reason agree.
fn rate(r: Decimal) -> Decimal {
    r.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// The 评委评分汇总表 of every panel component, in scheme order.
pub fn panel_sheets(
    campaign: &str,
    scheme: &Scheme,
    components: &[ComponentScores],
    generated_at: &str,
) -> EvaluationBook {
    let mut sheets: Vec<SignedSheet> = Vec::new();
    for c in components {
        let sheet = panel_sheet(campaign, scheme, c, generated_at, &sheets);
        sheets.push(sheet);
    }
    EvaluationBook {
        kind: BookKind::Panel,
        campaign: campaign.to_string(),
        generated_at: generated_at.to_string(),
        sheets,
    }
}

/// Every judge of a component, in judge order: as the units list them (the file imported
/// earlier first, then the column further left), each judge once.
fn judges(c: &ComponentScores) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for u in &c.units {
        for s in &u.scores {
            if !out.contains(&s.judge.as_str()) {
                out.push(&s.judge);
            }
        }
    }
    out
}

fn panel_sheet(
    campaign: &str,
    scheme: &Scheme,
    c: &ComponentScores,
    generated_at: &str,
    taken: &[SignedSheet],
) -> SignedSheet {
    let judges = judges(c);
    let mut columns = vec![
        column(NUMBER, Kind::Count),
        column("单位名称", Kind::Text),
        column("统一社会信用代码", Kind::Text),
    ];
    columns.extend(judges.iter().map(|j| column(j, Kind::Given)));
    columns.extend([
        column("有效评分数", Kind::Count),
        column("去掉的分数", Kind::Wrap),
        column("得分", Kind::Score),
        column("缺分原因", Kind::Wrap),
    ]);
    let trim = c.settings.trim as usize;
    let rows = c
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| panel_row(i, u, &judges, trim))
        .collect();
    let files = c
        .files
        .iter()
        .map(|f| (f.name.clone(), f.sha256.clone()))
        .collect();
    let mut signatures: Vec<String> = judges.iter().map(|j| format!("评委签字：{j}")).collect();
    signatures.extend(["监督人".to_string(), "日期".to_string()]);
    SignedSheet {
        name: sheet_name(&c.label, taken),
        title: format!("{campaign} {}{}", c.label, BookKind::Panel.title()),
        facts: facts(campaign, scheme, &c.key, &c.label, files, generated_at),
        columns,
        rows,
        total: None,
        signatures,
    }
}

fn panel_row(i: usize, u: &UnitScore, judges: &[&str], trim: usize) -> Vec<Cell> {
    let mut row = vec![
        count(i as i64 + 1),
        text(&u.name),
        opt_text(u.uscc.as_deref()),
    ];
    row.extend(
        judges
            .iter()
            .map(|j| match u.scores.iter().find(|s| s.judge == *j) {
                None => Cell::Blank,
                Some(s) => match s.score {
                    None => text(PANEL_RECUSED),
                    Some(v) if u.dropped.iter().any(|d| d == j) => Cell::Struck(v),
                    Some(v) => Cell::Number(v),
                },
            }),
    );
    let valid = u.scores.iter().filter(|s| s.score.is_some()).count();
    row.extend([
        count(valid as i64),
        dropped_note(u, trim),
        opt_number(u.score),
        opt_text(u.reason.as_deref()),
    ]);
    row
}

/// "去掉最高分：评委3 96；最低分：评委5 83": the dropped judges with their scores, the
/// `trim` highest first (as [`crate::evaluate::panel::score`] lists them), then the lowest.
fn dropped_note(u: &UnitScore, trim: usize) -> Cell {
    if u.dropped.is_empty() {
        return Cell::Blank;
    }
    let named = |judges: &[String]| {
        judges
            .iter()
            .map(|j| {
                let v = u
                    .scores
                    .iter()
                    .find(|s| &s.judge == j)
                    .and_then(|s| s.score)
                    .map_or_else(String::new, |v| format!(" {}", v.normalize()));
                format!("{j}{v}")
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let (high, low) = u.dropped.split_at(trim.min(u.dropped.len()));
    Cell::Text(format!(
        "去掉最高分：{}；最低分：{}",
        named(high),
        named(low)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::panel::JudgeScore;
    use crate::scheme::{ComponentSource, PanelSettings};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn unit(scores: &[(&str, Option<&str>)], dropped: &[&str]) -> UnitScore {
        UnitScore {
            agency_id: 1,
            uscc: None,
            name: "广州市民政局".into(),
            component: "organisation".into(),
            scores: scores
                .iter()
                .map(|(j, v)| JudgeScore {
                    judge: j.to_string(),
                    score: v.map(d),
                })
                .collect(),
            dropped: dropped.iter().map(|j| j.to_string()).collect(),
            score: None,
            reason: None,
            explanation: None,
        }
    }

    #[test]
    fn the_note_names_the_dropped_judges_highest_first() {
        let u = unit(
            &[
                ("评委1", Some("90")),
                ("评委2", None),
                ("评委3", Some("96")),
                ("评委4", Some("92.5")),
                ("评委5", Some("83")),
            ],
            &["评委3", "评委5"],
        );
        assert_eq!(
            dropped_note(&u, 1),
            text("去掉最高分：评委3 96；最低分：评委5 83")
        );
        let two = unit(
            &[
                ("甲", Some("99")),
                ("乙", Some("98")),
                ("丙", Some("60")),
                ("丁", Some("61.5")),
            ],
            &["甲", "乙", "丙", "丁"],
        );
        assert_eq!(
            dropped_note(&two, 2),
            text("去掉最高分：甲 99、乙 98；最低分：丙 60、丁 61.5")
        );
        assert_eq!(
            dropped_note(&unit(&[("甲", Some("99"))], &[]), 1),
            Cell::Blank
        );
    }

    #[test]
    fn a_row_strikes_the_dropped_scores_and_shows_recusals_as_text() {
        let u = unit(
            &[
                ("评委1", Some("90")),
                ("评委2", None),
                ("评委3", Some("96")),
            ],
            &["评委3"],
        );
        let row = panel_row(0, &u, &["评委1", "评委2", "评委3", "评委4"], 1);
        assert_eq!(
            row[3..8],
            [
                Cell::Number(d("90")),
                text("回避"),
                Cell::Struck(d("96")),
                Cell::Blank,
                count(2),
            ]
        );
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let sheet = |name: &str| SignedSheet {
            name: name.into(),
            title: String::new(),
            facts: vec![],
            columns: vec![],
            rows: vec![],
            total: None,
            signatures: vec![],
        };
        assert_eq!(sheet_name("群众/测评?", &[]), "群众测评");
        assert_eq!(
            sheet_name("群众测评", &[sheet("群众测评")]),
            "群众测评（2）"
        );
        assert_eq!(sheet_name("[]", &[]), "考核项");
        let long = "长".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = [sheet(&"长".repeat(31))];
        let second = sheet_name(&long, &taken);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("（2）"));
    }

    #[test]
    fn the_totals_rate_uses_only_units_giving_both_counts() {
        let mut s = Scheme::default_scheme();
        s.components[0].source = ComponentSource::Ballots;
        s.panel = PanelSettings::default();
        let choices: Vec<&str> = s.ballots.choices.iter().map(|(w, _)| w.as_str()).collect();
        let mk = |counts: &[(&str, i64)], issued, returned| {
            let map = counts.iter().map(|(w, n)| (w.to_string(), *n)).collect();
            let result = crate::evaluate::ballots::score(
                &s.ballots,
                "群众测评",
                crate::evaluate::ballots::Pooled {
                    counts: &map,
                    issued,
                    returned,
                },
            );
            UnitBallots {
                agency_id: 1,
                uscc: None,
                name: "单位".into(),
                component: "public".into(),
                result,
            }
        };
        let units = [
            mk(&[("满意", 30), ("不了解", 2)], Some(40), Some(32)),
            mk(&[("满意", 10), ("不满意", 5)], None, None),
            mk(&[("基本满意", 20)], Some(10), Some(8)),
        ];
        let total = ballot_total(&units, &choices);
        let n = choices.len();
        assert_eq!(total[0], text("合计"));
        assert_eq!(total[3], count(40), "满意 summed");
        assert_eq!(total[3 + n - 1], count(5), "不满意 summed");
        // not counted, valid, 发放, 回收, rate = 40 ÷ 50.
        assert_eq!(
            total[3 + n..3 + n + 5],
            [
                count(2),
                count(65),
                count(50),
                count(40),
                Cell::Number(d("0.8"))
            ]
        );
        let none = ballot_total(&units[1..2], &choices);
        assert_eq!(
            none[3 + n + 2..3 + n + 5],
            [Cell::Blank, Cell::Blank, Cell::Blank]
        );
    }
}
