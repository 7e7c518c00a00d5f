//! `leasekit devnet` and `leasekit proxy`: the long-running services, each on a tokio runtime
//! until Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

/// `leasekit devnet`'s options.
#[derive(Debug, clap::Args)]
pub(crate) struct DevnetArgs {
    /// Where the chain is kept between runs.
    #[arg(long, default_value = ".leasekit-devnet", value_name = "DIR")]
    data_dir: String,
    /// The chain REST's address.
    #[arg(long, default_value = "127.0.0.1:1317", value_name = "ADDR")]
    rest: SocketAddr,
    /// The proxy's address.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    proxy: SocketAddr,
    /// A web origin the chain REST and the proxy answer (repeat for several; default: any).
    #[arg(long, value_name = "ORIGIN")]
    origin: Vec<String>,
}

/// `leasekit proxy`'s options.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("chain").required(true).multiple(true).args(["chain_rest", "network"]))]
pub(crate) struct ProxyArgs {
    /// The chain REST the proxy reads providers' host URIs and certificates from.
    #[arg(long, value_name = "URL")]
    chain_rest: Option<String>,
    /// A real network's preset chain REST (--chain-rest overrides it).
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(leasekit_deploy::network::NETWORK_NAMES))]
    network: Option<String>,
    /// The proxy's address.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR")]
    listen: SocketAddr,
    /// A web origin the proxy answers (repeat for several).
    #[arg(long, value_name = "ORIGIN")]
    origin: Vec<String>,
    /// Allow private and loopback providers (the devnet's).
    #[arg(long)]
    devnet: bool,
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("leasekit: {e}"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

/// `leasekit devnet`: the chain, the simulated providers and the proxy, until Ctrl-C.
pub(crate) fn devnet(args: DevnetArgs) -> ExitCode {
    let mut node = leasekit_devnet::node::Config::new(&args.data_dir);
    node.listen = args.rest;
    let mut origins = args.origin;
    if origins.is_empty() {
        origins.push("*".to_owned());
    }
    let config = leasekit_devnet::stack::StackConfig { node, proxy_listen: args.proxy, allowed_origins: origins };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    runtime.block_on(async move {
        let stack = match leasekit_devnet::stack::start(config).await {
            Ok(s) => s,
            Err(e) => return fail(&format!("leasekit devnet: {e}")),
        };
        let mut banner = format!(
            "leasekit devnet: chain {}\n  chain REST    {}\n  proxy         {}\n",
            stack.node.chain_id,
            stack.node.rest_url(),
            stack.proxy_url()
        );
        for (i, g) in stack.gateways.iter().enumerate() {
            banner.push_str(&format!("  provider {}    {} {}\n", i + 1, g.provider, g.host_uri()));
        }
        banner.push_str(&format!(
            "  test account  {} (funded with AKT and ACT)\n  mnemonic      {}\n                (a devnet key: never use it on a real network)\nCtrl-C stops; the chain is kept in the data dir.\n",
            stack.node.address, stack.node.mnemonic
        ));
        crate::print(&banner);
        let _ = tokio::signal::ctrl_c().await;
        stack.shutdown().await;
        ExitCode::SUCCESS
    })
}

/// `leasekit proxy`: `--network` takes that network's chain REST from leasekit-deploy's
/// presets (`--chain-rest` still overrides it).
pub(crate) fn proxy(args: ProxyArgs) -> ExitCode {
    let preset = args.network.as_deref().and_then(leasekit_deploy::Network::preset).map(|n| n.chain_rest);
    let Some(chain_rest) = args.chain_rest.or(preset) else {
        return crate::usage_error(&["proxy"], "one of --chain-rest or --network is required");
    };
    let listen = args.listen;
    let mut config = leasekit_proxy::ProxyConfig::new(listen, chain_rest.clone());
    config.allowed_origins = args.origin;
    config.devnet = args.devnet;
    let runtime = match runtime() {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    runtime.block_on(async move {
        let running = match leasekit_proxy::serve(config).await {
            Ok(r) => r,
            Err(e) => return fail(&format!("leasekit proxy: {e}")),
        };
        crate::print(&format!("leasekit proxy: http://{} → providers of {chain_rest}\n", running.local_addr()));
        let _ = tokio::signal::ctrl_c().await;
        running.shutdown().await;
        ExitCode::SUCCESS
    })
}
