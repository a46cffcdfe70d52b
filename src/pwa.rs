//! The installed app: the connection state, the service worker (release builds only;
//! `public/sw.js`, with its lists of files written by `xtask/service-worker.mjs`), the "new version"
//! offer, Background Sync for the outbox and the check for updates of saved reports
//! (`crate::updates`), on start and on every sync.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::worker_messages;

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    /// This tab asked for the waiting version: reload when it takes over.
    static RELOAD_REQUESTED: Cell<bool> = const { Cell::new(false) };
}

#[derive(Clone, Copy)]
pub struct Pwa {
    pub online: RwSignal<bool>,
    /// A new version is installed and waits for the citizen's go-ahead.
    pub update_ready: RwSignal<bool>,
}

pub fn use_pwa() -> Pwa {
    expect_context()
}

/// Watches the connection and provides [`Pwa`] as context; starts the check for updates of
/// saved reports.
pub fn start() -> Pwa {
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    let pwa = Pwa {
        online,
        update_ready: RwSignal::new(false),
    };
    provide_context(pwa);
    crate::updates::start();
    pwa
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    // Missing on insecure origins and in some private modes.
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers `sw.js` beside `index.html` (its scope is the portal's path, root or sub-path).
/// `warm` are the URLs this visit read before the worker controlled it (fetched again once it
/// does); `on_sync` runs when the worker relays a Background Sync.
pub fn register_service_worker(pwa: Pwa, warm: Vec<String>, on_sync: impl Fn() + 'static) {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(container) = container() else { return };
    let first_install = container.controller().is_none();
    let on_controller = Closure::<dyn FnMut()>::new(move || {
        if RELOAD_REQUESTED.with(Cell::get) {
            let _ = window().location().reload();
        } else if first_install {
            // The worker controls the page now: fetch what this visit read before it did, so
            // the next visit opens offline too.
            for url in &warm {
                let _ = window().fetch_with_str(url);
            }
            cache_pages(true);
        }
    });
    if !first_install {
        // From the second visit on, every page's code is kept for offline use, once this
        // visit's own downloads are done.
        set_timeout(|| cache_pages(false), std::time::Duration::from_secs(3));
    }
    let _ = window_event_listener_untyped("appinstalled", |_| cache_pages(false));
    container.set_oncontrollerchange(Some(on_controller.as_ref().unchecked_ref()));
    on_controller.forget();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if worker_messages::type_of(&e.data()).as_deref() == Some(worker_messages::OUTBOX_SYNC)
            {
                on_sync();
                crate::updates::check();
            }
        });
    container.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    let registering = container.register("sw.js");
    leptos::task::spawn_local(async move {
        // A browser that blocks workers may resolve with nothing instead of refusing.
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(registering).await else {
            return;
        };
        if !registration.is_object() {
            return;
        }
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        watch_for_updates(&registration, pwa.update_ready);
        REGISTRATION.with(|r| *r.borrow_mut() = Some(registration));
    });
}

/// Asks the worker to keep the pages' code (split off the main wasm) for offline use: only
/// what this visit already downloaded (`http_cache_only`, no network), or all of it (unless
/// the visitor saves data).
fn cache_pages(http_cache_only: bool) {
    let Some(worker) = container().and_then(|c| c.controller()) else {
        return;
    };
    if !http_cache_only && saves_data() {
        return;
    }
    let message = worker_messages::message(worker_messages::CACHE_PAGES);
    if http_cache_only {
        let _ = js_sys::Reflect::set(
            &message,
            &worker_messages::HTTP_CACHE_ONLY.into(),
            &true.into(),
        );
    }
    let _ = worker.post_message(&message);
}

/// Whether the visitor asked their browser to save data (`navigator.connection.saveData`):
/// then nothing is downloaded in the background.
fn saves_data() -> bool {
    js_sys::Reflect::get(&window().navigator(), &"connection".into())
        .and_then(|connection| js_sys::Reflect::get(&connection, &"saveData".into()))
        .is_ok_and(|save| save.is_truthy())
}

fn watch_for_updates(registration: &ServiceWorkerRegistration, update_ready: RwSignal<bool>) {
    let has_controller = || container().and_then(|c| c.controller()).is_some();
    if registration.waiting().is_some() && has_controller() {
        update_ready.set(true);
    }
    let watched = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = watched.installing() else {
            return;
        };
        let installing = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            // An installed worker beside a controlling one is an update, not the first install.
            if installing.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                update_ready.set(true);
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
}

/// Activates the waiting version; this page reloads once it has taken over. Other open tabs
/// are not reloaded: only the tab whose citizen asked for it.
pub fn apply_update() {
    let waiting = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|r| r.waiting()));
    if let Some(waiting) = waiting {
        RELOAD_REQUESTED.with(|r| r.set(true));
        let _ = waiting.post_message(&worker_messages::message(worker_messages::SKIP_WAITING));
    }
}

/// The service worker's registration, once registered (`None` without a worker).
pub async fn registration() -> Option<ServiceWorkerRegistration> {
    if let Some(registration) = REGISTRATION.with(|r| r.borrow().clone()) {
        return Some(registration);
    }
    let found = wasm_bindgen_futures::JsFuture::from(container()?.get_registration())
        .await
        .ok()?;
    found.dyn_into::<ServiceWorkerRegistration>().ok()
}

/// Asks the browser for a Background Sync of the outbox, where it has the API.
pub fn request_background_sync() {
    let Some(registration) = REGISTRATION.with(|r| r.borrow().clone()) else {
        return;
    };
    let Ok(sync) = js_sys::Reflect::get(&registration, &"sync".into()) else {
        return;
    };
    if let Ok(register) = js_sys::Reflect::get(&sync, &"register".into())
        && let Ok(register) = register.dyn_into::<js_sys::Function>()
        && let Ok(promise) = register.call1(&sync, &JsValue::from_str(worker_messages::SYNC_TAG))
    {
        // A refused sync (permission, no support) changes nothing: the other triggers remain.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = promise.unchecked_into::<js_sys::Promise>().catch(&ignore);
        ignore.forget();
    }
}
