//! The typed parse, made to cost only the part of the document it can't read. A value inside
//! `paths` or `components` that the model refuses (`pattern: 0`, a callback given by `$ref`, an
//! operation without `responses`) is left out with a located warning, and the parse is tried
//! again; a schema loses only the keyword that fails, or is read as any JSON value when no one
//! keyword is to blame. Anything else (say `info`) still fails the document.

use crate::pointer::{child, split as tokens, walk as get};
use openapiv3::OpenAPI;
use serde_yaml::Value;

/// A place the parse failed: the pointer into the tree and serde's message.
pub(crate) type Failure = (String, String);

/// At most this many repairs before the document is given up on.
const MAX_REPAIRS: usize = 256;

/// Parses `tree`, repairing what it can. Returns the model, the tree it was read from (repairs
/// applied) and a warning per repair; or the place that could not be repaired.
pub(crate) fn typed_parse(mut tree: Value) -> Result<(OpenAPI, Value, Vec<Failure>), Failure> {
    let mut repairs = Vec::new();
    loop {
        let json = serde_json::to_string_pretty(&tree).map_err(|e| (String::new(), e.to_string()))?;
        let e = match serde_json::from_str::<OpenAPI>(&json) {
            Ok(spec) => return Ok((spec, tree, repairs)),
            Err(e) => e,
        };
        let offset = json.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum::<usize>()
            + e.column().saturating_sub(1);
        let pointer = pointer_at(&json, offset);
        let msg = crate::source::strip_position(&e.to_string(), e.line(), e.column());
        let at = tokens(&pointer);
        let repairable = matches!(at.first().map(String::as_str), Some("paths" | "components"))
            && at.len() >= 2
            && repairs.len() < MAX_REPAIRS;
        match repairable.then(|| repair(&mut tree, &pointer, &msg)).flatten() {
            Some(done) => repairs.push(done),
            None => return Err((pointer, msg)),
        }
    }
}

/// Repairs the place the parse refused (`pointer`, with serde's `msg`). serde places an error
/// inside an untagged or flattened value (a `$ref`-or-item, a schema) at the whole value, so the
/// culprit is looked for below it: the innermost part of a known kind that fails on its own. Of
/// that, the one keyword at fault is left out, or the whole part when no one keyword is (a
/// schema becomes `{}`, any value). `None` when there is nothing there.
fn repair(tree: &mut Value, pointer: &str, msg: &str) -> Option<Failure> {
    let mut at = tokens(pointer);
    // serde names the last member read of a flattened map (`paths` is one), which may be fine:
    // the search starts from the innermost place that is not.
    while !at.is_empty() && get(tree, &at).is_none_or(|n| kind_at(&at).is_some_and(|check| check(n).is_ok()))
    {
        at.pop();
    }
    while let Some(deeper) = failing_part(get(tree, &at)?, &at, 0) {
        at = deeper;
    }
    if at.len() < 2 {
        return None;
    }
    let check = kind_at(&at);
    let node = get_mut(tree, &at)?;
    if let (Some(check), Value::Mapping(m)) = (check, &*node) {
        let why = check(node).err().unwrap_or_else(|| msg.to_string());
        for k in m.keys().filter_map(Value::as_str) {
            let mut without = m.clone();
            let removed = without.shift_remove(k);
            if check(&Value::Mapping(without)).is_ok() {
                let shown = removed.and_then(|r| serde_json::to_string(&r).ok()).unwrap_or_default();
                let warning = format!("`{k}: {shown}` is not valid here ({why}); left out");
                let k = k.to_string();
                if let Value::Mapping(m) = node {
                    m.shift_remove(k.as_str());
                }
                return Some((pointer_of(&at, Some(&k)), warning));
            }
        }
        if is_schema_place(&at) {
            *node = Value::Mapping(serde_yaml::Mapping::new());
            return Some((pointer_of(&at, None), format!("{why}; this schema is read as any JSON value")));
        }
    }
    let why = check.and_then(|c| c(get(tree, &at)?).err()).unwrap_or_else(|| msg.to_string());
    let (last, parents) = at.split_last()?;
    match get_mut(tree, parents)? {
        Value::Mapping(m) => m.shift_remove(last.as_str())?,
        // An element of a list is left out; the indices after it move up.
        Value::Sequence(a) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < a.len())?;
            a.remove(i)
        }
        _ => return None,
    };
    Some((pointer_of(&at, None), format!("{why}; left out")))
}

fn get_mut<'v>(tree: &'v mut Value, at: &[String]) -> Option<&'v mut Value> {
    at.iter().try_fold(tree, |v, t| match v {
        Value::Mapping(m) => m.get_mut(t.as_str()),
        Value::Sequence(a) => a.get_mut(t.parse::<usize>().ok()?),
        _ => None,
    })
}

fn pointer_of(at: &[String], last: Option<&str>) -> String {
    at.iter().map(String::as_str).chain(last).fold(String::from("#"), |p, t| child(&p, t))
}

/// The first part below `node` (at `at`) of a kind the model reads that fails on its own,
/// looking through containers of no kind of their own (`responses`, `content`, `properties`).
fn failing_part(node: &Value, at: &[String], depth: usize) -> Option<Vec<String>> {
    if depth > 4 {
        return None;
    }
    let children: Vec<(String, &Value)> = match node {
        Value::Mapping(m) => m.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v))).collect(),
        Value::Sequence(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => return None,
    };
    for (k, v) in children {
        let mut path = at.to_vec();
        path.push(k);
        let found = match kind_at(&path) {
            Some(check) => check(v).is_err().then_some(path),
            None => failing_part(v, &path, depth + 1),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

type Check = fn(&Value) -> Result<(), String>;

fn check<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
    serde_yaml::from_value::<T>(v.clone()).map(|_| ()).map_err(|e| e.to_string())
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What the model reads at `at`, where the position alone tells.
fn kind_at(at: &[String]) -> Option<Check> {
    use openapiv3::*;
    let tokens: Vec<&str> = at.iter().map(String::as_str).collect();
    let (last, parents) = tokens.split_last()?;
    let parent = parents.last().copied();
    if is_schema_place(at) {
        // `additionalProperties: true` is a valid value for the keyword, if no schema.
        return Some(|v| if v.is_bool() { Ok(()) } else { check::<ReferenceOr<Schema>>(v) });
    }
    Some(match (parents, parent, *last) {
        (["paths"], _, _) => check::<ReferenceOr<PathItem>>,
        (["paths", _], _, m) if METHODS.contains(&m) => check::<Operation>,
        (_, Some("callbacks"), _) if parents.len() >= 2 && parents[parents.len() - 2] != "components" => {
            check::<Callback>
        }
        (["components", "callbacks"], _, _) => check::<ReferenceOr<Callback>>,
        (_, Some("parameters"), _) => check::<ReferenceOr<Parameter>>,
        (_, _, "requestBody") => check::<ReferenceOr<RequestBody>>,
        (["components", "requestBodies"], _, _) => check::<ReferenceOr<RequestBody>>,
        (_, Some("responses"), _) => check::<ReferenceOr<Response>>,
        (_, Some("headers"), _) => check::<ReferenceOr<Header>>,
        (_, Some("content"), _) => check::<MediaType>,
        (_, Some("examples"), _) => check::<ReferenceOr<Example>>,
        (["components", "securitySchemes"], _, _) => check::<ReferenceOr<SecurityScheme>>,
        (_, Some("links"), _) => check::<ReferenceOr<Link>>,
        _ => return None,
    })
}

/// Whether a schema sits at `at`.
fn is_schema_place(at: &[String]) -> bool {
    let Some((last, parents)) = at.split_last() else { return false };
    let parent = parents.last().map(String::as_str);
    matches!(last.as_str(), "schema" | "items" | "additionalProperties" | "not")
        || matches!(parent, Some("schemas" | "properties" | "allOf" | "anyOf" | "oneOf"))
}

/// The JSON pointer of the innermost member or element around byte `offset` of JSON `text`
/// (a parse error's position in the document being read).
fn pointer_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object { key: Option<String>, expect_key: bool },
        Array { index: usize },
    }
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && i < offset {
        match bytes[i] {
            b'"' => {
                let mut end = i + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, expect_key: expect @ true }) = stack.last_mut() {
                    *key = text.get(i..=end).and_then(|raw| serde_json::from_str(raw).ok());
                    *expect = false;
                }
                i = end + 1;
                continue;
            }
            b'{' => stack.push(Frame::Object { key: None, expect_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut pointer = String::from("#");
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => pointer = child(&pointer, k),
            Frame::Array { index } => pointer = child(&pointer, &index.to_string()),
            Frame::Object { key: None, .. } => break,
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_at_names_the_innermost_member() {
        let text = "{\n  \"a\": {\n    \"b\": [1, {\"c\": true}]\n  }\n}";
        let at_c = text.find("true").unwrap();
        assert_eq!(pointer_at(text, at_c), "#/a/b/1/c");
        assert_eq!(pointer_at(text, 0), "#");
    }
    use serde_json::json;

    fn doc(paths: serde_json::Value) -> Value {
        yaml(json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}))
    }

    fn yaml(v: serde_json::Value) -> Value {
        serde_yaml::to_value(v).unwrap()
    }

    #[test]
    fn a_bad_keyword_costs_only_itself() {
        let tree = doc(json!({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "s": {"type": "string", "pattern": 0, "maxLength": 3}}}}}}}}}}));
        let (spec, tree, repairs) = typed_parse(tree).unwrap();
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        let (at, why) = &repairs[0];
        assert_eq!(at, "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/s/pattern");
        assert!(why.contains("`pattern: 0`") && why.ends_with("; left out"), "{why}");
        let s = &tree["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(s["properties"]["s"], yaml(json!({"type": "string", "maxLength": 3})));
        assert_eq!(spec.paths.paths.len(), 1);
    }

    #[test]
    fn a_callback_by_ref_is_left_out_and_the_operation_kept() {
        // serde names the last path read (`/z`), which is fine: the search finds `/a`.
        let tree = doc(json!({
            "/a": {"post": {
                "callbacks": {"cb": {"$ref": "#/components/callbacks/Cb"}},
                "responses": {"204": {"description": "ok"}}}},
            "/z": {"get": {"responses": {"204": {"description": "ok"}}}}}));
        let (spec, _, repairs) = typed_parse(tree).unwrap();
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        assert_eq!(repairs[0].0, "#/paths/~1a/post/callbacks/cb/$ref");
        assert!(spec.paths.paths["/a"].as_item().unwrap().post.is_some());
        assert!(spec.paths.paths["/z"].as_item().unwrap().get.is_some());
    }

    #[test]
    fn an_operation_the_model_cant_read_is_left_out() {
        let tree = doc(json!({"/a": {"get": {"responses": "none"}, "put": {"responses": {}}}}));
        let (spec, _, repairs) = typed_parse(tree).unwrap();
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        let item = spec.paths.paths["/a"].as_item().unwrap();
        assert!(item.get.is_none() && item.put.is_some());
    }

    #[test]
    fn outside_paths_and_components_the_document_fails() {
        let tree = yaml(json!({"openapi": "3.0.3", "info": {"title": [], "version": "1"}, "paths": {}}));
        let (at, _) = typed_parse(tree).unwrap_err();
        assert!(at.starts_with("#/info"), "{at}");
    }
}
