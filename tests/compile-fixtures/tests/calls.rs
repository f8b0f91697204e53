//! How calls read (tests/fixtures/calls.yaml, GitHub's operationIds and issue body): methods
//! don't repeat their resource, a body field named `body` keeps its name, and a scalar union
//! takes any of its variants' values. Checked on the wire against 127.0.0.1.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use compile_fixtures::calls_api::{types, Client};
use serde_json::json;

#[tokio::test]
async fn an_issue_is_created_and_listed_as_a_person_would_write_it() {
    let issue = r#"{"number": 1, "title": "Found a bug", "body": "It breaks"}"#;
    let server = Server::start(vec![Reply::json(201, issue), Reply::json(200, format!("[{issue}]"))]).await;
    let client = Client::from_runtime(server.client());

    let created =
        client.issues().create("octo", "app", "Found a bug").body("It breaks").milestone(3).await.unwrap();
    assert_eq!((created.number, created.body.as_deref()), (1, Some("It breaks")));
    let listed = client.issues().list_for_repo("octo", "app").labels("bug").await.unwrap();
    assert_eq!(listed.len(), 1);

    let seen = server.requests();
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("POST", "/repos/octo/app/issues"));
    let sent: serde_json::Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent, json!({"title": "Found a bug", "body": "It breaks", "milestone": 3}));
    assert_eq!(seen[1].target, "/repos/octo/app/issues?labels=bug");
}

#[tokio::test]
async fn the_whole_body_setter_gives_way_to_a_field_named_body() {
    let server = Server::start(vec![Reply::json(201, r#"{"number": 2, "title": "7"}"#)]).await;
    let client = Client::from_runtime(server.client());
    let whole = types::IssuesCreateBody::new(7);
    client.issues().create("o", "r", "replaced").request_body(whole).await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent, json!({"title": 7}));
}

#[test]
fn scalar_unions_convert_from_each_variants_value() {
    use types::IssuesCreateBodyTitle as Title;
    assert_eq!(Title::from("a"), Title::String("a".into()));
    assert_eq!(Title::from(String::from("a")), Title::String("a".into()));
    assert_eq!(Title::from(5), Title::Integer(5));
}

/// A shortened name that would be another method's keeps its prefix; a name `x-sdk-method`
/// gives is kept as written. (Compiling is the check: these are the methods that exist.)
#[allow(dead_code)]
fn names_that_would_collide_keep_their_prefix(client: &Client) {
    let _ = client.issues().issues_lock("o", "r", 1);
    let _ = client.issues().lock();
    let _ = client.meta().meta_root();
}

/// The attributes the build script adds (Config::type_attribute): `Issue` is `Eq + Hash + Ord`.
#[test]
fn the_users_attributes_are_on_the_generated_type() {
    let a = types::Issue::new(1, "a");
    let set: std::collections::BTreeSet<types::Issue> =
        [a.clone(), a.clone(), types::Issue::new(2, "b")].into();
    assert_eq!(set.len(), 2);
    let hashed: std::collections::HashSet<types::Issue> = [a.clone(), a].into();
    assert_eq!(hashed.len(), 1);
}

#[test]
fn keep_undeclared_keeps_what_an_open_object_does_not_declare() {
    use compile_fixtures::calls_open_api::types::Issue as OpenIssue;
    use compile_fixtures::round_trip;
    // Issue doesn't say additionalProperties, so JSON Schema allows any other property.
    let raw =
        serde_json::json!({"number": 7, "title": "Found a bug", "labels": ["bug"], "state": {"open": true}});
    let issue: OpenIssue = round_trip(raw);
    assert_eq!(issue.additional_properties["labels"], serde_json::json!(["bug"]));
    assert_eq!(issue.additional_properties.len(), 2);
    // The default drops them: the same value doesn't round-trip.
    let plain: types::Issue =
        serde_json::from_value(serde_json::json!({"number": 7, "title": "x", "labels": []})).unwrap();
    assert_eq!(serde_json::to_value(&plain).unwrap(), serde_json::json!({"number": 7, "title": "x"}));
}

/// `Config::rename_type` and `rename_field` in the build script: the Rust names change, the
/// setter follows its field, and the wire doesn't change.
#[tokio::test]
async fn renamed_types_and_fields_keep_their_wire_names() {
    use compile_fixtures::calls_renamed_api::{types::Ticket, types::Title, Client as Renamed};
    let issue = r#"{"number": 1, "title": "Found a bug"}"#;
    let server = Server::start(vec![Reply::json(201, issue)]).await;
    let client = Renamed::from_runtime(server.client());
    let created: Ticket =
        client.issues().create("octo", "app", Title::from("Found a bug")).milestone_number(3).await.unwrap();
    assert_eq!((created.number, created.heading.as_str()), (1, "Found a bug"));
    let sent: serde_json::Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent, json!({"title": "Found a bug", "milestone": 3}));
    assert_eq!(serde_json::to_value(Ticket::new(2, "x")).unwrap(), json!({"number": 2, "title": "x"}));
}
