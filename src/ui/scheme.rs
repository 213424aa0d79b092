//! 评选方案: the campaign's scheme as the form edits it, saving a checked form, and a
//! scheme file read into a form. The form, its reading and its check are
//! [`crate::scheme::form`]; checking a form needs no store ([`SchemeForm::check`]).

use std::path::Path;

use serde::Serialize;

use crate::campaign::{self, CampaignError, CampaignSummary};
use crate::scheme::form::SchemeForm;
use crate::scheme::Scheme;
use crate::store::{campaigns, Store};

/// The campaign's scheme as a form, with its stored text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchemeView {
    /// The stored scheme as the window's form edits it ([`SchemeForm::of`]).
    pub form: SchemeForm,
    /// The stored TOML, which the what-if comparison starts from.
    pub toml: String,
    /// The campaign's summary (status, returns), which decides whether saving asks first.
    pub campaign: CampaignSummary,
}

/// The scheme of campaign `year`.
pub fn load(store: &Store, year: i32) -> Result<SchemeView, CampaignError> {
    let row = campaigns::require(store.conn(), year)?;
    let campaign = campaign::get(store, year)?;
    let scheme = Scheme::parse(&row.scheme_toml)?;
    Ok(SchemeView {
        form: SchemeForm::of(&scheme),
        toml: row.scheme_toml,
        campaign,
    })
}

/// Saves a form as the scheme of campaign `year`: refused with every issue when the check
/// finds one (`scheme.invalid`), else stored and audited by [`campaign::set_scheme`].
pub fn save(
    store: &mut Store,
    year: i32,
    form: &SchemeForm,
    operator: &str,
) -> Result<CampaignSummary, CampaignError> {
    let toml = form.to_toml()?;
    campaign::set_scheme(store, year, &toml, operator)
}

/// Reads a scheme file into a form; its issues keep their line numbers in the file.
pub fn import_file(path: &Path) -> Result<SchemeForm, CampaignError> {
    let text = campaign::read_scheme_file(path)?;
    Ok(SchemeForm::of(&Scheme::parse(&text)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn saves_a_checked_form_and_reads_a_file_into_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
        assert_eq!(load(&store, 2026).unwrap_err().code(), "campaign.not_found");
        campaign::create(&mut store, 2026, None, "测试员").unwrap();
        let mut v = load(&store, 2026).unwrap();
        assert_eq!(v.campaign.year, 2026);
        assert_eq!(Scheme::parse(&v.toml).unwrap(), v.form.scheme().unwrap());
        v.form.composite_min = Some("88".into());
        assert_eq!(
            save(&mut store, 2026, &v.form, "测试员").unwrap().year,
            2026
        );
        let again = load(&store, 2026).unwrap();
        assert_eq!(again.form.composite_min.as_deref(), Some("88"));
        v.form.components[0].weight = "0.5".into();
        // What the screen shows while the form is edited: the issue at its field and the
        // weights' sum; the TOML and the template are refused alike.
        let checked = v.form.check();
        assert_eq!(checked.issues[0].key, "components");
        assert_eq!(checked.weight_sum.as_deref(), Some("1.45"));
        assert_eq!(v.form.to_toml().unwrap_err().code(), "scheme.invalid");
        assert_eq!(v.form.scheme().unwrap_err().code(), "scheme.invalid");
        let refused = save(&mut store, 2026, &v.form, "测试员").unwrap_err();
        assert_eq!(refused.code(), "scheme.invalid");
        assert!(refused
            .to_string()
            .contains("components：各考核项目权重之和应为1"));
        assert_eq!(load(&store, 2026).unwrap(), again, "nothing stored");

        let file = dir.path().join("方案.toml");
        std::fs::write(&file, again.form.to_toml().unwrap()).unwrap();
        assert_eq!(import_file(&file).unwrap(), again.form);
        std::fs::write(&file, "award_title = \"x\"\nweight = = 1\n").unwrap();
        match import_file(&file).unwrap_err() {
            CampaignError::Scheme(e) => assert_eq!(e.issues[0].line, Some(2)),
            other => panic!("{other}"),
        }
    }
}
