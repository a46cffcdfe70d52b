//! Attachment upload with progress. `fetch` cannot report upload progress, so this one request
//! uses XMLHttpRequest.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest};

use super::ApiError;

pub use lapor_core::api::Uploaded;

/// Uploads one file to `url` (the API's `/attachments`), reporting progress from 0 to 1.
pub async fn upload(
    url: &str,
    blob: &Blob,
    filename: &str,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Uploaded, ApiError> {
    let network = |_| ApiError::Network;
    let form = FormData::new().map_err(network)?;
    form.append_with_blob_and_filename("file", blob, filename)
        .map_err(network)?;
    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open("POST", url).map_err(network)?;

    let mut settle = None;
    let done = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let (resolve, reject) = settle.expect("the Promise executor runs at once");
    let onload = Closure::<dyn FnMut()>::new(move || {
        let _ = resolve.call0(&JsValue::NULL);
    });
    let onerror = Closure::<dyn FnMut()>::new(move || {
        let _ = reject.call0(&JsValue::NULL);
    });
    // Given up (as no answer) once `ANSWER_WITHIN` passes without progress: a photo takes long
    // on a slow line, but a stalled one never ends.
    let stall = Rc::new(RefCell::new(None::<leptos::prelude::TimeoutHandle>));
    let restart = {
        let (xhr, stall) = (xhr.clone(), stall.clone());
        move || {
            if let Some(handle) = stall.borrow_mut().take() {
                handle.clear();
            }
            let xhr = xhr.clone();
            *stall.borrow_mut() = leptos::prelude::set_timeout_with_handle(
                move || {
                    let _ = xhr.abort();
                },
                super::ANSWER_WITHIN,
            )
            .ok();
        }
    };
    restart();
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        restart();
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    xhr.set_onload(Some(onload.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(onerror.as_ref().unchecked_ref()));
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    xhr.send_with_opt_form_data(Some(&form)).map_err(network)?;
    let finished = JsFuture::from(done).await;
    if let Some(handle) = stall.borrow_mut().take() {
        handle.clear();
    }
    // The handlers must live until the request has settled.
    drop((onload, onerror, progress));
    finished.map_err(network)?;

    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match status {
        200..=299 => crate::json::parse(&text).map_err(|_| ApiError::Network),
        0 => Err(ApiError::Network),
        _ => Err(ApiError::from_answer(
            status,
            xhr.get_response_header(lapor_core::api::headers::RETRY_AFTER)
                .ok()
                .flatten(),
            crate::json::parse(&text).unwrap_or(lapor_core::api::Problem::new(status, "")),
        )),
    }
}
