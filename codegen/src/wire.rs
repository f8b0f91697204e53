//! Wire tests for a generated crate (`tests/wire.rs`): one test per operation, calling it
//! through the crate's public client as a user would, against a mock server at
//! `WIRE_TEST_BASE_URL` (Prism: `prism mock SPEC` checks every request against the document and
//! answers with its examples, or with `--dynamic`, random values of the response schema).
//!
//! Arguments come from the document: the parameter's or body's example (when it matches its
//! schema), else a value made to satisfy the schema: its `default`, first `enum` value or
//! `const`, formats, bounds, lengths, and every required property. The client gets a stand-in
//! credential for every security scheme. A test passes when the call returns its success type;
//! a rejected request fails with the mock's violations.

use crate::emit::builders::{arg_sources, ArgSource};
use crate::emit::tyref::{ty, value_ident, Scope};
use crate::examples::Direction;
use crate::ident::NameScope;
use crate::ir::{Api, BodyKind, ParamLocation, Resource, SchemeKind, TypeRef};
use crate::pointer::child;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};

/// The text of `tests/wire.rs` for `api` (its document parsed as `raw`); `krate` is the crate's
/// name as Rust writes it.
pub fn tests_file(api: &Api, raw: &Value, krate: &str) -> String {
    let krate_id = format_ident!("{}", krate);
    let mut names = NameScope::new();
    names.reserve(["client", "arg", "check"]);
    let mut check = Checker::new(raw);
    let tests = api.operations.iter().enumerate().map(|(i, op)| {
        let name = format_ident!("{}", names.claim(&crate::ident::snake(&op.id)));
        let pointer = format!(" {}", op.pointer);
        let op_ptr = op.pointer.strip_prefix('#').unwrap_or(&op.pointer);
        let call = call(api, raw, i, quote!(client), &mut check, typed);
        // Prism's static answer is the success response's example: one that doesn't match its
        // schema is expected not to decode, and the test says so.
        let invalid = match invalid_answer_example(raw, op_ptr, &mut check) {
            Some(why) => {
                let why = format!("the document's example answer doesn't match its schema: {why}");
                quote!(Some(#why))
            }
            None => quote!(None),
        };
        // A required `Authorization` header parameter isn't an argument (OpenAPI says it is
        // ignored): a user sends it with the client's headers, and so does the test.
        let headers = authorization_params(raw, op_ptr).into_iter().map(|name| {
            let v = param_value(raw, op_ptr, &name, ParamLocation::Header, &mut check);
            let v = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            quote!((#name, #v))
        });
        quote! {
            #[doc = #pointer]
            #[tokio::test]
            #[ignore = "needs a mock server of the document at WIRE_TEST_BASE_URL (prism mock)"]
            async fn #name() {
                let client = client(&[#(#headers),*]);
                check(#call.await, #invalid);
            }
        }
    });
    let tests: Vec<TokenStream> = tests.collect();
    let credentials = api.security_schemes.iter().map(|s| {
        let setter = value_ident(&s.setter);
        match s.kind {
            SchemeKind::Basic => quote!(.#setter("wire-user", "wire-password")),
            _ => quote!(.#setter("wire-test-credential")),
        }
    });
    let tokens = quote! {
        #[allow(unused_imports)]
        use #krate_id::types;
        #[allow(unused_imports)]
        use ferrospec_runtime as rt;

        /// The client under test: the mock at `WIRE_TEST_BASE_URL`, a stand-in credential for
        /// every security scheme, no retries (a refused request fails at once).
        fn client(headers: &[(&str, &str)]) -> #krate_id::Client {
            let base = std::env::var("WIRE_TEST_BASE_URL").unwrap_or_else(|_| {
                panic!("set WIRE_TEST_BASE_URL to a mock server of the document, e.g. `npx @stoplight/prism-cli mock <document>` and WIRE_TEST_BASE_URL=http://127.0.0.1:4010")
            });
            let mut builder = #krate_id::Client::builder()
                .base_url(base)
                #(#credentials)*
                .max_retries(0);
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            builder.build().expect("the client builds")
        }

        /// A value of `T` from the JSON the test chose.
        #[allow(dead_code)]
        fn arg<T: serde::de::DeserializeOwned>(json: &str) -> T {
            serde_json::from_str(json).unwrap_or_else(|e| panic!("the test's argument {json} doesn't decode: {e}"))
        }

        /// Passes on the success type; a request the mock refused fails with its violations. An
        /// answer that doesn't decode, where the document's example answer is `invalid` and the
        /// mock answers with examples (`WIRE_TEST_MODE` is not `dynamic`), fails as expected.
        fn check<T: std::fmt::Debug, E>(result: Result<T, rt::Error<E>>, invalid: Option<&str>) {
            let e = match result {
                Ok(_) => return,
                Err(e) => e,
            };
            // Prism names what it refused in `sl-violations`, or in a problem document of its own.
            if let Some(api) = e.api_error() {
                let prism = api.json.as_ref().and_then(|j| j.get("type")).and_then(|t| t.as_str())
                    .is_some_and(|t| t.contains("stoplight.io/prism/errors"));
                if let Some(v) = api.headers.get("sl-violations") {
                    panic!("REJECTED: the mock refused the request: {}", String::from_utf8_lossy(v.as_bytes()));
                }
                if prism && api.status.as_u16() != 500 {
                    let why = api.json.as_ref().and_then(|j| j.get("validation")).map(|v| v.to_string());
                    panic!("REJECTED: the mock refused the request ({}): {}", api.status,
                        why.unwrap_or_else(|| String::from_utf8_lossy(&api.body).into_owned()));
                }
            }
            if matches!(e, rt::Error::Decode { .. }) {
                if let Some(why) = invalid.filter(|_| std::env::var("WIRE_TEST_MODE").as_deref() != Ok("dynamic")) {
                    panic!("INVALID-EXAMPLE: {why}; {e}");
                }
                panic!("UNDECODED: {e}");
            }
            panic!("FAILED: {e}");
        }

        #(#tests)*
    };
    let file: syn::File = syn::parse2(tokens).unwrap_or_else(|e| {
        panic!("ferrospec-codegen emitted invalid wire tests ({e}); please report this with the document")
    });
    format!(
        "// @generated by ferrospec-codegen: one test per operation, run against a mock server of the\n// document: `WIRE_TEST_BASE_URL=http://127.0.0.1:4010 cargo test --test wire -- --ignored`.\n// Deprecated operations are called too.\n#![allow(deprecated)]\n\n{}",
        crate::emit::format::items(file.items)
    )
}

/// The call of operation `index` through the client as a user writes it
/// (`client.issues().create(..).body(..)`), its arguments from the document's examples or from
/// values made to satisfy its schemas, each written by `value`.
pub(crate) fn call(
    api: &Api,
    raw: &Value,
    index: usize,
    client: TokenStream,
    check: &mut Checker,
    value: fn(&Api, &TypeRef, &Value) -> TokenStream,
) -> TokenStream {
    let op = &api.operations[index];
    let mut call = client;
    for r in resource_path(&api.resources, index).unwrap_or_default() {
        let r = value_ident(&r);
        call = quote!(#call.#r());
    }
    let method = value_ident(&op.method_name);
    let op_ptr = op.pointer.strip_prefix('#').unwrap_or(&op.pointer);
    // The request body's value, chosen once: the arguments and the setters take from it.
    let body = op
        .body
        .as_ref()
        .map(|b| body_value(raw, op_ptr, Some(&b.content_type), check))
        .unwrap_or(Value::Null);
    let args = arg_sources(op)
        .into_iter()
        .map(|a| match a {
            ArgSource::Param(p) => {
                let v = param_value(raw, op_ptr, &p.wire_name, p.location, check);
                value(api, &p.ty, &v)
            }
            ArgSource::BodyField(f) => {
                let wire = op
                    .body
                    .as_ref()
                    .and_then(|b| type_field_wire(api, &b.ty, &f.field))
                    .unwrap_or_else(|| f.field.clone());
                value(api, &f.ty, body.get(&wire).unwrap_or(&Value::Null))
            }
            ArgSource::Body(b) => {
                // Raw bytes or text: the schema's string (a `format: byte` one is base64 text).
                let text = body.as_str().unwrap_or("wire test");
                match b.kind {
                    BodyKind::Bytes => {
                        let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
                        quote!(rt::Bytes::from_static(#bytes))
                    }
                    BodyKind::Text => quote!(#text),
                    _ => value(api, &b.ty, &body),
                }
            }
        })
        .collect::<Vec<_>>();
    // Optional body fields the chosen body value has (a member of an `anyOf` that requires
    // one of them), through their setters.
    let mut setters = Vec::new();
    if let Some(b) = op.body.as_ref().filter(|b| crate::emit::builders::flattened(b)) {
        for f in b.fields.iter().filter(|f| !f.required) {
            let wire = type_field_wire(api, &b.ty, &f.field).unwrap_or_else(|| f.field.clone());
            let Some(v) = body.get(&wire).filter(|v| !v.is_null()) else { continue };
            let inner = match f.ty.unwrap_option() {
                TypeRef::Option(inner) => &**inner,
                other => other,
            };
            let m = value_ident(&f.method);
            let v = value(api, inner, v);
            setters.push(quote!(.#m(#v)));
        }
    }
    quote!(#call.#method(#(#args),*)#(#setters)*)
}

/// The resource accessors that lead to operation `index`.
pub(crate) fn resource_path(r: &Resource, index: usize) -> Option<Vec<String>> {
    if r.operations.contains(&index) {
        return Some(Vec::new());
    }
    r.children.iter().find_map(|c| {
        resource_path(c, index).map(|mut rest| {
            rest.insert(0, c.name.clone());
            rest
        })
    })
}

/// The wire name of field `field` of the struct `ty` names.
fn type_field_wire(api: &Api, ty: &TypeRef, field: &str) -> Option<String> {
    let name = ty.direct_named()?;
    api.types.iter().find(|t| t.name == name).and_then(|t| match &t.kind {
        crate::ir::TypeKind::Struct(s) => {
            s.fields.iter().find(|f| f.name == field).map(|f| f.wire_name.clone())
        }
        _ => None,
    })
}

/// The expression that passes `value` as an argument of type `t`.
fn typed(api: &Api, t: &TypeRef, value: &Value) -> TokenStream {
    match t {
        TypeRef::Binary => quote!(rt::FilePart::new(&b"wire test"[..]).file_name("wire.txt")),
        TypeRef::Vec(inner) if **inner == TypeRef::Binary => {
            quote!(vec![rt::FilePart::new(&b"wire test"[..]).file_name("wire.txt")])
        }
        TypeRef::Box(inner) => typed(api, inner, value),
        other => {
            let rust = ty(other, Scope::outside(api));
            let json = crate::examples::raw_string(&value.to_string());
            quote!(arg::<#rust>(#json))
        }
    }
}

/// Whether an example matches its schema (always, without the `validate` feature).
pub(crate) struct Checker {
    #[cfg(feature = "validate")]
    validator: crate::examples::validate::Validator,
}

impl Checker {
    pub(crate) fn new(_raw: &Value) -> Checker {
        Checker {
            #[cfg(feature = "validate")]
            validator: crate::examples::validate::Validator::new(_raw),
        }
    }

    fn valid(&mut self, schema: &str, value: &Value) -> bool {
        self.why_invalid(schema, Direction::Request, value).is_none()
    }

    fn why_invalid(&mut self, _schema: &str, _direction: Direction, _value: &Value) -> Option<String> {
        #[cfg(feature = "validate")]
        return self.validator.check(_schema, _direction, _value).err();
        #[cfg(not(feature = "validate"))]
        None
    }
}

/// Why the example of the operation's first JSON success response doesn't match its schema
/// (`None` when it does, or there is none).
fn invalid_answer_example(raw: &Value, op_ptr: &str, check: &mut Checker) -> Option<String> {
    for status in crate::examples::success_statuses(raw, op_ptr) {
        let Some((resp_ptr, resp)) = crate::examples::resolve(raw, &format!("{op_ptr}/responses/{status}"))
        else {
            continue;
        };
        let Some(Value::Object(content)) = resp.get("content") else { continue };
        let Some((ct, media)) = content.iter().find(|(ct, _)| crate::media::is_json(ct)) else { continue };
        let example = media.get("example").cloned().or_else(|| first_example(raw, media))?;
        let schema = format!("{}/schema", child(&format!("{resp_ptr}/content"), ct));
        return check.why_invalid(&schema, Direction::Response, &example);
    }
    None
}

/// The operation's parameters, then its path item's, each resolved: (pointer, parameter).
fn parameters<'r>(raw: &'r Value, op_ptr: &str) -> Vec<(String, &'r Value)> {
    let item_ptr = op_ptr.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    let mut out = Vec::new();
    for list in [format!("{op_ptr}/parameters"), format!("{item_ptr}/parameters")] {
        let Some(Value::Array(params)) = raw.pointer(&list) else { continue };
        out.extend((0..params.len()).filter_map(|i| crate::examples::resolve(raw, &format!("{list}/{i}"))));
    }
    out
}

/// The names of the operation's required `Authorization` header parameters (its own or its
/// path item's).
fn authorization_params(raw: &Value, op_ptr: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, p) in parameters(raw, op_ptr) {
        let Some(name) = p.get("name").and_then(Value::as_str) else { continue };
        if name.eq_ignore_ascii_case("authorization")
            && p.get("in").and_then(Value::as_str) == Some("header")
            && p.get("required").and_then(Value::as_bool) == Some(true)
            && !names.iter().any(|n| n.eq_ignore_ascii_case(name))
        {
            names.push(name.to_string());
        }
    }
    names
}

/// A parameter's value: its example if it matches the schema, else one made from the schema.
fn param_value(raw: &Value, op_ptr: &str, name: &str, location: ParamLocation, check: &mut Checker) -> Value {
    let wanted = match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let found = parameters(raw, op_ptr).into_iter().find(|(_, p)| {
        p.get("name").and_then(Value::as_str) == Some(name)
            && p.get("in").and_then(Value::as_str) == Some(wanted)
    });
    let Some((ptr, p)) = found else { return json!("wire") };
    let schema_ptr = match p.get("schema") {
        Some(_) => format!("{ptr}/schema"),
        None => match p.get("content").and_then(Value::as_object).and_then(|c| c.keys().next()) {
            Some(ct) => child(&child(&format!("{ptr}/content"), ct), "schema"),
            None => return json!("wire"),
        },
    };
    let examples = [p.get("example").cloned(), first_example(raw, p)];
    for e in examples.into_iter().flatten() {
        if check.valid(&schema_ptr, &e) {
            return e;
        }
    }
    let v = sample(raw, &schema_ptr, check, 0);
    text_unambiguous(raw, &schema_ptr, v, check)
}

/// A parameter travels as text, and the text of a number or boolean is a string too: for a
/// `oneOf` with a string member (GitHub's workflow id, a number or a file name) such a value
/// matches two members, which the letter forbids, so the string member's value is taken.
fn text_unambiguous(raw: &Value, schema_ptr: &str, v: Value, check: &mut Checker) -> Value {
    if !(v.is_number() || v.is_boolean()) {
        return v;
    }
    let Some((ptr, s)) = crate::examples::resolve(raw, schema_ptr) else { return v };
    let Some(Value::Array(members)) = s.get("oneOf") else { return v };
    for i in 0..members.len() {
        let member = format!("{ptr}/oneOf/{i}");
        let is_string = crate::examples::resolve(raw, &member)
            .is_some_and(|(_, m)| m.get("type").and_then(Value::as_str) == Some("string"));
        if is_string {
            let text = sample(raw, &member, check, 1);
            if text.is_string() && text.as_str().is_some_and(|t| t.parse::<f64>().is_err()) {
                return text;
            }
        }
    }
    v
}

/// The request body's value: its example if it matches the schema, else one made from it.
fn body_value(raw: &Value, op_ptr: &str, content_type: Option<&str>, check: &mut Checker) -> Value {
    let Some((rb_ptr, _)) = crate::examples::resolve(raw, &format!("{op_ptr}/requestBody")) else {
        return Value::Null;
    };
    let Some(ct) = content_type else { return Value::Null };
    let media_ptr = child(&format!("{rb_ptr}/content"), ct);
    let Some(media) = raw.pointer(&media_ptr) else { return Value::Null };
    let schema_ptr = format!("{media_ptr}/schema");
    let examples = [media.get("example").cloned(), first_example(raw, media)];
    for e in examples.into_iter().flatten() {
        if check.valid(&schema_ptr, &e) {
            return e;
        }
    }
    sample(raw, &schema_ptr, check, 0)
}

/// The first of `examples` (a map of Example objects, maybe `$ref`s).
fn first_example(raw: &Value, holder: &Value) -> Option<Value> {
    let first = holder.get("examples")?.as_object()?.values().next()?;
    match first.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(r) => raw.pointer(r)?.get("value").cloned(),
        None => first.get("value").cloned(),
    }
}

/// A value that satisfies the schema at `pointer` (without `#`), as far as a simple reading
/// of it can tell: its example, `default`, first `enum` value or `const`, else one built from
/// its type, format, bounds and required properties.
fn sample(raw: &Value, pointer: &str, check: &mut Checker, depth: usize) -> Value {
    let Some((pointer, s)) = crate::examples::resolve(raw, pointer) else { return Value::Null };
    if depth > 12 {
        return Value::Null;
    }
    for key in ["example", "default", "const"] {
        if let Some(v) = s.get(key) {
            if check.valid(&pointer, v) {
                return v.clone();
            }
        }
    }
    if let Some(v) = s.get("enum").and_then(Value::as_array).and_then(|e| e.iter().find(|v| !v.is_null())) {
        return v.clone();
    }
    if let Some(Value::Array(members)) = s.get("allOf") {
        let mut merged = Map::new();
        for i in 0..members.len() {
            match sample(raw, &format!("{pointer}/allOf/{i}"), check, depth + 1) {
                Value::Object(m) => merged.extend(m),
                other if members.len() == 1 => return other,
                _ => {}
            }
        }
        if let Value::Object(own) = object_sample(raw, &pointer, s, check, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = s.get(key) {
            // The first member whose value the whole schema accepts (a value two members of a
            // `oneOf` accept is refused); null members last.
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by_key(|i| members[*i].get("type").and_then(Value::as_str) == Some("null"));
            let mut first = None;
            for i in order {
                // A member that only says which of the properties beside it are required.
                let constraint = members[i].as_object().is_some_and(|m| {
                    m.keys().all(|k| matches!(k.as_str(), "required" | "description" | "title"))
                });
                let mut v = if constraint && s.get("properties").is_some() {
                    let extra: Vec<&str> = members[i]["required"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    object_sample_requiring(raw, &pointer, s, &extra, check, depth)
                } else {
                    sample(raw, &format!("{pointer}/{key}/{i}"), check, depth + 1)
                };
                // Properties beside the union hold too.
                if let (Value::Object(m), Value::Object(own)) =
                    (&mut v, object_sample(raw, &pointer, s, check, depth))
                {
                    m.extend(own);
                }
                // The discriminator names the member, whatever else the value would match.
                if let (Value::Object(m), Some((property, tag))) =
                    (&mut v, discriminator_tag(raw, s, &members[i]))
                {
                    m.insert(property, Value::String(tag));
                }
                if check.valid(&pointer, &v) {
                    return v;
                }
                first.get_or_insert(v);
            }
            return first.unwrap_or(Value::Null);
        }
    }
    let typ = s.get("type").and_then(Value::as_str).or_else(|| {
        if s.get("properties").is_some() || s.get("additionalProperties").is_some() {
            Some("object")
        } else if s.get("items").is_some() {
            Some("array")
        } else {
            None
        }
    });
    match typ {
        Some("object") => object_sample(raw, &pointer, s, check, depth),
        Some("array") => {
            let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1) as usize;
            let item = if s.get("items").is_some() {
                sample(raw, &format!("{pointer}/items"), check, depth + 1)
            } else {
                json!("wire")
            };
            Value::Array(vec![item; n.min(8)])
        }
        Some("integer") => {
            let n = number(s).round() as i64;
            json!(n)
        }
        Some("number") => json!(number(s)),
        Some("boolean") => json!(true),
        Some("null") => Value::Null,
        _ => string_sample(s),
    }
}

/// The discriminator property of union `s` and the value that names `member` (a `$ref`): the
/// mapping's key for it, else the one value the member allows the property (a one-value
/// `enum` or `const`), else the schema's own name.
fn discriminator_tag(raw: &Value, s: &Value, member: &Value) -> Option<(String, String)> {
    let d = s.get("discriminator")?;
    let property = d.get("propertyName")?.as_str()?.to_string();
    let target = member.get("$ref")?.as_str()?;
    let name = target.rsplit('/').next()?;
    let mapped = d
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().find(|(_, v)| v.as_str().is_some_and(|v| v == target || v == name)));
    if let Some((key, _)) = mapped {
        return Some((property, key.clone()));
    }
    let fixed = crate::examples::resolve(raw, target.strip_prefix('#')?)
        .and_then(|(_, m)| m.get("properties")?.get(&property).cloned())
        .and_then(|p| match (p.get("const"), p.get("enum").and_then(Value::as_array)) {
            (Some(Value::String(c)), _) => Some(c.clone()),
            (None, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_string),
            _ => None,
        });
    Some((property, fixed.unwrap_or_else(|| name.to_string())))
}

fn object_sample(raw: &Value, pointer: &str, s: &Value, check: &mut Checker, depth: usize) -> Value {
    object_sample_requiring(raw, pointer, s, &[], check, depth)
}

/// The object's required properties, and `extra` ones, each with a value.
fn object_sample_requiring(
    raw: &Value,
    pointer: &str,
    s: &Value,
    extra: &[&str],
    check: &mut Checker,
    depth: usize,
) -> Value {
    let mut out = Map::new();
    let mut required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    required.extend(extra);
    if let Some(Value::Object(props)) = s.get("properties") {
        for (k, p) in props {
            let read_only = p.get("readOnly").and_then(Value::as_bool) == Some(true);
            if required.contains(&k.as_str()) && !read_only {
                let at = child(&format!("{pointer}/properties"), k);
                out.insert(k.clone(), sample(raw, &at, check, depth + 1));
            }
        }
    }
    Value::Object(out)
}

/// A number within the schema's bounds (and a multiple of `multipleOf` where one is given).
fn number(s: &Value) -> f64 {
    let get = |k: &str| s.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
    let step = get("multipleOf").filter(|m| *m > 0.0).unwrap_or(1.0);
    let mut n = match (get("minimum"), get("maximum")) {
        (Some(min), _) => min + if exclusive("exclusiveMinimum") { step } else { 0.0 },
        (None, Some(max)) if max < 1.0 => max - if exclusive("exclusiveMaximum") { step } else { 0.0 },
        _ => 1.0,
    };
    if let Some(min) = get("exclusiveMinimum") {
        n = n.max(min + step);
    }
    if let Some(max) = get("exclusiveMaximum") {
        n = n.min(max - step);
    }
    (n / step).ceil() * step
}

fn string_sample(s: &Value) -> Value {
    #[cfg(feature = "validate")]
    {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        if let Some(text) = s.get("pattern").and_then(Value::as_str).and_then(|p| pattern_sample(p, min)) {
            return Value::String(text);
        }
    }
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let text = match format {
        "date-time" => "2024-01-02T03:04:05Z".to_string(),
        "date" => "2024-01-02".to_string(),
        "time" => "03:04:05Z".to_string(),
        "uuid" => "5f8c3a0e-8d1e-4a55-9c1b-0f6b7e2d4a11".to_string(),
        "email" => "user@example.com".to_string(),
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/".to_string(),
        "hostname" => "example.com".to_string(),
        "ipv4" => "192.0.2.1".to_string(),
        "ipv6" => "2001:db8::1".to_string(),
        "byte" => "d2lyZQ==".to_string(),
        _ => "wire".to_string(),
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
    let mut text = text;
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text = text.chars().take(max).collect();
    }
    Value::String(text)
}

/// A short string the regular expression `pattern` matches (a whole match, so it also holds
/// where JSON Schema reads the pattern unanchored), at least `min_len` characters long where a
/// repetition can stretch that far (a `minLength` beside the pattern), or `None` for one this
/// can't read.
#[cfg(feature = "validate")]
fn pattern_sample(pattern: &str, min_len: usize) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    /// `extra`: characters still wanted; the first repetitions that may repeat more take them.
    fn walk(h: &Hir, out: &mut String, extra: &mut usize) -> Option<()> {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
            HirKind::Class(Class::Unicode(c)) => {
                // A lowercase letter or digit where the class has one, else its first character.
                let ranges = c.ranges();
                let pick = ('a'..='z')
                    .chain('0'..='9')
                    .find(|ch| ranges.iter().any(|r| (r.start()..=r.end()).contains(ch)));
                out.push(pick.or_else(|| ranges.first().map(|r| r.start()))?);
            }
            HirKind::Class(Class::Bytes(c)) => out.push(char::from(c.ranges().first()?.start())),
            HirKind::Repetition(r) => {
                for _ in 0..r.min.min(64) {
                    walk(&r.sub, out, extra)?;
                }
                let mut n = r.min;
                while *extra > 0 && r.max.is_none_or(|m| n < m) && n < 4096 {
                    let before = out.chars().count();
                    walk(&r.sub, out, &mut 0)?;
                    let added = out.chars().count() - before;
                    if added == 0 {
                        break;
                    }
                    *extra = extra.saturating_sub(added);
                    n += 1;
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out, extra)?,
            HirKind::Concat(hs) => hs.iter().try_for_each(|h| walk(h, out, extra))?,
            HirKind::Alternation(hs) => walk(hs.first()?, out, extra)?,
        }
        Some(())
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    // The shortest match first, to learn how many characters are missing.
    let mut out = String::new();
    walk(&hir, &mut out, &mut 0)?;
    let short = out.chars().count();
    if short < min_len {
        out.clear();
        walk(&hir, &mut out, &mut (min_len - short))?;
    }
    Some(out)
}

#[cfg(all(test, feature = "validate"))]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_a_string_they_match() {
        for p in [
            "^AC[0-9a-fA-F]{32}$",
            r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+))?$",
            r"^[\w\d+\/=]*$",
            "^[a-z]+(-[a-z]+)*$",
        ] {
            let text = pattern_sample(p, 0).unwrap_or_else(|| panic!("{p}"));
            let re = regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
            assert!(!text.is_empty() || re.properties().minimum_len() == Some(0), "{p}: {text:?}");
        }
        assert_eq!(pattern_sample("^AC[0-9a-fA-F]{2}$", 0).as_deref(), Some("ACaa"));
        assert_eq!(pattern_sample("^v[0-9]+$", 0).as_deref(), Some("v0"));
        // GitHub's commit SHA: `minLength: 40` beside `^[0-9a-fA-F]+$`.
        assert_eq!(pattern_sample("^[0-9a-fA-F]+$", 40), Some("a".repeat(40)));
        assert_eq!(
            pattern_sample("^v[0-9]{1,3}$", 10).as_deref(),
            Some("v000"),
            "bounded: as far as it goes"
        );
    }

    /// A member that accepts the other member's tag too (kratos' recovery body): the value made
    /// carries the tag of the member it was made from, so a client that reads the discriminator
    /// reads it as that member.
    #[test]
    fn a_discriminated_member_is_made_with_its_own_tag() {
        let raw = json!({"components": {"schemas": {
            "Body": {
                "oneOf": [{"$ref": "#/components/schemas/Link"}, {"$ref": "#/components/schemas/Code"}],
                "discriminator": {"propertyName": "method", "mapping": {
                    "link": "#/components/schemas/Link", "code": "#/components/schemas/Code"}}
            },
            "Link": {"type": "object", "required": ["email", "method"], "properties": {
                "email": {"type": "string"}, "method": {"type": "string", "enum": ["link", "code"]}}},
            "Code": {"type": "object", "required": ["method"], "properties": {
                "code": {"type": "string"}, "method": {"type": "string", "enum": ["link", "code"]}}}
        }}});
        let mut check = Checker::new(&raw);
        let v = sample(&raw, "/components/schemas/Body", &mut check, 0);
        match v["method"].as_str() {
            Some("link") => assert!(v.get("email").is_some(), "{v}"),
            Some("code") => {}
            _ => panic!("no tag: {v}"),
        }
        assert!(check.valid("/components/schemas/Body", &v), "{v}");
        // No mapping: the value the member fixes its tag to (OpenAI's `type: message`), not
        // the schema's name.
        let raw = json!({"components": {"schemas": {
            "Item": {"oneOf": [{"$ref": "#/components/schemas/Message"}], "discriminator": {"propertyName": "type"}},
            "Message": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["message"]}}}
        }}});
        let v = sample(&raw, "/components/schemas/Item", &mut Checker::new(&raw), 0);
        assert_eq!(v, json!({"type": "message"}));
    }

    /// GitHub's workflow id, `oneOf [integer, string]` in the path: `1` is text that both
    /// members match, so the test sends a string.
    #[test]
    fn a_parameter_value_matches_one_member_as_text() {
        let raw = json!({"paths": {"/w/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": true,
             "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}
        ]}}}});
        let mut check = Checker::new(&raw);
        let v = param_value(&raw, "/paths/~1w~1{id}/get", "id", ParamLocation::Path, &mut check);
        assert!(v.as_str().is_some_and(|t| t.parse::<f64>().is_err()), "{v}");
    }
}
