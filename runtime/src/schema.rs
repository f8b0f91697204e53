//! `schemars::JsonSchema` for the runtime's types that generated models hold, so a user who
//! derives `JsonSchema` on the models (`Config::type_attribute`) gets their wire schema.

use crate::{Base64Bytes, Date, DateTime, FilePart, UnknownValue};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

macro_rules! string_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_schema!(DateTime, "DateTime", { "type": "string", "format": "date-time" });
string_schema!(Date, "Date", { "type": "string", "format": "date" });
string_schema!(Base64Bytes, "Base64Bytes", { "type": "string", "contentEncoding": "base64" });
string_schema!(FilePart, "FilePart", { "type": "string", "format": "binary" });
// The catch-all of an open enum: any string the known values don't cover.
string_schema!(UnknownValue, "UnknownValue", { "type": "string" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_bytes_are_strings_with_their_formats() {
        let date_time = schemars::schema_for!(DateTime);
        assert_eq!(date_time.get("format").and_then(|f| f.as_str()), Some("date-time"));
        let bytes = schemars::schema_for!(Base64Bytes);
        assert_eq!(bytes.get("contentEncoding").and_then(|f| f.as_str()), Some("base64"));
        assert_eq!(schemars::schema_for!(Date).get("type").and_then(|t| t.as_str()), Some("string"));
    }
}
