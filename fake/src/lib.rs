//! A local, in-memory LlamaCloud index and directory API for tests and demos: all 17
//! operations, the API's errors (401, 404 `{"detail": ...}`, 422 FastAPI lists, 409 for a
//! cancel with nothing running) and optional fault injection.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = llama_cloud_fake::FakeServer::start(llama_cloud_fake::FakeConfig::default()).await?;
//! println!("{}", server.url());
//! # Ok(()) }
//! ```

mod handlers;
mod query;
mod store;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
    /// When set, only this bearer token is accepted; otherwise any non-empty one is.
    pub api_key: Option<String>,
    /// Share of requests (0.0–1.0) answered with an injected 503, to show retries.
    pub fail_rate: f64,
    /// Extra latency added to every request.
    pub latency: Duration,
    /// How long a sync stays in progress.
    pub sync_duration: Duration,
}

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: None,
            fail_rate: 0.0,
            latency: Duration::ZERO,
            sync_duration: Duration::from_secs(2),
        }
    }
}

pub(crate) struct App {
    pub store: Mutex<store::Store>,
    pub config: FakeConfig,
    pub base_url: String,
    pub requests: Mutex<u64>,
}

/// A running fake; it stops when dropped or on [`FakeServer::shutdown`].
pub struct FakeServer {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl FakeServer {
    /// Binds, starts serving on the current tokio runtime, and returns once connections are
    /// accepted.
    pub async fn start(config: FakeConfig) -> std::io::Result<FakeServer> {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App {
            store: Mutex::new(store::Store::new(config.sync_duration)),
            base_url: format!("http://{addr}"),
            config,
            requests: Mutex::new(0),
        });
        let router = router(app.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(FakeServer { addr, app, stop: Some(stop), task: Some(task) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL to give a client.
    pub fn url(&self) -> String {
        self.app.base_url.clone()
    }

    /// How many requests reached the server (including rejected ones).
    pub fn request_count(&self) -> u64 {
        *self.app.requests.lock().expect("lock")
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The routes: one per operation of the API.
fn router(app: Arc<App>) -> Router {
    use handlers::*;
    Router::new()
        .route("/api/v1/indexes", post(create_index).get(list_indexes))
        .route("/api/v1/indexes/{index_id}", get(get_index).delete(delete_index))
        .route("/api/v1/indexes/{index_id}/sync", post(sync_index))
        .route("/api/v1/indexes/{index_id}/sync/cancel", post(cancel_sync))
        .route("/api/v1/beta/directories", post(create_directory).get(list_directories))
        .route(
            "/api/v1/beta/directories/{directory_id}",
            get(get_directory).patch(update_directory).delete(delete_directory),
        )
        .route("/api/v1/beta/directories/{directory_id}/files", post(add_file).get(list_files))
        .route("/api/v1/beta/directories/{directory_id}/files/upload", post(upload_file))
        .route(
            "/api/v1/beta/directories/{directory_id}/files/{directory_file_id}",
            get(get_file).patch(update_file).delete(delete_file),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
        })
        // Uploads are kept in memory; allow real documents, not only axum's 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::max(256 * 1024 * 1024))
        .layer(middleware::from_fn_with_state(app.clone(), gate))
        .with_state(app)
}

async fn no_route() -> Response {
    let mut r = ApiError::new(StatusCode::NOT_FOUND, "Not Found").into_response();
    r.headers_mut().insert("x-fake-route", HeaderValue::from_static("none"));
    r
}

/// Counting, latency, fault injection and authentication, before any handler runs.
async fn gate(State(app): State<Arc<App>>, req: Request<Body>, next: Next) -> Response {
    let n = {
        let mut c = app.requests.lock().expect("lock");
        *c += 1;
        *c
    };
    if !app.config.latency.is_zero() {
        tokio::time::sleep(app.config.latency).await;
    }
    if app.config.fail_rate > 0.0 && fraction(n) < app.config.fail_rate {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "injected failure (--fail-rate)")
            .into_response();
    }
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .filter(|t| !t.is_empty());
    match (token, &app.config.api_key) {
        (None, _) => return ApiError::new(StatusCode::UNAUTHORIZED, "Not authenticated").into_response(),
        (Some(t), Some(k)) if t != k => {
            return ApiError::new(StatusCode::UNAUTHORIZED, "Invalid API key").into_response()
        }
        _ => {}
    }
    next.run(req).await
}

/// A deterministic spread over [0, 1) from the request number (so a fail rate is reproducible).
fn fraction(n: u64) -> f64 {
    let x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// An error answer with LlamaCloud's body shapes.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: &str) -> Self {
        ApiError { status, body: json!({ "detail": detail }) }
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, &format!("{what} {id} not found"))
    }

    /// A 422 in FastAPI's shape.
    pub fn invalid(loc: &[&str], msg: &str, kind: &str) -> Self {
        // FastAPI gives list positions as integers (field names are never all digits).
        let loc: Vec<Value> = loc
            .iter()
            .map(|p| p.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::from(*p)))
            .collect();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: json!({ "detail": [{ "loc": loc, "msg": msg, "type": kind }] }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
