//! 评选方案: the scheme screen's commands, over the core's form
//! ([`mofan::scheme::form`]: the scheme with every number as its decimal text, read into a
//! `Scheme` and checked with [`mofan::scheme::Scheme::check`], so every rule and message is
//! the one a scheme file gets) and the core's screen functions ([`mofan::ui::scheme`]).

use std::path::Path;
use std::sync::Mutex;

use mofan::campaign::CampaignSummary;
pub use mofan::scheme::form::{Checked, SchemeForm};
use mofan::store::Store;
pub use mofan::ui::scheme::SchemeView;

use crate::{lock, CommandError};

/// The scheme of campaign `year`.
pub fn load(store: &Mutex<Store>, year: i32) -> Result<SchemeView, CommandError> {
    let store = lock(store)?;
    Ok(mofan::ui::scheme::load(&store, year)?)
}

/// The core's check of a form: its TOML, or every issue at its field.
pub fn check(f: &SchemeForm) -> Checked {
    f.check()
}

/// Saves a form as the campaign's scheme (checked first; the core audits it).
pub fn save(
    store: &Mutex<Store>,
    year: i32,
    f: &SchemeForm,
    operator: &str,
) -> Result<CampaignSummary, CommandError> {
    let mut store = lock(store)?;
    mofan::ui::scheme::save(&mut store, year, f, operator).map_err(CommandError::from_core)
}

/// Reads a scheme file into a form (its issues keep their line numbers in the file).
pub fn import_file(path: &Path) -> Result<SchemeForm, CommandError> {
    mofan::ui::scheme::import_file(path).map_err(CommandError::from_core)
}

/// The TOML of a valid form, or its issues as an error.
pub fn toml_of(f: &SchemeForm) -> Result<String, CommandError> {
    f.to_toml().map_err(CommandError::from_core)
}

/// Writes the return template of a valid form for `year` to `out`.
pub fn write_template(f: &SchemeForm, year: i32, out: &Path) -> Result<(), CommandError> {
    let scheme = f.scheme().map_err(CommandError::from_core)?;
    mofan::template::write_template(&scheme, Some(year), out).map_err(CommandError::from_core)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::temp_state;

    #[test]
    fn saves_a_checked_form_and_writes_the_template() {
        let (dir, state) = temp_state();
        let store = state.store().unwrap();
        crate::create_campaign(&store, 2026, None, "测试员").unwrap();
        let mut v = load(&store, 2026).unwrap();
        assert_eq!(v.campaign.year, 2026);
        assert!(check(&v.form).issues.is_empty());
        v.form.composite_min = Some("88".into());
        let saved = save(&store, 2026, &v.form, "测试员").unwrap();
        assert_eq!(saved.year, 2026);
        let again = load(&store, 2026).unwrap();
        assert_eq!(again.form.composite_min.as_deref(), Some("88"));
        v.form.components[0].weight = "0.5".into();
        let c = check(&v.form);
        assert_eq!(c.issues[0].key, "components");
        assert_eq!(c.weight_sum.as_deref(), Some("1.45"));
        assert_eq!(
            save(&store, 2026, &v.form, "测试员").unwrap_err().code,
            "scheme.invalid"
        );
        assert_eq!(toml_of(&v.form).unwrap_err().code, "scheme.invalid");
        let out = dir.path().join("申报模板.xlsx");
        assert_eq!(
            write_template(&v.form, 2026, &out).unwrap_err().code,
            "scheme.invalid"
        );
        write_template(&again.form, 2026, &out).unwrap();
        assert!(std::fs::metadata(&out).unwrap().len() > 4000);
        let file = dir.path().join("方案.toml");
        std::fs::write(&file, toml_of(&again.form).unwrap()).unwrap();
        assert_eq!(import_file(&file).unwrap(), again.form);
        assert_eq!(load(&store, 2027).unwrap_err().code, "campaign.not_found");
    }
}
