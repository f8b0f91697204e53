//! Streamed answers (tests/fixtures/streams.yaml) through the generated client, against a real
//! server on 127.0.0.1 that writes slowly: the same operation answers JSON to `send()` and
//! server-sent events to `send_stream()`, which sets the body's `stream: true` and asks for
//! `text/event-stream`; SSE-only, JSON Lines and JSON text sequence operations stream typed
//! items; a documented error comes typed before any stream.

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use compile_fixtures::streams_api::{types::*, Client};
use ferrospec_runtime::prelude::*;
use ferrospec_runtime::Error;
use std::time::Duration;

/// A body written as `chunks`, 20 ms apart.
fn slowly(content_type: &'static str, chunks: Vec<&'static str>) -> Response {
    let stream = futures_util::stream::iter(chunks).then(|c| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok::<_, std::convert::Infallible>(c)
    });
    ([(header::CONTENT_TYPE, content_type)], Body::from_stream(stream)).into_response()
}

async fn completions(headers: HeaderMap, body: axum::Json<serde_json::Value>) -> Response {
    if body["prompt"] == "busy" {
        return (StatusCode::TOO_MANY_REQUESTS, axum::Json(serde_json::json!({"message": "slow down"})))
            .into_response();
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if body["stream"] == true && accept == "text/event-stream" {
        return slowly(
            "text/event-stream",
            vec![
                "data: {\"delta\":\"Hel\"}\n\n",
                ": keep-alive\n\ndata: {\"delta\":\"lo\",",
                "\"finish_reason\":\"stop\"}\n\n",
                "data: [DONE]\n\n",
            ],
        );
    }
    axum::Json(serde_json::json!({"text": format!("stream={} accept={accept}", body["stream"])}))
        .into_response()
}

async fn server() -> Client {
    let app = axum::Router::new()
        .route("/completions", post(completions))
        .route(
            "/logs",
            get(|| async {
                slowly(
                    "text/event-stream",
                    vec!["event: log\nid: 7\ndata: {\"level\":\"info\",", "\"message\":\"up\"}\n\n"],
                )
            }),
        )
        .route(
            "/export",
            get(|| async {
                slowly(
                    "application/x-ndjson",
                    vec![
                        "{\"level\":\"info\",\"message\":\"a\"}\n{\"level\"",
                        ":\"warn\",\"message\":\"b\"}\n",
                    ],
                )
            }),
        )
        .route(
            "/feed",
            get(|| async {
                slowly("application/json-seq", vec!["\u{1e}{\"seq\":1}\n\u{1e}", "{\"seq\":2}\n"])
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn one_operation_answers_json_or_a_typed_event_stream() {
    let client = server().await;
    // `send()` (or `.await`) is the JSON answer; nothing asks for a stream.
    let whole = client.create_completion("hi").await.unwrap();
    assert_eq!(whole.text, "stream=null accept=application/json");

    let mut events = client.create_completion("hi").send_stream().await.unwrap();
    let mut text = String::new();
    while let Some(event) = events.next().await {
        let chunk: CompletionChunk = event.unwrap().data;
        text.push_str(&chunk.delta);
        if chunk.finish_reason.as_deref() == Some("stop") {
            assert!(events.next().await.is_none(), "[DONE] ends the stream");
            break;
        }
    }
    assert_eq!(text, "Hello");
}

#[tokio::test]
async fn a_documented_error_comes_typed_before_any_stream() {
    let client = server().await;
    let err = client.create_completion("busy").send_stream().await.err().expect("a 429");
    assert!(matches!(err, Error::RateLimit(_)), "{err:?}");
    assert!(
        matches!(err.documented(), Some(CreateCompletionError::TooManyRequests(p)) if p.message == "slow down")
    );
}

#[tokio::test]
async fn sse_json_lines_and_json_seq_operations_stream_their_items() {
    let client = server().await;
    let logs: Vec<_> = client.follow_logs().send_stream().await.unwrap().collect().await;
    let event = logs[0].as_ref().unwrap();
    assert_eq!((event.event.as_str(), event.id.as_str()), ("log", "7"));
    assert_eq!(event.data, LogLine::new("info", "up"));

    let lines: Vec<LogLine> =
        client.export_records().send_stream().await.unwrap().try_collect().await.unwrap();
    assert_eq!(lines, [LogLine::new("info", "a"), LogLine::new("warn", "b")]);

    let feed: Vec<_> = client.read_feed().send_stream().await.unwrap().try_collect().await.unwrap();
    assert_eq!(feed.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2]);
}

/// `.reconnect(n)` on a generated builder: the server breaks the first connection after one
/// event, and the second request carries `Last-Event-ID`.
#[tokio::test]
async fn a_builder_asked_to_reconnect_resumes_after_a_break() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (c, s) = (calls.clone(), seen.clone());
    let logs = move |headers: HeaderMap| async move {
        let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        s.lock().unwrap().push(last);
        let first = c.fetch_add(1, Ordering::SeqCst) == 0;
        let chunks: Vec<Result<&'static str, std::io::Error>> = if first {
            vec![
                Ok("retry: 20\nid: 7\ndata: {\"level\":\"info\",\"message\":\"up\"}\n\n"),
                Err(std::io::Error::other("cut")),
            ]
        } else {
            vec![Ok("id: 8\ndata: {\"level\":\"info\",\"message\":\"again\"}\n\n")]
        };
        // 20 ms apart, so the head and the first event are out before the break.
        let paced = futures_util::stream::iter(chunks).then(|c| async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            c
        });
        ([(header::CONTENT_TYPE, "text/event-stream")], Body::from_stream(paced))
    };
    let app = axum::Router::new().route("/logs", get(logs));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap();

    let events: Vec<_> = client.follow_logs().reconnect(2).send_stream().await.unwrap().collect().await;
    let messages: Vec<String> = events.into_iter().map(|e| e.unwrap().data.message).collect();
    assert_eq!(messages, ["up", "again"]);
    assert_eq!(*seen.lock().unwrap(), [None, Some("7".to_string())]);
}
