//! Typed async clients for what a Leasekit tenant talks to: the chain's REST endpoint
//! ([`chain::ChainClient`]) and providers through the Leasekit proxy
//! ([`provider::ProviderClient`]). The same code runs in the browser (wasm32) and natively.
//!
//! # Design
//!
//! **A transport trait, not an HTTP library.** Both clients are generic over
//! [`Transport`]: send one [`HttpRequest`], get one [`HttpResponse`] of any status, and sleep.
//! The clients build URLs, headers and bodies and decide what each status means; the transport
//! only moves bytes. Its methods return `impl Future` (return-position `impl Trait` in traits,
//! no `async-trait` boxing) without a `Send` bound, because browser futures hold JS values. Three
//! transports exist: [`browser::BrowserTransport`] (feature `browser`: `fetch` via `gloo-net`,
//! timers via `gloo-timers`), [`native::NativeTransport`] (feature `native`: a blocking
//! HTTP/1.1 client over `std::net` for plain `http://` — tests, the CLI, devnet tooling) and the
//! tests' recording mock, which is how every URL and body here is pinned.
//!
//! **Why not reqwest.** On wasm32 reqwest is itself a `fetch` wrapper, but it brings `http`,
//! `url`, `serde_json` and, natively, tokio/hyper/rustls; the browser Wasm budget wants none of
//! that, and a native CLI talking to a local devnet or to the proxy needs no TLS or async
//! runtime. JSON is read with `leasekit_sdl::json::Json`, the reader the SDL engine already
//! links, and base64, hex and the bid/lease id come from `leasekit-tx` (a bid read here is what
//! `leasekit_tx::msgs::create_lease` takes), so the client adds almost nothing to the Wasm.
//!
//! **Tolerance.** Responses are read field by field; unknown fields are ignored everywhere and
//! absent optional fields take their defaults. 64-bit integers are read from JSON strings (the
//! chain's gRPC-gateway form) or numbers (the provider's Go form). Numbers the SDL reader does not
//! take (fractions, negatives) are turned into strings before parsing, so a field we never read
//! cannot fail a response. Provider quirks are kept apart where they carry meaning
//! (provider.md §2.2): `uris: null` reads as empty, but `forwarded_ports`/`ips` keep `null`
//! (not computed, `None`) apart from `{}` (computed, empty); `ips` entries use Go's capitalised
//! keys (`Port`, `ExternalPort`, `Protocol`, `IP`); the lease status call's 404-empty, 404-text
//! and 500-while-leasing-IPs answers are states ([`provider::LeaseStatusState`]), not errors.
//!
//! **Errors** are one [`ClientError`]: machine fields (HTTP status, chain code and codespace,
//! the other side's words) and a sentence for the tenant. NotFound from the chain is `Ok(None)`
//! where absence is an answer (an unfunded account, a missing deployment, a tx not yet included).
//! The proxy's own failures (certificate mismatch 495, refused target 403, unknown provider 404,
//! unreachable 502/503/504) are told apart from the provider's by their JSON `error` code.

pub mod chain;
pub mod error;
pub mod provider;
mod read;
pub mod transport;

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "native")]
pub mod native;

pub use chain::ChainClient;
pub use error::{ClientError, ErrorKind};
pub use provider::{LeaseStatusState, ProviderClient};
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
