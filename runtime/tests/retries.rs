//! When the client tries again, how long it waits, and what every attempt carries.

mod common;

use common::*;
use ferrospec_runtime::__private::{Multipart, Operation, Request};
use ferrospec_runtime::{
    Error, FilePart, Method, RequestOptions, IDEMPOTENCY_KEY_HEADER, RETRY_COUNT_HEADER,
};
use std::time::{Duration, Instant};

const THING: &str = r#"{"id":"t-1","name":"first"}"#;

fn post() -> Request {
    let mut req = Request::new(&CREATE, "/things".into());
    req.json(&serde_json::json!({"name": "first"})).unwrap();
    req
}

fn retry_counts(server: &Server) -> Vec<String> {
    server.requests().iter().map(|r| r.header(RETRY_COUNT_HEADER).unwrap_or("<none>").to_string()).collect()
}

#[tokio::test]
async fn two_503s_then_200_succeeds_on_the_third_attempt() {
    let server = Server::start(vec![
        Reply::fast_retry(503, r#"{"detail":"busy"}"#),
        Reply::fast_retry(503, r#"{"detail":"busy"}"#),
        Reply::json(200, THING),
    ])
    .await;
    let res = server
        .client()
        .execute(post(), &RequestOptions::default())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(res.status, 200);
    let thing = res.json::<Thing>().unwrap().into_body();
    assert_eq!(thing.id, "t-1");
    assert_eq!(server.count(), 3);
    assert_eq!(retry_counts(&server), ["0", "1", "2"]);
    // Every attempt carries the same request.
    let reqs = server.requests();
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/things");
        assert_eq!(r.body, br#"{"name":"first"}"#);
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = Server::start(vec![Reply::json(400, r#"{"detail":"bad"}"#), Reply::json(200, THING)]).await;
    let err = server.client().execute(post(), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_429_with_retry_after_one_second_waits_a_second() {
    let server = Server::start(vec![
        Reply::json(429, r#"{"detail":"slow down"}"#).header("retry-after", "1"),
        Reply::json(200, THING),
    ])
    .await;
    let started = Instant::now();
    server.client().execute(post(), &RequestOptions::default()).await.expect("the retry succeeds");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at - reqs[0].at;
    assert!(gap >= Duration::from_secs(1), "waited only {gap:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_429_given_up_on_is_a_rate_limit_error() {
    let server = Server::start(vec![
        Reply::fast_retry(429, r#"{"detail":"slow down"}"#),
        Reply::fast_retry(429, r#"{"detail":"slow down"}"#),
    ])
    .await;
    let opts = RequestOptions::new().max_retries(1);
    let err = server.client().execute(post(), &opts).await.unwrap_err();
    assert!(matches!(err, Error::RateLimit(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.count(), 2);
    assert_no_secret(&err);
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    // Three 503s asking for 10 ms each, then success. Without the hint the backoff alone would
    // take at least 0.375 + 0.75 + 1.5 s.
    let r503 = || Reply::json(503, "{}").header("retry-after-ms", "10");
    let server = Server::start(vec![r503(), r503(), r503(), Reply::json(200, THING)]).await;
    let opts = RequestOptions::new().max_retries(3);
    let started = Instant::now();
    server.client().execute(post(), &opts).await.unwrap();
    let elapsed = started.elapsed();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    for pair in reqs.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(10), "waited only {gap:?}");
    }
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
}

#[tokio::test]
async fn without_hints_the_backoff_waits_at_least_375ms() {
    let server = Server::start(vec![Reply::json(503, "{}"), Reply::json(200, THING)]).await;
    server.client().execute(post(), &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let gap = reqs[1].at - reqs[0].at;
    assert!(gap >= Duration::from_millis(375), "waited only {gap:?}");
    assert!(gap < Duration::from_secs(3), "waited {gap:?}");
}

#[tokio::test]
async fn a_503_with_x_should_retry_false_is_not_retried() {
    let server = Server::start(vec![
        Reply::fast_retry(503, r#"{"detail":"down"}"#).header("x-should-retry", "false"),
        Reply::json(200, THING),
    ])
    .await;
    let err = server.client().execute(post(), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn x_should_retry_true_makes_a_400_retried() {
    let server = Server::start(vec![
        Reply::fast_retry(400, "{}").header("x-should-retry", "true"),
        Reply::json(200, THING),
    ])
    .await;
    server.client().execute(post(), &RequestOptions::default()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_documented_409_is_not_retried() {
    let server = Server::start(vec![
        Reply::fast_retry(409, r#"{"detail":"already exists"}"#),
        Reply::json(200, THING),
    ])
    .await;
    let req = Request::new(&UPSERT_DOCUMENTED_409, "/things".into());
    let err = server.client().execute(req, &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn an_undocumented_409_is_retried() {
    let server =
        Server::start(vec![Reply::fast_retry(409, r#"{"detail":"busy"}"#), Reply::json(200, THING)]).await;
    let req = Request::new(&UPSERT_UNDOCUMENTED_409, "/things".into());
    let res = server.client().execute(req, &RequestOptions::default()).await.expect("the retry succeeds");
    assert_eq!(res.json::<Thing>().unwrap().body.name, "first");
    assert_eq!(server.count(), 2);
    assert_eq!(retry_counts(&server), ["0", "1"]);
}

#[tokio::test]
async fn max_retries_zero_on_the_call_means_one_attempt() {
    let server = Server::start(vec![Reply::fast_retry(500, "{}"), Reply::json(200, THING)]).await;
    let opts = RequestOptions::new().max_retries(0);
    let err = server.client().execute(post(), &opts).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn max_retries_zero_on_the_client_means_one_attempt() {
    let server = Server::start(vec![Reply::fast_retry(500, "{}"), Reply::json(200, THING)]).await;
    let client = server.builder().max_retries(0).build().unwrap();
    let err = client.execute(post(), &RequestOptions::default()).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn call_options_override_the_client_retry_count() {
    let server = Server::start(vec![
        Reply::fast_retry(503, "{}"),
        Reply::fast_retry(503, "{}"),
        Reply::json(200, THING),
    ])
    .await;
    let client = server.builder().max_retries(0).build().unwrap();
    let opts = RequestOptions::new().max_retries(2);
    client.execute(post(), &opts).await.unwrap();
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn every_attempt_of_a_post_declaring_key_support_carries_the_same_idempotency_key() {
    let server = Server::start(vec![
        Reply::fast_retry(500, "{}"),
        Reply::fast_retry(500, "{}"),
        Reply::json(200, THING),
        // A second, separate call.
        Reply::json(200, THING),
    ])
    .await;
    let client = server.client();
    let post = || {
        let mut req = Request::new(&CREATE_IDEMPOTENT, "/things".into());
        req.json(&serde_json::json!({"name": "first"})).unwrap();
        req
    };
    client.execute(post(), &RequestOptions::default()).await.unwrap();
    client.execute(post(), &RequestOptions::default()).await.unwrap();
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header(IDEMPOTENCY_KEY_HEADER).expect("every POST carries a key").to_string())
        .collect();
    assert_eq!(keys.len(), 4);
    assert!(!keys[0].is_empty());
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2]);
    assert_ne!(keys[2], keys[3], "two calls must not share a key");
    assert_eq!(retry_counts(&server), ["0", "1", "2", "0"]);
}

#[tokio::test]
async fn a_post_without_declared_key_support_carries_no_key_and_retries_only_when_nothing_was_done() {
    // 503 (and 408, 429) say the request was not acted on: sending it again is safe without a key.
    let server = Server::start(vec![Reply::fast_retry(503, "{}"), Reply::json(200, THING)]).await;
    server.client().execute(post(), &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(reqs.iter().all(|r| r.header(IDEMPOTENCY_KEY_HEADER).is_none()));

    // A 500 or 502 may come after the server acted: a create sent again could happen twice.
    for status in [500, 502] {
        let server = Server::start(vec![Reply::fast_retry(status, "{}"), Reply::json(200, THING)]).await;
        let err = server.client().execute(post(), &RequestOptions::default()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(server.count(), 1, "a POST without a key was sent again after a {status}");
    }

    // Unless the server says so.
    let told = Reply::fast_retry(500, "{}").header("x-should-retry", "true");
    let server = Server::start(vec![told, Reply::json(200, THING)]).await;
    server.client().execute(post(), &RequestOptions::default()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_500_is_retried_where_sending_twice_is_safe() {
    // A GET, and a POST whose server de-duplicates by idempotency key.
    let server = Server::start(vec![Reply::fast_retry(500, "{}"), Reply::json(200, THING)]).await;
    server
        .client()
        .execute(Request::new(&GET_THING, "/things/t-1".into()), &RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
    let server = Server::start(vec![Reply::fast_retry(500, "{}"), Reply::json(200, THING)]).await;
    let mut req = Request::new(&CREATE_IDEMPOTENT, "/things".into());
    req.json(&serde_json::json!({"name": "first"})).unwrap();
    server.client().execute(req, &RequestOptions::default()).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_patch_declaring_key_support_carries_an_idempotency_key_and_get_carries_none() {
    static PATCH: Operation = Operation {
        id: "updateThing",
        method: Method::PATCH,
        path: "/things/{id}",
        accept: "application/json",
        documented_statuses: &[200],
        idempotency_key: true,
        security: BEARER,
    };
    let server = Server::start(vec![Reply::json(200, THING), Reply::json(200, THING)]).await;
    let client = server.client();
    client.execute(Request::new(&PATCH, "/things/t-1".into()), &RequestOptions::default()).await.unwrap();
    client.execute(Request::new(&GET_THING, "/things/t-1".into()), &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "PATCH");
    assert!(reqs[0].header(IDEMPOTENCY_KEY_HEADER).is_some());
    assert_eq!(reqs[1].method, "GET");
    assert_eq!(reqs[1].header(IDEMPOTENCY_KEY_HEADER), None);
    assert_eq!(reqs[1].header(RETRY_COUNT_HEADER), Some("0"));
}

#[tokio::test]
async fn a_retried_multipart_upload_sends_identical_bytes() {
    let server = Server::start(vec![Reply::fast_retry(503, "{}"), Reply::json(200, THING)]).await;
    let mut form = Multipart::new();
    form.file(
        "upload_file",
        FilePart::new(&b"hello, file"[..]).file_name("a.txt").content_type("text/plain"),
    );
    form.field("display_name", "Doc").unwrap();
    let mut req = Request::new(&CREATE, "/things".into());
    req.multipart(form);
    server.client().execute(req, &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body);
    assert_eq!(reqs[0].header("content-type"), reqs[1].header("content-type"));
    let ct = reqs[0].header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&reqs[0].body);
    assert!(body.contains("filename=\"a.txt\""), "{body}");
    assert!(body.contains("hello, file"), "{body}");
}

#[tokio::test]
async fn every_attempt_carries_auth_user_agent_accept_and_custom_headers() {
    let server = Server::start(vec![Reply::fast_retry(500, "{}"), Reply::json(200, THING)]).await;
    let client = server.builder().user_agent("tests/1.0").header("x-project", "p-1").build().unwrap();
    let mut req = Request::new(&GET_THING, "/things/t-1".into());
    req.header("x-trace", "abc").unwrap();
    client.execute(req, &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.header("authorization"), Some("Bearer sk-secret-123"));
        assert_eq!(r.header("user-agent"), Some("tests/1.0"));
        assert_eq!(r.header("accept"), Some("application/json"));
        assert_eq!(r.header("x-project"), Some("p-1"));
        assert_eq!(r.header("x-trace"), Some("abc"));
    }
}

/// A wait longer than a minute is not honoured: the normal backoff applies instead. That must
/// hold for absurd values too, which a broken proxy or server can send.
#[tokio::test]
async fn an_over_long_retry_after_falls_back_to_the_backoff() {
    let server =
        Server::start(vec![Reply::json(503, "{}").header("retry-after", "600"), Reply::json(200, THING)])
            .await;
    let started = Instant::now();
    server.client().execute(post(), &RequestOptions::default()).await.unwrap();
    assert_eq!(server.count(), 2);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn an_absurd_retry_after_does_not_panic() {
    let mut failures = Vec::new();
    for (name, value) in [("retry-after", "99999999999999999999"), ("retry-after-ms", "1e30")] {
        let server =
            Server::start(vec![Reply::json(503, "{}").header(name, value), Reply::json(200, THING)]).await;
        let client = server.client();
        // Run the call in its own task so a panic is reported as a failed case.
        let joined = tokio::spawn(async move {
            client.execute(post(), &RequestOptions::default()).await.map(|r| r.status)
        })
        .await;
        match joined {
            Ok(Ok(status)) if status == 200 && server.count() == 2 => {}
            Ok(other) => failures.push(format!("{name}: {value}: {other:?}")),
            Err(e) => failures.push(format!("{name}: {value} made the call panic: {e}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
