//! The words of an update email, in Indonesian and English: what changed, the tracking link,
//! the working-day deadline and the unsubscribe link. A confidential report's email says only
//! that there is an update (what [`Disclosure`] allows a reader of the mailbox).

use chrono::Datelike;
use lapor_core::calendar::Remaining;
use lapor_core::privacy::Disclosure;
use lapor_core::{Locale, Status, words};

use super::Update;
use crate::storage::ReportRow;

/// An email's subject and plain-text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// What an update email is made of.
pub struct UpdateFacts<'a> {
    pub locale: Locale,
    pub report: &'a ReportRow,
    /// What the email may show of the report.
    pub shown: Disclosure,
    pub update: &'a Update<'a>,
    pub tracking_url: &'a str,
    pub unsubscribe_url: &'a str,
    /// The deadline as it stands today.
    pub remaining: Remaining,
}

/// The words of one language.
struct Words {
    subject: &'static str,
    greeting: &'static str,
    updated: &'static str,
    confidential: &'static str,
    new_status: &'static str,
    response: &'static str,
    deadline: &'static str,
    estimate: &'static str,
    due_today: &'static str,
    open: &'static str,
    why: &'static str,
    stop: &'static str,
}

const ID: Words = Words {
    subject: "Pembaruan laporan",
    greeting: "Halo,",
    updated: "Ada pembaruan pada laporan Anda",
    confidential: "Ada pembaruan pada laporan rahasia Anda {tracking}. Demi kerahasiaan, isinya \
                   tidak dikirim lewat email: buka laporan dengan kode akses Anda.",
    new_status: "Status baru",
    response: "Tanggapan instansi",
    deadline: "Batas waktu tindak lanjut",
    estimate: "perkiraan",
    due_today: "hari ini",
    open: "Lihat laporan",
    why: "Anda menerima email ini karena mencantumkan alamat email saat mengirim laporan.",
    stop: "Berhenti menerima email untuk laporan ini",
};

const EN: Words = Words {
    subject: "Update on report",
    greeting: "Hello,",
    updated: "There is an update on your report",
    confidential: "There is an update on your confidential report {tracking}. To keep it \
                   confidential, its content is not sent by email: open the report with your \
                   access code.",
    new_status: "New status",
    response: "Agency response",
    deadline: "Follow-up deadline",
    estimate: "estimate",
    due_today: "due today",
    open: "View the report",
    why: "You get this email because you gave your email address when you sent the report.",
    stop: "Stop emails about this report",
};

/// A status in words: the same as the app's (`core::words`).
pub fn status_words(status: &Status, locale: Locale) -> String {
    words::words(locale).status(status).to_owned()
}

/// The email telling the reporter of `facts.report` about `facts.update`.
pub fn update_message(facts: &UpdateFacts) -> MailText {
    let w = match facts.locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    };
    let shared = words::words(facts.locale);
    let tracking = facts.report.tracking_id.to_string();
    let mut body = format!("{}\n\n", w.greeting);
    if facts.shown.content {
        body.push_str(&format!(
            "{} \"{}\" ({tracking}).\n\n",
            w.updated, facts.report.title
        ));
        if let Some(status) = facts.update.new_status {
            body.push_str(&format!(
                "{}: {}\n",
                w.new_status,
                status_words(status, facts.locale)
            ));
        }
        if let Some(message) = facts.update.agency_message {
            body.push_str(&format!("{}:\n", w.response));
            for line in message.lines() {
                body.push_str(&format!("  {line}\n"));
            }
        }
        body.push('\n');
    } else {
        body.push_str(&w.confidential.replace("{tracking}", &tracking));
        body.push_str("\n\n");
    }
    if facts.shown.timing {
        let due = facts.report.due_date;
        let standing = match facts.remaining {
            Remaining::Left(0) => w.due_today.to_owned(),
            other => shared.remaining(other),
        };
        let estimate = if facts.report.due_estimate {
            format!(", {}", w.estimate)
        } else {
            String::new()
        };
        body.push_str(&format!(
            "{}: {} {} {} ({standing}{estimate})\n\n",
            w.deadline,
            due.day(),
            shared.months[due.month0() as usize],
            due.year()
        ));
    }
    body.push_str(&format!("{}: {}\n\n", w.open, facts.tracking_url));
    body.push_str(&format!(
        "-- \n{}\n{}: {}\n",
        w.why, w.stop, facts.unsubscribe_url
    ));
    MailText {
        subject: format!("{} {tracking}", w.subject),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lapor_core::api::Classification;
    use lapor_core::privacy::{Privacy, Viewer, disclosure};
    use lapor_core::tracking::TrackingId;

    fn report(confidential: bool) -> ReportRow {
        ReportRow {
            id: 1,
            tracking_id: TrackingId::from_random(0x12_3456_789A),
            access_hash: "hash".into(),
            classification: Classification::Complaint,
            title: "Lampu jalan mati".into(),
            body: "Rahasia: nama pelaku di badan laporan".into(),
            agency_name: Some("Dinas PU".into()),
            category_name: None,
            privacy: Privacy {
                anonymous: false,
                confidential,
            },
            status: Status::Received,
            submitted_at: "2026-03-02T01:00:00Z".into(),
            due_date: lapor_core::date::parse("2026-03-16").unwrap(),
            due_estimate: false,
            rating: None,
            supporters: 0,
        }
    }

    fn message(report: &ReportRow, locale: Locale) -> MailText {
        let update = Update {
            new_status: Some(&Status::InProgress),
            agency_message: Some("Petugas datang Senin"),
        };
        update_message(&UpdateFacts {
            locale,
            report,
            shown: disclosure(report.privacy, Viewer::Public),
            update: &update,
            tracking_url: "https://lapor.example/lacak/X",
            unsubscribe_url: "https://lapor.example/stop",
            remaining: Remaining::Left(3),
        })
    }

    #[test]
    fn a_public_reports_email_says_what_changed_by_when_and_how_to_stop() {
        let text = message(&report(false), Locale::Id);
        for part in [
            "\"Lampu jalan mati\"",
            "Status baru: Diproses",
            "Petugas datang Senin",
            "16 Maret 2026 (3 hari kerja lagi)",
            "https://lapor.example/lacak/X",
            "https://lapor.example/stop",
        ] {
            assert!(text.body.contains(part), "{part} missing in {}", text.body);
        }
        assert!(!text.body.contains("Rahasia"), "the body is never sent");
        let text = message(&report(false), Locale::En);
        assert!(text.subject.starts_with("Update on report "));
        assert!(text.body.contains("New status: In progress"));
        assert!(text.body.contains("16 March 2026 (3 working days left)"));
    }

    #[test]
    fn a_confidential_reports_email_only_says_there_is_an_update() {
        let report = report(true);
        let text = message(&report, Locale::Id);
        for secret in ["Lampu", "Petugas", "Diproses", "Maret", "Dinas"] {
            assert!(
                !text.body.contains(secret),
                "{secret} leaked: {}",
                text.body
            );
        }
        assert!(text.body.contains(&report.tracking_id.to_string()));
        assert!(text.body.contains("kode akses"));
        assert!(text.body.contains("https://lapor.example/stop"));
    }
}
