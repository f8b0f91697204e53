//! The models' serde impls, written out rather than derived: a user's build then doesn't compile
//! `serde_derive`, and each impl is as small as what the model needs. They behave as the derive
//! with the attributes the models would carry (`rename`, `default`, `skip_serializing_if`,
//! `flatten`, `deny_unknown_fields`, `untagged`).

use super::tyref::{ident, value_ident};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `Serialize` and `Deserialize` for a struct, each behind its gate (empty, or `serde-all`).
pub fn struct_impls(t: &TypeDef, s: &Struct, deny_unknown: bool, gates: [TokenStream; 2]) -> TokenStream {
    let [ser_gate, de_gate] = gates;
    let name = ident(&t.name);
    let fields: Vec<_> = s.fields.iter().map(|f| (f, value_ident(&f.name), &f.wire_name)).collect();

    let optional = |f: &Field| !f.presence.required();
    // `serialize_if_set` is a method of `Fields`.
    let fields_trait = fields.iter().any(|(f, _, _)| optional(f)).then(|| {
        quote!(
            use rt::__private::Fields as _;
        )
    });
    let entries = fields.iter().map(|(f, id, wire)| {
        if optional(f) {
            quote!(map.serialize_if_set(#wire, &self.#id)?;)
        } else {
            quote!(map.serialize_entry(#wire, &self.#id)?;)
        }
    });
    let additional_entries = s.additional.as_ref().map(|_| {
        quote!(for (key, value) in &self.additional_properties {
            map.serialize_entry(key, value)?;
        })
    });
    // Locals named after the fields (a struct has at least one, and none is named
    // `additional_properties`: lowering reserves it); the map and key take names no field has.
    let taken: Vec<String> = fields.iter().map(|(_, id, _)| id.to_string()).collect();
    let free = |base: &str| {
        let mut n = base.to_string();
        while taken.contains(&n) {
            n.push('_');
        }
        format_ident!("{}", n)
    };
    let (map, key) = (free("map"), free("key"));
    let slots = fields.iter().map(|(_, id, _)| quote!(let mut #id = None;));
    let arms = fields.iter().map(|(_, id, wire)| quote!(#wire => #map.field(&mut #id, #wire)?,));
    let unknown = if s.additional.is_some() {
        Unknown::Keep
    } else if deny_unknown {
        Unknown::Refuse
    } else {
        Unknown::Skip
    };
    let other = match unknown {
        Unknown::Keep => {
            quote!(_ => additional_properties.push((#key.into_string(), #map.next_value()?)),)
        }
        Unknown::Refuse => {
            let known = fields.iter().map(|(_, _, wire)| wire);
            quote!(other => return Err(serde::de::Error::unknown_field(other, &[#(#known),*])),)
        }
        Unknown::Skip => quote!(_ => #map.skip()?,),
    };
    let extra_slot = s.additional.as_ref().map(|_| quote!(let mut additional_properties = Vec::new();));
    let inits = fields.iter().map(|(f, id, wire)| {
        let value = if f.absent_is_default && !f.presence.is_option() {
            quote!(#id.unwrap_or_default())
        } else if !f.presence.is_option() {
            quote!(rt::__private::required(#id, #wire)?)
        } else if f.presence == Presence::Clearable {
            // Absent stays `None`; `null` is `Some(None)`.
            return quote!(#id,);
        } else {
            quote!(#id.flatten())
        };
        quote!(#id: #value,)
    });
    // Typed after the declared fields, so a missing one is reported first (as the derive does
    // with a flattened map, which it reads last).
    let extra_init = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: rt::__private::typed_map(additional_properties)?,));
    let expecting = format!("struct {}", t.name);
    quote! {
        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                #fields_trait
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                #additional_entries
                map.end()
            }
        }

        #de_gate
        impl<'de> serde::Deserialize<'de> for #name {
            #[inline]
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                rt::__private::object(deserializer)
            }
        }

        #de_gate
        impl rt::__private::Object for #name {
            const EXPECTING: &'static str = #expecting;
            fn from_map<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                use rt::__private::Entries as _;
                #(#slots)*
                #extra_slot
                while let Some(#key) = #map.next_key::<rt::__private::Key>()? {
                    match #key.as_str() {
                        #(#arms)*
                        #other
                    }
                }
                Ok(Self { #(#inits)* #extra_init })
            }
        }
    }
}

/// `Serialize` for an untagged union: the variant's value as it is.
pub fn untagged_serialize(t: &TypeDef, vs: &[Variant], gate: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let arms = vs.iter().map(|v| {
        let vn = ident(&v.name);
        quote!(Self::#vn(value) => serde::Serialize::serialize(value, serializer),)
    });
    quote! {
        #gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// What a model does with a field it doesn't declare.
enum Unknown {
    /// Keeps it in `additional_properties`.
    Keep,
    /// Fails: an untagged union's member with `additionalProperties: false`.
    Refuse,
    /// Ignores it.
    Skip,
}
