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
mod json;
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
        match config::load().await {
            // index.html's static first paint (`#splash`) stays until the page's own view is in
            // `#main` (a lazy route's code may still be on its way): its inline script removes it.
            Ok(config) => {
                // A visit that starts in a language other than Indonesian gets its texts first
                // (the embedding site's language wins for the visit).
                let search = window().location().search().unwrap_or_default();
                let start =
                    i18n::start_locale(embed::asked_locale(&search), config.default_locale());
                i18n::prepare(start).await;
                leptos::mount::mount_to_body(move || view! { <app::App config start/> })
            }
            Err(error) => {
                web_sys::console::error_1(&format!("Lapor Portal: {error}").into());
                if let Some(locale) = i18n::browser_locale() {
                    i18n::prepare(locale).await;
                }
                if let Some(splash) = document().get_element_by_id("splash") {
                    splash.remove();
                }
                leptos::mount::mount_to_body(pages::config_error::ConfigError)
            }
        }
    });
}
