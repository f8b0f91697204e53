//! Reading a document: YAML or JSON by file extension, the `openapi` version checked before the
//! typed parse (so Swagger 2.0 and unknown versions get a clear message rather than a deep serde
//! error). A 3.1 document is first normalised to the 3.0 shape ([`v31`]).

mod repair;
pub mod v31;

use crate::diag::{Diagnostic, GenerateError};
use openapiv3::OpenAPI;
use serde::Deserialize;
use std::path::Path;

/// The text format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// `.json` is JSON; everything else is read as YAML. JSON goes through serde_json because
    /// serde_yaml rejects valid JSON such as escaped UTF-16 surrogate pairs.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// A parsed document with the bytes it came from (hashed into the generated header).
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub spec: OpenAPI,
    pub source: Vec<u8>,
    /// For a 3.1 document: where each place of the normalised model came from.
    pub source_map: Option<v31::SourceMap>,
    /// The normalised tree of a 3.1 document, where `$ref`s to any place are followed.
    pub(crate) normalized: Option<serde_json::Value>,
    /// What loading found that isn't an error (webhooks left out), located in the original.
    pub notes: Vec<Diagnostic>,
}

impl Document {
    /// The original document's pointer for a pointer into the model (the same for 3.0).
    pub fn original_pointer(&self, pointer: &str) -> String {
        match &self.source_map {
            Some(map) => map.original_pointer(pointer),
            None => pointer.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    openapi: Option<serde_json::Value>,
    swagger: Option<serde_json::Value>,
}

/// Reads and parses the document at `path`.
pub fn load_file(path: &Path) -> Result<Document, GenerateError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        GenerateError::single(&name, Diagnostic::error("", format!("cannot read the file: {e}")))
    })?;
    load_bytes(&name, Format::from_path(path), bytes)
}

/// Parses a document held in memory; `name` is used in messages.
pub fn load_bytes(name: &str, format: Format, source: Vec<u8>) -> Result<Document, GenerateError> {
    let text = std::str::from_utf8(&source).map_err(|e| {
        GenerateError::single(name, Diagnostic::error("", format!("the file is not UTF-8: {e}")))
    })?;
    let probe: VersionProbe = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    if check_version(&probe).map_err(|d| GenerateError::single(name, d))? == Version::V31 {
        let (spec, map, normalized, notes) = load_v31(name, format, text)?;
        let normalized = Some(normalized);
        return Ok(Document {
            name: name.to_string(),
            spec,
            source,
            source_map: Some(map),
            normalized,
            notes,
        });
    }
    // The typed parse straight from the text, unless it fails or a path item is a `$ref`: then
    // through the tree, where path items are copied in and what the model refuses is repaired.
    if let Ok(spec) = parse::<OpenAPI>(format, text) {
        if spec.paths.paths.values().all(|p| p.as_item().is_some()) {
            return Ok(Document {
                name: name.to_string(),
                spec,
                source,
                source_map: None,
                normalized: None,
                notes: Vec::new(),
            });
        }
    }
    let v31::Tree(mut raw) = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    let found = v31::normalize_v30(&mut raw);
    let (spec, normalized, notes) = parse_tree(name, format, text, raw, found, &|p| p.to_string())?;
    Ok(Document {
        name: name.to_string(),
        spec,
        source,
        source_map: None,
        normalized: Some(normalized),
        notes,
    })
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
    found: crate::diag::Diagnostics,
    original: &dyn Fn(&str) -> String,
) -> Result<(OpenAPI, serde_json::Value, Vec<Diagnostic>), GenerateError> {
    let located = |d: Diagnostic| match crate::locate::locate(text, format, &d.pointer) {
        Some((line, column)) if d.location.is_none() => d.at(line, column),
        _ => d,
    };
    let mut diagnostics = crate::diag::Diagnostics { items: found.items.into_iter().map(located).collect() };
    let fail = |mut diagnostics: crate::diag::Diagnostics| {
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

pub(crate) fn parse<T: for<'de> Deserialize<'de>>(format: Format, text: &str) -> Result<T, Diagnostic> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column());
            let msg = strip_position(&e.to_string(), line, column);
            Diagnostic::error("", format!("invalid JSON: {msg}")).at(line, column)
        }),
        Format::Yaml => serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(l) => {
                let msg = strip_position(&e.to_string(), l.line(), l.column());
                Diagnostic::error("", format!("invalid YAML: {msg}")).at(l.line(), l.column())
            }
            None => Diagnostic::error("", format!("invalid YAML: {e}")),
        }),
    }
}

/// serde's messages name the position as " at line L column C"; the diagnostic carries that
/// separately. Only that position is removed: YAML messages may name a second one (where the
/// construct that failed began), which stays.
fn strip_position(msg: &str, line: usize, column: usize) -> String {
    msg.replacen(&format!(" at line {line} column {column}"), "", 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

fn check_version(probe: &VersionProbe) -> Result<Version, Diagnostic> {
    const SUPPORTED: &str = "this generator supports OpenAPI 3.0.x and 3.1.x documents";
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
    } else if version.starts_with("3.1.") || version == "3.1" {
        Ok(Version::V31)
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
        for v in ["3.2.0", "4.0.0", "2.0"] {
            let e = yaml(&format!("openapi: {v}\ninfo: {{title: t, version: '1'}}\n")).unwrap_err();
            let expected = format!(
                "#/openapi: OpenAPI {v} is not supported; this generator supports OpenAPI 3.0.x and 3.1.x"
            );
            assert!(e.to_string().contains(&expected), "{e}");
        }
        assert!(yaml("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").is_ok());
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let e = yaml("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let d = &e.diagnostics.items[0];
        assert!(d.message.starts_with("invalid YAML"), "{d}");
        assert!(d.location.is_some(), "{d}");
    }
}
