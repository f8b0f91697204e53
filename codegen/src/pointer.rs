//! JSON pointers (RFC 6901) and same-document `$ref`s: building and splitting them, reading a
//! reference back (percent-escapes, `~1`, `~0`) and walking a document tree by its tokens. One
//! home for what loading, lowering, slicing and the generated tests all need.

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Reads one reference token of a JSON pointer back (RFC 6901: `~1` then `~0`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The tokens of a pointer as diagnostics write it (`#/a/b~1c` or `/a/b~1c` → `["a", "b/c"]`;
/// `#` and `""` → none).
/// Where `pointer` was before a rewrite moved places (`moves`: new pointer → original): its
/// longest moved prefix replaced by that prefix's original.
pub(crate) fn map_back(moves: &std::collections::HashMap<String, String>, pointer: &str) -> String {
    let mut cut = pointer.len();
    loop {
        if let Some(orig) = moves.get(&pointer[..cut]) {
            return format!("{orig}{}", &pointer[cut..]);
        }
        match pointer[..cut].rfind('/') {
            Some(i) => cut = i,
            None => return pointer.to_string(),
        }
    }
}

pub(crate) fn split(pointer: &str) -> Vec<String> {
    let rest = pointer.strip_prefix('#').unwrap_or(pointer);
    rest.strip_prefix('/').map(|r| r.split('/').map(unescape).collect()).unwrap_or_default()
}

/// The pointer of `tokens` (`["a", "b/c"]` → `#/a/b~1c`).
pub(crate) fn join(tokens: &[String]) -> String {
    tokens.iter().fold(String::from("#"), |p, t| child(&p, t))
}

/// The reference tokens of a same-document reference (`#/a/b~1c` → `["a", "b/c"]`), with
/// percent-escapes (RFC 6901 §6, pointers in URI fragments) decoded first.
pub(crate) fn ref_tokens(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode(fragment)?;
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    let rest = decoded.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// The pointer a diagnostic names for a same-document reference (percent-escapes decoded).
pub(crate) fn ref_pointer(reference: &str) -> String {
    match ref_tokens(reference) {
        Some(tokens) => join(&tokens),
        None => reference.to_string(),
    }
}

/// Whether `reference` is `#/components/<section>/<name>`: one token after the section.
pub(crate) fn component_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A document tree a pointer can walk: JSON as serde_json reads it, YAML as serde_yaml does.
pub(crate) trait Tree: Sized {
    fn member(&self, key: &str) -> Option<&Self>;
    fn element(&self, index: usize) -> Option<&Self>;
}

impl Tree for serde_json::Value {
    fn member(&self, key: &str) -> Option<&Self> {
        self.as_object()?.get(key)
    }
    fn element(&self, index: usize) -> Option<&Self> {
        self.as_array()?.get(index)
    }
}

impl Tree for serde_yaml::Value {
    fn member(&self, key: &str) -> Option<&Self> {
        self.as_mapping()?.get(key)
    }
    fn element(&self, index: usize) -> Option<&Self> {
        self.as_sequence()?.get(index)
    }
}

/// The value `tokens` name in `root`.
pub(crate) fn walk<'v, T: Tree>(root: &'v T, tokens: &[String]) -> Option<&'v T> {
    tokens.iter().try_fold(root, |v, t| match v.member(t) {
        Some(found) => Some(found),
        // RFC 6901: array indices are decimal without leading zeros.
        None if t.len() > 1 && t.starts_with('0') => None,
        None => v.element(t.parse::<usize>().ok()?),
    })
}

/// The value a same-document `$ref` names in `root`.
pub(crate) fn resolve<'v, T: Tree>(root: &'v T, reference: &str) -> Option<&'v T> {
    walk(root, &ref_tokens(reference)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_and_read_back() {
        assert_eq!(child("#/paths", "/a/{b}"), "#/paths/~1a~1{b}");
        assert_eq!(child("", "x~y"), "/x~0y");
        assert_eq!(unescape("~1a~1{b}~0"), "/a/{b}~");
        assert_eq!(split("#/paths/~1a~1{b}/get"), vec!["paths", "/a/{b}", "get"]);
        assert_eq!(split("/a~0b"), vec!["a~b"]);
        assert!(split("#").is_empty() && split("").is_empty());
        assert_eq!(join(&split("#/a/b~1c")), "#/a/b~1c");
    }

    #[test]
    fn references_unescape_and_decode() {
        assert_eq!(ref_tokens("#/paths/~1a~1%7Bid%7D/get").unwrap(), vec!["paths", "/a/{id}", "get"]);
        assert_eq!(ref_tokens("#/a~0b/0").unwrap(), vec!["a~b", "0"]);
        assert_eq!(ref_tokens("#").unwrap(), Vec::<String>::new());
        assert!(ref_tokens("other.yaml#/a").is_none());
        assert!(ref_tokens("#/a%zz").is_none());
        assert_eq!(ref_pointer("#/paths/~1a%20b/get"), "#/paths/~1a b/get");
    }

    #[test]
    fn component_keys_are_one_token() {
        assert_eq!(component_key("#/components/schemas/A~1B", "schemas").as_deref(), Some("A/B"));
        assert_eq!(component_key("#/components/schemas/A/properties/b", "schemas"), None);
        assert_eq!(component_key("#/components/parameters/A", "schemas"), None);
    }

    #[test]
    fn walks_objects_and_arrays_of_both_trees() {
        let v = serde_json::json!({"a": [{"b/c": 1}, 2], "01": 3});
        assert_eq!(resolve(&v, "#/a/0/b~1c"), Some(&serde_json::json!(1)));
        assert_eq!(resolve(&v, "#/a/01"), None);
        assert_eq!(resolve(&v, "#/a/5"), None);
        assert_eq!(resolve(&v, "#/01"), Some(&serde_json::json!(3)));
        let y: serde_yaml::Value = serde_yaml::from_str("a: [{b: 1}]").unwrap();
        assert_eq!(resolve(&y, "#/a/0/b").and_then(serde_yaml::Value::as_u64), Some(1));
    }
}
