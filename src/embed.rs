//! Embed mode: the portal inside an iframe on a regional government's site (see
//! `public/embed.js`). Presets arrive in the iframe's first URL; the portal reports its height
//! to the parent page, and only to the parent origin it was asked for and allowed to serve.

use std::time::Duration;

use lapor_core::Locale;
use leptos::prelude::*;

use crate::config::{Config, is_origin};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embed {
    pub embedded: bool,
    /// The parent origin the portal may talk to; `None` when not allowed.
    pub parent: Option<String>,
    pub transparent: bool,
    pub accent: Option<String>,
    pub locale: Option<Locale>,
}

/// Reads the embed parameters of a query string such as `?embed=1&parent=https%3A%2F%2F…`.
pub fn parse(search: &str, config: &Config) -> Embed {
    let params = web_sys::UrlSearchParams::new_with_str(search).ok();
    let get = |name: &str| {
        params
            .as_ref()
            .and_then(|p| p.get(name))
            .filter(|v| !v.is_empty())
    };
    if get("embed").as_deref() != Some("1") {
        return Embed::default();
    }
    // Only a listed origin: an empty list allows no parent at all (README, "Embedding").
    let parent = get("parent")
        .filter(|p| is_origin(p))
        .filter(|p| config.embed.allowed_parents.contains(p));
    if parent.is_none() {
        web_sys::console::warn_1(
            &"Lapor Portal: embedded by a page whose origin is not in embed.allowed_parents; not talking to it".into(),
        );
    }
    Embed {
        embedded: true,
        parent,
        transparent: get("transparent").as_deref() == Some("1"),
        accent: get("accent"),
        locale: asked_locale(search),
    }
}

/// The language an embedding site asks for (`?embed=1&locale=en`).
pub fn asked_locale(search: &str) -> Option<Locale> {
    let params = web_sys::UrlSearchParams::new_with_str(search).ok()?;
    if params.get("embed").as_deref() != Some("1") {
        return None;
    }
    params.get("locale").as_deref().and_then(Locale::parse)
}

/// Sends the page's height to the parent whenever it changes.
pub fn report_height(parent: String) {
    let last = StoredValue::new(0i32);
    let send = move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(body) = window.document().and_then(|d| d.body()) else {
            return;
        };
        let height = body.scroll_height();
        if height == last.get_value() {
            return;
        }
        last.set_value(height);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"lapor:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        if let Ok(Some(parent_window)) = window.parent() {
            let _ = parent_window.post_message(&message, &parent);
        }
    };
    send();
    let _ = set_interval_with_handle(send, Duration::from_millis(250));
}
