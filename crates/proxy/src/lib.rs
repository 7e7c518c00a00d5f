//! A stateless relay between a browser and Akash providers (`leasekit proxy`).
//!
//! A provider's REST gateway sends no CORS headers, answers no preflight and usually presents a
//! self-signed certificate that is only registered on chain, so a page cannot call it with
//! `fetch` (provider.md §3.4). This proxy is the smallest server that closes that gap without
//! becoming a trusted party: it holds no keys and no tokens, and it checks the provider's identity
//! against the chain on every request.
//!
//! # API
//!
//! ```text
//! ANY /provider/{akash1…provider address}/{provider path…}?{query}
//!     Authorization: Bearer <jwt>      (optional, passed through)
//!     Content-Type: …                  (optional, passed through)
//!     <body>                           (at most `max_request_bytes`)
//! GET /grpc-status/{akash1…provider address}
//!     → 200 {"leased_ip": {"allocatable": "10", "allocated": "7", "capacity": "10"}, "free": 3}
//!     → 200 {"leased_ip": null, "free": null}    (the provider reports no leased-IP pair)
//! GET /healthz                         → 200 {"status":"ok"}
//! ```
//!
//! For `/provider/…` the proxy
//!
//! 1. checks the address (bech32, `akash1…`; otherwise 400 `bad-address`) and the path (no `.` or
//!    `..` segments; 400 `bad-path`);
//! 2. asks the chain REST (`chain_rest`) for the provider,
//!    `GET /akash/provider/v1beta4/providers/{addr}` → `provider.host_uri` (404
//!    `provider-not-found`), and for its certificates,
//!    `GET /akash/cert/v1/certificates/list?filter.owner={addr}&filter.state=valid` →
//!    `certificates[].certificate.cert`, base64 of PEM (404 `no-valid-certificate` when none);
//! 3. resolves the host of `host_uri` (which must be `https://`) and refuses (403
//!    `refused-target`) when **any** resolved address is private, loopback, link-local,
//!    unspecified, multicast or otherwise not publicly routable, unless started in devnet mode;
//!    it then connects to one of the addresses it checked — never to the result of a second
//!    lookup;
//! 4. speaks TLS (1.2 or 1.3) and accepts the provider's end-entity certificate if its DER is
//!    byte-for-byte one of the provider's valid on-chain certificates or, failing that, if it is
//!    valid in the Web PKI (webpki-roots) for the host of `host_uri` (495
//!    `certificate-mismatch` otherwise), while still checking the handshake signature with that
//!    certificate's key; an undecodable entry in the chain's certificate list is skipped;
//! 5. forwards the method, path, query, body, `Content-Type` and `Authorization` — no other
//!    header of the browser's, and none of its own besides `Host` and `Content-Length`;
//! 6. answers with the provider's status, body and `Content-Type`, unchanged (collected up to
//!    `max_response_bytes`, 502 `response-too-large` beyond), plus `Leasekit-Tls: pinned` or
//!    `Leasekit-Tls: webpki`, the check that accepted the certificate (also on `/grpc-status`
//!    answers, and readable by an allowed origin's page: `Access-Control-Expose-Headers`).
//!
//! The whole exchange, chain queries included, must finish within `timeout` (`manifest_timeout`
//! for `PUT /deployment/{dseq}/manifest`, which providers may take long to accept); otherwise
//! 504 `upstream-timeout`. Other statuses of the proxy's own: 413 `request-too-large`, 502
//! (`bad-host-uri`, `tls-handshake-failed`, `bad-gateway`, `chain-error`), 503
//! (`provider-unreachable`, `chain-unreachable`). Every error of the proxy's own is JSON
//! `{"error": "<kebab-code>", "message": "<sentence>"}`; anything else is the provider's reply.
//!
//! `/grpc-status/{addr}` is the provider's leased-IP pool, which only its gRPC reports: the
//! provider REST's `/status` has no `leased_ip`. The proxy checks the address and looks the
//! provider up exactly as above (steps 1–4: `host_uri`, valid certificates, the private-target
//! check, the pinned certificate), but connects to the host of `host_uri` on port `grpc_port`
//! (8444, where providers serve gRPC; `grpc_ports` names another port for particular providers,
//! as a local devnet needs), negotiates HTTP/2 by ALPN and calls
//! `akash.provider.v1.ProviderRPC/GetStatus` with an empty request and no metadata — no
//! `authorization` either, which the provider's gRPC mishandles and `GetStatus` does not need.
//! The answer is `cluster.inventory.leased_ip` with the quantities as the provider wrote them
//! (an absent one reads `"0"`) and `free` = allocatable − allocated, at least 0 (`null` if a
//! quantity is not a whole number). The deadline is `timeout`, the status message may be at
//! most `max_response_bytes` (502 `response-too-large`), and a gRPC status other than OK is 502
//! `grpc-error` whose message has the gRPC code and the provider's message. A successful answer
//! is reused for `grpc_status_ttl` (10 s) — bid screening asks once per bid.
//!
//! TLS is first sent without SNI, where every provider serves its on-chain certificate: a
//! provider picks its certificate by SNI, and with its public hostname as SNI and a CA
//! certificate configured it serves that one instead (provider.md §3.1). If that handshake
//! fails — a certificate neither pinned nor Web-PKI-valid, or a load balancer that will not talk
//! without SNI — and the host of `host_uri` is a DNS name, the proxy tries once more on a new
//! connection with SNI = that name, accepting the same two ways; a TLS-terminating load
//! balancer then presents the name's CA certificate. (One handshake with SNI would make a
//! provider with a CA certificate serve it where the pinned one works just as well, and one
//! without SNI cannot reach a balancer's per-name certificate.) The two tries cost a second
//! handshake only for providers not served with their on-chain certificate. An IP-literal host
//! has no second try (SNI cannot carry an address): a certificate not on chain passes only if
//! an IP SAN names that address.
//!
//! # CORS
//!
//! Only for `allowed_origins`, compared exactly (`*` is accepted only in devnet mode). A preflight
//! (`OPTIONS`, never forwarded) from an allowed origin gets 204 with
//! `Access-Control-Allow-Methods: GET, PUT, POST`, `Access-Control-Allow-Headers: Authorization,
//! Content-Type` and a `Max-Age`; every response to an allowed origin carries
//! `Access-Control-Allow-Origin` and `Vary: Origin`. Another origin gets no CORS header at all, so
//! its page cannot read the answer nor send the `Authorization` header.
//!
//! # Security model
//!
//! - **Why pin to the chain.** The provider's on-chain certificate is what the provider itself
//!   registered with its key, in the same place the tenant found the provider; it is the one
//!   identity a browser tenant and the provider share. Web PKI says nothing about an Akash address
//!   (most providers have no CA certificate at all), and accepting any certificate would let
//!   whoever sits on the path read the tenant's token and forge lease status. Pinning the exact
//!   DER leaves no room for name or chain-building mistakes. The Web PKI path (as Akash Console
//!   accepts it) serves providers behind a TLS-terminating load balancer; it ties the
//!   connection to the host name the provider itself registered on chain, with webpki-roots
//!   only — the extra roots of `serve_with_test_roots` exist only with the `test-roots`
//!   feature, which only this crate's tests enable. `Leasekit-Tls` tells the page which of the
//!   two identities it is talking to.
//! - **Why refuse private targets.** `host_uri` is data anyone can put on chain. Without the check
//!   the proxy would let any page reach the proxy's own network — loopback admin ports, cloud
//!   metadata at 169.254.169.254, the LAN (server-side request forgery). Every resolved address
//!   is checked and the connection goes to a checked address, so a DNS name that resolves to a
//!   public address first and a private one later (DNS rebinding) gains nothing. Devnet mode lifts
//!   the check because a local devnet's providers are on 127.0.0.1.
//! - **What is never stored.** The tenant's JWT is read from the request, marked sensitive and
//!   written to the provider connection, nothing else: it is never logged, never put in an error
//!   message and never kept past the request. The proxy never sees a key or a mnemonic: tokens are
//!   minted in the browser.
//! - **Stateless, but for one public cache.** Nothing is kept beyond one request — not the
//!   chain's answers, not connections, not tokens — so any number of proxies can run behind a
//!   load balancer that spreads requests freely, and a provider's certificate rotation on chain
//!   takes effect at once. The price is two chain queries per request. The one exception is
//!   `/grpc-status`: its successful answers (public numbers, no token is involved) are reused
//!   per provider for `grpc_status_ttl`, at most 1024 providers at a time; so for that route a
//!   certificate rotation or a change in the pool shows up to that long later, and two proxies
//!   may briefly disagree. A zero TTL turns the cache off.
//! - **Caps.** Request and response bodies are collected up to their caps, the whole exchange has
//!   a deadline, and a client has 10 s to send its request head.
//!
//! Not relayed: websockets (logs, events, shell) and mTLS client certificates.
//!
//! ```no_run
//! # async fn run() -> Result<(), leasekit_proxy::Error> {
//! let mut config = leasekit_proxy::ProxyConfig::new(
//!     "127.0.0.1:8081".parse().expect("an address"),
//!     "http://127.0.0.1:1317".into(),
//! );
//! config.allowed_origins = vec!["https://app.example".into()];
//! let proxy = leasekit_proxy::serve(config).await?;
//! println!("listening on {}", proxy.local_addr());
//! proxy.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod chain;
mod grpc;
mod handler;
mod pin;
mod target;
mod upstream;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// Default cap on a request body: 4 MiB (a large manifest is well under 1 MiB).
pub const DEFAULT_MAX_REQUEST_BYTES: usize = 4 << 20;
/// Default cap on a provider's response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 << 20;
/// Default deadline for one proxied exchange, chain queries included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default deadline for `PUT /deployment/{dseq}/manifest` (the Akash client waits 120 s).
pub const DEFAULT_MANIFEST_TIMEOUT: Duration = Duration::from_secs(120);
/// The port of a provider's gRPC (`GetStatus`), on the host of its `host_uri`.
pub const DEFAULT_GRPC_PORT: u16 = 8444;
/// Default time a provider's `/grpc-status` answer is reused.
pub const DEFAULT_GRPC_STATUS_TTL: Duration = Duration::from_secs(10);
/// How long a client may take to send a request head before the connection is closed.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How to run the proxy.
#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Where to listen (port 0 picks a free port; see [`RunningProxy::local_addr`]).
    pub listen: SocketAddr,
    /// Base URL of the chain's REST (`http://…` or `https://…`, validated with the Web PKI
    /// roots), possibly with a path prefix. It is the operator's choice and is not subject to the
    /// private-target check.
    pub chain_rest: String,
    /// Origins allowed to read the proxy's answers, compared exactly (`https://app.example`).
    /// `*` (any origin) only in devnet mode.
    pub allowed_origins: Vec<String>,
    /// Devnet mode: providers on private, loopback and link-local addresses are allowed, and so is
    /// the `*` origin.
    pub devnet: bool,
    /// Largest request body accepted (413 beyond).
    pub max_request_bytes: usize,
    /// Largest provider response body relayed (502 beyond).
    pub max_response_bytes: usize,
    /// Deadline for one exchange (504 beyond).
    pub timeout: Duration,
    /// Deadline for `PUT /deployment/{dseq}/manifest`.
    pub manifest_timeout: Duration,
    /// The providers' gRPC port ([`DEFAULT_GRPC_PORT`]), on the host of their `host_uri`.
    pub grpc_port: u16,
    /// The gRPC port of particular providers, by address, instead of `grpc_port` (a local
    /// devnet's providers listen on ports picked at start). The operator's setting, like
    /// `chain_rest`: nothing on chain can change it, and the private-target check still applies.
    pub grpc_ports: HashMap<String, u16>,
    /// How long a provider's `/grpc-status` answer is reused (zero: never).
    pub grpc_status_ttl: Duration,
}

impl ProxyConfig {
    /// A configuration with the defaults: no allowed origin, not devnet, 4 MiB / 16 MiB bodies,
    /// 30 s (120 s for a manifest), gRPC on port 8444 with answers reused for 10 s.
    pub fn new(listen: SocketAddr, chain_rest: String) -> Self {
        Self {
            listen,
            chain_rest,
            allowed_origins: Vec::new(),
            devnet: false,
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            timeout: DEFAULT_TIMEOUT,
            manifest_timeout: DEFAULT_MANIFEST_TIMEOUT,
            grpc_port: DEFAULT_GRPC_PORT,
            grpc_ports: HashMap::new(),
            grpc_status_ttl: DEFAULT_GRPC_STATUS_TTL,
        }
    }
}

/// Why the proxy could not start.
#[derive(Debug)]
pub enum Error {
    /// The configuration is unusable; the message says why.
    InvalidConfig(String),
    /// The listening socket could not be bound.
    Bind(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidConfig(why) => write!(f, "invalid proxy configuration: {why}"),
            Self::Bind(e) => write!(f, "cannot listen: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidConfig(_) => None,
            Self::Bind(e) => Some(e),
        }
    }
}

/// A proxy that is accepting connections. Dropping it stops accepting as well; call
/// [`RunningProxy::shutdown`] to also wait for requests in flight.
#[derive(Debug)]
pub struct RunningProxy {
    local_addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningProxy {
    /// The address the proxy listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, lets requests in flight finish (each is bounded by its deadline) and
    /// closes idle connections.
    pub async fn shutdown(self) {
        // A send error means the accept loop is already gone, which is the goal.
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
    }
}

/// Binds `config.listen` and serves the proxy on the current tokio runtime until
/// [`RunningProxy::shutdown`] (or until the [`RunningProxy`] is dropped).
pub async fn serve(config: ProxyConfig) -> Result<RunningProxy, Error> {
    start(config, None).await
}

/// [`serve`], but a provider certificate that is not on chain is checked against `roots`
/// instead of webpki-roots — for tests with their own CA. Only built with the `test-roots`
/// feature, which only this crate's tests enable.
#[cfg(feature = "test-roots")]
pub async fn serve_with_test_roots(
    config: ProxyConfig,
    roots: Vec<rustls::pki_types::CertificateDer<'static>>,
) -> Result<RunningProxy, Error> {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add(root).map_err(|e| Error::InvalidConfig(format!("test root: {e}")))?;
    }
    start(config, Some(store)).await
}

async fn start(config: ProxyConfig, provider_roots: Option<rustls::RootCertStore>) -> Result<RunningProxy, Error> {
    let shared = Arc::new(handler::Shared::new(config, provider_roots)?);
    let listener = TcpListener::bind(shared.config.listen).await.map_err(Error::Bind)?;
    let local_addr = listener.local_addr().map_err(Error::Bind)?;
    let (shutdown, stop) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, shared, stop));
    Ok(RunningProxy { local_addr, shutdown, task })
}

async fn accept_loop(listener: TcpListener, shared: Arc<handler::Shared>, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // A change or a dropped sender: stop either way.
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, Arc::clone(&shared), stop.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn connection(stream: tokio::net::TcpStream, shared: Arc<handler::Shared>, mut stop: watch::Receiver<bool>) {
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, std::convert::Infallible>(handler::handle(&shared, request).await) }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        // A connection error concerns that client only.
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
