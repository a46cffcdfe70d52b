//! The admin path: move a report through its lifecycle with a message, so that demos and tests
//! can show progress. Needs `Authorization: Bearer <LAPOR_ADMIN_TOKEN>`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use lapor_core::api::{EventKind, Field};
use lapor_core::refusal::Refusal;
use lapor_core::tracking::TrackingId;
use lapor_core::validation::{Rule, Violation};
use lapor_core::{Locale, Status};
use rusqlite::Connection;
use serde::Deserialize;

use super::{ADMIN_TARGET, now, secret_allowed, secret_failed, secret_succeeded};
use crate::problem::{ApiError, ApiJson, ApiQuery, QueryParams, request_locale};
use crate::storage::{self, NewEventRow};
use crate::{AppState, mail};

#[derive(Deserialize, serde::Serialize)]
pub struct NewEvent {
    /// The new status; omitted, the report keeps its status and the event is a response.
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    message: Option<String>,
    /// The acting agency; with `forwarded`, the agency the report now sits with.
    #[serde(default)]
    agency_id: Option<String>,
    /// Attachments (uploaded through `/attachments`) that go with this event.
    #[serde(default)]
    attachment_ids: Vec<String>,
}

#[derive(serde::Serialize)]
pub struct EventAdded {
    tracking_id: String,
    status: Status,
}

/// The admin token, checked under the failed-secret back-off: a wrong token counts against
/// the client and the admin API; after a few, even the right one waits (429).
fn authorise(state: &AppState, parts: &Parts) -> Result<(), ApiError> {
    let refused = || ApiError::refused(Refusal::AdminTokenRequired, request_locale(&parts.headers));
    let Some(expected) = state
        .config
        .admin_token
        .as_deref()
        .filter(|t| !t.is_empty())
    else {
        return Err(refused());
    };
    let given = parts
        .headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")));
    let Some(given) = given else {
        // No token at all is not a guess.
        return Err(refused());
    };
    secret_allowed(state, parts, ADMIN_TARGET)?;
    if super::same_secret(given.unwrap_or(""), expected) {
        secret_succeeded(state, parts, ADMIN_TARGET);
        Ok(())
    } else {
        secret_failed(state, parts, ADMIN_TARGET);
        Err(refused())
    }
}

/// The status a report takes and the kind of event that records it: a new status (with a
/// message, a response), or a response alone. 409 for a move the lifecycle does not allow,
/// 422 when there is nothing to record.
fn next_step(
    current: &Status,
    next: Option<&Status>,
    has_message: bool,
    locale: Locale,
) -> Result<(Status, EventKind), ApiError> {
    match next {
        Some(next) if next != current || next == &Status::Forwarded => {
            if !current.can_move_to(next) {
                let refusal = Refusal::TransitionNotAllowed {
                    from: current.clone(),
                    to: next.clone(),
                };
                return Err(ApiError::refused(refusal, locale));
            }
            let kind = if has_message {
                EventKind::Response
            } else {
                EventKind::Status
            };
            Ok((next.clone(), kind))
        }
        _ if has_message => Ok((current.clone(), EventKind::Response)),
        _ => Err(ApiError::refused(Refusal::NothingToRecord, locale)),
    }
}

/// Ok when `agency_id` names a known agency (or none); else 422 on the field.
fn ensure_agency_known(
    conn: &Connection,
    agency_id: Option<&str>,
    locale: Locale,
) -> Result<(), ApiError> {
    match agency_id {
        Some(agency) if !storage::agency_exists(conn, agency)? => {
            let unknown = Violation {
                field: Field::AgencyId,
                rule: Rule::Unknown,
            };
            Err(ApiError::validation(
                vec![unknown.to_field_error(locale)],
                locale,
            ))
        }
        _ => Ok(()),
    }
}

pub async fn add_event(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(event): ApiJson<NewEvent>,
) -> Result<(StatusCode, Json<EventAdded>), ApiError> {
    authorise(&state, &parts)?;
    let locale = request_locale(&parts.headers);
    let tracking = TrackingId::parse(&tracking).map_err(|_| ApiError::report_not_found(locale))?;
    let config = state.config.clone();
    let added = state
        .with_db(move |conn| -> Result<EventAdded, ApiError> {
            let tx = conn.transaction()?;
            let report = storage::find_report(&tx, &tracking)?
                .ok_or_else(|| ApiError::report_not_found(locale))?;
            let message = event
                .message
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty());
            let (status, kind) = next_step(
                &report.status,
                event.status.as_ref(),
                message.is_some(),
                locale,
            )?;
            let is_response = kind == EventKind::Response;
            let agency_id = event.agency_id.as_deref();
            ensure_agency_known(&tx, agency_id, locale)?;
            // Files already taken, or unknown, are refused rather than skipped unsaid.
            super::reports::ensure_attachments_free(&tx, &event.attachment_ids, locale)?;
            if let Some(agency) = agency_id
                && status == Status::Forwarded
            {
                storage::set_agency(&tx, report.id, agency)?;
            }
            storage::set_status(&tx, report.id, &status)?;
            let event_id = storage::insert_event(
                &tx,
                &NewEventRow {
                    report_id: report.id,
                    at: &now().0,
                    kind,
                    status: &status,
                    agency_id,
                    message,
                },
            )?;
            storage::attach_to_event(&tx, report.id, event_id, &event.attachment_ids)?;
            let update = mail::Update {
                new_status: Some(&status).filter(|s| **s != report.status),
                agency_message: message.filter(|_| is_response),
            };
            let now_millis = chrono::Utc::now().timestamp_millis();
            mail::queue_update(&tx, &config.mail, &report, &update, now_millis)?;
            tx.commit()?;
            Ok(EventAdded {
                tracking_id: tracking.to_string(),
                status,
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    /// Reports whose title contains this text (case-insensitive); empty lists the newest.
    #[serde(default)]
    title: String,
    /// `newest` (the default) or `supporters`: the most supported first.
    #[serde(default)]
    sort: Option<String>,
}

impl QueryParams for ReportQuery {
    const NAMES: &'static [&'static str] = &["title", "sort"];
}

/// The admin list's orders by their `sort` word.
const ORDERS: [(&str, storage::AdminOrder); 2] = [
    ("newest", storage::AdminOrder::Newest),
    ("supporters", storage::AdminOrder::MostSupported),
];

/// The order `sort` names (none: the newest first); another word is a 400 naming the choices.
fn admin_order(sort: Option<&str>, locale: Locale) -> Result<storage::AdminOrder, ApiError> {
    let Some(sort) = sort else {
        return Ok(storage::AdminOrder::Newest);
    };
    ORDERS
        .iter()
        .find(|(word, _)| *word == sort)
        .map(|(_, order)| *order)
        .ok_or_else(|| {
            let detail = match locale {
                Locale::Id => "`sort` harus salah satu dari: newest, supporters.",
                Locale::En => "`sort` must be one of: newest, supporters.",
            };
            ApiError::refused(Refusal::InvalidParameters, locale).detail(detail)
        })
}

#[derive(serde::Serialize)]
pub struct ReportSummary {
    tracking_id: String,
    title: String,
    status: Status,
    submitted_at: String,
    /// Files the reporter sent with the report.
    attachments: u32,
    /// Devices supporting it ("dukung").
    supporters: u32,
}

/// How many reports the admin's list shows at most.
const LIST_LIMIT: u32 = 100;

/// Admin: at most [`LIST_LIMIT`] reports, optionally those whose title contains `title`, the
/// newest or the most supported first.
pub async fn list_reports(
    State(state): State<AppState>,
    parts: Parts,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<Vec<ReportSummary>>, ApiError> {
    authorise(&state, &parts)?;
    let order = admin_order(query.sort.as_deref(), request_locale(&parts.headers))?;
    let list = state
        .with_db(move |conn| -> Result<Vec<ReportSummary>, ApiError> {
            let rows = storage::reports_titled(conn, &query.title, order, LIST_LIMIT)?;
            Ok(rows
                .into_iter()
                .map(|row| ReportSummary {
                    tracking_id: row.tracking_id.to_string(),
                    title: row.title,
                    status: row.status,
                    submitted_at: row.submitted_at,
                    attachments: row.files,
                    supporters: row.supporters,
                })
                .collect())
        })
        .await?;
    Ok(Json(list))
}
