//! Words the app and the server both show a citizen (the tracking page, update emails):
//! status names, working days left, month and weekday names, in both languages. The app's
//! catalogues take these values (`src/i18n`), the server's emails read them here: one
//! spelling for each.

use chrono::{Datelike, NaiveDate};

use crate::calendar::Remaining;
use crate::{Locale, Status};

pub struct Words {
    pub status_received: &'static str,
    pub status_verified: &'static str,
    pub status_forwarded: &'static str,
    pub status_in_progress: &'static str,
    pub status_resolved: &'static str,
    pub status_closed: &'static str,
    pub status_rejected: &'static str,
    /// `{n}` working days before the due date.
    pub days_left: &'static str,
    /// `{n}` working days past the due date.
    pub days_overdue: &'static str,
    pub months: [&'static str; 12],
    pub weekdays: [&'static str; 7],
}

pub const ID: Words = Words {
    status_received: "Diterima",
    status_verified: "Terverifikasi",
    status_forwarded: "Diteruskan",
    status_in_progress: "Diproses",
    status_resolved: "Selesai",
    status_closed: "Ditutup",
    status_rejected: "Ditolak",
    days_left: "{n} hari kerja lagi",
    days_overdue: "terlambat {n} hari kerja",
    months: [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    weekdays: [
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
    ],
};

pub const EN: Words = Words {
    status_received: "Received",
    status_verified: "Verified",
    status_forwarded: "Forwarded",
    status_in_progress: "In progress",
    status_resolved: "Resolved",
    status_closed: "Closed",
    status_rejected: "Rejected",
    days_left: "{n} working days left",
    days_overdue: "overdue by {n} working days",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
};

pub fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::Id => &ID,
        Locale::En => &EN,
    }
}

impl Words {
    /// A status's name; a status this portal does not know keeps its raw label.
    pub fn status<'a>(&'a self, status: &'a Status) -> &'a str {
        match status {
            Status::Received => self.status_received,
            Status::Verified => self.status_verified,
            Status::Forwarded => self.status_forwarded,
            Status::InProgress => self.status_in_progress,
            Status::Resolved => self.status_resolved,
            Status::Closed => self.status_closed,
            Status::Rejected => self.status_rejected,
            Status::Unknown(raw) => raw,
        }
    }

    /// "3 hari kerja lagi", "terlambat 2 hari kerja".
    pub fn remaining(&self, remaining: Remaining) -> String {
        match remaining {
            Remaining::Left(n) => self.days_left.replace("{n}", &n.to_string()),
            Remaining::Overdue(n) => self.days_overdue.replace("{n}", &n.to_string()),
        }
    }

    /// "Senin, 2 Maret 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        format!(
            "{}, {} {} {}",
            self.weekdays[date.weekday().num_days_from_monday() as usize],
            date.day(),
            self.months[date.month0() as usize],
            date.year()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_statuses_and_days_read_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(words(Locale::Id).date(d), "Senin, 2 Maret 2026");
        assert_eq!(words(Locale::En).date(d), "Monday, 2 March 2026");
        assert_eq!(words(Locale::Id).status(&Status::InProgress), "Diproses");
        let raw = Status::Unknown("menunggu_dokumen".into());
        assert_eq!(words(Locale::En).status(&raw), "menunggu_dokumen");
        assert_eq!(
            words(Locale::En).remaining(Remaining::Overdue(2)),
            "overdue by 2 working days"
        );
        assert_eq!(
            words(Locale::Id).remaining(Remaining::Left(3)),
            "3 hari kerja lagi"
        );
    }
}
