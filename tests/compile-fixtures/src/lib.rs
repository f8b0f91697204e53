//! Every fixture's generated client, compiled with warnings denied: a snapshot that doesn't
//! compile (or warns) fails the build, not only a text comparison.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/all.rs"));

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
}
