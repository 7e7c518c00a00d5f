//! The `leasekit` binary as a user runs it: output formats and exit codes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn leasekit(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leasekit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn leasekit");
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(stdin.unwrap_or_default()).expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

const VALID: &str = r#"version: "2.0"
services:
  web:
    image: nginx
    expose:
      - port: 3000
        as: 80
        to:
          - global: true
            ip: myendpoint
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 512Mi}
        storage: {size: 1Gi}
  placement:
    dcloud:
      pricing:
        web: {denom: uact, amount: 1000}
deployment:
  web:
    dcloud: {profile: web, count: 1}
endpoints:
  myendpoint:
    kind: ip
"#;

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

#[test]
fn check_passes_a_valid_file_silently() {
    let path = temp_file("valid.yaml", VALID.as_bytes());
    let out = leasekit(&["sdl", "check", path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_prints_a_warnings_hint_and_fix() {
    // Priced in uakt: Go accepts it, the chain (since its v2.0 upgrade) does not.
    let path = temp_file("uakt.yaml", VALID.replace("denom: uact", "denom: uakt").as_bytes());
    let file = path.to_str().expect("path");
    let out = leasekit(&["sdl", "check", file], None);
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure: {}", stdout(&out));
    // `web: {denom: uakt, ...}` is line 21, `uakt` starts at column 22.
    assert_eq!(
        stdout(&out),
        format!(
            "{file}:21:22: warning[chain-price-denom]: placement \"dcloud\" prices profile \"web\" in uakt: \
             the chain accepts new deployments priced only in uact (ACT) since its v2.0 upgrade\n  \
             hint: price it in uact: the same amount, in micro-ACT\n  fix: Price in uact (same amount)\n"
        )
    );
}

#[test]
fn build_reports_fixes_as_edits() {
    let source = VALID.replace("denom: uact", "denom: uakt");
    let out = leasekit(&["sdl", "build", "-"], Some(source.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let warning = &json["warnings"][0];
    assert_eq!(warning["code"], "chain-price-denom");
    let at = source.find("uakt").expect("uakt");
    let position = serde_json::json!({"line": 21, "column": 22, "columnUtf16": 22});
    assert_eq!(
        warning["fixes"],
        serde_json::json!([{
            "label": "Price in uact (same amount)",
            "safe": true,
            "edits": [{
                "span": {"start": at, "end": at + 4},
                "start": position,
                "end": {"line": 21, "column": 26, "columnUtf16": 26},
                "replacement": "uact",
            }],
        }])
    );
    assert_eq!(warning["start"], position);
    // Applied, the edit gives the uact file, which builds without warnings.
    assert_eq!(format!("{}uact{}", &source[..at], &source[at + 4..]), VALID);
}

#[test]
fn check_prints_file_line_col_code_and_message() {
    let source = VALID.replace("ip: myendpoint", "ip: nope");
    let path = temp_file("unknown-endpoint.yaml", source.as_bytes());
    let file = path.to_str().expect("path");
    let out = leasekit(&["sdl", "check", file], None);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // `ip: nope` is line 10, the value starts at column 17.
    let expected = format!(
        "{file}:10:17: error[unknown-endpoint]: SDL invalid: error on service \"web\" no endpoint named \"nope\" exists"
    );
    assert!(text.lines().any(|l| l == expected), "{text}");
    // The declared endpoint is now unused: a further error, reported after Go's.
    assert!(text.contains("error[unused-endpoint]"), "{text}");
}

#[test]
fn check_reports_every_file_and_fails_if_any_fails() {
    let good = temp_file("good.yaml", VALID.as_bytes());
    let bad = temp_file("bad.yaml", b"version: \"2.0\"\n");
    let out = leasekit(&["sdl", "check", good.to_str().expect("p"), bad.to_str().expect("p")], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(&format!("{}:1:1: error[no-groups]: Invalid groups", bad.display())),
        "{}",
        stdout(&out)
    );
}

#[test]
fn build_prints_version_manifest_group_specs_and_warnings() {
    let out = leasekit(&["sdl", "build", "-"], Some(VALID.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let keys: Vec<&str> = json.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["groupSpecs", "manifest", "version", "warnings"]);
    let version = json["version"].as_str().expect("version");
    assert!(version.len() == 64 && version.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    let expose = &json["manifest"][0]["services"][0]["expose"][0];
    assert_eq!(expose["ip"], "myendpoint");
    assert_eq!(expose["externalPort"], 80);
    // 3000 as 80 over TCP goes through the HTTP ingress, plus the leased IP (sequence 1).
    assert_eq!(
        json["groupSpecs"][0]["resources"][0]["resource"]["endpoints"],
        serde_json::json!([{"sequence_number": 0}, {"kind": 2, "sequence_number": 1}])
    );
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn build_output_matches_the_go_fixture_shape() {
    let suite = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"), PathBuf::from);
    let case = suite.join("input/v2.1/shared-ip/input.yaml");
    if !case.exists() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "conformance suite missing in CI");
        eprintln!("SKIPPED: conformance suite not found at {}", suite.display());
        return;
    }
    let out = leasekit(&["sdl", "build", case.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(suite.join("output-fixtures/v2.1/shared-ip").join(f)).expect("fixture"),
        )
        .expect("fixture json")
    };
    assert_eq!(json["manifest"], read("manifest.json"));
    assert_eq!(json["groupSpecs"], read("group-specs.json"));
}

#[test]
fn build_reports_errors_as_json_and_exits_1() {
    let out = leasekit(&["sdl", "build", "-"], Some(VALID.replace("port: 3000", "port: 0").as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let error = &json["errors"][0];
    assert_eq!(error["code"], "invalid-port");
    assert_eq!(error["reference"], true);
    assert_eq!(error["start"], serde_json::json!({"line": 6, "column": 15, "columnUtf16": 15}));
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn columns_are_given_in_utf8_and_utf16() {
    let expose =
        "      - port: 3000\n        as: 80\n        to:\n          - global: true\n            ip: myendpoint\n";
    let flow = "      - { \"😀\": 1, port: 0, as: 80, to: [{global: true, ip: myendpoint}] }\n";
    assert!(VALID.contains(expose));
    let out = leasekit(&["sdl", "build", "-"], Some(VALID.replace(expose, flow).as_bytes()));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let port =
        json["errors"].as_array().expect("errors").iter().find(|e| e["code"] == "invalid-port").expect("invalid-port");
    // The 0 is byte offset 27 of line 6; the 4-byte emoji before it is 2 UTF-16 units.
    assert_eq!(port["start"], serde_json::json!({"line": 6, "column": 28, "columnUtf16": 26}));
    // The emoji key is unknown: Akash ignores it, we warn.
    assert_eq!(json["warnings"][0]["code"], "ignored-field");
}

#[test]
fn non_utf8_input_is_an_error_not_a_crash() {
    let out = leasekit(&["sdl", "build", "-"], Some(b"version: \"2.0\"\n\xff\xfe\n"));
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["errors"][0]["code"], "invalid-encoding");
    assert_eq!(json["errors"][0]["start"]["line"], 2);
}

#[test]
fn misuse_exits_2_and_missing_files_exit_1() {
    assert_eq!(leasekit(&["sdl"], None).status.code(), Some(2));
    assert_eq!(leasekit(&["sdl", "build"], None).status.code(), Some(2));
    let out = leasekit(&["sdl", "build", "/nonexistent/leasekit.yaml"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/leasekit.yaml"));
}

#[test]
fn ip_plan_lists_endpoints_bindings_and_ips_needed() {
    let path = temp_file("plan.yaml", VALID.as_bytes());
    let out = leasekit(&["ip", "plan", path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    // One `to` entry names an IP: sequence 1 (sdl.md §5.5); `3000 as 80` over TCP.
    let endpoint = &json["endpoints"][0];
    assert_eq!(endpoint["name"], "myendpoint");
    assert_eq!(endpoint["sequenceNumber"], 1);
    let binding = &endpoint["bindings"][0];
    assert_eq!(
        (&binding["service"], &binding["port"], &binding["externalPort"], &binding["proto"]),
        (&"web".into(), &3000.into(), &80.into(), &"TCP".into())
    );
    assert_eq!(json["groups"], serde_json::json!([{"name": "dcloud", "ipsNeeded": 1}]));
    assert_eq!(json["conflicts"], serde_json::json!([]));
}

#[test]
fn ip_plan_of_an_invalid_sdl_reports_its_errors() {
    let path = temp_file("plan-invalid.yaml", VALID.replace("ip: myendpoint", "ip: nope").as_bytes());
    let out = leasekit(&["ip", "plan", path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["errors"][0]["code"], "unknown-endpoint");
}

#[test]
fn ip_simulate_prints_one_result_per_step() {
    // The pool is given out of order: MetalLB scans it in address order (provider.md §4.3).
    let scenario = serde_json::json!({
        "pool": ["203.0.113.11", "203.0.113.10"],
        "steps": [
            {"op": "deploy", "owner": "akash1tenant", "dseq": 7, "sdl": VALID},
            {"op": "status", "owner": "akash1tenant", "dseq": 7},
        ],
    });
    let path = temp_file("scenario.json", scenario.to_string().as_bytes());
    let out = leasekit(&["ip", "simulate", path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    let steps: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(steps.len(), 2);
    // provider.md §2.2: lease status `ips` maps service → [{Port, ExternalPort, Protocol, IP}].
    assert_eq!(
        steps[1]["ips"],
        serde_json::json!({"web": [{"Port": 3000, "ExternalPort": 80, "Protocol": "TCP", "IP": "203.0.113.10"}]})
    );
    let bad = temp_file("bad-scenario.json", b"{\"steps\": 3}");
    assert_eq!(leasekit(&["ip", "simulate", bad.to_str().expect("path")], None).status.code(), Some(1));
}

/// `leasekit proxy --network mainnet` runs a proxy for mainnet's default chain REST (the one
/// the app's mainnet preset uses) without being given the URL; an unknown network is refused.
#[test]
fn proxy_for_a_named_network() {
    use std::io::BufRead as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_leasekit"))
        .args(["proxy", "--network", "mainnet", "--listen", "127.0.0.1:0", "--origin", "http://127.0.0.1:8080"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn leasekit proxy");
    let mut banner = String::new();
    let read = std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut banner);
    let _ = child.kill();
    let _ = child.wait();
    read.expect("a banner line");
    assert!(banner.starts_with("leasekit proxy: http://127.0.0.1:"), "{banner}");
    assert!(banner.trim_end().ends_with("→ providers of https://api.akashnet.net"), "{banner}");

    let out = leasekit(&["proxy", "--network", "moon"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a known network (devnet, sandbox, mainnet)"));
}
