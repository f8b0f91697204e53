//! What a caller sees when the server says no, or says yes with a body that doesn't decode.

mod common;

use common::*;
use ferrospec_runtime::__private::Request;
use ferrospec_runtime::{Error, RequestOptions, StatusCode};

fn get() -> Request {
    Request::new(&GET_THING, "/things/t-1".into())
}

async fn call(server: &Server, req: Request) -> Result<ferrospec_runtime::__private::RawResponse, Error> {
    server.client().execute(req, &RequestOptions::default()).await
}

// ----- decoding successful answers -----------------------------------------------------------

#[tokio::test]
async fn unknown_fields_are_ignored_when_decoding() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"id":"t-1","name":"first","size":7,"added_later":{"deep":[1,2,3]},"other":null}"#,
    )
    .header("x-request-id", "req-ok")])
    .await;
    let res = call(&server, get()).await.unwrap().json::<Thing>().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.request_id(), Some("req-ok"));
    assert_eq!(res.into_body(), Thing { id: "t-1".into(), name: "first".into(), size: Some(7) });
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_naming_the_type_and_quoting_the_body() {
    let body = r#"{"id":"t-1","name":"fir"#;
    let server = Server::start(vec![Reply::json(200, body)]).await;
    let err = call(&server, get()).await.unwrap().json::<Thing>().unwrap_err();
    match &err {
        Error::Decode { type_name, status, snippet, message } => {
            assert!(type_name.ends_with("Thing"), "{type_name}");
            assert_eq!(*status, StatusCode::OK);
            assert!(snippet.starts_with(r#"{"id":"t-1""#), "{snippet}");
            assert!(!message.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("Thing"), "{text}");
    assert!(text.contains("t-1"), "{text}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let server = Server::start(vec![Reply::json(200, r#"{"id": t-1, "name": "x"}"#)]).await;
    let err = call(&server, get()).await.unwrap().json::<Thing>().unwrap_err();
    match &err {
        Error::Decode { type_name, snippet, .. } => {
            assert!(type_name.contains("Thing"), "{type_name}");
            assert!(snippet.starts_with(r#"{"id": t-1"#), "{snippet}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_no_secret(&err);
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_decode_error() {
    let server = Server::start(vec![Reply::json(200, r#"{"id":"t-1"}"#)]).await;
    let err = call(&server, get()).await.unwrap().json::<Thing>().unwrap_err();
    assert!(matches!(&err, Error::Decode { message, .. } if message.contains("name")), "{err:?}");
}

#[tokio::test]
async fn an_empty_body_where_json_is_expected_says_the_body_is_empty() {
    let server = Server::start(vec![Reply::json(200, ""), Reply::json(200, "  \r\n ")]).await;
    for _ in 0..2 {
        let err = call(&server, get()).await.unwrap().json::<Thing>().unwrap_err();
        match &err {
            Error::Decode { type_name, message, .. } => {
                assert!(type_name.contains("Thing"), "{type_name}");
                assert!(message.contains("empty"), "{message}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(err.to_string().contains("empty"), "{err}");
    }
}

#[tokio::test]
async fn a_large_snippet_is_cut() {
    let long = format!(r#"{{"id":"{}""#, "x".repeat(5000));
    let server = Server::start(vec![Reply::json(200, long)]).await;
    let err = call(&server, get()).await.unwrap().json::<Thing>().unwrap_err();
    let Error::Decode { snippet, .. } = &err else { panic!("{err:?}") };
    assert!(snippet.chars().count() <= 201, "{}", snippet.len());
    assert!(err.to_string().len() < 1000);
}

#[tokio::test]
async fn an_empty_answer_is_fine_for_operations_without_a_body() {
    let server = Server::start(vec![Reply::status(204)]).await;
    let res = call(&server, get()).await.unwrap().empty().unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

// ----- error statuses --------------------------------------------------------------------------

#[tokio::test]
async fn a_404_is_not_found_with_the_detail_and_request_id() {
    let server = Server::start(vec![
        Reply::json(404, r#"{"detail":"Index not found"}"#).header("x-request-id", "req-404-abc")
    ])
    .await;
    let err = call(&server, get()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let api = err.api_error().expect("an answer from the server");
    assert_eq!(api.request_id.as_deref(), Some("req-404-abc"));
    assert_eq!(api.operation, "getThing");
    assert_eq!(api.detail().as_deref(), Some("Index not found"));
    assert_eq!(api.json.as_ref().and_then(|j| j["detail"].as_str()), Some("Index not found"));
    let text = err.to_string();
    assert!(text.contains("Index not found"), "{text}");
    assert!(text.contains("req-404-abc"), "{text}");
    assert!(!err.is_retryable());
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

/// What generated code writes for an operation that documents a 422 body (FastAPI's shape here,
/// but nothing in the runtime knows it).
#[derive(Debug, Clone, PartialEq)]
enum GetThingError {
    /// Its `detail` list.
    UnprocessableEntity(Vec<serde_json::Value>),
}

impl ferrospec_runtime::Documented for GetThingError {
    fn decode(status: StatusCode, body: &[u8]) -> Option<Self> {
        match status.as_u16() {
            422 => serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get("detail")?.as_array().cloned())
                .map(GetThingError::UnprocessableEntity),
            _ => None,
        }
    }
}

async fn typed_call(server: &Server) -> Result<Thing, Error<GetThingError>> {
    use ferrospec_runtime::__private::{send_body, Json, Prepared};
    let prepared = Prepared { client: server.client(), request: get(), options: RequestOptions::default() };
    send_body::<Json<Thing>, GetThingError>(Ok(prepared)).await
}

#[tokio::test]
async fn a_documented_422_comes_typed_with_its_status_and_raw_body() {
    let body = r#"{"detail":[
        {"loc":["body","name"],"msg":"Field required","type":"missing","input":{}},
        {"loc":["query","page_size",0],"msg":"Input should be a valid integer","type":"int_parsing"}
    ]}"#;
    let server = Server::start(vec![Reply::json(422, body)]).await;
    let err = typed_call(&server).await.unwrap_err();
    assert!(matches!(err, Error::UnprocessableEntity(_)), "{err:?}");
    let Some(GetThingError::UnprocessableEntity(d)) = err.documented() else { panic!("{err:?}") };
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["loc"], serde_json::json!(["body", "name"]));
    assert_eq!(d[1]["msg"], "Input should be a valid integer");
    assert_eq!(&err.api_error().unwrap().body[..], body.as_bytes());
    assert!(
        err.to_string().contains("body.name: Field required; query.page_size.0: Input should be"),
        "{err}"
    );
    assert_eq!(server.count(), 1, "a 422 is not retried");
    assert_no_secret(&err);
}

#[tokio::test]
async fn an_undocumented_or_undecodable_error_body_stays_raw_under_its_status() {
    let server = Server::start(vec![
        Reply::json(422, r#"{"detail":"not a list"}"#),
        Reply::json(404, r#"{"detail":[]}"#),
    ])
    .await;
    let err = typed_call(&server).await.unwrap_err();
    assert!(matches!(err, Error::UnprocessableEntity(_)) && err.documented().is_none(), "{err:?}");
    assert_eq!(err.api_error().unwrap().detail().as_deref(), Some("not a list"));
    let err = typed_call(&server).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)) && err.documented().is_none(), "{err:?}");
    // `?` into the plain error keeps the status and the body.
    let plain: Error = err.into();
    assert_eq!(plain.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(&plain.api_error().unwrap().body[..], br#"{"detail":[]}"#);
}

#[tokio::test]
async fn a_401_is_an_authentication_error_and_not_retried() {
    let server =
        Server::start(vec![Reply::json(401, r#"{"detail":"Invalid API key"}"#), Reply::json(200, "{}")])
            .await;
    let err = call(&server, get()).await.unwrap_err();
    assert!(matches!(err, Error::Authentication(_)), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(server.count(), 1);
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_403_is_permission_denied() {
    let server = Server::start(vec![Reply::json(403, r#"{"message":"nope"}"#)]).await;
    let err = call(&server, get()).await.unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)), "{err:?}");
    assert!(err.to_string().contains("nope"), "{err}");
}

#[tokio::test]
async fn an_unusual_status_is_a_status_error() {
    let server = Server::start(vec![Reply::status(418).body("short and stout")]).await;
    let err = call(&server, get()).await.unwrap_err();
    assert!(matches!(err, Error::Status(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    // Not JSON: the detail is the body text.
    assert!(err.to_string().contains("short and stout"), "{err}");
}

#[tokio::test]
async fn a_500_after_retries_run_out_is_internal_server_with_the_body_kept() {
    let body = r#"{"detail":"upstream exploded","trace":"abc"}"#;
    let server = Server::start(vec![
        Reply::fast_retry(500, body),
        Reply::fast_retry(500, body),
        Reply::fast_retry(500, body).header("x-request-id", "req-last"),
        Reply::json(200, "{}"),
    ])
    .await;
    let err = call(&server, get()).await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.count(), 3, "one attempt and the default two retries");
    let api = err.api_error().unwrap();
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(&api.body[..], body.as_bytes());
    assert_eq!(api.request_id.as_deref(), Some("req-last"), "the last answer is kept");
    assert_eq!(api.headers.get("retry-after-ms").and_then(|v| v.to_str().ok()), Some("0"));
    assert!(err.to_string().contains("upstream exploded"), "{err}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn an_error_body_decodes_as_a_declared_type() {
    let server = Server::start(vec![Reply::json(404, r#"{"id":"e-1","name":"missing","extra":true}"#)]).await;
    let err = call(&server, get()).await.unwrap_err();
    let parsed: Option<Thing> = err.api_error().unwrap().parse();
    assert_eq!(parsed.map(|t| t.name).as_deref(), Some("missing"));
}

// ----- bodies that arrive in pieces ------------------------------------------------------------

/// A JSON answer in three chunks, the last after a pause: the body is all of them, in order
/// (a one-chunk body is kept as it came; more are joined).
#[tokio::test]
async fn a_body_in_several_chunks_is_read_whole() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf).await.unwrap();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        for piece in [r#"{"id":"t-1","#, r#""name":"in "#, r#"pieces"}"#] {
            stream.write_all(format!("{:x}\r\n{piece}\r\n", piece.len()).as_bytes()).await.unwrap();
            stream.flush().await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        stream.write_all(b"0\r\n\r\n").await.unwrap();
    });
    let client = ferrospec_runtime::Client::builder().api_key("sk-test").base_url(url).build().unwrap();
    let raw = client.execute(get(), &RequestOptions::default()).await.unwrap();
    assert_eq!(raw.body.as_ref(), br#"{"id":"t-1","name":"in pieces"}"#);
    let thing = raw.json::<Thing>().unwrap().into_body();
    assert_eq!(thing, Thing { id: "t-1".into(), name: "in pieces".into(), size: None });
}
