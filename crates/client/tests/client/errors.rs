use leasekit_client::chain::LeaseId;
use leasekit_client::{ChainClient, ErrorKind, ProviderClient};

use crate::{Mock, block_on, reply};

const PROVIDER: &str = "akash1provider0000000000000000000000000000x";

fn chain(mock: &Mock) -> ChainClient<&Mock> {
    ChainClient::new(mock, "https://api.example.com")
}

fn provider(mock: &Mock) -> ProviderClient<&Mock> {
    ProviderClient::new(mock, "https://proxy.example.com")
}

#[test]
fn sequence_mismatch_on_broadcast() {
    let mock = Mock::new([reply(200, "broadcast-sequence-mismatch.json")]);
    let err = block_on(chain(&mock).broadcast(b"tx")).expect_err("rejected");
    assert_eq!((err.kind, err.chain_code, err.codespace.as_deref()), (ErrorKind::TxRejected, Some(32), Some("sdk")));
    assert_eq!(
        err.to_string(),
        "the chain rejected the transaction: account sequence mismatch (expected 5, got 4) — another transaction from this account was sent; retry"
    );
    assert_eq!(err.detail.as_deref(), Some("account sequence mismatch, expected 5, got 4: incorrect account sequence"));
}

#[test]
fn sequence_mismatch_in_simulation() {
    let mock = Mock::new([reply(400, "simulate-sequence-mismatch.json")]);
    let err = block_on(chain(&mock).simulate(b"tx")).expect_err("rejected");
    assert_eq!((err.kind, err.chain_code, err.http_status), (ErrorKind::TxRejected, Some(32), Some(400)));
    assert!(err.message.contains("(expected 5, got 4)"), "{}", err.message);
}

#[test]
fn tx_decode_error() {
    let mock = Mock::new([reply(200, "broadcast-tx-decode.json")]);
    let err = block_on(chain(&mock).broadcast(b"tx")).expect_err("rejected");
    assert_eq!((err.kind, err.chain_code), (ErrorKind::TxRejected, Some(2)));
    assert_eq!(
        err.message,
        "the chain rejected the transaction: the node could not decode the transaction — it was built for another chain version"
    );
}

#[test]
fn chain_http_error_keeps_the_grpc_message() {
    let mock = Mock::new([reply(500, "simulate-sequence-mismatch.json")]);
    let err = block_on(chain(&mock).node_info()).expect_err("500");
    assert_eq!((err.kind, err.http_status, err.chain_code), (ErrorKind::Http, Some(500), Some(2)));
    assert!(
        err.message.starts_with("the chain node answered 500 to the node info query: account sequence"),
        "{}",
        err.message
    );
}

#[test]
fn provider_refuses_the_token() {
    let mock = Mock::new([reply(401, "provider-jwt-invalid.json"), reply(400, "provider-jwt-claims.json")]);
    let c = provider(&mock);
    let err = block_on(c.send_manifest(PROVIDER, 1, "[]", "bad")).expect_err("401");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Unauthorized, Some(401)));
    assert_eq!(err.message, "the provider refused the token (401): mint a new one");
    assert_eq!(err.detail.as_deref(), Some("JWT is invalid"));
    let err = block_on(c.send_manifest(PROVIDER, 1, "[]", "expired")).expect_err("400");
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::Unauthorized, "the provider refused the token (400): mint a new one")
    );
}

#[test]
fn provider_rejects_the_manifest() {
    let mock = Mock::new([reply(422, "manifest-rejected.txt")]);
    let err = block_on(provider(&mock).send_manifest(PROVIDER, 1, "[]", "jwt")).expect_err("422");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(422)));
    assert_eq!(
        err.message,
        "the provider failed while accepting the manifest (422): manifest version validation failed"
    );
}

#[test]
fn proxy_statuses() {
    let cases = [
        (
            495,
            "proxy-cert-mismatch.json",
            ErrorKind::CertificateMismatch,
            "the provider's TLS certificate does not match its on-chain certificate (495)",
        ),
        (
            403,
            "proxy-target-refused.json",
            ErrorKind::TargetRefused,
            "the proxy refused to forward to this provider (403)",
        ),
        (
            404,
            "proxy-unknown-provider.json",
            ErrorKind::UnknownProvider,
            "the chain knows no provider with this address (404)",
        ),
        (503, "proxy-unreachable.json", ErrorKind::ProviderUnreachable, "the proxy could not reach the provider"),
        (502, "proxy-tls-failed.json", ErrorKind::ProviderUnreachable, "the proxy could not reach the provider"),
        (
            404,
            "proxy-no-valid-certificate.json",
            ErrorKind::CertificateMismatch,
            "the provider has no valid certificate on chain, so the proxy cannot verify it",
        ),
        (
            503,
            "proxy-chain-unreachable.json",
            ErrorKind::Proxy,
            "the proxy could not look the provider up on chain; retry later",
        ),
        (
            400,
            "proxy-bad-path.json",
            ErrorKind::Proxy,
            "the proxy refused the request while reporting the lease status (400)",
        ),
        (504, "proxy-timeout.json", ErrorKind::ProviderUnreachable, "the provider did not answer in time (504)"),
    ];
    for (status, fixture, kind, message) in cases {
        let mock = Mock::new([reply(status, fixture)]);
        let lease =
            LeaseId { owner: "o".to_owned(), dseq: 1, gseq: 1, oseq: 1, provider: PROVIDER.to_owned(), bseq: 0 };
        let err = block_on(provider(&mock).lease_status(PROVIDER, &lease, "jwt", true)).expect_err("proxy error");
        assert_eq!((err.kind, err.http_status, err.message.as_str()), (kind, Some(status), message), "{fixture}");
        assert!(err.detail.is_some(), "{fixture}: the proxy's message is kept");
    }
    let mock = Mock::new([reply(495, "proxy-cert-mismatch.json")]);
    let err = block_on(provider(&mock).provider_status(PROVIDER)).expect_err("495");
    assert!(err.detail.as_deref().is_some_and(|d| d.starts_with("certificate-mismatch: the certificate served by")));
}

#[test]
fn provider_kube_unreachable_and_malformed_header() {
    let mock = Mock::new([reply(503, "provider-kube-unreachable.txt"), reply(400, "provider-bad-auth-header.json")]);
    let c = provider(&mock);
    let lease = LeaseId { owner: "o".to_owned(), dseq: 1, gseq: 1, oseq: 1, provider: PROVIDER.to_owned(), bseq: 0 };
    let err = block_on(c.lease_status(PROVIDER, &lease, "jwt", true)).expect_err("503 from the provider");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(503)));
    assert_eq!(err.message, "the provider failed while reporting the lease status (503): kube: connection refused");
    let err = block_on(c.lease_status(PROVIDER, &lease, "jwt", true)).expect_err("400 from the auth middleware");
    assert_eq!((err.kind, err.detail.as_deref()), (ErrorKind::Unauthorized, Some("invalid authorization header")));
}
