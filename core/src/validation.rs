//! Field rules for a new report, replies and ratings, shared by the app (messages beside the
//! inputs) and the server (problem+json field errors). Messages exist in Indonesian and English.

use chrono::NaiveDate;

use crate::Locale;
use crate::api::{Classification, Field, FieldError, NewDispute, NewRating, NewReply, NewReport};

pub const TITLE_MIN: usize = 10;
pub const TITLE_MAX: usize = 150;
pub const BODY_MIN: usize = 30;
pub const BODY_MAX: usize = 4000;
pub const LOCATION_TEXT_MAX: usize = 300;
pub const NAME_MAX: usize = 100;
pub const EMAIL_MAX: usize = 254;
pub const REPLY_MAX: usize = 2000;
pub const RATING_COMMENT_MAX: usize = 1000;
/// Incidents older than this many days are out of scope for a new report.
pub const INCIDENT_MAX_AGE_DAYS: i64 = 365 * 2;

/// What is wrong with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Required,
    TooShort(usize),
    TooLong(usize),
    InFuture,
    TooOld,
    InvalidEmail,
    InvalidPhone,
    InvalidCoordinates,
    TooManyFiles(u32),
    StarsOutOfRange,
    /// A reference (region, agency, category, attachment) the server does not know.
    Unknown,
}

impl Rule {
    /// A stable machine-readable code for the API.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooShort(_) => "too_short",
            Rule::TooLong(_) => "too_long",
            Rule::InFuture => "in_future",
            Rule::TooOld => "too_old",
            Rule::InvalidEmail => "invalid_email",
            Rule::InvalidPhone => "invalid_phone",
            Rule::InvalidCoordinates => "invalid_coordinates",
            Rule::TooManyFiles(_) => "too_many_files",
            Rule::StarsOutOfRange => "out_of_range",
            Rule::Unknown => "unknown",
        }
    }

    pub fn message(self, locale: Locale) -> String {
        match (locale, self) {
            (Locale::Id, Rule::Required) => "Wajib diisi.".into(),
            (Locale::En, Rule::Required) => "This is required.".into(),
            (Locale::Id, Rule::TooShort(n)) => format!("Tulis paling sedikit {n} karakter."),
            (Locale::En, Rule::TooShort(n)) => format!("Write at least {n} characters."),
            (Locale::Id, Rule::TooLong(n)) => format!("Paling banyak {n} karakter."),
            (Locale::En, Rule::TooLong(n)) => format!("Use at most {n} characters."),
            (Locale::Id, Rule::InFuture) => "Tanggal tidak boleh di masa depan.".into(),
            (Locale::En, Rule::InFuture) => "The date cannot be in the future.".into(),
            (Locale::Id, Rule::TooOld) => {
                "Kejadian lebih dari 2 tahun lalu tidak dapat dilaporkan di sini.".into()
            }
            (Locale::En, Rule::TooOld) => {
                "Incidents more than 2 years ago cannot be reported here.".into()
            }
            (Locale::Id, Rule::InvalidEmail) => {
                "Masukkan alamat email seperti nama@contoh.id.".into()
            }
            (Locale::En, Rule::InvalidEmail) => {
                "Enter an email address like name@example.com.".into()
            }
            (Locale::Id, Rule::InvalidPhone) => {
                "Masukkan nomor telepon seperti 0812 3456 7890.".into()
            }
            (Locale::En, Rule::InvalidPhone) => "Enter a phone number like 0812 3456 7890.".into(),
            (Locale::Id, Rule::InvalidCoordinates) => "Koordinat lokasi tidak valid.".into(),
            (Locale::En, Rule::InvalidCoordinates) => {
                "The location coordinates are not valid.".into()
            }
            (Locale::Id, Rule::TooManyFiles(n)) => format!("Paling banyak {n} lampiran."),
            (Locale::En, Rule::TooManyFiles(n)) => format!("Attach at most {n} files."),
            (Locale::Id, Rule::StarsOutOfRange) => "Pilih 1 sampai 5 bintang.".into(),
            (Locale::En, Rule::StarsOutOfRange) => "Choose from 1 to 5 stars.".into(),
            (Locale::Id, Rule::Unknown) => {
                "Pilihan ini tidak dikenal. Pilih lagi dari daftar.".into()
            }
            (Locale::En, Rule::Unknown) => {
                "This choice is not known. Choose again from the list.".into()
            }
        }
    }
}

/// "Required" for a field the form knows only by the label a backend gave it (an Open311
/// service's own field): the label first, so it reads whatever the label's wording.
pub fn required_named(label: &str, locale: Locale) -> String {
    match locale {
        Locale::Id => format!("{label}: wajib diisi."),
        Locale::En => format!("{label}: this is required."),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    pub field: Field,
    pub rule: Rule,
}

/// How a message names a text field: (Indonesian, English), each able to start a sentence.
fn text_field_name(field: Field) -> Option<(&'static str, &'static str)> {
    Some(match field {
        Field::Title => ("Judul laporan", "The title"),
        Field::Body => ("Isi laporan", "Your report"),
        Field::LocationText => ("Keterangan lokasi", "The location details"),
        Field::ReporterName => ("Nama", "Your name"),
        Field::Message => ("Pesan", "Your message"),
        Field::Comment => ("Komentar", "The comment"),
        _ => return None,
    })
}

/// What to do about an empty required field, naming it (GOV.UK: "Enter your full name").
fn required_message(field: Field, locale: Locale) -> Option<&'static str> {
    Some(match (field, locale) {
        (Field::Classification, Locale::Id) => "Pilih jenis laporan.",
        (Field::Classification, Locale::En) => "Choose what kind of report it is.",
        (Field::Title, Locale::Id) => "Isi judul laporan.",
        (Field::Title, Locale::En) => "Enter a title for your report.",
        (Field::Body, Locale::Id) => "Tulis isi laporan: apa yang terjadi.",
        (Field::Body, Locale::En) => "Describe what happened.",
        (Field::IncidentDate, Locale::Id) => "Isi tanggal kejadian.",
        (Field::IncidentDate, Locale::En) => "Enter the date of the incident.",
        (Field::RegionId, Locale::Id) => "Pilih wilayah kejadian.",
        (Field::RegionId, Locale::En) => "Choose the area where it happened.",
        (Field::CategoryId, Locale::Id) => "Pilih kategori laporan.",
        (Field::CategoryId, Locale::En) => "Choose a category.",
        (Field::AgencyId, Locale::Id) => "Pilih instansi tujuan.",
        (Field::AgencyId, Locale::En) => "Choose the agency.",
        (Field::Message, Locale::Id) => "Tulis pesan Anda.",
        (Field::Message, Locale::En) => "Write your message.",
        (Field::Stars, Locale::Id) => "Pilih jumlah bintang.",
        (Field::Stars, Locale::En) => "Choose a number of stars.",
        _ => return None,
    })
}

impl Violation {
    /// The message for this field, naming it where the rule alone would not (an error
    /// summary lists many; "Wajib diisi." four times says nothing).
    pub fn message(self, locale: Locale) -> String {
        let named = text_field_name(self.field).map(|(id, en)| match locale {
            Locale::Id => id,
            Locale::En => en,
        });
        match (self.rule, named, locale) {
            (Rule::Required, _, _) => required_message(self.field, locale)
                .map(str::to_owned)
                .unwrap_or_else(|| self.rule.message(locale)),
            (Rule::TooShort(n), Some(name), Locale::Id) => {
                format!("{name} paling sedikit {n} karakter.")
            }
            (Rule::TooShort(n), Some(name), Locale::En) => {
                format!("{name} must be at least {n} characters.")
            }
            (Rule::TooLong(n), Some(name), Locale::Id) => {
                format!("{name} paling banyak {n} karakter.")
            }
            (Rule::TooLong(n), Some(name), Locale::En) => {
                format!("{name} must be {n} characters or fewer.")
            }
            _ => self.rule.message(locale),
        }
    }

    pub fn to_field_error(self, locale: Locale) -> FieldError {
        FieldError {
            field: self.field.path().into(),
            code: self.rule.code().into(),
            message: self.message(locale),
        }
    }
}

pub fn to_field_errors(violations: &[Violation], locale: Locale) -> Vec<FieldError> {
    violations
        .iter()
        .map(|v| v.to_field_error(locale))
        .collect()
}

fn text_length(field: Field, value: &str, min: usize, max: usize) -> Option<Violation> {
    let n = value.trim().chars().count();
    let rule = if n == 0 && min > 0 {
        Rule::Required
    } else if n < min {
        Rule::TooShort(min)
    } else if n > max {
        Rule::TooLong(max)
    } else {
        return None;
    };
    Some(Violation { field, rule })
}

fn blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_valid_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

/// An Indonesian or international phone number: `08…`, `628…` or `+…`, 9 to 15 digits, with
/// spaces, dashes, dots and brackets allowed between digits.
pub fn is_valid_phone(phone: &str) -> bool {
    let phone = phone.trim();
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, phone),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return false;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (9..=15).contains(&digits.len())
        && (plus || digits.starts_with('0') || digits.starts_with("62"))
}

/// All violations of a new report, in the order the form shows its fields.
/// `today` is the local date in the instance's time zone.
pub fn validate_report(report: &NewReport, today: NaiveDate, max_files: u32) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(text_length(
        Field::Title,
        &report.title,
        TITLE_MIN,
        TITLE_MAX,
    ));
    out.extend(text_length(Field::Body, &report.body, BODY_MIN, BODY_MAX));

    let complaint = report.classification == Classification::Complaint;
    match report.incident_date {
        None if complaint => out.push(Violation {
            field: Field::IncidentDate,
            rule: Rule::Required,
        }),
        Some(date) if date > today => out.push(Violation {
            field: Field::IncidentDate,
            rule: Rule::InFuture,
        }),
        Some(date) if (today - date).num_days() > INCIDENT_MAX_AGE_DAYS => out.push(Violation {
            field: Field::IncidentDate,
            rule: Rule::TooOld,
        }),
        _ => {}
    }

    let location = report.location.clone().unwrap_or_default();
    let has_place = !blank(&location.region_id)
        || !blank(&location.text)
        || (location.lat.is_some() && location.lon.is_some());
    if complaint && !has_place {
        out.push(Violation {
            field: Field::RegionId,
            rule: Rule::Required,
        });
    }
    if let Some(text) = &location.text {
        out.extend(text_length(Field::LocationText, text, 0, LOCATION_TEXT_MAX));
    }
    match (location.lat, location.lon) {
        (None, None) => {}
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {}
        _ => out.push(Violation {
            field: Field::Lat,
            rule: Rule::InvalidCoordinates,
        }),
    }

    // An anonymous report's contact details are never sent or stored, so never checked.
    let reporter = report.reporter.as_ref().filter(|_| !report.anonymous);
    if let Some(reporter) = reporter {
        if let Some(name) = &reporter.name {
            out.extend(text_length(Field::ReporterName, name, 0, NAME_MAX));
        }
        let filled = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        if let Some(email) = filled(&reporter.email)
            && (email.len() > EMAIL_MAX || !is_valid_email(&email))
        {
            out.push(Violation {
                field: Field::ReporterEmail,
                rule: Rule::InvalidEmail,
            });
        }
        if let Some(phone) = filled(&reporter.phone)
            && !is_valid_phone(&phone)
        {
            out.push(Violation {
                field: Field::ReporterPhone,
                rule: Rule::InvalidPhone,
            });
        }
    }

    out.extend(too_many_files(&report.attachment_ids, max_files));
    out
}

/// More than `max_files` attachments.
fn too_many_files(attachment_ids: &[String], max_files: u32) -> Option<Violation> {
    (attachment_ids.len() > max_files as usize).then_some(Violation {
        field: Field::AttachmentIds,
        rule: Rule::TooManyFiles(max_files),
    })
}

/// A reply: a message, and at most `max_files` photos, as a new report may carry.
pub fn validate_reply(reply: &NewReply, max_files: u32) -> Vec<Violation> {
    text_length(Field::Message, &reply.message, 1, REPLY_MAX)
        .into_iter()
        .chain(too_many_files(&reply.attachment_ids, max_files))
        .collect()
}

/// A dispute ("belum selesai"): why, as long as a reply may be, and at most `max_files`
/// photos.
pub fn validate_dispute(dispute: &NewDispute, max_files: u32) -> Vec<Violation> {
    text_length(Field::Message, &dispute.message, 1, REPLY_MAX)
        .into_iter()
        .chain(too_many_files(&dispute.attachment_ids, max_files))
        .collect()
}

pub fn validate_rating(rating: &NewRating) -> Vec<Violation> {
    let mut out = Vec::new();
    if !(1..=5).contains(&rating.stars) {
        out.push(Violation {
            field: Field::Stars,
            rule: Rule::StarsOutOfRange,
        });
    }
    if let Some(comment) = &rating.comment {
        out.extend(text_length(Field::Comment, comment, 0, RATING_COMMENT_MAX));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Location, Reporter};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 17).unwrap()
    }

    fn complaint() -> NewReport {
        NewReport {
            classification: Classification::Complaint,
            title: "Jalan berlubang di depan pasar".into(),
            body: "Sejak dua minggu lalu ada lubang besar yang membahayakan pengendara motor."
                .into(),
            incident_date: Some(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()),
            location: Some(Location {
                region_id: Some("33.24.12".into()),
                ..Default::default()
            }),
            agency_id: None,
            category_id: None,
            field_inspection: false,
            anonymous: false,
            confidential: false,
            reporter: None,
            attachment_ids: vec![],
            locale: None,
        }
    }

    fn fields(v: &[Violation]) -> Vec<(&str, Rule)> {
        v.iter().map(|v| (v.field.path(), v.rule)).collect()
    }

    #[test]
    fn a_complete_complaint_passes() {
        assert!(validate_report(&complaint(), today(), 5).is_empty());
    }

    #[test]
    fn lengths_are_counted_in_characters_after_trimming() {
        let mut r = complaint();
        r.title = "   ".into();
        r.body = "é".repeat(BODY_MAX + 1);
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![("title", Rule::Required), ("body", Rule::TooLong(BODY_MAX))]
        );
        r.title = "Pendek".into();
        r.body = "ü".repeat(BODY_MAX);
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![("title", Rule::TooShort(TITLE_MIN))]
        );
    }

    #[test]
    fn complaints_need_a_date_and_a_place_but_aspirations_do_not() {
        let mut r = complaint();
        r.incident_date = None;
        r.location = None;
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![
                ("incident_date", Rule::Required),
                ("location.region_id", Rule::Required)
            ]
        );
        r.classification = Classification::Aspiration;
        assert!(validate_report(&r, today(), 5).is_empty());
    }

    #[test]
    fn incident_dates_cannot_be_in_the_future_or_too_old() {
        let mut r = complaint();
        r.incident_date = NaiveDate::from_ymd_opt(2026, 3, 18);
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![("incident_date", Rule::InFuture)]
        );
        r.incident_date = NaiveDate::from_ymd_opt(2023, 1, 1);
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![("incident_date", Rule::TooOld)]
        );
        r.incident_date = Some(today());
        assert!(validate_report(&r, today(), 5).is_empty());
    }

    #[test]
    fn contact_details_are_checked_unless_anonymous() {
        let mut r = complaint();
        r.reporter = Some(Reporter {
            name: Some("Siti".into()),
            email: Some("siti@contoh".into()),
            phone: Some("12345".into()),
        });
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![
                ("reporter.email", Rule::InvalidEmail),
                ("reporter.phone", Rule::InvalidPhone)
            ]
        );
        r.anonymous = true;
        assert!(validate_report(&r, today(), 5).is_empty());
    }

    #[test]
    fn phone_and_email_formats() {
        assert!(is_valid_phone("0812-3456-7890"));
        assert!(is_valid_phone("+62 812 3456 7890"));
        assert!(is_valid_phone("(0294) 381 234"));
        assert!(!is_valid_phone("0812"));
        assert!(!is_valid_phone("0812abc45678"));
        assert!(!is_valid_phone("9812345678"));
        assert!(is_valid_email("warga@kendalkab.go.id"));
        assert!(!is_valid_email("warga@@kendal.id"));
        assert!(!is_valid_email("war ga@kendal.id"));
        assert!(!is_valid_email("warga@kendal."));
    }

    #[test]
    fn coordinates_and_file_counts() {
        let mut r = complaint();
        r.location = Some(Location {
            region_id: Some("33.24".into()),
            lat: Some(-6.9),
            lon: None,
            text: None,
        });
        r.attachment_ids = vec!["a".into(); 6];
        assert_eq!(
            fields(&validate_report(&r, today(), 5)),
            vec![
                ("location.lat", Rule::InvalidCoordinates),
                ("attachment_ids", Rule::TooManyFiles(5))
            ]
        );
    }

    #[test]
    fn messages_exist_in_both_languages_and_differ() {
        let rules = [
            Rule::Required,
            Rule::TooShort(3),
            Rule::TooLong(3),
            Rule::InFuture,
            Rule::TooOld,
            Rule::InvalidEmail,
            Rule::InvalidPhone,
            Rule::InvalidCoordinates,
            Rule::TooManyFiles(3),
            Rule::StarsOutOfRange,
        ];
        for rule in rules {
            let id = rule.message(Locale::Id);
            let en = rule.message(Locale::En);
            assert!(!id.is_empty() && !en.is_empty());
            assert_ne!(id, en, "{rule:?}");
        }
    }

    #[test]
    fn each_message_names_its_field() {
        let empty = NewReport {
            title: String::new(),
            body: "Pendek".into(),
            incident_date: None,
            location: None,
            ..complaint()
        };
        let messages = |locale| -> Vec<String> {
            validate_report(&empty, today(), 5)
                .into_iter()
                .map(|v| v.message(locale))
                .collect()
        };
        assert_eq!(
            messages(Locale::Id),
            vec![
                "Isi judul laporan.",
                "Isi laporan paling sedikit 30 karakter.",
                "Isi tanggal kejadian.",
                "Pilih wilayah kejadian.",
            ]
        );
        assert_eq!(
            messages(Locale::En),
            vec![
                "Enter a title for your report.",
                "Your report must be at least 30 characters.",
                "Enter the date of the incident.",
                "Choose the area where it happened.",
            ]
        );
        // The server's field errors say the same.
        let error = Violation {
            field: Field::Title,
            rule: Rule::TooLong(150),
        }
        .to_field_error(Locale::En);
        assert_eq!(error.message, "The title must be 150 characters or fewer.");
        // A rule that already names what to do keeps its words.
        let email = Violation {
            field: Field::ReporterEmail,
            rule: Rule::InvalidEmail,
        };
        assert_eq!(
            email.message(Locale::Id),
            Rule::InvalidEmail.message(Locale::Id)
        );
    }

    #[test]
    fn replies_and_ratings() {
        assert_eq!(
            fields(&validate_reply(
                &NewReply {
                    message: " ".into(),
                    attachment_ids: Vec::new(),
                },
                5
            )),
            vec![("message", Rule::Required)]
        );
        let photos = |n: usize| (0..n).map(|i| format!("photo-{i}")).collect::<Vec<_>>();
        let reply = NewReply {
            message: "Masih berlubang".into(),
            attachment_ids: photos(6),
        };
        assert_eq!(
            fields(&validate_reply(&reply, 5)),
            vec![("attachment_ids", Rule::TooManyFiles(5))]
        );
        let dispute = |message: &str, n: usize| NewDispute {
            message: message.into(),
            attachment_ids: photos(n),
        };
        assert!(validate_dispute(&dispute("Masih berlubang", 5), 5).is_empty());
        assert_eq!(
            fields(&validate_dispute(&dispute("", 6), 5)),
            vec![
                ("message", Rule::Required),
                ("attachment_ids", Rule::TooManyFiles(5))
            ]
        );
        assert_eq!(
            fields(&validate_rating(&NewRating {
                stars: 6,
                comment: None
            })),
            vec![("stars", Rule::StarsOutOfRange)]
        );
        assert!(
            validate_rating(&NewRating {
                stars: 5,
                comment: Some("Cepat".into())
            })
            .is_empty()
        );
    }

    #[test]
    fn a_required_field_known_only_by_its_label_is_named() {
        assert_eq!(
            required_named("Nomor tiang", Locale::Id),
            "Nomor tiang: wajib diisi."
        );
        assert_eq!(
            required_named("Pole number", Locale::En),
            "Pole number: this is required."
        );
    }
}
