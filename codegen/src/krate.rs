//! A complete client crate for any document: Cargo.toml, src/lib.rs (the generated module) and
//! a README, depending on the runtime crate by a path relative to the crate (default) or by
//! published version. The generated text names the API by its own title.

use crate::emit::doc::one_line;
use crate::features::Features;
use crate::{ir::Api, write_if_changed};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Where the generated crate gets the runtime from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// The runtime crate's directory (absolute, or relative to the current directory). The
    /// generated Cargo.toml gets a path relative to the generated crate, never an absolute one.
    Path(PathBuf),
    /// A published version of `ferrospec-runtime`, such as `"0.1"`.
    Version(String),
}

impl Default for RuntimeDep {
    /// The runtime crate next to this generator's sources.
    fn default() -> Self {
        RuntimeDep::Path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime"))
    }
}

/// The crate name used when none is given: the API title in kebab case, as a valid package name.
pub fn default_name(api: &Api) -> String {
    suggest_name(&crate::ident::snake(&api.title).replace('_', "-"))
}

/// Names cargo refuses or that would shadow a built-in crate (the generated crate's tests name it
/// as a dependency), and Rust keywords.
const RESERVED: &[&str] = &[
    "std",
    "core",
    "alloc",
    "test",
    "proc_macro",
    "proc-macro",
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
];

/// Whether `name` is a package name cargo and crates.io accept: ASCII letters, digits, `-` and
/// `_`, starting with a letter, at most 64 characters, not a keyword or a built-in crate's name.
/// Checked before anything is written.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let well_formed = name.starts_with(|c: char| c.is_ascii_alphabetic()) && ok_chars && name.len() <= 64;
    if !well_formed || RESERVED.contains(&name) {
        return Err(format!(
            "--name {name:?} is not a valid package name for cargo and crates.io: use ASCII letters, \
             digits, `-` and `_`, starting with a letter, at most 64 characters, not a Rust keyword \
             or a built-in crate's name (e.g. {:?})",
            suggest_name(name)
        ));
    }
    Ok(())
}

/// `name` made a valid package name: every character cargo refuses made a `-`, prefixed with
/// `api-` where it would not start with a letter or is reserved (what [`check_name`] suggests).
pub fn suggest_name(name: &str) -> String {
    let n: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    let n = n.trim_matches('-');
    let n = if n.starts_with(|c: char| c.is_ascii_alphabetic()) && !RESERVED.contains(&n) {
        n.to_string()
    } else if n.is_empty() {
        "api".to_string()
    } else {
        format!("api-{n}")
    };
    n.chars().take(64).collect()
}

/// The generated crate's test files, where the document has examples and operations; a file
/// that is `None` is removed if an older generation left one.
pub struct Tests<'t> {
    /// `tests/examples.rs` (see [`crate::examples`]).
    pub examples: Option<&'t str>,
    /// `tests/instances.rs` (see [`crate::instances`]).
    pub instances: Option<&'t str>,
    /// `tests/wire.rs`: one test per operation against a mock server.
    pub wire: Option<&'t str>,
    /// The document as the IR's pointers read it: the README's calls take its examples.
    pub raw: Option<&'t serde_json::Value>,
}

/// Writes the crate into `dir` (created if missing); files that didn't change are left alone.
pub fn write(
    api: &Api,
    code: &str,
    features: Option<&Features>,
    tests: Tests<'_>,
    dir: &Path,
    name: &str,
    runtime: &RuntimeDep,
) -> io::Result<()> {
    let examples = tests.examples;
    let existed = dir.exists();
    std::fs::create_dir_all(dir)?;
    let runtime_dep = match runtime_dep(dir, runtime) {
        Ok(dep) => dep,
        Err(e) => {
            if !existed {
                // Only removes the directory this call made, and only while it is empty.
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
    };
    // Streaming operations need the runtime's `streams` feature.
    let runtime_dep = if api.operations.iter().any(|op| op.response.stream.is_some()) {
        match runtime_dep.strip_suffix('}') {
            Some(table) => format!("{}, features = [\"streams\"] }}", table.trim_end()),
            None => format!("{{ version = {runtime_dep}, features = [\"streams\"] }}"),
        }
    } else {
        runtime_dep
    };
    let (title, version) = (one_line(&api.title), one_line(&api.version));
    let cargo = format!(
        r#"[package]
name = {name}
version = "0.1.0"
edition = "2021"
description = {desc}
publish = false

[features]
# Both serde directions on every model (by default request types only serialize and response
# types only deserialize, which halves the serde code to compile).
serde-all = []
{features}
[dependencies]
ferrospec-runtime = {runtime_dep}
serde = "1"
serde_json = "1"
{map_dep}{dev}"#,
        name = toml_str(name),
        // `Config::map_type`: the one map crate this knows; another, the user adds.
        map_dep = match api.map_type.as_deref() {
            Some(m) if m.starts_with("indexmap::") =>
                "indexmap = { version = \"2\", features = [\"serde\"] }\n",
            _ => "",
        },
        features = features.map(Features::cargo_lines).unwrap_or_default(),
        // The example tests decode and encode every type, whichever way the API sends it.
        dev = match (examples.or(tests.instances), tests.wire) {
            (None, None) => String::new(),
            (_, wire) => format!(
                "\n[dev-dependencies]\n{} = {{ path = \".\", features = [\"serde-all\"] }}\n{}",
                toml_str(name),
                // The wire tests call the async client.
                if wire.is_some() {
                    "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n"
                } else {
                    ""
                }
            ),
        },
        desc =
            toml_str(&format!("A Rust client for the {title} API {version}, generated by ferrospec-codegen")),
    );
    // The README is the crate's docs too, so its examples compile as doctests.
    let lib = format!("#![doc = include_str!(\"../README.md\")]\n\n{code}");
    let readme = crate::readme::Readme {
        api,
        raw: tests.raw,
        name,
        examples: examples.is_some(),
        instances: tests.instances.is_some(),
        wire: tests.wire.is_some(),
        features,
    }
    .text();
    std::fs::create_dir_all(dir.join("src"))?;
    write_if_changed(&dir.join("Cargo.toml"), &cargo)?;
    write_if_changed(&dir.join("src/lib.rs"), &lib)?;
    write_if_changed(&dir.join("README.md"), &readme)?;
    let files = [
        ("tests/examples.rs", examples),
        ("tests/instances.rs", tests.instances),
        ("tests/wire.rs", tests.wire),
    ];
    for (file, text) in files {
        let path = dir.join(file);
        match text {
            Some(text) => {
                std::fs::create_dir_all(dir.join("tests"))?;
                write_if_changed(&path, text)?
            }
            None => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
    }
    Ok(())
}

/// The value of `ferrospec-runtime = …` for a crate in `dir`, which exists.
fn runtime_dep(dir: &Path, runtime: &RuntimeDep) -> io::Result<String> {
    let runtime = match runtime {
        RuntimeDep::Version(v) => return Ok(toml_str(v)),
        RuntimeDep::Path(p) => p,
    };
    let advice = "pass --runtime-version VERSION to depend on a published ferrospec-runtime instead";
    let runtime_dir = runtime.canonicalize().map_err(|e| {
        io::Error::new(e.kind(), format!("the runtime crate is not at {} ({e}); {advice}", runtime.display()))
    })?;
    let crate_dir = dir.canonicalize()?;
    let relative = relative_path(&crate_dir, &runtime_dir).ok_or_else(|| {
        io::Error::other(format!(
            "no relative path leads from {} to the runtime crate at {} (a different drive?); {advice}",
            crate_dir.display(),
            runtime_dir.display()
        ))
    })?;
    Ok(format!("{{ path = {} }}", toml_str(&relative)))
}

/// The path from directory `from` to `to`, both absolute and canonical, with forward slashes
/// (`../../runtime`); `None` when they have different roots (Windows drives or shares) or a
/// component isn't UTF-8.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    if !from.is_absolute() || !to.is_absolute() {
        return None;
    }
    let (from, to): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let is_root = |c: &&Component| matches!(c, Component::Prefix(_) | Component::RootDir);
    let root: Vec<&Component> = from.iter().take_while(is_root).collect();
    if !root.iter().copied().eq(to.iter().take_while(is_root)) {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = Vec::new();
    for c in &from[common..] {
        match c {
            Component::Normal(_) => parts.push(".."),
            _ => return None,
        }
    }
    for c in &to[common..] {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            _ => return None,
        }
    }
    Some(if parts.is_empty() { ".".to_string() } else { parts.join("/") })
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn relative_paths() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/w/repo/target/corpus/crates/x", "/w/repo/runtime").as_deref(),
            Some("../../../../runtime")
        );
        assert_eq!(rel("/w/other-client", "/w/repo/runtime").as_deref(), Some("../repo/runtime"));
        assert_eq!(rel("/", "/w/repo/runtime").as_deref(), Some("w/repo/runtime"));
        assert_eq!(rel("/w/repo/runtime/sub", "/w/repo/runtime").as_deref(), Some(".."));
        assert_eq!(rel("/w/repo/runtime", "/w/repo/runtime").as_deref(), Some("."));
        // Not both absolute: no relative path (the stand-in for different Windows drives).
        assert_eq!(rel("w/repo", "/w/repo/runtime"), None);
        assert_eq!(rel("/w/./x/../repo", "/w/repo/runtime"), None);
    }

    #[cfg(windows)]
    #[test]
    fn no_relative_path_across_drives() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(rel(r"C:\w\client", r"D:\repo\runtime"), None);
        assert_eq!(rel(r"C:\w\client", r"C:\repo\runtime").as_deref(), Some("../../repo/runtime"));
    }

    #[test]
    fn package_names_cargo_refuses_are_refused_with_a_suggestion() {
        for ok in ["nexus", "my-api", "a_b1", "X"] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
        let e = check_name("api.github.com-ours").unwrap_err();
        assert!(e.contains("\"api-github-com-ours\""), "{e}");
        for bad in ["", "1password", "-x", "café", "a b", &"a".repeat(65), "std", "self"] {
            assert!(check_name(bad).is_err(), "{bad}");
            assert_eq!(check_name(&suggest_name(bad)), Ok(()), "{bad} -> {}", suggest_name(bad));
        }
        assert_eq!(suggest_name("1password"), "api-1password");
        assert!(check_name("core").is_err() && check_name("test").is_err() && check_name("fn").is_err());
        assert_eq!(suggest_name("core"), "api-core");
        assert_eq!(suggest_name(""), "api");
    }

    #[test]
    fn toml_strings_escape() {
        assert_eq!(toml_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(toml_str("x\u{1}"), r#""x\u0001""#);
    }
}
