//! Formatting: prettyplease, with a blank line between items (in modules, impls and traits) as a
//! person would write them, so a diff of the output reads item by item. prettyplease keeps no
//! blank lines, so a marker macro call goes between items and its lines become blank ones.
//! The marker can't be met elsewhere: the emitter writes no string literal with a raw line break
//! in it (quote escapes them), so a line that is only the marker is one this module inserted.

use syn::{File, Item};

const MARKER: &str = "__ferrospec_blank_line!();";

/// The formatted items, one blank line between each two (a run of `use` items stays together).
pub(crate) fn items(items: Vec<Item>) -> String {
    let mut file = File { shebang: None, attrs: Vec::new(), items };
    space_items(&mut file.items);
    let text = prettyplease::unparse(&file);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        match line.trim() == MARKER {
            true => out.push('\n'),
            false => out.push_str(line),
        }
    }
    out
}

/// The marker's macro call, built rather than parsed (there are thousands).
fn mac() -> syn::Macro {
    syn::Macro {
        path: syn::Ident::new("__ferrospec_blank_line", proc_macro2::Span::call_site()).into(),
        bang_token: Default::default(),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens: proc_macro2::TokenStream::new(),
    }
}

/// The marker in each position it goes in.
trait Marker {
    fn marker() -> Self;
}

impl Marker for Item {
    fn marker() -> Self {
        Item::Macro(syn::ItemMacro {
            attrs: Vec::new(),
            ident: None,
            mac: mac(),
            semi_token: Some(Default::default()),
        })
    }
}

impl Marker for syn::ImplItem {
    fn marker() -> Self {
        syn::ImplItem::Macro(syn::ImplItemMacro {
            attrs: Vec::new(),
            mac: mac(),
            semi_token: Some(Default::default()),
        })
    }
}

impl Marker for syn::TraitItem {
    fn marker() -> Self {
        syn::TraitItem::Macro(syn::TraitItemMacro {
            attrs: Vec::new(),
            mac: mac(),
            semi_token: Some(Default::default()),
        })
    }
}

fn space_items(items: &mut Vec<Item>) {
    for item in items.iter_mut() {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    space_items(inner);
                }
            }
            Item::Impl(i) => space(&mut i.items),
            Item::Trait(t) => space(&mut t.items),
            _ => {}
        }
    }
    let uses: Vec<bool> = items.iter().map(|i| matches!(i, Item::Use(_))).collect();
    let old = std::mem::take(items);
    for (k, item) in old.into_iter().enumerate() {
        if k > 0 && !(uses[k] && uses[k - 1]) {
            items.push(Item::marker());
        }
        items.push(item);
    }
}

/// A marker between each two members of an impl or trait.
fn space<M: Marker>(members: &mut Vec<M>) {
    let old = std::mem::take(members);
    for (k, member) in old.into_iter().enumerate() {
        if k > 0 {
            members.push(M::marker());
        }
        members.push(member);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(code: &str) -> String {
        items(syn::parse_file(code).unwrap().items)
    }

    #[test]
    fn items_are_one_blank_line_apart_and_uses_stay_together() {
        let out = spaced(
            "use a::b; use c::d; pub struct A { x: u8, y: u8 } impl A { fn f() {} /// doc\n fn g() { let a = 1; let b = 2; } } pub mod m { pub struct B; pub struct C; impl C { const X: u8 = 1; fn h() {} } } pub trait T { fn a(); fn b(); }",
        );
        let expected = "use a::b;
use c::d;

pub struct A {
    x: u8,
    y: u8,
}

impl A {
    fn f() {}

    /// doc
    fn g() {
        let a = 1;
        let b = 2;
    }
}

pub mod m {
    pub struct B;

    pub struct C;

    impl C {
        const X: u8 = 1;

        fn h() {}
    }
}

pub trait T {
    fn a();

    fn b();
}
";
        assert_eq!(out, expected);
    }

    #[test]
    fn the_tokens_are_prettypleases() {
        let code = "impl<T> X<T> for Y where T: Clone + Send + Sync + 'static + std::fmt::Debug + PartialEq + Eq { fn a(&self) -> &str { \"{ } \\n\" } fn b() {} } mod m { #![allow(x)] fn a() {} fn b() {} }";
        use quote::ToTokens;
        let plain = prettyplease::unparse(&syn::parse_file(code).unwrap());
        let tokens = syn::parse_file(&plain).unwrap().to_token_stream().to_string();
        let out = items(syn::parse_file(code).unwrap().items);
        assert_eq!(syn::parse_file(&out).unwrap().to_token_stream().to_string(), tokens);
        assert!(out.contains("where\n    T:"), "{out}");
        assert!(out.contains("    }\n\n    fn b() {}"), "{out}");
    }
}
