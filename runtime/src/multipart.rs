//! `multipart/form-data` bodies. Text parts are encoded up front; file contents are shared
//! (in-memory files) or read from disk while sending (files given by path), never copied.

use crate::body::{Body, Chunk};
use crate::error::Untyped as Error;
use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file to upload: its contents (in memory, or a file on disk read while sending), and
/// optionally a file name and content type.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    source: Chunk,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("FilePart");
        if let Chunk::File { path, .. } = &self.source {
            d.field("path", path);
        }
        d.field("len", &self.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    /// A file whose contents are in memory.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart { source: Chunk::Bytes(bytes.into()), file_name: None, content_type: None }
    }

    /// A file on disk, streamed while the request is sent (and opened again for a retry), so
    /// its size doesn't matter. Only its length is read now; its name becomes the part's file
    /// name. If the file changes size before it is sent, the call fails rather than sending a
    /// different file.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a file", path.display()),
            ));
        }
        let part = FilePart {
            source: Chunk::File { path: Arc::new(PathBuf::from(path)), len: meta.len() },
            file_name: None,
            content_type: None,
        };
        Ok(match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => part.file_name(name),
            None => part,
        })
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name, if one is set.
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if one is set.
    pub fn get_content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The number of bytes that will be sent.
    pub fn len(&self) -> u64 {
        self.source.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The contents when they are in memory (`None` for a file read from disk while sending).
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.source {
            Chunk::Bytes(b) => Some(b),
            Chunk::File { .. } => None,
        }
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

/// Turns a generated multipart body type into parts.
#[doc(hidden)]
pub trait IntoMultipart {
    /// The parts, in the order the document lists the fields.
    fn into_multipart(self) -> Result<Multipart, Error>;
}

enum Part {
    Text(String),
    File(FilePart),
}

/// Parts of a `multipart/form-data` body, in order.
#[doc(hidden)]
#[derive(Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field: strings as they are, other values as JSON text.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let v = crate::json_value::json_value(value)
            .map_err(|e| Error::InvalidArgument(format!("field `{name}`: {e}")))?;
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => return Ok(()),
            other => other.to_string(),
        };
        self.parts.push((name.to_string(), Part::Text(text)));
        Ok(())
    }

    /// A file part.
    pub fn file(&mut self, name: &str, file: FilePart) {
        self.parts.push((name.to_string(), Part::File(file)));
    }

    /// The body: content type (with its boundary) and chunks, file contents kept apart.
    pub(crate) fn encode(self) -> Body {
        let boundary = format!("----ferrospec-{:016x}{:016x}", crate::random::u64(), crate::random::u64());
        let mut chunks = Vec::new();
        let mut pending = BytesMut::new();
        for (name, part) in self.parts {
            pending.put_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(text) => {
                    pending.put_slice(
                        format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", quote(&name))
                            .as_bytes(),
                    );
                    pending.put_slice(text.as_bytes());
                }
                Part::File(f) => {
                    let file_name = f.file_name.as_deref().unwrap_or(&name);
                    pending.put_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                            quote(&name),
                            quote(file_name),
                            f.content_type.as_deref().unwrap_or("application/octet-stream").replace(['\r', '\n'], "")
                        )
                        .as_bytes(),
                    );
                    chunks.push(Chunk::Bytes(pending.split().freeze()));
                    chunks.push(f.source);
                }
            }
            pending.put_slice(b"\r\n");
        }
        pending.put_slice(format!("--{boundary}--\r\n").as_bytes());
        chunks.push(Chunk::Bytes(pending.freeze()));
        chunks.retain(|c| c.len() > 0);
        Body { content_type: format!("multipart/form-data; boundary={boundary}"), chunks }
    }
}

/// Escapes a name for a quoted `Content-Disposition` parameter (as browsers do).
fn quote(s: &str) -> String {
    s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_text_and_file_parts() {
        let mut m = Multipart::new();
        m.file("upload_file", FilePart::new("hello").file_name("a\"b.txt"));
        m.field("display_name", "Doc").unwrap();
        m.field("meta", &serde_json::json!({"k": 1})).unwrap();
        let body = m.encode();
        let boundary = body.content_type.strip_prefix("multipart/form-data; boundary=").unwrap().to_string();
        let bytes: Vec<u8> = body
            .chunks
            .iter()
            .flat_map(|c| match c {
                Chunk::Bytes(b) => b.to_vec(),
                Chunk::File { .. } => unreachable!(),
            })
            .collect();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"a%22b.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n")));
        assert!(text.contains("name=\"display_name\"\r\n\r\nDoc\r\n"));
        assert!(text.contains("name=\"meta\"\r\n\r\n{\"k\":1}\r\n"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn a_file_by_path_is_not_read_up_front() {
        let dir = std::env::temp_dir().join(format!("ferrospec-fp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("doc.txt");
        std::fs::write(&p, b"0123456789").unwrap();
        let f = FilePart::from_path(&p).unwrap();
        assert_eq!((f.len(), f.get_file_name(), f.bytes()), (10, Some("doc.txt"), None));
        assert!(FilePart::from_path(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
