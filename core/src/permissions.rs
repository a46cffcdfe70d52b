//! What a reporter (holding the access code) may do with a report, and when: reply to the
//! agency, rate the resolution. The app asks before it offers a form and the server before it
//! accepts one, through the same functions, so the two cannot drift apart; a refusal carries
//! the one message both show, in both languages.

use chrono::NaiveDate;

use crate::api::{EventKind, ReportView, SlaPolicy};
use crate::calendar::{Calendar, local_date};
use crate::{Locale, Status};

/// The facts of a report that the rules read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFacts {
    pub status: Status,
    /// The local date of the agency's latest response, if it has responded.
    pub last_response: Option<NaiveDate>,
    pub rated: bool,
}

impl ReportFacts {
    /// The facts of a tracking view (as the code holder sees it), with dates in the agency's
    /// time zone (`offset_minutes` east of UTC).
    pub fn of_view(view: &ReportView, offset_minutes: i32) -> ReportFacts {
        let last_response = view
            .events
            .iter()
            .rev()
            .find(|e| e.kind == EventKind::Response)
            .and_then(|e| crate::date::parse_timestamp(&e.at))
            .map(|unix| local_date(unix, offset_minutes));
        ReportFacts {
            status: view.status.clone(),
            last_response,
            rated: view.rating.is_some(),
        }
    }
}

/// Why an action is not possible now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The report is closed or rejected: nothing more can be added.
    Finished,
    /// A reply answers an agency's response, and there is none yet.
    NothingToReplyTo,
    /// The reply window after the latest response has passed.
    ReplyWindowClosed {
        days: u32,
    },
    /// Only a resolved report can be rated.
    NotResolvedYet,
    AlreadyRated,
}

impl Refusal {
    /// A stable code for clients (problem+json `code`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Finished => "report_finished",
            Refusal::NothingToReplyTo => "nothing_to_reply_to",
            Refusal::ReplyWindowClosed { .. } => "reply_window_closed",
            Refusal::NotResolvedYet => "not_resolved_yet",
            Refusal::AlreadyRated => "already_rated",
        }
    }

    /// A short title (problem+json `title`) in `locale`.
    pub fn title(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Refusal::Finished, Locale::Id) => "Laporan sudah ditutup",
            (Refusal::Finished, Locale::En) => "Report closed",
            (Refusal::NothingToReplyTo, Locale::Id) => "Belum ada yang dibalas",
            (Refusal::NothingToReplyTo, Locale::En) => "Nothing to reply to",
            (Refusal::ReplyWindowClosed { .. }, Locale::Id) => "Waktu membalas sudah lewat",
            (Refusal::ReplyWindowClosed { .. }, Locale::En) => "Reply window closed",
            (Refusal::NotResolvedYet, Locale::Id) => "Laporan belum selesai",
            (Refusal::NotResolvedYet, Locale::En) => "Not resolved yet",
            (Refusal::AlreadyRated, Locale::Id) => "Sudah dinilai",
            (Refusal::AlreadyRated, Locale::En) => "Already rated",
        }
    }

    /// What the citizen reads, in their language.
    pub fn message(self, locale: Locale) -> String {
        match (self, locale) {
            (Refusal::Finished, Locale::Id) => {
                "Laporan ini sudah ditutup; balasan dan penilaian tidak dapat ditambahkan lagi."
                    .into()
            }
            (Refusal::Finished, Locale::En) => {
                "This report is closed; replies and ratings can no longer be added.".into()
            }
            (Refusal::NothingToReplyTo, Locale::Id) => {
                "Balasan menanggapi tindak lanjut instansi, dan belum ada tindak lanjut.".into()
            }
            (Refusal::NothingToReplyTo, Locale::En) => {
                "A reply answers the agency's response, and there is none yet.".into()
            }
            (Refusal::ReplyWindowClosed { days }, Locale::Id) => format!(
                "Balasan hanya dapat dikirim {days} hari kerja setelah tindak lanjut terakhir instansi."
            ),
            (Refusal::ReplyWindowClosed { days }, Locale::En) => format!(
                "Replies can be sent only within {days} working days of the agency's latest response."
            ),
            (Refusal::NotResolvedYet, Locale::Id) => {
                "Laporan dapat dinilai setelah dinyatakan selesai.".into()
            }
            (Refusal::NotResolvedYet, Locale::En) => {
                "A report can be rated once it is resolved.".into()
            }
            (Refusal::AlreadyRated, Locale::Id) => "Laporan ini sudah dinilai.".into(),
            (Refusal::AlreadyRated, Locale::En) => "This report has been rated already.".into(),
        }
    }
}

/// The last day a reply is possible after a response on `responded`.
pub fn reply_deadline(responded: NaiveDate, calendar: &Calendar, sla: &SlaPolicy) -> NaiveDate {
    calendar
        .add_working_days(responded, sla.reply_window_days)
        .date
}

/// Whether the reporter may reply today: the report is not closed or rejected, the agency has
/// responded, and today is within the reply window after its latest response.
pub fn can_reply(
    facts: &ReportFacts,
    today: NaiveDate,
    calendar: &Calendar,
    sla: &SlaPolicy,
) -> Result<(), Refusal> {
    if matches!(facts.status, Status::Closed | Status::Rejected) {
        return Err(Refusal::Finished);
    }
    let responded = facts.last_response.ok_or(Refusal::NothingToReplyTo)?;
    if today > reply_deadline(responded, calendar, sla) {
        return Err(Refusal::ReplyWindowClosed {
            days: sla.reply_window_days,
        });
    }
    Ok(())
}

/// Whether the reporter may rate: once, when the report is resolved (or closed after that).
pub fn can_rate(facts: &ReportFacts) -> Result<(), Refusal> {
    if !matches!(facts.status, Status::Resolved | Status::Closed) {
        return Err(Refusal::NotResolvedYet);
    }
    if facts.rated {
        return Err(Refusal::AlreadyRated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(status: Status, last_response: Option<NaiveDate>) -> ReportFacts {
        ReportFacts {
            status,
            last_response,
            rated: false,
        }
    }

    #[test]
    fn replies_only_within_the_window_after_a_response() {
        let calendar = Calendar::indonesia_default();
        let sla = SlaPolicy::default();
        // Monday 2 March 2026; ten working days later is Monday 16 March.
        let responded = d(2026, 3, 2);
        let open = facts(Status::InProgress, Some(responded));
        assert_eq!(reply_deadline(responded, &calendar, &sla), d(2026, 3, 16));
        assert_eq!(can_reply(&open, d(2026, 3, 16), &calendar, &sla), Ok(()));
        assert_eq!(
            can_reply(&open, d(2026, 3, 17), &calendar, &sla),
            Err(Refusal::ReplyWindowClosed { days: 10 })
        );
        assert_eq!(
            can_reply(&facts(Status::Verified, None), responded, &calendar, &sla),
            Err(Refusal::NothingToReplyTo)
        );
    }

    #[test]
    fn a_closed_or_rejected_report_takes_no_reply_even_inside_the_window() {
        let calendar = Calendar::indonesia_default();
        let sla = SlaPolicy::default();
        let responded = d(2026, 3, 2);
        for status in [Status::Closed, Status::Rejected] {
            assert_eq!(
                can_reply(&facts(status, Some(responded)), responded, &calendar, &sla),
                Err(Refusal::Finished)
            );
        }
        let resolved = facts(Status::Resolved, Some(responded));
        assert_eq!(can_reply(&resolved, responded, &calendar, &sla), Ok(()));
    }

    #[test]
    fn ratings_once_after_resolution() {
        assert_eq!(
            can_rate(&facts(Status::InProgress, None)),
            Err(Refusal::NotResolvedYet)
        );
        assert_eq!(can_rate(&facts(Status::Resolved, None)), Ok(()));
        assert_eq!(can_rate(&facts(Status::Closed, None)), Ok(()));
        let rated = ReportFacts {
            rated: true,
            ..facts(Status::Resolved, None)
        };
        assert_eq!(can_rate(&rated), Err(Refusal::AlreadyRated));
    }

    #[test]
    fn the_latest_response_is_read_in_the_agencys_time_zone() {
        let event = |at: &str, kind: &str| crate::api::ReportEvent {
            at: at.into(),
            status: Status::InProgress,
            agency: None,
            message: None,
            kind: EventKind::from_code(kind),
            attachments: Vec::new(),
        };
        let view = ReportView {
            tracking_id: "K7M-2QX-9PD".into(),
            status: Status::InProgress,
            classification: None,
            agency: None,
            category: None,
            submitted_at: None,
            due_date: None,
            due_date_estimate: false,
            overdue: false,
            confidential: false,
            anonymous: false,
            details_visible: true,
            title: None,
            body: None,
            rating: None,
            events: vec![
                event("2026-03-01T01:00:00Z", "response"),
                // 18:00 UTC on the 2nd is already the 3rd in Jakarta.
                event("2026-03-02T18:00:00Z", "response"),
                event("2026-03-04T01:00:00Z", "reply"),
            ],
        };
        let facts = ReportFacts::of_view(&view, 7 * 60);
        assert_eq!(facts.last_response, Some(d(2026, 3, 3)));
        assert!(!facts.rated);
        assert_eq!(
            ReportFacts::of_view(&view, 0).last_response,
            Some(d(2026, 3, 2))
        );
    }

    #[test]
    fn every_refusal_speaks_both_languages() {
        for r in [
            Refusal::Finished,
            Refusal::NothingToReplyTo,
            Refusal::ReplyWindowClosed { days: 10 },
            Refusal::NotResolvedYet,
            Refusal::AlreadyRated,
        ] {
            assert_ne!(r.message(Locale::Id), r.message(Locale::En));
            assert_ne!(r.title(Locale::Id), r.title(Locale::En));
            assert!(!r.code().is_empty());
        }
    }
}
