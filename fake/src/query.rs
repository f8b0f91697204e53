//! Query strings and request bodies, checked the way FastAPI does: a bad value is a 422 with a
//! `detail` list naming where it was.

use crate::ApiError;
use serde_json::{Map, Value};

pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
        Query { pairs }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn bool(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some("true" | "1" | "True") => Ok(true),
            Some("false" | "0" | "False") => Ok(false),
            Some(_) => {
                Err(ApiError::invalid(&["query", name], "Input should be a valid boolean", "bool_parsing"))
            }
        }
    }

    pub fn page_size(&self) -> Result<usize, ApiError> {
        match self.get("page_size") {
            None => Ok(50),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => Ok(n),
                Ok(0) => Err(ApiError::invalid(
                    &["query", "page_size"],
                    "Input should be greater than or equal to 1",
                    "greater_than_equal",
                )),
                Ok(_) => Err(ApiError::invalid(
                    &["query", "page_size"],
                    "Input should be less than or equal to 1000",
                    "less_than_equal",
                )),
                Err(_) => Err(ApiError::invalid(
                    &["query", "page_size"],
                    "Input should be a valid integer, unable to parse string as an integer",
                    "int_parsing",
                )),
            },
        }
    }

    pub fn datetime(&self, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        self.get(name)
            .map(|v| {
                chrono::DateTime::parse_from_rfc3339(v).map(|d| d.with_timezone(&chrono::Utc)).map_err(|_| {
                    ApiError::invalid(
                        &["query", name],
                        "Input should be a valid datetime",
                        "datetime_parsing",
                    )
                })
            })
            .transpose()
    }

    pub fn expand(&self) -> Vec<&str> {
        self.all("expand").into_iter().flat_map(|v| v.split(',')).collect()
    }
}

/// A JSON object body, or a 422 that says why not.
pub fn object_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(ApiError::invalid(&["body"], "Input should be a valid dictionary", "dict_type")),
        Err(_) => Err(ApiError::invalid(&["body"], "JSON decode error", "json_invalid")),
    }
}

pub fn required_str(body: &Map<String, Value>, field: &str, min_len: usize) -> Result<String, ApiError> {
    match body.get(field) {
        None => Err(ApiError::invalid(&["body", field], "Field required", "missing")),
        Some(v) => {
            let s = as_str(v, field)?;
            if s.chars().count() < min_len {
                return Err(ApiError::invalid(
                    &["body", field],
                    &format!("String should have at least {min_len} character"),
                    "string_too_short",
                ));
            }
            Ok(s)
        }
    }
}

pub fn optional_str(body: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => as_str(v, field).map(Some),
    }
}

/// A field the spec allows to be absent but not `null`.
pub fn optional_non_null_str(body: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match body.get(field) {
        None => Ok(None),
        Some(v) => as_str(v, field).map(Some),
    }
}

/// User metadata: an object whose values are strings, numbers, booleans, lists of strings or
/// null (the spec's `DirectoryFileMetadataValue`).
pub fn metadata(body: &Map<String, Value>, field: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    let Some(m) = optional_object(body, field)? else { return Ok(None) };
    for (k, v) in &m {
        let fits = match v {
            Value::Array(items) => items.iter().all(Value::is_string),
            Value::Object(_) => false,
            _ => true,
        };
        if !fits {
            return Err(ApiError::invalid(
                &["body", field, k],
                "Input should be a string, a number, a boolean, a list of strings or null",
                "metadata_value",
            ));
        }
    }
    Ok(Some(m))
}

pub fn optional_object(
    body: &Map<String, Value>,
    field: &str,
) -> Result<Option<Map<String, Value>>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => {
            Err(ApiError::invalid(&["body", field], "Input should be a valid dictionary", "dict_type"))
        }
    }
}

pub fn one_of(value: Option<String>, allowed: &[&str], loc: &[&str]) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => {
            let list: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
            Err(ApiError::invalid(loc, &format!("Input should be {}", list.join(" or ")), "enum"))
        }
        other => Ok(other),
    }
}

fn as_str(v: &Value, field: &str) -> Result<String, ApiError> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid(&["body", field], "Input should be a valid string", "string_type"))
}
