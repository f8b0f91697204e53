//! Operations: parameters (path, query, header, cookie), bodies, the success response, and the
//! pagination shape, each checked and named for the request builder that will carry it.

use super::Lowerer;
use crate::ident::{self, NameScope};
use crate::ir::*;
use crate::media::{is_any, is_form, is_json};
use crate::pointer::child;
use heck::ToUpperCamelCase;
use openapiv3::{Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, StatusCode};

/// Methods every request builder defines; parameters and body fields must not take these names.
/// The whole-body setter is `body` unless a parameter or body field has that name (see
/// [`Body::setter`]).
pub const BUILDER_METHODS: &[&str] = &[
    "send",
    "send_with_response",
    "max_retries",
    "timeout",
    "into_stream",
    "pages",
    "new",
    "client",
    "options",
    "prepare",
];

/// Headers the HTTP layer owns; OpenAPI says such header parameters are ignored.
const OWNED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

struct RawParam<'s> {
    data: &'s openapiv3::ParameterData,
    location: ParamLocation,
    style: ParamStyle,
    explode: bool,
    pointer: String,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_operations(&mut self) -> Vec<Operation> {
        let spec = self.spec;
        let mut builders = NameScope::new();
        let mut ids = std::collections::HashMap::<String, String>::new();
        let mut out = Vec::new();
        for (path, item) in &spec.paths.paths {
            let path_ptr = child("#/paths", path);
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { .. } => {
                    self.diags.warning(&path_ptr, "path items given by $ref are not supported; skipped");
                    continue;
                }
            };
            // 3.2's `query` and `additionalOperations` (see load/v32.rs), typed here.
            let extra_ptr = child(&path_ptr, "x-ferrospec-operations");
            let mut extra = Vec::new();
            for (m, v) in item
                .extensions
                .get("x-ferrospec-operations")
                .and_then(|v| v.as_object())
                .into_iter()
                .flatten()
            {
                match (Method::named(m), serde_json::from_value::<openapiv3::Operation>(v.clone())) {
                    (Some(method), Ok(op)) => extra.push((method, child(&extra_ptr, m), op)),
                    _ => self.diags.warning(
                        child(&extra_ptr, m),
                        format!("`{m}` is not an HTTP method with a valid operation; skipped"),
                    ),
                }
            }
            let standard =
                item.iter().filter_map(|(m, op)| Some((Method::parse(m)?, child(&path_ptr, m), op)));
            for (method, ptr, op) in standard.chain(extra.iter().map(|(m, p, op)| (m.clone(), p.clone(), op)))
            {
                let method_key = method.as_str().to_ascii_lowercase();
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method_key} {path}"));
                if let Some(prev) = ids.insert(id.clone(), ptr.clone()) {
                    self.diags.error(
                        child(&ptr, "operationId"),
                        format!("duplicate operationId `{id}` (also at {prev})"),
                    );
                    continue;
                }
                self.dangling_in_operation = Some(false);
                let lowered =
                    self.lower_operation(path, method, op, &item.parameters, &ptr, &id, &mut builders);
                if let (Some(lowered), Some(false)) = (lowered, self.dangling_in_operation.take()) {
                    out.push(lowered);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        path: &str,
        http_method: Method,
        op: &openapiv3::Operation,
        path_params: &[ReferenceOr<Parameter>],
        ptr: &str,
        id: &str,
        builders: &mut NameScope,
    ) -> Option<Operation> {
        let builder = builders.claim(&ident::camel(id));
        let raw = self.raw_params(op, path_params, ptr, &child("#/paths", path));
        let mut names = NameScope::new();
        names.reserve(BUILDER_METHODS.iter().copied());
        // A construct that can't be expressed skips the operation (with a warning), but the rest
        // of it is still lowered: a dangling `$ref` there is an error all the same.
        let mut skip = false;
        let mut params = Vec::with_capacity(raw.len());
        for p in raw {
            // An optional parameter that can't be expressed costs only itself.
            match self.lower_param(&p, &builder, &mut names) {
                Ok(Some(param)) => params.push(param),
                Ok(None) => {}
                Err(()) => skip = true,
            }
        }
        // Fragments (`/oauth2/token#refresh`) tell variants of one path apart; they are not sent.
        let url_path = path.split('#').next().unwrap_or(path);
        let path_parts = if skip { None } else { self.path_parts(url_path, &mut params, ptr) };
        skip |= path_parts.is_none();
        let body = match &op.request_body {
            Some(rb) => {
                match self.lower_body(rb, &child(ptr, "requestBody"), &builder, &params, &mut names) {
                    Ok(b) => b,
                    Err(()) => {
                        skip = true;
                        None
                    }
                }
            }
            None => None,
        };
        let response = self.lower_response(op, ptr, &builder);
        let (Some(path_parts), Some(response), false) = (path_parts, response, skip) else {
            return None;
        };
        let errors = self.lower_errors(op, ptr, &builder);
        let mut response = response;
        if let Some(stream) = &mut response.stream {
            stream.toggle = self.stream_toggle(body.as_ref(), &response.kind);
        }
        let documented_statuses = op
            .responses
            .responses
            .keys()
            .filter_map(|c| match c {
                StatusCode::Code(c) => Some(*c),
                StatusCode::Range(_) => None,
            })
            .collect();
        let pagination = self.pagination(&params, &response);
        let (resource, method_name) = self.resource_and_method(op, id, ptr);
        Some(Operation {
            id: id.to_string(),
            builder,
            resource,
            method_name,
            method_given: op.extensions.get("x-sdk-method").is_some_and(|v| v.is_string())
                || self.placements.get(id).is_some_and(|p| p.method.is_some()),
            http_method,
            path: url_path.to_string(),
            path_parts,
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            response,
            errors,
            documented_statuses,
            pagination,
            pointer: ptr.to_string(),
            idempotency_key: op
                .extensions
                .get("x-idempotency-key")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            security: self.operation_security(op, ptr),
        })
    }

    fn resource_and_method(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        ptr: &str,
    ) -> (Vec<String>, String) {
        // The user's placement, then the document's extensions.
        let placed = self.placements.get(id);
        let ext = |k: &str| {
            let given = placed.and_then(|p| {
                if k == "x-sdk-resource" {
                    p.resource.as_deref()
                } else {
                    p.method.as_deref()
                }
            });
            given.or_else(|| op.extensions.get(k).and_then(|v| v.as_str()))
        };
        let resource: Vec<String> = match ext("x-sdk-resource") {
            Some(r) => r.split('.').filter(|s| !s.is_empty()).map(ident::snake).collect(),
            None => op.tags.first().map(|t| self.tag_path(t)).unwrap_or_default(),
        };
        if op.extensions.contains_key("x-sdk-resource") && ext("x-sdk-resource").is_none() {
            self.diags.warning(
                child(ptr, "x-sdk-resource"),
                "must be a string like `beta.directories`; ignored (the first tag names the resource)",
            );
        }
        let method = ext("x-sdk-method").map(ident::snake).unwrap_or_else(|| ident::snake(id));
        (resource, method)
    }

    /// A tag's resource path: its 3.2 `parent`s first (`admin.users`), each tag's name once.
    fn tag_path(&self, tag: &str) -> Vec<String> {
        let parent = |t: &str| {
            let tag = self.spec.tags.iter().find(|d| d.name == t)?;
            tag.extensions.get("x-ferrospec-parent")?.as_str().map(str::to_string)
        };
        let mut path = vec![tag.to_string()];
        while let Some(p) = parent(path.last().map(String::as_str).unwrap_or_default()) {
            if path.contains(&p) {
                break; // a cycle of parents: the chain so far
            }
            path.push(p);
        }
        path.iter().rev().map(|t| ident::snake(t)).collect()
    }

    /// Path-level parameters, overridden by operation-level ones with the same name and location.
    fn raw_params<'s>(
        &mut self,
        op: &'s openapiv3::Operation,
        path_level: &'s [ReferenceOr<Parameter>],
        op_ptr: &str,
        path_ptr: &str,
    ) -> Vec<RawParam<'s>>
    where
        'a: 's,
    {
        let mut out: Vec<RawParam<'s>> = Vec::new();
        let groups =
            [(path_level, child(path_ptr, "parameters")), (&op.parameters[..], child(op_ptr, "parameters"))];
        for (list, base) in groups {
            for (i, p) in list.iter().enumerate() {
                let pointer = child(&base, &i.to_string());
                let Some(param) = self.resolve(p, &pointer, "parameters", |c| &c.parameters) else {
                    continue;
                };
                let (data, location, style) = match param {
                    Parameter::Path { parameter_data, style } => (
                        parameter_data,
                        ParamLocation::Path,
                        match style {
                            PathStyle::Simple => ParamStyle::Simple,
                            PathStyle::Label => ParamStyle::Label,
                            PathStyle::Matrix => ParamStyle::Matrix,
                        },
                    ),
                    Parameter::Query { parameter_data, style, .. } => (
                        parameter_data,
                        ParamLocation::Query,
                        match style {
                            QueryStyle::Form => ParamStyle::Form,
                            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                            QueryStyle::DeepObject => ParamStyle::DeepObject,
                        },
                    ),
                    Parameter::Header { parameter_data, .. } => {
                        (parameter_data, ParamLocation::Header, ParamStyle::Simple)
                    }
                    Parameter::Cookie { parameter_data, .. } => {
                        (parameter_data, ParamLocation::Cookie, ParamStyle::Form)
                    }
                };
                // OpenAPI: `explode` defaults to true for form style, false for the others.
                let explode = data.explode.unwrap_or(style == ParamStyle::Form);
                if location == ParamLocation::Header
                    && OWNED_HEADERS.contains(&data.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                out.retain(|q| !(q.data.name == data.name && q.location == location));
                out.push(RawParam { data, location, style, explode, pointer });
            }
        }
        out
    }

    /// A parameter: `Ok(Some)` lowered; `Ok(None)` an optional one that can't be expressed, left
    /// out with a warning; `Err` a required one that can't be, which skips the operation.
    fn lower_param(
        &mut self,
        p: &RawParam<'_>,
        builder: &str,
        names: &mut NameScope,
    ) -> Result<Option<Param>, ()> {
        let data = p.data;
        let hint = format!("{builder}{}", ident::camel(&data.name));
        let where_ = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        // 3.2's `in: querystring` (see load/v32.rs): the whole query string. As form fields it is
        // an object whose properties are the pairs, which is form style exploded.
        let querystring =
            data.extensions.get("x-ferrospec-querystring").and_then(|v| v.as_bool()) == Some(true);
        let mut explode = p.explode;
        let (ty, style) = match &data.format {
            ParameterSchemaOrContent::Schema(s) if !querystring => {
                (self.schema_type(s, &child(&p.pointer, "schema"), &hint), p.style)
            }
            ParameterSchemaOrContent::Schema(_) => {
                return self
                    .skip_param(p, format!("querystring parameter `{}` must give its `content`", data.name));
            }
            ParameterSchemaOrContent::Content(c) => {
                let Some((ct, media)) = c.first() else {
                    return self
                        .skip_param(p, format!("{where_} parameter `{}` has an empty `content`", data.name));
                };
                let sptr = child(&child(&child(&p.pointer, "content"), ct), "schema");
                if querystring && is_form(ct) {
                    let ty = match &media.schema {
                        Some(s) => self.schema_type(s, &sptr, &hint),
                        None => TypeRef::Map(Box::new(TypeRef::String)),
                    };
                    if !self.is_object(ty.unwrap_option()) {
                        return self.skip_param(
                            p,
                            format!("querystring parameter `{}` is form fields but not an object", data.name),
                        );
                    }
                    explode = true;
                    (ty, ParamStyle::Form)
                } else if querystring {
                    return self.skip_param(
                        p,
                        format!(
                            "querystring parameter `{}` is `{ct}`; only form fields (`application/x-www-form-urlencoded`) can be sent as the query string",
                            data.name
                        ),
                    );
                } else if is_json(ct) {
                    let ty = match &media.schema {
                        Some(s) => self.schema_type(s, &sptr, &hint),
                        None => TypeRef::Json,
                    };
                    (ty, ParamStyle::Json)
                } else {
                    // Other media types: only text, sent as it is.
                    let ty = match &media.schema {
                        Some(s) => self.schema_type(s, &sptr, &hint),
                        None => TypeRef::String,
                    };
                    if !matches!(ty.unwrap_option(), TypeRef::String) {
                        return self.skip_param(
                            p,
                            format!(
                                "{where_} parameter `{}` is encoded as `{ct}`, which this generator can only send as plain text (a string schema)",
                                data.name
                            ),
                        );
                    }
                    (ty, p.style)
                }
            }
        };
        let ty = match ty {
            TypeRef::Option(inner) => *inner,
            t => t,
        };
        // A parameter is text on the wire: `format: binary` there is a string, not a file.
        let ty = match ty {
            TypeRef::Binary | TypeRef::Base64 => TypeRef::String,
            TypeRef::Vec(inner) if matches!(*inner, TypeRef::Binary | TypeRef::Base64) => {
                TypeRef::Vec(Box::new(TypeRef::String))
            }
            t => t,
        };
        let problem = match (p.location, style) {
            (_, ParamStyle::Json) => None,
            // Query strings take objects too (form style: one pair per property; the runtime
            // writes nested values as JSON text).
            (ParamLocation::Query, ParamStyle::DeepObject) if matches!(ty, TypeRef::Vec(_)) => Some(format!(
                "query parameter `{}` is an array, but style `deepObject` is only defined for objects",
                data.name
            )),
            (ParamLocation::Query, _) => None,
            // Objects follow the style table (`R,100,G,200`, exploded `R=100,G=200`).
            _ if !self.is_scalar_or_list(&ty) && !self.is_object(&ty) => Some(format!(
                "{where_} parameter `{}` is neither a single value, a list of them nor an object; it can't be sent in {}",
                data.name,
                match p.location {
                    ParamLocation::Path => "a path",
                    ParamLocation::Header => "a header",
                    _ => "a cookie",
                }
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            return self.skip_param(p, problem);
        }
        if p.location == ParamLocation::Path && !data.required {
            self.diags.warning(
                &p.pointer,
                format!("path parameter `{}` must be `required: true`; it is treated as required", data.name),
            );
        }
        Ok(Some(Param {
            name: names.claim(&ident::snake(&data.name)),
            wire_name: data.name.clone(),
            location: p.location,
            ty,
            required: data.required || p.location == ParamLocation::Path,
            doc: {
                let schema_example = match &data.format {
                    ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => s.schema_data.example.as_ref(),
                    _ => None,
                };
                super::schema::with_example(
                    data.description.clone(),
                    data.example.as_ref().or(schema_example),
                )
            },
            style,
            explode,
        }))
    }

    /// Reports a parameter that can't be expressed: an optional one is left out, a required one
    /// (every path parameter is) skips its operation.
    fn skip_param(&mut self, p: &RawParam<'_>, problem: String) -> Result<Option<Param>, ()> {
        let required = p.data.required || p.location == ParamLocation::Path;
        let outcome = if required { "operation skipped" } else { "parameter left out" };
        self.diags.warning(&p.pointer, format!("{problem}; {outcome}"));
        if required {
            Err(())
        } else {
            Ok(None)
        }
    }

    /// The type behind named aliases (at most 16 deep, against cycles).
    fn through_aliases<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut ty = ty;
        for _ in 0..16 {
            match ty {
                TypeRef::Named(n) => match self.types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner)) => ty = inner,
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }

    /// A single value, or an array of them (through named aliases).
    fn is_scalar_or_list(&self, ty: &TypeRef) -> bool {
        match self.through_aliases(ty) {
            TypeRef::Vec(inner) => self.is_scalar(inner),
            t => self.is_scalar(t),
        }
    }

    /// An object (a struct or a map), through named aliases: its properties go in the style's
    /// pairs.
    fn is_object(&self, ty: &TypeRef) -> bool {
        match self.through_aliases(ty) {
            TypeRef::Map(_) => true,
            TypeRef::Named(n) => matches!(self.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct(_))),
            _ => false,
        }
    }

    fn is_scalar(&self, ty: &TypeRef) -> bool {
        self.is_scalar_depth(ty, 0)
    }

    /// Whether a value of this type serializes to one JSON scalar (aliases and unions of
    /// scalars included; the depth bounds alias chains).
    fn is_scalar_depth(&self, ty: &TypeRef, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        match ty {
            TypeRef::String
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Bool
            | TypeRef::Integer(_)
            | TypeRef::Float(_) => true,
            TypeRef::Json => true,
            TypeRef::External(path) => self.scalar_externals.contains(path),
            TypeRef::Named(n) => match self.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(t)) => self.is_scalar_depth(t, depth + 1),
                Some(TypeKind::Untagged(vs)) => vs.iter().all(|v| self.is_scalar_depth(&v.ty, depth + 1)),
                _ => false,
            },
            TypeRef::Option(t) | TypeRef::Box(t) => self.is_scalar_depth(t, depth + 1),
            _ => false,
        }
    }

    /// The path split at its parameters; `None` (with a warning: the operation is skipped) when
    /// the template names a parameter the operation doesn't declare. A declared path parameter
    /// the template doesn't name has nowhere to go: it is left out, with a warning.
    fn path_parts(&mut self, path: &str, params: &mut Vec<Param>, ptr: &str) -> Option<Vec<PathPart>> {
        params.retain(|p| {
            let used = p.location != ParamLocation::Path || path.contains(&format!("{{{}}}", p.wire_name));
            if !used {
                self.diags.warning(
                    ptr,
                    format!(
                        "path parameter `{}` does not appear in path `{path}`; parameter left out",
                        p.wire_name
                    ),
                );
            }
            used
        });
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.diags.warning(ptr, format!("unclosed `{{` in path `{path}`; operation skipped"));
                return None;
            };
            let name = &rest[open + 1..open + close];
            match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                Some(i) => parts.push(PathPart::Param(i)),
                None => {
                    self.diags.warning(
                        ptr,
                        format!(
                            "path `{path}` has `{{{name}}}` but the operation declares no path parameter `{name}`; operation skipped"
                        ),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        Some(parts)
    }

    fn lower_body(
        &mut self,
        rb: &ReferenceOr<openapiv3::RequestBody>,
        ptr: &str,
        builder: &str,
        params: &[Param],
        names: &mut NameScope,
    ) -> Result<Option<Body>, ()> {
        let Some(rb) = self.resolve(rb, ptr, "requestBodies", |c| &c.request_bodies) else {
            return Err(());
        };
        let Some((content_type, media, kind)) = pick_request_content(&rb.content) else {
            let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
            self.diags.warning(
                ptr,
                format!(
                    "no request content type this generator can send ({}); operation skipped",
                    types.join(", ")
                ),
            );
            return Err(());
        };
        let mptr = child(&child(ptr, "content"), content_type);
        let hint = format!("{builder}Body");
        let ty = match (kind, &media.schema) {
            (BodyKind::Bytes, _) => TypeRef::Binary,
            (BodyKind::Text, _) => TypeRef::String,
            (_, Some(s)) => self.schema_type(s, &child(&mptr, "schema"), &hint),
            (_, None) => TypeRef::Json,
        };
        let nullable = ty.is_option();
        let ty = match ty {
            TypeRef::Option(inner) => *inner,
            t => t,
        };
        if kind == BodyKind::Multipart {
            self.file_parts(&ty);
        }
        if kind == BodyKind::Json && self.type_contains_binary(&ty) {
            self.diags.warning(
                &mptr,
                "a JSON body with a file part (its type is also a multipart body); operation skipped",
            );
            return Err(());
        }
        let mut fields = Vec::new();
        if matches!(kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart) {
            if let Some(TypeKind::Struct(s)) = ty_name(&ty).and_then(|n| self.types.get(n)).map(|t| &t.kind) {
                let param_names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                for f in s.fields.iter().filter(|f| !f.read_only) {
                    let base = if param_names.contains(&f.name.as_str()) || names.contains(&f.name) {
                        format!("body_{}", f.name)
                    } else {
                        f.name.clone()
                    };
                    fields.push(BodyField {
                        method: names.claim(&base),
                        field: f.name.clone(),
                        ty: f.ty(),
                        required: f.presence.required(),
                        sent_required: false,
                        doc: f.doc.clone(),
                    });
                }
            } else if kind == BodyKind::Multipart {
                self.diags.warning(&mptr, "a multipart body must be an object schema; operation skipped");
                return Err(());
            }
        }
        // The whole body's setter gives way to a field or parameter named `body`.
        let setter = match names.contains("body") {
            true => names.claim("request_body"),
            false => names.claim("body"),
        };
        Ok(Some(Body {
            content_type: content_type.to_string(),
            setter,
            kind,
            required: rb.required,
            ty,
            nullable,
            fields,
            doc: rb.description.clone(),
            example: self.media_example(media, &mptr),
        }))
    }

    /// The media type's example: `example`, or the first of `examples` (through a `$ref` into
    /// `components/examples`).
    fn media_example(&mut self, media: &openapiv3::MediaType, mptr: &str) -> Option<serde_json::Value> {
        if let Some(e) = &media.example {
            return Some(e.clone());
        }
        let (key, first) = media.examples.iter().next()?;
        let p = child(&child(mptr, "examples"), key);
        self.resolve(first, &p, "examples", |c| &c.examples).and_then(|e| e.value.clone())
    }

    /// A multipart body's binary fields (and lists of them) are file parts; binary anywhere
    /// else is base64 text inside JSON.
    fn file_parts(&mut self, ty: &TypeRef) {
        fn part(t: &TypeRef) -> TypeRef {
            match t {
                TypeRef::Base64 => TypeRef::Binary,
                TypeRef::Vec(i) if **i == TypeRef::Base64 => TypeRef::Vec(Box::new(TypeRef::Binary)),
                TypeRef::Option(i) => TypeRef::Option(Box::new(part(i))),
                other => other.clone(),
            }
        }
        let Some(name) = ty_name(ty) else { return };
        if let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = self.types.get_mut(name) {
            for f in &mut s.fields {
                f.value = part(&f.value);
            }
        }
    }

    /// Operations lowered before a multipart body turned a shared type's fields into file parts:
    /// their JSON body or response can't hold one, so they are skipped.
    pub(super) fn drop_json_file_parts(&mut self, ops: &mut Vec<Operation>) {
        let mut keep = Vec::with_capacity(ops.len());
        for op in ops.drain(..) {
            let body = op
                .body
                .as_ref()
                .is_some_and(|b| b.kind == BodyKind::Json && self.type_contains_binary(&b.ty));
            let response = op.answer_types().into_iter().any(|t| self.type_contains_binary(t));
            if body || response {
                let what = if body { "body" } else { "response" };
                self.diags.warning(
                    &op.pointer,
                    format!("a JSON {what} with a file part (its type is also a multipart body); operation skipped"),
                );
            } else {
                keep.push(op);
            }
        }
        *ops = keep;
    }

    /// `format: binary` outside a multipart part (which `file_parts` made a file part): JSON
    /// can't carry raw octets, and base64 is `format: byte` (or 3.1's `contentEncoding`), so the
    /// value is kept as the text it is, with a warning, rather than decoded as base64 (wrong
    /// bytes, silently). In a form body the text is sent as it is.
    pub(super) fn binary_as_text(&mut self, ops: &mut [Operation]) {
        const BINARY_AS_TEXT: &str = "`format: binary` outside a multipart part is kept as text: JSON can't carry raw octets, and base64 would be `format: byte`";
        fn text(t: &mut TypeRef) -> bool {
            match t {
                TypeRef::Base64 => {
                    *t = TypeRef::String;
                    true
                }
                TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => text(i),
                _ => false,
            }
        }
        for t in self.types.values_mut() {
            let changed = match &mut t.kind {
                TypeKind::Struct(s) => {
                    let fields = s.fields.iter_mut().fold(false, |c, f| text(&mut f.value) | c);
                    s.additional.as_mut().is_some_and(text) | fields
                }
                TypeKind::Untagged(vs) => vs.iter_mut().fold(false, |c, v| text(&mut v.ty) | c),
                TypeKind::Tagged { variants, .. } => {
                    variants.iter_mut().fold(false, |c, v| text(&mut v.ty) | c)
                }
                TypeKind::Alias(ty) => text(ty),
                TypeKind::Enum(_) => false,
            };
            if changed {
                self.diags.warning(&t.pointer, BINARY_AS_TEXT);
            }
        }
        for op in ops.iter_mut() {
            let mut changed = false;
            if let Some(b) = &mut op.body {
                changed |= text(&mut b.ty);
                // Copies of the body type's fields, warned about with the type.
                for f in &mut b.fields {
                    text(&mut f.ty);
                }
            }
            let by_status = match &mut op.response.kind {
                ResponseKind::Json(t) => {
                    changed |= text(t);
                    None
                }
                ResponseKind::ByStatus(b) => Some(b),
                _ => None,
            };
            for c in by_status.into_iter().chain(&mut op.errors).flat_map(|b| &mut b.cases) {
                changed |= c.ty.as_mut().is_some_and(text);
            }
            if let Some(stream) = &mut op.response.stream {
                changed |= text(&mut stream.item);
            }
            if changed {
                self.diags.warning(&op.pointer, BINARY_AS_TEXT);
            }
        }
    }

    /// Whether a JSON body or response of this type would hold a file part (a multipart body's
    /// type used as JSON too): such an operation can't be generated.
    pub(super) fn type_contains_binary(&self, ty: &TypeRef) -> bool {
        ty.holds_binary(&|n| self.types.get(n).map(|t| &t.kind))
    }

    fn lower_response(&mut self, op: &openapiv3::Operation, ptr: &str, builder: &str) -> Option<Response> {
        let rptr = child(ptr, "responses");
        let mut success: Vec<(u16, &ReferenceOr<openapiv3::Response>, String)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r, c.to_string())),
                StatusCode::Range(2) => Some((299, r, "2XX".to_string())),
                _ => None,
            })
            .collect();
        success.sort_by_key(|(c, _, _)| *c);
        // With no 2xx described, `default` is what a successful call answers.
        if success.is_empty() {
            if let Some(d) = &op.responses.default {
                success.push((200, d, "default".to_string()));
            }
        }
        // A 101 answer, or Dropshot's marker, means a protocol upgrade (a websocket).
        let upgrade = op.responses.responses.keys().any(|c| matches!(c, StatusCode::Code(101)))
            || op.extensions.contains_key("x-dropshot-websocket");
        if upgrade && success.iter().all(|(c, _, _)| *c != 200) {
            self.diags.warning(ptr, "a protocol upgrade (101, e.g. a websocket) is not an HTTP call this client makes; operation skipped");
            return None;
        }
        let mut chosen = None;
        for (_, r, key) in &success {
            let p = child(&rptr, key);
            let Some(resp) = self.resolve(r, &p, "responses", |c| &c.responses) else {
                continue;
            };
            if !resp.content.is_empty() {
                chosen = Some((resp, p));
                break;
            }
        }
        let Some((resp, p)) = chosen else {
            return Some(Response {
                kind: ResponseKind::Empty,
                content_type: None,
                doc: None,
                example: None,
                json_media: String::new(),
                stream: None,
            });
        };
        // Every JSON media type a success response names, for `Accept`: a server that only
        // speaks `application/hal+json` may refuse `application/json` with a 406.
        let mut json_media: Vec<&str> = Vec::new();
        for (_, r, key) in &success {
            let Some(resp) = self.resolve(r, &child(&rptr, key), "responses", |c| &c.responses) else {
                continue;
            };
            for ct in resp.content.keys().filter(|ct| is_json(ct)) {
                let base = ct.split(';').next().unwrap_or(ct).trim();
                if !json_media.contains(&base) {
                    json_media.push(base);
                }
            }
        }
        let json_media = json_media.join(", ");
        let doc = Some(resp.description.clone()).filter(|d| !d.is_empty());
        let (ct, media) = pick_response_content(&resp.content);
        let mptr = child(&child(&p, "content"), ct);
        let kind =
            if is_json(ct) || (is_any(ct) && media.schema.as_ref().is_some_and(|sc| !is_binary_schema(sc))) {
                match &media.schema {
                    Some(s) => ResponseKind::Json(self.schema_type(
                        s,
                        &child(&mptr, "schema"),
                        &format!("{builder}Response"),
                    )),
                    None => ResponseKind::Json(TypeRef::Json),
                }
            } else if ct.starts_with("text/") {
                ResponseKind::Text
            } else {
                ResponseKind::Bytes
            };
        let kind = self.reconcile_successes(kind, &success, &rptr, &p, builder);
        let example = self.media_example(media, &mptr);
        // A sequential media type beside (or instead of) JSON: its `schema` is each item's.
        let stream = resp.content.iter().find_map(|(sct, m)| {
            let format = crate::media::stream_format(sct)?;
            let item = match &m.schema {
                Some(s) => self.schema_type(
                    s,
                    &child(&child(&child(&p, "content"), sct), "schema"),
                    &format!("{builder}StreamItem"),
                ),
                None => TypeRef::Json,
            };
            Some(Stream { format, item, toggle: None })
        });
        Some(Response { kind, content_type: Some(ct.to_string()), doc, example, json_media, stream })
    }

    /// The body field that asks for a stream when the same response offers JSON too: a boolean
    /// named `stream` (OpenAI's `stream: true`).
    fn stream_toggle(&self, body: Option<&Body>, kind: &ResponseKind) -> Option<String> {
        if !matches!(kind, ResponseKind::Json(_) | ResponseKind::ByStatus(_)) {
            return None;
        }
        let body = body.filter(|b| b.kind == BodyKind::Json)?;
        let TypeKind::Struct(s) = &self.types.get(body.ty.direct_named()?)?.kind else { return None };
        let field = s.fields.iter().find(|f| f.wire_name == "stream")?;
        // The value, whatever the field's presence.
        let mut ty = &field.value;
        while let TypeRef::Option(inner) = ty {
            ty = inner;
        }
        (ty == &TypeRef::Bool).then(|| field.wire_name.clone())
    }

    /// The error bodies an operation documents: an enum with a variant per status whose answer
    /// is JSON, decoded by the status that comes (its code, then `4XX`/`5XX`, then `default`).
    /// A status documented without a JSON body has no variant but keeps its place in that order.
    fn lower_errors(&mut self, op: &openapiv3::Operation, ptr: &str, builder: &str) -> Option<ByStatus> {
        let rptr = child(ptr, "responses");
        let mut keyed: Vec<(u16, &ReferenceOr<openapiv3::Response>, String)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if *c >= 400 => Some((*c, r, c.to_string())),
                StatusCode::Range(n @ (4 | 5)) => Some((n * 100 + 99, r, format!("{n}XX"))),
                _ => None,
            })
            .collect();
        keyed.sort_by_key(|(c, _, _)| *c);
        // `default` is the success when no 2xx is described (see `lower_response`).
        let has_success = op.responses.responses.keys().any(|c| match c {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(n) => *n == 2,
        });
        if let (true, Some(d)) = (has_success, &op.responses.default) {
            keyed.push((u16::MAX, d, "default".to_string()));
        }
        let mut cases = Vec::new();
        let mut variants = NameScope::new();
        for (_, r, key) in keyed {
            let p = child(&rptr, &key);
            let Some(resp) = self.resolve(r, &p, "responses", |c| &c.responses) else { continue };
            let variant = variants.claim(&status_variant(&key));
            // An error body the generator can't type (a dangling `$ref` in its schema) costs only
            // its typed body: its findings become warnings, and the status stays untyped.
            let before = self.diags.items.len();
            let mut ty = resp.content.iter().find(|(ct, _)| is_json(ct)).map(|(ct, m)| match &m.schema {
                Some(s) => self.schema_type(
                    s,
                    &child(&child(&child(&p, "content"), ct), "schema"),
                    &format!("{builder}{variant}"),
                ),
                None => TypeRef::Json,
            });
            let mut failed = false;
            for d in &mut self.diags.items[before..] {
                if d.severity == crate::diag::Severity::Error {
                    d.severity = crate::diag::Severity::Warning;
                    d.message.push_str("; this error body stays untyped");
                    failed = true;
                }
            }
            if failed {
                ty = None;
            }
            let doc = Some(resp.description.clone()).filter(|d| !d.is_empty());
            cases.push(StatusCase { key, variant, ty, doc });
        }
        if cases.iter().all(|c| c.ty.is_none()) {
            return None;
        }
        let name = self.type_names.claim(&format!("{builder}Error"));
        Some(ByStatus { name, cases })
    }

    /// Other success responses must decode as the chosen type: one with no body makes it an
    /// `Option` (the runtime reads an empty 204 as null). JSON ones of other types make an enum
    /// with a variant per status, decoded by the status that comes; a body that is not JSON
    /// among them makes the result any JSON value, with a warning, rather than a type that
    /// fails to decode.
    fn reconcile_successes(
        &mut self,
        kind: ResponseKind,
        success: &[(u16, &ReferenceOr<openapiv3::Response>, String)],
        rptr: &str,
        chosen: &str,
        builder: &str,
    ) -> ResponseKind {
        let ResponseKind::Json(chosen_ty) = kind else { return kind };
        let (mut empty, mut not_json) = (false, Vec::new());
        let mut cases = Vec::new();
        let mut variants = NameScope::new();
        for (code, r, key) in success {
            let p = child(rptr, key);
            let Some(resp) = self.resolve(r, &p, "responses", |c| &c.responses) else { continue };
            let ty = if p == chosen {
                Some(chosen_ty.clone())
            } else {
                match resp.content.iter().find(|(ct, _)| is_json(ct)) {
                    None if resp.content.is_empty() => {
                        empty = true;
                        None
                    }
                    None => {
                        not_json.push(format!("{code}: not JSON"));
                        None
                    }
                    Some((ct, m)) => {
                        let ty = match &m.schema {
                            Some(s) => self.schema_type(
                                s,
                                &child(&child(&child(&p, "content"), ct), "schema"),
                                &format!("{builder}Response{code}"),
                            ),
                            None => TypeRef::Json,
                        };
                        Some(ty)
                    }
                }
            };
            cases.push(StatusCase {
                key: key.clone(),
                variant: variants.claim(&status_variant(key)),
                ty,
                doc: Some(resp.description.clone()).filter(|d| !d.is_empty()),
            });
        }
        let differs =
            |c: &&StatusCase| c.ty.as_ref().is_some_and(|t| t.unwrap_option() != chosen_ty.unwrap_option());
        if !not_json.is_empty() {
            let listed = cases.iter().filter(differs);
            let listed =
                listed.map(|c| format!("{}: {}", c.key, crate::apidiff::show(c.ty.as_ref().unwrap())));
            self.diags.warning(
                rptr,
                format!(
                    "success responses of different types ({}, and the first: {}); the result is any JSON value",
                    not_json.into_iter().chain(listed).collect::<Vec<_>>().join(", "),
                    crate::apidiff::show(&chosen_ty)
                ),
            );
            return ResponseKind::Json(TypeRef::Json);
        }
        if cases.iter().any(|c| differs(&c)) {
            let name = self.type_names.claim(&format!("{builder}ByStatus"));
            return ResponseKind::ByStatus(ByStatus { name, cases });
        }
        ResponseKind::Json(if empty { chosen_ty.option() } else { chosen_ty })
    }

    /// The first page shape (`Config::pagination`, then the default) the operation has: a
    /// string query parameter for the token, and a JSON page whose items are a list and whose
    /// next token is a string.
    fn pagination(&self, params: &[Param], response: &Response) -> Option<Pagination> {
        self.page_shapes.iter().find_map(|shape| self.page_of_shape(shape, params, response))
    }

    fn page_of_shape(
        &self,
        shape: &super::PageShape,
        params: &[Param],
        response: &Response,
    ) -> Option<Pagination> {
        let token_param = params.iter().position(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == shape.token_param
                && p.ty == TypeRef::String
                && p.style == ParamStyle::Form
        })?;
        let ResponseKind::Json(TypeRef::Named(page)) = &response.kind else {
            return None;
        };
        let TypeKind::Struct(s) = &self.types.get(page)?.kind else {
            return None;
        };
        let items = s.fields.iter().find(|f| f.wire_name == shape.items)?;
        let item = match &items.ty() {
            TypeRef::Vec(t) => (**t).clone(),
            _ => return None,
        };
        let token = s.fields.iter().find(|f| f.wire_name == shape.next_token)?;
        if token.value != TypeRef::String || token.presence == Presence::Clearable {
            return None;
        }
        let total =
            s.fields.iter().find(|f| f.wire_name == "total_size" && matches!(f.value, TypeRef::Integer(_)));
        Some(Pagination {
            page: page.clone(),
            item,
            token_param,
            items_field: items.name.clone(),
            token_field: token.name.clone(),
            token_optional: token.presence.is_option(),
            total_field: total.map(|f| f.name.clone()),
            total_optional: total.is_some_and(|f| f.presence.is_option()),
        })
    }
}

fn ty_name(t: &TypeRef) -> Option<&str> {
    match t {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// `{type: string, format: binary}`: raw bytes, whatever the media type.
fn is_binary_schema(s: &ReferenceOr<openapiv3::Schema>) -> bool {
    matches!(s, ReferenceOr::Item(s) if matches!(
        &s.schema_kind,
        openapiv3::SchemaKind::Type(openapiv3::Type::String(t))
            if matches!(&t.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    ))
}

fn pick_request_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType, BodyKind)> {
    let classify = |ct: &str, m: &openapiv3::MediaType| -> Option<(u8, BodyKind)> {
        let base = ct.split(';').next().unwrap_or(ct).trim().to_ascii_lowercase();
        let schema_is_binary = |m: &openapiv3::MediaType| m.schema.as_ref().is_none_or(is_binary_schema);
        Some(match base.as_str() {
            _ if is_json(&base) => (0, BodyKind::Json),
            "*/*" if !schema_is_binary(m) => (0, BodyKind::Json),
            "multipart/form-data" => (1, BodyKind::Multipart),
            "application/x-www-form-urlencoded" => (2, BodyKind::Form),
            "application/xml" | "text/xml" => return None,
            _ if base.starts_with("text/") => (4, BodyKind::Text),
            _ if base.starts_with("multipart/") => return None,
            _ => (3, BodyKind::Bytes),
        })
    };
    content
        .iter()
        .filter_map(|(ct, m)| classify(ct, m).map(|(rank, kind)| (rank, ct.as_str(), m, kind)))
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, ct, m, kind)| (ct, m, kind))
}

fn pick_response_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> (&str, &openapiv3::MediaType) {
    content
        .iter()
        .find(|(ct, _)| is_json(ct))
        .or_else(|| content.iter().find(|(ct, _)| !ct.contains("xml")))
        .or_else(|| content.first())
        .map(|(ct, m)| (ct.as_str(), m))
        .expect("called with non-empty content")
}

/// A by-status enum's variant for a response key: the status's reason phrase (`NotFound`,
/// `UnprocessableEntity`), else the range or `Status{code}`.
fn status_variant(key: &str) -> String {
    let reason = key.parse::<u16>().ok().and_then(|c| http::StatusCode::from_u16(c).ok()?.canonical_reason());
    match (key, reason) {
        (_, Some(reason)) => reason.to_upper_camel_case(),
        ("2XX", _) => "Success".to_string(),
        ("4XX", _) => "ClientError".to_string(),
        ("5XX", _) => "ServerError".to_string(),
        ("default", _) => "Other".to_string(),
        (k, None) => format!("Status{k}"),
    }
}
