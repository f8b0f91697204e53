//! Decoding the generated models' objects. The generator writes each model's serde impls itself
//! instead of deriving them, so a user's build doesn't compile `serde_derive`; what every
//! object's `Deserialize` shares lives here, and behaves as the derive does (a missing required
//! field and a repeated field are errors, unknown fields are skipped unless refused).

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap};
use std::fmt;
use std::marker::PhantomData;

/// A model decoded from an object's entries, one key at a time.
pub trait Object: Sized {
    /// What a value of the wrong JSON type is reported as not being (`struct Index`).
    const EXPECTING: &'static str;

    /// The model from the object's entries.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a model.
#[inline]
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// An object's key, borrowed from the input where the format allows: matching it against the
/// declared names then allocates nothing.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Unescaped, or from a format that can't lend it.
    Owned(String),
}

impl Key<'_> {
    /// The key.
    #[inline]
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(k) => k,
            Key::Owned(k) => k,
        }
    }

    /// The key, owned (for a model's additional properties).
    #[inline]
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(k) => k.to_owned(),
            Key::Owned(k) => k,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            #[inline]
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            #[inline]
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            #[inline]
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// What a model's `from_map` reads an object's entries with.
pub trait Entries<'de>: MapAccess<'de> {
    /// Reads a declared field's value into its slot; the same field twice is an error.
    #[inline]
    fn field<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), Self::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(self.next_value()?);
        Ok(())
    }

    /// Skips the value of a field the model doesn't declare.
    #[inline]
    fn skip(&mut self) -> Result<(), Self::Error> {
        self.next_value::<de::IgnoredAny>().map(|_| ())
    }
}

impl<'de, A: MapAccess<'de>> Entries<'de> for A {}

/// What a model's `Serialize` writes its optional fields with.
pub trait Fields: SerializeMap {
    /// Writes an optional field only when it is set (`Some`, which for `Option<Option<T>>`
    /// includes `Some(None)`, written as `null`).
    #[inline]
    fn serialize_if_set<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), Self::Error> {
        match value {
            Some(_) => self.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

impl<M: SerializeMap> Fields for M {}

/// Additional properties, read as JSON values while the object was read and typed now, after
/// the declared fields: a missing declared field is then reported before a wrong additional
/// value, as serde's derive does with a flattened map (which it reads last). A repeated key
/// keeps its last value, as a map does.
/// `M` is the generator's configured map type (`BTreeMap` unless told otherwise).
pub fn typed_map<T: DeserializeOwned, M: FromIterator<(String, T)>, E: de::Error>(
    raw: Vec<(String, serde_json::Value)>,
) -> Result<M, E> {
    raw.into_iter().map(|(key, value)| T::deserialize(value).map(|v| (key, v)).map_err(E::custom)).collect()
}

/// A union's value read whole before a member is chosen. `serde_json::Value` keeps a repeated
/// key's last value, where a member read directly meets each entry in turn (and refuses a
/// repeated field of its own, as serde's derive does for its unions); so an object that repeats
/// a key also keeps its entries as they came, and members are read from those.
#[derive(Debug)]
pub struct Buffered {
    /// The value, a repeated key holding its last value: for the tag, and for what is kept
    /// as it came.
    pub value: serde_json::Value,
    /// The object's entries in order, when a key came more than once.
    entries: Option<Vec<(String, serde_json::Value)>>,
}

impl Buffered {
    /// Whether the value is an object that gives a property of `fixed` a string other than
    /// the values listed with it: a union's member whose tag (a one-value enum) or whose own
    /// tags say otherwise isn't that member, whatever its catch-all would accept.
    pub fn contradicts(&self, fixed: &[(&str, &[&str])]) -> bool {
        let serde_json::Value::Object(map) = &self.value else { return false };
        fixed.iter().any(|(property, values)| {
            matches!(map.get(*property), Some(serde_json::Value::String(s)) if !values.contains(&s.as_str()))
        })
    }

    /// The value read as `T`, entry by entry where the object repeated a key.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match &self.entries {
            Some(entries) => T::deserialize(de::value::MapDeserializer::new(entries.iter().cloned())),
            None => T::deserialize(&self.value),
        }
    }

    /// The value as member `T`, with serde's error where it isn't one.
    pub fn member<T: DeserializeOwned, E: de::Error>(self) -> Result<T, E> {
        match self.entries {
            Some(entries) => T::deserialize(de::value::MapDeserializer::new(entries.into_iter())),
            None => serde_json::from_value(self.value),
        }
        .map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Buffered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Whole;
        impl<'de> Visitor<'de> for Whole {
            type Value = Buffered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Buffered, A::Error> {
                let mut entries: Vec<(String, serde_json::Value)> = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                let mut object = serde_json::Map::new();
                let mut repeated = false;
                for (key, value) in &entries {
                    repeated |= object.insert(key.clone(), value.clone()).is_some();
                }
                let entries = repeated.then_some(entries);
                Ok(Buffered { value: serde_json::Value::Object(object), entries })
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Buffered, A::Error> {
                serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Buffered::from)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::from(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::from(v)))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::from(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<Buffered, E> {
                Ok(Buffered::from(serde_json::Value::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Buffered, D::Error> {
                Buffered::deserialize(d)
            }
        }
        deserializer.deserialize_any(Whole)
    }
}

impl From<serde_json::Value> for Buffered {
    fn from(value: serde_json::Value) -> Self {
        Buffered { value, entries: None }
    }
}

/// A required field's value, or the "missing field" error.
#[inline]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
    }

    impl Object for Pet {
        const EXPECTING: &'static str = "struct Pet";
        fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut name, mut tag) = (None, None);
            while let Some(key) = map.next_key::<Key>()? {
                match key.as_str() {
                    "name" => map.field(&mut name, "name")?,
                    "tag" => map.field(&mut tag, "tag")?,
                    _ => map.skip()?,
                }
            }
            Ok(Pet { name: required(name, "name")?, tag: tag.flatten() })
        }
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    fn pet(json: &str) -> Result<Pet, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn decodes_skips_unknown_and_reads_escaped_keys() {
        let want = Pet { name: "Rex".into(), tag: Some("dog".into()) };
        assert_eq!(pet(r#"{"name":"Rex","extra":[1,{"a":2}],"tag":"dog"}"#), Ok(want));
        // An escaped key can't be borrowed from the input.
        assert_eq!(pet(r#"{"n\u0061me":"Rex"}"#), Ok(Pet { name: "Rex".into(), tag: None }));
        let value = serde_json::json!({"name": "Rex", "tag": null});
        assert_eq!(
            Pet::deserialize(&value).map_err(|e| e.to_string()),
            Ok(Pet { name: "Rex".into(), tag: None })
        );
    }

    #[test]
    fn refuses_what_the_derive_refuses() {
        assert_eq!(pet(r#"{"tag":"dog"}"#), Err("missing field `name` at line 1 column 13".into()));
        assert_eq!(
            pet(r#"{"name":"a","name":"b"}"#),
            Err("duplicate field `name` at line 1 column 18".into())
        );
        assert_eq!(pet("[1]"), Err("invalid type: sequence, expected struct Pet at line 1 column 0".into()));
        assert!(pet(r#"{"name":5}"#)
            .unwrap_err()
            .starts_with("invalid type: integer `5`, expected a string"));
    }
}
