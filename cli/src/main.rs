//! `llama-cloud`: every operation of the API as a subcommand (`llama-cloud indexes create`,
//! `llama-cloud beta directories files upload DIR FILE`), generated from the OpenAPI document.

mod command;
mod invoke;
mod suggest;
mod table;

use ferrospec_runtime as rt;
use invoke::Failure;
use std::process::ExitCode;
use std::time::Duration;

fn client(m: &clap::ArgMatches) -> Result<rt::Client, Failure> {
    let mut b = rt::ClientBuilder::new().env_names(table::API_KEY_ENV, table::BASE_URL_ENV);
    if let Some(k) = m.get_one::<String>("api-key") {
        b = b.api_key(k);
    }
    match m.get_one::<String>("base-url").map(String::as_str).or(table::DEFAULT_BASE_URL) {
        Some(u) => b = b.base_url(u),
        None => {
            return Err(Failure::Usage(format!(
                "no base URL: pass --base-url or set {}",
                table::BASE_URL_ENV
            )))
        }
    }
    if let Some(n) = m.get_one::<u32>("max-retries") {
        b = b.max_retries(*n);
    }
    if let Some(t) = m.get_one::<f64>("timeout") {
        b = b
            .timeout(Duration::try_from_secs_f64(*t).map_err(|e| Failure::Usage(format!("--timeout: {e}")))?);
    }
    for d in table::CLIENT_DEFAULTS {
        if let Some(v) = m.get_one::<String>(d.flag) {
            b = b.default_query(d.name, v);
        }
    }
    b.build().map_err(|e| match e {
        rt::Error::Config(msg) if msg.starts_with("no API key") => {
            Failure::Usage(format!("no API key: pass --api-key or set {}", table::API_KEY_ENV))
        }
        other => Failure::from(other),
    })
}

/// Finds the operation for the chosen leaf subcommand, and that subcommand's matches.
fn chosen(m: &clap::ArgMatches) -> Option<(&'static table::CliOp, &clap::ArgMatches)> {
    let mut path: Vec<&str> = Vec::new();
    let mut current = m;
    while let Some((name, sub)) = current.subcommand() {
        path.push(name);
        current = sub;
    }
    let (command, resource) = path.split_last()?;
    let op = table::OPERATIONS.iter().find(|op| op.command == *command && op.resource == resource)?;
    Some((op, current))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Usage errors exit 2 (help and version 0), as `get_matches` would, with "did you mean".
    let matches = match command::root().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => suggest::add_to(e, &args).exit(),
    };
    let Some((op, leaf)) = chosen(&matches) else {
        eprintln!("error: no such command");
        return ExitCode::from(2);
    };
    let outcome = match client(&matches) {
        Ok(c) => invoke::run(&c, op, leaf, &rt::RequestOptions::default()).await,
        Err(f) => Err(f),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Api(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}
