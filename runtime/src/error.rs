//! One error type for every way a call can fail, status first: a caller matches
//! `Error::NotFound(_)` or asks `err.status()` and `err.is_retryable()`.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::fmt;
use std::time::Duration;

/// Which time limit a call ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// Opening the connection took longer than the connect timeout.
    Connect,
    /// Nothing was sent or received for as long as the (idle) timeout: the server stopped
    /// reading the request or stopped answering. A slow upload or download that keeps moving
    /// never runs into it.
    Idle,
    /// The whole call, retries and the waits between them included, took longer than its
    /// deadline.
    Deadline,
}

/// One entry of a FastAPI validation error (`{"detail": [{"loc", "msg", "type"}]}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    /// Where: e.g. `["body", "name"]` or `["query", "page_size"]`.
    pub location: Vec<String>,
    /// The message (`msg`).
    pub message: String,
    /// The error's kind (`type`), such as `missing`.
    pub kind: String,
}

/// An answer from the server with an error status.
#[derive(Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw body, as received.
    pub body: Bytes,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
    /// The server's request id header, when present.
    pub request_id: Option<String>,
    /// The operation that failed (its operationId).
    pub operation: &'static str,
    /// FastAPI's `detail` list, for 422 answers.
    pub validation: Vec<ValidationIssue>,
}

impl ApiError {
    pub(crate) fn new(operation: &'static str, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let request_id = request_id(&headers).map(str::to_string);
        let validation = json.as_ref().map(validation_issues).unwrap_or_default();
        ApiError { status, headers, body, json, request_id, operation, validation }
    }

    /// The body decoded as the error type the document declares (or any other).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The server's own words: `detail` or `message` when the body has one, else a snippet.
    pub fn detail(&self) -> Option<String> {
        if !self.validation.is_empty() {
            let parts: Vec<String> =
                self.validation.iter().map(|v| format!("{}: {}", v.location.join("."), v.message)).collect();
            return Some(parts.join("; "));
        }
        if let Some(j) = &self.json {
            for key in ["detail", "message", "error"] {
                match j.get(key) {
                    Some(serde_json::Value::String(s)) => return Some(s.clone()),
                    Some(v) if !v.is_null() => return Some(v.to_string()),
                    _ => {}
                }
            }
        }
        let text = snippet(&self.body, 200);
        (!text.is_empty()).then_some(text)
    }
}

fn validation_issues(json: &serde_json::Value) -> Vec<ValidationIssue> {
    let Some(list) = json.get("detail").and_then(|d| d.as_array()) else {
        return vec![];
    };
    list.iter()
        .filter_map(|e| {
            let message = e.get("msg")?.as_str()?.to_string();
            let location = e
                .get("loc")
                .and_then(|l| l.as_array())
                .map(|l| {
                    l.iter()
                        .map(|p| p.as_str().map(str::to_string).unwrap_or_else(|| p.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let kind = e.get("type").and_then(|t| t.as_str()).unwrap_or_default().to_string();
            Some(ValidationIssue { location, message, kind })
        })
        .collect()
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("operation", &self.operation)
            .field("request_id", &self.request_id)
            .field("body", &snippet(&self.body, 500))
            .field("headers", &crate::secret::RedactedHeaders(&self.headers))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.status)?;
        if let Some(d) = self.detail() {
            write!(f, ": {d}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument was refused before any request went out (an empty path parameter, a header
    /// value with a line break, ...).
    InvalidArgument(String),
    /// The client is misconfigured (no API key, a base URL that isn't http or https, ...).
    Config(String),
    /// The connection failed or broke (DNS, refused, reset, closed in the middle of a body).
    Connection {
        /// What failed, with its causes.
        message: String,
        /// The underlying error.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The request body could not be read while sending (a file changed size or vanished
    /// after it was added): nothing incomplete was accepted, and a retry can't help.
    Upload(String),
    /// A time limit ran out.
    Timeout {
        /// Which limit.
        kind: TimeoutKind,
        /// Its value.
        limit: Duration,
    },
    /// 400
    BadRequest(Box<ApiError>),
    /// 401
    Authentication(Box<ApiError>),
    /// 403
    PermissionDenied(Box<ApiError>),
    /// 404
    NotFound(Box<ApiError>),
    /// 409
    Conflict(Box<ApiError>),
    /// 422, with FastAPI's `detail` list in [`ApiError::validation`].
    UnprocessableEntity(Box<ApiError>),
    /// 429
    RateLimit(Box<ApiError>),
    /// 500 and above.
    InternalServer(Box<ApiError>),
    /// Any other error status.
    Status(Box<ApiError>),
    /// The server broke the paging protocol (it repeated a page token).
    Pagination(String),
    /// A request hook ([`ClientBuilder::on_request`](crate::ClientBuilder::on_request)) refused
    /// the request: nothing was sent.
    Hook(Box<dyn std::error::Error + Send + Sync>),
    /// A success response whose body is not what the document says.
    Decode {
        /// The Rust type the body was decoded as.
        type_name: &'static str,
        /// The response's status.
        status: StatusCode,
        /// What serde said.
        message: String,
        /// The start of the body.
        snippet: String,
    },
}

impl Error {
    pub(crate) fn from_status(e: ApiError) -> Error {
        let e = Box::new(e);
        match e.status.as_u16() {
            400 => Error::BadRequest(e),
            401 => Error::Authentication(e),
            403 => Error::PermissionDenied(e),
            404 => Error::NotFound(e),
            409 => Error::Conflict(e),
            422 => Error::UnprocessableEntity(e),
            429 => Error::RateLimit(e),
            s if s >= 500 => Error::InternalServer(e),
            _ => Error::Status(e),
        }
    }

    /// The server's answer, for errors that have one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Authentication(e)
            | Error::PermissionDenied(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::UnprocessableEntity(e)
            | Error::RateLimit(e)
            | Error::InternalServer(e)
            | Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, for errors the server answered (including decode errors).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// Whether trying the same call again later may succeed (the retry rule, without the
    /// per-operation exceptions).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::RateLimit(_) | Error::InternalServer(_) | Error::Conflict(_) => true,
            Error::Status(e) => e.status == StatusCode::REQUEST_TIMEOUT,
            _ => false,
        }
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            Error::Config(m) => write!(f, "client configuration: {m}"),
            Error::Pagination(m) => write!(f, "paging failed: {m}"),
            Error::Upload(m) => write!(f, "upload failed: {m}"),
            Error::Hook(e) => write!(f, "the request hook refused the request: {e}"),
            Error::Connection { message, .. } => write!(f, "connection failed: {message}"),
            Error::Timeout { kind: TimeoutKind::Connect, limit } => {
                write!(f, "timed out connecting to the server after {limit:?} (the connect timeout)")
            }
            Error::Timeout { kind: TimeoutKind::Idle, limit } => {
                write!(f, "the request timed out: nothing was sent or received for {limit:?} (the idle timeout)")
            }
            Error::Timeout { kind: TimeoutKind::Deadline, limit } => {
                write!(f, "the call did not finish within its deadline of {limit:?}")
            }
            Error::Decode { type_name, status, message, snippet } => write!(
                f,
                "could not decode the {status} response as {type_name}: {message}; body starts with: {snippet:?}"
            ),
            other => {
                let e = other.api_error().expect("every other variant carries an ApiError");
                write!(f, "{}: {e}", kind_name(e.status))
            }
        }
    }
}

fn kind_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad request",
        401 => "authentication failed",
        403 => "permission denied",
        404 => "not found",
        409 => "conflict",
        422 => "invalid request",
        429 => "rate limited",
        s if s >= 500 => "server error",
        _ => "unexpected status",
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection { source: Some(s), .. } => Some(s.as_ref()),
            Error::Hook(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// The first `max` characters of a body, lossily decoded, for messages.
pub(crate) fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(max * 4)]);
    let mut s: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        s.push('…');
    }
    s
}

/// The request id a server sent, under the header names servers commonly use; the same for
/// successes and errors.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id", "x-correlation-id"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> Error {
        let mut h = HeaderMap::new();
        h.insert("x-request-id", "req-9".parse().unwrap());
        Error::from_status(ApiError::new(
            "getIndex",
            StatusCode::from_u16(status).unwrap(),
            h,
            Bytes::from(body.to_string()),
        ))
    }

    #[test]
    fn status_picks_the_variant_and_message_reads_well() {
        let e = err(404, r#"{"detail":"Index not found"}"#);
        assert!(matches!(e, Error::NotFound(_)));
        assert_eq!(
            e.to_string(),
            "not found: getIndex answered 404 Not Found: Index not found (request id req-9)"
        );
        assert!(!e.is_retryable());
        assert!(matches!(err(503, ""), Error::InternalServer(_)));
        assert!(matches!(err(418, ""), Error::Status(_)));
    }

    #[test]
    fn fastapi_validation_details_are_parsed() {
        let e = err(422, r#"{"detail":[{"loc":["body","name"],"msg":"field required","type":"missing"}]}"#);
        let api = e.api_error().unwrap();
        assert_eq!(api.validation[0].location, vec!["body", "name"]);
        assert_eq!(api.validation[0].kind, "missing");
        assert!(e.to_string().contains("body.name: field required"), "{e}");
    }

    fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_traits::<Error>();
    }
}
