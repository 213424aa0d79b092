//! The ledger importer (清单台账, docs/specification.md §10): the responsibility, task and
//! problem lists units send, read with the import quality of returns (§3) and stored in
//! the ledger ([`crate::ledger::store_row_in`]).
//!
//! A ledger belongs to no campaign and creates no agency: every row names an agency the
//! store knows (from a return or the registry) by its name and/or USCC, matched as returns
//! match them. The list a row belongs to is its 清单类型 cell, else the kind the import
//! was given (`--kind`); a sheet with neither is refused. A row naming an item the agency
//! has already (same kind, same text by [`crate::normalize::item_key`]) updates it, the
//! earlier state kept in its history.
//!
//! Completion: a 完成情况 that says the item is finished (已完成, 已整改, 已销号, …) needs a
//! 完成时间, and the item is done on that date; a 完成时间 beside a 完成情况 that does not
//! say so is an error (which of the two is wrong only the unit knows); a 完成时间 with the
//! 完成情况 left blank marks the item done on it. Either error names its cell.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde_json::json;

use super::aliases::{AliasTable, Field};
use super::importer::{Committed, Importer, Record, RowOutcome, StoredFile, Words};
use super::layout::{self, Column, Layout};
use super::rows::{cell_at, RowError};
use super::units::{CampaignUnits, UnitMiss};
use super::values::{self, Cell};
use super::ImportError;
use crate::ledger::{self, Stored};
use crate::limits::{quote, TextKind};
use crate::normalize::item_key;
use crate::scheme::Scheme;
use crate::store::files::FileKind;
use crate::store::ledger::ItemFields;
use crate::store::{agencies, Store};
use crate::vocab::{
    is_ledger_done_word, parse_ledger_kind, parse_ledger_level, parse_ledger_source, LedgerKind,
};

/// An item read from a ledger row, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    /// Sheet name.
    pub sheet: String,
    /// Excel row (1-based).
    pub row: u32,
    /// The agency's id.
    pub agency_id: i64,
    /// The agency's name as the store knows it.
    pub name: String,
    /// The item's fields.
    pub fields: ItemFields,
}

impl Record for LedgerRow {
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
        format!(
            "{}#{}#{}",
            self.agency_id,
            self.fields.kind.as_str(),
            item_key(&self.fields.text)
        )
    }
    fn repeated(&self, places: &str) -> String {
        format!(
            "同一单位{}中的同一事项在本文件中出现多次（{places}）",
            self.fields.kind.label()
        )
    }
}

/// The importer of ledgers.
#[derive(Debug, Clone)]
pub struct Ledger {
    units: CampaignUnits,
    aliases: AliasTable,
    kind: Option<LedgerKind>,
    today: NaiveDate,
    operator: String,
    group_words: Vec<String>,
}

impl Ledger {
    /// The importer over every agency the store knows; rows without a 清单类型 cell belong
    /// to `kind`. Items are recorded as created by `operator`.
    pub fn open(
        store: &Store,
        kind: Option<LedgerKind>,
        operator: &str,
    ) -> Result<Ledger, ImportError> {
        Ok(Ledger::new(
            CampaignUnits::new(agencies::all_units(store.conn())?),
            kind,
            crate::today(),
            operator,
        ))
    }

    /// The importer over these units; `today` gives the year of a row naming neither a year
    /// nor a deadline.
    pub fn new(
        units: CampaignUnits,
        kind: Option<LedgerKind>,
        today: NaiveDate,
        operator: &str,
    ) -> Ledger {
        Ledger {
            units,
            aliases: AliasTable::for_ledger(),
            kind,
            today,
            operator: operator.to_string(),
            group_words: super::rows::group_words(&[Scheme::default_scheme()]),
        }
    }
}

/// A field's label, for messages.
fn label(field: Field) -> String {
    field
        .fixed()
        .map_or_else(String::new, |f| f.label.to_string())
}

/// A unit a ledger row names that the store does not know, or not as one agency.
fn miss_message(miss: &UnitMiss) -> String {
    match miss {
        UnitMiss::UnknownName { name, closest } if closest.is_empty() => {
            format!("没有名为“{name}”的单位（台账中的单位须先出现在申报表或命名名单中）")
        }
        UnitMiss::UnknownName { name, closest } => format!(
            "没有名为“{name}”的单位；最接近的单位：{}",
            closest.join("、")
        ),
        UnitMiss::NoUnits { name } => {
            format!("没有名为“{name}”的单位（数据库中还没有任何单位，请先导入申报表或命名名单）")
        }
        UnitMiss::UnknownUscc { uscc } => {
            format!("没有统一社会信用代码为“{uscc}”的单位")
        }
        UnitMiss::Ambiguous { name, regions } => format!(
            "“{name}”有{}家同名单位（{}），请填写统一社会信用代码以区分",
            regions.len(),
            regions.join("、")
        ),
        other => other.to_string(),
    }
}

static EMPTY: Cell = Cell::Empty;

/// One row being read, with its errors.
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

    fn given(&self, field: Field) -> bool {
        self.cell(field).is_some_and(|c| !c.is_blank())
    }

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

    fn text(&mut self, field: Field, kind: TextKind) -> Option<String> {
        self.read(field, |c| values::parse_bounded_text(c, kind))
    }

    /// `X列“header”` of a field, or its label when the sheet has no such column.
    fn place(&self, field: Field) -> String {
        match self.column(field) {
            Some(c) => format!("{}列“{}”", c.letter(), c.header),
            None => format!("“{}”列（表中没有此列）", label(field)),
        }
    }
}

impl Ledger {
    fn agency(&self, r: &mut RowReader<'_>) -> Option<(i64, String)> {
        let name = r.cell(Field::Name).and_then(values::parse_text);
        let code = r.cell(Field::Uscc).and_then(values::parse_text);
        match self.units.find(name.as_deref(), code.as_deref()) {
            Ok(u) => Some((u.agency_id, u.name.clone())),
            Err(miss) => {
                let on_uscc = matches!(
                    miss,
                    UnitMiss::UnknownUscc { .. }
                        | UnitMiss::BadUscc { .. }
                        | UnitMiss::Conflict { .. }
                ) || r.column(Field::Name).is_none();
                let field = if on_uscc { Field::Uscc } else { Field::Name };
                let with_value = !matches!(miss, UnitMiss::Nothing);
                r.error(field, with_value, miss_message(&miss));
                None
            }
        }
    }

    /// Parses a ledger row, collecting every problem.
    pub fn parse(
        &self,
        layout: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<LedgerRow, Vec<RowError>> {
        let mut r = RowReader {
            layout,
            sheet,
            row,
            cells,
            errors: Vec::new(),
        };
        let agency = self.agency(&mut r);

        let kind = match r.cell(Field::LedgerKind) {
            Some(c) if !c.is_blank() => r.read(Field::LedgerKind, |c| {
                let t = values::parse_text(c).unwrap_or_default();
                parse_ledger_kind(&t).map(Some).ok_or_else(|| {
                    "无法识别的清单类型，请填责任清单、任务清单或问题清单".to_string()
                })
            }),
            _ => match self.kind {
                Some(k) => Some(k),
                None => {
                    r.error(
                        Field::LedgerKind,
                        false,
                        "缺少清单类型（请填责任清单、任务清单或问题清单，或导入时指定清单类型）",
                    );
                    None
                }
            },
        };

        let before = r.errors.len();
        let text = r.text(Field::LedgerText, TextKind::LedgerText);
        if text.is_none() && r.errors.len() == before {
            r.error(Field::LedgerText, false, "缺少事项内容");
        }
        let measures = r.text(Field::LedgerMeasures, TextKind::Measures);
        let owner = r.text(Field::LedgerOwner, TextKind::Owner);
        let deadline = r.read(Field::LedgerDeadline, values::parse_date);
        let done_on = r.read(Field::LedgerDoneOn, values::parse_date);
        let progress = r.text(Field::LedgerProgress, TextKind::Evidence);
        let year = r.read(Field::LedgerYear, values::parse_year);

        let level = r.read(Field::LedgerLevel, |c| match values::parse_text(c) {
            None => Ok(None),
            Some(t) => parse_ledger_level(&t).map(Some).ok_or_else(|| {
                "无法识别的责任层级，请填党组（党委）、机关党委、党支部或党员".to_string()
            }),
        });
        let source = r.read(Field::LedgerSource, |c| match values::parse_text(c) {
            None => Ok(None),
            Some(t) => parse_ledger_source(&t).map(Some).ok_or_else(|| {
                "无法识别的问题来源，请填复查、督查、巡视巡察、审计、群众反映、自查或其他"
                    .to_string()
            }),
        });

        if let Some(k) = kind {
            if level.is_some() && k != LedgerKind::Responsibility {
                r.error(
                    Field::LedgerLevel,
                    true,
                    format!("只有责任清单的事项有责任层级，{}的事项不能填写", k.label()),
                );
            }
            if source.is_some() && k != LedgerKind::Problem {
                r.error(
                    Field::LedgerSource,
                    true,
                    format!("只有问题清单的事项有问题来源，{}的事项不能填写", k.label()),
                );
            }
            if k != LedgerKind::Responsibility
                && deadline.is_none()
                && !r.given(Field::LedgerDeadline)
            {
                let place = r.place(Field::LedgerDeadline);
                r.error(
                    Field::LedgerDeadline,
                    false,
                    format!("{}的事项须在{place}填写整改时限", k.label()),
                );
            }
        }

        // Completion: a finished word needs its date; a date needs a finished word (or none).
        let finished = progress.as_deref().map(is_ledger_done_word);
        match (finished, done_on) {
            (Some(true), None) if !r.given(Field::LedgerDoneOn) => {
                let place = r.place(Field::LedgerDoneOn);
                r.error(
                    Field::LedgerProgress,
                    true,
                    format!("完成情况为已完成，须在{place}填写完成日期"),
                );
            }
            (Some(false), Some(_)) => {
                r.error(
                    Field::LedgerDoneOn,
                    true,
                    format!(
                        "填写了完成时间，但{}“{}”没有写明已完成（已完成、已整改或已销号）",
                        r.place(Field::LedgerProgress),
                        progress.as_deref().map(quote).unwrap_or_default()
                    ),
                );
            }
            _ => {}
        }
        // Done before the deadline or after it are both facts; done after today is a slip.
        if let Some(d) = done_on.filter(|d| *d > self.today) {
            r.error(
                Field::LedgerDoneOn,
                true,
                format!("完成时间{d}晚于今天（{}）", self.today),
            );
        }
        let year = year
            .or(deadline.map(|d| d.year()))
            .unwrap_or(self.today.year());
        if !(2000..=2100).contains(&year) {
            r.error(
                Field::LedgerYear,
                true,
                format!("年度{year}不在2000–2100之间"),
            );
        }

        match (agency, kind, text) {
            (Some((agency_id, name)), Some(kind), Some(text)) if r.errors.is_empty() => {
                // A problem without a source keeps the one its item had; a new one is 其他
                // (`ledger::store_row_in`).
                let source = if kind == LedgerKind::Problem {
                    source
                } else {
                    None
                };
                Ok(LedgerRow {
                    sheet: sheet.to_string(),
                    row,
                    agency_id,
                    name,
                    fields: ItemFields {
                        kind,
                        level: if kind == LedgerKind::Responsibility {
                            level
                        } else {
                            None
                        },
                        source,
                        year,
                        text,
                        measures,
                        owner,
                        deadline,
                        done_on,
                        evidence: progress,
                    },
                })
            }
            _ => Err(r.errors),
        }
    }
}

impl Importer for Ledger {
    type Row = LedgerRow;

    const KIND: FileKind = FileKind::Ledger;
    const AUDIT_ACTION: &'static str = "ledger.import";
    const WORDS: Words = Words {
        records: "台账事项",
        same_file: "该台账",
    };

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    fn check(&self, l: &Layout) -> Result<(), String> {
        layout::check_columns(l, &[Field::LedgerText], label).map_err(|p| p.to_string())?;
        if l.column_of(Field::Name).is_none() && l.column_of(Field::Uscc).is_none() {
            return Err("缺少“单位名称”或“统一社会信用代码”列".to_string());
        }
        if l.column_of(Field::LedgerKind).is_none() && self.kind.is_none() {
            return Err(
                "表中没有“清单类型”列，请在导入时指定清单类型（责任清单、任务清单或问题清单）"
                    .to_string(),
            );
        }
        Ok(())
    }

    fn parse_row(
        &self,
        l: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<LedgerRow, Vec<RowError>> {
        self.parse(l, sheet, row, cells)
    }

    fn no_header_message(&self) -> &'static str {
        "未找到表头：各工作表前30行中没有同时含有“单位名称”“问题描述（或任务内容、责任内容）”等列名的行"
    }

    fn group_words(&self) -> Vec<String> {
        self.group_words.clone()
    }

    fn campaign(&self) -> Option<i32> {
        None
    }

    fn store_row(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        w: &LedgerRow,
    ) -> Result<RowOutcome, ImportError> {
        let stored = ledger::store_row_in(
            tx,
            w.agency_id,
            &w.fields,
            (file.id, file.name, &w.sheet, w.row),
            &self.operator,
            file.now,
        )?;
        Ok(match stored {
            Stored::Created(_) => RowOutcome::Created,
            Stored::Unchanged(_) => RowOutcome::Unchanged,
            Stored::Updated(id, what) => RowOutcome::Updated(format!(
                "“{}”{}的事项（编号{id}）已按本文件工作表“{}”第{}行更新：{what}",
                w.name,
                w.fields.kind.label(),
                w.sheet,
                w.row
            )),
        })
    }

    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value {
        json!({
            "file": c.file,
            "sha256": c.sha256,
            "file_id": c.file_id,
            "kind": self.kind.map(|k| k.as_str()),
            "rows": c.rows,
            "imported": c.imported,
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "partial": c.partial,
        })
    }
}
