//! `diff OLD NEW`: changes to the generated Rust API, each marked breaking or compatible.

use ferrospec_codegen::apidiff::{compare, Report};
use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("llama-cloud-apidiff-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, value: &serde_yaml::Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_yaml::to_string(value).unwrap()).unwrap();
    p
}

fn report(old: &Path, new: &Path) -> Report {
    let c = Config::new();
    compare(&c.lower(old).unwrap().0, &c.lower(new).unwrap().0)
}

fn find<'r>(r: &'r Report, item: &str, detail: &str) -> &'r ferrospec_codegen::apidiff::Change {
    r.changes
        .iter()
        .find(|c| c.item == item && c.detail.contains(detail))
        .unwrap_or_else(|| panic!("no change `{item}` / `{detail}` in:\n{}", r.markdown()))
}

fn llama_cloud_spec() -> serde_yaml::Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/llama-cloud.yaml"))
            .unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The LlamaCloud changes of ../shared/api-surface.md: `output_directory_id` added to Index,
/// `system_ephemeral` added to the directory types, `product_type` widened to a plain string.
#[test]
fn llama_cloud_changes_are_classified() {
    let dir = temp_dir("llama");
    let current = llama_cloud_spec();
    let mut old = current.clone();
    let schemas = &mut old["components"]["schemas"];
    schemas["Index"]["properties"].as_mapping_mut().unwrap().remove("output_directory_id");
    let types = schemas["DirectoryType"]["enum"].as_sequence_mut().unwrap();
    types.retain(|v| v.as_str() != Some("system_ephemeral"));
    let mut new = current.clone();
    let product_type = new["components"]["schemas"]["IndexProductType"].as_mapping_mut().unwrap();
    product_type.remove("enum");

    let r = report(&write(&dir, "old.yaml", &old), &write(&dir, "current.yaml", &current));
    let c = find(&r, "types::Index::output_directory_id", "field added to a response type");
    assert!(!c.breaking);
    let c = find(&r, "types::DirectoryType", "enum value `system_ephemeral` added");
    assert!(!c.breaking);
    assert_eq!(r.breaking(), 0, "{}", r.markdown());

    let r = report(&write(&dir, "current.yaml", &current), &write(&dir, "new.yaml", &new));
    let c = find(&r, "types::IndexProductType", "kind changed: string enum → alias of `String`");
    assert!(c.breaking, "an enum type that becomes a String breaks code that matches on it");
    assert_eq!(r.changes.len(), 1, "{}", r.markdown());
}

const BASE: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ItemCreate"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
    get:
      operationId: listItems
      parameters:
        - {name: color, in: query, schema: {$ref: "#/components/schemas/Color"}}
      responses:
        "200": {description: ok}
components:
  schemas:
    Color: {type: string, enum: [red, green]}
    ItemCreate:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Item:
      type: object
      required: [id]
      properties:
        id: {type: string}
"##;

fn edit(f: impl FnOnce(&mut serde_yaml::Value)) -> serde_yaml::Value {
    let mut v: serde_yaml::Value = serde_yaml::from_str(BASE).unwrap();
    f(&mut v);
    v
}

fn yaml(s: &str) -> serde_yaml::Value {
    serde_yaml::from_str(s).unwrap()
}

#[test]
fn request_and_response_fields_follow_semver() {
    let dir = temp_dir("fields");
    let base = yaml(BASE);
    let new = edit(|v| {
        let create = &mut v["components"]["schemas"]["ItemCreate"];
        create["properties"]["sku"] = yaml("{type: string}");
        create["properties"]["note"] = yaml("{type: string}");
        create["required"].as_sequence_mut().unwrap().push("sku".into());
        v["components"]["schemas"]["Item"]["properties"]["price"] = yaml("{type: number}");
    });
    let r = report(&write(&dir, "a.yaml", &base), &write(&dir, "b.yaml", &new));
    assert!(find(&r, "types::ItemCreate::sku", "required field added to a request type").breaking);
    assert!(!find(&r, "types::ItemCreate::note", "optional field added to a request type").breaking);
    assert!(!find(&r, "types::Item::price", "field added to a response type").breaking);
    // The flattened body: a new required field is a new argument of `create_item()`.
    assert_eq!(r.breaking(), 1, "{}", r.markdown());
}

#[test]
fn operations_parameters_and_enum_values() {
    let dir = temp_dir("ops");
    let base = yaml(BASE);
    let new = edit(|v| {
        let paths = v["paths"].as_mapping_mut().unwrap();
        paths.insert(
            "/health".into(),
            yaml("{get: {operationId: health, responses: {'204': {description: ok}}}}"),
        );
        let list = &mut v["paths"]["/items"]["get"];
        list["parameters"]
            .as_sequence_mut()
            .unwrap()
            .push(yaml("{name: shop, in: query, required: true, schema: {type: string}}"));
        let colors = v["components"]["schemas"]["Color"]["enum"].as_sequence_mut().unwrap();
        colors.retain(|c| c.as_str() != Some("green"));
        colors.push("blue".into());
        v["paths"]["/items"].as_mapping_mut().unwrap().remove("post");
    });
    let r = report(&write(&dir, "a.yaml", &base), &write(&dir, "b.yaml", &new));
    assert!(!find(&r, "health()", "operation `health` added").breaking);
    assert!(find(&r, "create_item()", "operation `createItem` removed").breaking);
    assert!(find(&r, "list_items() shop", "required parameter added").breaking);
    assert!(find(&r, "types::Color", "enum value `green` removed").breaking);
    assert!(!find(&r, "types::Color", "enum value `blue` added").breaking);
    let md = r.markdown();
    assert!(md.starts_with("# API changes: Shop 1 → Shop 1\n"), "{md}");
    assert!(md.contains("| **breaking** | `create_item()` | operation `createItem` removed |"), "{md}");
}

#[test]
fn the_command_prints_markdown_or_json_and_fails_on_breaking_when_asked() {
    let dir = temp_dir("cli");
    let base = write(&dir, "a.yaml", &yaml(BASE));
    let same = write(&dir, "b.yaml", &yaml(BASE));
    let broken = write(
        &dir,
        "c.yaml",
        &edit(|v| {
            v["components"]["schemas"]["Item"]["properties"]["id"] = yaml("{type: integer}");
        }),
    );
    let bin = env!("CARGO_BIN_EXE_ferrospec-codegen");
    let run = |args: &[&Path], extra: &[&str]| {
        let mut c = Command::new(bin);
        c.arg("diff").args(args).args(extra);
        c.output().unwrap()
    };
    let out = run(&[&base, &same], &["--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 breaking, 0 compatible."));

    let out = run(&[&base, &broken], &["--json"]);
    assert_eq!(out.status.code(), Some(0), "without --fail-on-breaking a report is a success");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["breaking"], 1);
    assert_eq!(v["changes"][0]["item"], "types::Item::id");
    assert_eq!(v["changes"][0]["change"], "field type changed: `String` → `i64`");

    let out = run(&[&base, &broken], &["--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 breaking change(s)"));

    let out = run(&[&base], &[]);
    assert_eq!(out.status.code(), Some(2), "one spec is a usage error");
}

/// Models are `#[non_exhaustive]` and built with `new(required fields)`, so the diff's verdict
/// on a new field follows what it does to user code: optional → compatible, required →
/// breaking (in requests and responses alike, as `new` takes one more argument).
#[test]
fn new_fields_are_classified_as_the_models_expose_them() {
    let dir = temp_dir("fields");
    let old = llama_cloud_spec();
    let mut new = old.clone();
    let schemas = &mut new["components"]["schemas"];
    let index = schemas["Index"].as_mapping_mut().unwrap();
    index["properties"]["labels"] = serde_yaml::from_str("{type: array, items: {type: string}}").unwrap();
    index["properties"]["owner_id"] = serde_yaml::from_str("{type: string}").unwrap();
    index["required"].as_sequence_mut().unwrap().push("owner_id".into());
    let r = report(&write(&dir, "old.yaml", &old), &write(&dir, "new.yaml", &new));
    assert!(!find(&r, "types::Index::labels", "optional field added to a response type").breaking);
    assert!(find(&r, "types::Index::owner_id", "required field added to a response type").breaking);
}

/// Each operation lists the changes that reach it, its own and those of the types it sends or
/// receives, with its semver class; operations nothing reaches are left out.
#[test]
fn changes_are_reported_per_operation() {
    let dir = temp_dir("per-op");
    let current = llama_cloud_spec();
    let mut old = current.clone();
    old["components"]["schemas"]["Index"]["properties"]
        .as_mapping_mut()
        .unwrap()
        .remove("output_directory_id");
    let r = report(&write(&dir, "old.yaml", &old), &write(&dir, "current.yaml", &current));
    let field = r.changes.iter().position(|c| c.item == "types::Index::output_directory_id").unwrap();
    let get = r
        .operations
        .iter()
        .find(|o| o.operation == "indexes().get()")
        .unwrap_or_else(|| panic!("{}", r.markdown()));
    assert!(get.changes.contains(&field) && !get.breaking, "{get:?}");
    // Directory calls don't send or receive an Index.
    assert!(r.operations.iter().all(|o| !o.operation.contains("directories()")), "{}", r.markdown());
    assert!(r.markdown().contains("## By operation"));
    let json: serde_json::Value = serde_json::from_str(&r.json()).unwrap();
    let ops = json["operations"].as_array().unwrap();
    assert!(ops.iter().any(|o| o["operation"] == "indexes().get()" && o["breaking"] == false));
}

/// LlamaCloud's spec rewritten the 3.1 way: every `nullable: true` becomes a `type` array (or,
/// every other time, FastAPI's `anyOf: [T, {type: "null"}]`), and 3.0's null members
/// `{type: "null"}`.
fn as_v31(mut doc: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::{Mapping, Value};
    fn walk(v: &mut Value, n: &mut usize) {
        match v {
            Value::Mapping(m) => {
                for child in m.values_mut() {
                    walk(child, n);
                }
                let nullable = m.get("nullable").and_then(Value::as_bool) == Some(true);
                // 3.0's null member (`{nullable: true, enum: [null]}`) is `{type: "null"}`.
                let null_only = m
                    .get("enum")
                    .and_then(Value::as_sequence)
                    .is_some_and(|e| e.len() == 1 && e[0].is_null());
                if nullable && null_only {
                    *v = serde_yaml::from_str("{type: 'null'}").unwrap();
                    *n += 1;
                    return;
                }
                let Some(Value::String(t)) = m.get("type").cloned() else { return };
                if !nullable {
                    return;
                }
                m.remove("nullable");
                *n += 1;
                if n.is_multiple_of(2) {
                    m.insert("type".into(), Value::Sequence(vec![t.into(), "null".into()]));
                    return;
                }
                let keep =
                    ["description", "title", "default", "example", "readOnly", "writeOnly", "deprecated"];
                let mut member = Mapping::new();
                for (k, v) in std::mem::take(m) {
                    if keep.contains(&k.as_str().unwrap_or_default()) {
                        m.insert(k, v);
                    } else {
                        member.insert(k, v);
                    }
                }
                let null: Value = serde_yaml::from_str("{type: 'null'}").unwrap();
                m.insert("anyOf".into(), Value::Sequence(vec![Value::Mapping(member), null]));
            }
            Value::Sequence(items) => items.iter_mut().for_each(|i| walk(i, n)),
            _ => {}
        }
    }
    doc["openapi"] = "3.1.0".into();
    let mut n = 0;
    walk(&mut doc, &mut n);
    assert!(n > 40, "only {n} nullable schemas rewritten");
    doc
}

#[test]
fn the_same_api_in_3_0_and_3_1_has_no_changes() {
    let dir = temp_dir("v31-same");
    let v30 = llama_cloud_spec();
    let v31 = as_v31(v30.clone());
    let r = report(&write(&dir, "v30.yaml", &v30), &write(&dir, "v31.yaml", &v31));
    assert!(r.changes.is_empty(), "{}", r.markdown());
    // And the command line says so, whichever way round.
    let out = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["diff", dir.join("v31.yaml").to_str().unwrap(), dir.join("v30.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("The generated API is the same."));
}

#[test]
fn two_versions_of_a_3_1_document() {
    let dir = temp_dir("v31-versions");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/v31-nullable.yaml");
    let old: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut new = old.clone();
    let schemas = &mut new["components"]["schemas"];
    // A nullable field in a response type (3.1's way), a required one in a request type.
    schemas["Item"]["properties"]["color"] = yaml("{type: [string, 'null']}");
    schemas["ItemUpdate"]["properties"]["revision"] = yaml("{type: integer}");
    schemas["ItemUpdate"]["required"] = yaml("[revision]");
    let r = report(&write(&dir, "old.yaml", &old), &write(&dir, "new.yaml", &new));
    assert!(!find(&r, "types::Item::color", "field added to a response type").breaking);
    assert!(find(&r, "types::ItemUpdate::revision", "required field added to a request type").breaking);
    let per_op: Vec<&str> = r.operations.iter().map(|o| o.id.as_str()).collect();
    assert!(per_op.contains(&"updateItem") && per_op.contains(&"getItem"), "{}", r.markdown());
    assert!(r.operations.iter().find(|o| o.id == "updateItem").unwrap().breaking);
}

/// Error bodies and streams are part of a call's API: a documented error gained or lost, or its
/// type changed, and `send_stream()` added, removed or retyped.
#[test]
fn error_bodies_and_streams_are_compared() {
    let doc = |errors: &str, stream: &str| {
        yaml(&format!(
            r#"
openapi: 3.0.3
info: {{title: Errs, version: '1'}}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: The thing.
          content:
            application/json: {{schema: {{$ref: '#/components/schemas/Thing'}}}}
{errors}
  /events:
    get:
      operationId: followEvents
      responses:
        '200':
          description: Events.
          content:
{stream}
components:
  schemas:
    Thing: {{type: object, properties: {{id: {{type: string}}}}}}
    Problem: {{type: object, properties: {{title: {{type: string}}}}}}
    Gone: {{type: object, properties: {{when: {{type: string}}}}}}
"#
        ))
    };
    let err = |status: &str, schema: &str| {
        format!("        '{status}':\n          description: No.\n          content:\n            application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}\n")
    };
    let sse = "            text/event-stream: {schema: {$ref: '#/components/schemas/Thing'}}";
    let json = "            application/json: {schema: {$ref: '#/components/schemas/Thing'}}";
    let lines = "            application/x-ndjson: {schema: {$ref: '#/components/schemas/Thing'}}";
    let dir = temp_dir("errors-streams");
    let diff = |a: serde_yaml::Value, b: serde_yaml::Value| {
        report(&write(&dir, "a.yaml", &a), &write(&dir, "b.yaml", &b))
    };

    // Gaining the typed errors changes the call's error type; a new status is a new variant.
    let none = doc("", json);
    let one = doc(&err("404", "Problem"), json);
    let two = doc(&[err("404", "Problem"), err("410", "Gone")].concat(), json);
    assert!(find(&diff(none.clone(), one.clone()), "get_thing()", "typed error bodies added").breaking);
    assert!(find(&diff(one.clone(), none), "get_thing()", "typed error bodies removed").breaking);
    let r = diff(one.clone(), two.clone());
    assert!(!find(&r, "get_thing() error 410", "error body `Gone` documented").breaking);
    assert_eq!(r.breaking(), 0, "{}", r.markdown());
    let r = diff(two, doc(&err("404", "Gone"), json));
    assert!(find(&r, "get_thing() error 404", "error body type changed: `Problem` → `Gone`").breaking);
    assert!(find(&r, "get_thing() error 410", "no longer documented").breaking);

    // Streams.
    let r = diff(one.clone(), doc(&err("404", "Problem"), sse));
    assert!(
        !find(&r, "follow_events()", "`send_stream()` added, yielding `Event<Thing>`").breaking,
        "{}",
        r.markdown()
    );
    let r = diff(doc(&err("404", "Problem"), sse), doc(&err("404", "Problem"), lines));
    assert!(find(&r, "follow_events()", "stream items changed").breaking, "{}", r.markdown());
    let r = diff(doc(&err("404", "Problem"), lines), one);
    assert!(
        find(&r, "follow_events()", "`send_stream()` (yielding `Thing`) removed").breaking,
        "{}",
        r.markdown()
    );
}
