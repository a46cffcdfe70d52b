//! The native dialect: this project's API (`/api/v1`, described by the reference server's
//! OpenAPI document). JSON in and out, problem+json errors, Idempotency-Keys and access codes in
//! headers.

use lapor_core::Locale;
use lapor_core::api::{
    Agency, Category, FaqEntry, Instance, NewDispute, NewRating, NewReply, NewReport, Problem,
    Region, ReportCreated, ReportView,
};
use lapor_core::api::{actions, headers};
use lapor_core::listing::{ListQuery, ReportPage, Support};
use serde::de::DeserializeOwned;

use super::{ApiError, Uploaded, encode, with_deadline};

#[derive(Clone, Debug)]
pub struct Native {
    /// The API's root, without a trailing slash.
    pub base: String,
}

async fn problem_of(response: gloo_net::http::Response) -> ApiError {
    let status = response.status();
    let retry_after = response.headers().get(headers::RETRY_AFTER);
    let fallback = Problem::new(status, response.status_text());
    let problem = if status == 404 {
        fallback
    } else {
        crate::json::body(response).await.unwrap_or(fallback)
    };
    ApiError::from_answer(status, retry_after, problem)
}

impl Native {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let mut request = with_deadline(gloo_net::http::Request::get(&self.url(path)));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        answer(response).await
    }

    async fn post<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        headers: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let mut request = with_deadline(gloo_net::http::Request::post(&self.url(path)));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let body = crate::json::write(body).ok_or(ApiError::Network)?;
        let response = request
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        answer(response).await
    }

    pub async fn instance(&self) -> Result<Instance, ApiError> {
        self.get("/instance", &[]).await
    }

    pub async fn faq(&self, locale: Locale) -> Result<Vec<FaqEntry>, ApiError> {
        self.get(&format!("/faq?locale={}", locale.tag()), &[])
            .await
    }

    pub async fn regions(&self, query: &str) -> Result<Vec<Region>, ApiError> {
        self.get(&format!("/regions?q={}", encode(query)), &[])
            .await
    }

    pub async fn agencies(&self, query: &str) -> Result<Vec<Agency>, ApiError> {
        self.get(&format!("/agencies?q={}", encode(query)), &[])
            .await
    }

    pub async fn region(&self, code: &str) -> Result<Option<Region>, ApiError> {
        let found: Vec<Region> = self
            .get(&format!("/regions?id={}&limit=1", encode(code)), &[])
            .await?;
        Ok(found.into_iter().find(|r| r.id == code))
    }

    pub async fn agency(&self, id: &str) -> Result<Option<Agency>, ApiError> {
        let found: Vec<Agency> = self
            .get(&format!("/agencies?id={}&limit=1", encode(id)), &[])
            .await?;
        Ok(found.into_iter().find(|a| a.id == id))
    }

    pub async fn categories(&self) -> Result<Vec<Category>, ApiError> {
        self.get("/categories", &[]).await
    }

    pub async fn report(
        &self,
        tracking: &str,
        access_code: Option<&str>,
    ) -> Result<ReportView, ApiError> {
        let headers: Vec<(&str, &str)> = access_code
            .map(|c| (headers::ACCESS_CODE, c))
            .into_iter()
            .collect();
        // The native API's canonical form is the compact one (`K7M2QX9PD`).
        let compact = tracking.replace('-', "");
        self.get(&format!("/reports/{compact}"), &headers).await
    }

    pub async fn submit(
        &self,
        report: &NewReport,
        idempotency_key: &str,
        locale: Locale,
    ) -> Result<ReportCreated, ApiError> {
        let headers = [
            (headers::IDEMPOTENCY_KEY, idempotency_key),
            ("Accept-Language", locale.tag()),
        ];
        self.post("/reports", report, &headers).await
    }

    /// `GET /reports?…`: a page of the public list.
    pub async fn list_reports(&self, query: &ListQuery) -> Result<ReportPage, ApiError> {
        let string = query.to_query_string();
        let path = if string.is_empty() {
            "/reports".to_owned()
        } else {
            format!("/reports?{string}")
        };
        self.get(&path, &[]).await
    }

    /// `PUT` (support) or `DELETE` (withdraw) `/reports/{tracking}/support`, keyed by the
    /// device's key for this report.
    pub async fn support(
        &self,
        tracking: &str,
        supported: bool,
        key: &str,
        locale: Locale,
    ) -> Result<Support, ApiError> {
        let url = self.url(&format!("/reports/{}/support", tracking.replace('-', "")));
        let request = with_deadline(if supported {
            gloo_net::http::Request::put(&url)
        } else {
            gloo_net::http::Request::delete(&url)
        });
        let response = request
            .header(headers::IDEMPOTENCY_KEY, key)
            .header("Accept-Language", locale.tag())
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        answer(response).await
    }

    /// A reporter's action on a report (`replies`, `rating`): the access code proves it is
    /// theirs, and the key makes a retry return the first answer.
    async fn reporter_action<B: serde::Serialize>(
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

    pub async fn reply(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        reply: &NewReply,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        self.reporter_action(tracking, actions::REPLIES, access_code, key, reply, locale)
            .await
    }

    pub async fn dispute(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        dispute: &NewDispute,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        self.reporter_action(
            tracking,
            actions::DISPUTES,
            access_code,
            key,
            dispute,
            locale,
        )
        .await
    }

    pub async fn rate(
        &self,
        tracking: &str,
        access_code: &str,
        key: &str,
        rating: &NewRating,
        locale: Locale,
    ) -> Result<ReportView, ApiError> {
        self.reporter_action(tracking, actions::RATING, access_code, key, rating, locale)
            .await
    }

    /// Uploads one file to `/attachments`, reporting progress from 0 to 1.
    pub async fn upload(
        &self,
        blob: &web_sys::Blob,
        filename: &str,
        on_progress: impl Fn(f64) + 'static,
    ) -> Result<Uploaded, ApiError> {
        super::upload::upload(&self.url("/attachments"), blob, filename, on_progress).await
    }
}

/// A backend's answer: its JSON body, or its refusal as a problem.
async fn answer<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(problem_of(response).await);
    }
    crate::json::body(response).await.ok_or(ApiError::Network)
}
