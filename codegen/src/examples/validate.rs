//! Whether an example matches its schema, by a JSON Schema validator (boon, draft 7) over the
//! document made into JSON Schema: `nullable: true` admits `null`, boolean `exclusiveMinimum`
//! and `exclusiveMaximum` become draft-7 numbers, and a `required` property that is `readOnly`
//! (in a request) or `writeOnly` (in a response) may be missing, as OpenAPI 3.0 says. A schema
//! with `properties` and no `type` is an object, as the generated type is.

use super::Direction;
use serde_json::{Map, Value};

const BASE: &str = "http://openapi.invalid/document.json";

/// The formats the validator knows that the generated types don't depend on.
const ANNOTATION_FORMATS: [&str; 17] = [
    "ipv4",
    "ipv6",
    "hostname",
    "idn-hostname",
    "email",
    "idn-email",
    "time",
    "duration",
    "period",
    "json-pointer",
    "relative-json-pointer",
    "uuid",
    "uri",
    "iri",
    "uri-reference",
    "iri-reference",
    "uri-template",
];

pub(crate) struct Validator {
    /// One converted document per direction, built on first use.
    views: [Option<View>; 2],
    raw: Value,
}

struct View {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
    /// Compiled schemas by pointer: `Err` holds why one can't be checked.
    compiled: std::collections::HashMap<String, Result<boon::SchemaIndex, String>>,
}

impl Validator {
    pub(crate) fn new(raw: &Value) -> Validator {
        Validator { views: [None, None], raw: raw.clone() }
    }

    /// `Err` with the validator's message when `value` doesn't match the schema at `pointer`
    /// (a JSON pointer without `#`). A schema the validator can't compile (an external `$ref`, a
    /// pattern it can't parse) checks nothing: the test is written and shows the truth.
    pub(crate) fn check(&mut self, pointer: &str, direction: Direction, value: &Value) -> Result<(), String> {
        self.verify(pointer, direction, value).unwrap_or(Ok(()))
    }

    /// [`Validator::check`], but `None` where the schema couldn't be checked.
    pub(crate) fn verify(
        &mut self,
        pointer: &str,
        direction: Direction,
        value: &Value,
    ) -> Option<Result<(), String>> {
        let raw = &self.raw;
        let view = self.views[direction as usize].get_or_insert_with(|| View::new(raw, direction));
        let index = view.compile(pointer).ok()?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            view.schemas.validate(value, index).map_err(|e| message(&e))
        }))
        .ok()
    }
}

impl View {
    fn new(raw: &Value, direction: Direction) -> View {
        let mut doc = raw.clone();
        convert(&mut doc, direction, 0);
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V7);
        // OpenAPI 3.0's `format` is an open annotation: asserted only where it decides the Rust
        // type (`date-time`, `date`); a `uri` or `email` is a `String` whatever it holds.
        for name in ANNOTATION_FORMATS {
            compiler.register_format(boon::Format { name, func: |_| Ok(()) });
        }
        // A document this large is its own resource; nothing is fetched.
        let _ = compiler.add_resource(BASE, doc);
        View { compiler, schemas: boon::Schemas::new(), compiled: Default::default() }
    }

    fn compile(&mut self, pointer: &str) -> Result<boon::SchemaIndex, String> {
        if let Some(r) = self.compiled.get(pointer) {
            return r.clone();
        }
        let url = format!("{BASE}#{}", fragment(pointer));
        let (compiler, schemas) = (&mut self.compiler, &mut self.schemas);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            compiler.compile(&url, schemas).map_err(|e| e.to_string())
        }))
        .unwrap_or_else(|_| Err("the validator failed".to_string()));
        self.compiled.insert(pointer.to_string(), r.clone());
        r
    }
}

/// A JSON pointer as a URL fragment (percent-encoding what a fragment can't hold).
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The deepest failure: where in the example, and what. Of a `nullable` value's two branches
/// the one that isn't `null` says more.
fn message(e: &boon::ValidationError) -> String {
    fn leaves<'a, 's, 'v>(
        e: &'a boon::ValidationError<'s, 'v>,
        out: &mut Vec<&'a boon::ValidationError<'s, 'v>>,
    ) {
        if e.causes.is_empty() {
            out.push(e);
        }
        e.causes.iter().for_each(|c| leaves(c, out));
    }
    let mut all = Vec::new();
    leaves(e, &mut all);
    let rank = |l: &&boon::ValidationError| {
        let null = matches!(&l.kind, boon::ErrorKind::Type { want, .. } if want.contains(boon::Type::Null));
        (l.instance_location.tokens.len(), !null)
    };
    // The first of the best (`max_by_key` would take the last).
    let best = all.iter().map(rank).max();
    let leaf = all.iter().find(|l| Some(rank(l)) == best).copied().unwrap_or(e);
    let at = leaf.instance_location.to_string();
    if at.is_empty() {
        leaf.kind.to_string()
    } else {
        format!("at {at}: {}", leaf.kind)
    }
}

/// Rewrites OpenAPI 3.0 schemas in place into draft-7 JSON Schema. Example values, defaults,
/// enums and extensions are left as they are.
fn convert(v: &mut Value, direction: Direction, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| convert(i, direction, depth + 1)),
        Value::Object(m) => {
            // Before the properties are converted: a nullable one's flags move into an `anyOf`.
            exclusive_bounds(m);
            drop_one_direction_required(m, direction);
            // Properties without a `type` make an object, as the generator reads them.
            if m.contains_key("properties") && !m.contains_key("type") {
                m.insert("type".into(), "object".into());
            }
            for (k, child) in m.iter_mut() {
                if k == "properties" {
                    if let Value::Object(props) = child {
                        props.values_mut().for_each(|p| convert(p, direction, depth + 1));
                    }
                } else if !matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const")
                    && !k.starts_with("x-")
                {
                    convert(child, direction, depth + 1);
                }
            }
            if let Some(nullable) = m.remove("nullable") {
                if nullable == Value::Bool(true) {
                    let rest = std::mem::take(m);
                    m.insert(
                        "anyOf".into(),
                        Value::Array(vec![serde_json::json!({"type": "null"}), Value::Object(rest)]),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Draft 4's `exclusiveMinimum: true` beside `minimum` is draft 7's `exclusiveMinimum: minimum`.
fn exclusive_bounds(m: &mut Map<String, Value>) {
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(exclusive)) = m.get(flag) {
            let exclusive = *exclusive;
            m.remove(flag);
            if exclusive {
                if let Some(b) = m.remove(bound) {
                    m.insert(flag.into(), b);
                }
            }
        }
    }
}

/// In a request a required `readOnly` property may be missing, in a response a `writeOnly` one.
fn drop_one_direction_required(m: &mut Map<String, Value>, direction: Direction) {
    let flag = match direction {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let Some(Value::Object(props)) = m.get("properties") else { return };
    let skip: Vec<String> = props
        .iter()
        .filter(|(_, p)| p.get(flag) == Some(&Value::Bool(true)))
        .map(|(k, _)| k.clone())
        .collect();
    if let Some(Value::Array(required)) = m.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !skip.iter().any(|s| s == r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(doc: Value, pointer: &str, direction: Direction, value: Value) -> Result<(), String> {
        Validator::new(&doc).check(pointer, direction, &value)
    }

    #[test]
    fn nullable_admits_null_and_refs_resolve() {
        let doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "tag": {"type": "string", "nullable": true},
                "owner": {"$ref": "#/components/schemas/Owner"}
            }},
            "Owner": {"type": "object", "properties": {"id": {"type": "integer"}}}
        }}});
        let p = "/components/schemas/Pet";
        assert_eq!(check(doc.clone(), p, Direction::Response, json!({"name": "a", "tag": null})), Ok(()));
        let err = check(doc.clone(), p, Direction::Response, json!({"tag": "x"})).unwrap_err();
        assert!(err.contains("name"), "{err}");
        let err = check(doc, p, Direction::Response, json!({"name": "a", "owner": {"id": "x"}})).unwrap_err();
        assert!(err.contains("/owner/id"), "{err}");
    }

    #[test]
    fn read_only_may_be_missing_in_requests_only() {
        let doc = json!({"components": {"schemas": {"Pet": {"type": "object", "required": ["id", "pw"],
            "properties": {"id": {"type": "string", "readOnly": true}, "pw": {"type": "string", "writeOnly": true}}}}}});
        let p = "/components/schemas/Pet";
        assert_eq!(check(doc.clone(), p, Direction::Request, json!({"pw": "s"})), Ok(()));
        assert!(check(doc.clone(), p, Direction::Response, json!({"pw": "s"})).is_err());
        assert_eq!(check(doc.clone(), p, Direction::Response, json!({"id": "1"})), Ok(()));
        assert!(check(doc, p, Direction::Request, json!({"id": "1"})).is_err());
    }

    #[test]
    fn boolean_exclusive_bounds_and_uncompilable_schemas() {
        let doc = json!({"s": {"type": "integer", "minimum": 0, "exclusiveMinimum": true},
                         "external": {"$ref": "other.yaml#/X"}});
        assert!(check(doc.clone(), "/s", Direction::Request, json!(0)).is_err());
        assert_eq!(check(doc.clone(), "/s", Direction::Request, json!(1)), Ok(()));
        // Nothing to check against: not called invalid.
        assert_eq!(check(doc.clone(), "/external", Direction::Request, json!(1)), Ok(()));
        assert_eq!(check(doc, "/missing", Direction::Request, json!(1)), Ok(()));
    }

    #[test]
    fn only_formats_that_decide_the_type_are_asserted() {
        let doc = json!({"s": {"type": "object", "properties": {
            "at": {"type": "string", "format": "date-time"},
            "link": {"type": "string", "format": "uri"},
            "id": {"type": "string", "format": "uuid", "nullable": true, "maxLength": 3}
        }}});
        let err = check(doc.clone(), "/s", Direction::Response, json!({"at": "yesterday"})).unwrap_err();
        assert!(err.contains("/at"), "{err}");
        assert_eq!(check(doc.clone(), "/s", Direction::Response, json!({"link": "/relative/path"})), Ok(()));
        // The nullable value's own constraint is the reason given, not that it isn't null.
        let err = check(doc, "/s", Direction::Response, json!({"id": "abcd"})).unwrap_err();
        assert!(err.contains("/id") && !err.contains("want null"), "{err}");
    }

    #[test]
    fn properties_without_a_type_make_an_object() {
        let doc = json!({"Folder": {"properties": {"Name": {"type": "string"}}}});
        let err = check(doc.clone(), "/Folder", Direction::Response, json!("{\"Name\": \"x\"}")).unwrap_err();
        assert!(err.contains("want object"), "{err}");
        assert_eq!(check(doc, "/Folder", Direction::Response, json!({"Name": "x"})), Ok(()));
    }
}
