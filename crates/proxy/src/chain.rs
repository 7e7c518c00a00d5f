//! The two chain queries behind every proxied request.

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{ACCEPT, HOST, HeaderValue};
use hyper::{Request, StatusCode};
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;

use crate::handler::{Failure, Shared};
use crate::target::Host;
use crate::upstream::{self, ExchangeError};

/// Cap on a chain answer: a provider record or its certificates are a few KiB.
const CHAIN_MAX_BYTES: usize = 4 << 20;

/// `provider.host_uri` of the provider `address` (already checked to be bech32).
pub(crate) async fn host_uri(shared: &Shared, address: &str) -> Result<String, Failure> {
    let json = get(shared, &format!("/akash/provider/v1beta4/providers/{address}"), address).await?;
    host_uri_of(&json).ok_or_else(|| Failure::chain_error("the chain's provider record has no host_uri"))
}

/// `provider.host_uri` of a provider query's answer.
fn host_uri_of(json: &Value) -> Option<String> {
    json.pointer("/provider/host_uri").and_then(Value::as_str).filter(|uri| !uri.is_empty()).map(str::to_owned)
}

/// The DER of every valid on-chain certificate of `address`.
pub(crate) async fn certificates(shared: &Shared, address: &str) -> Result<Vec<CertificateDer<'static>>, Failure> {
    let path = format!("/akash/cert/v1/certificates/list?filter.owner={address}&filter.state=valid");
    let json = get(shared, &path, address).await?;
    let pins = pins_of(&json);
    if pins.is_empty() {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "no-valid-certificate",
            format!("provider {address} has no valid certificate on chain"),
        ));
    }
    Ok(pins)
}

/// The DER of every valid certificate in a certificate list; entries that do not decode are
/// skipped (anyone can publish any bytes as a certificate).
fn pins_of(json: &Value) -> Vec<CertificateDer<'static>> {
    let mut pins = Vec::new();
    for entry in json.get("certificates").and_then(Value::as_array).into_iter().flatten() {
        let Some(cert) = entry.get("certificate") else { continue };
        // The query already filters; a chain that ignores the filter must not widen the pin set.
        if cert.get("state").and_then(Value::as_str).is_some_and(|state| state != "valid") {
            continue;
        }
        let Some(pem) = cert.get("cert").and_then(Value::as_str) else { continue };
        if let Ok(pem) = base64::engine::general_purpose::STANDARD.decode(pem) {
            pins.extend(crate::pin::certificates_of(&pem));
        }
    }
    pins
}

/// `GET {chain_rest}{path}` as JSON; a gRPC NotFound becomes 404 `provider-not-found`.
async fn get(shared: &Shared, path: &str, address: &str) -> Result<Value, Failure> {
    let chain = &shared.chain;
    let unreachable = |why: String| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "chain-unreachable",
            format!("the chain REST is unreachable: {why}"),
        )
    };
    let addrs = chain.resolve().await.map_err(|e| unreachable(e.to_string()))?;
    let tcp = upstream::connect(&addrs).await.map_err(|e| unreachable(e.to_string()))?;
    let request = Request::get(format!("{}{path}", chain.prefix))
        .header(HOST, &chain.authority)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .body(Full::new(Bytes::new()))
        .map_err(|e| Failure::chain_error(&format!("cannot build the chain query: {e}")))?;
    let max = CHAIN_MAX_BYTES;
    let reply = if chain.https {
        let name = match &chain.host {
            Host::Ip(ip) => ServerName::IpAddress((*ip).into()),
            Host::Name(name) => ServerName::try_from(name.clone())
                .map_err(|e| unreachable(format!("'{name}' is not a TLS server name ({e})")))?,
        };
        let tls = shared.chain_tls.connect(name, tcp).await.map_err(|e| unreachable(format!("TLS: {e}")))?;
        upstream::exchange(tls, request, max).await
    } else {
        upstream::exchange(tcp, request, max).await
    };
    let reply = reply.map_err(|e| match e {
        ExchangeError::TooLarge => Failure::chain_error("the chain's answer is larger than the response cap"),
        ExchangeError::Broken(why) => unreachable(why),
    })?;
    let json: Option<Value> = serde_json::from_slice(&reply.body).ok();
    // gRPC-gateway: NotFound is HTTP 404 with `"code": 5` (some nodes answer 500 with code 5).
    let grpc_code = json.as_ref().and_then(|j| j.get("code")).and_then(Value::as_i64);
    if reply.status == StatusCode::NOT_FOUND || grpc_code == Some(5) {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "provider-not-found",
            format!("provider {address} is not registered on chain"),
        ));
    }
    if !reply.status.is_success() {
        return Err(Failure::chain_error(&format!("the chain REST answered {} to {path}", reply.status)));
    }
    json.ok_or_else(|| Failure::chain_error("the chain REST's answer is not JSON"))
}

#[cfg(test)]
mod recorded {
    //! The proxy's two chain lookups on mainnet's recorded answers (`LEASEKIT_REAL_API`).

    use base64::Engine as _;

    use super::{host_uri_of, pins_of};

    #[test]
    fn host_uri_of_a_recorded_provider() {
        let Some(suite) = leasekit_test_support::real_api() else { return };
        assert_eq!(
            host_uri_of(&suite.json("provider.json")).as_deref(),
            Some("https://provider.forgeelectronics.uk:8443")
        );
    }

    #[test]
    fn the_pin_of_a_recorded_certificate_is_its_der() {
        let Some(suite) = leasekit_test_support::real_api() else { return };
        let list = suite.json("certificates-list.json");
        let pins = pins_of(&list);
        assert_eq!(pins.len(), 1);
        // The DER is the base64 body of the PEM, decoded independently here.
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.decode(s).expect("base64");
        let pem = String::from_utf8(b64(list["certificates"][0]["certificate"]["cert"].as_str().expect("cert")))
            .expect("PEM text");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().concat();
        assert_eq!(pins[0].as_ref(), b64(&body).as_slice());
    }
}
