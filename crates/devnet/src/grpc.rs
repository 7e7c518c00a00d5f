//! A simulated provider's gRPC: `akash.provider.v1.ProviderRPC/GetStatus` over TLS (ALPN `h2`)
//! with the gateway's certificate, on a port of its own as a real provider serves gRPC on 8444
//! beside its REST on 8443. It is the only place the devnet reports the leased-IP pool, as on
//! real providers, whose REST `/status` has no `leased_ip`.
//!
//! The numbers are the ones the simulated provider bids with ([`crate::providers`]): capacity
//! and allocatable are the pool size (0 without IP support, like a provider without an IP
//! operator), allocated is what its active leases and open bids hold ([`ips_held`]).
//!
//! Framing, trailers and status codes are tonic's server codec over hyper's HTTP/2; the
//! messages are written by hand from the upstream protos (chain-sdk:
//! proto/provider/akash/provider/v1/status.proto, proto/provider/akash/inventory/v1/resourcepair.proto,
//! apimachinery: pkg/api/resource/generated.proto) with the fields the devnet fills in.

use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

use hyper::Request;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::chain::Chain;
use crate::providers::ips_held;

/// The method's path (chain-sdk: proto/provider/akash/provider/v1/service.proto).
pub const GET_STATUS: &str = "/akash.provider.v1.ProviderRPC/GetStatus";

/// `akash.provider.v1.Status`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Status {
    /// `repeated string errors = 1`.
    #[prost(string, repeated, tag = "1")]
    pub errors: Vec<String>,
    /// `ClusterStatus cluster = 2`.
    #[prost(message, optional, tag = "2")]
    pub cluster: Option<ClusterStatus>,
    /// `BidEngineStatus bid_engine = 3`.
    #[prost(message, optional, tag = "3")]
    pub bid_engine: Option<Count>,
    /// `ManifestStatus manifest = 4`.
    #[prost(message, optional, tag = "4")]
    pub manifest: Option<Count>,
    /// `repeated string public_hostnames = 5`.
    #[prost(string, repeated, tag = "5")]
    pub public_hostnames: Vec<String>,
}

/// `akash.provider.v1.ClusterStatus`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ClusterStatus {
    /// `Leases leases = 1`.
    #[prost(message, optional, tag = "1")]
    pub leases: Option<Count>,
    /// `Inventory inventory = 2`.
    #[prost(message, optional, tag = "2")]
    pub inventory: Option<Inventory>,
}

/// `Leases { uint32 active = 1 }`, `BidEngineStatus { uint32 orders = 1 }` and
/// `ManifestStatus { uint32 deployments = 1 }`: one counter each.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Count {
    /// Field 1.
    #[prost(uint32, tag = "1")]
    pub value: u32,
}

/// `akash.provider.v1.Inventory` (`cluster = 1` and `reservations = 2` are left out).
#[derive(Clone, PartialEq, prost::Message)]
pub struct Inventory {
    /// `akash.inventory.v1.ResourcePair leased_ip = 3`.
    #[prost(message, optional, tag = "3")]
    pub leased_ip: Option<ResourcePair>,
}

/// `akash.inventory.v1.ResourcePair` (`attributes = 3` left out).
#[derive(Clone, PartialEq, prost::Message)]
pub struct ResourcePair {
    /// `allocatable = 1`.
    #[prost(message, optional, tag = "1")]
    pub allocatable: Option<Quantity>,
    /// `allocated = 2`.
    #[prost(message, optional, tag = "2")]
    pub allocated: Option<Quantity>,
    /// `capacity = 4`.
    #[prost(message, optional, tag = "4")]
    pub capacity: Option<Quantity>,
}

/// `k8s.io.apimachinery.pkg.api.resource.Quantity`: `optional string string = 1`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Quantity {
    /// The quantity's text; a count is plain decimal here.
    #[prost(string, optional, tag = "1")]
    pub string: Option<String>,
}

fn quantity(n: u32) -> Option<Quantity> {
    Some(Quantity { string: Some(n.to_string()) })
}

/// The status of the chain's provider `owner`, computed from the chain state.
#[must_use]
pub fn status_of(chain: &Chain, owner: &str) -> Status {
    let state = chain.state();
    let provider = state.providers.iter().find(|p| p.owner == owner);
    let pool = provider.filter(|p| p.ip_support).map_or(0, |p| p.ip_pool);
    let held = ips_held(state, owner);
    let active = state.leases.iter().filter(|l| l.id.provider == owner && l.state == crate::chain::LeaseState::Active);
    let active = u32::try_from(active.count()).unwrap_or(u32::MAX);
    let leased_ip = ResourcePair { allocatable: quantity(pool), allocated: quantity(held), capacity: quantity(pool) };
    Status {
        errors: Vec::new(),
        cluster: Some(ClusterStatus {
            leases: Some(Count { value: active }),
            inventory: Some(Inventory { leased_ip: Some(leased_ip) }),
        }),
        bid_engine: Some(Count { value: 0 }),
        manifest: Some(Count { value: active }),
        public_hostnames: vec!["localhost".to_owned()],
    }
}

/// `GetStatus` for one provider.
struct GetStatus {
    chain: Arc<Mutex<Chain>>,
    owner: String,
}

impl tonic::server::UnaryService<()> for GetStatus {
    type Response = Status;
    type Future = std::future::Ready<Result<tonic::Response<Status>, tonic::Status>>;

    fn call(&mut self, _request: tonic::Request<()>) -> Self::Future {
        let chain = self.chain.lock().unwrap_or_else(PoisonError::into_inner);
        std::future::ready(Ok(tonic::Response::new(status_of(&chain, &self.owner))))
    }
}

/// Serves `GetStatus` of provider `owner` on `listener`, TLS by `acceptor` (whose configuration
/// must offer ALPN `h2`); other methods answer `UNIMPLEMENTED`.
pub(crate) fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    chain: Arc<Mutex<Chain>>,
    owner: String,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let (acceptor, chain, owner) = (acceptor.clone(), Arc::clone(&chain), owner.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else { return };
                let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    let method = GetStatus { chain: Arc::clone(&chain), owner: owner.clone() };
                    async move {
                        if request.uri().path() != GET_STATUS {
                            return Ok::<_, Infallible>(
                                tonic::Status::unimplemented(format!("{} is not served", request.uri().path()))
                                    .into_http(),
                            );
                        }
                        let mut grpc = tonic::server::Grpc::new(tonic_prost::ProstCodec::<Status, ()>::default());
                        Ok(grpc.unary(method, request).await)
                    }
                });
                let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    })
}
