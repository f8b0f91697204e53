//! Decoding a 10,000-item page: the generated `types::IndexPage` against plain serde_json into
//! equivalent hand-written structs (the same field types, derived `Deserialize`).
//!
//!     cargo bench --bench decode [-- --runs 15]
//!
//! Each run decodes the page `REPS` times per contender, alternating which goes first; the
//! figure is the time of one decode, median/min/max over runs.

mod common;

use common::{index_page_json, ms, runs, stats, HandPage};
use std::hint::black_box;
use std::time::Instant;

const REPS: usize = 20;

fn main() {
    let (runs, _) = runs(15);
    let body = index_page_json(10_000);
    let ours_once = || {
        let p: llama_cloud::types::IndexPage = serde_json::from_slice(black_box(&body)).unwrap();
        assert_eq!(p.items.len(), 10_000);
        black_box(p);
    };
    let hand_once = || {
        let p: HandPage = serde_json::from_slice(black_box(&body)).unwrap();
        assert_eq!(p.items.len(), 10_000);
        black_box(p);
    };
    ours_once();
    hand_once();
    let (mut ours, mut hand) = (Vec::new(), Vec::new());
    for r in 0..runs {
        let time = |f: &dyn Fn()| {
            let t = Instant::now();
            for _ in 0..REPS {
                f();
            }
            ms(t.elapsed()) / REPS as f64
        };
        if r % 2 == 0 {
            ours.push(time(&ours_once));
            hand.push(time(&hand_once));
        } else {
            hand.push(time(&hand_once));
            ours.push(time(&ours_once));
        }
    }
    let (o, h) = (stats(&mut ours), stats(&mut hand));
    println!("decode a 10,000-item page ({} bytes), {runs} runs x {REPS} decodes", body.len());
    println!("| contender | median ms | min ms | max ms |");
    println!("|---|---|---|---|");
    println!("| generated types::IndexPage | {:.2} | {:.2} | {:.2} |", o.median, o.min, o.max);
    println!("| hand-written structs | {:.2} | {:.2} | {:.2} |", h.median, h.min, h.max);
    println!("ratio generated/hand-written (median): {:.3}", o.median / h.median);
}
