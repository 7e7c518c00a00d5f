//! Integer arithmetic for `DecCoin` amounts: the chain's `LegacyDec` is an integer scaled by
//! 10^18, so every price and escrow balance here is a `u128` of "atto" units (1 uact =
//! 10^18). A u128 holds 3.4 × 10^38: 10^20 uact, far more than any devnet balance.

/// 10^18: one whole unit in `LegacyDec` atomics.
pub const SCALE: u128 = 1_000_000_000_000_000_000;

/// Parses the wire form of a DecCoin amount (decimal digits of the scaled integer).
#[must_use]
pub fn parse_wire(text: &str) -> Option<u128> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The JSON form: `"10000.000000000000000000"`.
#[must_use]
pub fn format(scaled: u128) -> String {
    format!("{}.{:018}", scaled / SCALE, scaled % SCALE)
}

/// Parses a JSON-form decimal (`"1.5"`, `"10000.000000000000000000"`) into atto units.
#[must_use]
pub fn parse_decimal(text: &str) -> Option<u128> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() || frac.len() > 18 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u128 = int.parse().ok()?;
    let frac_value: u128 = if frac.is_empty() { 0 } else { format!("{frac:0<18}").parse().ok()? };
    whole.checked_mul(SCALE)?.checked_add(frac_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(format(10_000 * SCALE), "10000.000000000000000000");
        assert_eq!(parse_wire("10000000000000000000000"), Some(10_000 * SCALE));
        assert_eq!(parse_decimal("1.5"), Some(SCALE + SCALE / 2));
        assert_eq!(parse_decimal("x"), None);
        assert_eq!(parse_wire(""), None);
    }
}
