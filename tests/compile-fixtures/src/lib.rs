//! Every fixture's generated client, compiled with warnings denied: a snapshot that doesn't
//! compile (or warns) fails the build, not only a text comparison.
#![deny(warnings)]

pub mod custom;

include!(concat!(env!("OUT_DIR"), "/all.rs"));

/// The types-only module's models implement both serde directions without `serde-all` (CI
/// checks this crate with `--no-default-features`): a response's `Issue` serializes and a
/// request's body deserializes, which a client's module gates behind the feature.
#[allow(dead_code)]
fn types_only_models_go_both_ways() {
    fn both<T: serde::Serialize + serde::de::DeserializeOwned>() {}
    both::<calls_types_api::types::Issue>();
    both::<calls_types_api::types::IssuesCreateBody>();
}

/// Decodes `raw` and checks that the value encodes back to the same JSON (the tests' check that
/// no field is dropped or changed).
pub fn round_trip<T>(raw: serde_json::Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let value: T = serde_json::from_value(raw.clone()).unwrap_or_else(|e| panic!("{raw}: {e}"));
    assert_eq!(serde_json::to_value(&value).unwrap(), raw, "{value:?} re-encodes differently");
    value
}

#[cfg(test)]
mod tests {
    use super::discriminators_api::types::{Cat, Circle, Pet, Shape};
    use serde_json::json;

    #[test]
    fn mapped_tags_choose_the_variant_and_the_variant_sees_its_tag() {
        let pet: Pet = serde_json::from_value(json!({"pet_type": "cat", "lives": 9})).unwrap();
        assert_eq!(pet, Pet::Cat(Cat { pet_type: "cat".into(), lives: 9 }));
        let puppy: Pet = serde_json::from_value(json!({"pet_type": "puppy", "good": true})).unwrap();
        assert!(matches!(puppy, Pet::Puppy(ref d) if d.good == Some(true)), "{puppy:?}");
        assert_eq!(serde_json::to_value(&pet).unwrap(), json!({"pet_type": "cat", "lives": 9}));
    }

    #[test]
    fn implicit_tags_are_schema_names_and_are_written_back() {
        let shape: Shape = serde_json::from_value(json!({"kind": "Circle", "radius": 2.0})).unwrap();
        assert_eq!(shape, Shape::Circle(Circle { radius: 2.0 }));
        assert_eq!(serde_json::to_value(&shape).unwrap(), json!({"kind": "Circle", "radius": 2.0}));
    }

    #[test]
    fn unknown_tags_are_kept_and_round_trip() {
        let raw = json!({"pet_type": "axolotl", "gills": 6});
        let pet: Pet = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(pet, Pet::Unknown(raw.clone()));
        assert_eq!(serde_json::to_value(&pet).unwrap(), raw);
    }

    /// A document with no `servers` has no default base URL: building a client without one is
    /// refused with a message that says how to give it. (It declares no security, so the client
    /// needs no credentials.)
    #[test]
    fn a_document_without_servers_requires_a_base_url() {
        let err = super::types_api::Client::builder().build().unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("no base URL") && msg.contains("TYPES_BASE_URL") && msg.contains("base_url"),
            "{msg}"
        );
        assert!(super::types_api::Client::builder().base_url("http://127.0.0.1:9").build().is_ok());
    }

    /// Non-ASCII names: Latin diacritics become base letters, other scripts stay as Unicode
    /// identifiers; the wire names are unchanged either way.
    #[test]
    fn non_ascii_names_keep_their_meaning_and_their_wire_names() {
        use super::names_api::types::{日本語, Cafe};
        let cafe: Cafe = serde_json::from_value(json!({"crème": "brûlée", "größe": 3})).unwrap();
        assert_eq!((cafe.creme.as_deref(), cafe.grosse), (Some("brûlée"), Some(3)));
        assert_eq!(serde_json::to_value(&cafe).unwrap(), json!({"crème": "brûlée", "größe": 3}));
        let n: 日本語 = serde_json::from_value(json!({"名前": "太郎"})).unwrap();
        assert_eq!(n.名前.as_deref(), Some("太郎"));
    }

    /// Tags and operationIds named like the client's own methods get other names, so every
    /// method stays reachable (the fixture compiling at all is the other half of this test).
    #[test]
    fn names_that_collide_with_the_clients_methods_are_renamed() {
        let c = super::names_api::Client::builder().build().unwrap();
        let _ = (
            c.client_api().client2(),
            c.runtime_api().new2(),
            c.builder_api().builder(),
            c.new_api().runtime(),
        );
        let _ = (c.from_env2(), c.uber().get_uber(), c.日本語());
        let _: &ferrospec_runtime::Client = c.runtime();
    }

    use super::round_trip;

    /// Unions whose members each fix a required property (Dropshot's tagged enums).
    mod fixed_tags {
        use super::super::unions_api::types::*;
        use super::round_trip;
        use serde_json::json;

        #[test]
        fn each_member_decodes_as_itself_and_re_encodes_unchanged() {
            let ip: RouteDestination = round_trip(json!({"type": "ip", "value": "10.0.0.1"}));
            assert!(matches!(&ip, RouteDestination::Ip(m) if m.value == "10.0.0.1"), "{ip:?}");
            let net: RouteDestination =
                round_trip(json!({"type": "ip_net", "value": {"addr": "10.0.0.0", "prefix": 8}}));
            assert!(matches!(&net, RouteDestination::IpNet(m) if m.value.prefix == 8), "{net:?}");
            // `vpc` and `subnet` have the same shape: only the tag tells them apart.
            let vpc: RouteDestination = round_trip(json!({"type": "vpc", "value": "default"}));
            assert!(matches!(&vpc, RouteDestination::Vpc(m) if m.value == "default"), "{vpc:?}");
            let subnet: RouteDestination = round_trip(json!({"type": "subnet", "value": "default"}));
            assert!(matches!(&subnet, RouteDestination::Subnet(m) if m.value == "default"), "{subnet:?}");
        }

        #[test]
        fn a_one_value_tag_refuses_other_values() {
            // A member alone refuses another member's tag...
            let err = serde_json::from_value::<RouteDestinationIp>(json!({"type": "vpc", "value": "x"}))
                .unwrap_err();
            assert!(err.to_string().contains("expected `ip`"), "{err}");
            assert!(serde_json::from_value::<EmailNotification>(json!({"kind": "sms", "to": "+1"})).is_err());
            // ...the union keeps a tag it doesn't know as it came, never as its first member...
            let raw = json!({"type": "bogus", "value": "x"});
            let u: RouteDestination = round_trip(raw.clone());
            assert_eq!(u, RouteDestination::Unknown(raw));
            // ...and a known tag with a body that doesn't fit is an error, not another member.
            let bad = json!({"type": "ip_net", "value": "10.0.0.0/8"});
            assert!(serde_json::from_value::<RouteDestination>(bad).is_err());
        }

        #[test]
        fn members_built_in_code_carry_their_tag() {
            let vpc = RouteDestination::Vpc(RouteDestinationVpc::new("default"));
            assert_eq!(serde_json::to_value(&vpc).unwrap(), json!({"type": "vpc", "value": "default"}));
            let email = EmailNotification::new("a@example.test");
            assert_eq!(email.kind.as_str(), "email");
            assert_eq!(
                serde_json::to_value(&email).unwrap(),
                json!({"kind": "email", "to": "a@example.test"})
            );
        }

        #[test]
        fn members_by_reference_and_with_a_discriminator() {
            let sms: Notification = round_trip(json!({"kind": "sms", "to": "+15550100"}));
            assert!(matches!(&sms, Notification::SmsNotification(m) if m.to == "+15550100"), "{sms:?}");
            let email: Notification =
                round_trip(json!({"kind": "email", "to": "a@example.test", "subject": "hi"}));
            assert!(
                matches!(&email, Notification::EmailNotification(m) if m.subject.as_deref() == Some("hi")),
                "{email:?}"
            );
            let request: Challenge = round_trip(json!({"type": "request", "options": "o"}));
            assert!(matches!(&request, Challenge::Request(m) if m.options == "o"), "{request:?}");
            // No mapping: the values are the ones the members fix, not the schema names.
            let episode: Media = round_trip(json!({"type": "episode", "name": "e1", "show": "s"}));
            assert!(matches!(&episode, Media::Episode(e) if e.show.as_deref() == Some("s")), "{episode:?}");
            let track: Media = round_trip(json!({"type": "track", "name": "t1"}));
            assert!(matches!(&track, Media::Track(t) if t.name == "t1"), "{track:?}");
        }
    }

    /// Untagged unions over objects whose properties overlap.
    mod overlapping_objects {
        use super::super::unions_overlap_api::types::*;
        use super::round_trip;
        use serde_json::json;

        #[test]
        fn a_dog_is_not_taken_for_the_cat_listed_before_it() {
            let dog: Pet = round_trip(json!({"name": "Rex", "bark": true}));
            assert_eq!(dog, Pet::Dog(Dog { name: "Rex".into(), bark: true }));
            let cat: Pet = round_trip(json!({"name": "Tom", "lives": 9}));
            assert_eq!(cat, Pet::Cat(Cat { name: "Tom".into(), lives: Some(9) }));
        }

        #[test]
        fn optional_keys_choose_between_members_that_require_the_same() {
            let hound: Critter = round_trip(json!({"name": "Fang", "howl": "awoo"}));
            assert!(matches!(&hound, Critter::Hound(h) if h.howl.as_deref() == Some("awoo")), "{hound:?}");
            let cat: Critter = round_trip(json!({"name": "Tom", "lives": 9}));
            assert!(matches!(&cat, Critter::Cat(c) if c.lives == Some(9)), "{cat:?}");
            // Nothing to tell them apart by: the first in the document.
            let either: Critter = round_trip(json!({"name": "Kit"}));
            assert!(matches!(either, Critter::Cat(_)), "{either:?}");
        }

        #[test]
        fn a_member_that_forbids_unknown_fields_refuses_them() {
            let exact: Coord = round_trip(json!({"x": 1.0, "y": 2.0}));
            assert!(matches!(exact, Coord::Exact(_)), "{exact:?}");
            let loose: Coord = round_trip(json!({"x": 1.0, "y": 2.0, "note": "n"}));
            assert!(
                matches!(&loose, Coord::Loose(l) if l.additional_properties.get("note") == Some(&json!("n"))),
                "{loose:?}"
            );
            assert!(serde_json::from_value::<Exact>(json!({"x": 1.0, "y": 2.0, "z": 3.0})).is_err());
        }
    }

    /// Several string enums in one union.
    mod string_enums {
        use super::super::unions_enums_api::types::*;
        use super::round_trip;
        use serde_json::json;

        #[test]
        fn string_enums_in_one_union_merge_into_one_enum() {
            assert_eq!(round_trip::<Units>(json!("count")), Units::Count);
            assert_eq!(round_trip::<Units>(json!("bytes")), Units::Bytes);
            assert_eq!(round_trip::<Units>(json!("nanoseconds")), Units::Nanoseconds);
            // Before merging, the first enum (open) took every string.
            assert_eq!(round_trip::<Level>(json!("extreme")), Level::Extreme);
            assert_eq!(round_trip::<Level>(json!("low")), Level::Low);
        }

        #[test]
        fn an_enum_beside_a_plain_string_is_one_open_enum() {
            assert_eq!(
                round_trip::<Disposition>(json!("permanently_delete")),
                Disposition::PermanentlyDelete
            );
            let other: Disposition = round_trip(json!("archive"));
            assert_eq!(other.as_str(), "archive");
        }

        #[test]
        fn enums_beside_other_types_merge_and_the_rest_stay() {
            assert_eq!(round_trip::<Threads>(json!(4)), Threads::Integer(4));
            assert_eq!(round_trip::<Threads>(json!("max")), Threads::ThreadsVariant1(ThreadsVariant1::Max));
            assert_eq!(round_trip::<Threads>(json!("auto")), Threads::ThreadsVariant1(ThreadsVariant1::Auto));
        }
    }

    /// A base schema with a discriminator, extended through `allOf`.
    mod inheritance {
        use super::super::inheritance_api::types::*;
        use super::round_trip;
        use serde_json::json;

        #[test]
        fn where_the_base_is_used_the_subtype_comes_with_its_fields() {
            let car: Vehicle = round_trip(json!({"kind": "car", "wheels": 4, "doors": 5}));
            assert_eq!(car, Vehicle::Car(Car { kind: "car".into(), wheels: 4, doors: 5 }));
            // Not in the mapping: the schema name is the tag.
            let truck: Vehicle = round_trip(json!({"kind": "Truck", "wheels": 6, "payload": 1.5}));
            assert!(matches!(&truck, Vehicle::Truck(t) if t.payload == Some(1.5)), "{truck:?}");
            let garage: Garage = round_trip(json!({"favourite": {"kind": "car", "wheels": 4, "doors": 3}}));
            assert!(matches!(&garage.favourite, Some(Vehicle::Car(c)) if c.doors == 3), "{garage:?}");
        }

        #[test]
        fn a_value_mapped_to_the_base_itself_decodes_as_the_base() {
            let plain: Shape = round_trip(json!({"shape_type": "shape", "label": "plain"}));
            assert!(
                matches!(&plain, Shape::ShapeBase(s) if s.label.as_deref() == Some("plain")),
                "{plain:?}"
            );
            let circle: Shape = round_trip(json!({"shape_type": "circle", "radius": 2.0}));
            assert!(matches!(&circle, Shape::Circle(c) if c.radius == 2.0), "{circle:?}");
        }
    }
}
