//! Doc comments from the document's prose, made safe for rustdoc: bare URLs become links,
//! brackets that would read as broken intra-doc links are escaped, and code blocks are marked as
//! text so they never run as doctests.

use proc_macro2::TokenStream;
use quote::quote;

/// Text on one line (a title or version in a header, a TOML string, a README line).
pub(crate) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// `#[doc = ...]` attributes for `text` (nothing when it's empty).
pub fn attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize(text).into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// Joins a summary and a description into one text.
pub fn join(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    match (summary.map(str::trim), description.map(str::trim)) {
        (Some(s), Some(d)) if !s.is_empty() && !d.is_empty() && !d.starts_with(s) => {
            Some(format!("{s}\n\n{d}"))
        }
        (_, Some(d)) if !d.is_empty() => Some(d.to_string()),
        (Some(s), _) if !s.is_empty() => Some(s.to_string()),
        _ => None,
    }
}

pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // A bare CR is a line end too (rustc refuses one inside a doc comment).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_string());
            } else {
                in_fence = true;
                out.push("```text".to_string());
            }
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            // Leading spaces would make an indented (doctest) code block.
            out.push(escape_prose(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
        let link = inline_link(rest);
        match (link, url_at) {
            // A Markdown link `[text](target)` renders as one: only its text is escaped.
            (Some((start, text, target, end)), _) if url_at.is_none_or(|u| start < u) => {
                out.push_str(&escape_chars(&rest[..start]));
                out.push('[');
                out.push_str(&escape_chars(text));
                out.push_str("](");
                out.push_str(target);
                out.push(')');
                rest = &rest[end..];
            }
            (_, Some(i)) => {
                out.push_str(&escape_chars(&rest[..i]));
                let end = rest[i..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
                    .map_or(rest.len(), |e| i + e);
                let url = rest[i..end].trim_end_matches(['.', ',', ';', ':']);
                let preceded_by_link = out.ends_with("](") || out.ends_with('<');
                if preceded_by_link {
                    out.push_str(url);
                } else {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                }
                rest = &rest[i + url.len()..];
            }
            _ => {
                out.push_str(&escape_chars(rest));
                break;
            }
        }
    }
    out
}

/// The first inline Markdown link in `s` outside a code span, `[text](target)` with a target
/// that is a URL or a path (no spaces, no brackets in the text): its start, text, target and
/// end. A bracket pair without one reads as an intra-doc link and stays escaped.
fn inline_link(s: &str) -> Option<(usize, &str, &str, usize)> {
    let mut in_code = false;
    for (start, c) in s.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '[' if !in_code => {
                let after = &s[start + 1..];
                let close = after.find(']')?;
                let text = &after[..close];
                let Some(target_part) = after[close + 1..].strip_prefix('(') else { continue };
                // CommonMark: parentheses in the target are balanced.
                let mut depth = 0usize;
                let paren = target_part.char_indices().find_map(|(i, c)| match c {
                    '(' => {
                        depth += 1;
                        None
                    }
                    ')' if depth == 0 => Some(i),
                    ')' => {
                        depth -= 1;
                        None
                    }
                    _ => None,
                });
                let Some(paren) = paren else { continue };
                let target = &target_part[..paren];
                let linkish =
                    ["https://", "http://", "/", "#", "mailto:"].iter().any(|p| target.starts_with(p));
                if text.is_empty()
                    || text.contains(['[', '`'])
                    || !linkish
                    || target.contains(char::is_whitespace)
                {
                    continue;
                }
                let end = start + 1 + close + 2 + paren + 1;
                return Some((start, text, target, end));
            }
            _ => {}
        }
    }
    None
}

/// Square brackets outside code spans read as intra-doc links; HTML-like tags as HTML.
fn escape_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '[' | ']' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_brackets_and_code() {
        assert_eq!(sanitize("See https://example.com/a."), vec!["See <https://example.com/a>."]);
        assert_eq!(sanitize("a [b] `c[0]`"), vec!["a \\[b\\] `c[0]`"]);
        assert_eq!(sanitize("x <b>y</b>"), vec!["x &lt;b&gt;y&lt;/b&gt;"]);
        assert_eq!(sanitize("```\ncode\n```"), vec!["```text", "code", "```"]);
        assert_eq!(sanitize("    indented"), vec!["indented"]);
        // Markdown links render; brackets that aren't one stay escaped.
        assert_eq!(sanitize("[x](https://e.com)"), vec!["[x](https://e.com)"]);
        assert_eq!(
            sanitize("See [the docs](https://e.com/a_(b)) and [a] [c](not a link) [d](/rel/path)."),
            vec!["See [the docs](https://e.com/a_(b)) and \\[a\\] \\[c\\](not a link) [d](/rel/path)."]
        );
        assert_eq!(sanitize("`[x](https://e.com)`"), vec!["`[x](https://e.com)`"]);
        assert_eq!(sanitize("[<b>](https://e.com)"), vec!["[&lt;b&gt;](https://e.com)"]);
    }

    /// rustc refuses a bare CR in a doc comment: CR and CRLF end lines like LF.
    #[test]
    fn carriage_returns_end_lines() {
        assert_eq!(sanitize("one\rtwo\r\nthree\n\rfour"), vec!["one", "two", "three", "", "four"]);
    }
}
