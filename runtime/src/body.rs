//! Request bodies as a list of chunks: bytes already in memory (shared, never copied) and files
//! that are opened again for every attempt and read as they are sent, so an upload of any size
//! needs a bounded amount of memory and a retry sends the same bytes.

use bytes::{Bytes, BytesMut};
use futures_util::stream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// In-memory bytes go out in pieces of at most this size, so the idle timeout sees an upload's
/// progress (a piece is handed over when the previous one has been taken; at the default 60 s
/// idle limit a link would need to be slower than about 17 KB/s for one piece to time out).
const PIECE: usize = 1024 * 1024;
/// Files are read this much at a time.
const FILE_READ: u64 = 256 * 1024;

/// Part of a body.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Chunk {
    Bytes(Bytes),
    /// A file's first `len` bytes (its length when it was added).
    File {
        path: Arc<PathBuf>,
        len: u64,
    },
}

impl Chunk {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Chunk::Bytes(b) => b.len() as u64,
            Chunk::File { len, .. } => *len,
        }
    }
}

/// A request body: its content type and chunks.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) content_type: String,
    pub(crate) chunks: Vec<Chunk>,
}

impl Body {
    pub(crate) fn bytes(content_type: impl Into<String>, bytes: Bytes) -> Self {
        Body { content_type: content_type.into(), chunks: vec![Chunk::Bytes(bytes)] }
    }

    pub(crate) fn len(&self) -> u64 {
        self.chunks.iter().map(Chunk::len).sum()
    }

    /// The body when it is all in memory in one chunk.
    pub(crate) fn single(&self) -> Option<&Bytes> {
        match self.chunks.as_slice() {
            [Chunk::Bytes(b)] => Some(b),
            _ => None,
        }
    }

    /// The body for one attempt. Small in-memory bodies go as they are; anything else is a
    /// stream that reports each piece to `activity` as it is handed to the connection.
    pub(crate) fn for_attempt(&self, activity: &Activity) -> reqwest::Body {
        if let Some(b) = self.single().filter(|b| b.len() <= PIECE) {
            return reqwest::Body::from(b.clone());
        }
        let state = Reader {
            chunks: self.chunks.clone().into_iter(),
            current: Current::Idle,
            activity: activity.clone(),
        };
        reqwest::Body::wrap_stream(stream::unfold(state, |mut r| async move {
            let next = r.next_piece().await;
            next.map(|piece| {
                match &piece {
                    Ok(_) => r.activity.touch(),
                    Err(e) => r.activity.fail(e.to_string()),
                }
                (piece, r)
            })
        }))
    }
}

enum Current {
    Idle,
    Bytes(Bytes),
    File { file: tokio::fs::File, path: Arc<PathBuf>, left: u64 },
}

struct Reader {
    chunks: std::vec::IntoIter<Chunk>,
    current: Current,
    activity: Activity,
}

impl Reader {
    async fn next_piece(&mut self) -> Option<std::io::Result<Bytes>> {
        use tokio::io::AsyncReadExt;
        loop {
            match &mut self.current {
                Current::Idle => match self.chunks.next()? {
                    Chunk::Bytes(b) => self.current = Current::Bytes(b),
                    Chunk::File { path, len } => match tokio::fs::File::open(path.as_path()).await {
                        Ok(file) => self.current = Current::File { file, path, left: len },
                        Err(e) => return Some(Err(file_error(&path, e))),
                    },
                },
                Current::Bytes(b) if b.is_empty() => self.current = Current::Idle,
                Current::Bytes(b) => return Some(Ok(b.split_to(b.len().min(PIECE)))),
                Current::File { file, path, left } => {
                    // One byte more than the file should have tells whether it grew.
                    let want = (*left).clamp(1, FILE_READ);
                    let mut buf = BytesMut::with_capacity(want as usize);
                    let read = match (&mut *file).take(want).read_buf(&mut buf).await {
                        Ok(n) => n,
                        Err(e) => return Some(Err(file_error(path, e))),
                    };
                    if *left == 0 {
                        // Sending fewer bytes than the file has would lose data silently.
                        if read > 0 {
                            return Some(Err(changed(path, "grew")));
                        }
                        self.current = Current::Idle;
                        continue;
                    }
                    if read == 0 {
                        return Some(Err(changed(path, "shrank")));
                    }
                    *left -= buf.len() as u64;
                    return Some(Ok(buf.freeze()));
                }
            }
        }
    }
}

fn file_error(path: &std::path::Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("reading {} for upload: {e}", path.display()))
}

fn changed(path: &std::path::Path, how: &str) -> std::io::Error {
    std::io::Error::other(format!("{} {how} after it was added to the request", path.display()))
}

/// When a call last made progress: bytes handed to the connection or received from it. The
/// idle timeout counts from here.
#[derive(Clone)]
pub(crate) struct Activity {
    start: Instant,
    last_ms: Arc<AtomicU64>,
    /// Why the body could not be read, when that is what ended the attempt.
    body_failure: Arc<std::sync::OnceLock<String>>,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
            body_failure: Arc::new(std::sync::OnceLock::new()),
        }
    }

    pub(crate) fn fail(&self, why: String) {
        let _ = self.body_failure.set(why);
    }

    pub(crate) fn body_failure(&self) -> Option<String> {
        self.body_failure.get().cloned()
    }

    pub(crate) fn touch(&self) {
        let now = self.start.elapsed().as_millis() as u64;
        self.last_ms.fetch_max(now, Ordering::Relaxed);
    }

    /// The instant at which the call has been idle for `limit`.
    pub(crate) fn idle_at(&self, limit: Duration) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + limit
    }
}
