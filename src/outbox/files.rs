//! Files of queued reports, kept in Cache Storage until their report is created (an upload
//! the backend has dropped meanwhile is made again from here). Cache Storage holds blobs
//! natively (no base64), survives reloads and closed tabs, and has far more room than
//! `localStorage`. Each file is stored as a response under a made-up URL beside the app,
//! which no request ever fetches.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, Response};

pub const CACHE: &str = "lapor-outbox-files";

/// A prepared file (already downscaled if it is a photo) that could not be uploaded yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueuedFile {
    /// Where the blob is stored; also the file's identity while it waits.
    pub key: String,
    pub filename: String,
    pub size: u64,
}

async fn open() -> Option<Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    let cache = JsFuture::from(caches.open(CACHE)).await.ok()?;
    cache.dyn_into().ok()
}

fn url_of(key: &str) -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    web_sys::Url::new_with_base(&format!("__outbox/{key}"), &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| format!("/__outbox/{key}"))
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

/// Keeps `blob` on the device; `None` where Cache Storage is unavailable (insecure origin,
/// storage blocked or full), and then the caller keeps the file in memory only.
pub async fn keep(blob: &Blob, filename: &str) -> Option<QueuedFile> {
    let cache = open().await?;
    let key = crate::api::new_idempotency_key();
    let response = Response::new_with_opt_blob(Some(blob)).ok()?;
    JsFuture::from(cache.put_with_str(&url_of(&key), &response))
        .await
        .ok()?;
    Some(QueuedFile {
        key,
        filename: filename.to_owned(),
        size: blob.size() as u64,
    })
}

/// The kept blob, if it is still there.
pub async fn load(file: &QueuedFile) -> Option<Blob> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(&url_of(&file.key)))
        .await
        .ok()?;
    let response: Response = found.dyn_into().ok()?;
    let blob = JsFuture::from(response.blob().ok()?).await.ok()?;
    blob.dyn_into().ok()
}

pub async fn forget(file: &QueuedFile) {
    if let Some(cache) = open().await {
        let _ = JsFuture::from(cache.delete_with_str(&url_of(&file.key))).await;
    }
}
