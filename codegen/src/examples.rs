//! The example tests of a generated crate (`tests/examples.rs`): one test per JSON example the
//! document gives for a request body, a success response or a component schema. Each decodes
//! the example into the type the IR gives that body, encodes it again and compares the JSON.
//!
//! Examples that can't pass for a reason of the document's own are written as ignored tests that
//! say why: one that doesn't match its schema (checked with a JSON Schema validator, feature
//! `validate`), or one carrying properties its schema doesn't declare (the generated types keep
//! undeclared properties only where `additionalProperties` asks for them).

mod undeclared;
#[cfg(feature = "validate")]
pub(crate) mod validate;

use crate::ir::{Api, BodyKind, ResponseKind, TypeDef, TypeRef};
use crate::pointer::child;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;

/// One example and the type it must round-trip through.
#[derive(Debug, Clone)]
pub struct Case {
    /// The test function's name.
    pub name: String,
    /// Where the example is in the document (a JSON pointer).
    pub pointer: String,
    pub ty: TypeRef,
    pub value: Value,
    pub verdict: Verdict,
}

/// What generation found out about an example before any test runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Expected to round-trip.
    Test,
    /// It doesn't match its own schema (the validator's message).
    Invalid(String),
    /// It carries properties the document doesn't declare (their paths).
    Undeclared(Vec<String>),
}

/// How many tests of each kind were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub tests: usize,
    pub invalid: usize,
    pub undeclared: usize,
    /// Whether examples were checked against their schemas (the `validate` feature).
    pub validated: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} example tests: {} expected to pass, {} ignored as invalid, {} ignored for undeclared fields",
            self.tests + self.invalid + self.undeclared,
            self.tests,
            self.invalid,
            self.undeclared
        )?;
        if !self.validated {
            write!(f, " (not checked against their schemas: built without the `validate` feature)")?;
        }
        Ok(())
    }
}

/// Whether a request or a response carries the example: it decides which of `readOnly` and
/// `writeOnly` properties may be missing although required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// A case before its verdict: the schema it must match, and in which direction.
struct Found {
    name: String,
    pointer: String,
    schema: String,
    direction: Direction,
    ty: TypeRef,
    value: Value,
}

/// Every example of the document `raw` (the parsed source) with its verdict.
pub fn cases(api: &Api, raw: &Value) -> (Vec<Case>, Summary) {
    let found = find(api, raw);
    #[cfg(feature = "validate")]
    let mut validator = validate::Validator::new(raw);
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut summary = Summary { validated: cfg!(feature = "validate"), ..Summary::default() };
    let cases = found
        .into_iter()
        .map(|f| {
            #[cfg(feature = "validate")]
            let invalid = validator.check(&f.schema, f.direction, &f.value).err();
            // Unchecked: the test is written and shows the truth.
            #[cfg(not(feature = "validate"))]
            let invalid: Option<String> = {
                let _ = (&f.schema, f.direction);
                None
            };
            let extra = undeclared::fields(&types, &f.ty, &f.value);
            let verdict = match (invalid, extra.is_empty()) {
                (Some(why), _) => Verdict::Invalid(why),
                (None, false) => Verdict::Undeclared(extra),
                (None, true) => Verdict::Test,
            };
            match verdict {
                Verdict::Test => summary.tests += 1,
                Verdict::Invalid(_) => summary.invalid += 1,
                Verdict::Undeclared(_) => summary.undeclared += 1,
            }
            Case { name: f.name, pointer: f.pointer, ty: f.ty, value: f.value, verdict }
        })
        .collect();
    (cases, summary)
}

/// The text of `tests/examples.rs`, or `None` when the document has no examples to test.
/// `types_parent` is the path of the module holding the generated `types` (the crate's name).
pub fn tests_file(api: &Api, raw: &Value, types_parent: &str, runtime: &str) -> Option<(String, Summary)> {
    tests_file_located(api, raw, types_parent, runtime, &|p| p.to_string())
}

/// [`tests_file`] for a document read in another shape than written (a 3.1 document's normalised
/// tree): `original` turns a pointer into `raw` (`#/paths/...`) into one into the document as
/// written, for the line each test's doc gives.
pub fn tests_file_located(
    api: &Api,
    raw: &Value,
    types_parent: &str,
    runtime: &str,
    original: &dyn Fn(&str) -> String,
) -> Option<(String, Summary)> {
    let (mut cases, summary) = cases(api, raw);
    if cases.is_empty() {
        return None;
    }
    for c in &mut cases {
        c.pointer = original(&c.pointer);
    }
    Some((render(api, &cases, &summary, types_parent, runtime), summary))
}

fn render(api: &Api, cases: &[Case], summary: &Summary, types_parent: &str, runtime: &str) -> String {
    let tests = cases.iter().map(|c| {
        let name = format_ident!("{}", c.name);
        let ty = crate::emit::tyref::ty(&c.ty, crate::emit::tyref::Scope::outside(api));
        let json = raw_string(&c.value.to_string());
        let pointer = format!(" {}", c.pointer);
        let ignore = match &c.verdict {
            Verdict::Test => None,
            Verdict::Invalid(why) => {
                let why = shorten(&format!("the example doesn't match its schema: {why}"), 160);
                Some(quote!(#[ignore = #why]))
            }
            Verdict::Undeclared(fields) => {
                let why = shorten(
                    &format!("example carries fields the document doesn't declare: {}", fields.join(", ")),
                    160,
                );
                Some(quote!(#[ignore = #why]))
            }
        };
        quote! {
            #[doc = #pointer]
            #[test]
            #ignore
            fn #name() {
                let example = #json;
                round_trip::<#ty>(example);
            }
        }
    });
    let header =
        format!("the document's examples, each decoded into its type and\n// encoded again. {summary}.");
    test_file(tests.collect(), &header, types_parent, runtime, "example tests")
}

/// A test file of `tests` (each calling `round_trip`), under `// @generated by
/// ferrospec-codegen: {header}`, with the imports they need and the comparison they share.
pub(crate) fn test_file(
    tests: Vec<TokenStream>,
    header: &str,
    types_parent: &str,
    runtime: &str,
    what: &str,
) -> String {
    let krate = match syn::parse_str::<syn::Path>(types_parent) {
        Ok(p) => quote!(#p),
        Err(_) => {
            let id = crate::emit::tyref::ident(&crate::ident::escape(&crate::ident::snake(types_parent)));
            quote!(#id)
        }
    };
    // Values of only strings, numbers or lists of them need no generated type.
    let uses_types = tests.iter().any(|t| t.to_string().contains("types ::"));
    let import = uses_types.then(|| quote!(use #krate::types;));
    // A date-time or date outside any generated type (a list of them) names the runtime.
    let uses_runtime = tests.iter().any(|t| t.to_string().contains("rt ::"));
    let runtime_path = crate::emit::runtime_path(runtime);
    let import_runtime = uses_runtime.then(|| quote!(use #runtime_path as rt;));
    let tokens = quote! {
        #import
        #import_runtime

        #(#tests)*
    };
    let file: syn::File = match syn::parse2(tokens) {
        Ok(f) => f,
        Err(e) => {
            panic!("ferrospec-codegen emitted invalid {what} ({e}); please report this with the document")
        }
    };
    format!(
        "// @generated by ferrospec-codegen: {header}\n\n{}\n{}",
        crate::emit::format::items(file.items),
        HELPERS.replace("__RUNTIME__", &crate::emit::runtime_path(runtime).to_string().replace(' ', "")),
    )
}

/// The comparison every test uses, written once into each file (the crate has no other test
/// support code to put it in); `__RUNTIME__` stands for the runtime crate's path.
const HELPERS: &str = r#"/// Decodes `json` as `T`, encodes the value again and compares: a property the type drops,
/// or one it adds, fails. Numbers compare by value, date-times by instant, and a `null` property
/// equals an absent one (an optional field holds both as `None`).
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
    let original: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
    let value: T = match serde_json::from_value(original.clone()) {
        Ok(v) => v,
        Err(e) => panic!("the example doesn't decode as {}: {e}", std::any::type_name::<T>()),
    };
    // Through text, as a request sends it: an `f32` reads back as the number it was written as.
    let text = serde_json::to_string(&value).expect("the value encodes");
    let again: serde_json::Value = serde_json::from_str(&text).expect("the encoding is JSON");
    if let Some(why) = difference(&original, &again, "") {
        panic!("the example re-encodes differently: {why}\nexample:    {original}\nre-encoded: {again}");
    }
}

fn difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(why) = difference(v, w, &format!("{at}/{k}")) {
                            return Some(why);
                        }
                    }
                    None if v.is_null() => {}
                    None => return Some(format!("{at}/{k} is dropped")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) && !w.is_null() {
                    return Some(format!("{at}/{k} is added"));
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| difference(v, w, &format!("{at}/{i}")))
        }
        (Value::Number(x), Value::Number(y)) if x == y || x.as_f64() == y.as_f64() => None,
        (Value::String(x), Value::String(y)) if x == y || same_instant(x, y) => None,
        _ if a == b => None,
        _ => Some(format!("{} became {b}", if at.is_empty() { "the value" } else { at })),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    let parse = |s: &str| s.parse::<__RUNTIME__::DateTime>().ok();
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}
"#;

/// A raw string literal holding `s` (compact JSON never holds a carriage return).
pub(crate) fn raw_string(s: &str) -> proc_macro2::Literal {
    let mut hashes = 1;
    while s.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{s}\"{h}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(s))
}

/// At most `max` characters, ending in `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    let s = s.replace(['\n', '\r'], " ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A JSON body of an operation: its request body, a success response or a documented error.
pub(crate) struct Body {
    /// The name its tests start with (`create_pet_request`, `get_pet_response_200`).
    pub base: String,
    /// Its media type object (a JSON pointer without `#`).
    pub media_ptr: String,
    /// The type it decodes as.
    pub ty: TypeRef,
    pub direction: Direction,
}

/// Every operation's JSON bodies, in order: the request body, the success responses, the
/// documented errors.
pub(crate) fn bodies(api: &Api, raw: &Value) -> Vec<Body> {
    let mut out = Vec::new();
    for op in &api.operations {
        let op_name = crate::ident::snake(&op.id);
        let Some(op_ptr) = op.pointer.strip_prefix('#') else { continue };
        if let Some(body) = op.body.as_ref().filter(|b| b.kind == BodyKind::Json) {
            if let Some((media_ptr, _)) = resolve(raw, &format!("{op_ptr}/requestBody"))
                .and_then(|(p, _)| resolve(raw, &child(&format!("{p}/content"), &body.content_type)))
            {
                let ty = if body.nullable { body.ty.clone().option() } else { body.ty.clone() };
                out.push(Body {
                    base: format!("{op_name}_request"),
                    media_ptr,
                    ty,
                    direction: Direction::Request,
                });
            }
        }
        let mut response = |status: &str, ty: &TypeRef, ct: Option<&str>, base: String| {
            if let Some(media_ptr) = response_media(raw, op_ptr, status, ct) {
                out.push(Body { base, media_ptr, ty: ty.clone(), direction: Direction::Response });
            }
        };
        for status in success_statuses(raw, op_ptr) {
            // The type this status's body decodes as, and its media type (the first JSON one
            // when the IR names none).
            let (ty, ct) = match (&op.response.kind, &op.response.content_type) {
                (ResponseKind::Json(ty), Some(ct)) => (ty, Some(ct.as_str())),
                // The document may write `2xx` where the IR says `2XX`.
                (ResponseKind::ByStatus(b), _) => {
                    let case = b.cases.iter().find(|c| c.key.eq_ignore_ascii_case(&status));
                    match case.and_then(|c| c.ty.as_ref()) {
                        Some(ty) => (ty, None),
                        None => continue,
                    }
                }
                _ => continue,
            };
            response(&status, ty, ct, format!("{op_name}_response_{}", status.to_ascii_lowercase()));
        }
        // The documented error bodies, each as its status's type.
        let Some(Value::Object(responses)) = raw.pointer(&format!("{op_ptr}/responses")) else { continue };
        for case in op.errors.iter().flat_map(|b| &b.cases) {
            let (Some(ty), Some(key)) =
                (&case.ty, responses.keys().find(|k| k.eq_ignore_ascii_case(&case.key)))
            else {
                continue;
            };
            response(key, ty, None, format!("{op_name}_error_{}", key.to_ascii_lowercase()));
        }
    }
    out
}

/// The examples in the document, each with the schema it must match and the type it decodes as.
fn find(api: &Api, raw: &Value) -> Vec<Found> {
    let mut names = crate::ident::NameScope::new();
    names.reserve(["round_trip", "difference", "same_instant", "types"]);
    let mut out = Vec::new();
    for b in bodies(api, raw) {
        if let Some(media) = raw.pointer(&b.media_ptr) {
            media_examples(raw, &b.media_ptr, media, &b.ty, b.direction, &b.base, &mut names, &mut out);
        }
    }
    // Examples on component schemas, for the types generated from them.
    let (requests, responses) = (api.request_types(), api.response_types());
    for t in &api.types {
        let Some(ptr) = t.pointer.strip_prefix("#/components/schemas/") else { continue };
        if ptr.contains('/') {
            continue;
        }
        let schema_ptr = format!("/components/schemas/{ptr}");
        let Some(example) = raw.pointer(&schema_ptr).and_then(|s| s.get("example")) else { continue };
        let direction = if requests.contains(&t.name) && !responses.contains(&t.name) {
            Direction::Request
        } else {
            Direction::Response
        };
        let ty = TypeRef::Named(t.name.clone());
        if contains_binary(api, &ty) {
            continue;
        }
        out.push(Found {
            name: names.claim(&format!("schema_{}", crate::ident::snake(&t.name))),
            pointer: format!("#{schema_ptr}/example"),
            schema: schema_ptr,
            direction,
            ty,
            value: example.clone(),
        });
    }
    out
}

/// The media type object of response `status`'s media type `ct` (its first JSON one when
/// `None`).
fn response_media(raw: &Value, op_ptr: &str, status: &str, ct: Option<&str>) -> Option<String> {
    let (resp_ptr, resp) = resolve(raw, &child(&format!("{op_ptr}/responses"), status))?;
    let json =
        || resp.get("content")?.as_object()?.keys().find(|k| crate::media::is_json(k)).map(String::as_str);
    let ct = ct.or_else(json)?;
    resolve(raw, &child(&format!("{resp_ptr}/content"), ct)).map(|(p, _)| p)
}

pub(crate) fn contains_binary(api: &Api, ty: &TypeRef) -> bool {
    reaches(api, ty, &|t| *t == TypeRef::Binary)
}

/// Whether `hit` holds for `ty` or a type it holds, through the named types it reaches.
pub(crate) fn reaches(api: &Api, ty: &TypeRef, hit: &dyn Fn(&TypeRef) -> bool) -> bool {
    ty.contains(hit) || {
        let named = api.reachable(vec![ty]);
        api.types.iter().filter(|t| named.contains(&t.name)).any(|t| match &t.kind {
            crate::ir::TypeKind::Struct(s) => {
                s.fields.iter().any(|f| f.value.contains(hit))
                    || s.additional.as_ref().is_some_and(|a| a.contains(hit))
            }
            crate::ir::TypeKind::Alias(a) => a.contains(hit),
            crate::ir::TypeKind::Untagged(vs) => vs.iter().any(|v| v.ty.contains(hit)),
            crate::ir::TypeKind::Tagged { variants, .. } => variants.iter().any(|v| v.ty.contains(hit)),
            crate::ir::TypeKind::Enum(_) => false,
        })
    }
}

/// The keys of the operation's 2xx responses (and `default` when there is none), in order.
pub(crate) fn success_statuses(raw: &Value, op_ptr: &str) -> Vec<String> {
    let Some(Value::Object(responses)) = raw.pointer(&format!("{op_ptr}/responses")) else {
        return Vec::new();
    };
    let success: Vec<String> = responses
        .keys()
        .filter(|k| {
            k.len() == 3
                && k.starts_with('2')
                && (k[1..].chars().all(|c| c.is_ascii_digit()) || k[1..].eq_ignore_ascii_case("xx"))
        })
        .cloned()
        .collect();
    if success.is_empty() && responses.contains_key("default") {
        return vec!["default".to_string()];
    }
    success
}

/// The media type's `example` and each entry of its `examples` (through `$ref`s).
#[allow(clippy::too_many_arguments)]
fn media_examples(
    raw: &Value,
    media_ptr: &str,
    media: &Value,
    ty: &TypeRef,
    direction: Direction,
    base: &str,
    names: &mut crate::ident::NameScope,
    out: &mut Vec<Found>,
) {
    if media.get("schema").is_none() || ty.contains_binary() {
        return;
    }
    let schema = format!("{media_ptr}/schema");
    let mut push = |name: String, pointer: String, value: &Value| {
        out.push(Found {
            name: names.claim(&name),
            pointer: format!("#{pointer}"),
            schema: schema.clone(),
            direction,
            ty: ty.clone(),
            value: value.clone(),
        })
    };
    if let Some(e) = media.get("example") {
        push(base.to_string(), format!("{media_ptr}/example"), e);
    }
    if let Some(Value::Object(examples)) = media.get("examples") {
        for key in examples.keys() {
            let Some((p, example)) = resolve(raw, &child(&format!("{media_ptr}/examples"), key)) else {
                continue;
            };
            // An `externalValue` has nothing to test here.
            if let Some(value) = example.get("value") {
                push(format!("{base}_{}", crate::ident::snake(key)), format!("{p}/value"), value);
            }
        }
    }
}

/// The value at `pointer` (without `#`), following `$ref`s into the document, with the pointer
/// it was found at.
pub(crate) fn resolve<'v>(raw: &'v Value, pointer: &str) -> Option<(String, &'v Value)> {
    let mut ptr = pointer.to_string();
    let mut v = raw.pointer(&ptr)?;
    for _ in 0..32 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                ptr = r.strip_prefix('#')?.to_string();
                v = raw.pointer(&ptr)?;
            }
            None => return Some((ptr, v)),
        }
    }
    None
}
