//! Cargo features for a generated crate: one per resource (the document's tags), so that a
//! program compiles only the operations it uses and the types they reach.
//!
//! A feature turns on its resource's operations and their builders, and every type those
//! operations reach; a parent resource's feature turns on its children's. A type compiles when
//! any feature that reaches it is on. Operations at the client's root get `untagged`, types no
//! operation reaches `unused-schemas`, and `full` (the default) is all of them.

use crate::ir::{Api, ByStatus, Operation, Resource, ResponseKind, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The feature of the operations on the client itself.
pub const UNTAGGED: &str = "untagged";
/// The feature of the types no operation reaches (webhook payloads, unused components).
pub const UNUSED_SCHEMAS: &str = "unused-schemas";
/// Every feature; the default.
pub const FULL: &str = "full";
/// Names the generated Cargo.toml already uses.
const RESERVED: &[&str] = &["default", FULL, "serde-all", UNTAGGED, UNUSED_SCHEMAS];

/// One feature of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's name: the resource's path joined by `-` (`beta-directories`).
    pub name: String,
    /// The resource path (`["beta", "directories"]`); empty for `untagged` and `unused-schemas`.
    pub resource: Vec<String>,
    /// The features it turns on (its resource's children).
    pub includes: Vec<String>,
    /// Operations compiled with only this feature on (its children's included).
    pub operations: usize,
    /// Types compiled with only this feature on.
    pub types: usize,
}

/// The features of a generated crate, and which of them each generated item needs.
#[derive(Debug, Clone, Default)]
pub struct Features {
    /// Resource features in the resource tree's order, then `untagged` and `unused-schemas`.
    pub list: Vec<Feature>,
    /// An item's module (`types`, `builders`, `resources`) and name → the features that compile
    /// it (any of them); an item not listed always compiles.
    pub(crate) gates: BTreeMap<(&'static str, String), BTreeSet<usize>>,
}

impl Features {
    /// The features of `api`'s crate; `None` when its operations form fewer than two groups
    /// (features would choose nothing).
    pub fn of(api: &Api) -> Option<Features> {
        let mut list = Vec::new();
        let mut own: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| s.to_string()).collect();
        for c in &api.resources.children {
            collect(c, &[], &mut list, &mut own, &mut taken);
        }
        if !api.resources.operations.is_empty() {
            own.insert(Vec::new(), list.len());
            list.push(feature(UNTAGGED, Vec::new()));
        }
        let groups = api.operations.iter().map(|op| &op.resource).collect::<BTreeSet<_>>().len();
        if groups < 2 {
            return None;
        }
        let mut gates: BTreeMap<(&'static str, String), BTreeSet<usize>> = BTreeMap::new();
        // Each operation under its resource's feature, with all it reaches.
        let mut roots: Vec<Vec<&TypeRef>> = vec![Vec::new(); list.len()];
        // The operations' own enums, which count among their feature's types.
        let mut enums: Vec<Vec<String>> = vec![Vec::new(); list.len()];
        for op in &api.operations {
            let Some(&f) = own.get(&op.resource) else { continue };
            gates.entry(("builders", op.builder.clone())).or_default().insert(f);
            for b in generated_enums(op) {
                gates.entry(("types", b.name.clone())).or_default().insert(f);
                enums[f].push(b.name.clone());
            }
            roots[f].extend(crate::ir::request_roots(std::slice::from_ref(op)));
            roots[f].extend(op.answer_types());
        }
        let by_name: BTreeMap<&str, &TypeKind> =
            api.types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
        let reach = |roots: Vec<&TypeRef>| crate::ir::reachable_in(|n| by_name.get(n).copied(), roots);
        let mut reached_by: Vec<BTreeSet<String>> = roots.into_iter().map(reach).collect();
        for (f, (reached, enums)) in reached_by.iter_mut().zip(enums).enumerate() {
            for t in reached.iter() {
                gates.entry(("types", t.clone())).or_default().insert(f);
            }
            reached.extend(enums);
        }
        // A handle compiles when any feature under it does.
        handle_gates(&api.resources, &[], &own, &mut gates);
        // The types no operation reaches, and all they contain.
        let unused: Vec<TypeRef> = api
            .types
            .iter()
            .filter(|t| !gates.contains_key(&("types", t.name.clone())))
            .map(|t| TypeRef::Named(t.name.clone()))
            .collect();
        if !unused.is_empty() {
            let f = list.len();
            list.push(feature(UNUSED_SCHEMAS, Vec::new()));
            let reached = reach(unused.iter().collect());
            for t in &reached {
                gates.entry(("types", t.clone())).or_default().insert(f);
            }
            reached_by.push(reached);
        }
        // Costs: what each feature compiles alone (its children's included).
        let index: BTreeMap<String, usize> =
            list.iter().enumerate().map(|(i, f)| (f.name.clone(), i)).collect();
        for i in 0..list.len() {
            let on = enabled(&list, &index, i);
            let ops =
                api.operations.iter().filter(|op| own.get(&op.resource).is_some_and(|f| on.contains(f)));
            list[i].operations = ops.count();
            let types: BTreeSet<&String> = on.iter().flat_map(|&f| &reached_by[f]).collect();
            list[i].types = types.len();
        }
        Some(Features { list, gates })
    }

    /// The names of the features `full` turns on: the top-level ones (a parent turns on its
    /// children).
    pub fn top_level(&self) -> impl Iterator<Item = &str> {
        self.list.iter().filter(|f| f.resource.len() <= 1).map(|f| f.name.as_str())
    }

    /// The `[features]` lines for Cargo.toml: `default`, `full` and one line per feature.
    pub fn cargo_lines(&self) -> String {
        let quoted = |names: &mut dyn Iterator<Item = &str>| {
            names.map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
        };
        let mut out = format!(
            "default = [\"{FULL}\"]\n# Every part of the API. Turn default features off and pick parts to compile less.\n{FULL} = [{}]\n",
            quoted(&mut self.top_level())
        );
        for f in &self.list {
            out.push_str(&format!(
                "# {} (operations: {}, types: {}).\n{} = [{}]\n",
                f.turns_on(),
                f.operations,
                f.types,
                f.name,
                quoted(&mut f.includes.iter().map(String::as_str))
            ));
        }
        out
    }
}

impl Feature {
    /// What the feature turns on, for a reader: `client.issues()`.
    pub fn turns_on(&self) -> String {
        match self.name.as_str() {
            UNTAGGED => "the client's own operations".to_string(),
            UNUSED_SCHEMAS => "the types no operation uses".to_string(),
            _ => format!("`client.{}()`", self.resource.join("().")),
        }
    }
}

fn feature(name: &str, resource: Vec<String>) -> Feature {
    Feature { name: name.to_string(), resource, includes: Vec::new(), operations: 0, types: 0 }
}

/// Adds `r`'s feature and its children's, depth first.
fn collect(
    r: &Resource,
    parent: &[String],
    list: &mut Vec<Feature>,
    own: &mut BTreeMap<Vec<String>, usize>,
    taken: &mut BTreeSet<String>,
) {
    let mut path = parent.to_vec();
    path.push(r.name.clone());
    let mut name: String = path.iter().map(|s| feature_part(s)).collect::<Vec<_>>().join("-");
    while !taken.insert(name.clone()) {
        name.push_str("-tag");
    }
    let i = list.len();
    own.insert(path.clone(), i);
    list.push(feature(&name, path.clone()));
    for c in &r.children {
        let child = list.len();
        collect(c, &path, list, own, taken);
        let child_name = list[child].name.clone();
        list[i].includes.push(child_name);
    }
}

/// A resource name as cargo accepts it in a feature name (ASCII letters, digits and `_`).
fn feature_part(name: &str) -> String {
    let s = name.trim_start_matches("r#");
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

/// The enums written for an operation itself: its by-status success enum and its error enum.
fn generated_enums(op: &Operation) -> impl Iterator<Item = &ByStatus> {
    let by_status = match &op.response.kind {
        ResponseKind::ByStatus(b) => Some(b),
        _ => None,
    };
    by_status.into_iter().chain(op.errors.as_ref())
}

/// Gates each resource handle on the features of its subtree; returns that set.
fn handle_gates(
    r: &Resource,
    parent: &[String],
    own: &BTreeMap<Vec<String>, usize>,
    gates: &mut BTreeMap<(&'static str, String), BTreeSet<usize>>,
) -> BTreeSet<usize> {
    let mut path = parent.to_vec();
    if !r.name.is_empty() {
        path.push(r.name.clone());
    }
    let mut set: BTreeSet<usize> = own.get(&path).into_iter().copied().collect();
    for c in &r.children {
        set.extend(handle_gates(c, &path, own, gates));
    }
    if !r.name.is_empty() {
        gates.insert(("resources", r.type_name.clone()), set.clone());
    }
    set
}

/// The features that turning on `list[i]` turns on: itself and its descendants.
fn enabled(list: &[Feature], index: &BTreeMap<String, usize>, i: usize) -> BTreeSet<usize> {
    let mut on = BTreeSet::new();
    let mut stack = vec![i];
    while let Some(f) = stack.pop() {
        if on.insert(f) {
            stack.extend(list[f].includes.iter().filter_map(|n| index.get(n)));
        }
    }
    on
}
