//! The shapes of the generated command table, and the table itself.

use ferrospec_runtime as rt;
use ferrospec_runtime::__private as internal;

// Every variant is used by some document; this one may not use them all.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a command-line value is parsed into JSON.
// Every variant is used by some document; this one may not use them all.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Number,
    Bool,
    /// A JSON value given as text.
    Json,
    /// A path to a file whose bytes are uploaded.
    File,
}

#[derive(Debug)]
pub struct CliParam {
    pub name: &'static str,
    pub flag: &'static str,
    pub location: Location,
    pub kind: Kind,
    pub array: bool,
    pub required: bool,
    pub help: &'static str,
    pub values: &'static [&'static str],
}

#[derive(Debug)]
pub struct CliField {
    pub name: &'static str,
    pub flag: &'static str,
    pub kind: Kind,
    pub array: bool,
    pub required: bool,
    pub help: &'static str,
    pub values: &'static [&'static str],
}

// Every variant is used by some document; this one may not use them all.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
    Bytes,
    Text,
}

#[derive(Debug)]
pub struct CliBody {
    pub content_type: &'static str,
    pub encoding: BodyEncoding,
    pub required: bool,
    pub fields: &'static [CliField],
}

// Every variant is used by some document; this one may not use them all.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Empty,
    Json,
    Bytes,
    Text,
}

#[derive(Debug)]
pub struct CliOp {
    pub resource: &'static [&'static str],
    pub command: &'static str,
    pub about: &'static str,
    pub long_about: &'static str,
    pub operation: internal::Operation,
    pub params: &'static [CliParam],
    pub body: Option<CliBody>,
    pub response: ResponseKind,
    pub paginated: bool,
}

#[derive(Debug)]
pub struct CliDefault {
    pub name: &'static str,
    pub flag: &'static str,
    pub help: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/commands.rs"));
