//! What a reporter (holding the access code) may do with a report, and when: reply to the
//! agency, rate the resolution, dispute it ("belum selesai"). The app asks before it offers a form and the server before it
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
    /// The local date the report became resolved, while it is resolved.
    pub resolved_on: Option<NaiveDate>,
    /// How many times the reporter has disputed a resolution.
    pub disputes: u32,
}

/// How many times a reporter may say a report is not resolved: an agency that resolves it a
/// third time has the last word (the citizen can still reply, or complain elsewhere).
pub const MAX_DISPUTES: u32 = 2;

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
        // The events since the report last became resolved all carry `resolved`.
        let resolved_on = (view.status == Status::Resolved)
            .then(|| {
                view.events
                    .iter()
                    .rev()
                    .take_while(|e| e.status == Status::Resolved)
                    .last()
            })
            .flatten()
            .and_then(|e| crate::date::parse_timestamp(&e.at))
            .map(|unix| local_date(unix, offset_minutes));
        let disputes = view
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Dispute)
            .count() as u32;
        ReportFacts {
            status: view.status.clone(),
            last_response,
            rated: view.rating.is_some(),
            resolved_on,
            disputes,
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
    /// Only a resolved report can be disputed.
    NotResolvedToDispute,
    /// The window after the resolution has passed.
    DisputeWindowClosed {
        days: u32,
    },
    /// The reporter has disputed as many times as a report allows.
    DisputedTooOften {
        times: u32,
    },
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
            Refusal::NotResolvedToDispute => "not_resolved_to_dispute",
            Refusal::DisputeWindowClosed { .. } => "dispute_window_closed",
            Refusal::DisputedTooOften { .. } => "disputed_too_often",
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
            (Refusal::NotResolvedToDispute, Locale::Id) => "Laporan belum dinyatakan selesai",
            (Refusal::NotResolvedToDispute, Locale::En) => "Not marked resolved",
            (Refusal::DisputeWindowClosed { .. }, Locale::Id) => "Waktu menyanggah sudah lewat",
            (Refusal::DisputeWindowClosed { .. }, Locale::En) => "Dispute window closed",
            (Refusal::DisputedTooOften { .. }, Locale::Id) => "Batas sanggahan tercapai",
            (Refusal::DisputedTooOften { .. }, Locale::En) => "No more disputes",
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
            (Refusal::NotResolvedToDispute, Locale::Id) => {
                "Anda dapat menyatakan belum selesai hanya setelah instansi menyatakan laporan selesai."
                    .into()
            }
            (Refusal::NotResolvedToDispute, Locale::En) => {
                "You can say a report is not resolved only after the agency marks it resolved."
                    .into()
            }
            (Refusal::DisputeWindowClosed { days }, Locale::Id) => format!(
                "Anda dapat menyatakan belum selesai hanya dalam {days} hari kerja setelah laporan dinyatakan selesai."
            ),
            (Refusal::DisputeWindowClosed { days }, Locale::En) => format!(
                "You can say a report is not resolved only within {days} working days of it being marked resolved."
            ),
            (Refusal::DisputedTooOften { times }, Locale::Id) => format!(
                "Laporan ini sudah {times} kali dinyatakan belum selesai; kirim balasan bila masih ada masalah."
            ),
            (Refusal::DisputedTooOften { times }, Locale::En) => format!(
                "This report has been disputed {times} times already; send a reply if something is still wrong."
            ),
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

/// Whether the reporter may say a resolved report is not resolved ("belum selesai"): only
/// while it is resolved, within the reply window after it was resolved, and at most
/// [`MAX_DISPUTES`] times.
pub fn can_dispute(
    facts: &ReportFacts,
    today: NaiveDate,
    calendar: &Calendar,
    sla: &SlaPolicy,
) -> Result<(), Refusal> {
    let resolved_on = match (&facts.status, facts.resolved_on) {
        (Status::Resolved, Some(date)) => date,
        _ => return Err(Refusal::NotResolvedToDispute),
    };
    if facts.disputes >= MAX_DISPUTES {
        return Err(Refusal::DisputedTooOften {
            times: MAX_DISPUTES,
        });
    }
    if today > reply_deadline(resolved_on, calendar, sla) {
        return Err(Refusal::DisputeWindowClosed {
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
            resolved_on: None,
            disputes: 0,
        }
    }

    #[test]
    fn a_resolution_is_disputed_only_while_resolved_inside_the_window_and_twice_at_most() {
        let calendar = Calendar::indonesia_default();
        let sla = SlaPolicy::default();
        // Resolved on Monday 2 March 2026; the window ends ten working days later, 16 March.
        let resolved = ReportFacts {
            resolved_on: Some(d(2026, 3, 2)),
            ..facts(Status::Resolved, Some(d(2026, 3, 2)))
        };
        assert_eq!(
            can_dispute(&resolved, d(2026, 3, 16), &calendar, &sla),
            Ok(())
        );
        assert_eq!(
            can_dispute(&resolved, d(2026, 3, 17), &calendar, &sla),
            Err(Refusal::DisputeWindowClosed { days: 10 })
        );
        let twice = ReportFacts {
            disputes: MAX_DISPUTES,
            ..resolved.clone()
        };
        assert_eq!(
            can_dispute(&twice, d(2026, 3, 3), &calendar, &sla),
            Err(Refusal::DisputedTooOften { times: 2 })
        );
        for status in [Status::InProgress, Status::Closed, Status::Rejected] {
            let other = ReportFacts {
                status,
                ..resolved.clone()
            };
            assert_eq!(
                can_dispute(&other, d(2026, 3, 3), &calendar, &sla),
                Err(Refusal::NotResolvedToDispute)
            );
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
            tracking_id: crate::api::ReportNumber::parse("K7M-2QX-9PD"),
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
            supporters: None,
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
        assert_eq!(facts.resolved_on, None);

        // Resolved on the 5th (Jakarta), disputed, resolved again on the 9th and rated: the
        // window counts from the 9th, and one dispute is used.
        let at = |at: &str, kind: &str, status: Status| crate::api::ReportEvent {
            status,
            ..event(at, kind)
        };
        let view = ReportView {
            status: Status::Resolved,
            events: vec![
                at("2026-03-05T01:00:00Z", "response", Status::Resolved),
                at("2026-03-06T01:00:00Z", "dispute", Status::InProgress),
                at("2026-03-08T20:00:00Z", "status", Status::Resolved),
                at("2026-03-10T01:00:00Z", "rating", Status::Resolved),
            ],
            ..view
        };
        let facts = ReportFacts::of_view(&view, 7 * 60);
        assert_eq!(facts.resolved_on, Some(d(2026, 3, 9)));
        assert_eq!(facts.disputes, 1);
    }

    #[test]
    fn every_refusal_speaks_both_languages() {
        for r in [
            Refusal::Finished,
            Refusal::NothingToReplyTo,
            Refusal::ReplyWindowClosed { days: 10 },
            Refusal::NotResolvedYet,
            Refusal::AlreadyRated,
            Refusal::NotResolvedToDispute,
            Refusal::DisputeWindowClosed { days: 10 },
            Refusal::DisputedTooOften { times: 2 },
        ] {
            assert_ne!(r.message(Locale::Id), r.message(Locale::En));
            assert_ne!(r.title(Locale::Id), r.title(Locale::En));
            assert!(!r.code().is_empty());
        }
    }
}
