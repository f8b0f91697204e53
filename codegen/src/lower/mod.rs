//! Lowering: the parsed document becomes the IR. All validation happens here; every problem is
//! recorded as a diagnostic with its JSON pointer and lowering goes on, so one run reports them all.

mod cycles;
mod operation;
mod resource;
mod schema;
mod security;

use crate::diag::{child, Diagnostics};
use crate::ident::{self, NameScope};
use crate::ir::{Api, ClientDefault, EnvVars, ParamLocation, TypeDef, TypeKind, TypeRef};
use crate::load::Document;
use openapiv3::{OpenAPI, ReferenceOr};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Lowers a parsed document. Warnings are returned beside the API; errors replace it.
pub fn lower(doc: &Document) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Lowerer::new(&doc.spec);
    cx.lower_components();
    cx.lower_security_schemes();
    let mut operations = cx.lower_operations();
    let resources = resource::build_tree(cx.spec, &mut operations, &mut cx.diags);
    cx.close_tags();
    cx.box_cycles();
    three_state_request_fields(&mut cx.types, &mut operations);
    let schemes = std::mem::take(&mut cx.schemes);
    let (security_schemes, api_key_required) =
        security::finish(schemes, &mut operations, &cx.client_method_names());
    let client_defaults = client_defaults(&operations, &cx, &security_schemes);
    let mut diags = std::mem::take(&mut cx.diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    let info = &doc.spec.info;
    let api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        source_hash: crate::hash::fnv1a64(&doc.source),
        default_base_url: default_base_url(&doc.spec),
        env: env_vars(&doc.spec),
        types: cx.types.into_values().collect(),
        operations,
        resources,
        client_defaults,
        security_schemes,
        api_key_required,
    };
    Ok((api, diags))
}

/// In types a request carries, a field that may be absent and may be null gets three states
/// (`Option<Option<T>>`), so a PATCH can clear it; response types keep one `Option`.
fn three_state_request_fields(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &mut [crate::ir::Operation],
) {
    let in_requests =
        crate::ir::reachable_in(|n| types.get(n).map(|t| &t.kind), crate::ir::request_roots(operations));
    let mut changed: HashSet<(String, String)> = HashSet::new();
    for name in &in_requests {
        if let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = types.get_mut(name) {
            for f in s.fields.iter_mut().filter(|f| f.nullable && f.ty.is_option()) {
                f.ty = TypeRef::Option(Box::new(f.ty.clone()));
                changed.insert((name.clone(), f.name.clone()));
            }
        }
    }
    for op in operations {
        if let Some(b) = &mut op.body {
            let Some(body_type) = b.ty.direct_named().map(str::to_string) else { continue };
            for f in &mut b.fields {
                if changed.contains(&(body_type.clone(), f.field.clone())) {
                    f.ty = TypeRef::Option(Box::new(f.ty.clone()));
                }
            }
        }
    }
}

fn default_base_url(spec: &OpenAPI) -> Option<String> {
    let server = spec.servers.first()?;
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.trim_end_matches('/').to_string())
}

fn env_vars(spec: &OpenAPI) -> EnvVars {
    let ext = spec.info.extensions.get("x-sdk-env");
    let get = |k: &str| ext.and_then(|e| e.get(k)).and_then(|v| v.as_str()).map(str::to_string);
    let prefix = ident::snake(&spec.info.title).to_uppercase();
    EnvVars {
        api_key: get("api_key").unwrap_or_else(|| format!("{prefix}_API_KEY")),
        base_url: get("base_url").unwrap_or_else(|| format!("{prefix}_BASE_URL")),
    }
}

/// Optional string query parameters that every operation declares can be set on the client once.
fn client_defaults(
    ops: &[crate::ir::Operation],
    cx: &Lowerer,
    schemes: &[crate::ir::SecurityScheme],
) -> Vec<ClientDefault> {
    let Some(first) = ops.first() else {
        return vec![];
    };
    let reserved = cx.client_method_names();
    first
        .params
        .iter()
        // Paging parameters differ per call by nature; never a client-wide default.
        .filter(|p| p.location == ParamLocation::Query && !p.required && p.ty == TypeRef::String)
        .filter(|p| p.wire_name != "page_token")
        .filter(|p| {
            ops.iter().all(|op| {
                op.params.iter().any(|q| {
                    q.wire_name == p.wire_name
                        && q.location == ParamLocation::Query
                        && q.ty == TypeRef::String
                })
            })
        })
        .filter(|p| !reserved.contains(&p.name.as_str()))
        .filter(|p| !schemes.iter().any(|s| s.setter == p.name))
        .map(|p| ClientDefault { name: p.name.clone(), wire_name: p.wire_name.clone(), doc: p.doc.clone() })
        .collect()
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'a> {
    pub spec: &'a OpenAPI,
    pub diags: Diagnostics,
    /// Every named type, keyed (and so ordered) by its Rust name.
    pub types: BTreeMap<String, TypeDef>,
    pub type_names: NameScope,
    /// Component schema key → Rust type name.
    pub components: HashMap<String, String>,
    /// Components that admit null: every reference to them is an `Option`.
    pub nullable_components: HashSet<String>,
    /// Members of tagged unions whose tag field holds one fixed value: (struct, tag, value). Their
    /// tag types are closed once every type is defined (see `close_tags`).
    pub tag_fields: Vec<(String, String, String)>,
    /// Security schemes as declared, and the document-level requirement.
    pub schemes: security::Schemes,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI) -> Self {
        let mut type_names = NameScope::new();
        // Names the emitted module defines next to the types.
        type_names.reserve(["Client", "ClientBuilder", "Error", "Result", "Option", "Vec", "String", "Box"]);
        Lowerer {
            spec,
            diags: Diagnostics::default(),
            types: BTreeMap::new(),
            type_names,
            components: HashMap::new(),
            nullable_components: HashSet::new(),
            tag_fields: Vec::new(),
            schemes: security::Schemes::default(),
        }
    }

    fn client_method_names(&self) -> Vec<&'static str> {
        vec![
            "api_key",
            "base_url",
            "from_env",
            "http_client",
            "max_retries",
            "timeout",
            "connect_timeout",
            "deadline",
            "user_agent",
            "build",
            "header",
            "default_query",
        ]
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for key in components.schemas.keys() {
            let name = self.type_names.claim(&ident::camel(key));
            self.components.insert(key.clone(), name);
        }
        for (key, schema) in &components.schemas {
            if let ReferenceOr::Item(s) = schema {
                let null_member = match &s.schema_kind {
                    openapiv3::SchemaKind::OneOf { one_of: m }
                    | openapiv3::SchemaKind::AnyOf { any_of: m } => m.iter().any(schema::is_null_schema),
                    _ => false,
                };
                if s.schema_data.nullable || null_member {
                    self.nullable_components.insert(key.clone());
                }
            }
        }
        for (key, schema) in &components.schemas {
            let pointer = child("#/components/schemas", key);
            let name = self.components[key].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let ty = self.resolve_schema_ref(reference, &pointer);
                    self.define(name, None, pointer, TypeKind::Alias(ty));
                }
                ReferenceOr::Item(s) => self.define_component(&name, s, &pointer),
            }
        }
    }

    pub fn define(&mut self, name: String, doc: Option<String>, pointer: String, kind: TypeKind) {
        self.types.insert(name.clone(), TypeDef { name, doc, pointer, kind });
    }

    /// `#/components/schemas/X` → the Rust type for X.
    pub fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match schema_key(reference) {
            Some(key) => match self.components.get(&key) {
                Some(name) if self.nullable_components.contains(&key) => {
                    TypeRef::Named(name.clone()).option()
                }
                Some(name) => TypeRef::Named(name.clone()),
                None => {
                    self.diags.error(
                        pointer,
                        format!("unresolved $ref `{reference}`: no schema `{key}` in #/components/schemas"),
                    );
                    TypeRef::Json
                }
            },
            None => {
                self.diags.error(
                    pointer,
                    format!(
                        "unsupported $ref `{reference}`: schemas may only refer to #/components/schemas/... in the same document"
                    ),
                );
                TypeRef::Json
            }
        }
    }

    /// Resolves a local `$ref` to a component of another kind (`parameters`, `requestBodies`,
    /// `responses`), following chains of references a bounded number of times.
    pub fn resolve<'s, T>(
        &mut self,
        item: &'s ReferenceOr<T>,
        pointer: &str,
        section: &str,
        table: impl Fn(&'s openapiv3::Components) -> &'s indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<&'s T>
    where
        'a: 's,
    {
        let spec: &'s OpenAPI = self.spec;
        let mut current = item;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(t) => return Some(t),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{section}/");
                    let key = reference.strip_prefix(&prefix).map(crate::diag::unescape);
                    let found =
                        key.as_ref().and_then(|k| spec.components.as_ref().and_then(|c| table(c).get(k)));
                    match found {
                        Some(next) => current = next,
                        None => {
                            self.diags.error(
                                pointer,
                                format!("unresolved $ref `{reference}`: expected a #/components/{section}/... entry"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        self.diags.error(pointer, "a chain of $refs longer than 16 (or a cycle of $refs)");
        None
    }
}

/// The component name in a `#/components/schemas/...` reference.
pub(crate) fn schema_key(reference: &str) -> Option<String> {
    reference.strip_prefix("#/components/schemas/").map(crate::diag::unescape)
}
