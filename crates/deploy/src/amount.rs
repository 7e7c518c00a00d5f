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

/// `ACT` for `uact`, `AKT` for `uakt`: the whole unit (10^6 micro-units).
#[must_use]
pub fn whole_denom(denom: &str) -> Option<&'static str> {
    match denom {
        "uact" => Some("ACT"),
        "uakt" => Some("AKT"),
        _ => None,
    }
}

/// An amount as a person reads it: micro-units in whole ACT or AKT, exact, without trailing
/// zeros (the chain's 18-decimal DecCoin `499988.000000000000000000` uact is `0.499988 ACT`);
/// another denom keeps its name. Text that is not a decimal is shown as it came.
#[must_use]
pub fn for_people(amount: &str, denom: &str) -> String {
    let Some(scaled) = parse_dec(amount) else { return format!("{amount} {denom}") };
    match whole_denom(denom) {
        Some(unit) => format!("{} {unit}", shift_left(&format_dec(scaled), 6)),
        None => format!("{} {denom}", format_dec(scaled)),
    }
}

/// An estimate (a monthly price) as a person reads it: whole ACT or AKT rounded to `places`.
#[must_use]
pub fn estimate_for_people(amount: &str, denom: &str, places: u32) -> String {
    let Some(scaled) = parse_dec(amount) else { return format!("{amount} {denom}") };
    match whole_denom(denom) {
        Some(unit) => format!("≈ {} {unit}", format_rounded(scaled / 1_000_000, places)),
        None => format!("≈ {} {denom}", format_rounded(scaled, places)),
    }
}

/// Moves the decimal point of exact decimal text `places` to the left (micro-units → units),
/// as text so that no digit is lost: `499988` → `0.499988`, `0.5` → `0.0000005`.
fn shift_left(text: &str, places: usize) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let padded = format!("{int:0>width$}", width = places + 1);
    let (whole, moved) = padded.split_at(padded.len() - places);
    let frac = format!("{moved}{frac}");
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { whole.to_owned() } else { format!("{whole}.{frac}") }
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

    #[test]
    fn amounts_for_people_are_whole_tokens_and_exact() {
        // The REST form of an escrow balance: a DecCoin with 18 decimals.
        assert_eq!(for_people("499988.000000000000000000", "uact"), "0.499988 ACT");
        assert_eq!(for_people("500000", "uact"), "0.5 ACT");
        assert_eq!(for_people("5000", "uakt"), "0.005 AKT");
        assert_eq!(for_people("12000000", "uakt"), "12 AKT");
        assert_eq!(for_people("0.5", "uact"), "0.0000005 ACT");
        assert_eq!(for_people("1234567.5", "uact"), "1.2345675 ACT");
        assert_eq!(for_people("0", "uact"), "0 ACT");
        assert_eq!(for_people("7.250000000000000000", "ibc/27394FB0"), "7.25 ibc/27394FB0");
        assert_eq!(for_people("lots", "uact"), "lots uact");
        assert_eq!(estimate_for_people("438292.8", "uact", 2), "≈ 0.44 ACT");
        assert_eq!(estimate_for_people("5260828478", "uact", 2), "≈ 5260.83 ACT");
    }
}
