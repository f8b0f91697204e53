//! The runtime that generated OpenAPI clients call: HTTP through reqwest, authentication
//! (bearer tokens, basic, API keys in a header, query parameter or cookie, per operation),
//! request building (percent-encoded paths, repeated query arrays, cookies, multipart, files
//! streamed from disk), retries with backoff, idle timeouts and deadlines, typed errors, lazily
//! fetched pages, and the date-time and date types the models carry (RFC 3339, read and written
//! here; chrono, time and jiff conversions behind features of those names).
//!
//! Generated code stays thin: every rule about talking to the server lives here, once. What a
//! user of a generated client needs is public and documented; what only generated code calls
//! lives in a hidden module whose contents may change with any release of the generator.

#![deny(missing_docs)]

mod auth;
mod base64;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod call;
mod client;
mod datetime;
mod enums;
mod error;
mod json_value;
mod multipart;
mod object;
mod options;
mod paginate;
mod random;
mod request;
mod response;
mod retry;
#[cfg(feature = "schemars")]
mod schema;
mod secret;
mod send;
#[cfg(feature = "streams")]
mod stream;

pub use base64::Base64Bytes;
pub use bytes::Bytes;
pub use call::{BoxFuture, Call};
pub use client::{
    Client, ClientBuilder, RequestHook, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
pub use datetime::{Date, DateTime, InvalidDate};
pub use enums::UnknownValue;
pub use error::{ApiError, Documented, Error, TimeoutKind, Undocumented};
pub use futures_core::Stream;
pub use http::{HeaderMap, Method, StatusCode};
pub use multipart::FilePart;
pub use options::RequestOptions;
pub use paginate::{BoxStream, Page};
/// The HTTP client underneath, for callers who bring their own `reqwest::Client`.
pub use reqwest;
pub use response::Response;
pub use retry::{IDEMPOTENCY_KEY_HEADER, RETRY_COUNT_HEADER};
pub use secret::Secret;
pub use send::ResponseFuture;
#[cfg(feature = "streams")]
pub use stream::{Event, ItemStream, StreamFuture};

/// What a program using a generated client usually needs in scope: the per-call options
/// trait and the stream extension traits for list streams.
pub mod prelude {
    pub use crate::call::Call;
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}

/// What only generated code uses stays out of the public, documented API: none of these
/// compile from the crate root.
///
/// ```compile_fail
/// use ferrospec_runtime::Request;
/// ```
/// ```compile_fail
/// use ferrospec_runtime::Prepared;
/// ```
/// ```compile_fail
/// use ferrospec_runtime::send;
/// ```
/// ```compile_fail
/// use ferrospec_runtime::Decoder;
/// ```
/// ```compile_fail
/// use ferrospec_runtime::Operation;
/// ```
#[cfg(doctest)]
pub struct InternalsAreNotPublic;

/// For generated code only: not part of the public API, and may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::auth::{AuthLocation, AuthScheme};
    #[cfg(feature = "streams")]
    pub use crate::client::OpenResponse;
    pub use crate::enums::read_str;
    pub use crate::error::ErrorBodies;
    pub use crate::json_value::json_value;
    pub use crate::multipart::{IntoMultipart, Multipart};
    pub use crate::object::{object, required, typed_map, Buffered, Entries, Fields, Key, Object};
    pub use crate::paginate::{items, pages};
    pub use crate::request::{path_json, path_param, path_styled, Delimiter, Operation, PathStyle, Request};
    pub use crate::response::RawResponse;
    pub use crate::send::{send, send_body, Decoder, Empty, Json, Prepared, Raw, Text};
    #[cfg(feature = "streams")]
    pub use crate::stream::{send_stream, Format, JsonLines, JsonSeq, Sse};
}
