//! Generates the client from the OpenAPI document at build time (into `$OUT_DIR`). A bad
//! document fails the build with the generator's diagnostics. Without the `codegen` feature the
//! crate uses the committed `generated/llama_cloud.rs` and this does nothing.

fn main() {
    #[cfg(feature = "codegen")]
    llama_cloud_codegen::Config::new()
        .generate_to_out_dir("spec/llama-cloud.yaml", "llama_cloud.rs")
        .unwrap_or_else(|e| llama_cloud_codegen::fail_build(e));
}
