//! The admin path: move a report through its lifecycle with a message, so that demos and tests
//! can show progress. Needs `Authorization: Bearer <LAPOR_ADMIN_TOKEN>`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use lapor_core::api::EventKind;
use lapor_core::tracking::TrackingId;
use lapor_core::{Locale, Status};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;

use super::{ADMIN_TARGET, now, secret_allowed, secret_failed, secret_succeeded};
use crate::AppState;
use crate::problem::{ApiError, ApiJson, ApiQuery, QueryParams, request_locale};

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
    let locale = request_locale(&parts.headers);
    let refused = || {
        let title = match locale {
            Locale::Id => "Token admin diperlukan",
            Locale::En => "Admin token required",
        };
        ApiError::new(StatusCode::UNAUTHORIZED, title)
    };
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

pub async fn add_event(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(event): ApiJson<NewEvent>,
) -> Result<(StatusCode, Json<EventAdded>), ApiError> {
    authorise(&state, &parts)?;
    let tracking = TrackingId::parse(&tracking).map_err(|_| ApiError::report_not_found())?;
    let added = state
        .with_db(move |conn| -> Result<EventAdded, ApiError> {
            let tx = conn.transaction()?;
            let (id, current): (i64, String) = tx
                .query_row(
                    "SELECT id, status FROM reports WHERE tracking_id = ?1",
                    [tracking.compact()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(ApiError::report_not_found)?;
            let current = Status::from_code(&current);
            let message = event.message.as_deref().map(str::trim).filter(|m| !m.is_empty());
            let (status, kind) = match &event.status {
                Some(next) if next != &current || next == &Status::Forwarded => {
                    if !current.can_move_to(next) {
                        return Err(ApiError::new(StatusCode::CONFLICT, "Transition not allowed")
                            .detail(format!("A report cannot move from {} to {}.", current.code(), next.code())));
                    }
                    (
                        next.clone(),
                        if message.is_some() { EventKind::Response } else { EventKind::Status },
                    )
                }
                _ if message.is_some() => (current.clone(), EventKind::Response),
                _ => {
                    return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Nothing to record")
                        .detail("Send a new status, a message, or both."));
                }
            };
            if let Some(agency) = &event.agency_id {
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?1)",
                    [agency],
                    |r| r.get(0),
                )?;
                if !known {
                    return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Unknown agency"));
                }
                if status == Status::Forwarded {
                    tx.execute("UPDATE reports SET agency_id = ?1 WHERE id = ?2", params![agency, id])?;
                }
            }
            tx.execute("UPDATE reports SET status = ?1 WHERE id = ?2", params![status.code(), id])?;
            tx.execute(
                "INSERT INTO events (report_id, at, kind, status, agency_id, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, now().0, kind.code(), status.code(), event.agency_id, message],
            )?;
            let event_id = tx.last_insert_rowid();
            for attachment in &event.attachment_ids {
                tx.execute(
                    "UPDATE attachments SET event_id = ?1, report_id = ?2 WHERE id = ?3 AND report_id IS NULL",
                    params![event_id, id, attachment],
                )?;
            }
            tx.commit()?;
            Ok(EventAdded { tracking_id: tracking.to_string(), status })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    /// Reports whose title contains this text (case-insensitive); empty lists the newest.
    #[serde(default)]
    title: String,
}

impl QueryParams for ReportQuery {
    const NAMES: &'static [&'static str] = &["title"];
}

#[derive(serde::Serialize)]
pub struct ReportSummary {
    tracking_id: String,
    title: String,
    status: Status,
    submitted_at: String,
    /// Files the reporter sent with the report.
    attachments: u32,
}

/// Admin: the newest reports (at most 100), optionally those whose title contains `title`.
pub async fn list_reports(
    State(state): State<AppState>,
    parts: Parts,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<Vec<ReportSummary>>, ApiError> {
    authorise(&state, &parts)?;
    let pattern = format!(
        "%{}%",
        query
            .title
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let list = state
        .with_db(move |conn| -> Result<Vec<ReportSummary>, ApiError> {
            let mut statement = conn.prepare(
                "SELECT tracking_id, title, status, submitted_at,
                   (SELECT COUNT(*) FROM attachments a WHERE a.report_id = reports.id AND a.event_id IS NULL)
                 FROM reports
                 WHERE title LIKE ?1 ESCAPE '\\' ORDER BY id DESC LIMIT 100",
            )?;
            let rows = statement.query_map([pattern], |r| {
                let tracking: String = r.get(0)?;
                let status: String = r.get(2)?;
                Ok(ReportSummary {
                    tracking_id: TrackingId::parse(&tracking)
                        .map(|t| t.to_string())
                        .unwrap_or(tracking),
                    title: r.get(1)?,
                    status: Status::from_code(&status),
                    submitted_at: r.get(3)?,
                    attachments: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    Ok(Json(list))
}
