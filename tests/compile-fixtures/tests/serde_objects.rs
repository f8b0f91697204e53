//! The models' hand-written serde impls (tests/fixtures/serde-objects.yaml) decode and encode as
//! serde's derive did: unknown fields skipped, a missing required field or a repeated one
//! refused, additional properties kept, a PATCH field's three states, union members that refuse
//! unknown fields, and field and type names that are also the impls' own names.

use compile_fixtures::round_trip;
use compile_fixtures::serde_objects_api::types::*;
use serde_json::json;

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn fields_named_like_the_impls_locals_round_trip() {
    let raw = json!({
        "map": "m", "key": 7, "value": true, "serializer": "s", "rt": "r", "self": "me", "type": "t",
    });
    let r: Record = round_trip(raw);
    assert_eq!((r.map.as_str(), r.key, r.value, r.rt.as_deref()), ("m", 7, Some(true), Some("r")));
    assert_eq!((r.self_.as_deref(), r.r#type.as_deref()), (Some("me"), Some("t")));
    // From text too, where the keys are borrowed from the input (an escaped one can't be).
    let r: Record = decode(r#"{"m\u0061p": "m", "key": 1, "serializer": null}"#).unwrap();
    assert_eq!((r.map.as_str(), r.key, r.serializer), ("m", 1, None));
}

#[test]
fn unknown_fields_are_skipped_and_missing_or_repeated_ones_refused() {
    let r: Record = decode(r#"{"map":"m","unknown":{"deep":[1,2,{"x":null}]},"key":2}"#).unwrap();
    assert_eq!((r.map.as_str(), r.key), ("m", 2));
    assert_eq!(decode::<Record>(r#"{"map":"m"}"#).unwrap_err(), "missing field `key` at line 1 column 11");
    assert_eq!(
        decode::<Record>(r#"{"map":"m","key":1,"key":2}"#).unwrap_err(),
        "duplicate field `key` at line 1 column 24"
    );
    let wrong = decode::<Record>(r#"["m", 1]"#).unwrap_err();
    assert!(wrong.starts_with("invalid type: sequence, expected struct Record"), "{wrong}");
    let wrong = decode::<Record>(r#"{"map":"m","key":"seven"}"#).unwrap_err();
    assert!(wrong.starts_with("invalid type: string \"seven\", expected i64"), "{wrong}");
}

#[test]
fn additional_properties_are_kept_beside_declared_fields() {
    let t: Tally = round_trip(json!({"name": "votes", "yes": 3, "no": 5}));
    assert_eq!(t.name, "votes");
    assert_eq!(
        t.additional_properties.into_iter().collect::<Vec<_>>(),
        [("no".into(), 5), ("yes".into(), 3)]
    );
    // Each additional value must be of the declared type.
    assert!(decode::<Tally>(r#"{"name":"votes","yes":"three"}"#).is_err());
    assert!(decode::<Tally>(r#"{"yes":3}"#).unwrap_err().starts_with("missing field `name`"));
}

#[test]
fn a_patch_field_has_three_states() {
    let body = |p: &RecordPatch| serde_json::to_value(p).unwrap();
    let mut p = RecordPatch::new();
    assert_eq!(body(&p), json!({}));
    p.note = Some(None);
    assert_eq!(body(&p), json!({"note": null}));
    p.note = Some(Some("hi".into()));
    p.key = Some(3);
    assert_eq!(body(&p), json!({"note": "hi", "key": 3}));
    // And back (with serde-all): absent, null and a value stay apart.
    let p: RecordPatch = serde_json::from_value(json!({"note": null})).unwrap();
    assert_eq!(p.note, Some(None));
    let p: RecordPatch = serde_json::from_value(json!({})).unwrap();
    assert_eq!(p.note, None);
}

#[test]
fn union_members_that_allow_no_other_fields_refuse_them() {
    let s: Shape = round_trip(json!({"side": 2.0}));
    assert!(matches!(s, Shape::Square(ref q) if q.side == 2.0), "{s:?}");
    let s: Shape = round_trip(json!({"radius": 1.5, "label": "c"}));
    assert!(matches!(s, Shape::Circle(ref c) if c.label.as_deref() == Some("c")), "{s:?}");
    // A Square with a label is no Square (additionalProperties: false): the catch-all member.
    let s: Shape = round_trip(json!({"side": 2.0, "label": "c"}));
    assert!(matches!(s, Shape::Nothing(ref m) if m.len() == 2), "{s:?}");
    let refused = decode::<Square>(r#"{"side":1,"label":"c"}"#).unwrap_err();
    assert!(refused.starts_with("unknown field `label`, expected `side`"), "{refused}");
}

#[test]
fn types_named_like_type_parameters_decode() {
    let p: Pick = round_trip(json!({"s": "x"}));
    assert!(matches!(p, Pick::S(ref s) if s.s == "x"), "{p:?}");
    let p: Pick = round_trip(json!({"a": 1}));
    assert!(matches!(p, Pick::A(ref a) if a.a == 1), "{p:?}");
    let p: Pick = round_trip(json!("down"));
    assert!(matches!(p, Pick::D(D::Down)), "{p:?}");
    let r: Record =
        round_trip(json!({"map": "m", "key": 1, "d": "up", "pick": {"a": 2}, "extras": {"n": 1}}));
    assert_eq!((r.d, r.extras.map(|e| e.len())), (Some(D::Up), Some(1)));
}

/// `Config::map_type("indexmap::IndexMap")` in the build script: maps and additional
/// properties keep the order the server sent, and are sent back in it.
#[test]
fn a_configured_map_type_keeps_the_order_of_the_wire() {
    use compile_fixtures::serde_objects_indexed_api::types::{Extras as Indexed, Tally as IndexedTally};
    let text = r#"{"name":"votes","zebra":1,"apple":2,"mango":3}"#;
    let tally: IndexedTally = serde_json::from_str(text).unwrap();
    let map: &indexmap::IndexMap<String, i64> = &tally.additional_properties;
    assert_eq!(map.keys().collect::<Vec<_>>(), ["zebra", "apple", "mango"]);
    assert_eq!(serde_json::to_string(&tally).unwrap(), text);
    let extras: Indexed = serde_json::from_str(r#"{"z":1,"a":2}"#).unwrap();
    assert_eq!(serde_json::to_string(&extras).unwrap(), r#"{"z":1,"a":2}"#);
    // The default map sorts them.
    let sorted: Tally = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_string(&sorted).unwrap(), r#"{"name":"votes","apple":2,"mango":3,"zebra":1}"#);
}
