//! A tiny scripted HTTP/1.1 server for the runtime's integration tests, and shared fixtures.
//!
//! Every accepted connection serves exactly one request: the server reads the request head and
//! its `Content-Length` body, records them, takes the next scripted [`Reply`] (or a 418 with
//! `x-should-retry: false` once the script is used up), optionally sleeps, writes the reply's raw
//! bytes and closes the connection. Raw replies let tests send malformed or truncated answers.
//!
//! Everything is bounded: the accept loop stops after [`SERVER_LIFETIME`] or [`MAX_CONNECTIONS`],
//! every read and write has a time limit, and dropping the [`Server`] aborts its tasks.

#![allow(dead_code)]

use ferrospec_runtime::__private::{AuthScheme, Operation};
use ferrospec_runtime::{Client, ClientBuilder, Error, Method, Page};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The API key every test client uses; it must never show up in any output.
pub const SECRET: &str = "sk-secret-123";

pub const SERVER_LIFETIME: Duration = Duration::from_secs(20);
pub const MAX_CONNECTIONS: usize = 64;
const IO_LIMIT: Duration = Duration::from_secs(5);
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the request head had arrived.
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    delay: Duration,
    hold: Duration,
    kind: ReplyKind,
}

#[derive(Debug, Clone)]
enum ReplyKind {
    Http { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    Raw(Vec<u8>),
}

impl Reply {
    /// A well-formed answer with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply {
            delay: Duration::ZERO,
            hold: Duration::ZERO,
            kind: ReplyKind::Http { status, headers: Vec::new(), body: Vec::new() },
        }
    }

    /// A well-formed JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply::status(status).header("content-type", "application/json").body(body.into().into_bytes())
    }

    /// Exactly these bytes, then the connection is closed.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply { delay: Duration::ZERO, hold: Duration::ZERO, kind: ReplyKind::Raw(bytes.into()) }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let ReplyKind::Http { headers, .. } = &mut self.kind {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }

    pub fn body(mut self, bytes: impl Into<Vec<u8>>) -> Reply {
        if let ReplyKind::Http { body, .. } = &mut self.kind {
            *body = bytes.into();
        }
        self
    }

    /// Sleep this long after reading the request, before answering.
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }

    /// Keep the connection open this long after writing (bounded), e.g. to stall mid-body.
    pub fn hold(mut self, d: Duration) -> Reply {
        self.hold = d;
        self
    }

    /// An error status the client retries at once (`retry-after-ms: 0`), to keep tests fast.
    pub fn fast_retry(status: u16, body: &str) -> Reply {
        Reply::json(status, body).header("retry-after-ms", "0")
    }

    fn exhausted() -> Reply {
        Reply::json(418, r#"{"detail":"the test script has no more replies"}"#)
            .header("x-should-retry", "false")
    }

    fn to_bytes(&self) -> Vec<u8> {
        match &self.kind {
            ReplyKind::Raw(b) => b.clone(),
            ReplyKind::Http { status, headers, body } => {
                let reason = ferrospec_runtime::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Whatever");
                let mut out = format!("HTTP/1.1 {status} {reason}\r\n");
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()));
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(body);
                bytes
            }
        }
    }
}

struct State {
    script: VecDeque<Reply>,
    log: Vec<Recorded>,
}

/// A running scripted server on 127.0.0.1.
pub struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Server {
    pub async fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State { script: script.into(), log: Vec::new() }));
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        Server { addr, state, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn count(&self) -> usize {
        self.state.lock().unwrap().log.len()
    }

    /// A client for this server with the test API key.
    pub fn client(&self) -> Client {
        self.builder().build().expect("client")
    }

    pub fn builder(&self) -> ClientBuilder {
        Client::builder().api_key(SECRET).base_url(self.url())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>) {
    let deadline = tokio::time::Instant::now() + SERVER_LIFETIME;
    let mut conns = JoinSet::new();
    for _ in 0..MAX_CONNECTIONS {
        match tokio::time::timeout_at(deadline, listener.accept()).await {
            Ok(Ok((stream, _))) => {
                conns.spawn(serve(stream, state.clone()));
            }
            _ => break,
        }
    }
    // Let the answers in flight finish (each is bounded), then stop.
    let _ = tokio::time::timeout_at(deadline, async { while conns.join_next().await.is_some() {} }).await;
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut s = state.lock().unwrap();
        s.log.push(request);
        s.script.pop_front().unwrap_or_else(Reply::exhausted)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let _ = tokio::time::timeout(IO_LIMIT, async {
        stream.write_all(&reply.to_bytes()).await?;
        stream.flush().await
    })
    .await;
    if !reply.hold.is_zero() {
        tokio::time::sleep(reply.hold.min(IO_LIMIT)).await;
    }
    let _ = tokio::time::timeout(IO_LIMIT, stream.shutdown()).await;
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn read_some(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = tokio::time::timeout(IO_LIMIT, stream.read(&mut chunk)).await.ok()?.ok()?;
    if n == 0 {
        return None;
    }
    buf.extend_from_slice(&chunk[..n]);
    Some(())
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(p) = find(&buf, b"\r\n\r\n") {
            break p;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        read_some(stream, &mut buf).await?;
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.splitn(3, ' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        read_some(stream, &mut body).await?;
    }
    body.truncate(len);
    Some(Recorded { method, target, headers, body, at })
}

// ---------------------------------------------------------------------------------------------
// Operations and response types shared by the tests.

/// The requirement of every operation here: the API key as a bearer token.
pub const BEARER: &[&[AuthScheme]] = &[&[AuthScheme::bearer("bearerAuth", "api_key").primary()]];

pub static CREATE: Operation = Operation {
    id: "createDirectory",
    method: Method::POST,
    path: "/things",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: false,
    security: BEARER,
};

/// A POST whose document says the server honours `Idempotency-Key`.
pub static CREATE_IDEMPOTENT: Operation = Operation {
    id: "createThingOnce",
    method: Method::POST,
    path: "/things",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: true,
    security: BEARER,
};

pub static GET_THING: Operation = Operation {
    id: "getThing",
    method: Method::GET,
    path: "/things/{id}",
    accept: "application/json",
    documented_statuses: &[200, 404, 422],
    idempotency_key: false,
    security: BEARER,
};

pub static LIST: Operation = Operation {
    id: "listThings",
    method: Method::GET,
    path: "/things",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: false,
    security: BEARER,
};

/// Documents 409 as a state conflict.
pub static UPSERT_DOCUMENTED_409: Operation = Operation {
    id: "upsertThing",
    method: Method::PUT,
    path: "/things",
    accept: "application/json",
    documented_statuses: &[200, 409, 422],
    idempotency_key: false,
    security: BEARER,
};

/// Does not document 409.
pub static UPSERT_UNDOCUMENTED_409: Operation = Operation {
    id: "upsertThingLoosely",
    method: Method::PUT,
    path: "/things",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: false,
    security: BEARER,
};

/// Checks that nothing a user can print about `e` shows the API key.
pub fn assert_no_secret<E: std::fmt::Debug>(e: &Error<E>) {
    let texts = [e.to_string(), format!("{e:?}"), format!("{e:#?}")];
    for t in &texts {
        assert!(!t.contains(SECRET), "the API key leaked: {t}");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let t = format!("{s} / {s:?}");
        assert!(!t.contains(SECRET), "the API key leaked in a source: {t}");
        source = s.source();
    }
}

// serde's `derive` feature is not enabled for this crate's test build (and the runtime's
// Cargo.toml is off limits), so these impls are written by hand. Like a derived impl without
// `deny_unknown_fields`, they require their fields and ignore every other key.

fn field<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
    map: &mut Map<String, Value>,
    name: &'static str,
) -> Result<T, D::Error> {
    let v = map.remove(name).ok_or_else(|| serde::de::Error::missing_field(name))?;
    serde_json::from_value(v).map_err(serde::de::Error::custom)
}

fn optional_field<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
    map: &mut Map<String, Value>,
    name: &'static str,
) -> Result<Option<T>, D::Error> {
    match map.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some).map_err(serde::de::Error::custom),
    }
}

/// A typical response struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Thing {
    pub id: String,
    pub name: String,
    pub size: Option<u64>,
}

impl<'de> Deserialize<'de> for Thing {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        Ok(Thing {
            id: field::<_, D>(&mut m, "id")?,
            name: field::<_, D>(&mut m, "name")?,
            size: optional_field::<_, D>(&mut m, "size")?,
        })
    }
}

/// A page of a list operation: `{"items": [..], "next_page_token": ".." | null}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThingPage {
    pub items: Vec<u64>,
    pub next_page_token: Option<String>,
    pub total_size: Option<u64>,
}

impl<'de> Deserialize<'de> for ThingPage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Map::deserialize(d)?;
        Ok(ThingPage {
            items: field::<_, D>(&mut m, "items")?,
            next_page_token: optional_field::<_, D>(&mut m, "next_page_token")?,
            total_size: optional_field::<_, D>(&mut m, "total_size")?,
        })
    }
}

impl Page for ThingPage {
    type Item = u64;
    fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }
    fn total_size(&self) -> Option<u64> {
        self.total_size
    }
    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    fn into_items(self) -> Vec<u64> {
        self.items
    }
}

/// The JSON text of a page.
pub fn page_json(items: impl IntoIterator<Item = u64>, next: Option<&str>) -> String {
    let items: Vec<u64> = items.into_iter().collect();
    serde_json::json!({ "items": items, "next_page_token": next }).to_string()
}
