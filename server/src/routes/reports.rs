//! Reports: creation (idempotent), the tracking view (privacy enforced here), replies, ratings,
//! disputes ("belum selesai").
//! Each handler names its steps; what is stored, and how, is `crate::storage`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lapor_core::api::{
    AttachmentRef, EventKind, NewDispute, NewRating, NewReply, NewReport, ReportCreated,
    ReportEvent, ReportView,
};
use lapor_core::calendar::{Calendar, DueDate, WIB_OFFSET_MINUTES, local_date, utc_offset_minutes};
use lapor_core::permissions::{self, ReportFacts};
use lapor_core::privacy::{self, Privacy, Viewer};
use lapor_core::refusal::Refusal;
use lapor_core::tracking::{TrackingId, access_code_from_random, normalize_access_code};
use lapor_core::validation::{self, Rule, Violation};
use lapor_core::{Locale, Status};
use rusqlite::{Connection, Transaction};

use super::instance::{ATTACHMENT_MAX_FILES, TIME_ZONE, instance_info};
use super::{check_rate, now, random_u64, secret_allowed, secret_failed, secret_succeeded};
use crate::AppState;
use crate::idempotency::{Idempotent, Replay};
use crate::problem::{ApiError, ApiJson, request_locale};
use crate::storage::{self, EventRow, FileRow, NewEventRow, NewReportRow, ReportRow};
use crate::{quota, secrets};

use lapor_core::api::headers::{ACCESS_CODE, IDEMPOTENCY_KEY};

/// Minutes east of UTC of the instance's time zone.
pub(crate) fn offset() -> i32 {
    utc_offset_minutes(TIME_ZONE).unwrap_or(WIB_OFFSET_MINUTES)
}

pub(crate) fn calendar() -> Calendar {
    Calendar::from_years(&instance_info().calendar)
}

pub(crate) fn today() -> chrono::NaiveDate {
    local_date(now().1, offset())
}

/// Whether a report in `status`, due on `due`, is late on `today`: a final status never is.
/// The tracking view and the public list both ask this.
pub(crate) fn overdue(status: &Status, due: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    !status.is_final() && today > due
}

/// The request's `Idempotency-Key` (1 to 200 characters); 400 when `required` and missing.
fn idempotency_key(
    headers: &HeaderMap,
    required: bool,
    locale: Locale,
) -> Result<Option<String>, ApiError> {
    match headers
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().map(str::trim))
    {
        Some(Ok(key)) if !key.is_empty() && key.len() <= 200 => Ok(Some(key.to_owned())),
        None if !required => Ok(None),
        _ => Err(ApiError::refused(Refusal::IdempotencyKeyRequired, locale)),
    }
}

/// Ok when nothing is wrong; else 422 with every violated rule as a field error, in the
/// request's language.
fn ensure_no_violations(violations: &[Violation], locale: Locale) -> Result<(), ApiError> {
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(
            validation::to_field_errors(violations, locale),
            locale,
        ))
    }
}

/// 409 for an action the rules in `core::permissions` do not allow now, in the request's
/// language (the app shows the same message before it even offers the form).
fn not_allowed_now(refusal: permissions::Refusal, locale: Locale) -> ApiError {
    ApiError::refused(Refusal::NotAllowedNow(refusal), locale)
}

/// The answer recorded for an earlier request with the same idempotency key, if any; 409 if
/// that request had another body.
fn earlier_answer(
    idempotent: &Idempotent,
    conn: &Connection,
    locale: Locale,
) -> Result<Option<String>, ApiError> {
    match idempotent.earlier(conn)? {
        Some(Replay::Same(answer)) => Ok(Some(answer)),
        Some(Replay::Conflict) => Err(ApiError::refused(Refusal::IdempotencyKeyReused, locale)),
        None => Ok(None),
    }
}

pub async fn create(
    State(state): State<AppState>,
    parts: Parts,
    ApiJson(report): ApiJson<NewReport>,
) -> Result<(StatusCode, Json<ReportCreated>), ApiError> {
    check_rate(&state, &parts)?;
    let locale = report
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| request_locale(&parts.headers));
    let key = idempotency_key(&parts.headers, true, locale)?.expect("required");
    let created = store(&state, report, key, locale).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Validates and stores a new report once per idempotency key: the native `POST /reports`
/// and the Open311 dialect's `POST requests` both end here.
pub(crate) async fn store(
    state: &AppState,
    report: NewReport,
    key: String,
    locale: Locale,
) -> Result<ReportCreated, ApiError> {
    let idempotent = Idempotent::new(
        "report",
        &key,
        &serde_json::to_vec(&report).map_err(ApiError::internal)?,
    );
    ensure_no_violations(
        &validation::validate_report(&report, today(), ATTACHMENT_MAX_FILES),
        locale,
    )?;
    // 507 rather than a full disk (`--min-free-disk`).
    let (data_dir, min_free) = (&state.config.data_dir, state.config.min_free_disk_bytes);
    quota::ensure_free_disk(data_dir, min_free, locale)?;
    let report = normalised(report);
    let (access_code, access_hash) = new_access_code().await?;
    state
        .with_db(move |conn| -> Result<ReportCreated, ApiError> {
            let tx = conn.transaction()?;
            if let Some(answer) = earlier_answer(&idempotent, &tx, locale)? {
                return serde_json::from_str(&answer).map_err(ApiError::internal);
            }
            ensure_references_known(&tx, &report, locale)?;
            let created = insert_new_report(&tx, &report, access_code, &access_hash, locale)?;
            let answer = serde_json::to_string(&created).map_err(ApiError::internal)?;
            idempotent.record(&tx, 201, &answer)?;
            tx.commit()?;
            Ok(created)
        })
        .await
}

/// A valid new report as it is stored: the reporter's identity of an anonymous report is
/// never kept, and the texts lose surrounding blanks.
fn normalised(mut report: NewReport) -> NewReport {
    if report.anonymous {
        report.reporter = None;
    }
    for text in [&mut report.title, &mut report.body] {
        *text = text.trim().to_owned();
    }
    report
}

/// A fresh access code and its hash, made before the database is locked: Argon2 is slow on
/// purpose.
async fn new_access_code() -> Result<(String, String), ApiError> {
    let access_code = access_code_from_random(random_u64());
    let code = normalize_access_code(&access_code).expect("generated codes are valid");
    let access_hash = tokio::task::spawn_blocking(move || secrets::hash_access_code(&code))
        .await
        .map_err(ApiError::internal)?;
    Ok((access_code, access_hash))
}

/// Ok when every region, agency, category and attachment the report names is known here
/// (and every attachment still free); else 422 naming the fields.
fn ensure_references_known(
    conn: &Connection,
    report: &NewReport,
    locale: Locale,
) -> Result<(), ApiError> {
    let unknown: Vec<Violation> = storage::unknown_references(conn, report)?
        .into_iter()
        .map(|field| Violation {
            field,
            rule: Rule::Unknown,
        })
        .collect();
    ensure_no_violations(&unknown, locale)
}

/// A tracking number no report has yet.
fn unused_tracking_id(conn: &Connection) -> Result<TrackingId, ApiError> {
    loop {
        let candidate = TrackingId::from_random(random_u64() >> 24);
        if !storage::tracking_id_taken(conn, &candidate)? {
            return Ok(candidate);
        }
    }
}

/// When a report submitted at `unix` seconds is due, in the instance's working days.
fn due_date(report: &NewReport, unix: i64) -> DueDate {
    let days = instance_info()
        .sla
        .resolution_days(report.classification, report.field_inspection);
    calendar().add_working_days(local_date(unix, offset()), days)
}

/// Stores a validated, normalised report with its first event and files, and says what the
/// reporter is told.
fn insert_new_report(
    tx: &Transaction,
    report: &NewReport,
    access_code: String,
    access_hash: &str,
    locale: Locale,
) -> Result<ReportCreated, ApiError> {
    let (submitted_at, unix) = now();
    let due = due_date(report, unix);
    let tracking_id = unused_tracking_id(tx)?;
    let report_id = storage::insert_report(
        tx,
        &NewReportRow {
            tracking_id,
            access_hash,
            report,
            locale,
            submitted_at: &submitted_at,
            due,
        },
    )?;
    storage::attach_to_report(tx, report_id, &report.attachment_ids)?;
    Ok(ReportCreated {
        tracking_id: tracking_id.into(),
        access_code,
        status: Status::Received,
        submitted_at,
        due_date: due.date,
        due_date_estimate: due.estimate,
    })
}

/// The report with this tracking number, or 404.
fn find_report_or_404(
    conn: &Connection,
    tracking: &TrackingId,
    locale: Locale,
) -> Result<ReportRow, ApiError> {
    storage::find_report(conn, tracking)?.ok_or_else(|| ApiError::report_not_found(locale))
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
async fn check_access_code(
    state: &AppState,
    parts: &Parts,
    report: &ReportRow,
) -> Result<Access, ApiError> {
    let Some(raw) = parts.headers.get(ACCESS_CODE) else {
        return Ok(Access::None);
    };
    let target = report.tracking_id.compact();
    secret_allowed(state, parts, &target)?;
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
        secret_succeeded(state, parts, &target);
        Ok(Access::Granted)
    } else {
        secret_failed(state, parts, &target);
        Ok(Access::Wrong)
    }
}

/// Ok when the request carries the report's access code; 401 without one, 403 for a wrong one.
async fn require_access_code(
    state: &AppState,
    parts: &Parts,
    report: &ReportRow,
    locale: Locale,
) -> Result<(), ApiError> {
    match check_access_code(state, parts, report).await? {
        Access::Granted => Ok(()),
        Access::Wrong => Err(ApiError::refused(Refusal::WrongAccessCode, locale)),
        Access::None => Err(ApiError::refused(Refusal::AccessCodeRequired, locale)),
    }
}

fn parse_tracking(raw: &str, locale: Locale) -> Result<TrackingId, ApiError> {
    TrackingId::parse(raw).map_err(|_| ApiError::report_not_found(locale))
}

fn attachment_ref(file: FileRow) -> AttachmentRef {
    AttachmentRef {
        url: format!("{}/attachments/{}", lapor_core::api::API_PREFIX, file.id),
        id: file.id,
        filename: file.filename,
        content_type: file.content_type,
        size: file.size,
    }
}

fn report_event(event: EventRow) -> ReportEvent {
    ReportEvent {
        at: event.at,
        status: event.status,
        agency: event.agency_name,
        message: event.message,
        kind: event.kind,
        attachments: event.files.into_iter().map(attachment_ref).collect(),
    }
}

/// The tracking view of `report` as `viewer` may see it: the whole view is built, then cut by
/// the privacy rule in `core` (`privacy::redact`), the only place that decides.
fn tracking_view(
    conn: &Connection,
    report: ReportRow,
    viewer: Viewer,
) -> Result<ReportView, ApiError> {
    let disclosure = privacy::disclosure(report.privacy, viewer);
    let events = storage::events_of(conn, report.id)?
        .into_iter()
        .map(report_event)
        .collect();
    let whole = ReportView {
        tracking_id: report.tracking_id.into(),
        overdue: overdue(&report.status, report.due_date, today()),
        status: report.status,
        classification: Some(report.classification),
        agency: report.agency_name,
        category: report.category_name,
        submitted_at: Some(report.submitted_at),
        due_date: Some(report.due_date),
        due_date_estimate: report.due_estimate,
        confidential: report.privacy.confidential,
        anonymous: report.privacy.anonymous,
        details_visible: true,
        title: Some(report.title),
        body: Some(report.body),
        rating: report.rating,
        supporters: Some(report.supporters),
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
    let locale = request_locale(&parts.headers);
    let tracking = parse_tracking(&tracking, locale)?;
    let report = state
        .with_db(move |conn| find_report_or_404(conn, &tracking, locale))
        .await?;
    let privacy = report.privacy;
    let viewer = match check_access_code(&state, &parts, &report).await? {
        Access::Wrong => return Err(ApiError::refused(Refusal::WrongAccessCode, locale)),
        Access::Granted => Viewer::CodeHolder,
        Access::None => Viewer::Public,
    };
    let view = state
        .with_db(move |conn| tracking_view(conn, report, viewer))
        .await?;
    Ok(view_response(
        StatusCode::OK,
        view,
        privacy,
        parts.headers.contains_key(ACCESS_CODE),
    ))
}

/// The steps a reporter's action (a reply, a rating) shares: rate limit, access code, replay
/// by idempotency key, then `apply` (which asks `core::permissions` and writes) in one
/// transaction; the answer is the code holder's tracking view.
async fn record_reporter_action<T: serde::Serialize + Send + 'static>(
    state: &AppState,
    parts: Parts,
    tracking: String,
    scope: EventKind,
    body: &T,
    apply: impl FnOnce(&Transaction, &ReportRow, &ReportFacts, Locale) -> Result<(), ApiError>
    + Send
    + 'static,
) -> Result<Response, ApiError> {
    check_rate(state, &parts)?;
    let locale = request_locale(&parts.headers);
    let tracking = parse_tracking(&tracking, locale)?;
    let key = idempotency_key(&parts.headers, false, locale)?;
    let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let report = state
        .with_db(move |conn| find_report_or_404(conn, &tracking, locale))
        .await?;
    require_access_code(state, &parts, &report, locale).await?;
    let privacy = report.privacy;
    let view = state
        .with_db(move |conn| -> Result<ReportView, ApiError> {
            let tx = conn.transaction()?;
            let report = find_report_or_404(&tx, &tracking, locale)?;
            let scope = format!("{}:{}", scope.code(), report.tracking_id.compact());
            let idempotent = key.map(|key| Idempotent::new(scope, &key, &body));
            let replayed = match &idempotent {
                Some(idempotent) => earlier_answer(idempotent, &tx, locale)?.is_some(),
                None => false,
            };
            if !replayed {
                let whole = tracking_view(&tx, report.clone(), Viewer::CodeHolder)?;
                let facts = ReportFacts::of_view(&whole, offset());
                apply(&tx, &report, &facts, locale)?;
                if let Some(idempotent) = &idempotent {
                    idempotent.record(&tx, 201, "{}")?;
                }
            }
            tx.commit()?;
            let report = find_report_or_404(conn, &tracking, locale)?;
            tracking_view(conn, report, Viewer::CodeHolder)
        })
        .await?;
    Ok(view_response(StatusCode::CREATED, view, privacy, true))
}

/// Ok when every upload `ids` names is here and free; else 422 on `attachment_ids`.
pub(crate) fn ensure_attachments_free(
    conn: &Connection,
    ids: &[String],
    locale: Locale,
) -> Result<(), ApiError> {
    if storage::attachments_free(conn, ids)? {
        return Ok(());
    }
    ensure_no_violations(
        &[Violation {
            field: lapor_core::api::Field::AttachmentIds,
            rule: Rule::Unknown,
        }],
        locale,
    )
}

/// An event of the reporter's with its photos.
fn insert_reporter_event(
    tx: &Transaction,
    report: &ReportRow,
    kind: EventKind,
    status: &Status,
    message: &str,
    attachment_ids: &[String],
) -> Result<(), ApiError> {
    let event_id = storage::insert_event(
        tx,
        &NewEventRow {
            report_id: report.id,
            at: &now().0,
            kind,
            status,
            agency_id: None,
            message: Some(message),
        },
    )?;
    storage::attach_to_event(tx, report.id, event_id, attachment_ids)?;
    Ok(())
}

pub async fn reply(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(reply): ApiJson<NewReply>,
) -> Result<Response, ApiError> {
    let locale = request_locale(&parts.headers);
    ensure_no_violations(
        &validation::validate_reply(&reply, ATTACHMENT_MAX_FILES),
        locale,
    )?;
    let message = reply.message.trim().to_owned();
    let attachment_ids = reply.attachment_ids.clone();
    record_reporter_action(
        &state,
        parts,
        tracking,
        EventKind::Reply,
        &reply,
        move |tx, report, facts, locale| {
            permissions::can_reply(facts, today(), &calendar(), &instance_info().sla)
                .map_err(|refusal| not_allowed_now(refusal, locale))?;
            ensure_attachments_free(tx, &attachment_ids, locale)?;
            insert_reporter_event(
                tx,
                report,
                EventKind::Reply,
                &report.status,
                &message,
                &attachment_ids,
            )
        },
    )
    .await
}

/// "Belum selesai": the reporter says a resolved report is not; if `core::permissions` allows
/// it now, the report goes back to in progress with a `dispute` event carrying the reason and
/// photos, which the agency sees on its timeline.
pub async fn dispute(
    State(state): State<AppState>,
    Path(tracking): Path<String>,
    parts: Parts,
    ApiJson(dispute): ApiJson<NewDispute>,
) -> Result<Response, ApiError> {
    let locale = request_locale(&parts.headers);
    ensure_no_violations(
        &validation::validate_dispute(&dispute, ATTACHMENT_MAX_FILES),
        locale,
    )?;
    let message = dispute.message.trim().to_owned();
    let attachment_ids = dispute.attachment_ids.clone();
    record_reporter_action(
        &state,
        parts,
        tracking,
        EventKind::Dispute,
        &dispute,
        move |tx, report, facts, locale| {
            permissions::can_dispute(facts, today(), &calendar(), &instance_info().sla)
                .map_err(|refusal| not_allowed_now(refusal, locale))?;
            ensure_attachments_free(tx, &attachment_ids, locale)?;
            storage::set_status(tx, report.id, &Status::InProgress)?;
            insert_reporter_event(
                tx,
                report,
                EventKind::Dispute,
                &Status::InProgress,
                &message,
                &attachment_ids,
            )
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
    let locale = request_locale(&parts.headers);
    ensure_no_violations(&validation::validate_rating(&rating), locale)?;
    let body = rating.clone();
    record_reporter_action(
        &state,
        parts,
        tracking,
        EventKind::Rating,
        &body,
        move |tx, report, facts, locale| {
            permissions::can_rate(facts).map_err(|refusal| not_allowed_now(refusal, locale))?;
            let comment = rating
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            storage::record_rating(tx, report.id, rating.stars, comment)?;
            storage::insert_event(
                tx,
                &NewEventRow {
                    report_id: report.id,
                    at: &now().0,
                    kind: EventKind::Rating,
                    status: &report.status,
                    agency_id: None,
                    message: comment,
                },
            )?;
            Ok(())
        },
    )
    .await
}
