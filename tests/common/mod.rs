//! The recording HTTP server the integration tests talk to: one fallback handler on 127.0.0.1
//! stores each request exactly as it arrived and answers with the replies a test queued (the
//! last one repeats). Reply bodies are exact text, so a test controls every byte.
#![allow(dead_code)] // each test binary uses its own part of it

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use llama_cloud::{Client, ClientBuilder};
use serde_json::Value;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// The recording server
// ---------------------------------------------------------------------------------------------

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self.headers.get_all(name).iter();
        let first = values.next()?;
        assert!(values.next().is_none(), "header {name} was sent twice");
        Some(first.to_str().expect("header is text"))
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("body is UTF-8")
    }
}

/// An answer: a status, an exact body (sent as `application/json` when present) and headers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Option<String>,
    pub headers: Vec<(&'static str, &'static str)>,
}

pub fn reply(status: u16, body: Value) -> Reply {
    Reply { status, body: Some(body.to_string()), headers: Vec::new() }
}

/// No body.
pub fn no_content() -> Reply {
    Reply { status: 204, body: None, headers: Vec::new() }
}

/// Exactly these bytes as the body.
pub fn reply_text(status: u16, body: &str) -> Reply {
    Reply { status, body: Some(body.to_string()), headers: Vec::new() }
}

#[derive(Clone, Default)]
pub struct Recorder {
    seen: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

impl Recorder {
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The one request the server received.
    pub fn only(&self) -> Seen {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.into_iter().next().unwrap()
    }
}

pub async fn record(State(rec): State<Recorder>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.expect("request body");
    let n = {
        let mut seen = rec.seen.lock().unwrap();
        seen.push(Seen { method: parts.method, uri: parts.uri, headers: parts.headers, body });
        seen.len()
    };
    let next = {
        let mut q = rec.replies.lock().unwrap();
        if q.len() > 1 {
            q.pop_front()
        } else {
            q.front().cloned()
        }
    }
    .expect("the test queued no reply");
    let status = StatusCode::from_u16(next.status).unwrap();
    let mut resp = match next.body {
        Some(text) => {
            (status, [(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response()
        }
        None => status.into_response(),
    };
    for (k, v) in next.headers {
        resp.headers_mut().insert(k, HeaderValue::from_static(v));
    }
    resp.headers_mut().insert("x-request-id", HeaderValue::from_str(&format!("req-{n}")).unwrap());
    resp
}

pub async fn server_with(replies: Vec<Reply>) -> (SocketAddr, Recorder) {
    let rec = Recorder { replies: Arc::new(Mutex::new(replies.into())), ..Recorder::default() };
    let app = Router::new().fallback(record).with_state(rec.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (addr, rec)
}

pub async fn server(status: u16, body: Value) -> (SocketAddr, Recorder) {
    server_with(vec![reply(status, body)]).await
}

pub fn url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

pub fn builder(addr: SocketAddr) -> ClientBuilder {
    Client::builder()
        .api_key("test-key")
        .base_url(url(addr))
        // A hung server fails the test instead of stalling it for a minute.
        .timeout(Duration::from_secs(10))
}

pub fn client(addr: SocketAddr) -> Client {
    builder(addr).build().unwrap()
}
