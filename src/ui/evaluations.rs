//! 测评数据: the inputs of the components mofan computes itself (docs/specification.md §8)
//! — satisfaction ballots and panel score sheets — with every unit's counts or judges'
//! scores, its score or the reason it is missing, and the sentence explaining it; the
//! preview of a chosen file before it is stored, its import and withdrawal.
//!
//! Every rule is the core's: the importers are [`crate::import::Ballots`] and
//! [`crate::import::Panel`] on the shared machinery ([`import::analyze`],
//! [`import::import_file`]), the scores those of [`crate::evaluate`], as
//! `mofan ballots list` and `mofan panel list` print them. This module shapes them for the
//! window and holds the store's lock only while it reads or writes the store, never while
//! a file is read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{lock, short_time, UiError};
use crate::evaluate::{ballots as ballot_scores, panel as panel_scores, text2};
use crate::export::evaluations::{self as evaluation_book, BookKind};
use crate::import::aliases::Field;
use crate::import::layout::Layout;
use crate::import::{
    self, ballots, panel, Analysis, FileKind, FileReport, ImportError, ImportOptions, Importer,
    Record, RowError, WithdrawReport,
};
use crate::scheme::{ComponentSource, Scheme};
use crate::select;
use crate::store::campaigns::CampaignStatus;
use crate::store::files;
use crate::store::{self as store_mod, Store};
#[cfg(test)]
use crate::vocab::PanelLayout;
use crate::vocab::{BallotLayout, PreviewState, StoredFileStatus};

/// The 测评数据 screen of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationsView {
    /// Campaign year.
    pub year: i32,
    /// Whether the campaign is published: its inputs can no longer change.
    pub locked: bool,
    /// Every component whose score mofan computes, in scheme order; empty when every
    /// component is read from the returns (the screen then says how to set 来源).
    pub components: Vec<ComputedComponent>,
    /// The last selection run and whether its inputs changed since; `None` when never run.
    pub run: Option<select::RunState>,
}

/// A component computed from ballots or from the panel, with its inputs and every unit's
/// result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComputedComponent {
    /// The component's key (public).
    pub key: String,
    /// Its label (群众测评).
    pub label: String,
    /// `ballots` or `panel`.
    pub source: ComponentSource,
    /// The source's label (测评票, 评委打分).
    pub source_label: String,
    /// The signed-sheet workbook its source exports (测评汇总表, 评委评分汇总表).
    pub workbook: String,
    /// How its score is computed, in one sentence ([`Scheme::computation`]).
    pub computation: String,
    /// The scheme's choice words, in order (ballots; empty for the panel): the columns of
    /// every unit's `counts`.
    pub choices: Vec<String>,
    /// The scheme's words that are not counted (ballots; empty for the panel).
    pub not_counted_words: Vec<String>,
    /// Every file imported for it, withdrawn ones too, oldest first.
    pub files: Vec<EvaluationFile>,
    /// One row per unit of the campaign (agencies with a current return), in agency order.
    pub units: Vec<UnitEvaluation>,
}

/// A file imported for a computed component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationFile {
    /// `imported_files.id`: what withdrawing names.
    pub id: i64,
    /// File name (no folder).
    pub file_name: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// When it was imported (as stored, RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub operator: String,
    /// Imported, partly imported or withdrawn.
    pub status: StoredFileStatus,
    /// Data rows found in it.
    pub rows_total: i64,
    /// Records stored (units counted for ballots, rows of scores for the panel).
    pub rows_imported: i64,
    /// The layouts its sheets were read in, as labels (计票汇总表, 评委为列, …).
    pub layouts: Vec<String>,
}

/// One unit's result for a computed component: the ballot counts or the judges' scores,
/// then the score or the reason it is missing, and the explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnitEvaluation {
    /// `agencies.id`.
    pub agency_id: i64,
    /// The unit's name (of its current return).
    pub name: String,
    /// Its USCC, when known.
    pub uscc: Option<String>,
    /// Ballots: the count of each choice word, in the scheme's order (empty for the panel).
    pub counts: Vec<i64>,
    /// Ballots: answers that gave a word not counted.
    pub not_counted: i64,
    /// Ballots: valid answers.
    pub valid: i64,
    /// Ballots: Σ发放 of the tally rows giving both counts.
    pub issued: Option<i64>,
    /// Ballots: Σ回收 of the same rows.
    pub returned: Option<i64>,
    /// Ballots: 回收 ÷ 发放 as a percentage with 2 places ("95.00"), when tested.
    pub return_rate: Option<String>,
    /// Panel: every judge's entry, in judge order (empty for ballots).
    pub judges: Vec<JudgeEntry>,
    /// The score (2 places), or `None` when missing.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub score: Option<Decimal>,
    /// Why the score is missing.
    pub reason: Option<String>,
    /// How the score was computed, in one sentence.
    pub explanation: Option<String>,
}

/// One judge's entry for a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JudgeEntry {
    /// The judge as the sheet names them.
    pub judge: String,
    /// The score as an exact decimal; `None` when the judge recused (回避).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub score: Option<Decimal>,
    /// Whether this score is one of the highest or lowest dropped.
    pub dropped: bool,
}

/// The campaign's stored scheme and whether it is published.
fn scheme_of(store: &Store, year: i32) -> Result<(Scheme, bool), UiError> {
    let (scheme, status) = super::campaign_scheme(store, year)?;
    Ok((scheme, status == CampaignStatus::Published))
}

/// The files of one component, with the layouts their sheets were read in.
fn component_files(
    store: &Store,
    year: i32,
    key: &str,
    source: ComponentSource,
) -> Result<Vec<EvaluationFile>, UiError> {
    let mut layouts: Vec<(i64, &'static str)> = match source {
        ComponentSource::Ballots => store_mod::ballots::file_layouts(store.conn(), year, key)?
            .into_iter()
            .map(|(id, l)| (id, l.label()))
            .collect(),
        ComponentSource::Panel => store_mod::panel::sheet_spreads(store.conn(), year, key)?
            .into_iter()
            .map(|s| {
                let layout = panel::stored_layout(s.judges, s.columns);
                (s.file_id, layout.label())
            })
            .collect(),
        ComponentSource::Return => Vec::new(),
    };
    layouts.dedup();
    let kind = match source {
        ComponentSource::Panel => FileKind::Panel,
        _ => FileKind::Ballots,
    };
    Ok(files::list_of(store.conn(), kind, year)?
        .iter()
        .filter_map(|f| {
            let of_file: Vec<String> = layouts
                .iter()
                .filter(|(id, _)| *id == f.id)
                .map(|(_, l)| l.to_string())
                .collect();
            // A file of this kind stored nothing for another component: it is that one's.
            (!of_file.is_empty()).then(|| EvaluationFile {
                id: f.id,
                file_name: f.file_name.clone(),
                sha256: f.sha256.clone(),
                imported_at: f.imported_at.clone(),
                operator: f.operator.clone(),
                status: f.status,
                rows_total: f.rows_total,
                rows_imported: f.rows_imported,
                layouts: of_file,
            })
        })
        .collect())
}

fn ballot_unit(u: ballot_scores::UnitBallots) -> UnitEvaluation {
    let r = u.result;
    UnitEvaluation {
        agency_id: u.agency_id,
        name: u.name,
        uscc: u.uscc,
        counts: r.counts.iter().map(|(_, n)| *n).collect(),
        not_counted: r.not_counted,
        valid: r.valid,
        issued: r.issued,
        returned: r.returned,
        return_rate: r.return_rate.map(|x| text2(x * Decimal::ONE_HUNDRED)),
        judges: Vec::new(),
        score: r.score,
        reason: r.reason,
        explanation: r.explanation,
    }
}

fn panel_unit(u: panel_scores::UnitScore) -> UnitEvaluation {
    // `dropped` names each dropped judge once (a judge scores a unit once).
    let judges = u
        .scores
        .into_iter()
        .map(|j| JudgeEntry {
            dropped: u.dropped.contains(&j.judge),
            judge: j.judge,
            score: j.score,
        })
        .collect();
    UnitEvaluation {
        agency_id: u.agency_id,
        name: u.name,
        uscc: u.uscc,
        counts: Vec::new(),
        not_counted: 0,
        valid: 0,
        issued: None,
        returned: None,
        return_rate: None,
        judges,
        score: u.score,
        reason: u.reason,
        explanation: u.explanation,
    }
}

/// The 测评数据 screen of campaign `year`.
pub fn view(store: &Store, year: i32) -> Result<EvaluationsView, UiError> {
    let (scheme, locked) = scheme_of(store, year)?;
    let mut ballots: HashMap<String, ballot_scores::ComponentBallots> =
        ballot_scores::list_with_scheme(store.conn(), year, &scheme)?
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
    let mut panels: HashMap<String, panel_scores::ComponentScores> =
        panel_scores::list_with_scheme(store.conn(), year, &scheme)?
            .into_iter()
            .map(|c| (c.key.clone(), c))
            .collect();
    let mut components = Vec::new();
    for c in scheme.computed_components() {
        let units: Vec<UnitEvaluation> = match c.source {
            ComponentSource::Ballots => ballots
                .remove(&c.key)
                .map(|b| b.units.into_iter().map(ballot_unit).collect())
                .unwrap_or_default(),
            ComponentSource::Panel => panels
                .remove(&c.key)
                .map(|p| p.units.into_iter().map(panel_unit).collect())
                .unwrap_or_default(),
            ComponentSource::Return => continue,
        };
        let is_ballots = c.source == ComponentSource::Ballots;
        components.push(ComputedComponent {
            key: c.key.clone(),
            label: c.label.clone(),
            source: c.source,
            source_label: c.source.label().to_string(),
            workbook: book_of(year, c.source)?.0.title().to_string(),
            computation: scheme.computation(c).unwrap_or_default(),
            choices: if is_ballots {
                scheme
                    .ballots
                    .choices
                    .iter()
                    .map(|(w, _)| w.clone())
                    .collect()
            } else {
                Vec::new()
            },
            not_counted_words: if is_ballots {
                scheme.ballots.not_counted.clone()
            } else {
                Vec::new()
            },
            files: component_files(store, year, &c.key, c.source)?,
            units,
        });
    }
    Ok(EvaluationsView {
        year,
        locked,
        components,
        run: select::latest(store, year)?.map(|s| s.state),
    })
}

/// A column or row of a previewed sheet matched to a unit of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchedUnit {
    /// Sheet name.
    pub sheet: String,
    /// Where: a column letter ("D") for a survey's unit column, else the unit's first row.
    pub place: String,
    /// What the sheet says there: a unit column's header; empty for a row.
    pub given: String,
    /// The unit it stands for, as the campaign knows it.
    pub unit: String,
}

/// One sheet of a previewed file in which a header was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationSheet {
    /// Sheet name.
    pub sheet: String,
    /// 1-based first header row.
    pub header_row: u32,
    /// The detected layout's label (计票汇总表, 问卷导出（每个单位一列）, 评委为列, …).
    pub layout: String,
}

/// What importing a chosen file for a component would do, without storing anything.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvaluationPreview {
    /// The path as chosen.
    pub path: String,
    /// File name.
    pub file: String,
    /// The component's key.
    pub component: String,
    /// SHA-256.
    pub sha256: String,
    /// How the file stands (可导入, 有错误, 已导入过, 无法读取).
    pub state: PreviewState,
    /// Set when the same file is imported already (the core's message).
    pub duplicate: Option<String>,
    /// Sheets with a header and their layout.
    pub sheets: Vec<EvaluationSheet>,
    /// The unit columns (survey) or rows matched to units, in sheet order; a unit counted
    /// from a respondents' sheet is listed at its column, not at each answer.
    pub matched: Vec<MatchedUnit>,
    /// Data rows found.
    pub rows: usize,
    /// Records that would be stored (units counted; rows of scores).
    pub valid: usize,
    /// Warnings in Chinese; they do not stop the import.
    pub warnings: Vec<String>,
    /// Errors with their place (sheet, row, column, message).
    pub errors: Vec<RowError>,
}

/// The importer a component's files go through (boxed: both hold a campaign's scheme
/// and units, and only one is made per file).
enum Reader {
    Ballots(Box<import::Ballots>),
    Panel(Box<import::Panel>),
}

impl Reader {
    fn open(store: &Store, year: i32, component: &str) -> Result<Reader, UiError> {
        let scheme = import::campaign_scheme(store, year)?;
        // The component's own importer says what is wrong with a key or its source.
        match scheme.component(component.trim()).map(|c| c.source) {
            Some(ComponentSource::Panel) => {
                let panel = import::Panel::open(store, year, component).map_err(panel_error)?;
                Ok(Reader::Panel(Box::new(panel)))
            }
            _ => {
                let ballots = import::Ballots::open(store, year, component)?;
                Ok(Reader::Ballots(Box::new(ballots)))
            }
        }
    }
}

/// A panel importer's refusal as the window's error (same code, same message).
fn panel_error(e: panel::PanelError) -> UiError {
    match e {
        panel::PanelError::Import(e) => UiError::Import(e),
        other => UiError::Panel(Box::new(other)),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A preview's parts, whatever the importer: the records only counted.
struct Parts {
    kind: FileKind,
    sheets: Vec<EvaluationSheet>,
    matched: Vec<MatchedUnit>,
    a: Analysis<()>,
}

/// The sheets, rows and errors of an analysis, whatever its records.
struct Read<R> {
    a: Analysis<R>,
}

impl<R: Record> Read<R> {
    fn analyze<I: Importer<Row = R>>(importer: &I, path: &Path) -> Read<R> {
        let name = file_name(path);
        let mut a = match import::file::read_import_file(path) {
            Ok(bytes) => import::analyze(importer, bytes, &name),
            Err(e) => Analysis::failed(&name, String::new(), e.to_string()),
        };
        // The gate refuses a readable file without records; the preview says so first.
        if !a.unreadable && a.valid.is_empty() && a.errors.is_empty() {
            a.errors.push(import::no_records::<I>());
        }
        Read { a }
    }

    /// The analysis with its sheets' layouts and the units matched, its records counted.
    fn parts(
        self,
        kind: FileKind,
        matched: Vec<MatchedUnit>,
        layout: impl Fn(&Layout) -> &'static str,
    ) -> Parts {
        let sheets = self
            .a
            .sheets
            .iter()
            .map(|(s, l)| EvaluationSheet {
                sheet: s.clone(),
                header_row: l.header_row + 1,
                layout: layout(l).to_string(),
            })
            .collect();
        let a = self.a;
        Parts {
            kind,
            sheets,
            matched,
            a: Analysis {
                file_name: a.file_name,
                sha256: a.sha256,
                sheets: a.sheets,
                rows: a.rows,
                valid: vec![(); a.valid.len()],
                errors: a.errors,
                warnings: a.warnings,
                unreadable: a.unreadable,
                revised: a.revised,
                mapped: a.mapped,
            },
        }
    }

    /// The rows of the records, each unit once per sheet at its first row.
    fn matched_rows(&self) -> Vec<MatchedUnit> {
        let mut seen = std::collections::HashSet::new();
        self.a
            .valid
            .iter()
            .filter(|r| seen.insert((r.sheet().to_string(), r.name().to_string())))
            .map(|r| MatchedUnit {
                sheet: r.sheet().to_string(),
                place: format!("第{}行", r.row()),
                given: String::new(),
                unit: r.name().to_string(),
            })
            .collect()
    }
}

/// Reads a chosen file as the component's inputs (the store is locked only to make the
/// importer and to look for the same file). Also returns the report the error workbook is
/// made from. A file that cannot be read at all is an unreadable preview with the reason
/// as its error; a campaign, component or store failure is an error.
pub fn preview(
    store: &Mutex<Store>,
    year: i32,
    component: &str,
    path: &Path,
) -> Result<(EvaluationPreview, FileReport), UiError> {
    let reader = Reader::open(&*lock(store)?, year, component)?;
    let parts = match &reader {
        Reader::Ballots(b) => {
            let read = Read::analyze(b.as_ref(), path);
            let survey = |l: &Layout| ballots::layout_of(l) == BallotLayout::Survey;
            let mut matched = Vec::new();
            for (sheet, l) in read.a.sheets.iter().filter(|(_, l)| survey(l)) {
                matched.extend(l.columns.iter().filter_map(|c| match c.field {
                    Some(Field::Unit(u)) => Some(MatchedUnit {
                        sheet: sheet.clone(),
                        place: c.letters(),
                        given: c.header.clone(),
                        unit: b.units().all().get(u)?.name.clone(),
                    }),
                    _ => None,
                }));
            }
            // A survey's units are shown at their columns; the other sheets' at rows.
            let counted_at_columns: Vec<&String> = read
                .a
                .sheets
                .iter()
                .filter(|(_, l)| survey(l))
                .map(|(s, _)| s)
                .collect();
            matched.extend(
                read.matched_rows()
                    .into_iter()
                    .filter(|m| !counted_at_columns.contains(&&m.sheet)),
            );
            read.parts(FileKind::Ballots, matched, |l| {
                ballots::layout_of(l).label()
            })
        }
        Reader::Panel(p) => {
            let read = Read::analyze(p.as_ref(), path);
            let matched = read.matched_rows();
            read.parts(FileKind::Panel, matched, |l| panel::layout_of(l).label())
        }
    };
    let Parts {
        kind,
        sheets,
        matched,
        a,
    } = parts;
    let Analysis {
        file_name: name,
        sha256,
        sheets: layouts,
        rows,
        valid,
        errors,
        warnings,
        unreadable,
        ..
    } = a;
    let duplicate = if sha256.is_empty() {
        None
    } else {
        let store = lock(store)?;
        files::find_live(store.conn(), kind, Some(year), &sha256)?.map(|prev| {
            format!(
                "该文件已于{}导入（文件名《{}》，编号{}），内容相同，再次导入不会做任何改动",
                short_time(&prev.imported_at),
                prev.file_name,
                prev.id
            )
        })
    };
    let report = FileReport::unstored(&name, &sha256, &layouts, rows, &warnings, &errors);
    let state = if unreadable {
        PreviewState::Unreadable
    } else if duplicate.is_some() {
        PreviewState::Duplicate
    } else if !errors.is_empty() {
        PreviewState::Errors
    } else {
        PreviewState::Ready
    };
    Ok((
        EvaluationPreview {
            path: path.display().to_string(),
            file: name,
            component: component.trim().to_string(),
            sha256,
            state,
            duplicate,
            sheets,
            matched,
            rows,
            valid: valid.len(),
            warnings,
            errors,
        },
        report,
    ))
}

/// Imports chosen files for a component, one after the other, each in its own
/// transaction (a whole file, or with `opts.partial` its correct rows). The importer is
/// made again for each file: a panel's holds the scores stored so far, which a judge may
/// not give again, and a ballots' the units with a return as the file starts.
pub fn import_files(
    store: &Mutex<Store>,
    year: i32,
    component: &str,
    paths: &[PathBuf],
    opts: &ImportOptions,
) -> Result<Vec<FileReport>, UiError> {
    let mut reports = Vec::with_capacity(paths.len());
    for path in paths {
        let mut store = lock(store)?;
        let report = match Reader::open(&store, year, component)? {
            Reader::Ballots(b) => import::import_file(&mut store, b.as_ref(), path, opts)?,
            Reader::Panel(p) => import::import_file(&mut store, p.as_ref(), path, opts)?,
        };
        reports.push(report);
    }
    Ok(reports)
}

/// The signed-sheet workbook of a source's components (测评汇总表 for `ballots`, 评委评分汇总表
/// for `panel`): which one, and the file name the save dialog offers
/// (2026年度测评汇总表.xlsx). A component read from the returns has no such workbook.
pub fn book_of(year: i32, source: ComponentSource) -> Result<(BookKind, String), UiError> {
    let kind = match source {
        ComponentSource::Ballots => BookKind::Ballots,
        ComponentSource::Panel => BookKind::Panel,
        ComponentSource::Return => return Err(UiError::NoWorkbook(source.label().to_string())),
    };
    Ok((kind, format!("{year}年度{}.xlsx", kind.title())))
}

/// Writes the workbook of `source`'s components of campaign `year` to `out`, exactly as
/// `mofan ballots list --out` / `mofan panel list --out` write it. The store is locked
/// only while the counts or scores are read, not while the workbook is built and written.
pub fn export(
    store: &Mutex<Store>,
    year: i32,
    source: ComponentSource,
    out: &Path,
) -> Result<(), UiError> {
    let (kind, _) = book_of(year, source)?;
    let guard = lock(store)?;
    let book = evaluation_book::from_store(guard.conn(), year, kind, &crate::now_string())?;
    drop(guard);
    Ok(evaluation_book::write(out, &book)?)
}

/// Withdraws a live ballot file or panel sheet of campaign `year` by its id (as the screen
/// lists it): its counts or scores stop counting (audited).
pub fn withdraw(
    store: &mut Store,
    year: i32,
    id: i64,
    operator: &str,
) -> Result<WithdrawReport, UiError> {
    let kind = files::get(store.conn(), id)?
        .filter(|f| f.campaign_year == Some(year))
        .map(|f| f.kind)
        .filter(|k| matches!(k, FileKind::Ballots | FileKind::Panel))
        .ok_or_else(|| ImportError::FileNotFound {
            year,
            target: id.to_string(),
        })?;
    // Named by id, which `withdraw_of` tries before a SHA-256 prefix or a file name.
    Ok(import::withdraw_of(
        store,
        year,
        kind,
        &id.to_string(),
        operator,
    )?)
}

#[cfg(test)]
mod tests;
