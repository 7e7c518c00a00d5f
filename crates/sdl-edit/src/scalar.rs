//! Writing scalar values as YAML text.

/// A value for [`Document::set_scalar`](crate::Document::set_scalar).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScalarValue {
    /// A string: written plain when that reads back as the same string, else quoted.
    Str(String),
    /// An integer, written plain.
    Int(i64),
    /// A boolean, written `true` / `false`.
    Bool(bool),
}

/// How the existing scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Single,
    Double,
    Block,
}

/// Words some YAML reader (1.1 or 1.2) resolves to null, a boolean or a special float.
const RESERVED: &[&str] =
    &["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan"];

/// True when `s` written plain reads back as the string `s` in any context (block or flow).
pub(crate) fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.trim() != s || RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything a number could be made of (`1_000`, `0x50`, `1e3`, `1.0.0`) is quoted;
    // `512Mi` is not a number in any YAML.
    let numeric = |c: char| c.is_ascii_hexdigit() || "_.+-xXoO".contains(c);
    if (first.is_ascii_digit() || "+-.".contains(first)) && s.chars().all(numeric) {
        return false;
    }
    if first == '-' && (s.len() == 1 || s[1..].starts_with(' ')) || "?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    !s.chars().any(|c| c.is_control() || ",[]{}".contains(c) || c == '\u{feff}')
}

/// `s` double-quoted. Go's `strconv.Quote` escapes (`\n`, `\x01`, `\u2028`, ...) are all
/// YAML double-quoted escapes too.
pub(crate) fn double_quoted(s: &str) -> String {
    leasekit_sdl::units::go_quote(s)
}

/// The text for `value` replacing a scalar written in `style`.
pub(crate) fn render(value: &ScalarValue, style: Style) -> String {
    match value {
        ScalarValue::Int(i) => i.to_string(),
        ScalarValue::Bool(b) => b.to_string(),
        ScalarValue::Str(s) => match style {
            Style::Single if !s.chars().any(char::is_control) => format!("'{}'", s.replace('\'', "''")),
            Style::Plain if plain_ok(s) => s.clone(),
            _ => double_quoted(s),
        },
    }
}

/// True when a scalar with this `value` and `style` already is `new`.
pub(crate) fn same(value: &str, style: Style, new: &ScalarValue) -> bool {
    match new {
        ScalarValue::Str(s) => s == value && (style != Style::Plain || plain_ok(s)),
        ScalarValue::Int(i) => style == Style::Plain && value == i.to_string(),
        ScalarValue::Bool(b) => style == Style::Plain && value == b.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        for s in [
            "80", "0x50", "1e3", "1.0.0", "+1", "true", "yes", "1.0", "null", "~", " a", "a ", "a: b", "a #b", "-",
            "- x", "-1", "*a", "", "a,b", "é\n",
        ] {
            assert!(!plain_ok(s), "{s:?}");
        }
        for s in ["nginx:1.27", "akash", "web-1", "a#b", "é", "512Mi", ".env", "-100m"] {
            assert!(plain_ok(s), "{s:?}");
        }
        assert_eq!(double_quoted("a\"b\\\n\u{1}"), "\"a\\\"b\\\\\\n\\x01\"");
        assert_eq!(render(&ScalarValue::Str("it's".into()), Style::Single), "'it''s'");
    }
}
