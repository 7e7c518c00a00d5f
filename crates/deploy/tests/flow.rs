//! The deploy flow end to end against the in-process devnet (an independent implementation of
//! the chain and the providers), natively — the path the web app walks, including a crash
//! between signing and broadcasting and two reloads from saved state that must not pay twice.

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use leasekit_client::native::NativeTransport;
use leasekit_client::{ChainClient, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use leasekit_deploy::lease::CardStatus;
use leasekit_deploy::state::TxPurpose;
use leasekit_deploy::{
    DeployState, Deployer, Hooks, IpCapability, KeyWallet, Network, Polling, Step, StepKind, Wallet,
};
use leasekit_deploy::{DirectSigned, WalletError};
use leasekit_devnet::{node, stack};

/// One web service on a leased IP (TCP 80) plus a UDP game port on the same IP, with a
/// comment the env injection must keep.
const SDL: &str = include_str!("fixtures/game-ip.yaml");

/// A transport whose broadcasts never leave: the app "crashes" between saving the signed
/// transaction and sending it.
#[derive(Clone)]
struct NoBroadcast(NativeTransport);

impl Transport for NoBroadcast {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        if req.method == "POST" && req.url.ends_with("/cosmos/tx/v1beta1/txs") {
            return Err(TransportError::new(TransportErrorKind::Connect, "the tab was closed"));
        }
        self.0.send(req).await
    }

    async fn sleep(&self, ms: u64) {
        self.0.sleep(ms).await;
    }
}

/// A wallet whose user declines every transaction.
struct Declining(KeyWallet);

impl Wallet for Declining {
    fn address(&self) -> String {
        self.0.address()
    }

    fn public_key(&self) -> Vec<u8> {
        self.0.public_key()
    }

    async fn sign_direct(&self, _: &leasekit_tx::tx::SignDoc) -> Result<DirectSigned, WalletError> {
        Err(WalletError::rejected("Request rejected"))
    }

    async fn sign_arbitrary(&self, data: &str) -> Result<Vec<u8>, WalletError> {
        self.0.sign_arbitrary(data).await
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs()
}

fn fast() -> Polling {
    Polling {
        first_ms: 50,
        max_ms: 200,
        tx_timeout_ms: 20_000,
        bids_timeout_ms: 20_000,
        manifest_timeout_ms: 20_000,
        ip_timeout_ms: 20_000,
        sequence_timeout_ms: 20_000,
    }
}

/// Hooks that keep every saved state as JSON and print the progress sentences.
fn recording(saved: &RefCell<Vec<String>>) -> Hooks<'_> {
    Hooks::new(
        |p| eprintln!("deploy [{}]: {}", p.step.as_str(), p.message),
        move |s: &DeployState| saved.borrow_mut().push(s.to_json()),
    )
}

async fn sequence(chain: &ChainClient<NativeTransport>, owner: &str) -> u64 {
    chain.account(owner).await.expect("account query").expect("funded").sequence
}

/// A devnet on free ports with 100 ms blocks, its data in a temporary directory (kept alive by
/// the returned guard), and the network settings that point at it.
async fn start_devnet() -> (tempfile::TempDir, stack::Stack, Network) {
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
    let mut network = Network::preset("devnet").expect("preset");
    network.chain_rest = devnet.node.rest_url();
    network.proxy = devnet.proxy_url();
    (dir, devnet, network)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deploy_resume_bid_manifest_ip_inject_close() {
    let (_dir, devnet, network) = start_devnet().await;
    let config = format!(r#"{{"network":"devnet","chainRest":"{}","proxy":"{}"}}"#, network.chain_rest, network.proxy);
    assert_eq!(Network::from_config_json(&config).expect("config"), network);
    let wallet = || KeyWallet::from_mnemonic(&devnet.node.mnemonic, 0).expect("test key");
    let chain = ChainClient::new(NativeTransport::new(), &network.chain_rest);
    let owner = wallet().address();
    let start = sequence(&chain, &owner).await;

    // 0. The user declines in the wallet: nothing saved, nothing sent.
    let saved = RefCell::new(Vec::new());
    let declining = Deployer::new(network.clone(), NativeTransport::new(), Declining(wallet())).with_clock(now);
    let mut state = declining.new_state(SDL, "500000uact");
    let err = declining.create_deployment(&mut state, &mut recording(&saved)).await.expect_err("declined");
    assert!(err.rejected && err.retryable, "{err:?}");
    assert!(saved.borrow().is_empty());
    assert_eq!(state.step, Step::Review);
    assert_eq!(sequence(&chain, &owner).await, start);

    // 1. Sign the create, save, "crash" before the broadcast.
    let saved = RefCell::new(Vec::new());
    let crashing = Deployer::new(network.clone(), NoBroadcast(NativeTransport::new()), wallet())
        .with_clock(now)
        .with_polling(fast());
    let mut state = crashing.new_state(SDL, "500000uact");
    let review = crashing.review(&state).await.expect("review");
    assert_eq!(review.ips_needed, 1);
    let err = crashing.create_deployment(&mut state, &mut recording(&saved)).await.expect_err("no broadcast");
    assert!(err.retryable, "{err:?}");
    assert_eq!(err.step, StepKind::Create);
    let checkpoint = saved.borrow().last().cloned().expect("saved before broadcasting");
    let Step::Creating { dseq, tx_hash } = DeployState::from_json(&checkpoint).expect("reads back").step else {
        panic!("the checkpoint is not at Creating: {checkpoint}");
    };
    assert_eq!(sequence(&chain, &owner).await, start, "nothing reached the chain");
    assert!(chain.deployment(&owner, dseq).await.expect("query").is_none());

    // 2. A new app instance (no clock: tokens dated by the chain's block time) resumes from
    //    the saved JSON: the same signed bytes are broadcast, once.
    let app = Deployer::new(network.clone(), NativeTransport::new(), wallet()).with_polling(fast());
    let mut state = DeployState::from_json(&checkpoint).expect("state");
    app.resume(&mut state, &mut recording(&saved)).await.expect("resume");
    assert_eq!(state.step, Step::Bidding { dseq });
    assert!(state.pending.is_none());
    assert_eq!(sequence(&chain, &owner).await, start + 1, "exactly one transaction");
    let tx = chain.tx(&tx_hash).await.expect("tx query").expect("the saved transaction is on chain");
    assert_eq!(tx.code, 0);
    let on_chain = chain.deployment(&owner, dseq).await.expect("query").expect("created");
    let built = leasekit_sdl::build(SDL).output.expect("SDL builds");
    assert_eq!(on_chain.hash, built.version.to_vec(), "the chain holds the SDL's manifest version");

    // 3. Another reload from the same stale checkpoint: found by hash, nothing sent.
    let again = Deployer::new(network.clone(), NativeTransport::new(), wallet()).with_clock(now).with_polling(fast());
    let mut stale = DeployState::from_json(&checkpoint).expect("state");
    again.resume(&mut stale, &mut Hooks::silent()).await.expect("resume again");
    assert_eq!(stale.step, Step::Bidding { dseq });
    assert_eq!(sequence(&chain, &owner).await, start + 1, "no second create");
    assert_eq!(app.deployments(&owner).await.expect("list").iter().filter(|d| d.deployment.dseq == dseq).count(), 1);

    // 4. Bids: the devnet's providers bid on an order needing an IP, so each is IP-capable.
    let offers = app.wait_for_bids(&state, &mut Hooks::silent()).await.expect("bids");
    for offer in &offers {
        assert_eq!(offer.ip_capability, IpCapability::ProvenByBid, "{offer:?}");
        assert!(offer.reachable, "{offer:?}");
        // From the provider's gRPC status: a pool of 4, one held by this bid.
        assert_eq!((offer.free_ips, offer.ips_needed, offer.ip_warning()), (Some(3), 1, None), "{offer:?}");
        assert_eq!(offer.tls, Some(leasekit_client::provider::TlsCheck::Pinned), "{offer:?}");
        assert!(offer.host_uri.is_some());
        assert!(offer.attributes.iter().any(|(k, v)| k == "region" && v == "devnet"));
    }
    let bid = offers[0].bid.id.clone();

    // 5. Accept; reload from the checkpoint saved before the lease broadcast.
    saved.borrow_mut().clear();
    app.accept_bid(&mut state, &bid, &mut recording(&saved)).await.expect("lease");
    assert_eq!(state.step, Step::SendingManifest);
    assert_eq!(state.leases, vec![bid.clone()]);
    assert_eq!(sequence(&chain, &owner).await, start + 2);
    let accepting = saved
        .borrow()
        .iter()
        .find(|j| matches!(DeployState::from_json(j).map(|s| s.step), Ok(Step::Accepting { .. })))
        .cloned()
        .expect("saved at Accepting");
    let mut state = DeployState::from_json(&accepting).expect("state");
    assert_eq!(state.pending.as_ref().map(|p| p.purpose), Some(TxPurpose::Lease));
    again.resume(&mut state, &mut Hooks::silent()).await.expect("resume sends the manifest");
    assert_eq!(state.step, Step::Live);
    assert_eq!(state.leases, vec![bid.clone()]);
    assert_eq!(sequence(&chain, &owner).await, start + 2, "no second lease");
    // The Deployments view's first page: open deployments only, with their live lease.
    let page = app.deployments_page(&owner, false, None).await.expect("open deployments");
    let open: Vec<(u64, usize)> = page.entries.iter().map(|e| (e.deployment.dseq, e.leases.len())).collect();
    assert_eq!((open, page.next_key), (vec![(dseq, 1)], None));

    // 6. The IP card: one address with TCP 80 and UDP 27015 of service game.
    let cards = app.wait_for_ip(&state, &mut Hooks::silent()).await.expect("status");
    assert_eq!(cards.len(), 1, "one group, one card");
    let card = &cards[0];
    assert_eq!(card.status, CardStatus::Ready, "{card:?}");
    assert_eq!(card.addresses.len(), 1, "{card:?}");
    let ip = card.addresses[0].ip.clone();
    assert!(ip.starts_with("203.0.113."), "{ip}");
    let rows: Vec<String> = card.addresses[0].ports.iter().map(|p| p.row()).collect();
    assert_eq!(rows, vec!["80 → 80 TCP game", "27015 → 27015 UDP game"]);
    assert!(card.addresses[0].ports.iter().all(|p| p.endpoint.as_deref() == Some("public")));
    assert!(card.missing.is_empty());

    // 7. Inject the IP as an env var: a new hash on chain, the manifest re-sent, the IP kept.
    let change = app.inject_ip_env(&mut state, "LEASED_IP", &mut recording(&saved)).await.expect("inject");
    assert!(change.kept, "{change:?}");
    assert_eq!(change.after, vec![ip.clone()]);
    assert_eq!(change.text(), format!("IP kept: {ip}"));
    assert!(state.sdl.contains(&format!("      - LEASED_IP={ip}\n")), "{}", state.sdl);
    assert!(state.sdl.starts_with("# a game server on its own address\n"), "the comment is kept");
    let updated = leasekit_sdl::build(&state.sdl).output.expect("updated SDL builds");
    let on_chain = chain.deployment(&owner, dseq).await.expect("query").expect("deployment");
    assert_eq!(on_chain.hash, updated.version.to_vec());
    assert_eq!(sequence(&chain, &owner).await, start + 3);
    // Injecting again changes nothing: same value, same hash, no transaction.
    let same = app.inject_ip_env(&mut state, "LEASED_IP", &mut Hooks::silent()).await.expect("inject again");
    assert!(same.kept);
    assert_eq!(sequence(&chain, &owner).await, start + 3);

    // 7b. An update signed but never broadcast (the tab closed): the saved state carries it
    //     and a reload sends the same bytes, then the manifest; the IP is still kept.
    saved.borrow_mut().clear();
    let err = crashing.inject_ip_env(&mut state, "PUBLIC_IP", &mut recording(&saved)).await.expect_err("no broadcast");
    assert!(err.retryable, "{err:?}");
    let checkpoint = saved.borrow().last().cloned().expect("saved before broadcasting");
    let mut state = DeployState::from_json(&checkpoint).expect("state");
    assert_eq!(state.pending.as_ref().map(|p| p.purpose), Some(TxPurpose::Update));
    assert!(!state.sdl.contains("PUBLIC_IP"), "the SDL changes once the update lands");
    assert_eq!(sequence(&chain, &owner).await, start + 3);
    app.resume(&mut state, &mut Hooks::silent()).await.expect("resume the update");
    assert_eq!(state.step, Step::Live);
    assert!(state.sdl.contains(&format!("      - PUBLIC_IP={ip}\n")), "{}", state.sdl);
    assert_eq!(sequence(&chain, &owner).await, start + 4);
    let updated = leasekit_sdl::build(&state.sdl).output.expect("updated SDL builds");
    assert_eq!(
        chain.deployment(&owner, dseq).await.expect("query").expect("deployment").hash,
        updated.version.to_vec()
    );
    assert_eq!(app.wait_for_ip(&state, &mut Hooks::silent()).await.expect("status")[0].ips(), vec![ip.clone()]);

    // 8. Migrate: a second deployment names the same endpoint; the provider withholds it while
    //    the first holds it (provider.md §4.4), and migration moves the address (§2.4).
    let mut second = app.new_state(SDL, "500000uact");
    app.create_deployment(&mut second, &mut Hooks::silent()).await.expect("second deployment");
    let dseq_b = second.dseq.expect("dseq");
    assert_ne!(dseq_b, dseq);
    let offers = app.wait_for_bids(&second, &mut Hooks::silent()).await.expect("bids");
    let same = offers.iter().find(|o| o.bid.id.provider == bid.provider).expect("the same provider bids");
    app.accept_bid(&mut second, &same.bid.id.clone(), &mut Hooks::silent()).await.expect("lease");
    app.send_manifest(&mut second, &mut Hooks::silent()).await.expect("manifest");
    let withheld = app.lease_status(&second).await.expect("status").remove(0);
    assert!(withheld.ips().is_empty(), "{withheld:?}");
    assert_eq!(withheld.missing.len(), 2, "both ports withheld");
    let moved = app.migrate_endpoint(&bid.provider, &["public"], dseq_b, 1).await.expect("migrate");
    assert_eq!(moved, vec!["public".to_owned()]);
    assert_eq!(app.lease_status(&second).await.expect("status")[0].ips(), vec![ip.clone()], "the address moved");
    let source = app.lease_status(&state).await.expect("status").remove(0);
    assert!(source.ips().is_empty() && source.missing.len() == 2, "{source:?}");

    // 9. Close: the deployment and its lease end; the provider forgets the lease.
    app.close(&mut state, &mut Hooks::silent()).await.expect("close");
    assert_eq!(state.step, Step::Closed { dseq });
    let closed = chain.deployment(&owner, dseq).await.expect("query").expect("deployment");
    assert_eq!(closed.state, "closed");
    let card = app.lease_status(&state).await.expect("status after close").remove(0);
    assert_eq!(card.status, CardStatus::NotDeployed);
    app.close(&mut second, &mut Hooks::silent()).await.expect("close the second");
    let listed = app.deployments(&owner).await.expect("list");
    let states: Vec<(u64, &str)> = listed.iter().map(|d| (d.deployment.dseq, d.deployment.state.as_str())).collect();
    assert_eq!(states, vec![(dseq_b, "closed"), (dseq, "closed")], "newest first");
    assert!(app.deployments_page(&owner, false, None).await.expect("open").entries.is_empty());
    let closed = app.deployments_page(&owner, true, None).await.expect("closed");
    let closed: Vec<u64> = closed.entries.iter().map(|e| e.deployment.dseq).collect();
    assert_eq!(closed, vec![dseq_b, dseq]);
    devnet.shutdown().await;
}

/// Two placement groups: each gets its own bid, lease and IP card; Live only when both run;
/// a reload between the two leases resumes at the second group's bids.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_placement_group_is_leased() {
    const TWO_GROUPS: &str = include_str!("fixtures/two-groups.yaml");
    let (_dir, devnet, network) = start_devnet().await;
    let wallet = KeyWallet::from_mnemonic(&devnet.node.mnemonic, 0).expect("test key");
    let owner = wallet.address();
    let app = Deployer::new(network.clone(), NativeTransport::new(), wallet).with_clock(now).with_polling(fast());
    let chain = ChainClient::new(NativeTransport::new(), &network.chain_rest);

    let saved = RefCell::new(Vec::new());
    let mut state = app.new_state(TWO_GROUPS, "500000uact");
    let groups = state.groups();
    assert_eq!(groups, vec![(1, "east".to_owned()), (2, "west".to_owned())]);
    app.create_deployment(&mut state, &mut recording(&saved)).await.expect("create");
    let dseq = state.dseq.expect("dseq");

    // Bids for both groups; take group 1's first.
    let offers = app.wait_for_bids(&state, &mut Hooks::silent()).await.expect("bids");
    let first = offers.iter().find(|o| o.bid.id.gseq == 1).expect("a bid for group 1").bid.id.clone();
    app.accept_bid(&mut state, &first, &mut recording(&saved)).await.expect("lease group 1");
    assert_eq!(state.step, Step::Bidding { dseq }, "group 2 still needs its lease");
    assert_eq!(state.leases, vec![first.clone()]);
    assert_eq!(state.unleased_groups(), vec![(2, "west".to_owned())]);
    let err = app.accept_bid(&mut state, &first, &mut Hooks::silent()).await.expect_err("group 1 is leased");
    assert!(!err.retryable, "{err:?}");

    // A reload now: the saved state resumes at the bids of group 2 only.
    let checkpoint = saved.borrow().last().cloned().expect("saved");
    let mut reloaded = DeployState::from_json(&checkpoint).expect("reads back");
    app.resume(&mut reloaded, &mut Hooks::silent()).await.expect("resume");
    assert_eq!(reloaded.step, Step::Bidding { dseq });
    assert_eq!(reloaded.leases, vec![first.clone()]);
    let offers = app.wait_for_bids(&reloaded, &mut Hooks::silent()).await.expect("bids for group 2");
    assert!(!offers.is_empty() && offers.iter().all(|o| o.bid.id.gseq == 2), "{offers:?}");
    let second = offers[0].bid.id.clone();
    app.accept_bid(&mut reloaded, &second, &mut Hooks::silent()).await.expect("lease group 2");
    assert_eq!(reloaded.step, Step::SendingManifest);
    assert_eq!(reloaded.leases, vec![first.clone(), second.clone()]);
    let active = chain.leases(&owner, Some(dseq)).await.expect("leases");
    assert_eq!(active.iter().filter(|l| l.state == "active").count(), 2, "{active:?}");

    // The manifest to both providers, then one card per group with only its own ports.
    app.send_manifest(&mut reloaded, &mut Hooks::silent()).await.expect("manifest");
    assert_eq!(reloaded.step, Step::Live);
    let cards = app.wait_for_ip(&reloaded, &mut Hooks::silent()).await.expect("status");
    assert_eq!(cards.len(), 2);
    let rows =
        |i: usize| -> Vec<String> { cards[i].addresses.iter().flat_map(|a| a.ports.iter().map(|p| p.row())).collect() };
    assert_eq!(cards[0].lease.gseq, 1);
    assert_eq!(rows(0), vec!["80 → 80 TCP web"], "{:?}", cards[0]);
    assert_eq!(rows(1), vec!["27015 → 27015 UDP game"], "{:?}", cards[1]);
    assert!(cards.iter().all(|c| c.status == CardStatus::Ready && c.missing.is_empty()), "{cards:?}");
    assert_ne!(cards[0].ips(), cards[1].ips(), "each group's endpoint has an address of its own");

    // A watch of one lease (what a Deployments card runs) ends once it is ready, with its card.
    let mut seen = Vec::new();
    let output = leasekit_sdl::build(TWO_GROUPS).output.expect("builds");
    let west = leasekit_deploy::lease::lease_manifest(&output, 2);
    assert_eq!(west.groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["west"]);
    app.watch_lease(&second, Some(&west), |card| seen.push(card)).await;
    let last = seen.last().expect("at least one answer").as_ref().expect("status");
    assert_eq!(last.status, CardStatus::Ready);
    assert_eq!(last.ips(), cards[1].ips());

    // A failed state with both leases on chain is placed back at the manifest, not at the bids.
    let mut failed = reloaded.clone();
    failed.step = Step::Failed { step: StepKind::Manifest, message: "lost".into(), retryable: true };
    failed.leases.clear();
    app.resume(&mut failed, &mut Hooks::silent()).await.expect("reposition");
    assert_eq!(failed.step, Step::Live, "re-sent the manifest");
    assert_eq!(failed.leases, vec![first, second]);

    app.close(&mut reloaded, &mut Hooks::silent()).await.expect("close");
    assert_eq!(reloaded.step, Step::Closed { dseq });
    devnet.shutdown().await;
}

/// A node in front of the devnet that can fail: no route for simulations, or a load balancer
/// whose next account reads come from a node one block behind (the sequence one lower).
#[derive(Clone, Default)]
struct Lagging {
    inner: NativeTransport,
    no_simulation: std::rc::Rc<std::cell::Cell<bool>>,
    stale_account_reads: std::rc::Rc<std::cell::Cell<u32>>,
    broadcasts: std::rc::Rc<std::cell::Cell<u32>>,
}

impl Transport for Lagging {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        if req.url.ends_with("/cosmos/tx/v1beta1/simulate") && self.no_simulation.get() {
            return Err(TransportError::new(TransportErrorKind::Connect, "Failed to fetch"));
        }
        if req.url.ends_with("/cosmos/tx/v1beta1/txs") {
            self.broadcasts.set(self.broadcasts.get() + 1);
        }
        let stale = req.url.contains("/cosmos/auth/v1beta1/account_info/") && self.stale_account_reads.get() > 0;
        let mut resp = self.inner.send(req).await?;
        if stale {
            self.stale_account_reads.set(self.stale_account_reads.get() - 1);
            let text = resp.text();
            let at = text.find("\"sequence\":\"").expect("a sequence") + "\"sequence\":\"".len();
            let end = at + text[at..].find('"').expect("closing quote");
            let behind = text[at..end].parse::<u64>().expect("a number") - 1;
            resp.body = format!("{}{behind}{}", &text[..at], &text[end..]).into_bytes();
        }
        Ok(resp)
    }

    async fn sleep(&self, ms: u64) {
        self.inner.sleep(ms).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_guessed_gas_and_no_stale_sequence() {
    let (_dir, devnet, network) = start_devnet().await;
    let wallet = KeyWallet::from_mnemonic(&devnet.node.mnemonic, 0).expect("test key");
    let owner = wallet.address();
    let transport = Lagging::default();
    let app = Deployer::new(network.clone(), transport.clone(), wallet).with_clock(now).with_polling(fast());
    let chain = ChainClient::new(NativeTransport::new(), &network.chain_rest);
    let start = sequence(&chain, &owner).await;

    // The node cannot be reached to simulate: the review and the create say so; nothing is
    // signed with a guessed gas limit, nothing is sent.
    transport.no_simulation.set(true);
    let mut state = app.new_state(SDL, "500000uact");
    let err = app.review(&state).await.expect_err("no simulation, no silent fee guess");
    assert!(err.message.contains("could not be reached to simulate"), "{err:?}");
    let err = app.create_deployment(&mut state, &mut Hooks::silent()).await.expect_err("no simulation");
    assert!(err.retryable && err.message.contains("nothing was signed or sent"), "{err:?}");
    assert_eq!((transport.broadcasts.get(), state.step.clone()), (0, Step::Review));

    // Reachable again: created. Then the next two account reads lag a block behind; the lease
    // is signed at the real next sequence anyway, once, without a rejection.
    transport.no_simulation.set(false);
    app.create_deployment(&mut state, &mut Hooks::silent()).await.expect("create");
    let offers = app.wait_for_bids(&state, &mut Hooks::silent()).await.expect("bids");
    transport.stale_account_reads.set(2);
    app.accept_bid(&mut state, &offers[0].bid.id, &mut Hooks::silent()).await.expect("lease at the right sequence");
    assert_eq!(transport.stale_account_reads.get(), 0, "the stale answers were read and waited out");
    assert_eq!(state.step, Step::SendingManifest);
    assert_eq!((sequence(&chain, &owner).await, transport.broadcasts.get()), (start + 2, 2));
}
