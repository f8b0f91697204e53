//! The document hash written into the generated header. Self-contained, so the library's build
//! script can include this file to check the committed copy without depending on the generator.

/// FNV-1a, 64 bits: enough to tell that the document changed, with no dependency.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}
