//! Request hooks (`ClientBuilder::on_request`): a user step that sees each complete request
//! just before it is sent, on every attempt, and can refuse it.

mod common;

use common::*;
use ferrospec_runtime::__private::Request;
use ferrospec_runtime::{Error, RequestOptions};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A stand-in for a signature over the method, path and body (a checksum is enough to tell).
fn signature(req: &reqwest::Request) -> String {
    let body = req.body().and_then(|b| b.as_bytes()).unwrap_or_default();
    let text = format!("{} {} ", req.method(), req.url().path());
    let sum: u32 = text.bytes().chain(body.iter().copied()).map(u32::from).sum();
    format!("{sum:08x}")
}

#[tokio::test]
async fn a_hook_signs_every_attempt_of_a_complete_request() {
    let server = Server::start(vec![Reply::fast_retry(503, "{}"), Reply::json(200, "{}")]).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let client = server
        .builder()
        .on_request(move |req| {
            seen.fetch_add(1, Ordering::SeqCst);
            // The credentials and the body are already there.
            assert!(req.headers().contains_key("authorization"));
            let sig = signature(req);
            req.headers_mut().insert("x-signature", sig.parse()?);
            Ok(())
        })
        .build()
        .unwrap();
    let mut req = Request::new(&CREATE, "/things".into());
    req.json(&serde_json::json!({"name": "a"})).unwrap();
    client.execute(req, &RequestOptions::default()).await.unwrap();

    assert_eq!(calls.load(Ordering::SeqCst), 2, "once per attempt");
    let expected = {
        let body = br#"{"name":"a"}"#;
        let sum: u32 = "POST /things ".bytes().chain(body.iter().copied()).map(u32::from).sum();
        format!("{sum:08x}")
    };
    for r in server.requests() {
        assert_eq!(r.header("x-signature"), Some(expected.as_str()));
        assert_eq!(r.body, br#"{"name":"a"}"#);
    }
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_call_before_anything_is_sent() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let client = server.builder().on_request(|_| Err("no signing key configured".into())).build().unwrap();
    let err = client.execute(Request::new(&GET_THING, "/things/t".into()), &RequestOptions::default()).await;
    let Err(Error::Hook(e)) = err else { panic!("expected Error::Hook, got {err:?}") };
    assert_eq!(e.to_string(), "no signing key configured");
    assert_eq!(server.count(), 0, "nothing reached the server");
    let err: Error = Error::Hook(e);
    assert!(err.to_string().starts_with("the request hook refused the request: no signing key"));
}

#[tokio::test]
async fn hooks_run_in_the_order_they_were_added() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let client = server
        .builder()
        .on_request(|req| {
            req.headers_mut().insert("x-step", "one".parse()?);
            Ok(())
        })
        .on_request(|req| {
            let before = req.headers().get("x-step").map(|v| v.to_str().unwrap_or_default().to_string());
            req.headers_mut().insert("x-step", format!("{}+two", before.unwrap_or_default()).parse()?);
            Ok(())
        })
        .build()
        .unwrap();
    client.execute(Request::new(&GET_THING, "/things/t".into()), &RequestOptions::default()).await.unwrap();
    assert_eq!(server.requests()[0].header("x-step"), Some("one+two"));
}
