//! Answers that arrive as a sequence (feature `streams`): server-sent events, JSON Lines and
//! JSON text sequences, each item decoded as it comes. Parsing is eventsource-stream's (SSE) and
//! tokio-util's codecs' (lines, record separators); this module only decodes and times.
//!
//! Items are read only as the stream is polled, so a slow reader slows the server down through
//! TCP rather than buffering. The idle timeout applies between chunks, not to the whole stream.
//! An item that doesn't decode is an `Err` item and the stream goes on: stop reading to end it.

use crate::call::BoxFuture;
use crate::client::OpenResponse;
use crate::error::{Error, ErrorBodies, TimeoutKind, Undocumented};
use crate::paginate::BoxStream;
use crate::send::Prepared;
use bytes::Bytes;
use futures_util::{stream, StreamExt, TryStreamExt};
use http::StatusCode;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// A streamed answer's items, each decoded as it comes.
pub type ItemStream<T> = BoxStream<Result<T, Error>>;

/// What a builder's `send_stream()` returns: the items once the answer's head is in, or the
/// call's error (its documented body typed as `E`).
pub type StreamFuture<T, E = Undocumented> = BoxFuture<Result<ItemStream<T>, Error<E>>>;

/// One server-sent event, its `data` decoded as the operation's item type.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's type (`event:`); `message` when the server names none.
    pub event: String,
    /// The event's id (`id:`), the last one seen when this event names none.
    pub id: String,
    /// How long the server asks a client to wait before reconnecting (`retry:`).
    pub retry: Option<Duration>,
    /// The data, decoded.
    pub data: T,
}

/// How a sequential answer is split into items.
pub trait Format: Send + 'static {
    /// The media type asked for.
    const MEDIA: &'static str;
    /// What the stream yields.
    type Item<T: DeserializeOwned + Send + 'static>: Send + 'static;
    /// The items of an open answer.
    fn items<T: DeserializeOwned + Send + 'static>(open: OpenResponse) -> ItemStream<Self::Item<T>>;
    /// `first` followed, when its connection breaks, by the items of the request sent again
    /// (`attempts` times in a row at most). Only SSE says where to resume; the others end.
    fn resumed<T: DeserializeOwned + Send + 'static>(
        first: ItemStream<Self::Item<T>>,
        _again: Prepared,
        _attempts: u32,
    ) -> ItemStream<Self::Item<T>> {
        first
    }
}

/// `text/event-stream`: events, each with its data decoded. A `data: [DONE]` event (OpenAI's
/// convention for the end) ends the stream.
pub struct Sse;
/// `application/x-ndjson`, `application/jsonl`: one JSON value per line (blank lines skipped).
pub struct JsonLines;
/// `application/json-seq` (RFC 7464): records introduced by an ASCII record separator.
pub struct JsonSeq;

impl Format for Sse {
    const MEDIA: &'static str = "text/event-stream";
    type Item<T: DeserializeOwned + Send + 'static> = Event<T>;
    fn items<T: DeserializeOwned + Send + 'static>(open: OpenResponse) -> ItemStream<Event<T>> {
        use eventsource_stream::{EventStreamError, Eventsource};
        let status = open.status;
        chunks(open)
            .eventsource()
            .map_err(move |e| match e {
                EventStreamError::Transport(e) => e,
                EventStreamError::Utf8(e) => broken(status, "server-sent events", e.to_string()),
                EventStreamError::Parser(e) => broken(status, "server-sent events", e.to_string()),
            })
            .try_take_while(|e| std::future::ready(Ok(e.data != "[DONE]")))
            .map(move |e| {
                let e = e?;
                let data = decode_data::<T>(status, &e.data)?;
                Ok(Event { event: e.event, id: e.id, retry: e.retry, data })
            })
            .boxed()
    }

    fn resumed<T: DeserializeOwned + Send + 'static>(
        first: ItemStream<Event<T>>,
        again: Prepared,
        attempts: u32,
    ) -> ItemStream<Event<T>> {
        let state = Resume {
            current: first,
            again,
            last_id: None,
            wait: Duration::from_secs(1),
            attempts,
            left: attempts,
        };
        stream::unfold(Some(state), |state| async move {
            let mut s = state?;
            loop {
                match s.current.next().await {
                    Some(Ok(mut event)) => {
                        // The last id carries over to the new connection, as within one.
                        match &s.last_id {
                            Some(id) if event.id.is_empty() => event.id = id.clone(),
                            _ if !event.id.is_empty() => s.last_id = Some(event.id.clone()),
                            _ => {}
                        }
                        s.wait = event.retry.unwrap_or(s.wait);
                        s.left = s.attempts;
                        return Some((Ok(event), Some(s)));
                    }
                    Some(Err(e)) if broke(&e) && s.left > 0 => {
                        s.left -= 1;
                        tokio::time::sleep(s.wait).await;
                        let mut p = s.again.clone();
                        if let Some(id) = &s.last_id {
                            p.options.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(LAST_EVENT_ID));
                            p.options
                                .headers
                                .push((LAST_EVENT_ID.into(), crate::secret::Secret::new(id.clone())));
                        }
                        match p.client.execute_open(p.request, &p.options).await {
                            Ok(open) => s.current = Self::items(open),
                            // Refused on reconnecting (a 4xx, say): the last item.
                            Err(e) => return Some((Err(e), None)),
                        }
                    }
                    Some(Err(e)) => return Some((Err(e), Some(s))),
                    None => return None,
                }
            }
        })
        .boxed()
    }
}

/// The header that tells a server which event a reconnected stream should follow.
const LAST_EVENT_ID: &str = "Last-Event-ID";

/// An SSE stream being resumed across connections.
struct Resume<T> {
    current: ItemStream<Event<T>>,
    again: Prepared,
    last_id: Option<String>,
    wait: Duration,
    attempts: u32,
    left: u32,
}

/// Whether an error item means the connection broke or stalled (worth reconnecting), rather
/// than an item that didn't decode.
fn broke(e: &Error) -> bool {
    matches!(e, Error::Connection { .. } | Error::Timeout { kind: TimeoutKind::Idle, .. })
}

impl Format for JsonLines {
    const MEDIA: &'static str = "application/x-ndjson";
    type Item<T: DeserializeOwned + Send + 'static> = T;
    fn items<T: DeserializeOwned + Send + 'static>(open: OpenResponse) -> ItemStream<T> {
        use tokio_util::codec::{LinesCodec, LinesCodecError};
        framed(open, LinesCodec::new(), |status, e| match e {
            LinesCodecError::Io(e) => from_io(e),
            other => broken(status, "JSON lines", other.to_string()),
        })
    }
}

impl Format for JsonSeq {
    const MEDIA: &'static str = "application/json-seq";
    type Item<T: DeserializeOwned + Send + 'static> = T;
    fn items<T: DeserializeOwned + Send + 'static>(open: OpenResponse) -> ItemStream<T> {
        use tokio_util::codec::{AnyDelimiterCodec, AnyDelimiterCodecError};
        framed(open, AnyDelimiterCodec::new(vec![0x1e], Vec::new()), |status, e| match e {
            AnyDelimiterCodecError::Io(e) => from_io(e),
            other => broken(status, "JSON text sequence", other.to_string()),
        })
    }
}

/// Sends a prepared request asking for `F`'s media type; on success, the items as they come,
/// on failure the error with the operation's documented body typed as `E`.
pub fn send_stream<F: Format, T: DeserializeOwned + Send + 'static, E: ErrorBodies>(
    prepared: Result<Prepared, Error>,
) -> StreamFuture<F::Item<T>, E> {
    Box::pin(async move {
        let open = async {
            let mut p = prepared?;
            p.request.accept(F::MEDIA);
            let again = p.options.reconnect.map(|n| (p.clone(), n));
            let first = F::items::<T>(p.client.execute_open(p.request, &p.options).await?);
            Ok(match again {
                Some((again, attempts)) => F::resumed(first, again, attempts),
                None => first,
            })
        };
        open.await.map_err(E::type_error)
    })
}

/// The body's chunks, each awaited under the idle timeout; a stall or a broken connection is
/// the last item.
fn chunks(open: OpenResponse) -> impl futures_core::Stream<Item = Result<Bytes, Error>> + Send + 'static {
    let idle = open.idle;
    stream::unfold(Some(open.body.bytes_stream()), move |body| async move {
        let mut body = body?;
        match tokio::time::timeout(idle, body.next()).await {
            Err(_) => Some((Err(Error::Timeout { kind: TimeoutKind::Idle, limit: idle }), None)),
            Ok(None) => None,
            Ok(Some(Ok(chunk))) => Some((Ok(chunk), Some(body))),
            Ok(Some(Err(e))) => {
                let message = format!("the stream broke: {e}");
                Some((Err(Error::Connection { message, source: Some(Box::new(e)) }), None))
            }
        }
    })
}

/// Items split by a tokio-util codec, each decoded as JSON; empty records are skipped.
fn framed<T, C>(open: OpenResponse, codec: C, error: fn(StatusCode, C::Error) -> Error) -> ItemStream<T>
where
    T: DeserializeOwned + Send + 'static,
    C: tokio_util::codec::Decoder + Send + 'static,
    C::Item: AsRef<[u8]>,
{
    let status = open.status;
    // The codecs read from `AsyncRead`; the runtime's own errors travel through `io::Error`.
    let reader = tokio_util::io::StreamReader::new(chunks(open).map_err(std::io::Error::other));
    tokio_util::codec::FramedRead::new(reader, codec)
        .map(move |record| {
            let record = record.map_err(|e| error(status, e))?;
            let text = String::from_utf8_lossy(record.as_ref());
            let text = text.trim();
            (!text.is_empty()).then(|| decode::<T>(status, text)).transpose()
        })
        .try_filter_map(|item| std::future::ready(Ok(item)))
        .boxed()
}

fn decode<T: DeserializeOwned>(status: StatusCode, text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| Error::Decode {
        type_name: std::any::type_name::<T>(),
        status,
        message: e.to_string(),
        snippet: crate::error::snippet(text.as_bytes(), 200),
    })
}

/// An event's data: JSON, or, where the item type is text (`type: string`), the text itself.
/// SSE data is text, and servers send plain words as often as JSON strings.
fn decode_data<T: DeserializeOwned>(status: StatusCode, text: &str) -> Result<T, Error> {
    decode::<T>(status, text)
        .or_else(|e| serde_json::from_value(serde_json::Value::String(text.into())).map_err(|_| e))
}

fn broken(status: StatusCode, what: &'static str, message: String) -> Error {
    Error::Decode { type_name: what, status, message, snippet: String::new() }
}

/// The runtime's error a codec carried back through `io::Error` (a stall, a broken connection).
fn from_io(e: std::io::Error) -> Error {
    match e.into_inner().map(|inner| inner.downcast::<Error>()) {
        Some(Ok(e)) => *e,
        Some(Err(other)) => {
            Error::Connection { message: format!("the stream broke: {other}"), source: Some(other) }
        }
        None => Error::Connection { message: "the stream broke".to_string(), source: None },
    }
}
