//! `Config::types_only`: the models alone, each with both serde directions, and no client.

use ferrospec_codegen::{krate::RuntimeDep, Config};
use std::path::{Path, PathBuf};

fn calls() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls.yaml")
}

/// The names of the `pub struct`s and `pub enum`s in a module's text.
fn type_names(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| l.trim().strip_prefix("pub struct ").or_else(|| l.trim().strip_prefix("pub enum ")))
        .map(|rest| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_models_alone_with_both_serde_directions() {
    let client = Config::new().generate(calls()).unwrap().code;
    let types = Config::new().types_only(true).load(calls()).unwrap().module();
    assert!(types.contains("pub mod types {"), "{types}");
    for client_part in ["pub struct Client", "pub mod builders", "impl Client"] {
        assert!(client.contains(client_part), "the client module has {client_part}");
        assert!(!types.contains(client_part), "types only has {client_part}");
    }
    // The client compiles the direction its calls don't use only with `serde-all`.
    assert!(client.contains(r#"#[cfg(feature = "serde-all")]"#));
    assert!(!types.contains("serde-all"), "{types}");
    // Every model of the client's is there; what it lacks is per operation (errors, statuses).
    let models = type_names(&types);
    let in_client = type_names(client.split("pub mod builders").next().unwrap());
    assert!(models.iter().all(|m| in_client.contains(m)), "{models:?} vs {in_client:?}");
    assert!(models.contains(&"Issue".to_string()) && models.contains(&"IssuesCreateBody".to_string()));
    assert!(in_client
        .iter()
        .filter(|t| !models.contains(t))
        .all(|t| t.ends_with("Error") || t.ends_with("Response")));
}

#[test]
fn a_crate_is_a_client_so_types_only_refuses_one() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("types-only-{}", std::process::id()));
    let loaded = Config::new().types_only(true).load(calls()).unwrap();
    let e = loaded.write_crate(&dir, Some("calls"), &RuntimeDep::default()).unwrap_err();
    assert!(e.to_string().contains("types only applies to the module"), "{e}");
    assert!(!dir.exists());
}
