//! Tauri commands. Each one is async and moves its database work to a blocking thread, so
//! the window stays responsive while SQLite works.

use std::path::PathBuf;

use mofan::campaign::CampaignSummary;
use tauri::State;

use crate::{AppState, CommandError};

async fn blocking<T, F>(work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, CommandError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(CommandError::task_failed)?
}

/// `list_campaigns`: every campaign, as `CampaignSummary` rows.
#[tauri::command]
pub async fn list_campaigns(
    state: State<'_, AppState>,
) -> Result<Vec<CampaignSummary>, CommandError> {
    let store = state.store()?;
    blocking(move || crate::list_campaigns(&store)).await
}

/// `create_campaign { year, schemePath }`: creates a campaign; `schemePath` absent or null
/// means the default scheme.
#[tauri::command]
pub async fn create_campaign(
    state: State<'_, AppState>,
    year: i32,
    scheme_path: Option<String>,
) -> Result<CampaignSummary, CommandError> {
    let store = state.store()?;
    let scheme_path = scheme_path
        .filter(|p| !p.trim().is_empty())
        .map(PathBuf::from);
    blocking(move || {
        let operator = mofan::audit::default_operator();
        crate::create_campaign(&store, year, scheme_path.as_deref(), &operator)
    })
    .await
}
