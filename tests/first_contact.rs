//! A user's first contact with the client (issue #11), through the public API only, against a
//! real HTTP server on 127.0.0.1: configuration from the environment, list streams, clearing a
//! field with PATCH, secrets kept out of `Debug`, open enums, per-call options, raw response
//! bodies, `IntoFuture` builders and model constructors.
//!
//! One recording fallback handler stores each request and answers with replies queued per test
//! (the last one repeats). Replies carry their body as exact text, so a test controls every byte.

use axum::http::Method;
use llama_cloud::prelude::*;
use serde_json::{json, Value};

mod common;
use common::*;

fn directory_json(id: &str) -> Value {
    json!({"id": id, "name": format!("name of {id}"), "project_id": "proj-1"})
}

fn index_json() -> Value {
    json!({
        "id": "idx-1",
        "export_config_id": "exp-1",
        "name": "contracts",
        "project_id": "proj-1",
        "source_directory_id": "dir-1",
        "sync_config_id": "sync-1"
    })
}

fn directory_file_json() -> Value {
    json!({
        "id": "dfile-1",
        "directory_id": "dir-1",
        "display_name": "report.pdf",
        "project_id": "proj-1",
        "unique_id": "report.pdf"
    })
}

// ---------------------------------------------------------------------------------------------
// 1. `from_env` fills only what wasn't set explicitly
// ---------------------------------------------------------------------------------------------

const KEY_VAR: &str = "LLAMA_CLOUD_API_KEY";
const URL_VAR: &str = "LLAMA_CLOUD_BASE_URL";

/// Puts the two variables back as they were, even when the test panics.
struct EnvRestore(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl EnvRestore {
    fn save() -> Self {
        EnvRestore([KEY_VAR, URL_VAR].iter().map(|v| (*v, std::env::var_os(v))).collect())
    }
}

impl Drop for EnvRestore {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Sends one request with `c` and returns the `Authorization` header the server at `rec` saw
/// (`None` if that server saw nothing).
async fn bearer_seen(c: &Client, rec: &Recorder) -> Option<String> {
    let before = rec.count();
    c.beta().directories().get("dir-1").send().await.expect("get directory");
    let all = rec.requests();
    (all.len() == before + 1).then(|| all[before].header("authorization").unwrap_or_default().to_string())
}

/// The environment is process-global, so every check that depends on it lives here. Each check
/// is recorded and all failures are reported together at the end.
#[tokio::test]
async fn from_env_fills_in_only_what_was_not_set_explicitly() {
    let _restore = EnvRestore::save();
    let (addr_env, rec_env) = server(200, directory_json("dir-1")).await;
    let (addr_explicit, rec_explicit) = server(200, directory_json("dir-1")).await;
    let mut failures: Vec<String> = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };

    // API key: only the key variable set.
    std::env::set_var(KEY_VAR, "env-key");
    std::env::remove_var(URL_VAR);

    let c = Client::builder().api_key("explicit").base_url(url(addr_explicit)).from_env().build().unwrap();
    let got = bearer_seen(&c, &rec_explicit).await;
    check(
        got.as_deref() == Some("Bearer explicit"),
        format!("api_key(\"explicit\").from_env() sent {got:?}, expected Bearer explicit"),
    );

    let c = Client::builder().base_url(url(addr_explicit)).from_env().api_key("explicit").build().unwrap();
    let got = bearer_seen(&c, &rec_explicit).await;
    check(
        got.as_deref() == Some("Bearer explicit"),
        format!("from_env().api_key(\"explicit\") sent {got:?}, expected Bearer explicit"),
    );

    let c = Client::builder().base_url(url(addr_explicit)).from_env().build().unwrap();
    let got = bearer_seen(&c, &rec_explicit).await;
    check(
        got.as_deref() == Some("Bearer env-key"),
        format!("from_env() without an explicit key sent {got:?}, expected Bearer env-key"),
    );

    // Base URL: the URL variable points at one server, the explicit URL at the other.
    std::env::set_var(URL_VAR, url(addr_env));

    let c = Client::builder().api_key("explicit").base_url(url(addr_explicit)).from_env().build().unwrap();
    check(
        c.runtime().base_url() == url(addr_explicit),
        format!(
            "base_url(explicit).from_env() uses {:?}, expected the explicit {:?}",
            c.runtime().base_url(),
            url(addr_explicit)
        ),
    );
    if c.runtime().base_url() == url(addr_explicit) {
        let got = bearer_seen(&c, &rec_explicit).await;
        check(got.is_some(), "base_url(explicit).from_env(): the explicit server saw no request".into());
    }

    // No explicit URL: the environment's is used. (Never send when it isn't: the request would
    // go to the real service.)
    let c = Client::builder().api_key("explicit").from_env().build().unwrap();
    check(
        c.runtime().base_url() == url(addr_env),
        format!(
            "Client::builder().api_key(..).from_env() uses base URL {:?}, expected {URL_VAR}={:?}",
            c.runtime().base_url(),
            url(addr_env)
        ),
    );
    if c.runtime().base_url() == url(addr_env) {
        let got = bearer_seen(&c, &rec_env).await;
        check(
            got.as_deref() == Some("Bearer explicit"),
            format!("builder().api_key(\"explicit\").from_env() against the env URL sent {got:?}"),
        );
    }

    // Both from the environment.
    match Client::from_env() {
        Ok(c) => {
            check(
                c.runtime().base_url() == url(addr_env),
                format!(
                    "Client::from_env() uses base URL {:?}, expected {URL_VAR}={:?}",
                    c.runtime().base_url(),
                    url(addr_env)
                ),
            );
            if c.runtime().base_url() == url(addr_env) {
                let got = bearer_seen(&c, &rec_env).await;
                check(
                    got.as_deref() == Some("Bearer env-key"),
                    format!("Client::from_env() sent {got:?}, expected Bearer env-key"),
                );
            }
        }
        Err(e) => check(false, format!("Client::from_env() failed: {e}")),
    }

    assert!(failures.is_empty(), "from_env failures:\n  {}", failures.join("\n  "));
}

// ---------------------------------------------------------------------------------------------
// 2. List streams are `Unpin`
// ---------------------------------------------------------------------------------------------

fn assert_unpin<T: Unpin>(_: &T) {}

fn two_pages() -> Vec<Reply> {
    vec![
        reply(200, json!({"items": [directory_json("dir-1")], "next_page_token": "tok-2"})),
        reply(200, json!({"items": [directory_json("dir-2")], "next_page_token": null})),
    ]
}

#[tokio::test]
async fn page_and_item_streams_work_with_next_as_they_are() {
    let (addr, rec) = server_with(two_pages()).await;
    let c = client(addr);

    // The one-liner a user writes first.
    let first = c.beta().directories().list().pages().next().await;
    let first = first.expect("a first page").expect("the first page decodes");
    assert_eq!(first.items.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["dir-1"]);
    assert_eq!(first.next_page_token.as_deref(), Some("tok-2"));
    assert_eq!(rec.count(), 1, "only the first page was fetched");

    // Reading every page with `next` in a (bounded) loop.
    let (addr, rec) = server_with(two_pages()).await;
    let mut pages = client(addr).beta().directories().list().page_size(1).pages();
    assert_unpin(&pages);
    let mut ids = Vec::new();
    for _ in 0..10 {
        match pages.next().await {
            Some(page) => ids.extend(page.unwrap().items.into_iter().map(|d| d.id)),
            None => break,
        }
    }
    assert_eq!(ids, ["dir-1", "dir-2"]);
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].query(), Some("page_size=1"));
    assert_eq!(seen[1].query(), Some("page_size=1&page_token=tok-2"));

    // The item stream too.
    let (addr, _rec) = server_with(two_pages()).await;
    let mut items = client(addr).beta().directories().list().into_stream();
    assert_unpin(&items);
    let mut ids = Vec::new();
    for _ in 0..10 {
        match items.next().await {
            Some(item) => ids.push(item.unwrap().id),
            None => break,
        }
    }
    assert_eq!(ids, ["dir-1", "dir-2"]);
}

// ---------------------------------------------------------------------------------------------
// 3. PATCH can clear a nullable field
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn patch_sends_null_only_when_clearing_and_nothing_when_unset() {
    let (addr, rec) = server(200, directory_json("dir-1")).await;
    let c = client(addr);
    let dirs = c.beta().directories();
    dirs.update("dir-1").clear_description().send().await.unwrap();
    dirs.update("dir-1").description("x").send().await.unwrap();
    dirs.update("dir-1").name("renamed").send().await.unwrap();
    dirs.update("dir-1").send().await.unwrap();
    let seen = rec.requests();
    assert_eq!(seen.len(), 4);
    for s in &seen {
        assert_eq!(s.method, Method::PATCH);
        assert_eq!(s.path(), "/api/v1/beta/directories/dir-1");
        assert_eq!(s.header("content-type"), Some("application/json"));
    }
    assert_eq!(seen[0].body_text(), r#"{"description":null}"#);
    assert_eq!(seen[1].body_text(), r#"{"description":"x"}"#);
    assert_eq!(seen[2].body_text(), r#"{"name":"renamed"}"#);
    assert_eq!(seen[3].body_text(), "{}");
}

#[tokio::test]
async fn patch_of_a_directory_file_can_clear_its_metadata() {
    let (addr, rec) = server(200, directory_file_json()).await;
    let c = client(addr);
    let files = c.beta().directories().files();
    files.update("dir-1", "dfile-1").clear_metadata().send().await.unwrap();
    files
        .update("dir-1", "dfile-1")
        .metadata(std::collections::BTreeMap::from([(
            "k".to_string(),
            Some(types::DirectoryFileMetadataValue::String("v".into())),
        )]))
        .send()
        .await
        .unwrap();
    files.update("dir-1", "dfile-1").display_name("d").send().await.unwrap();
    let seen = rec.requests();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].path(), "/api/v1/beta/directories/dir-1/files/dfile-1");
    assert_eq!(seen[0].body_text(), r#"{"metadata":null}"#);
    assert_eq!(seen[1].body_text(), r#"{"metadata":{"k":"v"}}"#);
    assert_eq!(seen[2].body_text(), r#"{"display_name":"d"}"#);
}

/// (Decoding a request type needs the `serde-all` feature, which this crate's tests turn on.)
#[test]
fn a_nullable_field_decodes_into_three_states() {
    let cleared: types::DirectoryUpdate = serde_json::from_str(r#"{"description":null}"#).unwrap();
    assert_eq!(cleared.description, Some(None));
    let absent: types::DirectoryUpdate = serde_json::from_str("{}").unwrap();
    assert_eq!(absent.description, None);
    let set: types::DirectoryUpdate = serde_json::from_str(r#"{"description":"x"}"#).unwrap();
    assert_eq!(set.description, Some(Some("x".to_string())));
    // And each encodes back to what it came from.
    assert_eq!(serde_json::to_string(&cleared).unwrap(), r#"{"description":null}"#);
    assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
    assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"description":"x"}"#);
}

// ---------------------------------------------------------------------------------------------
// 4. Secrets stay out of `Debug` but reach the wire
// ---------------------------------------------------------------------------------------------

fn assert_hidden(what: &str, shown: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!shown.contains(s), "{what} shows {s:?}: {shown}");
    }
}

#[tokio::test]
async fn cookies_and_header_values_are_hidden_from_debug_but_sent() {
    const COOKIE: &str = "sess-value-7f3a9c";
    const CLIENT_HEADER: &str = "hdr-secret";
    const CALL_HEADER: &str = "opt-value-51be0d";
    let (addr, rec) = server(200, directory_json("dir-1")).await;

    let b = builder(addr).header("x-custom", CLIENT_HEADER);
    assert_hidden("ClientBuilder Debug", &format!("{b:?}"), &[CLIENT_HEADER]);
    assert_hidden("ClientBuilder Debug", &format!("{b:#?}"), &[CLIENT_HEADER]);
    let c = b.build().unwrap();
    assert_hidden("Client Debug", &format!("{c:?}"), &[CLIENT_HEADER]);
    assert_hidden("Client Debug", &format!("{c:#?}"), &[CLIENT_HEADER]);

    let opts = RequestOptions::new().extra_header("x-call", CALL_HEADER);
    assert_hidden("RequestOptions Debug", &format!("{opts:?}"), &[CALL_HEADER]);
    assert_hidden("RequestOptions Debug", &format!("{opts:#?}"), &[CALL_HEADER]);

    let call = c.beta().directories().get("dir-1").session(COOKIE).options(opts);
    let all = [COOKIE, CLIENT_HEADER, CALL_HEADER];
    assert_hidden("GetDirectory Debug", &format!("{call:?}"), &all);
    assert_hidden("GetDirectory Debug", &format!("{call:#?}"), &all);
    // The per-call shortcut hides the value as well.
    let shortcut = c.beta().directories().get("dir-1").extra_header("x-call", CALL_HEADER);
    assert_hidden("GetDirectory Debug", &format!("{shortcut:?}"), &[CALL_HEADER]);

    call.send().await.unwrap();
    let seen = rec.only();
    assert_eq!(seen.header("cookie"), Some(format!("session={COOKIE}").as_str()));
    assert_eq!(seen.header("x-custom"), Some(CLIENT_HEADER));
    assert_eq!(seen.header("x-call"), Some(CALL_HEADER));
}

// ---------------------------------------------------------------------------------------------
// 5. Open enums
// ---------------------------------------------------------------------------------------------

/// Every known wire value parses into its own variant, by every route, and encodes back.
fn assert_known<T>(known: &[(&str, T)])
where
    T: for<'a> From<&'a str>
        + std::str::FromStr
        + serde::Serialize
        + serde::de::DeserializeOwned
        + PartialEq
        + std::fmt::Debug
        + std::fmt::Display,
    <T as std::str::FromStr>::Err: std::fmt::Debug,
{
    for (wire, variant) in known {
        assert_eq!(&T::from(*wire), variant, "From<&str> for {wire:?}");
        assert_eq!(&wire.parse::<T>().unwrap(), variant, "FromStr for {wire:?}");
        let decoded: T = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(&decoded, variant, "serde for {wire:?}");
        assert_eq!(serde_json::to_value(variant).unwrap(), json!(wire));
        assert_eq!(variant.to_string(), *wire);
    }
}

#[test]
fn open_enums_parse_known_values_into_their_variants_and_keep_unknown_ones() {
    use types::SyncFrequency as F;
    assert_eq!(F::from("daily"), F::Daily);
    assert_known(&[("manual", F::Manual), ("daily", F::Daily), ("on_source_change", F::OnSourceChange)]);

    // An unknown value round-trips unchanged.
    let hourly: F = serde_json::from_str(r#""hourly""#).unwrap();
    match &hourly {
        F::Unknown(v) => assert_eq!(v.as_str(), "hourly"),
        other => panic!("\"hourly\" parsed as {other:?}"),
    }
    assert_eq!(hourly.as_str(), "hourly");
    assert_eq!(serde_json::to_string(&hourly).unwrap(), r#""hourly""#);
    assert_eq!(hourly, F::from("hourly"));
    assert_eq!(hourly, "hourly".parse::<F>().unwrap());
    assert_ne!(hourly, F::Daily);

    // The other open enums follow the same rule.
    use types::{
        DirectoryCreateType, DirectoryType, IndexExpand, IndexProductType, StoreAttachment, VectorTarget,
    };
    assert_known(&[("ephemeral", DirectoryCreateType::Ephemeral), ("user", DirectoryCreateType::User)]);
    assert_known(&[
        ("user", DirectoryType::User),
        ("index", DirectoryType::Index),
        ("ephemeral", DirectoryType::Ephemeral),
        ("system_ephemeral", DirectoryType::SystemEphemeral),
    ]);
    assert_known(&[("sync_in_progress", IndexExpand::SyncInProgress)]);
    assert_known(&[("parse", IndexProductType::Parse), ("extract", IndexProductType::Extract)]);
    assert_known(&[("screenshots", StoreAttachment::Screenshots), ("items", StoreAttachment::Items)]);
    assert_known(&[("DEFAULT", VectorTarget::Default), ("DISABLED", VectorTarget::Disabled)]);
    let weird: DirectoryType = serde_json::from_str(r#""archived""#).unwrap();
    assert!(matches!(&weird, DirectoryType::Unknown(v) if v.as_str() == "archived"), "{weird:?}");
    assert_eq!(serde_json::to_string(&weird).unwrap(), r#""archived""#);
}

// ---------------------------------------------------------------------------------------------
// 6. Per-call options reach the wire
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn extra_header_query_and_body_reach_the_wire() {
    let (addr, rec) = server(200, directory_json("dir-1")).await;
    client(addr)
        .beta()
        .directories()
        .create("docs")
        .description("about docs")
        .extra_header("x-trace", "trace-1")
        .extra_query("debug", "1")
        .extra_body("experimental", json!({"flag": true, "level": 2}))
        .send()
        .await
        .unwrap();
    let seen = rec.only();
    assert_eq!(seen.method, Method::POST);
    assert_eq!(seen.path(), "/api/v1/beta/directories");
    assert_eq!(seen.query(), Some("debug=1"));
    assert_eq!(seen.header("x-trace"), Some("trace-1"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        json!({"name": "docs", "description": "about docs", "experimental": {"flag": true, "level": 2}})
    );
    assert_eq!(seen.header("content-length").map(str::parse::<usize>), Some(Ok(seen.body.len())));
}

#[tokio::test]
async fn reusable_options_apply_to_different_calls() {
    let (addr, rec) = server_with(vec![
        reply(200, index_json()),
        reply(200, json!({"items": [], "next_page_token": null})),
    ])
    .await;
    let c = client(addr);
    let opts = RequestOptions::new().extra_header("x-tenant", "tenant-9").extra_query("trace", "on");
    c.indexes().get("idx-1").options(opts.clone()).send().await.unwrap();
    c.beta().directories().list().page_size(5).options(opts.clone()).send().await.unwrap();
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].path(), "/api/v1/indexes/idx-1");
    assert_eq!(seen[0].query(), Some("trace=on"));
    assert_eq!(seen[1].path(), "/api/v1/beta/directories");
    assert_eq!(seen[1].query(), Some("page_size=5&trace=on"));
    for s in &seen {
        assert_eq!(s.header("x-tenant"), Some("tenant-9"));
    }
}

fn busy() -> Reply {
    Reply { status: 503, body: Some(r#"{"detail":"busy"}"#.into()), headers: vec![("retry-after-ms", "1")] }
}

#[tokio::test]
async fn max_retries_zero_on_a_call_sends_exactly_one_request() {
    let (addr, rec) = server_with(vec![busy()]).await;
    let err = client(addr).indexes().get("idx-1").max_retries(0).send().await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(rec.count(), 1, "no retry after max_retries(0)");

    // Without it the client's default (2 retries) applies to the same answer.
    let (addr, rec) = server_with(vec![busy()]).await;
    let err = client(addr).indexes().get("idx-1").send().await.unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert_eq!(rec.count(), 3);

    // And reusable options can turn retries off too.
    let (addr, rec) = server_with(vec![busy()]).await;
    let opts = RequestOptions::new().max_retries(0);
    client(addr).indexes().get("idx-1").options(opts).send().await.unwrap_err();
    assert_eq!(rec.count(), 1);
}

// ---------------------------------------------------------------------------------------------
// 7. The raw body comes back with the decoded one
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn send_with_response_keeps_the_exact_body_bytes() {
    const BODY: &str = "{ \"id\" :\"idx-1\",\n\t\"export_config_id\":\"exp-1\",  \"name\":\"contracts\",\
        \"project_id\":\"proj-1\",\"source_directory_id\":\"dir-1\",\"sync_config_id\":\"sync-1\",\
        \"brand_new_field\" : {\"nested\": [1, 2.50, \"é\"]}   }\r\n  ";
    let (addr, rec) = server_with(vec![reply_text(200, BODY)]).await;
    let resp = client(addr).indexes().get("idx-1").send_with_response().await.unwrap();
    assert_eq!(resp.raw_body().as_ref(), BODY.as_bytes());
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.request_id(), Some("req-1"));
    assert_eq!(resp.body.id, "idx-1");
    assert_eq!(resp.body.name, "contracts");
    assert_eq!(resp.body().sync_config_id, "sync-1");
    // The field this client doesn't model is still there for the caller.
    let raw: Value = serde_json::from_slice(resp.raw_body()).unwrap();
    assert_eq!(raw["brand_new_field"]["nested"][2], "é");
    assert_eq!(rec.count(), 1);
}

// ---------------------------------------------------------------------------------------------
// 8. Builders are futures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_builder_can_be_awaited_directly() {
    let (addr, rec) = server(200, index_json()).await;
    let c = client(addr);
    let index = c.indexes().get("idx-1").await.unwrap();
    assert_eq!(index.id, "idx-1");
    assert_eq!(index.source_directory_id, "dir-1");
    // With per-call options on the way.
    let index = c.indexes().get("idx-2").extra_query("x", "1").await.unwrap();
    assert_eq!(index.id, "idx-1");
    let seen = rec.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(seen[0].path(), "/api/v1/indexes/idx-1");
    assert_eq!(seen[1].path(), "/api/v1/indexes/idx-2");
    assert_eq!(seen[1].query(), Some("x=1"));
}

// ---------------------------------------------------------------------------------------------
// 9. Models: constructors, then optional fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_model_built_with_new_is_sent_as_the_body() {
    let mut body = types::DirectoryCreate::new("from-new");
    body.description = Some(Some("made with new".to_string()));
    body.r#type = Some(types::DirectoryCreateType::Ephemeral);
    let (addr, rec) = server(200, directory_json("dir-1")).await;
    let dir = client(addr).beta().directories().create("replaced").body(body).send().await.unwrap();
    assert_eq!(dir.id, "dir-1");
    assert_eq!(
        rec.only().body_text(),
        r#"{"name":"from-new","description":"made with new","type":"ephemeral"}"#
    );
}
