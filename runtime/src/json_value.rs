//! A value as `serde_json::Value`, its numbers as they are written: `serde_json::to_value`
//! widens an `f32` to the `f64` nearest it (`0.1f32` becomes `0.10000000149011612`), where
//! writing it gives its own shortest text (`0.1`). Parameters, form fields and tagged unions
//! go through a `Value`, and must send what a body written directly sends.

use serde::Serialize;
use serde_json::Value;

/// `value` as JSON, through its text.
pub fn json_value<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Value> {
    serde_json::from_str(&serde_json::to_string(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_f32_keeps_its_own_text() {
        assert_eq!(json_value(&0.1f32).unwrap().to_string(), "0.1");
        assert_eq!(serde_json::to_value(0.1f32).unwrap().to_string(), "0.10000000149011612");
        assert_eq!(
            json_value(&serde_json::json!({"a": [1, "x"]})).unwrap(),
            serde_json::json!({"a": [1, "x"]})
        );
    }
}
