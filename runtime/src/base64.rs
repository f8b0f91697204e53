//! Bytes inside a JSON document: a `format: binary` (or `contentEncoding: base64`) string
//! property outside a multipart body travels as standard base64 text (RFC 4648, padded).

use base64::alphabet::{STANDARD, URL_SAFE};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD as ENCODER};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Bytes that travel in JSON as a base64 string. Reading accepts the standard and the URL-safe
/// alphabets, with or without padding, and ignores ASCII whitespace (MIME line breaks); it
/// refuses what no encoder writes: padding in the wrong place or more of it than the length
/// needs, and trailing bits that aren't zero (`Zh==` is not `f`).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Bytes(pub Vec<u8>);

/// Padding optional (all or part of it), never extra or misplaced; trailing bits must be zero.
const LENIENCY: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(false);
const STANDARD_READER: GeneralPurpose = GeneralPurpose::new(&STANDARD, LENIENCY);
const URL_SAFE_READER: GeneralPurpose = GeneralPurpose::new(&URL_SAFE, LENIENCY);

/// Standard padded base64 (RFC 4648): JSON bytes here, and basic authentication's credentials.
pub(crate) fn encode(bytes: &[u8]) -> String {
    ENCODER.encode(bytes)
}

impl Base64Bytes {
    /// The bytes as standard padded base64.
    pub fn encode(&self) -> String {
        encode(&self.0)
    }

    /// Reads base64 text (standard or URL-safe, padding optional, whitespace ignored).
    pub fn decode(text: &str) -> Result<Self, String> {
        let compact: std::borrow::Cow<'_, str> = if text.bytes().any(|b| b.is_ascii_whitespace()) {
            text.chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>().into()
        } else {
            text.into()
        };
        let url_safe = compact.bytes().any(|b| b == b'-' || b == b'_');
        let engine = if url_safe { &URL_SAFE_READER } else { &STANDARD_READER };
        engine.decode(compact.as_bytes()).map(Base64Bytes).map_err(|e| format!("invalid base64: {e}"))
    }
}

impl fmt::Debug for Base64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Bytes({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64Bytes {
    fn from(v: Vec<u8>) -> Self {
        Base64Bytes(v)
    }
}

impl From<&[u8]> for Base64Bytes {
    fn from(v: &[u8]) -> Self {
        Base64Bytes(v.to_vec())
    }
}

impl std::ops::Deref for Base64Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::enums::read_str(d, Base64Bytes::decode)?.map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_round_trip() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (raw, b64) in cases {
            assert_eq!(Base64Bytes(raw.into()).encode(), b64);
            assert_eq!(Base64Bytes::decode(b64).unwrap().0, raw.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        let text = Base64Bytes(all.clone()).encode();
        assert_eq!(Base64Bytes::decode(&text).unwrap().0, all);
    }

    #[test]
    fn lenient_reading_strict_errors() {
        assert_eq!(Base64Bytes::decode("Zm9vYg").unwrap().0, b"foob");
        assert_eq!(Base64Bytes::decode("_-8=").unwrap().0, [0xff, 0xef]);
        assert_eq!(Base64Bytes::decode("Zm9v\r\nYmFy").unwrap().0, b"foobar");
        assert!(Base64Bytes::decode("Zm9v!").is_err());
        assert!(Base64Bytes::decode("Zg==Zg").is_err());
        assert!(Base64Bytes::decode("Zm9vY").is_err());
    }

    #[test]
    fn what_no_encoder_writes_is_refused() {
        assert!(Base64Bytes::decode("=").is_err());
        assert!(Base64Bytes::decode("Zh==").is_err(), "trailing bits set");
        assert_eq!(Base64Bytes::decode("Zg=").unwrap().0, b"f", "padding may be cut short, unambiguously");
        assert!(Base64Bytes::decode("Zm8==").is_err(), "too much padding");
        assert!(Base64Bytes::decode("Zm+_").is_err(), "mixed alphabets");
        assert_eq!(Base64Bytes::decode("").unwrap().0, b"");
    }

    #[test]
    fn json_is_a_string() {
        let v = Base64Bytes(b"hi\0".to_vec());
        assert_eq!(serde_json::to_string(&v).unwrap(), r#""aGkA""#);
        assert_eq!(serde_json::from_str::<Base64Bytes>(r#""aGkA""#).unwrap(), v);
        assert!(serde_json::from_str::<Base64Bytes>("12").is_err());
    }
}
