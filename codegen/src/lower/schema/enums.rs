//! String enums: open enums (an unknown value is kept), and the one enum an untagged union's
//! string members merge into.

use super::refs::Schemas;
use super::*;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::lower::Lowerer;
use openapiv3::{ReferenceOr, Schema};

/// A union member that is a string: an enum with its values, or any string (the merged enum,
/// being open, keeps those).
pub(super) enum StringMember {
    Enum { values: Vec<String>, null: bool, doc: Option<String> },
    Plain { null: bool },
}

pub(super) fn string_member(schemas: Schemas<'_>, m: &ReferenceOr<Schema>) -> Option<StringMember> {
    let s = schemas.schema(m)?;
    let v = super::view::view(s);
    let shaped = v.has_properties || v.has_items || !v.uncomposed();
    if shaped || !matches!(v.typ, None | Some("string")) {
        return None;
    }
    let null = v.nullable;
    if v.enumeration.is_empty() {
        let special = matches!(v.format, Some("date-time" | "date" | "binary"));
        return (v.typ.is_some() && !special).then_some(StringMember::Plain { null });
    }
    if !v.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
        return None;
    }
    let values: Vec<String> = v.enumeration.iter().filter_map(|v| v.as_str()).map(str::to_string).collect();
    let null = null || v.enumeration.iter().any(|v| v.is_null());
    (!values.is_empty()).then_some(StringMember::Enum { values, null, doc: schema_doc(s) })
}

/// One open enum of every string member's values; a member with one value lends it its doc.
/// The `bool` says whether a member admits null.
pub(super) fn merged_enum(members: &[Option<StringMember>]) -> (TypeKind, bool) {
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

impl Lowerer<'_> {
    pub(super) fn string_enum(
        &mut self,
        values: &[&str],
        null: bool,
        schema: &Schema,
        pointer: &str,
    ) -> Lowered {
        let default = schema.schema_data.default.as_ref().and_then(|d| d.as_str());
        self.string_enum_values(values, null, default, pointer)
    }

    /// An open enum of `values`; `null` when null is one of the listed values too (the reference
    /// becomes an `Option`), and the unit type when it is the only one.
    pub(super) fn string_enum_values(
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
        Lowered::Def {
            kind: TypeKind::Enum(StringEnum { variants, default, closed: false }),
            admits_null: null,
        }
    }
}
