//! OpenAPI 3.2 in, the 3.1 shape out (then the 3.1 normaliser takes it to 3.0's). What 3.2 adds
//! becomes what the rest of the pipeline already reads:
//!
//! - a sequential media type's `itemSchema` is its `schema` (the item a stream yields, as the
//!   3.0/3.1 convention has it); `itemEncoding`/`prefixEncoding` are dropped with a warning;
//! - an example's `dataValue` is its `value`; `serializedValue` is dropped;
//! - the `query` method and `additionalOperations` go under `x-ferrospec-operations`
//!   (method → operation), which lowering reads;
//! - an `in: querystring` parameter is `in: query` marked `x-ferrospec-querystring: true`;
//! - a tag's `parent` is kept as `x-ferrospec-parent` (nested resources), `summary` becomes its
//!   description when it has none, and `kind` is dropped;
//! - `$self` is dropped: `#` references resolve within the document whatever its URI.

use crate::diag::Diagnostics;
use crate::pointer::{child, map_back};
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// Whether the tree says `openapi: 3.2.x`.
pub fn is_v32(doc: &Value) -> bool {
    doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v == "3.2" || v.starts_with("3.2."))
}

/// Rewrites a 3.2 document's new constructs (see the module docs); `moves` records where a
/// moved place came from (new pointer → original).
pub fn normalize(doc: &mut Value, moves: &mut HashMap<String, String>, diags: &mut Diagnostics) {
    let Value::Mapping(top) = doc else { return };
    top.remove("$self");
    top.insert("openapi".into(), "3.1.0".into());
    if let Some(Value::Sequence(tags)) = top.get_mut("tags") {
        for tag in tags.iter_mut().filter_map(Value::as_mapping_mut) {
            if let Some(parent) = tag.remove("parent") {
                tag.insert("x-ferrospec-parent".into(), parent);
            }
            if let Some(summary) = tag.remove("summary") {
                if !tag.contains_key("description") {
                    tag.insert("description".into(), summary);
                }
            }
            tag.remove("kind");
        }
    }
    for section in ["paths", "webhooks"] {
        if let Some(Value::Mapping(items)) = top.get_mut(section) {
            for (path, item) in items.iter_mut() {
                let p = child(&child("#", section), path.as_str().unwrap_or_default());
                if let Value::Mapping(item) = item {
                    path_item(item, &p, moves);
                }
            }
        }
    }
    if let Some(Value::Mapping(components)) = top.get_mut("components") {
        if let Some(Value::Mapping(items)) = components.get_mut("pathItems") {
            for (name, item) in items.iter_mut() {
                let p = child("#/components/pathItems", name.as_str().unwrap_or_default());
                if let Value::Mapping(item) = item {
                    path_item(item, &p, moves);
                }
            }
        }
    }
    walk(doc, "#", moves, diags);
}

/// `query` and `additionalOperations` under `x-ferrospec-operations`.
fn path_item(item: &mut Mapping, pointer: &str, moves: &mut HashMap<String, String>) {
    let mut extra = Mapping::new();
    if let Some(op) = item.remove("query") {
        moves.insert(child(&child(pointer, "x-ferrospec-operations"), "QUERY"), child(pointer, "query"));
        extra.insert("QUERY".into(), op);
    }
    if let Some(Value::Mapping(more)) = item.remove("additionalOperations") {
        for (method, op) in more {
            let method = method.as_str().unwrap_or_default().to_string();
            let from = child(&child(pointer, "additionalOperations"), &method);
            moves.insert(child(&child(pointer, "x-ferrospec-operations"), &method), from);
            extra.insert(method.into(), op);
        }
    }
    if !extra.is_empty() {
        item.insert("x-ferrospec-operations".into(), Value::Mapping(extra));
    }
}

/// Media types, examples and parameters, wherever they are.
fn walk(v: &mut Value, pointer: &str, moves: &mut HashMap<String, String>, diags: &mut Diagnostics) {
    match v {
        Value::Mapping(m) => {
            if m.get("in").and_then(Value::as_str) == Some("querystring") {
                m.insert("in".into(), "query".into());
                m.insert("x-ferrospec-querystring".into(), true.into());
            }
            for (k, value) in m.iter_mut() {
                let k = k.as_str().unwrap_or_default().to_string();
                let p = child(pointer, &k);
                match (k.as_str(), &mut *value) {
                    ("content", Value::Mapping(media)) => {
                        for (ct, m) in media.iter_mut() {
                            let ct = ct.as_str().unwrap_or_default().to_string();
                            if let Value::Mapping(m) = m {
                                media_type(m, &ct, &child(&p, &ct), moves, diags);
                            }
                        }
                    }
                    // Example values are data, never rewritten.
                    ("examples", Value::Mapping(examples)) => {
                        for example in examples.values_mut().filter_map(Value::as_mapping_mut) {
                            example.remove("serializedValue");
                            if let Some(data) = example.remove("dataValue") {
                                example.entry("value".into()).or_insert(data);
                            }
                        }
                        continue;
                    }
                    ("example", _) => continue,
                    // Extensions are the vendor's, but for the operations moved there above.
                    (k, _) if k.starts_with("x-") && k != "x-ferrospec-operations" => continue,
                    _ => {}
                }
                walk(value, &p, moves, diags);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &child(pointer, &i.to_string()), moves, diags);
            }
        }
        _ => {}
    }
}

/// `itemSchema` is a sequential media type's item; elsewhere it has no reading here.
fn media_type(
    m: &mut Mapping,
    ct: &str,
    pointer: &str,
    moves: &mut HashMap<String, String>,
    diags: &mut Diagnostics,
) {
    for key in ["itemEncoding", "prefixEncoding"] {
        if m.remove(key).is_some() {
            diags.warning(
                child(pointer, key),
                format!("`{key}` (sequential multipart) is not supported; ignored"),
            );
        }
    }
    let Some(item) = m.remove("itemSchema") else { return };
    if crate::media::stream_format(ct).is_none() {
        diags.warning(
            child(pointer, "itemSchema"),
            format!("`itemSchema` is read for event streams, JSON Lines and JSON text sequences, not `{ct}`; ignored"),
        );
        return;
    }
    // The operation may itself have moved (`query` → `x-ferrospec-operations/QUERY`).
    let original = map_back(moves, &child(pointer, "itemSchema"));
    moves.insert(child(pointer, "schema"), original);
    m.insert("schema".into(), item);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(yaml: &str) -> (Value, HashMap<String, String>) {
        let mut doc: Value = serde_yaml::from_str(yaml).unwrap();
        let mut moves = HashMap::new();
        normalize(&mut doc, &mut moves, &mut Diagnostics::default());
        (doc, moves)
    }

    #[test]
    fn example_values_are_data_and_a_moved_item_schema_maps_back() {
        let (doc, moves) = normalized(
            "openapi: 3.2.0\npaths:\n  /s:\n    query:\n      parameters:\n        - {name: q, in: querystring, content: {application/x-www-form-urlencoded: {example: {in: querystring}}}}\n      responses:\n        '200':\n          description: d\n          content:\n            text/event-stream:\n              itemSchema: {type: string}\n              examples:\n                e: {dataValue: {in: querystring, itemSchema: 1}}\n",
        );
        let op = &doc["paths"]["/s"]["x-ferrospec-operations"]["QUERY"];
        assert_eq!(op["parameters"][0]["in"], Value::from("query"));
        // Data keeps what it says, whatever it looks like.
        let example = &op["parameters"][0]["content"]["application/x-www-form-urlencoded"]["example"];
        assert_eq!(example["in"], Value::from("querystring"));
        let media = &op["responses"]["200"]["content"]["text/event-stream"];
        assert_eq!(media["schema"]["type"], Value::from("string"));
        assert_eq!(media["examples"]["e"]["value"]["in"], Value::from("querystring"));
        let schema =
            "#/paths/~1s/x-ferrospec-operations/QUERY/responses/200/content/text~1event-stream/schema";
        assert_eq!(
            map_back(&moves, schema),
            "#/paths/~1s/query/responses/200/content/text~1event-stream/itemSchema"
        );
    }
}
