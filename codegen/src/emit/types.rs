//! The `types` module: structs, open enums, tagged and untagged unions and aliases for the
//! schemas.

use super::doc;
use super::tyref::{arg, ident, ty, value_ident, Scope};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The `types` module in parts, so two threads can emit and format it: `head` opens the module,
/// and `part(i)` for `i` in `0..parts()` are its items in order (the by-status enums last).
/// Each part is formatted inside `pub mod types { .. }`, so it breaks lines as it does nested.
pub struct Types<'a> {
    api: &'a Api,
    cx: Cx<'a>,
}

/// Types per part: small enough that the two threads finish close together.
const PART: usize = 64;

impl<'a> Types<'a> {
    pub fn new(api: &'a Api) -> Self {
        let cx = Cx {
            closed: api
                .types
                .iter()
                .filter(|t| matches!(&t.kind, TypeKind::Enum(e) if e.closed))
                .map(|t| t.name.clone())
                .collect(),
            by_name: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            api,
        };
        Types { api, cx }
    }

    /// The module's doc and its `use` of the runtime, as an empty module.
    pub fn head(runtime: &TokenStream) -> TokenStream {
        quote! {
            /// Types of the API's requests and responses.
            pub mod types {
                #[allow(unused_imports)]
                use #runtime as rt;
            }
        }
    }

    pub fn parts(&self) -> usize {
        self.api.types.len().div_ceil(PART) + 1
    }

    /// Part `i`'s items.
    pub fn part(&self, i: usize) -> TokenStream {
        let items: Vec<TokenStream> = if i + 1 < self.parts() {
            let end = ((i + 1) * PART).min(self.api.types.len());
            self.api.types[i * PART..end].iter().map(|t| emit_type(t, &self.cx)).collect()
        } else {
            let by_status = |op: &Operation| match &op.response.kind {
                ResponseKind::ByStatus(b) => Some(emit_by_status(self.api, op, b)),
                _ => None,
            };
            let errors = |op: &Operation| op.errors.as_ref().map(|b| emit_errors(self.api, op, b));
            self.api.operations.iter().flat_map(|op| by_status(op).into_iter().chain(errors(op))).collect()
        };
        quote!(#(#items)*)
    }
}

/// An operation's success responses of different types: an enum decoded by the status.
fn emit_by_status(api: &Api, op: &Operation, b: &ByStatus) -> TokenStream {
    let name = ident(&b.name);
    let summary = doc::attrs(Some(&format!("What `{}` answers, by status.", op.id)));
    let variants = status_variants(api, b, true);
    let decode = |c: &StatusCase| {
        let v = ident(&c.variant);
        match &c.ty {
            Some(t) => {
                let t = ty(t, Scope::types(api));
                quote!(raw.json::<#t>().map(|r| r.map(#name::#v)))
            }
            None => quote!(raw.empty().map(|r| r.map(|()| #name::#v))),
        }
    };
    // A status the document doesn't list decodes as the operation's main response, the first
    // with a body.
    let fallback = b.cases.iter().find(|c| c.ty.is_some()).or(b.cases.first()).map(decode);
    let arms = status_arms(b, decode, fallback);
    quote! {
        #summary
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #variants
        }
        impl rt::__private::Decoder for #name {
            type Output = Self;
            #[inline]
            fn decode(raw: rt::__private::RawResponse) -> Result<rt::Response<Self>, rt::Error> {
                match raw.status.as_u16() {
                    #arms
                }
            }
        }
    }
}

/// The error bodies an operation documents: an enum decoded by the status, which
/// `rt::Error::documented` returns.
fn emit_errors(api: &Api, op: &Operation, b: &ByStatus) -> TokenStream {
    let name = ident(&b.name);
    // Built here, not through `doc::attrs`, which would escape the link.
    let summary = format!(
        " The error bodies `{}` documents, by status: what [`Error::documented`](rt::Error::documented) gives when a call fails.",
        op.id
    );
    let summary = quote!(#[doc = #summary]);
    let variants = status_variants(api, b, false);
    let decode = |c: &StatusCase| match &c.ty {
        Some(_) => {
            let v = ident(&c.variant);
            quote!(serde_json::from_slice(body).ok().map(#name::#v))
        }
        None => quote!(None),
    };
    let fallback = b.cases.iter().find(|c| c.key == "default").map(decode).unwrap_or(quote!(None));
    // `default` alone needs no match.
    let body = if b.cases.iter().all(|c| c.key == "default") {
        quote!(let _ = status; #fallback)
    } else {
        let arms = status_arms(b, decode, Some(fallback));
        quote!(match status.as_u16() { #arms })
    };
    quote! {
        #summary
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #variants
        }
        impl rt::Documented for #name {
            fn decode(status: rt::StatusCode, body: &[u8]) -> Option<Self> {
                #body
            }
        }
    }
}

/// A by-status enum's variants, in status order; `units`: a case without a body is a variant
/// too (successes), else it has none (errors).
fn status_variants(api: &Api, b: &ByStatus, units: bool) -> TokenStream {
    let variants = b.cases.iter().filter(|c| units || c.ty.is_some()).map(|c| {
        let v = ident(&c.variant);
        let d = doc::attrs(Some(&match &c.doc {
            Some(d) => format!("`{}`: {d}", c.key),
            None => format!("`{}`.", c.key),
        }));
        match &c.ty {
            Some(t) => {
                let t = ty(t, Scope::types(api));
                quote!(#d #v(#t),)
            }
            None => quote!(#d #v,),
        }
    });
    quote!(#(#variants)*)
}

/// The arms of a match on the status: codes first, then ranges, then `fallback`.
fn status_arms(
    b: &ByStatus,
    decode: impl Fn(&StatusCase) -> TokenStream,
    fallback: Option<TokenStream>,
) -> TokenStream {
    let codes = b.cases.iter().filter_map(|c| {
        let code = proc_macro2::Literal::u16_unsuffixed(c.key.parse().ok()?);
        let body = decode(c);
        Some(quote!(#code => #body,))
    });
    // A guard, not a range pattern: the exact codes above overlap it on purpose.
    let ranges = b.cases.iter().filter_map(|c| {
        let class: u16 = match c.key.as_bytes() {
            [d @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] => u16::from(d - b'0'),
            _ => return None,
        };
        let lo = proc_macro2::Literal::u16_unsuffixed(class * 100);
        let hi = proc_macro2::Literal::u16_unsuffixed(class * 100 + 99);
        let body = decode(c);
        Some(quote!(s if (#lo..=#hi).contains(&s) => #body,))
    });
    let fallback = fallback.map(|f| quote!(_ => #f,));
    quote!(#(#codes)* #(#ranges)* #fallback)
}

/// What emitting one type needs to know about the others.
struct Cx<'a> {
    /// Closed one-value tag enums: `new` fills fields of these types in.
    closed: BTreeSet<String>,
    by_name: BTreeMap<&'a str, &'a TypeDef>,
    api: &'a Api,
}

impl Cx<'_> {
    /// A type's doc comment and the user's attributes for it (after the doc, before the derive).
    fn head(&self, t: &TypeDef) -> TokenStream {
        let docs = doc::attrs(t.doc.as_deref());
        let user = self.api.type_attributes.get(&t.name).into_iter().flatten().map(|a| attribute(a));
        quote!(#docs #(#user)*)
    }

    /// The user's attributes for a struct's field.
    fn field_head(&self, t: &TypeDef, field: &str) -> TokenStream {
        let by_field = self.api.field_attributes.get(&t.name).and_then(|f| f.get(field));
        let user = by_field.into_iter().flatten().map(|a| attribute(a));
        quote!(#(#user)*)
    }
}

impl Cx<'_> {
    /// `#[serde(inner)]` for a derive of the user's that reads serde attributes (under its
    /// `cfg`), when the type has one: it then sees what the written-out impls do.
    fn serde_attr(&self, t: &TypeDef, inner: TokenStream) -> TokenStream {
        match self.api.serde_readers.get(&t.name) {
            None => TokenStream::new(),
            Some(None) => quote!(#[serde(#inner)]),
            Some(Some(cfg)) => {
                let cfg: TokenStream = cfg.parse().unwrap_or_default();
                quote!(#[cfg_attr(#cfg, serde(#inner))])
            }
        }
    }

    /// A variant's or field's wire name for a serde reader, when it differs from its Rust name
    /// as serde reads that (without `r#`).
    fn serde_rename(&self, t: &TypeDef, rust: &proc_macro2::Ident, wire: &str) -> TokenStream {
        if !self.api.serde_readers.contains_key(&t.name) || unraw(rust) == wire {
            return TokenStream::new();
        }
        self.serde_attr(t, quote!(rename = #wire))
    }
}

/// An identifier as serde and rustdoc name it: without `r#`.
fn unraw(id: &proc_macro2::Ident) -> String {
    let s = id.to_string();
    s.strip_prefix("r#").map(str::to_string).unwrap_or(s)
}

/// `#[doc(alias = "wire")]`: a field's wire name beside it, and found by rustdoc's search. Not
/// where it is the Rust name, or where rustdoc refuses the alias (quotes, tabs, edge spaces).
fn wire_alias(name: &str, rust: &proc_macro2::Ident, wire: &str) -> TokenStream {
    if name == wire && !crate::ident::NOT_RAW.contains(&name) {
        return TokenStream::new(); // the common case, without making the ident a string
    }
    let refused = |c: char| c == '"' || c == '\'' || (c.is_whitespace() && c != ' ');
    if unraw(rust) == wire
        || wire.is_empty()
        || wire.starts_with(' ')
        || wire.ends_with(' ')
        || wire.contains(refused)
    {
        return TokenStream::new();
    }
    quote!(#[doc(alias = #wire)])
}

/// An attribute the user gave as text (checked when it was given).
fn attribute(text: &str) -> TokenStream {
    text.parse().unwrap_or_default()
}

/// `#[cfg(...)]` for the impl of one direction, when the type doesn't need it always.
fn serde_gate(needed: bool) -> TokenStream {
    if needed {
        TokenStream::new()
    } else {
        quote!(#[cfg(feature = "serde-all")])
    }
}

fn emit_type(t: &TypeDef, cx: &Cx) -> TokenStream {
    let docs = doc::attrs(t.doc.as_deref());
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct(s) => emit_struct(t, s, cx),
        TypeKind::Enum(e) if e.closed => emit_closed_enum(t, e, cx),
        TypeKind::Enum(e) => emit_enum(t, e, cx),
        TypeKind::Untagged(vs) => emit_untagged(t, vs, cx),
        TypeKind::Tagged { tag, variants, absent } => emit_tagged(t, tag, variants, absent.as_deref(), cx),
        TypeKind::Alias(target) => {
            let target = ty(target, Scope::types(cx.api));
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// `From` each variant's type (and `&str` for a string variant), so `"Found a bug".into()` is
/// the union's string variant; only types that name one variant, so every impl is unambiguous.
fn variant_froms(t: &TypeDef, vs: &[Variant], cx: &Cx) -> TokenStream {
    let name = ident(&t.name);
    // A type alias is the type it names: two variants may be one type (`Name` = `String`).
    let canonical = |ty: &TypeRef| {
        let mut ty = ty.unbox().clone();
        for _ in 0..32 {
            match &ty {
                TypeRef::Named(n) => match cx.by_name.get(n.as_str()).map(|t| &t.kind) {
                    Some(TypeKind::Alias(target)) => ty = target.unbox().clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    };
    // `From<Self>` is core's already (a variant that is the union itself, boxed).
    let own = |v: &&Variant| !matches!(canonical(&v.ty), TypeRef::Named(n) if n == t.name);
    let vs: Vec<&Variant> = vs.iter().filter(own).collect();
    let from = |v: &Variant| match &v.ty {
        TypeRef::Box(_) => (ty(&canonical(&v.ty), Scope::types(cx.api)), quote!(Box::new(value))),
        _ => (ty(&canonical(&v.ty), Scope::types(cx.api)), quote!(value)),
    };
    let rendered: Vec<String> = vs.iter().map(|v| from(v).0.to_string()).collect();
    let impls =
        vs.iter().copied().zip(&rendered).filter(|(_, r)| rendered.iter().filter(|o| o == r).count() == 1);
    let impls = impls.map(|(v, _)| {
        let vn = ident(&v.name);
        let (from_ty, wrap) = from(v);
        let str_impl = matches!(canonical(&v.ty), TypeRef::String).then(|| {
            let (_, wrap) = from(v);
            quote! {
                impl From<&str> for #name {
                    #[inline]
                    fn from(value: &str) -> Self {
                        let value = value.to_string();
                        Self::#vn(#wrap)
                    }
                }
            }
        });
        quote! {
            impl From<#from_ty> for #name {
                #[inline]
                fn from(value: #from_ty) -> Self {
                    Self::#vn(#wrap)
                }
            }

            #str_impl
        }
    });
    quote!(#(#impls)*)
}

/// An untagged union. serde's derive tries the variants in order, which suits scalars; when two
/// or more variants are structs, an object goes first to the variants that declare the most of
/// its keys, so one isn't taken for another that would drop the fields it doesn't know.
fn emit_untagged(t: &TypeDef, vs: &[Variant], cx: &Cx) -> TokenStream {
    let docs = cx.head(t);
    let docs = {
        let untagged = cx.serde_attr(t, quote!(untagged));
        quote!(#docs #untagged)
    };
    let name = ident(&t.name);
    let variants = vs.iter().map(|v| {
        let vn = ident(&v.name);
        let vt = ty(&v.ty, Scope::types(cx.api));
        quote!(#vn(#vt),)
    });
    if t.traits.multipart {
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
        };
    }
    let declared: Vec<Option<Vec<&str>>> = vs
        .iter()
        .map(|v| match held_kind(&v.ty, cx) {
            Some(TypeKind::Struct(s)) => Some(s.fields.iter().map(|f| f.wire_name.as_str()).collect()),
            _ => None,
        })
        .collect();
    // Struct variants that leave out the keys they don't declare, where another variant keeps
    // every key (any JSON value, a map, a struct with additional properties): an object none
    // of whose keys such a struct declares goes to the others first, not to the struct that
    // would drop them all.
    let by_count = declared.iter().flatten().count() >= 2;
    // A variant that is itself an untagged union of structs declares its members' keys, and
    // drops the others unless a member keeps them.
    let keeps: Vec<bool> = vs.iter().map(|v| keeps_every_key(&v.ty, cx)).collect();
    let objects: Vec<Option<(Vec<&str>, bool)>> = vs.iter().map(|v| object_keys(&v.ty, cx, 0)).collect();
    let drops: Vec<bool> =
        objects.iter().zip(&keeps).map(|(o, k)| o.as_ref().is_some_and(|o| o.1) && !k).collect();
    let drops = (drops.iter().any(|d| *d) && keeps.iter().any(|k| *k)).then_some(drops);
    // Where it decides, the keys such a union declares count as its own.
    let declared: Vec<Option<Vec<&str>>> = match drops {
        Some(_) => objects.into_iter().map(|o| o.map(|o| o.0)).collect(),
        None => declared,
    };
    // The properties each variant fixes (a one-value enum, a tag): an object that gives one
    // another value is not that variant.
    let fixed: Vec<Vec<(&str, Vec<&str>)>> = vs.iter().map(|v| fixed_values(&v.ty, cx)).collect();
    let fixed = fixed.iter().any(|f| !f.is_empty()).then_some(fixed);
    let ser = super::serde_impls::untagged_serialize(t, vs, serde_gate(t.traits.serialize));
    let de_gate = serde_gate(t.traits.deserialize);
    let none = format!("data did not match any variant of untagged enum {}", t.name);
    let attempt = |v: &Variant| {
        let vn = ident(&v.name);
        let vt = ty(&v.ty, Scope::types(cx.api));
        quote!(buffered.decode::<#vt>().map(Self::#vn).ok())
    };

    let tries = if !by_count && drops.is_none() && fixed.is_none() {
        // In declaration order, as serde's `untagged` tries them.
        let attempts = vs.iter().map(|v| {
            let vn = ident(&v.name);
            let vt = ty(&v.ty, Scope::types(cx.api));
            quote! {
                if let Ok(found) = buffered.decode::<#vt>() {
                    return Ok(Self::#vn(found));
                }
            }
        });
        quote!(#(#attempts)*)
    } else {
        let count = proc_macro2::Literal::usize_unsuffixed(vs.len());
        let indices = (0..vs.len()).map(proc_macro2::Literal::usize_unsuffixed);
        let keys = declared.iter().map(|d| {
            let keys = d.as_deref().unwrap_or_default();
            quote!(&[#(#keys),*])
        });
        let arms = vs.iter().enumerate().map(|(i, v)| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let attempt = attempt(v);
            quote!(#i => #attempt,)
        });
        let drops_const = drops.as_ref().map(|drops| {
            quote! {
                // The struct variants that leave out keys they don't declare.
                const DROPS: [bool; #count] = [#(#drops),*];
            }
        });
        let count_keys = quote!(map.keys().filter(|k| DECLARED[i].contains(&k.as_str())).count());
        // Two or more structs: the one declaring the most keys first (then declaration order).
        let sort = match (&drops, by_count) {
            (None, _) => quote! {
                if let serde_json::Value::Object(map) = &buffered.value {
                    order.sort_by_key(|&i| {
                        std::cmp::Reverse(map.keys().filter(|k| DECLARED[i].contains(&k.as_str())).count())
                    });
                }
            },
            (Some(_), true) => quote! {
                if let serde_json::Value::Object(map) = &buffered.value {
                    if !map.is_empty() {
                        order.sort_by_key(|&i| {
                            let declared = #count_keys;
                            (DROPS[i] && declared == 0, std::cmp::Reverse(declared))
                        });
                    }
                }
            },
            (Some(_), false) => quote! {
                if let serde_json::Value::Object(map) = &buffered.value {
                    if !map.is_empty() {
                        order.sort_by_key(|&i| DROPS[i] && #count_keys == 0);
                    }
                }
            },
        };
        let (fixed_const, skip) = match &fixed {
            None => (None, None),
            Some(fixed) => {
                let lists = fixed.iter().map(|f| {
                    let pairs = f.iter().map(|(p, values)| quote!((#p, &[#(#values),*])));
                    quote!(&[#(#pairs),*])
                });
                (
                    Some(quote! {
                        // The properties each variant fixes: an object that gives one another
                        // value is tried as that variant only after the others.
                        const FIXED: [&[(&str, &[&str])]; #count] = [#(#lists),*];
                    }),
                    Some(quote! {
                        // Last, not left out: a value a newer server sends still decodes.
                        order.sort_by_key(|&i| buffered.contradicts(FIXED[i]));
                    }),
                )
            }
        };
        quote! {
            // The properties each variant declares: an object is tried first as the variants
            // that declare the most of its keys, then in declaration order.
            const DECLARED: [&[&str]; #count] = [#(#keys),*];
            #drops_const
            #fixed_const
            let mut order: [usize; #count] = [#(#indices),*];
            #sort
            #skip
            for i in order {
                let found = match i {
                    #(#arms)*
                    _ => None,
                };
                if let Some(found) = found {
                    return Ok(found);
                }
            }
        }
    };
    let froms = variant_froms(t, vs, cx);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }

        #froms

        #ser

        // `__D`: the variants' types may be named `D`.
        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let buffered = rt::__private::Buffered::deserialize(deserializer)?;
                #tries
                Err(serde::de::Error::custom(#none))
            }
        }
    }
}

/// The kind of the named type `ty` holds (through options, boxes and aliases).
fn held_kind<'a>(ty: &TypeRef, cx: &Cx<'a>) -> Option<&'a TypeKind> {
    let mut name = ty.held_named()?;
    for _ in 0..32 {
        match &cx.by_name.get(name)?.kind {
            TypeKind::Alias(target) => name = target.held_named()?,
            kind => return Some(kind),
        }
    }
    None
}

/// The properties a value of `ty` fixes, with the values it allows: a struct's one-value enum
/// fields, a tagged union's tag.
fn fixed_values<'a>(ty: &TypeRef, cx: &Cx<'a>) -> Vec<(&'a str, Vec<&'a str>)> {
    match held_kind(ty, cx) {
        Some(TypeKind::Struct(s)) => s
            .fields
            .iter()
            .filter_map(|f| match held_kind(&f.value, cx) {
                Some(TypeKind::Enum(e)) if e.variants.len() == 1 => {
                    Some((f.wire_name.as_str(), vec![e.variants[0].value.as_str()]))
                }
                _ => None,
            })
            .collect(),
        Some(TypeKind::Tagged { tag, variants, .. }) => {
            vec![(tag.as_str(), variants.iter().map(|v| v.value.as_str()).collect())]
        }
        _ => Vec::new(),
    }
}

/// The keys an object of `ty` declares, and whether it leaves out the others: a struct's
/// fields, or an untagged union's members' (which drops others unless a member keeps them).
fn object_keys<'a>(ty: &TypeRef, cx: &Cx<'a>, depth: usize) -> Option<(Vec<&'a str>, bool)> {
    match held_kind(ty, cx)? {
        TypeKind::Struct(s) => {
            Some((s.fields.iter().map(|f| f.wire_name.as_str()).collect(), s.additional.is_none()))
        }
        TypeKind::Untagged(members) if depth < 8 => {
            let mut keys = Vec::new();
            let mut drops = false;
            for m in members {
                if keeps_every_key(&m.ty, cx) {
                    return Some((keys, false));
                }
                if let Some((k, d)) = object_keys(&m.ty, cx, depth + 1) {
                    keys.extend(k.into_iter().filter(|k| !keys.contains(k)).collect::<Vec<_>>());
                    drops |= d;
                }
            }
            drops.then_some((keys, true))
        }
        _ => None,
    }
}

/// Whether a value of `ty` keeps every key of an object it decodes.
fn keeps_every_key(ty: &TypeRef, cx: &Cx) -> bool {
    let mut ty = ty;
    for _ in 0..32 {
        match ty {
            TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => return true,
            TypeRef::Option(inner) | TypeRef::Box(inner) => ty = inner,
            TypeRef::Named(n) => match cx.by_name.get(n.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => return s.additional.is_some(),
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// A discriminated union. The whole object goes to the variant's type (so a variant that
/// declares the tag property still sees it), and a tag this client doesn't know is kept as JSON.
fn emit_tagged(
    t: &TypeDef,
    tag: &str,
    variants: &[TaggedVariant],
    absent: Option<&str>,
    cx: &Cx,
) -> TokenStream {
    let ser_gate = serde_gate(t.traits.serialize);
    let de_gate = serde_gate(t.traits.deserialize);
    // An object without the tag is the member whose tag defaults, when one does.
    let absent = absent.map(|v| quote!(.or(value.is_object().then_some(#v))));
    let docs = cx.head(t);
    let internal = cx.serde_attr(t, quote!(tag = #tag));
    let untagged = cx.serde_attr(t, quote!(untagged));
    let name = ident(&t.name);
    let decls = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vt = ty(&v.ty, Scope::types(cx.api));
        let d = format!(" `{tag}: {}`", v.value);
        let rename = cx.serde_rename(t, &vn, &v.value);
        quote!(#[doc = #d] #rename #vn(#vt),)
    });
    let ser = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let value = &v.value;
        quote!(Self::#vn(v) => (#value, rt::__private::json_value(v)),)
    });
    let de = variants.iter().map(|v| {
        let vn = ident(&v.name);
        let vt = ty(&v.ty, Scope::types(cx.api));
        let value = &v.value;
        quote!(Some(#value) => buffered.member::<#vt, __D::Error>().map(Self::#vn),)
    });
    let unknown_doc =
        format!(" An object whose `{tag}` this version of the client doesn't know, kept as it came.");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #internal
        pub enum #name {
            #(#decls)*
            #[doc = #unknown_doc]
            #untagged
            Unknown(serde_json::Value),
        }

        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#ser)*
                    Self::Unknown(v) => return v.serialize(serializer),
                };
                let mut value = value.map_err(serde::ser::Error::custom)?;
                if let serde_json::Value::Object(map) = &mut value {
                    map.entry(#tag).or_insert_with(|| tag.into());
                }
                value.serialize(serializer)
            }
        }

        // `__D`: the variants' types may be named `D`.
        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                // Read whole (a repeated field of the member is still refused), then by the tag.
                let buffered = rt::__private::Buffered::deserialize(deserializer)?;
                let value = &buffered.value;
                let tag = value.get(#tag).and_then(|t| t.as_str()).map(str::to_owned);
                match tag.as_deref()#absent {
                    #(#de)*
                    _ => Ok(Self::Unknown(buffered.value)),
                }
            }
        }
    }
}

fn emit_struct(t: &TypeDef, s: &Struct, cx: &Cx) -> TokenStream {
    let (default, binary) = (t.traits.default, t.traits.multipart);
    let docs = cx.head(t);
    let name = ident(&t.name);
    let derive_default = default.then(|| quote!(Default,));
    let derives = quote!(#[derive(Debug, Clone, PartialEq, #derive_default)]);
    let serde_impls = (!binary).then(|| {
        let gates = [serde_gate(t.traits.serialize), serde_gate(t.traits.deserialize)];
        super::serde_impls::struct_impls(t, s, t.traits.deny_unknown, gates)
    });
    let fields = s.fields.iter().map(|f| {
        let fdocs = doc::attrs(f.doc.as_deref());
        let user = cx.field_head(t, &f.name);
        let fname = value_ident(&f.name);
        let fty = ty(&f.ty(), Scope::types(cx.api));
        let alias = wire_alias(&f.name, &fname, &f.wire_name);
        let rename = cx.serde_rename(t, &fname, &f.wire_name);
        let default = f.absent_is_default.then(|| cx.serde_attr(t, quote!(default)));
        quote! {
            #fdocs
            #alias
            #user
            #rename
            #default
            pub #fname: #fty,
        }
    });
    let additional = s.additional.as_ref().map(|a| {
        let map = ty(&TypeRef::Map(Box::new(a.clone())), Scope::types(cx.api));
        let flatten = cx.serde_attr(t, quote!(flatten));
        quote! {
            /// Properties beyond the declared ones.
            #flatten
            pub additional_properties: #map,
        }
    });
    // `new` takes the required fields; optional ones start unset, and a one-value tag holds its
    // value. With `#[non_exhaustive]`, a field the API adds later doesn't break code that builds
    // this type.
    let is_tag = |f: &Field| {
        f.presence == Presence::Required && matches!(&f.value, TypeRef::Named(n) if cx.closed.contains(n))
    };
    let required: Vec<&Field> =
        s.fields.iter().filter(|f| (!f.presence.is_option() || f.sent_required) && !is_tag(f)).collect();
    let params = required.iter().map(|f| {
        let n = value_ident(&f.name);
        let (aty, _) = arg(&f.value, &n, Scope::types(cx.api));
        quote!(#n: #aty)
    });
    let inits = s.fields.iter().map(|f| {
        let n = value_ident(&f.name);
        if f.sent_required {
            let (_, conv) = arg(&f.value, &n, Scope::types(cx.api));
            quote!(#n: Some(#conv))
        } else if f.presence.is_option() {
            quote!(#n: None)
        } else if is_tag(f) {
            quote!(#n: Default::default())
        } else {
            match arg(&f.ty(), &n, Scope::types(cx.api)) {
                // The value as it is: the field shorthand.
                (_, conv) if n == conv.to_string() => quote!(#n),
                (_, conv) => quote!(#n: #conv),
            }
        }
    });
    let rest = s.additional.as_ref().map(|_| quote!(additional_properties: Default::default(),));
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = if required.is_empty() {
        " A value with every field unset.".to_string()
    } else {
        " A value with the required fields; the optional ones start unset.".to_string()
    };
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        impl #name {
            #[doc = #new_doc]
            #allow
            #[inline]
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits,)* #rest }
            }
        }

        #serde_impls
    }
}

fn emit_enum(t: &TypeDef, e: &StringEnum, cx: &Cx) -> TokenStream {
    let docs = cx.head(t);
    let name = ident(&t.name);
    let as_str_impls = as_str_impls(&name);
    let taken: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
    let catch_all = ident(
        ["Unknown", "Other", "UnknownValue"]
            .into_iter()
            .find(|c| !taken.contains(c))
            .unwrap_or("UnknownValue_"),
    );
    let open_doc = format!(
        " Open: a value this version of the client doesn't know parses as [`{}::{}`] and serializes back unchanged.",
        t.name, catch_all
    );
    let open_doc =
        if t.doc.is_some() { quote!(#[doc = ""] #[doc = #open_doc]) } else { quote!(#[doc = #open_doc]) };
    let variants = enum_variants(t, e, cx);
    let untagged = cx.serde_attr(t, quote!(untagged));
    let to_str = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let value = &v.value;
        quote!(#name::#vn => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let value = &v.value;
        quote!(#value => #name::#vn,)
    });
    let derive_default = e.default.is_some().then(|| quote!(Default,));
    quote! {
        #docs
        #open_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client doesn't know (never one it knows: those
            /// always parse into their own variant).
            #untagged
            #catch_all(rt::UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #name::#catch_all(other) => other.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::#catch_all(rt::UnknownValue::__after_known_values(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
                Ok(#name::from(value))
            }
        }

        #as_str_impls

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::__private::read_str(deserializer, |value: &str| Self::from(value))
            }
        }
    }
}

/// An enum's variants with their docs (the value's own description, then the value).
fn enum_variants<'a>(
    t: &'a TypeDef,
    e: &'a StringEnum,
    cx: &'a Cx,
) -> impl Iterator<Item = TokenStream> + 'a {
    e.variants.iter().map(move |v| {
        let vn = ident(&v.name);
        let rename = cx.serde_rename(t, &vn, &v.value);
        let d = format!(" `{}`", v.value);
        let described = doc::attrs(v.doc.as_deref());
        let described = if described.is_empty() { described } else { quote!(#described #[doc = ""]) };
        let default = (e.default.as_ref() == Some(&v.value)).then(|| quote!(#[default]));
        quote!(#described #[doc = #d] #default #rename #vn,)
    })
}

/// The one-value tag of a tagged union's member: closed, so an object with another tag is
/// refused rather than taken for this member; `Default` is its value.
fn emit_closed_enum(t: &TypeDef, e: &StringEnum, cx: &Cx) -> TokenStream {
    let docs = cx.head(t);
    let name = ident(&t.name);
    let as_str_impls = as_str_impls(&name);
    let expected = e.variants.iter().map(|v| format!("`{}`", v.value)).collect::<Vec<_>>().join(" or ");
    let closed_doc = format!(" Closed: always {expected}; any other value is refused.");
    let closed_doc =
        if t.doc.is_some() { quote!(#[doc = ""] #[doc = #closed_doc]) } else { quote!(#[doc = #closed_doc]) };
    let variants = enum_variants(t, e, cx);
    let to_str = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let value = &v.value;
        quote!(#name::#vn => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let vn = ident(&v.name);
        let value = &v.value;
        quote!(#value => Ok(Self::#vn),)
    });
    let derive_default = e.default.is_some().then(|| quote!(Default,));
    quote! {
        #docs
        #closed_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #derive_default)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#to_str)*
                }
            }
        }

        #as_str_impls

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::__private::read_str(deserializer, |value| match value {
                    #(#from_str)*
                    other => Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(other), &#expected)),
                })?
            }
        }
    }
}

/// `Display` and `Serialize` through `as_str()`, shared by open and closed string enums.
fn as_str_impls(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}
