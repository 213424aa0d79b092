//! HTML tables — what the "导出Excel" buttons of OA and 政务 systems write, named `.xls` —
//! read as sheets, one per `<table>` holding text, laid out as Excel lays them out: each
//! `<tr>` is a row; a cell takes the first column of its row that no `rowspan` from above
//! covers; `colspan`/`rowspan` become merged regions (filled like any merged cell).
//!
//! The page is tokenized by html5ever (the HTML parser of Servo) and never built into a
//! tree: the tables are laid out as the tokens stream by, so memory holds one row, not the
//! page. The first pass finds the tables and their merged regions; reading a table's rows
//! tokenizes again up to its end.

use std::cell::RefCell;
use std::ops::ControlFlow;

use encoding_rs::Encoding;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::css::{self, StyleSheet};
use super::layout::MAX_MERGES;
use super::percent::is_percent_format;
use super::text::{self, MAX_COLS, MAX_ROWS};
use super::values::Cell;
use super::workbook::{FileProblem, Merge, RowFn, MAX_CELLS};

/// The most tables with text a page may hold (an export has one; a page with dozens is
/// not a return, and each table costs a pass over the page).
pub const MAX_TABLES: usize = 50;
/// Tables nested deeper than this are not read (no export nests tables at all).
const MAX_DEPTH: usize = 32;
/// The text is fed to the tokenizer in pieces of about this many bytes, so that the rows
/// it completes can be handed on before the next piece.
const CHUNK: usize = 1 << 16;
/// The largest `colspan` and `rowspan` HTML honours.
const MAX_COLSPAN: u32 = 1000;
const MAX_ROWSPAN: u32 = 65534;

/// An HTML page's tables.
pub(crate) struct HtmlBook {
    text: String,
    styles: StyleSheet,
    tables: Vec<TableInfo>,
}

struct TableInfo {
    name: String,
    /// The table's place among all `<table>` start tags of the page.
    ordinal: usize,
    merges: Vec<Merge>,
}

/// What a pass is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// Find the tables with text, their merged regions and the style sheets.
    Discover,
    /// Lay out the rows of the table with this ordinal.
    Rows(usize),
}

/// A table being laid out.
struct Table {
    ordinal: usize,
    wanted: bool,
    /// The open row (0-based), if any.
    row: Option<u32>,
    /// The row the next `<tr>` opens.
    next_row: u32,
    /// The column the next cell of the open row starts looking from.
    col: u32,
    /// For each column, the first row not covered by a `rowspan` from above.
    covered: Vec<u32>,
    cell: Option<OpenCell>,
    cells: Vec<(u32, Cell)>,
    merges: Vec<Merge>,
    has_text: bool,
    non_empty: u64,
    /// Laid out past Excel's grid while finding the tables: the rest of the table is
    /// skipped, and reading its rows reports the problem with the sheet's name.
    overflow: bool,
}

struct OpenCell {
    col: u32,
    text: String,
    /// White space seen since the last character (HTML collapses it to one space).
    space: bool,
    /// The cell's number format shows a percentage.
    percent: bool,
}

/// The state of one pass, inside the token sink.
struct Walk<'s> {
    goal: Goal,
    styles: &'s StyleSheet,
    tables_started: usize,
    stack: Vec<Table>,
    /// Tables ignored because they nest too deep, counted to find their ends.
    ignored: usize,
    /// Inside `<script>`, `<style>`, `<title>` …: its text is not cell text.
    raw: Option<String>,
    style_text: String,
    css: Vec<String>,
    found: Vec<(usize, Vec<Merge>)>,
    ready: Vec<(u32, Vec<(u32, Cell)>)>,
    done: bool,
    problem: Option<FileProblem>,
}

/// HTML's rules for parsing a non-negative integer attribute: leading spaces, digits;
/// anything else ends the number; no digits gives the default 1.
fn span(tag: &Tag, name: &str, max: u32) -> u32 {
    let Some(v) = attr(tag, name) else { return 1 };
    let digits: String = v
        .trim_start_matches([' ', '\t', '\n', '\r', '\x0C'])
        .trim_start_matches('+')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.parse::<u64>() {
        Ok(0) | Err(_) => 1,
        Ok(n) => n.min(u64::from(max)) as u32,
    }
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl Table {
    fn new(ordinal: usize, wanted: bool) -> Table {
        Table {
            ordinal,
            wanted,
            row: None,
            next_row: 0,
            col: 0,
            covered: Vec::new(),
            cell: None,
            cells: Vec::new(),
            merges: Vec::new(),
            has_text: false,
            non_empty: 0,
            overflow: false,
        }
    }

    fn open_row(&mut self) -> Result<(), FileProblem> {
        if self.next_row >= MAX_ROWS {
            return Err(FileProblem::OutsideGrid(String::new()));
        }
        self.row = Some(self.next_row);
        self.next_row += 1;
        self.col = 0;
        Ok(())
    }

    /// Closes the open cell; its text, if any, becomes a value of the row.
    fn close_cell(&mut self) -> Result<(), FileProblem> {
        let Some(c) = self.cell.take() else {
            return Ok(());
        };
        let t = c.text.trim_matches([' ', '\n']);
        if t.is_empty() {
            return Ok(());
        }
        let value = match text::text_cell(t) {
            Cell::Text(s) if c.percent => text::percent_cell(&s).unwrap_or(Cell::Text(s)),
            other => other,
        };
        if value.is_blank() {
            return Ok(());
        }
        self.has_text = true;
        if self.wanted {
            self.non_empty += 1;
            if self.non_empty > MAX_CELLS {
                return Err(FileProblem::TooLarge(String::new()));
            }
            self.cells.push((c.col, value));
        }
        Ok(())
    }

    /// Closes the open row (and its cell), handing on its values.
    fn close_row(&mut self, ready: &mut Vec<(u32, Vec<(u32, Cell)>)>) -> Result<(), FileProblem> {
        self.close_cell()?;
        if let Some(r) = self.row.take() {
            if !self.cells.is_empty() {
                let mut cells = std::mem::take(&mut self.cells);
                cells.sort_by_key(|(c, _)| *c);
                ready.push((r, cells));
            }
        }
        Ok(())
    }

    /// Opens a cell at the first free column of the row.
    fn open_cell(
        &mut self,
        colspan: u32,
        rowspan: u32,
        percent: bool,
        discover: bool,
    ) -> Result<(), FileProblem> {
        self.close_cell()?;
        if self.row.is_none() {
            self.open_row()?; // a <td> without <tr>
        }
        let row = self.row.unwrap_or_default();
        let mut col = self.col;
        while self
            .covered
            .get(col as usize)
            .is_some_and(|until| *until > row)
        {
            col += 1;
        }
        let end = col + colspan - 1;
        if end >= MAX_COLS {
            return Err(FileProblem::OutsideGrid(String::new()));
        }
        self.col = end + 1;
        let last_row = (row + rowspan - 1).min(MAX_ROWS - 1);
        if last_row > row {
            if self.covered.len() <= end as usize {
                self.covered.resize(end as usize + 1, 0);
            }
            for c in col..=end {
                self.covered[c as usize] = last_row + 1;
            }
        }
        if discover && (last_row > row || end > col) && self.merges.len() <= MAX_MERGES {
            self.merges.push(Merge {
                start: (row, col),
                end: (last_row, end),
            });
        }
        self.cell = Some(OpenCell {
            col,
            text: String::new(),
            space: false,
            percent,
        });
        Ok(())
    }

    fn text(&mut self, s: &str) {
        let Some(c) = &mut self.cell else { return };
        for ch in s.chars() {
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                c.space = true;
                continue;
            }
            if c.space && !c.text.is_empty() && !c.text.ends_with('\n') {
                c.text.push(' ');
            }
            c.space = false;
            c.text.push(ch);
        }
    }

    /// A line break inside the cell (`<br>`, or a paragraph starting).
    fn line_break(&mut self, only_after_text: bool) {
        let Some(c) = &mut self.cell else { return };
        if only_after_text && (c.text.is_empty() || c.text.ends_with('\n')) {
            return;
        }
        c.text.push('\n');
        c.space = false;
    }
}

/// Elements whose content the tokenizer must read as text, not markup.
fn raw_kind(name: &str) -> Option<RawKind> {
    match name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

impl Walk<'_> {
    fn fail(&mut self, p: FileProblem) {
        if self.problem.is_none() {
            self.problem = Some(p);
        }
        self.done = true;
    }

    fn finish_table(&mut self, mut t: Table) {
        if let Err(p) = t.close_row(&mut self.ready) {
            return self.fail(p);
        }
        if self.goal == Goal::Discover && t.has_text {
            if self.found.len() >= MAX_TABLES {
                return self.fail(FileProblem::TooManyTables(MAX_TABLES));
            }
            self.found.push((t.ordinal, std::mem::take(&mut t.merges)));
        }
        if t.wanted {
            self.done = true;
        }
    }

    fn cell_format(&self, tag: &Tag) -> Option<String> {
        attr(tag, "style").and_then(css::inline_format).or_else(|| {
            self.styles
                .format(&tag.name, attr(tag, "class").unwrap_or(""))
                .map(str::to_string)
        })
    }

    fn start_tag(&mut self, tag: &Tag) -> Result<(), FileProblem> {
        let name: &str = &tag.name;
        if name == "table" {
            if self.ignored > 0 || self.stack.len() >= MAX_DEPTH {
                self.ignored += 1;
            } else {
                let ordinal = self.tables_started;
                self.tables_started += 1;
                let wanted = self.goal == Goal::Rows(ordinal);
                self.stack.push(Table::new(ordinal, wanted));
            }
            return Ok(());
        }
        if self.ignored > 0 {
            return Ok(());
        }
        let discover = self.goal == Goal::Discover;
        let Some(t) = self.stack.last_mut().filter(|t| !t.overflow) else {
            return Ok(());
        };
        match name {
            "tr" => {
                t.close_row(&mut self.ready)?;
                t.open_row()?;
            }
            "td" | "th" => {
                let percent =
                    !discover && self.cell_format(tag).is_some_and(|f| is_percent_format(&f));
                let t = self.stack.last_mut().expect("checked above");
                t.open_cell(
                    span(tag, "colspan", MAX_COLSPAN),
                    span(tag, "rowspan", MAX_ROWSPAN),
                    percent,
                    discover,
                )?;
            }
            "thead" | "tbody" | "tfoot" => t.close_row(&mut self.ready)?,
            "br" => t.line_break(false),
            "p" | "div" | "li" => t.line_break(true),
            _ => {}
        }
        Ok(())
    }

    fn end_tag(&mut self, tag: &Tag) -> Result<(), FileProblem> {
        let name: &str = &tag.name;
        if name == "table" {
            if self.ignored > 0 {
                self.ignored -= 1;
            } else if let Some(t) = self.stack.pop() {
                self.finish_table(t);
            }
            return Ok(());
        }
        if self.ignored > 0 {
            return Ok(());
        }
        let Some(t) = self.stack.last_mut().filter(|t| !t.overflow) else {
            return Ok(());
        };
        match name {
            "tr" | "thead" | "tbody" | "tfoot" => t.close_row(&mut self.ready)?,
            "td" | "th" => t.close_cell()?,
            "p" | "div" | "li" => t.line_break(true),
            _ => {}
        }
        Ok(())
    }

    fn token(&mut self, token: Token) -> TokenSinkResult<()> {
        if self.done {
            return TokenSinkResult::Continue;
        }
        match token {
            Token::TagToken(tag) => {
                if let Some(raw) = &self.raw {
                    // Only the element's own end tag ends raw text.
                    if tag.kind == TagKind::EndTag && raw.as_str() == &*tag.name {
                        if raw == "style" && self.goal == Goal::Discover {
                            self.css.push(std::mem::take(&mut self.style_text));
                        }
                        self.raw = None;
                    }
                    return TokenSinkResult::Continue;
                }
                let result = match tag.kind {
                    TagKind::StartTag => self.start_tag(&tag),
                    TagKind::EndTag => self.end_tag(&tag),
                };
                match result {
                    Ok(()) => {}
                    Err(FileProblem::OutsideGrid(_)) if self.goal == Goal::Discover => {
                        if let Some(t) = self.stack.last_mut() {
                            t.overflow = true;
                            t.has_text = true;
                            t.cell = None;
                        }
                    }
                    Err(p) => {
                        self.fail(p);
                        return TokenSinkResult::Continue;
                    }
                }
                if tag.kind == TagKind::StartTag {
                    if &*tag.name == "plaintext" {
                        return TokenSinkResult::Plaintext;
                    }
                    if let Some(kind) = raw_kind(&tag.name) {
                        self.raw = Some(tag.name.to_string());
                        return TokenSinkResult::RawData(kind);
                    }
                }
            }
            Token::CharacterTokens(s) => {
                if let Some(raw) = &self.raw {
                    if raw == "style" && self.goal == Goal::Discover {
                        self.style_text.push_str(&s);
                    }
                } else if self.ignored == 0 {
                    if let Some(t) = self.stack.last_mut().filter(|t| !t.overflow) {
                        t.text(&s);
                    }
                }
            }
            Token::EOFToken => {
                while let Some(t) = self.stack.pop() {
                    self.finish_table(t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

struct Sink<'s>(RefCell<Walk<'s>>);

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().token(token)
    }
}

/// The end of the piece of `text` starting at `from`: about [`CHUNK`] bytes, on a
/// character boundary.
fn chunk_end(text: &str, from: usize) -> usize {
    let mut end = (from + CHUNK).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Tokenizes `text` for `goal`, handing each completed row to `on_row`.
fn walk<'s>(
    text: &str,
    goal: Goal,
    styles: &'s StyleSheet,
    on_row: &mut RowFn<'_>,
) -> Result<Walk<'s>, FileProblem> {
    let sink = Sink(RefCell::new(Walk {
        goal,
        styles,
        tables_started: 0,
        stack: Vec::new(),
        ignored: 0,
        raw: None,
        style_text: String::new(),
        css: Vec::new(),
        found: Vec::new(),
        ready: Vec::new(),
        done: false,
        problem: None,
    }));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut hand_on = |tok: &Tokenizer<Sink<'s>>| -> bool {
        let ready = std::mem::take(&mut tok.sink.0.borrow_mut().ready);
        for (r, mut cells) in ready {
            if on_row(r, &mut cells).is_break() {
                return false;
            }
        }
        !tok.sink.0.borrow().done
    };
    let mut at = 0;
    let mut going = true;
    while going && at < text.len() {
        let end = chunk_end(text, at);
        queue.push_back(StrTendril::from_slice(&text[at..end]));
        at = end;
        // The sink never asks for a script to run, so a piece is always fed whole.
        let _ = tok.feed(&queue);
        going = hand_on(&tok);
    }
    if going {
        tok.end();
        hand_on(&tok);
    }
    let mut w = tok.sink.0.into_inner();
    match w.problem.take() {
        Some(p) => Err(p),
        None => Ok(w),
    }
}

/// The charset an HTML page declares in its first bytes (`<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`).
pub(crate) fn declared_charset(head: &str) -> Option<&'static Encoding> {
    struct Meta(RefCell<Option<&'static Encoding>>);
    impl TokenSink for Meta {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                if tag.kind == TagKind::StartTag && &*tag.name == "meta" {
                    let label = attr(&tag, "charset").map(str::to_string).or_else(|| {
                        let content = attr(&tag, "content")?.to_ascii_lowercase();
                        let (_, rest) = content.split_once("charset")?;
                        let value = rest.trim_start().strip_prefix('=')?.trim_start();
                        let value = value.trim_start_matches(['"', '\'']);
                        Some(
                            value
                                .split(|c: char| {
                                    c == ';' || c == '"' || c == '\'' || c.is_whitespace()
                                })
                                .next()
                                .unwrap_or("")
                                .to_string(),
                        )
                    });
                    let mut found = self.0.borrow_mut();
                    if found.is_none() {
                        *found = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tok = Tokenizer::new(Meta(RefCell::new(None)), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(head));
    let _ = tok.feed(&queue);
    tok.end();
    tok.sink.0.into_inner()
}

/// Elements that start only an HTML page (or fragment), never an XML document of its own.
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "style", "script", "base", "table", "caption",
    "colgroup", "thead", "tbody", "tr", "td", "th", "div", "p", "span", "font", "center", "form",
    "br", "hr", "a", "img", "b", "strong", "i", "u", "pre", "ul", "ol", "li", "h1", "h2", "h3",
    "h4", "h5", "h6", "iframe", "frameset", "noscript", "section", "header", "main", "article",
    "nav", "footer",
];

/// The first element of a markup text, and whether a `<!DOCTYPE html>` precedes it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct FirstElement {
    /// Its name, lower case, without a namespace prefix.
    pub name: Option<String>,
    /// An HTML doctype came first.
    pub doctype_html: bool,
}

impl FirstElement {
    /// An XML Spreadsheet 2003 document starts with `<Workbook>` (or `<ss:Workbook>`).
    pub(crate) fn is_spreadsheet_2003(&self) -> bool {
        self.name.as_deref() == Some("workbook")
    }

    /// A web page.
    pub(crate) fn is_html(&self) -> bool {
        self.doctype_html
            || self
                .name
                .as_deref()
                .is_some_and(|n| HTML_ELEMENTS.contains(&n))
    }
}

/// Finds the first element of `text` (an XML prolog and processing instructions read as
/// comments to the HTML tokenizer, and are passed over like them).
pub(crate) fn first_element(text: &str) -> FirstElement {
    struct First(RefCell<FirstElement>);
    impl TokenSink for First {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut f = self.0.borrow_mut();
            if f.name.is_some() {
                return TokenSinkResult::Continue;
            }
            match token {
                Token::DoctypeToken(d) => {
                    f.doctype_html = d.name.is_some_and(|n| n.eq_ignore_ascii_case("html"));
                }
                Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                    let name = tag.name.to_ascii_lowercase();
                    let local = name.rsplit(':').next().unwrap_or(&name).to_string();
                    f.name = Some(local);
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let tok = Tokenizer::new(
        First(RefCell::new(FirstElement::default())),
        TokenizerOpts::default(),
    );
    let queue = BufferQueue::default();
    let mut at = 0;
    while at < text.len() && tok.sink.0.borrow().name.is_none() {
        let end = chunk_end(text, at);
        queue.push_back(StrTendril::from_slice(&text[at..end]));
        at = end;
        let _ = tok.feed(&queue);
    }
    tok.end();
    tok.sink.0.into_inner()
}

impl HtmlBook {
    /// Finds the tables of a page. `Ok(None)` when it has no table with text.
    pub(crate) fn open(text: String, stem: &str) -> Result<Option<HtmlBook>, FileProblem> {
        let none = StyleSheet::default();
        let mut ignore = |_: u32, _: &mut Vec<(u32, Cell)>| ControlFlow::Continue(());
        let mut w = walk(&text, Goal::Discover, &none, &mut ignore)?;
        // A nested table ends before the table around it: order by where they start.
        w.found.sort_by_key(|(ordinal, _)| *ordinal);
        if w.found.is_empty() {
            return Ok(None);
        }
        let mut styles = StyleSheet::default();
        for css in &w.css {
            styles.add(css);
        }
        let single = w.found.len() == 1;
        let tables = w
            .found
            .into_iter()
            .enumerate()
            .map(|(i, (ordinal, merges))| TableInfo {
                // Excel names the sheet of a one-table page after the file.
                name: if single {
                    stem.to_string()
                } else {
                    format!("表格{}", i + 1)
                },
                ordinal,
                merges,
            })
            .collect();
        Ok(Some(HtmlBook {
            text,
            styles,
            tables,
        }))
    }

    /// The sheet names, one per table with text, in page order.
    pub(crate) fn sheets(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.name.clone()).collect()
    }

    fn table(&self, sheet: &str) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.name == sheet)
    }

    /// The merged regions a table's spans make.
    pub(crate) fn merges(&self, sheet: &str) -> Vec<Merge> {
        self.table(sheet)
            .map(|t| t.merges.clone())
            .unwrap_or_default()
    }

    /// Calls `f` for each row of a table holding text.
    pub(crate) fn for_each_row(&self, sheet: &str, f: &mut RowFn<'_>) -> Result<(), FileProblem> {
        let Some(t) = self.table(sheet) else {
            return Ok(());
        };
        walk(&self.text, Goal::Rows(t.ordinal), &self.styles, f)
            .map(|_| ())
            .map_err(|p| match p {
                FileProblem::OutsideGrid(_) => FileProblem::OutsideGrid(sheet.to_string()),
                FileProblem::TooLarge(_) => FileProblem::TooLarge(sheet.to_string()),
                other => other,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(html: &str) -> HtmlBook {
        HtmlBook::open(html.to_string(), "申报")
            .unwrap()
            .expect("a table")
    }

    fn rows(b: &HtmlBook, sheet: &str) -> Vec<(u32, Vec<(u32, String)>)> {
        let mut out = Vec::new();
        b.for_each_row(sheet, &mut |r, cells| {
            out.push((r, cells.iter().map(|(c, v)| (*c, v.display())).collect()));
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    fn t(c: u32, s: &str) -> (u32, String) {
        (c, s.to_string())
    }

    #[test]
    fn spans_shift_cells_as_excel_lays_them_out() {
        let b = book(
            "<table>
               <tr><th colspan=3>标题</th></tr>
               <tr><td rowspan=2>市级</td><td>甲&nbsp;局</td><td>90</td></tr>
               <tr><td>乙<br>局</td><td> 80 </td></tr>
               <tr><td>县级<td colspan=\"2\">丙</tr>
             </table>",
        );
        assert_eq!(b.sheets(), vec!["申报"]);
        assert_eq!(
            rows(&b, "申报"),
            vec![
                (0, vec![t(0, "标题")]),
                (1, vec![t(0, "市级"), t(1, "甲\u{a0}局"), t(2, "90")]),
                (2, vec![t(1, "乙\n局"), t(2, "80")]),
                (3, vec![t(0, "县级"), t(1, "丙")]),
            ]
        );
        let m: Vec<_> = b.merges("申报").iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(
            m,
            vec![((0, 0), (0, 2)), ((1, 0), (2, 0)), ((3, 1), (3, 2))]
        );
    }

    #[test]
    fn tables_scripts_and_nesting() {
        let b = book(
            "<html><head><title><td>不是表格</td></title>
             <script>var s = '<table><tr><td>x</td></tr></table>';</script></head>
             <body><p>说明</p>
             <table><tr><td>外<table><tr><td>内</td></tr></table>层</td></tr></table>
             <table></table>
             <table><tr><td>  </td></tr></table>",
        );
        assert_eq!(b.sheets(), vec!["表格1", "表格2"]);
        assert_eq!(rows(&b, "表格1"), vec![(0, vec![t(0, "外层")])]);
        assert_eq!(rows(&b, "表格2"), vec![(0, vec![t(0, "内")])]);
        assert!(HtmlBook::open("<p>没有表格</p>".into(), "x")
            .unwrap()
            .is_none());
    }

    #[test]
    fn percent_formats_and_codes() {
        let b = book(
            "<style>.pct { mso-number-format:\"0\\.0%\"; } td { mso-number-format:\"\\@\"; }</style>
             <table><tr>
               <td class=pct>0.955</td>
               <td style='mso-number-format:Percent'>0.9</td>
               <td class=pct>95.5%</td>
               <td>0.955</td>
               <td>=\"0012\"</td>
             </tr></table>",
        );
        assert_eq!(
            rows(&b, "申报"),
            vec![(
                0,
                vec![
                    t(0, "95.5%"),
                    t(1, "90%"),
                    t(2, "95.5%"),
                    t(3, "0.955"),
                    t(4, "0012")
                ]
            )]
        );
    }

    #[test]
    fn charsets_declared_in_meta() {
        let gbk = declared_charset(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
        assert_eq!(gbk, Some(encoding_rs::GBK));
        assert_eq!(
            declared_charset("<meta charset=utf-8>"),
            Some(encoding_rs::UTF_8)
        );
        assert_eq!(declared_charset("<p>无</p>"), None);
    }

    #[test]
    fn limits() {
        let wide = format!(
            "<table><tr><td colspan=1000>a</td>{}</tr></table>",
            "<td colspan=1000>b</td>".repeat(16)
        );
        let b = book(&wide);
        assert_eq!(
            b.for_each_row("申报", &mut |_, _| ControlFlow::Continue(())),
            Err(FileProblem::OutsideGrid("申报".into()))
        );
        let many = "<table><tr><td>a</td></tr></table>".repeat(MAX_TABLES + 1);
        assert_eq!(
            HtmlBook::open(many, "x").err(),
            Some(FileProblem::TooManyTables(MAX_TABLES))
        );
    }
}
