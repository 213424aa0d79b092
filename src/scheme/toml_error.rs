//! What the TOML reader says about a scheme text it cannot read, in Chinese.
//!
//! The `toml` crate reports a syntax error ("extra `=`, expected nothing") or a value of
//! the wrong kind for a setting ("invalid type: string \"x\", expected i64") in English.
//! [`TomlProblem::of`] types that report — an unknown or missing setting, a duplicate key,
//! a wrong kind of value, a syntax error — and its `Display` is the clerk's sentence; the
//! line and column come from the error's span ([`Position::of`]). No English reaches the
//! window: a report of a form not known here reads as a general syntax error at its place.

use std::fmt;

/// The kind of a value as the TOML reader names it, in the clerk's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text in quotes.
    Text,
    /// A whole number.
    Integer,
    /// A number (whole or with decimals).
    Number,
    /// A number with decimals.
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// A list in square brackets.
    List,
    /// A table (`[name]` or `{ … }`).
    Table,
    /// A date or time.
    Date,
}

impl ValueKind {
    fn words(self) -> &'static str {
        match self {
            ValueKind::Text => "用英文双引号括起的文字",
            ValueKind::Integer => "整数",
            ValueKind::Number => "数字",
            ValueKind::Decimal => "小数",
            ValueKind::Boolean => "true 或 false",
            ValueKind::List => "方括号 [ ] 括起的列表",
            ValueKind::Table => "设置表",
            ValueKind::Date => "日期时间",
        }
    }

    /// The kind serde names as found ("integer `5`", "string \"x\"", "sequence").
    fn found(s: &str) -> Option<ValueKind> {
        let head = s.split([' ', '`', '"']).next().unwrap_or(s);
        Some(match head {
            "string" | "char" => ValueKind::Text,
            "integer" => ValueKind::Integer,
            "floating" => ValueKind::Decimal,
            "boolean" => ValueKind::Boolean,
            "sequence" => ValueKind::List,
            "map" => ValueKind::Table,
            _ => return None,
        })
    }

    /// The kind serde names as expected ("a string", "i64", "a sequence", "数字").
    fn expected(s: &str) -> Option<ValueKind> {
        let s = s.trim();
        Some(match s {
            "a string" | "string" | "a borrowed string" | "a character" => ValueKind::Text,
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
                ValueKind::Integer
            }
            "f32" | "f64" => ValueKind::Decimal,
            // The scheme's exact numbers say what they expect in Chinese already.
            "数字" => ValueKind::Number,
            "a boolean" => ValueKind::Boolean,
            "a sequence" => ValueKind::List,
            _ if s == "a map" || s.starts_with("struct ") => ValueKind::Table,
            _ if s.contains("datetime") || s.contains("date-time") => ValueKind::Date,
            _ => return None,
        })
    }
}

/// Why a scheme text could not be read as TOML, or a setting not as its kind of value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TomlProblem {
    /// A setting no scheme has (a misspelling, or a feature not built).
    UnknownKey(String),
    /// A setting an entry must have.
    MissingKey(String),
    /// The same key written twice in one table.
    DuplicateKey,
    /// A value of another kind than the setting takes.
    WrongType {
        /// What the setting takes; `None` when the reader's words are not known here.
        expected: Option<ValueKind>,
        /// What was written, when known.
        found: Option<ValueKind>,
    },
    /// A value the setting does not take (out of its type's range, an unknown word).
    BadValue,
    /// The text breaks TOML's syntax; the words say how ("缺少“]”").
    Syntax(&'static str),
}

/// toml's syntax descriptions and the clerk's words for them. A description not listed
/// reads as [`GENERAL`].
const SYNTAX: &[(&str, &str)] = &[
    (
        "`_` may only go between digits",
        "数字中的下划线只能写在两个数字之间",
    ),
    (
        "carriage return must be followed by newline",
        "换行符不完整",
    ),
    ("extra `=`", "多了一个等号“=”"),
    (
        "extra assignment between key-value pairs",
        "多了一个等号“=”",
    ),
    ("extra comma in array", "列表中多了一个逗号"),
    ("extra comma in inline table", "花括号内多了一个逗号"),
    ("integers with a radix cannot be signed", "数字写法无效"),
    ("invalid comment character", "注释中含有不能使用的字符"),
    ("invalid inline table element", "花括号内的写法无效"),
    ("invalid key-value pair", "应写成“设置项 = 值”"),
    (
        "invalid unquoted key",
        "设置项名称只能用英文字母、数字、“-”和“_”",
    ),
    ("invalid key", "设置项名称写法无效"),
    ("invalid table", "表名写法无效"),
    ("invalid value", "值的写法无效"),
    ("key with no value", "设置项后缺少“= 值”"),
    (
        "keys cannot be multi-line basic strings",
        "设置项名称不能跨行",
    ),
    (
        "keys cannot be multi-line literal strings",
        "设置项名称不能跨行",
    ),
    ("missing array opening", "缺少列表开头的“[”"),
    ("missing assignment between key-value pairs", "缺少等号“=”"),
    (
        "missing comma between array elements",
        "列表各项之间缺少逗号",
    ),
    (
        "missing comma between key-value pairs",
        "花括号内各项之间缺少逗号",
    ),
    ("missing comment start", "注释应以“#”开头"),
    ("missing escaped value", "反斜杠“\\”后缺少字符"),
    ("missing inline table opening", "缺少开头的“{”"),
    (
        "missing key for inline table element",
        "花括号内缺少设置项名称",
    ),
    ("missing opening quote", "缺少开头的引号"),
    ("missing table open", "缺少表名开头的“[”"),
    ("missing value for key", "等号后缺少值"),
    ("missing value", "缺少值"),
    ("radix must be lowercase", "数字写法无效"),
    ("redundant integer number prefix", "数字写法无效"),
    ("redundant numeric sign", "数字前多了正负号"),
    ("string values must be quoted", "文字须用英文双引号括起"),
    ("too few unicode value digits", "Unicode 转义不完整"),
    ("unclosed array table", "表名缺少结尾的“]]”"),
    ("unclosed array", "列表缺少结尾的“]”"),
    ("unclosed inline table", "花括号缺少结尾的“}”"),
    ("unclosed table", "表名缺少结尾的“]”"),
    ("unexpected `=` in array", "列表中不能有等号"),
    (
        "unexpected content between comment and newline",
        "此处有多余的内容",
    ),
    ("unexpected content", "此处有多余的内容"),
    ("unexpected key or value", "此处有多余的内容"),
    ("unexpected leading zero", "数字不能以0开头"),
    ("unexpected sign", "此处不能有正负号"),
    ("unquoted keys cannot be empty", "缺少设置项名称"),
    ("invalid basic string", "文字缺少结尾的英文双引号"),
    ("invalid literal string", "文字缺少结尾的单引号"),
    (
        "invalid multi-line basic string",
        "多行文字缺少结尾的三个双引号",
    ),
    (
        "invalid multi-line literal string",
        "多行文字缺少结尾的三个单引号",
    ),
    ("invalid string", "文字写法无效"),
    ("invalid boolean", "应为 true 或 false"),
    ("invalid integer number", "数字写法无效"),
    ("invalid hexadecimal number", "数字写法无效"),
    ("invalid octal number", "数字写法无效"),
    ("invalid binary number", "数字写法无效"),
    ("invalid float", "数字写法无效"),
    ("invalid exponent", "数字写法无效"),
    ("invalid fraction", "数字写法无效"),
    ("invalid mantissa", "数字写法无效"),
    ("invalid date-time", "日期时间写法无效"),
    ("invalid time", "日期时间写法无效"),
    ("invalid date", "日期时间写法无效"),
    ("duplicate key", "设置项重复"),
    (
        "cannot recurse further; max recursion depth met",
        "嵌套层数过多",
    ),
];

/// A syntax error toml describes in words this table does not know.
const GENERAL: &str = "写法不符合 TOML 格式";

impl TomlProblem {
    /// Types one message of the `toml` crate (its parser's or serde's).
    pub fn of(message: &str) -> TomlProblem {
        let m = message.trim();
        if let Some(rest) = m.strip_prefix("unknown field `") {
            return TomlProblem::UnknownKey(rest.split('`').next().unwrap_or(rest).into());
        }
        if let Some(rest) = m.strip_prefix("missing field `") {
            return TomlProblem::MissingKey(rest.split('`').next().unwrap_or(rest).into());
        }
        if let Some(rest) = m.strip_prefix("invalid type: ") {
            let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
            return TomlProblem::WrongType {
                expected: ValueKind::expected(expected),
                found: ValueKind::found(found),
            };
        }
        if m.starts_with("invalid value: ") || m.starts_with("unknown variant") {
            return TomlProblem::BadValue;
        }
        // The parser's words are "<description>, expected <what>"; the description says it.
        let description = m.split(", expected").next().unwrap_or(m);
        if description == "duplicate key" {
            return TomlProblem::DuplicateKey;
        }
        let words = SYNTAX
            .iter()
            .find(|(d, _)| *d == description)
            .map_or(GENERAL, |(_, w)| w);
        TomlProblem::Syntax(words)
    }
}

impl fmt::Display for TomlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TomlProblem::UnknownKey(k) => write!(f, "未知的设置项 “{k}”（请检查拼写）"),
            TomlProblem::MissingKey(k) => write!(f, "缺少必填项 “{k}”"),
            TomlProblem::DuplicateKey => f.write_str("设置项重复：同一处不能写两次"),
            TomlProblem::WrongType { expected, found } => {
                f.write_str("取值类型不对")?;
                match (expected, found) {
                    (Some(e), Some(x)) => write!(f, "：应为{}，这里是{}", e.words(), x.words()),
                    (Some(e), None) => write!(f, "：应为{}", e.words()),
                    (None, Some(x)) => write!(f, "：这里不能是{}", x.words()),
                    (None, None) => Ok(()),
                }
            }
            TomlProblem::BadValue => f.write_str("取值无效"),
            TomlProblem::Syntax(words) => write!(f, "格式错误：{words}"),
        }
    }
}

/// A 1-based line and column (in characters) of a byte offset in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, counted from 1.
    pub line: usize,
    /// Column in characters (a Chinese character is one), counted from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `text` (clamped to the text, and to a character
    /// boundary before it).
    pub fn of(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problem and position toml reports for a text.
    fn read(text: &str) -> (String, Position) {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Doc {
            year: Option<i64>,
            title: Option<String>,
            unit_types: Option<Vec<String>>,
            a: Option<toml::Value>,
            b: Option<toml::Value>,
        }
        let e = toml::from_str::<Doc>(text).unwrap_err();
        let at = Position::of(text, e.span().expect("a span").start);
        (TomlProblem::of(e.message()).to_string(), at)
    }

    #[test]
    fn syntax_errors_read_in_chinese_at_their_line_and_column() {
        let cases: &[(&str, &str, usize, usize)] = &[
            ("a = 1\nb = = 1", "格式错误：多了一个等号“=”", 2, 5),
            ("a = 1\n[b\nc = 1", "格式错误：表名缺少结尾的“]”", 2, 3),
            ("a = [1,,2]", "格式错误：列表中多了一个逗号", 1, 8),
            (
                "title = \"评选",
                "格式错误：文字缺少结尾的英文双引号",
                1,
                12,
            ),
            ("a = 1 b", "格式错误：文字须用英文双引号括起", 1, 5),
            ("a = tru", "格式错误：应为 true 或 false", 1, 5),
            ("a = 01", "格式错误：数字不能以0开头", 1, 5),
            ("a = 1\na = 2", "设置项重复：同一处不能写两次", 2, 1),
            (
                "year = \"二〇二六\"",
                "取值类型不对：应为整数，这里是用英文双引号括起的文字",
                1,
                8,
            ),
            (
                "unit_types = \"党群机关\"",
                "取值类型不对：应为方括号 [ ] 括起的列表，这里是用英文双引号括起的文字",
                1,
                14,
            ),
            (
                "title = 5",
                "取值类型不对：应为用英文双引号括起的文字，这里是整数",
                1,
                9,
            ),
            ("c = 1", "未知的设置项 “c”（请检查拼写）", 1, 1),
        ];
        for (text, message, line, column) in cases {
            let (m, at) = read(text);
            assert_eq!(m, *message, "{text:?}");
            assert_eq!((at.line, at.column), (*line, *column), "{text:?}: {m}");
            assert!(
                !m.chars()
                    .any(|c| c.is_ascii_alphabetic() && !"TOMLtruefalsec".contains(c)),
                "{m}"
            );
        }
    }

    #[test]
    fn every_known_description_has_chinese_words_and_unknown_ones_a_general_sentence() {
        for (description, words) in SYNTAX {
            let p = TomlProblem::of(&format!("{description}, expected `]`"));
            let want = if *description == "duplicate key" {
                TomlProblem::DuplicateKey
            } else {
                TomlProblem::Syntax(words)
            };
            assert_eq!(p, want, "{description}");
        }
        assert_eq!(
            TomlProblem::of("something new, expected nothing").to_string(),
            "格式错误：写法不符合 TOML 格式"
        );
        assert_eq!(
            TomlProblem::of("invalid type: map, expected something odd").to_string(),
            "取值类型不对：这里不能是设置表"
        );
        assert_eq!(
            TomlProblem::of("invalid value: integer `-1`, expected u32").to_string(),
            "取值无效"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title = \"模范\"\n# 注释\nx";
        assert_eq!(
            Position::of(text, text.len() - 1),
            Position { line: 3, column: 1 }
        );
        let at = text.find('"').unwrap() + "\"模范".len();
        assert_eq!(
            Position::of(text, at),
            Position {
                line: 1,
                column: 12
            }
        );
        assert_eq!(Position::of(text, 10_000).line, 3, "clamped to the text");
        assert_eq!(
            Position::of(text, 10),
            Position {
                line: 1,
                column: 10
            },
            "inside 模"
        );
    }
}
