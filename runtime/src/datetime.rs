//! The date-time and date types the models carry (`format: date-time`, `format: date`), read and
//! written here rather than by a date library so that no user pays for one to compile; with the
//! `chrono` feature they convert to and from chrono's types.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
/// 0000-01-01 and 9999-12-31 as days since 1970-01-01: the years RFC 3339 can write.
const MIN_DAY: i64 = -719_528;
const MAX_DAY: i64 = 2_932_896;

/// An instant, in UTC to the nanosecond, as a `format: date-time` field carries it.
///
/// It reads RFC 3339 (`2024-05-01T12:00:00.123Z`, any offset, which is converted to UTC) and,
/// since FastAPI and Django send them, date-times without an offset
/// (`2024-05-01T12:00:00.123456`, or with a space for the `T`), which are read as UTC. It writes
/// RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as many as the value needs. Years 0000 to
/// 9999, the ones RFC 3339 can write.
///
/// ```
/// use llama_cloud_runtime::DateTime;
///
/// let t: DateTime = "2024-05-01T14:00:00.5+02:00".parse().unwrap();
/// assert_eq!(t.to_string(), "2024-05-01T12:00:00.500Z");
/// assert_eq!(t.unix_seconds(), 1_714_564_800);
/// assert!(t < DateTime::now());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A calendar date (proleptic Gregorian, years 0000 to 9999), as a `format: date` field
/// carries it: `2024-05-01`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// A date or date-time that could not be read, or is out of range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDate {
    what: &'static str,
    text: String,
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expected = if self.what == "date" { "YYYY-MM-DD" } else { "RFC 3339" };
        write!(f, "invalid {} {:?}: expected {expected}", self.what, self.text)
    }
}

impl std::error::Error for InvalidDate {}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// The instant `secs` seconds and `nanos` nanoseconds after 1970-01-01T00:00:00Z; `None`
    /// when `nanos` is a second or more or the year falls outside 0000 to 9999.
    pub fn from_unix(secs: i64, nanos: u32) -> Option<DateTime> {
        let day = secs.div_euclid(SECS_PER_DAY);
        (nanos < NANOS_PER_SEC && (MIN_DAY..=MAX_DAY).contains(&day)).then_some(DateTime { secs, nanos })
    }

    /// The current time.
    pub fn now() -> DateTime {
        DateTime::try_from(SystemTime::now()).expect("the system clock is within years 0000 to 9999")
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`unix_seconds`](Self::unix_seconds), below 1,000,000,000.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// The date in UTC.
    pub fn date(&self) -> Date {
        Date::from_days(self.secs.div_euclid(SECS_PER_DAY))
    }

    /// `self + d`, or `None` past 9999-12-31.
    pub fn checked_add(self, d: Duration) -> Option<DateTime> {
        let nanos = self.nanos + d.subsec_nanos();
        let secs = self.secs.checked_add(i64::try_from(d.as_secs()).ok()?)?;
        DateTime::from_unix(secs.checked_add(i64::from(nanos / NANOS_PER_SEC))?, nanos % NANOS_PER_SEC)
    }

    /// `self - d`, or `None` before 0000-01-01.
    pub fn checked_sub(self, d: Duration) -> Option<DateTime> {
        let (mut secs, mut nanos) = (self.secs.checked_sub(i64::try_from(d.as_secs()).ok()?)?, self.nanos);
        if nanos < d.subsec_nanos() {
            secs = secs.checked_sub(1)?;
            nanos += NANOS_PER_SEC;
        }
        DateTime::from_unix(secs, nanos - d.subsec_nanos())
    }

    /// How long after `earlier` this is; `None` if it is before.
    pub fn duration_since(&self, earlier: DateTime) -> Option<Duration> {
        if *self < earlier {
            return None;
        }
        let (secs, nanos) = (self.secs - earlier.secs, i64::from(self.nanos) - i64::from(earlier.nanos));
        let (secs, nanos) = if nanos < 0 { (secs - 1, nanos + 1_000_000_000) } else { (secs, nanos) };
        Some(Duration::new(secs as u64, nanos as u32))
    }

    fn parse(text: &str) -> Option<DateTime> {
        let b = text.as_bytes();
        if b.len() < 19 || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let date = Date::parse(&text[..10])?;
        let (hour, minute, second) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
        if b[13] != b':' || b[16] != b':' || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &b[19..];
        let mut nanos = 0;
        if let Some((b'.', fraction)) = rest.split_first() {
            let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            // Digits past the ninth are below a nanosecond: dropped, as other parsers do.
            for (i, c) in fraction[..n].iter().enumerate() {
                if i < 9 {
                    nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
                }
            }
            rest = &fraction[n..];
        }
        // No offset: read as UTC (FastAPI's and Django's default).
        let offset = match rest {
            [] | [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (h, m) = (digits(&[*h1, *h2], 0, 2)?, digits(&[*m1, *m2], 0, 2)?);
                if h > 23 || m > 59 {
                    return None;
                }
                let secs = i64::from(h * 3600 + m * 60);
                if *sign == b'-' {
                    -secs
                } else {
                    secs
                }
            }
            _ => return None,
        };
        // A leap second (:60) is the next minute's first, as POSIX time counts it.
        let secs = date.days() * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second) - offset;
        DateTime::from_unix(secs, nanos)
    }

    /// An HTTP-date (RFC 9110 §5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or the
    /// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms that recipients must still accept. The weekday is not
    /// checked.
    pub(crate) fn parse_http_date(text: &str) -> Option<DateTime> {
        let words: Vec<&str> =
            text.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|w| !w.is_empty()).collect();
        let (day, month, year, time) = match words[..] {
            [_, day, month, year, time, "GMT"] if year.len() == 4 => (day, month, year, time),
            [_, dmy, time, "GMT"] => {
                let mut parts = dmy.split('-');
                let (day, month, yy) = (parts.next()?, parts.next()?, parts.next()?);
                let yy = digits(yy.as_bytes(), 0, 2).filter(|_| yy.len() == 2 && parts.next().is_none())?;
                // Two-digit years: 70 to 99 are 19xx, the rest 20xx.
                return DateTime::from_http_parts(
                    day,
                    month,
                    if yy >= 70 { 1900 + yy } else { 2000 + yy },
                    time,
                );
            }
            [_, month, day, time, year] if year.len() == 4 => (day, month, year, time),
            _ => return None,
        };
        DateTime::from_http_parts(day, month, digits(year.as_bytes(), 0, 4)?, time)
    }

    fn from_http_parts(day: &str, month: &str, year: u32, time: &str) -> Option<DateTime> {
        const MONTHS: [&str; 12] =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
        let day = match day.len() {
            1 | 2 => digits(day.as_bytes(), 0, day.len())?,
            _ => return None,
        };
        if time.len() != 8 {
            return None;
        }
        DateTime::parse(&format!("{year:04}-{month:02}-{day:02}T{time}Z"))
    }
}

impl Date {
    /// The date, if it exists (years 0000 to 9999).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (0..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month: month as u8, day: day as u8 })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u32 {
        u32::from(self.day)
    }

    /// This date at the given time of day, in UTC.
    pub fn and_hms(&self, hour: u32, minute: u32, second: u32) -> Option<DateTime> {
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        DateTime::from_unix(self.days() * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second), 0)
    }

    fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::from_ymd(digits(b, 0, 4)? as i32, digits(b, 5, 2)?, digits(b, 8, 2)?)
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    fn days(&self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`days`](Self::days) (`civil_from_days`), for days within the range.
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date { year: (yoe + era * 400 + i64::from(month <= 2)) as i32, month, day }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `len` ASCII digits of `b` from `at`, as a number.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let s = b.get(at..at + len)?;
    s.iter().try_fold(0, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

impl FromStr for DateTime {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, InvalidDate> {
        DateTime::parse(text).ok_or_else(|| InvalidDate { what: "date-time", text: text.into() })
    }
}

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, InvalidDate> {
        Date::parse(text).ok_or_else(|| InvalidDate { what: "date", text: text.into() })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.secs.rem_euclid(SECS_PER_DAY);
        write!(f, "{}T{:02}:{:02}:{:02}", self.date(), secs / 3600, secs / 60 % 60, secs % 60)?;
        match self.nanos {
            0 => {}
            n if n % 1_000_000 == 0 => write!(f, ".{:03}", n / 1_000_000)?,
            n if n % 1_000 == 0 => write!(f, ".{:06}", n / 1_000)?,
            n => write!(f, ".{n:09}")?,
        }
        f.write_str("Z")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Fails only where the platform's clock can't hold the instant (Windows' starts in 1601).
impl TryFrom<DateTime> for SystemTime {
    type Error = InvalidDate;

    fn try_from(t: DateTime) -> Result<SystemTime, InvalidDate> {
        let whole = match u64::try_from(t.secs) {
            Ok(secs) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)),
            Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(t.secs.unsigned_abs())),
        };
        whole
            .and_then(|w| w.checked_add(Duration::from_nanos(u64::from(t.nanos))))
            .ok_or_else(|| InvalidDate { what: "date-time", text: t.to_string() })
    }
}

impl TryFrom<SystemTime> for DateTime {
    type Error = InvalidDate;

    fn try_from(t: SystemTime) -> Result<Self, InvalidDate> {
        let out_of_range = || InvalidDate { what: "date-time", text: format!("{t:?}") };
        match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => DateTime::UNIX_EPOCH.checked_add(d),
            Err(e) => DateTime::UNIX_EPOCH.checked_sub(e.duration()),
        }
        .ok_or_else(out_of_range)
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Reads either type from a string, borrowed or not.
struct FromText<T>(std::marker::PhantomData<T>);

impl<T: FromStr<Err = InvalidDate>> serde::de::Visitor<'_> for FromText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date or date-time string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(FromText(std::marker::PhantomData))
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(FromText(std::marker::PhantomData))
    }
}

#[cfg(feature = "chrono")]
mod chrono_conversions {
    use super::{Date, DateTime, InvalidDate};

    impl From<DateTime> for chrono::DateTime<chrono::Utc> {
        fn from(t: DateTime) -> Self {
            chrono::DateTime::from_timestamp(t.secs, t.nanos)
                .expect("years 0000 to 9999 are within chrono's range")
        }
    }

    impl<Tz: chrono::TimeZone> TryFrom<chrono::DateTime<Tz>> for DateTime {
        type Error = InvalidDate;

        fn try_from(t: chrono::DateTime<Tz>) -> Result<Self, InvalidDate> {
            // A leap second's nanoseconds (1e9 and up) count into the next second.
            let (secs, nanos) = (t.timestamp(), t.timestamp_subsec_nanos());
            DateTime::from_unix(secs + i64::from(nanos / 1_000_000_000), nanos % 1_000_000_000)
                .ok_or_else(|| InvalidDate { what: "date-time", text: t.to_utc().to_rfc3339() })
        }
    }

    impl From<Date> for chrono::NaiveDate {
        fn from(d: Date) -> Self {
            chrono::NaiveDate::from_ymd_opt(d.year, d.month.into(), d.day.into())
                .expect("years 0000 to 9999 are within chrono's range")
        }
    }

    impl TryFrom<chrono::NaiveDate> for Date {
        type Error = InvalidDate;

        fn try_from(d: chrono::NaiveDate) -> Result<Self, InvalidDate> {
            use chrono::Datelike;
            Date::from_ymd(d.year(), d.month(), d.day())
                .ok_or_else(|| InvalidDate { what: "date", text: d.to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Option<String> {
        text.parse::<DateTime>().ok().map(|t| t.to_string())
    }

    #[test]
    fn rfc3339_with_any_offset_reads_as_utc() {
        assert_eq!(show("2024-05-01T14:00:00+02:00").as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!(show("2024-05-01T00:30:00-01:00").as_deref(), Some("2024-05-01T01:30:00Z"));
        assert_eq!(show("2024-05-01t12:00:00z").as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!(show("2024-03-01T00:00:00+00:01").as_deref(), Some("2024-02-29T23:59:00Z"));
    }

    #[test]
    fn date_times_without_an_offset_are_utc() {
        assert_eq!(show("2024-05-01T12:00:00.123456").as_deref(), Some("2024-05-01T12:00:00.123456Z"));
        assert_eq!(show("2024-05-01 12:00:00").as_deref(), Some("2024-05-01T12:00:00Z"));
    }

    #[test]
    fn fractions_keep_their_precision_and_write_as_few_digits_as_they_need() {
        assert_eq!(show("2024-05-01T12:00:00.5Z").as_deref(), Some("2024-05-01T12:00:00.500Z"));
        assert_eq!(show("2024-05-01T12:00:00.1234Z").as_deref(), Some("2024-05-01T12:00:00.123400Z"));
        assert_eq!(show("2024-05-01T12:00:00.000000001Z").as_deref(), Some("2024-05-01T12:00:00.000000001Z"));
        assert_eq!(
            show("2024-05-01T12:00:00.1234567891Z").as_deref(),
            Some("2024-05-01T12:00:00.123456789Z")
        );
        assert_eq!(show("2024-05-01T12:00:00.000Z").as_deref(), Some("2024-05-01T12:00:00Z"));
    }

    #[test]
    fn what_is_not_a_date_time_is_refused() {
        for bad in [
            "",
            "yesterday",
            "2024-05-01",
            "2024-05-01T12:00",
            "2024-05-01T24:00:00Z",
            "2024-02-30T12:00:00Z",
            "2023-02-29T12:00:00Z",
            "2024-13-01T12:00:00Z",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00+0200",
            "2024-05-01T12:00:00+24:00",
            "2024-05-01T12:00:00Z junk",
            "2024-05-01X12:00:00Z",
            "+2024-05-01T12:00:00Z",
            "2024-05-01T12:00:00\u{e9}",
        ] {
            assert_eq!(show(bad), None, "{bad:?}");
        }
        let e = "yesterday".parse::<DateTime>().unwrap_err();
        assert_eq!(e.to_string(), "invalid date-time \"yesterday\": expected RFC 3339");
    }

    #[test]
    fn unix_time_and_the_calendar_agree_across_the_whole_range() {
        assert_eq!(DateTime::UNIX_EPOCH.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(show("0000-01-01T00:00:00Z").as_deref(), Some("0000-01-01T00:00:00Z"));
        assert_eq!(show("9999-12-31T23:59:59.999999999Z").as_deref(), Some("9999-12-31T23:59:59.999999999Z"));
        assert_eq!(show("0000-01-01T00:00:00+00:01"), None);
        assert_eq!("1969-12-31T23:59:59.5Z".parse::<DateTime>().unwrap().unix_seconds(), -1);
        assert_eq!("2000-02-29T00:00:00Z".parse::<DateTime>().unwrap().unix_seconds(), 951_782_400);
        // Every day from 0000-01-01 to 9999-12-31 goes to its date and back.
        let mut prev: Option<Date> = None;
        for day in MIN_DAY..=MAX_DAY {
            let d = Date::from_days(day);
            assert_eq!(d.days(), day);
            assert_eq!(Date::from_ymd(d.year(), d.month(), d.day()), Some(d));
            assert!(prev.is_none_or(|p| p < d));
            prev = Some(d);
        }
        assert_eq!(DateTime::from_unix((MAX_DAY + 1) * SECS_PER_DAY, 0), None);
        assert_eq!(DateTime::from_unix(0, 1_000_000_000), None);
    }

    #[test]
    fn a_leap_second_is_the_next_minutes_first() {
        assert_eq!(show("2016-12-31T23:59:60Z").as_deref(), Some("2017-01-01T00:00:00Z"));
    }

    #[test]
    fn arithmetic_and_system_time() {
        let t: DateTime = "2024-05-01T12:00:00.750Z".parse().unwrap();
        let later = t.checked_add(Duration::from_millis(500)).unwrap();
        assert_eq!(later.to_string(), "2024-05-01T12:00:01.250Z");
        assert_eq!(later.checked_sub(Duration::from_millis(500)), Some(t));
        assert_eq!(later.duration_since(t), Some(Duration::from_millis(500)));
        assert_eq!(t.duration_since(later), None);
        assert_eq!(SystemTime::try_from(t).and_then(DateTime::try_from), Ok(t));
        let before: DateTime = "1969-07-20T20:17:40.25Z".parse().unwrap();
        assert_eq!(SystemTime::try_from(before).and_then(DateTime::try_from), Ok(before));
        assert_eq!(later.duration_since(before), Some(Duration::from_secs(1_728_747_741)));
        assert_eq!(t.date(), Date::from_ymd(2024, 5, 1).unwrap());
        assert_eq!(t.date().and_hms(12, 0, 0).unwrap().checked_add(Duration::from_millis(750)), Some(t));
    }

    #[test]
    fn dates_read_and_write_as_full_dates() {
        let d: Date = "2024-02-29".parse().unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(Date::from_ymd(7, 1, 2).unwrap().to_string(), "0007-01-02");
        for bad in ["2023-02-29", "2024-5-1", "2024-05-01T00:00:00Z", "20240501", "2024-00-10"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!("x".parse::<Date>().unwrap_err().to_string(), "invalid date \"x\": expected YYYY-MM-DD");
    }

    #[test]
    fn serde_reads_and_writes_strings() {
        let t: DateTime = serde_json::from_str(r#""2024-05-01T12:00:00.123456+00:00""#).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#""2024-05-01T12:00:00.123456Z""#);
        let d: Vec<Date> = serde_json::from_str(r#"["2024-05-01"]"#).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"["2024-05-01"]"#);
        let e = serde_json::from_str::<DateTime>(r#""yesterday""#).unwrap_err();
        assert!(e.to_string().contains("invalid date-time \"yesterday\""), "{e}");
        assert!(serde_json::from_str::<DateTime>("17").is_err());
    }

    #[test]
    fn http_dates_in_all_three_forms() {
        let want: DateTime = "1994-11-06T08:49:37Z".parse().unwrap();
        for v in
            ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"]
        {
            assert_eq!(DateTime::parse_http_date(v), Some(want), "{v}");
        }
        assert_eq!(
            DateTime::parse_http_date("Thursday, 01-Jan-32 00:00:00 GMT"),
            Some("2032-01-01T00:00:00Z".parse().unwrap())
        );
        for bad in [
            "soon",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
        ] {
            assert_eq!(DateTime::parse_http_date(bad), None, "{bad}");
        }
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_conversions_round_trip() {
        let t: DateTime = "2024-05-01T12:00:00.123456789Z".parse().unwrap();
        let c = chrono::DateTime::<chrono::Utc>::from(t);
        assert_eq!(c.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true), t.to_string());
        assert_eq!(DateTime::try_from(c), Ok(t));
        let d = Date::from_ymd(2024, 2, 29).unwrap();
        assert_eq!(Date::try_from(chrono::NaiveDate::from(d)), Ok(d));
    }
}
