//! Text normalisation shared by the importers: full-width folding, white space, names
//! and header keys.

/// Folds full-width ASCII forms (U+FF01–U+FF5E) to ASCII and the ideographic space to a
/// space; the ideographic full stop 。 is left alone.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
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

/// Trims and collapses every run of white space to one ASCII space.
pub fn fold_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Normalises an agency name: trim, fold white space, half-width brackets to full-width
/// （）. Full-width letters and digits inside names are kept as written.
pub fn agency_name(s: &str) -> String {
    fold_spaces(s)
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
    agency_name(s).chars().filter(|c| !is_space(*c)).collect()
}

/// The key a header cell is matched by: full-width folded, white space and `*` removed,
/// ASCII lower-cased, and a trailing bracketed note such as "（分）" or "(18位)" dropped.
pub fn header_key(s: &str) -> String {
    let mut k: String = fold_width(s)
        .chars()
        .filter(|c| !is_space(*c) && *c != '*' && *c != '＊')
        .map(|c| c.to_ascii_lowercase())
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
