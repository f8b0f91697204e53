//! Shared by the benchmark binaries: sample data and a small statistics helper.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// One index as the API sends it (every field set, as in the reference page's example).
pub fn index_json(i: usize) -> Value {
    json!({
        "id": format!("idx-{i:06}"),
        "export_config_id": format!("exp-{i:06}"),
        "name": format!("contracts index {i}"),
        "project_id": "proj-4b1c2d3e",
        "source_directory_id": format!("dir-{i:06}"),
        "sync_config_id": format!("syn-{i:06}"),
        "output_directory_id": format!("dir-out-{i:06}"),
        "created_at": "2019-12-27T18:11:19.117Z",
        "updated_at": "2019-12-27T18:11:19.117Z",
        "last_exported_at": "2019-12-27T18:11:19.117Z",
        "last_synced_at": "2019-12-27T18:11:19.117Z",
        "description": "Every contract the legal team signed in 2019",
        "metadata": {"build_state": "ready", "chunks": 1234, "parser": "v2"},
        "sync_in_progress": false
    })
}

pub fn index_page_json(n: usize) -> Vec<u8> {
    let items: Vec<Value> = (0..n).map(index_json).collect();
    serde_json::to_vec(&json!({"items": items, "next_page_token": "t-1", "total_size": n * 3})).unwrap()
}

/// Median, min and max of a set of samples.
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

pub fn stats(samples: &mut [f64]) -> Stats {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = samples.len();
    let median = if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 };
    Stats { median, min: samples[0], max: samples[n - 1] }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `--runs N` and `--quick` from the command line (cargo bench passes `--bench` too).
pub fn runs(default: usize) -> (usize, bool) {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let runs = args
        .windows(2)
        .find(|w| w[0] == "--runs")
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(if quick { 1 } else { default });
    (runs, quick)
}

/// A date-time read with chrono's strict `DateTime::parse_from_rfc3339`, where chrono's own
/// `Deserialize` goes through its lenient `FromStr`.
pub struct Rfc3339(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map(|t| Rfc3339(t.to_utc())).map_err(serde::de::Error::custom)
    }
}

/// The index as a careful person would write it by hand for serde (same field types). `T` is
/// the date-time type: chrono's, or [`Rfc3339`] to tell the parsers' share of a difference.
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub struct HandIndex<T = DateTime<Utc>> {
    pub id: String,
    pub export_config_id: String,
    pub name: String,
    pub project_id: String,
    pub source_directory_id: String,
    pub sync_config_id: String,
    #[serde(default)]
    pub output_directory_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<T>,
    #[serde(default)]
    pub updated_at: Option<T>,
    #[serde(default)]
    pub last_exported_at: Option<T>,
    #[serde(default)]
    pub last_synced_at: Option<T>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub sync_in_progress: Option<bool>,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub struct HandPage<T = DateTime<Utc>> {
    pub items: Vec<HandIndex<T>>,
    #[serde(default)]
    pub next_page_token: Option<String>,
    #[serde(default)]
    pub total_size: Option<i64>,
}

#[derive(Deserialize)]
pub struct HandDirectoryFile {
    pub id: String,
    pub directory_id: String,
    pub display_name: String,
    pub project_id: String,
    pub unique_id: String,
    #[serde(default)]
    pub file_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}
