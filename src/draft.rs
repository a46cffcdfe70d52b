//! The report being written: saved on the device as the user types, restored after a reload,
//! a crash or a closed tab, with one Idempotency-Key for its whole life.

use lapor_core::Locale;
use lapor_core::api::{Agency, Classification, Location, NewReport, Region, Reporter};
use lapor_core::open311::{self, Json, Scalar};
use serde::{Deserialize, Serialize};

use crate::api::Uploaded;
use crate::outbox::files::QueuedFile;
use crate::storage::{self, Persisted, keys, persisted};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub idempotency_key: String,
    pub classification: Option<Classification>,
    pub title: String,
    pub body: String,
    /// As the date input gives it: `YYYY-MM-DD` or empty.
    pub incident_date: String,
    pub region: Option<Region>,
    pub location_text: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `None`: the citizen does not know; admins route it.
    pub agency: Option<Agency>,
    pub category_id: String,
    pub anonymous: bool,
    pub confidential: bool,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub attachments: Vec<Uploaded>,
    /// Prepared files that could not be uploaded yet (offline); they go up before the report.
    pub queued_files: Vec<QueuedFile>,
    /// Queued files already uploaded: their blobs stay on the device until the report is
    /// created, because the backend drops uploads no report took after
    /// `lapor_core::retention::SERVER_RETENTION_DAYS`, and then they are uploaded again.
    pub kept_uploads: Vec<KeptUpload>,
    /// Names of queued files the browser had evicted before they could be uploaded: the
    /// report goes without them, and the citizen is told.
    pub missing_files: Vec<String>,
    /// Values of the chosen service's extra fields (Open311 attributes), by code.
    pub attributes: Vec<(String, Vec<String>)>,
    /// The codes of the chosen service's fields, and those of them that must be answered.
    pub attribute_codes: Vec<String>,
    pub required_attributes: Vec<String>,
    /// The labels of the required fields, by code, to name them in the error summary (absent
    /// in drafts saved before they were kept: those say only "required").
    pub attribute_labels: Vec<(String, String)>,
    /// The chosen service needs a place (`api::ServiceFields::needs_location`).
    pub location_required: bool,
    /// The service the three fields above describe. While it is not the chosen one, the
    /// chosen service's fields are still being fetched ([`Draft::fields_pending`]).
    pub fields_of: String,
}

/// A queued file that was uploaded, and the attachment the upload became.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptUpload {
    pub file: QueuedFile,
    pub attachment_id: String,
}

/// Open311 attribute codes the form already asks for as its own fields: their values come
/// from those fields (the reference server's services define them).
pub const NATIVE_ATTRIBUTES: [&str; 3] = open311::attribute::FORM_ANSWERS;

fn filled(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn stored() -> Persisted<Draft> {
    persisted(keys::DRAFT)
}

impl Draft {
    /// The saved draft, or a fresh one with a new key.
    pub fn load() -> Draft {
        let mut draft = stored().load().unwrap_or_default();
        if draft.idempotency_key.is_empty() {
            draft.idempotency_key = crate::api::new_idempotency_key();
        }
        draft
    }

    /// Takes what index.html's first paint kept of what was typed there into this draft's empty
    /// fields, and removes it. The first paint hands its fields to the app's form as it takes
    /// over; this covers a copy that was not handed over (the page left, or the form's code
    /// missing, before then), which never outlives the form's next start.
    pub fn take_first_paint(&mut self) {
        // Read through the browser's own JSON values: no serde code for four strings.
        let copy = storage::text(keys::FIRST_PAINT).and_then(|text| crate::json::tree(&text));
        storage::remove(keys::FIRST_PAINT);
        if let Some(copy) = copy {
            self.fill_from(&copy);
        }
    }

    /// What the first paint kept (its inline script's JSON, by the app's field ids; `kind` a
    /// classification's code) in this draft's fields that are still empty.
    fn fill_from<J: Json>(&mut self, copy: &J) {
        let text = |key: &str| match copy.field(key).map(|v| v.scalar()) {
            Some(Scalar::Text(text)) => Some(text),
            _ => None,
        };
        if self.classification.is_none() {
            self.classification = text("kind").as_deref().and_then(Classification::from_code);
        }
        for (field, key) in [
            (&mut self.title, "title"),
            (&mut self.body, "body"),
            (&mut self.incident_date, "incident-date"),
        ] {
            if field.is_empty() {
                *field = text(key).unwrap_or_default();
            }
        }
    }

    /// Forgets what is kept on the device without a new draft (a form left as a link preset
    /// it: nothing of the citizen's).
    pub fn forget() {
        stored().remove();
    }

    /// Keeps the draft on the device; a blank one is not kept, so a device keeps a draft only
    /// when it holds something (index.html's first paint of the form takes input only when it
    /// keeps none: a kept draft is the app's to show).
    pub fn save(&self) {
        if self.is_blank() {
            stored().remove();
        } else {
            stored().save(self);
        }
    }

    /// Forgets the draft (after sending, or "discard"); the next one gets a new key.
    pub fn discard() -> Draft {
        stored().remove();
        Draft {
            idempotency_key: crate::api::new_idempotency_key(),
            ..Draft::default()
        }
    }

    /// Whether what the chosen service asks for is not known yet, so the form cannot say
    /// whether it is complete.
    pub fn fields_pending(&self) -> bool {
        self.category_id != self.fields_of
    }

    /// Whether the citizen has typed or chosen anything yet.
    pub fn is_blank(&self) -> bool {
        *self
            == Draft {
                idempotency_key: self.idempotency_key.clone(),
                ..Draft::default()
            }
    }

    /// Records that `file` was uploaded as `uploaded`; its blob stays kept.
    pub fn uploaded(&mut self, file: QueuedFile, uploaded: Uploaded) {
        self.kept_uploads.push(KeptUpload {
            file,
            attachment_id: uploaded.id.clone(),
        });
        self.attachments.push(uploaded);
    }

    /// The backend no longer has this draft's uploads (or never will again): every attachment
    /// uploaded from a file still kept on the device goes back into `queued_files`, ahead of
    /// those waiting, to be uploaded again. Returns how many went back. Attachments without a
    /// kept file (uploaded straight from the form) stay as they are.
    pub fn upload_again(&mut self) -> usize {
        let mut again = Vec::new();
        self.kept_uploads.retain(|kept| {
            match self
                .attachments
                .iter()
                .position(|a| a.id == kept.attachment_id)
            {
                Some(i) => {
                    self.attachments.remove(i);
                    again.push(kept.file.clone());
                    false
                }
                // Removed in the form since: nothing to send, the blob goes after success.
                None => true,
            }
        });
        let count = again.len();
        again.append(&mut self.queued_files);
        self.queued_files = again;
        count
    }

    /// Every blob this draft keeps on the device: to be deleted once the report is created.
    pub fn kept_files(&self) -> Vec<QueuedFile> {
        self.kept_uploads
            .iter()
            .map(|k| k.file.clone())
            .chain(self.queued_files.iter().cloned())
            .collect()
    }

    /// Whether the draft says where: a region, a typed place or coordinates.
    pub fn has_place(&self) -> bool {
        self.region.is_some()
            || !self.location_text.trim().is_empty()
            || (self.lat.is_some() && self.lon.is_some())
    }

    /// The value of an extra field.
    pub fn attribute(&self, code: &str) -> Vec<String> {
        self.attributes
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn set_attribute(&mut self, code: &str, values: Vec<String>) {
        self.attributes.retain(|(c, _)| c != code);
        self.attributes.push((code.to_owned(), values));
    }

    /// What is sent for the service's fields `codes`: the values typed into them, and for
    /// the codes the form asks natively, the form's own fields.
    pub fn attribute_values(&self, codes: &[String]) -> Vec<(String, Vec<String>)> {
        codes
            .iter()
            .map(|code| {
                let native = match code.as_str() {
                    open311::attribute::CLASSIFICATION => {
                        self.classification.map(|c| c.code().to_owned())
                    }
                    open311::attribute::TITLE => filled(&self.title),
                    open311::attribute::INCIDENT_DATE => filled(&self.incident_date),
                    _ => None,
                };
                let values = match native {
                    Some(v) => vec![v],
                    None => self.attribute(code),
                };
                (code.clone(), values)
            })
            .filter(|(_, v)| v.iter().any(|x| !x.trim().is_empty()))
            .collect()
    }

    /// The request body; `None` until a classification is chosen. Contact details of an
    /// anonymous report are not sent at all.
    pub fn to_report(&self, locale: Locale) -> Option<NewReport> {
        let classification = self.classification?;
        let complaint = classification == Classification::Complaint;
        let reporter = Reporter {
            name: filled(&self.name),
            email: filled(&self.email),
            phone: filled(&self.phone),
        };
        let has_contact = reporter != Reporter::default();
        Some(NewReport {
            classification,
            title: self.title.trim().to_owned(),
            body: self.body.trim().to_owned(),
            incident_date: if complaint {
                lapor_core::date::parse(&self.incident_date)
            } else {
                None
            },
            location: Some(Location {
                region_id: self.region.as_ref().map(|r| r.id.clone()),
                text: filled(&self.location_text),
                lat: self.lat,
                lon: self.lon,
            }),
            agency_id: self.agency.as_ref().map(|a| a.id.clone()),
            category_id: filled(&self.category_id),
            field_inspection: false,
            anonymous: self.anonymous,
            confidential: self.confidential,
            reporter: (!self.anonymous && has_contact).then_some(reporter),
            attachment_ids: self.attachments.iter().map(|a| a.id.clone()).collect(),
            locale: Some(locale.tag().to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn what_the_first_paint_kept_fills_only_empty_fields() {
        let copy = |kind: &str| {
            serde_json::json!({
                "kind": kind,
                "title": "Lampu jalan mati",
                "body": "Sejak seminggu.",
                "incident-date": "2026-12-01",
            })
        };
        let mut blank = Draft::default();
        blank.fill_from(&copy("aspiration"));
        assert_eq!(blank.classification, Some(Classification::Aspiration));
        assert_eq!(
            (
                blank.title.as_str(),
                blank.body.as_str(),
                blank.incident_date.as_str()
            ),
            ("Lampu jalan mati", "Sejak seminggu.", "2026-12-01")
        );
        // A draft kept meanwhile (the kind handed over before the page was left) keeps what it
        // has; an unknown kind is no kind, and a value that is not text is nothing.
        let mut kept = Draft {
            classification: Some(Classification::Complaint),
            title: "Jalan berlubang".into(),
            ..Draft::default()
        };
        kept.fill_from(&copy("aspiration"));
        assert_eq!(kept.classification, Some(Classification::Complaint));
        assert_eq!(kept.title, "Jalan berlubang");
        assert_eq!(kept.body, "Sejak seminggu.");
        let mut odd = Draft::default();
        odd.fill_from(
            &serde_json::json!({ "kind": "keluhan", "title": 7, "incident-date": "2026-11-30" }),
        );
        assert_eq!(odd.classification, None);
        assert_eq!(odd.title, "");
        assert_eq!(odd.incident_date, "2026-11-30");
    }

    fn draft() -> Draft {
        Draft {
            idempotency_key: "k".into(),
            classification: Some(Classification::Aspiration),
            title: "  Taman kota perlu lampu  ".into(),
            body: "x".into(),
            incident_date: "2026-03-01".into(),
            name: "Siti".into(),
            email: " ".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn a_draft_saved_before_the_field_labels_were_kept_still_loads() {
        let saved = r#"{"title":"Lampu mati","attributes":[["pole",["PJU-1"]]],"attribute_codes":["pole","size"],"required_attributes":["size"]}"#;
        let draft: Draft = serde_json::from_str(saved).unwrap();
        assert_eq!(draft.title, "Lampu mati");
        assert_eq!(draft.attribute("pole"), ["PJU-1"]);
        assert_eq!(draft.required_attributes, ["size"]);
        assert!(draft.attribute_labels.is_empty());
    }

    #[test]
    fn builds_the_request_body() {
        let report = draft().to_report(Locale::En).unwrap();
        assert_eq!(report.title, "Taman kota perlu lampu");
        assert_eq!(
            report.incident_date, None,
            "only complaints carry an incident date"
        );
        let reporter = report.reporter.unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Siti"));
        assert_eq!(reporter.email, None);
        assert_eq!(report.locale.as_deref(), Some("en"));
    }

    #[test]
    fn anonymous_reports_send_no_contact_details() {
        let mut d = draft();
        d.anonymous = true;
        assert_eq!(d.to_report(Locale::Id).unwrap().reporter, None);
    }

    #[test]
    fn complaints_carry_the_incident_date_and_nothing_without_a_kind() {
        let mut d = draft();
        d.classification = Some(Classification::Complaint);
        assert_eq!(
            d.to_report(Locale::Id).unwrap().incident_date,
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        d.classification = None;
        assert!(d.to_report(Locale::Id).is_none());
    }

    #[test]
    fn service_fields_take_the_forms_own_answers_where_it_has_them() {
        let mut d = draft();
        d.set_attribute("WHISHETN", vec!["123".into()]);
        d.set_attribute("empty", vec![String::new()]);
        let codes = [
            "classification",
            "title",
            "WHISHETN",
            "empty",
            "incident_date",
        ]
        .map(String::from);
        assert_eq!(
            d.attribute_values(&codes),
            vec![
                ("classification".into(), vec!["aspiration".into()]),
                ("title".into(), vec!["Taman kota perlu lampu".into()]),
                ("WHISHETN".into(), vec!["123".into()]),
                ("incident_date".into(), vec!["2026-03-01".into()]),
            ]
        );
    }

    #[test]
    fn blank_means_nothing_typed() {
        let d = Draft {
            idempotency_key: "k".into(),
            ..Draft::default()
        };
        assert!(d.is_blank());
        assert!(!draft().is_blank());
    }
}
