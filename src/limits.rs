//! The one table of size limits: how long a stored text may be, how large a scheme file
//! and its lists may be, and how a value too long to print is shown in a message.
//!
//! A cell, a scheme or an argument beyond a limit is refused with a message naming its
//! place; nothing is cut short silently, because what the clerk sees in Excel must be
//! what mofan stores. The limits are far above any real value (the longest agency names
//! of the sample returns have about 30 characters) and low enough that one pasted page
//! cannot make an import take seconds or the database grow by megabytes.

/// A kind of stored text, with the most characters it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// An agency name (单位名称).
    Name,
    /// A region (所属地区).
    Region,
    /// A unit type (单位类型) and its aliases in a scheme.
    UnitType,
    /// An award's document number (文号).
    DocNumber,
    /// A title: the award title (称号), a scheme's title.
    Title,
    /// A header label or alias of a scheme.
    Label,
    /// The operator recorded in the audit log.
    Operator,
    /// A reason typed for the record: of an override, of reopening a campaign.
    Reason,
    /// What an objection during the publicity says (异议内容).
    Objection,
    /// The name of whoever raised an objection (异议人), kept and never printed.
    Objector,
    /// A ledger item's text (问题描述 / 任务内容 / 责任内容).
    LedgerText,
    /// A ledger item's measures (整改措施).
    Measures,
    /// Who is responsible for a ledger item (责任人 / 责任部门).
    Owner,
    /// What a ledger item's completion says (完成情况 / 佐证).
    Evidence,
    /// The subject of a supervision (督查事由).
    Subject,
    /// What a supervision record says (督查内容).
    Content,
    /// Who took part in a supervision (参加人员).
    People,
    /// The cadre held accountable (被问责人).
    Person,
}

impl TextKind {
    /// The most characters (Unicode scalar values, as Excel counts them) allowed.
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Name => 100,
            TextKind::Region => 50,
            TextKind::UnitType => 30,
            TextKind::DocNumber => 100,
            TextKind::Title => 100,
            TextKind::Label => 50,
            TextKind::Operator => 50,
            TextKind::Reason => 500,
            TextKind::Objection => 2000,
            TextKind::Objector => 50,
            TextKind::LedgerText => 1000,
            TextKind::Measures => 2000,
            TextKind::Owner => 100,
            TextKind::Evidence => 1000,
            TextKind::Subject => 200,
            TextKind::Content => 2000,
            TextKind::People => 500,
            TextKind::Person => 50,
        }
    }

    /// The Chinese name of the text, for messages.
    pub const fn label(self) -> &'static str {
        match self {
            TextKind::Name => "单位名称",
            TextKind::Region => "所属地区",
            TextKind::UnitType => "单位类型",
            TextKind::DocNumber => "文号",
            TextKind::Title => "标题",
            TextKind::Label => "名称",
            TextKind::Operator => "操作人",
            TextKind::Reason => "理由",
            TextKind::Objection => "异议内容",
            TextKind::Objector => "异议人",
            TextKind::LedgerText => "事项内容",
            TextKind::Measures => "整改措施",
            TextKind::Owner => "责任人",
            TextKind::Evidence => "完成情况",
            TextKind::Subject => "督查事由",
            TextKind::Content => "督查内容",
            TextKind::People => "参加人员",
            TextKind::Person => "被问责人",
        }
    }
}

/// Refuses a text longer than its kind allows: "单位名称过长（共 N 字，最多 100 字）".
pub fn check_len(kind: TextKind, s: &str) -> Result<(), String> {
    let max = kind.max_chars();
    // Counting stops one past the limit: a 100 MB text is refused without walking it.
    if s.chars().take(max + 1).count() > max {
        return Err(format!(
            "{}过长（共 {} 字，最多 {max} 字）",
            kind.label(),
            s.chars().count()
        ));
    }
    Ok(())
}

/// Refuses a text that is too long or holds a control character (an ANSI escape, a NUL):
/// for texts typed on the command line or written in a scheme, where no cell formatting
/// explains one.
pub fn check_plain(kind: TextKind, s: &str) -> Result<(), String> {
    check_len(kind, s)?;
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!("{}含控制字符 \\u{{{:x}}}", kind.label(), c as u32));
    }
    Ok(())
}

/// The longest value a message quotes whole.
pub const QUOTE_CHARS: usize = 60;

/// A value as a message quotes it: whole when short, else its first characters and its
/// length ("某某…（共 102400 字）"), so that a refused 100 KB cell does not fill the
/// screen or the error workbook.
pub fn quote(s: &str) -> String {
    if s.chars().take(QUOTE_CHARS + 1).count() <= QUOTE_CHARS {
        return s.to_string();
    }
    let head: String = s.chars().take(20).collect();
    format!("{head}…（共 {} 字）", s.chars().count())
}

/// The largest scheme file read (1 MiB): the shipped scheme has 3 KB, and a scheme at
/// the list limits below stays well under it.
pub const SCHEME_FILE_BYTES: usize = 1 << 20;

/// The most entries of each list of a scheme.
pub mod scheme {
    /// `[[components]]`.
    pub const COMPONENTS: usize = 20;
    /// `[[vetoes]]`.
    pub const VETOES: usize = 50;
    /// `[[quotas]]`.
    pub const QUOTAS: usize = 500;
    /// `unit_types`, and the unit types of one quota rule.
    pub const UNIT_TYPES: usize = 50;
    /// `[unit_type_aliases]` (all entries).
    pub const UNIT_TYPE_ALIASES: usize = 500;
    /// The aliases of one component, veto or the daily score, and the words of one tier.
    pub const ALIASES: usize = 50;
    /// A quota rule's `group_by` (region and unit type).
    pub const GROUP_BY: usize = 2;
    /// Identifier keys of components and vetoes.
    pub const KEY_CHARS: usize = 30;
    /// `cycle_years` of the review.
    pub const CYCLE_YEARS: (i64, i64) = (1, 20);
    /// `rectify_months` of the review.
    pub const RECTIFY_MONTHS: (i64, i64) = (1, 60);
    /// `complaints_trigger` of the review.
    pub const COMPLAINTS_TRIGGER: (i64, i64) = (1, 1000);
    /// `cooldown_years`.
    pub const COOLDOWN_YEARS: (i64, i64) = (0, 20);
    /// A quota's `count`, `min` and `max`: seats of one pool.
    pub const SEATS: (i64, i64) = (0, 10_000);
    /// The choice words of `[ballots]` (a ballot offers a handful), and the words it does
    /// not count.
    pub const CHOICES: usize = 20;
    /// `[ballots].min_valid`: valid answers a unit needs. A campaign's survey reaches at
    /// most some thousands of people per unit; a floor above 100,000 is a typing slip.
    pub const MIN_VALID: (i64, i64) = (1, 100_000);
    /// `[panel].min_judges`: a panel has a few to a few dozen judges.
    pub const MIN_JUDGES: (i64, i64) = (1, 200);
    /// `[panel].trim`: scores dropped at each end (less than half of `MIN_JUDGES`).
    pub const TRIM: (i64, i64) = (0, 99);
    /// `[publicity].working_days`: a publicity lasts days, not months (0: none).
    pub const PUBLICITY_DAYS: (i64, i64) = (0, 30);
    /// `[ledger].warn_days`: how far ahead a deadline counts as due soon (a year at most).
    pub const WARN_DAYS: (i64, i64) = (0, 366);
    /// `[ledger].accountability_blocks`: kinds of accountability (there are seven).
    pub const ACCOUNTABILITY_BLOCKS: usize = 20;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters() {
        assert!(check_len(TextKind::Region, &"区".repeat(50)).is_ok());
        assert_eq!(
            check_len(TextKind::Region, &"区".repeat(51)).unwrap_err(),
            "所属地区过长（共 51 字，最多 50 字）"
        );
        assert_eq!(
            check_plain(TextKind::Operator, "张\u{1b}[31m").unwrap_err(),
            "操作人含控制字符 \\u{1b}"
        );
    }

    #[test]
    fn long_values_are_quoted_shortly() {
        assert_eq!(quote("广州市民政局"), "广州市民政局");
        assert_eq!(
            quote(&"局".repeat(1000)),
            format!("{}…（共 1000 字）", "局".repeat(20))
        );
    }
}
