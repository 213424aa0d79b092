//! The unified social credit code (统一社会信用代码) of GB 32100-2015.

/// The 31 characters a code may use, in value order.
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The value of a code character: its place in [`CHARSET`]. A byte comparison over the
/// 31 ASCII characters, not `str::find`, which sets up a substring search for every
/// character and was most of what checking a code cost when importing.
fn value_of(c: char) -> Option<u32> {
    CHARSET
        .bytes()
        .position(|b| u32::from(b) == u32::from(c))
        .map(|i| i as u32)
}

/// Weights of positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a code is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccProblem {
    /// Not 18 characters.
    Length(usize),
    /// A character outside the code's alphabet, at a 1-based position.
    BadChar(char, usize),
    /// The check digit does not match; the expected one is given.
    CheckDigit {
        /// The check character the first 17 characters call for.
        expected: char,
    },
    /// The code was kept as a number (a number cell, or its scientific form such as
    /// "1.14301122626673E+17"), which holds 15 significant digits: its last digits are
    /// lost, and its check digit would only point at another code.
    StoredAsNumber,
}

impl std::fmt::Display for UsccProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UsccProblem::Length(n) => write!(f, "统一社会信用代码应为18位，实为{n}位"),
            UsccProblem::BadChar(c, i) => {
                write!(
                    f,
                    "统一社会信用代码第{i}位“{c}”不是有效字符（不含I、O、Z、S、V）"
                )
            }
            UsccProblem::CheckDigit { expected } => {
                write!(f, "统一社会信用代码校验位错误（按前17位应为“{expected}”）")
            }
            UsccProblem::StoredAsNumber => f.write_str(
                "统一社会信用代码被存成了数字，Excel只保留15位有效数字，末尾几位已丢失；\
                 请把该列设为“文本”格式后重新输入代码",
            ),
        }
    }
}

/// Completes a 17-character body with its check character; `None` when the body has a
/// character outside the code's alphabet or is not 17 characters long.
pub fn with_check_digit(body: &str) -> Option<String> {
    let values: Option<Vec<u32>> = body.chars().map(value_of).collect();
    let values = values.filter(|v| v.len() == 17)?;
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] as char;
    Some(format!("{body}{check}"))
}

/// Whether text is a number in scientific notation ("1.14301122626673E+17"): what a
/// code typed into a number cell looks like once Excel, a CSV export or a copy shows it.
fn is_scientific(code: &str) -> bool {
    let Some((mantissa, exponent)) = code.split_once('E') else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !int.is_empty()
        && !exponent.is_empty()
        && [int, frac, exponent]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Normalises (trim, fold full width, upper-case) and validates a code, returning the
/// normalised code.
pub fn validate(raw: &str) -> Result<String, UsccProblem> {
    // Folded, stripped and upper-cased in one pass into one string (it was three).
    let mut code = String::with_capacity(raw.len());
    code.extend(
        raw.chars()
            .map(crate::normalize::fold_char)
            .filter(|c| !crate::normalize::is_space(*c))
            .map(|c| c.to_ascii_uppercase()),
    );
    // A valid code may itself read as digits around an E, or end in 000; only a code
    // that fails is taken for a number's scientific form, or for the digits of a number
    // (15 significant, the last three zeros) typed again or exported as text.
    match check(&code) {
        Ok(()) => Ok(code),
        Err(p) => {
            let zeroed = matches!(p, UsccProblem::CheckDigit { .. })
                && code.ends_with("000")
                && code.bytes().all(|b| b.is_ascii_digit());
            if zeroed || is_scientific(&code) {
                Err(UsccProblem::StoredAsNumber)
            } else {
                Err(p)
            }
        }
    }
}

/// Validates a normalised code.
fn check(code: &str) -> Result<(), UsccProblem> {
    let n = code.chars().count();
    if n != 18 {
        return Err(UsccProblem::Length(n));
    }
    let mut sum = 0;
    let mut values = [0u32; 18];
    for (i, c) in code.chars().enumerate() {
        values[i] = value_of(c).ok_or(UsccProblem::BadChar(c, i + 1))?;
    }
    for i in 0..17 {
        sum += values[i] * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    if values[17] != check {
        let expected = CHARSET.as_bytes()[check as usize] as char;
        return Err(UsccProblem::CheckDigit { expected });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character of the alphabet has its place as value; the letters the code leaves
    /// out (I, O, Z, S, V), lower case, full width and non-ASCII have none.
    #[test]
    fn character_values() {
        for (i, c) in CHARSET.chars().enumerate() {
            assert_eq!(value_of(c), Some(i as u32), "{c}");
        }
        assert_eq!((value_of('0'), value_of('Y')), (Some(0), Some(30)));
        for c in [
            'I', 'O', 'Z', 'S', 'V', 'a', 'y', '０', 'Ａ', '码', ' ', '\0',
        ] {
            assert_eq!(value_of(c), None, "{c:?}");
        }
    }

    #[test]
    fn check_digits_are_completed() {
        assert_eq!(
            with_check_digit("11440100848834635").as_deref(),
            Some("11440100848834635E")
        );
        assert_eq!(
            with_check_digit("91350100M000100Y4").as_deref(),
            Some("91350100M000100Y43")
        );
        assert_eq!(with_check_digit("1144"), None);
        assert_eq!(with_check_digit("1144010084883463I"), None);
    }

    #[test]
    fn a_valid_code_shaped_like_a_number_is_a_code() {
        // Digits around one E with a digit as check character: "1E…" reads as
        // scientific notation, but the code is valid, so it is a code.
        let codes: Vec<String> = (0..10)
            .filter_map(|d| with_check_digit(&format!("9144010{d}E12345678")))
            .filter(|c| c.ends_with(|c: char| c.is_ascii_digit()))
            .collect();
        assert!(!codes.is_empty());
        for code in codes {
            assert!(is_scientific(&code), "{code}");
            assert_eq!(validate(&code), Ok(code.clone()));
        }
        // All digits ending in 000, as a number cell would keep it, and valid.
        let zeros = (0..1000)
            .filter_map(|n| with_check_digit(&format!("114401039115{n:03}00")))
            .find(|c| c.ends_with("000"))
            .unwrap();
        assert_eq!(validate(&zeros), Ok(zeros.clone()));
    }

    #[test]
    fn table() {
        let cases: &[(&str, Result<&str, UsccProblem>)] = &[
            ("91350100M000100Y43", Ok("91350100M000100Y43")),
            ("11440100848834635E", Ok("11440100848834635E")),
            ("114401039115856282", Ok("114401039115856282")),
            (" 1144010313080826x3 ", Ok("1144010313080826X3")),
            (
                "１１４４０１０３９１１５８５６２８２",
                Ok("114401039115856282"),
            ),
            (
                "114401039115856283",
                Err(UsccProblem::CheckDigit { expected: '2' }),
            ),
            ("11440103911585628", Err(UsccProblem::Length(17))),
            ("11440103911585628I", Err(UsccProblem::BadChar('I', 18))),
            ("", Err(UsccProblem::Length(0))),
            ("1.14301122626673E+17", Err(UsccProblem::StoredAsNumber)),
            ("1.14301E+17", Err(UsccProblem::StoredAsNumber)),
            (
                "１．１４３０１１２２６２６６７３Ｅ＋１７",
                Err(UsccProblem::StoredAsNumber),
            ),
            ("1E17", Err(UsccProblem::StoredAsNumber)),
            // The digits a number cell kept (114301122626673156 → …673000), as text.
            ("114301122626673000", Err(UsccProblem::StoredAsNumber)),
            (
                "114301122626673001",
                Err(UsccProblem::CheckDigit { expected: 'M' }),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                validate(input),
                want.clone().map(str::to_string),
                "{input:?}"
            );
        }
    }
}
