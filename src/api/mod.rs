//! The backend behind one interface. Today it speaks the native dialect (`/api/v1`, described
//! by the reference server's OpenAPI document); other dialects plug in here.

use lapor_core::Locale;
use lapor_core::api::{FaqEntry, Instance, Problem, ReportView};
use serde::de::DeserializeOwned;

/// Why a request failed, so each case gets its own message and a retry.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, DNS, CORS, connection reset.
    Network,
    NotFound,
    /// A problem+json answer (4xx with field errors, 5xx).
    Problem(Problem),
}

#[derive(Clone, Debug)]
pub struct Api {
    base: String,
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let mut request = gloo_net::http::Request::get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        if response.status() == 404 {
            return Err(ApiError::NotFound);
        }
        if !response.ok() {
            let status = response.status();
            return Err(ApiError::Problem(response.json().await.unwrap_or(
                Problem {
                    type_: "about:blank".into(),
                    title: response.status_text(),
                    status,
                    detail: None,
                    errors: Vec::new(),
                },
            )));
        }
        response.json().await.map_err(|_| ApiError::Network)
    }

    pub async fn instance(&self) -> Result<Instance, ApiError> {
        self.get("/instance", &[]).await
    }

    pub async fn faq(&self, locale: Locale) -> Result<Vec<FaqEntry>, ApiError> {
        self.get(&format!("/faq?locale={}", locale.tag()), &[])
            .await
    }

    pub async fn report(
        &self,
        tracking: &str,
        access_code: Option<&str>,
    ) -> Result<ReportView, ApiError> {
        let headers: Vec<(&str, &str)> = access_code
            .map(|c| ("X-Access-Code", c))
            .into_iter()
            .collect();
        self.get(&format!("/reports/{tracking}"), &headers).await
    }
}
