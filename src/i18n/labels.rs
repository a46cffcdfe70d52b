//! The words for `core`'s values in the visitor's language: a report's status and its
//! classification, as every page shows them.

use lapor_core::Status;
use lapor_core::api::Classification;

use super::Texts;

pub fn status_text(t: &'static Texts, status: &Status) -> String {
    match status {
        Status::Received => t.status_received.into(),
        Status::Verified => t.status_verified.into(),
        Status::Forwarded => t.status_forwarded.into(),
        Status::InProgress => t.status_in_progress.into(),
        Status::Resolved => t.status_resolved.into(),
        Status::Closed => t.status_closed.into(),
        Status::Rejected => t.status_rejected.into(),
        Status::Unknown(raw) => raw.clone(),
    }
}

pub fn classification_text(t: &'static Texts, c: Classification) -> &'static str {
    match c {
        Classification::Complaint => t.class_complaint,
        Classification::Aspiration => t.class_aspiration,
        Classification::InformationRequest => t.class_information_request,
    }
}
