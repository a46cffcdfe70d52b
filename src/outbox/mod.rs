//! The outbox: a report that could not be sent (offline, or the network failed on the way) is
//! kept on the device with its files and sent by itself when the connection returns: at app
//! start, on the `online` event, on the service worker's Background Sync, every half minute
//! while something waits, and on "send now". Each report keeps the Idempotency-Key of its
//! draft, so however often it is retried the backend creates it once.

pub mod files;

use lapor_core::Locale;
use lapor_core::api::{Classification, ReportCreated};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{Api, ApiError, upload};
use crate::my_reports::{self, SavedReport};
use crate::pages::submit::draft::Draft;
use crate::split::split_point;
use crate::storage;

const KEY: &str = "outbox";
const RETRY_EVERY_MS: i32 = 30_000;

/// A report waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub draft: Draft,
    pub locale: Locale,
    /// Milliseconds since the epoch.
    pub queued_at: f64,
    /// The backend's reason when it refused the report: it then waits for the citizen to
    /// change it instead of being retried.
    #[serde(default)]
    pub refused: Option<String>,
}

impl Queued {
    pub fn key(&self) -> &str {
        &self.draft.idempotency_key
    }
}

/// A report that left the outbox during this visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub key: String,
    pub title: String,
    pub created: ReportCreated,
    pub classification: Classification,
}

fn load() -> Vec<Queued> {
    storage::get(KEY)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Sends a draft: files still waiting are uploaded first, then the report under the draft's
/// one key. `progress` sees the draft after each upload, so it can be saved at once.
///
/// The sending code is a split point of its own (`crate::split`): a visit that sends
/// nothing never downloads it. If it cannot be fetched (offline), that is a network failure
/// like any other, and the report waits in the outbox.
pub async fn send(
    api: &Api,
    draft: &mut Draft,
    locale: Locale,
    progress: impl Fn(&Draft) + 'static,
) -> Result<ReportCreated, ApiError> {
    let Ok(sending) = outbox_send(api.clone(), draft.clone(), locale, Box::new(progress)).await
    else {
        return Err(ApiError::Network);
    };
    let (sent_draft, result) = sending.await;
    *draft = sent_draft;
    result
}

/// Fetches the sending code ahead of the first send (the form does, while it is being filled
/// in), so sending does not wait for it; offline it is fetched when the report leaves.
pub fn prepare_sending() {
    leptos::task::spawn_local(async {
        let _ = fetch_sending_code().await;
    });
}

/// A send on its way: the draft as it ends up (uploads done), and the backend's answer.
type Sending = std::pin::Pin<Box<dyn Future<Output = (Draft, Result<ReportCreated, ApiError>)>>>;

split_point!(
    [preload fetch_sending_code]
    fn outbox_send(
        api: Api,
        draft: Draft,
        locale: Locale,
        progress: Box<dyn Fn(&Draft)>,
    ) -> Sending {
        let mut draft = draft;
        Box::pin(async move {
            let result = upload_and_submit(&api, &mut draft, locale, &*progress).await;
            (draft, result)
        }) as Sending
    }
);

async fn upload_and_submit(
    api: &Api,
    draft: &mut Draft,
    locale: Locale,
    progress: &dyn Fn(&Draft),
) -> Result<ReportCreated, ApiError> {
    while let Some(file) = draft.queued_files.first().cloned() {
        // A blob the browser has evicted cannot be sent; the report still can.
        if let Some(blob) = files::load(&file).await {
            let uploaded = upload(&api.url("/attachments"), &blob, &file.filename, |_| {}).await?;
            draft.attachments.push(uploaded);
        }
        draft.queued_files.remove(0);
        progress(draft);
        files::forget(&file).await;
    }
    let report = draft
        .to_report(locale)
        .ok_or_else(|| ApiError::Problem(lapor_core::api::Problem::new(422, "")))?;
    let attributes = draft.attribute_values(&draft.attribute_codes);
    api.submit(&report, &attributes, &draft.idempotency_key, locale)
        .await
}

/// Whether a failed send should wait in the outbox and be retried, rather than be shown.
pub fn worth_retrying(error: &ApiError) -> bool {
    matches!(error, ApiError::Network) || error.is_server_fault()
}

/// Keeps the tracking number and access code of a report that was just created.
pub fn remember(created: &ReportCreated) {
    if created.tracking_id.is_empty() {
        return;
    }
    my_reports::remember(SavedReport {
        tracking_id: created.tracking_id.clone(),
        access_code: Some(created.access_code.clone()).filter(|c| !c.is_empty()),
        last_status: Some(created.status.code().to_owned()),
        // Made on this device: kept whole, confidential or not (`core::device_copy`).
        kept: true,
    });
}

#[derive(Clone, Copy)]
pub struct Outbox {
    pub entries: RwSignal<Vec<Queued>>,
    pub sent: RwSignal<Vec<Sent>>,
    pub sending: RwSignal<bool>,
    api: StoredValue<Api>,
}

pub fn use_outbox() -> Outbox {
    expect_context()
}

impl Outbox {
    /// Creates the outbox, provides it as context and starts sending what waits.
    pub fn start(api: Api, online: Signal<bool>) -> Outbox {
        let outbox = Outbox {
            entries: RwSignal::new(load()),
            sent: RwSignal::new(Vec::new()),
            sending: RwSignal::new(false),
            api: StoredValue::new(api),
        };
        provide_context(outbox);
        // At start, and whenever the connection comes back.
        Effect::new(move |_| {
            if online.get() {
                outbox.flush();
            }
        });
        let retry = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if online.get_untracked() {
                outbox.flush();
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
                wasm_bindgen::JsCast::unchecked_ref(retry.as_ref()),
                RETRY_EVERY_MS,
            );
        }
        retry.forget();
        outbox
    }

    fn save(self) {
        self.entries.with_untracked(|list| {
            if let Ok(json) = serde_json::to_string(list) {
                storage::set(KEY, &json);
            }
        });
    }

    fn change(self, key: &str, f: impl FnOnce(&mut Queued)) {
        self.entries.update(|list| {
            if let Some(entry) = list.iter_mut().find(|e| e.key() == key) {
                f(entry);
            }
        });
        self.save();
    }

    /// Puts a report in the outbox and asks for a Background Sync where the browser has it.
    pub fn enqueue(self, draft: Draft, locale: Locale) {
        let key = draft.idempotency_key.clone();
        self.entries.update(|list| {
            list.retain(|e| e.key() != key);
            list.push(Queued {
                draft,
                locale,
                queued_at: js_sys::Date::now(),
                refused: None,
            });
        });
        self.save();
        crate::pwa::request_background_sync();
    }

    /// Takes a report out of the outbox (to change it, or to give it up).
    pub fn take(self, key: &str) -> Option<Queued> {
        let mut taken = None;
        self.entries.update(|list| {
            if let Some(i) = list.iter().position(|e| e.key() == key) {
                taken = Some(list.remove(i));
            }
        });
        self.save();
        taken
    }

    /// Tries to send everything waiting, oldest first; stops at the first network failure.
    pub fn flush(self) {
        if self.sending.get_untracked() {
            return;
        }
        // Another tab may have sent or queued reports since this one loaded.
        self.entries.set(load());
        let waiting: Vec<String> = self.entries.with_untracked(|list| {
            list.iter()
                .filter(|e| e.refused.is_none())
                .map(|e| e.key().to_owned())
                .collect()
        });
        if waiting.is_empty() {
            return;
        }
        self.sending.set(true);
        leptos::task::spawn_local(async move {
            let api = self.api.get_value();
            for key in waiting {
                let Some(mut entry) = self
                    .entries
                    .with_untracked(|l| l.iter().find(|e| e.key() == key).cloned())
                else {
                    continue;
                };
                let progress = {
                    let key = key.clone();
                    move |d: &Draft| self.change(&key, |e| e.draft = d.clone())
                };
                match send(&api, &mut entry.draft, entry.locale, progress).await {
                    Ok(created) => {
                        remember(&created);
                        self.take(&key);
                        let classification = entry
                            .draft
                            .classification
                            .unwrap_or(Classification::Complaint);
                        self.sent.update(|s| {
                            s.insert(
                                0,
                                Sent {
                                    key,
                                    title: entry.draft.title.trim().to_owned(),
                                    created,
                                    classification,
                                },
                            )
                        });
                    }
                    Err(error) if worth_retrying(&error) => break,
                    Err(error) => {
                        let reason = match error {
                            ApiError::Problem(p) => p
                                .errors
                                .first()
                                .map(|e| e.message.clone())
                                .or(p.detail)
                                .unwrap_or(p.title),
                            _ => String::new(),
                        };
                        self.change(&key, |e| e.refused = Some(reason));
                    }
                }
            }
            self.sending.set(false);
        });
    }
}
