//! Shared pieces of the benchmark binaries: running progenitor the way its README's build.rs
//! does, writing a crate around progenitor's output the way `cargo progenitor` does, timing
//! commands under `/usr/bin/time -v`, and small statistics.

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle};
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

// ---------------------------------------------------------------------------------------------
// Panics as errors (progenitor answers some documents with `todo!()` / `unimplemented!()`).

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs a panic hook that records (instead of printing) panics raised inside [`catch`].
pub fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CAPTURING.with(Cell::get) {
            let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = info.payload().downcast_ref::<String>() {
                s.clone()
            } else {
                "(non-string panic payload)".to_string()
            };
            let loc = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panicked{loc}: {msg}")));
        } else {
            default(info)
        }
    }));
}

/// Runs `f`, turning a panic into `Err("panicked at FILE:LINE: MESSAGE")`.
pub fn catch<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    CAPTURING.with(|c| c.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    match r {
        Ok(r) => r,
        Err(_) => Err(LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panicked".into())),
    }
}

// ---------------------------------------------------------------------------------------------
// progenitor

/// Reads and parses a document as progenitor's users do: JSON with serde_json, YAML with
/// serde_yaml, straight into `openapiv3::OpenAPI`.
pub fn load_openapi(path: &Path) -> Result<OpenAPI, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if is_json(path) {
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_yaml::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The document as a JSON value (YAML converted), for editing.
pub fn load_value(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if is_json(path) {
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        serde_yaml::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Progenitor's builder-style settings (tags merged: its default).
pub fn progenitor_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings.with_interface(InterfaceStyle::Builder);
    settings
}

/// `generate_tokens` + `syn::parse2` + `prettyplease::unparse`, as in progenitor's README
/// (build.rs, builder style). Panics come back as errors.
pub fn progenitor_emit(spec: &OpenAPI) -> Result<(String, Generator), String> {
    catch(|| {
        let mut generator = Generator::new(&progenitor_settings());
        let tokens = generator.generate_tokens(spec).map_err(|e| format!("error: {e}"))?;
        let file: syn::File =
            syn::parse2(tokens).map_err(|e| format!("progenitor's tokens do not parse as a file: {e}"))?;
        Ok((prettyplease::unparse(&file), generator))
    })
}

/// The whole progenitor pipeline for a file: read + parse + generate + format.
pub fn progenitor_generate(path: &Path) -> Result<(String, Generator), String> {
    let spec = load_openapi(path)?;
    progenitor_emit(&spec)
}

/// The `[dependencies]` lines `cargo progenitor` 0.15.1 writes for generated code (its
/// `dependencies()` with `--include-client false`), pinned to progenitor-client 0.15.1.
pub fn progenitor_dependencies(generator: &Generator) -> Vec<String> {
    let ts = generator.get_type_space();
    let mut deps = vec![
        "bytes = \"1.9\"".to_string(),
        "futures-core = \"0.3\"".to_string(),
        "reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }"
            .to_string(),
        "serde = { version = \"1.0\", features = [\"derive\"] }".to_string(),
        "serde_urlencoded = \"0.7\"".to_string(),
        "progenitor-client = \"0.15.1\"".to_string(),
    ];
    if ts.uses_regress() {
        deps.push("regress = \"0.10\"".into());
    }
    if ts.uses_uuid() {
        deps.push("uuid = { version = \"1.0\", features = [\"serde\", \"v4\"] }".into());
    }
    if ts.uses_chrono() {
        deps.push("chrono = { version = \"0.4\", default-features = false, features = [\"serde\"] }".into());
    }
    if generator.uses_futures() {
        deps.push("futures = \"0.3\"".into());
    }
    if generator.uses_websockets() {
        deps.push("base64 = \"0.22\"".into());
        deps.push("rand = \"0.8\"".into());
    }
    if ts.uses_serde_json() {
        deps.push("serde_json = \"1.0\"".into());
    }
    deps.sort_unstable();
    deps
}

/// Writes a library crate holding progenitor's code: `DIR/Cargo.toml` and `DIR/src/lib.rs`.
/// `standalone` adds an empty `[workspace]` table (the crate lives under another workspace's
/// directory but must not join it).
pub fn write_progenitor_crate(
    dir: &Path,
    name: &str,
    code: &str,
    generator: &Generator,
    standalone: bool,
) -> std::io::Result<()> {
    let mut toml = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n",
        progenitor_dependencies(generator).join("\n")
    );
    if standalone {
        toml.push_str("\n[workspace]\n");
    }
    std::fs::create_dir_all(dir.join("src"))?;
    write_if_changed(&dir.join("Cargo.toml"), &toml)?;
    write_if_changed(&dir.join("src/lib.rs"), code)
}

/// Writes unless the file already holds exactly `content` (keeps mtimes, so cargo doesn't rebuild).
pub fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::write(path, content)
}

/// An operation progenitor would not generate.
#[derive(Debug, Clone)]
pub struct Dropped {
    pub method: String,
    pub path: String,
    pub operation_id: String,
    pub error: String,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Makes a copy of `doc` that progenitor accepts by leaving out, whole, every operation that
/// progenitor rejects when it is the document's only operation. Returns the copy and what was
/// left out (with progenitor's error for each); the copy is checked as a whole afterwards.
pub fn strip_for_progenitor(doc: &serde_json::Value) -> Result<(serde_json::Value, Vec<Dropped>), String> {
    let try_doc = |v: &serde_json::Value| -> Result<(), String> {
        let spec: OpenAPI = serde_json::from_value(v.clone()).map_err(|e| format!("openapiv3 parse: {e}"))?;
        progenitor_emit(&spec).map(|_| ())
    };
    if try_doc(doc).is_ok() {
        return Ok((doc.clone(), Vec::new()));
    }
    let paths = doc.get("paths").and_then(|p| p.as_object()).ok_or("the document has no paths")?;
    let mut dropped = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            // The document with this one operation (path-level fields kept).
            let mut single_item = item.clone();
            single_item.retain(|k, _| !METHODS.contains(&k.as_str()) || k == method);
            let mut single = doc.clone();
            single["paths"] = serde_json::json!({ path.clone(): single_item });
            if let Err(error) = try_doc(&single) {
                dropped.push(Dropped {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: op.get("operationId").and_then(|v| v.as_str()).unwrap_or("?").to_string(),
                    error,
                });
            }
        }
    }
    let mut out = doc.clone();
    let out_paths = out["paths"].as_object_mut().expect("paths is an object");
    for d in &dropped {
        if let Some(item) = out_paths.get_mut(&d.path).and_then(|i| i.as_object_mut()) {
            item.remove(&d.method.to_lowercase());
        }
    }
    out_paths
        .retain(|_, item| item.as_object().is_none_or(|i| i.keys().any(|k| METHODS.contains(&k.as_str()))));
    try_doc(&out)
        .map_err(|e| format!("still rejected after leaving out {} operation(s): {e}", dropped.len()))?;
    Ok((out, dropped))
}

/// Works around a progenitor 0.15 (typify) miscompilation: a component schema that is both
/// `nullable: true` and a `oneOf`/`anyOf` becomes a newtype `struct X(Option<X>)` *and* an
/// `enum X`, a duplicate, infinitely sized type (E0428, E0072, E0119, E0599). Removes `nullable`
/// from such schemas (null values are then refused) and returns their names.
pub fn patch_nullable_unions(doc: &mut serde_json::Value) -> Vec<String> {
    let mut patched = Vec::new();
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(|s| s.as_object_mut()) {
        for (name, schema) in schemas.iter_mut() {
            let Some(obj) = schema.as_object_mut() else { continue };
            let union = obj.contains_key("oneOf") || obj.contains_key("anyOf");
            if union && obj.get("nullable").and_then(|v| v.as_bool()) == Some(true) {
                obj.remove("nullable");
                patched.push(name.clone());
            }
        }
    }
    patched
}

// ---------------------------------------------------------------------------------------------
// Timing commands

/// One timed command.
#[derive(Debug, Clone)]
pub struct Measured {
    pub wall_s: f64,
    /// user + system CPU seconds of the command and its children
    pub cpu_s: f64,
    /// "Maximum resident set size" from `/usr/bin/time -v`: the peak of the largest single
    /// process in the tree (for cargo: the biggest rustc).
    pub max_rss_kb: u64,
    pub success: bool,
    pub stderr: String,
}

/// Runs `program args` in `dir` with `envs` under `/usr/bin/time -v`, stdout discarded.
pub fn time_v(dir: &Path, envs: &[(&str, &str)], program: &str, args: &[&str]) -> std::io::Result<Measured> {
    let report = tempfile_path("time-v");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-v").arg("-o").arg(&report).arg(program).args(args).current_dir(dir);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let out = cmd.output()?;
    let wall_s = start.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_file(&report);
    let field = |name: &str| -> Option<String> {
        text.lines().find_map(|l| l.trim().strip_prefix(name).map(|rest| rest.trim().to_string()))
    };
    let num = |name: &str| field(name).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    Ok(Measured {
        wall_s,
        cpu_s: num("User time (seconds):") + num("System time (seconds):"),
        max_rss_kb: field("Maximum resident set size (kbytes):").and_then(|v| v.parse().ok()).unwrap_or(0),
        success: out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Runs a command to completion, failing with its stderr's tail.
pub fn run(dir: &Path, envs: &[(&str, &str)], program: &str, args: &[&str]) -> Result<String, String> {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().map_err(|e| format!("{program}: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(stderr)
    } else {
        Err(format!("`{program} {}` in {} failed:\n{}", args.join(" "), dir.display(), tail(&stderr, 40)))
    }
}

/// The last `n` lines of `s`.
pub fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn tempfile_path(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("llama-cloud-bench-{}-{tag}-{n}", std::process::id()))
}

/// Sets a file's modification time to now (what `touch` does), so cargo rebuilds its crate.
pub fn touch(path: &Path) -> std::io::Result<()> {
    let f = std::fs::OpenOptions::new().append(true).open(path)?;
    f.set_modified(std::time::SystemTime::now())
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

/// Median, min and max.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub n: usize,
}

pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    Some(Summary { median, min: v[0], max: v[n - 1], n })
}

impl Summary {
    /// `median (min–max)` with `prec` decimals; just the value when there is one run.
    pub fn show(&self, prec: usize) -> String {
        if self.n == 1 {
            format!("{:.prec$}", self.median)
        } else {
            format!("{:.prec$} ({:.prec$}–{:.prec$})", self.median, self.min, self.max)
        }
    }
}

/// Lines, non-blank lines and bytes of a source text.
pub fn line_counts(code: &str) -> (usize, usize, usize) {
    (code.lines().count(), code.lines().filter(|l| !l.trim().is_empty()).count(), code.len())
}

/// Escapes text for a Markdown table cell (one line, pipes escaped, shortened).
pub fn cell(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
    if one.chars().count() > max {
        format!("{}…", one.chars().take(max).collect::<String>())
    } else {
        one
    }
}

/// Thousands separators for counts.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
