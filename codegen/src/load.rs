//! Reading a document: YAML or JSON by file extension, the `openapi` version checked before the
//! typed parse (so Swagger 2.0 and 3.1 get a clear message rather than a deep serde error).

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
    check_version(&probe).map_err(|d| GenerateError::single(name, d))?;
    let spec: OpenAPI = parse(format, text).map_err(|d| GenerateError::single(name, d))?;
    Ok(Document { name: name.to_string(), spec, source })
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

fn check_version(probe: &VersionProbe) -> Result<(), Diagnostic> {
    const SUPPORTED: &str = "this generator supports OpenAPI 3.0.x documents";
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
        Ok(())
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
        let e = yaml("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n").unwrap_err();
        assert!(e.to_string().contains("#/openapi: OpenAPI 3.1.0 is not supported"), "{e}");
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let e = yaml("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        let d = &e.diagnostics.items[0];
        assert!(d.message.starts_with("invalid YAML"), "{d}");
        assert!(d.location.is_some(), "{d}");
    }
}
