//! Item 8: what a tag feature saves on GitHub's REST description. The generated crate
//! (`generate --crate`) compiled with all features (the default) against only `issues`
//! (`--no-default-features --features issues`), `cargo check` and `cargo build`; and a program
//! that calls three issue operations, built against each.
//!
//! Dependencies are built first (untimed). Each measured run touches the crate's `src/lib.rs`
//! (and the program's `src/main.rs`) and times cargo under `/usr/bin/time -v` with
//! CARGO_INCREMENTAL=0, so the generated crate is compiled in full every time. The two variants
//! of each measurement alternate run by run, and the ratio is taken per run (one feature / all
//! features), then summarized.
//!
//! usage: features --codegen PATH/TO/ferrospec-codegen [--runs R] [--spec PATH] [--work DIR]

use llama_cloud_bench::{install_panic_hook, run, summarize, tail, time_v, touch, Measured};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const FEATURE: &str = "issues";

/// The program: three issue operations, as a user of the crate writes them.
const PROGRAM: &str = r#"#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = github::Client::builder().base_url("http://127.0.0.1:9").build().expect("client");
    let issues = client.issues();
    let listed = issues.list_for_repo("octocat", "hello-world").send().await;
    let got = issues.get("octocat", "hello-world", 1).send().await;
    let created = issues.create("octocat", "hello-world", "Found a bug").send().await;
    println!("{} {} {}", listed.is_ok(), got.is_ok(), created.is_ok());
}
"#;

/// One thing measured both ways: the command, and where it runs.
struct Pair {
    label: &'static str,
    /// Where each variant runs: all features, then the one feature.
    dirs: [PathBuf; 2],
    /// cargo arguments: all features, then the one feature.
    args: [Vec<&'static str>; 2],
    runs: [Vec<Measured>; 2],
}

fn main() -> ExitCode {
    install_panic_hook();
    let bench = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runs = 7usize;
    let mut spec = PathBuf::from("/work/shared/corpus/progenitor/api.github.com.json");
    let mut work = bench.join("target/work/features");
    let mut codegen: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let Some(v) = args.next() else {
            eprintln!("error: {a} needs a value");
            return ExitCode::from(2);
        };
        match a.as_str() {
            "--runs" => runs = v.parse().unwrap_or(runs),
            "--spec" => spec = v.into(),
            "--work" => work = v.into(),
            "--codegen" => codegen = Some(v.into()),
            other => {
                eprintln!("error: unknown argument `{other}`\nusage: features --codegen PATH [--runs R] [--spec PATH] [--work DIR]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(codegen) = codegen.and_then(|c| c.canonicalize().ok()) else {
        eprintln!("error: --codegen PATH/TO/ferrospec-codegen is required and must exist");
        return ExitCode::from(2);
    };
    let runs = runs.max(1);
    match measure(&codegen, &spec, &work, runs) {
        Ok(pairs) => {
            report(&pairs, runs);
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("**Item 8 could not be measured:**\n\n```text\n{e}\n```\n");
            ExitCode::FAILURE
        }
    }
}

fn measure(codegen: &Path, spec: &Path, work: &Path, runs: usize) -> Result<Vec<Pair>, String> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).map_err(|e| e.to_string())?;
    let work = work.canonicalize().map_err(|e| e.to_string())?;
    let krate = work.join("github");
    let spec = spec.canonicalize().map_err(|e| format!("{}: {e}", spec.display()))?;
    run(
        &work,
        &[],
        codegen.to_str().unwrap(),
        &["generate", spec.to_str().unwrap(), "--crate", krate.to_str().unwrap(), "--name", "github"],
    )?;
    standalone(&krate.join("Cargo.toml"))?;
    // The program, twice: against all features and against `issues` only.
    let program = |name: &str, dep: &str| -> Result<PathBuf, String> {
        let dir = work.join(name);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
        let toml = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dep}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n"
        );
        std::fs::write(dir.join("Cargo.toml"), toml).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("src/main.rs"), PROGRAM).map_err(|e| e.to_string())?;
        Ok(dir)
    };
    let full = program("program-full", "github = { path = \"../github\" }")?;
    let one = program(
        "program-issues",
        &format!("github = {{ path = \"../github\", default-features = false, features = [\"{FEATURE}\"] }}"),
    )?;
    let lib = krate.join("src/lib.rs");
    let one_feature = vec!["--no-default-features", "--features", FEATURE];
    let mut pairs = [
        Pair {
            label: "the crate, `cargo check`",
            dirs: [krate.clone(), krate.clone()],
            args: [vec!["check"], [vec!["check"], one_feature.clone()].concat()],
            runs: [vec![], vec![]],
        },
        Pair {
            label: "the crate, `cargo build`",
            dirs: [krate.clone(), krate.clone()],
            args: [vec!["build"], [vec!["build"], one_feature].concat()],
            runs: [vec![], vec![]],
        },
        Pair {
            label: "a program calling 3 issue operations, `cargo build`",
            dirs: [full, one],
            args: [vec!["build"], vec!["build"]],
            runs: [vec![], vec![]],
        },
    ];
    let target = work.join("target");
    let envs = [("CARGO_TARGET_DIR", target.to_str().unwrap()), ("CARGO_INCREMENTAL", "0")];
    // Dependencies first (untimed), every variant once.
    for p in &pairs {
        for i in 0..2 {
            eprintln!("features: {} ({}): building dependencies (untimed) ...", p.label, variant(i));
            run(&p.dirs[i], &envs, "cargo", &p.args[i])?;
        }
    }
    for r in 0..runs {
        for p in pairs.iter_mut() {
            // Alternate which variant goes first, so neither always follows the other.
            let order = if r % 2 == 0 { [0, 1] } else { [1, 0] };
            for i in order {
                eprintln!("features: {} ({}), run {}/{runs} ...", p.label, variant(i), r + 1);
                let dir = p.dirs[i].clone();
                // The generated crate is compiled in full every run (and the program, if any).
                for f in [lib.clone(), dir.join("src/main.rs")].iter().filter(|f| f.exists()) {
                    touch(f).map_err(|e| e.to_string())?;
                }
                let m = time_v(&dir, &envs, "cargo", &p.args[i]).map_err(|e| e.to_string())?;
                if !m.success {
                    return Err(format!("cargo {} failed:\n{}", p.args[i].join(" "), tail(&m.stderr, 30)));
                }
                if !m.stderr.contains("github") {
                    return Err(format!("cargo did not recompile the crate: {}", m.stderr.trim()));
                }
                p.runs[i].push(m);
            }
        }
    }
    Ok(pairs.into())
}

fn variant(i: usize) -> &'static str {
    if i == 0 {
        "all features"
    } else {
        "issues only"
    }
}

fn report(pairs: &[Pair], runs: usize) {
    println!("### Tag features on GitHub's description: `{FEATURE}` only against all features ({runs} runs each; median (min–max))\n");
    println!("| what | all features: wall (s) | `{FEATURE}` only: wall (s) | ratio per run | all: CPU (s) | `{FEATURE}`: CPU (s) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for p in pairs {
        let wall = |i: usize| p.runs[i].iter().map(|m| m.wall_s).collect::<Vec<_>>();
        let cpu = |i: usize| p.runs[i].iter().map(|m| m.cpu_s).collect::<Vec<_>>();
        let ratios: Vec<f64> = wall(1).iter().zip(wall(0)).map(|(one, all)| one / all).collect();
        let show = |v: Vec<f64>, prec: usize| summarize(&v).map(|s| s.show(prec)).unwrap_or("–".into());
        println!(
            "| {} | {} | {} | **{}** | {} | {} |",
            p.label,
            show(wall(0), 2),
            show(wall(1), 2),
            show(ratios, 3),
            show(cpu(0), 2),
            show(cpu(1), 2)
        );
    }
    println!();
}

/// Adds an empty `[workspace]` table so the crate doesn't join the bench workspace above it.
fn standalone(manifest: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    std::fs::write(manifest, format!("{text}\n[workspace]\n")).map_err(|e| format!("{}: {e}", manifest.display()))
}
