//! `allOf`: one struct merged from its members; a base schema with a `discriminator` becomes a
//! tagged enum of the schemas that extend it; an `allOf` with a `oneOf`/`anyOf` member is the
//! union with the rest merged into each member.

use super::object::{collect_parts, merged_kind, ObjectParts};
use super::refs::Schemas;
use super::union::{distinguishing_tag, fixed_properties, rank, union_members};
use super::*;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::lower::Lowerer;
use crate::pointer::child;
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// The component schemas that extend `base` through `allOf` (directly or through one another),
/// in document order.
pub(super) fn subtypes_of(schemas: &IndexMap<String, ReferenceOr<Schema>>, base: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut parents = vec![base.to_string()];
    while let Some(parent) = parents.pop() {
        for (key, schema) in schemas {
            if key == base || found.contains(key) {
                continue;
            }
            let ReferenceOr::Item(schema) = schema else { continue };
            let all_of = super::view::view(schema).all_of;
            let extends = all_of.iter().any(|m| match m {
                ReferenceOr::Reference { reference } => {
                    crate::lower::schema_key(reference).as_deref() == Some(parent.as_str())
                }
                ReferenceOr::Item(_) => false,
            });
            if extends {
                found.push(key.clone());
                parents.push(key.clone());
            }
        }
    }
    found.sort_by_key(|k| schemas.get_index_of(k));
    found
}

/// Adds the parts of `allOf` members (index, schema) to `parts`; `Err` with the pointer of the
/// first member that is not an object.
pub(super) fn merge_members<'s>(
    schemas: Schemas<'s>,
    members: &[(usize, &'s ReferenceOr<Schema>)],
    pointer: &str,
    parts: &mut ObjectParts<'s>,
) -> Result<(), String> {
    for (i, m) in members {
        let p = child(&child(pointer, "allOf"), &i.to_string());
        if !collect_parts(schemas, m, &p, parts, 0) {
            return Err(p);
        }
    }
    Ok(())
}

impl Lowerer<'_> {
    /// A base schema with a `discriminator` that other schemas extend with `allOf: [$ref base,
    /// ...]`: where the base is used, any of them may come, so it becomes a tagged enum of them
    /// and each keeps its own fields. Values come from `mapping`, else from the subtype's fixed tag
    /// value or its schema name. A value mapped to the base itself decodes as the base's own
    /// fields (`{Name}Base`). `None` when nothing extends the base.
    pub(super) fn inheritance(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let v = super::view::view(schema);
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            return None;
        }
        let schemas = &self.spec.components.as_ref()?.schemas;
        let base = self.components.iter().find(|(_, n)| n.as_str() == name)?.0.clone();
        let mut values: Vec<(String, String)> = Vec::new(); // (tag value, schema key)
        for (value, target) in &d.mapping {
            let key = crate::lower::schema_key(target).unwrap_or_else(|| target.clone());
            if schemas.contains_key(&key) && !values.iter().any(|(v, _)| v == value) {
                values.push((value.clone(), key));
            }
        }
        for key in subtypes_of(schemas, &base) {
            if !values.iter().any(|(_, k)| *k == key) {
                let value = self.implicit_tag(&key, &d.property_name, &values);
                if !values.iter().any(|(v, _)| *v == value) {
                    values.push((value, key));
                }
            }
        }
        if values.iter().all(|(_, k)| *k == base) {
            return None;
        }
        let own = if values.iter().any(|(_, k)| *k == base) {
            let own_name = self.type_names.claim(&format!("{name}Base"));
            let ty = match self.lower_schema(schema, pointer, &own_name) {
                Lowered::Def { kind, .. } => {
                    self.define(own_name.clone(), schema_doc(schema), pointer.to_string(), kind);
                    TypeRef::Named(own_name)
                }
                Lowered::Ref(ty) => ty,
            };
            Some((base.as_str(), ty))
        } else {
            None
        };
        let variants = self.tagged_variants(values, &d.property_name, &child(pointer, "discriminator"), own);
        Some(TypeKind::Tagged { tag: d.property_name.clone(), variants, absent: None })
    }

    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<&openapiv3::AnySchema>,
        pointer: &str,
        name: &str,
    ) -> Lowered {
        // Members that only annotate (a description, `nullable`, an example) don't shape the
        // type; a nullable one makes it admit null.
        let nullable = members.iter().any(|m| annotation(m).is_some_and(|s| s.schema_data.nullable));
        let shaping: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| annotation(m).is_none()).collect();
        // Own properties, or own `additionalProperties` that keep undeclared ones (plaid's
        // `allOf: [$ref], additionalProperties: true`), shape an object of their own. (`false`
        // beside `allOf` alone would refuse every property: documents mean a closed object.)
        let own_additional = own.is_some_and(|a| {
            matches!(
                a.additional_properties,
                Some(openapiv3::AdditionalProperties::Any(true) | openapiv3::AdditionalProperties::Schema(_))
            )
        });
        // Beside a scalar (an enum), `additionalProperties` applies to no value.
        let objects = |m: &ReferenceOr<Schema>| {
            self.schemas().schema(m).is_some_and(|s| {
                let v = super::view::view(s);
                v.has_properties
                    || v.has_additional
                    || matches!(s.schema_kind, SchemaKind::Type(Type::Object(_)))
            })
        };
        let own_props = own.is_some_and(|a| !a.properties.is_empty())
            || (own_additional && !shaping.is_empty() && shaping.iter().all(|(_, m)| objects(m)));
        // `allOf: [{$ref}, {description}]` describes (or makes nullable) one schema: it is that
        // type, whether an object, an enum or a string.
        if shaping.len() <= 1 && !own_props {
            let ty = match shaping.first() {
                Some((i, m)) => self.schema_type(m, &child(&child(pointer, "allOf"), &i.to_string()), name),
                None => TypeRef::Json,
            };
            return Lowered::Ref(if nullable { ty.option() } else { ty });
        }
        // `allOf: [{type: string}, {type: string, minLength: 1}]`: constraints on one scalar
        // type, which is the type of the whole when every member gives the same one.
        // The JSON type of a scalar member (an inline string enum is a constraint the merge can't
        // express, so it isn't one).
        let scalar = |m: &ReferenceOr<Schema>| {
            self.schemas().schema(m).and_then(|s| match &s.schema_kind {
                SchemaKind::Type(Type::String(t)) if t.enumeration.is_empty() || m.as_item().is_none() => {
                    Some("string")
                }
                SchemaKind::Type(Type::Number(_)) => Some("number"),
                SchemaKind::Type(Type::Integer(_)) => Some("integer"),
                SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
                _ => None,
            })
        };
        let kinds: Option<Vec<&str>> = shaping.iter().map(|(_, m)| scalar(m)).collect();
        if !own_props && kinds.is_some_and(|k| k.windows(2).all(|w| w[0] == w[1])) {
            let types: Vec<(TypeRef, bool)> = shaping
                .iter()
                .map(|(i, m)| {
                    let ty = self.schema_type(m, &child(&child(pointer, "allOf"), &i.to_string()), name);
                    (ty.unwrap_option().clone(), m.as_item().is_none())
                })
                .collect();
            // Every member the same type; or one named schema (`$ref: UserId`, an enum) that
            // inline members of its JSON type only describe or constrain (plaid's
            // `allOf: [$ref: Scope, {type: string, description}]`): the named type.
            let mut refs: Vec<&TypeRef> = types.iter().filter(|(_, r)| *r).map(|(t, _)| t).collect();
            refs.dedup();
            let ty = if types.windows(2).all(|w| w[0].0 == w[1].0) {
                types.first().map(|(t, _)| t.clone())
            } else if refs.len() == 1 {
                Some(refs[0].clone())
            } else {
                None
            };
            if let Some(ty) = ty {
                return Lowered::Ref(if nullable { ty.option() } else { ty });
            }
        }
        if let Some(lowered) = self.distributed_union(&shaping, own, pointer, name) {
            return match lowered {
                Lowered::Def { kind, admits_null: n } => Lowered::Def { kind, admits_null: n || nullable },
                other => other,
            };
        }
        let mut parts = ObjectParts::default();
        if let Some(a) = own {
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
        }
        if let Err(p) = merge_members(self.schemas(), &shaping, pointer, &mut parts) {
            self.diags.warning(
                &p,
                "an allOf member that is not an object (or an object reference) cannot be merged; using any JSON value",
            );
            return Lowered::Ref(TypeRef::Json);
        }
        match self.object(parts, name) {
            Lowered::Def { kind, admits_null: n } => {
                Lowered::Def { kind: merged_kind(kind), admits_null: n || nullable }
            }
            Lowered::Ref(ty) if nullable => Lowered::Ref(ty.option()),
            other => other,
        }
    }

    /// `allOf: [anyOf: [A, B], {properties}]` (OpenAI's stream events, each with a `stream_id`):
    /// every member of the union merged with the other members, as a union of the merged
    /// objects, so a value keeps both its own fields and the shared ones. `None` unless exactly
    /// one member is a union and every object involved can be merged.
    pub(super) fn distributed_union(
        &mut self,
        shaping: &[(usize, &ReferenceOr<Schema>)],
        own: Option<&openapiv3::AnySchema>,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let schemas = self.schemas();
        let unions: Vec<_> =
            shaping.iter().filter_map(|(i, m)| Some((*i, union_members(schemas, m)?))).collect();
        let [(at, (keyword, members))] = unions[..] else { return None };
        let union_pointer = child(&child(&child(pointer, "allOf"), &at.to_string()), keyword);
        let others: Vec<_> = shaping.iter().filter(|(i, _)| *i != at).copied().collect();
        self.merged_union(members, &union_pointer, &others, own, pointer, name)
    }

    /// A union's members (at `union_pointer`) each merged with `others` (allOf members) and
    /// `own` properties (beside the union or the `allOf`): a union of the merged objects.
    /// `None` when a member admits anything or an object can't be merged.
    pub(super) fn merged_union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        union_pointer: &str,
        others: &[(usize, &ReferenceOr<Schema>)],
        own: Option<&openapiv3::AnySchema>,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let schemas = self.schemas();
        if members.iter().any(admits_anything) {
            return None;
        }
        // Each merged object: the union member's parts, then the other members', then own.
        let mut merged = Vec::new();
        for (j, m) in members.iter().enumerate().filter(|(_, m)| !is_null_schema(m)) {
            let mut parts = ObjectParts::default();
            if !collect_parts(schemas, m, &child(union_pointer, &j.to_string()), &mut parts, 0) {
                return None;
            }
            merge_members(schemas, others, pointer, &mut parts).ok()?;
            if let Some(a) = own {
                parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
            }
            merged.push((j, m, parts));
        }
        if merged.is_empty() {
            return None;
        }
        let nullable = members.iter().any(is_null_schema);
        // Members that each fix a property to a value of their own are told apart by it (as
        // `fixed_tag_union` does for a plain union); else they are tried in turn.
        let fixed: Option<Vec<IndexMap<String, String>>> =
            merged.iter().map(|(_, m, _)| fixed_properties(schemas, m)).collect();
        let tag = fixed
            .as_ref()
            .filter(|f| f.len() >= 2)
            .and_then(|f| distinguishing_tag(&f.iter().collect::<Vec<_>>(), None));
        let mut types = Vec::new(); // (variant, type, required properties, tag value)
        let mut scope = NameScope::new();
        scope.reserve(["Unknown"]);
        for (k, (j, m, parts)) in merged.into_iter().enumerate() {
            let member = match m {
                ReferenceOr::Reference { reference } => {
                    reference.rsplit('/').next().map(ident::camel).unwrap_or_else(|| format!("Variant{j}"))
                }
                ReferenceOr::Item(_) => format!("Variant{j}"),
            };
            let required = parts.required.len();
            let type_name = self.type_names.claim(&ident::camel(&format!("{name}{member}")));
            let ty = match self.object(parts, &type_name) {
                Lowered::Def { kind, .. } => {
                    self.define(
                        type_name.clone(),
                        None,
                        child(union_pointer, &j.to_string()),
                        merged_kind(kind),
                    );
                    TypeRef::Named(type_name)
                }
                Lowered::Ref(ty) => ty,
            };
            let value = match (&tag, &fixed, &ty) {
                (Some(tag), Some(fixed), TypeRef::Named(n)) => {
                    let value = fixed[k][tag].clone();
                    self.tag_fields.push((n.clone(), tag.clone(), value.clone()));
                    Some(value)
                }
                _ => None,
            };
            // An inline member of a tagged union is named by its tag (`Square`), not its place.
            let member = match (&value, m) {
                (Some(v), ReferenceOr::Item(_)) if tag.is_some() => ident::camel(v),
                _ => member,
            };
            types.push((scope.claim(&member), ty, required, value));
        }
        if let Some(tag) = tag.filter(|_| types.iter().all(|t| t.3.is_some())) {
            let variants = types
                .into_iter()
                .filter_map(|(name, ty, _, value)| Some(TaggedVariant { name, value: value?, ty }))
                .collect();
            return Some(Lowered::Def {
                kind: TypeKind::Tagged { tag, variants, absent: None },
                admits_null: nullable,
            });
        }
        // Tried in order, as in any union: the objects that require more first.
        types.sort_by_key(|(_, ty, required, _)| (rank(ty), std::cmp::Reverse(*required)));
        let variants = types.into_iter().map(|(name, ty, _, _)| Variant { name, ty }).collect();
        Some(Lowered::Def { kind: TypeKind::Untagged(variants), admits_null: nullable })
    }
}
