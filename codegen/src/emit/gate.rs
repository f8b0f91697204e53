//! `#[cfg(feature = ..)]` on the emitted items of a crate with features (see
//! [`crate::features`]). Applied to the parsed items before formatting, so emission itself stays
//! feature-blind: an item is gated by the name it defines (a type, a builder, a handle), an impl
//! by its self type, and a method by the builder or handle it returns.

use crate::features::Features;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The cfg predicate for each gated item, built once per distinct feature set.
pub(crate) struct Gates<'f> {
    features: &'f Features,
    predicates: BTreeMap<&'f BTreeSet<usize>, TokenStream>,
}

impl<'f> Gates<'f> {
    pub(crate) fn new(features: &'f Features) -> Self {
        let predicates = features
            .gates
            .values()
            .map(|set| {
                let names: Vec<&str> = set.iter().map(|&i| features.list[i].name.as_str()).collect();
                let predicate = match names.as_slice() {
                    [one] => quote!(feature = #one),
                    many => quote!(any(#(feature = #many),*)),
                };
                (set, predicate)
            })
            .collect();
        Gates { features, predicates }
    }

    /// Gates `items`, which sit in module `module` (`""` at the top), and the items of the
    /// modules among them.
    pub(crate) fn apply(&self, module: &str, items: &mut [syn::Item]) {
        for item in items {
            if let syn::Item::Mod(m) = item {
                let name = m.ident.to_string();
                if let Some((_, inner)) = &mut m.content {
                    self.apply(&name, inner);
                }
                continue;
            }
            if let Some((key, attrs)) = subject(module, item) {
                if let Some(attr) = self.attr(key) {
                    after_docs(attrs, attr);
                }
            }
            if let syn::Item::Impl(imp) = item {
                for member in &mut imp.items {
                    let syn::ImplItem::Fn(f) = member else { continue };
                    let syn::ReturnType::Type(_, ty) = &f.sig.output else { continue };
                    if let Some(attr) = path_key(module, ty).and_then(|key| self.attr(key)) {
                        after_docs(&mut f.attrs, attr);
                    }
                }
            }
        }
    }

    /// `#[cfg(..)]` for the item `name` of `module`, if it is gated.
    fn attr(&self, (module, name): (String, String)) -> Option<syn::Attribute> {
        let module = ["types", "builders", "resources"].into_iter().find(|m| *m == module)?;
        let predicate = self.features.gates.get(&(module, name)).and_then(|set| self.predicates.get(set))?;
        // Built by hand: syn's `Clone` impls are a feature this crate doesn't compile.
        Some(syn::Attribute {
            pound_token: Default::default(),
            style: syn::AttrStyle::Outer,
            bracket_token: Default::default(),
            meta: syn::Meta::List(syn::MetaList {
                path: syn::Ident::new("cfg", proc_macro2::Span::call_site()).into(),
                delimiter: syn::MacroDelimiter::Paren(Default::default()),
                tokens: predicate.clone(),
            }),
        })
    }
}

/// The module and name of what `item` defines or implements, and its attributes.
fn subject<'i>(
    module: &str,
    item: &'i mut syn::Item,
) -> Option<((String, String), &'i mut Vec<syn::Attribute>)> {
    let here = |ident: &syn::Ident| (module.to_string(), ident.to_string());
    match item {
        syn::Item::Struct(s) => Some((here(&s.ident), &mut s.attrs)),
        syn::Item::Enum(e) => Some((here(&e.ident), &mut e.attrs)),
        syn::Item::Type(t) => Some((here(&t.ident), &mut t.attrs)),
        syn::Item::Impl(imp) => Some((path_key(module, &imp.self_ty)?, &mut imp.attrs)),
        _ => None,
    }
}

/// `types::X` → (`types`, `X`); a bare `X` is in `module`.
fn path_key(module: &str, ty: &syn::Type) -> Option<(String, String)> {
    let syn::Type::Path(p) = ty else { return None };
    let mut segments = p.path.segments.iter().rev();
    let last = segments.next()?;
    Some((segments.next().map_or(module.to_string(), |m| m.ident.to_string()), last.ident.to_string()))
}

/// Puts `attr` after the doc comments, before the derives and other attributes.
fn after_docs(attrs: &mut Vec<syn::Attribute>, attr: syn::Attribute) {
    let docs = attrs.iter().take_while(|a| a.path().is_ident("doc")).count();
    attrs.insert(docs, attr);
}
