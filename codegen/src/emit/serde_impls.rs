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

    let entries = fields.iter().map(|(f, id, wire)| {
        if f.ty.is_option() && !f.required {
            quote!(if self.#id.is_some() { map.serialize_entry(#wire, &self.#id)?; })
        } else {
            quote!(map.serialize_entry(#wire, &self.#id)?;)
        }
    });
    let additional_entries = s.additional.as_ref().map(|_| {
        quote!(for (key, value) in &self.additional_properties {
            map.serialize_entry(key, value)?;
        })
    });
    let serialize_body = if fields.is_empty() && s.additional.is_none() {
        quote! {
            use serde::ser::SerializeMap as _;
            serializer.serialize_map(Some(0))?.end()
        }
    } else {
        quote! {
            use serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(None)?;
            #(#entries)*
            #additional_entries
            map.end()
        }
    };

    // Locals named after the fields; the map and key take names no field has.
    let taken: Vec<String> = fields.iter().map(|(_, id, _)| id.to_string()).collect();
    let free = |base: &str| {
        let mut n = base.to_string();
        while taken.contains(&n) {
            n.push('_');
        }
        format_ident!("{}", n)
    };
    let (map, key, extra) = (free("map"), free("key"), free("additional_properties"));
    let slots = fields.iter().map(|(_, id, _)| quote!(let mut #id = None;));
    let arms = fields.iter().map(|(_, id, wire)| quote!(#wire => #map.field(&mut #id, #wire)?,));
    let unknown = if s.additional.is_some() {
        Unknown::Keep
    } else if deny_unknown {
        Unknown::Refuse
    } else {
        Unknown::Skip
    };
    let entries_loop = if fields.is_empty() {
        match unknown {
            Unknown::Keep => quote! {
                while let Some(#key) = #map.next_key::<rt::__private::Key>()? {
                    #extra.insert(#key.into_string(), #map.next_value()?);
                }
            },
            Unknown::Refuse => quote! {
                if let Some(#key) = #map.next_key::<rt::__private::Key>()? {
                    return Err(serde::de::Error::unknown_field(#key.as_str(), &[]));
                }
            },
            Unknown::Skip => quote! {
                while #map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    #map.skip()?;
                }
            },
        }
    } else {
        let other = match unknown {
            Unknown::Keep => quote!(_ => { #extra.insert(#key.into_string(), #map.next_value()?); }),
            Unknown::Refuse => {
                let known = fields.iter().map(|(_, _, wire)| wire);
                quote!(other => return Err(serde::de::Error::unknown_field(other, &[#(#known),*])),)
            }
            Unknown::Skip => quote!(_ => #map.skip()?,),
        };
        quote! {
            while let Some(#key) = #map.next_key::<rt::__private::Key>()? {
                match #key.as_str() {
                    #(#arms)*
                    #other
                }
            }
        }
    };
    // `field` and `skip` are methods of `Entries`.
    let entries_trait = (!fields.is_empty() || matches!(unknown, Unknown::Skip)).then(|| {
        quote!(
            use rt::__private::Entries as _;
        )
    });
    let extra_slot =
        s.additional.as_ref().map(|_| quote!(let mut #extra = std::collections::BTreeMap::new();));
    let inits = fields.iter().map(|(f, id, wire)| {
        let value = if !f.ty.is_option() {
            quote!(rt::__private::required(#id, #wire)?)
        } else if f.ty.unwrap_option().is_option() {
            // Absent stays `None`; `null` is `Some(None)`.
            return quote!(#id,);
        } else {
            quote!(#id.flatten())
        };
        quote!(#id: #value,)
    });
    let extra_init = s.additional.as_ref().map(|_| match extra == "additional_properties" {
        true => quote!(additional_properties,),
        false => quote!(additional_properties: #extra,),
    });
    let expecting = format!("struct {}", t.name);
    quote! {
        #ser_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize_body
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
                #entries_trait
                #(#slots)*
                #extra_slot
                #entries_loop
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
