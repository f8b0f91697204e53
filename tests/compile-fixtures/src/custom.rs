//! Types of "the user's own" that tests/fixtures/overrides.yaml is generated against (see
//! build.rs): each parses and writes its own wire form, so a test can tell it was used.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A UUID held as its 128 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uuid(pub u128);

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(f, "{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
    }
}

impl std::str::FromStr for Uuid {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let hex: String = s.chars().filter(|c| *c != '-').collect();
        if hex.len() != 32 {
            return Err(format!("`{s}` is not a UUID"));
        }
        u128::from_str_radix(&hex, 16).map(Uuid).map_err(|e| format!("`{s}`: {e}"))
    }
}

/// A decimal number kept exactly: digits and a scale, from its string form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    pub units: i128,
    pub scale: u32,
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = 10i128.pow(self.scale);
        match self.scale {
            0 => write!(f, "{}", self.units),
            s => write!(f, "{}.{:0width$}", self.units / d, (self.units % d).abs(), width = s as usize),
        }
    }
}

impl std::str::FromStr for Decimal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let units = format!("{int}{frac}").parse().map_err(|e| format!("`{s}`: {e}"))?;
        Ok(Decimal { units, scale: frac.len() as u32 })
    }
}

/// An amount in minor units and its currency: "12.50 EUR" on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02} {}", self.minor / 100, self.minor % 100, self.currency)
    }
}

impl std::str::FromStr for Money {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (amount, currency) = s.split_once(' ').ok_or_else(|| format!("`{s}` has no currency"))?;
        let (major, minor) = amount.split_once('.').ok_or_else(|| format!("`{s}` has no cents"))?;
        let major: i64 = major.parse().map_err(|e| format!("`{s}`: {e}"))?;
        let minor: i64 = minor.parse().map_err(|e| format!("`{s}`: {e}"))?;
        Ok(Money { minor: major * 100 + minor, currency: currency.to_string() })
    }
}

/// Serde through the string form, for all three.
macro_rules! serde_via_string {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_via_string!(Uuid, Decimal, Money);
