//! Reports made or looked up on this device: tracking number, last status and, for reports made
//! here or that the citizen chose to keep, the access code; never the reporter's identity.
//! What may be kept is `lapor_core::device_copy`'s rule; `forget` removes every copy.

use lapor_core::api::ReportView;
use lapor_core::device_copy::device_copy;
use serde::{Deserialize, Serialize};

use crate::storage::{Persisted, keys, persisted};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedReport {
    pub tracking_id: String,
    #[serde(default)]
    pub access_code: Option<String>,
    #[serde(default)]
    pub last_status: Option<String>,
    /// Made on this device, or kept here by the citizen's choice: its details and code may
    /// stay. Entries saved before this flag existed held a code only when the citizen had one,
    /// so they count as kept: an access code is never lost by an update.
    #[serde(default = "kept_before")]
    pub kept: bool,
}

fn kept_before() -> bool {
    true
}

fn stored_list() -> Persisted<Vec<SavedReport>> {
    persisted(keys::SAVED_REPORTS)
}

fn view_of(tracking_id: &str) -> Persisted<StoredView> {
    persisted(keys::report_view(tracking_id))
}

pub fn all() -> Vec<SavedReport> {
    stored_list().load().unwrap_or_default()
}

pub fn find(tracking_id: &str) -> Option<SavedReport> {
    all().into_iter().find(|r| r.tracking_id == tracking_id)
}

/// Whether the report was made here or kept by choice.
pub fn is_kept(tracking_id: &str) -> bool {
    find(tracking_id).is_some_and(|r| r.kept)
}

/// Adds or refreshes a report, newest first; a known access code is never forgotten, nor is
/// the choice to keep it.
pub fn remember(report: SavedReport) {
    let mut list = all();
    let previous = list
        .iter()
        .position(|r| r.tracking_id == report.tracking_id)
        .map(|i| list.remove(i));
    let kept = report.kept || previous.as_ref().is_some_and(|p| p.kept);
    let access_code = report
        .access_code
        .clone()
        .or(previous.and_then(|p| p.access_code));
    list.insert(
        0,
        SavedReport {
            access_code,
            kept,
            ..report
        },
    );
    replace(list);
}

/// Saved reports whose status changed since the citizen last looked at them.
fn updated_list() -> Persisted<Vec<String>> {
    persisted(keys::UPDATED_REPORTS)
}

/// The tracking numbers of saved reports that changed since the citizen last looked.
pub fn updated() -> Vec<String> {
    updated_list().load().unwrap_or_default()
}

/// The citizen has seen the report as it is now: its mark goes.
pub fn mark_seen(tracking_id: &str) {
    let mut list = updated();
    if list.iter().any(|t| t == tracking_id) {
        list.retain(|t| t != tracking_id);
        updated_list().save(&list);
    }
}

/// Records a status found by a background check (`crate::updates`). A saved report whose
/// status differs from the last one known is marked updated until the citizen looks at it;
/// returns whether it changed. Nothing else of the report is kept.
pub fn record_status(tracking_id: &str, status: &str) -> bool {
    let mut list = all();
    let Some(saved) = list.iter_mut().find(|r| r.tracking_id == tracking_id) else {
        return false;
    };
    if saved.last_status.as_deref() == Some(status) {
        return false;
    }
    saved.last_status = Some(status.to_owned());
    replace(list);
    let mut marked = updated();
    if !marked.iter().any(|t| t == tracking_id) {
        marked.push(tracking_id.to_owned());
        updated_list().save(&marked);
    }
    true
}

pub fn access_code(tracking_id: &str) -> Option<String> {
    find(tracking_id)?.access_code
}

/// Replaces the whole list (after removals and refreshes).
pub fn replace(reports: Vec<SavedReport>) {
    stored_list().save(&reports);
}

/// The last view of a report that loaded, kept so it stays readable offline.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredView {
    pub view: ReportView,
    /// When it was fetched, as `Date.toISOString()` (UTC). Copies kept before December 2026
    /// hold a time already formatted for display. Not formatted when kept: the browser's
    /// locale formatting costs a long task the first time it is used in a page.
    pub fetched_at: String,
}

/// When a [`StoredView`] was fetched (its `fetched_at`), in this device's time and the citizen's
/// language ("Jumat, 4 Desember 2026, 19.39"), from the date's own parts, not `toLocaleString`.
pub fn fetched_label(fetched_at: &str, locale: lapor_core::Locale) -> String {
    let date = js_sys::Date::new(&fetched_at.into());
    let day = chrono::NaiveDate::from_ymd_opt(
        date.get_full_year() as i32,
        date.get_month() + 1,
        date.get_date(),
    );
    match day {
        Some(day) if fetched_at.ends_with('Z') => {
            crate::i18n::format_date_time(locale, day, date.get_hours(), date.get_minutes())
        }
        _ => fetched_at.to_owned(),
    }
}

pub fn stored_view(tracking_id: &str) -> Option<StoredView> {
    view_of(tracking_id).load()
}

/// Keeps what this device may keep of a loaded view (`lapor_core::device_copy`): a report made
/// here or kept by choice whole, a public one listed without its code, a confidential one only
/// viewed not at all (and an earlier copy of it goes). The citizen sees this view: the
/// report is no longer marked updated.
pub fn remember_view(view: &ReportView, access_code: Option<String>) {
    let id = &view.tracking_id.to_string();
    mark_seen(id);
    crate::updates::refresh_marks();
    let kept = is_kept(id);
    let copy = device_copy(view.confidential, kept);
    if copy.view {
        let stored = StoredView {
            view: view.clone(),
            fetched_at: js_sys::Date::new_0().to_iso_string().into(),
        };
        view_of(id).save(&stored);
    } else {
        view_of(id).remove();
    }
    if copy.listed {
        remember(SavedReport {
            tracking_id: id.clone(),
            access_code: access_code.filter(|_| copy.access_code),
            last_status: Some(view.status.code().to_owned()),
            kept,
        });
    }
}

/// Removes every copy of a report from this device: its entry in the list, its stored view,
/// and whatever the service worker (of this or an earlier version) cached of it: API answers
/// and pages whose URL names the report, in any spelling.
pub async fn forget(tracking_id: &str) {
    let mut list = all();
    list.retain(|r| r.tracking_id != tracking_id);
    replace(list);
    mark_seen(tracking_id);
    view_of(tracking_id).remove();
    if let Err(error) = forget_cached(tracking_id).await {
        web_sys::console::warn_2(
            &"Lapor Portal: could not clear cached copies".into(),
            &error,
        );
    }
}

async fn forget_cached(tracking_id: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let Some(window) = web_sys::window() else {
        return Ok(());
    };
    // No Cache Storage (an insecure origin, some private modes): nothing was cached either.
    let Ok(caches) = window.caches() else {
        return Ok(());
    };
    let names: js_sys::Array = JsFuture::from(caches.keys()).await?.unchecked_into();
    for name in names.iter() {
        // The outbox's files are the citizen's own, waiting to be sent: never touched here.
        let Some(name) = name
            .as_string()
            .filter(|n| n != crate::outbox::files::CACHE)
        else {
            continue;
        };
        let cache: web_sys::Cache = JsFuture::from(caches.open(&name)).await?.unchecked_into();
        let requests: js_sys::Array = JsFuture::from(cache.keys()).await?.unchecked_into();
        for request in requests.iter() {
            let request: web_sys::Request = request.unchecked_into();
            if lapor_core::device_copy::url_is_about(&request.url(), tracking_id) {
                // The stored request itself, so its headers match whatever it `Vary`s on.
                JsFuture::from(cache.delete_with_request(&request)).await?;
            }
        }
    }
    Ok(())
}
