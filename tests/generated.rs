//! The LlamaCloud module has one source of truth, the committed `generated/llama_cloud.rs`: it
//! is checked here (and by the generator's `check` in CI), not also snapshotted, so a change is
//! reviewed once.

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
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

/// `generated/llama_cloud.rs` must be what the spec produces now (the CLI's `check` does the
/// same with a diff; this keeps `cargo test` honest too).
#[test]
fn committed_copy_is_current() {
    let g = Config::new().generate(root().join("spec/llama-cloud.yaml")).expect("the spec generates");
    let committed = std::fs::read_to_string(root().join("generated/llama_cloud.rs")).unwrap_or_default();
    if committed != g.code {
        panic!(
            "generated/llama_cloud.rs is stale:\n{}\nRegenerate with: cargo run --release --manifest-path codegen/Cargo.toml -- generate spec/llama-cloud.yaml -o generated/llama_cloud.rs",
            ferrospec_codegen::diff::unified(&committed, &g.code, "generated/llama_cloud.rs")
        );
    }
}
