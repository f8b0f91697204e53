//! OpenAPI 3.1 in, the 3.0 shape `openapiv3` reads out. The rest of the pipeline sees one model;
//! every place this step moves is recorded, so a diagnostic about the normalised document names
//! the pointer (and line and column) of the original.
//!
//! What changes: `type` arrays and `{type: "null"}` union members become `nullable`; `const` a
//! one-value `enum`; a `$ref` with siblings `allOf: [$ref]` beside them; numeric
//! `exclusiveMinimum`/`exclusiveMaximum` the boolean form; schema `examples` the first `example`;
//! `contentEncoding`/`contentMediaType` a `format`; boolean schemas `{}` / `{not: {}}`; path items
//! given by `$ref` are copied in; webhooks are dropped with a warning, their inline payload
//! schemas kept as components.

use crate::diag::Diagnostics;
use crate::pointer::{child, map_back, ref_pointer, resolve};
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// Keys whose value maps names to subschemas.
const SCHEMA_MAPS: [&str; 5] =
    ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keys whose value is a list of subschemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keys whose value is one subschema.
const SCHEMA_ONE: [&str; 9] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
];
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Deeper than this, a schema is left as it is (bad input must not overflow the stack).
const MAX_DEPTH: usize = 200;

/// Where each place of the normalised document came from.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Normalised pointer → original pointer, for the roots of moved subtrees; anything below a
    /// root moved with it.
    moves: HashMap<String, String>,
    original: Value,
}

impl SourceMap {
    /// The pointer in the original document for a pointer into the normalised one: through the
    /// longest recorded move, then cut back to the nearest place that exists in the original.
    pub fn original_pointer(&self, pointer: &str) -> String {
        let mapped = map_back(&self.moves, pointer);
        let mut cut = mapped.len();
        loop {
            if exists(&self.original, &mapped[..cut]) {
                return mapped[..cut].to_string();
            }
            match mapped[..cut].rfind('/') {
                Some(i) => cut = i,
                None => return mapped,
            }
        }
    }
}

fn exists(root: &Value, pointer: &str) -> bool {
    crate::pointer::walk(root, &crate::pointer::split(pointer)).is_some()
}

/// The normalised document, its source map and what was found on the way (errors about
/// malformed 3.1 constructs, warnings about what is left out), with original pointers.
pub struct Normalized {
    pub tree: Value,
    pub map: SourceMap,
    pub diagnostics: Diagnostics,
}

/// Normalises a 3.1 document (already checked to say `openapi: 3.1.x`), or a 3.2 one after
/// the 3.2 rewrite (`load/v32.rs`) took it to 3.1's shape.
pub fn normalize(mut doc: Value) -> Normalized {
    stringify_keys(&mut doc);
    let original = doc.clone();
    let mut n = Normalizer { moves: HashMap::new(), diags: Diagnostics::default(), depth: 0 };
    if super::v32::is_v32(&doc) {
        super::v32::normalize(&mut doc, &mut n.moves, &mut n.diags);
    }
    if let Value::Mapping(top) = &mut doc {
        n.document(top, &original);
    }
    Normalized { tree: doc, map: SourceMap { moves: n.moves, original }, diagnostics: n.diags }
}

/// What a 3.0 document read through its tree needs before the typed parse: string keys, and
/// path items given by `$ref` copied in (the typed model can't follow them).
pub fn normalize_v30(doc: &mut Value) -> Diagnostics {
    stringify_keys(doc);
    let original = doc.clone();
    let mut n = Normalizer { moves: HashMap::new(), diags: Diagnostics::default(), depth: 0 };
    if let Some(Value::Mapping(paths)) = doc.get_mut("paths") {
        n.inline_path_items(paths, "#/paths", &original);
    }
    n.diags
}

struct Normalizer {
    moves: HashMap<String, String>,
    diags: Diagnostics,
    depth: usize,
}

impl Normalizer {
    fn document(&mut self, top: &mut Mapping, original: &Value) {
        top.remove("jsonSchemaDialect");
        if !top.contains_key("paths") {
            top.insert("paths".into(), Value::Mapping(Mapping::new()));
        }
        if let Some(Value::Mapping(webhooks)) = top.remove("webhooks") {
            self.webhooks(&webhooks, top, original);
        }
        if let Some(Value::Mapping(paths)) = top.get_mut("paths") {
            self.inline_path_items(paths, "#/paths", original);
            optional_responses(paths);
        }
        self.mutual_tls(top);
        if let Some(Value::Mapping(components)) = top.get_mut("components") {
            components.remove("pathItems");
            for (section, value) in components.iter_mut() {
                let p = child("#/components", key(section));
                match (key(section), value) {
                    ("schemas", Value::Mapping(schemas)) => {
                        for (name, s) in schemas.iter_mut() {
                            self.schema(s, &child(&p, key(name)));
                        }
                    }
                    (_, v) => self.walk(v, &p),
                }
            }
        }
        for (k, v) in top.iter_mut() {
            if matches!(key(k), "paths" | "webhooks") {
                self.walk(v, &child("#", key(k)));
            }
        }
    }

    /// A path item (or callback's) given by `$ref` is copied in; its own fields win.
    fn inline_path_items(&mut self, paths: &mut Mapping, pointer: &str, original: &Value) {
        for (path, item) in paths.iter_mut() {
            let p = child(pointer, key(path));
            let Some(r) = item.get("$ref").and_then(Value::as_str).map(str::to_string) else { continue };
            match resolve(original, &r) {
                Some(Value::Mapping(target)) if !target.contains_key("$ref") => {
                    let Value::Mapping(own) = item else { continue };
                    own.remove("$ref");
                    for (k, v) in target {
                        if !own.contains_key(k) {
                            own.insert(k.clone(), v.clone());
                            self.moves.insert(child(&p, key(k)), child(&ref_pointer(&r), key(k)));
                        }
                    }
                }
                _ => self.diags.error(child(&p, "$ref"), format!("unresolved path item $ref `{r}`")),
            }
        }
    }

    /// `mutualTLS` (new in 3.1) is a client certificate, set up on the HTTP client rather than
    /// sent with each request: the scheme is dropped, and so is its part of every requirement.
    fn mutual_tls(&mut self, top: &mut Mapping) {
        let Some(Value::Mapping(schemes)) =
            top.get_mut("components").and_then(|c| c.get_mut("securitySchemes"))
        else {
            return;
        };
        let dropped: Vec<String> = schemes
            .iter()
            .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| key(name).to_string())
            .collect();
        for name in &dropped {
            schemes.remove(name.as_str());
            self.diags.warning(
                child("#/components/securitySchemes", name),
                "a `mutualTLS` scheme is a client certificate: configure it on the HTTP client (`ClientBuilder::http_client`); the generated client sends nothing for it",
            );
        }
        if dropped.is_empty() {
            return;
        }
        let drop_from = |security: Option<&mut Value>| {
            for requirement in security.and_then(Value::as_sequence_mut).into_iter().flatten() {
                if let Value::Mapping(r) = requirement {
                    r.retain(|k, _| !dropped.iter().any(|d| d == key(k)));
                }
            }
        };
        drop_from(top.get_mut("security"));
        if let Some(Value::Mapping(paths)) = top.get_mut("paths") {
            for op in operations_mut(paths) {
                drop_from(op.get_mut("security"));
            }
        }
    }

    /// Webhooks are requests the API sends: no call to make, but their payload types are
    /// generated (an inline payload schema becomes a component).
    fn webhooks(&mut self, webhooks: &Mapping, top: &mut Mapping, original: &Value) {
        for (name, item) in webhooks {
            let p = child("#/webhooks", key(name));
            let item = match item.get("$ref").and_then(Value::as_str) {
                Some(r) => resolve(original, r).unwrap_or(item),
                None => item,
            };
            let Some(item) = item.as_mapping() else { continue };
            for (method, op) in item {
                let method = key(method);
                if !METHODS.contains(&method) {
                    continue;
                }
                let op_ptr = child(&p, method);
                self.diags.warning(
                    &op_ptr,
                    "a webhook is a request the API sends, not a call this client makes; skipped (its payload types are generated)",
                );
                let content =
                    op.get("requestBody").and_then(|b| b.get("content")).and_then(Value::as_mapping);
                for (media, m) in content.into_iter().flatten() {
                    let Some(schema) = m.get("schema") else { continue };
                    let is_ref = schema.as_mapping().is_some_and(|s| s.len() == 1 && s.contains_key("$ref"));
                    if is_ref || !crate::media::is_json(key(media)) {
                        continue;
                    }
                    let schemas = top
                        .entry("components".into())
                        .or_insert_with(|| Value::Mapping(Mapping::new()))
                        .as_mapping_mut()
                        .and_then(|c| {
                            c.entry("schemas".into())
                                .or_insert_with(|| Value::Mapping(Mapping::new()))
                                .as_mapping_mut()
                        });
                    let Some(schemas) = schemas else { continue };
                    let base = format!("{}Payload", crate::ident::camel(key(name)));
                    let mut component = base.clone();
                    let mut i = 2;
                    while schemas.contains_key(component.as_str()) {
                        component = format!("{base}{i}");
                        i += 1;
                    }
                    let from = child(
                        &child(&child(&child(&op_ptr, "requestBody"), "content"), key(media)),
                        "schema",
                    );
                    self.moves.insert(child("#/components/schemas", &component), from);
                    schemas.insert(component.into(), schema.clone());
                }
            }
        }
    }

    /// Outside schemas: every `schema` member is one; examples and extensions are data.
    fn walk(&mut self, v: &mut Value, pointer: &str) {
        match v {
            Value::Mapping(m) => {
                for (k, child_v) in m.iter_mut() {
                    let k = key(k);
                    if k.starts_with("x-") || k == "example" || k == "examples" {
                        continue;
                    }
                    let p = child(pointer, k);
                    if k == "schema" {
                        self.schema(child_v, &p);
                    } else {
                        self.walk(child_v, &p);
                    }
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(item, &child(pointer, &i.to_string()));
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, v: &mut Value, pointer: &str) {
        match v {
            Value::Bool(true) => *v = Value::Mapping(Mapping::new()),
            Value::Bool(false) => {
                let mut m = Mapping::new();
                m.insert("not".into(), Value::Mapping(Mapping::new()));
                *v = Value::Mapping(m);
            }
            _ => {}
        }
        let Value::Mapping(m) = v else { return };
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.null_union(m, pointer);
        self.ref_siblings(m, pointer);
        self.type_array(m, pointer);
        self.keywords(m, pointer);
        always_sent_consts(m);
        for (k, sub) in m.iter_mut() {
            let k = key(k);
            let p = child(pointer, k);
            if SCHEMA_MAPS.contains(&k) {
                if let Value::Mapping(subs) = sub {
                    for (name, s) in subs.iter_mut() {
                        self.schema(s, &child(&p, key(name)));
                    }
                }
            } else if SCHEMA_LISTS.contains(&k) {
                if let Value::Sequence(subs) = sub {
                    for (i, s) in subs.iter_mut().enumerate() {
                        self.schema(s, &child(&p, &i.to_string()));
                    }
                }
            } else if SCHEMA_ONE.contains(&k) && !(k.ends_with("Properties") && sub.is_bool()) {
                // `additionalProperties: false` is already 3.0.
                self.schema(sub, &p);
            }
        }
        self.depth -= 1;
    }

    /// Records that the value now at `new` was at `old` (both pointers into the normalised
    /// tree as it was before this change).
    fn moved(&mut self, new: String, old: &str) {
        let orig = map_back(&self.moves, old);
        self.moves.insert(new, orig);
    }

    /// `anyOf`/`oneOf` with `{type: "null"}` members: the members go and the schema becomes
    /// `nullable`; one member left is merged in (or wrapped in `allOf` when it can't be).
    fn null_union(&mut self, m: &mut Mapping, pointer: &str) {
        for kw in ["anyOf", "oneOf"] {
            let Some(Value::Sequence(members)) = m.get(kw) else { continue };
            if !members.iter().any(is_null_member) {
                continue;
            }
            let kept: Vec<(usize, Value)> =
                members.iter().cloned().enumerate().filter(|(_, s)| !is_null_member(s)).collect();
            let p = child(pointer, kw);
            m.insert("nullable".into(), Value::Bool(true));
            let others = ["anyOf", "oneOf", "allOf", "$ref"]
                .iter()
                .filter(|k| **k != kw && m.contains_key(**k))
                .count();
            if kept.len() == 1 && others == 0 {
                let (i, member) = kept.into_iter().next().expect("one member");
                let from = child(&p, &i.to_string());
                m.remove(kw);
                let mergeable = match &member {
                    Value::Mapping(mm) => mm.keys().all(|k| !m.contains_key(k) || key(k) == "nullable"),
                    _ => false,
                };
                if let (true, Value::Mapping(mm)) = (mergeable, &member) {
                    for (k, v) in mm {
                        self.moved(child(pointer, key(k)), &child(&from, key(k)));
                        m.insert(k.clone(), v.clone());
                    }
                } else {
                    self.moved(child(&child(pointer, "allOf"), "0"), &from);
                    m.insert("allOf".into(), Value::Sequence(vec![member]));
                }
                continue;
            }
            let moves: Vec<(String, String)> = kept
                .iter()
                .enumerate()
                .filter(|(new, (old, _))| new != old)
                .map(|(new, (old, _))| (child(&p, &new.to_string()), child(&p, &old.to_string())))
                .collect();
            let origins: Vec<(String, String)> =
                moves.into_iter().map(|(new, old)| (new, map_back(&self.moves, &old))).collect();
            self.moves.extend(origins);
            m.insert(kw.into(), Value::Sequence(kept.into_iter().map(|(_, v)| v).collect()));
        }
    }

    /// `{$ref, description, ...}`: the reference becomes the first `allOf` member, so the
    /// siblings annotate it instead of being ignored.
    fn ref_siblings(&mut self, m: &mut Mapping, pointer: &str) {
        if m.len() < 2 || !m.contains_key("$ref") {
            return;
        }
        let r = m.remove("$ref").expect("checked");
        let ref_origin = map_back(&self.moves, &child(pointer, "$ref"));
        let ref_node = ref_origin.strip_suffix("/$ref").unwrap_or(&ref_origin).to_string();
        let all = child(pointer, "allOf");
        let mut members = match m.remove("allOf") {
            Some(Value::Sequence(s)) => s,
            _ => Vec::new(),
        };
        let shifted: Vec<(String, String)> = (0..members.len())
            .map(|i| (child(&all, &(i + 1).to_string()), map_back(&self.moves, &child(&all, &i.to_string()))))
            .collect();
        self.moves.extend(shifted);
        // The reference node: the schema at `pointer`, or a member merged into it.
        self.moves.insert(child(&all, "0"), ref_node);
        let mut reference = Mapping::new();
        reference.insert("$ref".into(), r);
        members.insert(0, Value::Mapping(reference));
        m.insert("allOf".into(), Value::Sequence(members));
    }

    /// `type: [T, "null"]` is `type: T, nullable: true`; several types become an `anyOf`.
    fn type_array(&mut self, m: &mut Mapping, pointer: &str) {
        let Some(Value::Sequence(types)) = m.get("type") else { return };
        let mut names = Vec::new();
        for (i, t) in types.iter().enumerate() {
            match t.as_str() {
                Some(s) => names.push(s.to_string()),
                None => self.diags.error(
                    map_back(&self.moves, &child(&child(pointer, "type"), &i.to_string())),
                    "a `type` array holds type names (strings)",
                ),
            }
        }
        let null = names.iter().any(|n| n == "null");
        names.retain(|n| n != "null");
        if null {
            m.insert("nullable".into(), Value::Bool(true));
        }
        match names.len() {
            // `type: ["null"]`: null is the only value, as with `type: "null"`.
            0 if null => {
                m.remove("nullable");
                m.insert("type".into(), Value::String("null".into()));
            }
            0 => {
                m.remove("type");
            }
            1 => {
                m.insert("type".into(), Value::String(names.remove(0)));
            }
            _ => {
                m.remove("type");
                let members = names
                    .into_iter()
                    .map(|t| {
                        let mut member = Mapping::new();
                        for k in keywords_of(&t) {
                            if let Some(v) = m.get(*k) {
                                member.insert((*k).into(), v.clone());
                            }
                        }
                        member.insert("type".into(), Value::String(t));
                        Value::Mapping(member)
                    })
                    .collect::<Vec<_>>();
                for k in ["format", "items", "properties", "required", "additionalProperties", "enum"] {
                    m.remove(k);
                }
                if !m.contains_key("anyOf") && !m.contains_key("oneOf") {
                    m.insert("anyOf".into(), Value::Sequence(members));
                }
            }
        }
    }

    /// `const`, numeric exclusive bounds, `examples`, `contentEncoding`/`contentMediaType`.
    fn keywords(&mut self, m: &mut Mapping, pointer: &str) {
        if let Some(c) = m.remove("const") {
            self.moved(child(pointer, "enum"), &child(pointer, "const"));
            if c.is_null() {
                // Null is the only value (a member of a union goes before this: `is_null_member`).
                m.insert("enum".into(), Value::Sequence(vec![Value::Null]));
            } else {
                if !m.contains_key("type") && !m.contains_key("$ref") && !m.contains_key("allOf") {
                    let t = match &c {
                        Value::String(_) => Some("string"),
                        Value::Bool(_) => Some("boolean"),
                        Value::Number(n) if n.is_f64() => Some("number"),
                        Value::Number(_) => Some("integer"),
                        _ => None,
                    };
                    if let Some(t) = t {
                        m.insert("type".into(), t.into());
                    }
                }
                m.insert("enum".into(), Value::Sequence(vec![c]));
            }
        }
        for (excl, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(Value::Number(n)) = m.get(excl).cloned() {
                self.moved(child(pointer, bound), &child(pointer, excl));
                m.insert(bound.into(), Value::Number(n));
                m.insert(excl.into(), Value::Bool(true));
            }
        }
        if let Some(examples) = m.remove("examples") {
            if let Some(first) = examples.as_sequence().and_then(|s| s.first()) {
                if !m.contains_key("example") {
                    self.moved(child(pointer, "example"), &child(&child(pointer, "examples"), "0"));
                    m.insert("example".into(), first.clone());
                }
            }
        }
        let encoding = m.remove("contentEncoding");
        let media = m.remove("contentMediaType");
        if !m.contains_key("format") {
            let binary = media.as_ref().and_then(Value::as_str).is_some_and(|t| !crate::media::is_json(t));
            let format = match encoding.as_ref().and_then(Value::as_str) {
                Some(e) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
                    Some("byte")
                }
                None if binary => Some("binary"),
                _ => None,
            };
            if let Some(f) = format {
                m.insert("format".into(), f.into());
            }
        }
    }
}

/// A property fixed by `const` whose `default` is that value (pydantic's `Literal` fields, as
/// FastAPI writes them) is always sent: it is required, so a union of such objects is tagged
/// by it rather than tried member by member (where each member's tag would accept any value).
/// A server may still leave it out (`response_model_exclude_unset`): a string one is marked
/// [`crate::ir::ABSENT_IS_DEFAULT`], and decodes as its value when absent.
fn always_sent_consts(m: &mut Mapping) {
    let already: Vec<Value> = m.get("required").and_then(Value::as_sequence).cloned().unwrap_or_default();
    let Some(Value::Mapping(props)) = m.get_mut("properties") else { return };
    let mut fixed: Vec<Value> = Vec::new();
    for (k, p) in props.iter_mut() {
        let Some(p) = p.as_mapping_mut() else { continue };
        let string = match p.get("const") {
            Some(c) if !c.is_null() && p.get("default") == Some(c) => c.is_string(),
            _ => continue,
        };
        // One already required stays so: a server must send it.
        if string && !already.contains(k) {
            p.insert(crate::ir::ABSENT_IS_DEFAULT.into(), Value::Bool(true));
        }
        fixed.push(k.clone());
    }
    if fixed.is_empty() {
        return;
    }
    let required = m.entry("required".into()).or_insert_with(|| Value::Sequence(Vec::new()));
    if let Value::Sequence(required) = required {
        for k in fixed {
            if !required.contains(&k) {
                required.push(k);
            }
        }
    }
}

/// 3.1 makes an operation's `responses` optional; 3.0 requires it (and an operation without
/// one then has no documented success body).
fn optional_responses(paths: &mut Mapping) {
    for op in operations_mut(paths) {
        if !op.contains_key("responses") {
            op.insert("responses".into(), Value::Mapping(Mapping::new()));
        }
    }
}

/// Every operation of every path item.
fn operations_mut(paths: &mut Mapping) -> impl Iterator<Item = &mut Mapping> {
    paths.iter_mut().filter_map(|(_, item)| item.as_mapping_mut()).flat_map(|item| {
        item.iter_mut()
            .filter(|(method, _)| METHODS.contains(&key(method)))
            .filter_map(|(_, op)| op.as_mapping_mut())
    })
}

/// `{type: "null"}`, `{type: ["null"]}`, `{const: null}`, `{enum: [null]}` (annotations aside).
fn is_null_member(v: &Value) -> bool {
    let Some(m) = v.as_mapping() else { return false };
    let null_type = match m.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Sequence(ts)) => ts.len() == 1 && ts[0].as_str() == Some("null"),
        _ => false,
    };
    let null_const = m.get("const").is_some_and(Value::is_null)
        || m.get("enum").and_then(Value::as_sequence).is_some_and(|e| e.len() == 1 && e[0].is_null());
    (null_type || null_const)
        && !m.keys().any(|k| matches!(key(k), "properties" | "items" | "allOf" | "anyOf" | "oneOf" | "$ref"))
}

/// The keywords that belong to one JSON type, when a `type` array is split.
fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "integer" | "number" => {
            &["format", "minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum"]
        }
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        _ => &[],
    }
}

fn key(k: &Value) -> &str {
    k.as_str().unwrap_or_default()
}

/// A document tree read leniently: integers beyond 64 bits (OpenAI's `minimum:
/// -9223372036854776000`) become floats, which `serde_yaml::Value` refuses outright.
pub struct Tree(pub Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Mapping::new();
        while let Some((Tree(k), Tree(v))) = map.next_entry()? {
            m.insert(k, v);
        }
        Ok(Value::Mapping(m))
    }
}

/// YAML allows numbers and booleans as keys (`200:`); JSON pointers and the typed parse want
/// strings.
pub(crate) fn stringify_keys(v: &mut Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Mapping(m) => {
                if m.keys().any(|k| !k.is_string()) {
                    let old = std::mem::take(m);
                    for (k, val) in old {
                        let k = match k {
                            Value::String(s) => s,
                            Value::Number(n) => n.to_string(),
                            Value::Bool(b) => b.to_string(),
                            Value::Null => "null".to_string(),
                            other => serde_yaml::to_string(&other).unwrap_or_default().trim().to_string(),
                        };
                        m.insert(Value::String(k), val);
                    }
                }
                stack.extend(m.values_mut());
            }
            Value::Sequence(s) => stack.extend(s.iter_mut()),
            Value::Tagged(t) => stack.push(&mut t.value),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(yaml: &str) -> Normalized {
        normalize(serde_yaml::from_str(yaml).unwrap())
    }

    fn at<'v>(v: &'v Value, pointer: &str) -> &'v Value {
        resolve(v, pointer).unwrap_or_else(|| panic!("no {pointer} in {v:?}"))
    }

    #[test]
    fn null_unions_and_type_arrays_become_nullable() {
        let n = norm(
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      anyOf: [{type: string, maxLength: 3}, {type: 'null'}]\n      title: A\n    B:\n      type: [integer, 'null']\n    C:\n      oneOf: [{type: 'null'}, {$ref: '#/components/schemas/A'}]\n",
        );
        let a = at(&n.tree, "#/components/schemas/A");
        assert_eq!(a.get("type").unwrap(), "string");
        assert_eq!(a.get("nullable").unwrap(), &Value::Bool(true));
        assert_eq!(
            n.map.original_pointer("#/components/schemas/A/maxLength"),
            "#/components/schemas/A/anyOf/0/maxLength"
        );
        let b = at(&n.tree, "#/components/schemas/B");
        assert_eq!(b.get("type").unwrap(), "integer");
        let c = at(&n.tree, "#/components/schemas/C");
        assert_eq!(at(c, "#/allOf/0/$ref"), "#/components/schemas/A");
        assert_eq!(
            n.map.original_pointer("#/components/schemas/C/allOf/0/$ref"),
            "#/components/schemas/C/oneOf/1/$ref"
        );
        assert_eq!(n.map.original_pointer("#/components/schemas/C/nullable"), "#/components/schemas/C");
    }

    #[test]
    fn ref_siblings_const_and_bounds() {
        let n = norm(
            "openapi: 3.1.0\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: '#/components/schemas/B', description: d}\n        k: {const: dog}\n        n: {type: number, exclusiveMinimum: 0, examples: [1.5]}\n    B: {type: string}\n",
        );
        let x = at(&n.tree, "#/components/schemas/A/properties/x");
        assert_eq!(at(x, "#/allOf/0/$ref"), "#/components/schemas/B");
        assert_eq!(x.get("description").unwrap(), "d");
        assert_eq!(
            n.map.original_pointer("#/components/schemas/A/properties/x/allOf/0/$ref"),
            "#/components/schemas/A/properties/x/$ref"
        );
        let k = at(&n.tree, "#/components/schemas/A/properties/k");
        assert_eq!(k.get("type").unwrap(), "string");
        assert_eq!(at(k, "#/enum/0"), "dog");
        let num = at(&n.tree, "#/components/schemas/A/properties/n");
        assert_eq!(num.get("exclusiveMinimum").unwrap(), &Value::Bool(true));
        assert_eq!(num.get("example").unwrap(), &Value::from(1.5));
    }

    #[test]
    fn missing_responses_and_mutual_tls() {
        let n = norm(
            "openapi: 3.1.0\nsecurity: [{m: []}, {b: []}]\npaths:\n  /p:\n    get:\n      security: [{m: [], b: []}]\ncomponents:\n  securitySchemes:\n    m: {type: mutualTLS}\n    b: {type: http, scheme: bearer}\n",
        );
        assert_eq!(at(&n.tree, "#/paths/~1p/get/responses"), &Value::Mapping(Mapping::new()));
        assert!(resolve(&n.tree, "#/components/securitySchemes/m").is_none());
        assert_eq!(at(&n.tree, "#/security/0"), &Value::Mapping(Mapping::new()));
        assert_eq!(at(&n.tree, "#/paths/~1p/get/security/0/b"), &Value::Sequence(vec![]));
        assert!(resolve(&n.tree, "#/paths/~1p/get/security/0/m").is_none());
        let w: Vec<_> = n.diagnostics.warnings().collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].pointer, "#/components/securitySchemes/m");
        assert!(w[0].message.contains("client certificate"), "{}", w[0].message);
    }
}
