//! `slice`: a self-contained document with only the chosen operations and every component they
//! reach, in the upstream's own OpenAPI version and key order. A maintainer refreshes the
//! hand-maintained spec from a new upstream document this way and reviews the difference.
//!
//! The document is read as a plain YAML/JSON tree (not the typed 3.0 model), so 3.0 and 3.1
//! documents slice alike and nothing the model doesn't know is lost.

use crate::diag::{Diagnostic, Diagnostics, GenerateError};
use crate::load::Format;
use crate::pointer::child;
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::path::Path;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Which operations to keep: by `operationId`, and every operation carrying one of the tags.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub operations: Vec<String>,
    pub tags: Vec<String>,
}

impl Selection {
    /// Whether it names nothing (then nothing is cut).
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.tags.is_empty()
    }
}

/// Slices the document at `path`; the result is YAML or JSON as `out` says.
pub fn slice_file(path: &Path, selection: &Selection, out: Format) -> Result<String, GenerateError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        GenerateError::single(&name, Diagnostic::error("", format!("cannot read the file: {e}")))
    })?;
    slice_text(&name, Format::from_path(path), &text, selection, out)
}

/// Slices a document held in memory; `name` is used in messages.
pub fn slice_text(
    name: &str,
    format: Format,
    text: &str,
    selection: &Selection,
    out: Format,
) -> Result<String, GenerateError> {
    let fail = |mut diagnostics: Diagnostics| {
        for d in &mut diagnostics.items {
            d.location = crate::source::locate(text, format, &d.pointer);
        }
        GenerateError { source_name: name.to_string(), diagnostics }
    };
    // Leniently: OpenAI's 3.1 document has integers beyond 64 bits, which `Value` refuses.
    let crate::load::v31::Tree(doc) =
        crate::load::parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    let sliced = slice(&doc, selection).map_err(fail)?;
    let written = match out {
        Format::Yaml => serde_yaml::to_string(&sliced).map_err(|e| e.to_string()),
        Format::Json => serde_json::to_string_pretty(&sliced).map(|s| s + "\n").map_err(|e| e.to_string()),
    };
    written.map_err(|e| {
        GenerateError::single(name, Diagnostic::error("", format!("cannot write the slice: {e}")))
    })
}

/// The sliced document, or what stops it (an unknown operation or tag, an unresolvable `$ref`).
pub fn slice(doc: &Value, selection: &Selection) -> Result<Value, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(top) = doc.as_mapping() else {
        diags.error("", "the document is not a mapping");
        return Err(diags);
    };
    if top.contains_key("swagger") {
        diags.error("#/swagger", "Swagger 2.0 documents can't be sliced; convert to OpenAPI 3 first");
        return Err(diags);
    }
    match top.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        _ => {
            diags.error("#/openapi", "the `openapi` field must name a 3.x version");
            return Err(diags);
        }
    }

    // The chosen operations, path by path; a path item given by `$ref` is copied in.
    let mut paths = Mapping::new();
    let (mut found_ops, mut found_tags) = (HashSet::new(), HashSet::new());
    let mut used_tags = Vec::new();
    let mut all_ids: Vec<String> = Vec::new();
    let empty = Mapping::new();
    let source_paths = top.get("paths").and_then(Value::as_mapping).unwrap_or(&empty);
    for (path, item) in source_paths {
        let pointer = child("#/paths", path.as_str().unwrap_or_default());
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(r) => match crate::pointer::resolve(doc, r) {
                Some(target) => target,
                None => {
                    diags.error(child(&pointer, "$ref"), format!("unresolved $ref `{r}`"));
                    continue;
                }
            },
            None => item,
        };
        let Some(item) = item.as_mapping() else { continue };
        let mut kept = Mapping::new();
        let mut any = false;
        // Whether one operation is chosen, noting its id and tags.
        let mut take = |value: &Value| {
            let id = value.get("operationId").and_then(Value::as_str);
            all_ids.extend(id.map(str::to_string));
            let tags: Vec<&str> = value
                .get("tags")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let by_id = id.is_some_and(|id| selection.operations.iter().any(|o| o == id));
            let by_tag: Vec<&str> =
                tags.iter().copied().filter(|t| selection.tags.iter().any(|s| s == t)).collect();
            if !by_id && by_tag.is_empty() {
                return false;
            }
            if let Some(id) = id.filter(|_| by_id) {
                found_ops.insert(id.to_string());
            }
            found_tags.extend(by_tag.into_iter().map(str::to_string));
            for t in tags {
                if !used_tags.iter().any(|u| u == t) {
                    used_tags.push(t.to_string());
                }
            }
            true
        };
        for (key, value) in item {
            let key_str = key.as_str().unwrap_or_default();
            // 3.2: the `query` method, and other methods under `additionalOperations`.
            if key_str == "additionalOperations" {
                let ops = value.as_mapping().into_iter().flatten().filter(|(_, op)| take(op));
                let ops: Mapping = ops.map(|(m, op)| (m.clone(), op.clone())).collect();
                if !ops.is_empty() {
                    kept.insert(key.clone(), Value::Mapping(ops));
                    any = true;
                }
                continue;
            }
            if !METHODS.contains(&key_str) && key_str != "query" {
                if key_str != "$ref" {
                    kept.insert(key.clone(), value.clone());
                }
                continue;
            }
            if take(value) {
                kept.insert(key.clone(), value.clone());
                any = true;
            }
        }
        if any {
            paths.insert(path.clone(), Value::Mapping(kept));
        }
    }
    for op in selection.operations.iter().filter(|o| !found_ops.contains(*o)) {
        // Suggest ids that share a word with the one given (`list_pipelines` → ...pipelines...).
        let words: Vec<&str> = op.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).collect();
        let typo = |id: &str| edit_distance(id, op) <= (op.len() / 4).max(2);
        let score = |id: &str| {
            if typo(id) {
                usize::MAX
            } else {
                words.iter().filter(|w| id.contains(*w)).map(|w| w.len()).sum::<usize>()
            }
        };
        let mut near: Vec<(usize, &str)> = all_ids.iter().map(|id| (score(id), id.as_str())).collect();
        near.sort_by_key(|n| std::cmp::Reverse(n.0));
        let best = near.first().map_or(0, |n| n.0);
        let near: Vec<&str> = near
            .into_iter()
            .take_while(|n| n.0.saturating_mul(3) >= best.saturating_mul(2) && n.0 > 0)
            .take(5)
            .map(|n| n.1)
            .collect();
        let hint = match near.as_slice() {
            [] => String::new(),
            ids => {
                format!("; similar: {}", ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))
            }
        };
        diags.error("#/paths", format!("no operation has operationId `{op}`{hint}"));
    }
    for tag in selection.tags.iter().filter(|t| !found_tags.contains(*t)) {
        diags.error("#/paths", format!("no operation has the tag `{tag}`"));
    }
    if selection.is_empty() {
        diags.error("", "nothing to slice: name operations with --operation or tags with --tag");
    }
    if diags.has_errors() {
        return Err(diags);
    }

    // Every component the kept operations reach, through `$ref`s, discriminator mappings and
    // security requirements, transitively.
    let mut kept_components: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: VecDeque<(String, Value)> = VecDeque::new();
    queue.push_back(("#/paths".into(), Value::Mapping(paths.clone())));
    if let Some(security) = top.get("security") {
        let mut m = Mapping::new();
        m.insert("security".into(), security.clone());
        queue.push_back(("#".into(), Value::Mapping(m)));
    }
    while let Some((pointer, value)) = queue.pop_front() {
        let mut refs = Vec::new();
        let mut schemes = Vec::new();
        references(&value, &pointer, &mut refs, &mut schemes);
        for scheme in schemes {
            kept_components.insert(("securitySchemes".into(), scheme));
        }
        for (at, r) in refs {
            let Some((section, name)) = component_of(&r) else {
                if r.starts_with('#') {
                    diags.error(
                        at,
                        format!("`$ref` `{r}` points outside #/components; a slice can't keep it"),
                    );
                } else {
                    diags
                        .error(at, format!("`$ref` `{r}` points to another file; slices are self-contained"));
                }
                continue;
            };
            let Some(target) = top
                .get("components")
                .and_then(|c| c.get(section.as_str()))
                .and_then(|s| s.get(name.as_str()))
            else {
                diags.error(at, format!("unresolved $ref `{r}`"));
                continue;
            };
            if kept_components.insert((section.clone(), name.clone())) {
                queue.push_back((child(&child("#/components", &section), &name), target.clone()));
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }

    // The document again, in the upstream's key order, with only what was kept.
    let mut out = Mapping::new();
    for (key, value) in top {
        match key.as_str().unwrap_or_default() {
            "paths" => {
                out.insert(key.clone(), Value::Mapping(paths.clone()));
            }
            // Operations that are not calls; a slice is about calls.
            "webhooks" => {}
            "tags" => {
                let tags: Vec<Value> = value
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .filter(|t| {
                        t.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| used_tags.iter().any(|u| u == n))
                    })
                    .cloned()
                    .collect();
                if !tags.is_empty() {
                    out.insert(key.clone(), Value::Sequence(tags));
                }
            }
            "components" => {
                let mut components = Mapping::new();
                for (section, entries) in value.as_mapping().into_iter().flatten() {
                    let s = section.as_str().unwrap_or_default();
                    let kept: Mapping = entries
                        .as_mapping()
                        .into_iter()
                        .flatten()
                        .filter(|(n, _)| {
                            kept_components
                                .contains(&(s.to_string(), n.as_str().unwrap_or_default().to_string()))
                        })
                        .map(|(n, v)| (n.clone(), v.clone()))
                        .collect();
                    if !kept.is_empty() {
                        components.insert(section.clone(), Value::Mapping(kept));
                    }
                }
                if !components.is_empty() {
                    out.insert(key.clone(), Value::Mapping(components));
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !out.contains_key("paths") {
        out.insert("paths".into(), Value::Mapping(paths));
    }
    Ok(Value::Mapping(out))
}

/// Collects the `$ref`s under `value` (with where each is) and the security schemes its
/// requirements name.
fn references(value: &Value, pointer: &str, refs: &mut Vec<(String, String)>, schemes: &mut Vec<String>) {
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                let key = match k.as_str() {
                    Some(k) => k,
                    None => continue,
                };
                let at = child(pointer, key);
                match (key, v) {
                    ("$ref", Value::String(r)) => refs.push((at, r.clone())),
                    // Discriminator mappings name schemas by reference too.
                    ("mapping", Value::Mapping(map)) => {
                        for (name, target) in map {
                            if let Some(t) = target.as_str().filter(|t| t.contains('#')) {
                                refs.push((child(&at, name.as_str().unwrap_or_default()), t.to_string()));
                            }
                        }
                    }
                    ("security", Value::Sequence(reqs)) => {
                        for req in reqs {
                            for name in req.as_mapping().into_iter().flatten().filter_map(|(n, _)| n.as_str())
                            {
                                schemes.push(name.to_string());
                            }
                        }
                    }
                    _ => references(v, &at, refs, schemes),
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                references(v, &child(pointer, &i.to_string()), refs, schemes);
            }
        }
        _ => {}
    }
}

/// `#/components/schemas/Pet/properties/id` → (`schemas`, `Pet`): a reference anywhere inside
/// a component keeps the whole component.
fn component_of(reference: &str) -> Option<(String, String)> {
    let mut tokens = crate::pointer::ref_tokens(reference)?.into_iter();
    if tokens.next()? != "components" {
        return None;
    }
    Some((tokens.next()?, tokens.next()?))
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}
