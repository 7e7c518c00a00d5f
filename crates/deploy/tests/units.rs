//! Unit tests of the pure parts through the public API: the order in words, the saved state,
//! the IP card, the env injection and the command lines. Expected values come from the specs
//! (provider.md, chain.md), the Akash CLI docs, or arithmetic done by hand in the comments —
//! never from running this crate.

use leasekit_client::provider::LeaseStatusState;
use leasekit_client::{HttpRequest, HttpResponse, ProviderClient, Transport, TransportError};
use leasekit_deploy::commands::{self, CliContext};
use leasekit_deploy::flow::inject_env;
use leasekit_deploy::lease::CardStatus;
use leasekit_deploy::state::{PendingTx, StepStatus, TxPurpose};
use leasekit_deploy::{DeployState, IpCard, Network, OrderSummary, Step, StepKind};
use leasekit_tx::msgs::{BidId, Coin};

const OWNER: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";
const PROVIDER: &str = "akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc";

fn lease(dseq: u64) -> BidId {
    BidId { owner: OWNER.into(), dseq, gseq: 1, oseq: 1, provider: PROVIDER.into(), bseq: 0 }
}

mod order {
    use super::*;

    /// `web` 2 × 1000 uact and `game` 1 × 0.5 uact per block; `game` on IP endpoint `public`
    /// with TCP 80 and UDP 27015.
    const SDL: &str = r#"
version: "2.0"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        to:
          - global: true
  game:
    image: ghcr.io/example/game:2
    expose:
      - port: 8080
        as: 80
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
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 512Mi}
        storage: {size: 1Gi}
    game:
      resources:
        cpu: {units: 2}
        memory: {size: 4Gi}
        storage: {size: 10Gi}
  placement:
    dcloud:
      pricing:
        web: {denom: uact, amount: 1000}
        game: {denom: uact, amount: 0.5}
deployment:
  web:
    dcloud:
      profile: web
      count: 2
  game:
    dcloud:
      profile: game
      count: 1
"#;

    fn summary(block_time_ms: u64) -> OrderSummary {
        let output = leasekit_sdl::build(SDL).output.expect("SDL builds");
        let network = Network::preset("mainnet").expect("preset");
        let fee = network.fee(200_000);
        let deposit = Coin::parse("500000uact").expect("coin");
        OrderSummary::new(&output, &deposit, &fee, block_time_ms)
    }

    #[test]
    fn prices_sum_price_times_count_and_scale_to_a_month() {
        // chain.md §4.4: a group's price is the sum of price × count: 2 × 1000 + 1 × 0.5.
        let s = summary(6_000);
        assert_eq!(s.prices.len(), 1);
        assert_eq!(s.prices[0].denom, "uact");
        assert_eq!(s.prices[0].per_block, "2000.5");
        // 30.437 days × 86400 s / 6 s = 438292.8 blocks; × 2000.5 = 876804746.4 uact.
        assert_eq!(s.blocks_per_month, "438292.8");
        assert_eq!(s.prices[0].per_month, "876804746");
        assert_eq!(
            s.prices[0].text(&s.blocks_per_month),
            "at most 2000.5 uact per block (≈ 876804746 uact per month of 438292.8 blocks, ≈ 876.8 ACT)"
        );
        // 1 s devnet blocks: 2629756.8 blocks × 2000.5 = 5260828478.4.
        let devnet = summary(1_000);
        assert_eq!(devnet.blocks_per_month, "2629756.8");
        assert_eq!(devnet.prices[0].per_month, "5260828478");
    }

    #[test]
    fn the_chain_refuses_uakt_prices_and_deposits_before_any_wallet_is_asked() {
        assert_eq!(summary(6_000).refusal(), None);
        let network = Network::preset("mainnet").expect("preset");
        let fee = network.fee(200_000);
        let uact = leasekit_sdl::build(SDL).output.expect("SDL builds");
        let uakt = leasekit_sdl::build(&SDL.replace("denom: uact", "denom: uakt")).output.expect("SDL builds");
        let priced_in_uakt = OrderSummary::new(&uakt, &Coin::parse("500000uact").expect("coin"), &fee, 6_000);
        let refusal = priced_in_uakt.refusal().expect("uakt prices are refused");
        assert!(refusal.contains("uakt") && refusal.contains("uact"), "{refusal}");
        let small = OrderSummary::new(&uact, &Coin::parse("1000uact").expect("coin"), &fee, 6_000);
        assert!(small.refusal().expect("below the minimum").contains("minimum"));
        let akt = OrderSummary::new(&uact, &Coin::parse("500000uakt").expect("coin"), &fee, 6_000);
        assert!(akt.refusal().expect("deposit in uakt").contains("uact"));
    }

    #[test]
    fn a_refused_deposit_has_its_fix_and_the_fix_is_taken() {
        use leasekit_deploy::order::deposit_fix;
        assert_eq!(deposit_fix("500000uact"), None);
        assert_eq!(deposit_fix("2000000uact"), None);
        assert_eq!(deposit_fix("five"), None, "no coin, no obvious fix");
        assert_eq!(deposit_fix("500000ibc/ABC"), None);
        assert_eq!(deposit_fix("750000uakt"), Some(("Deposit in uact (same amount)".into(), "750000uact".into())));
        assert_eq!(deposit_fix("1000uact"), Some(("Deposit the minimum, 0.5 ACT".into(), "500000uact".into())));
        assert_eq!(deposit_fix("1000uakt").map(|f| f.1), Some("500000uact".into()));
        // Whatever the fix says, the chain takes it (the rule lives in leasekit-tx, not here).
        let network = Network::preset("mainnet").expect("preset");
        let output = leasekit_sdl::build(SDL).output.expect("SDL builds");
        for refused in ["750000uakt", "1000uact", "1000uakt"] {
            let deposit = Coin::parse(refused).expect("coin");
            let summary = OrderSummary::new(&output, &deposit, &network.fee(200_000), 6_000);
            assert!(summary.refusal().is_some(), "{refused} is refused");
            let (_, fixed) = deposit_fix(refused).expect("a fix");
            let summary = OrderSummary::new(&output, &Coin::parse(&fixed).expect("coin"), &network.fee(200_000), 6_000);
            assert_eq!(summary.refusal(), None, "{fixed} is taken");
        }
    }

    #[test]
    fn the_readable_message_has_the_hash_in_hex_and_coins_in_act() {
        let s = summary(6_000);
        let any = s.create_message(OWNER, 42).expect("message");
        let exact = leasekit_tx::json::message_json(&any);
        let exact_text = exact.to_go_indented();
        let readable = leasekit_deploy::order::readable_json(&exact).to_go_indented();
        // The exact form carries the bytes in base64; the readable one the hex the CLI prints.
        let hex = s.version_hex.clone();
        assert!(!exact_text.contains(&hex) && readable.contains(&format!("\"hash\": \"{hex}\"")), "{readable}");
        assert!(readable.contains("\"0.5 ACT (500000uact)\""), "{readable}");
        // The DecCoin price of `web`: 1000 uact per block, i.e. 0.001 ACT.
        assert!(readable.contains("\"0.001 ACT (1000uact)\""), "{readable}");
        assert!(readable.contains("\"dseq\": \"42\""), "other fields as they are: {readable}");
    }

    #[test]
    fn services_ips_deposit_and_fee_in_words() {
        let s = summary(6_000);
        let lines = s.lines();
        assert!(
            lines.contains(&"web: 2 × nginx:1.27, 0.5 CPU, 512 MiB memory, 1 GiB storage".to_owned()),
            "{lines:#?}"
        );
        assert!(lines.contains(&"game: 1 × ghcr.io/example/game:2, 2 CPU, 4 GiB memory, 10 GiB storage".to_owned()));
        // One endpoint = one address (provider.md §4.6), whatever the number of ports.
        assert_eq!(s.ips_needed, 1);
        assert!(lines.contains(&"IPs to lease: 1 address".to_owned()));
        assert!(lines.contains(&"public: 80/TCP → game:8080, 27015/UDP → game:27015".to_owned()), "{lines:#?}");
        assert!(lines.iter().any(|l| l.starts_with("Deposit: 0.5 ACT (500000uact;")), "{lines:#?}");
        // 200000 gas × 0.025 uakt (chain.md §2.3 "average") = 5000 uakt.
        assert!(lines.contains(&"Fee: 0.005 AKT (5000uakt for 200000 gas)".to_owned()), "{lines:#?}");
    }

    #[test]
    fn message_json_is_the_create_deployment_for_owner_and_dseq() {
        let json = summary(6_000).messages_json(OWNER, 42);
        // Type URL from chain.md §1.1; 64-bit dseq as a string (proto3 JSON).
        assert!(json.contains("\"@type\": \"/akash.deployment.v1beta4.MsgCreateDeployment\""), "{json}");
        assert!(json.contains("\"dseq\": \"42\""), "{json}");
        assert!(json.contains(OWNER));
        // Below the chain's minimum deposit (chain.md §1.10): an error object, not a panic.
        let output = leasekit_sdl::build(SDL).output.expect("SDL builds");
        let low = OrderSummary::new(
            &output,
            &Coin::parse("1uact").expect("coin"),
            &Network::preset("devnet").expect("p").fee(1),
            1000,
        );
        assert!(low.messages_json(OWNER, 42).contains("\"error\""));
    }
}

mod state {
    use super::*;

    /// A real signed transaction; its hash comes from leasekit-tx, not from the state module.
    fn signed(purpose: TxPurpose) -> PendingTx {
        let signer =
            leasekit_tx::MnemonicSigner::from_mnemonic(&leasekit_tx::MnemonicSigner::generate_mnemonic(&[1u8; 32]), 0)
                .expect("key");
        let message = leasekit_tx::msgs::close_deployment(OWNER, 7).expect("message");
        let draft = leasekit_tx::tx::Draft {
            messages: vec![leasekit_tx::proto::TypeUrl::to_any(&message)],
            memo: purpose.as_str().into(),
            fee: leasekit_tx::tx::Fee { amount: vec![], gas_limit: 1, payer: String::new(), granter: String::new() },
            timeout_height: 0,
        };
        let tx = leasekit_tx::tx::sign(&draft, "c", 1, 3, &signer).expect("sign");
        PendingTx { purpose, hash: tx.tx_hash, tx_bytes: tx.tx_bytes, sequence: 3, sdl: None }
    }

    fn states() -> Vec<DeployState> {
        let base = DeployState::new(
            "devnet",
            OWNER,
            "version: \"2.0\"\n# an SDL with \"quotes\" and \\ and ünïcode\n",
            "500000uact",
        );
        let mut out = vec![base.clone()];
        let mut creating = base.clone();
        let p = signed(TxPurpose::Create);
        creating.dseq = Some(7);
        creating.step = Step::Creating { dseq: 7, tx_hash: p.hash.clone() };
        creating.pending = Some(p);
        out.push(creating);
        let mut bidding = base.clone();
        bidding.dseq = Some(7);
        bidding.step = Step::Bidding { dseq: 7 };
        out.push(bidding.clone());
        let mut accepting = bidding.clone();
        let p = signed(TxPurpose::Lease);
        accepting.step = Step::Accepting { bid: lease(7), tx_hash: p.hash.clone() };
        accepting.pending = Some(p);
        out.push(accepting);
        let mut live = bidding.clone();
        live.leases = vec![lease(7)];
        live.step = Step::SendingManifest;
        out.push(live.clone());
        live.step = Step::Live;
        let mut update = signed(TxPurpose::Update);
        update.sdl = Some("the next SDL".into());
        live.pending = Some(update);
        out.push(live.clone());
        live.pending = None;
        live.step =
            Step::Failed { step: StepKind::Manifest, message: "the provider said \"no\"".into(), retryable: true };
        out.push(live);
        let mut closed = bidding.clone();
        closed.step = Step::Closed { dseq: 7 };
        out.push(closed);
        // Two groups: one leased, the other still bidding; then both leased.
        let mut half = bidding;
        half.leases = vec![BidId { gseq: 2, ..lease(7) }];
        out.push(half.clone());
        half.add_lease(lease(7));
        half.step = Step::Live;
        out.push(half);
        out
    }

    #[test]
    fn leases_are_kept_one_per_group_in_gseq_order() {
        let mut state = DeployState::new("devnet", OWNER, "x", "500000uact");
        state.add_lease(BidId { gseq: 2, ..lease(7) });
        state.add_lease(lease(7));
        state.add_lease(BidId { bseq: 3, ..lease(7) });
        assert_eq!(state.leases, vec![BidId { bseq: 3, ..lease(7) }, BidId { gseq: 2, ..lease(7) }]);
    }

    #[test]
    fn a_version_1_state_reads_with_its_one_lease() {
        // What the app saved before leases were kept per group (format version 1).
        let bid = r#"{"owner": "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh", "dseq": 7, "gseq": 1, "oseq": 1,
            "provider": "akash18ga02jzaq8cw52anyhzkwta5wygufgu6zsz6xc", "bseq": 0}"#;
        let v1 = format!(
            r#"{{"version": 1, "network": "devnet", "owner": "{OWNER}", "deposit": "500000uact",
                "step": {{"name": "live", "lease": {bid}}}, "dseq": 7, "lease": {bid}, "pending": null, "sdl": "x"}}"#
        );
        let state = DeployState::from_json(&v1).expect("version 1 reads");
        assert_eq!(state.step, Step::Live);
        assert_eq!(state.leases, vec![lease(7)]);
        assert!(state.to_json().contains("\"version\": 2"), "written back as version 2");
        let two = state.to_json().replace("\"version\": 2", "\"version\": 3");
        assert!(DeployState::from_json(&two).is_err(), "an unknown version is refused");
    }

    #[test]
    fn a_state_with_two_leases_of_one_group_is_refused() {
        let mut state = DeployState::new("devnet", OWNER, "x", "500000uact");
        state.dseq = Some(7);
        state.step = Step::Live;
        state.leases = vec![lease(7), BidId { bseq: 1, ..lease(7) }];
        assert!(DeployState::from_json(&state.to_json()).is_err());
    }

    #[test]
    fn every_step_round_trips() {
        for state in states() {
            let json = state.to_json();
            assert_eq!(DeployState::from_json(&json).expect(&json), state);
        }
    }

    #[test]
    fn truncated_or_corrupt_states_are_errors_not_panics() {
        for state in states() {
            let json = state.to_json();
            for (i, _) in json.char_indices() {
                assert!(DeployState::from_json(&json[..i]).is_err(), "prefix {i} of {json}");
            }
        }
        let good = states()[1].to_json();
        let corrupt = [
            "",
            "[]",
            "null",
            &good.replace("\"version\": 2", "\"version\": 3"),
            &good.replace("\"version\": 2,", ""),
            &good.replace("\"leases\": []", "\"leases\": {}"),
            &good.replace(OWNER, ""),
            &good.replace("\"creating\"", "\"teleporting\""),
            &good.replace("\"dseq\": 7", "\"dseq\": -7"),
            &good.replace("\"dseq\": 7", "\"dseq\": 0"),
            &good.replace("\"dseq\": 7", "\"dseq\": \"7\""),
            &good.replace("\"purpose\": \"create\"", "\"purpose\": \"lease\""),
            &good.replace("\"sequence\": 3", "\"sequence\": true"),
        ];
        for text in corrupt {
            let err = DeployState::from_json(text).expect_err(text);
            assert!(err.message.starts_with("the saved deployment state is unusable"), "{err}");
        }
        // Bytes that do not hash to the recorded hash.
        let mut state = states().remove(1);
        if let Some(p) = state.pending.as_mut() {
            p.tx_bytes.push(0);
        }
        assert!(DeployState::from_json(&state.to_json()).is_err());
        // A lease of another deployment.
        let mut state = states().remove(4);
        state.leases = vec![lease(8)];
        state.step = Step::Live;
        assert!(DeployState::from_json(&state.to_json()).is_err());
    }

    #[test]
    fn progress_marks_stages_for_the_progress_list() {
        let statuses = |s: &DeployState| -> Vec<&str> { s.progress().iter().map(|(_, st)| st.as_str()).collect() };
        let all = states();
        assert_eq!(statuses(&all[0]), ["pending"; 5]);
        assert_eq!(statuses(&all[1]), ["active", "pending", "pending", "pending", "pending"]);
        assert_eq!(statuses(&all[3]), ["done", "done", "active", "pending", "pending"]);
        assert_eq!(statuses(&all[5]), ["done"; 5]);
        assert_eq!(statuses(&all[6]), ["done", "done", "done", "failed", "pending"]);
        let kinds: Vec<&str> = all[0].progress().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["create", "bids", "accept", "manifest", "live"]);
        assert_eq!(all[6].progress()[3].1, StepStatus::Failed);
    }
}

mod card {
    use super::*;

    /// A transport answering every request with one canned response.
    #[derive(Clone)]
    struct Canned(u16, &'static str);

    impl Transport for Canned {
        async fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
            Ok(HttpResponse { status: self.0, headers: vec![], body: self.1.as_bytes().to_vec() })
        }
        async fn sleep(&self, _: u64) {}
    }

    /// The lease status of provider.md §2.2, verbatim.
    const DOC_STATUS: &str = r#"{
  "services": {
    "web": {
      "name": "web", "available": 1, "total": 1,
      "uris": ["abc123.ingress.provider.example.com", "test.localhost"],
      "observed_generation": 1, "replicas": 1, "updated_replicas": 1,
      "ready_replicas": 1, "available_replicas": 1
    }
  },
  "forwarded_ports": {
    "web": [ {"host": "provider.example.com", "port": 443, "externalPort": 31234, "proto": "TCP", "name": "web"} ]
  },
  "ips": {
    "web": [
      {"Port": 443, "ExternalPort": 443, "Protocol": "TCP", "IP": "203.0.113.10"},
      {"Port": 80,  "ExternalPort": 80,  "Protocol": "TCP", "IP": "203.0.113.10"}
    ]
  }
}"#;

    fn status(code: u16, body: &'static str, has_ip: bool) -> LeaseStatusState {
        let client = ProviderClient::new(Canned(code, body), "http://proxy");
        let id = lease(5);
        block_on(client.lease_status(PROVIDER, &id, "token", has_ip)).expect("status")
    }

    fn block_on<F: std::future::Future>(fut: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(fut)
    }

    fn manifest(sdl_exposes: &str) -> leasekit_sdl::Manifest {
        let sdl = format!(
            "version: \"2.0\"\nservices:\n  web:\n    image: nginx\n    expose:\n{sdl_exposes}endpoints:\n  edge:\n    kind: ip\nprofiles:\n  compute:\n    web:\n      resources: {{cpu: {{units: 1}}, memory: {{size: 1Gi}}, storage: {{size: 1Gi}}}}\n  placement:\n    dc:\n      pricing:\n        web: {{denom: uact, amount: 1}}\ndeployment:\n  web:\n    dc: {{profile: web, count: 1}}\n"
        );
        {
            let b = leasekit_sdl::build(&sdl);
            b.output.unwrap_or_else(|| panic!("{:?}", b.diagnostics)).manifest
        }
    }

    /// `as` on every expose: the SDL's duplicate check compares the raw `as` (provider.md §5).
    const TCP_443_80_UDP_53: &str = "      - port: 443\n        as: 443\n        to: [{global: true, ip: edge}]\n      - port: 80\n        as: 80\n        accept: [test.localhost]\n        to: [{global: true, ip: edge}]\n      - port: 53\n        as: 53\n        proto: udp\n        to: [{global: true, ip: edge}]\n";

    #[test]
    fn the_documented_status_gives_one_address_with_its_port_map() {
        let card = IpCard::from_status(&lease(5), &status(200, DOC_STATUS, true), None);
        assert_eq!(card.status, CardStatus::Ready);
        assert_eq!(card.ips(), vec!["203.0.113.10"]);
        let rows: Vec<String> = card.addresses[0].ports.iter().map(|p| p.row()).collect();
        // provider.md §2.2: Port = container, ExternalPort = on the IP; ordered by port here.
        assert_eq!(rows, ["80 → 80 TCP web", "443 → 443 TCP web"]);
        assert_eq!(card.services[0].uris, ["abc123.ingress.provider.example.com", "test.localhost"]);
        assert_eq!((card.services[0].available, card.services[0].total), (1, 1));
        assert_eq!(card.status_text(), "Running on 1 leased address.");
    }

    #[test]
    fn a_manifest_names_endpoints_and_shows_a_withheld_udp_port() {
        let m = manifest(TCP_443_80_UDP_53);
        let card = IpCard::from_status(&lease(5), &status(200, DOC_STATUS, true), Some(&m));
        assert!(card.addresses[0].ports.iter().all(|p| p.endpoint.as_deref() == Some("edge")));
        // The status has no UDP 53 entry: withheld or pending (provider.md §2.2, §4.4).
        assert_eq!(card.missing.len(), 1);
        assert_eq!(card.missing[0].row(), "53 → 53 UDP web");
    }

    #[test]
    fn waiting_for_ip_states() {
        let m = manifest(TCP_443_80_UDP_53);
        // 500 while the manifest has IP exposes (provider.md §2.2, Q7).
        let card = IpCard::from_status(&lease(5), &status(500, "ip operator remote error", true), Some(&m));
        assert!(card.waiting_for_ip());
        assert_eq!(card.missing.len(), 3);
        assert!(card.status_text().starts_with("Waiting for IP"));
        // `ips: {}` — computed but empty (operator 204): waiting, even without the manifest.
        let empty = r#"{"services": {}, "forwarded_ports": null, "ips": {}}"#;
        assert!(IpCard::from_status(&lease(5), &status(200, empty, true), None).waiting_for_ip());
        // `ips: null` and no manifest: a lease without IP exposes.
        let none = r#"{"services": {"web": {"available": 1, "total": 1, "uris": null}}, "forwarded_ports": null, "ips": null}"#;
        let card = IpCard::from_status(&lease(5), &status(200, none, false), None);
        assert_eq!(card.status, CardStatus::Ready);
        assert!(card.ips().is_empty());
        // …but with a manifest that asks for an IP: waiting.
        assert!(IpCard::from_status(&lease(5), &status(200, none, true), Some(&m)).waiting_for_ip());
        // 404 empty: no manifest; 404 with text: deploying.
        assert_eq!(IpCard::from_status(&lease(5), &status(404, "", true), None).status, CardStatus::NotDeployed);
        let deploying = IpCard::from_status(&lease(5), &status(404, "kube: no deployments for lease", true), None);
        assert_eq!(deploying.status, CardStatus::Deploying { message: "kube: no deployments for lease".into() });
    }

    #[test]
    fn udp_and_two_addresses() {
        let body = r#"{"services": {}, "forwarded_ports": {}, "ips": {
            "game": [{"Port": 27015, "ExternalPort": 27015, "Protocol": "UDP", "IP": "203.0.113.9"},
                     {"Port": 8080, "ExternalPort": 80, "Protocol": "TCP", "IP": "203.0.113.9"}],
            "db": [{"Port": 5432, "ExternalPort": 5432, "Protocol": "TCP", "IP": "203.0.113.10"}]}}"#;
        let card = IpCard::from_status(&lease(5), &status(200, body, true), None);
        assert_eq!(card.ips(), ["203.0.113.9", "203.0.113.10"], "numeric address order");
        let rows: Vec<String> = card.addresses[0].ports.iter().map(|p| p.row()).collect();
        assert_eq!(rows, ["80 → 8080 TCP game", "27015 → 27015 UDP game"]);
        assert_eq!(card.status_text(), "Running on 2 leased addresses.");
    }
}

mod env {
    use super::*;

    const SDL: &str = "# top comment\nservices:\n  game:\n    image: nginx # pinned\n    env:\n      - MODE=one # keep\n      - LEASED_IP=198.51.100.1\n  web:\n    image: nginx\n  api: {image: nginx}\n";

    #[test]
    fn updates_an_existing_entry_in_place() {
        let out = inject_env(SDL, "LEASED_IP", &[("game".into(), "203.0.113.5".into())]).expect("edit");
        assert_eq!(out, SDL.replace("198.51.100.1", "203.0.113.5"));
    }

    #[test]
    fn appends_or_creates_env_and_keeps_everything_else() {
        let out = inject_env(
            SDL,
            "PUBLIC_IP",
            &[("game".into(), "203.0.113.5".into()), ("web".into(), "203.0.113.6".into())],
        )
        .expect("edit");
        let expected = "# top comment\nservices:\n  game:\n    image: nginx # pinned\n    env:\n      - MODE=one # keep\n      - LEASED_IP=198.51.100.1\n      - PUBLIC_IP=203.0.113.5\n  web:\n    image: nginx\n    env:\n      - PUBLIC_IP=203.0.113.6\n  api: {image: nginx}\n";
        assert_eq!(out, expected);
        // A flow-style service gets a flow-style list.
        let out = inject_env(SDL, "PUBLIC_IP", &[("api".into(), "203.0.113.7".into())]).expect("edit");
        assert!(out.ends_with("  api: {image: nginx, env: [PUBLIC_IP=203.0.113.7]}\n"), "{out}");
    }

    #[test]
    fn a_missing_service_is_an_error() {
        assert!(inject_env(SDL, "X", &[("nope".into(), "203.0.113.5".into())]).is_err());
    }
}

mod cli {
    use super::*;

    fn words(line: &str) -> Vec<&str> {
        line.split(' ').collect()
    }

    /// The value after `flag`.
    fn flag<'a>(line: &'a str, flag: &str) -> Option<&'a str> {
        let w = words(line);
        w.iter().position(|x| *x == flag).and_then(|i| w.get(i + 1).copied())
    }

    fn ctx() -> CliContext {
        CliContext::for_network(&Network::preset("mainnet").expect("preset"))
    }

    #[test]
    fn context_uses_the_documented_mainnet_flags() {
        // akash-network/website …/cli/commands-reference/index.md, "Mainnet Configuration":
        // `--chain-id akashnet-2 --gas-prices 0.025uakt --gas auto --gas-adjustment 1.5`.
        let c = ctx();
        assert_eq!(c.chain_id, "akashnet-2");
        assert_eq!(c.gas_prices, "0.025uakt");
        assert_eq!(c.gas_adjustment, "1.5");
        // Sandbox: the id is read from the node, so the command names a variable.
        assert_eq!(CliContext::for_network(&Network::preset("sandbox").expect("p")).chain_id, "$AKASH_CHAIN_ID");
    }

    #[test]
    fn deployment_create_update_close() {
        // commands-reference: `provider-services tx deployment create <sdl-file> --from …
        // --node … --chain-id … --gas-prices … --gas auto --gas-adjustment 1.5`; flags
        // `--dseq` (defaults to the block height) and `--deposit`.
        let line = commands::create_deployment(&ctx(), "deploy.yaml", 123, "500000uact");
        assert_eq!(words(&line)[..5], ["provider-services", "tx", "deployment", "create", "deploy.yaml"]);
        assert_eq!(flag(&line, "--dseq"), Some("123"));
        assert_eq!(flag(&line, "--deposit"), Some("500000uact"));
        assert_eq!(flag(&line, "--gas"), Some("auto"));
        assert_eq!(flag(&line, "--chain-id"), Some("akashnet-2"));
        assert_eq!(flag(&line, "--from"), Some("$AKASH_KEY_NAME"));
        // commands-reference: `provider-services tx deployment update <sdl-file> --dseq …`.
        let line = commands::update_deployment(&ctx(), "deploy.yaml", 123);
        assert_eq!(words(&line)[..5], ["provider-services", "tx", "deployment", "update", "deploy.yaml"]);
        assert_eq!(flag(&line, "--dseq"), Some("123"));
        // commands-reference: `provider-services tx deployment close --dseq <deployment-id> …`.
        let line = commands::close_deployment(&ctx(), 123);
        assert_eq!(words(&line)[..4], ["provider-services", "tx", "deployment", "close"]);
        assert_eq!(flag(&line, "--dseq"), Some("123"));
    }

    #[test]
    fn bids_and_lease() {
        // commands-reference: `provider-services query market bid list --owner … --dseq …`,
        // flag `--state` (`open`, …).
        let line = commands::list_bids(&ctx(), OWNER, 5);
        assert_eq!(words(&line)[..5], ["provider-services", "query", "market", "bid", "list"]);
        assert_eq!((flag(&line, "--owner"), flag(&line, "--state")), (Some(OWNER), Some("open")));
        // commands-reference: `provider-services tx market lease create --dseq --gseq --oseq
        // --provider --from …`.
        let line = commands::create_lease(&ctx(), &lease(5));
        assert_eq!(words(&line)[..5], ["provider-services", "tx", "market", "lease", "create"]);
        let ids = ["--dseq", "--gseq", "--oseq", "--provider"].map(|f| flag(&line, f));
        assert_eq!(ids, [Some("5"), Some("1"), Some("1"), Some(PROVIDER)]);
    }

    #[test]
    fn manifest_status_migrate() {
        // common-tasks: `provider-services send-manifest deploy.yml --dseq … --provider …
        // --from …`; provider.md §3.3: JWT is the CLI's default `--auth-type`.
        let line = commands::send_manifest(&ctx(), "deploy.yaml", &lease(5));
        assert_eq!(words(&line)[..3], ["provider-services", "send-manifest", "deploy.yaml"]);
        assert_eq!((flag(&line, "--dseq"), flag(&line, "--provider")), (Some("5"), Some(PROVIDER)));
        assert_eq!(flag(&line, "--auth-type"), Some("jwt"));
        // common-tasks: `provider-services lease-status --dseq … --provider … --from …`.
        let line = commands::lease_status(&ctx(), &lease(5));
        assert_eq!(words(&line)[..2], ["provider-services", "lease-status"]);
        assert_eq!(flag(&line, "--gseq"), Some("1"));
        // provider.md §2.4 (line 179): `provider-services migrate-endpoints <name>... --dseq
        // <dest dseq> [--gseq 1] --provider <addr> --from <key> [--auth-type jwt|mtls]`.
        let line = commands::migrate_endpoints(&ctx(), &["public", "game"], 9, 1, PROVIDER);
        assert_eq!(words(&line)[..4], ["provider-services", "migrate-endpoints", "public", "game"]);
        assert_eq!((flag(&line, "--dseq"), flag(&line, "--gseq")), (Some("9"), Some("1")));
        assert_eq!(flag(&line, "--provider"), Some(PROVIDER));
    }
}

mod step_commands {
    use super::*;

    #[test]
    fn each_reached_stage_has_its_command() {
        let ctx = CliContext::for_network(&Network::preset("mainnet").expect("preset"));
        let mut state = DeployState::new("mainnet", OWNER, "sdl", "500000uact");
        let review = commands::for_state(&ctx, &state, "deploy.yaml");
        assert_eq!(review.len(), 1);
        // commands-reference: `--dseq` is optional and defaults to the block height.
        assert!(!review[0].1.contains("--dseq"), "{}", review[0].1);
        state.dseq = Some(5);
        state.leases = vec![lease(5)];
        state.step = Step::Live;
        let kinds: Vec<&str> =
            commands::for_state(&ctx, &state, "deploy.yaml").iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["create", "bids", "accept", "manifest", "live", "close"]);
    }
}

mod network {
    use super::*;

    #[test]
    fn presets_and_config() {
        let names: Vec<String> = Network::presets().into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["devnet", "sandbox", "mainnet"]);
        // chain.md §2.5: mainnet is akashnet-2; the sandbox id is read from the node.
        assert_eq!(Network::preset("mainnet").expect("p").chain_id.as_deref(), Some("akashnet-2"));
        assert_eq!(Network::preset("sandbox").expect("p").chain_rest, "https://api.sandbox-2.aksh.pw");
        let n = Network::from_config_json(
            r#"{"network":"devnet","chainRest":"http://127.0.0.1:4000/","proxy":"http://127.0.0.1:4001"}"#,
        )
        .expect("config");
        assert_eq!((n.chain_rest.as_str(), n.proxy.as_str()), ("http://127.0.0.1:4000", "http://127.0.0.1:4001"));
        assert_eq!(n.chain_id.as_deref(), Some("leasekit-devnet-1"));
        let other = Network::from_config_json(r#"{"network":"local","chainRest":"http://x"}"#).expect("config");
        assert_eq!((other.name.as_str(), other.chain_id.clone()), ("local", None));
        assert!(Network::from_config_json(r#"{"network": 3}"#).is_err());
        assert!(Network::from_config_json("[]").is_err());
        assert!(Network::from_config_json("{").is_err());
    }

    #[test]
    fn public_networks_say_what_they_cost_and_offer_their_endpoints() {
        let mainnet = Network::preset("mainnet").expect("p");
        // Keplr's and Console's average gas price; Console's 6 s blocks.
        assert_eq!(
            mainnet.summary(),
            "chain akashnet-2 · fees in AKT (uakt) at 0.025 uakt per gas · prices per month at one block every 6 s"
        );
        assert_eq!(mainnet.rest_endpoints.first(), Some(&mainnet.chain_rest));
        assert!(mainnet.rest_endpoints.len() > 1 && mainnet.rest_endpoints.iter().all(|u| u.starts_with("https://")));
        assert!(Network::preset("sandbox").expect("p").summary().starts_with("chain id read from the node · "));
        assert_eq!(
            mainnet.proxy_command("https://app.example"),
            "leasekit proxy --network mainnet --origin https://app.example"
        );
    }

    #[test]
    fn gas_and_fee() {
        let n = Network::preset("mainnet").expect("p");
        assert_eq!(n.gas_limit(Some(100_000)), 150_000);
        assert_eq!(n.gas_limit(None), 800_000);
        // 0.025 uakt per gas (chain.md §2.3), rounded up to whole uakt.
        let fee = n.fee(150_001);
        assert_eq!((fee.amount[0].denom.as_str(), fee.amount[0].amount, fee.gas_limit), ("uakt", 3751, 150_001));
    }
}

mod wallet {
    use leasekit_deploy::{KeyWallet, Wallet};
    use leasekit_tx::jwt::{self, Alg, Claims, Leases};

    /// chain.md §6.1: the chain-sdk test mnemonic and its address.
    const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";

    fn block_on<F: std::future::Future>(fut: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(fut)
    }

    #[test]
    fn key_wallet_signs_like_a_wallet() {
        let w = KeyWallet::from_mnemonic(MNEMONIC, 0).expect("key");
        assert_eq!(w.address(), "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh");
        assert_eq!(
            leasekit_tx::encoding::hex_lower(&w.public_key()),
            "03e1fde5cc17f56501ed53d87718df76c135b9a6401dceb53d198111a1eaf85f76"
        );
        // ADR-36: the provider-side verifier accepts a token assembled from the signature.
        let claims = Claims::starting_at(&w.address(), 1_800_000_000, 600, Leases::Full);
        let input = jwt::signing_input(Alg::Es256kAdr36, &claims);
        let signature = block_on(w.sign_arbitrary(&input)).expect("sign");
        let token = jwt::assemble(&input, &signature).expect("token");
        jwt::verify(&token, &w.public_key(), 1_800_000_100).expect("a provider accepts it");
        // Direct: the signature verifies over the sign doc's bytes, which come back unchanged.
        let doc = leasekit_tx::tx::SignDoc {
            body_bytes: vec![1, 2],
            auth_info_bytes: vec![3],
            chain_id: "akashnet-2".into(),
            account_number: 9,
        };
        let signed = block_on(w.sign_direct(&doc)).expect("sign");
        assert_eq!((signed.body_bytes.clone(), signed.auth_info_bytes.clone()), (vec![1, 2], vec![3]));
        leasekit_tx::key::verify(&w.public_key(), &doc.to_bytes(), &signed.signature).expect("verifies");
        assert!(KeyWallet::from_mnemonic("not a mnemonic", 0).is_err());
    }
}

mod reclaiming {
    //! Chain v2.1's `reclaiming` lease: the provider asked for it back, the window runs, the
    //! workload and its IP are still there — a resumed deploy must treat it as leased.

    use std::cell::RefCell;

    use leasekit_deploy::{Deployer, Hooks, KeyWallet, Network, Step, StepKind, Wallet};

    use super::*;

    const SDL: &str = include_str!("fixtures/game-ip.yaml");
    const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";

    /// Answers by path: the deployment, a reclaiming lease in the shape of the recorded lease
    /// list (mainnet, chain v2.1), and an accepting provider; records every request.
    struct Chain {
        owner: String,
        requests: RefCell<Vec<String>>,
    }

    impl Transport for &Chain {
        async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.requests.borrow_mut().push(format!("{} {}", req.method, req.url));
            let owner = &self.owner;
            let body = if req.url.contains("/deployments/info") {
                format!(
                    r#"{{"deployment":{{"id":{{"owner":"{owner}","dseq":"77"}},"state":"active","hash":"","created_at":"70","reclamation":null}},
                    "groups":[{{"id":{{"owner":"{owner}","dseq":"77","gseq":1}},"state":"open","group_spec":{{"name":"dcloud"}},"created_at":"70"}}],
                    "escrow_account":null}}"#
                )
            } else if req.url.contains("/leases/list") {
                format!(
                    r#"{{"leases":[{{"lease":{{"id":{{"owner":"{owner}","dseq":"77","gseq":1,"oseq":1,"provider":"{PROVIDER}","bseq":0}},
                    "state":"reclaiming","price":{{"denom":"uact","amount":"1.000000000000000000"}},"created_at":"72","closed_on":"0",
                    "reason":"lease_closed_invalid","reclamation":{{"window":"3600s","started_at":"90","deadline":"1790000000",
                    "reason":"lease_closed_reason_decommission"}}}}}}],"pagination":{{"next_key":null,"total":"1"}}}}"#
                )
            } else if req.method == "PUT" && req.url.ends_with("/deployment/77/manifest") {
                String::new()
            } else {
                return Ok(HttpResponse { status: 404, headers: vec![], body: br#"{"code":5}"#.to_vec() });
            };
            Ok(HttpResponse { status: 200, headers: vec![], body: body.into_bytes() })
        }

        async fn sleep(&self, _: u64) {}
    }

    #[test]
    fn a_reclaiming_lease_is_still_the_lease_and_its_window_is_read() {
        let wallet = KeyWallet::from_mnemonic(MNEMONIC, 0).expect("key");
        let chain = Chain { owner: wallet.address(), requests: RefCell::new(Vec::new()) };
        let mut network = Network::preset("devnet").expect("preset");
        network.chain_rest = "http://chain".to_owned();
        network.proxy = "http://proxy".to_owned();
        let app = Deployer::new(network, &chain, wallet).with_clock(|| 1_789_990_000);
        let mut state = app.new_state(SDL, "500000uact");
        state.dseq = Some(77);
        state.step = Step::Failed { step: StepKind::Bids, message: "the page was closed".to_owned(), retryable: true };
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(app.resume(&mut state, &mut Hooks::silent())).expect("resume");
        // Not sent back to bidding: the lease is kept and the manifest goes to its provider.
        assert_eq!(state.step, Step::Live, "{:?}", chain.requests.borrow());
        assert_eq!(state.leases.len(), 1);
        assert!(chain.requests.borrow().iter().any(|r| r.starts_with("PUT ") && r.contains(PROVIDER)));

        let leases = runtime
            .block_on(leasekit_client::ChainClient::new(&chain, "http://chain").leases(&chain.owner, Some(77)))
            .expect("leases");
        let reclamation = leases[0].reclamation.clone().expect("the window is read");
        assert_eq!(
            (reclamation.window_seconds, reclamation.started_at, reclamation.deadline),
            (Some(3600), 90, 1_790_000_000)
        );
        assert_eq!(reclamation.reason, "lease_closed_reason_decommission");
        assert!(leases[0].is_live());
        assert_eq!(
            leasekit_deploy::lease::lease_state_text(&leases[0]),
            "reclaiming: the provider is taking this lease back; it runs until its 1 h window ends (started at block \
             90); reason: decommission"
        );
    }
}

mod free_ips {
    use leasekit_client::chain::{Bid, Coin as ChainCoin};
    use leasekit_deploy::{BidOffer, IpCapability};

    use super::*;

    fn offer(free_ips: Option<u64>, ips_needed: usize) -> BidOffer {
        BidOffer {
            bid: Bid {
                id: lease(9),
                state: "open".into(),
                price: ChainCoin { denom: "uact".into(), amount: "1".into() },
            },
            price_per_block: "1".into(),
            price_per_month: "438293".into(),
            host_uri: None,
            attributes: Vec::new(),
            ip_capability: IpCapability::ProvenByBid,
            free_ips,
            ips_needed,
            reachable: true,
            tls: None,
            status_error: None,
        }
    }

    #[test]
    fn a_bid_from_a_provider_short_of_free_ips_is_flagged() {
        assert_eq!(offer(Some(2), 2).ip_warning(), None, "enough");
        assert_eq!(offer(None, 2).ip_warning(), None, "the provider does not say");
        assert_eq!(offer(Some(0), 0).ip_warning(), None, "no IP needed");
        let warning = offer(Some(1), 2).ip_warning().expect("short by one");
        assert!(warning.contains("reports 1 free leased IP address but this group needs 2 addresses"), "{warning}");
    }
}
