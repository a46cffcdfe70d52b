//! The privacy rule: what a public, an anonymous and a confidential report may show, to whom.
//!
//! Every view a server produces of a report (the native tracking view, Open311's
//! `requests/{id}` and `requests.json`, any list) asks [`disclosure`] what it may include and
//! applies it; the native view is cut by [`redact`]. One rule, so that a new view cannot forget
//! a case:
//!
//! | report        | who asks            | listed | content | routing | timing |
//! |---------------|---------------------|--------|---------|---------|--------|
//! | public        | anyone              | yes    | yes     | yes     | yes    |
//! | anonymous     | anyone              | yes    | yes     | yes     | yes    |
//! | confidential  | anyone with the number only | no | no  | no      | no     |
//! | confidential  | holder of the access code   | no | yes | yes     | yes    |
//!
//! The reporter's identity is never part of any view: an anonymous report's is not even
//! stored, and a named report's name and contact are for the handling officials only.
//! Nor is the place of a report that is not a complaint ([`place_is_public`]): an aspiration's
//! or an information request's place is where its reporter lives.
//! A confidential report's number alone reveals its status (and whether it is overdue),
//! nothing else: not its agency, category, kind, dates or timeline.

use crate::api::{Classification, ReportView};

/// What a reporter chose when sending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Privacy {
    /// The reporter's identity is not stored (the report may still be public).
    pub anonymous: bool,
    /// The report itself is not public: only its reporter and the officials read it.
    pub confidential: bool,
}

/// Who is asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone: a list, a shared link, a tracking number typed in without its code.
    Public,
    /// Someone who proved to be the reporter with the report's access code.
    CodeHolder,
}

/// What a view of one report may include.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disclosure {
    /// The report may appear in lists (native lists, Open311 `requests.json`, suggestions).
    pub listed: bool,
    /// Title, body, location, attachments, and the messages and notes of its timeline.
    pub content: bool,
    /// The agency handling it, its category or Open311 service, and its kind.
    pub routing: bool,
    /// Its dates: submission, timeline events, the due date, Open311's datetimes.
    pub timing: bool,
}

impl Disclosure {
    /// Whether the view carries anything beyond the status, so that it must not be stored by
    /// shared caches or kept by a device that did not choose to (`Cache-Control: no-store`).
    pub fn is_private(self, privacy: Privacy) -> bool {
        privacy.confidential && (self.content || self.routing || self.timing)
    }
}

/// The one rule (see the table in the module's documentation).
pub fn disclosure(privacy: Privacy, viewer: Viewer) -> Disclosure {
    let shown = !privacy.confidential || viewer == Viewer::CodeHolder;
    Disclosure {
        listed: !privacy.confidential,
        content: shown,
        routing: shown,
        timing: shown,
    }
}

/// Whether a report's place (region, location text, coordinates) may be in a public view or
/// list, or filter one. Only a complaint's place is where something happened; for the other
/// kinds the form asks where the reporter lives, which with the report's own words can be
/// enough to name an anonymous reporter. An unknown kind is treated as the private case.
pub fn place_is_public(classification: Option<Classification>) -> bool {
    classification == Some(Classification::Complaint)
}

/// `view` with everything `disclosure` does not allow taken out. Servers build the full view
/// and pass it through here; nothing else decides what a tracking view shows.
pub fn redact(mut view: ReportView, disclosure: Disclosure) -> ReportView {
    view.details_visible = disclosure.content;
    if !disclosure.listed {
        // Support is for what the public sees; a count would show that others know of it.
        view.supporters = None;
    }
    if !disclosure.content {
        view.title = None;
        view.body = None;
        view.rating = None;
        for event in &mut view.events {
            event.message = None;
            event.attachments.clear();
        }
    }
    if !disclosure.routing {
        view.agency = None;
        view.category = None;
        view.classification = None;
        for event in &mut view.events {
            event.agency = None;
        }
    }
    if !disclosure.timing {
        view.submitted_at = None;
        view.due_date = None;
        view.due_date_estimate = false;
        // A timeline is a list of dates: without them it says nothing the status does not.
        view.events.clear();
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;
    use crate::api::{AttachmentRef, Classification, ReportEvent};

    const ALL: [Privacy; 4] = [
        Privacy {
            anonymous: false,
            confidential: false,
        },
        Privacy {
            anonymous: true,
            confidential: false,
        },
        Privacy {
            anonymous: false,
            confidential: true,
        },
        Privacy {
            anonymous: true,
            confidential: true,
        },
    ];

    fn full_view(privacy: Privacy) -> ReportView {
        ReportView {
            tracking_id: crate::api::ReportNumber::parse("K7M-2QX-9PD"),
            status: Status::InProgress,
            classification: Some(Classification::Complaint),
            agency: Some("Dinas PU".into()),
            category: Some("Jalan".into()),
            submitted_at: Some("2026-03-02T01:02:03Z".into()),
            due_date: crate::date::parse("2026-03-20"),
            due_date_estimate: false,
            overdue: true,
            confidential: privacy.confidential,
            anonymous: privacy.anonymous,
            details_visible: true,
            title: Some("Kepala desa".into()),
            body: Some("Uraian".into()),
            rating: Some(4),
            supporters: Some(7),
            events: vec![ReportEvent {
                at: "2026-03-03T01:00:00Z".into(),
                status: Status::InProgress,
                agency: Some("Dinas PU".into()),
                message: Some("Ditinjau".into()),
                kind: crate::api::EventKind::Response,
                attachments: vec![AttachmentRef {
                    id: "a".into(),
                    filename: "foto.jpg".into(),
                    content_type: "image/jpeg".into(),
                    size: 1,
                    url: "/api/v1/attachments/a".into(),
                }],
            }],
        }
    }

    #[test]
    fn confidential_reports_are_in_no_list_whoever_asks() {
        for privacy in ALL {
            for viewer in [Viewer::Public, Viewer::CodeHolder] {
                assert_eq!(
                    disclosure(privacy, viewer).listed,
                    !privacy.confidential,
                    "{privacy:?} {viewer:?}"
                );
            }
        }
    }

    #[test]
    fn a_confidential_number_alone_reveals_only_the_status() {
        for anonymous in [false, true] {
            let privacy = Privacy {
                anonymous,
                confidential: true,
            };
            let d = disclosure(privacy, Viewer::Public);
            assert!(!d.is_private(privacy), "nothing private is left to store");
            let view = redact(full_view(privacy), d);
            let mut bare = full_view(privacy);
            bare.classification = None;
            bare.agency = None;
            bare.category = None;
            bare.submitted_at = None;
            bare.due_date = None;
            bare.title = None;
            bare.body = None;
            bare.rating = None;
            bare.supporters = None;
            bare.events.clear();
            bare.details_visible = false;
            assert_eq!(view, bare);
            assert_eq!(view.status, Status::InProgress);
            assert!(view.overdue);
        }
    }

    #[test]
    fn the_code_holder_of_a_confidential_report_sees_it_whole_and_it_is_private() {
        let privacy = Privacy {
            anonymous: false,
            confidential: true,
        };
        let d = disclosure(privacy, Viewer::CodeHolder);
        assert!(d.is_private(privacy));
        // Whole, except the support count: support belongs to what the public sees.
        let mut whole = full_view(privacy);
        whole.supporters = None;
        assert_eq!(redact(full_view(privacy), d), whole);
    }

    #[test]
    fn public_and_anonymous_reports_are_shown_whole_to_anyone() {
        for privacy in &ALL[..2] {
            for viewer in [Viewer::Public, Viewer::CodeHolder] {
                let d = disclosure(*privacy, viewer);
                assert!(!d.is_private(*privacy));
                assert_eq!(redact(full_view(*privacy), d), full_view(*privacy));
            }
        }
    }

    #[test]
    fn only_a_complaints_place_is_public() {
        assert!(place_is_public(Some(Classification::Complaint)));
        assert!(!place_is_public(Some(Classification::Aspiration)));
        assert!(!place_is_public(Some(Classification::InformationRequest)));
        assert!(!place_is_public(None));
    }
}
