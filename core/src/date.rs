//! ISO 8601 calendar dates (`2026-03-27`) without chrono's general-purpose parser, which
//! would cost the app's wasm more than everything here. Used by the API types through
//! `#[serde(with = …)]`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serializer};

/// Parses exactly `YYYY-MM-DD`.
pub fn parse(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        text.get(range)?.bytes().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// The Unix seconds of an RFC 3339 timestamp as servers write them
/// (`2026-03-27T08:15:00Z`, `2026-03-27T15:15:00+07:00`, fractions of a second ignored).
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let date = parse(text.get(..10)?)?;
    let rest = text.get(10..)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let number = |s: &str| -> Option<i64> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (h, m, sec) = (
        number(rest.get(0..2)?)?,
        number(rest.get(3..5)?)?,
        number(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        zone = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if zone.len() != 6 || zone.get(3..4)? != ":" {
                return None;
            }
            sign * (number(zone.get(1..3)?)? * 3600 + number(zone.get(4..6)?)? * 60)
        }
    };
    let days = (date - NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days();
    Some(days * 86_400 + h * 3600 + m * 60 + sec - offset)
}

/// `YYYY-MM-DD`.
pub fn format(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format(*date))
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom("expected a date as YYYY-MM-DD"))
}

/// The same for `Option<NaiveDate>` (`null` or absent is `None`).
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => parse(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("expected a date as YYYY-MM-DD")),
        }
    }
}

/// The same for lists of dates.
pub mod list {
    use super::*;
    use serde::ser::SerializeSeq;

    pub fn serialize<S: Serializer>(dates: &[NaiveDate], serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(dates.len()))?;
        for date in dates {
            seq.serialize_element(&format(*date))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<String>::deserialize(deserializer)?
            .iter()
            .map(|text| {
                parse(text).ok_or_else(|| serde::de::Error::custom("expected a date as YYYY-MM-DD"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_iso_dates() {
        assert_eq!(parse("2026-03-27"), NaiveDate::from_ymd_opt(2026, 3, 27));
        assert_eq!(
            format(NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()),
            "2026-03-07"
        );
        for bad in [
            "2026-02-30",
            "2026-3-27",
            "27-03-2026",
            "2026-03-27T00:00",
            "2026/03/27",
            "",
            "２０２６-03-27",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn agrees_with_chrono_on_every_day_of_two_years() {
        let mut day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        while day.year() < 2028 {
            let text = day.to_string();
            assert_eq!(format(day), text);
            assert_eq!(parse(&text), Some(day));
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn serde_round_trips() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T {
            #[serde(with = "crate::date")]
            a: NaiveDate,
            #[serde(with = "crate::date::option", default)]
            b: Option<NaiveDate>,
            #[serde(with = "crate::date::list")]
            c: Vec<NaiveDate>,
        }
        let t: T =
            serde_json::from_str(r#"{"a":"2026-03-27","b":null,"c":["2026-01-01"]}"#).unwrap();
        assert_eq!(t.b, None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":"2026-03-27","b":null,"c":["2026-01-01"]}"#
        );
        assert!(serde_json::from_str::<T>(r#"{"a":"2026-13-01","c":[]}"#).is_err());
    }

    #[test]
    fn reads_the_timestamps_servers_write() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2026-03-27T08:15:00Z"), Some(1_774_599_300));
        assert_eq!(
            parse_timestamp("2026-03-27T15:15:00+07:00"),
            parse_timestamp("2026-03-27T08:15:00Z")
        );
        assert_eq!(
            parse_timestamp("2010-04-14T06:37:38.123-08:00"),
            parse_timestamp("2010-04-14T14:37:38Z")
        );
        for bad in [
            "",
            "2026-03-27",
            "2026-03-27T25:00:00Z",
            "2026-03-27T08:15:00",
            "2026-03-27T08:15:00+0700",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
