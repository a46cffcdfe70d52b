//! Translations. Every user-facing string is a field of [`Texts`]; [`id::TEXTS`] and
//! [`en::TEXTS`] must each give all of them, so a missing translation does not compile.
//! A plain struct of `&'static str` costs nothing beyond the strings themselves in the wasm.
//!
//! Indonesian, the first language, is in the wasm. English is not: release and debug builds
//! alike fetch `texts-en.json` beside `index.html` (the same strings in field order, kept equal
//! to `en.rs` by a host test) when a visitor needs it, so Indonesian visits do not carry it
//! (3.6 KB brotli of the main module, measured 2026-12-03). The language in use
//! ([`I18n::locale`]) becomes English only once its texts are here; before the first render,
//! `main` fetches them when the visit starts in English ([`prepare`]).

#[cfg(not(target_arch = "wasm32"))]
mod en;
mod id;
pub mod labels;

use std::cell::OnceCell;

use lapor_core::Locale;
use leptos::prelude::*;

use crate::storage::{self, keys};

/// Every field is a `&'static str` or an array of them, in this order in memory (`repr(C)`): a
/// fetched catalogue is a list of [`TEXT_COUNT`] strings laid out as this struct.
#[cfg_attr(test, derive(serde::Serialize))]
#[repr(C)]
pub struct Texts {
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_report: &'static str,
    pub nav_track: &'static str,
    pub nav_faq: &'static str,
    pub language: &'static str,
    pub footer_note: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub error_network: &'static str,
    pub error_server: &'static str,

    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_report_cta: &'static str,
    pub home_report_hint: &'static str,
    pub home_track_heading: &'static str,
    pub home_faq_heading: &'static str,
    pub home_faq_hint: &'static str,
    pub home_how_heading: &'static str,
    pub home_channels_heading: &'static str,

    pub status_received: &'static str,
    pub status_verified: &'static str,
    pub status_forwarded: &'static str,
    pub status_in_progress: &'static str,
    pub status_resolved: &'static str,
    pub status_closed: &'static str,
    pub status_rejected: &'static str,

    pub class_complaint: &'static str,
    pub class_aspiration: &'static str,
    pub class_information_request: &'static str,

    pub submit_title: &'static str,
    pub sub_lead: &'static str,
    pub sub_kind_legend: &'static str,
    pub sub_kind_complaint_hint: &'static str,
    pub sub_kind_aspiration_hint: &'static str,
    pub sub_kind_info_hint: &'static str,
    pub sub_title_label: &'static str,
    pub sub_title_hint: &'static str,
    pub sub_body_label: &'static str,
    pub sub_body_hint: &'static str,
    pub sub_chars: &'static str,
    pub sub_date_label: &'static str,
    pub sub_date_hint: &'static str,
    pub sub_location_incident: &'static str,
    pub sub_location_home: &'static str,
    pub sub_location_hint: &'static str,
    /// The region search's label: where a complaint happened.
    pub sub_region_label_incident: &'static str,
    /// The region search's label: where the author of an aspiration lives.
    pub sub_region_label_home: &'static str,
    pub sub_location_clear: &'static str,
    pub sub_region_none: &'static str,
    pub sub_region_count: &'static str,
    pub sub_location_detail: &'static str,
    pub sub_location_detail_hint: &'static str,
    pub sub_geo_button: &'static str,
    pub sub_geo_denied: &'static str,
    pub sub_geo_unavailable: &'static str,
    pub sub_geo_set: &'static str,
    pub sub_geo_remove: &'static str,
    pub sub_agency_legend: &'static str,
    pub sub_agency_unknown: &'static str,
    pub sub_agency_known: &'static str,
    pub sub_agency_search: &'static str,
    pub sub_agency_none: &'static str,
    pub tier_national: &'static str,
    pub tier_province: &'static str,
    pub tier_regency: &'static str,
    pub tier_opd: &'static str,
    pub tier_district: &'static str,
    pub sub_category_label: &'static str,
    pub sub_category_none: &'static str,
    pub sub_files_label: &'static str,
    pub sub_files_hint: &'static str,
    pub sub_file_processing: &'static str,
    pub sub_file_uploading: &'static str,
    pub sub_file_done: &'static str,
    pub sub_file_failed: &'static str,
    pub sub_file_remove: &'static str,
    pub sub_file_retry: &'static str,
    pub sub_file_wrong_type: &'static str,
    pub sub_file_too_big: &'static str,
    pub sub_file_too_many: &'static str,
    pub sub_privacy_legend: &'static str,
    pub sub_anonymous_label: &'static str,
    pub sub_anonymous_hint: &'static str,
    pub sub_confidential_label: &'static str,
    pub sub_confidential_hint: &'static str,
    pub sub_contact_legend: &'static str,
    pub sub_contact_hint: &'static str,
    pub sub_contact_anonymous: &'static str,
    pub sub_name_label: &'static str,
    pub sub_email_label: &'static str,
    pub sub_phone_label: &'static str,
    pub sub_continue: &'static str,
    pub sub_answers_kept: &'static str,
    pub sub_discard: &'static str,
    pub err_summary_title: &'static str,
    pub err_choose_kind: &'static str,
    pub review_title: &'static str,
    pub review_change: &'static str,
    pub review_submit: &'static str,
    pub review_sending: &'static str,
    pub review_none: &'static str,
    pub review_yes: &'static str,
    pub review_no: &'static str,
    pub review_agency_unknown: &'static str,
    pub err_submit_network: &'static str,
    pub err_not_kept: &'static str,
    pub err_submit_server: &'static str,
    pub err_submit_rejected: &'static str,
    pub done_title: &'static str,
    pub done_tracking_label: &'static str,
    pub done_copy: &'static str,
    pub done_copied: &'static str,
    pub done_access_label: &'static str,
    pub done_access_warning: &'static str,
    pub done_due: &'static str,
    pub done_due_estimate: &'static str,
    pub done_track_link: &'static str,
    pub done_share: &'static str,
    pub done_share_text: &'static str,
    pub done_saved_device: &'static str,
    pub done_new: &'static str,

    pub track_title: &'static str,
    pub track_label: &'static str,
    pub track_hint: &'static str,
    pub track_button: &'static str,
    pub track_err_empty: &'static str,
    pub track_err_length: &'static str,
    pub track_err_char: &'static str,
    pub track_err_check: &'static str,
    pub track_not_found: &'static str,
    pub track_status: &'static str,
    pub track_classification: &'static str,
    pub track_submitted: &'static str,
    pub track_due: &'static str,
    pub track_due_estimate: &'static str,
    pub track_days_left: &'static str,
    pub track_overdue: &'static str,
    pub track_timeline: &'static str,
    pub track_confidential_hidden: &'static str,
    pub track_agency: &'static str,
    pub track_category: &'static str,
    pub track_not_routed: &'static str,
    pub track_progress: &'static str,
    pub track_step_done: &'static str,
    pub track_step_current: &'static str,
    pub track_off_path: &'static str,
    pub track_newest_first: &'static str,
    pub track_oldest_first: &'static str,
    pub track_kind_status: &'static str,
    pub track_kind_response: &'static str,
    pub track_kind_reply: &'static str,
    pub track_kind_rating: &'static str,
    pub track_attachment: &'static str,
    pub track_access_label: &'static str,
    pub track_access_hint: &'static str,
    pub track_access_button: &'static str,
    pub track_access_wrong: &'static str,
    pub track_access_needed: &'static str,
    pub track_reply_heading: &'static str,
    pub track_reply_label: &'static str,
    pub track_reply_button: &'static str,
    pub track_reply_sent: &'static str,
    pub track_kind_dispute: &'static str,
    pub track_dispute_heading: &'static str,
    pub track_dispute_intro: &'static str,
    pub track_dispute_label: &'static str,
    pub track_dispute_button: &'static str,
    pub track_photos_label: &'static str,
    pub track_photo_uploading: &'static str,
    pub track_photo_failed: &'static str,
    pub track_photo_remove: &'static str,
    pub track_photo_too_many: &'static str,
    pub track_rating_heading: &'static str,
    pub track_rating_legend: &'static str,
    pub track_rating_star: &'static str,
    pub track_rating_comment: &'static str,
    pub track_rating_button: &'static str,
    pub track_rated: &'static str,
    pub track_action_failed: &'static str,
    pub track_refresh: &'static str,
    pub track_offline_copy: &'static str,
    pub mine_title: &'static str,
    pub mine_lead: &'static str,
    pub mine_empty: &'static str,
    pub mine_refresh: &'static str,
    pub mine_remove: &'static str,
    pub mine_unknown_status: &'static str,
    /// The mark on a saved report whose status changed since the citizen last looked.
    pub mine_updated: &'static str,
    /// The home page's count of such reports: `{n}`.
    pub home_updated: &'static str,
    /// The notification's title and body: `{tracking}`, `{status}`; a confidential report's
    /// says only that there is an update.
    pub notify_title: &'static str,
    pub notify_body: &'static str,
    pub notify_confidential: &'static str,
    /// The confirmation page's offer, and what follows the citizen's answer.
    pub notify_ask: &'static str,
    pub notify_on: &'static str,
    pub notify_refused: &'static str,
    pub nav_mine: &'static str,

    pub faq_title: &'static str,
    pub desc_home: &'static str,
    pub desc_submit: &'static str,
    pub desc_track: &'static str,
    pub desc_faq: &'static str,
    pub footer_accessibility: &'static str,
    pub a11y_title: &'static str,
    pub a11y_intro: &'static str,
    pub a11y_tested_heading: &'static str,
    pub a11y_tested_default: &'static str,
    pub a11y_limits_heading: &'static str,
    pub a11y_limits_default: &'static str,
    pub a11y_help_heading: &'static str,
    pub a11y_help_default: &'static str,
    pub desc_a11y: &'static str,
    pub done_feedback: &'static str,
    pub desc_mine: &'static str,
    pub desc_not_found: &'static str,
    pub home_sla_verify: &'static str,
    pub home_sla_follow_up: &'static str,
    pub home_sla_targets: &'static str,
    pub home_sla_working_days: &'static str,
    pub faq_no_results_report: &'static str,
    pub faq_no_results_channels: &'static str,
    pub faq_search_label: &'static str,
    pub faq_no_results: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub config_error_title: &'static str,
    pub config_error_body: &'static str,

    pub offline_notice: &'static str,
    pub offline_needs_network: &'static str,
    /// The reporter's actions on a report (their code is split off) could not be fetched.
    pub track_actions_need_network: &'static str,
    pub update_ready: &'static str,
    pub update_reload: &'static str,
    pub outbox_title: &'static str,
    pub outbox_lead: &'static str,
    pub outbox_waiting: &'static str,
    pub outbox_sending: &'static str,
    pub outbox_refused: &'static str,
    pub outbox_send_now: &'static str,
    pub outbox_edit: &'static str,
    pub outbox_remove: &'static str,
    pub outbox_untitled: &'static str,
    pub outbox_draft_busy: &'static str,
    pub outbox_files: &'static str,
    pub outbox_files_missing: &'static str,
    pub error_busy: &'static str,
    pub device_heading: &'static str,
    pub device_keep: &'static str,
    pub device_keep_risk: &'static str,
    pub device_kept: &'static str,
    pub device_remove: &'static str,
    pub device_removed: &'static str,
    pub outbox_busy: &'static str,
    /// The backend keeps failing on its side ({n} tries); never the citizen's connection.
    pub outbox_server_problem: &'static str,
    /// Lead of the other channels shown beside a server problem.
    pub outbox_other_channels: &'static str,
    /// The queued page's lead when the server failed on its side.
    pub queued_server_lead: &'static str,
    pub outbox_refused_fields: &'static str,
    pub outbox_incomplete: &'static str,
    pub outbox_expired: &'static str,
    pub outbox_try_again: &'static str,
    pub queued_title: &'static str,
    pub queued_lead: &'static str,
    pub sent_notice: &'static str,
    pub dismiss: &'static str,
    pub sub_file_queued: &'static str,

    pub sub_service_label: &'static str,
    pub sub_service_hint: &'static str,
    pub sub_attributes_legend: &'static str,
    pub sub_attribute_choose: &'static str,
    pub sub_attribute_required: &'static str,
    pub conf_no_number: &'static str,

    /// The public reports list (`/laporan`), in the menu and its heading.
    pub nav_reports: &'static str,
    pub desc_reports: &'static str,
    pub reports_lead: &'static str,
    pub home_reports_hint: &'static str,
    pub reports_filters: &'static str,
    pub reports_search_label: &'static str,
    pub reports_search_hint: &'static str,
    pub reports_status_label: &'static str,
    /// The filters' "no choice" option.
    pub reports_any: &'static str,
    pub reports_status_open: &'static str,
    pub reports_status_closed: &'static str,
    pub reports_region_label: &'static str,
    pub reports_region_all: &'static str,
    pub reports_agency_all: &'static str,
    pub reports_apply: &'static str,
    pub reports_clear: &'static str,
    pub reports_empty: &'static str,
    pub reports_empty_hint: &'static str,
    /// `{n}`: the page number.
    pub reports_page: &'static str,
    pub reports_pages: &'static str,
    pub reports_prev: &'static str,
    pub reports_next: &'static str,
    /// `{n}`: how many support a report.
    pub reports_supporters: &'static str,
    pub support_button: &'static str,
    pub support_undo: &'static str,
    pub support_done: &'static str,
    pub support_queued: &'static str,
    pub support_failed: &'static str,
    pub support_needs_network: &'static str,
    pub similar_heading: &'static str,
    pub similar_lead: &'static str,
    pub similar_continue: &'static str,

    pub months: [&'static str; 12],
    pub weekdays: [&'static str; 7],
}

/// How many strings a [`Texts`] holds.
pub const TEXT_COUNT: usize = size_of::<Texts>() / size_of::<&str>();
const _: () = assert!(TEXT_COUNT * size_of::<&str>() == size_of::<Texts>());
const _: () = assert!(align_of::<Texts>() == align_of::<&str>());

/// The fetched catalogue's file, relative to `index.html`.
const ENGLISH_FILE: &str = "texts-en.json";

/// FNV-1a (64 bits) of a catalogue file: its version.
const fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The version of the English texts this build was made with. Texts are matched to fields by
/// position, so a page uses only these: a page of the previous version, still open or served
/// by the worker after a deploy, would otherwise read the new file's strings into the wrong
/// fields. The version is in the URL, so every cache keeps each version under its own name.
const ENGLISH_VERSION: u64 = content_hash(include_bytes!("../../public/texts-en.json"));

/// How long a start in English waits for its texts before it starts in Indonesian.
const ENGLISH_WAIT_MS: u32 = 8_000;

/// The URL of the English texts of this version.
pub fn english_url() -> String {
    format!("{ENGLISH_FILE}?v={ENGLISH_VERSION:016x}")
}

thread_local! {
    static ENGLISH: OnceCell<&'static Texts> = const { OnceCell::new() };
}

/// The texts of `locale`: Indonesian until another language's texts are here ([`ready`]).
pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Id => &id::TEXTS,
        Locale::En => english().unwrap_or(&id::TEXTS),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn english() -> Option<&'static Texts> {
    Some(&en::TEXTS)
}

#[cfg(target_arch = "wasm32")]
fn english() -> Option<&'static Texts> {
    ENGLISH.with(|e| e.get().copied())
}

/// Whether `locale`'s texts are here.
pub fn ready(locale: Locale) -> bool {
    locale == Locale::Id || english().is_some()
}

/// A catalogue from its strings in field order; `None` unless there are exactly [`TEXT_COUNT`].
fn from_strings(strings: Vec<String>) -> Option<&'static Texts> {
    if strings.len() != TEXT_COUNT {
        return None;
    }
    let strings: Vec<&'static str> = strings.into_iter().map(|s| &*s.leak()).collect();
    let strings: &'static [&'static str] = strings.leak();
    // SAFETY: `Texts` is `repr(C)` with only `&'static str` fields and arrays of them, so it
    // has the layout of `[&'static str; TEXT_COUNT]` (size and alignment asserted above), and
    // the slice holds exactly that many, leaked for the program's life.
    Some(unsafe { &*strings.as_ptr().cast::<Texts>() })
}

/// Fetches `locale`'s texts if they are not here yet; whether they are now.
pub async fn prepare(locale: Locale) -> bool {
    if ready(locale) {
        return true;
    }
    let Ok(response) = gloo_net::http::Request::get(&english_url())
        .abort_signal(Some(&web_sys::AbortSignal::timeout_with_u32(
            ENGLISH_WAIT_MS,
        )))
        .send()
        .await
    else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    let Ok(text) = response.text().await else {
        return false;
    };
    if content_hash(text.as_bytes()) != ENGLISH_VERSION {
        web_sys::console::warn_1(&"Lapor Portal: texts-en.json is of another version".into());
        return false;
    }
    let Some(texts) = crate::json::parse::<Vec<String>>(&text)
        .ok()
        .and_then(from_strings)
    else {
        return false;
    };
    ENGLISH.with(|e| {
        let _ = e.set(texts);
    });
    true
}

/// The language a visit starts in: the embedding site's, else the remembered choice, else the
/// deployer's default, else Indonesian (until the instance names its first language, `app.rs`).
pub fn start_locale(embedded: Option<Locale>, default: Option<Locale>) -> Locale {
    embedded
        .or_else(|| {
            storage::text(keys::LOCALE)
                .as_deref()
                .and_then(Locale::parse)
        })
        .or(default)
        .unwrap_or_default()
}

/// The visitor's language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language in use: only ever one whose texts are here.
    pub locale: RwSignal<Locale>,
    /// The last language asked for, which a late catalogue must not override.
    wanted: StoredValue<Locale>,
}

impl I18n {
    /// Starts in `start` ([`start_locale`]) when its texts are here (`main` fetched them),
    /// else in Indonesian, the language of index.html's first paint: an English browser on an
    /// Indonesian-first instance saw English flash by, and the page move, before the instance
    /// answered.
    pub fn new(start: Locale) -> I18n {
        let shown = if ready(start) { start } else { Locale::Id };
        I18n {
            locale: RwSignal::new(shown),
            wanted: StoredValue::new(shown),
        }
    }

    /// The visitor's choice: remembered, and shown once its texts are here.
    pub fn set(&self, locale: Locale) {
        storage::set_text(keys::LOCALE, locale.tag());
        self.show(locale);
    }

    /// Shows `locale` for this visit, once its texts are here (fetched if needed; if they
    /// cannot be, the page stays in the language it is in).
    pub fn show(&self, locale: Locale) {
        self.wanted.set_value(locale);
        if ready(locale) {
            self.locale.set(locale);
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if prepare(locale).await && this.wanted.get_value() == locale {
                this.locale.set(locale);
            }
        });
    }

    /// The texts of the current language (reactive when called inside a closure).
    pub fn t(&self) -> &'static Texts {
        texts(self.locale.get())
    }
}

/// The browser's language, when it is one of the portal's.
pub fn browser_locale() -> Option<Locale> {
    web_sys::window()?
        .navigator()
        .language()
        .as_deref()
        .and_then(Locale::parse)
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A text of the catalogue that follows the language: `tr(|t| t.nav_home)`. Every call
/// returns the same closure type, so the wasm holds one copy of the reactive text code instead
/// of one per string (each `tr(|t| t.x)` was a type of its own).
pub fn tr(
    pick: fn(&'static Texts) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || pick(i18n.t())
}

/// "Jumat, 27 Maret 2026" / "Friday, 27 March 2026".
pub fn format_date(locale: Locale, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let t = texts(locale);
    format!(
        "{}, {} {} {}",
        t.weekdays[date.weekday().num_days_from_monday() as usize],
        date.day(),
        t.months[date.month0() as usize],
        date.year()
    )
}

/// "Jumat, 27 Maret 2026, 08.05" / "Friday, 27 March 2026, 08:05".
pub fn format_date_time(locale: Locale, date: chrono::NaiveDate, hour: u32, minute: u32) -> String {
    let separator = match locale {
        Locale::Id => '.',
        Locale::En => ':',
    };
    format!(
        "{}, {hour:02}{separator}{minute:02}",
        format_date(locale, date)
    )
}

/// Fills `{name}` placeholders of a catalogue string.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 27).unwrap();
        assert_eq!(format_date(Locale::Id, d), "Jumat, 27 Maret 2026");
        assert_eq!(format_date(Locale::En, d), "Friday, 27 March 2026");
        assert_eq!(
            format_date_time(Locale::Id, d, 8, 5),
            "Jumat, 27 Maret 2026, 08.05"
        );
        assert_eq!(
            format_date_time(Locale::En, d, 19, 40),
            "Friday, 27 March 2026, 19:40"
        );
    }

    /// The strings of a catalogue in field order, as `texts-en.json` holds them.
    fn strings(texts: &'static Texts) -> &'static [&'static str] {
        // SAFETY: see `from_strings`; the same layout read the other way.
        unsafe { std::slice::from_raw_parts((texts as *const Texts).cast(), TEXT_COUNT) }
    }

    /// `public/texts-en.json` is `en.rs` in field order. After changing the English texts,
    /// run this test with `LAPOR_WRITE_TEXTS=1` to write the file again.
    #[test]
    fn the_published_english_texts_are_the_catalogue() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/texts-en.json");
        let expected = serde_json::to_string(strings(&en::TEXTS)).unwrap() + "\n";
        if std::env::var_os("LAPOR_WRITE_TEXTS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            published == expected,
            "public/texts-en.json differs from src/i18n/en.rs: run `LAPOR_WRITE_TEXTS=1 cargo test -p lapor-portal the_published_english`"
        );
    }

    /// The pointer cast in `from_strings` is sound only while every field is a `&'static str`
    /// or an array of them: a field of another type (a slice, a number) fails here.
    #[test]
    fn every_field_is_a_text() {
        fn leaves(value: &serde_json::Value) -> Option<usize> {
            match value {
                serde_json::Value::String(_) => Some(1),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(_) => Some(1),
                        _ => None,
                    })
                    .sum(),
                _ => None,
            }
        }
        let fields = serde_json::to_value(&id::TEXTS).unwrap();
        let count: Option<usize> = fields.as_object().unwrap().values().map(leaves).sum();
        assert_eq!(count, Some(TEXT_COUNT));
    }

    #[test]
    fn the_version_is_the_files_content() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        let file = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/texts-en.json"),
        )
        .unwrap();
        assert_eq!(content_hash(&file), ENGLISH_VERSION);
        assert!(english_url().starts_with("texts-en.json?v="));
        assert_eq!(english_url().len(), "texts-en.json?v=".len() + 16);
    }

    #[test]
    fn a_fetched_catalogue_reads_back_field_by_field() {
        let list: Vec<String> = strings(&en::TEXTS).iter().map(|s| s.to_string()).collect();
        let read = from_strings(list.clone()).unwrap();
        assert_eq!(read.nav_home, "Home");
        assert_eq!(read.months[11], en::TEXTS.months[11]);
        assert_eq!(read.weekdays[0], en::TEXTS.weekdays[0]);
        let last = list.len() - 1;
        assert_eq!(strings(read)[last], strings(&en::TEXTS)[last]);
        assert!(
            from_strings(list[1..].to_vec()).is_none(),
            "one string short"
        );
        let mut long = list;
        long.push("extra".into());
        assert!(from_strings(long).is_none(), "one string too many");
    }

    /// Writes both catalogues for the end-to-end tests, which check that no string of the
    /// other language is left on a page (`end2end/tests/language.spec.ts`).
    #[test]
    fn exports_the_catalogues_for_end_to_end_tests() {
        let json = serde_json::json!({ "id": &id::TEXTS, "en": &en::TEXTS });
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/catalogues.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
        let back: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back["id"]["nav_home"], "Beranda");
        assert_eq!(back["en"]["nav_home"], "Home");
    }

    /// The static first paint in index.html repeats the Indonesian header and home intro; it
    /// must say what the app will say, or the page changes under the reader when it mounts.
    #[test]
    fn the_first_paint_matches_the_catalogue() {
        let html = include_str!("../../index.html");
        let t = &id::TEXTS;
        for text in [
            t.home_title,
            t.home_lead,
            t.nav_report,
            t.nav_track,
            t.nav_reports,
            t.nav_mine,
            t.nav_faq,
            t.nav_label,
            t.language,
        ] {
            assert!(html.contains(text), "index.html lacks {text:?}");
        }
    }

    /// index.html's first view of each entry route (`data-first-paint-of`) says what that page
    /// first renders, word for word, and nothing else.
    #[test]
    fn each_routes_first_paint_matches_the_catalogue() {
        let html = include_str!("../../index.html");
        let t = &id::TEXTS;
        let block = |route: &str| {
            let start = html
                .find(&format!("data-first-paint-of=\"{route}\""))
                .unwrap_or_else(|| panic!("index.html has no first paint of {route}"));
            let rest = &html[start..];
            let end = rest[1..].find("data-first-paint-of=").map_or(
                rest.find("class=\"splash__note\"")
                    .expect("the note follows"),
                |n| n + 1,
            );
            // What the page says: its script and comments are no text of it.
            let mut said = rest[..end].to_owned();
            for (open, close) in [("<script>", "</script>"), ("<!--", "-->")] {
                while let Some(from) = said.find(open) {
                    let to = said[from..].find(close).expect("closed") + from + close.len();
                    said.replace_range(from..to, "");
                }
            }
            let texts: Vec<String> = said
                .split('<')
                .filter_map(|tag| tag.split_once('>').map(|(_, text)| text.trim().to_owned()))
                .filter(|text| !text.is_empty())
                .collect();
            texts
        };
        let count = |max: usize| fill(t.sub_chars, &[("n", "0"), ("max", &max.to_string())]);
        let (title_count, body_count) = (
            count(lapor_core::validation::TITLE_MAX),
            count(lapor_core::validation::BODY_MAX),
        );
        let form = [
            t.submit_title,
            t.sub_lead,
            t.sub_kind_legend,
            t.class_complaint,
            t.sub_kind_complaint_hint,
            t.class_aspiration,
            t.sub_kind_aspiration_hint,
            t.class_information_request,
            t.sub_kind_info_hint,
            // What happened, shown once a kind is chosen, with the app's empty counts.
            t.sub_title_label,
            t.sub_title_hint,
            &title_count,
            t.sub_body_label,
            t.sub_body_hint,
            &body_count,
            t.sub_date_label,
            t.sub_date_hint,
        ];
        let expected: [(&str, &[&str]); 5] = [
            ("home", &[t.home_title, t.home_lead]),
            ("form", &form),
            ("list", &[t.nav_reports, t.reports_lead]),
            ("report", &[t.track_title, t.loading]),
            ("faq", &[t.faq_title, t.faq_search_label, t.loading]),
        ];
        for (route, texts) in expected {
            assert_eq!(block(route), texts, "the first paint of {route}");
        }
    }

    /// index.html's load-error notice (shown when the app's code cannot load, before any
    /// language is known) says what the app's load errors say, in both languages.
    #[test]
    fn the_first_paint_load_error_matches_the_catalogue() {
        let html = include_str!("../../index.html");
        let notice = &html[html.find("id=\"load-error\"").expect("a load-error notice")..];
        let notice = &notice[..notice.find("</div>").unwrap()];
        for t in [&id::TEXTS, &en::TEXTS] {
            for text in [t.error_server, t.error_network, t.retry] {
                assert!(
                    notice.contains(text),
                    "the load-error notice lacks {text:?}"
                );
            }
        }
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("{n} dari {max} karakter", &[("n", "3"), ("max", "150")]),
            "3 dari 150 karakter"
        );
    }
}
