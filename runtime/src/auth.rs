//! Credentials for the API's security schemes, and which of them a call sends.
//!
//! The document names its security schemes (`components/securitySchemes`) and, per operation,
//! the requirement: alternatives, each a set of schemes whose credentials are all sent together.
//! The client holds credentials by scheme name (the API key stands for the document's primary
//! bearer scheme); for each call the first alternative whose credentials are all set is sent,
//! and a call none of whose alternatives can be met fails before anything is sent.

use crate::error::Untyped as Error;
use crate::secret::Secret;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt;

/// Where a security scheme puts its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthLocation {
    /// `Authorization: Bearer <token>` (HTTP bearer; OAuth 2 and OpenID Connect access tokens).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// The key as the value of this header.
    Header(&'static str),
    /// The key as this query parameter.
    Query(&'static str),
    /// The key as this cookie.
    Cookie(&'static str),
}

/// One security scheme of the document, as an operation's requirement names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthScheme {
    /// The scheme's name in the document (`bearerAuth`), for errors.
    pub name: &'static str,
    /// The client builder method that sets its credential, for errors.
    pub setter: &'static str,
    /// Where its credential goes.
    pub location: AuthLocation,
    /// Whether its credential is the client's API key (`ClientBuilder::api_key`, read from the
    /// environment by `from_env`).
    pub primary: bool,
}

impl AuthScheme {
    /// A bearer token scheme.
    pub const fn bearer(name: &'static str, setter: &'static str) -> Self {
        AuthScheme { name, setter, location: AuthLocation::Bearer, primary: false }
    }

    /// HTTP basic authentication.
    pub const fn basic(name: &'static str, setter: &'static str) -> Self {
        AuthScheme { name, setter, location: AuthLocation::Basic, primary: false }
    }

    /// An API key in the header `header`.
    pub const fn header(name: &'static str, setter: &'static str, header: &'static str) -> Self {
        AuthScheme { name, setter, location: AuthLocation::Header(header), primary: false }
    }

    /// An API key in the query parameter `param`.
    pub const fn query(name: &'static str, setter: &'static str, param: &'static str) -> Self {
        AuthScheme { name, setter, location: AuthLocation::Query(param), primary: false }
    }

    /// An API key in the cookie `cookie`.
    pub const fn cookie(name: &'static str, setter: &'static str, cookie: &'static str) -> Self {
        AuthScheme { name, setter, location: AuthLocation::Cookie(cookie), primary: false }
    }

    /// The same scheme, its credential being the client's API key.
    pub const fn primary(self) -> Self {
        AuthScheme { primary: true, ..self }
    }
}

/// A credential the client was given for a scheme.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key or token.
    Token(Secret<String>),
    /// A user name and password for HTTP basic authentication.
    Basic { username: Secret<String>, password: Secret<String> },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl Credential {
    /// An empty token counts as no credential (an empty environment variable, say).
    fn is_set(&self) -> bool {
        match self {
            Credential::Token(t) => !t.expose().trim().is_empty(),
            Credential::Basic { .. } => true,
        }
    }
}

/// The credentials a client holds.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// The credential of the document's primary scheme.
    pub api_key: Option<Secret<String>>,
    /// Credentials of the other schemes, by scheme name (the last one set for a name wins).
    pub by_scheme: Vec<(String, Credential)>,
    /// The environment variable `from_env` reads the API key from, for error messages.
    pub key_env: Option<&'static str>,
    /// `Authorization: Bearer <api key>`, made once: most calls send just that.
    bearer: Option<HeaderValue>,
}

/// What a call sends to authenticate.
#[derive(Default)]
pub(crate) struct Applied {
    /// Headers, values marked sensitive.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// Query pairs (not yet encoded).
    pub query: Vec<(String, String)>,
    /// `name=value` cookie pairs (value encoded).
    pub cookies: Vec<String>,
    /// Whether a credential travels in a header that reqwest does not drop when a redirect
    /// leads to another host (it drops only `Authorization` and `Cookie`).
    pub custom_header: bool,
}

/// Bytes a cookie value cannot carry as they are (RFC 6265 cookie-octet), percent-encoded.
const COOKIE_VALUE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\').add(b'%');

impl Credentials {
    pub fn new(
        api_key: Option<Secret<String>>,
        by_scheme: Vec<(String, Credential)>,
        key_env: Option<&'static str>,
    ) -> Self {
        // A key a header can't carry is left to `apply`, whose error says so.
        let bearer = usable(&api_key).and_then(|k| sensitive(&format!("Bearer {}", k.expose())));
        Credentials { api_key, by_scheme, key_env, bearer }
    }

    fn find(&self, scheme: &AuthScheme) -> Option<Credential> {
        if scheme.primary {
            if let Some(key) = usable(&self.api_key) {
                return Some(Credential::Token(key.clone()));
            }
        }
        self.by_scheme.iter().find(|(k, c)| k == scheme.name && c.is_set()).map(|(_, c)| c.clone())
    }

    /// The credentials operation `op` needs: the first alternative of its `security`
    /// requirement whose credentials are all set (preferring one that sends something over one
    /// that allows no credentials).
    pub fn apply(&self, op: &str, security: &[&[AuthScheme]]) -> Result<Applied, Error> {
        if security.is_empty() {
            return Ok(Applied::default());
        }
        for alternative in security.iter().filter(|a| !a.is_empty()) {
            if let ([scheme], Some(bearer)) = (alternative, &self.bearer) {
                if scheme.primary && scheme.location == AuthLocation::Bearer {
                    return Ok(Applied {
                        headers: vec![(AUTHORIZATION, bearer.clone())],
                        ..Applied::default()
                    });
                }
            }
            let found: Option<Vec<(&AuthScheme, Credential)>> =
                alternative.iter().map(|s| self.find(s).map(|c| (s, c))).collect();
            if let Some(found) = found {
                let mut applied = Applied::default();
                for (scheme, credential) in found {
                    add(&mut applied, scheme, credential)?;
                }
                return Ok(applied);
            }
        }
        if security.iter().any(|a| a.is_empty()) {
            return Ok(Applied::default());
        }
        Err(self.missing(op, security))
    }

    fn missing(&self, op: &str, security: &[&[AuthScheme]]) -> Error {
        let alternatives: Vec<String> = security
            .iter()
            .map(|alternative| {
                let names = join_and(alternative.iter().map(|s| format!("`{}`", s.name)));
                let setters = join_and(alternative.iter().map(|s| format!("`{}`", s.setter)));
                let env = match (alternative.iter().any(|s| s.primary), self.key_env) {
                    (true, Some(var)) => format!(", or set {var}"),
                    _ => String::new(),
                };
                format!("{names} (call {setters} on the client builder{env})")
            })
            .collect();
        Error::Config(format!(
            "`{op}` needs credentials the client was not given: {}",
            alternatives.join(", or ")
        ))
    }
}

fn join_and(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// The API key, unless it is missing or blank (an empty environment variable, say).
fn usable(key: &Option<Secret<String>>) -> Option<&Secret<String>> {
    key.as_ref().filter(|k| !k.expose().trim().is_empty())
}

/// A credential's header value, marked sensitive; `None` when a header can't carry the text.
fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_str(text).ok()?;
    v.set_sensitive(true);
    Some(v)
}

fn add(applied: &mut Applied, scheme: &AuthScheme, credential: Credential) -> Result<(), Error> {
    let name = scheme.name;
    let header_value = |text: String| {
        sensitive(&text).ok_or_else(|| {
            Error::Config(format!("the credential for `{name}` contains characters a header cannot carry"))
        })
    };
    let token = |credential: Credential| match credential {
        Credential::Token(t) => Ok(t.into_inner()),
        Credential::Basic { .. } => Err(Error::Config(format!(
            "the `{name}` security scheme takes a key or token, not a user name and password"
        ))),
    };
    match scheme.location {
        AuthLocation::Bearer => {
            let value = header_value(format!("Bearer {}", token(credential)?))?;
            applied.headers.push((AUTHORIZATION, value));
        }
        AuthLocation::Basic => {
            let Credential::Basic { username, password } = credential else {
                return Err(Error::Config(format!(
                    "the `{name}` security scheme takes a user name and password (HTTP basic authentication)"
                )));
            };
            if username.expose().contains(':') {
                return Err(Error::Config(format!(
                    "the user name for `{name}` contains `:`, which HTTP basic authentication cannot carry"
                )));
            }
            let pair = format!("{}:{}", username.expose(), password.expose());
            applied.headers.push((
                AUTHORIZATION,
                header_value(format!("Basic {}", crate::base64::encode(pair.as_bytes())))?,
            ));
        }
        AuthLocation::Header(header) => {
            let header_name = HeaderName::from_bytes(header.as_bytes())
                .map_err(|_| Error::Config(format!("`{name}`: {header:?} is not a valid header name")))?;
            applied.custom_header |= header_name != AUTHORIZATION
                && header_name != http::header::COOKIE
                && header_name != http::header::PROXY_AUTHORIZATION;
            applied.headers.push((header_name, header_value(token(credential)?)?));
        }
        AuthLocation::Query(param) => applied.query.push((param.to_string(), token(credential)?)),
        AuthLocation::Cookie(cookie) => {
            let value = token(credential)?;
            applied.cookies.push(format!("{cookie}={}", utf8_percent_encode(&value, COOKIE_VALUE)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEARER: AuthScheme = AuthScheme::bearer("bearerAuth", "api_key").primary();
    const BASIC: AuthScheme = AuthScheme::basic("basicAuth", "basic_auth");
    const HEADER: AuthScheme = AuthScheme::header("keyHeader", "key_header", "X-API-Key");
    const QUERY: AuthScheme = AuthScheme::query("keyQuery", "key_query", "api_key");
    const COOKIE: AuthScheme = AuthScheme::cookie("keyCookie", "key_cookie", "session");

    fn token(s: &str) -> Credential {
        Credential::Token(Secret::new(s.to_string()))
    }

    #[test]
    fn basic_credentials_are_rfc_7617s() {
        // RFC 7617's example; base64 itself is tested in base64.rs.
        assert_eq!(crate::base64::encode(b"Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn the_first_alternative_with_every_credential_is_sent() {
        let mut c = Credentials::default();
        c.by_scheme.push(("keyQuery".into(), token("q-1")));
        c.by_scheme.push(("keyCookie".into(), token("c 1;")));
        let a = c.apply("op", &[&[BEARER], &[QUERY, COOKIE], &[HEADER]]).unwrap();
        assert!(a.headers.is_empty());
        assert_eq!(a.query, [("api_key".to_string(), "q-1".to_string())]);
        assert_eq!(a.cookies, ["session=c%201%3B"]);
        c.api_key = Some(Secret::new("k".into()));
        let a = c.apply("op", &[&[BEARER], &[QUERY, COOKIE]]).unwrap();
        assert_eq!(a.headers[0].1, "Bearer k");
        assert!(a.query.is_empty() && !a.custom_header);
    }

    #[test]
    fn basic_and_header_credentials() {
        let mut c = Credentials::default();
        let basic =
            Credential::Basic { username: Secret::new("u".into()), password: Secret::new("p:w".into()) };
        c.by_scheme.push(("basicAuth".into(), basic));
        c.by_scheme.push(("keyHeader".into(), token("h-1")));
        let a = c.apply("op", &[&[BASIC, HEADER]]).unwrap();
        assert_eq!(a.headers[0].1, format!("Basic {}", crate::base64::encode(b"u:p:w")));
        assert!(a.headers[0].1.is_sensitive());
        assert_eq!((a.headers[1].0.as_str(), a.headers[1].1.to_str().unwrap()), ("x-api-key", "h-1"));
        assert!(a.custom_header);
    }

    #[test]
    fn missing_credentials_name_the_schemes_and_setters() {
        let c = Credentials { key_env: Some("X_API_KEY"), ..Credentials::default() };
        let Err(Error::Config(msg)) = c.apply("op", &[&[BEARER], &[BASIC, HEADER]]) else { panic!() };
        assert_eq!(
            msg,
            "`op` needs credentials the client was not given: `bearerAuth` (call `api_key` on the client \
             builder, or set X_API_KEY), or `basicAuth` and `keyHeader` (call `basic_auth` and \
             `key_header` on the client builder)"
        );
        // An empty alternative allows no credentials; no requirement at all needs none.
        assert!(c.apply("op", &[&[HEADER], &[]]).unwrap().headers.is_empty());
        assert!(c.apply("op", &[]).unwrap().headers.is_empty());
    }

    #[test]
    fn a_credential_of_the_wrong_kind_is_a_config_error() {
        let mut c = Credentials::default();
        c.by_scheme.push(("basicAuth".into(), token("t")));
        assert!(matches!(c.apply("op", &[&[BASIC]]), Err(Error::Config(m)) if m.contains("user name")));
        let mut c = Credentials::default();
        c.by_scheme.push(("keyHeader".into(), token("bad\r\nx: y")));
        assert!(matches!(c.apply("op", &[&[HEADER]]), Err(Error::Config(m)) if !m.contains("bad")));
    }
}
