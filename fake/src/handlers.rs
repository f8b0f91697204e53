//! One handler per operation.

use crate::query::{
    metadata, object_body, one_of, optional_non_null_str, optional_object, optional_str, required_str, Query,
};
use crate::store::{page, Directory, DirectoryFile, Index, Store};
use crate::{ApiError, App};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Map, Value};
use std::sync::{Arc, MutexGuard};

type Result<T> = std::result::Result<T, ApiError>;

const DIRECTORY_FILTER_TYPES: &[&str] = &["ephemeral", "index", "user"];

fn lock(app: &App) -> MutexGuard<'_, Store> {
    app.store.lock().unwrap_or_else(|e| e.into_inner())
}

fn project(q: &Query) -> String {
    q.get("project_id").filter(|p| !p.is_empty()).unwrap_or("proj-local").to_string()
}

fn ok(value: impl serde::Serialize) -> Response {
    Json(serde_json::to_value(value).unwrap_or(Value::Null)).into_response()
}

/// Runs a create once per operation and `Idempotency-Key`: a retry with the same key gets the
/// first answer.
fn once(
    app: &App,
    operation: &str,
    headers: &HeaderMap,
    create: impl FnOnce(&mut Store) -> Result<Value>,
) -> Response {
    let key =
        headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|k| format!("{operation} {k}"));
    let mut store = lock(app);
    if let Some((status, body)) = key.as_ref().and_then(|k| store.idempotent.get(k)).cloned() {
        return (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), Json(body)).into_response();
    }
    match create(&mut store) {
        Ok(body) => {
            if let Some(k) = key {
                store.idempotent.insert(k, (200, body.clone()));
            }
            Json(body).into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn live_directory<'s>(store: &'s Store, id: &str) -> Result<&'s Directory> {
    store
        .directories
        .get(id)
        .filter(|d| d.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("Directory", id))
}

// ---- indexes ----

pub async fn create_index(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let body = match object_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    once(&app, "createIndex", &headers, |store| {
        let source = required_str(&body, "source_directory_id", 1)?;
        let name = optional_str(&body, "name")?;
        let description = optional_str(&body, "description")?;
        one_of(
            optional_str(&body, "sync_frequency")?,
            &["manual", "daily", "on_source_change"],
            &["body", "sync_frequency"],
        )?;
        one_of(optional_str(&body, "vector_target")?, &["DEFAULT", "DISABLED"], &["body", "vector_target"])?;
        if let Some(products) = body.get("products").filter(|p| !p.is_null()) {
            let list = products.as_array().ok_or_else(|| {
                ApiError::invalid(&["body", "products"], "Input should be a valid list", "list_type")
            })?;
            for (i, p) in list.iter().enumerate() {
                let obj = p.as_object().cloned().unwrap_or_default();
                let idx = i.to_string();
                if obj.get("product_config_id").and_then(Value::as_str).is_none() {
                    return Err(ApiError::invalid(
                        &["body", "products", &idx, "product_config_id"],
                        "Field required",
                        "missing",
                    ));
                }
                let kind = obj.get("product_type").and_then(Value::as_str).map(str::to_string);
                if kind.is_none() {
                    return Err(ApiError::invalid(
                        &["body", "products", &idx, "product_type"],
                        "Field required",
                        "missing",
                    ));
                }
                one_of(kind, &["parse", "extract"], &["body", "products", &idx, "product_type"])?;
            }
        }
        if let Some(items) = body.get("store_attachments").filter(|p| !p.is_null()) {
            let list = items.as_array().ok_or_else(|| {
                ApiError::invalid(&["body", "store_attachments"], "Input should be a valid list", "list_type")
            })?;
            for (i, item) in list.iter().enumerate() {
                let value = item.as_str().map(str::to_string).unwrap_or_default();
                one_of(
                    Some(value),
                    &["screenshots", "items"],
                    &["body", "store_attachments", &i.to_string()],
                )?;
            }
        }
        let dir_name = live_directory(store, &source)?.name.clone();
        let now = Utc::now();
        let index = Index {
            id: store.next_id("idx"),
            name: name.unwrap_or(dir_name),
            project_id: project(&q),
            source_directory_id: source,
            export_config_id: store.next_id("exp"),
            sync_config_id: store.next_id("syn"),
            description,
            metadata: Map::from_iter([("build_state".to_string(), json!("created"))]),
            created_at: now,
            updated_at: now,
            last_synced_at: None,
            last_exported_at: None,
            sync_until: None,
            sync_in_progress: None,
        };
        store.indexes.insert(index.id.clone(), index.clone());
        Ok(serde_json::to_value(index).unwrap_or(Value::Null))
    })
}

pub async fn list_indexes(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Result<Response> {
    let q = Query::parse(q.as_deref());
    let size = q.page_size()?;
    let store = lock(&app);
    let items: Vec<&Index> = store
        .indexes
        .values()
        .filter(|i| q.get("source_directory_id").is_none_or(|s| i.source_directory_id == s))
        .filter(|i| q.get("project_id").is_none_or(|p| i.project_id == p))
        .collect();
    let body = page(items, size, q.get("page_token"));
    Ok(ok(body))
}

pub async fn get_index(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response> {
    let q = Query::parse(q.as_deref());
    for e in q.expand() {
        one_of(Some(e.to_string()), &["sync_in_progress"], &["query", "expand", "0"])?;
    }
    let store = lock(&app);
    let mut index = store.indexes.get(&id).cloned().ok_or_else(|| ApiError::not_found("Index", &id))?;
    if q.expand().contains(&"sync_in_progress") {
        index.sync_in_progress = Some(index.syncing(Utc::now()));
    }
    Ok(ok(index))
}

pub async fn delete_index(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<StatusCode> {
    let mut store = lock(&app);
    store.indexes.remove(&id).ok_or_else(|| ApiError::not_found("Index", &id))?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn sync_index(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response> {
    let mut store = lock(&app);
    let duration = chrono::Duration::from_std(store.sync_duration).unwrap_or_default();
    let index = store.indexes.get_mut(&id).ok_or_else(|| ApiError::not_found("Index", &id))?;
    let now = Utc::now();
    index.sync_until = Some(now + duration);
    index.last_synced_at = Some(now);
    index.last_exported_at = Some(now);
    index.updated_at = now;
    index.metadata.insert("build_state".into(), json!("syncing"));
    Ok(ok(json!({ "index_id": id, "status": "sync_started" })))
}

pub async fn cancel_sync(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response> {
    let mut store = lock(&app);
    let index = store.indexes.get_mut(&id).ok_or_else(|| ApiError::not_found("Index", &id))?;
    if !index.syncing(Utc::now()) {
        return Err(ApiError::new(StatusCode::CONFLICT, "No sync is running for this index"));
    }
    index.sync_until = None;
    index.metadata.insert("build_state".into(), json!("cancelled"));
    Ok(ok(json!({ "index_id": id, "status": "cancelled" })))
}

// ---- directories ----

pub async fn create_directory(
    State(app): State<Arc<App>>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let q = Query::parse(q.as_deref());
    let body = match object_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    once(&app, "createDirectory", &headers, |store| {
        let name = required_str(&body, "name", 1)?;
        let kind = one_of(optional_non_null_str(&body, "type")?, &["ephemeral", "user"], &["body", "type"])?;
        let now = Utc::now();
        let dir = Directory {
            id: store.next_id("dir"),
            name,
            project_id: project(&q),
            description: optional_str(&body, "description")?,
            connector_subscription_id: optional_str(&body, "connector_subscription_id")?,
            kind: kind.unwrap_or_else(|| "user".into()),
            system_metadata: optional_object(&body, "system_metadata")?.unwrap_or_default(),
            created_at: now,
            updated_at: now,
            deleted_at: None,
            expires_at: None,
        };
        store.directories.insert(dir.id.clone(), dir.clone());
        Ok(serde_json::to_value(dir).unwrap_or(Value::Null))
    })
}

pub async fn list_directories(State(app): State<Arc<App>>, RawQuery(q): RawQuery) -> Result<Response> {
    let q = Query::parse(q.as_deref());
    let size = q.page_size()?;
    let include_deleted = q.bool("include_deleted")?;
    let mut types: Vec<&str> = q.all("types");
    for (i, t) in types.iter().enumerate() {
        one_of(Some(t.to_string()), DIRECTORY_FILTER_TYPES, &["query", "types", &i.to_string()])?;
    }
    if let Some(t) = q.get("type") {
        one_of(Some(t.to_string()), DIRECTORY_FILTER_TYPES, &["query", "type"])?;
        types.push(t);
    }
    let store = lock(&app);
    let items: Vec<&Directory> = store
        .directories
        .values()
        .filter(|d| include_deleted || d.deleted_at.is_none())
        .filter(|d| q.get("name").is_none_or(|n| d.name == n))
        .filter(|d| types.is_empty() || types.contains(&d.kind.as_str()))
        .filter(|d| q.get("project_id").is_none_or(|p| d.project_id == p))
        .collect();
    let body = page(items, size, q.get("page_token"));
    Ok(ok(body))
}

pub async fn get_directory(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response> {
    let store = lock(&app);
    Ok(ok(live_directory(&store, &id)?))
}

pub async fn update_directory(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let body = object_body(&body)?;
    // Absent leaves the name; `null` is not a name (the spec doesn't allow it).
    let name = match body.get("name") {
        Some(_) => Some(required_str(&body, "name", 1)?),
        None => None,
    };
    let description = optional_str(&body, "description")?;
    let mut store = lock(&app);
    live_directory(&store, &id)?;
    let dir = store.directories.get_mut(&id).ok_or_else(|| ApiError::not_found("Directory", &id))?;
    if let Some(n) = name {
        dir.name = n;
    }
    if let Some(d) = description {
        dir.description = Some(d);
    }
    dir.updated_at = Utc::now();
    Ok(ok(dir.clone()))
}

pub async fn delete_directory(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<StatusCode> {
    let mut store = lock(&app);
    live_directory(&store, &id)?;
    let now = Utc::now();
    if let Some(d) = store.directories.get_mut(&id) {
        d.deleted_at = Some(now);
        d.updated_at = now;
    }
    for f in store.files.values_mut().filter(|f| f.directory_id == id && f.deleted_at.is_none()) {
        f.deleted_at = Some(now);
    }
    Ok(StatusCode::NO_CONTENT)
}

// ---- directory files ----

fn new_file(
    store: &mut Store,
    directory_id: &str,
    display_name: String,
    unique_id: Option<String>,
    file_id: Option<String>,
    metadata: Map<String, Value>,
) -> Result<DirectoryFile> {
    let project_id = live_directory(store, directory_id)?.project_id.clone();
    let id = store.next_id("dfl");
    let unique_id = unique_id.unwrap_or_else(|| id.clone());
    if store
        .files
        .values()
        .any(|f| f.directory_id == directory_id && f.unique_id == unique_id && f.deleted_at.is_none())
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            &format!("a file with unique_id {unique_id:?} already exists in this directory"),
        ));
    }
    let now = Utc::now();
    let file = DirectoryFile {
        id,
        directory_id: directory_id.to_string(),
        display_name,
        project_id,
        unique_id,
        file_id,
        metadata,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        download_url: None,
    };
    store.files.insert(file.id.clone(), file.clone());
    Ok(file)
}

pub async fn add_file(
    State(app): State<Arc<App>>,
    Path(dir): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match object_body(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    once(&app, "addDirectoryFile", &headers, |store| {
        let file_id = required_str(&body, "file_id", 1)?;
        let display = optional_str(&body, "display_name")?.unwrap_or_else(|| file_id.clone());
        let metadata = metadata(&body, "metadata")?.unwrap_or_default();
        let unique = optional_str(&body, "unique_id")?;
        let f = new_file(store, &dir, display, unique, Some(file_id), metadata)?;
        Ok(serde_json::to_value(f).unwrap_or(Value::Null))
    })
}

pub async fn upload_file(
    State(app): State<Arc<App>>,
    Path(dir): Path<String>,
    headers: HeaderMap,
    form: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(mut form) = form else {
        return ApiError::invalid(&["body", "upload_file"], "Field required", "missing").into_response();
    };
    let mut upload: Option<Option<String>> = None;
    let mut fields: Map<String, Value> = Map::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                match field.bytes().await {
                    Ok(_) if name == "upload_file" => upload = Some(file_name),
                    Ok(bytes) => {
                        fields.insert(name, Value::String(String::from_utf8_lossy(&bytes).into_owned()));
                    }
                    Err(_) => {
                        return ApiError::invalid(&["body"], "Invalid multipart body", "value_error")
                            .into_response()
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                return ApiError::invalid(&["body"], "Invalid multipart body", "value_error").into_response()
            }
        }
    }
    let Some(file_name) = upload else {
        return ApiError::invalid(&["body", "upload_file"], "Field required", "missing").into_response();
    };
    // The part is JSON (the spec's encoding); its object is checked as a JSON body's would be.
    let metadata = match fields.get("metadata").and_then(Value::as_str) {
        None => Map::new(),
        Some(text) => {
            let parsed = serde_json::from_str::<Value>(text).unwrap_or(Value::String(text.to_string()));
            match metadata(&Map::from_iter([("metadata".to_string(), parsed)]), "metadata") {
                Ok(m) => m.unwrap_or_default(),
                Err(e) => return e.into_response(),
            }
        }
    };
    let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);
    once(&app, "uploadDirectoryFile", &headers, |store| {
        let display = text("display_name").or(file_name.clone()).unwrap_or_else(|| "upload".into());
        let unique = text("unique_id").or_else(|| text("external_file_id"));
        let file_id = store.next_id("file");
        let f = new_file(store, &dir, display, unique, Some(file_id), metadata)?;
        Ok(serde_json::to_value(f).unwrap_or(Value::Null))
    })
}

fn with_expand(app: &App, mut f: DirectoryFile, q: &Query) -> DirectoryFile {
    if q.expand().contains(&"download_url") {
        let expires = Utc::now() + chrono::Duration::hours(1);
        f.download_url = Some(json!({
            "url": format!("{}/downloads/{}", app.base_url, f.id),
            "expires_at": expires,
            "form_fields": {}
        }));
    }
    f
}

pub async fn list_files(
    State(app): State<Arc<App>>,
    Path(dir): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response> {
    let q = Query::parse(q.as_deref());
    let size = q.page_size()?;
    let include_deleted = q.bool("include_deleted")?;
    let after = q.datetime("updated_at_on_or_after")?;
    let before = q.datetime("updated_at_on_or_before")?;
    let contains = q.get("display_name_contains").map(str::to_lowercase);
    let store = lock(&app);
    live_directory(&store, &dir)?;
    let items: Vec<DirectoryFile> = store
        .files
        .values()
        .filter(|f| f.directory_id == dir)
        .filter(|f| include_deleted || f.deleted_at.is_none())
        .filter(|f| q.get("display_name").is_none_or(|n| f.display_name == n))
        .filter(|f| contains.as_ref().is_none_or(|c| f.display_name.to_lowercase().contains(c.as_str())))
        .filter(|f| q.get("file_id").is_none_or(|id| f.file_id.as_deref() == Some(id)))
        .filter(|f| q.get("unique_id").is_none_or(|u| f.unique_id == u))
        .filter(|f| after.is_none_or(|a| f.updated_at >= a))
        .filter(|f| before.is_none_or(|b| f.updated_at <= b))
        .map(|f| with_expand(&app, f.clone(), &q))
        .collect();
    let body = page(items, size, q.get("page_token"));
    Ok(ok(body))
}

fn live_file(store: &Store, dir: &str, id: &str) -> Result<DirectoryFile> {
    live_directory(store, dir)?;
    store
        .files
        .get(id)
        .filter(|f| f.directory_id == dir && f.deleted_at.is_none())
        .cloned()
        .ok_or_else(|| ApiError::not_found("Directory file", id))
}

pub async fn get_file(
    State(app): State<Arc<App>>,
    Path((dir, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response> {
    let q = Query::parse(q.as_deref());
    let store = lock(&app);
    let f = live_file(&store, &dir, &id)?;
    Ok(ok(with_expand(&app, f, &q)))
}

pub async fn update_file(
    State(app): State<Arc<App>>,
    Path((dir, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response> {
    let body = object_body(&body)?;
    let display = optional_str(&body, "display_name")?;
    let unique = optional_str(&body, "unique_id")?;
    let target = optional_str(&body, "target_directory_id")?;
    let metadata = metadata(&body, "metadata")?;
    let mut store = lock(&app);
    let current = live_file(&store, &dir, &id)?;
    if let Some(t) = &target {
        live_directory(&store, t)?;
    }
    let (to_dir, to_unique) =
        (target.as_deref().unwrap_or(&dir), unique.as_deref().unwrap_or(&current.unique_id));
    let clash = store.files.values().any(|f| {
        f.id != id && f.deleted_at.is_none() && f.directory_id == to_dir && f.unique_id == to_unique
    });
    if clash {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            &format!("a file with unique_id {to_unique:?} already exists in that directory"),
        ));
    }
    let f = store.files.get_mut(&id).ok_or_else(|| ApiError::not_found("Directory file", &id))?;
    if let Some(d) = display {
        f.display_name = d;
    }
    if let Some(u) = unique {
        f.unique_id = u;
    }
    if let Some(m) = metadata {
        f.metadata = m;
    }
    if let Some(t) = target {
        f.directory_id = t;
    }
    f.updated_at = Utc::now();
    Ok(ok(f.clone()))
}

pub async fn delete_file(
    State(app): State<Arc<App>>,
    Path((dir, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut store = lock(&app);
    live_file(&store, &dir, &id)?;
    if let Some(f) = store.files.get_mut(&id) {
        f.deleted_at = Some(Utc::now());
    }
    Ok(StatusCode::NO_CONTENT)
}
