//! Values that `Debug` output, logs and errors never show: API keys, cookies, header values.

use std::fmt;

/// A value whose `Debug` output is `"<redacted>"`. It serializes as the value itself, so a
/// secret parameter still goes on the wire unchanged.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Secret(value)
    }

    /// The value itself; the name makes each place that reveals it easy to find.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl<T: serde::Serialize> serde::Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Name/value pairs shown in `Debug` with their names only.
pub(crate) struct RedactedPairs<'a, K, V>(pub &'a [(K, V)]);

impl<K: fmt::Display, V> fmt::Debug for RedactedPairs<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, _)| (k.to_string(), Secret(())))).finish()
    }
}

/// Response headers for `Debug`: the ones that carry credentials are redacted.
pub(crate) struct RedactedHeaders<'a>(pub &'a http::HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.0 {
            if v.is_sensitive() || is_credential_header(k.as_str()) {
                m.entry(&k.as_str(), &Secret(()));
            } else {
                m.entry(&k.as_str(), v);
            }
        }
        m.finish()
    }
}

pub(crate) fn is_credential_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
        || n.contains("api-key")
        || n.contains("apikey")
        || n.contains("token")
        || n.contains("secret")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value_and_serializing_does() {
        let s = Secret::new("llx-123".to_string());
        assert_eq!(format!("{s:?}"), "\"<redacted>\"");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"llx-123\"");
        let pairs = [("x-tenant".to_string(), "t-secret".to_string())];
        assert_eq!(format!("{:?}", RedactedPairs(&pairs)), "{\"x-tenant\": \"<redacted>\"}");
        let mut h = http::HeaderMap::new();
        h.insert("set-cookie", "session=abc".parse().unwrap());
        h.insert("x-request-id", "r1".parse().unwrap());
        let shown = format!("{:?}", RedactedHeaders(&h));
        assert!(!shown.contains("abc") && shown.contains("r1"), "{shown}");
    }
}
