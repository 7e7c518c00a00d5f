//! The port × endpoint matrix and the IP plan: which expose sits on which IP endpoint, what
//! collides, and how many IPs each placement leases. Everything comes from `leasekit-sdl`
//! (diagnostics) and `leasekit-ipalloc` (the plan); this module only arranges it by expose.

use leasekit_sdl::Span;
use leasekit_sdl_edit::form::{Form, Step};

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The expose is not on this endpoint.
    Off,
    /// The expose is on this endpoint.
    On,
    /// The expose is on this endpoint and collides: the core's message.
    Collision(String),
}

/// One expose: a row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Service name.
    pub service: String,
    /// The expose's YAML index.
    pub index: usize,
    /// 1-based position among the service's exposes (its `Port n` fieldset).
    pub number: usize,
    /// `80 → 8080/TCP`.
    pub ports: String,
    /// One cell per endpoint column.
    pub cells: Vec<Cell>,
}

/// One binding of the IP plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    /// Endpoint.
    pub endpoint: String,
    /// Placement group.
    pub group: String,
    /// `27015/UDP → game:27015`.
    pub text: String,
}

/// The matrix and the plan for one SDL text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatrixView {
    /// Endpoint columns: the declared endpoints, then names exposes use without declaring.
    pub endpoints: Vec<String>,
    /// One row per expose.
    pub rows: Vec<Row>,
    /// The IP plan's bindings, when the SDL builds.
    pub plan: Vec<PlanLine>,
    /// Per placement group, the IPs a provider must have free.
    pub groups: Vec<(String, usize)>,
    /// The core's messages about endpoints and IPs (diagnostics, conflicts, warnings).
    pub issues: Vec<String>,
    /// Whether the SDL builds (else the plan is empty and the diagnostics say why).
    pub builds: bool,
}

/// True for the diagnostics the IP section shows.
fn about_ips(code: &str) -> bool {
    code.contains("endpoint") || code.starts_with("ip-")
}

fn within(at: Span, expose: Span) -> bool {
    at.start >= expose.start && at.start <= expose.end.max(expose.start)
}

impl MatrixView {
    /// Arranges the core's results for `source`, read as `form`.
    #[must_use]
    pub fn of(source: &str, form: &Form) -> Self {
        let build = leasekit_sdl::build(source);
        let mut endpoints: Vec<String> = form.endpoints.iter().map(|e| e.name.clone()).collect();
        for ip in form.services.iter().flat_map(|s| &s.exposes).filter_map(|e| e.ip.value.clone()) {
            if !ip.is_empty() && !endpoints.contains(&ip) {
                endpoints.push(ip);
            }
        }
        // Collisions: Go's duplicate check (diagnostics) and the provider's rule (the plan).
        let mut collisions: Vec<(Span, String)> = build
            .diagnostics
            .all()
            .iter()
            .filter(|d| d.code.as_str() == "ip-port-in-use")
            .map(|d| (d.span, d.message.clone()))
            .collect();
        let mut issues: Vec<String> = build
            .diagnostics
            .all()
            .iter()
            .filter(|d| about_ips(d.code.as_str()))
            .map(|d| match &d.hint {
                Some(hint) => format!("{} — {hint}", d.message),
                None => d.message.clone(),
            })
            .collect();
        let mut plan = Vec::new();
        let mut groups = Vec::new();
        if let Some(output) = &build.output {
            let ip_plan = leasekit_ipalloc::plan_output(output);
            for c in &ip_plan.conflicts {
                let message = format!(
                    "`{}` {}/{} is declared twice: the provider keeps {} (port {}) and withholds {} (port {})",
                    c.endpoint,
                    c.proto.as_str(),
                    c.external_port,
                    c.kept.service,
                    c.kept.port,
                    c.withheld.service,
                    c.withheld.port
                );
                collisions.push((c.withheld.span, message.clone()));
                issues.push(message);
            }
            issues.extend(ip_plan.warnings.iter().map(|w| w.message.clone()));
            for e in &ip_plan.endpoints {
                for b in &e.bindings {
                    plan.push(PlanLine {
                        endpoint: e.name.clone(),
                        group: b.group.clone(),
                        text: format!("{}/{} → {}:{}", b.external_port, b.proto.as_str(), b.service, b.port),
                    });
                }
            }
            groups = ip_plan.groups.iter().map(|g| (g.name.clone(), g.ips_needed)).collect();
        }
        let rows = form
            .services
            .iter()
            .flat_map(|s| {
                s.exposes.iter().enumerate().map(|(n, e)| {
                    let index = match e.path.0.last() {
                        Some(Step::Index(i)) => *i,
                        _ => n,
                    };
                    let proto = match e.proto.text().to_ascii_uppercase().as_str() {
                        "" => "TCP".to_owned(),
                        p => p.to_owned(),
                    };
                    let ports = match e.as_port.value.as_deref() {
                        Some(external) if !external.is_empty() => format!("{} → {external}/{proto}", e.port.text()),
                        _ => format!("{}/{proto}", e.port.text()),
                    };
                    let collision = collisions.iter().find(|(span, _)| within(*span, e.span)).map(|(_, m)| m.clone());
                    let cells = endpoints
                        .iter()
                        .map(|name| match (e.ip.value.as_deref() == Some(name.as_str()), &collision) {
                            (false, _) => Cell::Off,
                            (true, None) => Cell::On,
                            (true, Some(m)) => Cell::Collision(m.clone()),
                        })
                        .collect();
                    Row { service: s.name.clone(), index, number: n + 1, ports, cells }
                })
            })
            .collect();
        Self { endpoints, rows, plan, groups, issues, builds: build.output.is_some() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_endpoint_with_a_colliding_port() {
        let source = "version: \"2.0\"
services:
  a:
    image: a
    expose:
      - port: 3000
        as: 8080
        to: [{global: true, ip: shared}]
      - port: 8080
        to: [{global: true, ip: shared}]
profiles:
  compute:
    a: {resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: {size: 1Gi}}}
  placement:
    dc: {pricing: {a: {denom: uact, amount: 100}}}
deployment:
  a: {dc: {profile: a, count: 1}}
endpoints:
  shared: {kind: ip}
";
        let form = Form::parse(source).expect("parses");
        let view = MatrixView::of(source, &form);
        assert!(view.builds);
        assert_eq!(view.endpoints, ["shared"]);
        assert_eq!(view.rows.len(), 2);
        assert_eq!(view.rows[0].cells, [Cell::On]);
        // `as: 8080` and `port: 8080` without `as` land on the same external port.
        assert!(matches!(&view.rows[1].cells[0], Cell::Collision(m) if m.contains("8080")));
        assert_eq!(view.groups, [("dc".to_owned(), 1)]);
        assert_eq!(view.plan.len(), 2);
        assert_eq!(view.plan[0].text, "8080/TCP → a:3000");
    }

    #[test]
    fn go_s_duplicate_check_marks_the_cell_and_brings_its_hint() {
        // Two services' ports on one IP without `as`: Go keys both as external port 0.
        let source = "version: \"2.0\"
services:
  a:
    image: a
    expose:
      - port: 80
        to: [{global: true, ip: one}]
  b:
    image: b
    expose:
      - port: 443
        to: [{global: true, ip: one}]
profiles:
  compute:
    a: {resources: {cpu: {units: 1}, memory: {size: 1Gi}, storage: {size: 1Gi}}}
  placement:
    dc: {pricing: {a: {denom: uact, amount: 100}}}
deployment:
  a: {dc: {profile: a, count: 1}}
  b: {dc: {profile: a, count: 1}}
endpoints:
  one: {kind: ip}
";
        let form = Form::parse(source).expect("parses");
        let view = MatrixView::of(source, &form);
        assert!(!view.builds);
        assert!(view.plan.is_empty());
        assert_eq!(view.rows[0].cells, [Cell::On]);
        assert!(matches!(&view.rows[1].cells[0], Cell::Collision(m) if m.contains("already serves")));
        assert!(view.issues.iter().any(|i| i.contains("already serves") && i.contains("`as`")), "{:?}", view.issues);
    }
}
