//! `multipart/form-data` bodies, encoded to bytes up front so a retry sends exactly the same body.

use crate::error::Error;
use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;

/// A file to upload: its bytes, and optionally a file name and content type.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl FilePart {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart { bytes: bytes.into(), file_name: None, content_type: None }
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

    /// Reads a file; its name becomes the part's file name.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let part = FilePart::new(bytes);
        Ok(match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => part.file_name(name),
            None => part,
        })
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
pub trait IntoMultipart {
    fn into_multipart(self) -> Result<Multipart, Error>;
}

enum Part {
    Text(String),
    File(FilePart),
}

/// Parts of a `multipart/form-data` body, in order.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field: strings as they are, other values as JSON text.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let v = serde_json::to_value(value)
            .map_err(|e| Error::InvalidArgument(format!("field `{name}`: {e}")))?;
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => return Ok(()),
            other => other.to_string(),
        };
        self.parts.push((name.to_string(), Part::Text(text)));
        Ok(())
    }

    pub fn file(&mut self, name: &str, file: FilePart) {
        self.parts.push((name.to_string(), Part::File(file)));
    }

    /// The content type (with its boundary) and the encoded body in one buffer.
    pub fn encode(self) -> (String, Bytes) {
        let (content_type, chunks) = self.encode_chunks();
        (content_type, chunks.concat().into())
    }

    /// The content type and the body as a list of chunks: file contents are shared, not
    /// copied (a large upload would otherwise be copied into fresh memory on every call).
    pub fn encode_chunks(self) -> (String, Vec<Bytes>) {
        let boundary = format!("----llama-cloud-{:016x}{:016x}", crate::random::u64(), crate::random::u64());
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
                    chunks.push(pending.split().freeze());
                    chunks.push(f.bytes);
                }
            }
            pending.put_slice(b"\r\n");
        }
        pending.put_slice(format!("--{boundary}--\r\n").as_bytes());
        chunks.push(pending.freeze());
        chunks.retain(|c| !c.is_empty());
        (format!("multipart/form-data; boundary={boundary}"), chunks)
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
        let (ct, body) = m.encode();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"upload_file\"; filename=\"a%22b.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n")));
        assert!(text.contains("name=\"display_name\"\r\n\r\nDoc\r\n"));
        assert!(text.contains("name=\"meta\"\r\n\r\n{\"k\":1}\r\n"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }
}
