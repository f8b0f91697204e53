//! Schemas to types: objects become structs, string enums open enums, `allOf` one merged struct;
//! inline schemas get names from where they appear. A `oneOf`/`anyOf` becomes a tagged enum when
//! a property tells its members apart (a `discriminator`, or a required property whose value each
//! member fixes), else an untagged one whose string enums are merged into one; a base schema with
//! a `discriminator` becomes a tagged enum of the schemas that extend it.

use super::Lowerer;
use crate::pointer::child;
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

/// `{}`: any JSON value, for a merged property whose members disagree.
static ANY_SCHEMA: std::sync::LazyLock<ReferenceOr<Box<Schema>>> = std::sync::LazyLock::new(|| {
    ReferenceOr::Item(Box::new(Schema {
        schema_data: Default::default(),
        schema_kind: SchemaKind::Any(Default::default()),
    }))
});

/// Whether two property schemas say the same (compared as written).
fn same_schema(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    std::ptr::eq(a, b) || serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
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
            Lowered::Def(kind, nullable) => {
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
        if !a.one_of.is_empty() {
            return self.one_of(schema, &a.one_of, pointer, "oneOf", name);
        }
        if !a.any_of.is_empty() {
            return self.one_of(schema, &a.any_of, pointer, "anyOf", name);
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

    fn string_enum(&mut self, values: &[&str], null: bool, schema: &Schema, pointer: &str) -> Lowered {
        let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
        self.string_enum_values(values, null, default, pointer)
    }

    /// An open enum of `values`; `null` when null is one of the listed values too (the reference
    /// becomes an `Option`), and the unit type when it is the only one.
    fn string_enum_values(
        &mut self,
        values: &[&str],
        null: bool,
        default: Option<&str>,
        pointer: &str,
    ) -> Lowered {
        if values.is_empty() {
            if null {
                return Lowered::Ref(TypeRef::Unit);
            }
            self.diags.warning(pointer, "an enum with no string values; using String");
            return Lowered::Ref(TypeRef::String);
        }
        let mut scope = NameScope::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for v in values {
            if variants.iter().any(|e| e.value == *v) {
                continue;
            }
            variants.push(EnumVariant {
                name: scope.claim(&ident::camel(v)),
                value: v.to_string(),
                doc: None,
            });
        }
        let default = default.filter(|d| values.contains(d)).map(str::to_string);
        Lowered::Def(TypeKind::Enum(StringEnum { variants, default, closed: false }), null)
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
        Lowered::Def(TypeKind::Struct(Struct { fields, additional, deny_unknown }), false)
    }

    /// `oneOf`/`anyOf` (`keyword`): tagged by its `discriminator`, else by a property that every
    /// member fixes to a value of its own, else untagged.
    fn one_of(
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

    /// An untagged `anyOf` of objects: a value may satisfy several members at once
    /// (`{ref_name: .., repository_name: ..}`), so it is one struct with every member's
    /// properties, required where every member requires them, rather than an enum whose one
    /// variant would drop the other members' properties. A property two members declare
    /// differently is any JSON value. `None` unless every member (null aside) is an object.
    /// Members that only say which of the properties beside the union are required
    /// (`anyOf: [{required: [file_ids]}, {required: [files]}]`) make it the one struct too, for
    /// a `oneOf` (`one_of`) only such members: its properties are the ones beside it.
    fn any_of_objects(
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
            Lowered::Def(kind, _) => Some(Lowered::Def(kind, nullable)),
            Lowered::Ref(_) => None,
        }
    }

    /// `oneOf` over references with a `discriminator`: a tagged enum, its values from `mapping`
    /// or, where a member has none, the value the member fixes its tag property to (else the
    /// schema's name). `None` when the shape doesn't fit.
    fn tagged(
        &mut self,
        d: &openapiv3::Discriminator,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<Lowered> {
        let keys: Vec<String> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => super::schema_key(reference),
                ReferenceOr::Item(_) => None,
            })
            .collect::<Option<_>>()?;
        let mut values: Vec<(String, String)> = Vec::new(); // (tag value, schema key)
        for (value, target) in &d.mapping {
            let key = super::schema_key(target).unwrap_or_else(|| target.clone());
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
        Some(Lowered::Def(TypeKind::Tagged { tag: d.property_name.clone(), variants, absent: None }, false))
    }

    /// The tag value of a member that `mapping` doesn't name: the value it fixes its required tag
    /// property to (a one-value enum) or, as the specification says, its schema name.
    fn implicit_tag(&self, key: &str, tag: &str, taken: &[(String, String)]) -> String {
        let member = ReferenceOr::Reference { reference: child("#/components/schemas", key) };
        member_fixed(self.spec, self.targets, &member, tag)
            .filter(|v| !taken.iter().any(|(t, _)| t == v))
            .unwrap_or_else(|| key.to_string())
    }

    /// The variants for `(tag value, schema key)` pairs; `base` is the type for the key that names
    /// the base schema itself (in a discriminated hierarchy). A member whose tag property holds
    /// exactly its value gets that property closed (see `close_tags`).
    fn tagged_variants(
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
                if !shared && member_fixed(self.spec, self.targets, &member, tag).as_ref() == Some(value) {
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
    fn fixed_tag_union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        tag: Option<&str>,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let spec = self.spec;
        let mut nullable = false;
        let mut shaped = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if is_null_schema(m) {
                nullable = true;
                continue;
            }
            shaped.push((i, m, fixed_properties(spec, self.targets, m)?));
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
        Some(Lowered::Def(TypeKind::Tagged { tag, variants, absent: None }, nullable))
    }

    /// A base schema with a `discriminator` that other schemas extend with `allOf: [$ref base,
    /// ...]`: where the base is used, any of them may come, so it becomes a tagged enum of them
    /// and each keeps its own fields. Values come from `mapping`, else from the subtype's fixed tag
    /// value or its schema name. A value mapped to the base itself decodes as the base's own
    /// fields (`{Name}Base`). `None` when nothing extends the base.
    fn inheritance(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        let d = schema.schema_data.discriminator.as_ref()?;
        let union = match &schema.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(a) => !a.one_of.is_empty() || !a.any_of.is_empty(),
            _ => false,
        };
        if union {
            return None;
        }
        let spec = self.spec;
        let schemas = &spec.components.as_ref()?.schemas;
        let base = self.components.iter().find(|(_, n)| n.as_str() == name)?.0.clone();
        let mut values: Vec<(String, String)> = Vec::new(); // (tag value, schema key)
        for (value, target) in &d.mapping {
            let key = super::schema_key(target).unwrap_or_else(|| target.clone());
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
                Lowered::Def(kind, _) => {
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

    /// Closes the one-value tag types of tagged unions' members, once every type is defined: a
    /// member's tag field then accepts its own value only, and `new` fills it in. A tag type that
    /// is a component of its own is left open (other schemas may use it).
    pub(super) fn close_tags(&mut self) {
        for (owner, tag, value) in std::mem::take(&mut self.tag_fields) {
            let Some(TypeKind::Struct(s)) = self.types.get(&owner).map(|t| &t.kind) else { continue };
            let Some(TypeRef::Named(e)) = s.fields.iter().find(|f| f.wire_name == tag).map(|f| &f.ty) else {
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
    pub(super) fn absent_tags(&mut self) {
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
    fn union(&mut self, members: &[ReferenceOr<Schema>], pointer: &str, name: &str) -> Lowered {
        let spec = self.spec;
        let strings: Vec<Option<StringMember>> = members.iter().map(|m| string_member(spec, m)).collect();
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
                        return Lowered::Def(kind, nullable);
                    }
                    let enum_name = self.type_names.claim(&ident::camel(&format!("{name}Variant{i}")));
                    self.define(enum_name.clone(), None, child(pointer, &i.to_string()), kind);
                    types.push((TypeRef::Named(enum_name), 0));
                }
                continue;
            }
            let ty = self.schema_type(m, &child(pointer, &i.to_string()), &format!("{name}Variant{i}"));
            let mut parts = ObjectParts::default();
            let required = if collect_parts(spec, self.targets, m, pointer, &mut parts, 0) {
                parts.required.len()
            } else {
                0
            };
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
        // Members that only annotate (a description, `nullable`, an example) don't shape the
        // type; a nullable one makes it admit null.
        let nullable = members.iter().any(|m| annotation(m).is_some_and(|s| s.schema_data.nullable));
        let shaping: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| annotation(m).is_none()).collect();
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
            deref_schema(self.spec, m).and_then(|s| match &s.schema_kind {
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
                Lowered::Def(kind, n) => Lowered::Def(kind, n || nullable),
                other => other,
            };
        }
        let mut parts = ObjectParts::default();
        if let Some(a) = own {
            parts.add_object(&a.properties, &a.required, a.additional_properties.as_ref(), pointer);
        }
        if let Err(p) = merge_members(self.spec, self.targets, &shaping, pointer, &mut parts) {
            self.diags.warning(
                &p,
                "an allOf member that is not an object (or an object reference) cannot be merged; using any JSON value",
            );
            return Lowered::Ref(TypeRef::Json);
        }
        match self.object(parts, name) {
            Lowered::Def(kind, n) => Lowered::Def(merged_kind(kind), n || nullable),
            Lowered::Ref(ty) if nullable => Lowered::Ref(ty.option()),
            other => other,
        }
    }

    /// `allOf: [anyOf: [A, B], {properties}]` (OpenAI's stream events, each with a `stream_id`):
    /// every member of the union merged with the other members, as a union of the merged
    /// objects, so a value keeps both its own fields and the shared ones. `None` unless exactly
    /// one member is a union and every object involved can be merged.
    fn distributed_union(
        &mut self,
        shaping: &[(usize, &ReferenceOr<Schema>)],
        own: Option<&openapiv3::AnySchema>,
        pointer: &str,
        name: &str,
    ) -> Option<Lowered> {
        let (spec, targets) = (self.spec, self.targets);
        let unions: Vec<_> =
            shaping.iter().filter_map(|(i, m)| Some((*i, union_members(spec, m)?))).collect();
        let [(at, (keyword, members))] = unions[..] else { return None };
        let union_pointer = child(&child(&child(pointer, "allOf"), &at.to_string()), keyword);
        let others: Vec<_> = shaping.iter().filter(|(i, _)| *i != at).copied().collect();
        // Each merged object: the union member's parts, then the other members', then own.
        let mut merged = Vec::new();
        for (j, m) in members.iter().enumerate().filter(|(_, m)| !is_null_schema(m)) {
            let mut parts = ObjectParts::default();
            if !collect_parts(spec, targets, m, &child(&union_pointer, &j.to_string()), &mut parts, 0) {
                return None;
            }
            merge_members(spec, targets, &others, pointer, &mut parts).ok()?;
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
            merged.iter().map(|(_, m, _)| fixed_properties(spec, targets, m)).collect();
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
                Lowered::Def(kind, _) => {
                    self.define(
                        type_name.clone(),
                        None,
                        child(&union_pointer, &j.to_string()),
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
            types.push((scope.claim(&member), ty, required, value));
        }
        if let Some(tag) = tag.filter(|_| types.iter().all(|t| t.3.is_some())) {
            let variants = types
                .into_iter()
                .filter_map(|(name, ty, _, value)| Some(TaggedVariant { name, value: value?, ty }))
                .collect();
            return Some(Lowered::Def(TypeKind::Tagged { tag, variants, absent: None }, nullable));
        }
        // Tried in order, as in any union: the objects that require more first.
        types.sort_by_key(|(_, ty, required, _)| (rank(ty), std::cmp::Reverse(*required)));
        let variants = types.into_iter().map(|(name, ty, _, _)| Variant { name, ty }).collect();
        Some(Lowered::Def(TypeKind::Untagged(variants), nullable))
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
            let Some(key) = super::schema_key(reference) else {
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

/// A union member that is a string: an enum with its values, or any string (the merged enum,
/// being open, keeps those).
enum StringMember {
    Enum { values: Vec<String>, null: bool, doc: Option<String> },
    Plain { null: bool },
}

fn string_member(spec: &openapiv3::OpenAPI, m: &ReferenceOr<Schema>) -> Option<StringMember> {
    let s = deref_schema(spec, m)?;
    let null = s.schema_data.nullable;
    let doc = schema_doc(s);
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty() => {
            let values: Vec<String> = t.enumeration.iter().flatten().cloned().collect();
            let null = null || t.enumeration.iter().any(Option::is_none);
            (!values.is_empty()).then_some(StringMember::Enum { values, null, doc })
        }
        SchemaKind::Type(Type::String(t)) => match &t.format {
            VariantOrUnknownOrEmpty::Item(
                StringFormat::DateTime | StringFormat::Date | StringFormat::Binary,
            ) => None,
            _ => Some(StringMember::Plain { null }),
        },
        SchemaKind::Any(a)
            if a.properties.is_empty()
                && a.items.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && matches!(a.typ.as_deref(), None | Some("string")) =>
        {
            if a.enumeration.is_empty() {
                let special = matches!(a.format.as_deref(), Some("date-time" | "date" | "binary"));
                return (a.typ.is_some() && !special).then_some(StringMember::Plain { null });
            }
            if !a.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
                return None;
            }
            let values: Vec<String> =
                a.enumeration.iter().filter_map(|v| v.as_str()).map(str::to_string).collect();
            let null = null || a.enumeration.iter().any(|v| v.is_null());
            (!values.is_empty()).then_some(StringMember::Enum { values, null, doc })
        }
        _ => None,
    }
}

/// One open enum of every string member's values; a member with one value lends it its doc.
/// The `bool` says whether a member admits null.
fn merged_enum(members: &[Option<StringMember>]) -> (TypeKind, bool) {
    let mut scope = NameScope::new();
    let mut variants: Vec<EnumVariant> = Vec::new();
    let mut nullable = false;
    for m in members.iter().flatten() {
        match m {
            StringMember::Enum { values, null, doc } => {
                nullable |= null;
                for v in values {
                    if variants.iter().any(|e| e.value == *v) {
                        continue;
                    }
                    let doc = if values.len() == 1 { doc.clone() } else { None };
                    variants.push(EnumVariant { name: scope.claim(&ident::camel(v)), value: v.clone(), doc });
                }
            }
            StringMember::Plain { null } => nullable |= null,
        }
    }
    (TypeKind::Enum(StringEnum { variants, default: None, closed: false }), nullable)
}

/// The schema a member is, following references to components.
fn deref_schema<'s, T: std::borrow::Borrow<Schema>>(
    spec: &'s openapiv3::OpenAPI,
    member: &'s ReferenceOr<T>,
) -> Option<&'s Schema> {
    let mut reference = match member {
        ReferenceOr::Item(s) => return Some(s.borrow()),
        ReferenceOr::Reference { reference } => reference,
    };
    for _ in 0..MAX_ALLOF_DEPTH {
        let key = super::schema_key(reference)?;
        match spec.components.as_ref()?.schemas.get(&key)? {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}

/// The one value a property's schema allows: a one-value string enum, not nullable, possibly
/// behind a reference or a one-member `allOf`.
fn fixed_value<T: std::borrow::Borrow<Schema>>(
    spec: &openapiv3::OpenAPI,
    prop: &ReferenceOr<T>,
    depth: usize,
) -> Option<String> {
    let s = deref_schema(spec, prop)?;
    if s.schema_data.nullable || depth > MAX_ALLOF_DEPTH {
        return None;
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => match t.enumeration.as_slice() {
            [Some(v)] => Some(v.clone()),
            _ => None,
        },
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => fixed_value(spec, &all_of[0], depth + 1),
        SchemaKind::Any(a) if a.all_of.len() == 1 && a.enumeration.is_empty() => {
            fixed_value(spec, &a.all_of[0], depth + 1)
        }
        SchemaKind::Any(a) if matches!(a.typ.as_deref(), None | Some("string")) => {
            match a.enumeration.as_slice() {
                [serde_json::Value::String(v)] => Some(v.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The required properties of an object-shaped member whose value is fixed, in declaration
/// order; `None` when the member isn't object-shaped.
fn fixed_properties(
    spec: &openapiv3::OpenAPI,
    targets: &crate::load::Targets,
    member: &ReferenceOr<Schema>,
) -> Option<IndexMap<String, String>> {
    let mut parts = ObjectParts::default();
    if !collect_parts(spec, targets, member, "", &mut parts, 0) {
        return None;
    }
    let fixed = parts
        .properties
        .iter()
        .filter(|(k, _)| parts.required.contains(*k))
        .filter_map(|(k, (s, _))| Some((k.clone(), fixed_value(spec, *s, 0)?)))
        .collect();
    Some(fixed)
}

/// The value a member fixes its required property `tag` to, if it does.
fn member_fixed(
    spec: &openapiv3::OpenAPI,
    targets: &crate::load::Targets,
    member: &ReferenceOr<Schema>,
    tag: &str,
) -> Option<String> {
    fixed_properties(spec, targets, member)?.shift_remove(tag)
}

/// The component schemas that extend `base` through `allOf` (directly or through one another),
/// in document order.
fn subtypes_of(schemas: &IndexMap<String, ReferenceOr<Schema>>, base: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut parents = vec![base.to_string()];
    while let Some(parent) = parents.pop() {
        for (key, schema) in schemas {
            if key == base || found.contains(key) {
                continue;
            }
            let ReferenceOr::Item(schema) = schema else { continue };
            let all_of = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(a) => &a.all_of,
                _ => continue,
            };
            let extends = all_of.iter().any(|m| match m {
                ReferenceOr::Reference { reference } => {
                    super::schema_key(reference).as_deref() == Some(parent.as_str())
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

/// `{nullable: true}` with nothing else, or `{type: "null"}`-like members of a union.
/// The `format` a scalar schema declares.
fn format_of(schema: &Schema) -> Option<&str> {
    use openapiv3::{IntegerFormat, NumberFormat};
    fn name<T>(f: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<&str> {
        match f {
            VariantOrUnknownOrEmpty::Item(t) => Some(known(t)),
            VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => name(&s.format, |f| match f {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }),
        SchemaKind::Type(Type::Integer(i)) => name(&i.format, |f| match f {
            IntegerFormat::Int32 => "int32",
            IntegerFormat::Int64 => "int64",
        }),
        SchemaKind::Type(Type::Number(n)) => name(&n.format, |f| match f {
            NumberFormat::Float => "float",
            NumberFormat::Double => "double",
        }),
        SchemaKind::Any(a) => a.format.as_deref(),
        _ => None,
    }
}

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

/// Adds the parts of `allOf` members (index, schema) to `parts`; `Err` with the pointer of the
/// first member that is not an object.
fn merge_members<'s>(
    spec: &'s openapiv3::OpenAPI,
    targets: &'s crate::load::Targets,
    members: &[(usize, &'s ReferenceOr<Schema>)],
    pointer: &str,
    parts: &mut ObjectParts<'s>,
) -> Result<(), String> {
    for (i, m) in members {
        let p = child(&child(pointer, "allOf"), &i.to_string());
        if !collect_parts(spec, targets, m, &p, parts, 0) {
            return Err(p);
        }
    }
    Ok(())
}

/// A type merged from `allOf` members: `additionalProperties: false` in one member can't hold
/// for the merge.
fn merged_kind(kind: TypeKind) -> TypeKind {
    match kind {
        TypeKind::Struct(s) => TypeKind::Struct(Struct { deny_unknown: false, ..s }),
        other => other,
    }
}

/// The property (`tag`, when the discriminator names one) whose fixed value differs in every
/// member, given each member's fixed properties.
fn distinguishing_tag(fixed: &[&IndexMap<String, String>], tag: Option<&str>) -> Option<String> {
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
fn union_members<'s>(
    spec: &'s openapiv3::OpenAPI,
    m: &'s ReferenceOr<Schema>,
) -> Option<(&'static str, &'s [ReferenceOr<Schema>])> {
    match &deref_schema(spec, m)?.schema_kind {
        SchemaKind::OneOf { one_of } => Some(("oneOf", one_of)),
        SchemaKind::AnyOf { any_of } => Some(("anyOf", any_of)),
        SchemaKind::Any(a) if a.properties.is_empty() && a.all_of.is_empty() => {
            match (a.one_of.is_empty(), a.any_of.is_empty()) {
                (false, true) => Some(("oneOf", &a.one_of)),
                (true, false) => Some(("anyOf", &a.any_of)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn rank(t: &TypeRef) -> u8 {
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

fn variant_name(t: &TypeRef) -> String {
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
