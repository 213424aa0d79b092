//! 通知文书: a campaign's notices (命名决定, 撤销通知, 整改通知书) with default settings,
//! each notice's filled words for the print preview, and the `.docx`. The wording and
//! the layout are the core's (`mofan::notice`).

use std::path::Path;
use std::sync::Mutex;

use mofan::notice::campaign::{self, CampaignNotices};
use mofan::notice::preview::{self, Preview};
use mofan::notice::{self, Notice, NoticeKind, NoticeSettings};
use mofan::store::Store;

use crate::{lock, CommandError};

/// Reads a kind the window sends.
pub fn kind_of(kind: &str) -> Result<NoticeKind, CommandError> {
    match kind {
        "award" => Ok(NoticeKind::Award),
        "revocation" => Ok(NoticeKind::Revocation),
        "rectification" => Ok(NoticeKind::Rectification),
        other => Err(CommandError::new(
            "desktop.bad_request",
            format!("未知的文书类型：{other}"),
        )),
    }
}

/// The notices of `kind` for campaign `year`, with their default settings.
pub fn sources(
    store: &Mutex<Store>,
    year: i32,
    kind: NoticeKind,
) -> Result<CampaignNotices, CommandError> {
    let store = lock(store)?;
    campaign::notices(&store, kind, year).map_err(CommandError::from_core)
}

/// The words of one notice under `settings`.
pub fn preview(settings: &NoticeSettings, notice: &Notice) -> Result<Preview, CommandError> {
    preview::preview(settings, notice).map_err(CommandError::from_core)
}

/// The file name offered for these notices: the notice's own for one, else the kind's.
pub fn file_name(year: i32, notices: &[Notice]) -> String {
    match notices {
        [one] => one.file_name(),
        [first, ..] => format!("{year}年度{}.docx", first.kind().label()),
        [] => "通知.docx".to_string(),
    }
}

/// Writes the notices, one per section, to `out`.
pub fn export(
    out: &Path,
    settings: &NoticeSettings,
    notices: &[Notice],
) -> Result<(), CommandError> {
    notice::write(out, settings, notices).map_err(CommandError::from_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{sample, temp_state};
    use mofan::import::ImportOptions;

    #[test]
    fn previews_and_writes_a_campaigns_notices() {
        let (dir, state) = temp_state();
        let store = state.store().unwrap();
        crate::create_campaign(&store, 2026, None, "测试员").unwrap();
        {
            let mut s = store.lock().unwrap();
            let opts = ImportOptions {
                partial: false,
                operator: "测试员".into(),
            };
            let returns = mofan::import::Returns::open(&s, 2026, &[]).unwrap();
            mofan::import::import_file(&mut s, &returns, &sample("00_广州市.xlsx"), &opts).unwrap();
        }
        assert_eq!(kind_of("x").unwrap_err().code, "desktop.bad_request");
        let award = sources(&store, 2026, kind_of("award").unwrap()).unwrap();
        assert_eq!(award.notices.len(), 1);
        let p = preview(&award.settings, &award.notices[0]).unwrap();
        assert!(p.title.contains("2026年度模范机关"), "{}", p.title);
        assert!(!p.groups.is_empty());
        let out = dir.path().join(file_name(2026, &award.notices));
        assert!(out.ends_with("2026年度命名决定.docx"));
        export(&out, &award.settings, &award.notices).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 5000);
        let none = sources(&store, 2026, NoticeKind::Revocation).unwrap_err();
        assert_eq!(none.code, "notice.nothing");
    }
}
