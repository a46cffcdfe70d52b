//! The backend behind one interface, in two dialects: the native API (`/api/v1`, described by
//! the reference server's OpenAPI document) and Open311 GeoReport v2 (`open311.rs`), chosen by
//! `config.json`. Views ask `features()` what the backend can do and hide the rest.

mod open311;
mod upload;

use lapor_core::Locale;
use lapor_core::api::headers;
use lapor_core::api::{
    Agency, Category, FaqEntry, Instance, NewRating, NewReply, NewReport, Problem, Region,
    ReportCreated, ReportView,
};
use serde::de::DeserializeOwned;

pub use lapor_core::open311::{Attribute, Datatype};
pub use upload::{Uploaded, upload};

/// What a backend can do beyond reports and categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Regions, agencies and the FAQ from the backend.
    pub directory: bool,
    /// Attachments, confidentiality, access codes, replies and ratings.
    pub reporter_actions: bool,
    /// Tracking numbers follow this portal's codec (check symbol).
    pub checked_numbers: bool,
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

#[derive(Clone, Debug)]
pub struct Api {
    base: String,
    open311: Option<open311::Open311>,
}

async fn problem_of(response: gloo_net::http::Response) -> ApiError {
    let status = response.status();
    let retry_after = response.headers().get(headers::RETRY_AFTER);
    let fallback = Problem::new(status, response.status_text());
    let problem = if status == 404 {
        fallback
    } else {
        response.json().await.unwrap_or(fallback)
    };
    ApiError::from_answer(status, retry_after, problem)
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            open311: None,
        }
    }

    /// The backend `config.json` describes, in its dialect.
    pub fn from_config(config: &crate::config::Config) -> Api {
        let mut api = Api::new(&config.api_base);
        if config.dialect == "open311" {
            api.open311 = Some(open311::Open311 {
                base: api.base.clone(),
                settings: config.open311.clone(),
            });
        }
        api
    }

    pub fn features(&self) -> Features {
        let native = self.open311.is_none();
        Features {
            directory: native,
            reporter_actions: native,
            checked_numbers: native,
        }
    }

    /// A report number as typed, ready for the backend and the address bar: this portal's
    /// tracking numbers are checked and normalised (`k7m 2qx 9pd` → `K7M-2QX-9PD`); other
    /// backends' ids are opaque.
    pub fn report_number(
        &self,
        typed: &str,
    ) -> Result<String, lapor_core::tracking::TrackingError> {
        if self.features().checked_numbers {
            return lapor_core::tracking::TrackingId::parse(typed).map(|t| t.to_string());
        }
        let id = typed.trim();
        if id.is_empty() {
            Err(lapor_core::tracking::TrackingError::Empty)
        } else {
            Ok(id.to_owned())
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let mut request = gloo_net::http::Request::get(&self.url(path));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        if !response.ok() {
            return Err(problem_of(response).await);
        }
        response.json().await.map_err(|_| ApiError::Network)
    }

    pub async fn instance(&self) -> Result<Instance, ApiError> {
        if self.open311.is_some() {
            // GeoReport does not describe itself: the national defaults, no channels.
            return Ok(Instance {
                name: "Lapor".into(),
                region: String::new(),
                default_agency_id: None,
                locales: vec!["id".into(), "en".into()],
                channels: Vec::new(),
                time_zone: "Asia/Jakarta".into(),
                sla: Default::default(),
                calendar: vec![lapor_core::calendar::indonesia_2026()],
                attachments: lapor_core::api::AttachmentLimits {
                    max_files: 0,
                    max_bytes_per_file: 0,
                    accepted_types: Vec::new(),
                },
            });
        }
        self.get("/instance", &[]).await
    }

    pub async fn faq(&self, locale: Locale) -> Result<Vec<FaqEntry>, ApiError> {
        if self.open311.is_some() {
            // The bundled FAQ takes over.
            return Err(ApiError::NotFound);
        }
        self.get(&format!("/faq?locale={}", locale.tag()), &[])
            .await
    }

    pub async fn regions(&self, query: &str) -> Result<Vec<Region>, ApiError> {
        if self.open311.is_some() {
            return Ok(Vec::new());
        }
        self.get(&format!("/regions?q={}", encode(query)), &[])
            .await
    }

    pub async fn agencies(&self, query: &str) -> Result<Vec<Agency>, ApiError> {
        if self.open311.is_some() {
            return Ok(Vec::new());
        }
        self.get(&format!("/agencies?q={}", encode(query)), &[])
            .await
    }

    pub async fn categories(&self) -> Result<Vec<Category>, ApiError> {
        match &self.open311 {
            Some(o) => o.categories().await,
            None => self.get("/categories", &[]).await,
        }
    }

    /// The extra fields a category asks for (Open311 service definitions); none natively.
    pub async fn attributes(&self, category: &str) -> Result<Vec<Attribute>, ApiError> {
        match &self.open311 {
            Some(o) => o.attributes(category).await,
            None => Ok(Vec::new()),
        }
    }

    pub async fn report(
        &self,
        tracking: &str,
        access_code: Option<&str>,
    ) -> Result<ReportView, ApiError> {
        if let Some(o) = &self.open311 {
            return o.report(tracking, crate::clock::today(None)).await;
        }
        let headers: Vec<(&str, &str)> = access_code
            .map(|c| (headers::ACCESS_CODE, c))
            .into_iter()
            .collect();
        // The native API's canonical form is the compact one (`K7M2QX9PD`).
        let compact = tracking.replace('-', "");
        self.get(&format!("/reports/{compact}"), &headers).await
    }

    async fn post<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        headers: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let mut request = gloo_net::http::Request::post(&self.url(path));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request
            .json(body)
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        if !response.ok() {
            return Err(problem_of(response).await);
        }
        response.json().await.map_err(|_| ApiError::Network)
    }

    /// Sends a report; the same key always yields the same report, however often it is retried.
    pub async fn submit(
        &self,
        report: &NewReport,
        attributes: &[(String, Vec<String>)],
        idempotency_key: &str,
        locale: Locale,
    ) -> Result<ReportCreated, ApiError> {
        if let Some(o) = &self.open311 {
            // GeoReport has no idempotency key: a retried POST may create a second request.
            return o
                .submit(report, attributes, locale, crate::clock::today(None))
                .await;
        }
        let headers = [
            (headers::IDEMPOTENCY_KEY, idempotency_key),
            ("Accept-Language", locale.tag()),
        ];
        self.post("/reports", report, &headers).await
    }

    /// A reporter's action on a report (`replies`, `rating`): the access code proves it is
    /// theirs, and the key makes a retry return the first answer.
    async fn act<B: serde::Serialize>(
        &self,
        tracking: &str,
        action: &str,
        access_code: &str,
        key: &str,
        body: &B,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        let headers = [
            (headers::ACCESS_CODE, access_code),
            (headers::IDEMPOTENCY_KEY, key),
            ("Accept-Language", locale.tag()),
        ];
        self.post(&format!("/reports/{tracking}/{action}"), body, &headers)
            .await
    }

    /// Answers an agency response.
    pub async fn reply(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        reply: &NewReply,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        self.act(tracking, "replies", access_code, key, reply, locale)
            .await
    }

    /// Rates a resolved report.
    pub async fn rate(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        rating: &NewRating,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        self.act(tracking, "rating", access_code, key, rating, locale)
            .await
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
