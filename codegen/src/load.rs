//! Reading a document: YAML or JSON by file extension, the `openapi` version checked before the
//! typed parse (so Swagger 2.0 and unknown versions get a clear message rather than a deep serde
//! error). A 3.1 document is first normalised to the 3.0 shape ([`v31`]).

mod repair;
mod targets;
pub mod v31;
mod v32;

use crate::diag::{Diagnostic, Diagnostics, GenerateError};
pub(crate) use crate::source::parse;
pub use crate::source::Format;
use openapiv3::OpenAPI;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;
pub(crate) use targets::Targets;

/// A parsed document: the typed model, the bytes it came from (hashed into the generated
/// header), and what the rest of the pipeline reads beside the model: the tree its pointers
/// name, the targets of its deep `$ref`s and, for 3.1, where each place came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub format: Format,
    pub spec: OpenAPI,
    pub source: Vec<u8>,
    /// For a 3.1 document: where each place of the normalised model came from.
    pub source_map: Option<v31::SourceMap>,
    /// The tree the model's pointers read: the normalised tree of a 3.1 (or repaired) document,
    /// else the source, parsed the first time something asks.
    tree: OnceLock<Option<serde_json::Value>>,
    /// What the document's references to places other than plain components point to.
    pub(crate) targets: Targets,
    /// What loading found that isn't an error (webhooks left out), located in the original.
    pub notes: Vec<Diagnostic>,
    /// Whether a finding's line and column can be told from `source` (not when the text was
    /// made in memory from the document as written, by overlays or slicing).
    located: bool,
}

impl Document {
    fn new(
        name: &str,
        format: Format,
        spec: OpenAPI,
        source: Vec<u8>,
        normalized: Option<(serde_json::Value, Option<v31::SourceMap>)>,
        notes: Vec<Diagnostic>,
    ) -> Document {
        let (tree, source_map) = match normalized {
            Some((tree, map)) => (OnceLock::from(Some(tree)), map),
            None => (OnceLock::new(), None),
        };
        let mut doc = Document {
            name: name.to_string(),
            format,
            spec,
            source,
            source_map,
            tree,
            targets: Targets::default(),
            notes,
            located: true,
        };
        let deep =
            doc.tree.get().is_some() || targets::may_have_deep_refs(&String::from_utf8_lossy(&doc.source));
        if let Some(tree) = deep.then(|| doc.tree()).flatten() {
            doc.targets = targets::find(tree);
        }
        doc
    }

    /// The original document's pointer for a pointer into the model (the same for 3.0).
    pub fn original_pointer(&self, pointer: &str) -> String {
        match &self.source_map {
            Some(map) => map.original_pointer(pointer),
            None => pointer.to_string(),
        }
    }

    /// The document as the model's pointers read it, as plain JSON (`None` when the source
    /// doesn't parse as a plain tree).
    pub fn tree(&self) -> Option<&serde_json::Value> {
        self.tree.get_or_init(|| parse(self.format, &String::from_utf8_lossy(&self.source)).ok()).as_ref()
    }

    /// Names each finding without a line yet where the document as written has it: the original
    /// pointer, and its line and column in the text.
    pub fn locate(&self, mut found: Diagnostics) -> Diagnostics {
        let text = String::from_utf8_lossy(&self.source);
        for item in &mut found.items {
            if item.location.is_none() {
                item.pointer = self.original_pointer(&item.pointer);
                if self.located {
                    item.location = crate::source::locate(&text, self.format, &item.pointer);
                }
            }
        }
        found
    }

    /// The same document, read from a text made in memory: findings name pointers, not lines.
    pub(crate) fn unlocated(mut self) -> Document {
        self.located = false;
        self.notes.iter_mut().for_each(|d| d.location = None);
        self
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// The bytes of the file at `path`, and its name for messages.
pub(crate) fn read_file(path: &Path) -> Result<(String, Vec<u8>), GenerateError> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => Ok((name, bytes)),
        Err(e) => {
            Err(GenerateError::single(&name, Diagnostic::error("", format!("cannot read the file: {e}"))))
        }
    }
}

/// [`load_here`] on a deep stack, for the unit tests.
#[cfg(test)]
pub(crate) fn load_bytes(name: &str, format: Format, source: Vec<u8>) -> Result<Document, GenerateError> {
    crate::on_deep_stack(|| load_here(name, format, source))
}

/// Parses a document held in memory, on the calling thread; `name` is used in messages. Callers
/// are on a deep stack (`Config`'s): serde's typed parse of deeply nested schemas needs it.
pub(crate) fn load_here(name: &str, format: Format, source: Vec<u8>) -> Result<Document, GenerateError> {
    let text = std::str::from_utf8(&source).map_err(|e| {
        GenerateError::single(name, Diagnostic::error("", format!("the file is not UTF-8: {e}")))
    })?;
    let probe: VersionProbe = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    if check_version(&probe).map_err(|d| GenerateError::single(name, d))? == Version::V31OrLater {
        let (spec, map, normalized, notes) = load_v31(name, format, text)?;
        return Ok(Document::new(name, format, spec, source, Some((normalized, Some(map))), notes));
    }
    // The typed parse straight from the text, unless it fails or a path item is a `$ref`: then
    // through the tree, where path items are copied in and what the model refuses is repaired.
    if let Ok(spec) = parse::<OpenAPI>(format, text) {
        if spec.paths.paths.values().all(|p| p.as_item().is_some()) {
            return Ok(Document::new(name, format, spec, source, None, Vec::new()));
        }
    }
    let v31::Tree(mut raw) = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    let found = v31::normalize_v30(&mut raw);
    let (spec, normalized, notes) = parse_tree(name, format, text, raw, found, &|p| p.to_string())?;
    Ok(Document::new(name, format, spec, source, Some((normalized, None)), notes))
}

/// Normalises a 3.1 document, then parses it as 3.0. A typed-parse error is placed through the
/// normalised JSON text back at the original pointer, line and column.
type V31Parts = (OpenAPI, v31::SourceMap, serde_json::Value, Vec<Diagnostic>);

fn load_v31(name: &str, format: Format, text: &str) -> Result<V31Parts, GenerateError> {
    let v31::Tree(raw) = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    let n = v31::normalize(raw);
    let (spec, normalized, notes) =
        parse_tree(name, format, text, n.tree, n.diagnostics, &|p| n.map.original_pointer(p))?;
    Ok((spec, n.map, normalized, notes))
}

/// The typed parse of a normalised tree (see [`repair`]), after the findings of normalising it
/// (`found`, already named in the document as written). A repair is a warning and an error
/// fails the document, each named where `original` says the document as written has it; every
/// finding gets its line and column in `text`.
fn parse_tree(
    name: &str,
    format: Format,
    text: &str,
    tree: serde_yaml::Value,
    found: Diagnostics,
    original: &dyn Fn(&str) -> String,
) -> Result<(OpenAPI, serde_json::Value, Vec<Diagnostic>), GenerateError> {
    let located = |d: Diagnostic| match crate::source::locate(text, format, &d.pointer) {
        Some((line, column)) if d.location.is_none() => d.at(line, column),
        _ => d,
    };
    let mut diagnostics = Diagnostics { items: found.items.into_iter().map(located).collect() };
    let fail = |mut diagnostics: Diagnostics| {
        diagnostics.sort();
        GenerateError { source_name: name.to_string(), diagnostics }
    };
    if diagnostics.has_errors() {
        return Err(fail(diagnostics));
    }
    match repair::typed_parse(tree) {
        Ok((spec, tree, repairs)) => {
            for (pointer, message) in repairs {
                diagnostics.push(located(Diagnostic::warning(original(&pointer), message)));
            }
            Ok((spec, serde_json::to_value(&tree).unwrap_or_default(), diagnostics.items))
        }
        Err((pointer, msg)) => {
            let error = Diagnostic::error(original(&pointer), format!("invalid OpenAPI document: {msg}"));
            diagnostics.push(located(error));
            Err(fail(diagnostics))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    /// 3.1 or 3.2: normalised to 3.0's shape first.
    V31OrLater,
}

fn check_version(probe: &VersionProbe) -> Result<Version, Diagnostic> {
    const SUPPORTED: &str = "this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x documents";
    if let Some(v) = &probe.swagger {
        return Err(Diagnostic::error(
            "#/swagger",
            format!(
                "Swagger {} documents are not supported; {SUPPORTED} (convert with swagger2openapi or similar)",
                display_version(v)
            ),
        ));
    }
    let Some(v) = &probe.openapi else {
        return Err(Diagnostic::error(
            "#/openapi",
            format!("the `openapi` version field is missing; {SUPPORTED}"),
        ));
    };
    let version = display_version(v);
    if version.starts_with("3.0.") || version == "3.0" {
        Ok(Version::V30)
    } else if ["3.1", "3.2"].iter().any(|v| version == *v || version.starts_with(&format!("{v}."))) {
        Ok(Version::V31OrLater)
    } else {
        Err(Diagnostic::error("#/openapi", format!("OpenAPI {version} is not supported; {SUPPORTED}")))
    }
}

fn display_version(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<Document, GenerateError> {
        load_bytes("t.yaml", Format::Yaml, text.as_bytes().to_vec())
    }

    #[test]
    fn refuses_other_versions() {
        let e = yaml("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert!(e.to_string().contains("Swagger 2.0 documents are not supported"), "{e}");
        for v in ["3.3.0", "4.0.0", "2.0"] {
            let e = yaml(&format!("openapi: {v}\ninfo: {{title: t, version: '1'}}\n")).unwrap_err();
            let expected = format!(
                "#/openapi: OpenAPI {v} is not supported; this generator supports OpenAPI 3.0.x, 3.1.x and 3.2.x"
            );
            assert!(e.to_string().contains(&expected), "{e}");
        }
        assert!(yaml("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").is_ok());
        assert!(yaml("openapi: 3.2.0\ninfo: {title: t, version: '1'}\n").is_ok());
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let e = yaml("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let d = &e.diagnostics.items[0];
        assert!(d.message.starts_with("invalid YAML"), "{d}");
        assert!(d.location.is_some(), "{d}");
    }
}
