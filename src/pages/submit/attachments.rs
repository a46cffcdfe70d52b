//! Photos and documents: photos are downscaled on the device, wrong types and oversize files
//! are refused before any upload, and each file shows its own progress, removal and retry.
//! Uploaded files join the draft, so a reload keeps them.

use std::collections::HashMap;

use lapor_core::api::Field;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, HtmlInputElement};

use crate::api::{ApiError, Backend};
use crate::app::InstanceResource;
use crate::components::field::{FieldError, Problems};
use crate::draft::Draft;
use crate::i18n::{fill, tr, use_i18n};
use crate::image::{downscale_to_jpeg, jpeg_name};
use crate::outbox::files;

#[derive(Clone, PartialEq)]
enum Progress {
    Preparing,
    Uploading(u32),
    Failed,
}

#[derive(Clone, PartialEq)]
struct Pending {
    key: u32,
    name: String,
    progress: Progress,
}

#[component]
pub fn AttachmentsSection(draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let instance = expect_context::<InstanceResource>();
    // What the backend accepts (`GET /instance`); the reference server's limits until it
    // has answered.
    let limits = move || {
        instance
            .get()
            .and_then(Result::ok)
            .map(|i| i.attachments)
            .unwrap_or_default()
    };
    let max_files = move || limits().max_files as usize;
    let max_bytes = move || limits().max_bytes_per_file;
    let pending = RwSignal::new(Vec::<Pending>::new());
    let refused = RwSignal::new(Vec::<String>::new());
    let blobs = StoredValue::new_local(HashMap::<u32, (Blob, String)>::new());
    let next_key = StoredValue::new(0u32);

    let set_progress = move |key: u32, progress: Progress| {
        pending.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.key == key) {
                p.progress = progress;
            }
        })
    };
    let send = {
        let api = api.clone();
        move |key: u32| {
            let Some((blob, name)) = blobs.with_value(|b| b.get(&key).cloned()) else {
                return;
            };
            let api = api.clone();
            set_progress(key, Progress::Uploading(0));
            leptos::task::spawn_local(async move {
                let result = api
                    .upload(&blob, &name, move |fraction| {
                        set_progress(key, Progress::Uploading((fraction * 100.0).round() as u32));
                    })
                    .await;
                let done = move || {
                    pending.update(|list| list.retain(|p| p.key != key));
                    blobs.update_value(|b| {
                        b.remove(&key);
                    });
                };
                match result {
                    Ok(uploaded) => {
                        done();
                        draft.update(|d| d.attachments.push(uploaded));
                    }
                    // Offline: the file waits on the device and goes up with the report.
                    Err(ApiError::Network) => match files::keep(&blob, &name).await {
                        Some(queued) => {
                            done();
                            draft.update(|d| d.queued_files.push(queued));
                        }
                        None => set_progress(key, Progress::Failed),
                    },
                    Err(_) => set_progress(key, Progress::Failed),
                }
            });
        }
    };
    let prepare = {
        let send = send.clone();
        move |file: File| {
            let name = file.name();
            let kind = file.type_();
            let count = draft.with_untracked(|d| d.attachments.len() + d.queued_files.len())
                + pending.with_untracked(Vec::len);
            let t = i18n.t();
            if count >= max_files() {
                refused.update(|r| {
                    r.push(fill(
                        t.sub_file_too_many,
                        &[("n", &max_files().to_string())],
                    ))
                });
                return;
            }
            let is_image = kind.starts_with("image/") && limits().accepts(&kind);
            if !limits().accepts(&kind) {
                refused.update(|r| r.push(fill(t.sub_file_wrong_type, &[("name", &name)])));
                return;
            }
            let too_big = fill(
                t.sub_file_too_big,
                &[
                    ("name", &name),
                    ("mb", &(max_bytes() / 1024 / 1024).to_string()),
                ],
            );
            if !is_image && file.size() as u64 > max_bytes() {
                refused.update(|r| r.push(too_big));
                return;
            }
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            pending.update(|list| {
                list.push(Pending {
                    key,
                    name: name.clone(),
                    progress: Progress::Preparing,
                })
            });
            let send = send.clone();
            leptos::task::spawn_local(async move {
                let blob: Result<Blob, _> = if is_image {
                    downscale_to_jpeg(&file).await
                } else {
                    Ok(file.clone().into())
                };
                match blob {
                    Ok(blob) if blob.size() as u64 <= max_bytes() => {
                        let upload_name = if is_image { jpeg_name(&name) } else { name };
                        blobs.update_value(|b| {
                            b.insert(key, (blob, upload_name));
                        });
                        send(key);
                    }
                    Ok(_) => {
                        pending.update(|list| list.retain(|p| p.key != key));
                        refused.update(|r| r.push(too_big));
                    }
                    Err(_) => set_progress(key, Progress::Failed),
                }
            });
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        refused.set(Vec::new());
        if let Some(files) = input.files() {
            for i in 0..files.length() {
                if let Some(file) = files.get(i) {
                    prepare(file);
                }
            }
        }
        input.set_value("");
    };
    let accept = move || limits().accepted_types.join(",");
    view! {
        <div class="field" id="attachments-field">
            <label for="attachments">{tr(|t| t.sub_files_label)}</label>
            <p class="hint" id="attachments-hint">
                {move || fill(i18n.t().sub_files_hint, &[("n", &max_files().to_string())])}
            </p>
            <FieldError problems field={Field::AttachmentIds.path()}/>
            <div role="alert">
                {move || refused.get().into_iter().map(|r| view! { <p class="field-error">{r}</p> }).collect_view()}
            </div>
            <input id="attachments" type="file" multiple accept=accept aria-describedby="attachments-hint"
                on:change=on_change/>
            <ul class="file-list">
                {move || draft.get().attachments.into_iter().map(|a| {
                    let id = a.id.clone();
                    view! {
                        <li class="file">
                            <span class="file__name">{a.filename.clone()}</span>
                            <span class="file__state">{tr(|t| t.sub_file_done)}" · "{format!("{} KB", a.size.div_ceil(1024))}</span>
                            <button type="button" class="button button--link"
                                on:click=move |_| draft.update(|d| d.attachments.retain(|x| x.id != id))>
                                {tr(|t| t.sub_file_remove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
                {move || draft.get().queued_files.into_iter().map(|f| {
                    let forget = f.clone();
                    view! {
                        <li class="file">
                            <span class="file__name">{f.filename.clone()}</span>
                            <span class="file__state">{tr(|t| t.sub_file_queued)}" · "{format!("{} KB", f.size.div_ceil(1024))}</span>
                            <button type="button" class="button button--link" on:click=move |_| {
                                let file = forget.clone();
                                draft.update(|d| d.queued_files.retain(|x| x.key != file.key));
                                leptos::task::spawn_local(async move { files::forget(&file).await });
                            }>
                                {tr(|t| t.sub_file_remove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
                {move || pending.get().into_iter().map(|p| {
                    let key = p.key;
                    let send = send.clone();
                    let failed = p.progress == Progress::Failed;
                    let state = move || match p.progress {
                        Progress::Preparing => i18n.t().sub_file_processing.to_owned(),
                        Progress::Uploading(pct) => fill(i18n.t().sub_file_uploading, &[("p", &pct.to_string())]),
                        Progress::Failed => i18n.t().sub_file_failed.to_owned(),
                    };
                    view! {
                        <li class="file" class:file--failed=failed>
                            <span class="file__name">{p.name.clone()}</span>
                            <span class="file__state" role="status">{state}</span>
                            {failed.then(|| view! {
                                <button type="button" class="button button--link" on:click=move |_| send(key)>
                                    {tr(|t| t.sub_file_retry)}
                                </button>
                            })}
                            <button type="button" class="button button--link" on:click=move |_| {
                                pending.update(|list| list.retain(|x| x.key != key));
                                blobs.update_value(|b| { b.remove(&key); });
                            }>
                                {tr(|t| t.sub_file_remove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
