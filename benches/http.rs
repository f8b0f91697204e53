//! Requests per second and latency through the generated client against the same requests made
//! with plain reqwest (same reqwest version, same connect timeout, decoding into equivalent
//! hand-written structs), against one loopback server in the same process.
//!
//!     cargo bench --bench http [-- --runs 7]
//!     cargo bench --bench http -- --profile ours|raw   # only `get index` (PROFILE_REQUESTS, 20,000)
//!
//! The server runs on its own one-thread runtime; each contender sends its requests one after
//! another on the main thread's runtime (keep-alive, one connection). Runs alternate which
//! contender goes first. Figures: requests per second (median/min/max over runs), the
//! per-request latency p50/p99 pooled over runs, and the throughput ratio of each run's pair
//! (median, min, max): on a shared VM the pairs cancel drift that separate medians don't.

mod common;

use axum::body::Bytes;
use axum::routing::{get, post};
use axum::Router;
use common::{index_json, index_page_json, runs, stats, HandDirectoryFile, HandIndex, HandPage};
use llama_cloud::runtime::reqwest;
use llama_cloud::{Client, FilePart};
use std::future::Future;
use std::time::{Duration, Instant};

const KEY: &str = "bench-key";

fn file_json() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "dfl-1", "directory_id": "dir-1", "display_name": "f.bin", "project_id": "proj-1",
        "unique_id": "dfl-1", "file_id": "file-1",
        "created_at": "2019-12-27T18:11:19.117Z", "updated_at": "2019-12-27T18:11:19.117Z"
    }))
    .unwrap()
}

fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let index = Bytes::from(serde_json::to_vec(&index_json(1)).unwrap());
            let page = Bytes::from(index_page_json(100));
            let file = Bytes::from(file_json());
            let json = |b: Bytes| ([("content-type", "application/json")], b);
            let app = Router::new()
                .route("/api/v1/indexes/{id}", get(move || async move { json(index) }))
                .route("/api/v1/indexes", get(move || async move { json(page) }))
                .route(
                    "/api/v1/beta/directories/{id}/files/upload",
                    post(move |body: Bytes| async move {
                        assert!(body.len() > 1 << 20);
                        json(file)
                    }),
                )
                .layer(axum::extract::DefaultBodyLimit::max(8 << 20));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(format!("http://{}", listener.local_addr().unwrap())).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// A small GET through the generated client.
async fn ours_get(ours: &Client) {
    let i = ours.indexes().get("idx-000001").send().await.unwrap();
    assert_eq!(i.id, "idx-000001");
}

/// The same GET with plain reqwest, decoded into the hand-written struct.
async fn raw_get(raw: &reqwest::Client, base: &str) {
    let i: HandIndex = raw_json(raw.get(format!("{base}/api/v1/indexes/idx-000001"))).await;
    assert_eq!(i.id, "idx-000001");
}

/// A request with plain reqwest (the key, `Accept: application/json`), its JSON decoded as `T`.
async fn raw_json<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let b = request
        .bearer_auth(KEY)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice(&b).unwrap()
}

/// Runs `n` requests one after another; returns the elapsed time and each request's latency.
async fn measure<F, Fut>(n: usize, mut one: F) -> (Duration, Vec<f64>)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        one().await;
        lat.push(t.elapsed().as_secs_f64() * 1e6);
    }
    (start.elapsed(), lat)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let (runs, quick) = runs(7);
    let base = start_server();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let ours = Client::builder().api_key(KEY).base_url(&base).build().unwrap();
    let raw = reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).build().unwrap();
    let upload = vec![7u8; 1 << 20];
    let scale = if quick { 10 } else { 1 };
    // One contender alone, for a profiler (`perf record` sees nothing else on this thread).
    let args: Vec<String> = std::env::args().collect();
    if let Some(who) = args.windows(2).find(|w| w[0] == "--profile").map(|w| w[1].clone()) {
        let n: usize = std::env::var("PROFILE_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
        let (elapsed, _) = rt.block_on(measure(n, || async {
            if who == "ours" {
                ours_get(&ours).await
            } else {
                raw_get(&raw, &base).await
            }
        }));
        println!("{who}: {n} requests in {:.2} s", elapsed.as_secs_f64());
        return;
    }

    println!("loopback, sequential requests, {runs} runs per contender\n");
    println!(
        "| operation | contender | req/s median | min | max | p50 µs | p99 µs | ours/raw, paired runs: median (min–max) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let cases: [(&str, usize); 3] =
        [("get index", 2000 / scale), ("list page of 100", 400 / scale), ("upload 1 MiB", 400 / scale)];
    for (name, n) in cases {
        let (mut ours_rps, mut raw_rps, mut ours_lat, mut raw_lat) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for r in 0..=runs {
            let order = if r % 2 == 0 { [true, false] } else { [false, true] };
            for is_ours in order {
                let (elapsed, lat) = rt.block_on(async {
                    match (name, is_ours) {
                        ("get index", true) => measure(n, || ours_get(&ours)).await,
                        ("get index", false) => measure(n, || raw_get(&raw, &base)).await,
                        ("list page of 100", true) => {
                            measure(n, || async {
                                let p = ours.indexes().list().page_size(100).send().await.unwrap();
                                assert_eq!(p.items.len(), 100);
                            })
                            .await
                        }
                        ("list page of 100", false) => {
                            measure(n, || async {
                                let url = format!("{base}/api/v1/indexes?page_size=100");
                                let p: HandPage = raw_json(raw.get(url)).await;
                                assert_eq!(p.items.len(), 100);
                            })
                            .await
                        }
                        (_, true) => {
                            measure(n, || async {
                                let part = FilePart::new(upload.clone()).file_name("f.bin");
                                let f = ours
                                    .beta()
                                    .directories()
                                    .files()
                                    .upload("dir-1", part)
                                    .send()
                                    .await
                                    .unwrap();
                                assert_eq!(f.id, "dfl-1");
                            })
                            .await
                        }
                        (_, false) => {
                            measure(n, || async {
                                let part = reqwest::multipart::Part::bytes(upload.clone()).file_name("f.bin");
                                let form = reqwest::multipart::Form::new().part("upload_file", part);
                                let url = format!("{base}/api/v1/beta/directories/dir-1/files/upload");
                                let f: HandDirectoryFile = raw_json(raw.post(url).multipart(form)).await;
                                assert_eq!(f.id, "dfl-1");
                            })
                            .await
                        }
                    }
                });
                if r == 0 {
                    continue; // warm-up round: connections, allocator, caches
                }
                let rps = n as f64 / elapsed.as_secs_f64();
                if is_ours {
                    ours_rps.push(rps);
                    ours_lat.extend(lat);
                } else {
                    raw_rps.push(rps);
                    raw_lat.extend(lat);
                }
            }
        }
        ours_lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        raw_lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        // Each run pairs the two contenders back to back, so the ratio of a pair cancels the
        // machine's drift; the figure is the median of those paired ratios.
        let mut ratios: Vec<f64> = ours_rps.iter().zip(&raw_rps).map(|(o, w)| o / w).collect();
        let r = stats(&mut ratios);
        let (o, w) = (stats(&mut ours_rps), stats(&mut raw_rps));
        let ratio = format!("{:.3} ({:.3}–{:.3})", r.median, r.min, r.max);
        println!(
            "| {name} | llama-cloud | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {ratio} |",
            o.median,
            o.min,
            o.max,
            pct(&ours_lat, 0.5),
            pct(&ours_lat, 0.99)
        );
        println!(
            "| {name} | plain reqwest | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | |",
            w.median,
            w.min,
            w.max,
            pct(&raw_lat, 0.5),
            pct(&raw_lat, 0.99)
        );
    }
}
