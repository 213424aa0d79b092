//! The vocabulary: every fixed word mofan stores, prints or shows, in one place.
//!
//! - **Enums that are stored or shown** (tier, selection status, campaign status, file
//!   statuses, review trigger and outcome, award status, override action): each has one
//!   spelling for the database, JSON and files (its [`Vocab::key`], which is also its
//!   serde name, so the two cannot drift), one Chinese label ([`Vocab::label`]) and one
//!   parser of that spelling ([`Vocab::parse`]). The Chinese words an import accepts for
//!   a tier or an award status are in [`words`].
//! - **Fixed fields** of a return and of the awards registry ([`fields`]): key, Chinese
//!   label, header aliases and kind of value. The scheme's own fields (daily score,
//!   components, vetoes) take their labels from the scheme.
//! - [`labels`] gathers every key → label list for the desktop window, so the screens
//!   show the core's words instead of typing them again.
//!
//! A leaf: it depends on nothing in the crate but [`crate::normalize`], so the scheme,
//! the importer, the store and the outputs can all use it without depending on each
//! other. The enums are re-exported where they were defined before (`scheme::Tier`,
//! `select::Status`, `store::campaigns::CampaignStatus`, …).
//! See `docs/specification.md` §2 for the entities these words describe.

use serde::Serialize;

pub mod fields;
pub mod words;

pub use fields::{
    Field, FieldKind, FixedField, AWARD_FIELDS, BALLOT_FIELDS, LEDGER_FIELDS, PANEL_FIELDS,
    RETURN_FIELDS,
};
pub use words::{
    builtin_tier_words, is_ledger_done_word, parse_award_status, parse_ledger_kind,
    parse_ledger_level, parse_ledger_source, parse_tier, AWARD_STATUS_WORDS,
};

/// A closed set of values with one stored spelling and one Chinese label each.
pub trait Vocab: Copy + Eq + Sized + 'static {
    /// Every value, in the order lists and screens show them.
    const ALL: &'static [Self];

    /// The spelling stored in the database and written in JSON and files.
    fn key(self) -> &'static str;

    /// The Chinese label shown to the clerk.
    fn label(self) -> &'static str;

    /// The value whose stored spelling is exactly `key`.
    fn parse(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == key)
    }

    /// Every value's key and label, in [`Vocab::ALL`] order.
    fn terms() -> Vec<Term> {
        Self::ALL
            .iter()
            .map(|v| Term {
                key: v.key(),
                label: v.label(),
            })
            .collect()
    }
}

/// One value of a vocabulary as the window receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Term {
    /// The stored / JSON spelling.
    pub key: &'static str,
    /// The Chinese label.
    pub label: &'static str,
}

/// Defines a [`Vocab`] enum: each variant's stored spelling (also its serde name) and
/// label are written once, beside it. The inherent `as_str`, `label` and `parse` are the
/// names the rest of the crate has always called.
macro_rules! vocab_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($key:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $key)] $variant, )+
        }

        impl $crate::vocab::Vocab for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }

        impl $name {
            /// The spelling stored in the database and written in JSON and files.
            pub fn as_str(self) -> &'static str {
                $crate::vocab::Vocab::key(self)
            }

            /// The Chinese label.
            pub fn label(self) -> &'static str {
                $crate::vocab::Vocab::label(self)
            }

            /// Parses the stored / JSON spelling (exactly as [`Self::as_str`] writes it).
            pub fn parse(s: &str) -> Option<Self> {
                <Self as $crate::vocab::Vocab>::parse(s)
            }
        }
    };
}

vocab_enum! {
    /// The three tiers of agencies.
    pub enum Tier {
        /// Provincial agencies (no region).
        Province = ("province", "省直"),
        /// City agencies.
        City = ("city", "市级"),
        /// County and district agencies.
        County = ("county", "县级"),
    }
}

impl Tier {
    /// Parses a code (`province`, `city`, `county`); the Chinese words are read by
    /// [`parse_tier`].
    pub fn from_code(s: &str) -> Option<Tier> {
        Tier::parse(s)
    }

    /// Whether an agency of this tier must state its region.
    pub fn needs_region(self) -> bool {
        self != Tier::Province
    }
}

vocab_enum! {
    /// A return's outcome in the selection (`select::Status`).
    pub enum SelectionStatus {
        /// Selected within the pool's quota, or included by the panel.
        Selected = ("selected", "入选"),
        /// Tied for the last seat: the panel decides.
        TiePending = ("tie_pending", "并列待定"),
        /// Eligible, not selected.
        NotSelected = ("not_selected", "未入选"),
        /// Fails a rule of the scheme.
        Ineligible = ("ineligible", "不符合条件"),
    }
}

vocab_enum! {
    /// A campaign's life-cycle state.
    pub enum CampaignStatus {
        /// Returns are being imported.
        Draft = ("draft", "草稿"),
        /// A selection has been run.
        Selected = ("selected", "已评选"),
        /// Published: locked.
        Published = ("published", "已发布"),
    }
}

vocab_enum! {
    /// What one import did with a file (its report).
    pub enum FileStatus {
        /// Its returns (or, in a partial import, its valid returns) were stored.
        Imported = ("imported", "已导入"),
        /// Nothing was stored.
        Rejected = ("rejected", "未导入"),
        /// The same file (same SHA-256) was imported before; nothing changed.
        Duplicate = ("duplicate", "重复"),
    }
}

vocab_enum! {
    /// How a chosen file stands after it is checked, before anything is stored: what the
    /// batch on 数据导入 counts, filters and sorts by (in this order).
    pub enum PreviewState {
        /// No error: the whole file can be imported.
        Ready = ("ready", "可导入"),
        /// Rows (or sheets) with errors: nothing is imported, or only the correct rows
        /// in a partial import.
        Errors = ("errors", "有错误"),
        /// The same file (same SHA-256) is imported already.
        Duplicate = ("duplicate", "已导入过"),
        /// Not readable as returns at all (not a workbook, no header, no such file).
        Unreadable = ("unreadable", "无法读取"),
    }
}

vocab_enum! {
    /// A stored imported file's state (returns and registry files alike).
    pub enum StoredFileStatus {
        /// Every row was stored.
        Imported = ("imported", "已导入"),
        /// Rows with errors were left out.
        Partial = ("partial", "部分导入"),
        /// Withdrawn: its returns no longer count.
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

vocab_enum! {
    /// Why an award is reviewed: the first that applies.
    pub enum Trigger {
        /// This year's return has a veto flag.
        Veto = ("veto", "一票否决"),
        /// A rectifying award's deadline has passed.
        Deadline = ("deadline", "整改期满"),
        /// This year's complaints reach the trigger.
        Complaints = ("complaints", "群众反映问题"),
        /// The review cycle has come round.
        Cycle = ("cycle", "定期复查"),
    }
}

vocab_enum! {
    /// What a review decides.
    pub enum Outcome {
        /// The title is kept.
        Retain = ("retain", "保留称号"),
        /// The agency must rectify by a deadline.
        Rectify = ("rectify", "限期整改"),
        /// The title is revoked (摘牌).
        Revoke = ("revoke", "撤销称号"),
    }
}

vocab_enum! {
    /// An award's state in the registry.
    pub enum AwardStatus {
        /// Held, in good standing.
        Active = ("active", "正常"),
        /// Held, under rectification.
        Rectifying = ("rectifying", "整改中"),
        /// Revoked (摘牌): no longer held, and the agency is barred for the scheme's cool-down years.
        Revoked = ("revoked", "已撤销"),
    }
}

impl AwardStatus {
    /// Whether the title is held (active or under rectification).
    pub fn is_held(self) -> bool {
        self != AwardStatus::Revoked
    }
}

vocab_enum! {
    /// A panel decision on one agency's result.
    pub enum OverrideAction {
        /// Selected whatever the ranking says.
        Include = ("include", "纳入"),
        /// Not selected whatever the ranking says.
        Exclude = ("exclude", "不予入选"),
        /// Withdraws the agency's earlier decision.
        Clear = ("clear", "撤销调整"),
    }
}

vocab_enum! {
    /// What started a run of the selection: every run is stored, and a panel decision is
    /// itself a run (docs/specification.md §4, "Runs").
    pub enum RunTrigger {
        /// The clerk ran the selection (运行评选, `mofan select`, `mofan run`).
        Run = ("run", "运行评选"),
        /// A panel decision was recorded, and the selection re-run with it.
        Override = ("override", "评审组调整"),
    }
}

vocab_enum! {
    /// An input of the selection whose change makes a stored result stale.
    pub enum RunInput {
        /// The current returns (an import, a withdrawal).
        Returns = ("returns", "申报数据"),
        /// The awards registry (an import, a review applied, a publication).
        Awards = ("awards", "命名记录"),
        /// The campaign's scheme.
        Scheme = ("scheme", "评选方案"),
        /// The panel's decisions.
        Overrides = ("overrides", "评审组调整"),
        /// The ballots and panel score sheets of computed components (测评数据).
        Evaluations = ("evaluations", "测评数据"),
        /// The ledger's problem items overdue on the run's reference date (清单台账,
        /// docs/specification.md §10).
        Ledger = ("ledger", "清单台账"),
        /// The accountability records (问责) of the campaign year whose kind bars an
        /// agency (docs/specification.md §10).
        Accountability = ("accountability", "问责记录"),
    }
}

vocab_enum! {
    /// Where a component's score comes from (docs/specification.md §8).
    pub enum ComponentSource {
        /// Reported by the unit in its return.
        Return = ("return", "申报表"),
        /// Computed from the satisfaction ballots the committee collects (群众满意度测评).
        Ballots = ("ballots", "测评票"),
        /// Computed from the panel's score sheets (评委打分).
        Panel = ("panel", "评委打分"),
    }
}

vocab_enum! {
    /// How a ballot sheet is laid out (docs/specification.md §8), recognised by its header.
    pub enum BallotLayout {
        /// 计票汇总表: a row per unit, a column per choice word holding counts.
        Tally = ("tally", "计票汇总表"),
        /// An online survey's export: a row per respondent, a column per unit.
        Survey = ("survey", "问卷导出（每个单位一列）"),
        /// A row per answer sheet and unit: a unit column and answer columns.
        Long = ("long", "逐张录入（单位一列）"),
    }
}

vocab_enum! {
    /// How a panel's score sheet is laid out (docs/specification.md §8), recognised by its
    /// header.
    pub enum PanelLayout {
        /// A row per unit and a column per judge.
        Wide = ("wide", "评委为列"),
        /// A row per score: 评委, 单位名称 and 得分 columns.
        Long = ("long", "长表（评委、单位、得分）"),
    }
}

vocab_enum! {
    /// What a day of a year's official holiday arrangement is (docs/specification.md §9).
    pub enum CalendarDayKind {
        /// A day off (放假), a weekday or not.
        Holiday = ("holiday", "放假"),
        /// A Saturday or Sunday worked instead of a holiday (调休上班).
        Workday = ("workday", "调休上班"),
    }
}

vocab_enum! {
    /// How an objection during the publicity reached the committee (docs/specification.md
    /// §9).
    pub enum ObjectionChannel {
        /// A letter.
        Letter = ("letter", "来信"),
        /// A telephone call.
        Phone = ("phone", "来电"),
        /// A visit in person.
        Visit = ("visit", "来访"),
        /// An e-mail.
        Email = ("email", "电子邮件"),
        /// Any other way.
        Other = ("other", "其他"),
    }
}

vocab_enum! {
    /// How an objection was settled (docs/specification.md §9).
    pub enum ObjectionResolution {
        /// The objection holds: the agency is excluded (an override).
        Upheld = ("upheld", "异议成立"),
        /// The objection does not hold: nothing else changes.
        Rejected = ("rejected", "异议不成立"),
    }
}

vocab_enum! {
    /// Which list a ledger item belongs to (docs/specification.md §10).
    pub enum LedgerKind {
        /// 责任清单: a responsibility, with the level it falls to.
        Responsibility = ("responsibility", "责任清单"),
        /// 任务清单: a task.
        Task = ("task", "任务清单"),
        /// 问题清单: a problem to rectify, with where it was found.
        Problem = ("problem", "问题清单"),
    }
}

vocab_enum! {
    /// What kind of supervision a record tells of (督查记录, docs/specification.md §10).
    pub enum SupervisionKind {
        /// A written inquiry the agency answers in writing.
        Inquiry = ("inquiry", "书面问询"),
        /// A talk in person with the agency's leaders (约谈).
        Talk = ("talk", "当面约谈"),
        /// A bulletin on the agency's situation.
        Bulletin = ("bulletin", "情况通报"),
        /// A special inspection (督察).
        Inspection = ("inspection", "专项督察"),
    }
}

vocab_enum! {
    /// The level a responsibility falls to (责任层级, docs/specification.md §10).
    pub enum LedgerLevel {
        /// 党组（党委）: the agency's leading Party group or committee.
        PartyGroup = ("party_group", "党组（党委）"),
        /// 机关党委: the agency's Party committee of the organ.
        OrganCommittee = ("organ_committee", "机关党委"),
        /// 党支部: a Party branch.
        Branch = ("branch", "党支部"),
        /// 党员: each Party member.
        Member = ("member", "党员"),
    }
}

vocab_enum! {
    /// Where a problem was found (问题来源, docs/specification.md §10).
    pub enum LedgerSource {
        /// A periodic review of an award (复查); items of an applied `rectify` outcome.
        Review = ("review", "复查"),
        /// A supervision (督查).
        Inspection = ("inspection", "督查"),
        /// An inspection tour (巡视巡察).
        Patrol = ("patrol", "巡视巡察"),
        /// An audit (审计).
        Audit = ("audit", "审计"),
        /// The public's reports (群众反映).
        Public = ("public", "群众反映"),
        /// The agency's own check (自查).
        SelfCheck = ("self_check", "自查"),
        /// Anything else.
        Other = ("other", "其他"),
    }
}

vocab_enum! {
    /// A ledger item's status on a date (docs/specification.md §10).
    pub enum LedgerStatus {
        /// Past its deadline and not done (red in every output).
        Overdue = ("overdue", "逾期"),
        /// Not done, the deadline within the warning days (amber).
        DueSoon = ("due_soon", "即将到期"),
        /// Not done, the deadline further off (or none given).
        Open = ("open", "未完成"),
        /// Done (green).
        Done = ("done", "已完成"),
    }
}

vocab_enum! {
    /// What kind of accountability (问责, docs/specification.md §10) was imposed. Some
    /// kinds are for an organisation, some for a named cadre, and 通报 for both
    /// ([`AccountabilityKind::for_organisation`], [`AccountabilityKind::for_person`]).
    pub enum AccountabilityKind {
        /// The organisation is ordered to make a written self-examination (检查).
        Check = ("check", "检查"),
        /// A bulletin (通报), of an organisation or a cadre.
        Bulletin = ("bulletin", "通报"),
        /// The organisation's leading body is reorganised (改组).
        Reorganise = ("reorganise", "改组"),
        /// A cadre is admonished (诫勉).
        Admonish = ("admonish", "诫勉"),
        /// A cadre's post is adjusted (组织调整).
        Adjust = ("adjust", "组织调整"),
        /// A cadre is dealt with by the organisation (组织处理).
        Handle = ("handle", "组织处理"),
        /// A cadre is given a disciplinary sanction (纪律处分).
        Discipline = ("discipline", "纪律处分"),
    }
}

impl AccountabilityKind {
    /// Whether the kind may be imposed on an organisation (检查, 通报, 改组).
    pub fn for_organisation(self) -> bool {
        matches!(
            self,
            AccountabilityKind::Check
                | AccountabilityKind::Bulletin
                | AccountabilityKind::Reorganise
        )
    }

    /// Whether the kind may be imposed on a named cadre (通报, 诫勉, 组织调整, 组织处理,
    /// 纪律处分).
    pub fn for_person(self) -> bool {
        self == AccountabilityKind::Bulletin || !self.for_organisation()
    }
}

/// The accountability kinds that make an agency ineligible when imposed in the campaign
/// year, by default (通报, 改组, 纪律处分; docs/specification.md §10): the default of the
/// scheme's `[ledger] accountability_blocks`.
pub const ACCOUNTABILITY_BLOCKS: &[AccountabilityKind] = &[
    AccountabilityKind::Bulletin,
    AccountabilityKind::Reorganise,
    AccountabilityKind::Discipline,
];

/// The value of a vocabulary a clerk typed: its Chinese label or its stored spelling,
/// spaces around it ignored (`--kind 通报` and `--kind bulletin` alike).
pub fn parse_word<T: Vocab>(word: &str) -> Option<T> {
    let word = word.trim();
    T::ALL
        .iter()
        .copied()
        .find(|v| v.label() == word || v.key() == word)
}

/// Every vocabulary's key → label list, and the fixed fields' key → label, as the desktop
/// window loads them once at start (the `vocabulary` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Labels {
    /// [`Tier`].
    pub tier: Vec<Term>,
    /// [`SelectionStatus`].
    pub selection_status: Vec<Term>,
    /// [`CampaignStatus`].
    pub campaign_status: Vec<Term>,
    /// [`FileStatus`].
    pub file_status: Vec<Term>,
    /// [`StoredFileStatus`].
    pub stored_file_status: Vec<Term>,
    /// [`PreviewState`].
    pub preview_state: Vec<Term>,
    /// [`Trigger`].
    pub trigger: Vec<Term>,
    /// [`Outcome`].
    pub outcome: Vec<Term>,
    /// [`AwardStatus`].
    pub award_status: Vec<Term>,
    /// [`OverrideAction`].
    pub override_action: Vec<Term>,
    /// [`RunTrigger`].
    pub run_trigger: Vec<Term>,
    /// [`RunInput`].
    pub run_input: Vec<Term>,
    /// [`ComponentSource`].
    pub component_source: Vec<Term>,
    /// [`CalendarDayKind`].
    pub calendar_day_kind: Vec<Term>,
    /// [`ObjectionChannel`].
    pub objection_channel: Vec<Term>,
    /// [`ObjectionResolution`].
    pub objection_resolution: Vec<Term>,
    /// [`LedgerKind`].
    pub ledger_kind: Vec<Term>,
    /// [`LedgerLevel`].
    pub ledger_level: Vec<Term>,
    /// [`LedgerSource`].
    pub ledger_source: Vec<Term>,
    /// [`LedgerStatus`].
    pub ledger_status: Vec<Term>,
    /// The kinds of accountability `[ledger] accountability_blocks` may name
    /// ([`AccountabilityKind`]'s labels; the word is both key and label, as the scheme
    /// stores the word).
    pub accountability_blocks: Vec<Term>,
    /// [`SupervisionKind`].
    pub supervision_kind: Vec<Term>,
    /// [`AccountabilityKind`].
    pub accountability_kind: Vec<Term>,
    /// The accountability kinds for an organisation (检查, 通报, 改组).
    pub accountability_kind_organisation: Vec<Term>,
    /// The accountability kinds for a named cadre (通报, 诫勉, 组织调整, 组织处理, 纪律处分).
    pub accountability_kind_person: Vec<Term>,
    /// The fixed fields of a return, then those of the awards registry, then the ledger's.
    pub fields: Vec<Term>,
}

/// The accountability kinds for which `keep` holds, as terms.
fn kinds_where(keep: fn(AccountabilityKind) -> bool) -> Vec<Term> {
    AccountabilityKind::terms()
        .into_iter()
        .filter(|t| AccountabilityKind::parse(t.key).is_some_and(keep))
        .collect()
}

/// The labels of every vocabulary.
pub fn labels() -> Labels {
    Labels {
        tier: Tier::terms(),
        selection_status: SelectionStatus::terms(),
        campaign_status: CampaignStatus::terms(),
        file_status: FileStatus::terms(),
        stored_file_status: StoredFileStatus::terms(),
        preview_state: PreviewState::terms(),
        trigger: Trigger::terms(),
        outcome: Outcome::terms(),
        award_status: AwardStatus::terms(),
        override_action: OverrideAction::terms(),
        run_trigger: RunTrigger::terms(),
        run_input: RunInput::terms(),
        component_source: ComponentSource::terms(),
        calendar_day_kind: CalendarDayKind::terms(),
        objection_channel: ObjectionChannel::terms(),
        objection_resolution: ObjectionResolution::terms(),
        ledger_kind: LedgerKind::terms(),
        ledger_level: LedgerLevel::terms(),
        ledger_source: LedgerSource::terms(),
        ledger_status: LedgerStatus::terms(),
        accountability_blocks: AccountabilityKind::ALL
            .iter()
            .map(|k| Term {
                key: k.label(),
                label: k.label(),
            })
            .collect(),
        supervision_kind: SupervisionKind::terms(),
        accountability_kind: AccountabilityKind::terms(),
        accountability_kind_organisation: kinds_where(AccountabilityKind::for_organisation),
        accountability_kind_person: kinds_where(AccountabilityKind::for_person),
        fields: RETURN_FIELDS
            .iter()
            .chain(AWARD_FIELDS)
            .chain(LEDGER_FIELDS)
            .map(|f| Term {
                key: f.key,
                label: f.label,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
