//! Item 1: generation time (read + parse + lower + emit + format), ferrospec-codegen vs
//! progenitor 0.15 (builder style), N runs each, alternating, in whatever profile this binary
//! was built with (`cargo run --release` or the dev profile build scripts use).
//!
//! usage: generation [--runs N] [--spec LABEL=PATH]...   (default: the three documents)

use llama_cloud_bench::{cell, install_panic_hook, line_counts, progenitor_generate, summarize, thousands};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

struct Side {
    times_ms: Vec<f64>,
    error: Option<String>,
    lines: Option<usize>,
    note: Option<String>,
    warnings: Vec<String>,
}

impl Side {
    fn new() -> Self {
        Side { times_ms: Vec::new(), error: None, lines: None, note: None, warnings: Vec::new() }
    }
}

fn main() -> ExitCode {
    install_panic_hook();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut runs = 10usize;
    let mut specs: Vec<(String, PathBuf)> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => return usage("--runs needs a positive number"),
            },
            "--spec" => {
                match args.next().and_then(|v| v.split_once('=').map(|(l, p)| (l.to_string(), p.into()))) {
                    Some(s) => specs.push(s),
                    None => return usage("--spec needs LABEL=PATH"),
                }
            }
            "-h" | "--help" => return usage(""),
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    if specs.is_empty() {
        specs = vec![
            ("llama-cloud.yaml".into(), root.join("spec/llama-cloud.yaml")),
            ("nexus.json".into(), "/work/shared/corpus/progenitor/nexus.json".into()),
            ("api.github.com.json".into(), "/work/shared/corpus/progenitor/api.github.com.json".into()),
        ];
    }
    let profile = if cfg!(debug_assertions) { "dev" } else { "release" };

    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    for (label, path) in &specs {
        eprintln!("generation [{profile}]: {label}: {runs} run(s) of each generator ...");
        let bytes = std::fs::metadata(path).map(|m| m.len() as usize).unwrap_or(0);
        let mut ours = Side::new();
        let mut prog = Side::new();
        for _ in 0..runs {
            if ours.error.is_none() {
                let t = Instant::now();
                let r = ferrospec_codegen::Config::new().generate(path);
                let ms = t.elapsed().as_secs_f64() * 1e3;
                match r {
                    Ok(g) => {
                        ours.times_ms.push(ms);
                        ours.lines = Some(g.code.lines().count());
                        if !g.warnings.items.is_empty() {
                            ours.note = Some(format!("{} warning(s), listed below", g.warnings.items.len()));
                            ours.warnings = g.warnings.items.iter().map(|w| w.to_string()).collect();
                        }
                    }
                    Err(e) => ours.error = Some(e.to_string()),
                }
            }
            if prog.error.is_none() {
                let t = Instant::now();
                let r = progenitor_generate(path);
                let ms = t.elapsed().as_secs_f64() * 1e3;
                match r {
                    Ok((code, _)) => {
                        prog.times_ms.push(ms);
                        prog.lines = Some(line_counts(&code).0);
                    }
                    Err(e) => {
                        prog.note = Some(format!("failed after {ms:.0} ms"));
                        prog.error = Some(e);
                    }
                }
            }
        }
        let show = |s: &Side| match (&s.error, summarize(&s.times_ms)) {
            (Some(_), _) => format!("FAIL ({})", s.note.as_deref().unwrap_or("see below")),
            (None, Some(sum)) => sum.show(1),
            (None, None) => "–".into(),
        };
        let ratio = match (summarize(&ours.times_ms), summarize(&prog.times_ms), &ours.error, &prog.error) {
            (Some(o), Some(p), None, None) => format!("{:.2}", o.median / p.median),
            _ => "–".into(),
        };
        let lines = |s: &Side| s.lines.map(thousands).unwrap_or_else(|| "–".into());
        rows.push(format!(
            "| {label} | {} KB | {} | {} | {ratio} | {} / {} |{}",
            thousands(bytes / 1024),
            show(&ours),
            show(&prog),
            lines(&ours),
            lines(&prog),
            ours.note
                .as_ref()
                .filter(|_| ours.error.is_none())
                .map(|n| format!(" ours: {n} |"))
                .unwrap_or(" |".into())
        ));
        if !ours.warnings.is_empty() {
            notes.push(format!(
                "- ours on {label}: {}",
                ours.warnings.iter().map(|w| format!("`{}`", cell(w, 300))).collect::<Vec<_>>().join("; ")
            ));
        }
        if let Some(e) = &ours.error {
            failures.push(format!("- **ours** on {label}:\n\n```text\n{}\n```", clip(&one_line(e), 1500)));
        }
        if let Some(e) = &prog.error {
            failures
                .push(format!("- **progenitor** on {label}:\n\n```text\n{}\n```", clip(&one_line(e), 1500)));
        }
    }

    println!("### Generation time, {profile} profile ({runs} run(s) each; ms, median (min–max))\n");
    println!("| document | size | ours (ms) | progenitor (ms) | ours / progenitor | output lines ours / progenitor | notes |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for r in &rows {
        println!("{r}");
    }
    println!();
    if !notes.is_empty() {
        println!("Warnings:\n");
        for n in &notes {
            println!("{n}");
        }
        println!();
    }
    if !failures.is_empty() {
        println!("Failures (exact error text):\n");
        for f in &failures {
            println!("{f}");
        }
        println!();
    }
    ExitCode::SUCCESS
}

fn usage(msg: &str) -> ExitCode {
    if !msg.is_empty() {
        eprintln!("error: {msg}");
    }
    eprintln!("usage: generation [--runs N] [--spec LABEL=PATH]...");
    ExitCode::from(2)
}

/// Runs of whitespace (Debug output's indentation) as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `s`, saying how much was left out.
fn clip(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        s.to_string()
    } else {
        format!("{}… ({} more characters)", s.chars().take(max).collect::<String>(), n - max)
    }
}
