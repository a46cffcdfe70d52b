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
}
