//! Objects: structs from `properties`, `required` and `additionalProperties`, gathered from a
//! schema and its `allOf` members; an `anyOf` of objects is one struct with every member's
//! properties, since a value may satisfy several members.

use super::*;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::lower::Lowerer;
use crate::pointer::child;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// The object-shaped parts of a schema, gathered from `properties`, `allOf` members and the like.
#[derive(Default)]
pub(super) struct ObjectParts<'s> {
    pub(super) properties: IndexMap<String, (&'s ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<(&'s AdditionalProperties, String)>,
}

/// `{}`: any JSON value, for a merged property whose members disagree.
pub(super) static ANY_SCHEMA: std::sync::LazyLock<ReferenceOr<Box<Schema>>> =
    std::sync::LazyLock::new(|| {
        ReferenceOr::Item(Box::new(Schema {
            schema_data: Default::default(),
            schema_kind: SchemaKind::Any(Default::default()),
        }))
    });

/// Whether two property schemas say the same (compared as written).
pub(super) fn same_schema(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    std::ptr::eq(a, b) || serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// Gathers an allOf member's object parts, following references; false if it isn't object-shaped.
pub(super) fn collect_parts<'s>(
    spec: &'s openapiv3::OpenAPI,
    targets: &'s crate::load::Targets,
    member: &'s ReferenceOr<Schema>,
    pointer: &str,
    parts: &mut ObjectParts<'s>,
    depth: usize,
) -> bool {
    if depth > MAX_ALLOF_DEPTH {
        return false;
    }
    let (schema, pointer) = match member {
        ReferenceOr::Item(s) => (s, pointer.to_string()),
        ReferenceOr::Reference { reference } => {
            let Some(key) = crate::lower::schema_key(reference) else {
                // A reference into another schema (or anywhere else in the document).
                return match targets.parts.schemas.get(reference) {
                    Some(target) => collect_parts(
                        spec,
                        targets,
                        target,
                        &crate::pointer::ref_pointer(reference),
                        parts,
                        depth + 1,
                    ),
                    None => false,
                };
            };
            match spec.components.as_ref().and_then(|c| c.schemas.get(&key)) {
                Some(target) => {
                    return collect_parts(
                        spec,
                        targets,
                        target,
                        &child("#/components/schemas", &key),
                        parts,
                        depth + 1,
                    )
                }
                None => return false,
            }
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            parts.add_object(&o.properties, &o.required, o.additional_properties.as_ref(), &pointer);
            true
        }
        SchemaKind::AllOf { all_of } => all_of.iter().enumerate().all(|(i, m)| {
            collect_parts(
                spec,
                targets,
                m,
                &child(&child(&pointer, "allOf"), &i.to_string()),
                parts,
                depth + 1,
            )
        }),
        SchemaKind::Any(a) if a.one_of.is_empty() && a.any_of.is_empty() => {
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), &pointer);
            a.all_of.iter().enumerate().all(|(i, m)| {
                collect_parts(
                    spec,
                    targets,
                    m,
                    &child(&child(&pointer, "allOf"), &i.to_string()),
                    parts,
                    depth + 1,
                )
            })
        }
        _ => false,
    }
}

impl Lowerer<'_> {
    pub(super) fn object(&mut self, parts: ObjectParts<'_>, name: &str) -> Lowered {
        if parts.properties.is_empty() {
            return Lowered::Ref(match parts.additional {
                Some((AdditionalProperties::Schema(s), p)) => {
                    let value =
                        self.schema_type(s, &child(&p, "additionalProperties"), &format!("{name}Value"));
                    if value == TypeRef::Json {
                        TypeRef::JsonObject
                    } else {
                        TypeRef::Map(Box::new(value))
                    }
                }
                Some((AdditionalProperties::Any(false), _))
                | Some((AdditionalProperties::Any(true), _))
                | None => TypeRef::JsonObject,
            });
        }
        let mut scope = NameScope::new();
        scope.reserve(["additional_properties"]);
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (wire, (schema, ptr)) in &parts.properties {
            let (read_only, write_only, absent_is_default) = match schema {
                ReferenceOr::Item(s) => (
                    s.schema_data.read_only,
                    s.schema_data.write_only,
                    s.schema_data.extensions.contains_key(crate::ir::ABSENT_IS_DEFAULT),
                ),
                ReferenceOr::Reference { .. } => (false, false, false),
            };
            // As the schema says; a type used both ways relaxes readOnly and writeOnly ones once
            // every operation is lowered (`super::one_direction_fields`).
            let required = parts.required.iter().any(|r| r == wire);
            let field_ptr = child(&child(ptr, "properties"), wire);
            let hint = format!("{name}{}", ident::camel(wire));
            let ty = self.boxed_schema_type(schema, &field_ptr, &hint);
            let nullable = !required && ty.is_option();
            let ty = if required { ty } else { ty.option() };
            let doc = match schema {
                ReferenceOr::Item(s) => schema_doc(s),
                ReferenceOr::Reference { reference } => self.component_doc(reference),
            };
            fields.push(Field {
                name: scope.claim(&ident::snake(wire)),
                wire_name: wire.clone(),
                ty,
                required,
                nullable,
                read_only,
                write_only,
                absent_is_default: absent_is_default && required,
                sent_required: false,
                doc,
            });
        }
        let deny_unknown = matches!(parts.additional, Some((AdditionalProperties::Any(false), _)));
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.schema_type(s, &child(&p, "additionalProperties"), &format!("{name}Value")))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        Lowered::Def {
            kind: TypeKind::Struct(Struct { fields, additional, deny_unknown }),
            admits_null: false,
        }
    }

    /// An untagged `anyOf` of objects: a value may satisfy several members at once
    /// (`{ref_name: .., repository_name: ..}`), so it is one struct with every member's
    /// properties, required where every member requires them, rather than an enum whose one
    /// variant would drop the other members' properties. A property two members declare
    /// differently is any JSON value. `None` unless every member (null aside) is an object.
    /// Members that only say which of the properties beside the union are required
    /// (`anyOf: [{required: [file_ids]}, {required: [files]}]`) make it the one struct too, for
    /// a `oneOf` (`one_of`) only such members: its properties are the ones beside it.
    pub(super) fn any_of_objects(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        one_of: bool,
        own_pointer: &str,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let (spec, targets) = (self.spec, self.targets);
        let mut merged = ObjectParts::default();
        // Properties beside the `anyOf` hold in every member (GitHub's check-run update).
        let own_required = match &schema.schema_kind {
            SchemaKind::Any(a) => {
                merged.add_object(&a.properties, &[], a.additional_properties.as_ref(), own_pointer);
                a.required.clone()
            }
            _ => Vec::new(),
        };
        let mut required: Option<Vec<String>> = None;
        let mut count = 0;
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                continue;
            }
            // A member that is the schema this union sits in (a tree of filters) would be
            // merged into itself: such a union stays an enum.
            if let ReferenceOr::Reference { reference } = m {
                if pointer.starts_with(&format!("{}/", crate::pointer::ref_pointer(reference))) {
                    return None;
                }
            }
            let mut parts = ObjectParts::default();
            if !collect_parts(spec, targets, m, &child(pointer, &i.to_string()), &mut parts, 0)
                || (parts.properties.is_empty() && merged.properties.is_empty())
                || (one_of && !parts.properties.is_empty())
            {
                return None;
            }
            count += 1;
            for (k, (schema, p)) in parts.properties {
                match merged.properties.get(&k) {
                    Some((other, _)) if !same_schema(other, schema) => {
                        merged.properties.insert(k, (&ANY_SCHEMA, p));
                    }
                    Some(_) => {}
                    None => {
                        merged.properties.insert(k, (schema, p));
                    }
                }
            }
            required = Some(match required {
                None => parts.required,
                Some(r) => r.into_iter().filter(|k| parts.required.contains(k)).collect(),
            });
        }
        if count < 2 {
            return None;
        }
        merged.required = required.unwrap_or_default();
        merged.required.extend(own_required.into_iter().filter(|k| merged.properties.contains_key(k)));
        let nullable = members.iter().any(is_null_schema);
        match self.object(merged, name) {
            Lowered::Def { kind, .. } => Some(Lowered::Def { kind, admits_null: nullable }),
            Lowered::Ref(_) => None,
        }
    }
}

impl<'s> ObjectParts<'s> {
    pub(super) fn add_object(
        &mut self,
        properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'s AdditionalProperties>,
        pointer: &str,
    ) {
        for (k, v) in properties {
            self.properties.entry(k.clone()).or_insert((v, pointer.to_string()));
        }
        for r in required {
            if !self.required.contains(r) {
                self.required.push(r.clone());
            }
        }
        if let Some(a) = additional {
            self.additional.get_or_insert((a, pointer.to_string()));
        }
    }
}
