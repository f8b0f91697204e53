//! The fake LlamaCloud, from the outside: what a client sees over HTTP.
//!
//! Happy paths go through the generated client (`llama-cloud`); requests the client would refuse
//! to send (no bearer token, malformed bodies, a fixed `Idempotency-Key`) are written by hand on
//! a plain TCP connection.

use futures_util::TryStreamExt;
use llama_cloud::prelude::*;
use llama_cloud_fake::{FakeConfig, FakeServer};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const KEY: &str = "test-key";

async fn start_with(config: FakeConfig) -> FakeServer {
    FakeServer::start(config).await.expect("the fake starts")
}

async fn start() -> FakeServer {
    start_with(FakeConfig::default()).await
}

/// A client for `server` that never retries, so every call is exactly one request.
fn client(server: &FakeServer) -> Client {
    client_with_key(server, KEY)
}

fn client_with_key(server: &FakeServer, key: &str) -> Client {
    Client::builder()
        .api_key(key)
        .base_url(server.url())
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1 over tokio's TcpStream (the fake's tokio has no io-util, so readiness + try_*).

#[derive(Debug)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The `detail` string of a LlamaCloud error body.
    fn detail(&self) -> String {
        match self.json().get("detail") {
            Some(Value::String(s)) => s.clone(),
            other => panic!("expected a string `detail`, got {other:?} (status {})", self.status),
        }
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size_text = std::str::from_utf8(&body[..line_end]).expect("chunk size is text");
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("chunk size is hex");
        body = &body[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size + 2..];
    }
}

async fn exchange(addr: std::net::SocketAddr, request: Vec<u8>) -> Raw {
    use std::io::ErrorKind::WouldBlock;
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connects to the fake");
    let mut written = 0;
    while written < request.len() {
        stream.writable().await.expect("writable");
        match stream.try_write(&request[written..]) {
            Ok(n) => written += n,
            Err(e) if e.kind() == WouldBlock => continue,
            Err(e) => panic!("write failed: {e}"),
        }
    }
    let mut data = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        stream.readable().await.expect("readable");
        match stream.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == WouldBlock => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("read failed: {e}"),
        }
    }
    let head_end = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&data)));
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().expect("status line");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = data[head_end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Raw { status, headers, body }
}

/// Sends one request; `headers` are added as given (no Authorization unless listed).
async fn raw(
    server: &FakeServer,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &[u8])>,
) -> Raw {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", server.addr());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = match body {
        Some((content_type, bytes)) => {
            req.push_str(&format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", bytes.len()));
            bytes.to_vec()
        }
        None => {
            if matches!(method, "POST" | "PATCH" | "PUT") {
                req.push_str("Content-Length: 0\r\n");
            }
            Vec::new()
        }
    };
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(&body);
    tokio::time::timeout(Duration::from_secs(10), exchange(server.addr(), bytes))
        .await
        .expect("the fake answers within 10 s")
}

const BEARER: (&str, &str) = ("Authorization", "Bearer test-key");

/// An authenticated request with an optional JSON body given as text.
async fn authed(server: &FakeServer, method: &str, path: &str, json_body: Option<&str>) -> Raw {
    raw(server, method, path, &[BEARER], json_body.map(|b| ("application/json", b.as_bytes()))).await
}

/// Asserts a FastAPI 422: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}` with an
/// entry at `loc` of type `kind`; returns that entry.
fn assert_422(r: &Raw, loc: &[Value], kind: &str) -> Value {
    assert_eq!(r.status, 422, "expected 422, got {}: {}", r.status, String::from_utf8_lossy(&r.body));
    assert!(
        r.header("content-type").is_some_and(|c| c.starts_with("application/json")),
        "422 is JSON: {:?}",
        r.headers
    );
    let body = r.json();
    let list = body["detail"].as_array().unwrap_or_else(|| panic!("422 `detail` is a list: {body}"));
    assert!(!list.is_empty(), "422 `detail` is not empty: {body}");
    for e in list {
        assert!(e["loc"].is_array(), "loc is a list: {e}");
        assert!(e["msg"].as_str().is_some_and(|m| !m.is_empty()), "msg is text: {e}");
        assert!(e["type"].is_string(), "type is text: {e}");
    }
    let entry = list
        .iter()
        .find(|e| e["loc"].as_array().map(Vec::as_slice) == Some(loc))
        .unwrap_or_else(|| panic!("no entry at loc {loc:?} in {body}"))
        .clone();
    assert_eq!(entry["type"], kind, "type of the entry at {loc:?}: {body}");
    entry
}

fn loc(parts: &[&str]) -> Vec<Value> {
    parts.iter().map(|p| json!(p)).collect()
}

async fn make_dir(c: &Client, name: &str) -> types::Directory {
    c.beta().directories().create(name).send().await.expect("create directory")
}

async fn make_index(c: &Client, dir: &str) -> types::Index {
    c.indexes().create(dir).send().await.expect("create index")
}

async fn add_file(c: &Client, dir: &str, file_id: &str, display: &str) -> types::DirectoryFile {
    c.beta().directories().files().add(dir, file_id).display_name(display).send().await.expect("add file")
}

// ---------------------------------------------------------------------------------------------
// Authentication

#[tokio::test]
async fn without_a_bearer_token_every_request_is_401_not_authenticated() {
    let server = start().await;
    for (method, path) in [
        ("GET", "/api/v1/indexes"),
        ("GET", "/api/v1/beta/directories"),
        ("POST", "/api/v1/beta/directories"),
        ("DELETE", "/api/v1/indexes/idx-1"),
    ] {
        let r = raw(&server, method, path, &[], None).await;
        assert_eq!(r.status, 401, "{method} {path}");
        assert_eq!(r.json(), json!({"detail": "Not authenticated"}));
    }
    // Not a bearer token, or an empty one, is the same as none.
    for auth in ["Basic dXNlcjpwYXNz", "Bearer ", "test-key"] {
        let r = raw(&server, "GET", "/api/v1/indexes", &[("Authorization", auth)], None).await;
        assert_eq!(r.status, 401, "Authorization: {auth}");
        assert_eq!(r.detail(), "Not authenticated");
    }
    // Without a configured key, any non-empty bearer token is accepted.
    let r = raw(&server, "GET", "/api/v1/indexes", &[("Authorization", "Bearer anything")], None).await;
    assert_eq!(r.status, 200);
    // Rejected requests are counted too.
    assert_eq!(server.request_count(), 8);
}

#[tokio::test]
async fn with_a_configured_key_a_wrong_token_is_401_invalid_api_key() {
    let server = start_with(FakeConfig { api_key: Some("secret".into()), ..FakeConfig::default() }).await;
    let none = raw(&server, "GET", "/api/v1/beta/directories", &[], None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.detail(), "Not authenticated");

    let wrong =
        raw(&server, "GET", "/api/v1/beta/directories", &[("Authorization", "Bearer nope")], None).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json(), json!({"detail": "Invalid API key"}));

    let right =
        raw(&server, "GET", "/api/v1/beta/directories", &[("Authorization", "Bearer secret")], None).await;
    assert_eq!(right.status, 200);

    // The typed client sees the same: an Authentication error with the server's detail.
    match client_with_key(&server, "nope").beta().directories().list().send().await {
        Err(Error::Authentication(e)) => {
            assert_eq!(e.status.as_u16(), 401);
            assert_eq!(e.detail().as_deref(), Some("Invalid API key"));
        }
        other => panic!("expected Authentication, got {other:?}"),
    }
    let page = client_with_key(&server, "secret")
        .beta()
        .directories()
        .list()
        .send()
        .await
        .expect("the right key works");
    assert!(page.items.is_empty());
}

// ---------------------------------------------------------------------------------------------
// 404s

#[tokio::test]
async fn unknown_ids_are_404_with_a_detail_string() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let d = &dir.id;

    let cases: Vec<(&str, String, Option<&str>, &str)> = vec![
        // indexes
        ("GET", "/api/v1/indexes/idx-missing".into(), None, "idx-missing"),
        ("DELETE", "/api/v1/indexes/idx-missing".into(), None, "idx-missing"),
        ("POST", "/api/v1/indexes/idx-missing/sync".into(), None, "idx-missing"),
        ("POST", "/api/v1/indexes/idx-missing/sync/cancel".into(), None, "idx-missing"),
        // directories
        ("GET", "/api/v1/beta/directories/dir-missing".into(), None, "dir-missing"),
        ("PATCH", "/api/v1/beta/directories/dir-missing".into(), Some(r#"{"name": "x"}"#), "dir-missing"),
        ("DELETE", "/api/v1/beta/directories/dir-missing".into(), None, "dir-missing"),
        ("GET", "/api/v1/beta/directories/dir-missing/files".into(), None, "dir-missing"),
        // files in an existing directory
        ("GET", format!("/api/v1/beta/directories/{d}/files/dfl-missing"), None, "dfl-missing"),
        (
            "PATCH",
            format!("/api/v1/beta/directories/{d}/files/dfl-missing"),
            Some(r#"{"display_name": "x"}"#),
            "dfl-missing",
        ),
        ("DELETE", format!("/api/v1/beta/directories/{d}/files/dfl-missing"), None, "dfl-missing"),
        // files in a directory that doesn't exist
        ("GET", "/api/v1/beta/directories/dir-missing/files/dfl-missing".into(), None, "dir-missing"),
        (
            "POST",
            "/api/v1/beta/directories/dir-missing/files".into(),
            Some(r#"{"file_id": "file-1"}"#),
            "dir-missing",
        ),
    ];
    for (method, path, body, id) in cases {
        let r = authed(&server, method, &path, body).await;
        assert_eq!(r.status, 404, "{method} {path}: {}", String::from_utf8_lossy(&r.body));
        let body = r.json();
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "only `detail`: {body}");
        let detail = r.detail();
        assert!(
            detail.contains(id) && detail.contains("not found"),
            "{method} {path}: detail {detail:?} names {id}"
        );
    }
    // An index over a directory that doesn't exist: 404 for the directory.
    let r =
        authed(&server, "POST", "/api/v1/indexes", Some(r#"{"source_directory_id": "dir-missing"}"#)).await;
    assert_eq!(r.status, 404);
    assert!(r.detail().contains("dir-missing"));

    // The client maps these to NotFound with the server's words.
    match c.indexes().get("idx-missing").send().await {
        Err(Error::NotFound(e)) => {
            assert_eq!(e.detail().as_deref(), Some("Index idx-missing not found"))
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    match c.beta().directories().update("dir-missing").name("x").send().await {
        Err(Error::NotFound(e)) => assert!(e.detail().unwrap_or_default().contains("dir-missing")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match c.beta().directories().files().delete(d, "dfl-missing").send().await {
        Err(Error::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_is_only_found_under_its_own_directory() {
    let server = start().await;
    let c = client(&server);
    let a = make_dir(&c, "a").await;
    let b = make_dir(&c, "b").await;
    let f = add_file(&c, &a.id, "file-1", "one.pdf").await;
    let files = c.beta().directories().files();
    assert_eq!(files.get(&a.id, &f.id).send().await.expect("get").id, f.id);
    assert!(matches!(files.get(&b.id, &f.id).send().await, Err(Error::NotFound(_))));
    // Moving it with target_directory_id changes where it is found.
    let moved = files.update(&a.id, &f.id).target_directory_id(&b.id).send().await.expect("move");
    assert_eq!(moved.directory_id, b.id);
    assert!(matches!(files.get(&a.id, &f.id).send().await, Err(Error::NotFound(_))));
    assert_eq!(files.get(&b.id, &f.id).send().await.expect("get").id, f.id);
}

// ---------------------------------------------------------------------------------------------
// 422s

#[tokio::test]
async fn invalid_create_directory_bodies_are_fastapi_422s() {
    let server = start().await;
    let path = "/api/v1/beta/directories";

    let missing = authed(&server, "POST", path, Some(r#"{"description": "no name"}"#)).await;
    let e = assert_422(&missing, &loc(&["body", "name"]), "missing");
    assert_eq!(e["msg"], "Field required");

    let null = authed(&server, "POST", path, Some(r#"{"name": null}"#)).await;
    // pydantic's answer for `null` where a string is required.
    assert_422(&null, &loc(&["body", "name"]), "string_type");

    let empty = authed(&server, "POST", path, Some(r#"{"name": ""}"#)).await;
    let e = assert_422(&empty, &loc(&["body", "name"]), "string_too_short");
    assert!(e["msg"].as_str().unwrap_or("").contains("at least 1 character"));

    let not_text = authed(&server, "POST", path, Some(r#"{"name": 5}"#)).await;
    assert_422(&not_text, &loc(&["body", "name"]), "string_type");

    let bad_type = authed(&server, "POST", path, Some(r#"{"name": "a", "type": "bogus"}"#)).await;
    let e = assert_422(&bad_type, &loc(&["body", "type"]), "enum");
    let msg = e["msg"].as_str().unwrap_or("");
    assert!(msg.contains("'ephemeral'") && msg.contains("'user'"), "msg lists the allowed values: {msg}");

    let not_json = authed(&server, "POST", path, Some("{\"name\": ")).await;
    assert_422(&not_json, &loc(&["body"]), "json_invalid");

    let not_object = authed(&server, "POST", path, Some(r#"["a"]"#)).await;
    assert_422(&not_object, &loc(&["body"]), "dict_type");

    let bad_metadata = authed(&server, "POST", path, Some(r#"{"name": "a", "system_metadata": "x"}"#)).await;
    assert_422(&bad_metadata, &loc(&["body", "system_metadata"]), "dict_type");

    // Nothing was created by any of them.
    let list = authed(&server, "GET", path, None).await;
    assert_eq!(list.json()["total_size"], 0);
}

#[tokio::test]
async fn invalid_bodies_of_other_operations_are_422s() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let f = add_file(&c, &dir.id, "file-1", "a.pdf").await;

    let r = authed(&server, "POST", "/api/v1/indexes", Some("{}")).await;
    assert_422(&r, &loc(&["body", "source_directory_id"]), "missing");

    let body = format!(r#"{{"source_directory_id": "{}", "sync_frequency": "hourly"}}"#, dir.id);
    let r = authed(&server, "POST", "/api/v1/indexes", Some(&body)).await;
    assert_422(&r, &loc(&["body", "sync_frequency"]), "enum");

    let body = format!(r#"{{"source_directory_id": "{}", "products": "parse"}}"#, dir.id);
    let r = authed(&server, "POST", "/api/v1/indexes", Some(&body)).await;
    assert_422(&r, &loc(&["body", "products"]), "list_type");

    let r =
        authed(&server, "PATCH", &format!("/api/v1/beta/directories/{}", dir.id), Some(r#"{"name": ""}"#))
            .await;
    assert_422(&r, &loc(&["body", "name"]), "string_too_short");

    let r = authed(
        &server,
        "POST",
        &format!("/api/v1/beta/directories/{}/files", dir.id),
        Some(r#"{"display_name": "x"}"#),
    )
    .await;
    assert_422(&r, &loc(&["body", "file_id"]), "missing");

    let r = authed(
        &server,
        "PATCH",
        &format!("/api/v1/beta/directories/{}/files/{}", dir.id, f.id),
        Some(r#"{"metadata": [1]}"#),
    )
    .await;
    assert_422(&r, &loc(&["body", "metadata"]), "dict_type");

    // The typed client turns a 422 into UnprocessableEntity with the parsed list.
    match c.beta().directories().update(&dir.id).name("").send().await {
        Err(err @ Error::UnprocessableEntity(_)) => {
            let Some(types::UpdateDirectoryError::UnprocessableEntity(v)) = err.documented() else {
                panic!("the 422 body is the documented HTTPValidationError: {err:?}")
            };
            assert_eq!(
                issues(v),
                [(vec!["body".to_string(), "name".to_string()], "string_too_short".to_string())]
            );
        }
        Err(Error::InvalidArgument(_)) => {} // a client may refuse it before sending
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[tokio::test]
async fn an_invalid_page_size_is_a_422_on_every_list() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let lists = [
        "/api/v1/indexes".to_string(),
        "/api/v1/beta/directories".to_string(),
        format!("/api/v1/beta/directories/{}/files", dir.id),
    ];
    for list in &lists {
        let r = authed(&server, "GET", &format!("{list}?page_size=abc"), None).await;
        assert_422(&r, &loc(&["query", "page_size"]), "int_parsing");
        for bad in ["0", "1001", "-1"] {
            let r = authed(&server, "GET", &format!("{list}?page_size={bad}"), None).await;
            assert_eq!(r.status, 422, "{list}?page_size={bad}");
            let body = r.json();
            assert_eq!(body["detail"][0]["loc"], json!(["query", "page_size"]), "{body}");
        }
        for good in ["1", "1000"] {
            let r = authed(&server, "GET", &format!("{list}?page_size={good}"), None).await;
            assert_eq!(r.status, 200, "{list}?page_size={good}");
        }
    }
    match c.beta().directories().list().page_size(0).send().await {
        Err(err @ Error::UnprocessableEntity(_)) => match err.documented() {
            Some(types::ListDirectoriesError::UnprocessableEntity(v)) => {
                assert_eq!(issues(v)[0].0, ["query", "page_size"])
            }
            _ => panic!("the 422 body is the documented HTTPValidationError: {err:?}"),
        },
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

#[tokio::test]
async fn a_too_small_page_size_is_reported_as_greater_than_equal() {
    let server = start().await;
    let r = authed(&server, "GET", "/api/v1/beta/directories?page_size=0", None).await;
    let e = assert_422(&r, &loc(&["query", "page_size"]), "greater_than_equal");
    assert_eq!(e["msg"], "Input should be greater than or equal to 1");
    let r = authed(&server, "GET", "/api/v1/beta/directories?page_size=1001", None).await;
    let e = assert_422(&r, &loc(&["query", "page_size"]), "less_than_equal");
    assert_eq!(e["msg"], "Input should be less than or equal to 1000");
}

#[tokio::test]
async fn an_invalid_types_filter_is_a_422() {
    let server = start().await;
    let r = authed(&server, "GET", "/api/v1/beta/directories?types=bogus", None).await;
    assert_eq!(r.status, 422);
    let body = r.json();
    let e = &body["detail"][0];
    assert_eq!(e["loc"][0], "query");
    assert_eq!(e["loc"][1], "types");
    assert_eq!(e["type"], "enum");
    let msg = e["msg"].as_str().unwrap_or("");
    for allowed in ["'ephemeral'", "'index'", "'user'"] {
        assert!(msg.contains(allowed), "{msg} lists {allowed}");
    }
    // The second of two repeated values is the bad one.
    let r = authed(&server, "GET", "/api/v1/beta/directories?types=user&types=bogus", None).await;
    assert_eq!(r.status, 422);
    let body = r.json();
    let position = &body["detail"][0]["loc"][2];
    assert!(position == &json!(1) || position == &json!("1"), "loc names the second value: {body}");
    // system_ephemeral is a directory type but not an accepted filter value.
    let r = authed(&server, "GET", "/api/v1/beta/directories?types=system_ephemeral", None).await;
    assert_eq!(r.status, 422);
    // Other boolean/date filters are checked too.
    let r = authed(&server, "GET", "/api/v1/beta/directories?include_deleted=maybe", None).await;
    assert_422(&r, &loc(&["query", "include_deleted"]), "bool_parsing");
    // And the typed client gets a 422 for an unknown enum value it passes through.
    let c = client(&server);
    match c.beta().directories().list().types([types::DirectoryTypeFilter::from("bogus")]).send().await {
        Err(err @ Error::UnprocessableEntity(_)) => match err.documented() {
            Some(types::ListDirectoriesError::UnprocessableEntity(v)) => {
                assert_eq!(issues(v)[0].0[1], "types")
            }
            _ => panic!("the 422 body is the documented HTTPValidationError: {err:?}"),
        },
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

#[tokio::test]
async fn list_positions_in_a_422_loc_are_integers() {
    let server = start().await;
    let r = authed(&server, "GET", "/api/v1/beta/directories?types=user&types=bogus", None).await;
    assert_422(&r, &[json!("query"), json!("types"), json!(1)], "enum");
}

#[tokio::test]
async fn a_bad_type_filter_is_reported_at_its_own_parameter() {
    let server = start().await;
    let r = authed(&server, "GET", "/api/v1/beta/directories?type=bogus", None).await;
    assert_422(&r, &loc(&["query", "type"]), "enum");
}

#[tokio::test]
async fn an_upload_without_a_multipart_body_is_a_422() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let r = authed(&server, "POST", &format!("/api/v1/beta/directories/{}/files/upload", dir.id), Some("{}"))
        .await;
    assert_422(&r, &loc(&["body", "upload_file"]), "missing");
}

#[tokio::test]
async fn an_upload_without_its_file_part_is_a_422() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let boundary = "XyZbOuNdArY";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"display_name\"\r\n\r\nx\r\n--{boundary}--\r\n"
    );
    let r = raw(
        &server,
        "POST",
        &format!("/api/v1/beta/directories/{}/files/upload", dir.id),
        &[BEARER],
        Some((&format!("multipart/form-data; boundary={boundary}"), body.as_bytes())),
    )
    .await;
    assert_422(&r, &loc(&["body", "upload_file"]), "missing");
}

// ---------------------------------------------------------------------------------------------
// Sync, cancel-sync, expand

fn quick_sync() -> FakeConfig {
    FakeConfig { sync_duration: Duration::from_millis(400), ..FakeConfig::default() }
}

#[tokio::test]
async fn cancel_sync_is_409_unless_a_sync_runs() {
    let server = start_with(quick_sync()).await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let index = make_index(&c, &dir.id).await;
    let cancel = format!("/api/v1/indexes/{}/sync/cancel", index.id);

    let r = authed(&server, "POST", &cancel, None).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json(), json!({"detail": "No sync is running for this index"}));
    match c.indexes().cancel_sync(&index.id).send().await {
        Err(Error::Conflict(e)) => {
            assert_eq!(e.detail().as_deref(), Some("No sync is running for this index"))
        }
        other => panic!("expected Conflict, got {other:?}"),
    }

    let started = c.indexes().sync(&index.id).send().await.expect("sync");
    assert_eq!(started.get("index_id"), Some(&json!(index.id)));
    let r = authed(&server, "POST", &cancel, None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["status"], "cancelled");
    // Cancelled: nothing runs any more.
    let r = authed(&server, "POST", &cancel, None).await;
    assert_eq!(r.status, 409);

    // A sync that ran its course can't be cancelled either.
    c.indexes().sync(&index.id).send().await.expect("sync");
    tokio::time::sleep(Duration::from_millis(600)).await;
    let r = authed(&server, "POST", &cancel, None).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn expand_sync_in_progress_follows_the_sync() {
    let server = start_with(quick_sync()).await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let index = make_index(&c, &dir.id).await;
    let expanded = || c.indexes().get(&index.id).expand([types::IndexExpand::SyncInProgress]).send();

    // Without expand the field is absent.
    let plain = c.indexes().get(&index.id).send().await.expect("get");
    assert_eq!(plain.sync_in_progress, None);
    let r = authed(&server, "GET", &format!("/api/v1/indexes/{}", index.id), None).await;
    assert!(r.json().get("sync_in_progress").is_none());

    assert_eq!(expanded().await.expect("get").sync_in_progress, Some(false));
    assert_eq!(plain.last_synced_at, None);

    c.indexes().sync(&index.id).send().await.expect("sync");
    let during = expanded().await.expect("get");
    assert_eq!(during.sync_in_progress, Some(true));
    assert!(during.last_synced_at.is_some());
    let r =
        authed(&server, "GET", &format!("/api/v1/indexes/{}?expand=sync_in_progress", index.id), None).await;
    assert_eq!(r.json()["sync_in_progress"], true);

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(expanded().await.expect("get").sync_in_progress, Some(false));

    // An unknown expand value is a 422.
    let r = authed(&server, "GET", &format!("/api/v1/indexes/{}?expand=bogus", index.id), None).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["detail"][0]["loc"][1], "expand");
}

// ---------------------------------------------------------------------------------------------
// Soft delete

#[tokio::test]
async fn a_deleted_directory_is_gone_from_list_and_get_but_listed_with_include_deleted() {
    let server = start().await;
    let c = client(&server);
    let dirs = c.beta().directories();
    let keep = make_dir(&c, "keep").await;
    let gone = make_dir(&c, "gone").await;
    let file = add_file(&c, &gone.id, "file-1", "a.pdf").await;

    let r = authed(&server, "DELETE", &format!("/api/v1/beta/directories/{}", gone.id), None).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty(), "204 has no body");

    let page = dirs.list().send().await.expect("list");
    let ids: Vec<&str> = page.items.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, [keep.id.as_str()]);
    assert_eq!(page.total_size, Some(1));

    assert!(matches!(dirs.get(&gone.id).send().await, Err(Error::NotFound(_))));
    assert!(matches!(dirs.update(&gone.id).name("again").send().await, Err(Error::NotFound(_))));
    assert!(matches!(dirs.delete(&gone.id).send().await, Err(Error::NotFound(_))));
    // Its files went with it.
    assert!(matches!(dirs.files().get(&gone.id, &file.id).send().await, Err(Error::NotFound(_))));

    let all = dirs.list().include_deleted(true).send().await.expect("list");
    let ids: Vec<&str> = all.items.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, [keep.id.as_str(), gone.id.as_str()]);
    let deleted = &all.items[1];
    assert!(deleted.deleted_at.is_some(), "deleted_at is set: {deleted:?}");
    assert!(all.items[0].deleted_at.is_none());

    // A deleted file: same rules within a directory.
    let f1 = add_file(&c, &keep.id, "file-2", "b.pdf").await;
    let f2 = add_file(&c, &keep.id, "file-3", "c.pdf").await;
    dirs.files().delete(&keep.id, &f1.id).send().await.expect("delete file");
    let live = dirs.files().list(&keep.id).send().await.expect("list");
    assert_eq!(live.items.len(), 1);
    assert_eq!(live.items[0].id, f2.id);
    let with_deleted = dirs.files().list(&keep.id).include_deleted(true).send().await.expect("list");
    assert_eq!(with_deleted.items.len(), 2);
    assert!(with_deleted.items[0].deleted_at.is_some());
    assert!(matches!(dirs.files().get(&keep.id, &f1.id).send().await, Err(Error::NotFound(_))));
}

#[tokio::test]
async fn a_deleted_index_is_gone() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let index = make_index(&c, &dir.id).await;
    let r = authed(&server, "DELETE", &format!("/api/v1/indexes/{}", index.id), None).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert!(matches!(c.indexes().get(&index.id).send().await, Err(Error::NotFound(_))));
    assert!(c.indexes().list().send().await.expect("list").items.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Filters

#[tokio::test]
async fn directory_filters_name_type_and_repeated_types() {
    let server = start().await;
    let c = client(&server);
    let dirs = c.beta().directories();
    let a = make_dir(&c, "alpha").await;
    let b = dirs.create("beta").r#type(types::DirectoryCreateType::Ephemeral).send().await.expect("create");
    let a2 = make_dir(&c, "alpha").await;
    assert_eq!(a.r#type, Some(types::DirectoryType::User), "user is the default type");
    assert_eq!(b.r#type, Some(types::DirectoryType::Ephemeral));

    let ids = |page: types::DirectoryPage| -> Vec<String> { page.items.into_iter().map(|d| d.id).collect() };
    let by_name = dirs.list().name("alpha").send().await.expect("list");
    assert_eq!(by_name.total_size, Some(2));
    assert_eq!(ids(by_name), [a.id.clone(), a2.id.clone()]);
    assert!(dirs.list().name("alp").send().await.expect("list").items.is_empty());

    let by_type = dirs.list().r#type(types::DirectoryTypeFilter::Ephemeral).send().await.expect("list");
    assert_eq!(ids(by_type), [b.id.as_str()]);

    let one = dirs.list().types([types::DirectoryTypeFilter::User]).send().await.expect("list");
    assert_eq!(ids(one), [a.id.clone(), a2.id.clone()]);
    let both = dirs
        .list()
        .types([types::DirectoryTypeFilter::User, types::DirectoryTypeFilter::Ephemeral])
        .send()
        .await
        .expect("list");
    assert_eq!(ids(both), [a.id.clone(), b.id.clone(), a2.id.clone()]);
    let r = authed(&server, "GET", "/api/v1/beta/directories?types=ephemeral&types=index", None).await;
    let body = r.json();
    assert_eq!(body["total_size"], 1);
    assert_eq!(body["items"][0]["id"], json!(b.id));

    // Filters combine.
    let r = authed(&server, "GET", "/api/v1/beta/directories?name=alpha&types=ephemeral", None).await;
    assert_eq!(r.json()["total_size"], 0);
}

#[tokio::test]
async fn project_id_scopes_what_is_created_and_listed() {
    let server = start().await;
    let c = client(&server);
    let dirs = c.beta().directories();
    let default = make_dir(&c, "default").await;
    let p = dirs.create("in-p1").project_id("p1").send().await.expect("create");
    assert_eq!(p.project_id, "p1");
    assert_ne!(default.project_id, "p1");
    let listed = dirs.list().project_id("p1").send().await.expect("list");
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, p.id);
}

#[tokio::test]
async fn indexes_filter_by_source_directory() {
    let server = start().await;
    let c = client(&server);
    let d1 = make_dir(&c, "one").await;
    let d2 = make_dir(&c, "two").await;
    let i1 = make_index(&c, &d1.id).await;
    let i2 = make_index(&c, &d2.id).await;
    let i3 = make_index(&c, &d1.id).await;
    assert_eq!(i1.name, "one", "the name defaults to the directory's");
    assert_eq!(i1.source_directory_id, d1.id);

    let over_d1 = c.indexes().list().source_directory_id(&d1.id).send().await.expect("list");
    let ids: Vec<&str> = over_d1.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [i1.id.as_str(), i3.id.as_str()]);
    assert_eq!(over_d1.total_size, Some(2));
    let over_d2 = c.indexes().list().source_directory_id(&d2.id).send().await.expect("list");
    assert_eq!(over_d2.items.len(), 1);
    assert_eq!(over_d2.items[0].id, i2.id);
    let none = c.indexes().list().source_directory_id("dir-missing").send().await.expect("list");
    assert!(none.items.is_empty());
    assert_eq!(none.total_size, Some(0));
}

#[tokio::test]
async fn files_filter_by_display_name_contains_and_more() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let files = c.beta().directories().files();
    let report = add_file(&c, &dir.id, "file-1", "Annual Report.pdf").await;
    let notes = add_file(&c, &dir.id, "file-2", "notes.txt").await;
    let report2 = add_file(&c, &dir.id, "file-3", "report-q2.pdf").await;

    let names = |page: types::DirectoryFilePage| -> Vec<String> {
        page.items.into_iter().map(|f| f.display_name).collect()
    };
    let contains = files.list(&dir.id).display_name_contains("report").send().await.expect("list");
    assert_eq!(contains.total_size, Some(2));
    assert_eq!(names(contains), ["Annual Report.pdf", "report-q2.pdf"]);
    let pdf = files.list(&dir.id).display_name_contains(".pdf").send().await.expect("list");
    assert_eq!(pdf.items.len(), 2);
    let none = files.list(&dir.id).display_name_contains("zzz").send().await.expect("list");
    assert!(none.items.is_empty());

    let exact = files.list(&dir.id).display_name("notes.txt").send().await.expect("list");
    assert_eq!(names(exact), ["notes.txt"]);
    let by_file = files.list(&dir.id).file_id("file-3").send().await.expect("list");
    assert_eq!(by_file.items.len(), 1);
    assert_eq!(by_file.items[0].id, report2.id);
    let by_unique = files.list(&dir.id).unique_id(&notes.unique_id).send().await.expect("list");
    assert_eq!(by_unique.items[0].id, notes.id);

    // updated_at bounds.
    let later = report2.updated_at.expect("updated_at");
    let r = authed(
        &server,
        "GET",
        &format!("/api/v1/beta/directories/{}/files?updated_at_on_or_after={}", dir.id, later),
        None,
    )
    .await;
    let body = r.json();
    assert_eq!(body["items"][0]["id"], json!(report2.id), "{body}");
    assert!(body["items"].as_array().unwrap().iter().all(|f| f["id"] != json!(report.id)));
    let r = authed(
        &server,
        "GET",
        &format!("/api/v1/beta/directories/{}/files?updated_at_on_or_before=yesterday", dir.id),
        None,
    )
    .await;
    assert_422(&r, &loc(&["query", "updated_at_on_or_before"]), "datetime_parsing");
}

// ---------------------------------------------------------------------------------------------
// Paging

#[tokio::test]
async fn pages_are_stable_and_sized_with_tokens_and_totals() {
    let server = start().await;
    let c = client(&server);
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(make_dir(&c, &format!("d{i}")).await.id);
    }
    let dirs = c.beta().directories();

    let p1 = dirs.list().page_size(2).send().await.expect("page 1");
    assert_eq!(p1.items.len(), 2);
    assert_eq!(p1.total_size, Some(5));
    let t1 = p1.next_page_token.clone().expect("a next page");
    let p2 = dirs.list().page_size(2).page_token(&t1).send().await.expect("page 2");
    assert_eq!(p2.items.len(), 2);
    assert_eq!(p2.total_size, Some(5));
    let t2 = p2.next_page_token.clone().expect("a next page");
    assert_ne!(t1, t2);
    let p3 = dirs.list().page_size(2).page_token(&t2).send().await.expect("page 3");
    assert_eq!(p3.items.len(), 1);
    assert_eq!(p3.total_size, Some(5));
    assert!(
        p3.next_page_token.as_deref().is_none_or(str::is_empty),
        "the last page has no next token: {:?}",
        p3.next_page_token
    );
    let order: Vec<String> = [p1.items, p2.items, p3.items].into_iter().flatten().map(|d| d.id).collect();
    assert_eq!(order, created, "creation order, each item once");

    // The same query gives the same pages.
    let again = dirs.list().page_size(2).send().await.expect("page 1 again");
    assert_eq!(again.next_page_token, Some(t1.clone()));
    let again_ids: Vec<&str> = again.items.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(again_ids, [created[0].as_str(), created[1].as_str()]);

    // One big page; the default size covers all five.
    let all = dirs.list().send().await.expect("list");
    assert_eq!(all.items.len(), 5);
    assert!(all.next_page_token.as_deref().is_none_or(str::is_empty));

    // A token the server didn't hand out is any string to the spec: it reads as past the end.
    let r = authed(&server, "GET", "/api/v1/beta/directories?page_token=garbage", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"], json!([]));
    assert!(r.json()["next_page_token"].is_null());
}

#[tokio::test]
async fn into_stream_pages_through_five_items_two_at_a_time() {
    let server = start().await;
    let c = client(&server);
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(make_dir(&c, &format!("d{i}")).await.id);
    }
    let before = server.request_count();
    let streamed: Vec<types::Directory> =
        c.beta().directories().list().page_size(2).into_stream().try_collect().await.expect("stream");
    let ids: Vec<String> = streamed.into_iter().map(|d| d.id).collect();
    assert_eq!(ids, created);
    assert_eq!(server.request_count() - before, 3, "three pages: 2 + 2 + 1");

    // Files and indexes page the same way.
    let dir = &created[0];
    let mut files = Vec::new();
    for i in 0..5 {
        files.push(add_file(&c, dir, &format!("file-{i}"), &format!("f{i}")).await.id);
    }
    let streamed: Vec<String> = c
        .beta()
        .directories()
        .files()
        .list(dir)
        .page_size(2)
        .into_stream()
        .map_ok(|f| f.id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed, files);
    let mut indexes = Vec::new();
    for _ in 0..5 {
        indexes.push(make_index(&c, dir).await.id);
    }
    let streamed: Vec<String> =
        c.indexes().list().page_size(2).into_stream().map_ok(|i| i.id).try_collect().await.expect("stream");
    assert_eq!(streamed, indexes);
}

// ---------------------------------------------------------------------------------------------
// Files: upload, add, update

#[tokio::test]
async fn upload_keeps_display_name_unique_id_and_metadata() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let files = c.beta().directories().files();
    let part = FilePart::new(b"%PDF-1.7 hello".to_vec()).file_name("nda.pdf").content_type("application/pdf");
    let f: types::DirectoryFile = files
        .upload(&dir.id, part)
        .display_name("NDA")
        .unique_id("contracts/nda.pdf")
        .metadata(
            [
                ("department".to_string(), Some("legal".into())),
                ("pages".to_string(), Some(3i64.into())),
                ("signed".to_string(), Some(true.into())),
                ("tags".to_string(), Some(vec!["a".to_string(), "b".to_string()].into())),
            ]
            .into(),
        )
        .send()
        .await
        .expect("upload");
    assert_eq!(f.display_name, "NDA");
    assert_eq!(f.unique_id, "contracts/nda.pdf");
    assert_eq!(f.directory_id, dir.id);
    assert_eq!(f.project_id, dir.project_id);
    assert!(f.file_id.is_some(), "an uploaded file has a file_id");
    assert!(f.created_at.is_some() && f.updated_at.is_some());
    assert!(f.deleted_at.is_none());
    let metadata = serde_json::to_value(&f.metadata).expect("serializes");
    assert_eq!(metadata, json!({"department": "legal", "pages": 3, "signed": true, "tags": ["a", "b"]}));
    // It reads back the same.
    let again = files.get(&dir.id, &f.id).send().await.expect("get");
    assert_eq!(again, f);

    // Without a display name, the part's file name is used.
    let plain = files
        .upload(&dir.id, FilePart::new(b"text".to_vec()).file_name("notes.txt"))
        .send()
        .await
        .expect("upload");
    assert_eq!(plain.display_name, "notes.txt");
    assert!(!plain.unique_id.is_empty());

    // The same unique_id twice in one directory is a conflict.
    match files
        .upload(&dir.id, FilePart::new(b"x".to_vec()).file_name("x"))
        .unique_id("contracts/nda.pdf")
        .max_retries(0)
        .send()
        .await
    {
        Err(Error::Conflict(e)) => assert!(e.detail().unwrap_or_default().contains("unique_id")),
        other => panic!("expected Conflict, got {other:?}"),
    }

    // Metadata that isn't a JSON object of the spec's values is a 422 (the typed client can't
    // build one; a raw form can).
    for bad in ["not json", "[1]", r#"{"nested": {"a": 1}}"#] {
        let form = format!(
            "--XX\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"y\"\r\n\r\nx\r\n\
             --XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{bad}\r\n--XX--\r\n"
        );
        let path = format!("/api/v1/beta/directories/{}/files/upload", dir.id);
        let r = raw(
            &server,
            "POST",
            &path,
            &[BEARER],
            Some(("multipart/form-data; boundary=XX", form.as_bytes())),
        )
        .await;
        assert_eq!(r.status, 422, "{bad}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["detail"][0]["loc"][1], "metadata", "{bad}");
    }
}

#[tokio::test]
async fn add_and_update_files() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let files = c.beta().directories().files();
    let added = files.add(&dir.id, "file-abc").send().await.expect("add");
    assert_eq!(added.file_id.as_deref(), Some("file-abc"));
    assert_eq!(added.display_name, "file-abc", "defaults to the file id");

    let r = authed(
        &server,
        "PATCH",
        &format!("/api/v1/beta/directories/{}/files/{}", dir.id, added.id),
        Some(r#"{"display_name": "report.pdf", "metadata": {"k": "v"}, "unique_id": "u-1"}"#),
    )
    .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["display_name"], "report.pdf");
    assert_eq!(body["metadata"], json!({"k": "v"}));
    assert_eq!(body["unique_id"], "u-1");
    assert_eq!(body["id"], json!(added.id));

    // Fields left out are left alone.
    let r = authed(
        &server,
        "PATCH",
        &format!("/api/v1/beta/directories/{}/files/{}", dir.id, added.id),
        Some(r#"{"display_name": "final.pdf"}"#),
    )
    .await;
    let body = r.json();
    assert_eq!(body["display_name"], "final.pdf");
    assert_eq!(body["metadata"], json!({"k": "v"}));
    assert_eq!(body["unique_id"], "u-1");

    // Directories: update name and description, other fields stay.
    let updated = c.beta().directories().update(&dir.id).description("about").send().await.expect("update");
    assert_eq!(updated.name, "docs");
    assert_eq!(updated.description.as_deref(), Some("about"));
    assert_eq!(updated.created_at, dir.created_at);
    let renamed = c.beta().directories().update(&dir.id).name("renamed").send().await.expect("update");
    assert_eq!(renamed.name, "renamed");
    assert_eq!(renamed.description.as_deref(), Some("about"));
}

#[tokio::test]
async fn uploads_over_two_megabytes_are_accepted() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let big = vec![b'x'; 3 * 1024 * 1024];
    let f = c
        .beta()
        .directories()
        .files()
        .upload(&dir.id, FilePart::new(big).file_name("big.pdf"))
        .send()
        .await
        .expect("a 3 MB upload succeeds");
    assert_eq!(f.display_name, "big.pdf");
}

#[tokio::test]
async fn updating_a_file_keeps_unique_ids_unique() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let files = c.beta().directories().files();
    let a = files.add(&dir.id, "file-a").unique_id("u-a").send().await.expect("add");
    files.add(&dir.id, "file-b").unique_id("u-b").send().await.expect("add");
    // Adding a duplicate is refused ...
    assert!(matches!(files.add(&dir.id, "file-c").unique_id("u-b").send().await, Err(Error::Conflict(_))));
    // ... and so should renaming into one be.
    match files.update(&dir.id, &a.id).unique_id("u-b").send().await {
        Err(Error::Conflict(_)) => {}
        other => panic!("expected Conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn create_index_checks_every_enum_field() {
    let server = start().await;
    let c = client(&server);
    let dir = make_dir(&c, "docs").await;
    let body = format!(r#"{{"source_directory_id": "{}", "store_attachments": ["bogus"]}}"#, dir.id);
    let r = authed(&server, "POST", "/api/v1/indexes", Some(&body)).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["detail"][0]["loc"][1], "store_attachments");
    let body = format!(
        r#"{{"source_directory_id": "{}", "products": [{{"product_config_id": "c", "product_type": "bogus"}}]}}"#,
        dir.id
    );
    let r = authed(&server, "POST", "/api/v1/indexes", Some(&body)).await;
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["detail"][0]["loc"][1], "products");
}

// ---------------------------------------------------------------------------------------------
// Idempotency

#[tokio::test]
async fn an_idempotency_key_replay_returns_the_first_directory() {
    let server = start().await;
    let path = "/api/v1/beta/directories";
    let create = |key: &'static str, name: &'static str| {
        let body = format!(r#"{{"name": "{name}"}}"#);
        let server = &server;
        async move {
            raw(
                server,
                "POST",
                path,
                &[BEARER, ("Idempotency-Key", key)],
                Some(("application/json", body.as_bytes())),
            )
            .await
        }
    };
    let first = create("key-1", "docs").await;
    assert_eq!(first.status, 200);
    let replay = create("key-1", "docs").await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.json(), first.json(), "the same directory, byte for byte");

    let list = authed(&server, "GET", path, None).await.json();
    assert_eq!(list["total_size"], 1, "no second directory: {list}");

    // Another key creates another one.
    let other = create("key-2", "docs").await;
    assert_ne!(other.json()["id"], first.json()["id"]);
    let list = authed(&server, "GET", path, None).await.json();
    assert_eq!(list["total_size"], 2);

    // Without a key, each request creates.
    authed(&server, "POST", path, Some(r#"{"name": "x"}"#)).await;
    authed(&server, "POST", path, Some(r#"{"name": "x"}"#)).await;
    let list = authed(&server, "GET", path, None).await.json();
    assert_eq!(list["total_size"], 4);

    // A failed attempt isn't remembered: fixing the body under the same key creates it.
    let bad = raw(
        &server,
        "POST",
        path,
        &[BEARER, ("Idempotency-Key", "key-3")],
        Some(("application/json", br#"{"name": ""}"#)),
    )
    .await;
    assert_eq!(bad.status, 422);
    let good = create("key-3", "fixed").await;
    assert_eq!(good.status, 200);
    assert_eq!(good.json()["name"], "fixed");
}

#[tokio::test]
async fn an_idempotency_key_is_scoped_to_its_operation() {
    let server = start().await;
    let dir = raw(
        &server,
        "POST",
        "/api/v1/beta/directories",
        &[BEARER, ("Idempotency-Key", "shared")],
        Some(("application/json", br#"{"name": "docs"}"#)),
    )
    .await
    .json();
    let id = dir["id"].as_str().expect("id").to_string();
    let file = raw(
        &server,
        "POST",
        &format!("/api/v1/beta/directories/{id}/files"),
        &[BEARER, ("Idempotency-Key", "shared")],
        Some(("application/json", br#"{"file_id": "file-1"}"#)),
    )
    .await;
    assert_ne!(file.json(), dir, "a file request is not answered with the directory");
}

// ---------------------------------------------------------------------------------------------
// Fault injection

#[tokio::test]
async fn fail_rate_one_answers_every_request_with_an_injected_503() {
    let server = start_with(FakeConfig { fail_rate: 1.0, ..FakeConfig::default() }).await;
    for (method, path) in [
        ("GET", "/api/v1/indexes"),
        ("POST", "/api/v1/beta/directories"),
        ("GET", "/api/v1/beta/directories/dir-1"),
    ] {
        let r = authed(&server, method, path, Some(r#"{"name": "a"}"#)).await;
        assert_eq!(r.status, 503, "{method} {path}");
        assert!(r.detail().contains("injected failure"), "{}", r.detail());
    }
    let c = client(&server);
    match c.beta().directories().create("docs").send().await {
        Err(Error::InternalServer(e)) => {
            assert_eq!(e.status.as_u16(), 503);
            assert!(e.detail().unwrap_or_default().contains("injected failure"));
        }
        other => panic!("expected InternalServer, got {other:?}"),
    }
    assert_eq!(server.request_count(), 4);
}

#[tokio::test]
async fn a_fail_rate_between_zero_and_one_fails_some_requests() {
    let server = start_with(FakeConfig { fail_rate: 0.5, ..FakeConfig::default() }).await;
    let mut failed = 0;
    for _ in 0..40 {
        let r = authed(&server, "GET", "/api/v1/indexes", None).await;
        match r.status {
            503 => failed += 1,
            200 => {}
            s => panic!("unexpected status {s}"),
        }
    }
    assert!((8..=32).contains(&failed), "{failed} of 40 failed");
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let latency = Duration::from_millis(300);
    let server = start_with(FakeConfig { latency, ..FakeConfig::default() }).await;
    let c = client(&server);
    let t = Instant::now();
    c.beta().directories().list().send().await.expect("list");
    assert!(t.elapsed() >= latency, "took {:?}", t.elapsed());
    let t = Instant::now();
    let r = raw(&server, "GET", "/api/v1/indexes", &[], None).await;
    assert_eq!(r.status, 401);
    assert!(t.elapsed() >= latency, "rejected ones too: {:?}", t.elapsed());

    // And a fake without latency answers well below it.
    let quick = start().await;
    let t = Instant::now();
    client(&quick).beta().directories().list().send().await.expect("list");
    assert!(t.elapsed() < latency, "took {:?}", t.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Routes

/// Every path + method of the spec reaches a handler: the fallback (`x-fake-route: none`) and
/// axum's 405 both mean an operation without a route.
#[tokio::test]
async fn every_operation_in_the_spec_has_a_route() {
    let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/llama-cloud.yaml");
    let text = std::fs::read_to_string(spec_path).expect("spec is readable");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let paths = spec["paths"].as_mapping().expect("spec has paths");
    let server = start().await;
    let mut checked = 0;
    let mut missing = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().expect("path is text");
        let concrete: String = {
            let mut out = String::new();
            let mut in_param = false;
            for ch in path.chars() {
                match ch {
                    '{' => in_param = true,
                    '}' => {
                        in_param = false;
                        out.push('x');
                    }
                    _ if in_param => {}
                    c => out.push(c),
                }
            }
            out
        };
        for (method, _) in item.as_mapping().expect("path item is a map") {
            let method = method.as_str().expect("method is text");
            if !matches!(method, "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace") {
                continue;
            }
            let upper = method.to_ascii_uppercase();
            let body = matches!(method, "post" | "put" | "patch").then_some("{}");
            let r = authed(&server, &upper, &concrete, body).await;
            checked += 1;
            if r.header("x-fake-route") == Some("none") || r.status == 405 {
                missing.push(format!("{upper} {path} -> {}", r.status));
            }
        }
    }
    assert!(missing.is_empty(), "operations without a route: {missing:#?}");
    // An operation's own `operationId` (not a link's).
    let operations = text.lines().filter(|l| l.starts_with("      operationId:")).count();
    assert!(checked >= 17, "only {checked} operations found in the spec");
    assert_eq!(checked, operations, "every operation of the spec was tried");
}

#[tokio::test]
async fn unrouted_requests_are_marked_so_the_route_check_can_see_them() {
    let server = start().await;
    let r = authed(&server, "GET", "/api/v1/nothing-here", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("x-fake-route"), Some("none"));
    assert_eq!(r.json(), json!({"detail": "Not Found"}));
    let r = authed(&server, "PUT", "/api/v1/indexes", Some("{}")).await;
    assert_eq!(r.status, 405, "a known path with an unknown method");
    // A routed request carries no such header.
    let r = authed(&server, "GET", "/api/v1/indexes", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-fake-route"), None);
}

#[tokio::test]
async fn method_not_allowed_is_fastapi_shaped() {
    let server = start().await;
    let r = authed(&server, "PUT", "/api/v1/indexes", Some("{}")).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.json(), json!({"detail": "Method Not Allowed"}));
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and the binary

#[tokio::test]
async fn shutdown_stops_the_server_and_drop_does_too() {
    let server = start().await;
    let addr = server.addr();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert_eq!(server.url(), format!("http://{addr}"));
    let r = authed(&server, "GET", "/api/v1/indexes", None).await;
    assert_eq!(r.status, 200);
    server.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "nothing listens after shutdown");

    let dropped = start().await;
    let addr = dropped.addr();
    drop(dropped);
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            break;
        }
        assert!(Instant::now() < deadline, "still listening 3 s after drop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn two_fakes_do_not_share_state() {
    let one = start().await;
    let two = start().await;
    assert_ne!(one.addr(), two.addr());
    make_dir(&client(&one), "only-in-one").await;
    let page = client(&two).beta().directories().list().send().await.expect("list");
    assert!(page.items.is_empty());
}

/// Kills the child when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_binary_prints_its_url_and_serves_it() {
    use std::io::BufRead;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_llama-cloud-fake"))
        .args(["--addr", "127.0.0.1:0", "--api-key", "bin-key"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the fake binary starts");
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).map(|_| line)
    });
    let line = tokio::time::timeout(Duration::from_secs(10), line)
        .await
        .expect("prints within 10 s")
        .expect("join")
        .expect("read");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected url {url:?}"));
    assert_ne!(port, 0);

    let c = Client::builder().api_key("bin-key").base_url(url).max_retries(0).build().expect("client");
    let dir = make_dir(&c, "from-binary").await;
    assert_eq!(dir.name, "from-binary");
    let wrong = Client::builder().api_key("other").base_url(url).max_retries(0).build().expect("client");
    assert!(matches!(wrong.indexes().list().send().await, Err(Error::Authentication(_))));
}

#[test]
fn the_binary_rejects_bad_options_with_exit_2() {
    let bin = env!("CARGO_BIN_EXE_llama-cloud-fake");
    for args in [
        &["--fail-rate", "2"][..],
        &["--bogus"][..],
        &["--addr", "not-an-address"][..],
        &["--latency-ms"][..],
    ] {
        let out = std::process::Command::new(bin).args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: llama-cloud-fake"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    let help = std::process::Command::new(bin).arg("--help").output().expect("runs");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: llama-cloud-fake"));
}

/// A typed 422 body's entries: where (as text) and the error's kind.
fn issues(v: &types::HttpValidationError) -> Vec<(Vec<String>, String)> {
    let entries = v.detail.as_deref().unwrap_or_default();
    let place = |p: &types::ValidationErrorLocItem| match p {
        types::ValidationErrorLocItem::String(s) => s.clone(),
        types::ValidationErrorLocItem::Integer(i) => i.to_string(),
    };
    entries.iter().map(|e| (e.loc.iter().map(place).collect(), e.r#type.clone())).collect()
}
