//! 通知文书: reading what the window sends for a campaign's notices (命名决定, 撤销通知,
//! 整改通知书), and the file name offered for them. The notices with their default
//! settings, the print preview's words and the `.docx` are [`crate::notice`]'s own
//! ([`crate::notice::campaign::notices`], [`crate::notice::preview::preview`],
//! [`crate::notice::write`]).

use super::UiError;
use crate::notice::{Notice, NoticeKind};

/// Reads a kind the window sends.
pub fn kind_of(kind: &str) -> Result<NoticeKind, UiError> {
    match kind {
        "award" => Ok(NoticeKind::Award),
        "revocation" => Ok(NoticeKind::Revocation),
        "rectification" => Ok(NoticeKind::Rectification),
        "publicity" => Ok(NoticeKind::Publicity),
        "bulletin" => Ok(NoticeKind::Bulletin),
        other => Err(UiError::UnknownNoticeKind(other.to_string())),
    }
}

/// The file name offered for these notices: the notice's own for one, else the kind's.
pub fn file_name(year: i32, notices: &[Notice]) -> String {
    match notices {
        [one] => one.file_name(),
        [first, ..] => format!("{year}年度{}.docx", first.kind().label()),
        [] => "通知.docx".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::campaign::notices;
    use crate::notice::preview::preview;
    use crate::ui::testing::campaign_with;
    use crate::Coded;

    #[test]
    fn previews_and_writes_a_campaigns_notices() {
        let mut store = campaign_with(&["00_广州市.xlsx"]);
        assert_eq!(kind_of("x").unwrap_err().code(), "desktop.bad_request");
        // The decision names a run's result: none before the selection is run.
        assert_eq!(
            notices(&store, kind_of("award").unwrap(), 2026)
                .unwrap_err()
                .code(),
            "select.not_run"
        );
        crate::select::run(&mut store, 2026, "张三").unwrap();
        let award = notices(&store, kind_of("award").unwrap(), 2026).unwrap();
        assert_eq!(award.notices.len(), 1);
        let p = preview(&award.settings, &award.notices[0]).unwrap();
        assert!(p.title.contains("2026年度模范机关"), "{}", p.title);
        assert!(!p.groups.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(file_name(2026, &award.notices));
        assert!(out.ends_with("2026年度命名决定.docx"));
        crate::notice::write(&out, &award.settings, &award.notices).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 5000);
        let none = notices(&store, NoticeKind::Revocation, 2026).unwrap_err();
        assert_eq!(none.code(), "notice.nothing");
    }
}
