//! Reports made or looked up on this device: tracking number and access code only, never the
//! reporter's identity.

use serde::{Deserialize, Serialize};

use crate::storage;

const KEY: &str = "my_reports";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedReport {
    pub tracking_id: String,
    #[serde(default)]
    pub access_code: Option<String>,
    #[serde(default)]
    pub last_status: Option<String>,
}

pub fn all() -> Vec<SavedReport> {
    storage::get(KEY)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Adds or refreshes a report, newest first; a known access code is never forgotten.
pub fn remember(report: SavedReport) {
    let mut list = all();
    let previous = list
        .iter()
        .position(|r| r.tracking_id == report.tracking_id)
        .map(|i| list.remove(i));
    let access_code = report
        .access_code
        .clone()
        .or(previous.and_then(|p| p.access_code));
    list.insert(
        0,
        SavedReport {
            access_code,
            ..report
        },
    );
    if let Ok(json) = serde_json::to_string(&list) {
        storage::set(KEY, &json);
    }
}

pub fn access_code(tracking_id: &str) -> Option<String> {
    all()
        .into_iter()
        .find(|r| r.tracking_id == tracking_id)?
        .access_code
}

/// Replaces the whole list (after removals and refreshes).
pub fn replace(list: &[SavedReport]) {
    if let Ok(json) = serde_json::to_string(list) {
        storage::set(KEY, &json);
    }
}
