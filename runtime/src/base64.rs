//! Bytes inside a JSON document: a `format: binary` (or `contentEncoding: base64`) string
//! property outside a multipart body travels as standard base64 text (RFC 4648, padded).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Bytes that travel in JSON as a base64 string. Reading accepts the standard and the URL-safe
/// alphabets, with or without padding, and ignores ASCII whitespace (MIME line breaks).
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Bytes(pub Vec<u8>);

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64 (RFC 4648): JSON bytes here, and basic authentication's credentials.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Base64Bytes {
    /// The bytes as standard padded base64.
    pub fn encode(&self) -> String {
        encode(&self.0)
    }

    /// Reads base64 text (standard or URL-safe, padding optional).
    pub fn decode(text: &str) -> Result<Self, String> {
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        let (mut acc, mut bits, mut padding) = (0u32, 0u32, 0usize);
        for (i, c) in text.bytes().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' | b'-' => 62,
                b'/' | b'_' => 63,
                b'=' => {
                    padding += 1;
                    continue;
                }
                c if c.is_ascii_whitespace() => continue,
                _ => return Err(format!("invalid base64 character at offset {i}")),
            };
            if padding > 0 {
                return Err(format!("base64 data after padding at offset {i}"));
            }
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        // 6 leftover bits can't end a byte sequence (one stray character).
        if bits >= 6 || padding > 2 {
            return Err("truncated base64 data".into());
        }
        Ok(Base64Bytes(out))
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
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Base64Bytes::decode(&text).map_err(serde::de::Error::custom)
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
    fn json_is_a_string() {
        let v = Base64Bytes(b"hi\0".to_vec());
        assert_eq!(serde_json::to_string(&v).unwrap(), r#""aGkA""#);
        assert_eq!(serde_json::from_str::<Base64Bytes>(r#""aGkA""#).unwrap(), v);
        assert!(serde_json::from_str::<Base64Bytes>("12").is_err());
    }
}
