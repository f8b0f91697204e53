//! Lowering: the parsed document becomes the IR. All validation happens here; every problem is
//! recorded as a diagnostic with its JSON pointer and lowering goes on, so one run reports them all.

mod cycles;
mod operation;
mod resource;
mod schema;
mod security;
mod traits;

use crate::diag::Diagnostics;
use crate::ident::{self, NameScope};
use crate::ir::{
    Api, ClientDefault, EnvVars, ParamLocation, ParamStyle, Presence, TypeDef, TypeKind, TypeRef,
};
use crate::load::Document;
use crate::overrides::TypeOverrides;
use crate::pointer::child;
use openapiv3::{OpenAPI, ReferenceOr};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Lowers a parsed document. Warnings are returned beside the API; errors replace it.
pub(crate) use traits::settle;

/// What the user's `Config` decides about lowering.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Formats and schemas mapped to the user's own types.
    pub overrides: TypeOverrides,
    /// Objects that don't say `additionalProperties` (which JSON Schema leaves open) keep the
    /// properties they don't declare in `additional_properties`, so a value read and sent back
    /// loses nothing. Off by default: most documents list every property, and the map costs a
    /// field in every struct.
    pub keep_undeclared: bool,
    /// Operations the user places in the SDK without editing the document (`Config::resource`,
    /// `Config::method_name`), by operationId: what `x-sdk-resource` and `x-sdk-method` say.
    pub placements: BTreeMap<String, Placement>,
    /// Page shapes besides the default (`page_token` → `items`, `next_page_token`), tried first
    /// (`Config::pagination`).
    pub page_shapes: Vec<PageShape>,
    /// The map type of objects with `additionalProperties` (`Config::map_type`); `None`:
    /// `BTreeMap`.
    pub map_type: Option<String>,
}

/// How a paginated list is written: the query parameter a request passes the token in, and the
/// page's fields (wire names) that hold the items and the next page's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageShape {
    pub token_param: String,
    pub items: String,
    pub next_token: String,
}

impl Default for PageShape {
    fn default() -> Self {
        PageShape {
            token_param: "page_token".into(),
            items: "items".into(),
            next_token: "next_page_token".into(),
        }
    }
}

/// Where the user puts an operation: its resource path (`beta.directories.files`) and its
/// method name, each when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    pub resource: Option<String>,
    pub method: Option<String>,
}

pub fn lower(doc: &Document, settings: &Settings) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Lowerer::new(&doc.spec, &doc.targets, settings);
    cx.diags.items.extend(doc.notes.iter().cloned());
    cx.lower_components();
    cx.lower_security_schemes();
    let mut operations = cx.lower_operations();
    cx.drop_json_file_parts(&mut operations);
    cx.binary_as_text(&mut operations);
    let resources = resource::build_tree(cx.spec, &mut operations, &mut cx.diags);
    cx.close_tags();
    cx.absent_tags();
    cx.box_cycles();
    cx.unused_overrides();
    cx.unused_placements(&operations);
    one_direction_fields(&mut cx.types, &mut operations);
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
        type_attributes: Default::default(),
        field_attributes: Default::default(),
        serde_readers: Default::default(),
        map_type: settings.map_type.clone(),
    };
    Ok((api, diags))
}

/// A required readOnly field of a type requests carry never comes from the caller, and a
/// required writeOnly one of a type responses carry never comes back: both become optional there
/// (and the body setters follow). In a type used one way only they stay as the schema says.
fn one_direction_fields(types: &mut BTreeMap<String, TypeDef>, operations: &mut [crate::ir::Operation]) {
    let lookup = |n: &str| types.get(n).map(|t| &t.kind);
    let in_requests = crate::ir::reachable_in(lookup, crate::ir::request_roots(operations));
    let in_responses = crate::ir::reachable_in(lookup, crate::ir::response_roots(operations));
    for (name, t) in types.iter_mut() {
        let TypeKind::Struct(s) = &mut t.kind else { continue };
        let relax = |f: &crate::ir::Field| {
            (f.read_only && in_requests.contains(name)) || (f.write_only && in_responses.contains(name))
        };
        for f in s.fields.iter_mut().filter(|f| f.presence.required() && relax(f)) {
            // A writeOnly one is still required in what a request sends (unless it is null).
            f.sent_required = f.write_only && in_requests.contains(name) && f.presence == Presence::Required;
            f.presence = match f.presence {
                Presence::Required => Presence::Optional,
                _ => Presence::OptionalNullable,
            };
        }
    }
    for b in operations.iter_mut().filter_map(|op| op.body.as_mut()) {
        let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = b.ty.direct_named().and_then(|n| types.get(n))
        else {
            continue;
        };
        for bf in &mut b.fields {
            if let Some(f) = s.fields.iter().find(|f| f.name == bf.field) {
                (bf.required, bf.ty) = (f.presence.required(), f.ty());
                if f.sent_required {
                    (bf.required, bf.sent_required, bf.ty) = (true, true, f.value.clone());
                }
            }
        }
    }
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
            for f in s.fields.iter_mut().filter(|f| f.presence == Presence::OptionalNullable) {
                f.presence = Presence::Clearable;
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
        .filter(|p| {
            p.location == ParamLocation::Query
                && !p.required
                && p.ty == TypeRef::String
                && p.style == ParamStyle::Form
        })
        .filter(|p| p.wire_name != "page_token")
        .filter(|p| {
            ops.iter().all(|op| {
                op.params.iter().any(|q| {
                    q.wire_name == p.wire_name
                        && q.location == ParamLocation::Query
                        && q.ty == TypeRef::String
                        && q.style == ParamStyle::Form
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
    /// What `$ref`s to places other than `#/components/<section>/<name>` point to.
    pub targets: &'a crate::load::Targets,
    /// The type of the inline schema at each pointer, as first lowered.
    pub inline_at: HashMap<String, TypeRef>,
    /// Pointers a `$ref` resolved to: an inline schema there is that one type wherever it is met.
    pub ref_targets: HashSet<String>,
    /// Deep `$ref`s being resolved (a reference back to one of them is a cycle).
    resolving: Vec<String>,
    /// Inline schemas being lowered (one met again inside itself is a cycle through `allOf`).
    lowering: HashSet<String>,
    /// Formats and schemas the user maps to their own types, and the ones that matched.
    overrides: &'a TypeOverrides,
    overrides_used: HashSet<String>,
    /// User types standing for scalar schemas (a format's, or a string schema's): these can
    /// be sent in a path or header.
    scalar_externals: HashSet<String>,
    /// While an operation is lowered: whether a parameter, body or response `$ref` of it
    /// dangled (a warning that skips the operation, not an error that fails the document).
    /// `None` outside operations.
    dangling_in_operation: Option<bool>,
    /// See [`Settings::keep_undeclared`].
    keep_undeclared: bool,
    /// See [`Settings::placements`].
    placements: &'a BTreeMap<String, Placement>,
    /// The user's page shapes, then the default one.
    page_shapes: Vec<PageShape>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI, targets: &'a crate::load::Targets, settings: &'a Settings) -> Self {
        let mut type_names = NameScope::new();
        // Names the emitted module defines next to the types.
        type_names.reserve(crate::ir::RESERVED_TYPE_NAMES.iter().copied());
        Lowerer {
            spec,
            diags: Diagnostics::default(),
            types: BTreeMap::new(),
            type_names,
            components: HashMap::new(),
            nullable_components: HashSet::new(),
            tag_fields: Vec::new(),
            schemes: security::Schemes::default(),
            targets,
            inline_at: HashMap::new(),
            ref_targets: HashSet::new(),
            resolving: Vec::new(),
            lowering: HashSet::new(),
            overrides: &settings.overrides,
            overrides_used: HashSet::new(),
            scalar_externals: HashSet::new(),
            dangling_in_operation: None,
            keep_undeclared: settings.keep_undeclared,
            placements: &settings.placements,
            page_shapes: settings.page_shapes.iter().cloned().chain([PageShape::default()]).collect(),
        }
    }

    /// The document's schemas as `$ref`s name them: the one resolver.
    pub(crate) fn schemas(&self) -> schema::refs::Schemas<'a> {
        schema::refs::Schemas::new(self.spec, self.targets)
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
                if schema::admits_null(s) {
                    self.nullable_components.insert(key.clone());
                }
            }
        }
        for (key, schema) in &components.schemas {
            let pointer = child("#/components/schemas", key);
            if self.overridden_schema(&pointer).is_some() {
                continue;
            }
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

    /// The user's type for the schema at `pointer`, if they gave one.
    pub(crate) fn overridden_schema(&mut self, pointer: &str) -> Option<TypeRef> {
        let ty = self.overrides.schemas.get(pointer)?;
        if self.overrides_used.insert(pointer.to_string()) && self.is_scalar_schema_at(pointer) {
            self.scalar_externals.insert(ty.clone());
        }
        Some(TypeRef::External(ty.clone()))
    }

    /// Whether the schema at `pointer` has a scalar `type`.
    fn is_scalar_schema_at(&self, pointer: &str) -> bool {
        use openapiv3::{SchemaKind, Type};
        // A pointer is the reference that names its place.
        match self.schemas().target(pointer).map(|(s, _)| s) {
            Some(ReferenceOr::Item(s)) => match &s.schema_kind {
                SchemaKind::Type(t) => !matches!(t, Type::Object(_) | Type::Array(_)),
                SchemaKind::Any(a) => {
                    matches!(a.typ.as_deref(), Some("string" | "integer" | "number" | "boolean"))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// The user's type for a `format`, if they gave one.
    pub(crate) fn overridden_format(&mut self, format: &str) -> Option<TypeRef> {
        let ty = self.overrides.formats.get(format)?;
        self.overrides_used.insert(format!("format:{format}"));
        self.scalar_externals.insert(ty.clone());
        Some(TypeRef::External(ty.clone()))
    }

    /// A warning for each placement that names no operation (a misspelt operationId would
    /// otherwise go unnoticed).
    fn unused_placements(&mut self, operations: &[crate::ir::Operation]) {
        for id in self.placements.keys() {
            if !operations.iter().any(|op| op.id == *id) {
                self.diags.warning("", format!("the placement of `{id}` names no generated operation"));
            }
        }
    }

    /// A warning for each override that matched nothing (a misspelt name would otherwise go
    /// unnoticed).
    fn unused_overrides(&mut self) {
        for (format, ty) in &self.overrides.formats {
            if !self.overrides_used.contains(&format!("format:{format}")) {
                self.diags.warning(
                    "",
                    format!("no schema has format `{format}`; the override to `{ty}` is unused"),
                );
            }
        }
        for (pointer, ty) in &self.overrides.schemas {
            if !self.overrides_used.contains(pointer) {
                self.diags.warning(
                    "",
                    format!("no schema at `{pointer}` is used; the override to `{ty}` is unused"),
                );
            }
        }
    }

    pub fn define(&mut self, name: String, doc: Option<String>, pointer: String, kind: TypeKind) {
        self.types.insert(name.clone(), TypeDef { name, doc, pointer, kind, traits: Default::default() });
    }

    /// `#/components/schemas/X` → the Rust type for X; a reference to any other place in the
    /// document → the type of the schema there.
    pub fn resolve_schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(key) = schema_key(reference) {
            if let Some(ty) = self.overridden_schema(&child("#/components/schemas", &key)) {
                return if self.nullable_components.contains(&key) { ty.option() } else { ty };
            }
            return match self.components.get(&key) {
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
            };
        }
        if !reference.starts_with('#') {
            self.diags.error(pointer, external_ref(reference));
            return TypeRef::Json;
        }
        let target = crate::pointer::ref_pointer(reference);
        if let Some(ty) = self.inline_at.get(&target) {
            return ty.clone();
        }
        if self.resolving.contains(&target) {
            self.diags.warning(
                pointer,
                format!("`$ref` `{reference}` refers back into the inline schema it is part of; using any JSON value"),
            );
            return TypeRef::Json;
        }
        let ty = match self.schemas().target(reference).map(|(s, _)| s) {
            Some(ReferenceOr::Item(schema)) => {
                self.resolving.push(target.clone());
                let hint = self.pointer_hint(&target);
                let ty = self.inline_type(schema, &target, &hint);
                self.resolving.pop();
                ty
            }
            Some(ReferenceOr::Reference { reference: next }) => {
                self.resolving.push(target.clone());
                let ty = self.resolve_schema_ref(next, &target);
                self.resolving.pop();
                ty
            }
            None => {
                let message = self.missing_target(reference, "a schema");
                self.diags.error(pointer, message);
                return TypeRef::Json;
            }
        };
        self.ref_targets.insert(target.clone());
        self.inline_at.entry(target).or_insert(ty).clone()
    }

    /// Why a reference to a place other than a component found nothing to use.
    fn missing_target(&self, reference: &str, what: &str) -> String {
        if !reference.starts_with('#') {
            external_ref(reference)
        } else if self.targets.present.contains(reference) {
            format!("$ref `{reference}` does not point to {what}")
        } else {
            format!("unresolved $ref `{reference}`: the document has nothing at that place")
        }
    }

    /// A name for a type met through a `$ref` into another schema: the component's name and the
    /// property names on the way (`#/components/schemas/Pet/properties/owner` → `PetOwner`).
    fn pointer_hint(&self, target: &str) -> String {
        let tokens = crate::pointer::ref_tokens(target).unwrap_or_default();
        let (mut hint, rest) = match tokens.as_slice() {
            [c, s, key, rest @ ..] if c == "components" && s == "schemas" => {
                (self.components.get(key).cloned().unwrap_or_else(|| ident::camel(key)), rest)
            }
            all => (String::new(), all),
        };
        for t in rest {
            match t.as_str() {
                "properties" | "schema" | "content" | "paths" | "components" => {}
                "items" => hint.push_str("Item"),
                "additionalProperties" => hint.push_str("Value"),
                other => hint.push_str(&ident::camel(other)),
            }
        }
        if hint.is_empty() {
            "Schema".to_string()
        } else {
            hint
        }
    }

    /// Resolves a local `$ref` to a component of another kind (`parameters`, `requestBodies`,
    /// `responses`) or to any place in the document that holds one, following chains of
    /// references a bounded number of times.
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
        let targets: &'s crate::load::Targets = self.targets;
        let mut current = item;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(t) => return Some(t),
                ReferenceOr::Reference { reference } => {
                    let found = match crate::pointer::component_key(reference, section) {
                        Some(key) => match spec.components.as_ref().and_then(|c| table(c).get(&key)) {
                            Some(next) => next,
                            None => {
                                let message = format!(
                                    "unresolved $ref `{reference}`: no `{key}` in #/components/{section}"
                                );
                                self.dangling(pointer, section, message);
                                return None;
                            }
                        },
                        None => match table(&targets.parts).get(reference) {
                            Some(next) => next,
                            None => {
                                let what = match section {
                                    "parameters" => "a parameter",
                                    "requestBodies" => "a request body",
                                    "responses" => "a response",
                                    "examples" => "an example",
                                    other => other,
                                };
                                let message = self.missing_target(reference, what);
                                self.dangling(pointer, section, message);
                                return None;
                            }
                        },
                    };
                    current = found;
                }
            }
        }
        self.diags.error(pointer, "a chain of $refs longer than 16 (or a cycle of $refs)");
        None
    }

    /// A `$ref` that points nowhere: inside an operation it costs only the operation (an
    /// example's, only the example).
    fn dangling(&mut self, pointer: &str, section: &str, message: String) {
        match &mut self.dangling_in_operation {
            Some(_) if section == "examples" => {
                self.diags.warning(pointer, format!("{message}; example left out"))
            }
            Some(dangled) => {
                *dangled = true;
                self.diags.warning(pointer, format!("{message}; operation skipped"));
            }
            None => self.diags.error(pointer, message),
        }
    }
}

fn external_ref(reference: &str) -> String {
    format!(
        "unsupported $ref `{reference}`: only references within this document (`#/...`) are supported; bundle the document into one file first"
    )
}

/// The component name in a `#/components/schemas/<name>` reference (`None` for a reference
/// deeper into a schema, or to anything else).
pub(crate) fn schema_key(reference: &str) -> Option<String> {
    crate::pointer::component_key(reference, "schemas")
}
