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
        let _: &llama_cloud_runtime::Client = c.runtime();
    }
}
