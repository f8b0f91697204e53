//! Type overrides: a format, or one schema, mapped to a Rust type the user already has (like
//! prost-build's `extern_path` and typify's `with_replacement`). The generator then writes that
//! path wherever the format or schema is used and defines no type of its own for it.

use std::collections::BTreeMap;

/// Formats and schemas mapped to Rust type paths; see [`crate::Config::format_type`] and
/// [`crate::Config::schema_type`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeOverrides {
    /// `format` value (`uuid`, `date-time`, `decimal`) → Rust type.
    pub formats: BTreeMap<String, String>,
    /// JSON pointer of a schema (`#/components/schemas/Money`) → Rust type.
    pub schemas: BTreeMap<String, String>,
}

impl TypeOverrides {
    /// A schema given by its component name (`Money`) or by a JSON pointer (`#/...`).
    pub fn schema_pointer(schema: &str) -> String {
        if schema.starts_with('#') {
            schema.to_string()
        } else {
            format!("#/components/schemas/{}", schema.replace('~', "~0").replace('/', "~1"))
        }
    }

    /// Why `rust_type` can't be written into generated code, if it can't.
    pub fn check_type(rust_type: &str) -> Result<(), String> {
        match syn::parse_str::<syn::Type>(rust_type) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!("`{rust_type}` is not a Rust type: {e}")),
        }
    }
}

/// Attributes the user adds to generated types and fields (like prost-build's `type_attribute`
/// and `field_attribute`): a derive of another trait, a `#[cfg_attr(..)]`, a lint allowance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// (type selector, attribute): a generated type's name, or `*` for every struct and enum.
    pub types: Vec<(String, String)>,
    /// (`Type.field` selector, attribute): the field by its Rust or wire name; `*.field` for
    /// that field of every struct.
    pub fields: Vec<(String, String)>,
}

impl Attributes {
    /// Why `attribute` can't be written onto an item, if it can't (one or more outer attributes).
    pub fn check(attribute: &str) -> Result<(), String> {
        let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute);
        match parsed {
            Ok(attrs) if !attrs.is_empty() => Ok(()),
            Ok(_) => Err(format!("`{attribute}` holds no attribute")),
            Err(e) => Err(format!("`{attribute}` is not an outer attribute such as `#[derive(Hash)]`: {e}")),
        }
    }

    /// Places each attribute on the types and fields its selector names, and says which
    /// selectors name nothing (type aliases take no attributes, so they are never named).
    pub(crate) fn apply(&self, api: &mut crate::ir::Api) -> Vec<String> {
        use crate::ir::TypeKind;
        let mut unused = Vec::new();
        for (selector, attribute) in &self.types {
            let reader = serde_reader(attribute);
            let mut hit = false;
            for t in api.types.iter().filter(|t| !matches!(t.kind, TypeKind::Alias(_))) {
                if selector == "*" || *selector == t.name {
                    api.type_attributes.entry(t.name.clone()).or_default().push(attribute.clone());
                    if let Some(cfg) = &reader {
                        let readers = &mut api.serde_readers;
                        let merged = match readers.remove(&t.name) {
                            Some(known) => either(known, cfg.clone()),
                            None => cfg.clone(),
                        };
                        readers.insert(t.name.clone(), merged);
                    }
                    hit = true;
                }
            }
            if !hit {
                unused.push(format!("the type attribute for `{selector}` names no generated struct or enum"));
            }
        }
        for (selector, attribute) in &self.fields {
            let Some((ty, field)) = selector.split_once('.') else {
                unused.push(format!("the field attribute for `{selector}` needs `Type.field`"));
                continue;
            };
            let mut hit = false;
            for t in &api.types {
                let TypeKind::Struct(s) = &t.kind else { continue };
                if ty != "*" && ty != t.name {
                    continue;
                }
                for f in s.fields.iter().filter(|f| f.name == field || f.wire_name == field) {
                    let by_field = api.field_attributes.entry(t.name.clone()).or_default();
                    by_field.entry(f.name.clone()).or_default().push(attribute.clone());
                    hit = true;
                }
            }
            if !hit {
                unused.push(format!(
                    "the field attribute for `{selector}` names no field of a generated struct"
                ));
            }
        }
        unused
    }
}

/// Generated types and fields the user renames (like typify's `TypePatch::with_rename`): the
/// Rust names change everywhere they are used, the wire names stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// (a generated type's name, its new name).
    pub types: Vec<(String, String)>,
    /// (`Type.field`, the field's new name): the field by its Rust or wire name, the type by its
    /// name after the type renames.
    pub fields: Vec<(String, String)>,
}

impl Renames {
    /// Why `name` can't be a type's or field's new name, if it can't.
    pub fn check(name: &str) -> Result<(), String> {
        match syn::parse_str::<syn::Ident>(name) {
            Ok(_) if !name.starts_with("r#") => Ok(()),
            _ => Err(format!("`{name}` is not a Rust identifier (nor a keyword)")),
        }
    }

    /// Renames in `api`: the warnings for renames that name nothing, or why the renames can't be
    /// made (a new name taken by another type, field or builder method).
    pub(crate) fn apply(&self, api: &mut crate::ir::Api) -> Result<Vec<String>, String> {
        let mut unused = Vec::new();
        if self.types.is_empty() && self.fields.is_empty() {
            return Ok(unused);
        }
        let mut names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        api.visit_names_mut(&mut |n| {
            names.insert(n.clone());
        });
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        for (old, new) in &self.types {
            if !names.contains(old) {
                unused.push(format!("the rename of `{old}` names no generated type"));
                continue;
            }
            map.insert(old.clone(), new.clone());
        }
        let mut taken: std::collections::BTreeSet<&str> =
            names.iter().filter(|n| !map.contains_key(*n)).map(String::as_str).collect();
        taken.extend(crate::ir::RESERVED_TYPE_NAMES);
        for (old, new) in &map {
            if !taken.insert(new) {
                return Err(format!("cannot rename `{old}` to `{new}`: another type has that name"));
            }
        }
        if !map.is_empty() {
            api.visit_names_mut(&mut |n| {
                if let Some(new) = map.get(n.as_str()) {
                    *n = new.clone();
                }
            });
        }
        for (selector, new) in &self.fields {
            match selector.split_once('.') {
                Some((ty, field)) if rename_field(api, ty, field, new)? => {}
                Some(_) => {
                    unused.push(format!("the rename of `{selector}` names no field of a generated struct"))
                }
                None => unused.push(format!("the rename of `{selector}` needs `Type.field`")),
            }
        }
        Ok(unused)
    }
}

/// Renames the field of struct `ty` named `field` (Rust or wire name) to `new`, and the body
/// setters that set it; whether there was such a field.
fn rename_field(api: &mut crate::ir::Api, ty: &str, field: &str, new: &str) -> Result<bool, String> {
    use crate::ir::TypeKind;
    let Some(t) = api.types.iter_mut().find(|t| t.name == ty) else { return Ok(false) };
    let TypeKind::Struct(s) = &mut t.kind else { return Ok(false) };
    let Some(i) = s.fields.iter().position(|f| f.name == field || f.wire_name == field) else {
        return Ok(false);
    };
    let old = s.fields[i].name.clone();
    let refused = |why: &str| Err(format!("cannot rename `{ty}.{old}` to `{new}`: {why}"));
    if s.fields.iter().any(|f| f.name == new) || (new == "additional_properties" && s.additional.is_some()) {
        return refused("the struct has a field of that name");
    }
    s.fields[i].name = new.to_string();
    for op in &mut api.operations {
        // A page type's fields, as the pagination reads them.
        if let Some(p) = op.pagination.as_mut().filter(|p| p.page == ty) {
            for name in [&mut p.items_field, &mut p.token_field].into_iter().chain(p.total_field.as_mut()) {
                if *name == old {
                    *name = new.to_string();
                }
            }
        }
        let Some(body) = op.body.as_mut().filter(|b| b.ty.direct_named() == Some(ty)) else { continue };
        let params: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        let methods: Vec<String> = body.fields.iter().map(|f| f.method.clone()).collect();
        for bf in body.fields.iter_mut().filter(|f| f.field == old) {
            bf.field = new.to_string();
            if bf.method == old {
                if params.contains(&new) || methods.iter().any(|m| m == new) || body.setter == new {
                    return refused(&format!("the builder of `{}` has a method of that name", op.id));
                }
                bf.method = new.to_string();
            }
        }
    }
    Ok(true)
}

/// Derives that read `#[serde]` attributes and declare `serde` their helper attribute, so a type
/// deriving one may carry them: schemars' `JsonSchema`. (`utoipa`'s `ToSchema` reads them but
/// doesn't declare the helper, so on it they would not compile.)
const SERDE_READERS: &[&str] = &["JsonSchema"];

/// Whether an attribute derives a serde reader, and under which `cfg`: `Some(None)` always,
/// `Some(Some(predicate))` inside `#[cfg_attr(predicate, ..)]`.
fn serde_reader(attribute: &str) -> Option<Option<String>> {
    let attrs = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute).ok()?;
    attrs.iter().filter_map(|a| reader_in(&a.meta)).reduce(either)
}

fn reader_in(meta: &syn::Meta) -> Option<Option<String>> {
    use syn::punctuated::Punctuated;
    let syn::Meta::List(list) = meta else { return None };
    if list.path.is_ident("derive") {
        let paths = list.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok()?;
        let reads =
            |p: &syn::Path| p.segments.last().is_some_and(|s| SERDE_READERS.iter().any(|r| s.ident == r));
        return paths.iter().any(reads).then_some(None);
    }
    if list.path.is_ident("cfg_attr") {
        let metas = list.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated).ok()?;
        let mut metas = metas.iter();
        let predicate = metas.next()?;
        let predicate = quote::quote!(#predicate).to_string();
        return Some(Some(match metas.filter_map(reader_in).reduce(either)? {
            None => predicate,
            Some(inner) => format!("all({predicate}, {inner})"),
        }));
    }
    None
}

/// Derived under either `cfg`.
fn either(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("any({a}, {b})")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::serde_reader;

    #[test]
    fn finds_a_serde_reading_derive_and_its_cfg() {
        assert_eq!(serde_reader("#[derive(Hash, schemars::JsonSchema)]"), Some(None));
        assert_eq!(serde_reader("#[derive(Hash)]"), None);
        assert_eq!(
            serde_reader("#[cfg_attr(feature = \"schemars\", derive(schemars::JsonSchema))]"),
            Some(Some("feature = \"schemars\"".into()))
        );
        assert_eq!(
            serde_reader("#[cfg_attr(test, cfg_attr(unix, derive(JsonSchema)))]"),
            Some(Some("all(test, unix)".into()))
        );
        assert_eq!(serde_reader("#[cfg_attr(test, derive(Hash))]"), None);
        assert_eq!(serde_reader("#[derive(JsonSchema)] #[cfg_attr(test, derive(JsonSchema))]"), Some(None));
    }
}
