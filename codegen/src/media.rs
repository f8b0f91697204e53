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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_any() {
        assert!(is_json("application/json; charset=utf-8") && is_json("application/hal+json"));
        assert!(is_json(" text/json") && !is_json("application/jsonl") && !is_json("text/plain"));
        assert!(is_any("*/*;q=0.8") && !is_any("application/*"));
    }
}
