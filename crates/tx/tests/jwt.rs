//! Provider JWTs against chain-sdk's `testdata/jwt` (provider.md §3.3, chain.md §6.4): the
//! ES256K/ES256KADR36 signature vectors and the claim cases of `cases_jwt.json.tmpl`.
//!
//! Read from `$LEASEKIT_CONFORMANCE/jwt` or `../shared/conformance/jwt` beside the repository.
//! Outside CI a missing suite is reported as skipped; with `CI=true` it is a failure.
//!
//! Expected outcomes come from the fixtures themselves, never from this crate.

use std::path::{Path, PathBuf};

use leasekit_tx::jwt::{self, Alg, Claims, Leases};
use leasekit_tx::{ErrorCode, MnemonicSigner, Signer};
use serde_json::Value;

/// A fixed clock: the core is pure and takes `now` as a parameter.
const NOW: u64 = 1_760_000_000;
const DAY: u64 = 24 * 60 * 60;

fn suite() -> Option<PathBuf> {
    let dir = std::env::var_os("LEASEKIT_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance"))
        .join("jwt");
    if dir.join("cases_es256k.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "JWT conformance vectors not found at {} (set LEASEKIT_CONFORMANCE)",
        dir.display()
    );
    eprintln!("SKIPPED: JWT conformance vectors not found at {} (set LEASEKIT_CONFORMANCE)", dir.display());
    None
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mnemonic(suite: &Path) -> String {
    read(&suite.join("mnemonic")).trim().to_owned()
}

fn signer(phrase: &str, index: u32) -> MnemonicSigner {
    MnemonicSigner::from_mnemonic(phrase, index).expect("the fixture mnemonic is valid")
}

fn cases(text: &str, name: &str) -> Vec<Value> {
    match serde_json::from_str(text) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("{name} is not a JSON list: {other:?}"),
    }
}

fn description(case: &Value) -> &str {
    case["description"].as_str().expect("every case has a description")
}

/// `header.payload` of a compact token.
fn signing_input_of(token: &str) -> &str {
    let end = token.rfind('.').expect("a token has three parts");
    &token[..end]
}

#[test]
fn es256k_vectors() {
    let Some(suite) = suite() else { return };
    let signer = signer(&mnemonic(&suite), 0);
    let public_key = signer.public_key();
    let cases = cases(&read(&suite.join("cases_es256k.json")), "cases_es256k.json");
    assert_eq!(cases.len(), 5, "provider.md §3.3: 5 cases");
    let (mut valid, mut invalid) = (0, 0);
    for case in &cases {
        let name = description(case);
        let token = case["tokenString"].as_str().expect("tokenString");
        let must_fail = case["mustFail"].as_bool().expect("mustFail");
        let result = jwt::verify_signature(token, &public_key);
        if must_fail {
            assert!(result.is_err(), "{name}: verified but must fail");
            invalid += 1;
            continue;
        }
        let decoded = result.unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let expected_alg = case["expected"]["alg"].as_str().expect("expected.alg");
        assert_eq!(decoded.alg.as_str(), expected_alg, "{name}: alg");
        // RFC 6979 signing is deterministic: the same key and input give the same token.
        let resigned = jwt::sign_input(decoded.alg, signing_input_of(token), &signer).expect("sign");
        assert_eq!(resigned, token, "{name}: re-signed token differs");
        valid += 1;
    }
    assert_eq!((valid, invalid), (3, 2));
    eprintln!("cases_es256k.json: {valid} valid tokens verified and re-signed byte for byte, {invalid} rejected");
}

/// The template with Go's placeholders filled in.
fn instantiate(template: &str, issuer: &str, provider: &str, now: u64) -> String {
    [
        ("{{.Issuer}}", issuer.to_owned()),
        ("{{.Provider}}", provider.to_owned()),
        ("{{.IatCurr}}", now.to_string()),
        ("{{.NbfCurr}}", now.to_string()),
        ("{{.Iat24h}}", (now + DAY).to_string()),
        ("{{.Nbf24h}}", (now + DAY).to_string()),
        ("{{.Exp48h}}", (now + 2 * DAY).to_string()),
    ]
    .iter()
    .fold(template.to_owned(), |text, (placeholder, value)| text.replace(placeholder, value))
}

/// Go's `NumericDate` takes `"1746666103"` and marshals it back as `1746666103`.
fn numeric_dates(mut claims: Value) -> Value {
    if let Value::Object(map) = &mut claims {
        for key in ["iat", "nbf", "exp"] {
            if let Some(Value::String(s)) = map.get(key) {
                let n: u64 = s.parse().unwrap_or_else(|_| panic!("{key} '{s}' is not a number"));
                map.insert(key.to_owned(), Value::from(n));
            }
        }
    }
    claims
}

#[test]
fn claim_cases() {
    let Some(suite) = suite() else { return };
    let phrase = mnemonic(&suite);
    assert_eq!(phrase, MNEMONIC, "chain.md §6.1 quotes the fixture's mnemonic");
    let signer = signer(&phrase, 0);
    let public_key = signer.public_key();
    let provider = self::signer(&phrase, 1).address();
    assert_ne!(provider, signer.address());
    let text = instantiate(&read(&suite.join("cases_jwt.json.tmpl")), &signer.address(), &provider, NOW);
    assert!(!text.contains("{{"), "a placeholder was left unfilled");
    let cases = cases(&text, "cases_jwt.json.tmpl");
    let (mut passed, mut static_tokens) = (0, 0);
    for case in &cases {
        let name = description(case);
        let expected = &case["expected"];
        let alg = Alg::parse(expected["alg"].as_str().unwrap_or("ES256K")).expect("expected.alg");
        let verify_fail = expected["verifyFail"].as_bool().expect("expected.verifyFail");
        assert_eq!(expected["signFail"].as_bool(), Some(false), "{name}: no case expects signing to fail");

        let payload = serde_json::to_string(&numeric_dates(case["claims"].clone())).expect("claims to JSON");
        let token = jwt::sign_input(alg, &jwt::signing_input_of_payload(alg, &payload), &signer).expect("sign");
        let result = jwt::verify(&token, &public_key, NOW);
        match (&result, verify_fail) {
            (Ok(_), true) => panic!("{name}: verified but must fail; payload {payload}"),
            (Err(e), false) => panic!("{name}: must verify but: {}; payload {payload}", e.message),
            (Err(e), true) => assert_eq!(e.code, ErrorCode::InvalidClaims, "{name}: {}", e.message),
            (Ok((got, _)), false) => assert_eq!(*got, alg, "{name}"),
        }

        if let Some(static_token) = case["tokenString"].as_str() {
            if verify_fail {
                // The upstream token for a failing case must fail too, whatever the clock.
                assert!(jwt::verify(static_token, &public_key, NOW).is_err(), "{name}: static token verified");
            } else {
                let resigned =
                    jwt::sign_input(alg, signing_input_of(static_token), &signer).expect("sign static input");
                assert_eq!(resigned, static_token, "{name}: re-signed static token differs");
                let claims = numeric_dates(case["claims"].clone());
                let nbf = claims["nbf"].as_u64().expect("static nbf");
                let exp = claims["exp"].as_u64().expect("static exp");
                for now in [nbf, NOW, exp - 1] {
                    let (got, parsed) = jwt::verify(static_token, &public_key, now)
                        .unwrap_or_else(|e| panic!("{name} at {now}: {}", e.message));
                    assert_eq!((got, parsed.nbf, parsed.exp), (alg, nbf, exp), "{name}");
                }
                for now in [nbf - 1, exp] {
                    let error = jwt::verify(static_token, &public_key, now).expect_err("outside the window");
                    assert_eq!(error.code, ErrorCode::InvalidClaims, "{name} at {now}");
                }
                static_tokens += 1;
            }
        }
        passed += 1;
    }
    assert_eq!(static_tokens, 1, "one static token string that verifies");
    assert_eq!(passed, cases.len());
    eprintln!("cases_jwt.json.tmpl: {passed}/{} cases passed (now = {NOW})", cases.len());
}

/// chain.md §6.1: the fixture's mnemonic, so the round-trip tests below run without the suite.
const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";

fn with_payload_changed(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let mut payload: Vec<char> = parts[1].chars().collect();
    let i = payload.len() / 2;
    payload[i] = if payload[i] == 'A' { 'B' } else { 'A' };
    format!("{}.{}.{}", parts[0], payload.into_iter().collect::<String>(), parts[2])
}

#[test]
fn created_tokens_verify_within_their_window_only() {
    let signer = signer(MNEMONIC, 0);
    let other = self::signer(MNEMONIC, 1);
    let public_key = signer.public_key();
    let leases = [
        Leases::Full,
        Leases::Scoped(vec!["status".to_owned(), "logs".to_owned()]),
        Leases::Granular(vec![jwt::Permission { provider: other.address(), access: jwt::ProviderAccess::Full }]),
    ];
    for alg in [Alg::Es256k, Alg::Es256kAdr36] {
        for leases in &leases {
            let claims = Claims::starting_at(&signer.address(), NOW, 900, leases.clone());
            assert_eq!((claims.nbf, claims.exp), (NOW - jwt::CLOCK_SKEW_SECONDS, NOW + 900));
            let token = jwt::create(alg, &claims, &signer).expect("create");
            let (got, parsed) = jwt::verify(&token, &public_key, NOW).expect("a fresh token verifies");
            assert_eq!((got, &parsed), (alg, &claims));
            assert!(jwt::verify(&token, &public_key, claims.nbf).is_ok(), "valid from nbf on");
            assert!(jwt::verify(&token, &public_key, claims.exp - 1).is_ok(), "valid until exp");

            let tampered = jwt::verify(&with_payload_changed(&token), &public_key, NOW).expect_err("tampered");
            assert_eq!(tampered.code, ErrorCode::InvalidToken, "{alg:?}: {}", tampered.message);

            for now in [claims.exp, claims.exp + 3600] {
                let expired = jwt::verify(&token, &public_key, now).expect_err("expired");
                assert_eq!(expired.code, ErrorCode::InvalidClaims);
                assert!(expired.message.contains("expired"), "{}", expired.message);
            }
            let early = jwt::verify(&token, &public_key, claims.nbf - 1).expect_err("not yet valid");
            assert_eq!(early.code, ErrorCode::InvalidClaims);
            assert!(early.message.contains("not valid before"), "{}", early.message);

            // Signed by another key: fails against the issuer's key and, for the signer's own
            // key, because the issuer is not the signer.
            let forged = jwt::sign_input(alg, &jwt::signing_input(alg, &claims), &other).expect("sign");
            let error = jwt::verify(&forged, &public_key, NOW).expect_err("foreign signature");
            assert_eq!(error.code, ErrorCode::InvalidToken, "{}", error.message);
            let error = jwt::verify(&forged, &other.public_key(), NOW).expect_err("issuer is not the signer");
            assert_eq!(error.code, ErrorCode::InvalidClaims, "{}", error.message);
            let refused = jwt::create(alg, &claims, &other).expect_err("create for another issuer");
            assert_eq!(refused.code, ErrorCode::InvalidClaims);
        }
    }
}

#[test]
fn both_algorithms_sign_differently_and_are_not_interchangeable() {
    let signer = signer(MNEMONIC, 0);
    let claims = Claims::starting_at(&signer.address(), NOW, 900, Leases::Full);
    let plain = jwt::create(Alg::Es256k, &claims, &signer).expect("ES256K");
    let adr36 = jwt::create(Alg::Es256kAdr36, &claims, &signer).expect("ES256KADR36");
    // Same payload segment (sorted keys), different header and signature.
    assert_eq!(plain.split('.').nth(1), adr36.split('.').nth(1));
    assert_ne!(plain.split('.').next(), adr36.split('.').next());
    // An ES256K signature under an ES256KADR36 header (and vice versa) does not verify.
    let swap = |from: &str, to: &str| {
        let signature = from.rsplit('.').next().expect("signature");
        format!("{}.{signature}", signing_input_of(to))
    };
    for forged in [swap(&plain, &adr36), swap(&adr36, &plain)] {
        let error = jwt::verify(&forged, &signer.public_key(), NOW).expect_err("wrong alg's signature");
        assert_eq!(error.code, ErrorCode::InvalidToken);
    }
}
