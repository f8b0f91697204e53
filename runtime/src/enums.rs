//! Support for the generated open string enums.

use std::fmt;

/// A string enum value this version of the client doesn't know. It can only be made by parsing
/// a string through the enum (`From<&str>`, `FromStr`, deserializing), which turns every value
/// the enum knows into its own variant: so `Unknown` never holds a known value, and equality,
/// hashing and `match` agree with what is sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For the generated enums' parsers only, which call it after matching every known value.
    #[doc(hidden)]
    pub fn __after_known_values(value: &str) -> Self {
        UnknownValue(value.into())
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Deserializes an optional nullable field into three states: absent (`None`, through
/// `#[serde(default)]`), `null` (`Some(None)`) and a value (`Some(Some(v))`).
#[doc(hidden)]
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// Deserializes a `date-time`: RFC 3339, or without an offset (FastAPI's and Django's default,
/// `2024-05-01T12:00:00.123456`), which is read as UTC.
#[doc(hidden)]
pub fn datetime<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<chrono::DateTime<chrono::Utc>, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    parse_datetime(&text).ok_or_else(|| {
        serde::de::Error::custom(format_args!("invalid date-time {text:?}: expected RFC 3339"))
    })
}

/// [`datetime`] for an optional field (`null` is `None`).
#[doc(hidden)]
pub fn opt_datetime<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    let text = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(deserializer)?;
    match text {
        None => Ok(None),
        Some(t) => parse_datetime(&t).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format_args!("invalid date-time {t:?}: expected RFC 3339"))
        }),
    }
}

fn parse_datetime(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    utc_datetime(
        text,
        chrono::DateTime::parse_from_rfc3339,
        &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"],
    )
}

/// `text` read by `with_offset`, else by the first of the `naive` formats (which carry no
/// offset) that fits, as UTC.
pub(crate) fn utc_datetime(
    text: &str,
    with_offset: fn(&str) -> chrono::ParseResult<chrono::DateTime<chrono::FixedOffset>>,
    naive: &[&str],
) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = with_offset(text) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    naive.iter().find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok()).map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(json: &str) -> Result<String, serde_json::Error> {
        datetime(&mut serde_json::Deserializer::from_str(json)).map(|t| t.to_rfc3339())
    }

    fn maybe(json: &str) -> Option<String> {
        opt_datetime(&mut serde_json::Deserializer::from_str(json)).unwrap().map(|t| t.to_rfc3339())
    }

    #[test]
    fn date_times_with_and_without_an_offset() {
        assert_eq!(one(r#""2024-05-01T12:00:00.123456""#).unwrap(), "2024-05-01T12:00:00.123456+00:00");
        assert_eq!(one(r#""2024-05-01T14:00:00+02:00""#).unwrap(), "2024-05-01T12:00:00+00:00");
        assert_eq!(one(r#""2024-05-01T12:00:00Z""#).unwrap(), "2024-05-01T12:00:00+00:00");
        assert_eq!(maybe("null"), None);
        assert_eq!(maybe(r#""2024-05-01 12:00:00""#).as_deref(), Some("2024-05-01T12:00:00+00:00"));
        let e = one(r#""yesterday""#).unwrap_err();
        assert!(e.to_string().contains("invalid date-time \"yesterday\""), "{e}");
    }
}
