//! The tenant's whole path through the devnet, as the web app walks it: leasekit-client over
//! HTTP against the chain REST, and through the proxy (devnet mode) to a provider gateway over
//! TLS pinned to the certificate on chain. Create deployment → bids → lease → manifest → the
//! leased IP in lease status → update keeps the IP → close frees it; and the refusals a tenant
//! can run into (hash mismatch, foreign and expired tokens).

use std::time::Duration;

use leasekit_client::provider::LeaseStatusState;
use leasekit_client::{ChainClient, ProviderClient, native::NativeTransport};
use leasekit_devnet::{node, stack};
use leasekit_tx::jwt::{self, Alg, Claims, Leases};
use leasekit_tx::msgs::{self, BidId, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::TypeUrl;
use leasekit_tx::tx::{self, Draft, Fee};
use leasekit_tx::{MnemonicSigner, Signer};

/// One web service on a leased IP (TCP 80) plus a UDP game port on the same IP.
fn sdl(env: &str) -> String {
    format!(
        r#"
version: "2.0"
services:
  game:
    image: nginx:1.27
    env:
      - {env}
    expose:
      - port: 80
        to:
          - global: true
            ip: public
      - port: 27015
        proto: udp
        to:
          - global: true
            ip: public
endpoints:
  public:
    kind: ip
profiles:
  compute:
    game:
      resources:
        cpu: {{units: 0.5}}
        memory: {{size: 512Mi}}
        storage: {{size: 1Gi}}
  placement:
    dcloud:
      pricing:
        game: {{denom: uact, amount: 1000}}
deployment:
  game:
    dcloud:
      profile: game
      count: 1
"#
    )
}

struct Tenant {
    chain: ChainClient<NativeTransport>,
    providers: ProviderClient<NativeTransport>,
    signer: MnemonicSigner,
    chain_id: String,
}

impl Tenant {
    async fn send(&self, message: leasekit_tx::proto::Any) -> leasekit_client::chain::TxResult {
        let account = self.chain.account(&self.signer.address()).await.expect("account").expect("funded");
        let draft = Draft {
            messages: vec![message],
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
            tx::sign(&draft, &self.chain_id, account.account_number, account.sequence, &self.signer).expect("sign");
        let broadcast = self.chain.broadcast(&signed.tx_bytes).await.expect("accepted by CheckTx");
        let result = self.chain.wait_for_tx(&broadcast.tx_hash, 20_000, 100).await.expect("included");
        assert_eq!(result.code, 0, "{}", result.raw_log);
        result
    }

    fn token(&self, now_offset: i64) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
        let now = now.saturating_add_signed(now_offset);
        let claims = Claims::starting_at(&self.signer.address(), now, 900, Leases::Full);
        jwt::create(Alg::Es256kAdr36, &claims, &self.signer).expect("token")
    }

    /// Creates a deployment of `output` and leases it from `provider`.
    async fn deploy_on(&self, output: &leasekit_sdl::Output, dseq: u64, provider: &str) -> BidId {
        let owner = self.signer.address();
        let deposit = Deposit::from_balance(Coin::parse("500000uact").expect("coin"));
        let create =
            msgs::create_deployment(output, &CreateDeployment { owner: &owner, dseq, deposit, chain_version: None })
                .expect("message");
        self.send(create.to_any()).await;
        let bid =
            self.wait_for_bids(dseq).await.into_iter().find(|b| b.id.provider == provider).expect("the provider bids");
        self.send(msgs::create_lease(&bid.id).expect("lease").to_any()).await;
        bid.id
    }

    /// The first IP-capable provider registered on the chain.
    async fn wait_for_any_provider(&self) -> String {
        let probe = leasekit_sdl::build(&sdl("MODE=probe")).output.expect("SDL builds");
        let owner = self.signer.address();
        let deposit = Deposit::from_balance(Coin::parse("500000uact").expect("coin"));
        let create =
            msgs::create_deployment(&probe, &CreateDeployment { owner: &owner, dseq: 7, deposit, chain_version: None })
                .expect("message");
        self.send(create.to_any()).await;
        let provider = self.wait_for_bids(7).await.remove(0).id.provider;
        self.send(msgs::close_deployment(&owner, 7).expect("close").to_any()).await;
        provider
    }

    async fn wait_for_bids(&self, dseq: u64) -> Vec<leasekit_client::chain::Bid> {
        for _ in 0..200 {
            let bids = self.chain.bids(&self.signer.address(), dseq, Some("open")).await.expect("bids");
            if !bids.is_empty() {
                return bids;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no bids for deployment {dseq}");
    }
}

fn ips(state: &LeaseStatusState) -> Vec<(String, u32, String)> {
    let LeaseStatusState::Ready(status) = state else { panic!("lease not ready: {state:?}") };
    let mut out: Vec<(String, u32, String)> = status
        .ips
        .as_ref()
        .expect("ips computed")
        .values()
        .flatten()
        .map(|e| (e.ip.clone(), e.external_port, e.protocol.clone()))
        .collect();
    out.sort();
    out
}

async fn start_devnet(dir: &std::path::Path) -> (stack::Stack, Tenant) {
    let mut node_config = node::Config::new(dir);
    node_config.listen = "127.0.0.1:0".parse().expect("addr");
    node_config.block_time = Duration::from_millis(100);
    let devnet = stack::start(stack::StackConfig {
        node: node_config,
        proxy_listen: "127.0.0.1:0".parse().expect("addr"),
        allowed_origins: vec!["*".into()],
    })
    .await
    .expect("devnet starts");
    let tenant = Tenant {
        chain: ChainClient::new(NativeTransport::new(), &devnet.node.rest_url()),
        providers: ProviderClient::new(NativeTransport::new(), &devnet.proxy_url()),
        signer: MnemonicSigner::from_mnemonic(&devnet.node.mnemonic, 0).expect("test key"),
        chain_id: devnet.node.chain_id.clone(),
    };
    (devnet, tenant)
}

/// A restart keeps the chain (redb) and what the providers deployed (their journals): the
/// lease is still served with its address, through a gateway on a new port with a new
/// certificate that the proxy pins afresh from the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn restart_keeps_leases_manifests_and_addresses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (devnet, tenant) = start_devnet(dir.path()).await;
    let output = leasekit_sdl::build(&sdl("MODE=one")).output.expect("SDL builds");
    let provider = tenant.wait_for_any_provider().await;
    let lease = tenant.deploy_on(&output, 42, &provider).await;
    let token = tenant.token(0);
    tenant.providers.send_manifest(&provider, 42, &output.manifest.to_json_string(), &token).await.expect("manifest");
    let before = ips(&tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status"));
    devnet.shutdown().await;
    assert!(dir.path().join("provider-0.json").exists() || dir.path().join("provider-1.json").exists());

    let (devnet, tenant) = start_devnet(dir.path()).await;
    let after = ips(&tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status"));
    assert_eq!(after, before);
    devnet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_lease_manifest_ip_update_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (devnet, tenant) = start_devnet(dir.path()).await;
    let owner = tenant.signer.address();
    assert_eq!(tenant.chain.node_info().await.expect("node info").chain_id, devnet.node.chain_id);

    // Create the deployment.
    let dseq = 1_000_001;
    let output = leasekit_sdl::build(&sdl("MODE=one")).output.expect("SDL builds");
    let deposit = Deposit::from_balance(Coin::parse("500000uact").expect("coin"));
    let create =
        msgs::create_deployment(&output, &CreateDeployment { owner: &owner, dseq, deposit, chain_version: None })
            .expect("message");
    tenant.send(create.to_any()).await;
    let deployment = tenant.chain.deployment(&owner, dseq).await.expect("query").expect("on chain");
    assert_eq!(deployment.hash, output.version.to_vec());
    log(&format!("MsgCreateDeployment {dseq}: on chain, hash {}", deployment.hash_hex()));

    // Accept a bid.
    let bid = tenant.wait_for_bids(dseq).await.remove(0);
    let provider = bid.id.provider.clone();
    tenant.send(msgs::create_lease(&bid.id).expect("lease").to_any()).await;
    let lease: BidId = bid.id.clone();
    log(&format!("MsgCreateLease: lease {dseq}/1/1 with {provider} at {} per block", bid.price.amount));

    // Before the manifest the provider has nothing for the lease.
    let token = tenant.token(0);
    let before = tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status");
    assert!(matches!(before, LeaseStatusState::NotDeployed), "{before:?}");

    // A manifest that does not hash to the on-chain version is refused (422).
    let other = leasekit_sdl::build(&sdl("MODE=other")).output.expect("SDL builds");
    let refused = tenant.providers.send_manifest(&provider, dseq, &other.manifest.to_json_string(), &token).await;
    assert_eq!(refused.expect_err("hash mismatch").http_status, Some(422));

    // The manifest; the IP comes up with both ports.
    tenant.providers.send_manifest(&provider, dseq, &output.manifest.to_json_string(), &token).await.expect("manifest");
    let status = tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status");
    let leased = ips(&status);
    assert_eq!(leased.len(), 2, "{leased:?}");
    let ip = leased[0].0.clone();
    assert!(ip.starts_with("203.0.113."), "{ip}");
    assert_eq!(leased, vec![(ip.clone(), 80, "TCP".into()), (ip.clone(), 27015, "UDP".into())]);
    log(&format!("PUT manifest (via the proxy, TLS pinned to the chain's certificate): lease status ips {leased:?}"));
    provider_answers_in_the_recorded_shapes(&devnet, &provider, &lease, &token).await;

    // Tokens: expired → 400 invalid claims; signed by another key for this owner → 401.
    let expired = tenant.token(-3600);
    let refused = tenant.providers.lease_status(&provider, &lease, &expired, true).await.expect_err("expired");
    assert_eq!(refused.http_status, Some(400));
    let stranger = MnemonicSigner::from_mnemonic(&MnemonicSigner::generate_mnemonic(&[9u8; 32]), 0).expect("key");
    let forged_input = jwt::signing_input(Alg::Es256k, &Claims::starting_at(&owner, tenant_now(), 900, Leases::Full));
    let forged = jwt::sign_input(Alg::Es256k, &forged_input, &stranger).expect("sign");
    let refused = tenant.providers.lease_status(&provider, &lease, &forged, true).await.expect_err("foreign");
    assert_eq!(refused.http_status, Some(401));

    // Update: a new hash on chain, the manifest re-sent; the IP is kept.
    let updated = leasekit_sdl::build(&sdl(&format!("PUBLIC_IP={ip}"))).output.expect("SDL builds");
    tenant.send(msgs::update_deployment(&updated, &owner, dseq).expect("update").to_any()).await;
    tenant
        .providers
        .send_manifest(&provider, dseq, &updated.manifest.to_json_string(), &token)
        .await
        .expect("manifest");
    let status = tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status");
    assert_eq!(ips(&status)[0].0, ip, "the IP is kept across the update");
    log(&format!("MsgUpdateDeployment (env PUBLIC_IP={ip}) + manifest: the IP is kept"));

    // Migrate: a second deployment of the same owner names the same endpoint; while the first
    // holds it the provider withholds it (same sharing key), then migration moves the address.
    let dseq_b = dseq + 10;
    let lease_b = tenant.deploy_on(&output, dseq_b, &provider).await;
    tenant
        .providers
        .send_manifest(&provider, dseq_b, &output.manifest.to_json_string(), &token)
        .await
        .expect("manifest");
    log(&format!("deployment {dseq_b}: manifest sent; its endpoint \"public\" is held by {dseq}, so withheld"));
    assert!(ips(&tenant.providers.lease_status(&provider, &lease_b, &token, true).await.expect("status")).is_empty());
    let moved = tenant.providers.migrate_endpoints(&provider, &["public"], dseq_b, 1, &token).await.expect("migrate");
    assert_eq!(moved, vec!["public".to_owned()]);
    let status_b = tenant.providers.lease_status(&provider, &lease_b, &token, true).await.expect("status");
    assert_eq!(ips(&status_b)[0].0, ip, "the address moved to the destination");
    assert!(ips(&tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status")).is_empty());
    log(&format!("POST /endpoint/migrate public → {dseq_b}: {ip} now serves deployment {dseq_b}"));

    // Close: the leases end on chain; the provider frees what they held.
    tenant.send(msgs::close_deployment(&owner, dseq).expect("close").to_any()).await;
    let after = tenant.providers.lease_status(&provider, &lease, &token, true).await.expect("status");
    assert!(matches!(after, LeaseStatusState::NotDeployed), "{after:?}");
    let status_b = tenant.providers.lease_status(&provider, &lease_b, &token, true).await.expect("status");
    assert_eq!(ips(&status_b)[0].0, ip, "closing the source does not take the migrated address");
    tenant.send(msgs::close_deployment(&owner, dseq_b).expect("close").to_any()).await;
    log(&format!("MsgCloseDeployment {dseq} and {dseq_b}: leases closed, lease status 404"));

    // The freed address is the one the next deployment on that provider gets.
    let dseq_c = dseq + 20;
    let lease_c = tenant.deploy_on(&output, dseq_c, &provider).await;
    tenant
        .providers
        .send_manifest(&provider, dseq_c, &output.manifest.to_json_string(), &token)
        .await
        .expect("manifest");
    let status = tenant.providers.lease_status(&provider, &lease_c, &token, true).await.expect("status");
    assert_eq!(ips(&status)[0].0, ip, "the closed leases' address was freed and reused");
    log(&format!("deployment {dseq_c}: the freed {ip} is leased again"));

    devnet.shutdown().await;
}

/// The flow's log (`cargo test -p leasekit-devnet --test flow -- --nocapture` shows it).
/// The devnet's provider gateway answers lease status and `/status` in the shapes of a real
/// provider's recorded answers (`LEASEKIT_REAL_API`): keys, encodings (`Port`, `ExternalPort`,
/// `Protocol`, `IP` capitalised, numbers as numbers), nulls.
async fn provider_answers_in_the_recorded_shapes(devnet: &stack::Stack, provider: &str, lease: &BidId, token: &str) {
    use leasekit_client::{HttpRequest, Transport as _};
    use leasekit_test_support::{Allow, real_api, shape_diff};
    let Some(suite) = real_api() else { return };
    let get = |path: String, token: Option<&str>| {
        let mut req = HttpRequest::new("GET", format!("{}/provider/{provider}{path}", devnet.proxy_url()));
        if let Some(token) = token {
            req = req.header("Authorization", &format!("Bearer {token}"));
        }
        async move {
            let resp = NativeTransport::new().send(req).await.expect("the proxy answers");
            assert_eq!(resp.status, 200, "{}", resp.text());
            serde_json::from_slice::<serde_json::Value>(&resp.body).expect("JSON")
        }
    };
    let status = get(format!("/lease/{}/{}/{}/status", lease.dseq, lease.gseq, lease.oseq), Some(token)).await;
    let provider_status = get("/status".to_owned(), None).await;
    let mut failures = Vec::new();
    // Services and their IPs are keyed by SDL service names. The recording's lease has no
    // NodePort forward (`forwarded_ports: null`), so it says nothing of a forward's shape.
    let lease_allow = Allow { maps: &["$.services", "$.ips"], opaque: &["$.forwarded_ports"], ..Allow::default() };
    failures.extend(shape_diff(&suite.json("lease-status-ip.json"), &status, lease_allow));
    // The gateway adds the provider's `address` to its status (provider: gateway/rest/router.go,
    // `createStatusHandler`); the recording, from the Akash docs, shows the status without it.
    let status_allow = Allow { optional: &["$.address"], ..Allow::default() };
    failures.extend(shape_diff(&suite.json("provider-status.json"), &provider_status, status_allow));
    assert!(failures.is_empty(), "the devnet provider's shapes differ from the recordings:\n{}", failures.join("\n"));
}

fn log(line: &str) {
    eprintln!("flow: {line}");
}

fn tenant_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs()
}
