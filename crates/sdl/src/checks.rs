//! Go phases 6 (`ValidateDeploymentGroups`: the chain's resource, total and price limits)
//! and 7 (`Manifest.Validate`: the provider's rules on names, images, env, ports, hosts).

use crate::map::HashSet;

use crate::diagnostic::{Code, Diagnostic, Sink};
use crate::groups::Built;
use crate::model::Sdl;
use crate::output::Attribute;
use crate::span::Span;
use crate::units::go_quote;

/// Chain limits (Akash `deployment/v1beta4` and `resources/v1beta4`).
pub mod limits {
    /// Millicores per unit.
    pub const CPU: (u64, u64) = (10, 384_000);
    /// GPUs per unit.
    pub const GPU_MAX: u64 = 24;
    /// Bytes of memory per unit.
    pub const MEMORY: (u64, u64) = (1_048_576, 2_199_023_255_552);
    /// Bytes per storage volume.
    pub const STORAGE: (u64, u64) = (5_242_880, 35_184_372_088_832);
    /// Millicores per group.
    pub const TOTAL_CPU: u64 = 19_200_000;
    /// GPUs per group.
    pub const TOTAL_GPU: u64 = 1_200;
    /// Bytes of memory per group.
    pub const TOTAL_MEMORY: u64 = 109_951_162_777_600;
    /// Price per unit.
    pub const PRICE: u64 = 10_000_000;
    /// The one denomination new deployments may be priced in: Akash chain v2.0 (BME) refuses a
    /// `MsgCreateDeployment` whose prices are not in uact (the Akash Compute Token, ACT).
    pub const PRICE_DENOM: &str = "uact";
    /// The reclamation windows the chain takes, in seconds: Akash v2.1's market params
    /// `min_reclamation_window` and `max_reclamation_window` at their defaults (1 h, 720 h).
    pub const RECLAMATION_WINDOW: (i64, i64) = (3_600, 720 * 3_600);
}

/// The attribute key rule: `^([a-zA-Z][\w\/\.\-]{1,126}[\w\*]?)$`, keys unique.
pub(crate) fn validate_attribute_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Result<(), &'static str> {
    let mut seen: HashSet<&str> = HashSet::default();
    let body = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'/' | b'.' | b'-');
    for key in keys {
        let b = key.as_bytes();
        let rest = b.get(1..).unwrap_or_default();
        // Either 1–126 body characters, or 1–126 body characters and one of [\w*].
        let plain = (1..=126).contains(&rest.len()) && rest.iter().all(body);
        let starred = (2..=127).contains(&rest.len())
            && rest[..rest.len() - 1].iter().all(body)
            && (rest[rest.len() - 1].is_ascii_alphanumeric() || matches!(rest[rest.len() - 1], b'_' | b'*'));
        if !(b.first().is_some_and(u8::is_ascii_alphabetic) && (plain || starred)) {
            return Err("attribute key does not match regexp");
        }
        if !seen.insert(key) {
            return Err("attributes cannot have duplicate keys");
        }
    }
    Ok(())
}

/// The cosmos denom rule `^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$`.
pub(crate) fn is_valid_denom(denom: &str) -> bool {
    let b = denom.as_bytes();
    (3..=128).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b':' | b'.' | b'_' | b'-'))
}

fn attributes_error(attrs: &[Attribute]) -> Option<&'static str> {
    validate_attribute_keys(attrs.iter().map(|a| a.key.as_str())).err()
}

/// Phase 6.
pub(crate) fn validate_groups(sdl: &Sdl, built: &Built, sink: &mut Sink) {
    // Groups can be missing because of errors already reported; Go's "Invalid groups" is for a
    // deployment that deploys nothing at all.
    let deploys_nothing = sdl.deployment.values().all(|d| d.placements.is_empty());
    if built.groups.is_empty() && deploys_nothing {
        let span = if sdl.deployment_span == Span::default() { Span::new(0, 0) } else { sdl.deployment_span };
        sink.push(
            Diagnostic::error(Code::NoGroups, span, "nothing is deployed: `deployment` places no service")
                .with_go("Invalid groups")
                .with_hint("deploy at least one service under `deployment`"),
        );
        return;
    }
    if built.groups.is_empty() {
        return;
    }
    let first_denom = built.groups[0].resources.first().map(|u| u.price.denom.clone()).unwrap_or_default();
    for (group, origins) in built.groups.iter().zip(&built.origins) {
        let mut denoms = group.resources.iter().map(|u| (u.price.denom.as_str(), u));
        if let Some((denom, _)) = denoms.next() {
            if let Some((other, unit)) = denoms.find(|(d, _)| *d != denom) {
                let span = origins.get(unit.resource.id as usize - 1).map_or_else(Span::default, |o| o.price_span);
                sink.push(
                    Diagnostic::error(
                        Code::MixedDenoms,
                        span,
                        format!(
                            "group {}: prices in {denom} and {other}: one group must use one denomination",
                            go_quote(&group.name)
                        ),
                    )
                    .with_hint("Akash's Go reference crashes on this input"),
                );
            } else if denom != first_denom {
                let span = origins.first().map_or_else(Span::default, |o| o.price_span);
                sink.push(
                    Diagnostic::error(
                        Code::MixedDenoms,
                        span,
                        format!("group {} is priced in {denom}, another group in {first_denom}: a deployment is priced in one denomination", go_quote(&group.name)),
                    )
                    .with_go(format!("inconsistent group denomination: {first_denom} != {denom}: invalid price")),
                );
            }
        }
        let (mut cpu, mut gpu, mut memory) = (0u64, 0u64, 0u64);
        // Totals are checked only when every unit passed its own limits: a unit error already
        // says what is wrong, and its totals would repeat it.
        let errors_before = sink.error_count();
        let mut any_broken = false;
        for (unit, origin) in group.resources.iter().zip(origins) {
            let r = &unit.resource;
            let count = u64::from(unit.count);
            any_broken |= origin.broken;
            if !origin.broken {
                unit_limits(r, origin.span, sink);
            }
            cpu += r.cpu.as_ref().map_or(0, |c| u64::from(c.millicores)) * count;
            gpu += u64::from(r.gpu.units) * count;
            memory += r.memory.as_ref().map_or(0, |m| m.bytes).saturating_mul(count);
        }
        if !any_broken && sink.error_count() == errors_before {
            group_totals(group, origins, Totals { cpu, gpu, memory }, sink);
        }
        for (unit, origin) in group.resources.iter().zip(origins) {
            if unit.price.amount.greater_than_whole(limits::PRICE) {
                sink.push(
                    Diagnostic::error(
                        Code::PriceLimit,
                        origin.price_span,
                        format!(
                            "a price of {} {} is above the chain's limit of {} per block",
                            unit.price.amount,
                            unit.price.denom,
                            limits::PRICE
                        ),
                    )
                    .with_go(format!(
                        "group {}: error: invalid unit price ({} > {}{} fails)",
                        group.name,
                        limits::PRICE,
                        unit.price.amount,
                        unit.price.denom
                    )),
                );
            }
        }
    }
}

/// Group totals. Storage has none: the chain's `resourceLimits.add` leaves storage out, so Go
/// never checks a storage total.
struct Totals {
    cpu: u64,
    gpu: u64,
    memory: u64,
}

fn group_totals(group: &crate::output::GroupSpec, origins: &[crate::groups::UnitOrigin], t: Totals, sink: &mut Sink) {
    let span = origins.first().map_or_else(Span::default, |o| o.span);
    if group.resources.iter().all(|u| u.count == 0) {
        // Go reports the zero CPU total first; memory is zero for the same reason.
        let count_span = origins.first().map_or(span, |o| o.count_span);
        sink.push(
            Diagnostic::error(
                Code::GroupLimit,
                count_span,
                format!("group {} deploys nothing: every count is 0", go_quote(&group.name)),
            )
            .with_go(format!("invalid total CPU ({} > 0 > 0 fails)", limits::TOTAL_CPU))
            .with_hint(format!(
                "every service in group {} has count 0; deploy at least one replica",
                go_quote(&group.name)
            )),
        );
        return;
    }
    if t.cpu == 0 || t.cpu > limits::TOTAL_CPU {
        sink.push(
            Diagnostic::error(
                Code::GroupLimit,
                span,
                format!(
                    "group {} asks for {} in total: the chain allows up to {} per group",
                    go_quote(&group.name),
                    cpu_text(t.cpu),
                    cpu_text(limits::TOTAL_CPU)
                ),
            )
            .with_go(format!("invalid total CPU ({} > {} > 0 fails)", limits::TOTAL_CPU, t.cpu))
            .with_hint(format!(
                "group {}: CPU × count must be in 10m..{}m",
                go_quote(&group.name),
                limits::TOTAL_CPU
            )),
        );
    }
    if t.gpu > limits::TOTAL_GPU {
        sink.push(
            Diagnostic::error(
                Code::GroupLimit,
                span,
                format!(
                    "group {} asks for {} GPUs in total: the chain allows up to {} per group",
                    go_quote(&group.name),
                    t.gpu,
                    limits::TOTAL_GPU
                ),
            )
            .with_go(format!("invalid total GPU ({} > {} > 0 fails)", limits::TOTAL_GPU, t.gpu)),
        );
    }
    if t.memory == 0 || t.memory > limits::TOTAL_MEMORY {
        sink.push(
            Diagnostic::error(
                Code::GroupLimit,
                span,
                format!(
                    "group {} asks for {} of memory in total: the chain allows 1 byte to {} per group",
                    go_quote(&group.name),
                    size_text(t.memory),
                    size_text(limits::TOTAL_MEMORY)
                ),
            )
            .with_go(format!("invalid total memory ({} > {} > 0 fails)", limits::TOTAL_MEMORY, t.memory)),
        );
    }
}

fn unit_limits(r: &crate::output::Resources, span: Span, sink: &mut Sink) {
    let mut fail =
        |plain: String, go: String| sink.push(Diagnostic::error(Code::ResourceLimit, span, plain).with_go(go));
    match &r.cpu {
        None => fail(
            "the profile has no `cpu`: give it `cpu: {units: 0.5}`".to_owned(),
            "error: invalid unit CPU, cannot be nil".to_owned(),
        ),
        Some(cpu) => {
            let v = u64::from(cpu.millicores);
            if v < limits::CPU.0 || v > limits::CPU.1 {
                fail(
                    format!(
                        "{} of CPU is outside the chain's range of {} to {} per service",
                        cpu_text(v),
                        cpu_text(limits::CPU.0),
                        cpu_text(limits::CPU.1)
                    ),
                    format!("error: invalid unit CPU ({} > {v} > {} fails)", limits::CPU.1, limits::CPU.1),
                );
            }
            if let Some(e) = attributes_error(&cpu.attributes) {
                fail(format!("the CPU attributes are invalid: {e}"), format!("error: invalid CPU attributes: {e}"));
            }
        }
    }
    if u64::from(r.gpu.units) > limits::GPU_MAX {
        fail(
            format!("{} GPUs is more than the chain's limit of {} per service", r.gpu.units, limits::GPU_MAX),
            format!("error: invalid unit GPU ({} > {} > {} fails)", limits::GPU_MAX, r.gpu.units, limits::GPU_MAX),
        );
    }
    if r.gpu.units == 0 && !r.gpu.attributes.is_empty() {
        fail(
            "GPU attributes with `units: 0`: set the number of GPUs, or remove the attributes".to_owned(),
            "error: invalid GPU state. attributes cannot be present if units == 0".to_owned(),
        );
    }
    match &r.memory {
        None => fail(
            "the profile has no `memory`: give it `memory: {size: 512Mi}`".to_owned(),
            "error: invalid unit memory, cannot be nil".to_owned(),
        ),
        Some(m) if m.bytes < limits::MEMORY.0 || m.bytes > limits::MEMORY.1 => {
            fail(
                format!(
                    "{} of memory is outside the chain's range of {} to {} per service",
                    size_text(m.bytes),
                    size_text(limits::MEMORY.0),
                    size_text(limits::MEMORY.1)
                ),
                format!("error: invalid unit memory ({} > {} > {} fails)", limits::MEMORY.1, m.bytes, limits::MEMORY.1),
            );
        }
        Some(_) => {}
    }
    if r.storage.is_empty() {
        fail(
            "the profile has no `storage`: give it `storage: {size: 1Gi}`".to_owned(),
            "error: invalid unit storage, cannot be nil".to_owned(),
        );
    }
    for v in &r.storage {
        if v.bytes < limits::STORAGE.0 || v.bytes > limits::STORAGE.1 {
            fail(
                format!(
                    "volume {} of {} is outside the chain's range of {} to {}",
                    go_quote(&v.name),
                    size_text(v.bytes),
                    size_text(limits::STORAGE.0),
                    size_text(limits::STORAGE.1)
                ),
                format!(
                    "error: invalid unit storage ({} > {} > {} fails)",
                    limits::STORAGE.1,
                    v.bytes,
                    limits::STORAGE.0
                ),
            );
        }
        if let Some(e) = v.attributes.as_deref().and_then(attributes_error) {
            fail(format!("the storage attributes are invalid: {e}"), format!("error: invalid Storage attributes: {e}"));
        }
    }
}

/// Millicores as an author writes CPU: `0.5 CPU`, `384 CPU`.
fn cpu_text(millicores: u64) -> String {
    let (whole, rest) = (millicores / 1000, millicores % 1000);
    if rest == 0 {
        format!("{whole} CPU")
    } else {
        format!("{whole}.{}", format!("{rest:03}").trim_end_matches('0')) + " CPU"
    }
}

/// Bytes in the largest binary unit that divides them (`512Mi`, `2Ti`), else in bytes.
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"];
    for (i, unit) in UNITS.iter().enumerate() {
        let size = 1u64 << (10 * (6 - i));
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// `^[a-z]([-a-z0-9]*[a-z0-9])?$`
fn is_valid_service_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.last().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// `^[-._a-zA-Z][-._a-zA-Z0-9]*$`, not `.` or `..`, not starting with `..`.
fn is_valid_env_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || matches!(b[0], b'-' | b'.' | b'_'))
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
        && name != "."
        && !name.starts_with("..")
}

/// A lowercase RFC 1123 subdomain of at most 253 characters (Kubernetes `IsDNS1123Subdomain`).
fn is_valid_hostname(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
                && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// Phase 7.
pub(crate) fn validate_manifest(sdl: &Sdl, built: &Built, sink: &mut Sink) {
    if built.manifest.groups.is_empty() {
        return; // nothing deployed, or earlier errors dropped every group
    }
    let mut hosts: HashSet<&str> = HashSet::default();
    // Judged on the SDL, not the manifest: an expose dropped for an error reported earlier
    // would otherwise look like a missing global one.
    let any_global = sdl
        .deployment
        .keys()
        .filter_map(|name| sdl.services.get(name))
        .any(|s| s.expose.iter().any(|e| e.to.iter().any(|t| t.global)));
    for (group, origins) in built.manifest.groups.iter().zip(&built.expose_origins) {
        for (service, expose_origins) in group.services.iter().zip(origins) {
            let Some(input) = sdl.services.get(&service.name) else { continue };
            let name = &service.name;
            if name.is_empty() {
                sink.push(
                    Diagnostic::error(Code::InvalidServiceName, input.key, "a service needs a name")
                        .with_go("invalid manifest: service name is empty"),
                );
            } else if !is_valid_service_name(name) {
                sink.push(
                    Diagnostic::error(
                        Code::InvalidServiceName,
                        input.key,
                        format!("{} is not a service name: lowercase letters, digits and -, starting with a letter and not ending with -", go_quote(name)),
                    )
                    .with_go(format!("invalid manifest: service {} name is invalid", go_quote(name)))
                        .with_hint("service names are lowercase letters, digits and -, starting with a letter and not ending with -"),
                );
            }
            if service.image.trim().is_empty() {
                let span = if input.image.span == Span::default() { input.key } else { input.image.span };
                sink.push(
                    Diagnostic::error(
                        Code::EmptyImage,
                        span,
                        format!("service {} has no image: give it `image:` (e.g. nginx:1.27)", go_quote(name)),
                    )
                    .with_go(format!("invalid manifest: service {} has empty image name", go_quote(name))),
                );
            }
            for env in input.env.iter().flatten() {
                let var = env.value.split('=').next().unwrap_or_default();
                if !is_valid_env_name(var) {
                    sink.push(
                        Diagnostic::error(
                            Code::InvalidEnvName,
                            env.span,
                            format!("{} is not an environment variable name: letters, digits, -, . and _, not starting with a digit; write NAME=value", go_quote(var)),
                        )
                        .with_go(format!(
                            "invalid manifest: service {} defines an env. var. with an invalid name {}",
                            go_quote(name),
                            go_quote(var)
                        )),
                    );
                }
            }
            for (expose, &origin) in service.expose.iter().zip(expose_origins) {
                let source = &input.expose[origin];
                if (expose.port == 0 || expose.port > 65535) && !sdl.broken.contains(&source.port.span) {
                    let span = if source.port.span == Span::default() { source.span } else { source.port.span };
                    sink.push(
                        Diagnostic::error(
                            Code::InvalidPort,
                            span,
                            format!("port {} is not a port: ports are 1 to 65535", expose.port),
                        )
                        .with_go(format!(
                            "invalid manifest: service {}: port value must be 0 < value <= 65535 ",
                            go_quote(name)
                        )),
                    );
                }
                for (host, spanned) in expose.hosts.iter().flatten().zip(source.accept.iter().flatten()) {
                    if !is_valid_hostname(host) {
                        sink.push(
                            Diagnostic::error(
                                Code::InvalidHostname,
                                spanned.span,
                                format!(
                                    "{} is not a host name: lowercase letters, digits, - and dots (example.com)",
                                    go_quote(host)
                                ),
                            )
                            .with_go(format!(
                                "invalid manifest: service {}: has invalid hostname {}",
                                go_quote(name),
                                go_quote(host)
                            )),
                        );
                    } else if !hosts.insert(host) {
                        sink.push(
                            Diagnostic::error(
                                Code::DuplicateHostname,
                                spanned.span,
                                format!("host name {} is accepted twice: a host name may appear once in a deployment", go_quote(host)),
                            )
                            .with_go(format!("invalid manifest: service {}: hostname {} is duplicated, this is not allowed", go_quote(name), go_quote(host)))
                            .with_hint("an accept hostname may appear once in the whole deployment (an expose with several `to` entries, or a service in several placements, repeats it)"),
                        );
                    }
                }
            }
        }
    }
    if !any_global {
        sink.push(
            Diagnostic::error(
                Code::NoGlobalExpose,
                sdl.deployment_span,
                "nothing is reachable from the internet: no expose is `global: true`",
            )
            .with_go("invalid manifest: zero global services")
            .with_hint("expose at least one port with `to: [{global: true}]`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_keys() {
        let ok = |k: &str| validate_attribute_keys([k].into_iter()).is_ok();
        assert!(ok("vendor/nvidia/model/*"));
        assert!(ok("vendor/nvidia/model/a100/ram/80Gi/interface/pcie"));
        assert!(ok("persistent"));
        assert!(ok("ab"));
        assert!(!ok("a"));
        assert!(!ok("1abc"));
        assert!(!ok("a b"));
        assert!(!ok("a**"));
        assert!(ok(&format!("a{}", "b".repeat(127))));
        assert!(!ok(&format!("a{}", "b".repeat(128))));
        assert!(ok(&format!("a{}*", "b".repeat(126))));
        assert!(!ok(&format!("a{}*", "b".repeat(127))));
        assert_eq!(validate_attribute_keys(["ab", "ab"].into_iter()), Err("attributes cannot have duplicate keys"));
    }

    #[test]
    fn names() {
        assert!(is_valid_denom("uakt"));
        assert!(is_valid_denom("ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"));
        assert!(!is_valid_denom("ab"));
        assert!(!is_valid_denom("1abc"));
        assert!(is_valid_service_name("web-1"));
        assert!(!is_valid_service_name("web-"));
        assert!(!is_valid_service_name("Web"));
        assert!(is_valid_env_name("A_B.c-d"));
        assert!(!is_valid_env_name(".."));
        assert!(!is_valid_env_name("..a"));
        assert!(!is_valid_env_name("1A"));
        assert!(is_valid_hostname("a-b.example.com"));
        assert!(!is_valid_hostname("*.example.com"));
        assert!(!is_valid_hostname("Example.com"));
    }
}
