//! Rust type expressions for IR types, as seen from the generated `types` module or from a
//! sibling module that imports it as `types`.

use crate::ir::{Api, FloatKind, IntKind, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// An identifier for a field, parameter or method, keyword-escaped.
pub fn value_ident(name: &str) -> Ident {
    ident(&crate::ident::escape(name))
}

/// Where a type is written from (inside `types`, or from a module that sees it as `types::X`),
/// and the map type objects with `additionalProperties` are written as.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    outside: bool,
    map: Option<&'a str>,
}

impl<'a> Scope<'a> {
    /// Inside the `types` module.
    pub fn types(api: &'a Api) -> Self {
        Scope { outside: false, map: api.map_type.as_deref() }
    }

    /// From a module that imports `types`.
    pub fn outside(api: &'a Api) -> Self {
        Scope { outside: true, map: api.map_type.as_deref() }
    }

    /// `BTreeMap<String, V>`, or the configured map type.
    fn map(&self, value: TokenStream) -> TokenStream {
        // Checked to parse when it was configured (`Config::map_type`).
        match self.map.and_then(|m| syn::parse_str::<syn::Path>(m).ok()) {
            Some(path) => quote!(#path<String, #value>),
            None => quote!(std::collections::BTreeMap<String, #value>),
        }
    }
}

pub fn ty(t: &TypeRef, scope: Scope) -> TokenStream {
    match t {
        TypeRef::String => quote!(String),
        TypeRef::DateTime => quote!(rt::DateTime),
        TypeRef::Date => quote!(rt::Date),
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer(k) => match k {
            IntKind::I8 => quote!(i8),
            IntKind::I16 => quote!(i16),
            IntKind::I32 => quote!(i32),
            IntKind::I64 => quote!(i64),
            IntKind::U8 => quote!(u8),
            IntKind::U16 => quote!(u16),
            IntKind::U32 => quote!(u32),
            IntKind::U64 => quote!(u64),
        },
        TypeRef::Float(FloatKind::F32) => quote!(f32),
        TypeRef::Float(FloatKind::F64) => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Unit => quote!(()),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Binary => quote!(rt::FilePart),
        TypeRef::Base64 => quote!(rt::Base64Bytes),
        // Checked to parse when the override was given (`overrides::check_type`).
        TypeRef::External(path) => match syn::parse_str::<syn::Type>(path) {
            Ok(t) => quote!(#t),
            Err(_) => quote!(serde_json::Value),
        },
        TypeRef::Named(n) => {
            let id = ident(n);
            match scope.outside {
                false => quote!(#id),
                true => quote!(types::#id),
            }
        }
        TypeRef::Vec(inner) => {
            let i = ty(inner, scope);
            quote!(Vec<#i>)
        }
        TypeRef::Map(inner) => scope.map(ty(inner, scope)),
        TypeRef::Option(inner) => {
            let i = ty(inner, scope);
            quote!(Option<#i>)
        }
        TypeRef::Box(inner) => {
            let i = ty(inner, scope);
            quote!(Box<#i>)
        }
    }
}

/// How a setter or argument accepts a value of type `t`: `impl Into<String>` for strings, the
/// type itself otherwise; and the expression that turns the argument into the stored value.
pub fn arg(t: &TypeRef, name: &Ident, scope: Scope) -> (TokenStream, TokenStream) {
    match t {
        TypeRef::String => (quote!(impl Into<String>), quote!(#name.into())),
        // `Vec<u8>` or `&[u8]`; the wrapper only says how the bytes travel.
        TypeRef::Base64 => (quote!(impl Into<rt::Base64Bytes>), quote!(#name.into())),
        TypeRef::Box(inner) => {
            let i = ty(inner, scope);
            (quote!(#i), quote!(Box::new(#name)))
        }
        // A union from one of its variants' values, an enum from `&str`, a struct as itself.
        TypeRef::Named(_) => {
            let t = ty(t, scope);
            (quote!(impl Into<#t>), quote!(#name.into()))
        }
        other => (ty(other, scope), quote!(#name)),
    }
}
