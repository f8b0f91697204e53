//! The document as text: its format, where a JSON pointer sits in it (line and column, so a
//! diagnostic about a place, not only a syntax error, can say where it is), and the parse that
//! names the line and column of a syntax error. JSON is walked with a small tokenizer; YAML in
//! block style by indentation. Flow-style YAML and anything unusual give `None`: the pointer
//! alone still names the place.

use crate::diag::Diagnostic;
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
pub(crate) fn strip_position(msg: &str, line: usize, column: usize) -> String {
    msg.replacen(&format!(" at line {line} column {column}"), "", 1)
}

/// 1-based line and column of the member (or array element) that `pointer` names.
pub fn locate(source: &str, format: Format, pointer: &str) -> Option<(usize, usize)> {
    let tokens = crate::pointer::split(pointer);
    if tokens.is_empty() {
        return None;
    }
    let offset = match format {
        Format::Json => json::find(source.as_bytes(), &tokens)?,
        Format::Yaml => return yaml::find(source, &tokens),
    };
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    Some((line, column))
}

mod json {
    /// Byte offset of the member or element the tokens name.
    pub fn find(src: &[u8], tokens: &[String]) -> Option<usize> {
        let mut pos = skip_ws(src, 0);
        let mut found = pos;
        for token in tokens {
            match src.get(pos)? {
                b'{' => {
                    pos = skip_ws(src, pos + 1);
                    loop {
                        if src.get(pos)? == &b'}' {
                            return None;
                        }
                        let key_at = pos;
                        let (key, after) = string(src, pos)?;
                        pos = skip_ws(src, after);
                        if src.get(pos)? != &b':' {
                            return None;
                        }
                        pos = skip_ws(src, pos + 1);
                        if key == *token {
                            found = key_at;
                            break;
                        }
                        pos = skip_ws(src, skip_value(src, pos)?);
                        match src.get(pos)? {
                            b',' => pos = skip_ws(src, pos + 1),
                            _ => return None,
                        }
                    }
                }
                b'[' => {
                    let index: usize = token.parse().ok()?;
                    pos = skip_ws(src, pos + 1);
                    for _ in 0..index {
                        pos = skip_ws(src, skip_value(src, pos)?);
                        if src.get(pos)? != &b',' {
                            return None;
                        }
                        pos = skip_ws(src, pos + 1);
                    }
                    found = pos;
                }
                _ => return None,
            }
        }
        Some(found)
    }

    fn skip_ws(src: &[u8], mut pos: usize) -> usize {
        while src.get(pos).is_some_and(|c| c.is_ascii_whitespace()) {
            pos += 1;
        }
        pos
    }

    /// A string starting at `pos` (decoded well enough to compare keys) and the offset after it.
    fn string(src: &[u8], pos: usize) -> Option<(String, usize)> {
        if src.get(pos)? != &b'"' {
            return None;
        }
        let mut end = pos + 1;
        while *src.get(end)? != b'"' {
            end += if src[end] == b'\\' { 2 } else { 1 };
        }
        let raw = std::str::from_utf8(&src[pos..=end]).ok()?;
        let text = serde_json::from_str::<String>(raw).ok()?;
        Some((text, end + 1))
    }

    /// The offset after the value starting at `pos`, iteratively (no recursion on deep input).
    fn skip_value(src: &[u8], mut pos: usize) -> Option<usize> {
        let mut depth = 0usize;
        loop {
            match src.get(pos)? {
                b'"' => pos = string(src, pos)?.1,
                b'{' | b'[' => {
                    depth += 1;
                    pos += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    pos += 1;
                }
                _ if depth == 0 => {
                    while src
                        .get(pos)
                        .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                    {
                        pos += 1;
                    }
                    return Some(pos);
                }
                _ => pos += 1,
            }
            if depth == 0 {
                return Some(pos);
            }
        }
    }
}

mod yaml {
    /// Block-style YAML: each token is a key (or a `- ` item) one indentation level deeper.
    pub fn find(src: &str, tokens: &[String]) -> Option<(usize, usize)> {
        let lines: Vec<&str> = src.lines().collect();
        // The lines of the current node, and (for an array item's first line) the column where
        // its content starts.
        let (mut start, mut end, mut first_col) = (0usize, lines.len(), None::<usize>);
        let mut found = None;
        for token in tokens {
            let level = (start..end).find_map(|i| content_col(lines[i], i == start, first_col))?;
            let is_item = |i: usize| {
                content_col(lines[i], i == start, first_col) == Some(level)
                    && lines[i][level..].starts_with('-')
            };
            let hit = if is_item(start) || (start..end).any(|i| is_item(i) && i > start) {
                let index: usize = token.parse().ok()?;
                (start..end).filter(|&i| is_item(i)).nth(index).map(|i| (i, level, level + 2))
            } else {
                (start..end)
                    .find(|&i| {
                        content_col(lines[i], i == start, first_col) == Some(level)
                            && key_of(&lines[i][level..]) == Some(token.as_str())
                    })
                    .map(|i| (i, level, usize::MAX))
            };
            let (line, col, item_col) = hit?;
            found = Some((line + 1, col + 1));
            let next_end = (line + 1..end)
                .find(|&i| content_col(lines[i], false, None).is_some_and(|c| c <= level))
                .unwrap_or(end);
            if item_col != usize::MAX {
                // An array item: its content starts after "- " on the same line.
                start = line;
                first_col = Some(item_col);
            } else {
                start = line + 1;
                first_col = None;
            }
            end = next_end;
            if start >= end {
                break;
            }
        }
        found
    }

    /// The column where a line's content starts; `None` for blank and comment lines.
    fn content_col(line: &str, first: bool, first_col: Option<usize>) -> Option<usize> {
        if first {
            if let Some(c) = first_col {
                return (line.len() > c).then_some(c);
            }
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        Some(line.len() - trimmed.len())
    }

    /// The key of a `key: value` line (quotes removed).
    fn key_of(content: &str) -> Option<&str> {
        let content = content.trim_start_matches("- ");
        if let Some(rest) = content.strip_prefix('"').or_else(|| content.strip_prefix('\'')) {
            let q = content.as_bytes()[0] as char;
            let close = rest.find(q)?;
            return rest[close + 1..].trim_start().starts_with(':').then(|| &rest[..close]);
        }
        let colon = content.find(": ").or_else(|| content.ends_with(':').then(|| content.len() - 1))?;
        Some(content[..colon].trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - name: q\n          in: query\n      responses: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n";

    #[test]
    fn yaml_keys_and_items() {
        assert_eq!(locate(YAML, Format::Yaml, "#/components/schemas/A"), Some((13, 5)));
        assert_eq!(locate(YAML, Format::Yaml, "#/paths/~1a~1{id}/get"), Some((4, 5)));
        assert_eq!(locate(YAML, Format::Yaml, "#/paths/~1a~1{id}/get/parameters/1"), Some((8, 9)));
        assert_eq!(locate(YAML, Format::Yaml, "#/paths/~1a~1{id}/get/parameters/1/in"), Some((9, 11)));
        assert_eq!(locate(YAML, Format::Yaml, "#/components/schemas/B"), None);
    }

    #[test]
    fn json_members_and_elements() {
        let json = "{\n  \"paths\": {\"/a\": {\"get\": {\"parameters\": [{\"name\": \"x\"}, {\"name\": \"y\"}]}}},\n  \"components\": {}\n}";
        assert_eq!(locate(json, Format::Json, "#/components"), Some((3, 3)));
        assert_eq!(locate(json, Format::Json, "#/paths/~1a/get/parameters/1"), Some((2, 58)));
        assert_eq!(locate(json, Format::Json, "#/nope"), None);
    }
}
