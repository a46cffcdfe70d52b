//! Reports: creation (idempotent), the tracking view (privacy enforced here), replies, ratings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use lapor_core::api::{
    AttachmentRef, Classification, NewRating, NewReply, NewReport, ReportCreated, ReportEvent,
    ReportView,
};
use lapor_core::calendar::{Calendar, WIB_OFFSET_MINUTES, local_date, utc_offset_minutes};
use lapor_core::tracking::{TrackingId, access_code_from_random, normalize_access_code};
use lapor_core::validation;
use lapor_core::{Locale, Status};
use rusqlite::{OptionalExtension, Transaction, params};

use super::instance::{ATTACHMENT_MAX_FILES, TIME_ZONE, instance_info};
use super::{check_rate, now, random_u64, sha256_hex};
use crate::AppState;
use crate::problem::{ApiError, ApiJson, request_locale};

const IDEMPOTENCY_KEY: &str = "idempotency-key";
const ACCESS_CODE: &str = "x-access-code";

fn offset() -> i32 {
    utc_offset_minutes(TIME_ZONE).unwrap_or(WIB_OFFSET_MINUTES)
}

fn calendar() -> Calendar {
    Calendar::from_years(&instance_info().calendar)
}

fn today() -> chrono::NaiveDate {
    local_date(now().1, offset())
}

fn idempotency_key(headers: &HeaderMap, required: bool) -> Result<Option<String>, ApiError> {
    match headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().map(str::trim))
    {
        Some(Ok(key)) if !key.is_empty() && key.len() <= 200 => Ok(Some(key.to_owned())),
        None if !required => Ok(None),
        _ => Err(
            ApiError::new(StatusCode::BAD_REQUEST, "Idempotency-Key required").detail(
                "Send a unique Idempotency-Key header (1 to 200 characters) with every new report.",
            ),
        ),
    }
}

/// A stored answer to a request made earlier with the same key.
enum Replay {
    Same(String),
    Conflict,
}

fn replay(
    tx: &Transaction,
    scope: &str,
    key: &str,
    hash: &str,
) -> rusqlite::Result<Option<Replay>> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT request_hash, response FROM idempotency WHERE scope = ?1 AND key = ?2",
            params![scope, key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(stored, response)| {
        if stored == hash {
            Replay::Same(response)
        } else {
            Replay::Conflict
        }
    }))
}

fn remember(
    tx: &Transaction,
    scope: &str,
    key: &str,
    hash: &str,
    status: u16,
    response: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM idempotency WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')",
        [],
    )?;
    tx.execute(
        "INSERT INTO idempotency (scope, key, request_hash, status, response, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![scope, key, hash, status, response, now().0],
    )?;
    Ok(())
}

/// 422 with every violated rule as a field error, in the request's language.
fn reject(violations: &[validation::Violation], locale: Locale) -> Result<(), ApiError> {
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(validation::to_field_errors(
            violations, locale,
        )))
    }
}

fn conflict() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "Idempotency-Key reused")
        .detail("This Idempotency-Key was already used with a different request body.")
}

fn unknown(field: &'static str, locale: Locale) -> lapor_core::api::FieldError {
    lapor_core::api::FieldError {
        field: field.into(),
        code: "unknown".into(),
        message: match locale {
            Locale::Id => "Pilihan ini tidak dikenal. Pilih lagi dari daftar.".into(),
            Locale::En => "This choice is not known. Choose again from the list.".into(),
        },
    }
}

fn exists(tx: &Transaction, sql: &str, id: &Option<String>) -> rusqlite::Result<bool> {
    match id {
        None => Ok(true),
        Some(id) => tx.query_row(sql, [id], |r| r.get(0)),
    }
}

pub async fn create(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(report): ApiJson<NewReport>,
) -> Result<(StatusCode, Json<ReportCreated>), ApiError> {
    check_rate(&state, &parts)?;
    let key = idempotency_key(&parts.headers, true)?.expect("required");
    let locale = report
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| request_locale(&parts.headers));
    let created = store(&state, report, key, locale).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Validates and stores a new report once per idempotency key: the native `POST /reports`
/// and the Open311 dialect's `POST requests` both end here.
pub(crate) async fn store(
    state: &AppState,
    mut report: NewReport,
    key: String,
    locale: Locale,
) -> Result<ReportCreated, ApiError> {
    let hash = sha256_hex(&serde_json::to_vec(&report).map_err(ApiError::internal)?);

    reject(
        &validation::validate_report(&report, today(), ATTACHMENT_MAX_FILES),
        locale,
    )?;
    // The reporter's identity of an anonymous report is never stored.
    if report.anonymous {
        report.reporter = None;
    }
    for text in [&mut report.title, &mut report.body] {
        *text = text.trim().to_owned();
    }

    state
        .with_db(move |conn| -> Result<ReportCreated, ApiError> {
            let tx = conn.transaction()?;
            match replay(&tx, "report", &key, &hash)? {
                Some(Replay::Same(body)) => {
                    return serde_json::from_str(&body).map_err(ApiError::internal);
                }
                Some(Replay::Conflict) => return Err(conflict()),
                None => {}
            }
            let mut unknowns = Vec::new();
            let location = report.location.clone().unwrap_or_default();
            if !exists(&tx, "SELECT EXISTS (SELECT 1 FROM regions WHERE code = ?1)", &location.region_id)? {
                unknowns.push(unknown("location.region_id", locale));
            }
            if !exists(&tx, "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?1)", &report.agency_id)? {
                unknowns.push(unknown("agency_id", locale));
            }
            if !exists(&tx, "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)", &report.category_id)? {
                unknowns.push(unknown("category_id", locale));
            }
            for id in &report.attachment_ids {
                let free: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM attachments WHERE id = ?1 AND report_id IS NULL)",
                    [id],
                    |r| r.get(0),
                )?;
                if !free {
                    unknowns.push(unknown("attachment_ids", locale));
                    break;
                }
            }
            if !unknowns.is_empty() {
                return Err(ApiError::validation(unknowns));
            }

            let (submitted_at, unix) = now();
            let sla = instance_info().sla;
            let days = sla.resolution_days(report.classification, report.field_inspection);
            let due = calendar().add_working_days(local_date(unix, offset()), days);
            let access_code = access_code_from_random(random_u64());
            let access_hash = sha256_hex(normalize_access_code(&access_code).expect("valid").as_bytes());
            let reporter = report.reporter.clone().unwrap_or_default();
            let tracking = loop {
                let candidate = TrackingId::from_random(random_u64() >> 24).compact();
                let taken: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM reports WHERE tracking_id = ?1)",
                    [&candidate],
                    |r| r.get(0),
                )?;
                if !taken {
                    break candidate;
                }
            };
            tx.execute(
                "INSERT INTO reports (tracking_id, access_hash, classification, title, body,
                   incident_date, region_id, location_text, lat, lon, agency_id, category_id,
                   field_inspection, anonymous, confidential, reporter_name, reporter_email,
                   reporter_phone, locale, status, submitted_at, due_date, due_estimate)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                   ?17, ?18, ?19, 'received', ?20, ?21, ?22)",
                params![
                    tracking,
                    access_hash,
                    report.classification.code(),
                    report.title,
                    report.body,
                    report.incident_date.map(|d| d.to_string()),
                    location.region_id,
                    location.text,
                    location.lat,
                    location.lon,
                    report.agency_id,
                    report.category_id,
                    report.field_inspection,
                    report.anonymous,
                    report.confidential,
                    reporter.name,
                    reporter.email,
                    reporter.phone,
                    locale.tag(),
                    submitted_at,
                    due.date.to_string(),
                    due.estimate,
                ],
            )?;
            let report_id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO events (report_id, at, kind, status) VALUES (?1, ?2, 'status', 'received')",
                params![report_id, submitted_at],
            )?;
            for id in &report.attachment_ids {
                tx.execute("UPDATE attachments SET report_id = ?1 WHERE id = ?2", params![report_id, id])?;
            }
            let created = ReportCreated {
                tracking_id: TrackingId::parse(&tracking).expect("generated").to_string(),
                access_code,
                status: Status::Received,
                submitted_at,
                due_date: due.date,
                due_date_estimate: due.estimate,
            };
            let body = serde_json::to_string(&created).map_err(ApiError::internal)?;
            remember(&tx, "report", &key, &hash, 201, &body)?;
            tx.commit()?;
            Ok(created)
        })
        .await
}

struct StoredReport {
    id: i64,
    tracking_id: String,
    access_hash: String,
    classification: String,
    title: String,
    body: String,
    agency: Option<String>,
    category: Option<String>,
    anonymous: bool,
    confidential: bool,
    status: String,
    submitted_at: String,
    due_date: String,
    due_estimate: bool,
    rating: Option<u8>,
}

fn load(tx: &rusqlite::Connection, tracking: &TrackingId) -> Result<StoredReport, ApiError> {
    tx.query_row(
        "SELECT r.id, r.tracking_id, r.access_hash, r.classification, r.title, r.body, a.name,
                c.name_id, r.anonymous, r.confidential, r.status, r.submitted_at, r.due_date,
                r.due_estimate, r.rating
         FROM reports r LEFT JOIN agencies a ON a.id = r.agency_id
         LEFT JOIN categories c ON c.id = r.category_id WHERE r.tracking_id = ?1",
        [tracking.compact()],
        |r| {
            Ok(StoredReport {
                id: r.get(0)?,
                tracking_id: r.get(1)?,
                access_hash: r.get(2)?,
                classification: r.get(3)?,
                title: r.get(4)?,
                body: r.get(5)?,
                agency: r.get(6)?,
                category: r.get(7)?,
                anonymous: r.get(8)?,
                confidential: r.get(9)?,
                status: r.get(10)?,
                submitted_at: r.get(11)?,
                due_date: r.get(12)?,
                due_estimate: r.get(13)?,
                rating: r.get(14)?,
            })
        },
    )
    .optional()?
    .ok_or_else(ApiError::report_not_found)
}

/// What the `X-Access-Code` header says about a report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    None,
    Granted,
    Wrong,
}

fn access(headers: &HeaderMap, report: &StoredReport) -> Access {
    match headers.get(ACCESS_CODE).and_then(|v| v.to_str().ok()) {
        None => Access::None,
        Some(code) => match normalize_access_code(code) {
            Some(code) if sha256_hex(code.as_bytes()) == report.access_hash => Access::Granted,
            _ => Access::Wrong,
        },
    }
}

fn wrong_code() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "Wrong access code")
        .detail("The access code does not match this report.")
}

fn require_access(headers: &HeaderMap, report: &StoredReport) -> Result<(), ApiError> {
    match access(headers, report) {
        Access::Granted => Ok(()),
        Access::Wrong => Err(wrong_code()),
        Access::None => Err(
            ApiError::new(StatusCode::UNAUTHORIZED, "Access code required")
                .detail("Send the report's access code in the X-Access-Code header."),
        ),
    }
}

fn parse_tracking(raw: &str) -> Result<TrackingId, ApiError> {
    TrackingId::parse(raw).map_err(|_| ApiError::report_not_found())
}

fn view(
    conn: &rusqlite::Connection,
    report: StoredReport,
    access: Access,
) -> Result<ReportView, ApiError> {
    let details = !report.confidential || access == Access::Granted;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.at, e.status, a.name, e.message, e.kind FROM events e
         LEFT JOIN agencies a ON a.id = e.agency_id WHERE e.report_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt
        .query_map([report.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut files = conn.prepare(
        "SELECT id, filename, content_type, size FROM attachments WHERE event_id = ?1 ORDER BY created_at",
    )?;
    let mut events = Vec::with_capacity(rows.len());
    for (id, at, status, agency, message, kind) in rows {
        let attachments = if details {
            files
                .query_map([id], |r| {
                    let id: String = r.get(0)?;
                    Ok(AttachmentRef {
                        url: format!("{}/attachments/{id}", lapor_core::api::API_PREFIX),
                        id,
                        filename: r.get(1)?,
                        content_type: r.get(2)?,
                        size: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        events.push(ReportEvent {
            at,
            status: Status::from_code(&status),
            agency: if details { agency } else { None },
            message: if details { message } else { None },
            kind,
            attachments,
        });
    }
    let status = Status::from_code(&report.status);
    let due_date: chrono::NaiveDate = report.due_date.parse().map_err(ApiError::internal)?;
    Ok(ReportView {
        tracking_id: TrackingId::parse(&report.tracking_id)
            .map_err(|_| ApiError::internal("bad id"))?
            .to_string(),
        overdue: !status.is_final() && today() > due_date,
        status,
        classification: Classification::from_code(&report.classification)
            .ok_or_else(|| ApiError::internal("bad classification"))?,
        agency: report.agency.filter(|_| details),
        category: report.category.filter(|_| details),
        submitted_at: report.submitted_at,
        due_date,
        due_date_estimate: report.due_estimate,
        confidential: report.confidential,
        anonymous: report.anonymous,
        details_visible: details,
        title: details.then_some(report.title),
        body: details.then_some(report.body),
        rating: report.rating,
        events,
    })
}

pub async fn get_report(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    headers: HeaderMap,
) -> Result<Json<ReportView>, ApiError> {
    let tracking = parse_tracking(&tracking)?;
    let view = state
        .with_db(move |conn| {
            let report = load(conn, &tracking)?;
            let access = access(&headers, &report);
            if access == Access::Wrong {
                return Err(wrong_code());
            }
            view(conn, report, access)
        })
        .await?;
    Ok(Json(view))
}

/// Shared steps of replies and ratings: rate limit, access code, idempotency, one transaction.
async fn act<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    parts: Parts,
    tracking: String,
    scope: &'static str,
    body: &T,
    apply: impl FnOnce(&Transaction, &StoredReport, Locale) -> Result<(), ApiError> + Send + 'static,
) -> Result<(StatusCode, Json<ReportView>), ApiError> {
    check_rate(state, &parts)?;
    let tracking = parse_tracking(&tracking)?;
    let key = idempotency_key(&parts.headers, false)?;
    let hash = sha256_hex(&serde_json::to_vec(body).map_err(ApiError::internal)?);
    let locale = request_locale(&parts.headers);
    let headers = parts.headers;
    let view = state
        .with_db(move |conn| -> Result<ReportView, ApiError> {
            let tx = conn.transaction()?;
            let report = load(&tx, &tracking)?;
            require_access(&headers, &report)?;
            let scope = format!("{scope}:{}", report.tracking_id);
            let replayed = match &key {
                Some(key) => match replay(&tx, &scope, key, &hash)? {
                    Some(Replay::Conflict) => return Err(conflict()),
                    Some(Replay::Same(_)) => true,
                    None => false,
                },
                None => false,
            };
            if !replayed {
                apply(&tx, &report, locale)?;
                if let Some(key) = &key {
                    remember(&tx, &scope, key, &hash, 201, "{}")?;
                }
            }
            tx.commit()?;
            let report = load(conn, &tracking)?;
            view(conn, report, Access::Granted)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn reply(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(reply): ApiJson<NewReply>,
) -> Result<(StatusCode, Json<ReportView>), ApiError> {
    reject(
        &validation::validate_reply(&reply),
        request_locale(&parts.headers),
    )?;
    let message = reply.message.trim().to_owned();
    act(&state, parts, tracking, "reply", &reply, move |tx, report, _| {
        let last_response: Option<String> = tx
            .query_row(
                "SELECT at FROM events WHERE report_id = ?1 AND kind = 'response' ORDER BY id DESC LIMIT 1",
                [report.id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(at) = last_response else {
            return Err(ApiError::new(StatusCode::CONFLICT, "Nothing to reply to")
                .detail("A reply answers an agency's response; this report has none yet."));
        };
        let responded = chrono::DateTime::parse_from_rfc3339(&at).map_err(ApiError::internal)?;
        let window = instance_info().sla.reply_window_days;
        let deadline = calendar().add_working_days(local_date(responded.timestamp(), offset()), window);
        if today() > deadline.date {
            return Err(ApiError::new(StatusCode::CONFLICT, "Reply window closed")
                .detail(format!("Replies are possible for {window} working days after a response.")));
        }
        tx.execute(
            "INSERT INTO events (report_id, at, kind, status, message) VALUES (?1, ?2, 'reply', ?3, ?4)",
            params![report.id, now().0, report.status, message],
        )?;
        Ok(())
    })
    .await
}

pub async fn rate(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(rating): ApiJson<NewRating>,
) -> Result<(StatusCode, Json<ReportView>), ApiError> {
    reject(
        &validation::validate_rating(&rating),
        request_locale(&parts.headers),
    )?;
    let body = rating.clone();
    act(&state, parts, tracking, "rating", &body, move |tx, report, locale| {
        let status = Status::from_code(&report.status);
        if !matches!(status, Status::Resolved | Status::Closed) {
            return Err(ApiError::new(StatusCode::CONFLICT, "Not resolved yet")
                .detail("A report can be rated once it is resolved."));
        }
        if report.rating.is_some() {
            return Err(ApiError::new(StatusCode::CONFLICT, "Already rated").detail(match locale {
                Locale::Id => "Laporan ini sudah dinilai.",
                Locale::En => "This report has been rated already.",
            }));
        }
        let comment = rating.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
        tx.execute(
            "UPDATE reports SET rating = ?1, rating_comment = ?2 WHERE id = ?3",
            params![rating.stars, comment, report.id],
        )?;
        tx.execute(
            "INSERT INTO events (report_id, at, kind, status, message) VALUES (?1, ?2, 'rating', ?3, ?4)",
            params![report.id, now().0, report.status, comment],
        )?;
        Ok(())
    })
    .await
}
