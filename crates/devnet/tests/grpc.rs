//! The providers' gRPC `GetStatus` through the proxy's `/grpc-status/{addr}` in a whole devnet:
//! the leased-IP pool a simulated provider reports is the one it bids with, and its REST
//! `/status` no longer carries `leased_ip`, like a real provider's.

use std::time::{Duration, Instant};

use leasekit_client::provider::IpCapacity;
use leasekit_client::{ChainClient, ProviderClient, native::NativeTransport};
use leasekit_devnet::{node, stack};
use leasekit_tx::msgs::{self, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::TypeUrl;
use leasekit_tx::tx::{self, Draft, Fee};
use leasekit_tx::{MnemonicSigner, Signer as _};

/// One service on one leased IP.
const SDL: &str = r#"
version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
            ip: myip
endpoints:
  myip:
    kind: ip
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 512Mi}
        storage: {size: 1Gi}
  placement:
    dcloud:
      pricing:
        web: {denom: uact, amount: 1000}
deployment:
  web:
    dcloud:
      profile: web
      count: 1
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn grpc_status_reports_the_pool_the_provider_bids_with() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut node_config = node::Config::new(dir.path());
    node_config.listen = "127.0.0.1:0".parse().expect("addr");
    node_config.block_time = Duration::from_millis(100);
    let devnet = stack::start(stack::StackConfig {
        node: node_config,
        proxy_listen: "127.0.0.1:0".parse().expect("addr"),
        allowed_origins: vec!["*".into()],
    })
    .await
    .expect("devnet starts");
    let chain = ChainClient::new(NativeTransport::new(), &devnet.node.rest_url());
    let providers = ProviderClient::new(NativeTransport::new(), &devnet.proxy_url());
    let signer = MnemonicSigner::from_mnemonic(&devnet.node.mnemonic, 0).expect("test key");
    let owner = signer.address();

    // Before any order: the whole pool of 4 is free, on every provider.
    let pool = |allocated| IpCapacity { allocatable: 4, allocated, capacity: 4 };
    for gateway in &devnet.gateways {
        assert_ne!(gateway.grpc_addr, gateway.addr, "gRPC on a port of its own");
        let capacity = providers.ip_capacity(&gateway.provider).await.expect("gRPC status").expect("a pool");
        assert_eq!(capacity, pool(0), "{}", gateway.provider);
        let status = providers.provider_status(&gateway.provider).await.expect("REST status");
        assert!(!status.raw.to_go_compact().contains("leased_ip"), "REST /status has no leased_ip: {:?}", status.raw);
    }

    // A deployment leasing one IP: every provider that bids reserves one address for it.
    let account = chain.account(&owner).await.expect("account").expect("funded");
    let output = leasekit_sdl::build(SDL).output.expect("SDL builds");
    let deposit = Deposit::from_balance(Coin::parse("500000uact").expect("coin"));
    let create =
        msgs::create_deployment(&output, &CreateDeployment { owner: &owner, dseq: 77, deposit, chain_version: None })
            .expect("message");
    let draft = Draft {
        messages: vec![create.to_any()],
        memo: String::new(),
        fee: Fee {
            amount: vec![Coin { denom: "uakt".into(), amount: 5000 }],
            gas_limit: 400_000,
            payer: String::new(),
            granter: String::new(),
        },
        timeout_height: 0,
    };
    let signed =
        tx::sign(&draft, &devnet.node.chain_id, account.account_number, account.sequence, &signer).expect("sign");
    let broadcast = chain.broadcast(&signed.tx_bytes).await.expect("accepted");
    assert_eq!(chain.wait_for_tx(&broadcast.tx_hash, 20_000, 100).await.expect("included").code, 0);
    let deadline = Instant::now() + Duration::from_secs(20);
    let bids = loop {
        let bids = chain.bids(&owner, 77, Some("open")).await.expect("bids");
        if !bids.is_empty() {
            break bids;
        }
        assert!(Instant::now() < deadline, "no bids");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for gateway in &devnet.gateways {
        let bid = bids.iter().any(|b| b.id.provider == gateway.provider);
        let capacity = providers.ip_capacity(&gateway.provider).await.expect("gRPC status").expect("a pool");
        assert_eq!(capacity, pool(u64::from(bid)), "{} (bid: {bid})", gateway.provider);
        assert_eq!(capacity.free(), if bid { 3 } else { 4 });
    }
    assert!(!bids.is_empty());
    devnet.shutdown().await;
}
