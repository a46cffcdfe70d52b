//! Working days: weekends, national holidays (libur nasional) and collective leave (cuti
//! bersama) do not count. Deadlines are dates in the agency's local time zone.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::api::YearCalendar;

/// A due date, and whether it is only an estimate because it reaches into a year whose
/// holidays the instance has not configured (then only weekends were skipped there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueDate {
    pub date: NaiveDate,
    pub estimate: bool,
}

/// How a deadline stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remaining {
    /// Working days still to go after today (0: due today).
    Left(u32),
    /// Working days that have passed since the due date.
    Overdue(u32),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    non_working: BTreeSet<NaiveDate>,
    configured_years: BTreeSet<i32>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid calendar date")
}

/// The 2026 calendar of the joint decree (SKB) dated 19 November 2025: the bundled default.
pub fn indonesia_2026() -> YearCalendar {
    let national = [
        (1, 1),
        (1, 16),
        (2, 17),
        (3, 19),
        (3, 21),
        (3, 22),
        (4, 3),
        (4, 5),
        (5, 1),
        (5, 14),
        (5, 27),
        (5, 31),
        (6, 1),
        (6, 16),
        (8, 17),
        (8, 25),
        (12, 25),
    ];
    let collective = [
        (2, 16),
        (3, 18),
        (3, 20),
        (3, 23),
        (3, 24),
        (5, 15),
        (5, 28),
        (12, 24),
    ];
    YearCalendar {
        year: 2026,
        national_holidays: national.iter().map(|&(m, day)| d(2026, m, day)).collect(),
        collective_leave: collective.iter().map(|&(m, day)| d(2026, m, day)).collect(),
    }
}

impl Calendar {
    pub fn from_years(years: &[YearCalendar]) -> Calendar {
        let mut cal = Calendar::default();
        for y in years {
            cal.configured_years.insert(y.year);
            cal.non_working.extend(y.national_holidays.iter().copied());
            cal.non_working.extend(y.collective_leave.iter().copied());
        }
        cal
    }

    /// The bundled default: Indonesia's 2026 calendar.
    pub fn indonesia_default() -> Calendar {
        Calendar::from_years(&[indonesia_2026()])
    }

    pub fn is_configured(&self, year: i32) -> bool {
        self.configured_years.contains(&year)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.non_working.contains(&date)
    }

    /// The `n`th working day after `start` (which itself never counts).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> DueDate {
        let mut date = start;
        let mut counted = 0;
        let mut estimate = false;
        while counted < n {
            date = date + Days::new(1);
            estimate |= !self.is_configured(date.year());
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        DueDate { date, estimate }
    }

    /// Working days in the half-open range (`from`, `to`]; zero when `to` is not after `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|day| *day <= to)
            .filter(|day| self.is_working_day(*day))
            .count() as u32
    }

    /// How a deadline stands on `today`.
    pub fn remaining(&self, today: NaiveDate, due: NaiveDate) -> Remaining {
        if today <= due {
            Remaining::Left(self.working_days_between(today, due))
        } else {
            Remaining::Overdue(self.working_days_between(due, today))
        }
    }
}

/// The fixed UTC offset, in minutes, of the time zones of Indonesia (none observes daylight
/// saving time). Unknown zones give `None`; callers then fall back to WIB.
pub fn utc_offset_minutes(iana_zone: &str) -> Option<i32> {
    match iana_zone {
        "Asia/Jakarta" | "Asia/Pontianak" => Some(7 * 60),
        "Asia/Makassar" | "Asia/Ujung_Pandang" => Some(8 * 60),
        "Asia/Jayapura" => Some(9 * 60),
        "UTC" | "Etc/UTC" => Some(0),
        _ => None,
    }
}

/// An RFC 3339 offset (`+07:00`, `-03:30`, `+00:00`) for minutes east of UTC.
pub fn format_offset(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// The offset of Western Indonesian Time, the fallback zone.
pub const WIB_OFFSET_MINUTES: i32 = 7 * 60;

/// The local calendar date of a Unix timestamp at a fixed UTC offset.
pub fn local_date(unix_seconds: i64, offset_minutes: i32) -> NaiveDate {
    let local = unix_seconds + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    d(1970, 1, 1) + chrono::Duration::days(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_written_as_rfc_3339_wants() {
        assert_eq!(format_offset(7 * 60), "+07:00");
        assert_eq!(format_offset(9 * 60), "+09:00");
        assert_eq!(format_offset(0), "+00:00");
        assert_eq!(format_offset(-210), "-03:30");
    }

    #[test]
    fn weekends_and_configured_holidays_do_not_count() {
        let cal = Calendar::indonesia_default();
        assert!(!cal.is_working_day(d(2026, 3, 21))); // Saturday and Idul Fitri
        assert!(!cal.is_working_day(d(2026, 3, 20))); // cuti bersama (Friday)
        assert!(!cal.is_working_day(d(2026, 8, 17))); // Independence Day (Monday)
        assert!(cal.is_working_day(d(2026, 3, 25)));
    }

    #[test]
    fn due_dates_skip_the_2026_lebaran_holidays() {
        let cal = Calendar::indonesia_default();
        // Submitted Tuesday 17 March: 18 (cuti), 19 (Nyepi), 20 (cuti), 21-22 (Idul Fitri,
        // weekend), 23-24 (cuti) are all skipped; 25, 26 and 27 March are the first three.
        let due = cal.add_working_days(d(2026, 3, 17), 3);
        assert_eq!(
            due,
            DueDate {
                date: d(2026, 3, 27),
                estimate: false
            }
        );
        let due = cal.add_working_days(d(2026, 3, 17), 5);
        assert_eq!(due.date, d(2026, 3, 31));
        // A complaint's 14 working days from the same day: April 3 is Good Friday.
        let due = cal.add_working_days(d(2026, 3, 17), 14);
        assert_eq!(due.date, d(2026, 4, 14));
    }

    #[test]
    fn the_submission_day_never_counts() {
        let cal = Calendar::indonesia_default();
        // Submitted on a Monday: one working day later is Tuesday.
        assert_eq!(cal.add_working_days(d(2026, 7, 6), 1).date, d(2026, 7, 7));
        // Submitted on a Saturday: Monday is the first working day.
        assert_eq!(cal.add_working_days(d(2026, 7, 11), 1).date, d(2026, 7, 13));
    }

    #[test]
    fn an_unconfigured_year_gives_an_estimate() {
        let cal = Calendar::indonesia_default();
        // 28 Dec 2026 + 5 working days reaches into 2027, which has no calendar.
        let due = cal.add_working_days(d(2026, 12, 28), 5);
        assert!(due.estimate);
        assert_eq!(due.date, d(2027, 1, 4)); // 29, 30, 31 Dec, 1 Jan (weekends only), 4 Jan
        let inside = cal.add_working_days(d(2026, 12, 1), 5);
        assert!(!inside.estimate);
    }

    #[test]
    fn remaining_counts_working_days_left_and_overdue() {
        let cal = Calendar::indonesia_default();
        let due = d(2026, 3, 27);
        assert_eq!(cal.remaining(d(2026, 3, 17), due), Remaining::Left(3));
        assert_eq!(cal.remaining(due, due), Remaining::Left(0));
        assert_eq!(cal.remaining(d(2026, 3, 30), due), Remaining::Overdue(1));
        // 30, 31 Mar, 1, 2 Apr, then 3 Apr is Good Friday, then 6 Apr.
        assert_eq!(cal.remaining(d(2026, 4, 6), due), Remaining::Overdue(5));
    }

    #[test]
    fn local_dates_follow_the_agency_time_zone() {
        // 2026-03-17T18:30:00Z is already 18 March in Jakarta (UTC+7) and Jayapura (UTC+9).
        let t = 1_773_772_200;
        assert_eq!(local_date(t, 0), d(2026, 3, 17));
        assert_eq!(
            local_date(t, utc_offset_minutes("Asia/Jakarta").unwrap()),
            d(2026, 3, 18)
        );
        assert_eq!(
            local_date(t, utc_offset_minutes("Asia/Jayapura").unwrap()),
            d(2026, 3, 18)
        );
        assert_eq!(utc_offset_minutes("Europe/Berlin"), None);
    }
}
