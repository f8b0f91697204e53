//! The API key is sent to the server and shown nowhere else.
//!
//! Tracing output is not checked here: capturing it needs a subscriber (tracing-subscriber),
//! which is not a dependency of this crate.

mod common;

use common::*;
use ferrospec_runtime::__private::Request;
use ferrospec_runtime::{Client, Error, RequestOptions};
use std::time::Duration;

#[tokio::test]
async fn the_key_is_sent_as_a_bearer_token() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    server
        .client()
        .execute(Request::new(&GET_THING, "/things/t-1".into()), &RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(server.requests()[0].header("authorization"), Some("Bearer sk-secret-123"));
}

#[test]
fn the_key_is_not_in_the_debug_output_of_the_client_or_builder() {
    let builder = Client::builder()
        .api_key(SECRET)
        .base_url("http://127.0.0.1:9")
        .env_names("TEST_SECRETS_API_KEY", "TEST_SECRETS_BASE_URL");
    for text in [format!("{builder:?}"), format!("{builder:#?}")] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
    let client = builder.clone().build().unwrap();
    for text in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("127.0.0.1:9"), "{text}");
    }
    // Clones are no different.
    let clone = client.clone();
    assert!(!format!("{clone:?}").contains(SECRET));
}

#[test]
fn a_key_the_header_cannot_carry_is_refused_without_echoing_it() {
    let key = format!("{SECRET}\r\nx-evil: 1");
    let err = Client::builder().api_key(&key).base_url("http://127.0.0.1:9").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_no_secret(&err);
}

#[test]
fn config_errors_do_not_echo_the_key() {
    let err = Client::builder().api_key(SECRET).base_url("ftp://x").build().unwrap_err();
    assert_no_secret(&err);
    let err = Client::builder().api_key(SECRET).build().unwrap_err();
    assert_no_secret(&err);
}

/// Every kind of failure a call can end in, printed every way, shows no key.
#[tokio::test]
async fn no_error_from_a_call_shows_the_key() {
    let server = Server::start(vec![
        Reply::json(400, r#"{"detail":"bad"}"#),
        Reply::json(401, r#"{"detail":"Invalid API key"}"#),
        Reply::json(404, r#"{"detail":"Index not found"}"#).header("x-request-id", "r-1"),
        Reply::json(422, r#"{"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"}]}"#),
        Reply::json(500, "oops"),
        Reply::json(200, r#"{"id":"#),
        Reply::json(200, ""),
        Reply::raw("HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{"),
        Reply::json(200, "{}").delay(Duration::from_secs(1)),
    ])
    .await;
    let client = server.client();
    let opts = RequestOptions::new().max_retries(0).timeout(Duration::from_millis(200));
    let mut errors = Vec::new();
    for _ in 0..9 {
        let req = Request::new(&CREATE, "/things".into());
        match client.execute(req, &opts).await {
            Ok(res) => errors.push(res.json::<Thing>().unwrap_err()),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(server.count(), 9);
    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::BadRequest(_) => "400",
            Error::Authentication(_) => "401",
            Error::NotFound(_) => "404",
            Error::UnprocessableEntity(_) => "422",
            Error::InternalServer(_) => "500",
            Error::Decode { .. } => "decode",
            Error::Connection { .. } => "connection",
            Error::Timeout { .. } => "timeout",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["400", "401", "404", "422", "500", "decode", "decode", "connection", "timeout"]);
    for e in &errors {
        assert_no_secret(e);
        if let Some(api) = e.api_error() {
            let text = format!("{api} {api:?}");
            assert!(!text.contains(SECRET), "{text}");
        }
    }
}

/// reqwest follows redirects; the bearer token must not follow one to another host.
#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_key() {
    let elsewhere = Server::start(vec![Reply::json(200, r#"{"id":"t-1","name":"moved"}"#)]).await;
    let location = format!("{}/landing", elsewhere.url().replace("127.0.0.1", "localhost"));
    let server = Server::start(vec![Reply::status(302).header("location", &location)]).await;
    let res = server
        .client()
        .execute(Request::new(&GET_THING, "/things/t-1".into()), &RequestOptions::default())
        .await;
    assert_eq!(server.count(), 1);
    if elsewhere.count() > 0 {
        let followed = &elsewhere.requests()[0];
        assert_eq!(followed.target, "/landing");
        assert_eq!(followed.header("authorization"), None, "the key followed the redirect");
        assert!(!format!("{:?}", followed.headers).contains(SECRET));
    }
    if let Err(e) = &res {
        assert_no_secret(e);
    }
}
