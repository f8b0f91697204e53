//! Recursive types: a struct or enum that contains itself without indirection has infinite size.
//! References that close such a cycle (found as strongly connected components) get a `Box`.

use super::Lowerer;
use crate::ir::{TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

impl Lowerer<'_> {
    pub(super) fn box_cycles(&mut self) {
        let edges: BTreeMap<String, BTreeSet<String>> = self
            .types
            .values()
            .map(|t| (t.name.clone(), direct_refs(&t.kind).map(str::to_string).collect()))
            .collect();
        let component_of = strongly_connected(&edges);
        let cyclic = |from: &str, to: &str| {
            from == to || component_of.get(from).is_some_and(|c| component_of.get(to) == Some(c))
        };
        // An alias in a cycle is fine when a struct or enum on the way boxes it (`NodeRef:
        // nullable allOf [Node]` with `Node.next: NodeRef`); only aliases of aliases back to
        // themselves name no type at all.
        let alias_of: BTreeMap<String, String> = self
            .types
            .values()
            .filter_map(|t| match &t.kind {
                TypeKind::Alias(ty) => Some((t.name.clone(), ty.direct_named()?.to_string())),
                _ => None,
            })
            .collect();
        let only_aliases = |from: &str| {
            let mut at = alias_of.get(from);
            for _ in 0..=alias_of.len() {
                match at {
                    Some(n) if n == from => return true,
                    Some(n) => at = alias_of.get(n),
                    None => return false,
                }
            }
            false
        };
        for t in self.types.values_mut() {
            let from = t.name.clone();
            match &mut t.kind {
                TypeKind::Struct(s) => {
                    for f in &mut s.fields {
                        box_if(&mut f.value, |to| cyclic(&from, to));
                    }
                }
                TypeKind::Untagged(vs) => {
                    for v in vs {
                        box_if(&mut v.ty, |to| cyclic(&from, to));
                    }
                }
                TypeKind::Tagged { variants, .. } => {
                    for v in variants {
                        box_if(&mut v.ty, |to| cyclic(&from, to));
                    }
                }
                TypeKind::Alias(ty) => {
                    if only_aliases(&from) {
                        self.diags.warning(
                            &t.pointer,
                            "a schema that is only a reference to itself; using any JSON value",
                        );
                        *ty = TypeRef::Json;
                    }
                }
                TypeKind::Enum(_) => {}
            }
        }
    }
}

fn box_if(ty: &mut TypeRef, cyclic: impl Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(n) if cyclic(n) => *ty = TypeRef::Box(Box::new(TypeRef::Named(n.clone()))),
        TypeRef::Option(inner) => box_if(inner, cyclic),
        _ => {}
    }
}

fn direct_refs(kind: &TypeKind) -> Box<dyn Iterator<Item = &str> + '_> {
    match kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter().filter_map(|f| f.value.direct_named())),
        TypeKind::Untagged(vs) => Box::new(vs.iter().filter_map(|v| v.ty.direct_named())),
        TypeKind::Tagged { variants, .. } => Box::new(variants.iter().filter_map(|v| v.ty.direct_named())),
        TypeKind::Alias(t) => Box::new(t.direct_named().into_iter()),
        TypeKind::Enum(_) => Box::new(std::iter::empty()),
    }
}

/// Tarjan's algorithm, iterative so deep graphs can't overflow the stack. Returns each node's
/// component id; nodes of one cycle share an id.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, usize> {
    let names: Vec<&str> = edges.keys().map(String::as_str).collect();
    let id: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> = names
        .iter()
        .map(|n| edges[*n].iter().filter_map(|m| id.get(m.as_str()).copied()).collect())
        .collect();
    let n = names.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut comp, mut next_index, mut next_comp) = (Vec::new(), vec![usize::MAX; n], 0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    names.iter().enumerate().map(|(i, n)| (n.to_string(), comp[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles() {
        let mut e = BTreeMap::new();
        e.insert("A".to_string(), BTreeSet::from(["B".to_string()]));
        e.insert("B".to_string(), BTreeSet::from(["A".to_string(), "C".to_string()]));
        e.insert("C".to_string(), BTreeSet::new());
        let c = strongly_connected(&e);
        assert_eq!(c["A"], c["B"]);
        assert_ne!(c["A"], c["C"]);
    }
}
