//! Support for the generated open string enums.

use serde::de::{Deserializer, Visitor};
use std::fmt;

/// Reads a string and hands it to `f` where it lies (borrowed from the input, or the
/// deserializer's buffer), for the generated string enums: `Cow<str>`'s impl always copies.
#[doc(hidden)]
pub fn read_str<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    f: impl FnOnce(&str) -> T,
) -> Result<T, D::Error> {
    struct Text<F>(F);
    impl<T, F: FnOnce(&str) -> T> Visitor<'_> for Text<F> {
        type Value = T;
        fn expecting(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
            out.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }
    deserializer.deserialize_str(Text(f))
}

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
