//! `planIps()` and `simulate()` results fit their declared types (feature `ip`): every plan of
//! every fixture SDL and every step of every provider scenario round-trips through them.
#![cfg(all(feature = "ip", not(target_arch = "wasm32")))]

use std::path::Path;

use leasekit_sdl::PositionEncoding;
use leasekit_wasm::ip_types::{PlanResult, Scenario, SimulationStep};

mod common;
use common::{round_trip, sdl_files};

#[test]
fn every_ip_plan_fits_the_declared_types() {
    let mut plans = 0;
    for file in sdl_files() {
        let source = std::fs::read_to_string(&file).expect("read");
        if leasekit_sdl::build(&source).output.is_none() {
            continue;
        }
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let json = leasekit_ipalloc::plan_js_json(&source, encoding).to_go_compact();
            assert!(matches!(round_trip::<PlanResult>(&json, &file.display().to_string()), PlanResult::Ok(_)));
            plans += 1;
        }
    }
    assert!(plans > 50, "{plans}");
}

#[test]
fn every_scenario_and_its_steps_fit_the_declared_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ipalloc/tests/scenarios");
    let mut steps = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let _: Scenario = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not a Scenario: {e}"));
        for step in leasekit_ipalloc::simulate_steps(&text).expect("valid scenario") {
            round_trip::<SimulationStep>(&step.to_go_compact(), &name);
            steps += 1;
        }
    }
    assert!(steps > 30, "{steps}");
}
