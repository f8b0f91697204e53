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
use crate::sample::Sampler;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Value};

/// The text of `tests/wire.rs` for `api` (its document parsed as `raw`); `krate` is the crate's
/// name as Rust writes it.
pub fn tests_file(api: &Api, raw: &Value, krate: &str) -> String {
    let krate_id = format_ident!("{}", krate);
    let mut names = NameScope::new();
    names.reserve(["client", "arg", "check"]);
    let mut sampler = Sampler::plain(raw);
    let tests = api.operations.iter().enumerate().map(|(i, op)| {
        let name = format_ident!("{}", names.claim(&crate::ident::snake(&op.id)));
        let pointer = format!(" {}", op.pointer);
        let op_ptr = op.pointer.strip_prefix('#').unwrap_or(&op.pointer);
        let call = call(api, raw, i, quote!(client), &mut sampler, typed);
        // Prism's static answer is the success response's example: one that doesn't match its
        // schema is expected not to decode, and the test says so.
        let invalid = match invalid_answer_example(raw, op_ptr, &mut sampler) {
            Some(why) => {
                let why = format!("the document's example answer doesn't match its schema: {why}");
                quote!(Some(#why))
            }
            None => quote!(None),
        };
        // A required `Authorization` header parameter isn't an argument (OpenAPI says it is
        // ignored): a user sends it with the client's headers, and so does the test.
        let headers = authorization_params(raw, op_ptr).into_iter().map(|name| {
            let v = param_value(raw, op_ptr, &name, ParamLocation::Header, &mut sampler);
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
    sampler: &mut Sampler,
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
        .map(|b| body_value(raw, op_ptr, Some(&b.content_type), sampler))
        .unwrap_or(Value::Null);
    let args = arg_sources(op)
        .into_iter()
        .map(|a| match a {
            ArgSource::Param(p) => {
                let v = param_value(raw, op_ptr, &p.wire_name, p.location, sampler);
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

/// Why the example of the operation's first JSON success response doesn't match its schema
/// (`None` when it does, or there is none).
fn invalid_answer_example(raw: &Value, op_ptr: &str, sampler: &mut Sampler) -> Option<String> {
    for status in crate::examples::success_statuses(raw, op_ptr) {
        let Some((resp_ptr, resp)) = crate::examples::resolve(raw, &format!("{op_ptr}/responses/{status}"))
        else {
            continue;
        };
        let Some(Value::Object(content)) = resp.get("content") else { continue };
        let Some((ct, media)) = content.iter().find(|(ct, _)| crate::media::is_json(ct)) else { continue };
        let example = media.get("example").cloned().or_else(|| first_example(raw, media))?;
        let schema = format!("{}/schema", child(&format!("{resp_ptr}/content"), ct));
        return sampler.check.why_invalid(&schema, Direction::Response, &example);
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
fn param_value(
    raw: &Value,
    op_ptr: &str,
    name: &str,
    location: ParamLocation,
    sampler: &mut Sampler,
) -> Value {
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
        if sampler.valid(&schema_ptr, &e) {
            return e;
        }
    }
    let v = sampler.sample(&schema_ptr);
    text_unambiguous(raw, &schema_ptr, v, sampler)
}

/// A parameter travels as text, and the text of a number or boolean is a string too: for a
/// `oneOf` with a string member (GitHub's workflow id, a number or a file name) such a value
/// matches two members, which the letter forbids, so the string member's value is taken.
fn text_unambiguous(raw: &Value, schema_ptr: &str, v: Value, sampler: &mut Sampler) -> Value {
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
            let text = sampler.sample(&member);
            if text.is_string() && text.as_str().is_some_and(|t| t.parse::<f64>().is_err()) {
                return text;
            }
        }
    }
    v
}

/// The request body's value: its example if it matches the schema, else one made from it.
fn body_value(raw: &Value, op_ptr: &str, content_type: Option<&str>, sampler: &mut Sampler) -> Value {
    let Some((rb_ptr, _)) = crate::examples::resolve(raw, &format!("{op_ptr}/requestBody")) else {
        return Value::Null;
    };
    let Some(ct) = content_type else { return Value::Null };
    let media_ptr = child(&format!("{rb_ptr}/content"), ct);
    let Some(media) = raw.pointer(&media_ptr) else { return Value::Null };
    let schema_ptr = format!("{media_ptr}/schema");
    let examples = [media.get("example").cloned(), first_example(raw, media)];
    for e in examples.into_iter().flatten() {
        if sampler.valid(&schema_ptr, &e) {
            return e;
        }
    }
    sampler.sample(&schema_ptr)
}

/// The first of `examples` (a map of Example objects, maybe `$ref`s).
fn first_example(raw: &Value, holder: &Value) -> Option<Value> {
    let first = holder.get("examples")?.as_object()?.values().next()?;
    match first.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(r) => raw.pointer(r)?.get("value").cloned(),
        None => first.get("value").cloned(),
    }
}

#[cfg(all(test, feature = "validate"))]
mod tests {
    use super::*;

    /// GitHub's workflow id, `oneOf [integer, string]` in the path: `1` is text that both
    /// members match, so the test sends a string.
    #[test]
    fn a_parameter_value_matches_one_member_as_text() {
        let raw = json!({"paths": {"/w/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "required": true,
             "schema": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}
        ]}}}});
        let mut sampler = Sampler::plain(&raw);
        let v = param_value(&raw, "/paths/~1w~1{id}/get", "id", ParamLocation::Path, &mut sampler);
        assert!(v.as_str().is_some_and(|t| t.parse::<f64>().is_err()), "{v}");
    }
}
