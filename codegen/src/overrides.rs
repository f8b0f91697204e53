//! Type overrides: a format, or one schema, mapped to a Rust type the user already has (like
//! prost-build's `extern_path` and typify's `with_replacement`). The generator then writes that
//! path wherever the format or schema is used and defines no type of its own for it.

use std::collections::BTreeMap;

/// Formats and schemas mapped to Rust type paths; see [`crate::Config::format_type`] and
/// [`crate::Config::schema_type`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeOverrides {
    /// `format` value (`uuid`, `date-time`, `decimal`) → Rust type.
    pub formats: BTreeMap<String, String>,
    /// JSON pointer of a schema (`#/components/schemas/Money`) → Rust type.
    pub schemas: BTreeMap<String, String>,
}

impl TypeOverrides {
    /// A schema given by its component name (`Money`) or by a JSON pointer (`#/...`).
    pub fn schema_pointer(schema: &str) -> String {
        if schema.starts_with('#') {
            schema.to_string()
        } else {
            format!("#/components/schemas/{}", schema.replace('~', "~0").replace('/', "~1"))
        }
    }

    /// Why `rust_type` can't be written into generated code, if it can't.
    pub fn check_type(rust_type: &str) -> Result<(), String> {
        match syn::parse_str::<syn::Type>(rust_type) {
            Ok(_) => Ok(()),
            Err(e) => Err(format!("`{rust_type}` is not a Rust type: {e}")),
        }
    }

    /// Parses `KEY=RUST_TYPE`, as the command line takes it.
    pub fn parse_pair(arg: &str) -> Result<(String, String), String> {
        match arg.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                Self::check_type(v.trim())?;
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(format!("`{arg}` is not KEY=RUST_TYPE")),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.formats.is_empty() && self.schemas.is_empty()
    }
}
