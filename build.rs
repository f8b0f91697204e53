//! Generates the client from the OpenAPI document at build time (into `$OUT_DIR`). A bad
//! document fails the build with the generator's diagnostics.

fn main() {
    llama_cloud_codegen::Config::new()
        .generate_to_out_dir("spec/llama-cloud.yaml", "llama_cloud.rs")
        .unwrap_or_else(|e| llama_cloud_codegen::fail_build(e));
}
