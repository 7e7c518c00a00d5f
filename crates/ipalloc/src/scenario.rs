//! The scenario runner: JSON in, one JSON result per step out.

use crate::json::{J, JsonExt};
use crate::plan::ips_needed;
use crate::sim::{LeaseId, Provider, Report, SimError};

fn text(v: &J, key: &str) -> Result<String, String> {
    v.get(key).and_then(J::as_str).map(str::to_owned).ok_or_else(|| format!("`{key}` must be a string"))
}

fn number(v: &J, key: &str, default: Option<u64>) -> Result<u64, String> {
    match v.get(key) {
        None | Some(J::Null) => default.ok_or_else(|| format!("`{key}` is required")),
        Some(n) => n.as_u64().ok_or_else(|| format!("`{key}` must be a non-negative integer")),
    }
}

fn small(v: &J, key: &str) -> Result<u32, String> {
    u32::try_from(number(v, key, Some(1))?).map_err(|_| format!("`{key}` is out of range"))
}

fn lease(step: &J) -> Result<LeaseId, String> {
    Ok(LeaseId {
        owner: text(step, "owner")?,
        dseq: number(step, "dseq", None)?,
        gseq: small(step, "gseq")?,
        oseq: small(step, "oseq")?,
    })
}

/// The SDL's group for this gseq (GroupSpecs are in name order; gseq counts from 1).
fn build(step: &J, gseq: u32) -> Result<(leasekit_sdl::Output, usize), String> {
    let sdl = text(step, "sdl")?;
    let build = leasekit_sdl::build(&sdl);
    let Some(output) = build.output else {
        let errors: Vec<String> = build.diagnostics.errors().map(|d| d.message.clone()).collect();
        return Err(format!("invalid SDL: {}", errors.join("; ")));
    };
    let index = usize::try_from(gseq).unwrap_or(usize::MAX).wrapping_sub(1);
    if index >= output.group_specs.len() {
        return Err(format!("gseq {gseq}: the SDL has {} placement group(s)", output.group_specs.len()));
    }
    Ok((output, index))
}

fn report_json(report: Report) -> Vec<(&'static str, J)> {
    let mut f: Vec<(&'static str, J)> = report.fields;
    f.extend(report.lists.into_iter().map(|(n, l)| (n, J::Arr(l))));
    f.push(("warnings", J::Arr(report.warnings.into_iter().map(J::Str).collect())));
    f
}

fn error_json(e: &SimError) -> J {
    let mut f = vec![("message", J::s(&e.message))];
    if let Some(status) = e.status {
        f.insert(0, ("status", J::Num(u64::from(status))));
    }
    J::obj(f)
}

fn run_step(provider: &mut Provider, step: &J) -> Result<Vec<(&'static str, J)>, String> {
    let op = text(step, "op")?;
    let out = match op.as_str() {
        "deploy" | "update" | "bid" => {
            let lease = lease(step)?;
            let (output, index) = build(step, lease.gseq)?;
            if op == "bid" {
                let needed = ips_needed(&output.group_specs[index]);
                let available = provider.available();
                match provider.bid(&lease, needed) {
                    Ok(r) => {
                        let mut f = report_json(r);
                        f.insert(0, ("bid", J::Bool(true)));
                        f
                    }
                    Err(e) => vec![
                        ("bid", J::Bool(false)),
                        ("ipsNeeded", J::Num(needed as u64)),
                        ("available", J::Num(available as u64)),
                        ("error", error_json(&e)),
                    ],
                }
            } else {
                match provider.deploy(&lease, &output.manifest.groups[index]) {
                    Ok(r) => report_json(r),
                    Err(e) => vec![("error", error_json(&e))],
                }
            }
        }
        "close" => match provider.close(&lease(step)?) {
            Ok(r) => report_json(r),
            Err(e) => vec![("error", error_json(&e))],
        },
        "migrate" => {
            let owner = text(step, "owner")?;
            let names = step
                .get("endpoints")
                .and_then(J::as_array)
                .ok_or("`endpoints` must be a list of names")?
                .iter()
                .map(|n| n.as_str().map(str::to_owned).ok_or("`endpoints` must be a list of names"))
                .collect::<Result<Vec<_>, _>>()?;
            let dest = step.get("destination").ok_or("`destination` is required")?;
            match provider.migrate(&owner, &names, number(dest, "dseq", None)?, small(dest, "gseq")?) {
                Ok(r) => report_json(r),
                Err(e) => vec![("error", error_json(&e))],
            }
        }
        "status" => match provider.status(&lease(step)?) {
            Ok(ips) => vec![("ips", ips)],
            Err(e) => vec![("error", error_json(&e))],
        },
        other => return Err(format!("unknown op `{other}`")),
    };
    Ok(out)
}

/// Runs a scenario (see the crate documentation for its shape): a JSON array with one result
/// per step, or `{"error": "..."}` when the scenario itself is malformed.
#[must_use]
pub fn simulate(scenario_json: &str) -> String {
    simulate_steps(scenario_json).map_or_else(|e| J::obj(vec![("error", J::Str(e))]), J::Arr).to_text()
}

/// Runs a scenario: one result per step, or why the scenario itself is malformed.
pub fn simulate_steps(scenario_json: &str) -> Result<Vec<J>, String> {
    let scenario = J::parse(scenario_json).map_err(|e| format!("scenario is not JSON: {e}"))?;
    let pool = scenario
        .get("pool")
        .and_then(J::as_array)
        .ok_or("`pool` must be a list of IPv4 addresses")?
        .iter()
        .map(|a| a.as_str().map(str::to_owned).ok_or("`pool` must be a list of IPv4 addresses"))
        .collect::<Result<Vec<_>, _>>()?;
    let flag = |key: &str, default: bool| scenario.get(key).and_then(J::as_bool).unwrap_or(default);
    let mut provider = Provider::new(&pool, flag("ipSupport", true), flag("faithful", false)).map_err(|e| e.message)?;
    let steps = scenario.get("steps").and_then(J::as_array).ok_or("`steps` must be a list")?;
    let mut results = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let op = step.get("op").and_then(J::as_str).unwrap_or("").to_owned();
        let mut fields = vec![("step", J::Num(i as u64 + 1)), ("op", J::Str(op))];
        match run_step(&mut provider, step) {
            Ok(f) => fields.extend(f),
            Err(e) => fields.push(("error", J::obj(vec![("message", J::Str(e))]))),
        }
        fields.push(("inUse", J::Num(provider.in_use() as u64)));
        fields.push(("addresses", provider.addresses_json()));
        results.push(J::obj(fields));
    }
    Ok(results)
}
