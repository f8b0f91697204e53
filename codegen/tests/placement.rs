//! `Config::resource` and `Config::method_name` (`--resource`, `--method-name`): an operation
//! is placed in the SDK as `x-sdk-resource` and `x-sdk-method` in the document would place it,
//! without editing the document.

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};

fn calls() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls.yaml")
}

#[test]
fn an_operation_goes_where_the_config_puts_it() {
    let loaded = Config::new()
        .resource("issues/create", "repos.issues")
        .method_name("issues/create", "open")
        .method_name("meta/root", "about")
        .load(calls())
        .unwrap();
    let op = |id: &str| loaded.api().operations.iter().find(|o| o.id == id).unwrap();
    assert_eq!(
        (op("issues/create").resource.join("."), op("issues/create").method_name.as_str()),
        ("repos.issues".to_string(), "open")
    );
    assert!(op("meta/root").method_given && op("meta/root").method_name == "about");
    // Unplaced operations keep what the document says.
    assert_eq!(op("issues/list-for-repo").resource, ["issues"]);
    let code = loaded.module();
    assert!(
        code.contains("pub fn repos(&self)") && code.contains("pub fn open("),
        "the accessor and method exist"
    );
    assert!(loaded.warnings().items.is_empty(), "{:?}", loaded.warnings());
}

#[test]
fn a_placement_that_names_no_operation_is_a_warning() {
    let loaded = Config::new().resource("nothing", "a.b").load(calls()).unwrap();
    let warnings: Vec<&str> = loaded.warnings().warnings().map(|d| d.message.as_str()).collect();
    assert_eq!(warnings, ["the placement of `nothing` names no generated operation"]);
}
