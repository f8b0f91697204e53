//! A file given by path is streamed from disk: uploading 512 MiB raises the process's peak
//! memory (VmHWM, Linux only) by far less than the file's size.
//!
//! Alone in its own test binary so no other test's allocations disturb the measurement. The
//! file is sparse (`set_len`), so it costs no disk space, and the server on 127.0.0.1 counts the
//! bytes and throws them away.

use ferrospec_runtime::__private::{Multipart, Operation, Request};
use ferrospec_runtime::{Client, FilePart, Method, RequestOptions};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MIB: u64 = 1024 * 1024;
const FILE_SIZE: u64 = 512 * MIB;
const ALLOWED_GROWTH: u64 = 64 * MIB;
const IO_LIMIT: Duration = Duration::from_secs(30);

static UPLOAD: Operation = Operation {
    id: "uploadThing",
    method: Method::POST,
    path: "/things/upload",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: false,
    security: &[],
};

/// The process's peak resident set size in bytes, from `/proc/self/status`.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// (Content-Length, body bytes received) per request.
type Counts = Arc<Mutex<Vec<(u64, u64)>>>;

/// Reads each request's head, then counts and discards its body, and answers 200.
async fn discard(mut stream: TcpStream, counts: Counts) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let head_end = loop {
        if let Some(p) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        if head.len() > 64 * 1024 {
            return;
        }
        match tokio::time::timeout(IO_LIMIT, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
            _ => return,
        }
    };
    let text = String::from_utf8_lossy(&head[..head_end]).to_ascii_lowercase();
    let len: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut received = (head.len() - head_end - 4) as u64;
    drop(head);
    while received < len {
        match tokio::time::timeout(IO_LIMIT, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => received += n as u64,
            _ => break,
        }
    }
    counts.lock().unwrap().push((len, received));
    if received == len {
        let body = r#"{"ok":true}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = tokio::time::timeout(IO_LIMIT, stream.write_all(reply.as_bytes())).await;
        let _ = tokio::time::timeout(IO_LIMIT, stream.shutdown()).await;
    }
}

/// Removes the directory when dropped, whatever happens in the test.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn upload(part: FilePart) -> Request {
    let mut form = Multipart::new();
    form.file("upload_file", part);
    let mut req = Request::new(&UPLOAD, "/things/upload".into());
    req.multipart(form);
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploading_a_512_mib_file_keeps_peak_memory_bounded() {
    if peak_rss().is_none() {
        eprintln!("skipped: no VmHWM in /proc/self/status (the measurement needs Linux)");
        return;
    }
    let dir = TempDir(std::env::temp_dir().join(format!("ferrospec-upload-memory-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap();
    let big = dir.0.join("sparse.bin");
    std::fs::File::create(&big).unwrap().set_len(FILE_SIZE).unwrap();
    let small = dir.0.join("small.bin");
    std::fs::write(&small, vec![1u8; 4096]).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counts: Counts = Arc::default();
    let c = counts.clone();
    let server = tokio::spawn(async move {
        for _ in 0..4 {
            match tokio::time::timeout(Duration::from_secs(120), listener.accept()).await {
                Ok(Ok((stream, _))) => {
                    tokio::spawn(discard(stream, c.clone()));
                }
                _ => break,
            }
        }
    });
    let client = Client::builder()
        .api_key("k-memory")
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let opts = RequestOptions::new().max_retries(0);

    // A small upload first, so what every call sets up once is in the baseline.
    client.execute(upload(FilePart::from_path(&small).unwrap()), &opts).await.expect("small upload");
    let before = peak_rss().unwrap();

    let part = FilePart::from_path(&big).unwrap();
    assert_eq!(part.len(), FILE_SIZE);
    let res = tokio::time::timeout(Duration::from_secs(180), client.execute(upload(part), &opts))
        .await
        .expect("the upload finishes within 3 minutes")
        .expect("the upload succeeds");
    let after = peak_rss().unwrap();
    server.abort();
    assert_eq!(res.status, 200);

    let counts = counts.lock().unwrap().clone();
    assert_eq!(counts.len(), 2, "{counts:?}");
    let (len, received) = counts[1];
    assert_eq!(received, len, "the server received the whole body");
    assert!(len > FILE_SIZE && len < FILE_SIZE + 1024, "Content-Length {len}");

    let growth = after.saturating_sub(before);
    eprintln!("peak RSS {} MiB before, {} MiB after (+{} MiB)", before / MIB, after / MIB, growth / MIB);
    assert!(
        growth < ALLOWED_GROWTH,
        "uploading {} MiB raised peak memory by {} MiB (limit {} MiB)",
        FILE_SIZE / MIB,
        growth / MIB,
        ALLOWED_GROWTH / MIB
    );
}
