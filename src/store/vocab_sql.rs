//! The vocabulary's enums in SQL columns: each is stored as its one spelling
//! ([`Vocab::key`]) in a `TEXT` column whose `CHECK` lists exactly those spellings, and is
//! read back through [`Vocab::parse`]. A text no value spells (impossible in a database
//! that passed the schema check, whose `CHECK`s forbid it) is an error naming the column's
//! vocabulary and the text, never silently another value.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::vocab::{
    AccountabilityKind, AwardStatus, BallotLayout, CalendarDayKind, CampaignStatus, LedgerKind,
    LedgerLevel, LedgerSource, ObjectionChannel, ObjectionResolution, Outcome, OverrideAction,
    StoredFileStatus, SupervisionKind, Tier, Trigger, Vocab,
};

/// A stored text that is not a spelling of the column's vocabulary.
#[derive(Debug, thiserror::Error)]
#[error("数据库中的{vocabulary}“{text}”无法识别")]
pub struct UnknownWord {
    /// Which vocabulary the column holds, in Chinese.
    pub vocabulary: &'static str,
    /// The text found.
    pub text: String,
}

fn read<T: Vocab>(v: ValueRef<'_>, vocabulary: &'static str) -> FromSqlResult<T> {
    let text = v.as_str()?;
    T::parse(text).ok_or_else(|| {
        FromSqlError::Other(Box::new(UnknownWord {
            vocabulary,
            text: text.to_string(),
        }))
    })
}

macro_rules! sql_text {
    ($($t:ty => $what:literal),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(Vocab::key(*self)))
            }
        }

        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                read(v, $what)
            }
        }
    )+};
}

sql_text! {
    Tier => "层级",
    CampaignStatus => "评选状态",
    StoredFileStatus => "文件状态",
    Trigger => "复查原因",
    Outcome => "复查结论",
    AwardStatus => "称号状态",
    OverrideAction => "调整方式",
    BallotLayout => "测评票格式",
    CalendarDayKind => "节假日安排",
    ObjectionChannel => "异议渠道",
    ObjectionResolution => "异议处理结果",
    LedgerKind => "清单类型",
    LedgerLevel => "责任层级",
    LedgerSource => "问题来源",
    SupervisionKind => "督查方式",
    AccountabilityKind => "问责方式",
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn round_trips_and_names_an_unknown_text() {
        let conn = Connection::open_in_memory().unwrap();
        let t: Tier = conn
            .query_row("SELECT ?1", [Tier::County], |r| r.get(0))
            .unwrap();
        assert_eq!(t, Tier::County);
        let raw: String = conn
            .query_row("SELECT ?1", [AwardStatus::Rectifying], |r| r.get(0))
            .unwrap();
        assert_eq!(raw, "rectifying");
        let e = conn
            .query_row("SELECT '整改中'", [], |r| r.get::<_, AwardStatus>(0))
            .unwrap_err();
        assert!(
            e.to_string().contains("数据库中的称号状态“整改中”无法识别"),
            "{e}"
        );
    }
}
