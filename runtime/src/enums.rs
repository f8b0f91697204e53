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
