//! The IP plan: provider.md §4.6 and §7 vectors, the conformance fixtures' sequence numbers
//! (sdl.md §5.5), provider-rule conflicts (§5.1) and warnings (§5).

use std::path::{Path, PathBuf};

use leasekit_ipalloc::{J, JsonExt, Plan, plan};

fn sdl(services: &str, deployment: &str, endpoints: &str, placements: &[&str]) -> String {
    let mut placement = String::new();
    for p in placements {
        placement.push_str(&format!(
            "    {p}:\n      pricing:\n        small:\n          denom: uakt\n          amount: 100\n"
        ));
    }
    format!(
        "version: \"2.0\"\nservices:\n{services}profiles:\n  compute:\n    small:\n      resources:\n        cpu:\n          units: 0.1\n        memory:\n          size: 128Mi\n        storage:\n          size: 512Mi\n  placement:\n{placement}deployment:\n{deployment}endpoints:\n{endpoints}"
    )
}

fn web(name: &str, exposes: &str) -> String {
    format!("  {name}:\n    image: nginx\n    expose:\n{exposes}")
}

fn ip_expose(port: u32, extra: &str, ip: &str) -> String {
    format!("      - port: {port}\n{extra}        to:\n          - global: true\n            ip: {ip}\n")
}

fn deploy(service: &str, placement: &str, count: u32) -> String {
    format!("  {service}:\n    {placement}:\n      profile: small\n      count: {count}\n")
}

fn ok(yaml: &str) -> Plan {
    match plan(yaml) {
        Ok(p) => p,
        Err(d) => panic!("invalid SDL: {:?}", d.all().iter().map(|d| &d.message).collect::<Vec<_>>()),
    }
}

fn needs(p: &Plan) -> Vec<(String, usize)> {
    p.groups.iter().map(|g| (g.name.clone(), g.ips_needed)).collect()
}

fn sequence(p: &Plan) -> Vec<(String, u32)> {
    p.endpoints.iter().map(|e| (e.name.clone(), e.sequence_number)).collect()
}

/// provider.md §7.7: `deployment-v2-multi-ip-endpoint.yaml` needs 2 IPs, the multi-groups one 1 + 1;
/// replica count never matters (§7.3, count 33).
#[test]
fn ips_needed_per_order() {
    let services =
        web("web", &ip_expose(80, "", "meow")) + &web("anotherweb", &ip_expose(80, "        as: 81\n", "kittens"));
    let endpoints = "  meow:\n    kind: ip\n  kittens:\n    kind: ip\n";
    let one_group = ok(&sdl(
        &services,
        &(deploy("web", "global", 1) + &deploy("anotherweb", "global", 33)),
        endpoints,
        &["global"],
    ));
    assert_eq!(needs(&one_group), [("global".to_owned(), 2)]);
    // sdl.md §5.5: kittens sorts first.
    assert_eq!(sequence(&one_group), [("kittens".to_owned(), 1), ("meow".to_owned(), 2)]);

    let two_groups = ok(&sdl(
        &services,
        &(deploy("web", "global", 1) + &deploy("anotherweb", "bob", 1)),
        endpoints,
        &["global", "bob"],
    ));
    assert_eq!(needs(&two_groups), [("bob".to_owned(), 1), ("global".to_owned(), 1)]);
    assert!(two_groups.conflicts.is_empty());
}

/// provider.md §5.1(a): `port: 80` and `port: 8080, as: 80` pass Go's SDL check (raw `as` 0 vs 80)
/// but are one declaration at the provider.
#[test]
fn provider_rule_conflict_with_both_spans() {
    let exposes = ip_expose(80, "", "meow") + &ip_expose(8080, "        as: 80\n", "meow");
    let yaml = sdl(&web("web", &exposes), &deploy("web", "dc", 1), "  meow:\n    kind: ip\n", &["dc"]);
    let p = ok(&yaml);
    assert_eq!(needs(&p), [("dc".to_owned(), 1)]);
    assert_eq!(p.conflicts.len(), 1);
    let c = &p.conflicts[0];
    assert_eq!((c.endpoint.as_str(), c.proto.as_str(), c.external_port), ("meow", "TCP", 80));
    let text = |s: leasekit_sdl::Span| &yaml[s.start as usize..s.end as usize];
    assert!(text(c.kept.span).starts_with("port: 80\n"), "{:?}", text(c.kept.span));
    assert!(text(c.withheld.span).starts_with("port: 8080"), "{:?}", text(c.withheld.span));
    assert_eq!((c.kept.port, c.withheld.port), (80, 8080));

    let json = p.to_json(Some(&yaml)).to_text();
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["conflicts"][0]["withheld"]["externalPort"], 80);
    assert_eq!(v["conflicts"][0]["kept"]["span"]["line"], 6);
    assert_eq!(v["conflicts"][0]["withheld"]["span"]["line"], 10);
    assert_eq!(v["groups"][0]["ipsNeeded"], 1);
    assert_eq!(v["endpoints"][0]["bindings"].as_array().map(Vec::len), Some(2));
}

/// §5.1(c): `proto: tcp` and `proto: TCP` are different keys to Go, one to the provider.
#[test]
fn protocol_spelling_is_one_provider_key() {
    let exposes = ip_expose(53, "        proto: tcp\n", "meow") + &ip_expose(53, "        proto: TCP\n", "meow");
    let yaml = sdl(&web("web", &exposes), &deploy("web", "dc", 1), "  meow:\n    kind: ip\n", &["dc"]);
    let p = ok(&yaml);
    assert_eq!(p.conflicts.len(), 1);
    assert_ne!(p.conflicts[0].kept.span, p.conflicts[0].withheld.span);
}

/// §5.1(b) is Go's own error: `port: 80` and `port: 81` without `as` on one endpoint.
#[test]
fn go_rejects_two_ports_without_as() {
    let exposes = ip_expose(80, "", "meow") + &ip_expose(81, "", "meow");
    let yaml = sdl(&web("web", &exposes), &deploy("web", "dc", 1), "  meow:\n    kind: ip\n", &["dc"]);
    let err = plan(&yaml).expect_err("SDL error");
    assert!(err.has_errors());
}

/// §5 items 5 and 6.
#[test]
fn warnings_for_ingress_and_shared_nodeport() {
    let exposes = ip_expose(80, "", "meow")
        + &ip_expose(53, "        proto: tcp\n", "meow")
        + &ip_expose(53, "        proto: udp\n", "meow");
    let yaml = sdl(&web("web", &exposes), &deploy("web", "dc", 1), "  meow:\n    kind: ip\n", &["dc"]);
    let p = ok(&yaml);
    let codes: Vec<&str> = p.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, ["ip-port-80-is-ingress", "tcp-udp-one-nodeport"]);
    assert!(p.conflicts.is_empty());
    assert_eq!(p.endpoints[0].bindings.len(), 3);
}

/// sdl.md §5.5 Go quirk: a service-to-service `to` adds `""` to the sorted list.
#[test]
fn non_global_to_shifts_sequence_numbers() {
    let db = "  db:\n    image: postgres\n    expose:\n      - port: 5432\n        to:\n          - service: web\n";
    let services = web("web", &ip_expose(80, "", "myip")) + db;
    let yaml = sdl(&services, &(deploy("web", "dc", 1) + &deploy("db", "dc", 1)), "  myip:\n    kind: ip\n", &["dc"]);
    assert_eq!(sequence(&ok(&yaml)), [("myip".to_owned(), 2)]);
}

fn conformance() -> Option<PathBuf> {
    let dir = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"));
    if dir.join("input").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "conformance suite not found at {} (set LEASEKIT_CONFORMANCE)",
        dir.display()
    );
    eprintln!("SKIPPED: conformance suite not found at {} (set LEASEKIT_CONFORMANCE)", dir.display());
    None
}

#[test]
fn conformance_fixture_sequence_numbers() {
    let Some(dir) = conformance() else { return };
    let read = |name: &str| std::fs::read_to_string(dir.join("input").join(name).join("input.yaml")).expect("fixture");

    let p = ok(&read("v2.1/ip-endpoint"));
    assert_eq!(sequence(&p), [("endpoint1".to_owned(), 1), ("endpoint2".to_owned(), 2), ("endpoint3".to_owned(), 3)]);
    assert_eq!(p.groups.iter().map(|g| g.ips_needed).sum::<usize>(), 3);

    // provider.md §7.7: web 80 and anotherweb 80 as 81 on `meow`: one IP, seq 2.
    let p = ok(&read("v2.1/shared-ip"));
    assert_eq!(sequence(&p), [("meow".to_owned(), 2)]);
    assert_eq!(needs(&p), [("global".to_owned(), 1)]);
    let ports: Vec<(&str, u32, u32)> =
        p.endpoints[0].bindings.iter().map(|b| (b.service.as_str(), b.port, b.external_port)).collect();
    assert_eq!(ports, [("anotherweb", 80, 81), ("web", 80, 80)]);
    assert!(p.conflicts.is_empty());

    // Two endpoints: two addresses, created in manifest (port) order; status lists `443` before `80`.
    let out = simulate(&["192.0.2.2", "192.0.2.1"], &read("v2.0/ip-endpoint"));
    assert_eq!(
        out[1]["ips"],
        serde_json::json!({"web": [
            {"Port": 443, "ExternalPort": 443, "Protocol": "TCP", "IP": "192.0.2.2"},
            {"Port": 80, "ExternalPort": 80, "Protocol": "TCP", "IP": "192.0.2.1"}
        ]})
    );
}

fn simulate(pool: &[&str], yaml: &str) -> serde_json::Value {
    let scenario = J::obj(vec![
        ("pool", J::Arr(pool.iter().map(|a| J::s(*a)).collect())),
        (
            "steps",
            J::Arr(vec![
                J::obj(vec![
                    ("op", J::s("deploy")),
                    ("owner", J::s("akash1o")),
                    ("dseq", J::Num(7)),
                    ("sdl", J::s(yaml)),
                ]),
                J::obj(vec![("op", J::s("status")), ("owner", J::s("akash1o")), ("dseq", J::Num(7))]),
            ]),
        ),
    ]);
    serde_json::from_str(&leasekit_ipalloc::simulate(&scenario.to_text())).expect("JSON")
}

/// provider.md §7.6: the e2e SDL (`web` 80 global on `meow`) gives exactly one `ips` entry.
#[test]
fn e2e_lease_status_shape() {
    let exposes = "      - port: 80\n        accept:\n          - test.localhost\n        to:\n          - global: true\n            ip: meow\n";
    let yaml = sdl(&web("web", exposes), &deploy("web", "dc", 1), "  meow:\n    kind: ip\n", &["dc"]);
    let out = simulate(&["192.0.2.1"], &yaml);
    assert_eq!(
        out[1]["ips"],
        serde_json::json!({"web": [{"Port": 80, "ExternalPort": 80, "Protocol": "TCP", "IP": "192.0.2.1"}]})
    );
}
