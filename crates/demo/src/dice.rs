//! The only source of chance in the demo: a seeded PCG stream per program.
//!
//! Portability: every draw goes through integer ranges of `u32` and `f64` values in
//! `[0, 1)`, which rand documents as value-stable across platforms; no `usize` ranges (whose
//! width differs by platform), no operating-system randomness, and no floating-point
//! function whose last bit may differ between C libraries (`ln`, `exp`, `powf`).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

pub(crate) struct Dice(Pcg64Mcg);

/// SplitMix64's finaliser: neighbouring seeds and program numbers give unrelated streams.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Dice {
    /// The stream of one program. Each program has its own, so that generating only the
    /// first few programs of the national set gives exactly the rows of the full run.
    pub(crate) fn for_program(seed: u64, program: u32) -> Self {
        Dice(Pcg64Mcg::seed_from_u64(mix(seed ^ mix(u64::from(program)))))
    }

    /// A whole number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        self.0.random_range(0..n)
    }

    /// A whole number in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: i32, hi: i32) -> i32 {
        self.0.random_range(lo..=hi)
    }

    /// A number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `[lo, hi)`.
    pub(crate) fn real(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        let n = u32::try_from(xs.len()).expect("the demo's lists are short");
        &xs[self.below(n) as usize]
    }

    /// One value, each with its weight.
    pub(crate) fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total);
        for &(x, w) in xs {
            if r < w {
                return x;
            }
            r -= w;
        }
        xs[xs.len() - 1].0
    }

    /// A count with mean `mean` (a binomial draw), for "about so many a week".
    pub(crate) fn about(&mut self, mean: f64) -> u32 {
        if mean <= 0.0 {
            return 0;
        }
        let trials = (mean * 2.0).ceil().max(1.0) as u32;
        let p = mean / f64::from(trials);
        (0..trials).filter(|_| self.chance(p)).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_programs_differ() {
        let draw = |seed, program| {
            let mut d = Dice::for_program(seed, program);
            (0..8).map(|_| d.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7, 1), draw(7, 1));
        assert_ne!(draw(7, 1), draw(7, 2));
        assert_ne!(draw(7, 1), draw(8, 1));
    }

    #[test]
    fn about_has_the_mean_it_promises() {
        let mut d = Dice::for_program(1, 1);
        let n: u32 = (0..10_000).map(|_| d.about(2.5)).sum();
        assert!((24_000..26_000).contains(&n), "{n}");
    }
}
