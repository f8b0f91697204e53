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

/// The error bodies one operation documents, decoded by status: generated code implements it on
/// an enum per operation (`GetIndexError`), which [`Error::documented`] returns.
pub trait Documented: Sized + Send + Sync + fmt::Debug + 'static {
    /// The body the document gives for this status (its codes first, then `4XX`/`5XX`, then
    /// `default`), when one is given and the body decodes as it.
    fn decode(status: StatusCode, body: &[u8]) -> Option<Self>;
}

/// The error type of an operation that documents no error body: `Error` is
/// `Error<Undocumented>`, and [`Error::documented`] is always `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Undocumented {}

/// [`Error`] with its type parameter fixed: what the runtime's own steps return, so that an
/// `Error::Config(..)?` among them needs no annotation.
pub(crate) type Untyped = Error<Undocumented>;

/// How the exchange's error becomes an operation's error: for generated code.
#[doc(hidden)]
pub trait ErrorBodies: Sized + Send + Sync + fmt::Debug + 'static {
    /// Decodes a status error's documented body.
    fn type_error(e: Error) -> Error<Self>;
}

impl ErrorBodies for Undocumented {
    #[inline]
    fn type_error(e: Error) -> Error {
        e
    }
}

impl<E: Documented> ErrorBodies for E {
    fn type_error(e: Error) -> Error<E> {
        e.map_api(|api| {
            let documented = E::decode(api.status, &api.body);
            api.with_documented(documented)
        })
    }
}

/// An answer from the server with an error status.
///
/// `E` is the operation's documented error bodies ([`Documented`]); the raw body is always kept,
/// whether or not it decodes.
#[derive(Clone)]
pub struct ApiError<E = Undocumented> {
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
    /// The body as the type the operation documents for this status, when it documents one and
    /// the body decodes as it.
    pub documented: Option<E>,
}

impl ApiError {
    pub(crate) fn new(operation: &'static str, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        let request_id = request_id(&headers).map(str::to_string);
        ApiError { status, headers, body, json, request_id, operation, documented: None }
    }
}

impl<E> ApiError<E> {
    fn with_documented<F>(self, documented: Option<F>) -> ApiError<F> {
        let ApiError { status, headers, body, json, request_id, operation, documented: _ } = self;
        ApiError { status, headers, body, json, request_id, operation, documented }
    }

    /// The body decoded as the error type the document declares (or any other).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The server's own words: `detail`, `message` or `error` when the body has one, else a
    /// snippet. A list of problems reads as `where: what` per entry (`body.name: Field
    /// required`), whatever names the API gives those (`loc`/`path`/`field`, `msg`/`message`).
    pub fn detail(&self) -> Option<String> {
        use serde_json::Value;
        if let Some(j) = &self.json {
            for key in ["detail", "message", "error", "errors"] {
                match j.get(key) {
                    Some(Value::String(s)) => return Some(s.clone()),
                    Some(Value::Array(list)) if !list.is_empty() => {
                        let parts: Vec<String> = list.iter().map(problem).collect();
                        return Some(parts.join("; "));
                    }
                    Some(v) if !v.is_null() => return Some(v.to_string()),
                    _ => {}
                }
            }
        }
        let text = snippet(&self.body, 200);
        (!text.is_empty()).then_some(text)
    }
}

/// One entry of a list of problems, as `where: what` when it says both.
fn problem(entry: &serde_json::Value) -> String {
    use serde_json::Value;
    let text = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    let what = ["msg", "message", "detail"].iter().find_map(|k| entry.get(*k)).map(text);
    let place = ["loc", "path", "field"].iter().find_map(|k| entry.get(*k)).map(|p| match p {
        Value::Array(parts) => parts.iter().map(text).collect::<Vec<_>>().join("."),
        other => text(other),
    });
    match (place, what) {
        (Some(place), Some(what)) => format!("{place}: {what}"),
        (None, Some(what)) => what,
        _ => entry.to_string(),
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("operation", &self.operation)
            .field("request_id", &self.request_id)
            .field("body", &snippet(&self.body, 500))
            .field("documented", &self.documented)
            .field("headers", &crate::secret::RedactedHeaders(&self.headers))
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
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
///
/// `E` is the error bodies the operation documents ([`Documented`]), which
/// [`documented`](Error::documented) returns decoded; a `?` turns any `Error<E>` into the plain
/// `Error` (the raw body is kept).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = Undocumented> {
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
    BadRequest(Box<ApiError<E>>),
    /// 401
    Authentication(Box<ApiError<E>>),
    /// 403
    PermissionDenied(Box<ApiError<E>>),
    /// 404
    NotFound(Box<ApiError<E>>),
    /// 409
    Conflict(Box<ApiError<E>>),
    /// 422
    UnprocessableEntity(Box<ApiError<E>>),
    /// 429
    RateLimit(Box<ApiError<E>>),
    /// 500 and above.
    InternalServer(Box<ApiError<E>>),
    /// Any other error status.
    Status(Box<ApiError<E>>),
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
}

impl<E: Documented> From<Error<E>> for Error {
    fn from(e: Error<E>) -> Error {
        e.untyped()
    }
}

impl<E> Error<E> {
    /// The same error with the server's answer turned into another one; every other variant as
    /// it is.
    fn map_api<F>(self, f: impl FnOnce(ApiError<E>) -> ApiError<F>) -> Error<F> {
        let f = |e: Box<ApiError<E>>| Box::new(f(*e));
        match self {
            Error::BadRequest(e) => Error::BadRequest(f(e)),
            Error::Authentication(e) => Error::Authentication(f(e)),
            Error::PermissionDenied(e) => Error::PermissionDenied(f(e)),
            Error::NotFound(e) => Error::NotFound(f(e)),
            Error::Conflict(e) => Error::Conflict(f(e)),
            Error::UnprocessableEntity(e) => Error::UnprocessableEntity(f(e)),
            Error::RateLimit(e) => Error::RateLimit(f(e)),
            Error::InternalServer(e) => Error::InternalServer(f(e)),
            Error::Status(e) => Error::Status(f(e)),
            Error::InvalidArgument(m) => Error::InvalidArgument(m),
            Error::Config(m) => Error::Config(m),
            Error::Connection { message, source } => Error::Connection { message, source },
            Error::Upload(m) => Error::Upload(m),
            Error::Timeout { kind, limit } => Error::Timeout { kind, limit },
            Error::Pagination(m) => Error::Pagination(m),
            Error::Hook(e) => Error::Hook(e),
            Error::Decode { type_name, status, message, snippet } => {
                Error::Decode { type_name, status, message, snippet }
            }
        }
    }

    /// The error body the operation documents for this status, decoded: `None` for errors
    /// without an answer, and for an answer the document doesn't describe or that doesn't
    /// decode as described (its raw body is in [`api_error`](Error::api_error)).
    pub fn documented(&self) -> Option<&E> {
        self.api_error()?.documented.as_ref()
    }

    /// The same error without the documented body's type (what `?` does into a plain `Error`).
    pub fn untyped(self) -> Error {
        self.map_api(|api| api.with_documented(None))
    }

    /// The server's answer, for errors that have one.
    pub fn api_error(&self) -> Option<&ApiError<E>> {
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

impl<E> fmt::Display for Error<E> {
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

impl<E: fmt::Debug> std::error::Error for Error<E> {
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

    /// An operation's documented bodies, as generated code writes them.
    #[derive(Debug, Clone, PartialEq)]
    enum GetIndexError {
        NotFound(serde_json::Value),
        ServerError(String),
    }

    impl Documented for GetIndexError {
        fn decode(status: StatusCode, body: &[u8]) -> Option<Self> {
            match status.as_u16() {
                404 => serde_json::from_slice(body).ok().map(GetIndexError::NotFound),
                s if (500..=599).contains(&s) => {
                    serde_json::from_slice(body).ok().map(GetIndexError::ServerError)
                }
                _ => None,
            }
        }
    }

    #[test]
    fn a_documented_body_is_decoded_by_status_and_the_raw_body_kept() {
        let e = <GetIndexError as ErrorBodies>::type_error(err(404, r#"{"detail":"gone"}"#));
        assert!(matches!(e, Error::NotFound(_)));
        assert_eq!(e.documented(), Some(&GetIndexError::NotFound(serde_json::json!({"detail": "gone"}))));
        // Not the documented shape: no typed body, the status error and raw body stay.
        let e = <GetIndexError as ErrorBodies>::type_error(err(503, "{}"));
        assert!(matches!(e, Error::InternalServer(_)) && e.documented().is_none());
        assert_eq!(&e.api_error().unwrap().body[..], b"{}");
        // An undocumented status.
        let e = <GetIndexError as ErrorBodies>::type_error(err(409, r#"{"detail":"x"}"#));
        assert!(e.documented().is_none());
        // `?` into the plain error keeps everything but the typed body.
        let plain: Error = <GetIndexError as ErrorBodies>::type_error(err(404, "{}")).into();
        assert_eq!(plain.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(plain.to_string(), "not found: getIndex answered 404 Not Found: {} (request id req-9)");
    }

    fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_traits::<Error>();
        assert_traits::<Error<GetIndexError>>();
    }
}
