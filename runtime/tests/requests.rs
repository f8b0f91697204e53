//! What goes on the wire: the path, query, cookies, Accept and body headers.

mod common;

use common::*;
use ferrospec_runtime::__private::{path_param, Operation, Request};
use ferrospec_runtime::{Method, RequestOptions};

#[tokio::test]
async fn paths_queries_cookies_and_default_queries_reach_the_server_encoded() {
    let server = Server::start(vec![Reply::json(200, "{}"), Reply::json(200, "{}")]).await;
    let client = server.builder().default_query("project_id", "p 1").build().unwrap();
    let id = path_param("id", "a/b c").unwrap();
    let mut req = Request::new(&GET_THING, format!("/things/{id}"));
    req.query("types", &["x", "y&z"]).unwrap();
    req.query("project_id", &None::<String>).unwrap();
    req.cookie("session", "v;1").unwrap();
    client.execute(req, &RequestOptions::default()).await.unwrap();
    // A call that sets the parameter itself keeps its own value.
    let mut req = Request::new(&GET_THING, "/things/t".into());
    req.query("project_id", "mine").unwrap();
    client.execute(req, &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].target, "/things/a%2Fb%20c?types=x&types=y%26z&project_id=p%201");
    assert_eq!(reqs[0].header("cookie"), Some("session=v%3B1"));
    assert_eq!(reqs[1].target, "/things/t?project_id=mine");
}

#[tokio::test]
async fn the_accept_header_is_the_operations() {
    static DOWNLOAD: Operation = Operation {
        id: "downloadThing",
        method: Method::GET,
        path: "/things/{id}/content",
        accept: "*/*",
        documented_statuses: &[200],
        idempotency_key: false,
        security: BEARER,
    };
    let server = Server::start(vec![Reply::status(200).body("raw bytes")]).await;
    let res = server
        .client()
        .execute(Request::new(&DOWNLOAD, "/things/t/content".into()), &RequestOptions::default())
        .await
        .unwrap()
        .bytes()
        .unwrap();
    assert_eq!(&res.body[..], b"raw bytes");
    assert_eq!(server.requests()[0].header("accept"), Some("*/*"));
}

/// Proxies answer 411 to a body-less POST without `Content-Length: 0`.
#[tokio::test]
async fn a_post_without_a_body_says_content_length_zero() {
    let server = Server::start(vec![Reply::json(200, "{}")]).await;
    server
        .client()
        .execute(Request::new(&CREATE, "/things".into()), &RequestOptions::default())
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.header("content-length"), Some("0"));
}

#[tokio::test]
async fn requests_without_a_body_send_no_body_or_content_type() {
    let server = Server::start(vec![Reply::json(200, "{}"), Reply::json(200, "{}")]).await;
    let client = server.client();
    client.execute(Request::new(&CREATE, "/things".into()), &RequestOptions::default()).await.unwrap();
    client.execute(Request::new(&GET_THING, "/things/t".into()), &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[1].method, "GET");
    for r in &reqs {
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.header("transfer-encoding"), None);
        assert!(r.body.is_empty());
    }
    assert_eq!(reqs[1].header("content-length"), None);
}

#[tokio::test]
async fn form_and_text_bodies_carry_their_content_type() {
    let server = Server::start(vec![Reply::json(200, "{}"), Reply::json(200, "{}")]).await;
    let client = server.client();
    let mut req = Request::new(&CREATE, "/things".into());
    req.form(&serde_json::json!({"name": "a b", "tags": ["x", "y"]})).unwrap();
    client.execute(req, &RequestOptions::default()).await.unwrap();
    let mut req = Request::new(&CREATE, "/things".into());
    req.text("text/plain", "hello".into());
    client.execute(req, &RequestOptions::default()).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(reqs[0].body, b"name=a+b&tags=x&tags=y");
    assert_eq!(reqs[1].header("content-type"), Some("text/plain"));
    assert_eq!(reqs[1].body, b"hello");
}

/// An operation whose documented answer is a redirect (a login that sends the browser on).
static LOGIN: Operation = Operation {
    id: "login",
    method: Method::GET,
    path: "/login",
    accept: "*/*",
    documented_statuses: &[302, 401],
    idempotency_key: false,
    security: &[],
};

#[tokio::test]
async fn a_documented_redirect_is_the_answer_not_followed() {
    let server = Server::start(vec![
        Reply::status(302).header("location", "/elsewhere"),
        Reply::status(301).header("location", "/elsewhere"),
    ])
    .await;
    let client = server.client();
    let res =
        client.execute(Request::new(&LOGIN, "/login".into()), &RequestOptions::default()).await.unwrap();
    assert_eq!(res.status.as_u16(), 302);
    assert_eq!(res.headers["location"], "/elsewhere");
    // A redirect the document doesn't name is an error that carries it, still not followed.
    let err =
        client.execute(Request::new(&LOGIN, "/login".into()), &RequestOptions::default()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(301));
    assert_eq!(server.count(), 2, "no request went to /elsewhere");
}

#[tokio::test]
async fn a_redirect_is_followed_where_the_document_answers_2xx() {
    let server =
        Server::start(vec![Reply::status(302).header("location", "/things/moved"), Reply::json(200, "{}")])
            .await;
    let res = server
        .client()
        .execute(Request::new(&GET_THING, "/things/t".into()), &RequestOptions::default())
        .await
        .unwrap();
    assert_eq!(res.status.as_u16(), 200);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].target, "/things/moved");
}
