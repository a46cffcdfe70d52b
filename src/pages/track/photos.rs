//! Photos with a reply or a dispute: each chosen photo is downscaled on the device
//! (`crate::image`, which also drops EXIF) and uploaded at once; the form sends the upload
//! ids, at most the backend's attachment limit, as a new report does.

use leptos::prelude::*;
use web_sys::{Blob, HtmlInputElement};

use crate::api::Backend;
use crate::app::InstanceResource;
use crate::i18n::{fill, use_i18n};
use crate::image::{downscale_to_jpeg, jpeg_name};

#[derive(Clone, PartialEq)]
enum Upload {
    Sending,
    Done(String),
    Failed,
}

#[derive(Clone, PartialEq)]
struct Photo {
    key: u32,
    name: String,
    upload: Upload,
}

/// The photos chosen for one form.
#[derive(Clone, Copy)]
pub struct Photos {
    list: RwSignal<Vec<Photo>>,
}

impl Photos {
    pub fn new() -> Photos {
        Photos {
            list: RwSignal::new(Vec::new()),
        }
    }

    /// The ids of the photos uploaded so far.
    pub fn ids(&self) -> Vec<String> {
        self.list.with_untracked(|list| {
            list.iter()
                .filter_map(|p| match &p.upload {
                    Upload::Done(id) => Some(id.clone()),
                    _ => None,
                })
                .collect()
        })
    }

    /// Whether a photo is still on its way up.
    pub fn sending(&self) -> bool {
        self.list
            .with(|list| list.iter().any(|p| p.upload == Upload::Sending))
    }

    /// Forgets every photo (after the form was sent: the uploads belong to it now).
    pub fn clear(&self) {
        self.list.set(Vec::new());
    }
}

#[component]
pub fn PhotoPicker(id: &'static str, photos: Photos) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Backend>();
    let instance = expect_context::<InstanceResource>();
    let max_files = move || {
        instance
            .get()
            .and_then(Result::ok)
            .map(|i| i.attachments)
            .unwrap_or_default()
            .max_files as usize
    };
    let too_many = RwSignal::new(false);
    let next_key = StoredValue::new(0u32);
    let set_upload = move |key: u32, upload: Upload| {
        photos.list.update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.key == key) {
                p.upload = upload;
            }
        })
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let Some(files) = input.files() else { return };
        too_many.set(false);
        for i in 0..files.length() {
            let Some(file) = files.get(i) else { continue };
            if photos.list.with_untracked(Vec::len) >= max_files() {
                too_many.set(true);
                break;
            }
            let key = next_key.get_value();
            next_key.set_value(key + 1);
            let name = file.name();
            photos.list.update(|list| {
                list.push(Photo {
                    key,
                    name: name.clone(),
                    upload: Upload::Sending,
                })
            });
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let (blob, upload_name): (Blob, String) = match downscale_to_jpeg(&file).await {
                    Ok(smaller) => (smaller, jpeg_name(&name)),
                    Err(_) => (file.into(), name),
                };
                let upload = match api.upload(&blob, &upload_name, |_| {}).await {
                    Ok(uploaded) => Upload::Done(uploaded.id),
                    Err(_) => Upload::Failed,
                };
                set_upload(key, upload);
            });
        }
        input.set_value("");
    };
    view! {
        <label for=id>{move || fill(i18n.t().track_photos_label, &[("n", &max_files().to_string())])}</label>
        <input id=id type="file" accept="image/jpeg,image/png,image/webp" multiple on:change=on_change/>
        <p class="field-error" role="status">{move || too_many.get().then(|| fill(i18n.t().track_photo_too_many, &[("n", &max_files().to_string())]))}</p>
        <ul class="photo-list" aria-live="polite">
            {move || photos.list.get().into_iter().map(|photo| {
                let t = i18n.t();
                let name = photo.name.as_str();
                let state = match photo.upload {
                    Upload::Sending => fill(t.track_photo_uploading, &[("name", name)]),
                    Upload::Done(_) => name.to_owned(),
                    Upload::Failed => fill(t.track_photo_failed, &[("name", name)]),
                };
                let remove = fill(t.track_photo_remove, &[("name", name)]);
                let key = photo.key;
                view! {
                    <li>
                        {state}" "
                        <button type="button" class="button button--link"
                            on:click=move |_| photos.list.update(|list| list.retain(|p| p.key != key))>{remove}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
