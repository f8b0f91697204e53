//! Conversions between [`DateTime`]/[`Date`] and the date libraries' types, each behind the
//! feature of its name (as aws-smithy-types offers them). Where the other type's range is not
//! ours (years 0000 to 9999, and the day either side in UTC), the conversion is a `TryFrom`
//! that refuses what doesn't fit, never a panic.

#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
use super::{Date, DateTime, InvalidDate, OUT_OF_RANGE};

/// The refusal of a value beyond the other crate's range (ours is wider at the edges).
#[cfg(any(feature = "time", feature = "jiff"))]
fn beyond(what: &'static str, value: impl std::fmt::Display, library: &'static str) -> InvalidDate {
    InvalidDate::new(what, value.to_string(), library)
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::*;
    use chrono::{Datelike, TimeZone};

    impl From<DateTime> for chrono::DateTime<chrono::Utc> {
        fn from(t: DateTime) -> Self {
            chrono::Utc.timestamp_opt(t.secs, t.nanos).single().expect("the range is within chrono's")
        }
    }

    impl<Tz: chrono::TimeZone> TryFrom<chrono::DateTime<Tz>> for DateTime {
        type Error = InvalidDate;

        fn try_from(t: chrono::DateTime<Tz>) -> Result<Self, InvalidDate> {
            // A leap second's nanoseconds (1e9 and up) count into the next second.
            let (secs, nanos) = (t.timestamp(), t.timestamp_subsec_nanos());
            DateTime::from_unix(secs + i64::from(nanos / 1_000_000_000), nanos % 1_000_000_000).ok_or_else(
                || InvalidDate::new("date-time", t.with_timezone(&chrono::Utc).to_rfc3339(), OUT_OF_RANGE),
            )
        }
    }

    impl From<Date> for chrono::NaiveDate {
        fn from(d: Date) -> Self {
            chrono::NaiveDate::from_ymd_opt(d.year, d.month.into(), d.day.into())
                .expect("the range is within chrono's")
        }
    }

    impl TryFrom<chrono::NaiveDate> for Date {
        type Error = InvalidDate;

        fn try_from(d: chrono::NaiveDate) -> Result<Self, InvalidDate> {
            Date::from_ymd(d.year(), d.month(), d.day())
                .ok_or_else(|| InvalidDate::new("date", d.to_string(), OUT_OF_RANGE))
        }
    }
}

#[cfg(feature = "time")]
mod time_impls {
    use super::*;

    /// time's range without its `large-dates` feature: years -9999 to 9999.
    const TIME_RANGE: &str = "a time within the time crate's range (years -9999 to 9999)";

    impl TryFrom<DateTime> for time::OffsetDateTime {
        type Error = InvalidDate;

        /// Fails only for `+10000-01-01`, beyond time's last year.
        fn try_from(t: DateTime) -> Result<Self, InvalidDate> {
            time::OffsetDateTime::from_unix_timestamp(t.secs)
                .and_then(|s| s.replace_nanosecond(t.nanos))
                .map_err(|_| beyond("date-time", t, TIME_RANGE))
        }
    }

    impl TryFrom<time::OffsetDateTime> for DateTime {
        type Error = InvalidDate;

        fn try_from(t: time::OffsetDateTime) -> Result<Self, InvalidDate> {
            DateTime::from_unix(t.unix_timestamp(), t.nanosecond())
                .ok_or_else(|| InvalidDate::new("date-time", t.to_string(), OUT_OF_RANGE))
        }
    }

    impl TryFrom<Date> for time::Date {
        type Error = InvalidDate;

        fn try_from(d: Date) -> Result<Self, InvalidDate> {
            let month = time::Month::try_from(d.month).map_err(|_| beyond("date", d, TIME_RANGE))?;
            time::Date::from_calendar_date(d.year, month, d.day).map_err(|_| beyond("date", d, TIME_RANGE))
        }
    }

    impl TryFrom<time::Date> for Date {
        type Error = InvalidDate;

        fn try_from(d: time::Date) -> Result<Self, InvalidDate> {
            Date::from_ymd(d.year(), u8::from(d.month()).into(), d.day().into())
                .ok_or_else(|| InvalidDate::new("date", d.to_string(), OUT_OF_RANGE))
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_impls {
    use super::*;

    const JIFF_RANGE: &str = "a time within jiff's range (years -9999 to 9999)";
    const NANOS: i128 = 1_000_000_000;

    impl TryFrom<DateTime> for jiff::Timestamp {
        type Error = InvalidDate;

        /// Fails only past `9999-12-30T22:00:00Z`, where jiff's timestamps end.
        fn try_from(t: DateTime) -> Result<Self, InvalidDate> {
            jiff::Timestamp::from_nanosecond(i128::from(t.secs) * NANOS + i128::from(t.nanos))
                .map_err(|_| beyond("date-time", t, JIFF_RANGE))
        }
    }

    impl TryFrom<jiff::Timestamp> for DateTime {
        type Error = InvalidDate;

        fn try_from(t: jiff::Timestamp) -> Result<Self, InvalidDate> {
            // jiff's nanoseconds share the seconds' sign; ours count up from the second before.
            let total = t.as_nanosecond();
            let (secs, nanos) = (total.div_euclid(NANOS), total.rem_euclid(NANOS));
            i64::try_from(secs)
                .ok()
                .and_then(|secs| DateTime::from_unix(secs, nanos as u32))
                .ok_or_else(|| InvalidDate::new("date-time", t.to_string(), OUT_OF_RANGE))
        }
    }

    impl TryFrom<Date> for jiff::civil::Date {
        type Error = InvalidDate;

        fn try_from(d: Date) -> Result<Self, InvalidDate> {
            let year = i16::try_from(d.year).map_err(|_| beyond("date", d, JIFF_RANGE))?;
            jiff::civil::Date::new(year, d.month as i8, d.day as i8)
                .map_err(|_| beyond("date", d, JIFF_RANGE))
        }
    }

    impl TryFrom<jiff::civil::Date> for Date {
        type Error = InvalidDate;

        fn try_from(d: jiff::civil::Date) -> Result<Self, InvalidDate> {
            Date::from_ymd(d.year().into(), d.month() as u32, d.day() as u32)
                .ok_or_else(|| InvalidDate::new("date", d.to_string(), OUT_OF_RANGE))
        }
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::super::{Date, DateTime};

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_conversions_round_trip() {
        let t: DateTime = "2024-05-01T12:00:00.123456789Z".parse().unwrap();
        let c = chrono::DateTime::<chrono::Utc>::from(t);
        assert_eq!(c.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), t.to_string());
        assert_eq!(DateTime::try_from(c), Ok(t));
        let d = Date::from_ymd(2024, 2, 29).unwrap();
        assert_eq!(Date::try_from(chrono::NaiveDate::from(d)), Ok(d));
        let far: chrono::DateTime<chrono::Utc> = "+10001-01-01T00:00:00Z".parse().unwrap();
        let e = DateTime::try_from(far).unwrap_err();
        assert!(e.to_string().ends_with("expected a time from year 0000 to 9999"), "{e}");
        let edge: DateTime = "+10000-01-01T23:59:59.999999999Z".parse().unwrap();
        assert_eq!(DateTime::try_from(chrono::DateTime::<chrono::Utc>::from(edge)), Ok(edge));
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_conversions_round_trip_and_refuse_what_does_not_fit() {
        for text in ["2024-05-01T12:00:00.123456789Z", "1969-12-31T23:59:59.5Z", "-0001-12-31T00:00:00Z"] {
            let t: DateTime = text.parse().unwrap();
            let o = time::OffsetDateTime::try_from(t).unwrap();
            assert_eq!((o.unix_timestamp(), o.nanosecond()), (t.unix_seconds(), t.subsec_nanos()), "{text}");
            assert_eq!(DateTime::try_from(o), Ok(t), "{text}");
        }
        // An offset is an instant: converted to UTC.
        let o = time::OffsetDateTime::from_unix_timestamp(0)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(2, 0, 0).unwrap());
        assert_eq!(DateTime::try_from(o).unwrap().to_string(), "1970-01-01T00:00:00Z");
        let d = Date::from_ymd(2024, 2, 29).unwrap();
        assert_eq!(Date::try_from(time::Date::try_from(d).unwrap()), Ok(d));
        // Ours reaches one day past 9999 in UTC; time stops at 9999.
        let edge: DateTime = "+10000-01-01T00:00:00Z".parse().unwrap();
        let e = time::OffsetDateTime::try_from(edge).unwrap_err();
        assert!(e.to_string().contains("time crate's range"), "{e}");
        // Before year 0000 on time's side.
        let old = time::Date::from_calendar_date(-5, time::Month::January, 1).unwrap();
        let e = Date::try_from(old).unwrap_err();
        assert!(e.to_string().ends_with("expected a time from year 0000 to 9999"), "{e}");
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_conversions_round_trip_and_refuse_what_does_not_fit() {
        for text in ["2024-05-01T12:00:00.123456789Z", "1969-12-31T23:59:59.5Z", "-0001-12-31T00:00:00Z"] {
            let t: DateTime = text.parse().unwrap();
            let j = jiff::Timestamp::try_from(t).unwrap();
            let nanos = i128::from(t.unix_seconds()) * 1_000_000_000 + i128::from(t.subsec_nanos());
            assert_eq!(j.as_nanosecond(), nanos, "{text}");
            assert_eq!(DateTime::try_from(j), Ok(t), "{text}");
        }
        let d = Date::from_ymd(2024, 2, 29).unwrap();
        assert_eq!(Date::try_from(jiff::civil::Date::try_from(d).unwrap()), Ok(d));
        let edge: DateTime = "+10000-01-01T00:00:00Z".parse().unwrap();
        let e = jiff::Timestamp::try_from(edge).unwrap_err();
        assert!(e.to_string().contains("jiff's range"), "{e}");
        let old = jiff::civil::date(-5, 1, 1);
        let e = Date::try_from(old).unwrap_err();
        assert!(e.to_string().ends_with("expected a time from year 0000 to 9999"), "{e}");
    }
}
