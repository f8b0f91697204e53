//! Schemas whose only value is null (tests/fixtures/null-values.yaml), as schemars writes Rust's
//! `()`: they are the unit type, so `null` decodes (it failed as the `String` they used to be),
//! a `Result<(), String>`-shaped union tells its variants apart, and an operation that answers
//! `null` succeeds against a real server. A string enum listing null among its values, inline or
//! named, is an `Option` of the enum.

use compile_fixtures::null_values_api::{types::*, Client};
use compile_fixtures::round_trip;
use serde_json::json;

#[test]
fn a_null_only_schema_is_the_unit_type() {
    let (): Unit = serde_json::from_value(json!(null)).expect("null decodes");
    assert_eq!(serde_json::to_value::<Unit>(()).unwrap(), json!(null));
    // Only null: it was a String, which refused the one value the document allows.
    assert!(serde_json::from_value::<Unit>(json!("null")).is_err());
}

#[test]
fn ok_and_err_decode_as_themselves() {
    let ok: Status = round_trip(json!({"ok": null}));
    assert!(matches!(ok, Status::StatusVariant0(_)), "{ok:?}");
    let err: Status = round_trip(json!({"err": "digest mismatch"}));
    assert!(matches!(err, Status::StatusVariant1(ref e) if e.err == "digest mismatch"), "{err:?}");
}

#[test]
fn a_string_enum_with_null_among_its_values_is_an_option() {
    let r: Report = round_trip(json!({"done": null, "color": null, "shade": null}));
    assert_eq!((r.color, r.shade), (None, None));
    let r: Report = round_trip(json!({"done": null, "color": "green", "shade": "dark"}));
    assert_eq!((r.color, r.shade), (Some(ReportColor::Green), Some(Shade::Dark)));
    let r: Report =
        serde_json::from_value(json!({"done": null, "color": "red", "shade": null, "maybe": null})).unwrap();
    assert_eq!((r.color, r.maybe), (Some(ReportColor::Red), None));
}

#[tokio::test]
async fn an_operation_answering_null_succeeds() {
    let app = axum::Router::new()
        .route("/unit", axum::routing::get(|| async { ([("content-type", "application/json")], "null") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder().base_url(format!("http://{addr}")).max_retries(0).build().unwrap();
    let () = client.get_unit().await.expect("null is the unit value");
}
