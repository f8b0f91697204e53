//! What the generator says about documents it cannot use: every message pinned in full, with its
//! JSON pointer and, where the loader knows it, the line and column. Also the command line's exit
//! codes.

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The full report for a document that must fail.
fn report(name: &str, text: &str) -> String {
    match Config::new().generate_bytes(name, text.as_bytes().to_vec()) {
        Ok(_) => panic!("{name} generated, but it should have failed"),
        Err(e) => e.to_string(),
    }
}

/// The warnings for a document that must generate, one per line, and the generated code.
fn warnings(name: &str, text: &str) -> (String, String) {
    match Config::new().generate_bytes(name, text.as_bytes().to_vec()) {
        Ok(g) => (g.warnings.items.iter().map(|w| format!("{w}\n")).collect(), g.code),
        Err(e) => panic!("{name} should generate, but: {e}"),
    }
}

#[test]
fn malformed_yaml_has_a_line_and_column() {
    let text = "openapi: 3.0.3\ninfo:\n  title: Bad\n   version: \"1\"\npaths: {}\n";
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: # (line 4, column 11): invalid YAML: mapping values are not allowed in this context\n"
    );
}

#[test]
fn malformed_yaml_keeps_where_the_construct_began() {
    let text = "openapi: 3.0.3\ninfo: {title: Bad, version: \"1\"}\npaths:\n  /a: [unclosed\n";
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: # (line 5, column 1): invalid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 4 column 7\n"
    );
}

#[test]
fn malformed_json_has_a_line_and_column() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"Bad\", \"version\": \"1\"},\n  \"paths\": {}\n  \"components\": {}\n}\n";
    assert_eq!(
        report("bad.json", text),
        "bad.json: 1 error in the OpenAPI document\n  \
         error: # (line 5, column 3): invalid JSON: expected `,` or `}`\n"
    );
}

#[test]
fn unresolved_schema_ref() {
    let text = r##"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: "#/components/schemas/Person"}
"##;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/components/schemas/Pet/properties/owner (line 9, column 9): unresolved $ref `#/components/schemas/Person`: no schema `Person` in #/components/schemas\n"
    );
}

#[test]
fn ref_to_another_file() {
    let text = r##"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: "common.yaml#/components/schemas/Person"}
"##;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/components/schemas/Pet/properties/owner (line 9, column 9): unsupported $ref `common.yaml#/components/schemas/Person`: only references within this document (`#/...`) are supported; bundle the document into one file first\n"
    );
}

#[test]
fn duplicate_operation_id() {
    let text = r#"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /a:
    get:
      operationId: fetch
      responses: {"204": {description: Done.}}
  /b:
    get:
      operationId: fetch
      responses: {"204": {description: Done.}}
"#;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/paths/~1b/get/operationId (line 10, column 7): duplicate operationId `fetch` (also at #/paths/~1a/get)\n"
    );
}

#[test]
fn dangling_pointer_into_a_schema() {
    let text = r##"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: "#/paths/~1pets/get/parameters/7"
      responses: {"204": {description: Done.}}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: "#/components/schemas/Pet/properties/nobody"}
"##;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/components/schemas/Pet/properties/owner (line 16, column 9): unresolved $ref `#/components/schemas/Pet/properties/nobody`: the document has nothing at that place\n  \
         warning: #/paths/~1pets/get/parameters/0 (line 8, column 9): unresolved $ref `#/paths/~1pets/get/parameters/7`: the document has nothing at that place; operation skipped\n"
    );
}

#[test]
fn ref_to_a_place_of_the_wrong_kind() {
    let text = r##"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: "#/info"
      responses: {"204": {description: Done.}}
"##;
    // A dangling operation part costs only its operation.
    let (w, code) = warnings("bad.yaml", text);
    assert_eq!(
        w,
        "warning: #/paths/~1pets/get/parameters/0 (line 8, column 9): $ref `#/info` does not point to a parameter; operation skipped\n"
    );
    assert!(!code.contains("fn list_pets"), "{code}");
}

/// Refs into schemas and into other operations resolve; a type met both ways is one type.
#[test]
fn refs_to_any_place_in_the_document() {
    let text = r##"openapi: 3.0.3
info: {title: Refs, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: "owner~name", in: query, schema: {$ref: "#/components/schemas/Pet/properties/owner/properties/name"}}
      responses:
        "200":
          description: The owner.
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet/properties/owner"}}}
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - $ref: "#/paths/~1pets/get/parameters/0"
        - {name: id, in: path, required: true, schema: {$ref: "#/paths/~1pets/get/parameters/0/schema"}}
      responses: {"204": {description: Done.}}
    put:
      operationId: putPet
      parameters:
        - $ref: "#/paths/~1pets~1%7Bid%7D/get/parameters/1"
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {label: {type: string}}}}}
      responses:
        "200": {$ref: "#/paths/~1pets/get/responses/200"}
  /pets/{id}/copy:
    post:
      operationId: copyPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody: {$ref: "#/paths/~1pets~1{id}/put/requestBody"}
      responses: {"204": {description: Done.}}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner:
          type: object
          properties:
            name: {type: string}
"##;
    let (warned, code) = warnings("refs.yaml", text);
    assert_eq!(warned, "");
    assert_eq!(code.matches("pub struct PetOwner {").count(), 1, "{code}");
    assert!(code.contains("Result<types::PetOwner, rt::Error>"), "{code}");
    assert_eq!(code.matches(r#"request.query("owner~name", &self.owner_name)?;"#).count(), 2, "{code}");
    // A response, a (percent-encoded) parameter and a request body given by refs into another
    // operation. (A request body's inline schema is typed per operation, as for a
    // #/components/requestBodies reference.)
    assert_eq!(
        code.matches("internal::send_body::<internal::Json<types::PetOwner>, _>").count(),
        2,
        "{code}"
    );
    assert_eq!(code.matches(r#"internal::path_param("id", &self.id)?"#).count(), 3, "{code}");
    assert!(code.contains("pub struct CopyPetBody {"), "{code}");
    assert!(code.contains("pub fn copy_pet(&self, id: impl Into<String>) -> builders::CopyPet"), "{code}");
}

/// A vendor extension that can't be used is skipped with a warning, not a failed document.
#[test]
fn unusable_resource_aliases_are_skipped() {
    let text = r#"openapi: 3.0.3
info: {title: Aliases, version: "1"}
x-sdk-resource-aliases:
  - {alias: old, target: nowhere}
  - {alias: 3}
paths:
  /a:
    get:
      operationId: getA
      responses: {"204": {description: Done.}}
"#;
    let (warned, _) = warnings("aliases.yaml", text);
    assert_eq!(
        warned,
        "warning: #/x-sdk-resource-aliases/0 (line 4, column 3): alias target `nowhere` is not a resource of any operation; alias skipped\n\
         warning: #/x-sdk-resource-aliases/1 (line 5, column 3): an alias needs string fields `alias` and `target`; alias skipped\n"
    );
}

/// A schema that refers into itself through a `$ref` is cut off with a warning, not a crash.
#[test]
fn a_ref_back_into_its_own_inline_schema() {
    let text = r##"openapi: 3.0.3
info: {title: Refs, version: "1"}
paths: {}
components:
  schemas:
    Loop:
      type: object
      properties:
        next: {$ref: "#/components/schemas/Loop/properties/next"}
"##;
    let (warned, _) = warnings("loop.yaml", text);
    assert_eq!(
        warned,
        "warning: #/components/schemas/Loop/properties/next (line 9, column 9): `$ref` `#/components/schemas/Loop/properties/next` refers back into the inline schema it is part of; using any JSON value\n"
    );
}

/// A construct that can't be expressed costs its operation (or, for an optional parameter,
/// only itself), with a warning that says where: never the whole document.
#[test]
fn parameters_that_cannot_be_expressed_skip_their_operation() {
    let text = r#"openapi: 3.0.3
info: {title: Skips, version: "1"}
paths:
  /pets/{pet}:
    get:
      operationId: getPet
      parameters:
        - {name: pet, in: path, required: true, schema: {type: array, items: {type: object}}}
      responses: {"204": {description: Done.}}
  /search:
    get:
      operationId: search
      parameters:
        - {name: ids, in: query, style: deepObject, schema: {type: array, items: {type: string}}}
        - {name: x-meta, in: header, schema: {type: object, properties: {a: {type: string}}}}
        - {name: data, in: query, content: {text/csv: {schema: {type: object}}}}
        - {name: term, in: query, schema: {type: string}}
      responses: {"204": {description: Done.}}
  /session:
    get:
      operationId: getSession
      parameters:
        - {name: prefs, in: cookie, required: true, schema: {type: array, items: {type: array, items: {type: string}}}}
      responses: {"204": {description: Done.}}
  /items/{item_id}:
    get:
      operationId: getItem
      responses: {"204": {description: Done.}}
  /loose/{id}:
    get:
      operationId: getLoose
      parameters:
        - {name: id, in: path, schema: {type: string}}
        - {name: other, in: path, required: true, schema: {type: string}}
      x-sdk-resource: [not, a, string]
      responses: {"204": {description: Done.}}
"#;
    let (warned, code) = warnings("skips.yaml", text);
    assert_eq!(
        warned,
        "warning: #/paths/~1items~1{item_id}/get (line 26, column 5): path `/items/{item_id}` has `{item_id}` but the operation declares no path parameter `item_id`; operation skipped\n\
         warning: #/paths/~1loose~1{id}/get (line 30, column 5): path parameter `other` does not appear in path `/loose/{id}`; parameter left out\n\
         warning: #/paths/~1loose~1{id}/get/parameters/0 (line 33, column 9): path parameter `id` must be `required: true`; it is treated as required\n\
         warning: #/paths/~1loose~1{id}/get/x-sdk-resource (line 35, column 7): must be a string like `beta.directories`; ignored (the first tag names the resource)\n\
         warning: #/paths/~1pets~1{pet}/get/parameters/0 (line 8, column 9): path parameter `pet` is neither a single value, a list of them nor an object; it can't be sent in a path; operation skipped\n\
         warning: #/paths/~1search/get/parameters/0 (line 14, column 9): query parameter `ids` is an array, but style `deepObject` is only defined for objects; parameter left out\n\
         warning: #/paths/~1search/get/parameters/2 (line 16, column 9): query parameter `data` is encoded as `text/csv`, which this generator can only send as plain text (a string schema); parameter left out\n\
         warning: #/paths/~1session/get/parameters/0 (line 23, column 9): cookie parameter `prefs` is neither a single value, a list of them nor an object; it can't be sent in a cookie; operation skipped\n"
    );
    // What could be expressed is there.
    assert!(code.contains("pub fn search(&self)"), "{code}");
    assert!(code.contains("pub fn term("), "{code}");
    // An object header follows the style table.
    assert!(code.contains(r#"request.header_object("x-meta", &self.x_meta, false)?;"#), "{code}");
    assert!(code.contains("pub fn get_loose("), "{code}");
    for gone in ["pub fn get_pet(", "pub fn get_session(", "pub fn get_item(", "pub fn ids(", "\"data\""] {
        assert!(!code.contains(gone), "{gone} should be gone:\n{code}");
    }
}

#[test]
fn swagger_2() {
    let text = "swagger: \"2.0\"\ninfo: {title: Old, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("old.yaml", text),
        "old.yaml: 1 error in the OpenAPI document\n  \
         error: #/swagger: Swagger 2.0 documents are not supported; this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x documents (convert with swagger2openapi or similar)\n"
    );
}

#[test]
fn unknown_openapi_versions() {
    let text = "openapi: 4.0.0\ninfo: {title: New, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("new.yaml", text),
        "new.yaml: 1 error in the OpenAPI document\n  \
         error: #/openapi: OpenAPI 4.0.0 is not supported; this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x documents\n"
    );
}

// Malformed 3.1: each finding names the original document's pointer, line and column, though
// the generator read a normalised copy.

#[test]
fn v31_type_array_with_a_non_name() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\ncomponents:\n  schemas:\n    A:\n      type:\n        - string\n        - 7\n";
    assert_eq!(
        report("t.yaml", text),
        "t.yaml: 1 error in the OpenAPI document\n  \
         error: #/components/schemas/A/type/1 (line 8, column 9): a `type` array holds type names (strings)\n"
    );
}

#[test]
fn v31_typed_parse_errors_point_into_the_original() {
    // `required` must be a list. serde places the error at the schema it couldn't read (which
    // normalising merged out of a null union); the keyword at fault is found below it, left
    // out, and named where it is written.
    let text = r#"{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "1"},
  "components": {"schemas": {"A": {
    "anyOf": [{"type": "object", "required": "id"}, {"type": "null"}]
  }}}
}"#;
    let (w, _) = warnings("t.json", text);
    assert_eq!(
        w,
        "warning: #/components/schemas/A/anyOf/0/required (line 5, column 34): `required: \"id\"` is not valid here (invalid type: string \"id\", expected a sequence); left out\n"
    );
}

/// What the typed model can't read costs only that part: a keyword, a callback given by
/// `$ref`, a response that points nowhere (its operation); outside `paths` and `components`
/// the document still fails.
#[test]
fn local_faults_cost_only_their_part() {
    let text = r##"openapi: 3.0.3
info: {title: Faults, version: "1"}
paths:
  /a:
    post:
      operationId: withCallback
      callbacks:
        cb: {$ref: "#/components/callbacks/Cb"}
      responses: {"204": {description: Done.}}
  /b:
    get:
      operationId: badPattern
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string, pattern: 0, maxLength: 9}
  /c:
    get:
      operationId: missingResponse
      responses:
        "200": {$ref: "#/components/responses/Missing"}
"##;
    let (w, code) = warnings("faults.yaml", text);
    assert_eq!(
        w,
        "warning: #/paths/~1a/post/callbacks/cb/$ref (line 8, column 9): `$ref: \"#/components/callbacks/Cb\"` is not valid here (invalid type: string \"#/components/callbacks/Cb\", expected struct PathItem); left out\n\
         warning: #/paths/~1b/get/responses/200/content/application~1json/schema/pattern (line 18, column 15): `pattern: 0` is not valid here (invalid type: integer `0`, expected a string); left out\n\
         warning: #/paths/~1c/get/responses/200 (line 23, column 9): unresolved $ref `#/components/responses/Missing`: no `Missing` in #/components/responses; operation skipped\n"
    );
    assert!(code.contains("pub fn with_callback(") && code.contains("pub fn bad_pattern("), "{code}");
    assert!(!code.contains("pub fn missing_response("), "{code}");
    let bad_info = "openapi: 3.0.3\ninfo: {title: [1], version: \"1\"}\npaths: {}\n";
    assert!(report("info.yaml", bad_info).contains("error: #/info"), "{}", report("info.yaml", bad_info));
}

/// A 3.0 path item given by `$ref` is followed, not skipped.
#[test]
fn path_items_by_ref_are_followed() {
    let text = r##"openapi: 3.0.3
info: {title: Refs, version: "1"}
paths:
  /a:
    $ref: "#/x-shared/item"
x-shared:
  item:
    get:
      operationId: shared
      responses: {"204": {description: Done.}}
"##;
    let (w, code) = warnings("refs.yaml", text);
    assert_eq!(w, "");
    assert!(code.contains("pub fn shared("), "{code}");
}

#[test]
fn v31_unresolved_path_item_ref() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\npaths:\n  /a:\n    $ref: '#/components/pathItems/Nope'\n";
    assert_eq!(
        report("t.yaml", text),
        "t.yaml: 1 error in the OpenAPI document\n  \
         error: #/paths/~1a/$ref (line 5, column 5): unresolved path item $ref `#/components/pathItems/Nope`\n"
    );
}

#[test]
fn v31_lowering_errors_map_back_through_moves() {
    // The dangling `$ref` sits beside a description (so it moved into `allOf`) inside a null
    // union (so it moved again); the report names where it is written.
    let text = "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b:\n          anyOf:\n            - $ref: '#/components/schemas/Gone'\n              description: gone\n            - type: 'null'\n";
    let r = report("t.yaml", text);
    assert!(
        r.contains("error: #/components/schemas/A/properties/b/anyOf/0 (line 10, column 13): unresolved $ref `#/components/schemas/Gone`"),
        "{r}"
    );
}

#[test]
fn v31_warnings_are_located_in_the_original() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: \"1\"}\nwebhooks:\n  ping:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {at: {type: string}}}\n      responses: {'200': {description: ok}}\n";
    let (w, code) = warnings("t.yaml", text);
    assert_eq!(
        w,
        "warning: #/webhooks/ping/post (line 5, column 5): a webhook is a request the API sends, not a call this client makes; skipped (its payload types are generated)\n"
    );
    assert!(code.contains("pub struct PingPayload"), "{code}");
}

#[test]
fn missing_openapi_field() {
    let text = "info: {title: Bad, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/openapi: the `openapi` version field is missing; this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x documents\n"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let text = r##"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      parameters:
        - $ref: "#/components/parameters/Missing"
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
"##;
    // The operation is skipped for its path and its dangling parameter; a dangling schema
    // reference is an error all the same (schemas are shared by operations).
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/paths/~1items~1{item_id}/get/responses/200/content/application~1json/schema (line 14, column 15): unresolved $ref `#/components/schemas/Item`: no schema `Item` in #/components/schemas\n  \
         warning: #/paths/~1items~1{item_id}/get (line 5, column 5): path `/items/{item_id}` has `{item_id}` but the operation declares no path parameter `item_id`; operation skipped\n  \
         warning: #/paths/~1items~1{item_id}/get/parameters/0 (line 8, column 9): unresolved $ref `#/components/parameters/Missing`: no `Missing` in #/components/parameters; operation skipped\n"
    );
}

// The command line.

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen")).args(args).output().expect("the CLI runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ferrospec-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        TempDir(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn minimal_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal.yaml")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn cli_bad_usage_exits_2() {
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["generate"][..],
        &["generate", "a.yaml", "b.yaml"][..],
        &["check", "a.yaml"][..],
        &["generate", "a.yaml", "--colour"][..],
        &["generate", "a.yaml", "-o"][..],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.contains("\nusage:\n"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn cli_bad_spec_exits_1_with_the_report_on_stderr() {
    let dir = TempDir::new("bad-spec");
    let spec = dir.path("bad.yaml");
    std::fs::write(&spec, "openapi: 4.0.0\ninfo: {title: New, version: \"1\"}\npaths: {}\n").unwrap();
    let out = cli(&["generate", s(&spec)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}: 1 error in the OpenAPI document\n  \
             error: #/openapi: OpenAPI 4.0.0 is not supported; this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x documents\n",
            spec.display()
        )
    );
    assert!(out.stdout.is_empty());

    let missing = dir.path("missing.yaml");
    let out = cli(&["generate", s(&missing)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "{}: 1 error in the OpenAPI document\n  error: #: cannot read the file: ",
            missing.display()
        )),
        "{err}"
    );
}

#[test]
fn cli_generate_and_check() {
    let dir = TempDir::new("generate");
    let out_file = dir.path("minimal.rs");
    let spec = minimal_spec();

    let out = cli(&["generate", s(&spec), "-o", s(&out_file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), format!("wrote {}\n", out_file.display()));
    let expected = Config::new().generate(&spec).expect("minimal.yaml generates").code;
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), expected);

    // Without -o the module goes to stdout.
    let out = cli(&["generate", s(&spec)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), expected);

    // `check` on the file just written: current.
    let out = cli(&["check", s(&spec), s(&out_file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr), format!("{} is up to date with {}\n", out_file.display(), spec.display()));

    // `check` on an edited file: stale, with a diff of what regeneration would change.
    let stale = expected.replacen("Checks the service is up.", "Checks that the service is up.", 1);
    assert_ne!(stale, expected, "the edit must change the file");
    std::fs::write(&out_file, &stale).unwrap();
    let out = cli(&["check", s(&spec), s(&out_file)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "{} is stale: it differs from what {} generates now.\n",
            out_file.display(),
            spec.display()
        )),
        "{err}"
    );
    let diff = text(&out.stdout);
    let name = out_file.display();
    assert!(diff.starts_with(&format!("--- {name} (committed)\n+++ {name} (generated)\n@@ -")), "{diff}");
    assert!(diff.contains("\n-    /// Checks that the service is up.\n"), "{diff}");
    assert!(diff.contains("\n+    /// Checks the service is up.\n"), "{diff}");
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['-', '+'])).count(),
        2 + 2,
        "only the edited lines (and the two headers) differ:\n{diff}"
    );

    // A file that doesn't exist is stale too.
    let out = cli(&["check", s(&spec), s(&dir.path("absent.rs"))]);
    assert_eq!(out.status.code(), Some(1));
}
