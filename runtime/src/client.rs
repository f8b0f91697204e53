//! The client: configuration, and the one loop every call goes through (build the request,
//! send it while watching for progress, classify the answer, wait and retry when that can help).

use crate::auth::{Applied, Credential, Credentials};
use crate::body::Activity;
use crate::error::{ApiError, TimeoutKind, Untyped as Error};
use crate::options::RequestOptions;
use crate::request::{Operation, Request};
use crate::response::RawResponse;
use crate::retry;
use crate::secret::{RedactedPairs, Secret};
use futures_util::future::{select, Either};
use http::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT};
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The default idle timeout: how long a call may go without sending or receiving anything.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default limit on opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt, by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Settings for a [`Client`]. Its `Debug` output never shows the API key, other credentials or
/// header values.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<Secret<String>>,
    require_api_key: bool,
    credentials: Vec<(String, Credential)>,
    base_url: Option<String>,
    default_base_url: Option<String>,
    env_names: Option<(&'static str, &'static str)>,
    http: Option<reqwest::Client>,
    max_retries: u32,
    timeout: Duration,
    deadline: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    headers: Vec<(String, Secret<String>)>,
    default_query: Vec<(String, String)>,
    hooks: Vec<RequestHook>,
}

/// A step every request goes through just before it is sent (see [`ClientBuilder::on_request`]).
pub type RequestHook =
    Arc<dyn Fn(&mut reqwest::Request) -> Result<(), Box<dyn std::error::Error + Send + Sync>> + Send + Sync>;

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("credentials", &RedactedPairs(&self.credentials))
            .field("base_url", &self.base_url)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("connect_timeout", &self.connect_timeout)
            .field("headers", &RedactedPairs(&self.headers))
            .field("default_query", &self.default_query)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            require_api_key: true,
            credentials: Vec::new(),
            base_url: None,
            default_base_url: None,
            env_names: None,
            http: None,
            max_retries: DEFAULT_MAX_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            deadline: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("ferrospec-runtime/", env!("CARGO_PKG_VERSION")).to_string(),
            headers: Vec::new(),
            default_query: Vec::new(),
            hooks: Vec::new(),
        }
    }
}

impl ClientBuilder {
    /// Default settings: no key, no base URL.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API key: the credential of the document's primary scheme (its first bearer-like
    /// one), sent as `Authorization: Bearer ...` by the operations that need it.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key.into()));
        self
    }

    /// Whether `build` refuses a builder without an API key (it does by default). Generated
    /// clients turn this off when some operation of their document needs no API key: calls that
    /// need credentials the client lacks then fail before sending, naming what to set.
    pub fn require_api_key(mut self, required: bool) -> Self {
        self.require_api_key = required;
        self
    }

    /// The key or token for the security scheme the document names `scheme` (an API key in a
    /// header, query parameter or cookie, or a bearer token), sent by the operations whose
    /// requirement names that scheme. Never shown by `Debug`.
    pub fn credential(mut self, scheme: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_credential(scheme.into(), Credential::Token(Secret::new(value.into())));
        self
    }

    /// The user name and password for the HTTP basic authentication scheme the document names
    /// `scheme`. Never shown by `Debug`.
    pub fn basic_credentials(
        mut self,
        scheme: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        let credential = Credential::Basic {
            username: Secret::new(username.into()),
            password: Secret::new(password.into()),
        };
        self.set_credential(scheme.into(), credential);
        self
    }

    fn set_credential(&mut self, scheme: String, credential: Credential) {
        self.credentials.retain(|(k, _)| *k != scheme);
        self.credentials.push((scheme, credential));
    }

    /// The server's base URL (`https://host[/prefix]`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The base URL used when neither `base_url` nor the environment gives one (the document's
    /// first server).
    pub fn default_base_url(mut self, url: impl Into<String>) -> Self {
        self.default_base_url = Some(url.into());
        self
    }

    /// The environment variables `from_env` reads, and that error messages mention.
    pub fn env_names(mut self, api_key: &'static str, base_url: &'static str) -> Self {
        self.env_names = Some((api_key, base_url));
        self
    }

    /// Takes the API key and base URL from the environment where they are set and non-empty,
    /// and only where this builder has none yet: settings made explicitly, before or after,
    /// win over the environment.
    pub fn from_env(mut self) -> Self {
        if let Some((key_var, url_var)) = self.env_names {
            let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            if self.api_key.is_none() {
                self.api_key = var(key_var).map(Secret::new);
            }
            if self.base_url.is_none() {
                self.base_url = var(url_var);
            }
        }
        self
    }

    /// Your own `reqwest::Client` (its pool, proxy and TLS settings); the connect timeout set
    /// here then doesn't apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Retries after the first attempt (0 turns them off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The idle timeout (default 60 s): an attempt fails when nothing has been sent or received
    /// for this long, as httpx's read and write timeouts do. A large upload or download that
    /// keeps moving never runs into it; the wait for the answer after the last bytes went to the
    /// OS (whose buffers hold a few MB) counts as waiting to receive.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A limit on every whole call, retries and the waits between them included (none by
    /// default).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The limit on opening a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (generated clients set `<their crate>/<its version>`; the runtime's
    /// own default is `ferrospec-runtime/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A header sent with every request (its value never appears in `Debug` output).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value.into())));
        self
    }

    /// A step every request goes through just before it is sent, each attempt of a retried
    /// call included: the request is complete (URL, headers with credentials, body), so a hook
    /// can sign it or add a header computed from it. A body the runtime holds in memory is
    /// readable (`request.body().and_then(|b| b.as_bytes())`); a file streamed from disk is not.
    /// An `Err` stops the call before anything is sent, as [`Error::Hook`]. Hooks run in the
    /// order they were added.
    pub fn on_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&mut reqwest::Request) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
            + Send
            + Sync
            + 'static,
    {
        self.hooks.push(Arc::new(hook));
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

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.api_key.filter(|k| !k.expose().trim().is_empty());
        if key.is_none() && self.require_api_key {
            let hint = match self.env_names {
                Some((var, _)) => format!("set {var} or call `api_key` on the builder"),
                None => "call `api_key` on the builder".to_string(),
            };
            return Err(Error::Config(format!("no API key: {hint}")));
        }
        let base = self.base_url.or(self.default_base_url).ok_or_else(|| {
            let hint = match self.env_names {
                Some((_, var)) => format!("set {var} or call `base_url` on the builder"),
                None => "call `base_url` on the builder".to_string(),
            };
            Error::Config(format!("no base URL (the API document names no server): {hint}"))
        })?;
        let parsed =
            reqwest::Url::parse(&base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {base:?} must use http or https")));
        }
        if let Some(k) = &key {
            HeaderValue::from_str(&format!("Bearer {}", k.expose()))
                .map_err(|_| Error::Config("the API key contains characters a header cannot carry".into()))?;
        }
        let headers = header_pairs(&self.headers)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::InvalidArgument("the user agent contains characters a header cannot carry".into())
        })?;
        let own_http = self.http.is_none();
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let credentials = Credentials::new(key, self.credentials, self.env_names.map(|(var, _)| var));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: base.trim_end_matches('/').to_string(),
                credentials,
                own_http,
                same_origin_http: OnceLock::new(),
                unfollowing_http: OnceLock::new(),
                user_agent,
                headers,
                default_query: self.default_query,
                hooks: self.hooks,
                max_retries: self.max_retries,
                timeout: self.timeout,
                deadline: self.deadline,
                connect_timeout: self.connect_timeout,
            }),
        })
    }
}

/// Checked header pairs, values marked sensitive (so `Debug` of the request hides them).
fn header_pairs(pairs: &[(String, Secret<String>)]) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    pairs
        .iter()
        .map(|(k, v)| {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| Error::InvalidArgument(format!("header name {k:?} is not valid")))?;
            let mut value = HeaderValue::from_str(v.expose()).map_err(|_| {
                Error::InvalidArgument(format!("header `{k}` has a value a header cannot carry"))
            })?;
            value.set_sensitive(true);
            Ok((name, value))
        })
        .collect()
}

/// A configured client. Cheap to clone (clones share one connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Credentials,
    /// Whether `http` is the client built here (not one the caller brought).
    own_http: bool,
    /// Built when first needed: a client like `http` that follows redirects only within the
    /// origin, for calls whose credentials travel in a header reqwest would carry elsewhere.
    same_origin_http: OnceLock<Result<reqwest::Client, String>>,
    /// Built when first needed: a client like `http` that follows no redirect, for operations
    /// whose documented answer is the redirect itself.
    unfollowing_http: OnceLock<Result<reqwest::Client, String>>,
    user_agent: HeaderValue,
    headers: Vec<(HeaderName, HeaderValue)>,
    default_query: Vec<(String, String)>,
    max_retries: u32,
    timeout: Duration,
    deadline: Option<Duration>,
    connect_timeout: Duration,
    hooks: Vec<RequestHook>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.inner.headers.iter().map(|(k, _)| k.as_str()).collect();
        let credentials = &self.inner.credentials;
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &credentials.api_key)
            .field("credentials", &RedactedPairs(&credentials.by_scheme))
            .field("headers", &header_names)
            .field("max_retries", &self.inner.max_retries)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("default_query", &self.inner.default_query)
            .finish_non_exhaustive()
    }
}

/// A success answer: read whole, or (for a stream) with its body still to come.
enum Answer {
    Read(RawResponse),
    #[cfg_attr(not(feature = "streams"), allow(dead_code))]
    Open(OpenResponse),
}

/// A success answer whose body is still to come (for generated code's stream formats).
#[doc(hidden)]
#[cfg_attr(not(feature = "streams"), allow(dead_code))]
pub struct OpenResponse {
    pub(crate) status: http::StatusCode,
    pub(crate) body: reqwest::Response,
    /// The idle timeout between chunks.
    pub(crate) idle: Duration,
}

/// How one attempt ended.
enum Attempt {
    Done(Result<Answer, Error>),
    /// Worth another try, after the given server headers (if any) are considered.
    Retry(Error, Option<http::HeaderMap>),
}

/// The limits one call runs under.
struct Limits {
    idle: Duration,
    deadline: Option<(Instant, Duration)>,
}

impl Client {
    /// Settings for a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request`, retrying transient failures, and returns the successful response.
    #[doc(hidden)]
    pub async fn execute(&self, request: Request, options: &RequestOptions) -> Result<RawResponse, Error> {
        match self.exchange(request, options, false).await? {
            Answer::Read(raw) => Ok(raw),
            Answer::Open(_) => unreachable!("an exchange that isn't open reads every body"),
        }
    }

    /// [`execute`](Client::execute), but a success's body is left unread: the caller reads it
    /// as it comes (a stream), under the idle timeout. An error's body is read, as always.
    #[cfg(feature = "streams")]
    pub(crate) async fn execute_open(
        &self,
        request: Request,
        options: &RequestOptions,
    ) -> Result<OpenResponse, Error> {
        match self.exchange(request, options, true).await? {
            Answer::Open(open) => Ok(open),
            Answer::Read(_) => unreachable!("an open exchange leaves every success body unread"),
        }
    }

    async fn exchange(
        &self,
        mut request: Request,
        options: &RequestOptions,
        open: bool,
    ) -> Result<Answer, Error> {
        if let Some(problem) = options.invalid.first() {
            return Err(Error::InvalidArgument(problem.clone()));
        }
        request.add_body_fields(&options.body)?;
        let extra_headers = header_pairs(&options.headers)?;
        let op = request.operation;
        let auth = self.inner.credentials.apply(op.id, op.security)?;
        let http = self.http_for(&auth, op)?;
        let max_retries = options.max_retries.unwrap_or(self.inner.max_retries);
        let limits = Limits {
            idle: options.timeout.unwrap_or(self.inner.timeout),
            deadline: options.deadline.or(self.inner.deadline).map(|d| (Instant::now() + d, d)),
        };
        let query: Vec<(String, String)>;
        let extra_query = if auth.query.is_empty() {
            &options.query
        } else {
            query = options.query.iter().chain(&auth.query).cloned().collect();
            &query
        };
        let mut url = String::with_capacity(self.inner.base_url.len() + 128);
        url.push_str(&self.inner.base_url);
        request.push_path_and_query(&mut url, &self.inner.default_query, extra_query);
        let idempotency_key = op.idempotency_key.then(crate::random::uuid);
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
                let outcome = self
                    .attempt(
                        http,
                        &request,
                        &url,
                        &auth,
                        &extra_headers,
                        retry_no,
                        idempotency_key.as_deref(),
                        &limits,
                        open,
                    )
                    .await;
                let elapsed_ms = started.elapsed().as_millis() as u64;
                match outcome {
                    Attempt::Done(result) => {
                        let status = match &result {
                            Ok(Answer::Read(r)) => Some(r.status.as_u16()),
                            Ok(Answer::Open(r)) => Some(r.status.as_u16()),
                            Err(e) => e.status().map(|s| s.as_u16()),
                        };
                        tracing::debug!(attempt = retry_no, status, elapsed_ms, "request finished");
                        return result;
                    }
                    Attempt::Retry(error, headers) => {
                        let wait = retry::delay(retry_no, headers.as_ref(), crate::random::unit());
                        let past_deadline =
                            limits.deadline.is_some_and(|(at, _)| Instant::now() + wait >= at);
                        if retry_no >= max_retries || past_deadline {
                            tracing::debug!(attempt = retry_no, elapsed_ms, error = %error, "giving up");
                            return Err(error);
                        }
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

    /// The HTTP client for a call. An operation whose documented answer is a redirect gets one
    /// that follows none, so the caller sees the status and `Location` the document describes.
    /// A call whose credentials travel in a header reqwest would carry along (reqwest itself
    /// drops only `Authorization` and `Cookie`) gets one that won't follow a redirect to another
    /// origin. A client the caller brought is used as it is.
    fn http_for(&self, auth: &Applied, op: &Operation) -> Result<&reqwest::Client, Error> {
        if !self.inner.own_http {
            return Ok(&self.inner.http);
        }
        let (cell, policy) = if op.answers_redirect() {
            (&self.inner.unfollowing_http, reqwest::redirect::Policy::none())
        } else if auth.custom_header {
            let same_origin = reqwest::redirect::Policy::custom(|attempt| {
                let same_origin =
                    attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
                if attempt.previous().len() > 10 {
                    attempt.error("too many redirects")
                } else if same_origin {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            });
            (&self.inner.same_origin_http, same_origin)
        } else {
            return Ok(&self.inner.http);
        };
        let built = cell.get_or_init(|| {
            reqwest::Client::builder()
                .connect_timeout(self.inner.connect_timeout)
                .redirect(policy)
                .build()
                .map_err(|e| format!("cannot build the HTTP client: {e}"))
        });
        built.as_ref().map_err(|e| Error::Config(e.clone()))
    }

    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        http: &reqwest::Client,
        request: &Request,
        url: &str,
        auth: &Applied,
        extra_headers: &[(HeaderName, HeaderValue)],
        retry_no: u32,
        idempotency_key: Option<&str>,
        limits: &Limits,
        open: bool,
    ) -> Attempt {
        let op = request.operation;
        let mut b = http
            .request(op.method.clone(), url)
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header(ACCEPT, static_value(request.accept.unwrap_or(op.accept)))
            .header(RETRY_COUNT, retry_count(retry_no));
        if let Some(key) = idempotency_key {
            b = b.header(retry::IDEMPOTENCY_KEY_HEADER, key);
        }
        for (k, v) in &request.headers {
            b = b.header(*k, v.as_str());
        }
        let cookies = request.cookie_header().into_iter().chain(auth.cookies.iter().cloned());
        let cookies = cookies.collect::<Vec<_>>().join("; ");
        if !cookies.is_empty() {
            let mut c = HeaderValue::from_str(&cookies).unwrap_or_else(|_| HeaderValue::from_static(""));
            c.set_sensitive(true);
            b = b.header(COOKIE, c);
        }
        // Credentials, then client-wide, then per-call headers: the last one set for a name
        // wins. A header parameter the call sets wins over a credential of the same name.
        let credentials = auth
            .headers
            .iter()
            .filter(|(k, _)| !request.headers.iter().any(|(p, _)| k.as_str().eq_ignore_ascii_case(p)));
        if self.inner.headers.is_empty() && extra_headers.is_empty() && auth.headers.len() <= 1 {
            // The usual call: at most one credential header, nothing to override.
            for (k, v) in credentials {
                b = b.header(k.clone(), v.clone());
            }
        } else {
            let mut headers = http::HeaderMap::new();
            for (k, v) in credentials.chain(&self.inner.headers).chain(extra_headers) {
                headers.insert(k.clone(), v.clone());
            }
            b = b.headers(headers);
        }
        let activity = Activity::new();
        match &request.body {
            Some(body) => {
                b = b
                    .header(CONTENT_TYPE, body.content_type.as_str())
                    .header(http::header::CONTENT_LENGTH, body.len())
                    .body(body.for_attempt(&activity));
            }
            // A POST, PUT or PATCH without a body still says so (`Content-Length: 0`): some
            // proxies answer 411 otherwise.
            None if matches!(op.method, http::Method::POST | http::Method::PUT | http::Method::PATCH) => {
                b = b.header(http::header::CONTENT_LENGTH, "0").body(bytes::Bytes::new())
            }
            None => {}
        }
        use futures_util::future::Either;
        let replay_safe = retry::replay_safe(&op.method, op.idempotency_key);
        // Without hooks the builder sends itself; with them the request is built, handed to
        // each hook, then executed.
        let send = match self.inner.hooks.as_slice() {
            [] => Either::Left(b.send()),
            hooks => {
                let (client, built) = b.build_split();
                let mut built = match built {
                    Ok(r) => r,
                    Err(e) => {
                        return Attempt::Done(Err(Error::Config(format!("cannot build the request: {e}"))))
                    }
                };
                for hook in hooks {
                    if let Err(e) = hook(&mut built) {
                        return Attempt::Done(Err(Error::Hook(e)));
                    }
                }
                Either::Right(client.execute(built))
            }
        };
        let exchange = async {
            let mut resp = send.await?;
            activity.touch();
            let status = resp.status();
            // Taken, not copied: reading the body needs no headers.
            let headers = std::mem::take(resp.headers_mut());
            if open && op.is_answer(status) {
                return Ok::<_, reqwest::Error>((status, headers, Err(resp)));
            }
            // A body that comes in one chunk (most JSON answers) is kept as it came.
            let mut body = bytes::Bytes::new();
            let mut joined: Option<bytes::BytesMut> = None;
            while let Some(chunk) = resp.chunk().await? {
                activity.touch();
                match &mut joined {
                    Some(joined) => joined.extend_from_slice(&chunk),
                    None if body.is_empty() => body = chunk,
                    None => {
                        let mut both = bytes::BytesMut::with_capacity(body.len() + chunk.len());
                        both.extend_from_slice(&body);
                        both.extend_from_slice(&chunk);
                        joined = Some(both);
                    }
                }
            }
            Ok((status, headers, Ok(joined.map_or(body, bytes::BytesMut::freeze))))
        };
        let outcome = match watch(exchange, &activity, limits).await {
            Ok(outcome) => outcome,
            Err(e) => {
                return if replay_safe && e.kind != TimeoutKind::Deadline {
                    Attempt::Retry(e.into(), None)
                } else {
                    Attempt::Done(Err(e.into()))
                };
            }
        };
        match outcome {
            Err(_) if activity.body_failure().is_some() => {
                // Reading the body failed here (a file changed or vanished): sending it again
                // can't help.
                Attempt::Done(Err(Error::Upload(activity.body_failure().unwrap_or_default())))
            }
            Err(mut e) => {
                // A key sent as a query parameter must not show in the error's URL.
                if let Some(u) = e.url_mut().filter(|_| !auth.query.is_empty()) {
                    redact_query(u, &auth.query);
                }
                // Nothing reached the server when the connection could not be opened.
                let before_sending = e.is_connect();
                let err = if e.is_connect() && e.is_timeout() {
                    Error::Timeout { kind: TimeoutKind::Connect, limit: self.inner.connect_timeout }
                } else if e.is_timeout() {
                    Error::Timeout { kind: TimeoutKind::Idle, limit: limits.idle }
                } else {
                    Error::Connection { message: describe(&e), source: Some(Box::new(e)) }
                };
                if before_sending || replay_safe {
                    Attempt::Retry(err, None)
                } else {
                    Attempt::Done(Err(err))
                }
            }
            Ok((status, _, Err(body))) => {
                Attempt::Done(Ok(Answer::Open(OpenResponse { status, body, idle: limits.idle })))
            }
            Ok((status, headers, Ok(body))) => {
                if op.is_answer(status) {
                    return Attempt::Done(Ok(Answer::Read(RawResponse { status, headers, body })));
                }
                let retryable =
                    retry::status_is_retryable(status, &headers, op.documented_statuses, replay_safe);
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

/// `x-retry-count`, named without parsing it again on every call.
const RETRY_COUNT: HeaderName = HeaderName::from_static(retry::RETRY_COUNT_HEADER);

/// The retry count as a header value, without allocating for the usual few.
fn retry_count(n: u32) -> HeaderValue {
    const SMALL: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    match SMALL.get(n as usize) {
        Some(s) => HeaderValue::from_static(s),
        None => HeaderValue::from(n),
    }
}

/// A header value from the generated code's text (a media type), without copying it when it is
/// plain ASCII; a control character (never in a valid document) gives `*/*`, not a panic.
fn static_value(text: &'static str) -> HeaderValue {
    if text.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
        HeaderValue::from_static(text)
    } else {
        HeaderValue::from_bytes(text.as_bytes()).unwrap_or(HeaderValue::from_static("*/*"))
    }
}

/// A timeout that ended an attempt.
struct Expired {
    kind: TimeoutKind,
    limit: Duration,
}

impl From<Expired> for Error {
    fn from(e: Expired) -> Error {
        Error::Timeout { kind: e.kind, limit: e.limit }
    }
}

/// Runs `work` until it finishes, nothing has moved for the idle limit, or the deadline passes.
async fn watch<F: std::future::Future>(
    work: F,
    activity: &Activity,
    limits: &Limits,
) -> Result<F::Output, Expired> {
    let mut work = std::pin::pin!(work);
    loop {
        let idle_at = activity.idle_at(limits.idle);
        let (wake, expired) = match limits.deadline {
            Some((at, limit)) if at <= idle_at => (at, Expired { kind: TimeoutKind::Deadline, limit }),
            _ => (idle_at, Expired { kind: TimeoutKind::Idle, limit: limits.idle }),
        };
        let sleep = std::pin::pin!(tokio::time::sleep_until(wake.into()));
        match select(work.as_mut(), sleep).await {
            Either::Left((output, _)) => return Ok(output),
            // Progress since the timer was set moves the idle limit on.
            Either::Right(_)
                if expired.kind == TimeoutKind::Idle && activity.idle_at(limits.idle) > Instant::now() => {}
            Either::Right(_) => return Err(expired),
        }
    }
}

/// Replaces the values of the query parameters that carry credentials.
fn redact_query(url: &mut reqwest::Url, credentials: &[(String, String)]) {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = credentials.iter().any(|(name, _)| *name == k);
            (k.into_owned(), if secret { "<redacted>".to_string() } else { v.into_owned() })
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
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
