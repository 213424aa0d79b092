//! Rows under the header that carry no unit although they hold text in its columns:
//! section headings ("一、党群机关" across the table), the template's example row that
//! the template asked the clerk not to delete (序号 "示例", 衡阳市××局), and the 栏次 row
//! of statistical forms (甲 乙 丙 … 1 2 3 …). [`super::rows::classify`] skips them and the
//! scan names each one in the warnings, so nothing is dropped without a word.
//!
//! Each test is narrow enough never to take a unit. A heading or a 栏次 row cannot be a
//! unit's row, which holds a name beside its tier, unit type and scores in different
//! cells; a name left alone in a row stays a unit, with its errors. An example row looks
//! like a unit's, so only marks that no real agency carries make one: an example word
//! standing alone in 序号 or 备注, placeholder marks (××, XX) in the name or code, or a
//! leading "示例：" (a name such as 示例市民政局 is a unit).

use std::collections::HashSet;

use super::aliases::Field;
use super::layout::Layout;
use super::rows::cell_at;
use super::values::{compact, compact_chars, Cell};
use crate::normalize::{fold_spaces, fold_width, header_key};

/// Chinese numerals that number sections (一、…, （二）, 第三部分).
const CN_NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '零', '〇',
];
/// Roman numerals as single characters (Ⅰ … Ⅻ), as some forms number their parts.
const ROMAN_NUMERALS: &[char] = &['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ', 'Ⅵ', 'Ⅶ', 'Ⅷ', 'Ⅸ', 'Ⅹ', 'Ⅺ', 'Ⅻ'];
/// What may follow 第N in a section heading: 第一部分, 第二类, 第三组 ….
const SECTION_UNITS: &[&str] = &[
    "部分", "单元", "方面", "类", "组", "批", "片", "项", "篇", "章", "节", "编",
];

/// The length in bytes of the section number a text (width folded, spaces folded)
/// starts with, with its punctuation: "一、", "(二)", "第三部分", "1、", "2.", "Ⅳ、", or a
/// Chinese or Roman numeral and a space ("一 党群机关"). `None` when it starts with none.
fn section_number_len(t: &str) -> Option<usize> {
    let numeral_run = |s: &str, digits: &dyn Fn(char) -> bool| -> usize {
        s.char_indices()
            .find(|(_, c)| !digits(*c))
            .map_or(s.len(), |(i, _)| i)
    };
    let cn = |c: char| CN_NUMERALS.contains(&c);
    let any_digit = |c: char| cn(c) || c.is_ascii_digit();
    // (一) (1) — brackets are ASCII here, width having been folded.
    if let Some(rest) = t.strip_prefix('(') {
        let n = numeral_run(rest, &any_digit);
        if n > 0 && rest[n..].starts_with(')') {
            return Some(1 + n + 1);
        }
        return None;
    }
    // 第一部分, 第2类
    if let Some(rest) = t.strip_prefix('第') {
        let n = numeral_run(rest, &any_digit);
        let unit = SECTION_UNITS.iter().find(|u| rest[n..].starts_with(**u))?;
        return (n > 0).then_some('第'.len_utf8() + n + unit.len());
    }
    let after = |n: usize, ascii: bool| -> Option<usize> {
        let rest = &t[n..];
        let c = rest.chars().next()?;
        match c {
            '、' => Some(n + c.len_utf8()),
            // "1." is a section only when no digit follows ("1.5" is a number).
            '.' if !rest[1..].starts_with(|d: char| d.is_ascii_digit()) => Some(n + 1),
            '.' => None,
            _ if !ascii && c == ' ' => Some(n + 1),
            _ => None,
        }
    };
    let n = numeral_run(t, &cn);
    if n > 0 {
        return after(n, false);
    }
    let n = numeral_run(t, &|c| ROMAN_NUMERALS.contains(&c));
    if n > 0 {
        return after(n, false).or((n == t.len()).then_some(n));
    }
    let n = numeral_run(t, &|c: char| c.is_ascii_digit());
    if n > 0 {
        return after(n, true);
    }
    None
}

/// Whether a (compacted) text is a section number alone: 一, 一、, (二), 第三部分, Ⅳ.
/// An Arabic number is not one, bracketed or not: it is a unit's 序号.
fn is_section_number(t: &str) -> bool {
    let all_cn = !t.is_empty() && t.chars().all(|c| CN_NUMERALS.contains(&c));
    !t.chars().any(|c| c.is_ascii_digit()) && (all_cn || section_number_len(t) == Some(t.len()))
}

/// Whether a text starts with a section number followed by a title.
fn starts_with_section_number(t: &str) -> bool {
    let t = fold_spaces(&fold_width(t));
    section_number_len(&t).is_some_and(|n| n < t.len())
}

/// The words that, alone in a row, name a group of units rather than a unit (tier words
/// and unit types, with their aliases), as header keys so a trailing count such as
/// "（12个）" or a colon does not matter.
#[derive(Debug, Clone, Default)]
pub struct GroupWords(HashSet<String>);

impl GroupWords {
    /// The set of these words.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> GroupWords {
        GroupWords(
            words
                .into_iter()
                .map(header_key)
                .filter(|k| !k.is_empty())
                .collect(),
        )
    }

    fn contains(&self, text: &str) -> bool {
        self.0.contains(&header_key(text))
    }
}

/// Whether a (compacted) text reads as the title of a group and never as an agency's
/// name: "以下为县级单位", "党群系统", "省直部分" (no agency is called …系统 or …部分).
fn is_group_phrase(t: &str) -> bool {
    t.starts_with("以下") || ["系统", "部分"].iter().any(|s| t.ends_with(s))
}

/// The text of a section heading row, or `None` when the row is not one.
///
/// A section heading holds one text (besides, perhaps, a section number such as "一" in
/// the 序号 column) and nothing else — no number, date or second text — and that text
/// starts with a section number ("一、党群机关", "（二）政府机关", "第一部分 …"), or
/// stands in two or more of the header's columns (one cell merged across the table,
/// filled into each), or is a tier or unit-type word alone ("市直单位（15个）"), or a
/// group's title by its form ("以下为县级单位", "党群系统", "省直部分").
pub fn section_heading(
    layout: &Layout,
    cells: &[(u32, Cell)],
    groups: &GroupWords,
) -> Option<String> {
    // Most rows hold a number somewhere: no heading does.
    if cells
        .iter()
        .any(|(_, v)| !matches!(v, Cell::Text(_) | Cell::Empty))
    {
        return None;
    }
    let mut numbers: Vec<&str> = Vec::new();
    let mut title: Option<(String, &str)> = None;
    let mut title_cols: Vec<u32> = Vec::new();
    for (col, v) in cells {
        if v.is_blank() {
            continue;
        }
        let Cell::Text(t) = v else { return None };
        let c = compact(t);
        if is_section_number(&c) {
            numbers.push(t.trim());
            continue;
        }
        match &title {
            Some((k, _)) if *k != c => return None,
            Some(_) => {}
            None => title = Some((c, t.trim())),
        }
        title_cols.push(*col);
    }
    let (key, text) = title?;
    let in_columns = layout
        .columns
        .iter()
        .filter(|c| title_cols.contains(&c.col))
        .count();
    let heading = starts_with_section_number(text)
        || in_columns >= 2
        || groups.contains(text)
        || is_group_phrase(&key);
    heading.then(|| {
        numbers.dedup();
        numbers.push(text);
        numbers.join(" ")
    })
}

/// Words that mark the template's example row when they stand alone in a cell
/// (compared without brackets, spaces and a trailing colon).
const EXAMPLE_WORDS: &[&str] = &[
    "示例",
    "例",
    "样例",
    "范例",
    "举例",
    "例子",
    "填写示例",
    "填表示例",
    "填报示例",
    "示例行",
    "示例单位",
];

/// Characters a template writes for the part of a name or code a unit fills in:
/// 衡阳市××局, XX局, a code of ×s. Width is folded first (Ｘ → X, ＊ → *).
const PLACEHOLDER_MARKS: &[char] = &['×', '✕', '✖', '╳', 'X', 'x', '*', '○', '◯'];

/// The text without surrounding brackets and a trailing colon: "（示例）" → "示例".
fn bare(t: &str) -> &str {
    t.trim_end_matches(':').trim_matches(|c| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '【' | '】' | '<' | '>' | '《' | '》'
        )
    })
}

/// Whether a (compacted) text is an example word alone, perhaps numbered: 示例, （示例）,
/// 例：, 示例1, 例②.
fn is_example_word(t: &str) -> bool {
    let t = bare(t).trim_end_matches(|c: char| c.is_ascii_digit() || circled_number(c).is_some());
    EXAMPLE_WORDS.contains(&bare(t))
}

/// Whether a (compacted) text in a column no field reads is a note on an example row:
/// "此行为填写示例，请勿删除", "示例（请勿删除）" — an example word, perhaps after "此行为",
/// followed by punctuation. "示例市民政局" is not one.
fn is_example_note(t: &str) -> bool {
    let t = ["此行为", "本行为", "此行是", "本行是", "此行"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    EXAMPLE_WORDS.iter().any(|w| {
        t.strip_prefix(w).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with([',', '，', ':', '。', ';', '；', '(', '、', '!', '！'])
        })
    })
}

/// The value of a circled number ① … ⑳.
fn circled_number(c: char) -> Option<i64> {
    let n = i64::from(u32::from(c)) - 0x2460 + 1;
    (1..=20).contains(&n).then_some(n)
}

/// "示例：衡阳市××局", "例:…", "（示例）衡阳市民政局", "【样例】…": an example word as a
/// label before the (compacted) text.
fn starts_with_example_label(t: &str) -> bool {
    const FORMS: &[(&str, &str)] = &[("", ":"), ("(", ")"), ("[", "]"), ("【", "】")];
    FORMS.iter().any(|(open, close)| {
        t.strip_prefix(open).is_some_and(|rest| {
            EXAMPLE_WORDS
                .iter()
                .any(|w| rest.strip_prefix(w).is_some_and(|r| r.starts_with(close)))
        })
    })
}

/// Whether a text holds two placeholder marks in a row (××, XX, **).
fn has_placeholder_run(t: &str) -> bool {
    let mut run = 0;
    for c in t.chars() {
        run = if PLACEHOLDER_MARKS.contains(&c) {
            run + 1
        } else {
            0
        };
        if run >= 2 {
            return true;
        }
    }
    false
}

/// What marks a row as the template's example ("序号“示例”"), or `None`.
///
/// A row is an example when a column no field reads (序号, 备注, or one without a
/// header) holds an example word alone; or its name is an example word, starts with one
/// as a label ("示例：…", "（示例）…") or holds placeholder marks (衡阳市××局, XX局); or its
/// code is made of placeholder marks (and digits), at least four of them, and is not a
/// valid code.
pub fn example_mark(layout: &Layout, cells: &[(u32, Cell)]) -> Option<String> {
    let header_of = |col: u32| -> String {
        layout.columns.iter().find(|c| c.col == col).map_or_else(
            || format!("{}列", super::workbook::column_letter(col)),
            |c| c.header.clone(),
        )
    };
    // Cells and columns are both in column order: walk them side by side.
    let mut columns = layout.columns.iter().peekable();
    for (col, v) in cells {
        while columns.next_if(|c| c.col < *col).is_some() {}
        let mapped = columns
            .peek()
            .is_some_and(|c| c.col == *col && c.field.is_some());
        if let (false, Cell::Text(t)) = (mapped, v) {
            // Every example word holds 例 (checked by a test): a text without it is no
            // example word nor note, and is not compacted to be asked.
            if compact_chars(t).any(|ch| ch == '例') {
                let c = compact(t);
                if is_example_word(&c) || is_example_note(&c) {
                    return Some(format!("{}“{}”", header_of(*col), t.trim()));
                }
            }
        }
    }
    let text_of = |field: Field| {
        let col = layout.column_of(field)?;
        match cell_at(cells, col.col)? {
            Cell::Text(t) => Some((col, t.trim())),
            _ => None,
        }
    };
    // A name is an example's when it holds an example word (each holds 例) or a run of
    // placeholder marks: a name with neither (nearly every name) is not compacted.
    if let Some((col, name)) = text_of(Field::Name) {
        if compact_chars(name).any(|ch| ch == '例' || PLACEHOLDER_MARKS.contains(&ch)) {
            let c = compact(name);
            if is_example_word(&c) || starts_with_example_label(&c) || has_placeholder_run(&c) {
                return Some(format!("{}“{name}”", col.header));
            }
        }
    }
    if let Some((col, code)) = text_of(Field::Uscc) {
        let marks = compact_chars(code)
            .filter(|ch| PLACEHOLDER_MARKS.contains(ch))
            .count();
        if marks >= 4 {
            let c = compact(code);
            let only_marks_and_digits = c
                .chars()
                .all(|ch| ch.is_ascii_digit() || PLACEHOLDER_MARKS.contains(&ch));
            if only_marks_and_digits && crate::uscc::validate(&c).is_err() {
                return Some(format!("{}“{code}”", col.header));
            }
        }
    }
    None
}

/// The Heavenly Stems that label a statistical form's text columns, in order.
const STEMS: &[char] = &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
/// Labels of a 栏次 row.
const COLUMN_NUMBER_LABELS: &[&str] = &["栏次", "栏号", "列次", "列号"];

/// The number of a column label: "3", "③", or "5=3+4" (a column computed from others).
fn column_number(t: &str) -> Option<i64> {
    let mut chars = t.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if let Some(n) = circled_number(c) {
            return Some(n);
        }
    }
    let (number, formula) = t.split_once('=').unwrap_or((t, ""));
    let formula_ok = formula
        .chars()
        .all(|c| c.is_ascii_digit() || "+-*/×÷()".contains(c));
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) || !formula_ok {
        return None;
    }
    number.parse().ok()
}

/// The marks of a 栏次 row ("甲 乙 丙 1 2 3 …"), or `None` when the row is not one.
///
/// Every non-blank cell is a column label: a Heavenly Stem (甲, 乙, … in order from 甲),
/// a whole number (1, 2, 3, … in order from 1, plain, in brackets, circled, or "5=3+4"
/// for a computed column), or the word 栏次;
/// and at least three cells are labelled (a dash or slash may stand over a column
/// without a number). A unit's row always holds a name, which is none of these.
pub fn column_numbers(cells: &[(u32, Cell)]) -> Option<String> {
    let mut stems = 0;
    let mut next = 1;
    let mut marks: Vec<String> = Vec::new();
    for (_, v) in cells {
        let n = match v {
            Cell::Empty => continue,
            Cell::Int(i) => *i,
            Cell::Float(f) if f.fract() == 0.0 && (1.0..=1000.0).contains(f) => *f as i64,
            Cell::Text(t) => {
                let c = compact(t);
                let c = bare(&c);
                if c.is_empty() {
                    continue;
                }
                // The label, or a dash or slash over a column that has no number.
                if COLUMN_NUMBER_LABELS.contains(&c) || c.chars().all(|ch| "-—－/／".contains(ch))
                {
                    continue;
                }
                let mut chars = c.chars();
                if let (Some(ch), None) = (chars.next(), chars.next()) {
                    if STEMS.get(stems) == Some(&ch) {
                        stems += 1;
                        marks.push(c.to_string());
                        continue;
                    }
                }
                column_number(c)?
            }
            _ => return None,
        };
        if n != next {
            return None;
        }
        next += 1;
        marks.push(n.to_string());
    }
    if marks.len() < 3 {
        return None;
    }
    let shown = marks.len().min(6);
    let mut text = marks[..shown].join(" ");
    if marks.len() > shown {
        text.push_str(" …");
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::layout::Column;

    #[test]
    fn every_example_word_holds_the_character_asked_for_first() {
        // `example_mark` compacts a cell only when it holds 例 (or a placeholder mark).
        for w in EXAMPLE_WORDS {
            assert!(w.contains('例'), "{w}");
        }
    }

    fn layout(headers: &[(&str, Option<Field>)]) -> Layout {
        Layout {
            header_row: 0,
            header_rows: 1,
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, (h, f))| Column::new(i as u32, h.to_string(), *f))
                .collect(),
        }
    }

    /// 序号, 单位名称, 统一社会信用代码, 层级, 单位类型, 自评.
    fn standard() -> Layout {
        layout(&[
            ("序号", None),
            ("单位名称", Some(Field::Name)),
            ("统一社会信用代码", Some(Field::Uscc)),
            ("层级", Some(Field::Tier)),
            ("单位类型", Some(Field::UnitType)),
            ("自评", Some(Field::Component(0))),
        ])
    }

    fn cells(values: &[Cell]) -> Vec<(u32, Cell)> {
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_blank())
            .map(|(i, v)| (i as u32, v.clone()))
            .collect()
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn groups() -> GroupWords {
        GroupWords::new(["市直单位", "县级", "党群机关", "政府机关"])
    }

    #[test]
    fn section_numbers() {
        for (text, len) in [
            ("一、党群机关", Some("一、".len())),
            ("十二、其他", Some("十二、".len())),
            ("(二)政府机关", Some("(二)".len())),
            ("第一部分党群机关", Some("第一部分".len())),
            ("第2类", Some("第2类".len())),
            ("1、市直单位", Some("1、".len())),
            ("2.县级单位", Some(2)),
            ("Ⅳ、其他", Some("Ⅳ、".len())),
            ("一 党群机关", Some("一 ".len())),
            ("1.5", None),
            ("三明市财政局", None),
            ("一汽集团", None),
            ("第一人民医院", None),
            ("(中共)广州市委", None),
            ("12", None),
        ] {
            assert_eq!(section_number_len(text), len, "{text}");
        }
        for bare in ["一", "十二", "一、", "(三)", "第四部分", "Ⅱ"] {
            assert!(is_section_number(bare), "{bare}");
        }
        for not in ["1", "1、", "(1)", "一、党群机关", "广州市"] {
            assert!(!is_section_number(not), "{not}");
        }
    }

    #[test]
    fn section_headings() {
        let l = standard();
        let g = groups();
        let heading = |values: &[Cell]| section_heading(&l, &cells(values), &g);
        let e = Cell::Empty;
        // A numbered title, alone in one cell or merged across (filled into each).
        assert_eq!(
            heading(&[t("一、党群机关")]).as_deref(),
            Some("一、党群机关")
        );
        assert_eq!(
            heading(&[e.clone(), t("（二）政府机关")]).as_deref(),
            Some("（二）政府机关")
        );
        let banner = vec![t("第一部分 省直单位"); 6];
        assert_eq!(heading(&banner).as_deref(), Some("第一部分 省直单位"));
        // An unnumbered title merged across the table.
        let banner = vec![t("以下为县级单位"); 6];
        assert_eq!(heading(&banner).as_deref(), Some("以下为县级单位"));
        // A number in 序号 and the group's name beside it.
        assert_eq!(
            heading(&[t("一"), t("市直单位（15个）")]).as_deref(),
            Some("一 市直单位（15个）")
        );
        assert_eq!(
            heading(&[e.clone(), t("党群机关")]).as_deref(),
            Some("党群机关")
        );
        for lone in ["以下为县级单位", "政法系统", "省直部分"] {
            assert_eq!(heading(&[e.clone(), t(lone)]).as_deref(), Some(lone));
        }
        // Units are never headings: a name with other values, a name alone, a name
        // beside a Chinese numeral, a numbered cell with a score beside it.
        assert_eq!(heading(&[Cell::Int(1), t("广州市财政局")]), None);
        assert_eq!(heading(&[e.clone(), t("广州市财政局")]), None);
        assert_eq!(heading(&[t("一"), t("广州市财政局")]), None);
        assert_eq!(
            heading(&[e.clone(), t("广州市财政局"), e.clone(), t("市级")]),
            None
        );
        assert_eq!(
            heading(&[
                t("一、党群机关"),
                e.clone(),
                e.clone(),
                e.clone(),
                e.clone(),
                Cell::Int(12)
            ]),
            None
        );
        assert_eq!(heading(&[t("一")]), None);
    }

    #[test]
    fn example_rows() {
        let l = standard();
        let mark = |values: &[Cell]| example_mark(&l, &cells(values));
        let e = Cell::Empty;
        for word in [
            "示例",
            "例",
            "样例",
            "填写示例",
            "（示例）",
            "例：",
            "示例1",
            "例②",
        ] {
            assert_eq!(
                mark(&[t(word), t("广州市财政局")]),
                Some(format!("序号“{word}”")),
                "{word}"
            );
        }
        assert_eq!(
            mark(&[Cell::Int(1), t("衡阳市××局")]).as_deref(),
            Some("单位名称“衡阳市××局”")
        );
        assert_eq!(
            mark(&[e.clone(), t("XX局")]).as_deref(),
            Some("单位名称“XX局”")
        );
        assert_eq!(
            mark(&[e.clone(), t("示例：衡阳市民政局")]).as_deref(),
            Some("单位名称“示例：衡阳市民政局”")
        );
        assert_eq!(
            mark(&[e.clone(), t("【示例】衡阳市民政局")]).as_deref(),
            Some("单位名称“【示例】衡阳市民政局”")
        );
        for code in [
            "××××××××××××××××××",
            "ＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸ",
            "91430000XXXXXXXXXX",
        ] {
            assert_eq!(
                mark(&[e.clone(), t("衡阳市民政局"), t(code)]),
                Some(format!("统一社会信用代码“{code}”")),
                "{code}"
            );
        }
        // A note on the example in 备注 (a column no field reads).
        assert_eq!(
            mark(&[
                e.clone(),
                t("衡阳市民政局"),
                e.clone(),
                e.clone(),
                e.clone(),
                e.clone(),
                t("此行为填写示例，请勿删除")
            ]),
            Some("G列“此行为填写示例，请勿删除”".to_string())
        );
        // Near misses are units: a name that starts with 示例 (a place called 示例市), a
        // single mark, a valid code, 示例 in a column a field reads.
        assert_eq!(mark(&[Cell::Int(1), t("示例市民政局")]), None);
        assert_eq!(mark(&[Cell::Int(1), t("X局")]), None);
        assert_eq!(mark(&[e.clone(), t("广州市财政局"), t("×")]), None);
        assert_eq!(
            mark(&[e.clone(), t("广州市财政局"), t("11440100687104673E")]),
            None
        );
        assert_eq!(
            mark(&[
                e.clone(),
                t("广州市财政局"),
                e.clone(),
                e.clone(),
                t("示例")
            ]),
            None
        );
    }

    #[test]
    fn column_number_rows() {
        let row = |values: &[Cell]| column_numbers(&cells(values));
        assert_eq!(
            row(&[t("甲"), t("乙"), t("丙"), t("丁")]).as_deref(),
            Some("甲 乙 丙 丁")
        );
        assert_eq!(
            row(&[Cell::Int(1), Cell::Float(2.0), t("3"), t("(4)")]).as_deref(),
            Some("1 2 3 4")
        );
        assert_eq!(
            row(&[
                t("栏次"),
                t("甲"),
                t("乙"),
                t("1"),
                t("2"),
                t("3"),
                t("4"),
                t("5")
            ])
            .as_deref(),
            Some("甲 乙 1 2 3 4 …")
        );
        assert_eq!(
            row(&[t("①"), t("②"), t("③"), t("4=2+3")]).as_deref(),
            Some("1 2 3 4")
        );
        assert_eq!(
            row(&[t("甲"), t("—"), t("乙"), t("/"), Cell::Int(1)]).as_deref(),
            Some("甲 乙 1")
        );
        // Out of order, not from the start, too few, or a unit's row.
        assert_eq!(row(&[t("乙"), t("丙"), t("丁")]), None);
        assert_eq!(row(&[Cell::Int(1), Cell::Int(3), Cell::Int(4)]), None);
        assert_eq!(row(&[Cell::Int(90), Cell::Int(91), Cell::Int(92)]), None);
        assert_eq!(row(&[t("甲"), t("乙")]), None);
        assert_eq!(row(&[Cell::Int(1), t("广州市财政局"), t("市级")]), None);
        assert_eq!(row(&[Cell::Int(1), Cell::Int(2), Cell::Float(3.5)]), None);
    }
}
