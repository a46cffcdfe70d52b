//! The same reports as Open311 GeoReport v2 (`/open311/v2/`, JSON), so that existing Open311
//! clients and apps can use the reference server. Services are the categories; every service
//! has a definition whose `classification` attribute (required) says which kind of report it
//! is, as GeoReport has no such notion. Service requests are created through the native
//! validation and storage (`reports::store`), realtime: the id is the tracking number.
//! `POST requests` needs the configured api_key; errors use the spec's `[{code, description}]`.

use std::collections::HashMap;

use chrono::NaiveDate;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use lapor_core::Locale;
use lapor_core::api::{Classification, Field, Location, NewReport, Reporter};
use lapor_core::open311::attribute;
use lapor_core::privacy::{self, Viewer};
use lapor_core::tracking::TrackingId;
use serde_json::{Value, json};

use super::{random_u64, reports, same_secret};
use crate::AppState;
use crate::problem::{ApiError, request_locale};
use crate::storage::{self, RequestFilter, RequestState, ServiceRequestRow};

/// An Open311 error: the HTTP status and `[{"code", "description"}]`.
#[derive(Debug)]
pub struct Open311Error(pub StatusCode, pub String);

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let body = json!([{ "code": self.0.as_u16(), "description": self.1 }]);
        (self.0, Json(body)).into_response()
    }
}

impl From<ApiError> for Open311Error {
    fn from(e: ApiError) -> Self {
        let mut description = e.detail.clone().unwrap_or_else(|| e.title.to_owned());
        if !e.errors.is_empty() {
            description = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", open311_field(&f.field), f.message))
                .collect::<Vec<_>>()
                .join("; ");
        }
        // Validation failures are 400 in GeoReport.
        let status = if e.status == StatusCode::UNPROCESSABLE_ENTITY {
            StatusCode::BAD_REQUEST
        } else {
            e.status
        };
        Open311Error(status, description)
    }
}

/// The GeoReport name of a native field, for error messages.
fn open311_field(native: &str) -> String {
    match Field::from_path(native) {
        Some(Field::Body) => "description".into(),
        Some(Field::CategoryId) => "service_code".into(),
        Some(Field::RegionId | Field::LocationText) => "address_string".into(),
        Some(Field::Lat | Field::Lon) => "lat/long".into(),
        Some(Field::ReporterEmail) => "email".into(),
        Some(Field::ReporterPhone) => "phone".into(),
        Some(Field::ReporterName) => "first_name".into(),
        Some(other) => Field::attribute(other.path()),
        None => Field::attribute(native),
    }
}

type Result<T> = std::result::Result<T, Open311Error>;

fn bad(description: impl Into<String>) -> Open311Error {
    Open311Error(StatusCode::BAD_REQUEST, description.into())
}

/// `services/abc.json` and `services/abc` name the same service; other formats are refused.
fn strip_format(raw: &str) -> Result<&str> {
    match raw.rsplit_once('.') {
        Some((id, "json")) => Ok(id),
        Some((_, "xml")) => Err(bad("Only the JSON format is supported.")),
        _ => Ok(raw),
    }
}

pub async fn discovery(State(state): State<AppState>) -> Json<Value> {
    let base = format!(
        "{}/open311/v2/",
        state.config.base_path.trim_end_matches('/')
    );
    Json(json!({
        "changeset": "2026-11-28T00:00:00Z",
        "contact": "Lapor Portal reference server",
        "key_service": "Ask the operator of this server for an api_key.",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base,
            "changeset": "2026-11-28T00:00:00Z",
            "type": "production",
            "formats": ["application/json"]
        }]
    }))
}

/// The client's language: GeoReport's `locale` parameter, else `Accept-Language`.
fn locale_of(params: &HashMap<String, String>, headers: &HeaderMap) -> Locale {
    params
        .get("locale")
        .and_then(|l| Locale::parse(l))
        .unwrap_or_else(|| request_locale(headers))
}

pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let locale = locale_of(&params, &headers);
    let texts = ServiceTexts::of(locale);
    let list = state
        .with_db(move |conn| -> std::result::Result<Vec<Value>, ApiError> {
            Ok(storage::categories(conn)?
                .into_iter()
                .map(|category| {
                    let name = match locale {
                        Locale::Id => category.name_id,
                        Locale::En => category.name_en,
                    };
                    json!({
                        "service_code": category.id,
                        "service_name": name,
                        "description": null,
                        "metadata": true,
                        "type": "realtime",
                        "keywords": "",
                        "group": texts.group,
                    })
                })
                .collect())
        })
        .await?;
    Ok(Json(Value::Array(list)))
}

pub async fn service_definition(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let code = strip_format(&raw)?.to_owned();
    let texts = ServiceTexts::of(locale_of(&params, &headers));
    let lookup = code.clone();
    let known = state
        .with_db(move |conn| storage::category_exists(conn, &lookup))
        .await
        .map_err(ApiError::from)?;
    if !known {
        return Err(Open311Error(
            StatusCode::NOT_FOUND,
            format!("Unknown service_code {code}."),
        ));
    }
    let values = |keys: &[&str], names: &[&str]| -> Vec<Value> {
        keys.iter()
            .zip(names)
            .map(|(key, name)| json!({ "key": key, "name": name }))
            .collect()
    };
    let classifications = Classification::ALL.map(Classification::code);
    Ok(Json(json!({
        "service_code": code,
        "attributes": [
            { "variable": true, "code": attribute::CLASSIFICATION, "datatype": "singlevaluelist",
              "required": true, "datatype_description": null, "order": 1,
              "description": texts.classification,
              "values": values(&classifications, &texts.classifications) },
            { "variable": true, "code": attribute::TITLE, "datatype": "string", "required": false,
              "datatype_description": null, "order": 2, "description": texts.title },
            { "variable": true, "code": attribute::INCIDENT_DATE, "datatype": "datetime",
              "required": false, "datatype_description": "YYYY-MM-DD", "order": 3,
              "description": texts.incident_date },
            { "variable": true, "code": attribute::URGENCY, "datatype": "singlevaluelist",
              "required": true, "datatype_description": null, "order": 4,
              "description": texts.urgency, "values": values(&URGENCY_KEYS, &texts.urgencies) },
        ]
    })))
}

/// The keys of the `urgency` attribute every service asks; the answer's Indonesian name is
/// added to the report's text, where the agency reads it.
const URGENCY_KEYS: [&str; 2] = ["normal", "urgent"];

/// What the service list and definitions say, in one language: a table per locale, each
/// complete (the arrays follow `Classification::ALL` and [`URGENCY_KEYS`]).
struct ServiceTexts {
    /// Every service's `group`.
    group: &'static str,
    classification: &'static str,
    classifications: [&'static str; 3],
    title: &'static str,
    incident_date: &'static str,
    urgency: &'static str,
    urgencies: [&'static str; 2],
}

impl ServiceTexts {
    fn of(locale: Locale) -> &'static ServiceTexts {
        match locale {
            Locale::Id => &ServiceTexts {
                group: "Pelayanan publik",
                classification: "Jenis laporan",
                classifications: ["Pengaduan", "Aspirasi", "Permintaan informasi"],
                title: "Judul (singkat; diambil dari uraian bila kosong)",
                incident_date: "Tanggal kejadian (YYYY-MM-DD; bila kosong, tanggal laporan dikirim)",
                urgency: "Seberapa mendesak?",
                urgencies: ["Biasa", "Mendesak: membahayakan keselamatan"],
            },
            Locale::En => &ServiceTexts {
                group: "Public services",
                classification: "Kind of report",
                classifications: ["Complaint", "Aspiration", "Information request"],
                title: "Title (short; taken from the description when empty)",
                incident_date: "Date of the incident (YYYY-MM-DD; when empty, the day the request is sent)",
                urgency: "How urgent is it?",
                urgencies: ["Normal", "Urgent: a danger to safety"],
            },
        }
    }
}

/// A title from the description when the client sends none: its first sentence, cut at a
/// word boundary.
fn title_from(description: &str) -> String {
    let first = description
        .split(['.', '!', '?', '\n'])
        .next()
        .unwrap_or("")
        .trim();
    if first.chars().count() <= 100 {
        return first.to_owned();
    }
    let cut: String = first.chars().take(100).collect();
    match cut.rsplit_once(' ') {
        Some((head, _)) if head.len() > 20 => format!("{head}…"),
        _ => format!("{cut}…"),
    }
}

fn filled(form: &HashMap<String, String>, key: &str) -> Option<String> {
    form.get(key)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The native report a GeoReport POST describes. The service definition's `required` flags
/// are the whole truth: what the native rules need beyond them gets a default here, said in
/// the attribute's description (a complaint's incident date is the day it is sent, `today`).
pub fn report_from_form(today: NaiveDate, form: &HashMap<String, String>) -> Result<NewReport> {
    let answer = |code: &str| filled(form, &Field::attribute(code));
    let classification = answer(attribute::CLASSIFICATION).ok_or_else(|| {
        bad(format!(
            "{} is required (complaint, aspiration or information_request).",
            Field::attribute(attribute::CLASSIFICATION)
        ))
    })?;
    let classification = Classification::from_code(&classification).ok_or_else(|| {
        bad(format!(
            "{}: unknown value {classification}.",
            Field::attribute(attribute::CLASSIFICATION)
        ))
    })?;
    let urgency = answer(attribute::URGENCY).ok_or_else(|| {
        bad(format!(
            "{} is required (normal or urgent).",
            Field::attribute(attribute::URGENCY)
        ))
    })?;
    let urgency_id = URGENCY_KEYS
        .iter()
        .position(|key| *key == urgency)
        .map(|i| ServiceTexts::of(Locale::Id).urgencies[i])
        .ok_or_else(|| {
            bad(format!(
                "{}: unknown value {urgency}.",
                Field::attribute(attribute::URGENCY)
            ))
        })?;
    let description = filled(form, "description").unwrap_or_default();
    let number = |key: &str| -> Result<Option<f64>> {
        filled(form, key)
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| bad(format!("{key} must be a number.")))
            })
            .transpose()
    };
    let (lat, lon) = (number("lat")?, number("long")?);
    // The spec's `address_string`, or `address`, which several clients send instead.
    let address = filled(form, "address_string").or_else(|| filled(form, "address"));
    // Exactly one form of location: coordinates win over an address.
    let location = if lat.is_some() && lon.is_some() {
        Location {
            lat,
            lon,
            ..Location::default()
        }
    } else {
        Location {
            text: address,
            ..Location::default()
        }
    };
    let name = [filled(form, "first_name"), filled(form, "last_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let reporter = Reporter {
        name: (!name.is_empty()).then_some(name),
        email: filled(form, "email"),
        phone: filled(form, "phone"),
    };
    let has_contact = reporter != Reporter::default();
    let incident_date = answer(attribute::INCIDENT_DATE)
        .map(|d| {
            lapor_core::date::parse(d.get(..10).unwrap_or(&d)).ok_or_else(|| {
                bad(format!(
                    "{} must be a date (YYYY-MM-DD).",
                    Field::attribute(attribute::INCIDENT_DATE)
                ))
            })
        })
        .transpose()?
        .or((classification == Classification::Complaint).then_some(today));
    Ok(NewReport {
        classification,
        title: answer(attribute::TITLE).unwrap_or_else(|| title_from(&description)),
        body: if description.is_empty() {
            description
        } else {
            format!("{description}\n\nUrgensi: {urgency_id}")
        },
        incident_date,
        location: Some(location),
        agency_id: None,
        category_id: filled(form, "service_code"),
        field_inspection: false,
        anonymous: !has_contact,
        confidential: false,
        reporter: has_contact.then_some(reporter),
        attachment_ids: Vec::new(),
        locale: form
            .get("locale")
            .and_then(|l| Locale::parse(l))
            .map(|l| l.tag().to_owned()),
    })
}

pub async fn post_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Result<(StatusCode, Json<Value>)> {
    let Some(expected) = state
        .config
        .open311_api_key
        .as_deref()
        .filter(|k| !k.is_empty())
    else {
        return Err(Open311Error(
            StatusCode::FORBIDDEN,
            "Posting requests is not enabled on this server.".into(),
        ));
    };
    let given = filled(&form, "api_key").unwrap_or_default();
    if !same_secret(&given, expected) {
        return Err(Open311Error(
            StatusCode::FORBIDDEN,
            "Invalid api_key.".into(),
        ));
    }
    // The write bucket and the api_key's back-off: `routes::guard_open311_post`.
    let locale = locale_of(&form, &headers);
    let mut report = report_from_form(reports::today(), &form)?;
    report.locale = Some(locale.tag().to_owned());
    // GeoReport has no idempotency key: every POST is a new request.
    let key = format!("open311-{:016x}{:016x}", random_u64(), random_u64());
    let created = reports::store(&state, report, key, locale).await?;
    let notice = match locale {
        Locale::En => format!(
            "Keep your access code {} to reply to the agency.",
            created.access_code
        ),
        Locale::Id => format!(
            "Simpan kode akses {} untuk membalas instansi.",
            created.access_code
        ),
    };
    Ok((
        StatusCode::CREATED,
        Json(json!([{
            "service_request_id": created.tracking_id,
            "service_notice": notice,
            "account_id": null,
        }])),
    ))
}

/// One stored report as a GeoReport service request, showing what the privacy rule in `core`
/// lets anyone see (GeoReport has no access codes): a confidential report shows its id and
/// whether it is open, nothing else.
fn request_json(request: ServiceRequestRow) -> Value {
    let shown = privacy::disclosure(request.privacy, Viewer::Public);
    let open = !request.status.is_final();
    let when = |allowed: bool, v: Value| if allowed { v } else { Value::Null };
    // A place that is not a complaint's is where its reporter lives.
    let place = |v| {
        when(
            shown.content && privacy::place_is_public(request.classification),
            v,
        )
    };
    let (content, routing, timing) = (
        |v| when(shown.content, v),
        |v| when(shown.routing, v),
        |v| when(shown.timing, v),
    );
    json!({
        "service_request_id": request.tracking_id.to_string(),
        "status": if open { "open" } else { "closed" },
        "status_notes": content(json!(request.status_notes)),
        "service_name": routing(json!(request.category_name)),
        "service_code": routing(json!(request.category_id)),
        "description": content(json!(request.body)),
        "agency_responsible": routing(json!(request.agency_name)),
        "service_notice": null,
        "requested_datetime": timing(json!(request.submitted_at)),
        "updated_datetime": timing(json!(request.updated_at)),
        // The end of the due date's working day in the instance's own time zone.
        "expected_datetime": timing(json!(format!(
            "{}T16:00:00{}",
            request.due_date,
            lapor_core::calendar::format_offset(reports::offset())
        ))),
        "address": place(json!(request.location_text)),
        "address_id": null,
        "zipcode": null,
        "lat": place(json!(request.lat)),
        "long": place(json!(request.lon)),
        "media_url": null,
    })
}

/// How many requests one page of `requests.json` holds at most, and by default.
pub const PAGE_SIZE_MAX: u32 = 100;
pub const PAGE_SIZE_DEFAULT: u32 = 50;

async fn query_requests(
    state: &AppState,
    filter: RequestFilter,
    (page, page_size): (u32, u32),
) -> Result<Vec<Value>> {
    let rows = state
        .with_db(move |conn| storage::service_requests(conn, &filter, page, page_size))
        .await
        .map_err(ApiError::from)?;
    Ok(rows.into_iter().map(request_json).collect())
}

/// `page` (from 1) and `page_size` (1 to [`PAGE_SIZE_MAX`]) of a list request.
fn paging(params: &HashMap<String, String>) -> Result<(u32, u32)> {
    let number = |key: &str, default: u32, max: u32| -> Result<u32> {
        match params.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| bad(format!("{key} must be a whole number from 1 to {max}."))),
        }
    };
    Ok((
        number("page", 1, 100_000)?,
        number("page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)?,
    ))
}

pub async fn get_requests(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>> {
    let page = paging(&params)?;
    let list = |key: &str| -> Vec<String> {
        params
            .get(key)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let ids = list("service_request_id");
    // A lookup of many numbers at once is a list by another name: bounded like one.
    if ids.len() > PAGE_SIZE_MAX as usize {
        return Err(bad(format!(
            "At most {PAGE_SIZE_MAX} service_request_id values per request."
        )));
    }
    let filter = if !ids.is_empty() {
        // Ids override every other filter (the spec's rule).
        let ids: Vec<TrackingId> = ids
            .iter()
            .filter_map(|id| TrackingId::parse(id).ok())
            .collect();
        if ids.is_empty() {
            return Ok(Json(json!([])));
        }
        RequestFilter::Ids(ids)
    } else {
        let state = match params.get("status").map(String::as_str) {
            None | Some("") | Some("open,closed") | Some("closed,open") => None,
            Some("open") => Some(RequestState::Open),
            Some("closed") => Some(RequestState::Closed),
            Some(other) => return Err(bad(format!("Unknown status {other}: use open or closed."))),
        };
        // A list: only what the privacy rule lets a list show (`storage`).
        RequestFilter::Listed {
            service_codes: list("service_code"),
            start: params.get("start_date").cloned(),
            end: params.get("end_date").cloned(),
            state,
        }
    };
    Ok(Json(Value::Array(
        query_requests(&state, filter, page).await?,
    )))
}

pub async fn get_request(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Value>> {
    let id = strip_format(&raw)?;
    let not_found = || Open311Error(StatusCode::NOT_FOUND, format!("No service request {id}."));
    let tracking = TrackingId::parse(id).map_err(|_| not_found())?;
    let found = query_requests(&state, RequestFilter::Ids(vec![tracking]), (1, 1)).await?;
    if found.is_empty() {
        return Err(not_found());
    }
    Ok(Json(Value::Array(found)))
}

/// Every request is realtime here, so no token ever stands for one.
pub async fn get_token(Path(raw): Path<String>) -> Open311Error {
    Open311Error(
        StatusCode::NOT_FOUND,
        format!("No token {raw}: requests here are realtime."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    /// A careful client fills only what the definition marks `required` (classification,
    /// urgency) and the spec's own fields: a complaint then gets the day it is sent as its
    /// incident date, which the native rules require, and the definition says so.
    #[test]
    fn a_complaint_with_only_the_required_attributes_is_accepted() {
        let report = report_from_form(
            day(),
            &form(&[
                ("service_code", "jalan"),
                ("attribute[classification]", "complaint"),
                ("attribute[urgency]", "normal"),
                (
                    "description",
                    "Lubang besar di depan pasar, sudah dua minggu.",
                ),
                ("address", "Jl. Pemuda 5"),
            ]),
        )
        .unwrap();
        assert_eq!(report.incident_date, Some(day()));
        assert_eq!(
            report.location.as_ref().and_then(|l| l.text.as_deref()),
            Some("Jl. Pemuda 5"),
            "`address` is read when `address_string` is absent"
        );
        assert!(
            lapor_core::validation::validate_report(&report, day(), 5).is_empty(),
            "the native rules accept it"
        );
        // Other kinds of report carry no incident date.
        let aspiration = report_from_form(
            day(),
            &form(&[
                ("attribute[classification]", "aspiration"),
                ("attribute[urgency]", "normal"),
                ("description", "Tambah lampu taman"),
            ]),
        )
        .unwrap();
        assert_eq!(aspiration.incident_date, None);
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn a_post_becomes_a_native_report_with_one_location() {
        let report = report_from_form(
            day(),
            &form(&[
                ("service_code", "jalan"),
                ("attribute[classification]", "complaint"),
                ("attribute[incident_date]", "2026-03-01T08:00:00+07:00"),
                ("attribute[urgency]", "urgent"),
                (
                    "description",
                    "Lubang besar di depan pasar. Sudah dua minggu.",
                ),
                ("lat", "-6.92"),
                ("long", "110.20"),
                ("address_string", "Jl. Pemuda"),
                ("first_name", "Siti"),
            ]),
        )
        .unwrap();
        assert_eq!(report.title, "Lubang besar di depan pasar");
        assert!(
            report
                .body
                .ends_with("Urgensi: Mendesak: membahayakan keselamatan"),
            "{}",
            report.body
        );
        assert_eq!(report.category_id.as_deref(), Some("jalan"));
        let location = report.location.unwrap();
        assert_eq!(
            (location.lat, location.lon, location.text),
            (Some(-6.92), Some(110.2), None)
        );
        assert_eq!(report.incident_date.unwrap().to_string(), "2026-03-01");
        assert!(!report.anonymous);
        assert_eq!(report.reporter.unwrap().name.as_deref(), Some("Siti"));
    }

    #[test]
    fn a_post_without_contact_is_anonymous_and_needs_a_classification() {
        let report = report_from_form(
            day(),
            &form(&[
                ("attribute[classification]", "aspiration"),
                ("attribute[urgency]", "normal"),
                ("description", "Tambah lampu taman"),
                ("address_string", "Alun-alun"),
            ]),
        )
        .unwrap();
        assert!(report.anonymous && report.reporter.is_none());
        assert_eq!(report.location.unwrap().text.as_deref(), Some("Alun-alun"));
        assert!(report_from_form(day(), &form(&[("description", "x")])).is_err());
        let no_urgency = form(&[
            ("attribute[classification]", "aspiration"),
            ("description", "x"),
        ]);
        assert!(report_from_form(day(), &no_urgency).is_err());
        assert!(report_from_form(day(), &form(&[("attribute[classification]", "x")])).is_err());
    }

    #[test]
    fn service_texts_are_complete_in_each_language() {
        let (id, en) = (ServiceTexts::of(Locale::Id), ServiceTexts::of(Locale::En));
        let texts = |t: &ServiceTexts| {
            let mut all = vec![
                t.group,
                t.classification,
                t.title,
                t.incident_date,
                t.urgency,
            ];
            all.extend(t.classifications);
            all.extend(t.urgencies);
            all
        };
        for (a, b) in texts(id).into_iter().zip(texts(en)) {
            assert!(!a.is_empty() && !b.is_empty());
            assert_ne!(a, b, "one text for both languages");
        }
    }

    #[test]
    fn long_descriptions_give_a_short_title() {
        let long = "kata ".repeat(60);
        let title = title_from(&long);
        assert!(
            title.chars().count() <= 101 && title.ends_with('…'),
            "{title}"
        );
    }
}
