//! The quickstart example as a user runs it: against the fake it completes, and a failure is
//! printed as a sentence on stderr with exit code 1, never as `Debug` output.

use std::path::PathBuf;
use std::process::Command;

/// `cargo test` builds the examples next to the test binaries (target/<profile>/examples).
fn quickstart() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let path = profile_dir.join("examples").join(format!("quickstart{}", std::env::consts::EXE_SUFFIX));
    path.exists().then_some(path)
}

#[test]
fn the_quickstart_reports_a_failure_as_a_sentence() {
    let Some(exe) = quickstart() else {
        eprintln!("skipped: the quickstart example is not built (run through `cargo test`)");
        return;
    };
    // A key makes it talk to the given server; nothing listens on port 1.
    let out = Command::new(exe)
        .env("LLAMA_CLOUD_API_KEY", "llx-secret-key")
        .env("LLAMA_CLOUD_BASE_URL", "http://127.0.0.1:1")
        .output()
        .expect("the quickstart runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: connection failed"), "{stderr}");
    assert!(!stderr.contains("Connection {") && !stderr.contains("source:"), "Debug output: {stderr}");
    assert!(!stderr.contains("llx-secret-key"), "the key leaked: {stderr}");
}

#[test]
fn the_quickstart_completes_against_the_fake() {
    let Some(exe) = quickstart() else {
        eprintln!("skipped: the quickstart example is not built (run through `cargo test`)");
        return;
    };
    let out = Command::new(exe).env_remove("LLAMA_CLOUD_API_KEY").output().expect("the quickstart runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("started a local fake LlamaCloud"), "{stdout}");
}
