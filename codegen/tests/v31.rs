//! Real OpenAPI 3.1 documents from ../shared/corpus (skipped with a message when it is absent):
//! LlamaCloud's own generates without a warning, its slice generates the same types for the
//! operations it keeps, and the webhook-only example keeps its payload type.

use ferrospec_codegen::slice::{slice_file, Selection};
use ferrospec_codegen::Config;
use ferrospec_codegen::Format;
use std::path::{Path, PathBuf};

fn corpus(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent (it ships with the project's CI)", path.display());
        None
    }
}

#[test]
fn llamaclouds_31_document_generates_without_warnings() {
    let Some(path) = corpus("v3.1/llamacloud-platform.json") else { return };
    let g = Config::new().generate(&path).unwrap_or_else(|e| panic!("{e}"));
    // Only the content blocks' `format: binary` (pydantic's `bytes`, which it writes as UTF-8
    // text by default) is worth a word: it is kept as the text it is.
    let other: Vec<_> =
        g.warnings.items.iter().filter(|w| !w.message.starts_with("`format: binary`")).collect();
    assert!(other.is_empty(), "{other:?}");
    // Its conventions: FastAPI's null unions are options, the `session` cookie is a parameter,
    // the `const` tags make tagged unions.
    assert!(g.code.contains("pub audio: Option<Option<String>>"), "audio block bytes");
    assert!(g.code.contains("cookie"), "session cookie");
    assert!(!g.code.contains("Variant0Variant"), "no nested wrapper types from null unions");
}

#[test]
fn a_slice_of_llamaclouds_31_document_generates_the_same_types() {
    let Some(path) = corpus("v3.1/llamacloud-platform.json") else { return };
    let ids = ["get_pipeline_api_v1_pipelines__pipeline_id__get", "upload_file_api_v1_files_post"];
    let sel = Selection { operations: ids.iter().map(|s| s.to_string()).collect(), tags: vec![] };
    let sliced = slice_file(&path, &sel, Format::Json).unwrap();
    let g = Config::new().generate_bytes("slice.json", sliced.into_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.warnings.items.is_empty(), "{:?}", g.warnings);
    let whole = Config::new().generate(&path).unwrap().code;
    for item in [
        "pub struct Pipeline {",
        "pub fn get_pipeline_api_v1_pipelines_pipeline_id_get(",
        "pub fn upload_file_api_v1_files_post(",
    ] {
        assert!(g.code.contains(item) && whole.contains(item), "{item}");
    }
}

#[test]
fn the_webhook_example_keeps_its_payload_type() {
    let Some(path) = corpus("unsupported/oai-webhook-example-3.1.json") else { return };
    let g = Config::new().generate(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.code.contains("pub struct Pet {"), "{}", g.code);
    let w: Vec<String> = g.warnings.items.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("warning: #/webhooks/newPet/post (line 9, column 7): a webhook"), "{w:?}");
}

#[test]
fn openais_31_document_slices_and_generates() {
    let Some(path) = corpus("unsupported/openai-3.1.yaml") else { return };
    // It holds an integer beyond 64 bits (`minimum: -9223372036854776000`), read leniently.
    let sel = Selection { operations: vec!["createEmbedding".into(), "listModels".into()], tags: vec![] };
    let sliced = slice_file(&path, &sel, Format::Yaml).unwrap_or_else(|e| panic!("{e}"));
    let g = Config::new().generate_bytes("slice.yaml", sliced.into_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.code.contains("pub fn create_embedding("), "createEmbedding");
    assert!(g.code.contains("pub fn list_models("), "listModels");
}
