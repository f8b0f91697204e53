//! `$ref`s to any place in the document, not only `#/components/<section>/<name>`: a schema
//! under another schema's `properties`, a parameter declared in another operation, a response
//! of another path. Before lowering, every such reference is followed through the raw document
//! (RFC 6901, with `~0`/`~1` and percent-escapes read back) and what it points to is parsed as
//! each kind of object it could be; lowering then looks references up by their text.

use crate::pointer::{component_key, ref_tokens, walk};
use openapiv3::{Components, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashSet;

/// What the document's deep references point to, keyed by the reference as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Targets {
    /// Each target parsed as a schema, parameter, request body, response and example (where it
    /// parses as one), in the component table of that kind.
    pub parts: Components,
    /// References whose pointer names a place in the document (parsed or not).
    pub present: HashSet<String>,
}

/// Whether the text may hold a reference other than `#/components/<section>/<name>` (cheap and
/// conservative: a document without one is not parsed a second time).
pub(super) fn may_have_deep_refs(text: &str) -> bool {
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

/// Follows every reference in `raw` that is not a plain component reference.
pub(super) fn find(raw: &Value) -> Targets {
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
        let Some(target) = ref_tokens(reference).and_then(|t| walk(raw, &t).cloned()) else {
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
    fn only_deep_references_make_a_second_parse() {
        assert!(!may_have_deep_refs(
            "a: {$ref: '#/components/schemas/A'}\nb: {$ref: \"#/components/responses/B\"}"
        ));
        assert!(may_have_deep_refs("a: {$ref: '#/components/schemas/A/properties/b'}"));
        assert!(may_have_deep_refs("a: {$ref: '#/paths/~1x/get/parameters/0'}"));
        assert!(may_have_deep_refs(r##"{"$ref": "#\/components\/schemas\/A"}"##));
    }
}
