//! `generate --crate`: the generated Cargo.toml reaches the runtime by a relative path (or a
//! published version), and the crate's README and docs don't present the API as LlamaCloud's.

use ferrospec_codegen::{krate::RuntimeDep, Config};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> PathBuf {
    root().join("tests/fixtures/minimal.yaml")
}

/// A fresh, empty scratch directory under `base` (removed first if a previous run left it).
fn scratch(base: &Path, test: &str) -> PathBuf {
    let dir = base.join(format!("ferrospec-codegen-krate-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The value after `ferrospec-runtime = ` in the generated Cargo.toml.
fn runtime_line(crate_dir: &Path) -> String {
    let toml = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("Cargo.toml written");
    toml.lines()
        .find_map(|l| l.strip_prefix("ferrospec-runtime = "))
        .unwrap_or_else(|| panic!("no runtime dependency in\n{toml}"))
        .to_string()
}

/// The relative path in `{ path = "…" }`, checked to lead from the crate to the runtime.
fn check_relative_path(crate_dir: &Path) -> String {
    let line = runtime_line(crate_dir);
    let rel = line
        .strip_prefix("{ path = \"")
        .and_then(|s| s.strip_suffix("\" }"))
        .unwrap_or_else(|| panic!("not a path dependency: {line}"));
    assert!(!Path::new(rel).is_absolute() && !rel.starts_with('/'), "absolute path written: {rel}");
    assert!(!rel.contains('\\'), "backslashes written: {rel}");
    let resolved = crate_dir
        .join(rel)
        .canonicalize()
        .unwrap_or_else(|e| panic!("{rel} from {}: {e}", crate_dir.display()));
    assert_eq!(
        resolved,
        root().join("runtime").canonicalize().unwrap(),
        "{rel} from {}",
        crate_dir.display()
    );
    rel.to_string()
}

#[test]
fn runtime_path_is_relative_at_any_depth() {
    // Inside the repository (as .ci/corpus does, under target/) and outside it (the system temp
    // dir), at several depths; the crate directories don't exist beforehand.
    for base in [PathBuf::from(env!("CARGO_TARGET_TMPDIR")), std::env::temp_dir()] {
        let top = scratch(&base, "depth");
        let mut dir = top.clone();
        let mut seen = Vec::new();
        for depth in 0..4 {
            dir = dir.join(format!("level{depth}"));
            let crate_dir = dir.join("client");
            Config::new()
                .generate_crate(spec(), &crate_dir, Some("minimal-client"), &RuntimeDep::default())
                .unwrap_or_else(|e| panic!("{e}"));
            seen.push(check_relative_path(&crate_dir));
        }
        // One more `../` per level.
        for pair in seen.windows(2) {
            assert_eq!(format!("../{}", pair[0]), pair[1]);
        }
        // A crate directory named relative to the current directory works too.
        let crate_dir = relative_to_cwd(&top).join("relative/client");
        assert!(crate_dir.is_relative());
        Config::new()
            .generate_crate(spec(), &crate_dir, None, &RuntimeDep::default())
            .unwrap_or_else(|e| panic!("{e}"));
        check_relative_path(&crate_dir);
        std::fs::remove_dir_all(&top).unwrap();
    }
}

/// `path` (absolute) named from the current directory: up to the root, then down.
fn relative_to_cwd(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap();
    let up = cwd.components().filter(|c| matches!(c, std::path::Component::Normal(_))).count();
    let down: PathBuf = path.components().filter(|c| matches!(c, std::path::Component::Normal(_))).collect();
    std::iter::repeat_n(Path::new(".."), up).collect::<PathBuf>().join(down)
}

#[test]
fn runtime_dir_given_relative_to_the_current_directory() {
    let top = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "cwd-relative");
    let crate_dir = top.join("a/b/client");
    // Integration tests run in the package directory (codegen/).
    let runtime = RuntimeDep::Path(PathBuf::from("../runtime"));
    Config::new().generate_crate(spec(), &crate_dir, None, &runtime).unwrap_or_else(|e| panic!("{e}"));
    check_relative_path(&crate_dir);
    std::fs::remove_dir_all(&top).unwrap();
}

#[test]
fn missing_runtime_is_an_error_naming_runtime_version() {
    let top = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "missing-runtime");
    let crate_dir = top.join("client");
    let runtime = RuntimeDep::Path(top.join("no-such-runtime"));
    let err = Config::new()
        .generate_crate(spec(), &crate_dir, None, &runtime)
        .expect_err("no runtime there")
        .to_string();
    assert!(err.contains("--runtime-version"), "{err}");
    assert!(!crate_dir.exists(), "the crate directory it made is removed again");
    std::fs::remove_dir_all(&top).unwrap();
}

#[test]
fn cli_writes_a_relative_path_or_the_given_version() {
    let top = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "cli");
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen")).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let by_path = top.join("deep/er/by-path");
    cli(&["generate", spec().to_str().unwrap(), "--crate", by_path.to_str().unwrap(), "--name", "by-path"]);
    check_relative_path(&by_path);

    let by_version = top.join("by-version");
    cli(&[
        "generate",
        spec().to_str().unwrap(),
        "--crate",
        by_version.to_str().unwrap(),
        "--runtime-version",
        "0.1",
    ]);
    assert_eq!(runtime_line(&by_version), "\"0.1\"");
    let toml = std::fs::read_to_string(by_version.join("Cargo.toml")).unwrap();
    assert!(toml.contains("\nferrospec-runtime = \"0.1\"\n"), "{toml}");
    std::fs::remove_dir_all(&top).unwrap();
}

#[test]
fn a_name_cargo_refuses_is_refused_before_anything_is_written() {
    let top = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "bad-name");
    let dir = top.join("client");
    let out = Command::new(env!("CARGO_BIN_EXE_ferrospec-codegen"))
        .args([
            "generate",
            spec().to_str().unwrap(),
            "--crate",
            dir.to_str().unwrap(),
            "--name",
            "api.github.com",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a valid package name") && stderr.contains("\"api-github-com\""), "{stderr}");
    assert!(!dir.exists(), "nothing is written");

    let e = Config::new()
        .generate_crate(spec(), &dir, Some("1st"), &RuntimeDep::Version("0.1".into()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a valid package name"), "{e}");
    assert!(!dir.exists(), "nothing is written");
    std::fs::remove_dir_all(&top).unwrap();
}

#[test]
fn readme_and_docs_name_the_api_not_llamacloud() {
    let top = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "texts");
    let crate_dir = top.join("client");
    Config::new()
        .generate_crate(spec(), &crate_dir, Some("minimal-client"), &RuntimeDep::Version("0.1".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).unwrap();
    let lib = std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap();
    // The README is the crate's docs (its examples compile as doctests).
    assert!(lib.starts_with("#![doc = include_str!(\"../README.md\")]"), "{}", &lib[..200.min(lib.len())]);
    let docs = readme.clone();
    let toml = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    let description = toml.lines().find(|l| l.starts_with("description = ")).unwrap();
    for (what, text) in
        [("README.md", readme.as_str()), ("the crate docs", &docs), ("the description", description)]
    {
        assert!(text.contains("Minimal API"), "{what} names the API by its title:\n{text}");
        // Naming the tool is fine; nothing else may say "llama".
        let rest = text.replace("ferrospec-codegen", "").to_lowercase();
        assert!(!rest.contains("llama"), "{what} mentions LlamaCloud:\n{text}");
    }
    // What a user reads first: install, a client, errors, retries, the crate's tests.
    for section in ["## Install", "## Usage", "## Errors", "## Retries and timeouts", "## Features"] {
        assert!(readme.contains(section), "no `{section}` in:\n{readme}");
    }
    assert!(readme.contains("let client = minimal_client::Client::builder()"), "{readme}");
    std::fs::remove_dir_all(&top).unwrap();
}

#[test]
fn one_load_writes_what_each_single_call_writes() {
    // examples.yaml has operations and JSON examples, so every output is there.
    let spec = root().join("tests/fixtures/examples.yaml");
    let config = Config::new();
    let loaded = config.load(&spec).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.module(), config.generate(&spec).unwrap().code);
    let tests = |t: Option<(String, _)>| t.map(|(text, _)| text).expect("the fixture has examples");
    assert_eq!(
        tests(loaded.example_tests("crate::api")),
        tests(config.generate_example_tests(&spec, "crate::api").unwrap())
    );
    assert!(loaded.api().operations.len() > 1 && loaded.warnings().items.is_empty());
    let debug = format!("{loaded:?}");
    assert!(debug.contains("operations") && debug.contains("examples.yaml"), "{debug}");

    // The crate written from the same load holds the same tests as the single calls write.
    let dir = scratch(Path::new(env!("CARGO_TARGET_TMPDIR")), "load");
    let g = loaded.write_crate(&dir, Some("examples-api"), &RuntimeDep::default()).unwrap();
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    assert_eq!(read("tests/wire.rs"), loaded.wire_tests("examples-api").expect("operations"));
    assert_eq!(read("tests/examples.rs"), tests(loaded.example_tests("examples_api")));
    assert!(read("src/lib.rs").contains(&g.code), "src/lib.rs holds the module");
    assert!(g.examples.is_some());

    // A name cargo would refuse is refused before anything is written.
    let bad = dir.join("bad");
    let e = loaded.write_crate(&bad, Some("no spaces"), &RuntimeDep::default()).unwrap_err();
    assert!(!bad.exists(), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
