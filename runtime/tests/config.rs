//! Misconfiguration and bad arguments are refused before anything is sent.

mod common;

use common::*;
use ferrospec_runtime::__private::{path_param, Request};
use ferrospec_runtime::{Client, Error, RequestOptions};

#[test]
fn no_api_key_is_a_config_error_naming_the_env_var() {
    let err = Client::builder()
        .env_names("TEST_ONLY_API_KEY", "TEST_ONLY_BASE_URL")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("TEST_ONLY_API_KEY")), "{err:?}");
    assert!(err.to_string().contains("TEST_ONLY_API_KEY"), "{err}");
}

#[test]
fn no_api_key_without_env_names_is_still_a_config_error() {
    let err = Client::builder().base_url("http://127.0.0.1:9").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("api_key")), "{err:?}");
}

#[test]
fn a_blank_api_key_is_a_config_error() {
    let err = Client::builder().api_key("   ").base_url("http://127.0.0.1:9").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[test]
fn base_urls_must_be_http_or_https() {
    for bad in ["ftp://x", "file:///etc/passwd", "not a url", ""] {
        let err = Client::builder().api_key(SECRET).base_url(bad).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad:?}: {err:?}");
        assert_no_secret(&err);
    }
    let err = Client::builder().api_key(SECRET).build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("base URL")), "{err:?}");
    for good in ["http://localhost:1", "https://api.example.com/", "HTTPS://EXAMPLE.COM"] {
        assert!(Client::builder().api_key(SECRET).base_url(good).build().is_ok(), "{good}");
    }
}

#[test]
fn a_trailing_slash_on_the_base_url_is_dropped() {
    let client = Client::builder().api_key(SECRET).base_url("https://api.example.com/v1/").build().unwrap();
    assert_eq!(client.base_url(), "https://api.example.com/v1");
}

#[test]
fn client_headers_that_cannot_be_sent_are_refused() {
    let err = Client::builder()
        .api_key(SECRET)
        .base_url("http://127.0.0.1:9")
        .header("x-a", "ok\r\nx-b: evil")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    let err = Client::builder()
        .api_key(SECRET)
        .base_url("http://127.0.0.1:9")
        .header("bad name", "v")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
}

#[tokio::test]
async fn request_header_values_with_line_breaks_are_refused_before_sending() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    let mut req = Request::new(&GET_THING, "/things/t-1".into());
    for bad in ["a\r\nx-evil: 1", "a\nb", "a\rb", "a\0b"] {
        let err = req.header("x-trace", bad).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{bad:?}: {err:?}");
        assert!(err.to_string().contains("x-trace"), "{err}");
    }
    let err = req.header("x-list", &["fine", "not\nfine"]).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    assert_eq!(server.count(), 0, "nothing was sent");
    // The refused values left no trace on the request: sending it carries none of them.
    server.client().execute(req, &RequestOptions::default()).await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-trace"), None);
    assert_eq!(sent.header("x-list"), None);
    assert_eq!(sent.header("x-evil"), None);
}

#[test]
fn path_params_that_would_change_the_path_are_refused_or_encoded() {
    assert_eq!(path_param("id", "a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
    for bad in ["", ".", ".."] {
        assert!(matches!(path_param("id", bad), Err(Error::InvalidArgument(_))), "{bad:?}");
    }
    assert!(matches!(path_param("id", &None::<String>), Err(Error::InvalidArgument(_))));
    assert!(matches!(path_param("id", &["a", "b"]), Err(Error::InvalidArgument(_))));
}

/// A key a header can't carry (a newline from a pasted file, say) is refused by `build`, and
/// the message doesn't quote the key.
#[test]
fn an_api_key_a_header_cannot_carry_is_refused_by_build() {
    let err = Client::builder().api_key("sk-secret\n123").base_url("http://127.0.0.1:9").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("cannot carry")), "{err:?}");
    assert!(!format!("{err:?}{err}").contains("sk-secret"), "{err:?}");
}
