//! The whole devnet in one process: the chain node, one TLS gateway per simulated provider
//! (its certificate and host URI recorded on the chain, its gRPC `GetStatus` beside it) and a
//! proxy in devnet mode in front of them, told each provider's gRPC port — what `leasekit devnet` and `cargo xtask serve` run.

use std::net::SocketAddr;

use crate::gateway::{self, GatewayHandle};
use crate::node::{self, Handle};

/// What to start.
#[derive(Debug, Clone)]
pub struct StackConfig {
    /// The chain node.
    pub node: node::Config,
    /// The proxy's address (port 0 picks one).
    pub proxy_listen: SocketAddr,
    /// Origins the proxy answers CORS for (`*` is accepted: devnet mode).
    pub allowed_origins: Vec<String>,
}

/// A running devnet.
pub struct Stack {
    /// The chain node.
    pub node: Handle,
    /// One gateway per provider, in the chain's provider order.
    pub gateways: Vec<GatewayHandle>,
    /// The proxy.
    pub proxy: leasekit_proxy::RunningProxy,
}

impl std::fmt::Debug for Stack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stack").field("node", &self.node).field("gateways", &self.gateways).finish_non_exhaustive()
    }
}

impl Stack {
    /// The proxy's base URL.
    #[must_use]
    pub fn proxy_url(&self) -> String {
        format!("http://{}", self.proxy.local_addr())
    }

    /// Stops everything, saving the chain.
    pub async fn shutdown(self) {
        self.proxy.shutdown().await;
        for g in self.gateways {
            g.shutdown();
        }
        self.node.shutdown().await;
    }
}

/// Starts the node, a gateway per provider on a free loopback port, and the proxy.
pub async fn start(config: StackConfig) -> std::io::Result<Stack> {
    let node = node::start(config.node.clone()).await?;
    let chain = node.chain();
    let count = chain.lock().unwrap_or_else(std::sync::PoisonError::into_inner).state().providers.len();
    let mut gateways = Vec::with_capacity(count);
    for index in 0..count {
        let listen = SocketAddr::from(([127, 0, 0, 1], 0));
        gateways.push(gateway::start(node.chain(), index, listen, Some(&config.node.data_dir)).await?);
    }
    let mut proxy = leasekit_proxy::ProxyConfig::new(config.proxy_listen, node.rest_url());
    proxy.devnet = true;
    proxy.allowed_origins = config.allowed_origins;
    // Each simulated provider's gRPC listens on a port picked at start, not 8444.
    proxy.grpc_ports = gateways.iter().map(|g| (g.provider.clone(), g.grpc_addr.port())).collect();
    // Fresh pool numbers on every call: a devnet's bids come and go within a block or two.
    proxy.grpc_status_ttl = std::time::Duration::ZERO;
    let proxy = leasekit_proxy::serve(proxy).await.map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(Stack { node, gateways, proxy })
}
