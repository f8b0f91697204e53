//! A user's `#[derive(JsonSchema)]` (through `Config::type_attribute`) on the models of
//! tests/fixtures/wire-names.yaml sees what their written-out serde impls do: wire names,
//! flattened additional properties, the union's tag and the enum's values. Each check compares
//! a value's JSON, as the client sends it, with the schema schemars derives.

use compile_fixtures::wire_names_schema_api::types::{Circle, IdOrName, Pet, Shape, Status};
use serde_json::{json, Value};

fn schema<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap()
}

fn definition<'a>(root: &'a Value, name: &str) -> &'a Value {
    &root["$defs"][name]
}

#[test]
fn a_struct_is_described_by_its_wire_names() {
    let mut pet = Pet::new("Rex", Shape::Circle(Circle::new("round", 2.0)));
    pet.id = Some("pet-1".into());
    pet.r#type = Some("dog".into());
    pet.additional_properties.insert("legs".into(), 4);
    let sent = serde_json::to_value(&pet).unwrap();
    let schema = schema::<Pet>();
    let properties = schema["properties"].as_object().expect("Pet's schema has properties");
    for key in sent.as_object().unwrap().keys().filter(|k| *k != "legs") {
        assert!(properties.contains_key(key), "`{key}` is sent but not in the schema: {schema:#}");
    }
    for rust_name in ["pet_name", "id", "additional_properties"] {
        assert!(!properties.contains_key(rust_name), "Rust name `{rust_name}` in the schema: {schema:#}");
    }
    assert_eq!(schema["required"], json!(["petName", "shape"]));
    // The flattened map: properties beyond the declared ones are integers.
    assert_eq!(schema["additionalProperties"]["type"], json!("integer"), "{schema:#}");
}

#[test]
fn an_open_enum_lists_its_wire_values_and_admits_others() {
    let schema = schema::<Status>();
    let text = schema.to_string();
    for status in [Status::InProgress, Status::Done] {
        let sent = serde_json::to_value(&status).unwrap();
        assert!(text.contains(&sent.to_string()), "{sent} is not in {schema:#}");
    }
    assert!(!text.contains("InProgress"), "a Rust variant name in {schema:#}");
}

#[test]
fn a_tagged_union_is_told_apart_by_its_tag_on_the_wire() {
    let root = schema::<Pet>();
    let shape = definition(&root, "Shape");
    let members = shape["oneOf"].as_array().or(shape["anyOf"].as_array()).expect("Shape has members");
    let sent = serde_json::to_value(Shape::Circle(Circle::new("round", 2.0))).unwrap();
    assert_eq!(sent["kind"], json!("round"));
    let tags: Vec<String> = members.iter().map(|m| m["properties"]["kind"].to_string()).collect();
    assert!(tags.iter().any(|t| t.contains("\"round\"")), "no member tagged `round`: {shape:#}");
    assert!(tags.iter().any(|t| t.contains("\"square\"")), "no member tagged `square`: {shape:#}");
    let circle = definition(&root, "Circle");
    assert!(circle["properties"].get("radiusCm").is_some(), "{circle:#}");
}

#[test]
fn an_untagged_union_is_any_of_its_members() {
    let schema = schema::<IdOrName>();
    let members = schema["anyOf"].as_array().expect("an untagged union is anyOf");
    let types: Vec<&Value> = members.iter().map(|m| &m["type"]).collect();
    assert_eq!(types, [&json!("integer"), &json!("string")], "{schema:#}");
    assert_eq!(serde_json::to_value(IdOrName::Integer(3)).unwrap(), json!(3));
}
