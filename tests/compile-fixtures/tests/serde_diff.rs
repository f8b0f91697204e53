//! The generated serde impls against serde_derive, on the same shapes (tests/fixtures/
//! serde-diff.yaml): structs with required, optional, three-state, renamed and keyword fields,
//! additional properties, maps and arrays; an untagged union; a tagged union. Random values,
//! valid and not (a field left out, null, of the wrong type, repeated, unknown keys), are
//! decoded by both from text and from `serde_json::Value`; where both decode, both encode to
//! the same JSON, and where both refuse, they say the same thing. Seeded, so a failure repeats.

use compile_fixtures::serde_diff_api::types;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename = "Shape")]
struct Shape {
    id: i64,
    tags: Vec<String>,
    inner: Inner,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "double_option")]
    score: Option<Option<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(rename = "content-type", default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    r#type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counts: Option<BTreeMap<String, i64>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename = "Inner")]
struct Inner {
    a: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<String>,
    #[serde(flatten)]
    additional_properties: BTreeMap<String, i64>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Value {
    Integer(i64),
    String(String),
    Inner(Inner),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "kind")]
enum Event {
    Created {
        id: i64,
    },
    Deleted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

fn wrong(rng: &mut Rng) -> Json {
    rng.pick(&[json!(null), json!(true), json!(7), json!(-2.5), json!("s"), json!([1]), json!({"x": 1})])
}

fn inner(rng: &mut Rng) -> Json {
    let mut m = serde_json::Map::new();
    match rng.below(8) {
        0 => {}
        1 => {
            m.insert("a".into(), wrong(rng));
        }
        _ => {
            m.insert("a".into(), json!(rng.below(2) == 0));
        }
    }
    match rng.below(4) {
        0 => {
            m.insert("b".into(), json!("text"));
        }
        1 => {
            m.insert("b".into(), wrong(rng));
        }
        _ => {}
    }
    for _ in 0..rng.below(3) {
        let key = rng.pick(&["x", "y", "z9"]);
        let value = if rng.below(5) == 0 { wrong(rng) } else { json!(rng.below(100)) };
        m.insert(key.into(), value);
    }
    Json::Object(m)
}

/// A field's value: usually valid, sometimes null or of another type.
fn field(rng: &mut Rng, valid: impl FnOnce(&mut Rng) -> Json) -> Json {
    match rng.below(10) {
        0 => json!(null),
        1 => wrong(rng),
        _ => valid(rng),
    }
}

fn shape(rng: &mut Rng) -> Json {
    let mut m = serde_json::Map::new();
    let mut put = |rng: &mut Rng, key: &str, required: bool, valid: fn(&mut Rng) -> Json| {
        if required && rng.below(12) == 0 || !required && rng.below(3) == 0 {
            return; // left out
        }
        let v = field(rng, valid);
        m.insert(key.into(), v);
    };
    put(rng, "id", true, |r| json!(r.below(1000) as i64 - 500));
    put(rng, "tags", true, |r| json!((0..r.below(3)).map(|i| format!("t{i}")).collect::<Vec<_>>()));
    put(rng, "inner", true, inner);
    put(rng, "note", false, |_| json!("a note"));
    put(rng, "score", false, |r| json!(r.below(10) as f64 / 4.0));
    put(rng, "value", false, |r| match r.below(3) {
        0 => json!(r.below(50)),
        1 => json!("v"),
        _ => inner(r),
    });
    put(rng, "content-type", false, |_| json!("text/plain"));
    put(rng, "type", false, |_| json!("kind"));
    put(rng, "counts", false, |r| {
        let mut c = serde_json::Map::new();
        for k in 0..r.below(3) {
            c.insert(format!("k{k}"), if r.below(6) == 0 { json!("no") } else { json!(k) });
        }
        Json::Object(c)
    });
    if rng.below(4) == 0 {
        m.insert(rng.pick(&["unknown", "extra", "contentType"]).into(), wrong(rng));
    }
    Json::Object(m)
}

fn event(rng: &mut Rng) -> Json {
    let mut m = serde_json::Map::new();
    match rng.below(6) {
        0 => {}
        1 => {
            m.insert("kind".into(), wrong(rng));
        }
        2 | 3 => {
            m.insert("kind".into(), json!("Created"));
        }
        _ => {
            m.insert("kind".into(), json!("Deleted"));
        }
    }
    if rng.below(2) == 0 {
        m.insert("id".into(), field(rng, |r| json!(r.below(9))));
    }
    if rng.below(2) == 0 {
        m.insert("reason".into(), field(rng, |_| json!("gone")));
    }
    Json::Object(m)
}

/// Text of `v`, with its first key written twice now and then (only text can repeat a key).
fn text(rng: &mut Rng, v: &Json) -> String {
    let plain = v.to_string();
    match v.as_object().and_then(|m| m.iter().next()) {
        Some((k, first)) if rng.below(8) == 0 => {
            format!("{{{}:{},{}", serde_json::to_string(k).unwrap(), first, &plain[1..])
        }
        _ => plain,
    }
}

/// The value encoded again, or the error without its position: where the derive buffers (a
/// flattened map, an untagged or tagged union) it reports the end of the buffered value.
fn outcome<T: Serialize>(r: Result<T, serde_json::Error>) -> Result<Json, String> {
    r.map(|v| serde_json::to_value(v).expect("encodes")).map_err(|e| {
        let text = e.to_string();
        match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        }
    })
}

/// Decodes `value` (as text and as a `Json`) with both impls; they must agree.
fn same<Ours, Derived>(rng: &mut Rng, value: &Json) -> Option<String>
where
    Ours: Serialize + for<'de> Deserialize<'de>,
    Derived: Serialize + for<'de> Deserialize<'de>,
{
    let text = text(rng, value);
    let ours = outcome(serde_json::from_str::<Ours>(&text));
    let derived = outcome(serde_json::from_str::<Derived>(&text));
    if ours != derived {
        return Some(format!("from text {text}\n  ours:    {ours:?}\n  derived: {derived:?}"));
    }
    let ours = outcome(serde_json::from_value::<Ours>(value.clone()));
    let derived = outcome(serde_json::from_value::<Derived>(value.clone()));
    (ours != derived).then(|| format!("from value {value}\n  ours:    {ours:?}\n  derived: {derived:?}"))
}

fn run(seed: u64, cases: usize, make: fn(&mut Rng) -> Json, check: fn(&mut Rng, &Json) -> Option<String>) {
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    for _ in 0..cases {
        let v = make(&mut rng);
        if let Some(f) = check(&mut rng, &v) {
            failures.push(f);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} differ; the first:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn structs_maps_arrays_and_untagged_unions_decode_and_encode_as_serde_derive_does() {
    run(0x5EED, 3000, shape, same::<types::Shape, Shape>);
}

/// The tagged union, on the tags it knows; an unknown tag is kept (`Unknown`), where the
/// derive refuses it, so those values are checked apart.
#[test]
fn tagged_unions_decode_and_encode_as_serde_derive_does() {
    run(0xE7E47, 2000, event, |rng, v| match v.get("kind").and_then(Json::as_str) {
        Some("Created" | "Deleted") => same::<types::Event, Event>(rng, v),
        _ => {
            let ours: Result<types::Event, _> = serde_json::from_value(v.clone());
            match ours {
                Ok(types::Event::Unknown(kept)) if kept == *v => None,
                other => Some(format!("{v}: expected Unknown, got {other:?}")),
            }
        }
    });
}
