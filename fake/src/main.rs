//! `llama-cloud-fake --addr 127.0.0.1:PORT [--api-key KEY] [--fail-rate F] [--latency-ms N]
//! [--sync-seconds N]`: serves the in-memory API until interrupted.

use llama_cloud_fake::{FakeConfig, FakeServer};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: llama-cloud-fake [--addr 127.0.0.1:PORT] [--api-key KEY] [--fail-rate 0.0-1.0] [--latency-ms N] [--sync-seconds N]";

fn parse(args: &[String]) -> Result<FakeConfig, String> {
    let mut c = FakeConfig::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--addr" => c.addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--api-key" => c.api_key = Some(value()?),
            "--fail-rate" => {
                c.fail_rate = value()?.parse().map_err(|e| format!("--fail-rate: {e}"))?;
                if !(0.0..=1.0).contains(&c.fail_rate) {
                    return Err("--fail-rate must be between 0 and 1".into());
                }
            }
            "--latency-ms" => {
                c.latency = Duration::from_millis(value()?.parse().map_err(|e| format!("--latency-ms: {e}"))?)
            }
            "--sync-seconds" => {
                c.sync_duration =
                    Duration::from_secs_f64(value()?.parse().map_err(|e| format!("--sync-seconds: {e}"))?)
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(c)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(c) => c,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = match FakeServer::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    println!("listening on {}", server.url());
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}
