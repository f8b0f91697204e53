//! How each type is emitted, decided once the API is whole (after renames, and again when only
//! the types are kept): which serde directions it needs, whether `Default` derives, whether it
//! is multipart-only, whether it refuses unknown fields. Emission reads [`Traits`] and prints.

use crate::ir::{request_roots, response_roots, Api, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// Fills in every type's [`Traits`].
pub(crate) fn settle(api: &mut Api) {
    let default = defaultable(api);
    let multipart = multipart(api);
    let (ser, de) = directions(api);
    let deny = deny_unknown(api);
    for t in &mut api.types {
        let n = t.name.as_str();
        t.traits = crate::ir::Traits {
            default: default.contains(n),
            serialize: ser.contains(n),
            deserialize: de.contains(n),
            multipart: multipart.contains(n),
            deny_unknown: deny.contains(n),
        };
    }
}

/// Which types each serde direction needs: `Serialize` for what requests carry, `Deserialize`
/// for what responses carry. The other direction is compiled only with the generated crate's
/// `serde-all` feature: both for every type roughly doubles the serde code to compile.
fn directions(api: &Api) -> (BTreeSet<String>, BTreeSet<String>) {
    let requests = request_roots(&api.operations);
    let responses = response_roots(&api.operations);
    let reached = api.reachable(requests.iter().chain(&responses).copied().collect());
    // A type no operation reaches (an error body, a webhook payload) may be used either way;
    // so may all it contains (each set is closed under containment).
    let unreached: Vec<TypeRef> = api
        .types
        .iter()
        .filter(|t| !reached.contains(&t.name))
        .map(|t| TypeRef::Named(t.name.clone()))
        .collect();
    let (mut ser_roots, mut de_roots) = (requests, responses);
    ser_roots.extend(&unreached);
    de_roots.extend(&unreached);
    (api.reachable(ser_roots), api.reachable(de_roots))
}

/// Types for which `Default` can be derived: a fixpoint, since structs contain each other.
fn defaultable(api: &Api) -> BTreeSet<String> {
    let mut yes: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = yes.len();
        for t in &api.types {
            if yes.contains(&t.name) {
                continue;
            }
            let ok = match &t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().all(|f| f.ty().has_default(&|n: &str| yes.contains(n)))
                }
                TypeKind::Enum(e) => e.default.is_some(),
                TypeKind::Alias(a) => a.has_default(&|n: &str| yes.contains(n)),
                _ => false,
            };
            if ok {
                yes.insert(t.name.clone());
            }
        }
        if yes.len() == before {
            return yes;
        }
    }
}

/// Types that hold a file part somewhere: they are built for multipart bodies, not serde. A
/// fixpoint, as `defaultable`: a type holds one if a child is one or a type that holds one.
fn multipart(api: &Api) -> BTreeSet<String> {
    let mut yes: BTreeSet<String> = BTreeSet::new();
    let mut named = Vec::new();
    loop {
        let before = yes.len();
        for t in &api.types {
            if yes.contains(&t.name) {
                continue;
            }
            let holds = t.kind.children().any(|c| {
                named.clear();
                c.named_in(&mut named);
                c.is_file_part() || named.iter().any(|n| yes.contains(*n))
            });
            if holds {
                yes.insert(t.name.clone());
            }
        }
        if yes.len() == before {
            return yes;
        }
    }
}

/// Structs with `additionalProperties: false` that are variants of an untagged union: they
/// refuse unknown fields, so an object meant for another variant fails here and goes on. Not
/// when a tagged union also holds them (it passes them its tag, which they may not declare).
fn deny_unknown(api: &Api) -> BTreeSet<String> {
    let mut untagged = BTreeSet::new();
    let mut tagged = BTreeSet::new();
    for t in &api.types {
        match &t.kind {
            TypeKind::Untagged(vs) => untagged.extend(vs.iter().filter_map(|v| v.ty.held_named())),
            TypeKind::Tagged { variants, .. } => {
                tagged.extend(variants.iter().filter_map(|v| v.ty.held_named()))
            }
            _ => {}
        }
    }
    let denies =
        |t: &&TypeDef| matches!(&t.kind, TypeKind::Struct(s) if s.deny_unknown && s.additional.is_none());
    api.types
        .iter()
        .filter(denies)
        .filter(|t| untagged.contains(t.name.as_str()) && !tagged.contains(t.name.as_str()))
        .map(|t| t.name.clone())
        .collect()
}
