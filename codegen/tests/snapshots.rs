//! The generated module for every fixture in `tests/fixtures`, pinned with insta. Review changes
//! with `cargo insta review` (or `INSTA_UPDATE=always` and git diff).

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
        insta::assert_snapshot!(name.clone(), g.code);
        // Fixtures that warn do so on purpose; the warnings are pinned here, so the fixtures'
        // build (tests/compile-fixtures) can stay quiet.
        if !g.warnings.items.is_empty() {
            let warnings: Vec<String> = g.warnings.items.iter().map(|w| w.to_string()).collect();
            insta::assert_snapshot!(format!("{name}-warnings"), warnings.join("\n"));
        }
    }
}

#[test]
fn output_is_deterministic() {
    let spec = root().join("tests/fixtures/operations.yaml");
    let a = Config::new().generate(&spec).expect("generates").code;
    let b = Config::new().generate(&spec).expect("generates").code;
    assert_eq!(a, b);
}
