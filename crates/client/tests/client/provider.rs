use leasekit_client::HttpResponse;
use leasekit_client::chain::LeaseId;
use leasekit_client::provider::{ForwardedPort, IpCapacity, LeasedIp, ServiceStatus, TlsCheck, parse_quantity};
use leasekit_client::{ErrorKind, LeaseStatusState, ProviderClient};

use crate::{Mock, block_on, header, reply};

const PROVIDER: &str = "akash1provider0000000000000000000000000000x";
const JWT: &str = "eyJhbGciOiJFUzI1NktBRFIzNiIsInR5cCI6IkpXVCJ9.e30.c2ln";

fn client(mock: &Mock) -> ProviderClient<&Mock> {
    ProviderClient::new(mock, "https://proxy.example.com")
}

fn lease() -> LeaseId {
    LeaseId {
        owner: "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu".to_owned(),
        dseq: 1_000_000,
        gseq: 1,
        oseq: 1,
        provider: PROVIDER.to_owned(),
        bseq: 0,
    }
}

fn status(mock: &Mock, has_ip_endpoints: bool) -> Result<LeaseStatusState, leasekit_client::ClientError> {
    block_on(client(mock).lease_status(PROVIDER, &lease(), JWT, has_ip_endpoints))
}

#[test]
fn send_manifest_through_the_proxy() {
    let mock = Mock::new([reply(200, "")]);
    let manifest = r#"[{"name":"dcloud","services":[]}]"#;
    block_on(client(&mock).send_manifest(PROVIDER, 1_000_000, manifest, JWT)).expect("accepted");
    let req = mock.single();
    assert_eq!(req.method, "PUT");
    assert_eq!(req.url, format!("https://proxy.example.com/provider/{PROVIDER}/deployment/1000000/manifest"));
    assert_eq!(header(&req, "Authorization"), Some(format!("Bearer {JWT}").as_str()));
    assert_eq!(header(&req, "Content-Type"), Some("application/json"));
    assert_eq!(req.body, manifest.as_bytes());
}

#[test]
fn lease_status_ready() {
    let mock = Mock::new([reply(200, "lease-status-ready.json")]);
    let LeaseStatusState::Ready(s) = status(&mock, true).expect("status") else { panic!("expected Ready") };
    let req = mock.single();
    assert_eq!(
        (req.method.as_str(), req.url.as_str()),
        ("GET", format!("https://proxy.example.com/provider/{PROVIDER}/lease/1000000/1/1/status").as_str())
    );
    assert_eq!(header(&req, "Authorization"), Some(format!("Bearer {JWT}").as_str()));
    assert_eq!(
        s.services["web"],
        ServiceStatus {
            available: 1,
            total: 1,
            uris: vec!["abc123.ingress.provider.example.com".to_owned(), "test.localhost".to_owned()],
            replicas: 1,
            ready_replicas: 1,
            available_replicas: 1,
        }
    );
    let forwarded = s.forwarded_ports.expect("computed");
    assert_eq!(
        forwarded["web"],
        [ForwardedPort {
            host: Some("provider.example.com".to_owned()),
            port: 443,
            external_port: 31234,
            proto: "TCP".to_owned(),
            name: "web".to_owned()
        }]
    );
    let ips = s.ips.expect("computed");
    let ip =
        |port: u32| LeasedIp { port, external_port: port, protocol: "TCP".to_owned(), ip: "203.0.113.10".to_owned() };
    assert_eq!(ips["web"], [ip(443), ip(80)]);
}

#[test]
fn lease_status_null_and_empty_maps_differ() {
    let mock = Mock::new([reply(200, "lease-status-ips-null.json"), reply(200, "lease-status-ips-empty.json")]);
    let LeaseStatusState::Ready(s) = status(&mock, false).expect("status") else { panic!("expected Ready") };
    assert_eq!(s.ips, None);
    assert_eq!(s.forwarded_ports, Some(Default::default()));
    assert_eq!((s.services["api"].uris.len(), s.services["api"].total, s.services["api"].available), (0, 2, 0));
    let LeaseStatusState::Ready(s) = status(&mock, true).expect("status") else { panic!("expected Ready") };
    assert_eq!(s.ips, Some(Default::default()));
    assert_eq!(s.forwarded_ports, None);
}

#[test]
fn lease_status_not_deployed_deploying_ip_pending() {
    let mock = Mock::new([
        reply(404, ""),
        reply(404, "lease-status-deploying.txt"),
        reply(500, "lease-status-ip-pending.txt"),
        reply(500, "lease-status-ip-pending.txt"),
    ]);
    assert_eq!(status(&mock, true).expect("state"), LeaseStatusState::NotDeployed);
    assert_eq!(
        status(&mock, true).expect("state"),
        LeaseStatusState::Deploying { message: "kube: no deployments for lease".to_owned() }
    );
    assert_eq!(status(&mock, true).expect("state"), LeaseStatusState::IpPending);
    // Without IP exposes a 500 is a real failure.
    let err = status(&mock, false).expect_err("500 without IPs");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(500)));
    assert!(err.message.contains("ip operator remote error"), "{}", err.message);
}

/// Only the IP operator's answer is "IP pending": another 500 of the provider is an error with
/// the provider's words, even while the manifest has IP exposes.
#[test]
fn lease_status_other_500s_are_errors() {
    let mock = Mock::new([reply(500, "provider-jwt-unknown-error.json"), reply(500, "provider-kube-unreachable.txt")]);
    let err = status(&mock, true).expect_err("a JWT error is no IP state");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(500)));
    assert!(err.message.contains("unknown error while processing JWT"), "{}", err.message);
    let err = status(&mock, true).expect_err("a Kubernetes error is no IP state");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(500)));
    assert!(err.message.contains("connection refused"), "{}", err.message);
}

#[test]
fn lease_status_proxy_404_is_an_unknown_provider_not_a_state() {
    let mock = Mock::new([reply(404, "proxy-unknown-provider.json")]);
    let err = status(&mock, true).expect_err("proxy error");
    assert_eq!((err.kind, err.http_status), (ErrorKind::UnknownProvider, Some(404)));
}

#[test]
fn migrate_endpoints() {
    let mock = Mock::new([reply(200, "migrate.json")]);
    let moved = block_on(client(&mock).migrate_endpoints(PROVIDER, &["myendpoint", "other"], 1_000_001, 1, JWT))
        .expect("migrated");
    assert_eq!(moved, ["myendpoint", "other"]);
    let req = mock.single();
    assert_eq!(
        (req.method.as_str(), req.url.as_str()),
        ("POST", format!("https://proxy.example.com/provider/{PROVIDER}/endpoint/migrate").as_str())
    );
    let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({"endpoints_to_migrate": ["myendpoint", "other"], "destination_dseq": 1_000_001, "destination_gseq": 1})
    );
    assert_eq!(header(&req, "Authorization"), Some(format!("Bearer {JWT}").as_str()));
}

#[test]
fn provider_status_without_token() {
    let mock = Mock::new([reply(200, "provider-status.json")]);
    let s = block_on(client(&mock).provider_status(PROVIDER)).expect("status");
    let req = mock.single();
    assert_eq!(req.url, format!("https://proxy.example.com/provider/{PROVIDER}/status"));
    assert_eq!(header(&req, "Authorization"), None);
    assert_eq!((s.address.as_str(), s.cluster_public_hostname.as_str()), (PROVIDER, "provider.example.com"));
    assert_eq!((s.leases, s.bid_engine_orders, s.manifest_deployments), (3, 0, 3));
    assert_eq!(s.tls, None, "no Leasekit-Tls header: not said");
}

#[test]
fn provider_status_says_which_tls_check_passed() {
    let mut pinned = reply(200, "provider-status.json");
    pinned.headers.push(("Leasekit-Tls".to_owned(), "pinned".to_owned()));
    let mut webpki = reply(200, "provider-status.json");
    webpki.headers.push(("leasekit-tls".to_owned(), "webpki".to_owned()));
    let mock = Mock::new([pinned, webpki]);
    assert_eq!(block_on(client(&mock).provider_status(PROVIDER)).expect("status").tls, Some(TlsCheck::Pinned));
    assert_eq!(block_on(client(&mock).provider_status(PROVIDER)).expect("status").tls, Some(TlsCheck::WebPki));
}

fn ip_capacity(mock: &Mock) -> Result<Option<IpCapacity>, leasekit_client::ClientError> {
    block_on(client(mock).ip_capacity(PROVIDER))
}

#[test]
fn ip_capacity_from_the_proxy_grpc_status() {
    let mock = Mock::new([reply(200, "grpc-status.json")]);
    let capacity = ip_capacity(&mock).expect("answer").expect("a pool");
    assert_eq!(capacity, IpCapacity { allocatable: 10, allocated: 7, capacity: 10 });
    assert_eq!(capacity.free(), 3);
    let req = mock.single();
    assert_eq!(
        (req.method.as_str(), req.url.as_str()),
        ("GET", format!("https://proxy.example.com/grpc-status/{PROVIDER}").as_str())
    );
    assert_eq!(header(&req, "Authorization"), None, "no token for a public status");

    let mock = Mock::new([reply(200, "grpc-status-saturated.json")]);
    let capacity = ip_capacity(&mock).expect("answer").expect("a pool");
    assert_eq!((capacity.allocated, capacity.free()), (6, 0), "free saturates at 0");

    let mock = Mock::new([reply(200, "grpc-status-suffix.json")]);
    assert_eq!(ip_capacity(&mock).expect("answer").expect("a pool").free(), 1000, "1k is 1000");
}

#[test]
fn ip_capacity_none_without_a_pool_and_errors_for_garbage() {
    let mock = Mock::new([reply(200, "grpc-status-none.json")]);
    assert_eq!(ip_capacity(&mock).expect("answer"), None);

    let mock = Mock::new([reply(200, "grpc-status-garbage.json")]);
    let err = ip_capacity(&mock).expect_err("not a number");
    assert_eq!(err.kind, ErrorKind::Decode);
    assert!(err.to_string().contains("allocatable"), "{err}");

    for body in [
        &b"not json"[..],
        b"{}",
        br#"{"leased_ip":{"allocatable":"1","allocated":"0"}}"#,
        br#"{"leased_ip":{"allocatable":"-1","allocated":"0","capacity":"1"}}"#,
    ] {
        let mock = Mock::new([HttpResponse { status: 200, headers: Vec::new(), body: body.to_vec() }]);
        assert_eq!(
            ip_capacity(&mock).expect_err("garbage").kind,
            ErrorKind::Decode,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn ip_capacity_maps_the_proxy_errors() {
    let mock = Mock::new([reply(502, "grpc-status-grpc-error.json")]);
    let err = ip_capacity(&mock).expect_err("gRPC error");
    assert_eq!((err.kind, err.http_status), (ErrorKind::Provider, Some(502)));
    assert!(err.detail.as_deref().is_some_and(|d| d.contains("inventory not ready")), "{err:?}");

    let mock = Mock::new([reply(495, "proxy-cert-mismatch.json")]);
    assert_eq!(ip_capacity(&mock).expect_err("mismatch").kind, ErrorKind::CertificateMismatch);
    let mock = Mock::new([reply(504, "proxy-timeout.json")]);
    assert_eq!(ip_capacity(&mock).expect_err("timeout").kind, ErrorKind::ProviderUnreachable);
}

#[test]
fn parses_kubernetes_quantities() {
    for (text, value) in [
        ("0", Some(0)),
        ("42", Some(42)),
        ("1k", Some(1000)),
        ("2Ki", Some(2048)),
        ("1.5k", Some(1500)),
        ("3e2", Some(300)),
        ("1.5", None),
        ("-1", None),
        ("", None),
        ("Ki", None),
        ("12abc", None),
        ("99999999999999999999999", None),
    ] {
        assert_eq!(parse_quantity(text), value, "{text:?}");
    }
}
