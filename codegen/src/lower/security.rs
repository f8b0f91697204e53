//! Security: `components/securitySchemes` and the `security` requirements of the document and of
//! each operation (an operation's own requirement, `security: []` included, overrides the
//! document's).
//!
//! Each scheme an operation uses becomes a client builder setter named after it; the primary
//! scheme (the first bearer-like one the document-level requirement names) keeps the `api_key`
//! setter and the API key environment variable, so a document with one bearer scheme gets the
//! client it always had. OAuth 2 and OpenID Connect schemes are bearer tokens the caller
//! obtains. A requirement that names a scheme the document doesn't define, or one this
//! generator can't send (an HTTP scheme other than bearer and basic), loses that alternative,
//! with a warning.

use super::Lowerer;
use crate::ident::{self, NameScope};
use crate::ir::{KeyLocation, Operation, SchemeKind, SchemeRef, SecurityScheme};
use crate::pointer::child;
use openapiv3::{APIKeyLocation, SecurityRequirement};
use std::collections::HashSet;

/// The schemes as declared, before the unused ones are dropped and setters named.
#[derive(Default)]
pub(crate) struct Schemes {
    declared: Vec<SecurityScheme>,
    /// Declared schemes that can't be sent (already warned about).
    unsupported: HashSet<String>,
    /// The document-level requirement.
    document: Vec<Vec<SchemeRef>>,
}

impl Lowerer<'_> {
    /// Reads `components/securitySchemes` and the document-level `security`.
    pub(super) fn lower_security_schemes(&mut self) {
        let spec = self.spec;
        if let Some(components) = &spec.components {
            for (name, item) in &components.security_schemes {
                let ptr = child("#/components/securitySchemes", name);
                let Some(scheme) = self.resolve(item, &ptr, "securitySchemes", |c| &c.security_schemes)
                else {
                    self.schemes.unsupported.insert(name.clone());
                    continue;
                };
                let (kind, description) = match scheme {
                    openapiv3::SecurityScheme::HTTP { scheme, bearer_format, description, .. } => {
                        match scheme.to_ascii_lowercase().as_str() {
                            "bearer" => (SchemeKind::Bearer { format: bearer_format.clone() }, description),
                            "basic" => (SchemeKind::Basic, description),
                            other => {
                                self.diags.warning(
                                    child(&ptr, "scheme"),
                                    format!(
                                        "HTTP authentication scheme `{other}` is not supported (only bearer and basic); requirements naming `{name}` are left out (send its header with `header` on the client builder)"
                                    ),
                                );
                                self.schemes.unsupported.insert(name.clone());
                                continue;
                            }
                        }
                    }
                    openapiv3::SecurityScheme::APIKey { location, name: key, description, .. } => {
                        let location = match location {
                            APIKeyLocation::Header => KeyLocation::Header,
                            APIKeyLocation::Query => KeyLocation::Query,
                            APIKeyLocation::Cookie => KeyLocation::Cookie,
                        };
                        // Header and cookie names are HTTP tokens; a query name is encoded.
                        let token =
                            key.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
                        if key.is_empty() || (location != KeyLocation::Query && !token) {
                            self.diags.warning(
                                child(&ptr, "name"),
                                format!("API key name {key:?} cannot be sent; requirements naming `{name}` are left out"),
                            );
                            self.schemes.unsupported.insert(name.clone());
                            continue;
                        }
                        (SchemeKind::ApiKey { location, name: key.clone() }, description)
                    }
                    openapiv3::SecurityScheme::OAuth2 { description, .. } => {
                        (SchemeKind::OAuth2, description)
                    }
                    openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                        (SchemeKind::OpenIdConnect, description)
                    }
                };
                self.schemes.declared.push(SecurityScheme {
                    name: name.clone(),
                    setter: String::new(),
                    kind,
                    primary: false,
                    description: description.clone(),
                });
            }
        }
        self.schemes.document = match &spec.security {
            Some(reqs) => self.lower_requirement(reqs, "#/security"),
            None => Vec::new(),
        };
    }

    /// An operation's requirement: its own `security` when it has one, else the document's.
    pub(super) fn operation_security(&mut self, op: &openapiv3::Operation, ptr: &str) -> Vec<Vec<SchemeRef>> {
        match &op.security {
            Some(reqs) => self.lower_requirement(reqs, &child(ptr, "security")),
            None => self.schemes.document.clone(),
        }
    }

    fn lower_requirement(&mut self, reqs: &[SecurityRequirement], ptr: &str) -> Vec<Vec<SchemeRef>> {
        let mut out: Vec<Vec<SchemeRef>> = Vec::new();
        'alternatives: for (i, alternative) in reqs.iter().enumerate() {
            let mut refs = Vec::with_capacity(alternative.len());
            for (name, scopes) in alternative {
                match self.schemes.declared.iter().position(|s| s.name == *name) {
                    Some(scheme) => refs.push(SchemeRef { scheme, scopes: scopes.clone() }),
                    None => {
                        if !self.schemes.unsupported.contains(name) {
                            self.diags.warning(
                                child(ptr, &i.to_string()),
                                format!(
                                    "security scheme `{name}` is not defined in #/components/securitySchemes; this alternative is left out"
                                ),
                            );
                        }
                        continue 'alternatives;
                    }
                }
            }
            if !out.contains(&refs) {
                out.push(refs);
            }
        }
        out
    }
}

/// Keeps the schemes some operation uses (renumbering the operations' references), marks the
/// primary one and names every setter, avoiding `reserved` builder methods. Returns the schemes
/// and whether every operation needs the primary one.
pub(super) fn finish(
    schemes: Schemes,
    operations: &mut [Operation],
    reserved: &[&str],
) -> (Vec<SecurityScheme>, bool) {
    let Schemes { declared, document, .. } = schemes;
    // Schemes no operation uses get no setter (the document's requirement counts only through
    // the operations that inherit it).
    let mut used: Vec<usize> = Vec::new();
    for r in operations.iter().flat_map(|op| &op.security).flatten() {
        if !used.contains(&r.scheme) {
            used.push(r.scheme);
        }
    }
    used.sort_unstable();
    let primary = document
        .iter()
        .flatten()
        .map(|r| r.scheme)
        .find(|&i| declared[i].kind.is_bearer_like() && used.contains(&i));
    let renumber = |i: usize| used.iter().position(|&u| u == i).expect("every referenced scheme is kept");
    let mut kept: Vec<SecurityScheme> = used.iter().map(|&i| declared[i].clone()).collect();
    let mut names = NameScope::new();
    names.reserve(reserved.iter().copied().filter(|n| *n != "api_key"));
    if let Some(p) = primary {
        let p = renumber(p);
        kept[p].primary = true;
        kept[p].setter = names.claim("api_key");
    }
    for s in kept.iter_mut().filter(|s| !s.primary) {
        let base = ident::snake(&s.name);
        let base =
            if names.contains(&base) || ident::is_keyword(&base) { format!("{base}_auth") } else { base };
        s.setter = names.claim(&base);
    }
    for op in operations.iter_mut() {
        for r in op.security.iter_mut().flatten() {
            r.scheme = renumber(r.scheme);
        }
    }
    let api_key_required = match primary {
        Some(p) => {
            let p = renumber(p);
            !operations.is_empty()
                && operations.iter().all(|op| {
                    !op.security.is_empty() && op.security.iter().all(|alt| alt.iter().any(|r| r.scheme == p))
                })
        }
        None => false,
    };
    (kept, api_key_required)
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, SchemeKind};
    use crate::load::{load_bytes, Format};

    fn lower(yaml: &str) -> (Api, Vec<String>) {
        let doc = load_bytes("t.yaml", Format::Yaml, yaml.as_bytes().to_vec()).expect("parses");
        let (api, diags) = super::super::lower(&doc, &Default::default()).expect("lowers");
        (api, diags.items.iter().map(|d| d.to_string()).collect())
    }

    /// `ops` is YAML for path items under `/x`, `/y`, ... (one `get` each).
    fn doc(schemes: &str, document: &str, ops: &[&str]) -> String {
        let mut s = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{document}\ncomponents:\n  securitySchemes:\n{schemes}\npaths:\n"
        );
        for (i, op) in ops.iter().enumerate() {
            s.push_str(&format!(
                "  /p{i}:\n    get:\n      operationId: op{i}\n{op}\n      responses:\n        '204': {{description: ok}}\n"
            ));
        }
        s
    }

    fn setters(api: &Api) -> Vec<(&str, &str, bool)> {
        api.security_schemes.iter().map(|s| (s.name.as_str(), s.setter.as_str(), s.primary)).collect()
    }

    const SCHEMES: &str = "    bearerAuth: {type: http, scheme: Bearer}\n    header: {type: apiKey, in: header, name: X-Key}\n    api_key: {type: apiKey, in: query, name: key}\n    unused: {type: apiKey, in: cookie, name: c}";

    #[test]
    fn operations_override_the_document_and_unused_schemes_get_no_setter() {
        let (api, warnings) = lower(&doc(
            SCHEMES,
            "security: [{bearerAuth: []}]",
            &["", "      security: []", "      security: [{header: [], api_key: []}, {}]"],
        ));
        assert!(warnings.is_empty(), "{warnings:?}");
        // The primary scheme keeps `api_key`; names taken by builder methods get `_auth`.
        assert_eq!(
            setters(&api),
            [
                ("bearerAuth", "api_key", true),
                ("header", "header_auth", false),
                ("api_key", "api_key_auth", false)
            ]
        );
        let security: Vec<Vec<Vec<usize>>> = api
            .operations
            .iter()
            .map(|op| op.security.iter().map(|a| a.iter().map(|r| r.scheme).collect()).collect())
            .collect();
        assert_eq!(security, [vec![vec![0]], vec![], vec![vec![1, 2], vec![]]]);
        // One operation needs no API key, so `build` must not insist on one.
        assert!(!api.api_key_required);
    }

    #[test]
    fn the_api_key_is_required_when_every_operation_needs_it() {
        let (api, _) = lower(&doc(SCHEMES, "security: [{bearerAuth: []}]", &["", ""]));
        assert!(api.api_key_required);
        assert_eq!(setters(&api), [("bearerAuth", "api_key", true)]);
        // No document-level requirement: no primary scheme, every scheme named after itself.
        let (api, _) = lower(&doc(SCHEMES, "", &["      security: [{bearerAuth: [], api_key: []}]"]));
        assert!(!api.api_key_required);
        assert_eq!(setters(&api), [("bearerAuth", "bearer_auth", false), ("api_key", "api_key", false)]);
        // No security at all: nothing to set, nothing required.
        let (api, _) = lower(&doc("    {}", "", &[""]));
        assert!(api.security_schemes.is_empty() && !api.api_key_required);
        assert!(api.operations[0].security.is_empty());
    }

    #[test]
    fn oauth2_and_openid_connect_are_bearer_tokens() {
        let schemes = "    oauth:\n      type: oauth2\n      flows: {implicit: {authorizationUrl: 'https://a.test', scopes: {read: r}}}\n    oidc: {type: openIdConnect, openIdConnectUrl: 'https://a.test/.well-known'}";
        let (api, _) =
            lower(&doc(schemes, "security: [{oauth: [read]}]", &["", "      security: [{oidc: []}]"]));
        assert_eq!(setters(&api), [("oauth", "api_key", true), ("oidc", "oidc", false)]);
        assert!(api.security_schemes.iter().all(|s| s.kind.is_bearer_like()));
        assert_eq!(api.operations[0].security[0][0].scopes, ["read"]);
        assert!(matches!(api.security_schemes[0].kind, SchemeKind::OAuth2));
    }

    #[test]
    fn unknown_and_unsupported_schemes_lose_their_alternative_with_a_warning() {
        let schemes =
            "    digest: {type: http, scheme: digest}\n    header: {type: apiKey, in: header, name: X-Key}";
        let (api, warnings) = lower(&doc(
            schemes,
            "",
            &["      security: [{missing: []}, {header: []}]", "      security: [{digest: []}]"],
        ));
        assert_eq!(
            warnings,
            [
                "warning: #/components/securitySchemes/digest/scheme: HTTP authentication scheme `digest` is not supported (only bearer and basic); requirements naming `digest` are left out (send its header with `header` on the client builder)",
                "warning: #/paths/~1p0/get/security/0: security scheme `missing` is not defined in #/components/securitySchemes; this alternative is left out",
            ]
        );
        assert_eq!(api.operations[0].security.len(), 1);
        assert!(api.operations[1].security.is_empty());
        assert_eq!(setters(&api), [("header", "header_auth", false)]);
    }
}
