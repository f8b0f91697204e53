//! Generates a module for every `tests/fixtures/*.yaml|json` into `$OUT_DIR`, plus `all.rs`
//! that declares them, so `cargo build` compiles every fixture's generated client; and the
//! example tests of each fixture that has examples, declared by `examples_all.rs` (run by
//! tests/examples.rs), and its instance tests, declared by `instances_all.rs` (tests/instances.rs).

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    let mut all = String::new();
    let mut examples = String::new();
    let mut instances = String::new();
    for spec in specs {
        println!("cargo:rerun-if-changed={}", spec.display());
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file names").replace('-', "_");
        let file = format!("{stem}.rs");
        let mut config = ferrospec_codegen::Config::new();
        if stem == "overrides" {
            // The fixture's formats and schema map to the types in src/custom.rs.
            config
                .format_type("uuid", "crate::custom::Uuid")
                .format_type("decimal", "crate::custom::Decimal")
                .schema_type("Money", "crate::custom::Money");
        }
        if stem == "calls" {
            // The user's attributes on a generated type and field (tests/calls.rs uses them).
            config
                .type_attribute("Issue", "#[derive(Eq, Hash, PartialOrd, Ord)]")
                .field_attribute("Issue.title", "#[doc(alias = \"heading\")]");
        }
        // Not generate_to_out_dir: it prints each warning as a Cargo warning, and the fixtures
        // that warn do so on purpose (codegen/tests/snapshots.rs pins those warnings).
        // Loaded once for the module and its example tests.
        let loaded = config.load(&spec).unwrap_or_else(|e| ferrospec_codegen::fail_build(e));
        ferrospec_codegen::write_if_changed(&Path::new(&out).join(&file), &loaded.module())
            .expect("OUT_DIR is writable");
        writeln!(all, "pub mod {stem}_api {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file}\")); }}").unwrap();
        let parent = format!("compile_fixtures::{stem}_api");
        for (tests, kind, list) in [
            (loaded.example_tests(&parent).map(|(t, _)| t), "examples", &mut examples),
            (loaded.instance_tests(&parent).map(|(t, _)| t), "instances", &mut instances),
        ] {
            if let Some(text) = tests {
                let file = format!("{stem}_{kind}.rs");
                std::fs::write(Path::new(&out).join(&file), text).expect("OUT_DIR is writable");
                writeln!(list, "mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file}\")); }}")
                    .unwrap();
            }
        }
    }
    // Fixtures again with Config's output settings: calls.yaml's models alone (types_only, which
    // src/lib.rs checks go both ways), and its client keeping undeclared properties
    // (tests/calls.rs), and its client with types and fields renamed (tests/calls.rs);
    // pagination.yaml's client with a second page shape (tests/pagination.rs);
    // serde-objects.yaml's client with IndexMap for maps (tests/serde_objects.rs);
    // wire-names.yaml's models deriving schemars' JsonSchema under a `cfg`
    // (tests/json_schema.rs).
    let modules = [
        "calls_types",
        "calls_open",
        "calls_renamed",
        "pagination_shaped",
        "serde_objects_indexed",
        "wire_names_schema",
    ];
    for module in modules {
        let mut config = ferrospec_codegen::Config::new();
        let spec = match module {
            "calls_types" => {
                config.types_only(true);
                "calls.yaml"
            }
            "calls_open" => {
                config.keep_undeclared(true);
                "calls.yaml"
            }
            "calls_renamed" => {
                config
                    .rename_type("Issue", "Ticket")
                    .rename_type("IssuesCreateBodyTitle", "Title")
                    .rename_field("Ticket.title", "heading")
                    .rename_field("IssuesCreateBody.milestone", "milestone_number");
                "calls.yaml"
            }
            "pagination_shaped" => {
                // Page fields renamed too: the pagination follows them.
                config
                    .pagination("page_token", "results", "cursor")
                    .rename_field("SearchResults.results", "matches")
                    .rename_field("WidgetPage.next_page_token", "next");
                "pagination.yaml"
            }
            "serde_objects_indexed" => {
                config.map_type("indexmap::IndexMap");
                "serde-objects.yaml"
            }
            _ => {
                config
                    .types_only(true)
                    .type_attribute("*", "#[cfg_attr(all(), derive(schemars::JsonSchema))]");
                "wire-names.yaml"
            }
        };
        let code = config.load(dir.join(spec)).unwrap_or_else(|e| ferrospec_codegen::fail_build(e)).module();
        ferrospec_codegen::write_if_changed(&Path::new(&out).join(format!("{module}.rs")), &code)
            .expect("OUT_DIR is writable");
        writeln!(all, "pub mod {module}_api {{ include!(concat!(env!(\"OUT_DIR\"), \"/{module}.rs\")); }}")
            .unwrap();
    }
    std::fs::write(Path::new(&out).join("all.rs"), all).expect("OUT_DIR is writable");
    std::fs::write(Path::new(&out).join("examples_all.rs"), examples).expect("OUT_DIR is writable");
    std::fs::write(Path::new(&out).join("instances_all.rs"), instances).expect("OUT_DIR is writable");
}
