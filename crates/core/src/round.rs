//! How figures are rounded for people to read and check.
//!
//! METRICS.md: "Values are reported rounded to 2 decimals" and rates "rounded to 4
//! decimals"; a per-coach score becomes the program's score by "taking the mean of the coach
//! scores and rounding half up (4.5 → 5)".

/// Rounds `x` to `places` decimals, half away from zero, **on its decimal value**: the
/// shortest decimal text that reads back as `x` (what a person sees, e.g. `2.675`) is rounded,
/// not the binary number behind it (which for 2.675 is a hair below). So 2.675 → 2.68 and
/// 1.005 → 1.01, as on paper. Non-finite numbers are returned unchanged.
pub fn round_decimal(x: f64, places: u32) -> f64 {
    if !x.is_finite() || places > 9 {
        return x;
    }
    // Rust prints the shortest text that parses back to the same f64, never in exponent form.
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let places = places as usize;
    if frac.len() <= places || int.len() > 20 {
        return x;
    }
    let kept = format!("{int}{}", &frac[..places]);
    let Ok(mut n) = kept.parse::<u128>() else {
        return x;
    };
    if frac.as_bytes()[places] >= b'5' {
        n += 1;
    }
    // An integer divided by a power of ten is correctly rounded: the nearest f64 to the
    // decimal result, which prints back as that decimal.
    let r = n as f64 / 10f64.powi(places as i32);
    if x < 0.0 { -r } else { r }
}

/// The program's score from per-coach scores: their mean, rounded half up (4.5 → 5, 4.49 → 4).
/// Exact integer arithmetic, so no mean of whole scores is ever misrounded. `None` for no
/// scores.
pub fn mean_score_half_up(scores: &[u8]) -> Option<u8> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as u64;
    let sum: u64 = scores.iter().map(|&s| u64::from(s)).sum();
    // floor(sum / n + 1/2) = floor((2 sum + n) / 2n)
    Some(((2 * sum + n) / (2 * n)) as u8)
}

/// Arithmetic mean; `None` for no values.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0u64), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_the_decimal_value_half_away_from_zero() {
        assert_eq!(round_decimal(14.5, 2), 14.5);
        assert_eq!(round_decimal(2.675, 2), 2.68);
        assert_eq!(round_decimal(1.005, 2), 1.01);
        assert_eq!(round_decimal(-1.005, 2), -1.01);
        assert_eq!(round_decimal(2.0 / 3.0, 2), 0.67);
        assert_eq!(round_decimal(1.0 / 3.0, 4), 0.3333);
        assert_eq!(round_decimal(0.41235, 4), 0.4124);
        assert_eq!(round_decimal(0.00004, 4), 0.0);
        assert_eq!(round_decimal(99.995, 2), 100.0);
        assert_eq!(round_decimal(20.004, 2), 20.0);
    }

    #[test]
    fn mean_of_scores_rounds_half_up() {
        assert_eq!(mean_score_half_up(&[4, 5]), Some(5));
        assert_eq!(mean_score_half_up(&[4, 4, 5]), Some(4));
        assert_eq!(mean_score_half_up(&[1, 2]), Some(2));
        assert_eq!(mean_score_half_up(&[]), None);
        // 49 fives and 51 fours: mean 4.49 → 4.
        let mut s = vec![5u8; 49];
        s.extend([4u8; 51]);
        assert_eq!(mean_score_half_up(&s), Some(4));
    }
}
