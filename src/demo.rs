//! 载入示例数据: a demo campaign with fictional returns and a fictional awards registry,
//! so that a new user sees every screen with data at once. The data go through the real
//! import, registry import and selection, with the provenance of generated workbooks.
//!
//! The demo never blocks or colours real work: its campaign has the year
//! [`DEMO_YEAR`], which no real campaign can have (`campaign::create` takes 2000–2100), and
//! the title 【示例】模范机关评选; its registry's awards are marked as the demo's, so only the
//! demo campaign sees them (`store::awards::list_for`); and [`remove`] deletes all of it —
//! campaign, returns, files, overrides, reviews, fictional awards and agencies — in one
//! step, audited.

use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;
use thiserror::Error;

use crate::campaign::{self, CampaignError};
use crate::import::{self, FileStatus, ImportError, ImportOptions};
use crate::select::{self, SelectError};
pub use crate::store::campaigns::DEMO_YEAR;
use crate::store::Store;
use crate::Coded;

/// Errors of loading the demo.
#[derive(Debug, Error)]
pub enum DemoError {
    /// Writing the generated workbooks failed.
    #[error("无法生成示例申报表：{0}")]
    Workbook(#[from] XlsxError),
    /// A generated file was refused (a bug: the demo data are meant to be valid).
    #[error("示例数据未能导入：{0}")]
    Refused(String),
    /// Creating or deleting the campaign failed (e.g. the demo is loaded already).
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// Importing the returns or the registry failed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The panel's sheet could not be opened for its component (a bug: the demo scheme has it).
    #[error(transparent)]
    Panel(#[from] crate::import::panel::PanelError),
    /// Selecting failed.
    #[error(transparent)]
    Select(#[from] SelectError),
}

impl Coded for DemoError {
    fn code(&self) -> &'static str {
        match self {
            DemoError::Workbook(_) => "demo.workbook",
            DemoError::Refused(_) => "demo.refused",
            DemoError::Campaign(e) => e.code(),
            DemoError::Import(e) => e.code(),
            DemoError::Panel(e) => e.code(),
            DemoError::Select(e) => e.code(),
        }
    }
}

/// What loading the demo did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DemoReport {
    /// The demo campaign's year.
    pub year: i32,
    /// Returns imported.
    pub returns: usize,
    /// Awards in the fictional registry.
    pub awards: usize,
}

/// A tiny deterministic generator (the same demo every time).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A score between `lo` and `lo + span` with two decimals.
    fn score(&mut self, lo: f64, span: u64) -> f64 {
        lo + (self.next() % (span * 100)) as f64 / 100.0
    }
}

const UNIT_TYPES: [&str; 5] = [
    "党群机关",
    "政府机关",
    "政法机关",
    "人大政协机关",
    "群团组织",
];
const OFFICES: [&str; 12] = [
    "办公室",
    "组织部",
    "宣传部",
    "财政局",
    "审计局",
    "统计局",
    "人民法院",
    "人民检察院",
    "总工会",
    "妇女联合会",
    "人大常委会办公室",
    "政协办公室",
];

/// A demo agency: name, tier word, region, unit type.
struct Agency {
    name: String,
    tier: &'static str,
    region: Option<&'static str>,
    unit_type: &'static str,
}

fn agencies() -> Vec<Agency> {
    let mut out = Vec::new();
    for (i, office) in OFFICES.iter().enumerate() {
        out.push(Agency {
            name: format!("示例省直属{office}"),
            tier: "省直",
            region: None,
            unit_type: UNIT_TYPES[i % UNIT_TYPES.len()],
        });
    }
    for (region, prefix) in [
        ("示例市", "示例市"),
        ("示例市东区", "示例市东区"),
        ("示例市西区", "示例市西区"),
    ] {
        let tier = if region == "示例市" {
            "市级"
        } else {
            "县级"
        };
        for (i, office) in OFFICES.iter().enumerate() {
            out.push(Agency {
                name: format!("{prefix}{office}"),
                tier,
                region: Some(region),
                unit_type: UNIT_TYPES[(i + region.len()) % UNIT_TYPES.len()],
            });
        }
    }
    out
}

fn uscc_of(i: usize) -> String {
    crate::uscc::with_check_digit(&format!("11999900{:09}", i + 1)).expect("digits only")
}

/// The demo's returns: 组织考评 and 群众测评 are not among their columns, since the demo
/// scheme computes them from the panel's sheet and the ballots.
const HEADER: [&str; 16] = [
    "序号",
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
    "日常考核",
    "自评",
    "互评",
    "第三方评价",
    "严重违纪违法",
    "意识形态问题",
    "重大安全事故",
    "巡视巡察整改不力",
    "群众反映问题数",
    "问题清单数",
];

/// The demo scheme: the default, with 组织考评 computed from the panel's score sheet and
/// 群众测评 from the ballots (the default `[panel]` and `[ballots]` settings).
fn demo_scheme() -> String {
    let computed = crate::scheme::DEFAULT_TOML
        .replacen(
            "key = \"organisation\"\n",
            "key = \"organisation\"\nsource = \"panel\"\n",
            1,
        )
        .replacen(
            "key = \"public\"\n",
            "key = \"public\"\nsource = \"ballots\"\n",
            1,
        );
    format!("title = \"{TITLE}\"\n{computed}")
}

/// The two county agencies tied for the last seat of 东区 and the one ahead of them.
const TIED: [&str; 2] = ["示例市东区审计局", "示例市东区统计局"];
const LEADER: &str = "示例市东区办公室";
/// An agency with too few valid ballots (群众测评 missing, with its reason).
const FEW_BALLOTS: &str = "示例省直属人民法院";
/// An agency one judge recused from: 4 scores left, fewer than the 5 needed.
const RECUSED: &str = "示例市西区财政局";

/// The demo returns as an `.xlsx`: mostly good scores, one veto, one missing score, one
/// agency below the thresholds, and two county agencies tied for the last seat.
fn returns_workbook(year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut rng = Lcg(year as u64);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报汇总")?;
    ws.write_string(0, 0, format!("【示例数据】{year}年度模范机关申报汇总表"))?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    for (i, a) in agencies().iter().enumerate() {
        let r = (i + 3) as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &a.name)?;
        ws.write_string(r, 2, uscc_of(i))?;
        ws.write_string(r, 3, a.tier)?;
        if let Some(region) = a.region {
            ws.write_string(r, 4, region)?;
        }
        ws.write_string(r, 5, a.unit_type)?;
        // 东区 has 2 seats: its 办公室 leads, then 审计局 and 统计局 tie for the last one
        // (random returns stay below 99.2; their ballots and panel scores are equal too).
        let tied = TIED.contains(&a.name.as_str());
        let leader = a.name == LEADER;
        for c in 6..10u16 {
            let v = if leader {
                99.8
            } else if tied {
                99.5
            } else {
                rng.score(84.0, 15)
            };
            // One missing score and one weak agency, to show those reasons.
            let skip = a.name == "示例市西区统计局" && c == 8;
            let v = if a.name == "示例省直属统计局" {
                v - 12.0
            } else {
                v
            };
            if !skip {
                ws.write_number(r, c, (v * 100.0).round() / 100.0)?;
            }
        }
        for c in 10..14u16 {
            let veto = a.name == "示例市西区审计局" && c == 10;
            ws.write_string(r, c, if veto { "是" } else { "否" })?;
        }
        ws.write_number(r, 14, (rng.next() % 4) as f64)?;
        ws.write_number(r, 15, (rng.next() % 6) as f64)?;
    }
    wb.save_to_buffer()
}

/// The demo's paper ballots as a tally (计票汇总表): per agency, 发放/回收 and the count of
/// each answer; 群众测评 mostly 满意, one agency with too few valid ballots.
fn ballots_workbook(year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut rng = Lcg(year as u64 + 1);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("计票汇总")?;
    ws.write_string(
        0,
        0,
        format!("【示例数据】{year}年度群众满意度测评计票汇总表"),
    )?;
    let header = [
        "单位名称",
        "发放",
        "回收",
        "满意",
        "基本满意",
        "一般",
        "不满意",
        "不了解",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    for (i, a) in agencies().iter().enumerate() {
        let counts: [u64; 5] = if a.name == LEADER {
            [40, 0, 0, 0, 0]
        } else if TIED.contains(&a.name.as_str()) {
            [38, 2, 0, 0, 1]
        } else if a.name == FEW_BALLOTS {
            [10, 2, 0, 0, 3]
        } else {
            [
                30 + rng.next() % 10,
                rng.next() % 6,
                rng.next() % 2,
                rng.next() % 2,
                rng.next() % 3,
            ]
        };
        let returned: u64 = counts.iter().sum();
        let r = (i + 3) as u32;
        ws.write_string(r, 0, &a.name)?;
        ws.write_number(r, 1, (returned + rng.next() % 3) as f64)?;
        ws.write_number(r, 2, returned as f64)?;
        for (k, n) in counts.iter().enumerate() {
            ws.write_number(r, 3 + k as u16, *n as f64)?;
        }
    }
    wb.save_to_buffer()
}

/// The demo panel's score sheet for 组织考评: 5 judges per agency (the highest and lowest
/// dropped), one judge recusing from one agency.
fn panel_workbook(year: i32) -> Result<Vec<u8>, XlsxError> {
    let mut rng = Lcg(year as u64 + 2);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("组织考评")?;
    ws.write_string(0, 0, format!("【示例数据】{year}年度组织考评评委评分表"))?;
    let judges = ["评委1", "评委2", "评委3", "评委4", "评委5"];
    ws.write_string(2, 0, "单位名称")?;
    for (c, j) in judges.iter().enumerate() {
        ws.write_string(2, 1 + c as u16, *j)?;
    }
    for (i, a) in agencies().iter().enumerate() {
        let r = (i + 3) as u32;
        ws.write_string(r, 0, &a.name)?;
        for c in 0..judges.len() as u16 {
            if a.name == RECUSED && c == 2 {
                ws.write_string(r, 1 + c, "回避")?;
                continue;
            }
            let v = if a.name == LEADER {
                99.8
            } else if TIED.contains(&a.name.as_str()) {
                [99.0, 99.5, 99.5, 99.5, 100.0][c as usize]
            } else {
                rng.score(84.0, 15)
            };
            ws.write_number(r, 1 + c, (v * 100.0_f64).round() / 100.0)?;
        }
    }
    wb.save_to_buffer()
}

/// A fictional registry: two agencies named three years before, one under rectification,
/// one revoked.
fn registry_workbook(year: i32) -> Result<Vec<u8>, XlsxError> {
    let all = agencies();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("命名名单")?;
    let header = [
        "单位名称",
        "统一社会信用代码",
        "层级",
        "地区",
        "单位类型",
        "命名年度",
        "称号",
        "文号",
        "状态",
        "最近复查年度",
        "整改期限",
        "撤销年度",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let picks = [
        ("示例省直属财政局", year - 3, "正常", None, None),
        ("示例市组织部", year - 3, "正常", None, None),
        (
            "示例市东区人民法院",
            year - 4,
            "整改中",
            Some(format!("{}-06-30", year)),
            None,
        ),
        (
            "示例市西区政协办公室",
            year - 6,
            "已撤销",
            None,
            Some(year - 1),
        ),
    ];
    for (r, (name, awarded, status, deadline, revoked)) in picks.iter().enumerate() {
        let (i, a) = all
            .iter()
            .enumerate()
            .find(|(_, a)| a.name == *name)
            .expect("a demo agency");
        let r = (r + 1) as u32;
        ws.write_string(r, 0, &a.name)?;
        ws.write_string(r, 1, uscc_of(i))?;
        ws.write_string(r, 2, a.tier)?;
        if let Some(region) = a.region {
            ws.write_string(r, 3, region)?;
        }
        ws.write_string(r, 4, a.unit_type)?;
        ws.write_number(r, 5, f64::from(*awarded))?;
        ws.write_string(r, 6, "模范机关")?;
        ws.write_string(r, 7, format!("示例〔{awarded}〕{}号", r + 10))?;
        ws.write_string(r, 8, *status)?;
        if let Some(d) = deadline {
            ws.write_string(r, 10, d)?;
        }
        if let Some(y) = revoked {
            ws.write_number(r, 11, f64::from(*y))?;
        }
    }
    wb.save_to_buffer()
}

/// The demo campaign's title.
pub const TITLE: &str = "【示例】模范机关评选";

/// Creates the demo campaign (year [`DEMO_YEAR`], titled [`TITLE`]; refused when it is
/// loaded already), imports the demo registry and returns, and runs the selection.
/// Audited like any import.
pub fn load(store: &mut Store, operator: &str) -> Result<DemoReport, DemoError> {
    let year = DEMO_YEAR;
    campaign::create_demo(store, &demo_scheme(), operator)?;
    let opts = ImportOptions {
        partial: false,
        operator: operator.to_string(),
    };
    let registry = import::import_bytes(
        store,
        &import::Registry::demo(store)?,
        registry_workbook(year)?,
        "示例命名名单.xlsx",
        &opts,
    )?;
    if registry.status == FileStatus::Rejected {
        return Err(DemoError::Refused(format!("{:?}", registry.errors)));
    }
    let returns = import::import_bytes(
        store,
        &import::Returns::open(store, year, &[])?,
        returns_workbook(year)?,
        "示例申报表.xlsx",
        &opts,
    )?;
    if returns.status != FileStatus::Imported {
        return Err(DemoError::Refused(format!("{:?}", returns.errors)));
    }
    // The ballots and the panel's sheet score the agencies the returns brought.
    let ballots = import::import_bytes(
        store,
        &import::Ballots::open(store, year, "public")?,
        ballots_workbook(year)?,
        "示例测评票计票汇总表.xlsx",
        &opts,
    )?;
    let panel = import::import_bytes(
        store,
        &import::Panel::open(store, year, "organisation")?,
        panel_workbook(year)?,
        "示例组织考评评分表.xlsx",
        &opts,
    )?;
    for r in [&ballots, &panel] {
        if r.status != FileStatus::Imported {
            return Err(DemoError::Refused(format!("{:?}", r.errors)));
        }
    }
    select::run(store, year, operator)?;
    Ok(DemoReport {
        year,
        returns: returns.imported,
        awards: registry.imported,
    })
}

/// Deletes the demo campaign with everything it brought (see [`campaign::delete`]); the
/// audit log keeps the record of it.
pub fn remove(store: &mut Store, operator: &str) -> Result<campaign::Deletion, DemoError> {
    Ok(campaign::delete(store, DEMO_YEAR, operator)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::Status;
    use crate::store::campaigns::CampaignStatus;
    use crate::Coded;
    use chrono::NaiveDate;

    fn date(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 12, 1).unwrap()
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn the_demo_shows_every_status() {
        let mut store = Store::open_in_memory().unwrap();
        let r = load(&mut store, "演示").unwrap();
        assert_eq!((r.year, r.returns, r.awards), (DEMO_YEAR, 48, 4));
        let sel = select::run(&mut store, DEMO_YEAR, "演示").unwrap();
        let has = |s: Status| sel.results.iter().any(|r| r.status == s);
        assert!(has(Status::Selected) && has(Status::NotSelected) && has(Status::Ineligible));
        assert!(has(Status::TiePending), "the two tied county agencies");
        // 组织考评 and 群众测评 come from the panel's sheet and the ballots, explained.
        let notes: Vec<&String> = sel
            .results
            .iter()
            .flat_map(|r| r.component_notes.iter().flatten())
            .collect();
        assert!(notes
            .iter()
            .any(|n| n.starts_with("群众测评") && n.contains("张有效票")));
        assert!(notes.iter().any(|n| n.contains("去掉最高分")));
        let reasons: Vec<&String> = sel.results.iter().flat_map(|r| &r.reasons).collect();
        for want in [
            "一票否决",
            "缺少党员互评",
            "纳入复查",
            "不得参评",
            "群众测评有效票不足30张（实有12张）",
            "组织考评有效评分不足5人（实有4人）",
        ] {
            assert!(reasons.iter().any(|r| r.contains(want)), "{want}");
        }
        let c = &campaign::list(&store).unwrap()[0];
        assert_eq!((c.title.as_str(), c.demo, c.deletable), (TITLE, true, true));
        // Loading it again is refused, and the review has something to show.
        let again = load(&mut store, "演示").unwrap_err();
        assert_eq!(again.code(), "campaign.demo_exists");
        assert!(again.to_string().contains("删除示例年度"), "{again}");
        let due = crate::review::run(&store, DEMO_YEAR, date(DEMO_YEAR)).unwrap();
        assert!(!due.is_empty());
        // The return template of the demo's year can be written, though no real year is 1990.
        let dir = tempfile::tempdir().unwrap();
        let scheme = select::campaign_scheme(&store, DEMO_YEAR).unwrap();
        crate::template::write_template(&scheme, Some(DEMO_YEAR), &dir.path().join("t.xlsx"))
            .unwrap();
        assert_eq!(crate::audit::verify(store.conn()).unwrap().broken, None);
    }

    #[test]
    fn the_demo_takes_no_real_year_and_its_registry_never_reaches_a_real_campaign() {
        let mut store = Store::open_in_memory().unwrap();
        load(&mut store, "演示").unwrap();
        // The current year is free for real work (with the demo's scheme, so that the
        // demo's returns, which leave the computed components out, import into it).
        campaign::create(&mut store, 2026, Some(&demo_scheme()), "张三").unwrap();
        // A real campaign whose returns name the very agencies the demo registry holds: the
        // demo's awards would make two of them ineligible (已于…年命名) and put four into
        // the review, if the real campaign saw them.
        let importer = import::Returns::open(&store, 2026, &[]).unwrap();
        let returns = import::import_bytes(
            &mut store,
            &importer,
            returns_workbook(2026).unwrap(),
            "申报表.xlsx",
            &ImportOptions {
                partial: false,
                operator: "张三".into(),
            },
        )
        .unwrap();
        assert_eq!(returns.imported, 48);
        let real = select::run(&mut store, 2026, "张三").unwrap();
        for r in &real.results {
            assert!(
                !r.reasons
                    .iter()
                    .any(|x| x.contains("命名") || x.contains("撤销")),
                "{}: {:?}",
                r.name,
                r.reasons
            );
        }
        assert!(crate::review::run(&store, 2026, date(2026))
            .unwrap()
            .is_empty());
        let d = crate::ui::dashboard::dashboard(&store, 2026, date(2026)).unwrap();
        assert_eq!(
            (d.review.active, d.review.rectifying, d.review.revoked),
            (0, 0, 0)
        );
        // The demo itself still works with its registry.
        let demo = select::run(&mut store, DEMO_YEAR, "演示").unwrap();
        assert!(demo
            .results
            .iter()
            .any(|r| r.reasons.iter().any(|x| x.contains("纳入复查"))));
        assert_eq!(
            crate::store::awards::list_for(store.conn(), DEMO_YEAR)
                .unwrap()
                .len(),
            4
        );

        // Removing the demo in one step leaves the real campaign and the shared agencies.
        let gone = remove(&mut store, "张三").unwrap();
        assert_eq!(
            (gone.returns, gone.files, gone.awards, gone.reviews),
            // The registry, the returns, the ballots' tally and the panel's sheet.
            (48, 4, 4, 0)
        );
        let years: Vec<i32> = campaign::list(&store)
            .unwrap()
            .iter()
            .map(|c| c.year)
            .collect();
        assert_eq!(years, [2026]);
        assert_eq!(count(&store, "awards"), 0);
        assert_eq!(
            count(&store, "agencies"),
            48,
            "the real returns still name them"
        );
        assert_eq!(select::run(&mut store, 2026, "张三").unwrap(), real);
    }

    #[test]
    fn removing_the_demo_leaves_nothing_but_its_audit_rows() {
        let mut store = Store::open_in_memory().unwrap();
        load(&mut store, "演示").unwrap();
        // The demo went as far as it can: published, reviewed, adjusted.
        crate::review::apply(&mut store, DEMO_YEAR, date(DEMO_YEAR), "演示").unwrap();
        let sel = select::run(&mut store, DEMO_YEAR, "演示").unwrap();
        let tied: Vec<i64> = sel
            .results
            .iter()
            .filter(|r| r.status == Status::TiePending)
            .map(|r| r.agency_id)
            .collect();
        select::set_override_by_id(
            &mut store,
            DEMO_YEAR,
            tied[0],
            crate::vocab::OverrideAction::Exclude,
            "示例",
            false,
            "演示",
        )
        .unwrap();
        // Publishing goes through a publicity round in the demo's own (past) year.
        let from = chrono::NaiveDate::from_ymd_opt(DEMO_YEAR, 11, 5).unwrap();
        let round = crate::publicity::start(&mut store, DEMO_YEAR, from, None, "演示").unwrap();
        let on = round.to.succ_opt().unwrap();
        campaign::publish(&mut store, DEMO_YEAR, "示例〔1990〕1号", on, "演示").unwrap();
        assert_eq!(
            campaign::list(&store).unwrap()[0].status,
            CampaignStatus::Published
        );
        let rows_before = crate::audit::verify(store.conn()).unwrap().rows;

        let gone = remove(&mut store, "演示").unwrap();
        assert!(
            gone.reviews > 0 && gone.overrides == 1 && gone.awards > 4,
            "{gone:?}"
        );
        for table in [
            "campaigns",
            "returns",
            "imported_files",
            "overrides",
            "reviews",
            "awards",
            "agencies",
            "publicity_rounds",
            "publicity_agencies",
        ] {
            assert_eq!(count(&store, table), 0, "{table}");
        }
        let v = crate::audit::verify(store.conn()).unwrap();
        assert_eq!((v.rows, v.broken), (rows_before + 1, None));
        let last = &crate::audit::list(store.conn(), &crate::audit::Filter::default()).unwrap()[0];
        assert_eq!(last.action, "campaign.delete");
        // And it can be loaded again.
        load(&mut store, "演示").unwrap();
    }
}
