//! The generated module for every fixture in `tests/fixtures`, pinned with insta. Review changes
//! with `cargo insta review` (or `INSTA_UPDATE=always` and git diff).
//!
//! The LlamaCloud module has one source of truth, the committed `generated/llama_cloud.rs`: it
//! is checked here and by `check` in CI, not also snapshotted, so a change is reviewed once.

use llama_cloud_codegen::Config;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn llama_cloud_spec_generates_without_warnings() {
    let g = Config::new().generate(root().join("spec/llama-cloud.yaml")).expect("the spec generates");
    assert!(g.warnings.items.is_empty(), "unexpected warnings: {:?}", g.warnings);
    // FastAPI's stock response description says nothing; the docs leave it out.
    assert!(!g.code.contains("Successful Response"));
    // Path parameters are documented where they are passed, and the spec's examples are shown.
    assert!(g.code.contains("/// - `index_id`: Identifier of the index."), "path parameter docs");
    assert!(g.code.contains("# Example response"), "response examples in the docs");
}

#[test]
fn fixtures() {
    let dir = root().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures found in {}", dir.display());
    for spec in specs {
        let name = spec.file_stem().and_then(|s| s.to_str()).expect("UTF-8 names").to_string();
        let g = Config::new().generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        // Clients for other APIs say nothing about LlamaCloud.
        assert!(!g.code.contains("LlamaCloud"), "{name} mentions LlamaCloud");
        insta::assert_snapshot!(name, g.code);
    }
}

#[test]
fn output_is_deterministic() {
    let spec = root().join("spec/llama-cloud.yaml");
    let a = Config::new().generate(&spec).expect("generates").code;
    let b = Config::new().generate(&spec).expect("generates").code;
    assert_eq!(a, b);
}

/// `generated/llama_cloud.rs` must be what the spec produces now (the CLI's `check` does the
/// same with a diff; this keeps `cargo test` honest too).
#[test]
fn committed_copy_is_current() {
    let g = Config::new().generate(root().join("spec/llama-cloud.yaml")).expect("the spec generates");
    let committed = std::fs::read_to_string(root().join("generated/llama_cloud.rs")).unwrap_or_default();
    if committed != g.code {
        panic!(
            "generated/llama_cloud.rs is stale:\n{}\nRegenerate with: cargo run --release --manifest-path codegen/Cargo.toml -- generate spec/llama-cloud.yaml -o generated/llama_cloud.rs",
            llama_cloud_codegen::diff::unified(&committed, &g.code, "generated/llama_cloud.rs")
        );
    }
}
