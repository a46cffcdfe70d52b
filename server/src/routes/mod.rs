//! The native API, one module per resource.

mod admin;
mod attachments;
mod directory;
mod instance;
mod listing;
mod open311;
mod reports;

pub use directory::RegionAnswers;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use lapor_core::api::actions;
use lapor_core::refusal::Refusal;
use sha2::{Digest, Sha256};

use crate::problem::{ApiError, request_locale};
use crate::{AppState, rate_limit};

pub use instance::instance_info;
/// The instance's working-day calendar and today, as reports' deadlines are counted.
pub(crate) use reports::{calendar, offset, today};

/// JSON bodies larger than this get 413.
const JSON_BODY_LIMIT: usize = 64 * 1024;

/// The largest upload body: one file at its limit, and room for the multipart framing.
fn attachment_body_limit() -> usize {
    instance::ATTACHMENT_MAX_BYTES as usize + 64 * 1024
}

/// The route of a reporter's action on one report.
fn reporter_action(action: &str) -> String {
    format!("/reports/{{tracking}}/{action}")
}

pub fn api_router(state: AppState) -> Router {
    let attachment_limit = attachment_body_limit();
    Router::new()
        .route("/instance", get(instance::get_instance))
        .route("/agencies", get(directory::list_agencies))
        .route("/categories", get(directory::list_categories))
        .route("/regions", get(directory::search_regions))
        .route("/faq", get(directory::list_faq))
        .route(
            "/attachments",
            post(attachments::upload)
                .layer(DefaultBodyLimit::max(attachment_limit))
                .route_layer(middleware::from_fn_with_state(
                    state.clone(),
                    limit_uploads_in_flight,
                )),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/reports", get(listing::list).post(reports::create))
        .route(
            "/reports/{tracking}/support",
            put(listing::support).delete(listing::withdraw),
        )
        .route(
            "/reports/{tracking}",
            get(reports::get_report)
                .route_layer(middleware::from_fn_with_state(state.clone(), limit_lookups)),
        )
        .route(&reporter_action(actions::REPLIES), post(reports::reply))
        .route(&reporter_action(actions::RATING), post(reports::rate))
        .route(&reporter_action(actions::DISPUTES), post(reports::dispute))
        .route("/admin/reports", get(admin::list_reports))
        .route("/admin/reports/{tracking}/events", post(admin::add_event))
        .route(
            crate::mail::unsubscribe::PATH,
            get(crate::mail::unsubscribe::confirm).post(crate::mail::unsubscribe::unsubscribe),
        )
        .route("/openapi.json", get(openapi))
        .fallback(|parts: Parts| async move {
            ApiError::refused(Refusal::NotFound, request_locale(&parts.headers))
        })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .with_state(state)
}

/// Open311 GeoReport v2 over the same data (`/open311/v2/`), JSON only.
pub fn open311_router(state: AppState) -> Router {
    use open311::*;
    // Listing by `service_request_id` is a lookup; posting needs the api_key, guarded here.
    let requests = || {
        get(get_requests)
            .route_layer(middleware::from_fn_with_state(
                state.clone(),
                limit_open311_lookups,
            ))
            .merge(
                post(post_request).route_layer(middleware::from_fn_with_state(
                    state.clone(),
                    guard_open311_post,
                )),
            )
    };
    Router::new()
        .route("/discovery.json", get(discovery))
        .route("/discovery", get(discovery))
        .route("/services.json", get(services))
        .route("/services", get(services))
        .route("/services/{code}", get(service_definition))
        .route("/requests.json", requests())
        .route("/requests", requests())
        .route(
            "/requests/{id}",
            get(get_request).route_layer(middleware::from_fn_with_state(
                state.clone(),
                limit_open311_lookups,
            )),
        )
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

/// The client's key for every limit: the peer address, or behind a trusted proxy
/// (`--trusted-proxy`) the forwarded client address; IPv6 by its /64. Requests without a peer
/// address (in-process tests) share one.
pub fn client_ip(state: &AppState, parts: &Parts) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    rate_limit::client_key(rate_limit::client_address(
        peer,
        &parts.headers,
        &state.config.trusted_proxies,
    ))
}

/// The write bucket (`--write-burst`): reports, replies, ratings, uploads.
pub fn check_rate(state: &AppState, parts: &Parts) -> Result<(), ApiError> {
    state
        .limits
        .writes
        .check(client_ip(state, parts), Instant::now())
        .map_err(|seconds| {
            ApiError::refused(
                Refusal::TooManyRequests { seconds },
                request_locale(&parts.headers),
            )
        })
}

/// The lookup bucket (`--lookup-burst`): tracking numbers looked up, `tokens` at once.
fn check_lookup(state: &AppState, parts: &Parts, tokens: u32) -> Result<(), ApiError> {
    state
        .limits
        .lookups
        .take(client_ip(state, parts), tokens, Instant::now())
        .map_err(|seconds| {
            ApiError::refused(
                Refusal::TooManyRequests { seconds },
                request_locale(&parts.headers),
            )
        })
}

/// The target of the admin token in [`secret_allowed`].
pub const ADMIN_TARGET: &str = "admin";
/// The target of the Open311 api_key in [`secret_allowed`].
pub const OPEN311_TARGET: &str = "open311";

/// Whether this client may try a secret for `target` now: a report's tracking number (in
/// its compact form, so every spelling is one target), [`ADMIN_TARGET`] or
/// [`OPEN311_TARGET`]. Call it *before* comparing the secret, and then exactly one of
/// [`secret_failed`] (wrong secret) or [`secret_succeeded`] (right one). After a few failures
/// from this client, or many for this target, it is a 429 with Retry-After in the request's
/// language, even for the right secret; the wait doubles with each further failure.
///
/// ```ignore
/// secret_allowed(&state, &parts, &tracking.compact())?;
/// if code_matches {
///     secret_succeeded(&state, &parts, &tracking.compact());
/// } else {
///     secret_failed(&state, &parts, &tracking.compact());
///     return Err(wrong_code());
/// }
/// ```
/// A request that sends no secret at all is neither: call nothing after `secret_allowed`.
pub fn secret_allowed(state: &AppState, parts: &Parts, target: &str) -> Result<(), ApiError> {
    state
        .limits
        .secrets
        .allowed(client_ip(state, parts), target, Instant::now())
        .map_err(|seconds| {
            ApiError::refused(
                Refusal::TooManyFailures { seconds },
                request_locale(&parts.headers),
            )
        })
}

/// A wrong secret for `target`: counted against this client and against the target.
pub fn secret_failed(state: &AppState, parts: &Parts, target: &str) {
    state
        .limits
        .secrets
        .failed(client_ip(state, parts), target, Instant::now());
}

/// The right secret for `target`: the target's failures are forgiven (not the client's).
pub fn secret_succeeded(state: &AppState, _parts: &Parts, target: &str) {
    state.limits.secrets.succeeded(target);
}

/// `GET /reports/{tracking}`: one lookup.
async fn limit_lookups(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if let Err(refused) = check_lookup(&state, &parts, 1) {
        return refused.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Open311 `GET requests/{id}` (one lookup) and `GET requests?service_request_id=a,b` (one per
/// id); errors in GeoReport's shape, with Retry-After.
async fn limit_open311_lookups(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let ids = if parts.uri.path().contains("/requests/") {
        1
    } else {
        let Query(params) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .unwrap_or_else(|_| Query(Vec::new()));
        params
            .iter()
            .filter(|(name, _)| name == "service_request_id")
            .flat_map(|(_, ids)| ids.split(',').filter(|id| !id.trim().is_empty()))
            .count()
    };
    if ids > 0 {
        let tokens = u32::try_from(ids).unwrap_or(u32::MAX);
        if let Err(refused) = check_lookup(&state, &parts, tokens) {
            return open311_refusal(refused);
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Open311 `POST requests`: the api_key's back-off and the write bucket come before the
/// handler; its answer tells whether the key was right (403: wrong, 2xx: right).
async fn guard_open311_post(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    if let Err(refused) = secret_allowed(&state, &parts, OPEN311_TARGET) {
        return open311_refusal(refused);
    }
    if let Err(refused) = check_rate(&state, &parts) {
        return open311_refusal(refused);
    }
    let response = next.run(Request::from_parts(parts.clone(), body)).await;
    if response.status() == StatusCode::FORBIDDEN && state.config.open311_api_key.is_some() {
        secret_failed(&state, &parts, OPEN311_TARGET);
    } else if response.status().is_success() {
        secret_succeeded(&state, &parts, OPEN311_TARGET);
    }
    response
}

/// A refusal in GeoReport's error shape, keeping its Retry-After.
fn open311_refusal(refused: ApiError) -> Response {
    let retry_after = refused.retry_after;
    let mut response = open311::Open311Error::from(refused).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// How long a client refused for uploads in flight is asked to wait.
const UPLOAD_RETRY_SECONDS: u64 = 5;

/// `POST /attachments`: reserves the declared body size (at most the route's limit) from the
/// server's and the client's budget of upload bytes in flight before a byte of the body is
/// read; beyond either, 429 (this client) or 503 (everyone) at once.
async fn limit_uploads_in_flight(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let limit = attachment_body_limit() as u64;
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(limit);
    let reservation = match state
        .limits
        .uploads
        .reserve(client_ip(&state, &parts), declared.min(limit))
    {
        Ok(reservation) => reservation,
        Err(refusal) => {
            let locale = request_locale(&parts.headers);
            let seconds = UPLOAD_RETRY_SECONDS;
            let refusal = match refusal {
                rate_limit::UploadRefusal::ServerFull => Refusal::ServerBusy { seconds },
                rate_limit::UploadRefusal::ClientFull => Refusal::TooManyUploads { seconds },
            };
            return ApiError::refused(refusal, locale).into_response();
        }
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    drop(reservation);
    response
}
