//! The returns importer (申报表, docs/specification.md §3): a campaign's returns, read
//! against its scheme, each stored as the agency's current return — replacing, and
//! keeping in its history, the one an earlier file gave.

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::json;

use super::aliases::{AliasTable, Field};
use super::importer::{Analysis, Committed, Importer, Record, RowOutcome, StoredFile, Words};
use super::layout::{self, Layout};
use super::mapping::{self, ColumnChoice};
use super::rows::{self, ParsedReturn, RowError};
use super::values::{push_decimal, Cell, Score, MAX_PLACES};
use super::{campaign_scheme, ensure_open, ImportError};
use crate::normalize::header_key;
use crate::scheme::{ComponentSource, Scheme};
use crate::store::files::{self, FileKind};
use crate::store::{agencies, returns, Store};

/// The importer of a campaign's returns.
#[derive(Debug, Clone)]
pub struct Returns {
    year: i32,
    scheme: Scheme,
    aliases: AliasTable,
    /// Columns mapped by hand, or why they cannot be (a choice naming a field the scheme
    /// does not have refuses every file, with a message naming it).
    mapping: Result<mapping::Resolved, String>,
}

impl Returns {
    /// The importer of campaign `year`'s returns under its scheme, with columns mapped by
    /// hand ([`mapping`]; none when `choices` is empty). Refuses a campaign that does not
    /// exist or is published.
    pub fn open(
        store: &Store,
        year: i32,
        choices: &[ColumnChoice],
    ) -> Result<Returns, ImportError> {
        ensure_open(store, year)?;
        Ok(Returns::new(campaign_scheme(store, year)?, year, choices))
    }

    /// The importer of returns of campaign `year` under `scheme`, with columns mapped by
    /// hand; for reading files without a database, or a scheme read already.
    pub fn new(scheme: Scheme, year: i32, choices: &[ColumnChoice]) -> Returns {
        Returns {
            year,
            aliases: AliasTable::new(&scheme),
            mapping: mapping::Resolved::new(&scheme, choices),
            scheme,
        }
    }

    /// Stores one return with the statements of `upserts` and `inserts`, replacing the
    /// agency's current one (kept in history).
    fn store_one(
        &self,
        upserts: &mut agencies::Upserts<'_, '_>,
        inserts: &mut returns::Inserts<'_>,
        tx: &Connection,
        file: StoredFile<'_>,
        r: &ParsedReturn,
    ) -> Result<RowOutcome, ImportError> {
        let (agency_id, created) = upserts.upsert(
            &agencies::AgencyFields {
                uscc: r.uscc.as_deref(),
                name: &r.name,
                name_key: &r.name_key,
                tier: r.tier,
                region: r.region.as_deref(),
                unit_type: &r.unit_type,
            },
            file.now,
        )?;
        let previous = if created {
            None
        } else {
            inserts.current_for_agency(self.year, agency_id)?
        };
        if let Some((old, _)) = previous {
            // Free the unique "current" slot before inserting the new return.
            returns::end_current(tx, old, file.now)?;
        }
        let new_id = inserts.insert(&returns::NewReturn {
            campaign_year: self.year,
            agency_id,
            file_id: file.id,
            sheet: &r.sheet,
            row: r.row,
            name: &r.name,
            uscc: r.uscc.as_deref(),
            tier: r.tier,
            region: r.region.as_deref(),
            unit_type: &r.unit_type,
            daily: r.daily.map(|d| decimal_text(d.value)),
            components_json: scores_json(&self.scheme, &r.components),
            vetoes_json: vetoes_json(&self.scheme, &r.vetoes),
            complaints: r.complaints,
            problems_total: r.problems_total,
            problems_fixed: r.problems_fixed,
        })?;
        let Some((old, old_file)) = previous else {
            return Ok(RowOutcome::Created);
        };
        returns::mark_replaced(tx, old, new_id, file.now)?;
        let old_name = files::get(tx, old_file)?
            .map(|f| f.file_name)
            .unwrap_or_default();
        Ok(RowOutcome::Updated(format!(
            "单位“{}”已有申报（来自《{old_name}》），已由本文件工作表“{}”第{}行替换，原申报保留在历史记录中",
            r.name, r.sheet, r.row
        )))
    }
}

impl Record for ParsedReturn {
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
        ParsedReturn::identity(self)
    }
    fn repeated(&self, places: &str) -> String {
        format!("同一单位在本文件中出现多次（{places}）")
    }
}

impl Importer for Returns {
    type Row = ParsedReturn;

    const KIND: FileKind = FileKind::Returns;
    const AUDIT_ACTION: &'static str = "import.file";
    const WORDS: Words = Words {
        records: "申报记录",
        same_file: "该文件",
    };

    fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    fn adjust(&self, layout: &mut Layout) -> Vec<String> {
        match &self.mapping {
            Ok(m) => m.apply(&self.scheme, layout),
            Err(_) => Vec::new(),
        }
    }

    fn check(&self, layout: &Layout) -> Result<(), String> {
        layout::check(layout, &self.scheme).map_err(|p| p.to_string())
    }

    fn layout_warnings(&self, sheet: &str, l: &Layout) -> Vec<String> {
        let scheme = &self.scheme;
        let missing: Vec<String> = (0..scheme.vetoes.len())
            .filter(|i| l.column_of(Field::Veto(*i)).is_none())
            .map(|i| scheme.vetoes[i].label.clone())
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "工作表“{sheet}”中没有一票否决事项列：{}，按“否”处理",
            missing.join("、")
        )]
    }

    fn parse_row(
        &self,
        layout: &Layout,
        sheet: &str,
        row: u32,
        cells: &[(u32, Cell)],
    ) -> Result<ParsedReturn, Vec<RowError>> {
        rows::parse_row(&self.scheme, layout, sheet, row, cells)
    }

    fn no_header_message(&self) -> &'static str {
        "未找到表头：各工作表前30行中没有同时含有“单位名称”“层级”“单位类型”等列名的行"
    }

    fn group_words(&self) -> Vec<String> {
        rows::group_words(std::slice::from_ref(&self.scheme))
    }

    fn refusal(&self) -> Option<&str> {
        self.mapping.as_ref().err().map(String::as_str)
    }

    fn column_rules(&self, a: &mut Analysis<ParsedReturn>) {
        computed_columns(&self.scheme, a);
        apply_column_rules(&self.scheme, a);
    }

    fn campaign(&self) -> Option<i32> {
        Some(self.year)
    }

    fn still_open(&self, tx: &Connection) -> Result<(), ImportError> {
        super::still_open(tx, self.year)
    }

    /// Stores one return, replacing the agency's current one (kept in history).
    fn store_row(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        r: &ParsedReturn,
    ) -> Result<RowOutcome, ImportError> {
        self.store_one(
            &mut agencies::Upserts::new(tx),
            &mut returns::Inserts::new(tx),
            tx,
            file,
            r,
        )
    }

    /// Stores returns in order with their statements held for the lot.
    fn store_rows(
        &self,
        tx: &Connection,
        file: StoredFile<'_>,
        rows: &[ParsedReturn],
        outcome: &mut dyn FnMut(RowOutcome),
    ) -> Result<(), ImportError> {
        let mut known = file.known.map(|k| k.borrow_mut());
        let mut upserts = agencies::Upserts::new(tx).knowing(known.as_deref_mut(), rows.len())?;
        let mut inserts = returns::Inserts::new(tx);
        for r in rows {
            outcome(self.store_one(&mut upserts, &mut inserts, tx, file, r)?);
        }
        Ok(())
    }

    fn audit_details(&self, c: &Committed<'_>) -> serde_json::Value {
        json!({
            "campaign": self.year,
            "file": c.file,
            "sha256": c.sha256,
            "file_id": c.file_id,
            "rows": c.rows,
            "imported": c.imported,
            "replaced": c.updated,
            "partial": c.partial,
        })
    }
}

/// The score fields of a scheme: the daily score, then each component.
fn score_fields(scheme: &Scheme) -> impl Iterator<Item = Field> {
    std::iter::once(Field::Daily).chain((0..scheme.components.len()).map(Field::Component))
}

/// A return's score for a score field.
fn score_of(r: &ParsedReturn, field: Field) -> Option<Score> {
    match field {
        Field::Daily => r.daily,
        Field::Component(i) => r.components.get(i).copied().flatten(),
        _ => None,
    }
}

/// A return's score slot for a score field.
fn score_slot(r: &mut ParsedReturn, field: Field) -> Option<&mut Option<Score>> {
    match field {
        Field::Daily => Some(&mut r.daily),
        Field::Component(i) => r.components.get_mut(i),
        _ => None,
    }
}

/// One warning per file for each computed component whose column the file has (in any of
/// its sheets): the column is not read, the score mofan computes is used instead (§8).
fn computed_columns(scheme: &Scheme, a: &mut Analysis<ParsedReturn>) {
    for (i, c) in scheme.components.iter().enumerate() {
        if c.source == ComponentSource::Return {
            continue;
        }
        let Some(column) = a
            .sheets
            .iter()
            .find_map(|(_, l)| l.column_of(Field::Component(i)))
        else {
            continue;
        };
        // The column as the file names it; the component too when the header is another
        // of its names ("群众满意度" for 群众测评).
        let whose = if header_key(&column.header) == header_key(&c.label) {
            "该项".to_string()
        } else {
            c.label.clone()
        };
        a.warnings.push(format!(
            "“{}”列不导入：{whose}由{}计算",
            column.header,
            c.source.label()
        ));
    }
}

/// Applies the rules that need a score column as a whole (per file and field, across
/// sheets), after every row is read:
///
/// - **Mixed column.** A plain number in (0, 1) — neither percent-formatted nor written
///   with % — in a column that also holds a score above 1 cannot be told from a score
///   of 0.955 or a forgotten percent format; each such cell is an error.
/// - **Fraction column**. A column without percent cells whose values all
///   lie in [0, 1], one of them not whole, holds fractions: it is scaled by 100 with a
///   warning. A column of percent cells is in points already and needs no warning.
/// - **Precision.** The four-place limit applies to the score after scaling: a plain
///   number kept as it is may not carry more (0.89995 is 89.995 in a fraction column,
///   an error elsewhere).
///
/// Rows with such an error are taken out of the returns.
fn apply_column_rules(scheme: &Scheme, a: &mut Analysis<ParsedReturn>) {
    let fields: Vec<Field> = score_fields(scheme).collect();
    // What each rule needs to know of a column, for every column in one walk over the
    // rows: a file of 100,000 returns was walked three times per column, each column's
    // scores copied out first (docs/performance.md, tenth round). The rows are walked
    // again only for a column a rule changes or refuses something in.
    let mut facts = vec![ColumnFacts::default(); fields.len()];
    for r in &a.valid {
        for (f, &field) in facts.iter_mut().zip(&fields) {
            if let Some(s) = score_of(r, field) {
                f.see(&s);
            }
        }
    }
    let mut drop = vec![false; a.valid.len()];
    for (&field, facts) in fields.iter().zip(&facts) {
        let place = |sheet: &str| {
            a.sheets
                .iter()
                .find(|(s, _)| s == sheet)
                .and_then(|(_, l)| l.column_of(field))
                .map(|c| (c.letter(), c.header.clone()))
        };
        let mut error = |r: &ParsedReturn, v: Decimal, message: String| {
            let (column, header) = place(&r.sheet).unzip();
            a.errors.push(RowError {
                sheet: Some(r.sheet.clone()),
                row: Some(r.row),
                column,
                header,
                value: Some(v.to_string()),
                message,
            });
        };
        if let Some(example) = facts.above_one {
            if facts.unit_fraction {
                for (i, r) in a.valid.iter().enumerate() {
                    let Some(s) = score_of(r, field).filter(unit_fraction) else {
                        continue;
                    };
                    let points = (s.value * Decimal::ONE_HUNDRED).normalize();
                    error(
                        r,
                        s.value,
                        format!(
                            "{}与同列其他分数（如{}）不一致：若为百分比，请把单元格设为百分比格式或填写{points}",
                            s.value, example
                        ),
                    );
                    drop[i] = true;
                }
            }
        } else if !facts.any_percent && facts.fraction.holds_fractions() {
            for r in &mut a.valid {
                if let Some(Some(s)) = score_slot(r, field) {
                    s.value = (s.value * Decimal::ONE_HUNDRED).normalize();
                }
            }
            a.revised = true;
            let places: Vec<String> = a
                .sheets
                .iter()
                .filter_map(|(s, l)| {
                    l.column_of(field)
                        .map(|c| format!("工作表“{s}”{}列“{}”", c.letter(), c.header))
                })
                .collect();
            a.warnings.push(format!(
                "{}的数值都在0–1之间，视为百分比，已乘以100换算为分数（如0.955→95.5）",
                places.join("、")
            ));
        }
        // Read again: the column may just have been scaled (which never adds places, so a
        // column with no value past the limit before has none after).
        if facts.past_places {
            for (i, r) in a.valid.iter().enumerate() {
                if let Some(s) = score_of(r, field).filter(|s| s.value.scale() > MAX_PLACES) {
                    if !drop[i] {
                        error(r, s.value, format!("最多保留{MAX_PLACES}位小数"));
                        drop[i] = true;
                    }
                }
            }
        }
    }
    let mut i = 0;
    a.valid.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// A plain number in (0, 1): a fraction or a forgotten percent format, next to scores
/// above 1.
fn unit_fraction(s: &Score) -> bool {
    !s.percent && s.value > Decimal::ZERO && s.value < Decimal::ONE
}

/// What [`apply_column_rules`] needs to know of one score column, gathered row by row.
#[derive(Debug, Clone, Default)]
struct ColumnFacts {
    /// The first score above 1, in row order: the example the mixed-column error names.
    above_one: Option<Decimal>,
    /// Whether a score is a [`unit_fraction`].
    unit_fraction: bool,
    /// Whether a score says it is a percentage.
    any_percent: bool,
    /// Whether the column holds fractions, as far as seen.
    fraction: rows::FractionColumn,
    /// Whether a score carries more than [`MAX_PLACES`] places.
    past_places: bool,
}

impl ColumnFacts {
    fn see(&mut self, s: &Score) {
        if self.above_one.is_none() && s.value > Decimal::ONE {
            self.above_one = Some(s.value);
        }
        self.unit_fraction |= unit_fraction(s);
        self.any_percent |= s.percent;
        self.fraction.see(&s.value);
        self.past_places |= s.value.scale() > MAX_PLACES;
    }
}

/// `{"key":"95.5",…}` for the present scores. Keys are validated identifiers and values
/// decimals, so nothing needs escaping.
fn scores_json(scheme: &Scheme, values: &[Option<Score>]) -> String {
    let mut buf = String::with_capacity(16 * values.len() + 2);
    buf.push('{');
    for (c, v) in scheme.components.iter().zip(values) {
        if let Some(v) = v {
            if buf.len() > 1 {
                buf.push(',');
            }
            buf.push('"');
            buf.push_str(&c.key);
            buf.push_str("\":\"");
            push_decimal(&mut buf, v.value);
            buf.push('"');
        }
    }
    buf.push('}');
    buf
}

/// `{"key":true,…}` for every veto.
fn vetoes_json(scheme: &Scheme, flags: &[bool]) -> String {
    let mut buf = String::with_capacity(20 * flags.len() + 2);
    buf.push('{');
    for (i, (v, f)) in scheme.vetoes.iter().zip(flags).enumerate() {
        if i > 0 {
            buf.push(',');
        }
        buf.push('"');
        buf.push_str(&v.key);
        buf.push_str(if *f { "\":true" } else { "\":false" });
    }
    buf.push('}');
    buf
}

/// A decimal's text as stored (`Decimal::to_string`'s).
fn decimal_text(d: Decimal) -> String {
    let mut buf = String::with_capacity(8);
    push_decimal(&mut buf, d);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn json_is_written_directly() {
        let s = Scheme::default_scheme();
        let vals = [
            Some(Score::plain(Decimal::new(955, 1))),
            None,
            Some(Score::plain(Decimal::from(90))),
            None,
            None,
        ];
        assert_eq!(
            scores_json(&s, &vals),
            r#"{"self":"95.5","organisation":"90"}"#
        );
        assert_eq!(scores_json(&s, &[None; 5]), "{}");
        assert_eq!(
            vetoes_json(&s, &[true, false, false, false]),
            r#"{"discipline":true,"ideology":false,"safety":false,"inspection":false}"#
        );
        let v: serde_json::Value = serde_json::from_str(&vetoes_json(&s, &[false; 4])).unwrap();
        assert_eq!(v["safety"], false);
    }
}
