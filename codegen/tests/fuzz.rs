//! Mutation fuzzing of load + lower + emit and the example tests: documents derived from the
//! fixtures, the LlamaCloud spec and (where present) the small corpus documents, mutated at
//! random but reproducibly (seeded). Every run must end in generated code or a diagnostic: never a panic.
//!
//! CI runs a short round. A long run, with the seed printed for reproduction:
//!
//!     FUZZ_ITERS=20000 FUZZ_SEED=7 cargo test --release -p ferrospec-codegen --test fuzz -- --nocapture

use ferrospec_codegen::Config;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// fastrand's, with `below(0)` = 0 where a list is empty.
struct Rng(fastrand::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.u64(..)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.0.usize(..n)
        }
    }
}

fn seeds() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = vec![root.join("spec/llama-cloud.yaml")];
    for dir in [root.join("tests/fixtures"), root.join("../shared/corpus")] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| {
                let small = std::fs::metadata(p).map(|m| m.len() < 120_000).unwrap_or(false);
                small && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
            }));
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let v: Value = if p.extension().and_then(|e| e.to_str()) == Some("json") {
                serde_json::from_str(&text).ok()?
            } else {
                serde_yaml::from_str(&text).ok()?
            };
            Some((p.file_name()?.to_string_lossy().into_owned(), v))
        })
        .collect()
}

/// A path to a random node: a list of keys/indices.
fn random_path(v: &Value, rng: &mut Rng) -> Vec<Value> {
    let mut path = Vec::new();
    let mut cur = v;
    loop {
        if rng.below(4) == 0 {
            return path;
        }
        match cur {
            Value::Object(m) if !m.is_empty() => {
                let (k, next) = m.iter().nth(rng.below(m.len())).expect("in range");
                path.push(Value::String(k.clone()));
                cur = next;
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                path.push(json!(i));
                cur = &a[i];
            }
            _ => return path,
        }
    }
}

/// The node at `path` (paths come from `random_path` on the same document, so they exist).
fn node_mut<'v>(v: &'v mut Value, path: &[Value]) -> &'v mut Value {
    path.iter().fold(v, |cur, k| match k {
        Value::String(s) => cur.get_mut(s.as_str()).expect("the path exists"),
        Value::Number(n) => cur.get_mut(n.as_u64().unwrap_or(0) as usize).expect("the path exists"),
        _ => unreachable!("paths hold keys and indices"),
    })
}

fn get(v: &Value, path: &[Value]) -> Value {
    let mut cur = v;
    for k in path {
        cur = match k {
            Value::String(s) => &cur[s.as_str()],
            Value::Number(n) => &cur[n.as_u64().unwrap_or(0) as usize],
            _ => cur,
        };
    }
    cur.clone()
}

const NAMES: &[&str] = &[
    "type", "", "a b", "é", "123", "self", "Self", "send", "body", "x-y", "$ref", "r#type", "crate", "super",
];
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null", "bogus"];

fn mutate(doc: &mut Value, rng: &mut Rng) {
    let path = random_path(doc, rng);
    let other = {
        let p = random_path(doc, rng);
        get(doc, &p)
    };
    let component = doc["components"]["schemas"]
        .as_object()
        .and_then(|m| m.keys().nth(rng.below(m.len())).cloned())
        .unwrap_or_else(|| "Missing".into());
    let name = NAMES[rng.below(NAMES.len())];
    let node = node_mut(doc, &path);
    match rng.below(13) {
        0 => {
            if let Value::Object(m) = node {
                if let Some(k) = m.keys().nth(rng.below(m.len())).cloned() {
                    m.remove(&k);
                }
            }
        }
        1 => *node = json!(rng.next() % 1000),
        2 => *node = json!(name),
        3 => *node = other,
        4 => *node = json!({"allOf": [node.clone(), {"$ref": format!("#/components/schemas/{component}")}]}),
        5 => *node = json!({"oneOf": [node.clone(), other], "nullable": true}),
        6 => *node = json!({"$ref": format!("#/components/schemas/{component}")}),
        7 => *node = json!({"type": TYPES[rng.below(TYPES.len())], "enum": [name, "", "A", "a", null, 3]}),
        8 => {
            if let Value::Object(m) = node {
                m.insert(name.to_string(), other);
            }
        }
        9 => {
            *node = json!({"type": "object", "properties": {name: node.clone()}, "required": [name], "additionalProperties": other})
        }
        12 => {
            // An allOf whose second member restates a property of the first (or of a component)
            // with another schema: the merge intersects the two declarations.
            let declared =
                node.get("properties").and_then(|p| p.as_object()).and_then(|p| p.keys().next().cloned());
            let key = declared.unwrap_or_else(|| name.to_string());
            *node = json!({"allOf": [
                node.clone(),
                {"$ref": format!("#/components/schemas/{component}")},
                {"type": "object", "properties": {key: other}},
            ]});
        }
        10 => {
            // Deep nesting.
            let mut deep = json!({"type": "string"});
            for _ in 0..(rng.below(60) + 1) {
                deep = json!({"type": "array", "items": deep});
            }
            *node = deep;
        }
        _ => {
            // A reference cycle through components.
            if let Some(Value::Object(schemas)) = doc.get_mut("components").and_then(|c| c.get_mut("schemas"))
            {
                schemas.insert("CycleA".into(), json!({"$ref": "#/components/schemas/CycleB"}));
                schemas.insert("CycleB".into(), json!({"allOf": [{"$ref": "#/components/schemas/CycleA"}]}));
            }
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let iters: usize = std::env::var("FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed);
    let seeds = seeds();
    assert!(!seeds.is_empty());
    let mut rng = Rng(fastrand::Rng::with_seed(seed));
    let (mut generated, mut refused) = (0usize, 0usize);
    for i in 0..iters {
        let (name, base) = &seeds[rng.below(seeds.len())];
        let mut doc = base.clone();
        for _ in 0..(1 + rng.below(4)) {
            mutate(&mut doc, &mut rng);
        }
        let bytes = serde_json::to_vec(&doc).expect("a Value serializes");
        // The module, and the example tests (their checks against the schemas included).
        let result = std::panic::catch_unwind(|| {
            Config::new().load_bytes("fuzz.json", bytes.clone()).map(|loaded| {
                let _ = loaded.module();
                let _ = loaded.example_tests("fuzz_client");
            })
        });
        match result {
            Ok(Ok(_)) => generated += 1,
            Ok(Err(e)) => {
                assert!(e.diagnostics.has_errors(), "a refusal names at least one error");
                refused += 1
            }
            Err(_) => {
                let out = std::env::temp_dir().join(format!("llama-cloud-fuzz-crash-{seed}-{i}.json"));
                std::fs::write(&out, &bytes).ok();
                panic!(
                    "iteration {i} (seed {seed}, from {name}) panicked; the document is in {}",
                    out.display()
                );
            }
        }
    }
    println!(
        "fuzz: {iters} documents from seed {seed}: {generated} generated, {refused} refused with diagnostics"
    );
}
