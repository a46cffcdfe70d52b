//! Updates on the device: which saved reports changed since the citizen last looked. Checked
//! when the app opens and when the service worker relays a Background Sync; a change marks the
//! report ("Diperbarui" in "my reports" and on the home page) until the citizen looks at it,
//! and shows a notification when the citizen allowed them (asked only on the confirmation
//! page, after a report was sent).
//!
//! Privacy: a report's access code is sent only when the device may keep it
//! (`lapor_core::device_copy`); otherwise the number alone is asked, and only the status is
//! kept. A confidential report's notification says only that there is an update.

use std::cell::{Cell, RefCell};

use lapor_core::Status;
use lapor_core::device_copy::device_copy;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api::Backend;
use crate::i18n::labels::status_text;
use crate::i18n::{I18n, fill};
use crate::saved_reports::{self, SavedReport};
use crate::split::split_point;

thread_local! {
    static CHECKER: RefCell<Option<(Backend, I18n, Updates)>> = const { RefCell::new(None) };
    static CHECKING: Cell<bool> = const { Cell::new(false) };
    static MARKS: Cell<Option<Updates>> = const { Cell::new(None) };
}

/// The saved reports marked updated, for the views that show the mark.
#[derive(Clone, Copy)]
pub struct Updates {
    pub marked: RwSignal<Vec<SavedReport>>,
}

pub fn use_updates() -> Updates {
    expect_context()
}

/// Provides [`Updates`] and checks once the first render is done. Needs the [`Backend`] and
/// [`I18n`] contexts.
pub fn start() {
    let updates = Updates {
        marked: RwSignal::new(marked_reports()),
    };
    provide_context(updates);
    MARKS.with(|m| m.set(Some(updates)));
    if let (Some(api), Some(i18n)) = (use_context::<Backend>(), use_context::<I18n>()) {
        CHECKER.with(|c| *c.borrow_mut() = Some((api, i18n, updates)));
        set_timeout(check, std::time::Duration::ZERO);
    }
}

/// The saved reports marked updated, in the list's order.
fn marked_reports() -> Vec<SavedReport> {
    let marked = saved_reports::updated();
    saved_reports::all()
        .into_iter()
        .filter(|r| marked.contains(&r.tracking_id))
        .collect()
}

/// Reads the marks again (after a check, or after the citizen looked).
pub fn refresh_marks() {
    if let Some(updates) = MARKS.with(Cell::get) {
        updates.marked.set(marked_reports());
    }
}

/// Asks the backend for every saved report's status; one check at a time.
pub fn check() {
    let Some((api, i18n, updates)) = CHECKER.with(|c| c.borrow().clone()) else {
        return;
    };
    if CHECKING.with(|c| c.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async move {
        let saved = saved_reports::all();
        // A device without saved reports (every first visit) never fetches the checking code.
        if !saved.is_empty()
            && let Ok(checking) = check_statuses(api, i18n, saved).await
        {
            checking.await;
        }
        updates.marked.set(marked_reports());
        CHECKING.with(|c| c.set(false));
    });
}

/// Work on saved reports, run from a split-off file (`crate::split`).
type Checking = std::pin::Pin<Box<dyn Future<Output = ()>>>;

split_point!(
    [module saved_report_checks]
    fn check_statuses(api: Backend, i18n: I18n, saved: Vec<SavedReport>) -> Checking {
        Box::pin(async move {
            for saved in saved {
                let confidential = saved_reports::stored_view(&saved.tracking_id)
                    .is_none_or(|stored| stored.view.confidential);
                let code = saved
                    .access_code
                    .clone()
                    .filter(|_| device_copy(confidential, saved.kept).access_code);
                let Ok(view) = api.report(&saved.tracking_id, code.as_deref()).await else {
                    continue;
                };
                if saved_reports::record_status(&saved.tracking_id, view.status.code()) {
                    notify(i18n, &saved.tracking_id, &view.status, view.confidential);
                }
            }
        }) as Checking
    }
);

/// Asks the backend again for each of `saved` and keeps the fresh views on the device ("my
/// reports"' refresh); the code comes with the status checks'. Offline it does nothing.
pub async fn refresh_views(api: Backend, saved: Vec<SavedReport>) {
    if let Ok(refreshing) = refresh_code(api, saved).await {
        refreshing.await;
    }
}

split_point!(
    [module saved_report_checks]
    fn refresh_code(api: Backend, saved: Vec<SavedReport>) -> Checking {
        Box::pin(async move {
            for saved in saved {
                if let Ok(view) = api
                    .report(&saved.tracking_id, saved.access_code.as_deref())
                    .await
                {
                    saved_reports::remember_view(&view, saved.access_code.clone());
                }
            }
        }) as Checking
    }
);

/// The browser's `Notification` class, where it has one.
fn notification_class() -> Option<js_sys::Function> {
    js_sys::Reflect::get(&window(), &"Notification".into())
        .ok()
        .and_then(|n| n.dyn_into::<js_sys::Function>().ok())
}

/// `Notification.permission`: `default` (not asked yet), `granted` or `denied`; `None`
/// without notifications.
pub fn notification_permission() -> Option<String> {
    let class: JsValue = notification_class()?.into();
    js_sys::Reflect::get(&class, &"permission".into())
        .ok()?
        .as_string()
}

/// Asks the citizen whether the portal may notify them; `true` when allowed.
pub async fn request_notification_permission() -> bool {
    let Some(class) = notification_class() else {
        return false;
    };
    let Some(request) = js_sys::Reflect::get(&class, &"requestPermission".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(answer) = request.call0(&class) else {
        return false;
    };
    let answer = match answer.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_or_default(),
        Err(answer) => answer,
    };
    answer.as_string().as_deref() == Some("granted")
}

/// Shows a notification of a changed report, through the service worker where there is one
/// (the installed app), else `new Notification`; nothing without the citizen's permission.
fn notify(i18n: I18n, tracking_id: &str, status: &Status, confidential: bool) {
    if notification_permission().as_deref() != Some("granted") {
        return;
    }
    let t = i18n.t();
    let (title, body, tag) = if confidential {
        (
            t.notify_confidential.to_owned(),
            String::new(),
            "lapor-update".to_owned(),
        )
    } else {
        (
            fill(t.notify_title, &[("tracking", tracking_id)]),
            fill(t.notify_body, &[("status", &status_text(t, status))]),
            format!("lapor-update-{tracking_id}"),
        )
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"body".into(), &body.into());
    let _ = js_sys::Reflect::set(&options, &"tag".into(), &tag.into());
    leptos::task::spawn_local(async move {
        if let Some(registration) = crate::pwa::registration().await
            && let Ok(show) = js_sys::Reflect::get(&registration, &"showNotification".into())
            && let Ok(show) = show.dyn_into::<js_sys::Function>()
            && let Ok(shown) = show.call2(&registration, &JsValue::from_str(&title), &options)
        {
            if let Ok(shown) = shown.dyn_into::<js_sys::Promise>() {
                let _ = wasm_bindgen_futures::JsFuture::from(shown).await;
            }
            return;
        }
        if let Some(class) = notification_class() {
            let arguments = js_sys::Array::of2(&JsValue::from_str(&title), &options);
            let _ = js_sys::Reflect::construct(&class, &arguments);
        }
    });
}
