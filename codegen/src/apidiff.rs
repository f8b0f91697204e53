//! What changed in the generated Rust API between two versions of a document, each change
//! marked breaking or compatible for a crate's semver.
//!
//! The rules follow from the generated code: request builders take required values as
//! arguments and optional ones as setters; request types are built by users, response types
//! only read; string enums are `#[non_exhaustive]` with a catch-all variant.

use crate::ir::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The Rust item, e.g. `indexes().create()` or `types::Index::output_directory_id`.
    pub item: String,
    pub detail: String,
    pub breaking: bool,
}

/// The changes that reach one operation: its own, and those of every type it sends or receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationChanges {
    /// The call, e.g. `indexes().create()`.
    pub operation: String,
    /// The document's operationId.
    pub id: String,
    /// Indexes into [`Report::changes`].
    pub changes: Vec<usize>,
    pub breaking: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
    /// Per operation (old or new), the changes that affect it; operations untouched are left out.
    pub operations: Vec<OperationChanges>,
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    pub fn markdown(&self) -> String {
        let mut out = format!("# API changes: {} → {}\n\n", self.old, self.new);
        let compatible = self.changes.len() - self.breaking();
        out.push_str(&format!("{} breaking, {} compatible.\n", self.breaking(), compatible));
        if self.changes.is_empty() {
            out.push_str("\nThe generated API is the same.\n");
            return out;
        }
        out.push_str("\n| | item | change |\n|---|---|---|\n");
        for c in &self.changes {
            let mark = if c.breaking { "**breaking**" } else { "compatible" };
            out.push_str(&format!("| {mark} | `{}` | {} |\n", c.item, c.detail.replace('|', "\\|")));
        }
        if !self.operations.is_empty() {
            out.push_str("\n## By operation\n\n| | operation | operationId | changes |\n|---|---|---|---|\n");
            for o in &self.operations {
                let mark = if o.breaking { "**breaking**" } else { "compatible" };
                let items: Vec<String> =
                    o.changes.iter().map(|i| format!("`{}`", self.changes[*i].item)).collect();
                out.push_str(&format!(
                    "| {mark} | `{}` | `{}` | {} |\n",
                    o.operation,
                    o.id,
                    items.join(", ")
                ));
            }
        }
        out
    }

    pub fn json(&self) -> String {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| serde_json::json!({"item": c.item, "change": c.detail, "breaking": c.breaking}))
            .collect();
        let operations: Vec<serde_json::Value> = self
            .operations
            .iter()
            .map(|o| {
                let items: Vec<&str> = o.changes.iter().map(|i| self.changes[*i].item.as_str()).collect();
                serde_json::json!({"operation": o.operation, "operationId": o.id, "breaking": o.breaking, "changes": items})
            })
            .collect();
        let v = serde_json::json!({
            "old": self.old,
            "new": self.new,
            "breaking": self.breaking(),
            "compatible": self.changes.len() - self.breaking(),
            "changes": changes,
            "operations": operations,
        });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }
}

/// Rust-like text for a type, for messages.
pub fn show(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Integer(k) => format!("{k:?}").to_lowercase(),
        TypeRef::Float(k) => format!("{k:?}").to_lowercase(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Unit => "()".into(),
        TypeRef::JsonObject => "serde_json::Map".into(),
        TypeRef::Binary => "FilePart".into(),
        TypeRef::Base64 => "Base64Bytes".into(),
        TypeRef::External(path) => path.clone(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(i) => format!("Vec<{}>", show(i)),
        TypeRef::Map(i) => format!("BTreeMap<String, {}>", show(i)),
        TypeRef::Option(i) => format!("Option<{}>", show(i)),
        TypeRef::Box(i) => format!("Box<{}>", show(i)),
    }
}

fn unboxed(t: &TypeRef) -> TypeRef {
    match t {
        TypeRef::Box(i) => unboxed(i),
        TypeRef::Option(i) => TypeRef::Option(Box::new(unboxed(i))),
        TypeRef::Vec(i) => TypeRef::Vec(Box::new(unboxed(i))),
        TypeRef::Map(i) => TypeRef::Map(Box::new(unboxed(i))),
        other => other.clone(),
    }
}

fn op_key(op: &Operation) -> String {
    let mut path: Vec<String> = op.resource.iter().map(|r| format!("{r}()")).collect();
    path.push(format!("{}()", op.method_name));
    path.join(".")
}

/// Compares two lowered APIs.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    let mut push =
        |item: String, detail: String, breaking: bool| changes.push(Change { item, detail, breaking });

    let old_ops: BTreeMap<String, &Operation> = old.operations.iter().map(|o| (op_key(o), o)).collect();
    let new_ops: BTreeMap<String, &Operation> = new.operations.iter().map(|o| (op_key(o), o)).collect();
    for (k, o) in &old_ops {
        match new_ops.get(k) {
            None => push(k.clone(), format!("operation `{}` removed", o.id), true),
            Some(n) => compare_ops(k, o, n, &mut push),
        }
    }
    for (k, n) in &new_ops {
        if !old_ops.contains_key(k) {
            push(
                k.clone(),
                format!("operation `{}` added ({} {})", n.id, n.http_method.as_str(), n.path),
                false,
            );
        }
    }

    let old_req = Api::request_types(old);
    let new_req = Api::request_types(new);
    let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, o) in &old_types {
        let item = format!("types::{name}");
        match new_types.get(name) {
            None => push(item, "type removed".into(), true),
            Some(n) => {
                let in_request = old_req.contains(*name) || new_req.contains(*name);
                compare_types(&item, o, n, in_request, &mut push)
            }
        }
    }
    for name in new_types.keys() {
        if !old_types.contains_key(name) {
            push(format!("types::{name}"), "type added".into(), false);
        }
    }
    let operations = by_operation(old, new, &changes);
    Report {
        old: format!("{} {}", old.title, old.version),
        new: format!("{} {}", new.title, new.version),
        changes,
        operations,
    }
}

/// Which changes reach each operation: its own items, and the types it uses in either version.
fn by_operation(old: &Api, new: &Api, changes: &[Change]) -> Vec<OperationChanges> {
    let roots = |op: &'_ Operation| -> Vec<TypeRef> {
        let mut r: Vec<TypeRef> = op.params.iter().map(|p| p.ty.clone()).collect();
        r.extend(op.body.as_ref().map(|b| b.ty.clone()));
        r.extend(op.answer_types().into_iter().cloned());
        r
    };
    let mut keys: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for (api, ops) in [(old, &old.operations), (new, &new.operations)] {
        for op in ops {
            let r = roots(op);
            let types = api.reachable(r.iter().collect());
            let entry = keys.entry(op_key(op)).or_insert_with(|| (op.id.clone(), BTreeSet::new()));
            entry.1.extend(types);
        }
    }
    let mut out = Vec::new();
    for (key, (id, types)) in keys {
        let hits: Vec<usize> = changes
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.item == key
                    || c.item.starts_with(&format!("{key} "))
                    || c.item
                        .strip_prefix("types::")
                        .is_some_and(|t| types.contains(t.split("::").next().unwrap_or(t)))
            })
            .map(|(i, _)| i)
            .collect();
        if !hits.is_empty() {
            let breaking = hits.iter().any(|i| changes[*i].breaking);
            out.push(OperationChanges { operation: key, id, changes: hits, breaking });
        }
    }
    out
}

fn compare_ops(key: &str, o: &Operation, n: &Operation, push: &mut impl FnMut(String, String, bool)) {
    let op_params = |op: &Operation| -> BTreeMap<String, (TypeRef, bool)> {
        op.params.iter().map(|p| (p.name.clone(), (unboxed(&p.ty), p.required))).collect()
    };
    let (op_, np) = (op_params(o), op_params(n));
    for (name, (ot, oreq)) in &op_ {
        let item = format!("{key} {name}");
        match np.get(name) {
            None => push(item, "parameter removed".into(), true),
            Some((nt, nreq)) => {
                if ot != nt {
                    push(
                        item.clone(),
                        format!("parameter type changed: `{}` → `{}`", show(ot), show(nt)),
                        true,
                    );
                }
                if oreq != nreq {
                    let d = if *nreq {
                        "parameter became required (a new argument)"
                    } else {
                        "parameter became optional (no longer an argument)"
                    };
                    push(item, d.into(), true);
                }
            }
        }
    }
    for (name, (_, req)) in &np {
        if !op_.contains_key(name) {
            let d =
                if *req { "required parameter added (a new argument)" } else { "optional parameter added" };
            push(format!("{key} {name}"), d.into(), *req);
        }
    }
    let ret = |op: &Operation| match &op.response.kind {
        ResponseKind::Empty => "()".to_string(),
        ResponseKind::Json(t) => show(&unboxed(t)),
        ResponseKind::Bytes => "Bytes".into(),
        ResponseKind::Text => "String".into(),
        ResponseKind::ByStatus(b) => {
            let cases = b.cases.iter().map(|c| {
                format!("{}: {}", c.key, c.ty.as_ref().map(|t| show(&unboxed(t))).unwrap_or("()".into()))
            });
            format!("{} {{ {} }}", b.name, cases.collect::<Vec<_>>().join(", "))
        }
    };
    if ret(o) != ret(n) {
        push(key.to_string(), format!("return type changed: `{}` → `{}`", ret(o), ret(n)), true);
    }
    compare_errors(key, o, n, push);
    compare_streams(key, o, n, push);
    let body = |op: &Operation| {
        op.body.as_ref().map(|b| (show(&unboxed(&b.ty)), b.required, b.content_type.clone()))
    };
    match (body(o), body(n)) {
        (Some(a), Some(b)) if a != b => push(
            key.to_string(),
            format!("request body changed: `{}` → `{}`", a.0, b.0),
            a.0 != b.0 || a.1 != b.1,
        ),
        (None, Some(b)) => push(key.to_string(), format!("request body added: `{}`", b.0), b.1),
        (Some(a), None) => push(key.to_string(), format!("request body `{}` removed", a.0), true),
        _ => {}
    }
}

/// The documented error bodies (`types::<Op>Error`): a variant removed or retyped breaks a
/// `match`; one added doesn't (the enum is non-exhaustive); gaining or losing the enum changes
/// the call's error type.
fn compare_errors(key: &str, o: &Operation, n: &Operation, push: &mut impl FnMut(String, String, bool)) {
    let cases = |op: &Operation| -> BTreeMap<String, String> {
        let cases = op.errors.iter().flat_map(|b| &b.cases);
        cases.filter_map(|c| Some((c.key.clone(), show(&unboxed(c.ty.as_ref()?))))).collect()
    };
    match (&o.errors, &n.errors) {
        (None, Some(b)) => {
            return push(
                key.to_string(),
                format!("typed error bodies added: the call's error is now `Error<types::{}>`", b.name),
                true,
            )
        }
        (Some(b), None) => {
            return push(
                key.to_string(),
                format!(
                    "typed error bodies removed: `types::{}` is gone, the call's error is `Error`",
                    b.name
                ),
                true,
            )
        }
        _ => {}
    }
    let (oc, nc) = (cases(o), cases(n));
    for (status, ot) in &oc {
        match nc.get(status) {
            None => {
                push(format!("{key} error {status}"), format!("error body `{ot}` no longer documented"), true)
            }
            Some(nt) if nt != ot => push(
                format!("{key} error {status}"),
                format!("error body type changed: `{ot}` → `{nt}`"),
                true,
            ),
            _ => {}
        }
    }
    for (status, nt) in nc.iter().filter(|(s, _)| !oc.contains_key(*s)) {
        push(format!("{key} error {status}"), format!("error body `{nt}` documented (a new variant)"), false);
    }
}

/// The streamed answer (`send_stream()`): added is compatible; removed, or its items or format
/// changed, breaks a caller.
fn compare_streams(key: &str, o: &Operation, n: &Operation, push: &mut impl FnMut(String, String, bool)) {
    let stream = |op: &Operation| {
        op.response.stream.as_ref().map(|s| {
            let item = show(&unboxed(&s.item));
            match s.format {
                StreamFormat::Sse => format!("Event<{item}>"),
                StreamFormat::JsonLines | StreamFormat::JsonSeq => item,
            }
        })
    };
    match (stream(o), stream(n)) {
        (None, Some(t)) => push(key.to_string(), format!("`send_stream()` added, yielding `{t}`"), false),
        (Some(t), None) => push(key.to_string(), format!("`send_stream()` (yielding `{t}`) removed"), true),
        (Some(a), Some(b)) if a != b => {
            push(key.to_string(), format!("stream items changed: `{a}` → `{b}`"), true)
        }
        _ => {}
    }
}

fn compare_types(
    item: &str,
    o: &TypeDef,
    n: &TypeDef,
    in_request: bool,
    push: &mut impl FnMut(String, String, bool),
) {
    match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            let fa: BTreeMap<&str, &Field> = a.fields.iter().map(|f| (f.name.as_str(), f)).collect();
            let fb: BTreeMap<&str, &Field> = b.fields.iter().map(|f| (f.name.as_str(), f)).collect();
            for (name, f) in &fa {
                let fi = format!("{item}::{name}");
                match fb.get(name) {
                    None => push(fi, "field removed".into(), true),
                    Some(g) => {
                        let (ta, tb) = (unboxed(&f.ty()), unboxed(&g.ty()));
                        if ta != tb {
                            push(fi, format!("field type changed: `{}` → `{}`", show(&ta), show(&tb)), true);
                        }
                    }
                }
            }
            for (name, g) in &fb {
                if !fa.contains_key(name) {
                    let fi = format!("{item}::{name}");
                    // Models are `#[non_exhaustive]` and built with `new(required fields)`: a new
                    // optional field changes nothing a user wrote; a new required one changes
                    // `new`'s arguments (and, in a request, needs a value the user doesn't give).
                    let breaking = g.presence.required();
                    let d = match (in_request, g.presence.required()) {
                        (true, true) => "required field added to a request type",
                        (true, false) => "optional field added to a request type",
                        (false, true) => {
                            "required field added to a response type (its `new` takes one more argument)"
                        }
                        (false, false) => "optional field added to a response type",
                    };
                    push(fi, d.into(), breaking);
                }
            }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            let va: BTreeSet<&str> = a.variants.iter().map(|v| v.value.as_str()).collect();
            let vb: BTreeSet<&str> = b.variants.iter().map(|v| v.value.as_str()).collect();
            for v in va.difference(&vb) {
                push(item.to_string(), format!("enum value `{v}` removed"), true);
            }
            for v in vb.difference(&va) {
                push(item.to_string(), format!("enum value `{v}` added (the enum is non-exhaustive)"), false);
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) if unboxed(a) != unboxed(b) => {
            push(item.to_string(), format!("type changed: `{}` → `{}`", show(a), show(b)), true)
        }
        (TypeKind::Untagged(a), TypeKind::Untagged(b)) => {
            let sa: Vec<String> = a.iter().map(|v| show(&unboxed(&v.ty))).collect();
            let sb: Vec<String> = b.iter().map(|v| show(&unboxed(&v.ty))).collect();
            if sa != sb {
                push(
                    item.to_string(),
                    format!("variants changed: {} → {}", sa.join(" | "), sb.join(" | ")),
                    true,
                );
            }
        }
        (TypeKind::Tagged { variants: a, .. }, TypeKind::Tagged { variants: b, .. }) => {
            let va: BTreeSet<&str> = a.iter().map(|v| v.value.as_str()).collect();
            let vb: BTreeSet<&str> = b.iter().map(|v| v.value.as_str()).collect();
            for v in va.difference(&vb) {
                push(item.to_string(), format!("variant `{v}` removed"), true);
            }
            for v in vb.difference(&va) {
                push(item.to_string(), format!("variant `{v}` added"), true);
            }
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => {
            push(item.to_string(), format!("kind changed: {} → {}", kind_name(a), kind_name(b)), true)
        }
        _ => {}
    }
}

fn kind_name(k: &TypeKind) -> String {
    match k {
        TypeKind::Struct(_) => "struct".into(),
        TypeKind::Enum(_) => "string enum".into(),
        TypeKind::Untagged(_) => "untagged enum".into(),
        TypeKind::Tagged { .. } => "tagged enum".into(),
        TypeKind::Alias(t) => format!("alias of `{}`", show(t)),
    }
}
