//! 评选年度: creating a campaign from the window, with the default scheme or a scheme file
//! the user chose. Listing is [`crate::campaign::list`] itself.

use std::path::Path;

use super::UiError;
use crate::campaign::{self, CampaignSummary};
use crate::store::Store;

/// Creates the campaign of `year` with the default scheme, or with the scheme read from
/// the TOML file at `scheme_path` (a file that cannot be read or parsed creates nothing).
pub fn create(
    store: &mut Store,
    year: i32,
    scheme_path: Option<&Path>,
    operator: &str,
) -> Result<CampaignSummary, UiError> {
    let scheme = scheme_path.map(campaign::read_scheme_file).transpose()?;
    Ok(campaign::create(store, year, scheme.as_deref(), operator)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn creates_with_the_default_scheme_and_lists_it() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(campaign::list(&store).unwrap().is_empty());
        let created = create(&mut store, 2026, None, "测试员").expect("create");
        assert_eq!(created.year, 2026);
        let rows = campaign::list(&store).unwrap();
        assert_eq!(rows.len(), 1);
        let json = serde_json::to_value(&rows[0]).unwrap();
        assert_eq!(json["year"], 2026);
        assert_eq!(json["status"], "draft");
        assert_eq!(json["returns"], 0);
        assert_eq!(json["files"], 0);
    }

    #[test]
    fn the_same_year_twice_is_a_coded_chinese_error() {
        let mut store = Store::open_in_memory().unwrap();
        create(&mut store, 2026, None, "测试员").unwrap();
        let err = create(&mut store, 2026, None, "测试员").unwrap_err();
        assert_eq!(err.code(), "campaign.exists");
        let message = err.to_string();
        assert!(
            message.contains("2026"),
            "message names the year: {message}"
        );
        assert!(message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert_eq!(campaign::list(&store).unwrap().len(), 1);
    }

    #[test]
    fn creates_from_a_scheme_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("方案.toml");
        std::fs::write(&file, crate::scheme::DEFAULT_TOML).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let created = create(&mut store, 2027, Some(&file), "测试员").expect("create");
        assert_eq!(created.year, 2027);
    }

    #[test]
    fn a_missing_or_invalid_scheme_file_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let missing = create(
            &mut store,
            2026,
            Some(&dir.path().join("无.toml")),
            "测试员",
        );
        assert!(missing.is_err());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "this is = = not toml").unwrap();
        let invalid = create(&mut store, 2026, Some(&bad), "测试员").unwrap_err();
        assert!(!invalid.code().is_empty());
        assert!(campaign::list(&store).unwrap().is_empty());
    }
}
