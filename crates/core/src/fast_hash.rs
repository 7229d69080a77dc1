//! A small, fast hash for the maps that group records by ID (the Fx hash of rustc).
//!
//! The standard library's SipHash guards a map against keys chosen by an attacker, at
//! several times the cost. Here the keys are IDs from a program's own records and the maps
//! live only for one computation, so the guard buys nothing, while a national outcome run
//! hashes a million job rows.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_like_any_map() {
        let mut m: FastMap<String, u32> = FastMap::default();
        for i in 0..10_000u32 {
            *m.entry(format!("P{}", i % 1000)).or_default() += 1;
        }
        assert_eq!(m.len(), 1000);
        assert!(m.values().all(|&n| n == 10));
        assert_eq!(m.get("P7"), Some(&10));
    }
}
