//! Success responses of different JSON types (tests/fixtures/by-status.yaml), against a real
//! server on 127.0.0.1: the call returns an enum with a variant per status, and each status's
//! body decodes as that status's type (it was any JSON value before); a range (`2XX`) catches
//! the codes it covers, and an exact code wins over it.

use axum::http::StatusCode;
use compile_fixtures::by_status_api::{types::*, Client};

/// A client for a server that answers every request with `status` and `body`.
async fn answering(status: u16, body: &'static str) -> Client {
    let app = axum::Router::new().fallback(move || async move {
        (StatusCode::from_u16(status).unwrap(), [("content-type", "application/json")], body)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn each_status_decodes_as_its_own_type() {
    let done = answering(200, r#"{"result":true,"status":"ok"}"#).await.create_snapshot().await.unwrap();
    assert!(matches!(done, CreateSnapshotByStatus::Ok(ref r) if r.result && r.status == "ok"), "{done:?}");

    let later =
        answering(202, r#"{"task_id":"t-9","status":"accepted"}"#).await.create_snapshot().await.unwrap();
    assert_eq!(later, CreateSnapshotByStatus::Accepted(Task::new("t-9", "accepted")));

    let none = answering(204, "").await.create_snapshot().await.unwrap();
    assert_eq!(none, CreateSnapshotByStatus::NoContent);
}

#[tokio::test]
async fn the_whole_response_keeps_its_status_and_raw_body() {
    let r = answering(202, r#"{"task_id":"t-1","status":"accepted"}"#)
        .await
        .create_snapshot()
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    assert!(matches!(r.body(), CreateSnapshotByStatus::Accepted(t) if t.task_id == "t-1"));
    assert_eq!(r.raw_body().as_ref(), br#"{"task_id":"t-1","status":"accepted"}"#);
}

#[tokio::test]
async fn a_range_catches_its_codes_and_an_exact_code_wins() {
    let thing = answering(200, r#"{"id":"a","size":3}"#).await.get_thing("a").await.unwrap();
    assert_eq!(thing, GetThingByStatus::Ok(Thing::new("a", 3)));
    let task = answering(201, r#"{"task_id":"t","status":"running"}"#).await.get_thing("a").await.unwrap();
    assert!(matches!(task, GetThingByStatus::Success(ref t) if t.status == "running"), "{task:?}");
}

#[tokio::test]
async fn a_body_of_the_wrong_type_for_its_status_is_a_decode_error() {
    let e = answering(202, r#"{"result":true,"status":"ok"}"#).await.create_snapshot().await.unwrap_err();
    assert!(e.to_string().contains("task_id"), "{e}");
}
