//! The registry importer (命名名单, docs/specification.md §2 and §5): the awards given in
//! earlier years (命名记录), read with the import quality of returns (docs/specification.md
//! §3) and stored in the awards table.
//!
//! A registry belongs to no campaign: a row may name a unit type or tier word of any
//! scheme in use ([`UnitTypes`]). Awards are upserted by agency and year, so a later
//! registry updates an award's status and fields, each change named in a warning.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use super::aliases::{AliasTable, Field};
use super::importer::{Committed, Importer, Record, RowOutcome, StoredFile, Words};
use super::layout::{self, Column, Layout};
use super::rows::{cell_at, RowError};
use super::values::{self, Cell};
use super::ImportError;
use crate::limits::{quote, TextKind};
use crate::normalize::{agency_name, name_key};
use crate::scheme::{Scheme, Tier};
use crate::store::awards::{self as award_store, AwardRow, AwardStatus, NewAward};
use crate::store::files::FileKind;
use crate::store::{agencies, campaigns, Store};

/// The unit types and tier words a registry row may name: those of the shipped default
/// scheme, then those of every campaign's scheme in the database (with their aliases and
/// `[tier_aliases]`). The registry is not tied to one campaign, so a word any scheme in
/// use knows is accepted.
#[derive(Debug, Clone)]
pub struct UnitTypes {
    schemes: Vec<Scheme>,
}

impl UnitTypes {
    /// The default scheme's unit types only.
    pub fn default_only() -> UnitTypes {
        UnitTypes {
            schemes: vec![Scheme::default_scheme()],
        }
    }

    /// The default scheme's unit types and those of every stored campaign whose scheme
    /// still parses.
    pub fn from_store(store: &Store) -> Result<UnitTypes, ImportError> {
        let mut u = UnitTypes::default_only();
        for c in campaigns::list(store.conn())? {
            if let Ok(s) = Scheme::parse(&c.scheme_toml) {
                u.schemes.push(s);
            }
        }
        Ok(u)
    }

    /// The canonical unit type for a declared one, from the first scheme that knows it.
    pub fn canonical(&self, declared: &str) -> Option<String> {
        self.schemes
            .iter()
            .find_map(|s| s.canonical_unit_type(declared))
            .map(str::to_string)
    }

    /// The tier a declared word names: the first scheme whose `[tier_aliases]` has it
    /// (the same order as unit types; a scheme's own words win over the built-in ones, as
    /// in [`Scheme::tier_of`]), else a built-in tier word.
    pub fn tier(&self, declared: &str) -> Option<Tier> {
        self.schemes
            .iter()
            .find_map(|s| s.own_tier_of(declared))
            .or_else(|| crate::import::aliases::parse_tier(declared))
    }

    /// Every canonical unit type, without repeats, default scheme first.
    pub fn known(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.schemes.iter().flat_map(|s| &s.unit_types) {
            if !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }

    /// The title given when a row leaves 称号 blank: the default scheme's `award_title`.
    pub fn default_title(&self) -> &str {
        &self.schemes[0].award_title
    }
}

/// An award read from a registry row, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAward {
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based).
    pub row: u32,
    /// Normalised agency name.
    pub name: String,
    /// Name matching key.
    pub name_key: String,
    /// Validated USCC.
    pub uscc: Option<String>,
    /// 省直, 市级 or 县级, read from the tier column's words.
    pub tier: Tier,
    /// Region (None for province).
    pub region: Option<String>,
    /// Canonical unit type.
    pub unit_type: String,
    /// Year awarded.
    pub year: i32,
    /// Title (the default award title when the row leaves it blank).
    pub title: String,
    /// Document number (文号).
    pub doc_number: Option<String>,
    /// 正常, 整改中 or 已撤销 (required); 已撤销 requires a revocation year, 整改中 a deadline.
    pub status: AwardStatus,
    /// 最近复查年度 when given; the review cycle counts from it, else from `year`.
    pub last_review_year: Option<i32>,
    /// 整改期限 when given; required when the state is 整改中.
    pub rectify_deadline: Option<NaiveDate>,
    /// Year revoked.
    pub revoked_year: Option<i32>,
}

impl ParsedAward {
    /// The key that decides whether two rows are the same agency's award of the same
    /// year: the USCC when given, else the name key and region; then the year.
    pub fn identity(&self) -> String {
        let agency = match &self.uscc {
            Some(u) => format!("uscc:{u}"),
            None => format!(
                "name:{}|{}",
                self.name_key,
                self.region.as_deref().unwrap_or("")
            ),
        };
        format!("{agency}#{}", self.year)
    }
}

/// The columns a registry sheet must have.
pub const REQUIRED_FIELDS: &[Field] = &[
    Field::Name,
    Field::Tier,
    Field::UnitType,
    Field::Year,
    Field::Status,
];

static EMPTY: Cell = Cell::Empty;

/// One data row being parsed: its cells and the errors found so far.
struct RowReader<'a> {
    layout: &'a Layout,
    sheet: &'a str,
    row: u32,
    cells: &'a [(u32, Cell)],
    errors: Vec<RowError>,
}

impl<'a> RowReader<'a> {
    fn column(&self, field: Field) -> Option<&'a Column> {
        self.layout.column_of(field)
    }

    fn cell(&self, field: Field) -> Option<&'a Cell> {
        self.column(field)
            .map(|c| cell_at(self.cells, c.col).unwrap_or(&EMPTY))
    }

    /// Records a problem at a field's column (or at the row, when the sheet lacks it).
    fn error(&mut self, field: Field, with_value: bool, message: impl Into<String>) {
        let col = self.column(field);
        let value = if with_value { self.cell(field) } else { None };
        self.errors.push(RowError {
            sheet: Some(self.sheet.to_string()),
            row: Some(self.row),
            column: col.map(Column::letter),
            header: col.map(|c| c.header.clone()),
            value: value
                .map(Cell::display)
                .filter(|v| !v.is_empty())
                .map(|v| quote(&v)),
            message: message.into(),
        });
    }

    /// Reads a field through `parse`, recording its error; `None` for a blank cell, a
    /// missing column or a bad value.
    fn read<T>(
        &mut self,
        field: Field,
        parse: impl FnOnce(&Cell) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let cell = self.cell(field)?;
        match parse(cell) {
            Ok(v) => v,
            Err(m) => {
                self.error(field, true, m);
                None
            }
        }
    }

    /// A text field, refused when longer than `kind` allows.
    fn text(&mut self, field: Field, kind: TextKind) -> Option<String> {
        self.read(field, |c| values::parse_bounded_text(c, kind))
    }
}

/// `X列“header”` for a field, or its label when the sheet has no such column.
fn where_is(layout: &Layout, field: Field) -> String {
    match layout.column_of(field) {
        Some(c) => format!("{}列“{}”", c.letter(), c.header),
        None => format!("“{}”列（表中没有此列）", award_label(field)),
    }
}

fn award_label(field: Field) -> String {
    // Labels of the registry's fields do not depend on a scheme; the default one is
    // only needed for the signature.
    static DEFAULT: std::sync::LazyLock<Scheme> = std::sync::LazyLock::new(Scheme::default_scheme);
    field.label(&DEFAULT)
}

fn year_text(y: Option<i32>) -> String {
    y.map_or_else(|| "（空）".to_string(), |y| y.to_string())
}

/// Parses a registry data row (`row` is 1-based), collecting every problem.
pub fn parse_row(
    layout: &Layout,
    unit_types: &UnitTypes,
    sheet: &str,
    row: u32,
    cells: &[(u32, Cell)],
) -> Result<ParsedAward, Vec<RowError>> {
    let mut r = RowReader {
        layout,
        sheet,
        row,
        cells,
        errors: Vec::new(),
    };

    let before = r.errors.len();
    let name = r.text(Field::Name, TextKind::Name).map(|t| agency_name(&t));
    // A name refused (too long) has its own error; only an absent one is missing.
    if name.is_none() && r.errors.len() == before {
        r.error(Field::Name, false, "缺少单位名称");
    }

    let uscc = r.read(Field::Uscc, values::parse_uscc);

    let tier = r.read(Field::Tier, |c| match values::parse_text(c) {
        None => Err("缺少层级（省直、市级或县级）".to_string()),
        Some(t) => unit_types
            .tier(&t)
            .map(Some)
            .ok_or_else(|| "无法识别的层级，请填省直、市级或县级".to_string()),
    });

    let unit_type = r.read(Field::UnitType, |c| match values::parse_text(c) {
        None => Err("缺少单位类型".to_string()),
        Some(t) => unit_types.canonical(&t).map(Some).ok_or_else(|| {
            format!(
                "无法识别的单位类型（可填：{}）",
                unit_types.known().join("、")
            )
        }),
    });

    let before = r.errors.len();
    let region = r.text(Field::Region, TextKind::Region);
    let region_refused = r.errors.len() > before;
    let region = match tier {
        Some(Tier::Province) => None,
        Some(t) if region.is_none() && !region_refused => {
            r.error(
                Field::Region,
                false,
                format!("{}单位须填写所属地区", t.label()),
            );
            None
        }
        _ => region,
    };

    let year = r.read(Field::Year, values::parse_year);
    if year.is_none() && r.cell(Field::Year).is_some_and(Cell::is_blank) {
        r.error(Field::Year, false, "缺少命名年度");
    }

    let title = r
        .text(Field::Title, TextKind::Title)
        .unwrap_or_else(|| unit_types.default_title().to_string());
    let doc_number = r.text(Field::DocNumber, TextKind::DocNumber);

    let status = r.read(Field::Status, |c| match values::parse_text(c) {
        None => Err("缺少状态（正常、整改中或已撤销）".to_string()),
        Some(t) => crate::vocab::parse_award_status(&t)
            .map(Some)
            .ok_or_else(|| "无法识别的状态，请填正常、整改中或已撤销".to_string()),
    });

    let last_review_year = r.read(Field::LastReviewYear, values::parse_year);
    let rectify_deadline = r.read(Field::RectifyDeadline, values::parse_date);
    let revoked_year = r.read(Field::RevokedYear, values::parse_year);
    // Whether a cell holds something (a value that failed to parse has its error already).
    let given = |r: &RowReader<'_>, f: Field| r.cell(f).is_some_and(|c| !c.is_blank());

    if let Some(y) = year {
        if let Some(lr) = last_review_year.filter(|lr| *lr < y) {
            r.error(
                Field::LastReviewYear,
                true,
                format!("最近复查年度（{lr}）早于命名年度（{y}）"),
            );
        }
        if let Some(ry) = revoked_year.filter(|ry| *ry < y) {
            r.error(
                Field::RevokedYear,
                true,
                format!("撤销年度（{ry}）早于命名年度（{y}）"),
            );
        }
    }
    let revoked_given = given(&r, Field::RevokedYear);
    match status {
        Some(AwardStatus::Revoked) if !revoked_given => {
            let place = where_is(layout, Field::RevokedYear);
            r.error(
                Field::RevokedYear,
                false,
                format!("状态为已撤销，须在{place}填写撤销年度"),
            );
        }
        Some(s) if s != AwardStatus::Revoked && revoked_given => {
            r.error(
                Field::RevokedYear,
                true,
                format!(
                    "状态为{}，不应填写撤销年度（已撤销的称号请把状态改为“已撤销”）",
                    s.label()
                ),
            );
        }
        _ => {}
    }
    if status == Some(AwardStatus::Rectifying) && !given(&r, Field::RectifyDeadline) {
        let place = where_is(layout, Field::RectifyDeadline);
        r.error(
            Field::RectifyDeadline,
            false,
            format!("状态为整改中，须在{place}填写整改期限"),
        );
    }

    match (name, tier, unit_type, year, status) {
        (Some(name), Some(tier), Some(unit_type), Some(year), Some(status))
            if r.errors.is_empty() =>
        {
            Ok(ParsedAward {
                sheet: sheet.to_string(),
                row,
                name_key: name_key(&name),
                name,
                uscc,
                tier,
                region,
                unit_type,
                year,
                title,
                doc_number,
                status,
                last_review_year,
                rectify_deadline,
                revoked_year,
            })
        }
        _ => Err(r.errors),
    }
}

/// The importer of the awards registry.
#[derive(Debug, Clone)]
pub struct Registry {
    unit_types: UnitTypes,
    aliases: AliasTable,
    /// Whether this imports the demo's fictional registry: its file then belongs to the demo
    /// campaign and its awards are marked as the demo's (`awards::DEMO_SOURCE`), so that no
    /// real campaign sees them and deleting the demo removes them.
    demo: bool,
}

impl Registry {
    /// The importer with the unit types and tier words of every stored campaign's scheme
    /// ([`UnitTypes::from_store`]).
    pub fn open(store: &Store) -> Result<Registry, ImportError> {
        Ok(Registry::new(UnitTypes::from_store(store)?))
    }

    /// The importer knowing these unit types (for reading files without a database:
    /// [`UnitTypes::default_only`]).
    pub fn new(unit_types: UnitTypes) -> Registry {
        Registry {
            unit_types,
            aliases: AliasTable::for_awards(),
            demo: false,
        }
    }

    /// The importer of the demo's fictional registry ([`crate::demo`]); the demo campaign
    /// must exist.
    pub fn demo(store: &Store) -> Result<Registry, ImportError> {
        Ok(Registry {
            demo: true,
            ..Registry::open(store)?
        })
    }
}

impl Record for ParsedAward {
    fn sheet(&self) -> &str {
        &self.sheet
    }
    fn row(&self) -> u32 {
        self.row
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn identity(&self) -> String {
        ParsedAward::identity(self)
    }
    fn repeated(&self, places: &str) -> String {
        format!(
            "同一单位的{}年命名记录在本文件中出现多次（{places}）",
            self.year
        )
    }
}

impl Importer for Registry {
    type Row = ParsedAward;

    const KIND: FileKind = FileKind::Registry;
    const AUDIT_ACTION: &'static str = "awards.import";
    const WORDS: Words = Words {
        records: "命名记录",
        same_file: "该命名名单",
    };

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    fn check(&self, l: &Layout) -> Result<(), String> {
        layout::check_columns(l, REQUIRED_FIELDS, award_label).map_err(|p| p.to_string())
    }

    fn parse_row(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<ParsedAward, Vec<RowError>> {
        parse_row(l, &self.unit_types, sheet, row, cells)
    }

    fn no_header_message(&self) -> &'static str {
        "未找到表头：各工作表前30行中没有同时含有“单位名称”“层级”“命名年度”等列名的行"
    }

    fn group_words(&self) -> Vec<String> {
        super::rows::group_words(&self.unit_types.schemes)
    }

    fn campaign(&self) -> Option<i32> {
        self.demo.then_some(crate::store::campaigns::DEMO_YEAR)
    }

    /// Upserts one award by agency and year; an update names what it changed.
    fn store_row(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        w: &ParsedAward,
    ) -> Result<RowOutcome, ImportError> {
        let (agency_id, _) = agencies::upsert(
            tx,
            &agencies::AgencyFields {
                uscc: w.uscc.as_deref(),
                name: &w.name,
                name_key: &w.name_key,
                tier: w.tier,
                region: w.region.as_deref(),
                unit_type: &w.unit_type,
            },
            file.now,
        )?;
        let before = award_store::find(tx, agency_id, w.year)?;
        let deadline = w.rectify_deadline.map(|d| d.to_string());
        award_store::upsert(
            tx,
            &NewAward {
                agency_id,
                title: &w.title,
                year: w.year,
                doc_number: w.doc_number.as_deref(),
                status: w.status,
                last_review_year: w.last_review_year,
                rectify_deadline: deadline.as_deref(),
                revoked_year: w.revoked_year,
                source: &if self.demo {
                    format!("{}{}", award_store::DEMO_SOURCE, file.name)
                } else {
                    format!("registry:{}", file.name)
                },
            },
            file.now,
        )?;
        Ok(match before.map(|b| changes(&b, w)) {
            None => RowOutcome::Created,
            Some(c) if c.is_empty() => RowOutcome::Unchanged,
            Some(c) => RowOutcome::Updated(format!(
                "单位“{}”{}年的命名记录已按本文件工作表“{}”第{}行更新：{}",
                w.name,
                w.year,
                w.sheet,
                w.row,
                c.join("；")
            )),
        })
    }

    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value {
        json!({
            "file": c.file,
            "sha256": c.sha256,
            "registry_file_id": c.file_id,
            "rows": c.rows,
            "imported": c.imported,
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "partial": c.partial,
        })
    }
}

/// What changed between a stored award and the row that updates it, in Chinese.
fn changes(old: &AwardRow, new: &ParsedAward) -> Vec<String> {
    fn opt(v: Option<&str>) -> &str {
        v.unwrap_or("（空）")
    }
    let mut out = Vec::new();
    if old.status != new.status {
        out.push(format!(
            "状态 {}→{}",
            old.status.label(),
            new.status.label()
        ));
    }
    if old.title != new.title {
        out.push(format!("称号 {}→{}", old.title, new.title));
    }
    if old.doc_number.as_deref() != new.doc_number.as_deref() {
        out.push(format!(
            "文号 {}→{}",
            opt(old.doc_number.as_deref()),
            opt(new.doc_number.as_deref())
        ));
    }
    if old.last_review_year != new.last_review_year {
        out.push(format!(
            "最近复查年度 {}→{}",
            year_text(old.last_review_year),
            year_text(new.last_review_year)
        ));
    }
    let deadline = new.rectify_deadline.map(|d| d.to_string());
    if old.rectify_deadline != deadline {
        out.push(format!(
            "整改期限 {}→{}",
            opt(old.rectify_deadline.as_deref()),
            opt(deadline.as_deref())
        ));
    }
    if old.revoked_year != new.revoked_year {
        out.push(format!(
            "撤销年度 {}→{}",
            year_text(old.revoked_year),
            year_text(new.revoked_year)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn registry_headers_map_to_fields() {
        let t = AliasTable::for_awards();
        let cases = [
            ("单位名称", Some(Field::Name)),
            ("机关名称", Some(Field::Name)),
            ("单位全称", Some(Field::Name)),
            ("统一社会信用代码", Some(Field::Uscc)),
            ("社会信用代码", Some(Field::Uscc)),
            ("信用代码", Some(Field::Uscc)),
            ("层级", Some(Field::Tier)),
            ("级别", Some(Field::Tier)),
            ("地区", Some(Field::Region)),
            ("所属地区", Some(Field::Region)),
            ("行政区划", Some(Field::Region)),
            ("单位类型", Some(Field::UnitType)),
            ("单位性质", Some(Field::UnitType)),
            ("类别", Some(Field::UnitType)),
            ("命名年度", Some(Field::Year)),
            ("命名年份", Some(Field::Year)),
            ("年度", Some(Field::Year)),
            ("称号", Some(Field::Title)),
            ("荣誉称号", Some(Field::Title)),
            ("文号", Some(Field::DocNumber)),
            ("命名文号", Some(Field::DocNumber)),
            ("状态", Some(Field::Status)),
            ("称号状态", Some(Field::Status)),
            ("最近复查年度", Some(Field::LastReviewYear)),
            ("复查年度", Some(Field::LastReviewYear)),
            ("整改期限", Some(Field::RectifyDeadline)),
            ("整改截止日期", Some(Field::RectifyDeadline)),
            ("整改期限（日期）", Some(Field::RectifyDeadline)),
            ("撤销年度", Some(Field::RevokedYear)),
            // Return-only columns name nothing in the registry.
            ("日常考核", None),
            ("问题清单数", None),
            ("序号", None),
        ];
        for (header, want) in cases {
            assert_eq!(t.lookup(header), want, "{header:?}");
        }
        // The returns' table is unchanged: registry columns name nothing there.
        let returns = AliasTable::new(&Scheme::default_scheme());
        for header in ["命名年度", "状态", "撤销年度", "整改期限", "文号"] {
            assert_eq!(returns.lookup(header), None, "{header:?}");
        }
    }

    const HEADER: [&str; 12] = [
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

    fn layout(header: &[&str]) -> Layout {
        let cells = header
            .iter()
            .enumerate()
            .map(|(c, h)| (c as u32, text(h)))
            .collect();
        layout::detect(&AliasTable::for_awards(), &[(0, cells)], &[]).expect("header")
    }

    /// A valid row of [`HEADER`] with some cells replaced (by header).
    fn row(changes: &[(&str, Cell)]) -> Vec<(u32, Cell)> {
        let mut cells = vec![
            text("广州市越秀区审计局"),
            text("114401039115856282"),
            text("县级"),
            text("广州市越秀区"),
            text("政府机关"),
            Cell::Int(2023),
            text("模范机关"),
            text("粤直工〔2023〕31号"),
            text("正常"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ];
        for (h, v) in changes {
            let i = HEADER.iter().position(|x| x == h).expect("header");
            cells[i] = v.clone();
        }
        cells
            .into_iter()
            .enumerate()
            .filter(|(_, c)| !c.is_blank())
            .map(|(i, c)| (i as u32, c))
            .collect()
    }

    fn parse(changes: &[(&str, Cell)]) -> Result<ParsedAward, Vec<RowError>> {
        parse_row(
            &layout(&HEADER),
            &UnitTypes::default_only(),
            "命名名单",
            3,
            &row(changes),
        )
    }

    #[test]
    fn award_fields_are_read() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let a = parse(&[]).unwrap();
        assert_eq!(
            (a.year, a.status, a.title.as_str(), a.tier),
            (2023, AwardStatus::Active, "模范机关", Tier::County)
        );
        assert_eq!(a.doc_number.as_deref(), Some("粤直工〔2023〕31号"));
        assert_eq!(a.region.as_deref(), Some("广州市越秀区"));

        type Check = fn(&ParsedAward) -> bool;
        let cases: Vec<(Vec<(&str, Cell)>, Check)> = vec![
            (vec![("称号", Cell::Empty)], |a| a.title == "模范机关"),
            (vec![("命名年度", text("2021年度"))], |a| {
                a.year == 2021
            }),
            (vec![("命名年度", Cell::Float(2019.0))], |a| {
                a.year == 2019
            }),
            (vec![("单位类型", text("政府部门"))], |a| {
                a.unit_type == "政府机关"
            }),
            (
                vec![("层级", text("省直")), ("地区", text("广州市"))],
                |a| a.tier == Tier::Province && a.region.is_none(),
            ),
            (
                vec![("单位名称", text(" 广州市(越秀区) 审计局 "))],
                |a| a.name == "广州市（越秀区） 审计局" && a.name_key == "广州市（越秀区）审计局",
            ),
            (vec![("统一社会信用代码", Cell::Empty)], |a| {
                a.uscc.is_none()
            }),
            (vec![("最近复查年度", text("2025年"))], |a| {
                a.last_review_year == Some(2025)
            }),
            (
                vec![("状态", text("已撤销")), ("撤销年度", Cell::Int(2024))],
                |a| a.status == AwardStatus::Revoked && a.revoked_year == Some(2024),
            ),
            (
                vec![("状态", text("摘牌")), ("撤销年度", text("2024年"))],
                |a| a.revoked_year == Some(2024),
            ),
            (
                vec![("状态", text("已撤销")), ("撤销年度", Cell::Int(2023))],
                |a| a.revoked_year == Some(2023),
            ),
        ];
        for (changes, check) in cases {
            let a = parse(&changes).unwrap_or_else(|e| panic!("{changes:?}: {e:?}"));
            assert!(check(&a), "{changes:?}: {a:?}");
        }

        // Every date form of docs/specification.md §3 for the deadline.
        let deadline = |cell: Cell| {
            parse(&[("状态", text("整改中")), ("整改期限", cell)])
                .map(|a| a.rectify_deadline)
                .unwrap_or_else(|e| panic!("{e:?}"))
        };
        for cell in [
            Cell::Date(d(2026, 6, 30).and_hms_opt(0, 0, 0).unwrap()),
            Cell::Float(46203.0),
            Cell::Int(46203),
            text("2026-06-30"),
            text("2026/6/30"),
            text("2026.6.30"),
            text("2026年6月30日"),
        ] {
            assert_eq!(deadline(cell.clone()), Some(d(2026, 6, 30)), "{cell:?}");
        }
        assert_eq!(deadline(text("2026年6月")), Some(d(2026, 6, 1)));
        // A deadline kept on an active award (a finished rectification) is stored.
        let a = parse(&[("整改期限", text("2025-01-31"))]).unwrap();
        assert_eq!(a.rectify_deadline, Some(d(2025, 1, 31)));
    }

    #[test]
    fn long_texts_are_refused_at_their_cell() {
        let long_doc = "号".repeat(101);
        let quoted_doc = format!("{}…（共 101 字）", "号".repeat(20));
        let long_name = "局".repeat(5000);
        let quoted_name = format!("{}…（共 5000 字）", "局".repeat(20));
        let cases = [
            (
                "单位名称",
                long_name.as_str(),
                "A",
                quoted_name.as_str(),
                "单位名称过长（共 5000 字，最多 100 字）",
            ),
            (
                "地区",
                &"区".repeat(51),
                "D",
                &"区".repeat(51),
                "所属地区过长（共 51 字，最多 50 字）",
            ),
            (
                "文号",
                &long_doc,
                "H",
                &quoted_doc,
                "文号过长（共 101 字，最多 100 字）",
            ),
        ];
        for (header, value, column, shown, message) in cases {
            let errs = parse(&[(header, text(value))]).unwrap_err();
            assert_eq!(errs.len(), 1, "{header}: {errs:?}");
            let e = &errs[0];
            assert_eq!(
                (e.row, e.column.as_deref(), e.header.as_deref()),
                (Some(3), Some(column), Some(header))
            );
            assert_eq!(
                (e.value.as_deref(), e.message.as_str()),
                (Some(shown), message)
            );
        }
        // At the limit the text is stored whole.
        let name = "局".repeat(100);
        assert_eq!(parse(&[("单位名称", text(&name))]).unwrap().name, name);
    }

    #[test]
    fn award_errors_name_their_place() {
        // (changes, column letter, header, value, message part)
        type Case<'a> = (
            Vec<(&'a str, Cell)>,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                vec![("单位名称", Cell::Empty)],
                Some("A"),
                None,
                "缺少单位名称",
            ),
            (
                vec![("统一社会信用代码", text("114401039115856283"))],
                Some("B"),
                Some("114401039115856283"),
                "校验位错误",
            ),
            (
                vec![("层级", text("乡镇"))],
                Some("C"),
                Some("乡镇"),
                "无法识别的层级",
            ),
            (vec![("层级", Cell::Empty)], Some("C"), None, "缺少层级"),
            (
                vec![("地区", Cell::Empty)],
                Some("D"),
                None,
                "县级单位须填写所属地区",
            ),
            (
                vec![("单位类型", text("事业单位"))],
                Some("E"),
                Some("事业单位"),
                "无法识别的单位类型",
            ),
            (
                vec![("命名年度", Cell::Empty)],
                Some("F"),
                None,
                "缺少命名年度",
            ),
            (
                vec![("命名年度", text("去年"))],
                Some("F"),
                Some("去年"),
                "不是有效的年度",
            ),
            (vec![("状态", Cell::Empty)], Some("I"), None, "缺少状态"),
            (
                vec![("状态", text("暂停"))],
                Some("I"),
                Some("暂停"),
                "无法识别的状态",
            ),
            (
                vec![("最近复查年度", Cell::Int(2020))],
                Some("J"),
                Some("2020"),
                "最近复查年度（2020）早于命名年度（2023）",
            ),
            (
                vec![("状态", text("整改中"))],
                Some("K"),
                None,
                "状态为整改中，须在K列“整改期限”填写整改期限",
            ),
            (
                vec![("状态", text("整改中")), ("整改期限", text("明年六月"))],
                Some("K"),
                Some("明年六月"),
                "不是有效的日期",
            ),
            (
                vec![("状态", text("已撤销"))],
                Some("L"),
                None,
                "状态为已撤销，须在L列“撤销年度”填写撤销年度",
            ),
            (
                vec![("撤销年度", Cell::Int(2024))],
                Some("L"),
                Some("2024"),
                "状态为正常，不应填写撤销年度",
            ),
            (
                vec![("状态", text("已撤销")), ("撤销年度", Cell::Int(2020))],
                Some("L"),
                Some("2020"),
                "撤销年度（2020）早于命名年度（2023）",
            ),
            (
                vec![("状态", text("已撤销")), ("撤销年度", text("前年"))],
                Some("L"),
                Some("前年"),
                "不是有效的年度",
            ),
        ];
        for (changes, column, value, message) in cases {
            let errs = parse(&changes).expect_err(&format!("{changes:?}"));
            assert_eq!(errs.len(), 1, "{changes:?}: {errs:?}");
            let e = &errs[0];
            assert_eq!(
                (e.sheet.as_deref(), e.row, e.column.as_deref()),
                (Some("命名名单"), Some(3), column),
                "{changes:?}"
            );
            let header = column.map(|c| HEADER[(c.as_bytes()[0] - b'A') as usize]);
            assert_eq!(e.header.as_deref(), header, "{changes:?}");
            assert_eq!(e.value.as_deref(), value, "{changes:?}");
            assert!(e.message.contains(message), "{changes:?}: {}", e.message);
        }
        // Several problems in one row are all reported.
        let errs = parse(&[("层级", text("乡镇")), ("状态", text("暂停"))]).unwrap_err();
        assert_eq!(errs.len(), 2);
    }

    #[test]
    fn conditional_columns_may_be_absent_until_needed() {
        let short = &HEADER[..9];
        let l = layout(short);
        let u = UnitTypes::default_only();
        let cells = row(&[]);
        let cells: Vec<_> = cells.into_iter().filter(|(c, _)| *c < 9).collect();
        assert!(parse_row(&l, &u, "s", 2, &cells).is_ok());
        let mut revoked = cells.clone();
        revoked[8].1 = text("已撤销");
        let e = parse_row(&l, &u, "s", 2, &revoked).unwrap_err();
        assert_eq!(e[0].column, None);
        assert!(
            e[0].message.contains("“撤销年度”列（表中没有此列）"),
            "{e:?}"
        );
    }

    #[test]
    fn required_registry_columns() {
        let l = layout(&["单位名称", "层级", "地区", "状态"]);
        let e = layout::check_columns(&l, REQUIRED_FIELDS, award_label).unwrap_err();
        assert_eq!(e.to_string(), "缺少必需的列：单位类型、命名年度");
        assert!(layout::check_columns(&layout(&HEADER), REQUIRED_FIELDS, award_label).is_ok());
    }

    #[test]
    fn unit_types_of_stored_campaigns_are_known() {
        let mut store = Store::open_in_memory().unwrap();
        let toml = crate::scheme::DEFAULT_TOML.replace(
            "unit_types = [\"党群机关\"",
            "unit_types = [\"事业单位\", \"党群机关\"",
        );
        assert_ne!(
            toml,
            crate::scheme::DEFAULT_TOML,
            "the scheme names its types"
        );
        crate::campaign::create(&mut store, 2026, Some(&toml), "测试员").unwrap();
        let u = UnitTypes::from_store(&store).unwrap();
        assert_eq!(u.canonical("事业单位").as_deref(), Some("事业单位"));
        assert_eq!(u.canonical("政府部门").as_deref(), Some("政府机关"));
        assert_eq!(UnitTypes::default_only().canonical("事业单位"), None);
        assert_eq!(u.known().iter().filter(|t| *t == "政府机关").count(), 1);
    }

    #[test]
    fn tier_words_of_stored_campaigns_are_known() {
        let mut store = Store::open_in_memory().unwrap();
        let toml = crate::scheme::DEFAULT_TOML.replacen(
            "[composite]",
            "[tier_aliases]\ncounty = [\"旗直\"]\n\n[composite]",
            1,
        );
        crate::campaign::create(&mut store, 2026, Some(&toml), "测试员").unwrap();
        let u = UnitTypes::from_store(&store).unwrap();
        assert_eq!(u.tier("旗直"), Some(Tier::County));
        assert_eq!(u.tier("区直单位"), Some(Tier::County));
        assert_eq!(UnitTypes::default_only().tier("旗直"), None);
        assert_eq!(
            UnitTypes::default_only().tier("县（市）直"),
            Some(Tier::County)
        );
    }
}
