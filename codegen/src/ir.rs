//! The intermediate model between the OpenAPI document and Rust code. It owns its data, every
//! `$ref` is resolved, every name is a valid Rust identifier: emission cannot fail on it.

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// A hash of the document's bytes, written into the generated header.
    pub source_hash: String,
    pub default_base_url: Option<String>,
    /// Environment variables for the key and base URL.
    pub env: EnvVars,
    /// Types in a stable order (by name).
    pub types: Vec<TypeDef>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// The resource tree; the root is the client itself.
    pub resources: Resource,
    /// Query parameters that every operation declares with the same type: settable once on the
    /// client.
    pub client_defaults: Vec<ClientDefault>,
    /// The security schemes operations use, in document order; `SchemeRef`s index into it.
    pub security_schemes: Vec<SecurityScheme>,
    /// Whether `build` refuses a client without the API key: every operation needs the primary
    /// scheme.
    pub api_key_required: bool,
    /// The user's attributes (`Config::type_attribute`): type name → attributes, each a valid
    /// outer attribute, written after the type's own derive.
    pub type_attributes: std::collections::BTreeMap<String, Vec<String>>,
    /// The user's field attributes (`Config::field_attribute`): type name → field name →
    /// attributes.
    pub field_attributes: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>,
    /// Types the user derives a `#[serde]`-reading derive on (schemars' `JsonSchema`): type name
    /// → the `cfg` predicate it is derived under (`None`: always). Their fields and variants
    /// carry `#[serde]` attributes that say what the written-out serde impls do, so the derive
    /// sees wire names, tags and flattening.
    pub serde_readers: std::collections::BTreeMap<String, Option<String>>,
    /// The map type of objects with `additionalProperties` (`Config::map_type`, a path such as
    /// `indexmap::IndexMap`); `None`: `std::collections::BTreeMap`.
    pub map_type: Option<String>,
}

/// A security scheme from `components/securitySchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the document (`bearerAuth`).
    pub name: String,
    /// The client builder method that sets its credential.
    pub setter: String,
    pub kind: SchemeKind,
    /// The primary scheme: the first bearer-like scheme of the document-level requirement. Its
    /// credential is the API key (`api_key`, read from the environment by `from_env`).
    pub primary: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// `type: http, scheme: bearer`.
    Bearer { format: Option<String> },
    /// `type: http, scheme: basic`.
    Basic,
    /// `type: oauth2`: the caller obtains an access token; it is sent as a bearer token.
    OAuth2,
    /// `type: openIdConnect`: likewise a bearer token.
    OpenIdConnect,
    /// `type: apiKey`.
    ApiKey { location: KeyLocation, name: String },
}

impl SchemeKind {
    /// Sent as `Authorization: Bearer <token>`.
    pub fn is_bearer_like(&self) -> bool {
        matches!(self, SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// One scheme of a security requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeRef {
    /// Index into `Api::security_schemes`.
    pub scheme: usize,
    /// OAuth 2 scopes the requirement lists (documentation only).
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvVars {
    pub api_key: String,
    pub base_url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientDefault {
    /// Setter name on the client builder.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    pub doc: Option<String>,
}

impl Api {
    /// The named types a request can carry: parameter and body types and all they contain.
    pub fn request_types(&self) -> std::collections::BTreeSet<String> {
        self.reachable(request_roots(&self.operations))
    }

    /// The named types a response can carry, an error's included.
    pub fn response_types(&self) -> std::collections::BTreeSet<String> {
        self.reachable(response_roots(&self.operations))
    }

    /// The named types reachable from `roots`.
    pub fn reachable(&self, roots: Vec<&TypeRef>) -> std::collections::BTreeSet<String> {
        let by_name: std::collections::BTreeMap<&str, &TypeDef> =
            self.types.iter().map(|t| (t.name.as_str(), t)).collect();
        reachable_in(|n| by_name.get(n).map(|t| &t.kind), roots)
    }
}

impl Api {
    /// Every type reference the API holds, in its types and its operations, and every name of a
    /// generated type: the one walk that passes which rewrite names (renames) go through.
    pub fn visit_names_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        fn in_ref(t: &mut TypeRef, f: &mut dyn FnMut(&mut String)) {
            match t {
                TypeRef::Named(n) => f(n),
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => {
                    in_ref(inner, f)
                }
                _ => {}
            }
        }
        fn in_by_status(b: &mut ByStatus, f: &mut dyn FnMut(&mut String)) {
            f(&mut b.name);
            b.cases.iter_mut().filter_map(|c| c.ty.as_mut()).for_each(|t| in_ref(t, f));
        }
        for t in &mut self.types {
            f(&mut t.name);
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter_mut().for_each(|x| in_ref(&mut x.value, f));
                    s.additional.iter_mut().for_each(|a| in_ref(a, f));
                }
                TypeKind::Untagged(vs) => vs.iter_mut().for_each(|v| in_ref(&mut v.ty, f)),
                TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| in_ref(&mut v.ty, f)),
                TypeKind::Alias(a) => in_ref(a, f),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &mut self.operations {
            op.params.iter_mut().for_each(|p| in_ref(&mut p.ty, f));
            if let Some(b) = &mut op.body {
                in_ref(&mut b.ty, f);
                b.fields.iter_mut().for_each(|x| in_ref(&mut x.ty, f));
            }
            match &mut op.response.kind {
                ResponseKind::Json(t) => in_ref(t, f),
                ResponseKind::ByStatus(b) => in_by_status(b, f),
                _ => {}
            }
            if let Some(s) = &mut op.response.stream {
                in_ref(&mut s.item, f);
            }
            if let Some(b) = &mut op.errors {
                in_by_status(b, f);
            }
            if let Some(p) = &mut op.pagination {
                f(&mut p.page);
                in_ref(&mut p.item, f);
            }
        }
    }
}

/// Names the generated code uses beside the types (the client, the runtime's error, prelude
/// types): a type of that name would shadow them.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] =
    &["Client", "ClientBuilder", "Error", "Result", "Option", "Vec", "String", "Box"];

/// The response types of `operations`, errors' included.
pub fn response_roots(operations: &[Operation]) -> Vec<&TypeRef> {
    operations.iter().flat_map(Operation::answer_types).collect()
}

/// The parameter and body types of `operations`.
pub fn request_roots(operations: &[Operation]) -> Vec<&TypeRef> {
    let params = operations.iter().flat_map(|op| op.params.iter().map(|p| &p.ty));
    params.chain(operations.iter().filter_map(|op| op.body.as_ref().map(|b| &b.ty))).collect()
}

/// The named types reachable from `roots`, looking types up with `lookup`.
pub fn reachable_in<'t>(
    lookup: impl Fn(&str) -> Option<&'t TypeKind>,
    roots: Vec<&'t TypeRef>,
) -> std::collections::BTreeSet<String> {
    let mut stack: Vec<&str> = Vec::new();
    roots.into_iter().for_each(|t| t.named_in(&mut stack));
    let mut seen = std::collections::BTreeSet::new();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.to_string()) {
            continue;
        }
        if let Some(kind) = lookup(n) {
            kind.children().for_each(|t| t.named_in(&mut stack));
        }
    }
    seen
}

/// A Rust type that the emitted code refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    DateTime,
    Date,
    Bool,
    Integer(IntKind),
    Float(FloatKind),
    /// Any JSON value.
    Json,
    /// `null`, the only value of a schema like `{type: string, enum: [null]}` (schemars' `()`).
    Unit,
    /// A JSON object with any values.
    JsonObject,
    /// Bytes of a file part or an octet-stream body.
    Binary,
    /// Bytes inside JSON as base64 text. Lowering gives it to `format: binary`, which becomes a
    /// file part in a multipart body and text anywhere else before lowering ends.
    Base64,
    Named(String),
    /// A type of the user's, by path, from the generator's type overrides.
    External(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Option(Box<TypeRef>),
    Box(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FloatKind {
    F32,
    F64,
}

impl TypeRef {
    pub fn option(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    /// The type without an outer `Option`.
    pub fn unwrap_option(&self) -> &TypeRef {
        match self {
            TypeRef::Option(inner) => inner,
            other => other,
        }
    }

    /// The type without an outer `Box`.
    pub fn unbox(&self) -> &TypeRef {
        match self {
            TypeRef::Box(inner) => inner,
            other => other,
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, TypeRef::Option(_))
    }

    /// Whether `Default` can be derived for a struct holding this type.
    pub fn has_default(&self, types: &dyn Fn(&str) -> bool) -> bool {
        match self {
            TypeRef::DateTime | TypeRef::Date | TypeRef::Binary | TypeRef::External(_) => false,
            TypeRef::Named(n) => types(n),
            TypeRef::Box(inner) => inner.has_default(types),
            _ => true,
        }
    }

    /// Whether this type contains a binary part (such types are multipart-only).
    pub fn contains_binary(&self) -> bool {
        self.contains(&|t| *t == TypeRef::Binary)
    }

    /// Whether `hit` holds for this type or one it wraps (through lists, maps, options, boxes).
    pub fn contains(&self, hit: &dyn Fn(&TypeRef) -> bool) -> bool {
        hit(self)
            || match self {
                TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::Option(t) | TypeRef::Box(t) => t.contains(hit),
                _ => false,
            }
    }

    /// Whether a `format: binary` file part is in this type, through the named types it holds
    /// (`lookup` finds them).
    pub fn holds_binary<'t>(&'t self, lookup: &dyn Fn(&str) -> Option<&'t TypeKind>) -> bool {
        if self.is_file_part() {
            return true;
        }
        let mut stack = Vec::new();
        self.named_in(&mut stack);
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            for child in lookup(n).into_iter().flat_map(TypeKind::children) {
                if child.is_file_part() {
                    return true;
                }
                child.named_in(&mut stack);
            }
        }
        false
    }

    /// A file part, or a list, map or option of one (not through named types).
    pub fn is_file_part(&self) -> bool {
        match self {
            TypeRef::Binary => true,
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => i.is_file_part(),
            _ => false,
        }
    }

    /// Pushes every named type this type mentions.
    pub fn named_in<'t>(&'t self, out: &mut Vec<&'t str>) {
        match self {
            TypeRef::Named(n) => out.push(n),
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Box(i) => i.named_in(out),
            _ => {}
        }
    }

    /// The named type this holds, through `Box` and `Option` (a union member's type).
    pub fn held_named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Box(inner) | TypeRef::Option(inner) => inner.held_named(),
            _ => None,
        }
    }

    /// Named types referenced without indirection through `Vec` or a map (for cycle boxing).
    pub fn direct_named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            TypeRef::Option(t) => t.direct_named(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// JSON pointer of the schema it came from.
    pub pointer: String,
    pub kind: TypeKind,
    /// What lowering decided about the type's impls, once the API is whole (`lower::settle`).
    pub traits: Traits,
}

/// How a type is emitted, decided by lowering so that emission only prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traits {
    /// `Default` can be derived: every field has a default.
    pub default: bool,
    /// A request carries it (or no operation reaches it): `Serialize` is always compiled, not
    /// only with the generated crate's `serde-all`.
    pub serialize: bool,
    /// A response carries it (or no operation reaches it): `Deserialize` always compiled.
    pub deserialize: bool,
    /// It holds a file part: built for multipart bodies, with no serde impls.
    pub multipart: bool,
    /// A struct with `additionalProperties: false` that is a member of an untagged union (and
    /// of no tagged one): it refuses unknown fields, so an object meant for another member
    /// isn't taken for it.
    pub deny_unknown: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; open (a catch-all variant keeps values it doesn't know) unless it is the
    /// one-value tag of a tagged union's member.
    Enum(StringEnum),
    /// `oneOf`/`anyOf` without a usable tag: tried in order, objects first by the member that
    /// declares most of their keys.
    Untagged(Vec<Variant>),
    /// A union told apart by one property: a `discriminator`, a required property whose value is
    /// fixed in every member, or a base schema's `discriminator` over the schemas that extend it.
    Tagged {
        tag: String,
        variants: Vec<TaggedVariant>,
        /// The tag value an object without the tag decodes as: the one member whose tag a
        /// server may leave out ([`Field::absent_is_default`]), when exactly one has such a tag.
        absent: Option<String>,
    },
    /// A named alias for another type (a component schema that is a primitive, array or map).
    Alias(TypeRef),
}

impl TypeKind {
    /// The types this one holds directly (fields and additional properties, variants, an
    /// alias's target): the one walk over a type's children that every pass uses.
    pub fn children(&self) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
        match self {
            TypeKind::Struct(s) => Box::new(s.fields.iter().map(|f| &f.value).chain(&s.additional)),
            TypeKind::Untagged(vs) => Box::new(vs.iter().map(|v| &v.ty)),
            TypeKind::Tagged { variants, .. } => Box::new(variants.iter().map(|v| &v.ty)),
            TypeKind::Alias(a) => Box::new(std::iter::once(a)),
            TypeKind::Enum(_) => Box::new(std::iter::empty()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside declared properties: kept in a flattened map.
    pub additional: Option<TypeRef>,
    /// `additionalProperties: false` on a plain object: a member of an untagged union refuses
    /// unknown fields, so an object meant for another member isn't taken for this one.
    pub deny_unknown: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    /// The value's type, without what presence adds (see [`Field::ty`] for the Rust type).
    pub value: TypeRef,
    /// Whether the field is always there and whether it may be null: the one record of it.
    pub presence: Presence,
    /// `readOnly`: sent by the server only. In a type requests also carry it is optional (and
    /// written only when set), so a value read from a response encodes back unchanged.
    pub read_only: bool,
    /// `writeOnly`: sent by the client only; optional in a type responses also carry.
    pub write_only: bool,
    /// A required writeOnly field made optional because responses carry its type: a request
    /// must still send it, so `new` takes it.
    pub sent_required: bool,
    /// A required field that decodes as its type's `Default` when absent: a one-value tag
    /// made required so that its union is tagged, which a server may still leave out.
    pub absent_is_default: bool,
    pub doc: Option<String>,
}

impl Field {
    /// The field's Rust type: its value's, wrapped as its presence says.
    pub fn ty(&self) -> TypeRef {
        self.presence.wrap(self.value.clone())
    }
}

/// Whether a field is always there, and whether it may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always there, never null: `T`.
    Required,
    /// Always there, and may be null: `Option<T>`.
    RequiredNullable,
    /// May be left out, never null: `Option<T>`.
    Optional,
    /// May be left out or be null, both read as `None`: `Option<T>` (types only responses carry).
    OptionalNullable,
    /// May be left out, be null, or hold a value, three states a request tells apart (null
    /// clears a value in a PATCH): `Option<Option<T>>`.
    Clearable,
}

impl Presence {
    /// `value`'s type wrapped as this presence says.
    pub fn wrap(self, value: TypeRef) -> TypeRef {
        match self {
            Presence::Required => value,
            Presence::Clearable => TypeRef::Option(Box::new(TypeRef::Option(Box::new(value)))),
            _ => TypeRef::Option(Box::new(value)),
        }
    }

    /// The schema lists it in `required`.
    pub fn required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    /// Its Rust type is an `Option`.
    pub fn is_option(self) -> bool {
        self != Presence::Required
    }
}

/// The schema extension the 3.1 loader marks a property with whose `absent_is_default` holds
/// (see [`Field::absent_is_default`]).
pub(crate) const ABSENT_IS_DEFAULT: &str = "x-codegen-absent-is-default";

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    pub default: Option<String>,
    /// The one-value tag of a tagged union's member: any other value is refused (no catch-all),
    /// so an object can't be taken for a member whose tag it doesn't carry.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    /// The description of this value (from a `oneOf` of one-value enums, each documented).
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    pub name: String,
    pub value: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// A method 3.2's `query` or `additionalOperations` names, as written (`QUERY`, `COPY`).
    Other(String),
}

impl Method {
    /// A path item's method key (`get`); `None` for a key that isn't one.
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// A method named in `additionalOperations` (or `QUERY`): any HTTP token.
    pub fn named(s: &str) -> Option<Method> {
        http::Method::from_bytes(s.as_bytes()).ok()?;
        Some(Method::parse(&s.to_ascii_lowercase()).unwrap_or_else(|| Method::Other(s.to_string())))
    }

    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Other(m) => m,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId as written (or derived from method and path).
    pub id: String,
    /// The request builder's type name.
    pub builder: String,
    /// Dotted resource path (`beta.directories.files`), empty for the client itself.
    pub resource: Vec<String>,
    /// Method name on the resource.
    pub method_name: String,
    /// Whether `x-sdk-method` gave the name (kept as written, never shortened).
    pub method_given: bool,
    pub http_method: Method,
    /// The path template as written (`/api/v1/indexes/{index_id}`).
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    /// The error bodies the operation documents, by status (`None` when it documents none as
    /// JSON): the type the runtime's `Error::documented` returns.
    pub errors: Option<ByStatus>,
    /// Status codes the document describes for this operation (for retry rules: a documented 409
    /// is a state conflict, not a transient one).
    pub documented_statuses: Vec<u16>,
    pub pagination: Option<Pagination>,
    pub pointer: String,
    /// `x-idempotency-key: true`: the server honours an `Idempotency-Key` header here.
    pub idempotency_key: bool,
    /// The security requirement (the operation's own, else the document's): alternatives, each
    /// a set of schemes sent together. Empty: no credentials; an empty alternative: credentials
    /// are optional.
    pub security: Vec<Vec<SchemeRef>>,
}

impl Operation {
    /// The JSON types an answer can carry: the success body's (a stream's items too) and the
    /// documented error bodies'.
    pub fn answer_types(&self) -> Vec<&TypeRef> {
        let mut types = self.response.kind.json_types();
        types.extend(self.response.stream.as_ref().map(|s| &s.item));
        types.extend(self.errors.iter().flat_map(ByStatus::types));
        types
    }

    /// The path parameters in the order they first appear in the path; a parameter the template
    /// names twice (`/a/{id}/b/{id}`) is one argument.
    pub fn path_params(&self) -> impl Iterator<Item = &Param> {
        let mut seen = Vec::new();
        self.path_parts.iter().filter_map(move |p| match p {
            PathPart::Param(i) if !seen.contains(i) => {
                seen.push(*i);
                Some(&self.params[*i])
            }
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into `params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name (builder method and argument).
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    /// Type without `Option`.
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// How the value is written.
    pub style: ParamStyle,
    /// For arrays and objects: one pair (or element) per item (`explode: true`) or joined.
    pub explode: bool,
}

/// How a parameter's value is written: the OpenAPI `style`, or `content` with a JSON media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// Path and header: `a,b,c`.
    Simple,
    /// Path: `.a,b,c` (`.a.b.c` exploded).
    Label,
    /// Path: `;name=a,b,c` (`;name=a;name=b;name=c` exploded).
    Matrix,
    /// Query: `name=a&name=b` (exploded) or `name=a,b`; cookie: `name=a,b`.
    Form,
    /// Query: `name=a%20b` (repeated like form when exploded).
    SpaceDelimited,
    /// Query: `name=a|b` (repeated like form when exploded).
    PipeDelimited,
    /// Query: `name[prop]=value`, one pair per property.
    DeepObject,
    /// `content` with a JSON media type: the whole value as JSON text, one value.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub content_type: String,
    /// The builder's whole-body setter: `body`, or `request_body` where a parameter or a body
    /// field is named `body` (the field keeps its plain name).
    pub setter: String,
    pub kind: BodyKind,
    pub required: bool,
    /// The body's type (for JSON, form and multipart).
    pub ty: TypeRef,
    /// Whether the schema admits null (`ty` is what the client sends; null decodes as `None`).
    pub nullable: bool,
    /// Top-level fields of an object body, offered as arguments (required) and setters.
    pub fields: Vec<BodyField>,
    pub doc: Option<String>,
    /// The document's example of this body.
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Bytes,
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyField {
    /// Method name on the builder (may differ from the field when it collides with a parameter).
    pub method: String,
    /// The struct field.
    pub field: String,
    /// The argument's or setter's type (without the field's `Option` when `sent_required`).
    pub ty: TypeRef,
    pub required: bool,
    /// A required writeOnly field of a type responses also carry: an argument, stored as
    /// `Some` in the field (which is optional, since responses leave it out).
    pub sent_required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub kind: ResponseKind,
    /// The media type of the success body (`None` when there is none).
    pub content_type: Option<String>,
    /// The success response's description.
    pub doc: Option<String>,
    /// The document's example of the success body.
    pub example: Option<serde_json::Value>,
    /// The JSON media types of the success responses, comma-separated (empty when none is named).
    pub json_media: String,
    /// The success answer as a stream of items, when the response offers a sequential media
    /// type (the builder's `send_stream()`).
    pub stream: Option<Stream>,
}

/// A success answer read as a stream of items.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub format: StreamFormat,
    /// Each item's type (an SSE event's `data`): the media type's `schema`.
    pub item: TypeRef,
    /// A boolean body field that asks for the stream (OpenAI's `stream`), when the same
    /// response offers JSON too: `send_stream()` sets it.
    pub toggle: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    Sse,
    JsonLines,
    JsonSeq,
}

impl Response {
    /// The `Accept` header for the call: the success body's media type, `*/*` when there is none;
    /// for JSON, the JSON media types the success responses document (`application/hal+json`).
    pub fn accept(&self) -> &str {
        match (&self.kind, self.content_type.as_deref()) {
            (ResponseKind::Json(_) | ResponseKind::ByStatus(_), _) if !self.json_media.is_empty() => {
                &self.json_media
            }
            // `*/*` with a JSON schema (springdoc, Dropshot's free-form bodies): any.
            (ResponseKind::Json(_) | ResponseKind::ByStatus(_), Some(ct)) if ct.contains('*') => "*/*",
            (ResponseKind::Json(_) | ResponseKind::ByStatus(_), _) => "application/json",
            (_, Some(ct)) if !ct.contains('*') => ct,
            _ => "*/*",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    Empty,
    Json(TypeRef),
    Bytes,
    Text,
    /// JSON success responses of different types: an enum with a variant per status, decoded
    /// by the status the server answers with.
    ByStatus(ByStatus),
}

impl ResponseKind {
    /// The JSON types a success body decodes into.
    pub fn json_types(&self) -> Vec<&TypeRef> {
        match self {
            ResponseKind::Json(t) => vec![t],
            ResponseKind::ByStatus(b) => b.types().collect(),
            _ => Vec::new(),
        }
    }
}

/// An enum of an operation's responses by status: its successes of different types, or its
/// documented error bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct ByStatus {
    /// The enum's name in `types`.
    pub name: String,
    /// In status order. Successes: the first with a body is also what an unlisted status
    /// decodes as. Errors: a case without a type is a status documented without a JSON body
    /// (it has no variant, and keeps a range or `default` from claiming that status).
    pub cases: Vec<StatusCase>,
}

impl ByStatus {
    /// The types of the cases that have a body.
    pub fn types(&self) -> impl Iterator<Item = &TypeRef> {
        self.cases.iter().filter_map(|c| c.ty.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusCase {
    /// The response's key: a code (`202`) or `2XX` (however the document cases it).
    pub key: String,
    pub variant: String,
    /// The body's type; `None` for a response without one.
    pub ty: Option<TypeRef>,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The page type (a struct with the items and the next page's token).
    pub page: String,
    pub item: TypeRef,
    /// Index of the query parameter that takes the token (`page_token`).
    pub token_param: usize,
    /// The page's field (Rust name) holding the items (`items`).
    pub items_field: String,
    /// The page's field (Rust name) holding the next page's token (`next_page_token`).
    pub token_field: String,
    /// Whether that token is optional in the page type.
    pub token_optional: bool,
    /// The page's `total_size` field (Rust name) when it has an integer one.
    pub total_field: Option<String>,
    /// Whether that total is optional in the page type.
    pub total_optional: bool,
}

/// A node in the resource tree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource {
    /// Accessor name (`directories`); empty for the root.
    pub name: String,
    /// The handle's type name (`BetaDirectories`).
    pub type_name: String,
    pub children: Vec<Resource>,
    /// Indices into `Api::operations`.
    pub operations: Vec<usize>,
    /// Deprecated accessors that return another resource.
    pub aliases: Vec<ResourceAlias>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceAlias {
    pub name: String,
    /// Type name of the target resource.
    pub target_type: String,
    pub deprecated: Option<String>,
}
