//! Turns a parsed command line into a request for the runtime, sends it, and prints the answer.

use crate::table::*;
use clap::ArgMatches;
use ferrospec_runtime as rt;
use ferrospec_runtime::__private as internal;
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};

/// Why a command failed: its exit code tells usage problems (2) from API errors (1).
pub enum Failure {
    Usage(String),
    Api(String),
}

impl From<rt::Error> for Failure {
    fn from(e: rt::Error) -> Self {
        match e {
            rt::Error::InvalidArgument(m) | rt::Error::Config(m) => Failure::Usage(m),
            other => Failure::Api(other.to_string()),
        }
    }
}

/// One value from the command line as JSON, by kind.
fn value_of(m: &ArgMatches, id: &str, kind: Kind, array: bool) -> Result<Option<Value>, Failure> {
    let one = |raw: Value| -> Result<Value, Failure> {
        match (kind, raw) {
            (Kind::Json, Value::String(s)) => {
                serde_json::from_str(&s).map_err(|e| Failure::Usage(format!("--{id}: not valid JSON: {e}")))
            }
            (_, v) => Ok(v),
        }
    };
    let raw: Vec<Value> = match kind {
        Kind::Integer => {
            m.get_many::<i64>(id).map(|v| v.map(|n| Value::from(*n)).collect()).unwrap_or_default()
        }
        Kind::Number => {
            m.get_many::<f64>(id).map(|v| v.map(|n| Value::from(*n)).collect()).unwrap_or_default()
        }
        Kind::Bool => {
            m.get_many::<bool>(id).map(|v| v.map(|b| Value::from(*b)).collect()).unwrap_or_default()
        }
        Kind::String | Kind::Json | Kind::File => {
            m.get_many::<String>(id).map(|v| v.map(|s| Value::from(s.as_str())).collect()).unwrap_or_default()
        }
    };
    if raw.is_empty() {
        return Ok(None);
    }
    let values: Result<Vec<Value>, Failure> = raw.into_iter().map(one).collect();
    let mut values = values?;
    Ok(Some(if array { Value::Array(values) } else { values.remove(0) }))
}

/// Refuses a value (each one, for a repeated option) that is not among the operation's allowed
/// `values`, before anything is sent. The list comes from the document's enum; the server may
/// know newer values, so where a `--body` option exists the message says it can carry them.
fn check_values(flag: &str, values: &[&str], value: &Value, body_escape: bool) -> Result<(), Failure> {
    if values.is_empty() {
        return Ok(());
    }
    let given: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    for v in given {
        let Some(text) = v.as_str() else { continue };
        if values.contains(&text) {
            continue;
        }
        let mut msg = format!("invalid value '{text}' for --{flag}: expected one of {}", values.join(", "));
        let near = crate::suggest::closest(text, values.iter().copied());
        if !near.is_empty() {
            let quoted: Vec<String> = near.iter().map(|n| format!("'{n}'")).collect();
            msg.push_str(&format!("; did you mean {}?", quoted.join(" or ")));
        }
        if body_escape {
            msg.push_str(" (to send a value this version doesn't list, give it in --body)");
        }
        return Err(Failure::Usage(msg));
    }
    Ok(())
}

fn read_arg_text(text: &str) -> Result<Vec<u8>, Failure> {
    match text.strip_prefix('@') {
        Some(path) => std::fs::read(path).map_err(|e| Failure::Usage(format!("cannot read {path}: {e}"))),
        None => Ok(text.as_bytes().to_vec()),
    }
}

/// Builds the request (for a given page token, when paging).
fn build(op: &'static CliOp, m: &ArgMatches, page_token: Option<&str>) -> Result<internal::Request, Failure> {
    let mut path = String::new();
    let mut rest = op.operation.path;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).unwrap_or(rest.len() - 1);
        let name = &rest[open + 1..close];
        let p = op.params.iter().find(|p| p.name == name && p.location == Location::Path);
        let value = match p {
            Some(p) => {
                let v = value_of(m, p.flag, p.kind, false)?.unwrap_or(Value::Null);
                check_values(p.flag, p.values, &v, false)?;
                v
            }
            None => Value::Null,
        };
        path.push_str(&internal::path_param(name, &value)?);
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    let mut request = internal::Request::new(&op.operation, path);
    for p in op.params.iter().filter(|p| p.location != Location::Path) {
        let mut value = if CLIENT_DEFAULTS.iter().any(|d| d.name == p.name) {
            Value::Null // sent from the global option as a client default
        } else {
            let v = value_of(m, p.flag, p.kind, p.array)?.unwrap_or(Value::Null);
            check_values(p.flag, p.values, &v, false)?;
            v
        };
        if p.name == "page_token" {
            if let Some(t) = page_token {
                value = Value::from(t);
            }
        }
        match p.location {
            Location::Query => request.query(p.name, &value)?,
            Location::Header => request.header(p.name, &value)?,
            Location::Cookie => request.cookie(p.name, &value)?,
            Location::Path => {}
        }
    }
    if let Some(body) = &op.body {
        add_body(&mut request, body, m)?;
    }
    Ok(request)
}

fn add_body(request: &mut internal::Request, body: &CliBody, m: &ArgMatches) -> Result<(), Failure> {
    let whole = match m.try_get_one::<String>("body").ok().flatten() {
        Some(text) => Some(read_arg_text(text)?),
        None => None,
    };
    match body.encoding {
        BodyEncoding::Bytes | BodyEncoding::Text => {
            let bytes = whole.ok_or_else(|| Failure::Usage("--body is required".into()))?;
            request.bytes(body.content_type, rt::Bytes::from(bytes));
        }
        BodyEncoding::Multipart => {
            let mut form = internal::Multipart::new();
            for f in body.fields {
                if f.kind == Kind::File {
                    if let Some(path) = m.get_one::<String>(f.flag) {
                        let part = rt::FilePart::from_path(path)
                            .map_err(|e| Failure::Usage(format!("cannot read {path}: {e}")))?;
                        form.file(f.name, part);
                    } else if f.required {
                        return Err(Failure::Usage(format!("the file for `{}` is required", f.flag)));
                    }
                } else if let Some(v) = value_of(m, f.flag, f.kind, f.array)? {
                    check_values(f.flag, f.values, &v, false)?;
                    form.field(f.name, &v)?;
                } else if f.required {
                    return Err(Failure::Usage(format!("--{} is required", f.flag)));
                }
            }
            request.multipart(form);
        }
        BodyEncoding::Json | BodyEncoding::Form => {
            let mut obj: Map<String, Value> = match &whole {
                None => Map::new(),
                Some(bytes) => match serde_json::from_slice(bytes) {
                    Ok(Value::Object(o)) => o,
                    Ok(other) if body.fields.is_empty() => {
                        request.json(&other)?;
                        return Ok(());
                    }
                    Ok(_) => return Err(Failure::Usage("--body must be a JSON object".into())),
                    Err(e) => return Err(Failure::Usage(format!("--body is not valid JSON: {e}"))),
                },
            };
            for f in body.fields {
                if let Some(v) = value_of(m, f.flag, f.kind, f.array)? {
                    check_values(f.flag, f.values, &v, true)?;
                    obj.insert(f.name.to_string(), v);
                }
                if f.required && !obj.contains_key(f.name) {
                    return Err(Failure::Usage(format!("--{} is required (or give it in --body)", f.flag)));
                }
            }
            if !body.required && whole.is_none() && obj.is_empty() {
                return Ok(());
            }
            if body.encoding == BodyEncoding::Form {
                request.form(&obj)?;
            } else {
                request.json(&obj)?;
            }
        }
    }
    Ok(())
}

pub async fn run(
    client: &rt::Client,
    op: &'static CliOp,
    m: &ArgMatches,
    options: &rt::RequestOptions,
) -> Result<(), Failure> {
    if op.paginated && m.get_flag("all") {
        return run_all(client, op, m, options).await;
    }
    let response = client.execute(build(op, m, None)?, options).await?;
    let mut out = std::io::stdout().lock();
    let written = match op.response {
        ResponseKind::Empty => Ok(()),
        ResponseKind::Json => {
            let value = response.json::<Value>()?.body;
            print_json(&mut out, &value)
        }
        ResponseKind::Bytes => out.write_all(&response.body),
        ResponseKind::Text => out.write_all(&response.body).and_then(|_| writeln!(out)),
    };
    written.map_err(|e| Failure::Api(format!("cannot write the output: {e}")))
}

/// A page of any list operation, read as JSON, so the runtime's paging rules (empty or missing
/// token ends it, a repeated token is an error) apply to the CLI too.
struct JsonPage(Value);

impl rt::Page for JsonPage {
    type Item = Value;

    fn next_page_token(&self) -> Option<&str> {
        self.0.get("next_page_token").and_then(Value::as_str)
    }

    fn is_empty(&self) -> bool {
        self.0.get("items").and_then(Value::as_array).is_none_or(Vec::is_empty)
    }

    fn into_items(self) -> Vec<Value> {
        match self.0 {
            Value::Object(mut page) => match page.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

async fn run_all(
    client: &rt::Client,
    op: &'static CliOp,
    m: &ArgMatches,
    options: &rt::RequestOptions,
) -> Result<(), Failure> {
    let (client, m, options) = (client.clone(), m.clone(), options.clone());
    let pages = internal::pages(None, move |token: Option<String>| {
        // Building a request fails only on arguments: InvalidArgument, which maps back to Usage.
        let request: Result<_, rt::Error> = build(op, &m, token.as_deref()).map_err(|f| match f {
            Failure::Usage(msg) | Failure::Api(msg) => rt::Error::InvalidArgument(msg),
        });
        let (client, options) = (client.clone(), options.clone());
        async move {
            Ok::<_, rt::Error>(JsonPage(client.execute(request?, &options).await?.json::<Value>()?.body))
        }
    });
    let items: Vec<Value> = internal::items(pages).try_collect().await?;
    print_json(&mut std::io::stdout().lock(), &Value::Array(items))
        .map_err(|e| Failure::Api(format!("cannot write the output: {e}")))
}

fn print_json(out: &mut impl Write, value: &Value) -> std::io::Result<()> {
    let text = if std::io::stdout().is_terminal() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
