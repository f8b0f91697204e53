//! Soundness in both directions (tests/fixtures/soundness.yaml, v31-soundness.yaml): every
//! value the schema accepts decodes into the type it means and encodes back unchanged (no
//! member's properties dropped, nothing narrowed), and what the client sends is what the
//! document describes, checked on the wire against 127.0.0.1.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use compile_fixtures::*;
use serde_json::json;

/// A value that satisfies both members of an `anyOf` keeps both members' properties; where
/// the members disagree on a property's schema it is any JSON value.
#[test]
fn any_of_objects_keeps_every_members_properties() {
    use soundness_api::types::*;
    let both: Condition = round_trip(json!({
        "ref_name": {"include": ["main"]},
        "repository_name": {"include": ["app"]},
    }));
    assert!(both.ref_name.is_some() && both.repository_name.is_some(), "{both:?}");
    let shared: Condition = round_trip(json!({"ref_name": {}, "shared": 3}));
    assert_eq!(shared.shared, Some(json!(3)));
    let shared: Condition = round_trip(json!({"repository_name": {}, "shared": "three"}));
    assert_eq!(shared.shared, Some(json!("three")));
    let update: Update = round_trip(json!({"name": "n", "output": {"title": "t"}, "status": "completed"}));
    assert_eq!((update.name.as_str(), update.status), ("n", Some(json!("completed"))));
    // Members that only require some of the properties beside them: one struct of those.
    let batch: Batch = round_trip(json!({"file_ids": ["f1"]}));
    assert_eq!(batch.file_ids, Some(vec!["f1".to_string()]));
    let choice: Choice = round_trip(json!({"phone": "123"}));
    assert_eq!((choice.email, choice.phone.as_deref()), (None, Some("123")));
    // A scalar member stays a variant of its own.
    assert_eq!(round_trip::<Either>(json!("x")), Either::String("x".into()));
    round_trip::<Either>(json!({"value": "x"}));
}

/// Properties beside a `oneOf` of objects are every member's: each variant keeps them (they
/// were dropped, a required `id` with them).
#[test]
fn properties_beside_a_one_of_are_in_every_member() {
    use soundness_api::types::*;
    let square: Shape = round_trip(json!({"id": 7, "kind": "square", "side": 2.5}));
    match square {
        Shape::Square(s) => assert_eq!((s.id, s.side), (7, 2.5)),
        other => panic!("not the square: {other:?}"),
    }
    let circle: Shape = round_trip(json!({"id": 8, "kind": "circle", "radius": 1.0}));
    assert!(matches!(circle, Shape::Circle(ref c) if c.id == 8), "{circle:?}");
}

/// `additionalProperties: true` beside `allOf: [$ref]` keeps the properties it allows (the
/// type was the referenced one, which drops them).
#[test]
fn additional_properties_beside_all_of_are_kept() {
    use soundness_api::types::*;
    let open: OpenBase = round_trip(json!({"include": ["a"], "note": "kept", "n": 1}));
    assert_eq!(open.additional_properties.get("note"), Some(&json!("kept")));
}

/// An object none of whose keys the struct member declares is the member that keeps it
/// whole, not the struct that would drop every key; one the struct knows stays the struct.
#[test]
fn an_object_the_struct_member_does_not_know_is_kept_whole() {
    use soundness_api::types::*;
    let h: Holder = round_trip(json!({"patterns_or_any": {"unknown": 1}}));
    assert!(matches!(h.patterns_or_any, Some(HolderPatternsOrAny::Value(_))), "{h:?}");
    // A struct that knows a key is the struct, which (as every struct) leaves out a property
    // the document doesn't declare.
    let h: Holder =
        serde_json::from_value(json!({"patterns_or_any": {"include": ["a"], "unknown": 1}})).unwrap();
    assert!(matches!(h.patterns_or_any, Some(HolderPatternsOrAny::Patterns(_))), "{h:?}");
    let h: Holder = round_trip(json!({"patterns_or_any": {}}));
    assert!(matches!(h.patterns_or_any, Some(HolderPatternsOrAny::Patterns(_))), "{h:?}");
    // The same through a member that is itself a union of structs.
    let h: Holder = round_trip(json!({"selector": {"unknown": 1}}));
    assert!(matches!(h.selector, Some(HolderSelector::Value(_))), "{h:?}");
    let h: Holder = round_trip(json!({"selector": {"include": ["a"]}}));
    assert!(matches!(h.selector, Some(HolderSelector::Selector(_))), "{h:?}");
    let h: Holder = round_trip(json!({"selector": true}));
    assert!(matches!(h.selector, Some(HolderSelector::Selector(_))), "{h:?}");
}

/// An object whose `type` a struct member fixes to another value is that member only when no
/// other member takes it: here the tagged union whose `note` it is (the struct's one-value
/// enum, with its catch-all, would have taken it and dropped `text`).
#[test]
fn a_member_whose_fixed_tag_differs_is_tried_last() {
    use soundness_api::types::*;
    let h: Holder = round_trip(json!({"entry": {"type": "note", "text": "hi"}}));
    assert!(matches!(h.entry, Some(Entry::Notes(Notes::Note(_)))), "{h:?}");
    // An `f32` inside a tagged member is written as itself (`0.1`), not widened to `f64`.
    let h: Holder = round_trip(json!({"entry": {"type": "note", "text": "hi", "scale": 0.1}}));
    assert!(matches!(h.entry, Some(Entry::Notes(Notes::Note(_)))), "{h:?}");
    let h: Holder = round_trip(json!({"entry": {"type": "ping"}}));
    assert!(matches!(h.entry, Some(Entry::Ping(_))), "{h:?}");
    // A type no member knows still decodes (as the struct's catch-all), as it did.
    let h: Holder = serde_json::from_value(json!({"entry": {"type": "new"}})).unwrap();
    assert!(matches!(h.entry, Some(Entry::Ping(_))), "{h:?}");
}

/// An `anyOf` of an object and a map of such objects is a union of the two: merged into one
/// struct, the map's entries were dropped.
#[test]
fn an_any_of_with_a_map_member_keeps_the_map() {
    use soundness_api::types::*;
    let h: Holder =
        round_trip(json!({"vectors": {"default": {"size": 4}, "image": {"size": 8, "on_disk": true}}}));
    match h.vectors {
        Some(Vectors::Object(named)) => assert_eq!(named["image"].size, 8),
        other => panic!("not the map: {other:?}"),
    }
    let h: Holder = round_trip(json!({"vectors": {"size": 4}}));
    assert!(matches!(h.vectors, Some(Vectors::Params(ref p)) if p.size == 4), "{h:?}");
}

/// A union with a member that constrains nothing (`{}`, or `nullable: true` alone) admits any
/// value: the object member's type where it fits, else the value as it came, null included.
#[test]
fn a_member_without_constraints_keeps_any_value() {
    use soundness_api::types::*;
    for raw in [json!({"include": ["a"]}), json!("text"), json!(5), json!([1, 2])] {
        let h: Holder = round_trip(json!({"patterns_or_any": raw.clone(), "patterns_or_null": raw.clone()}));
        match (&h.patterns_or_any, raw.is_object()) {
            (Some(HolderPatternsOrAny::Patterns(p)), true) => {
                assert_eq!(p.include.as_deref(), Some(&["a".to_string()][..]))
            }
            (Some(HolderPatternsOrAny::Value(v)), false) => assert_eq!(v, &raw),
            other => panic!("{other:?}"),
        }
        assert!(h.patterns_or_null.is_some(), "{h:?}");
    }
    let h: Holder = serde_json::from_value(json!({"patterns_or_null": null})).unwrap();
    assert_eq!(h.patterns_or_null, None);
}

/// An untagged `oneOf` whose members share a plain-string `type`: the member that declares the
/// value's other properties is chosen, so none of them is dropped.
#[test]
fn untagged_members_keep_the_properties_present() {
    use soundness_api::types::*;
    let rule: Rule =
        round_trip(json!({"type": "pull_request", "reviewers": ["a"], "prevent_self_review": true}));
    assert!(matches!(rule, Rule::RuleVariant1(ref r) if r.reviewers.is_some()), "{rule:?}");
    round_trip::<Rule>(json!({"type": "pull_request", "reviewers": ["a"]}));
}

/// `items` or `additionalProperties` without `type` constrain only arrays or objects: any
/// other value is valid too, and decodes.
#[test]
fn keywords_without_type_accept_every_value_they_let_through() {
    use soundness_api::types::*;
    for list in [json!(["a"]), json!({"a": 1}), json!(""), json!(5)] {
        round_trip::<Holder>(json!({ "list": list }));
    }
    for tags in [json!({"k": "v"}), json!(""), json!([1])] {
        round_trip::<Holder>(json!({ "tags": tags }));
    }
}

/// A nullable `allOf` wrapper around a recursive type is an `Option` of it, not any JSON value.
#[test]
fn nullable_recursive_wrappers_are_options_of_the_type() {
    use soundness_api::types::*;
    let holder: Holder = round_trip(json!({"node": {"value": 1, "next": {"value": 2}}}));
    let node: &Node = holder.node.as_ref().expect("a node");
    assert_eq!(node.next.as_ref().and_then(|n| n.value), Some(2));
}

/// `format: binary` inside JSON is the text as it is: decoding it as base64 would turn
/// unpadded or non-base64 text into the wrong bytes.
#[test]
fn binary_inside_json_keeps_its_text() {
    use soundness_api::types::*;
    let h: Holder = round_trip(json!({"blob": "aGk"}));
    assert_eq!(h.blob.as_deref(), Some("aGk"));
}

/// 3.1: `$ref`s through `definitions` (JSON Schema's older `$defs`) and deep `$defs` pointers.
#[test]
fn definitions_and_deep_defs_resolve() {
    use v31_soundness_api::types::*;
    let outer: Outer = round_trip(json!({"widget": {"name": "w"}, "deep": {"v": 1}}));
    assert_eq!(outer.widget.and_then(|w| w.name).as_deref(), Some("w"));
}

/// A `const` tag with a `default` that isn't required still tags its union, and a server that
/// leaves it out (FastAPI's `response_model_exclude_unset`) is understood; a required one must
/// still come.
#[test]
fn a_defaulted_const_tag_decodes_when_absent() {
    use v31_soundness_api::types::*;
    let step: Step = serde_json::from_value(json!({"size": 3})).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(step, Step::Split(ref s) if s.size == Some(3)), "{step:?}");
    assert_eq!(serde_json::to_value(&step).unwrap(), json!({"mode": "split", "size": 3}));
    let step: Step = round_trip(json!({"mode": "merge", "count": 2}));
    assert!(matches!(step, Step::Merge(_)), "{step:?}");
    assert!(serde_json::from_value::<Merge>(json!({"count": 2})).is_err());
}

/// On the wire: `Accept` names the media type the operation documents, and brackets and pipes
/// in the query are percent-encoded (RFC 3986; Tomcat refuses them raw).
#[tokio::test]
async fn accept_and_query_encoding_follow_the_document_and_rfc_3986() {
    let server = Server::start(vec![Reply::json(200, r#"{"name":"n"}"#)]).await;
    let client = soundness_api::Client::from_runtime(server.client());
    let got = client
        .get_hal()
        .filter_status("open")
        .ids(["a".to_string(), "b".to_string()])
        .r#where([("state".to_string(), "x".to_string())].into())
        .await
        .unwrap();
    assert_eq!(got.name.as_deref(), Some("n"));
    let seen = &server.requests()[0];
    assert_eq!(seen.header("accept"), Some("application/hal+json"));
    assert_eq!(seen.target, "/hal?filter%5Bstatus%5D=open&ids=a%7Cb&where%5Bstate%5D=x");
    assert!(!seen.target.contains(['[', ']', '|']), "{}", seen.target);
}

/// A `format: binary` field of a form body goes as its octets (percent-encoded), not base64.
#[tokio::test]
async fn binary_in_a_form_goes_as_the_octets() {
    let server = Server::start(vec![Reply::status(204)]).await;
    let client = soundness_api::Client::from_runtime(server.client());
    client.send_form("hi there").await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("content-type"), Some("application/x-www-form-urlencoded"));
    let body = String::from_utf8(seen.body.clone()).unwrap();
    assert!(body == "data=hi%20there" || body == "data=hi+there", "{body}");
}

/// Multipart bodies written as a `$ref` to an object or an `allOf` of objects are multipart
/// bodies (the file is a part of its own).
#[tokio::test]
async fn multipart_through_ref_and_all_of() {
    let server = Server::start(vec![Reply::status(204), Reply::status(204)]).await;
    let client = soundness_api::Client::from_runtime(server.client());
    let file = || ferrospec_runtime::FilePart::new(&b"\x00raw"[..]).file_name("a.bin");
    client.upload_by_ref(file()).await.unwrap();
    client.upload_all_of(file()).note("n").await.unwrap();
    for seen in server.requests() {
        assert!(seen.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
        let body = String::from_utf8_lossy(&seen.body).into_owned();
        assert!(body.contains("name=\"file\"; filename=\"a.bin\""), "{body}");
    }
}

/// `type: string, enum: [true, false]`: no value is both; the booleans the values name and the
/// strings the type names both decode, as any JSON value (with a warning at generation).
#[test]
fn an_enum_whose_values_contradict_its_type_keeps_either() {
    use soundness_api::types::Account;
    for raw in [json!({"retirement": true}), json!({"retirement": "false"})] {
        let account: Account = round_trip(raw.clone());
        assert_eq!(account.retirement.as_ref(), Some(&raw["retirement"]), "{raw}");
    }
}
