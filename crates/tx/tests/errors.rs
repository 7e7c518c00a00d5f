//! Bad input gives an `Error` with a stable code and a message that says what is wrong —
//! through the typed API and through the JSON request layer — and never a panic, whatever
//! the bytes. Plus the request layer's happy path against chain.md §6.2.

use std::panic::{AssertUnwindSafe, catch_unwind};

use leasekit_tx::encoding::{self, base64_encode, hex_decode};
use leasekit_tx::msgs::{self, BidId, ChainVersion, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::TypeUrl;
use leasekit_tx::request::{self, Response};
use leasekit_tx::tx::{self, Draft, Fee};
use leasekit_tx::{Error, ErrorCode, MnemonicSigner, Signer, jwt};
use serde_json::{Value, json};

/// chain.md §6.1 (a public test mnemonic; never fund it).
const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";
const ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
const COSMOS_ADDRESS: &str = "cosmos1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
const BAD_CHECKSUM_ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmx";

/// chain.md §6.2: the MsgCreateDeployment value, the TxRaw and its hash.
const MSG_VALUE: &str = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
const SIGNATURE: &str = "526ada861a22d41f8e64de172560bd42cd9239b505658447842f181439f76d4c7434d9ab71c4091014010532da6c6ff46d3435b9e77341f3ad538e7546e0d7ee";
const TX_RAW_BASE64: &str = "Co8CCowCCi0vYWthc2guZGVwbG95bWVudC52MWJldGE0Lk1zZ0NyZWF0ZURlcGxveW1lbnQS2gEKMgosYWthc2gxcXVmYTN4enJmMzRxdnd5ZWpraHZuYzRwc2Y0OWZmdGF3MGFzbWgQwIQ9Em4KBmRjbG91ZBICCgAaYAo7CAESBwoFCgM1MDAaDQoLCgk1MzY4NzA5MTIiFgoHZGVmYXVsdBILCgk1MzY4NzA5MTIqBQoDCgEwMgAQARofCgR1YWN0EhcxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMBogDGs3OTRgMlsFY58XV6AF7WJxF8jS8Ze5VB7dh5QtClAiEgoOCgR1YWN0EgY1MDAwMDAoARJmClAKRgofL2Nvc21vcy5jcnlwdG8uc2VjcDI1NmsxLlB1YktleRIjCiED4f3lzBf1ZQHtU9h3GN92wTW5pkAdzrU9GYERoer4X3YSBAoCCAEYBxISCgwKBHVha3QSBDUwMDAQwJoMGkBSatqGGiLUH45k3hclYL1CzZI5tQVlhEeELxgUOfdtTHQ02atxxAkQFAEFMtpsb/RtNDW553NB861TjnVG4Nfu";
const TX_HASH: &str = "C16E868DD6950226A23C87F7848C23077C72AF582C6599FCA9A77FB718DBA03E";
const CREATE_DEPLOYMENT_URL: &str = "/akash.deployment.v1beta4.MsgCreateDeployment";

const NOW: u64 = 1_760_000_000;

/// One placement, priced in uact; `{denom}` and `{extra}` are filled in by [`sdl`].
const SDL_TEMPLATE: &str = r#"version: "2.0"
services: {web: {image: nginx, expose: [{port: 80, to: [{global: true}]}]}}
profiles:
  compute: {web: {resources: {cpu: {units: 0.5}, memory: {size: 512Mi}, storage: {size: 512Mi}}}}
  placement: {dcloud: {pricing: {web: {denom: DENOM, amount: 10000}}}}
deployment: {web: {dcloud: {profile: web, count: 1}}}
EXTRA"#;

fn sdl(denom: &str, extra: &str) -> String {
    SDL_TEMPLATE.replace("DENOM", denom).replace("EXTRA", extra)
}

const RECLAMATION: &str = "reclamation: {min_window: 1h}\n";

fn build(source: &str) -> leasekit_sdl::Output {
    let build = leasekit_sdl::build(source);
    build.output.unwrap_or_else(|| panic!("the SDL builds: {:#?}", build.diagnostics.all()))
}

fn words() -> Vec<&'static str> {
    MNEMONIC.split(' ').collect()
}

fn signer() -> MnemonicSigner {
    MnemonicSigner::from_mnemonic(MNEMONIC, 0).expect("the §6.1 mnemonic")
}

/// Asserts the code and that the message contains each of `needles`; returns the message.
fn check(result: Result<impl std::fmt::Debug, Error>, code: ErrorCode, needles: &[&str]) -> String {
    let error = result.expect_err("must fail");
    assert_eq!(error.code, code, "{}", error.message);
    for needle in needles {
        assert!(error.message.contains(needle), "'{}' does not mention '{needle}'", error.message);
    }
    error.message
}

/// A request's failure as JSON; asserts `code` and that `message` contains each of `needles`.
fn failure(response: Response, code: &str, needles: &[&str]) -> Value {
    let failure = response.expect_err("the request must fail");
    let value: Value = serde_json::from_str(&failure.to_json().to_go_compact()).expect("failure JSON");
    assert_eq!(value["code"], code, "{value}");
    let message = value["message"].as_str().expect("message");
    for needle in needles {
        assert!(message.contains(needle), "'{message}' does not mention '{needle}'");
    }
    value
}

fn success(response: Response) -> Value {
    match response {
        Ok(json) => serde_json::from_str(&json.to_go_compact()).expect("response JSON"),
        Err(f) => panic!("request failed: {} ({})", f.error.message, f.error.code.as_str()),
    }
}

/// `message` names no word of the mnemonic (nor `extra`).
fn assert_leaks_no_word(message: &str, extra: &str) {
    assert!(extra.is_empty() || !message.contains(extra), "'{message}' quotes '{extra}'");
    for token in message.split(|c: char| !c.is_ascii_alphanumeric()) {
        assert!(!words().contains(&token.to_ascii_lowercase().as_str()), "'{message}' quotes the word '{token}'");
    }
}

fn with_word(position: usize, word: &str) -> String {
    let mut list = words();
    list[position] = word;
    list.join(" ")
}

#[test]
fn mnemonic_errors_name_the_position_not_the_words() {
    for (position, word) in [(4, "bitcoinz"), (0, "wörth"), (23, "Akash")] {
        let phrase = with_word(position, word);
        let message = check(
            MnemonicSigner::from_mnemonic(&phrase, 0),
            ErrorCode::InvalidMnemonic,
            &[&format!("word {} ", position + 1), "BIP-39"],
        );
        assert_leaks_no_word(&message, word);
        let response = request::account(&json!({ "mnemonic": phrase }).to_string());
        let value = failure(response, "invalid-mnemonic", &[&format!("word {}", position + 1)]);
        assert_leaks_no_word(&value.to_string(), word);
    }

    let short = words()[..23].join(" ");
    let message = check(MnemonicSigner::from_mnemonic(&short, 0), ErrorCode::InvalidMnemonic, &["12, 15", "has 23"]);
    assert_leaks_no_word(&message, "");
    check(MnemonicSigner::from_mnemonic("", 0), ErrorCode::InvalidMnemonic, &["has 0"]);
    check(MnemonicSigner::from_mnemonic(" \n\t ", 0), ErrorCode::InvalidMnemonic, &["has 0"]);

    // Every word is in the list, but the last one breaks the checksum.
    let phrase = with_word(23, "abandon");
    let message = check(MnemonicSigner::from_mnemonic(&phrase, 0), ErrorCode::InvalidMnemonic, &["checksum"]);
    assert_leaks_no_word(&message, "abandon");
    let value =
        failure(request::account(&json!({ "mnemonic": phrase }).to_string()), "invalid-mnemonic", &["checksum"]);
    assert_leaks_no_word(&value.to_string(), "abandon");

    // The mnemonic's Debug shows the address, never the key or the words.
    let debug = format!("{:?}", signer());
    assert!(debug.contains(ADDRESS), "{debug}");
    assert_leaks_no_word(&debug.replace(ADDRESS, ""), "");
}

#[test]
fn addresses_must_be_akash() {
    let cases = [
        (COSMOS_ADDRESS, "prefix akash1"),
        (BAD_CHECKSUM_ADDRESS, "checksum"),
        ("", "empty"),
        ("akash1", "not an Akash address"),
    ];
    let long = format!("akash1{}", "q".repeat(90));
    for (address, why) in cases.into_iter().chain([(long.as_str(), "too long")]) {
        check(msgs::close_deployment(address, 1), ErrorCode::InvalidAddress, &["owner", why]);
        let bid = BidId { owner: ADDRESS.into(), dseq: 1, gseq: 1, oseq: 1, provider: address.into(), bseq: 0 };
        check(msgs::create_lease(&bid), ErrorCode::InvalidAddress, &["provider", why]);
        check(msgs::mint_act(address, &Coin::parse("1uakt").expect("coin")), ErrorCode::InvalidAddress, &[why]);
        let request = json!({ "closeDeployment": { "owner": address, "dseq": 1 } });
        failure(request::encode_message(&request.to_string()), "invalid-address", &["owner", why]);
        let request = json!({ "iss": address, "now": NOW });
        failure(request::jwt_signing_input(&request.to_string()), "invalid-address", &["iss", why]);
    }
}

fn create(output: &leasekit_sdl::Output, deposit: &str, dseq: u64, chain: Option<&str>) -> Result<Vec<u8>, Error> {
    let params = CreateDeployment {
        owner: ADDRESS,
        dseq,
        deposit: Deposit::from_balance(Coin::parse(deposit)?),
        chain_version: chain.map(ChainVersion::parse).transpose()?,
    };
    msgs::create_deployment(output, &params).map(|m| m.to_any().value)
}

fn create_request(source: &str, deposit: Value, dseq: Value, chain: Option<&str>) -> String {
    let mut body = json!({ "sdl": source, "owner": ADDRESS, "dseq": dseq, "deposit": deposit });
    if let Some(chain) = chain {
        body["chainVersion"] = json!(chain);
    }
    json!({ "createDeployment": body }).to_string()
}

#[test]
fn deposits_must_be_at_least_half_an_act() {
    let output = build(&sdl("uact", ""));
    assert!(create(&output, "500000uact", 1, None).is_ok(), "the minimum itself is fine");
    check(create(&output, "499999uact", 1, None), ErrorCode::InvalidDeposit, &["499999", "minimum", "500000uact"]);
    check(create(&output, "0uact", 1, None), ErrorCode::InvalidDeposit, &["minimum"]);
    check(create(&output, "5000000uakt", 1, None), ErrorCode::InvalidDeposit, &["uakt", "uact"]);
    let source = sdl("uact", "");
    let response = request::encode_message(&create_request(&source, json!("499999uact"), json!(1), None));
    failure(response, "invalid-deposit", &["minimum"]);
    let response = request::encode_message(&create_request(&source, json!("5000000uakt"), json!(1), None));
    failure(response, "invalid-deposit", &["uakt"]);
    let object = json!({ "denom": "uact", "amount": "499999" });
    failure(request::encode_message(&create_request(&source, object, json!(1), None)), "invalid-deposit", &["minimum"]);

    let mut request: Value =
        serde_json::from_str(&create_request(&source, json!("500000uact"), json!(1), None)).expect("request");
    request["createDeployment"]["depositSources"] = json!(["wallet"]);
    failure(request::encode_message(&request.to_string()), "invalid-deposit", &["wallet", "balance"]);
    request["createDeployment"]["depositSources"] = json!(["balance", "balance"]);
    failure(request::encode_message(&request.to_string()), "invalid-deposit", &["twice"]);
    request["createDeployment"]["depositSources"] = json!([]);
    failure(request::encode_message(&request.to_string()), "invalid-deposit", &["source"]);
}

#[test]
fn malformed_coins_say_so() {
    let bad = [
        "",
        "uact",
        "500000",
        "5.5uact",
        "-1uact",
        "500000 uact",
        "500000u",
        "500000/uact",
        "999999999999999999999999999999999999999999uact",
    ];
    for text in bad {
        let message = check(Coin::parse(text), ErrorCode::InvalidDeposit, &["not a coin"]);
        assert!(message.contains(text), "'{message}' does not quote '{text}'");
        let request = json!({ "mintAct": { "owner": ADDRESS, "amount": text } });
        failure(request::encode_message(&request.to_string()), "invalid-deposit", &["not a coin"]);
    }
    check(Coin::new("uact", "12x"), ErrorCode::InvalidDeposit, &["whole number"]);
    let request = json!({ "mintAct": { "owner": ADDRESS, "amount": { "denom": "uakt", "amount": true } } });
    failure(request::encode_message(&request.to_string()), "invalid-input", &["amount", "whole number"]);
    let request = json!({ "mintAct": { "owner": ADDRESS, "amount": 5 } });
    failure(request::encode_message(&request.to_string()), "invalid-input", &["mintAct.amount", "coin"]);
    check(msgs::mint_act(ADDRESS, &Coin::parse("5uact").expect("coin")), ErrorCode::InvalidDeposit, &["uakt"]);
    check(msgs::mint_act(ADDRESS, &Coin::parse("0uakt").expect("coin")), ErrorCode::InvalidDeposit, &["above 0"]);
}

#[test]
fn sequences_start_at_one() {
    let output = build(&sdl("uact", ""));
    check(create(&output, "500000uact", 0, None), ErrorCode::InvalidId, &["dseq"]);
    check(msgs::close_deployment(ADDRESS, 0), ErrorCode::InvalidId, &["dseq"]);
    check(msgs::update_deployment(&output, ADDRESS, 0), ErrorCode::InvalidId, &["dseq"]);
    let source = sdl("uact", "");
    for dseq in [json!(0), json!("0")] {
        let response = request::encode_message(&create_request(&source, json!("500000uact"), dseq, None));
        failure(response, "invalid-id", &["dseq"]);
    }
    for dseq in [json!(-1), json!("1.5"), json!(""), json!("18446744073709551616"), json!(true)] {
        let response = request::encode_message(&create_request(&source, json!("500000uact"), dseq, None));
        let value = failure(response, "invalid-input", &[]);
        // Numbers the JSON reader refuses fail as "not JSON"; the others name the field.
        let message = value["message"].as_str().unwrap_or_default();
        assert!(message.contains("createDeployment.dseq") || message.contains("not JSON"), "{message}");
    }

    let bid = |gseq, oseq| BidId { owner: ADDRESS.into(), dseq: 1, gseq, oseq, provider: ADDRESS.into(), bseq: 0 };
    for (gseq, oseq) in [(0, 1), (1, 0), (0, 0)] {
        check(msgs::create_lease(&bid(gseq, oseq)), ErrorCode::InvalidId, &["gseq", "oseq", "start at 1"]);
        check(msgs::close_lease(&bid(gseq, oseq)), ErrorCode::InvalidId, &["start at 1"]);
        let request = json!({ "createLease": {
            "owner": ADDRESS, "dseq": 1, "gseq": gseq, "oseq": oseq, "provider": ADDRESS, "bseq": 0 } });
        failure(request::encode_message(&request.to_string()), "invalid-id", &["start at 1"]);
    }
    assert!(msgs::create_lease(&bid(1, 1)).is_ok());
    let request = json!({ "createLease": {
        "owner": ADDRESS, "dseq": 1, "gseq": 4_294_967_296_u64, "oseq": 1, "provider": ADDRESS, "bseq": 0 } });
    failure(request::encode_message(&request.to_string()), "invalid-input", &["createLease.gseq", "too large"]);
    let request = json!({ "createLease": { "owner": ADDRESS, "dseq": 1, "gseq": 1, "oseq": 1, "bseq": 0 } });
    failure(request::encode_message(&request.to_string()), "invalid-input", &["createLease.provider is missing"]);
}

#[test]
fn sdl_priced_in_uakt_is_refused() {
    let source = sdl("uakt", "");
    let output = build(&source);
    check(create(&output, "500000uact", 1, None), ErrorCode::UnsupportedByChain, &["dcloud", "uakt", "uact"]);
    let response = request::encode_message(&create_request(&source, json!("500000uact"), json!(1), None));
    let value = failure(response, "unsupported-by-chain", &["uakt"]);
    assert!(value.get("diagnostics").is_none(), "the SDL itself is valid: {value}");
}

#[test]
fn reclamation_needs_chain_v2_1() {
    let source = sdl("uact", RECLAMATION);
    let output = build(&source);
    assert!(output.reclamation.is_some());
    check(create(&output, "500000uact", 1, Some("v2.0.1")), ErrorCode::UnsupportedByChain, &["reclamation", "v2.0"]);
    check(create(&output, "500000uact", 1, None), ErrorCode::UnsupportedByChain, &["reclamation", "version"]);
    for chain in ["v2.1.0", "2.1.0-rc12", "v3.0.0"] {
        let with = create(&output, "500000uact", 1, Some(chain)).unwrap_or_else(|e| panic!("{chain}: {}", e.message));
        let without = create(&build(&sdl("uact", "")), "500000uact", 1, Some(chain)).expect("no reclamation");
        // Field 5: DeploymentReclamation{min_window: Duration{seconds: 3600}}.
        assert!(with.ends_with(&[0x2a, 0x05, 0x0a, 0x03, 0x08, 0x90, 0x1c]), "{chain}: {with:02x?}");
        assert_eq!(with.len(), without.len() + 7);
    }
    // Without reclamation any chain (or none) is fine.
    let plain = build(&sdl("uact", ""));
    for chain in [None, Some("v2.0.1"), Some("v2.1.0")] {
        assert!(create(&plain, "500000uact", 1, chain).is_ok(), "{chain:?}");
    }
    // The chain's market params bound the window to 1h..720h (chain.md's defaults), whatever
    // the version: 59m59s and 720h0m1s are refused, 1h and 720h taken.
    for (window, ok) in [("59m59s", false), ("1h", true), ("720h", true), ("720h0m1s", false), ("721h", false)] {
        let output = build(&sdl("uact", &format!("reclamation: {{min_window: {window}}}\n")));
        let result = create(&output, "500000uact", 1, Some("v2.1.0"));
        if ok {
            assert!(result.is_ok(), "{window}");
        } else {
            check(result, ErrorCode::UnsupportedByChain, &["reclamation window", "1h to 720h"]);
        }
    }
    check(ChainVersion::parse("banana"), ErrorCode::InvalidInput, &["banana", "v2.1.0"]);
    check(ChainVersion::parse("v2"), ErrorCode::InvalidInput, &["'v2'"]);

    let encode = |chain| request::encode_message(&create_request(&source, json!("500000uact"), json!(1), chain));
    failure(encode(Some("v2.0.1")), "unsupported-by-chain", &["reclamation", "v2.0"]);
    failure(encode(None), "unsupported-by-chain", &["reclamation", "version"]);
    failure(encode(Some("banana")), "invalid-input", &["banana"]);
    let value = success(encode(Some("v2.1.0")));
    assert_eq!(value["typeUrl"], CREATE_DEPLOYMENT_URL);
}

#[test]
fn invalid_sdl_reports_diagnostics() {
    for source in ["version: \"2.0\"\nservices: {}\n", "not: [valid", "", &sdl("uact", "bogus: 1\n")] {
        let response = request::encode_message(&create_request(source, json!("500000uact"), json!(1), None));
        let value = failure(response, "invalid-sdl", &["the SDL has errors"]);
        let diagnostics = value["diagnostics"].as_array().expect("diagnostics is a list");
        assert!(!diagnostics.is_empty(), "{value}");
        let request = json!({ "updateDeployment": { "sdl": source, "owner": ADDRESS, "dseq": 1 } });
        failure(request::encode_message(&request.to_string()), "invalid-sdl", &["the SDL has errors"]);
    }
    let value = failure(
        request::encode_message(&create_request(&sdl("uact", "bogus: 1\n"), json!("500000uact"), json!(1), None)),
        "invalid-sdl",
        &["line 7", "bogus"],
    );
    assert!(value.to_string().contains("bogus"));
}

/// A function of the request layer.
type RequestFn = fn(&str) -> Response;

/// Every function of the request layer, by name.
const REQUESTS: [(&str, RequestFn); 9] = [
    ("encode_message", request::encode_message),
    ("sign_tx", request::sign_tx),
    ("make_sign_doc", request::make_sign_doc),
    ("assemble_tx", request::assemble_tx),
    ("account", request::account),
    ("create_jwt", request::create_jwt),
    ("jwt_signing_input", request::jwt_signing_input),
    ("assemble_jwt", request::assemble_jwt),
    ("verify_jwt", request::verify_jwt),
];

fn draft(memo: &str, gas_limit: u64, messages: usize) -> Draft {
    let message = leasekit_tx::proto::Any {
        type_url: CREATE_DEPLOYMENT_URL.to_owned(),
        value: hex_decode(MSG_VALUE).expect("hex"),
    };
    Draft {
        messages: vec![message; messages],
        memo: memo.to_owned(),
        fee: Fee {
            amount: vec![Coin::parse("5000uakt").expect("fee")],
            gas_limit,
            payer: String::new(),
            granter: String::new(),
        },
        timeout_height: 0,
    }
}

/// A `sign_tx` request for chain.md §6.2's inputs.
fn sign_request() -> Value {
    json!({
        "mnemonic": MNEMONIC,
        "chainId": "akashnet-2",
        "accountNumber": "12345",
        "sequence": 7,
        "messages": [{ "typeUrl": CREATE_DEPLOYMENT_URL, "value": base64_encode(&hex_decode(MSG_VALUE).expect("hex")) }],
        "fee": { "amount": ["5000uakt"], "gasLimit": 200000 },
    })
}

/// A change to [`sign_request`], the code it fails with and what the message names.
type Case = (fn(&mut Value), &'static str, &'static [&'static str]);

#[test]
fn transactions_check_memo_gas_and_messages() {
    let signer = signer();
    let sign = |d: &Draft| tx::sign(d, "akashnet-2", 1, 0, &signer);
    assert!(sign(&draft(&"x".repeat(256), 200_000, 1)).is_ok());
    // The SDK's ante handler compares Go's len(memo): bytes. "é" is two.
    assert!(sign(&draft(&"é".repeat(128), 200_000, 1)).is_ok());
    check(sign(&draft(&"é".repeat(129), 200_000, 1)), ErrorCode::InvalidInput, &["memo", "258", "256"]);
    check(sign(&draft(&"x".repeat(257), 200_000, 1)), ErrorCode::InvalidInput, &["memo", "257", "256"]);
    check(sign(&draft("", 0, 1)), ErrorCode::InvalidInput, &["gas"]);
    check(sign(&draft("", 200_000, 0)), ErrorCode::InvalidInput, &["at least one message"]);
    check(tx::sign(&draft("", 1, 1), "", 1, 0, &signer), ErrorCode::InvalidInput, &["chain id"]);
    let mut relative = draft("", 1, 1);
    relative.messages[0].type_url = "akash.deployment.v1beta4.MsgCreateDeployment".to_owned();
    check(sign(&relative), ErrorCode::InvalidInput, &["must start with '/'"]);
    check(tx::assemble(vec![], vec![], &[0; 63]), ErrorCode::InvalidSignature, &["64 bytes", "63"]);
    check(tx::assemble(vec![0xff], vec![], &[0; 64]), ErrorCode::InvalidInput, &["bodyBytes"]);

    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut request = sign_request();
        f(&mut request);
        request.to_string()
    };
    let cases: [Case; 9] = [
        (|r| r["memo"] = json!("x".repeat(257)), "invalid-input", &["memo", "257"]),
        (|r| r["fee"]["gasLimit"] = json!(0), "invalid-input", &["gas"]),
        (|r| r["messages"] = json!([]), "invalid-input", &["at least one message"]),
        (|r| r["messages"] = json!({}), "invalid-input", &["messages must be a list"]),
        (|r| r["messages"][0]["value"] = json!("not base64!"), "invalid-input", &["messages[0].value", "base64"]),
        (|r| r["messages"][0] = json!({ "sendTokens": {} }), "invalid-input", &["unknown message kind 'sendTokens'"]),
        (|r| r["fee"]["amount"] = json!("5000uakt"), "invalid-input", &["fee.amount must be a list"]),
        (|r| r["accountIndex"] = json!(2_147_483_648_u64), "invalid-input", &["accountIndex"]),
        (|r| r["chainId"] = json!(""), "invalid-input", &["chain id"]),
    ];
    for (change, code, needles) in cases {
        failure(request::sign_tx(&mutate(&change)), code, needles);
    }
    for key in ["mnemonic", "chainId", "accountNumber", "sequence", "messages", "fee"] {
        let request = mutate(&|r| {
            r.as_object_mut().expect("object").remove(key);
        });
        failure(request::sign_tx(&request), "invalid-input", &[&format!("{key} is missing")]);
    }
}

#[test]
fn request_layer_rejects_malformed_requests() {
    for (i, (_, f)) in REQUESTS.into_iter().enumerate() {
        failure(f("{"), "invalid-input", &["not JSON"]);
        failure(f(""), "invalid-input", &["not JSON"]);
        failure(f("[1]"), "invalid-input", &["must be an object"]);
        failure(f("{}"), "invalid-input", &[if i == 0 { "must be {typeUrl, value} or one of" } else { "is missing" }]);
    }

    let public_key = base64_encode(&signer().public_key());
    let mut doc = sign_request();
    doc["publicKey"] = json!(base64_encode(&[2; 32]));
    failure(request::make_sign_doc(&doc.to_string()), "invalid-signature", &["33 bytes", "32"]);
    let assemble = json!({ "bodyBytes": "", "authInfoBytes": "", "signature": base64_encode(&[1; 65]) });
    failure(request::assemble_tx(&assemble.to_string()), "invalid-signature", &["64 bytes", "65"]);

    let jwt_request = |extra: Value| {
        let mut request = json!({ "mnemonic": MNEMONIC, "now": NOW });
        for (k, v) in extra.as_object().expect("object") {
            request[k] = v.clone();
        }
        request.to_string()
    };
    failure(request::create_jwt(&jwt_request(json!({ "alg": "HS256" }))), "invalid-token", &["HS256", "ES256K"]);
    let claims = json!({ "claims": { "iss": COSMOS_ADDRESS, "iat": NOW, "nbf": NOW, "exp": NOW + 60,
        "leases": { "access": "full" } } });
    failure(request::create_jwt(&jwt_request(claims)), "invalid-claims", &["claims.iss", ADDRESS]);
    let leases = json!({ "leases": { "access": "scoped", "scope": ["dance"] } });
    failure(request::create_jwt(&jwt_request(leases)), "invalid-claims", &["'dance' is not an action"]);
    let never = json!({ "claims": { "iat": NOW, "nbf": NOW, "exp": NOW, "leases": { "access": "full" } } });
    failure(request::create_jwt(&jwt_request(never)), "invalid-claims", &["exp must be after nbf"]);
    failure(request::create_jwt(&jwt_request(json!({ "claims": [] }))), "invalid-input", &["claims must be an object"]);

    let token = success(request::create_jwt(&jwt_request(json!({ "alg": "ES256K" }))))["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let verify = |token: &str, key: &str, now: u64| {
        request::verify_jwt(&json!({ "token": token, "publicKey": key, "now": now }).to_string())
    };
    let verified = success(verify(&token, &public_key, NOW));
    assert_eq!((verified["alg"].as_str(), verified["claims"]["iss"].as_str()), (Some("ES256K"), Some(ADDRESS)));
    failure(verify(&token, &public_key, NOW + request::DEFAULT_JWT_LIFETIME), "invalid-claims", &["expired"]);
    failure(verify("a.b", &public_key, NOW), "invalid-token", &["three"]);
    failure(verify(&format!("{token}x"), &public_key, NOW), "invalid-token", &["signature"]);
    failure(verify(&token, "AAAA", NOW), "invalid-signature", &["33 bytes"]);
    let other = base64_encode(&MnemonicSigner::from_mnemonic(MNEMONIC, 1).expect("index 1").public_key());
    failure(verify(&token, &other, NOW), "invalid-token", &["does not verify"]);

    let input = json!({ "signingInput": "a.b", "signature": base64_encode(&[0; 63]) });
    failure(request::assemble_jwt(&input.to_string()), "invalid-signature", &["64 bytes", "63"]);
    check(jwt::decode("a.b.c.d"), ErrorCode::InvalidToken, &["three"]);
    check(jwt::Claims::parse("{"), ErrorCode::InvalidClaims, &["not JSON"]);
}

/// chain.md §6.2 through the request layer: the same TxRaw and hash as cosmjs.
#[test]
fn sign_tx_request_reproduces_chain_vector() {
    let signed = success(request::sign_tx(&sign_request().to_string()));
    assert_eq!(signed["txBytes"], TX_RAW_BASE64);
    assert_eq!(signed["txHash"], TX_HASH);

    // The wallet path: SignDoc out, signature in, same TxRaw.
    let mut doc_request = sign_request();
    doc_request.as_object_mut().expect("object").remove("mnemonic");
    doc_request["publicKey"] = json!(base64_encode(&signer().public_key()));
    let doc = success(request::make_sign_doc(&doc_request.to_string()));
    assert_eq!((doc["chainId"].as_str(), doc["accountNumber"].as_str()), (Some("akashnet-2"), Some("12345")));
    let assemble = json!({
        "bodyBytes": doc["bodyBytes"],
        "authInfoBytes": doc["authInfoBytes"],
        "signature": base64_encode(&hex_decode(SIGNATURE).expect("hex")),
    });
    assert_eq!(success(request::assemble_tx(&assemble.to_string())), signed);

    let account = success(request::account(&json!({ "mnemonic": MNEMONIC }).to_string()));
    assert_eq!(account["address"], ADDRESS);
}

/// Marsaglia's xorshift64 (state never 0): deterministic, so every run tests the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        (0..self.below(max + 1)).map(|_| self.next() as u8).collect()
    }
}

const CHARS: &[char] = &[
    '"', '{', '}', '[', ']', ',', ':', '.', '\\', '-', '_', '+', '/', '=', ' ', '\n', '0', '1', '9', 'a', 'e', 'z',
    'A', 'Z', 'é', '\u{0}', '\u{7f}', '\u{feff}', '😀',
];
const SNIPPETS: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "1e9",
    "1.5",
    "18446744073709551615",
    "18446744073709551616",
    "\"\"",
    "[]",
    "{}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "uact",
    "500000uact",
    "akash1",
    "eyJ",
    "==",
];

fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut text: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(text.len() + 1);
        match rng.below(6) {
            0 if at < text.len() => text[at] = *rng.pick(CHARS),
            1 => text.insert(at, *rng.pick(CHARS)),
            2 => {
                let end = (at + rng.below(16)).min(text.len());
                text.drain(at..end);
            }
            3 => {
                let snippet: Vec<char> = rng.pick(SNIPPETS).chars().collect();
                text.splice(at..at, snippet);
            }
            4 => text.truncate(at),
            _ => {
                let end = (at + rng.below(32)).min(text.len());
                let copy: Vec<char> = text[at..end].to_vec();
                text.splice(at..at, copy);
            }
        }
    }
    text.into_iter().collect()
}

fn seeds() -> Vec<String> {
    let signer = signer();
    let claims = jwt::Claims::starting_at(ADDRESS, NOW, 900, jwt::Leases::Full);
    let token = jwt::create(jwt::Alg::Es256kAdr36, &claims, &signer).expect("token");
    let public_key = base64_encode(&signer.public_key());
    let source = sdl("uact", RECLAMATION);
    let mut doc = sign_request();
    doc.as_object_mut().expect("object").remove("mnemonic");
    doc["publicKey"] = json!(public_key);
    vec![
        token.clone(),
        claims.to_json().to_go_sorted_compact(),
        sign_request().to_string(),
        doc.to_string(),
        create_request(&source, json!("500000uact"), json!(1), Some("v2.1.0")),
        json!({ "createLease": { "owner": ADDRESS, "dseq": "1", "gseq": 1, "oseq": 1, "provider": ADDRESS, "bseq": 0 } })
            .to_string(),
        json!({ "accountDeposit": { "signer": ADDRESS, "owner": ADDRESS, "dseq": 1, "amount": { "denom": "uact", "amount": "5" } } })
            .to_string(),
        json!({ "mnemonic": MNEMONIC, "accountIndex": 3 }).to_string(),
        json!({ "mnemonic": MNEMONIC, "now": NOW, "leases": { "access": "granular", "permissions": [
            { "provider": ADDRESS, "access": "granular", "deployments": [
                { "dseq": 1, "gseq": 1, "oseq": 1, "scope": ["logs"], "services": ["web"] }] }] } })
        .to_string(),
        json!({ "iss": ADDRESS, "now": NOW, "alg": "ES256K", "lifetime": 60 }).to_string(),
        json!({ "signingInput": "a.b", "signature": base64_encode(&[7; 64]) }).to_string(),
        json!({ "token": token, "publicKey": public_key, "now": NOW }).to_string(),
        TX_RAW_BASE64.to_owned(),
        String::new(),
    ]
}

/// Runs `f` on `input`, turning a panic into a failure that shows the input.
fn no_panic(what: &str, input: &str, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        panic!("{what} panicked on {input:?}");
    }
}

#[test]
fn random_and_mutated_input_never_panics() {
    let seeds = seeds();
    let public_key = signer().public_key();
    let (body, auth_info) = {
        let mut doc = sign_request();
        doc.as_object_mut().expect("object").remove("mnemonic");
        doc["publicKey"] = json!(base64_encode(&public_key));
        let doc = success(request::make_sign_doc(&doc.to_string()));
        let bytes = |k: &str| encoding::base64_decode(doc[k].as_str().expect(k)).expect("base64");
        (bytes("bodyBytes"), bytes("authInfoBytes"))
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    const ROUNDS: usize = 3000;
    let mut accepted = 0;
    for round in 0..ROUNDS {
        let input = if round % 10 == 0 {
            let bytes = rng.bytes(64);
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let seed = rng.pick(&seeds).clone();
            mutate(&mut rng, &seed)
        };
        let s = input.as_str();
        no_panic("jwt::decode", s, || drop(jwt::decode(s)));
        no_panic("jwt::verify", s, || drop(jwt::verify(s, &public_key, NOW)));
        no_panic("jwt::verify (key from input)", s, || drop(jwt::verify(s, s.as_bytes(), NOW)));
        no_panic("jwt::Claims::parse", s, || drop(jwt::Claims::parse(s)));
        no_panic("jwt::Alg::parse", s, || drop(jwt::Alg::parse(s)));
        no_panic("encoding", s, || {
            drop((encoding::base64_decode(s), encoding::base64url_decode(s), encoding::hex_decode(s)));
        });
        no_panic("msgs parsers", s, || drop((Coin::parse(s), ChainVersion::parse(s))));
        for (name, f) in REQUESTS {
            no_panic(name, s, || accepted += usize::from(f(s).is_ok()));
        }
        // tx::assemble on random bytes and on the §6.2 body and auth info with bytes flipped.
        let mut flipped = (body.clone(), auth_info.clone());
        for _ in 0..=rng.below(4) {
            let part = if rng.below(2) == 0 { &mut flipped.0 } else { &mut flipped.1 };
            let at = rng.below(part.len());
            part[at] = rng.next() as u8;
        }
        let random = (rng.bytes(48), rng.bytes(48));
        let signature = rng.bytes(70);
        no_panic("tx::assemble", s, || {
            drop(tx::assemble(flipped.0, flipped.1, &[3; 64]));
            drop(tx::assemble(random.0, random.1, &signature));
        });
    }
    assert!(accepted > 0, "some mutations stay valid, so the happy paths are exercised too");
    eprintln!("{ROUNDS} random/mutated inputs: no panic ({accepted} requests accepted)");
}
