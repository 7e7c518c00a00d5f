//! `leasekit devnet` and `leasekit proxy`: the long-running services, each on a tokio runtime
//! until Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;

/// Options of `devnet` / `proxy`: `--flag value` pairs; `--origin` may repeat.
struct Flags {
    pairs: Vec<(String, String)>,
    devnet: bool,
}

fn flags(args: &[&str]) -> Option<Flags> {
    let mut pairs = Vec::new();
    let mut devnet = false;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if *flag == "--devnet" {
            devnet = true;
            continue;
        }
        let name = flag.strip_prefix("--")?;
        pairs.push((name.to_owned(), (*rest.next()?).to_owned()));
    }
    Some(Flags { pairs, devnet })
}

impl Flags {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }

    fn unknown(&self, known: &[&str]) -> Option<&str> {
        self.pairs.iter().map(|(n, _)| n.as_str()).find(|n| !known.contains(n))
    }

    fn addr(&self, name: &str, default: &str) -> Result<SocketAddr, String> {
        let text = self.get(name).unwrap_or(default);
        text.parse().map_err(|_| format!("leasekit: --{name} {text}: expected an address such as 127.0.0.1:8787"))
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("leasekit: {e}"))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

/// `leasekit devnet [--data-dir DIR] [--rest ADDR] [--proxy ADDR] [--origin ORIGIN]...`
pub fn devnet(args: &[&str]) -> ExitCode {
    let Some(flags) =
        flags(args).filter(|f| f.unknown(&["data-dir", "rest", "proxy", "origin"]).is_none() && !f.devnet)
    else {
        return crate::usage_error();
    };
    let (rest, proxy) = match (flags.addr("rest", "127.0.0.1:1317"), flags.addr("proxy", "127.0.0.1:8787")) {
        (Ok(r), Ok(p)) => (r, p),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    let mut node = leasekit_devnet::node::Config::new(flags.get("data-dir").unwrap_or(".leasekit-devnet"));
    node.listen = rest;
    let mut origins = flags.all("origin");
    if origins.is_empty() {
        origins.push("*".to_owned());
    }
    let config = leasekit_devnet::stack::StackConfig { node, proxy_listen: proxy, allowed_origins: origins };
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

/// `leasekit proxy (--chain-rest URL | --network mainnet|sandbox) [--listen ADDR]
/// [--origin ORIGIN]... [--devnet]`: `--network` takes that network's default chain REST from
/// leasekit-deploy's presets (`--chain-rest` still overrides it).
pub fn proxy(args: &[&str]) -> ExitCode {
    let Some(flags) = flags(args).filter(|f| f.unknown(&["chain-rest", "network", "listen", "origin"]).is_none())
    else {
        return crate::usage_error();
    };
    let preset = match flags.get("network") {
        None => None,
        Some(name) => match leasekit_deploy::Network::preset(name) {
            Some(network) => Some(network.chain_rest),
            None => {
                let names = leasekit_deploy::network::NETWORK_NAMES.join(", ");
                return fail(&format!("leasekit proxy: --network {name}: not a known network ({names})"));
            }
        },
    };
    let Some(chain_rest) = flags.get("chain-rest").map(str::to_owned).or(preset) else {
        return crate::usage_error();
    };
    let listen = match flags.addr("listen", "127.0.0.1:8787") {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let mut config = leasekit_proxy::ProxyConfig::new(listen, chain_rest.clone());
    config.allowed_origins = flags.all("origin");
    config.devnet = flags.devnet;
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
