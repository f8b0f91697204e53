//! The resource tree (`client.beta().directories().files()`), from each operation's
//! `x-sdk-resource` (or first tag), plus deprecated aliases from `x-sdk-resource-aliases`.

use crate::diag::Diagnostics;
use crate::ident::{self, NameScope};
use crate::ir::{Operation, Resource, ResourceAlias};
use crate::pointer::child;
use openapiv3::OpenAPI;

pub(super) fn build_tree(spec: &OpenAPI, ops: &mut [Operation], diags: &mut Diagnostics) -> Resource {
    let mut root = Resource { type_name: "Client".into(), ..Resource::default() };
    let mut type_names = NameScope::new();
    type_names.reserve(["Client", "ClientBuilder"]);
    for (i, op) in ops.iter().enumerate() {
        let node = node_mut(&mut root, &op.resource, &mut type_names);
        node.operations.push(i);
    }
    for (i, alias) in aliases(spec, diags).into_iter().enumerate() {
        let ptr = child("#/x-sdk-resource-aliases", &i.to_string());
        let Some(target) = find(&root, &alias.target).map(|r| r.type_name.clone()) else {
            diags.warning(
                ptr,
                format!(
                    "alias target `{}` is not a resource of any operation; alias skipped",
                    alias.target.join(".")
                ),
            );
            continue;
        };
        let Some((name, parent)) = alias.path.split_last() else {
            continue;
        };
        let parent = node_mut(&mut root, parent, &mut type_names);
        parent.aliases.push(ResourceAlias {
            name: name.clone(),
            target_type: target,
            deprecated: alias.deprecated,
        });
    }
    dedupe_method_names(&mut root, ops, diags);
    root
}

struct Alias {
    path: Vec<String>,
    target: Vec<String>,
    deprecated: Option<String>,
}

fn dotted(s: &str) -> Vec<String> {
    s.split('.').filter(|p| !p.is_empty()).map(ident::snake).collect()
}

fn aliases(spec: &OpenAPI, diags: &mut Diagnostics) -> Vec<Alias> {
    let Some(v) = spec.extensions.get("x-sdk-resource-aliases") else {
        return vec![];
    };
    let Some(list) = v.as_array() else {
        diags.warning("#/x-sdk-resource-aliases", "must be a list of {alias, target, deprecated?}; ignored");
        return vec![];
    };
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let s = |k: &str| a.get(k).and_then(|v| v.as_str());
        match (s("alias"), s("target")) {
            (Some(alias), Some(target)) => out.push(Alias {
                path: dotted(alias),
                target: dotted(target),
                deprecated: s("deprecated").map(str::to_string),
            }),
            _ => diags.warning(
                child("#/x-sdk-resource-aliases", &i.to_string()),
                "an alias needs string fields `alias` and `target`; alias skipped",
            ),
        }
    }
    out
}

fn node_mut<'r>(root: &'r mut Resource, path: &[String], type_names: &mut NameScope) -> &'r mut Resource {
    let mut node = root;
    for (depth, seg) in path.iter().enumerate() {
        let pos = match node.children.iter().position(|c| &c.name == seg) {
            Some(p) => p,
            None => {
                let type_name = type_names.claim(&ident::camel(&path[..=depth].join("_")));
                node.children.push(Resource { name: seg.clone(), type_name, ..Resource::default() });
                node.children.len() - 1
            }
        };
        node = &mut node.children[pos];
    }
    node
}

/// A method named after its operationId that repeats its resource (`issues_list_for_repo` on
/// `issues()`, from `issues/list-for-repo`) drops the repetition: `issues().list_for_repo()`.
/// Not where the shorter name is another method's, child's or alias's on the resource, or
/// would be a number; an `x-sdk-method` name is kept as written.
fn drop_repeated_prefix(node: &Resource, ops: &mut [Operation]) {
    if node.name.is_empty() {
        return;
    }
    let prefix = format!("{}_", node.name);
    let short = |op: &Operation| -> Option<String> {
        let rest = op.method_name.strip_prefix(&prefix)?;
        (!op.method_given && rest.starts_with(|c: char| c.is_ascii_alphabetic())).then(|| rest.to_string())
    };
    let shorts: Vec<Option<String>> = node.operations.iter().map(|&i| short(&ops[i])).collect();
    let mut taken: Vec<&str> = node.operations.iter().map(|&i| ops[i].method_name.as_str()).collect();
    taken.extend(node.children.iter().map(|c| c.name.as_str()));
    taken.extend(node.aliases.iter().map(|a| a.name.as_str()));
    taken.extend(["new", "client"]);
    let usable: Vec<bool> = shorts
        .iter()
        .map(|s| {
            s.as_deref().is_some_and(|s| {
                !taken.contains(&s) && shorts.iter().filter(|o| o.as_deref() == Some(s)).count() == 1
            })
        })
        .collect();
    for ((&i, short), usable) in node.operations.iter().zip(shorts).zip(usable) {
        if let (Some(short), true) = (short, usable) {
            ops[i].method_name = short;
        }
    }
}

fn find<'r>(root: &'r Resource, path: &[String]) -> Option<&'r Resource> {
    path.iter().try_fold(root, |node, seg| node.children.iter().find(|c| &c.name == seg))
}

/// Two operations on one resource may not share a method name, nor shadow a child resource.
fn dedupe_method_names(node: &mut Resource, ops: &mut [Operation], diags: &mut Diagnostics) {
    // The handle's own methods: the client's, or a resource handle's `new` and `client`.
    let own: &[&str] = if node.name.is_empty() {
        &["builder", "from_env", "from_runtime", "runtime", "new", "client"]
    } else {
        &["new", "client"]
    };
    for c in &mut node.children {
        if own.contains(&c.name.as_str()) {
            c.name = format!("{}_api", c.name);
        }
    }
    drop_repeated_prefix(node, ops);
    let mut scope = NameScope::new();
    scope.reserve(own.iter().copied());
    scope.reserve(node.children.iter().map(|c| c.name.clone()));
    scope.reserve(node.aliases.iter().map(|a| a.name.clone()));
    for &i in &node.operations {
        let op = &mut ops[i];
        let name = scope.claim(&op.method_name);
        if name != op.method_name {
            diags.warning(
                &op.pointer,
                format!("method name `{}` is taken on its resource; `{name}` is used", op.method_name),
            );
            op.method_name = name;
        }
    }
    for c in &mut node.children {
        dedupe_method_names(c, ops, diags);
    }
}
