//! The JSON types of the native API (`/api/v1`), shared by the app and the reference server.
//! The OpenAPI document in `server/openapi.json` describes the same shapes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::tracking::TrackingId;
use crate::{Locale, Status};

pub const API_PREFIX: &str = "/api/v1";

/// What a report's reporter sends to `/reports/{tracking}/…` of the native API.
pub mod actions {
    pub const REPLIES: &str = "replies";
    pub const RATING: &str = "rating";
    pub const DISPUTES: &str = "disputes";
}

/// The HTTP headers of the native API, in lower case (HTTP header names are case-insensitive,
/// and `http::HeaderName::from_static` takes only lower case).
pub mod headers {
    /// Makes a write safe to retry: the same key and body give the first answer again.
    pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
    /// A report's access code: shows a confidential report's details, allows replies.
    pub const ACCESS_CODE: &str = "x-access-code";
    /// The `key` of an upload, which alone reads it until a report takes it.
    pub const UPLOAD_KEY: &str = "x-upload-key";
    /// Seconds (or an HTTP date) to wait after a 429 or 503.
    pub const RETRY_AFTER: &str = "retry-after";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Complaint,
    Aspiration,
    InformationRequest,
}

impl Classification {
    pub const ALL: [Classification; 3] = [
        Classification::Complaint,
        Classification::Aspiration,
        Classification::InformationRequest,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Classification::Complaint => "complaint",
            Classification::Aspiration => "aspiration",
            Classification::InformationRequest => "information_request",
        }
    }

    pub fn from_code(code: &str) -> Option<Classification> {
        Classification::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Channel {
    /// `sms`, `phone`, `web`, `twitter`, `telegram`, `email`, …
    pub kind: String,
    pub label: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResolutionTargets {
    pub information_request: u32,
    pub complaint: u32,
    pub complaint_field_inspection: u32,
    pub aspiration: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlaPolicy {
    pub verification_days: u32,
    pub follow_up_days: u32,
    pub reply_window_days: u32,
    pub resolution: ResolutionTargets,
}

impl Default for SlaPolicy {
    /// The national policy (KemenPAN-RB 2018; Kendal 2022).
    fn default() -> Self {
        SlaPolicy {
            verification_days: 3,
            follow_up_days: 5,
            reply_window_days: 10,
            resolution: ResolutionTargets {
                information_request: 5,
                complaint: 14,
                complaint_field_inspection: 60,
                aspiration: 14,
            },
        }
    }
}

impl SlaPolicy {
    /// Working days allowed to resolve a report of this kind.
    pub fn resolution_days(&self, classification: Classification, field_inspection: bool) -> u32 {
        match classification {
            Classification::InformationRequest => self.resolution.information_request,
            Classification::Aspiration => self.resolution.aspiration,
            Classification::Complaint if field_inspection => {
                self.resolution.complaint_field_inspection
            }
            Classification::Complaint => self.resolution.complaint,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct YearCalendar {
    pub year: i32,
    #[serde(with = "crate::date::list")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub national_holidays: Vec<NaiveDate>,
    #[serde(with = "crate::date::list")]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub collective_leave: Vec<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttachmentLimits {
    pub max_files: u32,
    pub max_bytes_per_file: u64,
    pub accepted_types: Vec<String>,
}

impl AttachmentLimits {
    /// The limits of the reference server, and what the app assumes before the instance has
    /// answered.
    pub const DEFAULT_MAX_FILES: u32 = 5;
    pub const DEFAULT_MAX_BYTES_PER_FILE: u64 = 5 * 1024 * 1024;
    pub const DEFAULT_ACCEPTED_TYPES: [&'static str; 4] =
        ["image/jpeg", "image/png", "image/webp", "application/pdf"];

    /// No attachments at all (a backend without uploads, such as Open311).
    pub fn none() -> AttachmentLimits {
        AttachmentLimits {
            max_files: 0,
            max_bytes_per_file: 0,
            accepted_types: Vec::new(),
        }
    }

    /// Whether a file of `content_type` may be sent.
    pub fn accepts(&self, content_type: &str) -> bool {
        self.accepted_types.iter().any(|t| t == content_type)
    }
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits {
            max_files: AttachmentLimits::DEFAULT_MAX_FILES,
            max_bytes_per_file: AttachmentLimits::DEFAULT_MAX_BYTES_PER_FILE,
            accepted_types: AttachmentLimits::DEFAULT_ACCEPTED_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Instance {
    pub name: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_agency_id: Option<String>,
    pub locales: Vec<String>,
    pub channels: Vec<Channel>,
    pub time_zone: String,
    pub sla: SlaPolicy,
    pub calendar: Vec<YearCalendar>,
    pub attachments: AttachmentLimits,
}

impl Instance {
    /// The national rules with no agency of its own: SLA defaults, the bundled calendar, both
    /// languages, WIB, no channels. A server's instance starts from it; the app uses it for a
    /// backend that does not describe itself (Open311).
    pub fn national_default() -> Instance {
        Instance {
            name: "Lapor".into(),
            region: String::new(),
            default_agency_id: None,
            locales: Locale::ALL.iter().map(|l| l.tag().to_owned()).collect(),
            channels: Vec::new(),
            time_zone: "Asia/Jakarta".into(),
            sla: SlaPolicy::default(),
            calendar: vec![crate::calendar::indonesia_2026()],
            attachments: AttachmentLimits::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgencyTier {
    National,
    Province,
    Regency,
    Opd,
    District,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub tier: AgencyTier,
    #[serde(default)]
    pub parent_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Category {
    pub id: String,
    pub name_id: String,
    pub name_en: String,
    /// A heading to group categories under (Open311 services' `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

crate::open_enum! {
    /// Where a region sits in Kemendagri's hierarchy.
    pub enum RegionLevel {
        Province = "province",
        Regency = "regency",
        District = "district",
        Village = "village",
    }
}

impl RegionLevel {
    /// The level of a code with `depth` parts (`33` is a province, `33.24.12.2001` a village).
    pub fn from_depth(depth: usize) -> RegionLevel {
        RegionLevel::KNOWN[depth.clamp(1, 4) - 1].clone()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Region {
    /// The official Kemendagri code, e.g. `33.24.12`.
    pub id: String,
    pub name: String,
    pub level: RegionLevel,
    /// Names of the parents, nearest first (district, regency, province).
    pub parents: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FaqEntry {
    pub id: String,
    pub category: String,
    pub question: String,
    pub answer: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Location {
    #[serde(default)]
    pub region_id: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reporter {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewReport {
    pub classification: Classification,
    pub title: String,
    pub body: String,
    #[serde(default, with = "crate::date::option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub incident_date: Option<NaiveDate>,
    #[serde(default)]
    pub location: Option<Location>,
    #[serde(default)]
    pub agency_id: Option<String>,
    #[serde(default)]
    pub category_id: Option<String>,
    #[serde(default)]
    pub field_inspection: bool,
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub reporter: Option<Reporter>,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
    #[serde(default)]
    pub locale: Option<String>,
}

/// A report's number as its backend gives it: this portal's checked tracking number, or the
/// id another backend (Open311) chose. On the wire, the number as text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReportNumber {
    Tracking(TrackingId),
    /// Another backend's own id, exactly as sent (empty when it sent none).
    Other(String),
}

impl ReportNumber {
    /// A tracking number however typed, else the text as another backend's id.
    pub fn parse(raw: &str) -> ReportNumber {
        match TrackingId::parse(raw) {
            Ok(id) => ReportNumber::Tracking(id),
            Err(_) => ReportNumber::Other(raw.to_owned()),
        }
    }

    /// The number in a URL path: a tracking number compact (`K7M2QX9PD`), another id as sent.
    pub fn path_segment(&self) -> String {
        match self {
            ReportNumber::Tracking(id) => id.compact(),
            ReportNumber::Other(raw) => raw.clone(),
        }
    }

    /// Whether the backend gave no number at all (a GeoReport "blackbox" service).
    pub fn is_empty(&self) -> bool {
        matches!(self, ReportNumber::Other(raw) if raw.is_empty())
    }
}

impl From<TrackingId> for ReportNumber {
    fn from(id: TrackingId) -> Self {
        ReportNumber::Tracking(id)
    }
}

impl std::fmt::Display for ReportNumber {
    /// A tracking number's readable form (`K7M-2QX-9PD`); another id as sent.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportNumber::Tracking(id) => id.fmt(f),
            ReportNumber::Other(raw) => f.write_str(raw),
        }
    }
}

impl Serialize for ReportNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(ReportNumber::parse(&String::deserialize(deserializer)?))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ReportNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReportNumber".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string" })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportCreated {
    pub tracking_id: ReportNumber,
    pub access_code: String,
    pub status: Status,
    /// RFC 3339 timestamp.
    pub submitted_at: String,
    #[serde(with = "crate::date")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub due_date: NaiveDate,
    pub due_date_estimate: bool,
}

/// The answer to an upload (`POST /attachments`): the id a report names it by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Uploaded {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    /// Bytes stored (after the server removed the file's metadata).
    pub size: u64,
    /// The secret that reads the upload back (`X-Upload-Key`) until a report takes it; not
    /// kept by the app, and absent from other backends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttachmentRef {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub url: String,
}

crate::open_enum! {
    /// What a timeline event records.
    pub enum EventKind {
        /// The report moved to another status.
        Status = "status",
        /// The agency responded (the reply window counts from here).
        Response = "response",
        /// The reporter answered a response.
        Reply = "reply",
        /// The reporter rated the resolution.
        Rating = "rating",
        /// The reporter said a resolved report is not resolved; it went back to in progress.
        Dispute = "dispute",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportEvent {
    pub at: String,
    pub status: Status,
    #[serde(default)]
    pub agency: Option<String>,
    /// Hidden (`null`) for a confidential report without the access code.
    #[serde(default)]
    pub message: Option<String>,
    pub kind: EventKind,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportView {
    pub tracking_id: ReportNumber,
    pub status: Status,
    /// Absent where the privacy rule hides it (a confidential report seen without its code,
    /// see [`crate::privacy`]); so are `agency`, `category`, `submitted_at` and `due_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    #[serde(
        default,
        with = "crate::date::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_date: Option<NaiveDate>,
    pub due_date_estimate: bool,
    pub overdue: bool,
    pub confidential: bool,
    pub anonymous: bool,
    /// Whether title, body and messages are included (public report, or the right access code).
    pub details_visible: bool,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub rating: Option<u8>,
    /// How many citizens support it ("dukung", [`crate::listing::Support`]); absent for a
    /// report no list may show, and from backends without support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supporters: Option<u32>,
    pub events: Vec<ReportEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewReply {
    pub message: String,
    /// Uploads (`POST /attachments`) shown with the reply, like a new report's.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

/// "Belum selesai": the reporter says a resolved report is not resolved, why, and with what
/// photos (see [`crate::permissions::can_dispute`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewDispute {
    /// Why the report is not resolved.
    pub message: String,
    /// Uploads (`POST /attachments`) that show it, like a new report's.
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewRating {
    pub stars: u8,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A field of a report, reply or rating, as requests and problem+json errors name it
/// (`FieldError::field`). An Open311 service's extra fields are `attribute[code]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Classification,
    Title,
    Body,
    IncidentDate,
    RegionId,
    LocationText,
    Lat,
    Lon,
    AgencyId,
    CategoryId,
    ReporterName,
    ReporterEmail,
    ReporterPhone,
    AttachmentIds,
    Message,
    Stars,
    Comment,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::Classification,
        Field::Title,
        Field::Body,
        Field::IncidentDate,
        Field::RegionId,
        Field::LocationText,
        Field::Lat,
        Field::Lon,
        Field::AgencyId,
        Field::CategoryId,
        Field::ReporterName,
        Field::ReporterEmail,
        Field::ReporterPhone,
        Field::AttachmentIds,
        Field::Message,
        Field::Stars,
        Field::Comment,
    ];

    /// The field's path in a request body.
    pub const fn path(self) -> &'static str {
        match self {
            Field::Classification => "classification",
            Field::Title => "title",
            Field::Body => "body",
            Field::IncidentDate => "incident_date",
            Field::RegionId => "location.region_id",
            Field::LocationText => "location.text",
            Field::Lat => "location.lat",
            Field::Lon => "location.lon",
            Field::AgencyId => "agency_id",
            Field::CategoryId => "category_id",
            Field::ReporterName => "reporter.name",
            Field::ReporterEmail => "reporter.email",
            Field::ReporterPhone => "reporter.phone",
            Field::AttachmentIds => "attachment_ids",
            Field::Message => "message",
            Field::Stars => "stars",
            Field::Comment => "comment",
        }
    }

    pub fn from_path(path: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.path() == path)
    }

    /// The path of an Open311 service's attribute `code`.
    pub fn attribute(code: &str) -> String {
        format!("attribute[{code}]")
    }

    /// The attribute code of an attribute path (`attribute[code]`; also `attribute.code`,
    /// which earlier versions of the app wrote).
    pub fn attribute_code(path: &str) -> Option<&str> {
        path.strip_prefix("attribute[")
            .and_then(|rest| rest.strip_suffix(']'))
            .or_else(|| path.strip_prefix("attribute."))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// RFC 9457 problem details, with per-field errors for validation failures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    #[serde(rename = "type", default = "about_blank")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    /// A problem with only a status and a title (`type` is `about:blank`).
    pub fn new(status: u16, title: impl Into<String>) -> Problem {
        Problem {
            type_: about_blank(),
            title: title.into(),
            status,
            detail: None,
            errors: Vec::new(),
        }
    }
}

fn about_blank() -> String {
    "about:blank".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_numbers_are_tracking_numbers_when_they_check_and_text_otherwise() {
        let id = TrackingId::from_random(0x12_3456_789A);
        let number = ReportNumber::from(id);
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<ReportNumber>(&json).unwrap(), number);
        assert_eq!(number.path_segment(), id.compact());
        let theirs: ReportNumber = serde_json::from_str("\"638344\"").unwrap();
        assert_eq!(theirs, ReportNumber::Other("638344".into()));
        assert_eq!(
            (theirs.to_string(), theirs.path_segment()),
            ("638344".into(), "638344".into())
        );
        assert!(ReportNumber::Other(String::new()).is_empty() && !number.is_empty());
    }

    #[test]
    fn region_levels_follow_the_depth_of_the_code() {
        assert_eq!(RegionLevel::from_depth(1), RegionLevel::Province);
        assert_eq!(RegionLevel::from_depth(3), RegionLevel::District);
        assert_eq!(RegionLevel::from_depth(4), RegionLevel::Village);
        assert_eq!(
            serde_json::to_string(&RegionLevel::Regency).unwrap(),
            "\"regency\""
        );
    }

    #[test]
    fn every_field_path_reads_back_and_attributes_have_one_spelling() {
        for field in Field::ALL {
            assert_eq!(Field::from_path(field.path()), Some(field));
        }
        assert_eq!(
            Field::from_path("location.region_id"),
            Some(Field::RegionId)
        );
        assert_eq!(Field::attribute("urgency"), "attribute[urgency]");
        assert_eq!(Field::attribute_code("attribute[urgency]"), Some("urgency"));
        assert_eq!(Field::attribute_code("attribute.urgency"), Some("urgency"));
        assert_eq!(Field::attribute_code("title"), None);
        assert_eq!(Field::from_path("attribute[urgency]"), None);
    }
}
