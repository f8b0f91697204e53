//! The in-memory model: directories, their files, and indexes, with the API's semantics as far
//! as they are known (generated ids, timestamps, soft delete, stable paging order).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct Directory {
    pub id: String,
    pub name: String,
    pub project_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connector_subscription_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub system_metadata: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectoryFile {
    pub id: String,
    pub directory_id: String,
    pub display_name: String,
    pub project_id: String,
    pub unique_id: String,
    pub file_id: Option<String>,
    pub metadata: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download_url: Option<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub id: String,
    pub name: String,
    pub project_id: String,
    pub source_directory_id: String,
    pub export_config_id: String,
    pub sync_config_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub metadata: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub last_exported_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub sync_until: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_in_progress: Option<bool>,
}

impl Index {
    pub fn syncing(&self, now: DateTime<Utc>) -> bool {
        self.sync_until.is_some_and(|until| now < until)
    }
}

#[derive(Debug, Default)]
pub struct Store {
    counter: u64,
    pub directories: BTreeMap<String, Directory>,
    pub files: BTreeMap<String, DirectoryFile>,
    pub indexes: BTreeMap<String, Index>,
    /// Idempotency keys already answered: key → (status, body), so a retried create returns the
    /// first answer instead of creating twice.
    pub idempotent: BTreeMap<String, (u16, Value)>,
    pub sync_duration: Duration,
}

impl Store {
    pub fn new(sync_duration: Duration) -> Self {
        Store { sync_duration, ..Store::default() }
    }

    /// Ids sort in creation order, which is the order lists use.
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{:08}", self.counter)
    }
}

/// One page of `items` after the offset in `token`. The spec gives page tokens no form, so a
/// token this server never gave is accepted too: it reads as past the end (an empty last page).
pub fn page<T: Serialize>(items: Vec<T>, page_size: usize, token: Option<&str>) -> Value {
    let offset = match token.filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t.strip_prefix("offset-").and_then(|n| n.parse::<usize>().ok()).unwrap_or(usize::MAX),
    };
    let total = items.len();
    let end = offset.saturating_add(page_size).min(total);
    let slice: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(page_size)
        .map(|i| serde_json::to_value(i).unwrap_or(Value::Null))
        .collect();
    let next = (end < total).then(|| format!("offset-{end}"));
    serde_json::json!({ "items": slice, "next_page_token": next, "total_size": total })
}
