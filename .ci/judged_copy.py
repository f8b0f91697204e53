"""Writes the copy of a document that Prism judges with: the same constraints, written the way
Prism reads them. Two changes, nothing else:

- Each integer format's bounds as minimum/maximum. Prism's dynamic answers ignore `format`
  (uint8, int32, ...) and send integers beyond it, where the document bounds a value by its
  format alone (schemars and dropshot write `format: uint8, minimum: 0`). The generator reads
  the format as the bound (a `u8`), so Prism gets the same bound, and a tighter bound the
  document already has is kept.
- A `$ref` key inside an example's value is data (SCIM's member links in GitHub's examples),
  but Prism dereferences it like a reference, fetches the URL, and can't start without the
  internet. In the copy such a key is `x-ref`: the example keeps its other data.

A YAML document is copied as it is: rewriting it would risk changing how its scalars read (YAML
1.1's `on`, dates), and the documents that need either change are JSON.

Usage: python3 .ci/judged_copy.py IN OUT   (prints how many places it changed)
"""
import json
import shutil
import sys

BOUNDS = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, None),
    "uint": (0, None),
}


def is_integer(node):
    t = node.get("type")
    return t == "integer" or (isinstance(t, list) and "integer" in t)


def bound(node):
    """Rewrites every schema below `node` in place; returns how many it bounded."""
    n = 0
    if isinstance(node, dict):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt in BOUNDS and is_integer(node):
            lo, hi = BOUNDS[fmt]
            low = node.get("minimum")
            if not isinstance(low, (int, float)) or isinstance(low, bool) or low < lo:
                node["minimum"] = lo
                n += 1
            high = node.get("maximum")
            if hi is not None and (not isinstance(high, (int, float)) or isinstance(high, bool) or high > hi):
                node["maximum"] = hi
                n += 1
        for value in node.values():
            n += bound(value)
    elif isinstance(node, list):
        for value in node:
            n += bound(value)
    return n


def unref_examples(node, in_example=False):
    """Renames `$ref` keys inside example values (not references); returns how many."""
    n = 0
    if isinstance(node, dict):
        ref = node.get("$ref")
        if in_example and isinstance(ref, str) and not ref.startswith("#"):
            node["x-ref"] = node.pop("$ref")
            n += 1
        for key, value in node.items():
            # `value` is an Example object's payload; `example` a schema's or media type's.
            n += unref_examples(value, in_example or key in ("example", "value"))
    elif isinstance(node, list):
        for value in node:
            n += unref_examples(value, in_example)
    return n


def main():
    src, dst = sys.argv[1], sys.argv[2]
    if not src.endswith(".json"):
        shutil.copyfile(src, dst)
        print(0)
        return
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    n = bound(doc) + unref_examples(doc)
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    print(n)


main()
