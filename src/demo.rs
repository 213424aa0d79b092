//! 载入示例数据: a demo campaign with fictional returns and a fictional awards registry,
//! so that a new user sees every screen with data at once. The data go through the real
//! import, registry import and selection, with the provenance of generated workbooks.

use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;
use thiserror::Error;

use crate::campaign::{self, CampaignError};
use crate::import::{self, FileStatus, ImportError, ImportOptions};
use crate::select::{self, SelectError};
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
    /// Creating the campaign failed (e.g. the year exists already).
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    /// Importing the returns or the registry failed.
    #[error(transparent)]
    Import(#[from] ImportError),
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

const HEADER: [&str; 18] = [
    "序号",
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
    "日常考核",
    "自评",
    "互评",
    "组织考评",
    "群众测评",
    "第三方评价",
    "严重违纪违法",
    "意识形态问题",
    "重大安全事故",
    "巡视巡察整改不力",
    "群众反映问题数",
    "问题清单数",
];

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
        // (random returns stay below 99.2).
        let tied = a.name == "示例市东区审计局" || a.name == "示例市东区统计局";
        let leader = a.name == "示例市东区办公室";
        for c in 6..12u16 {
            let v = if leader {
                99.8
            } else if tied {
                99.5
            } else if c == 10 {
                rng.score(90.0, 10) // 群众测评 above its minimum
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
        for c in 12..16u16 {
            let veto = a.name == "示例市西区审计局" && c == 12;
            ws.write_string(r, c, if veto { "是" } else { "否" })?;
        }
        ws.write_number(r, 16, (rng.next() % 4) as f64)?;
        ws.write_number(r, 17, (rng.next() % 6) as f64)?;
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

/// Creates the demo campaign of `year` (titled 【示例】…; the year must not exist yet),
/// imports the demo returns and registry, and runs the selection. Audited like any
/// import.
pub fn load(store: &mut Store, year: i32, operator: &str) -> Result<DemoReport, DemoError> {
    let scheme = format!(
        "title = \"【示例】{year}年度模范机关评选\"\n{}",
        crate::scheme::DEFAULT_TOML
    );
    campaign::create(store, year, Some(&scheme), operator)?;
    let opts = ImportOptions {
        partial: false,
        operator: operator.to_string(),
    };
    let registry = import::import_bytes(
        store,
        &import::Registry::open(store)?,
        registry_workbook(year)?,
        &format!("示例命名名单{year}.xlsx"),
        &opts,
    )?;
    if registry.status == FileStatus::Rejected {
        return Err(DemoError::Refused(format!("{:?}", registry.errors)));
    }
    let returns = import::import_bytes(
        store,
        &import::Returns::open(store, year, &[])?,
        returns_workbook(year)?,
        &format!("示例申报表{year}.xlsx"),
        &opts,
    )?;
    if returns.status != FileStatus::Imported {
        return Err(DemoError::Refused(format!("{:?}", returns.errors)));
    }
    select::run(store, year, operator)?;
    Ok(DemoReport {
        year,
        returns: returns.imported,
        awards: registry.imported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::Status;

    #[test]
    fn the_demo_shows_every_status() {
        let mut store = Store::open_in_memory().unwrap();
        let r = load(&mut store, 2026, "演示").unwrap();
        assert_eq!((r.returns, r.awards), (48, 4));
        let sel = select::run(&mut store, 2026, "演示").unwrap();
        let has = |s: Status| sel.results.iter().any(|r| r.status == s);
        assert!(has(Status::Selected) && has(Status::NotSelected) && has(Status::Ineligible));
        assert!(has(Status::TiePending), "the two tied county agencies");
        let reasons: Vec<&String> = sel.results.iter().flat_map(|r| &r.reasons).collect();
        for want in ["一票否决", "缺少党员互评", "纳入复查", "不得参评"] {
            assert!(reasons.iter().any(|r| r.contains(want)), "{want}");
        }
        let title = &campaign::list(&store).unwrap()[0].title;
        assert_eq!(title, "【示例】2026年度模范机关评选");
        // The same year again is refused, and the review has something to show.
        assert!(load(&mut store, 2026, "演示").is_err());
        let due = crate::review::run(
            &store,
            2026,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        )
        .unwrap();
        assert!(!due.is_empty());
        assert_eq!(crate::audit::verify(store.conn()).unwrap().broken, None);
    }
}
