//! Translations. Every user-facing string is a field of [`Texts`]; [`id::TEXTS`] and
//! [`en::TEXTS`] must each give all of them, so a missing translation does not compile.
//! A plain struct of `&'static str` costs nothing beyond the strings themselves in the wasm.

mod en;
mod id;

use lapor_core::Locale;
use leptos::prelude::*;

use crate::storage;

pub struct Texts {
    pub lang_name: &'static str,
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
    pub submit_lead: &'static str,

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

    pub faq_title: &'static str,
    pub faq_search_label: &'static str,
    pub faq_no_results: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub config_error_title: &'static str,
    pub config_error_body: &'static str,

    pub months: [&'static str; 12],
    pub weekdays: [&'static str; 7],
}

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Id => &id::TEXTS,
        Locale::En => &en::TEXTS,
    }
}

/// The visitor's language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

const LOCALE_KEY: &str = "locale";

impl I18n {
    /// The remembered choice, else the deployer's default, else the browser's language.
    pub fn new(default: Option<Locale>) -> I18n {
        let browser = || {
            web_sys::window()?
                .navigator()
                .language()
                .as_deref()
                .and_then(Locale::parse)
        };
        let locale = storage::get(LOCALE_KEY)
            .as_deref()
            .and_then(Locale::parse)
            .or(default)
            .or_else(browser)
            .unwrap_or_default();
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    pub fn set(&self, locale: Locale) {
        storage::set(LOCALE_KEY, locale.tag());
        self.locale.set(locale);
    }

    /// The texts of the current language (reactive when called inside a closure).
    pub fn t(&self) -> &'static Texts {
        texts(self.locale.get())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 27).unwrap();
        assert_eq!(format_date(Locale::Id, d), "Jumat, 27 Maret 2026");
        assert_eq!(format_date(Locale::En, d), "Friday, 27 March 2026");
    }
}
