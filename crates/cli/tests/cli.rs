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
    // A command that refuses its arguments exits without reading stdin: a closed pipe is fine.
    let written = pipe.write_all(stdin.unwrap_or_default());
    assert!(written.as_ref().is_ok() || written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe));
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

/// `leasekit ARGS` run in `dir`, so that file names in its output are the relative ones given.
fn leasekit_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leasekit")).args(args).current_dir(dir).output().expect("run leasekit")
}

fn frames_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frames")
}

/// The code frames of each fixture in `tests/fixtures/frames/`, snapshotted (insta) so a change
/// of layout, caret or note shows in review. Each snapshot was read against its fixture: the
/// caret under the bytes the diagnostic is about, the notes those of that diagnostic.
#[test]
fn check_renders_code_frames() {
    let dir = frames_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("frames dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        let out = leasekit_in(&dir, &["sdl", "check", "--color", "never", &name]);
        let text = stdout(&out);
        let errors = text.lines().any(|l| l.starts_with("error["));
        assert_eq!(out.status.code(), Some(i32::from(errors)), "{name}: exit 1 exactly when there is an error");
        insta::assert_snapshot!(name.trim_end_matches(".yaml").to_owned(), text);
    }
}

#[test]
fn check_prints_a_warnings_hint_and_fix() {
    // Priced in uakt: Go accepts it, the chain (since its v2.0 upgrade) does not.
    let path = temp_file("uakt.yaml", VALID.replace("denom: uact", "denom: uakt").as_bytes());
    let file = path.to_str().expect("path");
    let out = leasekit(&["sdl", "check", file], None);
    assert_eq!(out.status.code(), Some(0), "a warning is not a failure: {}", stdout(&out));
    let text = stdout(&out);
    // `web: {denom: uakt, ...}` is line 21, `uakt` starts at column 22.
    assert!(
        text.starts_with("warning[chain-price-denom]: placement \"dcloud\" prices profile \"web\" in uakt"),
        "{text}"
    );
    assert!(text.contains(&format!("--> {file}:21:22\n")), "{text}");
    assert!(text.contains("= help: price it in uact: the same amount, in micro-ACT\n"), "{text}");
    assert!(text.contains("= help: fix (leasekit sdl fix applies it): Price in uact (same amount)\n"), "{text}");
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
    // `ip: nope` is line 10, the value starts at column 17; Go's words are a note.
    assert!(
        text.starts_with(
            "error[unknown-endpoint]: service \"web\" uses IP endpoint \"nope\", which `endpoints` does not declare\n"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("--> {file}:10:17\n")), "{text}");
    assert!(text.contains("10 |             ip: nope\n"), "{text}");
    assert!(text.contains("   |                 ^^^^\n"), "the caret is under `nope`: {text}");
    assert!(
        text.contains(
            "= note: Akash's Go reference says: SDL invalid: error on service \"web\" no endpoint named \"nope\" exists"
        ),
        "{text}"
    );
    // The declared endpoint is now unused: a further error, reported after Go's.
    assert!(text.contains("error[unused-endpoint]"), "{text}");
    assert!(text.contains("= note: this is the error Akash reports"), "{text}");
}

#[test]
fn check_reports_every_file_and_fails_if_any_fails() {
    let good = temp_file("good.yaml", VALID.as_bytes());
    let bad = temp_file("bad.yaml", b"version: \"2.0\"\n");
    let out = leasekit(&["sdl", "check", good.to_str().expect("p"), bad.to_str().expect("p")], None);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with("error[no-groups]: nothing is deployed: `deployment` places no service\n"), "{text}");
    assert!(text.contains(&format!("--> {}:1:1\n", bad.display())), "{text}");
}

#[test]
fn check_json_is_one_line_per_file_with_the_packages_fields() {
    let bad = temp_file("json-bad.yaml", VALID.replace("512Mi", "512mi").as_bytes());
    let good = temp_file("json-good.yaml", VALID.as_bytes());
    let (bad, good) = (bad.to_str().expect("p"), good.to_str().expect("p"));
    let out = leasekit(&["sdl", "check", "--format", "json", bad, good], None);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], bad);
    let error = &lines[0]["diagnostics"][0];
    assert_eq!(error["code"], "invalid-size");
    assert_eq!(error["go"], "strconv.ParseFloat: parsing \"512mi\": invalid syntax");
    assert_eq!(error["fixes"][0]["label"], "Write 512Mi");
    assert_eq!(error["start"], serde_json::json!({"line": 16, "column": 24, "columnUtf16": 24}));
    assert_eq!(lines[1], serde_json::json!({"file": good, "diagnostics": []}));
}

#[test]
fn fix_prints_the_sdl_with_its_safe_fixes_and_keeps_comments() {
    let dir = frames_dir();
    let source = std::fs::read_to_string(dir.join("to-as-a-mapping.yaml")).expect("fixture");
    let out = leasekit_in(&dir, &["sdl", "fix", "to-as-a-mapping.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let fixed = stdout(&out);
    // One edit: `- ` before the mapping and two spaces before its other line.
    assert_eq!(
        fixed,
        source.replace("          global: true\n          ip: myip", "          - global: true\n            ip: myip")
    );
    let comments = |t: &str| {
        t.lines().filter(|l| l.contains('#')).map(|l| l[l.find('#').unwrap_or(0)..].to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(comments(&fixed), comments(&source));
    assert!(leasekit_sdl_builds(&fixed));
    // Nothing to fix: the text comes back as it was.
    let valid = temp_file("fix-valid.yaml", VALID.as_bytes());
    assert_eq!(stdout(&leasekit(&["sdl", "fix", valid.to_str().expect("p")], None)), VALID);
    // A fix that leaves errors: the result is printed, the errors go to stderr, exit 1.
    let out = leasekit(&["sdl", "fix", "-"], Some(VALID.replace("ip: myendpoint", "ip: nope").as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[unknown-endpoint]"));
}

fn leasekit_sdl_builds(text: &str) -> bool {
    let out = leasekit(&["sdl", "build", "-"], Some(text.as_bytes()));
    out.status.code() == Some(0)
}

#[test]
fn fix_write_changes_the_file_in_place() {
    let path =
        temp_file("fix-write.yaml", VALID.replace("512Mi", "512mi").replace("denom: uact", "denom: uakt").as_bytes());
    let file = path.to_str().expect("p");
    let out = leasekit(&["sdl", "fix", "--write", file], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out), "", "--write prints nothing on stdout");
    assert_eq!(String::from_utf8_lossy(&out.stderr), format!("leasekit: fixed 2 problems in {file}\n"));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), VALID);
    // stdin has no file to write: a usage error naming the argument.
    let out = leasekit(&["sdl", "fix", "--write", "-"], Some(VALID.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--write'"));
}

#[test]
fn every_subcommand_has_its_own_help_and_bad_arguments_are_named() {
    let help = |args: &[&str]| {
        let out = leasekit(args, None);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        stdout(&out)
    };
    let check = help(&["sdl", "check", "--help"]);
    let fix = help(&["sdl", "fix", "--help"]);
    let proxy = help(&["proxy", "--help"]);
    let key = help(&["key", "address", "--help"]);
    assert!(check.contains("Usage: leasekit sdl check [OPTIONS] <FILE>...") && check.contains("--format"), "{check}");
    assert!(fix.contains("Usage: leasekit sdl fix [OPTIONS] <FILE>") && fix.contains("--write"), "{fix}");
    assert!(
        proxy.contains("--chain-rest <URL>") && proxy.contains("--network <NAME>") && proxy.contains("--devnet"),
        "{proxy}"
    );
    assert!(key.contains("--index <N>"), "{key}");
    let out = leasekit(&["sdl", "check", "--bogus", "x.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unexpected argument '--bogus'"));
    let out = leasekit(&["key", "address", "--index", "two"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'two'")
            && String::from_utf8_lossy(&out.stderr).contains("--index")
    );
    let out = leasekit(&["proxy", "--network", "moonnet"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'moonnet'"), "{}", String::from_utf8_lossy(&out.stderr));
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("[possible values: devnet, sandbox, mainnet]"));
}
