//! Properties an example carries that its generated type doesn't keep: found by walking the
//! example along the IR type, as decoding would. A struct keeps undeclared properties only when
//! it has a map for them (`additionalProperties`).

use crate::ir::{TypeDef, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// The paths (`owner.nickname`, `items[].extra`) of the properties `value` carries that `ty`
/// drops, in the example's order, without repeats.
pub(super) fn fields(types: &BTreeMap<&str, &TypeDef>, ty: &TypeRef, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(types, ty, value, "", None, &mut out);
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

fn walk(
    types: &BTreeMap<&str, &TypeDef>,
    ty: &TypeRef,
    value: &Value,
    at: &str,
    tag: Option<&str>,
    out: &mut Vec<String>,
) {
    match (ty, value) {
        (TypeRef::Option(t) | TypeRef::Box(t), v) => walk(types, t, v, at, tag, out),
        (TypeRef::Vec(t), Value::Array(items)) => {
            let at = format!("{at}[]");
            items.iter().for_each(|v| walk(types, t, v, &at, None, out));
        }
        (TypeRef::Map(t), Value::Object(m)) => {
            let at = join(at, "*");
            m.values().for_each(|v| walk(types, t, v, &at, None, out));
        }
        (TypeRef::Named(n), v) => match types.get(n.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                let Value::Object(m) = v else { return };
                for (k, v) in m {
                    if let Some(f) = s.fields.iter().find(|f| f.wire_name == *k) {
                        walk(types, &f.ty(), v, &join(at, k), None, out);
                    } else if let Some(a) = &s.additional {
                        walk(types, a, v, &join(at, k), None, out);
                    } else if tag != Some(k) {
                        out.push(join(at, k));
                    }
                }
            }
            Some(TypeKind::Alias(t)) => walk(types, t, v, at, tag, out),
            Some(TypeKind::Tagged { tag, variants, .. }) => {
                let value_tag = v.get(tag).and_then(Value::as_str);
                // An unknown tag keeps the whole value as JSON.
                if let Some(variant) = variants.iter().find(|x| Some(x.value.as_str()) == value_tag) {
                    walk(types, &variant.ty, v, at, Some(tag), out);
                }
            }
            Some(TypeKind::Untagged(variants)) => {
                // The member that keeps most of the value: the one that drops the fewest.
                let best = variants
                    .iter()
                    .filter(|x| shape_fits(types, &x.ty, v, 0))
                    .map(|x| {
                        let mut o = Vec::new();
                        walk(types, &x.ty, v, at, tag, &mut o);
                        o
                    })
                    .min_by_key(Vec::len);
                out.extend(best.unwrap_or_default());
            }
            Some(TypeKind::Enum(_)) | None => {}
        },
        _ => {}
    }
}

/// Whether `value`'s JSON type is one `ty` decodes at its top level.
fn shape_fits(types: &BTreeMap<&str, &TypeDef>, ty: &TypeRef, value: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match (ty, value) {
        (TypeRef::Option(_), Value::Null) => true,
        (TypeRef::Option(t) | TypeRef::Box(t), v) => shape_fits(types, t, v, depth + 1),
        (TypeRef::Json, _) => true,
        (TypeRef::JsonObject | TypeRef::Map(_), Value::Object(_)) => true,
        (TypeRef::Vec(_), Value::Array(_)) => true,
        (TypeRef::String | TypeRef::DateTime | TypeRef::Date, Value::String(_)) => true,
        (TypeRef::Bool, Value::Bool(_)) => true,
        (TypeRef::Integer(_), Value::Number(n)) => n.is_i64() || n.is_u64(),
        (TypeRef::Float(_), Value::Number(_)) => true,
        (TypeRef::Named(n), v) => match types.get(n.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Struct(_) | TypeKind::Tagged { .. }) => v.is_object(),
            Some(TypeKind::Enum(_)) => v.is_string(),
            Some(TypeKind::Alias(t)) => shape_fits(types, t, v, depth + 1),
            Some(TypeKind::Untagged(vs)) => vs.iter().any(|x| shape_fits(types, &x.ty, v, depth + 1)),
            None => true,
        },
        _ => false,
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}
