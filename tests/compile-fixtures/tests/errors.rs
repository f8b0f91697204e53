//! Documented error bodies (tests/fixtures/errors.yaml), against a real server on 127.0.0.1: a
//! failed call keeps its status-first `Error` variant and raw body, and `documented()` gives the
//! body as the type the document names for that status (its code, then `4XX`/`5XX`, then
//! `default`), or nothing when the status has no JSON body or the body doesn't match.

use axum::http::StatusCode;
use compile_fixtures::errors_api::{types::*, Client};
use ferrospec_runtime::prelude::*;
use ferrospec_runtime::{self as rt, Error};

/// A client for a server that answers every request with `status`, `content_type` and `body`.
async fn answering(status: u16, content_type: &'static str, body: &'static str) -> Client {
    let app = axum::Router::new().fallback(move || async move {
        (StatusCode::from_u16(status).unwrap(), [("content-type", content_type)], body)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap()
}

async fn get_thing(status: u16, content_type: &'static str, body: &'static str) -> Error<GetThingError> {
    answering(status, content_type, body).await.get_thing("t-9").await.unwrap_err()
}

#[tokio::test]
async fn an_exact_code_decodes_as_its_own_type() {
    let e = get_thing(404, "application/json", r#"{"code":"not_found","message":"No thing t-9"}"#).await;
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    assert_eq!(e.documented(), Some(&GetThingError::NotFound(Problem::new("not_found", "No thing t-9"))));

    let e = get_thing(422, "application/json", r#"{"field":"id","reasons":["too short"]}"#).await;
    match e.documented() {
        Some(GetThingError::UnprocessableEntity(v)) => {
            assert_eq!((v.field.as_str(), v.reasons.as_slice()), ("id", &["too short".to_string()][..]))
        }
        other => panic!("the 422's own inline type: {other:?}"),
    }
}

#[tokio::test]
async fn a_range_catches_its_codes_but_not_one_documented_without_a_body() {
    let e = get_thing(418, "application/problem+json", r#"{"code":"teapot","message":"no"}"#).await;
    assert!(matches!(e, Error::Status(_)), "{e:?}");
    assert_eq!(e.documented(), Some(&GetThingError::ClientError(Problem::new("teapot", "no"))));
    // 409 is documented with no body: the 4XX type doesn't claim it, though the body would fit.
    let e = get_thing(409, "application/json", r#"{"code":"locked","message":"no"}"#).await;
    assert!(matches!(e, Error::Conflict(_)) && e.documented().is_none(), "{e:?}");
    // 5XX is text: the raw answer is there, no typed body.
    let e = get_thing(503, "text/plain", "down for maintenance").await;
    assert!(matches!(e, Error::InternalServer(_)) && e.documented().is_none(), "{e:?}");
    assert_eq!(&e.api_error().unwrap().body[..], b"down for maintenance");
}

#[tokio::test]
async fn default_takes_every_status_nothing_else_names() {
    let e = get_thing(302, "application/json", r#"{"fault":"moved"}"#).await;
    assert_eq!(e.documented(), Some(&GetThingError::Other(Fault::new("moved"))), "{e:?}");
}

#[tokio::test]
async fn a_body_that_does_not_match_stays_raw_under_its_status() {
    let e = get_thing(404, "application/json", r#"{"detail":"gone"}"#).await;
    assert!(matches!(e, Error::NotFound(_)) && e.documented().is_none(), "{e:?}");
    let api = e.api_error().unwrap();
    assert_eq!(api.detail().as_deref(), Some("gone"));
    assert_eq!(e.status(), Some(rt::StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_question_mark_turns_the_typed_error_into_the_plain_one() {
    async fn call(client: &Client) -> Result<Thing, rt::Error> {
        Ok(client.get_thing("t-9").await?)
    }
    let client = answering(404, "application/json", r#"{"code":"not_found","message":"x"}"#).await;
    let e = call(&client).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)));
    assert_eq!(&e.api_error().unwrap().body[..], br#"{"code":"not_found","message":"x"}"#);
}

#[tokio::test]
async fn an_operation_without_json_error_bodies_keeps_the_plain_error() {
    let client = answering(404, "application/json", r#"{"code":"x","message":"y"}"#).await;
    // The type says there is nothing to decode: `Error<Undocumented>`, which is `rt::Error`.
    let e: rt::Error = client.delete_thing("t-9").await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)) && e.documented().is_none());
}

#[tokio::test]
async fn a_paged_list_streams_typed_errors() {
    let client = answering(500, "application/json", r#"{"code":"boom","message":"try later"}"#).await;
    let mut items = client.list_things().into_stream();
    let e = items.next().await.unwrap().unwrap_err();
    assert_eq!(e.documented(), Some(&ListThingsError::Other(Problem::new("boom", "try later"))), "{e:?}");
    assert!(items.next().await.is_none());
}
