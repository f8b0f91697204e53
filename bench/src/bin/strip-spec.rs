//! Writes a copy of an OpenAPI document that progenitor 0.15 accepts, leaving out (whole) each
//! operation that progenitor rejects, and prints which ones as Markdown with progenitor's error.
//!
//! usage: strip-spec SPEC OUT.json

use llama_cloud_bench::{cell, install_panic_hook, load_value, patch_nullable_unions, strip_for_progenitor};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    install_panic_hook();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        eprintln!("usage: strip-spec SPEC OUT.json");
        return ExitCode::from(2);
    };
    let mut doc = match load_value(Path::new(spec)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let patched = patch_nullable_unions(&mut doc);
    let (stripped, dropped) = match strip_for_progenitor(&doc) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let text = serde_json::to_string_pretty(&stripped).expect("serializable") + "\n";
    if let Err(e) = llama_cloud_bench::write_if_changed(Path::new(out), &text) {
        eprintln!("error: {out}: {e}");
        return ExitCode::FAILURE;
    }
    let name = Path::new(spec).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if dropped.is_empty() {
        println!("progenitor accepts {name} as it is.\n");
    } else {
        println!(
            "progenitor rejects {name}; the copy it is given leaves out {} operation(s) (each one alone fails in progenitor):\n",
            dropped.len()
        );
        for d in &dropped {
            let err = cell(&d.error, 300);
            println!("- `{}` ({} {}): `{}`", d.operation_id, d.method, d.path, err.replace('`', "'"));
        }
        println!();
    }
    if !patched.is_empty() {
        println!(
            "The copy also drops `nullable: true` from {} (nullable `oneOf` schemas, which progenitor \
             turns into code that does not compile: a newtype `struct X(Option<X>)` beside an `enum X`).\n",
            patched.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        );
    }
    ExitCode::SUCCESS
}
