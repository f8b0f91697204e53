//! OpenAPI 3.1 constructs (tests/fixtures/v31-*.yaml), read through the 3.1 normaliser: each
//! decodes real JSON into the type the construct means and re-encodes it unchanged; bytes inside
//! JSON travel as their text and file parts stay multipart, checked on the wire against 127.0.0.1.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use compile_fixtures::*;
use serde_json::json;

#[test]
fn type_arrays_and_null_unions_are_options() {
    use v31_nullable_api::types::*;
    let item: Item = round_trip(json!({
        "id": "i1", "name": "n", "note": null, "size": null, "owner": null,
        "labels": ["a"], "parent": {"id": "p"}, "score": 7
    }));
    assert_eq!((item.note, item.size, item.owner), (None, None, None));
    assert_eq!(item.labels.as_deref(), Some(&["a".to_string()][..]));
    assert_eq!(item.parent.map(|p| p.id).as_deref(), Some("p"));
    assert_eq!(item.score, Some(ItemScore::Integer(7)));
    let item: Item = round_trip(json!({
        "id": "i2", "name": "n", "note": "x", "size": 5_000_000_000_i64, "owner": {"id": "o"}, "score": "high"
    }));
    assert_eq!((item.note.as_deref(), item.size), (Some("x"), Some(5_000_000_000)));
    assert_eq!(item.owner.map(|o| o.id).as_deref(), Some("o"));
    assert_eq!(item.score, Some(ItemScore::String("high".into())));
}

#[test]
fn a_nullable_request_field_can_be_cleared() {
    use v31_nullable_api::types::*;
    let mut update = ItemUpdate::new();
    update.note = Some(None);
    assert_eq!(serde_json::to_value(&update).unwrap(), json!({"note": null}));
    update.note = Some(Some("hi".into()));
    assert_eq!(serde_json::to_value(&update).unwrap(), json!({"note": "hi"}));
    let left_out: ItemUpdate = round_trip(json!({"name": "n"}));
    assert_eq!(left_out.note, None);
}

#[test]
fn const_tags_make_a_tagged_enum_and_const_values_are_closed() {
    use v31_const_api::types::*;
    let dog: Pet = round_trip(json!({"kind": "dog", "name": "Rex", "barks": true}));
    assert!(matches!(&dog, Pet::Dog(d) if d.name == "Rex" && d.barks == Some(true)), "{dog:?}");
    let cat: Pet = round_trip(json!({"kind": "cat", "name": "Tom", "lives": 9}));
    assert!(matches!(&cat, Pet::Cat(c) if c.lives == Some(9)), "{cat:?}");
    let bird: Pet = round_trip(json!({"kind": "bird", "name": "Tweety"}));
    assert!(matches!(bird, Pet::Unknown(_)));
    // A new value fills its tag itself.
    assert_eq!(
        serde_json::to_value(Pet::Dog(Dog::new("Fido"))).unwrap(),
        json!({"kind": "dog", "name": "Fido"})
    );
    let v: Version = round_trip(json!({"api": "v2"}));
    assert_eq!(v.api.as_str(), "v2");
    // Outside a tag a `const` is a one-value enum, open like every enum the API may extend.
    let later: Version = round_trip(json!({"api": "v3"}));
    assert_eq!(later.api.as_str(), "v3");
}

#[test]
fn fastapi_literal_fields_tag_their_union() {
    use v31_const_api::types::*;
    // Tried member by member, `{"mode": "auto", "chunk_size": 512}` would fit either (each
    // `mode` is only a default); tagged, each value decodes as the member it was written as.
    let auto: TransformConfig = round_trip(json!({"mode": "auto", "chunk_size": 512}));
    assert!(matches!(&auto, TransformConfig::AutoTransform(a) if a.chunk_size == Some(512)), "{auto:?}");
    let advanced: TransformConfig = round_trip(json!({"mode": "advanced", "chunk_size": 256, "overlap": 5}));
    assert!(
        matches!(&advanced, TransformConfig::AdvancedTransform(a) if a.overlap == Some(5)),
        "{advanced:?}"
    );
    // Built without naming the mode, a member still sends it.
    let sent = serde_json::to_value(TransformConfig::AutoTransform(AutoTransform::new())).unwrap();
    assert_eq!(sent, json!({"mode": "auto"}));
}

#[test]
fn ref_siblings_keep_the_referenced_type() {
    use v31_ref_siblings_api::types::*;
    let job: Job = round_trip(json!({"id": "j1", "status": "running", "previous": "queued"}));
    assert_eq!(job.status, Status::Running);
    assert_eq!(job.previous, Some(Status::Queued));
    // A `readOnly` sibling still applies: optional, written only when set, so a value read from
    // a response encodes back unchanged.
    let job: Job = round_trip(json!({"id": "j1", "status": "done", "limits": {"cpu": 2}}));
    assert_eq!(job.limits.as_ref().and_then(|l| l.cpu), Some(2));
    let mut unset = job;
    unset.limits = None;
    assert_eq!(serde_json::to_value(&unset).unwrap(), json!({"id": "j1", "status": "done"}));
}

#[test]
fn numeric_bounds_and_examples_arrays_read() {
    use v31_keywords_api::types::*;
    let q: QuoteRequest = round_trip(json!({"amount": 12.5, "currency": "EUR"}));
    assert_eq!(q.amount, 12.5);
    // `items: true` is any JSON value.
    let quote: Quote = round_trip(json!({"price": 3.0, "tags": [1, "a", {"b": null}]}));
    assert_eq!(quote.tags.map(|t| t.len()), Some(3));
}

#[test]
fn defs_are_types_of_their_own() {
    use v31_defs_api::types::*;
    let order: Order = round_trip(json!({
        "id": "o1",
        "lines": [{"sku": "a", "quantity": 2}],
        "shipping": {"city": "Oslo"}
    }));
    let line: &OrderDefsLine = &order.lines[0];
    assert_eq!((line.sku.as_str(), line.quantity), ("a", 2));
    assert_eq!(order.shipping.and_then(|s| s.city).as_deref(), Some("Oslo"));
}

#[test]
fn webhook_payloads_are_generated() {
    use v31_webhooks_api::types::*;
    let pet: Pet = round_trip(json!({"id": 1, "name": "Rex", "tag": "dog"}));
    assert_eq!(pet.name, "Rex");
    let removed: PetRemovedPayload = serde_json::from_value(json!({"id": 2, "reason": null})).unwrap();
    assert_eq!((removed.id, removed.reason), (2, None));
    let removed: PetRemovedPayload = round_trip(json!({"id": 3, "reason": "sold"}));
    assert_eq!(removed.reason.as_deref(), Some("sold"));
}

/// `format: binary` (or a media type without an encoding) inside JSON: JSON can't carry raw
/// octets and the document names no encoding, so the value is the text it is. Decoding it as
/// base64 would take unpadded or non-base64 text for the wrong bytes, silently.
#[test]
fn binary_inside_json_is_the_text_as_it_is() {
    use v31_binary_api::types::*;
    let doc: Document = round_trip(json!({"name": "d", "content": "iVBORw0KGgo"}));
    assert_eq!(doc.content, Some(DocumentContent::Binary("iVBORw0KGgo".into())));
    let doc: Document = round_trip(json!({"name": "d", "content": {"text": "hello"}}));
    assert!(matches!(doc.content, Some(DocumentContent::TextBlock(ref t)) if t.text == "hello"));
    let doc: Document = round_trip(json!({"name": "d", "content": null}));
    assert_eq!(doc.content, None);
    let doc: DocumentIn = round_trip(json!({"name": "d", "data": "not base64!"}));
    assert_eq!(doc.data, "not base64!");
}

#[tokio::test]
async fn binary_goes_out_as_text_in_json_and_as_a_file_part_in_multipart() {
    use v31_binary_api::Client;
    let server = Server::start(vec![
        Reply::json(200, r#"{"name":"d","content":"AAE"}"#),
        Reply::json(200, r#"{"name":"d","content":null}"#),
    ])
    .await;
    let client = Client::from_runtime(server.client());
    let doc = client.create_document("d", "AAH/").await.unwrap();
    assert_eq!(doc.content, Some(v31_binary_api::types::DocumentContent::Binary("AAE".into())));
    let file = ferrospec_runtime::FilePart::new(&b"\x00raw\xff"[..]).file_name("a.bin");
    client.upload_document(file).title("t").await.unwrap();

    let seen = server.requests();
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("POST", "/documents"));
    assert_eq!(seen[0].body, br#"{"name":"d","data":"AAH/"}"#);
    let multipart = &seen[1];
    assert!(multipart.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    let text = String::from_utf8_lossy(&multipart.body);
    assert!(text.contains("name=\"file\"; filename=\"a.bin\""), "{text}");
    // The file's own bytes, not base64.
    assert!(multipart.body.windows(5).any(|w| w == b"\x00raw\xff"), "{text}");
}

#[tokio::test]
async fn path_items_by_ref_are_operations() {
    use v31_path_items_api::Client;
    let up = r#"{"ok":true,"version":null}"#;
    let server = Server::start(vec![Reply::json(200, up), Reply::json(200, up)]).await;
    let client = Client::from_runtime(server.client());
    for health in [client.health().await.unwrap(), client.health_v2().await.unwrap()] {
        assert!(health.ok);
        assert_eq!(health.version, None);
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/health", "/v2/health"]);
}

/// Operations without `responses` (optional in 3.1) are calls that succeed on any 2xx; a
/// `mutualTLS` alternative needs no credential from the client (its certificate is the HTTP
/// client's business), while the bearer alternative still sends its token.
#[tokio::test]
async fn optional_responses_and_mutual_tls() {
    use v31_optional_api::Client;
    let server = Server::start(vec![Reply::status(204), Reply::status(200)]).await;
    let bare = Client::builder().base_url(server.url()).max_retries(0).build().unwrap();
    bare.ping().await.unwrap();
    let keyed = Client::builder().base_url(server.url()).bearer("k").max_retries(0).build().unwrap();
    keyed.ping_either().await.unwrap();
    let seen = server.requests();
    assert_eq!((seen[0].target.as_str(), seen[0].header("authorization")), ("/ping", None));
    assert_eq!((seen[1].target.as_str(), seen[1].header("authorization")), ("/either", Some("Bearer k")));
}

#[test]
fn null_alone_is_the_unit_type_and_a_null_member_still_an_option() {
    use v31_null_api::types::Holder;
    let (): v31_null_api::types::Nothing = serde_json::from_value(json!(null)).expect("type null");
    let (): v31_null_api::types::Konst = serde_json::from_value(json!(null)).expect("const null");
    assert!(serde_json::from_value::<v31_null_api::types::Nothing>(json!(0)).is_err());
    let (): v31_null_api::types::Listed = serde_json::from_value(json!(null)).expect("type [null]");
    let h: Holder =
        round_trip(json!({"nothing": null, "konst": null, "listed": null, "typed": null, "count": null}));
    assert_eq!(h.count, None);
    let h: Holder =
        round_trip(json!({"nothing": null, "konst": null, "listed": null, "typed": null, "count": 3}));
    assert_eq!(h.count, Some(3));
}
