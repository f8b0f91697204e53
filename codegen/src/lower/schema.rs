//! Schemas to types: objects become structs, string enums open enums, `oneOf`/`anyOf` untagged
//! enums, `allOf` one merged struct; inline schemas get names from where they appear.

use super::Lowerer;
use crate::diag::child;
use crate::ident::{self, NameScope};
use crate::ir::*;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// What a schema lowers to: a new named type, or a reference to an existing one or a primitive.
pub(super) enum Lowered {
    /// A new type; `true` when null is one of its values (the reference becomes an `Option`).
    Def(TypeKind, bool),
    Ref(TypeRef),
}

/// The object-shaped parts of a schema, gathered from `properties`, `allOf` members and the like.
#[derive(Default)]
struct ObjectParts<'s> {
    properties: IndexMap<String, (&'s ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<(&'s AdditionalProperties, String)>,
}

const MAX_ALLOF_DEPTH: usize = 32;

impl Lowerer<'_> {
    pub(super) fn define_component(&mut self, name: &str, schema: &Schema, pointer: &str) {
        let doc = schema_doc(schema);
        // Nullability of a component is applied where it is referenced (see `nullable_components`).
        let kind = match self.lower_schema(schema, pointer, name) {
            Lowered::Def(kind, _) => kind,
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
        // A schema a `$ref` points into is one type, however it is reached.
        if self.ref_targets.contains(pointer) {
            if let Some(ty) = self.inline_at.get(pointer) {
                return ty.clone();
            }
        }
        let ty = self.lower_inline(schema, pointer, hint);
        self.inline_at.entry(pointer.to_string()).or_insert_with(|| ty.clone());
        ty
    }

    fn lower_inline(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        let (ty, null_member) = match self.lower_schema(schema, pointer, hint) {
            Lowered::Ref(ty) => (ty, false),
            Lowered::Def(kind, nullable) => {
                let name = self.type_names.claim(&ident::camel(hint));
                self.define(name.clone(), schema_doc(schema), pointer.to_string(), kind);
                (TypeRef::Named(name), nullable)
            }
        };
        if schema.schema_data.nullable || null_member {
            ty.option()
        } else {
            ty
        }
    }

    /// Lowers one schema; `name` is the type's name if it becomes one, and the prefix for the
    /// names of inline types inside it.
    pub(super) fn lower_schema(&mut self, schema: &Schema, pointer: &str, name: &str) -> Lowered {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if !s.enumeration.is_empty() {
                    let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
                    return self.string_enum(&values, schema, pointer);
                }
                Lowered::Ref(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
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
            SchemaKind::OneOf { one_of } => match self.tagged(schema, one_of, pointer) {
                Some(l) => l,
                None => self.union(one_of, &child(pointer, "oneOf"), name),
            },
            SchemaKind::AnyOf { any_of } => self.union(any_of, &child(pointer, "anyOf"), name),
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
        if !a.all_of.is_empty() {
            return self.all_of(&a.all_of, Some(a), pointer, name);
        }
        if !a.one_of.is_empty() {
            if let Some(l) = self.tagged(schema, &a.one_of, pointer) {
                return l;
            }
            return self.union(&a.one_of, &child(pointer, "oneOf"), name);
        }
        if !a.any_of.is_empty() {
            return self.union(&a.any_of, &child(pointer, "anyOf"), name);
        }
        if !a.enumeration.is_empty() && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
            let values: Vec<&str> = a.enumeration.iter().filter_map(|v| v.as_str()).collect();
            return self.string_enum_values(&values, None, pointer);
        }
        if !a.properties.is_empty() || a.additional_properties.is_some() || a.typ.as_deref() == Some("object")
        {
            let mut parts = ObjectParts::default();
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
            return self.object(parts, name);
        }
        if let Some(items) = &a.items {
            let item = self.boxed_schema_type(items, &child(pointer, "items"), &format!("{name}Item"));
            return Lowered::Ref(TypeRef::Vec(Box::new(item)));
        }
        Lowered::Ref(match (a.typ.as_deref(), a.format.as_deref()) {
            (Some("string"), Some("date-time")) => TypeRef::DateTime,
            (Some("string"), Some("date")) => TypeRef::Date,
            (Some("string"), Some("binary")) => TypeRef::Binary,
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
        let target = match super::schema_key(reference) {
            Some(key) => self.spec.components.as_ref()?.schemas.get(&key)?,
            // A reference into another schema, or anywhere else in the document.
            None => self.targets.parts.schemas.get(reference)?,
        };
        match target {
            ReferenceOr::Item(s) => schema_doc(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn string_enum(&mut self, values: &[&str], schema: &Schema, pointer: &str) -> Lowered {
        let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
        self.string_enum_values(values, default, pointer)
    }

    fn string_enum_values(&mut self, values: &[&str], default: Option<&str>, pointer: &str) -> Lowered {
        if values.is_empty() {
            self.diags.warning(pointer, "an enum with no string values; using String");
            return Lowered::Ref(TypeRef::String);
        }
        let mut scope = NameScope::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for v in values {
            if variants.iter().any(|e| e.value == *v) {
                continue;
            }
            variants.push(EnumVariant { name: scope.claim(&ident::camel(v)), value: v.to_string() });
        }
        let default = default.filter(|d| values.contains(d)).map(str::to_string);
        Lowered::Def(TypeKind::Enum(StringEnum { variants, default }), false)
    }

    fn object(&mut self, parts: ObjectParts<'_>, name: &str) -> Lowered {
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
            let (read_only, write_only) = match schema {
                ReferenceOr::Item(s) => (s.schema_data.read_only, s.schema_data.write_only),
                ReferenceOr::Reference { .. } => (false, false),
            };
            // A required readOnly field is never sent, and a required writeOnly one never
            // comes back: neither can be required of both directions of one type.
            let required = parts.required.iter().any(|r| r == wire) && !read_only && !write_only;
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
                doc,
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Schema(s), p)) => {
                Some(self.schema_type(s, &child(&p, "additionalProperties"), &format!("{name}Value")))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        Lowered::Def(TypeKind::Struct(Struct { fields, additional }), false)
    }

    /// `oneOf` over references with a `discriminator`: a tagged enum, its values from `mapping`
    /// or, where a member has none, the schema's name. `None` when the shape doesn't fit.
    fn tagged(&mut self, schema: &Schema, members: &[ReferenceOr<Schema>], pointer: &str) -> Option<Lowered> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let keys: Vec<&str> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => reference.strip_prefix("#/components/schemas/"),
                ReferenceOr::Item(_) => None,
            })
            .collect::<Option<_>>()?;
        let mut values: Vec<(String, String)> = Vec::new(); // (tag value, schema key)
        for (value, target) in &d.mapping {
            let key = target.strip_prefix("#/components/schemas/").unwrap_or(target);
            if keys.contains(&key) {
                values.push((value.clone(), key.to_string()));
            }
        }
        for key in &keys {
            if !values.iter().any(|(_, k)| k == key) {
                values.push((key.to_string(), key.to_string()));
            }
        }
        let mut scope = NameScope::new();
        scope.reserve(["Unknown"]);
        let mut variants = Vec::with_capacity(values.len());
        for (value, key) in values {
            let ty = self
                .resolve_schema_ref(&format!("#/components/schemas/{key}"), &child(pointer, "discriminator"));
            let ty = match ty {
                TypeRef::Option(inner) => *inner,
                t => t,
            };
            let shared =
                d.mapping.values().filter(|t| t.ends_with(&format!("/{key}")) || *t == &key).count() > 1;
            let base = match &ty {
                TypeRef::Named(n) if !shared => n.clone(),
                _ => ident::camel(&value),
            };
            variants.push(TaggedVariant { name: scope.claim(&base), value, ty });
        }
        Some(Lowered::Def(TypeKind::Tagged { tag: d.property_name.clone(), variants }, false))
    }

    fn union(&mut self, members: &[ReferenceOr<Schema>], pointer: &str, name: &str) -> Lowered {
        let mut types: Vec<TypeRef> = Vec::new();
        let mut nullable = false;
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                nullable = true;
                continue;
            }
            let ty = self.schema_type(m, &child(pointer, &i.to_string()), &format!("{name}Variant{i}"));
            if let TypeRef::Option(inner) = ty {
                nullable = true;
                types.push(*inner);
            } else {
                types.push(ty);
            }
        }
        types.dedup();
        let ty = match types.len() {
            0 => return Lowered::Ref(TypeRef::Json),
            1 => types.pop().expect("one member"),
            _ => {
                // serde tries untagged variants in order: put narrower JSON types first so `5`
                // stays an integer and a date-time string isn't taken as a plain string.
                types.sort_by_key(rank);
                let mut scope = NameScope::new();
                let variants = types
                    .into_iter()
                    .map(|ty| Variant { name: scope.claim(&variant_name(&ty)), ty })
                    .collect();
                return Lowered::Def(TypeKind::Untagged(variants), nullable);
            }
        };
        Lowered::Ref(if nullable { ty.option() } else { ty })
    }

    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: Option<&openapiv3::AnySchema>,
        pointer: &str,
        name: &str,
    ) -> Lowered {
        let own_props = own.map(|a| !a.properties.is_empty()).unwrap_or(false);
        // `allOf: [{$ref}]` only attaches a description to a reference.
        if members.len() == 1 && !own_props {
            let ty = self.schema_type(&members[0], &child(&child(pointer, "allOf"), "0"), name);
            return Lowered::Ref(ty);
        }
        let mut parts = ObjectParts::default();
        if let Some(a) = own {
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
        }
        let (spec, targets) = (self.spec, self.targets);
        for (i, m) in members.iter().enumerate() {
            let p = child(&child(pointer, "allOf"), &i.to_string());
            if !collect_parts(spec, targets, m, &p, &mut parts, 0) {
                self.diags.warning(
                    &p,
                    "an allOf member that is not an object (or an object reference) cannot be merged; using any JSON value",
                );
                return Lowered::Ref(TypeRef::Json);
            }
        }
        self.object(parts, name)
    }
}

impl<'s> ObjectParts<'s> {
    fn add_object(
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

/// Gathers an allOf member's object parts, following references; false if it isn't object-shaped.
fn collect_parts<'s>(
    spec: &'s openapiv3::OpenAPI,
    targets: &'s super::pointer::Targets,
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
            let Some(key) = super::schema_key(reference) else {
                // A reference into another schema (or anywhere else in the document).
                return match targets.parts.schemas.get(reference) {
                    Some(target) => collect_parts(
                        spec,
                        targets,
                        target,
                        &super::pointer::diagnostic_pointer(reference),
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

/// `{nullable: true}` with nothing else, or `{type: "null"}`-like members of a union.
pub(super) fn is_null_schema(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(a), schema_data }) => {
            (schema_data.nullable || a.typ.as_deref() == Some("null"))
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

fn rank(t: &TypeRef) -> u8 {
    match t {
        TypeRef::Bool => 0,
        TypeRef::Integer(_) => 1,
        TypeRef::Float(_) => 2,
        TypeRef::DateTime | TypeRef::Date => 3,
        TypeRef::String | TypeRef::Binary => 4,
        TypeRef::Json => 9,
        _ => 5,
    }
}

fn variant_name(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Integer(_) => "Integer".into(),
        TypeRef::Float(_) => "Number".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Option(inner) | TypeRef::Box(inner) => variant_name(inner),
    }
}

pub(super) fn int_kind(format: Option<&str>) -> IntKind {
    match format {
        Some("int8") => IntKind::I8,
        Some("int16") => IntKind::I16,
        Some("int32") => IntKind::I32,
        Some("uint8") => IntKind::U8,
        Some("uint16") => IntKind::U16,
        Some("uint32") => IntKind::U32,
        Some("uint64") | Some("uint") => IntKind::U64,
        _ => IntKind::I64,
    }
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
