#!/usr/bin/env python3
"""Checks an OpenAPI 3.0 document the way an independent tool would read it.

Usage: python .ci/spec_check.py SPEC.yaml

1. The document against the OpenAPI 3.0 schema (openapi-spec-validator), and every `$ref` in it
   resolves.
2. OpenAPI 3.0.3 rules that validator lets through: `nullable: true` only means something next to
   a `type` in the same Schema Object, and null must then validate there (an `allOf` member or an
   `enum` still applies to null); `oneOf` members must not overlap (an integer is also a number,
   so `oneOf: [integer, number]` rejects every integer).
3. Every example against its schema, with OpenAPI 3.0 semantics (openapi-schema-validator's
   OAS30 validators: `nullable`, `readOnly`/`writeOnly`, formats), `$ref`s resolved against the
   whole document: `example` on any Schema Object; `example`/`examples` (Example Objects, inline
   or `$ref`s into #/components/examples) on media types, parameters and headers. Request
   examples go through the write validator, response examples through the read one.

Every problem is printed with the JSON pointer of where it is; exit status 1 if there is any.
"""

import sys
from urllib.parse import quote

try:
    import yaml
    from jsonschema.exceptions import ValidationError, best_match
    from openapi_schema_validator import (
        OAS30ReadValidator,
        OAS30Validator,
        OAS30WriteValidator,
    )
    from openapi_spec_validator import OpenAPIV30SpecValidator
    from referencing import Registry
    from referencing.jsonschema import DRAFT4
except ImportError as e:  # pragma: no cover - run through .ci/spec-check, which installs these
    sys.exit(f"spec_check: {e}; run .ci/spec-check, which installs the pinned validators")

BASE_URI = "urn:spec-check:document"
NOT_CHECKED = "not checked: "
# Keys whose values are data, not more of the document, except where they name something.
DATA_KEYS = {"example", "default", "enum"}
NAME_MAPS = {"properties", "schemas", "parameters", "responses", "examples", "requestBodies", "headers",
             "securitySchemes", "links", "callbacks", "paths", "content", "encoding", "variables"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Keywords that only annotate: a oneOf member with nothing else is told apart by its type alone.
ANNOTATIONS = {"description", "title", "example", "deprecated", "externalDocs", "xml", "readOnly", "writeOnly", "default"}


def short(e):
    """An exception's message on one line, without the document that some of them quote whole."""
    text = str(e).split(" within {", 1)[0].splitlines()[0] if str(e) else type(e).__name__
    return text if len(text) <= 300 else text[:300] + "..."


def esc(token):
    return str(token).replace("~", "~0").replace("/", "~1")


def ptr(*tokens):
    return "".join("/" + esc(t) for t in tokens)


def show(pointer):
    return "#" + pointer


class NoSafeDatesLoader(yaml.SafeLoader):
    """PyYAML's safe loader, less two YAML 1.1 habits that a YAML 1.2 reader (or JSON) doesn't
    share: unquoted dates become strings, not datetimes, and a duplicate key is an error."""


def _mapping_without_duplicates(loader, node, deep=False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
            )
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


NoSafeDatesLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)
NoSafeDatesLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Checker:
    def __init__(self, doc):
        self.doc = doc
        self.problems = []
        self.examples = 0
        self.registry = Registry().with_resource(BASE_URI, DRAFT4.create_resource(doc))

    def problem(self, pointer, message):
        if (pointer, message) not in self.problems:
            self.problems.append((pointer, message))

    def check_refs(self, node, pointer="", key=None, is_map=False, is_example=False):
        """Every `$ref` in the document must resolve. `is_map`: the node maps names to things (the
        `properties` of a schema, `paths`, `components/schemas`...); `is_example`: an Example
        Object. Data (examples, defaults, enums, extensions) is not looked into."""
        if isinstance(node, dict):
            if not is_map and isinstance(node.get("$ref"), str):
                self.resolve(node, pointer)
            for k, v in node.items():
                if not is_map and (k in DATA_KEYS or str(k).startswith("x-") or (is_example and k == "value")):
                    continue
                child_is_map = not is_map and k in NAME_MAPS
                self.check_refs(v, pointer + ptr(k), k, child_is_map, is_map and key == "examples")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.check_refs(v, pointer + ptr(i), key)

    # -- the pieces of the document ----------------------------------------------------------

    def resolve(self, node, pointer, depth=0):
        """Follows a local `$ref` (a chain of them); returns (node, pointer) or (None, None)."""
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if depth > 32:
                self.problem(pointer, "a chain of $refs longer than 32 (or a cycle)")
                return None, None
            if not isinstance(ref, str) or not ref.startswith("#"):
                self.problem(pointer, f"$ref {ref!r}: only local references (#/...) are checked")
                return None, None
            target = self.lookup(ref[1:])
            if target is None:
                self.problem(pointer, f"$ref {ref!r} points at nothing in the document")
                return None, None
            node, pointer, depth = target, ref[1:], depth + 1
        return node, pointer

    def lookup(self, pointer):
        node = self.doc
        if pointer == "":
            return node
        if not pointer.startswith("/"):
            return None
        for raw in pointer[1:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def walk(self):
        doc = self.doc
        self.check_refs(doc)
        for path, item in (doc.get("paths") or {}).items():
            self.path_item(item, ptr("paths", path))
        comps = doc.get("components") or {}
        for name, s in (comps.get("schemas") or {}).items():
            self.schema(s, ptr("components", "schemas", name))
        for name, p in (comps.get("parameters") or {}).items():
            self.parameter(p, ptr("components", "parameters", name))
        for name, h in (comps.get("headers") or {}).items():
            self.parameter(h, ptr("components", "headers", name), OAS30ReadValidator)
        for name, b in (comps.get("requestBodies") or {}).items():
            self.content(b, ptr("components", "requestBodies", name), OAS30WriteValidator)
        for name, r in (comps.get("responses") or {}).items():
            self.response(r, ptr("components", "responses", name))
        for name, cb in (comps.get("callbacks") or {}).items():
            self.callback(cb, ptr("components", "callbacks", name))
        for name, ex in (comps.get("examples") or {}).items():
            self.refs_ok(ex, ptr("components", "examples", name))

    def path_item(self, item, pointer):
        if not isinstance(item, dict):
            return
        if "$ref" in item:
            self.refs_ok(item, pointer)
            return
        for i, p in enumerate(item.get("parameters") or []):
            self.parameter(p, pointer + ptr("parameters", i))
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_ptr = pointer + ptr(method)
            for i, p in enumerate(op.get("parameters") or []):
                self.parameter(p, op_ptr + ptr("parameters", i))
            if "requestBody" in op:
                self.content(op["requestBody"], op_ptr + ptr("requestBody"), OAS30WriteValidator)
            for status, r in (op.get("responses") or {}).items():
                self.response(r, op_ptr + ptr("responses", str(status)))
            for name, cb in (op.get("callbacks") or {}).items():
                self.callback(cb, op_ptr + ptr("callbacks", name))

    def callback(self, cb, pointer):
        if not isinstance(cb, dict) or "$ref" in cb:
            self.refs_ok(cb, pointer)
            return
        for expr, item in cb.items():
            self.path_item(item, pointer + ptr(expr))

    def refs_ok(self, node, pointer):
        """A `$ref` kept as a reference (its target is checked where it is defined) must resolve."""
        if isinstance(node, dict) and "$ref" in node:
            self.resolve(node, pointer)

    def response(self, r, pointer):
        if not isinstance(r, dict) or "$ref" in r:
            self.refs_ok(r, pointer)
            return
        for name, h in (r.get("headers") or {}).items():
            self.parameter(h, pointer + ptr("headers", name), OAS30ReadValidator)
        self.content(r, pointer, OAS30ReadValidator)

    def content(self, holder, pointer, validator):
        """A request body or response: each media type's schema, examples and encoding headers."""
        if not isinstance(holder, dict) or "$ref" in holder:
            self.refs_ok(holder, pointer)
            return
        for mt, media in (holder.get("content") or {}).items():
            if not isinstance(media, dict):
                continue
            mptr = pointer + ptr("content", mt)
            self.examples_of(media, mptr, validator)
            for prop, enc in (media.get("encoding") or {}).items():
                for name, h in ((enc or {}).get("headers") or {}).items():
                    self.parameter(h, mptr + ptr("encoding", prop, "headers", name), OAS30ReadValidator)

    def parameter(self, p, pointer, validator=OAS30WriteValidator):
        """A parameter or a header: its examples go against its schema (or its content's)."""
        if not isinstance(p, dict) or "$ref" in p:
            self.refs_ok(p, pointer)
            return
        if "content" in p:
            self.content(p, pointer, validator)
        self.examples_of(p, pointer, validator)

    def examples_of(self, holder, pointer, validator):
        """`schema`, `example` and `examples` of a media type, parameter or header."""
        schema = holder.get("schema")
        if schema is not None:
            self.schema(schema, pointer + ptr("schema"))
        if "example" in holder:
            self.example(holder["example"], pointer + ptr("example"), schema, pointer + ptr("schema"), validator)
        for name, ex in (holder.get("examples") or {}).items():
            ex_ptr = pointer + ptr("examples", name)
            ex, at = self.resolve(ex, ex_ptr)
            if ex is None:
                continue
            if not isinstance(ex, dict):
                self.problem(at, "an Example Object must be an object")
            elif "value" in ex:
                self.example(ex["value"], at + ptr("value"), schema, pointer + ptr("schema"), validator,
                             via=ex_ptr if at != ex_ptr else None)
            elif "externalValue" not in ex:
                self.problem(at, "an Example Object with neither `value` nor `externalValue`")

    # -- schemas -----------------------------------------------------------------------------

    def schema(self, s, pointer):
        """Checks one Schema Object and everything nested in it (not the targets of its $refs)."""
        if not isinstance(s, dict):
            return
        if "$ref" in s:
            self.resolve(s, pointer)
            return
        if s.get("nullable") is True and "type" not in s:
            self.problem(
                pointer,
                "`nullable: true` without a `type` in the same Schema Object means nothing in "
                "OpenAPI 3.0.3 (it only adds null to an explicit type)",
            )
        elif s.get("nullable") is True:
            for e in self.errors(None, pointer, OAS30Validator):
                self.problem(
                    pointer,
                    f"`nullable: true`, but null does not validate here (in OpenAPI 3.0.3 other "
                    f"keywords, such as an allOf member or an enum, still apply to null): {e.message}",
                )
        if isinstance(s.get("oneOf"), list):
            self.one_of_overlaps(s["oneOf"], pointer + ptr("oneOf"))
        if "example" in s:
            self.example(s["example"], pointer + ptr("example"), s, pointer, OAS30Validator)
        for key in ("items", "not", "additionalProperties"):
            if isinstance(s.get(key), dict):
                self.schema(s[key], pointer + ptr(key))
        for key in ("allOf", "oneOf", "anyOf"):
            for i, m in enumerate(s.get(key) or []):
                self.schema(m, pointer + ptr(key, i))
        for name, p in (s.get("properties") or {}).items():
            self.schema(p, pointer + ptr("properties", name))

    def one_of_overlaps(self, members, pointer):
        """Members told apart only by `type`: two of the same type, integer with number, or two
        that admit null all match the same values, and `oneOf` then rejects those values."""
        seen = []  # (index, type, nullable)
        for i, m in enumerate(members):
            m, _ = self.resolve(m, pointer + ptr(i))
            if not isinstance(m, dict) or not isinstance(m.get("type"), str):
                continue
            if set(m) - ANNOTATIONS - {"type", "nullable", "items"}:
                continue  # enum, properties, format, bounds...: may well be disjoint; not judged
            t, nullable = m["type"], m.get("nullable") is True
            for j, u, u_nullable in seen:
                same = t == u or {t, u} == {"integer", "number"}
                if same and t == "array" == u:
                    same = False  # arrays of different items are told apart by their items
                if same or (nullable and u_nullable):
                    what = "null" if not same else ("an integer" if "integer" in (t, u) else f"a {t}")
                    self.problem(
                        pointer + ptr(i),
                        f"oneOf members {j} ({u}) and {i} ({t}) overlap: {what} matches both, so "
                        f"oneOf rejects it; use anyOf or drop one",
                    )
            seen.append((i, t, nullable))

    # -- examples ----------------------------------------------------------------------------

    def example(self, value, pointer, schema, schema_pointer, validator_cls, via=None):
        if schema is None:
            return  # nothing to check it against (a media type without a schema)
        self.examples += 1
        via = f" (via {show(via)})" if via else ""
        for e in self.errors(value, schema_pointer, validator_cls):
            at = "".join("/" + esc(t) for t in e.absolute_path)
            msg = e.message if len(e.message) <= 300 else e.message[:300] + "..."
            verdict = "cannot be checked against" if msg.startswith(NOT_CHECKED) else "does not match"
            self.problem(
                pointer,
                f"example{' at ' + at if at else ''} {verdict} its schema {show(schema_pointer)}: {msg}{via}",
            )

    def errors(self, value, schema_pointer, validator_cls):
        """The errors of `value` against the schema at `schema_pointer`, each the deepest cause
        when a oneOf/anyOf/allOf failed."""
        target = {"$ref": BASE_URI + "#" + quote(schema_pointer, safe="/~")}
        v = validator_cls(target, registry=self.registry, format_checker=validator_cls.FORMAT_CHECKER)
        try:
            return [best_match([e]) for e in v.iter_errors(value)]
        except Exception as e:  # an unresolvable $ref (reported on its own), or worse
            return [ValidationError(f"{NOT_CHECKED}{short(e)}")]


def main(argv):
    if len(argv) != 2:
        print("usage: spec_check.py SPEC.yaml", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=NoSafeDatesLoader)
    except OSError as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        return 1
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        print(f"{path}: cannot parse as YAML/JSON: {e}", file=sys.stderr)
        return 1
    if not isinstance(doc, dict):
        print(f"{path}: not an OpenAPI document (the top level is not a mapping)", file=sys.stderr)
        return 1
    version = str(doc.get("openapi", ""))
    if not version.startswith("3.0."):
        print(f"{path}: `openapi: {version or '?'}`: this check is for OpenAPI 3.0.x documents", file=sys.stderr)
        return 1

    checker = Checker(doc)
    checker.walk()
    problems = []
    try:
        for e in OpenAPIV30SpecValidator(doc).iter_errors():
            e = best_match([e]) if getattr(e, "context", None) else e
            at = "".join("/" + esc(t) for t in getattr(e, "absolute_path", []) or [])
            msg = e.message if len(e.message) <= 300 else e.message[:300] + "..."
            problems.append((at, f"OpenAPI 3.0: {msg}"))
    except Exception as e:  # it stops at the first $ref it cannot follow
        problems.append(("", f"openapi-spec-validator could not finish: {short(e)}"))
    problems += checker.problems

    if problems:
        for at, msg in problems:
            print(f"{path}: {show(at)}: {msg}", file=sys.stderr)
        print(f"{path}: {len(problems)} problem(s); {checker.examples} examples checked", file=sys.stderr)
        return 1
    print(f"{path}: valid OpenAPI {version}; {checker.examples} examples validated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
