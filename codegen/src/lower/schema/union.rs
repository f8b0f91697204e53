//! `oneOf`/`anyOf`: a tagged enum when a property tells the members apart (a `discriminator`,
//! or a required property whose value each member fixes), else an untagged one whose string
//! members merge into one enum and whose variants are tried narrowest first.

use super::enums::{merged_enum, string_member, StringMember};
use super::object::{collect_parts, ObjectParts};
use super::refs::Schemas;
use super::*;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::lower::Lowerer;
use crate::pointer::child;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

/// The one value a property's schema allows: a one-value string enum, not nullable, possibly
/// behind a reference or a one-member `allOf`.
pub(super) fn fixed_value<T: std::borrow::Borrow<Schema>>(
    schemas: Schemas<'_>,
    prop: &ReferenceOr<T>,
    depth: usize,
) -> Option<String> {
    let v = super::view::view(schemas.schema(prop)?);
    if v.nullable || depth > MAX_ALLOF_DEPTH {
        return None;
    }
    // Behind a one-member `allOf` (a reference with siblings).
    if let ([member], true) = (v.all_of, v.enumeration.is_empty()) {
        return fixed_value(schemas, member, depth + 1);
    }
    match (v.typ, &*v.enumeration) {
        (None | Some("string"), [serde_json::Value::String(value)]) => Some(value.clone()),
        _ => None,
    }
}

/// The required properties of an object-shaped member whose value is fixed, in declaration
/// order; `None` when the member isn't object-shaped.
pub(super) fn fixed_properties(
    schemas: Schemas<'_>,
    member: &ReferenceOr<Schema>,
) -> Option<IndexMap<String, String>> {
    let mut parts = ObjectParts::default();
    if !collect_parts(schemas, member, "", &mut parts, 0) {
        return None;
    }
    let fixed = parts
        .properties
        .iter()
        .filter(|(k, _)| parts.required.contains(*k))
        .filter_map(|(k, (s, _))| Some((k.clone(), fixed_value(schemas, *s, 0)?)))
        .collect();
    Some(fixed)
}

/// The value a member fixes its required property `tag` to, if it does.
pub(super) fn member_fixed(schemas: Schemas<'_>, member: &ReferenceOr<Schema>, tag: &str) -> Option<String> {
    fixed_properties(schemas, member)?.shift_remove(tag)
}

/// The property (`tag`, when the discriminator names one) whose fixed value differs in every
/// member, given each member's fixed properties.
pub(super) fn distinguishing_tag(fixed: &[&IndexMap<String, String>], tag: Option<&str>) -> Option<String> {
    let candidates: Vec<String> = match tag {
        Some(t) => vec![t.to_string()],
        None => fixed.first()?.keys().cloned().collect(),
    };
    candidates.into_iter().find(|t| {
        let mut values: Vec<&String> = Vec::with_capacity(fixed.len());
        fixed.iter().all(|f| match f.get(t) {
            Some(v) if !values.contains(&v) => {
                values.push(v);
                true
            }
            _ => false,
        })
    })
}

/// The members of a union schema (`oneOf` or `anyOf`, and which), through references.
pub(super) fn union_members<'s>(
    schemas: Schemas<'s>,
    m: &'s ReferenceOr<Schema>,
) -> Option<(&'static str, &'s [ReferenceOr<Schema>])> {
    let v = super::view::view(schemas.schema(m)?);
    if v.has_properties || !v.all_of.is_empty() {
        return None;
    }
    match (v.one_of.is_empty(), v.any_of.is_empty()) {
        (false, true) => Some(("oneOf", v.one_of)),
        (true, false) => Some(("anyOf", v.any_of)),
        _ => None,
    }
}

pub(super) fn rank(t: &TypeRef) -> u8 {
    match t {
        // Only null is a unit.
        TypeRef::Unit | TypeRef::Bool => 0,
        TypeRef::Integer(_) => 1,
        TypeRef::Float(_) => 2,
        TypeRef::DateTime | TypeRef::Date => 3,
        TypeRef::String | TypeRef::Binary | TypeRef::Base64 => 4,
        TypeRef::Json => 9,
        _ => 5,
    }
}

pub(super) fn variant_name(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Float(_) => "Number".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Unit => "Null".into(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
        TypeRef::Binary | TypeRef::Base64 => "Binary".into(),
        TypeRef::Named(n) => n.clone(),
        // The path's last segment, generics dropped: `uuid::Uuid` → `Uuid`.
        TypeRef::External(path) => {
            let last = path.split("::").last().unwrap_or(path);
            crate::ident::camel(last.split('<').next().unwrap_or(last))
        }
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Option(inner) | TypeRef::Box(inner) => variant_name(inner),
    }
}

impl Lowerer<'_> {
    /// `oneOf`/`anyOf` (`keyword`): tagged by its `discriminator`, else by a property that every
    /// member fixes to a value of its own, else untagged.
    pub(super) fn one_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        keyword: &str,
        name: &str,
    ) -> Lowered {
        let discriminator = schema.schema_data.discriminator.as_ref();
        if let Some(l) = discriminator.and_then(|d| self.tagged(d, members, pointer)) {
            return l;
        }
        let members_ptr = child(pointer, keyword);
        let tag = discriminator.map(|d| d.property_name.as_str());
        if let Some(l) = self.fixed_tag_union(members, tag, &members_ptr, name) {
            return l;
        }
        if let Some(l) = self.any_of_objects(schema, members, keyword == "oneOf", pointer, &members_ptr, name)
        {
            return l;
        }
        self.union(members, &members_ptr, name)
    }

    /// `oneOf` over references with a `discriminator`: a tagged enum, its values from `mapping`
    /// or, where a member has none, the value the member fixes its tag property to (else the
    /// schema's name). `None` when the shape doesn't fit.
    pub(super) fn tagged(
        &mut self,
        d: &openapiv3::Discriminator,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<Lowered> {
        let keys: Vec<String> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => crate::lower::schema_key(reference),
                ReferenceOr::Item(_) => None,
            })
            .collect::<Option<_>>()?;
        let mut values: Vec<(String, String)> = Vec::new(); // (tag value, schema key)
        for (value, target) in &d.mapping {
            let key = crate::lower::schema_key(target).unwrap_or_else(|| target.clone());
            if keys.contains(&key) {
                values.push((value.clone(), key));
            }
        }
        for key in &keys {
            if !values.iter().any(|(_, k)| k == key) {
                let value = self.implicit_tag(key, &d.property_name, &values);
                values.push((value, key.clone()));
            }
        }
        let variants = self.tagged_variants(values, &d.property_name, &child(pointer, "discriminator"), None);
        Some(Lowered::Def {
            kind: TypeKind::Tagged { tag: d.property_name.clone(), variants, absent: None },
            admits_null: false,
        })
    }

    /// The tag value of a member that `mapping` doesn't name: the value it fixes its required tag
    /// property to (a one-value enum) or, as the specification says, its schema name.
    pub(super) fn implicit_tag(&self, key: &str, tag: &str, taken: &[(String, String)]) -> String {
        let member = ReferenceOr::Reference { reference: child("#/components/schemas", key) };
        member_fixed(self.schemas(), &member, tag)
            .filter(|v| !taken.iter().any(|(t, _)| t == v))
            .unwrap_or_else(|| key.to_string())
    }

    /// The variants for `(tag value, schema key)` pairs; `base` is the type for the key that names
    /// the base schema itself (in a discriminated hierarchy). A member whose tag property holds
    /// exactly its value gets that property closed (see `close_tags`).
    pub(super) fn tagged_variants(
        &mut self,
        values: Vec<(String, String)>,
        tag: &str,
        pointer: &str,
        base: Option<(&str, TypeRef)>,
    ) -> Vec<TaggedVariant> {
        let mut scope = NameScope::new();
        scope.reserve(["Unknown"]);
        let mut variants = Vec::with_capacity(values.len());
        for (value, key) in &values {
            let ty = match &base {
                Some((b, ty)) if *b == key.as_str() => ty.clone(),
                _ => match self.resolve_schema_ref(&child("#/components/schemas", key), pointer) {
                    TypeRef::Option(inner) => *inner,
                    t => t,
                },
            };
            let shared = values.iter().filter(|(_, k)| k == key).count() > 1;
            let member = ReferenceOr::Reference { reference: child("#/components/schemas", key) };
            if let TypeRef::Named(n) = &ty {
                if !shared && member_fixed(self.schemas(), &member, tag).as_ref() == Some(value) {
                    self.tag_fields.push((n.clone(), tag.to_string(), value.clone()));
                }
            }
            let base = match &ty {
                TypeRef::Named(n) if !shared => n.clone(),
                _ => ident::camel(value),
            };
            variants.push(TaggedVariant { name: scope.claim(&base), value: value.clone(), ty });
        }
        variants
    }

    /// A union whose object members each fix one required property to a value of their own (a
    /// one-value enum, as Dropshot writes Rust enums): a tagged enum on that property, so an
    /// object decodes as the member its tag names. `tag` is the discriminator's property, when
    /// there is one. `None` when no property tells every member apart.
    pub(super) fn fixed_tag_union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        tag: Option<&str>,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let schemas = self.schemas();
        let mut nullable = false;
        let mut shaped = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                nullable = true;
                continue;
            }
            shaped.push((i, m, fixed_properties(schemas, m)?));
        }
        if shaped.len() < 2 {
            return None;
        }
        let tag = distinguishing_tag(&shaped.iter().map(|(_, _, f)| f).collect::<Vec<_>>(), tag)?;
        let mut scope = NameScope::new();
        scope.reserve(["Unknown"]);
        let mut variants = Vec::with_capacity(shaped.len());
        for (i, m, fixed) in shaped {
            let value = fixed[&tag].clone();
            let hint = format!("{name}{}", ident::camel(&value));
            let ty = match self.schema_type(m, &child(pointer, &i.to_string()), &hint) {
                TypeRef::Option(inner) => {
                    nullable = true;
                    *inner
                }
                t => t,
            };
            // A referenced member keeps its type's name, as with a discriminator; an inline one
            // is named after its tag.
            let base = match (m, &ty) {
                (ReferenceOr::Reference { .. }, TypeRef::Named(n)) => n.clone(),
                _ => ident::camel(&value),
            };
            if let TypeRef::Named(n) = &ty {
                self.tag_fields.push((n.clone(), tag.clone(), value.clone()));
            }
            variants.push(TaggedVariant { name: scope.claim(&base), value, ty });
        }
        Some(Lowered::Def { kind: TypeKind::Tagged { tag, variants, absent: None }, admits_null: nullable })
    }

    /// Closes the one-value tag types of tagged unions' members, once every type is defined: a
    /// member's tag field then accepts its own value only, and `new` fills it in. A tag type that
    /// is a component of its own is left open (other schemas may use it).
    pub(in crate::lower) fn close_tags(&mut self) {
        for (owner, tag, value) in std::mem::take(&mut self.tag_fields) {
            let Some(TypeKind::Struct(s)) = self.types.get(&owner).map(|t| &t.kind) else { continue };
            let required = |f: &&Field| f.wire_name == tag && f.presence == Presence::Required;
            let Some(TypeRef::Named(e)) = s.fields.iter().find(required).map(|f| &f.value) else {
                continue;
            };
            if self.components.values().any(|c| c == e) {
                continue;
            }
            let e = e.clone();
            if let Some(TypeDef { kind: TypeKind::Enum(en), .. }) = self.types.get_mut(&e) {
                if en.variants.len() == 1 && en.variants[0].value == value {
                    en.closed = true;
                    en.default = Some(value);
                }
            }
        }
    }

    /// Gives each tagged union the member an object without the tag is: the one whose tag
    /// field decodes as its value when absent, where exactly one member has such a tag.
    pub(in crate::lower) fn absent_tags(&mut self) {
        let mut found = Vec::new();
        for (name, t) in &self.types {
            let TypeKind::Tagged { tag, variants, .. } = &t.kind else { continue };
            let defaulted: Vec<&str> = variants
                .iter()
                .filter(|v| {
                    v.ty.direct_named().and_then(|n| self.types.get(n)).is_some_and(|d| match &d.kind {
                        TypeKind::Struct(s) => {
                            s.fields.iter().any(|f| f.wire_name == *tag && f.absent_is_default)
                        }
                        _ => false,
                    })
                })
                .map(|v| v.value.as_str())
                .collect();
            if let [one] = defaulted[..] {
                found.push((name.clone(), one.to_string()));
            }
        }
        for (name, value) in found {
            if let Some(TypeDef { kind: TypeKind::Tagged { absent, .. }, .. }) = self.types.get_mut(&name) {
                *absent = Some(value);
            }
        }
    }

    /// An untagged union. Its string enums (with any plain string beside them) are merged into
    /// one open enum, since the first would take every string; the other members are tried
    /// narrowest first, objects with more required properties before those with fewer.
    pub(super) fn union(&mut self, members: &[ReferenceOr<Schema>], pointer: &str, name: &str) -> Lowered {
        let schemas = self.schemas();
        let strings: Vec<Option<StringMember>> = members.iter().map(|m| string_member(schemas, m)).collect();
        let enums = strings.iter().filter(|s| matches!(s, Some(StringMember::Enum { .. }))).count();
        let merge = enums >= 2
            || (enums == 1 && strings.iter().any(|s| matches!(s, Some(StringMember::Plain { .. }))));
        let mut types: Vec<(TypeRef, usize)> = Vec::new(); // (type, required properties)
        let mut nullable = false;
        let mut merged = false;
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                nullable = true;
                continue;
            }
            if merge && strings[i].is_some() {
                if !merged {
                    merged = true;
                    let (kind, null) = merged_enum(&strings);
                    nullable |= null;
                    // Only strings: the union is the enum.
                    let only_strings =
                        members.iter().zip(&strings).all(|(m, s)| s.is_some() || is_null_schema(m));
                    if only_strings {
                        return Lowered::Def { kind, admits_null: nullable };
                    }
                    let enum_name = self.type_names.claim(&ident::camel(&format!("{name}Variant{i}")));
                    self.define(enum_name.clone(), None, child(pointer, &i.to_string()), kind);
                    types.push((TypeRef::Named(enum_name), 0));
                }
                continue;
            }
            let ty = self.schema_type(m, &child(pointer, &i.to_string()), &format!("{name}Variant{i}"));
            let mut parts = ObjectParts::default();
            let required =
                if collect_parts(schemas, m, pointer, &mut parts, 0) { parts.required.len() } else { 0 };
            if let TypeRef::Option(inner) = ty {
                nullable = true;
                types.push((*inner, required));
            } else {
                types.push((ty, required));
            }
        }
        types.dedup_by(|a, b| a.0 == b.0);
        let ty = match types.len() {
            0 => return Lowered::Ref(TypeRef::Json),
            1 => types.pop().expect("one member").0,
            _ => {
                // serde tries untagged variants in order: put narrower JSON types first so `5`
                // stays an integer and a date-time string isn't taken as a plain string; and
                // among objects, the ones that require more first, so one that requires a superset
                // of another's properties isn't taken for the other (losing fields).
                types.sort_by_key(|(ty, required)| (rank(ty), std::cmp::Reverse(*required)));
                let mut scope = NameScope::new();
                let variants = types
                    .into_iter()
                    .map(|(ty, _)| Variant { name: scope.claim(&variant_name(&ty)), ty })
                    .collect();
                return Lowered::Def { kind: TypeKind::Untagged(variants), admits_null: nullable };
            }
        };
        Lowered::Ref(if nullable { ty.option() } else { ty })
    }
}
