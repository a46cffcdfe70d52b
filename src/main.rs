//! Lapor Portal, the citizen-facing app. `main` loads the runtime configuration
//! (`config.json` beside `index.html`) before mounting, so one build can point at any backend.

mod api;
mod app;
mod clock;
mod components;
mod config;
mod draft;
mod embed;
mod i18n;
mod image;
mod lazy_routes;
mod load;
mod outbox;
mod pages;
mod pwa;
mod saved_reports;
mod split;
mod storage;
mod support_queue;
mod theme;
mod updates;
mod worker_messages;

use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // Leptos' executor starts with `mount`; the config is fetched before that.
    wasm_bindgen_futures::spawn_local(async {
        let loaded = config::load().await;
        // The static first paint in index.html stays until the app takes over.
        if let Some(splash) = document().get_element_by_id("splash") {
            splash.remove();
        }
        match loaded {
            Ok(config) => leptos::mount::mount_to_body(move || view! { <app::App config/> }),
            Err(error) => {
                web_sys::console::error_1(&format!("Lapor Portal: {error}").into());
                leptos::mount::mount_to_body(pages::config_error::ConfigError)
            }
        }
    });
}
