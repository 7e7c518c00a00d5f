//! Decimal amounts as the chain writes them (`LegacyDec`: 18 fractional digits), held as
//! integers scaled by 10^18 so that sums and products are exact.

use leasekit_sdl::units::Dec;

/// 10^18: one whole unit of a `LegacyDec`.
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// Parses non-negative decimal text (`0.025`, `1000`, `1.000000000000000000`) to a scaled
/// integer; `None` for negatives, malformed text or values beyond `u128`.
#[must_use]
pub fn parse_dec(text: &str) -> Option<u128> {
    let dec = Dec::parse(text.trim()).ok()?;
    if dec.is_negative() {
        return None;
    }
    dec.scaled_digits().parse().ok()
}

/// A scaled integer as the shortest exact decimal text: `1000`, `0.5`, `0.000000000000000001`.
#[must_use]
pub fn format_dec(scaled: u128) -> String {
    let int = scaled / SCALE;
    let frac = scaled % SCALE;
    if frac == 0 {
        return int.to_string();
    }
    let digits = format!("{frac:018}");
    format!("{int}.{}", digits.trim_end_matches('0'))
}

/// A scaled integer rounded to `places` fractional digits (half up), as text without trailing
/// zeros: for estimates such as a monthly price.
#[must_use]
pub fn format_rounded(scaled: u128, places: u32) -> String {
    let unit = SCALE / 10u128.pow(places.min(18));
    let rounded = scaled.saturating_add(unit / 2) / unit * unit;
    format_dec(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_legacy_decimals() {
        assert_eq!(parse_dec("0.025"), Some(25 * SCALE / 1000));
        assert_eq!(parse_dec("1000"), Some(1000 * SCALE));
        // The chain's REST form of a DecCoin amount (chain.md §1.3: 18 decimals).
        assert_eq!(parse_dec("1.000000000000000000"), Some(SCALE));
        assert_eq!(parse_dec("-1"), None);
        assert_eq!(parse_dec("abc"), None);
        assert_eq!(format_dec(SCALE / 2), "0.5");
        assert_eq!(format_dec(1), "0.000000000000000001");
        assert_eq!(format_dec(1000 * SCALE), "1000");
        assert_eq!(format_rounded(SCALE + SCALE / 3, 2), "1.33");
        assert_eq!(format_rounded(2 * SCALE - 1, 2), "2");
    }
}
