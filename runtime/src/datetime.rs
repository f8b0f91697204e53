//! The date-time and date types the models carry (`format: date-time`, `format: date`), read and
//! written here rather than by a date library so that no user pays for one to compile; with the
//! `chrono`, `time` or `jiff` feature they convert to and from that crate's types ([`convert`]).

mod convert;

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
/// -0001-12-31 and 10000-01-01 as days since 1970-01-01: the years RFC 3339 can write, and the
/// day either side that a time written with an offset reaches in UTC.
const FIRST_DAY: i64 = -719_529;
const LAST_DAY: i64 = 2_932_897;

/// An instant, in UTC to the nanosecond, as a `format: date-time` field carries it.
///
/// It reads RFC 3339 (`2024-05-01T12:00:00.123Z`, any offset, which is converted to UTC) and,
/// since FastAPI and Django send them, date-times without an offset
/// (`2024-05-01T12:00:00.123456`, or with a space for the `T`), which are read as UTC. It writes
/// RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as many as the value needs. Its range is
/// what RFC 3339 can write in any offset: years 0000 to 9999, and in UTC the day either side
/// (written `-0001-12-31` and `+10000-01-01`, as chrono writes them).
///
/// ```
/// use ferrospec_runtime::DateTime;
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

/// A calendar date (proleptic Gregorian, years 0000 to 9999, and the day either side that a
/// [`DateTime`]'s date can be), as a `format: date` field carries it: `2024-05-01`.
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
    expected: &'static str,
}

const OUT_OF_RANGE: &str = "a time from year 0000 to 9999";

impl InvalidDate {
    fn new(what: &'static str, text: impl Into<String>, expected: &'static str) -> Self {
        InvalidDate { what, text: text.into(), expected }
    }
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {:?}: expected {}", self.what, self.text, self.expected)
    }
}

impl std::error::Error for InvalidDate {}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// The instant `secs` seconds and `nanos` nanoseconds after 1970-01-01T00:00:00Z; `None`
    /// when `nanos` is a second or more or the instant is outside the range.
    pub fn from_unix(secs: i64, nanos: u32) -> Option<DateTime> {
        let day = secs.div_euclid(SECS_PER_DAY);
        (nanos < NANOS_PER_SEC && (FIRST_DAY..=LAST_DAY).contains(&day)).then_some(DateTime { secs, nanos })
    }

    /// The current time.
    ///
    /// # Panics
    ///
    /// If the system clock is set outside years 0000 to 9999.
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

    /// `self + d`, or `None` past the range.
    pub fn checked_add(self, d: Duration) -> Option<DateTime> {
        let nanos = self.nanos + d.subsec_nanos();
        let secs = self.secs.checked_add(i64::try_from(d.as_secs()).ok()?)?;
        DateTime::from_unix(secs.checked_add(i64::from(nanos / NANOS_PER_SEC))?, nanos % NANOS_PER_SEC)
    }

    /// `self - d`, or `None` before the range.
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
        let (date, at) = date_prefix(b)?;
        let b = &b[at..];
        if b.len() < 9 || !matches!(b[0], b'T' | b't' | b' ') || b[3] != b':' || b[6] != b':' {
            return None;
        }
        let (hour, minute, second) = (digits(b, 1, 2)?, digits(b, 4, 2)?, digits(b, 7, 2)?);
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &b[9..];
        let mut nanos = 0;
        if let Some((b'.', fraction)) = rest.split_first() {
            let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            // Digits past the ninth are below a nanosecond: dropped, as other parsers do.
            for (i, c) in fraction[..n.min(9)].iter().enumerate() {
                nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
            }
            rest = &fraction[n..];
        }
        // A leap second (:60) is the next minute's first, as POSIX time counts it.
        let secs = date.days() * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second) - offset(rest)?;
        DateTime::from_unix(secs, nanos)
    }

    /// An HTTP-date (RFC 9110 §5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the
    /// obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
    /// (`Sun Nov  6 08:49:37 1994`) forms that recipients must still accept, and what servers
    /// write in their place: RFC 5322 dates (`+0000`, `UT`, no weekday, two-digit years). The
    /// weekday is not checked.
    pub(crate) fn parse_http_date(text: &str) -> Option<DateTime> {
        let mut words: Vec<&str> =
            text.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|w| !w.is_empty()).collect();
        let weekday =
            |w: &&str| month_number(w).is_none() && w.starts_with(|c: char| c.is_ascii_alphabetic());
        if words.first().is_some_and(weekday) {
            words.remove(0);
        }
        let (day, month, year, time, zone) = match words[..] {
            [day, month, year, time, zone] => (day, month, year, time, zone),
            [dmy, time, zone] => {
                let mut parts = dmy.split('-');
                let dmy = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() {
                    return None;
                }
                (dmy.0, dmy.1, dmy.2, time, zone)
            }
            [month, day, time, year] => (day, month, year, time, "GMT"),
            _ => return None,
        };
        let year = match year.len() {
            4 => digits(year.as_bytes(), 0, 4)?,
            2 => two_digit_year(digits(year.as_bytes(), 0, 2)?, DateTime::now().date().year() as u32),
            _ => return None,
        };
        let day = match day.len() {
            1 | 2 => digits(day.as_bytes(), 0, day.len())?,
            _ => return None,
        };
        if time.len() != 8 {
            return None;
        }
        DateTime::parse(&format!("{year:04}-{:02}-{day:02}T{time} {zone}", month_number(month)?))
    }
}

/// A month's English abbreviation (any case) as its number.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    MONTHS.iter().position(|m| m.eq_ignore_ascii_case(name)).map(|i| i as u32 + 1)
}

/// The seconds east of UTC that what follows a time says: nothing (read as UTC, FastAPI's and
/// Django's default), `Z`, `+02:00`, or, after an optional space, `+0200`, `UTC`, `GMT` or `UT`.
fn offset(rest: &[u8]) -> Option<i64> {
    let (spaced, rest) = match rest {
        [b' ', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let (sign, h, m) = match rest {
        [] if !spaced => return Some(0),
        [b'Z' | b'z'] | [b'U', b'T', b'C'] | [b'G', b'M', b'T'] | [b'U', b'T'] => return Some(0),
        [s @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [s @ (b'+' | b'-'), h1, h2, m1, m2] => {
            (*s, [*h1, *h2], [*m1, *m2])
        }
        _ => return None,
    };
    let (h, m) = (digits(&h, 0, 2)?, digits(&m, 0, 2)?);
    if h > 23 || m > 59 {
        return None;
    }
    let secs = i64::from(h * 3600 + m * 60);
    Some(if sign == b'-' { -secs } else { secs })
}

/// `YYYY-MM-DD` at the start of `b` (or a signed year, `+10000-01-01`, as written for the day
/// past 9999), and how many bytes it took.
fn date_prefix(b: &[u8]) -> Option<(Date, usize)> {
    let signed = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let year_len = b[signed..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(year_len == 4 || (signed == 1 && year_len == 5)) {
        return None;
    }
    let year = digits(b, signed, year_len)? as i32;
    let year = if b[0] == b'-' { -year } else { year };
    // A sign only for the years four digits can't write.
    if signed == 1 && (0..=9999).contains(&year) {
        return None;
    }
    let at = signed + year_len;
    if b.get(at) != Some(&b'-') || b.get(at + 3) != Some(&b'-') {
        return None;
    }
    let date = Date::calendar(year, digits(b, at + 1, 2)?, digits(b, at + 4, 2)?)?;
    (FIRST_DAY..=LAST_DAY).contains(&date.days()).then_some((date, at + 6))
}

impl Date {
    /// The date, if it exists within the range a `Date` has: years 0000 to 9999, and the day
    /// either side (`-0001-12-31`, `+10000-01-01`), which a date-time written with an offset
    /// reaches in UTC. It is the range parsing accepts, so every `Date` writes and reads back.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        Date::calendar(year, month, day).filter(|d| (FIRST_DAY..=LAST_DAY).contains(&d.days()))
    }

    /// The date, if the month has that day, in any year.
    fn calendar(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
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
        date_prefix(text.as_bytes()).and_then(|(d, len)| (len == text.len()).then_some(d))
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
        DateTime::parse(text).ok_or_else(|| InvalidDate::new("date-time", text, "RFC 3339"))
    }
}

impl FromStr for Date {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, InvalidDate> {
        Date::parse(text).ok_or_else(|| InvalidDate::new("date", text, "YYYY-MM-DD"))
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
        match self.year {
            0..=9999 => write!(f, "{:04}", self.year)?,
            y if y < 0 => write!(f, "-{:04}", -y)?,
            y => write!(f, "+{y}")?,
        }
        write!(f, "-{:02}-{:02}", self.month, self.day)
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
            .ok_or_else(|| InvalidDate::new("date-time", t.to_string(), "a time this platform's clock holds"))
    }
}

impl TryFrom<SystemTime> for DateTime {
    type Error = InvalidDate;

    fn try_from(t: SystemTime) -> Result<Self, InvalidDate> {
        let out_of_range = || InvalidDate::new("date-time", format!("{t:?}"), OUT_OF_RANGE);
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

/// RFC 9110's reading of a two-digit year `yy` in year `now`: the year ending in `yy` that is at
/// most 50 years ahead of `now` and less than 50 years behind it (in 2060, `05` is 2105).
fn two_digit_year(yy: u32, now: u32) -> u32 {
    let y = now / 100 * 100 + yy;
    if y > now + 50 {
        y - 100
    } else if y + 50 <= now {
        y + 100
    } else {
        y
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
        // What servers write besides RFC 3339 (PHP's and older Jackson's `+0000`, chrono's own
        // `Display`), as chrono's `Deserialize` read them.
        assert_eq!(show("2024-05-01T12:00:00+0200").as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(show("2024-05-01 12:00:00 UTC").as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!(show("2024-05-01 12:00:00.5 +00:00").as_deref(), Some("2024-05-01T12:00:00.500Z"));
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
            "2024-05-01T12:00:00+02",
            "2024-05-01T12:00:00 ",
            "2024-05-01T12:00:00 CET",
            "2024-05-01T12:00:00+24:00",
            "2024-05-01T12:00:00Z junk",
            "2024-05-01X12:00:00Z",
            "2024-05-01T12:00:00\u{e9}",
        ] {
            assert_eq!(show(bad), None, "{bad:?}");
        }
        let e = "yesterday".parse::<DateTime>().unwrap_err();
        assert_eq!(e.to_string(), "invalid date-time \"yesterday\": expected RFC 3339");
    }

    /// `from_ymd` and parsing accept the same dates, and every one writes and reads back.
    #[test]
    fn from_ymd_and_parsing_agree_at_the_edges() {
        let cases = [
            ((-1, 12, 30), None),
            ((-1, 12, 31), Some("-0001-12-31")),
            ((0, 1, 1), Some("0000-01-01")),
            ((9999, 12, 31), Some("9999-12-31")),
            ((10000, 1, 1), Some("+10000-01-01")),
            ((10000, 1, 2), None),
        ];
        for ((y, m, d), text) in cases {
            let made = Date::from_ymd(y, m, d);
            assert_eq!(made.map(|d| d.to_string()).as_deref(), text, "{y}-{m}-{d}");
            if let (Some(made), Some(text)) = (made, text) {
                assert_eq!(text.parse::<Date>().unwrap(), made);
            }
        }
        assert!("-0001-12-30".parse::<Date>().is_err() && "+10000-01-02".parse::<Date>().is_err());
    }

    #[test]
    fn unix_time_and_the_calendar_agree_across_the_whole_range() {
        assert_eq!(DateTime::UNIX_EPOCH.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(show("0000-01-01T00:00:00Z").as_deref(), Some("0000-01-01T00:00:00Z"));
        assert_eq!(show("9999-12-31T23:59:59.999999999Z").as_deref(), Some("9999-12-31T23:59:59.999999999Z"));
        // What an offset reaches past the years RFC 3339 writes reads, and writes as chrono did.
        assert_eq!(show("9999-12-31T23:00:00-05:00").as_deref(), Some("+10000-01-01T04:00:00Z"));
        assert_eq!(show("+10000-01-01T04:00:00Z").as_deref(), Some("+10000-01-01T04:00:00Z"));
        assert_eq!(show("0000-01-01T00:00:00+00:01").as_deref(), Some("-0001-12-31T23:59:00Z"));
        assert_eq!(show("-0001-12-31T23:59:00Z").as_deref(), Some("-0001-12-31T23:59:00Z"));
        assert_eq!(show("+10000-01-02T00:00:00Z"), None);
        assert_eq!(show("-0001-12-30T23:59:59Z"), None);
        assert_eq!(show("+2024-05-01T12:00:00Z"), None);
        let e = "+10001-01-01T00:00:00Z".parse::<DateTime>().unwrap_err();
        assert_eq!(e.to_string(), "invalid date-time \"+10001-01-01T00:00:00Z\": expected RFC 3339");
        assert_eq!("1969-12-31T23:59:59.5Z".parse::<DateTime>().unwrap().unix_seconds(), -1);
        assert_eq!("2000-02-29T00:00:00Z".parse::<DateTime>().unwrap().unix_seconds(), 951_782_400);
        // Every day of the range goes to its date and back (and, for a sample, through its text).
        let mut prev: Option<Date> = None;
        for day in FIRST_DAY..=LAST_DAY {
            let d = Date::from_days(day);
            assert_eq!(d.days(), day);
            if day % 97 == 0 || day == FIRST_DAY || day == LAST_DAY {
                assert_eq!(d.to_string().parse::<Date>(), Ok(d));
            }
            if (0..=9999).contains(&d.year()) {
                assert_eq!(Date::from_ymd(d.year(), d.month(), d.day()), Some(d));
            }
            assert!(prev.is_none_or(|p| p < d));
            prev = Some(d);
        }
        assert_eq!(DateTime::from_unix((LAST_DAY + 1) * SECS_PER_DAY, 0), None);
        assert_eq!(DateTime::from_unix(FIRST_DAY * SECS_PER_DAY - 1, 0), None);
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
    fn http_dates_in_all_three_forms_and_rfc_5322() {
        let want: DateTime = "1994-11-06T08:49:37Z".parse().unwrap();
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 +0000",
            "Sun, 06 Nov 1994 09:49:37 +0100",
            "Sun, 06 Nov 1994 08:49:37 -0000",
            "06 Nov 1994 08:49:37 UT",
            "Sun, 6 nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(DateTime::parse_http_date(v), Some(want), "{v}");
        }
        // The two-digit forms read `94` as today's rule says (1994 until 2044).
        let year = two_digit_year(94, DateTime::now().date().year() as u32) as i32;
        let want94: DateTime = format!("{year}-11-06T08:49:37Z").parse().unwrap();
        for v in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT"] {
            assert_eq!(DateTime::parse_http_date(v), Some(want94), "{v}");
        }
        // Two-digit years: up to 50 years ahead, else the century before (RFC 9110), whatever
        // the year today.
        for (yy, now, want) in [
            (94, 2026, 1994),
            (76, 2026, 2076),
            (77, 2026, 1977),
            (5, 2060, 2105),
            (10, 2060, 2110),
            (11, 2060, 2011),
            (99, 2049, 2099),
            (0, 2050, 2100),
            (1, 2099, 2101),
        ] {
            assert_eq!(two_digit_year(yy, now), want, "{yy:02} in {now}");
        }
        for bad in [
            "soon",
            "",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06-Nov-94-1 08:49:37 GMT",
            "Sun, 31 Feb 1994 08:49:37 GMT",
        ] {
            assert_eq!(DateTime::parse_http_date(bad), None, "{bad}");
        }
    }
}
