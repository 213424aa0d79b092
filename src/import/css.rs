//! The `mso-number-format` of an HTML table cell — the Excel number format that web
//! exports attach through CSS, in the cell's `style` attribute or in a rule of the page's
//! style sheet — read with the CSS parser Firefox and Servo use (cssparser).

use std::collections::HashMap;

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserInput, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, StyleSheetParser, Token,
};

const PROPERTY: &str = "mso-number-format";

/// Reads declarations, keeping the value of `mso-number-format`.
struct Declarations;

impl<'i> DeclarationParser<'i> for Declarations {
    type Declaration = Option<String>;
    type Error = ();

    fn parse_value<'t>(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i, 't>,
        _start: &ParserState,
    ) -> Result<Option<String>, ParseError<'i, ()>> {
        let value = if name.eq_ignore_ascii_case(PROPERTY) {
            // Excel writes a quoted format ("0\.0%") or a name (Percent); CSS escapes such
            // as `\.` are already resolved by the tokenizer.
            match input.next()? {
                Token::QuotedString(s) | Token::Ident(s) => Some(s.to_string()),
                _ => None,
            }
        } else {
            None
        };
        // The rest of the declaration (`!important`, other values) does not matter.
        while input.next().is_ok() {}
        Ok(value)
    }
}

impl<'i> AtRuleParser<'i> for Declarations {
    type Prelude = ();
    type AtRule = Option<String>;
    type Error = ();
}

impl<'i> QualifiedRuleParser<'i> for Declarations {
    type Prelude = ();
    type QualifiedRule = Option<String>;
    type Error = ();
}

impl<'i> RuleBodyItemParser<'i, Option<String>, ()> for Declarations {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

/// The last `mso-number-format` of a declaration list.
fn number_format(input: &mut Parser<'_, '_>) -> Option<String> {
    RuleBodyParser::new(input, &mut Declarations)
        .filter_map(Result::ok)
        .flatten()
        .last()
}

/// The `mso-number-format` of a `style` attribute.
pub(crate) fn inline_format(style: &str) -> Option<String> {
    let mut input = ParserInput::new(style);
    number_format(&mut Parser::new(&mut input))
}

/// What a style rule's selector picks: an element name (`td`), or a class with or without
/// one (`.xl65`, `td.xl65`). Other selectors (descendants, ids, attributes) are not read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Tag(String),
    Class(Option<String>, String),
}

/// One selector of a comma-separated list, or `None` for a kind not read.
fn target<'i>(input: &mut Parser<'i, '_>) -> Result<Option<Target>, ParseError<'i, ()>> {
    input.skip_whitespace();
    let mut tag = None;
    let mut class = None;
    let mut supported = true;
    while let Ok(token) = input.next_including_whitespace() {
        match token.clone() {
            Token::Ident(t) if tag.is_none() && class.is_none() => tag = Some(t.to_string()),
            Token::Delim('.') if class.is_none() => match input.next_including_whitespace() {
                Ok(Token::Ident(c)) => class = Some(c.to_string()),
                _ => supported = false,
            },
            Token::WhiteSpace(_) => {
                input.skip_whitespace();
                supported &= input.is_exhausted();
            }
            _ => supported = false,
        }
    }
    Ok(match (supported, tag, class) {
        (true, t, Some(c)) => Some(Target::Class(t, c)),
        (true, Some(t), None) => Some(Target::Tag(t)),
        _ => None,
    })
}

/// Reads style rules, keeping those that set `mso-number-format`.
struct Rules;

impl<'i> QualifiedRuleParser<'i> for Rules {
    type Prelude = Vec<Target>;
    type QualifiedRule = Vec<(Target, String)>;
    type Error = ();

    fn parse_prelude<'t>(
        &mut self,
        input: &mut Parser<'i, 't>,
    ) -> Result<Vec<Target>, ParseError<'i, ()>> {
        let targets = input.parse_comma_separated(target)?;
        Ok(targets.into_iter().flatten().collect())
    }

    fn parse_block<'t>(
        &mut self,
        prelude: Vec<Target>,
        _start: &ParserState,
        input: &mut Parser<'i, 't>,
    ) -> Result<Vec<(Target, String)>, ParseError<'i, ()>> {
        Ok(match number_format(input) {
            Some(f) => prelude.into_iter().map(|t| (t, f.clone())).collect(),
            None => Vec::new(),
        })
    }
}

impl<'i> AtRuleParser<'i> for Rules {
    type Prelude = ();
    type AtRule = Vec<(Target, String)>;
    type Error = ();
}

/// The number formats a page's style sheets give to cells, indexed so that a cell's
/// lookup costs no more than its own `class` attribute, however many rules a page has.
#[derive(Debug, Default, Clone)]
pub(crate) struct StyleSheet {
    /// Rules seen so far (their order decides between equally specific rules).
    count: usize,
    /// (element name or "" for any, class) → (order, format).
    classes: HashMap<(String, String), (usize, String)>,
    /// Element name → (order, format).
    tags: HashMap<String, (usize, String)>,
}

impl StyleSheet {
    /// Adds the rules of one `<style>` element (later rules win, as in CSS).
    pub(crate) fn add(&mut self, css: &str) {
        let mut input = ParserInput::new(css);
        let mut parser = Parser::new(&mut input);
        let mut rules = Rules;
        let parsed = StyleSheetParser::new(&mut parser, &mut rules);
        for (target, format) in parsed.filter_map(Result::ok).flatten() {
            self.count += 1;
            let entry = (self.count, format);
            match target {
                Target::Tag(t) => {
                    self.tags.insert(t.to_ascii_lowercase(), entry);
                }
                Target::Class(t, c) => {
                    let t = t.map(|t| t.to_ascii_lowercase()).unwrap_or_default();
                    self.classes.insert((t, c), entry);
                }
            }
        }
    }

    /// The format of a `tag` cell with the given `class` attribute and no inline format:
    /// a class rule is more specific than an element rule; among equals the last wins.
    pub(crate) fn format(&self, tag: &str, class: &str) -> Option<&str> {
        let tag = tag.to_ascii_lowercase();
        let by_class = class
            .split_ascii_whitespace()
            .flat_map(|c| {
                [
                    self.classes.get(&(String::new(), c.to_string())),
                    self.classes.get(&(tag.clone(), c.to_string())),
                ]
            })
            .flatten()
            .max_by_key(|(order, _)| *order);
        by_class
            .or_else(|| self.tags.get(&tag))
            .map(|(_, f)| f.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_styles() {
        assert_eq!(
            inline_format("text-align:right; mso-number-format:\"0\\.0%\"").as_deref(),
            Some("0.0%")
        );
        assert_eq!(
            inline_format("mso-number-format:Percent").as_deref(),
            Some("Percent")
        );
        assert_eq!(
            inline_format("mso-number-format:'\\@'").as_deref(),
            Some("@")
        );
        assert_eq!(inline_format("color:red"), None);
        assert_eq!(inline_format("mso-number-format:"), None);
    }

    #[test]
    fn style_sheet_rules() {
        let mut s = StyleSheet::default();
        s.add(
            "<!-- td { mso-number-format:General; }
              .xl65 { mso-style-parent:style0; mso-number-format:\"0\\.0%\"; }
              td.code, .other p { mso-number-format:\"\\@\"; }
              @media print { .xl65 { mso-number-format:\"0\"; } }
              #id { mso-number-format:\"0%\"; } -->",
        );
        assert_eq!(s.format("td", "xl65"), Some("0.0%"));
        assert_eq!(s.format("td", "a  xl65"), Some("0.0%"));
        assert_eq!(s.format("td", "code"), Some("@"));
        assert_eq!(s.format("th", "code"), None);
        assert_eq!(s.format("td", ""), Some("General"));
        assert_eq!(s.format("TD", "XL65"), Some("General"));
        // A later rule for the same class wins.
        s.add(".xl65 { mso-number-format:\"0%\"; }");
        assert_eq!(s.format("td", "xl65"), Some("0%"));
    }

    #[test]
    fn hostile_style_sheets_end() {
        let mut s = StyleSheet::default();
        s.add(&"{[(".repeat(100_000));
        s.add(&"}".repeat(100_000));
        s.add(&format!(
            "{} .a {{ mso-number-format:\"0%\" }}",
            ".b{}".repeat(10_000)
        ));
        assert_eq!(s.format("td", "a"), Some("0%"));
        assert_eq!(inline_format(&"(".repeat(100_000)), None);
    }
}
