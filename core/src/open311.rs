//! Open311 GeoReport v2 as a client reads it: lenient parsing of its JSON (ids and codes as
//! numbers or strings, missing optional fields, one object where a list was expected, and the
//! spec's own examples, which write codes as `001`), the form body of `POST requests`, and the
//! mapping of a service request onto this portal's tracking view.

use chrono::NaiveDate;
use serde_json::Value;

use crate::api::{Category, EventKind, Field, FieldError, NewReport, ReportEvent, ReportView};
use crate::listing::{ListQuery, ReportPage, ReportSummary, StatusFilter};
use crate::status::Status;

/// Service attribute codes this portal knows: the reference server asks them, and the app's
/// own form already answers the first three (`FORM_ANSWERS`), so it does not ask them twice.
pub mod attribute {
    /// The kind of report (`complaint`, `aspiration`, `information_request`).
    pub const CLASSIFICATION: &str = "classification";
    /// A short title; servers take it from the description when absent.
    pub const TITLE: &str = "title";
    /// The date of the incident (`YYYY-MM-DD`).
    pub const INCIDENT_DATE: &str = "incident_date";
    /// How urgent it is (`normal`, `urgent`).
    pub const URGENCY: &str = "urgency";
    /// The attributes the form's own questions answer.
    pub const FORM_ANSWERS: [&str; 3] = [CLASSIFICATION, TITLE, INCIDENT_DATE];
}

/// How a service answers a new request (the service list's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceType {
    /// The request's id comes back at once.
    Realtime,
    /// A token comes back, to exchange for the id later (`tokens/{token}`).
    Batch,
    /// Nothing comes back.
    Blackbox,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub group: Option<String>,
    /// Whether a service definition (extra attributes) must be fetched.
    pub metadata: bool,
    pub kind: ServiceType,
    /// The service list says a request needs a location (`coords_or_address`,
    /// `location_required` or `requires_location`, as some servers add).
    pub location_required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Datatype {
    String,
    Number,
    Datetime,
    Text,
    SingleValueList,
    MultiValueList,
}

/// One extra field of a service definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub code: String,
    /// `false`: information for the citizen only, no input.
    pub variable: bool,
    pub datatype: Datatype,
    pub required: bool,
    pub description: String,
    pub datatype_description: Option<String>,
    pub order: i64,
    /// `(key, name)` of list options.
    pub values: Vec<(String, String)>,
}

/// What `POST requests` gave back.
#[derive(Clone, Debug, PartialEq)]
pub enum Created {
    Id(String),
    Token(String),
    /// A blackbox service: no id and no token.
    Nothing,
}

/// A service request as `GET requests` describes it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ServiceRequest {
    pub id: String,
    pub open: bool,
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: Option<String>,
    pub description: Option<String>,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested: Option<String>,
    pub updated: Option<String>,
    pub expected: Option<String>,
    pub address: Option<String>,
}

/// JSON text as Open311 servers write it, made valid: number tokens with leading zeros
/// (`001`, as in the spec's examples) become strings instead of failing the whole document.
pub fn lenient_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut prev_structural = true;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
        } else if c.is_ascii_digit() && prev_structural {
            let mut number = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    number.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            if number.len() > 1 && number.starts_with('0') && !number.starts_with("0.") {
                out.push('"');
                out.push_str(&number);
                out.push('"');
            } else {
                out.push_str(&number);
            }
        } else {
            out.push(c);
        }
        if !c.is_whitespace() {
            prev_structural = matches!(c, ':' | ',' | '[');
        }
    }
    out
}

/// Parses Open311 JSON on the host (tests, tools); the app uses the browser's `JSON.parse`.
pub fn parse_json(text: &str) -> Option<Value> {
    serde_json::from_str(&lenient_text(text)).ok()
}

/// A scalar of a JSON document.
pub enum Scalar {
    Text(String),
    Number(f64),
    Bool(bool),
    Other,
}

/// A JSON value as the readers below walk it: serde_json's on the host, the browser's own
/// (from `JSON.parse`) in the app, so that the wasm carries no JSON tree of its own.
pub trait Json: Sized + Clone {
    /// A field of an object; `None` when missing or null.
    fn field(&self, key: &str) -> Option<Self>;
    /// The elements, when this is an array.
    fn list(&self) -> Option<Vec<Self>>;
    /// The value of an object's only field.
    fn only_field(&self) -> Option<Self>;
    fn is_object(&self) -> bool;
    fn scalar(&self) -> Scalar;
    /// The keys of an object (none for anything else).
    fn keys(&self) -> Vec<String>;
}

impl Json for Value {
    fn field(&self, key: &str) -> Option<Value> {
        self.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn list(&self) -> Option<Vec<Value>> {
        self.as_array().cloned()
    }
    fn only_field(&self) -> Option<Value> {
        let map = self.as_object()?;
        (map.len() == 1)
            .then(|| map.values().next().cloned())
            .flatten()
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn scalar(&self) -> Scalar {
        match self {
            Value::String(s) => Scalar::Text(s.clone()),
            Value::Number(n) => n.as_f64().map_or(Scalar::Other, Scalar::Number),
            Value::Bool(b) => Scalar::Bool(*b),
            _ => Scalar::Other,
        }
    }
    fn keys(&self) -> Vec<String> {
        self.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// A number as an id or code is written: `293944`, not `293944.0`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A list, or the one object a server sent instead of a list.
fn items<J: Json>(value: &J) -> Vec<J> {
    if let Some(list) = value.list() {
        return list;
    }
    if !value.is_object() {
        return Vec::new();
    }
    // Some servers wrap lists: `{"services": [...]}`, `{"service_requests": {"request": …}}`.
    match value.only_field() {
        Some(inner) if inner.list().is_some() || inner.is_object() => items(&inner),
        _ => vec![value.clone()],
    }
}

/// A field as text, whether the server wrote a string or a number; empty means absent.
fn text<J: Json>(value: &J, key: &str) -> Option<String> {
    match value.field(key)?.scalar() {
        Scalar::Text(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Scalar::Number(n) => Some(number_text(n)),
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Other => None,
    }
}

fn flag<J: Json>(value: &J, key: &str) -> bool {
    match value.field(key).map(|v| v.scalar()) {
        Some(Scalar::Bool(b)) => b,
        Some(Scalar::Text(s)) => s.eq_ignore_ascii_case("true") || s == "1",
        Some(Scalar::Number(n)) => n == 1.0,
        _ => false,
    }
}

/// The flags by which a service list says a service needs a location.
const LOCATION_RULES: [&str; 3] = [
    "coords_or_address",
    "location_required",
    "requires_location",
];

pub fn services<J: Json>(value: &J) -> Vec<Service> {
    items(value)
        .iter()
        .filter_map(|s| {
            let code = text(s, "service_code")?;
            Some(Service {
                name: text(s, "service_name").unwrap_or_else(|| code.clone()),
                description: text(s, "description"),
                group: text(s, "group"),
                metadata: flag(s, "metadata"),
                location_required: LOCATION_RULES.iter().any(|k| flag(s, k)),
                kind: match text(s, "type").as_deref() {
                    Some("batch") => ServiceType::Batch,
                    Some("blackbox") => ServiceType::Blackbox,
                    _ => ServiceType::Realtime,
                },
                code,
            })
        })
        .collect()
}

/// Services as this portal's categories (the name in both languages, the group kept).
pub fn categories(services: &[Service]) -> Vec<Category> {
    services
        .iter()
        .map(|s| Category {
            id: s.code.clone(),
            name_id: s.name.clone(),
            name_en: s.name.clone(),
            group: s.group.clone(),
        })
        .collect()
}

/// The attributes of a service definition, in their `order`.
pub fn attributes<J: Json>(value: &J) -> Vec<Attribute> {
    let list = value
        .field("attributes")
        .map(|v| items(&v))
        .unwrap_or_default();
    let mut out: Vec<Attribute> = list
        .iter()
        .filter_map(|a| {
            let code = text(a, "code")?;
            let datatype = match text(a, "datatype").as_deref() {
                Some("number") => Datatype::Number,
                Some("datetime") => Datatype::Datetime,
                Some("text") => Datatype::Text,
                Some("singlevaluelist") => Datatype::SingleValueList,
                Some("multivaluelist") => Datatype::MultiValueList,
                _ => Datatype::String,
            };
            let values = a
                .field("values")
                .map(|v| items(&v))
                .unwrap_or_default()
                .iter()
                .filter_map(|v| {
                    let key = text(v, "key")?;
                    Some((key.clone(), text(v, "name").unwrap_or(key)))
                })
                .collect();
            Some(Attribute {
                variable: a.field("variable").is_none() || flag(a, "variable"),
                required: flag(a, "required"),
                description: text(a, "description").unwrap_or_else(|| code.clone()),
                datatype_description: text(a, "datatype_description"),
                order: text(a, "order")
                    .and_then(|o| o.parse().ok())
                    .unwrap_or(i64::MAX),
                code,
                datatype,
                values,
            })
        })
        .collect();
    out.sort_by_key(|a| a.order);
    out
}

/// The id, token or nothing a `POST requests` answered, and its notice.
pub fn created<J: Json>(value: &J) -> (Created, Option<String>) {
    let Some(first) = items(value).into_iter().next() else {
        return (Created::Nothing, None);
    };
    let notice = text(&first, "service_notice");
    let created = match (text(&first, "service_request_id"), text(&first, "token")) {
        (Some(id), _) => Created::Id(id),
        (None, Some(token)) => Created::Token(token),
        (None, None) => Created::Nothing,
    };
    (created, notice)
}

pub fn requests<J: Json>(value: &J) -> Vec<ServiceRequest> {
    items(value)
        .iter()
        .filter_map(|r| {
            Some(ServiceRequest {
                id: text(r, "service_request_id")?,
                open: !text(r, "status").is_some_and(|s| s.eq_ignore_ascii_case("closed")),
                status_notes: text(r, "status_notes"),
                service_name: text(r, "service_name"),
                service_code: text(r, "service_code"),
                description: text(r, "description"),
                agency_responsible: text(r, "agency_responsible"),
                service_notice: text(r, "service_notice"),
                requested: text(r, "requested_datetime"),
                updated: text(r, "updated_datetime"),
                expected: text(r, "expected_datetime"),
                address: text(r, "address"),
            })
        })
        .collect()
}

/// What an error answer said, in whichever shape the server wrote it: the server's own
/// messages, and those about one field (named as this portal's forms name it, see
/// [`portal_field`]). An answer that is not JSON (an HTML error page) says nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorAnswer {
    pub messages: Vec<String>,
    pub fields: Vec<FieldError>,
}

/// The field code of a server's field error, so that it stays apart from the portal's own.
pub const SERVER_FIELD_ERROR: &str = "open311";

/// The portal's field path for a GeoReport parameter (`description` is the report's body,
/// `address`, `address_string` and coordinates its location, …); others keep their name.
pub fn portal_field(name: &str) -> String {
    let field = match name {
        "description" => Field::Body,
        "service_code" => Field::CategoryId,
        "address" | "address_string" | "address_id" | "lat" | "long" | "location"
        | "coords_or_address" => Field::LocationText,
        "email" => Field::ReporterEmail,
        "phone" => Field::ReporterPhone,
        "first_name" | "last_name" | "name" => Field::ReporterName,
        other => return other.to_owned(),
    };
    field.path().to_owned()
}

/// The texts of a value: a string, or every string of a list.
fn texts<J: Json>(value: &J) -> Vec<String> {
    let one = |v: &J| match v.scalar() {
        Scalar::Text(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        _ => None,
    };
    match value.list() {
        Some(list) => list.iter().filter_map(one).collect(),
        None => one(value).into_iter().collect(),
    }
}

/// Field lists (`{"lat": ["Required."], "address": "Required."}`) into `out`; `false` when
/// `value` is not such an object.
fn field_lists<J: Json>(value: &J, keys: &[String], out: &mut ErrorAnswer) -> bool {
    let mut any = false;
    for key in keys {
        let Some(inner) = value.field(key) else {
            continue;
        };
        for message in texts(&inner) {
            any = true;
            if matches!(key.as_str(), "non_field_errors" | "__all__" | "detail") {
                out.messages.push(message);
            } else {
                out.fields.push(FieldError {
                    field: portal_field(key),
                    code: SERVER_FIELD_ERROR.into(),
                    message,
                });
            }
        }
    }
    any
}

/// Reads an error answer: the spec's list of `{code, description}`, one such object bare,
/// `{code, detail}` with `detail` a string, a list of strings or an object of field lists
/// (Django REST framework's way), or field lists alone.
pub fn error_answer<J: Json>(value: &J) -> ErrorAnswer {
    let mut out = ErrorAnswer::default();
    // Not `items`: an object of field lists is no wrapped list.
    for item in value.list().unwrap_or_else(|| vec![value.clone()]) {
        if let Some(description) = item.field("description") {
            out.messages.extend(texts(&description));
        } else if let Some(detail) = item.field("detail") {
            if detail.is_object() {
                let names = detail.keys();
                field_lists(&detail, &names, &mut out);
            } else {
                out.messages.extend(texts(&detail));
            }
        } else if item.is_object() {
            let names: Vec<String> = item
                .keys()
                .into_iter()
                .filter(|k| !matches!(k.as_str(), "code" | "status" | "type" | "title"))
                .collect();
            if !field_lists(&item, &names, &mut out) {
                out.messages
                    .extend(text(&item, "message").or(text(&item, "error")));
            }
        } else {
            out.messages.extend(texts(&item));
        }
    }
    out
}

/// The descriptions of an error answer, joined (every shape [`error_answer`] reads).
pub fn error_message<J: Json>(value: &J) -> Option<String> {
    let answer = error_answer(value);
    let all: Vec<String> = answer
        .messages
        .into_iter()
        .chain(answer.fields.into_iter().map(|f| f.message))
        .collect();
    (!all.is_empty()).then(|| all.join(" "))
}

/// Whether a service asks for a location before anything is sent: its entry in the service
/// list says so (`LOCATION_RULES`), or a required attribute of its definition names a location
/// (`address`, `lat`, `coords_or_address`, …). Some servers answer a request without one with
/// a 500, so the form asks first.
pub fn needs_location(service: Option<&Service>, attributes: &[Attribute]) -> bool {
    let location_word = |code: &str| {
        let code = code.to_ascii_lowercase();
        LOCATION_RULES.contains(&code.as_str())
            || matches!(
                code.as_str(),
                "address" | "address_string" | "location" | "lat" | "long"
            )
    };
    service.is_some_and(|s| s.location_required)
        || attributes
            .iter()
            .any(|a| a.required && location_word(&a.code))
}

/// `application/x-www-form-urlencoded` escaping.
pub fn form_encode(value: &str) -> String {
    crate::text::percent_encode(value, true)
}

/// Where the report is, in every field servers read: `lat`/`long` when known, and a typed
/// place as both `address_string` (the spec's name) and `address` (what several servers read
/// instead, e.g. Django implementations that ignore `address_string` and answer 500 without
/// coordinates or an `address`). Servers ignore parameters they do not know.
fn location_fields(report: &NewReport) -> Vec<(String, String)> {
    let location = report.location.clone().unwrap_or_default();
    let mut fields = Vec::new();
    if let (Some(lat), Some(lon)) = (location.lat, location.lon) {
        fields.push(("lat".into(), lat.to_string()));
        fields.push(("long".into(), lon.to_string()));
    }
    if let Some(text) = location.text.filter(|t| !t.trim().is_empty()) {
        fields.push(("address_string".into(), text.clone()));
        fields.push(("address".into(), text));
    }
    fields
}

/// The body of `POST requests`: the report's own fields, then the service's attributes
/// (`attribute[code]`, repeated with `[]` for a multi-value list).
pub fn request_form(
    report: &NewReport,
    attributes: &[(String, Vec<String>)],
    api_key: Option<&str>,
    jurisdiction_id: Option<&str>,
) -> String {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            fields.push((k.to_owned(), v.to_owned()));
        }
    };
    push("api_key", api_key);
    push("jurisdiction_id", jurisdiction_id);
    push("service_code", report.category_id.as_deref());
    let description = if report.title.is_empty() || report.body.starts_with(&report.title) {
        report.body.clone()
    } else {
        format!("{}\n\n{}", report.title, report.body)
    };
    push("description", Some(&description));
    if let Some(reporter) = &report.reporter {
        push("email", reporter.email.as_deref());
        push("phone", reporter.phone.as_deref());
        if let Some(name) = &reporter.name {
            let (first, last) = name.trim().split_once(' ').unwrap_or((name.trim(), ""));
            push("first_name", Some(first));
            push("last_name", Some(last.trim()));
        }
    }
    fields.extend(location_fields(report));
    for (code, values) in attributes {
        let key = if values.len() > 1 {
            format!("attribute[{code}][]")
        } else {
            format!("attribute[{code}]")
        };
        for value in values.iter().filter(|v| !v.is_empty()) {
            fields.push((key.clone(), value.clone()));
        }
    }
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The date part of an ISO 8601 date-time (`2010-04-15T06:37:38-08:00` → 15 April 2010).
fn date_of(datetime: &str) -> Option<NaiveDate> {
    crate::date::parse(datetime.get(..10)?)
}

/// A service request in this portal's tracking view: `open` is in progress, `closed` ("it has
/// been resolved", says the spec) is resolved; the status notes are the latest event; the
/// expected date is the due date.
pub fn report_view(request: &ServiceRequest, today: NaiveDate) -> ReportView {
    let status = if request.open {
        Status::InProgress
    } else {
        Status::Resolved
    };
    // A server that hides a report's dates (a confidential one, say) gives no timeline.
    let mut events = Vec::new();
    if let Some(requested) = request.requested.clone() {
        events.push(ReportEvent {
            at: requested.clone(),
            status: Status::Received,
            agency: None,
            message: None,
            kind: EventKind::Status,
            attachments: Vec::new(),
        });
        // Oldest first, as the native API lists them.
        if request.status_notes.is_some() || !request.open {
            events.push(ReportEvent {
                at: request.updated.clone().unwrap_or(requested),
                status: status.clone(),
                agency: request.agency_responsible.clone(),
                message: request.status_notes.clone(),
                kind: EventKind::Response,
                attachments: Vec::new(),
            });
        }
    }
    let due = request.expected.as_deref().and_then(date_of);
    ReportView {
        tracking_id: crate::api::ReportNumber::parse(&request.id),
        overdue: request.open && due.is_some_and(|d| today > d),
        status,
        // GeoReport requests carry no kind of report: none is claimed.
        classification: None,
        agency: request.agency_responsible.clone(),
        category: request.service_name.clone(),
        submitted_at: request.requested.clone(),
        due_date: Some(due.unwrap_or(today)),
        due_date_estimate: due.is_none(),
        confidential: false,
        anonymous: false,
        details_visible: true,
        title: request.service_name.clone(),
        body: request.description.clone(),
        rating: None,
        supporters: None,
        events,
    }
}

/// `GET requests.json`'s query for a page of the public list: what GeoReport can filter
/// (`status` open or closed, `service_code` for the category) and the page, as
/// `page`/`page_size` (servers that page, the reference one among them, read them; the others
/// ignore them). Classification, agency, region and text search have no GeoReport parameter:
/// the app hides those filters for this dialect.
pub fn requests_query(query: &ListQuery) -> String {
    let mut params: Vec<String> = Vec::new();
    if let Some(status) = &query.status {
        let state = match status {
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
            StatusFilter::One(one) if one.is_final() => "closed",
            StatusFilter::One(_) => "open",
        };
        params.push(format!("status={state}"));
    }
    if let Some(code) = query.category.as_deref().filter(|c| !c.is_empty()) {
        params.push(format!(
            "service_code={}",
            crate::text::percent_encode(code, false)
        ));
    }
    params.push(format!("page={}", query.page.max(1)));
    let size = if query.page_size == 0 {
        crate::listing::DEFAULT_PAGE_SIZE
    } else {
        query.page_size
    };
    params.push(format!("page_size={size}"));
    params.join("&")
}

/// A service request as one item of the public list, the way [`report_view`] shows it: the
/// service's name is its title (GeoReport has no title), the description's start its
/// excerpt, `open` in progress and `closed` resolved, the expected date its due date.
/// `None` for a request that shows neither a date nor a description (a server hiding a
/// confidential one): there is nothing a list may show of it.
pub fn report_summary(request: &ServiceRequest, today: NaiveDate) -> Option<ReportSummary> {
    let submitted_at = request.requested.clone()?;
    let view = report_view(request, today);
    let due = request.expected.as_deref().and_then(date_of);
    Some(ReportSummary {
        tracking_id: view.tracking_id,
        title: request
            .service_name
            .clone()
            .unwrap_or_else(|| request.id.clone()),
        excerpt: request
            .description
            .as_deref()
            .map(crate::listing::excerpt)
            .unwrap_or_default(),
        status: view.status,
        classification: None,
        agency: request.agency_responsible.clone(),
        category: request.service_name.clone(),
        region: request.address.clone(),
        submitted_at,
        due_date: due.filter(|_| request.open).map(crate::date::format),
        overdue: view.overdue,
        supporters: 0,
    })
}

/// A page of `requests.json` as a page of the public list; a full page may have a next one.
pub fn report_page<J: Json>(value: &J, query: &ListQuery, today: NaiveDate) -> ReportPage {
    let found = requests(value);
    let page_size = if query.page_size == 0 {
        crate::listing::DEFAULT_PAGE_SIZE
    } else {
        query.page_size
    };
    let more = found.len() >= page_size as usize;
    ReportPage {
        items: found
            .iter()
            .filter_map(|r| report_summary(r, today))
            .take(page_size as usize)
            .collect(),
        page: query.page.max(1),
        page_size,
        more,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Classification, Location, Reporter};

    // The example responses of the GeoReport v2 specification (wiki.open311.org), verbatim,
    // including their `001`-style codes, which strict JSON parsers reject.
    const SPEC_SERVICES: &str = r#"[
      {
        "service_code":001,
        "service_name":"Cans left out 24x7",
        "description":"Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.",
        "metadata":true,
        "type":"realtime",
        "keywords":"lorem, ipsum, dolor",
        "group":"sanitation"
      },
      {
        "service_code":002,
        "metadata":true,
        "type":"realtime",
        "keywords":"lorem, ipsum, dolor",
        "group":"street",
        "service_name":"Construction plate shifted",
        "description":"Metal construction plate covering the street or sidewalk has been moved."
      },
      {
        "service_code":003,
        "metadata":true,
        "type":"realtime",
        "keywords":"lorem, ipsum, dolor",
        "group":"street",
        "service_name":"Curb or curb ramp defect",
        "description":"Sidewalk curb or ramp has problems such as cracking, missing pieces, holes, and/or chipped curb."
      }
    ]"#;

    const SPEC_DEFINITION: &str = r#"{
      "service_code":"DMV66",
      "attributes":[
        {
          "variable":true,
          "code":"WHISHETN",
          "datatype":"singlevaluelist",
          "required":true,
          "datatype_description":null,
          "order":1,
          "description":"What is the ticket/tag/DL number?",
          "values":[
            {
              "key":123,
              "name":"Ford"
            },
            {
              "key":124,
              "name":"Chrysler"
            }
          ]
        }
      ]
    }"#;

    const SPEC_POST_RESPONSE: &str = r#"[
      {
        "service_request_id":293944,
        "service_notice":"The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code",
        "account_id":null
      }
    ]"#;

    const SPEC_TOKEN: &str = r#"[
      {
        "service_request_id":638344,
        "token":12345
      }
    ]"#;

    const SPEC_REQUESTS: &str = r#"[
      {
        "service_request_id":638344,
        "status":"closed",
        "status_notes":"Duplicate request.",
        "service_name":"Sidewalk and Curb Issues",
        "service_code":006,
        "description":null,
        "agency_responsible":null,
        "service_notice":null,
        "requested_datetime":"2010-04-14T06:37:38-08:00",
        "updated_datetime":"2010-04-14T06:37:38-08:00",
        "expected_datetime":"2010-04-15T06:37:38-08:00",
        "address":"8TH AVE and JUDAH ST",
        "address_id":545483,
        "zipcode":94122,
        "lat":37.762221815,
        "long":-122.4651145,
        "media_url":"http://city.gov.s3.amazonaws.com/requests/media/638344.jpg "
      },
      {
        "service_request_id":638349,
        "status":"open",
        "status_notes":null,
        "service_name":"Sidewalk and Curb Issues",
        "service_code":006,
        "description":null,
        "agency_responsible":null,
        "service_notice":null,
        "requested_datetime":"2010-04-19T06:37:38-08:00",
        "updated_datetime":"2010-04-19T06:37:38-08:00",
        "expected_datetime":"2010-04-19T06:37:38-08:00",
        "address":"8TH AVE and JUDAH ST",
        "address_id":545483,
        "zipcode":94122,
        "lat":37.762221815,
        "long":-122.4651145,
        "media_url":"http://city.gov.s3.amazonaws.com/requests/media/638349.jpg"
      }
    ]"#;

    #[test]
    fn reads_the_specs_service_list_with_its_leading_zero_codes() {
        let list = services(&parse_json(SPEC_SERVICES).unwrap());
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].code, "001");
        assert_eq!(list[0].name, "Cans left out 24x7");
        assert_eq!(list[1].group.as_deref(), Some("street"));
        assert!(
            list.iter()
                .all(|s| s.metadata && s.kind == ServiceType::Realtime)
        );
        let cats = categories(&list);
        assert_eq!(cats[2].id, "003");
        assert_eq!(cats[2].group.as_deref(), Some("street"));
    }

    #[test]
    fn reads_the_specs_service_definition() {
        let attrs = attributes(&parse_json(SPEC_DEFINITION).unwrap());
        assert_eq!(attrs.len(), 1);
        let a = &attrs[0];
        assert_eq!(
            (a.code.as_str(), a.datatype, a.required, a.variable),
            ("WHISHETN", Datatype::SingleValueList, true, true)
        );
        assert_eq!(
            a.values,
            vec![
                ("123".into(), "Ford".into()),
                ("124".into(), "Chrysler".into())
            ]
        );
        assert_eq!(a.datatype_description, None);
    }

    #[test]
    fn reads_ids_tokens_and_blackbox_answers() {
        let (id, notice) = created(&parse_json(SPEC_POST_RESPONSE).unwrap());
        assert_eq!(id, Created::Id("293944".into()));
        assert!(notice.unwrap().starts_with("The City will inspect"));
        assert_eq!(
            created(&parse_json(SPEC_TOKEN).unwrap()).0,
            Created::Id("638344".into())
        );
        assert_eq!(
            created(&parse_json(r#"[{"token":"12345"}]"#).unwrap()).0,
            Created::Token("12345".into())
        );
        assert_eq!(
            created(&parse_json(r#"[{"service_notice":"Terima kasih"}]"#).unwrap()).0,
            Created::Nothing
        );
        assert_eq!(created(&parse_json("[]").unwrap()).0, Created::Nothing);
    }

    #[test]
    fn the_specs_requests_become_a_page_of_the_public_list() {
        let today = NaiveDate::from_ymd_opt(2010, 4, 20).unwrap();
        let query = ListQuery {
            page_size: 2,
            ..ListQuery::first_page()
        };
        let page = report_page(&parse_json(SPEC_REQUESTS).unwrap(), &query, today);
        assert!(page.more, "a full page may have a next one");
        assert_eq!((page.page, page.page_size), (1, 2));
        let closed = &page.items[0];
        assert_eq!(closed.tracking_id.to_string(), "638344");
        assert_eq!(closed.title, "Sidewalk and Curb Issues");
        assert_eq!(closed.status, Status::Resolved);
        assert_eq!(closed.region.as_deref(), Some("8TH AVE and JUDAH ST"));
        assert_eq!(closed.submitted_at, "2010-04-14T06:37:38-08:00");
        assert_eq!(closed.due_date, None, "a resolved request runs no deadline");
        assert!(!closed.overdue);
        let open = &page.items[1];
        assert_eq!(open.status, Status::InProgress);
        assert_eq!(open.due_date.as_deref(), Some("2010-04-19"));
        assert!(open.overdue);
        assert_eq!((open.classification, open.supporters), (None, 0));

        let long = format!(
            r#"[{{"service_request_id":"A1","status":"open","requested_datetime":"2026-11-02T08:00:00+07:00","description":"{}"}},
               {{"service_request_id":"C-1","status":"open"}}]"#,
            "Lampu mati. ".repeat(30)
        );
        let page = report_page(&parse_json(&long).unwrap(), &ListQuery::first_page(), today);
        assert!(!page.more);
        assert_eq!(
            page.items.len(),
            1,
            "a request that shows nothing is not listed"
        );
        assert_eq!(page.items[0].title, "A1", "no service: its number");
        assert!(page.items[0].excerpt.ends_with('…'));
    }

    #[test]
    fn the_list_asks_requests_json_only_what_georeport_filters() {
        assert_eq!(
            requests_query(&ListQuery::first_page()),
            "page=1&page_size=20"
        );
        let query = ListQuery {
            status: Some(StatusFilter::One(Status::Rejected)),
            category: Some("jalan rusak".into()),
            agency: Some("pemkab-kendal".into()),
            region: Some("33.24".into()),
            q: Some("lampu".into()),
            page: 3,
            page_size: 10,
            ..ListQuery::first_page()
        };
        assert_eq!(
            requests_query(&query),
            "status=closed&service_code=jalan%20rusak&page=3&page_size=10"
        );
        let open = ListQuery {
            status: Some(StatusFilter::One(Status::Verified)),
            ..ListQuery::first_page()
        };
        assert!(requests_query(&open).starts_with("status=open&"));
    }

    #[test]
    fn reads_the_specs_requests_into_the_tracking_view() {
        let list = requests(&parse_json(SPEC_REQUESTS).unwrap());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, "638344");
        assert!(!list[0].open && list[1].open);
        assert_eq!(list[0].service_code.as_deref(), Some("006"));
        assert_eq!(list[0].description, None);
        let today = NaiveDate::from_ymd_opt(2010, 4, 20).unwrap();
        let closed = report_view(&list[0], today);
        assert_eq!(closed.status, Status::Resolved);
        assert_eq!(closed.events.len(), 2, "received, then the closing note");
        assert_eq!(
            closed.events[1].message.as_deref(),
            Some("Duplicate request.")
        );
        assert_eq!(closed.due_date, NaiveDate::from_ymd_opt(2010, 4, 15));
        assert_eq!(
            closed.classification, None,
            "GeoReport has no kind of report"
        );
        assert!(!closed.overdue, "closed requests are never overdue");
        let open = report_view(&list[1], today);
        assert_eq!(open.status, Status::InProgress);
        assert!(open.overdue);
        assert_eq!(open.events.len(), 1);
        // A request whose dates a server hides (a confidential report) has no timeline.
        let hidden =
            requests(&parse_json(r#"[{"service_request_id":"C-1","status":"open"}]"#).unwrap());
        let hidden = report_view(&hidden[0], today);
        assert_eq!((hidden.submitted_at, hidden.events.len()), (None, 0));
    }

    #[test]
    fn parses_leniently() {
        // One object where a list was expected, string ids, wrapped lists, missing fields.
        let one = parse_json(r#"{"service_request_id":"A-1","status":"open"}"#).unwrap();
        assert_eq!(requests(&one)[0].id, "A-1");
        let wrapped = parse_json(r#"{"services":[{"service_code":"x"}]}"#).unwrap();
        assert_eq!(services(&wrapped)[0].name, "x");
        assert!(services(&parse_json(r#"[{"service_name":"no code"}]"#).unwrap()).is_empty());
        assert_eq!(
            parse_json(r#"{"a":"001","b":0.5,"c":[0,10]}"#).unwrap()["a"],
            "001"
        );
        assert!(parse_json("not json").is_none());
        assert_eq!(
            error_message(
                &parse_json(r#"[{"code":400,"description":"service_code missing"}]"#).unwrap()
            )
            .as_deref(),
            Some("service_code missing")
        );
    }

    #[test]
    fn builds_the_post_body_with_every_location_field() {
        let mut report = NewReport {
            classification: Classification::Complaint,
            title: "Lampu mati".into(),
            body: "Sudah seminggu & gelap".into(),
            incident_date: None,
            location: Some(Location {
                region_id: None,
                text: Some("Jl. Pemuda".into()),
                lat: Some(-6.9),
                lon: Some(110.2),
            }),
            agency_id: None,
            category_id: Some("001".into()),
            field_inspection: false,
            anonymous: false,
            confidential: false,
            reporter: Some(Reporter {
                name: Some("Siti Aminah".into()),
                email: Some("s@x.id".into()),
                phone: None,
            }),
            attachment_ids: Vec::new(),
            locale: None,
        };
        let body = request_form(
            &report,
            &[
                ("WHISHETN".into(), vec!["123".into()]),
                ("MULTI".into(), vec!["a".into(), "b".into()]),
            ],
            Some("k"),
            None,
        );
        assert_eq!(
            body,
            "api_key=k&service_code=001&description=Lampu+mati%0A%0ASudah+seminggu+%26+gelap\
             &email=s%40x.id&first_name=Siti&last_name=Aminah&lat=-6.9&long=110.2\
             &address_string=Jl.+Pemuda&address=Jl.+Pemuda\
             &attribute%5BWHISHETN%5D=123&attribute%5BMULTI%5D%5B%5D=a&attribute%5BMULTI%5D%5B%5D=b"
        );
        // A typed place goes in both names servers read, beside the coordinates.
        report.location = Some(Location {
            region_id: None,
            text: Some("Jl. Pemuda 5".into()),
            lat: None,
            lon: None,
        });
        let body = request_form(&report, &[], None, Some("kendal"));
        assert_eq!(
            body,
            "jurisdiction_id=kendal&service_code=001\
             &description=Lampu+mati%0A%0ASudah+seminggu+%26+gelap\
             &email=s%40x.id&first_name=Siti&last_name=Aminah\
             &address_string=Jl.+Pemuda+5&address=Jl.+Pemuda+5"
        );
    }

    /// The answers of `POST requests` seen in public implementations.
    #[test]
    fn reads_every_shape_of_post_answer() {
        let cases = [
            // A list with one object, id as a number (the spec).
            (
                r#"[{"service_request_id":293944}]"#,
                Created::Id("293944".into()),
            ),
            // A bare object, id as a string (201 from Django implementations).
            (
                r#"{"service_request_id":"SR-2026-7","service_notice":null}"#,
                Created::Id("SR-2026-7".into()),
            ),
            // Both an id and a token: the id wins.
            (
                r#"{"service_request_id":"17","token":"0f3c"}"#,
                Created::Id("17".into()),
            ),
            // Only a token, as a string or a number, in a list or bare.
            (r#"[{"token":"0f3c-aa"}]"#, Created::Token("0f3c-aa".into())),
            (r#"{"token":12345}"#, Created::Token("12345".into())),
            // An id that is null beside a token.
            (
                r#"[{"service_request_id":null,"token":"t-9"}]"#,
                Created::Token("t-9".into()),
            ),
        ];
        for (answer, expected) in cases {
            assert_eq!(
                created(&parse_json(answer).unwrap()).0,
                expected,
                "{answer}"
            );
        }
    }

    #[test]
    fn reads_a_request_as_a_list_or_a_bare_object() {
        let list = parse_json(r#"[{"service_request_id":42,"status":"open"}]"#).unwrap();
        let bare =
            parse_json(r#"{"service_request_id":"42","status":"closed","status_notes":"Selesai"}"#)
                .unwrap();
        assert_eq!(requests(&list)[0].id, "42");
        let bare = &requests(&bare)[0];
        assert_eq!((bare.id.as_str(), bare.open), ("42", false));
        // A 404 as JSON names no request; as HTML it is no JSON at all.
        let not_found = parse_json(r#"[{"code":404,"description":"Not found"}]"#).unwrap();
        assert!(requests(&not_found).is_empty());
        assert!(parse_json("<html><body><h1>Not Found</h1></body></html>").is_none());
    }

    #[test]
    fn reads_every_shape_of_error_answer() {
        // The spec's list of {code, description}.
        let spec = parse_json(
            r#"[{"code":403,"description":"Invalid api_key received -- can't proceed with create_request."},
                {"code":404,"description":"Whatever"}]"#,
        )
        .unwrap();
        let answer = error_answer(&spec);
        assert_eq!(answer.messages.len(), 2);
        assert!(answer.messages[0].starts_with("Invalid api_key"));
        assert!(answer.fields.is_empty());
        // A bare {code, description}.
        let bare = parse_json(r#"{"code":400,"description":"service_code missing"}"#).unwrap();
        assert_eq!(
            error_message(&bare).as_deref(),
            Some("service_code missing")
        );
        // {code, detail} with detail a string, then a list.
        let detail = parse_json(r#"{"code":400,"detail":"Invalid service_code"}"#).unwrap();
        assert_eq!(error_answer(&detail).messages, vec!["Invalid service_code"]);
        let detail = parse_json(r#"{"code":400,"detail":["One.","Two."]}"#).unwrap();
        assert_eq!(error_answer(&detail).messages, vec!["One.", "Two."]);
        // {code, detail} with an object of field lists (Django REST framework).
        let fields = parse_json(
            r#"{"code":400,"detail":{"address":["This field is required."],
                "description":"Too short.","non_field_errors":["Coordinates or address needed."]}}"#,
        )
        .unwrap();
        let answer = error_answer(&fields);
        assert_eq!(answer.messages, vec!["Coordinates or address needed."]);
        let mut got: Vec<(String, String)> = answer
            .fields
            .iter()
            .map(|f| (f.field.clone(), f.message.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("body".into(), "Too short.".into()),
                ("location.text".into(), "This field is required.".into()),
            ]
        );
        assert!(answer.fields.iter().all(|f| f.code == SERVER_FIELD_ERROR));
        // Field lists alone, with an attribute.
        let alone = parse_json(r#"{"attribute[ROAD]":["Pick one."]}"#).unwrap();
        assert_eq!(error_answer(&alone).fields[0].field, "attribute[ROAD]");
        // Django's HTML 500 page is no JSON: nothing to read, the app says it in its words.
        assert!(
            parse_json(
                "<!doctype html>\n<html lang=\"en\"><head><title>Server Error (500)</title></head>\
                 <body><h1>Server Error (500)</h1><p></p></body></html>"
            )
            .is_none()
        );
    }

    #[test]
    fn tells_which_services_need_a_location() {
        let list = services(
            &parse_json(
                r#"[{"service_code":"pothole","service_name":"Pothole","coords_or_address":true},
                    {"service_code":"info","service_name":"Info"}]"#,
            )
            .unwrap(),
        );
        assert!(needs_location(Some(&list[0]), &[]));
        assert!(!needs_location(Some(&list[1]), &[]));
        let definition = parse_json(
            r#"{"service_code":"info","attributes":[
                {"code":"address","datatype":"string","required":true,"variable":true,"order":1,"description":"Where?"}]}"#,
        )
        .unwrap();
        assert!(needs_location(Some(&list[1]), &attributes(&definition)));
        let optional = parse_json(
            r#"{"attributes":[{"code":"address","datatype":"string","required":false}]}"#,
        )
        .unwrap();
        assert!(!needs_location(None, &attributes(&optional)));
    }
}
