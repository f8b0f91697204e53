//! Decoding a 10,000-item page: the generated `types::IndexPage` against plain serde_json into
//! equivalent hand-written structs (derived `Deserialize`, date-times as chrono's
//! `DateTime<Utc>`, as such code usually has them). A third contender is the hand-written structs
//! with date-times read by chrono's strict `parse_from_rfc3339`: chrono's own `Deserialize`
//! parses through its lenient `FromStr`, which is most of the difference (40,000 date-times a
//! page). The generated types read date-times with the runtime's own parser.
//!
//!     cargo bench --bench decode [-- --runs 15]
//!
//! Each run decodes the page `REPS` times per contender, alternating which goes first; the
//! figure is the time of one decode, median/min/max over runs.

mod common;

use common::{index_page_json, ms, runs, stats, HandPage, Rfc3339};
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
    let rfc_once = || {
        let p: HandPage<Rfc3339> = serde_json::from_slice(black_box(&body)).unwrap();
        assert_eq!(p.items.len(), 10_000);
        black_box(p);
    };
    ours_once();
    hand_once();
    rfc_once();
    let (mut ours, mut hand, mut rfc) = (Vec::new(), Vec::new(), Vec::new());
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
            rfc.push(time(&rfc_once));
        } else {
            rfc.push(time(&rfc_once));
            hand.push(time(&hand_once));
            ours.push(time(&ours_once));
        }
    }
    let (o, h, f) = (stats(&mut ours), stats(&mut hand), stats(&mut rfc));
    println!("decode a 10,000-item page ({} bytes), {runs} runs x {REPS} decodes", body.len());
    println!("| contender | median ms | min ms | max ms |");
    println!("|---|---|---|---|");
    println!("| generated types::IndexPage | {:.2} | {:.2} | {:.2} |", o.median, o.min, o.max);
    println!("| hand-written structs | {:.2} | {:.2} | {:.2} |", h.median, h.min, h.max);
    println!(
        "| hand-written, date-times by parse_from_rfc3339 | {:.2} | {:.2} | {:.2} |",
        f.median, f.min, f.max
    );
    println!("ratio generated/hand-written (median): {:.3}", o.median / h.median);
    println!("ratio generated/hand-written with parse_from_rfc3339 (median): {:.3}", o.median / f.median);
}
