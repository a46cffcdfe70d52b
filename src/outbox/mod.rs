//! The outbox: a report that could not be sent (offline, the network failed on the way, the
//! backend busy or rate-limiting) is kept on the device with its files and sent by itself
//! later: at app start, on the `online` event (and a few seconds after, if that try still met no
//! network), on the service worker's Background Sync, every half minute while something
//! waits, when the backend's `Retry-After` has passed, and on "send now". Each report keeps
//! the Idempotency-Key of its draft, so however often it is retried the backend creates it
//! once. Only a definitive rejection (the backend refuses the
//! report as it is) stops it, and then the citizen is told what to change; retrying stops by
//! itself after `lapor_core::retention::RETRY_WINDOW_DAYS`, and the citizen may start again.
//! Nothing the citizen typed is ever dropped by the outbox itself, nor a photo: its blob stays
//! on the device until the report is created, and is uploaded again if the backend has
//! forgotten the upload (`after_submit`, `Queued::try_again`).

pub mod files;

use lapor_core::Locale;
use lapor_core::api::{Classification, FieldError, ReportCreated};
use lapor_core::retention::{RETRY_WINDOW_MS, SERVER_RETENTION_SECS};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Backend};
use crate::draft::Draft;
use crate::saved_reports::{self, SavedReport};
use crate::split::split_point;
use crate::storage::{Persisted, keys, persisted};

const RETRY_EVERY_MS: i32 = 30_000;
/// After the connection comes back, a try that still meets a network failure (the `online`
/// event often comes before a phone's data connection carries anything) is tried again after
/// 2, 4 and 8 seconds, before the regular retry takes over.
const QUICK_RETRIES: u32 = 3;
/// The longest wait a backend's `Retry-After` can impose before the next try (an hour): a
/// wrong header must not park a report for days.
const LONGEST_WAIT_MS: f64 = 60.0 * 60.0 * 1000.0;
/// How long the backend keeps an Idempotency-Key, in the browser's milliseconds.
const KEY_KEPT_MS: f64 = SERVER_RETENTION_SECS as f64 * 1000.0;

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
    /// The fields the backend refused, each with its message: what the citizen must change.
    #[serde(default)]
    pub refused_fields: Vec<FieldError>,
    /// When the current Idempotency-Key was first sent (ms since the epoch): the backend keeps
    /// it for `SERVER_RETENTION_DAYS` from about then.
    #[serde(default)]
    pub first_tried_at: Option<f64>,
    /// When the current retry window began (ms): the first try, or the citizen's "try again".
    #[serde(default)]
    pub window_from: Option<f64>,
    /// Not to be tried before this time (ms): the backend asked to wait (`Retry-After`).
    #[serde(default)]
    pub not_before: Option<f64>,
    /// How many tries in a row the backend answered with a fault of its own (a 5xx other than
    /// 503, an HTML error page): the report then waits longer each time, and the citizen is
    /// told that the server, not the connection, is the problem.
    #[serde(default)]
    pub server_faults: u32,
}

/// Where a queued report stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum State {
    /// To be sent at the next chance.
    Ready,
    /// The backend asked to wait until then (ms since the epoch).
    Busy(f64),
    /// The backend refused it as it is: the citizen changes it (or deletes it).
    Refused,
    /// Tried for the whole retry window without success: waits for the citizen's "try again".
    Expired,
    /// The backend keeps failing on its side: tried again at that time (ms), not sooner.
    ServerProblem(f64),
}

/// What a failed send means for a queued report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Try again later: no answer, or the backend busy or rate-limiting (then not before this
    /// many seconds, when it said).
    Later(Option<u32>),
    /// The backend failed on its side (500, 502, 504, …): tried again with growing delays, and
    /// never described as the citizen's connection.
    ServerFault,
    /// The backend refused the report as it is (validation, conflict): only a change helps.
    Refused,
}

/// How a failed send is treated. A 429 or 503 is the backend protecting itself, never a
/// verdict on the report; a 404 is a backend being redeployed or misrouted, which the citizen
/// cannot fix either. Only a client error about the request itself (400, 409, 413, 422, …)
/// stops the report.
pub fn outcome(error: &ApiError) -> Outcome {
    match error {
        ApiError::Network | ApiError::NotFound => Outcome::Later(None),
        ApiError::Busy { retry_after, .. } => Outcome::Later(*retry_after),
        ApiError::Problem(p) if p.status >= 500 => Outcome::ServerFault,
        ApiError::Problem(p) if p.status < 400 => Outcome::Later(None),
        ApiError::Problem(_) => Outcome::Refused,
    }
}

impl Queued {
    pub fn key(&self) -> &str {
        &self.draft.idempotency_key
    }

    pub fn state(&self, now: f64) -> State {
        if self.refused.is_some() {
            State::Refused
        } else if self
            .window_from
            .is_some_and(|from| now - from > RETRY_WINDOW_MS)
        {
            State::Expired
        } else if self.server_faults > 0 {
            State::ServerProblem(self.not_before.unwrap_or(now))
        } else {
            match self.not_before {
                Some(at) if at > now => State::Busy(at),
                _ => State::Ready,
            }
        }
    }

    /// Whether it is to be sent at the next chance.
    pub fn due(&self, now: f64) -> bool {
        match self.state(now) {
            State::Ready => true,
            State::ServerProblem(at) => at <= now,
            _ => false,
        }
    }

    /// The backend failed on its side again: the next try waits twice as long as the last
    /// (the regular retry interval first, at most `LONGEST_WAIT_MS`).
    fn server_fault(&mut self, now: f64) {
        self.server_faults = self.server_faults.saturating_add(1);
        let doubling = 2f64.powi(self.server_faults.min(20) as i32 - 1);
        self.not_before = Some(now + (f64::from(RETRY_EVERY_MS) * doubling).min(LONGEST_WAIT_MS));
    }

    /// Notes a sending attempt: the key's first use and the window's start, if not yet known.
    fn tried(&mut self, now: f64) {
        self.first_tried_at.get_or_insert(now);
        self.window_from.get_or_insert(now);
    }

    /// The backend asked to wait: not before `retry_after` seconds (capped), or the next
    /// regular retry when it did not say.
    fn wait(&mut self, now: f64, retry_after: Option<u32>) {
        self.not_before =
            retry_after.map(|secs| now + (f64::from(secs) * 1000.0).clamp(0.0, LONGEST_WAIT_MS));
    }

    /// The citizen's "try again" after the retry window: a new window begins. The
    /// Idempotency-Key is replaced only when the backend has forgotten it already, i.e. its
    /// first use is older than `SERVER_RETENTION_DAYS` (the server keeps keys that long, and
    /// `core::retention` makes that longer than the retry window). That is safe both ways:
    /// while the backend still knows the key, keeping it means that a report it already
    /// created (whose answer was lost) comes back instead of being created twice; once it has
    /// forgotten the key, the old key protects nothing any more, and a fresh key gets a full
    /// retention of its own on the backend for the new window's retries. The backend has
    /// forgotten the uploads then as well: the photos are uploaded again.
    pub fn try_again(&mut self, now: f64, new_key: impl FnOnce() -> String) {
        if self
            .first_tried_at
            .is_some_and(|first| now - first > KEY_KEPT_MS)
        {
            self.draft.idempotency_key = new_key();
            self.first_tried_at = None;
            // The backend has dropped the uploads no report took by now, too: the photos
            // kept on the device go up again with the new key.
            self.draft.upload_again();
        }
        self.window_from = None;
        self.not_before = None;
        self.server_faults = 0;
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

fn stored() -> Persisted<Vec<Queued>> {
    persisted(keys::OUTBOX)
}

fn load() -> Vec<Queued> {
    stored().load().unwrap_or_default()
}

/// Sends a draft: files still waiting are uploaded first, then the report under the draft's
/// one key. `progress` sees the draft after each upload, so it can be saved at once.
///
/// The sending code is a split point of its own (`crate::split`): a visit that sends
/// nothing never downloads it. If it cannot be fetched (offline), that is a network failure
/// like any other, and the report waits in the outbox.
pub async fn send(
    api: &Backend,
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

/// Fetches the sending code ahead of the first send (the form does when the citizen checks
/// the answers), so sending does not wait for it; offline it is fetched when the report leaves.
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
        api: Backend,
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
    api: &Backend,
    draft: &mut Draft,
    locale: Locale,
    progress: &dyn Fn(&Draft),
) -> Result<ReportCreated, ApiError> {
    let mut may_upload_again = true;
    loop {
        while let Some(file) = draft.queued_files.first().cloned() {
            match files::load(&file).await {
                Some(blob) => {
                    let uploaded = api.upload(&blob, &file.filename, |_| {}).await?;
                    draft.uploaded(file, uploaded);
                }
                // A blob the browser has evicted cannot be sent; the report still can, and
                // the citizen is told which file it lacks.
                None => draft.missing_files.push(file.filename.clone()),
            }
            draft.queued_files.remove(0);
            progress(draft);
        }
        let answer = submit(api, draft, locale).await;
        match after_submit(draft, &answer, may_upload_again) {
            AfterSubmit::Forget(kept) => {
                for file in &kept {
                    files::forget(file).await;
                }
            }
            AfterSubmit::UploadAgain => {
                may_upload_again = false;
                progress(draft);
                continue;
            }
            AfterSubmit::Keep => {}
        }
        return answer;
    }
}

async fn submit(api: &Backend, draft: &Draft, locale: Locale) -> Result<ReportCreated, ApiError> {
    let report = draft
        .to_report(locale)
        .ok_or_else(|| ApiError::Problem(lapor_core::api::Problem::new(422, "")))?;
    let attributes = draft.attribute_values(&draft.attribute_codes);
    api.submit(&report, &attributes, &draft.idempotency_key, locale)
        .await
}

/// What becomes of a draft's photos after the backend answered its report.
#[derive(Debug, PartialEq)]
pub enum AfterSubmit {
    /// The report was created: the blobs kept on the device can go now, and only now.
    Forget(Vec<files::QueuedFile>),
    /// The backend no longer knows the uploads: they are back in the queue, to be uploaded
    /// and the report sent again at once.
    UploadAgain,
    /// Anything else: every blob stays, the report may need its photos again.
    Keep,
}

/// Decides [`AfterSubmit`]; `may_upload_again` is false when the photos were just uploaded
/// again, so that a backend refusing them anyway does not make an endless loop.
pub fn after_submit(
    draft: &mut Draft,
    answer: &Result<ReportCreated, ApiError>,
    may_upload_again: bool,
) -> AfterSubmit {
    match answer {
        Ok(_) => AfterSubmit::Forget(draft.kept_files()),
        Err(error) if may_upload_again && uploads_unknown(error) && draft.upload_again() > 0 => {
            AfterSubmit::UploadAgain
        }
        Err(_) => AfterSubmit::Keep,
    }
}

/// Whether the backend refused a report because it does not know (any more) one of the
/// uploads it names: 422 on `attachment_ids` with the rule `unknown`.
pub fn uploads_unknown(error: &ApiError) -> bool {
    let unknown = lapor_core::validation::Rule::Unknown.code();
    let field = lapor_core::api::Field::AttachmentIds.path();
    matches!(error, ApiError::Problem(p)
        if p.status == 422 && p.errors.iter().any(|e| e.field == field && e.code == unknown))
}

/// Whether a failed send should wait in the outbox and be retried, rather than be shown.
pub fn worth_retrying(error: &ApiError) -> bool {
    matches!(outcome(error), Outcome::Later(_) | Outcome::ServerFault)
}

/// Keeps the tracking number and access code of a report that was just created.
pub fn remember(created: &ReportCreated) {
    if created.tracking_id.is_empty() {
        return;
    }
    saved_reports::remember(SavedReport {
        tracking_id: created.tracking_id.to_string(),
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
    api: StoredValue<Backend>,
    /// A flush is under way (from the check of what is kept, while its code may still be on
    /// its way, to the last report tried); `sending` only while a report is being sent.
    flushing: StoredValue<bool>,
    /// A flush was asked for while one was under way: it runs again once that one ends, so
    /// no trigger (the connection coming back, a Background Sync) is lost to a try that was
    /// already failing.
    asked_again: StoredValue<bool>,
    /// Quick retries left since the connection last came back (`QUICK_RETRIES`).
    quick_retries: StoredValue<u32>,
}

pub fn use_outbox() -> Outbox {
    expect_context()
}

impl Outbox {
    /// Creates the outbox, provides it as context and starts sending what waits.
    pub fn start(api: Backend, online: Signal<bool>) -> Outbox {
        // The entries are read from the device by the sending code, when something is kept
        // (`flush`), and by the views that list them (`refresh`): a device with nothing
        // waiting never runs, nor downloads, the code that reads a queued report.
        let outbox = Outbox {
            entries: RwSignal::new(Vec::new()),
            sent: RwSignal::new(Vec::new()),
            sending: RwSignal::new(false),
            api: StoredValue::new(api),
            flushing: StoredValue::new(false),
            asked_again: StoredValue::new(false),
            quick_retries: StoredValue::new(0),
        };
        provide_context(outbox);
        // At start, and whenever the connection comes back.
        Effect::new(move |_| {
            if online.get() {
                outbox.quick_retries.set_value(QUICK_RETRIES);
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

    /// Whether the device kept the list.
    fn save(self) -> bool {
        self.entries.with_untracked(|list| stored().save(list))
    }

    /// Reads the entries from the device again: what this tab shows, with what another tab
    /// queued or sent since. Every change starts from it, so none overwrites a queued report.
    pub fn refresh(self) {
        self.entries.set(load());
    }

    fn change(self, key: &str, f: impl FnOnce(&mut Queued)) {
        self.refresh();
        self.entries.update(|list| {
            if let Some(entry) = list.iter_mut().find(|e| e.key() == key) {
                f(entry);
            }
        });
        self.save();
    }

    /// Puts a report in the outbox and asks for a Background Sync where the browser has it.
    /// `failed`: why sending it right away did not work, if it was tried (that try opens the
    /// retry window, and a `Retry-After` is honoured). `false` when the device would not keep
    /// it (storage full or blocked): the report is then not in the outbox, and the caller
    /// must keep it.
    pub fn enqueue(self, draft: Draft, locale: Locale, failed: Option<&ApiError>) -> bool {
        let key = draft.idempotency_key.clone();
        let now = js_sys::Date::now();
        let mut entry = Queued {
            draft,
            locale,
            queued_at: now,
            refused: None,
            refused_fields: Vec::new(),
            first_tried_at: None,
            window_from: None,
            not_before: None,
            server_faults: 0,
        };
        if let Some(error) = failed {
            entry.tried(now);
            match outcome(error) {
                Outcome::Later(retry_after) => {
                    entry.wait(now, retry_after);
                    self.flush_after(retry_after);
                }
                Outcome::ServerFault => entry.server_fault(now),
                Outcome::Refused => {}
            }
        }
        self.refresh();
        self.entries.update(|list| {
            list.retain(|e| e.key() != key);
            list.push(entry);
        });
        if !self.save() {
            self.refresh();
            return false;
        }
        crate::pwa::request_background_sync();
        true
    }

    /// Sends again when the backend's `Retry-After` has passed (sooner than the regular retry).
    fn flush_after(self, retry_after: Option<u32>) {
        if let Some(secs) = retry_after {
            let ms = (f64::from(secs) * 1000.0).clamp(0.0, LONGEST_WAIT_MS) as u64;
            set_timeout(
                move || self.flush(),
                std::time::Duration::from_millis(ms + 50),
            );
        }
    }

    /// The citizen's "try again" for a report whose retry window has passed.
    pub fn try_again(self, key: &str) {
        let now = js_sys::Date::now();
        self.change(key, |e| {
            e.try_again(now, crate::api::new_idempotency_key);
        });
        self.flush();
    }

    /// Takes a report out of the outbox (to change it, or to give it up).
    pub fn take(self, key: &str) -> Option<Queued> {
        self.refresh();
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
        if self.flushing.get_value() {
            self.asked_again.set_value(true);
            return;
        }
        self.asked_again.set_value(false);
        // Nothing waits on this device (the usual case): nothing to read, no code to fetch.
        if !stored().holds_any() {
            if !self.entries.with_untracked(Vec::is_empty) {
                self.entries.set(Vec::new());
            }
            return;
        }
        self.flushing.set_value(true);
        leptos::task::spawn_local(async move {
            match send_waiting(self).await {
                Ok(sending) => sending.await,
                // The sending code cannot be fetched (offline before it was ever kept): a
                // network failure like any other, and the reports wait.
                Err(_) => self.retry_soon(),
            }
            self.flushing.set_value(false);
            if self.asked_again.get_value() {
                self.flush();
            }
        });
    }

    /// After a network failure soon after the connection came back: the next quick retry,
    /// if any is left (`QUICK_RETRIES`), 2, 4, then 8 seconds later.
    fn retry_soon(self) {
        let left = self.quick_retries.get_value();
        if left == 0 {
            return;
        }
        self.quick_retries.set_value(left - 1);
        let secs = 1u64 << (QUICK_RETRIES - left + 1);
        set_timeout(move || self.flush(), std::time::Duration::from_secs(secs));
    }
}

/// The outbox's sending of what waits: reads the entries (another tab may have sent or
/// queued reports since), then sends those due, oldest first, and stops at the first network
/// failure. In the sending code's file, with `outbox_send`.
type Flushing = std::pin::Pin<Box<dyn Future<Output = ()>>>;

split_point!(
    [module outbox_send]
    fn send_waiting(outbox: Outbox) -> Flushing {
        Box::pin(outbox.send_due()) as Flushing
    }
);

impl Outbox {
    async fn send_due(self) {
        self.refresh();
        let now = js_sys::Date::now();
        let waiting: Vec<String> = self.entries.with_untracked(|list| {
            list.iter()
                .filter(|e| e.due(now))
                .map(|e| e.key().to_owned())
                .collect()
        });
        if waiting.is_empty() {
            return;
        }
        self.sending.set(true);
        let api = self.api.get_value();
        for key in waiting {
            let Some(mut entry) = self
                .entries
                .with_untracked(|l| l.iter().find(|e| e.key() == key).cloned())
            else {
                continue;
            };
            self.change(&key, |e| e.tried(js_sys::Date::now()));
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
                Err(error) => match outcome(&error) {
                    // The next ones would meet the same network or the same busy backend.
                    Outcome::Later(retry_after) => {
                        self.change(&key, |e| e.wait(js_sys::Date::now(), retry_after));
                        if matches!(error, ApiError::Network) {
                            self.retry_soon();
                        } else {
                            self.flush_after(retry_after);
                        }
                        break;
                    }
                    // The backend fails on this report; the others are tried all the same.
                    Outcome::ServerFault => {
                        self.change(&key, |e| e.server_fault(js_sys::Date::now()));
                    }
                    Outcome::Refused => {
                        let (reason, fields) = match error {
                            ApiError::Problem(p) => (p.detail.unwrap_or(p.title), p.errors),
                            _ => (String::new(), Vec::new()),
                        };
                        self.change(&key, |e| {
                            e.refused = Some(reason);
                            e.refused_fields = fields;
                        });
                    }
                },
            }
        }
        self.sending.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapor_core::api::Problem;

    const DAY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

    fn queued() -> Queued {
        Queued {
            draft: Draft::default(),
            locale: Locale::Id,
            queued_at: 0.0,
            refused: None,
            refused_fields: Vec::new(),
            first_tried_at: None,
            window_from: None,
            not_before: None,
            server_faults: 0,
        }
    }

    fn busy(status: u16, retry_after: Option<u32>) -> ApiError {
        ApiError::Busy {
            problem: Problem::new(status, ""),
            retry_after,
        }
    }

    #[test]
    fn a_busy_or_rate_limiting_backend_means_later_never_refused() {
        assert_eq!(outcome(&busy(429, Some(1))), Outcome::Later(Some(1)));
        assert_eq!(outcome(&busy(503, None)), Outcome::Later(None));
        assert_eq!(outcome(&busy(408, None)), Outcome::Later(None));
        assert_eq!(outcome(&ApiError::Network), Outcome::Later(None));
        assert_eq!(outcome(&ApiError::NotFound), Outcome::Later(None));
    }

    #[test]
    fn a_server_fault_is_neither_the_connection_nor_a_refusal() {
        for status in [500, 502, 504] {
            let fault = ApiError::Problem(Problem::new(status, "Internal Server Error"));
            assert_eq!(outcome(&fault), Outcome::ServerFault, "{status}");
            assert!(worth_retrying(&fault), "{status}");
        }
    }

    #[test]
    fn a_repeated_server_fault_is_a_server_problem_tried_less_and_less_often() {
        let mut entry = queued();
        entry.tried(0.0);
        entry.server_fault(0.0);
        let first = f64::from(RETRY_EVERY_MS);
        assert_eq!(entry.state(0.0), State::ServerProblem(first));
        assert!(!entry.due(first - 1.0) && entry.due(first));
        entry.server_fault(first);
        assert_eq!(entry.state(first), State::ServerProblem(3.0 * first));
        entry.server_fault(3.0 * first);
        assert_eq!(entry.not_before, Some(3.0 * first + 4.0 * first));
        for _ in 0..40 {
            entry.server_fault(0.0);
        }
        assert_eq!(entry.not_before, Some(LONGEST_WAIT_MS), "capped");
        // Never "waiting for a connection" while the server is at fault.
        assert!(matches!(entry.state(0.0), State::ServerProblem(_)));
        // The citizen's "try again" starts afresh.
        entry.try_again(1.0, || "new".into());
        assert_eq!(entry.state(1.0), State::Ready);
    }

    #[test]
    fn only_a_rejection_of_the_report_itself_stops_it() {
        for status in [400, 409, 413, 422] {
            let error = ApiError::Problem(Problem::new(status, ""));
            assert_eq!(outcome(&error), Outcome::Refused, "{status}");
            assert!(!worth_retrying(&error));
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let mut entry = queued();
        entry.wait(1000.0, Some(2));
        assert_eq!(entry.state(2000.0), State::Busy(3000.0));
        assert_eq!(entry.state(3000.0), State::Ready);
        entry.wait(0.0, Some(u32::MAX));
        assert_eq!(entry.not_before, Some(LONGEST_WAIT_MS));
        entry.wait(0.0, None);
        assert_eq!(entry.state(0.0), State::Ready);
    }

    #[test]
    fn retrying_stops_after_the_window_and_restarts_on_request() {
        let mut entry = queued();
        entry.draft.idempotency_key = "old".into();
        entry.tried(0.0);
        entry.tried(5.0 * DAY_MS); // later tries do not move the window
        let days = f64::from(lapor_core::retention::RETRY_WINDOW_DAYS);
        assert_eq!(entry.state(days * DAY_MS), State::Ready);
        assert_eq!(entry.state(days * DAY_MS + 1.0), State::Expired);

        // Within the server's retention the key stays: a lost answer still comes back.
        let now = days * DAY_MS + 1.0;
        entry.try_again(now, || "new".into());
        assert_eq!(entry.key(), "old");
        assert_eq!(entry.state(now), State::Ready);
        entry.tried(now);
        assert_eq!(entry.window_from, Some(now));
        assert_eq!(entry.first_tried_at, Some(0.0));
    }

    #[test]
    fn a_key_the_server_has_forgotten_is_replaced() {
        let mut entry = queued();
        entry.draft.idempotency_key = "old".into();
        entry.tried(0.0);
        let later = f64::from(lapor_core::retention::SERVER_RETENTION_DAYS) * DAY_MS + 1.0;
        entry.try_again(later, || "new".into());
        assert_eq!(entry.key(), "new");
        assert_eq!(entry.first_tried_at, None);
        assert_eq!(entry.state(later), State::Ready);
    }

    fn kept(key: &str) -> files::QueuedFile {
        files::QueuedFile {
            key: key.into(),
            filename: format!("{key}.jpg"),
            size: 1,
        }
    }

    fn upload(id: &str) -> crate::api::Uploaded {
        crate::api::Uploaded {
            id: id.into(),
            filename: format!("{id}.jpg"),
            content_type: "image/jpeg".into(),
            size: 1,
            key: None,
        }
    }

    /// A queued report whose photos `a` and `b` went up on its first try.
    fn with_uploaded_photos() -> Queued {
        let mut entry = queued();
        entry.draft.idempotency_key = "old".into();
        entry.draft.uploaded(kept("a"), upload("up-a"));
        entry.draft.uploaded(kept("b"), upload("up-b"));
        entry
    }

    fn unknown_uploads() -> ApiError {
        let mut problem = Problem::new(422, "");
        problem.errors.push(FieldError {
            field: "attachment_ids".into(),
            code: "unknown".into(),
            message: "?".into(),
        });
        ApiError::Problem(problem)
    }

    fn created() -> ReportCreated {
        serde_json::from_value(serde_json::json!({
            "tracking_id": "LPR-2026-000001",
            "access_code": "ABCD2345",
            "status": "received",
            "submitted_at": "2026-01-01T00:00:00Z",
            "due_date": "2026-01-15",
            "due_date_estimate": false,
        }))
        .expect("a report created")
    }

    #[test]
    fn past_the_servers_retention_the_photos_go_up_again_with_the_new_key() {
        let mut entry = with_uploaded_photos();
        entry.draft.queued_files.push(kept("c"));
        entry.tried(0.0);
        let later = f64::from(lapor_core::retention::SERVER_RETENTION_DAYS) * DAY_MS + 1.0;
        entry.try_again(later, || "new".into());
        assert_eq!(entry.key(), "new");
        assert!(
            entry.draft.attachments.is_empty(),
            "no forgotten upload is named"
        );
        assert_eq!(
            entry.draft.queued_files,
            vec![kept("a"), kept("b"), kept("c")]
        );
        assert!(entry.due(later), "sent again at once");
    }

    #[test]
    fn within_the_servers_retention_the_uploads_stay() {
        let mut entry = with_uploaded_photos();
        entry.tried(0.0);
        let days = f64::from(lapor_core::retention::RETRY_WINDOW_DAYS);
        entry.try_again(days * DAY_MS + 1.0, || "new".into());
        assert_eq!(entry.key(), "old");
        assert_eq!(
            entry.draft.attachments,
            vec![upload("up-a"), upload("up-b")]
        );
        assert!(entry.draft.queued_files.is_empty());
    }

    #[test]
    fn unknown_uploads_are_uploaded_again_and_the_report_sent_again_once() {
        let mut draft = with_uploaded_photos().draft;
        // Uploaded straight from the form: no blob on the device, it stays named.
        draft.attachments.push(upload("from-form"));
        assert!(uploads_unknown(&unknown_uploads()));
        assert_eq!(
            after_submit(&mut draft, &Err(unknown_uploads()), true),
            AfterSubmit::UploadAgain
        );
        assert_eq!(draft.queued_files, vec![kept("a"), kept("b")]);
        assert_eq!(draft.attachments, vec![upload("from-form")]);
        assert_eq!(draft.idempotency_key, "old");
        // Refused again right after uploading again: no loop, and nothing is dropped.
        draft.uploaded(kept("a"), upload("up-a2"));
        draft.queued_files.remove(0);
        let before = draft.clone();
        assert_eq!(
            after_submit(&mut draft, &Err(unknown_uploads()), false),
            AfterSubmit::Keep
        );
        assert_eq!(draft, before);
    }

    #[test]
    fn other_refusals_of_the_photos_are_not_unknown_uploads() {
        let mut too_many = Problem::new(422, "");
        too_many.errors.push(FieldError {
            field: "attachment_ids".into(),
            code: "too_many_files".into(),
            message: "?".into(),
        });
        assert!(!uploads_unknown(&ApiError::Problem(too_many)));
        let mut unknown_region = Problem::new(422, "");
        unknown_region.errors.push(FieldError {
            field: "location.region_id".into(),
            code: "unknown".into(),
            message: "?".into(),
        });
        assert!(!uploads_unknown(&ApiError::Problem(unknown_region)));
    }

    #[test]
    fn the_photos_blobs_are_forgotten_only_once_the_report_is_created() {
        let mut draft = with_uploaded_photos().draft;
        draft.queued_files.push(kept("c"));
        for failure in [
            ApiError::Network,
            busy(503, None),
            ApiError::Problem(Problem::new(500, "")),
            ApiError::Problem(Problem::new(422, "")),
        ] {
            let before = draft.clone();
            assert_eq!(
                after_submit(&mut draft, &Err(failure), true),
                AfterSubmit::Keep
            );
            assert_eq!(draft, before);
        }
        assert_eq!(
            after_submit(&mut draft, &Ok(created()), true),
            AfterSubmit::Forget(vec![kept("a"), kept("b"), kept("c")])
        );
    }

    #[test]
    fn an_outbox_entry_stored_before_kept_uploads_still_loads() {
        let mut stored = serde_json::to_value(with_uploaded_photos()).unwrap();
        let draft = stored["draft"].as_object_mut().unwrap();
        draft.remove("kept_uploads");
        draft.remove("missing_files");
        let entry: Queued = serde_json::from_value(stored).unwrap();
        assert!(entry.draft.kept_uploads.is_empty());
        assert_eq!(entry.draft.attachments.len(), 2);
    }

    #[test]
    fn a_refused_report_waits_for_the_citizen() {
        let mut entry = queued();
        entry.refused = Some(String::new());
        assert_eq!(entry.state(0.0), State::Refused);
    }
}
