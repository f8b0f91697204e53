//! OpenAPI Overlay 1.0 documents, applied to a description before it is loaded: the standard
//! way to amend a vendor's document (fix a wrong example, add `x-sdk-resource`, drop an
//! operation) without editing it.
//!
//! Each action's `target` is an RFC 9535 JSONPath (serde_json_path). `update` merges into each
//! object it selects (objects merged key by key, recursively; any other value replaced) and is
//! appended to each array it selects; `remove: true` removes each selected node. Actions apply
//! in order, each to the result of the ones before. An action that selects nothing is a
//! warning, as the specification suggests tools report.

use crate::diag::Diagnostics;
use crate::pointer::child;
use serde_json::Value;
use serde_json_path::JsonPath;

/// Applies the overlay (already parsed) to `doc`. Errors name the place in the overlay; the
/// warnings (actions that select nothing) are returned.
pub(crate) fn apply(doc: &mut Value, overlay: &Value) -> Result<Diagnostics, Diagnostics> {
    let mut found = Diagnostics::default();
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => found
            .error("#/overlay", format!("Overlay {v} is not supported; this generator reads Overlay 1.x")),
        None => found.error("#/overlay", "not an Overlay document: the `overlay` version field is missing"),
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        found.error("#/actions", "an Overlay document needs a list of `actions`");
        return Err(found);
    };
    if found.has_errors() {
        return Err(found);
    }
    for (i, action) in actions.iter().enumerate() {
        let at = child("#/actions", &i.to_string());
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            found.error(child(&at, "target"), "an action needs a `target` (a JSONPath)");
            continue;
        };
        let path = match JsonPath::parse(target) {
            Ok(path) => path,
            Err(e) => {
                found.error(child(&at, "target"), format!("invalid JSONPath `{target}`: {e}"));
                continue;
            }
        };
        // Pointers, deepest and last first, so removing one doesn't move the ones still to do.
        let mut pointers: Vec<String> =
            path.query_located(doc).locations().map(|l| l.to_json_pointer()).collect();
        pointers.sort_by(|a, b| b.cmp(a));
        if pointers.is_empty() {
            found.warning(
                &at,
                format!("the target `{target}` selects nothing in the document; action skipped"),
            );
            continue;
        }
        if action.get("remove").and_then(Value::as_bool) == Some(true) {
            for pointer in &pointers {
                remove(doc, pointer);
            }
        } else if let Some(update) = action.get("update") {
            for pointer in &pointers {
                if let Some(node) = doc.pointer_mut(pointer) {
                    if let Err(msg) = merge(node, update) {
                        found.error(child(&at, "update"), format!("at `{pointer}` of the document: {msg}"));
                    }
                }
            }
        }
    }
    match found.has_errors() {
        true => Err(found),
        false => Ok(found),
    }
}

/// `update` into a selected node: into an object, key by key (objects recursively); onto an
/// array, as one more element.
fn merge(node: &mut Value, update: &Value) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing @ Value::Object(_)) if value.is_object() => merge(existing, value)?,
                    Some(existing) => *existing = value.clone(),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
            Ok(())
        }
        (Value::Array(items), update) => {
            items.push(update.clone());
            Ok(())
        }
        (Value::Object(_), _) => Err("an object can only be updated with an object".into()),
        _ => Err("only objects and arrays can be updated (select the object that holds the value)".into()),
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return };
    let token = crate::pointer::unescape(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&token);
        }
        Some(Value::Array(items)) => {
            if let Some(i) = token.parse::<usize>().ok().filter(|&i| i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/pets": {
                    "get": {"operationId": "listPets", "tags": ["pets"], "responses": {}},
                    "post": {"operationId": "createPet", "responses": {}},
                },
                "/internal": {"get": {"operationId": "debug", "responses": {}}},
            },
        })
    }

    #[test]
    fn update_merges_objects_and_appends_to_arrays_remove_removes() {
        let mut d = doc();
        let overlay = json!({
            "overlay": "1.0.0",
            "info": {"title": "t", "version": "1"},
            "actions": [
                {"target": "$.paths['/pets'].get", "update": {"x-sdk-method": "list", "responses": {"200": {"description": "ok"}}}},
                {"target": "$.paths['/pets'].get.tags", "update": "animals"},
                {"target": "$.paths['/internal']", "remove": true},
                {"target": "$.paths.*.post", "update": {"deprecated": true}},
            ],
        });
        let warnings = apply(&mut d, &overlay).unwrap();
        assert!(warnings.items.is_empty(), "{warnings:?}");
        let get = &d["paths"]["/pets"]["get"];
        assert_eq!(get["x-sdk-method"], "list");
        assert_eq!(get["responses"]["200"]["description"], "ok");
        assert_eq!(get["tags"], json!(["pets", "animals"]));
        assert_eq!(d["paths"]["/pets"]["post"]["deprecated"], true);
        assert!(d["paths"].get("/internal").is_none());
    }

    #[test]
    fn mistakes_are_named_in_the_overlay() {
        let mut d = doc();
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.paths['/nowhere']", "remove": true},
            {"target": "$[", "remove": true},
            {"target": "$.openapi", "update": {"a": 1}},
        ]});
        let err = apply(&mut d, &overlay).unwrap_err();
        let text: Vec<String> = err.items.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t
                    .starts_with("warning: #/actions/0: the target `$.paths['/nowhere']` selects nothing")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with("error: #/actions/1/target: invalid JSONPath `$[`")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.starts_with("error: #/actions/2/update: at `/openapi`")), "{text:?}");
        let err = apply(&mut doc(), &json!({"actions": []})).unwrap_err();
        assert!(err.items[0].to_string().contains("not an Overlay document"), "{err:?}");
    }
}
