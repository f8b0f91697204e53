//! The generator's command line: `generate`, `check`, `diff`.

use ferrospec_codegen::Config;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  ferrospec-codegen generate SPEC [-o FILE.rs] [--runtime-crate PATH]
      write the client module for SPEC to FILE.rs (stdout without -o)
  ferrospec-codegen generate SPEC --crate DIR [--name NAME] [--runtime-version VERSION]
      write a complete client crate (Cargo.toml, src/lib.rs, README.md) into DIR; it depends on
      the runtime crate by a path relative to DIR unless --runtime-version names a published
      version. tests/examples.rs round-trips each JSON example of the document through its
      type (`cargo test --test examples`)
  ferrospec-codegen check SPEC FILE.rs [--runtime-crate PATH]
      exit 1 with a diff when FILE.rs is not what SPEC generates now
  ferrospec-codegen slice UPSTREAM --operation ID... [--tag TAG...] [-o OUT.yaml|OUT.json]
      a self-contained document with only those operations (by operationId, or every
      operation with one of the tags) and every component they reach, in UPSTREAM's OpenAPI
      version and key order (stdout as YAML without -o)
  ferrospec-codegen diff OLD_SPEC NEW_SPEC [--json] [--fail-on-breaking]
      what changed in the generated Rust API, each change marked breaking or compatible
      (Markdown, or JSON with --json); --fail-on-breaking exits 1 when anything breaks

what to read (generate, check, diff):
  --overlay FILE              an OpenAPI Overlay 1.0 document applied before reading SPEC
                              (repeatable; applied in order)
  --operation ID... / --tag TAG...
                              generate only these operations (or those with these tags) and
                              the types they reach, as slice would cut the document

output (generate, check):
  --keep-undeclared           objects that don't say additionalProperties keep the properties
                              they don't declare (a map in each struct), losing nothing
  --map-type PATH             the map type of objects with additionalProperties, written
                              PATH<String, V> (e.g. indexmap::IndexMap); BTreeMap by default
  --types-only                only the models (every type, both serde directions), no client;
                              not with --crate

attributes (generate, check; repeatable):
  --type-attribute TYPE=ATTR  add ATTR (e.g. '#[derive(Hash)]') to the generated type TYPE
                              (`*` for every struct and enum)
  --field-attribute TYPE.FIELD=ATTR
                              add ATTR to that field of the generated struct (`*.FIELD` for all)

placement (generate, check; repeatable), as x-sdk-resource and x-sdk-method would say:
  --resource OPERATION_ID=PATH
                              the operation's resource (e.g. beta.directories.files)
  --method-name OPERATION_ID=NAME
                              the operation's method name, kept as written

  --pagination TOKEN_PARAM,ITEMS,NEXT_TOKEN
                              also a page shape: the query parameter the token goes in, and
                              the page's list and next-token fields (e.g. cursor,data,next_cursor)

renames (generate, check; repeatable):
  --rename-type TYPE=NEW      the generated type TYPE is named NEW; attributes name it NEW
  --rename-field TYPE.FIELD=NEW
                              that field (by Rust or wire name) and its setter are named NEW

type overrides (generate, check, diff; repeatable):
  --format-type FORMAT=TYPE   every schema with this format is the Rust type TYPE
                              (e.g. --format-type uuid=uuid::Uuid)
  --schema-type SCHEMA=TYPE   this schema (a component name or a #/ JSON pointer) is TYPE, and
                              no type is generated for it (e.g. --schema-type Money=crate::Money)

exit codes: 0 success, 1 a problem with the document or stale output, 2 bad usage";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

struct Usage(String);

fn run(args: &[String]) -> Result<ExitCode, Usage> {
    let mut positional = Vec::new();
    let mut out: Option<PathBuf> = None;
    let mut crate_dir: Option<PathBuf> = None;
    let mut json = false;
    let mut types_only = false;
    let mut fail_on_breaking = false;
    let mut crate_name: Option<String> = None;
    let mut runtime = ferrospec_codegen::krate::RuntimeDep::default();
    let mut config = Config::new();
    let mut selection = ferrospec_codegen::slice::Selection::default();
    let mut overlays: Vec<PathBuf> = Vec::new();
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        // A setting `Config` can't use (a type that isn't Rust, an attribute that isn't one) is
        // this option's usage error.
        let refused = config.argument_errors().len();
        match a.as_str() {
            // One or more values each: `--operation a b c`, `--operation a,b`, or repeated.
            "--operation" | "--tag" => {
                let mut values = Vec::new();
                while let Some(v) = it.next_if(|v| !v.starts_with('-')) {
                    values.extend(v.split(',').filter(|s| !s.is_empty()).map(str::to_string));
                }
                if values.is_empty() {
                    return Err(Usage(format!("{a} needs at least one value")));
                }
                if a == "--operation" {
                    selection.operations.extend(values);
                } else {
                    selection.tags.extend(values);
                }
            }
            "--overlay" => {
                let file = it.next().ok_or_else(|| Usage(format!("{a} needs a file")))?;
                overlays.push(PathBuf::from(file));
            }
            "-o" | "--output" => {
                out = Some(it.next().ok_or_else(|| Usage(format!("{a} needs a file")))?.into())
            }
            "--crate" => {
                crate_dir = Some(it.next().ok_or_else(|| Usage(format!("{a} needs a directory")))?.into())
            }
            "--name" => {
                let name = it.next().ok_or_else(|| Usage(format!("{a} needs a name")))?;
                ferrospec_codegen::krate::check_name(name).map_err(Usage)?;
                crate_name = Some(name.clone())
            }
            "--runtime-version" => {
                let v = it.next().ok_or_else(|| Usage(format!("{a} needs a version")))?;
                runtime = ferrospec_codegen::krate::RuntimeDep::Version(v.clone());
            }
            "--runtime-crate" => {
                config.runtime_crate(it.next().ok_or_else(|| Usage(format!("{a} needs a path")))?.clone());
            }
            // `KEY=VALUE` settings, each a `Config` method.
            "--format-type" | "--schema-type" | "--type-attribute" | "--field-attribute"
            | "--rename-type" | "--rename-field" | "--resource" | "--method-name" => {
                let form = match a.as_str() {
                    "--format-type" | "--schema-type" => "KEY=RUST_TYPE",
                    "--type-attribute" | "--field-attribute" => "NAME=ATTRIBUTE",
                    "--rename-type" | "--rename-field" => "NAME=NEW_NAME",
                    _ => "OPERATION_ID=VALUE",
                };
                let pair = it.next().ok_or_else(|| Usage(format!("{a} needs {form}")))?;
                let (key, value) = match pair.split_once('=') {
                    Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => (k.trim(), v.trim()),
                    _ => return Err(Usage(format!("{a}: `{pair}` is not {form}"))),
                };
                match a.as_str() {
                    "--format-type" => config.format_type(key, value),
                    "--schema-type" => config.schema_type(key, value),
                    "--type-attribute" => config.type_attribute(key, value),
                    "--field-attribute" => config.field_attribute(key, value),
                    "--rename-type" => config.rename_type(key, value),
                    "--rename-field" => config.rename_field(key, value),
                    "--resource" => config.resource(key, value),
                    _ => config.method_name(key, value),
                };
            }
            "--pagination" => {
                let shape =
                    it.next().ok_or_else(|| Usage(format!("{a} needs TOKEN_PARAM,ITEMS,NEXT_TOKEN")))?;
                let parts: Vec<&str> = shape.split(',').map(str::trim).collect();
                let [token, items, next] = parts[..] else {
                    return Err(Usage(format!("{a}: `{shape}` is not TOKEN_PARAM,ITEMS,NEXT_TOKEN")));
                };
                if parts.iter().any(|p| p.is_empty()) {
                    return Err(Usage(format!("{a}: `{shape}` has an empty name")));
                }
                config.pagination(token, items, next);
            }
            "--map-type" => {
                config.map_type(it.next().ok_or_else(|| Usage(format!("{a} needs a path")))?);
            }
            "--keep-undeclared" => {
                config.keep_undeclared(true);
            }
            "--types-only" => {
                types_only = true;
                config.types_only(true);
            }
            "--json" => json = true,
            "--fail-on-breaking" => fail_on_breaking = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            s if s.starts_with('-') => return Err(Usage(format!("unknown option `{s}`"))),
            _ => positional.push(a.clone()),
        }
        if let Some(e) = config.argument_errors().get(refused) {
            return Err(Usage(format!("{a}: {e}")));
        }
    }
    if positional.first().is_some_and(|c| c != "slice") {
        config.operations(selection.operations.iter().cloned()).tags(selection.tags.iter().cloned());
        #[cfg(feature = "overlay")]
        for overlay in &overlays {
            config.overlay(overlay);
        }
        #[cfg(not(feature = "overlay"))]
        if !overlays.is_empty() {
            return Err(Usage("--overlay needs the generator's `overlay` feature".into()));
        }
    } else if !overlays.is_empty() {
        return Err(Usage("--overlay applies to generate, check and diff".into()));
    }
    match positional.split_first() {
        Some((cmd, rest)) if cmd == "generate" => {
            let [spec] = rest else {
                return Err(Usage("generate takes one SPEC".into()));
            };
            match crate_dir {
                Some(_) if types_only => {
                    Err(Usage("--types-only writes a module, not a crate: use -o FILE.rs".into()))
                }
                Some(dir) if out.is_none() => {
                    Ok(generate_crate(&config, spec, &dir, crate_name.as_deref(), &runtime))
                }
                Some(_) => Err(Usage("give either -o FILE.rs or --crate DIR, not both".into())),
                None => Ok(generate(&config, spec, out)),
            }
        }
        Some((cmd, rest)) if cmd == "check" => {
            let [spec, file] = rest else {
                return Err(Usage("check takes SPEC and FILE.rs".into()));
            };
            Ok(check(&config, spec, file))
        }
        Some((cmd, rest)) if cmd == "slice" => {
            let [upstream] = rest else {
                return Err(Usage("slice takes one UPSTREAM document (put it before --operation)".into()));
            };
            Ok(slice(upstream, &selection, out))
        }
        Some((cmd, rest)) if cmd == "diff" => {
            let [old, new] = rest else {
                return Err(Usage("diff takes OLD_SPEC and NEW_SPEC".into()));
            };
            Ok(diff(&config, old, new, json, fail_on_breaking))
        }
        Some((cmd, _)) => Err(Usage(format!("unknown command `{cmd}`"))),
        None => Err(Usage("no command given".into())),
    }
}

fn print_warnings(spec: &str, g: &ferrospec_codegen::Generated) {
    for w in &g.warnings.items {
        eprintln!("{spec}: {w}");
    }
}

fn generate_crate(
    config: &Config,
    spec: &str,
    dir: &std::path::Path,
    name: Option<&str>,
    runtime: &ferrospec_codegen::krate::RuntimeDep,
) -> ExitCode {
    match config.generate_crate(spec, dir, name, runtime) {
        Ok(g) => {
            print_warnings(spec, &g);
            eprintln!("wrote the crate in {}", dir.display());
            if let Some(summary) = g.examples {
                eprintln!("tests/examples.rs: {summary}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(1)
        }
    }
}

fn generate(config: &Config, spec: &str, out: Option<PathBuf>) -> ExitCode {
    match config.generate(spec) {
        Ok(g) => {
            print_warnings(spec, &g);
            match out {
                Some(path) => {
                    if let Err(e) = ferrospec_codegen::write_if_changed(&path, &g.code) {
                        eprintln!("error: cannot write {}: {e}", path.display());
                        return ExitCode::from(1);
                    }
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{}", g.code),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(1)
        }
    }
}

fn check(config: &Config, spec: &str, file: &str) -> ExitCode {
    let generated = match config.generate(spec) {
        Ok(g) => g.code,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(1);
        }
    };
    let current = std::fs::read_to_string(file).unwrap_or_default();
    if current == generated {
        eprintln!("{file} is up to date with {spec}");
        return ExitCode::SUCCESS;
    }
    eprintln!("{file} is stale: it differs from what {spec} generates now.");
    eprintln!("Regenerate with: cargo run --release --manifest-path codegen/Cargo.toml -- generate {spec} -o {file}\n");
    print!("{}", ferrospec_codegen::diff::unified(&current, &generated, file));
    ExitCode::from(1)
}

fn slice(upstream: &str, selection: &ferrospec_codegen::slice::Selection, out: Option<PathBuf>) -> ExitCode {
    use ferrospec_codegen::Format;
    let format = out.as_deref().map(Format::from_path).unwrap_or(Format::Yaml);
    let text = match ferrospec_codegen::slice::slice_file(std::path::Path::new(upstream), selection, format) {
        Ok(text) => text,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(1);
        }
    };
    match out {
        Some(path) => {
            if let Err(e) = ferrospec_codegen::write_if_changed(&path, &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(1);
            }
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    ExitCode::SUCCESS
}

fn diff(config: &Config, old: &str, new: &str, json: bool, fail_on_breaking: bool) -> ExitCode {
    let lowered = config.lower(old).and_then(|(o, _)| config.lower(new).map(|(n, _)| (o, n)));
    let (old_api, new_api) = match lowered {
        Ok(pair) => pair,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(1);
        }
    };
    let report = ferrospec_codegen::apidiff::compare(&old_api, &new_api);
    if json {
        println!("{}", report.json());
    } else {
        print!("{}", report.markdown());
    }
    if fail_on_breaking && report.breaking() > 0 {
        eprintln!("{} breaking change(s)", report.breaking());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
