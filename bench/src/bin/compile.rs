//! Item 2: the generated code for one document (default nexus.json): its size, and what the
//! generated crate's own compile costs (`cargo check` and `cargo build`, dev profile), ours
//! (`ferrospec-codegen generate SPEC --crate DIR`) vs progenitor 0.15 builder style.
//!
//! Dependencies are built first (untimed); then each measured run touches `src/lib.rs` and
//! times cargo under `/usr/bin/time -v` (wall time, CPU time, peak RSS of the largest process:
//! rustc). Incremental compilation is off (CARGO_INCREMENTAL=0) so that a touch without an edit
//! recompiles the whole crate rather than reusing the incremental cache.
//!
//! usage: compile --codegen PATH/TO/ferrospec-codegen [--runs R] [--spec PATH] [--work DIR]

use llama_cloud_bench::{
    install_panic_hook, line_counts, progenitor_generate, run, summarize, tail, thousands, time_v, touch,
    write_progenitor_crate, Measured,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Krate {
    label: &'static str,
    dir: PathBuf,
    package: String,
    ready: Result<(), String>,
    warnings: Option<usize>,
    check: Vec<Measured>,
    build: Vec<Measured>,
}

fn main() -> ExitCode {
    install_panic_hook();
    let bench = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runs = 3usize;
    let mut spec = PathBuf::from("/work/shared/corpus/progenitor/nexus.json");
    let mut work = bench.join("target/work/compile");
    let mut codegen: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        let r: Result<(), String> = (|| {
            match a.as_str() {
                "--runs" => runs = val()?.parse().map_err(|_| "--runs needs a number".to_string())?,
                "--spec" => spec = val()?.into(),
                "--work" => work = val()?.into(),
                "--codegen" => codegen = Some(val()?.into()),
                other => return Err(format!("unknown argument `{other}`")),
            }
            Ok(())
        })();
        if let Err(e) = r {
            eprintln!("error: {e}\nusage: compile --codegen PATH [--runs R] [--spec PATH] [--work DIR]");
            return ExitCode::from(2);
        }
    }
    let Some(codegen) = codegen else {
        eprintln!("error: --codegen PATH/TO/ferrospec-codegen is required");
        return ExitCode::from(2);
    };
    let runs = runs.max(1);
    // Commands run in other directories: make the paths absolute.
    let (Ok(codegen), Ok(spec)) = (codegen.canonicalize(), spec.canonicalize()) else {
        eprintln!("error: {} or {} does not exist", codegen.display(), spec.display());
        return ExitCode::from(2);
    };
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or("api".into());
    let spec_name = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::create_dir_all(&work).expect("work dir");

    // --- the two crates
    let mut crates = Vec::new();
    let ours_dir = work.join("ours");
    // Package names cargo accepts (api.github.com's dots are not).
    let package = |suffix: &str| ferrospec_codegen::krate::suggest_name(&format!("{stem}-{suffix}"));
    let ours_pkg = package("ours");
    let ours_ready = run(
        &work,
        &[],
        codegen.to_str().unwrap(),
        &["generate", spec.to_str().unwrap(), "--crate", ours_dir.to_str().unwrap(), "--name", &ours_pkg],
    )
    .and_then(|stderr| {
        if !stderr.trim().is_empty() {
            eprintln!("ferrospec-codegen on {spec_name}:\n{}", tail(&stderr, 10));
        }
        standalone(&ours_dir.join("Cargo.toml"))
    });
    crates.push(Krate {
        label: "ours",
        dir: ours_dir,
        package: ours_pkg,
        ready: ours_ready,
        warnings: None,
        check: vec![],
        build: vec![],
    });
    let prog_dir = work.join("progenitor");
    let prog_pkg = package("progenitor");
    let prog_ready = progenitor_generate(&spec).and_then(|(code, generator)| {
        write_progenitor_crate(&prog_dir, &prog_pkg, &code, &generator, true).map_err(|e| e.to_string())
    });
    crates.push(Krate {
        label: "progenitor (builder)",
        dir: prog_dir,
        package: prog_pkg,
        ready: prog_ready,
        warnings: None,
        check: vec![],
        build: vec![],
    });

    // --- dependencies first (untimed)
    for k in crates.iter_mut().filter(|k| k.ready.is_ok()) {
        eprintln!("compile: {}: building dependencies (untimed) ...", k.label);
        let target = k.dir.join("target");
        let envs = [("CARGO_TARGET_DIR", target.to_str().unwrap()), ("CARGO_INCREMENTAL", "0")];
        k.ready = run(&k.dir, &envs, "cargo", &["build"]).and_then(|stderr| {
            k.warnings = Some(count_warnings(&stderr, &k.package));
            run(&k.dir, &envs, "cargo", &["check"]).map(|_| ())
        });
    }

    // --- measured runs, alternating between the crates
    for (cmd, pick) in [("check", 0usize), ("build", 1)] {
        for r in 0..runs {
            for k in crates.iter_mut().filter(|k| k.ready.is_ok()) {
                eprintln!("compile: {}: cargo {cmd} after touch, run {}/{runs} ...", k.label, r + 1);
                let target = k.dir.join("target");
                let envs = [("CARGO_TARGET_DIR", target.to_str().unwrap()), ("CARGO_INCREMENTAL", "0")];
                touch(&k.dir.join("src/lib.rs")).expect("touch src/lib.rs");
                match time_v(&k.dir, &envs, "cargo", &[cmd]) {
                    Ok(m) if m.success => {
                        if !m.stderr.contains(&format!("Compiling {}", k.package))
                            && !m.stderr.contains(&format!("Checking {}", k.package))
                        {
                            eprintln!(
                                "warning: cargo did not recompile {} (output: {})",
                                k.package,
                                m.stderr.trim()
                            );
                        }
                        if pick == 0 {
                            k.check.push(m)
                        } else {
                            k.build.push(m)
                        }
                    }
                    Ok(m) => k.ready = Err(format!("cargo {cmd} failed:\n{}", tail(&m.stderr, 40))),
                    Err(e) => k.ready = Err(format!("cannot run /usr/bin/time: {e}")),
                }
            }
        }
    }

    // --- report
    println!("### Generated code for {spec_name}: size and the generated crate's own compile (dev profile, {runs} run(s); median (min–max))\n");
    println!("| generator | lib.rs lines | non-blank | KB | check wall (s) | check CPU (s) | check peak RSS (MB) | build wall (s) | build CPU (s) | build peak RSS (MB) | rustc warnings |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut medians = Vec::new();
    for k in &crates {
        let code = std::fs::read_to_string(k.dir.join("src/lib.rs")).unwrap_or_default();
        let (lines, nonblank, bytes) = line_counts(&code);
        let s = |v: &[Measured], f: fn(&Measured) -> f64, p: usize| {
            summarize(&v.iter().map(f).collect::<Vec<_>>()).map(|s| s.show(p)).unwrap_or("–".into())
        };
        let med = |v: &[Measured], f: fn(&Measured) -> f64| {
            summarize(&v.iter().map(f).collect::<Vec<_>>()).map(|s| s.median)
        };
        let wall = |m: &Measured| m.wall_s;
        let cpu = |m: &Measured| m.cpu_s;
        let rss = |m: &Measured| m.max_rss_kb as f64 / 1024.0;
        medians.push([med(&k.check, wall), med(&k.check, rss), med(&k.build, wall), med(&k.build, rss)]);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            k.label,
            thousands(lines),
            thousands(nonblank),
            thousands(bytes / 1024),
            s(&k.check, wall, 2),
            s(&k.check, cpu, 2),
            s(&k.check, rss, 0),
            s(&k.build, wall, 2),
            s(&k.build, cpu, 2),
            s(&k.build, rss, 0),
            k.warnings.map(|w| w.to_string()).unwrap_or("–".into()),
        );
    }
    if let [o, p] = medians.as_slice() {
        let ratio = |i: usize| match (o[i], p[i]) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => "–".into(),
        };
        println!(
            "| **ours / progenitor** (medians) | | | | {} | | {} | {} | | {} | |",
            ratio(0),
            ratio(1),
            ratio(2),
            ratio(3)
        );
    }
    println!();
    let mut failed = false;
    for k in &crates {
        if let Err(e) = &k.ready {
            failed = true;
            println!("**{}** could not be measured:\n\n```text\n{e}\n```\n", k.label);
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Adds an empty `[workspace]` table so the crate doesn't join the bench workspace above it.
fn standalone(manifest: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if text.lines().any(|l| l.trim() == "[workspace]") {
        return Ok(());
    }
    std::fs::write(manifest, format!("{text}\n[workspace]\n"))
        .map_err(|e| format!("{}: {e}", manifest.display()))
}

/// rustc's warning count for `package` from cargo's summary line (0 when there is none).
fn count_warnings(stderr: &str, package: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains(&format!("`{package}`")) && l.contains("generated"))
        .find_map(|l| l.split("generated ").nth(1)?.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
