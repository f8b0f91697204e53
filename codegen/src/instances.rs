//! The instance tests of a generated crate (`tests/instances.rs`): random values of every JSON
//! body's schema (request bodies, success responses, documented errors), seeded so the file is
//! the same on every run. A JSON Schema validator keeps only the values it proves valid; each
//! is decoded into the body's type, encoded again and compared, as the example tests do. They
//! test what examples can't: optional properties present and absent, every union member,
//! `null` where allowed, lists of several items, other numbers and strings.
//!
//! Without the `validate` feature nothing can be proven valid, and no file is written.

use crate::examples::{Body, Direction};
use crate::ir::{Api, TypeRef};
use crate::sample::Sampler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// Values per schema.
const VALUES: usize = 6;
/// Tries per schema: a random value may break a constraint the sampler doesn't read (a
/// `uniqueItems`, a `not`), and the validator refuses it.
const TRIES: usize = 24;
/// Longer values are left out, to keep the file readable and quick to build.
const MAX_CHARS: usize = 6_000;

/// What the file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Schemas with at least one value, a test each.
    pub tests: usize,
    pub values: usize,
    /// Schemas for which no value could be proven valid (or none was short enough).
    pub unproven: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} instance tests of {} values; {} schemas without a value proven valid",
            self.tests, self.values, self.unproven
        )
    }
}

/// The text of `tests/instances.rs`, or `None` when no body has a value proven valid.
pub fn tests_file(
    api: &Api,
    raw: &Value,
    types_parent: &str,
    runtime: &str,
    original: &dyn Fn(&str) -> String,
) -> Option<(String, Summary)> {
    let mut summary = Summary::default();
    let mut seen = BTreeSet::new();
    let mut names = crate::ident::NameScope::new();
    names.reserve(["round_trip", "difference", "same_instant", "types"]);
    let mut tests = Vec::new();
    let mut sampler = Sampler::plain(raw);
    for body in crate::examples::bodies(api, raw) {
        let schema_ptr = format!("{}/schema", body.media_ptr);
        let Some((resolved, _)) = crate::examples::resolve(raw, &schema_ptr) else { continue };
        // A schema two bodies share (through a `$ref`) is tested once in each direction. A
        // user's own type for a format or schema (`Config::format_type`) reads what it reads.
        let untestable = |t: &TypeRef| matches!(t, TypeRef::Binary | TypeRef::External(_));
        if crate::examples::reaches(api, &body.ty, &untestable)
            || !seen.insert((resolved, body.direction as u8))
        {
            continue;
        }
        let found = values(&mut sampler, &schema_ptr, body.direction);
        if found.is_empty() {
            summary.unproven += 1;
            continue;
        }
        summary.tests += 1;
        summary.values += found.len();
        tests.push(test(api, &body, &names.claim(&body.base), &original(&format!("#{schema_ptr}")), &found));
    }
    if tests.is_empty() {
        return None;
    }
    let header = format!(
        "random values of each JSON body's schema, proven valid by a JSON\n// Schema validator, each decoded into its type and encoded again. {summary}."
    );
    Some((crate::examples::test_file(tests, &header, types_parent, runtime, "instance tests"), summary))
}

/// Up to [`VALUES`] different values of the schema at `schema_ptr` that the validator proves
/// valid, seeded by the pointer.
fn values(sampler: &mut Sampler, schema_ptr: &str, direction: Direction) -> Vec<Value> {
    let seed = crate::hash::fnv1a64_u64(schema_ptr.as_bytes());
    let mut out: Vec<Value> = Vec::new();
    for i in 0..TRIES {
        if out.len() == VALUES {
            break;
        }
        let v = sampler.random(schema_ptr, direction, seed.wrapping_add(i as u64));
        if out.contains(&v) || v.to_string().chars().count() > MAX_CHARS {
            continue;
        }
        if sampler.check.proven(schema_ptr, direction, &v) == Some(true) {
            out.push(v);
        }
    }
    out
}

fn test(api: &Api, body: &Body, name: &str, pointer: &str, values: &[Value]) -> TokenStream {
    let name = format_ident!("{}", name);
    let ty = crate::emit::tyref::ty(&body.ty, crate::emit::tyref::Scope::outside(api));
    let doc = format!(" {pointer}");
    let jsons = values.iter().map(|v| crate::examples::raw_string(&v.to_string()));
    quote! {
        #[doc = #doc]
        #[test]
        fn #name() {
            #(round_trip::<#ty>(#jsons);)*
        }
    }
}
