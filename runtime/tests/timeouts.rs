//! Time limits, broken connections and malformed answers.

mod common;

use common::*;
use ferrospec_runtime::__private::{Operation, Request};
use ferrospec_runtime::{
    Client, Error, Method, RequestOptions, TimeoutKind, IDEMPOTENCY_KEY_HEADER, RETRY_COUNT_HEADER,
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
    let o = RequestOptions::new().max_retries(0);
    match timeout {
        Some(t) => o.timeout(t),
        None => o,
    }
}

#[tokio::test]
async fn a_silent_server_ends_in_an_idle_timeout_that_names_the_limit() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(2))]).await;
    let started = Instant::now();
    let err =
        server.client().execute(post(), &no_retries(Some(Duration::from_millis(200)))).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Idle,
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
        matches!(err, Error::Timeout { kind: TimeoutKind::Idle, limit } if limit == Duration::from_millis(150)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn a_body_that_stalls_half_way_runs_into_the_idle_timeout() {
    // Headers arrive at once; the body stops after one byte and the connection stays open.
    let server = Server::start(vec![Reply::raw(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{",
    )
    .hold(Duration::from_secs(2))])
    .await;
    let started = Instant::now();
    let err =
        server.client().execute(get(), &no_retries(Some(Duration::from_millis(200)))).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Idle, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_timed_out_post_that_declares_key_support_is_retried_with_the_same_idempotency_key() {
    let server =
        Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(1)), Reply::json(200, THING)])
            .await;
    let opts = RequestOptions::new().max_retries(1).timeout(Duration::from_millis(300));
    let mut req = Request::new(&CREATE_IDEMPOTENT, "/things".into());
    req.json(&serde_json::json!({"name": "first"})).unwrap();
    let res = server.client().execute(req, &opts).await.unwrap();
    assert_eq!(res.json::<Thing>().unwrap().body.id, "t-1");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header(IDEMPOTENCY_KEY_HEADER), reqs[1].header(IDEMPOTENCY_KEY_HEADER));
    assert!(reqs[0].header(IDEMPOTENCY_KEY_HEADER).is_some());
    assert_eq!(reqs[1].header(RETRY_COUNT_HEADER), Some("1"));
}

#[tokio::test]
async fn a_timed_out_plain_post_is_not_replayed_and_carries_no_key() {
    // The document doesn't say the server honours idempotency keys: a replay could create twice.
    let server =
        Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(1)), Reply::json(200, THING)])
            .await;
    let opts = RequestOptions::new().max_retries(2).timeout(Duration::from_millis(200));
    let err = server.client().execute(post(), &opts).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Idle, .. }), "{err:?}");
    assert_eq!(server.count(), 1);
    assert_eq!(server.requests()[0].header(IDEMPOTENCY_KEY_HEADER), None);
}

#[tokio::test]
async fn a_deadline_ends_the_call_across_retries() {
    let busy = || Reply::json(503, r#"{"detail":"busy"}"#).header("retry-after-ms", "150");
    let server = Server::start((0..20).map(|_| busy()).collect()).await;
    let opts = RequestOptions::new().max_retries(20).deadline(Duration::from_millis(700));
    let started = Instant::now();
    let err = server.client().execute(get(), &opts).await.unwrap_err();
    // The last answer is returned once another wait would pass the deadline.
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1200), "took {:?}", started.elapsed());
    assert!((2..=6).contains(&server.count()), "{} attempts", server.count());
}

#[tokio::test]
async fn a_deadline_cuts_a_slow_attempt_short() {
    let server = Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(2))]).await;
    let opts = RequestOptions::new().deadline(Duration::from_millis(300));
    let started = Instant::now();
    let err = server.client().execute(get(), &opts).await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { kind: TimeoutKind::Deadline, limit } if limit == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(err.to_string().contains("deadline"), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(server.count(), 1);
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
        idempotency_key: false,
        security: BEARER,
    }));
    let server =
        Server::start(vec![Reply::json(200, THING).delay(Duration::from_secs(1)), Reply::json(200, THING)])
            .await;
    let opts = RequestOptions::new().max_retries(2).timeout(Duration::from_millis(200));
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
