//! What generated code builds for each call: the operation's static description, the path with
//! encoded parameters, query pairs, headers, cookies and the body, all checked before sending.

use crate::body::Body;
use crate::error::Error;
use crate::secret::RedactedPairs;
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

/// The static description of an operation, as the document gives it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId, used in errors and traces.
    pub id: &'static str,
    /// The HTTP method.
    pub method: http::Method,
    /// The path template (`/api/v1/indexes/{index_id}`), for traces: never the filled-in path.
    pub path: &'static str,
    /// The `Accept` header: the success body's media type (`*/*` when there is no body).
    pub accept: &'static str,
    /// The status codes the document describes; a documented 409 is a state conflict that a
    /// retry cannot fix.
    pub documented_statuses: &'static [u16],
    /// Whether the document says the server honours an `Idempotency-Key` on this operation
    /// (`x-idempotency-key: true`): then every attempt carries the same key, and the call may be
    /// repeated after a timeout or a dropped connection.
    pub idempotency_key: bool,
    /// The security requirement: alternatives, each a set of schemes whose credentials are all
    /// sent together. The first alternative whose credentials the client has is sent; an empty
    /// alternative (or no alternatives at all) lets the call go without credentials.
    pub security: &'static [&'static [crate::auth::AuthScheme]],
}

/// A request about to be sent.
#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    /// Query parameters the operation declares but the call left unset: client defaults apply.
    pub(crate) unset_query: Vec<&'static str>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation.id)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &RedactedPairs(&self.headers))
            .field("cookies", &RedactedPairs(&self.cookies))
            .field("body", &self.body.as_ref().map(|b| (&b.content_type, b.len())))
            .finish()
    }
}

/// Unreserved characters (RFC 3986) stay; everything else in a path segment is encoded, `/`
/// included, so a value can never add a segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Query values: also encode `&`, `=`, `+` and `#` so values can't split or end the query.
const QUERY_VALUE: &AsciiSet = PATH_SEGMENT;
/// Cookie values (RFC 6265 cookie-octet excludes `;`, `,`, space, quotes and backslash).
const COOKIE_VALUE: &AsciiSet = PATH_SEGMENT;

/// Encodes one path parameter. Empty values and the dot segments `.` and `..` are refused: they
/// would change which resource the path names.
pub fn path_param<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let text = match scalar_text(name, &to_value(name, value)?)? {
        Some(t) => t,
        None => return Err(Error::InvalidArgument(format!("path parameter `{name}` is missing"))),
    };
    if text.is_empty() {
        return Err(Error::InvalidArgument(format!("path parameter `{name}` must not be empty")));
    }
    if text == "." || text == ".." {
        return Err(Error::InvalidArgument(format!("path parameter `{name}` must not be `{text}`")));
    }
    Ok(utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::InvalidArgument(format!("parameter `{name}`: {e}")))
}

/// The text of a scalar JSON value; `None` for null.
fn scalar_text(name: &str, v: &Value) -> Result<Option<String>, Error> {
    Ok(match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => {
            return Err(Error::InvalidArgument(format!("parameter `{name}` must be a single value")))
        }
    })
}

/// Scalars as text, arrays and objects as JSON text, null as nothing.
fn text_or_json(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn check_header_text(kind: &str, name: &str, value: &str) -> Result<(), Error> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::InvalidArgument(format!("{kind} `{name}` contains a line break or NUL")));
    }
    Ok(())
}

impl Request {
    /// A request for `operation` at `path` (parameters already encoded into it).
    pub fn new(operation: &'static Operation, path: String) -> Self {
        Request {
            operation,
            path,
            query: Vec::new(),
            unset_query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
        }
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Adds a query parameter (form style, exploded): `None` leaves it out (a client default
    /// may fill it), arrays repeat the name (`types=a&types=b`), an object gives one pair per
    /// property; values that aren't scalars at that point are sent as JSON text.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        match to_value(name, value)? {
            Value::Null => self.unset_query.push(name),
            Value::Array(items) => {
                for item in &items {
                    if let Some(text) = text_or_json(item) {
                        self.query.push((Cow::Borrowed(name), text));
                    }
                }
            }
            Value::Object(fields) => {
                for (k, v) in &fields {
                    if let Some(text) = text_or_json(v) {
                        self.query.push((Cow::Owned(k.clone()), text));
                    }
                }
            }
            v => {
                if let Some(text) = text_or_json(&v) {
                    self.query.push((Cow::Borrowed(name), text));
                }
            }
        }
        Ok(())
    }

    /// Adds a query parameter whose array values are joined with commas (`explode: false`).
    pub fn query_joined<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match to_value(name, value)? {
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(|i| text_or_json(i).unwrap_or_default()).collect();
                self.query.push((Cow::Borrowed(name), parts.join(",")));
                Ok(())
            }
            _ => self.query(name, value),
        }
    }

    /// Adds a header parameter (`None` leaves it out); line breaks are refused.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let v = to_value(name, value)?;
        let text = match v {
            Value::Array(items) => {
                let parts: Result<Vec<String>, Error> =
                    items.iter().map(|i| scalar_text(name, i).map(Option::unwrap_or_default)).collect();
                Some(parts?.join(","))
            }
            v => scalar_text(name, &v)?,
        };
        if let Some(text) = text {
            check_header_text("header", name, &text)?;
            self.headers.push((name, text));
        }
        Ok(())
    }

    /// Adds a cookie parameter (`None` leaves it out); the value is percent-encoded.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        if let Some(text) = scalar_text(name, &to_value(name, value)?)? {
            self.cookies.push((name, utf8_percent_encode(&text, COOKIE_VALUE).to_string()));
        }
        Ok(())
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::InvalidArgument(format!("request body: {e}")))?;
        self.body = Some(Body::bytes("application/json", Bytes::from(bytes)));
        Ok(())
    }

    /// An `application/x-www-form-urlencoded` body from an object.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let Value::Object(map) = to_value("body", body)? else {
            return Err(Error::InvalidArgument("a form body must be an object".into()));
        };
        let mut out = String::new();
        for (k, v) in &map {
            let values = match v {
                Value::Array(items) => items.clone(),
                Value::Null => continue,
                other => vec![other.clone()],
            };
            for v in values {
                let text = match &v {
                    Value::Object(_) | Value::Array(_) => v.to_string(),
                    other => scalar_text(k, other)?.unwrap_or_default(),
                };
                if !out.is_empty() {
                    out.push('&');
                }
                out.push_str(&form_encode(k));
                out.push('=');
                out.push_str(&form_encode(&text));
            }
        }
        self.body = Some(Body::bytes("application/x-www-form-urlencoded", Bytes::from(out)));
        Ok(())
    }

    /// A multipart body.
    pub fn multipart(&mut self, form: crate::multipart::Multipart) {
        self.body = Some(form.encode());
    }

    /// Raw bytes with the given content type.
    pub fn bytes(&mut self, content_type: &str, body: Bytes) {
        self.body = Some(Body::bytes(content_type, body));
    }

    /// A text body with the given content type.
    pub fn text(&mut self, content_type: &str, body: String) {
        self.body = Some(Body::bytes(content_type, Bytes::from(body)));
    }

    /// `path?query` with every name and value percent-encoded: the call's parameters, then the
    /// client defaults for parameters the call left unset, then extra pairs.
    pub(crate) fn path_and_query(&self, defaults: &[(String, String)], extra: &[(String, String)]) -> String {
        let mut out = self.path.clone();
        let defaults = defaults
            .iter()
            .filter(|(k, _)| self.unset_query.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()));
        let extra = extra.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let pairs = self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())).chain(defaults).chain(extra);
        for (i, (k, v)) in pairs.enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.extend(utf8_percent_encode(k, QUERY_VALUE));
            out.push('=');
            out.extend(utf8_percent_encode(v, QUERY_VALUE));
        }
        out
    }

    /// Merges extra top-level fields into the body: into a JSON object, appended to a form, or
    /// as a new JSON object when there is no body.
    pub(crate) fn add_body_fields(&mut self, fields: &serde_json::Map<String, Value>) -> Result<(), Error> {
        if fields.is_empty() {
            return Ok(());
        }
        let refuse = |what: &str| {
            Error::InvalidArgument(format!("extra body fields need a JSON object or form body, not {what}"))
        };
        match self.body.as_ref().map(|b| (b.content_type.as_str(), b.single())) {
            None => self.json(fields),
            Some(("application/json", Some(bytes))) => {
                let mut value: Value = serde_json::from_slice(bytes).map_err(|_| refuse("this body"))?;
                let Value::Object(map) = &mut value else {
                    return Err(refuse("a JSON body that isn't an object"));
                };
                map.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                self.json(&value)
            }
            Some(("application/x-www-form-urlencoded", Some(bytes))) => {
                let mut text = String::from_utf8_lossy(bytes).into_owned();
                let mut extra = Request::new(self.operation, String::new());
                extra.form(fields)?;
                if let Some(more) = extra.body.as_ref().and_then(Body::single) {
                    if !text.is_empty() && !more.is_empty() {
                        text.push('&');
                    }
                    text.push_str(&String::from_utf8_lossy(more));
                }
                self.body = Some(Body::bytes("application/x-www-form-urlencoded", Bytes::from(text)));
                Ok(())
            }
            Some((ct, _)) => Err(refuse(ct)),
        }
    }

    /// The `Cookie` header value, if the call has cookies.
    pub(crate) fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty())
            .then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }
}

fn form_encode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string().replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;

    static OP: Operation = Operation {
        id: "t",
        method: http::Method::GET,
        path: "/t",
        accept: "application/json",
        documented_statuses: &[],
        idempotency_key: false,
        security: &[],
    };

    #[test]
    fn path_params_cannot_change_the_path() {
        assert_eq!(path_param("id", "a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
        assert_eq!(path_param("id", "idx-1_x.y~").unwrap(), "idx-1_x.y~");
        assert!(
            matches!(path_param("id", ""), Err(Error::InvalidArgument(m)) if m.contains("`id` must not be empty"))
        );
        assert!(path_param("id", "..").is_err());
        assert_eq!(path_param("n", &42).unwrap(), "42");
    }

    #[test]
    fn query_arrays_repeat_and_none_is_left_out() {
        let mut r = Request::new(&OP, "/t".into());
        r.query("types", &Some(vec!["a", "b c"])).unwrap();
        r.query("name", &None::<String>).unwrap();
        r.query("flag", &true).unwrap();
        assert_eq!(r.path_and_query(&[], &[]), "/t?types=a&types=b%20c&flag=true");
        let defaults = [("name".to_string(), "x&y".to_string())];
        assert_eq!(r.path_and_query(&defaults, &[]), "/t?types=a&types=b%20c&flag=true&name=x%26y");
    }

    #[test]
    fn object_query_values_give_one_pair_per_property() {
        let mut r = Request::new(&OP, "/t".into());
        r.query("filter", &serde_json::json!({"state": "open", "labels": ["a", "b"]})).unwrap();
        r.query_joined("ids", &[1, 2, 3]).unwrap();
        r.query("items", &serde_json::json!([{"k": 1}])).unwrap();
        assert_eq!(
            r.path_and_query(&[], &[]),
            "/t?labels=%5B%22a%22%2C%22b%22%5D&state=open&ids=1%2C2%2C3&items=%7B%22k%22%3A1%7D"
        );
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        let mut r = Request::new(&OP, "/t".into());
        assert!(matches!(r.header("x-a", "ok\r\nx-b: evil"), Err(Error::InvalidArgument(_))));
        r.header("x-a", &Some("fine")).unwrap();
        assert_eq!(r.headers, vec![("x-a", "fine".to_string())]);
    }

    #[test]
    fn cookies_are_encoded() {
        let mut r = Request::new(&OP, "/t".into());
        r.cookie("session", "a b;c").unwrap();
        assert_eq!(r.cookie_header().unwrap(), "session=a%20b%3Bc");
    }

    #[test]
    fn form_bodies() {
        let mut r = Request::new(&OP, "/t".into());
        r.form(&serde_json::json!({"a": "x y", "n": [1, 2], "skip": null})).unwrap();
        assert_eq!(r.body.as_ref().unwrap().single().unwrap(), &Bytes::from("a=x+y&n=1&n=2"));
        let extra = serde_json::json!({"z": "1 2"});
        r.add_body_fields(extra.as_object().unwrap()).unwrap();
        assert_eq!(r.body.unwrap().single().unwrap(), &Bytes::from("a=x+y&n=1&n=2&z=1+2"));
    }

    #[test]
    fn extra_body_fields_merge_into_json_objects() {
        let mut r = Request::new(&OP, "/t".into());
        let extra = serde_json::json!({"b": [1], "a": "over"});
        r.add_body_fields(extra.as_object().unwrap()).unwrap();
        assert_eq!(r.body.as_ref().unwrap().single().unwrap(), &Bytes::from(r#"{"a":"over","b":[1]}"#));
        r.json(&serde_json::json!({"a": 1, "keep": true})).unwrap();
        r.add_body_fields(extra.as_object().unwrap()).unwrap();
        assert_eq!(
            r.body.as_ref().unwrap().single().unwrap(),
            &Bytes::from(r#"{"a":"over","b":[1],"keep":true}"#)
        );
        r.text("text/plain", "hi".into());
        assert!(matches!(r.add_body_fields(extra.as_object().unwrap()), Err(Error::InvalidArgument(_))));
    }

    #[test]
    fn debug_hides_cookie_and_header_values() {
        let mut r = Request::new(&OP, "/t".into());
        r.cookie("session", "sess-secret").unwrap();
        r.header("x-token", "tok-secret").unwrap();
        let shown = format!("{r:?}");
        assert!(
            shown.contains("session") && !shown.contains("sess-secret") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
