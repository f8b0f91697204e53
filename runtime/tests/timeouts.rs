//! Time limits, broken connections and malformed answers.

mod common;

use common::*;
use llama_cloud_runtime::{
    Client, Error, Method, Operation, Request, RequestOptions, TimeoutKind, IDEMPOTENCY_KEY_HEADER,
    RETRY_COUNT_HEADER,
};
use std::time::{Duration, Instant};

const THING: &str = r#"{"id":"t-1","name":"first"}"#;

fn post() -> Request {
    let mut req = Request::new(&CREATE, "/things".into());
    req.json(&serde_json::json!({"name": "first"})).unwrap();
    req
}

fn get() -> Request {
    Request::new(&GET_THING, "/things/t-1".into())
}

fn no_retries(timeout: Option<Duration>) -> RequestOptions {
    RequestOptions { max_retries: Some(0), timeout }
}

#[tokio::test]
async fn a_slow_server_ends_in_a_request_timeout_that_names_the_limit() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(2))]).await;
    let started = Instant::now();
    let err =
        server.client().execute(post(), &no_retries(Some(Duration::from_millis(200)))).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Request,
                limit
            } if limit == Duration::from_millis(200)
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(err.to_string().contains("200ms"), "{err}");
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn the_client_timeout_applies_when_the_call_sets_none() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(2))]).await;
    let client = server.builder().timeout(Duration::from_millis(150)).max_retries(0).build().unwrap();
    let started = Instant::now();
    let err = client.execute(get(), &RequestOptions::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Request, limit } if limit == Duration::from_millis(150)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_body_that_stalls_half_way_runs_into_the_request_timeout() {
    // Headers arrive at once; the body stops after one byte and the connection stays open.
    let server = Server::start(vec![Reply::raw(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    )
    .hold(Duration::from_secs(2))])
    .await;
    let started = Instant::now();
    let err =
        server.client().execute(get(), &no_retries(Some(Duration::from_millis(200)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Request, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_timed_out_post_is_retried_with_the_same_idempotency_key() {
    let server =
        Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(1)), Reply::json(200, THING)])
            .await;
    let opts = RequestOptions { max_retries: Some(1), timeout: Some(Duration::from_millis(300)) };
    let res = server.client().execute(post(), &opts).await.unwrap();
    assert_eq!(res.json::<Thing>().unwrap().body.id, "t-1");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header(IDEMPOTENCY_KEY_HEADER), reqs[1].header(IDEMPOTENCY_KEY_HEADER));
    assert!(reqs[0].header(IDEMPOTENCY_KEY_HEADER).is_some());
    assert_eq!(reqs[1].header(RETRY_COUNT_HEADER), Some("1"));
}

#[tokio::test]
async fn a_timed_out_request_that_is_not_replay_safe_is_not_retried() {
    // A method that is neither idempotent nor given an idempotency key.
    let op: &'static Operation = Box::leak(Box::new(Operation {
        id: "purgeThings",
        method: Method::from_bytes(b"PURGE").unwrap(),
        path: "/things",
        accept: "application/json",
        documented_statuses: &[200],
    }));
    let server =
        Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(1)), Reply::json(200, THING)])
            .await;
    let opts = RequestOptions { max_retries: Some(2), timeout: Some(Duration::from_millis(200)) };
    let err = server.client().execute(Request::new(op, "/things".into()), &opts).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.count(), 1);
    assert_eq!(server.requests()[0].header(IDEMPOTENCY_KEY_HEADER), None);
}

#[tokio::test]
async fn a_connection_closed_in_the_middle_of_a_body_is_a_connection_error() {
    let server = Server::start(vec![Reply::raw(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":\"t-1\",",
    )])
    .await;
    let err = server.client().execute(get(), &no_retries(None)).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_get_cut_off_mid_body_is_retried() {
    let server = Server::start(vec![
        Reply::raw("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"id\""),
        Reply::json(200, THING),
    ])
    .await;
    let res = server.client().execute(get(), &RequestOptions::default()).await.unwrap();
    assert_eq!(res.json::<Thing>().unwrap().body.name, "first");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_connection_closed_before_any_answer_is_a_connection_error() {
    let server = Server::start(vec![Reply::raw("")]).await;
    let err = server.client().execute(post(), &no_retries(None)).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_garbage_status_line_is_a_connection_error() {
    let server = Server::start(vec![Reply::raw("HELLO THERE\r\n\r\n")]).await;
    let err = server.client().execute(get(), &no_retries(None)).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error() {
    // Bind a port, then free it: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder().api_key(SECRET).base_url(format!("http://{addr}")).build().unwrap();
    let started = Instant::now();
    let err = client.execute(post(), &no_retries(None)).await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_no_secret(&err);
}
