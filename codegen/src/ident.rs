//! Rust names for OpenAPI names: case conversion, keyword escaping and collision handling, all in
//! one place so every emitted identifier follows the same rules.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Strict and reserved keywords of Rust 2021/2024; these get an `r#` prefix or a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
pub(crate) const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits on anything that isn't alphanumeric so heck sees word boundaries in names such as
/// `x-request-id`, `foo.bar` or `+1`; keeps a leading sign as a word.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            match c {
                '+' => out.push_str(" plus "),
                '-' if out.is_empty() => out.push_str(" minus "),
                _ => out.push(' '),
            }
        }
    }
    out
}

/// Identifier characters only: Latin letters with diacritics become their base letters (`Über`
/// → `Uber`), other letters and digits stay as they are (Rust identifiers may be Unicode, so
/// `日本語` keeps its meaning), anything else goes.
fn ascii_only(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if let Some(t) = latin_base(c) {
            out.push_str(t);
        } else if c.is_alphanumeric() && !c.is_ascii() {
            out.push(c);
        }
    }
    out
}

/// The base letters of Latin-1 and Latin Extended-A letters with diacritics.
fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "Ae",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' => "d",
        'Ď' | 'Đ' => "D",
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' => "g",
        'Ğ' => "G",
        'ì'..='ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì'..='Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ł' | 'ľ' => "l",
        'Ł' | 'Ľ' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "Oe",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù'..='ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

/// `snake_case` for fields, parameters, methods and modules; always a valid identifier.
pub fn snake(s: &str) -> String {
    let mut n = ascii_only(words(s).to_snake_case());
    if n.is_empty() {
        n = "value".into();
    }
    if n.starts_with(|c: char| c.is_numeric()) {
        n = format!("_{n}");
    }
    n
}

/// `UpperCamelCase` for types and variants; always a valid identifier.
pub fn camel(s: &str) -> String {
    let mut n = ascii_only(words(s).to_upper_camel_case());
    if n.is_empty() {
        n = "Empty".into();
    }
    if n.starts_with(|c: char| c.is_ascii_digit()) {
        n = format!("V{n}");
    }
    if n == "Self" {
        n = "SelfValue".into();
    }
    n
}

/// The text of an identifier token for `name`: keywords become raw identifiers where allowed,
/// otherwise get a trailing underscore.
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// Hands out names unique within one scope, appending `2`, `3`, ... on collision.
#[derive(Debug, Default, Clone)]
pub struct NameScope {
    taken: BTreeSet<String>,
}

impl NameScope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves names the scope must never hand out (e.g. methods the emitter itself defines).
    pub fn reserve<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, names: I) -> &mut Self {
        self.taken.extend(names.into_iter().map(Into::into));
        self
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|i| format!("{base}{sep}{i}"))
            .find(|n| self.taken.insert(n.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        let cases = [
            ("pageToken", "page_token"),
            ("x-request-id", "x_request_id"),
            ("Content-Type", "content_type"),
            ("type", "type"),
            ("2fa", "_2fa"),
            ("", "value"),
            ("$filter", "filter"),
            ("foo.bar", "foo_bar"),
            ("ÜberName", "uber_name"),
        ];
        for (input, want) in cases {
            assert_eq!(snake(input), want, "snake({input:?})");
        }
    }

    #[test]
    fn camel_names() {
        let cases = [
            ("sync_in_progress", "SyncInProgress"),
            ("DEFAULT", "Default"),
            ("on_source_change", "OnSourceChange"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("", "Empty"),
            ("Über", "Uber"),
            ("日本語", "日本語"),
            ("crème brûlée", "CremeBrulee"),
            ("200", "V200"),
            ("application/json", "ApplicationJson"),
            ("self", "SelfValue"),
        ];
        for (input, want) in cases {
            assert_eq!(camel(input), want, "camel({input:?})");
        }
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("crate"), "crate_");
        assert_eq!(escape("name"), "name");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut s = NameScope::new();
        s.reserve(["send"]);
        assert_eq!(s.claim("send"), "send2");
        assert_eq!(s.claim("asc"), "asc");
        assert_eq!(s.claim("asc"), "asc2");
        assert_eq!(s.claim("v1"), "v1");
        assert_eq!(s.claim("v1"), "v1_2");
    }
}
