//! Reports: creation (idempotent), the tracking view (privacy enforced here), replies, ratings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_core::api::{
    AttachmentRef, Classification, EventKind, Field, NewRating, NewReply, NewReport, ReportCreated,
    ReportEvent, ReportView,
};
use lapor_core::calendar::{Calendar, WIB_OFFSET_MINUTES, local_date, utc_offset_minutes};
use lapor_core::permissions::{self, Refusal, ReportFacts};
use lapor_core::privacy::{self, Privacy, Viewer};
use lapor_core::tracking::{TrackingId, access_code_from_random, normalize_access_code};
use lapor_core::validation;
use lapor_core::{Locale, Status};
use rusqlite::{OptionalExtension, Transaction, params};

use super::instance::{ATTACHMENT_MAX_FILES, TIME_ZONE, instance_info};
use super::{check_rate, now, random_u64, secret_allowed, secret_failed, secret_succeeded};
use crate::AppState;
use crate::idempotency::{Idempotent, Replay};
use crate::problem::{ApiError, ApiJson, request_locale};
use crate::secrets;

use lapor_core::api::headers::{ACCESS_CODE, IDEMPOTENCY_KEY};

/// Minutes east of UTC of the instance's time zone.
pub(crate) fn offset() -> i32 {
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

/// 409 for an action the rules in `core::permissions` do not allow now, in the request's
/// language (the app shows the same message before it even offers the form).
fn refused(refusal: Refusal, locale: Locale) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, refusal.title()).detail(refusal.message(locale))
}

fn conflict() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "Idempotency-Key reused")
        .detail("This Idempotency-Key was already used with a different request body.")
}

fn unknown(field: Field, locale: Locale) -> lapor_core::api::FieldError {
    validation::Violation {
        field,
        rule: validation::Rule::Unknown,
    }
    .to_field_error(locale)
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
    let idempotent = Idempotent::new(
        "report",
        &key,
        &serde_json::to_vec(&report).map_err(ApiError::internal)?,
    );

    reject(
        &validation::validate_report(&report, today(), ATTACHMENT_MAX_FILES),
        locale,
    )?;
    // 507 rather than a full disk (`--min-free-disk`).
    let (data_dir, min_free) = (&state.config.data_dir, state.config.min_free_disk_bytes);
    crate::quota::ensure_free_disk(data_dir, min_free, locale)?;
    // The reporter's identity of an anonymous report is never stored.
    if report.anonymous {
        report.reporter = None;
    }
    for text in [&mut report.title, &mut report.body] {
        *text = text.trim().to_owned();
    }
    // Hashed before the database is locked: Argon2 is slow on purpose.
    let access_code = access_code_from_random(random_u64());
    let access_hash = {
        let code = normalize_access_code(&access_code).expect("generated codes are valid");
        tokio::task::spawn_blocking(move || secrets::hash_access_code(&code))
            .await
            .map_err(ApiError::internal)?
    };

    state
        .with_db(move |conn| -> Result<ReportCreated, ApiError> {
            let tx = conn.transaction()?;
            match idempotent.earlier(&tx)? {
                Some(Replay::Same(body)) => {
                    return serde_json::from_str(&body).map_err(ApiError::internal);
                }
                Some(Replay::Conflict) => return Err(conflict()),
                None => {}
            }
            let mut unknowns = Vec::new();
            let location = report.location.clone().unwrap_or_default();
            if !exists(
                &tx,
                "SELECT EXISTS (SELECT 1 FROM regions WHERE code = ?1)",
                &location.region_id,
            )? {
                unknowns.push(unknown(Field::RegionId, locale));
            }
            if !exists(
                &tx,
                "SELECT EXISTS (SELECT 1 FROM agencies WHERE id = ?1)",
                &report.agency_id,
            )? {
                unknowns.push(unknown(Field::AgencyId, locale));
            }
            if !exists(
                &tx,
                "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?1)",
                &report.category_id,
            )? {
                unknowns.push(unknown(Field::CategoryId, locale));
            }
            for id in &report.attachment_ids {
                let free: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM attachments WHERE id = ?1 AND report_id IS NULL)",
                    [id],
                    |r| r.get(0),
                )?;
                if !free {
                    unknowns.push(unknown(Field::AttachmentIds, locale));
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
                "INSERT INTO events (report_id, at, kind, status) VALUES (?1, ?2, ?3, ?4)",
                params![
                    report_id,
                    submitted_at,
                    EventKind::Status.code(),
                    Status::Received.code()
                ],
            )?;
            for id in &report.attachment_ids {
                tx.execute(
                    "UPDATE attachments SET report_id = ?1 WHERE id = ?2",
                    params![report_id, id],
                )?;
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
            idempotent.record(&tx, 201, &body)?;
            tx.commit()?;
            Ok(created)
        })
        .await
}

#[derive(Clone)]
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

impl StoredReport {
    fn privacy(&self) -> Privacy {
        Privacy {
            anonymous: self.anonymous,
            confidential: self.confidential,
        }
    }
}

/// What the `X-Access-Code` header says about a report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    None,
    Granted,
    Wrong,
}

/// Checks the `X-Access-Code` header against the stored hash, off the database lock (Argon2
/// takes tens of milliseconds on purpose). Wrong codes back off per client and per report
/// (`secret_allowed`): guessing is throttled even across many tracking numbers.
async fn access(
    state: &AppState,
    parts: &Parts,
    report: &StoredReport,
) -> Result<Access, ApiError> {
    let Some(raw) = parts.headers.get(ACCESS_CODE) else {
        return Ok(Access::None);
    };
    let target = report.tracking_id.as_str();
    secret_allowed(state, parts, target)?;
    let matches = match raw.to_str().ok().and_then(normalize_access_code) {
        None => false,
        Some(code) => {
            let stored = report.access_hash.clone();
            tokio::task::spawn_blocking(move || secrets::verify_access_code(&code, &stored))
                .await
                .map_err(ApiError::internal)?
        }
    };
    if matches {
        secret_succeeded(state, parts, target);
        Ok(Access::Granted)
    } else {
        secret_failed(state, parts, target);
        Ok(Access::Wrong)
    }
}

fn wrong_code() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "Wrong access code")
        .detail("The access code does not match this report.")
}

async fn require_access(
    state: &AppState,
    parts: &Parts,
    report: &StoredReport,
) -> Result<(), ApiError> {
    match access(state, parts, report).await? {
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

/// The tracking view of `report` as `viewer` may see it: the whole view is built, then cut by
/// the privacy rule in `core` (`privacy::redact`), the only place that decides.
fn view(
    conn: &rusqlite::Connection,
    report: StoredReport,
    viewer: Viewer,
) -> Result<ReportView, ApiError> {
    let disclosure = privacy::disclosure(report.privacy(), viewer);
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
        let attachments = files
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
            .collect::<rusqlite::Result<Vec<_>>>()?;
        events.push(ReportEvent {
            at,
            status: Status::from_code(&status),
            agency,
            message,
            kind: EventKind::from_code(&kind),
            attachments,
        });
    }
    let status = Status::from_code(&report.status);
    let due_date: chrono::NaiveDate = report.due_date.parse().map_err(ApiError::internal)?;
    let whole = ReportView {
        tracking_id: TrackingId::parse(&report.tracking_id)
            .map_err(|_| ApiError::internal("bad id"))?
            .to_string(),
        overdue: !status.is_final() && today() > due_date,
        status,
        classification: Some(
            Classification::from_code(&report.classification)
                .ok_or_else(|| ApiError::internal("bad classification"))?,
        ),
        agency: report.agency,
        category: report.category,
        submitted_at: Some(report.submitted_at),
        due_date: Some(due_date),
        due_date_estimate: report.due_estimate,
        confidential: report.confidential,
        anonymous: report.anonymous,
        details_visible: true,
        title: Some(report.title),
        body: Some(report.body),
        rating: report.rating,
        events,
    };
    Ok(privacy::redact(whole, disclosure))
}

/// A tracking view with the caching it allows: a view fetched with an access code, or one that
/// shows a confidential report's details, is never stored by a browser, a worker or a proxy;
/// and the answer depends on the code, so caches must key on it.
fn view_response(
    status: StatusCode,
    view: ReportView,
    privacy: Privacy,
    code_sent: bool,
) -> Response {
    let viewer = if view.details_visible && privacy.confidential {
        Viewer::CodeHolder
    } else {
        Viewer::Public
    };
    let private = code_sent || privacy::disclosure(privacy, viewer).is_private(privacy);
    let cache = if private { "no-store" } else { "no-cache" };
    (
        status,
        [(header::CACHE_CONTROL, cache), (header::VARY, ACCESS_CODE)],
        Json(view),
    )
        .into_response()
}

pub async fn get_report(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
) -> Result<Response, ApiError> {
    let tracking = parse_tracking(&tracking)?;
    let report = state.with_db(move |conn| load(conn, &tracking)).await?;
    let privacy = report.privacy();
    let viewer = match access(&state, &parts, &report).await? {
        Access::Wrong => return Err(wrong_code()),
        Access::Granted => Viewer::CodeHolder,
        Access::None => Viewer::Public,
    };
    let view = state
        .with_db(move |conn| view(conn, report, viewer))
        .await?;
    Ok(view_response(
        StatusCode::OK,
        view,
        privacy,
        parts.headers.contains_key(ACCESS_CODE),
    ))
}

/// Shared steps of replies and ratings: rate limit, access code, idempotency, one transaction.
async fn act<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    parts: Parts,
    tracking: String,
    scope: &'static str,
    body: &T,
    apply: impl FnOnce(&Transaction, &StoredReport, &ReportFacts, Locale) -> Result<(), ApiError>
    + Send
    + 'static,
) -> Result<Response, ApiError> {
    check_rate(state, &parts)?;
    let tracking = parse_tracking(&tracking)?;
    let key = idempotency_key(&parts.headers, false)?;
    let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let locale = request_locale(&parts.headers);
    let lookup = tracking;
    let report = state.with_db(move |conn| load(conn, &lookup)).await?;
    require_access(state, &parts, &report).await?;
    let privacy = report.privacy();
    let view = state
        .with_db(move |conn| -> Result<ReportView, ApiError> {
            let tx = conn.transaction()?;
            let report = load(&tx, &tracking)?;
            let idempotent = key
                .map(|key| Idempotent::new(format!("{scope}:{}", report.tracking_id), &key, &body));
            let replayed = match idempotent.as_ref().map(|i| i.earlier(&tx)).transpose()? {
                Some(Some(Replay::Conflict)) => return Err(conflict()),
                Some(Some(Replay::Same(_))) => true,
                _ => false,
            };
            if !replayed {
                let whole = view(&tx, report.clone(), Viewer::CodeHolder)?;
                let facts = ReportFacts::of_view(&whole, offset());
                apply(&tx, &report, &facts, locale)?;
                if let Some(idempotent) = &idempotent {
                    idempotent.record(&tx, 201, "{}")?;
                }
            }
            tx.commit()?;
            let report = load(conn, &tracking)?;
            view(conn, report, Viewer::CodeHolder)
        })
        .await?;
    Ok(view_response(StatusCode::CREATED, view, privacy, true))
}

pub async fn reply(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(reply): ApiJson<NewReply>,
) -> Result<Response, ApiError> {
    reject(
        &validation::validate_reply(&reply),
        request_locale(&parts.headers),
    )?;
    let message = reply.message.trim().to_owned();
    act(
        &state,
        parts,
        tracking,
        "reply",
        &reply,
        move |tx, report, facts, locale| {
            permissions::can_reply(facts, today(), &calendar(), &instance_info().sla)
                .map_err(|r| refused(r, locale))?;
            tx.execute(
            "INSERT INTO events (report_id, at, kind, status, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![report.id, now().0, EventKind::Reply.code(), report.status, message],
        )?;
            Ok(())
        },
    )
    .await
}

pub async fn rate(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(rating): ApiJson<NewRating>,
) -> Result<Response, ApiError> {
    reject(
        &validation::validate_rating(&rating),
        request_locale(&parts.headers),
    )?;
    let body = rating.clone();
    act(
        &state,
        parts,
        tracking,
        "rating",
        &body,
        move |tx, report, facts, locale| {
            permissions::can_rate(facts).map_err(|r| refused(r, locale))?;
            let comment = rating
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            tx.execute(
                "UPDATE reports SET rating = ?1, rating_comment = ?2 WHERE id = ?3",
                params![rating.stars, comment, report.id],
            )?;
            tx.execute(
            "INSERT INTO events (report_id, at, kind, status, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![report.id, now().0, EventKind::Rating.code(), report.status, comment],
        )?;
            Ok(())
        },
    )
    .await
}
