//! Writes the command table for the spec's operations into `$OUT_DIR/commands.rs`.

fn main() {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/llama-cloud.yaml");
    println!("cargo:rerun-if-changed={}", spec.display());
    let table = ferrospec_codegen::Config::new()
        .generate_cli_table(&spec)
        .unwrap_or_else(|e| ferrospec_codegen::fail_build(e));
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set")).join("commands.rs");
    ferrospec_codegen::write_if_changed(&out, &table.code).expect("OUT_DIR is writable");
}
