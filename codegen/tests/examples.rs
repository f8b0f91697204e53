//! `generate --crate` writes `tests/examples.rs`: one test per JSON example of the document, an
//! example that doesn't match its schema ignored with the validator's reason, one with
//! undeclared properties ignored naming them. tests/compile-fixtures runs the same file for the
//! fixture (tests/examples.rs there), so the tests below only read what was written.

use ferrospec_codegen::{krate::RuntimeDep, Config};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An empty directory of this test run's own, for one test.
fn scratch(test: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("examples-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[cfg(feature = "validate")]
fn fixture() -> PathBuf {
    root().join("tests/fixtures/examples.yaml")
}

/// The test function `name` in `file`, from its doc line to its closing brace.
#[cfg(feature = "validate")]
fn test_fn<'f>(file: &'f str, name: &str) -> &'f str {
    let at = file.find(&format!("fn {name}()")).unwrap_or_else(|| panic!("no test {name} in\n{file}"));
    let start = file[..at].rfind("///").expect("a doc line names the example's pointer");
    let end = at + file[at..].find("\n}\n").expect("the function ends");
    &file[start..end]
}

// Without the validator an invalid example is an ordinary test.
#[cfg(feature = "validate")]
#[test]
fn the_crate_gets_one_test_per_example_with_the_reasons_for_ignoring() {
    let dir = scratch("crate");
    let g = Config::new()
        .generate_crate(fixture(), &dir, Some("pets-client"), &RuntimeDep::Version("0.1".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let summary = g.examples.expect("the fixture has examples");
    assert_eq!((summary.tests, summary.invalid, summary.undeclared), (5, 1, 1), "{summary}");
    assert!(summary.validated);

    let file = std::fs::read_to_string(dir.join("tests/examples.rs")).expect("tests/examples.rs written");
    assert!(file.contains("use pets_client::types;"), "{file}");
    assert!(file.contains(&summary.to_string()), "the header counts the tests: {file}");
    // Inline, through `$ref`, a component schema's own, an array response.
    for (name, ty, pointer) in [
        (
            "create_pet_request",
            "types::Pet",
            "#/paths/~1pets/post/requestBody/content/application~1json/example",
        ),
        ("create_pet_response_201_stored", "types::Pet", "#/components/examples/StoredPet/value"),
        ("list_pets_response_200", "Vec<types::Pet>", "/responses/200/content/application~1json/example"),
        ("get_owner_response_200", "types::Owner", "#/paths/~1owner/get/responses/200"),
        ("schema_pet", "types::Pet", "#/components/schemas/Pet/example"),
    ] {
        let f = test_fn(&file, name);
        assert!(f.contains(&format!("round_trip::<{ty}>(example)")), "{f}");
        assert!(f.contains(pointer), "{f}");
        assert!(!f.contains("#[ignore"), "{f}");
    }
    let invalid = test_fn(&file, "create_pet_response_201_numeric_name");
    assert!(invalid.contains(r#"#[ignore = "the example doesn't match its schema: at /name"#), "{invalid}");
    let extra = test_fn(&file, "create_pet_response_201_extra_field");
    assert!(
        extra.contains(r#"#[ignore = "example carries fields the document doesn't declare: colour"]"#),
        "{extra}"
    );
    // The example as written, as JSON in a raw string.
    assert!(extra.contains(r##"let example = r#"{"colour":"grey","id":"p3","name":"Tom"}"#;"##), "{extra}");

    // The tests decode and encode every type: the crate depends on itself with serde-all.
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        toml.contains("[dev-dependencies]\n\"pets-client\" = { path = \".\", features = [\"serde-all\"] }"),
        "{toml}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("`cargo test --test examples`"), "{readme}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_document_without_examples_gets_no_example_tests() {
    let dir = scratch("none");
    // A stale file from an earlier generation goes away.
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(dir.join("tests/examples.rs"), "stale").unwrap();
    let g = Config::new()
        .generate_crate(
            root().join("tests/fixtures/minimal.yaml"),
            &dir,
            None,
            &RuntimeDep::Version("0.1".into()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.examples, None);
    assert!(!dir.join("tests/examples.rs").exists());
    // The wire tests are there all the same: they need the crate with both serde directions
    // and tokio.
    let wire = std::fs::read_to_string(dir.join("tests/wire.rs")).unwrap();
    assert!(wire.contains("#[tokio::test]") && wire.contains("WIRE_TEST_BASE_URL"), "{wire}");
    let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("[dev-dependencies]") && cargo.contains("tokio"), "{cargo}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Examples of only strings and numbers use no generated type, so the file imports none (an
/// unused import fails a crate built with warnings denied).
#[test]
fn scalar_examples_import_no_types() {
    let dir = scratch("scalar");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("scalar.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: S, version: '1'}\npaths:\n  /id:\n    get:\n      operationId: getId\n      responses:\n        '200':\n          description: An id.\n          content:\n            application/json:\n              schema: {type: string}\n              example: 96fab4bb\n",
    )
    .unwrap();
    Config::new()
        .generate_crate(&spec, &dir.join("crate"), Some("s"), &RuntimeDep::Version("0.1".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::read_to_string(dir.join("crate/tests/examples.rs")).unwrap();
    assert!(file.contains("round_trip::<String>(example)"), "{file}");
    assert!(!file.contains("use s::types"), "{file}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "validate")]
#[test]
fn example_tests_snapshot() {
    let (file, _) = Config::new()
        .generate_example_tests(fixture(), "compile_fixtures::examples_api")
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the fixture has examples");
    insta::assert_snapshot!(file);
}

/// Undeclared properties are found where decoding would drop them: nested, in array items, not
/// in a map (`additionalProperties`) nor as a tagged union's tag.
#[test]
fn undeclared_properties_are_named_by_their_path() {
    use ferrospec_codegen::examples::{cases, Verdict};
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "U", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        }}}}},
        "components": {"schemas": {
            "A": {"type": "object", "properties": {
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "items": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "shape": {"$ref": "#/components/schemas/Shape"}
            }, "example": {
                "owner": {"name": "a", "nick": "b"},
                "items": [{"n": 1, "x": 2}, {"n": 2, "x": 3}],
                "labels": {"any": "thing"},
                "shape": {"kind": "circle", "r": 1.0, "colour": "red"},
                "extra": true
            }},
            "Shape": {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
                      "discriminator": {"propertyName": "kind", "mapping": {
                          "circle": "#/components/schemas/Circle", "square": "#/components/schemas/Square"}}},
            "Circle": {"type": "object", "required": ["kind", "r"],
                       "properties": {"kind": {"type": "string"}, "r": {"type": "number"}}},
            "Square": {"type": "object", "required": ["kind", "side"],
                       "properties": {"kind": {"type": "string"}, "side": {"type": "number"}}}
        }}
    });
    let loaded = Config::new().load_bytes("u.json", serde_json::to_vec(&doc).unwrap()).unwrap();
    let (found, summary) = cases(loaded.api(), &doc);
    assert_eq!((found.len(), summary.undeclared), (1, 1), "{found:?}");
    assert_eq!(
        found[0].verdict,
        Verdict::Undeclared(vec![
            "extra".to_string(),
            "items[].x".to_string(),
            "owner.nick".to_string(),
            "shape.colour".to_string()
        ])
    );
}

/// A 3.1 document: examples are read from its normalised tree, checked with its own keywords
/// (a type array admits `null`, `exclusiveMinimum` is a number), and each test names the place
/// in the document as written (here under the path item the path refers to).
#[cfg(feature = "validate")]
#[test]
fn a_3_1_documents_examples_name_their_place_as_written() {
    let spec = root().join("tests/fixtures/v31-examples.yaml");
    let (file, summary) = Config::new()
        .generate_example_tests(&spec, "v31_client")
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("the fixture has examples");
    assert_eq!((summary.tests, summary.invalid, summary.undeclared), (1, 1, 0), "{summary}\n{file}");
    let plain = test_fn(&file, "get_item_response_200_plain");
    assert!(
        plain.contains("/// #/components/pathItems/Item/get/responses/200/content/application~1json/examples/plain/value"),
        "{plain}"
    );
    let empty = test_fn(&file, "get_item_response_200_empty");
    assert!(empty.contains("#[ignore = \"the example doesn't match its schema: at /size"), "{empty}");
}
