//! `$ref`s to any place in the document, not only `#/components/<section>/<name>`: a schema
//! under another schema's `properties`, a parameter declared in another operation, a response
//! of another path. Before lowering, every such reference is followed through the raw document
//! (RFC 6901, with `~0`/`~1` and percent-escapes read back) and what it points to is parsed as
//! each kind of object it could be; lowering then looks references up by their text.

use openapiv3::{Components, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;

/// What the document's deep references point to, keyed by the reference as written.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    /// Each target parsed as a schema, parameter, request body, response and example (where it
    /// parses as one), in the component table of that kind.
    pub parts: Components,
    /// References whose pointer names a place in the document (parsed or not).
    pub present: HashSet<String>,
}

/// Whether `reference` is `#/components/<section>/<name>`: one token after the section.
pub(crate) fn component_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    (!rest.contains('/')).then(|| crate::diag::unescape(rest))
}

/// The reference tokens of a same-document reference (`#/a/b~1c` → `["a", "b/c"]`), with
/// percent-escapes (RFC 6901 §6, pointers in URI fragments) decoded first.
pub(crate) fn tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode(fragment)?;
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    let rest = decoded.strip_prefix('/')?;
    Some(rest.split('/').map(crate::diag::unescape).collect())
}

/// The pointer a diagnostic names for a same-document reference (percent-escapes decoded).
pub(crate) fn diagnostic_pointer(reference: &str) -> String {
    match tokens(reference) {
        Some(tokens) => tokens.iter().fold(String::from("#"), |p, t| crate::diag::child(&p, t)),
        None => reference.to_string(),
    }
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value `tokens` name in `root`.
fn walk<'v>(root: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(root, |v, t| match v {
        Value::Object(map) => map.get(t),
        Value::Array(items) => {
            // RFC 6901: array indices are decimal without leading zeros.
            if t.len() > 1 && t.starts_with('0') {
                return None;
            }
            items.get(t.parse::<usize>().ok()?)
        }
        _ => None,
    })
}

/// Whether the text may hold a reference other than `#/components/<section>/<name>` (cheap and
/// conservative: a document without one is not parsed a second time).
fn may_have_deep_refs(text: &str) -> bool {
    if text.contains("#\\/") {
        return true; // JSON may escape the slashes
    }
    text.match_indices("#/").any(|(i, _)| {
        let rest = &text[i + 2..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '}' | ']'))
            .unwrap_or(rest.len());
        let mut tokens = rest[..end].split('/');
        !(tokens.next() == Some("components") && tokens.count() == 2)
    })
}

/// Every `$ref` string in the document.
fn collect_refs<'v>(root: &'v Value, out: &mut Vec<&'v str>) {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

fn parse_raw(source: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(source).ok()?;
    serde_json::from_str(text).ok().or_else(|| serde_yaml::from_str(text).ok())
}

/// Follows every reference in the document that is not a plain component reference (in the
/// normalised tree of a 3.1 document, the source itself otherwise).
pub(crate) fn targets(doc: &crate::load::Document) -> Targets {
    if let Some(tree) = &doc.normalized {
        return targets_in(tree);
    }
    let Ok(text) = std::str::from_utf8(&doc.source) else {
        return Targets::default();
    };
    if !may_have_deep_refs(text) {
        return Targets::default();
    }
    match parse_raw(&doc.source) {
        Some(raw) => targets_in(&raw),
        None => Targets::default(),
    }
}

fn targets_in(raw: &Value) -> Targets {
    let mut out = Targets::default();
    let mut refs = Vec::new();
    collect_refs(raw, &mut refs);
    refs.sort_unstable();
    refs.dedup();
    for reference in refs {
        let plain = ["schemas", "parameters", "requestBodies", "responses", "examples", "headers"]
            .iter()
            .any(|s| component_key(reference, s).is_some());
        if plain {
            continue;
        }
        let Some(target) = tokens(reference).and_then(|t| walk(raw, &t).cloned()) else {
            continue;
        };
        out.present.insert(reference.to_string());
        let key = reference.to_string();
        let c = &mut out.parts;
        insert(&mut c.schemas, &key, &target);
        insert(&mut c.parameters, &key, &target);
        insert(&mut c.request_bodies, &key, &target);
        insert(&mut c.responses, &key, &target);
        insert(&mut c.examples, &key, &target);
    }
    out
}

fn insert<T: DeserializeOwned>(
    table: &mut indexmap::IndexMap<String, ReferenceOr<T>>,
    key: &str,
    value: &Value,
) {
    if let Ok(parsed) = serde_json::from_value::<ReferenceOr<T>>(value.clone()) {
        table.insert(key.to_string(), parsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_unescape_and_decode() {
        assert_eq!(tokens("#/paths/~1a~1%7Bid%7D/get").unwrap(), vec!["paths", "/a/{id}", "get"]);
        assert_eq!(tokens("#/a~0b/0").unwrap(), vec!["a~b", "0"]);
        assert_eq!(tokens("#").unwrap(), Vec::<String>::new());
        assert!(tokens("other.yaml#/a").is_none());
        assert!(tokens("#/a%zz").is_none());
        assert_eq!(diagnostic_pointer("#/paths/~1a%20b/get"), "#/paths/~1a b/get");
    }

    #[test]
    fn component_keys_are_one_token() {
        assert_eq!(component_key("#/components/schemas/A~1B", "schemas").as_deref(), Some("A/B"));
        assert_eq!(component_key("#/components/schemas/A/properties/b", "schemas"), None);
        assert_eq!(component_key("#/components/parameters/A", "schemas"), None);
    }

    #[test]
    fn only_deep_references_make_a_second_parse() {
        assert!(!may_have_deep_refs(
            "a: {$ref: '#/components/schemas/A'}\nb: {$ref: \"#/components/responses/B\"}"
        ));
        assert!(may_have_deep_refs("a: {$ref: '#/components/schemas/A/properties/b'}"));
        assert!(may_have_deep_refs("a: {$ref: '#/paths/~1x/get/parameters/0'}"));
        assert!(may_have_deep_refs(r##"{"$ref": "#\/components\/schemas\/A"}"##));
    }

    #[test]
    fn walks_objects_and_arrays() {
        let v = serde_json::json!({"a": [{"b/c": 1}, 2]});
        assert_eq!(walk(&v, &tokens("#/a/0/b~1c").unwrap()), Some(&serde_json::json!(1)));
        assert_eq!(walk(&v, &tokens("#/a/01").unwrap()), None);
        assert_eq!(walk(&v, &tokens("#/a/5").unwrap()), None);
    }
}
