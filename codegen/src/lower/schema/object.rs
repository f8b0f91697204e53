//! Objects: structs from `properties`, `required` and `additionalProperties`, gathered from a
//! schema and its `allOf` members; an `anyOf` of objects is one struct with every member's
//! properties, since a value may satisfy several members.

use super::refs::Schemas;
use super::*;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::lower::Lowerer;
use crate::pointer::child;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// A property's schema, and the pointer of the object schema (or, in an intersection, of the
/// property) it is declared in.
pub(super) type Declaration<'s> = (&'s ReferenceOr<Box<Schema>>, String);

/// The object-shaped parts of a schema, gathered from `properties`, `allOf` members and the like.
#[derive(Default)]
pub(super) struct ObjectParts<'s> {
    /// Each property's first declaration, and the object schema's pointer it is in.
    pub(super) properties: IndexMap<String, Declaration<'s>>,
    /// Later declarations of a property (another `allOf` member's) that say something else.
    pub(super) restated: IndexMap<String, Vec<Declaration<'s>>>,
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

/// A type merged from `allOf` members: `additionalProperties: false` in one member can't hold
/// for the merge.
pub(super) fn merged_kind(kind: TypeKind) -> TypeKind {
    match kind {
        TypeKind::Struct(s) => TypeKind::Struct(Struct { deny_unknown: false, ..s }),
        other => other,
    }
}

/// What a schema constrains, as JSON: annotations (descriptions, examples, `readOnly`,
/// extensions) left out, and an `allOf` whose other members only annotate (a `$ref` with
/// siblings) read as its one constraining member; so two declarations that differ only in what
/// they say about a value compare equal, and one that only annotates is `{}`.
fn constraint<T: serde::Serialize>(schema: &T) -> serde_json::Value {
    fn strip(mut value: serde_json::Value) -> serde_json::Value {
        const ANNOTATIONS: [&str; 9] = [
            "description",
            "title",
            "example",
            "examples",
            "readOnly",
            "writeOnly",
            "deprecated",
            "externalDocs",
            "default",
        ];
        if let serde_json::Value::Object(map) = &mut value {
            let annotation = |k: &str, v: &serde_json::Value| {
                ANNOTATIONS.contains(&k) || k.starts_with("x-") || (k == "nullable" && *v == false)
            };
            map.retain(|k, v| !annotation(k, v));
            if let Some(serde_json::Value::Array(members)) = map.get_mut("allOf") {
                let kept: Vec<_> =
                    members.drain(..).map(strip).filter(|m| *m != serde_json::json!({})).collect();
                *members = kept;
                if map.len() == 1 {
                    let members = map.remove("allOf").unwrap_or_default();
                    return match members {
                        serde_json::Value::Array(mut one) if one.len() == 1 => one.pop().unwrap_or_default(),
                        serde_json::Value::Array(none) if none.is_empty() => serde_json::json!({}),
                        other => serde_json::json!({ "allOf": other }),
                    };
                }
            }
        }
        value
    }
    strip(serde_json::to_value(schema).unwrap_or_default())
}

/// The JSON type a schema constrains its values to, following references (an `allOf`'s when
/// its members agree on one): `None` for unions and schemas that name no one type.
fn json_kind<T: std::borrow::Borrow<Schema>>(
    schemas: Schemas<'_>,
    schema: &ReferenceOr<T>,
) -> Option<&'static str> {
    kind_at(schemas, schema, 0)
}

/// [`json_kind`] `depth` allOfs down (a schema that is an allOf of itself ends it).
fn kind_at<T: std::borrow::Borrow<Schema>>(
    schemas: Schemas<'_>,
    schema: &ReferenceOr<T>,
    depth: usize,
) -> Option<&'static str> {
    if depth > MAX_ALLOF_DEPTH {
        return None;
    }
    let v = super::view::view(schemas.schema(schema)?);
    // A reference with siblings (`{$ref, description}` in 3.1) and other allOf wrappers.
    if v.typ.is_none() && !v.has_properties && !v.all_of.is_empty() {
        return one_kind(schemas, v.all_of, depth + 1);
    }
    if !v.uncomposed() {
        return None;
    }
    let kind = match v.typ {
        Some("string") => "string",
        Some("number") => "number",
        Some("integer") => "integer",
        Some("boolean") => "boolean",
        Some("array") => "array",
        Some("object") => "object",
        Some(_) => return None,
        None if v.has_properties || v.has_additional => "object",
        None if !v.enumeration.is_empty() && v.enumeration.iter().all(|v| v.is_string()) => "string",
        None => return None,
    };
    Some(kind)
}

/// Where an array schema's `items` is: under the array's pointer, or under the component a
/// `$ref` names.
fn items_pointer(schema: &ReferenceOr<Box<Schema>>, pointer: &str) -> String {
    match schema {
        ReferenceOr::Item(_) => child(pointer, "items"),
        ReferenceOr::Reference { reference } => child(&crate::pointer::ref_pointer(reference), "items"),
    }
}

/// The JSON type every member constrains values to, if they agree on one.
fn one_kind(schemas: Schemas<'_>, members: &[ReferenceOr<Schema>], depth: usize) -> Option<&'static str> {
    let mut kinds = members.iter().map(|m| kind_at(schemas, m, depth));
    let first = kinds.next()??;
    kinds.all(|k| k == Some(first)).then_some(first)
}

/// Gathers an allOf member's object parts, following references; false if it isn't object-shaped.
pub(super) fn collect_parts<'s, T: std::borrow::Borrow<Schema>>(
    schemas: Schemas<'s>,
    member: &'s ReferenceOr<T>,
    pointer: &str,
    parts: &mut ObjectParts<'s>,
    depth: usize,
) -> bool {
    if depth > MAX_ALLOF_DEPTH {
        return false;
    }
    let (schema, pointer) = match member {
        ReferenceOr::Item(s) => (s.borrow(), pointer.to_string()),
        // A component, or a schema anywhere else in the document.
        ReferenceOr::Reference { reference } => {
            return match schemas.target(reference) {
                Some((target, at)) => collect_parts(schemas, target, &at, parts, depth + 1),
                None => false,
            };
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            parts.add_object(&o.properties, &o.required, o.additional_properties.as_ref(), &pointer);
            true
        }
        SchemaKind::AllOf { all_of } => all_of.iter().enumerate().all(|(i, m)| {
            collect_parts(schemas, m, &child(&child(&pointer, "allOf"), &i.to_string()), parts, depth + 1)
        }),
        SchemaKind::Any(a) if a.one_of.is_empty() && a.any_of.is_empty() => {
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), &pointer);
            a.all_of.iter().enumerate().all(|(i, m)| {
                collect_parts(schemas, m, &child(&child(&pointer, "allOf"), &i.to_string()), parts, depth + 1)
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
            let restated = parts.restated.get(wire).map(Vec::as_slice).unwrap_or_default();
            let decls = || std::iter::once(*schema).chain(restated.iter().map(|(s, _)| *s));
            let flag = |f: fn(&Schema) -> bool| decls().any(|d| matches!(d, ReferenceOr::Item(s) if f(s)));
            // As the schemas say (any declaration's annotation holds); a type used both ways
            // relaxes readOnly and writeOnly ones once every operation is lowered
            // (`super::one_direction_fields`).
            let read_only = flag(|s| s.schema_data.read_only);
            let write_only = flag(|s| s.schema_data.write_only);
            let absent_is_default =
                flag(|s| s.schema_data.extensions.contains_key(crate::ir::ABSENT_IS_DEFAULT));
            let required = parts.required.iter().any(|r| r == wire);
            let field_ptr = child(&child(ptr, "properties"), wire);
            let hint = format!("{name}{}", ident::camel(wire));
            let ty = if restated.is_empty() {
                self.boxed_schema_type(schema, &field_ptr, &hint)
            } else {
                self.restated_property(wire, (schema, ptr), restated, &hint)
            };
            // A nullable schema's type is an `Option`: presence records it, once.
            let (presence, value) = match (required, ty) {
                (true, TypeRef::Option(v)) => (Presence::RequiredNullable, *v),
                (true, v) => (Presence::Required, v),
                (false, TypeRef::Option(v)) => (Presence::OptionalNullable, *v),
                (false, v) => (Presence::Optional, v),
            };
            let doc = decls().find_map(|d| match d {
                ReferenceOr::Item(s) => schema_doc(s),
                ReferenceOr::Reference { reference } => self.component_doc(reference),
            });
            fields.push(Field {
                name: scope.claim(&ident::snake(wire)),
                wire_name: wire.clone(),
                value,
                presence,
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
            None if self.keep_undeclared => Some(TypeRef::Json),
            _ => None,
        };
        Lowered::Def {
            kind: TypeKind::Struct(Struct { fields, additional, deny_unknown }),
            admits_null: false,
        }
    }

    /// A property that several `allOf` members declare differently: a value satisfies every
    /// declaration, so the field is their intersection as far as one Rust type says it.
    /// Declarations that only annotate constrain nothing; scalars of one JSON type take the
    /// named (`$ref`) one, else the enum, else the first (each accepts every value of the
    /// intersection); objects merge their properties, recursively. Anything else (a string
    /// here and an integer there, two different arrays or unions) is a located warning and any
    /// JSON value, never one declaration silently.
    fn restated_property(
        &mut self,
        wire: &str,
        first: (&ReferenceOr<Box<Schema>>, &str),
        restated: &[Declaration],
        hint: &str,
    ) -> TypeRef {
        let field_ptr = |p: &str| child(&child(p, "properties"), wire);
        let decls: Vec<_> = std::iter::once((first.0, field_ptr(first.1)))
            .chain(restated.iter().map(|(s, p)| (*s, field_ptr(p))))
            .collect();
        self.intersection(&decls, hint, 0)
    }

    /// The type of the values every declaration accepts (see `restated_property`); each comes
    /// with its own pointer.
    fn intersection(&mut self, decls: &[Declaration], hint: &str, depth: usize) -> TypeRef {
        let schemas = self.schemas();
        // Declarations that only annotate constrain nothing; equal constraints are one.
        let mut constraining: Vec<(&Declaration, serde_json::Value)> = Vec::new();
        for d in decls {
            let c = constraint(d.0);
            if c != serde_json::json!({}) && !constraining.iter().any(|(_, seen)| *seen == c) {
                constraining.push((d, c));
            }
        }
        let decls: Vec<_> = match constraining[..] {
            [] => return self.boxed_schema_type(decls[0].0, &decls[0].1, hint),
            [((schema, ref ptr), _)] => return self.boxed_schema_type(schema, ptr, hint),
            _ => constraining.into_iter().map(|(d, _)| d).collect(),
        };
        let kinds: Vec<Option<&str>> = decls.iter().map(|(s, _)| json_kind(schemas, *s)).collect();
        let nullable = decls.iter().all(|(s, _)| schemas.schema(*s).is_some_and(admits_null));
        let or_null = |ty: TypeRef| if nullable { ty.option() } else { ty };
        // Scalars of one JSON type; of integer and number, the intersection is the integer.
        let within = |k: Option<&str>, of: &str| k == Some(of) || (of == "number" && k == Some("integer"));
        let scalar = ["string", "boolean", "integer", "number"]
            .into_iter()
            .find(|of| kinds.iter().all(|k| within(*k, of)));
        if let Some(kind) = scalar {
            let kind = if kinds.contains(&Some("integer")) { "integer" } else { kind };
            let of_kind: Vec<_> =
                decls.iter().zip(&kinds).filter(|(_, k)| **k == Some(kind)).map(|(d, _)| *d).collect();
            let refs: Vec<_> = of_kind.iter().filter(|(s, _)| s.as_item().is_none()).collect();
            let has_enum = |s: &ReferenceOr<Box<Schema>>| {
                schemas.schema(s).map(super::view::view).is_some_and(|v| !v.enumeration.is_empty())
            };
            let (schema, ptr) = match refs[..] {
                [one] => *one,
                _ => of_kind.iter().find(|(s, _)| has_enum(s)).copied().unwrap_or(of_kind[0]),
            };
            return or_null(self.boxed_schema_type(schema, ptr, hint).unwrap_option().clone());
        }
        // Arrays: arrays of the items' intersection.
        let items: Option<Vec<_>> = decls
            .iter()
            .map(|(s, p)| match &schemas.schema(*s)?.schema_kind {
                SchemaKind::Type(Type::Array(a)) => Some((a.items.as_ref()?, items_pointer(s, p))),
                _ => None,
            })
            .collect();
        if let Some(items) = items {
            // An array of itself would be intersected forever.
            if depth == MAX_ALLOF_DEPTH {
                self.diags.warning(&decls[0].1, "arrays nested too deep to merge; using any JSON value");
                return TypeRef::Json;
            }
            let item = self.intersection(&items, &format!("{hint}Item"), depth + 1);
            return or_null(TypeRef::Vec(Box::new(item)));
        }
        if kinds.iter().all(|k| matches!(k, Some("object") | None)) {
            let mut parts = ObjectParts::default();
            if decls.iter().all(|(s, p)| collect_parts(schemas, *s, p, &mut parts, 0)) {
                // A merge that meets itself again (`next: $ref A` restated inside A's allOf)
                // would merge forever.
                let key = decls.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join(" ");
                if !self.lowering.insert(key.clone()) {
                    self.diags.warning(
                        &decls[0].1,
                        "these allOf declarations merge into themselves (a recursive allOf); using any JSON value",
                    );
                    return or_null(TypeRef::Json);
                }
                let lowered = self.object(parts, hint);
                self.lowering.remove(&key);
                let ty = match lowered {
                    Lowered::Def { kind, .. } => {
                        let name = self.type_names.claim(&ident::camel(hint));
                        let doc = decls.iter().find_map(|(s, _)| s.as_item().and_then(|s| schema_doc(s)));
                        self.define(name.clone(), doc, decls[0].1.clone(), merged_kind(kind));
                        TypeRef::Named(name)
                    }
                    Lowered::Ref(ty) => ty.unwrap_option().clone(),
                };
                return or_null(ty);
            }
        }
        let described = |k: Option<&str>| k.map_or("a schema of no one type".to_string(), |k| k.to_string());
        self.diags.warning(
            &decls[1].1,
            format!(
                "allOf members declare this differently ({} here, {} at {}); no one Rust type is both, so it is any JSON value",
                described(kinds[1]),
                described(kinds[0]),
                decls[0].1,
            ),
        );
        TypeRef::Json
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
        let schemas = self.schemas();
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
        if members.iter().any(admits_anything) {
            return None;
        }
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
            if !collect_parts(schemas, m, &child(pointer, &i.to_string()), &mut parts, 0)
                || (parts.properties.is_empty() && merged.properties.is_empty())
                || (one_of && !parts.properties.is_empty())
            {
                return None;
            }
            // A member that is a map (qdrant's named vectors beside one vector's parameters) is a
            // variant of its own: merged, its entries were dropped. (`additionalProperties: true`
            // beside properties, GitHub's check-run members, only says extra ones may come.)
            let map = match parts.additional {
                Some((AdditionalProperties::Schema(_), _)) => true,
                Some((AdditionalProperties::Any(true), _)) => parts.properties.is_empty(),
                _ => false,
            };
            if map {
                return None;
            }
            count += 1;
            for (k, (schema, p)) in parts.properties {
                let restated = parts.restated.shift_remove(&k);
                match merged.properties.get(&k) {
                    Some((other, _))
                        if !same_schema(other, schema) || restated != merged.restated.get(&k).cloned() =>
                    {
                        merged.restated.shift_remove(&k);
                        merged.properties.insert(k, (&ANY_SCHEMA, p));
                    }
                    Some(_) => {}
                    None => {
                        if let Some(r) = restated {
                            merged.restated.insert(k.clone(), r);
                        }
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
            match self.properties.get(k) {
                None => {
                    self.properties.insert(k.clone(), (v, pointer.to_string()));
                }
                Some((first, _)) if same_schema(first, v) => {}
                Some(_) => self.restated.entry(k.clone()).or_default().push((v, pointer.to_string())),
            }
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
