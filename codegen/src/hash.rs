//! The document hash written into the generated header, so a copy names the document it came from;
//! and the instance tests' seeds.

/// FNV-1a, 64 bits: enough to tell that the document changed, with no dependency.
pub fn fnv1a64(bytes: &[u8]) -> String {
    format!("fnv1a64:{:016x}", fnv1a64_u64(bytes))
}

/// The hash itself (the instance tests' seeds).
pub(crate) fn fnv1a64_u64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The FNV reference values for "" and "a".
        assert_eq!(fnv1a64(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(fnv1a64(b"a"), "fnv1a64:af63dc4c8601ec8c");
    }
}
