//! The proxy against an in-test chain REST and in-test HTTPS providers, all on 127.0.0.1.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use leasekit_proxy::{ProxyConfig, RunningProxy};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

const APP: &str = "https://app.example";

type Handler = Arc<dyn Fn(Parts, Bytes) -> Response<Full<Bytes>> + Send + Sync>;

/// Serves `handler` on `listener` (over TLS with `tls`) until the test's runtime ends.
fn spawn_server(listener: TcpListener, tls: Option<TlsAcceptor>, handler: Handler) {
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (tls, handler) = (tls.clone(), Arc::clone(&handler));
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    let handler = Arc::clone(&handler);
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await?.to_bytes();
                        Ok::<_, hyper::Error>(handler(parts, body))
                    }
                });
                let builder = hyper::server::conn::http1::Builder::new();
                match tls {
                    // A refused handshake ends here, before any request is read.
                    Some(tls) => {
                        if let Ok(stream) = tls.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            });
        }
    });
}

fn respond(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert("content-type", HeaderValue::from_str(content_type).expect("a header value"));
    response
}

async fn listener() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0")
}

fn address(seed: u8) -> String {
    let mut key = [seed; 33];
    key[0] = 2;
    leasekit_tx::address::from_public_key(&key)
}

/// A self-signed certificate and its key, as a provider makes one.
struct Identity {
    der: CertificateDer<'static>,
    pem: String,
    key: Vec<u8>,
}

fn identity() -> Identity {
    let certified =
        rcgen::generate_simple_self_signed(vec!["provider.test".into()]).expect("a self-signed certificate");
    Identity { der: certified.cert.der().clone(), pem: certified.cert.pem(), key: certified.key_pair.serialize_der() }
}

/// A provider record: host_uri and the `cert` fields of its certificates (base64 of PEM).
type Record = (String, Vec<String>);

/// The chain's provider records by address.
#[derive(Clone, Default)]
struct Chain(Arc<Mutex<HashMap<String, Record>>>);

impl Chain {
    async fn start() -> (Self, String) {
        let chain = Self::default();
        let records = chain.clone();
        let listener = listener().await;
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        spawn_server(listener, None, Arc::new(move |parts, _| records.answer(&parts)));
        (chain, url)
    }

    fn register(&self, address: &str, host_uri: String, certificates: &[&Identity]) {
        let fields = certificates
            .iter()
            .map(|identity| base64::engine::general_purpose::STANDARD.encode(&identity.pem))
            .collect();
        self.register_fields(address, host_uri, fields);
    }

    /// Registers `cert` fields as they are, decodable or not.
    fn register_fields(&self, address: &str, host_uri: String, fields: Vec<String>) {
        self.0.lock().expect("not poisoned").insert(address.to_owned(), (host_uri, fields));
    }

    fn answer(&self, parts: &Parts) -> Response<Full<Bytes>> {
        let records = self.0.lock().expect("not poisoned");
        let path = parts.uri.path();
        let not_found = || {
            respond(
                StatusCode::NOT_FOUND,
                "application/json",
                json!({"code": 5, "message": "provider not found", "details": []}).to_string(),
            )
        };
        if let Some(owner) = path.strip_prefix("/akash/provider/v1beta4/providers/") {
            return match records.get(owner) {
                Some((host_uri, _)) => respond(
                    StatusCode::OK,
                    "application/json",
                    json!({"provider": {"owner": owner, "host_uri": host_uri, "attributes": [], "info": {"email": "", "website": ""}}}).to_string(),
                ),
                None => not_found(),
            };
        }
        if path == "/akash/cert/v1/certificates/list" {
            let query = parts.uri.query().unwrap_or_default();
            assert!(query.contains("filter.state=valid"), "{query}");
            let owner = query.split('&').find_map(|pair| pair.strip_prefix("filter.owner=")).unwrap_or_default();
            let certificates: Vec<Value> = records
                .get(owner)
                .map(|(_, pems)| pems.as_slice())
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(serial, cert)| {
                    json!({"certificate": {"state": "valid", "cert": cert, "pubkey": ""}, "serial": serial.to_string()})
                })
                .collect();
            return respond(
                StatusCode::OK,
                "application/json",
                json!({"certificates": certificates, "pagination": {"next_key": null, "total": "0"}}).to_string(),
            );
        }
        not_found()
    }
}

/// An HTTPS provider presenting `identity` that echoes what it received; counts the requests
/// its handler saw.
async fn echo_provider(identity: &Identity) -> (SocketAddr, Arc<AtomicUsize>) {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![identity.der.clone()], PrivateKeyDer::Pkcs8(identity.key.clone().into()))
        .expect("a server certificate");
    let listener = listener().await;
    let addr = listener.local_addr().expect("bound");
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    spawn_server(
        listener,
        Some(TlsAcceptor::from(Arc::new(config))),
        Arc::new(move |parts, body| {
            counter.fetch_add(1, Ordering::SeqCst);
            let headers: serde_json::Map<String, Value> = parts
                .headers
                .iter()
                .map(|(name, value)| (name.to_string(), Value::from(value.to_str().unwrap_or("<binary>"))))
                .collect();
            let echo = json!({
                "method": parts.method.as_str(),
                "path": parts.uri.to_string(),
                "headers": headers,
                "body": String::from_utf8_lossy(&body),
            });
            respond(StatusCode::CREATED, "application/x-echo", echo.to_string())
        }),
    );
    (addr, seen)
}

async fn start_proxy(chain_url: &str, devnet: bool, adjust: impl FnOnce(&mut ProxyConfig)) -> RunningProxy {
    let mut config = ProxyConfig::new("127.0.0.1:0".parse().expect("an address"), chain_url.to_owned());
    config.devnet = devnet;
    config.allowed_origins = vec![APP.into()];
    adjust(&mut config);
    leasekit_proxy::serve(config).await.expect("the proxy starts")
}

/// A devnet-mode proxy in front of one echo provider whose certificate is on chain.
struct EchoScene {
    proxy: RunningProxy,
    owner: String,
    provider: SocketAddr,
    seen: Arc<AtomicUsize>,
}

async fn echo_scene(seed: u8, adjust: impl FnOnce(&mut ProxyConfig)) -> EchoScene {
    let (chain, chain_url) = Chain::start().await;
    let identity = identity();
    let (provider, seen) = echo_provider(&identity).await;
    let owner = address(seed);
    chain.register(&owner, format!("https://{provider}"), &[&identity]);
    let proxy = start_proxy(&chain_url, true, adjust).await;
    EchoScene { proxy, owner, provider, seen }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn error(&self) -> String {
        self.json()["error"].as_str().expect("an error code").to_owned()
    }
}

async fn send(proxy: &RunningProxy, request: Request<Full<Bytes>>) -> Answer {
    let stream = TcpStream::connect(proxy.local_addr()).await.expect("the proxy accepts");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("HTTP/1.1");
    tokio::spawn(conn);
    let response = sender.send_request(request).await.expect("an answer");
    let (parts, body) = response.into_parts();
    Answer { status: parts.status, headers: parts.headers, body: body.collect().await.expect("a body").to_bytes() }
}

fn get(uri: &str) -> Request<Full<Bytes>> {
    Request::get(uri).header("host", "proxy.test").body(Full::new(Bytes::new())).expect("a request")
}

#[tokio::test]
async fn forwards_to_the_provider_with_its_on_chain_certificate_in_devnet_mode() {
    let EchoScene { proxy, owner, provider, seen } = echo_scene(7, |_| {}).await;

    let request = Request::put(format!("/provider/{owner}/deployment/42/manifest?x=1&y=two"))
        .header("host", "proxy.test")
        .header("origin", APP)
        .header("authorization", "Bearer header.payload.signature")
        .header("content-type", "application/json")
        .header("cookie", "session=secret")
        .header("x-forwarded-for", "203.0.113.9")
        .header("user-agent", "test-browser")
        .body(Full::new(Bytes::from_static(b"[{\"name\":\"dcloud\"}]")))
        .expect("a request");
    let answer = send(&proxy, request).await;

    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.headers["content-type"], "application/x-echo");
    assert_eq!(answer.headers["access-control-allow-origin"], APP);
    assert_eq!(answer.headers["vary"], "Origin");
    assert_eq!(answer.headers["leasekit-tls"], "pinned");
    assert_eq!(answer.headers["access-control-expose-headers"], "Leasekit-Tls");
    let echo = answer.json();
    assert_eq!(echo["method"], "PUT");
    assert_eq!(echo["path"], "/deployment/42/manifest?x=1&y=two");
    assert_eq!(echo["body"], "[{\"name\":\"dcloud\"}]");
    let headers = echo["headers"].as_object().expect("headers");
    assert_eq!(headers["authorization"], "Bearer header.payload.signature");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["host"], provider.to_string());
    let mut names: Vec<&str> = headers.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["authorization", "content-length", "content-type", "host"], "nothing else leaks");
    assert_eq!(seen.load(Ordering::SeqCst), 1);

    // A GET without a token, and the provider's own error status passes through too.
    let answer = send(&proxy, get(&format!("/provider/{owner}"))).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    assert_eq!(answer.json()["path"], "/");
    assert!(answer.json()["headers"].get("authorization").is_none());
    assert!(answer.headers.get("access-control-allow-origin").is_none(), "no Origin, no CORS header");
    proxy.shutdown().await;
}

#[tokio::test]
async fn refuses_a_provider_whose_certificate_is_not_the_one_on_chain() {
    let (chain, chain_url) = Chain::start().await;
    let on_chain = identity();
    let presented = identity();
    let (provider, seen) = echo_provider(&presented).await;
    let owner = address(8);
    chain.register(&owner, format!("https://{provider}"), &[&on_chain]);
    let proxy = start_proxy(&chain_url, true, |_| {}).await;

    let mut request = get(&format!("/provider/{owner}/status"));
    request.headers_mut().insert("authorization", HeaderValue::from_static("Bearer secret.jwt.token"));
    let answer = send(&proxy, request).await;
    assert_eq!(answer.status.as_u16(), 495);
    assert!(!String::from_utf8_lossy(&answer.body).contains("secret"), "the token is never echoed");
    assert_eq!(answer.error(), "certificate-mismatch");
    assert_eq!(answer.headers["content-type"], "application/json");
    assert_eq!(seen.load(Ordering::SeqCst), 0, "the provider's handler never ran");

    // With the presented certificate also valid on chain (a rotation), the same provider passes.
    chain.register(&owner, format!("https://{provider}"), &[&on_chain, &presented]);
    assert_eq!(send(&proxy, get(&format!("/provider/{owner}/status"))).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn refuses_loopback_outside_devnet_mode_without_connecting() {
    let (chain, chain_url) = Chain::start().await;
    let identity = identity();
    // A listener nobody accepts on: a connection attempt would sit in its backlog.
    let target = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    target.set_nonblocking(true).expect("non-blocking");
    let owner = address(9);
    chain.register(&owner, format!("https://{}", target.local_addr().expect("bound")), &[&identity]);
    let named = address(10);
    let port = target.local_addr().expect("bound").port();
    chain.register(&named, format!("https://localhost:{port}"), &[&identity]);
    let proxy = start_proxy(&chain_url, false, |_| {}).await;

    for owner in [&owner, &named] {
        let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{owner}");
        assert_eq!(answer.error(), "refused-target");
        assert!(answer.json()["message"].as_str().expect("a message").contains("loopback"));
    }
    match target.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the proxy connected to the refused target: {other:?}"),
    }
}

#[tokio::test]
async fn refuses_a_private_address_outside_devnet_mode_at_once() {
    let (chain, chain_url) = Chain::start().await;
    let identity = identity();
    let owner = address(11);
    // Never connected to: the literal is refused before any socket is opened.
    chain.register(&owner, "https://10.0.0.1:8443".into(), &[&identity]);
    let proxy = start_proxy(&chain_url, false, |config| config.timeout = Duration::from_secs(60)).await;

    let started = Instant::now();
    let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error(), "refused-target");
    assert!(answer.json()["message"].as_str().expect("a message").contains("10.0.0.1, a private address"));
    assert!(started.elapsed() < Duration::from_secs(5), "refused immediately, took {:?}", started.elapsed());
}

#[tokio::test]
async fn answers_404_for_an_unknown_provider_or_one_without_a_certificate_and_400_for_a_bad_address() {
    let (chain, chain_url) = Chain::start().await;
    let proxy = start_proxy(&chain_url, true, |_| {}).await;

    let answer = send(&proxy, get(&format!("/provider/{}/status", address(12)))).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::NOT_FOUND, "provider-not-found"));

    let owner = address(13);
    chain.register(&owner, "https://127.0.0.1:9".into(), &[]);
    let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::NOT_FOUND, "no-valid-certificate"));

    for path in [
        "/provider/akash1nothing/status",
        "/provider/cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu/status",
        "/provider/",
    ] {
        let answer = send(&proxy, get(path)).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_REQUEST, "bad-address"), "{path}");
    }
    let answer = send(&proxy, get(&format!("/provider/{}/../status", address(12)))).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_REQUEST, "bad-path"));
    assert_eq!(send(&proxy, get("/elsewhere")).await.status, StatusCode::NOT_FOUND);
    let health = send(&proxy, get("/healthz")).await;
    assert_eq!((health.status, health.json()["status"].as_str()), (StatusCode::OK, Some("ok")));
}

#[tokio::test]
async fn answers_preflight_only_for_allowed_origins() {
    let (_chain, chain_url) = Chain::start().await;
    let proxy = start_proxy(&chain_url, false, |_| {}).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri(format!("/provider/{}/deployment/1/manifest", address(14)))
            .header("host", "proxy.test")
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "authorization, content-type")
            .body(Full::new(Bytes::new()))
            .expect("a request")
    };

    let allowed = send(&proxy, preflight(APP)).await;
    assert_eq!(allowed.status, StatusCode::NO_CONTENT);
    assert_eq!(allowed.headers["access-control-allow-origin"], APP);
    assert_eq!(allowed.headers["access-control-allow-methods"], "GET, PUT, POST");
    assert_eq!(allowed.headers["access-control-allow-headers"], "Authorization, Content-Type");
    assert!(allowed.headers.contains_key("access-control-max-age"));
    assert_eq!(allowed.headers["vary"], "Origin");

    let other = send(&proxy, preflight("https://evil.example")).await;
    for name in ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"] {
        assert!(!other.headers.contains_key(name), "{name} for another origin");
    }
    let mut health = get("/healthz");
    health.headers_mut().insert("origin", HeaderValue::from_static("https://evil.example"));
    assert!(!send(&proxy, health).await.headers.contains_key("access-control-allow-origin"));

    // `*` needs devnet mode.
    let mut config = ProxyConfig::new("127.0.0.1:0".parse().expect("an address"), chain_url.clone());
    config.allowed_origins = vec!["*".into()];
    assert!(leasekit_proxy::serve(config.clone()).await.is_err());
    config.devnet = true;
    let devnet = leasekit_proxy::serve(config).await.expect("`*` in devnet mode");
    assert_eq!(
        send(&devnet, preflight("http://localhost:5173")).await.headers["access-control-allow-origin"],
        "http://localhost:5173"
    );
}

#[tokio::test]
async fn refuses_a_body_over_the_cap() {
    let EchoScene { proxy, owner, seen, .. } = echo_scene(15, |config| config.max_request_bytes = 1024).await;

    let put = |size: usize| {
        Request::put(format!("/provider/{owner}/deployment/1/manifest"))
            .header("host", "proxy.test")
            .body(Full::new(Bytes::from(vec![b'x'; size])))
            .expect("a request")
    };
    let answer = send(&proxy, put(1025)).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "request-too-large"));
    assert_eq!(seen.load(Ordering::SeqCst), 0);
    assert_eq!(send(&proxy, put(1024)).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn refuses_a_response_over_the_cap() {
    let EchoScene { proxy, owner, .. } = echo_scene(16, |config| config.max_response_bytes = 64).await;

    let answer =
        send(&proxy, get(&format!("/provider/{owner}/a-path-long-enough-to-make-the-echo-exceed-64-bytes"))).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_GATEWAY, "response-too-large"));
}

#[tokio::test]
async fn answers_504_when_the_provider_never_answers() {
    let (chain, chain_url) = Chain::start().await;
    let identity = identity();
    let silent = listener().await;
    let owner = address(17);
    chain.register(&owner, format!("https://{}", silent.local_addr().expect("bound")), &[&identity]);
    // Accepts and holds connections without a byte of TLS.
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            open.push(stream);
        }
    });
    let timeout = Duration::from_millis(300);
    let proxy = start_proxy(&chain_url, true, |config| config.timeout = timeout).await;

    let started = Instant::now();
    let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
    let took = started.elapsed();
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::GATEWAY_TIMEOUT, "upstream-timeout"));
    assert!(took >= timeout && took < Duration::from_secs(5), "took {took:?}");
    held.abort();
}

/// `GET /grpc-status/{addr}` against in-test gRPC servers (tonic's server codec over hyper's
/// HTTP/2, TLS with ALPN `h2`), the messages written here from the upstream protos on their own.
mod grpc {
    use std::future::Future;
    use std::pin::Pin;

    use hyper_util::rt::TokioExecutor;

    use super::*;

    /// `akash.provider.v1.Status` with a few more fields than the proxy reads.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Status {
        #[prost(string, repeated, tag = "1")]
        pub errors: Vec<String>,
        #[prost(message, optional, tag = "2")]
        pub cluster: Option<ClusterStatus>,
        #[prost(string, repeated, tag = "5")]
        pub public_hostnames: Vec<String>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ClusterStatus {
        #[prost(message, optional, tag = "1")]
        pub leases: Option<Leases>,
        #[prost(message, optional, tag = "2")]
        pub inventory: Option<Inventory>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Leases {
        #[prost(uint32, tag = "1")]
        pub active: u32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Inventory {
        #[prost(message, optional, tag = "3")]
        pub leased_ip: Option<ResourcePair>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ResourcePair {
        #[prost(message, optional, tag = "1")]
        pub allocatable: Option<Quantity>,
        #[prost(message, optional, tag = "2")]
        pub allocated: Option<Quantity>,
        #[prost(message, optional, tag = "4")]
        pub capacity: Option<Quantity>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Quantity {
        #[prost(string, optional, tag = "1")]
        pub string: Option<String>,
    }

    fn q(text: &str) -> Option<Quantity> {
        Some(Quantity { string: Some(text.to_owned()) })
    }

    /// A status with the leased-IP pair `(allocatable, allocated, capacity)`.
    fn status_with(pair: Option<(&str, &str, &str)>) -> Status {
        let inventory = pair.map(|(allocatable, allocated, capacity)| Inventory {
            leased_ip: Some(ResourcePair {
                allocatable: q(allocatable),
                allocated: q(allocated),
                capacity: q(capacity),
            }),
        });
        Status {
            errors: Vec::new(),
            cluster: Some(ClusterStatus { leases: Some(Leases { active: 2 }), inventory }),
            public_hostnames: vec!["provider.test".into()],
        }
    }

    type Reply = Pin<Box<dyn Future<Output = Result<tonic::Response<Status>, tonic::Status>> + Send>>;

    /// What the server does with each call.
    #[derive(Clone)]
    enum Behaviour {
        Answer(Status),
        Fail(tonic::Code, &'static str),
        Hang,
    }

    /// What the server saw.
    #[derive(Default)]
    struct Seen {
        calls: AtomicUsize,
        authorization: AtomicUsize,
    }

    struct Service {
        behaviour: Behaviour,
        seen: Arc<Seen>,
    }

    impl tonic::server::UnaryService<()> for Service {
        type Response = Status;
        type Future = Reply;

        fn call(&mut self, request: tonic::Request<()>) -> Reply {
            self.seen.calls.fetch_add(1, Ordering::SeqCst);
            if request.metadata().get("authorization").is_some() {
                self.seen.authorization.fetch_add(1, Ordering::SeqCst);
            }
            match self.behaviour.clone() {
                Behaviour::Answer(status) => Box::pin(async move { Ok(tonic::Response::new(status)) }),
                Behaviour::Fail(code, message) => Box::pin(async move { Err(tonic::Status::new(code, message)) }),
                Behaviour::Hang => Box::pin(std::future::pending()),
            }
        }
    }

    /// A gRPC provider presenting `identity` that serves `GetStatus` with `behaviour`.
    async fn grpc_provider(identity: &Identity, behaviour: Behaviour) -> (SocketAddr, Arc<Seen>) {
        let mut config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_no_client_auth()
                .with_single_cert(vec![identity.der.clone()], PrivateKeyDer::Pkcs8(identity.key.clone().into()))
                .expect("a server certificate");
        config.alpn_protocols = vec![b"h2".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = listener().await;
        let addr = listener.local_addr().expect("bound");
        let seen = Arc::new(Seen::default());
        let counter = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, behaviour, seen) = (acceptor.clone(), behaviour.clone(), Arc::clone(&counter));
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(stream).await else { return };
                    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                        let service = Service { behaviour: behaviour.clone(), seen: Arc::clone(&seen) };
                        async move {
                            if request.uri().path() != "/akash.provider.v1.ProviderRPC/GetStatus" {
                                return Ok::<_, std::convert::Infallible>(
                                    tonic::Status::unimplemented("no such method").into_http(),
                                );
                            }
                            let mut grpc = tonic::server::Grpc::new(tonic_prost::ProstCodec::<Status, ()>::default());
                            Ok(grpc.unary(service, request).await)
                        }
                    });
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        (addr, seen)
    }

    struct Scene {
        proxy: RunningProxy,
        owner: String,
        seen: Arc<Seen>,
    }

    /// A devnet-mode proxy, a chain with the provider (REST on a port nobody listens on, gRPC
    /// on its own port given by `grpc_ports`) and its gRPC server presenting `presented`.
    async fn scene(
        seed: u8,
        behaviour: Behaviour,
        mismatch: bool,
        adjust: impl FnOnce(&mut ProxyConfig, u16),
    ) -> Scene {
        let (chain, chain_url) = Chain::start().await;
        let on_chain = identity();
        let other = identity();
        let presented = if mismatch { &other } else { &on_chain };
        let (grpc, seen) = grpc_provider(presented, behaviour).await;
        let owner = address(seed);
        chain.register(&owner, "https://127.0.0.1:9".into(), &[&on_chain]);
        let key = owner.clone();
        let proxy = start_proxy(&chain_url, true, |config| {
            config.grpc_ports.insert(key, grpc.port());
            adjust(config, grpc.port());
        })
        .await;
        Scene { proxy, owner, seen }
    }

    fn from_app(uri: &str) -> Request<Full<Bytes>> {
        let mut request = get(uri);
        request.headers_mut().insert("origin", HeaderValue::from_static(APP));
        request
    }

    #[tokio::test]
    async fn reports_the_leased_ip_pool_over_pinned_grpc_and_reuses_the_answer() {
        let Scene { proxy, owner, seen } =
            scene(40, Behaviour::Answer(status_with(Some(("10", "7", "10")))), false, |_, _| {}).await;
        let answer = send(&proxy, from_app(&format!("/grpc-status/{owner}"))).await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        assert_eq!(answer.headers["content-type"], "application/json");
        assert_eq!(answer.headers["access-control-allow-origin"], APP);
        assert_eq!(answer.headers["vary"], "Origin");
        assert_eq!(
            answer.json(),
            json!({"leased_ip": {"allocatable": "10", "allocated": "7", "capacity": "10"}, "free": 3})
        );
        assert_eq!(answer.headers["leasekit-tls"], "pinned");
        assert_eq!(answer.headers["access-control-expose-headers"], "Leasekit-Tls");
        assert_eq!(seen.calls.load(Ordering::SeqCst), 1);
        assert_eq!(seen.authorization.load(Ordering::SeqCst), 0, "no authorization metadata is ever sent");

        // Within the TTL the same answer comes from the cache; the provider is not asked again.
        let again = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((again.status, again.json()), (StatusCode::OK, answer.json()));
        assert_eq!(again.headers["leasekit-tls"], "pinned");
        assert_eq!(seen.calls.load(Ordering::SeqCst), 1);
        assert!(again.headers.get("access-control-allow-origin").is_none(), "no Origin, no CORS header");
    }

    #[tokio::test]
    async fn asks_every_time_without_a_cache_and_uses_the_configured_default_port() {
        let (chain, chain_url) = Chain::start().await;
        let identity = identity();
        let (grpc, seen) = grpc_provider(&identity, Behaviour::Answer(status_with(Some(("3", "6", "3"))))).await;
        let owner = address(41);
        chain.register(&owner, "https://127.0.0.1:9".into(), &[&identity]);
        let proxy = start_proxy(&chain_url, true, |config| {
            config.grpc_port = grpc.port();
            config.grpc_status_ttl = Duration::ZERO;
        })
        .await;
        for _ in 0..2 {
            let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
            assert_eq!(answer.status, StatusCode::OK);
            assert_eq!(answer.json()["free"], 0, "allocated above allocatable saturates at 0");
        }
        assert_eq!(seen.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn answers_null_when_the_provider_reports_no_leased_ip_pair() {
        let Scene { proxy, owner, .. } = scene(42, Behaviour::Answer(status_with(None)), false, |_, _| {}).await;
        let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((answer.status, answer.json()), (StatusCode::OK, json!({"leased_ip": null, "free": null})));
    }

    #[tokio::test]
    async fn refuses_a_grpc_certificate_that_is_not_on_chain() {
        let Scene { proxy, owner, seen } =
            scene(43, Behaviour::Answer(status_with(Some(("1", "0", "1")))), true, |_, _| {}).await;
        let answer = send(&proxy, from_app(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((answer.status.as_u16(), answer.error().as_str()), (495, "certificate-mismatch"));
        assert_eq!(answer.headers["access-control-allow-origin"], APP);
        assert_eq!(seen.calls.load(Ordering::SeqCst), 0, "the server's handler never ran");
    }

    #[tokio::test]
    async fn maps_a_grpc_error_status() {
        let Scene { proxy, owner, .. } =
            scene(44, Behaviour::Fail(tonic::Code::Unavailable, "inventory not ready"), false, |_, _| {}).await;
        let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_GATEWAY, "grpc-error"));
        let message = answer.json()["message"].as_str().expect("a message").to_owned();
        assert!(
            message.contains("gRPC status 14 (Unavailable)") && message.contains("inventory not ready"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn refuses_a_status_over_the_response_cap() {
        let mut big = status_with(Some(("10", "0", "10")));
        big.errors = vec!["x".repeat(2000)];
        let Scene { proxy, owner, .. } =
            scene(45, Behaviour::Answer(big), false, |config, _| config.max_response_bytes = 1024).await;
        let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_GATEWAY, "response-too-large"));
    }

    #[tokio::test]
    async fn answers_504_when_get_status_never_returns() {
        let timeout = Duration::from_millis(300);
        let Scene { proxy, owner, seen } =
            scene(46, Behaviour::Hang, false, |config, _| config.timeout = timeout).await;
        let started = Instant::now();
        let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        let took = started.elapsed();
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::GATEWAY_TIMEOUT, "upstream-timeout"));
        assert!(took >= timeout && took < Duration::from_secs(5), "took {took:?}");
        assert_eq!(seen.calls.load(Ordering::SeqCst), 1, "the call reached the server");
    }

    #[tokio::test]
    async fn checks_the_address_and_the_method() {
        let (_chain, chain_url) = Chain::start().await;
        let proxy = start_proxy(&chain_url, true, |_| {}).await;
        let answer = send(&proxy, get("/grpc-status/akash1nothing")).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::BAD_REQUEST, "bad-address"));
        let answer = send(&proxy, get(&format!("/grpc-status/{}", address(47)))).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::NOT_FOUND, "provider-not-found"));
        let post = Request::post(format!("/grpc-status/{}", address(47)))
            .header("host", "proxy.test")
            .body(Full::new(Bytes::new()))
            .expect("a request");
        assert_eq!(send(&proxy, post).await.status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn refuses_a_loopback_grpc_target_outside_devnet_mode() {
        let (chain, chain_url) = Chain::start().await;
        let identity = identity();
        let owner = address(48);
        chain.register(&owner, "https://127.0.0.1:8443".into(), &[&identity]);
        let proxy = start_proxy(&chain_url, false, |_| {}).await;
        let answer = send(&proxy, get(&format!("/grpc-status/{owner}"))).await;
        assert_eq!((answer.status, answer.error().as_str()), (StatusCode::FORBIDDEN, "refused-target"));
        assert!(answer.json()["message"].as_str().expect("a message").contains("127.0.0.1"));
    }
}

#[tokio::test]
async fn skips_an_undecodable_certificate_entry_and_pins_the_others() {
    let (chain, chain_url) = Chain::start().await;
    let identity = identity();
    let (provider, _) = echo_provider(&identity).await;
    let owner = address(30);
    let good = base64::engine::general_purpose::STANDARD.encode(&identity.pem);
    let not_pem = base64::engine::general_purpose::STANDARD
        .encode("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
    chain.register_fields(&owner, format!("https://{provider}"), vec!["%%% not base64 %%%".into(), not_pem, good]);
    let proxy = start_proxy(&chain_url, true, |_| {}).await;
    let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&answer.body));
    assert_eq!(answer.headers["leasekit-tls"], "pinned");

    // Only undecodable entries: no valid certificate at all.
    let lonely = address(31);
    chain.register_fields(&lonely, format!("https://{provider}"), vec!["%%%".into()]);
    let answer = send(&proxy, get(&format!("/provider/{lonely}/status"))).await;
    assert_eq!((answer.status, answer.error().as_str()), (StatusCode::NOT_FOUND, "no-valid-certificate"));
}

/// The Web PKI path: a provider behind a TLS-terminating load balancer.
mod webpki {
    use rustls::server::{ClientHello, ResolvesServerCert};
    use rustls::sign::CertifiedKey;

    use super::*;

    /// A test CA and a certificate it issued for `names` (DNS names or IP literals).
    struct Issued {
        ca: CertificateDer<'static>,
        leaf: Identity,
    }

    fn issue(names: &[&str]) -> Issued {
        let ca_key = rcgen::KeyPair::generate().expect("a key");
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Leasekit test CA");
        let ca = ca_params.self_signed(&ca_key).expect("a CA");
        let key = rcgen::KeyPair::generate().expect("a key");
        let params =
            rcgen::CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).expect("params");
        let leaf = params.signed_by(&key, &ca, &ca_key).expect("a leaf");
        Issued {
            ca: ca.der().clone(),
            leaf: Identity { der: leaf.der().clone(), pem: leaf.pem(), key: key.serialize_der() },
        }
    }

    /// Presents `with_sni` when the client names `name`, `without` otherwise — as a load
    /// balancer picks a certificate by SNI.
    #[derive(Debug)]
    struct BySni {
        name: String,
        with_sni: Arc<CertifiedKey>,
        without: Arc<CertifiedKey>,
    }

    impl ResolvesServerCert for BySni {
        fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
            Some(Arc::clone(if hello.server_name() == Some(self.name.as_str()) {
                &self.with_sni
            } else {
                &self.without
            }))
        }
    }

    fn certified(identity: &Identity) -> Arc<CertifiedKey> {
        let provider = rustls::crypto::ring::default_provider();
        let key = provider
            .key_provider
            .load_private_key(PrivateKeyDer::Pkcs8(identity.key.clone().into()))
            .expect("a signing key");
        Arc::new(CertifiedKey::new(vec![identity.der.clone()], key))
    }

    /// An echo server whose certificate depends on SNI; the handler counts requests.
    async fn balancer(name: &str, with_sni: &Identity, without: &Identity) -> (SocketAddr, Arc<AtomicUsize>) {
        let resolver = BySni { name: name.to_owned(), with_sni: certified(with_sni), without: certified(without) };
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(resolver));
        let listener = listener().await;
        let addr = listener.local_addr().expect("bound");
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&seen);
        spawn_server(
            listener,
            Some(TlsAcceptor::from(Arc::new(config))),
            Arc::new(move |_, _| {
                counter.fetch_add(1, Ordering::SeqCst);
                respond(StatusCode::OK, "application/json", "{}".into())
            }),
        );
        (addr, seen)
    }

    async fn proxy_with_roots(chain_url: &str, roots: Vec<CertificateDer<'static>>) -> RunningProxy {
        let mut config = ProxyConfig::new("127.0.0.1:0".parse().expect("an address"), chain_url.to_owned());
        config.devnet = true;
        config.allowed_origins = vec![APP.into()];
        leasekit_proxy::serve_with_test_roots(config, roots).await.expect("the proxy starts")
    }

    #[tokio::test]
    async fn accepts_a_ca_certificate_for_the_host_name_with_sni_and_says_so() {
        let (chain, chain_url) = Chain::start().await;
        let issued = issue(&["localhost"]);
        let on_chain = identity();
        let default = identity();
        let (lb, seen) = balancer("localhost", &issued.leaf, &default).await;
        let owner = address(32);
        chain.register(&owner, format!("https://localhost:{}", lb.port()), &[&on_chain]);

        let proxy = proxy_with_roots(&chain_url, vec![issued.ca.clone()]).await;
        let mut request = get(&format!("/provider/{owner}/status"));
        request.headers_mut().insert("origin", HeaderValue::from_static(APP));
        let answer = send(&proxy, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", String::from_utf8_lossy(&answer.body));
        assert_eq!(answer.headers["leasekit-tls"], "webpki");
        assert_eq!(answer.headers["access-control-expose-headers"], "Leasekit-Tls");
        assert_eq!(seen.load(Ordering::SeqCst), 1);

        // Production roots (webpki-roots) do not know the test CA: refused.
        let production = start_proxy(&chain_url, true, |_| {}).await;
        let answer = send(&production, get(&format!("/provider/{owner}/status"))).await;
        assert_eq!((answer.status.as_u16(), answer.error().as_str()), (495, "certificate-mismatch"));
        assert_eq!(seen.load(Ordering::SeqCst), 1, "the handler never ran for the refused one");
    }

    #[tokio::test]
    async fn refuses_a_ca_certificate_for_another_name_and_a_random_self_signed_one() {
        let (chain, chain_url) = Chain::start().await;
        let elsewhere = issue(&["elsewhere.test"]);
        let random = identity();
        let (lb, seen) = balancer("localhost", &elsewhere.leaf, &random).await;
        let owner = address(33);
        chain.register(&owner, format!("https://localhost:{}", lb.port()), &[&identity()]);
        let proxy = proxy_with_roots(&chain_url, vec![elsewhere.ca.clone()]).await;
        let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
        assert_eq!((answer.status.as_u16(), answer.error().as_str()), (495, "certificate-mismatch"));
        assert_eq!(seen.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn checks_an_ip_literal_host_against_ip_sans_only() {
        let (chain, chain_url) = Chain::start().await;
        let with_ip = issue(&["127.0.0.1"]);
        let (provider, _) = echo_provider(&with_ip.leaf).await;
        let owner = address(34);
        chain.register(&owner, format!("https://{provider}"), &[&identity()]);
        let proxy = proxy_with_roots(&chain_url, vec![with_ip.ca.clone()]).await;
        let answer = send(&proxy, get(&format!("/provider/{owner}/status"))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&answer.body));
        assert_eq!(answer.headers["leasekit-tls"], "webpki");

        let name_only = issue(&["localhost"]);
        let (provider, _) = echo_provider(&name_only.leaf).await;
        let other = address(35);
        chain.register(&other, format!("https://{provider}"), &[&identity()]);
        let proxy = proxy_with_roots(&chain_url, vec![name_only.ca.clone()]).await;
        let answer = send(&proxy, get(&format!("/provider/{other}/status"))).await;
        assert_eq!((answer.status.as_u16(), answer.error().as_str()), (495, "certificate-mismatch"));
    }
}
