//! The Open311 GeoReport v2 dialect: the same questions as the native API, asked of an Open311
//! endpoint and answered through `lapor_core::open311` (lenient parsing, mapping onto the
//! portal's types). What GeoReport lacks (regions, agencies, the FAQ, access codes, replies,
//! ratings, uploads, idempotency keys) is reported as such, and the views hide it.

use lapor_core::api::{Category, Instance, NewReport, Problem, ReportCreated, ReportView};
use lapor_core::listing::{ListQuery, ReportPage};
use lapor_core::open311::{self, Created};

use crate::json::Js;
use lapor_core::{Locale, Status};

use super::{ApiError, ServiceFields, encode, with_deadline};
use crate::config;

#[derive(Clone, Debug)]
pub struct Open311 {
    pub base: String,
    pub settings: config::Open311,
}

/// Parses an Open311 answer with the browser, after `lenient_text` has made it valid JSON.
fn parse(text: &str) -> Option<Js> {
    js_sys::JSON::parse(&open311::lenient_text(text))
        .ok()
        .map(Js::from)
}

/// How often a batch service's token is exchanged for an id before giving up for now.
const TOKEN_TRIES: u32 = 4;

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

impl Open311 {
    /// GeoReport does not describe itself: the national defaults, no channels.
    pub fn instance(&self) -> Instance {
        // GeoReport takes no uploads.
        Instance {
            attachments: lapor_core::api::AttachmentLimits::none(),
            ..Instance::national_default()
        }
    }

    /// `{base}/{path}.json?api_key=…&jurisdiction_id=…&{query}`. The api_key goes on reads
    /// too: some servers require it there (and refuse a wrong one), the others ignore it, and
    /// it is no secret (it is in the public `config.json`).
    fn url(&self, path: &str, query: &str) -> String {
        let mut params: Vec<String> = Vec::new();
        if let Some(key) = self.settings.api_key.as_deref().filter(|k| !k.is_empty()) {
            params.push(format!("api_key={}", encode(key)));
        }
        if let Some(j) = &self.settings.jurisdiction_id {
            params.push(format!("jurisdiction_id={}", encode(j)));
        }
        if !query.is_empty() {
            params.push(query.to_owned());
        }
        let query = if params.is_empty() {
            String::new()
        } else {
            format!("?{}", params.join("&"))
        };
        format!("{}/{path}.json{query}", self.base)
    }

    async fn answer(response: gloo_net::http::Response) -> Result<Js, ApiError> {
        let status = response.status();
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        let value = parse(&text);
        if response.ok() {
            return value.ok_or(ApiError::Network);
        }
        // Every error shape servers write (`core::open311::error_answer`); an HTML page says
        // nothing, and the views then say what the status means in the citizen's language.
        let said = value
            .as_ref()
            .map(open311::error_answer)
            .unwrap_or_default();
        let mut problem = Problem::new(status, response.status_text());
        problem.detail = (!said.messages.is_empty()).then(|| said.messages.join(" "));
        problem.errors = said.fields;
        let retry_after = response
            .headers()
            .get(lapor_core::api::headers::RETRY_AFTER);
        Err(ApiError::from_answer(status, retry_after, problem))
    }

    async fn get(&self, path: &str, query: &str) -> Result<Js, ApiError> {
        let response = with_deadline(gloo_net::http::Request::get(&self.url(path, query)))
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        Self::answer(response).await
    }

    /// The service list in the citizen's language: some servers read only a `locale` query
    /// parameter, others only `Accept-Language`, so both are sent.
    async fn services(&self, locale: Locale) -> Result<Vec<open311::Service>, ApiError> {
        let url = self.url("services", &format!("locale={}", locale.tag()));
        let response = with_deadline(gloo_net::http::Request::get(&url))
            .header("Accept-Language", locale.tag())
            .send()
            .await
            .map_err(|_| ApiError::Network)?;
        Ok(open311::services(&Self::answer(response).await?))
    }

    pub async fn categories(&self, locale: Locale) -> Result<Vec<Category>, ApiError> {
        Ok(open311::categories(&self.services(locale).await?))
    }

    /// The extra fields of a service (its definition), or none, and whether it needs a
    /// location (`core::open311::needs_location`). A definition that does not exist (404, seen
    /// even for services with `metadata: true`) means no extra fields.
    pub async fn attributes(
        &self,
        service_code: &str,
        locale: Locale,
    ) -> Result<ServiceFields, ApiError> {
        let services = self.services(locale).await?;
        let service = services.iter().find(|s| s.code == service_code);
        let attributes = if service.is_some_and(|s| s.metadata) {
            let path = format!("services/{}", encode(service_code));
            match self.get(&path, &format!("locale={}", locale.tag())).await {
                Ok(definition) => open311::attributes(&definition),
                Err(ApiError::NotFound) => Vec::new(),
                Err(error) => return Err(error),
            }
        } else {
            Vec::new()
        };
        Ok(ServiceFields {
            needs_location: open311::needs_location(service, &attributes),
            attributes,
        })
    }

    pub async fn submit(
        &self,
        report: &NewReport,
        attributes: &[(String, Vec<String>)],
        locale: Locale,
        today: chrono::NaiveDate,
    ) -> Result<ReportCreated, ApiError> {
        // GeoReport lists every request publicly: a confidential report (a draft saved while
        // the portal spoke the native API, say) is refused here, never sent.
        if report.confidential {
            return Err(ApiError::Problem(
                lapor_core::refusal::Refusal::ConfidentialNotSupported.problem(locale),
            ));
        }
        let body = open311::request_form(
            report,
            attributes,
            self.settings.api_key.as_deref(),
            self.settings.jurisdiction_id.as_deref(),
        );
        let response = with_deadline(gloo_net::http::Request::post(&format!(
            "{}/requests.json",
            self.base
        )))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept-Language", locale.tag())
        .body(body)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
        let (created, _notice) = open311::created(&Self::answer(response).await?);
        let id = match created {
            Created::Id(id) => id,
            Created::Token(token) => self.id_of_token(&token).await.unwrap_or_default(),
            Created::Nothing => String::new(),
        };
        // GeoReport gives no deadline: the portal's own estimate from the national policy.
        let days =
            lapor_core::api::SlaPolicy::default().resolution_days(report.classification, false);
        let due = lapor_core::calendar::Calendar::indonesia_default().add_working_days(today, days);
        Ok(ReportCreated {
            tracking_id: lapor_core::api::ReportNumber::parse(&id),
            access_code: String::new(),
            status: Status::Received,
            submitted_at: String::new(),
            due_date: due.date,
            due_date_estimate: true,
        })
    }

    /// A batch service's id for its token, once the server has made it.
    async fn id_of_token(&self, token: &str) -> Option<String> {
        for attempt in 0..TOKEN_TRIES {
            if attempt > 0 {
                sleep(1500).await;
            }
            if let Ok(answer) = self.get(&format!("tokens/{}", encode(token)), "").await
                && let Some(request) = open311::requests(&answer).into_iter().next()
            {
                return Some(request.id);
            }
        }
        None
    }

    /// A page of the public list from `GET requests.json` (`core::open311::requests_query`).
    pub async fn list_reports(
        &self,
        query: &ListQuery,
        today: chrono::NaiveDate,
    ) -> Result<ReportPage, ApiError> {
        let answer = self
            .get("requests", &open311::requests_query(query))
            .await?;
        Ok(open311::report_page(&answer, query, today))
    }

    pub async fn report(&self, id: &str, today: chrono::NaiveDate) -> Result<ReportView, ApiError> {
        let answer = self.get(&format!("requests/{}", encode(id)), "").await?;
        let request = open311::requests(&answer)
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound)?;
        Ok(open311::report_view(&request, today))
    }
}

/// The dialect's requests run from a file of their own (`crate::split`, one file for all of
/// them): a native deployment never downloads them, and an Open311 one fetches them on its
/// first request. That file missing (offline before it was ever cached) is a network failure.
pub mod fetched {
    use std::future::Future;
    use std::pin::Pin;

    use lapor_core::Locale;
    use lapor_core::api::{Category, NewReport, ReportCreated, ReportView};
    use lapor_core::listing::{ListQuery, ReportPage};

    use super::Open311;
    use crate::api::{ApiError, ServiceFields};
    use crate::split::{ChunkMissing, split_point};

    type Answer<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

    async fn answer<T>(request: Result<Answer<T>, ChunkMissing>) -> Result<T, ApiError> {
        match request {
            Ok(answer) => answer.await,
            Err(ChunkMissing) => Err(ApiError::Network),
        }
    }

    pub async fn categories(o: &Open311, locale: Locale) -> Result<Vec<Category>, ApiError> {
        answer(categories_code(o.clone(), locale).await).await
    }

    pub async fn attributes(
        o: &Open311,
        service_code: &str,
        locale: Locale,
    ) -> Result<ServiceFields, ApiError> {
        answer(attributes_code(o.clone(), service_code.into(), locale).await).await
    }

    pub async fn report(
        o: &Open311,
        id: &str,
        today: chrono::NaiveDate,
    ) -> Result<ReportView, ApiError> {
        answer(report_code(o.clone(), id.into(), today).await).await
    }

    pub async fn submit(
        o: &Open311,
        report: &NewReport,
        attributes: &[(String, Vec<String>)],
        locale: Locale,
        today: chrono::NaiveDate,
    ) -> Result<ReportCreated, ApiError> {
        let request = submit_code(
            o.clone(),
            report.clone(),
            attributes.to_vec(),
            locale,
            today,
        );
        answer(request.await).await
    }

    pub async fn list_reports(
        o: &Open311,
        query: &ListQuery,
        today: chrono::NaiveDate,
    ) -> Result<ReportPage, ApiError> {
        answer(list_reports_code(o.clone(), query.clone(), today).await).await
    }

    split_point!(
        [module open311]
        fn categories_code(o: Open311, locale: Locale) -> Answer<Vec<Category>> {
            Box::pin(async move { o.categories(locale).await }) as Answer<_>
        }
    );

    split_point!(
        [module open311]
        fn attributes_code(o: Open311, code: String, locale: Locale) -> Answer<ServiceFields> {
            Box::pin(async move { o.attributes(&code, locale).await }) as Answer<_>
        }
    );

    split_point!(
        [module open311]
        fn report_code(o: Open311, id: String, today: chrono::NaiveDate) -> Answer<ReportView> {
            Box::pin(async move { o.report(&id, today).await }) as Answer<_>
        }
    );

    split_point!(
        [module open311]
        fn submit_code(
            o: Open311,
            report: NewReport,
            attributes: Vec<(String, Vec<String>)>,
            locale: Locale,
            today: chrono::NaiveDate,
        ) -> Answer<ReportCreated> {
            Box::pin(async move { o.submit(&report, &attributes, locale, today).await })
                as Answer<_>
        }
    );

    split_point!(
        [module open311]
        fn list_reports_code(o: Open311, query: ListQuery, today: chrono::NaiveDate) -> Answer<ReportPage> {
            Box::pin(async move { o.list_reports(&query, today).await }) as Answer<_>
        }
    );
}
