//! The `builders` module: one request builder per operation. Required values were taken as
//! arguments by the resource method; optional ones are setters; `send` runs the request through
//! the runtime, which owns retries, timeouts, errors and decoding.
//!
//! Every builder method is `#[inline]`: rustc then compiles an operation's request code, and the
//! serde code of its response type, only in the crates that call it, as it does for generics.
//! A client of 200 operations no longer compiles all 200 for a program that uses three.

use super::doc;
use super::tyref::{arg, ident, ty, value_ident, Scope};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

pub fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let builders = api.operations.iter().map(|op| emit_builder(api, op));
    let mut pages = BTreeSet::new();
    let page_impls: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref())
        .filter(|p| pages.insert(p.page.clone()))
        .map(|p| emit_page_impl(api, p))
        .collect();
    let mut multipart = BTreeSet::new();
    let multipart_impls: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .filter(|b| b.kind == BodyKind::Multipart)
        .filter_map(|b| match &b.ty {
            TypeRef::Named(n) if multipart.insert(n.clone()) => Some(emit_multipart_impl(api, n)),
            _ => None,
        })
        .collect();
    quote! {
        /// Request builders, one per operation: set optional values, then `.send().await`.
        pub mod builders {
            #[allow(unused_imports)]
            use super::types;
            #[allow(unused_imports)]
            use #runtime as rt;
            #[allow(unused_imports)]
            use #runtime::__private as internal;
            #(#builders)*
            #(#page_impls)*
            #(#multipart_impls)*
        }
    }
}

/// Cookie and header parameters often carry credentials (a session cookie, a token): builders
/// keep them in `rt::Secret`, which `Debug` never shows.
fn is_secret(p: &Param) -> bool {
    matches!(p.location, ParamLocation::Cookie | ParamLocation::Header)
}

/// The type a builder stores for a parameter (without the `Option` of optional ones).
fn param_storage(api: &Api, p: &Param) -> TokenStream {
    let t = ty(&p.ty, Scope::outside(api));
    if is_secret(p) {
        quote!(rt::Secret<#t>)
    } else {
        t
    }
}

fn secret_wrap(p: &Param, value: TokenStream) -> TokenStream {
    if is_secret(p) {
        quote!(rt::Secret::new(#value))
    } else {
        value
    }
}

/// The type a builder stores for the body.
fn body_storage(api: &Api, b: &Body) -> TokenStream {
    let t = match b.kind {
        BodyKind::Bytes => quote!(rt::Bytes),
        BodyKind::Text => quote!(String),
        _ => ty(&b.ty, Scope::outside(api)),
    };
    if b.required {
        t
    } else {
        quote!(Option<#t>)
    }
}

/// Whether the body's fields are offered one by one (a required object body).
pub fn flattened(b: &Body) -> bool {
    b.required && !b.fields.is_empty()
}

/// The arguments the resource method takes, in order: path parameters in path order, other
/// required parameters, then the required body (or its required fields); and the expressions
/// that convert them into the builder constructor's arguments.
pub struct Args {
    pub params: Vec<TokenStream>,
    pub conversions: Vec<TokenStream>,
}

fn ordered_required(op: &Operation) -> Vec<&Param> {
    let mut ordered: Vec<&Param> = op.path_params().collect();
    ordered.extend(op.params.iter().filter(|p| p.required && p.location != ParamLocation::Path));
    ordered
}

/// One argument of an operation's resource method.
pub(crate) enum ArgSource<'o> {
    Param(&'o Param),
    BodyField(&'o BodyField),
    Body(&'o Body),
}

/// What the resource method's arguments are, in order (see [`required_args`]).
pub(crate) fn arg_sources(op: &Operation) -> Vec<ArgSource<'_>> {
    let mut out: Vec<ArgSource> = ordered_required(op).into_iter().map(ArgSource::Param).collect();
    if let Some(b) = &op.body {
        if flattened(b) {
            out.extend(b.fields.iter().filter(|f| f.required).map(ArgSource::BodyField));
        } else if b.required {
            out.push(ArgSource::Body(b));
        }
    }
    out
}

pub fn required_args(api: &Api, op: &Operation) -> Args {
    let (mut params, mut conversions) = (Vec::new(), Vec::new());
    for a in arg_sources(op) {
        let (name, t) = match a {
            ArgSource::Param(p) => (&p.name, &p.ty),
            ArgSource::BodyField(f) => (&f.method, &f.ty),
            ArgSource::Body(b) => match b.kind {
                BodyKind::Bytes => {
                    params.push(quote!(body: impl Into<rt::Bytes>));
                    conversions.push(quote!(body.into()));
                    continue;
                }
                BodyKind::Text => {
                    params.push(quote!(body: impl Into<String>));
                    conversions.push(quote!(body.into()));
                    continue;
                }
                _ => (&String::from("body"), &b.ty),
            },
        };
        let name = value_ident(name);
        let (aty, conv) = arg(t, &name, Scope::outside(api));
        params.push(quote!(#name: #aty));
        conversions.push(conv);
    }
    Args { params, conversions }
}

fn op_doc(op: &Operation) -> Option<String> {
    let text = doc::join(op.summary.as_deref(), op.description.as_deref());
    let line = format!("`{} {}`", op.http_method.as_str(), op.path);
    Some(match text {
        Some(t) => format!("{t}\n\n{line}"),
        None => line,
    })
}

/// The builder's docs: the operation's, then the document's examples of the body and answer.
fn builder_doc_attrs(op: &Operation) -> TokenStream {
    let mut text = op_doc(op).unwrap_or_default();
    // Long examples (GitHub's run to hundreds of lines) would bury the docs and bloat the code.
    const MAX_LINES: usize = 40;
    let mut example = |title: &str, value: Option<&serde_json::Value>| {
        if let Some(v) = value {
            let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
            if pretty.lines().count() <= MAX_LINES {
                text.push_str(&format!("\n\n# {title}\n\n```json\n{pretty}\n```"));
            }
        }
    };
    example("Example request body", op.body.as_ref().and_then(|b| b.example.as_ref()));
    example("Example response", op.response.example.as_ref());
    doc::attrs(Some(&text))
}

/// The resource method's docs: the operation's, then its arguments with their descriptions.
pub fn method_doc_attrs(api: &Api, op: &Operation) -> TokenStream {
    let mut lines = Vec::new();
    let mut add = |name: &str, text: Option<&str>| {
        let name = name.trim_start_matches("r#");
        lines.push(match text.map(one_paragraph).filter(|t| !t.is_empty()) {
            Some(t) => format!("- `{name}`: {t}"),
            None => format!("- `{name}`"),
        });
    };
    for p in ordered_required(op) {
        add(&p.name, p.doc.as_deref());
    }
    if let Some(b) = &op.body {
        if flattened(b) {
            for f in b.fields.iter().filter(|f| f.required) {
                add(&f.method, f.doc.as_deref());
            }
        } else if b.required {
            add("body", b.doc.as_deref());
        }
    }
    let mut text = match (op_doc(op), lines.is_empty()) {
        (Some(d), false) => format!("{d}\n\n# Arguments\n\n{}", lines.join("\n")),
        (d, _) => d.unwrap_or_default(),
    };
    if let Some(credentials) = credentials_doc(api, op) {
        text = format!("{text}\n\n# Credentials\n\n{credentials}").trim_start().to_string();
    }
    doc::attrs(Some(&text))
}

/// Which credentials the call sends, when operations differ in that (an API whose operations
/// all need the same credentials says so once, on the client builder).
fn credentials_doc(api: &Api, op: &Operation) -> Option<String> {
    if api.operations.iter().all(|o| o.security == op.security) {
        return None;
    }
    let setters = |alternative: &[SchemeRef]| -> String {
        let names: Vec<String> =
            alternative.iter().map(|r| format!("`{}`", api.security_schemes[r.scheme].setter)).collect();
        match names.split_last() {
            None => "nothing (no credentials needed)".to_string(),
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
        }
    };
    Some(match op.security.as_slice() {
        alternatives if alternatives.iter().all(Vec::is_empty) => "Sends no credentials.".to_string(),
        [only] if only.len() == 1 => {
            format!("Sends the credential set with {} on the client builder.", setters(only.as_slice()))
        }
        [only] => {
            format!("Sends the credentials set with {} on the client builder.", setters(only.as_slice()))
        }
        alternatives => {
            let list: Vec<String> = alternatives.iter().map(|a| setters(a.as_slice())).collect();
            format!("Sends the first of these the client builder was given: {}.", list.join("; or "))
        }
    })
}

/// Prose of a description on one line, without code blocks (for argument lists).
fn one_paragraph(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let l = line.trim();
        if !in_fence && !l.is_empty() && l != "Example:" {
            out.push(l);
        }
    }
    out.join(" ")
}

fn emit_builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.builder);
    let docs = builder_doc_attrs(op);
    let inits = field_inits(api, op);
    let ctor_params = ctor_params(api, op);
    // Clippy counts the client too: more than seven arguments in all.
    let ctor_allow = (ctor_params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // An operation called `new` gives a builder `New` whose constructor is `New::new`.
    let ctor_allow = match op.builder.as_str() {
        "New" => quote!(#ctor_allow #[allow(clippy::self_named_constructors)]),
        _ => quote!(#ctor_allow),
    };

    // Fields.
    let mut fields = vec![quote!(client: rt::Client,)];
    for p in &op.params {
        let f = value_ident(&p.name);
        let t = param_storage(api, p);
        fields.push(if p.required { quote!(#f: #t,) } else { quote!(#f: Option<#t>,) });
    }
    if let Some(b) = &op.body {
        let t = body_storage(api, b);
        fields.push(quote!(body: #t,));
    }
    fields.push(quote!(options: rt::RequestOptions,));
    let optional_inits = op.params.iter().filter(|p| !p.required).map(|p| {
        let f = value_ident(&p.name);
        quote!(#f: None,)
    });

    // Setters for optional parameters.
    let param_setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let f = value_ident(&p.name);
        let pdoc = doc::attrs(p.doc.as_deref());
        match &p.ty {
            TypeRef::Vec(item) => {
                let it = ty(item, Scope::outside(api));
                let stored = secret_wrap(p, quote!(values.into_iter().collect()));
                quote! {
                    #pdoc
                    #[inline]
                    pub fn #f(mut self, values: impl IntoIterator<Item = #it>) -> Self {
                        self.#f = Some(#stored);
                        self
                    }
                }
            }
            t => {
                let (aty, conv) = arg(t, &format_ident!("value"), Scope::outside(api));
                let stored = secret_wrap(p, conv);
                quote! {
                    #pdoc
                    #[inline]
                    pub fn #f(mut self, value: #aty) -> Self {
                        self.#f = Some(#stored);
                        self
                    }
                }
            }
        }
    });

    // Body setters: each optional top-level field, and the whole body.
    let mut body_setters = Vec::new();
    if let Some(b) = &op.body {
        let whole = body_storage(api, b);
        let body_arg = if b.required {
            whole.clone()
        } else {
            match b.kind {
                BodyKind::Bytes => quote!(rt::Bytes),
                BodyKind::Text => quote!(String),
                _ => ty(&b.ty, Scope::outside(api)),
            }
        };
        let assign = if b.required { quote!(self.body = body;) } else { quote!(self.body = Some(body);) };
        let bdoc = doc::attrs(Some(
            b.doc.as_deref().unwrap_or("The request body, replacing any fields set before."),
        ));
        let setter = value_ident(&b.setter);
        body_setters.push(quote! {
            #bdoc
            #[inline]
            pub fn #setter(mut self, body: #body_arg) -> Self {
                #assign
                self
            }
        });
        if flattened(b) {
            for f in b.fields.iter().filter(|f| !f.required) {
                let m = value_ident(&f.method);
                let field = value_ident(&f.field);
                let fdoc = doc::attrs(f.doc.as_deref());
                // A field that may be absent or null (`Option<Option<T>>`) also gets `clear_*`.
                let (inner, three_state) = match f.ty.unwrap_option() {
                    TypeRef::Option(inner) => (&**inner, true),
                    other => (other, false),
                };
                let (aty, conv) = match inner {
                    // Lists take any iterator, as list parameters do.
                    TypeRef::Vec(item) => {
                        let it = ty(item, Scope::outside(api));
                        (quote!(impl IntoIterator<Item = #it>), quote!(value.into_iter().collect()))
                    }
                    other => arg(other, &format_ident!("value"), Scope::outside(api)),
                };
                let stored = if three_state { quote!(Some(Some(#conv))) } else { quote!(Some(#conv)) };
                body_setters.push(quote! {
                    #fdoc
                    #[inline]
                    pub fn #m(mut self, value: #aty) -> Self {
                        self.body.#field = #stored;
                        self
                    }
                });
                if three_state {
                    let clear = value_ident(&format!("clear_{}", f.method.trim_start_matches("r#")));
                    let cdoc = format!(
                        " Sends `{}: null`, clearing the value on the server.",
                        f.field.trim_start_matches("r#")
                    );
                    body_setters.push(quote! {
                        #[doc = #cdoc]
                        #[inline]
                        pub fn #clear(mut self) -> Self {
                            self.body.#field = Some(None);
                            self
                        }
                    });
                }
            }
        }
    }

    let (ret, decoder) = match &op.response.kind {
        ResponseKind::Empty => (quote!(()), quote!(internal::Empty)),
        ResponseKind::Json(t) => {
            let t = ty(t, Scope::outside(api));
            (t.clone(), quote!(internal::Json<#t>))
        }
        ResponseKind::Bytes => (quote!(rt::Bytes), quote!(internal::Raw)),
        ResponseKind::Text => (quote!(String), quote!(internal::Text)),
        // The enum decodes itself, by status.
        ResponseKind::ByStatus(b) => {
            let t = ty(&TypeRef::Named(b.name.clone()), Scope::outside(api));
            (t.clone(), t)
        }
    };

    // A failed call's error, with the documented error bodies typed: `, E` after a future's or
    // stream's item type (the runtime's default is `Undocumented`).
    let documented = op.errors.as_ref().map(|b| ty(&TypeRef::Named(b.name.clone()), Scope::outside(api)));
    let e_arg = documented.as_ref().map(|e| quote!(, #e));
    let error = match &documented {
        Some(e) => quote!(rt::Error<#e>),
        None => quote!(rt::Error),
    };
    let documented = documented.unwrap_or(quote!(rt::Undocumented));

    let path = path_expr(api, op);
    let request_params: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| request_param(api, p))
        .collect();
    let body_stmt = op.body.as_ref().map(|b| {
        let ct = &b.content_type;
        let apply = match b.kind {
            BodyKind::Json => quote!(request.json(&body)?;),
            BodyKind::Form => quote!(request.form(&body)?;),
            BodyKind::Multipart => {
                quote!(request.multipart(internal::IntoMultipart::into_multipart(body)?);)
            }
            BodyKind::Bytes => quote!(request.bytes(#ct, body);),
            BodyKind::Text => quote!(request.text(#ct, body);),
        };
        if b.required {
            quote!({ let body = self.body; #apply })
        } else {
            quote!(if let Some(body) = self.body { #apply })
        }
    });

    // A request with nothing beyond its path is never changed after it is made.
    let request_mut = (!request_params.is_empty() || body_stmt.is_some()).then(|| quote!(mut));
    let operation = operation_expr(api, op);
    let (operation_item, operation_ref) = match op.http_method {
        Method::Other(_) => (
            quote! {
                fn operation() -> &'static internal::Operation {
                    static OPERATION: std::sync::OnceLock<internal::Operation> = std::sync::OnceLock::new();
                    OPERATION.get_or_init(|| #operation)
                }
            },
            quote!(Self::operation()),
        ),
        _ => (quote!(const OPERATION: internal::Operation = #operation;), quote!(&Self::OPERATION)),
    };
    let pagination = op.pagination.as_ref().map(|p| emit_pagination(api, op, p, &error));
    let stream = op.response.stream.as_ref().map(|st| emit_stream(api, st, &e_arg));
    // FastAPI's stock "Successful Response" says nothing.
    let ret_doc = op
        .response
        .doc
        .as_deref()
        .map(|d| d.trim().lines().next().unwrap_or("").trim())
        .filter(|d| !d.is_empty() && !d.eq_ignore_ascii_case("successful response"))
        .map(|d| format!(" On success: {d}"));
    let ret_doc = ret_doc.map(|d| quote!(#[doc = ""] #[doc = #d]));

    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #operation_item

            #ctor_allow
            #[inline]
            pub(super) fn new(client: rt::Client, #(#ctor_params),*) -> Self {
                #name {
                    client,
                    #(#inits,)*
                    #(#optional_inits)*
                    options: rt::RequestOptions::default(),
                }
            }

            #(#param_setters)*
            #(#body_setters)*

            /// Sends the request and returns the decoded body.
            #ret_doc
            #[inline]
            pub fn send(self) -> rt::ResponseFuture<#ret #e_arg> {
                internal::send_body::<#decoder, _>(self.prepare())
            }

            /// Sends the request and returns the status, headers and raw bytes with the decoded body.
            #[inline]
            pub fn send_with_response(self) -> rt::ResponseFuture<rt::Response<#ret> #e_arg> {
                internal::send::<#decoder, _>(self.prepare())
            }

            /// Checks the arguments and builds the request; nothing is sent yet.
            #[inline]
            fn prepare(self) -> Result<internal::Prepared, rt::Error> {
                let #request_mut request = internal::Request::new(#operation_ref, #path);
                #(#request_params)*
                #body_stmt
                Ok(internal::Prepared { client: self.client, request, options: self.options })
            }

            #pagination
            #stream
        }

        impl rt::Call for #name {
            type Output = #ret;
            type Documented = #documented;
            #[inline]
            fn call(self) -> rt::BoxFuture<Result<#ret, #error>> {
                Box::pin(self.send())
            }
            #[inline]
            fn options_mut(&mut self) -> &mut rt::RequestOptions {
                &mut self.options
            }
        }

        impl std::future::IntoFuture for #name {
            type Output = Result<#ret, #error>;
            type IntoFuture = rt::ResponseFuture<#ret #e_arg>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

/// The runtime's static description of an operation (shared with the CLI table).
pub fn operation_expr(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alternative| {
        let schemes = alternative.iter().map(|r| scheme_expr(&api.security_schemes[r.scheme]));
        quote!(&[#(#schemes),*])
    });
    let id = &op.id;
    // A method `http` has no constant for (3.2's `QUERY`) is made at run time, once.
    let method = match &op.http_method {
        Method::Other(m) => {
            quote!(rt::Method::from_bytes(#m.as_bytes()).expect("the generator checked the method name"))
        }
        m => {
            let m = format_ident!("{}", m.as_str());
            quote!(rt::Method::#m)
        }
    };
    let template = &op.path;
    let statuses = &op.documented_statuses;
    let accept = op.response.accept();
    let idempotency_key = op.idempotency_key;
    quote! {
        internal::Operation {
            id: #id,
            method: #method,
            path: #template,
            accept: #accept,
            documented_statuses: &[#(#statuses),*],
            idempotency_key: #idempotency_key,
            security: &[#(#alternatives),*],
        }
    }
}

/// The runtime's description of a security scheme: where its credential goes.
fn scheme_expr(s: &SecurityScheme) -> TokenStream {
    let name = &s.name;
    let setter = &s.setter;
    let scheme = match &s.kind {
        SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
            quote!(internal::AuthScheme::bearer(#name, #setter))
        }
        SchemeKind::Basic => quote!(internal::AuthScheme::basic(#name, #setter)),
        SchemeKind::ApiKey { location, name: key } => match location {
            KeyLocation::Header => quote!(internal::AuthScheme::header(#name, #setter, #key)),
            KeyLocation::Query => quote!(internal::AuthScheme::query(#name, #setter, #key)),
            KeyLocation::Cookie => quote!(internal::AuthScheme::cookie(#name, #setter, #key)),
        },
    };
    if s.primary {
        quote!(#scheme.primary())
    } else {
        scheme
    }
}

/// Parameters of the builder's constructor: already converted values, in argument order.
fn ctor_params(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in ordered_required(op) {
        let n = value_ident(&p.name);
        let t = ty(&p.ty, Scope::outside(api));
        out.push(quote!(#n: #t));
    }
    // (Secret parameters are wrapped when stored: see `field_inits`.)
    if let Some(b) = &op.body {
        if flattened(b) {
            for f in b.fields.iter().filter(|f| f.required) {
                let n = value_ident(&f.method);
                let t = ty(&f.ty, Scope::outside(api));
                out.push(quote!(#n: #t));
            }
        } else if b.required {
            let t = body_storage(api, b);
            out.push(quote!(body: #t));
        }
    }
    out
}

/// Builder field initialisers: arguments arrive converted, so they are moved in as they are.
fn field_inits(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for p in ordered_required(op) {
        let n = value_ident(&p.name);
        out.push(if is_secret(p) { quote!(#n: rt::Secret::new(#n)) } else { quote!(#n) });
    }
    if let Some(b) = &op.body {
        if flattened(b) {
            let body_ty = ty(&b.ty, Scope::outside(api));
            let fields = b.fields.iter().map(|f| {
                let field = value_ident(&f.field);
                if f.sent_required {
                    let m = value_ident(&f.method);
                    quote!(#field: Some(#m))
                } else if f.required && f.method == f.field {
                    quote!(#field)
                } else if f.required {
                    let m = value_ident(&f.method);
                    quote!(#field: #m)
                } else {
                    quote!(#field: None)
                }
            });
            let def = match &b.ty {
                TypeRef::Named(n) => api.types.iter().find_map(|t| match &t.kind {
                    TypeKind::Struct(s) if &t.name == n => Some(s),
                    _ => None,
                }),
                _ => None,
            };
            let has_additional = def.is_some_and(|s| s.additional.is_some());
            let rest = has_additional.then(|| quote!(additional_properties: Default::default(),));
            // Fields the body doesn't offer (readOnly ones, optional in a request type) start unset.
            let unset = def.into_iter().flat_map(|s| &s.fields).filter(|f| f.read_only).map(|f| {
                let field = value_ident(&f.name);
                quote!(#field: None,)
            });
            out.push(quote!(body: #body_ty { #(#fields,)* #(#unset)* #rest }));
        } else if b.required {
            out.push(quote!(body));
        } else {
            out.push(quote!(body: None));
        }
    }
    out
}

/// The statement that adds one query, header or cookie parameter to the request.
fn request_param(api: &Api, p: &Param) -> TokenStream {
    let f = value_ident(&p.name);
    let wire = &p.wire_name;
    if p.style == ParamStyle::Json {
        let add = match p.location {
            ParamLocation::Query => quote!(query_json),
            ParamLocation::Header => quote!(header_json),
            ParamLocation::Cookie => quote!(cookie_json),
            ParamLocation::Path => unreachable!("path parameters are part of the path"),
        };
        // JSON text says `null` itself: an optional parameter that is unset is left out.
        return if p.required {
            quote!(request.#add(#wire, &self.#f)?;)
        } else {
            quote!(if let Some(value) = &self.#f { request.#add(#wire, value)?; })
        };
    }
    match p.location {
        ParamLocation::Query => {
            let delimiter = match p.style {
                ParamStyle::DeepObject => return quote!(request.query_deep(#wire, &self.#f)?;),
                _ if p.explode => return quote!(request.query(#wire, &self.#f)?;),
                ParamStyle::SpaceDelimited => quote!(Space),
                ParamStyle::PipeDelimited => quote!(Pipe),
                _ => quote!(Comma),
            };
            quote!(request.query_delimited(#wire, &self.#f, internal::Delimiter::#delimiter)?;)
        }
        ParamLocation::Header if is_object(api, &p.ty) => {
            let explode = p.explode;
            quote!(request.header_object(#wire, &self.#f, #explode)?;)
        }
        ParamLocation::Cookie if is_object(api, &p.ty) => {
            let explode = p.explode;
            quote!(request.cookie_object(#wire, &self.#f, #explode)?;)
        }
        ParamLocation::Header => quote!(request.header(#wire, &self.#f)?;),
        ParamLocation::Cookie => quote!(request.cookie(#wire, &self.#f)?;),
        ParamLocation::Path => unreachable!("path parameters are part of the path"),
    }
}

/// The expression for one path parameter's encoded text.
fn path_param_expr(api: &Api, p: &Param) -> TokenStream {
    let f = value_ident(&p.name);
    let wire = &p.wire_name;
    let style = match p.style {
        ParamStyle::Json => return quote!(&internal::path_json(#wire, &self.#f)?),
        ParamStyle::Label => quote!(Label),
        ParamStyle::Matrix => quote!(Matrix),
        // A single value in simple style is the value itself.
        _ if !is_list(api, &p.ty) && !is_object(api, &p.ty) => {
            return quote!(&internal::path_param(#wire, &self.#f)?)
        }
        _ => quote!(Simple),
    };
    let explode = p.explode;
    quote!(&internal::path_styled(#wire, &self.#f, internal::PathStyle::#style, #explode)?)
}

/// The type behind `Option`, `Box` and named aliases (at most 16 deep, against cycles), with
/// its definition when it is a named type.
fn underlying<'a>(api: &'a Api, ty: &'a TypeRef) -> (&'a TypeRef, Option<&'a TypeKind>) {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Option(inner) | TypeRef::Box(inner) => ty = inner,
            TypeRef::Named(n) => match api.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                kind => return (ty, kind),
            },
            _ => break,
        }
    }
    (ty, None)
}

/// Whether a value of this type is an object: a struct or a map.
fn is_object(api: &Api, ty: &TypeRef) -> bool {
    matches!(underlying(api, ty), (TypeRef::Map(_), _) | (_, Some(TypeKind::Struct(_))))
}

/// Whether a value of this type is an array.
fn is_list(api: &Api, ty: &TypeRef) -> bool {
    matches!(underlying(api, ty), (TypeRef::Vec(_), _))
}

fn path_expr(api: &Api, op: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|p| match p {
            PathPart::Literal(l) => quote!(#l),
            PathPart::Param(i) => path_param_expr(api, &op.params[*i]),
        })
        .collect();
    match parts.as_slice() {
        [] => quote!(String::from("/")),
        [only] if matches!(op.path_parts[0], PathPart::Literal(_)) => quote!(String::from(#only)),
        _ => quote!([#(#parts),*].concat()),
    }
}

fn emit_pagination(api: &Api, op: &Operation, p: &Pagination, error: &TokenStream) -> TokenStream {
    let token = value_ident(&op.params[p.token_param].name);
    let page = ident(&p.page);
    let item = ty(&p.item, Scope::outside(api));
    let carries =
        format!(" `{}` and the same other parameters. A repeated token ends the stream", p.token_field);
    quote! {
        /// Every page from this one on, fetched lazily: each request carries the previous page's
        #[doc = #carries]
        /// with an error rather than looping.
        #[inline]
        pub fn pages(self) -> rt::BoxStream<Result<types::#page, #error>> {
            let first = self.#token.clone();
            internal::pages(first, move |token| {
                let mut request = self.clone();
                request.#token = token;
                request.send()
            })
        }

        /// Every item of every page, fetched lazily as the stream is read.
        #[inline]
        pub fn into_stream(self) -> rt::BoxStream<Result<#item, #error>> {
            internal::items(self.pages())
        }
    }
}

/// `send_stream()`: the success answer's items as they come.
fn emit_stream(api: &Api, st: &Stream, e_arg: &Option<TokenStream>) -> TokenStream {
    let item = ty(&st.item, Scope::outside(api));
    let (format, yields, what) = match st.format {
        StreamFormat::Sse => (
            quote!(internal::Sse),
            quote!(rt::Event<#item>),
            "server-sent events, each event's `data` decoded",
        ),
        StreamFormat::JsonLines => {
            (quote!(internal::JsonLines), item.clone(), "JSON Lines, one value per line")
        }
        StreamFormat::JsonSeq => (quote!(internal::JsonSeq), item.clone(), "a JSON text sequence (RFC 7464)"),
    };
    let summary = format!(" Sends the request and returns the answer as it comes: {what}.");
    let toggle = st.toggle.as_ref().map(|field| {
        let doc = format!(" Sets `{field}: true` in the body, which asks for the stream.");
        let set = quote! {
            self.options.merge(rt::RequestOptions::new().extra_body(#field, true));
        };
        (quote!(#[doc = ""] #[doc = #doc]), set)
    });
    let receiver = if toggle.is_some() { quote!(mut self) } else { quote!(self) };
    let (toggle_doc, set) = toggle.unzip();
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = " An item that doesn't decode is an `Err` item and the stream goes on; the idle timeout"]
        #[doc = " applies between chunks. Needs ferrospec-runtime's `streams` feature."]
        #toggle_doc
        #[inline]
        pub fn send_stream(#receiver) -> rt::StreamFuture<#yields #e_arg> {
            #set
            internal::send_stream::<#format, #item, _>(self.prepare())
        }
    }
}

fn emit_page_impl(api: &Api, p: &Pagination) -> TokenStream {
    let page = ident(&p.page);
    let item = ty(&p.item, Scope::outside(api));
    let (items, next) = (value_ident(&p.items_field), value_ident(&p.token_field));
    let token =
        if p.token_optional { quote!(self.#next.as_deref()) } else { quote!(Some(self.#next.as_str())) };
    let total = p.total_field.as_deref().map(|name| {
        let field = value_ident(name);
        let expr = match p.total_optional {
            true => quote!(self.#field.and_then(|n| u64::try_from(n).ok())),
            false => quote!(u64::try_from(self.#field).ok()),
        };
        quote!(#[inline] fn total_size(&self) -> Option<u64> { #expr })
    });
    quote! {
        impl rt::Page for types::#page {
            type Item = #item;
            #[inline]
            fn next_page_token(&self) -> Option<&str> { #token }
            #total
            #[inline]
            fn is_empty(&self) -> bool { self.#items.is_empty() }
            #[inline]
            fn into_items(self) -> Vec<Self::Item> { self.#items }
        }
    }
}

fn emit_multipart_impl(api: &Api, name: &str) -> TokenStream {
    let tname = ident(name);
    let Some(TypeKind::Struct(s)) = api.types.iter().find(|t| t.name == name).map(|t| &t.kind) else {
        return TokenStream::new();
    };
    let parts = s.fields.iter().map(|f| {
        let field = value_ident(&f.name);
        let wire = &f.wire_name;
        let add = |v: TokenStream, t: &TypeRef| match t {
            TypeRef::Binary => quote!(form.file(#wire, #v);),
            TypeRef::Vec(inner) if **inner == TypeRef::Binary => {
                quote!(for part in #v { form.file(#wire, part); })
            }
            TypeRef::Vec(_) => quote!(for part in #v { form.field(#wire, &part)?; }),
            _ => quote!(form.field(#wire, &#v)?;),
        };
        match &f.ty() {
            // A nullable optional field holds `Option<Option<T>>`: a null part sends nothing.
            TypeRef::Option(inner) => match &**inner {
                TypeRef::Option(inner) => {
                    let a = add(quote!(value), inner);
                    quote!(if let Some(Some(value)) = self.#field { #a })
                }
                inner => {
                    let a = add(quote!(value), inner);
                    quote!(if let Some(value) = self.#field { #a })
                }
            },
            t => add(quote!(self.#field), t),
        }
    });
    quote! {
        impl internal::IntoMultipart for types::#tname {
            #[inline]
            fn into_multipart(self) -> Result<internal::Multipart, rt::Error> {
                let mut form = internal::Multipart::new();
                #(#parts)*
                Ok(form)
            }
        }
    }
}
