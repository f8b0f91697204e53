//! The library compiles the committed `generated/llama_cloud.rs`. This script only checks that
//! the copy was generated from the `spec/llama-cloud.yaml` beside it (by the document hash in its
//! header), so a spec edit without regeneration fails the build with the command to run. It needs
//! no build dependencies. Maintainers who want the build itself to generate the client (into
//! `$OUT_DIR`) turn on the `codegen` feature.

#[cfg(not(feature = "codegen"))]
#[path = "codegen/src/hash.rs"]
mod hash;

const SPEC: &str = "spec/llama-cloud.yaml";
const COPY: &str = "generated/llama_cloud.rs";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={COPY}");
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "codegen")]
    llama_cloud_codegen::Config::new()
        .generate_to_out_dir(SPEC, "llama_cloud.rs")
        .unwrap_or_else(|e| llama_cloud_codegen::fail_build(e));
    #[cfg(not(feature = "codegen"))]
    check_copy();
}

#[cfg(not(feature = "codegen"))]
fn check_copy() {
    let read = |path: &str| std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let spec = read(SPEC);
    if !hash::generated_from(&spec, &read(COPY)) {
        eprintln!(
            "error: {COPY} was not generated from the current {SPEC} (its header lacks {}).\n\
             Regenerate it and review the diff:\n\
             \x20   cargo run --release --manifest-path codegen/Cargo.toml -- generate {SPEC} -o {COPY}",
            hash::fnv1a64(&spec)
        );
        std::process::exit(1);
    }
}
