//! `allOf` with a union member (tests/fixtures/allof-union.yaml): each member of the union is
//! merged with the rest, so a value decodes as its own member with the shared fields too.

use compile_fixtures::allof_union_api::types::*;
use compile_fixtures::round_trip;
use serde_json::json;

#[test]
fn each_event_decodes_as_its_own_member_with_the_shared_field() {
    let done: StreamEvent = round_trip(json!({"type": "done", "text": "bye", "stream_id": "lane-2"}));
    let StreamEvent::Done(d) = &done else { panic!("not Done: {done:?}") };
    assert_eq!((d.text.as_str(), d.stream_id.as_deref()), ("bye", Some("lane-2")));

    let delta: StreamEvent = round_trip(json!({"type": "delta", "delta": "Hel"}));
    let StreamEvent::Delta(d) = &delta else { panic!("not Delta: {delta:?}") };
    assert_eq!((d.delta.as_str(), d.stream_id.as_deref()), ("Hel", None));
}

#[test]
fn the_tag_decides_not_the_fields() {
    // A `done` event carrying a `delta` field too is still a `done` event.
    let e: StreamEvent = serde_json::from_value(json!({"type": "done", "text": "t", "delta": "d"})).unwrap();
    assert!(matches!(e, StreamEvent::Done(_)), "{e:?}");
    // A `done` without its required `text` is an error, not another member.
    assert!(serde_json::from_value::<StreamEvent>(json!({"type": "done", "delta": "d"})).is_err());
    // A tag this version doesn't know is kept as it came.
    let raw = json!({"type": "ping", "stream_id": "lane-3"});
    let e: StreamEvent = round_trip(raw.clone());
    assert_eq!(e, StreamEvent::Unknown(raw));
}

#[test]
fn untagged_members_each_keep_the_shared_required_field() {
    let circle: Shape = round_trip(json!({"id": "s1", "radius": 1.5}));
    assert!(matches!(&circle, Shape::Variant0(c) if c.radius == 1.5 && c.id == "s1"), "{circle:?}");
    let rect: Shape = round_trip(json!({"id": "s2", "width": 2.0, "height": 3.0}));
    assert!(matches!(&rect, Shape::Variant1(r) if r.width == 2.0 && r.id == "s2"), "{rect:?}");
    // The shared member's required field is required in every merged member.
    assert!(serde_json::from_value::<Shape>(json!({"radius": 1.5})).is_err());
}
