//! What the generator says about documents it cannot use: every message pinned in full, with its
//! JSON pointer and, where the loader knows it, the line and column. Also the command line's exit
//! codes.

use llama_cloud_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The full report for a document that must fail.
fn report(name: &str, text: &str) -> String {
    match Config::new().generate_bytes(name, text.as_bytes().to_vec()) {
        Ok(_) => panic!("{name} generated, but it should have failed"),
        Err(e) => e.to_string(),
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
         error: #/components/schemas/Pet/properties/owner (line 9, column 9): unsupported $ref `common.yaml#/components/schemas/Person`: schemas may only refer to #/components/schemas/... in the same document\n"
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
fn deep_object_query_parameter() {
    let text = r#"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: filter, in: query, style: deepObject, schema: {type: object}}
      responses: {"204": {description: Done.}}
"#;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/paths/~1search/get/parameters/0 (line 8, column 9): query parameter `filter` uses style `deepObject`, which this generator cannot express yet\n"
    );
}

#[test]
fn path_placeholder_without_a_parameter() {
    let text = r#"openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /items/{item_id}:
    get:
      operationId: getItem
      responses: {"204": {description: Done.}}
"#;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/paths/~1items~1{item_id}/get (line 5, column 5): path `/items/{item_id}` has `{item_id}` but the operation declares no path parameter `item_id`\n"
    );
}

#[test]
fn swagger_2() {
    let text = "swagger: \"2.0\"\ninfo: {title: Old, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("old.yaml", text),
        "old.yaml: 1 error in the OpenAPI document\n  \
         error: #/swagger: Swagger 2.0 documents are not supported; this generator supports OpenAPI 3.0.x documents (convert with swagger2openapi or similar)\n"
    );
}

#[test]
fn openapi_3_1() {
    let text = "openapi: 3.1.0\ninfo: {title: New, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("new.yaml", text),
        "new.yaml: 1 error in the OpenAPI document\n  \
         error: #/openapi: OpenAPI 3.1.0 is not supported; this generator supports OpenAPI 3.0.x documents\n"
    );
}

#[test]
fn missing_openapi_field() {
    let text = "info: {title: Bad, version: \"1\"}\npaths: {}\n";
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 1 error in the OpenAPI document\n  \
         error: #/openapi: the `openapi` version field is missing; this generator supports OpenAPI 3.0.x documents\n"
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
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
"##;
    assert_eq!(
        report("bad.yaml", text),
        "bad.yaml: 2 errors in the OpenAPI document\n  \
         error: #/paths/~1items~1{item_id}/get (line 5, column 5): path `/items/{item_id}` has `{item_id}` but the operation declares no path parameter `item_id`\n  \
         error: #/paths/~1items~1{item_id}/get/responses/200/content/application~1json/schema (line 12, column 15): unresolved $ref `#/components/schemas/Item`: no schema `Item` in #/components/schemas\n"
    );
}

// The command line.

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_llama-cloud-codegen")).args(args).output().expect("the CLI runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("llama-cloud-codegen-{name}-{}", std::process::id()));
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
    std::fs::write(&spec, "openapi: 3.1.0\ninfo: {title: New, version: \"1\"}\npaths: {}\n").unwrap();
    let out = cli(&["generate", s(&spec)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}: 1 error in the OpenAPI document\n  \
             error: #/openapi: OpenAPI 3.1.0 is not supported; this generator supports OpenAPI 3.0.x documents\n",
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
