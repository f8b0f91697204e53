//! Media types as documents write them (`application/json; charset=utf-8`, `*/*`).

/// The type without its parameters, trimmed (`text/json; q=1` → `text/json`).
fn essence(ct: &str) -> &str {
    ct.split(';').next().unwrap_or(ct).trim()
}

/// JSON or a JSON-based type (`application/json`, `*+json`, `text/json`).
pub(crate) fn is_json(ct: &str) -> bool {
    let ct = essence(ct);
    ct == "application/json" || ct.ends_with("+json") || ct == "text/json"
}

/// `*/*` (springdoc's default): with a schema that isn't binary it means JSON.
pub(crate) fn is_any(ct: &str) -> bool {
    essence(ct) == "*/*"
}

/// Form fields (`application/x-www-form-urlencoded`).
pub(crate) fn is_form(ct: &str) -> bool {
    essence(ct).eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// How a sequential media type splits into items: server-sent events, JSON Lines (NDJSON) or
/// JSON text sequences (RFC 7464).
pub(crate) fn stream_format(ct: &str) -> Option<crate::ir::StreamFormat> {
    use crate::ir::StreamFormat::*;
    match essence(ct).to_ascii_lowercase().as_str() {
        "text/event-stream" => Some(Sse),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines"
        | "application/json-lines" => Some(JsonLines),
        "application/json-seq" => Some(JsonSeq),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_any() {
        assert!(is_json("application/json; charset=utf-8") && is_json("application/hal+json"));
        assert!(is_json(" text/json") && !is_json("application/jsonl") && !is_json("text/plain"));
        assert!(is_any("*/*;q=0.8") && !is_any("application/*"));
        assert!(
            is_form("application/x-www-form-urlencoded; charset=utf-8") && !is_form("multipart/form-data")
        );
    }

    #[test]
    fn sequential_types() {
        use crate::ir::StreamFormat::*;
        assert_eq!(stream_format("text/event-stream; charset=utf-8"), Some(Sse));
        assert_eq!(stream_format("application/x-ndjson"), Some(JsonLines));
        assert_eq!(stream_format("application/jsonl"), Some(JsonLines));
        assert_eq!(stream_format("application/json-seq"), Some(JsonSeq));
        assert_eq!(stream_format("application/json"), None);
    }
}
