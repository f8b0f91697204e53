//! Values that satisfy a schema of the document, for the generated tests: the plainest one (the
//! wire tests' and the README's arguments) or, seeded, random ones (the instance tests). Both
//! read a schema the same way: its example, `default`, `enum` or `const`, else a value built
//! from its type, format, bounds and properties, members and items. Random values also take
//! optional properties, other union members, `null` where allowed, longer lists and other
//! numbers and strings. A JSON Schema validator (feature `validate`) has the last word.

use crate::examples::Direction;
use crate::pointer::child;
use serde_json::{json, Map, Value};

/// Deeper than this, a value is `null` (a recursive schema that requires itself).
const MAX_DEPTH: usize = 12;

/// Whether a value matches its schema (always, without the `validate` feature).
pub(crate) struct Checker {
    #[cfg(feature = "validate")]
    validator: crate::examples::validate::Validator,
}

impl Checker {
    pub(crate) fn new(_raw: &Value) -> Checker {
        Checker {
            #[cfg(feature = "validate")]
            validator: crate::examples::validate::Validator::new(_raw),
        }
    }

    pub(crate) fn why_invalid(
        &mut self,
        _schema: &str,
        _direction: Direction,
        _value: &Value,
    ) -> Option<String> {
        #[cfg(feature = "validate")]
        return self.validator.check(_schema, _direction, _value).err();
        #[cfg(not(feature = "validate"))]
        None
    }

    /// `Some(true)` only where a validator checked the value and found it valid; `None` where
    /// nothing could check it.
    pub(crate) fn proven(&mut self, _schema: &str, _direction: Direction, _value: &Value) -> Option<bool> {
        #[cfg(feature = "validate")]
        return self.validator.verify(_schema, _direction, _value).map(|r| r.is_ok());
        #[cfg(not(feature = "validate"))]
        None
    }
}

/// Makes values for the schemas of one document.
pub(crate) struct Sampler<'r> {
    raw: &'r Value,
    pub(crate) check: Checker,
    /// Which of `readOnly` and `writeOnly` properties a value leaves out.
    direction: Direction,
    /// `None`: the plainest value; else the random choices (seeded, so a generated file is the
    /// same on every run).
    rng: Option<fastrand::Rng>,
    /// The depth of an object whose extra properties its type wouldn't keep: a member of a
    /// union beside `properties` is merged into their type, which has its own rule.
    no_extras_at: Option<usize>,
}

impl<'r> Sampler<'r> {
    /// The plainest values, for requests: required properties only, the first member that
    /// fits, one item.
    pub(crate) fn plain(raw: &'r Value) -> Sampler<'r> {
        Sampler {
            raw,
            check: Checker::new(raw),
            direction: Direction::Request,
            rng: None,
            no_extras_at: None,
        }
    }

    /// A random value of the schema at `pointer` (without `#`) for `direction`, from `seed`.
    pub(crate) fn random(&mut self, pointer: &str, direction: Direction, seed: u64) -> Value {
        let before = (self.direction, self.rng.take());
        self.direction = direction;
        self.rng = Some(fastrand::Rng::with_seed(seed));
        let v = self.value(pointer, 0);
        (self.direction, self.rng) = before;
        v
    }

    pub(crate) fn valid(&mut self, schema: &str, value: &Value) -> bool {
        self.check.why_invalid(schema, self.direction, value).is_none()
    }

    /// `true` with chance `1/n` for random values; never for the plainest.
    fn one_in(&mut self, n: usize) -> bool {
        self.rng.as_mut().is_some_and(|r| r.usize(..n.max(1)) == 0)
    }

    /// One of `n` choices: the first for the plainest value.
    fn pick(&mut self, n: usize) -> usize {
        self.rng.as_mut().map_or(0, |r| r.usize(..n.max(1)))
    }

    /// A value of the schema at `pointer` (without `#`).
    pub(crate) fn sample(&mut self, pointer: &str) -> Value {
        self.value(pointer, 0)
    }

    fn value(&mut self, pointer: &str, depth: usize) -> Value {
        let raw = self.raw;
        let Some((pointer, s)) = crate::examples::resolve(raw, pointer) else { return Value::Null };
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let random = self.rng.is_some();
        if random && s.get("nullable").and_then(Value::as_bool) == Some(true) && self.one_in(5) {
            return Value::Null;
        }
        for key in ["example", "default", "const"] {
            // A random value takes the schema's `default` now and then; its examples are the
            // example tests' (and some carry what the schema doesn't declare).
            if (key == "example" && random) || (key == "default" && random && !self.one_in(4)) {
                continue;
            }
            if let Some(v) = s.get(key) {
                if self.valid(&pointer, v) {
                    return v.clone();
                }
            }
        }
        if let Some(Value::Array(values)) = s.get("enum") {
            let values: Vec<&Value> = match random {
                true => values.iter().collect(),
                false => values.iter().filter(|v| !v.is_null()).collect(),
            };
            if !values.is_empty() {
                let i = self.pick(values.len());
                return values[i].clone();
            }
        }
        if let Some(Value::Array(members)) = s.get("allOf") {
            let mut merged = Map::new();
            for i in 0..members.len() {
                // A member that only annotates adds nothing (and its "any value" isn't merged).
                let at = format!("{pointer}/allOf/{i}");
                if self.rng.is_some()
                    && crate::examples::resolve(raw, &at).is_some_and(|(_, m)| is_unconstrained(m))
                {
                    continue;
                }
                match self.value(&at, depth + 1) {
                    Value::Object(m) => merged.extend(m),
                    other if members.len() == 1 => return other,
                    _ => {}
                }
            }
            if let Value::Object(own) = self.object(&pointer, s, &[], depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = s.get(key) {
                return self.union(&pointer, s, key, members, depth);
            }
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let typ = match types.len() {
            0 if s.get("properties").is_some() || s.get("additionalProperties").is_some() => Some("object"),
            0 if s.get("items").is_some() => Some("array"),
            0 => None,
            // The plainest value takes the first type that isn't null.
            n if random => Some(types[self.pick(n)]),
            _ => types.iter().find(|t| **t != "null").or(types.first()).copied(),
        };
        match typ {
            Some("object") => self.object(&pointer, s, &[], depth),
            Some("array") => self.array(&pointer, s, depth),
            Some("integer") => json!(self.number(s, true) as i64),
            Some("number") => json!(self.number(s, false)),
            Some("boolean") => json!(!self.one_in(2)),
            Some("null") => Value::Null,
            None if random && is_unconstrained(s) => self.anything(depth),
            _ => self.string(s),
        }
    }

    /// A member of a `oneOf` or `anyOf` whose value the whole schema accepts (a value two
    /// members of a `oneOf` accept is refused): the plainest value tries them in order, `null`
    /// members last; a random one in random order.
    fn union(&mut self, pointer: &str, s: &Value, key: &str, members: &[Value], depth: usize) -> Value {
        let mut order: Vec<usize> = (0..members.len()).collect();
        match self.rng.as_mut() {
            Some(rng) => {
                for i in (1..order.len()).rev() {
                    order.swap(i, rng.usize(..=i));
                }
            }
            None => order.sort_by_key(|i| members[*i].get("type").and_then(Value::as_str) == Some("null")),
        }
        let mut first = None;
        for i in order {
            // A member that only says which of the properties beside it are required.
            let constraint = members[i].as_object().is_some_and(|m| {
                m.keys().all(|k| matches!(k.as_str(), "required" | "description" | "title"))
            });
            let mut v = if constraint && s.get("properties").is_some() {
                let extra: Vec<&str> = members[i]["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                self.object(pointer, s, &extra, depth)
            } else {
                let before = self.no_extras_at;
                if s.get("properties").is_some() {
                    self.no_extras_at = Some(depth + 1);
                }
                let v = self.value(&format!("{pointer}/{key}/{i}"), depth + 1);
                self.no_extras_at = before;
                v
            };
            // Properties beside the union hold too.
            if let Value::Object(m) = &mut v {
                if let Value::Object(own) = self.object(pointer, s, &[], depth) {
                    m.extend(own);
                }
            }
            // The discriminator names the member, whatever else the value would match.
            if let (Value::Object(m), Some((property, tag))) =
                (&mut v, discriminator_tag(self.raw, s, &members[i]))
            {
                m.insert(property, Value::String(tag));
            }
            if self.valid(pointer, &v) {
                return v;
            }
            first.get_or_insert(v);
        }
        first.unwrap_or(Value::Null)
    }

    /// The object's required properties and `extra` ones, each with a value (but those the
    /// direction leaves out); a random object also some of its optional ones, and of the
    /// properties `additionalProperties` allows.
    fn object(&mut self, pointer: &str, s: &Value, extra: &[&str], depth: usize) -> Value {
        let mut out = Map::new();
        let mut required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        required.extend(extra);
        let left_out = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        // Fewer optional properties the deeper a value is, so recursive schemas end.
        let optional_one_in = match depth {
            0..=2 => 2,
            3..=5 => 4,
            _ => 0,
        };
        if let Some(Value::Object(props)) = s.get("properties") {
            for (k, p) in props {
                if p.get(left_out).and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let wanted =
                    required.contains(&k.as_str()) || (optional_one_in > 0 && self.one_in(optional_one_in));
                if wanted {
                    let at = child(&format!("{pointer}/properties"), k);
                    let v = self.value(&at, depth + 1);
                    out.insert(k.clone(), v);
                }
            }
        }
        let additional = match s.get("additionalProperties") {
            Some(Value::Bool(true)) => Some(None),
            Some(Value::Object(_)) => Some(Some(format!("{pointer}/additionalProperties"))),
            _ => None,
        };
        let keeps_extras = self.no_extras_at != Some(depth) && s.get("propertyNames").is_none();
        if let Some(schema) = additional.filter(|_| optional_one_in > 0 && keeps_extras) {
            for name in ["extra", "other-name", "x_3"] {
                if out.contains_key(name) || !self.one_in(2) {
                    continue;
                }
                let v = match &schema {
                    Some(at) => self.value(at, depth + 1),
                    None => self.anything(depth + 1),
                };
                out.insert(name.to_string(), v);
            }
        }
        Value::Object(out)
    }

    /// `max(minItems, 1)` copies of one item; a random list has from `minItems` to a few more
    /// items (fewer when deep), each its own.
    fn array(&mut self, pointer: &str, s: &Value, depth: usize) -> Value {
        let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s.get("maxItems").and_then(Value::as_u64).map(|m| m as usize);
        let items = format!("{pointer}/items");
        let has_items = s.get("items").is_some();
        if self.rng.is_none() {
            let n = min.max(1);
            let item = if has_items { self.value(&items, depth + 1) } else { json!("wire") };
            return Value::Array(vec![item; n.min(8)]);
        }
        // A long list at least: copies of one item, not a tree of random ones each.
        if min > 8 {
            let item = if has_items { self.value(&items, depth + 1) } else { json!("wire") };
            return Value::Array(vec![item; min.min(1024)]);
        }
        let more = if depth < 3 { 3 } else { 1 };
        let hi = max.unwrap_or(usize::MAX).min(min.saturating_add(more)).max(min);
        let n = min + self.pick(hi - min + 1);
        let mut out: Vec<Value> = Vec::with_capacity(n);
        for _ in 0..n {
            let item = if has_items { self.value(&items, depth + 1) } else { self.anything(depth + 1) };
            if s.get("uniqueItems").and_then(Value::as_bool) == Some(true) && out.contains(&item) {
                continue;
            }
            out.push(item);
        }
        Value::Array(out)
    }

    /// Any JSON value, for a schema that constrains nothing.
    fn anything(&mut self, depth: usize) -> Value {
        match self.pick(if depth > 4 { 4 } else { 6 }) {
            0 => json!("any"),
            1 => json!(7),
            2 => json!(false),
            3 => Value::Null,
            4 => json!({"k": [1, "two"], "nested": {"x": null}}),
            _ => json!([2.5, "s", {}]),
        }
    }

    /// A number within the schema's bounds (and those of an integer `format`), a multiple of
    /// `multipleOf` where one is given: the lowest the bounds allow (or 1) for the plainest
    /// value; random values pick among a few, the bounds among them.
    fn number(&mut self, s: &Value, integer: bool) -> f64 {
        let plain = plain_number(s);
        let Some(rng) = self.rng.as_mut() else {
            return if integer { plain.round() } else { plain };
        };
        let get = |k: &str| s.get(k).and_then(Value::as_f64);
        let step = get("multipleOf").filter(|m| *m > 0.0);
        // An integer's format bounds it (`uint8`: 0 to 255), as the generated type does.
        let (mut lo, mut hi) = if integer { format_bounds(s) } else { (f64::NEG_INFINITY, f64::INFINITY) };
        if let Some(min) = get("minimum") {
            lo = lo.max(min);
        }
        if let Some(max) = get("maximum") {
            hi = hi.min(max);
        }
        let open_lo = s.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
        let open_hi = s.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true);
        let fits = |n: f64| {
            (n > lo || (n == lo && !open_lo))
                && (n < hi || (n == hi && !open_hi))
                && get("exclusiveMinimum").is_none_or(|m| n > m)
                && get("exclusiveMaximum").is_none_or(|m| n < m)
                && step.is_none_or(|m| (n / m).fract() == 0.0)
                && (!integer || n.fract() == 0.0)
        };
        let mut candidates =
            vec![0.0, 1.0, -1.0, 7.0, 1000.0, 2147483647.0, -2147483648.0, 9007199254740993.0];
        if !integer {
            candidates.extend([1.5, -2.25, 0.1, 123456.789]);
        }
        candidates.extend([lo, hi].into_iter().filter(|b| b.is_finite()));
        candidates.retain(|n| fits(*n));
        // A `float` is an `f32`: values it holds exactly, and writes back the same.
        if s.get("format").and_then(Value::as_str) == Some("float") {
            candidates.retain(|n| {
                serde_json::to_string(&(*n as f32)).ok().and_then(|t| t.parse::<f64>().ok()) == Some(*n)
            });
        }
        match candidates.len() {
            0 => {
                if integer {
                    plain.round()
                } else {
                    plain
                }
            }
            n => candidates[rng.usize(..n)],
        }
    }

    /// A string of the schema's `pattern`, `format` or neither, within its lengths.
    fn string(&mut self, s: &Value) -> Value {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        #[cfg(feature = "validate")]
        if let Some(text) = s.get("pattern").and_then(Value::as_str).and_then(|p| pattern_sample(p, min)) {
            return Value::String(text);
        }
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        let pool: &[&str] = match format {
            "date-time" => {
                &["2024-01-02T03:04:05Z", "2023-12-31T23:59:59.123456+05:30", "1999-06-01T00:00:00-08:00"]
            }
            "date" => &["2024-01-02", "2024-02-29", "1970-01-01"],
            "time" => &["03:04:05Z", "23:59:59.5+01:00"],
            "uuid" => &["5f8c3a0e-8d1e-4a55-9c1b-0f6b7e2d4a11", "00000000-0000-0000-0000-000000000000"],
            "email" => &["user@example.com", "first.last+tag@example.org"],
            "uri" | "url" | "uri-reference" | "iri" => {
                &["https://example.com/", "https://example.com/a/b?c=d#e"]
            }
            "hostname" => &["example.com", "a.b.example.org"],
            "ipv4" => &["192.0.2.1"],
            "ipv6" => &["2001:db8::1"],
            "byte" => &["d2lyZQ==", "", "AAEC/w=="],
            _ => &["wire", "", "Grüße, 世界 🦀", "quote \" backslash \\ tab \t", "line\nbreak", "12"],
        };
        // A pattern this can't read: the plainest text, likelier to match than the others.
        let i = if s.get("pattern").is_some() { 0 } else { self.pick(pool.len()) };
        let mut text = pool[i].to_string();
        while text.chars().count() < min {
            text.push('x');
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64).map(|m| m as usize) {
            text = text.chars().take(max).collect();
        }
        Value::String(text)
    }
}

/// A schema with nothing to say about a value's type: no type, and no keyword of one.
fn is_unconstrained(s: &Value) -> bool {
    s.as_object().is_none_or(|m| {
        m.keys().all(|k| {
            k.starts_with("x-")
                || matches!(
                    k.as_str(),
                    "description"
                        | "title"
                        | "nullable"
                        | "readOnly"
                        | "writeOnly"
                        | "deprecated"
                        | "example"
                        | "examples"
                        | "default"
                )
        })
    })
}

/// The bounds an integer `format` sets, as the generated types read them.
fn format_bounds(s: &Value) -> (f64, f64) {
    match s.get("format").and_then(Value::as_str).unwrap_or("") {
        "int8" => (-128.0, 127.0),
        "int16" => (-32768.0, 32767.0),
        "int32" => (-2147483648.0, 2147483647.0),
        "uint8" => (0.0, 255.0),
        "uint16" => (0.0, 65535.0),
        "uint32" => (0.0, 4294967295.0),
        "uint64" | "uint" => (0.0, 9.2e18),
        _ => (-9.2e18, 9.2e18),
    }
}

/// The discriminator property of union `s` and the value that names `member` (a `$ref`): the
/// mapping's key for it, else the one value the member allows the property (a one-value
/// `enum` or `const`), else the schema's own name.
fn discriminator_tag(raw: &Value, s: &Value, member: &Value) -> Option<(String, String)> {
    let d = s.get("discriminator")?;
    let property = d.get("propertyName")?.as_str()?.to_string();
    let target = member.get("$ref")?.as_str()?;
    let name = target.rsplit('/').next()?;
    let mapped = d
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().find(|(_, v)| v.as_str().is_some_and(|v| v == target || v == name)));
    if let Some((key, _)) = mapped {
        return Some((property, key.clone()));
    }
    let fixed = crate::examples::resolve(raw, target.strip_prefix('#')?)
        .and_then(|(_, m)| m.get("properties")?.get(&property).cloned())
        .and_then(|p| match (p.get("const"), p.get("enum").and_then(Value::as_array)) {
            (Some(Value::String(c)), _) => Some(c.clone()),
            (None, Some(values)) if values.len() == 1 => values[0].as_str().map(str::to_string),
            _ => None,
        });
    Some((property, fixed.unwrap_or_else(|| name.to_string())))
}

/// The plainest number within the schema's bounds (and a multiple of `multipleOf` where one
/// is given): the lowest the bounds allow, else 1.
fn plain_number(s: &Value) -> f64 {
    let get = |k: &str| s.get(k).and_then(Value::as_f64);
    let exclusive = |k: &str| s.get(k).and_then(Value::as_bool) == Some(true);
    let step = get("multipleOf").filter(|m| *m > 0.0).unwrap_or(1.0);
    let mut n = match (get("minimum"), get("maximum")) {
        (Some(min), _) => min + if exclusive("exclusiveMinimum") { step } else { 0.0 },
        (None, Some(max)) if max < 1.0 => max - if exclusive("exclusiveMaximum") { step } else { 0.0 },
        _ => 1.0,
    };
    if let Some(min) = get("exclusiveMinimum") {
        n = n.max(min + step);
    }
    if let Some(max) = get("exclusiveMaximum") {
        n = n.min(max - step);
    }
    (n / step).ceil() * step
}

/// A short string the regular expression `pattern` matches (a whole match, so it also holds
/// where JSON Schema reads the pattern unanchored), at least `min_len` characters long where a
/// repetition can stretch that far (a `minLength` beside the pattern), or `None` for one this
/// can't read.
#[cfg(feature = "validate")]
fn pattern_sample(pattern: &str, min_len: usize) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    /// `extra`: characters still wanted; the first repetitions that may repeat more take them.
    fn walk(h: &Hir, out: &mut String, extra: &mut usize) -> Option<()> {
        match h.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).ok()?),
            HirKind::Class(Class::Unicode(c)) => {
                // A lowercase letter or digit where the class has one, else its first character.
                let ranges = c.ranges();
                let pick = ('a'..='z')
                    .chain('0'..='9')
                    .find(|ch| ranges.iter().any(|r| (r.start()..=r.end()).contains(ch)));
                out.push(pick.or_else(|| ranges.first().map(|r| r.start()))?);
            }
            HirKind::Class(Class::Bytes(c)) => out.push(char::from(c.ranges().first()?.start())),
            HirKind::Repetition(r) => {
                for _ in 0..r.min.min(64) {
                    walk(&r.sub, out, extra)?;
                }
                let mut n = r.min;
                while *extra > 0 && r.max.is_none_or(|m| n < m) && n < 4096 {
                    let before = out.chars().count();
                    walk(&r.sub, out, &mut 0)?;
                    let added = out.chars().count() - before;
                    if added == 0 {
                        break;
                    }
                    *extra = extra.saturating_sub(added);
                    n += 1;
                }
            }
            HirKind::Capture(c) => walk(&c.sub, out, extra)?,
            HirKind::Concat(hs) => hs.iter().try_for_each(|h| walk(h, out, extra))?,
            HirKind::Alternation(hs) => walk(hs.first()?, out, extra)?,
        }
        Some(())
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    // The shortest match first, to learn how many characters are missing.
    let mut out = String::new();
    walk(&hir, &mut out, &mut 0)?;
    let short = out.chars().count();
    if short < min_len {
        out.clear();
        walk(&hir, &mut out, &mut (min_len - short))?;
    }
    Some(out)
}

#[cfg(all(test, feature = "validate"))]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_a_string_they_match() {
        for p in [
            "^AC[0-9a-fA-F]{32}$",
            r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+))?$",
            r"^[\w\d+\/=]*$",
            "^[a-z]+(-[a-z]+)*$",
        ] {
            let text = pattern_sample(p, 0).unwrap_or_else(|| panic!("{p}"));
            let re = regex_syntax::ParserBuilder::new().build().parse(p).unwrap();
            assert!(!text.is_empty() || re.properties().minimum_len() == Some(0), "{p}: {text:?}");
        }
        assert_eq!(pattern_sample("^AC[0-9a-fA-F]{2}$", 0).as_deref(), Some("ACaa"));
        assert_eq!(pattern_sample("^v[0-9]+$", 0).as_deref(), Some("v0"));
        // GitHub's commit SHA: `minLength: 40` beside `^[0-9a-fA-F]+$`.
        assert_eq!(pattern_sample("^[0-9a-fA-F]+$", 40), Some("a".repeat(40)));
        assert_eq!(
            pattern_sample("^v[0-9]{1,3}$", 10).as_deref(),
            Some("v000"),
            "bounded: as far as it goes"
        );
    }

    /// A member that accepts the other member's tag too (kratos' recovery body): the value made
    /// carries the tag of the member it was made from, so a client that reads the discriminator
    /// reads it as that member.
    #[test]
    fn a_discriminated_member_is_made_with_its_own_tag() {
        let raw = json!({"components": {"schemas": {
            "Body": {
                "oneOf": [{"$ref": "#/components/schemas/Link"}, {"$ref": "#/components/schemas/Code"}],
                "discriminator": {"propertyName": "method", "mapping": {
                    "link": "#/components/schemas/Link", "code": "#/components/schemas/Code"}}
            },
            "Link": {"type": "object", "required": ["email", "method"], "properties": {
                "email": {"type": "string"}, "method": {"type": "string", "enum": ["link", "code"]}}},
            "Code": {"type": "object", "required": ["method"], "properties": {
                "code": {"type": "string"}, "method": {"type": "string", "enum": ["link", "code"]}}}
        }}});
        let mut check = Sampler::plain(&raw);
        let v = check.sample("/components/schemas/Body");
        match v["method"].as_str() {
            Some("link") => assert!(v.get("email").is_some(), "{v}"),
            Some("code") => {}
            _ => panic!("no tag: {v}"),
        }
        assert!(check.valid("/components/schemas/Body", &v), "{v}");
        // No mapping: the value the member fixes its tag to (OpenAI's `type: message`), not
        // the schema's name.
        let raw = json!({"components": {"schemas": {
            "Item": {"oneOf": [{"$ref": "#/components/schemas/Message"}], "discriminator": {"propertyName": "type"}},
            "Message": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["message"]}}}
        }}});
        let v = Sampler::plain(&raw).sample("/components/schemas/Item");
        assert_eq!(v, json!({"type": "message"}));
    }

    /// Random values take optional properties or leave them out, `null` where allowed, each
    /// union member, several items and other numbers; a seed gives the same value again; and
    /// a `float` is one an `f32` holds and writes back the same.
    #[test]
    fn random_values_vary_within_the_schema() {
        let raw = json!({"components": {"schemas": {"Pet": {
        "type": "object", "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 2},
            "age": {"type": "integer", "format": "uint8"},
            "weight": {"type": "number", "format": "float"},
            "tag": {"type": "string", "nullable": true},
            "kind": {"oneOf": [{"type": "integer"}, {"type": "object", "properties": {"x": {"type": "boolean"}}}]},
            "toys": {"type": "array", "items": {"type": "string", "enum": ["ball", "rope"]}}
        }}}}});
        let ptr = "/components/schemas/Pet";
        let mut sampler = Sampler::plain(&raw);
        let values: Vec<Value> = (0..64).map(|i| sampler.random(ptr, Direction::Response, i)).collect();
        assert_eq!(values[5], sampler.random(ptr, Direction::Response, 5), "seeded");
        for v in &values {
            assert!(sampler.check.proven(ptr, Direction::Response, v) == Some(true), "{v}");
            assert!(v["name"].as_str().is_some_and(|n| n.chars().count() >= 2), "{v}");
            if let Some(age) = v.get("age") {
                assert!(age.as_u64().is_some_and(|a| a <= 255), "{v}");
            }
            if let Some(w) = v.get("weight").and_then(Value::as_f64) {
                assert_eq!(serde_json::to_string(&(w as f32)).unwrap().parse::<f64>().unwrap(), w, "{v}");
            }
        }
        let seen = |f: &dyn Fn(&Value) -> bool| values.iter().any(f);
        assert!(seen(&|v| v.get("age").is_none()) && seen(&|v| v.get("age").is_some()));
        assert!(seen(&|v| v.get("tag").is_some_and(Value::is_null)));
        assert!(seen(&|v| v.get("kind").is_some_and(Value::is_i64)));
        assert!(seen(&|v| v.get("kind").is_some_and(Value::is_object)));
        assert!(seen(&|v| v.get("toys").and_then(Value::as_array).is_some_and(|t| t.len() > 1)));
        // The plainest value is unchanged by the random ones made before it.
        assert_eq!(sampler.sample(ptr), json!({"name": "wire"}));
    }
}
