//! The native API, one module per resource.

mod admin;
mod attachments;
mod directory;
mod instance;
mod open311;
mod reports;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::DefaultBodyLimit;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::problem::ApiError;

pub use instance::instance_info;

/// JSON bodies larger than this get 413.
const JSON_BODY_LIMIT: usize = 64 * 1024;

pub fn api_router(state: AppState) -> Router {
    let attachment_limit = instance::ATTACHMENT_MAX_BYTES as usize + 64 * 1024;
    Router::new()
        .route("/instance", get(instance::get_instance))
        .route("/agencies", get(directory::list_agencies))
        .route("/categories", get(directory::list_categories))
        .route("/regions", get(directory::search_regions))
        .route("/faq", get(directory::list_faq))
        .route(
            "/attachments",
            post(attachments::upload).layer(DefaultBodyLimit::max(attachment_limit)),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/reports", post(reports::create))
        .route("/reports/{tracking}", get(reports::get_report))
        .route("/reports/{tracking}/replies", post(reports::reply))
        .route("/reports/{tracking}/rating", post(reports::rate))
        .route("/admin/reports", get(admin::list_reports))
        .route("/admin/reports/{tracking}/events", post(admin::add_event))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "Not found") })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}

/// Open311 GeoReport v2 over the same data (`/open311/v2/`), JSON only.
pub fn open311_router(state: AppState) -> Router {
    use open311::*;
    Router::new()
        .route("/discovery.json", get(discovery))
        .route("/discovery", get(discovery))
        .route("/services.json", get(services))
        .route("/services", get(services))
        .route("/services/{code}", get(service_definition))
        .route("/requests.json", get(get_requests).post(post_request))
        .route("/requests", get(get_requests).post(post_request))
        .route("/requests/{id}", get(get_request))
        .route("/tokens/{token}", get(get_token))
        .fallback(|| async { open311::Open311Error(StatusCode::NOT_FOUND, "Not found".into()) })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../../openapi.json"),
    )
}

/// Random bits from the operating system's CSPRNG.
pub fn random_u64() -> u64 {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).expect("the OS random number generator is available");
    u64::from_le_bytes(buf)
}

/// Whether a secret a client sent equals the configured one, compared without an early exit
/// so that timing tells nothing about it.
pub fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The current time as RFC 3339 (UTC) and Unix seconds.
pub fn now() -> (String, i64) {
    let now = chrono::Utc::now();
    (
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        now.timestamp(),
    )
}

/// The client's address, for rate limiting. Requests without one (in-process tests) share one.
pub fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

pub fn check_rate(state: &AppState, parts: &Parts) -> Result<(), ApiError> {
    state
        .limiter
        .check(client_ip(parts), Instant::now())
        .map_err(|seconds| ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
                .detail("Slow down and try again after the time in Retry-After.")
        })
}
