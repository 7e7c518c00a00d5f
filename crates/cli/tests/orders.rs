//! `leasekit tx`, `key` and `jwt` as a script runs them: chain.md §6's vectors through the
//! binary, the mnemonic from the environment, errors that never show the mnemonic.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use leasekit_tx::encoding::{base64_encode, hex_decode};

/// chain.md §6.1.
const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";
const ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
const PUBLIC_KEY: &str = "A+H95cwX9WUB7VPYdxjfdsE1uaZAHc61PRmBEaHq+F92";

/// chain.md §6.2: the MsgCreateDeployment value (its `hash` is SHA-256 of
/// "akash-rust-wasm-test-vector", [`VECTOR_HASH`]), the wallet's signature and the TxRaw.
const MSG_VALUE: &str = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
const VECTOR_HASH: &str = "0c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a50";
const SIGNATURE: &str = "526ada861a22d41f8e64de172560bd42cd9239b505658447842f181439f76d4c7434d9ab71c4091014010532da6c6ff46d3435b9e77341f3ad538e7546e0d7ee";
const TX_RAW_BASE64: &str = "Co8CCowCCi0vYWthc2guZGVwbG95bWVudC52MWJldGE0Lk1zZ0NyZWF0ZURlcGxveW1lbnQS2gEKMgosYWthc2gxcXVmYTN4enJmMzRxdnd5ZWpraHZuYzRwc2Y0OWZmdGF3MGFzbWgQwIQ9Em4KBmRjbG91ZBICCgAaYAo7CAESBwoFCgM1MDAaDQoLCgk1MzY4NzA5MTIiFgoHZGVmYXVsdBILCgk1MzY4NzA5MTIqBQoDCgEwMgAQARofCgR1YWN0EhcxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMBogDGs3OTRgMlsFY58XV6AF7WJxF8jS8Ze5VB7dh5QtClAiEgoOCgR1YWN0EgY1MDAwMDAoARJmClAKRgofL2Nvc21vcy5jcnlwdG8uc2VjcDI1NmsxLlB1YktleRIjCiED4f3lzBf1ZQHtU9h3GN92wTW5pkAdzrU9GYERoer4X3YSBAoCCAEYBxISCgwKBHVha3QSBDUwMDAQwJoMGkBSatqGGiLUH45k3hclYL1CzZI5tQVlhEeELxgUOfdtTHQ02atxxAkQFAEFMtpsb/RtNDW553NB861TjnVG4Nfu";
const TX_HASH: &str = "C16E868DD6950226A23C87F7848C23077C72AF582C6599FCA9A77FB718DBA03E";

/// An SDL whose one group is §6.2's.
const SDL_6_2: &str = include_str!("fixtures/chain-6-2.yaml");

/// How a test runs the binary: stdin, `$LEASEKIT_MNEMONIC` (always cleared otherwise) and the
/// working directory.
#[derive(Default)]
struct Run<'a> {
    stdin: &'a str,
    mnemonic: Option<&'a str>,
    dir: Option<&'a Path>,
}

impl Run<'_> {
    fn leasekit(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_leasekit"));
        command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        match self.mnemonic {
            Some(m) => command.env("LEASEKIT_MNEMONIC", m),
            None => command.env_remove("LEASEKIT_MNEMONIC"),
        };
        if let Some(dir) = self.dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().expect("spawn leasekit");
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(self.stdin.as_bytes()).expect("write stdin");
        drop(pipe);
        child.wait_with_output().expect("wait")
    }
}

/// Runs `args` with `request` on stdin and no `$LEASEKIT_MNEMONIC`.
fn leasekit(args: &[&str], request: &serde_json::Value) -> Output {
    Run { stdin: &request.to_string(), ..Run::default() }.leasekit(args)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("orders-tests").join(name);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

/// The one JSON line on stdout of a run that succeeded.
fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8 stdout");
    assert!(text.ends_with('\n') && text.lines().count() == 1, "{text}");
    serde_json::from_str(&text).expect("json")
}

/// chain.md §6.2's transaction, without the mnemonic.
fn sign_request() -> serde_json::Value {
    serde_json::json!({
        "chainId": "akashnet-2",
        "accountNumber": 12345,
        "sequence": "7",
        "messages": [{
            "typeUrl": "/akash.deployment.v1beta4.MsgCreateDeployment",
            "value": base64_encode(&hex_decode(MSG_VALUE).expect("hex")),
        }],
        "fee": {"amount": ["5000uakt"], "gasLimit": 200_000},
    })
}

#[test]
fn tx_sign_prints_the_6_2_transaction() {
    let mut request = sign_request();
    request["mnemonic"] = MNEMONIC.into();
    let out = leasekit(&["tx", "sign"], &request);
    assert_eq!(out.stdout, format!("{{\"txBytes\":\"{TX_RAW_BASE64}\",\"txHash\":\"{TX_HASH}\"}}\n").as_bytes());

    // From a file, the mnemonic from the environment.
    let path = temp_dir("sign").join("request.json");
    std::fs::write(&path, sign_request().to_string()).expect("write");
    let run = Run { mnemonic: Some(MNEMONIC), ..Run::default() };
    let signed = json(&run.leasekit(&["tx", "sign", path.to_str().expect("path")]));
    assert_eq!(signed, serde_json::json!({"txBytes": TX_RAW_BASE64, "txHash": TX_HASH}));
}

#[test]
fn sign_doc_and_assemble_give_the_same_transaction() {
    let mut request = sign_request();
    request["publicKey"] = PUBLIC_KEY.into();
    let doc = json(&leasekit(&["tx", "sign-doc", "-"], &request));
    assert_eq!(doc["chainId"], "akashnet-2");
    assert_eq!(doc["accountNumber"], "12345");
    let assemble = serde_json::json!({
        "bodyBytes": doc["bodyBytes"],
        "authInfoBytes": doc["authInfoBytes"],
        "signature": base64_encode(&hex_decode(SIGNATURE).expect("hex")),
    });
    let signed = json(&leasekit(&["tx", "assemble"], &assemble));
    assert_eq!(signed, serde_json::json!({"txBytes": TX_RAW_BASE64, "txHash": TX_HASH}));
}

#[test]
fn tx_encode_reads_the_sdl_file_relative_to_the_current_directory() {
    let dir = temp_dir("encode");
    std::fs::write(dir.join("deploy.yaml"), SDL_6_2).expect("write");
    let request = serde_json::json!({"createDeployment": {
        "sdlFile": "deploy.yaml", "owner": ADDRESS, "dseq": 1_000_000, "deposit": "500000uact",
    }});
    let run = Run { stdin: &request.to_string(), dir: Some(&dir), ..Run::default() };
    let message = json(&run.leasekit(&["tx", "encode"]));
    assert_eq!(message["typeUrl"], "/akash.deployment.v1beta4.MsgCreateDeployment");

    // §6.2's message, with this SDL's version as the hash.
    let build = Run { dir: Some(&dir), ..Run::default() }.leasekit(&["sdl", "build", "deploy.yaml"]);
    let built: serde_json::Value = serde_json::from_slice(&build.stdout).expect("build json");
    let version = built["version"].as_str().expect("version");
    let expected = MSG_VALUE.replace(VECTOR_HASH, version);
    assert_eq!(message["value"].as_str(), Some(base64_encode(&hex_decode(&expected).expect("hex")).as_str()));
}

#[test]
fn tx_encode_of_an_invalid_sdl_prints_its_diagnostics() {
    let dir = temp_dir("encode-invalid");
    std::fs::write(dir.join("bad.yaml"), SDL_6_2.replace("port: 80", "port: 0")).expect("write");
    let request = serde_json::json!({"createDeployment": {
        "sdlFile": "bad.yaml", "owner": ADDRESS, "dseq": 1, "deposit": "500000uact",
    }});
    let run = Run { stdin: &request.to_string(), dir: Some(&dir), ..Run::default() };
    let out = run.leasekit(&["tx", "encode", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let text = stderr(&out);
    assert!(text.starts_with("error[invalid-sdl]: the SDL has errors; the first, at line 8 column 15"), "{text}");
    // Then the SDL's diagnostics as `sdl check` frames them.
    assert!(text.contains("\nerror[invalid-port]: port 0 is not a port: ports are 1 to 65535\n"), "{text}");
    assert!(text.contains("--> bad.yaml:8:15\n"), "{text}");

    let missing = serde_json::json!({"createDeployment": {"sdlFile": "nope.yaml"}});
    let out = Run { stdin: &missing.to_string(), dir: Some(&dir), ..Run::default() }.leasekit(&["tx", "encode"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.yaml"), "{}", stderr(&out));
}

#[test]
fn jwt_create_then_verify_with_the_key_address_public_key() {
    let run = Run { mnemonic: Some(MNEMONIC), ..Run::default() };
    let account = json(&run.leasekit(&["key", "address"]));
    assert_eq!(account, serde_json::json!({"address": ADDRESS, "publicKey": PUBLIC_KEY}));
    // The same from stdin; another index is another account.
    let from_stdin = Run { stdin: &format!("{MNEMONIC}\n"), ..Run::default() };
    assert_eq!(json(&from_stdin.leasekit(&["key", "address"])), account);
    assert_ne!(json(&from_stdin.leasekit(&["key", "address", "--index", "1"]))["address"], ADDRESS);

    let token = json(&Run { stdin: "{}", ..run }.leasekit(&["jwt", "create"]));
    let token = token["token"].as_str().expect("token");
    let verify = serde_json::json!({"token": token, "publicKey": account["publicKey"]});
    let verified = json(&leasekit(&["jwt", "verify"], &verify));
    assert_eq!(verified["alg"], "ES256KADR36");
    assert_eq!(verified["claims"]["iss"], ADDRESS);
    // Valid now, for the default 15 minutes.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let exp = verified["claims"]["exp"].as_u64().expect("exp");
    assert!(exp > now && exp <= now + 15 * 60 + 5, "{verified}");

    // An explicit `now` is kept: the token is not valid yet at its issue time minus a day.
    let early = serde_json::json!({"token": token, "publicKey": PUBLIC_KEY, "now": now - 86_400});
    let out = leasekit(&["jwt", "verify"], &early);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error[invalid-claims]: "), "{}", stderr(&out));
}

/// No word of the mnemonic appears in `text`.
fn assert_no_mnemonic_word(text: &str, mnemonic: &str) {
    let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphabetic()).collect();
    for word in mnemonic.split_whitespace() {
        assert!(!words.contains(&word), "{word:?} leaked: {text}");
    }
}

#[test]
fn a_bad_mnemonic_word_is_named_by_position_only() {
    let bad = MNEMONIC.replace("violin", "violet");
    let mut request = sign_request();
    request["mnemonic"] = bad.as_str().into();
    for out in [
        leasekit(&["tx", "sign"], &request),
        Run { stdin: &sign_request().to_string(), mnemonic: Some(&bad), ..Run::default() }.leasekit(&["tx", "sign"]),
        Run { mnemonic: Some(&bad), ..Run::default() }.leasekit(&["key", "address"]),
        Run { stdin: "{}", mnemonic: Some(&bad), ..Run::default() }.leasekit(&["jwt", "create"]),
    ] {
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let text = stderr(&out);
        assert!(text.starts_with("error[invalid-mnemonic]: word 4 "), "{text}");
        assert_no_mnemonic_word(&text, &bad);
    }
}

#[test]
fn missing_fields_exit_1_and_name_the_field() {
    let mut request = sign_request();
    request.as_object_mut().expect("object").remove("chainId");
    request["mnemonic"] = MNEMONIC.into();
    let out = leasekit(&["tx", "sign"], &request);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error[invalid-input]: chainId is missing\n");

    // No mnemonic in the request or the environment.
    let out = leasekit(&["tx", "sign"], &sign_request());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("LEASEKIT_MNEMONIC"), "{}", stderr(&out));

    let out = Run { stdin: "not json", ..Run::default() }.leasekit(&["tx", "encode"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error[invalid-input]: the request is not JSON"), "{}", stderr(&out));
}

#[test]
fn wrong_arguments_exit_2() {
    let run = Run::default();
    for args in [
        &["tx"][..],
        &["tx", "frobnicate"],
        &["tx", "sign", "a.json", "b.json"],
        &["key"],
        &["key", "address", "--index"],
        &["key", "address", "--index", "x"],
        &["jwt", "decode"],
    ] {
        let out = run.leasekit(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        // clap's usage error (what is wrong, and where the help is), or the help of a command
        // given without its subcommand.
        let text = stderr(&out);
        assert!(
            text.contains("try '--help'") || text.contains(&format!("Usage: leasekit {}", args[0])),
            "{args:?}: {text}"
        );
    }
}
