//! One view of a schema, whichever way openapiv3 parsed it: `SchemaKind::Type` when the `type`
//! keyword and its own keywords fit that type, `SchemaKind::Any` otherwise, and the composition
//! kinds for a bare `oneOf`, `anyOf` or `allOf`. Predicates that read the view are written once
//! instead of once per parse.

use super::scalar::format_of;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use std::borrow::Cow;

pub(super) struct View<'s> {
    /// The `type` keyword.
    pub typ: Option<&'s str>,
    /// The `format` keyword.
    pub format: Option<&'s str>,
    /// The `enum` values (a string enum's missing value is `null`).
    pub enumeration: Cow<'s, [Value]>,
    /// Whether it declares any `properties`.
    pub has_properties: bool,
    /// Whether it says `additionalProperties`.
    pub has_additional: bool,
    /// Whether it says `items`.
    pub has_items: bool,
    pub one_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub all_of: &'s [ReferenceOr<Schema>],
    pub nullable: bool,
}

const NONE: &[ReferenceOr<Schema>] = &[];

pub(super) fn view(s: &Schema) -> View<'_> {
    let mut v = View {
        typ: None,
        format: format_of(s),
        enumeration: Cow::Borrowed(&[]),
        has_properties: false,
        has_additional: false,
        has_items: false,
        one_of: NONE,
        any_of: NONE,
        all_of: NONE,
        nullable: s.schema_data.nullable,
    };
    fn values<T: Clone + Into<Value>>(e: &[Option<T>]) -> Cow<'static, [Value]> {
        Cow::Owned(e.iter().map(|v| v.clone().map_or(Value::Null, Into::into)).collect())
    }
    match &s.schema_kind {
        SchemaKind::Type(t) => match t {
            Type::String(t) => (v.typ, v.enumeration) = (Some("string"), values(&t.enumeration)),
            Type::Number(t) => (v.typ, v.enumeration) = (Some("number"), values(&t.enumeration)),
            Type::Integer(t) => (v.typ, v.enumeration) = (Some("integer"), values(&t.enumeration)),
            Type::Boolean(t) => (v.typ, v.enumeration) = (Some("boolean"), values(&t.enumeration)),
            Type::Object(o) => {
                v.typ = Some("object");
                v.has_properties = !o.properties.is_empty();
                v.has_additional = o.additional_properties.is_some();
            }
            Type::Array(a) => (v.typ, v.has_items) = (Some("array"), a.items.is_some()),
        },
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.enumeration = Cow::Borrowed(&a.enumeration);
            v.has_properties = !a.properties.is_empty();
            v.has_additional = a.additional_properties.is_some();
            v.has_items = a.items.is_some();
            (v.one_of, v.any_of, v.all_of) = (&a.one_of, &a.any_of, &a.all_of);
        }
    }
    v
}

impl View<'_> {
    /// No `oneOf`, `anyOf` or `allOf`.
    pub fn uncomposed(&self) -> bool {
        self.one_of.is_empty() && self.any_of.is_empty() && self.all_of.is_empty()
    }
}
