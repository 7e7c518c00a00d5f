//! The hint of a port collision on an IP endpoint names the cause the author can act on. The
//! three SDLs differ in one respect each, so a hint chosen from the wrong fact shows up here.

fn port_in_use_hint(source: &str) -> String {
    let report = leasekit_sdl::build(source);
    let diagnostic = report
        .diagnostics
        .all()
        .iter()
        .find(|d| d.code.as_str() == "ip-port-in-use")
        .unwrap_or_else(|| panic!("no ip-port-in-use in {:?}", report.diagnostics));
    diagnostic.hint.clone().expect("a hint")
}

fn sdl(exposes: &str, placements: &[&str]) -> String {
    let pricing: String = placements
        .iter()
        .map(|p| format!("    {p}:\n      pricing:\n        web: {{denom: uact, amount: 1000}}\n"))
        .collect();
    let deployment: String =
        placements.iter().map(|p| format!("    {p}:\n      profile: web\n      count: 1\n")).collect();
    format!(
        "version: \"2.0\"\nservices:\n  web:\n    image: nginx\n    expose:\n{exposes}endpoints:\n  ip1:\n    kind: ip\n\
         profiles:\n  compute:\n    web:\n      resources:\n        cpu: {{units: 1}}\n        memory: {{size: 1Gi}}\n        \
         storage: {{size: 1Gi}}\n  placement:\n{pricing}deployment:\n  web:\n{deployment}"
    )
}

const TO_IP: &str = "        to:\n          - global: true\n            ip: ip1\n";

#[test]
fn two_exposes_without_as_in_one_service_are_told_to_set_as() {
    let exposes = format!("      - port: 80\n{TO_IP}      - port: 81\n{TO_IP}");
    let hint = port_in_use_hint(&sdl(&exposes, &["dc1"]));
    assert!(hint.contains("without `as`"), "{hint}");
}

#[test]
fn one_expose_in_two_placements_is_told_it_counts_twice() {
    let exposes = format!("      - port: 80\n        as: 80\n{TO_IP}");
    let hint = port_in_use_hint(&sdl(&exposes, &["dc1", "dc2"]));
    assert!(hint.contains("two placements"), "{hint}");
}

#[test]
fn two_exposes_with_the_same_as_in_one_service_are_told_to_pick_another() {
    let exposes = format!("      - port: 80\n        as: 80\n{TO_IP}      - port: 8080\n        as: 80\n{TO_IP}");
    let hint = port_in_use_hint(&sdl(&exposes, &["dc1"]));
    assert!(hint.contains("once per IP endpoint"), "{hint}");
}
