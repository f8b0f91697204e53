//! Uploads of files given by path, and the idle timeout on slow transfers (issue #11).
//!
//! The server here is a small HTTP/1.1 server on 127.0.0.1 written for these tests: per
//! connection it reads the request head, then the `Content-Length` body in chunks with an
//! optional pause between them (or stops reading altogether), records what arrived, and answers
//! with a status or trickles a response body slowly. Its listening socket has a small receive
//! buffer, so a server that reads slowly holds the client back instead of the kernel absorbing
//! the whole upload.
//!
//! Everything is bounded: the accept loop stops after a lifetime or a number of connections,
//! every read and write has a time limit, and dropping the server aborts its tasks.

use ferrospec_runtime::__private::{Multipart, Operation, Request};
use ferrospec_runtime::{Client, Error, FilePart, Method, RequestOptions, TimeoutKind};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

const SERVER_LIFETIME: Duration = Duration::from_secs(60);
const MAX_CONNECTIONS: usize = 16;
const IO_LIMIT: Duration = Duration::from_secs(10);
const MAX_HEAD: usize = 64 * 1024;
const KIB: usize = 1024;
const MIB: usize = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/// How the server reads a request body.
#[derive(Clone, Debug)]
enum ReadBody {
    /// All of it, `chunk` bytes at a time with `pause` after each chunk.
    All { chunk: usize, pause: Duration },
    /// None of it: the head is recorded, then the connection is held open (bounded) unread.
    Stop { hold: Duration },
}

/// How the server answers once it has read the body.
#[derive(Clone, Debug)]
enum Answer {
    Reply {
        status: u16,
        headers: Vec<(&'static str, &'static str)>,
        body: Vec<u8>,
    },
    /// Headers at once, then the body one byte at a time with `every` before each byte.
    Trickle {
        body: Vec<u8>,
        every: Duration,
    },
}

#[derive(Clone, Debug)]
struct Script {
    read: ReadBody,
    answer: Answer,
}

impl Script {
    fn json(status: u16, body: &str) -> Script {
        Script {
            read: ReadBody::All { chunk: 64 * KIB, pause: Duration::ZERO },
            answer: Answer::Reply {
                status,
                headers: vec![("content-type", "application/json")],
                body: body.as_bytes().to_vec(),
            },
        }
    }

    fn ok() -> Script {
        Script::json(200, r#"{"ok":true}"#)
    }

    fn header(mut self, name: &'static str, value: &'static str) -> Script {
        if let Answer::Reply { headers, .. } = &mut self.answer {
            headers.push((name, value));
        }
        self
    }

    fn read_slowly(mut self, chunk: usize, pause: Duration) -> Script {
        self.read = ReadBody::All { chunk, pause };
        self
    }

    fn stop_reading(mut self, hold: Duration) -> Script {
        self.read = ReadBody::Stop { hold };
        self
    }

    fn trickle(mut self, body: &str, every: Duration) -> Script {
        self.answer = Answer::Trickle { body: body.as_bytes().to_vec(), every };
        self
    }

    fn exhausted() -> Script {
        Script::json(418, r#"{"detail":"the test script has no more replies"}"#)
            .header("x-should-retry", "false")
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    target: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Whether the whole `Content-Length` body arrived.
    complete: bool,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> Option<usize> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }
}

#[derive(Default)]
struct State {
    script: Vec<Script>,
    seen: Vec<Seen>,
    /// Body bytes read so far, over all connections (to explain a failure).
    body_bytes_read: usize,
}

struct Server {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: JoinHandle<()>,
}

impl Server {
    async fn start(script: Vec<Script>) -> Server {
        let socket = TcpSocket::new_v4().expect("socket");
        // Accepted connections inherit this: what the server doesn't read stays with the client.
        socket.set_recv_buffer_size(64 * KIB as u32).expect("SO_RCVBUF");
        socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
        let listener = socket.listen(16).expect("listen");
        let addr = listener.local_addr().unwrap();
        let mut script = script;
        script.reverse();
        let state = Arc::new(Mutex::new(State { script, ..State::default() }));
        let st = state.clone();
        let task = tokio::spawn(async move {
            let deadline = tokio::time::Instant::now() + SERVER_LIFETIME;
            let mut conns = JoinSet::new();
            for _ in 0..MAX_CONNECTIONS {
                match tokio::time::timeout_at(deadline, listener.accept()).await {
                    Ok(Ok((stream, _))) => {
                        conns.spawn(serve(stream, st.clone()));
                    }
                    _ => break,
                }
            }
            let _ =
                tokio::time::timeout_at(deadline, async { while conns.join_next().await.is_some() {} }).await;
        });
        Server { addr, state, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    fn body_bytes_read(&self) -> usize {
        self.state.lock().unwrap().body_bytes_read
    }

    /// Waits (bounded) until `n` requests have been recorded; returns whether they were.
    async fn wait_for(&self, n: usize, limit: Duration) -> bool {
        let until = Instant::now() + limit;
        loop {
            if self.state.lock().unwrap().seen.len() >= n {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn client(&self, timeout: Duration) -> Client {
        Client::builder().api_key("k-upload").base_url(self.url()).timeout(timeout).build().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

async fn read_into(stream: &mut TcpStream, buf: &mut [u8]) -> Option<usize> {
    match tokio::time::timeout(IO_LIMIT, stream.read(buf)).await {
        Ok(Ok(n)) if n > 0 => Some(n),
        _ => None,
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let _ = stream.set_nodelay(true);
    // The head.
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * KIB];
    let head_end = loop {
        if let Some(p) = find(&buf, b"\r\n\r\n", 0) {
            break p;
        }
        if buf.len() > MAX_HEAD {
            return;
        }
        let Some(n) = read_into(&mut stream, &mut chunk).await else { return };
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().splitn(3, ' ');
    let method = first.next().unwrap_or_default().to_string();
    let target = first.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut seen = Seen { method, target, headers, body: buf[head_end + 4..].to_vec(), complete: false };
    let len = seen.content_length().unwrap_or(0);
    let script = state.lock().unwrap().script.pop().unwrap_or_else(Script::exhausted);

    // The body.
    match script.read {
        ReadBody::Stop { hold } => {
            state.lock().unwrap().seen.push(seen);
            tokio::time::sleep(hold.min(IO_LIMIT)).await;
            return;
        }
        ReadBody::All { chunk: step, pause } => {
            let mut piece = vec![0u8; step.max(1)];
            while seen.body.len() < len {
                let want = step.max(1).min(len - seen.body.len());
                let mut got = 0;
                while got < want {
                    match read_into(&mut stream, &mut piece[..want - got]).await {
                        Some(n) => {
                            seen.body.extend_from_slice(&piece[..n]);
                            got += n;
                            state.lock().unwrap().body_bytes_read += n;
                        }
                        None => {
                            // The client gave up (or went silent) before the body was complete.
                            state.lock().unwrap().seen.push(seen);
                            return;
                        }
                    }
                }
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            seen.complete = seen.body.len() == len;
            state.lock().unwrap().seen.push(seen);
        }
    }

    // The answer.
    let _ = tokio::time::timeout(IO_LIMIT * 2, async {
        match script.answer {
            Answer::Reply { status, headers, body } => {
                let mut out = format!("HTTP/1.1 {status} Whatever\r\n");
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", body.len()));
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                stream.write_all(&bytes).await?;
            }
            Answer::Trickle { body, every } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await?;
                stream.flush().await?;
                for b in body {
                    tokio::time::sleep(every).await;
                    stream.write_all(&[b]).await?;
                    stream.flush().await?;
                }
            }
        }
        stream.flush().await?;
        stream.shutdown().await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Files, requests and multipart parsing
// ---------------------------------------------------------------------------------------------

static UPLOAD: Operation = Operation {
    id: "uploadThing",
    method: Method::POST,
    path: "/things/upload",
    accept: "application/json",
    documented_statuses: &[200, 422],
    idempotency_key: false,
    security: &[],
};

static DOWNLOAD: Operation = Operation {
    id: "getThing",
    method: Method::GET,
    path: "/things/{id}",
    accept: "application/json",
    documented_statuses: &[200, 404, 422],
    idempotency_key: false,
    security: &[],
};

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("ferrospec-uploads-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `len` bytes in which no 8-byte word repeats (splitmix64 of its position), so a dropped,
/// repeated or reordered piece shows.
fn distinct_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    let mut i = 0u64;
    while out.len() < len {
        let mut z = (i ^ (seed << 40)).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

/// A multipart upload of `file` as `upload_file`, with a text field after it.
fn upload(file: FilePart) -> Request {
    let mut form = Multipart::new();
    form.file("upload_file", file);
    form.field("display_name", "report").unwrap();
    let mut req = Request::new(&UPLOAD, "/things/upload".into());
    req.multipart(form);
    req
}

fn no_retries() -> RequestOptions {
    RequestOptions::new().max_retries(0)
}

#[derive(Debug)]
struct Part {
    name: String,
    filename: Option<String>,
    body: Vec<u8>,
}

/// Parses a multipart body strictly: boundary from the content type, CRLF line ends, the close
/// delimiter at the very end.
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content type {content_type:?}"));
    let first = format!("--{boundary}\r\n");
    let close = format!("\r\n--{boundary}--\r\n");
    let sep = format!("\r\n--{boundary}\r\n");
    assert!(body.starts_with(first.as_bytes()), "the body starts with the boundary");
    assert!(body.ends_with(close.as_bytes()), "the body ends with the close delimiter");
    let inner = &body[first.len()..body.len() - close.len()];
    let mut chunks = Vec::new();
    let mut start = 0;
    while let Some(i) = find(inner, sep.as_bytes(), start) {
        chunks.push(&inner[start..i]);
        start = i + sep.len();
    }
    chunks.push(&inner[start..]);
    chunks
        .into_iter()
        .map(|chunk| {
            let split = find(chunk, b"\r\n\r\n", 0).expect("part headers end");
            let head = std::str::from_utf8(&chunk[..split]).unwrap();
            let disposition = head
                .split("\r\n")
                .find_map(|l| l.strip_prefix("Content-Disposition: form-data; "))
                .expect("a Content-Disposition header");
            let param = |key: &str| {
                disposition
                    .split("; ")
                    .find_map(|p| p.strip_prefix(&format!("{key}=\"")))
                    .map(|v| v.trim_end_matches('"').to_string())
            };
            Part {
                name: param("name").expect("name"),
                filename: param("filename"),
                body: chunk[split + 4..].to_vec(),
            }
        })
        .collect()
}

/// The request arrived whole, its `Content-Length` matches, and the file part is `expected`.
fn assert_upload_of(seen: &Seen, expected: &[u8], file_name: &str) {
    assert!(seen.complete, "the whole body arrived ({} bytes)", seen.body.len());
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.target, "/things/upload");
    assert_eq!(seen.content_length(), Some(seen.body.len()), "Content-Length is the body's length");
    assert_eq!(seen.header("transfer-encoding"), None, "sent with a length, not chunked");
    let parts = parse_multipart(seen.header("content-type").expect("content type"), &seen.body);
    assert_eq!(parts.len(), 2, "{:?}", parts.iter().map(|p| &p.name).collect::<Vec<_>>());
    assert_eq!(parts[0].name, "upload_file");
    assert_eq!(parts[0].filename.as_deref(), Some(file_name));
    assert_eq!(parts[0].body.len(), expected.len(), "file part length");
    assert!(parts[0].body == expected, "the file part differs from the file");
    assert_eq!(parts[1].name, "display_name");
    assert_eq!(parts[1].body, b"report");
}

// ---------------------------------------------------------------------------------------------
// 1-3. Files given by path
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_file_from_path_arrives_byte_for_byte_with_its_content_length() {
    let dir = TempDir::new("whole");
    let path = dir.path("report.bin");
    let content = distinct_bytes(3 * MIB, 1);
    write_file(&path, &content);
    let part = FilePart::from_path(&path).unwrap();
    assert_eq!(part.len(), content.len() as u64);
    assert_eq!(part.get_file_name(), Some("report.bin"));

    let server = Server::start(vec![Script::ok()]).await;
    let res = server.client(Duration::from_secs(10)).execute(upload(part), &no_retries()).await.unwrap();
    assert_eq!(res.status, 200);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_upload_of(&seen[0], &content, "report.bin");
}

#[tokio::test]
async fn a_retry_sends_the_whole_file_again() {
    let dir = TempDir::new("retry");
    let path = dir.path("retry.bin");
    let content = distinct_bytes(3 * MIB, 2);
    write_file(&path, &content);
    let part = FilePart::from_path(&path).unwrap();

    let server = Server::start(vec![
        Script::json(503, r#"{"detail":"busy"}"#).header("retry-after-ms", "10"),
        Script::ok(),
    ])
    .await;
    let res = server
        .client(Duration::from_secs(10))
        .execute(upload(part), &RequestOptions::new().max_retries(1))
        .await
        .expect("the retry succeeds");
    assert_eq!(res.status, 200);
    let seen = server.requests();
    assert_eq!(seen.len(), 2, "one retry after the 503");
    assert_eq!(seen[0].header("x-retry-count"), Some("0"));
    assert_eq!(seen[1].header("x-retry-count"), Some("1"));
    for s in &seen {
        assert_upload_of(s, &content, "retry.bin");
    }
    assert_eq!(seen[0].header("content-type"), seen[1].header("content-type"), "same boundary");
    assert!(seen[0].body == seen[1].body, "both attempts carry identical bodies");
}

/// Changes the file's size after `from_path`, sends it, and checks the call fails with an error
/// naming the file while the server never gets a complete body.
async fn assert_size_change_fails(test: &str, change: impl FnOnce(&Path)) {
    let dir = TempDir::new(test);
    let path = dir.path("changing.bin");
    write_file(&path, &distinct_bytes(MIB, 3));
    let part = FilePart::from_path(&path).unwrap();
    change(&path);

    let server = Server::start(vec![Script::ok(), Script::ok(), Script::ok()]).await;
    let started = Instant::now();
    let result = server.client(Duration::from_secs(10)).execute(upload(part), &RequestOptions::new()).await;
    let err = match result {
        Ok(res) => panic!(
            "{test}: the upload of a file that changed size succeeded ({}); the server saw {:?}",
            res.status,
            server
                .requests()
                .iter()
                .map(|s| (s.body.len(), s.content_length(), s.complete))
                .collect::<Vec<_>>()
        ),
        Err(e) => e,
    };
    assert!(started.elapsed() < Duration::from_secs(15), "{test}: took {:?}", started.elapsed());
    let shown = err.to_string();
    eprintln!("{test}: {shown}");
    assert!(shown.contains(&path.display().to_string()), "{test}: the error doesn't name the file: {shown}");
    assert!(matches!(err, Error::Upload(_)), "{test}: expected an upload error: {err:?}");
    assert!(!err.is_retryable(), "{test}: a local file problem is not worth retrying");
    assert_eq!(server.requests().len().min(1), server.requests().len(), "{test}: not sent again");
    // Let the server finish with the connection, then check nothing complete arrived.
    server.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    for s in server.requests() {
        assert!(
            !s.complete,
            "{test}: the server received a complete body of {} bytes (Content-Length {:?})",
            s.body.len(),
            s.content_length()
        );
    }
}

#[tokio::test]
async fn a_file_that_shrank_after_being_added_fails_the_call() {
    assert_size_change_fails("shrank", |p| {
        std::fs::OpenOptions::new().write(true).open(p).unwrap().set_len(300 * KIB as u64).unwrap()
    })
    .await;
}

#[tokio::test]
async fn a_file_that_grew_after_being_added_fails_the_call() {
    assert_size_change_fails("grew", |p| {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(p).unwrap();
        f.write_all(&distinct_bytes(100 * KIB, 4)).unwrap();
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 4. The timeout is an idle timeout, not a total one
// ---------------------------------------------------------------------------------------------

const IDLE: Duration = Duration::from_millis(400);

/// Uploads `content` to a server that reads `step` bytes every `pause`, with the idle limit.
async fn slow_read_upload(test: &str, content: &[u8], step: usize, pause: Duration) {
    let dir = TempDir::new(test);
    let path = dir.path("slow.bin");
    write_file(&path, content);
    let server = Server::start(vec![Script::ok().read_slowly(step, pause)]).await;
    let started = Instant::now();
    let result =
        server.client(IDLE).execute(upload(FilePart::from_path(&path).unwrap()), &no_retries()).await;
    let elapsed = started.elapsed();
    let read = server.body_bytes_read();
    eprintln!(
        "{test}: {:?} after {elapsed:?}; the server had read {} KiB",
        result.as_ref().map(|r| r.status),
        read / KIB
    );
    match result {
        Ok(res) => assert_eq!(res.status, 200),
        Err(e) => panic!(
            "{test}: a slow upload that kept moving failed with {e:?} after {elapsed:?}, while the server had \
             read {} KiB of {} KiB and was still reading {} KiB every {pause:?}",
            read / KIB,
            content.len() / KIB,
            step / KIB
        ),
    }
    assert!(elapsed < Duration::from_secs(20), "{test}: took {elapsed:?}");
    assert_upload_of(&server.requests()[0], content, "slow.bin");
}

/// An upload the server reads slowly, at a rate at which whatever the sockets buffer drains
/// well within the idle limit (the wait after the last byte is handed to the OS counts as
/// waiting for the answer, as in httpx):
/// 2 MiB every 50 ms, about 2 s for 80 MiB, five times the idle limit, nearly all of it with the
/// client waiting for the server to take more.
#[tokio::test]
async fn a_long_upload_that_keeps_moving_outlasts_the_idle_limit() {
    slow_read_upload("long-upload", &distinct_bytes(80 * MIB, 6), 2 * MIB, Duration::from_millis(50)).await;
}

#[tokio::test]
async fn a_download_that_trickles_succeeds() {
    const BODY: &str = r#"{"id":"t-1","n":123}"#;
    assert_eq!(BODY.len(), 20);
    // One byte every 100 ms: 2 s in all, five times the idle limit.
    let server = Server::start(vec![Script::ok().trickle(BODY, Duration::from_millis(100))]).await;
    let started = Instant::now();
    let res = server
        .client(IDLE)
        .execute(Request::new(&DOWNLOAD, "/things/t-1".into()), &no_retries())
        .await
        .expect("a slow download that keeps moving is not timed out");
    eprintln!("trickled download took {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(&res.body[..], BODY.as_bytes());
    let value = res.json::<serde_json::Value>().unwrap().into_body();
    assert_eq!(value["n"], 123);
}

#[tokio::test]
async fn a_server_that_stops_reading_ends_in_an_idle_timeout() {
    // Far more than the socket buffers hold, so the upload stalls part way.
    let server = Server::start(vec![Script::ok().stop_reading(Duration::from_secs(10))]).await;
    let started = Instant::now();
    let err = server
        .client(IDLE)
        .execute(upload(FilePart::new(vec![b'x'; 32 * MIB]).file_name("big.bin")), &no_retries())
        .await
        .expect_err("a stalled upload fails");
    let elapsed = started.elapsed();
    eprintln!("stalled upload failed after {elapsed:?}: {err}");
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Idle, limit } if limit == IDLE), "{err:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(server.requests().len(), 1, "the request head arrived");
}
