//! `slice`: the chosen operations and exactly what they reach, self-contained, in the
//! upstream's version and key order; slicing a slice changes nothing.

use ferrospec_codegen::slice::{slice_file, slice_text, Selection};
use ferrospec_codegen::Format;
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn upstream() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slice/upstream.yaml")
}

fn ops(ids: &[&str]) -> Selection {
    Selection { operations: ids.iter().map(|s| s.to_string()).collect(), tags: vec![] }
}

fn keys(v: &Value, path: &[&str]) -> Vec<String> {
    let mut at = v;
    for p in path {
        at = &at[*p];
    }
    at.as_mapping().into_iter().flatten().filter_map(|(k, _)| k.as_str().map(str::to_string)).collect()
}

/// Every local `$ref` in `v` resolves inside `doc`.
fn assert_self_contained(doc: &Value, v: &Value) {
    match v {
        Value::Mapping(m) => {
            for (k, x) in m {
                if k.as_str() == Some("$ref") {
                    let r = x.as_str().unwrap();
                    let mut at = doc;
                    for token in r.trim_start_matches("#/").split('/') {
                        let token = token.replace("~1", "/").replace("~0", "~");
                        at = at.get(token.as_str()).unwrap_or_else(|| panic!("dangling `{r}` in the slice"));
                    }
                } else {
                    assert_self_contained(doc, x);
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|x| assert_self_contained(doc, x)),
        _ => {}
    }
}

#[test]
fn keeps_the_operations_and_exactly_what_they_reach() {
    let text = slice_file(&upstream(), &ops(&["getPet"]), Format::Yaml).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(doc["openapi"].as_str(), Some("3.0.3"));
    // The path keeps its shared parameters, and only the chosen method.
    assert_eq!(keys(&doc, &["paths", "/pets/{id}"]), ["parameters", "get"]);
    assert_eq!(keys(&doc, &["paths"]), ["/pets/{id}"]);
    // Reached through the response, a deep ref into Owner, the discriminator mapping (Dog),
    // Dog's allOf, a shared response and a path-level parameter; Order is not.
    assert_eq!(keys(&doc, &["components", "schemas"]), ["Pet", "Dog", "Category", "Owner", "Error"]);
    assert_eq!(keys(&doc, &["components", "parameters"]), ["PetId"]);
    assert_eq!(keys(&doc, &["components", "responses"]), ["NotFound"]);
    // The document's requirement and the operation's own; not the unused scheme.
    assert_eq!(keys(&doc, &["components", "securitySchemes"]), ["bearer", "api_key"]);
    let tags: Vec<&str> =
        doc["tags"].as_sequence().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(tags, ["pets"]);
    assert_self_contained(&doc, &doc);
    // Top-level keys in the upstream's order.
    assert_eq!(keys(&doc, &[]), ["openapi", "info", "security", "tags", "paths", "components"]);
}

#[test]
fn slicing_a_slice_changes_nothing() {
    for selection in
        [ops(&["getPet", "placeOrder"]), Selection { operations: vec![], tags: vec!["pets".into()] }]
    {
        let once = slice_file(&upstream(), &selection, Format::Yaml).unwrap();
        let twice = slice_text("once.yaml", Format::Yaml, &once, &selection, Format::Yaml).unwrap();
        assert_eq!(once, twice);
    }
}

#[test]
fn a_tag_selects_all_its_operations() {
    let sel = Selection { operations: vec![], tags: vec!["pets".into()] };
    let doc: Value = serde_yaml::from_str(&slice_file(&upstream(), &sel, Format::Yaml).unwrap()).unwrap();
    assert_eq!(keys(&doc, &["paths", "/pets/{id}"]), ["parameters", "get", "delete"]);
}

#[test]
fn json_output_keeps_the_document_order() {
    let text = slice_file(&upstream(), &ops(&["placeOrder", "getPet"]), Format::Json).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["paths"]["/store/orders"]["post"]["operationId"], "placeOrder");
    // Upstream order, not alphabetical and not the order asked for.
    let (pets, store) = (text.find("\"/pets/{id}\"").unwrap(), text.find("\"/store/orders\"").unwrap());
    assert!(pets < store);
    assert!(text.find("\"openapi\"").unwrap() < text.find("\"info\"").unwrap());
}

#[test]
fn unknown_operations_and_tags_are_errors_with_a_location() {
    let sel = Selection { operations: vec!["getPets".into()], tags: vec!["nope".into()] };
    let err = slice_file(&upstream(), &sel, Format::Yaml).unwrap_err().to_string();
    assert!(err.contains("no operation has operationId `getPets`; similar: `getPet`"), "{err}");
    assert!(err.contains("no operation has the tag `nope`"), "{err}");
    assert!(err.contains("#/paths (line 11, column 1)"), "{err}");
}

#[test]
fn a_dangling_ref_in_what_is_kept_is_an_error() {
    let text = std::fs::read_to_string(upstream()).unwrap().replace("schemas/Error\"", "schemas/Eror\"");
    let err = slice_text("up.yaml", Format::Yaml, &text, &ops(&["getPet"]), Format::Yaml).unwrap_err();
    assert!(err.to_string().contains("unresolved $ref `#/components/schemas/Eror`"), "{err}");
}

#[test]
fn llamaclouds_31_document_slices_self_contained_and_stably() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/v3.1/llamacloud-platform.json");
    if !path.exists() {
        eprintln!("skipped: {} is absent (it ships with the project's CI)", path.display());
        return;
    }
    let sel = ops(&[
        "search_pipelines_api_v1_pipelines_get",
        "get_pipeline_api_v1_pipelines__pipeline_id__get",
        "sync_pipeline_api_v1_pipelines__pipeline_id__sync_post",
    ]);
    let once = slice_file(&path, &sel, Format::Yaml).unwrap();
    let doc: Value = serde_yaml::from_str(&once).unwrap();
    assert_eq!(doc["openapi"].as_str(), Some("3.1.0"));
    assert_eq!(keys(&doc, &["paths"]).len(), 3);
    assert!(keys(&doc, &["components", "schemas"]).contains(&"Pipeline".to_string()));
    assert_self_contained(&doc, &doc);
    let twice = slice_text("once.yaml", Format::Yaml, &once, &sel, Format::Yaml).unwrap();
    assert_eq!(once, twice);
}

#[test]
fn the_command_line_writes_the_slice() {
    let out = std::env::temp_dir().join(format!("slice-{}.json", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["slice", upstream().to_str().unwrap(), "--operation", "getPet", "placeOrder", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["paths"].as_object().unwrap().len(), 2);
    let _ = std::fs::remove_file(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["slice", upstream().to_str().unwrap(), "--operation", "nope"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no operation has operationId `nope`"));
    let run = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["slice", upstream().to_str().unwrap(), "--operation"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}

/// OpenAPI 3.2's `query` method and `additionalOperations` are operations like the others.
#[test]
fn slicing_a_32_document_keeps_its_new_methods() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/v32-features.yaml");
    let text = slice_file(&spec, &ops(&["searchUsers", "copyUsers"]), Format::Yaml).unwrap();
    let v: Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(keys(&v, &["paths"]), ["/users", "/search"]);
    assert_eq!(keys(&v, &["paths", "/users"]), ["additionalOperations"]);
    assert_eq!(keys(&v, &["paths", "/users", "additionalOperations"]), ["COPY"]);
    assert_eq!(keys(&v, &["paths", "/search"]), ["query"]);
    assert_eq!(v["openapi"].as_str(), Some("3.2.0"));
}
