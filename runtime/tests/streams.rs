//! Sequential answers (feature `streams`) from a real server on 127.0.0.1 that writes its body
//! slowly, in chunks that split lines, fields and records: server-sent events (comments,
//! multi-line data, ids carried forward, `retry`, `[DONE]`), JSON Lines and JSON text
//! sequences; an item that doesn't decode is an error item and the stream goes on (SSE text
//! data is a string item as it is); the idle
//! timeout applies between chunks; an error status comes before any stream, typed; a reader that
//! stops stalls the server (backpressure).
#![cfg(feature = "streams")]

mod common;

use common::*;
use ferrospec_runtime::__private::{send_stream, Format, JsonLines, JsonSeq, Prepared, Request, Sse};
use ferrospec_runtime::{BoxStream, Error, Event, RequestOptions, TimeoutKind, Undocumented};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server that answers one request with `status`, `content_type` and the body `chunks`,
/// written `pause` apart as HTTP/1.1 chunks; it returns the request's head.
async fn slow_server(
    status: u16,
    content_type: &'static str,
    chunks: Vec<&'static str>,
    pause: Duration,
) -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let head = read_head(&mut socket).await;
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
        for chunk in chunks {
            tokio::time::sleep(pause).await;
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            if socket.write_all(framed.as_bytes()).await.is_err() {
                break;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
        head
    });
    (url, task)
}

/// A request's head, read from the socket up to the blank line.
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await.unwrap();
        head.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&head).into_owned()
}

async fn open<F: Format>(
    url: &str,
    idle: Duration,
) -> Result<BoxStream<Result<F::Item<Value>, Error>>, Error> {
    let client =
        ferrospec_runtime::Client::builder().api_key(SECRET).base_url(url).timeout(idle).build().unwrap();
    let request = Request::new(&GET_THING, "/things/t-1".into());
    let prepared = Prepared { client, request, options: RequestOptions::default() };
    send_stream::<F, Value, Undocumented>(Ok(prepared)).await
}

#[tokio::test]
async fn server_sent_events_arrive_typed_across_chunk_boundaries() {
    let chunks = vec![
        ": a comment the server sends to keep the connection open\n\n",
        "event: delta\nid: 1\nda",
        "ta: {\"n\":1}\n",
        "\n",
        "data: {\"n\":\n",
        "data: 2}\r\n\r\n",
        "retry: 1500\ndata: {\"n\":3}\n\n",
        "data: not json\n\n",
        "data: {\"n\":4}\n\n",
        "data: [DONE]\n\n",
        "data: {\"n\":5}\n\n",
    ];
    let (url, server) = slow_server(200, "text/event-stream", chunks, Duration::from_millis(20)).await;
    let mut events = open::<Sse>(&url, Duration::from_secs(5)).await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first, Event { event: "delta".into(), id: "1".into(), retry: None, data: json!({"n": 1}) });
    // Two `data:` lines are one value; the id carries forward.
    let second = events.next().await.unwrap().unwrap();
    assert_eq!((second.event.as_str(), second.id.as_str(), second.data), ("message", "1", json!({"n": 2})));
    let third = events.next().await.unwrap().unwrap();
    assert_eq!((third.retry, third.data), (Some(Duration::from_millis(1500)), json!({"n": 3})));
    // Data that isn't JSON is kept as text where the item may be anything (typed items that
    // refuse it are error items: below).
    assert_eq!(events.next().await.unwrap().unwrap().data, json!("not json"));
    assert_eq!(events.next().await.unwrap().unwrap().data, json!({"n": 4}));
    // `[DONE]` ends it: what follows is not read as an event.
    assert!(events.next().await.is_none());
    let head = server.await.unwrap();
    assert!(head.to_ascii_lowercase().contains("accept: text/event-stream"), "{head}");
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_split_records_anywhere() {
    let lines = vec!["{\"n\":1}\r\n{\"n\"", ":2}\n\n", "   \n{\"n\":3}", "\nnope\n{\"n\":4}\n"];
    let (url, server) = slow_server(200, "application/x-ndjson", lines, Duration::from_millis(10)).await;
    let items: Vec<_> = open::<JsonLines>(&url, Duration::from_secs(5)).await.unwrap().collect().await;
    let ok: Vec<Value> = items.iter().filter_map(|i| i.as_ref().ok().cloned()).collect();
    assert_eq!(ok, [json!({"n": 1}), json!({"n": 2}), json!({"n": 3}), json!({"n": 4})]);
    assert!(matches!(items[3], Err(Error::Decode { .. })), "{:?}", items[3]);
    assert!(server.await.unwrap().to_ascii_lowercase().contains("accept: application/x-ndjson"));

    let records = vec!["\u{1e}{\"n\":1}\n\u{1e}{\"n\"", ":2}\n", "\u{1e}[1,2]\n"];
    let (url, _server) = slow_server(200, "application/json-seq", records, Duration::from_millis(10)).await;
    let items: Vec<Value> =
        open::<JsonSeq>(&url, Duration::from_secs(5)).await.unwrap().map(Result::unwrap).collect().await;
    assert_eq!(items, [json!({"n": 1}), json!({"n": 2}), json!([1, 2])]);
}

#[tokio::test]
async fn the_idle_timeout_is_between_chunks_not_for_the_whole_stream() {
    // Ten events 150 ms apart take 1.5 s in all: well past the 600 ms idle limit, never idle
    // for that long.
    let chunks = vec!["data: {}\n\n"; 10];
    let (url, _server) = slow_server(200, "text/event-stream", chunks, Duration::from_millis(150)).await;
    let started = Instant::now();
    let items: Vec<_> = open::<Sse>(&url, Duration::from_millis(600)).await.unwrap().collect().await;
    assert_eq!(items.iter().filter(|i| i.is_ok()).count(), 10, "{items:?}");
    assert!(started.elapsed() >= Duration::from_millis(1400));

    // A server that stalls: the stream's last item is the idle timeout.
    let stall = vec!["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n"];
    let (url, _server) = slow_server(200, "text/event-stream", stall, Duration::from_millis(900)).await;
    let items: Vec<_> = open::<Sse>(&url, Duration::from_millis(300)).await.unwrap().collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(matches!(items[0], Err(Error::Timeout { kind: TimeoutKind::Idle, .. })), "{items:?}");
}

#[tokio::test]
async fn an_error_status_comes_before_any_stream() {
    let (url, _server) =
        slow_server(404, "application/json", vec!["{\"detail\":\"no such thing\"}"], Duration::ZERO).await;
    let err = open::<Sse>(&url, Duration::from_secs(5)).await.err().expect("a 404");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.api_error().unwrap().detail().as_deref(), Some("no such thing"));
}

/// A server for several connections in turn: each writes its chunks, then ends the body
/// properly or, where `breaks`, drops the connection mid-body. Returns each request's head.
async fn reconnecting_server(
    connections: Vec<(Vec<&'static str>, bool)>,
) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut heads = Vec::new();
        for (chunks, breaks) in connections {
            let (mut socket, _) = listener.accept().await.unwrap();
            heads.push(read_head(&mut socket).await.to_ascii_lowercase());
            let reply =
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
            socket.write_all(reply.as_bytes()).await.unwrap();
            for chunk in chunks {
                socket.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            if !breaks {
                socket.write_all(b"0\r\n\r\n").await.unwrap();
            }
            // Dropping the socket without the last chunk breaks the body.
        }
        heads
    });
    (url, task)
}

async fn open_with(url: &str, options: RequestOptions) -> BoxStream<Result<Event<Value>, Error>> {
    let client = ferrospec_runtime::Client::builder().api_key(SECRET).base_url(url).build().unwrap();
    let request = Request::new(&GET_THING, "/things/t-1".into());
    send_stream::<Sse, Value, Undocumented>(Ok(Prepared { client, request, options })).await.unwrap()
}

#[tokio::test]
async fn a_broken_event_stream_reconnects_when_asked_sending_the_last_event_id() {
    let (url, server) = reconnecting_server(vec![
        (vec!["retry: 50\nid: e-1\ndata: {\"n\":1}\n\n", "id: e-2\ndata: {\"n\":2}\n\n"], true),
        (vec!["id: e-3\ndata: {\"n\":3}\n\n"], true),
        (vec!["data: {\"n\":4}\n\n", "data: [DONE]\n\n"], false),
    ])
    .await;
    let started = Instant::now();
    let items: Vec<_> = open_with(&url, RequestOptions::new().reconnect(1)).await.collect().await;
    let events: Vec<Event<Value>> = items.into_iter().map(Result::unwrap).collect();
    let ns: Vec<&Value> = events.iter().map(|e| &e.data["n"]).collect();
    // One attempt allowed in a row, twice over: an event between the breaks resets the count.
    assert_eq!(ns, [&json!(1), &json!(2), &json!(3), &json!(4)]);
    // The server's `retry: 50` is the wait, not the default second.
    assert!(started.elapsed() < Duration::from_millis(900), "{:?}", started.elapsed());
    let heads = server.await.unwrap();
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: e-2\r\n"), "{}", heads[1]);
    assert!(heads[2].contains("last-event-id: e-3\r\n"), "{}", heads[2]);
    // An event without an id keeps the last one (SSE's rule).
    assert_eq!(events[3].id, "e-3");
}

#[tokio::test]
async fn without_reconnect_or_past_its_attempts_the_break_is_the_last_item() {
    // Not asked: the break ends the stream as an error item, and no second request is made.
    let (url, server) = reconnecting_server(vec![(vec!["data: {\"n\":1}\n\n"], true)]).await;
    let items: Vec<_> = open_with(&url, RequestOptions::new()).await.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[1], Err(Error::Connection { .. })), "{items:?}");
    assert_eq!(server.await.unwrap().len(), 1);

    // Asked for two reconnections in a row; the server breaks three times without an event.
    let (url, server) = reconnecting_server(vec![
        (vec!["retry: 20\ndata: {\"n\":1}\n\n"], true),
        (vec![": nothing\n\n"], true),
        (vec![": nothing\n\n"], true),
    ])
    .await;
    let items: Vec<_> = open_with(&url, RequestOptions::new().reconnect(2)).await.collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok() && matches!(items[1], Err(Error::Connection { .. })), "{items:?}");
    assert_eq!(server.await.unwrap().len(), 3, "the first request and two reconnections");
}

/// SSE data is text: an item type that is a string takes plain words as they are, and a JSON
/// string still decodes as JSON.
#[tokio::test]
async fn event_data_that_is_plain_text_decodes_as_a_string_item() {
    let chunks = vec!["data: hello there\n\n", "data: \"quoted\"\n\n", "data: 42\n\n"];
    let (url, _server) = slow_server(200, "text/event-stream", chunks, Duration::from_millis(5)).await;
    let client = ferrospec_runtime::Client::builder().api_key(SECRET).base_url(&url).build().unwrap();
    let request = Request::new(&GET_THING, "/things/t-1".into());
    let prepared = Prepared { client, request, options: RequestOptions::default() };
    let events = send_stream::<Sse, String, Undocumented>(Ok(prepared)).await.unwrap();
    let data: Vec<String> = events.map(|e| e.unwrap().data).collect().await;
    assert_eq!(data, ["hello there", "quoted", "42"]);
    // An object type refuses text that isn't its JSON: an error item, and the stream goes on.
    let chunks = vec!["data: hello\n\n", "data: {\"id\":\"t-1\",\"name\":\"n\"}\n\n"];
    let (url, _server) = slow_server(200, "text/event-stream", chunks, Duration::ZERO).await;
    let client = ferrospec_runtime::Client::builder().api_key(SECRET).base_url(&url).build().unwrap();
    let request = Request::new(&GET_THING, "/things/t-1".into());
    let prepared = Prepared { client, request, options: RequestOptions::default() };
    let items: Vec<_> = send_stream::<Sse, Thing, Undocumented>(Ok(prepared)).await.unwrap().collect().await;
    assert!(matches!(&items[0], Err(Error::Decode { snippet, .. }) if snippet == "hello"), "{items:?}");
    assert_eq!(items[1].as_ref().unwrap().data.id, "t-1");
}

/// Items are read only as the stream is polled: a reader that stops makes the server's writes
/// stall once the socket buffers are full (TCP backpressure), rather than the client buffering
/// the whole answer.
#[tokio::test]
async fn a_reader_that_stops_stalls_the_server_instead_of_buffering() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    const TOTAL: usize = 256 << 20;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_head(&mut socket).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-ndjson\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let line = format!("{{\"pad\":\"{}\"}}\n", "x".repeat(1000));
        let chunk = format!("{:x}\r\n{}\r\n", line.len() * 64, line.repeat(64));
        while counter.load(Ordering::SeqCst) < TOTAL {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
    });
    let mut items = open::<JsonLines>(&url, Duration::from_secs(30)).await.unwrap();
    assert!(items.next().await.unwrap().is_ok());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let stalled_at = written.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        written.load(Ordering::SeqCst),
        stalled_at,
        "the server kept writing to a reader that stopped"
    );
    // About 4 MB here: the kernel's socket buffers and hyper's; 256 MB were on offer.
    assert!(stalled_at < 32 << 20, "{stalled_at} bytes were taken in before the reader read them");
    // Reading on takes the rest in turn.
    for _ in 0..1000 {
        assert!(items.next().await.unwrap().is_ok());
    }
    assert!(written.load(Ordering::SeqCst) > stalled_at);
}
