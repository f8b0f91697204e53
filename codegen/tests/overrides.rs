//! Type overrides from `Config` and from the command line: which schemas they replace, what
//! the generated module says, and how a bad or unused override is reported. The generated
//! module is compiled and used against real JSON in tests/compile-fixtures/tests/overrides.rs.

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/overrides.yaml")
}

fn configured() -> Config {
    let mut c = Config::new();
    c.format_type("uuid", "crate::custom::Uuid")
        .format_type("decimal", "crate::custom::Decimal")
        .schema_type("Money", "crate::custom::Money");
    c
}

#[test]
fn overridden_formats_and_schemas_become_the_users_types() {
    let g = configured().generate(fixture()).unwrap_or_else(|e| panic!("{e}"));
    assert!(g.warnings.items.is_empty(), "{:?}", g.warnings);
    let code = &g.code;
    // No type is generated for the replaced schema; every use names the user's.
    assert!(!code.contains("pub type Money") && !code.contains("pub struct Money"), "{code}");
    for field in [
        "pub id: crate::custom::Uuid,",
        "pub total: crate::custom::Money,",
        "pub tax: Option<Option<crate::custom::Money>>,",
        "pub rate: Option<crate::custom::Decimal>,",
        "pub lines: Option<Vec<crate::custom::Money>>,",
        "Uuid(crate::custom::Uuid),",
        "pub fn get_invoice(&self, id: crate::custom::Uuid)",
    ] {
        assert!(code.contains(field), "missing `{field}`");
    }
    insta::assert_snapshot!("overrides-configured", code);
}

#[test]
fn a_schema_can_be_named_by_its_json_pointer() {
    let mut c = Config::new();
    c.schema_type("#/components/schemas/Money", "my_money::Money");
    let code = c.generate(fixture()).unwrap().code;
    assert!(code.contains("pub total: my_money::Money,"));
}

#[test]
fn an_override_that_matches_nothing_is_a_warning() {
    let mut c = Config::new();
    c.format_type("uuidd", "uuid::Uuid").schema_type("Mony", "crate::Money");
    let g = c.generate(fixture()).unwrap();
    let text: Vec<String> = g.warnings.items.iter().map(|w| w.to_string()).collect();
    assert!(text.iter().any(|w| w.contains("no schema has format `uuidd`")), "{text:?}");
    assert!(text.iter().any(|w| w.contains("#/components/schemas/Mony")), "{text:?}");
}

#[test]
fn a_type_that_is_not_rust_fails_generation_naming_it() {
    let mut c = Config::new();
    c.format_type("uuid", "uuid::Uuid<");
    let err = c.generate(fixture()).unwrap_err().to_string();
    assert!(err.contains("the type for format `uuid`: `uuid::Uuid<` is not a Rust type"), "{err}");
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen")).args(args).output().expect("the CLI runs")
}

#[test]
fn the_command_line_takes_the_same_overrides() {
    let spec = fixture();
    let spec = spec.to_str().unwrap();
    let out = cli(&[
        "generate",
        spec,
        "--format-type",
        "uuid=crate::custom::Uuid",
        "--format-type",
        "decimal=crate::custom::Decimal",
        "--schema-type",
        "Money=crate::custom::Money",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let from_cli = String::from_utf8(out.stdout).unwrap();
    assert_eq!(from_cli, configured().generate(fixture()).unwrap().code);

    for bad in [["--format-type", "uuid"], ["--schema-type", "Money=not a type"]] {
        let out = cli(&["generate", spec, bad[0], bad[1]]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(&format!("error: {}: ", bad[0])), "{err}");
    }
}
