//! OpenAPI 3.2 (tests/fixtures/v32-features.yaml) through the generated client, on a real server
//! on 127.0.0.1: the `QUERY` method and an `additionalOperations` method go out as themselves,
//! an `in: querystring` parameter is the whole query string, nested tags are nested resources,
//! and an `itemSchema` types a stream's items.

use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use compile_fixtures::v32_features_api::{types::*, Client};
use ferrospec_runtime::prelude::*;
use std::sync::{Arc, Mutex};

type Seen = Arc<Mutex<Vec<(Method, String, HeaderMap, String)>>>;

async fn server(seen: Seen) -> Client {
    let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: String| {
        let seen = seen.clone();
        async move {
            let target = uri.path_and_query().map(|p| p.to_string()).unwrap_or_default();
            seen.lock().unwrap().push((method.clone(), target, headers, body));
            let users = r#"[{"id":"u-1","name":"Ada"}]"#;
            let response: Response = match (method.as_str(), uri.path()) {
                ("COPY", _) => axum::http::StatusCode::NO_CONTENT.into_response(),
                (_, "/events") => (
                    [("content-type", "text/event-stream")],
                    "data: {\"id\":\"u-1\",\"name\":\"Ada\"}\n\ndata: {\"id\":\"u-2\",\"name\":\"Grace\"}\n\n",
                )
                    .into_response(),
                _ => ([("content-type", "application/json")], users).into_response(),
            };
            response
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap()
}

#[tokio::test]
async fn new_methods_querystring_nested_tags_and_item_schemas() {
    let seen = Seen::default();
    let client = server(seen.clone()).await;

    // `query:` is a QUERY request with its body.
    let found = client.search().users("ada").await.unwrap();
    assert_eq!(found, [User::new("u-1", "Ada")]);
    // An `additionalOperations` method, under the nested tag `admin` > `users`.
    client.admin().users().copy_users("/backup").await.unwrap();
    client.admin().users().list_users().await.unwrap();
    // The querystring parameter's fields are the query string.
    let mut filter = FilterUsersFilter::new();
    filter.role = Some("admin".into());
    filter.active = Some(true);
    client.search().filter_users().filter(filter).await.unwrap();
    // `itemSchema` is each event's data.
    let events: Vec<User> = client
        .admin()
        .users()
        .watch_users()
        .send_stream()
        .await
        .unwrap()
        .map_ok(|e| e.data)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(events, [User::new("u-1", "Ada"), User::new("u-2", "Grace")]);

    let seen = seen.lock().unwrap();
    assert_eq!(
        (seen[0].0.as_str(), seen[0].1.as_str(), seen[0].3.as_str()),
        ("QUERY", "/search", r#"{"text":"ada"}"#)
    );
    assert_eq!((seen[1].0.as_str(), seen[1].1.as_str()), ("COPY", "/users"));
    assert_eq!(seen[1].2["destination"], "/backup");
    assert_eq!((seen[2].0.as_str(), seen[2].1.as_str()), ("GET", "/users"));
    assert_eq!(seen[3].1, "/filter?active=true&role=admin");
    assert_eq!(seen[4].2["accept"], "text/event-stream");
}
