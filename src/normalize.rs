//! Text normalisation shared by the importers: full-width folding, white space, names
//! and header keys.

/// Folds full-width ASCII forms (U+FF01–U+FF5E) to ASCII and the ideographic space to a
/// space; the ideographic full stop 。 is left alone.
pub fn fold_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().map(fold_char));
    out
}

/// One character of [`fold_width`]: a full-width form as its ASCII twin, the ideographic
/// space as a space.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether a character counts as white space here (including NBSP, ideographic space and
/// zero-width characters that pasted text carries).
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00A0}'
        )
}

/// Whether a character breaks a line: Alt+Enter in Excel (`\n`, `\r\n` from other
/// writers), and the other line and paragraph separators text may carry.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{000B}' | '\u{000C}' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whether a character belongs to Chinese (CJK) text, where words are not separated by
/// spaces: ideographs, kana, hangul, CJK and full-width punctuation and the quotation
/// marks, dash and ellipsis Chinese text uses.
pub fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
            | '\u{3001}'..='\u{303F}' // CJK punctuation (not the ideographic space)
            | '\u{3040}'..='\u{30FF}' // kana
            | '\u{3100}'..='\u{312F}' // bopomofo
            | '\u{3190}'..='\u{33FF}' // kanbun, strokes, enclosed and compatibility forms
            | '\u{3400}'..='\u{4DBF}' // extension A
            | '\u{4E00}'..='\u{9FFF}' // unified ideographs
            | '\u{AC00}'..='\u{D7AF}' // hangul
            | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
            | '\u{FE30}'..='\u{FE4F}' // compatibility forms
            | '\u{FF01}'..='\u{FF60}' // full-width forms
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{20000}'..='\u{3134F}' // extensions B–G
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2014}'
            | '\u{2026}'
            | '\u{00B7}'
    )
}

/// Trims and collapses every run of white space to one ASCII space — except that a run
/// holding a line break next to Chinese text is removed: a clerk wraps a long name in
/// its cell with Alt+Enter (广州市\n民政局), and the break is not a space in the name
/// (广州市民政局). Between Latin words a break is one space, as any other run.
pub fn fold_spaces(s: &str) -> String {
    // Most cells hold no white space at all: then there is nothing to fold or trim.
    if !has_space(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    // A run of white space after some text: whether it holds a line break.
    let mut run: Option<bool> = None;
    for c in s.chars() {
        if is_space(c) {
            if !out.is_empty() {
                run = Some(run.unwrap_or(false) || is_line_break(c));
            }
            continue;
        }
        if let Some(line_break) = run.take() {
            let joins_cjk = out.chars().next_back().is_some_and(is_cjk) || is_cjk(c);
            if !(line_break && joins_cjk) {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// Whether `s` holds a character [`is_space`] accepts. Each of them is ASCII up to U+0020
/// or starts, in UTF-8, with one of five lead bytes (U+0085 and U+00A0; U+1680; U+2000 to
/// U+205F; U+3000; U+FEFF), which no Chinese ideograph starts with: text without such a
/// byte is passed over byte by byte, without decoding a character.
fn has_space(s: &str) -> bool {
    s.bytes()
        .any(|b| b <= b' ' || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF))
        && s.chars().any(is_space)
}

/// Normalises an agency name: trim, fold white space, half-width brackets to full-width
/// （）. Full-width letters and digits inside names are kept as written.
pub fn agency_name(s: &str) -> String {
    let folded = fold_spaces(s);
    // Most names have no half-width bracket: keep the folded text rather than copy it
    // character by character.
    if !folded.contains(['(', ')']) {
        return folded;
    }
    folded
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect()
}

/// The key two names are matched by: the normalised name without any white space.
pub fn name_key(s: &str) -> String {
    let name = agency_name(s);
    // A name without white space is its own key (the usual case: one copy fewer).
    if !has_space(&name) {
        return name;
    }
    key_of_name(&name)
}

/// [`name_key`] of a name [`agency_name`] gave already (a return's name, normalised when
/// read): normalising it again would change nothing.
pub fn key_of_name(name: &str) -> String {
    if !has_space(name) {
        return name.to_owned();
    }
    name.chars().filter(|c| !is_space(*c)).collect()
}

/// The key two ledger items' texts are matched by (docs/specification.md §10): width
/// folded (full-width letters, digits and punctuation as half-width), white space removed,
/// brackets and the common punctuation in one form (（）→(), ，→, and so on), and the
/// closing punctuation of a sentence dropped — so that a unit's ledger sent again with a
/// full stop added or a line wrapped differently names the same item.
pub fn item_key(s: &str) -> String {
    let mut k: String = fold_width(s)
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' | '、' => ',',
            '；' => ';',
            '：' => ':',
            '。' => '.',
            '“' | '”' | '"' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect();
    while k.ends_with(['.', ';', ',']) {
        k.pop();
    }
    k
}

/// The key a header cell is matched by: full-width folded, white space and `*` removed,
/// ASCII lower-cased, and a trailing bracketed note such as "（分）" or "(18位)" dropped.
pub fn header_key(s: &str) -> String {
    // Folded, filtered and lower-cased in one pass into one string sized up front.
    let mut k = String::with_capacity(s.len());
    k.extend(
        s.chars()
            .map(fold_char)
            .filter(|c| !is_space(*c) && *c != '*' && *c != '＊')
            .map(|c| c.to_ascii_lowercase()),
    );
    loop {
        let trimmed = k.trim_end_matches([':', '：']);
        if trimmed.len() != k.len() {
            k = trimmed.to_string();
        }
        let Some(close) = k
            .chars()
            .last()
            .filter(|c| matches!(c, ')' | '）' | ']' | '】'))
        else {
            break;
        };
        let open = match close {
            ')' | '）' => ['(', '（'],
            _ => ['[', '【'],
        };
        match k.rfind(open) {
            Some(pos) if pos > 0 => k.truncate(pos),
            _ => break,
        }
    }
    k
}

/// A text as it may be printed on a terminal: each control character (an ANSI escape
/// `\x1b[31m` in a file name or a cell, a carriage return that would overwrite the line,
/// a NUL) is shown as its Rust escape `\u{1b}` instead of being obeyed; line breaks and
/// tabs are kept. Every human-readable line of the command line goes through this.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to `most` of `names` closest to `name` by the edit distance of their matching keys
/// ([`name_key`]), closest first (ties in the order given), each once; none further than
/// half the name's length — so that a clerk who typed "广州市民政厅" is told of
/// "广州市民政局", and one who typed nonsense is told of nothing. Every "no such agency"
/// message that offers names uses it (a campaign's units, the agencies of the store).
pub fn closest_names<'a>(
    name: &str,
    names: impl IntoIterator<Item = &'a str>,
    most: usize,
) -> Vec<String> {
    let key: Vec<char> = name_key(name).chars().collect();
    let limit = key.len().div_ceil(2).max(1);
    let mut scored: Vec<(usize, usize, &str)> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let other: Vec<char> = name_key(n).chars().collect();
            (edit_distance(&key, &other), i, n)
        })
        .filter(|(d, _, _)| *d <= limit)
        .collect();
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, _, n) in scored {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
        if out.len() == most {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys_with_and_without_brackets_or_spaces() {
        // Each path of agency_name and name_key: nothing to change, brackets only, white
        // space only, both.
        assert_eq!(agency_name("广州市民政局"), "广州市民政局");
        assert_eq!(name_key("广州市民政局"), "广州市民政局");
        assert_eq!(agency_name(" 市委(办公室) "), "市委（办公室）");
        assert_eq!(name_key("市委(办公室)"), "市委（办公室）");
        assert_eq!(agency_name("Guangzhou  Bureau\u{00A0}"), "Guangzhou Bureau");
        assert_eq!(name_key("Guangzhou  Bureau"), "GuangzhouBureau");
        assert_eq!(name_key(" 市 委 (办公室)\t"), "市委（办公室）");
        assert_eq!(name_key("   "), "");
        // The key of a name normalised already is the key of the name as written.
        for s in [
            "广州市民政局",
            " 市 委 (办公室)\t",
            "Guangzhou  Bureau\u{00A0}",
            "   ",
            "市委（办公室）",
        ] {
            assert_eq!(key_of_name(&agency_name(s)), name_key(s), "{s:?}");
        }
    }

    #[test]
    fn the_byte_test_for_white_space_misses_no_space_character() {
        // Every character, alone and between ideographs: the quick test agrees with
        // `is_space` one by one, and folding gives what folding character by character
        // gives.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(has_space(&alone), is_space(c), "U+{:04X}", c as u32);
            let inside = format!("市{c}委");
            assert_eq!(has_space(&inside), is_space(c), "U+{:04X}", c as u32);
        }
        assert!(!has_space("广州市（越秀区）民政局"));
        assert_eq!(
            fold_spaces("广州市（越秀区）民政局"),
            "广州市（越秀区）民政局"
        );
        assert_eq!(fold_spaces("\u{3000}广州市\n民政局 "), "广州市民政局");
        assert_eq!(fold_spaces("a\u{FEFF}b"), "a b");
    }

    #[test]
    fn control_characters_are_printed_escaped() {
        assert_eq!(printable("广州市民政局.xlsx"), "广州市民政局.xlsx");
        assert_eq!(
            printable("\u{1b}[31m红\u{1b}[0m\r\u{0}\u{9b}\n\t"),
            "\\u{1b}[31m红\\u{1b}[0m\\u{d}\\u{0}\\u{9b}\n\t"
        );
    }

    #[test]
    fn width_folding() {
        for (input, want) in [
            ("９５．５", "95.5"),
            ("１２３ＡＢＣ", "123ABC"),
            ("a\u{3000}b", "a b"),
            ("９５％", "95%"),
            ("已是半角 95", "已是半角 95"),
        ] {
            assert_eq!(fold_width(input), want, "{input}");
        }
    }

    #[test]
    fn names() {
        for (input, want) in [
            ("  广州市  审计局 ", "广州市 审计局"),
            ("广州市(越秀区)审计局", "广州市（越秀区）审计局"),
            ("广州市\u{3000}审计局\n", "广州市 审计局"),
            ("广州市\u{00A0}\u{200B}审计局", "广州市 审计局"),
            // Alt+Enter inside a name.
            ("广州市\n民政局", "广州市民政局"),
            ("广州市\r\n民政局", "广州市民政局"),
            ("广州市 \n 民政局\n", "广州市民政局"),
            (
                "中共广州市委\n（市直机关工委）",
                "中共广州市委（市直机关工委）",
            ),
            ("广州市\nABC科技局", "广州市ABC科技局"),
            ("ABC\n科技局", "ABC科技局"),
            ("Guangzhou\nCivil Affairs", "Guangzhou Civil Affairs"),
            ("Guangzhou\r\n\r\nCivil", "Guangzhou Civil"),
            ("“模范\n机关”", "“模范机关”"),
            ("广州市\u{2028}民政局", "广州市民政局"),
        ] {
            assert_eq!(agency_name(input), want, "{input:?}");
        }
        assert_eq!(name_key("广州市 (越秀区) 审计局"), "广州市（越秀区）审计局");
    }

    #[test]
    fn header_keys() {
        for (input, want) in [
            ("单位名称", "单位名称"),
            (" 单位\n名称 ", "单位名称"),
            ("*单位名称", "单位名称"),
            ("自评（分）", "自评"),
            ("统一社会信用代码(18位)", "统一社会信用代码"),
            ("群众测评得分【百分制】", "群众测评得分"),
            ("单位名称：", "单位名称"),
            ("（备注）", "(备注)"),
            ("ＵＳＣＣ", "uscc"),
        ] {
            assert_eq!(header_key(input), want, "{input:?}");
        }
    }

    #[test]
    fn edit_distance_counts_characters() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("民政局", "民政厅"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_names_are_near_ones_closest_first_each_once() {
        let names = [
            "广州市财政局",
            "广州市民政局",
            "广州市民政局",
            "海珠区民政局",
            "妇联",
        ];
        for (asked, most, want) in [
            // 海珠区民政局 is 4 edits away: more than half of 6 characters.
            ("广州市民政厅", 3, vec!["广州市民政局", "广州市财政局"]),
            ("广州市民政厅", 1, vec!["广州市民政局"]),
            (
                "广州市 民政局",
                3,
                vec!["广州市民政局", "广州市财政局", "海珠区民政局"],
            ),
            // Further than half the name's length: nothing offered.
            ("完全不同的名字", 3, vec![]),
            // The limit itself: 妇联 is 3 edits from 妇女联合会 (half of 5, rounded up) but 4
            // from 妇女联合会议 (half of 6 is 3).
            ("妇女联合会", 3, vec!["妇联"]),
            ("妇女联合会议", 3, vec![]),
        ] {
            assert_eq!(closest_names(asked, names, most), want, "{asked}");
        }
    }
}
