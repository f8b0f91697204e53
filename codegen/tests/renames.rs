//! `Config::rename_type` and `rename_field`: what a rename may not do is refused, naming the
//! rename; a rename that names nothing is a warning. (The renamed client is compiled and run on
//! the wire in tests/compile-fixtures/tests/calls.rs.)

use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};

fn calls() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls.yaml")
}

fn refusal(config: &Config) -> String {
    match config.load(calls()) {
        Ok(_) => panic!("the renames were accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_renamed_type_is_renamed_wherever_it_is_used() {
    let code = Config::new().rename_type("Issue", "Ticket").load(calls()).unwrap().module();
    assert!(code.contains("pub struct Ticket {"), "{code}");
    assert!(!code.contains("Issue {") && !code.contains("<Issue>") && !code.contains("Vec<Issue>"));
    assert!(code.contains("Vec<Ticket>") || code.contains("Vec<types::Ticket>"), "the list's item follows");
}

#[test]
fn a_new_name_that_is_taken_or_not_an_identifier_is_refused() {
    let taken = refusal(Config::new().rename_type("Issue", "IssuesCreateBody"));
    assert!(
        taken.contains("cannot rename `Issue` to `IssuesCreateBody`: another type has that name"),
        "{taken}"
    );
    let shadowing = refusal(Config::new().rename_type("Issue", "Client"));
    assert!(shadowing.contains("another type has that name"), "{shadowing}");
    let keyword = refusal(Config::new().rename_type("Issue", "type"));
    assert!(keyword.contains("`type` is not a Rust identifier"), "{keyword}");
    let field = refusal(Config::new().rename_field("Issue.title", "number"));
    assert!(
        field.contains("cannot rename `Issue.title` to `number`: the struct has a field of that name"),
        "{field}"
    );
    // `create`'s builder has an `owner` path parameter already.
    let setter = refusal(Config::new().rename_field("IssuesCreateBody.milestone", "owner"));
    assert!(setter.contains("the builder of `issues/create` has a method of that name"), "{setter}");
}

#[test]
fn a_rename_that_names_nothing_is_a_warning() {
    let loaded = Config::new()
        .rename_type("Nothing", "Something")
        .rename_field("Issue.nothing", "x")
        .load(calls())
        .unwrap();
    let warnings: Vec<&str> = loaded.warnings().warnings().map(|d| d.message.as_str()).collect();
    let warnings = warnings.join("\n");
    assert!(warnings.contains("the rename of `Nothing` names no generated type"), "{warnings}");
    assert!(warnings.contains("the rename of `Issue.nothing` names no field"), "{warnings}");
}

/// The command line's `--rename-type`, `--rename-field`, `--resource`, `--method-name` and
/// `--pagination` write
/// what the same `Config` calls write.
#[test]
fn the_command_line_takes_the_same_renames_and_placements() {
    let spec = calls();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args(["generate", spec.to_str().unwrap()])
        .args(["--rename-type", "Issue=Ticket", "--rename-field", "Ticket.title=heading"])
        .args(["--resource", "meta/root=about", "--method-name", "meta/root=get"])
        .args(["--pagination", "page_token,items,next"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let config = Config::new()
        .rename_type("Issue", "Ticket")
        .rename_field("Ticket.title", "heading")
        .resource("meta/root", "about")
        .method_name("meta/root", "get")
        .pagination("page_token", "items", "next")
        .generate(&spec)
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), config.code);
    assert!(config.code.contains("pub heading: String"), "the field is renamed");
}
