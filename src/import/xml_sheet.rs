//! XML Spreadsheet 2003 (`<?mso-application progid="Excel.Sheet"?>`, what Excel 2003 and
//! many systems write as `.xls`): each `Worksheet` is a sheet (hidden ones are skipped),
//! each `Row` a row and each `Cell` a cell, placed by `ss:Index` or after the cell before
//! it and its `ss:MergeAcross`; `ss:MergeAcross`/`ss:MergeDown` are merged regions.
//!
//! Read with quick-xml as a stream: a first pass finds the styles, the sheets (with where
//! each starts) and their merged regions; reading a sheet parses from its start to its
//! end only.

use std::collections::HashSet;

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::layout::MAX_MERGES;
use super::percent::is_percent_format;
use super::text::{self, MAX_COLS, MAX_ROWS};
use super::values::Cell;
use super::workbook::{column_letter, FileProblem, Merge, RowFn, MAX_CELLS};

/// An XML Spreadsheet 2003 document.
pub(crate) struct XmlBook {
    text: String,
    /// Styles whose number format shows a percentage.
    percent: HashSet<String>,
    sheets: Vec<SheetInfo>,
}

struct SheetInfo {
    name: String,
    /// Byte offset of its `<Worksheet` tag.
    offset: usize,
    visible: bool,
    merges: Vec<Merge>,
}

/// Where rows and cells fall, following `ss:Index`, `ss:Span` and `ss:MergeAcross`.
#[derive(Default)]
struct Place {
    next_row: u32,
    row: u32,
    next_col: u32,
    /// Regions merged down from an earlier row that still cover rows: the format does not
    /// skip them (a row's next cell follows the cell before it, not the merge), so a
    /// writer must place the cells beside them with `ss:Index`.
    down: Vec<Merge>,
}

fn bad(what: String) -> FileProblem {
    FileProblem::Unreadable(what)
}

/// The attribute with this local name (`ss:Index` and `Index` alike).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().into_inner() == local).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

/// A whole-number attribute; absent is `None`, anything but a whole number is an error.
fn number(e: &BytesStart<'_>, local: &str) -> Result<Option<u32>, FileProblem> {
    match attr(e, local) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .map(Some)
            .map_err(|_| bad(format!("ss:{local}=\"{v}\" 不是有效的数字"))),
    }
}

impl Place {
    fn row(&mut self, e: &BytesStart<'_>) -> Result<(), FileProblem> {
        let r = match number(e, "Index")? {
            Some(0) => return Err(bad("ss:Index=\"0\" 不是有效的行号".into())),
            Some(i) => i - 1,
            None => self.next_row,
        };
        if r < self.next_row {
            return Err(bad(format!("第{}行（ss:Index）排在它前面的行之后", r + 1)));
        }
        if r >= MAX_ROWS {
            return Err(FileProblem::OutsideGrid(String::new()));
        }
        let span = number(e, "Span")?.unwrap_or(0);
        self.down.retain(|m| m.end.0 >= r);
        self.row = r;
        self.next_row = r.saturating_add(1).saturating_add(span);
        self.next_col = 0;
        Ok(())
    }

    /// Places a cell; returns its column and the merged region it opens, if any.
    fn cell(&mut self, e: &BytesStart<'_>) -> Result<(u32, Option<Merge>), FileProblem> {
        let c = match number(e, "Index")? {
            Some(0) => return Err(bad("ss:Index=\"0\" 不是有效的列号".into())),
            Some(i) => i - 1,
            None => self.next_col,
        };
        if c < self.next_col {
            return Err(bad(format!(
                "第{}行的单元格（ss:Index={}）排在它前面的单元格之后",
                self.row + 1,
                c + 1
            )));
        }
        let across = number(e, "MergeAcross")?.unwrap_or(0);
        let down = number(e, "MergeDown")?.unwrap_or(0);
        let end_col = c.saturating_add(across);
        if end_col >= MAX_COLS {
            return Err(FileProblem::OutsideGrid(String::new()));
        }
        self.next_col = end_col + 1;
        let covering = self
            .down
            .iter()
            .find(|m| m.start.0 < self.row && m.start.1 <= end_col && c <= m.end.1);
        if let Some(m) = covering {
            return Err(FileProblem::MergeOverlap {
                sheet: String::new(),
                row: self.row + 1,
                column: column_letter(c),
                region: format!(
                    "{}{}:{}{}",
                    column_letter(m.start.1),
                    m.start.0 + 1,
                    column_letter(m.end.1),
                    m.end.0 + 1
                ),
            });
        }
        let end_row = self.row.saturating_add(down).min(MAX_ROWS - 1);
        let merge = (across > 0 || end_row > self.row).then_some(Merge {
            start: (self.row, c),
            end: (end_row, end_col),
        });
        if let Some(m) = merge.filter(|_| end_row > self.row) {
            self.down.push(m);
        }
        Ok((c, merge))
    }
}

/// A cell's value from its `ss:Type` and text, as Excel shows it.
fn value(kind: Option<&str>, raw: String, percent: bool) -> Cell {
    match kind.unwrap_or("String") {
        "Number" => match raw.trim().parse::<f64>() {
            Ok(_) if percent => text::percent_cell(&raw).unwrap_or(Cell::Text(raw)),
            Ok(f) if f.is_finite() => Cell::Float(f),
            // Not a number after all: kept as written, so the value rules name it.
            _ => Cell::Text(raw),
        },
        "DateTime" => {
            let t = raw.trim();
            chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
                .map(Cell::Date)
                .unwrap_or(Cell::Text(raw))
        }
        "Boolean" => match raw.trim() {
            "1" => Cell::Bool(true),
            "0" => Cell::Bool(false),
            _ => Cell::Text(raw),
        },
        "Error" => Cell::Error(raw),
        _ => Cell::Text(raw),
    }
}

/// What a pass is for.
enum Goal<'f, 'g> {
    /// Styles, sheets and merged regions of the whole document.
    Discover,
    /// The rows of the sheet the text starts with.
    Rows(&'f mut RowFn<'g>),
}

/// The result of a pass.
#[derive(Default)]
struct Found {
    percent: HashSet<String>,
    sheets: Vec<SheetInfo>,
}

/// A cell being read.
struct OpenCell {
    col: u32,
    kind: Option<String>,
    percent: bool,
    data: Option<String>,
}

/// A problem of the sheet being read, with the sheet's name filled in.
fn in_sheet(p: FileProblem, sheet: &Option<SheetInfo>) -> FileProblem {
    let name = sheet.as_ref().map(|s| s.name.clone()).unwrap_or_default();
    match p {
        FileProblem::OutsideGrid(_) => FileProblem::OutsideGrid(name),
        FileProblem::TooLarge(_) => FileProblem::TooLarge(name),
        FileProblem::Unreadable(why) => FileProblem::Unreadable(format!("工作表“{name}”{why}")),
        FileProblem::MergeOverlap {
            row,
            column,
            region,
            ..
        } => FileProblem::MergeOverlap {
            sheet: name,
            row,
            column,
            region,
        },
        other => other,
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Parses `text` (from the start of the document, or of one worksheet) for `goal`.
fn walk(
    text: &str,
    percent: &HashSet<String>,
    mut goal: Goal<'_, '_>,
) -> Result<Found, FileProblem> {
    let discover = matches!(goal, Goal::Discover);
    let mut reader = Reader::from_str(text);
    let mut found = Found::default();
    let mut style: Option<String> = None;
    let mut sheet: Option<SheetInfo> = None;
    let mut place = Place::default();
    // Finding the sheets, a sheet whose rows cannot be placed is passed over to its end:
    // reading it reports the problem, and a hidden sheet is never read.
    let mut broken = false;
    let mut cell: Option<OpenCell> = None;
    let mut cells: Vec<(u32, Cell)> = Vec::new();
    let mut count: u64 = 0;
    // Depth inside a cell's comment (its Data is not the cell's value), inside Data, and
    // whether the text of a <Visible> element is being read.
    let mut comment = 0usize;
    let mut in_data = 0usize;
    let mut visible_text: Option<String> = None;
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            bad(format!(
                "XML格式错误（第{}字节附近）：{e}",
                reader.error_position()
            ))
        })?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match local(e.name().into_inner()) {
                    "Style" => style = None,
                    "Data" if in_data > 0 => in_data -= 1,
                    "Comment" => comment = comment.saturating_sub(1),
                    "Visible" => {
                        if let (Some(t), Some(s)) = (visible_text.take(), &mut sheet) {
                            if matches!(t.trim(), "SheetHidden" | "SheetVeryHidden") {
                                s.visible = false;
                            }
                        }
                    }
                    "Cell" => {
                        if let Some(c) = cell.take() {
                            let v = value(c.kind.as_deref(), c.data.unwrap_or_default(), c.percent);
                            if !v.is_blank() && !discover {
                                count += 1;
                                if count > MAX_CELLS {
                                    return Err(in_sheet(
                                        FileProblem::TooLarge(String::new()),
                                        &sheet,
                                    ));
                                }
                                cells.push((c.col, v));
                            }
                        }
                    }
                    "Row" => {
                        if let Goal::Rows(f) = &mut goal {
                            if !cells.is_empty() {
                                cells.sort_by_key(|(c, _)| *c);
                                if f(place.row, &mut cells).is_break() {
                                    return Ok(found);
                                }
                                cells.clear();
                            }
                        }
                    }
                    "Worksheet" => {
                        if let Some(s) = sheet.take() {
                            found.sheets.push(s);
                        }
                        if !discover {
                            return Ok(found);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                if let Some(v) = &mut visible_text {
                    v.push_str(&t);
                } else if in_data > 0 && comment == 0 {
                    if let Some(d) = cell.as_mut().and_then(|c| c.data.as_mut()) {
                        d.push_str(&t);
                    }
                }
                continue;
            }
            Event::CData(t) => {
                if in_data > 0 && comment == 0 {
                    if let Some(d) = cell.as_mut().and_then(|c| c.data.as_mut()) {
                        d.push_str(&t.xml10_content());
                    }
                }
                continue;
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(ch)) => ch.to_string(),
                    _ => resolve_xml_entity(&r)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("&{};", &*r)),
                };
                if let Some(v) = &mut visible_text {
                    v.push_str(&resolved);
                } else if in_data > 0 && comment == 0 {
                    if let Some(d) = cell.as_mut().and_then(|c| c.data.as_mut()) {
                        d.push_str(&resolved);
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match local(e.name().into_inner()) {
            "Style" if discover && !empty => style = attr(&e, "ID"),
            "NumberFormat" if discover => {
                if let (Some(id), Some(f)) = (&style, attr(&e, "Format")) {
                    if is_percent_format(&f) {
                        found.percent.insert(id.clone());
                    }
                }
            }
            "Worksheet" => {
                let n = found.sheets.len() + 1;
                sheet = Some(SheetInfo {
                    name: attr(&e, "Name").unwrap_or_else(|| format!("Sheet{n}")),
                    offset: at,
                    visible: true,
                    merges: Vec::new(),
                });
                place = Place::default();
                broken = false;
                if empty {
                    if let Some(s) = sheet.take() {
                        found.sheets.push(s);
                    }
                }
            }
            "Row" if sheet.is_some() && !broken => {
                if let Err(p) = place.row(&e) {
                    if !discover {
                        return Err(in_sheet(p, &sheet));
                    }
                    broken = true;
                }
                cells.clear();
            }
            "Cell" if sheet.is_some() && !broken => {
                let (col, merge) = match place.cell(&e) {
                    Ok(placed) => placed,
                    Err(p) if !discover => return Err(in_sheet(p, &sheet)),
                    Err(_) => {
                        broken = true;
                        continue;
                    }
                };
                if let (Some(m), Some(s)) = (merge, &mut sheet) {
                    if discover && s.merges.len() <= MAX_MERGES {
                        s.merges.push(m);
                    }
                }
                if !empty {
                    let percent = attr(&e, "StyleID").is_some_and(|id| percent.contains(&id));
                    cell = Some(OpenCell {
                        col,
                        kind: None,
                        percent,
                        data: None,
                    });
                }
            }
            "Comment" if cell.is_some() && !empty => comment += 1,
            "Data" if cell.is_some() && comment == 0 => {
                if let Some(c) = &mut cell {
                    c.kind = attr(&e, "Type");
                    c.data = Some(String::new());
                }
                if !empty {
                    in_data += 1;
                }
            }
            "Visible" if sheet.is_some() && !empty => visible_text = Some(String::new()),
            _ => {}
        }
    }
    Ok(found)
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="gb2312"?>`).
pub(crate) fn declared_encoding(head: &str) -> Option<&'static encoding_rs::Encoding> {
    let mut reader = Reader::from_str(head.trim_start_matches('\u{feff}').trim_start());
    match reader.read_event() {
        Ok(Event::Decl(d)) => {
            let label = d.encoding()?.ok()?;
            encoding_rs::Encoding::for_label(label.trim().as_bytes())
        }
        _ => None,
    }
}

impl XmlBook {
    /// Reads the document's styles and sheets.
    pub(crate) fn open(text: String) -> Result<XmlBook, FileProblem> {
        let found = walk(&text, &HashSet::new(), Goal::Discover)?;
        Ok(XmlBook {
            text,
            percent: found.percent,
            sheets: found.sheets,
        })
    }

    /// The names of the visible worksheets, in order.
    pub(crate) fn sheets(&self) -> Vec<String> {
        self.sheets
            .iter()
            .filter(|s| s.visible)
            .map(|s| s.name.clone())
            .collect()
    }

    fn sheet(&self, name: &str) -> Option<&SheetInfo> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// The merged regions of a sheet.
    pub(crate) fn merges(&self, sheet: &str) -> Vec<Merge> {
        self.sheet(sheet)
            .map(|s| s.merges.clone())
            .unwrap_or_default()
    }

    /// Calls `f` for each row of a sheet holding a value.
    pub(crate) fn for_each_row(&self, sheet: &str, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
        let Some(s) = self.sheet(sheet) else {
            return Ok(());
        };
        // The offset is where quick-xml began the `<Worksheet` tag: a character boundary.
        let text = self.text.get(s.offset..).unwrap_or_default();
        walk(text, &self.percent, Goal::Rows(f)).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;

    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <Styles>
  <Style ss:ID="Default" ss:Name="Normal"/>
  <Style ss:ID="s62"><NumberFormat ss:Format="0.0%"/></Style>
  <Style ss:ID="s63"><NumberFormat ss:Format="Percent"/></Style>
  <Style ss:ID="s64"><NumberFormat ss:Format="0.00"/></Style>
 </Styles>
 <Worksheet ss:Name="说明">
  <Table><Row><Cell><Data ss:Type="String">填表说明</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">
   <Visible>SheetHidden</Visible>
  </WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="申报表">
  <Table ss:ExpandedColumnCount="99999" ss:ExpandedRowCount="99999">
   <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">标题 &amp; 年度</Data></Cell></Row>
   <Row ss:Index="3"><Cell ss:MergeDown="1"><Data ss:Type="String">市级</Data></Cell>
    <Cell><Data ss:Type="String">甲&#10;局</Data><Comment><Data>批注</Data></Comment></Cell>
    <Cell ss:StyleID="s62"><Data ss:Type="Number">0.955</Data></Cell>
    <Cell ss:Index="6" ss:StyleID="s64"><Data ss:Type="Number">88.5</Data></Cell></Row>
   <Row><Cell ss:Index="2"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>乙</B>局</ss:Data></Cell>
    <Cell ss:StyleID="s63"><Data ss:Type="Number">1</Data></Cell>
    <Cell><Data ss:Type="DateTime">2024-03-01T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="Boolean">1</Data></Cell><Cell><Data ss:Type="Error">#N/A</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"#;

    fn rows(b: &XmlBook, sheet: &str) -> Vec<(u32, Vec<(u32, Cell)>)> {
        let mut out = Vec::new();
        b.for_each_row(sheet, &mut |r, cells| {
            out.push((r, cells.clone()));
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    fn s(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }

    #[test]
    fn worksheets_rows_cells_and_types() {
        let b = XmlBook::open(DOC.to_string()).unwrap();
        assert_eq!(b.sheets(), vec!["申报表"]);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(
            rows(&b, "申报表"),
            vec![
                (0, vec![(0, s("标题 & 年度"))]),
                (
                    2,
                    vec![
                        (0, s("市级")),
                        (1, s("甲\n局")),
                        (2, Cell::Percent(0.955)),
                        (5, Cell::Float(88.5))
                    ]
                ),
                (
                    3,
                    vec![
                        (1, s("乙局")),
                        (2, Cell::Percent(1.0)),
                        (3, Cell::Date(date)),
                        (4, Cell::Bool(true)),
                        (5, Cell::Error("#N/A".into()))
                    ]
                ),
            ]
        );
        let m: Vec<_> = b
            .merges("申报表")
            .iter()
            .map(|m| (m.start, m.end))
            .collect();
        assert_eq!(m, vec![((0, 0), (0, 2)), ((2, 0), (3, 0))]);
    }

    #[test]
    fn declared_encodings() {
        assert_eq!(
            declared_encoding("<?xml version=\"1.0\" encoding=\"gb2312\"?><Workbook/>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_encoding("<?xml version=\"1.0\"?>"), None);
        assert_eq!(declared_encoding("<html>"), None);
    }

    #[test]
    fn a_hidden_sheet_that_cannot_be_placed_does_not_matter() {
        let b = XmlBook::open(
            r#"<Workbook><Worksheet ss:Name="旧"><Table><Row ss:Index="9"/><Row ss:Index="2"/></Table>
               <WorksheetOptions><Visible>SheetVeryHidden</Visible></WorksheetOptions></Worksheet>
               <Worksheet ss:Name="新"><Table><Row><Cell><Data>a</Data></Cell></Row></Table></Worksheet></Workbook>"#
                .to_string(),
        )
        .unwrap();
        assert_eq!(b.sheets(), vec!["新"]);
        assert_eq!(rows(&b, "新"), vec![(0, vec![(0, s("a"))])]);
    }

    #[test]
    fn misplaced_and_far_cells_are_refused() {
        let doc = |row: &str| {
            format!(
                r#"<Workbook><Worksheet ss:Name="表"><Table>{row}</Table></Worksheet></Workbook>"#
            )
        };
        let read = |d: String| {
            let b = XmlBook::open(d)?;
            b.for_each_row("表", &mut |_, _| ControlFlow::Continue(()))
        };
        assert_eq!(
            read(doc(
                r#"<Row ss:Index="1048577"><Cell><Data>a</Data></Cell></Row>"#
            )),
            Err(FileProblem::OutsideGrid("表".into()))
        );
        assert!(matches!(
            read(doc(r#"<Row ss:Index="5"/><Row ss:Index="2"/>"#)),
            Err(FileProblem::Unreadable(m)) if m.starts_with("工作表“表”第2行")
        ));
        assert!(matches!(
            read(doc(r#"<Row><Cell ss:Index="x"/></Row>"#)),
            Err(FileProblem::Unreadable(m)) if m.contains("ss:Index=\"x\"")
        ));
        // A cell under a region merged down from the row above, not skipped by ss:Index.
        assert_eq!(
            read(doc(
                r#"<Row><Cell ss:MergeDown="1"><Data>序号</Data></Cell><Cell><Data>b</Data></Cell></Row>
                   <Row><Cell><Data>x</Data></Cell></Row>"#
            )),
            Err(FileProblem::MergeOverlap {
                sheet: "表".into(),
                row: 2,
                column: "A".into(),
                region: "A1:A2".into()
            })
        );
        assert!(read(doc(
            r#"<Row><Cell ss:MergeDown="1"><Data>序号</Data></Cell><Cell><Data>b</Data></Cell></Row>
               <Row><Cell ss:Index="2"><Data>x</Data></Cell></Row><Row><Cell><Data>y</Data></Cell></Row>"#
        ))
        .is_ok());
        assert!(matches!(
            read("<Workbook><Worksheet></Table></Workbook>".into()),
            Err(FileProblem::Unreadable(m)) if m.contains("XML格式错误")
        ));
    }
}
