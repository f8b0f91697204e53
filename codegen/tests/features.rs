//! Tag features of a generated crate (`generate --crate`): one cargo feature per resource, each
//! gating its operations and exactly the types they reach. `.ci/features` compiles such crates
//! with each feature alone; these tests pin which item needs which feature.

use ferrospec_codegen::krate::RuntimeDep;
use ferrospec_codegen::Config;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/tag-features.yaml")
}

/// The crate for the fixture: its Cargo.toml, src/lib.rs and README.
fn generate(test: &str) -> (String, String, String) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("features").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    Config::new()
        .generate_crate(fixture(), &dir, Some("tag-features"), &RuntimeDep::Version("0.1".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    (read("Cargo.toml"), read("src/lib.rs"), read("README.md"))
}

/// The `#[cfg(..)]` line right above the line that starts with `item` (after indentation), with
/// the derives and `#[non_exhaustive]` between them skipped.
fn gate_of(lib: &str, item: &str) -> String {
    let lines: Vec<&str> = lib.lines().collect();
    let at =
        lines.iter().position(|l| l.trim_start().starts_with(item)).unwrap_or_else(|| panic!("no `{item}`"));
    let mut cfg = Vec::new();
    for l in lines[..at].iter().rev() {
        let l = l.trim();
        if l.starts_with("#[derive")
            || l.starts_with("#[non_exhaustive")
            || l.starts_with("#[inline")
            || l.starts_with("#[must_use")
        {
            continue;
        }
        // prettyplease breaks a long `#[cfg(any(..))]` over three lines.
        if l.starts_with("#[cfg") || l.starts_with("any(") || l == ")]" {
            cfg.push(l);
            continue;
        }
        break;
    }
    cfg.reverse();
    cfg.join(" ")
}

#[test]
fn cargo_toml_has_a_feature_per_tag_and_all_of_them_by_default() {
    let (toml, _, _) = generate("toml");
    let features: Vec<&str> = toml
        .lines()
        .skip_while(|l| *l != "[features]")
        .take_while(|l| *l != "[dependencies]")
        .filter(|l| !l.starts_with('#') && l.contains(" = ["))
        .collect();
    assert_eq!(
        features,
        [
            "serde-all = []",
            "default = [\"full\"]",
            "full = [\"admin\", \"projects\", \"untagged\", \"unused-schemas\"]",
            // A parent tag's feature turns on its children's.
            "admin = [\"admin-users\"]",
            "admin-users = []",
            "projects = []",
            "untagged = []",
            "unused-schemas = []",
        ],
        "{toml}"
    );
    // What each costs, alone: `admin` is its own operation and its child's.
    assert!(toml.contains("# `client.admin()` (operations: 2, types: 5).\nadmin = "), "{toml}");
    assert!(toml.contains("# `client.admin().users()` (operations: 1, types: 5).\n"), "{toml}");
}

#[test]
fn each_item_needs_the_features_that_reach_it() {
    let (_, lib, _) = generate("gates");
    let cases = [
        // Only the users' operation reaches these.
        ("pub struct User {", r#"#[cfg(feature = "admin-users")]"#),
        ("pub struct UserPage {", r#"#[cfg(feature = "admin-users")]"#),
        ("impl rt::Page for types::UserPage {", r#"#[cfg(feature = "admin-users")]"#),
        // Per-operation enums go with their operation.
        ("pub enum ListUsersError {", r#"#[cfg(feature = "admin-users")]"#),
        ("pub enum CreateProjectByStatus {", r#"#[cfg(feature = "projects")]"#),
        ("pub struct CreateProject {", r#"#[cfg(feature = "projects")]"#),
        // Shared by two tags' operations, and by a schema no operation uses.
        (
            "pub struct Project {",
            r#"#[cfg( any(feature = "admin-users", feature = "projects", feature = "unused-schemas") )]"#,
        ),
        ("pub struct Problem {", r#"#[cfg(any(feature = "admin-users", feature = "projects"))]"#),
        ("pub struct WebhookEvent {", r#"#[cfg(feature = "unused-schemas")]"#),
        // A handle compiles when anything under it does; an accessor with what it returns.
        ("pub struct Admin {", r#"#[cfg(any(feature = "admin", feature = "admin-users"))]"#),
        (
            "pub fn admin(&self) -> resources::Admin {",
            r#"#[cfg(any(feature = "admin", feature = "admin-users"))]"#,
        ),
        ("pub fn users(&self) -> AdminUsers {", r#"#[cfg(feature = "admin-users")]"#),
        ("pub fn get_audit_log(&self) -> builders::GetAuditLog {", r#"#[cfg(feature = "admin")]"#),
        ("pub fn health(&self) -> builders::Health {", r#"#[cfg(feature = "untagged")]"#),
        // The client itself is always there.
        ("pub struct Client {", ""),
        ("pub struct ClientBuilder {", ""),
    ];
    for (item, cfg) in cases {
        assert_eq!(gate_of(&lib, item), cfg, "the gate of `{item}`");
    }
}

#[test]
fn the_readme_lists_the_features_and_their_costs() {
    let (_, _, readme) = generate("readme");
    assert!(readme.contains("default-features = false, features = [\"admin\"]"), "{readme}");
    for row in [
        "| `admin` | `client.admin()` | 2 | 5 |",
        "| `admin-users` | `client.admin().users()` | 1 | 5 |",
        "| `projects` | `client.projects()` | 1 | 6 |",
        "| `untagged` | the client's own operations | 1 | 1 |",
        "| `unused-schemas` | the types no operation uses | 0 | 2 |",
    ] {
        assert!(readme.contains(row), "no row `{row}` in:\n{readme}");
    }
    // The fixture has no examples: one heading over the instance and wire tests' paragraphs.
    assert!(readme.contains("## Tests\n\n`cargo test --test instances` decodes"), "{readme}");
    assert_eq!(readme.matches("## Tests").count(), 1, "{readme}");
    assert!(readme.contains("\n`tests/wire.rs` calls every operation"), "{readme}");
}

/// A module for a build script, and a crate whose operations form one group, have no features.
#[test]
fn no_features_where_they_would_choose_nothing() {
    let module = Config::new().generate(fixture()).unwrap_or_else(|e| panic!("{e}")).code;
    assert!(!module.contains("#[cfg(feature = \"admin"), "a module has no tag gates");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/minimal.yaml");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("features/one-group");
    let _ = std::fs::remove_dir_all(&dir);
    Config::new()
        .generate_crate(&spec, &dir, Some("minimal"), &RuntimeDep::Version("0.1".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(!toml.contains("full"), "{toml}");
}
