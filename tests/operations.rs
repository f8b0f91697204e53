//! Every operation against a real HTTP server on 127.0.0.1: what the client sends (method, raw
//! path, raw query, headers, body bytes) and what it hands back (typed values decoded from the
//! reference pages' example responses).
//!
//! One recording fallback handler stores each request and answers with replies queued per test.

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use futures_util::TryStreamExt;
use llama_cloud::types::{self, DirectoryFileMetadataValue as Meta};
use llama_cloud::{Client, Error, FilePart};
use llama_cloud::{Date, DateTime};
use serde_json::{json, Value};
use std::collections::BTreeMap;

mod common;
use common::*;

// ---------------------------------------------------------------------------------------------
// Assertions shared by every operation
// ---------------------------------------------------------------------------------------------

/// Method, raw path and raw query, plus the headers every call sends.
fn assert_request(seen: &Seen, method: Method, path: &str, query: Option<&str>) {
    assert_eq!(seen.method, method, "method of {}", seen.uri);
    assert_eq!(seen.path(), path, "raw path");
    assert_eq!(seen.query(), query, "raw query of {}", seen.uri);
    assert_eq!(seen.header("authorization"), Some("Bearer test-key"));
    // A 204 operation accepts anything; the others ask for JSON.
    let accept = if method == Method::DELETE { "*/*" } else { "application/json" };
    assert_eq!(seen.header("accept"), Some(accept), "accept of {}", seen.uri);
    let ua = seen.header("user-agent").unwrap_or_default();
    assert_eq!(ua, concat!("llama-cloud/", env!("CARGO_PKG_VERSION")), "user-agent");
    assert_eq!(seen.header("x-retry-count"), Some("0"));
    assert_eq!(seen.header("cookie"), None, "no cookie unless asked");
    // The spec never says LlamaCloud honours idempotency keys (no `x-idempotency-key`), so
    // no request claims one.
    assert_eq!(seen.header("idempotency-key"), None, "{method} carries no idempotency key");
}

/// A request with a JSON body equal to `expected`.
fn assert_json_body(seen: &Seen, expected: Value) {
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.json(), expected);
}

/// A request without a body.
fn assert_no_body(seen: &Seen) {
    assert!(seen.body.is_empty(), "unexpected body {:?}", String::from_utf8_lossy(&seen.body));
    assert_eq!(seen.header("content-type"), None);
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, ms: u64) -> DateTime {
    let t = Date::from_ymd(y, mo, d).and_then(|d| d.and_hms(h, mi, s)).unwrap();
    t.checked_add(std::time::Duration::from_millis(ms)).unwrap()
}

/// 2019-12-27T18:11:19.117Z, the reference pages' timestamp.
fn seed_time() -> DateTime {
    utc(2019, 12, 27, 18, 11, 19, 117)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The decoded `name=value` pairs of a raw query, in order.
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Example responses (the reference pages in /work/shared/seeds, and realistic ones in kind)
// ---------------------------------------------------------------------------------------------

/// The Get Index / Create Index response from the reference page.
fn index_seed() -> Value {
    json!({
        "id": "id",
        "export_config_id": "export_config_id",
        "name": "name",
        "project_id": "project_id",
        "source_directory_id": "source_directory_id",
        "sync_config_id": "sync_config_id",
        "created_at": "2019-12-27T18:11:19.117Z",
        "description": "description",
        "last_exported_at": "2019-12-27T18:11:19.117Z",
        "last_synced_at": "2019-12-27T18:11:19.117Z",
        "metadata": {"foo": "bar"},
        "updated_at": "2019-12-27T18:11:19.117Z"
    })
}

fn foo_bar() -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("foo".into(), json!("bar"));
    m
}

// Models are non-exhaustive: built with `new(required fields)`, then optional fields set.
fn expected_seed_index() -> types::Index {
    let mut i = types::Index::new(
        "id",
        "export_config_id",
        "name",
        "project_id",
        "source_directory_id",
        "sync_config_id",
    );
    i.created_at = Some(seed_time());
    i.updated_at = Some(seed_time());
    i.last_exported_at = Some(seed_time());
    i.last_synced_at = Some(seed_time());
    i.description = Some("description".into());
    i.metadata = Some(foo_bar());
    i
}

/// The Get Directory response from the reference page.
fn directory_seed() -> Value {
    json!({
        "id": "id",
        "name": "x",
        "project_id": "project_id",
        "created_at": "2019-12-27T18:11:19.117Z",
        "deleted_at": "2019-12-27T18:11:19.117Z",
        "description": "description",
        "expires_at": "2019-12-27T18:11:19.117Z",
        "system_metadata": {"foo": "bar"},
        "type": "user",
        "updated_at": "2019-12-27T18:11:19.117Z"
    })
}

fn expected_seed_directory() -> types::Directory {
    let mut d = types::Directory::new("id", "x", "project_id");
    d.description = Some("description".into());
    d.created_at = Some(seed_time());
    d.updated_at = Some(seed_time());
    d.deleted_at = Some(seed_time());
    d.expires_at = Some(seed_time());
    d.system_metadata = Some(foo_bar());
    d.r#type = Some(types::DirectoryType::User);
    d
}

/// A directory file with every kind of metadata value, a presigned URL and an offset timestamp.
fn directory_file_json() -> Value {
    json!({
        "id": "dfile-abc123",
        "directory_id": "dir-abc123",
        "display_name": "report.pdf",
        "project_id": "proj-abc123",
        "unique_id": "reports/report.pdf",
        "file_id": "file-abc123",
        "created_at": "2019-12-27T18:11:19.117Z",
        "updated_at": "2024-03-02T10:00:00.500+02:00",
        "deleted_at": null,
        "download_url": {
            "url": "https://storage.example.com/report.pdf?X-Amz-Signature=abc",
            "expires_at": "2024-03-02T09:00:00Z",
            "form_fields": null
        },
        "metadata": {
            "department": "finance",
            "reviewed": true,
            "pages": 12,
            "score": 0.5,
            "tags": ["quarterly", "public"],
            "note": null
        }
    })
}

fn expected_metadata() -> BTreeMap<String, Option<Meta>> {
    BTreeMap::from([
        ("department".into(), Some(Meta::String("finance".into()))),
        ("reviewed".into(), Some(Meta::Boolean(true))),
        ("pages".into(), Some(Meta::Integer(12))),
        ("score".into(), Some(Meta::Number(0.5))),
        ("tags".into(), Some(Meta::StringList(vec!["quarterly".into(), "public".into()]))),
        ("note".into(), None),
    ])
}

fn expected_directory_file() -> types::DirectoryFile {
    let mut f = types::DirectoryFile::new(
        "dfile-abc123",
        "dir-abc123",
        "report.pdf",
        "proj-abc123",
        "reports/report.pdf",
    );
    f.file_id = Some("file-abc123".into());
    f.created_at = Some(seed_time());
    // 10:00:00.500+02:00 is 08:00:00.500 UTC.
    f.updated_at = Some(utc(2024, 3, 2, 8, 0, 0, 500));
    f.download_url = Some(types::PresignedUrl::new(
        "https://storage.example.com/report.pdf?X-Amz-Signature=abc",
        utc(2024, 3, 2, 9, 0, 0, 0),
    ));
    f.metadata = Some(expected_metadata());
    f
}

/// The upload example response from the spec.
fn uploaded_file_json() -> Value {
    json!({
        "id": "dfile-def456",
        "directory_id": "dir-abc123",
        "display_name": "notes.txt",
        "project_id": "proj-abc123",
        "unique_id": "notes.txt",
        "file_id": "file-def456",
        "created_at": "2019-12-27T18:11:19.117Z",
        "updated_at": "2019-12-27T18:11:19.117Z",
        "metadata": {}
    })
}

// ---------------------------------------------------------------------------------------------
// Indexes
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_indexes_sends_filters_and_decodes_the_page() {
    let (addr, rec) = server(
        200,
        json!({
            "items": [{
                "id": "idx-abc123",
                "export_config_id": "exp-abc123",
                "name": "my-index",
                "project_id": "proj-abc123",
                "source_directory_id": "dir-abc123",
                "sync_config_id": "sync-abc123",
                "output_directory_id": "dir-out456",
                "created_at": "2019-12-27T18:11:19.117Z",
                "metadata": {"foo": "bar"}
            }],
            "next_page_token": "eyJvZmZzZXQiOjEwfQ",
            "total_size": 12
        }),
    )
    .await;
    let page = client(addr)
        .indexes()
        .list()
        .page_size(20)
        .page_token("tok en/1")
        .source_directory_id("dir-abc123")
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(
        &seen,
        Method::GET,
        "/api/v1/indexes",
        Some("page_size=20&page_token=tok%20en%2F1&source_directory_id=dir-abc123"),
    );
    assert_no_body(&seen);

    assert_eq!(page.next_page_token.as_deref(), Some("eyJvZmZzZXQiOjEwfQ"));
    assert_eq!(page.total_size, Some(12));
    assert_eq!(page.items.len(), 1);
    let idx = &page.items[0];
    assert_eq!(idx.id, "idx-abc123");
    assert_eq!(idx.sync_config_id, "sync-abc123");
    assert_eq!(idx.output_directory_id.as_deref(), Some("dir-out456"));
    assert_eq!(idx.created_at, Some(seed_time()));
    assert_eq!(idx.updated_at, None);
}

#[tokio::test]
async fn list_indexes_without_parameters_sends_no_query() {
    let (addr, rec) = server(200, json!({"items": []})).await;
    let page = client(addr).indexes().list().send().await.unwrap();
    assert_request(&rec.only(), Method::GET, "/api/v1/indexes", None);
    assert!(page.items.is_empty());
    assert_eq!(page.next_page_token, None);
    assert_eq!(page.total_size, None);
}

#[tokio::test]
async fn list_indexes_stream_follows_next_page_token_with_the_same_filters() {
    let index = |id: &str| {
        let mut v = index_seed();
        v["id"] = json!(id);
        v
    };
    let (addr, rec) = server_with(vec![
        reply(200, json!({"items": [index("idx-1"), index("idx-2")], "next_page_token": "p2"})),
        reply(200, json!({"items": [index("idx-3")], "next_page_token": null})),
    ])
    .await;
    let all: Vec<types::Index> = client(addr)
        .indexes()
        .list()
        .page_size(2)
        .source_directory_id("dir-1")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["idx-1", "idx-2", "idx-3"]);

    let seen = rec.requests();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_request(&seen[0], Method::GET, "/api/v1/indexes", Some("page_size=2&source_directory_id=dir-1"));
    assert_request(
        &seen[1],
        Method::GET,
        "/api/v1/indexes",
        Some("page_size=2&page_token=p2&source_directory_id=dir-1"),
    );
}

#[tokio::test]
async fn create_index_sends_the_full_json_body() {
    let (addr, rec) = server(200, index_seed()).await;
    let index = client(addr)
        .indexes()
        .create("dir-abc123")
        .name("my-index")
        .description("Product documentation")
        .products(vec![
            types::IndexProduct::new("cfg-parse-123", types::IndexProductType::Parse),
            types::IndexProduct::new("cfg-x", types::IndexProductType::from("classify")),
        ])
        .store_attachments(vec![types::StoreAttachment::Screenshots, types::StoreAttachment::Items])
        .sync_frequency(types::SyncFrequency::OnSourceChange)
        .vector_target(types::VectorTarget::Disabled)
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/indexes", None);
    assert_json_body(
        &seen,
        json!({
            "source_directory_id": "dir-abc123",
            "name": "my-index",
            "description": "Product documentation",
            "products": [
                {"product_config_id": "cfg-parse-123", "product_type": "parse"},
                {"product_config_id": "cfg-x", "product_type": "classify"}
            ],
            "store_attachments": ["screenshots", "items"],
            "sync_frequency": "on_source_change",
            "vector_target": "DISABLED"
        }),
    );

    assert_eq!(index, expected_seed_index());
    assert_eq!(index.created_at, Some(seed_time()));
}

#[tokio::test]
async fn create_index_leaves_unset_fields_out_of_the_body() {
    let (addr, rec) = server(200, index_seed()).await;
    client(addr).indexes().create("dir-abc123").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/indexes", None);
    // Not `"name": null` and friends: only the required field.
    assert_eq!(seen.body, Bytes::from(r#"{"source_directory_id":"dir-abc123"}"#));
    assert_eq!(seen.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn get_index_decodes_the_reference_example() {
    let (addr, rec) = server(200, index_seed()).await;
    let resp = client(addr).indexes().get("idx-abc123").send_with_response().await.unwrap();

    let seen = rec.only();
    assert_request(&seen, Method::GET, "/api/v1/indexes/idx-abc123", None);
    assert_no_body(&seen);

    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.request_id(), Some("req-1"));
    let index = resp.into_body();
    assert_eq!(index.created_at, Some("2019-12-27T18:11:19.117Z".parse::<DateTime>().unwrap()));
    assert_eq!(index, expected_seed_index());
}

#[tokio::test]
async fn get_index_with_expand_sends_sync_in_progress() {
    let mut body = index_seed();
    body["sync_in_progress"] = json!(true);
    body["a_field_this_client_does_not_know"] = json!({"x": 1});
    let (addr, rec) = server(200, body).await;
    let index = client(addr)
        .indexes()
        .get("idx-1")
        .expand([types::IndexExpand::SyncInProgress])
        .send()
        .await
        .unwrap();
    assert_request(&rec.only(), Method::GET, "/api/v1/indexes/idx-1", Some("expand=sync_in_progress"));
    assert_eq!(index.sync_in_progress, Some(true));
}

#[tokio::test]
async fn get_index_repeats_expand_for_several_values() {
    let (addr, rec) = server(200, index_seed()).await;
    client(addr)
        .indexes()
        .get("idx-1")
        .expand([types::IndexExpand::SyncInProgress, types::IndexExpand::from("stats")])
        .send()
        .await
        .unwrap();
    assert_request(
        &rec.only(),
        Method::GET,
        "/api/v1/indexes/idx-1",
        Some("expand=sync_in_progress&expand=stats"),
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_into_one_segment() {
    let (addr, rec) = server(200, index_seed()).await;
    let c = client(addr);
    c.indexes().get("a/b?c d#e").send().await.unwrap();
    c.indexes().sync("idx/../x").send().await.unwrap();
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    // `/` can't add a segment, `?` can't start the query, `#` can't start a fragment.
    assert_eq!(seen[0].path(), "/api/v1/indexes/a%2Fb%3Fc%20d%23e");
    assert_eq!(seen[0].query(), None);
    assert_eq!(seen[1].path(), "/api/v1/indexes/idx%2F..%2Fx/sync");
}

#[tokio::test]
async fn two_path_parameters_are_each_encoded() {
    let (addr, rec) = server(200, directory_file_json()).await;
    client(addr).beta().directories().files().get("dir/1 ü", "file?2#3&4=5").send().await.unwrap();
    let seen = rec.only();
    assert_eq!(seen.path(), "/api/v1/beta/directories/dir%2F1%20%C3%BC/files/file%3F2%233%264%3D5");
    assert_eq!(seen.query(), None);
}

#[tokio::test]
async fn delete_index_returns_unit_on_204() {
    let (addr, rec) = server_with(vec![no_content()]).await;
    let c = client(addr);
    let () = c.indexes().delete("idx-abc123").send().await.unwrap();
    let resp = c.indexes().delete("idx-abc123").send_with_response().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);

    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_request(s, Method::DELETE, "/api/v1/indexes/idx-abc123", None);
        assert_no_body(s);
    }
}

#[tokio::test]
async fn sync_index_posts_without_a_body_and_returns_the_object() {
    let (addr, rec) = server(200, json!({"sync_id": "sync-run-1", "status": "started"})).await;
    let out = client(addr).indexes().sync("idx-abc123").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/indexes/idx-abc123/sync", None);
    assert_no_body(&seen);
    assert_eq!(out.get("sync_id"), Some(&json!("sync-run-1")));
    assert_eq!(out.get("status"), Some(&json!("started")));
    assert_eq!(out.len(), 2);
}

#[tokio::test]
async fn sync_index_decodes_the_reference_example_empty_object() {
    let (addr, rec) = server(200, json!({})).await;
    let out = client(addr).indexes().sync("id").send().await.unwrap();
    assert_request(&rec.only(), Method::POST, "/api/v1/indexes/id/sync", None);
    assert!(out.is_empty());
}

#[tokio::test]
async fn cancel_index_sync_posts_to_the_cancel_path() {
    let (addr, rec) = server(200, json!({"cancelled": true})).await;
    let out = client(addr).indexes().cancel_sync("idx-abc123").project_id("proj-1").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/indexes/idx-abc123/sync/cancel", Some("project_id=proj-1"));
    assert_no_body(&seen);
    assert_eq!(out.get("cancelled"), Some(&json!(true)));
}

#[tokio::test]
async fn cancel_index_sync_409_is_a_conflict_and_is_not_retried() {
    let (addr, rec) = server(409, json!({"detail": "No sync is running for this index"})).await;
    let err = client(addr).indexes().cancel_sync("idx-abc123").send().await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    let api = err.api_error().unwrap();
    assert_eq!(api.detail().as_deref(), Some("No sync is running for this index"));
    assert_eq!(api.request_id.as_deref(), Some("req-1"));
    match err.documented() {
        Some(types::CancelIndexSyncError::Conflict(c)) => {
            assert_eq!(c.detail, ("No sync is running for this index"))
        }
        other => panic!("the documented 409 body, typed: {other:?}"),
    }
    // The document says 409 means "nothing to cancel": retrying can't help.
    assert_eq!(rec.count(), 1);
}

#[tokio::test]
async fn validation_errors_come_back_typed() {
    let (addr, rec) = server(
        422,
        json!({"detail": [{"loc": ["body", "source_directory_id"], "msg": "Field required", "type": "missing"}]}),
    )
    .await;
    let err = client(addr).indexes().create("").send().await.unwrap_err();
    assert!(matches!(err, Error::UnprocessableEntity(_)), "{err:?}");
    // The body is the type the document gives for a 422, with no JSON handling here.
    let Some(types::CreateIndexError::UnprocessableEntity(v)) = err.documented() else {
        panic!("a documented 422 body comes typed: {err:?}")
    };
    let detail = v.detail.as_deref().unwrap();
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].loc, ["body".into(), "source_directory_id".into()]);
    assert_eq!((detail[0].msg.as_str(), detail[0].r#type.as_str()), ("Field required", "missing"));
    // The raw body is still there, and a `?` into the plain error keeps it.
    let plain: Error = err.into();
    assert!(plain.api_error().unwrap().body.starts_with(br#"{"detail""#));
    assert_eq!(rec.count(), 1, "a 422 is not retried");
}

// ---------------------------------------------------------------------------------------------
// Directories
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_directories_sends_every_filter_and_repeats_types() {
    let (addr, rec) = server(
        200,
        json!({
            "items": [
                directory_seed(),
                {"id": "dir-2", "name": "tmp", "project_id": "p", "type": "system_ephemeral"},
                {"id": "dir-3", "name": "new", "project_id": "p", "type": "shared"}
            ],
            "next_page_token": null,
            "total_size": 3
        }),
    )
    .await;
    let page = client(addr)
        .beta()
        .directories()
        .list()
        .include_deleted(true)
        .name("my docs&co=1+2")
        .r#type(types::DirectoryTypeFilter::User)
        .types([types::DirectoryTypeFilter::Ephemeral, types::DirectoryTypeFilter::Index])
        .page_size(10)
        .page_token("tok")
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(
        &seen,
        Method::GET,
        "/api/v1/beta/directories",
        Some(
            "include_deleted=true&name=my%20docs%26co%3D1%2B2&type=user\
             &types=ephemeral&types=index&page_size=10&page_token=tok",
        ),
    );
    assert_no_body(&seen);

    assert_eq!(page.total_size, Some(3));
    assert_eq!(page.next_page_token, None);
    assert_eq!(page.items[0], expected_seed_directory());
    assert_eq!(page.items[1].r#type, Some(types::DirectoryType::SystemEphemeral));
    assert_eq!(page.items[2].r#type, Some(types::DirectoryType::from("shared")));
}

#[tokio::test]
async fn list_directories_without_parameters_sends_no_query() {
    let (addr, rec) = server(200, json!({"items": [directory_seed()]})).await;
    let page = client(addr).beta().directories().list().send().await.unwrap();
    assert_request(&rec.only(), Method::GET, "/api/v1/beta/directories", None);
    assert_eq!(page.items, [expected_seed_directory()]);
}

#[tokio::test]
async fn create_directory_sends_the_json_body() {
    let (addr, rec) = server(200, directory_seed()).await;
    let mut sys = serde_json::Map::new();
    sys.insert("origin".into(), json!({"kind": "test", "n": 1}));
    let dir = client(addr)
        .beta()
        .directories()
        .create("my-docs")
        .description("Product documentation")
        .connector_subscription_id("sub-1")
        .system_metadata(sys)
        .r#type(types::DirectoryCreateType::User)
        .organization_id("org-1")
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/beta/directories", Some("organization_id=org-1"));
    assert_json_body(
        &seen,
        json!({
            "name": "my-docs",
            "description": "Product documentation",
            "connector_subscription_id": "sub-1",
            "system_metadata": {"origin": {"kind": "test", "n": 1}},
            "type": "user"
        }),
    );
    assert_eq!(dir, expected_seed_directory());
}

#[tokio::test]
async fn create_directory_minimal_body() {
    let (addr, rec) = server(200, directory_seed()).await;
    client(addr).beta().directories().create("my-docs").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/beta/directories", None);
    assert_eq!(seen.body, Bytes::from(r#"{"name":"my-docs"}"#));
}

#[tokio::test]
async fn get_directory_decodes_the_reference_example() {
    let (addr, rec) = server(200, directory_seed()).await;
    let dir = client(addr).beta().directories().get("dir-abc123").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::GET, "/api/v1/beta/directories/dir-abc123", None);
    assert_no_body(&seen);

    assert_eq!(dir.r#type, Some(types::DirectoryType::User));
    assert_eq!(dir.created_at, Some(seed_time()));
    assert_eq!(dir.expires_at, Some(seed_time()));
    assert_eq!(dir, expected_seed_directory());
}

#[tokio::test]
async fn get_directory_sends_the_session_cookie_when_set() {
    let (addr, rec) = server(200, directory_seed()).await;
    let c = client(addr);
    c.beta().directories().get("dir-abc123").session("s3ss10n-token").send().await.unwrap();
    c.beta().directories().get("dir-abc123").session("a b;c=d").send().await.unwrap();
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.method, Method::GET);
        assert_eq!(s.path(), "/api/v1/beta/directories/dir-abc123");
        assert_eq!(s.query(), None);
        assert_eq!(s.header("authorization"), Some("Bearer test-key"));
    }
    assert_eq!(seen[0].header("cookie"), Some("session=s3ss10n-token"));
    // `;` and space can't end the cookie or add another one.
    assert_eq!(seen[1].header("cookie"), Some("session=a%20b%3Bc%3Dd"));
}

#[tokio::test]
async fn update_directory_patches_only_the_set_fields() {
    let mut body = directory_seed();
    body["name"] = json!("renamed-docs");
    body["updated_at"] = json!("2019-12-28T09:30:00.000Z");
    let (addr, rec) = server(200, body).await;
    let dir =
        client(addr).beta().directories().update("dir-abc123").name("renamed-docs").send().await.unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::PATCH, "/api/v1/beta/directories/dir-abc123", None);
    assert_json_body(&seen, json!({"name": "renamed-docs"}));
    assert_eq!(dir.name, "renamed-docs");
    assert_eq!(dir.updated_at, Some(utc(2019, 12, 28, 9, 30, 0, 0)));
}

#[tokio::test]
async fn update_directory_with_both_fields() {
    let (addr, rec) = server(200, directory_seed()).await;
    client(addr)
        .beta()
        .directories()
        .update("dir-abc123")
        .name("renamed-docs")
        .description("Renamed product documentation")
        .send()
        .await
        .unwrap();
    assert_json_body(
        &rec.only(),
        json!({"name": "renamed-docs", "description": "Renamed product documentation"}),
    );
}

#[tokio::test]
async fn delete_directory_returns_unit_on_204() {
    let (addr, rec) = server_with(vec![no_content()]).await;
    let resp = client(addr).beta().directories().delete("dir-abc123").send_with_response().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let () = resp.into_body();
    let seen = rec.only();
    assert_request(&seen, Method::DELETE, "/api/v1/beta/directories/dir-abc123", None);
    assert_no_body(&seen);
}

// ---------------------------------------------------------------------------------------------
// Directory files
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_directory_files_sends_every_filter_with_rfc3339_times() {
    let (addr, rec) = server(
        200,
        json!({
            "items": [directory_file_json()],
            "next_page_token": "eyJvZmZzZXQiOjF9",
            "total_size": 2
        }),
    )
    .await;
    let after = utc(2024, 5, 6, 7, 8, 9, 250);
    let before = utc(2024, 12, 31, 23, 59, 59, 0);
    let page = client(addr)
        .beta()
        .directories()
        .files()
        .list("dir-abc123")
        .display_name("report.pdf")
        .display_name_contains("rep ort")
        .expand(["download_url".to_string(), "metadata".to_string()])
        .file_id("file-abc123")
        .include_deleted(false)
        .unique_id("reports/report.pdf")
        .updated_at_on_or_after(after)
        .updated_at_on_or_before(before)
        .page_size(50)
        .page_token("eyJvZmZzZXQiOjB9")
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(
        &seen,
        Method::GET,
        "/api/v1/beta/directories/dir-abc123/files",
        Some(
            "display_name=report.pdf&display_name_contains=rep%20ort\
             &expand=download_url&expand=metadata&file_id=file-abc123&include_deleted=false\
             &unique_id=reports%2Freport.pdf\
             &updated_at_on_or_after=2024-05-06T07%3A08%3A09.250Z\
             &updated_at_on_or_before=2024-12-31T23%3A59%3A59Z\
             &page_size=50&page_token=eyJvZmZzZXQiOjB9",
        ),
    );
    assert_no_body(&seen);
    // Whatever the exact spelling, the values read back as the same instants.
    let pairs = query_pairs(seen.query());
    let time = |name: &str| {
        let v = &pairs.iter().find(|(k, _)| k == name).unwrap().1;
        v.parse::<DateTime>().unwrap_or_else(|e| panic!("{name}={v}: {e}"))
    };
    assert_eq!(time("updated_at_on_or_after"), after);
    assert_eq!(time("updated_at_on_or_before"), before);

    assert_eq!(page.items, [expected_directory_file()]);
    assert_eq!(page.next_page_token.as_deref(), Some("eyJvZmZzZXQiOjF9"));
    assert_eq!(page.total_size, Some(2));
}

#[tokio::test]
async fn list_directory_files_stream_stops_on_empty_token() {
    let file = |id: &str| {
        let mut v = directory_file_json();
        v["id"] = json!(id);
        v
    };
    let (addr, rec) = server_with(vec![
        reply(200, json!({"items": [file("f1")], "next_page_token": "t2"})),
        reply(200, json!({"items": [file("f2")], "next_page_token": ""})),
    ])
    .await;
    let files: Vec<types::DirectoryFile> = client(addr)
        .beta()
        .directories()
        .files()
        .list("dir-1")
        .display_name_contains("q")
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(files.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["f1", "f2"]);
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].query(), Some("display_name_contains=q"));
    assert_eq!(seen[1].query(), Some("display_name_contains=q&page_token=t2"));
    assert_eq!(seen[1].path(), "/api/v1/beta/directories/dir-1/files");
}

#[tokio::test]
async fn add_directory_file_sends_metadata_of_every_kind() {
    let (addr, rec) = server(200, directory_file_json()).await;
    let file = client(addr)
        .beta()
        .directories()
        .files()
        .add("dir-abc123", "file-abc123")
        .display_name("report.pdf")
        .unique_id("reports/report.pdf")
        .metadata(expected_metadata())
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/beta/directories/dir-abc123/files", None);
    assert_json_body(
        &seen,
        json!({
            "file_id": "file-abc123",
            "display_name": "report.pdf",
            "unique_id": "reports/report.pdf",
            "metadata": {
                "department": "finance",
                "reviewed": true,
                "pages": 12,
                "score": 0.5,
                "tags": ["quarterly", "public"],
                "note": null
            }
        }),
    );
    assert_eq!(file, expected_directory_file());
}

#[tokio::test]
async fn add_directory_file_minimal_body() {
    let (addr, rec) = server(200, directory_file_json()).await;
    client(addr).beta().directories().files().add("dir-abc123", "file-abc123").send().await.unwrap();
    let seen = rec.only();
    assert_eq!(seen.body, Bytes::from(r#"{"file_id":"file-abc123"}"#));
    assert_eq!(seen.header("content-type"), Some("application/json"));
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
struct Part {
    headers: Vec<(String, String)>,
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Parses a multipart body strictly: the boundary from the content type, CRLF line ends, the
/// closing delimiter at the very end.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content type {content_type:?}"))
        .trim_matches('"');
    assert!(!boundary.is_empty() && boundary.len() <= 70, "{boundary:?}");
    let first = format!("--{boundary}\r\n");
    let close = format!("\r\n--{boundary}--\r\n");
    let sep = format!("\r\n--{boundary}\r\n");
    assert!(body.starts_with(first.as_bytes()), "body starts with the boundary");
    assert!(body.ends_with(close.as_bytes()), "body ends with the close delimiter");
    let inner = &body[first.len()..body.len() - close.len()];

    let mut chunks = Vec::new();
    let mut start = 0;
    while let Some(i) = find(inner, sep.as_bytes(), start) {
        chunks.push(&inner[start..i]);
        start = i + sep.len();
    }
    chunks.push(&inner[start..]);

    chunks
        .into_iter()
        .map(|chunk| {
            let split = find(chunk, b"\r\n\r\n", 0).expect("part headers end");
            let head = std::str::from_utf8(&chunk[..split]).unwrap();
            let headers: Vec<(String, String)> = head
                .split("\r\n")
                .map(|l| {
                    let (k, v) = l.split_once(':').expect("header line");
                    (k.trim().to_ascii_lowercase(), v.trim().to_string())
                })
                .collect();
            let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            let disposition = get("content-disposition").expect("content-disposition");
            let mut params = disposition.split(';').map(str::trim);
            assert_eq!(params.next(), Some("form-data"));
            let mut name = None;
            let mut filename = None;
            for p in params {
                let (k, v) = p.split_once('=').unwrap();
                let v = v.trim_matches('"').to_string();
                match k {
                    "name" => name = Some(v),
                    "filename" => filename = Some(v),
                    other => panic!("unexpected disposition parameter {other}"),
                }
            }
            Part {
                content_type: get("content-type"),
                headers,
                name: name.expect("part name"),
                filename,
                body: chunk[split + 4..].to_vec(),
            }
        })
        .collect()
}

#[tokio::test]
async fn upload_directory_file_sends_every_multipart_part() {
    let (addr, rec) = server(200, uploaded_file_json()).await;
    // Binary content with CRLFs, NULs and a fake delimiter must arrive byte for byte.
    let content: Vec<u8> = b"line one\r\n--not-a-boundary\r\n\x00\xff\xfe binary \r\n\r\nend".to_vec();
    let file = FilePart::new(content.clone()).file_name("notes.txt").content_type("text/plain");
    let out = client(addr)
        .beta()
        .directories()
        .files()
        .upload("dir-abc123", file)
        .display_name("Meeting notes")
        .external_file_id("ext-42")
        .metadata(BTreeMap::from([
            ("department".to_string(), Some("finance".into())),
            ("reviewed".to_string(), Some(true.into())),
        ]))
        .unique_id("notes/2024/notes.txt")
        .send()
        .await
        .unwrap();

    let seen = rec.only();
    assert_request(&seen, Method::POST, "/api/v1/beta/directories/dir-abc123/files/upload", None);
    let ct = seen.header("content-type").expect("content-type").to_string();
    let parts = parse_multipart(&ct, &seen.body);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["upload_file", "display_name", "external_file_id", "metadata", "unique_id"]);

    let f = &parts[0];
    assert_eq!(f.filename.as_deref(), Some("notes.txt"));
    assert_eq!(f.content_type.as_deref(), Some("text/plain"));
    assert_eq!(f.body, content);

    let text = |name: &str| {
        let p = parts.iter().find(|p| p.name == name).unwrap();
        assert_eq!(p.filename, None, "{name} is a text field");
        assert_eq!(p.content_type, None, "{name} is a text field");
        assert_eq!(p.headers.len(), 1, "{name}: {:?}", p.headers);
        String::from_utf8(p.body.clone()).unwrap()
    };
    assert_eq!(text("display_name"), "Meeting notes");
    assert_eq!(text("external_file_id"), "ext-42");
    // The metadata string goes as is, not JSON-quoted a second time.
    assert_eq!(text("metadata"), r#"{"department":"finance","reviewed":true}"#);
    assert_eq!(text("unique_id"), "notes/2024/notes.txt");

    assert_eq!(out.id, "dfile-def456");
    assert_eq!(out.display_name, "notes.txt");
    assert_eq!(out.file_id.as_deref(), Some("file-def456"));
    assert_eq!(out.created_at, Some(seed_time()));
    assert_eq!(out.metadata, Some(BTreeMap::new()));
}

#[tokio::test]
async fn upload_directory_file_with_only_the_file() {
    let (addr, rec) = server(200, uploaded_file_json()).await;
    client(addr)
        .beta()
        .directories()
        .files()
        .upload("dir-abc123", FilePart::new(b"%PDF-1.7 ...".to_vec()))
        .send()
        .await
        .unwrap();
    let seen = rec.only();
    let ct = seen.header("content-type").unwrap().to_string();
    let parts = parse_multipart(&ct, &seen.body);
    assert_eq!(parts.len(), 1, "{parts:#?}");
    assert_eq!(parts[0].name, "upload_file");
    // The document's encoding for upload_file: application/octet-stream.
    assert_eq!(parts[0].content_type.as_deref(), Some("application/octet-stream"));
    assert!(parts[0].filename.is_some(), "a file part always has a filename");
    assert_eq!(parts[0].body, b"%PDF-1.7 ...");
}

#[tokio::test]
async fn get_directory_file_sends_expand_and_decodes_the_file() {
    let (addr, rec) = server(200, directory_file_json()).await;
    let file = client(addr)
        .beta()
        .directories()
        .files()
        .get("dir-abc123", "dfile-abc123")
        .expand(["download_url".to_string()])
        .send()
        .await
        .unwrap();
    let seen = rec.only();
    assert_request(
        &seen,
        Method::GET,
        "/api/v1/beta/directories/dir-abc123/files/dfile-abc123",
        Some("expand=download_url"),
    );
    assert_no_body(&seen);
    assert_eq!(file, expected_directory_file());
    let url = file.download_url.unwrap();
    assert_eq!(url.expires_at, utc(2024, 3, 2, 9, 0, 0, 0));
    let meta = file.metadata.unwrap();
    assert_eq!(meta["pages"], Some(Meta::Integer(12)));
    assert_eq!(meta["score"], Some(Meta::Number(0.5)));
    assert_eq!(meta["note"], None);
}

#[tokio::test]
async fn update_directory_file_patches_the_set_fields() {
    let (addr, rec) = server(200, directory_file_json()).await;
    let file = client(addr)
        .beta()
        .directories()
        .files()
        .update("dir-abc123", "dfile-abc123")
        .display_name("final.pdf")
        .target_directory_id("dir-archive")
        .metadata(BTreeMap::from([
            ("reviewed".to_string(), Some(Meta::Boolean(false))),
            ("department".to_string(), None),
        ]))
        .send()
        .await
        .unwrap();
    let seen = rec.only();
    assert_request(&seen, Method::PATCH, "/api/v1/beta/directories/dir-abc123/files/dfile-abc123", None);
    assert_json_body(
        &seen,
        json!({
            "display_name": "final.pdf",
            "target_directory_id": "dir-archive",
            "metadata": {"reviewed": false, "department": null}
        }),
    );
    assert_eq!(file, expected_directory_file());
}

#[tokio::test]
async fn delete_directory_file_returns_unit_on_204() {
    let (addr, rec) = server_with(vec![no_content()]).await;
    let out = client(addr).beta().directories().files().delete("dir-abc123", "dfile-abc123").send().await;
    assert!(matches!(out, Ok(())), "{out:?}");
    let seen = rec.only();
    assert_request(&seen, Method::DELETE, "/api/v1/beta/directories/dir-abc123/files/dfile-abc123", None);
    assert_no_body(&seen);
}

// ---------------------------------------------------------------------------------------------
// Client-wide behaviour across all 17 operations
// ---------------------------------------------------------------------------------------------

/// One reply per operation, in the order `all_ops!` calls them.
fn all_ops_replies() -> Vec<Reply> {
    vec![
        reply(200, json!({"items": [index_seed()]})),
        reply(200, index_seed()),
        reply(200, index_seed()),
        no_content(),
        reply(200, json!({})),
        reply(200, json!({})),
        reply(200, json!({"items": [directory_seed()]})),
        reply(200, directory_seed()),
        reply(200, directory_seed()),
        reply(200, directory_seed()),
        no_content(),
        reply(200, json!({"items": [directory_file_json()]})),
        reply(200, directory_file_json()),
        reply(200, uploaded_file_json()),
        reply(200, directory_file_json()),
        reply(200, directory_file_json()),
        no_content(),
    ]
}

/// The method and path templates the 17 operations use, in `all_ops!` order.
const ALL_OPS: [(&str, &str); 17] = [
    ("GET", "/api/v1/indexes"),
    ("POST", "/api/v1/indexes"),
    ("GET", "/api/v1/indexes/i"),
    ("DELETE", "/api/v1/indexes/i"),
    ("POST", "/api/v1/indexes/i/sync"),
    ("POST", "/api/v1/indexes/i/sync/cancel"),
    ("GET", "/api/v1/beta/directories"),
    ("POST", "/api/v1/beta/directories"),
    ("GET", "/api/v1/beta/directories/d"),
    ("PATCH", "/api/v1/beta/directories/d"),
    ("DELETE", "/api/v1/beta/directories/d"),
    ("GET", "/api/v1/beta/directories/d/files"),
    ("POST", "/api/v1/beta/directories/d/files"),
    ("POST", "/api/v1/beta/directories/d/files/upload"),
    ("GET", "/api/v1/beta/directories/d/files/f"),
    ("PATCH", "/api/v1/beta/directories/d/files/f"),
    ("DELETE", "/api/v1/beta/directories/d/files/f"),
];

/// Calls all 17 operations, each builder passed through `$apply` first, and expects success.
macro_rules! all_ops {
    ($client:expr, |$b:ident| $apply:expr) => {{
        let c: &Client = &$client;
        let files = c.beta().directories().files();
        {
            let $b = c.indexes().list();
            $apply.send().await.expect("listIndexes");
        }
        {
            let $b = c.indexes().create("d");
            $apply.send().await.expect("createIndex");
        }
        {
            let $b = c.indexes().get("i");
            $apply.send().await.expect("getIndex");
        }
        {
            let $b = c.indexes().delete("i");
            $apply.send().await.expect("deleteIndex");
        }
        {
            let $b = c.indexes().sync("i");
            $apply.send().await.expect("syncIndex");
        }
        {
            let $b = c.indexes().cancel_sync("i");
            $apply.send().await.expect("cancelIndexSync");
        }
        {
            let $b = c.beta().directories().list();
            $apply.send().await.expect("listDirectories");
        }
        {
            let $b = c.beta().directories().create("n");
            $apply.send().await.expect("createDirectory");
        }
        {
            let $b = c.beta().directories().get("d");
            $apply.send().await.expect("getDirectory");
        }
        {
            let $b = c.beta().directories().update("d");
            $apply.send().await.expect("updateDirectory");
        }
        {
            let $b = c.beta().directories().delete("d");
            $apply.send().await.expect("deleteDirectory");
        }
        {
            let $b = files.list("d");
            $apply.send().await.expect("listDirectoryFiles");
        }
        {
            let $b = files.add("d", "file-1");
            $apply.send().await.expect("addDirectoryFile");
        }
        {
            let $b = files.upload("d", FilePart::new(b"x".to_vec()));
            $apply.send().await.expect("uploadDirectoryFile");
        }
        {
            let $b = files.get("d", "f");
            $apply.send().await.expect("getDirectoryFile");
        }
        {
            let $b = files.update("d", "f");
            $apply.send().await.expect("updateDirectoryFile");
        }
        {
            let $b = files.delete("d", "f");
            $apply.send().await.expect("deleteDirectoryFile");
        }
    }};
}

fn assert_all_ops(seen: &[Seen], expected_query: &[(&str, &str)]) {
    assert_eq!(seen.len(), ALL_OPS.len(), "{seen:#?}");
    for (s, (method, path)) in seen.iter().zip(ALL_OPS) {
        assert_eq!(s.method.as_str(), method);
        assert_eq!(s.path(), path);
        let pairs = query_pairs(s.query());
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, expected_query, "{method} {path}: {:?}", s.query());
    }
}

#[tokio::test]
async fn client_project_id_is_sent_by_every_operation() {
    let (addr, rec) = server_with(all_ops_replies()).await;
    let c = builder(addr).project_id("p1").build().unwrap();
    all_ops!(c, |b| b);
    assert_all_ops(&rec.requests(), &[("project_id", "p1")]);
    assert!(rec.requests().iter().all(|s| s.query() == Some("project_id=p1")));
}

#[tokio::test]
async fn per_call_project_id_overrides_the_client_default() {
    let (addr, rec) = server_with(all_ops_replies()).await;
    let c = builder(addr).project_id("p1").build().unwrap();
    all_ops!(c, |b| b.project_id("p2"));
    assert_all_ops(&rec.requests(), &[("project_id", "p2")]);
}

#[tokio::test]
async fn client_organization_and_project_defaults_together() {
    let (addr, rec) = server_with(all_ops_replies()).await;
    let c = builder(addr).organization_id("org 1").project_id("p1").build().unwrap();
    all_ops!(c, |b| b);
    assert_all_ops(&rec.requests(), &[("organization_id", "org 1"), ("project_id", "p1")]);
    assert_eq!(rec.requests()[0].query(), Some("organization_id=org%201&project_id=p1"));
}

#[tokio::test]
async fn without_defaults_no_operation_sends_a_query() {
    let (addr, rec) = server_with(all_ops_replies()).await;
    let c = client(addr);
    all_ops!(c, |b| b);
    assert_all_ops(&rec.requests(), &[]);
    for s in rec.requests() {
        assert_eq!(s.header("authorization"), Some("Bearer test-key"));
    }
}

#[tokio::test]
async fn default_project_id_follows_other_query_parameters() {
    let (addr, rec) = server(200, index_seed()).await;
    let c = builder(addr).project_id("p1").build().unwrap();
    c.indexes().get("idx-1").expand([types::IndexExpand::SyncInProgress]).send().await.unwrap();
    c.indexes()
        .get("idx-1")
        .project_id("p2")
        .expand([types::IndexExpand::SyncInProgress])
        .send()
        .await
        .unwrap();
    let seen = rec.requests();
    assert_eq!(seen[0].query(), Some("expand=sync_in_progress&project_id=p1"));
    assert_eq!(seen[1].query(), Some("project_id=p2&expand=sync_in_progress"));
}

fn assert_invalid<T: std::fmt::Debug, E: std::fmt::Debug>(r: Result<T, Error<E>>, param: &str) {
    match r {
        Err(Error::InvalidArgument(m)) => assert!(m.contains(param), "{m:?} names `{param}`"),
        other => panic!("expected InvalidArgument for `{param}`, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_path_parameters_are_refused_before_sending() {
    let (addr, rec) = server(200, index_seed()).await;
    let c = client(addr);
    let files = c.beta().directories().files();
    assert_invalid(c.indexes().get("").send().await, "index_id");
    assert_invalid(c.indexes().delete("").send().await, "index_id");
    assert_invalid(c.indexes().sync("").send().await, "index_id");
    assert_invalid(c.indexes().cancel_sync("").send().await, "index_id");
    assert_invalid(c.beta().directories().get("").send().await, "directory_id");
    assert_invalid(c.beta().directories().update("").send().await, "directory_id");
    assert_invalid(c.beta().directories().delete("").send().await, "directory_id");
    assert_invalid(files.list("").send().await, "directory_id");
    assert_invalid(files.add("", "file-1").send().await, "directory_id");
    assert_invalid(files.upload("", FilePart::new(b"x".to_vec())).send().await, "directory_id");
    assert_invalid(files.get("", "f").send().await, "directory_id");
    assert_invalid(files.get("d", "").send().await, "directory_file_id");
    assert_invalid(files.update("d", "").send().await, "directory_file_id");
    assert_invalid(files.delete("d", "").send().await, "directory_file_id");
    // Dot segments would name another resource once a server normalizes the path.
    assert_invalid(c.indexes().get("..").send().await, "index_id");
    assert_invalid(files.delete("d", ".").send().await, "directory_file_id");
    assert_eq!(rec.count(), 0, "no request reached the server");
}

#[tokio::test]
async fn the_api_key_never_shows_in_debug_output() {
    let key = "llx-SECRET-4f9a2b7c";
    let (addr, rec) = server(401, json!({"detail": "Invalid API key"})).await;
    let b = Client::builder().api_key(key).base_url(format!("http://{addr}"));
    assert!(!format!("{b:?}").contains(key), "{b:?}");
    assert!(!format!("{b:#?}").contains(key));
    let c = b.build().unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains(key), "{debug}");
    assert!(!format!("{c:#?}").contains(key));
    assert!(debug.contains(&addr.to_string()), "Debug still shows the base URL: {debug}");

    let req = c.indexes().get("idx-1");
    assert!(!format!("{req:?}").contains(key), "{req:?}");

    let err = req.send().await.unwrap_err();
    assert!(matches!(err, Error::Authentication(_)), "{err:?}");
    assert!(!format!("{err:?}").contains(key));
    assert!(!err.to_string().contains(key));
    // It is sent, though: as the bearer token.
    assert_eq!(rec.only().header("authorization").map(str::to_string), Some(format!("Bearer {key}")));
}

#[tokio::test]
async fn a_retried_upload_sends_the_same_bytes() {
    let busy = Reply {
        status: 503,
        body: Some(json!({"detail": "busy"}).to_string()),
        headers: vec![("retry-after-ms", "10")],
    };
    let (addr, rec) = server_with(vec![busy, reply(200, uploaded_file_json())]).await;
    let out = client(addr)
        .beta()
        .directories()
        .files()
        .upload("dir-abc123", FilePart::new(b"hello".to_vec()).file_name("notes.txt"))
        .display_name("notes")
        .send()
        .await
        .unwrap();
    assert_eq!(out.id, "dfile-def456");
    let seen = rec.requests();
    assert_eq!(seen.len(), 2, "one retry after the 503");
    assert_eq!(seen[0].header("x-retry-count"), Some("0"));
    assert_eq!(seen[1].header("x-retry-count"), Some("1"));
    // Same boundary, same bytes: the server can't tell the attempts apart.
    assert_eq!(seen[0].header("content-type"), seen[1].header("content-type"));
    assert_eq!(seen[0].body, seen[1].body);
    for s in &seen {
        assert_eq!(s.path(), "/api/v1/beta/directories/dir-abc123/files/upload");
        let parts = parse_multipart(s.header("content-type").unwrap(), &s.body);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].body, b"hello");
        assert_eq!(parts[1].body, b"notes");
    }
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let (addr, rec) = server(200, directory_seed()).await;
    let c = Client::builder()
        .api_key("test-key")
        .base_url(format!("http://{addr}/proxy/llama/"))
        .build()
        .unwrap();
    c.beta().directories().get("dir-1").send().await.unwrap();
    assert_request(&rec.only(), Method::GET, "/proxy/llama/api/v1/beta/directories/dir-1", None);
}

// ---------------------------------------------------------------------------------------------
// Headers that depend on the operation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn deletes_accept_any_content_type() {
    let (addr, rec) = server_with(vec![no_content()]).await;
    let c = client(addr);
    c.indexes().delete("i").send().await.unwrap();
    c.beta().directories().delete("d").send().await.unwrap();
    c.beta().directories().files().delete("d", "f").send().await.unwrap();
    for s in rec.requests() {
        assert_eq!(s.header("accept"), Some("*/*"), "{} {}", s.method, s.uri);
    }
}

#[tokio::test]
async fn bodiless_posts_send_content_length_zero() {
    let (addr, rec) = server(200, json!({})).await;
    let c = client(addr);
    c.indexes().sync("i").send().await.unwrap();
    c.indexes().cancel_sync("i").send().await.unwrap();
    for s in rec.requests() {
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.header("content-length"), Some("0"), "{}", s.uri);
    }
}
