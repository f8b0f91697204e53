//! A property several `allOf` members declare (tests/fixtures/allof-restated.yaml): the field
//! is what every declaration accepts, so no member's part of a value is dropped.

use compile_fixtures::allof_restated_api::types::*;
use compile_fixtures::round_trip;
use serde_json::json;

#[test]
fn restated_objects_keep_every_members_properties() {
    // Before the merge, `owner` was Pet's declaration alone and `email` was dropped.
    let dog: Dog = round_trip(json!({
        "id": 7, "name": "Rex",
        "owner": {"name": "Ada", "email": "ada@example.com"},
        "contacts": [{"name": "Bo", "phone": "555"}],
    }));
    let owner = dog.owner.as_ref().expect("owner");
    assert_eq!((owner.name.as_deref(), owner.email.as_str()), (Some("Ada"), "ada@example.com"));
    let contact = &dog.contacts.as_ref().expect("contacts")[0];
    assert_eq!((contact.name.as_deref(), contact.phone.as_deref()), (Some("Bo"), Some("555")));
}

#[test]
fn a_restated_scalar_takes_the_narrower_declaration() {
    let dog: Dog = round_trip(json!({"id": 1, "name": "Rex", "status": "sold", "weight": 12}));
    assert_eq!(dog.status, Some(Status::Sold));
    assert_eq!(dog.weight, Some(12i64));
    // Annotating a property (a description, `readOnly`) or wrapping its `$ref` constrains
    // nothing: the types stay as declared.
    let _: &String = &dog.name;
    let _: &Option<Vet> = &dog.vet;
}

#[test]
fn contradicting_declarations_keep_any_value() {
    // `code` is a string in Pet and an integer in Dog: no value is both, so whatever the server
    // sends is kept rather than refused.
    let dog: Dog = round_trip(json!({"id": 1, "name": "Rex", "code": 5, "tags": [1, "x"]}));
    assert_eq!(dog.code, Some(json!(5)));
    assert_eq!(dog.tags, Some(vec![json!(1), json!("x")]));
}
