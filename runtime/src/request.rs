//! What generated code builds for each call: the operation's static description, the path with
//! encoded parameters, query pairs, headers, cookies and the body, all checked before sending.

use crate::body::Body;
use crate::error::Untyped as Error;
use crate::secret::RedactedPairs;
use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

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

impl Operation {
    /// Whether the document's answer is a redirect: it describes a 3xx and no 2xx (a login
    /// that sends the browser on, a download served elsewhere). Then the redirect is the
    /// result, with its `Location`, rather than something to follow.
    pub(crate) fn answers_redirect(&self) -> bool {
        let s = self.documented_statuses;
        s.iter().any(|c| (300..400).contains(c)) && !s.iter().any(|c| (200..300).contains(c))
    }

    /// Whether a status is an answer, not an error: any 2xx, or a 3xx the document names as
    /// the answer.
    pub(crate) fn is_answer(&self, status: http::StatusCode) -> bool {
        status.is_success()
            || (status.is_redirection()
                && self.answers_redirect()
                && self.documented_statuses.contains(&status.as_u16()))
    }
}

/// A request about to be sent.
#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    /// Query pairs, already percent-encoded (so a style's delimiters and brackets stay literal).
    pub(crate) query: Vec<(String, String)>,
    /// Query parameters the operation declares but the call left unset: client defaults apply.
    pub(crate) unset_query: Vec<&'static str>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Cookie names (a parameter's, or an exploded object's property) and encoded values.
    pub(crate) cookies: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub(crate) body: Option<Body>,
    /// `Accept` for this request when not the operation's (a stream's media type).
    pub(crate) accept: Option<&'static str>,
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
    Ok(encode_path(&text))
}

fn encode_path(text: &str) -> String {
    utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

fn encode_query(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// How a path parameter is written (OpenAPI `style` for `in: path`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `a,b,c` (the default).
    Simple,
    /// `.a,b,c`, or `.a.b.c` exploded.
    Label,
    /// `;name=a,b,c`, or `;name=a;name=b;name=c` exploded.
    Matrix,
}

/// Encodes a path parameter that is a scalar or a list, in `style`. Every element is
/// percent-encoded on its own (a `/`, `,`, `;` or `=` in it is escaped) and only the style's
/// delimiters are written as they are, so no element can add a path segment, and (but for a `.`
/// in an exploded label) none can pass for two. `explode` makes no difference to `Simple`. As
/// for [`path_param`], an empty result and the dot segments `.` and `..` are refused.
pub fn path_styled<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: PathStyle,
    explode: bool,
) -> Result<String, Error> {
    let v = to_value(name, value)?;
    let items: Vec<String> = match &v {
        Value::Null => return Err(Error::InvalidArgument(format!("path parameter `{name}` is missing"))),
        Value::Array(items) => items
            .iter()
            .map(|i| match scalar_text(name, i) {
                Ok(Some(t)) => Ok(encode_path(&t)),
                Ok(None) => {
                    Err(Error::InvalidArgument(format!("path parameter `{name}` has a null element")))
                }
                Err(_) => Err(Error::InvalidArgument(format!(
                    "path parameter `{name}` must be a list of single values"
                ))),
            })
            .collect::<Result<_, _>>()?,
        // An object's properties, as the style table writes them: `R,100,G,200`, or exploded
        // `R=100,G=200` (matrix: `;R=100;G=200`).
        Value::Object(map) => {
            let items = object_items(map, explode, encode_path);
            if explode {
                let text = match style {
                    PathStyle::Simple => items.join(","),
                    PathStyle::Label => format!(".{}", items.join(".")),
                    PathStyle::Matrix => items.iter().map(|i| format!(";{i}")).collect(),
                };
                return checked_path(name, text);
            }
            items
        }
        scalar => vec![encode_path(&scalar_text(name, scalar)?.unwrap_or_default())],
    };
    let text = match style {
        PathStyle::Simple => items.join(","),
        PathStyle::Label => format!(".{}", items.join(if explode { "." } else { "," })),
        PathStyle::Matrix => {
            let key = encode_path(name);
            match items.as_slice() {
                [] => format!(";{key}"),
                [one] if one.is_empty() => format!(";{key}"),
                _ if explode => items.iter().map(|i| format!(";{key}={i}")).collect(),
                _ => format!(";{key}={}", items.join(",")),
            }
        }
    };
    checked_path(name, text)
}

/// A path parameter's text, refused when empty or a dot segment (`.`, `..`).
fn checked_path(name: &str, text: String) -> Result<String, Error> {
    if text.is_empty() {
        return Err(Error::InvalidArgument(format!("path parameter `{name}` must not be empty")));
    }
    if text == "." || text == ".." {
        return Err(Error::InvalidArgument(format!("path parameter `{name}` must not be `{text}`")));
    }
    Ok(text)
}

/// An object parameter's properties as text, in order, each name and value through `encode`;
/// unset (null) ones left out. A property that is itself an object or a list has no form in
/// these styles: it goes as its JSON text, as a query parameter's does, rather than be refused.
fn object_pairs(map: &serde_json::Map<String, Value>, encode: fn(&str) -> String) -> Vec<(String, String)> {
    map.iter().filter_map(|(k, v)| Some((encode(k), encode(&text_or_json(v)?)))).collect()
}

/// An object parameter's items as the style table writes them: `R=100` per property when
/// exploded, else names and values in turn (`R`, `100`); the style joins them.
fn object_items(
    map: &serde_json::Map<String, Value>,
    explode: bool,
    encode: fn(&str) -> String,
) -> Vec<String> {
    let pairs = object_pairs(map, encode);
    match explode {
        true => pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
        false => pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(),
    }
}

/// Encodes a path parameter declared with `content: application/json`: the value as JSON text,
/// percent-encoded into one segment.
pub fn path_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    path_param(name, &json_text(name, value)?)
}

/// The value as JSON text (for parameters declared with `content: application/json`).
fn json_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::InvalidArgument(format!("parameter `{name}`: {e}")))
}

/// JSON text with every character outside ASCII written as a `\u` escape: the same JSON value,
/// and a valid header value. (Such characters only occur inside JSON strings.)
fn ascii_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// The delimiter between the elements of a query array that is not exploded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `style: form, explode: false`: `ids=a,b`.
    Comma,
    /// `style: spaceDelimited`: `ids=a%20b`.
    Space,
    /// `style: pipeDelimited`: `ids=a|b` (the pipe percent-encoded).
    Pipe,
}

impl Delimiter {
    /// As written on the wire.
    fn wire(self) -> &'static str {
        match self {
            Delimiter::Comma => ",",
            Delimiter::Space => "%20",
            // RFC 3986 leaves `|` out of queries, and servers such as Tomcat refuse it raw.
            Delimiter::Pipe => "%7C",
        }
    }
}

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    crate::json_value::json_value(value)
        .map_err(|e| Error::InvalidArgument(format!("parameter `{name}`: {e}")))
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

fn encode_cookie(text: &str) -> String {
    utf8_percent_encode(text, COOKIE_VALUE).to_string()
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
            accept: None,
        }
    }

    /// Asks for `media` instead of the operation's success media types.
    pub fn accept(&mut self, media: &'static str) {
        self.accept = Some(media);
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    fn push_query(&mut self, name: &str, text: &str) {
        self.query.push((encode_query(name), encode_query(text)));
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
                        self.push_query(name, &text);
                    }
                }
            }
            Value::Object(fields) => {
                for (k, v) in &fields {
                    if let Some(text) = text_or_json(v) {
                        self.push_query(k, &text);
                    }
                }
            }
            v => {
                if let Some(text) = text_or_json(&v) {
                    self.push_query(name, &text);
                }
            }
        }
        Ok(())
    }

    /// Adds a query parameter that is not exploded: an array is one pair whose elements are
    /// joined by `delimiter` (`ids=a,b`, `ids=a%7Cb`, `ids=a%20b`), an object one pair of
    /// alternating names and values (`color=R,100,G,200`). Each element is percent-encoded on
    /// its own and the delimiter is written as the style's: a comma, so an element holding one
    /// stays one element; `%20` or `%7C` for a space or a pipe, which RFC 3986 doesn't allow raw
    /// (an element holding one is encoded the same: those styles cannot tell them apart).
    /// Scalars and `None` are as for [`Request::query`].
    pub fn query_delimited<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        delimiter: Delimiter,
    ) -> Result<(), Error> {
        let parts: Vec<String> = match to_value(name, value)? {
            Value::Array(items) => items.iter().map(|i| text_or_json(i).unwrap_or_default()).collect(),
            Value::Object(fields) => {
                fields.iter().filter_map(|(k, v)| text_or_json(v).map(|t| [k.clone(), t])).flatten().collect()
            }
            _ => return self.query(name, value),
        };
        let joined: Vec<String> = parts.iter().map(|p| encode_query(p)).collect();
        self.query.push((encode_query(name), joined.join(delimiter.wire())));
        Ok(())
    }

    /// Adds a `deepObject` query parameter: each property of an object is a pair named
    /// `name[property]` (`filter[owner]=me`), a nested object one more bracket level
    /// (`filter[size][min]=1`), and an array property repeats its name (`filter[tags]=a&
    /// filter[tags]=b`; array elements that are objects or arrays go as JSON text). The
    /// brackets are percent-encoded as RFC 3986 asks (`filter%5Bowner%5D=me`; servers decode
    /// them back, and some refuse them raw), and so are names and values. A value that is not an object is sent as for
    /// [`Request::query`].
    pub fn query_deep<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        match to_value(name, value)? {
            Value::Object(fields) => {
                self.deep_pairs(&encode_query(name), &fields, 0);
                Ok(())
            }
            _ => self.query(name, value),
        }
    }

    fn deep_pairs(&mut self, key: &str, fields: &serde_json::Map<String, Value>, depth: usize) {
        for (k, v) in fields {
            let key = format!("{key}%5B{}%5D", encode_query(k));
            match v {
                Value::Null => {}
                // Serde values nest only as deep as the input did; the bound keeps the key sane.
                Value::Object(inner) if depth < 32 => self.deep_pairs(&key, inner, depth + 1),
                Value::Array(items) => {
                    for item in items {
                        if let Some(text) = text_or_json(item) {
                            self.query.push((key.clone(), encode_query(&text)));
                        }
                    }
                }
                other => {
                    if let Some(text) = text_or_json(other) {
                        self.query.push((key, encode_query(&text)));
                    }
                }
            }
        }
    }

    /// Adds a query parameter declared with `content: application/json`: the whole value, as
    /// JSON text, in one pair (`filter=%7B%22a%22%3A1%7D`).
    pub fn query_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = json_text(name, value)?;
        self.push_query(name, &text);
        Ok(())
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

    /// Adds a header parameter whose value is an object (style `simple`): `R,100,G,200`, or
    /// exploded `R=100,G=200`.
    pub fn header_object<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) -> Result<(), Error> {
        let Value::Object(map) = to_value(name, value)? else { return self.header(name, value) };
        let text = object_items(&map, explode, str::to_string).join(",");
        check_header_text("header", name, &text)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Adds a header parameter declared with `content: application/json`: the value as JSON
    /// text, with characters outside ASCII escaped (`\u00e9`) so it is a valid header value.
    pub fn header_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = ascii_json(&json_text(name, value)?);
        check_header_text("header", name, &text)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Adds a cookie parameter (`None` leaves it out); the value is percent-encoded, and the
    /// elements of an array each on their own, joined with commas (`ids=a,b`).
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = match to_value(name, value)? {
            Value::Array(items) => {
                let parts: Result<Vec<String>, Error> = items
                    .iter()
                    .map(|i| scalar_text(name, i).map(|t| encode_cookie(&t.unwrap_or_default())))
                    .collect();
                Some(parts?.join(","))
            }
            v => scalar_text(name, &v)?.map(|t| encode_cookie(&t)),
        };
        if let Some(text) = text {
            self.cookies.push((name.into(), text));
        }
        Ok(())
    }

    /// Adds a cookie parameter whose value is an object (style `form`): one cookie per property
    /// (`R=100; G=200`) when exploded, else `name=R,100,G,200`; keys and values percent-encoded.
    pub fn cookie_object<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) -> Result<(), Error> {
        let Value::Object(map) = to_value(name, value)? else { return self.cookie(name, value) };
        if explode {
            for (k, v) in object_pairs(&map, encode_cookie) {
                self.cookies.push((k.into(), v));
            }
        } else {
            let text = object_items(&map, false, encode_cookie).join(",");
            self.cookies.push((name.into(), text));
        }
        Ok(())
    }

    /// Adds a cookie parameter declared with `content: application/json`: the value as JSON
    /// text, percent-encoded.
    pub fn cookie_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
        let text = json_text(name, value)?;
        self.cookies.push((name.into(), encode_cookie(&text)));
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

    #[cfg(test)]
    fn path_and_query(&self, defaults: &[(String, String)], extra: &[(String, String)]) -> String {
        let mut out = String::new();
        self.push_path_and_query(&mut out, defaults, extra);
        out
    }

    /// Appends `path?query` to `out` (the base URL), every name and value percent-encoded: the
    /// call's parameters, then the client defaults for parameters the call left unset, then
    /// extra pairs.
    pub(crate) fn push_path_and_query(
        &self,
        out: &mut String,
        defaults: &[(String, String)],
        extra: &[(String, String)],
    ) {
        out.push_str(&self.path);
        let defaults = defaults
            .iter()
            .filter(|(k, _)| self.unset_query.contains(&k.as_str()))
            .map(|(k, v)| (k.as_str(), v.as_str()));
        let extra = extra.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let mut sep = '?';
        let mut push = |out: &mut String, k: &str, v: &str| {
            out.push(sep);
            out.push_str(k);
            out.push('=');
            out.push_str(v);
            sep = '&';
        };
        for (k, v) in &self.query {
            push(out, k, v);
        }
        for (k, v) in defaults.chain(extra) {
            push(out, &encode_query(k), &encode_query(v));
        }
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

    /// OpenAPI's style table for the object `{"R": 100, "G": 200, "B": 150}` named `color`
    /// (label and matrix unexploded as RFC 6570 writes them, which 3.1 and 3.2 follow).
    #[test]
    fn object_parameters_follow_the_style_table() {
        let color = serde_json::json!({"R": 100, "G": 200, "B": 150});
        let path = |style, explode| path_styled("color", &color, style, explode).unwrap();
        // serde_json's map keeps keys sorted: B, G, R.
        assert_eq!(path(PathStyle::Simple, false), "B,150,G,200,R,100");
        assert_eq!(path(PathStyle::Simple, true), "B=150,G=200,R=100");
        assert_eq!(path(PathStyle::Label, false), ".B,150,G,200,R,100");
        assert_eq!(path(PathStyle::Label, true), ".B=150.G=200.R=100");
        assert_eq!(path(PathStyle::Matrix, false), ";color=B,150,G,200,R,100");
        assert_eq!(path(PathStyle::Matrix, true), ";B=150;G=200;R=100");
        // A property can't add a segment or pass for two.
        let sneaky = serde_json::json!({"a/b": "c,d=e"});
        assert_eq!(path_styled("x", &sneaky, PathStyle::Simple, true).unwrap(), "a%2Fb=c%2Cd%3De");
        // A nested value has no form in these styles: it goes as its JSON text, not refused.
        let nested = serde_json::json!({"a": {"b": 1}, "c": [1, 2]});
        assert_eq!(
            path_styled("x", &nested, PathStyle::Simple, false).unwrap(),
            "a,%7B%22b%22%3A1%7D,c,%5B1%2C2%5D"
        );

        let mut r = Request::new(&OP, String::new());
        r.header_object("X-Color", &color, false).unwrap();
        r.header_object("X-Color-Exploded", &color, true).unwrap();
        assert_eq!(
            r.headers,
            [
                ("X-Color", "B,150,G,200,R,100".to_string()),
                ("X-Color-Exploded", "B=150,G=200,R=100".to_string())
            ]
        );
        r.cookie_object("color", &color, false).unwrap();
        r.cookie_object("ignored", &serde_json::json!({"R": "1 2", "G": null}), true).unwrap();
        assert_eq!(r.cookie_header().unwrap(), "color=B,150,G,200,R,100; R=1%202");
    }

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
        r.query_delimited("ids", &[1, 2, 3], Delimiter::Comma).unwrap();
        r.query("items", &serde_json::json!([{"k": 1}])).unwrap();
        assert_eq!(
            r.path_and_query(&[], &[]),
            "/t?labels=%5B%22a%22%2C%22b%22%5D&state=open&ids=1,2,3&items=%7B%22k%22%3A1%7D"
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
    fn array_path_params_join_encoded_elements() {
        let ids = ["a", "b/c", "d,e"];
        assert_eq!(path_styled("ids", &ids, PathStyle::Simple, false).unwrap(), "a,b%2Fc,d%2Ce");
        // `explode` makes no difference to a simple list.
        assert_eq!(path_styled("ids", &ids, PathStyle::Simple, true).unwrap(), "a,b%2Fc,d%2Ce");
        assert_eq!(path_styled("ids", &[1, 2], PathStyle::Simple, false).unwrap(), "1,2");
        assert_eq!(path_styled("ids", &["a", "b"], PathStyle::Label, false).unwrap(), ".a,b");
        assert_eq!(path_styled("ids", &["a", "b.c"], PathStyle::Label, true).unwrap(), ".a.b.c");
        assert_eq!(path_styled("ids", &["a", "b;c"], PathStyle::Matrix, false).unwrap(), ";ids=a,b%3Bc");
        assert_eq!(path_styled("ids", &["a", "b"], PathStyle::Matrix, true).unwrap(), ";ids=a;ids=b");
        assert_eq!(path_styled("ids", &Vec::<String>::new(), PathStyle::Matrix, true).unwrap(), ";ids");
        assert_eq!(path_styled("id", "x y", PathStyle::Label, false).unwrap(), ".x%20y");
        assert_eq!(path_styled("id", &7, PathStyle::Matrix, false).unwrap(), ";id=7");
        let refused = |r: Result<String, Error>, what: &str| {
            assert!(matches!(&r, Err(Error::InvalidArgument(m)) if m.contains(what)), "{r:?}");
        };
        refused(path_styled("ids", &Vec::<String>::new(), PathStyle::Simple, false), "must not be empty");
        refused(path_styled("ids", &[".."], PathStyle::Simple, false), "must not be `..`");
        refused(path_styled("id", "", PathStyle::Label, false), "must not be `.`");
        // An object is its properties (see `object_parameters_follow_the_style_table`).
        assert_eq!(
            path_styled("ids", &serde_json::json!({"a": 1}), PathStyle::Simple, false).unwrap(),
            "a,1"
        );
        refused(
            path_styled("ids", &serde_json::json!([["a"]]), PathStyle::Simple, false),
            "a list of single values",
        );
        refused(path_styled("ids", &None::<Vec<String>>, PathStyle::Simple, false), "is missing");
    }

    #[test]
    fn json_content_params_are_one_json_text() {
        let v = serde_json::json!({"a": [1, "x y"], "é": true});
        let mut r = Request::new(&OP, "/t".into());
        r.query_json("filter", &v).unwrap();
        assert_eq!(
            r.path_and_query(&[], &[]),
            "/t?filter=%7B%22a%22%3A%5B1%2C%22x%20y%22%5D%2C%22%C3%A9%22%3Atrue%7D"
        );
        r.header_json("x-filter", &v).unwrap();
        assert_eq!(r.headers, vec![("x-filter", r#"{"a":[1,"x y"],"\u00e9":true}"#.to_string())]);
        r.header_json("x-emoji", "\u{1f600}").unwrap();
        assert_eq!(r.headers[1].1, r#""\ud83d\ude00""#);
        r.cookie_json("prefs", &serde_json::json!({"k": "v"})).unwrap();
        assert_eq!(r.cookie_header().unwrap(), "prefs=%7B%22k%22%3A%22v%22%7D");
        assert_eq!(path_json("f", &serde_json::json!({"k": "a/b"})).unwrap(), "%7B%22k%22%3A%22a%2Fb%22%7D");
        // A required JSON parameter that is null is sent as `null`.
        let mut r = Request::new(&OP, "/t".into());
        r.query_json("f", &serde_json::Value::Null).unwrap();
        assert_eq!(r.path_and_query(&[], &[]), "/t?f=null");
    }

    #[test]
    fn pipe_and_space_delimited_arrays() {
        let mut r = Request::new(&OP, "/t".into());
        r.query_delimited("p", &["a|b", "c d", "e"], Delimiter::Pipe).unwrap();
        r.query_delimited("s", &["x", "y&z"], Delimiter::Space).unwrap();
        r.query_delimited("o", &serde_json::json!({"R": 100, "G": 200}), Delimiter::Pipe).unwrap();
        r.query_delimited("e", &Vec::<String>::new(), Delimiter::Comma).unwrap();
        r.query_delimited("one", &5, Delimiter::Pipe).unwrap();
        r.query_delimited("none", &None::<Vec<String>>, Delimiter::Pipe).unwrap();
        assert_eq!(
            r.path_and_query(&[], &[]),
            "/t?p=a%7Cb%7Cc%20d%7Ce&s=x%20y%26z&o=G%7C200%7CR%7C100&e=&one=5"
        );
        assert_eq!(r.unset_query, vec!["none"]);
    }

    #[test]
    fn deep_object_names_properties_in_brackets() {
        let mut r = Request::new(&OP, "/t".into());
        let filter = serde_json::json!({
            "owner": "me",
            "tags": ["a", "b c"],
            "size": {"min": 1, "max": null},
            "skip": null,
            "we[ir]d": "x&y=z",
        });
        r.query_deep("filter", &filter).unwrap();
        r.query_deep("plain", "v").unwrap();
        r.query_deep("unset", &None::<serde_json::Value>).unwrap();
        assert_eq!(
            r.path_and_query(&[], &[]),
            "/t?filter%5Bowner%5D=me&filter%5Bsize%5D%5Bmin%5D=1&filter%5Btags%5D=a&filter%5Btags%5D=b%20c\
             &filter%5Bwe%5Bir%5Dd%5D=x%26y%3Dz&plain=v"
        );
        assert_eq!(r.unset_query, vec!["unset"]);
    }

    #[test]
    fn cookie_arrays_join_encoded_elements() {
        let mut r = Request::new(&OP, "/t".into());
        r.cookie("ids", &["a", "b,c"]).unwrap();
        assert_eq!(r.cookie_header().unwrap(), "ids=a,b%2Cc");
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
