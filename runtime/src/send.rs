//! Sending a prepared request and decoding its answer: one generic piece of async code that every
//! generated builder calls, instantiated once per response type rather than once per operation,
//! and only in the crates that call those builders (their methods are `#[inline]`).

use crate::call::BoxFuture;
use crate::client::Client;
use crate::error::{Error, ErrorBodies, Undocumented};
use crate::options::RequestOptions;
use crate::request::Request;
use crate::response::{RawResponse, Response};
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A request ready to send, with the client and this call's options.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct Prepared {
    pub client: Client,
    pub request: Request,
    pub options: RequestOptions,
}

/// How a success body is decoded.
pub trait Decoder {
    /// The decoded body.
    type Output: Send + 'static;
    /// Decodes a successful response.
    fn decode(raw: RawResponse) -> Result<Response<Self::Output>, Error>;
}

/// A JSON body of type `T`.
pub struct Json<T>(PhantomData<fn() -> T>);
/// No body (whatever comes is dropped).
pub struct Empty;
/// The body's bytes as they are.
pub struct Raw;
/// The body as text.
pub struct Text;

impl<T: serde::de::DeserializeOwned + Send + 'static> Decoder for Json<T> {
    type Output = T;
    fn decode(raw: RawResponse) -> Result<Response<T>, Error> {
        raw.json()
    }
}

impl Decoder for Empty {
    type Output = ();
    fn decode(raw: RawResponse) -> Result<Response<()>, Error> {
        raw.empty()
    }
}

impl Decoder for Raw {
    type Output = bytes::Bytes;
    fn decode(raw: RawResponse) -> Result<Response<bytes::Bytes>, Error> {
        raw.bytes()
    }
}

impl Decoder for Text {
    type Output = String;
    fn decode(raw: RawResponse) -> Result<Response<String>, Error> {
        raw.text()
    }
}

/// Sends a prepared request (or reports why it couldn't be prepared) and decodes the answer.
///
/// The exchange itself is one boxed, non-generic future; only the decoding step after it is
/// instantiated per response type (a few lines of `poll`), which keeps a program that calls
/// hundreds of operations small. One allocation per call is nothing beside a round trip.
/// A failed call's error comes typed as `E`, the operation's documented error bodies.
pub fn send<D: Decoder, E: ErrorBodies>(
    prepared: Result<Prepared, Error>,
) -> ResponseFuture<Response<D::Output>, E> {
    ResponseFuture { exchange: exchange(prepared), finish: D::decode, errors: E::type_error }
}

/// [`send`], keeping only the decoded body.
pub fn send_body<D: Decoder, E: ErrorBodies>(
    prepared: Result<Prepared, Error>,
) -> ResponseFuture<D::Output, E> {
    ResponseFuture {
        exchange: exchange(prepared),
        finish: |raw| D::decode(raw).map(Response::into_body),
        errors: E::type_error,
    }
}

fn exchange(prepared: Result<Prepared, Error>) -> BoxFuture<Result<RawResponse, Error>> {
    Box::pin(async move {
        let p = prepared?;
        p.client.execute(p.request, &p.options).await
    })
}

/// The answer to a call, on its way: what a request builder's `send()` (or `.await`) returns.
/// It resolves to the decoded body (or, from `send_with_response()`, the whole response), or to
/// an error whose documented body is typed as `E`.
#[must_use = "a future does nothing unless awaited"]
pub struct ResponseFuture<T, E = Undocumented> {
    exchange: BoxFuture<Result<RawResponse, Error>>,
    finish: fn(RawResponse) -> Result<T, Error>,
    errors: fn(Error) -> Error<E>,
}

impl<T, E> std::fmt::Debug for ResponseFuture<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseFuture")
    }
}

impl<T, E> Future for ResponseFuture<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (finish, errors) = (self.finish, self.errors);
        self.exchange.as_mut().poll(cx).map(|raw| raw.and_then(finish).map_err(errors))
    }
}
