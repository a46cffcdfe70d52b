//! The public reports list (`GET /reports`) and support ("dukung": `PUT` and `DELETE
//! /reports/{tracking}/support`).
//!
//! The query is `core::listing::ListQuery`'s (a bad parameter is a 400 naming it, in the
//! request's language); what a listed report shows is `core::listing::ReportSummary`, built
//! only for reports `core::privacy` lets a list show, and with nothing about the reporter.
//! A supporter is the device's `Idempotency-Key` for the report, kept only as a digest; a
//! report that is in no list cannot be supported and answers as an unknown number does.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_core::Locale;
use lapor_core::api::FieldError;
use lapor_core::api::headers::IDEMPOTENCY_KEY;
use lapor_core::listing::{
    BadParameter, ListQuery, ReportPage, ReportSummary, Support, excerpt, region_label,
};
use lapor_core::privacy::{self, Viewer};
use lapor_core::refusal::Refusal;
use lapor_core::tracking::TrackingId;

use super::reports::overdue;
use super::{check_rate, now, sha256_hex, today};
use crate::AppState;
use crate::problem::{ApiError, request_locale};
use crate::storage::{self, ListedRow};

/// How long a browser or a proxy may keep a page of the list: it holds nothing private, and
/// a new report or a support shows up this much later at most.
const LIST_CACHE: &str = "public, max-age=30";

/// 400 for a list parameter `core` refused, naming it (as a field error too, for the app),
/// in the request's language.
fn bad_parameter(bad: BadParameter, locale: Locale) -> ApiError {
    let message = bad.message(locale).to_owned();
    if bad.parameter.is_empty() {
        // An unknown parameter; the message quotes it.
        let title = Refusal::UnknownParameter {
            name: String::new(),
        }
        .title(locale);
        return ApiError::new(StatusCode::BAD_REQUEST, title).detail(message);
    }
    ApiError {
        errors: vec![FieldError {
            field: bad.parameter.to_owned(),
            code: "invalid".into(),
            message: message.clone(),
        }],
        ..ApiError::new(
            StatusCode::BAD_REQUEST,
            Refusal::InvalidParameters.title(locale),
        )
        .detail(message)
    }
}

/// The list query of this request, or 400.
fn list_query(parts: &Parts, locale: Locale) -> Result<ListQuery, ApiError> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map_err(|e| {
        ApiError::refused(Refusal::InvalidParameters, locale).because(e.body_text())
    })?;
    ListQuery::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .map_err(|bad| bad_parameter(bad, locale))
}

/// What a list shows of a report, as the privacy rule allows it to anyone; `None` for a
/// report no list may show (the query already leaves those out).
fn summary(row: ListedRow, today: chrono::NaiveDate) -> Option<ReportSummary> {
    let disclosure = privacy::disclosure(row.privacy, Viewer::Public);
    if !(disclosure.listed && disclosure.content && disclosure.timing) {
        return None;
    }
    let routing = disclosure.routing;
    let running = !row.status.is_final();
    Some(ReportSummary {
        tracking_id: row.tracking_id.into(),
        excerpt: excerpt(&row.body),
        title: row.title,
        overdue: overdue(&row.status, row.due_date, today),
        status: row.status,
        classification: row.classification.filter(|_| routing),
        agency: row.agency_name.filter(|_| routing),
        category: row.category_name.filter(|_| routing),
        // A place that is not a complaint's is where its reporter lives.
        region: row
            .region_name
            .filter(|_| privacy::place_is_public(row.classification))
            .map(|name| region_label(&name, &row.region_parents)),
        submitted_at: row.submitted_at,
        due_date: running.then(|| row.due_date.to_string()),
        supporters: row.supporters,
    })
}

/// `GET /reports`: a page of the public list, newest first.
pub async fn list(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let locale = request_locale(&parts.headers);
    let query = list_query(&parts, locale)?;
    let page = state
        .with_db(move |conn| -> Result<ReportPage, ApiError> {
            let (rows, more) = storage::listed_reports(conn, &query, locale)?;
            let today = today();
            Ok(ReportPage {
                items: rows.into_iter().filter_map(|r| summary(r, today)).collect(),
                page: query.page,
                page_size: query.page_size,
                more,
            })
        })
        .await?;
    Ok((
        [
            (header::CACHE_CONTROL, LIST_CACHE),
            (header::VARY, "Accept-Language"),
        ],
        Json(page),
    )
        .into_response())
}

/// What is stored of a supporter: a digest of the device's key for the report (the key is
/// random and per report, so the digest names nobody and links nothing).
fn supporter_digest(key: &str) -> String {
    sha256_hex(format!("lapor supporter\0{key}").as_bytes())
}

/// The device's key for the report (`Idempotency-Key`, 1 to 200 characters), or 400.
fn supporter_key(parts: &Parts, locale: Locale) -> Result<String, ApiError> {
    match parts
        .headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().map(str::trim))
    {
        Some(Ok(key)) if !key.is_empty() && key.len() <= 200 => Ok(supporter_digest(key)),
        _ => Err(ApiError::refused(Refusal::SupporterKeyRequired, locale)),
    }
}

/// The steps adding and withdrawing share: the write bucket, the key, a listed report (else
/// the unknown number's 404), then `change` in one transaction.
async fn change_support(
    state: &AppState,
    parts: &Parts,
    tracking: &str,
    supported: bool,
) -> Result<Json<Support>, ApiError> {
    check_rate(state, parts)?;
    let locale = request_locale(&parts.headers);
    let tracking = TrackingId::parse(tracking).map_err(|_| ApiError::report_not_found(locale))?;
    let supporter = supporter_key(parts, locale)?;
    let supporters = state
        .with_db(move |conn| -> Result<u32, ApiError> {
            let tx = conn.transaction()?;
            let report_id = storage::listed_report_id(&tx, &tracking)?
                .ok_or_else(|| ApiError::report_not_found(locale))?;
            let supporters = if supported {
                storage::add_support(&tx, report_id, &supporter, &now().0)?
            } else {
                storage::withdraw_support(&tx, report_id, &supporter)?
            };
            tx.commit()?;
            Ok(supporters)
        })
        .await?;
    Ok(Json(Support {
        supporters,
        supported,
    }))
}

/// `PUT /reports/{tracking}/support`: this device supports the report (once, however often
/// it is sent).
pub async fn support(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
) -> Result<Json<Support>, ApiError> {
    change_support(&state, &parts, &tracking, true).await
}

/// `DELETE /reports/{tracking}/support`: this device no longer supports the report.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
) -> Result<Json<Support>, ApiError> {
    change_support(&state, &parts, &tracking, false).await
}
