//! `Config::map_type` (`--map-type`): every map, and every struct's additional properties, is
//! the configured type; what isn't a plain path is refused. (A client with `IndexMap` compiles
//! and keeps the wire's order in tests/compile-fixtures/tests/serde_objects.rs.)

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/serde-objects.yaml")
}

#[test]
fn maps_are_the_configured_type() {
    let default = Config::new().generate(fixture()).unwrap().code;
    let indexed = Config::new().map_type("indexmap::IndexMap").generate(fixture()).unwrap().code;
    let count = |code: &str, what: &str| code.matches(what).count();
    let maps = count(&default, "std::collections::BTreeMap<String,");
    assert!(maps >= 2, "the fixture has maps and additional properties");
    assert_eq!(count(&indexed, "indexmap::IndexMap<String,"), maps);
    assert_eq!(count(&indexed, "BTreeMap"), 0, "{indexed}");
}

#[test]
fn a_map_type_that_is_not_a_plain_path_is_refused() {
    let err = Config::new().map_type("HashMap<String, u8>").generate(fixture()).unwrap_err().to_string();
    assert!(err.contains("the map type `HashMap<String, u8>` is not a path without generics"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["generate", fixture().to_str().unwrap(), "--map-type", "not a path"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: --map-type: the map type `not a path`"), "{stderr}");
}

#[test]
fn a_crate_with_indexmap_depends_on_it() {
    use ferrospec_codegen::krate::RuntimeDep;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("map-type-crate");
    let _ = std::fs::remove_dir_all(&dir);
    let loaded = Config::new().map_type("indexmap::IndexMap").load(fixture()).unwrap();
    loaded.write_crate(&dir, Some("indexed"), &RuntimeDep::default()).unwrap();
    let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("indexmap = { version = \"2\", features = [\"serde\"] }"), "{cargo}");
    let plain = Config::new().load(fixture()).unwrap();
    let dir = dir.join("plain");
    plain.write_crate(&dir, Some("plain"), &RuntimeDep::default()).unwrap();
    assert!(!std::fs::read_to_string(dir.join("Cargo.toml")).unwrap().contains("indexmap"));
}
