//! Scalars: the `format` a schema declares and the integer width it means.

use crate::ir::*;
use openapiv3::{Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// The `format` a scalar schema declares.
pub(super) fn format_of(schema: &Schema) -> Option<&str> {
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

pub(in crate::lower) fn int_kind(format: Option<&str>) -> IntKind {
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
