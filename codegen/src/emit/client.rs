//! The `resources` module (one handle per resource, like the official SDKs' `client.beta.
//! directories.files`) and the top-level `Client` and `ClientBuilder`.

use super::builders::{method_doc_attrs, required_args};
use super::doc;
use super::tyref::{ident, value_ident};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let mut handles = Vec::new();
    for c in &api.resources.children {
        collect_handles(api, c, &[], &mut handles);
    }
    let root_methods = methods(api, &api.resources, quote!(resources::));
    let client = emit_client(api, root_methods);
    quote! {
        /// Resource handles: `client.beta().directories().files()` and the like.
        pub mod resources {
            #[allow(unused_imports)]
            use super::{builders, types};
            #[allow(unused_imports)]
            use #runtime as rt;
            #(#handles)*
        }

        #[allow(unused_imports)]
        use #runtime as rt;

        #client
    }
}

fn collect_handles(api: &Api, r: &Resource, parent: &[&str], out: &mut Vec<TokenStream>) {
    let mut path = parent.to_vec();
    path.push(&r.name);
    let name = ident(&r.type_name);
    let dotted = path.join(".");
    let doc = format!(" Operations on `{dotted}`.");
    let body = methods(api, r, quote!());
    let ctor_allow = (r.type_name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]));
    out.push(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            client: rt::Client,
        }

        impl #name {
            #ctor_allow
            pub(super) fn new(client: rt::Client) -> Self {
                #name { client }
            }

            #body
        }
    });
    for c in &r.children {
        collect_handles(api, c, &path, out);
    }
}

/// Child accessors, aliases and operation methods of one resource. `prefix` is how the handle
/// types are reached from where the methods are written. They are `#[inline]` like the builders'
/// methods, so that an operation nobody calls is not compiled.
fn methods(api: &Api, r: &Resource, prefix: TokenStream) -> TokenStream {
    let children = r.children.iter().map(|c| {
        let m = value_ident(&c.name);
        let t = ident(&c.type_name);
        let d = format!(" Operations on `{}`.", c.name);
        quote! {
            #[doc = #d]
            #[inline]
            pub fn #m(&self) -> #prefix #t {
                #prefix #t::new(self.client().clone())
            }
        }
    });
    let aliases = r.aliases.iter().map(|a| {
        let m = value_ident(&a.name);
        let t = ident(&a.target_type);
        let note = a.deprecated.clone().unwrap_or_else(|| "an alias kept for compatibility".into());
        let d = format!(" Deprecated alias: {note}");
        quote! {
            #[doc = #d]
            #[deprecated(note = #note)]
            #[inline]
            pub fn #m(&self) -> #prefix #t {
                #prefix #t::new(self.client().clone())
            }
        }
    });
    let ops = r.operations.iter().map(|&i| {
        let op = &api.operations[i];
        let m = value_ident(&op.method_name);
        let b = ident(&op.builder);
        let docs = method_doc_attrs(api, op);
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        let args = required_args(api, op);
        let params = &args.params;
        let conv = &args.conversions;
        let allow = (params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #docs
            #deprecated
            #allow
            #[inline]
            pub fn #m(&self, #(#params),*) -> builders::#b {
                builders::#b::new(self.client().clone(), #(#conv),*)
            }
        }
    });
    let accessor = (!r.name.is_empty()).then(|| {
        quote! {
            fn client(&self) -> &rt::Client {
                &self.client
            }
        }
    });
    quote! {
        #accessor
        #(#children)*
        #(#aliases)*
        #(#ops)*
    }
}

fn emit_client(api: &Api, root_methods: TokenStream) -> TokenStream {
    let title = &api.title;
    let intro = format!(" A client for the {} API (version {}).", api.title, api.version);
    let description = doc::attrs(api.description.as_deref());
    let key_env = &api.env.api_key;
    let base_env = &api.env.base_url;
    let (base_const, base_init) = match &api.default_base_url {
        Some(url) => (
            quote! {
                /// The base URL requests go to unless another is set.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            },
            quote!(.default_base_url(Self::DEFAULT_BASE_URL)),
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let primary = api.security_schemes.iter().find(|s| s.primary);
    let from_env_doc = match (primary, api.api_key_required) {
        (Some(_), true) => format!(
            " A client configured from the environment: the API key from `{key_env}` (required) and the base URL from `{base_env}` (optional)."
        ),
        (Some(_), false) => format!(
            " A client configured from the environment: the API key from `{key_env}` and the base URL from `{base_env}` (both optional)."
        ),
        (None, _) => format!(" A client configured from the environment: the base URL from `{base_env}` (optional)."),
    };
    let key_env_const = primary.map(|_| {
        quote! {
            /// The environment variable that holds the API key.
            pub const API_KEY_ENV: &'static str = #key_env;
        }
    });
    let key_env_expr = match primary {
        Some(_) => quote!(Self::API_KEY_ENV),
        None => quote!(#key_env),
    };
    let require_key = (!api.api_key_required).then(|| quote!(.require_api_key(false)));
    let setters = api.security_schemes.iter().map(|s| scheme_setter(api, s));
    let from_env_setter_doc = match primary {
        Some(_) => " Fills the API key and base URL from the environment where they are not set yet.",
        None => " Fills the base URL from the environment where it is not set yet.",
    };
    let builder_doc = if api.security_schemes.is_empty() {
        quote! {
            /// Settings for a [`Client`]; every one has a sensible default (but the base URL, when
            /// the document names no server).
        }
    } else if api.api_key_required {
        quote! {
            /// Settings for a [`Client`]; every one has a sensible default but the API key (and the
            /// base URL, when the document names no server).
        }
    } else {
        quote! {
            /// Settings for a [`Client`]; every one has a sensible default but the credentials the
            /// operations you call need (and the base URL, when the document names no server).
        }
    };
    let build_doc = wrapped(if api.api_key_required {
        "Builds the client; fails when no API key was given or a setting is invalid."
    } else if api.security_schemes.is_empty() {
        "Builds the client; fails when a setting is invalid."
    } else {
        "Builds the client; fails when a setting is invalid. A call that needs credentials the client wasn't given fails before anything is sent, naming the setter to call."
    });
    let defaults = api.client_defaults.iter().map(|d| {
        let m = value_ident(&d.name);
        let wire = &d.wire_name;
        let extra =
            format!(" Sends `{wire}` with every request that takes it, unless the call sets its own.");
        let pdoc = doc::attrs(d.doc.as_deref());
        let sep = d.doc.as_ref().map(|_| quote!(#[doc = ""]));
        quote! {
            #pdoc
            #sep
            #[doc = #extra]
            pub fn #m(mut self, value: impl Into<String>) -> Self {
                self.inner = self.inner.default_query(#wire, value);
                self
            }
        }
    });
    let _ = title;
    // A document with no operations (webhooks only) has no call that would use it, nor does a
    // crate built with none of its features (see `features`).
    let root_accessor = (!api.operations.is_empty()).then(|| {
        quote! {
            #[allow(dead_code)]
            fn client(&self) -> &rt::Client {
                &self.inner
            }
        }
    });
    quote! {
        #[doc = #intro]
        #description
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: rt::Client,
        }

        impl Client {
            #base_const
            #key_env_const
            /// The environment variable that may override the base URL.
            pub const BASE_URL_ENV: &'static str = #base_env;

            /// A builder for a client with explicit settings.
            pub fn builder() -> ClientBuilder {
                ClientBuilder {
                    inner: rt::ClientBuilder::new()
                        .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                        #base_init.env_names(#key_env_expr, Self::BASE_URL_ENV)#require_key,
                }
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> Result<Self, rt::Error> {
                Self::builder().from_env().build()
            }

            /// Wraps a runtime client configured by other means.
            pub fn from_runtime(inner: rt::Client) -> Self {
                Client { inner }
            }

            /// The runtime client underneath (HTTP, retries, authentication).
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }

            #root_accessor

            #root_methods
        }

        #builder_doc
        #[derive(Debug, Clone)]
        pub struct ClientBuilder {
            inner: rt::ClientBuilder,
        }

        impl ClientBuilder {
            #(#setters)*

            /// The base URL (scheme, host and optional path prefix); must be http or https.
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(url);
                self
            }

            #[doc = #from_env_setter_doc]
            pub fn from_env(mut self) -> Self {
                self.inner = self.inner.from_env();
                self
            }

            /// Uses the caller's own `reqwest::Client` (its proxy, TLS and pool settings); the
            /// connect timeout set here then does not apply.
            pub fn http_client(mut self, client: rt::reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// Retries after a transient failure (default 2; 0 turns retries off).
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.inner = self.inner.max_retries(retries);
                self
            }

            /// The idle timeout (default 60 s): an attempt fails when nothing has been sent or
            /// received for this long, as httpx's read and write timeouts do; a large upload that
            /// keeps moving never runs into it.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// A limit on every whole call, retries and the waits between them included (none
            /// by default).
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.inner = self.inner.deadline(deadline);
                self
            }

            /// The time limit for opening a connection (default 5 s).
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.connect_timeout(timeout);
                self
            }

            /// A header sent with every request (its value never appears in `Debug` output).
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.inner = self.inner.header(name, value);
                self
            }

            /// A step every request goes through just before it is sent, each retry included
            /// (to sign it, say); an `Err` stops the call with `Error::Hook`. See
            /// `ClientBuilder::on_request` of the runtime.
            pub fn on_request<F>(mut self, hook: F) -> Self
            where
                F: Fn(&mut rt::reqwest::Request) -> Result<(), Box<dyn std::error::Error + Send + Sync>>
                    + Send
                    + Sync
                    + 'static,
            {
                self.inner = self.inner.on_request(hook);
                self
            }

            #(#defaults)*

            #build_doc
            pub fn build(self) -> Result<Client, rt::Error> {
                Ok(Client { inner: self.inner.build()? })
            }
        }
    }
}

/// The builder method that sets one security scheme's credential.
fn scheme_setter(api: &Api, s: &SecurityScheme) -> TokenStream {
    let m = value_ident(&s.setter);
    let name = &s.name;
    let token = match &s.kind {
        SchemeKind::OAuth2 => " It is an OAuth 2 access token: the client runs no OAuth flow, so obtain the token yourself (and build a new client when it expires).",
        SchemeKind::OpenIdConnect => " It is an OpenID Connect access token: the client runs no OpenID Connect flow, so obtain the token yourself (and build a new client when it expires).",
        _ => "",
    };
    let what = match &s.kind {
        _ if s.primary => format!(
            " The API key, sent as a bearer token (`Authorization: Bearer <key>`) for the `{name}` security scheme.{token} `from_env` reads it from `{}`.",
            api.env.api_key
        ),
        SchemeKind::Bearer { .. } | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => format!(
            " A bearer token for the `{name}` security scheme, sent as `Authorization: Bearer <token>`.{token}"
        ),
        SchemeKind::Basic => format!(
            " The user name and password for the `{name}` security scheme, sent with HTTP basic authentication (`Authorization: Basic ...`)."
        ),
        SchemeKind::ApiKey { location: KeyLocation::Header, name: key } => {
            format!(" The API key for the `{name}` security scheme, sent in the `{key}` header.")
        }
        SchemeKind::ApiKey { location: KeyLocation::Query, name: key } => format!(
            " The API key for the `{name}` security scheme, sent as the `{key}` query parameter (where server and proxy logs may record it)."
        ),
        SchemeKind::ApiKey { location: KeyLocation::Cookie, name: key } => {
            format!(" The API key for the `{name}` security scheme, sent as the `{key}` cookie.")
        }
    };
    let what = wrapped(&format!("{} Never printed by `Debug` or in errors.", what.trim()));
    let description = doc::attrs(s.description.as_deref());
    let sep = s.description.as_ref().map(|_| quote!(#[doc = ""]));
    let body = match &s.kind {
        _ if s.primary => quote! {
            pub fn #m(mut self, key: impl Into<String>) -> Self {
                self.inner = self.inner.api_key(key);
                self
            }
        },
        SchemeKind::Basic => quote! {
            pub fn #m(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.inner = self.inner.basic_credentials(#name, username, password);
                self
            }
        },
        _ => quote! {
            pub fn #m(mut self, value: impl Into<String>) -> Self {
                self.inner = self.inner.credential(#name, value);
                self
            }
        },
    };
    quote! {
        #description
        #sep
        #what
        #body
    }
}

/// Doc attributes for generated prose, one line per attribute, wrapped at 88 columns.
fn wrapped(text: &str) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 88 {
            lines.push(std::mem::take(&mut line));
        }
        line.push(' ');
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    quote! { #( #[doc = #lines] )* }
}
