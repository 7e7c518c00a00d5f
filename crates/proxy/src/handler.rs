//! One browser request: CORS, routing, the checks and the forwarded exchange.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{self, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue, ORIGIN, VARY};
use hyper::{Method, Request, Response, StatusCode};
use rustls::crypto::CryptoProvider;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::grpc::CallError;
use crate::pin::TlsCheck;
use crate::target::{Endpoint, Host, refusal};
use crate::upstream::{self, ExchangeError};
use crate::{Error, ProxyConfig};

/// The response header naming the check that accepted the provider's certificate.
const LEASEKIT_TLS: &str = "Leasekit-Tls";

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: &str = "600";

/// At most this many providers' gRPC status answers are cached at once.
const GRPC_CACHE_ENTRIES: usize = 1024;

/// What every request reads: the configuration and what was derived from it at start. Besides
/// the short cache of public `/grpc-status` answers, nothing in here changes after
/// [`crate::serve`].
pub(crate) struct Shared {
    pub config: ProxyConfig,
    pub chain: Endpoint,
    pub chain_tls: TlsConnector,
    crypto: Arc<CryptoProvider>,
    /// The Web PKI check of a provider certificate that is not on chain (webpki-roots).
    provider_webpki: Arc<rustls::client::WebPkiServerVerifier>,
    any_origin: bool,
    /// `/grpc-status` answers by provider address, with when they were made.
    grpc_cache: Mutex<HashMap<String, (Instant, TlsCheck, Bytes)>>,
}

impl Shared {
    /// `provider_roots`: the Web PKI roots a provider certificate that is not on chain may chain
    /// to — webpki-roots, except in the crate's own tests.
    pub fn new(config: ProxyConfig, provider_roots: Option<rustls::RootCertStore>) -> Result<Self, Error> {
        let chain = Endpoint::parse(&config.chain_rest, &["http", "https"])
            .map_err(|why| Error::InvalidConfig(format!("chain REST: {why}")))?;
        let any_origin = config.allowed_origins.iter().any(|origin| origin == "*");
        if any_origin && !config.devnet {
            return Err(Error::InvalidConfig("the origin '*' is only allowed in devnet mode".into()));
        }
        if config.max_request_bytes == 0 || config.max_response_bytes == 0 {
            return Err(Error::InvalidConfig("body caps must be positive".into()));
        }
        if config.timeout.is_zero() || config.manifest_timeout.is_zero() {
            return Err(Error::InvalidConfig("timeouts must be positive".into()));
        }
        let crypto = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let roots = Arc::new(roots);
        let provider_roots = provider_roots.map_or_else(|| Arc::clone(&roots), Arc::new);
        let provider_webpki =
            rustls::client::WebPkiServerVerifier::builder_with_provider(provider_roots, Arc::clone(&crypto))
                .build()
                .map_err(|e| Error::InvalidConfig(format!("TLS: {e}")))?;
        let chain_tls = rustls::ClientConfig::builder_with_provider(Arc::clone(&crypto))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::InvalidConfig(format!("TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self {
            config,
            chain,
            chain_tls: TlsConnector::from(Arc::new(chain_tls)),
            crypto,
            provider_webpki,
            any_origin,
            grpc_cache: Mutex::new(HashMap::new()),
        })
    }

    /// The `Access-Control-Allow-Origin` value for this request's `Origin`, if it is allowed.
    fn allowed_origin(&self, headers: &HeaderMap) -> Option<HeaderValue> {
        let origin = headers.get(ORIGIN)?;
        let text = origin.to_str().ok()?;
        (self.any_origin || self.config.allowed_origins.iter().any(|allowed| allowed == text)).then(|| origin.clone())
    }
}

/// A proxy-side error, answered as `{"error": code, "message": message}`.
#[derive(Debug)]
pub(crate) struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, message: String) -> Self {
        Self { status, code, message }
    }

    pub fn chain_error(message: &str) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, "chain-error", message.to_owned())
    }

    fn timeout(after: Duration) -> Self {
        Self::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream-timeout",
            format!("the provider exchange did not finish within {} ms", after.as_millis()),
        )
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        json_response(self.status, body.to_string())
    }
}

fn json_response(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Answers one request; never fails (errors become JSON answers).
pub(crate) async fn handle(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let origin = shared.allowed_origin(request.headers());
    let mut response = if request.method() == Method::OPTIONS {
        preflight(origin.is_some())
    } else if request.uri().path() == "/healthz" {
        if request.method() == Method::GET || request.method() == Method::HEAD {
            json_response(StatusCode::OK, r#"{"status":"ok"}"#)
        } else {
            Failure::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "/healthz answers GET only".into())
                .into_response()
        }
    } else if request.uri().path().starts_with("/provider/") {
        forward(shared, request).await.unwrap_or_else(Failure::into_response)
    } else if let Some(address) = request.uri().path().strip_prefix("/grpc-status/") {
        if request.method() == Method::GET || request.method() == Method::HEAD {
            let address = address.to_owned();
            grpc_status(shared, &address).await.unwrap_or_else(Failure::into_response)
        } else {
            Failure::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "/grpc-status answers GET only".into())
                .into_response()
        }
    } else {
        Failure::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "the proxy serves /provider/{akash1…}/{path}, /grpc-status/{akash1…} and /healthz".into(),
        )
        .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(LEASEKIT_TLS));
    }
    response
}

fn preflight(allowed: bool) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    if allowed {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, PUT, POST"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Authorization, Content-Type"));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(PREFLIGHT_MAX_AGE));
    }
    response
}

/// The provider address and the provider path (with its query) of `/provider/{addr}/{path}`.
fn split_target(request: &Request<Incoming>) -> Result<(String, String), Failure> {
    let rest = request.uri().path().strip_prefix("/provider/").unwrap_or_default();
    let (address, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    check_address(address)?;
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad-path",
            "the provider path has '.' or '..' segments".into(),
        ));
    }
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    Ok((address.to_owned(), path_and_query))
}

/// A provider address: bech32 with the `akash` prefix (400 `bad-address` otherwise).
fn check_address(address: &str) -> Result<(), Failure> {
    leasekit_tx::address::parse(address, "provider")
        .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, "bad-address", e.to_string()))?;
    if !address.starts_with("akash1") {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "bad-address",
            format!("provider '{address}' is not an akash1… address"),
        ));
    }
    Ok(())
}

/// `PUT /deployment/{dseq}/manifest`, which gets the longer deadline.
fn is_manifest_submission(method: &Method, path_and_query: &str) -> bool {
    let path = path_and_query.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    method == Method::PUT
        && matches!(segments.as_slice(), ["deployment", dseq, "manifest"] if !dseq.is_empty() && dseq.bytes().all(|b| b.is_ascii_digit()))
}

async fn forward(shared: &Shared, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Failure> {
    let config = &shared.config;
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::PUT | Method::POST | Method::DELETE | Method::PATCH
    ) {
        return Err(Failure::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            format!("{} is not relayed", request.method()),
        ));
    }
    let (address, path_and_query) = split_target(&request)?;
    let too_large = || {
        Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request-too-large",
            format!("the request body is larger than {} bytes", config.max_request_bytes),
        )
    };
    let declared = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > config.max_request_bytes as u64) {
        return Err(too_large());
    }
    let limit = if is_manifest_submission(request.method(), &path_and_query) {
        config.manifest_timeout
    } else {
        config.timeout
    };
    let deadline = Instant::now() + limit;

    let (parts, body) = request.into_parts();
    let body = tokio::time::timeout_at(deadline, Limited::new(body, config.max_request_bytes).collect())
        .await
        .map_err(|_| Failure::timeout(limit))?
        .map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                too_large()
            } else {
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "bad-request-body",
                    format!("the request body could not be read: {e}"),
                )
            }
        })?
        .to_bytes();

    let mut upstream_request = Request::builder().method(parts.method).uri(path_and_query);
    if let Some(content_type) = parts.headers.get(CONTENT_TYPE) {
        upstream_request = upstream_request.header(CONTENT_TYPE, content_type);
    }
    if let Some(authorization) = parts.headers.get(AUTHORIZATION) {
        let mut authorization = authorization.clone();
        authorization.set_sensitive(true);
        upstream_request = upstream_request.header(AUTHORIZATION, authorization);
    }
    let exchange = async {
        let host_uri = crate::chain::host_uri(shared, &address).await?;
        let endpoint = Endpoint::parse(&host_uri, &["https"]).map_err(|why| {
            Failure::new(StatusCode::BAD_GATEWAY, "bad-host-uri", format!("provider {address}'s host_uri: {why}"))
        })?;
        let addrs = checked_addresses(&endpoint, config.devnet).await?;
        let pins = crate::chain::certificates(shared, &address).await?;
        let request = upstream_request.header(HOST, &endpoint.authority).body(Full::new(body)).map_err(|e| {
            Failure::new(StatusCode::BAD_REQUEST, "bad-path", format!("cannot relay this request: {e}"))
        })?;
        relay(shared, &endpoint.host, &addrs, pins, request).await
    };
    tokio::time::timeout_at(deadline, exchange).await.map_err(|_| Failure::timeout(limit))?
}

/// Every address of the provider's host, each checked; refused if any is not public (outside
/// devnet mode).
async fn checked_addresses(endpoint: &Endpoint, devnet: bool) -> Result<Vec<SocketAddr>, Failure> {
    let addrs = endpoint.resolve().await.map_err(|e| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "provider-unreachable",
            format!("the provider's host does not resolve: {e}"),
        )
    })?;
    if !devnet {
        for addr in &addrs {
            if let Some(why) = refusal(addr.ip()) {
                return Err(Failure::new(
                    StatusCode::FORBIDDEN,
                    "refused-target",
                    format!("the provider's host resolves to {}, a {why} address", addr.ip()),
                ));
            }
        }
    }
    Ok(addrs)
}

/// TLS with the provider at one of `addrs`, its certificate pinned to `pins` or valid in the
/// Web PKI for `host`, offering `alpn`; and which of the two checks passed.
///
/// First without SNI, where every provider serves its on-chain certificate. If that handshake
/// fails and `host` is a DNS name, once more on a new connection with SNI = `host`, which a
/// TLS-terminating load balancer may need to pick the name's certificate. An IP literal gets no
/// second try: SNI cannot carry an address, and the first handshake already checked the
/// certificate's IP SANs.
async fn connect_provider(
    shared: &Shared,
    host: &Host,
    addrs: &[SocketAddr],
    pins: Vec<rustls::pki_types::CertificateDer<'static>>,
    alpn: Vec<Vec<u8>>,
) -> Result<(TlsStream<TcpStream>, TlsCheck), Failure> {
    let (name, can_retry) = match host {
        Host::Ip(ip) => (rustls::pki_types::ServerName::IpAddress((*ip).into()), false),
        Host::Name(name) => match rustls::pki_types::ServerName::try_from(name.clone()) {
            Ok(name) => (name, true),
            Err(e) => {
                return Err(Failure::new(
                    StatusCode::BAD_GATEWAY,
                    "bad-host-uri",
                    format!("'{name}' is not a TLS server name ({e})"),
                ));
            }
        },
    };
    let attempt = |sni: bool| {
        let (name, pins, alpn) = (name.clone(), pins.clone(), alpn.clone());
        async move {
            let tcp = upstream::connect(addrs).await.map_err(|e| {
                Failure::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "provider-unreachable",
                    format!("cannot connect to the provider: {e}"),
                )
            })?;
            let (config, verifier) =
                crate::pin::client_config(&shared.crypto, pins, Arc::clone(&shared.provider_webpki), sni, alpn);
            let tls = TlsConnector::from(Arc::new(config)).connect(name, tcp).await;
            Ok::<_, Failure>(tls.map(|tls| (tls, verifier.passed())))
        }
    };
    let first = match attempt(false).await? {
        Ok((tls, Some(check))) => return Ok((tls, check)),
        Ok((_, None)) => None,
        Err(e) => Some(e),
    };
    let second = if can_retry {
        match attempt(true).await? {
            Ok((tls, Some(check))) => return Ok((tls, check)),
            Ok((_, None)) => None,
            Err(e) => Some(e),
        }
    } else {
        None
    };
    let rejected = [&first, &second].into_iter().flatten().any(crate::pin::is_certificate_rejection);
    if rejected {
        return Err(Failure::new(
            StatusCode::from_u16(495).expect("495 is a valid status"),
            "certificate-mismatch",
            "the provider's TLS certificate is neither its certificate on chain nor valid in the Web PKI for its host name"
                .into(),
        ));
    }
    let why = second.or(first).map_or_else(|| "no certificate was checked".to_owned(), |e| e.to_string());
    Err(Failure::new(StatusCode::BAD_GATEWAY, "tls-handshake-failed", format!("TLS with the provider failed: {why}")))
}

async fn relay(
    shared: &Shared,
    host: &Host,
    addrs: &[SocketAddr],
    pins: Vec<rustls::pki_types::CertificateDer<'static>>,
    request: Request<Full<Bytes>>,
) -> Result<Response<Full<Bytes>>, Failure> {
    let (tls, check) = connect_provider(shared, host, addrs, pins, Vec::new()).await?;
    let reply = upstream::exchange(tls, request, shared.config.max_response_bytes).await.map_err(|e| match e {
        ExchangeError::TooLarge => Failure::new(
            StatusCode::BAD_GATEWAY,
            "response-too-large",
            format!("the provider's answer is larger than {} bytes", shared.config.max_response_bytes),
        ),
        ExchangeError::Broken(why) => {
            Failure::new(StatusCode::BAD_GATEWAY, "bad-gateway", format!("the provider's answer is broken: {why}"))
        }
    })?;
    let mut response = Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    if let Some(content_type) = reply.content_type {
        response.headers_mut().insert(CONTENT_TYPE, content_type);
    }
    response.headers_mut().insert(LEASEKIT_TLS, HeaderValue::from_static(check.header_value()));
    Ok(response)
}

/// `GET /grpc-status/{addr}`: the provider's leased-IP pool from its gRPC `GetStatus`, as JSON
/// `{"leased_ip": {"allocatable", "allocated", "capacity"} | null, "free": n | null}`.
async fn grpc_status(shared: &Shared, address: &str) -> Result<Response<Full<Bytes>>, Failure> {
    check_address(address)?;
    let config = &shared.config;
    let ttl = config.grpc_status_ttl;
    if !ttl.is_zero() {
        let cache = shared.grpc_cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((made, check, body)) = cache.get(address)
            && made.elapsed() < ttl
        {
            return Ok(grpc_answer(*check, body.clone()));
        }
    }
    let limit = config.timeout;
    let exchange = async {
        let host_uri = crate::chain::host_uri(shared, address).await?;
        let mut endpoint = Endpoint::parse(&host_uri, &["https"]).map_err(|why| {
            Failure::new(StatusCode::BAD_GATEWAY, "bad-host-uri", format!("provider {address}'s host_uri: {why}"))
        })?;
        endpoint.port = config.grpc_ports.get(address).copied().unwrap_or(config.grpc_port);
        let addrs = checked_addresses(&endpoint, config.devnet).await?;
        let pins = crate::chain::certificates(shared, address).await?;
        // gRPC needs HTTP/2, negotiated by ALPN (gRPC-Go servers refuse TLS without it).
        let (tls, check) = connect_provider(shared, &endpoint.host, &addrs, pins, vec![b"h2".to_vec()]).await?;
        let host = match &endpoint.host {
            Host::Ip(std::net::IpAddr::V6(ip)) => format!("[{ip}]"),
            Host::Ip(ip) => ip.to_string(),
            Host::Name(name) => name.clone(),
        };
        let origin: hyper::Uri = format!("https://{host}:{}", endpoint.port).parse().map_err(|e| {
            Failure::new(StatusCode::BAD_GATEWAY, "bad-host-uri", format!("provider {address}'s host_uri: {e}"))
        })?;
        let pair = crate::grpc::get_status(tls, origin, config.max_response_bytes).await.map_err(|e| match e {
            CallError::Status(status) => Failure::new(
                StatusCode::BAD_GATEWAY,
                "grpc-error",
                format!(
                    "the provider's GetStatus failed with gRPC status {} ({:?}): {}",
                    i32::from(status.code()),
                    status.code(),
                    status.message()
                ),
            ),
            CallError::TooLarge => Failure::new(
                StatusCode::BAD_GATEWAY,
                "response-too-large",
                format!("the provider's gRPC status is larger than {} bytes", config.max_response_bytes),
            ),
            CallError::Broken(why) => Failure::new(
                StatusCode::BAD_GATEWAY,
                "bad-gateway",
                format!("the provider's gRPC answer is broken: {why}"),
            ),
        })?;
        Ok::<_, Failure>((pair, check))
    };
    let (pair, check) = tokio::time::timeout(limit, exchange).await.map_err(|_| Failure::timeout(limit))??;
    let body = Bytes::from(crate::grpc::answer_json(pair.as_ref()).to_string());
    if !ttl.is_zero() {
        let mut cache = shared.grpc_cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= GRPC_CACHE_ENTRIES {
            cache.retain(|_, (made, _, _)| made.elapsed() < ttl);
        }
        // Still full of fresh answers: this one is simply not kept.
        if cache.len() < GRPC_CACHE_ENTRIES || cache.contains_key(address) {
            cache.insert(address.to_owned(), (Instant::now(), check, body.clone()));
        }
    }
    Ok(grpc_answer(check, body))
}

fn grpc_answer(check: TlsCheck, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = json_response(StatusCode::OK, body);
    response.headers_mut().insert(LEASEKIT_TLS, HeaderValue::from_static(check.header_value()));
    response
}
