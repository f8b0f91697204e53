//! The library compiles the committed `generated/llama_cloud.rs`, and by default this script does
//! nothing: a user's build needs none of the generator's dependencies. The copy's currency with
//! `spec/llama-cloud.yaml` is checked by a test (`codegen/tests/snapshots.rs`) and in CI
//! (`codegen check`), not here, because the published crate must build without the generator's
//! sources. Maintainers who want the build itself to generate the client (into `$OUT_DIR`) turn
//! on the `codegen` feature.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "codegen")]
    {
        const SPEC: &str = "spec/llama-cloud.yaml";
        println!("cargo:rerun-if-changed={SPEC}");
        ferrospec_codegen::Config::new()
            .generate_to_out_dir(SPEC, "llama_cloud.rs")
            .unwrap_or_else(|e| ferrospec_codegen::fail_build(e));
    }
}
