//! The runtime that generated OpenAPI clients call: HTTP through reqwest, bearer auth, request
//! building (percent-encoded paths, repeated query arrays, cookies, multipart), retries with
//! backoff and idempotency keys, timeouts, typed errors, lazily fetched pages.
//!
//! Generated code stays thin: every rule about talking to the server lives here, once.

#[cfg(feature = "blocking")]
pub mod blocking;
mod call;
mod client;
mod error;
mod multipart;
mod paginate;
mod random;
mod request;
mod response;
mod retry;
mod send;

pub use bytes::Bytes;
pub use call::{BoxFuture, Call};
pub use client::{Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT};
pub use error::{ApiError, Error, TimeoutKind, ValidationIssue};
pub use futures_core::Stream;
pub use http::{HeaderMap, Method, StatusCode};
pub use multipart::{FilePart, IntoMultipart, Multipart};
pub use paginate::{items, pages, Page};
pub use request::{path_param, Operation, Request, RequestOptions};
/// The HTTP client underneath, for callers who bring their own `reqwest::Client`.
pub use reqwest;
pub use response::{RawResponse, Response};
pub use retry::{IDEMPOTENCY_KEY_HEADER, RETRY_COUNT_HEADER};
pub use send::{send, send_body, Decoder, Empty, Json, Prepared, Raw, Text};
