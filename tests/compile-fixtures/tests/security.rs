//! The client generated for `tests/fixtures/security.yaml` against a real HTTP server on
//! 127.0.0.1: the exact credential each scheme puts on the wire (header, query parameter, cookie,
//! `Authorization: Bearer` and `Basic`), that `security: []` sends none and works without any,
//! that an operation picks the first alternative whose credentials the client has, and that a
//! missing credential is refused before anything is sent.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use compile_fixtures::security_api::{Client, ClientBuilder};
use ferrospec_runtime::Error;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

const BEARER: &str = "bearer-tok-1";
const HEADER_KEY: &str = "header-key-2";
const QUERY_KEY: &str = "query/key 3";
const COOKIE_KEY: &str = "cookie-key-4";
const OAUTH: &str = "oauth-tok-5";
const USER: &str = "Aladdin";
const PASSWORD: &str = "open sesame";
/// Every secret above, for the checks that none shows up where it must not.
const SECRETS: [&str; 7] = [BEARER, HEADER_KEY, QUERY_KEY, COOKIE_KEY, OAUTH, USER, PASSWORD];

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let first = values.next()?;
        assert!(values.next().is_none(), "header {name} was sent twice");
        Some(first.to_str().expect("header is text"))
    }

    fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// No credential of any scheme is on this request.
    fn assert_no_credentials(&self) {
        for h in ["authorization", "x-api-key", "cookie", "x-legacy-key"] {
            assert_eq!(self.header(h), None, "{h} was sent: {self:?}");
        }
        assert_eq!(self.query(), None, "a query was sent: {self:?}");
    }
}

#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Where `/redirect-*` paths send the client.
    redirect_to: Arc<Mutex<Option<String>>>,
}

impl Recorder {
    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The last request, after checking that exactly `n` came in.
    fn nth(&self, n: usize) -> Seen {
        let all = self.requests();
        assert_eq!(all.len(), n, "expected {n} requests, got {all:#?}");
        all.last().cloned().unwrap()
    }
}

async fn record(State(rec): State<Recorder>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let path = parts.uri.path().to_string();
    rec.seen.lock().unwrap().push(Seen { method: parts.method, uri: parts.uri, headers: parts.headers });
    let target = rec.redirect_to.lock().unwrap().clone();
    match target {
        Some(to) if path != "/landing" => {
            (StatusCode::FOUND, [(axum::http::header::LOCATION, to)]).into_response()
        }
        _ => (StatusCode::OK, [(axum::http::header::CONTENT_TYPE, "application/json")], r#"{"ok":true}"#)
            .into_response(),
    }
}

async fn server() -> (SocketAddr, Recorder) {
    let rec = Recorder::default();
    let app = Router::new().fallback(record).with_state(rec.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (addr, rec)
}

/// A client for `addr` with no credentials at all.
fn bare(addr: SocketAddr) -> ClientBuilder {
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).timeout(Duration::from_secs(10))
}

/// A client for `addr` with a credential for every scheme.
fn full(addr: SocketAddr) -> ClientBuilder {
    bare(addr)
        .api_key(BEARER)
        .basic_auth(USER, PASSWORD)
        .api_key_header(HEADER_KEY)
        .api_key_query(QUERY_KEY)
        .api_key_cookie(COOKIE_KEY)
        .oauth(OAUTH)
}

fn config_message(e: Error) -> String {
    match e {
        Error::Config(m) => m,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[tokio::test]
async fn the_default_requirement_sends_the_api_key_as_a_bearer_token_and_nothing_else() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().get_me().send().await.unwrap();
    let seen = rec.nth(1);
    assert_eq!(seen.uri.path(), "/me");
    assert_eq!(seen.header("authorization"), Some("Bearer bearer-tok-1"));
    assert_eq!(seen.header("x-api-key"), None);
    assert_eq!(seen.header("cookie"), None);
    assert_eq!(seen.query(), None);
}

#[tokio::test]
async fn basic_auth_sends_the_user_and_password_in_base64() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().list_reports().send().await.unwrap();
    let seen = rec.nth(1);
    // RFC 7617's example: base64("Aladdin:open sesame").
    assert_eq!(seen.header("authorization"), Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assert_eq!((seen.header("x-api-key"), seen.header("cookie"), seen.query()), (None, None, None));
}

#[tokio::test]
async fn an_api_key_header_scheme_sends_exactly_its_header() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().header_key().send().await.unwrap();
    let seen = rec.nth(1);
    assert_eq!(seen.header("x-api-key"), Some(HEADER_KEY));
    assert_eq!((seen.header("authorization"), seen.header("cookie"), seen.query()), (None, None, None));
}

#[tokio::test]
async fn an_api_key_query_scheme_follows_the_calls_own_parameters_percent_encoded() {
    let (addr, rec) = server().await;
    let client = full(addr).build().unwrap();
    client.query_key().q("a b").send().await.unwrap();
    let seen = rec.nth(1);
    assert_eq!(seen.uri.path(), "/keys/query");
    assert_eq!(seen.query(), Some("q=a%20b&api_key=query%2Fkey%203"));
    assert_eq!((seen.header("authorization"), seen.header("x-api-key")), (None, None));
    client.query_key().send().await.unwrap();
    assert_eq!(rec.nth(2).query(), Some("api_key=query%2Fkey%203"));
}

#[tokio::test]
async fn an_api_key_cookie_scheme_joins_the_calls_own_cookies() {
    let (addr, rec) = server().await;
    let client = full(addr).build().unwrap();
    client.cookie_key().theme("dark").send().await.unwrap();
    assert_eq!(rec.nth(1).header("cookie"), Some("theme=dark; session_id=cookie-key-4"));
    client.cookie_key().send().await.unwrap();
    let seen = rec.nth(2);
    assert_eq!(seen.header("cookie"), Some("session_id=cookie-key-4"));
    assert_eq!((seen.header("authorization"), seen.header("x-api-key"), seen.query()), (None, None, None));
}

#[tokio::test]
async fn an_oauth2_scheme_sends_its_access_token_as_a_bearer_token() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().oauth_only().send().await.unwrap();
    assert_eq!(rec.nth(1).header("authorization"), Some("Bearer oauth-tok-5"));
}

#[tokio::test]
async fn security_none_sends_no_credentials_even_when_the_client_has_them_all() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().get_health().send().await.unwrap();
    let seen = rec.nth(1);
    assert_eq!((seen.method.as_str(), seen.uri.path()), ("GET", "/health"));
    seen.assert_no_credentials();
}

#[tokio::test]
async fn a_client_without_credentials_builds_and_calls_what_needs_none() {
    let (addr, rec) = server().await;
    let client = bare(addr).build().expect("no operation-independent credential is required");
    assert!(client.get_health().send().await.unwrap().ok);
    rec.nth(1).assert_no_credentials();
    // `security: [{bearerAuth: []}, {}]`: the token is optional.
    client.optional_auth().send().await.unwrap();
    rec.nth(2).assert_no_credentials();
}

#[tokio::test]
async fn an_optional_requirement_sends_the_token_when_the_client_has_it() {
    let (addr, rec) = server().await;
    full(addr).build().unwrap().optional_auth().send().await.unwrap();
    assert_eq!(rec.nth(1).header("authorization"), Some("Bearer bearer-tok-1"));
}

#[tokio::test]
async fn a_missing_credential_is_refused_before_sending_naming_the_scheme_and_setter() {
    let (addr, rec) = server().await;
    let client = bare(addr).build().unwrap();
    let msg = config_message(client.get_me().send().await.unwrap_err());
    assert_eq!(
        msg,
        "`getMe` needs credentials the client was not given: `bearerAuth` (call `api_key` on the client \
         builder, or set SECURITY_API_KEY)"
    );
    let msg = config_message(client.header_key().send().await.unwrap_err());
    assert!(msg.contains("`apiKeyHeader`") && msg.contains("`api_key_header`"), "{msg}");
    let msg = config_message(client.list_reports().send().await.unwrap_err());
    assert!(msg.contains("`basicAuth`") && msg.contains("`basic_auth`"), "{msg}");
    let msg = config_message(client.cookie_key().theme("dark").send().await.unwrap_err());
    assert!(msg.contains("`apiKeyCookie`") && msg.contains("`api_key_cookie`"), "{msg}");
    let msg = config_message(client.oauth_only().send().await.unwrap_err());
    assert!(msg.contains("`oauth`"), "{msg}");
    // A credential for another scheme doesn't help.
    let header_only = bare(addr).api_key_header(HEADER_KEY).build().unwrap();
    let msg = config_message(header_only.query_key().send().await.unwrap_err());
    assert!(msg.contains("`apiKeyQuery`") && msg.contains("`api_key_query`"), "{msg}");
    assert_eq!(rec.count(), 0, "nothing may be sent without the credentials");
}

#[tokio::test]
async fn the_first_alternative_whose_credentials_are_all_set_is_sent() {
    let (addr, rec) = server().await;
    // Both alternatives can be met: the first (header and query keys together) is sent alone.
    full(addr).build().unwrap().either().send().await.unwrap();
    let seen = rec.nth(1);
    assert_eq!(seen.header("x-api-key"), Some(HEADER_KEY));
    assert_eq!(seen.query(), Some("api_key=query%2Fkey%203"));
    assert_eq!(seen.header("authorization"), None);
    // Half of the first alternative isn't enough: the second is sent, and only it.
    let client = bare(addr).api_key_header(HEADER_KEY).basic_auth(USER, PASSWORD).build().unwrap();
    client.either().send().await.unwrap();
    let seen = rec.nth(2);
    assert_eq!(seen.header("authorization"), Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assert_eq!((seen.header("x-api-key"), seen.query()), (None, None));
    // Neither can be met: the error lists both.
    let client = bare(addr).api_key_header(HEADER_KEY).build().unwrap();
    let msg = config_message(client.either().send().await.unwrap_err());
    assert_eq!(
        msg,
        "`either` needs credentials the client was not given: `apiKeyHeader` and `apiKeyQuery` (call \
         `api_key_header` and `api_key_query` on the client builder), or `basicAuth` (call `basic_auth` \
         on the client builder)"
    );
    assert_eq!(rec.count(), 2);
}

#[tokio::test]
async fn credentials_never_show_in_debug_output() {
    let (addr, _rec) = server().await;
    let builder = full(addr);
    let client = builder.clone().build().unwrap();
    for text in
        [format!("{builder:?}"), format!("{builder:#?}"), format!("{client:?}"), format!("{client:#?}")]
    {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret:?} shows in {text}");
        }
    }
    let builder_text = format!("{builder:?}");
    assert!(builder_text.contains("apiKeyHeader") && builder_text.contains("redacted"), "{builder_text}");
}

#[tokio::test]
async fn a_query_key_does_not_show_in_connection_errors() {
    // A port nothing listens on.
    let addr = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
    let client = full(addr).build().unwrap();
    let err = client.query_key().q("visible").send().await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("query%2Fkey") && !text.contains(QUERY_KEY), "{text}");
}

/// reqwest drops `Authorization` and `Cookie` on a redirect to another host but not other
/// headers: an API key header must not follow one there. Within the origin it does.
#[tokio::test]
async fn an_api_key_header_follows_redirects_only_within_the_origin() {
    let (addr, rec) = server().await;
    let (elsewhere, other) = server().await;
    let client = full(addr).build().unwrap();

    *rec.redirect_to.lock().unwrap() = Some("/landing".to_string());
    client.header_key().send().await.unwrap();
    let followed = rec.nth(2);
    assert_eq!(followed.uri.path(), "/landing");
    assert_eq!(followed.header("x-api-key"), Some(HEADER_KEY));

    *rec.redirect_to.lock().unwrap() = Some(format!("http://localhost:{}/landing", elsewhere.port()));
    let result = client.header_key().send().await;
    assert_eq!(rec.count(), 3);
    for seen in other.requests() {
        assert_eq!(seen.header("x-api-key"), None, "the key followed the redirect to another host");
    }
    assert_eq!(other.count(), 0, "the redirect to another origin is not followed");
    let err = result.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err:?}");
}
