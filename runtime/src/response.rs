//! A successful answer: status, headers and body bytes, decoded into the type the document names.

use crate::error::{request_id, snippet, Error};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// A decoded response with its status, headers and the body's bytes as they came.
#[derive(Clone)]
pub struct Response<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
    /// The body's bytes as received, before decoding.
    pub raw_body: Bytes,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &crate::secret::RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("raw_body_len", &self.raw_body.len())
            .finish()
    }
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's bytes as received (for fields this client doesn't model, or a checksum).
    pub fn raw_body(&self) -> &Bytes {
        &self.raw_body
    }

    /// The server's request id header, when present.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body turned into another value (status, headers and raw
    /// body kept).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body), raw_body: self.raw_body }
    }
}

/// A successful response before decoding.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    fn with<T>(self, body: T) -> Response<T> {
        Response { status: self.status, headers: self.headers, body, raw_body: self.body }
    }

    /// Decodes a JSON body; unknown fields are ignored. A bodiless success (204, or an empty
    /// 200) reads as `null`, which types that admit it (`Option`, `()`) accept.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<Response<T>, Error> {
        // Only the `from_slice` call depends on `T`: the rest is shared by every response type.
        match serde_json::from_slice::<T>(self.json_input()) {
            Ok(body) => Ok(self.with(body)),
            Err(e) => Err(self.decode_error(std::any::type_name::<T>(), e)),
        }
    }

    fn json_input(&self) -> &[u8] {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        }
    }

    fn decode_error(&self, type_name: &'static str, e: serde_json::Error) -> Error {
        let message = if self.body.iter().all(u8::is_ascii_whitespace) {
            "the body is empty where JSON was expected".to_string()
        } else {
            e.to_string()
        };
        Error::Decode { type_name, status: self.status, message, snippet: snippet(&self.body, 200) }
    }

    /// For operations that return no body: whatever came is only kept as the raw body.
    pub fn empty(self) -> Result<Response<()>, Error> {
        Ok(self.with(()))
    }

    /// The body's bytes as they are.
    pub fn bytes(self) -> Result<Response<Bytes>, Error> {
        let body = self.body.clone();
        Ok(self.with(body))
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(self) -> Result<Response<String>, Error> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.with(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from(body),
        }
    }

    #[test]
    fn an_empty_success_is_none_where_the_type_allows_it() {
        assert_eq!(raw(204, "").json::<Option<u32>>().unwrap().body, None);
        assert_eq!(raw(200, "7").json::<Option<u32>>().unwrap().body, Some(7));
        let e = raw(200, " ").json::<u32>().unwrap_err();
        assert!(e.to_string().contains("the body is empty where JSON was expected"), "{e}");
    }
}
