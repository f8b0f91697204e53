//! The client: configuration, and the one loop every call goes through (build the request,
//! send it with a time limit, classify the answer, wait and retry when that can help).

use crate::error::{ApiError, Error, TimeoutKind};
use crate::request::{Request, RequestOptions};
use crate::response::RawResponse;
use crate::retry;
use http::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// An API key that never shows itself in `Debug` output.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// Settings for a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    base_url: Option<String>,
    env_names: Option<(&'static str, &'static str)>,
    http: Option<reqwest::Client>,
    max_retries: u32,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    headers: Vec<(String, String)>,
    default_query: Vec<(String, String)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            env_names: None,
            http: None,
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("llama-cloud-rs/", env!("CARGO_PKG_VERSION")).to_string(),
            headers: Vec::new(),
            default_query: Vec::new(),
        }
    }
}

impl ClientBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The environment variables `from_env` reads, and that error messages mention.
    pub fn env_names(mut self, api_key: &'static str, base_url: &'static str) -> Self {
        self.env_names = Some((api_key, base_url));
        self
    }

    /// Takes the API key and base URL from the environment where they are set and non-empty.
    pub fn from_env(mut self) -> Self {
        if let Some((key_var, url_var)) = self.env_names {
            if let Some(k) = std::env::var(key_var).ok().filter(|v| !v.is_empty()) {
                self.api_key = Some(Secret(k));
            }
            if let Some(u) = std::env::var(url_var).ok().filter(|v| !v.is_empty()) {
                self.base_url = Some(u);
            }
        }
        self
    }

    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A query parameter sent with every request whose operation declares it and whose call
    /// leaves it unset.
    pub fn default_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.default_query.retain(|(k, _)| *k != name);
        self.default_query.push((name, value.into()));
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let key = match self.api_key {
            Some(Secret(k)) if !k.trim().is_empty() => k,
            _ => {
                let hint = match self.env_names {
                    Some((var, _)) => format!("set {var} or call `api_key` on the builder"),
                    None => "call `api_key` on the builder".to_string(),
                };
                return Err(Error::Config(format!("no API key: {hint}")));
            }
        };
        let base = self
            .base_url
            .ok_or_else(|| Error::Config("no base URL: call `base_url` on the builder".into()))?;
        let parsed =
            reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {base:?} must use http or https")));
        }
        let auth = HeaderValue::from_str(&format!("Bearer {key}"))
            .map_err(|_| Error::Config("the API key contains characters a header cannot carry".into()))?;
        let mut auth = auth;
        auth.set_sensitive(true);
        let mut headers = Vec::with_capacity(self.headers.len());
        for (k, v) in self.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| Error::InvalidArgument(format!("header name {k:?} is not valid")))?;
            let value = HeaderValue::from_str(&v).map_err(|_| {
                Error::InvalidArgument(format!("header `{k}` has a value a header cannot carry"))
            })?;
            headers.push((name, value));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::InvalidArgument("the user agent contains characters a header cannot carry".into())
        })?;
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base.trim_end_matches('/').to_string(),
                auth,
                user_agent,
                headers,
                default_query: self.default_query,
                max_retries: self.max_retries,
                timeout: self.timeout,
                connect_timeout: self.connect_timeout,
            }),
        })
    }
}

/// A configured client. Cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: HeaderValue,
    user_agent: HeaderValue,
    headers: Vec<(HeaderName, HeaderValue)>,
    default_query: Vec<(String, String)>,
    max_retries: u32,
    timeout: Duration,
    connect_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .field("max_retries", &self.inner.max_retries)
            .field("timeout", &self.inner.timeout)
            .field("default_query", &self.inner.default_query)
            .finish_non_exhaustive()
    }
}

/// How one attempt ended.
enum Attempt {
    Done(Result<RawResponse, Error>),
    /// Worth another try, after the given server headers (if any) are considered.
    Retry(Error, Option<http::HeaderMap>),
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`, retrying transient failures, and returns the successful response.
    pub async fn execute(&self, request: Request, options: &RequestOptions) -> Result<RawResponse, Error> {
        let op = request.operation;
        let max_retries = options.max_retries.unwrap_or(self.inner.max_retries);
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        let url = format!("{}{}", self.inner.base_url, request.path_and_query(&self.inner.default_query));
        let idempotency_key = retry::wants_idempotency_key(&op.method).then(crate::random::uuid);
        let span = tracing::debug_span!(
            "http_request",
            operation = op.id,
            method = %op.method,
            path = op.path,
        );
        async move {
            let mut retry_no = 0u32;
            loop {
                let started = Instant::now();
                let outcome = self.attempt(&request, &url, retry_no, idempotency_key.as_deref(), timeout).await;
                let elapsed_ms = started.elapsed().as_millis() as u64;
                match outcome {
                    Attempt::Done(result) => {
                        let status = match &result {
                            Ok(r) => Some(r.status.as_u16()),
                            Err(e) => e.status().map(|s| s.as_u16()),
                        };
                        tracing::debug!(attempt = retry_no, status, elapsed_ms, "request finished");
                        return result;
                    }
                    Attempt::Retry(error, headers) => {
                        if retry_no >= max_retries {
                            tracing::debug!(attempt = retry_no, elapsed_ms, error = %error, "giving up");
                            return Err(error);
                        }
                        let wait = retry::delay(retry_no, headers.as_ref(), crate::random::unit());
                        tracing::debug!(attempt = retry_no, elapsed_ms, error = %error, wait_ms = wait.as_millis() as u64, "retrying");
                        tokio::time::sleep(wait).await;
                        retry_no += 1;
                    }
                }
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        request: &Request,
        url: &str,
        retry_no: u32,
        idempotency_key: Option<&str>,
        timeout: Duration,
    ) -> Attempt {
        let op = request.operation;
        let mut b = self
            .inner
            .http
            .request(op.method.clone(), url)
            .header(AUTHORIZATION, self.inner.auth.clone())
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header(ACCEPT, op.accept)
            .header(retry::RETRY_COUNT_HEADER, retry_no.to_string());
        for (k, v) in &self.inner.headers {
            b = b.header(k, v);
        }
        if let Some(key) = idempotency_key {
            b = b.header(retry::IDEMPOTENCY_KEY_HEADER, key);
        }
        for (k, v) in &request.headers {
            b = b.header(*k, v.as_str());
        }
        if let Some(c) = request.cookie_header() {
            b = b.header(COOKIE, c);
        }
        match &request.body {
            Some((ct, chunks)) => {
                b = b.header(CONTENT_TYPE, ct.as_str());
                b = match chunks.as_slice() {
                    [one] => b.body(one.clone()),
                    many => {
                        let len: usize = many.iter().map(bytes::Bytes::len).sum();
                        let parts: Vec<Result<bytes::Bytes, std::io::Error>> =
                            many.iter().cloned().map(Ok).collect();
                        b.header(http::header::CONTENT_LENGTH, len)
                            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(parts)))
                    }
                };
            }
            // A POST, PUT or PATCH without a body still says so (`Content-Length: 0`): some
            // proxies answer 411 otherwise.
            None if matches!(op.method, http::Method::POST | http::Method::PUT | http::Method::PATCH) => {
                b = b.header(http::header::CONTENT_LENGTH, "0").body(bytes::Bytes::new())
            }
            None => {}
        }
        let replay_safe = retry::replay_safe(&op.method, idempotency_key.is_some());
        let exchange = async {
            let resp = b.send().await?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = resp.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Err(_) => {
                let e = Error::Timeout { kind: TimeoutKind::Request, limit: timeout };
                if replay_safe {
                    Attempt::Retry(e, None)
                } else {
                    Attempt::Done(Err(e))
                }
            }
            Ok(Err(e)) => {
                // Nothing reached the server when the connection could not be opened.
                let before_sending = e.is_connect();
                let err = if e.is_connect() && e.is_timeout() {
                    Error::Timeout { kind: TimeoutKind::Connect, limit: self.inner.connect_timeout }
                } else if e.is_timeout() {
                    Error::Timeout { kind: TimeoutKind::Request, limit: timeout }
                } else {
                    Error::Connection { message: describe(&e), source: Some(Box::new(e)) }
                };
                if before_sending || replay_safe {
                    Attempt::Retry(err, None)
                } else {
                    Attempt::Done(Err(err))
                }
            }
            Ok(Ok((status, headers, body))) => {
                if status.is_success() {
                    return Attempt::Done(Ok(RawResponse { status, headers, body }));
                }
                let retryable = retry::status_is_retryable(status, &headers, op.documented_statuses);
                let err = Error::from_status(ApiError::new(op.id, status, headers.clone(), body));
                if retryable {
                    Attempt::Retry(err, Some(headers))
                } else {
                    Attempt::Done(Err(err))
                }
            }
        }
    }
}

/// reqwest's message followed by its causes (the root cause is what a person can act on).
fn describe(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
