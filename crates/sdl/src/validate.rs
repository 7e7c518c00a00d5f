//! Go phase 5 (`validate()`): reclamation, endpoint declarations, references between
//! services, profiles and placements, credentials, the leased-IP rules, and volume mounts.
//! Also the warnings Go has no equivalent for (undeployed services, unused profiles).

use crate::map::{HashMap, HashSet, SortedMap};

use crate::diagnostic::{Code, Diagnostic, Sink};
use crate::model::{Sdl, SdlVersion};
use crate::units::{self, go_quote};

/// `^[a-z]+[-_0-9a-z]+$`
pub(crate) fn is_valid_endpoint_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_lowercase()
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
}

pub(crate) fn validate(version: SdlVersion, sdl: &Sdl, sink: &mut Sink) {
    if let Some(window) = &sdl.reclamation {
        match units::parse_duration(&window.value) {
            Err(e) => sink.push(
                Diagnostic::error(
                    Code::InvalidReclamation,
                    window.span,
                    format!(
                        "{} is not a duration: write a number and a unit (h, m, s), e.g. \"24h\" or \"1h30m\"",
                        go_quote(&window.value)
                    ),
                )
                .with_go(format!("SDL invalid: invalid reclamation min_window {}: {e}", go_quote(&window.value))),
            ),
            Ok(ns) if ns <= 0 => sink.push(
                Diagnostic::error(
                    Code::InvalidReclamation,
                    window.span,
                    "the reclamation window must be longer than zero",
                )
                .with_go("SDL invalid: reclamation min_window must be > 0")
                .with_hint("give a positive duration such as \"24h\" or \"30m\""),
            ),
            Ok(ns) => reclamation_bounds(ns, window, sdl.reclamation_text, sink),
        }
    }

    let mut bad_endpoints: HashSet<&str> = HashSet::default();
    for (name, decl) in &sdl.endpoints {
        let kind = &decl.kind.value;
        let (plain, go) = if !is_valid_endpoint_name(name) {
            (
                format!(
                    "{} is not an endpoint name: a lowercase letter, then lowercase letters, digits, - or _ (2 or more characters)",
                    go_quote(name)
                ),
                format!("SDL invalid: endpoint named {} is not a valid name", go_quote(name)),
            )
        } else if kind.is_empty() {
            (
                format!("endpoint {} has no kind: add `kind: ip`", go_quote(name)),
                format!("SDL invalid: endpoint named {} has no kind", go_quote(name)),
            )
        } else if kind != "ip" {
            (
                format!("endpoint {} has kind {}: the only kind is `ip`", go_quote(name), go_quote(kind)),
                format!("SDL invalid: endpoint named {}, unknown kind {}", go_quote(name), go_quote(kind)),
            )
        } else {
            continue;
        };
        bad_endpoints.insert(name.as_str());
        let span = if is_valid_endpoint_name(name) { decl.kind.span } else { decl.key };
        sink.push(Diagnostic::error(Code::InvalidEndpoint, span, plain).with_go(go).with_hint(
            "endpoint names are 2+ characters: a lowercase letter, then lowercase letters, digits, - or _; the only kind is `ip`",
        ));
    }

    let mut used_endpoints: HashSet<&str> = HashSet::default();
    // Port keys are shared by every service and placement, as in Go.
    // The service and the expose (by its span) that first used an IP port: the same expose seen
    // again is a service deployed to two placements, which Go counts twice.
    let mut ip_ports: HashMap<String, (&str, u32)> = HashMap::default();
    for (svc_name, deployed) in &sdl.deployment {
        for (placement_name, deployment) in &deployed.placements {
            let at = format!("{svc_name}.{placement_name}");
            let profile = &deployment.profile.value;
            let compute = sdl.compute.get(profile);
            match compute {
                None => sink.push(
                    Diagnostic::error(Code::MissingComputeProfile, deployment.profile.span, format!("{at} uses compute profile {}, which `profiles.compute` does not define", go_quote(profile)))
                        .with_go(format!("SDL invalid: {at}: no compute profile named {profile}"))
                        .with_hint(known("compute profiles", sdl.compute.keys())),
                ),
                Some(c) if c.resources.is_none() => sink.push(
                    Diagnostic::error(Code::MissingComputeProfile, c.key, format!("compute profile {} has no resources", go_quote(profile)))
                        .with_hint("Akash's Go reference crashes on this input; give the profile `resources` with cpu, memory and storage"),
                ),
                Some(_) => {}
            }
            match sdl.placement.get(placement_name) {
                None => sink.push(
                    Diagnostic::error(
                        Code::MissingPlacement,
                        deployment.key,
                        format!(
                            "service {} is deployed to placement {}, which `profiles.placement` does not define",
                            go_quote(svc_name),
                            go_quote(placement_name)
                        ),
                    )
                    .with_go(format!("SDL invalid: {at}: no placement profile named {placement_name}"))
                    .with_hint(known("placement profiles", sdl.placement.keys())),
                ),
                Some(p) if !p.pricing.contains_key(profile) && !p.broken_pricing.contains(profile) => sink.push(
                    Diagnostic::error(
                        Code::MissingPricing,
                        p.key,
                        format!(
                            "placement {} has no price for compute profile {}",
                            go_quote(placement_name),
                            go_quote(profile)
                        ),
                    )
                    .with_go(format!("SDL invalid: {at}: no pricing for profile {profile}"))
                    .with_hint(format!(
                        "add `pricing: {{{profile}: {{denom: uact, amount: 1000}}}}` to placement {}",
                        go_quote(placement_name)
                    )),
                ),
                Some(_) => {}
            }
            let Some(service) = sdl.services.get(svc_name) else {
                sink.push(
                    Diagnostic::error(
                        Code::MissingService,
                        deployed.key,
                        format!(
                            "`deployment` deploys service {}, which `services` does not define",
                            go_quote(svc_name)
                        ),
                    )
                    .with_go(format!("SDL invalid: {at}: no service profile named {svc_name}"))
                    .with_hint(known("services", sdl.services.keys())),
                );
                continue;
            };
            if let Some(c) = &service.credentials {
                for (value, field) in [(&c.host, "Host"), (&c.username, "Username"), (&c.password, "Password")] {
                    if value.trim().is_empty() {
                        sink.push(
                            Diagnostic::error(
                                Code::MissingCredentials,
                                c.span,
                                format!("the registry credentials of {} have no `{}`: host, username and password are all needed", go_quote(svc_name), field.to_lowercase()),
                            )
                            .with_go(format!("SDL invalid: {at}: service Credentials missing {field}")),
                        );
                    }
                }
            }

            for expose in &service.expose {
                for to in &expose.to {
                    let ip = &to.ip.value;
                    if ip.is_empty() {
                        continue;
                    }
                    used_endpoints.insert(ip.as_str());
                    if !to.global {
                        let mut diagnostic = Diagnostic::error(
                            Code::IpRequiresGlobal,
                            to.ip.span,
                            format!(
                                "a leased IP serves the internet: a target with `ip: {ip}` must also say `global: true`"
                            ),
                        )
                        .with_go(format!(
                            "SDL invalid: error on {} if an IP is declared the directive must be declared as global",
                            go_quote(svc_name)
                        ))
                        .with_hint("add `global: true` next to `ip:`");
                        diagnostic.fixes.extend(to.global_fix.clone());
                        sink.push(diagnostic);
                        continue;
                    }
                    let Some(decl) = sdl.endpoints.get(ip) else {
                        sink.push(
                            Diagnostic::error(
                                Code::UnknownEndpoint,
                                to.ip.span,
                                format!(
                                    "service {} uses IP endpoint {}, which `endpoints` does not declare",
                                    go_quote(svc_name),
                                    go_quote(ip)
                                ),
                            )
                            .with_go(format!(
                                "SDL invalid: error on service {} no endpoint named {} exists",
                                go_quote(svc_name),
                                go_quote(ip)
                            ))
                            .with_hint(format!("declare it at the top level: `endpoints: {{{ip}: {{kind: ip}}}}`")),
                        );
                        continue;
                    };
                    if bad_endpoints.contains(ip.as_str()) {
                        continue;
                    }
                    if decl.kind.value != "ip" {
                        sink.push(
                            Diagnostic::error(
                                Code::InvalidEndpoint,
                                to.ip.span,
                                format!(
                                    "endpoint {} has kind {}: `ip:` needs an endpoint of kind `ip`",
                                    go_quote(ip),
                                    go_quote(&decl.kind.value)
                                ),
                            )
                            .with_go(format!(
                                "SDL invalid: error on service {} endpoint {} has type {}, should be \"ip\"",
                                go_quote(svc_name),
                                go_quote(ip),
                                go_quote(&decl.kind.value)
                            )),
                        );
                        continue;
                    }
                    // Go keys on the raw `as` (0 when absent) and the raw proto text.
                    let key = format!("{ip}-{}-{}", expose.as_port, expose.proto.value);
                    if let Some(&(other, first_expose)) = ip_ports.get(&key) {
                        let hint = if first_expose == expose.span.start {
                            "Akash counts a service deployed to two placements as using the port twice".to_owned()
                        } else if expose.as_port == 0 {
                            "without `as`, Akash treats every port on this IP as the same external port 0: set `as` on each expose".to_owned()
                        } else {
                            "each port may be used once per IP endpoint; pick another `as` or another endpoint"
                                .to_owned()
                        };
                        sink.push(
                            Diagnostic::error(
                                Code::IpPortInUse,
                                expose.span,
                                if expose.as_port == 0 {
                                    format!("IP endpoint {} already serves a port without `as` (for service {}): Akash counts every such port as the same one", go_quote(ip), go_quote(other))
                                } else {
                                    format!(
                                        "IP endpoint {} already serves port {} ({}) for service {}: a port may be used once per IP",
                                        go_quote(ip),
                                        expose.as_port,
                                        if expose.proto.value.is_empty() { "TCP" } else { expose.proto.value.as_str() },
                                        go_quote(other)
                                    )
                                },
                            )
                            .with_go(format!(
                                "SDL invalid: IP endpoint {} port: {} protocol: {} specified by service {} already in use by {}",
                                go_quote(ip),
                                expose.port.value,
                                expose.proto.value,
                                go_quote(svc_name),
                                go_quote(other)
                            ))
                            .with_hint(hint),
                        );
                    } else {
                        ip_ports.insert(key, (svc_name, expose.span.start));
                    }
                }
            }

            // A profile that failed to decode has partial volumes: checking mounts against
            // them would only echo that error.
            let Some(resources) = compute.filter(|c| !c.broken).and_then(|c| c.resources.as_ref()) else { continue };
            let storage = service.params.as_ref().map(|p| &p.storage);
            let mut mounts: HashMap<&str, &str> = HashMap::default();
            for (volume_name, param) in storage.into_iter().flatten() {
                let Some(volume) = resources.storage.iter().find(|v| v.name == *volume_name) else {
                    sink.push(
                        Diagnostic::error(
                            Code::UnknownVolume,
                            param.key,
                            format!("service {} mounts volume {}, which compute profile {} does not have", go_quote(svc_name), go_quote(volume_name), go_quote(profile)),
                        )
                        .with_go(format!(
                            "SDL invalid: service {} references to no-existing compute volume named {}",
                            go_quote(svc_name),
                            go_quote(volume_name)
                        ))
                        .with_hint(if resources.ignored_storage_name.as_deref() == Some(volume_name.as_str()) {
                            format!(
                                "compute profile {}'s `storage:` is a single mapping, so its volume is `default` whatever its `name:` says: make `storage:` a list to name it {}",
                                go_quote(profile),
                                go_quote(volume_name)
                            )
                        } else {
                            format!(
                                "compute profile {} has volumes: {}",
                                go_quote(profile),
                                resources.storage.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ")
                            )
                        }),
                    );
                    continue;
                };
                let mount = param.mount.value.as_str();
                if !mount.starts_with('/') {
                    sink.push(
                        Diagnostic::error(
                            Code::InvalidMount,
                            param.mount.span,
                            format!("mount point {} is not an absolute path: start it with `/`", go_quote(mount)),
                        )
                        .with_go(format!("SDL invalid: invalid value for \"service.{svc_name}.params.{volume_name}.mount\" parameter. expected absolute path")),
                    );
                    continue;
                }
                if let Some(other) = mounts.get(mount) {
                    sink.push(
                        Diagnostic::error(
                            Code::DuplicateMount,
                            param.mount.span,
                            format!(
                                "volume {} is already mounted at {}: each volume needs a mount point of its own",
                                go_quote(other),
                                go_quote(mount)
                            ),
                        )
                        .with_go(format!(
                            "sdl: duplicated mount point: mount {} already in use by volume {}",
                            go_quote(mount),
                            go_quote(other)
                        )),
                    );
                    continue;
                }
                mounts.insert(mount, volume_name);
                let class = volume.attributes.iter().flatten().find(|a| a.key == "class").map(|a| a.value.as_str());
                if version == SdlVersion::V2_1 && class == Some("ram") && param.read_only.value {
                    sink.push(
                        Diagnostic::error(
                            Code::RamReadOnly,
                            param.read_only.span,
                            format!("volume {} is `ram` (memory), which cannot be mounted read-only: drop `readOnly: true`", go_quote(volume_name)),
                        )
                        .with_go(format!("SDL invalid: services.{svc_name}.params.storage.{volume_name} has readOnly=true which is not allowed for storage class \"ram\"")),
                    );
                }
            }
            if version == SdlVersion::V2_0 && storage.is_none_or(SortedMap::is_empty) {
                let persistent = resources
                    .storage
                    .iter()
                    .find(|v| v.attributes.iter().flatten().any(|a| a.key == "persistent" && a.value == "true"));
                if let Some(volume) = persistent {
                    let v = &volume.name;
                    sink.push(
                        Diagnostic::error(
                            Code::PersistentWithoutMount,
                            service.key,
                            format!("persistent volume {} is never mounted: service {} must mount it (`params.storage.{v}.mount`)", go_quote(v), go_quote(svc_name)),
                        )
                        .with_go(format!("SDL invalid: compute.storage.{v} has persistent=true which requires service.{svc_name}.params.storage.{v} to have mount"))
                        .with_hint(format!("add `params: {{storage: {{{v}: {{mount: /data}}}}}}` to service {}", go_quote(svc_name))),
                    );
                }
            }
        }
    }

    for (name, decl) in &sdl.endpoints {
        if !used_endpoints.contains(name.as_str()) && !bad_endpoints.contains(name.as_str()) {
            sink.push(
                Diagnostic::error(
                    Code::UnusedEndpoint,
                    decl.key,
                    format!("IP endpoint {} is declared but no global expose uses it", go_quote(name)),
                )
                .with_go(format!("SDL invalid: endpoint {} declared but never used", go_quote(name)))
                .with_hint(format!(
                    "reference it from a global expose (`to: [{{global: true, ip: {name}}}]`) or remove it"
                )),
            );
        }
    }

    for (name, service) in &sdl.services {
        if !sdl.deployment.contains_key(name) {
            sink.warning(
                Code::UndeployedService,
                service.key,
                format!("service {} is not deployed; Akash ignores it", go_quote(name)),
            );
        }
    }
    let used: HashSet<&str> =
        sdl.deployment.values().flat_map(|d| d.placements.values().map(|p| p.profile.value.as_str())).collect();
    for (name, profile) in &sdl.compute {
        if !used.contains(name.as_str()) {
            sink.warning(
                Code::UnusedProfile,
                profile.key,
                format!("compute profile {} is not used by any deployment", go_quote(name)),
            );
        }
    }
    let placed: HashSet<&str> = sdl.deployment.values().flat_map(|d| d.placements.keys().map(String::as_str)).collect();
    for (name, profile) in &sdl.placement {
        if !placed.contains(name.as_str()) {
            sink.warning(
                Code::UnusedProfile,
                profile.key,
                format!("placement {} is not used by any deployment", go_quote(name)),
            );
        }
    }
}

/// Go takes any positive window; the chain takes one within its market params' bounds.
fn reclamation_bounds(
    ns: i64,
    window: &crate::model::Spanned<String>,
    text: Option<crate::span::Span>,
    sink: &mut Sink,
) {
    let (min, max) = crate::checks::limits::RECLAMATION_WINDOW;
    let nearest = if ns < min * 1_000_000_000 {
        ("1h", "the shortest")
    } else if ns > max * 1_000_000_000 {
        ("720h", "the longest")
    } else {
        return;
    };
    let mut warning = Diagnostic::warning(
        Code::ChainReclamationWindow,
        window.span,
        format!(
            "a reclamation window of {} is outside the chain's bounds of 1h to 720h: Go accepts it, the chain refuses the deployment",
            go_quote(&window.value)
        ),
    )
    .with_hint("the bounds are the chain's market params `min_reclamation_window` and `max_reclamation_window` at their defaults");
    if let Some(span) = text {
        warning = warning.with_fix(crate::fix::Fix {
            label: format!("Use {}, {} window the chain takes", nearest.0, nearest.1),
            safe: false,
            edits: vec![crate::fix::TextEdit { span, replacement: nearest.0.to_owned() }],
        });
    }
    sink.push(warning);
}

fn known<'a>(what: &str, names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() { format!("no {what} are defined") } else { format!("defined {what}: {}", names.join(", ")) }
}
