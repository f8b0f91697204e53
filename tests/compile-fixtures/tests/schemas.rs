//! `allOf` members that only annotate another schema (tests/fixtures/allof-wrappers.yaml): the
//! field is that schema's type, whether an enum, a string or an object; a `nullable` member or
//! sibling makes it an `Option`, recursive ones included; values decode and re-encode unchanged.

use compile_fixtures::allof_wrappers_api::types::*;
use compile_fixtures::round_trip;
use serde_json::json;

#[test]
fn described_references_keep_their_type() {
    let f: Folder = round_trip(json!({"id": "f1", "kind": "folder", "name": "Photos"}));
    // An enum and a constrained string behind `allOf: [$ref, {description}]`, not JSON values.
    assert_eq!(f.kind, Kind::Folder);
    let name: &str = &f.name;
    assert_eq!(name, "Photos");
    // The enum still refuses what it doesn't know only as its open variant does.
    let other: Folder = serde_json::from_value(json!({"id": "f", "kind": "link", "name": "n"})).unwrap();
    assert_eq!(other.kind.as_str(), "link");
}

#[test]
fn null_decodes_where_an_allof_member_or_sibling_says_nullable() {
    let raw = json!({
        "id": "f2", "kind": "folder", "name": "n",
        "owner": null, "modified_by": null, "parent": null, "next": null,
        "shared_link": null, "status": null
    });
    let f: Folder = serde_json::from_value(raw).unwrap();
    assert_eq!((f.owner, f.modified_by, f.parent, f.next), (None, None, None, None));
    assert_eq!((f.shared_link, f.status), (None, None));
}

#[test]
fn nullable_recursive_wrappers_hold_the_type_itself() {
    let raw = json!({
        "id": "child", "kind": "folder", "name": "c",
        "owner": {"id": "u1"},
        "modified_by": {"id": "u2"},
        "parent": {"id": "root", "kind": "folder", "name": "r", "parent": null},
        "next": {"id": "sibling", "kind": "folder", "name": "s"},
        "shared_link": {"url": "https://example.test/s", "expires_at": "2026-01-02T03:04:05Z"},
        "status": "file"
    });
    let f: Folder = serde_json::from_value(raw).unwrap();
    assert_eq!(f.owner.as_ref().map(|u| u.id.as_str()), Some("u1"));
    assert_eq!(f.modified_by.as_ref().map(|u| u.id.as_str()), Some("u2"));
    let parent: &Folder = f.parent.as_deref().expect("parent");
    assert_eq!((parent.id.as_str(), parent.parent.is_none()), ("root", true));
    assert_eq!(f.next.as_deref().map(|n| n.id.as_str()), Some("sibling"));
    let link: &MaybeLink = f.shared_link.as_ref().expect("link");
    assert_eq!(link.url, "https://example.test/s");
    assert!(link.expires_at.is_some());
    assert_eq!(f.status, Some(Kind::File));
}

#[test]
fn a_merge_that_contains_itself_keeps_the_inner_levels_as_json() {
    let raw = json!({"label": "a", "children": [
        {"label": "b", "depth": 1, "children": [{"label": "c", "depth": 2}]}
    ]});
    let t: Tree = round_trip(raw);
    let first = &t.children.as_ref().unwrap()[0];
    assert_eq!((first.label.as_str(), first.depth), ("b", Some(1)));
    // Nothing under the cycle is lost.
    assert_eq!(first.children, Some(json!([{"label": "c", "depth": 2}])));
}

#[test]
fn scalar_constraints_split_over_allof_members_keep_the_scalar_type() {
    let f: Folder = round_trip(json!({"id": "f", "kind": "folder", "name": "n", "slug": "docs", "size": 12}));
    let (slug, size): (Option<&str>, Option<i64>) = (f.slug.as_deref(), f.size);
    assert_eq!((slug, size), (Some("docs"), Some(12)));
}

#[test]
fn a_named_scalar_that_an_inline_member_describes_keeps_its_type() {
    let f: Folder =
        round_trip(json!({"id": "f", "kind": "folder", "name": "n", "scope": "file", "label": "x"}));
    assert_eq!(f.scope, Some(Kind::File));
    assert_eq!(f.label.as_deref(), Some("x"));
}
