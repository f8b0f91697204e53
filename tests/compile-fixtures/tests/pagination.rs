//! `Config::pagination` in the build script: pagination.yaml's search answers `{results, cursor}`,
//! which the default shape (`items`, `next_page_token`) doesn't match; with that shape added,
//! its builder streams every page on 127.0.0.1, passing each cursor back as `page_token`. Page
//! fields renamed by `Config::rename_field` are still what pagination reads.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use compile_fixtures::pagination_shaped_api::Client;
use futures_util::StreamExt;

#[tokio::test]
async fn a_configured_page_shape_streams_every_page() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"results": [{"id": "w1", "name": "a"}], "cursor": "c2"}"#),
        Reply::json(200, r#"{"results": [{"id": "w2", "name": "b"}]}"#),
    ])
    .await;
    let client = Client::from_runtime(server.client());
    let names: Vec<String> =
        client.widgets().search_widgets().into_stream().map(|w| w.unwrap().name).collect().await;
    assert_eq!(names, ["a", "b"]);
    let seen = server.requests();
    assert_eq!(seen[0].target, "/widgets/search");
    assert_eq!(seen[1].target, "/widgets/search?page_token=c2");
    // The page types' renamed fields (`matches`, `next`) are what pagination reads.
    let page: compile_fixtures::pagination_shaped_api::types::SearchResults =
        serde_json::from_str(r#"{"results": [], "cursor": "c"}"#).unwrap();
    assert!(page.matches.is_empty());
    let list = Server::start(vec![
        Reply::json(200, r#"{"items": [{"id": "w1", "name": "a"}], "next_page_token": "t2"}"#),
        Reply::json(200, r#"{"items": [{"id": "w2", "name": "b"}], "next_page_token": null}"#),
    ])
    .await;
    let client = Client::from_runtime(list.client());
    let pages: Vec<_> = client.widgets().list_widgets().pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].as_ref().unwrap().next.as_deref(), Some("t2"));
    assert_eq!(list.requests()[1].target, "/widgets?page_token=t2");
}
