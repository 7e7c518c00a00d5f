//! Text → numbers exactly as Akash's Go reference parses them: Go `strconv` and `time`
//! syntax and error texts, cosmos `LegacyDec`, and amd64 float→integer conversion.
//!
//! All functions return Go's error text on failure; callers attach spans.

use std::fmt::Write as _;

/// Go's `strconv.Quote` for the characters SDL text can contain.
#[must_use]
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                if (c as u32) <= 0xffff {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn syntax_error(func: &str, s: &str) -> String {
    format!("strconv.{func}: parsing {}: invalid syntax", go_quote(s))
}

fn range_error(func: &str, s: &str) -> String {
    format!("strconv.{func}: parsing {}: value out of range", go_quote(s))
}

/// Go `strconv.ParseUint(s, 10, bits)`.
pub fn parse_uint(s: &str, bits: u32) -> Result<u64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax_error("ParseUint", s));
    }
    let max = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    match s.parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(range_error("ParseUint", s)),
    }
}

/// Go `strconv.ParseFloat(s, 64)` for decimal syntax (sign, digits, point, exponent) and
/// `inf`/`infinity`/`nan`. Go's hexadecimal floats (`0x1p4`) are reported as invalid syntax.
pub fn parse_float(s: &str) -> Result<f64, String> {
    let b = s.as_bytes();
    let (sign_len, rest) = match b.first() {
        Some(b'+' | b'-') => (1, &s[1..]),
        _ => (0, s),
    };
    let lower = rest.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(if b[0] == b'-' { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if sign_len == 0 && lower == "nan" {
        return Ok(f64::NAN);
    }
    if !is_go_decimal_float(rest) {
        return Err(syntax_error("ParseFloat", s));
    }
    let value: f64 = s.parse().map_err(|_| syntax_error("ParseFloat", s))?;
    if value.is_infinite() {
        return Err(range_error("ParseFloat", s));
    }
    Ok(value)
}

fn is_go_decimal_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// Go's `uint64(f)` on amd64: CVTTSD2SQ below 2^63; above, `uint64(f - 2^63) | 1<<63`, where
/// CVTTSD2SQ yields the "integer indefinite" 1<<63 for NaN and out-of-range values.
#[must_use]
pub fn f64_to_u64_amd64(f: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    const INDEFINITE: u64 = 1 << 63;
    let cvttsd2sq = |x: f64| -> u64 {
        if x.is_nan() || !(-TWO63..TWO63).contains(&x) { INDEFINITE } else { (x as i64).cast_unsigned() }
    };
    if f < TWO63 { cvttsd2sq(f) } else { cvttsd2sq(f - TWO63) | INDEFINITE }
}

/// Go's `uint32(f)` on amd64: converted through int64 and truncated to 32 bits.
#[must_use]
pub fn f64_to_u32_amd64(f: f64) -> u32 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    let wide = if f.is_nan() || !(-TWO63..TWO63).contains(&f) { 1u64 << 63 } else { (f as i64).cast_unsigned() };
    (wide & 0xffff_ffff) as u32
}

/// The error Go returns for negative CPU units and sizes.
pub const NEGATIVE: &str = "invalid: negative value not allowed";

/// CPU units → millicores: `"100m"` is an integer count of millicores, anything else a float
/// number of cores, truncated to whole millicores.
pub fn cpu_millicores(text: &str) -> Result<u32, String> {
    if let Some(milli) = text.strip_suffix('m') {
        return parse_uint(milli, 32).map(|v| v as u32);
    }
    let cores = parse_float(text)?;
    if cores < 0.0 {
        return Err(NEGATIVE.to_owned());
    }
    Ok(f64_to_u32_amd64(cores * 1000.0))
}

const DECIMAL_SUFFIXES: [(&str, f64); 6] = [("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18)];
const BINARY_SUFFIXES: [(&str, f64); 6] = [
    ("Ki", 1024.0),
    ("Mi", 1_048_576.0),
    ("Gi", 1_073_741_824.0),
    ("Ti", 1_099_511_627_776.0),
    ("Pi", 1_125_899_906_842_624.0),
    ("Ei", 1_152_921_504_606_846_976.0),
];

fn scaled_bytes(text: &str, suffixes: &[(&str, f64)]) -> Result<u64, String> {
    let (number, unit) = suffixes
        .iter()
        .find_map(|(suffix, unit)| text.strip_suffix(suffix).map(|rest| (rest, *unit)))
        .unwrap_or((text, 1.0));
    let value = parse_float(number)?;
    if value < 0.0 {
        return Err(NEGATIVE.to_owned());
    }
    Ok(f64_to_u64_amd64(value * unit))
}

/// A memory or storage size → bytes: `k M G T P E` (powers of 1000) and `Ki Mi Gi Ti Pi Ei`
/// (powers of 1024), case-sensitive; no suffix means bytes.
pub fn size_bytes(text: &str) -> Result<u64, String> {
    let all: Vec<(&str, f64)> = BINARY_SUFFIXES.iter().chain(DECIMAL_SUFFIXES.iter()).copied().collect();
    scaled_bytes(text, &all)
}

/// What the size suffixes are, for a tenant who wrote one Go does not take.
pub const SIZE_SUFFIXES_HINT: &str = "a size is a number and one of the suffixes k, M, G, T, P, E (powers of 1000) or Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), case-sensitive (no suffix means bytes)";

/// The sizes a rejected size text most likely meant, each with whether it is the only reading:
/// a suffix written in the wrong case or with a trailing `B` — `512mi`/`512MiB` → `512Mi` (one
/// reading: the `i` says powers of 1024), `32gb`/`32g` → `32G` or `32Gi` (two readings).
/// Empty when the number itself is not one, or when the suffix is no size suffix at all.
#[must_use]
pub fn size_readings(text: &str) -> Vec<(String, bool)> {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    if suffix.is_empty() || parse_float(number).is_err() {
        return Vec::new();
    }
    let lower = suffix.to_ascii_lowercase();
    let core = lower.strip_suffix('b').unwrap_or(&lower);
    let (letter, binary) = match core.as_bytes() {
        [l] => (*l, false),
        [l, b'i'] => (*l, true),
        _ => return Vec::new(),
    };
    let Some(decimal) =
        DECIMAL_SUFFIXES.iter().map(|(s, _)| *s).find(|s| s.eq_ignore_ascii_case(&(letter as char).to_string()))
    else {
        return Vec::new();
    };
    let binary_suffix = format!("{}i", (letter as char).to_ascii_uppercase());
    let mut readings = if binary {
        vec![(format!("{number}{binary_suffix}"), true)]
    } else {
        vec![(format!("{number}{decimal}"), false), (format!("{number}{binary_suffix}"), false)]
    };
    readings.retain(|(r, _)| r != text);
    readings
}

/// GPU RAM → bytes: binary suffixes only.
pub fn gpu_ram_bytes(text: &str) -> Result<u64, String> {
    scaled_bytes(text, &BINARY_SUFFIXES)
}

/// Go `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig;
    let mut negative = false;
    if let Some(c @ ('-' | '+')) = s.chars().next() {
        negative = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut whole: u64 = 0;
        for &d in &b[..int_len] {
            whole = whole
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
                .filter(|&v| v <= LIMIT)
                .ok_or_else(invalid)?;
        }
        s = &s[int_len..];
        let mut fraction: u64 = 0;
        let mut scale = 1.0f64;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let frac_len = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for d in s[..frac_len].bytes() {
                if overflow {
                    continue;
                }
                match fraction.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))) {
                    Some(v) if v <= LIMIT => {
                        fraction = v;
                        scale *= 10.0;
                    }
                    _ => overflow = true,
                }
            }
            s = &s[frac_len..];
            if int_len == 0 && frac_len == 0 {
                return Err(invalid());
            }
        } else if int_len == 0 {
            return Err(invalid());
        }
        let unit_len = s.bytes().take_while(|&c| !(c == b'.' || c.is_ascii_digit())).count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let unit_text = &s[..unit_len];
        s = &s[unit_len..];
        let unit: u64 = match unit_text {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!("time: unknown unit {} in duration {}", go_quote(unit_text), go_quote(orig)));
            }
        };
        if whole > LIMIT / unit {
            return Err(invalid());
        }
        let mut v = whole * unit;
        if fraction > 0 {
            v += (fraction as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > LIMIT {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// A cosmos `LegacyDec`: a signed decimal with exactly 18 fractional digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dec {
    negative: bool,
    /// The value × 10^18 as decimal digits without leading zeros ("0" for zero).
    scaled: String,
}

/// Fractional digits of a `LegacyDec`.
pub const DEC_PRECISION: usize = 18;

impl Dec {
    /// Parses like cosmos `LegacyNewDecFromStr`, with its error texts.
    pub fn parse(text: &str) -> Result<Dec, String> {
        let (mut negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if body.is_empty() {
            return Err("decimal string cannot be empty".to_owned());
        }
        let parts: Vec<&str> = body.split('.').collect();
        let (mut combined, decimals) = match parts.as_slice() {
            [int] => ((*int).to_owned(), 0),
            [int, frac] => {
                if frac.is_empty() || int.is_empty() {
                    return Err("invalid decimal length".to_owned());
                }
                (format!("{int}{frac}"), frac.len())
            }
            _ => return Err("invalid decimal string".to_owned()),
        };
        if decimals > DEC_PRECISION {
            // Go prints `precision - decimals`, a negative number.
            return Err(format!(
                "value '{body}' exceeds max precision by {} decimal places: max precision {DEC_PRECISION}",
                DEC_PRECISION as i64 - decimals as i64
            ));
        }
        combined.push_str(&"0".repeat(DEC_PRECISION - decimals));
        // big.Int.SetString(s, 10) takes one optional sign, then digits.
        let digits = match combined.as_bytes().first() {
            Some(b'+') => &combined[1..],
            Some(b'-') => {
                negative = !negative;
                &combined[1..]
            }
            _ => combined.as_str(),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("failed to set decimal string with base 10: {combined}"));
        }
        let scaled = digits.trim_start_matches('0');
        let scaled = if scaled.is_empty() { "0" } else { scaled };
        if exceeds_bits(scaled, 316) {
            return Err(format!("decimal '{body}' out of range; bitLen: got {}, max 316", bit_len(scaled)));
        }
        Ok(Dec { negative: negative && scaled != "0", scaled: scaled.to_owned() })
    }

    /// True for zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.scaled == "0"
    }

    /// True below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The value × 10^18 as ASCII digits (the protobuf wire form of `DecCoin.amount`).
    #[must_use]
    pub fn scaled_digits(&self) -> &str {
        &self.scaled
    }

    /// True when `self > whole` (for a non-negative whole number).
    #[must_use]
    pub fn greater_than_whole(&self, whole: u64) -> bool {
        if self.negative {
            return false;
        }
        let limit = format!("{whole}{}", "0".repeat(DEC_PRECISION));
        let limit = limit.trim_start_matches('0');
        (self.scaled.len(), self.scaled.as_str()) > (limit.len(), limit)
    }
}

impl std::fmt::Display for Dec {
    /// Go's `LegacyDec.String()`: `-` for negatives, the integer part, `.`, 18 digits.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let padded = format!("{:0>width$}", self.scaled, width = DEC_PRECISION + 1);
        let (int, frac) = padded.split_at(padded.len() - DEC_PRECISION);
        write!(f, "{}{int}.{frac}", if self.negative { "-" } else { "" })
    }
}

/// Bit length of a decimal number given as digits.
fn bit_len(digits: &str) -> usize {
    // Repeated halving of the decimal digit string.
    let mut n: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut bits = 0;
    while !(n.is_empty() || n.iter().all(|&d| d == 0)) {
        let mut carry = 0;
        for d in &mut n {
            let cur = carry * 10 + *d;
            *d = cur / 2;
            carry = cur % 2;
        }
        while n.first() == Some(&0) {
            n.remove(0);
        }
        bits += 1;
    }
    bits
}

fn exceeds_bits(digits: &str, bits: usize) -> bool {
    // 2^316 has 96 decimal digits; only long inputs need the exact count.
    digits.len() > 90 && bit_len(digits) > bits
}

/// The optimal string alignment distance of two keys (insertions, deletions, substitutions and
/// swaps of neighbours, one edit each), for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best =
                    (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_one_per_edit_and_per_swap() {
        assert_eq!(edit_distance("services", "services"), 0);
        assert_eq!(edit_distance("service", "services"), 1);
        assert_eq!(edit_distance("sevrices", "services"), 1);
        assert_eq!(edit_distance("imgae", "image"), 1);
        assert_eq!(edit_distance("expsoe", "expose"), 1);
        assert_eq!(edit_distance("deploy", "deployment"), 4);
        assert_eq!(edit_distance("", "as"), 2);
    }

    use super::*;

    #[test]
    fn cpu_units_follow_go() {
        assert_eq!(cpu_millicores("100m"), Ok(100));
        assert_eq!(cpu_millicores("1"), Ok(1000));
        assert_eq!(cpu_millicores("0.5"), Ok(500));
        assert_eq!(cpu_millicores("0.01"), Ok(10));
        // 1.001 * 1000 = 1000.9999999999999 in float64, truncated.
        assert_eq!(cpu_millicores("1.001"), Ok(1000));
        assert_eq!(cpu_millicores("0.0005"), Ok(0));
        assert_eq!(cpu_millicores("1e2"), Ok(100_000));
        assert_eq!(size_readings("512mi"), [("512Mi".to_owned(), true)]);
        assert_eq!(size_readings("1.5GiB"), [("1.5Gi".to_owned(), true)]);
        assert_eq!(size_readings("32gb"), [("32G".to_owned(), false), ("32Gi".to_owned(), false)]);
        assert_eq!(size_readings("1K"), [("1k".to_owned(), false), ("1Ki".to_owned(), false)]);
        assert_eq!(size_readings("4kb"), [("4k".to_owned(), false), ("4Ki".to_owned(), false)]);
        assert!(size_readings("80G8").is_empty(), "not a number before the letters");
        assert!(size_readings("1xb").is_empty(), "no such suffix");
        assert!(size_readings("abc").is_empty());
        assert_eq!(cpu_millicores("-100m"), Err("strconv.ParseUint: parsing \"-100\": invalid syntax".to_owned()));
        assert_eq!(cpu_millicores("1.5m"), Err("strconv.ParseUint: parsing \"1.5\": invalid syntax".to_owned()));
        assert_eq!(cpu_millicores("100M"), Err("strconv.ParseFloat: parsing \"100M\": invalid syntax".to_owned()));
        assert_eq!(cpu_millicores("-1"), Err(NEGATIVE.to_owned()));
        assert_eq!(cpu_millicores(""), Err("strconv.ParseFloat: parsing \"\": invalid syntax".to_owned()));
        assert_eq!(
            cpu_millicores("99999999999m"),
            Err("strconv.ParseUint: parsing \"99999999999\": value out of range".to_owned())
        );
    }

    #[test]
    fn sizes_follow_go() {
        assert_eq!(size_bytes("512Mi"), Ok(536_870_912));
        assert_eq!(size_bytes("1Gi"), Ok(1_073_741_824));
        assert_eq!(size_bytes("0.5M"), Ok(500_000));
        assert_eq!(size_bytes("1.5Gi"), Ok(1_610_612_736));
        assert_eq!(size_bytes("1048576"), Ok(1_048_576));
        assert_eq!(size_bytes("2k"), Ok(2000));
        assert_eq!(size_bytes("80G8"), Err("strconv.ParseFloat: parsing \"80G8\": invalid syntax".to_owned()));
        assert_eq!(size_bytes("1K"), Err("strconv.ParseFloat: parsing \"1K\": invalid syntax".to_owned()));
        assert_eq!(size_bytes("-1Gi"), Err(NEGATIVE.to_owned()));
        assert_eq!(gpu_ram_bytes("81920Mi"), Ok(80 << 30));
        assert!(gpu_ram_bytes("80G").is_err());
    }

    #[test]
    fn floats_follow_go_syntax() {
        assert_eq!(parse_float("1."), Ok(1.0));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("+2"), Ok(2.0));
        assert_eq!(parse_float("Inf"), Ok(f64::INFINITY));
        assert!(parse_float("NaN").is_ok_and(f64::is_nan));
        assert!(parse_float("+nan").is_err());
        assert!(parse_float("1_000").is_err());
        assert!(parse_float(".").is_err());
        assert!(parse_float("1e").is_err());
        assert_eq!(parse_float("1e400"), Err("strconv.ParseFloat: parsing \"1e400\": value out of range".to_owned()));
    }

    #[test]
    fn amd64_conversions() {
        assert_eq!(f64_to_u32_amd64(1e13), (10_000_000_000_000u64 & 0xffff_ffff) as u32);
        assert_eq!(f64_to_u32_amd64(f64::INFINITY), 0);
        assert_eq!(f64_to_u64_amd64(1e19), 10_000_000_000_000_000_000);
        assert_eq!(f64_to_u64_amd64(f64::NAN), 1 << 63);
    }

    #[test]
    fn durations_follow_go() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("300ms"), Ok(300_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("0s"), Ok(0));
        assert_eq!(parse_duration("-1s"), Ok(-1_000_000_000));
        assert_eq!(parse_duration("abc"), Err("time: invalid duration \"abc\"".to_owned()));
        assert_eq!(parse_duration("1"), Err("time: missing unit in duration \"1\"".to_owned()));
        assert_eq!(parse_duration("1x"), Err("time: unknown unit \"x\" in duration \"1x\"".to_owned()));
        assert_eq!(parse_duration(""), Err("time: invalid duration \"\"".to_owned()));
        assert_eq!(parse_duration("3000000h"), Err("time: invalid duration \"3000000h\"".to_owned()));
    }

    #[test]
    fn legacy_dec_follows_cosmos() {
        let d = Dec::parse("200").expect("dec");
        assert_eq!(d.to_string(), "200.000000000000000000");
        assert_eq!(d.scaled_digits(), "200000000000000000000");
        assert_eq!(Dec::parse("0.7").expect("dec").to_string(), "0.700000000000000000");
        assert_eq!(Dec::parse("-1").expect("dec").to_string(), "-1.000000000000000000");
        assert!(Dec::parse("0").expect("dec").is_zero());
        assert_eq!(Dec::parse(""), Err("decimal string cannot be empty".to_owned()));
        assert_eq!(Dec::parse("1."), Err("invalid decimal length".to_owned()));
        assert_eq!(Dec::parse(".5"), Err("invalid decimal length".to_owned()));
        assert_eq!(Dec::parse("1.2.3"), Err("invalid decimal string".to_owned()));
        assert_eq!(
            Dec::parse("1e3"),
            Err("failed to set decimal string with base 10: 1e3000000000000000000".to_owned())
        );
        assert_eq!(
            Dec::parse("0.0000000000000000001"),
            Err("value '0.0000000000000000001' exceeds max precision by -1 decimal places: max precision 18".to_owned())
        );
        assert!(Dec::parse("10000000.000000000000000001").expect("dec").greater_than_whole(10_000_000));
        assert!(!Dec::parse("10000000").expect("dec").greater_than_whole(10_000_000));
        assert!(Dec::parse(&"9".repeat(100)).is_err());
        assert_eq!(bit_len("8"), 4);
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }
}
