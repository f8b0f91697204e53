//! Success responses described other than as a 2xx JSON body (tests/fixtures/successes.yaml),
//! against a real HTTP server on 127.0.0.1: a `default`-only operation returns its body, `*/*`
//! with a schema is JSON both ways, and date-times without an offset decode (as UTC).

use compile_fixtures::successes_api::{types, Client};
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers one request with `status` and a JSON `body`; returns the address and, once the call
/// is done, the request as text.
async fn serve_once(status: u16, body: &'static str) -> (SocketAddr, tokio::task::JoinHandle<String>) {
    serve_once_with(status, "", body).await
}

/// As `serve_once`, with more header lines (each ending in `\r\n`).
async fn serve_once_with(
    status: u16,
    headers: &'static str,
    body: &'static str,
) -> (SocketAddr, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        // Read the head, then as many body bytes as Content-Length says.
        loop {
            let n = sock.read(&mut buf).await.unwrap();
            seen.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&seen).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0usize);
                if seen.len() >= end + 4 + len || n == 0 {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        sock.write_all(reply.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&seen).to_string()
    });
    (addr, task)
}

fn client(addr: SocketAddr) -> Client {
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn a_default_only_operation_returns_its_body() {
    let (addr, seen) = serve_once(200, r#"{"id":"r-1","created_at":"2024-05-01T12:00:00.123456"}"#).await;
    let report = client(addr).get_report("r-1").await.expect("the default response is the success body");
    assert_eq!(report.id, "r-1");
    assert_eq!(report.created_at.to_string(), "2024-05-01T12:00:00.123456Z");
    assert_eq!(report.finished_at, None);
    let seen = seen.await.unwrap();
    assert!(seen.starts_with("GET /reports/r-1 HTTP/1.1\r\n"), "{seen}");
    assert!(seen.to_ascii_lowercase().contains("accept: application/json"), "{seen}");
}

#[tokio::test]
async fn star_star_with_a_schema_is_json_both_ways() {
    let (addr, seen) = serve_once(
        200,
        r#"{"id":"r-2","created_at":"2024-05-01T12:00:00Z","finished_at":"2024-05-01 13:30:00"}"#,
    )
    .await;
    let report = client(addr).search("llamas").await.unwrap();
    assert_eq!(report.finished_at.map(|t| t.to_string()).as_deref(), Some("2024-05-01T13:30:00Z"));
    let seen = seen.await.unwrap();
    let lower = seen.to_ascii_lowercase();
    assert!(lower.contains("content-type: application/json\r\n"), "not */*: {seen}");
    assert!(seen.ends_with(r#"{"q":"llamas"}"#), "{seen}");
}

#[tokio::test]
async fn star_star_with_a_binary_schema_stays_bytes() {
    let (addr, _seen) = serve_once(200, "not json at all").await;
    let bytes = client(addr).get_blob().await.unwrap();
    assert_eq!(&bytes[..], b"not json at all");
}

/// Following the redirect would lose it (and the server it names is someone else's).
#[tokio::test]
async fn a_documented_redirect_is_returned_with_its_location() {
    let (addr, seen) = serve_once_with(302, "location: https://idp.example.com/sso\r\n", "").await;
    let answer = client(addr).login().send_with_response().await.expect("302 is the documented answer");
    assert_eq!(answer.status.as_u16(), 302);
    assert_eq!(answer.headers["location"], "https://idp.example.com/sso");
    assert!(seen.await.unwrap().starts_with("GET /login HTTP/1.1\r\n"));
}

#[test]
fn date_times_round_trip_in_rfc3339() {
    let r: types::Report = serde_json::from_str(r#"{"id":"r","created_at":"2024-05-01T12:00:00"}"#).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap()["created_at"], "2024-05-01T12:00:00Z");
}

/// readOnly and writeOnly (tests/fixtures/access.yaml): in a type used both ways a required
/// readOnly `id` is neither an argument nor sent unless set; a required writeOnly `password` is
/// an argument (of the call and of `new`) and sent, since the document requires it in requests,
/// and a response without it decodes; a response re-encodes unchanged.
#[tokio::test]
async fn read_only_is_not_sent_unless_set_and_write_only_is_not_required_back() {
    use compile_fixtures::access_api::{types::Pet, Client};
    let (addr, seen) = serve_once(200, r#"{"id":"p-1","name":"Rex"}"#).await;
    let client = Client::builder().base_url(format!("http://{addr}")).build().unwrap();
    let pet = client.create_pet("Rex", "s3cret").await.unwrap();
    assert_eq!((pet.id.as_deref(), pet.name.as_str(), pet.password), (Some("p-1"), "Rex", None));
    let seen = seen.await.unwrap();
    assert!(seen.ends_with(r#"{"name":"Rex","password":"s3cret"}"#), "{seen}");
    assert_eq!(serde_json::to_string(&Pet::new("Rex", "pw")).unwrap(), r#"{"name":"Rex","password":"pw"}"#);
    // A value read from a response encodes back as it came (the example tests rely on it).
    let stored: Pet = serde_json::from_str(r#"{"id":"p-1","name":"Rex"}"#).unwrap();
    assert_eq!(serde_json::to_string(&stored).unwrap(), r#"{"id":"p-1","name":"Rex"}"#);
}

/// In a type only responses carry, a required readOnly field stays required
/// (tests/fixtures/examples.yaml's `Owner`), and `additionalProperties` beside `type: string`
/// leaves a string.
#[test]
fn read_only_in_a_response_only_type_is_required() {
    use compile_fixtures::examples_api::types::Owner;
    let owner = Owner::new("o1", "Ann");
    let id: &str = &owner.id;
    assert_eq!(id, "o1");
    assert!(serde_json::from_str::<Owner>(r#"{"name":"Ann"}"#).is_err(), "id is required");
    let raw = serde_json::json!({"id": "o1", "name": "Ann", "code": "AB-1"});
    let read: Owner = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(read.code.as_deref(), Some("AB-1"));
    assert_eq!(serde_json::to_value(&read).unwrap(), raw);
}
