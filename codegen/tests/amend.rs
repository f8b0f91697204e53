//! Amending and cutting the document before it is read: OpenAPI Overlay 1.0 documents
//! (`Config::overlay`, `--overlay`) and the operation/tag selection (`Config::operations`,
//! `Config::tags`, `--operation`, `--tag`), from the library and the command line.

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls.yaml")
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ferrospec-amend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const OVERLAY: &str = "\
overlay: 1.0.0
info: {title: Rename and trim, version: '1'}
actions:
  - target: \"$.paths['/repos/{owner}/{repo}/issues'].get\"
    update: {x-sdk-method: all, summary: Every issue of a repository.}
  - target: \"$.paths['/issues/lock']\"
    remove: true
  - target: \"$.paths['/nowhere']\"
    remove: true
";

#[test]
fn an_overlay_renames_documents_and_removes_before_generating() {
    let overlay = temp("rename.yaml", OVERLAY);
    let g = Config::new().overlay(&overlay).generate(fixture()).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.code.contains("pub fn all("), "the x-sdk-method the overlay added");
    assert!(g.code.contains("/// Every issue of a repository."), "the summary it added");
    // `/issues/lock` is gone, so `issues/lock` may shorten to `lock` now.
    assert!(!g.code.contains("pub struct Lock ") && g.code.contains("pub fn lock("), "{}", g.code);
    let warnings: Vec<String> = g.warnings.items.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("#/actions/2: the target `$.paths['/nowhere']` selects nothing"),
        "{warnings:?}"
    );
    // Without the overlay, nothing of it.
    let plain = Config::new().generate(fixture()).unwrap();
    assert!(!plain.code.contains("pub fn all(") && plain.code.contains("pub struct Lock "));
}

#[test]
fn a_bad_overlay_is_named_with_its_place() {
    let overlay = temp(
        "bad.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: '$['\n    remove: true\n",
    );
    let err = Config::new().overlay(&overlay).generate(fixture()).unwrap_err();
    assert_eq!(err.source_name, overlay.display().to_string());
    let text = err.to_string();
    assert!(text.contains("error: #/actions/0/target (line 4, column 5): invalid JSONPath `$[`"), "{text}");
    let not_overlay = temp("openapi.yaml", "openapi: 3.0.3\n");
    let err = Config::new().overlay(&not_overlay).generate(fixture()).unwrap_err();
    assert!(err.to_string().contains("not an Overlay document"), "{err}");
}

/// What the document says wrong after amending is named by its pointer, with no line: the
/// amended text exists only in memory.
#[test]
fn problems_in_the_amended_document_name_pointers_not_lines() {
    let overlay = temp(
        "dangling.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.components.schemas.Issue.properties\"\n    update: {owner: {$ref: '#/components/schemas/User'}}\n",
    );
    let err = Config::new().overlay(&overlay).generate(fixture()).unwrap_err();
    let d = err.diagnostics.errors().next().expect("an error");
    assert_eq!(d.pointer, "#/components/schemas/Issue/properties/owner");
    assert_eq!(d.location, None);
}

#[test]
fn a_selection_generates_only_its_operations_and_their_types() {
    let g = Config::new().tags(["meta"]).generate(fixture()).unwrap();
    assert!(g.code.contains("pub fn meta_root(") && !g.code.contains("pub fn issues("), "{}", g.code);
    assert!(!g.code.contains("pub struct Issue "), "a type no selected operation reaches");
    let g = Config::new().operations(["issues/create"]).generate(fixture()).unwrap();
    assert!(g.code.contains("pub fn create(") && g.code.contains("pub struct Issue "));
    assert!(!g.code.contains("pub fn list_for_repo(") && !g.code.contains("pub fn meta("));
    let err = Config::new().operations(["issues/crate"]).generate(fixture()).unwrap_err();
    assert!(err.to_string().contains("issues/create"), "suggests the near one: {err}");
}

#[test]
fn the_command_line_takes_overlays_and_selections() {
    let overlay = temp("cli.yaml", OVERLAY);
    let out = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args([
            "generate",
            fixture().to_str().unwrap(),
            "--overlay",
            overlay.to_str().unwrap(),
            "--tag",
            "issues",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code = String::from_utf8(out.stdout).unwrap();
    assert!(code.contains("pub fn all(") && !code.contains("pub fn meta("), "{code}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("selects nothing"));
}

#[test]
fn attributes_go_on_the_types_and_fields_named_and_bad_ones_are_refused() {
    let g = Config::new()
        .type_attribute("Issue", "#[derive(Hash)]")
        .type_attribute("*", "#[allow(clippy::large_enum_variant)]")
        .field_attribute("Issue.number", "#[doc(alias = \"id\")]")
        .type_attribute("Nothing", "#[derive(Hash)]")
        .generate(fixture())
        .unwrap();
    let issue = g.code.find("pub struct Issue {").unwrap();
    let head = &g.code[..issue];
    let head = &head[head.rfind("\n\n").unwrap()..];
    assert!(
        head.contains("#[derive(Hash)]") && head.contains("#[allow(clippy::large_enum_variant)]"),
        "{head}"
    );
    assert!(g.code.contains("#[doc(alias = \"id\")]\n        pub number: i64,"), "{}", g.code);
    let warnings: Vec<String> = g.warnings.items.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings, ["warning: #: the type attribute for `Nothing` names no generated struct or enum"]);
    let err = Config::new().type_attribute("Issue", "derive(Hash)").generate(fixture()).unwrap_err();
    assert!(err.to_string().contains("is not an outer attribute"), "{err}");
}
