//! Schemas to types. This module dispatches on a schema's shape and holds what every shape
//! shares (references followed to their schema, null, docs); each shape is lowered in its own
//! module: [`object`] (structs, `anyOf` of objects), [`union`] (`oneOf`/`anyOf`, tagged or
//! not), [`all_of`] (merged structs, inheritance, a union distributed over `allOf`), [`enums`]
//! (open string enums) and [`scalar`] (formats and integer widths). Inline schemas get names
//! from where they appear.

mod all_of;
mod enums;
mod object;
pub(crate) mod refs;
mod scalar;
mod union;
mod view;

use object::ObjectParts;
use scalar::format_of;
pub(super) use scalar::int_kind;

use super::Lowerer;
use crate::ident::{self};
use crate::ir::*;
use crate::pointer::child;
use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// What a schema lowers to: a new named type, or a reference to an existing one or a primitive.
pub(super) enum Lowered {
    /// A new type, and whether null is one of its values (a reference to it is an `Option`).
    Def {
        kind: TypeKind,
        admits_null: bool,
    },
    Ref(TypeRef),
}

const MAX_ALLOF_DEPTH: usize = 32;

/// An `allOf` member that only annotates: no type, properties, items, enum or composition of
/// its own (a description, `nullable`, an example, a default).
fn annotation(m: &ReferenceOr<Schema>) -> Option<&Schema> {
    match m {
        ReferenceOr::Item(s @ Schema { schema_kind: SchemaKind::Any(a), .. })
            if matches!(a.typ.as_deref(), None | Some("null"))
                && a.properties.is_empty()
                && a.required.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
                && a.enumeration.is_empty() =>
        {
            Some(s)
        }
        _ => None,
    }
}

/// Whether a schema admits null itself: `nullable`, a null member of a union, null among a
/// string enum's values, or a nullable annotation beside an `allOf`'s members. A schema whose
/// only value is null does not: its type, `()`, holds null already.
pub(super) fn admits_null(s: &Schema) -> bool {
    let members_null = |m: &[ReferenceOr<Schema>]| m.iter().any(is_null_schema);
    let annotated_null =
        |m: &[ReferenceOr<Schema>]| m.iter().any(|m| annotation(m).is_some_and(|a| a.schema_data.nullable));
    let (listed_null, listed_other) = match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            (t.enumeration.iter().any(Option::is_none), t.enumeration.iter().any(Option::is_some))
        }
        SchemaKind::Any(a) => {
            (a.enumeration.iter().any(serde_json::Value::is_null), a.enumeration.iter().any(|v| !v.is_null()))
        }
        _ => (false, false),
    };
    if listed_null && !listed_other {
        return false;
    }
    s.schema_data.nullable
        || listed_null
        || match &s.schema_kind {
            SchemaKind::OneOf { one_of: m } | SchemaKind::AnyOf { any_of: m } => members_null(m),
            SchemaKind::AllOf { all_of } => annotated_null(all_of),
            SchemaKind::Any(a) => {
                members_null(&a.one_of) || members_null(&a.any_of) || annotated_null(&a.all_of)
            }
            _ => false,
        }
}

/// Whether a schema's only value is null: `type: null` (3.1), or `nullable` with `enum: [null]`.
/// `nullable: true` alone is not: with no type it adds null to values that are all allowed
/// already (OpenAPI 3.0.3's clarification), so as a union member it admits anything.
pub(super) fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(a), schema_data }) => {
            (a.typ.as_deref() == Some("null") || (schema_data.nullable && !a.enumeration.is_empty()))
                && a.properties.is_empty()
                && a.items.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.enumeration.iter().all(|v| v.is_null())
        }
        _ => false,
    }
}

/// A union member that admits any value: one that only annotates (`{}`, a description,
/// `nullable: true`) and isn't null alone. A union with one is no union of objects.
pub(super) fn admits_anything(m: &ReferenceOr<Schema>) -> bool {
    annotation(m).is_some() && !is_null_schema(m)
}

/// Title and description, joined as a doc comment.
pub(super) fn schema_doc(s: &Schema) -> Option<String> {
    let d = &s.schema_data;
    let text = match (d.title.as_deref(), d.description.as_deref()) {
        (Some(t), Some(desc)) if !desc.starts_with(t) => Some(format!("{t}\n\n{desc}")),
        (_, Some(desc)) => Some(desc.to_string()),
        (Some(t), None) => Some(t.to_string()),
        (None, None) => None,
    };
    with_example(text, d.example.as_ref())
}

/// Appends the document's example to a doc text: inline when short, else as a JSON block.
pub(super) fn with_example(text: Option<String>, example: Option<&serde_json::Value>) -> Option<String> {
    let Some(example) = example.filter(|e| !e.is_null()) else {
        return text;
    };
    let compact = example.to_string();
    let shown = if compact.len() <= 80 && !compact.contains('`') {
        format!("Example: `{compact}`")
    } else {
        let pretty = serde_json::to_string_pretty(example).unwrap_or(compact);
        format!("Example:\n\n```json\n{pretty}\n```")
    };
    Some(match text {
        Some(t) if !t.trim().is_empty() => format!("{}\n\n{shown}", t.trim_end()),
        _ => shown,
    })
}

impl Lowerer<'_> {
    pub(super) fn define_component(&mut self, name: &str, schema: &Schema, pointer: &str) {
        let doc = schema_doc(schema);
        if let Some(kind) = self.inheritance(name, schema, pointer) {
            self.define(name.to_string(), doc, pointer.to_string(), kind);
            return;
        }
        // Nullability of a component is applied where it is referenced (see `nullable_components`).
        let kind = match self.lower_schema(schema, pointer, name) {
            Lowered::Def { kind, .. } => kind,
            Lowered::Ref(ty) => TypeKind::Alias(match ty {
                TypeRef::Option(inner) => *inner,
                ty => ty,
            }),
        };
        self.define(name.to_string(), doc, pointer.to_string(), kind);
    }

    /// The type of a schema that appears at `pointer`; inline types are named after `hint`.
    /// Nullable schemas come back as `Option`.
    pub fn schema_type(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.inline_type(s, pointer, hint),
        }
    }

    pub fn boxed_schema_type(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(s) => self.inline_type(s, pointer, hint),
        }
    }

    pub(super) fn inline_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        if let Some(ty) = self.overridden_schema(pointer) {
            return if admits_null(schema) { ty.option() } else { ty };
        }
        // A schema a `$ref` points into is one type, however it is reached.
        if self.ref_targets.contains(pointer) {
            if let Some(ty) = self.inline_at.get(pointer) {
                return ty.clone();
            }
        }
        // Merging an `allOf` copies the members' properties; one that contains the merge again
        // would be copied forever.
        if !self.lowering.insert(pointer.to_string()) {
            self.diags.warning(
                pointer,
                "this schema contains itself through the allOf it is merged from; using any JSON value",
            );
            return TypeRef::Json;
        }
        let ty = self.lower_inline(schema, pointer, hint);
        self.lowering.remove(pointer);
        self.inline_at.entry(pointer.to_string()).or_insert_with(|| ty.clone());
        ty
    }

    fn lower_inline(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        let (ty, null_member) = match self.lower_schema(schema, pointer, hint) {
            Lowered::Ref(ty) => (ty, false),
            Lowered::Def { kind, admits_null: nullable } => {
                let name = self.type_names.claim(&ident::camel(hint));
                self.define(name.clone(), schema_doc(schema), pointer.to_string(), kind);
                (TypeRef::Named(name), nullable)
            }
        };
        // The unit type holds null already.
        if (schema.schema_data.nullable || null_member) && ty != TypeRef::Unit {
            ty.option()
        } else {
            ty
        }
    }

    /// Lowers one schema; `name` is the type's name if it becomes one, and the prefix for the
    /// names of inline types inside it.
    pub(super) fn lower_schema(&mut self, schema: &Schema, pointer: &str, name: &str) -> Lowered {
        if let Some(ty) = format_of(schema).and_then(|f| self.overridden_format(f)) {
            return Lowered::Ref(ty);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if !s.enumeration.is_empty() {
                    let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                    let null = s.enumeration.iter().any(Option::is_none);
                    return self.string_enum(&values, null, schema, pointer);
                }
                Lowered::Ref(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    // A file part only as a multipart body's field (see `lower_body`).
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Base64,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(i)) => Lowered::Ref(TypeRef::Integer(int_kind(match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Some("int32"),
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int64) => Some("int64"),
                VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
                VariantOrUnknownOrEmpty::Empty => None,
            }))),
            SchemaKind::Type(Type::Number(n)) => Lowered::Ref(TypeRef::Float(match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => FloatKind::F32,
                _ => FloatKind::F64,
            })),
            SchemaKind::Type(Type::Boolean(_)) => Lowered::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        self.boxed_schema_type(items, &child(pointer, "items"), &format!("{name}Item"))
                    }
                    None => TypeRef::Json,
                };
                Lowered::Ref(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                let mut parts = ObjectParts::default();
                parts.add_object(&o.properties, &o.required, o.additional_properties.as_ref(), pointer);
                self.object(parts, name)
            }
            SchemaKind::OneOf { one_of } => self.one_of(schema, one_of, pointer, "oneOf", name),
            SchemaKind::AnyOf { any_of } => self.one_of(schema, any_of, pointer, "anyOf", name),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, None, pointer, name),
            SchemaKind::Not { .. } => {
                self.diags.warning(
                    pointer,
                    "`not` schemas cannot be expressed in Rust types; using any JSON value",
                );
                Lowered::Ref(TypeRef::Json)
            }
            SchemaKind::Any(a) => self.any_schema(schema, a, pointer, name),
        }
    }

    /// Schemas that mix keywords (say `properties` with `allOf`, or `enum` without `type`).
    fn any_schema(
        &mut self,
        schema: &Schema,
        a: &openapiv3::AnySchema,
        pointer: &str,
        name: &str,
    ) -> Lowered {
        // 3.1's `{type: "null"}` on its own: null is the only value.
        if a.typ.as_deref() == Some("null") && is_null_schema(&ReferenceOr::Item(schema.clone())) {
            return Lowered::Ref(TypeRef::Unit);
        }
        if !a.all_of.is_empty() {
            return self.all_of(&a.all_of, Some(a), pointer, name);
        }
        for (keyword, members) in [("oneOf", &a.one_of), ("anyOf", &a.any_of)] {
            if members.is_empty() {
                continue;
            }
            // Properties beside a `oneOf` hold for every member: each member merged with them
            // (Dropshot's flattened enum beside a struct's own fields), as for `allOf`. (An
            // `anyOf` of objects is one struct of every member's and these properties.)
            // Members that only say which of those are required keep the one struct.
            let shaping = members.iter().any(|m| match m {
                ReferenceOr::Item(s) => {
                    !matches!(&s.schema_kind, SchemaKind::Any(m) if m.properties.is_empty()
                    && m.one_of.is_empty() && m.any_of.is_empty() && m.all_of.is_empty() && m.typ.is_none())
                }
                ReferenceOr::Reference { .. } => true,
            });
            if keyword == "oneOf"
                && shaping
                && !a.properties.is_empty()
                && schema.schema_data.discriminator.is_none()
            {
                let at = child(pointer, keyword);
                if let Some(l) = self.merged_union(members, &at, &[], Some(a), pointer, name) {
                    return l;
                }
            }
            return self.one_of(schema, members, pointer, keyword, name);
        }
        if !a.enumeration.is_empty() && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
            let values: Vec<&str> = a.enumeration.iter().filter_map(|v| v.as_str()).collect();
            let null = a.enumeration.iter().any(serde_json::Value::is_null);
            return self.string_enum_values(&values, null, None, pointer);
        }
        // `items` alone, or `additionalProperties` alone, constrain arrays or objects and let
        // every other value through (`""` for a map of tags): any JSON value, not a narrower
        // list or map. `properties` without `type` stays an object: documents write it for one.
        if a.typ.is_none()
            && a.properties.is_empty()
            && (a.items.is_some() || a.additional_properties.is_some())
        {
            return Lowered::Ref(TypeRef::Json);
        }
        // `properties` or `additionalProperties` beside another `type` (a string) only apply to
        // objects: the value is that type.
        let objectish = a.typ.as_deref().is_none_or(|t| t == "object");
        if objectish && (!a.properties.is_empty() || a.additional_properties.is_some())
            || a.typ.as_deref() == Some("object")
        {
            let mut parts = ObjectParts::default();
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
            return self.object(parts, name);
        }
        if let Some(items) = &a.items {
            let item = self.boxed_schema_type(items, &child(pointer, "items"), &format!("{name}Item"));
            return Lowered::Ref(TypeRef::Vec(Box::new(item)));
        }
        // `type: string, enum: [true, false]` (YAML's unquoted booleans): by the letter no value
        // is both, and the values say what servers send; any JSON value keeps either.
        if let Some(t) = a.typ.as_deref() {
            let of_type = |v: &serde_json::Value| match t {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "array" => v.is_array(),
                "object" => v.is_object(),
                _ => true,
            };
            let odd: Vec<String> =
                a.enumeration.iter().filter(|v| !v.is_null() && !of_type(v)).map(|v| v.to_string()).collect();
            if !odd.is_empty() {
                self.diags.warning(
                    pointer,
                    format!("enum values {} are not of the schema's type `{t}`; using any JSON value, which keeps both", odd.join(", ")),
                );
                return Lowered::Ref(TypeRef::Json);
            }
        }
        Lowered::Ref(match (a.typ.as_deref(), a.format.as_deref()) {
            (Some("string"), Some("date-time")) => TypeRef::DateTime,
            (Some("string"), Some("date")) => TypeRef::Date,
            (Some("string"), Some("binary")) => TypeRef::Base64,
            (Some("string"), _) => TypeRef::String,
            (Some("integer"), f) => TypeRef::Integer(int_kind(f)),
            (Some("number"), Some("float")) => TypeRef::Float(FloatKind::F32),
            (Some("number"), _) => TypeRef::Float(FloatKind::F64),
            (Some("boolean"), _) => TypeRef::Bool,
            (Some("array"), _) => TypeRef::Vec(Box::new(TypeRef::Json)),
            _ => TypeRef::Json,
        })
    }

    /// The description of the component a `$ref` points to (a bare `$ref` property has none).
    fn component_doc(&self, reference: &str) -> Option<String> {
        match self.schemas().target(reference)?.0 {
            ReferenceOr::Item(s) => schema_doc(s),
            ReferenceOr::Reference { .. } => None,
        }
    }
}
