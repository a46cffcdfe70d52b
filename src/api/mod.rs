//! The backend behind one interface, `Backend`, in two dialects: the native API (`native.rs`)
//! and Open311 GeoReport v2 (`open311.rs`), chosen by `config.json`. Each operation is one
//! `match` over the dialects; views ask `features()` what the backend can do and hide the rest.

mod native;
mod open311;
mod upload;

use lapor_core::Locale;
use lapor_core::api::{
    Agency, Category, FaqEntry, Instance, NewDispute, NewRating, NewReply, NewReport, Problem,
    Region, ReportCreated, ReportView,
};

use lapor_core::listing::{ListQuery, ReportPage, Support};
pub use lapor_core::open311::{Attribute, Datatype};
use native::Native;
use open311::Open311;
pub use upload::Uploaded;

/// How long a request may wait for its whole answer before it counts as no answer
/// ([`ApiError::Network`]: the page offers a retry, the outbox keeps the report and tries
/// again). On patchy mobile data a stalled connection would otherwise keep a page loading, or
/// a report sending, for as long as the browser keeps the socket open: minutes, or until the
/// page is closed. Uploads count it from their last progress instead (`upload.rs`); the split
/// loader gives up on a file of code after as long without a byte (`__laporStallMs` in
/// `xtask/src/split.rs`, JavaScript, so the two are kept equal by hand).
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

/// `request`, given up once [`ANSWER_WITHIN`] has passed, its answer's body included. A timer
/// of the page's own, not `AbortSignal.timeout`, so the end-to-end tests can move its clock.
fn with_deadline(request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    let Ok(controller) = web_sys::AbortController::new() else {
        return request;
    };
    let request = request.abort_signal(Some(&controller.signal()));
    leptos::prelude::set_timeout(move || controller.abort(), ANSWER_WITHIN);
    request
}

/// What a backend can do beyond reports and categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Regions, agencies and the FAQ from the backend.
    pub directory: bool,
    /// Attachments, confidentiality, access codes, replies and ratings.
    pub reporter_actions: bool,
    /// Tracking numbers follow this portal's codec (check symbol).
    pub checked_numbers: bool,
    /// The public list filters by classification, agency, region and text (GeoReport's
    /// `requests.json` filters only by status and service).
    pub list_filters: bool,
    /// Citizens can support ("dukung") a public report.
    pub support: bool,
}

/// What a category (an Open311 service) asks beyond the form's own questions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceFields {
    /// Its extra fields, in their order.
    pub attributes: Vec<Attribute>,
    /// It is refused without a place (`core::open311::needs_location`): the form asks for one.
    pub needs_location: bool,
}

/// Why a request failed, so each case gets its own message and a retry.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, CORS, connection reset.
    Network,
    NotFound,
    /// A problem+json answer (4xx with field errors, 5xx).
    Problem(Problem),
    /// The backend asks to come back later (408, 429, 503: busy, or a rate limit), after
    /// `retry_after` seconds when it said (`Retry-After`). Not a verdict on the request.
    Busy {
        problem: Problem,
        retry_after: Option<u32>,
    },
}

impl ApiError {
    pub fn is_server_fault(&self) -> bool {
        matches!(self, ApiError::Problem(p) if p.status >= 500)
    }

    /// The error of a failed answer: `status`, its `Retry-After` header, and its body read as a
    /// problem (the Open311 dialect and uploads read bodies their own way).
    pub fn from_answer(status: u16, retry_after: Option<String>, problem: Problem) -> ApiError {
        match status {
            404 => ApiError::NotFound,
            408 | 429 | 503 => ApiError::Busy {
                problem,
                retry_after: retry_after.as_deref().and_then(retry_after_secs),
            },
            _ => ApiError::Problem(problem),
        }
    }
}

/// `Retry-After` in seconds: delta-seconds as sent, or an HTTP date as seconds from now.
fn retry_after_secs(value: &str) -> Option<u32> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u32>() {
        return Some(secs);
    }
    let at = js_sys::Date::parse(value);
    at.is_finite().then(|| {
        ((at - js_sys::Date::now()) / 1000.0)
            .clamp(0.0, u32::MAX as f64)
            .ceil() as u32
    })
}

/// The backend `config.json` names, in its dialect. Every operation is one `match`: what a
/// dialect lacks is answered here, in one place, and `features()` tells the views to hide it.
#[derive(Clone, Debug)]
pub enum Backend {
    Native(Native),
    Open311(Open311),
}

impl Backend {
    /// The backend `config.json` describes, in its dialect.
    pub fn from_config(config: &crate::config::Config) -> Backend {
        let base = config.api_base.trim_end_matches('/').to_owned();
        if config.dialect == crate::config::Dialect::Open311 {
            Backend::Open311(Open311 {
                base,
                settings: config.open311.clone(),
            })
        } else {
            Backend::Native(Native { base })
        }
    }

    pub fn features(&self) -> Features {
        let native = matches!(self, Backend::Native(_));
        Features {
            directory: native,
            reporter_actions: native,
            checked_numbers: native,
            list_filters: native,
            support: native,
        }
    }

    /// A report number as typed, ready for the backend and the address bar: this portal's
    /// tracking numbers are checked and normalised (`k7m 2qx 9pd` → `K7M-2QX-9PD`); other
    /// backends' ids are opaque.
    pub fn report_number(
        &self,
        typed: &str,
    ) -> Result<String, lapor_core::tracking::TrackingError> {
        match self {
            Backend::Native(_) => {
                lapor_core::tracking::TrackingId::parse(typed).map(|t| t.to_string())
            }
            Backend::Open311(_) => {
                let id = typed.trim();
                if id.is_empty() {
                    Err(lapor_core::tracking::TrackingError::Empty)
                } else {
                    Ok(id.to_owned())
                }
            }
        }
    }

    /// Where the instance's description is read, to be fetched again once the service worker
    /// controls the page; GeoReport has none.
    pub fn instance_url(&self) -> Option<String> {
        match self {
            Backend::Native(n) => Some(n.url("/instance")),
            Backend::Open311(_) => None,
        }
    }

    /// Where an attachment is served; GeoReport has none.
    pub fn attachment_url(&self, id: &str) -> Option<String> {
        match self {
            Backend::Native(n) => Some(n.url(&format!("/attachments/{id}"))),
            Backend::Open311(_) => None,
        }
    }

    pub async fn instance(&self) -> Result<Instance, ApiError> {
        match self {
            Backend::Native(n) => n.instance().await,
            Backend::Open311(o) => Ok(o.instance()),
        }
    }

    pub async fn faq(&self, locale: Locale) -> Result<Vec<FaqEntry>, ApiError> {
        match self {
            Backend::Native(n) => n.faq(locale).await,
            // The bundled FAQ takes over.
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }

    pub async fn regions(&self, query: &str) -> Result<Vec<Region>, ApiError> {
        match self {
            Backend::Native(n) => n.regions(query).await,
            Backend::Open311(_) => Ok(Vec::new()),
        }
    }

    pub async fn agencies(&self, query: &str) -> Result<Vec<Agency>, ApiError> {
        match self {
            Backend::Native(n) => n.agencies(query).await,
            Backend::Open311(_) => Ok(Vec::new()),
        }
    }

    /// One region by its code (a filter restored from a URL).
    pub async fn region(&self, code: &str) -> Result<Option<Region>, ApiError> {
        match self {
            Backend::Native(n) => n.region(code).await,
            Backend::Open311(_) => Ok(None),
        }
    }

    /// One agency by its id (a pre-selected one), however many agencies there are.
    pub async fn agency(&self, id: &str) -> Result<Option<Agency>, ApiError> {
        match self {
            Backend::Native(n) => n.agency(id).await,
            Backend::Open311(_) => Ok(None),
        }
    }

    /// The categories, named in `locale` where the backend localises them.
    pub async fn categories(&self, locale: Locale) -> Result<Vec<Category>, ApiError> {
        match self {
            Backend::Native(n) => n.categories().await,
            Backend::Open311(o) => open311::fetched::categories(o, locale).await,
        }
    }

    /// The extra fields a category asks for (Open311 service definitions), and whether it
    /// needs a location; none natively (the native rules already say where one is needed).
    pub async fn attributes(
        &self,
        category: &str,
        locale: Locale,
    ) -> Result<ServiceFields, ApiError> {
        match self {
            Backend::Native(_) => Ok(ServiceFields::default()),
            Backend::Open311(o) => open311::fetched::attributes(o, category, locale).await,
        }
    }

    pub async fn report(
        &self,
        tracking: &str,
        access_code: Option<&str>,
    ) -> Result<ReportView, ApiError> {
        match self {
            Backend::Native(n) => n.report(tracking, access_code).await,
            Backend::Open311(o) => {
                let today = crate::clock::today(None);
                open311::fetched::report(o, tracking, today).await
            }
        }
    }

    /// Sends a report; the same key always yields the same report, however often it is retried.
    pub async fn submit(
        &self,
        report: &NewReport,
        attributes: &[(String, Vec<String>)],
        idempotency_key: &str,
        locale: Locale,
    ) -> Result<ReportCreated, ApiError> {
        match self {
            Backend::Native(n) => n.submit(report, idempotency_key, locale).await,
            // GeoReport has no idempotency key: a retried POST may create a second request.
            Backend::Open311(o) => {
                let today = crate::clock::today(None);
                open311::fetched::submit(o, report, attributes, locale, today).await
            }
        }
    }

    /// A page of the public reports list (newest first); the Open311 dialect asks
    /// `requests.json` what GeoReport can filter (`features().list_filters`).
    pub async fn list_reports(&self, query: &ListQuery) -> Result<ReportPage, ApiError> {
        match self {
            Backend::Native(n) => n.list_reports(query).await,
            Backend::Open311(o) => {
                let today = crate::clock::today(None);
                open311::fetched::list_reports(o, query, today).await
            }
        }
    }

    /// Supports a public report (`supported`) or withdraws this device's support. The key is
    /// the device's own for this report, so a double tap or a retry counts once; GeoReport
    /// has no support.
    pub async fn support(
        &self,
        tracking: &str,
        supported: bool,
        key: &str,
        locale: Locale,
    ) -> Result<Support, ApiError> {
        match self {
            Backend::Native(n) => n.support(tracking, supported, key, locale).await,
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }

    /// Uploads one file, reporting progress from 0 to 1; GeoReport takes no uploads.
    pub async fn upload(
        &self,
        blob: &web_sys::Blob,
        filename: &str,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<Uploaded, ApiError> {
        match self {
            Backend::Native(n) => n.upload(blob, filename, on_progress).await,
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }

    /// Answers an agency response; GeoReport has no replies.
    pub async fn reply(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        reply: &NewReply,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        match self {
            Backend::Native(n) => n.reply(tracking, access_code, key, reply, locale).await,
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }

    /// Says a resolved report is not resolved ("belum selesai"); GeoReport has no disputes.
    pub async fn dispute(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        dispute: &NewDispute,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        match self {
            Backend::Native(n) => n.dispute(tracking, access_code, key, dispute, locale).await,
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }

    /// Rates a resolved report; GeoReport has no ratings.
    pub async fn rate(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        rating: &NewRating,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        match self {
            Backend::Native(n) => n.rate(tracking, access_code, key, rating, locale).await,
            Backend::Open311(_) => Err(ApiError::NotFound),
        }
    }
}

/// A fresh Idempotency-Key: a random UUID from the browser's CSPRNG.
pub fn new_idempotency_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{}-{}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

/// Percent-encodes a path segment or query parameter value.
pub fn encode(value: &str) -> String {
    lapor_core::text::percent_encode(value, false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(
            super::encode("Kab. Kendal & Weleri"),
            "Kab.%20Kendal%20%26%20Weleri"
        );
        assert_eq!(super::encode("é"), "%C3%A9");
    }
}
